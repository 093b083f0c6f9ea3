/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SLAB (mm/slab.c): the allocator row and its layout, for allocator.c. */
#ifndef LEAKEXT_SLAB_ALLOC_H
#define LEAKEXT_SLAB_ALLOC_H

#include "slab/allocator.h"

/*
 * kmem_cache.flags bits of mm/slab.c: where a slab keeps its freelist.
 * CFLGS_OFF_SLAB: in an allocation of another cache; CFLGS_OBJFREELIST_SLAB
 * (4.6+): inside one of its own free objects.  Neither: at the end of the
 * slab's pages.
 */
#define LX_CFLGS_OBJFREELIST_SLAB 0x40000000u
#define LX_CFLGS_OFF_SLAB 0x80000000u

extern const struct lx_allocator lx_slab_allocator;
/* The SLAB layout of s->L (slab_layout.c). */
bool lx_slab_probe(struct lx_session *s);
enum lx_status lx_slab_layout(struct lx_session *s);

#endif
