// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stack depot reader (kernel/stackdepot.c), page_ext and page_owner
 * (kernel/pageowner.c) and the large kmalloc finder built on them
 * (analysis/largealloc.c), through --large (text and JSON) and the
 * ranking, over the synthetic kernel of tests/unit/fake_pageowner.c whose
 * memory the input overwrites.
 *
 * Input:
 *     byte 0   bit 0 FLATMEM, bit 1 fields derived (no bit layout),
 *              bit 2 the page type row (PGTY_large_kmalloc)
 *     byte 1   which commands run: bit 0 --large text, 1 --large JSON,
 *              2 the ranking, 3 --large -R JSON
 *     patches  until the input ends: [window][u16 offset][len & 15][bytes]
 * A window is one structure the readers follow: the struct pages of the
 * compound heads, the page_ext entries, depot pool 0, the pool array and
 * count, the section roots and sections (or the node), the variables
 * (page_ext_size, the ops, the key).  Offsets are taken modulo the
 * window's size and writes cut at its end; the other memory model's
 * windows are skipped.
 */
#include <string.h>

#include "fake_pageowner.h"
#include "fuzz_fake.h"

static const struct fz_window windows[] = {
	{ FK_VMEMMAP + 64 * 64, 128 * 64 },		/* pfn 64..191's struct pages */
	{ FP_EXT + 64 * FP_ENTRY, 128 * FP_ENTRY },	/* their page_ext entries */
	{ FK_PAGE_OFFSET + FD_POOL_PFN * FK_PAGE_SIZE, FD_POOL_SIZE },
	{ FD_POOLS, 32 },
	{ FD_COUNT, 8 },
	{ FP_ROOTS, 16 },
	{ FP_SECTIONS, 128 },
	{ FP_PGDAT, 32 },
	{ FP_VARS, 0x500 },
};

#define NWINDOWS (sizeof(windows) / sizeof(windows[0]))

static const struct fk_enum typed_enums[] = {
	{ "PG_head", FP_PG_HEAD }, { "PAGE_EXT_OWNER", 0 }, { "PAGE_EXT_OWNER_ALLOCATED", 1 },
	{ "PGTY_large_kmalloc", 0xf8 },
};

/* The memory model's own windows exist only in its kernel (arg: flat). */
static bool window_exists(const struct fz_window *w, void *arg)
{
	bool flat = *(bool *)arg;

	if (w->addr == FP_PGDAT)
		return flat;
	if (w->addr == FP_ROOTS || w->addr == FP_SECTIONS)
		return !flat;
	return true;
}

/* Two large allocations, a compound page that is none, one with no record. */
static void pages(struct fake_kernel *fk, bool typed)
{
	const uint64_t other[] = { FP_POST_ALLOC, FD_FUNC + 0x100 };

	fp_large(fk, 64, 2, 0, 0);
	fp_large(fk, 96, 1, 8, 1);
	fp_compound(fk, 80, 3);
	fp_owner(fk, 80, 3, fd_record(fk, false, 0, 40, other, 2, 2), 1, "swapper/0", false);
	fp_compound(fk, 120, 2);
	if (typed) {
		fk->enums = typed_enums;
		fk->nenums = 4;
		fk_w32(fk, fk_page(120) + 48, 0xf8000000u);
		fk_w32(fk, fk_page(64) + 48, 0xf8000000u);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct lx_options cmds[] = {
		{ .large = true },
		{ .large = true, .json = true, .all = true },
		{ .all = true },
		{ .large = true, .json = true, .redact = true },
	};
	struct fz_input in = { data, size };
	uint8_t first = fz_u8(&in), which = fz_u8(&in);
	bool flat = first & 1;
	struct fixture f;

	fp_setup(&f, flat);
	if (first & 2)
		f.fk.nbits = 0;
	pages(&f.fk, first & 4);
	fz_patch_windows(&f.fk, &in, windows, NWINDOWS, window_exists, &flat);
	fz_fake_commands_fini(&f.fk, cmds, sizeof(cmds) / sizeof(cmds[0]), which);
	return 0;
}
