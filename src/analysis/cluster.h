/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Content clustering of objects.  Knows nothing about kernels: the caller
 * says which address ranges hold pointers and of what kind.
 */
#ifndef LEAKEXT_CLUSTER_H
#define LEAKEXT_CLUSTER_H

#include "leakext/core.h"

/* Prefix levels: token counts 8, 16, 32, ... 4096. */
#define LX_CLUSTER_LEVELS 10
#define LX_CLUSTER_SAMPLES 8
/* Leading text this long makes an object a text buffer. */
#define LX_MIN_TEXT_BUFFER 16

/*
 * A range of addresses whose values are pointers of one kind.  "exact"
 * pointers (kernel text and data) keep their value in the signature, since
 * the function or table they name is part of what the object is; other
 * pointers (heap, vmalloc) only count as "a pointer of this kind".
 */
struct lx_ptr_range {
	uint64_t lo, hi;	/* [lo, hi) */
	uint8_t kind;		/* small number chosen by the caller */
	bool exact;
};

struct lx_cluster {
	uint64_t count;
	uint64_t signature;	/* content signature, if signed */
	bool has_signature;
	uint8_t head[32];	/* the signing member's first bytes */
	uint8_t head_len;
	uint64_t key;		/* level and prefix hash of the node */
	unsigned int level;
	uint32_t id;		/* order of discovery, before ranking */
	uint64_t samples[LX_CLUSTER_SAMPLES];	/* first members, in add order */
	unsigned int nsamples;
};

struct lx_clusterer {
	struct lx_target *t;
	const struct lx_ptr_range *ranges;
	size_t nranges;
	unsigned int word_size;	/* the dumped kernel's (lx_word_size()) */
	uint64_t word_max;
	/* per object, in add order */
	uint64_t *addrs;
	uint64_t *prefix;	/* LX_CLUSTER_LEVELS hashes per object */
	uint32_t *member_of;	/* cluster index after lx_cluster_finish() */
	size_t count, cap;
	/* result, largest first */
	struct lx_cluster *clusters;
	size_t nclusters;
};

void lx_cluster_init(struct lx_clusterer *cl, struct lx_target *t,
		     const struct lx_ptr_range *ranges, size_t nranges);
/* Adds one object's content.  LX_ENOMEM on allocation failure. */
enum lx_status lx_cluster_add(struct lx_clusterer *cl, uint64_t addr, const uint8_t *obj,
			      size_t len);
/*
 * lx_cluster_add() in two steps: the content's LX_CLUSTER_LEVELS prefix
 * hashes, from cl's settings alone (any thread may hash while another
 * appends), then the object with them, in add order.
 */
void lx_cluster_hash(const struct lx_clusterer *cl, const uint8_t *obj, size_t len,
		     uint64_t *prefix);
enum lx_status lx_cluster_append(struct lx_clusterer *cl, uint64_t addr,
				 const uint64_t *prefix);
/* Groups the added objects; clusters are ranked by size.  LX_ENOMEM on failure. */
enum lx_status lx_cluster_finish(struct lx_clusterer *cl);
void lx_cluster_free(struct lx_clusterer *cl);

/* Tokens of a content signature: 8 << 3 = 64 (see cluster.c). */
#define LX_SIGNATURE_LEVEL 3
/* A stable 31-bit name of an exact pointer (kernel or module symbol). */
typedef uint32_t (*lx_exact_namer)(void *arg, uint64_t value);
/*
 * The content signature of cluster (0-based rank) from obj, one of its
 * members: false if obj's content no longer falls in that cluster.
 */
bool lx_cluster_signature(const struct lx_clusterer *cl, uint32_t cluster,
			  const uint8_t *obj, size_t len, lx_exact_namer namer,
			  void *arg, uint64_t *signature);
/* Calls fn with each member of cluster (0-based rank) until it returns false. */
void lx_cluster_for_each_member(const struct lx_clusterer *cl, uint32_t cluster,
				bool (*fn)(void *arg, uint64_t addr), void *arg);

/* Word classes, shared with the per-cluster description. */
enum lx_word_class {
	LX_WC_ZERO, LX_WC_TEXT, LX_WC_PTR, LX_WC_SYMBOL, LX_WC_SMALL,
	LX_WC_OTHER, LX_WC_COUNT
};
/* The class of the word of word_size bytes (4 or 8) at word. */
enum lx_word_class lx_word_class_of(const struct lx_ptr_range *ranges,
				    size_t nranges, const uint8_t *word,
				    unsigned int word_size);

/* The class of a 64-bit kernel's word. */
static inline enum lx_word_class lx_word_class(const struct lx_ptr_range *ranges,
					       size_t nranges, const uint8_t *word)
{
	return lx_word_class_of(ranges, nranges, word, 8);
}
const struct lx_ptr_range *lx_ptr_range_of(const struct lx_ptr_range *ranges,
					   size_t nranges, uint64_t value);
#endif
