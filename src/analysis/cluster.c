// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Content clustering: normalised skeletons and a prefix tree.
 *
 * Each object becomes a stream of tokens.  Text becomes its characters
 * with every run of decimal digits folded into one NUM token and every run
 * of blanks into one SPACE token (seq_file pads numbers to a column), so
 * two /proc/schedstat or /proc/meminfo dumps taken at different times give
 * the same stream.
 * Binary words (the kernel's, 4 or 8 bytes at word-aligned offsets)
 * become classes: number (zero or small, and a run of them is
 * one token), "pointer of kind K" (heap pointers lose their value), the
 * exact value of a kernel text/data pointer (which function or ops table
 * matters), or "other".  Strings inside binary count only when
 * NUL-terminated.  A buffer that starts with text ends with that text:
 * what follows is stale.
 *
 * Only hashes of the stream's prefixes are kept: at 8, 16, 32 ... 4096
 * tokens (LX_CLUSTER_LEVELS hashes per object, not a copy of the object).
 * Objects sharing a prefix hash form a node of a prefix tree.  An object
 * walks down the tree while the child it goes to is a real group: at
 * least 2 members and at least 1/32 of its parent.  Where its path
 * shatters into tiny children the rest of the content is noise (stale
 * bytes behind the used part, random payload) and the object stops; its
 * cluster is the node where it stopped.  Objects that leave a node
 * together on a big branch never mix with the ones left behind.
 *
 * A cluster's content signature names its kind of content across dumps:
 * the same stream hashed again with each exact pointer named by its
 * symbol (the caller's namer) instead of its KASLR-shifted value, cut at
 * LX_SIGNATURE_LEVEL's 64 tokens, or at the cluster's own level when its
 * members share fewer.  The level a big cluster stops at depends on how
 * many objects the cache had; the first 64 tokens of one kind of content
 * do not.  Heap pointers, numbers and counts already leave no trace.
 *
 * Why this and not MinHash/SimHash with LSH: hashing the normalised
 * stream is one pass over bytes the walk has just read (no k-shingles, no
 * permutations), grouping is a few hash-table passes over 80 bytes per
 * object, and the answer is exact and deterministic, with no near-miss
 * probabilities or per-cache thresholds.  Measured on the S4 sample's ELF
 * dump (202 020 live 4 KiB objects, LEAKEXT_TIMING=1, 2026-12-03): walk
 * 0.46-0.49 s, hashing 0.31 s of it (the tokenizer's hash chain, one
 * multiply per token), grouping 0.012 s; its 200 000 leaks form one
 * cluster.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/cluster.h"

enum {
	TOK_NUM = 0x100,	/* a run of decimal digits */
	TOK_SPACE,		/* a run of blanks */
	TOK_END_NUL,		/* text ended with NUL */
	TOK_END_OTHER,		/* text ended with a binary byte or the object */
	TOK_OTHER,
	TOK_PTR = 0x200,	/* + kind */
};

#define TOK_EXACT 0x80000000u	/* | 31 bits of the value */

#define MIN_TEXT_RUN 4		/* printable bytes that start text */
#define SMALL_LIMIT 0x10000

struct signature {
	uint64_t hash;
	uint32_t ntokens;
	unsigned int level;
	uint64_t *prefix;
	/* NULL: an exact pointer's token is its value; else its name's */
	lx_exact_namer namer;
	void *namer_arg;
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dULL;
	x ^= x >> 33;
	return x;
}

static bool signature_full(const struct signature *sig)
{
	return sig->level >= LX_CLUSTER_LEVELS;
}

/* The stream's hash after one more token. */
static inline uint64_t hash_token(uint64_t hash, uint32_t token)
{
	hash = (hash ^ (token + 1)) * 0x9e3779b97f4a7c15ULL;
	return hash ^ hash >> 29;
}

static void emit(struct signature *sig, uint32_t token)
{
	sig->hash = hash_token(sig->hash, token);
	if (++sig->ntokens == (8u << sig->level))
		sig->prefix[sig->level++] = sig->hash;
}

/* Deeper levels than the stream reaches all hold the end-marked hash. */
static void finish_signature(struct signature *sig)
{
	uint64_t end = mix64(sig->hash ^ ((uint64_t)sig->ntokens << 40) ^ 0xe0d);

	while (sig->level < LX_CLUSTER_LEVELS)
		sig->prefix[sig->level++] = end;
}

static bool text_starts_at(const uint8_t *obj, size_t pos, size_t len)
{
	size_t i;

	if (pos + MIN_TEXT_RUN > len)
		return false;
	for (i = 0; i < MIN_TEXT_RUN; i++)
		if (!lx_is_text_char(obj[pos + i]))
			return false;
	return true;
}

/*
 * The text tokenizer reads 8 bytes at a time as one little-endian word:
 * each mask below has bit 8k + 7 set where byte k is of its class.  The
 * class tests are exact per byte (no borrow crosses a byte), after the
 * "determine if a word has a byte between m and n" and "has a zero byte"
 * tricks of Sean Anderson's Bit Twiddling Hacks.
 */
#define BYTES(b) (0x0101010101010101ULL * (uint8_t)(b))
#define HIGH_BITS BYTES(0x80)
#define LOW_7 BYTES(0x7f)

/* Bytes below 0x80 strictly between lo and hi (lo < hi <= 0x80). */
static uint64_t bytes_between(uint64_t w, uint8_t lo, uint8_t hi)
{
	uint64_t low = w & LOW_7;

	return ((BYTES(127 + hi) - low) & ~w & (low + BYTES(127 - lo))) & HIGH_BITS;
}

/* Bytes equal to c. */
static uint64_t bytes_equal(uint64_t w, uint8_t c)
{
	uint64_t y = w ^ BYTES(c);

	return ~(((y & LOW_7) + LOW_7) | y | LOW_7);
}

/* lx_is_text_char(), decimal digits and blanks (' ', '\t'), per byte of w. */
struct text_classes {
	uint64_t text, digit, blank;
};

static void classify(uint64_t w, struct text_classes *tc)
{
	tc->blank = bytes_equal(w, ' ') | bytes_equal(w, '\t');
	tc->digit = bytes_between(w, '0' - 1, '9' + 1);
	tc->text = bytes_between(w, 0x1f, 0x7f) | tc->blank | bytes_equal(w, '\n') |
		   bytes_equal(w, '\r');
}

/* The 8 bytes at obj[pos], zeros past len (a zero is no text). */
static uint64_t load_word(const uint8_t *obj, size_t pos, size_t len)
{
	uint64_t w = 0;

	if (len - pos >= 8)
		memcpy(&w, obj + pos, 8);
	else
		memcpy(&w, obj + pos, len - pos);
	return le64toh(w);
}

/*
 * w with each digit byte 0x80 and each blank byte 0x81 (no text byte is
 * 0x80 or more): every byte then names its token, text_token() says which.
 */
static uint64_t token_bytes(uint64_t w, const struct text_classes *tc)
{
	uint64_t marked = tc->digit | tc->blank;

	return (w & ~((marked >> 7) * 0xff)) | marked | tc->blank >> 7;
}

/* The token of the byte at bit (8k + 7) of token_bytes(): a character, NUM or SPACE. */
static inline uint32_t text_token(uint64_t tw, unsigned int bit)
{
	uint32_t b = (uint8_t)(tw >> (bit - 7));

	return b + (b >> 7) * (TOK_NUM - 0x80);
}

/*
 * Emits the tokens that start in the 8 bytes of w at starts (each a
 * character, a run of digits or a run of blanks), as emit() would one by
 * one, with the stream's state in registers; false once the signature is
 * full.
 */
static bool emit_starts(struct signature *sig, uint64_t w, uint64_t starts,
			const struct text_classes *tc)
{
	uint64_t hash = sig->hash, tw = token_bytes(w, tc);
	uint32_t ntokens = sig->ntokens, next_level = 8u << sig->level;
	bool more = true;

	for (; starts && more; starts &= starts - 1) {
		hash = hash_token(hash, text_token(tw, __builtin_ctzll(starts)));
		if (++ntokens == next_level) {
			sig->prefix[sig->level++] = hash;
			next_level <<= 1;
			more = !signature_full(sig);
		}
	}
	sig->hash = hash;
	sig->ntokens = ntokens;
	return more;
}

/*
 * Emits the text run at pos: each character, with a run of digits one NUM
 * and a run of blanks one SPACE (column padding grows and shrinks with the
 * numbers), until the signature is full; then how the run ended.  Returns
 * the offset of its first non-text byte.
 */
static size_t emit_text(struct signature *sig, const uint8_t *obj, size_t pos,
			size_t len)
{
	uint64_t prev_digit = 0, prev_blank = 0, not_text, in_run, starts, w;
	bool emitting = !signature_full(sig);
	struct text_classes tc;

	for (; pos < len; pos += 8) {
		w = load_word(obj, pos, len);
		classify(w, &tc);
		/* the text up to the first byte that is not */
		not_text = ~tc.text & HIGH_BITS;
		in_run = not_text ? ((not_text & -not_text) - 1) & HIGH_BITS : HIGH_BITS;
		starts = tc.text & in_run &
			 ~(tc.digit & (tc.digit << 8 | prev_digit)) &
			 ~(tc.blank & (tc.blank << 8 | prev_blank));
		if (emitting)
			emitting = emit_starts(sig, w, starts, &tc);
		if (not_text) {
			pos += __builtin_ctzll(not_text) / 8;
			break;
		}
		prev_digit = tc.digit >> 56;
		prev_blank = tc.blank >> 56;
	}
	pos = pos < len ? pos : len;
	emit(sig, pos < len && obj[pos] == 0 ? TOK_END_NUL : TOK_END_OTHER);
	return pos;
}

const struct lx_ptr_range *lx_ptr_range_of(const struct lx_ptr_range *ranges,
					   size_t nranges, uint64_t value)
{
	size_t i;

	for (i = 0; i < nranges; i++)
		if (value >= ranges[i].lo && value < ranges[i].hi)
			return &ranges[i];
	return NULL;
}

/*
 * A number near 0 or a small negative one (-1, an errno), negative in
 * the word's own width: word_max is the word's all-ones value.
 */
static bool small_number(uint64_t value, uint64_t word_max)
{
	return value < SMALL_LIMIT || ((0 - value) & word_max) < SMALL_LIMIT;
}

/* An exact pointer: its value within one dump, its name across dumps. */
static uint32_t exact_token(const struct signature *sig, uint64_t value)
{
	uint32_t id = sig->namer ? sig->namer(sig->namer_arg, value) :
				   (uint32_t)(mix64(value) >> 33);

	return TOK_EXACT | (id & ~TOK_EXACT);
}

static uint32_t word_token(const struct lx_clusterer *cl, const struct signature *sig,
			   uint64_t value)
{
	const struct lx_ptr_range *r;

	if (!value)
		return TOK_NUM;
	r = lx_ptr_range_of(cl->ranges, cl->nranges, value);
	if (r)
		return r->exact ? exact_token(sig, value) : (uint32_t)TOK_PTR + r->kind;
	if (small_number(value, cl->word_max))
		return TOK_NUM;
	return TOK_OTHER;
}

/* The next word boundary at or after pos (word_size: a power of two). */
static size_t align_word(size_t pos, unsigned int word_size)
{
	return (pos + word_size - 1) & ~(size_t)(word_size - 1);
}

/* Text ends at its first non-text byte; a NUL terminator goes with it. */
static size_t after_text(const uint8_t *obj, size_t end, size_t len,
			 unsigned int word_size)
{
	return align_word(end < len && obj[end] == 0 ? end + 1 : end, word_size);
}

static void build_signature(const struct lx_clusterer *cl, struct signature *sig,
			    const uint8_t *obj, size_t len)
{
	unsigned int word = cl->word_size;
	uint32_t token, last = 0;
	size_t pos = 0, end;

	while (pos + word <= len && !signature_full(sig)) {
		uint64_t value = lx_word_value(obj + pos, word);

		/* Pointers first: their low bytes can look like text. */
		if (value && !lx_ptr_range_of(cl->ranges, cl->nranges, value) &&
		    text_starts_at(obj, pos, len)) {
			/* A buffer that starts with text: the rest is stale. */
			if (pos == 0 && lx_text_run(obj, 0, len < LX_MIN_TEXT_BUFFER ? len :
					LX_MIN_TEXT_BUFFER) == LX_MIN_TEXT_BUFFER) {
				emit_text(sig, obj, pos, len);
				return;
			}
			end = lx_text_run(obj, pos, len);
			/*
			 * Inside binary, only NUL-terminated text is a string;
			 * random bytes often start with four printable ones.
			 */
			if (end >= len || obj[end] == 0) {
				pos = after_text(obj, emit_text(sig, obj, pos, len), len,
						 word);
				last = 0;
				continue;
			}
		}
		token = word_token(cl, sig, value);
		/*
		 * A run of numbers is one token: counters that are 0 in one
		 * object and 5 in another, or padding that grows when a string
		 * before it shrinks, must not split a cluster.
		 */
		if (token != TOK_NUM || last != TOK_NUM)
			emit(sig, token);
		last = token;
		pos += word;
	}
}

void lx_cluster_init(struct lx_clusterer *cl, struct lx_target *t,
		     const struct lx_ptr_range *ranges, size_t nranges)
{
	memset(cl, 0, sizeof(*cl));
	cl->t = t;
	cl->ranges = ranges;
	cl->nranges = nranges;
	cl->word_size = lx_word_size(t);
	cl->word_max = lx_word_max(t);
}

static enum lx_status reserve_objects(struct lx_clusterer *cl)
{
	size_t cap = cl->cap, cap2 = cl->cap;

	if (cl->count < cl->cap)
		return LX_OK;
	if (lx_reserve(cl->t, &cl->addrs, &cap, cl->count + 1, sizeof(*cl->addrs)) ||
	    lx_reserve(cl->t, &cl->prefix, &cap2, cl->count + 1,
		       LX_CLUSTER_LEVELS * sizeof(*cl->prefix)))
		return LX_ENOMEM;
	cl->cap = cap < cap2 ? cap : cap2;
	return LX_OK;
}

void lx_cluster_hash(const struct lx_clusterer *cl, const uint8_t *obj, size_t len,
		     uint64_t *prefix)
{
	struct signature sig = { .hash = 0xcbf29ce484222325ULL, .prefix = prefix };

	build_signature(cl, &sig, obj, len);
	finish_signature(&sig);
}

enum lx_status lx_cluster_add(struct lx_clusterer *cl, uint64_t addr, const uint8_t *obj,
		   size_t len)
{
	if (reserve_objects(cl))
		return LX_ENOMEM;
	lx_cluster_hash(cl, obj, len, &cl->prefix[cl->count * LX_CLUSTER_LEVELS]);
	cl->addrs[cl->count++] = addr;
	return LX_OK;
}

enum lx_status lx_cluster_append(struct lx_clusterer *cl, uint64_t addr,
				 const uint64_t *prefix)
{
	if (reserve_objects(cl))
		return LX_ENOMEM;
	memcpy(&cl->prefix[cl->count * LX_CLUSTER_LEVELS], prefix,
	       LX_CLUSTER_LEVELS * sizeof(*prefix));
	cl->addrs[cl->count++] = addr;
	return LX_OK;
}

/* The stream's prefix hashes, every level filled; exact pointers as sig says. */
static void stream_prefixes(const struct lx_clusterer *cl, const uint8_t *obj, size_t len,
			    lx_exact_namer namer, void *arg,
			    uint64_t prefix[LX_CLUSTER_LEVELS])
{
	struct signature sig = { .hash = 0xcbf29ce484222325ULL, .prefix = prefix,
				 .namer = namer, .namer_arg = arg };

	build_signature(cl, &sig, obj, len);
	finish_signature(&sig);
}

static uint64_t node_key(uint64_t prefix, unsigned int level)
{
	return mix64(prefix + level);
}

bool lx_cluster_signature(const struct lx_clusterer *cl, uint32_t cluster,
			  const uint8_t *obj, size_t len, lx_exact_namer namer,
			  void *arg, uint64_t *signature)
{
	const struct lx_cluster *c = &cl->clusters[cluster];
	unsigned int level = c->level < LX_SIGNATURE_LEVEL ? c->level : LX_SIGNATURE_LEVEL;
	uint64_t prefix[LX_CLUSTER_LEVELS];

	/* Memory that changed since the walk (a live kernel) is another object. */
	stream_prefixes(cl, obj, len, NULL, NULL, prefix);
	if (node_key(prefix[c->level], c->level) != c->key)
		return false;
	stream_prefixes(cl, obj, len, namer, arg, prefix);
	*signature = mix64(prefix[level] ^ 0x5167a7e5ULL);
	return true;
}

/* A counting map from 64-bit keys; value 0 means an empty slot. */
struct count_map {
	uint64_t *keys;
	uint32_t *values;
	size_t mask;
};

static enum lx_status map_init(struct lx_target *t, struct count_map *m, size_t entries)
{
	size_t cap = 16;

	while (cap < entries * 2)
		cap *= 2;
	m->keys = lx_alloc(t, cap * sizeof(*m->keys));
	m->values = lx_alloc(t, cap * sizeof(*m->values));
	m->mask = cap - 1;
	return m->keys && m->values ? 0 : -1;
}

static void map_free(struct lx_target *t, struct count_map *m)
{
	lx_free(t, m->keys);
	lx_free(t, m->values);
	m->keys = NULL;
	m->values = NULL;
}

static uint32_t *map_slot(struct count_map *m, uint64_t key)
{
	size_t i = mix64(key) & m->mask;

	while (m->values[i] && m->keys[i] != key)
		i = (i + 1) & m->mask;
	m->keys[i] = key;
	return &m->values[i];
}

static uint64_t prefix_of(const struct lx_clusterer *cl, size_t obj,
			  unsigned int level)
{
	return cl->prefix[obj * LX_CLUSTER_LEVELS + level];
}

#define STILL_DESCENDING 0xff

/*
 * The distinct streams: objects whose deepest prefixes agree agree at
 * every level (it hashes the whole stream, or its first 8 << 9 tokens), so
 * the tree is built over one object of each stream, weighted by how many
 * share it: the same decisions as object by object, in far fewer hash
 * probes where a leak repeats one content (S4's 202 020 live objects are
 * few streams).
 */
struct streams {
	uint32_t *of;		/* per object: its stream */
	size_t *first;		/* per stream: its first object */
	uint32_t *weight;	/* per stream: its objects */
	size_t count;
};

static void streams_free(struct lx_target *t, struct streams *st)
{
	lx_free(t, st->of);
	lx_free(t, st->first);
	lx_free(t, st->weight);
}

static enum lx_status find_streams(struct lx_clusterer *cl, struct streams *st)
{
	struct count_map index = { 0 };
	size_t i;

	st->of = lx_alloc(cl->t, cl->count * sizeof(*st->of));
	st->first = lx_alloc(cl->t, cl->count * sizeof(*st->first));
	st->weight = lx_alloc(cl->t, cl->count * sizeof(*st->weight));
	if (!st->of || !st->first || !st->weight || map_init(cl->t, &index, cl->count)) {
		map_free(cl->t, &index);
		return LX_ENOMEM;
	}
	for (i = 0; i < cl->count; i++) {
		uint32_t *slot = map_slot(&index, prefix_of(cl, i, LX_CLUSTER_LEVELS - 1));

		if (!*slot) {
			st->first[st->count] = i;
			st->weight[st->count] = 0;
			*slot = ++st->count;
		}
		st->of[i] = *slot - 1;
		st->weight[*slot - 1]++;
	}
	map_free(cl->t, &index);
	return LX_OK;
}

/* The objects still descending counted at their nodes at level and level + 1. */
static enum lx_status count_level(struct lx_clusterer *cl, const struct streams *st,
				  const uint8_t *stop, unsigned int level,
				  struct count_map *here, struct count_map *below)
{
	size_t u;

	if (map_init(cl->t, here, st->count) || map_init(cl->t, below, st->count))
		return LX_ENOMEM;
	for (u = 0; u < st->count; u++) {
		if (stop[u] != STILL_DESCENDING)
			continue;
		*map_slot(here, prefix_of(cl, st->first[u], level)) += st->weight[u];
		*map_slot(below, prefix_of(cl, st->first[u], level + 1)) += st->weight[u];
	}
	return LX_OK;
}

/* Decide at which tree level each stream stops (see the top comment). */
static enum lx_status descend(struct lx_clusterer *cl, const struct streams *st,
			      uint8_t *stop)
{
	struct count_map here = { 0 }, below = { 0 };
	unsigned int level;
	size_t u;
	enum lx_status ret = LX_OK;

	memset(stop, STILL_DESCENDING, st->count);
	for (level = 0; level + 1 < LX_CLUSTER_LEVELS && !ret; level++) {
		ret = count_level(cl, st, stop, level, &here, &below);
		for (u = 0; u < st->count && !ret; u++) {
			uint32_t parent, child;

			if (stop[u] != STILL_DESCENDING)
				continue;
			parent = *map_slot(&here, prefix_of(cl, st->first[u], level));
			child = *map_slot(&below, prefix_of(cl, st->first[u], level + 1));
			if (child < 2 || (uint64_t)child * 32 < parent)
				stop[u] = level;
		}
		map_free(cl->t, &here);
		map_free(cl->t, &below);
		if (!ret && lx_interrupted(cl->t))
			ret = LX_EINTR;
	}
	for (u = 0; u < st->count; u++)
		if (stop[u] == STILL_DESCENDING)
			stop[u] = LX_CLUSTER_LEVELS - 1;
	return ret;
}

static int cluster_cmp(const void *a, const void *b)
{
	const struct lx_cluster *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->samples[0] != y->samples[0])
		return x->samples[0] < y->samples[0] ? -1 : 1;
	return 0;
}

static void add_member(struct lx_cluster *c, uint64_t addr)
{
	if (c->nsamples < LX_CLUSTER_SAMPLES)
		c->samples[c->nsamples++] = addr;
	c->count++;
}

/* One cluster per stopping node; member_of[] gets unranked indexes. */
static enum lx_status gather(struct lx_clusterer *cl, const struct streams *st,
			     const uint8_t *stream_stop)
{
	struct count_map index = { 0 };
	size_t i, cap = 0;
	enum lx_status ret = LX_OK;

	if (map_init(cl->t, &index, cl->count))
		return LX_ENOMEM;
	for (i = 0; i < cl->count; i++) {
		unsigned int stop = stream_stop[st->of[i]];
		uint64_t key = node_key(prefix_of(cl, i, stop), stop);
		uint32_t *slot = map_slot(&index, key);

		if (!*slot) {
			if (lx_reserve(cl->t, &cl->clusters, &cap, cl->nclusters + 1,
				       sizeof(*cl->clusters))) {
				ret = LX_ENOMEM;
				break;
			}
			memset(&cl->clusters[cl->nclusters], 0, sizeof(*cl->clusters));
			cl->clusters[cl->nclusters].key = key;
			cl->clusters[cl->nclusters].level = stop;
			cl->clusters[cl->nclusters].id = cl->nclusters;
			*slot = ++cl->nclusters;
		}
		cl->member_of[i] = *slot - 1;
		add_member(&cl->clusters[*slot - 1], cl->addrs[i]);
	}
	map_free(cl->t, &index);
	return ret;
}

/* Sort clusters by size and renumber members to match. */
static enum lx_status rank(struct lx_clusterer *cl)
{
	uint32_t *new_index;
	size_t i;

	qsort(cl->clusters, cl->nclusters, sizeof(*cl->clusters), cluster_cmp);
	new_index = lx_alloc(cl->t, (cl->nclusters + 1) * sizeof(*new_index));
	if (!new_index)
		return LX_ENOMEM;
	for (i = 0; i < cl->nclusters; i++)
		new_index[cl->clusters[i].id] = i;
	for (i = 0; i < cl->count; i++)
		cl->member_of[i] = new_index[cl->member_of[i]];
	lx_free(cl->t, new_index);
	return LX_OK;
}

enum lx_status lx_cluster_finish(struct lx_clusterer *cl)
{
	struct streams st = { 0 };
	uint8_t *stop = NULL;
	enum lx_status ret = LX_ENOMEM;

	if (!cl->count)
		return LX_OK;
	cl->member_of = lx_alloc(cl->t, cl->count * sizeof(*cl->member_of));
	if (!cl->member_of || find_streams(cl, &st))
		goto out;
	stop = lx_alloc(cl->t, st.count);
	if (!stop)
		goto out;
	ret = descend(cl, &st, stop);
	if (!ret)
		ret = gather(cl, &st, stop);
	if (!ret)
		ret = rank(cl);
out:
	lx_free(cl->t, stop);
	streams_free(cl->t, &st);
	return ret;
}

void lx_cluster_free(struct lx_clusterer *cl)
{
	lx_free(cl->t, cl->addrs);
	lx_free(cl->t, cl->prefix);
	lx_free(cl->t, cl->member_of);
	lx_free(cl->t, cl->clusters);
	cl->addrs = NULL;
	cl->prefix = NULL;
	cl->member_of = NULL;
	cl->clusters = NULL;
	cl->count = cl->cap = cl->nclusters = 0;
}

void lx_cluster_for_each_member(const struct lx_clusterer *cl, uint32_t cluster,
				bool (*fn)(void *arg, uint64_t addr), void *arg)
{
	size_t i;

	for (i = 0; i < cl->count; i++)
		if (cl->member_of[i] == cluster && !fn(arg, cl->addrs[i]))
			return;
}

/*
 * Word classes for the description's byte-class map: a word is text when
 * it holds at least four text bytes and nothing but text and NULs (a
 * 4-byte word: four text bytes).
 */
enum lx_word_class lx_word_class_of(const struct lx_ptr_range *ranges,
				    size_t nranges, const uint8_t *word,
				    unsigned int word_size)
{
	uint64_t value = lx_word_value(word, word_size);
	uint64_t word_max = word_size == 4 ? UINT32_MAX : UINT64_MAX;
	const struct lx_ptr_range *r;
	unsigned int i, text = 0;

	if (!value)
		return LX_WC_ZERO;
	r = lx_ptr_range_of(ranges, nranges, value);
	if (r)
		return r->exact ? LX_WC_SYMBOL : LX_WC_PTR;
	for (i = 0; i < word_size; i++) {
		if (lx_is_text_char(word[i]))
			text++;
		else if (word[i])
			break;
	}
	if (i == word_size && text >= MIN_TEXT_RUN)
		return LX_WC_TEXT;
	if (small_number(value, word_max))
		return LX_WC_SMALL;
	return LX_WC_OTHER;
}
