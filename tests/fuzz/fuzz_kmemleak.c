// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmemleak's records (slab/kmemleak.c) and what is built on them: -u's
 * verdicts and sites, the cluster report's kmemleak lines (text and JSON),
 * over the fake kernel of tests/unit/fake_kmemleak.c with a stack depot,
 * whose memory the input overwrites: hostile records, links that loop or
 * point anywhere, huge sizes, handles into nowhere.
 *
 * Input:
 *     byte 0   records linked on object_list (0..FKL_MAX, modulo 9)
 *     byte 1   which commands run: bit 0 -u, 1 cluster text, 2 cluster JSON
 *     patches  until the input ends: [window][u16 offset][len & 15][bytes]
 * A window is one structure the reader follows: the records, object_list
 * and the scan times, the depot's pool array and count, its two pools'
 * first records.  Offsets are taken modulo the window's size and writes
 * cut at its end.
 */
#include <string.h>

#include "fake_depot.h"
#include "fake_kmemleak.h"
#include "fixture.h"
#include "fuzz_fake.h"
#include "leakext/leakext.h"

#define NRECS 8

static void apply_patches(struct fake_kernel *fk, struct fz_input *in)
{
	const struct fz_window windows[] = {
		{ FKL_RECS, NRECS * FKL_SIZE },
		{ FKL_HEAD, 0x60 },
		{ FD_POOLS, 0x20 },
		{ FD_COUNT, 8 },
		{ fd_pool(0), 1024 },
		{ fd_pool(1), 1024 },
	};

	fz_patch_windows(fk, in, windows, sizeof(windows) / sizeof(windows[0]), NULL, NULL);
}

/* kmemleak's records of the slab's live objects, two stacks between them. */
static void kernel(struct fixture *f, unsigned int nlinked)
{
	static const unsigned int live[] = { 0, 2, 4, 6, 7, 1, 3, 5 };
	const uint64_t frames[] = { FD_FUNC + 0x100 + 0x30, FD_FUNC + 0x8 };
	struct fkl_rec recs[NRECS];
	uint32_t h0, h1;
	unsigned int i;

	fx_setup(f, LX_FP_PLAIN);
	fkl_setup(&f->fk, 1000, 500, 1200);
	fd_setup(&f->fk, false, true);
	fd_symbols(&f->fk);
	f->fk.nearest_symbols = true;
	h0 = fd_record(&f->fk, false, 0, 2, frames, 2, 2);
	h1 = fd_record(&f->fk, false, 1, 4, frames + 1, 1, 1);
	for (i = 0; i < NRECS; i++)
		recs[i] = (struct fkl_rec){ fk_obj(10, live[i]), 512, 100 * i,
					    1u | (i & 1) << 1, i < 5 ? h0 : h1,
					    1, (int32_t)(i % 3) - 1, 40 + i, "fuzz" };
	fkl_list(&f->fk, recs, nlinked);
	fx_one_partial_slab(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct lx_options cmds[] = {
		{ .cache = "kmalloc-512", .unreferenced = true },
		{ .cache = "kmalloc-512", .all = true },
		{ .cache = "kmalloc-512", .json = true, .all = true },
	};
	struct fz_input in = { data, size };
	uint8_t nlinked = fz_u8(&in) % (NRECS + 1), which = fz_u8(&in);
	struct fixture f;

	kernel(&f, nlinked);
	apply_patches(&f.fk, &in);
	fz_fake_commands_fini(&f.fk, cmds, sizeof(cmds) / sizeof(cmds[0]), which);
	return 0;
}
