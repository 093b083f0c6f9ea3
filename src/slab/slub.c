// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SLUB walker: every slab of one cache, each once, and exactly which of its
 * objects are live.  Slabs come from the slab sources (slab_sources[]
 * below: cpu slabs, node lists, the memory map).  An object is free when
 * one of the free-object sources (free_sources[]) holds it: its slab's
 * freelist, the lockless freelist of the cpu whose active slab it is, a
 * cpu's sheaves or a barn's full sheaves; every other object is live
 * (mm/slub.c).  Which sources a kernel has is decided by its layout
 * (layout.c), never by its version.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/set.h"
#include "slab/memmap.h"
#include "slab/slub.h"
#include "slab/tracks.h"

/* Bounds against hostile dumps. */
#define MAX_SLAB_ORDER 10
#define MAX_OBJECT_SIZE (4u << 20)
/*
 * A sheaf holds at most kmem_cache.sheaf_capacity objects; a barn at most
 * MAX_FULL_SHEAVES (10) full sheaves, though barn_put_full_sheaf() may be
 * told to ignore that limit (mm/slub.c, 6.18).
 */
#define MAX_SHEAF_OBJECTS 65535u
#define MAX_BARN_SHEAVES 4096u

/* kmem_cache_order_objects: order above OO_SHIFT, objects below (mm/slub.c) */
#define OO_SHIFT 16
#define OO_MASK ((1u << OO_SHIFT) - 1)

/*
 * How much of a kmem_cache to read.  The struct ends with node[MAX_NUMNODES]
 * (per_node[] from 7.1) but each cache is allocated only up to
 * node[nr_node_ids] (mm/slub.c kmem_cache_init(): offsetof(node) +
 * nr_node_ids entries), so reading sizeof(struct kmem_cache) runs into the
 * next object or off the end of memory the dump holds.
 */
static size_t cache_read_len(const struct lx_session *s)
{
	const struct lx_layout *L = &s->L;
	const struct lx_kernel *K = &s->K;
	const long fields[] = { L->kc_cpu_slab, L->kc_flags, L->kc_size, L->kc_object_size,
				L->kc_offset, L->kc_oo, L->kc_min, L->kc_red_left_pad,
				L->kc_inuse, L->kc_random, L->kc_name,
				L->kc_cpu_sheaves, L->kc_sheaf_capacity };
	size_t len = L->kc_node + (uint64_t)L->kc_node_stride * K->nr_nodes, i;
	unsigned int word = lx_word_size(s->t);	/* the widest field read */

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i] >= 0 && (size_t)fields[i] + word > len)
			len = fields[i] + word;
	return len < (size_t)L->kc_size_of ? len : (size_t)L->kc_size_of;
}

static enum lx_status slub_cache_read(struct lx_session *s, uint64_t addr,
				      struct lx_cache *c)
{
	const struct lx_layout *L = &s->L;
	uint8_t *buf = lx_alloc(s->t, L->kc_size_of);
	enum lx_status ret = LX_EABSENT;
	uint32_t oo, min;

	if (!buf)
		return LX_ENOMEM;
	memset(c, 0, sizeof(*c));
	if (!lx_read(s->t, addr, buf, cache_read_len(s)))
		goto out;
	c->addr = addr;
	c->cpu_slab = L->kc_cpu_slab >= 0 ? lx_get_word(s->t, buf, L->kc_cpu_slab) : 0;
	c->flags = L->kc_flags >= 0 ? lx_get_u32(buf, L->kc_flags) : 0;
	c->size = lx_get_u32(buf, L->kc_size);
	c->object_size = lx_get_u32(buf, L->kc_object_size);
	c->offset = lx_get_u32(buf, L->kc_offset);
	c->red_left_pad = L->kc_red_left_pad >= 0 ?
		lx_get_u32(buf, L->kc_red_left_pad) : 0;
	c->inuse = L->kc_inuse >= 0 ? lx_get_u32(buf, L->kc_inuse) : c->object_size;
	c->random = L->kc_random >= 0 ? lx_get_word(s->t, buf, L->kc_random) : 0;
	c->cpu_sheaves = L->kc_cpu_sheaves >= 0 ?
		lx_get_word(s->t, buf, L->kc_cpu_sheaves) : 0;
	c->sheaf_capacity = L->kc_sheaf_capacity >= 0 ?
		lx_get_u32(buf, L->kc_sheaf_capacity) : 0;
	oo = lx_get_u32(buf, L->kc_oo);
	min = L->kc_min >= 0 ? lx_get_u32(buf, L->kc_min) : oo;
	c->oo_order = oo >> OO_SHIFT;
	c->oo_objects = oo & OO_MASK;
	c->min_order = min >> OO_SHIFT;
	c->min_objects = min & OO_MASK;
	if (!lx_read_string(s->t, lx_get_word(s->t, buf, L->kc_name), c->name,
			    sizeof(c->name)))
		snprintf(c->name, sizeof(c->name), "(unreadable name)");
	lx_sanitize(c->name);
	ret = LX_OK;
out:
	lx_free(s->t, buf);
	return ret;
}

/*
 * Every value here comes from the dump: compare in 64 bits so that a
 * hostile offset (0xfffffffc + 8) cannot wrap past the check and send
 * follow_freelist() outside the slab buffer.
 */
static bool cache_is_sane(const struct lx_session *s, const struct lx_cache *c)
{
	unsigned int word = lx_word_size(s->t);

	/* SLUB aligns sizes and the free pointer to a word (calculate_sizes()) */
	return c->size && c->size <= MAX_OBJECT_SIZE && c->size % word == 0 &&
	       c->object_size <= c->size &&
	       (uint64_t)c->offset + word <= c->size && c->offset % word == 0 &&
	       c->red_left_pad < c->size && c->oo_objects &&
	       c->oo_order <= MAX_SLAB_ORDER && c->min_order <= MAX_SLAB_ORDER &&
	       (uint64_t)c->oo_objects * c->size + c->red_left_pad <=
	       (s->arch.page_size << c->oo_order);
}

const char *lx_freeptr_mode_name(enum lx_freeptr_mode mode)
{
	switch (mode) {
	case LX_FP_PLAIN:
		return "plain pointers";
	case LX_FP_XOR:
		return "hardened: ptr ^ random ^ addr";
	case LX_FP_XOR_SWAB:
		return "hardened: ptr ^ random ^ swab(addr)";
	case LX_FP_BROKEN:
		return "UNDECODABLE (no encoding verifies; free objects may count as live)";
	case LX_FP_INDEX_UNKNOWN:
		return "object indexes, width not exercised (no free objects on any freelist)";
	case LX_FP_INDEX1:
		return "object indexes, 1 byte (freelist_idx_t)";
	case LX_FP_INDEX2:
		return "object indexes, 2 bytes (freelist_idx_t)";
	case LX_FP_INDEX4:
		return "object indexes, 4 bytes (unsigned int, before freelist_idx_t)";
	case LX_FP_BUFCTL:
		return "object indexes chained through kmem_bufctl_t[] (struct slab)";
	default:
		return "hardened, not exercised (no free objects on any freelist)";
	}
}

uint64_t lx_slab_bytes(const struct lx_session *s, const struct lx_cache *c,
		       uint32_t objects)
{
	unsigned int order = c->oo_order;

	/* allocate_slab() falls back to the minimum order under pressure */
	if (objects <= c->min_objects && c->min_objects < c->oo_objects)
		order = c->min_order;
	return s->arch.page_size << (order > MAX_SLAB_ORDER ? MAX_SLAB_ORDER : order);
}

/*
 * The bytes of the slab being decided.  Read whole, or (by_page) a page at
 * a time as its chains reach them: a slab that nothing visits needs only
 * the pages its free pointers are on (one page of eight for a kmalloc-4k
 * slab with one free object).  failed: a page could not be read.
 */
struct slab_memory {
	uint8_t *buf;
	size_t len;
	bool by_page, failed;
	uint64_t loaded[(1U << MAX_SLAB_ORDER) / 64];	/* pages of buf read */
};

/* Per-walk state shared by the slab collectors below. */
struct walk {
	struct lx_session *s;
	struct lx_scan *scan;
	struct lx_set seen;
	uint64_t *cpu_freelist;	/* head of each cpu's lockless freelist */
	uint64_t *cpu_partial;	/* head of each cpu's partial chain */
	uint8_t *slab_hdr;
	const struct lx_visitor *visit;
	uint64_t node_total_objects;	/* sum of kmem_cache_node.total_objects */
	bool total_objects_known;
	struct lx_cached_objs cached;	/* objects held in sheaves: free */
	uint32_t slab_free;	/* the current slab's own freelist length */
	struct slab_memory mem;	/* the current slab's bytes, whole or in part */
};

/* struct slab counters: inuse:16, objects:15, frozen:1 (mm/slab.h) */
static uint32_t counters_inuse(uint64_t counters)
{
	return counters & 0xffff;
}

static uint32_t counters_objects(uint64_t counters)
{
	return (counters >> 16) & 0x7fff;
}

static bool counters_frozen(uint64_t counters)
{
	return (counters >> 31) & 1;
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

static bool object_count_fits(const struct lx_session *s, const struct lx_cache *c,
			      uint32_t objects)
{
	return objects && objects <= c->oo_objects + c->min_objects &&
	       (uint64_t)objects * c->size + c->red_left_pad <=
	       lx_slab_bytes(s, c, c->oo_objects);
}

/*
 * Record one slab from its cache pointer, freelist and counters words.
 * *accepted says whether it is one of the cache's slabs (new or already
 * recorded), so that a list may be followed through it; one that is not
 * is noted as a problem.
 */
static enum lx_status add_slab(struct walk *w, uint64_t addr, uint64_t cache_ptr,
			       uint64_t freelist, uint64_t counters,
			       enum lx_slab_source src, int cpu, bool *accepted)
{
	const struct lx_cache *c = &w->scan->cache;
	uint32_t objects = counters_objects(counters);
	struct lx_slab *slab;
	int added;

	*accepted = false;
	if (cache_ptr != c->addr) {
		lx_note_problem(w->s, w->scan, LX_PROB_FOREIGN,
				"%s: slab %#llx on the %s list belongs to cache %#llx; skipped",
				c->name, (unsigned long long)addr, lx_source_names[src],
				(unsigned long long)cache_ptr);
		w->scan->bad_lists++;
		return LX_OK;
	}
	added = lx_set_add(&w->seen, addr);	/* rejected ones too: once */
	if (added < 0)
		return LX_ENOMEM;
	if (!added) {
		*accepted = true;
		return LX_OK;
	}
	if (!object_count_fits(w->s, c, objects)) {
		lx_note_problem(w->s, w->scan, LX_PROB_OBJECTS,
				"%s: slab %#llx claims %u objects; skipped",
				c->name, (unsigned long long)addr, objects);
		w->scan->bad_slabs++;
		return LX_OK;
	}
	if (reserve_slab(w, objects))
		return LX_ENOMEM;
	slab = &w->scan->slabs[w->scan->nslabs++];
	memset(slab, 0, sizeof(*slab));
	slab->addr = addr;
	slab->base = lx_page_to_virt(w->s, addr);
	slab->freelist = freelist;
	slab->objects = objects;
	slab->inuse = counters_inuse(counters);
	slab->frozen = counters_frozen(counters);
	slab->source = src;
	slab->cpu = cpu;
	slab->bitmap = w->scan->freebits_len;
	w->scan->freebits_len += objects;
	w->scan->by_source[src]++;
	*accepted = true;
	return LX_OK;
}

/*
 * A struct slab address must be a struct page inside the memory map, of
 * a page with a direct-map address.
 */
static bool is_page_address(const struct lx_session *s, uint64_t addr)
{
	const struct lx_layout *L = &s->L;
	const struct lx_kernel *K = &s->K;

	uint64_t off = addr - K->vmemmap_base;

	return addr >= K->vmemmap_base && off % L->page_size_of == 0 &&
	       (!K->max_pfn || off / L->page_size_of < K->max_pfn) &&
	       lx_pfn_mapped(K, off / L->page_size_of);
}

/*
 * Read the struct slab at addr into w->slab_hdr and record it; *ok says
 * whether its list links may be followed.
 */
static enum lx_status add_slab_at(struct walk *w, uint64_t addr,
				  enum lx_slab_source src, int cpu, bool *ok)
{
	const struct lx_layout *L = &w->s->L;

	*ok = false;
	if (!is_page_address(w->s, addr)) {
		lx_note_problem(w->s, w->scan, LX_PROB_LIST,
				"%s: %s list points to %#llx, not a struct page; stopped there",
				w->scan->cache.name, lx_source_names[src],
				(unsigned long long)addr);
		w->scan->bad_lists++;
		return LX_OK;
	}
	if (!lx_read(w->s->t, addr, w->slab_hdr, L->slab_size_of)) {
		lx_note_problem(w->s, w->scan, LX_PROB_UNREADABLE,
				"%s: cannot read slab %#llx (%s); skipped",
				w->scan->cache.name, (unsigned long long)addr,
				lx_source_names[src]);
		w->scan->bad_slabs++;
		return LX_OK;
	}
	return add_slab(w, addr, lx_get_word(w->s->t, w->slab_hdr, L->slab_cache),
			lx_get_word(w->s->t, w->slab_hdr, L->slab_freelist),
			lx_get_word(w->s->t, w->slab_hdr, L->slab_counters), src, cpu, ok);
}

/* A cpu's partial chain, linked through slab->next. */
static enum lx_status collect_cpu_partial(struct walk *w, unsigned int cpu,
					  uint64_t next)
{
	const struct lx_kernel *K = &w->s->K;
	const struct lx_layout *L = &w->s->L;
	enum lx_status ret = LX_OK;
	unsigned int n;
	bool ok;

	for (n = 0; next && !ret; n++) {
		if (n >= K->max_slabs || lx_set_has(&w->seen, next)) {
			lx_note_problem(w->s, w->scan, LX_PROB_LIST,
					"%s: cpu %u partial chain loops; stopped after %u slabs",
					w->scan->cache.name, cpu, n);
			w->scan->bad_lists++;
			break;
		}
		ret = add_slab_at(w, next, LX_SRC_CPU_PARTIAL, cpu, &ok);
		if (!ok)
			break;
		next = lx_get_word(w->s->t, w->slab_hdr, L->slab_next);
	}
	return ret;
}

/* One cpu's kmem_cache_cpu: its active slab, lockless freelist, partials. */
static enum lx_status collect_one_cpu(struct walk *w, unsigned int cpu,
				      uint8_t *kcc)
{
	const struct lx_kernel *K = &w->s->K;
	const struct lx_layout *L = &w->s->L;
	uint64_t addr = w->scan->cache.cpu_slab + K->cpu_offsets[cpu], slab;
	bool ok;

	if (!lx_read(w->s->t, addr, kcc, L->kcc_size_of)) {
		lx_note_problem(w->s, w->scan, LX_PROB_CPU,
				"%s: cannot read kmem_cache_cpu of cpu %u",
				w->scan->cache.name, cpu);
		w->scan->bad_lists++;
		return LX_OK;
	}
	w->cpu_freelist[cpu] = lx_get_word(w->s->t, kcc, L->kcc_freelist);
	if (L->kcc_partial >= 0 && L->slab_next >= 0)
		w->cpu_partial[cpu] = lx_get_word(w->s->t, kcc, L->kcc_partial);
	slab = lx_get_word(w->s->t, kcc, L->kcc_slab);
	if (slab)
		return add_slab_at(w, slab, LX_SRC_CPU, cpu, &ok);
	if (w->cpu_freelist[cpu])
		lx_note_problem(w->s, w->scan, LX_PROB_CPU,
				"%s: cpu %u has a lockless freelist but no slab",
				w->scan->cache.name, cpu);
	return LX_OK;
}

/*
 * Slab source: kmem_cache_cpu of every possible cpu (until 7.0): the
 * active slabs first, so each is recorded as its cpu's (decide_liveness()
 * then needs no search), then the partials.
 */
static enum lx_status collect_cpu_slabs(struct walk *w)
{
	const struct lx_kernel *K = &w->s->K;
	const struct lx_layout *L = &w->s->L;
	uint8_t *kcc = lx_alloc(w->s->t, L->kcc_size_of);
	enum lx_status ret = LX_OK;
	unsigned int cpu;

	if (!kcc)
		return LX_ENOMEM;
	for (cpu = 0; cpu < K->nr_cpus && !ret; cpu++)
		if (lx_mask_test(K->cpu_possible, cpu))
			ret = collect_one_cpu(w, cpu, kcc);
	for (cpu = 0; cpu < K->nr_cpus && !ret; cpu++)
		ret = collect_cpu_partial(w, cpu, w->cpu_partial[cpu]);
	lx_free(w->s->t, kcc);
	return ret;
}

/* A kmem_cache_node list (partial or full), linked through slab_list. */
static enum lx_status collect_list(struct walk *w, uint64_t head,
				   enum lx_slab_source src, unsigned int node)
{
	const struct lx_kernel *K = &w->s->K;
	const struct lx_layout *L = &w->s->L;
	enum lx_status ret = LX_OK;
	uint64_t next;
	unsigned int n;
	bool ok;

	if (!lx_read_word(w->s->t, head, &next)) {
		lx_note_problem(w->s, w->scan, LX_PROB_NODE,
				"%s: node %u %s list head unreadable",
				w->scan->cache.name, node, lx_source_names[src]);
		return LX_OK;
	}
	for (n = 0; next != head && !ret; n++) {
		uint64_t slab = next - L->slab_list;

		if (!next || n >= K->max_slabs || lx_set_has(&w->seen, slab)) {
			lx_note_problem(w->s, w->scan, LX_PROB_LIST,
					"%s: node %u %s list is broken or loops; stopped after %u slabs",
					w->scan->cache.name, node, lx_source_names[src], n);
			w->scan->bad_lists++;
			break;
		}
		ret = add_slab_at(w, slab, src, -1, &ok);
		if (!ok)
			break;
		next = lx_get_word(w->s->t, w->slab_hdr, L->slab_list);
	}
	return ret;
}

/*
 * The node counters are the independent witness of what the lists hold
 * (atomic_long_t: a word).
 */
static void add_node_counters(struct walk *w, const uint8_t *kcn)
{
	const struct lx_layout *L = &w->s->L;

	if (L->kcn_nr_slabs >= 0)
		w->scan->node_nr_slabs += lx_get_word(w->s->t, kcn, L->kcn_nr_slabs);
	if (L->kcn_total_objects >= 0)
		w->node_total_objects += lx_get_word(w->s->t, kcn, L->kcn_total_objects);
}

/* Where the cache keeps node's kmem_cache_node pointer. */
static uint64_t node_pointer(const struct walk *w, unsigned int node)
{
	const struct lx_layout *L = &w->s->L;

	return lx_node_entry(L, w->scan->cache.addr, node) + L->kc_node_ptr;
}

static enum lx_status collect_one_node(struct walk *w, unsigned int node,
				       uint8_t *kcn)
{
	const struct lx_kernel *K = &w->s->K;
	const struct lx_layout *L = &w->s->L;
	const char *name = w->scan->cache.name;
	enum lx_status ret;
	uint64_t addr;

	if (!lx_read_word(w->s->t, node_pointer(w, node), &addr))
		addr = 0;
	if (!addr) {
		/* SLUB gives every node with normal memory its kmem_cache_node */
		if (K->node_normal && lx_mask_test(K->node_normal, node)) {
			lx_note_problem(w->s, w->scan, LX_PROB_NODE,
					"%s: node %u has memory but no kmem_cache_node",
					name, node);
			w->scan->nr_slabs_known = false;
			w->total_objects_known = false;
		}
		return LX_OK;
	}
	if (!lx_read(w->s->t, addr, kcn, L->kcn_size_of)) {
		lx_note_problem(w->s, w->scan, LX_PROB_NODE,
				"%s: cannot read kmem_cache_node %u", name, node);
		w->scan->nr_slabs_known = false;
		w->total_objects_known = false;
		return LX_OK;
	}
	add_node_counters(w, kcn);
	ret = collect_list(w, addr + L->kcn_partial, LX_SRC_NODE_PARTIAL, node);
	if (!ret && L->kcn_full >= 0)
		ret = collect_list(w, addr + L->kcn_full, LX_SRC_NODE_FULL, node);
	return ret;
}

/* Slab source: each node's partial list, and its full list (debug caches). */
static enum lx_status collect_node_slabs(struct walk *w)
{
	const struct lx_kernel *K = &w->s->K;
	const struct lx_layout *L = &w->s->L;
	uint8_t *kcn = lx_alloc(w->s->t, L->kcn_size_of);
	enum lx_status ret = LX_OK;
	unsigned int node;

	if (!kcn)
		return LX_ENOMEM;
	w->scan->nr_slabs_known = L->kcn_nr_slabs >= 0;
	w->total_objects_known = L->kcn_total_objects >= 0;
	for (node = 0; node < K->nr_nodes && !ret; node++)
		ret = collect_one_node(w, node, kcn);
	lx_free(w->s->t, kcn);
	return ret;
}

/*
 * A slab no list tracks.  Only a full slab may be there (mm/slub.c keeps
 * full slabs on no list unless the cache is debugged); one with free
 * objects was lost from a list, and a frozen one belongs to a cpu that did
 * not list it.  Its objects are judged all the same.
 */
static enum lx_status add_untracked_slab(struct walk *w,
					 const struct lx_memmap_entry *e)
{
	const char *name = w->scan->cache.name;
	uint32_t objects = counters_objects(e->counters);
	bool accepted;

	if (counters_frozen(e->counters))
		lx_note_problem(w->s, w->scan, LX_PROB_CPU,
				"%s: slab %#llx is frozen (a cpu's) but no cpu lists it",
				name, (unsigned long long)e->slab);
	else if (counters_inuse(e->counters) < objects)
		lx_note_problem(w->s, w->scan, LX_PROB_LIST,
				"%s: slab %#llx has free objects but is on no list",
				name, (unsigned long long)e->slab);
	return add_slab(w, e->slab, e->cache, e->freelist, e->counters,
			LX_SRC_MEMMAP, -1, &accepted);
}

/* Every slab the lists gave must be a slab page of this cache. */
static void check_listed_in_memmap(struct walk *w,
				   const struct lx_memmap_entry *e, size_t n)
{
	size_t i;

	for (i = 0; i < w->scan->nslabs; i++) {
		const struct lx_slab *slab = &w->scan->slabs[i];

		if (slab->source != LX_SRC_MEMMAP && !lx_memmap_has(e, n, slab->addr))
			lx_note_problem(w->s, w->scan, LX_PROB_MEMMAP,
					"%s: slab %#llx (%s) is not a slab page of this cache in the memory map",
					w->scan->cache.name, (unsigned long long)slab->addr,
					lx_source_names[slab->source]);
	}
}

/*
 * Slab source: slabs no list tracks, from the memory map scan (done once per command
 * and shared by every cache).  Without a memory map, the node counters
 * alone say whether the lists were complete.
 */
static enum lx_status collect_memmap_slabs(struct walk *w)
{
	const struct lx_memmap_entry *e;
	enum lx_status ret = lx_memmap_scan(w->s);
	size_t n, i;

	if (ret == LX_ENOMEM || ret == LX_EINTR)
		return ret;
	if (ret) {
		if (!w->scan->nr_slabs_known || w->scan->nslabs < w->scan->node_nr_slabs)
			lx_note_problem(w->s, w->scan, LX_PROB_MEMMAP,
					"%s: memory map not scanned; full slabs no list tracks are missing",
					w->scan->cache.name);
		return LX_OK;
	}
	w->scan->used_memmap = true;
	e = lx_memmap_find(w->s, w->scan->cache.addr, &n);
	check_listed_in_memmap(w, e, n);
	for (i = 0; i < n && !ret; i++)
		if (!lx_set_has(&w->seen, e[i].slab))
			ret = add_untracked_slab(w, &e[i]);
	return ret;
}

/* Bytes of slab memory decide_liveness() reads: the objects and the pad. */
static size_t slab_mem_len(const struct lx_scan *scan, const struct lx_slab *slab)
{
	return scan->cache.red_left_pad + (size_t)slab->objects * scan->cache.size;
}

/*
 * swab() of an unsigned long: a 32-bit kernel swaps the 4 bytes of its
 * word (include/uapi/linux/swab.h __swab() is __swab32 when
 * BITS_PER_LONG is 32).
 */
static uint64_t swab_word(uint64_t word, unsigned int word_size)
{
	return word_size == 4 ? __builtin_bswap32((uint32_t)word) :
				__builtin_bswap64(word);
}

/*
 * Freelist decoding: see mm/slub.c freelist_ptr() for the encodings;
 * every operand is an unsigned long.
 */
static uint64_t decode_free_ptr(const struct lx_cache *c, enum lx_freeptr_mode mode,
				uint64_t stored, uint64_t ptr_addr,
				unsigned int word_size)
{
	switch (mode) {
	case LX_FP_XOR:
		return stored ^ c->random ^ ptr_addr;
	case LX_FP_XOR_SWAB:
		return stored ^ c->random ^ swab_word(ptr_addr, word_size);
	default:
		return stored;
	}
}

static bool object_index(const struct lx_scan *scan, const struct lx_slab *slab,
			 uint64_t ptr, uint32_t *index)
{
	uint64_t first = slab->base + scan->cache.red_left_pad, delta;

	if (ptr < first)
		return false;
	delta = ptr - first;
	if (delta % scan->cache.size || delta / scan->cache.size >= slab->objects)
		return false;
	*index = delta / scan->cache.size;
	return true;
}

/* Read the pages of [off, off + len) of the slab not read yet. */
static bool load_pages(struct walk *w, const struct lx_slab *slab, uint64_t off, size_t len)
{
	struct slab_memory *m = &w->mem;
	uint64_t page_size = w->s->arch.page_size, page, from;
	size_t n;

	for (page = off / page_size; page <= (off + len - 1) / page_size; page++) {
		if (m->loaded[page / 64] & (1ULL << (page % 64)))
			continue;
		from = page * page_size;
		n = m->len - from < page_size ? m->len - from : page_size;
		if (!lx_read(w->s->t, slab->base + from, m->buf + from, n)) {
			m->failed = true;
			return false;
		}
		m->loaded[page / 64] |= 1ULL << (page % 64);
	}
	return true;
}

/* The word at offset slot of the slab, read first if it is read by page. */
static bool slab_word(struct walk *w, const struct lx_slab *slab, uint64_t slot,
		      uint64_t *stored)
{
	const struct lx_target *t = w->s->t;
	struct slab_memory *m = &w->mem;

	if (!lx_field_fits(m->len, slot, lx_word_size(t)))
		return false;
	if (m->by_page && !load_pages(w, slab, slot, lx_word_size(t)))
		return false;
	return lx_field_word(t, m->buf, m->len, slot, stored);
}

/*
 * Follow a freelist through the slab's memory (w->mem).
 * With mark, set free bits; without, only check that the chain ends in NULL
 * on object boundaries without repeating: the test that picks the encoding.
 * The free pointer at object + offset is a word.
 */
static bool follow_freelist(struct walk *w, struct lx_slab *slab, uint64_t head,
			    enum lx_freeptr_mode mode, bool mark,
			    uint32_t *nfree)
{
	const struct lx_target *t = w->s->t;
	struct lx_scan *scan = w->scan;
	uint64_t ptr = head, slot, stored;
	uint32_t index, steps = 0;

	while (ptr) {
		if (!object_index(scan, slab, ptr, &index) || steps++ >= slab->objects)
			return false;
		if (mark) {
			if (!lx_mark_free(scan, slab, index))
				return false;	/* on two lists, or a loop */
			(*nfree)++;
		}
		slot = ptr - slab->base + scan->cache.offset;
		if (!slab_word(w, slab, slot, &stored))
			return false;
		ptr = decode_free_ptr(&scan->cache, mode, stored, slab->base + slot,
				      lx_word_size(t));
	}
	return true;
}

static bool chain_verifies(struct walk *w, struct lx_slab *slab, uint64_t head,
			   enum lx_freeptr_mode mode)
{
	uint32_t unused = 0;

	/* Without marks a loop shows as more steps than objects. */
	return follow_freelist(w, slab, head, mode, false, &unused);
}

/* Pick the encoding on the first chain that has a link to decode. */
static void detect_freeptr_mode(struct walk *w, struct lx_slab *slab, uint64_t head)
{
	static const enum lx_freeptr_mode hardened[] = { LX_FP_XOR_SWAB, LX_FP_XOR };
	struct lx_scan *scan = w->scan;
	size_t i;

	if (!head || (scan->fp_mode != LX_FP_UNKNOWN && scan->fp_mode != LX_FP_BROKEN))
		return;
	for (i = 0; i < sizeof(hardened) / sizeof(hardened[0]); i++) {
		if (chain_verifies(w, slab, head, hardened[i])) {
			scan->fp_mode = hardened[i];
			return;
		}
		if (w->mem.failed)
			return;	/* the slab is unreadable, not its encoding unknown */
	}
	scan->fp_mode = LX_FP_BROKEN;
}

static void walk_one_freelist(struct walk *w, struct lx_slab *slab, uint64_t head,
			      const char *what)
{
	struct lx_scan *scan = w->scan;

	if (!head)
		return;
	detect_freeptr_mode(w, slab, head);
	if (w->mem.failed)
		return;
	if (scan->fp_mode == LX_FP_BROKEN ||
	    !follow_freelist(w, slab, head, scan->fp_mode, true, &slab->nfree)) {
		if (w->mem.failed)
			return;	/* decide_liveness() calls the slab unreadable */
		if (!slab->bad)
			scan->bad_slabs++;
		slab->bad = 1;
		lx_note_problem(w->s, scan, LX_PROB_FREELIST,
				"%s: slab %#llx: %s freelist does not decode; %u free objects found before it broke",
				scan->cache.name, (unsigned long long)slab->addr, what, slab->nfree);
	}
}

/*
 * inuse counts the objects not on the slab's own freelist: a cpu's
 * lockless freelist takes objects the slab already counts as in use
 * (mm/slub.c get_freelist() sets inuse = objects), so the two must agree
 * for every slab, active or not.
 */
static void check_inuse(struct walk *w, const struct lx_slab *slab,
			uint32_t slab_free)
{
	if (slab->bad || slab->inuse + slab_free == slab->objects)
		return;
	lx_note_problem(w->s, w->scan, LX_PROB_INUSE,
			"%s: slab %#llx has %u free objects on its freelist but inuse %u of %u",
			w->scan->cache.name, (unsigned long long)slab->addr, slab_free,
			slab->inuse, slab->objects);
}

/* Free-object source: the slab's own freelist (slab->freelist). */
static void mark_slab_freelist(struct walk *w, struct lx_slab *slab)
{
	walk_one_freelist(w, slab, slab->freelist, "slab");
	w->slab_free = slab->nfree;
}

/* Free-object source: the lockless freelist of the cpu whose active slab this is. */
static void mark_cpu_freelist(struct walk *w, struct lx_slab *slab)
{
	if (slab->source == LX_SRC_CPU)
		walk_one_freelist(w, slab, w->cpu_freelist[slab->cpu], "cpu");
}

static bool slab_freelist_reads(const struct walk *w, const struct lx_slab *slab)
{
	(void)w;
	return slab->freelist;
}

static bool cpu_freelist_reads(const struct walk *w, const struct lx_slab *slab)
{
	return slab->source == LX_SRC_CPU && w->cpu_freelist[slab->cpu];
}

static uint32_t sheaf_bound(const struct lx_cache *c)
{
	return c->sheaf_capacity && c->sheaf_capacity < MAX_SHEAF_OBJECTS ?
	       c->sheaf_capacity : MAX_SHEAF_OBJECTS;
}

/*
 * One struct slab_sheaf: objects[0 .. size) are free objects (mm/slub.c
 * alloc_from_pcs() takes objects[--size]).  A size above the cache's
 * sheaf_capacity is corrupt: the sheaf is skipped and flagged.
 */
static enum lx_status read_sheaf(struct walk *w, uint64_t sheaf, const char *where)
{
	const struct lx_layout *L = &w->s->L;
	enum lx_status ret = LX_OK;
	uint32_t size, i;
	uint64_t *objs;

	if (!lx_read_u32(w->s->t, sheaf + L->sheaf_size, &size)) {
		lx_note_problem(w->s, w->scan, LX_PROB_SHEAF, "%s: %s sheaf %#llx unreadable",
				w->scan->cache.name, where, (unsigned long long)sheaf);
		return LX_OK;
	}
	if (size > sheaf_bound(&w->scan->cache)) {
		lx_note_problem(w->s, w->scan, LX_PROB_SHEAF,
				"%s: %s sheaf %#llx claims %u objects, capacity %u; skipped",
				w->scan->cache.name, where, (unsigned long long)sheaf,
				size, sheaf_bound(&w->scan->cache));
		return LX_OK;
	}
	/* objects[] to its capacity: past size, stale words, no holders */
	if (lx_scan_note_bookkeeping(w->s, w->scan, sheaf + L->sheaf_objects,
				     (uint64_t)sheaf_bound(&w->scan->cache) * lx_word_size(w->s->t)))
		return LX_ENOMEM;
	if (!size)
		return LX_OK;
	objs = lx_alloc(w->s->t, size * sizeof(*objs));
	if (!objs)
		return LX_ENOMEM;
	/* slab_sheaf.objects[]: pointers */
	if (!lx_read_words(w->s->t, sheaf + L->sheaf_objects, objs, size))
		lx_note_problem(w->s, w->scan, LX_PROB_SHEAF,
				"%s: %s sheaf %#llx objects unreadable",
				w->scan->cache.name, where, (unsigned long long)sheaf);
	else
		for (i = 0; i < size && !ret; i++)
			ret = lx_cached_add(w->s, w->scan, &w->cached, objs[i], where);
	lx_free(w->s->t, objs);
	return ret;
}

/* One cpu's struct slub_percpu_sheaves: its main and spare sheaves. */
static enum lx_status read_cpu_sheaves(struct walk *w, unsigned int cpu)
{
	const struct lx_kernel *K = &w->s->K;
	const struct lx_layout *L = &w->s->L;
	uint64_t pcs = w->scan->cache.cpu_sheaves + K->cpu_offsets[cpu];
	uint64_t main, spare;
	enum lx_status ret = LX_OK;
	char where[32];

	if (!lx_read_word(w->s->t, pcs + L->pcs_main, &main) ||
	    !lx_read_word(w->s->t, pcs + L->pcs_spare, &spare)) {
		lx_note_problem(w->s, w->scan, LX_PROB_SHEAF,
				"%s: cannot read the sheaves of cpu %u",
				w->scan->cache.name, cpu);
		return LX_OK;
	}
	snprintf(where, sizeof(where), "cpu %u main", cpu);
	if (main)
		ret = read_sheaf(w, main, where);
	snprintf(where, sizeof(where), "cpu %u spare", cpu);
	if (spare && !ret)
		ret = read_sheaf(w, spare, where);
	return ret;
}

/*
 * Free-object source: each cpu's main and spare sheaf (kernel commit
 * 2d517aa09bbc "slab: add opt-in caching layer of percpu sheaves", 6.18).
 * A cache that did not opt in has no cpu_sheaves.  The rcu_free sheaf
 * holds objects still waiting for their grace period: not free yet.
 */
static enum lx_status collect_cpu_sheaves(struct walk *w)
{
	const struct lx_kernel *K = &w->s->K;
	enum lx_status ret = LX_OK;
	unsigned int cpu;

	if (!w->scan->cache.cpu_sheaves)
		return LX_OK;
	for (cpu = 0; cpu < K->nr_cpus && !ret; cpu++)
		if (lx_mask_test(K->cpu_possible, cpu))
			ret = read_cpu_sheaves(w, cpu);
	return ret;
}

/* The barn's nr_full is the witness of its sheaves_full list. */
static void check_barn_count(struct walk *w, unsigned int node, uint64_t barn,
			     unsigned int found)
{
	const struct lx_layout *L = &w->s->L;
	uint32_t nr_full;

	if (L->barn_nr_full < 0 ||
	    !lx_read_u32(w->s->t, barn + L->barn_nr_full, &nr_full) ||
	    nr_full == found)
		return;
	lx_note_problem(w->s, w->scan, LX_PROB_SHEAF,
			"%s: node %u barn says %u full sheaves, %u found",
			w->scan->cache.name, node, nr_full, found);
}

/* A barn's sheaves_full list, linked through slab_sheaf.barn_list. */
static enum lx_status walk_barn(struct walk *w, unsigned int node, uint64_t barn,
				struct lx_set *seen)
{
	const struct lx_layout *L = &w->s->L;
	uint64_t head = barn + L->barn_sheaves_full, next, entry;
	enum lx_status ret = LX_OK;
	unsigned int n;
	char where[32];
	int added;

	snprintf(where, sizeof(where), "node %u barn", node);
	if (!lx_read_word(w->s->t, head, &next)) {
		lx_note_problem(w->s, w->scan, LX_PROB_SHEAF, "%s: node %u barn unreadable",
				w->scan->cache.name, node);
		return LX_OK;
	}
	for (n = 0; next != head && !ret; n++) {
		entry = next;
		added = entry && n < MAX_BARN_SHEAVES ? lx_set_add(seen, entry) : 0;
		if (added < 0)
			return LX_ENOMEM;
		if (!added || !lx_read_word(w->s->t, entry, &next)) {
			lx_note_problem(w->s, w->scan, LX_PROB_SHEAF,
					"%s: node %u barn full list is broken or loops; stopped after %u sheaves",
					w->scan->cache.name, node, n);
			return LX_OK;
		}
		ret = read_sheaf(w, entry - L->sheaf_barn_list, where);
	}
	if (!ret)
		check_barn_count(w, node, barn, n);
	return ret;
}

/* Finds node's barn pointer; false (and noted) if it cannot be read. */
typedef bool (*barn_finder)(struct walk *w, unsigned int node, uint64_t *barn);

/* 6.18, 7.0: the barn pointer is in the node's kmem_cache_node. */
static bool barn_in_node(struct walk *w, unsigned int node, uint64_t *barn)
{
	uint64_t kcn;

	*barn = 0;
	if (!lx_read_word(w->s->t, node_pointer(w, node), &kcn) || !kcn)
		return true;	/* collect_one_node() flags a missing node */
	return lx_read_word(w->s->t, kcn + w->s->L.kcn_barn, barn);
}

/* 7.1: kmem_cache.per_node[node].barn, also for nodes without memory. */
static bool barn_in_per_node(struct walk *w, unsigned int node, uint64_t *barn)
{
	const struct lx_layout *L = &w->s->L;

	return lx_read_word(w->s->t, lx_node_entry(L, w->scan->cache.addr, node) +
			    L->kc_node_barn, barn);
}

/* The full sheaves of every node's barn; empty sheaves hold no objects. */
static enum lx_status collect_barns(struct walk *w, barn_finder find_barn)
{
	enum lx_status ret = LX_OK;
	struct lx_set seen;
	unsigned int node;
	uint64_t barn;

	lx_set_init(&seen, w->s->t);
	for (node = 0; node < w->s->K.nr_nodes && !ret; node++) {
		if (!find_barn(w, node, &barn)) {
			lx_note_problem(w->s, w->scan, LX_PROB_SHEAF,
					"%s: node %u barn pointer unreadable",
					w->scan->cache.name, node);
			continue;
		}
		if (barn)
			ret = walk_barn(w, node, barn, &seen);
	}
	lx_set_free(&seen);
	return ret;
}

/* Free-object source: barns through kmem_cache_node.barn (6.18, 7.0). */
static enum lx_status collect_node_barns(struct walk *w)
{
	return collect_barns(w, barn_in_node);
}

/*
 * Free-object source: barns through kmem_cache.per_node[] (7.1, kernel
 * commit 5ba6bc27b1f9 "slab: decouple pointer to barn from
 * kmem_cache_node").
 */
static enum lx_status collect_per_node_barns(struct walk *w)
{
	return collect_barns(w, barn_in_per_node);
}

static bool always(const struct lx_layout *L)
{
	(void)L;
	return true;
}

static bool has_cpu_slab(const struct lx_layout *L)
{
	return L->features & LX_LAYOUT_CPU_SLAB;
}

static bool has_sheaves(const struct lx_layout *L)
{
	return L->features & LX_LAYOUT_SHEAVES;
}

static bool has_node_barn(const struct lx_layout *L)
{
	return L->features & LX_LAYOUT_NODE_BARN;
}

static bool has_per_node_barn(const struct lx_layout *L)
{
	return L->features & LX_LAYOUT_PER_NODE;
}

/*
 * Where free objects are kept.  Sources only mark objects free; liveness is
 * decided in decide_liveness() alone.  A source present in the layout
 * (by member presence) either marks a slab's objects as the walk reaches
 * it (mark), or gathers free object addresses into w->cached once per
 * cache before the walk (collect), which decide_liveness() consults.  The
 * slab's own freelist comes first: check_inuse() needs its length alone.
 */
static const struct free_source {
	const char *name;
	bool (*present)(const struct lx_layout *L);
	enum lx_status (*collect)(struct walk *w);
	void (*mark)(struct walk *w, struct lx_slab *slab);
	/* whether mark reads this slab's memory (a chain runs through it) */
	bool (*reads)(const struct walk *w, const struct lx_slab *slab);
} free_sources[] = {
	{ "slab freelist", always, NULL, mark_slab_freelist, slab_freelist_reads },
	{ "cpu lockless freelist", has_cpu_slab, NULL, mark_cpu_freelist,
	  cpu_freelist_reads },
	{ "cpu sheaves (main, spare)", has_sheaves, collect_cpu_sheaves, NULL, NULL },
	{ "barn full sheaves, barn in kmem_cache_node", has_node_barn,
	  collect_node_barns, NULL, NULL },
	{ "barn full sheaves, barn in kmem_cache.per_node", has_per_node_barn,
	  collect_per_node_barns, NULL, NULL },
};

#define NR_FREE_SOURCES (sizeof(free_sources) / sizeof(free_sources[0]))

/*
 * Where slabs are found, in this order: each cpu's active slab first (so
 * it is recorded as its cpu's) and its partials, then the node lists,
 * then whatever slab of the cache the memory map holds that no list gave.
 */
static const struct slab_source {
	const char *name;
	bool (*present)(const struct lx_layout *L);
	enum lx_status (*collect)(struct walk *w);
} slab_sources[] = {
	{ "cpu slabs and cpu partials", has_cpu_slab, collect_cpu_slabs },
	{ "node partial and full lists", always, collect_node_slabs },
	{ "memory map", always, collect_memmap_slabs },
};

#define NR_SLAB_SOURCES (sizeof(slab_sources) / sizeof(slab_sources[0]))

static enum lx_status collect_slab_sources(struct walk *w)
{
	enum lx_status ret = LX_OK;
	size_t i;

	for (i = 0; i < NR_SLAB_SOURCES && !ret; i++)
		if (slab_sources[i].present(&w->s->L))
			ret = slab_sources[i].collect(w);
	return ret;
}

static enum lx_status collect_free_sources(struct walk *w)
{
	enum lx_status ret = LX_OK;
	size_t i;

	for (i = 0; i < NR_FREE_SOURCES && !ret; i++)
		if (free_sources[i].collect && free_sources[i].present(&w->s->L))
			ret = free_sources[i].collect(w);
	return ret;
}

/*
 * Slab memory for the free sources: none of a slab marked unread (only
 * its presence), a page at a time of one marked by_page when the dump
 * has all its pages, else the whole slab.
 */
static bool open_slab_memory(struct walk *w, const struct lx_slab *slab, uint8_t *mem)
{
	struct slab_memory *m = &w->mem;
	uint64_t pages;

	m->buf = mem;
	m->len = slab_mem_len(w->scan, slab);
	m->failed = false;
	m->by_page = slab->by_page && lx_present(w->s->t, slab->base, m->len);
	if (!m->by_page)
		return lx_read_slab(w->s, slab, mem, m->len);
	pages = (m->len + w->s->arch.page_size - 1) / w->s->arch.page_size;
	memset(m->loaded, 0, (pages + 63) / 64 * sizeof(m->loaded[0]));
	return true;
}

static void unreadable_slab(struct walk *w, struct lx_slab *slab)
{
	struct lx_scan *scan = w->scan;

	lx_note_problem(w->s, scan, LX_PROB_UNREADABLE,
			"%s: slab %#llx memory unreadable; its %u objects counted as live",
			scan->cache.name, (unsigned long long)slab->addr, slab->objects);
	if (!slab->bad)
		scan->bad_slabs++;
	slab->bad = 1;
}

static void decide_liveness(void *walk, struct lx_slab *slab, uint8_t *mem)
{
	struct walk *w = walk;
	struct lx_scan *scan = w->scan;
	size_t i;

	if (!open_slab_memory(w, slab, mem)) {
		unreadable_slab(w, slab);
		return;
	}
	w->slab_free = 0;
	for (i = 0; i < NR_FREE_SOURCES; i++)
		if (free_sources[i].mark && free_sources[i].present(&w->s->L))
			free_sources[i].mark(w, slab);
	if (w->mem.failed) {	/* as if the whole slab had been read first */
		lx_unmark_free_all(scan, slab);
		unreadable_slab(w, slab);
		return;
	}
	lx_cached_mark(w->s, scan, &w->cached, slab, &scan->sheaf_free);
	check_inuse(w, slab, w->slab_free);
	if (w->visit)
		w->visit->slab(w->visit->arg, scan, slab, mem);
}

static void tally(const struct lx_session *s, struct lx_scan *scan)
{
	size_t i;

	for (i = 0; i < scan->nslabs; i++) {
		const struct lx_slab *slab = &scan->slabs[i];

		scan->total += slab->objects;
		scan->free += slab->nfree;
		scan->slab_bytes += lx_slab_bytes(s, &scan->cache, slab->objects);
	}
	scan->live = scan->total - scan->free;
}

/* What was found against what kmem_cache_node counts (CONFIG_SLUB_DEBUG). */
static void check_node_counters(struct walk *w)
{
	struct lx_scan *scan = w->scan;

	if (scan->nr_slabs_known && scan->nslabs != scan->node_nr_slabs)
		lx_note_problem(w->s, scan, LX_PROB_NODE,
				"%s: node counters say %llu slabs, %zu found",
				scan->cache.name, (unsigned long long)scan->node_nr_slabs,
				scan->nslabs);
	else if (w->total_objects_known && scan->total != w->node_total_objects)
		lx_note_problem(w->s, scan, LX_PROB_NODE,
				"%s: node counters say %llu objects, %llu found",
				scan->cache.name, (unsigned long long)w->node_total_objects,
				(unsigned long long)scan->total);
}

/*
 * A slab no chain runs through, whose objects nothing visits, is not read
 * (a full slab: its counters and freelist, in the memory map, say all its
 * objects are in use); the dump is only asked that it has the slab.  One
 * that chains run through is read by page (struct slab_memory).  Only
 * where the dump tells presence without reading (the program's own
 * reader): elsewhere (crash) every slab is read whole, as the bytes of a
 * page the dump lacks are found by reading it.
 */
static bool slab_read_needed(const struct walk *w, const struct lx_slab *slab)
{
	size_t i;

	if (w->visit)
		return true;
	for (i = 0; i < NR_FREE_SOURCES; i++)
		if (free_sources[i].reads && free_sources[i].present(&w->s->L) &&
		    free_sources[i].reads(w, slab))
			return true;
	return false;
}

static enum lx_status walk_slabs(struct walk *w)
{
	struct lx_scan *scan = w->scan;
	size_t max = scan->cache.red_left_pad +
		     (size_t)scan->cache.size * (scan->cache.oo_objects + scan->cache.min_objects);
	uint64_t max_slab = w->s->arch.page_size << MAX_SLAB_ORDER;
	bool skip = lx_tells_presence(w->s->t);
	size_t i;

	if (max > max_slab)
		max = max_slab;
	for (i = 0; i < scan->nslabs && skip; i++) {
		scan->slabs[i].unread = !slab_read_needed(w, &scan->slabs[i]);
		scan->slabs[i].by_page = !w->visit && !scan->slabs[i].unread;
	}
	return lx_scan_each_slab(w->s, scan, max, decide_liveness, w, w->visit);
}

static enum lx_status collect_and_walk(struct walk *w)
{
	enum lx_status ret = collect_slab_sources(w);

	if (!ret)
		ret = collect_free_sources(w);
	if (!ret)
		ret = walk_slabs(w);
	if (ret)
		return ret;
	tally(w->s, w->scan);
	check_node_counters(w);
	lx_cached_check(w->s, w->scan, &w->cached);
	if (!lx_integrity_ok(&w->scan->integrity))
		w->s->flagged = true;
	return LX_OK;
}

static enum lx_status slub_scan(struct lx_session *s, const struct lx_cache *c,
			      struct lx_scan *scan, const struct lx_visitor *visit)
{
	const struct lx_kernel *K = &s->K;
	const struct lx_layout *L = &s->L;
	struct walk w = {
		.s = s, .scan = scan, .visit = visit,
		.cached = { .kind = LX_PROB_SHEAF, .holder = "sheaf", .a_holder = "a sheaf",
			    .holders = "sheaves" },
	};
	enum lx_status ret = LX_ENOMEM;

	memset(scan, 0, sizeof(*scan));
	scan->cache = *c;
	scan->fp_mode = L->kc_random >= 0 ? LX_FP_UNKNOWN : LX_FP_PLAIN;
	if (!cache_is_sane(s, c)) {
		lx_msg(s->t, LX_MSG_ERROR, "cache %#llx (%s) has an implausible layout",
		       (unsigned long long)c->addr, c->name);
		s->flagged = true;
		return LX_ECORRUPT;
	}
	lx_set_init(&w.seen, s->t);
	lx_set_init(&w.cached.set, s->t);
	w.cpu_freelist = lx_alloc(s->t, K->nr_cpus * sizeof(uint64_t));
	w.cpu_partial = lx_alloc(s->t, K->nr_cpus * sizeof(uint64_t));
	w.slab_hdr = lx_alloc(s->t, L->slab_size_of);
	if (w.cpu_freelist && w.cpu_partial && w.slab_hdr)
		ret = collect_and_walk(&w);
	lx_set_free(&w.seen);
	lx_set_free(&w.cached.set);
	lx_free(s->t, w.cpu_freelist);
	lx_free(s->t, w.cpu_partial);
	lx_free(s->t, w.slab_hdr);
	if (ret)	/* no usable result: hold nothing the caller must free */
		lx_scan_free(s, scan);
	return ret;
}

/* The node full list is kept for debug caches only (CONFIG_SLUB_DEBUG). */
static uint32_t slub_sources_absent(const struct lx_session *s)
{
	return s->L.kcn_full < 0 ? LX_SRC_BIT(LX_SRC_NODE_FULL) : 0;
}

const struct lx_allocator lx_slub_allocator = {
	.name = "SLUB",
	.no_tracks = "cache has no SLAB_STORE_USER; boot with slub_debug=U,<cache>",
	.sources = LX_SRC_BIT(LX_SRC_CPU) | LX_SRC_BIT(LX_SRC_CPU_PARTIAL) |
		   LX_SRC_BIT(LX_SRC_NODE_PARTIAL) | LX_SRC_BIT(LX_SRC_NODE_FULL) |
		   LX_SRC_BIT(LX_SRC_MEMMAP),
	.sources_absent = slub_sources_absent,
	.probe = lx_slub_probe,
	.layout = lx_slub_layout,
	.cache_read = slub_cache_read,
	.scan = slub_scan,
	.tracks_init = lx_slub_tracks_init,
};
