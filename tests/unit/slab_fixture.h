/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A synthetic SLAB kernel, a session on it and one scan: the SLAB tests' base. */
#ifndef SLAB_FIXTURE_H
#define SLAB_FIXTURE_H

#include "fake_slab.h"
#include "leakext/leakext.h"

struct sfix {
	struct fake_slab fs;
	struct lx_session s;
	struct lx_cache cache;
	struct lx_scan scan;
	struct lx_result res;
};

void sf_setup(struct sfix *f, const struct fs_config *cfg);
/* Lay out, read the cache and scan it; LX_OK on success. */
enum lx_status sf_run_scan(struct sfix *f);
/* Frees everything; true if the core freed what it allocated. */
bool sf_teardown(struct sfix *f);

#endif
