/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a cluster holds and who probably owns it. */
#ifndef LEAKEXT_DESCRIBE_H
#define LEAKEXT_DESCRIBE_H

#include "analysis/allocsites.h"
#include "kernel/stackdepot.h"
#include "analysis/cluster.h"
#include "analysis/kmemleak_sets.h"
#include "analysis/owner.h"

#define LX_DESC_SAMPLES 32	/* members read to describe a cluster */
#define LX_MEMBERS_SHOWN 4	/* member addresses in a report; -l lists all */
#define LX_DESC_BYTES 4096	/* bytes of each member looked at */
#define LX_DESC_STRINGS 5
#define LX_DESC_POINTERS 8
#define LX_DESC_SITES 3
#define LX_DESC_EVIDENCE 8
#define LX_DESC_HOLDERS 4
#define LX_TEXT_MAX 160

struct lx_place {
	char name[LX_NAME_MAX];
	char module[LX_NAME_MAX];	/* "" for vmlinux */
	uint64_t offset;
	uint64_t addr;
};

struct lx_string_stat {
	char text[LX_TEXT_MAX];	/* first example, sanitized */
	unsigned int members;	/* sampled members that hold it */
};

struct lx_pointer_stat {
	uint32_t offset;	/* byte offset in the object */
	bool symbol;		/* kernel text/data, else a heap object */
	struct lx_place place;	/* symbol; or place.name = target cache */
	unsigned int seen;	/* sampled members pointing there */
	char member[LX_LABEL_MAX];	/* "sk_buff.head" (typed views), else "" */
};

struct lx_site_stat {
	struct lx_place place;
	unsigned int count;
};

/* A place holding members (leakscan -r): see lx_ref_group in refs.h. */
struct lx_holder_stat {
	char label[LX_LABEL_MAX];		/* "leaked [leak_schedstat]", "kmalloc-192 +8" */
	const char *kind;	/* "kernel", "module", ..., "slab" */
	uint64_t held;		/* members it points into */
	uint64_t words;
	uint64_t lost_holders;	/* of words: in objects no root reaches */
};

struct lx_evidence {
	const char *signal;	/* "alloc-track", "symbol", "text", "relation",
				 * "holder", "orphans" */
	char text[2 * LX_TEXT_MAX];
};

enum lx_confidence { LX_CONF_LOW, LX_CONF_MEDIUM, LX_CONF_HIGH };

struct lx_cluster_desc {
	unsigned int rank;		/* 1-based */
	const struct lx_cluster *cluster;
	uint64_t samples[LX_DESC_SAMPLES];
	unsigned int sampled, readable;
	bool is_text;
	size_t text_len;		/* of the first member's text */
	uint8_t head[64];		/* the first member's first bytes */
	size_t head_len;
	struct lx_string_stat strings[LX_DESC_STRINGS];
	unsigned int nstrings;
	char classes[LX_DESC_BYTES / 8 + 1];	/* one char per class_unit bytes */
	unsigned int class_unit;
	struct lx_pointer_stat pointers[LX_DESC_POINTERS];
	unsigned int npointers;
	/* owner tracks */
	bool tracked;
	bool caller_only;	/* the allocation's caller alone (SLAB's debug word) */
	const char *no_tracks;	/* when not tracked: why, and the way to get them */
	char no_tracks_why[128];	/* "alloc tracks (...)", for absent[] */
	unsigned int with_track;
	struct lx_site_stat alloc_sites[LX_DESC_SITES], free_sites[LX_DESC_SITES];
	unsigned int nalloc_sites, nfree_sites;
	int pid, cpu;
	uint64_t age_min, age_max;	/* jiffies since allocation */
	struct lx_place stack[LX_STACK_MAX];
	unsigned int nstack;
	/*
	 * page_owner (page_owner=on): the function under which most sampled
	 * members' slabs were allocated, and how many of the sampled
	 * members whose slab had a record (seen) it covers
	 */
	char slab_owner[LX_FRAME_TEXT_MAX];
	unsigned int slab_owner_hits, slab_owner_seen;
	/* alloc tags of every member (NULL: not read), filled before the guess */
	const struct lx_site_table *tag_sites;
	/* kmemleak's records of every member (NULL: none), before the guess */
	const struct lx_kml_set *kml;
	/* text signature */
	const struct lx_signature *signature;
	unsigned int signature_hits;
	/* holders (leakscan -r), filled before the guess */
	bool holders_known;
	uint64_t members_live;		/* members the reachability pass saw */
	uint64_t referenced;		/* members something points into */
	uint64_t unreferenced;		/* members no root reaches */
	struct lx_holder_stat holders[LX_DESC_HOLDERS];
	unsigned int nholders;
	char holder_note[160];		/* sk_buffs holding it: device, protocol */
	char frame[256];		/* the first member's network frame, or "" */
	/* the guess */
	char owner[2 * LX_TEXT_MAX];
	enum lx_confidence confidence;
	struct lx_evidence evidence[LX_DESC_EVIDENCE];
	unsigned int nevidence;
	const char *absent[5];
	unsigned int nabsent;
};

struct lx_reach;

/* What the clustering walk already learned, so the pass need not again. */
struct lx_walk_notes {
	const struct lx_scan *scan;	/* the clustered cache's walk, or NULL */
	const uint8_t *misses;		/* bit per clusterer object: no word of
					 * it in [lo, hi); NULL if not noted */
	uint64_t lo, hi;
};

/*
 * leakscan -r: one reachability pass whose targets are the members of
 * clusters [first, first + n), filling their holders and unreferenced
 * counts.  On LX_OK *r holds the pass (for its limits); lx_reach_free() it.
 */
enum lx_status lx_describe_holders(struct lx_session *s, const struct lx_clusterer *cl,
				   struct lx_cluster_desc *d, unsigned int first,
				   unsigned int n, const struct lx_walk_notes *notes,
				   struct lx_reach *r);

/* Pointer ranges of the dump's kernel, from its arch row, for the clusterer. */
size_t lx_kernel_ranges(struct lx_session *s, struct lx_ptr_range *ranges,
			size_t max);
/* Set up d[0..n) for the n largest clusters and pick their samples. */
void lx_describe_prepare(const struct lx_clusterer *cl, struct lx_cluster_desc *d,
			 unsigned int n);
/* Buffers the descriptions of one report of cache c share; NULL: no memory. */
struct lx_describe_work;
struct lx_describe_work *lx_describe_begin(struct lx_session *s, const struct lx_cache *c);
void lx_describe_end(struct lx_session *s, struct lx_describe_work *w);
/* Read d's samples and fill in everything else.  LX_EINTR if interrupted. */
enum lx_status lx_describe_cluster(struct lx_session *s, struct lx_describe_work *w,
				   const struct lx_ptr_range *ranges, size_t nranges,
				   struct lx_tracks *tracks, struct lx_cluster_desc *d);
const char *lx_confidence_name(enum lx_confidence c);
void lx_place_format(const struct lx_place *p, char *buf, size_t len);

#endif
