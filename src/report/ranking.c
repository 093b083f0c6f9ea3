// SPDX-License-Identifier: GPL-2.0-or-later
/* The cache ranking (its model and both renderings) and a cache's summary. */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static bool rank_one(struct lx_session *s, const struct lx_cache *c, void *arg)
{
	struct lx_ranking *r = arg;
	struct lx_ranking_row *row;
	struct lx_scan scan;

	if (lx_reserve(s->t, &r->rows, &r->cap, r->count + 1, sizeof(*row)))
		return false;
	row = &r->rows[r->count++];
	memset(row, 0, sizeof(*row));
	row->cache = *c;
	row->status = lx_scan_cache(s, c, &scan);
	if (row->status)
		return row->status != LX_EINTR && row->status != LX_ENOMEM;
	row->integrity = scan.integrity;
	r->flagged += lx_integrity_flagged(&scan.integrity);
	r->moving += scan.integrity.moving;
	row->live = scan.live;
	row->total = scan.total;
	row->slabs = scan.nslabs;
	row->slab_bytes = scan.slab_bytes;
	r->all_slab_bytes += scan.slab_bytes;
	lx_scan_free(s, &scan);
	lx_progress(s->t, "caches", r->count, 0);
	return true;
}

static const char *const sort_names[] = {
	[LX_SORT_BYTES] = "bytes", [LX_SORT_LIVE] = "live", [LX_SORT_TOTAL] = "total",
	[LX_SORT_SLABS] = "slabs", [LX_SORT_SIZE] = "size", [LX_SORT_NAME] = "name",
};

bool lx_parse_sort(const char *text, enum lx_sort *sort)
{
	size_t i;

	for (i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++) {
		if (!strcmp(text, sort_names[i])) {
			*sort = i;
			return true;
		}
	}
	return false;
}

/* The row's value for a numeric sort key; failed rows sort last. */
static uint64_t row_key(const struct lx_ranking_row *row, enum lx_sort sort)
{
	if (row->status)
		return 0;
	switch (sort) {
	case LX_SORT_LIVE:
		return row->live;
	case LX_SORT_TOTAL:
		return row->total;
	case LX_SORT_SLABS:
		return row->slabs;
	case LX_SORT_SIZE:
		return row->cache.object_size;
	default:
		return row->live * row->cache.size;
	}
}

static enum lx_sort row_sort;	/* qsort() has no argument for it */

static int row_cmp(const void *a, const void *b)
{
	const struct lx_ranking_row *x = a, *y = b;
	uint64_t kx = row_key(x, row_sort), ky = row_key(y, row_sort);

	if (row_sort != LX_SORT_NAME && kx != ky)
		return kx > ky ? -1 : 1;
	return strcmp(x->cache.name, y->cache.name);
}

/* Rows a text ranking shows: -n N of them; without -a, none with 0 live. */
static bool row_shown(const struct lx_options *opt, const struct lx_ranking_row *row,
		      size_t shown)
{
	if (opt->top && shown >= opt->top)
		return false;
	return opt->all || row->status || row->live ||
	       !lx_integrity_ok(&row->integrity);
}

static void print_row(FILE *out, const struct lx_ranking *r, const struct lx_ranking_row *row)
{
	double mib = (double)row->live * row->cache.size / (1 << 20);
	double share = r->all_slab_bytes ? 100.0 * row->slab_bytes / r->all_slab_bytes : 0;

	if (row->status) {
		fprintf(out, "%0*llx  %7u  %9s  %9s  %6s  %8s  %6s  %s\n",
			r->addr_digits, (unsigned long long)row->cache.addr, row->cache.object_size,
			"?", "?", "?", "?", "?", row->cache.name);
		return;
	}
	fprintf(out, "%0*llx  %7u  %9llu  %9llu  %6llu  %8.2f  %5.1f%%  %s%s\n",
		r->addr_digits, (unsigned long long)row->cache.addr, row->cache.object_size,
		(unsigned long long)row->live, (unsigned long long)row->total,
		(unsigned long long)row->slabs, mib, share, row->cache.name,
		row->integrity.moving ? " (~)" : lx_integrity_ok(&row->integrity) ? "" : " (!)");
}

void lx_ranking_text(FILE *out, const struct lx_options *opt, const struct lx_ranking *r)
{
	size_t i, shown = 0;

	fprintf(out, "%-*s  %7s  %9s  %9s  %6s  %8s  %6s  %s\n", r->addr_digits, "CACHE",
		"OBJSIZE", "LIVE", "TOTAL", "SLABS", "LIVE MiB", "SHARE", "NAME");
	for (i = 0; i < r->count; i++) {
		if (!row_shown(opt, &r->rows[i], shown))
			continue;
		print_row(out, r, &r->rows[i]);
		shown++;
	}
	if (r->large_count)
		lx_large_ranking_line(out, r->addr_digits, r->large_count, r->large_bytes);
	fprintf(out, "\n%zu of %zu caches shown", shown, r->count);
	if (opt->top && shown == opt->top && shown < r->count)
		fprintf(out, " (-n %u)", opt->top);
	else if (shown < r->count)
		fputs(" (-a shows those with no live objects)", out);
	fprintf(out, "; slab memory in all caches: %.2f MiB\n",
		(double)r->all_slab_bytes / (1 << 20));
	fputs("LIVE MiB: live objects at their slot size; SHARE: the cache's share of all slab memory\n",
	      out);
	if (r->flagged)
		fprintf(out, "(!) %zu caches: the dump contradicts itself there and counts may be wrong;\n"
			"    \"leakscan CACHE\" lists the problems\n", r->flagged);
	if (r->moving)
		fprintf(out, "(~) %zu caches: moving, the running kernel changed them under the walker\n"
			"    until its last walk; their counts are within the churn\n", r->moving);
	if (!r->complete)
		fputs("INCOMPLETE: the slab_caches list was cut short; caches after the cut are missing\n",
		      out);
}

void lx_ranking_json(FILE *out, const struct lx_options *opt, const struct lx_ranking *r)
{
	size_t i, n = opt->top && opt->top < r->count ? opt->top : r->count;

	lx_json_header(out, opt);
	fprintf(out, "\"slab_bytes\":%llu,\"caches_total\":%zu,\"caches\":[",
		(unsigned long long)r->all_slab_bytes, r->count);
	for (i = 0; i < n; i++) {
		const struct lx_ranking_row *row = &r->rows[i];

		fprintf(out, "%s{\"name\":", i ? "," : "");
		lx_json_string(out, row->cache.name, sizeof(row->cache.name));
		fprintf(out, ",\"address\":\"0x%llx\",\"object_size\":%u,\"slot_size\":%u",
			(unsigned long long)row->cache.addr, row->cache.object_size,
			row->cache.size);
		if (row->status) {
			fputs(",\"error\":true,\"reason\":", out);
			lx_json_string(out, lx_status_text(row->status), 128);
			fputc('}', out);
			continue;
		}
		fprintf(out, ",\"live\":%llu,\"objects\":%llu,\"slabs\":%llu,\"slab_bytes\":%llu,",
			(unsigned long long)row->live, (unsigned long long)row->total,
			(unsigned long long)row->slabs,
			(unsigned long long)row->slab_bytes);
		lx_json_integrity(out, &row->integrity);
		fputc('}', out);
	}
	fputc(']', out);
	if (r->large_count)
		fprintf(out, ",\"large_allocs\":{\"count\":%llu,\"bytes\":%llu}",
			(unsigned long long)r->large_count, (unsigned long long)r->large_bytes);
	fprintf(out, ",\"complete\":%s}\n", r->complete ? "true" : "false");
}

enum lx_status lx_ranking_build(struct lx_session *s, const struct lx_options *opt,
				struct lx_ranking *r)
{
	enum lx_status ret;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->addr_digits = lx_addr_digits(s->t);
	ret = lx_for_each_cache(s, rank_one, r);
	r->complete = ret == LX_OK;
	for (i = 0; i < r->count && ret == LX_OK; i++)
		if (r->rows[i].status == LX_EINTR || r->rows[i].status == LX_ENOMEM)
			ret = r->rows[i].status;
	if (ret == LX_EINTR || ret == LX_ENOMEM) {
		lx_ranking_free(s, r);
		return ret;
	}
	lx_progress(s->t, "caches", r->count, r->count);
	row_sort = opt->sort;
	if (r->count)
		qsort(r->rows, r->count, sizeof(*r->rows), row_cmp);
	return LX_OK;	/* a cut list is flagged in the report, not an error */
}

void lx_ranking_free(struct lx_session *s, struct lx_ranking *r)
{
	lx_free(s->t, r->rows);
	r->rows = NULL;
}

void lx_print_cache_summary(FILE *out, const struct lx_scan *scan, int addr_digits)
{
	uint64_t objs[LX_SRC_COUNT], live[LX_SRC_COUNT];
	const struct lx_cache *c = &scan->cache;
	int i, src;

	lx_count_by_source(scan, objs, live);
	fprintf(out, "%-*s  %7s  %7s  %9s  %5s  %s\n", addr_digits, "CACHE", "OBJSIZE",
		"SIZE", "OBJS/SLAB", "ORDER", "NAME");
	fprintf(out, "%0*llx  %7u  %7u  %9u  %5u  %s\n\n", addr_digits,
		(unsigned long long)c->addr, c->object_size, c->size, c->oo_objects, c->oo_order, c->name);
	fprintf(out, "%-24s  %7s  %9s  %9s  %9s\n", "SLABS FOUND ON", "SLABS", "OBJECTS",
		"LIVE", "FREE");
	for (i = 0; i < LX_SRC_COUNT; i++) {
		src = lx_source_order[i];
		if (!(scan->sources_shown & LX_SRC_BIT(src)))
			continue;
		fprintf(out, "%-24s  %7llu  %9llu  %9llu  %9llu\n", lx_source_names[src],
			(unsigned long long)scan->by_source[src],
			(unsigned long long)objs[src], (unsigned long long)live[src],
			(unsigned long long)(objs[src] - live[src]));
	}
	fprintf(out, "%-24s  %7zu  %9llu  %9llu  %9llu\n\n", "total", scan->nslabs,
		(unsigned long long)scan->total, (unsigned long long)scan->live,
		(unsigned long long)scan->free);
	fprintf(out, "free pointers: %s\n", lx_freeptr_mode_name(scan->fp_mode));
	if (scan->sheaf_free)
		fprintf(out, "free in sheaves: %llu of the free objects are held in per-cpu or barn sheaves\n",
			(unsigned long long)scan->sheaf_free);
	if (scan->array_free)
		fprintf(out, "free in array caches: %llu of the free objects are held in per-cpu, shared or alien array caches\n",
			(unsigned long long)scan->array_free);
	if (scan->used_memmap)
		fprintf(out, "memory map scanned: %llu slabs no list tracks\n",
			(unsigned long long)(scan->by_source[LX_SRC_MEMMAP] +
					     scan->by_source[LX_SRC_UNLISTED]));
	else
		fputs("memory map not scanned\n", out);
	if (scan->bad_slabs || scan->bad_lists)
		fprintf(out, "WARNING: %u bad slabs, %u broken lists: counts are partial\n",
			scan->bad_slabs, scan->bad_lists);
	lx_print_integrity(out, &scan->integrity);
}

void lx_print_integrity(FILE *out, const struct lx_integrity *in)
{
	int k;

	if (lx_integrity_ok(in)) {
		fputs("integrity: ok (lists, counters, freelists and memory map agree)\n", out);
		return;
	}
	if (in->moving)
		fprintf(out, "MOVING: the running kernel changed this cache under the walker: still inconsistent after %u walks; counts are within the churn\n",
			in->walks);
	else
		fputs("INTEGRITY: FLAGGED: the dump contradicts itself here; counts may be wrong\n", out);
	for (k = 0; k < LX_PROB_COUNT; k++)
		if (in->count[k])
			fprintf(out, "  %6u x %s; first: %s\n", in->count[k],
				lx_problem_names[k], in->first[k]);
}
