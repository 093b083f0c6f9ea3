// SPDX-License-Identifier: GPL-2.0-or-later
/* A cache's live objects, walked once and clustered (clusterjob.h). */
#include <stdlib.h>
#include <string.h>

#include "analysis/clusterjob.h"
#include "analysis/describe.h"
#include "analysis/refs.h"

/* Whether the object just added holds a word that may point into the heap. */
static void note_words(struct lx_cluster_job *job, const uint8_t *obj, size_t len)
{
	size_t i = job->cl.count - 1;

	if (lx_reserve(job->cl.t, &job->misses, &job->misses_cap, i / 8 + 1, 1)) {
		job->failed = true;
		return;
	}
	if (lx_words_miss(obj, len, job->cl.word_size, job->words_lo, job->words_hi))
		lx_bit_set(job->misses, i);
}

static void add_live_objects(void *arg, const struct lx_scan *scan,
			     const struct lx_slab *slab, const uint8_t *mem)
{
	struct lx_cluster_job *job = arg;
	const struct lx_cache *c = &scan->cache;
	double start = lx_now();
	uint32_t i;

	for (i = 0; i < slab->objects && !job->failed; i++) {
		size_t off = c->red_left_pad + (size_t)i * c->size;

		if (lx_object_is_free(scan, slab, i))
			continue;
		if (lx_cluster_add(&job->cl, lx_object_addr(scan, slab, i), mem + off,
				   c->object_size))
			job->failed = true;
		else if (job->note_words)
			note_words(job, mem + off, c->object_size);
	}
	job->hash_seconds += lx_now() - start;
}

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
			  double walk, double group)
{
	if (!getenv("LEAKEXT_TIMING"))
		return;
	lx_msg(s->t, LX_MSG_INFO,
	       "timing %s: %zu objects; walk %.3f s (hashing %.3f s of it), grouping %.3f s; clustering = %.1f%% of the walk without it",
	       job->cache.name, job->cl.count, walk, job->hash_seconds, group,
	       walk - job->hash_seconds > 0 ?
	       100 * (job->hash_seconds + group) / (walk - job->hash_seconds) : 0);
}

enum lx_status lx_cluster_job_run(struct lx_session *s, const struct lx_cache *cache,
				  struct lx_cluster_job *job, bool note_words)
{
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
	start = lx_now();
	ret = lx_scan_cache_visit(s, &job->cache, &job->scan, add_live_objects, job);
	if (ret)
		goto fail;
	walked = lx_now();
	ret = LX_ENOMEM;
	if (job->failed) {
		lx_msg(s->t, LX_MSG_ERROR, "out of memory while clustering %s", job->cache.name);
		goto fail;
	}
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
	report_timing(s, job, walked - start, lx_now() - walked);
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
