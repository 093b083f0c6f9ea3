// SPDX-License-Identifier: GPL-2.0-or-later
/* A cache's live objects, walked once and clustered (clusterjob.h). */
#include <stdlib.h>
#include <string.h>

#include "analysis/clusterjob.h"
#include "analysis/describe.h"
#include "analysis/refs.h"
#include "slab/slabpipe.h"

/* What the pipe's work finds of one object. */
struct object_hashes {
	uint64_t prefix[LX_CLUSTER_LEVELS];
	bool words_miss;	/* with note_words: no word in the direct map */
};

/* The pipe's work, on any thread: an object's hashes. */
static void hash_object(const void *arg, const uint8_t *obj, size_t len, void *result)
{
	const struct lx_cluster_job *job = arg;
	struct object_hashes *h = result;

	lx_cluster_hash(&job->cl, obj, len, h->prefix);
}

/*
 * The pipe's work as the slab is read: the word test reads every byte,
 * the hashes often only a prefix (text), so it runs where the bytes are.
 */
static void test_words(const void *arg, const uint8_t *obj, size_t len, void *result)
{
	const struct lx_cluster_job *job = arg;
	struct object_hashes *h = result;

	h->words_miss = job->note_words &&
			lx_words_miss(obj, len, job->cl.word_size, job->words_lo,
				      job->words_hi);
}

/* The pipe's sink, in walk order: the object clustered, its miss noted. */
static bool add_object(void *arg, uint64_t addr, const void *result)
{
	struct lx_cluster_job *job = arg;
	const struct object_hashes *h = result;
	size_t i = job->cl.count;

	if (lx_cluster_append(&job->cl, addr, h->prefix))
		return false;
	if (!job->note_words)
		return true;
	if (lx_reserve(job->cl.t, &job->misses, &job->misses_cap, i / 8 + 1, 1))
		return false;
	if (h->words_miss)
		lx_bit_set(job->misses, i);
	return true;
}

static const struct lx_pipe_ops cluster_pipe = {
	.result_size = sizeof(struct object_hashes),
	.work = hash_object,
	.read_work = test_words,
	.sink = add_object,
};

/* FNV-1a, continued from h: the same bytes give the same hash everywhere. */
static uint64_t hash_bytes(uint64_t h, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)p[i]) * 0x100000001b3ULL;
	return h;
}

/*
 * An exact pointer by the name of the symbol it points at and its module:
 * 0 when it points inside a symbol or at an assembler-local label (".LC0"),
 * since which symbol lies nearest below an address differs between symbol
 * sources (kallsyms, a vmlinux's ELF table, crash) and builds.  A compiler's
 * suffix (".part.0", ".isra.0", ".constprop.0", ".cold") is no part of the
 * name: builds number them differently, and crash names some without it.
 */
static uint32_t symbol_token(void *arg, uint64_t value)
{
	struct lx_session *s = arg;
	char name[LX_NAME_MAX], module[LX_NAME_MAX];
	uint64_t offset, h = 0xcbf29ce484222325ULL;

	if (!lx_addr_symbol(s->t, value, name, sizeof(name), &offset, module,
			    sizeof(module)) || offset || name[0] == '.')
		return 0;
	h = hash_bytes(h, name, strcspn(name, "."));
	h = hash_bytes(h, "", 1);
	h = hash_bytes(h, module, strlen(module));
	return (uint32_t)(h ^ h >> 32);
}

/*
 * Each cluster's content signature, from the first of its samples whose
 * content still belongs to it (memory of a live kernel moves).  A cluster
 * none of whose samples can be read again stays unsigned.
 */
static enum lx_status sign_clusters(struct lx_session *s, struct lx_cluster_job *job)
{
	struct lx_clusterer *cl = &job->cl;
	size_t len = job->cache.object_size, k;
	uint8_t *obj = lx_alloc(s->t, len ? len : 1);
	unsigned int i;

	if (!obj)
		return LX_ENOMEM;
	for (k = 0; k < cl->nclusters; k++) {
		struct lx_cluster *c = &cl->clusters[k];

		for (i = 0; i < c->nsamples && !c->has_signature; i++)
			c->has_signature = lx_read(s->t, c->samples[i], obj, len) &&
					   lx_cluster_signature(cl, k, obj, len, symbol_token,
								s, &c->signature);
		if (c->has_signature) {
			c->head_len = len < sizeof(c->head) ? len : sizeof(c->head);
			memcpy(c->head, obj, c->head_len);
		}
		if (lx_interrupted(s->t))
			break;
	}
	lx_free(s->t, obj);
	return k < cl->nclusters ? LX_EINTR : LX_OK;
}

/* LEAKEXT_TIMING=1: where the time went, for tests/bench. */
static void report_timing(struct lx_session *s, const struct lx_cluster_job *job,
			  const struct lx_slab_pipe *pipe, double walk, double group)
{
	if (!getenv("LEAKEXT_TIMING"))
		return;
	lx_msg(s->t, LX_MSG_INFO,
	       "timing %s: %zu objects; walk and hashing %.3f s (%zu batches hashed on two threads), grouping %.3f s",
	       job->cache.name, job->cl.count, walk, pipe->threaded, group);
}

enum lx_status lx_cluster_job_run(struct lx_session *s, const struct lx_cache *cache,
				  struct lx_cluster_job *job, bool note_words)
{
	struct lx_slab_pipe pipe;
	enum lx_status ret;
	double start, walked;
	size_t i;

	memset(job, 0, sizeof(*job));
	job->cache = *cache;
	if (note_words)
		job->note_words = lx_direct_map_range(s, &job->words_lo, &job->words_hi);
	job->nranges = lx_kernel_ranges(s, job->ranges,
					sizeof(job->ranges) / sizeof(job->ranges[0]));
	lx_cluster_init(&job->cl, s->t, job->ranges, job->nranges);
	lx_slab_pipe_init(&pipe, s->t, &cluster_pipe, job);
	start = lx_now();
	ret = lx_scan_cache_visit(s, &job->cache, &job->scan, &pipe.visitor);
	if (!ret || pipe.status)	/* the pipe's own status first */
		ret = lx_slab_pipe_finish(&pipe);
	lx_slab_pipe_free(&pipe);
	if (pipe.status == LX_ENOMEM)
		lx_msg(s->t, LX_MSG_ERROR, "out of memory while clustering %s", job->cache.name);
	if (ret)
		goto fail;
	walked = lx_now();
	for (i = 0; i < job->scan.nslabs; i++)
		if (job->scan.slabs[i].bad)
			job->unread += job->scan.slabs[i].objects - job->scan.slabs[i].nfree;
	lx_progress(s->t, "clustering", 0, 0);
	ret = lx_cluster_finish(&job->cl);
	if (!ret)
		ret = sign_clusters(s, job);
	if (ret)
		goto fail;
	lx_progress(s->t, "clustering", 1, 1);
	report_timing(s, job, &pipe, walked - start, lx_now() - walked);
	return LX_OK;
fail:
	lx_cluster_job_free(s, job);
	return ret;
}

void lx_cluster_job_free(struct lx_session *s, struct lx_cluster_job *job)
{
	lx_free(s->t, job->misses);
	lx_cluster_free(&job->cl);
	lx_scan_free(s, &job->scan);
}

enum lx_status lx_cluster_job_check(struct lx_session *s,
				    const struct lx_cluster_job *job, unsigned int k)
{
	if (k && k <= job->cl.nclusters)
		return LX_OK;
	lx_msg(s->t, LX_MSG_ERROR, "%s has %zu clusters, not %u", job->cache.name,
	       job->cl.nclusters, k);
	return LX_EABSENT;
}
