// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Allocation sites from alloc tags, for people and for JSON: the
 * kernel-wide totals (--allocinfo, in /proc/allocinfo's line format) and
 * a cache's or cluster's sites by live objects.
 */
#include <string.h>

#include "report/report.h"

/* "file:line [module] func:function", as /proc/allocinfo writes a tag. */
static void site_text(const struct lx_alloc_site *site, char *buf, size_t len)
{
	if (site->module[0])
		snprintf(buf, len, "%s:%u [%s] func:%s", site->file, site->line,
			 site->module, site->function);
	else
		snprintf(buf, len, "%s:%u func:%s", site->file, site->line, site->function);
}

static size_t modules_sites(const struct lx_site_table *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->count; i++)
		n += t->rows[i].site.module[0] != '\0';
	return n;
}

static size_t rows_shown(const struct lx_options *opt, const struct lx_site_table *t)
{
	return !opt->all && opt->top && opt->top < t->count ? opt->top : t->count;
}

void lx_allocinfo_text(FILE *out, const struct lx_options *opt,
		       const struct lx_site_table *t)
{
	char where[LX_SITE_FILE_MAX + LX_SITE_FUNC_MAX + LX_SITE_MOD_MAX + 32];
	size_t i, n = rows_shown(opt, t);
	uint64_t bytes = 0;

	for (i = 0; i < t->count; i++)
		bytes += t->rows[i].bytes;
	fprintf(out, "allocinfo from the dump: %zu allocation sites (%zu in modules), %llu bytes in %llu calls, largest first",
		t->count, modules_sites(t), (unsigned long long)bytes,
		(unsigned long long)t->objects);
	if (n < t->count)
		fprintf(out, "; %zu shown, -a shows all", n);
	fputs("\n", out);
	if (t->unreadable)
		fprintf(out, "WARNING: %llu tags or their per-cpu counters could not be read; their sums are partial or missing\n",
			(unsigned long long)t->unreadable);
	fprintf(out, "%12s %8s %s\n", "<size>", "<calls>", "<tag info>");
	for (i = 0; i < n; i++) {
		site_text(&t->rows[i].site, where, sizeof(where));
		fprintf(out, "%12llu %8llu %s\n", (unsigned long long)t->rows[i].bytes,
			(unsigned long long)t->rows[i].objects, where);
	}
}

void lx_allocinfo_json(FILE *out, const struct lx_options *opt,
		       const struct lx_site_table *t)
{
	size_t i, n = rows_shown(opt, t);

	lx_json_header(out, opt);
	fprintf(out, "\"allocinfo\":{\"sites_total\":%zu,\"unreadable\":%llu,\"alloc_sites\":[",
		t->count, (unsigned long long)t->unreadable);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		lx_json_site(out, &t->rows[i], "calls");
	}
	fputs("]}}\n", out);
}

/* The cache's sites by live objects, after its clusters. */
void lx_site_table_text(FILE *out, const char *cache, const struct lx_site_table *t)
{
	char where[LX_SITE_FILE_MAX + LX_SITE_FUNC_MAX + LX_SITE_MOD_MAX + 32];
	size_t i;

	if (!t->present)
		return;
	fprintf(out, "\nALLOCATION SITES of %s's %llu live objects (alloc tags, every object):\n",
		cache, (unsigned long long)t->objects);
	fprintf(out, "%10s %12s %s\n", "<objects>", "<bytes>", "<tag info>");
	for (i = 0; i < t->count; i++) {
		site_text(&t->rows[i].site, where, sizeof(where));
		fprintf(out, "%10llu %12llu %s\n", (unsigned long long)t->rows[i].objects,
			(unsigned long long)t->rows[i].bytes, where);
	}
	if (t->untagged)
		fprintf(out, "%10llu %12s (no alloc tag: no vector, a cleared reference, or one outside every tag range)\n",
			(unsigned long long)t->untagged, "");
}
