/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The allocator interface: what the analysis knows of slabs.  An allocator
 * (SLUB today; SLAB beside it) is a row of struct lx_allocator, chosen by
 * type probe in lx_layout_init(); its walker finds every slab of a cache
 * and decides each object's liveness, in one place, filling struct lx_scan.
 * Everything above this layer reads only lx_cache, lx_slab and lx_scan.
 */
#ifndef LEAKEXT_ALLOCATOR_H
#define LEAKEXT_ALLOCATOR_H

#include "base/set.h"
#include "kernel/session.h"

/* Where a slab was found. */
enum lx_slab_source {
	LX_SRC_CPU,		/* kmem_cache_cpu.slab */
	LX_SRC_CPU_PARTIAL,	/* kmem_cache_cpu.partial chain */
	LX_SRC_NODE_PARTIAL,	/* kmem_cache_node.partial */
	LX_SRC_NODE_FULL,	/* kmem_cache_node.full (debug caches) */
	LX_SRC_MEMMAP,		/* untracked: found by the memory map scan */
	LX_SRC_SLABS_PARTIAL,	/* SLAB: kmem_cache_node.slabs_partial */
	LX_SRC_SLABS_FULL,	/* SLAB: kmem_cache_node.slabs_full */
	LX_SRC_SLABS_FREE,	/* SLAB: kmem_cache_node.slabs_free */
	LX_SRC_UNLISTED,	/* SLAB: on no list, found by the memory map scan */
	LX_SRC_COUNT
};

/* The order reports list sources in (each allocator's are a subset). */
extern const uint8_t lx_source_order[LX_SRC_COUNT];

#define LX_SRC_BIT(src) (1u << (src))

extern const char *const lx_source_names[LX_SRC_COUNT];

/*
 * How a slab records its free objects: SLUB's free pointers inside
 * objects (mm/slub.c freelist_ptr()), or SLAB's array of object indexes
 * (mm/slab.c freelist_idx_t), or before 3.13 its chain of them through
 * kmem_bufctl_t[] (bufctl[i]: the free index after i).
 */
enum lx_freeptr_mode {
	LX_FP_UNKNOWN,
	LX_FP_PLAIN,		/* no CONFIG_SLAB_FREELIST_HARDENED */
	LX_FP_XOR,		/* ptr ^ random ^ addr (4.14 .. 5.6) */
	LX_FP_XOR_SWAB,		/* ptr ^ random ^ swab(addr) (5.7+, RHEL 8.6) */
	LX_FP_BROKEN,		/* no encoding verifies */
	LX_FP_INDEX_UNKNOWN,	/* SLAB: no free index to tell the width by */
	LX_FP_INDEX1,		/* SLAB: one-byte freelist_idx_t */
	LX_FP_INDEX2,		/* SLAB: two-byte freelist_idx_t */
	LX_FP_BUFCTL,		/* SLAB before 3.13: kmem_bufctl_t chain */
	LX_FP_INDEX4,		/* SLAB from 3.13: unsigned int indexes */
};

/*
 * Integrity of one cache's answer: every way the walk found the dump
 * contradicting itself.  A cache with no problem is exact; one with any is
 * flagged in text and JSON (and the standalone program exits non-zero).
 */
enum lx_problem {
	LX_PROB_UNREADABLE,	/* a slab header or slab memory is not in the dump */
	LX_PROB_FOREIGN,	/* a list holds a slab of another cache */
	LX_PROB_OBJECTS,	/* a slab claims an impossible object count */
	LX_PROB_FREELIST,	/* a freelist does not decode */
	LX_PROB_LIST,		/* a list or chain loops, breaks or is too long */
	LX_PROB_INUSE,		/* a slab's inuse disagrees with its freelist */
	LX_PROB_NODE,		/* kmem_cache_node absent/unreadable, counters disagree */
	LX_PROB_CPU,		/* kmem_cache_cpu unreadable or inconsistent */
	LX_PROB_MEMMAP,		/* memory map and lists disagree, or no memory map */
	LX_PROB_SHEAF,		/* a sheaf or barn is unreadable or impossible */
	LX_PROB_ARRAY,		/* SLAB: an array cache is unreadable or impossible */
	LX_PROB_WRONG_LIST,	/* SLAB: a slab's active count does not fit its list */
	LX_PROB_COUNT
};

#define LX_PROBLEM_TEXT 128

struct lx_integrity {
	uint32_t count[LX_PROB_COUNT];
	char first[LX_PROB_COUNT][LX_PROBLEM_TEXT];	/* first of each kind */
	/*
	 * A live target's cache that was inconsistent in each of its walks
	 * (LX_LIVE_WALKS): memory that changed under the walker, not
	 * corruption.  Not ok, but not flagged either.
	 */
	bool moving;
	uint8_t walks;		/* walks made (1 on a dump) */
};

/* Walks of one cache on a live target before what stays inconsistent is moving. */
#define LX_LIVE_WALKS 3

extern const char *const lx_problem_names[LX_PROB_COUNT];
/* No problem at all: the answer is exact. */
bool lx_integrity_ok(const struct lx_integrity *in);
/* Problems that are not a live kernel's moving memory: the dump contradicts itself. */
bool lx_integrity_flagged(const struct lx_integrity *in);
struct lx_scan;
/*
 * Record a problem with a cache's answer and warn about it; the first of
 * each kind is kept for the reports.  fmt is also the message's kind for
 * lx_msg()'s repeat counting.
 */
/*
 * A walker's last step: decide(walk, slab, mem) for each slab of scan in
 * turn, with a buffer of len bytes for the slab's memory (the visitor's,
 * if it gives buffers); ^C stops it (LX_EINTR), progress is shown by cache
 * name.  Slabs the walker marked unread are not advised to the dump.
 */
struct lx_slab;
struct lx_visitor;
typedef void (*lx_slab_decider)(void *walk, struct lx_slab *slab, uint8_t *mem);
enum lx_status lx_scan_each_slab(struct lx_session *s, struct lx_scan *scan, size_t len,
				 lx_slab_decider decide, void *walk,
				 const struct lx_visitor *visit);
/*
 * A decider's read of len bytes of slab's memory from its base into mem;
 * of a slab marked unread, only whether the dump has them (mem's bytes
 * are then undefined).  False: not readable.
 */
bool lx_read_slab(struct lx_session *s, const struct lx_slab *slab, uint8_t *mem,
		  size_t len);
void lx_note_problem(struct lx_session *s, struct lx_scan *scan,
		     enum lx_problem kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Objects a per-cpu cache of free objects holds (SLAB's array caches,
 * SLUB's sheaves): free, though their slab counts them in use.  Each may
 * be held once; every one must be an object of a slab of the cache, and
 * none may also be on a freelist.
 */
struct lx_cached_objs {
	struct lx_set set;
	uint64_t hits;		/* of set, found in a slab of the cache */
	enum lx_problem kind;	/* LX_PROB_ARRAY, LX_PROB_SHEAF */
	const char *holder;	/* "array cache" */
	const char *a_holder;	/* "an array cache" */
	const char *holders;	/* "array caches" */
	bool slots;		/* entries are slots (SLAB), not objects (SLUB) */
};

/* Record [start, start + len) as allocator bookkeeping (lx_scan.bookkeeping). */
enum lx_status lx_scan_note_bookkeeping(struct lx_session *s, struct lx_scan *scan,
					uint64_t start, uint64_t len);
/* Mark object index free; false if it already was (two lists, or a loop). */
bool lx_mark_free(struct lx_scan *scan, const struct lx_slab *slab, uint32_t index);
/*
 * Every object of slab live again, its free count 0: a walk that marked
 * some free and then found the slab unreadable undoes its marks.
 */
void lx_unmark_free_all(struct lx_scan *scan, struct lx_slab *slab);
/* Add obj, held by the holder called where ("cpu 1's"); LX_ENOMEM or LX_OK. */
enum lx_status lx_cached_add(struct lx_session *s, struct lx_scan *scan,
			     struct lx_cached_objs *c, uint64_t obj, const char *where);
/* Mark free the objects of slab that c holds; *freed counts them. */
void lx_cached_mark(struct lx_session *s, struct lx_scan *scan,
		    struct lx_cached_objs *c, struct lx_slab *slab, uint64_t *freed);
/* After every slab: a held object found in none is a problem. */
void lx_cached_check(struct lx_session *s, struct lx_scan *scan,
		     const struct lx_cached_objs *c);

struct lx_cache {
	uint64_t addr;
	char name[LX_NAME_MAX];
	uint64_t flags, random, cpu_slab, cpu_sheaves;
	uint32_t size, object_size, offset, red_left_pad, inuse, sheaf_capacity;
	uint32_t oo_order, oo_objects, min_order, min_objects;
};

struct lx_slab {
	/* struct slab (= head struct page); before 3.13 the struct slab */
	uint64_t addr;
	/*
	 * The first object's slot: page_to_virt() for SLUB, slab->s_mem
	 * (past the colour offset) for SLAB.  Object i's slot is
	 * base + i * size, its address base + red_left_pad + i * size.
	 */
	uint64_t base;
	uint64_t freelist;	/* slab->freelist as read; bufctl[]'s address */
	uint32_t objects;
	uint32_t nfree;
	uint32_t bitmap;	/* index of first free-bit in scan->freebits */
	uint16_t inuse;		/* from the counters word; SLAB: slab->active */
	int16_t cpu;		/* cpu for LX_SRC_CPU / CPU_PARTIAL, else -1 */
	uint8_t source;
	uint8_t bad:1;
	uint8_t frozen:1;
	/*
	 * The walk needs none of its bytes (no freelist runs through it and
	 * nothing visits its objects), only that the dump has them.
	 */
	uint8_t unread:1;
	/* The walk reads only the pages its freelists are on (SLUB). */
	uint8_t by_page:1;
};

/* [start, end) of kernel memory. */
struct lx_span {
	uint64_t start, end;
};

struct lx_scan {
	struct lx_cache cache;
	struct lx_slab *slabs;
	size_t nslabs, slabs_cap;
	uint8_t *freebits;	/* one bit per object, set = free */
	size_t freebits_len, freebits_cap;
	uint64_t by_source[LX_SRC_COUNT];
	uint64_t total, live, free;
	uint64_t sheaf_free;	/* of free: objects held in sheaves */
	uint64_t array_free;	/* of free: objects held in SLAB's array caches */
	uint64_t slab_bytes;
	uint64_t node_nr_slabs;	/* sum of kmem_cache_node.nr_slabs, if known */
	bool nr_slabs_known, used_memmap;
	enum lx_freeptr_mode fp_mode;
	/*
	 * LX_SRC_BIT()s of the allocator's slab sources (JSON lists each),
	 * and of those the ones this kernel's layout has (text lists these).
	 */
	uint32_t sources, sources_shown;
	unsigned int bad_slabs, bad_lists;
	struct lx_integrity integrity;
	/*
	 * The allocator's bookkeeping of free objects read on the way (SLAB's
	 * array_cache.entry[] up to limit): its words point at free objects
	 * or, past avail, stale at objects since handed out, never a holder.
	 */
	struct lx_span *bookkeeping;
	size_t nbookkeeping, bookkeeping_cap;
};

/*
 * What a walk shows each readable slab, after its objects' liveness is
 * decided: slab(arg, ...) with the slab's memory (mem[0] is the byte at
 * slab->base).  buffer(arg, len), if set, gives the len bytes each slab
 * is read into, and what slab() is given stays the visitor's until its
 * next buffer() call returns other memory (a pipeline hands slabs to
 * another thread this way); NULL stops the walk (LX_ENOMEM).  Without
 * buffer(), every slab is read into one buffer of the walk's.
 */
struct lx_visitor {
	void (*slab)(void *arg, const struct lx_scan *scan, const struct lx_slab *slab,
		     const uint8_t *mem);
	uint8_t *(*buffer)(void *arg, size_t len);
	void *arg;
};
typedef bool (*lx_cache_visitor)(struct lx_session *s, const struct lx_cache *c,
				 void *arg);

/*
 * One allocator; each op's contract is the lx_ function's of that name
 * below.  The slab_caches list is every allocator's (caches.c).
 */
struct lx_tracks;

struct lx_allocator {
	const char *name;		/* "SLUB" */
	/* Why a cache has no owner tracks, and how a kernel would keep them. */
	const char *no_tracks;
	uint32_t sources;		/* LX_SRC_BIT()s its walker fills */
	/* Of those, the ones this kernel's layout lacks; NULL: none. */
	uint32_t (*sources_absent)(const struct lx_session *s);
	/* Does the dump's kernel use this allocator?  By types, never versions. */
	bool (*probe)(struct lx_session *s);
	/* Resolve s->L; a message and LX_EABSENT if the layout is unusable. */
	enum lx_status (*layout)(struct lx_session *s);
	enum lx_status (*cache_read)(struct lx_session *s, uint64_t addr,
				     struct lx_cache *c);
	enum lx_status (*scan)(struct lx_session *s, const struct lx_cache *c,
			       struct lx_scan *scan, const struct lx_visitor *visit);
	/* Where c's owner tracks are, if it keeps any (tracks.h). */
	void (*tracks_init)(struct lx_session *s, const struct lx_cache *c,
			    struct lx_tracks *tr);
};

/*
 * Probe the allocator, resolve its layout, then the kernel model; end with
 * lx_session_fini() whatever it returns.
 */
enum lx_status lx_layout_init(struct lx_session *s);
void lx_session_fini(struct lx_session *s);
enum lx_status lx_cache_read(struct lx_session *s, uint64_t addr, struct lx_cache *c);
/*
 * Calls fn for each cache on slab_caches; stops early if fn returns false.
 * Not LX_OK when the list was cut short (then s->flagged is set).
 */
enum lx_status lx_for_each_cache(struct lx_session *s, lx_cache_visitor fn, void *arg);
/*
 * Every slab of one cache and the liveness of each object.  LX_OK also
 * when the dump contradicted itself: scan->integrity says where (and
 * s->flagged is set); other statuses leave no usable result and nothing
 * to free.  On a live target (lx_target_live()) a walk that finds the
 * cache inconsistent is repeated, up to LX_LIVE_WALKS walks (with a
 * visitor, the visiting walk comes after the first consistent one, or
 * the last); what stays inconsistent is marked moving and does not set
 * s->flagged.
 */
enum lx_status lx_scan_cache(struct lx_session *s, const struct lx_cache *c,
			     struct lx_scan *scan);
enum lx_status lx_scan_cache_visit(struct lx_session *s, const struct lx_cache *c,
				   struct lx_scan *scan, const struct lx_visitor *visit);
void lx_scan_free(struct lx_session *s, struct lx_scan *scan);
uint64_t lx_object_addr(const struct lx_scan *scan, const struct lx_slab *slab,
			uint32_t index);
bool lx_object_is_free(const struct lx_scan *scan, const struct lx_slab *slab,
		       uint32_t index);
uint64_t lx_slab_bytes(const struct lx_session *s, const struct lx_cache *c,
		       uint32_t objects);
/* Objects and live objects per source (objs[LX_SRC_COUNT], live[...]). */
void lx_count_by_source(const struct lx_scan *scan, uint64_t *objs, uint64_t *live);
/* "plain pointers", "hardened: ptr ^ random ^ swab(addr)", ... */
const char *lx_freeptr_mode_name(enum lx_freeptr_mode mode);
/* Calls fn with each live object's address, in walk order, until it returns false. */
void lx_for_each_live_object(const struct lx_scan *scan,
			     bool (*fn)(void *arg, uint64_t addr), void *arg);

#endif
