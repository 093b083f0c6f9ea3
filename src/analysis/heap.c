// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The heap index (heap.h).  Every cache is walked once with lx_scan_cache();
 * each slab keeps its base, cache and object count, each object one live
 * bit.  Slabs are then sorted by address so a lookup is a binary search.
 * A slab whose memory another slab already claims (a corrupt list, or two
 * caches naming the same page) is dropped and counted, so one address never
 * has two answers.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/heap.h"
#include "slab/kmemleak.h"

/* Slabs and bits as collected, before sorting. */
struct heap_build {
	struct lx_heap *h;
	const struct lx_scan *known;	/* a cache already walked, or NULL */
	uint64_t noleaktrace;		/* SLAB_NOLEAKTRACE in kmem_cache.flags */
	uint8_t *bits;			/* live bits in collection order */
	size_t bits_cap;
	enum lx_status status;
};

static enum lx_status add_cache_slabs(struct lx_session *s, struct heap_build *b,
				      const struct lx_scan *scan, uint32_t cache)
{
	struct lx_heap *h = b->h;
	size_t i;
	uint32_t j;

	if (lx_reserve(s->t, &h->slabs, &h->slabs_cap, h->nslabs + scan->nslabs,
		       sizeof(*h->slabs)))
		return LX_ENOMEM;
	for (i = 0; i < scan->nslabs; i++) {
		const struct lx_slab *sl = &scan->slabs[i];
		struct lx_heap_slab *hs = &h->slabs[h->nslabs++];

		hs->base = sl->base;
		hs->first = h->nobjects;
		hs->cache = cache;
		hs->objects = sl->objects;
		if (lx_reserve(s->t, &b->bits, &b->bits_cap,
			       (h->nobjects + sl->objects + 7) / 8, 1))
			return LX_ENOMEM;
		for (j = 0; j < sl->objects; j++)
			if (!lx_object_is_free(scan, sl, j))
				lx_bit_set(b->bits, h->nobjects + j);
		h->nobjects += sl->objects;
	}
	return LX_OK;
}

static enum lx_status add_bookkeeping(struct lx_session *s, struct lx_heap *h,
				      const struct lx_scan *scan)
{
	if (!scan->nbookkeeping)
		return LX_OK;
	if (lx_reserve(s->t, &h->bookkeeping, &h->bookkeeping_cap,
		       h->nbookkeeping + scan->nbookkeeping, sizeof(*h->bookkeeping)))
		return LX_ENOMEM;
	memcpy(h->bookkeeping + h->nbookkeeping, scan->bookkeeping,
	       scan->nbookkeeping * sizeof(*scan->bookkeeping));
	h->nbookkeeping += scan->nbookkeeping;
	return LX_OK;
}

/* One walked cache into the index; false (b->status set) when memory ran out. */
static bool add_walked_cache(struct lx_session *s, struct heap_build *b,
			     const struct lx_cache *c, const struct lx_scan *scan)
{
	struct lx_heap *h = b->h;
	struct lx_heap_cache *hc;

	if (lx_reserve(s->t, &h->caches, &h->caches_cap, h->ncaches + 1,
		       sizeof(*h->caches)) ||
	    add_cache_slabs(s, b, scan, (uint32_t)h->ncaches) ||
	    add_bookkeeping(s, h, scan)) {
		b->status = LX_ENOMEM;
		return false;
	}
	hc = &h->caches[h->ncaches++];
	memset(hc, 0, sizeof(*hc));
	hc->cache = *c;
	hc->live = scan->live;
	hc->total = scan->total;
	hc->ok = lx_integrity_ok(&scan->integrity);
	hc->metadata = (c->flags & b->noleaktrace) != 0;
	hc->size_inverse = lx_heap_size_inverse(c->size);
	h->bad_caches += lx_integrity_flagged(&scan->integrity);
	h->moving_caches += scan->integrity.moving;
	return true;
}

static bool index_one_cache(struct lx_session *s, const struct lx_cache *c, void *arg)
{
	struct heap_build *b = arg;
	struct lx_heap *h = b->h;
	enum lx_status ret;
	struct lx_scan scan;

	if (lx_interrupted(s->t)) {
		b->status = LX_EINTR;
		return false;
	}
	if (b->known && b->known->cache.addr == c->addr)
		return add_walked_cache(s, b, c, b->known);
	ret = lx_scan_cache(s, c, &scan);
	if (ret == LX_EINTR || ret == LX_ENOMEM) {
		b->status = ret;
		return false;
	}
	if (ret) {
		h->bad_caches++;
		return true;
	}
	add_walked_cache(s, b, c, &scan);
	lx_scan_free(s, &scan);
	return b->status == LX_OK;
}

static int by_start(const void *a, const void *b)
{
	const struct lx_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int by_base(const void *a, const void *b)
{
	const struct lx_heap_slab *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/*
 * The end of a slab's object slots.  Not base + the slab's bytes: a SLAB
 * slab's base is its first object (s_mem, past the colour offset), so
 * that would reach into the next slab's page and drop it as an overlap.
 */
static uint64_t slab_end(const struct lx_heap *h, const struct lx_heap_slab *hs)
{
	return hs->base + (uint64_t)hs->objects * h->caches[hs->cache].cache.size;
}

/*
 * Granules of 64 KiB (a few slabs each: the reach pass looks up every word
 * that may point into the heap), or larger so that at most HEAP_GRANULES
 * of them span the heap; by number, of 64 objects, or larger likewise.
 */
#define HEAP_GRANULE_SHIFT 16
#define HEAP_NUMBER_SHIFT 6
#define HEAP_GRANULES (1U << 20)

/* by_number[g]: the slab holding number g << shift, the last starting at or below it. */
static void index_numbers(struct lx_session *s, struct lx_heap *h)
{
	unsigned int shift = HEAP_NUMBER_SHIFT;
	size_t g, i = 0;

	while (shift < 63 && ((h->nobjects - 1) >> shift) >= HEAP_GRANULES)
		shift++;
	h->nnumber_granules = ((h->nobjects - 1) >> shift) + 1;
	h->by_number = lx_alloc(s->t, h->nnumber_granules * sizeof(*h->by_number));
	if (!h->by_number) {
		h->nnumber_granules = 0;
		return;
	}
	h->number_shift = shift;
	for (g = 0; g < h->nnumber_granules; g++) {
		while (i + 1 < h->nslabs && h->slabs[i + 1].first <= (uint64_t)g << shift)
			i++;
		h->by_number[g] = i;
	}
}

void lx_heap_index_granules(struct lx_session *s, struct lx_heap *h)
{
	unsigned int shift = HEAP_GRANULE_SHIFT;
	size_t g, i = 0;

	lx_free(s->t, h->granule);
	lx_free(s->t, h->by_number);
	h->granule = NULL;
	h->by_number = NULL;
	h->ngranules = 0;
	h->nnumber_granules = 0;
	if (!h->nslabs)
		return;
	if (h->nobjects)
		index_numbers(s, h);
	while (shift < 63 && ((h->hi - h->lo - 1) >> shift) >= HEAP_GRANULES)
		shift++;
	h->ngranules = ((h->hi - h->lo - 1) >> shift) + 1;
	h->granule = lx_alloc(s->t, (h->ngranules + 1) * sizeof(*h->granule));
	if (!h->granule) {
		h->ngranules = 0;
		return;
	}
	h->granule_shift = shift;
	for (g = 0; g <= h->ngranules; g++) {
		while (i < h->nslabs && (h->slabs[i].base - h->lo) >> shift < g)
			i++;
		h->granule[g] = i;
	}
}

/*
 * Sort by address, drop slabs that overlap an earlier one, and renumber
 * the objects in address order with their live bits.
 */
static enum lx_status sort_and_number(struct lx_session *s, struct heap_build *b)
{
	struct lx_heap *h = b->h;
	uint64_t next = 0, end = 0;
	size_t i, kept = 0;
	uint32_t j;

	if (h->nslabs)
		qsort(h->slabs, h->nslabs, sizeof(*h->slabs), by_base);
	if (h->nbookkeeping)
		qsort(h->bookkeeping, h->nbookkeeping, sizeof(*h->bookkeeping), by_start);
	h->live = lx_alloc(s->t, h->nobjects / 8 + 1);
	if (!h->live)
		return LX_ENOMEM;
	h->live_cap = h->nobjects / 8 + 1;
	for (i = 0; i < h->nslabs; i++) {
		struct lx_heap_slab hs = h->slabs[i];

		if (kept && hs.base < end) {
			h->overlaps++;
			continue;
		}
		for (j = 0; j < hs.objects; j++)
			if (lx_bit_test(b->bits, hs.first + j)) {
				lx_bit_set(h->live, next + j);
				h->nlive++;
			}
		hs.first = next;
		next += hs.objects;
		h->slabs[kept++] = hs;
		end = slab_end(h, &hs);
	}
	h->nslabs = kept;
	h->nobjects = next;
	if (kept) {
		h->lo = h->slabs[0].base;
		h->hi = end;
	}
	lx_heap_index_granules(s, h);
	return LX_OK;
}

enum lx_status lx_heap_build(struct lx_session *s, struct lx_heap *h)
{
	return lx_heap_build_with(s, h, NULL);
}

enum lx_status lx_heap_build_with(struct lx_session *s, struct lx_heap *h,
				  const struct lx_scan *known)
{
	struct heap_build b = { .h = h, .known = known,
				.noleaktrace = lx_noleaktrace_flag(s) };
	enum lx_status ret;

	memset(h, 0, sizeof(*h));
	ret = lx_for_each_cache(s, index_one_cache, &b);
	h->complete = ret == LX_OK && b.status == LX_OK;
	if (ret == LX_ECORRUPT && h->ncaches)
		ret = LX_OK;	/* a cut cache list: the index is partial */
	if (!ret)
		ret = b.status;
	if (!ret)
		ret = sort_and_number(s, &b);
	lx_free(s->t, b.bits);
	if (ret)
		lx_heap_free(s, h);
	return ret;
}

void lx_heap_free(struct lx_session *s, struct lx_heap *h)
{
	lx_free(s->t, h->bookkeeping);
	lx_free(s->t, h->granule);
	lx_free(s->t, h->by_number);
	lx_free(s->t, h->caches);
	lx_free(s->t, h->slabs);
	lx_free(s->t, h->live);
	memset(h, 0, sizeof(*h));
}

/*
 * The last slab starting at or below addr (in [lo, hi)), or NULL: those
 * before addr's granule all start below it, those after it above.
 */
static const struct lx_heap_slab *slab_at_or_below(const struct lx_heap *h,
						   uint64_t addr)
{
	size_t from = 0, to = h->nslabs, g, n;

	if (h->granule) {
		g = (addr - h->lo) >> h->granule_shift;
		from = h->granule[g];
		to = h->granule[g + 1];
	}
	n = from + lx_count_keys_le(h->slabs + from, to - from, sizeof(*h->slabs),
				    offsetof(struct lx_heap_slab, base), addr);
	return n ? &h->slabs[n - 1] : NULL;
}

uint64_t lx_heap_size_inverse(uint32_t size)
{
	return size > 1 ? UINT64_MAX / size + 1 : 0;
}

/*
 * Exact for rel and size below 2^32: the high word of rel times 2^64 /
 * size rounded up (Lemire, Kaser and Kurz, "Faster remainder by direct
 * computation", 2019).
 */
uint64_t lx_heap_divide(const struct lx_heap_cache *hc, uint64_t rel)
{
#ifdef __SIZEOF_INT128__
	if (hc->size_inverse && rel <= UINT32_MAX)
		return (uint64_t)(((unsigned __int128)hc->size_inverse * rel) >> 64);
#endif
	return rel / hc->cache.size;
}

/* addr's object in slab hs, which starts at or below it (lx_heap_find()). */
static bool find_in_slab(const struct lx_heap *h, const struct lx_heap_slab *hs,
			 uint64_t addr, struct lx_heap_hit *hit)
{
	const struct lx_heap_cache *hc = &h->caches[hs->cache];
	const struct lx_cache *c = &hc->cache;
	uint64_t index = lx_heap_divide(hc, addr - hs->base), start;

	if (index >= hs->objects)
		return false;
	hit->index = (uint32_t)index;
	start = hs->base + c->red_left_pad + (uint64_t)hit->index * c->size;
	if (addr < start || addr - start >= c->object_size)
		return false;
	hit->cache = &h->caches[hs->cache];
	hit->slab = hs;
	hit->object = start;
	hit->offset = addr - start;
	hit->number = hs->first + hit->index;
	hit->live = lx_heap_live(h, hit->number);
	return true;
}

/*
 * Slabs never overlap (sort_and_number()), so the one whose objects span
 * addr is the last starting at or below it.
 */
bool lx_heap_find_near(const struct lx_heap *h, const struct lx_heap_slab **near,
		       uint64_t addr, struct lx_heap_hit *hit)
{
	const struct lx_heap_slab *hs = *near;

	if (!hs || addr < hs->base || addr >= slab_end(h, hs)) {
		if (addr < h->lo || addr >= h->hi)
			return false;
		hs = slab_at_or_below(h, addr);
		if (!hs)
			return false;
		*near = hs;
	}
	return find_in_slab(h, hs, addr, hit);
}

bool lx_heap_find(const struct lx_heap *h, uint64_t addr, struct lx_heap_hit *hit)
{
	const struct lx_heap_slab *near = NULL;

	return lx_heap_find_near(h, &near, addr, hit);
}

/*
 * The slab holding number lies between the one holding the first number
 * of its granule and the one holding the next granule's first.
 */
const struct lx_heap_slab *lx_heap_slab_of(const struct lx_heap *h, uint64_t number)
{
	size_t from = 0, to = h->nslabs, g, n;

	if (h->by_number && (g = number >> h->number_shift) < h->nnumber_granules) {
		from = h->by_number[g];
		to = g + 1 < h->nnumber_granules ? h->by_number[g + 1] + 1 : h->nslabs;
	}
	n = from + lx_count_keys_le(h->slabs + from, to - from, sizeof(*h->slabs),
				    offsetof(struct lx_heap_slab, first), number);

	if (!n || number - h->slabs[n - 1].first >= h->slabs[n - 1].objects)
		return NULL;
	return &h->slabs[n - 1];
}

uint64_t lx_heap_object_addr(const struct lx_heap *h, uint64_t number,
			     const struct lx_heap_cache **cache)
{
	const struct lx_heap_slab *hs = lx_heap_slab_of(h, number);

	if (!hs)
		return 0;
	if (cache)
		*cache = &h->caches[hs->cache];
	return lx_heap_slab_object_addr(h, hs, number);
}

uint64_t lx_heap_slab_object_addr(const struct lx_heap *h, const struct lx_heap_slab *hs,
				  uint64_t number)
{
	const struct lx_cache *c = &h->caches[hs->cache].cache;

	return hs->base + c->red_left_pad + (number - hs->first) * c->size;
}

/*
 * Spans may overlap (two caches naming one array cache is corrupt, not
 * impossible): the search finds the first by start whose end is past
 * addr among those starting at or before it, else the next one.
 */
const struct lx_span *lx_heap_bookkeeping_after(const struct lx_heap *h, uint64_t addr)
{
	size_t lo = 0, hi = h->nbookkeeping;

	while (lo < hi) {	/* first span starting after addr */
		size_t mid = lo + (hi - lo) / 2;

		if (h->bookkeeping[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0 && h->bookkeeping[lo - 1].end > addr)
		lo--;
	return lo < h->nbookkeeping ? &h->bookkeeping[lo] : NULL;
}
