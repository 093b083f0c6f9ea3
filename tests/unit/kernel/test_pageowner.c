// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of page_ext and page_owner (kernel/pageowner.c) on the fake
 * kernel: SPARSEMEM's biased section pointers and FLATMEM's node array,
 * the clients' offsets from their ops, page_owner records, and hostile
 * values (bad sizes, torn-down sections, offsets outside the entry).
 */
#include <string.h>

#include "fake_pageowner.h"
#include "kernel/pageowner.h"
#include "unit.h"

static void session(struct fixture *f, bool flat, struct lx_page_ext *E)
{
	fp_setup(f, flat);
	CHECK(fx_run_scan(f) == LX_OK);
	lx_page_ext_init(&f->s, E);
}

static bool entries_case(bool flat)
{
	struct fixture f;
	struct lx_page_ext E;

	session(&f, flat, &E);
	CHECK(E.present && E.sparse == !flat && E.entry_size == FP_ENTRY);
	CHECK(E.owner_offset == FP_OWNER && E.tag_offset == FP_TAG && E.owner_on);
	CHECK(E.owner_flag == 1 && E.allocated_flag == 2);
	CHECK(lx_page_ext_entry(&f.s, &E, 5) == fp_entry(5));
	/* section 1: its pointer is biased by pfn 128, the entry is not */
	CHECK(lx_page_ext_entry(&f.s, &E, 130) == fp_entry(130));
	CHECK(lx_page_ext_entry(&f.s, &E, FK_MAX_PFN - 1) == fp_entry(FK_MAX_PFN - 1));
	CHECK(!lx_page_ext_entry(&f.s, &E, FK_MAX_PFN));
	CHECK(!lx_page_ext_entry(&f.s, &E, ~0ULL));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_page_ext_sparse(void)
{
	struct fixture f;
	struct lx_page_ext E;

	if (!entries_case(false))
		return false;
	session(&f, false, &E);
	CHECK(E.extreme && E.section_shift == 7 && E.per_root == 128);
	/* PAGE_EXT_INVALID: section 1 is being torn down */
	fk_w64(&f.fk, FP_SECTIONS + 32 + 16,
	       (fp_entry(128) - 128ULL * FP_ENTRY) | 1);
	CHECK(!lx_page_ext_entry(&f.s, &E, 130) && lx_page_ext_entry(&f.s, &E, 5));
	/* no section pointer, then no root */
	fk_w64(&f.fk, FP_SECTIONS + 16, 0);
	CHECK(!lx_page_ext_entry(&f.s, &E, 5));
	fk_w64(&f.fk, FP_ROOTS, 0);
	CHECK(!lx_page_ext_entry(&f.s, &E, 5));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_page_ext_flat(void)
{
	struct fixture f;
	struct lx_page_ext E;

	if (!entries_case(true))
		return false;
	session(&f, true, &E);
	/* the node starts at pfn 100: rounded down to 1024-page blocks, 0 */
	fk_w64(&f.fk, FP_PGDAT + 8, 100);
	fk_w64(&f.fk, FP_PGDAT + 16, FK_MAX_PFN - 100);
	lx_page_ext_init(&f.s, &E);
	CHECK(E.present && E.flat_start == 0 && lx_page_ext_entry(&f.s, &E, 7) == fp_entry(7));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_page_owner(void)
{
	struct fixture f;
	struct lx_page_ext E;
	struct lx_page_owner_layout P;
	struct lx_page_owner o;

	session(&f, false, &E);
	CHECK(lx_page_owner_layout(&f.s, &E, &P));
	fp_owner(&f.fk, 130, 3, 0x284002a, 39, "ins\x1b[31mod", false);
	CHECK(lx_page_owner_read(&f.s, &E, &P, 130, &o));
	CHECK(o.allocated && o.order == 3 && o.handle == 0x284002a && o.gfp == 0x40cc0);
	CHECK(o.pid == 39 && o.tgid == 39 && o.ts_nsec == 3080108761ULL);
	CHECK(!strcmp(o.comm, "ins.[31mod"));
	fp_owner(&f.fk, 131, 0, 1, 2, "kworker/0:0H-events_highpri", true);
	CHECK(lx_page_owner_read(&f.s, &E, &P, 131, &o) && !o.allocated &&
	      strlen(o.comm) == 16);
	/* never owned: PAGE_EXT_OWNER clear */
	CHECK(!lx_page_owner_read(&f.s, &E, &P, 132, &o));
	fk_w64(&f.fk, fp_entry(9) + FP_TAG, fa_tag(2));
	CHECK(lx_page_ext_codetag(&f.s, &E, 9) == fa_tag(2));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Values a corrupted dump may hold: never an entry or a record from them. */
static bool test_page_ext_hostile(void)
{
	struct fixture f;
	struct lx_page_ext E;
	struct lx_page_owner_layout P;

	session(&f, false, &E);
	fk_w64(&f.fk, FP_VARS + 0x100, 1ULL << 40);	/* page_ext_size */
	lx_page_ext_init(&f.s, &E);
	CHECK(!E.present && !lx_page_ext_entry(&f.s, &E, 5));
	fk_w64(&f.fk, FP_VARS + 0x100, FP_ENTRY);
	fk_w64(&f.fk, FP_VARS + 0x200, FP_ENTRY - 8);	/* page_owner past the entry */
	fk_w64(&f.fk, FP_VARS + 0x300, 0);		/* over the flags */
	lx_page_ext_init(&f.s, &E);
	CHECK(E.present && E.owner_offset < 0 && E.tag_offset < 0 && !E.owner_on);
	CHECK(!lx_page_owner_layout(&f.s, &E, &P) && !lx_page_ext_codetag(&f.s, &E, 5));
	fk_w64(&f.fk, FP_VARS + 0x200, FP_OWNER);
	fk_w32(&f.fk, FP_VARS + 0x400, 0);		/* page_owner=on not given */
	lx_page_ext_init(&f.s, &E);
	CHECK(E.present && !E.owner_on && !lx_page_owner_layout(&f.s, &E, &P));
	CHECK(fx_teardown(&f));

	fx_setup(&f, LX_FP_PLAIN);		/* no page_ext at all */
	fx_one_partial_slab(&f);
	CHECK(fx_run_scan(&f) == LX_OK);
	lx_page_ext_init(&f.s, &E);
	CHECK(!E.present && !E.owner_on);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

const struct unit_test pageowner_tests[] = {
	{ "pageowner: SPARSEMEM entries, biased sections, torn down", test_page_ext_sparse },
	{ "pageowner: FLATMEM entries from the rounded node start", test_page_ext_flat },
	{ "pageowner: page_owner records, comm sanitized", test_page_owner },
	{ "pageowner: hostile sizes, offsets and keys", test_page_ext_hostile },
	{ NULL, NULL },
};
