/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A synthetic kernel with memory allocation profiling (the fake's
 * "alloctag" profiles, 6.12's types): the fixture's slab at pfn 10
 * (objects 1, 3, 5 free) with a slabobj_ext vector, four kernel tags with
 * names and per-cpu counters, and, with fa_modules(), the codetag module
 * idr holding the kernel's range and a module's two tags.  Shared by the
 * unit tests and fuzz_alloctag.
 */
#ifndef FAKE_ALLOCTAG_H
#define FAKE_ALLOCTAG_H

#include "fixture.h"

#define FA_TAGS 0xffffffff82100000ULL	/* __start_alloc_tags: 4 tags */
#define FA_NTAGS 4
#define FA_TAG_SIZE 40
#define FA_STRINGS 0xffffffff82101000ULL
#define FA_COUNTERS 0x800ULL		/* __percpu: tag i's at + i * 16 */
#define FA_VEC_PFN 200			/* a direct-mapped page, no slab */
#define FA_VEC (FK_PAGE_OFFSET + FA_VEC_PFN * FK_PAGE_SIZE)
#define FA_CTTYPE 0xffffffff82102000ULL	/* alloc_tag_cttype's codetag_type */
#define FA_CTTYPE_PTR 0xffffffff82102800ULL	/* the alloc_tag_cttype pointer */
#define FA_XA_NODE 0xffffffff82103000ULL
#define FA_CMODS 0xffffffff82104000ULL	/* codetag_module n at + n * 0x40 */
#define FA_MOD_TAGS 0xffffffffc0200000ULL	/* the module's 2 tags */

uint64_t fa_tag(unsigned int i);
/*
 * The image on a fixture: slab pfn 10 with its vector at FA_VEC of stride
 * bytes (ref.ct at ct_off; flags in obj_exts' low bits): objects 0, 2, 4
 * at tag 0, 6 at tag 1 (a module's name), 7 none; tag 3's function holds
 * an escape sequence.
 */
void fa_setup(struct fixture *f, const char *profile, unsigned int stride,
	      unsigned int ct_off, uint64_t flags);
/* cpu's counters of tag i. */
void fa_counters(struct fake_kernel *fk, unsigned int i, int cpu, uint64_t bytes,
		 uint64_t calls);
/*
 * alloc_tag_cttype -> idr -> one xa_node (shift 0): slot 0 the kernel's
 * own range (again), slot 1 the module's (FA_MOD_TAGS, 2 tags), slot 2 a
 * sibling entry, slot 3 a value entry, slot 4 a range overlapping the
 * kernel's.
 */
void fa_modules(struct fake_kernel *fk);

#endif
