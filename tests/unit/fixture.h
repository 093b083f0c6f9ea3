/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A synthetic kernel, a session on it, and one scan: the walker tests' base. */
#ifndef FIXTURE_H
#define FIXTURE_H

#include "fake_target.h"

struct fixture {
	struct fake_kernel fk;
	struct lx_session s;
	struct lx_cache cache;
	struct lx_scan scan;
	struct lx_result res;	/* of the last fx_command() */
};

void fx_setup(struct fixture *f, enum lx_freeptr_mode encoding);
/* Lay out, read the cache and scan it; LX_OK on success. */
enum lx_status fx_run_scan(struct fixture *f);
/* One command through the front ends' entry (lx_run); its status. */
enum lx_status fx_command(struct fixture *f, const struct lx_options *opt);
/* Frees everything; true if the core freed what it allocated. */
bool fx_teardown(struct fixture *f);
const struct lx_slab *fx_find_slab(const struct lx_scan *scan, unsigned long pfn);
/* pfn 10 on node 0's partial list, objects 1, 3 and 5 free. */
void fx_one_partial_slab(struct fixture *f);

#endif
