// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SLUB owner tracks (slub_debug=U) and the stack depot behind them.
 *
 * With SLAB_STORE_USER, mm/slub.c keeps two struct track after each
 * object: get_track() puts them at object + get_info_end(s), which is
 * s->inuse, plus one pointer when the free pointer lives outside the
 * object (s->offset >= s->inuse).  track[0] is the allocation, track[1]
 * the free.
 *
 * The allocation stack behind a track's depot handle comes from the
 * kernel model's stack depot reader (kernel/stackdepot.c).
 */
#include <string.h>

#include "slab/tracks.h"

/* include/linux/slab.h: SLAB_STORE_USER before the flags became an enum. */
#define SLAB_STORE_USER_OLD 0x00010000u

uint64_t lx_store_user_flag(struct lx_session *s)
{
	long bit;

	if (lx_enum_value(s->t, "_SLAB_STORE_USER", &bit) &&
	    bit >= 0 && bit < 32)
		return 1ULL << bit;
	return SLAB_STORE_USER_OLD;
}

static bool slub_tracks_read(struct lx_session *s, const struct lx_cache *c,
			     const struct lx_tracks *tr, uint64_t obj,
			     struct lx_track *alloc, struct lx_track *freed);

void lx_slub_tracks_init(struct lx_session *s, const struct lx_cache *c,
			 struct lx_tracks *tr)
{
	const struct lx_member_req req[] = {
		{ "track", "addr", &tr->addr, true },
		{ "track", "handle", &tr->handle, false },	/* the stack depot's */
		{ "track", "cpu", &tr->cpu, true },
		{ "track", "pid", &tr->pid, true },
		{ "track", "when", &tr->when, true },
	};

	memset(tr, 0, sizeof(*tr));
	tr->size_of = lx_type_size(s->t, "track");
	/*
	 * get_track() reads these out of a struct track's bytes; addr and
	 * when are unsigned longs.
	 */
	if (tr->size_of <= 0 || tr->size_of > 64 ||
	    !lx_resolve_members(s->t, LX_MEMBERS(req), NULL) ||
	    !lx_field_fits(tr->size_of, tr->addr, lx_word_size(s->t)) ||
	    !lx_field_fits(tr->size_of, tr->cpu, 4) ||
	    !lx_field_fits(tr->size_of, tr->pid, 4) ||
	    !lx_field_fits(tr->size_of, tr->when, lx_word_size(s->t)) ||
	    (tr->handle >= 0 && !lx_field_fits(tr->size_of, tr->handle, 4)))
		return;
	if (!(c->flags & lx_store_user_flag(s)))
		return;
	tr->present = true;
	tr->read = slub_tracks_read;
	tr->jiffies = lx_symbol_word_or(s->t, "jiffies", 0);
	tr->jiffies_max = lx_word_max(s->t);
}

/*
 * A 32-bit kernel's jiffies wraps 5 minutes after boot (INITIAL_JIFFIES
 * is -300 * HZ, include/linux/jiffies.h), so there the age is the
 * difference modulo 2^32, and one of more than half that range is a time
 * after the dump's.  64-bit jiffies never wraps.
 */
uint64_t lx_track_age(const struct lx_tracks *tr, const struct lx_track *t)
{
	uint64_t age = (tr->jiffies - t->when) & tr->jiffies_max;

	if (tr->jiffies_max == UINT64_MAX)
		return tr->jiffies >= t->when ? age : 0;
	return age <= tr->jiffies_max / 2 ? age : 0;
}

static void get_track(const struct lx_target *t, const struct lx_tracks *tr,
		      const uint8_t *buf, struct lx_track *out)
{
	out->addr = lx_get_word(t, buf, tr->addr);
	out->handle = tr->handle >= 0 ? lx_get_u32(buf, tr->handle) : 0;
	out->cpu = (int)lx_get_u32(buf, tr->cpu);
	out->pid = (int)lx_get_u32(buf, tr->pid);
	out->when = lx_get_word(t, buf, tr->when);
}

static bool slub_tracks_read(struct lx_session *s, const struct lx_cache *c,
			     const struct lx_tracks *tr, uint64_t obj,
			     struct lx_track *alloc, struct lx_track *freed)
{
	/* get_info_end(): a free pointer outside the object takes a word */
	uint64_t info_end = c->inuse + (c->offset >= c->inuse ? lx_word_size(s->t) : 0);
	uint8_t buf[2 * 64];

	if (!lx_read(s->t, obj + info_end, buf, 2 * tr->size_of))
		return false;
	get_track(s->t, tr, buf, alloc);
	get_track(s->t, tr, buf + tr->size_of, freed);
	return true;
}

unsigned int lx_stack_fetch(struct lx_session *s, struct lx_tracks *tr,
			    uint32_t handle, uint64_t *frames, unsigned int max)
{
	if (!handle)
		return 0;
	if (!tr->depot_tried) {
		tr->depot_tried = true;
		lx_depot_init(s, &tr->depot);
	}
	return lx_depot_fetch(s, &tr->depot, handle, frames, max);
}
