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
#define _GNU_SOURCE	/* mremap() */
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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
	size_t used;	/* the most bytes asked of it: past them, still zero */
};

static struct mapping mappings[MAX_MAPPINGS];
static pthread_mutex_t mappings_lock = PTHREAD_MUTEX_INITIALIZER;

/* The entry of the mapping at start (NULL: a free entry), or NULL; the lock held. */
static struct mapping *entry_of(const void *start)
{
	unsigned int i;

	for (i = 0; i < MAX_MAPPINGS; i++)
		if (mappings[i].start == start)
			return &mappings[i];
	return NULL;
}

static bool remember(void *start, size_t len, size_t used)
{
	struct mapping *m;

	pthread_mutex_lock(&mappings_lock);
	m = entry_of(NULL);
	if (m)
		*m = (struct mapping){ start, len, used };
	pthread_mutex_unlock(&mappings_lock);
	return m;
}

/* Whether start may be one of ours: they start at 2 MiB boundaries. */
static bool maybe_mapping(const void *start)
{
	return start && !((uintptr_t)start & (HUGE_PAGE - 1));
}

/* The mapping at start (a copy), its used raised to at least used; false if none. */
static bool find_mapping(void *start, size_t used, struct mapping *found)
{
	struct mapping *m;

	if (!maybe_mapping(start))
		return false;
	pthread_mutex_lock(&mappings_lock);
	m = entry_of(start);
	if (m) {
		*found = *m;
		if (m->used < used && used <= m->len)
			m->used = used;
	}
	pthread_mutex_unlock(&mappings_lock);
	return m;
}

/* The mapping at old_start now at start, len bytes, used of them asked. */
static void move_entry(void *old_start, void *start, size_t len, size_t used)
{
	struct mapping *m;

	pthread_mutex_lock(&mappings_lock);
	m = entry_of(old_start);
	if (m)
		*m = (struct mapping){ start, len, used };
	pthread_mutex_unlock(&mappings_lock);
}

/* The length of the mapping at start, forgotten; 0 if it is none of ours. */
static size_t forget(void *start)
{
	struct mapping *m;
	size_t len = 0;

	if (!maybe_mapping(start))
		return 0;
	pthread_mutex_lock(&mappings_lock);
	m = entry_of(start);
	if (m) {
		len = m->len;
		*m = (struct mapping){ NULL, 0, 0 };
	}
	pthread_mutex_unlock(&mappings_lock);
	return len;
}

/* bytes rounded up to whole huge pages; 0 if that overflows. */
static size_t whole_huge_pages(size_t bytes)
{
	size_t len = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);

	return len < bytes ? 0 : len;
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
	len = whole_huge_pages(bytes);
	if (!len)
		return NULL;
	start = map_aligned(len);
	if (start && remember(start, len, bytes))
		return start;
	if (start)
		munmap(start, len);
	return calloc(count, size);
}

/*
 * Mapping m's pages moved to the start of a new mapping of len bytes
 * (mremap(): no byte copied, no page faulted again); the new start, or
 * NULL (m is then untouched).
 */
static void *move_mapping(const struct mapping *m, size_t len, size_t used)
{
	void *start = map_aligned(len), *moved;

	if (!start)
		return NULL;
	moved = mremap(m->start, m->len, m->len, MREMAP_MAYMOVE | MREMAP_FIXED, start);
	if (moved == MAP_FAILED) {
		munmap(start, len);
		return NULL;
	}
	move_entry(m->start, start, len, used);	/* its slot: nothing can fail now */
	return start;
}

void *sa_big_grow(void *ptr, size_t old_size, size_t new_size)
{
	struct mapping m;
	size_t keep = old_size < new_size ? old_size : new_size, len;
	void *grown;

	if (MAPPINGS_USED && find_mapping(ptr, new_size, &m)) {
		/* bytes once asked and given up since: zero again */
		if (m.used > keep)
			memset((uint8_t *)ptr + keep, 0,
			       (m.used < new_size ? m.used : new_size) - keep);
		if (new_size <= m.len)	/* room in its own huge pages */
			return ptr;
		len = whole_huge_pages(new_size);
		grown = len ? move_mapping(&m, len, new_size) : NULL;
		if (grown)
			return grown;
	}
	grown = sa_big_calloc(1, new_size ? new_size : 1);
	if (grown && ptr)
		memcpy(grown, ptr, keep);
	if (grown)
		sa_big_free(ptr);
	return grown;
}

void sa_big_free(void *ptr)
{
	size_t len;

	len = forget(ptr);
	if (len) {
		munmap(ptr, len);
		return;
	}
	free(ptr);
}

/*
 * The program's own heap on huge pages too: libbpf's copy of the BTF,
 * libkdumpfile's tables and the program's many middle-sized blocks come
 * from malloc(), whose fresh pages fault 4 KiB at a time (S1's compressed
 * dump: 2 500 of its 2 800 faults).  glibc is told to grow its heap by
 * reserve bytes at a time and keep what it frees (no trim below reserve),
 * and to take blocks up to MMAP_LIMIT from the heap; the reserve it grows
 * by next is advised MADV_HUGEPAGE.  What the heap grows past it faults as
 * before.  Only the program calls this, once, before it allocates much:
 * never crash's extension, whose heap is crash's.
 */
#define MMAP_LIMIT (32UL << 20)		/* glibc's largest M_MMAP_THRESHOLD */
#define HEAP_PROBE (1UL << 20)		/* more than the heap's top holds at start */

void sa_big_heap(size_t reserve)
{
	uintptr_t lo, hi;
	void *probe;

	if (!MAPPINGS_USED || !reserve || reserve > INT_MAX)
		return;
	if (!mallopt(M_TOP_PAD, (int)reserve) || !mallopt(M_TRIM_THRESHOLD, (int)reserve) ||
	    !mallopt(M_MMAP_THRESHOLD, (int)MMAP_LIMIT))
		return;
	probe = malloc(HEAP_PROBE);	/* the heap grows by it and reserve */
	if (!probe)
		return;
	lo = ((uintptr_t)probe + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	hi = (uintptr_t)sbrk(0) & ~(uintptr_t)(HUGE_PAGE - 1);
	free(probe);
	if (hi > lo)		/* else not from the heap (glibc mapped it) */
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);	/* advice: failing changes nothing */
}
