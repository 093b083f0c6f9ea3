// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the stack depot reader (kernel/stackdepot.c) on a
 * synthetic depot: 6.12's layout (pool_index_plus_1, fixed entries[]) and
 * 6.1's (slabindex and the valid bit, a flexible entries[]), the handle's
 * fields from the types and derived without them, and hostile handles
 * and records.
 */
#include <string.h>

#include "fake_depot.h"
#include "fixture.h"
#include "kernel/stackdepot.h"
#include "unit.h"

static const uint64_t frames3[] = { FD_FUNC + 0x100 + 0x1f, FD_FUNC, 0xffffffff81ffff00ULL };

/* A session on a fake kernel of profile with a depot; D resolved. */
static void depot_session(struct fixture *f, const char *profile, bool v6_1, bool bits,
			  struct lx_depot *D)
{
	fx_setup(f, LX_FP_PLAIN);
	CHECK(fk_profile(&f->fk, profile));
	fd_setup(&f->fk, v6_1, bits);
	fd_symbols(&f->fk);
	fx_one_partial_slab(f);
	CHECK(fx_run_scan(f) == LX_OK);
	lx_depot_init(&f->s, D);
}

static bool layout_case(const char *profile, bool v6_1, bool bits)
{
	struct fixture f;
	struct lx_depot D;
	uint64_t got[8];
	uint32_t handle;

	depot_session(&f, profile, v6_1, bits, &D);
	CHECK(D.present && D.pools == FD_POOLS && D.npools == FD_NPOOLS);
	CHECK(D.pool_size == FD_POOL_SIZE && D.offset.bits == 10);
	CHECK(D.index.shift == 0 && D.index.bits == (v6_1 ? 16u : 17u));
	CHECK(D.offset.shift == D.index.bits && D.index_bias == (v6_1 ? 0u : 1u));
	CHECK(D.extra.shift == 27 && D.extra.bits == 5);
	CHECK(D.entries_cap == (v6_1 ? 0u : 64u));
	handle = fd_record(&f.fk, v6_1, 1, 0x142, frames3, 3, 3);
	CHECK(lx_depot_record(&f.s, &D, handle) == fd_pool(1) + 0x1420);
	CHECK(lx_depot_fetch(&f.s, &D, handle, got, 8) == 3);
	CHECK(!memcmp(got, frames3, sizeof(frames3)));
	/* the users' extra bits do not change the record */
	CHECK(lx_depot_fetch(&f.s, &D, handle | 3u << 27, got, 8) == 3);
	/* max cuts the stack */
	memset(got, 0, sizeof(got));
	CHECK(lx_depot_fetch(&f.s, &D, handle, got, 2) == 2 && got[1] == FD_FUNC && !got[2]);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_depot_6_12(void)
{
	return layout_case("depot", false, true);
}

static bool test_depot_6_12_derived(void)
{
	return layout_case("depot", false, false);
}

static bool test_depot_6_1(void)
{
	return layout_case("depot-6.1", true, true) && layout_case("depot-6.1", true, false);
}

static bool test_frame_text(void)
{
	struct fixture f;
	struct lx_depot D;
	char buf[LX_FRAME_TEXT_MAX], name[64];

	depot_session(&f, "depot", false, true, &D);
	lx_frame_text(&f.s, FD_FUNC + 0x100, buf, sizeof(buf), name, sizeof(name));
	CHECK(!strcmp(buf, "fd_func1") && !strcmp(name, "fd_func1"));
	lx_frame_text(&f.s, FK_MODULE_FUNC, buf, sizeof(buf), name, sizeof(name));
	CHECK(!strcmp(buf, "fk_module_handler [fk_mod]") && !strcmp(name, "fk_module_handler"));
	lx_frame_text(&f.s, 0xffffffff81ffff00ULL, buf, sizeof(buf), name, sizeof(name));
	CHECK(!strcmp(buf, "0xffffffff81ffff00") && !name[0]);
	lx_frame_text(&f.s, FD_FUNC, buf, 4, NULL, 0);
	CHECK(!strcmp(buf, "fd_"));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Handles and records a corrupted dump may hold: never a frame from them. */
static bool test_depot_hostile(void)
{
	struct fixture f;
	struct lx_depot D;
	uint64_t got[8];
	uint32_t good, h;

	depot_session(&f, "depot", false, true, &D);
	good = fd_record(&f.fk, false, 0, 4, frames3, 3, 3);
	CHECK(lx_depot_fetch(&f.s, &D, good, got, 8) == 3);
	CHECK(!lx_depot_fetch(&f.s, &D, 0, got, 8));
	/* pool index 0 stored as 0: below the bias */
	CHECK(!lx_depot_fetch(&f.s, &D, good & ~0x1ffffu, got, 8));
	/* pool index at pools_num and far above it */
	CHECK(!lx_depot_fetch(&f.s, &D, (good & ~0x1ffffu) | (FD_NPOOLS + 1), got, 8));
	CHECK(!lx_depot_fetch(&f.s, &D, good | 0x1ffffu, got, 8));
	/* another offset: the record there does not carry this handle */
	CHECK(!lx_depot_fetch(&f.s, &D, good + (1u << 17), got, 8));
	/* a size beyond entries[] (64 frames) and a huge one */
	h = fd_record(&f.fk, false, 0, 40, frames3, 3, 65);
	CHECK(!lx_depot_fetch(&f.s, &D, h, got, 8));
	h = fd_record(&f.fk, false, 0, 40, frames3, 3, 0xffffffffu);
	CHECK(!lx_depot_fetch(&f.s, &D, h, got, 8));
	h = fd_record(&f.fk, false, 0, 40, frames3, 0, 0);
	CHECK(!lx_depot_fetch(&f.s, &D, h, got, 8));
	/* the last record of a pool: 40 frames would run past its end */
	h = fd_record(&f.fk, false, 1, 0x3fe, frames3, 0, 40);
	CHECK(lx_depot_record(&f.s, &D, h) == fd_pool(1) + 0x3fe0);
	CHECK(!lx_depot_fetch(&f.s, &D, h, got, 8));
	/* a NULL pool pointer, then pools_num larger than the index can hold */
	fk_w64(&f.fk, FD_POOLS + 8, 0);
	CHECK(!lx_depot_fetch(&f.s, &D, fd_record(&f.fk, false, 1, 0, frames3, 3, 3), got, 8));
	fk_w32(&f.fk, FD_COUNT, 0xffffffffu);
	lx_depot_init(&f.s, &D);
	CHECK(D.present && D.npools == 1u << 17);
	CHECK(lx_depot_fetch(&f.s, &D, good, got, 8) == 3);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* No depot types, or no pools: not present, and nothing fetched. */
static bool test_depot_absent(void)
{
	struct fixture f;
	struct lx_depot D;
	uint64_t got[4];

	fx_setup(&f, LX_FP_PLAIN);
	fx_one_partial_slab(&f);
	CHECK(fx_run_scan(&f) == LX_OK);
	lx_depot_init(&f.s, &D);
	CHECK(!D.present && !lx_depot_fetch(&f.s, &D, 0x284002a, got, 4));
	CHECK(fx_teardown(&f));

	fx_setup(&f, LX_FP_PLAIN);
	CHECK(fk_profile(&f.fk, "depot"));
	fx_one_partial_slab(&f);
	CHECK(fx_run_scan(&f) == LX_OK);
	lx_depot_init(&f.s, &D);
	CHECK(!D.present);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

const struct unit_test stackdepot_tests[] = {
	{ "stackdepot: 6.12 layout, fields from the types", test_depot_6_12 },
	{ "stackdepot: 6.12 layout, fields derived", test_depot_6_12_derived },
	{ "stackdepot: 6.1 layout (slabindex, valid, flexible entries)", test_depot_6_1 },
	{ "stackdepot: frames as symbol+offset [module]", test_frame_text },
	{ "stackdepot: hostile handles and records", test_depot_hostile },
	{ "stackdepot: absent", test_depot_absent },
	{ NULL, NULL },
};
