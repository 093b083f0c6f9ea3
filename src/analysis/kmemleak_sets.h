/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmemleak's word on a set of objects (a cluster): how many it reported at
 * its last scan, how many it held grey or black, and the allocation stack
 * most of them share, from each record's stack depot handle, as an owner
 * signal: the first frame outside the allocator, and the allocating task.
 */
#ifndef LEAKEXT_KMEMLEAK_SETS_H
#define LEAKEXT_KMEMLEAK_SETS_H

#include "kernel/stackdepot.h"
#include "slab/kmemleak.h"

#define LX_KML_STACK_SHOWN 8

struct lx_kml_set {
	bool present;			/* the kernel keeps kmemleak's records */
	uint64_t members;
	uint64_t verdicts[LX_KML_VERDICTS];
	uint64_t with_stack;		/* members whose record has a handle */
	uint64_t top_count;		/* of those, with the commonest handle */
	uint32_t top_handle;
	char site[LX_FRAME_TEXT_MAX];	/* its first frame outside the allocator */
	char stack[LX_KML_STACK_SHOWN][LX_FRAME_TEXT_MAX];
	unsigned int nstack;
	int pid;			/* of the first member with the top handle */
	char comm[17];			/* sanitized */
};

/*
 * kmemleak's verdicts on objs[0..n) and their commonest allocation stack
 * (D may lack a depot: no stack then).  LX_ENOMEM or LX_OK.
 */
enum lx_status lx_kml_set_build(struct lx_session *s, const struct lx_kmemleak *K,
				const struct lx_depot *D, const uint64_t *objs, size_t n,
				struct lx_kml_set *set);

/*
 * The first frame of handle's stack outside the allocator, as text, into
 * buf; false (buf "") when the handle leads to no readable stack.
 */
bool lx_kml_site(struct lx_session *s, const struct lx_depot *D, uint32_t handle,
		 char *buf, size_t len);

/* Is this frame's function the allocator's (kmem_cache_alloc*, __kmalloc*, ...)? */
bool lx_kml_allocator_frame(const char *function);

#endif
