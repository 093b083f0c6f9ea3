// SPDX-License-Identifier: GPL-2.0-or-later
/* A synthetic stack depot (fake_depot.h). */
#include "fake_depot.h"

static const struct fk_bits bits_6_12[] = {
	{ "handle_parts", "pool_index_plus_1", 0, 17 },
	{ "handle_parts", "offset", 17, 10 },
	{ "handle_parts", "extra", 27, 5 },
};

static const struct fk_bits bits_6_1[] = {
	{ "handle_parts", "slabindex", 0, 16 },
	{ "handle_parts", "offset", 16, 10 },
	{ "handle_parts", "valid", 26, 1 },
	{ "handle_parts", "extra", 27, 5 },
};

uint64_t fd_pool(unsigned int n)
{
	return FK_PAGE_OFFSET + (FD_POOL_PFN + 4ULL * n) * FK_PAGE_SIZE;
}

void fd_setup(struct fake_kernel *fk, bool v6_1, bool bits)
{
	unsigned int i;

	fk_add_symbol(fk, v6_1 ? "stack_slabs" : "stack_pools", FD_POOLS);
	fk_add_symbol(fk, v6_1 ? "depot_index" : "pools_num", FD_COUNT);
	fk_region(fk, FD_POOLS, 0x1000);
	for (i = 0; i < FD_NPOOLS; i++) {
		fk_region(fk, fd_pool(i), FD_POOL_SIZE);
		fk_w64(fk, FD_POOLS + 8 * i, fd_pool(i));
	}
	/* depot_index is the current pool's index, pools_num the count */
	fk_w32(fk, FD_COUNT, v6_1 ? FD_NPOOLS - 1 : FD_NPOOLS);
	if (bits) {
		fk->bits = v6_1 ? bits_6_1 : bits_6_12;
		fk->nbits = v6_1 ? 4 : 3;
	}
}

void fd_symbols(struct fake_kernel *fk)
{
	fk_add_symbol(fk, "fd_func0", FD_FUNC);
	fk_add_symbol(fk, "fd_func1", FD_FUNC + 0x100);
	fk_add_symbol(fk, "fd_func2", FD_FUNC + 0x200);
}

uint32_t fd_record(struct fake_kernel *fk, bool v6_1, unsigned int pool,
		   unsigned int offset, const uint64_t *frames, uint32_t n, uint32_t size)
{
	uint64_t rec = fd_pool(pool) + 16ULL * offset;
	uint32_t handle = v6_1 ? (pool | offset << 16 | 1u << 26) :
				 ((pool + 1) | offset << 17);
	uint32_t i;

	fk_w32(fk, rec + (v6_1 ? 12 : 20), size);
	fk_w32(fk, rec + (v6_1 ? 16 : 24), handle);
	for (i = 0; i < n; i++)
		fk_w64(fk, rec + (v6_1 ? 24 : 32) + 8 * i, frames[i]);
	return handle;
}
