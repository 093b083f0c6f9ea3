// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Growth between summaries (leakext/summary.h): --diff OLD NEW, and the
 * scans of --watch.  Rows are matched by content signature (clusters of
 * one cache) or by name (caches), and the fastest-growing come first.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report.h"

#define WATCH_ROWS 10		/* text rows of a scan without -n or -a */
#define LABEL_COLS 24		/* columns of a cluster's content label */
#define KEY_COLS(cache) ((cache) ? 24 : 16)	/* a cache name, or a signature */

/* One row of a diff or a scan: an entry before (old) and now (new). */
struct growth_row {
	const struct lx_summary_cluster *old_c, *new_c;
	const struct lx_summary_cache *old_k, *new_k;
	int64_t change;		/* objects */
	int64_t change_bytes;
	double per_minute;	/* watch */
};

static uint64_t row_count(const struct growth_row *r, bool now)
{
	if (r->new_c || r->old_c)
		return now ? (r->new_c ? r->new_c->count : 0) : (r->old_c ? r->old_c->count : 0);
	return now ? (r->new_k ? r->new_k->live : 0) : (r->old_k ? r->old_k->live : 0);
}

static uint64_t row_bytes(const struct growth_row *r, bool now)
{
	if (r->new_c || r->old_c)
		return now ? (r->new_c ? r->new_c->bytes : 0) : (r->old_c ? r->old_c->bytes : 0);
	return now ? (r->new_k ? r->new_k->bytes : 0) : (r->old_k ? r->old_k->bytes : 0);
}

static const char *row_status(const struct growth_row *r)
{
	bool before = r->old_c || r->old_k, after = r->new_c || r->new_k;

	return before && after ? "matched" : after ? "appeared" : "vanished";
}

/*
 * Largest growth first (a watch's objects per minute; a diff's bytes, as
 * the ranking orders by live bytes, then objects); then most objects now;
 * then the key, for a stable order.
 */
static int row_cmp(const void *a, const void *b)
{
	const struct growth_row *x = a, *y = b;
	uint64_t cx = row_count(x, true), cy = row_count(y, true);

	if (x->per_minute != y->per_minute)
		return x->per_minute > y->per_minute ? -1 : 1;
	if (x->change_bytes != y->change_bytes)
		return x->change_bytes > y->change_bytes ? -1 : 1;
	if (x->change != y->change)
		return x->change > y->change ? -1 : 1;
	if (cx != cy)
		return cx > cy ? -1 : 1;
	if (x->new_k || x->old_k)
		return strcmp((x->new_k ? x->new_k : x->old_k)->name,
			      (y->new_k ? y->new_k : y->old_k)->name);
	return (x->new_c ? x->new_c : x->old_c)->signature <
	       (y->new_c ? y->new_c : y->old_c)->signature ? -1 : 1;
}

/* Rows of old matched against new, by signature or by name; NULL: no memory. */
static struct growth_row *match_rows(const struct lx_summary *old, const struct lx_summary *new,
				     size_t *n)
{
	bool by_cache = !new->cache[0];
	struct lx_matching m;
	struct growth_row *rows;
	size_t i;

	if (!(by_cache ? lx_match_caches(old, new, &m) : lx_match_clusters(old, new, &m)))
		return NULL;
	rows = calloc(m.n + 1, sizeof(*rows));
	for (i = 0; rows && i < m.n; i++) {
		const struct lx_match *p = &m.pairs[i];
		struct growth_row *r = &rows[i];

		if (by_cache) {
			r->old_k = p->old < 0 ? NULL : &old->caches[p->old];
			r->new_k = p->new < 0 ? NULL : &new->caches[p->new];
		} else {
			r->old_c = p->old < 0 ? NULL : &old->clusters[p->old];
			r->new_c = p->new < 0 ? NULL : &new->clusters[p->new];
		}
		r->change = (int64_t)(row_count(r, true) - row_count(r, false));
		r->change_bytes = (int64_t)(row_bytes(r, true) - row_bytes(r, false));
	}
	*n = m.n;
	lx_matching_free(&m);
	return rows;
}

static bool head_is_text(const struct lx_summary_cluster *c)
{
	size_t need = c->head_len < LX_MIN_TEXT_BUFFER ? c->head_len : LX_MIN_TEXT_BUFFER;

	return c->head_len && lx_text_run(c->head, 0, c->head_len) >= need;
}

/* What a cluster holds, escaped: its text, "binary", or "-" (no content). */
static void print_label(FILE *out, const struct lx_summary_cluster *c)
{
	if (!c->head_len)
		fputs("-", out);
	else if (head_is_text(c))
		lx_print_escaped(out, c->head, lx_text_run(c->head, 0, c->head_len),
				 c->head_len, LABEL_COLS);
	else
		fputs("binary", out);
}

static double mib(uint64_t bytes)
{
	return (double)bytes / (1 << 20);
}

static double mib_signed(int64_t bytes)
{
	return (double)bytes / (1 << 20);
}

static bool wanted(const struct lx_options *opt, size_t shown, size_t limit)
{
	return opt->all || shown < (opt->top ? opt->top : limit);
}

static void diff_header(FILE *out, const struct lx_summary *old, const struct lx_summary *new)
{
	fprintf(out, "DIFF %s\n  old  %s\n  new  %s\n", new->cache[0] ? new->cache : "of every cache",
		old->source, new->source);
	fprintf(out, "live objects %" PRIu64 " -> %" PRIu64 " (%+" PRId64 "), %.2f -> %.2f MiB (%+.2f)\n",
		old->live, new->live, (int64_t)(new->live - old->live), mib(old->bytes),
		mib(new->bytes), mib_signed((int64_t)(new->bytes - old->bytes)));
}

static void diff_row_text(FILE *out, const struct growth_row *r)
{
	char sig[LX_SUMMARY_NAME];
	const struct lx_summary_cluster *c = r->new_c ? r->new_c : r->old_c;

	if (c)
		snprintf(sig, sizeof(sig), "%016" PRIx64, c->signature);
	else
		snprintf(sig, sizeof(sig), "%s", (r->new_k ? r->new_k : r->old_k)->name);
	fprintf(out, "%-*s %10" PRIu64 " %10" PRIu64 " %+10" PRId64 " %+10.2f  %s", KEY_COLS(!c),
		sig, row_count(r, false), row_count(r, true), r->change,
		mib_signed(r->change_bytes), row_status(r));
	if (c) {
		fprintf(out, "%*s", 10 - (int)strlen(row_status(r)), "");
		print_label(out, c);
	}
	fputc('\n', out);
}

bool lx_diff_text(FILE *out, const struct lx_options *opt, const struct lx_summary *old,
		  const struct lx_summary *new)
{
	size_t n, i, shown = 0, appeared = 0, vanished = 0;
	struct growth_row *rows = match_rows(old, new, &n);

	if (!rows)
		return false;
	qsort(rows, n, sizeof(*rows), row_cmp);
	for (i = 0; i < n; i++) {
		appeared += !(rows[i].old_c || rows[i].old_k);
		vanished += !(rows[i].new_c || rows[i].new_k);
	}
	diff_header(out, old, new);
	fprintf(out, "%zu %s: %zu matched by %s, %zu appeared, %zu vanished\n\n", n,
		new->cache[0] ? "clusters" : "caches", n - appeared - vanished,
		new->cache[0] ? "content signature" : "name", appeared, vanished);
	if (new->cache[0])
		fprintf(out, "%-*s %10s %10s %10s %10s  %-8s  %s\n", KEY_COLS(false), "SIGNATURE",
			"BEFORE", "AFTER", "CHANGE", "MiB +/-", "STATUS", "CONTENT");
	else
		fprintf(out, "%-*s %10s %10s %10s %10s  %s\n", KEY_COLS(true), "CACHE", "BEFORE",
			"AFTER", "CHANGE", "MiB +/-", "STATUS");
	for (i = 0; i < n; i++) {
		/* without -a, a cache with no live object on either side is left out */
		if (!new->cache[0] && !opt->all && !row_count(&rows[i], false) &&
		    !row_count(&rows[i], true))
			continue;
		if (!wanted(opt, shown, SIZE_MAX))
			break;
		diff_row_text(out, &rows[i]);
		shown++;
	}
	if (shown < n && !opt->all)
		fputs("(-a shows every row)\n", out);
	free(rows);
	return true;
}

static void json_counts(FILE *out, const char *key, bool present, uint64_t count,
			uint64_t bytes, bool cache)
{
	if (!present) {
		fprintf(out, "\"%s\":null", key);
		return;
	}
	fprintf(out, "\"%s\":{\"%s\":%" PRIu64 ",\"bytes\":%" PRIu64 "}", key,
		cache ? "live" : "count", count, bytes);
}

static void json_label(FILE *out, const struct lx_summary_cluster *c)
{
	bool text = head_is_text(c);
	uint8_t i;

	fprintf(out, ",\"content\":\"%s\",\"preview\":",
		!c->head_len ? "unknown" : text ? "text" : "binary");
	lx_json_string(out, (const char *)c->head, text ? c->head_len : 0);
	fputs(",\"preview_hex\":\"", out);
	for (i = 0; i < c->head_len; i++)
		fprintf(out, "%02x", c->head[i]);
	fputc('"', out);
}

/* A row's key: "signature" and content for a cluster, "name" for a cache. */
static void json_row_key(FILE *out, const struct growth_row *r)
{
	const struct lx_summary_cluster *c = r->new_c ? r->new_c : r->old_c;

	if (c) {
		fprintf(out, "{\"signature\":\"%016" PRIx64 "\"", c->signature);
		json_label(out, c);
	} else {
		fputs("{\"name\":", out);
		lx_json_string(out, (r->new_k ? r->new_k : r->old_k)->name, LX_SUMMARY_NAME);
	}
}

static void diff_row_json(FILE *out, const struct growth_row *r)
{
	bool cache = r->new_k || r->old_k;

	json_row_key(out, r);
	fprintf(out, ",\"status\":\"%s\",", row_status(r));
	json_counts(out, "before", r->old_c || r->old_k, row_count(r, false), row_bytes(r, false),
		    cache);
	fputc(',', out);
	json_counts(out, "after", r->new_c || r->new_k, row_count(r, true), row_bytes(r, true),
		    cache);
	fprintf(out, ",\"change\":{\"%s\":%" PRId64 ",\"bytes\":%" PRId64 "}}",
		cache ? "live" : "count", r->change, r->change_bytes);
}

static void json_side(FILE *out, const char *key, const struct lx_summary *sum)
{
	fprintf(out, "\"%s\":{\"source\":", key);
	lx_json_string(out, sum->source, sizeof(sum->source));
	fprintf(out, ",\"live\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"unsigned\":%" PRIu64 "}",
		sum->live, sum->bytes, sum->unsigned_count);
}

static void json_cache_name(FILE *out, const struct lx_summary *sum)
{
	fputs("\"cache\":", out);
	if (sum->cache[0])
		lx_json_string(out, sum->cache, sizeof(sum->cache));
	else
		fputs("null", out);
}

bool lx_diff_json(FILE *out, const struct lx_options *opt, const struct lx_summary *old,
		  const struct lx_summary *new)
{
	size_t n, i, counts[3] = { 0 };
	struct growth_row *rows = match_rows(old, new, &n);

	(void)opt;
	if (!rows)
		return false;
	qsort(rows, n, sizeof(*rows), row_cmp);
	for (i = 0; i < n; i++)
		counts[row_status(&rows[i])[0] == 'm' ? 0 : row_status(&rows[i])[0] == 'a' ? 1 : 2]++;
	fprintf(out, "{\"schema\":\"%s\",\"kind\":\"diff\",", LX_JSON_SCHEMA);
	json_cache_name(out, new);
	fputc(',', out);
	json_side(out, "old", old);
	fputc(',', out);
	json_side(out, "new", new);
	fprintf(out, ",\"matched\":%zu,\"appeared\":%zu,\"vanished\":%zu,\"%s\":[", counts[0],
		counts[1], counts[2], new->cache[0] ? "clusters" : "caches");
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		diff_row_json(out, &rows[i]);
	}
	fputs("]}\n", out);
	free(rows);
	return true;
}

/* --watch ---------------------------------------------------------------- */

#define TREND_MAX 16	/* characters of a trend line (the scans kept) */

/* A row's count in one scan: its cluster's or its cache's, 0 when absent. */
static uint64_t count_in(const struct lx_summary *scan, const struct growth_row *r)
{
	const struct lx_summary_cluster *c;
	const struct lx_summary_cache *k;

	if (r->new_k || r->old_k) {
		k = lx_summary_find_cache(scan, (r->new_k ? r->new_k : r->old_k)->name);
		return k ? k->live : 0;
	}
	c = lx_summary_find(scan, (r->new_c ? r->new_c : r->old_c)->signature);
	return c ? c->count : 0;
}

static double window_seconds(const struct lx_summary *const *scans, size_t n)
{
	return n > 1 ? scans[n - 1]->when - scans[0]->when : 0;
}

/* Rows of the first scan kept against the last, with their growth per minute. */
static struct growth_row *watch_rows(const struct lx_summary *const *scans, size_t n,
				     size_t *nrows)
{
	struct growth_row *rows = match_rows(scans[0], scans[n - 1], nrows);
	double seconds = window_seconds(scans, n);
	size_t i;

	for (i = 0; rows && i < *nrows; i++)
		rows[i].per_minute = seconds > 0 ? rows[i].change * 60.0 / seconds : 0;
	if (rows)
		qsort(rows, *nrows, sizeof(*rows), row_cmp);
	return rows;
}

/* The counts of the scans kept, as ASCII levels from _ (least) to ^ (most). */
static void trend_line(const struct lx_summary *const *scans, size_t n,
		       const struct growth_row *r, char *line)
{
	static const char levels[] = "_.-~^";
	uint64_t v[TREND_MAX], lo = UINT64_MAX, hi = 0;
	size_t i, first = n > TREND_MAX ? n - TREND_MAX : 0;

	for (i = first; i < n; i++) {
		v[i - first] = count_in(scans[i], r);
		lo = v[i - first] < lo ? v[i - first] : lo;
		hi = v[i - first] > hi ? v[i - first] : hi;
	}
	for (i = 0; i < n - first; i++)
		line[i] = hi == lo ? '-' : levels[(v[i] - lo) * 4 / (hi - lo)];
	line[n - first] = '\0';
}

static void watch_header(FILE *out, const struct lx_summary *const *scans, size_t n,
			 unsigned int number)
{
	const struct lx_summary *now = scans[n - 1];
	time_t wall = (time_t)now->wall;
	char when[32] = "?";
	struct tm tm;

	if (gmtime_r(&wall, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(out, "%sSCAN %u  %s  %s %s\n", number > 1 ? "\n" : "", number, when,
		now->cache[0] ? now->cache : "every cache,", now->source);
	fprintf(out, "%" PRIu64 " live objects, %.2f MiB; growth over the last %zu scan%s (%.1f s)\n",
		now->live, mib(now->bytes), n, n == 1 ? "" : "s", window_seconds(scans, n));
}

static void watch_row_text(FILE *out, const struct lx_summary *const *scans, size_t n,
			   const struct growth_row *r)
{
	const struct lx_summary_cluster *c = r->new_c ? r->new_c : r->old_c;
	char key[LX_SUMMARY_NAME], trend[TREND_MAX + 1], rate[32] = "-";

	if (c)
		snprintf(key, sizeof(key), "%016" PRIx64, c->signature);
	else
		snprintf(key, sizeof(key), "%s", (r->new_k ? r->new_k : r->old_k)->name);
	if (n > 1)
		snprintf(rate, sizeof(rate), "%+.1f", r->per_minute);
	trend_line(scans, n, r, trend);
	fprintf(out, "%-*s %10" PRIu64 " %10s  %-*s", KEY_COLS(!c), key, row_count(r, true),
		rate, c ? TREND_MAX : 0, trend);
	if (c) {
		fputs("  ", out);
		print_label(out, c);
	}
	fputc('\n', out);
}

bool lx_watch_text(FILE *out, const struct lx_options *opt,
		   const struct lx_summary *const *scans, size_t n, unsigned int number)
{
	size_t nrows, i, shown = 0;
	struct growth_row *rows;

	if (!n)
		return true;
	rows = watch_rows(scans, n, &nrows);
	if (!rows)
		return false;
	watch_header(out, scans, n, number);
	if (scans[n - 1]->cache[0])
		fprintf(out, "%-*s %10s %10s  %-*s  %s\n", KEY_COLS(false), "SIGNATURE", "LIVE",
			"PER MIN", TREND_MAX, "TREND", "CONTENT");
	else
		fprintf(out, "%-*s %10s %10s  %s\n", KEY_COLS(true), "CACHE", "LIVE", "PER MIN",
			"TREND");
	for (i = 0; i < nrows; i++) {
		if (!scans[n - 1]->cache[0] && !opt->all && !row_count(&rows[i], true) &&
		    !row_count(&rows[i], false))
			continue;
		if (!wanted(opt, shown, WATCH_ROWS))
			break;
		watch_row_text(out, scans, n, &rows[i]);
		shown++;
	}
	free(rows);
	return true;
}

static void watch_row_json(FILE *out, const struct lx_summary *const *scans, size_t n,
			   const struct growth_row *r)
{
	bool cache = r->new_k || r->old_k;
	size_t i, first = n > TREND_MAX ? n - TREND_MAX : 0;

	json_row_key(out, r);
	fprintf(out, ",\"%s\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"change\":%" PRId64 ",",
		cache ? "live" : "count", row_count(r, true), row_bytes(r, true), r->change);
	if (n > 1)
		fprintf(out, "\"growth_per_minute\":%.3f,\"trend\":[", r->per_minute);
	else
		fputs("\"growth_per_minute\":null,\"trend\":[", out);
	for (i = first; i < n; i++)
		fprintf(out, "%s%" PRIu64, i > first ? "," : "", count_in(scans[i], r));
	fputs("]}", out);
}

bool lx_watch_json(FILE *out, const struct lx_options *opt,
		   const struct lx_summary *const *scans, size_t n, unsigned int number)
{
	const struct lx_summary *now;
	size_t nrows, i;
	struct growth_row *rows;

	(void)opt;
	if (!n)
		return true;
	now = scans[n - 1];
	rows = watch_rows(scans, n, &nrows);
	if (!rows)
		return false;
	fprintf(out, "{\"schema\":\"%s\",\"kind\":\"watch\",\"source\":", LX_JSON_SCHEMA);
	lx_json_string(out, now->source, sizeof(now->source));
	fputc(',', out);
	json_cache_name(out, now);
	fprintf(out, ",\"scan\":%u,\"time\":%.0f,\"scans_kept\":%zu,\"window_seconds\":%.3f,"
		"\"live\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"unsigned\":%" PRIu64 ",\"%s\":[",
		number, now->wall, n, window_seconds(scans, n), now->live, now->bytes,
		now->unsigned_count, now->cache[0] ? "clusters" : "caches");
	for (i = 0; i < nrows; i++) {
		if (i)
			fputc(',', out);
		watch_row_json(out, scans, n, &rows[i]);
	}
	fputs("]}\n", out);
	free(rows);
	return true;
}
