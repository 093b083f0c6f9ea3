/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A synthetic kernel with page_ext and page_owner (the fake's "pageowner"
 * profiles, 6.12's types) on top of the alloc tag fixture
 * (fake_alloctag.h) and a stack depot (fake_depot.h): 80-byte page_ext
 * entries, page_owner's at +8, the page's codetag_ref at +72; SPARSEMEM
 * with 128-pfn sections (SECTION_SIZE_BITS 19), each section's pointer
 * biased by its first pfn as mm/page_ext.c stores it, or FLATMEM's
 * node_page_ext.  Shared by the unit tests and fuzz_pageowner.
 */
#ifndef FAKE_PAGEOWNER_H
#define FAKE_PAGEOWNER_H

#include "fake_alloctag.h"
#include "fake_depot.h"

#define FP_ENTRY 80			/* page_ext_size */
#define FP_OWNER 8			/* page_owner_ops.offset */
#define FP_TAG 72			/* page_alloc_tagging_ops.offset */
#define FP_EXT 0xffffffff82300000ULL	/* the entries of pfn 0..FK_MAX_PFN-1 */
#define FP_ROOTS 0xffffffff82310000ULL	/* mem_section's roots (EXTREME) */
#define FP_SECTIONS 0xffffffff82311000ULL	/* root 0's 128 struct mem_section */
#define FP_VARS 0xffffffff82312000ULL	/* mem_section, page_ext_size, the ops, the key */
#define FP_PGDAT 0xffffffff82313000ULL	/* contig_page_data */
#define FP_SECTION_PFNS 128
#define FP_PG_HEAD 6
#define FP_BIG_FUNC 0xffffffff81300000ULL	/* fp_big_alloc, the owner */
#define FP_KMALLOC_LARGE 0xffffffff81300100ULL	/* ___kmalloc_large_node */
#define FP_POST_ALLOC 0xffffffff81300200ULL	/* post_alloc_hook */
#define FP_ALLOCATE_SLAB 0xffffffff81300300ULL	/* allocate_slab */

/* The fixture with page_ext and page_owner: SPARSEMEM, or FLATMEM if flat. */
void fp_setup(struct fixture *f, bool flat);
uint64_t fp_entry(unsigned long pfn);
/* pfn's page_owner record (flags PAGE_EXT_OWNER | _ALLOCATED unless freed). */
void fp_owner(struct fake_kernel *fk, unsigned long pfn, unsigned int order,
	      uint32_t handle, int pid, const char *comm, bool freed);
/* pfn heads a compound page of order (PG_head, folio._flags_1's byte). */
void fp_compound(struct fake_kernel *fk, unsigned long pfn, unsigned int order);
/*
 * A large kmalloc at pfn of order: compound, page_owner with the stack
 * post_alloc_hook, ___kmalloc_large_node, fp_big_alloc, fd_func0 (a
 * depot record in pool 0 at offset), the alloc tag fa_tag(tag), and text
 * in its memory.
 */
void fp_large(struct fake_kernel *fk, unsigned long pfn, unsigned int order,
	      unsigned int offset, unsigned int tag);

#endif
