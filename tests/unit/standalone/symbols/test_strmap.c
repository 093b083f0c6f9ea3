// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the string-keyed table (src/standalone/symbols/strmap.c). */
#include <stdio.h>
#include <string.h>

#include "standalone/symbols/symtab.h"
#include "unit.h"

#define MANY_KEYS 100000

static void key_of(char *buf, size_t len, unsigned int i)
{
	snprintf(buf, len, "key_%u", i);
}

/* Every key put is found with its value, none other; never past 3/4 full. */
static bool test_strmap_grows(void)
{
	struct lx_strmap m = { 0 };
	char key[32];
	uint64_t value = 0;
	unsigned int i;

	for (i = 0; i < MANY_KEYS; i++) {
		key_of(key, sizeof(key), i);
		CHECK(lx_strmap_put(&m, key, 7 * (uint64_t)i));
		CHECK(m.count * 4 <= m.cap * 3);
		if (i + 1 == 90000)	/* a kernel's kallsyms: 128 k slots, not 256 k */
			CHECK(m.cap == 1u << 17);
	}
	CHECK(m.count == MANY_KEYS && !(m.cap & (m.cap - 1)));
	CHECK(m.cap <= 2 * ((size_t)MANY_KEYS * 4 / 3));	/* the least power of two */
	for (i = 0; i < MANY_KEYS; i++) {
		key_of(key, sizeof(key), i);
		CHECK(lx_strmap_get(&m, key, &value) && value == 7 * (uint64_t)i);
	}
	CHECK(!lx_strmap_get(&m, "key_", &value) && !lx_strmap_get(&m, "", &value));
	key_of(key, sizeof(key), MANY_KEYS);
	CHECK(!lx_strmap_get(&m, key, &value));
	lx_strmap_free(&m);
	CHECK(!lx_strmap_get(&m, "key_1", &value));
	return unit_ok();
}

/* A key put again keeps its first value; a reserve is never rehashed past. */
static bool test_strmap_first_value_and_reserve(void)
{
	struct lx_strmap m = { .borrowed = true };
	static char names[3][8] = { "alpha", "beta", "gamma" };
	char **keys;
	uint64_t value = 0;
	unsigned int i;

	CHECK(lx_strmap_reserve(&m, 3000));
	CHECK(m.cap * 3 / 4 >= 3000);
	keys = m.keys;
	for (i = 0; i < 3; i++)
		CHECK(lx_strmap_put(&m, names[i], i + 1));
	CHECK(lx_strmap_put(&m, "beta", 99));
	CHECK(lx_strmap_get(&m, "beta", &value) && value == 2);
	CHECK(m.count == 3 && m.keys == keys);
	for (i = 0; i < m.cap; i++)	/* borrowed: the caller's own strings */
		CHECK(!m.keys[i] || m.keys[i] == names[0] || m.keys[i] == names[1] ||
		      m.keys[i] == names[2]);
	lx_strmap_free(&m);
	CHECK(m.borrowed && !m.count && !m.cap);
	return unit_ok();
}

const struct unit_test strmap_tests[] = {
	{ "strmap: grows to 100 000 keys, each found, at most 3/4 full", test_strmap_grows },
	{ "strmap: the first value of a key stays; a reserve holds, borrowed keys",
	  test_strmap_first_value_and_reserve },
	{ NULL, NULL },
};
