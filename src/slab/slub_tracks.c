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
 * The depot handle (lib/stackdepot.c, union handle_parts) packs a pool
 * index in its low bits and the record's offset in 16-byte units above
 * it.  The widths moved between kernels and are bitfields, so they are
 * found by trying the known splits and keeping the one whose record
 * carries the same handle back.
 */
#include <string.h>

#include "slab/tracks.h"

/* include/linux/slab.h: SLAB_STORE_USER before the flags became an enum. */
#define SLAB_STORE_USER_OLD 0x00010000u
#define DEPOT_ALIGN_SHIFT 4
#define MAX_DEPOT_FRAMES 64

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

static uint64_t depot_record(struct lx_session *s, const struct lx_tracks *tr,
			     uint32_t handle)
{
	uint32_t index = (handle & ((1u << tr->index_bits) - 1)) - tr->index_bias;
	uint32_t offset = (handle >> tr->index_bits) & ((1u << tr->offset_bits) - 1);
	uint64_t pool;

	/* stack_slabs[], later stack_pools[]: pointers */
	if (index >= (1u << tr->index_bits) ||
	    !lx_read_word(s->t, tr->pools + (uint64_t)lx_word_size(s->t) * index, &pool) ||
	    !pool)
		return 0;
	return pool + ((uint64_t)offset << DEPOT_ALIGN_SHIFT);
}

static bool record_matches(struct lx_session *s, const struct lx_tracks *tr,
			   uint32_t handle)
{
	uint64_t rec = depot_record(s, tr, handle);
	uint32_t stored;

	return rec && lx_read_u32(s->t, rec + tr->rec_handle, &stored) &&
	       stored == handle;
}

/* Try the splits kernels used (6.1: 16 index bits, 10 offset bits). */
static bool resolve_depot(struct lx_session *s, struct lx_tracks *tr,
			  uint32_t handle)
{
	static const unsigned int index_bits[] = { 16, 17, 15, 18, 19, 20, 21 };
	static const unsigned int offset_bits[] = { 10, 11, 12, 13, 14 };
	const struct lx_member_req record[] = {
		{ "stack_record", "handle", &tr->rec_handle, true },
		{ "stack_record", "size", &tr->rec_size, true },
		{ "stack_record", "entries", &tr->rec_entries, true },
	};
	unsigned int i, j, bias;

	tr->pools = lx_symbol_addr(s->t, "stack_slabs");
	if (!tr->pools)
		tr->pools = lx_symbol_addr(s->t, "stack_pools");
	if (!tr->pools || !lx_resolve_members(s->t, LX_MEMBERS(record), NULL))
		return false;
	for (bias = 0; bias < 2; bias++)
		for (i = 0; i < sizeof(index_bits) / sizeof(index_bits[0]); i++)
			for (j = 0; j < sizeof(offset_bits) / sizeof(offset_bits[0]); j++) {
				tr->index_bits = index_bits[i];
				tr->offset_bits = offset_bits[j];
				tr->index_bias = bias;
				if (record_matches(s, tr, handle))
					return true;
			}
	return false;
}

unsigned int lx_stack_fetch(struct lx_session *s, struct lx_tracks *tr,
			    uint32_t handle, uint64_t *frames, unsigned int max)
{
	uint64_t entries[MAX_DEPOT_FRAMES];
	uint64_t rec;
	uint32_t size;
	unsigned int n;

	if (!handle)
		return 0;
	if (!tr->depot_tried) {
		tr->depot_tried = true;
		tr->depot_ok = resolve_depot(s, tr, handle);
	}
	if (!tr->depot_ok || !record_matches(s, tr, handle))
		return 0;
	rec = depot_record(s, tr, handle);
	if (!lx_read_u32(s->t, rec + tr->rec_size, &size) || !size ||
	    size > MAX_DEPOT_FRAMES)
		return 0;
	n = size < max ? size : max;
	/* stack_record.entries[]: unsigned longs */
	if (!lx_read_words(s->t, rec + tr->rec_entries, entries, n))
		return 0;
	memcpy(frames, entries, n * sizeof(*entries));
	return n;
}
