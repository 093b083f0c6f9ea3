/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The report model: everything a report says, computed before a byte of it
 * is written, so that text and JSON render the same answer and a failure
 * (^C, no memory) leaves no half report behind.
 */
#ifndef LEAKEXT_REPORT_MODEL_H
#define LEAKEXT_REPORT_MODEL_H

#include "analysis/clusterjob.h"
#include "analysis/describe.h"
#include "leakext/leakext.h"

/* The cluster report of one cache (leakscan CACHE). */
struct lx_cluster_report {
	const struct lx_cluster_job *job;
	struct lx_cluster_desc *descs;	/* [first, first + n) are described */
	unsigned int first, n;
	bool redact;			/* content becomes lengths and classes */
	bool holders;			/* -r: holders and unreferenced counts */
	/* alloc tags: the cache's sites, and each described cluster's */
	struct lx_site_table cache_sites;
	struct lx_site_table *cluster_sites;	/* [n], for descs[first ..] */
	/* kmemleak: each described cluster's verdicts and stack, or NULL */
	struct lx_kml_set *kml_sets;		/* [n], for descs[first ..] */
};

/*
 * Describe the clusters opt selects (-k, -n, -a) of a finished job: content,
 * owner tracks, owner guess and, with -r, holders.  LX_EINTR, LX_ENOMEM or
 * LX_EABSENT (no such cluster) leave nothing to free.
 */
enum lx_status lx_cluster_report_build(struct lx_session *s, const struct lx_options *opt,
				       const struct lx_cluster_job *job,
				       struct lx_cluster_report *rep);
void lx_cluster_report_free(struct lx_session *s, struct lx_cluster_report *rep);

#endif
