// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * page_ext and page_owner (pageowner.h).  mm/page_ext.c stores each
 * section's page_ext pointer biased by the section's first pfn, so the
 * entry of any pfn is page_ext + page_ext_size * pfn; bit 0 of the
 * pointer is PAGE_EXT_INVALID (the section is going away).  FLATMEM's
 * node_page_ext starts at the node's first pfn rounded down to
 * MAX_ORDER_NR_PAGES (alloc_node_page_ext()).
 */
#include <string.h>

#include "kernel/pageowner.h"

#define PAGE_EXT_INVALID 1ULL
#define PAGE_EXT_SIZE_MAX 4096	/* far above any config's sum of clients */
#define PAGE_OWNER_SIZE_MAX 256

/* Is the static key at symbol enabled (static_key.enabled > 0)? */
static bool static_key_on(struct lx_session *s, const char *symbol)
{
	long enabled = lx_member_offset(s->t, "static_key", "enabled");
	uint64_t key = lx_symbol_addr(s->t, symbol);
	uint32_t value;

	return key && enabled >= 0 && lx_read_u32(s->t, key + enabled, &value) &&
	       (int32_t)value > 0;
}

/* A client's offset in the entry (its page_ext_operations.offset); -1 if none. */
static long client_offset(struct lx_session *s, const char *ops, uint64_t entry_size,
			  long client_size)
{
	long member = lx_member_offset(s->t, "page_ext_operations", "offset");
	uint64_t addr = lx_symbol_addr(s->t, ops), offset;

	if (!addr || member < 0 || client_size <= 0 ||
	    !lx_read_word(s->t, addr + member, &offset) ||
	    offset < (uint64_t)lx_word_size(s->t) || offset + client_size > entry_size)
		return -1;
	return (long)offset;
}

/*
 * SPARSEMEM: mem_section is a pointer to the roots (SPARSEMEM_EXTREME) or
 * the array itself.  VMCOREINFO's SYMBOL(mem_section) is the roots'
 * address either way: unequal to the symbol, the kernel is EXTREME.
 * Without VMCOREINFO, EXTREME (what every SPARSEMEM config but
 * SPARSEMEM_STATIC selects) and the pointer the symbol holds.
 */
static bool resolve_sparse(struct lx_session *s, struct lx_page_ext *E, bool say)
{
	uint64_t sym = lx_symbol_addr(s->t, "mem_section"), roots = 0, bits;

	E->ms_size = lx_type_size(s->t, "mem_section");
	E->ms_page_ext = lx_member_offset(s->t, "mem_section", "page_ext");
	if (!sym || E->ms_size <= 0 || E->ms_page_ext < 0 ||
	    !lx_vmcoreinfo_number(s->t, "NUMBER(SECTION_SIZE_BITS)", false, &bits) ||
	    bits <= s->K.page_shift || bits > 48) {
		if (say)
			lx_msg(s->t, LX_MSG_WARN,
			       "page_owner is on, but mem_section, its page_ext or SECTION_SIZE_BITS is missing: no page_ext");
		return false;
	}
	E->section_shift = bits - s->K.page_shift;
	E->extreme = !lx_vmcoreinfo_number(s->t, "SYMBOL(mem_section)", true, &roots) ||
		     roots != sym;
	if (E->extreme && !roots && !lx_read_word(s->t, sym, &roots))
		return false;
	E->sections = E->extreme ? roots : sym;
	E->per_root = E->extreme ? ((uint64_t)1 << s->K.page_shift) / E->ms_size : 1;
	E->nr_sections = (s->K.max_pfn >> E->section_shift) + 1;
	return E->sections && E->per_root;
}

/* FLATMEM (no NUMA): contig_page_data's node_page_ext. */
static bool resolve_flat(struct lx_session *s, struct lx_page_ext *E)
{
	uint64_t node = lx_symbol_addr(s->t, "contig_page_data"), start, spanned;
	long ext = lx_member_offset(s->t, "pglist_data", "node_page_ext");
	long start_off = lx_member_offset(s->t, "pglist_data", "node_start_pfn");
	long spanned_off = lx_member_offset(s->t, "pglist_data", "node_spanned_pages");
	long orders = lx_member_size(s->t, "zone", "free_area");
	long area = lx_type_size(s->t, "free_area");
	uint64_t max_order_pages;

	if (!node || ext < 0 || start_off < 0 || spanned_off < 0 || orders <= 0 ||
	    area <= 0 || orders / area < 1 || orders / area > 20 ||
	    !lx_read_word(s->t, node + ext, &E->flat_base) || !E->flat_base ||
	    !lx_read_word(s->t, node + start_off, &start) ||
	    !lx_read_word(s->t, node + spanned_off, &spanned))
		return false;
	/* MAX_ORDER_NR_PAGES: the largest order free_area[] has */
	max_order_pages = 1ULL << (orders / area - 1);
	E->flat_start = start & ~(max_order_pages - 1);
	E->flat_npfns = start + spanned - E->flat_start;
	return E->flat_npfns && E->flat_npfns <= s->K.max_pfn + max_order_pages;
}

static void resolve_clients(struct lx_session *s, struct lx_page_ext *E)
{
	long flag;

	E->owner_offset = client_offset(s, "page_owner_ops", E->entry_size,
					lx_type_size(s->t, "page_owner"));
	E->tag_offset = client_offset(s, "page_alloc_tagging_ops", E->entry_size,
				      lx_type_size(s->t, "codetag_ref"));
	E->owner_on = E->owner_offset >= 0 && static_key_on(s, "page_owner_inited");
	if (lx_enum_value(s->t, "PAGE_EXT_OWNER", &flag) && flag >= 0 && flag < 64)
		E->owner_flag = 1ULL << flag;
	if (lx_enum_value(s->t, "PAGE_EXT_OWNER_ALLOCATED", &flag) && flag >= 0 && flag < 64)
		E->allocated_flag = 1ULL << flag;
	if (!E->owner_flag || !E->allocated_flag)
		E->owner_on = false;
}

/*
 * Quiet unless page_owner is on: most kernels have page_ext's types
 * (any of its clients selects it) and nothing in it worth a word.
 */
void lx_page_ext_init(struct lx_session *s, struct lx_page_ext *E)
{
	bool say = static_key_on(s, "page_owner_inited");

	memset(E, 0, sizeof(*E));
	E->owner_offset = E->tag_offset = -1;
	if (lx_type_size(s->t, "page_ext") <= 0 || !s->K.max_pfn)
		return;
	E->entry_size = lx_symbol_word_or(s->t, "page_ext_size", 0);
	if (E->entry_size < (uint64_t)lx_word_size(s->t) || E->entry_size > PAGE_EXT_SIZE_MAX) {
		if (say)
			lx_msg(s->t, LX_MSG_WARN,
			       "page_owner is on, but page_ext_size is unreadable or implausible: no page_ext");
		return;
	}
	E->sparse = lx_member_offset(s->t, "mem_section", "page_ext") >= 0;
	if (E->sparse ? !resolve_sparse(s, E, say) : !resolve_flat(s, E))
		return;
	resolve_clients(s, E);
	E->present = true;
}

static uint64_t sparse_base(struct lx_session *s, const struct lx_page_ext *E,
			    uint64_t pfn)
{
	uint64_t nr = pfn >> E->section_shift, root, ms, base;

	if (nr >= E->nr_sections)
		return 0;
	if (E->extreme) {
		if (!lx_read_word(s->t, E->sections + nr / E->per_root * lx_word_size(s->t),
				  &root) || !root)
			return 0;
		ms = root + nr % E->per_root * E->ms_size;
	} else {
		ms = E->sections + nr * E->ms_size;
	}
	if (!lx_read_word(s->t, ms + E->ms_page_ext, &base) || !base ||
	    (base & PAGE_EXT_INVALID))
		return 0;
	return base;
}

uint64_t lx_page_ext_entry(struct lx_session *s, const struct lx_page_ext *E,
			   uint64_t pfn)
{
	uint64_t base;

	if (!E->present || pfn >= s->K.max_pfn)
		return 0;
	if (!E->sparse)
		return pfn >= E->flat_start && pfn - E->flat_start < E->flat_npfns ?
		       E->flat_base + (pfn - E->flat_start) * E->entry_size : 0;
	base = sparse_base(s, E, pfn);
	/* biased by the section's first pfn: the absolute pfn indexes it */
	return base ? base + pfn * E->entry_size : 0;
}

bool lx_page_owner_layout(struct lx_session *s, const struct lx_page_ext *E,
			  struct lx_page_owner_layout *P)
{
	const struct lx_member_req req[] = {
		{ "page_owner", "order", &P->order, true },
		{ "page_owner", "handle", &P->handle, true },
		{ "page_owner", "gfp_mask", &P->gfp, false },
		{ "page_owner", "ts_nsec", &P->ts_nsec, false },
		{ "page_owner", "comm", &P->comm, false },	/* 5.19 */
		{ "page_owner", "pid", &P->pid, false },
		{ "page_owner", "tgid", &P->tgid, false },	/* 6.1 */
	};

	memset(P, -1, sizeof(*P));
	P->size = lx_type_size(s->t, "page_owner");
	return E->owner_on && P->size > 0 && P->size <= PAGE_OWNER_SIZE_MAX &&
	       lx_resolve_members(s->t, LX_MEMBERS(req), NULL) &&
	       lx_member_size(s->t, "page_owner", "order") == 2;
}

static void read_owner_fields(const struct lx_page_owner_layout *P, const uint8_t *buf,
			      struct lx_page_owner *o)
{
	uint32_t v;
	uint16_t order;

	memcpy(&order, buf + P->order, sizeof(order));
	o->order = order;
	lx_field_u32(buf, P->size, P->handle, &o->handle);
	lx_field_u32(buf, P->size, P->gfp, &o->gfp);
	lx_field_u64(buf, P->size, P->ts_nsec, &o->ts_nsec);
	if (lx_field_u32(buf, P->size, P->pid, &v))
		o->pid = (int32_t)v;
	if (lx_field_u32(buf, P->size, P->tgid, &v))
		o->tgid = (int32_t)v;
	if (lx_field_fits(P->size, P->comm, LX_COMM_MAX)) {
		memcpy(o->comm, buf + P->comm, LX_COMM_MAX);
		o->comm[LX_COMM_MAX] = '\0';
		lx_sanitize(o->comm);
	}
}

bool lx_page_owner_read(struct lx_session *s, const struct lx_page_ext *E,
			const struct lx_page_owner_layout *P, uint64_t pfn,
			struct lx_page_owner *o)
{
	uint8_t buf[PAGE_OWNER_SIZE_MAX];
	uint64_t entry = lx_page_ext_entry(s, E, pfn), flags;

	memset(o, 0, sizeof(*o));
	if (!entry || !E->owner_on || !lx_read_word(s->t, entry, &flags) ||
	    !(flags & E->owner_flag) ||
	    !lx_read(s->t, entry + E->owner_offset, buf, P->size))
		return false;
	o->allocated = flags & E->allocated_flag;
	read_owner_fields(P, buf, o);
	return true;
}

uint64_t lx_page_ext_codetag(struct lx_session *s, const struct lx_page_ext *E,
			     uint64_t pfn)
{
	uint64_t entry = lx_page_ext_entry(s, E, pfn), ct;

	if (!entry || E->tag_offset < 0 || !lx_read_word(s->t, entry + E->tag_offset, &ct))
		return 0;
	return ct;
}
