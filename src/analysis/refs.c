// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reachability and referrers (refs.h).  Work is bounded by the heap: each
 * object is pushed on the mark stack at most once, each live object is
 * scanned once (its slab read whole, see slab_window) and each root byte
 * is read once.  Unreadable memory is skipped a page at a time and
 * counted, never guessed.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/cachetypes.h"
#include "analysis/refs.h"
#include "slab/memmap.h"

#define CHUNK_BYTES (64u << 10)		/* root memory read per call */
#define MAX_OBJECT_BYTES (4u << 20)	/* kmalloc's largest slab object */
#define PROGRESS_EVERY 65536

/*
 * Slab memory read whole, the slabs read last kept.  The pass scans nearly
 * every live object once, in the order references lead to it, and a
 * reader behind a debugger pays per call far more than per byte: crash's
 * readmem() translates the address and decompresses each page its own
 * small cache no longer holds, so an object at a time meant a page
 * decompressed again for most objects.  Slabs larger than
 * WINDOW_MAX_SLAB, and slabs with an unreadable page, are read an object
 * at a time.  The windows are kept in a ring of WINDOW_BYTES, each as
 * long as its slab (most are one or two pages), the oldest read over
 * first: the pass leads back and forth between busy slabs (S1: windows
 * of 32 KiB, 128 of them, one place per slab, read 2.5 times the pages
 * the pass needs; this ring, 1.2 times).
 */
#define WINDOW_BYTES (8u << 20)
#define WINDOW_MAX_SLAB (32u << 10)	/* an order-3 slab */
#define WINDOW_SLOTS 4096u
/*
 * A slab read into a window advises the dump of the slabs after it in
 * address order: a list allocated in sequence, and the pass over the
 * unreached objects, go there next.
 */
#define FOLLOWING_SLABS 8

struct slab_window {
	const struct lx_heap_slab *slab;
	size_t at, len;			/* where its bytes are in the ring */
	bool readable;
};

/* The windows, oldest first: windows[first], ... (count of them). */
struct slab_windows {
	uint8_t *mem;			/* bytes: WINDOW_BYTES or lx_reach.window_bytes */
	size_t bytes;
	struct slab_window v[WINDOW_SLOTS];
	size_t first, count;
	size_t fill;			/* where the newest window ends */
	uint32_t *slot_of;		/* per heap slab: its window's slot + 1; 0 none */
};

/*
 * A reached object not yet scanned, by its slab's heap index and its index
 * in the slab: scanning it needs its slab, found once when it is reached.
 */
struct pending {
	uint32_t slab;
	uint32_t index;
};

struct pass {
	struct lx_session *s;
	struct lx_reach *r;
	struct pending *stack;		/* objects reached but not yet scanned */
	size_t depth, cap;
	uint8_t *buf;			/* CHUNK_BYTES or one object */
	size_t buf_len;
	struct slab_windows *windows;	/* NULL: objects read one by one */
	size_t advised_end;		/* heap slabs advised: up to this index */
	const struct lx_heap_slab *near;	/* of the last word followed */
	uint64_t done, total;		/* objects scanned, for progress */
	enum lx_status status;
};

enum lx_status lx_reach_init(struct lx_session *s, struct lx_reach *r)
{
	return lx_reach_init_with(s, r, NULL);
}

enum lx_status lx_reach_init_with(struct lx_session *s, struct lx_reach *r,
				  const struct lx_scan *known)
{
	double start = lx_now();
	enum lx_status ret;
	size_t bytes;

	memset(r, 0, sizeof(*r));
	ret = lx_heap_build_with(s, &r->heap, known);
	if (!ret)
		ret = lx_roots_collect(s, &r->roots);
	r->index_time = lx_now() - start;
	if (ret) {
		lx_reach_free(s, r);
		return ret;
	}
	bytes = r->heap.nobjects / 8 + 1;
	r->reached = lx_alloc(s->t, bytes);
	r->targets = lx_alloc(s->t, bytes);
	r->no_heap_words = lx_alloc(s->t, bytes);
	r->referenced = lx_alloc(s->t, bytes);
	if (!r->reached || !r->targets || !r->no_heap_words || !r->referenced) {
		lx_reach_free(s, r);
		return LX_ENOMEM;
	}
	return LX_OK;
}

void lx_reach_free(struct lx_session *s, struct lx_reach *r)
{
	lx_heap_free(s, &r->heap);
	lx_roots_free(s, &r->roots);
	lx_free(s->t, r->reached);
	lx_free(s->t, r->targets);
	lx_free(s->t, r->no_heap_words);
	lx_free(s->t, r->referenced);
	lx_free(s->t, r->refs);
	memset(r, 0, sizeof(*r));
}

bool lx_reach_target(struct lx_session *s, struct lx_reach *r, uint64_t addr)
{
	struct lx_heap_hit hit;

	(void)s;
	if (!lx_heap_find(&r->heap, addr, &hit))
		return false;
	lx_reach_target_number(r, hit.number);
	return true;
}

void lx_reach_no_heap_words(struct lx_reach *r, uint64_t number, uint64_t lo,
			    uint64_t hi)
{
	if (r->heap.lo < lo || r->heap.hi > hi)
		return;		/* the check did not cover the whole heap */
	if (number < r->heap.nobjects && lx_heap_live(&r->heap, number))
		lx_bit_set(r->no_heap_words, number);
}

bool lx_direct_map_range(const struct lx_session *s, uint64_t *lo, uint64_t *hi)
{
	if (!s->K.page_offset_base || !s->K.max_pfn)
		return false;
	*lo = s->K.page_offset_base;
	*hi = s->K.page_offset_base + (s->K.max_pfn << s->K.page_shift);
	if (s->K.direct_map_end && s->K.direct_map_end < *hi)
		*hi = s->K.direct_map_end;	/* 32-bit lowmem */
	return true;
}

/*
 * The walk's visitor: each live object's words against [lo, hi).  The
 * walk has found every slab before it visits one, so the first visit
 * sizes the bits; without memory for them nothing is noted (the pass then
 * reads every object itself).
 */
static void note_slab_words(void *arg, const struct lx_scan *scan,
			    const struct lx_slab *slab, const uint8_t *mem)
{
	struct lx_word_notes *wn = arg;
	const struct lx_cache *c = &scan->cache;
	size_t bit;
	uint32_t j;

	if (!wn->misses && !wn->misses_len) {
		wn->misses_len = scan->freebits_len / 8 + 1;	/* freebits_len counts bits */
		wn->misses = lx_alloc(wn->t, wn->misses_len);
	}
	for (j = 0; j < slab->objects && wn->misses; j++) {
		bit = (size_t)slab->bitmap + j;
		if (bit / 8 >= wn->misses_len)
			return;
		if (!lx_object_is_free(scan, slab, j) &&
		    lx_words_miss(mem + c->red_left_pad + (size_t)j * c->size, c->object_size,
				  wn->word_size, wn->lo, wn->hi))
			lx_bit_set(wn->misses, bit);
	}
}

enum lx_status lx_word_notes_walk(struct lx_session *s, const struct lx_cache *c,
				  struct lx_word_notes *wn)
{
	memset(wn, 0, sizeof(*wn));
	wn->t = s->t;
	wn->word_size = lx_word_size(s->t);
	if (!lx_direct_map_range(s, &wn->lo, &wn->hi))
		return lx_scan_cache(s, c, &wn->scan);
	return lx_scan_cache_visit(s, c, &wn->scan,
				   &(struct lx_visitor){ .slab = note_slab_words, .arg = wn });
}

void lx_reach_apply_notes(struct lx_reach *r, const struct lx_word_notes *wn)
{
	const struct lx_scan *scan = &wn->scan;
	struct lx_heap_hit hit;
	size_t i, bit;
	uint32_t j;

	for (i = 0; i < scan->nslabs && wn->misses; i++) {
		const struct lx_slab *slab = &scan->slabs[i];

		for (j = 0; j < slab->objects; j++) {
			bit = (size_t)slab->bitmap + j;
			if (bit / 8 >= wn->misses_len || !lx_bit_test(wn->misses, bit))
				continue;
			if (lx_heap_find(&r->heap, lx_object_addr(scan, slab, j), &hit) &&
			    hit.live && !hit.offset)
				lx_reach_no_heap_words(r, hit.number, wn->lo, wn->hi);
		}
	}
}

void lx_word_notes_free(struct lx_session *s, struct lx_word_notes *wn)
{
	lx_free(s->t, wn->misses);
	lx_scan_free(s, &wn->scan);
	memset(wn, 0, sizeof(*wn));
}

/* The k-th 8-byte word at p. */
static inline uint64_t word64_at(const uint8_t *p, unsigned int k)
{
	uint64_t v;

	__builtin_memcpy(&v, p + 8 * k, sizeof(v));
	return v;
}

/*
 * Whether any of the 8-byte words at mem[0, 64 * blocks) lies in [lo, lo
 * + span): eight words a step, without a branch per word (most objects
 * hold no such word, and the test is on every word of the cache).
 */
static inline unsigned int word64_in(const uint8_t *p, unsigned int k, uint64_t lo,
				     uint64_t span)
{
	return word64_at(p, k) - lo < span;
}

/* Bit k set: the k-th of the eight 8-byte words at p lies in [lo, lo + span). */
static inline unsigned int words64_in(const uint8_t *p, uint64_t lo, uint64_t span)
{
	return word64_in(p, 0, lo, span) | word64_in(p, 1, lo, span) << 1 |
	       word64_in(p, 2, lo, span) << 2 | word64_in(p, 3, lo, span) << 3 |
	       word64_in(p, 4, lo, span) << 4 | word64_in(p, 5, lo, span) << 5 |
	       word64_in(p, 6, lo, span) << 6 | word64_in(p, 7, lo, span) << 7;
}

/*
 * Eight 64-byte blocks a step with AVX2 (a loop the compiler makes four
 * words a compare), one block a step without: the holders' walk tests
 * every word of the cache (S4: 800 MB), 2.4 times faster with AVX2.  The
 * function is built twice (target_clones) and the loader picks one by the
 * CPU; the default build skips the wide loop, slower without AVX2.
 */
#define WIDE_BLOCKS 8
#if defined(__x86_64__)
#define WIDE_CLONES __attribute__((target_clones("avx2", "default")))
#define WIDE_WORDS_PAY() __builtin_cpu_supports("avx2")
#else
#define WIDE_CLONES
#define WIDE_WORDS_PAY() false
#endif

WIDE_CLONES
static bool any_word64_in(const uint8_t *mem, size_t blocks, uint64_t lo, uint64_t span)
{
	const uint8_t *p;
	size_t b = 0;
	uint64_t any;
	unsigned int k;

	if (WIDE_WORDS_PAY()) {
		for (; b + WIDE_BLOCKS <= blocks; b += WIDE_BLOCKS) {
			for (any = 0, k = 0; k < WIDE_BLOCKS * 8; k++)
				any |= word64_in(mem + 64 * b, k, lo, span);
			if (any)
				return true;
		}
	}
	for (p = mem + 64 * b; b < blocks; b++, p += 64)	/* not words64_in(): slower */
		if (word64_in(p, 0, lo, span) | word64_in(p, 1, lo, span) |
		    word64_in(p, 2, lo, span) | word64_in(p, 3, lo, span) |
		    word64_in(p, 4, lo, span) | word64_in(p, 5, lo, span) |
		    word64_in(p, 6, lo, span) | word64_in(p, 7, lo, span))
			return true;
	return false;
}

bool lx_words_miss(const uint8_t *mem, size_t len, unsigned int word_size,
		   uint64_t lo, uint64_t hi)
{
	size_t i = 0;

	if (word_size == 8 && hi > lo) {
		if (any_word64_in(mem, len / 64, lo, hi - lo))
			return false;
		i = len / 64 * 64;
	}
	for (; i + word_size <= len; i += word_size) {
		uint64_t v = lx_word_value(mem + i, word_size);

		if (v >= lo && v < hi)
			return false;
	}
	return true;
}

static void note_progress(struct pass *p)
{
	if (++p->done % PROGRESS_EVERY)
		return;
	lx_progress(p->s->t, "scanning the heap", p->done, p->total);
	if (lx_interrupted(p->s->t))
		p->status = LX_EINTR;
}

static void record_ref(struct pass *p, uint64_t where, const struct lx_heap_hit *hit,
		       uint32_t area)
{
	struct lx_reach *r = p->r;

	lx_bit_set(r->referenced, hit->number);
	if (r->nrefs >= LX_REFS_MAX ||
	    lx_reserve(p->s->t, &r->refs, &r->refs_cap, r->nrefs + 1, sizeof(*r->refs))) {
		r->refs_dropped++;
		return;
	}
	r->refs[r->nrefs++] = (struct lx_ref){ where, hit->number, area,
					       (uint32_t)hit->offset };
}

static void push_reached(struct pass *p, const struct lx_heap_hit *hit)
{
	struct lx_reach *r = p->r;

	lx_bit_set(r->reached, hit->number);
	r->nreached++;
	if (lx_reserve(p->s->t, &p->stack, &p->cap, p->depth + 1, sizeof(*p->stack))) {
		p->status = LX_ENOMEM;
		return;
	}
	p->stack[p->depth++] = (struct pending){ (uint32_t)(hit->slab - r->heap.slabs),
						 hit->index };
}

/*
 * A reached object the walk found to hold no heap word (lx_walk_notes):
 * scanning it could reach nothing, so it is counted as scanned, not
 * pushed (S4: the 200 000 leaked buffers).
 */
static void reach_wordless(struct pass *p, const struct lx_heap_hit *hit)
{
	uint64_t len = hit->cache->cache.object_size;

	lx_bit_set(p->r->reached, hit->number);
	p->r->nreached++;
	p->r->scanned_bytes += len < MAX_OBJECT_BYTES ? len : MAX_OBJECT_BYTES;
	note_progress(p);
}

/* How one piece of memory is scanned. */
struct scan_how {
	uint32_t area;		/* root area index, or LX_REF_HEAP */
	uint64_t self;		/* heap number of the object, UINT64_MAX in a root */
	bool mark;		/* push what it reaches */
	bool metadata;		/* debug metadata: it holds only metadata */
};

/*
 * One word at where holding value: a referrer of a target, and (mark) a
 * reached object.  A word of debug metadata (a kmemleak record) pointing
 * at an ordinary object is no reference: every tracked object has one.
 */
static void follow_word(struct pass *p, uint64_t where, uint64_t value,
			const struct scan_how *how)
{
	const struct lx_heap *h = &p->r->heap;
	uint64_t v = lx_arch_untag(&p->s->arch, value);
	struct lx_heap_hit hit;

	if (v < h->lo || v >= h->hi || !lx_heap_find_near(h, &p->near, v, &hit) ||
	    hit.number == how->self || (how->metadata && !hit.cache->metadata))
		return;
	if (lx_bit_test(p->r->targets, hit.number))	/* free ones too */
		record_ref(p, where, &hit, how->area);
	if (!how->mark || !hit.live || lx_bit_test(p->r->reached, hit.number))
		return;
	if (lx_bit_test(p->r->no_heap_words, hit.number))
		reach_wordless(p, &hit);
	else
		push_reached(p, &hit);
}

/*
 * The words of memory at addr, each followed.  Where no pointer carries a
 * tag, only the words inside the heap's range are, eight 8-byte words
 * tested at a time (follow_word() would pass the others; S4: nearly two
 * words in three of those in a block with one inside).
 */
static void scan_words(struct pass *p, const uint8_t *mem, size_t len, uint64_t addr,
		       const struct scan_how *how)
{
	const struct lx_heap *h = &p->r->heap;
	unsigned int word = lx_word_size(p->s->t), in, k;
	size_t i = 0;

	if (word == 8 && !p->s->arch.tag_bits && h->hi > h->lo) {
		for (; i + 64 <= len; i += 64)
			for (in = words64_in(mem + i, h->lo, h->hi - h->lo); in; in &= in - 1) {
				k = (unsigned int)__builtin_ctz(in);
				follow_word(p, addr + i + 8 * k, word64_at(mem + i, k), how);
			}
	}
	for (; i + word <= len; i += word)
		follow_word(p, addr + i, lx_word_value(mem + i, word), how);
	p->r->scanned_bytes += len;
}

/*
 * scan_words() over the parts of mem (at addr) that are not allocator
 * bookkeeping: a stale array-cache slot names an object that was handed
 * out since, and would hold it (S7: 17 lost objects looked referenced).
 */
static void scan_words_of(struct pass *p, const uint8_t *mem, size_t len, uint64_t addr,
			  const struct scan_how *how)
{
	const struct lx_heap *h = &p->r->heap;
	const struct lx_span *sp = lx_heap_bookkeeping_after(h, addr);
	uint64_t at = addr, end = addr + len;
	size_t i = sp ? (size_t)(sp - h->bookkeeping) : h->nbookkeeping;

	for (; i < h->nbookkeeping && (sp = &h->bookkeeping[i])->start < end && at < end; i++) {
		if (sp->end <= at)
			continue;
		if (sp->start > at)
			scan_words(p, mem + (at - addr), sp->start - at, at, how);
		at = sp->end;
	}
	if (at < end)
		scan_words(p, mem + (at - addr), end - at, at, how);
}

/* [addr, addr + len), which did not read whole: a page at a time, each once. */
static void scan_pages(struct pass *p, uint64_t addr, uint64_t len, const struct scan_how *how)
{
	uint64_t n;

	while (len) {
		n = p->s->arch.page_size - (addr % p->s->arch.page_size);
		n = n < len ? n : len;
		if (lx_read(p->s->t, addr, p->buf, n))
			scan_words_of(p, p->buf, n, addr, how);
		else
			p->r->unreadable_bytes += n;
		addr += n;
		len -= n;
	}
}

/*
 * Read [addr, addr + len) in chunks; a chunk that fails (a page the dump
 * left out: makedumpfile -d 31 drops zero pages, common in vmalloc'd
 * tables) is read a page at a time, and the next chunk whole again.
 */
static void scan_area(struct pass *p, uint64_t addr, uint64_t len, uint32_t area)
{
	const struct scan_how how = { .area = area, .self = UINT64_MAX, .mark = true,
				      .metadata = p->r->roots.v[area].metadata };
	uint64_t end = addr + len, advised = 0;

	while (len && !p->status) {
		size_t n = len < CHUNK_BYTES ? len : CHUNK_BYTES;

		lx_prefetch_run(p->s->t, &advised, addr, n, end);
		if (lx_read(p->s->t, addr, p->buf, n))
			scan_words_of(p, p->buf, n, addr, &how);
		else
			scan_pages(p, addr, n, &how);
		addr += n;
		len -= n;
	}
}

/* The bytes of a slab's objects: [base, base + objects * size). */
static uint64_t slab_span(const struct lx_heap *h, const struct lx_heap_slab *hs)
{
	return (uint64_t)hs->objects * h->caches[hs->cache].cache.size;
}

/* Slab number i (heap order) is read: advise the dump of those after it. */
static void advise_following(struct pass *p, size_t i)
{
	const struct lx_heap *h = &p->r->heap;
	size_t next = p->advised_end > i && p->advised_end <= i + FOLLOWING_SLABS ?
		      p->advised_end : i + 1;

	for (; next <= i + FOLLOWING_SLABS && next < h->nslabs; next++)
		if (!p->windows || !p->windows->slot_of[next])
			lx_prefetch(p->s->t, h->slabs[next].base, slab_span(h, &h->slabs[next]));
	p->advised_end = next;
}

static void evict_oldest(struct slab_windows *ws, const struct lx_heap *h)
{
	ws->slot_of[ws->v[ws->first].slab - h->slabs] = 0;
	ws->first = (ws->first + 1) % WINDOW_SLOTS;
	ws->count--;
}

static bool oldest_overlaps(const struct slab_windows *ws, size_t at, size_t len)
{
	const struct slab_window *w = &ws->v[ws->first];

	return ws->count && w->at < at + len && at < w->at + w->len;
}

/*
 * A new window of len bytes for heap slab i, after the newest or at the
 * ring's start, the oldest windows in its way given up (they lie after
 * the newest, oldest first).
 */
static struct slab_window *window_new(struct slab_windows *ws, const struct lx_heap *h,
				      size_t i, size_t len)
{
	size_t at = ws->fill, slot;
	struct slab_window *w;

	if (at + len > ws->bytes) {	/* wrap: those past the newest go first */
		while (ws->count && ws->v[ws->first].at >= ws->fill)
			evict_oldest(ws, h);
		at = 0;
	}
	while (ws->count == WINDOW_SLOTS || oldest_overlaps(ws, at, len))
		evict_oldest(ws, h);
	slot = (ws->first + ws->count++) % WINDOW_SLOTS;
	w = &ws->v[slot];
	*w = (struct slab_window){ .slab = &h->slabs[i], .at = at, .len = len };
	ws->slot_of[i] = (uint32_t)slot + 1;
	ws->fill = (at + len + 63) & ~(size_t)63;
	return w;
}

/*
 * The object's len bytes from its slab's window, reading the slab into a
 * new window if none holds it; NULL if the slab is larger than a window
 * may be or one of its pages is unreadable.
 */
static const uint8_t *window_bytes(struct pass *p, const struct lx_heap_slab *hs,
				   uint64_t addr, size_t len)
{
	const struct lx_heap *h = &p->r->heap;
	struct slab_windows *ws = p->windows;
	size_t i = (size_t)(hs - h->slabs);
	struct slab_window *w;
	uint64_t span;

	if (!ws)
		return NULL;
	span = slab_span(h, hs);
	if (span > WINDOW_MAX_SLAB || span > ws->bytes || addr < hs->base ||
	    addr - hs->base + len > span)
		return NULL;
	if (ws->slot_of[i]) {
		w = &ws->v[ws->slot_of[i] - 1];
	} else {
		w = window_new(ws, h, i, span);
		p->r->window_reads++;
		advise_following(p, i);
		w->readable = lx_read(p->s->t, hs->base, ws->mem + w->at, span);
	}
	return w->readable ? ws->mem + w->at + (addr - hs->base) : NULL;
}

/* Object index of slab hs (heap order), scanned for referrers and (mark) reached ones. */
static void scan_object(struct pass *p, const struct lx_heap_slab *hs, uint32_t index,
			bool mark)
{
	const struct lx_heap *h = &p->r->heap;
	const struct lx_heap_cache *hc = &h->caches[hs->cache];
	uint64_t number = hs->first + index;
	struct scan_how how = { .area = LX_REF_HEAP, .self = number, .mark = mark };
	const uint8_t *mem;
	uint64_t addr;
	size_t len;

	addr = lx_heap_slab_object_addr(h, hs, number);
	how.metadata = hc->metadata;
	len = hc->cache.object_size < MAX_OBJECT_BYTES ? hc->cache.object_size :
							 MAX_OBJECT_BYTES;
	if (lx_bit_test(p->r->no_heap_words, number)) {	/* read by the caller */
		p->r->scanned_bytes += len;
		note_progress(p);
		return;
	}
	mem = window_bytes(p, hs, addr, len);
	if (!mem && lx_read(p->s->t, addr, p->buf, len))
		mem = p->buf;
	if (!mem) {
		p->r->unreadable_bytes += len;
		return;
	}
	scan_words_of(p, mem, len, addr, &how);
	note_progress(p);
}

static void drain_stack(struct pass *p)
{
	const struct pending *next;

	while (p->depth && !p->status) {
		next = &p->stack[--p->depth];
		scan_object(p, &p->r->heap.slabs[next->slab], next->index, true);
	}
}

/* Live objects no root reaches: scanned for referrers only, in heap order. */
static void scan_unreached(struct pass *p)
{
	const struct lx_heap *h = &p->r->heap;
	const struct lx_heap_slab *hs;
	uint32_t k;
	size_t i;

	for (i = 0; i < h->nslabs && !p->status; i++)
		for (hs = &h->slabs[i], k = 0; k < hs->objects && !p->status; k++)
			if (lx_heap_live(h, hs->first + k) &&
			    !lx_reach_reached(p->r, hs->first + k))
				scan_object(p, hs, k, false);
}

/*
 * Each slab's slabobj_ext vector (struct slab.obj_exts, 6.10+: kernel
 * commit 21c690a349ba; a kmalloc'd array for alloc tags and memcg) is held
 * by its slab's struct page, memory no root area covers: kmemleak scans
 * the memory map and so counts them referenced (grey).  Here each heap
 * slab's obj_exts word is followed as a root word; its low bits are flags
 * (OBJEXTS_*, below kmalloc's 8-byte alignment).  A vector inside the
 * slab itself (7.0's leftover space) is no object and is not found.
 */
#define OBJ_EXTS_FLAG_BITS 7ULL

static void scan_slab_vectors(struct pass *p)
{
	const struct scan_how how = { .area = LX_REF_SLAB_VECTOR, .self = UINT64_MAX,
				      .mark = true };
	const struct lx_heap *h = &p->r->heap;
	long off = lx_member_offset(p->s->t, "slab", "obj_exts");
	uint64_t page, vec;
	size_t i;

	for (i = 0; off >= 0 && i < h->nslabs && !p->status; i++) {
		if (!lx_virt_to_page(p->s, h->slabs[i].base, &page) ||
		    !lx_read_word(p->s->t, page + off, &vec) || !(vec & ~OBJ_EXTS_FLAG_BITS))
			continue;
		follow_word(p, page + off, vec & ~OBJ_EXTS_FLAG_BITS, &how);
		p->r->scanned_bytes += lx_word_size(p->s->t);
		drain_stack(p);
	}
}

/* Windows are an optimisation: without their memory objects are read one by one. */
static void windows_init(struct pass *p)
{
	struct slab_windows *ws = lx_alloc(p->s->t, sizeof(*ws));

	if (!ws)
		return;
	ws->bytes = p->r->window_bytes ? p->r->window_bytes : WINDOW_BYTES;
	ws->mem = lx_alloc(p->s->t, ws->bytes);
	ws->slot_of = lx_alloc(p->s->t, (p->r->heap.nslabs + 1) * sizeof(*ws->slot_of));
	if (ws->mem && ws->slot_of) {
		p->windows = ws;
		return;
	}
	lx_free(p->s->t, ws->mem);
	lx_free(p->s->t, ws->slot_of);
	lx_free(p->s->t, ws);
}

static void windows_free(struct pass *p)
{
	if (!p->windows)
		return;
	lx_free(p->s->t, p->windows->mem);
	lx_free(p->s->t, p->windows->slot_of);
	lx_free(p->s->t, p->windows);
}

enum lx_status lx_reach_run(struct lx_session *s, struct lx_reach *r)
{
	struct pass p = { .s = s, .r = r, .total = r->heap.nlive };
	double start, reached;
	size_t i;

	if ((uint64_t)r->heap.nslabs > UINT32_MAX) {	/* struct pending's index */
		lx_msg(s->t, LX_MSG_ERROR, "%zu slabs: more than the reachability pass indexes",
		       r->heap.nslabs);
		return LX_ENOMEM;
	}
	p.buf_len = CHUNK_BYTES > MAX_OBJECT_BYTES ? CHUNK_BYTES : MAX_OBJECT_BYTES;
	p.buf = lx_alloc(s->t, p.buf_len);
	if (!p.buf)
		return LX_ENOMEM;
	windows_init(&p);
	start = lx_now();
	for (i = 0; i < r->roots.n && !p.status; i++) {
		scan_area(&p, r->roots.v[i].start, r->roots.v[i].len, (uint32_t)i);
		drain_stack(&p);
	}
	if (!p.status)
		scan_slab_vectors(&p);
	reached = lx_now();
	if (!p.status)
		scan_unreached(&p);
	r->roots_time = reached - start;
	r->unreached_time = lx_now() - reached;
	lx_progress(s->t, "scanning the heap", 1, 1);
	lx_free(s->t, p.buf);
	windows_free(&p);
	lx_free(s->t, p.stack);
	r->ran = !p.status;
	return p.status;
}

/*
 * "symbol [module]" of a word in kernel or module data, and the symbol's
 * start in *start; false (the area's label) when no symbol names it.
 */
static bool symbol_label(struct lx_session *s, const struct lx_area *a,
			 uint64_t where, char *out, size_t len, uint64_t *start)
{
	char name[LX_NAME_MAX], module[LX_NAME_MAX];
	uint64_t offset;

	if ((a->kind == LX_AREA_KERNEL || a->kind == LX_AREA_MODULE) &&
	    lx_addr_symbol(s->t, where, name, sizeof(name), &offset, module,
			   sizeof(module))) {
		lx_sanitize(name);
		lx_sanitize(module);
		if (module[0])
			snprintf(out, len, "%s [%s]", name, module);
		else
			snprintf(out, len, "%s", name);
		*start = where - offset;
		return true;
	}
	snprintf(out, len, "%s", a->label);
	lx_sanitize(out);
	return false;
}

/* "cache +offset", and "(type.member)" when the cache's type is known. */
static void object_label(struct lx_session *s, const struct lx_heap *heap,
			 const struct lx_heap_hit *hit, char *out, size_t len)
{
	char name[LX_NAME_MAX], member[LX_LABEL_MAX];

	snprintf(name, sizeof(name), "%s", hit->cache->cache.name);
	lx_sanitize(name);
	if (lx_type_member(s, lx_heap_cache_type(s, heap, hit->cache), hit->offset, member,
			   sizeof(member)))
		snprintf(out, len, "%s +%llu (%s)", name,
			 (unsigned long long)hit->offset, member);
	else
		snprintf(out, len, "%s +%llu", name, (unsigned long long)hit->offset);
}

/* Does the referring word at hit sit in a live heap object no root reaches? */
static bool lost_holder(const struct lx_reach *r, const struct lx_ref *ref,
			const struct lx_heap_hit *hit)
{
	return ref->area == LX_REF_HEAP && hit->live && !lx_reach_reached(r, hit->number);
}

/*
 * The label of one referring word; *lost (may be NULL) says whether the
 * word sits in a live object no root reaches.  One heap lookup for both.
 */
static void label_ref(struct lx_session *s, const struct lx_reach *r,
		      const struct lx_ref *ref, char *out, size_t len, bool *lost)
{
	struct lx_heap_hit hit;

	if (lost)
		*lost = false;
	if (ref->area != LX_REF_HEAP && ref->area < r->roots.n) {
		uint64_t start;

		symbol_label(s, &r->roots.v[ref->area], ref->where, out, len, &start);
		return;
	}
	if (ref->area == LX_REF_SLAB_VECTOR) {
		snprintf(out, len, "struct slab.obj_exts (memory map)");
		return;
	}
	if (lx_heap_find(&r->heap, ref->where, &hit)) {
		object_label(s, &r->heap, &hit, out, len);
		if (lost)
			*lost = lost_holder(r, ref, &hit);
		return;
	}
	snprintf(out, len, "%#llx", (unsigned long long)ref->where);
}

void lx_reach_label(struct lx_session *s, const struct lx_reach *r,
		    const struct lx_ref *ref, char *out, size_t len)
{
	label_ref(s, r, ref, out, len, NULL);
}

/*
 * A referrer with its label's number in the groups' label table: the
 * groups are buckets of numbers, not of labels.  Which number a label
 * gets changes no group, and the groups' order is by_held()'s, which
 * ends on the label.
 */
struct labelled {
	uint64_t target, where;
	uint32_t label_id;
	uint8_t kind;		/* enum lx_area_kind */
	bool lost_holder;	/* the word sits in an unreached live object */
};

/* By label, then target, then where: a group's kind is its first referrer's. */
static int by_label_target(const void *x, const void *y)
{
	const struct labelled *a = x, *b = y;

	if (a->label_id != b->label_id)
		return a->label_id < b->label_id ? -1 : 1;
	if (a->target != b->target)
		return a->target < b->target ? -1 : 1;
	return a->where < b->where ? -1 : a->where > b->where;
}

static uint64_t label_hash(const char *label)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*label)
		h = (h ^ (uint8_t)*label++) * 0x100000001b3ULL;
	return h;
}

/* The distinct labels, numbered in first-seen order, in an open-addressed table. */
struct label_table {
	struct lx_target *t;
	char (*text)[LX_LABEL_MAX];
	size_t n, cap;
	uint32_t *slots;	/* label number + 1; 0: empty */
	size_t nslots;		/* a power of two, more than twice n */
};

static uint32_t *label_slot(const struct label_table *lt, const char *label)
{
	size_t slot;

	for (slot = label_hash(label) & (lt->nslots - 1); lt->slots[slot];
	     slot = (slot + 1) & (lt->nslots - 1))
		if (!strcmp(lt->text[lt->slots[slot] - 1], label))
			break;
	return &lt->slots[slot];
}

/* Room for one more label: the slots doubled and refilled when half full. */
static bool label_table_grow(struct label_table *lt)
{
	size_t nslots = lt->nslots ? lt->nslots * 2 : 64, i;
	uint32_t *old = lt->slots;

	if (lx_reserve(lt->t, &lt->text, &lt->cap, lt->n + 1, sizeof(*lt->text)))
		return false;
	if (2 * (lt->n + 1) < lt->nslots)
		return true;
	lt->slots = lx_alloc(lt->t, nslots * sizeof(*lt->slots));
	if (!lt->slots) {
		lt->slots = old;
		return false;
	}
	lt->nslots = nslots;
	for (i = 0; i < lt->n; i++)
		*label_slot(lt, lt->text[i]) = (uint32_t)i + 1;
	lx_free(lt->t, old);
	return true;
}

/* label's number, adding it if new; false: out of memory. */
static bool label_number(struct label_table *lt, const char *label, uint32_t *id)
{
	uint32_t *slot;

	if (lt->n >= UINT32_MAX - 1 || !label_table_grow(lt))
		return false;
	slot = label_slot(lt, label);
	if (!*slot) {
		snprintf(lt->text[lt->n], sizeof(lt->text[0]), "%s", label);
		*slot = (uint32_t)++lt->n;
	}
	*id = *slot - 1;
	return true;
}

static void label_table_free(struct label_table *lt)
{
	lx_free(lt->t, lt->text);
	lx_free(lt->t, lt->slots);
}

/* Most members held first; on a tie a root (a named place) before an object. */
static int by_held(const void *x, const void *y)
{
	const struct lx_ref_group *a = x, *b = y;
	bool a_root = a->kind != LX_AREA_KINDS, b_root = b->kind != LX_AREA_KINDS;

	if (a->held != b->held)
		return a->held > b->held ? -1 : 1;
	if (a_root != b_root)
		return a_root ? -1 : 1;
	if (a->words != b->words)
		return a->words > b->words ? -1 : 1;
	return strcmp(a->label, b->label);
}

/* A referring word in kernel or module data, for labelling in address order. */
struct data_ref {
	uint64_t where;
	uint32_t area;
	uint32_t index;		/* into refs and the labels: at most LX_REFS_MAX */
};

static int by_area_where(const void *x, const void *y)
{
	const struct data_ref *a = x, *b = y;

	if (a->area != b->area)
		return a->area < b->area ? -1 : 1;
	return a->where < b->where ? -1 : a->where > b->where;
}

/* Does d name the symbol starting at start with label? */
static bool same_symbol(struct lx_session *s, const struct lx_reach *r,
			const struct data_ref *d, uint32_t area, uint64_t start,
			const char *label)
{
	char other[LX_LABEL_MAX];
	uint64_t other_start;

	return d->area == area &&
	       symbol_label(s, &r->roots.v[area], d->where, other, sizeof(other),
			    &other_start) &&
	       other_start == start && !strcmp(other, label);
}

/*
 * The last of d[first, n) naming what d[first] names, by galloping then
 * bisection.  A lookup answers the greatest symbol at or below an
 * address, so two words naming one symbol start have no other symbol
 * between them: every word between names it too.
 */
static size_t run_end(struct lx_session *s, const struct lx_reach *r,
		      const struct data_ref *d, size_t first, size_t n, uint64_t start,
		      const char *label)
{
	size_t lo = first, hi = first + 1, step = 1, mid;
	uint32_t area = d[first].area;

	while (hi < n && same_symbol(s, r, &d[hi], area, start, label)) {
		lo = hi;
		step *= 2;
		hi = lo + step < n ? lo + step : n;
	}
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (same_symbol(s, r, &d[mid], area, start, label))
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Label the words in kernel and module data (d, sorted by area and
 * address) with a few lookups per symbol rather than one per word: a
 * module's array of 200 000 pointers costs crash 200 000 symbol searches
 * otherwise.  The labels are the ones label_ref() gives.
 */
static bool label_data_refs(struct lx_session *s, const struct lx_reach *r,
			    const struct data_ref *d, size_t n, struct label_table *lt,
			    struct labelled *l)
{
	char label[LX_LABEL_MAX];
	size_t i = 0, last, k;
	uint64_t start;
	uint32_t id;

	while (i < n) {
		last = i;
		if (symbol_label(s, &r->roots.v[d[i].area], d[i].where, label,
				 sizeof(label), &start))
			last = run_end(s, r, d, i, n, start, label);
		if (!label_number(lt, label, &id))
			return false;
		for (k = i; k <= last; k++)
			l[d[k].index].label_id = id;
		i = last + 1;
	}
	return true;
}

static bool in_symbol_area(const struct lx_reach *r, const struct lx_ref *ref)
{
	return ref->area != LX_REF_HEAP && ref->area < r->roots.n &&
	       (r->roots.v[ref->area].kind == LX_AREA_KERNEL ||
		r->roots.v[ref->area].kind == LX_AREA_MODULE);
}

/* The last heap object label made: the next referrer is often at the same offset. */
struct heap_label {
	const struct lx_heap_cache *cache;
	uint64_t offset;
	uint32_t id;
};

/*
 * A referrer in a heap object: its label's number (label_ref()'s label,
 * made again only for another cache or offset than the last) and whether
 * the object is a lost holder.  False if no heap object holds the word.
 */
static bool heap_label(struct lx_session *s, const struct lx_reach *r,
		       const struct lx_ref *ref, struct label_table *lt,
		       struct heap_label *last, struct labelled *l, bool *ok)
{
	char label[LX_LABEL_MAX];
	struct lx_heap_hit hit;

	if (ref->area != LX_REF_HEAP || !lx_heap_find(&r->heap, ref->where, &hit))
		return false;
	l->lost_holder = lost_holder(r, ref, &hit);
	if (hit.cache != last->cache || hit.offset != last->offset) {
		object_label(s, &r->heap, &hit, label, sizeof(label));
		*ok = label_number(lt, label, &last->id);
		last->cache = *ok ? hit.cache : NULL;
		last->offset = hit.offset;
	}
	l->label_id = last->id;
	return true;
}

static bool in_order(const struct data_ref *d, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (by_area_where(&d[i - 1], &d[i]) > 0)
			return false;
	return true;
}

/* Every referrer's label; those in kernel and module data in address order. */
static enum lx_status label_refs(struct lx_session *s, const struct lx_reach *r,
				 const struct lx_ref *refs, size_t nrefs,
				 struct label_table *lt, struct labelled *l)
{
	struct heap_label last = { NULL, 0, 0 };
	char label[LX_LABEL_MAX];
	struct data_ref *d;
	size_t i, nd = 0;
	bool ok = true;

	d = lx_alloc(s->t, nrefs * sizeof(*d));
	if (!d)
		return LX_ENOMEM;
	for (i = 0; i < nrefs && ok; i++) {
		const struct lx_ref *ref = &refs[i];

		l[i].lost_holder = false;
		if (in_symbol_area(r, ref)) {
			d[nd++] = (struct data_ref){ ref->where, ref->area, (uint32_t)i };
		} else if (!heap_label(s, r, ref, lt, &last, &l[i], &ok)) {
			label_ref(s, r, ref, label, sizeof(label), &l[i].lost_holder);
			ok = label_number(lt, label, &l[i].label_id);
		}
		l[i].target = ref->target;
		l[i].where = ref->where;
		l[i].kind = ref->area == LX_REF_HEAP || ref->area >= r->roots.n ?
			    LX_AREA_KINDS : r->roots.v[ref->area].kind;
	}
	if (ok) {
		if (!in_order(d, nd))	/* a root area is scanned in address order */
			qsort(d, nd, sizeof(*d), by_area_where);
		ok = label_data_refs(s, r, d, nd, lt, l);
	}
	lx_free(s->t, d);
	return ok ? LX_OK : LX_ENOMEM;
}

/* The referrers of one label: l[order[0..n)], in referrer order. */
struct label_refs_of {
	const struct labelled *l;
	const size_t *order;
	size_t n;
};

/*
 * One group from a label's referrers: words, lost holders, the lowest
 * address, the kind of the referrer first by target then address, and
 * the distinct targets (seen: a bit per heap object, clear on entry and
 * on return).
 */
static void fill_group(struct lx_ref_group *g, const struct label_refs_of *of,
		       const char *label, uint8_t *seen)
{
	const struct labelled *first = &of->l[of->order[0]], *x;
	size_t j;

	memset(g, 0, sizeof(*g));
	memcpy(g->label, label, sizeof(g->label));
	g->example = first->where;
	for (j = 0; j < of->n; j++) {
		x = &of->l[of->order[j]];
		if (x->where < g->example)
			g->example = x->where;
		if (by_label_target(x, first) < 0)
			first = x;
		g->words++;
		g->lost_holders += x->lost_holder;
		if (!lx_bit_test(seen, x->target)) {
			lx_bit_set(seen, x->target);
			g->held++;
		}
	}
	g->kind = first->kind;
	for (j = 0; j < of->n; j++)
		seen[of->l[of->order[j]].target / 8] = 0;
}

/*
 * The groups of l, one per label (as many as lt holds): its referrers
 * bucketed by label, not sorted (S4: 200 000 referrers of one label).
 */
static enum lx_status count_groups(struct lx_session *s, const struct lx_reach *r,
				   const struct labelled *l, size_t n,
				   const struct label_table *lt, struct lx_ref_group *g,
				   size_t *ng)
{
	size_t *start = lx_alloc(s->t, (lt->n + 1) * sizeof(*start));
	size_t *order = lx_alloc(s->t, n * sizeof(*order));
	uint8_t *seen = lx_alloc(s->t, r->heap.nobjects / 8 + 1);
	size_t i, id;

	if (!start || !order || !seen) {
		lx_free(s->t, start);
		lx_free(s->t, order);
		lx_free(s->t, seen);
		return LX_ENOMEM;
	}
	for (i = 0; i < n; i++)
		start[l[i].label_id + 1]++;
	for (id = 0; id < lt->n; id++)
		start[id + 1] += start[id];
	for (i = 0; i < n; i++)
		order[start[l[i].label_id]++] = i;
	for (id = 0, *ng = 0; id < lt->n; id++) {	/* start[id]: now the end of id's */
		size_t from = id ? start[id - 1] : 0;

		if (start[id] > from)
			fill_group(&g[(*ng)++], &(struct label_refs_of){ l, order + from,
									start[id] - from },
				   lt->text[id], seen);
	}
	lx_free(s->t, start);
	lx_free(s->t, order);
	lx_free(s->t, seen);
	return LX_OK;
}

enum lx_status lx_reach_groups(struct lx_session *s, const struct lx_reach *r,
			       const struct lx_ref *refs, size_t nrefs,
			       struct lx_ref_group **groups, size_t *ngroups)
{
	struct label_table lt = { .t = s->t };
	struct labelled *l;
	enum lx_status ret;

	*groups = NULL;
	*ngroups = 0;
	if (!nrefs)
		return LX_OK;
	if (nrefs > LX_REFS_MAX) {	/* more than a pass keeps: data_ref.index */
		lx_msg(s->t, LX_MSG_ERROR,
		       "internal error: %zu referrers to group, more than a pass keeps (%u)",
		       nrefs, LX_REFS_MAX);
		return LX_EINTERNAL;
	}
	l = lx_alloc(s->t, nrefs * sizeof(*l));
	ret = l ? label_refs(s, r, refs, nrefs, &lt, l) : LX_ENOMEM;
	if (!ret) {
		*groups = lx_alloc(s->t, lt.n * sizeof(**groups));
		ret = *groups ? LX_OK : LX_ENOMEM;
	}
	if (!ret)
		ret = count_groups(s, r, l, nrefs, &lt, *groups, ngroups);
	if (!ret) {
		qsort(*groups, *ngroups, sizeof(**groups), by_held);
	} else {
		lx_free(s->t, *groups);
		*groups = NULL;
		*ngroups = 0;
	}
	label_table_free(&lt);
	lx_free(s->t, l);
	return ret;
}

void lx_reach_warn_limits(struct lx_session *s, const struct lx_reach *r)
{
	unsigned int k;

	for (k = 0; k < LX_AREA_KINDS; k++)
		if (r->roots.missing & (1u << k))
			lx_msg(s->t, LX_MSG_WARN,
			       "%s memory was not scanned: this dump does not describe it",
			       lx_area_kind_names[k]);
	if (r->roots.cut)
		lx_msg(s->t, LX_MSG_WARN, "a task, module or vmalloc list was cut short");
	if (!r->heap.complete || r->heap.bad_caches || r->heap.overlaps)
		lx_msg(s->t, LX_MSG_WARN,
		       "the heap index is partial (%u flagged caches, %u overlapping slabs%s)",
		       r->heap.bad_caches, r->heap.overlaps,
		       r->heap.complete ? "" : ", cache list cut");
	if (r->heap.moving_caches)
		lx_msg(s->t, LX_MSG_WARN,
		       "%u caches moved while the heap index was read: holders are a snapshot of a running kernel",
		       r->heap.moving_caches);
	if (r->refs_dropped)
		lx_msg(s->t, LX_MSG_WARN, "%llu more referrers were counted but not kept",
		       (unsigned long long)r->refs_dropped);
	/* a running kernel's slabs move between caches while they are indexed */
	if (r->roots.cut || !r->heap.complete || r->heap.bad_caches ||
	    (r->heap.overlaps && !lx_target_live(s->t)))
		s->flagged = true;
}
