// SPDX-License-Identifier: GPL-2.0-or-later
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"

#define SYM_SLAB_CACHES 0xffffffff82000000ULL
#define SYM_NR_CPU_IDS 0xffffffff82000100ULL
#define SYM_PER_CPU_OFFSET 0xffffffff82000200ULL
#define SYM_NR_NODE_IDS 0xffffffff82000300ULL
#define SYM_VMEMMAP_BASE 0xffffffff82000400ULL
#define SYM_PAGE_OFFSET_BASE 0xffffffff82000500ULL
#define SYM_MAX_PFN 0xffffffff82000600ULL
#define SYM_CPU_POSSIBLE 0xffffffff82000700ULL
#define SYM_NODE_STATES 0xffffffff82000800ULL	/* nodemask_t: 8 bytes each */
#define NAME_ADDR 0xffff888001200000ULL

/* Linux 6.1 x86_64 offsets (struct slab, kmem_cache, ...). */
static const struct fk_member members[] = {
	{ "slab", "slab_list", 8, 16 }, { "slab", "next", 8, 8 },
	{ "slab", "slab_cache", 24, 8 }, { "slab", "freelist", 32, 8 },
	{ "slab", "counters", 40, 8 },
	{ "page", "flags", 0, 8 }, { "page", "compound_head", 8, 8 },
	{ "page", "page_type", 48, 4 },
	{ "kmem_cache", "cpu_slab", 0, 8 }, { "kmem_cache", "flags", 8, 4 },
	{ "kmem_cache", "size", 24, 4 }, { "kmem_cache", "object_size", 28, 4 },
	{ "kmem_cache", "offset", 40, 4 }, { "kmem_cache", "oo", 52, 4 },
	{ "kmem_cache", "min", 56, 4 }, { "kmem_cache", "inuse", 80, 4 },
	{ "kmem_cache", "red_left_pad", 88, 4 }, { "kmem_cache", "name", 96, 8 },
	{ "kmem_cache", "list", 104, 16 }, { "kmem_cache", "random", 184, 8 },
	{ "kmem_cache", "node", 216, 32 },
	{ "kmem_cache_cpu", "freelist", 0, 8 }, { "kmem_cache_cpu", "slab", 16, 8 },
	{ "kmem_cache_cpu", "partial", 24, 8 },
	{ "kmem_cache_node", "nr_partial", 8, 8 },
	{ "kmem_cache_node", "partial", 16, 16 },
	{ "kmem_cache_node", "nr_slabs", 32, 8 },
	{ "kmem_cache_node", "full", 48, 16 },
	{ "kmem_cache_node", "total_objects", 40, 8 },
	{ "vmap_area", "list", 40, 16 }, { "vmap_area", "vm", 56, 8 },
	{ "vm_struct", "addr", 8, 8 }, { "vm_struct", "size", 16, 8 },
	{ "vm_struct", "flags", 24, 8 }, { "vm_struct", "caller", 56, 8 },
};

static const struct fk_type types[] = {
	{ "slab", 64 }, { "page", 64 }, { "kmem_cache", 248 },
	{ "kmem_cache_cpu", 32 }, { "kmem_cache_node", 64 }, { "cpumask", 8 },
};

/*
 * Linux 6.18 (kernel commit 2d517aa09bbc "slab: add opt-in caching layer
 * of percpu sheaves"): kmem_cache.cpu_sheaves and sheaf_capacity,
 * kmem_cache_node.barn, and the sheaf types of mm/slub.c.  Offsets are
 * this fake's, in the shape of the kernel's structs.
 */
static const struct fk_member members_6_18[] = {
	{ "kmem_cache", "cpu_sheaves", 16, 8 },
	{ "kmem_cache", "sheaf_capacity", 64, 4 },
	{ "kmem_cache_node", "barn", 64, 8 },
	{ "slub_percpu_sheaves", "main", 8, 8 },
	{ "slub_percpu_sheaves", "spare", 16, 8 },
	{ "slub_percpu_sheaves", "rcu_free", 24, 8 },
	{ "slab_sheaf", "barn_list", 0, 16 }, { "slab_sheaf", "cache", 16, 8 },
	{ "slab_sheaf", "size", 24, 4 }, { "slab_sheaf", "node", 28, 4 },
	{ "slab_sheaf", "objects", 32, 0 },	/* flexible array */
	{ "node_barn", "sheaves_full", 8, 16 },
	{ "node_barn", "sheaves_empty", 24, 16 },
	{ "node_barn", "nr_full", 40, 4 }, { "node_barn", "nr_empty", 44, 4 },
};

static const struct fk_type types_6_18[] = {
	{ "kmem_cache_node", 72 }, { "slub_percpu_sheaves", 32 },
	{ "slab_sheaf", 32 }, { "node_barn", 48 },
};

/*
 * Linux 7.0 (kernel commit 32c894c7274b "slab: remove struct
 * kmem_cache_cpu"): no cpu slab, no cpu partials (struct slab loses next),
 * sheaves for the per-cpu free objects.
 */
static const char *const hidden_7_0[] = {
	"kmem_cache.cpu_slab", "kmem_cache_cpu.", "slab.next",
};

/*
 * Linux 7.1 (kernel commit 5ba6bc27b1f9 "slab: decouple pointer to barn
 * from kmem_cache_node"): kmem_cache.per_node[] replaces node[], each
 * entry a barn and a kmem_cache_node pointer.
 */
static const struct fk_member members_7_1[] = {
	{ "kmem_cache", "per_node", 216, 16 * FK_MAX_NODES },
	{ "kmem_cache_per_node_ptrs", "barn", 0, 8 },
	{ "kmem_cache_per_node_ptrs", "node", 8, 8 },
};

static const struct fk_type types_7_1[] = {
	{ "kmem_cache_node", 64 }, { "kmem_cache_per_node_ptrs", 16 },
};

static const char *const hidden_7_1[] = {
	"kmem_cache.node", "kmem_cache_node.barn",
};

/*
 * Kernels before 5.17 (struct slab: kernel commit d122019bf061): SLUB's
 * slab fields are in struct page and kmem_cache_cpu's slab is "page".
 * These offsets are x86_64's own (include/linux/mm_types.h); the other
 * types keep the 6.1 tables' offsets, as in those kernels.
 *
 * Linux 3.10 (RHEL 7): freelist and counters in the second double word,
 * the node lists through lru and the cpu partial chain through next in
 * the third (3.1, 49e2258586b4 "slub: per cpu cache for partial pages"),
 * slab_cache beside private.  No compound_head (4.4, 1d798ca3f164 "mm:
 * make compound_head() robust": tails had PG_tail and first_page), no
 * page_type (4.18, 6e292b9be7f4), no kmem_cache.random (4.14, 2482ddec670f
 * "mm: add SLUB free list pointer obfuscation"), no red_left_pad (4.6; RHEL
 * 7.9 has it), and PG_slab after PG_active: 7.
 */
static const struct fk_member members_3_10[] = {
	{ "page", "mapping", 8, 8 }, { "page", "index", 16, 8 },
	{ "page", "freelist", 16, 8 }, { "page", "counters", 24, 8 },
	{ "page", "_mapcount", 24, 4 }, { "page", "_count", 28, 4 },
	{ "page", "lru", 32, 16 }, { "page", "next", 32, 8 },
	{ "page", "pages", 40, 4 }, { "page", "pobjects", 44, 4 },
	{ "page", "private", 48, 8 }, { "page", "slab_cache", 48, 8 },
	{ "page", "first_page", 48, 8 },
	{ "kmem_cache_cpu", "tid", 8, 8 }, { "kmem_cache_cpu", "page", 16, 8 },
};

static const char *const hidden_3_10[] = {
	"slab.", "kmem_cache_cpu.slab", "page.compound_head", "page.page_type",
	"kmem_cache.random", "kmem_cache.red_left_pad",
};

/*
 * Linux 4.18 (RHEL 8) to 5.16: one five-word union after flags (4.18,
 * 4da1984edbbe "mm: combine LRU and main union in struct page") holds
 * lru and, for slabs, slab_list (at lru's offset; SLUB links through it
 * from 5.2, 916ac0527837) or next, pages and pobjects, then slab_cache,
 * freelist and counters.  PG_slab follows PG_waiters (4.10): 8.
 */
static const struct fk_member members_4_18[] = {
	{ "page", "lru", 8, 16 }, { "page", "mapping", 24, 8 },
	{ "page", "slab_list", 8, 16 }, { "page", "next", 8, 8 },
	{ "page", "pages", 16, 4 }, { "page", "pobjects", 20, 4 },
	{ "page", "slab_cache", 24, 8 }, { "page", "freelist", 32, 8 },
	{ "page", "s_mem", 40, 8 }, { "page", "counters", 40, 8 },
	{ "page", "_mapcount", 48, 4 }, { "page", "_refcount", 52, 4 },
	{ "kmem_cache_cpu", "tid", 8, 8 }, { "kmem_cache_cpu", "page", 16, 8 },
};

static const char *const hidden_4_18[] = { "slab.", "kmem_cache_cpu.slab" };

/*
 * Linux 5.15 (bd0e7491a931 "mm, slub: convert kmem_cpu_slab protection
 * to local_lock"): kmem_cache_cpu.lock, no bytes without lock debugging.
 */
static const struct fk_member members_5_15[] = {
	{ "kmem_cache_cpu", "lock", 32, 0 },
};

/*
 * Memory allocation profiling, as 6.12 without MEMCG (doc/s10-facts.md):
 * struct slab.obj_exts, struct slabobj_ext { union codetag_ref ref; },
 * struct codetag and struct alloc_tag with its per-cpu counters.
 */
static const struct fk_member members_alloctag[] = {
	{ "slab", "obj_exts", 56, 8 },
	{ "slabobj_ext", "ref", 0, 8 }, { "codetag_ref", "ct", 0, 8 },
	{ "codetag", "flags", 0, 4 }, { "codetag", "lineno", 4, 4 },
	{ "codetag", "modname", 8, 8 }, { "codetag", "function", 16, 8 },
	{ "codetag", "filename", 24, 8 },
	{ "alloc_tag", "ct", 0, 32 }, { "alloc_tag", "counters", 32, 8 },
	{ "alloc_tag_counters", "bytes", 0, 8 }, { "alloc_tag_counters", "calls", 8, 8 },
	/* the module ranges: alloc_tag_cttype's idr of struct codetag_module */
	{ "codetag_type", "mod_idr", 24, 24 }, { "idr", "idr_rt", 0, 16 },
	{ "xarray", "xa_head", 8, 8 }, { "xa_node", "shift", 0, 1 },
	{ "xa_node", "slots", 40, 512 }, { "codetag_module", "mod", 0, 8 },
	{ "codetag_module", "range", 8, 16 }, { "codetag_range", "start", 0, 8 },
	{ "codetag_range", "stop", 8, 8 },
};

static const struct fk_type types_alloctag[] = {
	{ "slabobj_ext", 8 }, { "codetag_ref", 8 }, { "codetag", 32 },
	{ "alloc_tag", 40 }, { "alloc_tag_counters", 16 }, { "codetag_type", 120 },
	{ "idr", 24 }, { "xarray", 16 }, { "xa_node", 576 }, { "codetag_module", 24 },
	{ "codetag_range", 16 },
};

/* With CONFIG_MEMCG: each object's objcg first, the tag reference after. */
static const struct fk_member members_alloctag_memcg[] = {
	{ "slabobj_ext", "objcg", 0, 8 }, { "slabobj_ext", "ref", 8, 8 },
};

static const struct fk_type types_alloctag_memcg[] = { { "slabobj_ext", 16 } };

/*
 * 7.0's stride of a slab's vector (7a8e71bc619d): an unsigned short in
 * the counters word, after inuse, objects and frozen.
 */
static const struct fk_member members_alloctag_stride[] = { { "slab", "stride", 44, 2 } };

/*
 * The stack depot as 6.12 has it (doc/s10-facts.md): union handle_parts
 * { pool_index_plus_1:17, offset:10, extra:5 } and struct stack_record
 * with a fixed entries[64].
 */
static const struct fk_member members_depot[] = {
	{ "handle_parts", "handle", 0, 4 }, { "handle_parts", "pool_index_plus_1", 0, 4 },
	{ "handle_parts", "offset", 0, 4 }, { "handle_parts", "extra", 0, 4 },
	{ "stack_record", "hash_list", 0, 16 }, { "stack_record", "hash", 16, 4 },
	{ "stack_record", "size", 20, 4 }, { "stack_record", "handle", 24, 4 },
	{ "stack_record", "count", 28, 4 }, { "stack_record", "entries", 32, 512 },
};

static const struct fk_type types_depot[] = {
	{ "handle_parts", 4 }, { "stack_record", 544 },
};

/*
 * 6.1's: { slabindex:16, offset:10, valid:1, extra:5 } and a record with
 * a flexible entries[] (stack_slabs[], depot_index).
 */
static const struct fk_member members_depot_6_1[] = {
	{ "handle_parts", "handle", 0, 4 }, { "handle_parts", "slabindex", 0, 4 },
	{ "handle_parts", "offset", 0, 4 }, { "handle_parts", "valid", 0, 4 },
	{ "handle_parts", "extra", 0, 4 },
	{ "stack_record", "next", 0, 8 }, { "stack_record", "hash", 8, 4 },
	{ "stack_record", "size", 12, 4 }, { "stack_record", "handle", 16, 4 },
	{ "stack_record", "entries", 24, 0 },
};

static const struct fk_type types_depot_6_1[] = {
	{ "handle_parts", 4 }, { "stack_record", 24 },
};

/*
 * kmemleak as 6.12 has it (doc/s10-facts.md): struct kmemleak_object of
 * 168 bytes, on the "depot" profile for its trace handles.
 */
static const struct fk_member members_kmemleak[] = {
	{ "kmemleak_object", "flags", 4, 4 }, { "kmemleak_object", "object_list", 8, 16 },
	{ "kmemleak_object", "pointer", 88, 8 }, { "kmemleak_object", "size", 96, 8 },
	{ "kmemleak_object", "min_count", 112, 4 }, { "kmemleak_object", "count", 116, 4 },
	{ "kmemleak_object", "trace_handle", 124, 4 },
	{ "kmemleak_object", "jiffies", 136, 8 }, { "kmemleak_object", "pid", 144, 4 },
	{ "kmemleak_object", "comm", 148, 16 },
};

static const struct fk_type types_kmemleak[] = { { "kmemleak_object", 168 } };

/*
 * page_ext and page_owner as 6.12 has them (doc/s10-facts.md), with
 * SPARSEMEM's struct mem_section, and a folio's order in _flags_1.
 */
static const struct fk_member members_pageowner[] = {
	{ "page_ext", "flags", 0, 8 },
	{ "mem_section", "section_mem_map", 0, 8 }, { "mem_section", "usage", 8, 8 },
	{ "mem_section", "page_ext", 16, 8 },
	{ "page_ext_operations", "offset", 0, 8 }, { "page_ext_operations", "size", 8, 8 },
	{ "static_key", "enabled", 0, 4 },
	{ "page_owner", "order", 0, 2 }, { "page_owner", "last_migrate_reason", 2, 2 },
	{ "page_owner", "gfp_mask", 4, 4 }, { "page_owner", "handle", 8, 4 },
	{ "page_owner", "free_handle", 12, 4 }, { "page_owner", "ts_nsec", 16, 8 },
	{ "page_owner", "free_ts_nsec", 24, 8 }, { "page_owner", "comm", 32, 16 },
	{ "page_owner", "pid", 48, 4 }, { "page_owner", "tgid", 52, 4 },
	{ "folio", "_flags_1", 64, 8 },
	{ "pglist_data", "node_page_ext", 0, 8 }, { "pglist_data", "node_start_pfn", 8, 8 },
	{ "pglist_data", "node_spanned_pages", 16, 8 },
	{ "zone", "free_area", 0, 11 * 88 },
};

static const struct fk_type types_pageowner[] = {
	{ "page_ext", 8 }, { "mem_section", 32 }, { "page_ext_operations", 40 },
	{ "static_key", 16 }, { "page_owner", 64 }, { "folio", 256 },
	{ "pglist_data", 4096 }, { "zone", 1536 }, { "free_area", 88 },
};

/* FLATMEM: no mem_section.page_ext, the node's node_page_ext instead. */
static const char *const hidden_flat[] = { "mem_section.page_ext" };

#define N(array) (sizeof(array) / sizeof((array)[0]))

static const struct fk_profile profiles[] = {
	{ "6.18", NULL, members_6_18, N(members_6_18), types_6_18, N(types_6_18),
	  NULL, 0, false, 0 },
	{ "7.0", &profiles[0], NULL, 0, NULL, 0, hidden_7_0, N(hidden_7_0), false,
	  0 },
	{ "7.1", &profiles[1], members_7_1, N(members_7_1), types_7_1, N(types_7_1),
	  hidden_7_1, N(hidden_7_1), true, 0 },
	{ "3.10", NULL, members_3_10, N(members_3_10), NULL, 0,
	  hidden_3_10, N(hidden_3_10), false, 7 },
	{ "4.18", NULL, members_4_18, N(members_4_18), NULL, 0,
	  hidden_4_18, N(hidden_4_18), false, 8 },
	/* 5.4: PG_workingset (4.20) comes before PG_slab: 9, as in 6.1 */
	{ "5.4", &profiles[4], NULL, 0, NULL, 0, NULL, 0, false, 9 },
	{ "5.14", &profiles[5], NULL, 0, NULL, 0, NULL, 0, false, 0 },
	{ "5.15", &profiles[6], members_5_15, N(members_5_15), NULL, 0,
	  NULL, 0, false, 0 },
	{ "alloctag", NULL, members_alloctag, N(members_alloctag), types_alloctag,
	  N(types_alloctag), NULL, 0, false, 0 },
	{ "alloctag-memcg", &profiles[8], members_alloctag_memcg,
	  N(members_alloctag_memcg), types_alloctag_memcg, N(types_alloctag_memcg),
	  NULL, 0, false, 0 },
	{ "depot", &profiles[8], members_depot, N(members_depot), types_depot,
	  N(types_depot), NULL, 0, false, 0 },
	{ "depot-6.1", NULL, members_depot_6_1, N(members_depot_6_1), types_depot_6_1,
	  N(types_depot_6_1), NULL, 0, false, 0 },
	{ "pageowner", &profiles[10], members_pageowner, N(members_pageowner),
	  types_pageowner, N(types_pageowner), NULL, 0, false, 0 },
	{ "pageowner-flat", &profiles[12], NULL, 0, NULL, 0, hidden_flat, N(hidden_flat),
	  false, 0 },
	{ "kmemleak", &profiles[10], members_kmemleak, N(members_kmemleak),
	  types_kmemleak, N(types_kmemleak), NULL, 0, false, 0 },
	{ "alloctag-stride", &profiles[8], members_alloctag_stride,
	  N(members_alloctag_stride), NULL, 0, NULL, 0, false, 0 },
};

static const struct {
	const char *name;
	uint64_t addr;
	const char *module;
} symbols[] = {
	{ "slab_caches", SYM_SLAB_CACHES, "" }, { "nr_cpu_ids", SYM_NR_CPU_IDS, "" },
	{ "__per_cpu_offset", SYM_PER_CPU_OFFSET, "" },
	{ "nr_node_ids", SYM_NR_NODE_IDS, "" },
	{ "vmemmap_base", SYM_VMEMMAP_BASE, "" },
	{ "page_offset_base", SYM_PAGE_OFFSET_BASE, "" },
	{ "max_pfn", SYM_MAX_PFN, "" },
	{ "__cpu_possible_mask", SYM_CPU_POSSIBLE, "" },
	{ "node_states", SYM_NODE_STATES, "" },
	{ "fk_module_handler", FK_MODULE_FUNC, "fk_mod" },
};

static struct fk_region *find_region(struct fake_kernel *fk, uint64_t addr,
				     size_t len)
{
	int i;

	for (i = 0; i < fk->nregions; i++) {
		struct fk_region *r = &fk->regions[i];

		if (addr >= r->addr && addr - r->addr + len <= r->size)
			return r;
	}
	return NULL;
}

static bool fk_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	struct fk_region *r = find_region(priv, addr, len);

	if (!r) {
		((struct fake_kernel *)priv)->failed_reads++;
		return false;
	}
	memcpy(buf, r->bytes + (addr - r->addr), len);
	return true;
}

/*
 * Names compared by hand: the fuzz harnesses resolve the layout once per
 * command, and strcmp() there goes through ASan's and libFuzzer's hooks
 * (a fifth of fuzz_commands' time).
 */
static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* What follows prefix in s, or NULL if s does not start with it. */
static const char *after_prefix(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix)
		s++, prefix++;
	return *prefix ? NULL : s;
}

static bool fk_symbol(void *priv, const char *name, uint64_t *addr)
{
	struct fake_kernel *fk = priv;
	size_t i;

	for (i = 0; i < (size_t)fk->nsymbols; i++)
		if (same(fk->symbols[i].name, name)) {
			*addr = fk->symbols[i].addr;
			return true;
		}
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (same(symbols[i].name, name)) {
			*addr = symbols[i].addr;
			return true;
		}
	return false;
}

/* The test's own symbol nearest at or below addr. */
static bool nearest_symbol(const struct fake_kernel *fk, uint64_t addr, char *name,
			   size_t len, uint64_t *offset, char *module, size_t modlen)
{
	const struct fk_sym *best = NULL;
	int i;

	for (i = 0; i < fk->nsymbols; i++)
		if (fk->symbols[i].addr <= addr &&
		    (!best || fk->symbols[i].addr > best->addr))
			best = &fk->symbols[i];
	if (!best)
		return false;
	snprintf(name, len, "%s", best->name);
	snprintf(module, modlen, "%s", "");
	*offset = addr - best->addr;
	return true;
}

static bool fk_addr_symbol(void *priv, uint64_t addr, char *name, size_t len,
			   uint64_t *offset, char *module, size_t modlen)
{
	struct fake_kernel *fk = priv;
	size_t i;

	/* a test's own symbols: functions of symbol_size bytes, or exact */
	for (i = 0; i < (size_t)fk->nsymbols; i++)
		if (addr == fk->symbols[i].addr ||
		    addr - fk->symbols[i].addr < fk->symbol_size) {
			snprintf(name, len, "%s", fk->symbols[i].name);
			snprintf(module, modlen, "%s", "");
			*offset = addr - fk->symbols[i].addr;
			return true;
		}
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
		if (symbols[i].addr == addr) {
			snprintf(name, len, "%s", symbols[i].name);
			snprintf(module, modlen, "%s", symbols[i].module);
			*offset = 0;
			return true;
		}
	return fk->nearest_symbols && nearest_symbol(fk, addr, name, len, offset,
						      module, modlen);
}

/* "type.member" is in the list. */
static bool listed(const char *const *list, int n, const char *type,
		   const char *member)
{
	const char *rest;
	int i;

	for (i = 0; i < n; i++) {
		rest = after_prefix(list[i], type);
		if (rest && *rest == '.' && same(rest + 1, member))
			return true;
	}
	return false;
}

/* Hidden by the test or by the profile: the member, or its whole type. */
static bool hidden(struct fake_kernel *fk, const char *type, const char *member)
{
	const struct fk_profile *p;

	if (listed(fk->hidden_members, fk->nhidden, type, member) ||
	    listed(fk->hidden_members, fk->nhidden, type, ""))
		return true;
	for (p = fk->profile; p; p = p->base)
		if (listed(p->hidden, p->nhidden, type, member) ||
		    listed(p->hidden, p->nhidden, type, ""))
			return true;
	return false;
}

static const struct fk_member *profile_member(const struct fk_profile *p,
					      const char *type, const char *member)
{
	size_t i;

	for (; p; p = p->base)
		for (i = 0; i < p->nmembers; i++)
			if (same(p->members[i].type, type) &&
			    same(p->members[i].member, member))
				return &p->members[i];
	return NULL;
}

static const struct fk_member *find_member(struct fake_kernel *fk,
					   const char *type, const char *member)
{
	const struct fk_member *m;
	size_t i;

	if (hidden(fk, type, member))
		return NULL;
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		if (same(members[i].type, type) && same(members[i].member, member))
			return &members[i];
	m = profile_member(fk->profile, type, member);
	if (m)
		return m;
	/* a member the test "kernel" gained; its offset does not matter */
	if (listed(fk->added_members, fk->nadded, type, member))
		return &members[0];
	return NULL;
}

/* The profile's offset of a slab field in struct page, else 6.1's. */
static long slab_field(const struct fake_kernel *fk, const char *member,
		       long offset_6_1)
{
	const struct fk_member *m = profile_member(fk->profile, "page", member);

	return m ? m->offset : offset_6_1;
}

/* enum pageflags PG_slab of the profile's kernel. */
static int profile_pg_slab(const struct fake_kernel *fk)
{
	const struct fk_profile *p;

	for (p = fk->profile; p; p = p->base)
		if (p->pg_slab)
			return p->pg_slab;
	return FK_PG_SLAB;
}

static long fk_type_size(void *priv, const char *type)
{
	struct fake_kernel *fk = priv;
	const struct fk_profile *p;
	size_t i;

	if (hidden(priv, type, ""))
		return -1;
	if (fk->typed && same(fk->typed, type))
		return fk->typed_size;
	for (p = fk->profile; p; p = p->base)
		for (i = 0; i < p->ntypes; i++)
			if (same(p->types[i].type, type))
				return p->types[i].size;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (same(types[i].type, type))
			return types[i].size;
	return -1;
}

static bool fk_member_at(void *priv, const char *type, uint64_t offset, char *path,
			 size_t len)
{
	static const struct { uint64_t off, size; const char *name; bool array; } m[] = {
		{ 0, 8, "next", false }, { 8, 8, "prev", false }, { 16, 8, "dev", false },
		{ 40, 48, "cb", true }, { 200, 8, "head", false }, { 208, 8, "data", false },
	};
	struct fake_kernel *fk = priv;
	size_t i;

	if (!fk->member_names || !fk->typed || !same(type, fk->typed))
		return false;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		uint64_t rel = offset - m[i].off;

		if (offset < m[i].off || rel >= m[i].size)
			continue;
		if (m[i].array)
			return snprintf(path, len, "%s[%llu]", m[i].name,
					(unsigned long long)rel) < (int)len;
		if (rel)
			return snprintf(path, len, "%s+%llu", m[i].name,
					(unsigned long long)rel) < (int)len;
		return snprintf(path, len, "%s", m[i].name) < (int)len;
	}
	return false;
}

static long fk_member_offset(void *priv, const char *type, const char *member)
{
	const struct fk_member *m = find_member(priv, type, member);

	return m ? m->offset : -1;
}

static long fk_member_size(void *priv, const char *type, const char *member)
{
	const struct fk_member *m = find_member(priv, type, member);

	return m ? m->size : -1;
}

static bool fk_member_bits(void *priv, const char *type, const char *member,
			   uint64_t *bit_offset, unsigned int *bits)
{
	struct fake_kernel *fk = priv;
	int i;

	if (!find_member(fk, type, member))
		return false;
	for (i = 0; i < fk->nbits; i++)
		if (same(fk->bits[i].type, type) && same(fk->bits[i].member, member)) {
			*bit_offset = fk->bits[i].shift;
			*bits = fk->bits[i].bits;
			return true;
		}
	return false;
}

static bool fk_enum_value(void *priv, const char *name, long *value)
{
	struct fake_kernel *fk = priv;
	int i;

	if (fk->extra_enum && same(name, fk->extra_enum)) {
		*value = fk->extra_enum_value;
		return true;
	}
	for (i = 0; i < fk->nenums; i++)
		if (same(name, fk->enums[i].name)) {
			*value = fk->enums[i].value;
			return true;
		}
	if (same(name, "PG_slab") && fk->pg_slab_value >= 0) {
		*value = fk->pg_slab_value;
		return true;
	}
	if (same(name, "N_POSSIBLE") || same(name, "N_NORMAL_MEMORY")) {
		*value = name[2] == 'P' ? FK_N_POSSIBLE : FK_N_NORMAL_MEMORY;
		return true;
	}
	return false;
}

static uint64_t fk_phys_end(void *priv)
{
	return ((struct fake_kernel *)priv)->phys_end;
}

static void *fk_alloc(struct lx_target *t, size_t size)
{
	struct fake_kernel *fk = t->host_priv;
	void *p = calloc(1, size);

	if (p)	/* atomic: the core's threads allocate (slabpipe.c) */
		__atomic_add_fetch(&fk->live_allocs, 1, __ATOMIC_RELAXED);
	return p;
}

static void fk_release(struct lx_target *t, void *ptr)
{
	struct fake_kernel *fk = t->host_priv;

	__atomic_sub_fetch(&fk->live_allocs, 1, __ATOMIC_RELAXED);
	free(ptr);
}

static void fk_message(struct lx_target *t, enum lx_msg_level level,
		       const char *text)
{
	struct fake_kernel *fk = t->host_priv;
	size_t used = strlen(fk->messages);

	(void)level;
	snprintf(fk->messages + used, sizeof(fk->messages) - used, "%s\n", text);
}

static bool fk_interrupted(struct lx_target *t)
{
	struct fake_kernel *fk = t->host_priv;

	return ++fk->polls >= fk->interrupt_at && fk->interrupt_at;
}

static bool fk_vmcoreinfo(void *priv, const char *key, char *buf, size_t len)
{
	struct fake_kernel *fk = priv;
	size_t n = strlen(key);
	int i;

	for (i = 0; i < fk->nvmcoreinfo; i++)
		if (!strncmp(fk->vmcoreinfo[i], key, n) && fk->vmcoreinfo[i][n] == '=')
			return snprintf(buf, len, "%s", fk->vmcoreinfo[i] + n + 1) < (int)len;
	return false;
}

static const struct lx_dump_ops fk_dump_ops = {
	.read = fk_read, .symbol = fk_symbol, .addr_symbol = fk_addr_symbol,
	.type_size = fk_type_size, .member_offset = fk_member_offset,
	.member_size = fk_member_size, .enum_value = fk_enum_value,
	.member_bits = fk_member_bits,
	.phys_end = fk_phys_end, .member_at = fk_member_at,
	.vmcoreinfo = fk_vmcoreinfo,
};

#define ARM64_PAGE_OFFSET 0xffff000000000000ULL	/* -(1 << 48) */
#define FK_KIMAGE_VOFFSET 0xffffffff7f000000ULL
#define FK_ARM64_STEXT 0xffffffff81000000ULL		/* upper half: flipped */

static void fk_vmcoreinfo_line(struct fake_kernel *fk, const char *key, uint64_t value)
{
	snprintf(fk->vmcoreinfo[fk->nvmcoreinfo++], sizeof(fk->vmcoreinfo[0]),
		 "%s=%#llx", key, (unsigned long long)value);
}

void fk_arm64(struct fake_kernel *fk)
{
	uint64_t phys_offset = ARM64_PAGE_OFFSET - FK_PAGE_OFFSET;
	int64_t first_pfn = (int64_t)phys_offset >> 12;
	uint64_t page = (uint64_t)fk_type_size(fk, "page");

	fk->nvmcoreinfo = 0;
	snprintf(fk->vmcoreinfo[fk->nvmcoreinfo++], sizeof(fk->vmcoreinfo[0]), "PAGESIZE=4096");
	snprintf(fk->vmcoreinfo[fk->nvmcoreinfo++], sizeof(fk->vmcoreinfo[0]),
		 "SYMBOL(_stext)=%llx", (unsigned long long)FK_ARM64_STEXT);
	snprintf(fk->vmcoreinfo[fk->nvmcoreinfo++], sizeof(fk->vmcoreinfo[0]), "NUMBER(VA_BITS)=48");
	fk_vmcoreinfo_line(fk, "NUMBER(PHYS_OFFSET)", phys_offset);
	fk_vmcoreinfo_line(fk, "NUMBER(kimage_voffset)", FK_KIMAGE_VOFFSET);
	fk_vmcoreinfo_line(fk, "NUMBER(VMEMMAP_START)", FK_VMEMMAP + (uint64_t)first_pfn * page);
	fk_vmcoreinfo_line(fk, "NUMBER(VMEMMAP_END)", FK_VMEMMAP + (1ULL << 40));
	fk_vmcoreinfo_line(fk, "NUMBER(MODULES_VADDR)", 0xffffffffc0000000ULL);
	fk_vmcoreinfo_line(fk, "NUMBER(MODULES_END)", 0xffffffffff000000ULL);
}

struct fk_thread {
	pthread_t id;
	void (*fn)(void *arg);
	void *arg;
};

static void *fk_thread_main(void *arg)
{
	struct fk_thread *th = arg;

	th->fn(th->arg);
	return NULL;
}

static void *fk_thread_start(struct lx_target *t, void (*fn)(void *arg), void *arg)
{
	struct fake_kernel *fk = t->host_priv;
	struct fk_thread *th = calloc(1, sizeof(*th));

	if (!th)
		return NULL;
	th->fn = fn;
	th->arg = arg;
	if (pthread_create(&th->id, NULL, fk_thread_main, th)) {
		free(th);
		return NULL;
	}
	fk->threads_started++;
	return th;
}

static void *fk_thread_decline(struct lx_target *t, void (*fn)(void *arg), void *arg)
{
	(void)t;
	(void)fn;
	(void)arg;
	return NULL;
}

static void fk_thread_join(struct lx_target *t, void *thread)
{
	struct fk_thread *th = thread;

	(void)t;
	pthread_join(th->id, NULL);
	free(th);
}

#define FK_HOST_OPS							\
	.alloc = fk_alloc, .release = fk_release, .message = fk_message,	\
	.interrupted = fk_interrupted

static const struct lx_host_ops fk_host_ops = { FK_HOST_OPS };
static const struct lx_host_ops fk_host_ops_declining = {
	FK_HOST_OPS, .thread_start = fk_thread_decline, .thread_join = fk_thread_join,
};
static const struct lx_host_ops fk_host_ops_threads = {
	FK_HOST_OPS, .thread_start = fk_thread_start, .thread_join = fk_thread_join,
};

void fk_set_threads(struct fake_kernel *fk, enum fk_threads threads)
{
	fk->target.host = threads == FK_THREADS ? &fk_host_ops_threads :
			  threads == FK_THREADS_DECLINED ? &fk_host_ops_declining :
			  &fk_host_ops;
}

void fk_region(struct fake_kernel *fk, uint64_t addr, size_t size)
{
	struct fk_region *r = &fk->regions[fk->nregions++];

	r->addr = addr;
	r->size = size;
	r->bytes = calloc(1, size);
}

void fk_add_symbol(struct fake_kernel *fk, const char *name, uint64_t addr)
{
	if (fk->nsymbols == FK_MAX_SYMBOLS)
		abort();
	fk->symbols[fk->nsymbols].name = name;
	fk->symbols[fk->nsymbols++].addr = addr;
}

void fk_drop_region(struct fake_kernel *fk, uint64_t addr)
{
	int i;

	for (i = 0; i < fk->nregions; i++)
		if (fk->regions[i].addr == addr) {
			free(fk->regions[i].bytes);
			fk->regions[i] = fk->regions[--fk->nregions];
			return;
		}
}

void fk_write(struct fake_kernel *fk, uint64_t addr, const void *bytes, size_t len)
{
	struct fk_region *r = find_region(fk, addr, len);

	if (!r)
		abort();	/* a test wrote where its kernel has no memory */
	memcpy(r->bytes + (addr - r->addr), bytes, len);
}

void fk_w64(struct fake_kernel *fk, uint64_t addr, uint64_t val)
{
	fk_write(fk, addr, &val, sizeof(val));
}

void fk_w32(struct fake_kernel *fk, uint64_t addr, uint32_t val)
{
	fk_write(fk, addr, &val, sizeof(val));
}

void fk_hide_member(struct fake_kernel *fk, const char *type_dot_member)
{
	fk->hidden_members[fk->nhidden++] = type_dot_member;
}

void fk_set_cache_name(struct fake_kernel *fk, const char *name)
{
	char buf[64] = { 0 };

	snprintf(buf, sizeof(buf), "%s", name);
	fk_write(fk, NAME_ADDR, buf, sizeof(buf));
}

void fk_typed(struct fake_kernel *fk, const char *type, long size, bool member_names)
{
	fk->typed = type;
	fk->typed_size = size;
	fk->member_names = member_names;
}

void fk_add_member(struct fake_kernel *fk, const char *type_dot_member)
{
	fk->added_members[fk->nadded++] = type_dot_member;
}

uint64_t fk_page(unsigned long pfn)
{
	return FK_VMEMMAP + pfn * 64;
}

uint64_t fk_slab_mem(unsigned long pfn)
{
	return FK_PAGE_OFFSET + pfn * FK_PAGE_SIZE;
}

uint64_t fk_obj(unsigned long pfn, unsigned int index)
{
	return fk_slab_mem(pfn) + (uint64_t)index * FK_OBJ_SIZE;
}

static void init_globals(struct fake_kernel *fk)
{
	int cpu;

	fk_region(fk, SYM_SLAB_CACHES, 0x1000);
	fk_w64(fk, SYM_SLAB_CACHES, FK_CACHE + 104);	/* one cache */
	fk_w64(fk, SYM_SLAB_CACHES + 8, FK_CACHE + 104);
	fk_w32(fk, SYM_NR_CPU_IDS, FK_NR_CPUS);
	for (cpu = 0; cpu < FK_NR_CPUS; cpu++)
		fk_w64(fk, SYM_PER_CPU_OFFSET + 8 * cpu, FK_PERCPU_BASE + cpu * 0x1000);
	fk_w32(fk, SYM_NR_NODE_IDS, 1);
	fk_w64(fk, SYM_VMEMMAP_BASE, FK_VMEMMAP);
	fk_w64(fk, SYM_PAGE_OFFSET_BASE, FK_PAGE_OFFSET);
	fk_w64(fk, SYM_MAX_PFN, FK_MAX_PFN);
	fk_w64(fk, SYM_CPU_POSSIBLE, (1u << FK_NR_CPUS) - 1);
	fk_w64(fk, SYM_NODE_STATES + 8 * FK_N_POSSIBLE, 1);
	fk_w64(fk, SYM_NODE_STATES + 8 * FK_N_NORMAL_MEMORY, 1);
	/*
	 * Each cpu's unit, and the units' window holding kmem_cache_cpu and
	 * the sheaves: two small regions, not one of 264 KiB (freed, a large
	 * allocation costs ASan a madvise and a TLB flush; the fuzz harnesses
	 * make one per input).
	 */
	fk_region(fk, FK_PERCPU_BASE, 0x1000 * FK_NR_CPUS);
	fk_region(fk, FK_PERCPU_BASE + FK_CPU_SLAB, 0x1000 * (FK_NR_CPUS + 1));
}

static void init_cache(struct fake_kernel *fk)
{
	fk_region(fk, FK_CACHE, 248);
	fk_w64(fk, FK_CACHE + 0, FK_CPU_SLAB);
	fk_w32(fk, FK_CACHE + 24, FK_OBJ_SIZE);
	fk_w32(fk, FK_CACHE + 28, FK_OBJ_SIZE);
	fk_w32(fk, FK_CACHE + 40, FK_FREEPTR_OFFSET);
	fk_w32(fk, FK_CACHE + 52, (0u << 16) | FK_OBJS);
	fk_w32(fk, FK_CACHE + 56, (0u << 16) | FK_OBJS);
	fk_w32(fk, FK_CACHE + 80, FK_OBJ_SIZE);
	fk_w64(fk, FK_CACHE + 96, NAME_ADDR);
	fk_w64(fk, FK_CACHE + 104, SYM_SLAB_CACHES);	/* list.next: back to head */
	fk_w64(fk, FK_CACHE + 112, SYM_SLAB_CACHES);	/* list.prev */
	fk_w64(fk, FK_CACHE + 184, FK_RANDOM);
	fk_w64(fk, FK_CACHE + 216, FK_NODE);
	fk_region(fk, NAME_ADDR, 64);
	memcpy(find_region(fk, NAME_ADDR, 16)->bytes, "kmalloc-512", 12);
	fk_region(fk, FK_NODE, 128);	/* room for 6.18's barn pointer */
	fk_w64(fk, FK_NODE + 16, FK_NODE + 16);		/* empty partial */
	fk_w64(fk, FK_NODE + 48, FK_NODE + 48);		/* empty full */
}

void fk_init(struct fake_kernel *fk, enum lx_freeptr_mode encoding)
{
	memset(fk, 0, sizeof(*fk));
	fk->target.dump = &fk_dump_ops;
	fk->target.dump_priv = fk;
	fk->target.host = &fk_host_ops;
	fk->target.host_priv = fk;
	fk->out = open_memstream(&fk->outbuf, &fk->outlen);
	fk->target.out = fk->out;
	fk->encoding = encoding;
	fk->pg_slab_value = FK_PG_SLAB;
	if (encoding == LX_FP_PLAIN)
		fk_hide_member(fk, "kmem_cache.random");
	init_globals(fk);
	init_cache(fk);
	fk_region(fk, FK_VMEMMAP, FK_MAX_PFN * 64);
}

void fk_fini(struct fake_kernel *fk)
{
	while (fk->nregions)
		fk_drop_region(fk, fk->regions[0].addr);
	fclose(fk->out);
	free(fk->outbuf);
}

void fk_add_slab(struct fake_kernel *fk, unsigned long pfn, unsigned int inuse,
		 bool frozen)
{
	uint64_t page = fk_page(pfn);

	fk_w64(fk, page + 0, 1ULL << profile_pg_slab(fk));
	fk_w64(fk, page + slab_field(fk, "slab_cache", 24), FK_CACHE);
	fk_w64(fk, page + slab_field(fk, "counters", 40),
	       inuse | (FK_OBJS << 16) | ((uint64_t)frozen << 31));
	fk_region(fk, fk_slab_mem(pfn), FK_PAGE_SIZE);
}

static uint64_t encode(struct fake_kernel *fk, uint64_t next, uint64_t slot)
{
	switch (fk->encoding) {
	case LX_FP_XOR:
		return next ^ FK_RANDOM ^ slot;
	case LX_FP_XOR_SWAB:
		return next ^ FK_RANDOM ^ __builtin_bswap64(slot);
	default:
		return next;
	}
}

uint64_t fk_chain(struct fake_kernel *fk, unsigned long pfn,
		  const unsigned int *index, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		uint64_t slot = fk_obj(pfn, index[i]) + FK_FREEPTR_OFFSET;
		uint64_t next = i + 1 < n ? fk_obj(pfn, index[i + 1]) : 0;

		fk_w64(fk, slot, encode(fk, next, slot));
	}
	return n ? fk_obj(pfn, index[0]) : 0;
}

void fk_set_slab_freelist(struct fake_kernel *fk, unsigned long pfn, uint64_t head)
{
	fk_w64(fk, fk_page(pfn) + slab_field(fk, "freelist", 32), head);
}

void fk_set_cpu(struct fake_kernel *fk, int cpu, unsigned long slab_pfn,
		uint64_t freelist, unsigned long partial_pfn)
{
	uint64_t kcc = FK_CPU_SLAB + FK_PERCPU_BASE + cpu * 0x1000;

	fk_w64(fk, kcc + 0, freelist);
	fk_w64(fk, kcc + 16, slab_pfn ? fk_page(slab_pfn) : 0);
	fk_w64(fk, kcc + 24, partial_pfn ? fk_page(partial_pfn) : 0);
}

void fk_set_partial_next(struct fake_kernel *fk, unsigned long pfn,
			 unsigned long next_pfn)
{
	fk_w64(fk, fk_page(pfn) + slab_field(fk, "next", 8),
	       next_pfn ? fk_page(next_pfn) : 0);
}

void fk_node_list(struct fake_kernel *fk, bool full, const unsigned long *pfns)
{
	uint64_t head = FK_NODE + (full ? 48 : 16), prev = head;
	long link = slab_field(fk, "lru", 8);
	unsigned long n = 0;

	for (; *pfns; pfns++, n++) {
		fk_w64(fk, prev, fk_page(*pfns) + link);
		prev = fk_page(*pfns) + link;
	}
	fk_w64(fk, prev, head);
	if (!full)
		fk_w64(fk, FK_NODE + 8, n);
}

void fk_set_node_nr_slabs(struct fake_kernel *fk, uint64_t n)
{
	fk_w64(fk, FK_NODE + 32, n);
	fk_w64(fk, FK_NODE + 40, n * FK_OBJS);	/* total_objects */
}

/* 7.1: node 0's kmem_cache_node pointer moves into kmem_cache.per_node[0]. */
static void use_per_node(struct fake_kernel *fk)
{
	fk_w64(fk, FK_CACHE + 216, 0);		/* per_node[0].barn */
	fk_w64(fk, FK_CACHE + 224, FK_NODE);	/* per_node[0].node */
}

bool fk_profile(struct fake_kernel *fk, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (same(profiles[i].name, name)) {
			fk->profile = &profiles[i];
			fk->pg_slab_value = profile_pg_slab(fk);
			fk_region(fk, FK_SHEAVES, FK_SHEAF_STRIDE * FK_NR_SHEAVES);
			fk_region(fk, FK_BARN, FK_BARN_STRIDE * FK_MAX_NODES);
			if (fk->profile->per_node)
				use_per_node(fk);
			return true;
		}
	return false;
}

bool fk_set_page_field(struct fake_kernel *fk, unsigned long pfn,
		       const char *member, uint64_t value)
{
	const struct fk_member *m = find_member(fk, "page", member);

	if (!m)		/* 5.17+: struct slab overlays struct page */
		m = find_member(fk, "slab", member);
	if (!m || (m->size != 4 && m->size != 8))
		return false;
	if (m->size == 4)
		fk_w32(fk, fk_page(pfn) + m->offset, (uint32_t)value);
	else
		fk_w64(fk, fk_page(pfn) + m->offset, value);
	return true;
}

void fk_set_nodes(struct fake_kernel *fk, unsigned int n)
{
	if (n > FK_MAX_NODES)
		abort();
	fk_w32(fk, SYM_NR_NODE_IDS, n);
	fk_w64(fk, SYM_NODE_STATES + 8 * FK_N_POSSIBLE, (1u << n) - 1);
}

void fk_set_sheaves(struct fake_kernel *fk, uint32_t capacity)
{
	fk_w64(fk, FK_CACHE + 16, FK_CPU_SHEAVES);
	fk_w32(fk, FK_CACHE + 64, capacity);
}

void fk_set_sheaf_size(struct fake_kernel *fk, uint64_t sheaf, uint32_t size)
{
	fk_w32(fk, sheaf + 24, size);
}

uint64_t fk_sheaf(struct fake_kernel *fk, int slot, const uint64_t *objs,
		  uint32_t n)
{
	uint64_t sheaf = FK_SHEAVES + (uint64_t)slot * FK_SHEAF_STRIDE;
	uint32_t i;

	fk_w64(fk, sheaf + 16, FK_CACHE);
	fk_set_sheaf_size(fk, sheaf, n);
	for (i = 0; i < n; i++)
		fk_w64(fk, sheaf + 32 + 8 * i, objs[i]);
	return sheaf;
}

void fk_set_cpu_sheaves(struct fake_kernel *fk, int cpu, uint64_t main,
			uint64_t spare)
{
	uint64_t pcs = FK_CPU_SHEAVES + FK_PERCPU_BASE + cpu * 0x1000;

	fk_w64(fk, pcs + 8, main);
	fk_w64(fk, pcs + 16, spare);
}

/* Where the profile keeps node's barn pointer. */
static uint64_t barn_pointer(struct fake_kernel *fk, unsigned int node)
{
	if (fk->profile->per_node)
		return FK_CACHE + 216 + 16 * node;
	if (node)
		abort();	/* only node 0 has a kmem_cache_node here */
	return FK_NODE + 64;
}

uint64_t fk_barn_full(struct fake_kernel *fk, unsigned int node,
		      const uint64_t *sheaves, int n)
{
	uint64_t barn = FK_BARN + node * FK_BARN_STRIDE;
	uint64_t head = barn + 8, prev = head;
	int i;

	fk_w64(fk, barn_pointer(fk, node), barn);
	for (i = 0; i < n; i++) {
		fk_w64(fk, prev, sheaves[i]);	/* barn_list at offset 0 */
		prev = sheaves[i];
	}
	fk_w64(fk, prev, head);
	fk_w64(fk, barn + 24, barn + 24);	/* no empty sheaves */
	fk_w32(fk, barn + 40, n);
	return barn;
}
