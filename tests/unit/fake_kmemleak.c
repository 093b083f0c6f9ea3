// SPDX-License-Identifier: GPL-2.0-or-later
/* kmemleak's records on the fake kernel (fake_kmemleak.h). */
#include <string.h>

#include "fake_kmemleak.h"

uint64_t fkl_rec_addr(unsigned int n)
{
	return FKL_RECS + (uint64_t)n * FKL_SIZE;
}

void fkl_setup(struct fake_kernel *fk, uint64_t last_scan, uint64_t min_age,
	       uint64_t now)
{
	fk_profile(fk, "kmemleak");
	fk_add_symbol(fk, "object_list", FKL_HEAD);
	fk_add_symbol(fk, "jiffies_last_scan", FKL_LAST_SCAN);
	fk_add_symbol(fk, "jiffies_min_age", FKL_MIN_AGE);
	fk_add_symbol(fk, "jiffies", FKL_JIFFIES);
	fk_region(fk, FKL_HEAD, 0x1000);
	fk_region(fk, FKL_RECS, FKL_MAX * FKL_SIZE);
	fk_w64(fk, FKL_HEAD, FKL_HEAD);
	fk_w64(fk, FKL_HEAD + 8, FKL_HEAD);
	fk_w64(fk, FKL_LAST_SCAN, last_scan);
	fk_w64(fk, FKL_MIN_AGE, min_age);
	fk_w64(fk, FKL_JIFFIES, now);
}

static void put_record(struct fake_kernel *fk, uint64_t at, const struct fkl_rec *r)
{
	char comm[16] = "";

	fk_w32(fk, at + 4, r->flags);
	fk_w64(fk, at + 88, r->pointer);
	fk_w64(fk, at + 96, r->size);
	fk_w32(fk, at + 112, (uint32_t)r->min_count);
	fk_w32(fk, at + 116, (uint32_t)r->count);
	fk_w32(fk, at + 124, r->trace);
	fk_w64(fk, at + 136, r->jiffies);
	fk_w32(fk, at + 144, (uint32_t)r->pid);
	if (r->comm)
		memcpy(comm, r->comm, strnlen(r->comm, sizeof(comm)));
	fk_write(fk, at + 148, comm, sizeof(comm));
}

void fkl_list(struct fake_kernel *fk, const struct fkl_rec *recs, unsigned int n)
{
	uint64_t prev = FKL_HEAD;
	unsigned int i;

	for (i = 0; i < n && i < FKL_MAX; i++) {
		uint64_t node = fkl_rec_addr(i) + 8;

		put_record(fk, fkl_rec_addr(i), &recs[i]);
		fk_w64(fk, prev, node);		/* prev->next */
		fk_w64(fk, node + 8, prev);	/* node->prev */
		prev = node;
	}
	fk_w64(fk, prev, FKL_HEAD);
	fk_w64(fk, FKL_HEAD + 8, prev);
}
