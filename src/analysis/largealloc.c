// SPDX-License-Identifier: GPL-2.0-or-later
/* Large kmalloc allocations (largealloc.h). */
#include <stdlib.h>
#include <string.h>

#include "analysis/largealloc.h"
#include "slab/memmap.h"

/*
 * The kmalloc-large entry functions across kernels: what a page_owner
 * stack of a large kmalloc passes through.
 */
static const char *const kmalloc_large_entries[] = {
	/* 6.10: memory allocation profiling's _noprof variants */
	"___kmalloc_large_node", "__kmalloc_large_node_noprof", "__kmalloc_large_noprof",
	/* 6.1 ("mm/slab_common: kmalloc_node: pass large requests to page allocator") */
	"__kmalloc_large_node", "kmalloc_large_node", "kmalloc_large",
	/* before 6.1: kmalloc_order() and its traced wrapper */
	"kmalloc_order", "kmalloc_order_trace",
};

/*
 * The allocators' own frames, by name prefix: the page allocator's and
 * kmalloc's.  The owner is the first frame after the last of these.
 */
static const char *const allocator_prefixes[] = {
	"post_alloc_hook", "prep_new_page", "get_page_from_freelist",
	"__alloc_pages", "alloc_pages", "__alloc_frozen_pages", "__folio_alloc",
	"folio_alloc", "___kmalloc", "__kmalloc", "kmalloc", "__do_kmalloc",
	"__kvmalloc", "kvmalloc", "krealloc", "kmalloc_large", "kmalloc_order",
};

/* The slab allocators' frames under a slab page's allocation (SLUB, SLAB). */
static const char *const slab_prefixes[] = {
	"alloc_slab_page", "allocate_slab", "new_slab", "___slab_alloc", "__slab_alloc",
	"slab_alloc", "kmem_cache_alloc", "__kmem_cache_alloc", "kmalloc_trace",
	"kmem_getpages", "cache_grow", "cache_alloc_refill", "____cache_alloc",
	"fallback_alloc", "refill_objects", "__pcs_replace_empty_main",
};

/*
 * The order of a compound page, by member presence: folio._flags_1's low
 * byte (6.6, "mm: free up a word in the first tail page"), the first
 * tail's folio._folio_order byte (6.1), or page.compound_order in the
 * first tail page (before).
 */
struct order_row {
	const char *type, *member;
	bool flags_byte;	/* the low byte of an unsigned long */
};

static const struct order_row order_rows[] = {
	{ "folio", "_flags_1", true },
	{ "folio", "_folio_order", false },
	{ "page", "compound_order", false },
};

/* What the walk needs, resolved once. */
struct large_walk {
	struct lx_large_result *r;
	struct lx_page_ext E;
	struct lx_page_owner_layout P;
	struct lx_depot D;
	struct lx_alloctag A;
	long page_flags, page_type;
	uint64_t head_bit;
	long order_at;			/* offset from the head page */
	bool order_flags_byte;
	long pgty_large;		/* -1: no page type */
};

static bool name_in(const char *name, const char *const *list, size_t n, bool prefix)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (prefix ? !strncmp(name, list[i], strlen(list[i])) : !strcmp(name, list[i]))
			return true;
	return false;
}

#define N(array) (sizeof(array) / sizeof((array)[0]))

static bool resolve_order(struct lx_session *s, struct large_walk *w)
{
	size_t i;
	long off;

	for (i = 0; i < N(order_rows); i++) {
		off = lx_member_offset(s->t, order_rows[i].type, order_rows[i].member);
		if (off < 0)
			continue;
		/* a folio's members count from the head; compound_order is a tail page's */
		w->order_at = !strcmp(order_rows[i].type, "page") ? s->L.page_size_of + off : off;
		w->order_flags_byte = order_rows[i].flags_byte;
		return true;
	}
	return false;
}

/*
 * The page type (commit "mm: add PGTY_large_kmalloc"? see largealloc.h:
 * enum pagetype's PGTY_large_kmalloc, compared as PGTY_slab is, the top
 * byte of page_type); -1 if the kernel has none.
 */
static long resolve_page_type(struct lx_session *s, struct large_walk *w)
{
	long value;

	w->page_type = lx_member_offset(s->t, "page", "page_type");
	if (w->page_type < 0 || !lx_enum_value(s->t, "PGTY_large_kmalloc", &value) ||
	    value < 0 || value > 0xff)
		return -1;
	return value;
}

enum lx_large_basis lx_large_basis(struct lx_session *s, struct lx_page_ext *E)
{
	struct lx_page_owner_layout P;
	long value;

	if (lx_member_offset(s->t, "page", "page_type") >= 0 &&
	    lx_enum_value(s->t, "PGTY_large_kmalloc", &value))
		return LX_LARGE_PAGE_TYPE;
	lx_page_ext_init(s, E);
	return lx_page_owner_layout(s, E, &P) ? LX_LARGE_OWNER_STACK : LX_LARGE_NONE;
}

static enum lx_status walk_init(struct lx_session *s, struct large_walk *w)
{
	long head;
	enum lx_status ret;

	w->r->basis = lx_large_basis(s, &w->E);
	if (w->r->basis == LX_LARGE_NONE) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "large kmalloc allocations cannot be told from other compound pages on this kernel: it has no page type for them (PGTY_large_kmalloc) and no page_owner records (CONFIG_PAGE_OWNER booted with page_owner=on)");
		return LX_EABSENT;
	}
	if (!w->E.present)
		lx_page_ext_init(s, &w->E);
	w->r->page_owner = lx_page_owner_layout(s, &w->E, &w->P);
	lx_depot_init(s, &w->D);
	w->pgty_large = resolve_page_type(s, w);
	w->page_flags = lx_member_offset(s->t, "page", "flags");
	if (!lx_enum_value(s->t, "PG_head", &head) || head < 0 || head >= 64 ||
	    w->page_flags < 0 || !resolve_order(s, w)) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "no PG_head, page.flags or compound order member: cannot find compound pages");
		return LX_EABSENT;
	}
	w->head_bit = 1ULL << head;
	ret = lx_alloctag_init(s, &w->A);
	w->r->alloc_tags = w->A.present && w->E.tag_offset >= 0;
	return ret;
}

static bool read_order(struct lx_session *s, const struct large_walk *w, uint64_t head,
		       unsigned int *order)
{
	uint64_t word;
	uint8_t byte;

	if (w->order_flags_byte) {
		if (!lx_read_word(s->t, head + w->order_at, &word))
			return false;
		byte = word & 0xff;
	} else if (!lx_read(s->t, head + w->order_at, &byte, 1)) {
		return false;
	}
	*order = byte;
	/* an order no zone can hand out: not a compound page worth reading */
	return byte >= 1 && byte < 32;
}

/*
 * The owner frame of a stack: after the last allocator frame (with slabs,
 * the slab allocators' too); n if none.
 */
static unsigned int find_owner(struct lx_session *s, const uint64_t *frames, unsigned int n,
			       bool slabs, bool *large_entry)
{
	char text[LX_FRAME_TEXT_MAX], name[LX_NAME_MAX * 2];
	unsigned int i, owner = 0;

	*large_entry = false;
	for (i = 0; i < n; i++) {
		lx_frame_text(s, frames[i], text, sizeof(text), name, sizeof(name));
		if (!name[0])
			continue;
		if (name_in(name, kmalloc_large_entries, N(kmalloc_large_entries), false))
			*large_entry = true;
		if (name_in(name, allocator_prefixes, N(allocator_prefixes), true) ||
		    (slabs && name_in(name, slab_prefixes, N(slab_prefixes), true)))
			owner = i + 1;
	}
	return owner;
}

static void read_site(struct lx_session *s, const struct large_walk *w,
		      struct lx_large_alloc *a)
{
	uint64_t ct = w->r->alloc_tags ? lx_page_ext_codetag(s, &w->E, a->pfn) : 0;

	a->has_site = ct && lx_alloctag_site(s, &w->A, ct - w->A.tag_ct, &a->site);
}

/* The head page's type byte says large kmalloc (the page type row). */
static bool typed_large(struct lx_session *s, const struct large_walk *w, const uint8_t *page)
{
	return w->pgty_large >= 0 &&
	       lx_field_fits(s->L.page_size_of, w->page_type, 4) &&
	       lx_get_u32(page, w->page_type) >> 24 == (uint32_t)w->pgty_large;
}

/*
 * Fill a from page_owner; true if the page is a large kmalloc by the
 * row in force.
 */
static bool examine(struct lx_session *s, struct large_walk *w, struct lx_large_alloc *a,
		    bool typed)
{
	bool large_entry = false;

	a->has_owner = w->r->page_owner &&
		       lx_page_owner_read(s, &w->E, &w->P, a->pfn, &a->owner) &&
		       a->owner.allocated;
	if (a->has_owner) {
		a->nframes = lx_depot_fetch(s, &w->D, a->owner.handle, a->frames,
					    LX_LARGE_FRAMES);
		a->owner_frame = find_owner(s, a->frames, a->nframes, false, &large_entry);
	}
	return w->r->basis == LX_LARGE_PAGE_TYPE ? typed : large_entry;
}

static enum lx_status visit_page(struct lx_session *s, void *arg, uint64_t page_addr,
				 const uint8_t *page)
{
	struct large_walk *w = arg;
	struct lx_large_result *r = w->r;
	struct lx_large_alloc a;

	if (!(lx_get_word(s->t, page, w->page_flags) & w->head_bit) ||
	    lx_page_is_slab(s, page))
		return LX_OK;
	memset(&a, 0, sizeof(a));
	a.pfn = (page_addr - s->K.vmemmap_base) / s->L.page_size_of;
	r->compound_heads++;
	if (!read_order(s, w, page_addr, &a.order) ||
	    !examine(s, w, &a, typed_large(s, w, page)))
		return LX_OK;
	if (r->count >= LX_MAX_LARGE_ALLOCS)
		return LX_OK;
	if (lx_reserve(s->t, &r->allocs, &r->cap, r->count + 1, sizeof(a)))
		return LX_ENOMEM;
	a.addr = lx_page_to_virt(s, page_addr);
	a.bytes = (uint64_t)1 << (s->K.page_shift + a.order);
	read_site(s, w, &a);
	if (lx_read(s->t, a.addr, a.preview, sizeof(a.preview)))
		a.npreview = sizeof(a.preview);
	r->allocs[r->count++] = a;
	r->bytes += a.bytes;
	return LX_OK;
}

void lx_large_frame(struct lx_session *s, const struct lx_large_alloc *a, unsigned int i,
		    char *buf, size_t len)
{
	if (i < a->nframes)
		lx_frame_text(s, a->frames[i], buf, len, NULL, 0);
	else
		snprintf(buf, len, "%s", "");
}

/* A frame's function, "name [module]" without the offset; "" if none. */
static void frame_function(struct lx_session *s, const uint64_t *frames, unsigned int n,
			   unsigned int i, char *buf, size_t len)
{
	char *plus, *module;

	buf[0] = '\0';
	if (i >= n)
		return;
	lx_frame_text(s, frames[i], buf, len, NULL, 0);
	plus = strchr(buf, '+');
	module = strchr(buf, ' ');
	if (plus && (!module || plus < module))
		memmove(plus, module ? module : plus + strlen(plus),
			strlen(module ? module : "") + 1);
}

/* An allocation's group key: its owner frame's symbol and its site's tag. */
static void group_owner(struct lx_session *s, const struct lx_large_alloc *a,
			char *buf, size_t len)
{
	frame_function(s, a->frames, a->nframes, a->owner_frame, buf, len);
}

void lx_slab_owners_init(struct lx_session *s, struct lx_slab_owners *so)
{
	memset(so, 0, sizeof(*so));
	lx_page_ext_init(s, &so->E);
	lx_depot_init(s, &so->D);
	so->on = lx_page_owner_layout(s, &so->E, &so->P) && so->D.present;
}

bool lx_slab_owner_of(struct lx_session *s, const struct lx_slab_owners *so, uint64_t obj,
		      char *owner, size_t len)
{
	const struct lx_layout *L = &s->L;
	struct lx_page_owner o;
	uint64_t page, head, frames[LX_LARGE_FRAMES];
	unsigned int n, i;
	bool large;

	owner[0] = '\0';
	if (!so->on || !lx_virt_to_page(s, obj, &page))
		return false;
	/* a tail page's compound_head has bit 0 set and points at the head */
	if (L->slab_compound_head >= 0 &&
	    lx_read_word(s->t, page + L->slab_compound_head, &head) && (head & 1))
		page = head - 1;
	if (page < s->K.vmemmap_base ||
	    !lx_page_owner_read(s, &so->E, &so->P,
				(page - s->K.vmemmap_base) / L->page_size_of, &o) ||
	    !o.allocated)
		return false;
	n = lx_depot_fetch(s, &so->D, o.handle, frames, LX_LARGE_FRAMES);
	i = find_owner(s, frames, n, true, &large);
	frame_function(s, frames, n, i, owner, len);
	return owner[0] != '\0';
}

static uint64_t site_key(const struct lx_large_alloc *a)
{
	return a->has_site ? a->site.tag : 0;
}

static int by_bytes(const void *x, const void *y)
{
	const struct lx_large_group *a = x, *b = y;

	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

/* Each allocation's group index, after the groups were sorted. */
static enum lx_status renumber(struct lx_session *s, struct lx_large_result *r)
{
	size_t *sorted = lx_alloc(s->t, r->ngroups * sizeof(*sorted)), i;

	if (!sorted)
		return LX_ENOMEM;
	for (i = 0; i < r->ngroups; i++)
		sorted[r->groups[i].unsorted] = i;
	for (i = 0; i < r->count; i++)
		r->allocs[i].group = sorted[r->allocs[i].group];
	lx_free(s->t, sorted);
	return LX_OK;
}

static enum lx_status build_groups(struct lx_session *s, struct lx_large_result *r)
{
	char owner[LX_FRAME_TEXT_MAX];
	size_t i, g;

	if (!r->count)
		return LX_OK;
	r->groups = lx_alloc(s->t, r->count * sizeof(*r->groups));
	if (!r->groups)
		return LX_ENOMEM;
	for (i = 0; i < r->count; i++) {
		group_owner(s, &r->allocs[i], owner, sizeof(owner));
		for (g = 0; g < r->ngroups; g++)
			if (!strcmp(r->groups[g].owner, owner) &&
			    site_key(&r->allocs[r->groups[g].first]) == site_key(&r->allocs[i]))
				break;
		if (g == r->ngroups) {
			snprintf(r->groups[g].owner, sizeof(r->groups[g].owner), "%s", owner);
			r->groups[g].first = i;
			r->groups[g].unsorted = g;
			r->ngroups++;
		}
		r->groups[g].count++;
		r->groups[g].bytes += r->allocs[i].bytes;
		r->allocs[i].group = g;
	}
	qsort(r->groups, r->ngroups, sizeof(*r->groups), by_bytes);
	return renumber(s, r);
}

enum lx_status lx_large_find(struct lx_session *s, struct lx_large_result *r)
{
	struct large_walk w = { .r = r };
	enum lx_status ret;

	memset(r, 0, sizeof(*r));
	ret = walk_init(s, &w);
	if (!ret)
		ret = lx_memmap_walk(s, visit_page, &w, &r->unreadable_bytes);
	if (!ret)
		ret = build_groups(s, r);
	lx_alloctag_fini(s, &w.A);
	if (ret)
		lx_large_free(s, r);
	return ret;
}

void lx_large_free(struct lx_session *s, struct lx_large_result *r)
{
	lx_free(s->t, r->allocs);
	lx_free(s->t, r->groups);
	memset(r, 0, sizeof(*r));
}
