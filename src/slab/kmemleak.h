/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmemleak (CONFIG_DEBUG_KMEMLEAK) on a dump: its record of every object it
 * tracks (struct kmemleak_object on object_list: pointer, size, flags,
 * colour counts, allocation stack handle, pid and comm) and its verdict on
 * each at its last scan.
 *
 * Its own bookkeeping is debug metadata: the objects of SLAB_NOLEAKTRACE
 * caches (kmemleak_object, kmemleak_scan_area) and the static early pool
 * mem_pool[] exist only to track other objects, and a record's pointer
 * names every tracked object, so none of them is a root or a holder of an
 * ordinary object.
 */
#ifndef LEAKEXT_KMEMLEAK_H
#define LEAKEXT_KMEMLEAK_H

#include "slab/allocator.h"

/* SLAB_NOLEAKTRACE's bit in kmem_cache.flags, by the kernel's types. */
uint64_t lx_noleaktrace_flag(struct lx_session *s);

/* Static kernel data that is debug metadata (mem_pool[]), by symbol. */
extern const char *const lx_debug_metadata_symbols[];

/* Records read at most, whatever the kmemleak_object cache says. */
#define LX_KML_MAX_RECORDS (1u << 22)
/* Records beyond the kmemleak_object cache's live ones: mem_pool[]'s. */
#define LX_KML_POOL_SLACK (1u << 20)

/* kmemleak's verdict on one object at its last scan. */
enum lx_kml_verdict {
	LX_KML_REPORTED,	/* OBJECT_REPORTED: reported as unreferenced */
	LX_KML_WHITE,		/* unreferenced at the last scan, not reported */
	LX_KML_YOUNG,		/* white, younger than jiffies_min_age then */
	LX_KML_NEW,		/* allocated after the last scan began */
	LX_KML_REFERENCED,	/* count >= min_count: referenced (or changed) */
	LX_KML_GREY,		/* min_count 0: scanned, never reported */
	LX_KML_BLACK,		/* min_count -1: ignored */
	LX_KML_UNTRACKED,	/* no record */
	LX_KML_VERDICTS
};

extern const char *const lx_kml_verdict_names[LX_KML_VERDICTS];

/* One struct kmemleak_object, as read. */
struct lx_kml_record {
	uint64_t pointer, size, jiffies;
	uint32_t flags, trace;		/* trace: stack depot handle */
	int32_t min_count, count, pid;
	char comm[17];			/* raw dump bytes: escape to print */
};

struct lx_kmemleak {
	bool present;		/* struct kmemleak_object and object_list */
	long size_of, flags, list, pointer, size, min_count, count, trace,
	     jiffies, pid, comm;
	struct lx_kml_record *recs;	/* slab objects' records, by pointer */
	size_t n, cap;
	uint64_t walked;	/* records on the list */
	uint64_t skipped;	/* of walked: physical or per-cpu, or freed */
	uint64_t limit;		/* records the walk would read at most */
	bool cut;		/* the list looped, broke or was too long */
	bool last_scan_known;
	uint64_t last_scan, min_age;	/* jiffies_last_scan, jiffies_min_age */
	uint64_t now;			/* the dump's jiffies */
	unsigned int word;		/* jiffies wrap at the kernel's word */
};

/*
 * Read every record of kmemleak's object_list, bounded by the live objects
 * of its object_cache plus mem_pool[]'s and by a check that each record's
 * prev names the one before (no list loops unseen).  LX_OK without
 * kmemleak too (K->present false); a cut list keeps what was read and
 * sets K->cut.  Free with lx_kmemleak_free().
 */
enum lx_status lx_kmemleak_read(struct lx_session *s, struct lx_kmemleak *K);
void lx_kmemleak_free(struct lx_session *s, struct lx_kmemleak *K);
/* The record of the object starting at obj, NULL if none. */
const struct lx_kml_record *lx_kmemleak_find(const struct lx_kmemleak *K, uint64_t obj);
/* kmemleak's verdict on a record (NULL: untracked) at its last scan. */
enum lx_kml_verdict lx_kmemleak_verdict(const struct lx_kmemleak *K,
					const struct lx_kml_record *rec);

#endif
