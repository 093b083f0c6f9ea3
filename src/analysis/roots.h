/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory outside the slab heap that can hold pointers to slab objects,
 * as kmemleak scans it: kernel data and bss, module data, per-cpu areas,
 * the stacks of live tasks and vmalloc'd memory.  Each area carries a
 * label for reports ("leak_schedstat", "pid 1 (init)", "cpu 0").
 */
#ifndef LEAKEXT_ROOTS_H
#define LEAKEXT_ROOTS_H

#include "slab/allocator.h"

enum lx_area_kind {
	LX_AREA_KERNEL,		/* vmlinux .data, .bss, ro_after_init */
	LX_AREA_MODULE,		/* a module's writable data and bss */
	LX_AREA_PERCPU,		/* one cpu's unit of the first per-cpu chunk */
	LX_AREA_STACK,		/* a live task's stack */
	LX_AREA_VMALLOC,	/* other vmalloc'd memory (VM_ALLOC) */
	LX_AREA_KINDS
};

extern const char *const lx_area_kind_names[LX_AREA_KINDS];

struct lx_area {
	uint64_t start, len;
	enum lx_area_kind kind;
	int pid;		/* LX_AREA_STACK */
	bool metadata;		/* debug metadata (kmemleak's mem_pool[]): its
				 * words keep only other metadata alive */
	char label[LX_NAME_MAX];	/* raw dump bytes: escape to print */
};

struct lx_areas {
	struct lx_area *v;
	size_t n, cap;
	uint64_t bytes;		/* sum of len */
	/* What could not be collected, for the report's limits line. */
	unsigned int missing;	/* kinds absent from this dump (bit per kind) */
	bool cut;		/* a list or the vmalloc budget was cut short */
};

/*
 * Collect every root area, sorted by address and never overlapping (a
 * vmalloc area keeps only the parts no module or stack claims).  LX_OK even
 * when some kinds are missing: a->missing says which.
 */
enum lx_status lx_roots_collect(struct lx_session *s, struct lx_areas *a);
void lx_roots_free(struct lx_session *s, struct lx_areas *a);
/* The area holding addr, or NULL. */
const struct lx_area *lx_roots_find(const struct lx_areas *a, uint64_t addr);

#endif
