/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The slab layout of the dumped kernel: offsets of the allocator's types
 * and of struct slab (or struct page), resolved once per command by member
 * and symbol presence (slub_layout.c, slab_layout.c).  The session holds
 * it (s->L).
 */
#ifndef LEAKEXT_SLAB_LAYOUT_H
#define LEAKEXT_SLAB_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

/* How a struct page says "this is a slab" (include/linux/page-flags.h). */
enum lx_slab_test {
	LX_SLAB_PAGE_FLAG,	/* PG_slab bit in page->flags (< 6.10) */
	LX_SLAB_TYPE_INVERTED,	/* 6.10-6.11: page_type bit cleared */
	LX_SLAB_TYPE_BYTE,	/* 6.12+: page_type >> 24 == PGTY_slab */
};

/*
 * What a kernel's SLUB types have, each told by one member's presence
 * (layout.c layout_features[]); every layout leakext walks is one
 * combination of these (layout.c known_layouts[]).
 */
enum lx_layout_feature {
	LX_LAYOUT_CPU_SLAB = 1 << 0,	/* kmem_cache.cpu_slab: kmem_cache_cpu (< 7.0) */
	LX_LAYOUT_SHEAVES = 1 << 1,	/* kmem_cache.cpu_sheaves (6.18+) */
	LX_LAYOUT_NODE_ARRAY = 1 << 2,	/* kmem_cache.node[]: kmem_cache_node pointers */
	LX_LAYOUT_NODE_BARN = 1 << 3,	/* kmem_cache_node.barn (6.18, 7.0) */
	LX_LAYOUT_PER_NODE = 1 << 4,	/* kmem_cache.per_node[]: node and barn (7.1+) */
	LX_LAYOUT_STRUCT_SLAB = 1 << 5,	/* slab.slab_cache: struct slab (5.17+) */
	LX_LAYOUT_CPU_PAGE = 1 << 6,	/* kmem_cache_cpu.page (< 5.17) */
	LX_LAYOUT_PAGE_SLAB_LIST = 1 << 7, /* page.slab_list (4.18 - 5.16) */
};

/* Offsets, resolved once by member and symbol presence; -1: absent. */
struct lx_layout {
	unsigned int features;		/* LX_LAYOUT_*; SLAB: slab_layout.c's */
	const char *layout_name;	/* the known layout they make */
	/* struct kmem_cache; -1: absent */
	long kc_size_of, kc_cpu_slab, kc_flags, kc_size, kc_object_size;
	long kc_offset, kc_oo, kc_min, kc_red_left_pad, kc_name;
	long kc_list, kc_random, kc_inuse;
	/*
	 * Per-node pointers: kc_node_slots entries of kc_node_stride bytes
	 * from kc_node, each with the kmem_cache_node pointer at kc_node_ptr
	 * and (7.1+) the barn pointer at kc_node_barn, else -1.
	 */
	long kc_node, kc_node_stride, kc_node_ptr, kc_node_barn;
	unsigned int kc_node_slots;
	/* struct kmem_cache_cpu */
	long kcc_size_of, kcc_freelist, kcc_slab, kcc_partial;
	/* struct kmem_cache_node */
	long kcn_size_of, kcn_nr_partial, kcn_partial, kcn_nr_slabs, kcn_full;
	long kcn_total_objects, kcn_barn;
	/*
	 * Per-cpu sheaves and the per-node barn (6.18+, kernel commit
	 * 2d517aa09bbc "slab: add opt-in caching layer of percpu sheaves"):
	 * -1 when the kernel has none.
	 */
	long kc_cpu_sheaves, kc_sheaf_capacity;
	long pcs_size_of, pcs_main, pcs_spare;
	long sheaf_size_of, sheaf_size, sheaf_objects, sheaf_barn_list;
	long barn_size_of, barn_sheaves_full, barn_nr_full;
	/* struct slab (5.17+) or the slab part of struct page */
	const char *slab_type;
	long slab_size_of, slab_flags, slab_list, slab_next, slab_cache;
	long slab_freelist, slab_counters, slab_compound_head, page_type;
	long page_size_of;
	/*
	 * SLAB (mm/slab.c), -1 where absent.  struct kmem_cache: the per-cpu
	 * array caches, objects per slab, page order, the debug offset of the
	 * object in its slot and the bytes of a freelist.
	 */
	long kc_cpu_cache, kc_num, kc_gfporder, kc_obj_offset, kc_freelist_size;
	/* the array cache tunables and the objects' alignment */
	long kc_limit, kc_batchcount, kc_shared, kc_align;
	/* struct array_cache, and where struct alien_cache holds one */
	long ac_size_of, ac_avail, ac_limit, ac_batchcount, ac_entry, alien_ac;
	/* struct kmem_cache_node: the three slab lists, counters, caches */
	long kcn_slabs_partial, kcn_slabs_full, kcn_slabs_free;
	long kcn_total_slabs, kcn_free_slabs, kcn_free_objects;
	long kcn_shared, kcn_alien;
	/* struct slab (or page): first object, allocated count (unsigned int) */
	long slab_s_mem, slab_active;
	/*
	 * SLAB before 3.18 (kernel commit bf0dea23a9c0 "mm/slab: use percpu
	 * allocator for cpu cache"): kmem_cache.array[] holds kc_array_slots
	 * array cache pointers, one per cpu id; -1: absent.  kc_node_indirect:
	 * kmem_cache.node (nodelists) is a pointer to the node pointers
	 * (3.x: array[]'s tail, mm/slab.c setup_node_pointer()), not the
	 * array itself.
	 */
	long kc_array;
	unsigned int kc_array_slots;
	bool kc_node_indirect;
	/*
	 * SLAB before 3.13 (kernel commit 8456a648cf44 "slab: use struct page
	 * for slab management"): a struct slab of its own (slab_type "slab")
	 * followed by kmem_bufctl_t[num], linked through slab_list (its
	 * list); slab_active is its inuse, slab_free its first free index.
	 * The slab's pages point to their cache (page_cache: page.slab_cache,
	 * or lru.next in 2.6.32) and to the struct slab (page_slab:
	 * page.slab_page, or lru.prev); slab_cache and slab_freelist are
	 * those two, the page words the memory map scan keeps.  kc_slab_size
	 * and kc_colour_off: kmem_cache.slab_size (struct slab and bufctl
	 * bytes) and colour_off, -1 where absent.
	 */
	bool slab_bufctl;
	long slab_colouroff, slab_free, page_cache, page_slab;
	long kc_slab_size, kc_colour_off;
	enum lx_slab_test slab_test;
	uint64_t slab_test_value;
	uint64_t slab_caches;		/* &slab_caches (list_head) */
	/* its symbol: NULL or "slab_caches"; SLAB: "cache_chain" (2.6.32) */
	const char *caches_symbol;
};

/* The entry for node in kmem_cache.node[] or .per_node[] of the cache at cache. */
static inline uint64_t lx_node_entry(const struct lx_layout *L, uint64_t cache,
				     unsigned int node)
{
	return cache + L->kc_node + (uint64_t)L->kc_node_stride * node;
}

#endif
