// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Types from BTF through libbpf: the vmlinux's .BTF section, or the bytes
 * the kernel keeps between __start_BTF and __stop_BTF, read from the dump.
 *
 * One pass over the type section indexes every named struct and union and
 * every enumerator (first definition wins, as in the DWARF provider);
 * member lookups then walk one type's members, descending into anonymous
 * structs and unions.  libbpf validates the section when it parses it;
 * every type id and name offset taken from it is checked again here, since
 * a dump's BTF is as hostile as the rest of the dump.
 */
#define _GNU_SOURCE	/* memfd_create() */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "leakext/core.h"
#include "standalone/symbols/symtab.h"
#include "leakext/text.h"
#include "standalone/types/types.h"

#define MAX_TYPE_DEPTH 16	/* anonymous nesting and typedef chains */

/* Where btf_dump's output goes: escaped, and at most limit bytes of it. */
struct print_sink {
	FILE *out;
	size_t written, limit;
	bool cut;
};

struct btf_types {
	struct btf *btf;
	struct lx_strmap aggregates;	/* struct/union name -> type id */
	struct lx_strmap enumerators;	/* name -> value */
	uint32_t first;			/* first own type id (split BTF: past the base) */
	uint32_t ntypes;
	double seconds;
	struct btf_dump *dumper;	/* made on the first print */
	struct print_sink sink;
};

static const struct btf_type *type_at(const struct btf_types *b, uint32_t id)
{
	return id && id < b->ntypes ? btf__type_by_id(b->btf, id) : NULL;
}

static const char *name_of(const struct btf_types *b, uint32_t name_off)
{
	const char *name = btf__name_by_offset(b->btf, name_off);

	return name && *name ? name : NULL;
}

/* An enumerator's value as the DWARF provider gives it (sign-extended). */
static long enumerator_value(const struct btf_type *t, unsigned int i)
{
	if (btf_is_enum64(t))
		return (long)btf_enum64_value(&btf_enum64(t)[i]);
	if (btf_kflag(t))	/* signed enum */
		return (long)btf_enum(t)[i].val;
	return (long)(uint32_t)btf_enum(t)[i].val;	/* val is __s32 in libbpf */
}

static uint32_t enumerator_name_off(const struct btf_type *t, unsigned int i)
{
	return btf_is_enum64(t) ? btf_enum64(t)[i].name_off : btf_enum(t)[i].name_off;
}

/* The first value put for a name stays (lx_strmap_put() keeps it). */
static bool index_enumerators(struct btf_types *b, const struct btf_type *t)
{
	unsigned int i, n = btf_vlen(t);
	const char *name;

	for (i = 0; i < n; i++) {
		name = name_of(b, enumerator_name_off(t, i));
		if (name && !lx_strmap_put(&b->enumerators, name, (uint64_t)enumerator_value(t, i)))
			return false;
	}
	return true;
}

static bool index_type(struct btf_types *b, uint32_t id)
{
	const struct btf_type *t = type_at(b, id);
	const char *name;

	if (!t)
		return true;
	if (btf_is_any_enum(t))
		return index_enumerators(b, t);
	if (!btf_is_composite(t))
		return true;
	name = name_of(b, t->name_off);
	return !name || lx_strmap_put(&b->aggregates, name, id);
}

/*
 * Room in both tables for every name the types could add, so indexing
 * never rehashes.  The names are the BTF's own strings, kept as long as
 * b->btf: the tables borrow them rather than copy 20 000 of them.
 */
static bool reserve_names(struct btf_types *b)
{
	size_t aggregates = 0, enumerators = 0;
	const struct btf_type *t;
	uint32_t id;

	for (id = b->first; id < b->ntypes; id++) {
		t = type_at(b, id);
		if (t && btf_is_any_enum(t))
			enumerators += btf_vlen(t);
		else if (t && btf_is_composite(t))
			aggregates++;
	}
	b->aggregates.borrowed = true;
	b->enumerators.borrowed = true;
	return lx_strmap_reserve(&b->aggregates, aggregates) &&
	       lx_strmap_reserve(&b->enumerators, enumerators);
}

static int index_btf(struct btf_types *b, char *err, size_t errlen)
{
	uint32_t id;

	b->ntypes = btf__type_cnt(b->btf);
	if (!reserve_names(b)) {
		snprintf(err, errlen, "out of memory indexing BTF");
		return -1;
	}
	for (id = b->first; id < b->ntypes; id++) {
		if (!index_type(b, id)) {
			snprintf(err, errlen, "out of memory indexing BTF");
			return -1;
		}
	}
	if (!b->aggregates.count && b->first == 1) {
		snprintf(err, errlen, "BTF has no struct types");
		return -1;
	}
	return 0;
}

/* The type behind typedefs and qualifiers; 0 if broken or too long a chain. */
static uint32_t peel(const struct btf_types *b, uint32_t id)
{
	const struct btf_type *t;
	int depth;

	for (depth = 0; depth <= MAX_TYPE_DEPTH; depth++) {
		t = type_at(b, id);
		if (!t)
			return 0;
		if (!btf_is_typedef(t) && !btf_is_mod(t))
			return id;
		id = t->type;
	}
	return 0;
}

/* The struct or union behind typedefs and qualifiers; 0 if none. */
static uint32_t aggregate_of(const struct btf_types *b, uint32_t id)
{
	const struct btf_type *t;

	id = peel(b, id);
	t = type_at(b, id);
	return t && btf_is_composite(t) ? id : 0;
}

/*
 * Members one lookup may visit.  A kernel struct has at most a few hundred
 * reachable by name (types_compare checks that every member of every 6.1
 * struct is found within it); hostile BTF whose anonymous members point back at
 * their own struct would otherwise make a lookup take vlen^depth steps.
 */
#define MEMBER_BUDGET 4096

struct member_hit {
	long offset;		/* bytes */
	uint64_t bit_offset;	/* bits, from the start of the outer type */
	unsigned int bits;	/* a bitfield's width, 0 for a plain member */
	uint32_t type;
	unsigned int budget;	/* members still allowed to visit */
};

static bool find_member(const struct btf_types *b, uint32_t agg, const char *member,
			long base, struct member_hit *hit, int depth)
{
	const struct btf_type *t = type_at(b, agg);
	const struct btf_member *m;
	unsigned int i, n;
	const char *name;
	uint32_t inner;
	long offset;

	if (!t || !btf_is_composite(t) || depth > MAX_TYPE_DEPTH)
		return false;
	m = btf_members(t);
	n = btf_vlen(t);
	for (i = 0; i < n; i++, m++) {
		if (!hit->budget)
			return false;
		hit->budget--;
		offset = base + btf_member_bit_offset(t, i) / 8;
		name = name_of(b, m->name_off);
		if (name) {
			if (strcmp(name, member))
				continue;
			hit->offset = offset;
			hit->bit_offset = (uint64_t)base * 8 + btf_member_bit_offset(t, i);
			hit->bits = btf_member_bitfield_size(t, i);
			hit->type = m->type;
			return true;
		}
		inner = aggregate_of(b, m->type);
		if (inner && find_member(b, inner, member, offset, hit, depth + 1))
			return true;
	}
	return false;
}

static bool lookup_member(const struct btf_types *b, const char *type,
			  const char *member, struct member_hit *hit)
{
	uint64_t id;

	hit->budget = MEMBER_BUDGET;
	return lx_strmap_get(&b->aggregates, type, &id) &&
	       find_member(b, (uint32_t)id, member, 0, hit, 0);
}

static long size_of(const struct btf_types *b, uint32_t id)
{
	long long size;

	if (!type_at(b, id))
		return -1;
	size = btf__resolve_size(b->btf, id);
	return size < 0 || size > LONG_MAX ? -1 : (long)size;
}

static long btf_type_size(void *impl, const char *type)
{
	struct btf_types *b = impl;
	uint64_t id;

	return lx_strmap_get(&b->aggregates, type, &id) ? size_of(b, (uint32_t)id) : -1;
}

static long btf_member_offset(void *impl, const char *type, const char *member)
{
	struct member_hit hit;

	return lookup_member(impl, type, member, &hit) ? hit.offset : -1;
}

static long btf_member_size(void *impl, const char *type, const char *member)
{
	struct member_hit hit;

	return lookup_member(impl, type, member, &hit) ? size_of(impl, hit.type) : -1;
}

static bool btf_member_bits(void *impl, const char *type, const char *member,
			    uint64_t *bit_offset, unsigned int *bits)
{
	struct member_hit hit;
	long size;

	if (!lookup_member(impl, type, member, &hit))
		return false;
	size = size_of(impl, hit.type);
	if (!hit.bits && (size <= 0 || size > 64))
		return false;
	*bit_offset = hit.bit_offset;
	*bits = hit.bits ? hit.bits : (unsigned int)size * 8;
	return true;
}

static bool btf_enum_value(void *impl, const char *name, long *value)
{
	struct btf_types *b = impl;
	uint64_t v;

	if (!lx_strmap_get(&b->enumerators, name, &v))
		return false;
	*value = (long)v;
	return true;
}

/* Bytes member i of t covers: a bitfield covers the bytes its bits touch. */
static bool member_span(const struct btf_types *b, const struct btf_type *t,
			unsigned int i, uint64_t *start, uint64_t *size)
{
	uint32_t bits = btf_member_bit_offset(t, i);
	uint32_t width = btf_member_bitfield_size(t, i);
	long bytes;

	*start = bits / 8;
	if (width) {
		*size = (bits % 8 + width + 7) / 8;
		return true;
	}
	bytes = size_of(b, btf_members(t)[i].type);
	*size = bytes > 0 ? (uint64_t)bytes : 0;
	return bytes > 0;
}

static bool path_in(const struct btf_types *b, uint32_t id, uint64_t off,
		    struct sa_path *w, int depth);

/* Inside a member that covers off: its own inner member, else "+off". */
static void path_into(const struct btf_types *b, uint32_t id, uint64_t off,
		      struct sa_path *w, int depth)
{
	if (!path_in(b, id, off, w, depth) && off)
		sa_path_add(w, "+%llu", (unsigned long long)off);
}

static bool path_in_members(const struct btf_types *b, const struct btf_type *t,
			    uint64_t off, struct sa_path *w, int depth)
{
	const struct btf_member *m = btf_members(t);
	unsigned int i, n = btf_vlen(t);
	uint64_t start, size;
	const char *name;

	for (i = 0; i < n && !w->failed; i++, m++) {
		if (!w->budget--) {
			w->failed = true;
			break;
		}
		if (!member_span(b, t, i, &start, &size) || off < start ||
		    off - start >= size)
			continue;
		name = name_of(b, m->name_off);
		if (!name) {
			/* anonymous: a hole in it may be covered by a sibling */
			if (path_in(b, m->type, off - start, w, depth + 1))
				return true;
			continue;
		}
		sa_path_add(w, "%s%s", w->used ? "." : "", name);
		path_into(b, m->type, off - start, w, depth + 1);
		return true;
	}
	return false;
}

/*
 * An array element by index, "[i]" ("[i][j]" for arrays of arrays), and
 * not its members: gdb's ptype /o, which the crash glue reads, does not
 * expand them, and both front ends give the same names.
 */
static bool path_in_array(const struct btf_types *b, const struct btf_type *t,
			  uint64_t off, struct sa_path *w, int depth)
{
	const struct btf_array *a = btf_array(t);
	long esize = size_of(b, a->type);
	const struct btf_type *elem;
	uint64_t i;

	if (esize <= 0 || off / esize >= a->nelems)
		return false;
	i = off / esize;
	sa_path_add(w, "[%llu]", (unsigned long long)i);
	off -= i * esize;
	elem = type_at(b, peel(b, a->type));
	if (elem && btf_is_array(elem) && path_in_array(b, elem, off, w, depth + 1))
		return true;
	if (off)
		sa_path_add(w, "+%llu", (unsigned long long)off);
	return true;
}

/* Append the member of type id covering off; false if none (a scalar, a hole). */
static bool path_in(const struct btf_types *b, uint32_t id, uint64_t off,
		    struct sa_path *w, int depth)
{
	const struct btf_type *t = type_at(b, peel(b, id));

	if (!t || depth > MAX_TYPE_DEPTH || w->failed)
		return false;
	if (btf_is_composite(t))
		return path_in_members(b, t, off, w, depth);
	if (btf_is_array(t))
		return path_in_array(b, t, off, w, depth);
	return false;
}

static bool btf_member_at(void *impl, const char *type, uint64_t offset, char *path,
			  size_t len)
{
	struct btf_types *b = impl;
	struct sa_path w;
	uint64_t id;

	if (!len || !lx_strmap_get(&b->aggregates, type, &id))
		return false;
	sa_path_start(&w, path, len, MEMBER_BUDGET);
	return sa_path_end(&w, path_in(b, (uint32_t)id, offset, &w, 0));
}

static void btf_describe(void *impl, char *buf, size_t len)
{
	struct btf_types *b = impl;

	snprintf(buf, len, "%u BTF types, %zu structs/unions, %zu enumerators indexed in %.3f s",
		 b->ntypes > b->first ? b->ntypes - b->first : 0, b->aggregates.count,
		 b->enumerators.count, b->seconds);
}

static void btf_close(void *impl)
{
	struct btf_types *b = impl;

	if (!b)
		return;
	btf_dump__free(b->dumper);
	btf__free(b->btf);
	lx_strmap_free(&b->aggregates);
	lx_strmap_free(&b->enumerators);
	free(b);
}

/*
 * btf_dump's output, made safe: it prints char arrays as strings, with
 * whatever bytes the dump holds.  Its own newlines stay; every other byte
 * goes through lx_escape().
 */
static void sink_write(struct print_sink *sink, const char *text, size_t len)
{
	char safe[4 * 256 + 1];
	const char *nl;
	size_t n;

	while (len && !sink->cut) {
		if (*text == '\n') {
			n = 1;
			fputc('\n', sink->out);
			sink->written++;
		} else {
			nl = memchr(text, '\n', len);
			n = nl ? (size_t)(nl - text) : len;
			if (n > 256)
				n = 256;
			lx_escape(safe, sizeof(safe), text, n);
			fputs(safe, sink->out);
			sink->written += strlen(safe);
		}
		text += n;
		len -= n;
		if (sink->written >= sink->limit)
			sink->cut = true;
	}
}

static void sink_printf(void *ctx, const char *fmt, va_list args)
{
	struct print_sink *sink = ctx;
	char buf[1024];
	int n;

	if (sink->cut)
		return;
	n = vsnprintf(buf, sizeof(buf), fmt, args);
	if (n < 0)
		return;
	sink_write(sink, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static bool btf_print(void *impl, const char *type, const void *bytes, size_t len,
		      FILE *out)
{
	struct btf_types *b = impl;
	struct btf_dump_type_data_opts opts = {
		.sz = sizeof(opts),
		.indent_str = "  ",
		.indent_level = 1,
		.emit_zeroes = true,	/* every member, as crash's struct does */
	};
	uint64_t id;
	int ret;

	if (!lx_strmap_get(&b->aggregates, type, &id) || size_of(b, (uint32_t)id) != (long)len)
		return false;
	if (!b->dumper) {
		b->dumper = btf_dump__new(b->btf, sink_printf, &b->sink, NULL);
		if (!b->dumper)
			return false;
	}
	b->sink = (struct print_sink){ .out = out, .limit = SA_PRINT_MAX_OUTPUT };
	ret = btf_dump__dump_type_data(b->dumper, (uint32_t)id, bytes, len, &opts);
	if (b->sink.cut)
		fprintf(out, "\n  ... (cut after %u bytes of output)", SA_PRINT_MAX_OUTPUT);
	else if (ret < 0)
		fprintf(out, "\n  ... (libbpf cannot print the rest: %s)", strerror(-ret));
	fputc('\n', out);
	return true;
}

static const struct sa_types_ops btf_ops = {
	.type_size = btf_type_size,
	.member_offset = btf_member_offset,
	.member_size = btf_member_size,
	.member_bits = btf_member_bits,
	.enum_value = btf_enum_value,
	.member_at = btf_member_at,
	.print = btf_print,
	.describe = btf_describe,
	.close = btf_close,
};

/* Silence libbpf: its warnings would reach the terminal unescaped. */
static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/*
 * The header checks libbpf 1.1 leaves out: with a type section that does
 * not start on a 4-byte boundary it hands out misaligned struct btf_type
 * pointers (fuzz_btf).  Sections must also lie inside the data.
 */
static bool header_ok(const void *data, size_t size, char *err, size_t errlen)
{
	struct btf_header h;
	uint64_t body;

	if (size < sizeof(h)) {
		snprintf(err, errlen, "BTF of %zu bytes has no header", size);
		return false;
	}
	memcpy(&h, data, sizeof(h));
	if (h.magic != BTF_MAGIC || h.hdr_len < sizeof(h) || h.hdr_len > size ||
	    h.hdr_len % 4 || h.type_off % 4) {
		snprintf(err, errlen, "not BTF, or a BTF header libbpf would misread (magic %#x, header %u bytes, types at %u)",
			 h.magic, h.hdr_len, h.type_off);
		return false;
	}
	body = size - h.hdr_len;
	if ((uint64_t)h.type_off + h.type_len > body || (uint64_t)h.str_off + h.str_len > body) {
		snprintf(err, errlen, "BTF sections end past its %zu bytes", size);
		return false;
	}
	return true;
}

/* Raw BTF bytes from a dump, before libbpf sees them: a plausible size, a sound header. */
static bool raw_ok(const void *data, size_t size, size_t max, const char *what,
		   char *err, size_t errlen)
{
	if (!size || size > max) {
		snprintf(err, errlen, "%s of %zu bytes is not plausible", what, size);
		return false;
	}
	return header_ok(data, size, err, errlen);
}

/* Index a parsed BTF (taking it) into *ty; -1 with err on failure. */
static int adopt(struct sa_types *ty, struct btf *btf, enum sa_types_kind kind,
		 double start, char *err, size_t errlen)
{
	struct btf_types *b = calloc(1, sizeof(*b));
	const void *raw;
	uint32_t raw_size;

	if (!b) {
		btf__free(btf);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	b->btf = btf;
	b->first = btf__base_btf(btf) ? btf__type_cnt(btf__base_btf(btf)) : 1;
	raw = btf__raw_data(btf, &raw_size);
	if (!raw || !header_ok(raw, raw_size, err, errlen) || index_btf(b, err, errlen)) {
		if (!raw)
			snprintf(err, errlen, "out of memory");
		btf_close(b);
		return -1;
	}
	b->seconds = lx_now() - start;
	ty->ops = &btf_ops;
	ty->impl = b;
	ty->kind = kind;
	return 0;
}

int sa_types_open_btf_elf(struct sa_types *ty, const char *vmlinux,
			  char *err, size_t errlen)
{
	double start = lx_now();
	struct btf *btf;

	libbpf_set_print(quiet_libbpf);
	errno = 0;
	btf = btf__parse_elf(vmlinux, NULL);
	if (!btf) {
		snprintf(err, errlen, "no usable .BTF section (%s)",
			 errno == ENOENT ? "none in the file" : strerror(errno ? errno : EINVAL));
		return -1;
	}
	return adopt(ty, btf, SA_TYPES_BTF_VMLINUX, start, err, errlen);
}

int sa_types_open_btf_raw(struct sa_types *ty, const void *data, size_t size,
			  char *err, size_t errlen)
{
	double start = lx_now();
	struct btf *btf;

	if (!raw_ok(data, size, SA_BTF_MAX_SIZE, "BTF", err, errlen))
		return -1;
	libbpf_set_print(quiet_libbpf);
	errno = 0;
	btf = btf__new(data, (uint32_t)size);
	if (!btf) {
		snprintf(err, errlen, "BTF fails libbpf's validation (%s)",
			 strerror(errno ? errno : EINVAL));
		return -1;
	}
	return adopt(ty, btf, SA_TYPES_BTF_DUMP, start, err, errlen);
}

/*
 * btf__new_split() is not exported by libbpf 1.1 (Debian 12), only
 * btf__parse_raw_split(), which reads a file: hand it the bytes through a
 * memfd.  NULL with errno set, or with a message in err.
 */
static struct btf *new_split(const void *data, size_t size, struct btf *base,
			     char *err, size_t errlen)
{
	char path[64];
	struct btf *btf;
	int fd, saved;

	*err = '\0';
	fd = memfd_create("leakscan-module-btf", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		snprintf(err, errlen, "cannot stage module BTF in memory: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	errno = 0;
	btf = btf__parse_raw_split(path, base);
	saved = errno;
	close(fd);
	errno = saved;
	return btf;
}

int sa_types_open_btf_split(struct sa_types *ty, const struct sa_types *base,
			    const void *data, size_t size, char *err, size_t errlen)
{
	double start = lx_now();
	struct btf *btf;

	if (!base || base->ops != &btf_ops) {
		snprintf(err, errlen, "a module's BTF needs the kernel's BTF types (not --dwarf)");
		return -1;
	}
	if (!raw_ok(data, size, SA_BTF_MODULE_MAX_SIZE, "module BTF", err, errlen))
		return -1;
	libbpf_set_print(quiet_libbpf);
	btf = new_split(data, size, ((struct btf_types *)base->impl)->btf, err, errlen);
	if (!btf) {
		if (!*err)
			snprintf(err, errlen, "module BTF fails libbpf's validation (%s)",
				 strerror(errno ? errno : EINVAL));
		return -1;
	}
	return adopt(ty, btf, SA_TYPES_BTF_MODULE, start, err, errlen);
}
