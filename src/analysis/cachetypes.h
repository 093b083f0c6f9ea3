/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed views: which struct a cache's objects are, so that an offset in
 * one can be named ("skbuff_head_cache +200 (sk_buff.head)").  The type
 * comes from a small table of caches whose names differ from their struct
 * (cachetypes.c), else from a cache named like a struct the dump's types
 * know; either way the struct must exist and fit in the cache's objects.
 * kmalloc caches and other caches of mixed content have no type.
 */
#ifndef LEAKEXT_CACHETYPES_H
#define LEAKEXT_CACHETYPES_H

#include "analysis/heap.h"

/* The struct type of c's objects into type; false (type "") if none is known. */
bool lx_cache_type(struct lx_session *s, const struct lx_cache *c, char *type,
		   size_t len);
/*
 * The struct type of hc's objects ("" if none is known); hc is one of
 * h->caches.  Looked up on first use and kept: a type query can cost a
 * debugger milliseconds (crash asks gdb, which searches every symbol table
 * for a type the kernel lacks), and a report needs the types of the few
 * caches that hold members, not of all of them.  The heap is const to its
 * readers; the type is kept in its caches array, which it does not own.
 */
const char *lx_heap_cache_type(struct lx_session *s, const struct lx_heap *h,
			       const struct lx_heap_cache *hc);
/*
 * "type.member.path" of offset in an object of type (target.h's
 * member_at), escaped; false if the target has no member names for it.
 */
bool lx_type_member(struct lx_session *s, const char *type, uint64_t offset,
		    char *out, size_t len);

#endif
