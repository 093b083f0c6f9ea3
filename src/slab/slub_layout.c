// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Resolve the SLUB layout of the dumped kernel by type, member and symbol
 * presence, never by version number.
 */
#include <stdio.h>
#include <string.h>

#include "slab/slub.h"


/*
 * SLUB's struct kmem_cache has neither SLAB's per-cpu array caches
 * (kmem_cache.cpu_cache, kmem_cache.array before 3.18) nor anything else
 * of another allocator; the layout rows below then say which SLUB it is.
 */
bool lx_slub_probe(struct lx_session *s)
{
	return lx_member_offset(s->t, "kmem_cache", "array") < 0 &&
	       lx_member_offset(s->t, "kmem_cache", "cpu_cache") < 0;
}

static bool has(const struct lx_layout *L, unsigned int feature)
{
	return L->features & feature;
}

/*
 * struct kmem_cache_cpu: each cpu's active slab, its lockless freelist and
 * its partial slabs.  Gone in 7.0 (kernel commit 32c894c7274b "slab:
 * remove struct kmem_cache_cpu"): per-cpu free objects are only in sheaves.
 */
static bool resolve_cpu_slab(struct lx_session *s, struct lx_layout *L)
{
	bool need = has(L, LX_LAYOUT_CPU_SLAB);
	const struct lx_member_req req[] = {
		{ "kmem_cache", "cpu_slab", &L->kc_cpu_slab, need },
		{ "kmem_cache_cpu", "freelist", &L->kcc_freelist, need },
		{ "kmem_cache_cpu", "slab", &L->kcc_slab, false },
		{ "kmem_cache_cpu", "partial", &L->kcc_partial, false },
	};

	if (!lx_resolve_members(s->t, LX_MEMBERS(req), "walk SLUB"))
		return false;
	if (!need)
		return true;
	/* kmem_cache_cpu.slab was "page" before 5.17. */
	if (L->kcc_slab < 0)
		L->kcc_slab = lx_member_offset(s->t, "kmem_cache_cpu", "page");
	L->kcc_size_of = lx_type_size(s->t, "kmem_cache_cpu");
	if (L->kcc_slab < 0 || L->kcc_size_of <= 0 ||
	    L->kcc_slab + lx_word_size(s->t) > L->kcc_size_of) {
		lx_msg(s->t, LX_MSG_ERROR, "incomplete kmem_cache_cpu type");
		return false;
	}
	return true;
}

/*
 * Per-cpu sheaves and the barns behind them (mm/slub.c, 6.18+: kernel
 * commit 2d517aa09bbc "slab: add opt-in caching layer of percpu sheaves"
 * and the barn in the same series).  Objects in a sheaf count in their
 * slab's inuse but are free: a kernel with kmem_cache.cpu_sheaves is
 * walked only if every member the sheaf sources read is known.  Where a
 * node's barn hangs is another feature (kmem_cache_node.barn, or
 * kmem_cache.per_node[] from 7.1).
 */
static bool resolve_sheaves(struct lx_session *s, struct lx_layout *L)
{
	const struct lx_member_req req[] = {
		{ "kmem_cache", "cpu_sheaves", &L->kc_cpu_sheaves, false },
		{ "kmem_cache", "sheaf_capacity", &L->kc_sheaf_capacity, false },
		{ "slub_percpu_sheaves", "main", &L->pcs_main, false },
		{ "slub_percpu_sheaves", "spare", &L->pcs_spare, false },
		{ "slab_sheaf", "size", &L->sheaf_size, false },
		{ "slab_sheaf", "barn_list", &L->sheaf_barn_list, false },
		{ "node_barn", "sheaves_full", &L->barn_sheaves_full, false },
		{ "node_barn", "nr_full", &L->barn_nr_full, false },
	};

	if (!lx_resolve_members(s->t, LX_MEMBERS(req), "walk SLUB"))
		return false;
	L->pcs_size_of = lx_type_size(s->t, "slub_percpu_sheaves");
	L->sheaf_size_of = lx_type_size(s->t, "slab_sheaf");
	L->barn_size_of = lx_type_size(s->t, "node_barn");
	/* objects[] is a flexible array: it starts at or before the end */
	L->sheaf_objects = lx_member_offset(s->t, "slab_sheaf", "objects");
	if (!has(L, LX_LAYOUT_SHEAVES))
		return true;
	if (L->pcs_main < 0 || L->pcs_spare < 0 || L->sheaf_size < 0 ||
	    L->sheaf_barn_list < 0 || L->barn_sheaves_full < 0 ||
	    L->sheaf_objects < 0 || L->sheaf_objects > L->sheaf_size_of ||
	    L->sheaf_objects % lx_word_size(s->t)) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "this kernel keeps free objects in per-cpu sheaves but its types lack a member leakext reads (slub_percpu_sheaves.main/spare, slab_sheaf.size/objects/barn_list, node_barn.sheaves_full); refusing to report counts that would be wrong");
		return false;
	}
	return true;
}

/* 6.18 and 7.0: each node's barn through its kmem_cache_node. */
static bool resolve_node_barn(struct lx_session *s, struct lx_layout *L)
{
	const struct lx_member_req req[] = {
		{ "kmem_cache_node", "barn", &L->kcn_barn, has(L, LX_LAYOUT_NODE_BARN) },
	};

	return lx_resolve_members(s->t, LX_MEMBERS(req), "walk SLUB");
}

/* Until 7.1: kmem_cache.node[], one kmem_cache_node pointer a node. */
static bool resolve_node_array(struct lx_session *s, struct lx_layout *L)
{
	long size = lx_member_size(s->t, "kmem_cache", "node");
	const struct lx_member_req req[] = {
		{ "kmem_cache", "node", &L->kc_node, true },
	};

	if (!has(L, LX_LAYOUT_NODE_ARRAY))
		return true;
	if (!lx_resolve_members(s->t, LX_MEMBERS(req), "walk SLUB"))
		return false;
	L->kc_node_stride = lx_word_size(s->t);
	L->kc_node_ptr = 0;
	L->kc_node_barn = -1;
	L->kc_node_slots = size > 0 ? size / L->kc_node_stride : 1;
	return true;
}

/*
 * 7.1 (kernel commit 5ba6bc27b1f9 "slab: decouple pointer to barn from
 * kmem_cache_node"): kmem_cache.per_node[] holds each node's
 * kmem_cache_node and barn pointers.  An online node without memory has
 * a barn but no kmem_cache_node (commit 7f693882f009 "slab: create barns
 * for online memoryless nodes").
 */
static bool resolve_per_node(struct lx_session *s, struct lx_layout *L)
{
	long per_node, node_ptr, barn_ptr, size;
	const struct lx_member_req req[] = {
		{ "kmem_cache", "per_node", &per_node, true },
		{ "kmem_cache_per_node_ptrs", "node", &node_ptr, true },
		{ "kmem_cache_per_node_ptrs", "barn", &barn_ptr, true },
	};

	if (!has(L, LX_LAYOUT_PER_NODE))
		return true;
	if (!lx_resolve_members(s->t, LX_MEMBERS(req), "walk SLUB"))
		return false;
	L->kc_node = per_node;
	L->kc_node_stride = lx_type_size(s->t, "kmem_cache_per_node_ptrs");
	L->kc_node_ptr = node_ptr;
	L->kc_node_barn = barn_ptr;
	size = lx_member_size(s->t, "kmem_cache", "per_node");
	L->kc_node_slots = size > 0 ? size / L->kc_node_stride : 1;
	return true;
}

/*
 * Each feature: the member whose presence says the kernel has it, and what
 * resolves the members it brings (NULL: resolve_slab_struct() does).
 */
static const struct layout_feature {
	unsigned int feature;
	const char *type, *member;
	bool (*resolve)(struct lx_session *s, struct lx_layout *L);
} layout_features[] = {
	{ LX_LAYOUT_CPU_SLAB, "kmem_cache", "cpu_slab", resolve_cpu_slab },
	{ LX_LAYOUT_SHEAVES, "kmem_cache", "cpu_sheaves", resolve_sheaves },
	{ LX_LAYOUT_NODE_ARRAY, "kmem_cache", "node", resolve_node_array },
	{ LX_LAYOUT_NODE_BARN, "kmem_cache_node", "barn", resolve_node_barn },
	{ LX_LAYOUT_PER_NODE, "kmem_cache", "per_node", resolve_per_node },
	{ LX_LAYOUT_STRUCT_SLAB, "slab", "slab_cache", NULL },
	{ LX_LAYOUT_CPU_PAGE, "kmem_cache_cpu", "page", NULL },
	{ LX_LAYOUT_PAGE_SLAB_LIST, "page", "slab_list", NULL },
};

#define NR_LAYOUT_FEATURES (sizeof(layout_features) / sizeof(layout_features[0]))

/*
 * The SLUB layouts leakext knows where every free object is in: one row
 * each, the features its types have.  Any other combination is refused.
 */
static const struct slub_layout {
	const char *name;
	unsigned int features;
} known_layouts[] = {
	/*
	 * Until 4.17: SLUB's slab fields in struct page, its node lists
	 * through page.lru, the cpu slab in kmem_cache_cpu.page and the cpu
	 * partial slabs chained through page.next (3.1, 49e2258586b4 "slub:
	 * per cpu cache for partial pages").
	 */
	{ "slab fields in struct page, lists through page.lru (before 4.18)",
	  LX_LAYOUT_CPU_SLAB | LX_LAYOUT_NODE_ARRAY | LX_LAYOUT_CPU_PAGE },
	/*
	 * 4.18: 4da1984edbbe "mm: combine LRU and main union in struct page"
	 * names page.slab_list (SLUB links its lists through it from 5.2,
	 * 916ac0527837 "slub: use slab_list instead of lru", at lru's offset).
	 */
	{ "slab fields in struct page, page.slab_list (4.18 - 5.16)",
	  LX_LAYOUT_CPU_SLAB | LX_LAYOUT_NODE_ARRAY | LX_LAYOUT_CPU_PAGE |
	  LX_LAYOUT_PAGE_SLAB_LIST },
	/*
	 * 5.17: d122019bf061 "mm: Split slab into its own type"; the same
	 * series (merge 9d6c59c1c0d6) took the slab fields out of struct
	 * page and renamed kmem_cache_cpu.page to slab.
	 */
	{ "struct slab, cpu slabs (5.17 - 6.17)",
	  LX_LAYOUT_CPU_SLAB | LX_LAYOUT_NODE_ARRAY | LX_LAYOUT_STRUCT_SLAB },
	/* 6.18: 2d517aa09bbc "slab: add opt-in caching layer of percpu sheaves" */
	{ "cpu slabs and opt-in sheaves, barn in kmem_cache_node (6.18)",
	  LX_LAYOUT_CPU_SLAB | LX_LAYOUT_SHEAVES | LX_LAYOUT_NODE_ARRAY |
	  LX_LAYOUT_NODE_BARN | LX_LAYOUT_STRUCT_SLAB },
	/* 7.0: 32c894c7274b "slab: remove struct kmem_cache_cpu" */
	{ "sheaves, no kmem_cache_cpu (7.0)",
	  LX_LAYOUT_SHEAVES | LX_LAYOUT_NODE_ARRAY | LX_LAYOUT_NODE_BARN |
	  LX_LAYOUT_STRUCT_SLAB },

	/* 7.1: 5ba6bc27b1f9 "slab: decouple pointer to barn from kmem_cache_node" */
	{ "sheaves, barn per node in kmem_cache.per_node (7.1)",
	  LX_LAYOUT_SHEAVES | LX_LAYOUT_PER_NODE | LX_LAYOUT_STRUCT_SLAB },
};

/* Appends "type.member" of each feature the kernel has (or lacks) after head. */
static size_t list_features(unsigned int features, bool present, const char *head,
			    char *buf, size_t len, size_t used)
{
	const char *sep = head;
	size_t i;

	for (i = 0; i < NR_LAYOUT_FEATURES && used < len; i++) {
		const struct layout_feature *f = &layout_features[i];

		if (!!(features & f->feature) != present)
			continue;
		used += snprintf(buf + used, len - used, "%s%s.%s", sep,
				 f->type, f->member);
		sep = ", ";
	}
	return used;
}

/* "has kmem_cache.cpu_sheaves, ...; lacks kmem_cache.cpu_slab, ..." */
static void describe_features(unsigned int features, char *buf, size_t len)
{
	size_t used;

	buf[0] = 0;
	used = list_features(features, true, "has ", buf, len, 0);
	list_features(features, false, used ? "; lacks " : "lacks ", buf, len, used);
}

static bool match_known_layout(struct lx_session *s, struct lx_layout *L)
{
	char found[384];
	size_t i;

	for (i = 0; i < NR_LAYOUT_FEATURES; i++)
		if (lx_member_offset(s->t, layout_features[i].type,
				     layout_features[i].member) >= 0)
			L->features |= layout_features[i].feature;
	for (i = 0; i < sizeof(known_layouts) / sizeof(known_layouts[0]); i++) {
		if (known_layouts[i].features == L->features) {
			L->layout_name = known_layouts[i].name;
			return true;
		}
	}
	describe_features(L->features, found, sizeof(found));
	lx_msg(s->t, LX_MSG_ERROR,
	       "a SLUB layout leakext does not know (the dump's types: %s); where its free objects are is unknown, so no counts are reported",
	       found);
	return false;
}

static bool resolve_features(struct lx_session *s, struct lx_layout *L)
{
	size_t i;

	for (i = 0; i < NR_LAYOUT_FEATURES; i++)
		if (layout_features[i].resolve && !layout_features[i].resolve(s, L))
			return false;
	return true;
}

/*
 * A cpu's partial slabs are chained through the slabs' next member:
 * page.next with pages and pobjects from 3.1 (49e2258586b4), slab.next
 * from 5.17.  kmem_cache_cpu.partial and that member come and go together
 * (CONFIG_SLUB_CPU_PARTIAL); a kernel with the chain's head but no link
 * is no kernel leakext knows, and its cpu partial slabs would be missed.
 */
static bool cpu_partial_known(struct lx_session *s, const struct lx_layout *L)
{
	if (L->kcc_partial < 0 || L->slab_next >= 0)
		return true;
	lx_msg(s->t, LX_MSG_ERROR,
	       "the dump's types have kmem_cache_cpu.partial but no %s.next to follow the cpu partial slabs through; refusing to report counts that would be wrong",
	       L->slab_type);
	return false;
}

static bool resolve_slab_struct(struct lx_session *s, struct lx_layout *L)
{
	/*
	 * struct slab split from struct page in 5.17 (mm/slab.h, kernel
	 * commit d122019bf061 "mm: Split slab into its own type").
	 */
	if (lx_type_size(s->t, "slab") > 0 && lx_member_offset(s->t, "slab", "slab_cache") >= 0)
		L->slab_type = "slab";
	else
		L->slab_type = "page";
	L->slab_size_of = lx_type_size(s->t, L->slab_type);
	L->page_size_of = lx_type_size(s->t, "page");
	if (L->page_size_of <= 0 || L->slab_size_of <= 0 ||
	    L->slab_size_of > L->page_size_of) {
		lx_msg(s->t, LX_MSG_ERROR, "unusable struct page/slab sizes");
		return false;
	}
	{
		const struct lx_member_req req[] = {
			{ L->slab_type, "slab_list", &L->slab_list, false },
			{ L->slab_type, "next", &L->slab_next, false },
			{ L->slab_type, "slab_cache", &L->slab_cache, true },
			{ L->slab_type, "freelist", &L->slab_freelist, true },
			{ L->slab_type, "counters", &L->slab_counters, true },
			{ "page", "flags", &L->slab_flags, true },
			{ "page", "compound_head", &L->slab_compound_head, false },
			{ "page", "page_type", &L->page_type, false },
		};
		if (!lx_resolve_members(s->t, LX_MEMBERS(req), "walk SLUB"))
			return false;
	}
	/* until 4.17 struct page has no slab_list (4da1984edbbe): "lru" */
	if (L->slab_list < 0)
		L->slab_list = lx_member_offset(s->t, L->slab_type, "lru");
	if (L->slab_list < 0 || L->slab_list + lx_word_size(s->t) > L->slab_size_of) {
		lx_msg(s->t, LX_MSG_ERROR, "the dump's types have no usable %s.slab_list (or lru)",
		       L->slab_type);
		return false;
	}
	return cpu_partial_known(s, L);
}

/*
 * How a page is marked as a slab (include/linux/page-flags.h): the PG_slab
 * flag bit until 6.9.  From 6.10 slab is a page type (kernel commit
 * 46df8e73a4a3 "mm: free up PG_slab"): PG_slab becomes an enumerator of
 * enum pagetype, a bit stored inverted in page->page_type.  From 6.12 the
 * top byte of page_type holds one PGTY_ value (commit 4ffca5a96678 "mm:
 * support only one page_type per page").  Told apart by the enumerators the
 * types have: PGTY_slab, or PG_slab as a flag bit number (< 64) or as a
 * page type mask.  A page type that is not the 32-bit page.page_type, or a
 * PGTY_slab that is not a byte, is a layout leakext does not know.
 */
static bool page_type_known(struct lx_session *s, const struct lx_layout *L)
{
	long size = lx_member_size(s->t, "page", "page_type");

	if (L->page_type < 0 || (size > 0 && size != 4)) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "slab is a page type but page.page_type is %s; leakext knows the 32-bit page_type only",
		       L->page_type < 0 ? "absent" : "not 32 bits");
		return false;
	}
	if (L->slab_test == LX_SLAB_TYPE_BYTE && L->slab_test_value > 0xff) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "PGTY_slab is %#llx, not a byte: an unknown page type encoding",
		       (unsigned long long)L->slab_test_value);
		return false;
	}
	return true;
}

static bool resolve_slab_test(struct lx_session *s, struct lx_layout *L)
{
	long v;

	if (lx_enum_value(s->t, "PGTY_slab", &v)) {
		L->slab_test = LX_SLAB_TYPE_BYTE;
	} else if (lx_enum_value(s->t, "PG_slab", &v)) {
		L->slab_test = v >= 64 ? LX_SLAB_TYPE_INVERTED : LX_SLAB_PAGE_FLAG;
	} else {
		lx_msg(s->t, LX_MSG_ERROR, "neither PG_slab nor PGTY_slab is known");
		return false;
	}
	L->slab_test_value = (uint64_t)v;
	return L->slab_test == LX_SLAB_PAGE_FLAG || page_type_known(s, L);
}

enum lx_status lx_slub_layout(struct lx_session *s)
{
	struct lx_layout *L = &s->L;
	const struct lx_member_req req[] = {
		{ "kmem_cache", "flags", &L->kc_flags, true },
		{ "kmem_cache", "size", &L->kc_size, true },
		{ "kmem_cache", "object_size", &L->kc_object_size, true },
		{ "kmem_cache", "offset", &L->kc_offset, true },
		{ "kmem_cache", "oo", &L->kc_oo, true },
		{ "kmem_cache", "min", &L->kc_min, false },
		{ "kmem_cache", "red_left_pad", &L->kc_red_left_pad, false },
		{ "kmem_cache", "inuse", &L->kc_inuse, false },
		{ "kmem_cache", "name", &L->kc_name, true },
		{ "kmem_cache", "list", &L->kc_list, true },
		{ "kmem_cache", "random", &L->kc_random, false },
		{ "kmem_cache_node", "nr_partial", &L->kcn_nr_partial, true },
		{ "kmem_cache_node", "partial", &L->kcn_partial, true },
		{ "kmem_cache_node", "nr_slabs", &L->kcn_nr_slabs, false },
		{ "kmem_cache_node", "full", &L->kcn_full, false },
		{ "kmem_cache_node", "total_objects", &L->kcn_total_objects, false },
	};

	if (!match_known_layout(s, L) ||
	    !lx_resolve_members(s->t, LX_MEMBERS(req), "walk SLUB") ||
	    !resolve_features(s, L))
		return LX_EABSENT;
	L->kc_size_of = lx_type_size(s->t, "kmem_cache");
	L->kcn_size_of = lx_type_size(s->t, "kmem_cache_node");
	if (L->kcn_size_of <= 0 || L->kc_size_of <= 0) {
		lx_msg(s->t, LX_MSG_ERROR, "incomplete kmem_cache/kmem_cache_node types");
		return LX_EABSENT;
	}
	if (!resolve_slab_struct(s, L) || !resolve_slab_test(s, L))
		return LX_EABSENT;
	if (!lx_symbol(s->t, "slab_caches", &L->slab_caches)) {
		lx_msg(s->t, LX_MSG_ERROR, "symbol slab_caches not found");
		return LX_EABSENT;
	}
	return LX_OK;
}
