/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * page_ext (CONFIG_PAGE_EXTENSION) and its page_owner client: per page
 * frame, an entry of page_ext_size bytes (struct page_ext's flags, then
 * each client's data at the offset the kernel gave it at boot), found
 * through SPARSEMEM's mem_section[].page_ext or FLATMEM's
 * pglist_data.node_page_ext.  page_owner (CONFIG_PAGE_OWNER, booted with
 * page_owner=on) keeps who allocated each page: order, gfp, pid, comm,
 * time and the stack's depot handle.  Read by type, member and symbol
 * presence (doc/s10-facts.md has 6.12's layouts).
 */
#ifndef LEAKEXT_PAGEOWNER_H
#define LEAKEXT_PAGEOWNER_H

#include "kernel/stackdepot.h"

#define LX_COMM_MAX 16		/* TASK_COMM_LEN */

struct lx_page_ext {
	bool present;		/* entries can be found */
	bool sparse;		/* SPARSEMEM: mem_section[], else FLATMEM */
	/* SPARSEMEM */
	uint64_t sections;	/* EXTREME: the roots' pointer array; else the array */
	bool extreme;
	unsigned int section_shift;	/* SECTION_SIZE_BITS - PAGE_SHIFT */
	uint64_t per_root, nr_sections;
	long ms_size, ms_page_ext;
	/* FLATMEM: one node's array from start_pfn (rounded) for npfns */
	uint64_t flat_base, flat_start, flat_npfns;
	uint64_t entry_size;	/* page_ext_size */
	/* the clients, at their page_ext_operations.offset; -1 absent */
	long owner_offset, tag_offset;
	uint64_t owner_flag, allocated_flag;	/* PAGE_EXT_OWNER(_ALLOCATED) bits */
	bool owner_on;		/* page_owner_inited: page_owner=on at boot */
};

/* struct page_owner's members; -1 absent. */
struct lx_page_owner_layout {
	long size, order, gfp, handle, ts_nsec, comm, pid, tgid;
};

/* One page's page_owner record, read and sanitized. */
struct lx_page_owner {
	bool allocated;		/* PAGE_EXT_OWNER_ALLOCATED: not freed since */
	unsigned int order;
	uint32_t gfp, handle;
	uint64_t ts_nsec;
	int32_t pid, tgid;
	char comm[LX_COMM_MAX + 1];
};

/*
 * Resolve page_ext: the memory model's lookup, page_ext_size, the
 * clients' offsets (page_owner_ops.offset, page_alloc_tagging_ops.offset,
 * never the order of page_ext_ops[]) and the flags.  Never fails: E->present.
 */
void lx_page_ext_init(struct lx_session *s, struct lx_page_ext *E);
/* The address of pfn's page_ext entry; 0 if none (no section, torn down). */
uint64_t lx_page_ext_entry(struct lx_session *s, const struct lx_page_ext *E,
			   uint64_t pfn);
/* The layout of struct page_owner; false if page_owner cannot be read. */
bool lx_page_owner_layout(struct lx_session *s, const struct lx_page_ext *E,
			  struct lx_page_owner_layout *P);
/*
 * pfn's page_owner record; false if it has none (no entry, never owned:
 * PAGE_EXT_OWNER clear) or it is unreadable.
 */
bool lx_page_owner_read(struct lx_session *s, const struct lx_page_ext *E,
			const struct lx_page_owner_layout *P, uint64_t pfn,
			struct lx_page_owner *o);
/* pfn's union codetag_ref (page_alloc_tagging_ops) word; 0 if none. */
uint64_t lx_page_ext_codetag(struct lx_session *s, const struct lx_page_ext *E,
			     uint64_t pfn);

#endif
