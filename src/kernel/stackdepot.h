/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The stack depot (lib/stackdepot.c): the kernel's store of unique stack
 * traces, behind a 32-bit handle (depot_stack_handle_t) that kmemleak,
 * page_owner, KASAN and SLUB's owner tracks keep.  A handle packs a pool
 * index and the record's offset in that pool (union handle_parts); the
 * record (struct stack_record) holds the frames.  Read by type, member
 * and symbol presence; every handle from the dump is hostile.
 */
#ifndef LEAKEXT_STACKDEPOT_H
#define LEAKEXT_STACKDEPOT_H

#include "kernel/session.h"

/* Frames one record may give, whatever its size field says. */
#define LX_DEPOT_MAX_FRAMES 256
/* A frame as text: "name+0x1f [module]" or the bare address. */
#define LX_FRAME_TEXT_MAX 160

/* A bit field of the handle: value = (handle >> shift) & ((1 << bits) - 1). */
struct lx_bitfield {
	unsigned int shift, bits;
};

struct lx_depot {
	bool present;			/* the kernel has a readable stack depot */
	uint64_t pools;			/* &stack_pools[0] (stack_slabs[0] before 6.3) */
	uint64_t npools;		/* pool indexes below this are in use */
	uint64_t pool_size;		/* bytes in one pool */
	struct lx_bitfield index, offset, extra;
	unsigned int index_bias;	/* 1: the field holds pool index + 1 */
	long rec_size, rec_handle, rec_entries;	/* struct stack_record */
	unsigned int entries_cap;	/* frames entries[] holds, 0: flexible */
};

/*
 * Resolve the depot's layout: the pool array and count (symbols), the
 * handle's fields (union handle_parts' bitfields) and the record layout
 * (struct stack_record).  Never fails: D->present says whether handles
 * can be read; a kernel without a depot leaves it false, quietly.
 */
void lx_depot_init(struct lx_session *s, struct lx_depot *D);

/*
 * The address of handle's struct stack_record, checked: the pool index
 * below npools, the pool pointer non-NULL, the record inside its pool,
 * and the record's own handle equal to handle (less the extra bits).
 * 0 if any check fails or handle is 0.
 */
uint64_t lx_depot_record(struct lx_session *s, const struct lx_depot *D,
			 uint32_t handle);

/*
 * The frames (return addresses) of handle into frames[0..max): at most
 * the record's size, entries[]' capacity, what fits in the pool and max.
 * Returns how many; 0 if the handle does not lead to a valid record.
 */
unsigned int lx_depot_fetch(struct lx_session *s, const struct lx_depot *D,
			    uint32_t handle, uint64_t *frames, unsigned int max);

/*
 * One frame as text into buf (always terminated): "name+0x1f" or "name"
 * and " [module]" for a module's symbol, the address in hex when no
 * symbol covers it; every byte from the dump made terminal-safe.
 * Also, when name is not NULL, the bare symbol name ("" if none).
 */
void lx_frame_text(struct lx_session *s, uint64_t addr, char *buf, size_t len,
		   char *name, size_t namelen);

#endif
