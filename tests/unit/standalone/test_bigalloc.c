// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the program's large buffers (src/standalone/bigalloc.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "standalone/bigalloc.h"
#include "unit.h"

#define HUGE_PAGE (2UL << 20)

/* Every byte of buf[0, len) is zero. */
static bool zeroed(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i])
			return false;
	return true;
}

/* Small and large buffers come zeroed and writable, whole; large ones at 2 MiB. */
static bool test_big_calloc_zeroed(void)
{
	static const size_t sizes[] = { 1, 4096, SA_BIG_MIN - 1, SA_BIG_MIN,
					SA_BIG_MIN + 1, 3 * SA_BIG_MIN + 123 };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *buf = sa_big_calloc(1, sizes[i]);

		CHECK(buf != NULL);
		if (!buf)
			continue;
		CHECK(zeroed(buf, sizes[i]));
		memset(buf, 0xa5, sizes[i]);
		CHECK(buf[sizes[i] - 1] == 0xa5);
#if !defined(__SANITIZE_ADDRESS__)
		if (sizes[i] >= SA_BIG_MIN)
			CHECK(!((uintptr_t)buf & (HUGE_PAGE - 1)));
#endif
		sa_big_free(buf);
	}
	sa_big_free(NULL);
	return unit_ok();
}

/* count * size that overflows is refused; count or size 0 still gives a buffer. */
static bool test_big_calloc_overflow(void)
{
	void *p;

	CHECK(sa_big_calloc(SIZE_MAX / 2, 4) == NULL);
	p = sa_big_calloc(0, 8);
	CHECK(p != NULL);
	sa_big_free(p);
	p = sa_big_calloc(8, 0);
	CHECK(p != NULL);
	sa_big_free(p);
	return unit_ok();
}

/*
 * More large buffers at once than the table of mappings holds: the rest
 * come from calloc(), all freed, and the table's places are used again (a
 * second round gets a 2 MiB-aligned one first again).  Untouched, so that
 * huge pages cost no memory here.
 */
#define MANY 160

static bool test_big_calloc_many(void)
{
	static uint8_t *bufs[MANY];
	unsigned int i, round;

	for (round = 0; round < 2; round++) {
		for (i = 0; i < MANY; i++) {
			bufs[i] = sa_big_calloc(1, SA_BIG_MIN);
			CHECK(bufs[i] != NULL);
		}
#if !defined(__SANITIZE_ADDRESS__)
		CHECK(!((uintptr_t)bufs[0] & (HUGE_PAGE - 1)));
#endif
		for (i = 0; i < MANY; i++)
			sa_big_free(bufs[i]);
	}
	return unit_ok();
}

const struct unit_test bigalloc_tests[] = {
	{ "bigalloc: small and large buffers zeroed, large ones at 2 MiB",
	  test_big_calloc_zeroed },
	{ "bigalloc: an overflowing size refused, zero sizes given", test_big_calloc_overflow },
	{ "bigalloc: more than the table holds fall back to calloc, all freed",
	  test_big_calloc_many },
	{ NULL, NULL },
};
