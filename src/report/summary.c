// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Summaries (leakext/summary.h): a finished clustering or ranking reduced
 * to counts by signature or by cache name.  They outlive the session, so
 * their memory is malloc()'s, not the target's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report.h"

void lx_summary_free(struct lx_summary *sum)
{
	free(sum->clusters);
	free(sum->caches);
	sum->clusters = NULL;
	sum->caches = NULL;
	sum->nclusters = sum->ncaches = 0;
}

static int cluster_cmp(const void *a, const void *b)
{
	const struct lx_summary_cluster *x = a, *y = b;

	if (x->signature != y->signature)
		return x->signature < y->signature ? -1 : 1;
	return x->count > y->count ? -1 : x->count < y->count;	/* the larger's head */
}

static int cache_cmp(const void *a, const void *b)
{
	const struct lx_summary_cache *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Equal signatures summed into the first (the largest, which keeps its head). */
static void merge_signatures(struct lx_summary *sum)
{
	size_t i, n = 0;

	for (i = 0; i < sum->nclusters; i++) {
		if (n && sum->clusters[n - 1].signature == sum->clusters[i].signature) {
			sum->clusters[n - 1].count += sum->clusters[i].count;
			sum->clusters[n - 1].bytes += sum->clusters[i].bytes;
			continue;
		}
		sum->clusters[n++] = sum->clusters[i];
	}
	sum->nclusters = n;
}

bool lx_summary_normalize(struct lx_summary *sum)
{
	size_t i, n = 0;

	if (sum->nclusters)	/* a ranking's summary has no array */
		qsort(sum->clusters, sum->nclusters, sizeof(*sum->clusters), cluster_cmp);
	merge_signatures(sum);
	if (sum->ncaches)
		qsort(sum->caches, sum->ncaches, sizeof(*sum->caches), cache_cmp);
	/* a name twice (a damaged list read twice): the larger counts */
	for (i = 0; i < sum->ncaches; i++) {
		struct lx_summary_cache *last = n ? &sum->caches[n - 1] : NULL;

		if (!last || strcmp(last->name, sum->caches[i].name))
			sum->caches[n++] = sum->caches[i];
		else if (sum->caches[i].live > last->live)
			*last = sum->caches[i];
	}
	sum->ncaches = n;
	return true;
}

const struct lx_summary_cluster *lx_summary_find(const struct lx_summary *sum,
						 uint64_t signature)
{
	size_t lo = 0, hi = sum->nclusters;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sum->clusters[mid].signature < signature)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sum->nclusters && sum->clusters[lo].signature == signature ?
	       &sum->clusters[lo] : NULL;
}

const struct lx_summary_cache *lx_summary_find_cache(const struct lx_summary *sum,
						     const char *name)
{
	struct lx_summary_cache key;

	if (!sum->ncaches)
		return NULL;
	snprintf(key.name, sizeof(key.name), "%s", name);
	return bsearch(&key, sum->caches, sum->ncaches, sizeof(key), cache_cmp);
}

static void set_label(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
	lx_sanitize(dst);
}

static void summary_start(struct lx_summary *sum, const struct lx_options *opt,
			  const char *cache)
{
	memset(sum, 0, sizeof(*sum));
	set_label(sum->source, sizeof(sum->source), opt->source);
	set_label(sum->cache, sizeof(sum->cache), cache);
	sum->when = lx_now();
	sum->wall = (double)time(NULL);
}

void lx_summary_add_cluster(struct lx_summary *sum, const uint64_t *signature,
			    uint64_t count, uint64_t bytes, const uint8_t *head,
			    size_t head_len)
{
	struct lx_summary_cluster *c = &sum->clusters[sum->nclusters];

	if (!signature) {
		sum->unsigned_count += count;
		return;
	}
	c->signature = *signature;
	c->count = count;
	c->bytes = bytes;
	c->head_len = head_len < sizeof(c->head) ? head_len : sizeof(c->head);
	if (c->head_len)
		memcpy(c->head, head, c->head_len);
	sum->nclusters++;
}

void lx_summary_add_cache(struct lx_summary *sum, const char *name, uint64_t live,
			  uint64_t bytes)
{
	struct lx_summary_cache *c = &sum->caches[sum->ncaches++];

	set_label(c->name, sizeof(c->name), name);
	c->live = live;
	c->bytes = bytes;
	sum->live += live;
	sum->bytes += bytes;
}

bool lx_summary_from_job(struct lx_summary *sum, const struct lx_options *opt,
			 const struct lx_cluster_job *job)
{
	const struct lx_clusterer *cl = &job->cl;
	size_t i;

	summary_start(sum, opt, job->cache.name);
	sum->live = job->scan.live;
	sum->bytes = job->scan.live * job->cache.size;
	sum->clusters = calloc(cl->nclusters ? cl->nclusters : 1, sizeof(*sum->clusters));
	if (!sum->clusters)
		return false;
	for (i = 0; i < cl->nclusters; i++) {
		const struct lx_cluster *c = &cl->clusters[i];

		lx_summary_add_cluster(sum, c->has_signature ? &c->signature : NULL, c->count,
				       c->count * job->cache.size, c->head,
				       opt->redact ? 0 : c->head_len);
	}
	return lx_summary_normalize(sum);
}

bool lx_summary_from_ranking(struct lx_summary *sum, const struct lx_options *opt,
			     const struct lx_ranking *r)
{
	size_t i;

	summary_start(sum, opt, NULL);
	sum->caches = calloc(r->count ? r->count : 1, sizeof(*sum->caches));
	if (!sum->caches)
		return false;
	for (i = 0; i < r->count; i++)
		if (!r->rows[i].status)
			lx_summary_add_cache(sum, r->rows[i].cache.name, r->rows[i].live,
					     r->rows[i].live * r->rows[i].cache.size);
	return lx_summary_normalize(sum);
}
