// SPDX-License-Identifier: GPL-2.0-or-later
/* The SLAB tests' fixture (slab_fixture.h). */
#include <string.h>

#include "slab_fixture.h"

void sf_setup(struct sfix *f, const struct fs_config *cfg)
{
	memset(f, 0, sizeof(*f));
	fs_init(&f->fs, cfg);
	f->s.t = &f->fs.fk.target;
}

enum lx_status sf_run_scan(struct sfix *f)
{
	enum lx_status ret = lx_layout_init(&f->s);

	if (!ret)
		ret = lx_cache_read(&f->s, FS_CACHE, &f->cache);
	if (!ret)
		ret = lx_scan_cache(&f->s, &f->cache, &f->scan);
	return ret;
}

bool sf_teardown(struct sfix *f)
{
	bool clean;

	lx_scan_free(&f->s, &f->scan);
	lx_session_fini(&f->s);
	clean = f->fs.fk.live_allocs == 0;
	fs_fini(&f->fs);
	return clean;
}
