// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Alloc tags (memory allocation profiling): per object, the call site that
 * allocated it; per site, the kernel's own per-cpu totals.  Every member is
 * found by type presence; every pointer from the dump is checked before it
 * is followed (doc/s10-facts.md has the 6.12 layouts these rows read).
 */
#include <string.h>

#include "slab/alloctag.h"
#include "slab/memmap.h"

/*
 * struct slab.obj_exts and struct slabobj_ext (kernel commit 21c690a349ba
 * "mm: introduce slabobj_ext to support slab object extensions", 6.10):
 * with CONFIG_MEMCG the vector also holds each object's objcg, so the
 * stride and ref's offset come from the type.  struct codetag (commit
 * 916cc5167cc6 "lib: code tagging framework") and struct alloc_tag
 * (commit 22d407b164ff "lib: add allocation tagging support for memory
 * allocation profiling").  ref.ct is the union codetag_ref's member.
 */
/*
 * 7.0 may keep a slab's vector in the slab itself: in its leftover space
 * after the last object (kernel commit 7a8e71bc619d; its RFC was "mm/slab:
 * save memory by allocating slabobj_ext array from leftover"), or one
 * entry inside each object; so struct slab gained a stride (64-bit only,
 * in the counters word; an unsigned short, then an unsigned int).
 * Without the member the stride is sizeof(struct slabobj_ext).
 */
static void resolve_stride(struct lx_session *s, struct lx_alloctag *A)
{
	A->slab_stride = lx_member_offset(s->t, "slab", "stride");
	A->slab_stride_size = lx_member_size(s->t, "slab", "stride");
	if (A->slab_stride_size != 2 && A->slab_stride_size != 4)
		A->slab_stride = -1;
}

static bool resolve_members(struct lx_session *s, struct lx_alloctag *A)
{
	long ext_ref, ref_ct;
	const struct lx_member_req req[] = {
		{ "slab", "obj_exts", &A->slab_obj_exts, true },
		{ "slabobj_ext", "ref", &ext_ref, true },
		{ "codetag_ref", "ct", &ref_ct, true },
		{ "codetag", "lineno", &A->ct_lineno, true },
		{ "codetag", "modname", &A->ct_modname, true },
		{ "codetag", "function", &A->ct_function, true },
		{ "codetag", "filename", &A->ct_filename, true },
		{ "alloc_tag", "ct", &A->tag_ct, true },
		{ "alloc_tag", "counters", &A->tag_counters, true },
		{ "alloc_tag_counters", "bytes", &A->ctr_bytes, true },
		{ "alloc_tag_counters", "calls", &A->ctr_calls, true },
	};

	if (!lx_resolve_members(s->t, LX_MEMBERS(req), NULL))
		return false;
	A->ext_ct = ext_ref + ref_ct;
	A->ext_size = lx_type_size(s->t, "slabobj_ext");
	resolve_stride(s, A);
	A->tag_size = lx_type_size(s->t, "alloc_tag");
	return A->ext_size > 0 && A->ext_ct + lx_word_size(s->t) <= A->ext_size &&
	       A->tag_size > 0 && A->tag_ct >= 0 && A->tag_ct < A->tag_size;
}

/*
 * The flag bits in obj_exts' low bits: OBJEXTS_FLAGS_MASK is
 * __NR_OBJEXTS_FLAGS - 1 (enum objext_flags; with MEMCG its first flag
 * comes after the memcg_data flags).  Without the enum the mask is
 * unknown: no vector is trusted.
 */
static bool resolve_flags(struct lx_session *s, struct lx_alloctag *A)
{
	long nr;

	if (!lx_enum_value(s->t, "__NR_OBJEXTS_FLAGS", &nr) || nr <= 0 ||
	    nr > 64 || (nr & (nr - 1))) {
		lx_msg(s->t, LX_MSG_WARN,
		       "the kernel has struct slabobj_ext but no usable __NR_OBJEXTS_FLAGS; not reading alloc tags");
		return false;
	}
	A->flags_mask = (uint64_t)nr - 1;
	return true;
}

static enum lx_status add_range(struct lx_session *s, struct lx_alloctag *A,
				uint64_t start, uint64_t stop, size_t *cap)
{
	enum lx_status ret;
	size_t i;

	if (stop <= start || (stop - start) % A->tag_size ||
	    (stop - start) / A->tag_size > LX_MAX_ALLOC_TAGS)
		return LX_ECORRUPT;
	/* the idr holds the kernel's own range too (codetag_register_type()) */
	for (i = 0; i < A->nranges; i++) {
		if (start == A->ranges[i].start && stop == A->ranges[i].stop)
			return LX_OK;
		if (start < A->ranges[i].stop && A->ranges[i].start < stop)
			return LX_ECORRUPT;
	}
	ret = lx_reserve(s->t, &A->ranges, cap, A->nranges + 1, sizeof(*A->ranges));
	if (ret)
		return ret;
	A->ranges[A->nranges].start = start;
	A->ranges[A->nranges++].stop = stop;
	return LX_OK;
}

/* One codetag_module of the idr: its range of the module's tags. */
struct module_walk {
	struct lx_session *s;
	struct lx_alloctag *A;
	size_t *cap;
	long mod_range, range_start, range_stop;
	long slots, nslots, shift;	/* struct xa_node's */
	unsigned int entries, nodes;
};

static void add_module(struct module_walk *w, uint64_t cmod)
{
	uint64_t start, stop;
	long off = w->mod_range;

	if (w->entries++ >= LX_MAX_TAG_MODULES ||
	    !lx_read_word(w->s->t, cmod + off + w->range_start, &start) ||
	    !lx_read_word(w->s->t, cmod + off + w->range_stop, &stop))
		return;
	/* the range holds struct codetag pointers: back to their alloc_tag */
	if (start == stop ||
	    add_range(w->s, w->A, start - w->A->tag_ct, stop - w->A->tag_ct, w->cap))
		lx_msg(w->s->t, LX_MSG_WARN,
		       "a module's alloc tag range %#llx..%#llx is not a run of struct alloc_tag; skipped",
		       (unsigned long long)start, (unsigned long long)stop);
}

/*
 * xarray entries (include/linux/xarray.h): a node is an internal entry,
 * 2 mod 4 and above 4096; smaller internal entries are siblings or retries,
 * odd ones values.  A child node's shift is its parent's less
 * XA_CHUNK_SHIFT, so a hostile tree cannot loop; the nodes read are
 * counted too, so it cannot be wide.
 */
#define XA_INTERNAL_MAX 4096
#define XA_CHUNK_SHIFT 6
#define XA_MAX_SHIFT (XA_CHUNK_SHIFT * 11)

static void walk_xa(struct module_walk *w, uint64_t entry, int parent_shift)
{
	uint64_t node, child;
	uint8_t shift;
	long i;

	if (!entry || (entry & 1))
		return;
	if ((entry & 3) != 2) {
		add_module(w, entry);
		return;
	}
	if (entry < XA_INTERNAL_MAX || w->nodes++ >= LX_MAX_TAG_MODULES)
		return;
	node = entry - 2;
	if (!lx_read(w->s->t, node + w->shift, &shift, 1) || shift % XA_CHUNK_SHIFT ||
	    shift > XA_MAX_SHIFT || (parent_shift >= 0 && shift + XA_CHUNK_SHIFT != parent_shift))
		return;
	for (i = 0; i < w->nslots && w->entries < LX_MAX_TAG_MODULES; i++) {
		if (!lx_read_word(w->s->t, node + w->slots + i * lx_word_size(w->s->t), &child))
			continue;
		if (shift || (child & 3) != 2)
			walk_xa(w, child, shift);
	}
}

/*
 * Module tags: alloc_tag_cttype -> codetag_type.mod_idr, an idr of struct
 * codetag_module (kernel commit a473573964e5 "lib: code tagging module
 * support").  A kernel without modules or without the types has none.
 */
static void resolve_modules(struct lx_session *s, struct lx_alloctag *A, size_t *cap)
{
	long mod_idr, idr_rt, xa_head;
	struct module_walk w = { .s = s, .A = A, .cap = cap };
	uint64_t cttype, head;
	const struct lx_member_req req[] = {
		{ "codetag_type", "mod_idr", &mod_idr, true },
		{ "idr", "idr_rt", &idr_rt, true },
		{ "xarray", "xa_head", &xa_head, true },
		{ "xa_node", "shift", &w.shift, true },
		{ "codetag_module", "range", &w.mod_range, true },
		{ "codetag_range", "start", &w.range_start, true },
		{ "codetag_range", "stop", &w.range_stop, true },
	};

	if (!lx_symbol(s->t, "alloc_tag_cttype", &cttype) ||
	    !lx_read_word(s->t, cttype, &cttype) || !cttype ||
	    !lx_resolve_members(s->t, LX_MEMBERS(req), NULL))
		return;
	w.slots = lx_member_offset(s->t, "xa_node", "slots");
	w.nslots = lx_member_size(s->t, "xa_node", "slots") / lx_word_size(s->t);
	if (w.slots < 0 || w.nslots <= 0 || w.nslots > 256 ||
	    !lx_read_word(s->t, cttype + mod_idr + idr_rt + xa_head, &head))
		return;
	walk_xa(&w, head, -1);
	A->modules_read = true;
}

enum lx_status lx_alloctag_init(struct lx_session *s, struct lx_alloctag *A)
{
	uint64_t start, stop;
	size_t cap = 0;
	enum lx_status ret;

	memset(A, 0, sizeof(*A));
	if (lx_member_offset(s->t, "slab", "obj_exts") < 0 ||
	    lx_type_size(s->t, "alloc_tag") <= 0)
		return LX_OK;	/* no memory allocation profiling */
	if (!resolve_members(s, A) || !resolve_flags(s, A))
		return LX_OK;
	if (!lx_symbol(s->t, "__start_alloc_tags", &start) ||
	    !lx_symbol(s->t, "__stop_alloc_tags", &stop)) {
		lx_msg(s->t, LX_MSG_WARN,
		       "the kernel has alloc tags but no __start_alloc_tags/__stop_alloc_tags symbols; not reading them");
		return LX_OK;
	}
	ret = add_range(s, A, start, stop, &cap);
	if (ret == LX_ENOMEM)
		return ret;
	if (ret) {
		lx_msg(s->t, LX_MSG_WARN,
		       "the alloc_tags section %#llx..%#llx is not a run of struct alloc_tag; not reading alloc tags",
		       (unsigned long long)start, (unsigned long long)stop);
		return LX_OK;
	}
	resolve_modules(s, A, &cap);
	A->present = true;
	return LX_OK;
}

void lx_alloctag_fini(struct lx_session *s, struct lx_alloctag *A)
{
	lx_free(s->t, A->ranges);
	memset(A, 0, sizeof(*A));
}

bool lx_alloctag_valid(const struct lx_alloctag *A, uint64_t tag)
{
	size_t i;

	for (i = 0; i < A->nranges; i++)
		if (tag >= A->ranges[i].start && tag < A->ranges[i].stop)
			return !((tag - A->ranges[i].start) % A->tag_size);
	return false;
}

/*
 * A vector lies in the direct map, and if in a slab, in a kmalloc cache,
 * or (slab.stride kernels) in a slab of the slab's own cache.
 */
static bool vector_plausible(struct lx_session *s, const struct lx_alloctag *A,
			     uint64_t vec, uint64_t slab)
{
	char name[LX_NAME_MAX];
	uint64_t page, cache, own = 0, name_ptr;

	if (!lx_virt_to_page(s, vec, &page))
		return false;
	cache = lx_slab_cache_of(s, vec);
	if (!cache)
		return true;
	if (A->slab_stride >= 0 && s->L.slab_cache >= 0 &&
	    lx_read_word(s->t, slab + s->L.slab_cache, &own) && own == cache)
		return true;
	if (s->L.kc_name < 0 || !lx_read_word(s->t, cache + s->L.kc_name, &name_ptr) ||
	    !lx_read_string(s->t, name_ptr, name, sizeof(name)))
		return false;
	return !strncmp(name, "kmalloc", 7);
}

/*
 * The slab's stride: slab.stride where the kernel has one (2 or 4 bytes,
 * read into a zeroed u32 as lx_word_value() reads words), else the entry
 * size; 0 if unreadable.
 */
static uint32_t vector_stride(struct lx_session *s, const struct lx_alloctag *A,
			      uint64_t slab)
{
	uint32_t stride = 0;

	if (A->slab_stride < 0)
		return (uint32_t)A->ext_size;
	if (!lx_read(s->t, slab + A->slab_stride, &stride, (size_t)A->slab_stride_size))
		return 0;
	return stride;
}

struct lx_objext_vec lx_alloctag_vector(struct lx_session *s, const struct lx_alloctag *A,
					uint64_t slab)
{
	struct lx_objext_vec none = { 0, 0 }, v;
	uint64_t word;

	if (!A->present || !lx_read_word(s->t, slab + A->slab_obj_exts, &word))
		return none;
	v.base = word & ~A->flags_mask;
	v.stride = vector_stride(s, A, slab);
	if (!v.base || v.base % lx_word_size(s->t) || v.stride < A->ext_size ||
	    v.stride > LX_MAX_OBJEXT_STRIDE || !vector_plausible(s, A, v.base, slab))
		return none;
	return v;
}

bool lx_alloctag_object(struct lx_session *s, const struct lx_alloctag *A,
			struct lx_objext_vec vec, uint32_t index, uint64_t *tag)
{
	uint64_t ct;

	*tag = 0;
	if (!vec.base ||
	    !lx_read_word(s->t, vec.base + (uint64_t)index * vec.stride + A->ext_ct, &ct) ||
	    !ct)
		return false;
	*tag = ct - A->tag_ct;
	return lx_alloctag_valid(A, *tag);
}

/* A string of the codetag: bounded, sanitized; "" if absent. */
static void read_tag_string(struct lx_session *s, uint64_t field, char *buf, size_t len)
{
	uint64_t ptr;

	buf[0] = '\0';
	if (!lx_read_word(s->t, field, &ptr) || !ptr ||
	    !lx_read_string(s->t, ptr, buf, len))
		buf[0] = '\0';
	lx_sanitize(buf);
}

bool lx_alloctag_site(struct lx_session *s, const struct lx_alloctag *A,
		      uint64_t tag, struct lx_alloc_site *site)
{
	uint64_t ct = tag + A->tag_ct;

	memset(site, 0, sizeof(*site));
	site->tag = tag;
	if (!lx_alloctag_valid(A, tag) ||
	    !lx_read_u32(s->t, ct + A->ct_lineno, &site->line))
		return false;
	read_tag_string(s, ct + A->ct_function, site->function, sizeof(site->function));
	read_tag_string(s, ct + A->ct_filename, site->file, sizeof(site->file));
	read_tag_string(s, ct + A->ct_modname, site->module, sizeof(site->module));
	return site->function[0] != '\0';
}

bool lx_alloctag_counters(struct lx_session *s, const struct lx_alloctag *A,
			  uint64_t tag, uint64_t *bytes, uint64_t *calls)
{
	const struct lx_kernel *K = &s->K;
	uint64_t pcpu, b, c;
	unsigned int cpu;
	bool ok = true;

	*bytes = *calls = 0;
	if (!lx_read_word(s->t, tag + A->tag_counters, &pcpu) || !K->cpu_offsets)
		return false;
	for (cpu = 0; cpu < K->nr_cpus; cpu++) {
		if (!lx_mask_test(K->cpu_possible, cpu))
			continue;
		if (!lx_read_u64(s->t, pcpu + K->cpu_offsets[cpu] + A->ctr_bytes, &b) ||
		    !lx_read_u64(s->t, pcpu + K->cpu_offsets[cpu] + A->ctr_calls, &c)) {
			ok = false;
			continue;
		}
		*bytes += b;
		*calls += c;
	}
	return ok;
}
