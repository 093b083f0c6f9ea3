// SPDX-License-Identifier: GPL-2.0-or-later
/* A saved -j report as a summary for --diff (saved_summary.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakext/text.h"
#include "standalone/saved_summary.h"

bool sa_is_saved_report(const char *path)
{
	FILE *f = fopen(path, "rb");
	int c = EOF, n = 0;

	if (!f)
		return false;
	while (n++ < 4096 && (c = fgetc(f)) != EOF && (c == ' ' || c == '\t' || c == '\n' ||
						       c == '\r'))
		;
	fclose(f);
	return c == '{';
}

static void copy_label(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
	lx_sanitize(dst);
}

static bool parse_signature(const char *hex, uint64_t *value)
{
	char *end;

	errno = 0;
	*value = strtoull(hex, &end, 16);
	return !errno && end != hex && !*end;
}

static bool clusters_from_doc(const struct sa_report_doc *doc, struct lx_summary *sum)
{
	uint64_t signature;
	size_t i;

	sum->clusters = calloc(doc->nclusters ? doc->nclusters : 1, sizeof(*sum->clusters));
	if (!sum->clusters)
		return false;
	for (i = 0; i < doc->nclusters; i++) {
		const struct sa_report_cluster *c = &doc->clusters[i];
		bool sig = c->has_signature && parse_signature(c->signature, &signature);

		/* a binary cluster's saved preview is empty: its content is unknown */
		lx_summary_add_cluster(sum, sig ? &signature : NULL, c->count, c->bytes,
				       c->preview.bytes, c->is_text ? c->preview.len : 0);
	}
	sum->live = doc->live;
	sum->bytes = doc->live * doc->slot_size;
	copy_label(sum->cache, sizeof(sum->cache), doc->cache);
	return true;
}

static bool caches_from_doc(const struct sa_report_doc *doc, struct lx_summary *sum)
{
	size_t i;

	sum->caches = calloc(doc->nrows ? doc->nrows : 1, sizeof(*sum->caches));
	if (!sum->caches)
		return false;
	for (i = 0; i < doc->nrows; i++)
		if (!doc->rows[i].error && doc->rows[i].name)
			lx_summary_add_cache(sum, doc->rows[i].name, doc->rows[i].live,
					     doc->rows[i].live * doc->rows[i].slot_size);
	return true;
}

bool sa_summary_from_doc(const struct sa_report_doc *doc, const char *label,
			 struct lx_summary *sum, char *err, size_t errlen)
{
	bool ok;

	memset(sum, 0, sizeof(*sum));
	if (doc->kind == SA_DOC_ERROR) {
		snprintf(err, errlen, "the saved report says the dump could not be read");
		return false;
	}
	copy_label(sum->source, sizeof(sum->source), label);
	ok = doc->kind == SA_DOC_CLUSTERS ? clusters_from_doc(doc, sum) :
					    caches_from_doc(doc, sum);
	if (!ok || !lx_summary_normalize(sum)) {
		lx_summary_free(sum);
		snprintf(err, errlen, "out of memory");
		return false;
	}
	return true;
}

static const struct sa_report_doc *find_ranking(const struct sa_report *r)
{
	size_t i;

	for (i = 0; i < r->ndocs; i++)
		if (r->docs[i].kind == SA_DOC_RANKING)
			return &r->docs[i];
	return NULL;
}

int sa_summary_from_file(const char *path, const char *cache, struct lx_summary *sum,
			 char *err, size_t errlen)
{
	const struct sa_report_doc *doc;
	struct sa_report r;
	char why[400], label[LX_SUMMARY_SOURCE];
	int ret = -1;

	memset(sum, 0, sizeof(*sum));
	if (sa_report_read(path, &r, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s", why);
		sa_report_free(&r);
		return -1;
	}
	doc = cache ? sa_report_find(&r, NULL, cache) : find_ranking(&r);
	if (!doc) {
		snprintf(err, errlen, "the saved report has no %s%s", cache ? "report of " : "",
			 cache ? cache : "ranking");
	} else if (doc->kind == SA_DOC_CLUSTERS && doc->nclusters < doc->clusters_total) {
		snprintf(err, errlen,
			 "the saved report of %s holds %zu of its %llu clusters: save it with -a",
			 cache, doc->nclusters, (unsigned long long)doc->clusters_total);
	} else {
		snprintf(label, sizeof(label), "%s (saved in %s)", doc->source ? doc->source : "?",
			 path);
		ret = sa_summary_from_doc(doc, label, sum, err, errlen) ? 0 : -1;
	}
	sa_report_free(&r);
	return ret;
}
