// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every field the walker reads, located in the real dump through the layout
 * the core resolved (s->L) and the cache it found: the kmem_cache, node 0's
 * kmem_cache_node, each cpu's kmem_cache_cpu, one slab of each source, the
 * first freelist link of two slabs, and the globals.  On a SLAB kernel:
 * the kmem_cache, node 0's kmem_cache_node, each cpu's array cache and node
 * 0's shared one, one slab of each source with its first free index, and
 * the globals.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

/* mm/slab.h: struct slab's counters word on a 64-bit little-endian kernel */
#define INUSE_SHIFT 0
#define INUSE_WIDTH 16
#define OBJECTS_SHIFT 16
#define OBJECTS_WIDTH 15
#define FROZEN_SHIFT 31

struct collector {
	struct lx_session *s;
	struct field_list *fl;
	bool global;
};

static bool same_place(const struct field *a, const struct field *b)
{
	return a->addr == b->addr && a->size == b->size &&
	       a->shift == b->shift && a->width == b->width;
}

/*
 * Members that share a word (6.1's slab->next is slab_list.next) are swept
 * once, under both names.
 */
static bool already_listed(struct field_list *fl, const struct field *f)
{
	struct field *g;
	size_t i, len;
	const char *dot;

	for (i = 0; i < fl->count; i++) {
		g = &fl->items[i];
		if (!same_place(g, f))
			continue;
		dot = strrchr(f->name, '.');
		len = strlen(g->name);
		snprintf(g->name + len, sizeof(g->name) - len, " (= %s)",
			 dot ? dot + 1 : f->name);
		return true;
	}
	return false;
}

static int grow(struct field_list *fl)
{
	size_t cap = fl->cap ? 2 * fl->cap : 64;
	struct field *items;

	if (fl->count < fl->cap)
		return 0;
	items = realloc(fl->items, cap * sizeof(*items));
	if (!items)
		return -1;
	fl->items = items;
	fl->cap = cap;
	return 0;
}

/* Add bits [shift, shift + width) of the size-byte word at addr. */
static void __attribute__((format(printf, 6, 7)))
add_bits(struct collector *co, uint64_t addr, unsigned int size,
	 unsigned int shift, unsigned int width, const char *fmt, ...)
{
	struct field f = { .addr = addr, .size = size, .shift = shift,
			   .width = width, .global = co->global };
	uint64_t word = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f.name, sizeof(f.name), fmt, ap);
	va_end(ap);
	if (!size || size > 8 || !lx_read(co->s->t, addr, &word, size)) {
		fprintf(stderr, "sweep: %s at %#llx not readable; not swept\n", f.name,
			(unsigned long long)addr);
		return;
	}
	f.word = word;
	f.value = width < 64 ? (word >> shift) & ((1ULL << width) - 1) : word;
	if (already_listed(co->fl, &f) || grow(co->fl))
		return;
	co->fl->items[co->fl->count++] = f;
}

/* A whole member of the struct at base, sized by the dump's types. */
static void add_member(struct collector *co, uint64_t base, const char *type,
		       const char *member, const char *label)
{
	long off = lx_member_offset(co->s->t, type, member);
	long size = lx_member_size(co->s->t, type, member);

	if (off < 0 || size <= 0)
		return;
	if (size > 8)	/* a list_head or an array: its first word */
		size = 8;
	add_bits(co, base + off, size, 0, size * 8, "%s.%s", label, member);
}

static void add_word(struct collector *co, uint64_t addr, const char *fmt,
		     const char *label)
{
	add_bits(co, addr, 8, 0, 64, fmt, label);
}

static void add_cache_fields(struct collector *co, uint64_t cache)
{
	static const char *const members[] = {
		"cpu_slab", "flags", "size", "object_size", "offset", "oo",
		"min", "red_left_pad", "inuse", "random", "name",
	};
	const struct lx_layout *L = &co->s->L;
	size_t i;

	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		add_member(co, cache, "kmem_cache", members[i], "kmem_cache");
	add_word(co, lx_node_entry(L, cache, 0) + L->kc_node_ptr, "%s.node[0]",
		 "kmem_cache");
	co->global = true;	/* the cache list: the ranking walks it */
	add_word(co, cache + L->kc_list, "%s.list.next", "kmem_cache");
	co->global = false;
}

static void add_node_fields(struct collector *co, uint64_t cache)
{
	static const char *const members[] = {
		"nr_partial", "nr_slabs", "total_objects",
	};
	const struct lx_layout *L = &co->s->L;
	uint64_t node;
	size_t i;

	if (!lx_read_u64(co->s->t, lx_node_entry(L, cache, 0) + L->kc_node_ptr, &node) ||
	    !node)
		return;
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		add_member(co, node, "kmem_cache_node", members[i], "node0");
	add_word(co, node + L->kcn_partial, "%s.partial.next", "node0");
	add_word(co, node + L->kcn_partial + 8, "%s.partial.prev", "node0");
	if (L->kcn_full >= 0)
		add_word(co, node + L->kcn_full, "%s.full.next", "node0");
}

static void add_cpu_fields(struct collector *co, const struct lx_cache *c)
{
	const struct lx_kernel *K = &co->s->K;
	const struct lx_layout *L = &co->s->L;
	char label[32];
	unsigned int cpu;

	if (!(L->features & LX_LAYOUT_CPU_SLAB))
		return;		/* 7.0+: no kmem_cache_cpu */
	for (cpu = 0; cpu < K->nr_cpus; cpu++) {
		uint64_t kcc = c->cpu_slab + K->cpu_offsets[cpu];

		snprintf(label, sizeof(label), "cpu%u", cpu);
		add_word(co, kcc + L->kcc_freelist, "%s.freelist", label);
		add_word(co, kcc + L->kcc_slab, "%s.slab", label);
		if (L->kcc_partial >= 0)
			add_word(co, kcc + L->kcc_partial, "%s.partial", label);
	}
}

static void add_slab_fields(struct collector *co, const struct lx_slab *slab)
{
	const struct lx_layout *L = &co->s->L;
	const char *src = lx_source_names[slab->source];
	uint64_t counters = slab->addr + L->slab_counters;

	add_word(co, slab->addr + L->slab_cache, "slab[%s].slab_cache", src);
	add_word(co, slab->addr + L->slab_freelist, "slab[%s].freelist", src);
	add_word(co, counters, "slab[%s].counters", src);
	add_bits(co, counters, 4, INUSE_SHIFT, INUSE_WIDTH, "slab[%s].inuse", src);
	add_bits(co, counters, 4, OBJECTS_SHIFT, OBJECTS_WIDTH, "slab[%s].objects", src);
	add_bits(co, counters, 4, FROZEN_SHIFT, 1, "slab[%s].frozen", src);
	if (L->slab_list >= 0) {
		add_word(co, slab->addr + L->slab_list, "slab[%s].slab_list.next", src);
		add_word(co, slab->addr + L->slab_list + 8, "slab[%s].slab_list.prev", src);
	}
	if (L->slab_next >= 0)
		add_word(co, slab->addr + L->slab_next, "slab[%s].next", src);
}

/* The first slab of each source the clean scan found. */
static void add_slabs(struct collector *co, const struct lx_scan *scan)
{
	bool done[LX_SRC_COUNT] = { false };
	size_t i;

	for (i = 0; i < scan->nslabs; i++) {
		if (done[scan->slabs[i].source])
			continue;
		done[scan->slabs[i].source] = true;
		add_slab_fields(co, &scan->slabs[i]);
	}
}

static const struct lx_slab *first_of(const struct lx_scan *scan,
				      enum lx_slab_source src, bool with_freelist)
{
	size_t i;

	for (i = 0; i < scan->nslabs; i++)
		if (scan->slabs[i].source == src &&
		    (!with_freelist || scan->slabs[i].freelist))
			return &scan->slabs[i];
	return NULL;
}

/* The (encoded) free pointer inside the first free object of a chain. */
static void add_freelist_word(struct collector *co, const struct lx_cache *c,
			      uint64_t head, const char *what)
{
	if (head)
		add_word(co, head + c->offset, "%s free pointer", what);
}

static void add_freelist_words(struct collector *co, const struct lx_cache *c,
			       const struct lx_scan *scan)
{
	const struct lx_kernel *K = &co->s->K;
	const struct lx_layout *L = &co->s->L;
	const struct lx_slab *partial = first_of(scan, LX_SRC_NODE_PARTIAL, true);
	const struct lx_slab *cpu = first_of(scan, LX_SRC_CPU, false);
	uint64_t head = 0;

	if (partial)
		add_freelist_word(co, c, partial->freelist, "node-partial slab: first");
	if (!cpu)
		return;
	lx_read_u64(co->s->t, c->cpu_slab + K->cpu_offsets[cpu->cpu] + L->kcc_freelist,
		    &head);
	add_freelist_word(co, c, head ? head : cpu->freelist, "cpu slab: first");
}

static void add_symbol(struct collector *co, const char *name, unsigned int size,
		       unsigned int index)
{
	uint64_t addr;

	if (!lx_symbol(co->s->t, name, &addr))
		return;
	if (index)
		add_bits(co, addr + 8ULL * index, size, 0, size * 8, "%s[%u]", name, index);
	else
		add_bits(co, addr, size, 0, size * 8, "%s", name);
}

static void add_globals(struct collector *co)
{
	co->global = true;
	add_symbol(co, "slab_caches", 8, 0);
	add_symbol(co, "nr_cpu_ids", 4, 0);
	add_symbol(co, "nr_node_ids", 4, 0);
	add_symbol(co, "max_pfn", 8, 0);
	add_symbol(co, "__per_cpu_offset", 8, 0);
	if (co->s->K.nr_cpus > 1)
		add_symbol(co, "__per_cpu_offset", 8, 1);
	add_symbol(co, "vmemmap_base", 8, 0);
	add_symbol(co, "page_offset_base", 8, 0);
	add_symbol(co, "__cpu_possible_mask", 8, 0);
	add_symbol(co, "node_states", 8, 0);
	co->global = false;
}

/* SLAB (mm/slab.c): the kmem_cache and node 0's kmem_cache_node. */
static void add_slab_cache_fields(struct collector *co, uint64_t cache)
{
	static const char *const members[] = {
		"cpu_cache", "flags", "size", "object_size", "num", "gfporder",
		"obj_offset", "freelist_size", "name",
	};
	static const char *const node_members[] = {
		"slabs_partial", "slabs_full", "slabs_free", "total_slabs",
		"free_slabs", "free_objects", "shared", "alien",
	};
	const struct lx_layout *L = &co->s->L;
	uint64_t node = 0;
	size_t i;

	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		add_member(co, cache, "kmem_cache", members[i], "kmem_cache");
	add_word(co, lx_node_entry(L, cache, 0), "%s.node[0]", "kmem_cache");
	co->global = true;
	add_word(co, cache + L->kc_list, "%s.list.next", "kmem_cache");
	co->global = false;
	if (!lx_read_u64(co->s->t, lx_node_entry(L, cache, 0), &node) || !node)
		return;
	for (i = 0; i < sizeof(node_members) / sizeof(node_members[0]); i++)
		add_member(co, node, "kmem_cache_node", node_members[i], "node0");
}

/* One struct array_cache: its avail, limit and first entry. */
static void add_array_cache(struct collector *co, uint64_t ac, const char *label)
{
	const struct lx_layout *L = &co->s->L;

	add_bits(co, ac + L->ac_avail, 4, 0, 32, "%s.avail", label);
	add_bits(co, ac + L->ac_limit, 4, 0, 32, "%s.limit", label);
	add_word(co, ac + L->ac_entry, "%s.entry[0]", label);
}

/* Each cpu's array cache and node 0's shared one. */
static void add_array_caches(struct collector *co, uint64_t cache)
{
	const struct lx_kernel *K = &co->s->K;
	const struct lx_layout *L = &co->s->L;
	uint64_t cpu_cache = 0, node = 0, shared = 0;
	char label[32];
	unsigned int cpu;

	if (lx_read_u64(co->s->t, cache + L->kc_cpu_cache, &cpu_cache) && cpu_cache)
		for (cpu = 0; cpu < K->nr_cpus; cpu++) {
			snprintf(label, sizeof(label), "cpu%u array", cpu);
			add_array_cache(co, cpu_cache + K->cpu_offsets[cpu], label);
		}
	if (lx_read_u64(co->s->t, lx_node_entry(L, cache, 0), &node) && node &&
	    lx_read_u64(co->s->t, node + L->kcn_shared, &shared) && shared)
		add_array_cache(co, shared, "node0 shared");
}

/* One SLAB slab of each source, and the first free index of its freelist. */
static void add_slab_slab_fields(struct collector *co, const struct lx_slab *slab)
{
	const struct lx_layout *L = &co->s->L;
	const char *src = lx_source_names[slab->source];

	add_word(co, slab->addr + L->slab_cache, "slab[%s].slab_cache", src);
	add_word(co, slab->addr + L->slab_freelist, "slab[%s].freelist", src);
	add_word(co, slab->addr + L->slab_s_mem, "slab[%s].s_mem", src);
	add_bits(co, slab->addr + L->slab_active, 4, 0, 32, "slab[%s].active", src);
	add_word(co, slab->addr + L->slab_list, "slab[%s].slab_list.next", src);
	add_word(co, slab->addr + L->slab_list + 8, "slab[%s].slab_list.prev", src);
	if (slab->freelist && slab->inuse < slab->objects)
		add_bits(co, slab->freelist + slab->inuse, 1, 0, 8,
			 "slab[%s].freelist[active]", src);
}

static void add_slab_slabs(struct collector *co, const struct lx_scan *scan)
{
	bool done[LX_SRC_COUNT] = { false };
	size_t i;

	for (i = 0; i < scan->nslabs; i++) {
		if (done[scan->slabs[i].source])
			continue;
		done[scan->slabs[i].source] = true;
		add_slab_slab_fields(co, &scan->slabs[i]);
	}
}

/* The row lx_layout_init() chose (a SLUB layout leaves kc_cpu_cache 0). */
static bool slab_allocator(const struct lx_session *s)
{
	return s->alloc && !strcmp(s->alloc->name, "SLAB");
}

int fields_collect(struct lx_session *s, const struct lx_cache *c,
		   const struct lx_scan *scan, struct field_list *out)
{
	struct collector co = { .s = s, .fl = out };

	memset(out, 0, sizeof(*out));
	if (slab_allocator(s)) {
		add_slab_cache_fields(&co, c->addr);
		add_array_caches(&co, c->addr);
		add_slab_slabs(&co, scan);
		add_globals(&co);
		return out->count ? 0 : -1;
	}
	add_cache_fields(&co, c->addr);
	add_node_fields(&co, c->addr);
	add_cpu_fields(&co, c);
	add_slabs(&co, scan);
	add_freelist_words(&co, c, scan);
	add_globals(&co);
	return out->count ? 0 : -1;
}

void fields_free(struct field_list *fl)
{
	free(fl->items);
	memset(fl, 0, sizeof(*fl));
}
