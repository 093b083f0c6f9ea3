// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SLAB walker (mm/slab.c): every slab of one cache, each once, and exactly
 * which of its objects are live.
 *
 * Every SLAB slab is on one of its node's three lists (slabs_partial,
 * slabs_full, slabs_free); the memory map scan finds any that is not, and
 * flags it.  A slab counts slab->active objects as allocated: the free
 * ones are the object indexes freelist[active .. num-1], an array of
 * freelist_idx_t (one or two bytes; 3.13's unsigned ints; told apart by
 * verification).  Before 3.13 a struct slab of its own counts inuse, its
 * free objects chained through the kmem_bufctl_t[] after it
 * (slab_bufctl.c).  An allocated object may still be free for the kernel:
 * held for reuse in a per-cpu array cache (kmem_cache.cpu_cache, or
 * kmem_cache.array[] before 3.18), a node's shared array cache or an
 * alien cache (objects of another node's slabs freed here).  So an object
 * is live when its slab counts it allocated and no array cache holds it;
 * that is decided in decide_liveness() alone.
 *
 * Witnesses: each node's free_objects, total_slabs and free_slabs against
 * its lists; each slab's list against its active count; each freelist's
 * indexes (valid, distinct) and where the freelist lies; the memory map
 * against the lists; every array cache entry must be an allocated object
 * of this cache, in one array cache once.
 */
#include <string.h>

#include "base/set.h"
#include "slab/memmap.h"
#include "slab/slab_walk.h"

/* Bounds against hostile dumps. */
#define MAX_SLAB_ORDER 10
#define MAX_OBJECT_SIZE (4u << 20)
#define MAX_SLAB_OBJECTS 65535u	/* SLAB_OBJ_MAX_NUM of two-byte indexes */
#define MAX_ARRAY_ENTRIES 65536u	/* an array cache's limit */
/* Slabs whose freelists are tried when telling the index width. */
#define WIDTH_SAMPLE 256
/* The widest index: 3.13's unsigned int; freelist_idx_t is 1 or 2 bytes. */
#define MAX_WIDTH 4
/*
 * Array cache entries may carry SLAB_OBJ_PFMEMALLOC in bit 0 (kernel
 * commit 072bb0aa5e06 "mm: sl[au]b: add knowledge of PFMEMALLOC reserve
 * pages", 3.6); objects are word aligned, so the bit is never an address's.
 */
#define OBJ_PFMEMALLOC 1ULL

/*
 * A node's alien pointer of kernels that had no alien caches allocated
 * (mm/slab.c BAD_ALIEN_MAGIC, removed in 2014 with the alien_cache
 * series): no alien cache, not a corrupt pointer.
 */
#define BAD_ALIEN_MAGIC 0x01020304ULL
/*
 * The batchcount of every shared and alien array cache (mm/slab.c
 * setup_kmem_cache_node(), __alloc_alien_cache()): per-cpu ones have the
 * cache's batchcount instead.
 */
#define SHARED_BATCH 0xbaadf00dU

/* What an array cache's header must say; 0 where not known. */
struct ac_expect {
	uint32_t limit, batch;
};

/*
 * How much of a kmem_cache to read: its fields and node[nr_node_ids] (or
 * the pointer to them).
 */
static size_t cache_read_len(const struct lx_session *s)
{
	const struct lx_layout *L = &s->L;
	const long fields[] = { L->kc_cpu_cache, L->kc_flags, L->kc_size,
				L->kc_object_size, L->kc_num, L->kc_gfporder,
				L->kc_obj_offset, L->kc_freelist_size, L->kc_name };
	unsigned int word = lx_word_size(s->t);	/* the widest field read */
	size_t len = L->kc_node + (L->kc_node_indirect ? word :
				   (size_t)L->kc_node_stride * s->K.nr_nodes), i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i] >= 0 && (size_t)fields[i] + word > len)
			len = fields[i] + word;
	return len < (size_t)L->kc_size_of ? len : (size_t)L->kc_size_of;
}

static uint32_t get_u32_or(const uint8_t *buf, size_t len, long off, uint32_t dflt)
{
	uint32_t v;

	return off >= 0 && lx_field_u32(buf, len, off, &v) ? v : dflt;
}

static void fill_cache(const struct lx_layout *L, const uint8_t *buf, size_t len,
		       struct lx_cache *c)
{
	c->flags = get_u32_or(buf, len, L->kc_flags, 0);
	c->size = get_u32_or(buf, len, L->kc_size, 0);
	/* 2.6.32 keeps obj_size only with CONFIG_DEBUG_SLAB: else size */
	c->object_size = get_u32_or(buf, len, L->kc_object_size, c->size);
	c->inuse = c->object_size;
	c->red_left_pad = get_u32_or(buf, len, L->kc_obj_offset, 0);
	c->oo_objects = get_u32_or(buf, len, L->kc_num, 0);
	c->oo_order = get_u32_or(buf, len, L->kc_gfporder, 0);
	c->min_objects = c->oo_objects;		/* SLAB has one slab size */
	c->min_order = c->oo_order;
}

static enum lx_status slab_cache_read(struct lx_session *s, uint64_t addr,
				      struct lx_cache *c)
{
	size_t len = cache_read_len(s);
	uint8_t *buf = lx_alloc(s->t, len);
	enum lx_status ret = LX_EABSENT;
	uint64_t name;

	if (!buf)
		return LX_ENOMEM;
	memset(c, 0, sizeof(*c));
	if (!lx_read(s->t, addr, buf, len))
		goto out;
	c->addr = addr;
	fill_cache(&s->L, buf, len, c);
	if (!lx_field_word(s->t, buf, len, s->L.kc_name, &name) ||
	    !lx_read_string(s->t, name, c->name, sizeof(c->name)))
		snprintf(c->name, sizeof(c->name), "(unreadable name)");
	lx_sanitize(c->name);
	ret = LX_OK;
out:
	lx_free(s->t, buf);
	return ret;
}

/*
 * Every value here comes from the dump: compare in 64 bits.  SLAB aligns
 * sizes to a word (mm/slab.c __kmem_cache_create(): BYTES_PER_WORD).
 */
static bool cache_is_sane(const struct lx_session *s, const struct lx_cache *c)
{
	return c->size && c->size <= MAX_OBJECT_SIZE && c->size % lx_word_size(s->t) == 0 &&
	       (uint64_t)c->red_left_pad + c->object_size <= c->size &&
	       c->oo_objects && c->oo_objects <= MAX_SLAB_OBJECTS &&
	       c->oo_order <= MAX_SLAB_ORDER &&
	       (uint64_t)c->oo_objects * c->size <= (s->arch.page_size << c->oo_order);
}

/*
 * A struct slab address must be a struct page inside the memory map, of
 * a page with a direct-map address.
 */
static bool is_page_address(const struct lx_session *s, uint64_t addr)
{
	const struct lx_kernel *K = &s->K;
	uint64_t off = addr - K->vmemmap_base;

	return addr >= K->vmemmap_base && off % s->L.page_size_of == 0 &&
	       (!K->max_pfn || off / s->L.page_size_of < K->max_pfn) &&
	       lx_pfn_mapped(K, off / s->L.page_size_of);
}

static enum lx_status reserve_slab(struct walk *w, uint32_t objects)
{
	struct lx_scan *scan = w->scan;

	if (lx_reserve(w->s->t, &scan->slabs, &scan->slabs_cap,
		       scan->nslabs + 1, sizeof(*scan->slabs)) ||
	    lx_reserve(w->s->t, &scan->freebits, &scan->freebits_cap,
		       (scan->freebits_len + objects + 7) / 8, 1))
		return LX_ENOMEM;
	return LX_OK;
}

/*
 * active within num, and the object slots inside the slab's pages,
 * starting at a multiple of the cache's alignment: the colour offset is
 * a multiple of colour_off, itself of align (mm/slab.c
 * __kmem_cache_create()), as was an on-slab freelist before s_mem.
 */
static bool slab_fits(const struct walk *w, const struct slab_hdr *h)
{
	const struct lx_cache *c = &w->scan->cache;

	return h->active <= c->oo_objects && h->s_mem >= h->start &&
	       h->s_mem - h->start <= slab_bytes(w) &&
	       slab_bytes(w) - (h->s_mem - h->start) >= (uint64_t)c->oo_objects * c->size &&
	       (!w->align || (h->s_mem - h->start) % w->align == 0);
}

/* Which active counts a list may hold (mm/slab.c fixup_slab_list()). */
static bool fits_list(const struct lx_cache *c, enum lx_slab_source src,
		      uint32_t active)
{
	switch (src) {
	case LX_SRC_SLABS_PARTIAL:
		return active && active < c->oo_objects;
	case LX_SRC_SLABS_FULL:
		return active == c->oo_objects;
	case LX_SRC_SLABS_FREE:
		return !active;
	default:
		return true;
	}
}

/* A listed slab counts towards its node's counters. */
static void count_for_node(struct walk *w, enum lx_slab_source src, uint32_t active)
{
	if (src == LX_SRC_UNLISTED)
		return;
	w->node_slabs++;
	w->node_free_slabs += src == LX_SRC_SLABS_FREE;
	w->node_free_objects += w->scan->cache.oo_objects - active;
}

static void record_slab(struct walk *w, uint64_t addr, enum lx_slab_source src,
			const struct slab_hdr *h)
{
	struct lx_scan *scan = w->scan;
	struct lx_slab *slab = &scan->slabs[scan->nslabs++];

	memset(slab, 0, sizeof(*slab));
	slab->addr = addr;
	slab->base = h->s_mem;
	slab->freelist = h->freelist;
	slab->objects = scan->cache.oo_objects;
	slab->inuse = h->active;
	slab->source = src;
	slab->cpu = -1;
	slab->bitmap = scan->freebits_len;
	scan->freebits_len += slab->objects;
	scan->by_source[src]++;
}

/*
 * What the header in w->hdr says: struct slab (5.17+) or struct page
 * hold it all; before 3.13 the slab's cache is its page's word.  False
 * (the problem noted) if the slab cannot be checked at all.
 */
static bool decode_hdr(struct walk *w, uint64_t addr, enum lx_slab_source src,
		       struct slab_hdr *h)
{
	const struct lx_layout *L = &w->s->L;

	if (L->slab_bufctl)
		return lx_bufctl_decode(w, addr, src, h);
	h->cache = lx_get_word(w->s->t, w->hdr, L->slab_cache);
	h->s_mem = lx_get_word(w->s->t, w->hdr, L->slab_s_mem);
	h->freelist = lx_get_word(w->s->t, w->hdr, L->slab_freelist);
	h->active = lx_get_u32(w->hdr, L->slab_active);
	h->start = lx_page_to_virt(w->s, addr);
	h->page = addr;
	return true;
}

static bool fits(const struct walk *w, const struct slab_hdr *h)
{
	return w->s->L.slab_bufctl ? lx_bufctl_fits(w, h) : slab_fits(w, h);
}

/*
 * Record the slab whose header is in w->hdr.  *ok says whether it is one
 * of the cache's slabs, so that a list may be followed through it.
 */
static enum lx_status add_slab(struct walk *w, uint64_t addr,
			       enum lx_slab_source src, bool *ok)
{
	const struct lx_cache *c = &w->scan->cache;
	struct slab_hdr h;
	int added;

	if (!decode_hdr(w, addr, src, &h))	/* rejected: once */
		return lx_set_add(&w->seen, addr) < 0 ? LX_ENOMEM : LX_OK;
	if (h.cache != c->addr) {
		lx_note_problem(w->s, w->scan, LX_PROB_FOREIGN,
				"%s: slab %#llx on the %s list belongs to cache %#llx; skipped",
				c->name, (unsigned long long)addr, lx_source_names[src],
				(unsigned long long)h.cache);
		w->scan->bad_lists++;
		return LX_OK;
	}
	*ok = true;
	added = lx_set_add(&w->seen, addr);
	if (added <= 0)
		return added < 0 ? LX_ENOMEM : LX_OK;
	if (w->s->L.slab_bufctl)
		lx_bufctl_page_witness(w, addr, &h);
	if (!fits(w, &h)) {
		lx_note_problem(w->s, w->scan, LX_PROB_OBJECTS,
				"%s: slab %#llx claims %u active of %u objects from %#llx; skipped",
				c->name, (unsigned long long)addr, h.active, c->oo_objects,
				(unsigned long long)h.s_mem);
		w->scan->bad_slabs++;
		return LX_OK;
	}
	if (!fits_list(c, src, h.active))
		lx_note_problem(w->s, w->scan, LX_PROB_WRONG_LIST,
				"%s: slab %#llx with %u of %u objects active is on the %s list",
				c->name, (unsigned long long)addr, h.active, c->oo_objects,
				lx_source_names[src]);
	if (reserve_slab(w, c->oo_objects))
		return LX_ENOMEM;
	count_for_node(w, src, h.active);
	record_slab(w, addr, src, &h);
	return LX_OK;
}

/* Where a list may point: a struct page (3.13+), else a struct slab. */
static bool slab_address_ok(const struct lx_session *s, uint64_t addr)
{
	return s->L.slab_bufctl ? lx_bufctl_address_ok(s, addr) : is_page_address(s, addr);
}

/* Read the struct slab at addr into w->hdr and record it. */
static enum lx_status add_slab_at(struct walk *w, uint64_t addr,
				  enum lx_slab_source src, bool *ok)
{
	*ok = false;
	if (!slab_address_ok(w->s, addr)) {
		lx_note_problem(w->s, w->scan, LX_PROB_LIST,
				"%s: %s list points to %#llx, not a struct %s; stopped there",
				cache_name(w), lx_source_names[src], (unsigned long long)addr,
				w->s->L.slab_bufctl ? "slab" : "page");
		w->scan->bad_lists++;
		return LX_OK;
	}
	if (!lx_read(w->s->t, addr, w->hdr, w->s->L.slab_size_of)) {
		lx_note_problem(w->s, w->scan, LX_PROB_UNREADABLE,
				"%s: cannot read slab %#llx (%s); skipped",
				cache_name(w), (unsigned long long)addr, lx_source_names[src]);
		w->scan->bad_slabs++;
		return LX_OK;
	}
	return add_slab(w, addr, src, ok);
}

/* One of a node's slab lists, linked through slab_list (lru). */
static enum lx_status collect_list(struct walk *w, uint64_t head,
				   enum lx_slab_source src, unsigned int node)
{
	const struct lx_layout *L = &w->s->L;
	enum lx_status ret = LX_OK;
	uint64_t next, slab;
	unsigned int n;
	bool ok;

	if (!lx_read_word(w->s->t, head, &next)) {
		lx_note_problem(w->s, w->scan, LX_PROB_NODE,
				"%s: node %u %s list head unreadable",
				cache_name(w), node, lx_source_names[src]);
		return LX_OK;
	}
	for (n = 0; next != head && !ret; n++) {
		slab = next - L->slab_list;
		if (!next || n >= w->s->K.max_slabs || lx_set_has(&w->seen, slab)) {
			lx_note_problem(w->s, w->scan, LX_PROB_LIST,
					"%s: node %u %s list is broken or loops; stopped after %u slabs",
					cache_name(w), node, lx_source_names[src], n);
			w->scan->bad_lists++;
			break;
		}
		ret = add_slab_at(w, slab, src, &ok);
		if (!ok)
			break;
		next = lx_get_word(w->s->t, w->hdr, L->slab_list);
	}
	return ret;
}

/*
 * One node counter (an unsigned long) against what its lists held; -1
 * offset: not kept.
 */
static void check_counter(struct walk *w, unsigned int node, long off,
			  const char *what, uint64_t found)
{
	uint64_t said;

	if (off < 0)
		return;
	said = lx_get_word(w->s->t, w->kcn, off);
	if (said != found)
		lx_note_problem(w->s, w->scan, LX_PROB_NODE,
				"%s: node %u %s is %llu, its lists hold %llu",
				cache_name(w), node, what, (unsigned long long)said,
				(unsigned long long)found);
}

static void check_node_counters(struct walk *w, unsigned int node)
{
	const struct lx_layout *L = &w->s->L;

	check_counter(w, node, L->kcn_total_slabs, "total_slabs", w->node_slabs);
	check_counter(w, node, L->kcn_free_slabs, "free_slabs", w->node_free_slabs);
	check_counter(w, node, L->kcn_free_objects, "free_objects", w->node_free_objects);
	if (L->kcn_total_slabs >= 0)
		w->scan->node_nr_slabs += lx_get_word(w->s->t, w->kcn, L->kcn_total_slabs);
}

/* The kmem_cache_node of node into w->kcn; false if it has none or unreadable. */
static bool read_node(struct walk *w, unsigned int node, uint64_t *addr)
{
	const struct lx_layout *L = &w->s->L;
	uint64_t entry = L->kc_node_indirect ?
			 w->node_ptrs + (uint64_t)lx_word_size(w->s->t) * node :
			 lx_node_entry(L, w->scan->cache.addr, node);

	if ((L->kc_node_indirect && !w->node_ptrs) || !lx_read_word(w->s->t, entry, addr))
		*addr = 0;
	return *addr && lx_read(w->s->t, *addr, w->kcn, L->kcn_size_of);
}

/* A node with memory must have its kmem_cache_node, readable. */
static void node_missing(struct walk *w, unsigned int node, uint64_t addr)
{
	const struct lx_kernel *K = &w->s->K;

	if (addr)
		lx_note_problem(w->s, w->scan, LX_PROB_NODE,
				"%s: cannot read kmem_cache_node %u", cache_name(w), node);
	else if (K->node_normal && lx_mask_test(K->node_normal, node))
		lx_note_problem(w->s, w->scan, LX_PROB_NODE,
				"%s: node %u has memory but no kmem_cache_node",
				cache_name(w), node);
	else
		return;
	w->scan->nr_slabs_known = false;
}

static enum lx_status collect_one_node(struct walk *w, unsigned int node)
{
	const struct lx_layout *L = &w->s->L;
	static const enum lx_slab_source lists[] = {
		LX_SRC_SLABS_PARTIAL, LX_SRC_SLABS_FULL, LX_SRC_SLABS_FREE,
	};
	const long heads[] = { L->kcn_slabs_partial, L->kcn_slabs_full, L->kcn_slabs_free };
	enum lx_status ret = LX_OK;
	uint64_t addr;
	size_t i;

	if (!read_node(w, node, &addr)) {
		node_missing(w, node, addr);
		return LX_OK;
	}
	w->node_slabs = w->node_free_slabs = w->node_free_objects = 0;
	for (i = 0; i < 3 && !ret; i++)
		ret = collect_list(w, addr + heads[i], lists[i], node);
	if (!ret)
		check_node_counters(w, node);
	return ret;
}

/* Slab source: each node's partial, full and free lists. */
static enum lx_status collect_node_slabs(struct walk *w)
{
	enum lx_status ret = LX_OK;
	unsigned int node;

	w->scan->nr_slabs_known = w->s->L.kcn_total_slabs >= 0;
	for (node = 0; node < w->s->K.nr_nodes && !ret; node++)
		ret = collect_one_node(w, node);
	return ret;
}

/* Every slab the lists gave must be a slab page of this cache. */
static void check_listed_in_memmap(struct walk *w, const struct lx_memmap_entry *e,
				   size_t n)
{
	size_t i;

	for (i = 0; i < w->scan->nslabs; i++) {
		const struct lx_slab *slab = &w->scan->slabs[i];

		if (!lx_memmap_has(e, n, slab->addr))
			lx_note_problem(w->s, w->scan, LX_PROB_MEMMAP,
					"%s: slab %#llx (%s) is not a slab page of this cache in the memory map",
					cache_name(w), (unsigned long long)slab->addr,
					lx_source_names[slab->source]);
	}
}

/* SLAB keeps every slab on a list: one the lists lack was lost from one. */
static enum lx_status add_unlisted_slab(struct walk *w, uint64_t addr)
{
	bool ok;

	lx_note_problem(w->s, w->scan, LX_PROB_MEMMAP,
			"%s: slab %#llx of this cache is on no list", cache_name(w),
			(unsigned long long)addr);
	return add_slab_at(w, addr, LX_SRC_UNLISTED, &ok);
}

/*
 * Before 3.13 each page of a slab names its struct slab (L->page_slab,
 * kept as the entry's freelist word); a slab's pages are adjacent in the
 * sorted entries.  Its page was checked when the slab was recorded.
 */
static enum lx_status collect_unlisted_bufctl(struct walk *w,
					      const struct lx_memmap_entry *e, size_t n)
{
	enum lx_status ret = LX_OK;
	size_t i;

	for (i = 0; i < n && !ret; i++) {
		if ((i && e[i].freelist == e[i - 1].freelist) ||
		    lx_set_has(&w->seen, e[i].freelist))
			continue;
		ret = add_unlisted_slab(w, e[i].freelist);
	}
	return ret;
}

/*
 * Slab source: the memory map scan (once per command, for every cache).
 * Without it, the node counters alone say whether the lists were complete.
 */
static enum lx_status collect_memmap_slabs(struct walk *w)
{
	struct lx_scan *scan = w->scan;
	const struct lx_memmap_entry *e;
	enum lx_status ret = lx_memmap_scan(w->s);
	size_t n, i;

	if (ret == LX_ENOMEM || ret == LX_EINTR)
		return ret;
	if (ret) {
		if (!scan->nr_slabs_known || scan->nslabs != scan->node_nr_slabs)
			lx_note_problem(w->s, scan, LX_PROB_MEMMAP,
					"%s: memory map not scanned; slabs no list tracks are missing",
					cache_name(w));
		return LX_OK;
	}
	scan->used_memmap = true;
	e = lx_memmap_find(w->s, scan->cache.addr, &n);
	if (w->s->L.slab_bufctl)
		return collect_unlisted_bufctl(w, e, n);
	check_listed_in_memmap(w, e, n);
	for (i = 0; i < n && !ret; i++)
		if (!lx_set_has(&w->seen, e[i].slab))
			ret = add_unlisted_slab(w, e[i].slab);
	return ret;
}

/*
 * An object an array cache holds: free, though its slab counts it
 * active.  Each object may be in one array cache once; NULL is never
 * stored.  Entries are slot addresses (with CONFIG_DEBUG_SLAB, the slot
 * before obj_offset: mm/slab.c cache_free_debugcheck()).
 */
static enum lx_status add_cached(struct walk *w, uint64_t entry, const char *where)
{
	return lx_cached_add(w->s, w->scan, &w->cached, entry & ~OBJ_PFMEMALLOC, where);
}

static enum lx_status add_entries(struct walk *w, uint64_t ac, uint32_t avail,
				  const char *where)
{
	uint64_t *objs = lx_alloc(w->s->t, (size_t)avail * sizeof(*objs));
	enum lx_status ret = LX_OK;
	uint32_t i;

	if (!objs)
		return LX_ENOMEM;
	/* array_cache.entry[]: pointers */
	if (!lx_read_words(w->s->t, ac + w->s->L.ac_entry, objs, avail))
		lx_note_problem(w->s, w->scan, LX_PROB_ARRAY,
				"%s: %s array cache %#llx entries unreadable",
				cache_name(w), where, (unsigned long long)ac);
	else
		for (i = 0; i < avail && !ret; i++)
			ret = add_cached(w, objs[i], where);
	lx_free(w->s->t, objs);
	return ret;
}

/*
 * One struct array_cache: entry[0 .. avail) are free objects (mm/slab.c
 * ____cache_alloc() takes entry[--avail]).  avail above limit is corrupt:
 * the cache is skipped and flagged.
 */
static enum lx_status read_array_cache(struct walk *w, uint64_t ac, const char *where,
				       const struct ac_expect *want)
{
	const struct lx_layout *L = &w->s->L;
	uint32_t avail, limit, batch = 0;

	if (!lx_read_u32(w->s->t, ac + L->ac_avail, &avail) ||
	    !lx_read_u32(w->s->t, ac + L->ac_limit, &limit) ||
	    (L->ac_batchcount >= 0 &&
	     !lx_read_u32(w->s->t, ac + L->ac_batchcount, &batch))) {
		lx_note_problem(w->s, w->scan, LX_PROB_ARRAY,
				"%s: %s array cache %#llx unreadable",
				cache_name(w), where, (unsigned long long)ac);
		return LX_OK;
	}
	if (avail > limit || limit > MAX_ARRAY_ENTRIES) {
		lx_note_problem(w->s, w->scan, LX_PROB_ARRAY,
				"%s: %s array cache %#llx claims %u objects, limit %u; skipped",
				cache_name(w), where, (unsigned long long)ac, avail, limit);
		return LX_OK;
	}
	if ((want->limit && limit != want->limit) ||
	    (want->batch && L->ac_batchcount >= 0 && batch != want->batch)) {
		lx_note_problem(w->s, w->scan, LX_PROB_ARRAY,
				"%s: %s array cache %#llx has limit %u, batch %#x, not %u, %#x; skipped",
				cache_name(w), where, (unsigned long long)ac, limit, batch,
				want->limit, want->batch);
		return LX_OK;
	}
	if (lx_scan_note_bookkeeping(w->s, w->scan, ac + L->ac_entry,
				     (uint64_t)limit * lx_word_size(w->s->t)))
		return LX_ENOMEM;
	return avail ? add_entries(w, ac, avail, where) : LX_OK;
}

/*
 * nr_cpu_ids is one past the last possible cpu (kernel/smp.c
 * setup_nr_cpu_ids()): a possible mask without that cpu hides array
 * caches, whether the kernel model kept nr_cpu_ids or cut it to the mask.
 */
static void check_possible_mask(struct walk *w)
{
	const struct lx_kernel *K = &w->s->K;
	uint32_t said = lx_symbol_u32_or(w->s->t, "nr_cpu_ids", K->nr_cpus);

	if (said != K->nr_cpus || !lx_mask_test(K->cpu_possible, K->nr_cpus - 1))
		lx_note_problem(w->s, w->scan, LX_PROB_CPU,
				"%s: the possible cpu mask lacks cpu %u (nr_cpu_ids %u); array caches may be missed",
				cache_name(w), said - 1, said);
}

/* cpu's array cache of kmem_cache.array[] (ptrs), if it has one. */
static enum lx_status read_cpu_array(struct walk *w, const uint64_t *ptrs, unsigned int cpu)
{
	const struct ac_expect want = { w->limit, w->batchcount };
	char where[32];

	if (!lx_mask_test(w->s->K.cpu_possible, cpu) || !ptrs[cpu])
		return LX_OK;
	snprintf(where, sizeof(where), "cpu %u", cpu);
	return read_array_cache(w, ptrs[cpu], where, &want);
}

/*
 * Before 3.18 each cpu's array cache is kmem_cache.array[cpu], made when
 * the cpu comes up and freed when it goes down (mm/slab.c cpuup_prepare(),
 * cpuup_canceled()): NULL for a possible cpu that is not up.
 */
static enum lx_status collect_cpu_array(struct walk *w)
{
	const struct lx_layout *L = &w->s->L;
	unsigned int n = w->s->K.nr_cpus, cpu;
	enum lx_status ret = LX_OK;
	uint64_t *ptrs;

	if (n > L->kc_array_slots) {
		lx_note_problem(w->s, w->scan, LX_PROB_CPU,
				"%s: nr_cpu_ids %u is past kmem_cache.array's %u slots; reading %u",
				cache_name(w), n, L->kc_array_slots, L->kc_array_slots);
		n = L->kc_array_slots;
	}
	ptrs = lx_alloc(w->s->t, (size_t)n * sizeof(*ptrs));
	if (!ptrs)
		return LX_ENOMEM;
	check_possible_mask(w);
	if (!lx_read_words(w->s->t, w->scan->cache.addr + L->kc_array, ptrs, n))
		lx_note_problem(w->s, w->scan, LX_PROB_CPU,
				"%s: kmem_cache.array unreadable", cache_name(w));
	else
		for (cpu = 0; cpu < n && !ret; cpu++)
			ret = read_cpu_array(w, ptrs, cpu);
	lx_free(w->s->t, ptrs);
	return ret;
}

/*
 * Free-object source: each possible cpu's array cache (kmem_cache.cpu_cache),
 * sized by the cache's limit and batchcount (mm/slab.c do_tune_cpucache()).
 */
static enum lx_status collect_cpu_caches(struct walk *w)
{
	const struct lx_kernel *K = &w->s->K;
	const struct ac_expect want = { w->limit, w->batchcount };
	enum lx_status ret = LX_OK;
	unsigned int cpu;
	char where[32];

	if (w->s->L.kc_array >= 0)
		return collect_cpu_array(w);
	if (!w->cpu_cache) {
		lx_note_problem(w->s, w->scan, LX_PROB_CPU,
				"%s: no per-cpu array caches (cpu_cache is NULL)",
				cache_name(w));
		return LX_OK;
	}
	check_possible_mask(w);
	for (cpu = 0; cpu < K->nr_cpus && !ret; cpu++) {
		if (!lx_mask_test(K->cpu_possible, cpu))
			continue;
		snprintf(where, sizeof(where), "cpu %u", cpu);
		ret = read_array_cache(w, w->cpu_cache + K->cpu_offsets[cpu], where, &want);
	}
	return ret;
}

/*
 * A node's alien caches: kmem_cache_node.alien points to nr_node_ids
 * pointers, each (if not NULL) an alien_cache holding objects of that
 * node's slabs freed on this node.
 */
static enum lx_status collect_alien(struct walk *w, unsigned int node, uint64_t alien)
{
	const struct ac_expect want = { 0, SHARED_BATCH };
	unsigned int n = w->s->K.nr_nodes, i;
	enum lx_status ret = LX_OK;
	uint64_t *ptrs = lx_alloc(w->s->t, n * sizeof(*ptrs));
	char where[48];

	if (!ptrs)
		return LX_ENOMEM;
	if (!lx_read_words(w->s->t, alien, ptrs, n))
		lx_note_problem(w->s, w->scan, LX_PROB_ARRAY,
				"%s: node %u alien cache pointers unreadable",
				cache_name(w), node);
	else
		for (i = 0; i < n && !ret; i++) {
			if (!ptrs[i])
				continue;
			snprintf(where, sizeof(where), "node %u alien %u", node, i);
			ret = read_array_cache(w, ptrs[i] + w->s->L.alien_ac, where, &want);
		}
	lx_free(w->s->t, ptrs);
	return ret;
}

/*
 * A node's shared array cache: there exactly when the cache's shared
 * tunable is not 0, of shared * batchcount entries (mm/slab.c
 * setup_kmem_cache_node()).
 */
static enum lx_status collect_shared(struct walk *w, unsigned int node, uint64_t shared)
{
	const struct ac_expect want = { w->shared * w->batchcount, SHARED_BATCH };
	char where[32];

	if (w->s->L.kc_shared >= 0 && !shared != !w->shared) {
		lx_note_problem(w->s, w->scan, LX_PROB_ARRAY,
				"%s: node %u shared array cache is %#llx, the cache's shared is %u",
				cache_name(w), node, (unsigned long long)shared, w->shared);
		if (!shared || !w->shared)
			return LX_OK;
	}
	if (!shared)
		return LX_OK;
	snprintf(where, sizeof(where), "node %u shared", node);
	return read_array_cache(w, shared, where, &want);
}

/* Free-object source: each node's shared and alien array caches. */
static enum lx_status collect_node_caches(struct walk *w)
{
	const struct lx_layout *L = &w->s->L;
	enum lx_status ret = LX_OK;
	uint64_t addr, alien;
	unsigned int node;

	for (node = 0; node < w->s->K.nr_nodes && !ret; node++) {
		if (!read_node(w, node, &addr))
			continue;	/* collect_one_node() flagged it */
		ret = collect_shared(w, node, lx_get_word(w->s->t, w->kcn, L->kcn_shared));
		alien = lx_get_word(w->s->t, w->kcn, L->kcn_alien);
		if (alien && alien != BAD_ALIEN_MAGIC && !ret)
			ret = collect_alien(w, node, alien);
	}
	return ret;
}

/* Index i of the freelist in w->idx, of the given width. */
static uint32_t freelist_index(const struct walk *w, unsigned int width, uint32_t i)
{
	if (width == 1)
		return w->idx[i];
	if (width == 4)
		return lx_get_u32(w->idx, 4 * (long)i);
	return w->idx[2 * i] | (uint32_t)w->idx[2 * i + 1] << 8;
}

/* Read slab's freelist array as width-byte indexes into w->idx. */
static bool read_freelist(struct walk *w, const struct lx_slab *slab, unsigned int width)
{
	return slab->freelist &&
	       lx_read(w->s->t, slab->freelist, w->idx, (size_t)slab->objects * width);
}

/*
 * Where the cache keeps a slab's freelist (mm/slab.c alloc_slabmgmt()):
 * inside the free object it names last (OBJFREELIST_SLAB), in another
 * cache's object (OFF_SLAB), or in the slab's own pages outside the
 * object slots (at their end since 4.6, before s_mem earlier).
 */
static bool freelist_placed(const struct walk *w, const struct lx_slab *slab,
			    unsigned int width)
{
	const struct lx_cache *c = &w->scan->cache;
	uint64_t start = lx_page_to_virt(w->s, slab->addr), end = start + slab_bytes(w);
	uint64_t fl = slab->freelist, len = (uint64_t)slab->objects * width;
	uint32_t last;

	if (c->flags & LX_CFLGS_OBJFREELIST_SLAB) {
		last = freelist_index(w, width, slab->objects - 1);
		return last < slab->objects && fl == lx_object_addr(w->scan, slab, last);
	}
	if (c->flags & LX_CFLGS_OFF_SLAB)	/* no wrap: fl comes from the dump */
		return fl >= end || (fl < start && start - fl >= len);
	return fl >= start && fl <= end && end - fl >= len &&
	       (fl + len <= slab->base || fl >= slab->base + (uint64_t)slab->objects * c->size);
}

/* The free indexes freelist[active .. num-1] are valid and distinct. */
static bool indexes_valid(struct walk *w, const struct lx_slab *slab, unsigned int width,
			  uint8_t *seen)
{
	uint32_t i, index;

	memset(seen, 0, (slab->objects + 7) / 8);
	for (i = slab->inuse; i < slab->objects; i++) {
		index = freelist_index(w, width, i);
		if (index >= slab->objects || (seen[index / 8] & (1u << (index % 8))))
			return false;
		seen[index / 8] |= 1u << (index % 8);
	}
	return true;
}

/* kmem_cache.freelist_size / num, where the kernel keeps it; else 0. */
static unsigned int width_hint(const struct walk *w)
{
	uint32_t num = w->scan->cache.oo_objects, hint;

	if (!w->freelist_size || w->freelist_size % num)
		return 0;
	hint = w->freelist_size / num;
	return hint == 1 || hint == 2 || hint == 4 ? hint : 0;
}

/*
 * Of the widths with votes, the one with the most; a tie goes to the
 * hint, then to the narrowest.
 */
static unsigned int better(const unsigned int votes[MAX_WIDTH + 1], unsigned int hint)
{
	unsigned int width, best = 1;

	for (width = 2; width <= MAX_WIDTH; width *= 2)
		if (votes[width] > votes[best])
			best = width;
	if (hint && votes[hint] == votes[best])
		return hint;
	return best;
}

/* Of the widths that verified on every slab tried, the hint, else the narrowest. */
static unsigned int verified_everywhere(const unsigned int verified[MAX_WIDTH + 1],
					unsigned int tried, unsigned int hint)
{
	unsigned int width;

	if (hint && verified[hint] == tried)
		return hint;
	for (width = 1; width <= MAX_WIDTH; width *= 2)
		if (verified[width] == tried)
			return width;
	return 0;
}

static bool any_votes(const unsigned int votes[MAX_WIDTH + 1])
{
	return votes[1] || votes[2] || votes[4];
}

/*
 * The width that verified on every slab tried; else the one that verified
 * on more, or whose freelists at least lay where the cache keeps them
 * (the slabs it does not fit are flagged when marked); 0 if none did.
 */
static unsigned int choose_width(const struct walk *w,
				 const unsigned int verified[MAX_WIDTH + 1],
				 const unsigned int placed[MAX_WIDTH + 1], unsigned int tried)
{
	unsigned int hint = width_hint(w), width = verified_everywhere(verified, tried, hint);

	if (width)
		return width;
	if (any_votes(verified))
		return better(verified, hint);
	if (any_votes(placed))
		return better(placed, hint);
	return 0;
}

/*
 * freelist_idx_t is one byte when a page holds few enough of the smallest
 * objects, else two (mm/slab.c FREELIST_BYTE_INDEX); before it (3.13) the
 * indexes were unsigned ints.  Told by which width reads valid,
 * distinct free indexes from freelists where the cache keeps them, on up
 * to WIDTH_SAMPLE slabs with free objects.
 */
static enum lx_status pick_width(struct walk *w)
{
	struct lx_scan *scan = w->scan;
	unsigned int verified[MAX_WIDTH + 1] = { 0 }, placed[MAX_WIDTH + 1] = { 0 };
	unsigned int tried = 0, width;
	uint8_t *seen;
	size_t i;

	if (w->s->L.slab_bufctl) {	/* before 3.13: kmem_bufctl_t, no width */
		scan->fp_mode = LX_FP_BUFCTL;
		return LX_OK;
	}
	seen = lx_alloc(w->s->t, MAX_SLAB_OBJECTS / 8 + 1);
	if (!seen)
		return LX_ENOMEM;
	for (i = 0; i < scan->nslabs && tried < WIDTH_SAMPLE; i++) {
		const struct lx_slab *slab = &scan->slabs[i];

		if (slab->inuse >= slab->objects)
			continue;
		tried++;
		for (width = 1; width <= MAX_WIDTH; width *= 2) {
			if (!read_freelist(w, slab, width) ||
			    !freelist_placed(w, slab, width))
				continue;
			placed[width]++;
			verified[width] += indexes_valid(w, slab, width, seen);
		}
	}
	lx_free(w->s->t, seen);
	w->width = tried ? choose_width(w, verified, placed, tried) : 0;
	scan->fp_mode = !tried ? LX_FP_INDEX_UNKNOWN :
			w->width == 1 ? LX_FP_INDEX1 :
			w->width == 2 ? LX_FP_INDEX2 :
			w->width == 4 ? LX_FP_INDEX4 : LX_FP_BROKEN;
	return LX_OK;
}

static void bad_freelist(struct walk *w, struct lx_slab *slab, const char *why)
{
	if (!slab->bad)
		w->scan->bad_slabs++;
	slab->bad = 1;
	lx_note_problem(w->s, w->scan, LX_PROB_FREELIST,
			"%s: slab %#llx: freelist %#llx %s; %u free objects found before it",
			cache_name(w), (unsigned long long)slab->addr,
			(unsigned long long)slab->freelist, why, slab->nfree);
}

/* Free-object source: the slab's freelist, indexes [active .. num-1]. */
static void mark_slab_freelist(struct walk *w, struct lx_slab *slab)
{
	const char *why;
	uint32_t i, index;

	if (w->s->L.slab_bufctl) {
		why = lx_bufctl_mark(w, slab);
		if (why)
			bad_freelist(w, slab, why);
		return;
	}
	if (slab->inuse >= slab->objects)
		return;		/* full: no free index (OBJFREELIST: no freelist) */
	if (!w->width || !read_freelist(w, slab, w->width)) {
		bad_freelist(w, slab, w->width ? "is unreadable" : "does not decode");
		return;
	}
	if (!freelist_placed(w, slab, w->width)) {
		bad_freelist(w, slab, "is not where the cache keeps freelists");
		return;
	}
	for (i = slab->inuse; i < slab->objects; i++) {
		index = freelist_index(w, w->width, i);
		if (index >= slab->objects || !lx_mark_free(w->scan, slab, index)) {
			bad_freelist(w, slab, "holds an invalid or repeated index");
			return;
		}
		slab->nfree++;
	}
}

static void decide_liveness(void *walk, struct lx_slab *slab, uint8_t *mem)
{
	struct walk *w = walk;
	struct lx_scan *scan = w->scan;
	bool readable = lx_read_slab(w->s, slab, mem, (size_t)slab->objects * scan->cache.size);

	mark_slab_freelist(w, slab);
	lx_cached_mark(w->s, scan, &w->cached, slab, &scan->array_free);
	if (!readable) {
		lx_note_problem(w->s, scan, LX_PROB_UNREADABLE,
				"%s: slab %#llx memory unreadable; its live objects were not read",
				cache_name(w), (unsigned long long)slab->addr);
		if (!slab->bad)
			scan->bad_slabs++;
		slab->bad = 1;
		return;
	}
	if (w->visit)
		w->visit->slab(w->visit->arg, scan, slab, mem);
}

/*
 * The free objects' indexes are in the slab's bufctl array, read apart
 * (mark_slab_freelist()): without a visitor, where the dump tells
 * presence without reading, no slab's objects are read, only found there.
 */
static enum lx_status walk_slabs(struct walk *w)
{
	struct lx_scan *scan = w->scan;
	size_t i;

	for (i = 0; i < scan->nslabs; i++)
		scan->slabs[i].unread = !w->visit && lx_tells_presence(w->s->t);
	return lx_scan_each_slab(w->s, scan, (size_t)scan->cache.oo_objects * scan->cache.size,
				 decide_liveness, w, w->visit);
}

static void tally(struct walk *w)
{
	struct lx_scan *scan = w->scan;
	size_t i;

	for (i = 0; i < scan->nslabs; i++) {
		scan->total += scan->slabs[i].objects;
		scan->free += scan->slabs[i].nfree;
	}
	scan->slab_bytes = scan->nslabs * slab_bytes(w);
	scan->live = scan->total - scan->free;
}

/*
 * Where slabs are found, then where free objects are kept, then the walk;
 * sources only collect, liveness is decided in decide_liveness() alone.
 */
static enum lx_status (*const steps[])(struct walk *w) = {
	collect_node_slabs,	/* slabs_partial, slabs_full, slabs_free */
	collect_memmap_slabs,	/* slabs no list holds */
	collect_cpu_caches,	/* per-cpu array caches */
	collect_node_caches,	/* shared and alien array caches */
	pick_width,		/* freelist_idx_t, before any freelist is read */
	walk_slabs,
};

static enum lx_status collect_and_walk(struct walk *w)
{
	enum lx_status ret = LX_OK;
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]) && !ret; i++)
		ret = steps[i](w);
	if (ret)
		return ret;
	tally(w);
	lx_cached_check(w->s, w->scan, &w->cached);
	if (!lx_integrity_ok(&w->scan->integrity))
		w->s->flagged = true;
	return LX_OK;
}

/* A u32 member of the kmem_cache into *val; 0 when the kernel has none. */
static bool read_cache_u32(struct walk *w, long off, uint32_t *val)
{
	*val = 0;
	return off < 0 || lx_read_u32(w->s->t, w->scan->cache.addr + off, val);
}

/* A pointer member of the kmem_cache into *val; 0 when the kernel has none. */
static bool read_cache_word(struct walk *w, long off, uint64_t *val)
{
	*val = 0;
	return off < 0 || lx_read_word(w->s->t, w->scan->cache.addr + off, val);
}

/*
 * kmem_cache fields only the walk reads: the array caches and their
 * tunables, the freelist size, the objects' alignment, where the node
 * pointers are; before 3.13, where each struct slab is.
 */
static bool read_walk_fields(struct walk *w)
{
	const struct lx_layout *L = &w->s->L;

	return read_cache_u32(w, L->kc_freelist_size, &w->freelist_size) &&
	       read_cache_u32(w, L->kc_limit, &w->limit) &&
	       read_cache_u32(w, L->kc_batchcount, &w->batchcount) &&
	       read_cache_u32(w, L->kc_shared, &w->shared) &&
	       read_cache_u32(w, L->kc_align, &w->align) &&
	       read_cache_u32(w, L->kc_slab_size, &w->slab_size) &&
	       read_cache_u32(w, L->kc_colour_off, &w->colour_off) &&
	       read_cache_word(w, L->kc_node_indirect ? L->kc_node : -1, &w->node_ptrs) &&
	       read_cache_word(w, L->kc_cpu_cache, &w->cpu_cache);
}

/* w->idx: a freelist of up to 4-byte indexes, or struct slab and its bufctl. */
static size_t idx_bytes(const struct walk *w)
{
	uint32_t num = w->scan->cache.oo_objects;

	return w->s->L.slab_bufctl ? lx_bufctl_desc_bytes(w->s, num) : (size_t)num * MAX_WIDTH;
}

static bool alloc_walk(struct walk *w)
{
	const struct lx_layout *L = &w->s->L;

	w->hdr = lx_alloc(w->s->t, L->slab_size_of);
	w->kcn = lx_alloc(w->s->t, L->kcn_size_of);
	w->idx = lx_alloc(w->s->t, idx_bytes(w));
	if (L->slab_bufctl)
		w->page = lx_alloc(w->s->t, L->page_size_of);
	return w->hdr && w->kcn && w->idx && (!L->slab_bufctl || w->page);
}

static void free_walk(struct walk *w)
{
	lx_set_free(&w->seen);
	lx_set_free(&w->cached.set);
	lx_free(w->s->t, w->hdr);
	lx_free(w->s->t, w->kcn);
	lx_free(w->s->t, w->idx);
	lx_free(w->s->t, w->page);
}

static enum lx_status slab_scan(struct lx_session *s, const struct lx_cache *c,
				struct lx_scan *scan, const struct lx_visitor *visit)
{
	struct walk w = {
		.s = s, .scan = scan, .visit = visit,
		.cached = { .kind = LX_PROB_ARRAY, .holder = "array cache",
			    .a_holder = "an array cache", .holders = "array caches",
			    .slots = true },
	};
	enum lx_status ret = LX_ENOMEM;

	memset(scan, 0, sizeof(*scan));
	scan->cache = *c;
	if (!cache_is_sane(s, c)) {
		lx_msg(s->t, LX_MSG_ERROR, "cache %#llx (%s) has an implausible layout",
		       (unsigned long long)c->addr, c->name);
		s->flagged = true;
		return LX_ECORRUPT;
	}
	if (!read_walk_fields(&w)) {
		lx_msg(s->t, LX_MSG_ERROR, "cannot read the kmem_cache at %#llx (%s)",
		       (unsigned long long)c->addr, c->name);
		s->flagged = true;
		return LX_ECORRUPT;
	}
	lx_set_init(&w.seen, s->t);
	lx_set_init(&w.cached.set, s->t);
	if (alloc_walk(&w))
		ret = collect_and_walk(&w);
	free_walk(&w);
	if (ret)	/* no usable result: hold nothing the caller must free */
		lx_scan_free(s, scan);
	return ret;
}

const struct lx_allocator lx_slab_allocator = {
	.name = "SLAB",
	/* mm/slab.c sets SLAB_STORE_USER only under CONFIG_DEBUG_SLAB */
	.no_tracks = "SLAB keeps an object's caller only in a CONFIG_DEBUG_SLAB kernel",
	.sources = LX_SRC_BIT(LX_SRC_SLABS_PARTIAL) | LX_SRC_BIT(LX_SRC_SLABS_FULL) |
		   LX_SRC_BIT(LX_SRC_SLABS_FREE) | LX_SRC_BIT(LX_SRC_UNLISTED),
	.probe = lx_slab_probe,
	.layout = lx_slab_layout,
	.cache_read = slab_cache_read,
	.scan = slab_scan,
	.tracks_init = lx_slab_tracks_init,
};
