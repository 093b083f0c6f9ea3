/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A report reduced to what growth compares (issue 25): one source's
 * clusters of one cache by content signature, or its caches by name.  It
 * is plain data that outlives the session it came from, so a front end
 * can keep one per dump (--diff) or per scan (--watch), and a reader of a
 * saved -j report can fill one too.  Memory is malloc()'s, freed by
 * lx_summary_free().
 */
#ifndef LEAKEXT_SUMMARY_H
#define LEAKEXT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "leakext/leakext.h"

#define LX_SUMMARY_HEAD 32	/* first bytes of a member, for a label */
#define LX_SUMMARY_NAME 64	/* = LX_NAME_MAX */
#define LX_SUMMARY_SOURCE 256

/* Clusters of one signature (one dump may cut one kind into several). */
struct lx_summary_cluster {
	uint64_t signature;
	uint64_t count;		/* live objects */
	uint64_t bytes;		/* at the cache's slot size */
	uint8_t head[LX_SUMMARY_HEAD];	/* dump bytes: escape before showing */
	uint8_t head_len;	/* 0: no content (redacted, or unknown) */
};

struct lx_summary_cache {
	char name[LX_SUMMARY_NAME];	/* sanitized */
	uint64_t live, bytes;	/* live objects, at the slot size */
};

struct lx_summary {
	char source[LX_SUMMARY_SOURCE];	/* the dump's label */
	char cache[LX_SUMMARY_NAME];	/* "": every cache (caches[]) */
	uint64_t live, bytes;		/* the cache's, or all caches' */
	double when;			/* seconds (lx_now()) the scan ended */
	double wall;			/* the same, since the epoch */
	/* sorted by signature, one entry each */
	struct lx_summary_cluster *clusters;
	size_t nclusters;
	uint64_t unsigned_count;	/* members of clusters with no signature */
	/* sorted by name */
	struct lx_summary_cache *caches;
	size_t ncaches;
};

void lx_summary_free(struct lx_summary *sum);
/*
 * Fill in a summary, into arrays the caller sized (calloc): a cluster (no
 * signature: counted in unsigned_count, no entry; head: its first bytes,
 * cut to LX_SUMMARY_HEAD), or a cache (the name sanitized).  Then
 * lx_summary_normalize().
 */
void lx_summary_add_cluster(struct lx_summary *sum, const uint64_t *signature,
			    uint64_t count, uint64_t bytes, const uint8_t *head,
			    size_t head_len);
void lx_summary_add_cache(struct lx_summary *sum, const char *name, uint64_t live,
			  uint64_t bytes);
/*
 * Sort and merge what a reader filled in any order: clusters by signature
 * (equal ones summed), caches by name.  false: no memory.
 */
bool lx_summary_normalize(struct lx_summary *sum);
/* The cluster of signature, or NULL. */
const struct lx_summary_cluster *lx_summary_find(const struct lx_summary *sum,
						 uint64_t signature);
const struct lx_summary_cache *lx_summary_find_cache(const struct lx_summary *sum,
						     const char *name);

/*
 * Two summaries matched: each pair names an entry of old and of new by
 * index, or -1 where it is absent (appeared: old -1; vanished: new -1).
 */
struct lx_match {
	long old, new;
};

struct lx_matching {
	struct lx_match *pairs;
	size_t n;
	size_t matched, appeared, vanished;
};

/* Clusters by signature, or (ranking summaries) caches by name.  false: no memory. */
bool lx_match_clusters(const struct lx_summary *old, const struct lx_summary *new,
		       struct lx_matching *m);
bool lx_match_caches(const struct lx_summary *old, const struct lx_summary *new,
		     struct lx_matching *m);
void lx_matching_free(struct lx_matching *m);

/*
 * Run the analysis opt describes (a ranking without opt->cache, a cluster
 * report's clustering with it) against t and keep its summary in *sum,
 * which the caller lx_summary_free()s.  Messages and res as lx_run().
 */
enum lx_status lx_summarize(struct lx_target *t, const struct lx_options *opt,
			    struct lx_summary *sum, struct lx_result *res);

/* --diff OLD NEW: matched, appeared, vanished; for people or one JSON document. */
bool lx_diff_text(FILE *out, const struct lx_options *opt, const struct lx_summary *old,
		  const struct lx_summary *new);
bool lx_diff_json(FILE *out, const struct lx_options *opt, const struct lx_summary *old,
		  const struct lx_summary *new);

/*
 * --watch: scans[0..n) of one source, oldest first; the last is now.
 * Growth per minute over the scans kept; one JSON document per scan.
 */
bool lx_watch_text(FILE *out, const struct lx_options *opt,
		   const struct lx_summary *const *scans, size_t n, unsigned int number);
bool lx_watch_json(FILE *out, const struct lx_options *opt,
		   const struct lx_summary *const *scans, size_t n, unsigned int number);

#endif
