// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every allocator's answer shares (allocator.h): the objects of a
 * scan and their liveness bits, where slabs were found, and the integrity
 * record.  No walker logic: liveness is decided by the walker alone.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "slab/allocator.h"

const char *const lx_problem_names[LX_PROB_COUNT] = {
	[LX_PROB_UNREADABLE] = "unreadable slab",
	[LX_PROB_FOREIGN] = "slab of another cache",
	[LX_PROB_OBJECTS] = "impossible object count",
	[LX_PROB_FREELIST] = "freelist does not decode",
	[LX_PROB_LIST] = "broken list",
	[LX_PROB_INUSE] = "inuse disagrees with freelist",
	[LX_PROB_NODE] = "kmem_cache_node",
	[LX_PROB_CPU] = "kmem_cache_cpu",
	[LX_PROB_MEMMAP] = "memory map",
	[LX_PROB_SHEAF] = "sheaf or barn",
	[LX_PROB_ARRAY] = "array cache",
	[LX_PROB_WRONG_LIST] = "slab on the wrong list",
};

void lx_note_problem(struct lx_session *s, struct lx_scan *scan,
		     enum lx_problem kind, const char *fmt, ...)
{
	char text[LX_PROBLEM_TEXT];
	va_list ap;

	if (!scan->integrity.count[kind]++) {
		va_start(ap, fmt);
		vsnprintf(text, sizeof(text), fmt, ap);
		va_end(ap);
		lx_escape(scan->integrity.first[kind], LX_PROBLEM_TEXT, text, sizeof(text));
	}
	if (s->quiet_problems)
		return;
	va_start(ap, fmt);
	lx_vmsg(s->t, LX_MSG_WARN, fmt, ap);
	va_end(ap);
}

bool lx_integrity_flagged(const struct lx_integrity *in)
{
	return !in->moving && !lx_integrity_ok(in);
}

bool lx_integrity_ok(const struct lx_integrity *in)
{
	int i;

	for (i = 0; i < LX_PROB_COUNT; i++)
		if (in->count[i])
			return false;
	return true;
}

const char *const lx_source_names[LX_SRC_COUNT] = {
	[LX_SRC_CPU] = "cpu",
	[LX_SRC_CPU_PARTIAL] = "cpu partial",
	[LX_SRC_NODE_PARTIAL] = "node partial",
	[LX_SRC_NODE_FULL] = "node full",
	[LX_SRC_MEMMAP] = "untracked full (memmap)",
	[LX_SRC_SLABS_PARTIAL] = "slabs partial",
	[LX_SRC_SLABS_FULL] = "slabs full",
	[LX_SRC_SLABS_FREE] = "slabs free",
	[LX_SRC_UNLISTED] = "on no list (memmap)",
};

/* Where the allocator keeps slabs first, the memory map's finds last. */
const uint8_t lx_source_order[LX_SRC_COUNT] = {
	LX_SRC_CPU, LX_SRC_CPU_PARTIAL, LX_SRC_NODE_PARTIAL, LX_SRC_NODE_FULL,
	LX_SRC_SLABS_PARTIAL, LX_SRC_SLABS_FULL, LX_SRC_SLABS_FREE,
	LX_SRC_MEMMAP, LX_SRC_UNLISTED,
};

void lx_count_by_source(const struct lx_scan *scan, uint64_t *objs, uint64_t *live)
{
	size_t i;

	memset(objs, 0, LX_SRC_COUNT * sizeof(*objs));
	memset(live, 0, LX_SRC_COUNT * sizeof(*live));
	for (i = 0; i < scan->nslabs; i++) {
		const struct lx_slab *slab = &scan->slabs[i];

		objs[slab->source] += slab->objects;
		live[slab->source] += slab->objects - slab->nfree;
	}
}

uint64_t lx_object_addr(const struct lx_scan *scan, const struct lx_slab *slab,
			uint32_t index)
{
	return slab->base + scan->cache.red_left_pad +
	       (uint64_t)index * scan->cache.size;
}

bool lx_object_is_free(const struct lx_scan *scan, const struct lx_slab *slab,
		       uint32_t index)
{
	size_t bit = (size_t)slab->bitmap + index;

	return scan->freebits[bit / 8] & (1u << (bit % 8));
}

void lx_for_each_live_object(const struct lx_scan *scan,
			     bool (*fn)(void *arg, uint64_t addr), void *arg)
{
	size_t i;
	uint32_t j;

	for (i = 0; i < scan->nslabs; i++)
		for (j = 0; j < scan->slabs[i].objects; j++)
			if (!lx_object_is_free(scan, &scan->slabs[i], j) &&
			    !fn(arg, lx_object_addr(scan, &scan->slabs[i], j)))
				return;
}


void lx_scan_free(struct lx_session *s, struct lx_scan *scan)
{
	lx_free(s->t, scan->slabs);
	lx_free(s->t, scan->freebits);
	lx_free(s->t, scan->bookkeeping);
	memset(scan, 0, sizeof(*scan));
}

/* A slab's bytes as its walker reads them: the objects and the pad before. */
static uint64_t slab_bytes(const struct lx_scan *scan, const struct lx_slab *slab)
{
	return scan->cache.red_left_pad + (uint64_t)slab->objects * scan->cache.size;
}

/*
 * What the walk reads of a slab, as one range: none of one marked unread;
 * of one read by page, the page its freelist's first free pointer is on
 * (the chain's other pages are known only as it is followed); else all.
 */
static struct lx_span slab_read_ahead(const struct lx_session *s, const struct lx_scan *scan,
				      const struct lx_slab *slab)
{
	uint64_t page_size = s->arch.page_size, first_ptr;

	if (slab->unread || (slab->by_page && !slab->freelist))
		return (struct lx_span){ 0, 0 };
	if (!slab->by_page)
		return (struct lx_span){ slab->base, slab->base + slab_bytes(scan, slab) };
	first_ptr = (slab->freelist + scan->cache.offset) & ~(page_size - 1);
	return (struct lx_span){ first_ptr, first_ptr + page_size };
}

bool lx_read_slab(struct lx_session *s, const struct lx_slab *slab, uint8_t *mem,
		  size_t len)
{
	if (slab->unread)
		return lx_readable(s->t, slab->base, mem, len);
	return lx_read(s->t, slab->base, mem, len);
}

/*
 * Slab i is read next: advise the dump of the slabs from *next on while
 * those advised and not yet reached, [i, *next), hold less than
 * LX_READ_AHEAD bytes to decode (*ahead).
 */
static void advise_slabs(struct lx_session *s, const struct lx_scan *scan, size_t i,
			 size_t *next, uint64_t *ahead)
{
	struct lx_span span;

	if (i && i - 1 < *next) {
		span = slab_read_ahead(s, scan, &scan->slabs[i - 1]);
		*ahead -= span.end - span.start;
	}
	for (; *next < scan->nslabs && *ahead < LX_READ_AHEAD; ++*next) {
		span = slab_read_ahead(s, scan, &scan->slabs[*next]);
		lx_prefetch(s->t, span.start, span.end - span.start);
		*ahead += span.end - span.start;
	}
}

enum lx_status lx_scan_each_slab(struct lx_session *s, struct lx_scan *scan, size_t len,
				 lx_slab_decider decide, void *walk,
				 const struct lx_visitor *visit)
{
	bool buffers = visit && visit->buffer;	/* the visitor's, else one own */
	uint8_t *own = buffers ? NULL : lx_alloc(s->t, len), *mem;
	enum lx_status ret = LX_OK;
	uint64_t ahead = 0;
	size_t i, next = 0;

	if (!buffers && !own)
		return LX_ENOMEM;
	for (i = 0; i < scan->nslabs; i++) {
		mem = buffers ? visit->buffer(visit->arg, len) : own;
		if (lx_interrupted(s->t))
			ret = LX_EINTR;
		else if (!mem)
			ret = LX_ENOMEM;
		if (ret)
			break;
		advise_slabs(s, scan, i, &next, &ahead);
		decide(walk, &scan->slabs[i], mem);
		if ((i & 1023) == 1023)
			lx_progress(s->t, scan->cache.name, i + 1, scan->nslabs);
	}
	if (!ret)
		lx_progress(s->t, scan->cache.name, scan->nslabs, scan->nslabs);
	lx_free(s->t, own);
	return ret;
}

bool lx_mark_free(struct lx_scan *scan, const struct lx_slab *slab, uint32_t index)
{
	size_t bit = (size_t)slab->bitmap + index;

	if (lx_object_is_free(scan, slab, index))
		return false;
	scan->freebits[bit / 8] |= 1u << (bit % 8);
	return true;
}

void lx_unmark_free_all(struct lx_scan *scan, struct lx_slab *slab)
{
	uint32_t j;
	size_t bit;

	for (j = 0; j < slab->objects; j++) {
		bit = (size_t)slab->bitmap + j;
		scan->freebits[bit / 8] &= ~(1u << (bit % 8));
	}
	slab->nfree = 0;
}

enum lx_status lx_cached_add(struct lx_session *s, struct lx_scan *scan,
			     struct lx_cached_objs *c, uint64_t obj, const char *where)
{
	int added = obj ? lx_set_add(&c->set, obj) : 0;

	if (added < 0)
		return LX_ENOMEM;
	if (!added)
		lx_note_problem(s, scan, c->kind, "%s: %s %s holds %s object %#llx",
				scan->cache.name, where, c->holder,
				obj ? "an already cached" : "a NULL", (unsigned long long)obj);
	return LX_OK;
}

void lx_cached_mark(struct lx_session *s, struct lx_scan *scan,
		    struct lx_cached_objs *c, struct lx_slab *slab, uint64_t *freed)
{
	uint64_t addr;
	uint32_t j;

	for (j = 0; j < slab->objects && c->set.count; j++) {
		addr = c->slots ? slab->base + (uint64_t)j * scan->cache.size :
				  lx_object_addr(scan, slab, j);
		if (!lx_set_has(&c->set, addr))
			continue;
		c->hits++;
		if (!lx_mark_free(scan, slab, j)) {
			lx_note_problem(s, scan, c->kind,
					"%s: object %#llx is both in %s and on a freelist",
					scan->cache.name, (unsigned long long)addr, c->a_holder);
			continue;
		}
		slab->nfree++;
		(*freed)++;
	}
}

void lx_cached_check(struct lx_session *s, struct lx_scan *scan,
		     const struct lx_cached_objs *c)
{
	if (c->hits < c->set.count)
		lx_note_problem(s, scan, c->kind,
				"%s: %llu objects held in %s are in no slab of this cache that was read",
				scan->cache.name, (unsigned long long)(c->set.count - c->hits),
				c->holders);
}

enum lx_status lx_scan_note_bookkeeping(struct lx_session *s, struct lx_scan *scan,
					uint64_t start, uint64_t len)
{
	uint64_t end = start + len, word = lx_word_size(s->t);

	if (!len || end < start || end > UINT64_MAX - word)
		return LX_OK;
	if (lx_reserve(s->t, &scan->bookkeeping, &scan->bookkeeping_cap,
		       scan->nbookkeeping + 1, sizeof(*scan->bookkeeping)))
		return LX_ENOMEM;
	/* whole words, so that the words around it are read as before */
	scan->bookkeeping[scan->nbookkeeping++] =
		(struct lx_span){ start & ~(word - 1), (end + word - 1) & ~(word - 1) };
	return LX_OK;
}
