// SPDX-License-Identifier: GPL-2.0-or-later
/* kmemleak's word on a set of objects (kmemleak_sets.h). */
#include <stdlib.h>
#include <string.h>

#include "analysis/kmemleak_sets.h"

/*
 * Functions of the allocator and of kmemleak itself, by name prefix: the
 * stack kmemleak saves starts inside them (kmem_cache_alloc_noprof+0x12d
 * on 6.12), and the owner is the first caller outside.
 */
static const char *const allocator_prefixes[] = {
	"kmem_cache_alloc", "kmem_cache_zalloc", "__kmem_cache_alloc",
	"kmalloc", "__kmalloc", "__do_kmalloc", "kzalloc", "kcalloc",
	"kvmalloc", "__kvmalloc", "kvzalloc", "krealloc", "__krealloc",
	"kmemdup", "kstrdup", "kstrndup", "slab_alloc", "__slab_alloc",
	"___slab_alloc", "slab_post_alloc_hook", "kmemleak_", "create_object",
	"__create_object", "set_track_prepare", "stack_trace_save",
};

bool lx_kml_allocator_frame(const char *function)
{
	size_t i;

	for (i = 0; i < sizeof(allocator_prefixes) / sizeof(allocator_prefixes[0]); i++)
		if (!strncmp(function, allocator_prefixes[i], strlen(allocator_prefixes[i])))
			return true;
	return false;
}

static int by_value(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The commonest nonzero handle of handles[0..n) (sorted here) and its count. */
static uint32_t commonest(uint32_t *handles, size_t n, uint64_t *count)
{
	uint32_t best = 0;
	size_t i, run;

	*count = 0;
	if (n)
		qsort(handles, n, sizeof(*handles), by_value);
	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n && handles[i + run] == handles[i]; run++)
			;
		if (run > *count) {
			*count = run;
			best = handles[i];
		}
	}
	return best;
}

/* The top handle's frames as text, and its first frame outside the allocator. */
static void read_stack(struct lx_session *s, const struct lx_depot *D,
		       struct lx_kml_set *set)
{
	uint64_t frames[LX_DEPOT_MAX_FRAMES];
	unsigned int i, n = lx_depot_fetch(s, D, set->top_handle, frames,
					   LX_DEPOT_MAX_FRAMES);

	for (i = 0; i < n; i++) {
		char text[LX_FRAME_TEXT_MAX], name[LX_NAME_MAX];

		lx_frame_text(s, frames[i], text, sizeof(text), name, sizeof(name));
		if (set->nstack < LX_KML_STACK_SHOWN)
			memcpy(set->stack[set->nstack++], text, sizeof(text));
		if (!set->site[0] && !lx_kml_allocator_frame(name))
			memcpy(set->site, text, sizeof(text));
	}
}

bool lx_kml_site(struct lx_session *s, const struct lx_depot *D, uint32_t handle,
		 char *buf, size_t len)
{
	uint64_t frames[LX_DEPOT_MAX_FRAMES];
	unsigned int i, n;

	if (len)
		buf[0] = '\0';
	if (!D->present || !handle || !len)
		return false;
	n = lx_depot_fetch(s, D, handle, frames, LX_DEPOT_MAX_FRAMES);
	for (i = 0; i < n; i++) {
		char name[LX_NAME_MAX];

		lx_frame_text(s, frames[i], buf, len, name, sizeof(name));
		if (!lx_kml_allocator_frame(name))
			return true;
	}
	buf[0] = '\0';
	return false;
}

/* pid and comm of the first member allocated at the top stack. */
static void note_task(const struct lx_kmemleak *K, const uint64_t *objs, size_t n,
		      struct lx_kml_set *set)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lx_kml_record *r = lx_kmemleak_find(K, objs[i]);

		if (r && r->trace == set->top_handle) {
			set->pid = r->pid;
			memcpy(set->comm, r->comm, sizeof(set->comm));
			set->comm[sizeof(set->comm) - 1] = '\0';
			lx_sanitize(set->comm);
			return;
		}
	}
}

enum lx_status lx_kml_set_build(struct lx_session *s, const struct lx_kmemleak *K,
				const struct lx_depot *D, const uint64_t *objs, size_t n,
				struct lx_kml_set *set)
{
	uint32_t *handles;
	size_t i;

	memset(set, 0, sizeof(*set));
	if (!K->present)
		return LX_OK;
	set->present = true;
	handles = lx_alloc(s->t, (n + 1) * sizeof(*handles));
	if (!handles)
		return LX_ENOMEM;
	for (i = 0; i < n; i++) {
		const struct lx_kml_record *r = lx_kmemleak_find(K, objs[i]);

		set->verdicts[lx_kmemleak_verdict(K, r)]++;
		if (r && r->trace)
			handles[set->with_stack++] = r->trace;
	}
	set->members = n;
	set->top_handle = commonest(handles, set->with_stack, &set->top_count);
	lx_free(s->t, handles);
	if (set->top_handle && D->present)
		read_stack(s, D, set);
	if (set->top_handle)
		note_task(K, objs, n, set);
	return LX_OK;
}
