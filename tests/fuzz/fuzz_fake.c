// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers for the harnesses over the fake kernel (fuzz_fake.h); linked
 * only into those, as they need tests/unit/fake_target.o.
 */
#include <stdio.h>

#include "fake_target.h"
#include "fuzz_fake.h"
#include "leakext/leakext.h"

void fz_run_fake_command(struct fake_kernel *fk, const struct lx_options *opt)
{
	struct lx_result res;

	lx_run(&fk->target, opt, &res);
	fflush(fk->out);
	fz_check_report(fk->outbuf, fk->outlen, fk->messages, opt->json);
	rewind(fk->out);
	fk->messages[0] = '\0';
}

void fz_run_fake_commands(struct fake_kernel *fk, const struct lx_options *cmds,
			  size_t n, unsigned int which)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (which & (1u << i))
			fz_run_fake_command(fk, &cmds[i]);
	if (fk->live_allocs)
		fz_fail("the core leaked target allocations", NULL, 0);
	fk_fini(fk);
}

void fz_patch_windows(struct fake_kernel *fk, struct fz_input *in,
		      const struct fz_window *w, size_t n)
{
	unsigned int patches = 0;
	uint8_t buf[16];

	while (in->left && n && patches++ < 256) {
		const struct fz_window *at = &w[fz_u8(in) % n];
		size_t off = fz_u16(in) % at->size;
		size_t len = fz_u8(in) & 15;

		len = fz_bytes(in, buf, len);
		if (len > at->size - off)
			len = at->size - off;
		if (len)
			fk_write(fk, at->addr + off, buf, len);
	}
}
