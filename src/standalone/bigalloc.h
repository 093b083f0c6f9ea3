/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Large zeroed buffers on transparent huge pages, for the program's few
 * big tables and rings (the slab windows, the decoding ring, the name
 * tables).  src/standalone/ and the parts of it the crash glue links.
 */
#ifndef LEAKEXT_STANDALONE_BIGALLOC_H
#define LEAKEXT_STANDALONE_BIGALLOC_H

#include <stdbool.h>
#include <stddef.h>

/*
 * count * size zeroed bytes, as calloc() gives them.  From SA_BIG_MIN bytes
 * on, a mapping of its own, aligned to and advised for huge pages
 * (madvise(MADV_HUGEPAGE)): one page fault per 2 MiB instead of one per
 * 4 KiB, where the kernel has huge pages to give; else, or when the
 * mapping fails, calloc().  NULL when out of memory.  Thread-safe.
 */
#define SA_BIG_MIN (2UL << 20)
void *sa_big_calloc(size_t count, size_t size);
/* Free what sa_big_calloc() or calloc() gave (NULL: nothing). */
void sa_big_free(void *ptr);
/*
 * ptr's buffer (from sa_big_calloc() or this, old_size bytes asked of it;
 * NULL: none) made new_size bytes: the first of old_size and new_size
 * bytes kept, the rest zero.  A buffer of its own huge pages grows within
 * them, or its pages move to a larger mapping (mremap(): nothing copied,
 * nothing faulted again); others are copied.  NULL when out of memory,
 * ptr then untouched.  Thread-safe for different buffers.
 */
void *sa_big_grow(void *ptr, size_t old_size, size_t new_size);

/*
 * The process's malloc() heap grown reserve bytes at a time, kept, and its
 * first reserve bytes on huge pages (bigalloc.c); the program only.
 */
void sa_big_heap(size_t reserve);

#endif
