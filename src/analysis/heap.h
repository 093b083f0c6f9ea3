/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The heap index: one walk of every cache, kept so that any address can be
 * answered "which cache, which object, live or free" in O(log slabs).
 * Liveness comes from the walker (decide_liveness() in slub.c) and is only
 * copied here, one bit per object.
 */
#ifndef LEAKEXT_HEAP_H
#define LEAKEXT_HEAP_H

#include "slab/allocator.h"

struct lx_heap_cache {
	struct lx_cache cache;
	uint64_t live, total;
	bool ok;		/* walked without an integrity problem */
	/* struct of its objects, "" unknown: lx_heap_cache_type() (cachetypes.h) */
	char type[LX_NAME_MAX];
	bool type_known;	/* type was looked up */
	/*
	 * Debug metadata (SLAB_NOLEAKTRACE: kmemleak's own records): its
	 * words keep only other metadata alive (refs.h).
	 */
	bool metadata;
	/*
	 * 2^64 / cache.size rounded up: an offset below 2^32 in a slab
	 * divided by size with a multiply (lx_heap_find() runs on nearly
	 * every heap word the reach pass reads); 0: divide.
	 */
	uint64_t size_inverse;
};

struct lx_heap_slab {
	uint64_t base;		/* first byte of slab memory */
	uint64_t first;		/* heap-wide number of its object 0 */
	uint32_t cache;		/* index into lx_heap.caches */
	uint32_t objects;
};

struct lx_heap {
	struct lx_heap_cache *caches;
	size_t ncaches, caches_cap;
	struct lx_heap_slab *slabs;	/* sorted by base, never overlapping */
	size_t nslabs, slabs_cap;
	uint8_t *live;			/* one bit per object, set = live */
	size_t live_cap;
	uint64_t nobjects, nlive;
	uint64_t lo, hi;		/* lowest slab start, highest slab end */
	/*
	 * By address: granule g (1 << granule_shift bytes from lo) holds the
	 * starts of slabs [granule[g], granule[g + 1]); NULL: none built.
	 */
	uint32_t *granule;
	size_t ngranules;
	unsigned int granule_shift;
	/*
	 * By number: the slab holding number g << number_shift is
	 * by_number[g] (g < nnumber_granules); NULL: none built.
	 */
	uint32_t *by_number;
	size_t nnumber_granules;
	unsigned int number_shift;
	/* Allocator bookkeeping of every cache (lx_scan.bookkeeping), sorted. */
	struct lx_span *bookkeeping;
	size_t nbookkeeping, bookkeeping_cap;
	unsigned int bad_caches;	/* caches whose walk was flagged */
	unsigned int moving_caches;	/* a live kernel's caches that moved */
	unsigned int overlaps;		/* slabs dropped: memory claimed twice */
	bool complete;			/* every cache was walked */
};

/*
 * (Re)build the coarse indexes over the sorted slabs, by address (struct
 * lx_heap.granule) and by number (by_number): a lookup then searches only
 * the slabs starting in one granule.  Without them (no memory for them)
 * lookups search every slab.
 */
void lx_heap_index_granules(struct lx_session *s, struct lx_heap *h);
/*
 * The first bookkeeping span that ends after addr, or NULL: words in
 * [span->start, span->end) are no references.
 */
const struct lx_span *lx_heap_bookkeeping_after(const struct lx_heap *h, uint64_t addr);

/* Where an address falls in the heap. */
struct lx_heap_hit {
	const struct lx_heap_cache *cache;
	const struct lx_heap_slab *slab;
	uint32_t index;		/* object index in its slab */
	uint64_t object;	/* first byte of the object */
	uint64_t offset;	/* of the address inside the object */
	uint64_t number;	/* heap-wide object number */
	bool live;
};

/*
 * Walk every cache and index its slabs.  On LX_OK the index may still be
 * partial: h->complete and h->bad_caches say.  Free with lx_heap_free().
 */
enum lx_status lx_heap_build(struct lx_session *s, struct lx_heap *h);
/* The same, taking known's cache from that finished walk instead of again. */
enum lx_status lx_heap_build_with(struct lx_session *s, struct lx_heap *h,
				  const struct lx_scan *known);
void lx_heap_free(struct lx_session *s, struct lx_heap *h);

/* lx_heap_cache.size_inverse of a cache of objects size bytes apart. */
uint64_t lx_heap_size_inverse(uint32_t size);
/* rel / hc->cache.size, by the inverse where it is exact. */
uint64_t lx_heap_divide(const struct lx_heap_cache *hc, uint64_t rel);

/*
 * The object whose bytes [start, start + object_size) contain addr; false
 * for an address outside every slab, in a red zone or in slab padding.
 */
bool lx_heap_find(const struct lx_heap *h, uint64_t addr, struct lx_heap_hit *hit);
/*
 * The same, first in *near (a slab of h, or NULL), the slab of the last
 * hit afterwards: words read one after another mostly point into one
 * slab (an array of pointers to objects allocated in turn, a list).
 */
bool lx_heap_find_near(const struct lx_heap *h, const struct lx_heap_slab **near,
		       uint64_t addr, struct lx_heap_hit *hit);

/* Bit n of a bitmap (one bit per heap object, or per clustered object). */
static inline void lx_bit_set(uint8_t *bits, uint64_t n)
{
	bits[n / 8] |= 1u << (n % 8);
}

static inline bool lx_bit_test(const uint8_t *bits, uint64_t n)
{
	return bits[n / 8] & (1u << (n % 8));
}

static inline bool lx_heap_live(const struct lx_heap *h, uint64_t number)
{
	return lx_bit_test(h->live, number);
}

/* The slab holding a heap-wide object number, or NULL if out of range. */
const struct lx_heap_slab *lx_heap_slab_of(const struct lx_heap *h, uint64_t number);

/* Address of a heap-wide object number's first byte; 0 if out of range. */
uint64_t lx_heap_object_addr(const struct lx_heap *h, uint64_t number,
			     const struct lx_heap_cache **cache);
/* The same for a number slab hs holds (lx_heap_slab_of()). */
uint64_t lx_heap_slab_object_addr(const struct lx_heap *h, const struct lx_heap_slab *hs,
				  uint64_t number);

#endif
