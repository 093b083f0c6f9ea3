// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The slab_caches list (mm/slab_common.c), the same for every allocator:
 * each kmem_cache in turn, read through the allocator's cache_read op,
 * with the list's own witnesses (back-links, loops, unreadable entries).
 * 2.6.32's SLAB called it cache_chain, linked through kmem_cache.next:
 * the layout says which (lx_layout.caches_symbol, kc_list).
 */
#include "base/set.h"
#include "slab/allocator.h"

#define MAX_CACHES 65536

/* The list's name, for messages. */
static const char *list_name(const struct lx_session *s)
{
	return s->L.caches_symbol ? s->L.caches_symbol : "slab_caches";
}

/* The slab_caches list was cut short: say so once, and flag the result. */
static enum lx_status cache_list_cut(struct lx_session *s, enum lx_status why)
{
	s->flagged = true;
	return why;
}

/*
 * Each list entry's prev must point back at the entry before it
 * (lib/list_debug.c checks the same): a next pointer bent to skip caches,
 * or a head that points at itself, shows here.  prev is list_head's
 * second word.
 */
static bool cache_link_consistent(struct lx_session *s, uint64_t entry,
				  uint64_t before)
{
	uint64_t prev;

	if (lx_read_word(s->t, entry + lx_word_size(s->t), &prev) && prev == before)
		return true;
	lx_msg(s->t, LX_MSG_WARN,
	       "%s list is inconsistent: %#llx.prev does not point back to %#llx",
	       list_name(s), (unsigned long long)entry, (unsigned long long)before);
	return false;
}

/* Read the next link of entry; LX_OK or why the walk must stop. */
static enum lx_status next_cache(struct lx_session *s, unsigned int n,
				 struct lx_set *seen, uint64_t *entry,
				 struct lx_cache *c)
{
	if (n > MAX_CACHES || lx_set_add(seen, *entry) != 1) {
		lx_msg(s->t, LX_MSG_WARN,
		       "%s list loops or is too long; stopped after %u caches", list_name(s),
		       n - 1);
		return LX_ECORRUPT;
	}
	if (lx_interrupted(s->t))
		return LX_EINTR;
	if (lx_cache_read(s, *entry - s->L.kc_list, c)) {
		lx_msg(s->t, LX_MSG_WARN,
		       "cannot read the kmem_cache at %#llx; %s list read only to there (%u caches)",
		       (unsigned long long)(*entry - s->L.kc_list), list_name(s), n - 1);
		return LX_ECORRUPT;
	}
	return LX_OK;
}

enum lx_status lx_for_each_cache(struct lx_session *s, lx_cache_visitor fn, void *arg)
{
	uint64_t head = s->L.slab_caches, next, before = head;
	enum lx_status ret = LX_OK;
	bool consistent = true;
	struct lx_set seen;
	struct lx_cache c;
	unsigned int n = 0;

	if (!lx_read_word(s->t, head, &next)) {
		lx_msg(s->t, LX_MSG_ERROR, "cannot read the %s list head", list_name(s));
		return cache_list_cut(s, LX_EABSENT);
	}
	if (next == head) {	/* kmem_cache itself is always a cache */
		lx_msg(s->t, LX_MSG_ERROR, "the %s list is empty: impossible in a running kernel",
		       list_name(s));
		return cache_list_cut(s, LX_ECORRUPT);
	}
	lx_set_init(&seen, s->t);
	while (next != head && !ret) {
		consistent &= cache_link_consistent(s, next, before);
		ret = next_cache(s, ++n, &seen, &next, &c);
		if (ret || !fn(s, &c, arg))
			break;
		before = next;
		if (!lx_read_word(s->t, next, &next)) {
			lx_msg(s->t, LX_MSG_WARN, "%s list unreadable after %s", list_name(s),
			       c.name);
			ret = LX_ECORRUPT;
		}
	}
	if (!ret && next == head)
		consistent &= cache_link_consistent(s, head, before);
	lx_set_free(&seen);
	if (!ret && !consistent)
		ret = LX_ECORRUPT;
	return ret ? cache_list_cut(s, ret) : LX_OK;
}
