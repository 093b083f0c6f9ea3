// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reports over the reachability pass (refs.h): leakrefs ADDR (the object
 * holding an address and who points at it) and leakscan -u CACHE (live
 * objects nothing reachable points at, one address per line, like -l).
 */
#include <string.h>

#include "leakext/leakext.h"
#include "analysis/refs.h"
#include "report/report.h"

#define REFS_SHOWN 64		/* referring words listed by leakrefs */

void lx_report_reach_limits(struct lx_session *s, const struct lx_reach *r)
{
	unsigned int k;

	for (k = 0; k < LX_AREA_KINDS; k++)
		if (r->roots.missing & (1u << k))
			lx_msg(s->t, LX_MSG_WARN,
			       "%s memory was not scanned: this dump does not describe it",
			       lx_area_kind_names[k]);
	if (r->roots.cut)
		lx_msg(s->t, LX_MSG_WARN, "a task, module or vmalloc list was cut short");
	if (!r->heap.complete || r->heap.bad_caches || r->heap.overlaps)
		lx_msg(s->t, LX_MSG_WARN,
		       "the heap index is partial (%u flagged caches, %u overlapping slabs%s)",
		       r->heap.bad_caches, r->heap.overlaps,
		       r->heap.complete ? "" : ", cache list cut");
	if (r->refs_dropped)
		lx_msg(s->t, LX_MSG_WARN, "%llu more referrers were counted but not kept",
		       (unsigned long long)r->refs_dropped);
	if (r->roots.cut || !r->heap.complete || r->heap.bad_caches || r->heap.overlaps)
		s->flagged = true;
}

static enum lx_status reach_prepare(struct lx_session *s, struct lx_reach *r,
				    const uint64_t *target)
{
	enum lx_status ret = lx_reach_init(s, r);

	if (ret)
		return ret;
	if (target && !lx_reach_target(s, r, *target)) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "%#llx is not inside a slab object (outside every slab, or in a red zone or padding)",
		       (unsigned long long)*target);
		lx_reach_free(s, r);
		return LX_EABSENT;
	}
	ret = lx_reach_run(s, r);
	if (ret)
		lx_reach_free(s, r);
	else
		lx_report_reach_limits(s, r);
	return ret;
}

static void print_object_line(struct lx_session *s, const struct lx_reach *r,
			      uint64_t addr)
{
	struct lx_heap_hit hit;
	char name[LX_NAME_MAX];

	lx_heap_find(&r->heap, addr, &hit);
	snprintf(name, sizeof(name), "%s", hit.cache->cache.name);
	lx_sanitize(name);
	fprintf(s->t->out, "%llx: %s object %llx+%llu (%u bytes), %s, %s\n",
		(unsigned long long)addr, name, (unsigned long long)hit.object,
		(unsigned long long)hit.offset, hit.cache->cache.object_size,
		hit.live ? "live" : "free",
		!hit.live ? "not a root's concern" :
		lx_reach_reached(r, hit.number) ? "reachable from roots" :
		"UNREFERENCED (no root reaches it)");
}

static void print_referrers(struct lx_session *s, const struct lx_reach *r)
{
	size_t i;

	fprintf(s->t->out, "REFERRERS: %zu word%s%s\n", r->nrefs, r->nrefs == 1 ? "" : "s",
		r->nrefs ? "" : " (nothing scanned points at it)");
	if (!r->nrefs)
		return;
	fprintf(s->t->out, "  %-16s  %-8s  %s\n", "WHERE", "TO", "HELD BY");
	for (i = 0; i < r->nrefs && i < REFS_SHOWN; i++) {
		char label[LX_LABEL_MAX];

		lx_reach_label(s, r, &r->refs[i], label, sizeof(label));
		fprintf(s->t->out, "  %016llx  +%-7u  %s\n",
			(unsigned long long)r->refs[i].where, r->refs[i].offset, label);
	}
	if (r->nrefs > REFS_SHOWN)
		fprintf(s->t->out, "  ... and %zu more\n", r->nrefs - REFS_SHOWN);
}

enum lx_status lx_leakrefs(struct lx_session *s, uint64_t addr)
{
	enum lx_status ret = lx_layout_init(s);
	struct lx_reach r;

	if (!ret)
		ret = reach_prepare(s, &r, &addr);
	if (!ret) {
		print_object_line(s, &r, addr);
		print_referrers(s, &r);
		lx_reach_free(s, &r);
	}
	lx_session_fini(s);
	lx_msg_flush(s->t);
	return ret;
}

static bool print_if_unreferenced(const struct lx_reach *r, FILE *out, uint64_t addr)
{
	struct lx_heap_hit hit;

	if (!lx_heap_find(&r->heap, addr, &hit) || !hit.live ||
	    lx_reach_reached(r, hit.number))
		return false;
	fprintf(out, "%llx\n", (unsigned long long)addr);
	return true;
}

struct member_walk {
	const struct lx_reach *r;
	FILE *out;
	uint64_t members, unreferenced;
};

static bool visit_member(void *arg, uint64_t addr)
{
	struct member_walk *m = arg;

	m->members++;
	m->unreferenced += print_if_unreferenced(m->r, m->out, addr);
	return true;
}

/* Every live object of the cache, in address order. */
static void walk_cache_objects(const struct lx_reach *r, uint64_t cache_addr,
			       struct member_walk *m)
{
	const struct lx_heap *h = &r->heap;
	size_t i;
	uint32_t j;

	for (i = 0; i < h->nslabs; i++) {
		const struct lx_heap_slab *hs = &h->slabs[i];
		const struct lx_cache *c = &h->caches[hs->cache].cache;

		if (c->addr != cache_addr)
			continue;
		for (j = 0; j < hs->objects; j++)
			if (lx_heap_live(h, hs->first + j))
				visit_member(m, hs->base + c->red_left_pad +
						(uint64_t)j * c->size);
	}
}

static enum lx_status list_unreferenced(struct lx_session *s,
					const struct lx_options *opt)
{
	struct member_walk m = { .out = s->t->out };
	struct lx_cluster_job job;
	struct lx_cache cache;
	struct lx_reach r;
	enum lx_status ret;

	ret = lx_report_find_cache(s, opt->cache, &cache);
	if (!ret && opt->cluster)
		ret = lx_cluster_job_run(s, &cache, &job);
	if (!ret && opt->cluster && (ret = lx_cluster_job_check(s, &job, opt->cluster)))
		lx_cluster_job_free(s, &job);
	if (ret)
		return ret;
	ret = reach_prepare(s, &r, NULL);
	m.r = &r;
	if (!ret && opt->cluster)
		lx_cluster_for_each_member(&job.cl, opt->cluster - 1, visit_member, &m);
	else if (!ret)
		walk_cache_objects(&r, cache.addr, &m);
	if (!ret) {
		lx_msg(s->t, LX_MSG_INFO,
		       "%llu of %llu live objects unreferenced (%llu of %llu heap objects reached from %zu root areas, %llu MiB scanned, %llu KiB not in the dump)",
		       (unsigned long long)m.unreferenced, (unsigned long long)m.members,
		       (unsigned long long)r.nreached, (unsigned long long)r.heap.nlive,
		       r.roots.n, (unsigned long long)(r.scanned_bytes >> 20),
		       (unsigned long long)(r.unreadable_bytes >> 10));
		lx_reach_free(s, &r);
	}
	if (opt->cluster)
		lx_cluster_job_free(s, &job);
	return ret;
}

enum lx_status lx_leakscan_unreferenced(struct lx_session *s,
					const struct lx_options *opt)
{
	enum lx_status ret = lx_layout_init(s);

	if (!ret)
		ret = list_unreferenced(s, opt);
	lx_session_fini(s);
	lx_msg_flush(s->t);
	return ret;
}
