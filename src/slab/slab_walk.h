/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SLAB walker's state (slab_walk.c), shared with the walk of the
 * struct slab of kernels before 3.13 (slab_bufctl.c).
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
	uint8_t *page;		/* bufctl: the struct page of the slab in hdr */
	uint8_t *kcn;		/* one kmem_cache_node */
	/* one freelist (num indexes of up to 4 bytes), or struct slab and bufctl */
	uint8_t *idx;
	const struct lx_visitor *visit;
	uint64_t cpu_cache;	/* kmem_cache.cpu_cache (__percpu) */
	uint64_t node_ptrs;	/* kmem_cache.node when a pointer to them */
	uint32_t freelist_size;	/* kmem_cache.freelist_size, 0 unknown */
	/* kmem_cache's array cache tunables and alignment; 0 unknown */
	uint32_t limit, batchcount, shared, align;
	/* before 3.13: kmem_cache.slab_size and colour_off; 0 unknown */
	uint32_t slab_size, colour_off;
	unsigned int width;	/* bytes of a freelist_idx_t, 0 unknown */
	/* what one node's lists held, against its counters */
	uint64_t node_slabs, node_free_slabs, node_free_objects;
};

/* What a slab's header says, whichever struct holds it. */
struct slab_hdr {
	uint64_t cache;		/* the cache the slab belongs to */
	uint64_t s_mem;		/* its first object's slot */
	uint64_t freelist;	/* its freelist_idx_t[] or kmem_bufctl_t[] */
	uint64_t start;		/* its memory: the first page's address */
	uint64_t page;		/* bufctl: that page's struct page, in w->page */
	uint32_t active;	/* objects allocated (inuse) */
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

/* slab_bufctl.c: struct slab followed by kmem_bufctl_t[] (before 3.13). */
/* Could addr be a struct slab: a direct-mapped, word-aligned address? */
bool lx_bufctl_address_ok(const struct lx_session *s, uint64_t addr);
/* Bytes of struct slab and its bufctl[] (w->idx holds them). */
size_t lx_bufctl_desc_bytes(const struct lx_session *s, uint32_t objects);
/*
 * The struct slab at addr, read into w->hdr, and its first page into
 * w->page: false (the problem noted) if the slab has no page to check it by.
 */
bool lx_bufctl_decode(struct walk *w, uint64_t addr, enum lx_slab_source src,
		      struct slab_hdr *h);
/* Objects, colour offset and first object fit the cache's slabs. */
bool lx_bufctl_fits(const struct walk *w, const struct slab_hdr *h);
/* The slab's first page is a slab page pointing back to it (noted if not). */
void lx_bufctl_page_witness(struct walk *w, uint64_t addr, const struct slab_hdr *h);
/*
 * Free-object source: the slab's bufctl chain from slab->free; NULL, or
 * why the chain (the slab's freelist) is not usable.
 */
const char *lx_bufctl_mark(struct walk *w, struct lx_slab *slab);

#endif
