// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The saved-report reader and --merge on arbitrary bytes.  The input is
 * the text of one report; the first byte picks JSON or text output and
 * whether the same text is merged as a second report too.  Oracles: no
 * crash or leak (ASan), every message (file:line problems, duplicates)
 * terminal-safe, the model within its bounds, and the merge's output
 * valid JSON Lines of valid UTF-8, or terminal-safe text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "standalone/merge.h"
#include "standalone/report_reader.h"

static void check_model(const struct sa_report *r)
{
	size_t i;

	if (r->ndocs > SA_REPORT_MAX_DOCS || r->nproblems > SA_REPORT_PROBLEMS ||
	    r->nproblems > r->unusable || r->ndocs + r->unusable != r->lines)
		fz_fail("report model", "counts out of bounds", 0);
	for (i = 0; i < r->nproblems; i++)
		if (!fz_text_is_safe(r->problems[i], strlen(r->problems[i])))
			fz_fail("problem message", r->problems[i], strlen(r->problems[i]));
	for (i = 0; i < r->ndocs; i++) {
		const struct sa_report_doc *d = &r->docs[i];
		size_t k;

		if (d->nclusters > SA_REPORT_MAX_CLUSTERS)
			fz_fail("report model", "too many clusters", 0);
		for (k = 0; k < d->nclusters; k++)
			if (d->clusters[k].preview.len > SA_REPORT_TEXT_MAX ||
			    d->clusters[k].nstrings > SA_REPORT_STRINGS)
				fz_fail("report model", "a cluster over its bounds", 0);
	}
}

static void merge_and_check(struct sa_report *reports, size_t n, bool json)
{
	struct sa_merge_options opt = { .json = json, .top = 0 };
	char *out = NULL, *msgs = NULL;
	size_t outlen = 0, msgslen = 0;
	FILE *fout = open_memstream(&out, &outlen);
	FILE *fmsgs = open_memstream(&msgs, &msgslen);

	if (!fout || !fmsgs)
		abort();
	sa_merge_reports(reports, n, &opt, fout, fmsgs);
	fclose(fout);
	fclose(fmsgs);
	fz_check_report(out, outlen, msgs, json);
	free(out);
	free(msgs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sa_report reports[2];
	char err[512] = "";
	uint8_t mode;
	size_t n;

	if (!size)
		return 0;
	mode = data[0];
	n = mode & 2 ? 2 : 1;
	sa_report_parse((const char *)data + 1, size - 1, "fuzz.jsonl", &reports[0], err,
			sizeof(err));
	check_model(&reports[0]);
	if (!fz_text_is_safe(err, strnlen(err, sizeof(err))))
		fz_fail("error message", err, strnlen(err, sizeof(err)));
	if (n == 2)
		sa_report_parse((const char *)data + 1, size - 1, "again.jsonl", &reports[1], err,
				sizeof(err));
	merge_and_check(reports, n, mode & 1);
	sa_report_free(&reports[0]);
	if (n == 2)
		sa_report_free(&reports[1]);
	return 0;
}
