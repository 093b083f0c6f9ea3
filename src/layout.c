// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Resolve the SLUB layout of the dumped kernel by type, member and symbol
 * presence, never by version number.
 */
#include <string.h>

#include "leakext/slub.h"

#define MAX_CPUS 65536
#define MAX_NODES 4096

/* x86_64 4-level defaults when KASLR's variables are absent (mm.rst). */
#define DEFAULT_VMEMMAP_BASE 0xffffea0000000000ULL
#define DEFAULT_PAGE_OFFSET_BASE 0xffff888000000000ULL

struct member_req {
	const char *type, *member;
	long *dest;
	bool required;
};

static bool resolve_members(struct lx_session *s, const struct member_req *req,
			    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		*req[i].dest = lx_member_offset(s->t, req[i].type, req[i].member);
		if (*req[i].dest < 0 && req[i].required) {
			lx_msg(s->t, LX_MSG_ERROR,
			       "the dump's types lack %s.%s; cannot walk SLUB",
			       req[i].type, req[i].member);
			return false;
		}
	}
	return true;
}

/* Refuse allocators and layouts whose free objects we cannot see. */
static bool check_allocator(struct lx_session *s)
{
	if (lx_type_size(s->t, "kmem_cache") <= 0) {
		lx_msg(s->t, LX_MSG_ERROR, "no struct kmem_cache in the dump's types");
		return false;
	}
	if (lx_member_offset(s->t, "kmem_cache", "cpu_sheaves") >= 0) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "this kernel keeps free objects in per-cpu sheaves (kmem_cache.cpu_sheaves, 6.18+), which leakext cannot decode yet; refusing to report counts that would be wrong");
		return false;
	}
	if (lx_member_offset(s->t, "kmem_cache", "cpu_slab") < 0) {
		if (lx_member_offset(s->t, "kmem_cache", "array") >= 0 ||
		    lx_member_offset(s->t, "kmem_cache", "cpu_cache") >= 0)
			lx_msg(s->t, LX_MSG_ERROR,
			       "this kernel uses the SLAB allocator, not SLUB; leakext reads SLUB only");
		else
			lx_msg(s->t, LX_MSG_ERROR,
			       "kmem_cache has no cpu_slab (no kmem_cache_cpu, 7.0+ layout); leakext cannot decode it yet");
		return false;
	}
	return true;
}

static bool resolve_slab_struct(struct lx_session *s, struct lx_layout *L)
{
	/* struct slab split from struct page in 5.17 (mm/slab.h). */
	if (lx_type_size(s->t, "slab") > 0 && lx_member_offset(s->t, "slab", "slab_cache") >= 0)
		L->slab_type = "slab";
	else
		L->slab_type = "page";
	L->slab_size_of = lx_type_size(s->t, L->slab_type);
	L->page_size_of = lx_type_size(s->t, "page");
	if (L->page_size_of <= 0 || L->slab_size_of <= 0 ||
	    L->slab_size_of > L->page_size_of) {
		lx_msg(s->t, LX_MSG_ERROR, "unusable struct page/slab sizes");
		return false;
	}
	{
		const struct member_req req[] = {
			{ L->slab_type, "slab_list", &L->slab_list, false },
			{ L->slab_type, "next", &L->slab_next, false },
			{ L->slab_type, "slab_cache", &L->slab_cache, true },
			{ L->slab_type, "freelist", &L->slab_freelist, true },
			{ L->slab_type, "counters", &L->slab_counters, true },
			{ "page", "flags", &L->slab_flags, true },
			{ "page", "compound_head", &L->slab_compound_head, false },
			{ "page", "page_type", &L->page_type, false },
		};
		if (!resolve_members(s, req, sizeof(req) / sizeof(req[0])))
			return false;
	}
	if (L->slab_list < 0)	/* before 4.17 the member was "lru" */
		L->slab_list = lx_member_offset(s->t, L->slab_type, "lru");
	return true;
}

/*
 * How a page is marked as a slab (include/linux/page-flags.h): the PG_slab
 * flag bit until 6.9; a page type from 6.10, stored inverted in 6.10/6.11
 * (PG_slab = 0x00100000 in enum pagetype) and as the top byte PGTY_slab
 * from 6.12.
 */
static bool resolve_slab_test(struct lx_session *s, struct lx_layout *L)
{
	long v;

	if (s->t->ops->enum_value(s->t->priv, "PGTY_slab", &v)) {
		L->slab_test = LX_SLAB_TYPE_BYTE;
	} else if (s->t->ops->enum_value(s->t->priv, "PG_slab", &v)) {
		L->slab_test = v >= 64 ? LX_SLAB_TYPE_INVERTED : LX_SLAB_PAGE_FLAG;
	} else {
		lx_msg(s->t, LX_MSG_ERROR, "neither PG_slab nor PGTY_slab is known");
		return false;
	}
	if (L->slab_test != LX_SLAB_PAGE_FLAG && L->page_type < 0) {
		lx_msg(s->t, LX_MSG_ERROR, "slab page type without page.page_type");
		return false;
	}
	L->slab_test_value = (uint64_t)v;
	return true;
}

static bool resolve_cpus(struct lx_session *s, struct lx_layout *L)
{
	uint64_t addr;

	L->nr_cpus = lx_symbol_u32_or(s->t, "nr_cpu_ids", 1);
	if (L->nr_cpus == 0 || L->nr_cpus > MAX_CPUS) {
		lx_msg(s->t, LX_MSG_ERROR, "implausible nr_cpu_ids %u", L->nr_cpus);
		return false;
	}
	L->cpu_offsets = lx_alloc(s->t, L->nr_cpus * sizeof(uint64_t));
	if (!L->cpu_offsets)
		return false;
	if (!s->t->ops->symbol(s->t->priv, "__per_cpu_offset", &addr))
		return true;	/* uniprocessor: per-cpu data at offset 0 */
	if (!lx_read(s->t, addr, L->cpu_offsets, L->nr_cpus * sizeof(uint64_t))) {
		lx_msg(s->t, LX_MSG_ERROR, "cannot read __per_cpu_offset");
		return false;
	}
	return true;
}

static bool resolve_globals(struct lx_session *s, struct lx_layout *L)
{
	long node_size;

	if (!s->t->ops->symbol(s->t->priv, "slab_caches", &L->slab_caches)) {
		lx_msg(s->t, LX_MSG_ERROR, "symbol slab_caches not found");
		return false;
	}
	L->page_shift = 12;
	L->vmemmap_base = lx_symbol_u64_or(s->t, "vmemmap_base", DEFAULT_VMEMMAP_BASE);
	L->page_offset_base = lx_symbol_u64_or(s->t, "page_offset_base",
					      DEFAULT_PAGE_OFFSET_BASE);
	L->max_pfn = lx_symbol_u64_or(s->t, "max_pfn", 0);
	L->nr_nodes = lx_symbol_u32_or(s->t, "nr_node_ids", 1);
	node_size = s->t->ops->member_size(s->t->priv, "kmem_cache", "node");
	L->kc_node_slots = node_size > 0 ? node_size / 8 : 1;
	if (L->nr_nodes == 0 || L->nr_nodes > MAX_NODES ||
	    L->nr_nodes > L->kc_node_slots) {
		lx_msg(s->t, LX_MSG_ERROR, "implausible nr_node_ids %u", L->nr_nodes);
		return false;
	}
	return resolve_cpus(s, L);
}

int lx_layout_init(struct lx_session *s)
{
	struct lx_layout *L = &s->L;
	const struct member_req req[] = {
		{ "kmem_cache", "cpu_slab", &L->kc_cpu_slab, true },
		{ "kmem_cache", "flags", &L->kc_flags, true },
		{ "kmem_cache", "size", &L->kc_size, true },
		{ "kmem_cache", "object_size", &L->kc_object_size, true },
		{ "kmem_cache", "offset", &L->kc_offset, true },
		{ "kmem_cache", "oo", &L->kc_oo, true },
		{ "kmem_cache", "min", &L->kc_min, false },
		{ "kmem_cache", "red_left_pad", &L->kc_red_left_pad, false },
		{ "kmem_cache", "inuse", &L->kc_inuse, false },
		{ "kmem_cache", "name", &L->kc_name, true },
		{ "kmem_cache", "list", &L->kc_list, true },
		{ "kmem_cache", "random", &L->kc_random, false },
		{ "kmem_cache", "node", &L->kc_node, true },
		{ "kmem_cache_cpu", "freelist", &L->kcc_freelist, true },
		{ "kmem_cache_cpu", "slab", &L->kcc_slab, false },
		{ "kmem_cache_cpu", "partial", &L->kcc_partial, false },
		{ "kmem_cache_node", "nr_partial", &L->kcn_nr_partial, true },
		{ "kmem_cache_node", "partial", &L->kcn_partial, true },
		{ "kmem_cache_node", "nr_slabs", &L->kcn_nr_slabs, false },
		{ "kmem_cache_node", "full", &L->kcn_full, false },
	};

	memset(L, 0, sizeof(*L));
	if (!check_allocator(s) ||
	    !resolve_members(s, req, sizeof(req) / sizeof(req[0])))
		return -1;
	/* kmem_cache_cpu.slab was "page" before 5.17. */
	if (L->kcc_slab < 0)
		L->kcc_slab = lx_member_offset(s->t, "kmem_cache_cpu", "page");
	L->kc_size_of = lx_type_size(s->t, "kmem_cache");
	L->kcc_size_of = lx_type_size(s->t, "kmem_cache_cpu");
	L->kcn_size_of = lx_type_size(s->t, "kmem_cache_node");
	if (L->kcc_slab < 0 || L->kcc_size_of <= 0 || L->kcn_size_of <= 0 ||
	    L->kc_size_of <= 0) {
		lx_msg(s->t, LX_MSG_ERROR, "incomplete kmem_cache_cpu/node types");
		return -1;
	}
	if (!resolve_slab_struct(s, L) || !resolve_slab_test(s, L) ||
	    !resolve_globals(s, L))
		return -1;
	return 0;
}

void lx_session_fini(struct lx_session *s)
{
	lx_free(s->t, s->L.cpu_offsets);
	s->L.cpu_offsets = NULL;
	lx_memmap_free(s);
}
