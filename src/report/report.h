/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The report layer: it renders models the analysis finished (model.h) and
 * never runs an analysis itself.  The command layer (src/command/) calls it;
 * inside it, ranking.c, clusters.c, referrers.c and dump.c use json.c and
 * text, and json.c uses nothing else of the layer.
 */
#ifndef LEAKEXT_REPORT_H
#define LEAKEXT_REPORT_H

#include "analysis/allocsites.h"
#include "analysis/largealloc.h"
#include "analysis/refs.h"
#include "analysis/kmemleak_sets.h"
#include "report/model.h"
#include "leakext/summary.h"

/* ranking.c: every cache's counts (leakscan with no cache). */
struct lx_ranking_row {
	struct lx_cache cache;
	uint64_t live, total, slabs, slab_bytes;
	enum lx_status status;	/* not LX_OK: no counts */
	struct lx_integrity integrity;
};

struct lx_ranking {
	struct lx_ranking_row *rows;
	size_t count, cap;
	uint64_t all_slab_bytes;
	bool complete;		/* the whole slab_caches list was read */
	size_t flagged;		/* rows whose integrity failed */
	size_t moving;		/* rows of a live kernel that moved in every walk */
	/* large kmalloc allocations (no cache), when the kernel can tell them */
	uint64_t large_count, large_bytes;
	int addr_digits;	/* lx_addr_digits() of the kernel */
};

/*
 * Walk every cache on slab_caches and sort the rows as opt->sort says.
 * LX_OK also when the list was cut short (r->complete says so); LX_EINTR
 * and LX_ENOMEM leave nothing to free.
 */
enum lx_status lx_ranking_build(struct lx_session *s, const struct lx_options *opt,
				struct lx_ranking *r);
void lx_ranking_free(struct lx_session *s, struct lx_ranking *r);
void lx_ranking_text(FILE *out, const struct lx_options *opt, const struct lx_ranking *r);
void lx_ranking_json(FILE *out, const struct lx_options *opt, const struct lx_ranking *r);

/* clusters.c: the cache's walk, then its clusters, for people. */
void lx_print_cache_summary(FILE *out, const struct lx_scan *scan, int addr_digits);
void lx_cluster_report_text(FILE *out, const struct lx_cluster_report *rep);
/* "integrity: ok" or the problems, for people and for JSON. */
void lx_print_integrity(FILE *out, const struct lx_integrity *in);

/* summary.c: a finished job's or ranking's summary (leakext/summary.h). */
bool lx_summary_from_job(struct lx_summary *sum, const struct lx_options *opt,
			 const struct lx_cluster_job *job);
bool lx_summary_from_ranking(struct lx_summary *sum, const struct lx_options *opt,
			     const struct lx_ranking *r);

/* allocsites.c: alloc tags' sites, kernel-wide (--allocinfo) and per cache. */
void lx_allocinfo_text(FILE *out, const struct lx_options *opt,
		       const struct lx_site_table *t);
void lx_allocinfo_json(FILE *out, const struct lx_options *opt,
		       const struct lx_site_table *t);
void lx_site_table_text(FILE *out, const char *cache, const struct lx_site_table *t);

/* largealloc.c: large kmalloc allocations (--large) and the ranking's line. */
void lx_large_text(struct lx_session *s, FILE *out, const struct lx_options *opt,
		   const struct lx_large_result *r);
void lx_large_json(struct lx_session *s, FILE *out, const struct lx_options *opt,
		   const struct lx_large_result *r);
void lx_large_ranking_line(FILE *out, int addr_digits, uint64_t count, uint64_t bytes);

/* json.c */
/* "alloc_tags":..,"untagged":..,"alloc_sites":[...] (no braces around). */
void lx_json_alloc_sites(FILE *out, const struct lx_site_table *t);
void lx_json_site(FILE *out, const struct lx_site_count *row, const char *count_key);
void lx_cluster_report_json(FILE *out, const struct lx_options *opt,
			    const struct lx_cluster_report *rep);
void lx_json_integrity(FILE *out, const struct lx_integrity *in);
void lx_json_string(FILE *out, const char *s, size_t len);
/* A cluster's content signature as 16 hex digits, or "unknown". */
#define LX_SIGNATURE_TEXT 17
char *lx_signature_text(const struct lx_cluster *c, char buf[LX_SIGNATURE_TEXT]);
/* The schema, the dump's label, types and symbols; ends after a ','. */
void lx_json_header(FILE *out, const struct lx_options *opt);

/* referrers.c: leakrefs ADDR and leakscan -u over a finished pass. */
void lx_print_refs(struct lx_session *s, const struct lx_reach *r, uint64_t addr);
struct lx_unreferenced {
	uint64_t members, unreferenced;
	/* kmemleak's records (NULL or !present: none): its verdict per object */
	const struct lx_kmemleak *kml;
	const struct lx_depot *depot;	/* its stacks, for each one's site */
	struct lx_session *s;		/* whose depot and symbols those are */
	uint64_t verdicts[LX_KML_VERDICTS];	/* of the unreferenced ones */
	uint64_t reported_reached;	/* kmemleak reported it; a root reaches it */
};
/* Print the unreferenced live objects of a cache, or of one cluster. */
void lx_print_unreferenced_cache(FILE *out, const struct lx_reach *r, uint64_t cache,
				 struct lx_unreferenced *u);
void lx_print_unreferenced_cluster(FILE *out, const struct lx_reach *r,
				   const struct lx_clusterer *cl, uint32_t cluster,
				   struct lx_unreferenced *u);
/* The summary line -u ends with, as a note. */
void lx_note_unreferenced(struct lx_session *s, const struct lx_reach *r,
			  const struct lx_unreferenced *u);

/* A live object's address, one per line (-l); for the member walks. */
bool lx_print_address(void *out, uint64_t addr);

/* dump.c: leakdump, over the objects a walk or a cluster lists. */
struct lx_dump;
struct lx_dump *lx_dump_begin(struct lx_session *s, const struct lx_options *opt,
			      const struct lx_cache *cache, uint64_t total);
/* Show one object; false once the count is reached, on ^C or a failure. */
bool lx_dump_object(void *dump, uint64_t addr);
/* The closing line; LX_EABSENT if the -s type was unknown.  Frees dump. */
enum lx_status lx_dump_end(struct lx_dump *dump);

#endif
