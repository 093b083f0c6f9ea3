// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the program's large buffers (src/standalone/bigalloc.c). */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
/*
 * Whether the mapping of /proc/self/smaps that holds addr is eligible for
 * transparent huge pages (the kernel's own reading of the advice); -1 if
 * smaps does not say.
 */
static int thp_eligible(uintptr_t addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long lo, hi;
	char line[256];
	bool inside = false;
	int eligible = -1, v;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
			inside = addr >= lo && addr < hi;
		else if (inside && sscanf(line, "THPeligible: %d", &v) == 1)
			eligible = v;
	}
	fclose(f);
	return eligible;
}

static bool transparent_huge_pages_advisable(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char mode[128] = "";

	if (!f)
		return false;
	if (!fgets(mode, sizeof(mode), f))
		mode[0] = '\0';
	fclose(f);
	return strstr(mode, "[madvise]") || strstr(mode, "[always]");
}

#endif

/*
 * After sa_big_heap(), a block of a few MiB comes from the heap, not a
 * mapping of its own, and where the kernel gives huge pages on advice
 * the heap there is eligible for them.
 */
static bool test_big_heap(void)
{
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
	uint8_t *block;

	sa_big_heap(16UL << 20);
	block = malloc(4UL << 20);
	CHECK(block != NULL);
	if (!block)
		return unit_ok();
	memset(block, 1, 4UL << 20);
	CHECK((uintptr_t)block < (uintptr_t)sbrk(0));
	if (transparent_huge_pages_advisable())
		CHECK(thp_eligible((uintptr_t)block + (3UL << 20)) == 1);
	free(block);
#endif
	return unit_ok();
}

/* Bytes [from, to) of buf each equal to the low byte of their index plus seed. */
static void fill_pattern(uint8_t *buf, size_t from, size_t to, uint8_t seed)
{
	size_t i;

	for (i = from; i < to; i++)
		buf[i] = (uint8_t)(i + seed);
}

static bool has_pattern(const uint8_t *buf, size_t from, size_t to, uint8_t seed)
{
	size_t i;

	for (i = from; i < to; i++)
		if (buf[i] != (uint8_t)(i + seed))
			return false;
	return true;
}

/*
 * A buffer grown from calloc()'s sizes through its own huge pages, in
 * them and past them (its pages moved): the bytes kept every step, the
 * new ones zero, large ones at 2 MiB.
 */
static bool test_big_grow_keeps(void)
{
	static const size_t sizes[] = { 100, 4096, SA_BIG_MIN + 10, SA_BIG_MIN + 4096,
					3 * SA_BIG_MIN, 7 * SA_BIG_MIN + 5 };
	uint8_t *buf = NULL, *grown;
	size_t old = 0;
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		grown = sa_big_grow(buf, old, sizes[i]);
		CHECK(grown != NULL);
		if (!grown)
			break;
		CHECK(has_pattern(grown, 0, old, 7));
		CHECK(zeroed(grown + old, sizes[i] - old));
#if !defined(__SANITIZE_ADDRESS__)
		if (sizes[i] >= SA_BIG_MIN)
			CHECK(!((uintptr_t)grown & (HUGE_PAGE - 1)));
#endif
		fill_pattern(grown, old, sizes[i], 7);
		buf = grown;
		old = sizes[i];
	}
	sa_big_free(buf);
	return unit_ok();
}

/*
 * Shrunk, then grown again within its pages and past them: the bytes
 * given up come back zero, not as they were.
 */
static bool test_big_grow_after_shrink(void)
{
	size_t big = SA_BIG_MIN + 8192, small = 1000;
	uint8_t *buf = sa_big_grow(NULL, 0, big), *again;

	CHECK(buf != NULL);
	if (!buf)
		return unit_ok();
	fill_pattern(buf, 0, big, 3);
	buf = sa_big_grow(buf, big, small);
	CHECK(buf != NULL && has_pattern(buf, 0, small, 3));
	again = sa_big_grow(buf, small, big);
	CHECK(again != NULL && has_pattern(again, 0, small, 3) &&
	      zeroed(again + small, big - small));
	buf = again ? again : buf;
	fill_pattern(buf, 0, big, 5);
	buf = sa_big_grow(buf, big, small);
	again = buf ? sa_big_grow(buf, small, 2 * SA_BIG_MIN + 1) : NULL;
	CHECK(again != NULL && has_pattern(again, 0, small, 5) &&
	      zeroed(again + small, 2 * SA_BIG_MIN + 1 - small));
	sa_big_free(again ? again : buf);
	return unit_ok();
}

const struct unit_test bigalloc_tests[] = {
	{ "bigalloc: a buffer grown in and past its huge pages keeps its bytes",
	  test_big_grow_keeps },
	{ "bigalloc: bytes given up by shrinking come back zero", test_big_grow_after_shrink },
	{ "bigalloc: the heap grows on huge pages, blocks of MiB from it", test_big_heap },
	{ "bigalloc: small and large buffers zeroed, large ones at 2 MiB",
	  test_big_calloc_zeroed },
	{ "bigalloc: an overflowing size refused, zero sizes given", test_big_calloc_overflow },
	{ "bigalloc: more than the table holds fall back to calloc, all freed",
	  test_big_calloc_many },
	{ NULL, NULL },
};
