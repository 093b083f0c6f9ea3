/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Owner tracks: who allocated each object, where the allocator recorded
 * it.  SLUB's (slub_debug=U, slub_tracks.c): the allocation and free call
 * sites, pid, cpu and time, and the allocation stack in the stack depot.
 * SLAB's (CONFIG_DEBUG_SLAB, slab_tracks.c): the caller of the last
 * allocation only.  Each allocator row's tracks_init picks the reader.
 */
#ifndef LEAKEXT_TRACKS_H
#define LEAKEXT_TRACKS_H

#include "kernel/stackdepot.h"
#include "slab/allocator.h"

#define LX_STACK_MAX 16

/* One struct track (mm/slub.c). */
struct lx_track {
	uint64_t addr;		/* call site; 0 = never recorded */
	uint32_t handle;	/* stack depot handle, 0 = none */
	int cpu, pid;
	uint64_t when;		/* jiffies */
};

struct lx_tracks;
/* One object's tracks: the allocation (and free) track; false if unreadable. */
typedef bool (*lx_tracks_reader)(struct lx_session *s, const struct lx_cache *c,
				 const struct lx_tracks *tr, uint64_t obj,
				 struct lx_track *alloc, struct lx_track *freed);

struct lx_tracks {
	bool present;		/* the cache stores owner tracks */
	bool caller_only;	/* only the allocation's call site (SLAB) */
	lx_tracks_reader read;
	long size_of, addr, handle, cpu, pid, when;
	/* the stack depot, resolved on first use */
	struct lx_depot depot;
	bool depot_tried;
	uint64_t jiffies;
	uint64_t jiffies_max;	/* jiffies is an unsigned long: it wraps past this */
};

/*
 * Whether c stores tracks, and where, by the session's allocator.  Never
 * fails: present says.
 */
void lx_tracks_init(struct lx_session *s, const struct lx_cache *c,
		    struct lx_tracks *tr);
/* The allocator rows' tracks_init. */
void lx_slub_tracks_init(struct lx_session *s, const struct lx_cache *c,
			 struct lx_tracks *tr);
void lx_slab_tracks_init(struct lx_session *s, const struct lx_cache *c,
			 struct lx_tracks *tr);
/* SLAB_STORE_USER's bit in kmem_cache.flags (an enum since 6.8). */
uint64_t lx_store_user_flag(struct lx_session *s);
/* The allocation and free track of the object at obj.  false if unreadable. */
bool lx_tracks_read(struct lx_session *s, const struct lx_cache *c,
		    const struct lx_tracks *tr, uint64_t obj,
		    struct lx_track *alloc, struct lx_track *freed);
/* Jiffies from a track's time to the dump's; 0 for a time after the dump's. */
uint64_t lx_track_age(const struct lx_tracks *tr, const struct lx_track *t);
/* The stack behind a depot handle: number of frames, 0 if unknown. */
unsigned int lx_stack_fetch(struct lx_session *s, struct lx_tracks *tr,
			    uint32_t handle, uint64_t *frames, unsigned int max);

#endif
