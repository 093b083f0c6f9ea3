// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the heap index, the root areas and the reachability pass
 * (heap.h, roots.h, refs.h) on a synthetic kernel: two slabs of
 * kmalloc-512 and a small .data and .bss.
 *
 *   .data:  leak_root -> A, then a word -> F (free), then one outside
 *   A (pfn 10, #0)  +16 -> B + 40	(interior pointer)
 *   B (pfn 11, #2)  nothing
 *   C (pfn 10, #2)  +0, +8 -> C	(self-pointing list head)
 *   D (pfn 10, #3)  +0 -> E;  E (pfn 10, #4)  +8 -> D	(a cycle)
 *   F (pfn 10, #7)  free, +0 -> H (pfn 11, #6, live)
 *   pfn 11, #5 free; every other object live and zero
 */
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"
#include "fixture.h"
#include "analysis/cachetypes.h"
#include "leakext/leakext.h"
#include "analysis/refs.h"
#include "unit.h"

#define DATA 0xffffffff82100000ULL
#define DATA_LEN 0x100
#define BSS (DATA + 0x1000)
#define BSS_LEN 0x80
#define OUTSIDE 0xffff888000000123ULL	/* direct map, in no slab */

#define OBJ_A fk_obj(10, 0)
#define OBJ_B fk_obj(11, 2)
#define OBJ_C fk_obj(10, 2)
#define OBJ_D fk_obj(10, 3)
#define OBJ_E fk_obj(10, 4)
#define OBJ_F fk_obj(10, 7)
#define OBJ_H fk_obj(11, 6)
/* heap-wide numbers: pfn 10 holds 0-7, pfn 11 8-15 */
#define NUM_A 0
#define NUM_C 2
#define NUM_D 3
#define NUM_E 4
#define NUM_F 7
#define NUM_B 10
#define NUM_G 13	/* the free object of pfn 11 */
#define NUM_H 14
#define NOBJECTS 16
#define NLIVE 14

static void refs_kernel(struct fixture *f)
{
	static const unsigned int free10[] = { 7 }, free11[] = { 5 };
	static const unsigned long partial[] = { 10, 11, 0 };
	struct fake_kernel *fk = &f->fk;

	fx_setup(f, LX_FP_XOR_SWAB);
	fk_add_slab(fk, 10, FK_OBJS - 1, false);
	fk_set_slab_freelist(fk, 10, fk_chain(fk, 10, free10, 1));
	fk_add_slab(fk, 11, FK_OBJS - 1, false);
	fk_set_slab_freelist(fk, 11, fk_chain(fk, 11, free11, 1));
	fk_node_list(fk, false, partial);
	fk_set_node_nr_slabs(fk, 2);

	fk_region(fk, DATA, 0x2000);
	fk_add_symbol(fk, "_sdata", DATA);
	fk_add_symbol(fk, "_edata", DATA + DATA_LEN);
	fk_add_symbol(fk, "__bss_start", BSS);
	fk_add_symbol(fk, "__bss_stop", BSS + BSS_LEN);
	fk_add_symbol(fk, "leak_root", DATA + 8);
	fk_w64(fk, DATA + 8, OBJ_A);
	fk_w64(fk, DATA + 16, OBJ_F);
	fk_w64(fk, DATA + 24, OUTSIDE);

	fk_w64(fk, OBJ_A + 16, OBJ_B + 40);
	fk_w64(fk, OBJ_C + 0, OBJ_C);
	fk_w64(fk, OBJ_C + 8, OBJ_C);
	fk_w64(fk, OBJ_D + 0, OBJ_E);
	fk_w64(fk, OBJ_E + 8, OBJ_D);
	fk_w64(fk, OBJ_F + 0, OBJ_H);
}

/* The kernel above, its layout and an initialised pass. */
static bool reach_setup(struct fixture *f, struct lx_reach *r)
{
	memset(r, 0, sizeof(*r));
	refs_kernel(f);
	if (lx_layout_init(&f->s))
		return false;
	return lx_reach_init(&f->s, r) == LX_OK;
}

static bool reach_teardown(struct fixture *f, struct lx_reach *r)
{
	lx_reach_free(&f->s, r);
	return fx_teardown(f);
}

static bool found_at(const struct lx_heap *h, uint64_t addr, uint64_t number,
		     uint64_t offset, bool live)
{
	struct lx_heap_hit hit;

	memset(&hit, 0, sizeof(hit));
	return lx_heap_find(h, addr, &hit) && hit.number == number &&
	       hit.offset == offset && hit.object == addr - offset &&
	       hit.live == live && hit.index == number % FK_OBJS &&
	       hit.slab && hit.slab->base == fk_slab_mem(10 + number / FK_OBJS) &&
	       hit.cache && !strcmp(hit.cache->cache.name, "kmalloc-512");
}

static bool test_heap_index(void)
{
	const struct lx_heap_cache *hc = NULL;
	struct lx_heap_hit hit;
	struct fixture f;
	struct lx_heap h;
	uint64_t n;

	refs_kernel(&f);
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_heap_build(&f.s, &h) == LX_OK);
	CHECK(h.complete && !h.bad_caches && !h.overlaps);
	CHECK(h.ncaches == 1 && h.nslabs == 2);
	CHECK(h.nobjects == NOBJECTS && h.nlive == NLIVE);
	CHECK(h.lo == fk_slab_mem(10) && h.hi == fk_slab_mem(12));
	CHECK(h.caches[0].live == NLIVE && h.caches[0].total == NOBJECTS &&
	      h.caches[0].ok);

	CHECK(found_at(&h, OBJ_A, NUM_A, 0, true));
	CHECK(found_at(&h, OBJ_B + 40, NUM_B, 40, true));
	CHECK(found_at(&h, OBJ_B + FK_OBJ_SIZE - 1, NUM_B, FK_OBJ_SIZE - 1, true));
	CHECK(found_at(&h, OBJ_F + 100, NUM_F, 100, false));
	CHECK(found_at(&h, fk_obj(11, 5), NUM_G, 0, false));
	CHECK(found_at(&h, fk_slab_mem(12) - 1, 15, FK_OBJ_SIZE - 1, true));
	CHECK(!lx_heap_find(&h, fk_slab_mem(12), &hit));
	CHECK(!lx_heap_find(&h, fk_slab_mem(10) - 1, &hit));
	CHECK(!lx_heap_find(&h, fk_slab_mem(9) + 8, &hit));
	CHECK(!lx_heap_find(&h, OUTSIDE, &hit));
	CHECK(!lx_heap_find(&h, DATA + 8, &hit));
	CHECK(!lx_heap_find(&h, 0, &hit));

	for (n = 0; n < NOBJECTS; n++) {
		uint64_t addr = lx_heap_object_addr(&h, n, &hc);

		CHECK(addr == fk_obj(10 + n / FK_OBJS, n % FK_OBJS));
		CHECK(hc == &h.caches[0]);
		CHECK(lx_heap_find(&h, addr, &hit) && hit.number == n &&
		      hit.offset == 0);
		CHECK(lx_heap_live(&h, n) == (n != NUM_F && n != NUM_G));
	}
	CHECK(lx_heap_object_addr(&h, NOBJECTS, NULL) == 0);
	CHECK(lx_heap_object_addr(&h, UINT64_MAX, NULL) == 0);

	lx_heap_free(&f.s, &h);
	CHECK(!h.caches && !h.slabs && !h.live && !h.nobjects);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

/* A number in [0, n), from a fixed xorshift sequence. */
static uint64_t rnd_below(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

/* lx_heap_find() for addr with and without the coarse index: the same answer. */
static bool same_hit(struct lx_heap *h, uint32_t *granule, uint64_t addr)
{
	struct lx_heap_hit with = { 0 }, without = { 0 };
	bool found_with, found_without;

	h->granule = granule;
	found_with = lx_heap_find(h, addr, &with);
	h->granule = NULL;
	found_without = lx_heap_find(h, addr, &without);
	h->granule = granule;
	return found_with == found_without &&
	       (!found_with || (with.number == without.number && with.offset == without.offset));
}

/* lx_heap_find_near() from *near finds what lx_heap_find() does. */
static bool same_near(const struct lx_heap *h, const struct lx_heap_slab **near,
		      uint64_t addr)
{
	struct lx_heap_hit far = { 0 }, close = { 0 };
	bool found_far = lx_heap_find(h, addr, &far);

	if (lx_heap_find_near(h, near, addr, &close) != found_far)
		return false;
	return !found_far || (close.number == far.number && close.offset == far.offset &&
			      close.slab == far.slab && *near == far.slab);
}

/* The slab holding number, looked up with the index by number and without. */
static bool same_slab(struct lx_heap *h, uint64_t number)
{
	uint32_t *by_number = h->by_number;
	const struct lx_heap_slab *with, *without;

	with = lx_heap_slab_of(h, number);
	h->by_number = NULL;
	without = lx_heap_slab_of(h, number);
	h->by_number = by_number;
	return with == without && (number >= h->nobjects || with);
}

/*
 * The coarse indexes: 4000 slabs with gaps of 0 to 8 MiB (slabs across
 * granule boundaries, granules with none and with many), every slab's
 * ends and random addresses found as a search of all slabs finds them,
 * every object number's slab too; a heap spanning more than 1 << 20
 * granules gets larger ones.
 */
static bool test_heap_granules(void)
{
	const size_t nslabs = 4000, span = (size_t)FK_OBJS * FK_OBJ_SIZE;
	const struct lx_heap_slab *near = NULL, *hint;
	struct lx_heap_slab *slabs;
	struct fixture f;
	struct lx_heap h;
	uint64_t base = fk_slab_mem(10), addr;
	size_t i;

	refs_kernel(&f);
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_heap_build(&f.s, &h) == LX_OK);
	slabs = lx_alloc(f.s.t, nslabs * sizeof(*slabs));
	CHECK(slabs != NULL);
	if (!slabs)
		return unit_ok();
	lx_free(f.s.t, h.slabs);
	lx_free(f.s.t, h.live);
	h.slabs = slabs;
	h.nobjects = (uint64_t)nslabs * FK_OBJS;
	h.live = lx_alloc(f.s.t, h.nobjects / 8 + 1);
	CHECK(h.live != NULL);
	if (!h.live)
		return unit_ok();
	for (i = 0; i < nslabs; i++) {
		slabs[i] = (struct lx_heap_slab){ base, i * FK_OBJS, 0, FK_OBJS };
		base += span + (rnd_below(4) ? 0 : rnd_below(2048) * 4096);
	}
	h.nslabs = nslabs;
	h.lo = slabs[0].base;
	h.hi = base;
	lx_heap_index_granules(&f.s, &h);
	CHECK(h.granule && h.granule_shift == 16);
	CHECK(h.by_number && h.number_shift == 6);
	for (i = 0; i < h.nobjects + 100; i++)
		CHECK(same_slab(&h, i));
	for (i = 0; i < nslabs; i++) {
		CHECK(same_hit(&h, h.granule, slabs[i].base));
		CHECK(same_hit(&h, h.granule, slabs[i].base - 1));
		CHECK(same_hit(&h, h.granule, slabs[i].base + span - 1));
		CHECK(same_hit(&h, h.granule, slabs[i].base + span));
	}
	for (i = 0; i < 100000; i++) {
		addr = h.lo + rnd_below(h.hi - h.lo);
		CHECK(same_hit(&h, h.granule, addr));
		/* from the last slab found, its neighbours and any slab */
		CHECK(same_near(&h, &near, addr));
		CHECK(same_near(&h, &near, addr + rnd_below(3 * span) - span));
		hint = &slabs[rnd_below(nslabs)];
		CHECK(same_near(&h, &hint, addr));
	}
	hint = &slabs[0];
	CHECK(same_near(&h, &hint, h.lo - 1) && same_near(&h, &hint, h.hi) &&
	      same_near(&h, &hint, 0) && same_near(&h, &hint, UINT64_MAX));
	/* slabs of 1 to 100 objects: granules of 64 numbers end inside slabs */
	for (i = 0, addr = 0; i < nslabs; i++) {
		slabs[i].first = addr;
		slabs[i].objects = 1 + (uint32_t)rnd_below(100);
		addr += slabs[i].objects;
	}
	h.nobjects = addr;
	lx_free(f.s.t, h.live);
	h.live = lx_alloc(f.s.t, h.nobjects / 8 + 1);
	CHECK(h.live != NULL);
	lx_heap_index_granules(&f.s, &h);
	CHECK(h.by_number && h.number_shift == 6);
	for (i = 0; i < h.nobjects + 100; i++)
		CHECK(same_slab(&h, i));
	h.hi = h.lo + (1ULL << 42);	/* 2 M granules of 2 MiB: larger ones */
	lx_heap_index_granules(&f.s, &h);
	CHECK(h.granule && h.granule_shift == 22 && h.ngranules <= (1U << 20));
	for (i = 0; i < nslabs; i++)
		CHECK(same_hit(&h, h.granule, slabs[i].base + 8));
	lx_heap_free(&f.s, &h);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * lx_heap_divide() by the inverse: exact for every size that a cache may
 * have (odd, powers of two and their neighbours, the largest) at offsets
 * up to 2^32 - 1, divided beyond.
 */
static bool test_heap_divide(void)
{
	static const uint32_t sizes[] = { 1, 2, 3, 7, 8, 24, 96, 192, 448, 1000, 4095,
					  4096, 4097, 65537, 1u << 31, UINT32_MAX };
	struct lx_heap_cache hc = { 0 };
	uint64_t rel;
	size_t i, j;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]) + 200; i++) {
		hc.cache.size = i < sizeof(sizes) / sizeof(sizes[0]) ? sizes[i] :
				1 + (uint32_t)rnd_below(UINT32_MAX);
		hc.size_inverse = lx_heap_size_inverse(hc.cache.size);
		for (j = 0; j < 2000; j++) {
			rel = j < 1000 ? rnd_below(1ULL << 32) :
			      j < 1500 ? (uint64_t)hc.cache.size * rnd_below(1ULL << 20) -
					   rnd_below(2) :
			      UINT32_MAX - rnd_below(1ULL << 16);
			CHECK(lx_heap_divide(&hc, rel) == rel / hc.cache.size);
		}
		rel = (1ULL << 32) + rnd_below(1ULL << 40);
		CHECK(lx_heap_divide(&hc, rel) == rel / hc.cache.size);
	}
	return unit_ok();
}

/* The bytes past object_size in a slot (metadata, red zone) are in no object. */
static bool test_heap_slot_tail(void)
{
	struct lx_heap_hit hit;
	struct fixture f;
	struct lx_heap h;

	refs_kernel(&f);
	fk_w32(&f.fk, FK_CACHE + 28, 448);	/* object_size < size */
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_heap_build(&f.s, &h) == LX_OK);
	CHECK(h.nobjects == NOBJECTS && h.nlive == NLIVE);
	CHECK(lx_heap_find(&h, OBJ_B + 447, &hit) && hit.number == NUM_B &&
	      hit.offset == 447);
	CHECK(!lx_heap_find(&h, OBJ_B + 448, &hit));
	CHECK(!lx_heap_find(&h, OBJ_B + FK_OBJ_SIZE - 8, &hit));
	CHECK(lx_heap_find(&h, OBJ_B + FK_OBJ_SIZE, &hit) &&
	      hit.number == NUM_B + 1 && hit.offset == 0);
	lx_heap_free(&f.s, &h);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * A cache list flagged as inconsistent (a prev that does not point back)
 * after its caches were walked: the index is partial but whole for those.
 */
static bool test_heap_cut_cache_list(void)
{
	struct lx_heap_hit hit;
	struct lx_reach r;
	struct fixture f;

	memset(&r, 0, sizeof(r));
	refs_kernel(&f);
	fk_w64(&f.fk, FK_CACHE + 112, FK_CACHE);	/* list.prev: bent */
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(!r.heap.complete && r.heap.ncaches == 1 && r.heap.nslabs == 2);
	CHECK(r.heap.nobjects == NOBJECTS && r.heap.nlive == NLIVE && r.heap.live);
	CHECK(r.heap.lo == fk_slab_mem(10) && r.heap.hi == fk_slab_mem(12));
	CHECK(lx_heap_find(&r.heap, OBJ_B + 40, &hit) && hit.number == NUM_B);
	if (r.heap.live) {
		CHECK(lx_reach_run(&f.s, &r) == LX_OK);
		CHECK(r.nreached == 2);
	}
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

static bool test_root_areas(void)
{
	const unsigned int missing = 1u << LX_AREA_MODULE | 1u << LX_AREA_PERCPU |
				     1u << LX_AREA_STACK | 1u << LX_AREA_VMALLOC;
	struct lx_reach r;
	struct fixture f;

	CHECK(reach_setup(&f, &r));
	CHECK(r.roots.n == 2 && r.roots.missing == missing && !r.roots.cut);
	CHECK(r.roots.bytes == DATA_LEN + BSS_LEN);
	CHECK(r.roots.v[0].start == DATA && r.roots.v[0].len == DATA_LEN);
	CHECK(r.roots.v[0].kind == LX_AREA_KERNEL &&
	      !strcmp(r.roots.v[0].label, "vmlinux .data"));
	CHECK(r.roots.v[1].start == BSS && r.roots.v[1].len == BSS_LEN);
	CHECK(r.roots.v[1].kind == LX_AREA_KERNEL &&
	      !strcmp(r.roots.v[1].label, "vmlinux .bss"));
	CHECK(lx_roots_find(&r.roots, DATA) == &r.roots.v[0]);
	CHECK(lx_roots_find(&r.roots, DATA + DATA_LEN - 1) == &r.roots.v[0]);
	CHECK(!lx_roots_find(&r.roots, DATA + DATA_LEN));
	CHECK(!lx_roots_find(&r.roots, DATA - 1));
	CHECK(lx_roots_find(&r.roots, BSS + 8) == &r.roots.v[1]);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/* Without _sdata/_edata or __bss_*, the kernel kind is missing too. */
static bool test_no_kernel_roots(void)
{
	struct lx_areas a;
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_roots_collect(&f.s, &a) == LX_OK);
	CHECK(a.n == 0 && a.bytes == 0 && !a.cut);
	CHECK(a.missing == (1u << LX_AREA_KINDS) - 1);
	lx_roots_free(&f.s, &a);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_reachability(void)
{
	struct lx_reach r;
	struct fixture f;
	uint64_t n;

	CHECK(reach_setup(&f, &r));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(r.ran);
	CHECK(r.nreached == 2);
	for (n = 0; n < NOBJECTS; n++)
		CHECK(lx_reach_reached(&r, n) == (n == NUM_A || n == NUM_B));
	CHECK(!lx_reach_reached(&r, NUM_C));	/* only itself */
	CHECK(!lx_reach_reached(&r, NUM_D) && !lx_reach_reached(&r, NUM_E));
	CHECK(!lx_reach_reached(&r, NUM_F));	/* free, though a root holds it */
	CHECK(!lx_reach_reached(&r, NUM_H));	/* held only by the free F */
	/* every root byte and every live object read exactly once */
	CHECK(r.scanned_bytes == DATA_LEN + BSS_LEN + NLIVE * FK_OBJ_SIZE);
	CHECK(r.unreadable_bytes == 0);
	CHECK(r.nrefs == 0 && r.refs_dropped == 0);	/* no targets */
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/*
 * -u's walk first (lx_word_notes_walk()): every live object holding no
 * direct-map word is noted, and the pass then reads none of them: with
 * slab 11's memory gone after the walk (its live objects hold no word),
 * the answer and the bytes counted scanned are those of a full read.
 */
static bool test_word_notes_skip_reads(void)
{
	struct lx_word_notes wn;
	struct lx_reach r;
	struct fixture f;
	uint64_t n;

	refs_kernel(&f);
	CHECK(lx_layout_init(&f.s) == LX_OK);
	CHECK(lx_cache_read(&f.s, FK_CACHE, &f.cache) == LX_OK);
	CHECK(lx_word_notes_walk(&f.s, &f.cache, &wn) == LX_OK && wn.misses);
	CHECK(lx_reach_init_with(&f.s, &r, &wn.scan) == LX_OK);
	lx_reach_apply_notes(&r, &wn);
	for (n = 0; n < NOBJECTS; n++)
		CHECK(lx_bit_test(r.no_heap_words, n) ==
		      (n != NUM_A && n != NUM_C && n != NUM_D && n != NUM_E &&
		       n != NUM_F && n != NUM_G));
	fk_drop_region(&f.fk, fk_slab_mem(11));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	for (n = 0; n < NOBJECTS; n++)
		CHECK(lx_reach_reached(&r, n) == (n == NUM_A || n == NUM_B));
	CHECK(r.scanned_bytes == DATA_LEN + BSS_LEN + NLIVE * FK_OBJ_SIZE);
	CHECK(r.unreadable_bytes == 0);
	lx_word_notes_free(&f.s, &wn);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/*
 * A root area of four pages whose pages 1 and 2 are not in the dump (as
 * makedumpfile -d 31 leaves out zero pages): the chunk that fails is read
 * a page at a time, each page once, and the word in page 3 still reaches
 * A.  Each absent page is one failed read, the chunk one more.
 */
#define HOLED 0xffffffff82200000ULL

static bool test_root_area_with_absent_pages(void)
{
	struct lx_reach r;
	struct fixture f;
	uint64_t n;

	memset(&r, 0, sizeof(r));
	refs_kernel(&f);
	fk_w64(&f.fk, DATA + 8, 0);	/* A is held from the holed area only */
	fk_region(&f.fk, HOLED, FK_PAGE_SIZE);
	fk_region(&f.fk, HOLED + 3 * FK_PAGE_SIZE, FK_PAGE_SIZE);
	fk_w64(&f.fk, HOLED + 3 * FK_PAGE_SIZE + 64, OBJ_A);
	fk_add_symbol(&f.fk, "__start_ro_after_init", HOLED);
	fk_add_symbol(&f.fk, "__end_ro_after_init", HOLED + 4 * FK_PAGE_SIZE);
	CHECK(lx_layout_init(&f.s) == LX_OK);
	CHECK(lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(r.roots.bytes == DATA_LEN + BSS_LEN + 4 * FK_PAGE_SIZE);
	f.fk.failed_reads = 0;
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	for (n = 0; n < NOBJECTS; n++)
		CHECK(lx_reach_reached(&r, n) == (n == NUM_A || n == NUM_B));
	CHECK(r.unreadable_bytes == 2 * FK_PAGE_SIZE);
	CHECK(r.scanned_bytes == DATA_LEN + BSS_LEN + 2 * FK_PAGE_SIZE + NLIVE * FK_OBJ_SIZE);
	CHECK(f.fk.failed_reads == 3);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/* Slab pfn's page as two regions: no read of the whole slab succeeds. */
static bool split_slab(struct fixture *f, unsigned long pfn)
{
	uint64_t base = fk_slab_mem(pfn), half = FK_PAGE_SIZE / 2;
	uint8_t bytes[FK_PAGE_SIZE];

	if (!lx_read(f->s.t, base, bytes, sizeof(bytes)))
		return false;
	fk_drop_region(&f->fk, base);
	fk_region(&f->fk, base, half);
	fk_region(&f->fk, base + half, half);
	fk_write(&f->fk, base, bytes, half);
	fk_write(&f->fk, base + half, bytes + half, half);
	return true;
}

/*
 * Objects are read from their slab read whole (refs.c's slab windows);
 * a slab whose whole read fails is read an object at a time: the same
 * answer, every byte still scanned once.
 */
static bool test_slab_read_whole_or_by_object(void)
{
	struct lx_reach r;
	struct fixture f;
	uint64_t n;

	CHECK(reach_setup(&f, &r));
	CHECK(split_slab(&f, 10));	/* after the walk, which reads it whole */
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	for (n = 0; n < NOBJECTS; n++)
		CHECK(lx_reach_reached(&r, n) == (n == NUM_A || n == NUM_B));
	CHECK(r.scanned_bytes == DATA_LEN + BSS_LEN + NLIVE * FK_OBJ_SIZE);
	CHECK(r.unreadable_bytes == 0);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/*
 * A chain from a root that leads back and forth across 40 full slabs
 * (pfn 20-59): object k of the chain is in slab 20 + k / 2 or 59 - k / 2 and
 * also points back at the chain's start, a target.
 */
#define CHAIN_SLABS 40
#define CHAIN_LEN (2 * CHAIN_SLABS)

static uint64_t chain_obj(unsigned int k)
{
	unsigned int half = k / 2 % (CHAIN_SLABS / 2);

	return fk_obj(k % 2 ? 59 - half : 20 + half, 1 + k / CHAIN_SLABS);
}

static bool chain_pass(struct lx_reach *r, size_t window_bytes, struct fixture *f)
{
	unsigned int k, pfn;

	memset(r, 0, sizeof(*r));
	refs_kernel(f);
	for (pfn = 20; pfn < 20 + CHAIN_SLABS; pfn++)
		fk_add_slab(&f->fk, pfn, FK_OBJS, false);
	fk_w64(&f->fk, DATA + 32, chain_obj(0));
	for (k = 0; k + 1 < CHAIN_LEN; k++) {
		fk_w64(&f->fk, chain_obj(k), chain_obj(k + 1));
		fk_w64(&f->fk, chain_obj(k) + 8, chain_obj(0));
	}
	if (lx_layout_init(&f->s) || lx_reach_init(&f->s, r) != LX_OK)
		return false;
	r->window_bytes = window_bytes;
	return lx_reach_target(&f->s, r, chain_obj(0)) && lx_reach_run(&f->s, r) == LX_OK;
}

/*
 * The windows' ring: with room for two one-page slabs, it is read over
 * again and again (wrapping every other slab), and the pass finds what it
 * finds with the whole ring: the same reached objects, referrers and
 * bytes scanned.
 */
static bool test_window_ring(void)
{
	struct lx_reach big, small;
	struct fixture fb, fs;
	uint64_t n;

	CHECK(chain_pass(&big, 0, &fb));
	CHECK(chain_pass(&small, 2 * FK_PAGE_SIZE, &fs));
	CHECK(big.nreached == 2 + CHAIN_LEN && small.nreached == big.nreached);
	CHECK(big.heap.nobjects == small.heap.nobjects);
	for (n = 0; n < big.heap.nobjects; n++)
		CHECK(lx_reach_reached(&big, n) == lx_reach_reached(&small, n));
	/* every chain object but the first and last, and the root */
	CHECK(big.nrefs == CHAIN_LEN - 1 && small.nrefs == big.nrefs);
	CHECK(!memcmp(big.refs, small.refs, big.nrefs * sizeof(*big.refs)));
	CHECK(small.scanned_bytes == big.scanned_bytes && !small.unreadable_bytes);
	/* the whole ring reads each slab once (A and B's two, the chain's 40) */
	CHECK(big.window_reads == 2 + CHAIN_SLABS);
	CHECK(small.window_reads >= 2 + 2 * CHAIN_SLABS);
	CHECK(reach_teardown(&fb, &big));
	CHECK(reach_teardown(&fs, &small));
	return unit_ok();
}

/*
 * A slab's obj_exts word (6.10+, in the memory map) holds its vector:
 * object C, otherwise held by itself alone, is reached through slab
 * 10's struct slab (a flag bit set in the word's low bits).
 */
static bool test_slab_vector_held(void)
{
	struct lx_reach r;
	struct fixture f;

	memset(&r, 0, sizeof(r));
	refs_kernel(&f);
	fk_profile(&f.fk, "alloctag");
	fk_w64(&f.fk, fk_page(11) + 56, OBJ_C | 1);
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_reach_init(&f.s, &r) == LX_OK);
	lx_reach_target_number(&r, NUM_C);
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(lx_reach_reached(&r, NUM_C) && lx_reach_reached(&r, NUM_A));
	CHECK(!lx_reach_reached(&r, NUM_D));
	CHECK(r.nrefs == 1 && r.refs[0].area == LX_REF_SLAB_VECTOR &&
	      r.refs[0].where == fk_page(11) + 56 && r.refs[0].target == NUM_C);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/* Add [start, end) to the heap's allocator bookkeeping, as a walk would. */
static bool add_bookkeeping(struct fixture *f, struct lx_reach *r, uint64_t start,
			    uint64_t end)
{
	struct lx_heap *h = &r->heap;

	if (lx_reserve(f->s.t, &h->bookkeeping, &h->bookkeeping_cap, h->nbookkeeping + 1,
		       sizeof(*h->bookkeeping)))
		return false;
	h->bookkeeping[h->nbookkeeping++] = (struct lx_span){ start, end };
	return true;
}

/*
 * Words inside allocator bookkeeping (a stale array-cache slot) hold
 * nothing: in root memory (leak_root -> A) and inside an object (A -> B).
 */
static bool test_bookkeeping_holds_nothing(void)
{
	struct lx_reach r;
	struct fixture f;

	CHECK(reach_setup(&f, &r));
	CHECK(add_bookkeeping(&f, &r, OBJ_A + 16, OBJ_A + 24));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(lx_reach_reached(&r, NUM_A) && !lx_reach_reached(&r, NUM_B));
	CHECK(r.scanned_bytes == DATA_LEN + BSS_LEN + NLIVE * FK_OBJ_SIZE - 8);
	CHECK(reach_teardown(&f, &r));

	CHECK(reach_setup(&f, &r));
	CHECK(add_bookkeeping(&f, &r, DATA, DATA + 16));	/* leak_root's word */
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(r.nreached == 0);
	CHECK(lx_heap_bookkeeping_after(&r.heap, DATA + 16) == NULL);
	CHECK(lx_heap_bookkeeping_after(&r.heap, DATA + 8) == &r.heap.bookkeeping[0]);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

#define NOLEAKTRACE_BIT 11	/* _SLAB_NOLEAKTRACE in 6.12's enum _slab_flag_bits */

/*
 * The kernel above with kmalloc-512 created SLAB_NOLEAKTRACE, as
 * kmemleak_object is, and then pfn 11's slab (B, H) handed to a second,
 * ordinary cache in the index: A is kmemleak's record of B.
 */
static bool noleaktrace_setup(struct fixture *f, struct lx_reach *r)
{
	struct lx_heap *h = &r->heap;

	memset(r, 0, sizeof(*r));
	refs_kernel(f);
	f->fk.extra_enum = "_SLAB_NOLEAKTRACE";
	f->fk.extra_enum_value = NOLEAKTRACE_BIT;
	fk_w32(&f->fk, FK_CACHE + 8, 1u << NOLEAKTRACE_BIT);	/* kmem_cache.flags */
	if (lx_layout_init(&f->s) || lx_reach_init(&f->s, r) ||
	    h->ncaches != 1 || !h->caches[0].metadata ||
	    lx_reserve(f->s.t, &h->caches, &h->caches_cap, 2, sizeof(*h->caches)))
		return false;
	h->caches[1] = h->caches[0];
	h->caches[1].metadata = false;
	snprintf(h->caches[1].cache.name, sizeof(h->caches[1].cache.name), "leakext_lost");
	h->ncaches = 2;
	h->slabs[1].cache = 1;
	return true;
}

/*
 * Debug metadata is no holder: a SLAB_NOLEAKTRACE object's word pointing
 * at an ordinary object (kmemleak_object.pointer) leaves it unreferenced,
 * so -u lists it; a metadata object it points at is still reached.
 */
static bool test_noleaktrace_holds_nothing(void)
{
	struct lx_reach r;
	struct fixture f;

	CHECK(noleaktrace_setup(&f, &r));
	fk_w64(&f.fk, OBJ_A + 24, OBJ_C);	/* metadata -> metadata */
	fk_w64(&f.fk, OBJ_D + 8, OBJ_H);	/* unreached metadata -> H */
	CHECK(lx_reach_target(&f.s, &r, OBJ_B));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(lx_reach_reached(&r, NUM_A) && lx_reach_reached(&r, NUM_C));
	CHECK(!lx_reach_reached(&r, NUM_B) && !lx_reach_reached(&r, NUM_H));
	CHECK(r.nreached == 2 && r.nrefs == 0);		/* A's word is no referrer */
	CHECK(reach_teardown(&f, &r));

	/* the same kernel without the flag: A holds B */
	CHECK(reach_setup(&f, &r));
	CHECK(!r.heap.caches[0].metadata);
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(lx_reach_reached(&r, NUM_B));
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/* The flag as a #define before the enum: 0x00800000, nothing else. */
static bool test_noleaktrace_old_flag(void)
{
	struct lx_reach r;
	struct fixture f;

	memset(&r, 0, sizeof(r));
	refs_kernel(&f);
	fk_w32(&f.fk, FK_CACHE + 8, 0x00800000u);
	CHECK(lx_layout_init(&f.s) == LX_OK && lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(r.heap.caches[0].metadata);
	CHECK(reach_teardown(&f, &r));

	memset(&r, 0, sizeof(r));
	refs_kernel(&f);
	f.fk.extra_enum = "_SLAB_NOLEAKTRACE";
	f.fk.extra_enum_value = NOLEAKTRACE_BIT;
	fk_w32(&f.fk, FK_CACHE + 8, 0x00800000u);	/* another bit there */
	CHECK(lx_layout_init(&f.s) == LX_OK && lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(!r.heap.caches[0].metadata);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/*
 * kmemleak's static mem_pool[] in .bss is its own area of debug
 * metadata, up to the next symbol: its word -> C holds nothing, the word
 * past it -> D does.
 */
static bool test_mem_pool_is_metadata(void)
{
	struct lx_reach r;
	struct fixture f;

	memset(&r, 0, sizeof(r));
	refs_kernel(&f);
	f.fk.nearest_symbols = true;
	fk_add_symbol(&f.fk, "mem_pool", BSS + 0x20);
	fk_add_symbol(&f.fk, "after_pool", BSS + 0x48);
	fk_w64(&f.fk, BSS + 0x40, OBJ_C);
	fk_w64(&f.fk, BSS + 0x48, OBJ_D);
	CHECK(lx_layout_init(&f.s) == LX_OK && lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(r.roots.n == 4 && r.roots.bytes == DATA_LEN + BSS_LEN);
	CHECK(r.roots.v[1].start == BSS && r.roots.v[1].len == 0x20 &&
	      !r.roots.v[1].metadata);
	CHECK(r.roots.v[2].start == BSS + 0x20 && r.roots.v[2].len == 0x28 &&
	      r.roots.v[2].metadata && r.roots.v[2].kind == LX_AREA_KERNEL);
	CHECK(r.roots.v[3].start == BSS + 0x48 && r.roots.v[3].len == BSS_LEN - 0x48 &&
	      !r.roots.v[3].metadata && !strcmp(r.roots.v[3].label, "vmlinux .bss"));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(!lx_reach_reached(&r, NUM_C));
	CHECK(lx_reach_reached(&r, NUM_D) && lx_reach_reached(&r, NUM_E));
	CHECK(r.scanned_bytes == DATA_LEN + BSS_LEN + NLIVE * FK_OBJ_SIZE);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/*
 * arm64: a pointer with a KASAN/MTE tag in its top byte (or PAC bits)
 * still holds its object: leak_root's word tagged 0xf2 reaches A.
 */
static bool test_tagged_pointer(void)
{
	struct lx_reach r;
	struct fixture f;

	memset(&r, 0, sizeof(r));
	refs_kernel(&f);
	fk_arm64(&f.fk);
	fk_add_symbol(&f.fk, "kimage_voffset", FK_CACHE);
	fk_w64(&f.fk, DATA + 8, (OBJ_A & ~0xff00000000000000ULL) | 0xf200000000000000ULL);
	CHECK(lx_layout_init(&f.s) == LX_OK && lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(!strcmp(f.s.arch.name, "arm64"));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(lx_reach_reached(&r, NUM_A) && lx_reach_reached(&r, NUM_B));
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/*
 * Two busy VM_ALLOC areas on vmap_area_list, each of 4 pages and a guard
 * page: one holds a word pointing at D, the other, cpu 0's cached free
 * stack (cached_stacks[0]), a stale word pointing at C.
 */
#define VMAP_HEAD (DATA + 0x1800)
#define VMAP_AREA(i) (DATA + 0x1840 + 0x80 * (i))
#define VM_STRUCT(i) (DATA + 0x1940 + 0x40 * (i))
#define VMALLOC(i) (0xffffc90000100000ULL + 0x10000 * (i))
#define CACHED_STACKS 0x100ULL	/* __percpu */

static void vmalloc_kernel(struct fixture *f)
{
	struct fake_kernel *fk = &f->fk;
	unsigned int i;

	refs_kernel(f);
	fk_add_symbol(fk, "vmap_area_list", VMAP_HEAD);
	fk_add_symbol(fk, "cached_stacks", CACHED_STACKS);
	fk_w64(fk, VMAP_HEAD, VMAP_AREA(0) + 40);
	for (i = 0; i < 2; i++) {
		fk_w64(fk, VMAP_AREA(i) + 40, i ? VMAP_HEAD : VMAP_AREA(1) + 40);
		fk_w64(fk, VMAP_AREA(i) + 56, VM_STRUCT(i));
		fk_w64(fk, VM_STRUCT(i) + 8, VMALLOC(i));
		fk_w64(fk, VM_STRUCT(i) + 16, 5 * FK_PAGE_SIZE);
		fk_w64(fk, VM_STRUCT(i) + 24, 0x2);	/* VM_ALLOC */
		fk_w64(fk, VM_STRUCT(i) + 56, i ? 0 : FK_MODULE_FUNC);	/* caller */
		fk_region(fk, VMALLOC(i), 4 * FK_PAGE_SIZE);
	}
	fk_w64(fk, VMALLOC(0) + 0x100, OBJ_D);
	fk_w64(fk, VMALLOC(1) + 0x3ff0, OBJ_C);
	fk_w64(fk, FK_PERCPU_BASE + CACHED_STACKS, VM_STRUCT(1));
}

static bool test_cached_stacks(void)
{
	struct lx_reach r;
	struct fixture f;

	memset(&r, 0, sizeof(r));
	vmalloc_kernel(&f);
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(!(r.roots.missing & (1u << LX_AREA_VMALLOC)));
	CHECK(lx_roots_find(&r.roots, VMALLOC(0) + 0x100) != NULL);
	CHECK(lx_roots_find(&r.roots, VMALLOC(0) + 0x100)->kind == LX_AREA_VMALLOC);
	CHECK(!strcmp(lx_roots_find(&r.roots, VMALLOC(0) + 0x100)->label,
		      "vmalloc (fk_module_handler [fk_mod])"));
	CHECK(!lx_roots_find(&r.roots, VMALLOC(0) + 4 * FK_PAGE_SIZE));	/* guard */
	CHECK(!lx_roots_find(&r.roots, VMALLOC(1) + 0x3ff0));	/* free stack */
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(lx_reach_reached(&r, NUM_D) && lx_reach_reached(&r, NUM_E));
	CHECK(!lx_reach_reached(&r, NUM_C));	/* the stale word is not seen */
	/* the same kernel without cached_stacks: the stale word is a root */
	CHECK(reach_teardown(&f, &r));
	memset(&r, 0, sizeof(r));
	vmalloc_kernel(&f);
	f.fk.symbols[--f.fk.nsymbols].name = NULL;	/* cached_stacks, added last */
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(lx_reach_reached(&r, NUM_C));
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/* Run with one target; true if exactly one referrer, at where in area. */
static bool one_referrer(uint64_t target, uint64_t number, uint64_t where,
			 uint32_t area)
{
	struct lx_reach r;
	struct fixture f;
	bool ok;

	ok = reach_setup(&f, &r) && lx_reach_target(&f.s, &r, target) &&
	     lx_reach_run(&f.s, &r) == LX_OK && r.nrefs == 1 &&
	     !r.refs_dropped && r.refs[0].where == where &&
	     r.refs[0].target == number && r.refs[0].area == area;
	if (!ok && r.nrefs)
		fprintf(stderr, "    %zu refs, first %#llx -> %llu area %u\n",
			r.nrefs, (unsigned long long)r.refs[0].where,
			(unsigned long long)r.refs[0].target, r.refs[0].area);
	return reach_teardown(&f, &r) && ok;
}

static bool test_referrers(void)
{
	CHECK(one_referrer(OBJ_B, NUM_B, OBJ_A + 16, LX_REF_HEAP));
	CHECK(one_referrer(OBJ_B + 100, NUM_B, OBJ_A + 16, LX_REF_HEAP));
	CHECK(one_referrer(OBJ_D, NUM_D, OBJ_E + 8, LX_REF_HEAP));
	CHECK(one_referrer(OBJ_E, NUM_E, OBJ_D, LX_REF_HEAP));
	CHECK(one_referrer(OBJ_A + 8, NUM_A, DATA + 8, 0));
	/* a free target's referrers are recorded too, though nothing is reached */
	CHECK(one_referrer(OBJ_F, NUM_F, DATA + 16, 0));
	return unit_ok();
}

/* Self-pointers keep nothing alive and are no referrers; no object, no target. */
static bool test_no_referrers(void)
{
	struct lx_reach r;
	struct fixture f;

	CHECK(reach_setup(&f, &r));
	CHECK(lx_reach_target(&f.s, &r, OBJ_C + 8));
	CHECK(lx_reach_target(&f.s, &r, OBJ_H));
	CHECK(!lx_reach_target(&f.s, &r, OUTSIDE));
	CHECK(!lx_reach_target(&f.s, &r, DATA + 8));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(r.nrefs == 0 && r.refs_dropped == 0);
	CHECK(r.nreached == 2);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

static bool group_is(const struct lx_ref_group *g, const char *label,
		     enum lx_area_kind kind, uint64_t words, uint64_t held,
		     uint64_t example)
{
	if (strcmp(g->label, label) || g->kind != kind || g->words != words ||
	    g->held != held || g->example != example) {
		fprintf(stderr, "    group \"%s\" kind %d words %llu held %llu at %#llx\n",
			g->label, g->kind, (unsigned long long)g->words,
			(unsigned long long)g->held, (unsigned long long)g->example);
		return false;
	}
	return true;
}

static bool test_groups(void)
{
	struct lx_ref_group *g = NULL;
	struct lx_reach r;
	struct fixture f;
	size_t ng = 0;

	CHECK(reach_setup(&f, &r));
	CHECK(lx_reach_target(&f.s, &r, OBJ_A));
	CHECK(lx_reach_target(&f.s, &r, OBJ_B));
	CHECK(lx_reach_target(&f.s, &r, OBJ_D));
	CHECK(lx_reach_target(&f.s, &r, OBJ_F));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(r.nrefs == 4);
	CHECK(lx_reach_groups(&f.s, &r, r.refs, r.nrefs, &g, &ng) == LX_OK);
	CHECK(ng == 4);
	if (ng == 4) {
		/* all hold one: roots before objects, then by label */
		CHECK(group_is(&g[0], "leak_root", LX_AREA_KERNEL, 1, 1, DATA + 8));
		CHECK(group_is(&g[1], "vmlinux .data", LX_AREA_KERNEL, 1, 1,
			       DATA + 16));
		CHECK(group_is(&g[2], "kmalloc-512 +16", LX_AREA_KINDS, 1, 1,
			       OBJ_A + 16));
		CHECK(group_is(&g[3], "kmalloc-512 +8", LX_AREA_KINDS, 1, 1,
			       OBJ_E + 8));
	}
	lx_free(f.s.t, g);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/* More referrers than a pass keeps: a bug of the caller, said and refused. */
static bool test_groups_too_many(void)
{
	struct lx_ref_group *g = NULL;
	struct lx_ref *many;
	struct lx_reach r;
	struct fixture f;
	size_t ng = 7;

	CHECK(reach_setup(&f, &r));
	many = calloc(LX_REFS_MAX + 1, sizeof(*many));
	CHECK(many);
	if (many)
		CHECK(lx_reach_groups(&f.s, &r, many, LX_REFS_MAX + 1, &g, &ng) ==
		      LX_EINTERNAL);
	CHECK(!g && !ng && strstr(f.fk.messages, "internal error: 524289 referrers"));
	free(many);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/*
 * Words in kernel data are labelled by symbol in runs (refs.c's
 * galloping): two arrays side by side, each word named by its own array
 * however long the run, the boundary between them exact.
 */
static bool test_groups_symbol_runs(void)
{
	struct lx_ref_group *g = NULL;
	struct lx_reach r;
	struct fixture f;
	size_t ng = 0;
	uint64_t at;

	memset(&r, 0, sizeof(r));
	refs_kernel(&f);
	f.fk.nearest_symbols = true;
	fk_add_symbol(&f.fk, "arr_a", DATA + 0x20);
	fk_add_symbol(&f.fk, "arr_b", DATA + 0xa0);
	for (at = DATA + 0x20; at < DATA + 0xa0; at += 8)
		fk_w64(&f.fk, at, OBJ_A + (at & 0x18));
	for (at = DATA + 0xa0; at < DATA + DATA_LEN; at += 8)
		fk_w64(&f.fk, at, OBJ_B);
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(lx_reach_target(&f.s, &r, OBJ_A) && lx_reach_target(&f.s, &r, OBJ_B));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(lx_reach_groups(&f.s, &r, r.refs, r.nrefs, &g, &ng) == LX_OK);
	CHECK(ng == 4);
	if (ng == 4) {
		CHECK(group_is(&g[0], "arr_a", LX_AREA_KERNEL, 16, 1, DATA + 0x20));
		CHECK(group_is(&g[1], "arr_b", LX_AREA_KERNEL, 12, 1, DATA + 0xa0));
		CHECK(group_is(&g[2], "leak_root", LX_AREA_KERNEL, 1, 1, DATA + 8));
		CHECK(group_is(&g[3], "kmalloc-512 +16", LX_AREA_KINDS, 1, 1, OBJ_A + 16));
	}
	lx_free(f.s.t, g);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/* Words at one offset of several objects make one group; held counts targets. */
static bool test_groups_held(void)
{
	struct lx_ref_group *g = NULL;
	struct lx_reach r;
	struct fixture f;
	size_t ng = 0;

	refs_kernel(&f);
	fk_w64(&f.fk, OBJ_H + 8, OBJ_E + 8);	/* E: from D +0 and H +8 */
	fk_w64(&f.fk, OBJ_H + 16, OBJ_E);	/* a second word, same target */
	memset(&r, 0, sizeof(r));
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(lx_reach_target(&f.s, &r, OBJ_D));
	CHECK(lx_reach_target(&f.s, &r, OBJ_E));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(r.nrefs == 4 && r.nreached == 2);
	CHECK(lx_reach_groups(&f.s, &r, r.refs, r.nrefs, &g, &ng) == LX_OK);
	CHECK(ng == 3);
	if (ng == 3) {
		/* example: the first word by target, E +8 (-> D) */
		CHECK(group_is(&g[0], "kmalloc-512 +8", LX_AREA_KINDS, 2, 2,
			       OBJ_E + 8));
		CHECK(group_is(&g[1], "kmalloc-512 +0", LX_AREA_KINDS, 1, 1, OBJ_D));
		CHECK(group_is(&g[2], "kmalloc-512 +16", LX_AREA_KINDS, 1, 1,
			       OBJ_H + 16));
	}
	lx_free(f.s.t, g);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/*
 * Typed views: the referrers A +16 (-> B) and E +8 (-> D) as labelled when
 * the fake cache is called cache and the kernel knows struct type (size
 * bytes, member names or not).  want16/want8: the expected labels.
 */
static bool typed_labels(const char *cache, const char *type, long size, bool names,
			 const char *want16, const char *want8)
{
	struct lx_ref_group *g = NULL;
	struct lx_reach r;
	struct fixture f;
	size_t ng = 0;

	refs_kernel(&f);
	fk_set_cache_name(&f.fk, cache);
	fk_typed(&f.fk, type, size, names);
	memset(&r, 0, sizeof(r));
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(lx_reach_target(&f.s, &r, OBJ_B));
	CHECK(lx_reach_target(&f.s, &r, OBJ_D));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(r.nrefs == 2);
	CHECK(lx_reach_groups(&f.s, &r, r.refs, r.nrefs, &g, &ng) == LX_OK);
	CHECK(ng == 2);
	if (ng == 2) {
		CHECK(group_is(&g[0], want16, LX_AREA_KINDS, 1, 1, OBJ_A + 16));
		CHECK(group_is(&g[1], want8, LX_AREA_KINDS, 1, 1, OBJ_E + 8));
	}
	lx_free(f.s.t, g);
	CHECK(reach_teardown(&f, &r));
	return unit_ok();
}

/* The table maps skbuff_head_cache to sk_buff; member_at names the words. */
static bool test_typed_table(void)
{
	CHECK(typed_labels("skbuff_head_cache", "sk_buff", 232, true,
			   "skbuff_head_cache +16 (sk_buff.dev)",
			   "skbuff_head_cache +8 (sk_buff.prev)"));
	return unit_ok();
}

/* A cache named like a struct the kernel has is that struct. */
static bool test_typed_by_name(void)
{
	CHECK(typed_labels("sk_buff", "sk_buff", 232, true, "sk_buff +16 (sk_buff.dev)",
			   "sk_buff +8 (sk_buff.prev)"));
	return unit_ok();
}

/*
 * No names: a target without member_at, a struct larger than the objects
 * (a wrong guess), a struct the kernel lacks, a kmalloc cache.
 */
static bool test_typed_none(void)
{
	CHECK(typed_labels("skbuff_head_cache", "sk_buff", 232, false,
			   "skbuff_head_cache +16", "skbuff_head_cache +8"));
	CHECK(typed_labels("skbuff_head_cache", "sk_buff", FK_OBJ_SIZE + 1, true,
			   "skbuff_head_cache +16", "skbuff_head_cache +8"));
	CHECK(typed_labels("skbuff_head_cache", "sk_buff_other", 232, true,
			   "skbuff_head_cache +16", "skbuff_head_cache +8"));
	CHECK(typed_labels("kmalloc-512", "sk_buff", 232, true, "kmalloc-512 +16",
			   "kmalloc-512 +8"));
	return unit_ok();
}

/* Everything the pass allocates goes with lx_reach_free(). */
static bool test_reach_free(void)
{
	struct lx_ref_group *g = NULL;
	struct lx_reach r;
	struct fixture f;
	size_t ng = 0;
	long before;

	refs_kernel(&f);
	CHECK(lx_layout_init(&f.s) == 0);
	before = f.fk.live_allocs;
	CHECK(lx_reach_init(&f.s, &r) == LX_OK);
	CHECK(lx_reach_target(&f.s, &r, OBJ_B));
	CHECK(lx_reach_run(&f.s, &r) == LX_OK);
	CHECK(lx_reach_groups(&f.s, &r, r.refs, r.nrefs, &g, &ng) == LX_OK && ng == 1);
	lx_free(f.s.t, g);
	CHECK(f.fk.live_allocs > before);
	lx_reach_free(&f.s, &r);
	CHECK(!r.refs && !r.reached && !r.targets && !r.roots.v && !r.heap.slabs);
	lx_session_fini(&f.s);
	CHECK(f.fk.live_allocs == 0);
	lx_reach_free(&f.s, &r);	/* twice is harmless */
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * lx_words_miss() on 8-byte words: a word in the range found wherever it
 * is (each of 153 positions: two steps of eight 64-byte blocks, as the
 * AVX2 loop takes them, three blocks after, and a tail), the range's ends
 * exact, an empty range holding nothing.
 */
#define MISS_WORDS (2 * 64 + 3 * 8 + 1)

static bool test_words_miss_every_position(void)
{
	const uint64_t lo = 0xffff888000000000ULL, hi = 0xffff889000000000ULL;
	const uint64_t inside[] = { lo, hi - 1, lo + 0x1234568 };
	const uint64_t outside[] = { lo - 1, hi, 0, ~0ULL };
	uint64_t words[MISS_WORDS] = { 0 };
	size_t at, v;

	CHECK(lx_words_miss((uint8_t *)words, sizeof(words), 8, lo, hi));
	for (at = 0; at < MISS_WORDS; at++) {
		for (v = 0; v < sizeof(inside) / sizeof(inside[0]); v++) {
			words[at] = inside[v];
			CHECK(!lx_words_miss((uint8_t *)words, sizeof(words), 8, lo, hi));
		}
		for (v = 0; v < sizeof(outside) / sizeof(outside[0]); v++) {
			words[at] = outside[v];
			CHECK(lx_words_miss((uint8_t *)words, sizeof(words), 8, lo, hi));
		}
		words[at] = lo;
		/* a length that leaves the word out */
		CHECK(lx_words_miss((uint8_t *)words, at * 8 + 7, 8, lo, hi));
		CHECK(lx_words_miss((uint8_t *)words, sizeof(words), 8, lo, lo));
		words[at] = 0;
	}
	return unit_ok();
}

/* Each of want[0..n) in text, each after the one before. */
static bool in_order(const char *text, const char *const *want, size_t n)
{
	size_t i;

	for (i = 0; text && i < n; i++) {
		text = strstr(text, want[i]);
		if (text)
			text += strlen(want[i]);
	}
	return text;
}

/* Clusters 1 (zeros: B and nine more), 2 (A and E), 3 (C), 4 (D). */
static const char *const holder_lines[] = {
	"CLUSTER 1: 10 objects",
	"  held by   1/10 kmalloc-512 +16 (slab, 1 word)\n"
	"  referenced 1 of 10 members; 9 unreferenced",
	"CLUSTER 2: 2 objects",
	"  held by   1/2 leak_root (kernel, 1 word)\n"
	"            1/2 kmalloc-512 +0 (slab, 1 word)\n"
	"  referenced 2 of 2 members; 0 unreferenced",
	"CLUSTER 3: 1 objects",
	"  held by   nothing scanned points at a member\n"
	"  referenced 0 of 1 members; 1 unreferenced",
	"CLUSTER 4: 1 objects",
	"  held by   1/1 vmlinux .data (kernel, 4 words)\n"
	"            1/1 kmalloc-512 +8 (slab, 1 word)\n"
	"  referenced 1 of 1 members; 0 unreferenced",
};

/*
 * Holders of every cluster (the cluster report, -a): four more .data words
 * point at D, so the cluster of D has the most referrers though it is not
 * the first; each cluster's holders are its own members' referrers.
 */
static bool test_holders_per_cluster(void)
{
	struct lx_options opt = { .cache = "kmalloc-512", .all = true };
	struct fixture f;
	unsigned int i;

	refs_kernel(&f);
	for (i = 0; i < 4; i++)
		fk_w64(&f.fk, DATA + 32 + 8 * i, OBJ_D);
	CHECK(fx_command(&f, &opt) == LX_OK);
	fflush(f.fk.out);
	CHECK(in_order(f.fk.outbuf, holder_lines, sizeof(holder_lines) / sizeof(holder_lines[0])));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

const struct unit_test refs_tests[] = {
	{ "holders: each cluster's own referrers, the one with most not first",
	  test_holders_per_cluster },
	{ "heap: the coarse index and the last slab find what a full search finds",
	  test_heap_granules },
	{ "heap: division by an object size's inverse is exact", test_heap_divide },
	{ "refs: lx_words_miss() finds an 8-byte word in range at every position",
	  test_words_miss_every_position },
	{ "heap index: objects, interiors, free objects, outside", test_heap_index },
	{ "heap index: slot bytes past object_size are in no object",
	  test_heap_slot_tail },
	{ "heap index of an inconsistent cache list: partial, still sorted",
	  test_heap_cut_cache_list },
	{ "root areas from _sdata/_edata and __bss_start/__bss_stop", test_root_areas },
	{ "no kernel section symbols: every root kind missing", test_no_kernel_roots },
	{ "reachability: interior pointers, self lists, cycles, free objects",
	  test_reachability },
	{ "-u's walk notes objects without direct-map words; the pass reads none",
	  test_word_notes_skip_reads },
	{ "vmalloc roots: busy VM_ALLOC areas, not the cached free stacks",
	  test_cached_stacks },
	{ "referrers of one target, live or free", test_referrers },
	{ "self-pointers are no referrers", test_no_referrers },
	{ "referrer groups: cache +offset, symbol, area label", test_groups },
	{ "referrer groups count distinct held targets", test_groups_held },
	{ "referrer groups: more than a pass keeps is an internal error",
	  test_groups_too_many },
	{ "referrer groups: data words labelled by symbol in runs", test_groups_symbol_runs },
	{ "lx_reach_free leaves no allocation", test_reach_free },
	{ "typed views: skbuff_head_cache +16 (sk_buff.dev)", test_typed_table },
	{ "typed views: a cache named like a struct", test_typed_by_name },
	{ "typed views: no member_at, too large, absent, kmalloc", test_typed_none },
	{ "refs: allocator bookkeeping holds no reference", test_bookkeeping_holds_nothing },
	{ "refs: a slab's obj_exts word holds its vector", test_slab_vector_held },
	{ "refs: a root chunk with absent pages read a page at a time, each once",
	  test_root_area_with_absent_pages },
	{ "refs: a slab read whole, or an object at a time where that fails",
	  test_slab_read_whole_or_by_object },
	{ "refs: the windows' ring read over, the same answer", test_window_ring },
	{ "refs: an arm64 pointer's tag bits are no part of its address", test_tagged_pointer },
	{ "refs: a SLAB_NOLEAKTRACE object holds only debug metadata",
	  test_noleaktrace_holds_nothing },
	{ "refs: SLAB_NOLEAKTRACE as the old #define, or an enum bit",
	  test_noleaktrace_old_flag },
	{ "roots: kmemleak's mem_pool[] is debug metadata, to the next symbol",
	  test_mem_pool_is_metadata },
	{ NULL, NULL }
};
