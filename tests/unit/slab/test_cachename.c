// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of cache names and lookups (src/slab/cachename.c). */
#include <string.h>

#include "fixture.h"
#include "slab/cachename.h"
#include "unit.h"

static bool lookup_is(struct fixture *f, const char *query,
		      enum lx_lookup_result want)
{
	enum lx_status ret;
	struct lx_cache c;

	ret = lx_cache_lookup(&f->s, query, &c);
	if (want == LX_LOOKUP_FOUND)
		return ret == LX_OK && !strcmp(c.name, "kmalloc-512");
	return ret == LX_EABSENT && strstr(f->fk.messages, query);
}

static bool test_cache_aliases(void)
{
	struct fixture f;
	uint64_t v;

	CHECK(lx_parse_size("4k", &v) && v == 4096);
	CHECK(lx_parse_size("4096", &v) && v == 4096);
	CHECK(lx_parse_size("8K", &v) && v == 8192);
	CHECK(!lx_parse_size("k4", &v) && !lx_parse_size("4kb", &v));
	fx_setup(&f, LX_FP_XOR_SWAB);
	CHECK(lx_layout_init(&f.s) == 0);
	CHECK(lookup_is(&f, "kmalloc-512", LX_LOOKUP_FOUND));
	CHECK(lookup_is(&f, "size-512", LX_LOOKUP_FOUND));
	CHECK(lookup_is(&f, "kmalloc-0512", LX_LOOKUP_FOUND));
	CHECK(lookup_is(&f, "512", LX_LOOKUP_FOUND));
	CHECK(lookup_is(&f, "kmalloc-1k", LX_LOOKUP_NONE));
	CHECK(lookup_is(&f, "dentry", LX_LOOKUP_NONE));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

const struct unit_test cachename_tests[] = {
	{ "cache name aliases", test_cache_aliases },
	{ NULL, NULL },
};
