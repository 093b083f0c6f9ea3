/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the harnesses over a synthetic kernel (tests/unit/fake_*.c):
 * patching its memory from the input, window by window, and running a
 * command on it with the output oracles.
 */
#ifndef FUZZ_FAKE_H
#define FUZZ_FAKE_H

#include "fake_target.h"
#include "fuzz_util.h"
#include "leakext/leakext.h"

/* One structure a reader follows, which the input may overwrite. */
struct fz_window {
	uint64_t addr;
	size_t size;
};

/*
 * Patches until the input ends (at most 256): [window][u16 offset]
 * [len & 15][bytes], the window taken modulo n, the offset modulo its
 * size, the write cut at its end; windows usable() refuses (may be
 * NULL) are skipped, their bytes consumed.
 */
void fz_patch_windows(struct fake_kernel *fk, struct fz_input *in,
		      const struct fz_window *windows, size_t n,
		      bool (*usable)(const struct fz_window *w, void *arg), void *arg);
/* Run opt on the fake, check its output and messages, reset them. */
void fz_fake_command(struct fake_kernel *fk, const struct lx_options *opt);
/*
 * Run the commands of opts[0, n) whose bit is set in which, check that
 * the core freed every target allocation, and free the fake.
 */
void fz_fake_commands_fini(struct fake_kernel *fk, const struct lx_options *opts, size_t n,
			   unsigned int which);

#endif
