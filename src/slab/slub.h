/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SLUB (mm/slub.c): the allocator row and its layout, for allocator.c. */
#ifndef LEAKEXT_SLUB_H
#define LEAKEXT_SLUB_H

#include "slab/allocator.h"

extern const struct lx_allocator lx_slub_allocator;
/* The SLUB layout of s->L (slub_layout.c). */
bool lx_slub_probe(struct lx_session *s);
enum lx_status lx_slub_layout(struct lx_session *s);

#endif
