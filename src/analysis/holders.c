// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Holders of clusters (leakscan -r): one reachability pass (refs.h) whose
 * targets are the members of the clusters being described, then for each
 * cluster the places that point at its members, ranked by members held,
 * and how many of its members no root reaches.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/describe.h"
#include "analysis/netview.h"
#include "analysis/refs.h"

#define NO_CLUSTER UINT32_MAX

struct holders_pass {
	struct lx_session *s;
	struct lx_reach r;
	const struct lx_clusterer *cl;
	struct lx_cluster_desc *d;
	unsigned int first, n;
	const struct lx_walk_notes *notes;
	uint32_t *cluster_of;	/* per heap object: described cluster or NO_CLUSTER */
};

static bool described(const struct holders_pass *p, uint32_t k)
{
	return k >= p->first && k - p->first < p->n;
}

/* Targets: every member of a described cluster. */
static void mark_members(struct holders_pass *p)
{
	const struct lx_clusterer *cl = p->cl;
	const struct lx_heap_slab *near = NULL;
	struct lx_heap_hit hit;
	size_t i;

	for (i = 0; i < cl->count; i++) {
		uint32_t k = cl->member_of[i];

		if (!described(p, k) ||
		    !lx_heap_find_near(&p->r.heap, &near, cl->addrs[i], &hit) ||
		    !hit.live || hit.offset)
			continue;
		lx_reach_target_number(&p->r, hit.number);
		if (p->notes && p->notes->misses && lx_bit_test(p->notes->misses, i))
			lx_reach_no_heap_words(&p->r, hit.number, p->notes->lo,
					       p->notes->hi);
		p->cluster_of[hit.number] = k;
		p->d[k].members_live++;
	}
}

/*
 * Per cluster: members no root reaches, and members some word points
 * into (exact even when LX_REFS_MAX cut the referrers kept).
 */
static void count_members(struct holders_pass *p)
{
	const struct lx_heap *h = &p->r.heap;
	uint64_t n;

	for (n = 0; n < h->nobjects; n++) {
		if (p->cluster_of[n] == NO_CLUSTER)
			continue;
		p->d[p->cluster_of[n]].unreferenced += !lx_reach_reached(&p->r, n);
		p->d[p->cluster_of[n]].referenced += lx_reach_referenced(&p->r, n);
	}
}

static void keep_holders(struct lx_cluster_desc *d, const struct lx_ref_group *g,
			 size_t ng)
{
	size_t i;

	for (i = 0; i < ng && d->nholders < LX_DESC_HOLDERS; i++) {
		struct lx_holder_stat *h = &d->holders[d->nholders++];

		memcpy(h->label, g[i].label, sizeof(h->label));
		h->kind = g[i].kind < LX_AREA_KINDS ? lx_area_kind_names[g[i].kind] : "slab";
		h->held = g[i].held;
		h->words = g[i].words;
		h->lost_holders = g[i].lost_holders;
	}
}

/* Group refs[0..n), the referrers of cluster k's members. */
static enum lx_status cluster_holders(struct holders_pass *p, uint32_t k,
				      const struct lx_ref *refs, size_t n)
{
	struct lx_ref_group *groups;
	enum lx_status ret;
	size_t ng;

	ret = lx_reach_groups(p->s, &p->r, refs, n, &groups, &ng);
	if (ret)
		return ret;
	keep_holders(&p->d[k], groups, ng);
	lx_free(p->s->t, groups);
	lx_skb_holders(p->s, &p->r, refs, n, p->d[k].holder_note,
		       sizeof(p->d[k].holder_note));
	p->d[k].holders_known = true;
	return LX_OK;
}

/*
 * Each cluster's referrers in turn, each cluster's in pass order (the
 * sk_buff note samples its first few): the largest cluster's moved to the
 * front of r.refs, the others' set aside in order and copied back behind
 * them one cluster at a time.  The extra memory is the other clusters'
 * referrers, none where one cluster holds them all (S4: 200 000 of one
 * leak, 4.6 MiB a copy).  r.refs is left reordered: nothing reads it after.
 */
struct ref_split {
	size_t *count;		/* per described cluster: its referrers */
	unsigned int largest;	/* the described cluster with the most */
	struct lx_ref *rest;	/* the other clusters' referrers, in order */
	size_t nrest;
};

static bool count_refs(struct holders_pass *p, struct ref_split *sp)
{
	unsigned int k;
	size_t i;

	sp->count = lx_alloc(p->s->t, (p->n + 1) * sizeof(*sp->count));
	if (!sp->count)
		return false;
	for (i = 0; i < p->r.nrefs; i++) {
		uint32_t cluster = p->cluster_of[p->r.refs[i].target];

		if (described(p, cluster))
			sp->count[cluster - p->first]++;
	}
	for (sp->largest = 0, k = 1; k < p->n; k++)
		if (sp->count[k] > sp->count[sp->largest])
			sp->largest = k;
	sp->rest = lx_alloc(p->s->t, (p->r.nrefs - sp->count[sp->largest] + 1) *
				     sizeof(*sp->rest));
	return sp->rest;
}

/* The largest cluster's referrers to the front of r.refs, the rest to sp->rest. */
static void split_refs(struct holders_pass *p, struct ref_split *sp)
{
	uint32_t largest = p->first + sp->largest;
	size_t i, front = 0;

	for (i = 0; i < p->r.nrefs; i++) {
		uint32_t cluster = p->cluster_of[p->r.refs[i].target];

		if (cluster == largest)
			p->r.refs[front++] = p->r.refs[i];
		else if (described(p, cluster))
			sp->rest[sp->nrest++] = p->r.refs[i];
	}
}

/* The room behind the largest cluster's referrers (NULL: none was kept). */
static struct lx_ref *behind_largest(const struct holders_pass *p, const struct ref_split *sp)
{
	return p->r.refs ? p->r.refs + sp->count[sp->largest] : NULL;
}

/* Cluster first + k's referrers, from sp->rest, into the room behind the largest's. */
static size_t gather_refs(struct holders_pass *p, const struct ref_split *sp,
			  unsigned int k)
{
	struct lx_ref *out = behind_largest(p, sp);
	size_t i, n = 0;

	for (i = 0; i < sp->nrest; i++)
		if (p->cluster_of[sp->rest[i].target] == p->first + k)
			out[n++] = sp->rest[i];
	return n;
}

static enum lx_status group_all(struct holders_pass *p)
{
	struct ref_split sp = { 0 };
	enum lx_status ret = LX_ENOMEM;
	unsigned int k;
	size_t n;

	if (!p->n)
		return LX_OK;
	if (!count_refs(p, &sp))
		goto out;
	split_refs(p, &sp);
	ret = cluster_holders(p, p->first + sp.largest, p->r.refs, sp.count[sp.largest]);
	for (k = 0; k < p->n && !ret; k++) {
		if (k == sp.largest)
			continue;
		n = gather_refs(p, &sp, k);
		ret = cluster_holders(p, p->first + k, behind_largest(p, &sp), n);
	}
out:
	lx_free(p->s->t, sp.count);
	lx_free(p->s->t, sp.rest);
	return ret;
}

/* LEAKEXT_TIMING=1: where the holders' time went, for tests/bench. */
static void report_timing(const struct holders_pass *p, double grouping)
{
	const struct lx_reach *r = &p->r;

	if (!getenv("LEAKEXT_TIMING"))
		return;
	lx_msg(p->s->t, LX_MSG_INFO,
	       "timing holders: heap index and roots %.3f s, reach pass %.3f s (from the roots %.3f s, the unreached %.3f s; %llu slabs read, %llu MiB scanned), grouping %.3f s",
	       r->index_time, r->roots_time + r->unreached_time, r->roots_time,
	       r->unreached_time, (unsigned long long)r->window_reads,
	       (unsigned long long)(r->scanned_bytes >> 20), grouping);
}

static enum lx_status run_pass(struct holders_pass *p)
{
	enum lx_status ret;
	double start;

	memset(p->cluster_of, 0xff, p->r.heap.nobjects * sizeof(*p->cluster_of));
	mark_members(p);
	ret = lx_reach_run(p->s, &p->r);
	if (ret)
		return ret;
	count_members(p);
	start = lx_now();
	ret = group_all(p);
	report_timing(p, lx_now() - start);
	return ret;
}

enum lx_status lx_describe_holders(struct lx_session *s, const struct lx_clusterer *cl,
				   struct lx_cluster_desc *d, unsigned int first,
				   unsigned int n, const struct lx_walk_notes *notes,
				   struct lx_reach *r)
{
	struct holders_pass p = { .s = s, .cl = cl, .d = d, .first = first, .n = n,
				  .notes = notes };
	enum lx_status ret = lx_reach_init_with(s, &p.r, notes ? notes->scan : NULL);

	if (ret)
		return ret;
	p.cluster_of = lx_alloc(s->t, (p.r.heap.nobjects + 1) * sizeof(*p.cluster_of));
	ret = p.cluster_of ? run_pass(&p) : LX_ENOMEM;
	lx_free(s->t, p.cluster_of);
	if (ret)
		lx_reach_free(s, &p.r);
	else
		*r = p.r;	/* the caller reports its limits and frees it */
	return ret;
}
