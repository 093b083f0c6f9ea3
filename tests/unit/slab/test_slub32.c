// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The i386 row and the SLUB walker on a synthetic 32-bit kernel
 * (fake32.h): 4-byte pointers, unsigned longs and free pointers, the
 * hardened encodings with a 32-bit swab, FLATMEM's mem_map, highmem.
 *
 *   cpu 1:  slab pfn 20 (frozen), lockless freelist 0 -> 2, its own 7
 *           partial chain pfn 21 (free 4) -> pfn 22 (free 1, 2)
 *   node 0: partial pfn 30 (free 3, 5, 9)
 *   on no list: pfn 31 full; pfn 32 another cache's; pfn 0x3800, a
 *           highmem page marked as a slab of this cache: never a slab
 */
#include <string.h>

#include "fake32.h"
#include "unit.h"

#define HIGHMEM_PFN 0x3800
#define LIVE (13 + 15 + 14 + 13 + 16)
#define FREE (3 + 1 + 2 + 3)

struct run32 {
	struct fake32 k;
	struct lx_session s;
	struct lx_cache cache;
	struct lx_scan scan;
};

static void setup(struct run32 *r, enum lx_freeptr_mode encoding)
{
	memset(r, 0, sizeof(*r));
	f32_init(&r->k, encoding);
	r->s.t = &r->k.target;
}

static bool teardown(struct run32 *r)
{
	bool clean;

	lx_scan_free(&r->s, &r->scan);
	lx_session_fini(&r->s);
	clean = r->k.live_allocs == 0;
	f32_fini(&r->k);
	return clean;
}

static enum lx_status scan(struct run32 *r)
{
	enum lx_status ret = lx_layout_init(&r->s);

	if (!ret)
		ret = lx_cache_read(&r->s, F32_CACHE, &r->cache);
	if (!ret)
		ret = lx_scan_cache(&r->s, &r->cache, &r->scan);
	return ret;
}

static const struct lx_slab *slab_of(const struct lx_scan *scan, unsigned long pfn)
{
	size_t i;

	for (i = 0; i < scan->nslabs; i++)
		if (scan->slabs[i].addr == f32_page(pfn))
			return &scan->slabs[i];
	return NULL;
}

static void slabs32(struct fake32 *k)
{
	static const unsigned int cpu_free[] = { 0, 2 }, remote_free[] = { 7 };
	static const unsigned int p1_free[] = { 4 }, p2_free[] = { 1, 2 };
	static const unsigned int node_free[] = { 3, 5, 9 };
	static const unsigned long partial[] = { 30, 0 };

	f32_add_slab(k, 20, F32_OBJS - 1, true);
	f32_set_cpu(k, 1, 20, f32_chain(k, 20, cpu_free, 2), 21);
	f32_set_slab_freelist(k, 20, f32_chain(k, 20, remote_free, 1));
	f32_add_slab(k, 21, F32_OBJS - 1, false);
	f32_set_slab_freelist(k, 21, f32_chain(k, 21, p1_free, 1));
	f32_set_partial_next(k, 21, 22);
	f32_add_slab(k, 22, F32_OBJS - 2, false);
	f32_set_slab_freelist(k, 22, f32_chain(k, 22, p2_free, 2));
	f32_add_slab(k, 30, F32_OBJS - 3, false);
	f32_set_slab_freelist(k, 30, f32_chain(k, 30, node_free, 3));
	f32_node_partial(k, partial);
	f32_add_slab(k, 31, F32_OBJS, false);
	f32_add_slab_of(k, F32_OTHER_CACHE, 32, F32_OBJS);
	f32_add_slab(k, HIGHMEM_PFN, F32_OBJS, false);
	f32_set_node_nr_slabs(k, 5);
}

static bool test_i386_row(void)
{
	struct run32 r;
	const struct lx_arch *a = &r.s.arch;

	setup(&r, LX_FP_XOR_SWAB);
	CHECK(lx_layout_init(&r.s) == LX_OK);
	CHECK(!strcmp(a->name, "i386") && a->word_size == 4);
	CHECK(r.k.target.word_size == 4);
	CHECK(a->direct_map_base == F32_PAGE_OFFSET);
	CHECK(a->direct_map_end == F32_PAGE_OFFSET + ((uint64_t)F32_MAX_LOW_PFN << 12));
	CHECK(a->vmemmap_base == F32_MEM_MAP);
	CHECK(a->vmemmap_span == (uint64_t)F32_MAX_PFN * F32_PAGE_STRUCT);
	CHECK(a->vmalloc_start == a->direct_map_end + (8 << 20) &&
	      a->vmalloc_end == (1ULL << 32) - (8 << 20));
	CHECK(a->kernel_map_base == 0xc1000000ULL && a->kernel_map_end == 0xc1800000ULL);
	CHECK(a->thread_size == 8192 && a->page_size == 4096);
	/* the kernel model's words: 4 bytes each, the JUNK after them unread */
	CHECK(r.s.K.max_pfn == F32_MAX_PFN);
	CHECK(r.s.K.nr_cpus == F32_NR_CPUS && r.s.K.nr_nodes == 1);
	CHECK(r.s.K.cpu_offsets[0] == F32_PERCPU_BASE &&
	      r.s.K.cpu_offsets[1] == F32_PERCPU_BASE + 0x1000);
	CHECK(r.s.K.cpu_possible && r.s.K.cpu_possible[0] == 3);
	CHECK(r.s.K.node_normal && r.s.K.node_normal[0] == 1);
	CHECK(r.s.K.direct_map_end == a->direct_map_end);
	CHECK(lx_pfn_mapped(&r.s.K, F32_MAX_LOW_PFN - 1) &&
	      !lx_pfn_mapped(&r.s.K, F32_MAX_LOW_PFN));
	CHECK(r.s.L.kc_node_stride == 4 && r.s.L.kc_node_slots == 1);
	CHECK(lx_cache_read(&r.s, F32_CACHE, &r.cache) == LX_OK);
	CHECK(!strcmp(r.cache.name, "kmalloc-256"));
	CHECK(r.cache.cpu_slab == F32_CPU_SLAB && r.cache.random == F32_RANDOM);
	CHECK(r.cache.size == F32_OBJ_SIZE && r.cache.offset == F32_FREEPTR_OFFSET);
	CHECK(teardown(&r));
	return unit_ok();
}

/* PAGE_OFFSET follows the kernel's high_memory and max_low_pfn (VMSPLIT_2G here). */
static bool test_i386_page_offset_from_variables(void)
{
	struct lx_arch a;
	struct fake32 k;
	uint64_t high;

	f32_init(&k, LX_FP_PLAIN);
	CHECK(lx_symbol(&k.target, "high_memory", &high));
	f32_w32(&k, high, 0x80000000u + (F32_MAX_LOW_PFN << 12));
	CHECK(lx_arch_probe(&k.target, &a) && !strcmp(a.name, "i386"));
	CHECK(a.direct_map_base == 0x80000000ULL && a.kernel_space_base == 0x80000000ULL);
	/* variables that do not make a PAGE_OFFSET leave the default split */
	f32_w32(&k, high, 0x12345678u);
	CHECK(lx_arch_probe(&k.target, &a) && a.direct_map_base == F32_PAGE_OFFSET);
	CHECK(a.direct_map_end == F32_PAGE_OFFSET + ((uint64_t)F32_MAX_LOW_PFN << 12));
	f32_fini(&k);
	return unit_ok();
}

/* Without FLATMEM's mem_map (and no vmemmap) there is no struct page array. */
static bool test_i386_without_mem_map(void)
{
	struct run32 r;
	int i;

	setup(&r, LX_FP_PLAIN);
	for (i = 0; i < r.k.nsymbols; i++)
		if (!strcmp(r.k.symbols[i].name, "mem_map"))
			r.k.symbols[i].name = "no_mem_map";
	CHECK(lx_layout_init(&r.s) == LX_EABSENT);
	CHECK(strstr(r.k.messages, "struct page array") != NULL);
	CHECK(teardown(&r));
	return unit_ok();
}

static bool walk32_case(enum lx_freeptr_mode encoding)
{
	const struct lx_slab *slab;
	struct run32 r;

	setup(&r, encoding);
	slabs32(&r.k);
	CHECK(scan(&r) == LX_OK);
	CHECK(r.scan.fp_mode == encoding);
	CHECK(r.scan.nslabs == 5 && r.scan.total == 5 * F32_OBJS);
	CHECK(r.scan.live == LIVE && r.scan.free == FREE);
	CHECK(r.scan.by_source[LX_SRC_CPU] == 1 && r.scan.by_source[LX_SRC_CPU_PARTIAL] == 2);
	CHECK(r.scan.by_source[LX_SRC_NODE_PARTIAL] == 1);
	CHECK(r.scan.by_source[LX_SRC_MEMMAP] == 1 && slab_of(&r.scan, 31));
	CHECK(r.scan.used_memmap && !slab_of(&r.scan, HIGHMEM_PFN) && !slab_of(&r.scan, 32));
	slab = slab_of(&r.scan, 20);
	CHECK(slab && slab->cpu == 1 && slab->nfree == 3 &&
	      slab->base == f32_slab_mem(20));
	CHECK(slab && lx_object_is_free(&r.scan, slab, 0) &&
	      lx_object_is_free(&r.scan, slab, 2) && lx_object_is_free(&r.scan, slab, 7) &&
	      !lx_object_is_free(&r.scan, slab, 1));
	slab = slab_of(&r.scan, 30);
	CHECK(slab && slab->nfree == 3 && lx_object_is_free(&r.scan, slab, 9) &&
	      !lx_object_is_free(&r.scan, slab, 8));
	CHECK(lx_integrity_ok(&r.scan.integrity));
	CHECK(!r.s.flagged);
	CHECK(teardown(&r));
	return unit_ok();
}

static bool test_walk32_swab(void)
{
	return walk32_case(LX_FP_XOR_SWAB);
}

static bool test_walk32_xor(void)
{
	return walk32_case(LX_FP_XOR);
}

static bool test_walk32_plain(void)
{
	return walk32_case(LX_FP_PLAIN);
}

/*
 * A free pointer encoded with a 64-bit swab of its address, as a 64-bit
 * kernel would: on a 32-bit kernel no encoding verifies, and the slab
 * is flagged rather than counted.
 */
static bool test_walk32_wrong_swab_flagged(void)
{
	static const unsigned long partial[] = { 30, 0 };
	static const unsigned int node_free[] = { 3, 5 };
	uint64_t slot = f32_obj(30, 3) + F32_FREEPTR_OFFSET;
	uint64_t stored = f32_obj(30, 5) ^ F32_RANDOM ^ __builtin_bswap64(slot);
	struct run32 r;

	setup(&r, LX_FP_XOR_SWAB);
	f32_add_slab(&r.k, 30, F32_OBJS - 2, false);
	f32_set_slab_freelist(&r.k, 30, f32_chain(&r.k, 30, node_free, 2));
	f32_w32(&r.k, slot, (uint32_t)stored);
	f32_node_partial(&r.k, partial);
	f32_set_node_nr_slabs(&r.k, 1);
	CHECK(scan(&r) == LX_OK);
	CHECK(r.scan.fp_mode == LX_FP_BROKEN && r.scan.bad_slabs == 1);
	CHECK(!lx_integrity_ok(&r.scan.integrity) && r.s.flagged);
	CHECK(teardown(&r));
	return unit_ok();
}

const struct unit_test slub32_tests[] = {
	{ "i386: the row from the kernel's variables, 4-byte words", test_i386_row },
	{ "i386: PAGE_OFFSET from high_memory and max_low_pfn", test_i386_page_offset_from_variables },
	{ "i386: no mem_map, no walk", test_i386_without_mem_map },
	{ "SLUB 32-bit: hardened (32-bit swab) freelists, exact live set", test_walk32_swab },
	{ "SLUB 32-bit: hardened (xor) freelists, exact live set", test_walk32_xor },
	{ "SLUB 32-bit: plain freelists, exact live set", test_walk32_plain },
	{ "SLUB 32-bit: a 64-bit swab does not decode, flagged", test_walk32_wrong_swab_flagged },
	{ NULL, NULL },
};
