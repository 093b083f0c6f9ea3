/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the report files (report.c, clreport.c, json.c, dump.c) and
 * to tests that look inside them.  Dependencies run one way: report.c
 * uses clreport.c and json.c, clreport.c uses json.c, json.c only the
 * kernel model.
 */
#ifndef LEAKEXT_REPORT_INTERNAL_H
#define LEAKEXT_REPORT_INTERNAL_H

#include "analysis/cluster.h"
#include "leakext/leakext.h"

/* Internal to the report files: a cache's live objects, clustered. */
struct lx_cluster_job {
	struct lx_cache cache;
	struct lx_scan scan;
	struct lx_clusterer cl;
	struct lx_ptr_range ranges[8];
	size_t nranges;
	uint64_t unread;	/* live objects on unreadable slabs */
	double hash_seconds;	/* spent in lx_cluster_add() */
	bool failed;
	bool redact;		/* previews and strings become lengths */
	/* -r: objects with no word in the direct map, by clusterer index */
	bool note_words;
	uint8_t *misses;
	size_t misses_cap;
	uint64_t words_lo, words_hi;
};

enum lx_status lx_report_find_cache(struct lx_session *s, const char *name,
				    struct lx_cache *cache);
enum lx_status lx_cluster_job_run(struct lx_session *s, const struct lx_cache *cache,
				  struct lx_cluster_job *job);
/* The same, also noting which objects hold no direct-map word (for -r). */
enum lx_status lx_cluster_job_run_noting(struct lx_session *s,
					 const struct lx_cache *cache,
					 struct lx_cluster_job *job);
/* 0 if the job has a cluster numbered k (1-based), else -1 with a message. */
enum lx_status lx_cluster_job_check(struct lx_session *s,
				    const struct lx_cluster_job *job, unsigned int k);
void lx_cluster_job_free(struct lx_session *s, struct lx_cluster_job *job);
enum lx_status lx_report_clusters(struct lx_session *s, const struct lx_options *opt,
				  struct lx_cluster_job *job);
void lx_print_cache_summary(struct lx_session *s, const struct lx_scan *scan);
/* "integrity: ok" or the problems, for people and for JSON. */
void lx_print_integrity(FILE *out, const struct lx_integrity *in);
void lx_json_integrity(FILE *out, const struct lx_integrity *in);
struct lx_cluster_desc;
void lx_json_begin(FILE *out, const struct lx_options *opt,
		   const struct lx_cluster_job *job);
void lx_json_cluster(FILE *out, const struct lx_cluster_job *job,
		     const struct lx_cluster_desc *d);
void lx_json_string(FILE *out, const char *s, size_t len);
struct lx_reach;
/* What a reachability pass could not see, as warnings; flags a cut pass. */
void lx_report_reach_limits(struct lx_session *s, const struct lx_reach *r);
void lx_json_header(FILE *out, const struct lx_options *opt);

#endif
