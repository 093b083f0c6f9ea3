// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pages decoded ahead on worker threads (ahead.h).
 *
 * Page frame pfn has one slot, pfn modulo the ring's size, so advice for
 * a run of frames shorter than the ring never evicts itself.  A slot goes
 * EMPTY -> QUEUED (the reading thread) -> BUSY (a worker took it) ->
 * READY or FAILED (the worker is done with it), and back to QUEUED when
 * the reading thread queues another frame there; a QUEUED slot the
 * reading thread needs before a worker took it goes back to EMPTY and is
 * decoded by the reader.  Every state change happens under the lock; the
 * slot's frame tag is written only by the reading thread (under the
 * lock), so that thread reads it without one.
 *
 * A job is a run of consecutive frames whose stored bytes lie within one
 * file window: a worker reads the window with one pread and decodes the
 * slots of the run that are still QUEUED.  Workers take the newest job
 * first: the reading thread decodes what it needs before a worker took
 * it, from the oldest on, so the two meet only once the advice is
 * decoded, wherever the time goes (decoding, or the reader's own work).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "standalone/bigalloc.h"
#include "standalone/readers/ahead.h"

#define AHEAD_MIN_SLOTS 16
#define AHEAD_WINDOW (512U << 10)	/* stored bytes read at once by a worker */
#define AHEAD_JOB_PAGES 64

enum slot_state { SLOT_EMPTY, SLOT_QUEUED, SLOT_BUSY, SLOT_READY, SLOT_FAILED };

struct ahead_slot {
	uint64_t tag;			/* pfn + 1; 0: none */
	uint64_t off;			/* where its stored bytes are */
	uint32_t size, flags;
	enum slot_state state;
};

/* Frames [pfn, pfn + count), stored within [off, off + len) of the file. */
struct ahead_job {
	uint64_t pfn;
	uint32_t count;
	uint64_t off;
	size_t len;
};

struct ahead_worker {
	pthread_t thread;
	struct sa_ahead *a;
	void *state;			/* the codec's */
	uint8_t *window;		/* AHEAD_WINDOW bytes */
};

struct sa_ahead {
	int fd;
	uint64_t file_size;
	size_t page_size;
	const struct sa_ahead_codec *codec;
	struct ahead_slot *slots;
	uint8_t *pages;
	unsigned int nslots;
	struct ahead_job *jobs;		/* a stack of at most nslots jobs */
	unsigned int job_count;
	struct ahead_job pending;	/* being built by the reading thread */
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	bool stop;
	struct ahead_worker workers[SA_AHEAD_MAX_WORKERS];
	unsigned int nworkers;
	struct sa_ahead_stats stats;	/* the reading thread's */
};

static uint8_t *slot_page(struct sa_ahead *a, const struct ahead_slot *slot)
{
	return a->pages + (size_t)(slot - a->slots) * a->page_size;
}

static bool read_window(const struct ahead_worker *w, const struct ahead_job *job)
{
	size_t got = 0;
	ssize_t n;

	while (got < job->len) {
		n = pread(w->a->fd, w->window + got, job->len - got, job->off + got);
		if (n <= 0)
			return false;
		got += n;
	}
	return true;
}

/* The slot of frame pfn if it is still queued: it is the worker's now. */
static struct ahead_slot *take_slot(struct sa_ahead *a, uint64_t pfn)
{
	struct ahead_slot *slot = &a->slots[pfn % a->nslots];
	bool mine;

	pthread_mutex_lock(&a->lock);
	mine = !a->stop && slot->tag == pfn + 1 && slot->state == SLOT_QUEUED;
	if (mine)
		slot->state = SLOT_BUSY;
	pthread_mutex_unlock(&a->lock);
	return mine ? slot : NULL;
}

static void finish_slot(struct sa_ahead *a, struct ahead_slot *slot, bool decoded)
{
	pthread_mutex_lock(&a->lock);
	slot->state = decoded ? SLOT_READY : SLOT_FAILED;
	pthread_cond_broadcast(&a->done);
	pthread_mutex_unlock(&a->lock);
}

static void run_job(struct ahead_worker *w, const struct ahead_job *job)
{
	struct sa_ahead *a = w->a;
	bool have = read_window(w, job);
	struct ahead_slot *slot;
	uint32_t i;

	for (i = 0; i < job->count; i++) {
		slot = take_slot(a, job->pfn + i);
		if (!slot)
			continue;
		/* BUSY: off, size and flags are not written while it is */
		finish_slot(a, slot, have && slot->off >= job->off &&
				     slot->off - job->off + slot->size <= job->len &&
				     a->codec->decode(w->state, slot->flags,
						      w->window + (slot->off - job->off),
						      slot->size, slot_page(a, slot),
						      a->page_size));
	}
}

static void *worker_main(void *arg)
{
	struct ahead_worker *w = arg;
	struct sa_ahead *a = w->a;
	struct ahead_job job;

	pthread_setname_np(pthread_self(), "leakscan-ahead");	/* for top and perf */
	pthread_mutex_lock(&a->lock);
	for (;;) {
		while (!a->stop && !a->job_count)
			pthread_cond_wait(&a->work, &a->lock);
		if (a->stop)
			break;
		job = a->jobs[--a->job_count];
		pthread_mutex_unlock(&a->lock);
		run_job(w, &job);
		pthread_mutex_lock(&a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* Workers take no signals: the reading thread handles ^C. */
static bool start_worker(struct sa_ahead *a, struct ahead_worker *w)
{
	sigset_t all, old;
	bool started;

	w->a = a;
	w->state = a->codec->new_state();
	w->window = malloc(AHEAD_WINDOW);
	if (!w->state || !w->window)
		goto fail;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	started = !pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started)
		return true;
fail:
	if (w->state)
		a->codec->free_state(w->state);
	free(w->window);
	return false;
}

static bool allocate(struct sa_ahead *a)
{
	a->nslots = SA_AHEAD_BYTES / a->page_size;
	if (a->nslots < AHEAD_MIN_SLOTS)
		a->nslots = AHEAD_MIN_SLOTS;
	a->slots = calloc(a->nslots, sizeof(*a->slots));
	a->jobs = calloc(a->nslots, sizeof(*a->jobs));
	a->pages = sa_big_calloc(a->nslots, a->page_size);
	return a->slots && a->jobs && a->pages;
}

struct sa_ahead *sa_ahead_new(int fd, uint64_t file_size, size_t page_size,
			      unsigned int workers, const struct sa_ahead_codec *codec)
{
	struct sa_ahead *a;

	if (!workers || !page_size || page_size > AHEAD_WINDOW)
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	*a = (struct sa_ahead){ .fd = fd, .file_size = file_size, .page_size = page_size,
				.codec = codec };
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->work, NULL);
	pthread_cond_init(&a->done, NULL);
	if (workers > SA_AHEAD_MAX_WORKERS)
		workers = SA_AHEAD_MAX_WORKERS;
	if (allocate(a))
		while (a->nworkers < workers && start_worker(a, &a->workers[a->nworkers]))
			a->nworkers++;
	if (!a->nworkers) {
		sa_ahead_free(a);
		return NULL;
	}
	return a;
}

void sa_ahead_free(struct sa_ahead *a)
{
	unsigned int i;

	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_broadcast(&a->work);
	pthread_mutex_unlock(&a->lock);
	for (i = 0; i < a->nworkers; i++) {
		pthread_join(a->workers[i].thread, NULL);
		a->codec->free_state(a->workers[i].state);
		free(a->workers[i].window);
	}
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->work);
	pthread_cond_destroy(&a->done);
	free(a->slots);
	free(a->jobs);
	sa_big_free(a->pages);
	free(a);
}

/*
 * The pending job with frame pfn, stored at [off, off + size), added, in
 * *grown; false if that is no longer one job: not the next frame, too
 * many frames, or stored bytes wider than a window.
 */
static bool extend_job(const struct ahead_job *job, uint64_t pfn, uint64_t off,
		       uint32_t size, struct ahead_job *grown)
{
	uint64_t lo = off < job->off ? off : job->off;
	uint64_t hi = job->off + job->len > off + size ? job->off + job->len : off + size;

	if (!job->count || job->count >= AHEAD_JOB_PAGES || pfn != job->pfn + job->count ||
	    hi - lo > AHEAD_WINDOW)
		return false;
	*grown = (struct ahead_job){ .pfn = job->pfn, .count = job->count + 1, .off = lo,
				     .len = hi - lo };
	return true;
}

static void add_to_pending(struct sa_ahead *a, uint64_t pfn, uint64_t off, uint32_t size)
{
	struct ahead_job grown;

	if (extend_job(&a->pending, pfn, off, size, &grown)) {
		a->pending = grown;
		return;
	}
	sa_ahead_flush(a);
	a->pending = (struct ahead_job){ .pfn = pfn, .count = 1, .off = off, .len = size };
}

bool sa_ahead_queue(struct sa_ahead *a, uint64_t pfn, uint64_t off, uint32_t size,
		    uint32_t flags)
{
	struct ahead_slot *slot = &a->slots[pfn % a->nslots];
	enum slot_state state;

	if (!size || size > AHEAD_WINDOW || off > a->file_size ||
	    size > a->file_size - off)
		return true;	/* not for workers: the reader decides */
	pthread_mutex_lock(&a->lock);
	state = slot->state;
	if (state == SLOT_QUEUED || state == SLOT_BUSY ||
	    (slot->tag == pfn + 1 && state != SLOT_EMPTY)) {
		pthread_mutex_unlock(&a->lock);
		return slot->tag == pfn + 1;
	}
	*slot = (struct ahead_slot){ .tag = pfn + 1, .off = off, .size = size, .flags = flags,
				     .state = SLOT_QUEUED };
	pthread_mutex_unlock(&a->lock);
	a->stats.queued++;
	add_to_pending(a, pfn, off, size);
	return true;
}

bool sa_ahead_holds(const struct sa_ahead *a, uint64_t pfn)
{
	return a->slots[pfn % a->nslots].tag == pfn + 1;
}

/* The pending job's slots back to EMPTY: the queue has no room for it. */
static void drop_pending(struct sa_ahead *a)
{
	struct ahead_slot *slot;
	uint32_t i;

	for (i = 0; i < a->pending.count; i++) {
		slot = &a->slots[(a->pending.pfn + i) % a->nslots];
		if (slot->tag == a->pending.pfn + i + 1 && slot->state == SLOT_QUEUED)
			*slot = (struct ahead_slot){ .state = SLOT_EMPTY };
	}
}

void sa_ahead_flush(struct sa_ahead *a)
{
	if (!a->pending.count)
		return;
	pthread_mutex_lock(&a->lock);
	if (a->job_count == a->nslots) {
		drop_pending(a);
	} else {
		a->jobs[a->job_count++] = a->pending;
		pthread_cond_signal(&a->work);
	}
	pthread_mutex_unlock(&a->lock);
	a->pending.count = 0;
}

const uint8_t *sa_ahead_page(struct sa_ahead *a, uint64_t pfn)
{
	struct ahead_slot *slot = &a->slots[pfn % a->nslots];
	const uint8_t *page = NULL;

	if (slot->tag != pfn + 1)
		return NULL;
	pthread_mutex_lock(&a->lock);
	a->stats.waited += slot->state == SLOT_BUSY;
	while (slot->state == SLOT_BUSY)
		pthread_cond_wait(&a->done, &a->lock);
	if (slot->state == SLOT_QUEUED) {
		*slot = (struct ahead_slot){ .state = SLOT_EMPTY };
		a->stats.taken_back++;
	} else if (slot->state == SLOT_READY) {
		page = slot_page(a, slot);
		a->stats.ready++;
	}
	pthread_mutex_unlock(&a->lock);
	return page;
}

void sa_ahead_get_stats(const struct sa_ahead *a, struct sa_ahead_stats *stats)
{
	*stats = a->stats;
	stats->workers = a->nworkers;
}
