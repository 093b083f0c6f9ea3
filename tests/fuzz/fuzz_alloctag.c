// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The alloc tag reader (slab/alloctag.c) and what is built on it: the
 * cluster report's sites (text and JSON) and --allocinfo (text and JSON),
 * over the synthetic kernel of tests/unit/fake_alloctag.c whose memory
 * the input overwrites.
 *
 * Input:
 *     byte 0   bit 0 the MEMCG layout (16-byte slabobj_ext, ref at 8),
 *              bit 1 the module idr (fa_modules()),
 *              bits 2-3 obj_exts' flag bits
 *     byte 1   which commands run: bit 0 cluster text, 1 cluster JSON,
 *              2 allocinfo text, 3 allocinfo JSON
 *     patches  until the input ends: [window][u16 offset][len & 15][bytes]
 * A window is one structure the reader follows: the slab's struct page,
 * the vector, the kernel's tags, the names, both cpus' counters, the
 * codetag_type, the xa_node, the codetag_modules, the module's tags.
 * Offsets are taken modulo the window's size and writes cut at its end;
 * without the idr its four windows are not chosen.
 */
#include <string.h>

#include "fake_alloctag.h"
#include "fuzz_fake.h"

static const struct fz_window windows[] = {
	{ FK_VMEMMAP + 10 * 64, 64 },	/* the slab's struct page (fk_page(10)) */
	{ FA_VEC, 256 },
	{ FA_TAGS, FA_NTAGS * FA_TAG_SIZE },
	{ FA_STRINGS, 1024 },
	{ FK_PERCPU_BASE + FA_COUNTERS, 128 },
	{ FK_PERCPU_BASE + 0x1000 + FA_COUNTERS, 128 },
	{ FA_CTTYPE, 64 },
	{ FA_XA_NODE, 576 },
	{ FA_CMODS, 0x140 },
	{ FA_MOD_TAGS, 2 * FA_TAG_SIZE },
};

#define NWINDOWS (sizeof(windows) / sizeof(windows[0]))
#define NWINDOWS_NO_MODULES 6	/* the idr's windows exist with fa_modules() only */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct lx_options cmds[] = {
		{ .cache = "kmalloc-512", .no_holders = true, .all = true },
		{ .cache = "kmalloc-512", .no_holders = true, .json = true, .all = true },
		{ .allocinfo = true },
		{ .allocinfo = true, .json = true },
	};
	struct fz_input in = { data, size };
	uint8_t first = fz_u8(&in), which = fz_u8(&in);
	struct fixture f;

	if (first & 1)
		fa_setup(&f, "alloctag-memcg", 16, 8, (first >> 2) & 3);
	else
		fa_setup(&f, "alloctag", 8, 0, (first >> 2) & 3);
	if (first & 2)
		fa_modules(&f.fk);
	fa_counters(&f.fk, 0, 0, 1536, 3);
	fa_counters(&f.fk, 1, 1, 512, 1);
	fz_patch_windows(&f.fk, &in, windows, first & 2 ? NWINDOWS : NWINDOWS_NO_MODULES,
			 NULL, NULL);
	fz_fake_commands_fini(&f.fk, cmds, sizeof(cmds) / sizeof(cmds[0]), which);
	return 0;
}
