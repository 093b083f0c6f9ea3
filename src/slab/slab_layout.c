// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Resolve the SLAB layout of the dumped kernel (mm/slab.c, removed in
 * 6.8) by type, member and symbol presence, never by version number.
 *
 * The rows leakext walks:
 *   - struct slab (5.17+, kernel commit d122019bf061 "mm: Split slab into
 *     its own type"): slab_cache, freelist, s_mem, active, slab_list;
 *   - the same fields in struct page (from 3.13, kernel commit
 *     8456a648cf44 "slab: use struct page for slab management"), linked
 *     through lru before the slab_list rename (5.1);
 * each with the per-cpu array caches of kmem_cache.cpu_cache (3.18+,
 * kernel commit bf0dea23a9c0 "mm/slab: use percpu allocator for cpu
 * cache").  kmem_cache.array[] (the array caches before that) and the
 * older struct slab followed by kmem_bufctl_t[] are refused.
 */
#include <string.h>

#include "slab/slab_alloc.h"

#define WHAT "walk SLAB"

/* SLAB's kmem_cache has per-cpu array caches; SLUB's has none. */
bool lx_slab_probe(struct lx_session *s)
{
	return lx_member_offset(s->t, "kmem_cache", "cpu_cache") >= 0 ||
	       lx_member_offset(s->t, "kmem_cache", "array") >= 0;
}

/* Members SLAB's walker does not read, absent for its layout. */
static void clear_slub_fields(struct lx_layout *L)
{
	memset(L, 0xff, sizeof(*L));	/* every long offset -1 */
	L->features = 0;
	L->layout_name = NULL;
	L->kc_node_slots = 0;
	L->slab_type = NULL;
	L->slab_test_value = 0;
	L->slab_caches = 0;
	L->caches_symbol = NULL;
	L->slab_test = LX_SLAB_PAGE_FLAG;
}

static bool resolve_cache(struct lx_session *s, struct lx_layout *L)
{
	const struct lx_member_req req[] = {
		{ "kmem_cache", "cpu_cache", &L->kc_cpu_cache, true },
		{ "kmem_cache", "flags", &L->kc_flags, true },
		{ "kmem_cache", "size", &L->kc_size, true },
		{ "kmem_cache", "object_size", &L->kc_object_size, true },
		{ "kmem_cache", "num", &L->kc_num, true },
		{ "kmem_cache", "gfporder", &L->kc_gfporder, true },
		{ "kmem_cache", "name", &L->kc_name, true },
		{ "kmem_cache", "list", &L->kc_list, true },
		{ "kmem_cache", "node", &L->kc_node, true },
		/* CONFIG_DEBUG_SLAB: the object's offset in its slot */
		{ "kmem_cache", "obj_offset", &L->kc_obj_offset, false },
		{ "kmem_cache", "freelist_size", &L->kc_freelist_size, false },
		/* witnesses of the array caches and of each slab's s_mem */
		{ "kmem_cache", "limit", &L->kc_limit, false },
		{ "kmem_cache", "batchcount", &L->kc_batchcount, false },
		{ "kmem_cache", "shared", &L->kc_shared, false },
		{ "kmem_cache", "align", &L->kc_align, false },
	};
	long node_size = lx_member_size(s->t, "kmem_cache", "node");

	if (!lx_resolve_members(s->t, LX_MEMBERS(req), WHAT))
		return false;
	L->kc_size_of = lx_type_size(s->t, "kmem_cache");
	/* node[MAX_NUMNODES]: kmem_cache_node pointers, the struct's end */
	L->kc_node_stride = lx_word_size(s->t);
	if (node_size < L->kc_node_stride || node_size % L->kc_node_stride ||
	    L->kc_node + node_size > L->kc_size_of) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "kmem_cache.node is not an array of node pointers; cannot %s", WHAT);
		return false;
	}
	L->kc_node_ptr = 0;
	L->kc_node_slots = node_size / L->kc_node_stride;
	return true;
}

/*
 * struct array_cache: avail objects in entry[] (a flexible array), and
 * struct alien_cache, which wraps one with a lock (the kernel patch
 * "slab: introduce alien_cache", 2014); before it, a node's alien
 * pointers were array_cache pointers themselves.
 */
static bool resolve_array_cache(struct lx_session *s, struct lx_layout *L)
{
	const struct lx_member_req req[] = {
		{ "array_cache", "avail", &L->ac_avail, true },
		{ "array_cache", "limit", &L->ac_limit, true },
		{ "array_cache", "batchcount", &L->ac_batchcount, false },
		{ "array_cache", "entry", &L->ac_entry, true },
		{ "alien_cache", "ac", &L->alien_ac, false },
	};

	if (!lx_resolve_members(s->t, LX_MEMBERS(req), WHAT))
		return false;
	L->ac_size_of = lx_type_size(s->t, "array_cache");
	if (L->alien_ac < 0)
		L->alien_ac = 0;
	if (L->ac_entry % lx_word_size(s->t) || L->ac_entry > L->ac_size_of) {
		lx_msg(s->t, LX_MSG_ERROR, "unusable array_cache.entry; cannot %s", WHAT);
		return false;
	}
	return true;
}

/*
 * struct kmem_cache_node of SLAB: three slab lists, the free object
 * count, the shared and alien array caches; total_slabs and free_slabs
 * count the lists where the kernel keeps them.
 */
static bool resolve_node(struct lx_session *s, struct lx_layout *L)
{
	const struct lx_member_req req[] = {
		{ "kmem_cache_node", "slabs_partial", &L->kcn_slabs_partial, true },
		{ "kmem_cache_node", "slabs_full", &L->kcn_slabs_full, true },
		{ "kmem_cache_node", "slabs_free", &L->kcn_slabs_free, true },
		{ "kmem_cache_node", "free_objects", &L->kcn_free_objects, true },
		{ "kmem_cache_node", "shared", &L->kcn_shared, true },
		{ "kmem_cache_node", "alien", &L->kcn_alien, true },
		{ "kmem_cache_node", "total_slabs", &L->kcn_total_slabs, false },
		{ "kmem_cache_node", "free_slabs", &L->kcn_free_slabs, false },
	};

	if (!lx_resolve_members(s->t, LX_MEMBERS(req), WHAT))
		return false;
	L->kcn_size_of = lx_type_size(s->t, "kmem_cache_node");
	return L->kcn_size_of > 0;
}

/* struct slab (5.17+) when it has SLAB's fields, else struct page's. */
static const char *slab_struct(struct lx_session *s)
{
	if (lx_type_size(s->t, "slab") > 0 &&
	    lx_member_offset(s->t, "slab", "slab_cache") >= 0)
		return "slab";
	if (lx_member_offset(s->t, "page", "slab_cache") >= 0 &&
	    lx_member_offset(s->t, "page", "s_mem") >= 0)
		return "page";
	return NULL;
}

static bool resolve_slab_struct(struct lx_session *s, struct lx_layout *L)
{
	L->slab_type = slab_struct(s);
	if (!L->slab_type) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "a SLAB kernel whose slabs are described by neither struct slab nor struct page (slab_cache, s_mem): SLAB before 3.13 (struct slab with kmem_bufctl_t) is not supported");
		return false;
	}
	{
		const struct lx_member_req req[] = {
			{ L->slab_type, "slab_list", &L->slab_list, false },
			{ L->slab_type, "slab_cache", &L->slab_cache, true },
			{ L->slab_type, "freelist", &L->slab_freelist, true },
			{ L->slab_type, "s_mem", &L->slab_s_mem, true },
			{ L->slab_type, "active", &L->slab_active, true },
			{ "page", "flags", &L->slab_flags, true },
			{ "page", "compound_head", &L->slab_compound_head, false },
		};
		if (!lx_resolve_members(s->t, LX_MEMBERS(req), WHAT))
			return false;
	}
	L->slab_size_of = lx_type_size(s->t, L->slab_type);
	L->page_size_of = lx_type_size(s->t, "page");
	if (L->slab_list < 0)	/* "lru" before the slab_list rename */
		L->slab_list = lx_member_offset(s->t, L->slab_type, "lru");
	if (L->page_size_of <= 0 || L->slab_size_of <= 0 ||
	    L->slab_size_of > L->page_size_of ||
	    L->slab_list < 0 || L->slab_list + lx_word_size(s->t) > L->slab_size_of) {
		lx_msg(s->t, LX_MSG_ERROR, "unusable struct %s for SLAB (sizes or slab_list/lru)",
		       L->slab_type);
		return false;
	}
	/*
	 * The memory map scan keeps a counters word SLAB has not; the
	 * walker rereads each slab it finds there.
	 */
	L->slab_counters = L->slab_freelist;
	return true;
}

/*
 * SLAB was removed (6.8) before slab became a page type (6.10): a slab
 * page has the PG_slab flag bit, a bit of the unsigned long page->flags.
 */
static bool resolve_slab_test(struct lx_session *s, struct lx_layout *L)
{
	long v;

	if (!lx_enum_value(s->t, "PG_slab", &v) || v < 0 ||
	    v >= 8 * (long)lx_word_size(s->t)) {
		lx_msg(s->t, LX_MSG_ERROR, "no PG_slab page flag bit; cannot %s", WHAT);
		return false;
	}
	L->slab_test = LX_SLAB_PAGE_FLAG;
	L->slab_test_value = (uint64_t)v;
	return true;
}

static bool array_caches_known(struct lx_session *s)
{
	if (lx_member_offset(s->t, "kmem_cache", "cpu_cache") >= 0)
		return true;
	lx_msg(s->t, LX_MSG_ERROR,
	       "this kernel's SLAB allocator keeps its per-cpu array caches in kmem_cache.array[] (before 3.18): not supported yet, no counts are reported");
	return false;
}

enum lx_status lx_slab_layout(struct lx_session *s)
{
	struct lx_layout *L = &s->L;

	clear_slub_fields(L);
	if (!array_caches_known(s) || !resolve_cache(s, L) ||
	    !resolve_array_cache(s, L) || !resolve_node(s, L) ||
	    !resolve_slab_struct(s, L) || !resolve_slab_test(s, L))
		return LX_EABSENT;
	L->layout_name = strcmp(L->slab_type, "slab") ?
		"SLAB, slab fields in struct page" : "SLAB, struct slab (5.17+)";
	if (!lx_symbol(s->t, "slab_caches", &L->slab_caches)) {
		lx_msg(s->t, LX_MSG_ERROR, "symbol slab_caches not found");
		return LX_EABSENT;
	}
	return LX_OK;
}
