/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A synthetic SLAB kernel (mm/slab.c, Linux 6.1's types) on top of the
 * fake kernel image (fake_target.h): its own struct kmem_cache,
 * kmem_cache_node, array_cache, alien_cache and struct slab (or the slab
 * fields of struct page), one cache of FS_OBJ_SIZE-byte objects, order-0
 * slabs, per-cpu, shared and alien array caches.  Older kernels' types
 * instead (fs_config.kernel): 2.6.32's and 3.10's struct slab with
 * kmem_bufctl_t[], kmem_cache.array[], and 3.16's slab fields in struct
 * page with kmem_cache.array[].
 */
#ifndef FAKE_SLAB_H
#define FAKE_SLAB_H

#include "fake_target.h"

#define FS_CACHE 0xffff888001500000ULL	/* the SLAB kmem_cache */
#define FS_NODE 0xffff888001600000ULL	/* node n's kmem_cache_node at + n * 0x100 */
#define FS_ARRAYS 0xffff888001700000ULL	/* array cache slot n at + n * FS_ARRAY_STRIDE */
#define FS_ARRAY_STRIDE 0x400
#define FS_NR_ARRAYS 12
#define FS_ALIEN_PTRS 0xffff888001780000ULL	/* node n's alien[] at + n * 0x40 */
#define FS_OFFSLAB 0xffff888001800000ULL	/* pfn p's off-slab freelist at + p * 0x20 */
/*
 * Before 3.13: pfn p's off-slab struct slab and bufctl[] at + p * 0x100,
 * in direct-mapped pages (pfns 240-255) as a kmalloc object is.
 */
#define FS_OFFSLAB_DESC (FK_PAGE_OFFSET + 240 * FK_PAGE_SIZE)
#define FS_CPU_CACHE FK_CPU_SLAB	/* __percpu struct array_cache * */
#define FS_OBJ_SIZE 512
#define FS_COLOUR 64			/* colour_off: one cache line */
#define FS_NAME "size-512"
/* The cache's array cache tunables (kmem_cache limit, batchcount, shared). */
#define FS_LIMIT 120
#define FS_BATCH 60
#define FS_SHARED 8
#define FS_SHARED_LIMIT (FS_SHARED * FS_BATCH)
#define FS_ALIGN 64
#define FS_SHARED_BATCH 0xbaadf00dU	/* every shared and alien cache's */

/* Where a slab keeps its freelist (kmem_cache.flags, mm/slab.c). */
enum fs_freelist { FS_ON_SLAB, FS_OBJFREELIST, FS_OFF_SLAB };

/* Whose SLAB types the fake has. */
enum fs_kernel {
	FS_6_1,		/* struct slab, or (page_fields) struct page; cpu_cache */
	/*
	 * 3.16: slab fields in struct page (page_fields implied), the array
	 * caches in kmem_cache.array[], kmem_cache.node a pointer into it.
	 */
	FS_3_16,
	/*
	 * 3.10: struct slab followed by kmem_bufctl_t[], page.slab_cache and
	 * page.slab_page, kmem_cache.array[] and the node pointer.
	 */
	FS_3_10,
	/*
	 * 2.6.32: struct slab and kmem_bufctl_t[], page.lru.next/prev,
	 * kmem_cache.array[] first and nodelists[] last, struct kmem_list3,
	 * buffer_size, obj_size (debug only), next on cache_chain.
	 */
	FS_2_6_32,
};

struct fs_config {
	/* freelist_idx_t bytes: 1 or 2; FS_3_16 also 4 (3.13's); bufctl: 4 */
	unsigned int width;
	enum fs_freelist where;
	bool page_fields;	/* before 5.17: slab fields in struct page, lru */
	uint32_t obj_offset;	/* CONFIG_DEBUG_SLAB's obj_offset; 0: none */
	uint32_t flags;		/* more kmem_cache.flags, e.g. SLAB_STORE_USER */
	enum fs_kernel kernel;
};

struct fake_slab {
	struct fake_kernel fk;	/* first: the dump ops' priv for both */
	struct fs_config cfg;
	uint32_t num;		/* objects per slab */
	/* what each node's lists were given, for its counters */
	uint64_t slabs[FK_MAX_NODES], free_slabs[FK_MAX_NODES];
	uint64_t free_objects[FK_MAX_NODES];
	uint32_t active[FK_MAX_PFN];	/* each slab's, as added */
	uint64_t freelist[FK_MAX_PFN];	/* each slab's freelist (bufctl) array */
	uint64_t desc[FK_MAX_PFN];	/* before 3.13: each slab's struct slab */
	uint64_t cpu_array[FK_NR_CPUS];	/* kmem_cache.array[cpu] kernels' */
	uint32_t slab_size;		/* kmem_cache.slab_size (before 3.13) */
	int next_array;
};

void fs_init(struct fake_slab *fs, const struct fs_config *cfg);
void fs_fini(struct fake_slab *fs);
/* Object index's slot in slab pfn, and the object's address in it. */
uint64_t fs_slot(const struct fake_slab *fs, unsigned long pfn, unsigned int index);
uint64_t fs_obj(const struct fake_slab *fs, unsigned long pfn, unsigned int index);
/*
 * A slab page of the cache at pfn, first object colour * FS_COLOUR bytes
 * in, active objects allocated; its free indexes, in freelist order
 * (freelist[active .. num-1]), are free[0 .. num-active).  The allocated
 * ones fill freelist[0 .. active) in ascending order.  Before 3.13 the
 * free indexes are a bufctl chain in that order, from slab->free, and an
 * on-slab struct slab is colour * FS_COLOUR bytes in, the objects after it.
 */
void fs_add_slab(struct fake_slab *fs, unsigned long pfn, unsigned int colour,
		 unsigned int active, const unsigned int *free);
/*
 * Link slabs (by pfn, 0-terminated) into node's slabs_partial,
 * slabs_full or slabs_free list, and count them for its counters.
 */
void fs_list(struct fake_slab *fs, unsigned int node, enum lx_slab_source which,
	     const unsigned long *pfns);
/* Write each node's total_slabs, free_slabs, free_objects as counted. */
void fs_counters(struct fake_slab *fs);
void fs_set_counter(struct fake_slab *fs, unsigned int node, const char *member,
		    uint64_t value);
/* cpu's array cache holds these n objects (limit: its limit; FS_BATCH). */
void fs_cpu_cache(struct fake_slab *fs, int cpu, const uint64_t *objs, uint32_t n,
		  uint32_t limit);
/* A fresh shared array cache holding these n objects; its address. */
uint64_t fs_array(struct fake_slab *fs, const uint64_t *objs, uint32_t n,
		  uint32_t limit);
void fs_shared(struct fake_slab *fs, unsigned int node, uint64_t ac);
/* node's alien cache for objects of from_node's slabs: an alien_cache. */
void fs_alien(struct fake_slab *fs, unsigned int node, unsigned int from_node,
	      const uint64_t *objs, uint32_t n);
/* The struct slab (or page) field of slab pfn, by member name. */
void fs_set_slab_field(struct fake_slab *fs, unsigned long pfn, const char *member,
		       uint64_t value);
/* The freelist's index i of slab pfn (before 3.13: bufctl[i]). */
void fs_set_index(struct fake_slab *fs, unsigned long pfn, unsigned int i,
		  unsigned int value);
uint64_t fs_freelist(const struct fake_slab *fs, unsigned long pfn);
/* Before 3.13: slab pfn's struct slab, and its struct page's link to it. */
uint64_t fs_desc(const struct fake_slab *fs, unsigned long pfn);
void fs_set_page_slab(struct fake_slab *fs, unsigned long pfn, uint64_t desc);
/* The address of kmem_cache's member, by today's name ("size", "node", "array"). */
uint64_t fs_cache_member(const struct fake_slab *fs, const char *name);

#endif
