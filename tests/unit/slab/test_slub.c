// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the SLUB walker on synthetic kernel images. */
#include <string.h>

#include "fake_target.h"
#include "fixture.h"
#include "leakext/leakext.h"
#include "unit.h"

static bool freelist_case(enum lx_freeptr_mode encoding)
{
	struct fixture f;
	const struct lx_slab *slab;

	fx_setup(&f, encoding);
	fx_one_partial_slab(&f);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.nslabs == 1 && f.scan.total == 8);
	CHECK(f.scan.live == 5 && f.scan.free == 3);
	CHECK(f.scan.fp_mode == encoding);
	CHECK(f.scan.used_memmap && !f.scan.by_source[LX_SRC_MEMMAP]);
	slab = fx_find_slab(&f.scan, 10);
	CHECK(slab && lx_object_is_free(&f.scan, slab, 3) &&
	      !lx_object_is_free(&f.scan, slab, 2));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_plain_freelist(void)
{
	return freelist_case(LX_FP_PLAIN);
}

static bool test_hardened_swab_freelist(void)
{
	return freelist_case(LX_FP_XOR_SWAB);
}

static bool test_hardened_xor_freelist(void)
{
	return freelist_case(LX_FP_XOR);
}

static bool test_cpu_freelists(void)
{
	static const unsigned int cpu_free[] = { 0, 2 }, remote_free[] = { 7 };
	static const unsigned int p1_free[] = { 4 }, p2_free[] = { 1, 2 };
	struct fixture f;
	const struct lx_slab *slab;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_add_slab(&f.fk, 20, FK_OBJS - 1, true);	/* frozen cpu slab */
	fk_set_cpu(&f.fk, 1, 20, fk_chain(&f.fk, 20, cpu_free, 2), 21);
	fk_set_slab_freelist(&f.fk, 20, fk_chain(&f.fk, 20, remote_free, 1));
	fk_add_slab(&f.fk, 21, 7, false);
	fk_set_slab_freelist(&f.fk, 21, fk_chain(&f.fk, 21, p1_free, 1));
	fk_set_partial_next(&f.fk, 21, 22);
	fk_add_slab(&f.fk, 22, 6, false);
	fk_set_slab_freelist(&f.fk, 22, fk_chain(&f.fk, 22, p2_free, 2));
	fk_set_node_nr_slabs(&f.fk, 3);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.by_source[LX_SRC_CPU] == 1);
	CHECK(f.scan.by_source[LX_SRC_CPU_PARTIAL] == 2);
	slab = fx_find_slab(&f.scan, 20);
	CHECK(slab && slab->nfree == 3 && slab->cpu == 1);
	CHECK(f.scan.live == 5 + 7 + 6);
	CHECK(f.scan.used_memmap && !f.scan.by_source[LX_SRC_MEMMAP]);
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Advice the walk gave, and the slab reads it made, for the test below. */
static const struct lx_dump_ops *unadvised_ops;
static struct { uint64_t addr, len; } walk_advice[64];
static unsigned int walk_nadvice, slab_reads, unadvised_reads;

static void record_advice(void *priv, uint64_t addr, size_t len)
{
	(void)priv;
	if (walk_nadvice < 64)
		walk_advice[walk_nadvice++] = (typeof(walk_advice[0])){ addr, len };
}

/* A read of a whole slab's objects must have been advised before it. */
static bool read_checking_advice(void *priv, uint64_t addr, void *buf, size_t len)
{
	unsigned int i;
	bool advised = false;

	if (len == FK_OBJS * FK_OBJ_SIZE) {
		slab_reads++;
		for (i = 0; i < walk_nadvice; i++)
			advised |= walk_advice[i].addr == addr && walk_advice[i].len >= len;
		unadvised_reads += !advised;
	}
	return unadvised_ops->read(priv, addr, buf, len);
}

/* Advice of a whole slab's objects (the memory map walk advises its run too). */
static unsigned int slabs_advised(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < walk_nadvice; i++)
		n += walk_advice[i].addr >= FK_PAGE_OFFSET &&
		     walk_advice[i].addr < FK_PAGE_OFFSET + FK_MAX_PFN * FK_PAGE_SIZE &&
		     walk_advice[i].len == FK_OBJS * FK_OBJ_SIZE;
	return n;
}

static bool test_walk_advises_each_slab(void)
{
	struct fixture f;
	struct lx_dump_ops ops;
	unsigned int pfn;

	fx_setup(&f, LX_FP_PLAIN);
	for (pfn = 20; pfn < 23; pfn++)
		fk_add_slab(&f.fk, pfn, FK_OBJS, false);	/* full, on no list */
	fx_one_partial_slab(&f);
	unadvised_ops = f.fk.target.dump;
	ops = *unadvised_ops;
	ops.prefetch = record_advice;
	ops.read = read_checking_advice;
	f.fk.target.dump = &ops;
	walk_nadvice = slab_reads = unadvised_reads = 0;
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.nslabs == 4 && slab_reads == 4 && !unadvised_reads);
	CHECK(slabs_advised() == 4);	/* each slab once, 16 KiB within the distance */
	f.fk.target.dump = unadvised_ops;
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * A dump that tells presence (lx_dump_ops.present): the pages of pfn
 * missing_pfn are absent, a read of broken_pfn fails though the index has
 * it (its stored bytes damaged); every read of an object page is counted.
 */
static unsigned long missing_pfn, broken_pfn;
static unsigned int object_page_reads;

static bool pfn_of(uint64_t addr, unsigned long pfn)
{
	return addr >= fk_slab_mem(pfn) && addr < fk_slab_mem(pfn) + FK_PAGE_SIZE;
}

static bool present_but_missing(void *priv, uint64_t addr, size_t len)
{
	(void)priv;
	return !pfn_of(addr, missing_pfn) && !pfn_of(addr + len - 1, missing_pfn);
}

static bool read_counting_pages(void *priv, uint64_t addr, void *buf, size_t len)
{
	if (addr >= fk_slab_mem(10) && addr < fk_slab_mem(FK_MAX_PFN)) {
		object_page_reads++;
		if (pfn_of(addr, broken_pfn) || pfn_of(addr, missing_pfn))
			return false;
	}
	return unadvised_ops->read(priv, addr, buf, len);
}

static void tell_presence(struct fixture *f, struct lx_dump_ops *ops,
			  unsigned long missing, unsigned long broken)
{
	unadvised_ops = f->fk.target.dump;
	*ops = *unadvised_ops;
	ops->present = present_but_missing;
	ops->read = read_counting_pages;
	f->fk.target.dump = ops;
	missing_pfn = missing;
	broken_pfn = broken;
	object_page_reads = 0;
}

/* Three full slabs and the partial one of fx_one_partial_slab() (pfn 10). */
static void full_and_partial(struct fixture *f)
{
	unsigned int pfn;

	for (pfn = 20; pfn < 23; pfn++)
		fk_add_slab(&f->fk, pfn, FK_OBJS, false);	/* full, on no list */
	fx_one_partial_slab(f);
	fk_set_node_nr_slabs(&f->fk, 4);
}

static bool test_full_slabs_not_read(void)
{
	struct fixture f;
	struct lx_dump_ops ops;

	fx_setup(&f, LX_FP_XOR_SWAB);
	full_and_partial(&f);
	tell_presence(&f, &ops, 0, 0);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.nslabs == 4 && f.scan.live == 3 * FK_OBJS + 5);
	CHECK(object_page_reads == 1);	/* the partial slab's one page */
	CHECK(lx_integrity_ok(&f.scan.integrity));
	f.fk.target.dump = unadvised_ops;
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_full_slab_missing_flagged(void)
{
	struct fixture f;
	struct lx_dump_ops ops;

	fx_setup(&f, LX_FP_XOR_SWAB);
	full_and_partial(&f);
	tell_presence(&f, &ops, 21, 0);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.live == 3 * FK_OBJS + 5 && f.scan.bad_slabs == 1);
	CHECK(f.scan.integrity.count[LX_PROB_UNREADABLE] == 1);
	CHECK(strstr(f.fk.messages, "memory unreadable") != NULL);
	f.fk.target.dump = unadvised_ops;
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* A chain's page that fails to read: as if the whole slab had been read. */
static bool test_chain_page_unreadable(void)
{
	struct fixture f;
	struct lx_dump_ops ops;
	const struct lx_slab *slab;

	fx_setup(&f, LX_FP_XOR_SWAB);
	full_and_partial(&f);
	tell_presence(&f, &ops, 0, 10);
	CHECK(fx_run_scan(&f) == 0);
	slab = fx_find_slab(&f.scan, 10);
	CHECK(slab && slab->bad && slab->nfree == 0 && !lx_object_is_free(&f.scan, slab, 1));
	CHECK(f.scan.live == 4 * FK_OBJS && f.scan.bad_slabs == 1);
	CHECK(f.scan.integrity.count[LX_PROB_UNREADABLE] == 1);
	CHECK(!f.scan.integrity.count[LX_PROB_FREELIST] && !f.scan.integrity.count[LX_PROB_INUSE]);
	f.fk.target.dump = unadvised_ops;
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_memmap_only_full_slab(void)
{
	static const unsigned int free_idx[] = { 0 };
	static const unsigned long partial[] = { 30, 0 };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_add_slab(&f.fk, 30, 7, false);
	fk_set_slab_freelist(&f.fk, 30, fk_chain(&f.fk, 30, free_idx, 1));
	fk_node_list(&f.fk, false, partial);
	fk_add_slab(&f.fk, 31, FK_OBJS, false);	/* full: on no list */
	fk_add_slab(&f.fk, 32, FK_OBJS, false);	/* another cache's slab */
	fk_w64(&f.fk, fk_page(32) + 24, 0xffff888009990000ULL);
	fk_add_slab(&f.fk, 33, FK_OBJS, false);	/* a tail page: never a slab */
	fk_w64(&f.fk, fk_page(33) + 8, fk_page(31) | 1);
	fk_set_node_nr_slabs(&f.fk, 2);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.used_memmap);
	CHECK(f.scan.nslabs == 2);
	CHECK(f.scan.by_source[LX_SRC_MEMMAP] == 1 && fx_find_slab(&f.scan, 31));
	CHECK(f.scan.live == 7 + 8);
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_partial_list_cycle(void)
{
	static const unsigned long partial[] = { 40, 41, 0 };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_add_slab(&f.fk, 40, FK_OBJS, false);
	fk_add_slab(&f.fk, 41, FK_OBJS, false);
	fk_node_list(&f.fk, false, partial);
	fk_w64(&f.fk, fk_page(41) + 8, fk_page(40) + 8);	/* 41 -> 40: loop */
	fk_set_node_nr_slabs(&f.fk, 2);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.nslabs == 2 && f.scan.bad_lists == 1);
	CHECK(strstr(f.fk.messages, "loops") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_cpu_partial_cycle(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_add_slab(&f.fk, 42, FK_OBJS, false);
	fk_add_slab(&f.fk, 43, FK_OBJS, false);
	fk_set_cpu(&f.fk, 0, 0, 0, 42);
	fk_set_partial_next(&f.fk, 42, 43);
	fk_set_partial_next(&f.fk, 43, 42);
	fk_set_node_nr_slabs(&f.fk, 2);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.nslabs == 2 && f.scan.bad_lists == 1 && f.scan.live == 16);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_truncated_slab_memory(void)
{
	static const unsigned int free_idx[] = { 2, 6 };
	static const unsigned long partial[] = { 50, 51, 0 };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_add_slab(&f.fk, 50, 6, false);
	fk_add_slab(&f.fk, 51, 6, false);
	fk_set_slab_freelist(&f.fk, 51, fk_chain(&f.fk, 51, free_idx, 2));
	fk_set_slab_freelist(&f.fk, 50, fk_obj(50, 0));
	fk_drop_region(&f.fk, fk_slab_mem(50));	/* page missing from the dump */
	fk_node_list(&f.fk, false, partial);
	fk_set_node_nr_slabs(&f.fk, 2);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.bad_slabs == 1);
	CHECK(f.scan.live == 8 + 6 && f.scan.free == 2);
	CHECK(strstr(f.fk.messages, "unreadable") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_list_entry_to_other_page(void)
{
	static const unsigned long partial[] = { 52, 0 };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_add_slab(&f.fk, 52, FK_OBJS, false);
	fk_node_list(&f.fk, false, partial);
	fk_w64(&f.fk, fk_page(52) + 8, fk_page(200) + 8);	/* a free page */
	fk_set_node_nr_slabs(&f.fk, 1);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.nslabs == 1 && f.scan.bad_lists == 1);
	CHECK(f.scan.integrity.count[LX_PROB_FOREIGN] == 1);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_list_entry_not_a_page(void)
{
	static const unsigned long partial[] = { 52, 0 };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_add_slab(&f.fk, 52, FK_OBJS, false);
	fk_node_list(&f.fk, false, partial);
	fk_w64(&f.fk, fk_page(52) + 8, 0xffff888777770008ULL);	/* direct map */
	fk_set_node_nr_slabs(&f.fk, 1);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.nslabs == 1 && f.scan.bad_lists == 1);
	CHECK(f.scan.integrity.count[LX_PROB_LIST] == 1);
	CHECK(strstr(f.fk.messages, "not a struct page") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_corrupt_freelists(void)
{
	static const unsigned int good[] = { 1, 2 }, looped[] = { 3, 4 };
	static const unsigned long partial[] = { 60, 61, 62, 0 };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_add_slab(&f.fk, 60, 6, false);
	fk_set_slab_freelist(&f.fk, 60, fk_chain(&f.fk, 60, good, 2));
	fk_add_slab(&f.fk, 61, 6, false);	/* 3 -> 4 -> 3 -> ... */
	fk_set_slab_freelist(&f.fk, 61, fk_chain(&f.fk, 61, looped, 2));
	fk_w64(&f.fk, fk_obj(61, 4) + FK_FREEPTR_OFFSET,
	       fk_obj(61, 3) ^ FK_RANDOM ^ __builtin_bswap64(fk_obj(61, 4) + FK_FREEPTR_OFFSET));
	fk_add_slab(&f.fk, 62, 7, false);	/* head points mid-object */
	fk_set_slab_freelist(&f.fk, 62, fk_obj(62, 1) + 8);
	fk_node_list(&f.fk, false, partial);
	fk_set_node_nr_slabs(&f.fk, 3);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.fp_mode == LX_FP_XOR_SWAB);
	CHECK(f.scan.bad_slabs == 2);
	CHECK(fx_find_slab(&f.scan, 61)->nfree == 2 && fx_find_slab(&f.scan, 62)->nfree == 0);
	CHECK(f.scan.live == 6 + 6 + 8);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_undecodable_encoding(void)
{
	static const unsigned int idx[] = { 1, 2 };
	static const unsigned long partial[] = { 65, 0 };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_add_slab(&f.fk, 65, 6, false);
	fk_set_slab_freelist(&f.fk, 65, fk_chain(&f.fk, 65, idx, 2));
	fk_w64(&f.fk, FK_CACHE + 184, FK_RANDOM ^ 0x40);	/* wrong key */
	fk_node_list(&f.fk, false, partial);
	fk_set_node_nr_slabs(&f.fk, 1);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.fp_mode == LX_FP_BROKEN && f.scan.bad_slabs == 1);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_bogus_object_count(void)
{
	static const unsigned long partial[] = { 70, 0 };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_add_slab(&f.fk, 70, 0, false);
	fk_w64(&f.fk, fk_page(70) + 40, 0x7fffULL << 16);	/* 32767 objects */
	fk_node_list(&f.fk, false, partial);
	fk_set_node_nr_slabs(&f.fk, 1);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.nslabs == 0 && f.scan.bad_slabs == 1);
	CHECK(strstr(f.fk.messages, "claims 32767 objects") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* kmem_cache.offset near 2^32: offset + 8 wraps in 32 bits (issue 11). */
static bool test_wrapping_free_pointer_offset(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fx_one_partial_slab(&f);
	fk_w32(&f.fk, FK_CACHE + 40, 0xfffffffcu);
	CHECK(fx_run_scan(&f) != 0);
	CHECK(f.scan.nslabs == 0);
	CHECK(strstr(f.fk.messages, "implausible layout") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_page_type_byte(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	f.fk.pg_slab_value = -1;		/* 6.12+: no PG_slab flag */
	f.fk.extra_enum = "PGTY_slab";
	f.fk.extra_enum_value = 0xf5;
	fk_add_slab(&f.fk, 80, FK_OBJS, false);
	fk_w64(&f.fk, fk_page(80), 0);		/* flags carry nothing */
	fk_w32(&f.fk, fk_page(80) + 48, 0xf5000000u);
	fk_set_node_nr_slabs(&f.fk, 1);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.s.L.slab_test == LX_SLAB_TYPE_BYTE);
	CHECK(f.scan.by_source[LX_SRC_MEMMAP] == 1 && f.scan.live == 8);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* The fixture's kernel, less the hidden member, is refused with expect. */
static bool layout_refused(struct fixture *f, const char *hidden, const char *expect)
{
	if (hidden)
		fk_hide_member(&f->fk, hidden);
	CHECK(lx_layout_init(&f->s) == LX_EABSENT);
	CHECK(strstr(f->fk.messages, expect) != NULL);
	CHECK(fx_teardown(f));
	return unit_ok();
}

/* 6.12 page types the layout does not know are refused, never guessed. */
static bool unknown_page_type_refused(long pgty_slab, const char *hidden,
				      const char *expect)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	f.fk.pg_slab_value = -1;
	f.fk.extra_enum = "PGTY_slab";
	f.fk.extra_enum_value = pgty_slab;
	return layout_refused(&f, hidden, expect);
}

static bool test_unknown_page_type_refused(void)
{
	return unknown_page_type_refused(0x1f5, NULL, "not a byte") &&
	       unknown_page_type_refused(0xf5, "page.page_type", "page_type is absent");
}

/* A known layout whose types lack a member the walker reads is refused. */
static bool test_sheaves_refused(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	CHECK(fk_profile(&f.fk, "6.18"));
	return layout_refused(&f, "slab_sheaf.barn_list", "lack a member leakext reads");
}

/*
 * 6.18 (kernel commit 2d517aa09bbc): objects in a cpu's main or spare
 * sheaf or in a barn's full sheaf count in their slab's inuse but are free.
 * Slab 10 has objects 1, 3 and 5 on its freelist, 0 and 2 in cpu 0's main
 * sheaf, 6 in cpu 1's spare and 4 in the barn: only 7 is live.
 */
static void sheaves_setup(struct fixture *f)
{
	const uint64_t main0[] = { fk_obj(10, 0), fk_obj(10, 2) };
	const uint64_t spare1[] = { fk_obj(10, 6) }, barn[] = { fk_obj(10, 4) };
	uint64_t full;

	fx_setup(f, LX_FP_XOR_SWAB);
	CHECK(fk_profile(&f->fk, "6.18") && !fk_profile(&f->fk, "9.99"));
	fx_one_partial_slab(f);
	fk_set_sheaves(&f->fk, 4);
	fk_set_cpu_sheaves(&f->fk, 0, fk_sheaf(&f->fk, 0, main0, 2),
			   fk_sheaf(&f->fk, 1, NULL, 0));
	fk_set_cpu_sheaves(&f->fk, 1, fk_sheaf(&f->fk, 2, NULL, 0),
			   fk_sheaf(&f->fk, 3, spare1, 1));
	full = fk_sheaf(&f->fk, 4, barn, 1);
	fk_barn_full(&f->fk, 0, &full, 1);
}

static bool test_sheaves_free(void)
{
	struct fixture f;
	const struct lx_slab *slab;

	sheaves_setup(&f);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.total == 8 && f.scan.free == 7 && f.scan.live == 1);
	CHECK(f.scan.sheaf_free == 4);
	slab = fx_find_slab(&f.scan, 10);
	CHECK(slab && lx_object_is_free(&f.scan, slab, 0) &&
	      lx_object_is_free(&f.scan, slab, 4) &&
	      lx_object_is_free(&f.scan, slab, 6) &&
	      !lx_object_is_free(&f.scan, slab, 7));
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * A cache without sheaves counts its slab freelists alone.  In 6.18 it did
 * not opt in (cpu_sheaves NULL); from 7.0 a cache of capacity 0 has every
 * cpu's main sheaf point at one empty bootstrap sheaf.
 */
static bool cache_without_sheaves(const char *profile, bool bootstrap_sheaf)
{
	struct fixture f;
	uint64_t bootstrap;

	fx_setup(&f, LX_FP_XOR_SWAB);
	CHECK(fk_profile(&f.fk, profile));
	fx_one_partial_slab(&f);
	if (bootstrap_sheaf) {
		fk_set_sheaves(&f.fk, 0);
		bootstrap = fk_sheaf(&f.fk, 0, NULL, 0);
		fk_set_cpu_sheaves(&f.fk, 0, bootstrap, 0);
		fk_set_cpu_sheaves(&f.fk, 1, bootstrap, 0);
	}
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.total == 8 && f.scan.live == 5 && f.scan.free == 3);
	CHECK(f.scan.sheaf_free == 0);
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_caches_without_sheaves(void)
{
	return cache_without_sheaves("6.18", false) &&
	       cache_without_sheaves("7.0", true) &&
	       cache_without_sheaves("7.1", true);
}

/*
 * 7.0 (kernel commit 32c894c7274b): no kmem_cache_cpu, so per-cpu free
 * objects are in sheaves only.  Slab 10 is partial (objects 1, 3, 5 on its
 * freelist; 0 and 2 in cpu 0's main sheaf, 6 in cpu 1's spare, 4 in the
 * barn).  Slab 11 counts all its objects in use, so it is full and on no
 * list, but cpu 1's main sheaf holds its objects 0 and 1.
 */
static bool test_7_0_sheaves_free(void)
{
	const uint64_t main0[] = { fk_obj(10, 0), fk_obj(10, 2) };
	const uint64_t main1[] = { fk_obj(11, 0), fk_obj(11, 1) };
	const uint64_t spare1[] = { fk_obj(10, 6) }, barn[] = { fk_obj(10, 4) };
	const struct lx_slab *slab;
	struct fixture f;
	uint64_t full;

	fx_setup(&f, LX_FP_XOR_SWAB);
	CHECK(fk_profile(&f.fk, "7.0"));
	fx_one_partial_slab(&f);
	fk_add_slab(&f.fk, 11, FK_OBJS, false);
	fk_set_node_nr_slabs(&f.fk, 2);
	fk_set_sheaves(&f.fk, 4);
	fk_set_cpu_sheaves(&f.fk, 0, fk_sheaf(&f.fk, 0, main0, 2), 0);
	fk_set_cpu_sheaves(&f.fk, 1, fk_sheaf(&f.fk, 1, main1, 2),
			   fk_sheaf(&f.fk, 2, spare1, 1));
	full = fk_sheaf(&f.fk, 3, barn, 1);
	fk_barn_full(&f.fk, 0, &full, 1);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.s.L.layout_name && strstr(f.s.L.layout_name, "(7.0)"));
	CHECK(!f.scan.by_source[LX_SRC_CPU] && !f.scan.by_source[LX_SRC_CPU_PARTIAL]);
	CHECK(f.scan.by_source[LX_SRC_NODE_PARTIAL] == 1);
	CHECK(f.scan.by_source[LX_SRC_MEMMAP] == 1);
	CHECK(f.scan.total == 16 && f.scan.free == 9 && f.scan.live == 7);
	CHECK(f.scan.sheaf_free == 6);
	slab = fx_find_slab(&f.scan, 11);
	CHECK(slab && slab->nfree == 2);
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * 7.1 (kernel commit 5ba6bc27b1f9): node and barn pointers in
 * kmem_cache.per_node[].  Node 1 has no memory, so no kmem_cache_node,
 * but a barn (commit 7f693882f009) whose full sheaf holds objects 4 and 6;
 * node 0's barn holds 2, cpu 0's main sheaf 0.  Only 7 is live.
 * nr_full_node1 is what node 1's barn claims to hold.
 */
static bool per_node_barns_case(uint32_t nr_full_node1, const char *problem)
{
	const uint64_t main0[] = { fk_obj(10, 0) }, barn0[] = { fk_obj(10, 2) };
	const uint64_t barn1[] = { fk_obj(10, 4), fk_obj(10, 6) };
	const struct lx_slab *slab;
	struct fixture f;
	uint64_t full0, full1;

	fx_setup(&f, LX_FP_XOR_SWAB);
	CHECK(fk_profile(&f.fk, "7.1"));
	fk_set_nodes(&f.fk, 2);
	fx_one_partial_slab(&f);
	fk_set_sheaves(&f.fk, 4);
	fk_set_cpu_sheaves(&f.fk, 0, fk_sheaf(&f.fk, 0, main0, 1), 0);
	full0 = fk_sheaf(&f.fk, 1, barn0, 1);
	full1 = fk_sheaf(&f.fk, 2, barn1, 2);
	fk_barn_full(&f.fk, 0, &full0, 1);
	fk_w32(&f.fk, fk_barn_full(&f.fk, 1, &full1, 1) + 40, nr_full_node1);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.s.L.layout_name && strstr(f.s.L.layout_name, "(7.1)"));
	CHECK(f.scan.by_source[LX_SRC_NODE_PARTIAL] == 1);
	CHECK(f.scan.total == 8 && f.scan.free == 7 && f.scan.live == 1);
	CHECK(f.scan.sheaf_free == 4);
	slab = fx_find_slab(&f.scan, 10);
	CHECK(slab && !lx_object_is_free(&f.scan, slab, 7));
	if (problem)
		CHECK(strstr(f.scan.integrity.first[LX_PROB_SHEAF], problem) != NULL);
	else
		CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_7_1_barns_per_node(void)
{
	return per_node_barns_case(1, NULL) &&
	       per_node_barns_case(2, "node 1 barn says 2 full sheaves, 1 found");
}

/* Corrupt sheaves are flagged and skipped; the walk still answers. */
static bool corrupt_sheaves_case(int which, uint64_t free, const char *expect)
{
	const uint64_t dup[] = { fk_obj(10, 1) }, stray[] = { fk_obj(11, 0) };
	const uint64_t full = FK_SHEAVES + 4 * FK_SHEAF_STRIDE;
	struct fixture f;

	sheaves_setup(&f);
	if (which == 0)		/* main sheaf size beyond its capacity */
		fk_set_sheaf_size(&f.fk, FK_SHEAVES, 100000);
	if (which == 1)		/* the barn's sheaf links to itself */
		fk_w64(&f.fk, full, full);
	if (which == 2)		/* an object both free in its slab and cached */
		fk_set_cpu_sheaves(&f.fk, 1, fk_sheaf(&f.fk, 5, dup, 1), 0);
	if (which == 3)		/* an object of no slab of this cache */
		fk_set_cpu_sheaves(&f.fk, 1, fk_sheaf(&f.fk, 5, stray, 1), 0);
	if (which == 4)		/* nr_full disagrees with the list */
		fk_w32(&f.fk, FK_BARN + 40, 3);
	CHECK(fx_run_scan(&f) == 0);
	CHECK(f.scan.integrity.count[LX_PROB_SHEAF] > 0);
	CHECK(strstr(f.scan.integrity.first[LX_PROB_SHEAF], expect) != NULL);
	CHECK(f.scan.free == free && f.scan.live == 8 - free);
	CHECK(f.s.flagged);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_sheaves_corrupt(void)
{
	return corrupt_sheaves_case(0, 5, "claims 100000 objects, capacity 4") &&
	       corrupt_sheaves_case(1, 7, "loops") &&
	       corrupt_sheaves_case(2, 6, "both in a sheaf and on a freelist") &&
	       corrupt_sheaves_case(3, 6, "in no slab") &&
	       corrupt_sheaves_case(4, 7, "says 3 full sheaves, 1 found");
}

/*
 * The profile's kernel (NULL: 6.1) with one member more or less has a
 * SLUB layout leakext does not know: refused, and nothing counted.
 */
static bool unknown_layout_refused(const char *profile, const char *added,
				   const char *hidden, const char *expect)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	CHECK(!profile || fk_profile(&f.fk, profile));
	if (added)
		fk_add_member(&f.fk, added);
	if (hidden)
		fk_hide_member(&f.fk, hidden);
	fx_one_partial_slab(&f);
	CHECK(fx_run_scan(&f) == LX_EABSENT);
	CHECK(f.scan.nslabs == 0 && f.scan.total == 0);
	CHECK(strstr(f.fk.messages, "a SLUB layout leakext does not know") != NULL);
	CHECK(strstr(f.fk.messages, expect) != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_unknown_layouts_refused(void)
{
	/* no kmem_cache_cpu and no sheaves: where would per-cpu frees be? */
	return unknown_layout_refused(NULL, NULL, "kmem_cache.cpu_slab",
				      "has kmem_cache.node, slab.slab_cache; lacks kmem_cache.cpu_slab, kmem_cache.cpu_sheaves") &&
	       /* sheaves, but no barn anywhere */
	       unknown_layout_refused("7.0", NULL, "kmem_cache_node.barn",
				      "lacks kmem_cache.cpu_slab, kmem_cache_node.barn, kmem_cache.per_node") &&
	       /* both node[] and per_node[] */
	       unknown_layout_refused("7.0", "kmem_cache.per_node", NULL,
				      "has kmem_cache.cpu_sheaves, kmem_cache.node, kmem_cache_node.barn, kmem_cache.per_node") &&
	       /* cpu slabs and 7.1's per-node pointers, no sheaves */
	       unknown_layout_refused(NULL, "kmem_cache.per_node", NULL,
				      "has kmem_cache.cpu_slab, kmem_cache.node, kmem_cache.per_node, slab.slab_cache; lacks kmem_cache.cpu_sheaves");
}

static bool test_slab_allocator_refused(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_hide_member(&f.fk, "kmem_cache.cpu_slab");
	fk_add_member(&f.fk, "kmem_cache.array");
	CHECK(lx_layout_init(&f.s) == LX_EABSENT);
	/* SLAB's probe takes it: SLUB's struct slab with array[] is no SLAB */
	CHECK(strstr(f.fk.messages, "a SLAB layout leakext does not know") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_pre_5_17_page_layout(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	CHECK(fk_profile(&f.fk, "5.15"));	/* no struct slab at all */
	fk_hide_member(&f.fk, "page.slab_cache");
	fx_one_partial_slab(&f);
	CHECK(lx_layout_init(&f.s) == LX_EABSENT);
	CHECK(strstr(f.fk.messages, "page.slab_cache") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_list_live_output(void)
{
	struct fixture f;
	struct lx_options opt = { .cache = "kmalloc-512", .list_live = true };
	char expect[512] = "";
	unsigned int i;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fx_one_partial_slab(&f);
	CHECK(fx_command(&f, &opt) == LX_OK);
	fflush(f.fk.out);
	for (i = 0; i < FK_OBJS; i++)
		if (i != 1 && i != 3 && i != 5)
			sprintf(expect + strlen(expect), "%llx\n",
				(unsigned long long)fk_obj(10, i));
	CHECK(f.fk.outbuf && !strcmp(f.fk.outbuf, expect));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * No max_pfn for the memmap scan: the walk used to fail after finding
 * slabs; now it ends flagged.  Either way nothing may be left allocated.
 */
static bool test_failed_walk_frees(void)
{
	static const struct lx_options cmds[] = {
		{ .cache = NULL }, { .cache = "kmalloc-512", .list_live = true },
	};
	static const struct lx_options dump = { .cache = "kmalloc-512", .dump = true };
	struct fixture f;
	uint64_t max_pfn = 0;
	size_t i;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fx_one_partial_slab(&f);
	fk_set_node_nr_slabs(&f.fk, 2);		/* one slab on no list */
	lx_symbol(&f.fk.target, "max_pfn", &max_pfn);
	fk_w64(&f.fk, max_pfn, 0);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		fx_command(&f, &cmds[i]);
		CHECK(f.fk.live_allocs == 0);
	}
	CHECK(fx_command(&f, &dump) == LX_OK && f.res.flagged);
	CHECK(f.fk.live_allocs == 0);
	CHECK(strstr(f.fk.messages, "max_pfn unknown") != NULL);
	CHECK(strstr(f.fk.messages, "memory map not scanned") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}


const struct unit_test walker_tests[] = {
	{ "slub: the walk advises the dump of each slab before reading it", test_walk_advises_each_slab },
	{ "slub: a dump that tells presence: full slabs are not read", test_full_slabs_not_read },
	{ "slub: a full slab the dump lacks is flagged unreadable", test_full_slab_missing_flagged },
	{ "slub: a chain's unreadable page makes the slab unreadable, not its freelist",
	  test_chain_page_unreadable },
	{ "plain freelist", test_plain_freelist },
	{ "hardened freelist, swab (5.7+)", test_hardened_swab_freelist },
	{ "hardened freelist, xor (4.14-5.6)", test_hardened_xor_freelist },
	{ "cpu lockless and remote freelists, cpu partial chain", test_cpu_freelists },
	{ "full slab found only by the memmap scan", test_memmap_only_full_slab },
	{ "node partial list with a cycle", test_partial_list_cycle },
	{ "cpu partial chain with a cycle", test_cpu_partial_cycle },
	{ "slab memory missing from the dump", test_truncated_slab_memory },
	{ "list entry pointing to a page of no cache", test_list_entry_to_other_page },
	{ "list entry that is not a struct page", test_list_entry_not_a_page },
	{ "freelist loop and misaligned head", test_corrupt_freelists },
	{ "no freelist encoding verifies", test_undecodable_encoding },
	{ "bogus object count in counters", test_bogus_object_count },
	{ "free pointer offset that wraps 32 bits refused", test_wrapping_free_pointer_offset },
	{ "PGTY_slab page type (6.12+)", test_page_type_byte },
	{ "unknown page type encodings refused", test_unknown_page_type_refused },
	{ "per-cpu sheaves without their types refused", test_sheaves_refused },
	{ "cpu main/spare and barn full sheaves count free (6.18)", test_sheaves_free },
	{ "caches without sheaves still exact (6.18, 7.0, 7.1)",
	  test_caches_without_sheaves },
	{ "corrupt sheaves and barns flagged, not crashed on", test_sheaves_corrupt },
	{ "7.0: no kmem_cache_cpu, sheaves hold the per-cpu free objects", test_7_0_sheaves_free },
	{ "7.1: barns per node in kmem_cache.per_node, memoryless node too",
	  test_7_1_barns_per_node },
	{ "SLUB layouts leakext does not know refused", test_unknown_layouts_refused },
	{ "SLAB allocator refused", test_slab_allocator_refused },
	{ "no struct slab: page layout checked", test_pre_5_17_page_layout },
	{ "leakscan -l lists exactly the live objects", test_list_live_output },
	{ "a walk that fails frees its slabs (ranking, -l, leakdump)", test_failed_walk_frees },
	{ NULL, NULL }
};
