/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the harnesses over the fake kernel: commands and patches. */
#ifndef FUZZ_FAKE_H
#define FUZZ_FAKE_H

#include "fuzz_util.h"

struct fake_kernel;
struct lx_options;
/* One command on the fake kernel, its output checked, the output reset. */
void fz_run_fake_command(struct fake_kernel *fk, const struct lx_options *opt);

/*
 * The commands of cmds[0..n) whose bit is set in which, each checked;
 * then the core must have freed what it allocated; then fk_fini().
 */
void fz_run_fake_commands(struct fake_kernel *fk, const struct lx_options *cmds,
			  size_t n, unsigned int which);

/* A structure of the fake kernel's memory that patches may overwrite. */
struct fz_window {
	uint64_t addr;
	size_t size;
};

/*
 * Patches until the input ends (at most 256): [window][u16 offset][len &
 * 15][bytes], the window chosen modulo n, the offset modulo its size, the
 * write cut at its end.
 */
void fz_patch_windows(struct fake_kernel *fk, struct fz_input *in,
		      const struct fz_window *w, size_t n);

#endif
