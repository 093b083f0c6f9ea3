// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SLAB's owner track: with SLAB_STORE_USER, which mm/slab.c sets only in
 * a CONFIG_DEBUG_SLAB kernel, the last word of each object's slot holds
 * the caller of its last allocation (dbg_userword(): slot + size -
 * BYTES_PER_WORD, written by cache_alloc_debugcheck_after()).  The slot
 * begins obj_offset before the object (our red_left_pad).  There is no
 * free track, task, time or stack.
 */
#include "slab/tracks.h"

static bool slab_tracks_read(struct lx_session *s, const struct lx_cache *c,
			     const struct lx_tracks *tr, uint64_t obj,
			     struct lx_track *alloc, struct lx_track *freed)
{
	uint64_t slot = obj - c->red_left_pad;

	(void)tr;
	(void)freed;
	return lx_read_word(s->t, slot + c->size - lx_word_size(s->t), &alloc->addr);
}

void lx_slab_tracks_init(struct lx_session *s, const struct lx_cache *c,
			 struct lx_tracks *tr)
{
	if (!(c->flags & lx_store_user_flag(s)) ||
	    c->size < c->red_left_pad + c->object_size + lx_word_size(s->t))
		return;
	tr->present = true;
	tr->caller_only = true;
	tr->read = slab_tracks_read;
}
