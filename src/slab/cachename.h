/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cache names: kmalloc aliases (kmalloc-4k, size-4096, 4k) and lookups. */
#ifndef LEAKEXT_CACHENAME_H
#define LEAKEXT_CACHENAME_H

#include "slab/allocator.h"

enum lx_lookup_result { LX_LOOKUP_FOUND, LX_LOOKUP_NONE, LX_LOOKUP_AMBIGUOUS };
bool lx_parse_size(const char *text, uint64_t *bytes);
/* The one cache query names; LX_EABSENT with a message if none or several. */
enum lx_status lx_cache_lookup(struct lx_session *s, const char *query,
			       struct lx_cache *cache);

#endif
