/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SLAB walker's state (slab_walk.c), for the files that walk a kind
 * of SLAB slab with it.
 */
#ifndef LEAKEXT_SLAB_WALK_H
#define LEAKEXT_SLAB_WALK_H

#include "slab/slab_alloc.h"
#include "slab/tracks.h"

/* Per-walk state. */
struct walk {
	struct lx_session *s;
	struct lx_scan *scan;
	struct lx_set seen;	/* slabs recorded (or rejected), once each */
	struct lx_cached_objs cached;	/* slot addresses held in array caches: free */
	uint8_t *hdr;		/* one struct slab (or page) */
	uint8_t *kcn;		/* one kmem_cache_node */
	uint8_t *idx;		/* one freelist: num indexes of up to 4 bytes */
	lx_slab_visitor visit;
	void *visit_arg;
	uint64_t cpu_cache;	/* kmem_cache.cpu_cache (__percpu) */
	uint64_t node_ptrs;	/* kmem_cache.node when a pointer to them */
	uint32_t freelist_size;	/* kmem_cache.freelist_size, 0 unknown */
	/* kmem_cache's array cache tunables and alignment; 0 unknown */
	uint32_t limit, batchcount, shared, align;
	unsigned int width;	/* bytes of a freelist_idx_t, 0 unknown */
	/* what one node's lists held, against its counters */
	uint64_t node_slabs, node_free_slabs, node_free_objects;
};

/* What a slab's header says, whichever struct holds it. */
struct slab_hdr {
	uint64_t cache;		/* the cache the slab belongs to */
	uint64_t s_mem;		/* its first object's slot */
	uint64_t freelist;	/* its freelist_idx_t[] */
	uint64_t start;		/* its memory: the first page's address */
	uint32_t active;	/* objects allocated */
};

static inline const char *cache_name(const struct walk *w)
{
	return w->scan->cache.name;
}

/* The bytes of every slab of the cache (SLAB has one slab size). */
static inline uint64_t slab_bytes(const struct walk *w)
{
	return w->s->arch.page_size << w->scan->cache.oo_order;
}

#endif
