/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A synthetic 32-bit kernel: i386 with PAE, Linux 6.1's SLUB with 4-byte
 * pointers and unsigned longs, FLATMEM's mem_map, 48 MiB of lowmem under
 * 64 MiB of memory.  Found by the session as the i386 row's
 * (initial_page_table), so the walker, the clusterer and the referrer
 * scan run on 4-byte words.  Every word written is followed by a nonzero
 * word where the kernel has one, so an 8-byte read shows.
 */
#ifndef FAKE32_H
#define FAKE32_H

#include "slab/allocator.h"

#define F32_PAGE_OFFSET 0xc0000000ULL
#define F32_MAX_LOW_PFN 0x3000		/* 48 MiB lowmem */
#define F32_MAX_PFN 0x4000		/* 64 MiB: the rest highmem */
#define F32_MEM_MAP 0xc2800000ULL	/* struct page[F32_MAX_PFN], in lowmem */
#define F32_PAGE_STRUCT 32
#define F32_CACHE 0xc2000000ULL
#define F32_NODE 0xc2001000ULL
#define F32_OTHER_CACHE 0xc2003000ULL
#define F32_CPU_SLAB 0x100ULL		/* __percpu pointer */
#define F32_PERCPU_BASE 0xc2100000ULL	/* cpu n's offset: + n * 0x1000 */
#define F32_NR_CPUS 2
#define F32_OBJ_SIZE 256
#define F32_OBJS 16			/* order-0 slab */
#define F32_FREEPTR_OFFSET 128		/* mid-object, word aligned (6.1) */
#define F32_RANDOM 0x5eed1234ULL	/* kmem_cache.random: an unsigned long */
#define F32_DATA 0xc1600000ULL		/* vmlinux .data, 0x100 bytes */
#define F32_DATA_LEN 0x100

struct f32_region {
	uint64_t addr;
	size_t size;
	uint8_t *bytes;
};

struct f32_symbol {
	const char *name;
	uint64_t addr;
};

struct fake32 {
	struct lx_target target;
	struct f32_region regions[32];
	int nregions;
	struct f32_symbol symbols[24];
	int nsymbols;
	enum lx_freeptr_mode encoding;
	long live_allocs;
	char messages[4096];
	FILE *out;
	char *outbuf;
	size_t outlen;
};

void f32_init(struct fake32 *k, enum lx_freeptr_mode encoding);
void f32_fini(struct fake32 *k);
void f32_region(struct fake32 *k, uint64_t addr, size_t size);
void f32_symbol(struct fake32 *k, const char *name, uint64_t addr);
void f32_write(struct fake32 *k, uint64_t addr, const void *bytes, size_t len);
void f32_w32(struct fake32 *k, uint64_t addr, uint32_t val);
uint64_t f32_page(unsigned long pfn);
uint64_t f32_slab_mem(unsigned long pfn);
uint64_t f32_obj(unsigned long pfn, unsigned int index);
/* A slab page of the cache (or of cache), inuse/frozen in its counters. */
void f32_add_slab(struct fake32 *k, unsigned long pfn, unsigned int inuse, bool frozen);
void f32_add_slab_of(struct fake32 *k, uint64_t cache, unsigned long pfn,
		     unsigned int inuse);
/* Chain objects of a slab into an encoded freelist; returns its head. */
uint64_t f32_chain(struct fake32 *k, unsigned long pfn, const unsigned int *index, int n);
void f32_set_slab_freelist(struct fake32 *k, unsigned long pfn, uint64_t head);
void f32_set_cpu(struct fake32 *k, int cpu, unsigned long slab_pfn, uint64_t freelist,
		 unsigned long partial_pfn);
void f32_set_partial_next(struct fake32 *k, unsigned long pfn, unsigned long next_pfn);
/* Link slabs (by pfn, 0-terminated) into node 0's partial list. */
void f32_node_partial(struct fake32 *k, const unsigned long *pfns);
/* kmem_cache_node.nr_slabs and total_objects (atomic_long_t). */
void f32_set_node_nr_slabs(struct fake32 *k, uint32_t n);

#endif
