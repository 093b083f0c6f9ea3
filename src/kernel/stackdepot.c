// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The stack depot: handle -> struct stack_record -> frames.
 *
 * A handle is a union handle_parts: a pool index, the record's offset in
 * its pool in DEPOT_STACK_ALIGN (16-byte) units, and bits the depot does
 * not use (a valid bit in older kernels, the users' extra bits).  The
 * field names changed over the years and tell how the index is stored
 * (handle_rows[]); the widths are the bitfields' own, from the types
 * (lx_member_bits()), or where the target knows no bit layout, derived as
 * lib/stackdepot.c derives them from the page size.
 */
#include <string.h>

#include "kernel/stackdepot.h"

/* lib/stackdepot.c: pools are 1 << DEPOT_POOL_ORDER pages (STACK_ALLOC_ORDER). */
#define DEPOT_POOL_ORDER 2
#define DEPOT_STACK_ALIGN 4		/* records are 16-byte aligned */
#define DEPOT_EXTRA_BITS 5		/* STACK_DEPOT_EXTRA_BITS */
#define DEPOT_MAX_POOL_COUNT (1u << 20)

/*
 * union handle_parts, by the name of its pool index field and whether it
 * still has the valid bit; member presence picks the row.
 */
static const struct handle_row {
	const char *index;
	bool valid;		/* the row's kernels have the "valid" bit */
	unsigned int bias;	/* stored index - real index */
} handle_rows[] = {
	/* commit a6c1d9cb9a68 "stackdepot: rename pool_index to pool_index_plus_1" (6.9, 6.8.y) */
	{ "pool_index_plus_1", false, 1 },
	/*
	 * 6.8: "lib/stackdepot: drop valid bit from handles", then "lib/stackdepot:
	 * fix first entry having a 0-handle" stores the index + 1 under the old name
	 */
	{ "pool_index", false, 1 },
	/* "lib/stackdepot: rename slab to pool" (6.3): slabindex became pool_index */
	{ "pool_index", true, 0 },
	/* commit cd11016e5f52 "mm, kasan: stackdepot implementation" (4.6) */
	{ "slabindex", true, 0 },
};

/*
 * How many pools are in use, by symbol presence: pools_num (6.8, with the
 * evictable depot), else the index of the current pool, pool_index (6.3)
 * or depot_index (before), plus one.  The array: stack_pools (6.3) or
 * stack_slabs.
 */
static const struct count_row {
	const char *symbol;
	unsigned int plus;
} count_rows[] = {
	{ "pools_num", 0 },
	{ "pool_index", 1 },
	{ "depot_index", 1 },
};

static const struct handle_row *pick_handle_row(struct lx_session *s)
{
	bool valid = lx_member_offset(s->t, "handle_parts", "valid") >= 0;
	size_t i;

	for (i = 0; i < sizeof(handle_rows) / sizeof(handle_rows[0]); i++)
		if (handle_rows[i].valid == valid &&
		    lx_member_offset(s->t, "handle_parts", handle_rows[i].index) >= 0)
			return &handle_rows[i];
	return NULL;
}

/* A bitfield of the 32-bit handle from the types; false if unknown or bad. */
static bool field_from_type(struct lx_session *s, const char *member,
			    struct lx_bitfield *f)
{
	uint64_t bit;
	unsigned int bits;

	if (!lx_member_bits(s->t, "handle_parts", member, &bit, &bits) ||
	    !bits || bits > 31 || bit + bits > 32)
		return false;
	f->shift = bit;
	f->bits = bits;
	return true;
}

/*
 * The same without bit layout: lib/stackdepot.c's arithmetic, fields
 * from bit 0 in declaration order (index, offset, valid, extra).
 */
static void derive_fields(struct lx_session *s, const struct handle_row *row,
			  struct lx_depot *D)
{
	unsigned int valid = row->valid ? 1 : 0;
	bool extra = lx_member_offset(s->t, "handle_parts", "extra") >= 0;

	D->offset.bits = DEPOT_POOL_ORDER + s->K.page_shift - DEPOT_STACK_ALIGN;
	D->extra.bits = extra ? DEPOT_EXTRA_BITS : 0;
	D->index.shift = 0;
	D->index.bits = 32 - D->offset.bits - valid - D->extra.bits;
	D->offset.shift = D->index.bits;
	D->extra.shift = D->offset.shift + D->offset.bits + valid;
}

static bool resolve_fields(struct lx_session *s, struct lx_depot *D)
{
	const struct handle_row *row = pick_handle_row(s);

	if (!row)
		return false;
	D->index_bias = row->bias;
	memset(&D->extra, 0, sizeof(D->extra));
	if (!field_from_type(s, row->index, &D->index) ||
	    !field_from_type(s, "offset", &D->offset))
		derive_fields(s, row, D);
	else
		field_from_type(s, "extra", &D->extra);
	return D->index.bits && D->index.bits < 32 && D->offset.bits &&
	       D->offset.bits < 32;
}

static bool resolve_pools(struct lx_session *s, struct lx_depot *D)
{
	uint32_t value = 0;
	size_t i;

	D->pools = lx_symbol_addr(s->t, "stack_pools");
	if (!D->pools)
		D->pools = lx_symbol_addr(s->t, "stack_slabs");
	for (i = 0; i < sizeof(count_rows) / sizeof(count_rows[0]); i++) {
		uint64_t addr = lx_symbol_addr(s->t, count_rows[i].symbol);

		if (addr && lx_read_u32(s->t, addr, &value)) {
			D->npools = (uint64_t)value + count_rows[i].plus;
			break;
		}
	}
	if (D->npools > (1ULL << D->index.bits))
		D->npools = 1ULL << D->index.bits;
	if (D->npools > DEPOT_MAX_POOL_COUNT)
		D->npools = DEPOT_MAX_POOL_COUNT;
	D->pool_size = (uint64_t)1 << (DEPOT_POOL_ORDER + s->K.page_shift);
	return D->pools && D->npools && s->K.page_shift;
}

/* struct stack_record: size, handle, entries[] and how many it holds. */
static bool resolve_record(struct lx_session *s, struct lx_depot *D)
{
	long entries_size;
	const struct lx_member_req req[] = {
		{ "stack_record", "size", &D->rec_size, true },
		{ "stack_record", "handle", &D->rec_handle, true },
		{ "stack_record", "entries", &D->rec_entries, true },
	};

	if (!lx_resolve_members(s->t, LX_MEMBERS(req), NULL))
		return false;
	entries_size = lx_member_size(s->t, "stack_record", "entries");
	/* a flexible (or old one-element) array: the record's size says */
	D->entries_cap = entries_size > 0 ? entries_size / lx_word_size(s->t) : 0;
	if (D->entries_cap <= 1)
		D->entries_cap = 0;
	return (uint64_t)D->rec_entries < D->pool_size;
}

void lx_depot_init(struct lx_session *s, struct lx_depot *D)
{
	memset(D, 0, sizeof(*D));
	if (lx_type_size(s->t, "stack_record") <= 0 || !resolve_fields(s, D) ||
	    !resolve_pools(s, D) || !resolve_record(s, D))
		return;
	D->present = true;
}

static uint32_t field_value(const struct lx_bitfield *f, uint32_t handle)
{
	return (handle >> f->shift) & (uint32_t)((1ULL << f->bits) - 1);
}

uint64_t lx_depot_record(struct lx_session *s, const struct lx_depot *D,
			 uint32_t handle)
{
	uint32_t stored_index = field_value(&D->index, handle), stored;
	uint64_t offset = (uint64_t)field_value(&D->offset, handle) << DEPOT_STACK_ALIGN;
	uint32_t extra_mask = D->extra.bits ?
			      (uint32_t)(((1ULL << D->extra.bits) - 1) << D->extra.shift) : 0;
	uint64_t index, pool;

	if (!D->present || !handle || stored_index < D->index_bias)
		return 0;
	index = stored_index - D->index_bias;
	if (index >= D->npools || offset + D->rec_entries > D->pool_size ||
	    !lx_read_word(s->t, D->pools + index * lx_word_size(s->t), &pool) || !pool)
		return 0;
	/* the record carries its own handle, without the user's extra bits */
	if (!lx_read_u32(s->t, pool + offset + D->rec_handle, &stored) ||
	    (stored & ~extra_mask) != (handle & ~extra_mask))
		return 0;
	return pool + offset;
}

unsigned int lx_depot_fetch(struct lx_session *s, const struct lx_depot *D,
			    uint32_t handle, uint64_t *frames, unsigned int max)
{
	uint64_t rec = lx_depot_record(s, D, handle);
	uint64_t in_pool = (uint64_t)field_value(&D->offset, handle) << DEPOT_STACK_ALIGN;
	uint64_t room;
	uint32_t size;

	if (!rec || !lx_read_u32(s->t, rec + D->rec_size, &size))
		return 0;
	/* the pool's bytes after entries[0]: no frame is read past its pool */
	room = (D->pool_size - in_pool - D->rec_entries) / lx_word_size(s->t);
	if (size > LX_DEPOT_MAX_FRAMES || (D->entries_cap && size > D->entries_cap) ||
	    size > room)
		return 0;
	if (size > max)
		size = max;
	if (!size || !lx_read_words(s->t, rec + D->rec_entries, frames, size))
		return 0;
	return size;
}

void lx_frame_text(struct lx_session *s, uint64_t addr, char *buf, size_t len,
		   char *name, size_t namelen)
{
	char sym[LX_NAME_MAX * 2], module[LX_NAME_MAX];
	uint64_t offset = 0;
	int n;

	if (!lx_addr_symbol(s->t, addr, sym, sizeof(sym), &offset, module, sizeof(module))) {
		snprintf(buf, len, "%#llx", (unsigned long long)addr);
		if (name && namelen)
			name[0] = '\0';
		return;
	}
	lx_sanitize(sym);
	lx_sanitize(module);
	if (name && namelen)
		snprintf(name, namelen, "%s", sym);
	n = offset ? snprintf(buf, len, "%s+%#llx", sym, (unsigned long long)offset) :
		     snprintf(buf, len, "%s", sym);
	if (module[0] && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " [%s]", module);
}
