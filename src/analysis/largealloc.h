/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Large kmalloc allocations: above KMALLOC_MAX_CACHE_SIZE, kmalloc()
 * takes compound pages straight from the page allocator (__GFP_COMP, no
 * slab), so no cache walk sees them.  They are found by a memory map walk
 * (compound head pages that are not slabs) and told apart from other
 * compound pages by table rows, in order: the kernel's page type for them
 * (PGTY_large_kmalloc), else a kmalloc-large entry function in the
 * page_owner allocation stack; a kernel with neither cannot tell them.
 * Each is given its page_owner record and stack (the first frame outside
 * the allocators named as owner), its alloc tag from page_ext, and a
 * preview of its content; groups by owner and site, largest first.
 */
#ifndef LEAKEXT_LARGEALLOC_H
#define LEAKEXT_LARGEALLOC_H

#include "kernel/pageowner.h"
#include "slab/alloctag.h"

#define LX_LARGE_FRAMES 32	/* page_owner keeps 16 (PAGE_OWNER_STACK_DEPTH) */
#define LX_LARGE_PREVIEW 64
/* Bounds against hostile dumps. */
#define LX_MAX_LARGE_ALLOCS (1u << 20)

/* How large kmalloc pages were recognised. */
enum lx_large_basis {
	LX_LARGE_NONE,		/* cannot be told on this kernel */
	LX_LARGE_PAGE_TYPE,	/* PGTY_large_kmalloc */
	LX_LARGE_OWNER_STACK,	/* page_owner's stack has a kmalloc-large entry */
};

struct lx_large_alloc {
	uint64_t addr, pfn;		/* the head page's direct-map address */
	unsigned int order;
	uint64_t bytes;
	bool has_owner;			/* page_owner has a record */
	struct lx_page_owner owner;
	uint64_t frames[LX_LARGE_FRAMES];
	unsigned int nframes;
	unsigned int owner_frame;	/* first frame outside the allocators; nframes: none */
	bool has_site;			/* the page's alloc tag */
	struct lx_alloc_site site;
	uint8_t preview[LX_LARGE_PREVIEW];
	unsigned int npreview;		/* 0: unreadable */
	size_t group;			/* its index in lx_large_result.groups */
};

/* Allocations of one owner (frame symbol) and one alloc tag site. */
struct lx_large_group {
	char owner[LX_FRAME_TEXT_MAX];	/* "" : unknown */
	size_t first;			/* its first allocation, an index */
	size_t unsorted;		/* its index before the groups were sorted */
	uint64_t count, bytes;
};

struct lx_large_result {
	enum lx_large_basis basis;
	bool page_owner;		/* page_owner records were readable */
	bool alloc_tags;
	struct lx_large_alloc *allocs;	/* pfn order */
	size_t count, cap;
	uint64_t bytes;
	struct lx_large_group *groups;	/* bytes descending */
	size_t ngroups;
	uint64_t compound_heads;	/* non-slab compound heads seen */
	uint64_t unreadable_bytes;	/* of the memory map */
};

/*
 * How this kernel tells large kmalloc pages (no walk): what --large and
 * the ranking check first.
 */
enum lx_large_basis lx_large_basis(struct lx_session *s, struct lx_page_ext *E);
/*
 * Walk the memory map for large kmalloc allocations.  LX_EABSENT (with
 * the reason said) when the kernel cannot tell them; LX_ENOMEM, LX_EINTR.
 */
enum lx_status lx_large_find(struct lx_session *s, struct lx_large_result *r);
void lx_large_free(struct lx_session *s, struct lx_large_result *r);
/*
 * Who made the slab an object sits in, by page_owner: the head page's
 * allocation stack, its first frame outside the page, slab and kmalloc
 * allocators.  Evidence about the cache's growth, not about the object.
 */
struct lx_slab_owners {
	bool on;		/* page_owner records and the depot are readable */
	struct lx_page_ext E;
	struct lx_page_owner_layout P;
	struct lx_depot D;
};

void lx_slab_owners_init(struct lx_session *s, struct lx_slab_owners *so);
/* The owner function ("name [module]") of obj's slab; false if unknown. */
bool lx_slab_owner_of(struct lx_session *s, const struct lx_slab_owners *so, uint64_t obj,
		      char *owner, size_t len);
/* Allocation a's frame i as text (lx_frame_text()). */
void lx_large_frame(struct lx_session *s, const struct lx_large_alloc *a, unsigned int i,
		    char *buf, size_t len);

#endif
