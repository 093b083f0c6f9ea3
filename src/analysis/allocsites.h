/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocation sites from alloc tags (slab/alloctag.h): which call site
 * allocated each live object of a cache, counted per site for the cache
 * and for any set of its objects (a cluster), exact for every object; and
 * the kernel-wide per-site totals of the tags' own counters (allocinfo).
 */
#ifndef LEAKEXT_ALLOCSITES_H
#define LEAKEXT_ALLOCSITES_H

#include "slab/alloctag.h"

/* One site's share: live objects and their bytes, or its counters. */
struct lx_site_count {
	struct lx_alloc_site site;
	uint64_t objects;	/* live objects (allocinfo: calls) */
	uint64_t bytes;		/* objects * slot size (allocinfo: bytes) */
};

struct lx_site_table {
	struct lx_site_count *rows;	/* objects (bytes) descending */
	size_t count, cap;
	uint64_t objects;	/* objects counted, with or without a site */
	uint64_t untagged;	/* of objects: no vector, no tag, or a bad tag */
	uint64_t unreadable;	/* allocinfo: tags whose counters were not read */
	bool present;		/* the kernel records alloc tags */
};

/* Each live object of a walked cache and its tag (0: none), by address. */
struct lx_obj_tag {
	uint64_t obj, tag;
};

struct lx_tag_map {
	struct lx_obj_tag *pairs;
	size_t count;
	uint32_t slot_size;
};

/* The tags of scan's live objects; LX_ENOMEM, LX_EINTR, else LX_OK. */
enum lx_status lx_tag_map_build(struct lx_session *s, struct lx_alloctag *A,
				const struct lx_scan *scan, struct lx_tag_map *map);
void lx_tag_map_free(struct lx_session *s, struct lx_tag_map *map);
/* The tag of obj, 0 if none or obj is not in the map. */
uint64_t lx_tag_map_find(const struct lx_tag_map *map, uint64_t obj);
/*
 * Sites of n tags (0s count as untagged), each object slot bytes; the
 * table is the caller's to lx_site_table_free().
 */
enum lx_status lx_site_table_from_tags(struct lx_session *s, const struct lx_alloctag *A,
				       uint64_t *tags, size_t n, uint32_t slot,
				       struct lx_site_table *t);
/* Every tag of the kernel and its modules with its counters, bytes descending. */
enum lx_status lx_allocinfo_build(struct lx_session *s, const struct lx_alloctag *A,
				  struct lx_site_table *t);
void lx_site_table_free(struct lx_session *s, struct lx_site_table *t);

#endif
