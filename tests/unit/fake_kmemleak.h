/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kmemleak's records on the fake kernel (profile "kmemleak": 6.12's
 * struct kmemleak_object): object_list and the scan times as symbols,
 * records at FKL_RECS linked in the order given.  Shared by the unit tests
 * and fuzz_kmemleak.
 */
#ifndef FAKE_KMEMLEAK_H
#define FAKE_KMEMLEAK_H

#include "fake_target.h"

#define FKL_HEAD 0xffffffff82300000ULL		/* object_list */
#define FKL_LAST_SCAN (FKL_HEAD + 0x40)		/* jiffies_last_scan */
#define FKL_MIN_AGE (FKL_HEAD + 0x48)		/* jiffies_min_age */
#define FKL_JIFFIES (FKL_HEAD + 0x50)		/* jiffies */
#define FKL_RECS 0xffffffff82400000ULL		/* record n at + n * FKL_SIZE */
#define FKL_SIZE 168
#define FKL_MAX 64

struct fkl_rec {
	uint64_t pointer, size, jiffies;
	uint32_t flags, trace;
	int32_t min_count, count, pid;
	const char *comm;
};

uint64_t fkl_rec_addr(unsigned int n);
/* The profile, the symbols and an empty list; scan times as given. */
void fkl_setup(struct fake_kernel *fk, uint64_t last_scan, uint64_t min_age,
	       uint64_t now);
/* Records 0..n-1 (n <= FKL_MAX) written and linked in that order. */
void fkl_list(struct fake_kernel *fk, const struct fkl_rec *recs, unsigned int n);

#endif
