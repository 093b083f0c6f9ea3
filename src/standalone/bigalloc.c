// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Large zeroed buffers on transparent huge pages (bigalloc.h).
 *
 * A short-lived process that fills tens of MiB of fresh buffers pays a
 * page fault and a page clear per 4 KiB: S1's compressed dump, 11 000
 * faults in a 0.11 s run.  A buffer of its own mapping, aligned to 2 MiB
 * and advised MADV_HUGEPAGE, faults once per 2 MiB where the kernel has
 * huge pages (transparent_hugepage "madvise" or "always"); elsewhere it is
 * an ordinary anonymous mapping.  The mappings are kept in a small table,
 * so that sa_big_free() tells them from calloc()'s blocks.  Under
 * AddressSanitizer every buffer is calloc()'s, so that its bounds stay
 * checked (the corruption sweep and the fuzzers run there).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "standalone/bigalloc.h"

#define HUGE_PAGE (2UL << 20)
#define MAX_MAPPINGS 128	/* more at once fall back to calloc() */

#if defined(__SANITIZE_ADDRESS__)
#define MAPPINGS_USED false
#else
#define MAPPINGS_USED true
#endif

struct mapping {
	void *start;
	size_t len;
};

static struct mapping mappings[MAX_MAPPINGS];
static pthread_mutex_t mappings_lock = PTHREAD_MUTEX_INITIALIZER;

static bool remember(void *start, size_t len)
{
	unsigned int i;
	bool kept = false;

	pthread_mutex_lock(&mappings_lock);
	for (i = 0; i < MAX_MAPPINGS && !kept; i++) {
		if (!mappings[i].start) {
			mappings[i] = (struct mapping){ start, len };
			kept = true;
		}
	}
	pthread_mutex_unlock(&mappings_lock);
	return kept;
}

/* The length of the mapping at start, forgotten; 0 if it is none of ours. */
static size_t forget(void *start)
{
	unsigned int i;
	size_t len = 0;

	pthread_mutex_lock(&mappings_lock);
	for (i = 0; i < MAX_MAPPINGS && !len; i++) {
		if (mappings[i].start == start) {
			len = mappings[i].len;
			mappings[i] = (struct mapping){ NULL, 0 };
		}
	}
	pthread_mutex_unlock(&mappings_lock);
	return len;
}

/* len bytes (a multiple of 2 MiB) at a 2 MiB boundary, advised; NULL if none. */
static void *map_aligned(size_t len)
{
	size_t span = len + HUGE_PAGE;
	uint8_t *map, *start;

	if (span < len)
		return NULL;
	map = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	start = (uint8_t *)(((uintptr_t)map + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if (start > map)
		munmap(map, start - map);
	if (map + span > start + len)
		munmap(start + len, map + span - (start + len));
	madvise(start, len, MADV_HUGEPAGE);	/* advice: failing changes nothing */
	return start;
}

void *sa_big_calloc(size_t count, size_t size)
{
	size_t bytes = count * size, len;
	void *start;

	if (size && bytes / size != count)
		return NULL;
	if (bytes < SA_BIG_MIN || !MAPPINGS_USED)
		return calloc(count ? count : 1, size ? size : 1);
	/* whole huge pages: a tail of small ones would fault a page at a time */
	len = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
	if (len < bytes)
		return NULL;
	start = map_aligned(len);
	if (start && remember(start, len))
		return start;
	if (start)
		munmap(start, len);
	return calloc(count, size);
}

void sa_big_free(void *ptr)
{
	size_t len;

	/* ours start at 2 MiB boundaries; calloc()'s seldom do */
	if (!((uintptr_t)ptr & (HUGE_PAGE - 1)) && ptr && (len = forget(ptr))) {
		munmap(ptr, len);
		return;
	}
	free(ptr);
}
