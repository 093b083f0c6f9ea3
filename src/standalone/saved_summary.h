/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A saved leakscan -j report as a source of --diff: the document of one
 * cache (or a ranking) read back by the report reader, reduced to the
 * summary (leakext/summary.h) a dump's analysis gives.
 */
#ifndef LEAKEXT_SA_SAVED_SUMMARY_H
#define LEAKEXT_SA_SAVED_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "leakext/summary.h"
#include "standalone/report_reader.h"

/* Does path hold JSON (its first byte but blanks is '{'), not a dump? */
bool sa_is_saved_report(const char *path);
/*
 * The summary of doc (a cluster report or a ranking), labelled with label;
 * false with err when it has none to give (an error document, no memory).
 * Clusters the report left out (saved without -a) are not in it.
 */
bool sa_summary_from_doc(const struct sa_report_doc *doc, const char *label,
			 struct lx_summary *sum, char *err, size_t errlen);
/*
 * The summary of cache's report (NULL: of the ranking) in the saved report
 * at path: its first such document.  -1 with err when there is none.
 */
int sa_summary_from_file(const char *path, const char *cache, struct lx_summary *sum,
			 char *err, size_t errlen);

#endif
