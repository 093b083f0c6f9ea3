/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory map scan: every struct page that is a slab, with its cache,
 * in one pass for all caches, built lazily once per command.  Finds the
 * full slabs no list tracks and witnesses every list's slabs.
 */
#ifndef LEAKEXT_MEMMAP_H
#define LEAKEXT_MEMMAP_H

#include "kernel/session.h"

struct lx_memmap_entry {
	uint64_t cache;		/* slab_cache of the slab */
	uint64_t slab;		/* address of the head struct page */
	uint64_t freelist;	/* its freelist and counters, as scanned */
	uint64_t counters;
};
enum lx_status lx_memmap_scan(struct lx_session *s);
/*
 * One struct page of the memory map walk: its address and its bytes
 * (s->L.page_size_of of them).  Anything but LX_OK stops the walk.
 */
typedef enum lx_status (*lx_page_visit)(struct lx_session *s, void *arg,
					uint64_t page_addr, const uint8_t *page);
/*
 * Visit every readable struct page below max_pfn with a direct-map
 * address, in memory map order (what lx_memmap_scan() finds slabs with);
 * *unreadable_bytes (may be NULL) counts the memory map not read.
 */
enum lx_status lx_memmap_walk(struct lx_session *s, lx_page_visit visit, void *arg,
			      uint64_t *unreadable_bytes);
/* Is slab among the n entries (one cache's, sorted by slab)? */
bool lx_memmap_has(const struct lx_memmap_entry *e, size_t n, uint64_t slab);
void lx_memmap_free(struct lx_session *s);
/* Entries for one cache: a pointer into the sorted table and a count. */
const struct lx_memmap_entry *lx_memmap_find(struct lx_session *s,
					     uint64_t cache, size_t *count);
uint64_t lx_page_to_virt(const struct lx_session *s, uint64_t page);
/* The struct page of a direct-mapped address below max_pfn; false if none. */
bool lx_virt_to_page(const struct lx_session *s, uint64_t vaddr, uint64_t *page);
bool lx_page_is_slab(const struct lx_session *s, const void *page);
uint64_t lx_slab_cache_of(struct lx_session *s, uint64_t vaddr);

#endif
