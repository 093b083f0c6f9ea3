// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The slab pipe (src/slab/slabpipe.c): whatever the host's threads, its
 * consumer sees every slab a plain visitor sees, in the same order, with
 * the same bytes and liveness.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "slab/slabpipe.h"
#include "unit.h"

#define NR_FULL 60	/* full slabs, found by the memory map */
#define MAX_SEEN 1024

/* What a sink saw of one live object. */
struct seen_object {
	uint64_t addr, sum;
};

struct seen {
	struct seen_object objects[MAX_SEEN];
	unsigned int n;
	bool overflow;
	unsigned int fail_at;	/* the sink fails on this object (1-based); 0: never */
};

static uint64_t object_sum(const uint8_t *obj, size_t len)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum = sum * 31 + obj[i];
	return sum;
}

static bool see(struct seen *seen, uint64_t addr, uint64_t sum)
{
	if (seen->n == MAX_SEEN) {
		seen->overflow = true;
		return true;
	}
	if (seen->fail_at && seen->n + 1 == seen->fail_at)
		return false;
	seen->objects[seen->n++] = (struct seen_object){ .addr = addr, .sum = sum };
	return true;
}

/* The plain visitor: what the pipe's sink must see. */
static void plain_visit(void *arg, const struct lx_scan *scan, const struct lx_slab *slab,
			const uint8_t *mem)
{
	const struct lx_cache *c = &scan->cache;
	uint32_t j;

	for (j = 0; j < slab->objects; j++)
		if (!lx_object_is_free(scan, slab, j))
			see(arg, lx_object_addr(scan, slab, j),
			    object_sum(mem + c->red_left_pad + (size_t)j * c->size,
				       c->object_size));
}

static void sum_work(const void *arg, const uint8_t *obj, size_t len, void *result)
{
	(void)arg;
	*(uint64_t *)result = object_sum(obj, len);
}

static bool sum_sink(void *arg, uint64_t addr, const void *result)
{
	return see(arg, addr, *(const uint64_t *)result);
}

static const struct lx_pipe_ops sum_ops = {
	.result_size = sizeof(uint64_t), .work = sum_work, .sink = sum_sink,
};

/* A partial slab (objects 1, 3, 5 free), a cpu slab (object 3 free), full ones. */
static void many_slabs(struct fixture *f)
{
	static const unsigned int cpu_free[] = { 3 };
	unsigned long pfn;
	unsigned int j;

	fx_one_partial_slab(f);
	fk_add_slab(&f->fk, 11, FK_OBJS, true);
	fk_set_cpu(&f->fk, 0, 11, fk_chain(&f->fk, 11, cpu_free, 1), 0);
	for (pfn = 12; pfn < 12 + NR_FULL; pfn++)
		fk_add_slab(&f->fk, pfn, FK_OBJS, false);
	for (pfn = 10; pfn < 12 + NR_FULL; pfn++)
		for (j = 0; j < FK_OBJS; j++)
			fk_w64(&f->fk, fk_obj(pfn, j) + 8, pfn * 1000 + j);
	fk_set_node_nr_slabs(&f->fk, 2 + NR_FULL);
}

/*
 * Every slab through a pipe of ops, batches of batch_bytes, on such a
 * host; read_work() first on the walk's thread if read_now.
 */
static enum lx_status run_pipe(const struct lx_pipe_ops *ops, enum fk_threads threads,
			       size_t batch_bytes, bool read_now, struct seen *seen,
			       size_t *threaded, unsigned int *started)
{
	struct lx_slab_pipe pipe;
	struct fixture f;
	enum lx_status ret;

	fx_setup(&f, LX_FP_XOR_SWAB);
	many_slabs(&f);
	fk_set_threads(&f.fk, threads);
	ret = lx_layout_init(&f.s);
	if (!ret)
		ret = lx_cache_read(&f.s, FK_CACHE, &f.cache);
	lx_slab_pipe_init(&pipe, &f.fk.target, ops, seen);
	pipe.batch_bytes = batch_bytes;
	pipe.read_now = read_now;
	if (!ret)
		ret = lx_scan_cache_visit(&f.s, &f.cache, &f.scan, &pipe.visitor);
	if (!ret)
		ret = lx_slab_pipe_finish(&pipe);
	lx_slab_pipe_free(&pipe);
	*threaded = pipe.threaded;
	*started = f.fk.threads_started;
	if (!fx_teardown(&f) || seen->overflow)
		return LX_EUSAGE;	/* leaked, or too many objects seen */
	return ret;
}

static bool plain_run(struct seen *seen)
{
	struct lx_visitor visitor = { .slab = plain_visit, .arg = seen };
	struct fixture f;
	enum lx_status ret;

	fx_setup(&f, LX_FP_XOR_SWAB);
	many_slabs(&f);
	memset(seen, 0, sizeof(*seen));
	ret = lx_layout_init(&f.s);
	if (!ret)
		ret = lx_cache_read(&f.s, FK_CACHE, &f.cache);
	if (!ret)
		ret = lx_scan_cache_visit(&f.s, &f.cache, &f.scan, &visitor);
	return fx_teardown(&f) && ret == LX_OK && !seen->overflow;
}

static bool same_objects(const struct seen *a, const struct seen *b)
{
	return a->n == b->n && !memcmp(a->objects, b->objects, a->n * sizeof(a->objects[0]));
}

static bool test_pipe_sees_the_plain_walk(void)
{
	static const size_t batches[] = { 3 * FK_PAGE_SIZE, 5 * FK_PAGE_SIZE + 100,
					  LX_PIPE_BATCH };
	static const enum fk_threads hosts[] = { FK_THREADS, FK_THREADS_DECLINED, FK_NO_THREADS };
	static struct seen plain, got;
	unsigned int started;
	size_t threaded, i, k;

	CHECK(plain_run(&plain));
	CHECK(plain.n == 5 + 7 + NR_FULL * FK_OBJS);
	for (i = 0; i < sizeof(batches) / sizeof(batches[0]); i++) {
		for (k = 0; k < 3; k++) {
			memset(&got, 0, sizeof(got));
			CHECK(run_pipe(&sum_ops, hosts[k], batches[i], false, &got,
				       &threaded, &started) == LX_OK);
			CHECK(same_objects(&plain, &got));
			CHECK(threaded == started);
			CHECK(hosts[k] == FK_THREADS ? threaded > 0 : !threaded);
			/* a batch of 3 pages holds at most 3 one-page slabs */
			CHECK(i || hosts[k] != FK_THREADS || threaded >= (NR_FULL + 2) / 3);
		}
	}
	return unit_ok();
}

/* A sink that fails stops the walk: LX_ENOMEM, nothing sunk after it. */
static bool test_pipe_sink_fails(void)
{
	static const enum fk_threads hosts[] = { FK_THREADS, FK_THREADS_DECLINED, FK_NO_THREADS };
	static struct seen got;
	unsigned int started;
	size_t threaded, k;

	for (k = 0; k < 3; k++) {
		memset(&got, 0, sizeof(got));
		got.fail_at = 100;
		CHECK(run_pipe(&sum_ops, hosts[k], 3 * FK_PAGE_SIZE, false, &got, &threaded,
			       &started) == LX_ENOMEM);
		CHECK(got.n == 99);
	}
	return unit_ok();
}

/* The many slabs' cache read, a pipe of two-page batches on a threaded host. */
static void threaded_pipe(struct fixture *f, struct lx_slab_pipe *pipe, struct seen *seen)
{
	fx_setup(f, LX_FP_XOR_SWAB);
	many_slabs(f);
	fk_set_threads(&f->fk, FK_THREADS);
	memset(seen, 0, sizeof(*seen));
	CHECK(lx_layout_init(&f->s) == LX_OK);
	CHECK(lx_cache_read(&f->s, FK_CACHE, &f->cache) == LX_OK);
	lx_slab_pipe_init(pipe, &f->fk.target, &sum_ops, seen);
	pipe->batch_bytes = 2 * FK_PAGE_SIZE;
}

/* A walk that hands the pipe memory other than its buffer's, from the 5th slab. */
struct stray_walk {
	struct lx_slab_pipe *pipe;
	unsigned int slabs;
};

static uint8_t *stray_buffer(void *arg, size_t len)
{
	struct stray_walk *w = arg;

	return w->pipe->visitor.buffer(w->pipe->visitor.arg, len);
}

static void stray_slab(void *arg, const struct lx_scan *scan, const struct lx_slab *slab,
		       const uint8_t *mem)
{
	struct stray_walk *w = arg;

	w->pipe->visitor.slab(w->pipe->visitor.arg, scan, slab,
			      ++w->slabs == 5 ? mem + 64 : mem);
}

/* The pipe's contract broken: an internal error, said, not "out of memory". */
static bool test_pipe_contract_broken(void)
{
	static struct seen seen;
	struct lx_slab_pipe pipe;
	struct stray_walk walk = { .pipe = &pipe };
	struct lx_visitor visitor = { .slab = stray_slab, .buffer = stray_buffer,
				      .arg = &walk };
	struct fixture f;
	enum lx_status ret;

	threaded_pipe(&f, &pipe, &seen);
	ret = lx_scan_cache_visit(&f.s, &f.cache, &f.scan, &visitor);
	CHECK(ret == LX_ENOMEM);	/* what the walk knows: no buffer */
	CHECK(lx_slab_pipe_finish(&pipe) == LX_EINTERNAL);
	lx_slab_pipe_free(&pipe);
	CHECK(walk.slabs == 5);
	CHECK(strstr(f.fk.messages, "internal error: a slab of") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* A result larger than the pipe keeps: refused before any walk. */
static bool test_pipe_result_too_big(void)
{
	static const struct lx_pipe_ops big_ops = {
		.result_size = LX_PIPE_RESULT_MAX + 1, .work = sum_work, .sink = sum_sink,
	};
	static struct seen seen;
	struct lx_slab_pipe pipe;
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	memset(&seen, 0, sizeof(seen));
	lx_slab_pipe_init(&pipe, &f.fk.target, &big_ops, &seen);
	CHECK(pipe.visitor.buffer == NULL || pipe.visitor.buffer(&pipe, 64) == NULL);
	CHECK(lx_slab_pipe_finish(&pipe) == LX_EINTERNAL);
	lx_slab_pipe_free(&pipe);
	CHECK(seen.n == 0);
	CHECK(strstr(f.fk.messages, "more than 128") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* ^C in the middle of a threaded walk: stopped, the thread joined, all freed. */
static bool test_pipe_interrupted(void)
{
	struct lx_slab_pipe pipe;
	static struct seen seen;
	struct fixture f;
	enum lx_status ret;

	threaded_pipe(&f, &pipe, &seen);
	f.fk.polls = 0;
	f.fk.interrupt_at = 30;
	ret = lx_scan_cache_visit(&f.s, &f.cache, &f.scan, &pipe.visitor);
	lx_slab_pipe_free(&pipe);
	CHECK(ret == LX_EINTR);
	CHECK(seen.n < 5 + 7 + NR_FULL * FK_OBJS);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* An object's second checksum, read_work()'s: the bytes from the last. */
static uint64_t tail_sum(const uint8_t *obj, size_t len)
{
	uint64_t sum = 0;

	while (len)
		sum = sum * 131 + obj[--len];
	return sum;
}

struct two_sums {
	uint64_t sum, tail;
};

/* read_work() and work() calls, and read_work() calls made ahead of the last work(). */
static unsigned int reads, works, reads_ahead;

static void tail_read_work(const void *arg, const uint8_t *obj, size_t len, void *result)
{
	(void)arg;
	__atomic_fetch_add(&reads_ahead, __atomic_load_n(&reads, __ATOMIC_SEQ_CST) >
			   __atomic_load_n(&works, __ATOMIC_SEQ_CST), __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&reads, 1, __ATOMIC_SEQ_CST);
	((struct two_sums *)result)->tail = tail_sum(obj, len);
}

/* work() after read_work(): its field is there, or the sum is spoilt. */
static void sum_after_read(const void *arg, const uint8_t *obj, size_t len, void *result)
{
	struct two_sums *r = result;

	(void)arg;
	r->sum = object_sum(obj, len) ^ (r->tail != tail_sum(obj, len));
	__atomic_fetch_add(&works, 1, __ATOMIC_SEQ_CST);
}

static bool two_sums_sink(void *arg, uint64_t addr, const void *result)
{
	return see(arg, addr, ((const struct two_sums *)result)->sum);
}

static const struct lx_pipe_ops two_sums_ops = {
	.result_size = sizeof(struct two_sums), .work = sum_after_read,
	.read_work = tail_read_work, .sink = two_sums_sink,
};

/* The walk through a pipe of two_sums_ops, read_work() first on the walk if read_now. */
static enum lx_status run_read_work(enum fk_threads threads, bool read_now, struct seen *seen)
{
	unsigned int started;
	size_t threaded;

	memset(seen, 0, sizeof(*seen));
	reads = works = reads_ahead = 0;
	return run_pipe(&two_sums_ops, threads, 3 * FK_PAGE_SIZE, read_now, seen, &threaded,
			&started);
}

/*
 * read_work() once per live object, before work() on its result, whether
 * the walk does it as the slab is read (a host that declines threads,
 * once the walk has time: from the second batch on, a slab's objects all
 * read_work()ed before the first is worked on) or with work(); the
 * results those of the plain walk.
 */
static bool test_pipe_read_work(void)
{
	static const enum fk_threads hosts[] = { FK_THREADS, FK_THREADS_DECLINED, FK_NO_THREADS };
	static struct seen plain, got;
	unsigned int k, now;

	CHECK(plain_run(&plain));
	for (k = 0; k < 3; k++) {
		for (now = 0; now < 2; now++) {
			CHECK(run_read_work(hosts[k], now, &got) == LX_OK);
			CHECK(same_objects(&plain, &got));
			CHECK(reads == plain.n && works == plain.n);
			if (hosts[k] == FK_THREADS_DECLINED)
				CHECK(now ? reads_ahead > 0 : reads_ahead == 0);
			if (hosts[k] == FK_NO_THREADS)
				CHECK(reads_ahead == 0);
		}
	}
	return unit_ok();
}

const struct unit_test slabpipe_tests[] = {
	{ "slab pipe: every live object's result, in walk order, any threads",
	  test_pipe_sees_the_plain_walk },
	{ "slab pipe: a failing sink stops the walk", test_pipe_sink_fails },
	{ "slab pipe: a broken contract is an internal error", test_pipe_contract_broken },
	{ "slab pipe: a result too big is refused", test_pipe_result_too_big },
	{ "slab pipe: ^C stops a threaded walk, nothing left", test_pipe_interrupted },
	{ "slab pipe: read_work() once per object, before work(), either thread",
	  test_pipe_read_work },
	{ NULL, NULL },
};
