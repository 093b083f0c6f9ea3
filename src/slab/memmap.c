// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Memory map scan: find every slab head page, whichever list (if any)
 * tracks it.  SLUB keeps full slabs on no list unless the cache stores
 * owner tracks (mm/slub.c add_full()), so this is how untracked full slabs
 * are found.
 *
 * With SPARSEMEM_VMEMMAP (every x86_64 kernel leakext reads) the struct page
 * of pfn N sits at vmemmap_base + N * sizeof(struct page), and the memmap of
 * an absent memory section is simply not mapped; a failed read of a chunk
 * is the same answer mem_section would give.  Struct pages are read in
 * 2 MiB chunks (the memmap of one 128 MiB x86_64 section); a chunk that
 * fails is retried in 64 KiB pieces so a partly mapped section is not lost.
 * FLATMEM's mem_map (the arch row gives it as vmemmap_base) is the same
 * array from pfn 0.  Where the direct map ends below the top of memory (a
 * 32-bit kernel's lowmem) the scan stops there: slabs are never highmem.
 */
#include <stdlib.h>
#include <string.h>

#include "slab/memmap.h"

#define MEMMAP_CHUNK (2u << 20)
#define MEMMAP_PIECE (64u << 10)

struct lx_memmap {
	struct lx_memmap_entry *entries;
	size_t count, cap;
	uint64_t unreadable_bytes;
};

uint64_t lx_page_to_virt(const struct lx_session *s, uint64_t page)
{
	uint64_t pfn = (page - s->K.vmemmap_base) / (uint64_t)s->L.page_size_of;

	return s->K.page_offset_base + (pfn << s->K.page_shift);
}

bool lx_virt_to_page(const struct lx_session *s, uint64_t vaddr, uint64_t *page)
{
	const struct lx_kernel *K = &s->K;
	uint64_t pfn;

	if (vaddr < K->page_offset_base)
		return false;
	pfn = (vaddr - K->page_offset_base) >> K->page_shift;
	if ((K->max_pfn && pfn >= K->max_pfn) || !lx_pfn_mapped(K, pfn))
		return false;
	*page = K->vmemmap_base + pfn * s->L.page_size_of;
	return true;
}

/*
 * See resolve_slab_test() in slub_layout.c for the three encodings.
 * page->flags and compound_head are unsigned longs.
 */
bool lx_page_is_slab(const struct lx_session *s, const void *page)
{
	const struct lx_layout *L = &s->L;
	uint32_t type;

	/* Tail pages have bit 0 of compound_head set (page-flags.h). */
	if (L->slab_compound_head >= 0 &&
	    (lx_get_word(s->t, page, L->slab_compound_head) & 1))
		return false;
	switch (L->slab_test) {
	case LX_SLAB_PAGE_FLAG:
		return lx_get_word(s->t, page, L->slab_flags) &
		       (1ULL << L->slab_test_value);
	case LX_SLAB_TYPE_INVERTED:
		type = lx_get_u32(page, L->page_type);
		return (type & (0x80000000u | L->slab_test_value)) == 0x80000000u;
	case LX_SLAB_TYPE_BYTE:
		type = lx_get_u32(page, L->page_type);
		return (type >> 24) == L->slab_test_value;
	}
	return false;
}

/* The page walk's state: the visitor, and what could not be read. */
struct page_walk {
	lx_page_visit visit;
	void *arg;
	uint64_t unreadable_bytes;
};

static enum lx_status add_entry(struct lx_session *s, void *arg,
				uint64_t page_addr, const uint8_t *page)
{
	const struct lx_layout *L = &s->L;
	struct lx_memmap *m = arg;
	struct lx_memmap_entry *e;

	if (!lx_page_is_slab(s, page))
		return LX_OK;
	if (lx_reserve(s->t, &m->entries, &m->cap, m->count + 1, sizeof(*e)))
		return LX_ENOMEM;
	e = &m->entries[m->count++];
	e->slab = page_addr;
	e->cache = lx_get_word(s->t, page, L->slab_cache);
	e->freelist = lx_get_word(s->t, page, L->slab_freelist);
	e->counters = lx_get_word(s->t, page, L->slab_counters);
	return LX_OK;
}

static enum lx_status scan_buffer(struct lx_session *s, struct page_walk *w,
				  uint64_t addr, const uint8_t *buf, size_t len)
{
	size_t stride = s->L.page_size_of, off;
	enum lx_status ret;

	for (off = 0; off + stride <= len; off += stride) {
		ret = w->visit(s, w->arg, addr + off, buf + off);
		if (ret)
			return ret;
	}
	return LX_OK;
}

static enum lx_status scan_chunk(struct lx_session *s, struct page_walk *w, uint8_t *buf,
				 uint64_t addr, size_t len, size_t piece)
{
	enum lx_status ret;
	size_t off, n;

	if (lx_read(s->t, addr, buf, len))
		return scan_buffer(s, w, addr, buf, len);
	for (off = 0; off < len; off += n) {
		n = len - off < piece ? len - off : piece;
		if (!lx_read(s->t, addr + off, buf, n)) {
			w->unreadable_bytes += n;
			continue;
		}
		ret = scan_buffer(s, w, addr + off, buf, n);
		if (ret)
			return ret;
	}
	return LX_OK;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct lx_memmap_entry *x = a, *y = b;

	if (x->cache != y->cache)
		return x->cache < y->cache ? -1 : 1;
	if (x->slab != y->slab)
		return x->slab < y->slab ? -1 : 1;
	return 0;
}

/* The pfns a slab can be in: below max_pfn, with a direct-map address. */
static uint64_t mapped_pfns(const struct lx_kernel *K)
{
	uint64_t direct = lx_direct_pfns(K);

	return direct && direct < K->max_pfn ? direct : K->max_pfn;
}

static enum lx_status scan_all_chunks(struct lx_session *s, struct page_walk *w)
{
	const struct lx_kernel *K = &s->K;
	const struct lx_layout *L = &s->L;
	size_t stride = L->page_size_of;
	size_t chunk = MEMMAP_CHUNK / stride * stride;
	size_t piece = MEMMAP_PIECE / stride * stride;
	uint64_t total = mapped_pfns(K) * stride, off, advised = 0;
	enum lx_status ret = LX_OK;
	uint8_t *buf;

	if (chunk > total)	/* a small machine: no 2 MiB buffer to clear */
		chunk = total;
	buf = lx_alloc(s->t, chunk);

	if (!buf)
		return LX_ENOMEM;
	for (off = 0; off < total && !ret; off += chunk) {
		size_t len = total - off < chunk ? total - off : chunk;

		lx_prefetch_run(s->t, &advised, K->vmemmap_base + off, len,
				K->vmemmap_base + total);
		if (lx_interrupted(s->t))
			ret = LX_EINTR;
		else
			ret = scan_chunk(s, w, buf, K->vmemmap_base + off, len, piece);
		lx_progress(s->t, "memmap", off + len, total);
	}
	lx_free(s->t, buf);
	return ret;
}

static bool max_pfn_plausible(struct lx_session *s)
{
	const struct lx_kernel *K = &s->K;

	if (K->max_pfn && K->max_pfn <= s->arch.max_pfn_limit)
		return true;
	lx_msg(s->t, LX_MSG_WARN, "max_pfn unknown or implausible; cannot scan the memory map");
	return false;
}

enum lx_status lx_memmap_walk(struct lx_session *s, lx_page_visit visit, void *arg,
			      uint64_t *unreadable_bytes)
{
	struct page_walk w = { .visit = visit, .arg = arg };
	enum lx_status ret;

	if (!max_pfn_plausible(s))
		return LX_ECORRUPT;
	ret = scan_all_chunks(s, &w);
	if (unreadable_bytes)
		*unreadable_bytes = w.unreadable_bytes;
	return ret;
}

/*
 * Once per command: the result (or the failure) serves every cache.  The
 * layout already bounded max_pfn by the memory the dump describes.
 */
enum lx_status lx_memmap_scan(struct lx_session *s)
{
	struct lx_memmap *m;
	enum lx_status ret;

	if (s->memmap || s->memmap_status)
		return s->memmap_status;
	if (!max_pfn_plausible(s))
		return s->memmap_status = LX_ECORRUPT;
	m = lx_alloc(s->t, sizeof(*m));
	if (!m)
		return LX_ENOMEM;
	ret = lx_memmap_walk(s, add_entry, m, &m->unreadable_bytes);
	if (ret) {
		lx_free(s->t, m->entries);
		lx_free(s->t, m);
		return ret;
	}
	if (m->count)	/* no slab page at all: no array to sort */
		qsort(m->entries, m->count, sizeof(*m->entries), entry_cmp);
	s->memmap = m;
	return LX_OK;
}

bool lx_memmap_has(const struct lx_memmap_entry *e, size_t n, uint64_t slab)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e[mid].slab == slab)
			return true;
		if (e[mid].slab < slab)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

const struct lx_memmap_entry *lx_memmap_find(struct lx_session *s,
					     uint64_t cache, size_t *count)
{
	const struct lx_memmap *m = s->memmap;
	size_t lo = 0, hi, first;

	*count = 0;
	if (!m)
		return NULL;
	hi = m->count;
	while (lo < hi) {	/* first entry with entries[i].cache >= cache */
		size_t mid = lo + (hi - lo) / 2;

		if (m->entries[mid].cache < cache)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < m->count && m->entries[lo].cache == cache)
		lo++;
	*count = lo - first;
	return *count ? &m->entries[first] : NULL;
}

void lx_memmap_free(struct lx_session *s)
{
	s->memmap_status = LX_OK;
	if (!s->memmap)
		return;
	lx_free(s->t, s->memmap->entries);
	lx_free(s->t, s->memmap);
	s->memmap = NULL;
}

/*
 * The slab cache an address belongs to: its struct page, the head page
 * if that is a tail page, then slab->slab_cache (before 3.13 SLAB's
 * page.slab_cache, or lru.next: each of a slab's pages has it).  0 if not
 * slab memory.
 */
uint64_t lx_slab_cache_of(struct lx_session *s, uint64_t vaddr)
{
	const struct lx_layout *L = &s->L;
	uint8_t page[256];
	uint64_t addr, head;

	if (L->page_size_of > (long)sizeof(page) || !lx_virt_to_page(s, vaddr, &addr) ||
	    !lx_read(s->t, addr, page, L->page_size_of))
		return 0;
	head = L->slab_compound_head >= 0 ?
	       lx_get_word(s->t, page, L->slab_compound_head) : 0;
	if ((head & 1) && !lx_read(s->t, head - 1, page, L->page_size_of))
		return 0;
	if (!lx_page_is_slab(s, page))
		return 0;
	return lx_get_word(s->t, page, L->slab_cache);
}
