/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who holds slab objects: a kmemleak-style reachability pass over a dump.
 * Roots (roots.h) are scanned, every live object they reach is scanned in
 * turn, and every live object left unreached is scanned last, so each live
 * object is read exactly once.  Aligned words (the kernel's, 4 or 8 bytes)
 * that point at or into a live object count; a word inside an object that
 * points back into that same object does not (a self-pointing list head
 * keeps nothing alive).
 */
#ifndef LEAKEXT_REFS_H
#define LEAKEXT_REFS_H

#include "analysis/heap.h"
#include "analysis/roots.h"

#define LX_REF_HEAP UINT32_MAX	/* lx_ref.area: the word is in a slab object */
/* lx_ref.area: the word is a struct slab's obj_exts, in the memory map */
#define LX_REF_SLAB_VECTOR (UINT32_MAX - 1)
/*
 * Referrers recorded; more are counted (refs_dropped) and warned about.
 * Each costs about 330 bytes while lx_reach_groups() labels and groups
 * them, so this caps a crash session's extra memory near 170 MiB.
 */
#define LX_REFS_MAX (1u << 19)

/* One word pointing at a target object. */
struct lx_ref {
	uint64_t where;		/* address of the word */
	uint64_t target;	/* heap-wide number of the object it points into */
	uint32_t area;		/* index into roots.v, or LX_REF_HEAP */
	uint32_t offset;	/* where in the target it points */
};

struct lx_reach {
	struct lx_heap heap;
	struct lx_areas roots;
	uint8_t *reached;	/* bit per heap object: reachable from a root */
	uint8_t *targets;	/* bit per heap object: record its referrers */
	/*
	 * bit per target: some word points into it, recorded in refs or not
	 * (past LX_REFS_MAX), so the count of referenced targets is exact
	 */
	uint8_t *referenced;
	uint8_t *no_heap_words;	/* bit per heap object: known to hold no word
				 * in the direct map, so scanning it is moot */
	struct lx_ref *refs;
	size_t nrefs, refs_cap;
	uint64_t refs_dropped;	/* referrers past LX_REFS_MAX */
	uint64_t nreached, scanned_bytes, unreadable_bytes;
	uint64_t window_reads;	/* slabs read whole into the pass's windows */
	size_t window_bytes;	/* the windows' ring: 0, 8 MiB (tests use less) */
	bool ran;
	/* seconds (LEAKEXT_TIMING): the heap index and roots, the pass's phases */
	double index_time, roots_time, unreached_time;
};

/* Index the heap and collect the roots.  Free with lx_reach_free(). */
enum lx_status lx_reach_init(struct lx_session *s, struct lx_reach *r);
/* The same, with one cache's walk already done (lx_heap_build_with()). */
enum lx_status lx_reach_init_with(struct lx_session *s, struct lx_reach *r,
				  const struct lx_scan *known);
/*
 * The live heap object number holds no word in [lo, hi) (its caller read it
 * and checked): if the heap lies inside [lo, hi), the pass counts the
 * object scanned without reading it again.
 */
void lx_reach_no_heap_words(struct lx_reach *r, uint64_t number, uint64_t lo,
			    uint64_t hi);

/*
 * One cache walked in slab order (its slabs advised to the dump ahead),
 * noting which live objects hold no word in [lo, hi), the direct map:
 * such an object reaches nothing, so the reach pass need not read it
 * again in the order references lead to it (a list of text buffers).
 */
struct lx_word_notes {
	struct lx_scan scan;
	uint8_t *misses;	/* bit per object slot (lx_slab.bitmap + index) */
	size_t misses_len;	/* bytes */
	uint64_t lo, hi;
	unsigned int word_size;
	struct lx_target *t;
};

/* The direct map [*lo, *hi) (lowmem on 32-bit); false if not known. */
bool lx_direct_map_range(const struct lx_session *s, uint64_t *lo, uint64_t *hi);
/* Walk c and note (above); on LX_OK the caller frees wn (lx_word_notes_free()). */
enum lx_status lx_word_notes_walk(struct lx_session *s, const struct lx_cache *c,
				  struct lx_word_notes *wn);
/* After lx_reach_init_with(s, r, &wn->scan): skip what wn noted. */
void lx_reach_apply_notes(struct lx_reach *r, const struct lx_word_notes *wn);
void lx_word_notes_free(struct lx_session *s, struct lx_word_notes *wn);

/* Record referrers of heap object number (a hit of lx_heap_find()). */
static inline void lx_reach_target_number(struct lx_reach *r, uint64_t number)
{
	lx_bit_set(r->targets, number);
}
/* True if no aligned word (of word_size bytes) of mem[0..len) falls in [lo, hi). */
bool lx_words_miss(const uint8_t *mem, size_t len, unsigned int word_size,
		   uint64_t lo, uint64_t hi);
/* Record referrers of the object (live or free) containing addr; false if none does. */
bool lx_reach_target(struct lx_session *s, struct lx_reach *r, uint64_t addr);
/* The pass itself: reached bits and referrers of the targets. */
enum lx_status lx_reach_run(struct lx_session *s, struct lx_reach *r);
void lx_reach_free(struct lx_session *s, struct lx_reach *r);
/*
 * What a finished pass could not see, as warnings; a pass cut short (a
 * list, the heap index) flags the session's result.
 */
void lx_reach_warn_limits(struct lx_session *s, const struct lx_reach *r);

static inline bool lx_reach_reached(const struct lx_reach *r, uint64_t number)
{
	return lx_bit_test(r->reached, number);
}

/* Some word points into target number, kept in refs or not. */
static inline bool lx_reach_referenced(const struct lx_reach *r, uint64_t number)
{
	return lx_bit_test(r->referenced, number);
}

/* Referrers grouped by where they sit, most held members first. */
struct lx_ref_group {
	char label[LX_LABEL_MAX];	/* "kmalloc-192 +24", "leaked [leak_schedstat]",
					 * "skbuff_head_cache +200 (sk_buff.head)" */
	enum lx_area_kind kind;	/* LX_AREA_KINDS for a slab object */
	uint64_t words;		/* referring words */
	uint64_t held;		/* distinct targets they point into */
	uint64_t example;	/* one referring word's address */
	uint64_t lost_holders;	/* words in live objects no root reaches */
};

/* Group refs[0..nrefs) of r; *groups is allocated, lx_free() it. */
enum lx_status lx_reach_groups(struct lx_session *s, const struct lx_reach *r,
			       const struct lx_ref *refs, size_t nrefs,
			       struct lx_ref_group **groups, size_t *ngroups);
/* The label of one referring word, as the groups name it. */
void lx_reach_label(struct lx_session *s, const struct lx_reach *r,
		    const struct lx_ref *ref, char *out, size_t len);

#endif
