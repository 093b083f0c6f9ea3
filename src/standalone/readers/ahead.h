/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pages decoded ahead of their reads on worker threads (ahead.c), for a
 * format that stores each page by itself at a file offset (diskdump.c).
 * The reading thread queues the pages it was advised of; workers read
 * their stored bytes and decode them into a ring of page slots; a read
 * takes a slot's page if a worker decoded it, and otherwise decodes the
 * page itself as it would without workers.  A page's bytes are the same
 * whichever thread decoded them, so what a read returns never depends on
 * the number of workers or on timing.
 *
 * Only the thread that created the ring calls these functions; workers
 * touch only the slots they took and the job queue.  Memory is fixed at
 * creation: the ring (at most SA_AHEAD_BYTES), the queue, and one file
 * window per worker.
 */
#ifndef LEAKEXT_SA_AHEAD_H
#define LEAKEXT_SA_AHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SA_AHEAD_BYTES (8U << 20)	/* decoded pages kept at most */
#define SA_AHEAD_MAX_WORKERS 15

/*
 * Decode one page: the size stored bytes at src, kept with flags, into
 * out (the ring's page size); false if they do not decode to exactly one
 * page.  Called on workers, each with its own state (new_state).
 */
struct sa_ahead_codec {
	void *(*new_state)(void);
	void (*free_state)(void *state);
	bool (*decode)(void *state, uint32_t flags, const uint8_t *src, size_t size,
		       uint8_t *out, size_t page_size);
};

struct sa_ahead;

/*
 * A ring for the file on fd (file_size bytes) and workers threads; NULL
 * if workers is 0 or a thread or memory could not be had (then reads
 * decode every page themselves).
 */
struct sa_ahead *sa_ahead_new(int fd, uint64_t file_size, size_t page_size,
			      unsigned int workers, const struct sa_ahead_codec *codec);
/* Stop the workers and free everything. */
void sa_ahead_free(struct sa_ahead *a);
/*
 * Queue page frame pfn, stored as size bytes at file offset off with
 * flags; false if its slot holds a page still queued or being decoded
 * (the ring is full: advice past here is dropped).  True also when pfn
 * is queued or decoded already.
 */
bool sa_ahead_queue(struct sa_ahead *a, uint64_t pfn, uint64_t off, uint32_t size,
		    uint32_t flags);
/* Whether pfn is queued, being decoded or decoded (no lock: the tag is the caller's). */
bool sa_ahead_holds(const struct sa_ahead *a, uint64_t pfn);
/* Hand the pages queued since the last call to the workers. */
void sa_ahead_flush(struct sa_ahead *a);
/*
 * Page frame pfn as a worker decoded it (waiting while one decodes it),
 * valid until the next sa_ahead_queue(); NULL if no worker has or will:
 * not queued, queued but not yet taken (it is taken back), or failed.
 */
const uint8_t *sa_ahead_page(struct sa_ahead *a, uint64_t pfn);

/* Counts of the reading thread's calls, for --stats. */
struct sa_ahead_stats {
	unsigned int workers;
	uint64_t queued;	/* pages queued */
	uint64_t ready;		/* reads a worker's page answered */
	uint64_t waited;	/* of them, read while a worker decoded it */
	uint64_t taken_back;	/* queued pages read before a worker took them */
};
void sa_ahead_get_stats(const struct sa_ahead *a, struct sa_ahead_stats *stats);

#endif
