/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A session: one command's view of one dump.  The arch descriptor is
 * filled by lx_arch_init(), the rest of the kernel model (cpus, nodes,
 * memory) by lx_kernel_init(); the allocator's layout (s->L) and the
 * allocator itself by lx_layout_init() (slab/allocator.h), which calls
 * both, the arch first.
 */
#ifndef LEAKEXT_SESSION_H
#define LEAKEXT_SESSION_H

#include "leakext/arch.h"
#include "leakext/core.h"
#include "leakext/leakext.h"
#include "slab/layout.h"

/* The kernel's globals the walk and the scans are sized by. */
struct lx_kernel {
	/* copies of s->arch's, for helpers that see only the kernel model */
	uint64_t vmemmap_base, page_offset_base;
	uint64_t direct_map_end;	/* 0: the direct map has every pfn */
	unsigned int page_shift;
	uint64_t max_pfn;
	uint64_t max_slabs;		/* no list can hold more slabs */
	unsigned int nr_cpus, nr_nodes;
	uint64_t *cpu_offsets;		/* __per_cpu_offset[nr_cpus] */
	uint64_t *cpu_possible;		/* __cpu_possible_mask, NULL: all */
	uint64_t *node_normal;		/* nodes with normal memory, NULL: unknown */
};

struct lx_memmap;
struct lx_allocator;

struct lx_session {
	struct lx_target *t;
	struct lx_arch arch;	/* the dump's, filled by lx_arch_init() */
	struct lx_kernel K;
	const struct lx_allocator *alloc;	/* the dump's, by type probe */
	struct lx_layout L;		/* the allocator's offsets */
	/* --cache-type: the user's word on what caches hold */
	const struct lx_type_hint *hints;
	unsigned int nhints;
	struct lx_memmap *memmap;	/* lazily built, per command */
	enum lx_status memmap_status;	/* why it could not be built */
	/* Set during a command, for its result: */
	bool flagged;		/* a result failed its integrity checks, or
				 * the cache list was cut short */
	/*
	 * A live target's walk (allocator.c): its problems are recorded but
	 * not said, as the walk may be repeated; the last one's are.
	 */
	bool quiet_problems;
};

/* Bounds against hostile dumps. */
#define LX_MAX_LIST_NODES (1u << 24)

/*
 * The arch descriptor (s->arch) and the target's word size, first: the
 * allocator's layout checks and every read after it depend on them.
 */
enum lx_status lx_arch_init(struct lx_session *s);
/*
 * s->K, after lx_arch_init(); node_slots is how many nodes the
 * allocator's per-node arrays hold (MAX_NUMNODES).
 */
enum lx_status lx_kernel_init(struct lx_session *s, unsigned int node_slots);
void lx_kernel_fini(struct lx_session *s);
/*
 * How many pfns from 0 have a direct-map address, when not all do (a
 * 32-bit kernel's lowmem); 0: every pfn has one.
 */
static inline uint64_t lx_direct_pfns(const struct lx_kernel *K)
{
	return K->direct_map_end ?
	       (K->direct_map_end - K->page_offset_base) >> K->page_shift : 0;
}

/* Whether pfn's page has a direct-map address: slabs are only ever in those. */
static inline bool lx_pfn_mapped(const struct lx_kernel *K, uint64_t pfn)
{
	return !lx_direct_pfns(K) || pfn < lx_direct_pfns(K);
}

/* Bit n of a mask the kernel model read; a NULL mask (unknown) has every bit. */
bool lx_mask_test(const uint64_t *bits, unsigned int n);

#endif
