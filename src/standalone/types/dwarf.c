// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Types from the debug vmlinux through libdwarf.  One pass over the
 * top-level DIEs of every compile unit records where each named struct or
 * union is first defined and the value of every enumerator; member
 * lookups then read only that one DIE's children.  An enumeration whose
 * first enumerator is already known is a copy from another unit and is
 * skipped, which keeps the pass to a few seconds on a 590 MB vmlinux.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdwarf/dwarf.h>
#include <libdwarf/libdwarf.h>

#include "leakext/core.h"
#include "standalone/symbols/symtab.h"
#include "standalone/types/types.h"

#define MAX_TYPE_DEPTH 16

struct lx_dwarf {
	Dwarf_Debug dbg;
	struct lx_strmap types;		/* name -> DIE offset */
	struct lx_strmap enumerators;	/* name -> value */
	size_t units;
	double seconds;
};

static void lx_dwarf_close(struct lx_dwarf *dw);

static void die_free(struct lx_dwarf *dw, Dwarf_Die die)
{
	if (die)
		dwarf_dealloc(dw->dbg, die, DW_DLA_DIE);
}

/* The next sibling of die (NULL at the end); die itself is freed. */
static Dwarf_Die next_sibling(struct lx_dwarf *dw, Dwarf_Die die)
{
	Dwarf_Die next = NULL;

	if (dwarf_siblingof_b(dw->dbg, die, 1, &next, NULL) != DW_DLV_OK)
		next = NULL;
	die_free(dw, die);
	return next;
}

static bool has_flag(Dwarf_Die die, Dwarf_Half attr)
{
	Dwarf_Bool present = 0;

	return dwarf_hasattr(die, attr, &present, NULL) == DW_DLV_OK && present;
}

static bool attr_signed(struct lx_dwarf *dw, Dwarf_Die die, Dwarf_Half name,
			long *value)
{
	Dwarf_Attribute attr;
	Dwarf_Signed s;
	Dwarf_Unsigned u;
	Dwarf_Half form = 0;
	bool ok = false;

	if (dwarf_attr(die, name, &attr, NULL) != DW_DLV_OK)
		return false;
	dwarf_whatform(attr, &form, NULL);
	if (form == DW_FORM_sdata || form == DW_FORM_implicit_const) {
		ok = dwarf_formsdata(attr, &s, NULL) == DW_DLV_OK;
		*value = s;
	} else if (dwarf_formudata(attr, &u, NULL) == DW_DLV_OK) {
		ok = true;
		*value = (long)u;
	} else if (dwarf_formsdata(attr, &s, NULL) == DW_DLV_OK) {
		ok = true;
		*value = s;
	}
	dwarf_dealloc(dw->dbg, attr, DW_DLA_ATTR);
	return ok;
}

static void index_enumerators(struct lx_dwarf *dw, Dwarf_Die enum_die)
{
	Dwarf_Die child = NULL;
	char *name;
	uint64_t known;
	long value;
	bool first = true;

	if (dwarf_child(enum_die, &child, NULL) != DW_DLV_OK)
		return;
	while (child) {
		if (dwarf_diename(child, &name, NULL) == DW_DLV_OK) {
			if (first && lx_strmap_get(&dw->enumerators, name, &known))
				break;	/* a copy of an enum seen in another unit */
			if (attr_signed(dw, child, DW_AT_const_value, &value))
				lx_strmap_put(&dw->enumerators, name, (uint64_t)value);
		}
		first = false;
		child = next_sibling(dw, child);
	}
	die_free(dw, child);
}

static void index_die(struct lx_dwarf *dw, Dwarf_Die die)
{
	Dwarf_Half tag;
	Dwarf_Off off;
	char *name;

	if (dwarf_tag(die, &tag, NULL) != DW_DLV_OK)
		return;
	if (tag == DW_TAG_enumeration_type) {
		index_enumerators(dw, die);
		return;
	}
	if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type)
		return;
	if (has_flag(die, DW_AT_declaration) ||
	    dwarf_diename(die, &name, NULL) != DW_DLV_OK ||
	    dwarf_dieoffset(die, &off, NULL) != DW_DLV_OK)
		return;
	lx_strmap_put(&dw->types, name, off);
}

static void index_unit(struct lx_dwarf *dw)
{
	Dwarf_Die cu = NULL, die = NULL;

	if (dwarf_siblingof_b(dw->dbg, NULL, 1, &cu, NULL) != DW_DLV_OK)
		return;
	if (dwarf_child(cu, &die, NULL) != DW_DLV_OK)
		die = NULL;
	while (die) {
		index_die(dw, die);
		die = next_sibling(dw, die);
	}
	die_free(dw, cu);
}

static struct lx_dwarf *lx_dwarf_open(const char *vmlinux, void (*progress)(uint64_t units),
			       char *err, size_t errlen)
{
	struct lx_dwarf *dw = calloc(1, sizeof(*dw));
	Dwarf_Unsigned next_cu;
	Dwarf_Half version, unit_type;
	Dwarf_Error derr = NULL;
	double start = lx_now();

	if (!dw) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/*
	 * A vmlinux is linked: its debug sections hold final values, and the
	 * .rel(a).debug_* sections --emit-relocs leaves (i386's .rel ones
	 * libdwarf refuses outright) must not be applied again.
	 */
	dwarf_set_reloc_application(0);
	if (dwarf_init_path(vmlinux, NULL, 0, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL,
			    NULL, &dw->dbg, NULL, 0, NULL, &derr) != DW_DLV_OK) {
		snprintf(err, errlen, "no DWARF debug info (%s)",
			 derr ? dwarf_errmsg(derr) : "not an ELF file");
		free(dw);
		return NULL;
	}
	while (dwarf_next_cu_header_d(dw->dbg, 1, NULL, &version, NULL, NULL, NULL,
				      NULL, NULL, NULL, &next_cu, &unit_type,
				      NULL) == DW_DLV_OK) {
		index_unit(dw);
		if (++dw->units % 64 == 0 && progress)
			progress(dw->units);
	}
	dw->seconds = lx_now() - start;
	if (!dw->types.count) {
		snprintf(err, errlen, "no struct types in its DWARF");
		lx_dwarf_close(dw);
		return NULL;
	}
	return dw;
}

static void lx_dwarf_close(struct lx_dwarf *dw)
{
	if (!dw)
		return;
	dwarf_finish(dw->dbg, NULL);
	lx_strmap_free(&dw->types);
	lx_strmap_free(&dw->enumerators);
	free(dw);
}

static bool die_at(struct lx_dwarf *dw, Dwarf_Off off, Dwarf_Die *die)
{
	return dwarf_offdie_b(dw->dbg, off, 1, die, NULL) == DW_DLV_OK;
}

static bool type_ref(struct lx_dwarf *dw, Dwarf_Die die, Dwarf_Off *off)
{
	Dwarf_Attribute attr;
	bool ok;

	if (dwarf_attr(die, DW_AT_type, &attr, NULL) != DW_DLV_OK)
		return false;
	ok = dwarf_global_formref(attr, off, NULL) == DW_DLV_OK;
	dwarf_dealloc(dw->dbg, attr, DW_DLA_ATTR);
	return ok;
}

/* Elements of one subrange: count, upper bound + 1, or 0 (flexible). */
static long subrange_length(struct lx_dwarf *dw, Dwarf_Die sub)
{
	long count, upper;

	if (attr_signed(dw, sub, DW_AT_count, &count))
		return count;
	if (attr_signed(dw, sub, DW_AT_upper_bound, &upper))
		return upper + 1;
	return 0;	/* flexible array member */
}

/* Elements of an array: the product over its subranges (int a[2][3]: 6). */
static long array_length(struct lx_dwarf *dw, Dwarf_Die array)
{
	Dwarf_Die sub = NULL;
	Dwarf_Half tag;
	long count = 1, n;

	if (dwarf_child(array, &sub, NULL) != DW_DLV_OK)
		return -1;
	while (sub) {
		if (dwarf_tag(sub, &tag, NULL) == DW_DLV_OK && tag == DW_TAG_subrange_type) {
			n = subrange_length(dw, sub);
			count = n < 0 || (n && count > LONG_MAX / n) ? -1 : count * n;
			if (count < 0)
				break;
		}
		sub = next_sibling(dw, sub);
	}
	die_free(dw, sub);
	return count;
}

/* Size of the type at off, through typedefs, qualifiers and arrays. */
static long type_size_at(struct lx_dwarf *dw, Dwarf_Off off, int depth)
{
	Dwarf_Unsigned size;
	Dwarf_Die die;
	Dwarf_Half tag = 0;
	Dwarf_Off next;
	long ret = -1, n;

	if (depth > MAX_TYPE_DEPTH || !die_at(dw, off, &die))
		return -1;
	dwarf_tag(die, &tag, NULL);
	if (dwarf_bytesize(die, &size, NULL) == DW_DLV_OK) {
		ret = (long)size;
	} else if (tag == DW_TAG_pointer_type) {
		ret = 8;
	} else if (type_ref(dw, die, &next)) {
		ret = type_size_at(dw, next, depth + 1);
		if (tag == DW_TAG_array_type && ret >= 0) {
			n = array_length(dw, die);
			ret = n >= 0 ? ret * n : -1;
		}
	}
	die_free(dw, die);
	return ret;
}

/* The struct or union a member's type names, through typedefs. */
static bool aggregate_of(struct lx_dwarf *dw, Dwarf_Off off, Dwarf_Off *out, int depth)
{
	Dwarf_Die die;
	Dwarf_Half tag = 0;
	Dwarf_Off next;
	bool ok = false;

	if (depth > MAX_TYPE_DEPTH || !die_at(dw, off, &die))
		return false;
	dwarf_tag(die, &tag, NULL);
	if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type) {
		*out = off;
		ok = true;
	} else if ((tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
		    tag == DW_TAG_volatile_type) && type_ref(dw, die, &next)) {
		ok = aggregate_of(dw, next, out, depth + 1);
	}
	die_free(dw, die);
	return ok;
}

/* Members one lookup may visit (see the BTF provider's MEMBER_BUDGET). */
#define MEMBER_BUDGET 4096

struct member_hit {
	long offset;
	uint64_t bit_offset;	/* bits, from the start of the outer type */
	unsigned int bits;	/* a bitfield's width, 0 for a plain member */
	Dwarf_Off type;
	unsigned int budget;	/* members still allowed to visit */
};

static bool find_member(struct lx_dwarf *dw, Dwarf_Off agg, const char *member,
			long base, struct member_hit *hit, int depth);

/*
 * A bitfield's place: DWARF 5's DW_AT_data_bit_offset counts from the
 * start of the struct; DWARF 4's DW_AT_bit_offset counts from the most
 * significant bit of the DW_AT_byte_size storage unit at the member's
 * location (little-endian: the low bit is byte_size * 8 - bit_offset -
 * bit_size into it).
 */
static void member_bits_of(struct lx_dwarf *dw, Dwarf_Die child, long base,
			   struct member_hit *hit)
{
	long bits = 0, data_bit = 0, bit_off = 0, byte_size = 0, loc = 0;

	hit->bit_offset = (uint64_t)base * 8;
	hit->bits = 0;
	if (!attr_signed(dw, child, DW_AT_bit_size, &bits) || bits <= 0 || bits > 64)
		return;
	if (attr_signed(dw, child, DW_AT_data_bit_offset, &data_bit) && data_bit >= 0) {
		hit->bit_offset += data_bit;
	} else {
		attr_signed(dw, child, DW_AT_data_member_location, &loc);
		if (!attr_signed(dw, child, DW_AT_byte_size, &byte_size) ||
		    !attr_signed(dw, child, DW_AT_bit_offset, &bit_off) ||
		    byte_size <= 0 || byte_size > 8 || bit_off < 0 ||
		    bit_off + bits > byte_size * 8)
			return;
		hit->bit_offset += loc * 8 + byte_size * 8 - bit_off - bits;
	}
	hit->bits = bits;
}

/* One member DIE: a match, or an anonymous struct/union to look inside. */
static bool member_matches(struct lx_dwarf *dw, Dwarf_Die child, const char *member,
			   long base, struct member_hit *hit, int depth)
{
	Dwarf_Off type, inner;
	char *name = NULL;
	long loc = 0;

	attr_signed(dw, child, DW_AT_data_member_location, &loc);
	if (dwarf_diename(child, &name, NULL) == DW_DLV_OK) {
		if (strcmp(name, member) || !type_ref(dw, child, &type))
			return false;
		hit->offset = base + loc;
		hit->type = type;
		member_bits_of(dw, child, base, hit);
		if (!hit->bits)
			hit->bit_offset = (uint64_t)hit->offset * 8;
		return true;
	}
	return type_ref(dw, child, &type) && aggregate_of(dw, type, &inner, 0) &&
	       find_member(dw, inner, member, base + loc, hit, depth + 1);
}

static bool find_member(struct lx_dwarf *dw, Dwarf_Off agg, const char *member,
			long base, struct member_hit *hit, int depth)
{
	Dwarf_Die parent, child = NULL;
	Dwarf_Half tag;
	bool found = false;

	if (depth > MAX_TYPE_DEPTH || !die_at(dw, agg, &parent))
		return false;
	if (dwarf_child(parent, &child, NULL) != DW_DLV_OK)
		child = NULL;
	while (child && !found) {
		if (!hit->budget)
			break;
		hit->budget--;
		if (dwarf_tag(child, &tag, NULL) == DW_DLV_OK && tag == DW_TAG_member)
			found = member_matches(dw, child, member, base, hit, depth);
		child = next_sibling(dw, child);
	}
	die_free(dw, child);
	die_free(dw, parent);
	return found;
}

static long lx_dwarf_type_size(struct lx_dwarf *dw, const char *type)
{
	uint64_t off;

	return lx_strmap_get(&dw->types, type, &off) ? type_size_at(dw, off, 0) : -1;
}

static bool lookup_member(struct lx_dwarf *dw, const char *type, const char *member,
			  struct member_hit *hit)
{
	uint64_t off;

	hit->budget = MEMBER_BUDGET;
	return lx_strmap_get(&dw->types, type, &off) &&
	       find_member(dw, off, member, 0, hit, 0);
}

static long lx_dwarf_member_offset(struct lx_dwarf *dw, const char *type, const char *member)
{
	struct member_hit hit;

	return lookup_member(dw, type, member, &hit) ? hit.offset : -1;
}

static long lx_dwarf_member_size(struct lx_dwarf *dw, const char *type, const char *member)
{
	struct member_hit hit;

	return lookup_member(dw, type, member, &hit) ? type_size_at(dw, hit.type, 0) : -1;
}

static bool dwarf_member_bits(void *impl, const char *type, const char *member,
			      uint64_t *bit_offset, unsigned int *bits)
{
	struct member_hit hit;
	long size;

	if (!lookup_member(impl, type, member, &hit))
		return false;
	size = type_size_at(impl, hit.type, 0);
	if (!hit.bits && (size <= 0 || size > 64))
		return false;
	*bit_offset = hit.bit_offset;
	*bits = hit.bits ? hit.bits : (unsigned int)size * 8;
	return true;
}

/* The type at off behind typedefs and qualifiers; false past MAX_TYPE_DEPTH. */
static bool peel(struct lx_dwarf *dw, Dwarf_Off off, Dwarf_Off *out, Dwarf_Half *tag)
{
	Dwarf_Die die;
	Dwarf_Off next;
	int depth;
	bool more;

	for (depth = 0; depth <= MAX_TYPE_DEPTH; depth++) {
		if (!die_at(dw, off, &die))
			return false;
		*tag = 0;
		dwarf_tag(die, tag, NULL);
		more = (*tag == DW_TAG_typedef || *tag == DW_TAG_const_type ||
			*tag == DW_TAG_volatile_type || *tag == DW_TAG_restrict_type ||
			*tag == DW_TAG_atomic_type) && type_ref(dw, die, &next);
		die_free(dw, die);
		if (!more) {
			*out = off;
			return true;
		}
		off = next;
	}
	return false;
}

static bool path_in(struct lx_dwarf *dw, Dwarf_Off type, uint64_t off, struct sa_path *w,
		    int depth);

/* Inside a member that covers off: its own inner member, else "+off". */
static void path_into(struct lx_dwarf *dw, Dwarf_Off type, uint64_t off, struct sa_path *w,
		      int depth)
{
	if (!path_in(dw, type, off, w, depth) && off)
		sa_path_add(w, "+%llu", (unsigned long long)off);
}

/* Bytes a member covers from the aggregate's start: a bitfield, the bytes its bits touch. */
static bool member_span(struct lx_dwarf *dw, Dwarf_Die child, Dwarf_Off type,
			uint64_t *start, uint64_t *size)
{
	struct member_hit hit;
	long loc = 0, bytes;

	member_bits_of(dw, child, 0, &hit);
	if (hit.bits) {
		*start = hit.bit_offset / 8;
		*size = (hit.bit_offset % 8 + hit.bits + 7) / 8;
		return true;
	}
	attr_signed(dw, child, DW_AT_data_member_location, &loc);
	bytes = type_size_at(dw, type, 0);
	*start = (uint64_t)loc;
	*size = bytes > 0 ? (uint64_t)bytes : 0;
	return loc >= 0 && bytes > 0;
}

/*
 * One member DIE: true when it names off (named, covering it) or an
 * anonymous member's own member does; false to go on to the next.
 */
static bool path_in_member(struct lx_dwarf *dw, Dwarf_Die child, uint64_t off,
			   struct sa_path *w, int depth)
{
	uint64_t start, size;
	Dwarf_Off type;
	char *name;

	if (!type_ref(dw, child, &type) || !member_span(dw, child, type, &start, &size) ||
	    off < start || off - start >= size)
		return false;
	if (dwarf_diename(child, &name, NULL) != DW_DLV_OK)	/* anonymous */
		return path_in(dw, type, off - start, w, depth + 1);
	sa_path_add(w, "%s%s", w->used ? "." : "", name);
	path_into(dw, type, off - start, w, depth + 1);
	return true;
}

static bool path_in_members(struct lx_dwarf *dw, Dwarf_Off agg, uint64_t off,
			    struct sa_path *w, int depth)
{
	Dwarf_Die parent, child = NULL;
	Dwarf_Half tag;
	bool found = false;

	if (!die_at(dw, agg, &parent))
		return false;
	if (dwarf_child(parent, &child, NULL) != DW_DLV_OK)
		child = NULL;
	while (child && !found && !w->failed) {
		if (!w->budget--) {
			w->failed = true;
			break;
		}
		if (dwarf_tag(child, &tag, NULL) == DW_DLV_OK && tag == DW_TAG_member)
			found = path_in_member(dw, child, off, w, depth);
		child = next_sibling(dw, child);
	}
	die_free(dw, child);
	die_free(dw, parent);
	return found;
}

/*
 * An array element by index, "[i]", and not its members, as the BTF
 * provider names it.  pahole writes a C array of several dimensions
 * (lru_gen_struct.folios[4][2][5]) as one of all their elements, and so
 * is it indexed here: one index over every subrange.  An element that is
 * an array in turn (through a typedef) adds its own "[j]".
 */
static bool path_in_array(struct lx_dwarf *dw, Dwarf_Off array, uint64_t off,
			  struct sa_path *w, int depth)
{
	Dwarf_Off elem = 0;
	long esize = -1, n = -1;
	Dwarf_Half tag;
	Dwarf_Die die;
	uint64_t i;

	if (depth > MAX_TYPE_DEPTH || !die_at(dw, array, &die))
		return false;
	if (type_ref(dw, die, &elem)) {
		n = array_length(dw, die);
		esize = type_size_at(dw, elem, 0);
	}
	die_free(dw, die);
	if (esize <= 0 || n <= 0 || off / (uint64_t)esize >= (uint64_t)n)
		return false;
	i = off / (uint64_t)esize;
	sa_path_add(w, "[%llu]", (unsigned long long)i);
	off -= i * (uint64_t)esize;
	if (peel(dw, elem, &elem, &tag) && tag == DW_TAG_array_type &&
	    path_in_array(dw, elem, off, w, depth + 1))
		return true;
	if (off)
		sa_path_add(w, "+%llu", (unsigned long long)off);
	return true;
}

/* Append the member of the type at off covering off; false if none (a scalar, a hole). */
static bool path_in(struct lx_dwarf *dw, Dwarf_Off type, uint64_t off, struct sa_path *w,
		    int depth)
{
	Dwarf_Half tag;

	if (depth > MAX_TYPE_DEPTH || w->failed || !peel(dw, type, &type, &tag))
		return false;
	if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type)
		return path_in_members(dw, type, off, w, depth);
	if (tag == DW_TAG_array_type)
		return path_in_array(dw, type, off, w, depth);
	return false;
}

static bool dwarf_member_at(void *impl, const char *type, uint64_t offset, char *path,
			    size_t len)
{
	struct lx_dwarf *dw = impl;
	struct sa_path w;
	uint64_t off;

	if (!len || !lx_strmap_get(&dw->types, type, &off))
		return false;
	sa_path_start(&w, path, len, MEMBER_BUDGET);
	return sa_path_end(&w, path_in(dw, (Dwarf_Off)off, offset, &w, 0));
}

static bool lx_dwarf_enum_value(struct lx_dwarf *dw, const char *name, long *value)
{
	uint64_t v;

	if (!lx_strmap_get(&dw->enumerators, name, &v))
		return false;
	*value = (long)v;
	return true;
}

static long dwarf_type_size(void *impl, const char *type)
{
	return lx_dwarf_type_size(impl, type);
}

static long dwarf_member_offset(void *impl, const char *type, const char *member)
{
	return lx_dwarf_member_offset(impl, type, member);
}

static long dwarf_member_size(void *impl, const char *type, const char *member)
{
	return lx_dwarf_member_size(impl, type, member);
}

static bool dwarf_enum_value(void *impl, const char *name, long *value)
{
	return lx_dwarf_enum_value(impl, name, value);
}

static void dwarf_describe(void *impl, char *buf, size_t len)
{
	const struct lx_dwarf *dw = impl;

	snprintf(buf, len, "%zu DWARF units, %zu structs/unions, %zu enumerators indexed in %.2f s",
		 dw->units, dw->types.count, dw->enumerators.count, dw->seconds);
}

static void dwarf_close(void *impl)
{
	lx_dwarf_close(impl);
}

static const struct sa_types_ops dwarf_ops = {
	.type_size = dwarf_type_size,
	.member_offset = dwarf_member_offset,
	.member_size = dwarf_member_size,
	.member_bits = dwarf_member_bits,
	.member_at = dwarf_member_at,
	.enum_value = dwarf_enum_value,
	.describe = dwarf_describe,
	.close = dwarf_close,
};

int sa_types_open_dwarf(struct sa_types *ty, const char *vmlinux,
			void (*progress)(uint64_t units), char *err, size_t errlen)
{
	struct lx_dwarf *dw = lx_dwarf_open(vmlinux, progress, err, errlen);

	if (!dw)
		return -1;
	ty->ops = &dwarf_ops;
	ty->impl = dw;
	ty->kind = SA_TYPES_DWARF;
	return 0;
}
