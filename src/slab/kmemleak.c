// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmemleak's records on a dump (kmemleak.h).  Read by type and symbol
 * presence; doc/s10-facts.md has the 6.12 layout.  Every record and every
 * list pointer is hostile: the walk is bounded and checked link by link.
 */
#include <stdlib.h>
#include <string.h>

#include "slab/kmemleak.h"

/*
 * SLAB_NOLEAKTRACE: a bit of enum _slab_flag_bits since kernel commit
 * cc61eb851c9a ("mm, slab: use an enum to define SLAB_ cache creation
 * flags", 6.9), where its value depends on the configuration; before, a
 * #define in include/linux/slab.h.  One row per way the kernel spells it.
 */
static const struct {
	const char *enumerator;	/* the bit number's name, or NULL */
	uint64_t value;		/* the flag itself, when enumerator is NULL */
} noleaktrace_rows[] = {
	{ "_SLAB_NOLEAKTRACE", 0 },
	{ NULL, 0x00800000u },	/* include/linux/slab.h before 6.9 */
};

uint64_t lx_noleaktrace_flag(struct lx_session *s)
{
	size_t i;
	long bit;

	for (i = 0; i < sizeof(noleaktrace_rows) / sizeof(noleaktrace_rows[0]); i++) {
		if (!noleaktrace_rows[i].enumerator)
			return noleaktrace_rows[i].value;
		if (lx_enum_value(s->t, noleaktrace_rows[i].enumerator, &bit) &&
		    bit >= 0 && bit < 64)
			return 1ULL << bit;
	}
	return 0;
}

/*
 * mm/kmemleak.c: static struct kmemleak_object
 * mem_pool[CONFIG_DEBUG_KMEMLEAK_MEM_POOL_SIZE], the records made before
 * the kmemleak_object cache exists.
 */
const char *const lx_debug_metadata_symbols[] = { "mem_pool", NULL };

/*
 * kmemleak_object.flags, #defines in mm/kmemleak.c (not in BTF).  Last
 * changed when OBJECT_PERCPU joined OBJECT_PHYS (Catalin Marinas,
 * "kmemleak: avoid RCU stalls when freeing metadata for per-CPU
 * pointers", 6.8); the values below have held since.  min_count's
 * KMEMLEAK_GREY 0 and KMEMLEAK_BLACK -1 are the same file's.
 */
#define OBJECT_ALLOCATED (1u << 0)
#define OBJECT_REPORTED (1u << 1)
#define OBJECT_PHYS (1u << 4)
#define OBJECT_PERCPU (1u << 5)
#define KMEMLEAK_GREY 0
#define KMEMLEAK_BLACK (-1)

const char *const lx_kml_verdict_names[LX_KML_VERDICTS] = {
	"reported", "white", "young", "new", "referenced", "grey", "black", "untracked",
};

static bool resolve_layout(struct lx_session *s, struct lx_kmemleak *K)
{
	const struct lx_member_req req[] = {
		{ "kmemleak_object", "flags", &K->flags, true },
		{ "kmemleak_object", "object_list", &K->list, true },
		{ "kmemleak_object", "pointer", &K->pointer, true },
		{ "kmemleak_object", "size", &K->size, true },
		{ "kmemleak_object", "min_count", &K->min_count, true },
		{ "kmemleak_object", "count", &K->count, true },
		{ "kmemleak_object", "trace_handle", &K->trace, false },
		{ "kmemleak_object", "jiffies", &K->jiffies, false },
		{ "kmemleak_object", "pid", &K->pid, false },
		{ "kmemleak_object", "comm", &K->comm, false },
	};

	K->size_of = lx_type_size(s->t, "kmemleak_object");
	return K->size_of > 0 && K->size_of <= 4096 &&
	       lx_resolve_members(s->t, LX_MEMBERS(req), NULL);
}

/* Live records in the cache object_cache points to, plus mem_pool[]'s. */
static uint64_t record_limit(struct lx_session *s)
{
	uint64_t cache = lx_symbol_word_or(s->t, "object_cache", 0), live = 0;
	struct lx_scan scan;
	struct lx_cache c;

	if (cache && lx_cache_read(s, cache, &c) == LX_OK &&
	    lx_scan_cache(s, &c, &scan) == LX_OK) {
		live = scan.live;
		lx_scan_free(s, &scan);
	}
	live += LX_KML_POOL_SLACK;
	return live < LX_KML_MAX_RECORDS ? live : LX_KML_MAX_RECORDS;
}

static int32_t field_i32(const uint8_t *buf, size_t len, long off)
{
	uint32_t v;

	return lx_field_u32(buf, len, off, &v) ? (int32_t)v : 0;
}

/* One record's fields out of its bytes. */
static void parse_record(struct lx_session *s, const struct lx_kmemleak *K,
			 const uint8_t *buf, struct lx_kml_record *r)
{
	size_t len = (size_t)K->size_of;
	uint32_t v;

	memset(r, 0, sizeof(*r));
	lx_field_word(s->t, buf, len, K->pointer, &r->pointer);
	lx_field_word(s->t, buf, len, K->size, &r->size);
	lx_field_u32(buf, len, K->flags, &r->flags);
	r->min_count = field_i32(buf, len, K->min_count);
	r->count = field_i32(buf, len, K->count);
	if (K->trace >= 0 && lx_field_u32(buf, len, K->trace, &v))
		r->trace = v;
	if (K->jiffies >= 0)
		lx_field_word(s->t, buf, len, K->jiffies, &r->jiffies);
	if (K->pid >= 0)
		r->pid = field_i32(buf, len, K->pid);
	if (K->comm >= 0 && lx_field_fits(len, K->comm, 16))
		memcpy(r->comm, buf + K->comm, 16);
}

/* Keep a record of a slab object: not physical, not per-cpu, allocated. */
static enum lx_status keep_record(struct lx_session *s, struct lx_kmemleak *K,
				  const struct lx_kml_record *r)
{
	if ((r->flags & (OBJECT_PHYS | OBJECT_PERCPU)) || !(r->flags & OBJECT_ALLOCATED)) {
		K->skipped++;
		return LX_OK;
	}
	if (lx_reserve(s->t, &K->recs, &K->cap, K->n + 1, sizeof(*K->recs)))
		return LX_ENOMEM;
	K->recs[K->n++] = *r;
	return LX_OK;
}

/*
 * Walk object_list.  Each record's prev must name the node before it:
 * the first node met twice is met from a node other than its prev, so a
 * loop anywhere stops the walk there.
 */
static enum lx_status walk_list(struct lx_session *s, struct lx_kmemleak *K,
				uint64_t head, uint8_t *buf)
{
	unsigned int word = lx_word_size(s->t);
	uint64_t prev = head, node, back;
	enum lx_status ret = LX_OK;

	if (!lx_read_word(s->t, head, &node)) {
		K->cut = true;
		return LX_OK;
	}
	while (node != head && !ret) {
		struct lx_kml_record r;

		if (K->walked >= K->limit || node < (uint64_t)K->list ||
		    !lx_read(s->t, node - K->list, buf, K->size_of) ||
		    !lx_field_word(s->t, buf, K->size_of, K->list + word, &back) ||
		    back != prev) {
			K->cut = true;
			break;
		}
		if (!(++K->walked % 65536) && lx_interrupted(s->t))
			return LX_EINTR;
		parse_record(s, K, buf, &r);
		ret = keep_record(s, K, &r);
		prev = node;
		if (!lx_field_word(s->t, buf, K->size_of, K->list, &node)) {
			K->cut = true;
			break;
		}
	}
	return ret;
}

static int by_pointer(const void *a, const void *b)
{
	const struct lx_kml_record *x = a, *y = b;

	return x->pointer < y->pointer ? -1 : x->pointer > y->pointer;
}

static void read_scan_times(struct lx_session *s, struct lx_kmemleak *K)
{
	uint64_t last = lx_symbol_addr(s->t, "jiffies_last_scan");
	uint64_t age = lx_symbol_addr(s->t, "jiffies_min_age");

	K->last_scan_known = last && age && lx_read_word(s->t, last, &K->last_scan) &&
			     lx_read_word(s->t, age, &K->min_age);
	K->now = lx_symbol_word_or(s->t, "jiffies", 0);
	K->word = lx_word_size(s->t);
}

enum lx_status lx_kmemleak_read(struct lx_session *s, struct lx_kmemleak *K)
{
	uint64_t head = lx_symbol_addr(s->t, "object_list");
	enum lx_status ret;
	uint8_t *buf;

	memset(K, 0, sizeof(*K));
	if (!head || !resolve_layout(s, K))
		return LX_OK;
	K->present = true;
	K->limit = record_limit(s);
	buf = lx_alloc(s->t, K->size_of);
	if (!buf)
		return LX_ENOMEM;
	ret = walk_list(s, K, head, buf);
	lx_free(s->t, buf);
	if (ret) {
		lx_kmemleak_free(s, K);
		return ret;
	}
	if (K->n)
		qsort(K->recs, K->n, sizeof(*K->recs), by_pointer);
	read_scan_times(s, K);
	if (K->cut)
		lx_msg(s->t, LX_MSG_WARN,
		       "kmemleak's object list was cut short after %llu records: its verdicts are partial",
		       (unsigned long long)K->walked);
	return LX_OK;
}

void lx_kmemleak_free(struct lx_session *s, struct lx_kmemleak *K)
{
	lx_free(s->t, K->recs);
	memset(K, 0, sizeof(*K));
}

const struct lx_kml_record *lx_kmemleak_find(const struct lx_kmemleak *K, uint64_t obj)
{
	size_t n = lx_count_keys_le(K->recs, K->n, sizeof(*K->recs),
				    offsetof(struct lx_kml_record, pointer), obj);

	return n && K->recs[n - 1].pointer == obj ? &K->recs[n - 1] : NULL;
}

/* a after b in jiffies, which wrap at the kernel's word (time_after()) */
static bool jiffies_after(const struct lx_kmemleak *K, uint64_t a, uint64_t b)
{
	uint64_t mask = K->word == 4 ? 0xffffffffULL : UINT64_MAX;
	uint64_t d = (a - b) & mask;

	return d && d <= mask / 2;
}

enum lx_kml_verdict lx_kmemleak_verdict(const struct lx_kmemleak *K,
					const struct lx_kml_record *rec)
{
	if (!rec)
		return LX_KML_UNTRACKED;
	if (rec->flags & OBJECT_REPORTED)
		return LX_KML_REPORTED;
	if (rec->min_count == KMEMLEAK_BLACK)
		return LX_KML_BLACK;
	if (rec->min_count == KMEMLEAK_GREY)
		return LX_KML_GREY;
	if (rec->count >= rec->min_count)
		return LX_KML_REFERENCED;
	if (!K->last_scan_known)
		return LX_KML_WHITE;
	if (jiffies_after(K, rec->jiffies, K->last_scan))
		return LX_KML_NEW;
	/* unreferenced_object(): old enough once jiffies + min_age <= last scan */
	if (jiffies_after(K, rec->jiffies + K->min_age, K->last_scan))
		return LX_KML_YOUNG;
	return LX_KML_WHITE;
}
