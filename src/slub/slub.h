/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LEAKEXT_SLUB_H
#define LEAKEXT_SLUB_H

#include "leakext/arch.h"
#include "leakext/core.h"
#include "leakext/leakext.h"

/* Where a slab was found. */
enum lx_slab_source {
	LX_SRC_CPU,		/* kmem_cache_cpu.slab */
	LX_SRC_CPU_PARTIAL,	/* kmem_cache_cpu.partial chain */
	LX_SRC_NODE_PARTIAL,	/* kmem_cache_node.partial */
	LX_SRC_NODE_FULL,	/* kmem_cache_node.full (debug caches) */
	LX_SRC_MEMMAP,		/* untracked: found by the memory map scan */
	LX_SRC_COUNT
};

extern const char *const lx_source_names[LX_SRC_COUNT];

/* How free pointers inside objects are stored (mm/slub.c freelist_ptr()). */
enum lx_freeptr_mode {
	LX_FP_UNKNOWN,
	LX_FP_PLAIN,		/* no CONFIG_SLAB_FREELIST_HARDENED */
	LX_FP_XOR,		/* ptr ^ random ^ addr (4.14 .. 5.6) */
	LX_FP_XOR_SWAB,		/* ptr ^ random ^ swab(addr) (5.7+, RHEL 8.6) */
	LX_FP_BROKEN,		/* no encoding verifies */
};

/* How a struct page says "this is a slab" (include/linux/page-flags.h). */
enum lx_slab_test {
	LX_SLAB_PAGE_FLAG,	/* PG_slab bit in page->flags (< 6.10) */
	LX_SLAB_TYPE_INVERTED,	/* 6.10-6.11: page_type bit cleared */
	LX_SLAB_TYPE_BYTE,	/* 6.12+: page_type >> 24 == PGTY_slab */
};

/*
 * What a kernel's SLUB types have, each told by one member's presence
 * (layout.c layout_features[]); every layout leakext walks is one
 * combination of these (layout.c known_layouts[]).
 */
enum lx_layout_feature {
	LX_LAYOUT_CPU_SLAB = 1 << 0,	/* kmem_cache.cpu_slab: kmem_cache_cpu (< 7.0) */
	LX_LAYOUT_SHEAVES = 1 << 1,	/* kmem_cache.cpu_sheaves (6.18+) */
	LX_LAYOUT_NODE_ARRAY = 1 << 2,	/* kmem_cache.node[]: kmem_cache_node pointers */
	LX_LAYOUT_NODE_BARN = 1 << 3,	/* kmem_cache_node.barn (6.18, 7.0) */
	LX_LAYOUT_PER_NODE = 1 << 4,	/* kmem_cache.per_node[]: node and barn (7.1+) */
};

/* Offsets and globals, resolved once by member/symbol presence. */
struct lx_layout {
	unsigned int features;		/* LX_LAYOUT_* */
	const char *layout_name;	/* the known layout they make */
	/* struct kmem_cache; -1: absent */
	long kc_size_of, kc_cpu_slab, kc_flags, kc_size, kc_object_size;
	long kc_offset, kc_oo, kc_min, kc_red_left_pad, kc_name;
	long kc_list, kc_random, kc_inuse;
	/*
	 * Per-node pointers: kc_node_slots entries of kc_node_stride bytes
	 * from kc_node, each with the kmem_cache_node pointer at kc_node_ptr
	 * and (7.1+) the barn pointer at kc_node_barn, else -1.
	 */
	long kc_node, kc_node_stride, kc_node_ptr, kc_node_barn;
	unsigned int kc_node_slots;
	/* struct kmem_cache_cpu */
	long kcc_size_of, kcc_freelist, kcc_slab, kcc_partial;
	/* struct kmem_cache_node */
	long kcn_size_of, kcn_nr_partial, kcn_partial, kcn_nr_slabs, kcn_full;
	long kcn_total_objects, kcn_barn;
	/*
	 * Per-cpu sheaves and the per-node barn (6.18+, kernel commit
	 * 2d517aa09bbc "slab: add opt-in caching layer of percpu sheaves"):
	 * -1 when the kernel has none.
	 */
	long kc_cpu_sheaves, kc_sheaf_capacity;
	long pcs_size_of, pcs_main, pcs_spare;
	long sheaf_size_of, sheaf_size, sheaf_objects, sheaf_barn_list;
	long barn_size_of, barn_sheaves_full, barn_nr_full;
	/* struct slab (5.17+) or the slab part of struct page */
	const char *slab_type;
	long slab_size_of, slab_flags, slab_list, slab_next, slab_cache;
	long slab_freelist, slab_counters, slab_compound_head, page_type;
	long page_size_of;
	enum lx_slab_test slab_test;
	uint64_t slab_test_value;
	/* globals */
	uint64_t slab_caches;		/* &slab_caches (list_head) */
	/* vmemmap_base, page_offset_base and page_shift: copies of s->arch's */
	uint64_t vmemmap_base, page_offset_base, max_pfn;
	uint64_t max_slabs;		/* no list can hold more slabs */
	unsigned int nr_cpus, nr_nodes;
	uint64_t *cpu_offsets;		/* __per_cpu_offset[nr_cpus] */
	uint64_t *cpu_possible;		/* __cpu_possible_mask, NULL: all */
	uint64_t *node_normal;		/* nodes with normal memory, NULL: unknown */
	unsigned int page_shift;
};

/*
 * Integrity of one cache's answer: every way the walk found the dump
 * contradicting itself.  A cache with no problem is exact; one with any is
 * flagged in text and JSON (and the standalone program exits non-zero).
 */
enum lx_problem {
	LX_PROB_UNREADABLE,	/* a slab header or slab memory is not in the dump */
	LX_PROB_FOREIGN,	/* a list holds a slab of another cache */
	LX_PROB_OBJECTS,	/* a slab claims an impossible object count */
	LX_PROB_FREELIST,	/* a freelist does not decode */
	LX_PROB_LIST,		/* a list or chain loops, breaks or is too long */
	LX_PROB_INUSE,		/* a slab's inuse disagrees with its freelist */
	LX_PROB_NODE,		/* kmem_cache_node absent/unreadable, counters disagree */
	LX_PROB_CPU,		/* kmem_cache_cpu unreadable or inconsistent */
	LX_PROB_MEMMAP,		/* memory map and lists disagree, or no memory map */
	LX_PROB_SHEAF,		/* a sheaf or barn is unreadable or impossible */
	LX_PROB_COUNT
};

#define LX_PROBLEM_TEXT 128

struct lx_integrity {
	uint32_t count[LX_PROB_COUNT];
	char first[LX_PROB_COUNT][LX_PROBLEM_TEXT];	/* first of each kind */
};

extern const char *const lx_problem_names[LX_PROB_COUNT];
bool lx_integrity_ok(const struct lx_integrity *in);

struct lx_cache {
	uint64_t addr;
	char name[LX_NAME_MAX];
	uint64_t flags, random, cpu_slab, cpu_sheaves;
	uint32_t size, object_size, offset, red_left_pad, inuse, sheaf_capacity;
	uint32_t oo_order, oo_objects, min_order, min_objects;
};

struct lx_slab {
	uint64_t addr;		/* struct slab (= head struct page) */
	uint64_t base;		/* page_to_virt(): first byte of slab memory */
	uint64_t freelist;	/* slab->freelist as read */
	uint32_t objects;
	uint32_t nfree;
	uint32_t bitmap;	/* index of first free-bit in scan->freebits */
	uint16_t inuse;		/* from the counters word */
	int16_t cpu;		/* cpu for LX_SRC_CPU / CPU_PARTIAL, else -1 */
	uint8_t source;
	uint8_t bad:1;
	uint8_t frozen:1;
};

struct lx_scan {
	struct lx_cache cache;
	struct lx_slab *slabs;
	size_t nslabs, slabs_cap;
	uint8_t *freebits;	/* one bit per object, set = free */
	size_t freebits_len, freebits_cap;
	uint64_t by_source[LX_SRC_COUNT];
	uint64_t total, live, free;
	uint64_t sheaf_free;	/* of free: objects held in sheaves */
	uint64_t slab_bytes;
	uint64_t node_nr_slabs;	/* sum of kmem_cache_node.nr_slabs, if known */
	bool nr_slabs_known, used_memmap;
	enum lx_freeptr_mode fp_mode;
	unsigned int bad_slabs, bad_lists;
	struct lx_integrity integrity;
};

struct lx_memmap;

struct lx_session {
	struct lx_target *t;
	struct lx_arch arch;	/* the dump's, filled by lx_layout_init() */
	struct lx_layout L;
	/* --cache-type: the user's word on what caches hold */
	const struct lx_type_hint *hints;
	unsigned int nhints;
	struct lx_memmap *memmap;	/* lazily built, per command */
	enum lx_status memmap_status;	/* why it could not be built */
	/* Set during a command, for its result: */
	bool flagged;		/* a result failed its integrity checks, or
				 * the cache list was cut short */
};

/* Bounds against hostile dumps. */
#define LX_MAX_LIST_NODES (1u << 24)

/* layout.c */
enum lx_status lx_layout_init(struct lx_session *s);
/* Bit n of a mask the layout read; a NULL mask (unknown) has every bit. */
bool lx_mask_test(const uint64_t *bits, unsigned int n);
void lx_session_fini(struct lx_session *s);

/* The entry for node in kmem_cache.node[] or .per_node[] of the cache at cache. */
static inline uint64_t lx_node_entry(const struct lx_layout *L, uint64_t cache,
				     unsigned int node)
{
	return cache + L->kc_node + (uint64_t)L->kc_node_stride * node;
}

/* slub.c */
enum lx_status lx_cache_read(struct lx_session *s, uint64_t addr, struct lx_cache *c);
/*
 * Calls fn for each cache on slab_caches; stops early if fn returns false.
 * Not LX_OK when the list was cut short (then s->flagged is set).
 */
enum lx_status lx_for_each_cache(struct lx_session *s,
				 bool (*fn)(struct lx_session *, const struct lx_cache *, void *),
				 void *arg);
/*
 * Every slab of one cache and the liveness of each object.  LX_OK also
 * when the dump contradicted itself: scan->integrity says where (and
 * s->flagged is set); other statuses leave no usable result and nothing
 * to free.
 */
enum lx_status lx_scan_cache(struct lx_session *s, const struct lx_cache *c,
			     struct lx_scan *scan);
/*
 * Called once per readable slab, after its objects' liveness is decided,
 * with the slab's memory (mem[0] is the byte at slab->base).
 */
typedef void (*lx_slab_visitor)(void *arg, const struct lx_scan *scan,
				const struct lx_slab *slab, const uint8_t *mem);
enum lx_status lx_scan_cache_visit(struct lx_session *s, const struct lx_cache *c,
				   struct lx_scan *scan, lx_slab_visitor visit,
				   void *arg);
void lx_scan_free(struct lx_session *s, struct lx_scan *scan);
uint64_t lx_object_addr(const struct lx_scan *scan, const struct lx_slab *slab,
			uint32_t index);
bool lx_object_is_free(const struct lx_scan *scan, const struct lx_slab *slab,
		       uint32_t index);
uint64_t lx_slab_bytes(const struct lx_session *s, const struct lx_cache *c,
		       uint32_t objects);
/* Objects and live objects per source (objs[LX_SRC_COUNT], live[...]). */
void lx_count_by_source(const struct lx_scan *scan, uint64_t *objs, uint64_t *live);
/* "plain pointers", "hardened: ptr ^ random ^ swab(addr)", ... */
const char *lx_freeptr_mode_name(enum lx_freeptr_mode mode);
/* Calls fn with each live object's address, in walk order, until it returns false. */
void lx_for_each_live_object(const struct lx_scan *scan,
			     bool (*fn)(void *arg, uint64_t addr), void *arg);

/* memmap.c */
struct lx_memmap_entry {
	uint64_t cache;		/* slab_cache of the slab */
	uint64_t slab;		/* address of the head struct page */
	uint64_t freelist;	/* its freelist and counters, as scanned */
	uint64_t counters;
};
enum lx_status lx_memmap_scan(struct lx_session *s);
/* Is slab among the n entries (one cache's, sorted by slab)? */
bool lx_memmap_has(const struct lx_memmap_entry *e, size_t n, uint64_t slab);
void lx_memmap_free(struct lx_session *s);
/* Entries for one cache: a pointer into the sorted table and a count. */
const struct lx_memmap_entry *lx_memmap_find(struct lx_session *s,
					     uint64_t cache, size_t *count);
uint64_t lx_page_to_virt(const struct lx_layout *L, uint64_t page);
bool lx_page_is_slab(const struct lx_layout *L, const void *page);
uint64_t lx_slab_cache_of(struct lx_session *s, uint64_t vaddr);

/* cachename.c */
enum lx_lookup_result { LX_LOOKUP_FOUND, LX_LOOKUP_NONE, LX_LOOKUP_AMBIGUOUS };
bool lx_parse_size(const char *text, uint64_t *bytes);
/* The one cache query names; LX_EABSENT with a message if none or several. */
enum lx_status lx_cache_lookup(struct lx_session *s, const char *query,
			       struct lx_cache *cache);

#endif
