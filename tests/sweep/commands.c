// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The two commands a variant runs, as the program runs them (layout, cache
 * lookup, scan; or layout and the ranking of every cache), and the clean
 * answers they are judged against.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "slab/cachename.h"
#include "sweep.h"

static int addr_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int row_cmp(const void *a, const void *b)
{
	return addr_cmp(&((const struct rank_row *)a)->addr,
			&((const struct rank_row *)b)->addr);
}

struct addr_list {
	uint64_t *items;
	size_t count, cap;
};

static bool keep_addr(void *arg, uint64_t addr)
{
	struct addr_list *al = arg;
	uint64_t *items;

	if (al->count == al->cap) {
		al->cap = al->cap ? 2 * al->cap : 4096;
		items = realloc(al->items, al->cap * sizeof(*items));
		if (!items)
			return false;
		al->items = items;
	}
	al->items[al->count++] = addr;
	return true;
}

/* The scan's live addresses, sorted; NULL only when memory runs out. */
static uint64_t *live_addresses(const struct lx_scan *scan, size_t *count)
{
	struct addr_list al = { 0 };

	lx_for_each_live_object(scan, keep_addr, &al);
	*count = al.count;
	if (al.count)
		qsort(al.items, al.count, sizeof(*al.items), addr_cmp);
	return al.items;
}

/* Addresses in a but not in b, both sorted. */
static uint64_t count_missing(const uint64_t *a, size_t na, const uint64_t *b,
			      size_t nb)
{
	size_t i = 0, j = 0;
	uint64_t missing = 0;

	while (i < na) {
		if (j < nb && b[j] < a[i]) {
			j++;
		} else if (j < nb && b[j] == a[i]) {
			i++;
			j++;
		} else {
			missing++;
			i++;
		}
	}
	return missing;
}

static void target_init(struct lx_target *t, const struct lx_dump_ops *dump,
			const struct lx_host_ops *host, struct overlay *ov,
			FILE *out)
{
	memset(t, 0, sizeof(*t));
	t->dump = dump;
	t->dump_priv = ov;
	t->host = host;
	t->host_priv = ov;
	t->out = out;
}

static int severity(enum verdict v)
{
	switch (v) {
	case V_EXACT: return 0;
	case V_FLAGGED: return 1;
	case V_REFUSED: return 2;
	case V_NO_WITNESS: return 3;
	case V_SILENT_REFUSAL: return 4;
	default: return 5;
	}
}

static void worsen(struct outcome *out, enum verdict v)
{
	if (severity(v) > severity(out->verdict))
		out->verdict = v;
}

/* Judge a finished scan of the target cache against the clean answer. */
static enum verdict judge_scan(const struct lx_session *s, const struct lx_scan *scan,
			       const struct clean *cl, struct outcome *out)
{
	size_t n;
	uint64_t *addrs = live_addresses(scan, &n);

	out->live = scan->live;
	out->missing = count_missing(cl->live_addrs, cl->nlive, addrs, n);
	out->extra = count_missing(addrs, n, cl->live_addrs, cl->nlive);
	free(addrs);
	if (scan->live == cl->live && n == cl->nlive && !out->missing && !out->extra)
		return V_EXACT;
	if (!lx_integrity_ok(&scan->integrity) || s->flagged)
		return V_FLAGGED;
	snprintf(out->detail, sizeof(out->detail),
		 "live %llu (clean %llu), %llu clean objects missing, %llu extra",
		 (unsigned long long)scan->live, (unsigned long long)cl->live,
		 (unsigned long long)out->missing, (unsigned long long)out->extra);
	return V_WRONG;
}

/* leakscan CACHE: layout, lookup, scan.  Scan kept in *scan when wanted. */
static enum verdict cache_command(struct lx_target *t, const struct clean *cl,
				  struct outcome *out, struct lx_session *keep,
				  struct lx_scan *scan, struct lx_cache *c)
{
	struct lx_session s = { .t = t };
	enum verdict v = V_REFUSED;

	if (!lx_layout_init(&s) && !lx_cache_lookup(&s, cl->cache_name, c) &&
	    !lx_scan_cache(&s, c, scan)) {
		v = cl->live_addrs ? judge_scan(&s, scan, cl, out) : V_EXACT;
		if (keep) {
			*keep = s;	/* the caller finishes the session */
			return v;
		}
		lx_scan_free(&s, scan);
	}
	lx_session_fini(&s);
	lx_msg_flush(t);
	return v;
}

struct ranking {
	struct rank_row *rows;
	size_t count, cap;
};

static bool rank_one(struct lx_session *s, const struct lx_cache *c, void *arg)
{
	struct ranking *r = arg;
	struct rank_row *row;
	struct lx_scan scan;

	if (lx_reserve(s->t, &r->rows, &r->cap, r->count + 1, sizeof(*row)))
		return false;
	row = &r->rows[r->count++];
	memset(row, 0, sizeof(*row));
	row->addr = c->addr;
	snprintf(row->name, sizeof(row->name), "%s", c->name);
	if (lx_scan_cache(s, c, &scan)) {
		row->failed = true;
		return true;
	}
	row->live = scan.live;
	row->flagged = !lx_integrity_ok(&scan.integrity);
	lx_scan_free(s, &scan);
	return true;
}

/* leakscan without a cache: every cache's live count, sorted by address. */
static int ranking_command(struct lx_target *t, struct ranking *r, bool *flagged)
{
	struct lx_session s = { .t = t };
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (!lx_layout_init(&s)) {
		ret = lx_for_each_cache(&s, rank_one, r) ? 1 : 0;
		if (r->count)
			qsort(r->rows, r->count, sizeof(*r->rows), row_cmp);
	}
	*flagged = s.flagged;
	lx_session_fini(&s);
	lx_msg_flush(t);
	return ret;
}

static const struct rank_row *clean_row(const struct clean *cl, uint64_t addr)
{
	struct rank_row key = { .addr = addr };

	return bsearch(&key, cl->ranking, cl->ncaches, sizeof(key), row_cmp);
}

/* One cache of a variant's ranking against the clean ranking. */
static enum verdict judge_row(const struct clean *cl, const struct rank_row *row,
			      struct outcome *out)
{
	const struct rank_row *ref = clean_row(cl, row->addr);

	if (row->failed)
		return V_REFUSED;
	if (ref && ref->live == row->live)
		return V_EXACT;
	if (row->flagged)
		return V_FLAGGED;
	if (!out->detail[0])
		snprintf(out->detail, sizeof(out->detail),
			 "ranking: %.40s live %llu (clean %s%llu)", row->name,
			 (unsigned long long)row->live, ref ? "" : "not listed, ",
			 (unsigned long long)(ref ? ref->live : 0));
	return V_WRONG;
}

/* Clean caches the variant's ranking does not list. */
static size_t count_lost(const struct clean *cl, const struct ranking *r)
{
	size_t i, lost = 0;
	struct rank_row key;

	if (!r->count)	/* bsearch() must not see a NULL array */
		return cl->ncaches;
	for (i = 0; i < cl->ncaches; i++) {
		key.addr = cl->ranking[i].addr;
		if (!bsearch(&key, r->rows, r->count, sizeof(key), row_cmp))
			lost++;
	}
	return lost;
}

static enum verdict judge_ranking(const struct clean *cl, const struct ranking *r,
				  int ret, bool flagged, struct outcome *out)
{
	enum verdict v = V_EXACT;
	struct outcome row_out = { .verdict = V_EXACT };
	size_t i, lost;

	if (ret < 0)
		return V_REFUSED;
	for (i = 0; i < r->count; i++)
		worsen(&row_out, judge_row(cl, &r->rows[i], &row_out));
	v = row_out.verdict;
	lost = count_lost(cl, r);
	if (v == V_WRONG && !out->detail[0])
		snprintf(out->detail, sizeof(out->detail), "%s", row_out.detail);
	if (lost && !ret && !flagged) {
		if (!out->detail[0])
			snprintf(out->detail, sizeof(out->detail),
				 "ranking lists %zu caches, lost %zu of %zu silently",
				 r->count, lost, cl->ncaches);
		return V_WRONG;
	}
	if (ret && severity(v) < severity(V_REFUSED))
		v = V_REFUSED;	/* cut short, and it says so */
	return v;
}

void run_commands(struct overlay *ov, const struct clean *cl, bool ranking,
		  struct outcome *out)
{
	FILE *null = fopen("/dev/null", "w");
	struct lx_target t;
	struct lx_scan scan;
	struct lx_cache c;
	struct ranking r;
	bool flagged;
	int ret;

	target_init(&t, &overlay_dump_ops, &overlay_host_ops, ov,
		    null ? null : stdout);
	out->verdict = cache_command(&t, cl, out, NULL, &scan, &c);
	if (ranking) {
		ret = ranking_command(&t, &r, &flagged);
		worsen(out, judge_ranking(cl, &r, ret, flagged, out));
		free(r.rows);
	}
	if (out->verdict == V_REFUSED && !ov->lines)
		out->verdict = V_SILENT_REFUSAL;
	if (null)
		fclose(null);
}

static bool ranking_is_clean(const struct ranking *r)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		if (r->rows[i].failed || r->rows[i].flagged)
			return false;
	return true;
}

/*
 * The clean answers, through the overlay with no patch, and the fields to
 * sweep (they need the clean session's layout and scan).
 */
int clean_collect(struct overlay *ov, const char *cache, struct clean *cl,
		  struct field_list *fields)
{
	struct outcome out = { 0 };
	struct lx_session s;
	struct lx_target t;
	struct lx_scan scan;
	struct lx_cache c;
	struct ranking r;
	bool flagged;
	int ret = -1;

	memset(cl, 0, sizeof(*cl));
	cl->cache_name = cache;
	target_init(&t, &overlay_dump_ops, &overlay_host_ops, ov, stdout);
	if (cache_command(&t, cl, &out, &s, &scan, &c) != V_EXACT)
		return -1;
	cl->cache_addr = c.addr;
	cl->objects_per_slab = c.oo_objects;
	cl->live = scan.live;
	cl->live_addrs = live_addresses(&scan, &cl->nlive);
	if (lx_integrity_ok(&scan.integrity) && cl->nlive == scan.live &&
	    !fields_collect(&s, &c, &scan, fields))
		ret = 0;
	lx_scan_free(&s, &scan);
	lx_session_fini(&s);
	lx_msg_flush(&t);
	if (ret || ranking_command(&t, &r, &flagged) || flagged)
		return -1;
	cl->ranking = r.rows;
	cl->ncaches = r.count;
	if (!ranking_is_clean(&r) || r.count < 2)
		return -1;
	cl->other_cache = r.rows[0].addr != c.addr ? r.rows[0].addr : r.rows[1].addr;
	return 0;
}

/*
 * The same cache command through the plain standalone ops (no overlay at
 * all): 0 when its answer equals the clean one.
 */
int clean_plain_check(struct overlay *ov, const struct clean *cl)
{
	struct outcome out = { 0 };
	struct lx_target t;
	struct lx_scan scan;
	struct lx_cache c;

	target_init(&t, &sa_dump_ops, &sa_host_ops, ov, stdout);
	return cache_command(&t, cl, &out, NULL, &scan, &c) == V_EXACT ? 0 : -1;
}

void clean_free(struct clean *cl)
{
	free(cl->live_addrs);
	free(cl->ranking);
	memset(cl, 0, sizeof(*cl));
}
