/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A synthetic stack depot on the fake kernel: FD_NPOOLS pools of four
 * pages in the direct map, the pool array and count symbols, and records
 * written in 6.12's layout (the fake's "depot" profile) or 6.1's
 * ("depot-6.1").  Shared by the unit tests and fuzz_pageowner.
 */
#ifndef FAKE_DEPOT_H
#define FAKE_DEPOT_H

#include "fake_target.h"

#define FD_POOLS 0xffffffff82200000ULL	/* stack_pools[] / stack_slabs[] */
#define FD_COUNT 0xffffffff82200800ULL	/* pools_num / depot_index */
#define FD_NPOOLS 2
#define FD_POOL_PFN 100			/* pool n at pfn 100 + 4 n */
#define FD_POOL_SIZE (4 * FK_PAGE_SIZE)
#define FD_FUNC 0xffffffff81200000ULL	/* frame symbols fd_func<n> at + n * 0x100 */

uint64_t fd_pool(unsigned int n);
/*
 * The depot of profile "depot" (6.12) or "depot-6.1" on fk, which must
 * have that profile; with bits, member_bits knows handle_parts' fields.
 */
void fd_setup(struct fake_kernel *fk, bool v6_1, bool bits);
/* Frame symbols fd_func0..2 at FD_FUNC + n * 0x100 (three symbols). */
void fd_symbols(struct fake_kernel *fk);
/*
 * A record of n frames in pool at offset (16-byte units), its size field
 * size (n unless a test lies); returns its handle.
 */
uint32_t fd_record(struct fake_kernel *fk, bool v6_1, unsigned int pool,
		   unsigned int offset, const uint64_t *frames, uint32_t n, uint32_t size);

#endif
