/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmemleak (CONFIG_DEBUG_KMEMLEAK) on a dump.  Its own bookkeeping is
 * debug metadata: objects of SLAB_NOLEAKTRACE caches (kmemleak_object,
 * kmemleak_scan_area) and the static early pool mem_pool[] exist only to
 * track other objects, and kmemleak.pointer names every tracked object,
 * so none of them is a root or a holder of an ordinary object.
 */
#ifndef LEAKEXT_KMEMLEAK_H
#define LEAKEXT_KMEMLEAK_H

#include "slab/allocator.h"

/* SLAB_NOLEAKTRACE's bit in kmem_cache.flags, by the kernel's types. */
uint64_t lx_noleaktrace_flag(struct lx_session *s);

/* Static kernel data that is debug metadata (mem_pool[]), by symbol. */
extern const char *const lx_debug_metadata_symbols[];

#endif
