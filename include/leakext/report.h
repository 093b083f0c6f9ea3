/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LEAKEXT_REPORT_H
#define LEAKEXT_REPORT_H

#include "leakext/cluster.h"
#include "leakext/slub.h"

#define LX_JSON_SCHEMA "leakext/1"
#define LX_DEFAULT_TOP 5
#define LX_DUMP_ALL 0xffffffffu	/* -c 0 */

/* How the ranking is ordered (-s), as slabtop's sort keys. */
enum lx_sort {
	LX_SORT_BYTES,		/* live bytes, largest first (default) */
	LX_SORT_LIVE,		/* live objects */
	LX_SORT_TOTAL,		/* all objects */
	LX_SORT_SLABS,		/* slabs */
	LX_SORT_SIZE,		/* object size */
	LX_SORT_NAME,		/* name, A to Z */
};

struct lx_options {
	const char *cache;	/* NULL: rank every cache */
	bool list_live;		/* -l: live object addresses, one per line */
	bool json;		/* -j: one JSON document */
	bool all;		/* -a: every cluster (ranking: every cache) */
	unsigned int top;	/* -n: clusters (ranking: caches) shown, 0 = default */
	enum lx_sort sort;	/* -s: ranking order */
	bool redact;		/* --redact / -R: no object content in the report */
	unsigned int cluster;	/* -k: only this cluster (1-based, 0 = all) */
	/* leakdump */
	unsigned int count;	/* -c: objects dumped (0 = default) */
	unsigned int bytes;	/* -b: bytes per object (0 = object size) */
	const char *type;	/* -s: print as this struct type */
	const char *source;	/* dump label: "crash" or the vmcore path */
};

/*
 * The leakscan command, shared by the crash extension and the program.
 * LX_OK also for a flagged result (s->flagged says so).
 */
enum lx_status lx_leakscan(struct lx_session *s, const struct lx_options *opt);
/* -s FIELD: bytes, live, total, slabs, size or name; false if unknown. */
bool lx_parse_sort(const char *text, enum lx_sort *sort);
#define LX_SORT_FIELDS "bytes, live, total, slabs, size, name"
/* The leakdump command. */
enum lx_status lx_leakdump(struct lx_session *s, const struct lx_options *opt);

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
};

enum lx_status lx_report_find_cache(struct lx_session *s, const char *name,
				    struct lx_cache *cache);
enum lx_status lx_cluster_job_run(struct lx_session *s, const struct lx_cache *cache,
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
void lx_count_by_source(const struct lx_scan *scan, uint64_t *objs, uint64_t *live);
const char *lx_freeptr_mode_name(enum lx_freeptr_mode mode);
struct lx_cluster_desc;
void lx_json_begin(FILE *out, const struct lx_options *opt,
		   const struct lx_cluster_job *job);
void lx_json_cluster(FILE *out, const struct lx_cluster_job *job,
		     const struct lx_cluster_desc *d);
void lx_json_string(FILE *out, const char *s, size_t len);

#endif
