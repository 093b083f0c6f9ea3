// SPDX-License-Identifier: GPL-2.0-or-later
/* Harnesses over a synthetic kernel (fuzz_fake.h). */
#include "fuzz_fake.h"

void fz_patch_windows(struct fake_kernel *fk, struct fz_input *in,
		      const struct fz_window *windows, size_t n,
		      bool (*usable)(const struct fz_window *w, void *arg), void *arg)
{
	unsigned int count = 0;
	uint8_t buf[16];

	while (in->left && count++ < 256) {
		const struct fz_window *w = &windows[fz_u8(in) % n];
		size_t off = fz_u16(in) % w->size;
		size_t len = fz_u8(in) & 15;

		len = fz_bytes(in, buf, len);
		if (len > w->size - off)
			len = w->size - off;
		if (len && (!usable || usable(w, arg)))
			fk_write(fk, w->addr + off, buf, len);
	}
}

void fz_fake_command(struct fake_kernel *fk, const struct lx_options *opt)
{
	struct lx_result res;

	lx_run(&fk->target, opt, &res);
	fflush(fk->out);
	fz_check_report(fk->outbuf, fk->outlen, fk->messages, opt->json);
	rewind(fk->out);
	fk->messages[0] = '\0';
}

void fz_fake_commands_fini(struct fake_kernel *fk, const struct lx_options *opts, size_t n,
			   unsigned int which)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (which & (1u << i))
			fz_fake_command(fk, &opts[i]);
	if (fk->live_allocs)
		fz_fail("the core leaked target allocations", NULL, 0);
	fk_fini(fk);
}
