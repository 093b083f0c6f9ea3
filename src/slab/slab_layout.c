// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Resolve the SLAB layout of the dumped kernel (mm/slab.c, removed in
 * 6.8) by type, member and symbol presence, never by version number.
 *
 * What a SLAB kernel's types have is told by members (slab_features[]);
 * the combinations leakext walks are rows of known_layouts[]:
 *   - struct slab with SLAB's fields (5.17+, kernel commit d122019bf061
 *     "mm: Split slab into its own type"), per-cpu array caches through
 *     kmem_cache.cpu_cache (3.18+, kernel commit bf0dea23a9c0 "mm/slab:
 *     use percpu allocator for cpu cache");
 *   - the same fields in struct page (from 3.13, kernel commit
 *     8456a648cf44 "slab: use struct page for slab management"), linked
 *     through lru before the slab_list rename (5.1), with cpu_cache
 *     (3.18 - 5.16) or with the array caches in kmem_cache.array[] and
 *     kmem_cache.node a pointer to node pointers in array[]'s tail
 *     (3.13 - 3.17);
 *   - before 3.13, a struct slab of its own (list, colouroff, s_mem,
 *     inuse, free, nodeid) followed by kmem_bufctl_t[num], at the start of
 *     the slab (on-slab) or allocated from a kmalloc cache (CFLGS_OFF_SLAB),
 *     each of the slab's pages pointing to its cache and to the struct
 *     slab through page.slab_cache and page.slab_page (3.x) or lru.next
 *     and lru.prev (2.6.32); array caches in kmem_cache.array[], and
 *     kmem_cache.node (nodelists) the array (2.6.32) or a pointer (3.x).
 * Older names are alternatives (old_names[]): struct kmem_list3 for
 * kmem_cache_node, kmem_cache.nodelists for node and next (on the
 * cache_chain list) for list, all renamed between 2.6.32 and 3.10;
 * buffer_size and obj_size for size and object_size (kernel commit
 * 3b0efdfa1e71 "mm, sl[aou]b: Extract common fields from struct
 * kmem_cache").  Any other combination is refused.
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

/* What a SLAB kernel's types have, each told by slab_features[]. */
enum slab_feature {
	F_CPU_CACHE = 1 << 0,	/* kmem_cache.cpu_cache: __percpu (3.18+) */
	F_ARRAY = 1 << 1,	/* kmem_cache.array[]: per-cpu pointers (< 3.18) */
	F_NODE_PTR = 1 << 2,	/* kmem_cache.node, a pointer before array[] */
	F_STRUCT_SLAB = 1 << 3,	/* slab.slab_cache: struct slab (5.17+) */
	F_PAGE_FIELDS = 1 << 4,	/* page.s_mem: slab fields in struct page */
	F_BUFCTL = 1 << 5,	/* slab.free: struct slab, kmem_bufctl_t[] */
	F_PAGE_SLAB_PTR = 1 << 6, /* page.slab_page (3.x; 2.6.32: lru.prev) */
	F_OLD_NAMES = 1 << 7,	/* kmem_cache.buffer_size (before 3b0efdfa1e71) */
};

/* Names older kernels gave what SLAB reads: today's first. */
static const struct old_name {
	const char *type, *name, *old;
} old_names[] = {
	{ "kmem_cache", "size", "buffer_size" },
	{ "kmem_cache", "object_size", "obj_size" },	/* CONFIG_DEBUG_SLAB */
	{ "kmem_cache", "list", "next" },	/* on cache_chain */
	{ "kmem_cache", "node", "nodelists" },
};

/* The name the kernel has for type.name: today's, else an older one. */
static const char *member_name(struct lx_session *s, const char *type, const char *name)
{
	size_t i;

	if (lx_member_offset(s->t, type, name) >= 0)
		return name;
	for (i = 0; i < sizeof(old_names) / sizeof(old_names[0]); i++)
		if (!strcmp(old_names[i].type, type) && !strcmp(old_names[i].name, name) &&
		    lx_member_offset(s->t, type, old_names[i].old) >= 0)
			return old_names[i].old;
	return name;
}

/* struct kmem_cache_node, struct kmem_list3 before the rename. */
static const char *node_type(struct lx_session *s)
{
	if (lx_type_size(s->t, "kmem_cache_node") <= 0 &&
	    lx_type_size(s->t, "kmem_list3") > 0)
		return "kmem_list3";
	return "kmem_cache_node";
}

/*
 * kmem_cache.node (nodelists) before kmem_cache.array[]: the pointer 3.x
 * kernels set to &array[nr_cpu_ids] (mm/slab.c setup_node_pointer()).
 * 2.6.32's nodelists[] is an array at the struct's end, after array[].
 */
static bool node_is_pointer(struct lx_session *s)
{
	long node = lx_member_offset(s->t, "kmem_cache",
				     member_name(s, "kmem_cache", "node"));
	long array = lx_member_offset(s->t, "kmem_cache", "array");

	return node >= 0 && array >= 0 && node < array;
}

static const struct slab_feature_row {
	unsigned int feature;
	const char *type, *member;	/* the member that tells it */
} slab_features[] = {
	{ F_CPU_CACHE, "kmem_cache", "cpu_cache" },
	{ F_ARRAY, "kmem_cache", "array" },
	{ F_NODE_PTR, "kmem_cache", "node (a pointer)" },
	{ F_STRUCT_SLAB, "slab", "slab_cache" },
	{ F_PAGE_FIELDS, "page", "s_mem" },
	{ F_BUFCTL, "slab", "free" },
	{ F_PAGE_SLAB_PTR, "page", "slab_page" },
	{ F_OLD_NAMES, "kmem_cache", "buffer_size" },
};

#define NR_FEATURES (sizeof(slab_features) / sizeof(slab_features[0]))

/*
 * The SLAB layouts leakext knows where every free object is in: the
 * features a row's kernels all have, and those some of them have.
 */
static const struct slab_layout {
	const char *name;
	unsigned int has, may;
} known_layouts[] = {
	/*
	 * 2.6.32 - 3.12: array caches in kmem_cache.array[]; 3.x kernels
	 * point from the page to the struct slab by page.slab_page and keep
	 * node pointers behind array[]; the names changed on the way.
	 */
	{ "SLAB, struct slab with kmem_bufctl_t[], kmem_cache.array[] (before 3.13)",
	  F_ARRAY | F_BUFCTL, F_NODE_PTR | F_PAGE_SLAB_PTR | F_OLD_NAMES },
	{ "SLAB, slab fields in struct page, kmem_cache.array[] (3.13 - 3.17)",
	  F_ARRAY | F_NODE_PTR | F_PAGE_FIELDS, 0 },
	{ "SLAB, slab fields in struct page (3.18 - 5.16)",
	  F_CPU_CACHE | F_PAGE_FIELDS, 0 },
	{ "SLAB, struct slab (5.17+)", F_CPU_CACHE | F_STRUCT_SLAB, 0 },
};

static bool has(const struct lx_layout *L, unsigned int feature)
{
	return L->features & feature;
}

static bool feature_present(struct lx_session *s, const struct slab_feature_row *f)
{
	if (f->feature == F_NODE_PTR)
		return node_is_pointer(s);
	return lx_member_offset(s->t, f->type, f->member) >= 0;
}

/* "type.member, type.member" of the features in (or not in) features. */
static size_t list_features(unsigned int features, bool present, const char *head,
			    char *buf, size_t len, size_t used)
{
	const char *sep = head;
	size_t i;

	for (i = 0; i < NR_FEATURES && used < len; i++) {
		if (!!(features & slab_features[i].feature) != present)
			continue;
		used += snprintf(buf + used, len - used, "%s%s.%s", sep,
				 slab_features[i].type, slab_features[i].member);
		sep = ", ";
	}
	return used;
}

static bool match_known_layout(struct lx_session *s, struct lx_layout *L)
{
	char found[384];
	size_t i, used;

	for (i = 0; i < NR_FEATURES; i++)
		if (feature_present(s, &slab_features[i]))
			L->features |= slab_features[i].feature;
	for (i = 0; i < sizeof(known_layouts) / sizeof(known_layouts[0]); i++) {
		const struct slab_layout *k = &known_layouts[i];

		if ((L->features & k->has) == k->has &&
		    !(L->features & ~(k->has | k->may))) {
			L->layout_name = k->name;
			return true;
		}
	}
	used = list_features(L->features, true, "has ", found, sizeof(found), 0);
	list_features(L->features, false, used ? "; lacks " : "lacks ", found,
		      sizeof(found), used);
	lx_msg(s->t, LX_MSG_ERROR,
	       "a SLAB layout leakext does not know (the dump's types: %s); where its free objects are is unknown, so no counts are reported",
	       found);
	return false;
}

/* Members SLAB's walker does not read, absent for its layout. */
static void clear_slub_fields(struct lx_layout *L)
{
	memset(L, 0xff, sizeof(*L));	/* every long offset -1 */
	L->features = 0;
	L->layout_name = NULL;
	L->kc_node_slots = 0;
	L->kc_array_slots = 0;
	L->kc_node_indirect = false;
	L->slab_bufctl = false;
	L->slab_type = NULL;
	L->slab_test_value = 0;
	L->slab_caches = 0;
	L->caches_symbol = NULL;
	L->slab_test = LX_SLAB_PAGE_FLAG;
}

static bool resolve_cache(struct lx_session *s, struct lx_layout *L)
{
	const struct lx_member_req req[] = {
		{ "kmem_cache", "flags", &L->kc_flags, true },
		{ "kmem_cache", member_name(s, "kmem_cache", "size"), &L->kc_size, true },
		/* 2.6.32: obj_size only with CONFIG_DEBUG_SLAB, else size */
		{ "kmem_cache", member_name(s, "kmem_cache", "object_size"),
		  &L->kc_object_size, false },
		{ "kmem_cache", "num", &L->kc_num, true },
		{ "kmem_cache", "gfporder", &L->kc_gfporder, true },
		{ "kmem_cache", "name", &L->kc_name, true },
		{ "kmem_cache", member_name(s, "kmem_cache", "list"), &L->kc_list, true },
		{ "kmem_cache", member_name(s, "kmem_cache", "node"), &L->kc_node, true },
		/* CONFIG_DEBUG_SLAB: the object's offset in its slot */
		{ "kmem_cache", "obj_offset", &L->kc_obj_offset, false },
		{ "kmem_cache", "freelist_size", &L->kc_freelist_size, false },
		/* witnesses of the array caches and of each slab's s_mem */
		{ "kmem_cache", "limit", &L->kc_limit, false },
		{ "kmem_cache", "batchcount", &L->kc_batchcount, false },
		{ "kmem_cache", "shared", &L->kc_shared, false },
		{ "kmem_cache", "align", &L->kc_align, false },
		/* before 3.13: where each struct slab lies */
		{ "kmem_cache", "slab_size", &L->kc_slab_size, false },
		{ "kmem_cache", "colour_off", &L->kc_colour_off, false },
	};

	if (!lx_resolve_members(s->t, LX_MEMBERS(req), WHAT))
		return false;
	L->kc_size_of = lx_type_size(s->t, "kmem_cache");
	return L->kc_size_of > 0;
}

/*
 * Each cpu's array cache: through the __percpu pointer kmem_cache.cpu_cache
 * (3.18+), or kmem_cache.array[cpu] (before; NR_CPUS pointers, in 3.x
 * with MAX_NUMNODES more for the node pointers).
 */
static bool resolve_cpu_caches(struct lx_session *s, struct lx_layout *L)
{
	unsigned int word = lx_word_size(s->t);
	long size;
	const struct lx_member_req req[] = {
		{ "kmem_cache", "cpu_cache", &L->kc_cpu_cache, has(L, F_CPU_CACHE) },
		{ "kmem_cache", "array", &L->kc_array, has(L, F_ARRAY) },
	};

	if (!lx_resolve_members(s->t, LX_MEMBERS(req), WHAT))
		return false;
	if (!has(L, F_ARRAY))
		return true;
	size = lx_member_size(s->t, "kmem_cache", "array");
	if (size < word || size % word || L->kc_array + size > L->kc_size_of) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "kmem_cache.array is not an array of array cache pointers; cannot %s", WHAT);
		return false;
	}
	L->kc_array_slots = size / word;
	return true;
}

/*
 * MAX_NUMNODES, when kmem_cache has no node array to size it by: the
 * bits of a nodemask_t, task_struct.mems_allowed (CONFIG_CPUSETS), else
 * one word's (NODES_SHIFT up to 6).  It bounds nr_node_ids and is the
 * stride of node_states[].
 */
static unsigned int nodemask_bits(struct lx_session *s)
{
	long size = lx_member_size(s->t, "task_struct", "mems_allowed");
	long word = lx_word_size(s->t);

	if (size < word || size % word || size > 4096 / 8)
		size = word;
	return 8 * size;
}

/*
 * kmem_cache.node[MAX_NUMNODES] (nodelists[] in 2.6.32): kmem_cache_node
 * pointers, the struct's end; or, before array[], a pointer to them.
 */
static bool resolve_node_pointers(struct lx_session *s, struct lx_layout *L)
{
	long size = lx_member_size(s->t, "kmem_cache", member_name(s, "kmem_cache", "node"));

	L->kc_node_stride = lx_word_size(s->t);
	L->kc_node_ptr = 0;
	if (has(L, F_NODE_PTR)) {
		if (size != L->kc_node_stride) {
			lx_msg(s->t, LX_MSG_ERROR,
			       "kmem_cache.node before kmem_cache.array is not a pointer; cannot %s",
			       WHAT);
			return false;
		}
		L->kc_node_indirect = true;
		L->kc_node_slots = nodemask_bits(s);
		return true;
	}
	if (size < L->kc_node_stride || size % L->kc_node_stride ||
	    L->kc_node + size > L->kc_size_of) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "kmem_cache.node is not an array of node pointers; cannot %s", WHAT);
		return false;
	}
	L->kc_node_slots = size / L->kc_node_stride;
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
 * struct kmem_cache_node of SLAB (kmem_list3 in 2.6.32): three slab
 * lists, the free object count, the shared and alien array caches;
 * total_slabs and free_slabs count the lists where the kernel keeps them.
 */
static bool resolve_node(struct lx_session *s, struct lx_layout *L)
{
	const char *type = node_type(s);
	const struct lx_member_req req[] = {
		{ type, "slabs_partial", &L->kcn_slabs_partial, true },
		{ type, "slabs_full", &L->kcn_slabs_full, true },
		{ type, "slabs_free", &L->kcn_slabs_free, true },
		{ type, "free_objects", &L->kcn_free_objects, true },
		{ type, "shared", &L->kcn_shared, true },
		{ type, "alien", &L->kcn_alien, true },
		{ type, "total_slabs", &L->kcn_total_slabs, false },
		{ type, "free_slabs", &L->kcn_free_slabs, false },
	};

	if (!lx_resolve_members(s->t, LX_MEMBERS(req), WHAT))
		return false;
	L->kcn_size_of = lx_type_size(s->t, type);
	return L->kcn_size_of > 0;
}

/* struct slab (5.17+) or struct page (3.13 - 5.16) with SLAB's fields. */
static bool resolve_slab_fields(struct lx_session *s, struct lx_layout *L)
{
	L->slab_type = has(L, F_STRUCT_SLAB) ? "slab" : "page";
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
 * Where a page points to its cache and its struct slab (mm/slab.c
 * page_set_cache(), page_set_slab()): page.slab_cache and page.slab_page,
 * else (2.6.32) lru.next and lru.prev.  A kernel with one of the two
 * named is none leakext knows.
 */
static bool resolve_page_links(struct lx_session *s, struct lx_layout *L)
{
	bool named = has(L, F_PAGE_SLAB_PTR);
	unsigned int word = lx_word_size(s->t);
	const struct lx_member_req req[] = {
		{ "page", named ? "slab_cache" : "lru", &L->page_cache, true },
		{ "page", named ? "slab_page" : "lru", &L->page_slab, true },
	};

	if (!named && lx_member_offset(s->t, "page", "slab_cache") >= 0) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "struct page has slab_cache but no slab_page for the struct slab (kmem_bufctl_t) it belongs to; cannot %s",
		       WHAT);
		return false;
	}
	if (!lx_resolve_members(s->t, LX_MEMBERS(req), WHAT))
		return false;
	if (!named)
		L->page_slab += word;	/* lru.prev */
	if (L->page_slab + word > L->page_size_of) {
		lx_msg(s->t, LX_MSG_ERROR, "struct page has no room for lru.prev; cannot %s", WHAT);
		return false;
	}
	/* what the memory map scan keeps of each slab page */
	L->slab_cache = L->page_cache;
	L->slab_freelist = L->slab_counters = L->page_slab;
	return true;
}

/*
 * Before 3.13: struct slab { list, colouroff, s_mem, inuse, free, nodeid },
 * kmem_bufctl_t (unsigned int) bufctl[num] right after it (mm/slab.c
 * slab_bufctl()).
 */
static bool resolve_bufctl_slab(struct lx_session *s, struct lx_layout *L)
{
	const struct lx_member_req req[] = {
		{ "slab", "list", &L->slab_list, true },
		{ "slab", "colouroff", &L->slab_colouroff, true },
		{ "slab", "s_mem", &L->slab_s_mem, true },
		{ "slab", "inuse", &L->slab_active, true },
		{ "slab", "free", &L->slab_free, true },
		{ "page", "flags", &L->slab_flags, true },
		{ "page", "compound_head", &L->slab_compound_head, false },
	};

	L->slab_type = "slab";
	L->slab_bufctl = true;
	L->slab_size_of = lx_type_size(s->t, "slab");
	L->page_size_of = lx_type_size(s->t, "page");
	if (L->slab_size_of <= 0 || L->page_size_of <= 0) {
		lx_msg(s->t, LX_MSG_ERROR, "unusable struct slab or struct page sizes; cannot %s",
		       WHAT);
		return false;
	}
	if (!lx_resolve_members(s->t, LX_MEMBERS(req), WHAT))
		return false;
	if (L->slab_list + 2 * lx_word_size(s->t) > L->slab_size_of ||
	    L->slab_free + 4 > L->slab_size_of || L->slab_active + 4 > L->slab_size_of) {
		lx_msg(s->t, LX_MSG_ERROR, "unusable struct slab (list, inuse, free); cannot %s",
		       WHAT);
		return false;
	}
	return resolve_page_links(s, L);
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

/* The list of every cache: slab_caches, or cache_chain (2.6.32). */
static bool resolve_cache_list(struct lx_session *s, struct lx_layout *L)
{
	static const char *const names[] = { "slab_caches", "cache_chain" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (lx_symbol(s->t, names[i], &L->slab_caches)) {
			L->caches_symbol = names[i];
			return true;
		}
	lx_msg(s->t, LX_MSG_ERROR, "symbol slab_caches (or cache_chain) not found");
	return false;
}

enum lx_status lx_slab_layout(struct lx_session *s)
{
	struct lx_layout *L = &s->L;

	clear_slub_fields(L);
	if (!match_known_layout(s, L) || !resolve_cache(s, L) ||
	    !resolve_cpu_caches(s, L) || !resolve_node_pointers(s, L) ||
	    !resolve_array_cache(s, L) || !resolve_node(s, L))
		return LX_EABSENT;
	if (!(has(L, F_BUFCTL) ? resolve_bufctl_slab(s, L) : resolve_slab_fields(s, L)) ||
	    !resolve_slab_test(s, L) || !resolve_cache_list(s, L))
		return LX_EABSENT;
	return LX_OK;
}
