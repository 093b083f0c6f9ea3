// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reports over a finished reachability pass (refs.h): leakrefs ADDR (the
 * object holding an address and who points at it) and leakscan -u CACHE
 * (live objects nothing reachable points at, one address per line, like -l).
 */
#include <string.h>

#include "report/report.h"

#define REFS_SHOWN 64		/* referring words listed by leakrefs */

bool lx_print_address(void *out, uint64_t addr)
{
	fprintf(out, "%llx\n", (unsigned long long)addr);
	return true;
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
	fprintf(s->t->out, "  %-*s  %-8s  %s\n", lx_addr_digits(s->t), "WHERE", "TO",
		"HELD BY");
	for (i = 0; i < r->nrefs && i < REFS_SHOWN; i++) {
		char label[LX_LABEL_MAX];

		lx_reach_label(s, r, &r->refs[i], label, sizeof(label));
		fprintf(s->t->out, "  %0*llx  +%-7u  %s\n", lx_addr_digits(s->t),
			(unsigned long long)r->refs[i].where, r->refs[i].offset, label);
	}
	if (r->nrefs > REFS_SHOWN)
		fprintf(s->t->out, "  ... and %zu more\n", r->nrefs - REFS_SHOWN);
}

void lx_print_refs(struct lx_session *s, const struct lx_reach *r, uint64_t addr)
{
	print_object_line(s, r, addr);
	print_referrers(s, r);
}

static bool kml_present(const struct lx_unreferenced *u)
{
	return u->kml && u->kml->present;
}

/*
 * One member: its address if no root reaches it, with kmemleak's verdict
 * where the kernel keeps kmemleak's records.
 */
static void visit_unreferenced(const struct lx_reach *r, FILE *out, uint64_t addr,
			       struct lx_unreferenced *u)
{
	const struct lx_kml_record *rec = NULL;
	enum lx_kml_verdict v = LX_KML_UNTRACKED;
	char site[LX_FRAME_TEXT_MAX];
	struct lx_heap_hit hit;

	if (!lx_heap_find(&r->heap, addr, &hit) || !hit.live)
		return;
	if (kml_present(u)) {
		rec = lx_kmemleak_find(u->kml, hit.object);
		v = lx_kmemleak_verdict(u->kml, rec);
	}
	if (lx_reach_reached(r, hit.number)) {
		u->reported_reached += kml_present(u) && v == LX_KML_REPORTED;
		return;
	}
	u->unreferenced++;
	if (!kml_present(u)) {
		fprintf(out, "%llx\n", (unsigned long long)addr);
		return;
	}
	u->verdicts[v]++;
	if (rec && u->depot && lx_kml_site(u->s, u->depot, rec->trace, site, sizeof(site)))
		fprintf(out, "%llx  kmemleak: %s  at %s\n", (unsigned long long)addr,
			lx_kml_verdict_names[v], site);
	else
		fprintf(out, "%llx  kmemleak: %s\n", (unsigned long long)addr,
			lx_kml_verdict_names[v]);
}

struct member_walk {
	const struct lx_reach *r;
	FILE *out;
	struct lx_unreferenced *u;
};

static bool visit_member(void *arg, uint64_t addr)
{
	struct member_walk *m = arg;

	m->u->members++;
	visit_unreferenced(m->r, m->out, addr, m->u);
	return true;
}

/* Every live object of the cache, in address order. */
void lx_print_unreferenced_cache(FILE *out, const struct lx_reach *r, uint64_t cache_addr,
				 struct lx_unreferenced *u)
{
	struct member_walk m = { .r = r, .out = out, .u = u };
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
				visit_member(&m, hs->base + c->red_left_pad +
						 (uint64_t)j * c->size);
	}
}

void lx_print_unreferenced_cluster(FILE *out, const struct lx_reach *r,
				   const struct lx_clusterer *cl, uint32_t cluster,
				   struct lx_unreferenced *u)
{
	struct member_walk m = { .r = r, .out = out, .u = u };

	lx_cluster_for_each_member(cl, cluster, visit_member, &m);
}

/*
 * kmemleak's verdicts beside leakext's: "kmemleak reported 100 of these
 * 100; ...", and what it reported that a root reaches now.
 */
static void note_kmemleak_verdicts(struct lx_session *s, const struct lx_unreferenced *u)
{
	const struct lx_kmemleak *K = u->kml;
	char more[512] = "", age[96] = "";
	size_t len = 0;
	unsigned int v;

	for (v = LX_KML_REPORTED + 1; v < LX_KML_VERDICTS && len < sizeof(more); v++)
		if (u->verdicts[v])
			len += snprintf(more + len, sizeof(more) - len, "; %llu %s",
					(unsigned long long)u->verdicts[v],
					lx_kml_verdict_names[v]);
	if (K->last_scan_known && K->now)
		snprintf(age, sizeof(age), ", %lld jiffies before the dump",
			 (long long)(K->now - K->last_scan));
	lx_msg(s->t, LX_MSG_INFO,
	       "kmemleak (its last scan%s) reported %llu of these %llu%s; it reported %llu more that a root reaches now%s",
	       age, (unsigned long long)u->verdicts[LX_KML_REPORTED],
	       (unsigned long long)u->unreferenced, more,
	       (unsigned long long)u->reported_reached,
	       K->cut ? " (its object list was cut: partial)" : "");
}

void lx_note_unreferenced(struct lx_session *s, const struct lx_reach *r,
			  const struct lx_unreferenced *u)
{
	lx_msg(s->t, LX_MSG_INFO,
	       "%llu of %llu live objects unreferenced (%llu of %llu heap objects reached from %zu root areas, %llu MiB scanned, %llu KiB not in the dump)",
	       (unsigned long long)u->unreferenced, (unsigned long long)u->members,
	       (unsigned long long)r->nreached, (unsigned long long)r->heap.nlive,
	       r->roots.n, (unsigned long long)(r->scanned_bytes >> 20),
	       (unsigned long long)(r->unreadable_bytes >> 10));
	if (kml_present(u))
		note_kmemleak_verdicts(s, u);
}
