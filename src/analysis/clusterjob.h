/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A cache's live objects, walked once and clustered by content: what the
 * cluster report, -l/-u/-d of one cluster and the holders pass start from.
 */
#ifndef LEAKEXT_CLUSTERJOB_H
#define LEAKEXT_CLUSTERJOB_H

#include "analysis/cluster.h"
#include "slab/allocator.h"

struct lx_cluster_job {
	struct lx_cache cache;
	struct lx_scan scan;
	struct lx_clusterer cl;
	struct lx_ptr_range ranges[8];
	size_t nranges;
	uint64_t unread;	/* live objects on unreadable slabs */
	/* -r: objects with no word in the direct map, by clusterer index */
	bool note_words;
	uint8_t *misses;
	size_t misses_cap;
	uint64_t words_lo, words_hi;
};

/*
 * Walk and cluster cache.  With note_words, also note which objects hold
 * no direct-map word (the holders pass then skips them).  On LX_OK the job
 * is the caller's to lx_cluster_job_free(); otherwise nothing is left.
 */
enum lx_status lx_cluster_job_run(struct lx_session *s, const struct lx_cache *cache,
				  struct lx_cluster_job *job, bool note_words);
/* LX_OK if the job has a cluster numbered k (1-based), else a message. */
enum lx_status lx_cluster_job_check(struct lx_session *s,
				    const struct lx_cluster_job *job, unsigned int k);
void lx_cluster_job_free(struct lx_session *s, struct lx_cluster_job *job);

#endif
