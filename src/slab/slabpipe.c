// SPDX-License-Identifier: GPL-2.0-or-later
/* A walk's live objects worked on by two threads (slabpipe.h). */
#include <stdarg.h>
#include <string.h>

#include "slab/slabpipe.h"

/* Objects a thread takes from a batch at a time. */
#define WORK_CHUNK 8

/* A live object of a batch: its address and where its bytes are. */
struct lx_pipe_object {
	uint64_t addr;
	size_t mem_at;
};

/* One object's work, its read_work() first unless done as its slab was read. */
static void work_object(const struct lx_slab_pipe *pipe, const uint8_t *obj, size_t len,
			void *result, bool read_worked)
{
	if (pipe->ops->read_work && !read_worked)
		pipe->ops->read_work(pipe->arg, obj, len, result);
	pipe->ops->work(pipe->arg, obj, len, result);
}

/* Work on the batch's objects not yet taken, till none is left. */
static void work_batch(void *arg)
{
	struct lx_pipe_batch *b = arg;
	const struct lx_slab_pipe *pipe = b->pipe;
	size_t rs = pipe->ops->result_size, i, end;

	for (;;) {
		i = __atomic_fetch_add(&b->next, WORK_CHUNK, __ATOMIC_RELAXED);
		if (i >= b->nobjects)
			return;
		end = i + WORK_CHUNK < b->nobjects ? i + WORK_CHUNK : b->nobjects;
		for (; i < end; i++)
			work_object(pipe, b->mem + b->objects[i].mem_at, b->object_len,
				    b->results + i * rs, b->read_worked);
	}
}

/* The pipe's own contract broken (a leakext bug): said, and the walk stopped. */
static void __attribute__((format(printf, 2, 3)))
pipe_broken(struct lx_slab_pipe *pipe, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lx_vmsg(pipe->t, LX_MSG_ERROR, fmt, ap);
	va_end(ap);
	pipe->status = LX_EINTERNAL;
}

/* Empty, to be filled next; read_work() as its slabs are read if read_now. */
static void batch_reset(struct lx_pipe_batch *b, bool read_now)
{
	b->used = 0;
	b->nobjects = 0;
	b->next = 0;
	b->read_worked = read_now;
}

/*
 * Whether the walk has time to spare for read_work(): over the last eight
 * or so batches, it waited on the batch it drained (joining in on its
 * work, then for its thread) a quarter of the time it took to fill one;
 * not once that falls below a sixteenth.  S4's ELF dump: 0.35 ms a batch
 * of 0.65 without, 0.13 of 0.78 with (the test 0.13 ms a batch here, 0.3
 * on the other thread).  Timing decides which thread does the work, never
 * its result.
 */
static void choose_read_work(struct lx_slab_pipe *pipe, double filled, double waited)
{
	if (!pipe->fill_avg) {
		pipe->fill_avg = filled;
		pipe->wait_avg = waited;
	}
	pipe->fill_avg += (filled - pipe->fill_avg) / 8;
	pipe->wait_avg += (waited - pipe->wait_avg) / 8;
	if (pipe->wait_avg > pipe->fill_avg / 4)
		pipe->read_now = true;
	else if (pipe->wait_avg < pipe->fill_avg / 16)
		pipe->read_now = false;
}

/*
 * The batch's work finished (joining in), its thread joined, its objects
 * sunk; filled: how long the walk took to fill the last batch.
 */
static void drain_batch(struct lx_slab_pipe *pipe, struct lx_pipe_batch *b, double filled)
{
	size_t rs = pipe->ops->result_size, i;
	bool threaded = b->thread;
	double start = threaded ? lx_now() : 0;

	work_batch(b);
	lx_thread_join(pipe->t, b->thread);
	b->thread = NULL;
	if (threaded)
		choose_read_work(pipe, filled, lx_now() - start);
	for (i = 0; i < b->nobjects && !pipe->status; i++)
		if (!pipe->ops->sink(pipe->arg, b->objects[i].addr, b->results + i * rs))
			pipe->status = LX_ENOMEM;
	batch_reset(b, pipe->read_now);
}

/*
 * The filling batch is full (or the walk is over): a thread starts on it,
 * the other batch is drained, and the walk fills that one next.  If no
 * thread starts, the full batch is drained too, and from then on each
 * slab as it is visited (its bytes are still in the caches).
 */
static void pass_batch(struct lx_slab_pipe *pipe)
{
	struct lx_pipe_batch *full = &pipe->batch[pipe->filling];
	double filled = lx_now() - pipe->fill_start;

	if (full->nobjects) {
		full->thread = lx_thread_start(pipe->t, work_batch, full);
		pipe->threaded += !!full->thread;
	}
	pipe->filling ^= 1;
	drain_batch(pipe, &pipe->batch[pipe->filling], filled);
	if (full->nobjects && !full->thread) {
		drain_batch(pipe, full, filled);
		pipe->unthreaded = true;
	}
	pipe->fill_start = lx_now();
}

static bool batch_full(const struct lx_pipe_batch *b, size_t len)
{
	return b->mem && (b->cap - b->used < len || b->nobjects >= LX_PIPE_OBJECTS);
}

/* lx_visitor.buffer: len bytes of the filling batch, passing it on if full. */
static uint8_t *pipe_buffer(void *arg, size_t len)
{
	struct lx_slab_pipe *pipe = arg;
	struct lx_pipe_batch *b = &pipe->batch[pipe->filling];
	size_t cap = len > pipe->batch_bytes ? len : pipe->batch_bytes;

	if (!pipe->status && batch_full(b, len)) {
		pass_batch(pipe);
		b = &pipe->batch[pipe->filling];
	}
	if (!pipe->status && !b->mem) {
		b->mem = lx_alloc(pipe->t, cap);
		b->cap = b->mem ? cap : 0;
	}
	if (!pipe->status && (!b->mem || b->cap - b->used < len))
		pipe->status = LX_ENOMEM;
	if (pipe->status)
		return NULL;
	return b->mem + b->used;
}

/* The slab's live objects, appended to the batch's. */
static bool add_objects(struct lx_slab_pipe *pipe, struct lx_pipe_batch *b,
			const struct lx_scan *scan, const struct lx_slab *slab,
			size_t mem_at)
{
	const struct lx_cache *c = &scan->cache;
	size_t need = b->nobjects + slab->objects;
	uint32_t j;

	if (lx_reserve(pipe->t, &b->objects, &b->objects_cap, need, sizeof(*b->objects)) ||
	    lx_reserve(pipe->t, &b->results, &b->results_cap, need, pipe->ops->result_size))
		return false;
	b->object_len = c->object_size;
	for (j = 0; j < slab->objects; j++)
		if (!lx_object_is_free(scan, slab, j))
			b->objects[b->nobjects++] = (struct lx_pipe_object){
				.addr = lx_object_addr(scan, slab, j),
				.mem_at = mem_at + c->red_left_pad + (size_t)j * c->size,
			};
	return true;
}

/* read_work() on the batch's objects from number first on, as their slab was read. */
static void read_work_from(struct lx_slab_pipe *pipe, struct lx_pipe_batch *b, size_t first)
{
	size_t rs = pipe->ops->result_size;

	if (!pipe->ops->read_work || !b->read_worked)
		return;
	for (; first < b->nobjects; first++)
		pipe->ops->read_work(pipe->arg, b->mem + b->objects[first].mem_at,
				     b->object_len, b->results + first * rs);
}

/* lx_visitor.slab: the slab, read into the filling batch, is recorded. */
static void pipe_slab(void *arg, const struct lx_scan *scan, const struct lx_slab *slab,
		      const uint8_t *mem)
{
	struct lx_slab_pipe *pipe = arg;
	struct lx_pipe_batch *b = &pipe->batch[pipe->filling];
	const struct lx_cache *c = &scan->cache;
	size_t bytes = c->red_left_pad + (size_t)slab->objects * c->size;
	size_t first = b->nobjects;

	if (pipe->status)
		return;
	if (mem != b->mem + b->used) {
		pipe_broken(pipe, "internal error: a slab of %s not read into the pipe's buffer",
			    scan->cache.name);
		return;
	}
	if (!add_objects(pipe, b, scan, slab, b->used)) {
		pipe->status = LX_ENOMEM;
		return;
	}
	read_work_from(pipe, b, first);
	b->used += (bytes + 63) & ~(size_t)63;
	if (b->used > b->cap)
		b->used = b->cap;
	if (pipe->unthreaded)
		drain_batch(pipe, b, 0);	/* no thread: no time taken */
}

/* Without threads: each live object worked on and sunk as its slab is visited. */
static void work_now(void *arg, const struct lx_scan *scan, const struct lx_slab *slab,
		     const uint8_t *mem)
{
	struct lx_slab_pipe *pipe = arg;
	const struct lx_cache *c = &scan->cache;
	uint8_t result[LX_PIPE_RESULT_MAX];
	uint32_t j;

	for (j = 0; j < slab->objects && !pipe->status; j++) {
		if (lx_object_is_free(scan, slab, j))
			continue;
		work_object(pipe, mem + c->red_left_pad + (size_t)j * c->size, c->object_size,
			    result, false);
		if (!pipe->ops->sink(pipe->arg, lx_object_addr(scan, slab, j), result))
			pipe->status = LX_ENOMEM;
	}
}

void lx_slab_pipe_init(struct lx_slab_pipe *pipe, struct lx_target *t,
		       const struct lx_pipe_ops *ops, void *arg)
{
	memset(pipe, 0, sizeof(*pipe));
	pipe->t = t;
	pipe->ops = ops;
	pipe->arg = arg;
	pipe->batch_bytes = LX_PIPE_BATCH;
	pipe->fill_start = lx_now();
	pipe->batch[0].pipe = pipe->batch[1].pipe = pipe;
	pipe->visitor.arg = pipe;
	if (ops->result_size > LX_PIPE_RESULT_MAX)
		pipe_broken(pipe, "internal error: a pipe result of %zu bytes, more than %u",
			    ops->result_size, LX_PIPE_RESULT_MAX);
	if (lx_has_threads(t)) {
		pipe->visitor.slab = pipe_slab;
		pipe->visitor.buffer = pipe_buffer;
	} else {
		pipe->visitor.slab = work_now;
	}
}

enum lx_status lx_slab_pipe_finish(struct lx_slab_pipe *pipe)
{
	if (!pipe->status) {
		pass_batch(pipe);		/* drains the batch before the last */
		pass_batch(pipe);		/* and the last */
	}
	return pipe->status;
}

void lx_slab_pipe_free(struct lx_slab_pipe *pipe)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		lx_thread_join(pipe->t, pipe->batch[i].thread);
		lx_free(pipe->t, pipe->batch[i].mem);
		lx_free(pipe->t, pipe->batch[i].objects);
		lx_free(pipe->t, pipe->batch[i].results);
	}
}
