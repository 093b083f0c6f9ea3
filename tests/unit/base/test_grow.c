// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Growing the core's arrays (src/base/core.c): lx_grow() and lx_reserve()
 * through the host's optional grow op, and without it on the flat target.
 */
#include <stdlib.h>
#include <string.h>

#include "flat_target.h"
#include "leakext/core.h"
#include "unit.h"

static unsigned int grow_calls;

/* A host grow op that counts its calls and keeps the contract (realloc). */
static void *counting_grow(struct lx_target *t, void *ptr, size_t old_size, size_t new_size)
{
	uint8_t *p = realloc(ptr, new_size);

	(void)t;
	grow_calls++;
	if (p && new_size > old_size)
		memset(p + old_size, 0, new_size - old_size);
	return p;
}

/* An array reserved past its capacity four times: its bytes kept, new room zero. */
static bool reserve_keeps(struct lx_target *t)
{
	uint32_t *v = NULL;
	size_t cap = 0, i, n, filled = 0;
	bool kept = true;

	for (n = 100; n <= 100000 && kept; n *= 10) {
		if (lx_reserve(t, &v, &cap, n, sizeof(*v)) || !v || cap < n)
			return false;
		for (i = 0; i < filled; i++)
			kept &= v[i] == (uint32_t)i * 3;
		for (i = filled; i < n; i++)
			kept &= !v[i];		/* new room is zero */
		for (i = filled; i < n; i++)
			v[i] = (uint32_t)i * 3;
		filled = n;
	}
	lx_free(t, v);
	return kept;
}

static bool test_grow_op_used_when_given(void)
{
	struct flat_target f;
	struct lx_host_ops ops;

	flat_init(&f, (const uint8_t *)"", 0);
	grow_calls = 0;
	CHECK(reserve_keeps(&f.target));	/* no op: alloc, copy, release */
	CHECK(grow_calls == 0 && f.live_allocs == 0);
	ops = *f.target.host;
	ops.grow = counting_grow;
	ops.release = NULL;	/* realloc()'s memory: freed below by free() */
	f.target.host = &ops;
	{
		uint32_t *v = NULL;
		size_t cap = 0, i;

		for (i = 0; i < 5000; i++) {
			CHECK(!lx_reserve(&f.target, &v, &cap, i + 1, sizeof(*v)));
			if (!v)
				return unit_ok();
			v[i] = (uint32_t)i;
		}
		for (i = 0; i < 5000; i++)
			if (v[i] != (uint32_t)i)
				break;
		CHECK(i == 5000);
		free(v);
	}
	CHECK(grow_calls > 0 && grow_calls < 20);	/* doubling: a call per doubling */
	return unit_ok();
}

const struct unit_test grow_tests[] = {
	{ "core: lx_reserve() grows through the host's grow op, or copies without it",
	  test_grow_op_used_when_given },
	{ NULL, NULL },
};
