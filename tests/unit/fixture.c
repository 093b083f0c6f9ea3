// SPDX-License-Identifier: GPL-2.0-or-later
/* The walker tests' common base (fixture.h). */
#include <string.h>

#include "fixture.h"

void fx_setup(struct fixture *f, enum lx_freeptr_mode encoding)
{
	memset(f, 0, sizeof(*f));
	fk_init(&f->fk, encoding);
	f->s.t = &f->fk.target;
}

enum lx_status fx_run_scan(struct fixture *f)
{
	enum lx_status ret = lx_layout_init(&f->s);

	if (!ret)
		ret = lx_cache_read(&f->s, FK_CACHE, &f->cache);
	if (!ret)
		ret = lx_scan_cache(&f->s, &f->cache, &f->scan);
	return ret;
}

bool fx_teardown(struct fixture *f)
{
	bool clean;

	lx_scan_free(&f->s, &f->scan);
	lx_session_fini(&f->s);
	clean = f->fk.live_allocs == 0;
	fk_fini(&f->fk);
	return clean;
}

const struct lx_slab *fx_find_slab(const struct lx_scan *scan, unsigned long pfn)
{
	size_t i;

	for (i = 0; i < scan->nslabs; i++)
		if (scan->slabs[i].addr == fk_page(pfn))
			return &scan->slabs[i];
	return NULL;
}

void fx_one_partial_slab(struct fixture *f)
{
	static const unsigned int free_idx[] = { 1, 3, 5 };
	static const unsigned long partial[] = { 10, 0 };

	fk_add_slab(&f->fk, 10, 5, false);
	fk_set_slab_freelist(&f->fk, 10, fk_chain(&f->fk, 10, free_idx, 3));
	fk_node_list(&f->fk, false, partial);
	fk_set_node_nr_slabs(&f->fk, 1);
}

enum lx_status fx_command(struct fixture *f, const struct lx_options *opt)
{
	return lx_run(&f->fk.target, opt, &f->res);
}
