// SPDX-License-Identifier: GPL-2.0-or-later
/* leakscan reports: the cache ranking and the per-cache summary. */
#include <stdlib.h>
#include <string.h>

#include "leakext/report.h"

struct cache_row {
	struct lx_cache cache;
	uint64_t live, total, slabs, slab_bytes;
	bool failed;
};

struct ranking {
	struct cache_row *rows;
	size_t count, cap;
	uint64_t all_slab_bytes;
};

static bool rank_one(struct lx_session *s, const struct lx_cache *c, void *arg)
{
	struct ranking *r = arg;
	struct cache_row *row;
	struct lx_scan scan;

	if (lx_reserve(s->t, &r->rows, &r->cap, r->count + 1, sizeof(*row)))
		return false;
	row = &r->rows[r->count++];
	memset(row, 0, sizeof(*row));
	row->cache = *c;
	if (lx_scan_cache(s, c, &scan)) {
		lx_scan_free(s, &scan);	/* a failed walk may hold slabs */
		row->failed = true;
		return !lx_interrupted(s->t);
	}
	row->live = scan.live;
	row->total = scan.total;
	row->slabs = scan.nslabs;
	row->slab_bytes = scan.slab_bytes;
	r->all_slab_bytes += scan.slab_bytes;
	lx_scan_free(s, &scan);
	lx_progress(s->t, "caches", r->count, 0);
	return true;
}

static int row_cmp(const void *a, const void *b)
{
	const struct cache_row *x = a, *y = b;
	uint64_t bx = x->live * x->cache.size, by = y->live * y->cache.size;

	if (bx != by)
		return bx > by ? -1 : 1;
	return strcmp(x->cache.name, y->cache.name);
}

static void print_ranking(FILE *out, const struct ranking *r)
{
	size_t i;

	fprintf(out, "%-16s  %7s  %9s  %9s  %7s  %9s  %6s  %s\n", "CACHE", "OBJSIZE",
		"LIVE", "TOTAL", "SLABS", "LIVE MiB", "SHARE", "NAME");
	for (i = 0; i < r->count; i++) {
		const struct cache_row *row = &r->rows[i];
		double mib = (double)row->live * row->cache.size / (1 << 20);
		double share = r->all_slab_bytes ?
			100.0 * row->slab_bytes / r->all_slab_bytes : 0;

		if (row->failed) {
			fprintf(out, "%016llx  %7u  %9s  %9s  %7s  %9s  %6s  %s\n",
				(unsigned long long)row->cache.addr, row->cache.object_size,
				"?", "?", "?", "?", "?", row->cache.name);
			continue;
		}
		fprintf(out, "%016llx  %7u  %9llu  %9llu  %7llu  %9.2f  %5.1f%%  %s\n",
			(unsigned long long)row->cache.addr, row->cache.object_size,
			(unsigned long long)row->live, (unsigned long long)row->total,
			(unsigned long long)row->slabs, mib, share, row->cache.name);
	}
	fprintf(out, "\nslab memory in all caches: %.2f MiB; LIVE MiB counts live objects at their slot size\n",
		(double)r->all_slab_bytes / (1 << 20));
}

static void json_ranking(FILE *out, const struct lx_options *opt,
			 const struct ranking *r)
{
	size_t i;

	fprintf(out, "{\"schema\":\"%s\",\"source\":", LX_JSON_SCHEMA);
	lx_json_string(out, opt->source ? opt->source : "", 4096);
	fprintf(out, ",\"slab_bytes\":%llu,\"caches\":[",
		(unsigned long long)r->all_slab_bytes);
	for (i = 0; i < r->count; i++) {
		const struct cache_row *row = &r->rows[i];

		fprintf(out, "%s{\"name\":", i ? "," : "");
		lx_json_string(out, row->cache.name, sizeof(row->cache.name));
		fprintf(out, ",\"address\":\"0x%llx\",\"object_size\":%u,\"slot_size\":%u",
			(unsigned long long)row->cache.addr, row->cache.object_size,
			row->cache.size);
		if (row->failed)
			fputs(",\"error\":true}", out);
		else
			fprintf(out, ",\"live\":%llu,\"objects\":%llu,\"slabs\":%llu,\"slab_bytes\":%llu}",
				(unsigned long long)row->live, (unsigned long long)row->total,
				(unsigned long long)row->slabs,
				(unsigned long long)row->slab_bytes);
	}
	fputs("]}\n", out);
}

static int rank_caches(struct lx_session *s, const struct lx_options *opt)
{
	struct ranking r = { 0 };
	int ret = lx_for_each_cache(s, rank_one, &r);

	lx_progress(s->t, "caches", r.count, r.count);
	if (r.count)
		qsort(r.rows, r.count, sizeof(*r.rows), row_cmp);
	if (opt->json) {
		json_ranking(s->t->out, opt, &r);
		s->json_written = true;
	}
	else if (r.count)
		print_ranking(s->t->out, &r);
	lx_free(s->t, r.rows);
	return ret;
}

const char *lx_freeptr_mode_name(enum lx_freeptr_mode mode)
{
	switch (mode) {
	case LX_FP_PLAIN:
		return "plain pointers";
	case LX_FP_XOR:
		return "hardened: ptr ^ random ^ addr";
	case LX_FP_XOR_SWAB:
		return "hardened: ptr ^ random ^ swab(addr)";
	case LX_FP_BROKEN:
		return "UNDECODABLE (no encoding verifies; free objects may count as live)";
	default:
		return "hardened, not exercised (no free objects on any freelist)";
	}
}

void lx_count_by_source(const struct lx_scan *scan, uint64_t *objs, uint64_t *live)
{
	size_t i;

	memset(objs, 0, LX_SRC_COUNT * sizeof(*objs));
	memset(live, 0, LX_SRC_COUNT * sizeof(*live));
	for (i = 0; i < scan->nslabs; i++) {
		const struct lx_slab *slab = &scan->slabs[i];

		objs[slab->source] += slab->objects;
		live[slab->source] += slab->objects - slab->nfree;
	}
}

void lx_print_cache_summary(struct lx_session *s, const struct lx_scan *scan)
{
	uint64_t objs[LX_SRC_COUNT], live[LX_SRC_COUNT];
	const struct lx_cache *c = &scan->cache;
	FILE *out = s->t->out;
	int src;

	lx_count_by_source(scan, objs, live);
	fprintf(out, "%-16s  %7s  %7s  %9s  %5s  %s\n", "CACHE", "OBJSIZE", "SIZE",
		"OBJS/SLAB", "ORDER", "NAME");
	fprintf(out, "%016llx  %7u  %7u  %9u  %5u  %s\n\n", (unsigned long long)c->addr,
		c->object_size, c->size, c->oo_objects, c->oo_order, c->name);
	fprintf(out, "%-24s  %7s  %9s  %9s  %9s\n", "SLABS FOUND ON", "SLABS", "OBJECTS",
		"LIVE", "FREE");
	for (src = 0; src < LX_SRC_COUNT; src++) {
		if (src == LX_SRC_NODE_FULL && s->L.kcn_full < 0)
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
	if (scan->used_memmap)
		fprintf(out, "memory map scanned: %s\n", scan->nr_slabs_known ?
			"node counters count more slabs than the lists hold" :
			"the kernel keeps no slab counters");
	else
		fprintf(out, "memory map not scanned: the lists hold all %llu slabs the node counters count\n",
			(unsigned long long)scan->node_nr_slabs);
	if (scan->nr_slabs_known && scan->nslabs != scan->node_nr_slabs)
		fprintf(out, "note: node counters say %llu slabs, %zu found\n",
			(unsigned long long)scan->node_nr_slabs, scan->nslabs);
	if (scan->bad_slabs || scan->bad_lists)
		fprintf(out, "WARNING: %u bad slabs, %u broken lists: counts are partial\n",
			scan->bad_slabs, scan->bad_lists);
}

int lx_report_find_cache(struct lx_session *s, const char *name,
			 struct lx_cache *cache)
{
	switch (lx_find_cache(s, name, cache)) {
	case LX_LOOKUP_NONE:
		lx_msg(s->t, LX_MSG_ERROR, "no slab cache named \"%s\"", name);
		return -1;
	case LX_LOOKUP_AMBIGUOUS:
		lx_msg(s->t, LX_MSG_ERROR, "\"%s\" is ambiguous; name one of the caches above",
		       name);
		return -1;
	case LX_LOOKUP_FOUND:
		break;
	}
	return 0;
}

static bool print_address(void *out, uint64_t addr)
{
	fprintf(out, "%llx\n", (unsigned long long)addr);
	return true;
}

static int report_cache(struct lx_session *s, const struct lx_options *opt)
{
	struct lx_cluster_job job;
	struct lx_cache cache;
	struct lx_scan scan;
	int ret = 0;

	if (lx_report_find_cache(s, opt->cache, &cache))
		return -1;
	if (opt->list_live && !opt->cluster) {
		if (lx_scan_cache(s, &cache, &scan)) {
			lx_scan_free(s, &scan);
			return -1;
		}
		lx_for_each_live_object(&scan, print_address, s->t->out);
		lx_scan_free(s, &scan);
		return 0;
	}
	if (lx_cluster_job_run(s, &cache, &job))
		return -1;
	if (opt->list_live) {
		ret = lx_cluster_job_check(s, &job, opt->cluster);
		if (!ret)
			lx_cluster_for_each_member(&job.cl, opt->cluster - 1, print_address,
						   s->t->out);
	} else {
		if (!opt->json)
			lx_print_cache_summary(s, &job.scan);
		ret = lx_report_clusters(s, opt, &job);
	}
	lx_cluster_job_free(s, &job);
	return ret;
}
int lx_leakscan(struct lx_session *s, const struct lx_options *opt)
{
	int ret = -1;

	if (!lx_layout_init(s))
		ret = opt->cache ? report_cache(s, opt) : rank_caches(s, opt);
	lx_session_fini(s);
	lx_msg_flush(s->t);
	return ret;
}
