// SPDX-License-Identifier: GPL-2.0-or-later
/* Allocation sites from alloc tags, per object set and kernel-wide. */
#include <stdlib.h>
#include <string.h>

#include "analysis/allocsites.h"

static int by_obj(const void *a, const void *b)
{
	const struct lx_obj_tag *x = a, *y = b;

	return x->obj < y->obj ? -1 : x->obj > y->obj;
}

static int by_value(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

enum lx_status lx_tag_map_build(struct lx_session *s, struct lx_alloctag *A,
				const struct lx_scan *scan, struct lx_tag_map *map)
{
	size_t i, cap = 0;
	uint32_t j;
	struct lx_objext_vec vec;
	uint64_t tag;

	memset(map, 0, sizeof(*map));
	map->slot_size = scan->cache.size;
	for (i = 0; i < scan->nslabs; i++) {
		const struct lx_slab *slab = &scan->slabs[i];

		if (lx_interrupted(s->t))
			return LX_EINTR;
		vec = lx_alloctag_vector(s, A, slab->addr);
		for (j = 0; j < slab->objects; j++) {
			if (lx_object_is_free(scan, slab, j))
				continue;
			if (lx_reserve(s->t, &map->pairs, &cap, map->count + 1,
				       sizeof(*map->pairs)))
				return LX_ENOMEM;
			if (!lx_alloctag_object(s, A, vec, j, &tag))
				tag = 0;
			map->pairs[map->count].obj = lx_object_addr(scan, slab, j);
			map->pairs[map->count++].tag = tag;
		}
	}
	if (map->count)
		qsort(map->pairs, map->count, sizeof(*map->pairs), by_obj);
	return LX_OK;
}

void lx_tag_map_free(struct lx_session *s, struct lx_tag_map *map)
{
	lx_free(s->t, map->pairs);
	memset(map, 0, sizeof(*map));
}

uint64_t lx_tag_map_find(const struct lx_tag_map *map, uint64_t obj)
{
	struct lx_obj_tag key = { .obj = obj };
	const struct lx_obj_tag *hit;

	if (!map->count)
		return 0;
	hit = bsearch(&key, map->pairs, map->count, sizeof(*map->pairs), by_obj);
	return hit ? hit->tag : 0;
}

static int by_bytes(const void *a, const void *b)
{
	const struct lx_site_count *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->objects != y->objects)
		return x->objects > y->objects ? -1 : 1;
	return x->site.tag < y->site.tag ? -1 : x->site.tag > y->site.tag;
}

static struct lx_site_count *add_row(struct lx_session *s, struct lx_site_table *t)
{
	if (lx_reserve(s->t, &t->rows, &t->cap, t->count + 1, sizeof(*t->rows)))
		return NULL;
	memset(&t->rows[t->count], 0, sizeof(t->rows[0]));
	return &t->rows[t->count++];
}

enum lx_status lx_site_table_from_tags(struct lx_session *s, const struct lx_alloctag *A,
				       uint64_t *tags, size_t n, uint32_t slot,
				       struct lx_site_table *t)
{
	struct lx_site_count *row;
	size_t i, run;

	memset(t, 0, sizeof(*t));
	t->present = A->present;
	t->objects = n;
	if (n)
		qsort(tags, n, sizeof(*tags), by_value);
	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n && tags[i + run] == tags[i]; run++)
			;
		if (!tags[i]) {
			t->untagged += run;
			continue;
		}
		row = add_row(s, t);
		if (!row)
			return LX_ENOMEM;
		if (!lx_alloctag_site(s, A, tags[i], &row->site)) {
			t->count--;
			t->untagged += run;
			continue;
		}
		row->objects = run;
		row->bytes = (uint64_t)run * slot;
	}
	if (t->count)
		qsort(t->rows, t->count, sizeof(*t->rows), by_bytes);
	return LX_OK;
}

static enum lx_status add_range_tags(struct lx_session *s, const struct lx_alloctag *A,
				     const struct lx_tag_range *r, struct lx_site_table *t)
{
	struct lx_site_count *row;
	uint64_t tag;

	for (tag = r->start; tag < r->stop; tag += A->tag_size) {
		if (lx_interrupted(s->t))
			return LX_EINTR;
		row = add_row(s, t);
		if (!row)
			return LX_ENOMEM;
		if (!lx_alloctag_site(s, A, tag, &row->site)) {
			t->count--;
			t->unreadable++;
			continue;
		}
		if (!lx_alloctag_counters(s, A, tag, &row->bytes, &row->objects))
			t->unreadable++;
		t->objects += row->objects;
	}
	return LX_OK;
}

enum lx_status lx_allocinfo_build(struct lx_session *s, const struct lx_alloctag *A,
				  struct lx_site_table *t)
{
	enum lx_status ret = LX_OK;
	size_t i;

	memset(t, 0, sizeof(*t));
	t->present = A->present;
	for (i = 0; i < A->nranges && !ret; i++)
		ret = add_range_tags(s, A, &A->ranges[i], t);
	if (ret) {
		lx_site_table_free(s, t);
		return ret;
	}
	if (t->count)
		qsort(t->rows, t->count, sizeof(*t->rows), by_bytes);
	return LX_OK;
}

void lx_site_table_free(struct lx_session *s, struct lx_site_table *t)
{
	lx_free(s->t, t->rows);
	memset(t, 0, sizeof(*t));
}
