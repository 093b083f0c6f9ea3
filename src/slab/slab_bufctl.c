// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SLAB's slabs before 3.13 (kernel commit 8456a648cf44 "slab: use struct
 * page for slab management"), for the walker (slab_walk.c).
 *
 * Each slab has a struct slab { list, colouroff, s_mem, inuse, free,
 * nodeid } followed by kmem_bufctl_t bufctl[num] (mm/slab.c slab_bufctl()):
 * at the start of the slab's first page, colour bytes in, the objects
 * slab_size bytes after it (on-slab), or allocated from a kmalloc cache
 * (CFLGS_OFF_SLAB).  s_mem - colouroff is the slab's memory (mm/slab.c
 * slab_destroy()).  Every page of the slab points to the cache and to the
 * struct slab (page_set_cache(), page_set_slab(); page.slab_cache and
 * page.slab_page in 3.x).  The free objects are a chain: slab->free, then
 * bufctl[free], ..., up to BUFCTL_END; num - inuse of them
 * (slab_get_obj(), slab_put_obj()).
 *
 * Witnesses: the first page is a slab page of the cache naming the struct
 * slab; the struct slab lies where the cache keeps it; the chain has valid,
 * distinct indexes and inuse agrees with its length.
 */
#include "slab/memmap.h"
#include "slab/slab_walk.h"

#define BUFCTL_END 0xffffffffu		/* mm/slab.c: (kmem_bufctl_t)~0U */
#define BUFCTL_BYTES 4u			/* kmem_bufctl_t: unsigned int */

bool lx_bufctl_address_ok(const struct lx_session *s, uint64_t addr)
{
	uint64_t page;

	return addr % lx_word_size(s->t) == 0 && lx_virt_to_page(s, addr, &page);
}

size_t lx_bufctl_desc_bytes(const struct lx_session *s, uint32_t objects)
{
	return (size_t)s->L.slab_size_of + (size_t)objects * BUFCTL_BYTES;
}

/* s_mem - colouroff: the slab's first page, a page-aligned direct-map address. */
static bool find_first_page(struct walk *w, struct slab_hdr *h, uint64_t colouroff)
{
	uint64_t page_mask = w->s->arch.page_size - 1;

	h->start = h->s_mem - colouroff;
	return colouroff < slab_bytes(w) && h->s_mem >= colouroff &&
	       !(h->start & page_mask) && lx_virt_to_page(w->s, h->start, &h->page);
}

bool lx_bufctl_decode(struct walk *w, uint64_t addr, enum lx_slab_source src,
		      struct slab_hdr *h)
{
	const struct lx_layout *L = &w->s->L;
	uint64_t colouroff = lx_get_word(w->s->t, w->hdr, L->slab_colouroff);

	h->s_mem = lx_get_word(w->s->t, w->hdr, L->slab_s_mem);
	h->active = lx_get_u32(w->hdr, L->slab_active);
	h->freelist = addr + L->slab_size_of;
	if (!find_first_page(w, h, colouroff)) {
		lx_note_problem(w->s, w->scan, LX_PROB_OBJECTS,
				"%s: slab %#llx (%s): first object %#llx less colour offset %#llx is no slab's memory; skipped",
				cache_name(w), (unsigned long long)addr, lx_source_names[src],
				(unsigned long long)h->s_mem, (unsigned long long)colouroff);
		w->scan->bad_slabs++;
		return false;
	}
	if (!lx_read(w->s->t, h->page, w->page, L->page_size_of)) {
		lx_note_problem(w->s, w->scan, LX_PROB_UNREADABLE,
				"%s: cannot read struct page %#llx of slab %#llx (%s); skipped",
				cache_name(w), (unsigned long long)h->page,
				(unsigned long long)addr, lx_source_names[src]);
		w->scan->bad_slabs++;
		return false;
	}
	h->cache = lx_get_word(w->s->t, w->page, L->page_cache);
	return true;
}

/*
 * inuse within num, the objects inside the slab's pages from a colour
 * offset that is a multiple of the cache's alignment (colour_off and
 * slab_size are: mm/slab.c __kmem_cache_create()).
 */
bool lx_bufctl_fits(const struct walk *w, const struct slab_hdr *h)
{
	const struct lx_cache *c = &w->scan->cache;
	uint64_t colouroff = h->s_mem - h->start;

	return h->active <= c->oo_objects &&
	       slab_bytes(w) - colouroff >= (uint64_t)c->oo_objects * c->size &&
	       (!w->align || colouroff % w->align == 0);
}

void lx_bufctl_page_witness(struct walk *w, uint64_t addr, const struct slab_hdr *h)
{
	uint64_t named = lx_get_word(w->s->t, w->page, w->s->L.page_slab);

	if (!lx_page_is_slab(w->s, w->page))
		lx_note_problem(w->s, w->scan, LX_PROB_MEMMAP,
				"%s: slab %#llx: its first page %#llx is not a slab page",
				cache_name(w), (unsigned long long)addr,
				(unsigned long long)h->page);
	else if (named != addr)
		lx_note_problem(w->s, w->scan, LX_PROB_MEMMAP,
				"%s: slab %#llx: its first page %#llx names struct slab %#llx",
				cache_name(w), (unsigned long long)addr,
				(unsigned long long)h->page, (unsigned long long)named);
}

/* bufctl[i] of the struct slab in w->idx. */
static uint32_t bufctl(const struct walk *w, uint32_t i)
{
	return lx_get_u32(w->idx, w->s->L.slab_size_of + (size_t)i * BUFCTL_BYTES);
}

/*
 * Where the cache keeps struct slab and its bufctl (mm/slab.c
 * alloc_slabmgmt()): on-slab, colour_off-aligned in the slab's memory
 * before the objects, which start slab_size bytes after it; off slab,
 * outside the slab's memory.
 */
static bool desc_placed(const struct walk *w, const struct lx_slab *slab, uint64_t start)
{
	uint64_t addr = slab->addr, end = start + slab_bytes(w);
	uint64_t len = lx_bufctl_desc_bytes(w->s, slab->objects);

	if (w->scan->cache.flags & LX_CFLGS_OFF_SLAB)	/* no wrap: from the dump */
		return addr >= end || (addr < start && start - addr >= len);
	return addr >= start && addr < slab->base && slab->base - addr >= len &&
	       (!w->slab_size || slab->base - addr == w->slab_size) &&
	       (!w->colour_off || (addr - start) % w->colour_off == 0);
}

/* inuse against the chain's length (mm/slab.c check_slabp()). */
static void check_inuse(struct walk *w, struct lx_slab *slab)
{
	if (slab->nfree == slab->objects - slab->inuse)
		return;
	if (!slab->bad)
		w->scan->bad_slabs++;
	slab->bad = 1;
	lx_note_problem(w->s, w->scan, LX_PROB_INUSE,
			"%s: slab %#llx: inuse %u, but its bufctl chain holds %u free of %u objects",
			cache_name(w), (unsigned long long)slab->addr, slab->inuse,
			slab->nfree, slab->objects);
}

/*
 * The chain from slab->free: each index below num and new (each marks an
 * object free), so it ends in at most num steps or is flagged.
 */
const char *lx_bufctl_mark(struct walk *w, struct lx_slab *slab)
{
	const struct lx_layout *L = &w->s->L;
	uint64_t colouroff;
	uint32_t i;

	if (!lx_read(w->s->t, slab->addr, w->idx, lx_bufctl_desc_bytes(w->s, slab->objects)))
		return "is unreadable";
	colouroff = lx_get_word(w->s->t, w->idx, L->slab_colouroff);
	if (!desc_placed(w, slab, slab->base - colouroff))
		return "is in a struct slab not where the cache keeps it";
	for (i = lx_get_u32(w->idx, L->slab_free); i != BUFCTL_END; i = bufctl(w, i)) {
		if (i >= slab->objects || !lx_mark_free(w->scan, slab, i))
			return "chain loops or holds an index past num";
		slab->nfree++;
	}
	check_inuse(w, slab);
	return NULL;
}
