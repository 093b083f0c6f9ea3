// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The allocator interface (allocator.h): the probe list, the ops every
 * walker answers through, and what is the same for every allocator's
 * result (objects, liveness bits, sources, integrity).
 */
#include <string.h>

#include "slab/memmap.h"
#include "slab/slab_alloc.h"
#include "slab/slub.h"
#include "slab/tracks.h"

/* Tried in order; the first whose probe accepts the dump's types walks it. */
static const struct lx_allocator *const allocators[] = {
	&lx_slub_allocator,
	&lx_slab_allocator,
};

/* No row accepted the dump. */
static void unknown_allocator(struct lx_session *s)
{
	lx_msg(s->t, LX_MSG_ERROR,
	       "the dump's struct kmem_cache is of no allocator leakext knows");
}

static const struct lx_allocator *probe_allocator(struct lx_session *s)
{
	size_t i;

	if (lx_type_size(s->t, "kmem_cache") <= 0) {
		lx_msg(s->t, LX_MSG_ERROR, "no struct kmem_cache in the dump's types");
		return NULL;
	}
	for (i = 0; i < sizeof(allocators) / sizeof(allocators[0]); i++)
		if (allocators[i]->probe(s))
			return allocators[i];
	unknown_allocator(s);
	return NULL;
}

enum lx_status lx_layout_init(struct lx_session *s)
{
	enum lx_status ret;

	memset(&s->L, 0, sizeof(s->L));
	ret = lx_arch_init(s);
	if (ret)
		return ret;
	s->alloc = probe_allocator(s);
	if (!s->alloc)
		return LX_EABSENT;
	ret = s->alloc->layout(s);
	if (!ret)
		ret = lx_kernel_init(s, s->L.kc_node_slots);
	return ret;
}

void lx_session_fini(struct lx_session *s)
{
	lx_kernel_fini(s);
	lx_memmap_free(s);
}

enum lx_status lx_cache_read(struct lx_session *s, uint64_t addr, struct lx_cache *c)
{
	return s->alloc->cache_read(s, addr, c);
}

static enum lx_status walk_once(struct lx_session *s, const struct lx_cache *c,
				struct lx_scan *scan, const struct lx_visitor *visit)
{
	const struct lx_allocator *a = s->alloc;
	enum lx_status ret = a->scan(s, c, scan, visit);

	if (!ret) {
		scan->sources = a->sources;
		scan->sources_shown = a->sources &
				      ~(a->sources_absent ? a->sources_absent(s) : 0);
		scan->integrity.walks = 1;
	}
	return ret;
}

/*
 * A live walk: its problems recorded but unsaid (memory moving under the
 * walker makes them; mark_moving() says what stayed).  After a failed
 * walk that used the memory map, the map is scanned again: a snapshot
 * taken before the walk (once per command) ages as slabs come and go,
 * and a witness older than the lists it checks disagrees with them.
 */
static enum lx_status walk_again(struct lx_session *s, const struct lx_cache *c,
				 struct lx_scan *scan, const struct lx_visitor *visit)
{
	enum lx_status ret;

	if (scan->used_memmap || scan->integrity.count[LX_PROB_MEMMAP])
		lx_memmap_free(s);
	lx_scan_free(s, scan);
	s->quiet_problems = true;
	ret = walk_once(s, c, scan, visit);
	s->quiet_problems = false;
	return ret;
}

/* What stayed inconsistent through every walk of a live target moved. */
static void mark_moving(struct lx_session *s, struct lx_scan *scan, unsigned int walks)
{
	scan->integrity.moving = true;
	lx_msg(s->t, LX_MSG_WARN,
	       "%s changed under the walker: still inconsistent after %u walks, reported as moving; its counts are within the churn",
	       scan->cache.name, walks);
}

static enum lx_status walk_live(struct lx_session *s, const struct lx_cache *c,
				struct lx_scan *scan, const struct lx_visitor *visit)
{
	bool flagged = s->flagged, ok = false;
	enum lx_status ret = LX_OK;
	unsigned int walks;

	memset(scan, 0, sizeof(*scan));
	/* with a visitor, the last of LX_LIVE_WALKS walks is the visiting one */
	for (walks = 0; walks < LX_LIVE_WALKS - !!visit && !ret && !ok; walks++) {
		ret = walk_again(s, c, scan, NULL);
		ok = !ret && lx_integrity_ok(&scan->integrity);
	}
	if (!ret && visit) {	/* the visitor sees one walk: the answer */
		ret = walk_again(s, c, scan, visit);
		ok = !ret && lx_integrity_ok(&scan->integrity);
		walks++;
	}
	if (ret)
		return ret;
	s->flagged = flagged;
	scan->integrity.walks = walks;
	if (!ok)
		mark_moving(s, scan, walks);
	return LX_OK;
}

enum lx_status lx_scan_cache_visit(struct lx_session *s, const struct lx_cache *c,
				   struct lx_scan *scan, const struct lx_visitor *visit)
{
	if (lx_target_live(s->t))
		return walk_live(s, c, scan, visit);
	return walk_once(s, c, scan, visit);
}

enum lx_status lx_scan_cache(struct lx_session *s, const struct lx_cache *c,
			     struct lx_scan *scan)
{
	return lx_scan_cache_visit(s, c, scan, NULL);
}

void lx_tracks_init(struct lx_session *s, const struct lx_cache *c,
		    struct lx_tracks *tr)
{
	memset(tr, 0, sizeof(*tr));
	if (s->alloc && s->alloc->tracks_init)
		s->alloc->tracks_init(s, c, tr);
}

bool lx_tracks_read(struct lx_session *s, const struct lx_cache *c,
		    const struct lx_tracks *tr, uint64_t obj,
		    struct lx_track *alloc, struct lx_track *freed)
{
	memset(alloc, 0, sizeof(*alloc));
	memset(freed, 0, sizeof(*freed));
	return tr->present && tr->read && tr->read(s, c, tr, obj, alloc, freed);
}
