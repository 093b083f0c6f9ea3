/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * leakscan --merge: saved -j reports of many vmcores, their clusters
 * grouped by cache and signature: per group its description, in how many
 * vmcores it appears (of those whose reports cover its cache), objects and
 * bytes in all, and the largest single dump; largest first.  A cluster
 * without a signature (a report older than signatures) is grouped by its
 * kind and preview instead, and says so.
 */
#ifndef LEAKEXT_SA_MERGE_H
#define LEAKEXT_SA_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "standalone/report_reader.h"

struct sa_merge_options {
	bool json;		/* JSON Lines, kind "merge" (README) */
	size_t top;		/* groups shown; 0: all */
};

/* What sa_merge() answers: the program's exit status. */
enum sa_merge_status {
	SA_MERGE_OK = 0,	/* every line of every report was used */
	SA_MERGE_NONE = 1,	/* no report could be read */
	SA_MERGE_PARTIAL = 4,	/* merged, but some file or line was unusable */
};

/*
 * Merge the reports reports[0..n) already read (sa_report_read(); a
 * report with no document counts as unreadable) onto out; the duplicates
 * left out are named on msgs.
 */
enum sa_merge_status sa_merge_reports(const struct sa_report *reports, size_t n,
				      const struct sa_merge_options *opt, FILE *out,
				      FILE *msgs);
/* Read each path, name its unusable lines on msgs, then merge. */
enum sa_merge_status sa_merge_files(char *const *paths, size_t n,
				    const struct sa_merge_options *opt, FILE *out, FILE *msgs);

#endif
