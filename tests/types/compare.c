// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * types_compare VMLINUX: every answer the BTF provider gives must be the
 * DWARF provider's.  Walks the vmlinux's BTF with libbpf directly (not
 * through the provider's index) and asks both providers, through the
 * sa_types interface, the size of every named struct and union, the
 * offset and size of every member reachable by name (through anonymous
 * members), and every enumerator.  Bitfield members are left out: DWARF 5
 * gives their position in bits only.  A struct name BTF defines twice, or
 * an enumerator name it gives two values, is counted apart, not compared;
 * so is what only BTF knows (the DWARF provider indexes top-level types
 * only, not those declared inside functions).
 * member_at is checked the other way round: at the first and last byte
 * DWARF gives each of a struct's own named members, BTF must name it; and
 * the two providers' member_at must give the same path at 16 offsets of
 * each struct and union.
 * Then the raw BTF, cut short at many points and with a bad magic, must
 * be refused with a message, as a dump's damaged BTF would be.
 * Prints the counts and exits 1 on any mismatch or acceptance.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "standalone/types/types.h"

struct compare {
	struct btf *btf;
	struct sa_types dwarf, btf_types;
	unsigned long compared, mismatched, ambiguous, btf_only, member_at_compared;
	struct enumerator *enumerators;	/* every one in BTF, sorted by name */
	size_t nenumerators;
};

struct enumerator {
	const char *name;
	long value;
};

static void check(struct compare *c, const char *what, const char *type,
		  const char *member, long dwarf, long btf)
{
	if (dwarf == -1 && btf != -1) {
		c->btf_only++;
		return;
	}
	c->compared++;
	if (dwarf == btf)
		return;
	if (++c->mismatched <= 400)
		printf("mismatch: %s %s%s%s: dwarf %ld, btf %ld\n", what, type,
		       member ? "." : "", member ? member : "", dwarf, btf);
}

/* Another struct or union of this name: which one is meant is not known. */
static bool ambiguous(const struct btf *btf, const char *name, unsigned int self)
{
	unsigned int id, n = btf__type_cnt(btf);
	const struct btf_type *t;

	for (id = 1; id < n; id++) {
		t = btf__type_by_id(btf, id);
		if (id != self && btf_is_composite(t) &&
		    !strcmp(btf__name_by_offset(btf, t->name_off), name))
			return true;
	}
	return false;
}

/* path names member itself: "member", "member.x", "member[3]" or "member+4". */
static bool path_is(const char *path, const char *member)
{
	size_t n = strlen(member);

	return !strncmp(path, member, n) && strchr(".[+", path[n]) && path[n] ? true :
	       !strcmp(path, member);
}

/*
 * member_at against DWARF: a struct's own named members do not overlap, so
 * at the member's first and last byte (DWARF's offset and size) BTF's
 * member_at must name it.  Zero-sized members cover nothing.
 */
static void check_member_at(struct compare *c, const char *type, const char *name)
{
	long off = sa_types_member_offset(&c->dwarf, type, name);
	long size = sa_types_member_size(&c->dwarf, type, name);
	char path[256];
	int end;

	if (off < 0 || size <= 0)
		return;
	for (end = 0; end < 2; end++) {
		long at = off + (end ? size - 1 : 0);
		bool ok = sa_types_member_at(&c->btf_types, type, at, path, sizeof(path)) &&
			  path_is(path, name);

		c->compared++;
		if (!ok && ++c->mismatched <= 400)
			printf("mismatch: member_at %s +%ld: \"%s\", not %s\n", type, at,
			       path, name);
	}
}

/*
 * A member's bits (member_bits): bit offset and width, bitfield or not.
 * Only where both providers answer: a member larger than 64 bytes has
 * none.
 */
static void check_bits(struct compare *c, const char *type, const char *name)
{
	uint64_t dwarf_off = 0, btf_off = 0;
	unsigned int dwarf_bits = 0, btf_bits = 0;
	bool dwarf = sa_types_member_bits(&c->dwarf, type, name, &dwarf_off, &dwarf_bits);
	bool btf = sa_types_member_bits(&c->btf_types, type, name, &btf_off, &btf_bits);

	/* -1: absent, as the other checks count DWARF-less answers */
	check(c, "bits found", type, name, dwarf ? 1 : -1, btf ? 1 : -1);
	if (!dwarf || !btf)
		return;
	check(c, "bit offset", type, name, (long)dwarf_off, (long)btf_off);
	check(c, "bit width", type, name, dwarf_bits, btf_bits);
}

static void compare_members(struct compare *c, const char *type, unsigned int id,
			    int depth)
{
	const struct btf_type *t = btf__type_by_id(c->btf, id);
	const struct btf_member *m = btf_members(t);
	unsigned int i;
	const char *name;
	int inner;

	for (i = 0; depth < 8 && i < btf_vlen(t); i++, m++) {
		name = btf__name_by_offset(c->btf, m->name_off);
		if (!name || !*name) {
			inner = btf__resolve_type(c->btf, m->type);
			if (inner > 0 && btf_is_composite(btf__type_by_id(c->btf, inner)))
				compare_members(c, type, inner, depth + 1);
			continue;
		}
		check_bits(c, type, name);
		if (btf_member_bitfield_size(t, i))
			continue;
		/* The member exists: the BTF provider must find it. */
		if (sa_types_member_offset(&c->btf_types, type, name) < 0)
			check(c, "found", type, name, 1, 0);
		check(c, "offset", type, name,
		      sa_types_member_offset(&c->dwarf, type, name),
		      sa_types_member_offset(&c->btf_types, type, name));
		check(c, "size", type, name,
		      sa_types_member_size(&c->dwarf, type, name),
		      sa_types_member_size(&c->btf_types, type, name));
		if (!depth && btf_is_struct(t))
			check_member_at(c, type, name);
	}
}

static const char *enumerator_name(const struct btf *btf, const struct btf_type *t,
				   unsigned int i)
{
	return btf__name_by_offset(btf, btf_is_enum64(t) ? btf_enum64(t)[i].name_off :
				   btf_enum(t)[i].name_off);
}

static long enumerator_value(const struct btf_type *t, unsigned int i)
{
	if (btf_is_enum64(t))
		return (long)btf_enum64_value(&btf_enum64(t)[i]);
	return btf_kflag(t) ? (long)btf_enum(t)[i].val : (long)(uint32_t)btf_enum(t)[i].val;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct enumerator *)a)->name,
		      ((const struct enumerator *)b)->name);
}

/* Every enumerator of the BTF, sorted by name, to find names with two values. */
static void collect_enumerators(struct compare *c)
{
	unsigned int id, i, n = btf__type_cnt(c->btf);
	const struct btf_type *t;
	size_t cap = 0;

	for (id = 1; id < n; id++) {
		t = btf__type_by_id(c->btf, id);
		for (i = 0; btf_is_any_enum(t) && i < btf_vlen(t); i++) {
			if (c->nenumerators == cap) {
				cap = cap ? 2 * cap : 4096;
				c->enumerators = realloc(c->enumerators,
							 cap * sizeof(*c->enumerators));
				if (!c->enumerators)
					abort();
			}
			c->enumerators[c->nenumerators++] = (struct enumerator){
				enumerator_name(c->btf, t, i), enumerator_value(t, i) };
		}
	}
	qsort(c->enumerators, c->nenumerators, sizeof(*c->enumerators), by_name);
}

static bool two_values(const struct compare *c, const char *name)
{
	struct enumerator key = { name, 0 }, *e;

	e = bsearch(&key, c->enumerators, c->nenumerators, sizeof(key), by_name);
	while (e > c->enumerators && !strcmp(e[-1].name, name))
		e--;
	for (; e && e + 1 < c->enumerators + c->nenumerators &&
	       !strcmp(e[1].name, name); e++)
		if (e[1].value != e[0].value)
			return true;
	return false;
}

static void compare_enumerators(struct compare *c, const struct btf_type *t)
{
	unsigned int i;
	const char *name;
	long dwarf, btf;

	for (i = 0; i < btf_vlen(t); i++) {
		name = enumerator_name(c->btf, t, i);
		if (!name || !*name)
			continue;
		if (two_values(c, name)) {
			c->ambiguous++;
			continue;
		}
		if (!sa_types_enum_value(&c->dwarf, name, &dwarf))
			dwarf = -1;
		if (!sa_types_enum_value(&c->btf_types, name, &btf))
			btf = -12345;
		check(c, "enumerator", name, NULL, dwarf, btf);
	}
}

/*
 * member_at of both providers at MEMBER_AT_SAMPLES offsets of each struct
 * (every byte of a smaller one), spread over it at varying places inside
 * a word (bitfields, arrays, padding and nested members among them): the
 * same path, or no answer from either.  libdwarf's member walk costs
 * ~0.1 ms an answer, so not every byte.
 */
#define MEMBER_AT_SAMPLES 16

static void compare_member_at(struct compare *c, const char *type, uint32_t size)
{
	char dwarf[256], btf[256];
	uint32_t k, at;
	bool d, b;

	for (k = 0; k < MEMBER_AT_SAMPLES && k < size; k++) {
		at = size <= MEMBER_AT_SAMPLES ? k :
		     (uint32_t)((uint64_t)k * size / MEMBER_AT_SAMPLES) + k % 8;
		if (at >= size)
			at = size - 1;
		d = sa_types_member_at(&c->dwarf, type, at, dwarf, sizeof(dwarf));
		b = sa_types_member_at(&c->btf_types, type, at, btf, sizeof(btf));
		c->compared++;
		c->member_at_compared++;
		if ((d == b && (!d || !strcmp(dwarf, btf))) || ++c->mismatched > 400)
			continue;
		printf("mismatch: member_at %s +%u: dwarf \"%s\", btf \"%s\"\n", type, at,
		       d ? dwarf : "(none)", b ? btf : "(none)");
	}
}

static void compare_all(struct compare *c)
{
	unsigned int id, n = btf__type_cnt(c->btf);
	const struct btf_type *t;
	const char *name;

	for (id = 1; id < n; id++) {
		t = btf__type_by_id(c->btf, id);
		if (btf_is_any_enum(t)) {
			compare_enumerators(c, t);
			continue;
		}
		name = btf__name_by_offset(c->btf, t->name_off);
		if (!btf_is_composite(t) || !name || !*name)
			continue;
		if (ambiguous(c->btf, name, id)) {
			c->ambiguous++;
			continue;
		}
		check(c, "size", name, NULL, sa_types_size(&c->dwarf, name),
		      sa_types_size(&c->btf_types, name));
		compare_members(c, name, id, 0);
		if (sa_types_size(&c->dwarf, name) == t->size)
			compare_member_at(c, name, t->size);
	}
}

/* Damaged copies of the vmlinux's raw BTF: each must be refused. */
static unsigned long check_damaged(const struct btf *btf)
{
	uint32_t size, cut;
	const uint8_t *raw = btf__raw_data(btf, &size);
	uint8_t *copy = raw ? malloc(size) : NULL;
	unsigned long accepted = 0, tried = 0;
	struct sa_types ty = { 0 };
	char err[256];

	if (!copy)
		return 1;
	memcpy(copy, raw, size);
	for (cut = 1; cut < size; cut += size / 61 + 1, tried++) {
		if (!sa_types_open_btf_raw(&ty, copy, cut, err, sizeof(err))) {
			printf("accepted: BTF cut to %u of %u bytes\n", cut, size);
			sa_types_close(&ty);
			accepted++;
		}
	}
	copy[0] ^= 0xff;	/* magic */
	if (!sa_types_open_btf_raw(&ty, copy, size, err, sizeof(err))) {
		printf("accepted: BTF with a bad magic\n");
		sa_types_close(&ty);
		accepted++;
	}
	printf("damaged BTF: %lu copies, %lu accepted (last refusal: %s)\n", tried + 1,
	       accepted, err);
	free(copy);
	return accepted;
}

int main(int argc, char **argv)
{
	struct compare c = { 0 };
	char err[512];

	if (argc != 2) {
		fprintf(stderr, "usage: types_compare VMLINUX\n");
		return 2;
	}
	c.btf = btf__parse_elf(argv[1], NULL);
	if (!c.btf || sa_types_open_dwarf(&c.dwarf, argv[1], NULL, err, sizeof(err)) ||
	    sa_types_open_btf_elf(&c.btf_types, argv[1], err, sizeof(err))) {
		fprintf(stderr, "types_compare: %s: %s\n", argv[1], c.btf ? err : "no BTF");
		return 2;
	}
	collect_enumerators(&c);
	compare_all(&c);
	c.mismatched += check_damaged(c.btf);
	printf("member_at: %lu offsets compared\n", c.member_at_compared);
	printf("compared %lu, mismatched %lu (skipped: %lu names BTF defines twice, %lu answers only BTF has)\n",
	       c.compared, c.mismatched, c.ambiguous, c.btf_only);
	free(c.enumerators);
	sa_types_close(&c.dwarf);
	sa_types_close(&c.btf_types);
	btf__free(c.btf);
	return c.mismatched ? 1 : 0;
}
