/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory allocation profiling (CONFIG_MEM_ALLOC_PROFILING, 6.10+): the
 * allocation site the kernel recorded for every slab object, and each
 * site's per-cpu totals (/proc/allocinfo).  A slab's obj_exts points at a
 * vector of struct slabobj_ext, one per object; each holds a reference
 * to the struct alloc_tag of the call site, whose struct codetag names
 * function, file, line and module.  Read by type and member presence.
 */
#ifndef LEAKEXT_ALLOCTAG_H
#define LEAKEXT_ALLOCTAG_H

#include "slab/allocator.h"

#define LX_SITE_FUNC_MAX 96
#define LX_SITE_FILE_MAX 192
#define LX_SITE_MOD_MAX 64
/* Bounds against hostile dumps. */
#define LX_MAX_ALLOC_TAGS (1u << 20)
#define LX_MAX_TAG_MODULES 4096
/* A stride past any slab object: a corrupt struct slab (7.0 in-object vectors use s->size). */
#define LX_MAX_OBJEXT_STRIDE (1U << 22)

/* [start, stop) of struct alloc_tag (kernel's section, or one module's). */
struct lx_tag_range {
	uint64_t start, stop;
};

struct lx_alloctag {
	bool present;		/* the kernel records alloc tags */
	/* struct slab.obj_exts and its flag bits (OBJEXTS_FLAGS_MASK) */
	long slab_obj_exts;
	uint64_t flags_mask;
	/* struct slabobj_ext: its size, and ref.ct inside it */
	long ext_size, ext_ct;
	/* struct slab.stride (7.0; -1 absent): the vector's stride per slab */
	long slab_stride, slab_stride_size;
	/* struct codetag */
	long ct_lineno, ct_modname, ct_function, ct_filename;
	/* struct alloc_tag: stride, its codetag, its per-cpu counters */
	long tag_size, tag_ct, tag_counters;
	long ctr_bytes, ctr_calls;
	/* where tags may lie: ranges[0] the kernel's, then modules' */
	struct lx_tag_range *ranges;
	size_t nranges;
	bool modules_read;	/* the module idr was walked */
};

/* One allocation site: a tag's codetag, read bounded and sanitized. */
struct lx_alloc_site {
	uint64_t tag;		/* struct alloc_tag address */
	uint32_t line;
	char function[LX_SITE_FUNC_MAX];
	char file[LX_SITE_FILE_MAX];
	char module[LX_SITE_MOD_MAX];	/* "" for the kernel's own */
};

/*
 * Resolve the layout and the tag ranges; never fails hard: A->present
 * says whether there is anything to read.  lx_alloctag_fini() after.
 */
enum lx_status lx_alloctag_init(struct lx_session *s, struct lx_alloctag *A);
void lx_alloctag_fini(struct lx_session *s, struct lx_alloctag *A);
/* A slab's slabobj_ext vector: object i's entry at base + i * stride. */
struct lx_objext_vec {
	uint64_t base;		/* 0: none */
	uint32_t stride;
};

/*
 * The slab's vector of slabobj_ext (base 0: none, e.g. a flag bit alone,
 * one outside the direct map, or in a slab neither kmalloc's nor, where
 * the kernel has slab.stride, the slab's own cache's).
 */
struct lx_objext_vec lx_alloctag_vector(struct lx_session *s, const struct lx_alloctag *A,
					uint64_t slab);
/*
 * The struct alloc_tag of object index of a slab whose vector is vec;
 * false if unreadable, none, or not a tag (outside every tag range).
 */
bool lx_alloctag_object(struct lx_session *s, const struct lx_alloctag *A,
			struct lx_objext_vec vec, uint32_t index, uint64_t *tag);
/* Is tag the address of a struct alloc_tag in one of the ranges? */
bool lx_alloctag_valid(const struct lx_alloctag *A, uint64_t tag);
/* Read the site of a valid tag; false if its codetag is unreadable. */
bool lx_alloctag_site(struct lx_session *s, const struct lx_alloctag *A,
		      uint64_t tag, struct lx_alloc_site *site);
/*
 * A tag's counters summed over the possible cpus; false if a cpu's
 * counters are unreadable (the sums so far are kept).
 */
bool lx_alloctag_counters(struct lx_session *s, const struct lx_alloctag *A,
			  uint64_t tag, uint64_t *bytes, uint64_t *calls);

#endif
