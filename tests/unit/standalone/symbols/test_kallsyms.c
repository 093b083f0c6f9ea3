// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the kallsyms decoder (src/standalone/symbols/kallsyms.c) on
 * synthetic tables laid out in a flat target's memory the way
 * scripts/kallsyms lays them out in the kernel image.
 */
#include <stdlib.h>
#include <string.h>

#include "flat_target.h"
#include "standalone/symbols/kallsyms.h"
#include "unit.h"

#define BASE FLAT_BASE
#define NUM_SYMS 0x0
#define RELATIVE_BASE 0x8
#define TOKEN_INDEX 0x10
#define TOKEN_TABLE 0x400
#define VALUES 0x1000			/* kallsyms_offsets or _addresses */
#define NAMES 0x80000
#define MEM_SIZE (1 << 20)
#define TEXT 0xffffffff81000000ULL	/* _stext; the relative base */

static uint8_t mem[MEM_SIZE];

/* Tokens 0x80..: what scripts/kallsyms would have merged. */
static const char *const multi_tokens[] = {
	"Tks_",		/* a type letter merged with a prefix, as before 6.2 */
	"_func", "data", "\x01", "",
};
#define NMULTI (sizeof(multi_tokens) / sizeof(multi_tokens[0]))

struct ksym {
	const char *text;	/* type letter, then the name */
	uint64_t addr;
};

struct tables {
	size_t names_len;	/* bytes of the names stream */
	uint32_t count;
};

static void put16(size_t off, uint16_t v)
{
	memcpy(mem + off, &v, 2);
}

static void put32(size_t off, uint32_t v)
{
	memcpy(mem + off, &v, 4);
}

static void put64(size_t off, uint64_t v)
{
	memcpy(mem + off, &v, 8);
}

/* Token c: a printable character is itself, 0x80.. the merged ones. */
static const char *token_text(unsigned int c, char *one)
{
	if (c >= 0x80 && c - 0x80 < NMULTI)
		return multi_tokens[c - 0x80];
	one[0] = c >= ' ' && c < 0x7f ? c : 'z';
	one[1] = '\0';
	return one;
}

static void put_tokens(void)
{
	size_t off = 0;
	unsigned int c;
	char one[2];

	for (c = 0; c < 256; c++) {
		const char *t = token_text(c, one);

		put16(TOKEN_INDEX + 2 * c, off);
		memcpy(mem + TOKEN_TABLE + off, t, strlen(t) + 1);
		off += strlen(t) + 1;
	}
}

/* The token codes of text: merged tokens where they fit, else characters. */
static size_t encode(const char *text, uint8_t *codes)
{
	size_t n = 0, i;

	while (*text) {
		for (i = 0; i < NMULTI; i++) {
			size_t len = strlen(multi_tokens[i]);

			if (len && !strncmp(text, multi_tokens[i], len))
				break;
		}
		if (i < NMULTI) {
			codes[n++] = 0x80 + i;
			text += strlen(multi_tokens[i]);
		} else {
			codes[n++] = (uint8_t)*text++;
		}
	}
	return n;
}

/* One [len][codes] record at off; returns its size. */
static size_t put_record(size_t off, const uint8_t *codes, size_t n)
{
	size_t hdr = 1;

	if (n < 0x80) {
		mem[off] = n;
	} else {
		mem[off] = 0x80 | (n & 0x7f);
		mem[off + 1] = n >> 7;
		hdr = 2;
	}
	memcpy(mem + off + hdr, codes, n);
	return hdr + n;
}

static size_t put_names(const struct ksym *syms, uint32_t count)
{
	static uint8_t codes[0x8000];
	size_t off = NAMES;
	uint32_t i;

	for (i = 0; i < count; i++)
		off += put_record(off, codes, encode(syms[i].text, codes));
	return off - NAMES;
}

/* Offsets as the layout stores them. */
static void put_values(const struct ksym *syms, uint32_t count,
		       enum sa_kallsyms_layout layout)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		uint64_t addr = syms[i].addr;

		switch (layout) {
		case SA_KALLSYMS_ABSOLUTE:
			put64(VALUES + 8 * i, addr);
			break;
		case SA_KALLSYMS_BASE_RELATIVE:
			put32(VALUES + 4 * i, addr - TEXT);
			break;
		case SA_KALLSYMS_ABSOLUTE_PERCPU:
			put32(VALUES + 4 * i, addr < TEXT ? addr : TEXT - 1 - addr);
			break;
		default:
			put32(VALUES + 4 * i, addr - (BASE + VALUES + 4 * i));
		}
	}
}

/* The tables for syms, and where VMCOREINFO would say they are. */
static struct tables build(const struct ksym *syms, uint32_t count,
			   enum sa_kallsyms_layout layout, struct sa_kallsyms_addrs *a)
{
	struct tables tb = { .count = count };

	memset(mem, 0, sizeof(mem));
	memset(a, 0, sizeof(*a));
	put32(NUM_SYMS, count);
	put64(RELATIVE_BASE, TEXT);
	put_tokens();
	put_values(syms, count, layout);
	tb.names_len = put_names(syms, count);
	a->names = BASE + NAMES;
	a->num_syms = BASE + NUM_SYMS;
	a->token_table = BASE + TOKEN_TABLE;
	a->token_index = BASE + TOKEN_INDEX;
	if (layout == SA_KALLSYMS_ABSOLUTE) {
		a->addresses = BASE + VALUES;
	} else {
		a->offsets = BASE + VALUES;
		if (layout != SA_KALLSYMS_PC_RELATIVE)
			a->relative_base = BASE + RELATIVE_BASE;
	}
	a->anchors[0] = (struct sa_kallsyms_anchor){ "_stext", TEXT };
	a->anchors[1] = (struct sa_kallsyms_anchor){ "init_uts_ns", TEXT + 0x1600000 };
	a->anchors[2] = (struct sa_kallsyms_anchor){ "swapper_pg_dir", TEXT + 0x1400000 };
	a->nanchors = 3;
	return tb;
}

static const struct ksym kernel[] = {
	{ "Afixed_percpu_data", 0 },
	{ "Dcpu_number", 0x1f0a4 },
	{ "T_stext", TEXT },
	{ "Tks_func", TEXT + 0x10 },
	{ "tks__func", TEXT + 0x40 },
	{ "Dinit_uts_ns", TEXT + 0x1600000 },
	{ "dks_data", TEXT + 0x1600100 },
	{ "Bks_bss", TEXT + 0x2000000 },
};
#define NKERNEL (sizeof(kernel) / sizeof(kernel[0]))

/* st holds exactly syms (from index first), names and addresses. */
static bool same_symbols(const struct lx_symtab *st, const struct ksym *syms,
			 size_t count, size_t first)
{
	size_t i;

	if (st->count != first + count)
		return false;
	for (i = 0; i < count; i++) {
		const struct lx_symbol *sym = &st->syms[first + i];

		if (strcmp(sym->name, syms[i].text + 1) || sym->addr != syms[i].addr ||
		    sym->size || sym->module)
			return false;
	}
	return true;
}

static int load(const struct sa_kallsyms_addrs *a, size_t size, struct lx_symtab *st,
		struct sa_kallsyms_stats *stats, char *err, size_t errlen)
{
	struct flat_target f;

	flat_init(&f, mem, size);
	err[0] = '\0';
	return sa_kallsyms_load_stats(&f.target, a, st, stats, err, errlen);
}

/* Decodes syms stored in layout; the layout is told, not guessed. */
static bool decodes_as(const struct ksym *syms, uint32_t count,
		       enum sa_kallsyms_layout layout)
{
	struct sa_kallsyms_stats stats;
	struct sa_kallsyms_addrs a;
	struct lx_symtab st = { 0 };
	char err[256];

	build(syms, count, layout, &a);
	CHECK(load(&a, MEM_SIZE, &st, &stats, err, sizeof(err)) == 0);
	CHECK(!err[0]);
	CHECK(stats.layout == layout);
	CHECK(stats.num_syms == count && stats.added == count);
	CHECK(stats.anchors_found == 2 && stats.anchors_matched == 2);
	CHECK(!stats.bad_names && !stats.long_names);
	CHECK(same_symbols(&st, syms, count, 0));
	lx_symtab_free(&st);
	return unit_ok();
}

/* The kernel without absolute per-cpu symbols: they move with the rest. */
static const struct ksym *relocatable(void)
{
	static struct ksym syms[NKERNEL];
	size_t i;

	memcpy(syms, kernel, sizeof(syms));
	for (i = 0; i < NKERNEL; i++)
		if (syms[i].addr < TEXT)
			syms[i].addr += TEXT + 0x3000000;
	return syms;
}

static bool test_base_relative(void)
{
	return decodes_as(relocatable(), NKERNEL, SA_KALLSYMS_BASE_RELATIVE);
}

static bool test_absolute_percpu(void)
{
	return decodes_as(kernel, NKERNEL, SA_KALLSYMS_ABSOLUTE_PERCPU);
}

static bool test_absolute_addresses(void)
{
	return decodes_as(kernel, NKERNEL, SA_KALLSYMS_ABSOLUTE);
}

static bool test_pc_relative(void)
{
	return decodes_as(relocatable(), NKERNEL, SA_KALLSYMS_PC_RELATIVE);
}

/* A name of n characters 'a'..'z', with the type letter 'T' in front. */
static char *long_text(size_t n)
{
	char *s = malloc(n + 2);
	size_t i;

	s[0] = 'T';
	for (i = 0; i < n; i++)
		s[i + 1] = 'a' + i % 26;
	s[n + 1] = '\0';
	return s;
}

/*
 * Records of 128+ tokens take a 2-byte length (73bbb94466fd, 6.1): one of
 * 200 tokens decodes, one of 600 characters is longer than KSYM_NAME_LEN
 * and is skipped, and the records after both decode.
 */
static bool test_big_lengths(void)
{
	char *big = long_text(199), *huge = long_text(600), *max = long_text(511);
	struct ksym syms[] = {
		{ "T_stext", TEXT }, { big, TEXT + 0x100 }, { huge, TEXT + 0x200 },
		{ max, TEXT + 0x300 }, { "Dinit_uts_ns", TEXT + 0x1600000 },
	};
	struct sa_kallsyms_stats stats;
	struct sa_kallsyms_addrs a;
	struct lx_symtab st = { 0 };
	char err[256];

	build(syms, 5, SA_KALLSYMS_BASE_RELATIVE, &a);
	CHECK(mem[NAMES + 8] == (0x80 | (200 & 0x7f)) && mem[NAMES + 9] == 1);
	CHECK(load(&a, MEM_SIZE, &st, &stats, err, sizeof(err)) == 0);
	CHECK(stats.long_names == 1 && stats.added == 4);
	CHECK(st.count == 4 && !strcmp(st.syms[1].name, big + 1) &&
	      st.syms[1].addr == TEXT + 0x100);
	CHECK(!strcmp(st.syms[2].name, max + 1) && strlen(st.syms[2].name) == 511);
	CHECK(!strcmp(st.syms[3].name, "init_uts_ns") && st.syms[3].addr == TEXT + 0x1600000);
	lx_symtab_free(&st);
	free(big);
	free(huge);
	free(max);
	return unit_ok();
}

/* Empty names and names with a control byte are skipped and counted. */
static bool test_bad_names(void)
{
	struct ksym syms[] = {
		{ "T_stext", TEXT }, { "Tbad\x01name", TEXT + 0x10 }, { "T", TEXT + 0x20 },
		{ "", TEXT + 0x30 }, { "T has space", TEXT + 0x40 },
		{ "Dinit_uts_ns", TEXT + 0x1600000 },
	};
	struct sa_kallsyms_stats stats;
	struct sa_kallsyms_addrs a;
	struct lx_symtab st = { 0 };
	char err[256];

	build(syms, 6, SA_KALLSYMS_BASE_RELATIVE, &a);
	CHECK(load(&a, MEM_SIZE, &st, &stats, err, sizeof(err)) == 0);
	CHECK(stats.bad_names == 4 && stats.added == 2 && st.count == 2);
	CHECK(!strcmp(st.syms[1].name, "init_uts_ns") && st.syms[1].addr == TEXT + 0x1600000);
	lx_symtab_free(&st);
	return unit_ok();
}

/* A load that fails leaves st as it was; one that works appends. */
static bool fails_with(const struct sa_kallsyms_addrs *a, size_t size, const char *what)
{
	struct lx_symtab st = { 0 };
	char err[256];

	lx_symtab_add(&st, 0x1234, 8, "before", "mod");
	CHECK(load(a, size, &st, NULL, err, sizeof(err)) == -1);
	if (!strstr(err, what)) {
		fprintf(stderr, "    error \"%s\" does not say \"%s\"\n", err, what);
		unit_failed = true;
	}
	CHECK(st.count == 1 && !strcmp(st.syms[0].name, "before") &&
	      st.syms[0].addr == 0x1234);
	lx_symtab_free(&st);
	return unit_ok();
}

static bool test_corrupt_counts(void)
{
	struct sa_kallsyms_addrs a;
	struct tables tb = build(kernel, NKERNEL, SA_KALLSYMS_ABSOLUTE_PERCPU, &a);
	char what[128];

	put32(NUM_SYMS, 0);
	fails_with(&a, MEM_SIZE, "kallsyms_num_syms at 0xffffffffc0000000 is 0");
	put32(NUM_SYMS, 5 << 20);
	fails_with(&a, MEM_SIZE, "is 5242880 (corrupt");
	/* More symbols than the stream holds: it runs out of the dump. */
	memset(mem + NAMES + tb.names_len, 0x7f, MEM_SIZE - NAMES - tb.names_len);
	put32(NUM_SYMS, 10000);
	fails_with(&a, MEM_SIZE, "kallsyms_names (at 0xffffffffc0080000) is not in the dump from 0xffffffffc0100000 on");
	/* The last entry of kallsyms_offsets is past the end of memory. */
	put32(NUM_SYMS, MEM_SIZE / 4);
	fails_with(&a, MEM_SIZE, "kallsyms_offsets (1048576 bytes at 0xffffffffc0001000): its last entry, at 0xffffffffc0100ffc, is not in the dump");
	/* A stream cut one byte short. */
	put32(NUM_SYMS, NKERNEL);
	snprintf(what, sizeof(what), "is not in the dump from %#llx on",
		 (unsigned long long)(BASE + NAMES + tb.names_len - 1));
	fails_with(&a, NAMES + tb.names_len - 1, what);
	return unit_ok();
}

static bool test_corrupt_tokens(void)
{
	struct sa_kallsyms_addrs a;

	build(kernel, NKERNEL, SA_KALLSYMS_ABSOLUTE_PERCPU, &a);
	/* Token 7 points into 600 bytes with no NUL. */
	memset(mem + 0x8000, 'x', 600);
	put16(TOKEN_INDEX + 14, 0x8000 - TOKEN_TABLE);
	fails_with(&a, MEM_SIZE, "token 7 (at offset 31744) has no end within 512 bytes");
	/* The table runs past the end of memory. */
	build(kernel, NKERNEL, SA_KALLSYMS_ABSOLUTE_PERCPU, &a);
	a.token_table = BASE + MEM_SIZE - 0x100;
	fails_with(&a, MEM_SIZE, "kallsyms_token_table (");
	a.token_index = BASE + MEM_SIZE - 0x100;
	fails_with(&a, MEM_SIZE, "kallsyms_token_index (512 bytes at 0xffffffffc00fff00) is not in the dump from 0xffffffffc0100000 on");
	return unit_ok();
}

/* A flat target with a hole: reads that touch [hole, hole_end) fail. */
struct holey {
	struct flat_target flat;
	uint64_t hole, hole_end;
	struct lx_dump_ops ops;
};

static bool holey_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	struct holey *h = priv;

	if (addr + len < addr) {
		fprintf(stderr, "    a read wraps around the address space at %#llx\n",
			(unsigned long long)addr);
		unit_failed = true;
		return false;
	}
	if (addr < h->hole_end && addr + len > h->hole)
		return false;
	return h->flat.target.dump->read(&h->flat, addr, buf, len);
}

static int load_with_hole(const struct sa_kallsyms_addrs *a, uint64_t hole, size_t holelen,
			  struct lx_symtab *st, char *err, size_t errlen)
{
	struct holey h;
	struct lx_target t;

	flat_init(&h.flat, mem, MEM_SIZE);
	h.hole = BASE + hole;
	h.hole_end = BASE + hole + holelen;
	h.ops = *h.flat.target.dump;
	h.ops.read = holey_read;
	t.dump = &h.ops;
	t.dump_priv = &h;
	return sa_kallsyms_load(&t, a, st, err, errlen);
}

static bool hole_says(const struct sa_kallsyms_addrs *a, uint64_t hole, const char *what)
{
	struct lx_symtab st = { 0 };
	char err[256] = "";

	CHECK(load_with_hole(a, hole, 4096, &st, err, sizeof(err)) == -1);
	if (!strstr(err, what)) {
		fprintf(stderr, "    error \"%s\" does not say \"%s\"\n", err, what);
		unit_failed = true;
	}
	CHECK(st.count == 0);
	lx_symtab_free(&st);
	return unit_ok();
}

/* Many symbols: records straddle the read batches, and pages are missing. */
static struct ksym *many_symbols(uint32_t count)
{
	struct ksym *syms = calloc(count, sizeof(*syms));
	static char texts[20000][48];
	uint32_t i;

	for (i = 0; i < count; i++) {
		snprintf(texts[i], sizeof(texts[i]), "%cks_sym_%u%s", i % 3 ? 't' : 'D', i,
			 i % 7 ? "" : "_func_with_a_longer_name");
		syms[i].text = texts[i];
		syms[i].addr = TEXT + 0x10ULL * i;
	}
	syms[0].text = "T_stext";
	syms[count / 2].text = "Dinit_uts_ns";
	syms[count / 2].addr = TEXT + 0x10ULL * (count / 2);
	return syms;
}

static bool test_batches_and_holes(void)
{
	uint32_t count = 20000;
	struct ksym *syms = many_symbols(count);
	struct sa_kallsyms_stats stats;
	struct sa_kallsyms_addrs a;
	struct lx_symtab st = { 0 };
	struct tables tb;
	char err[256];

	tb = build(syms, count, SA_KALLSYMS_ABSOLUTE_PERCPU, &a);
	a.anchors[1].addr = syms[count / 2].addr;
	CHECK(tb.names_len > 3 * 65536 && NAMES + tb.names_len < MEM_SIZE);
	CHECK(load(&a, MEM_SIZE, &st, &stats, err, sizeof(err)) == 0);
	CHECK(same_symbols(&st, syms, count, 0));
	CHECK(stats.names_bytes == tb.names_len);
	lx_symtab_free(&st);
	/* The stream ends where memory ends: batches shrink to what is there. */
	memset(&st, 0, sizeof(st));
	CHECK(load(&a, NAMES + tb.names_len, &st, &stats, err, sizeof(err)) == 0);
	CHECK(same_symbols(&st, syms, count, 0));
	lx_symtab_free(&st);
	hole_says(&a, VALUES + 0x3000,
		  "kallsyms_offsets (80000 bytes at 0xffffffffc0001000) is not in the dump from 0xffffffffc0004000 on");
	hole_says(&a, NAMES + 0x21000,
		  "kallsyms_names (at 0xffffffffc0080000) is not in the dump from 0xffffffffc00a1000 on");
	hole_says(&a, 0, "kallsyms_num_syms (4 bytes at 0xffffffffc0000000) is not in the dump from 0xffffffffc0000000 on");
	free(syms);
	return unit_ok();
}

/* The layout is the one that puts the anchors where VMCOREINFO says. */
static bool test_layout_needs_anchors(void)
{
	struct sa_kallsyms_addrs a;

	build(kernel, NKERNEL, SA_KALLSYMS_ABSOLUTE_PERCPU, &a);
	a.anchors[0].addr = TEXT + 8;
	a.anchors[1].addr = TEXT + 8;
	fails_with(&a, MEM_SIZE, "no reading puts the 2 symbols VMCOREINFO also places");
	a.anchors[0].name = "not_in_kallsyms";
	a.anchors[1].name = "nor_this";
	fails_with(&a, MEM_SIZE, "kallsyms names none of the symbols VMCOREINFO places");
	/* Offsets read both ways agree only when relative_base is 0. */
	build(kernel, 3, SA_KALLSYMS_ABSOLUTE_PERCPU, &a);
	put64(RELATIVE_BASE, 0);
	a.anchors[0] = (struct sa_kallsyms_anchor){ "cpu_number", 0x1f0a4 };
	fails_with(&a, MEM_SIZE, "more than one reading");
	/* One anchor of two off: the reading that places more wins. */
	build(kernel, NKERNEL, SA_KALLSYMS_BASE_RELATIVE, &a);
	a.anchors[1].addr = 0x42;
	{
		struct sa_kallsyms_stats stats;
		struct lx_symtab st = { 0 };
		char err[256];

		CHECK(load(&a, MEM_SIZE, &st, &stats, err, sizeof(err)) == 0);
		CHECK(stats.layout == SA_KALLSYMS_BASE_RELATIVE);
		CHECK(stats.anchors_found == 2 && stats.anchors_matched == 1);
		lx_symtab_free(&st);
	}
	return unit_ok();
}

/* What a dump's VMCOREINFO lines say, for the lookup callback. */
static const char *vmcoreinfo_lines(void *arg, const char *key)
{
	const char *const *kv = arg;

	for (; *kv; kv += 2)
		if (!strcmp(kv[0], key))
			return kv[1];
	return NULL;
}

static bool test_vmcoreinfo(void)
{
	const char *full[] = {
		"SYMBOL(kallsyms_names)", "ffffffff91b75590",
		"SYMBOL(kallsyms_num_syms)", "ffffffff91b75588",
		"SYMBOL(kallsyms_token_table)", "ffffffff91cc9d08",
		"SYMBOL(kallsyms_token_index)", "ffffffff91cca0a0",
		"SYMBOL(kallsyms_offsets)", "ffffffff91b200b0",
		"SYMBOL(kallsyms_relative_base)", "ffffffff91b75580",
		"SYMBOL(_stext)", "ffffffff90a00000",
		"SYMBOL(init_uts_ns)", "ffffffff925f9b60",
		"SYMBOL(mem_section)", "ffff8997dec8c000",
		NULL,
	};
	const char *old[] = { "SYMBOL(_stext)", "ffffffff90a00000", NULL };
	const char *bad[] = { "SYMBOL(kallsyms_names)", "ffffffff91b7559g", NULL };
	struct sa_kallsyms_addrs a;
	char err[256] = "";

	CHECK(sa_kallsyms_addrs_from_vmcoreinfo(&a, vmcoreinfo_lines, full, err, sizeof(err)) == 0);
	CHECK(a.names == 0xffffffff91b75590ULL && a.num_syms == 0xffffffff91b75588ULL &&
	      a.token_table == 0xffffffff91cc9d08ULL && a.token_index == 0xffffffff91cca0a0ULL &&
	      a.offsets == 0xffffffff91b200b0ULL && a.relative_base == 0xffffffff91b75580ULL &&
	      !a.addresses);
	CHECK(a.nanchors == 2 && !strcmp(a.anchors[0].name, "_stext") &&
	      a.anchors[0].addr == 0xffffffff90a00000ULL &&
	      !strcmp(a.anchors[1].name, "init_uts_ns"));
	CHECK(sa_kallsyms_addrs_from_vmcoreinfo(&a, vmcoreinfo_lines, old, err, sizeof(err)) == -1);
	CHECK(!strcmp(err, "the dump's VMCOREINFO has no kallsyms (kernel older than 6.0?): pass the debug vmlinux"));
	CHECK(sa_kallsyms_addrs_from_vmcoreinfo(&a, vmcoreinfo_lines, bad, err, sizeof(err)) == -1);
	CHECK(!strcmp(err, "corrupt VMCOREINFO: SYMBOL(kallsyms_names) is not a kernel address"));
	/* The decoder says the same when handed no tables. */
	memset(&a, 0, sizeof(a));
	fails_with(&a, MEM_SIZE, "has no kallsyms (kernel older than 6.0?)");
	CHECK(!strcmp(sa_kallsyms_layout_name(SA_KALLSYMS_ABSOLUTE_PERCPU), "absolute-percpu"));
	return unit_ok();
}

/* Tables at the top of the address space: no read wraps around to 0. */
static bool test_top_of_address_space(void)
{
	struct sa_kallsyms_addrs a;

	build(kernel, NKERNEL, SA_KALLSYMS_ABSOLUTE_PERCPU, &a);
	a.offsets = UINT64_MAX - 8;
	hole_says(&a, MEM_SIZE - 0x1000, "kallsyms_offsets at 0xfffffffffffffff7: 8 entries run past the end of the address space");
	build(kernel, NKERNEL, SA_KALLSYMS_ABSOLUTE_PERCPU, &a);
	a.names = UINT64_MAX - 2;
	hole_says(&a, MEM_SIZE - 0x1000, "kallsyms_names (at 0xfffffffffffffffd) is not in the dump from 0xfffffffffffffffd on");
	a.names = BASE + NAMES;
	a.token_table = UINT64_MAX - 100;
	hole_says(&a, MEM_SIZE - 0x1000, "kallsyms_token_table (");
	a.token_table = BASE + TOKEN_TABLE;
	a.token_index = UINT64_MAX - 100;
	hole_says(&a, MEM_SIZE - 0x1000, "kallsyms_token_index (512 bytes at 0xffffffffffffff9b)");
	return unit_ok();
}

const struct unit_test kallsyms_tests[] = {
	{ "kallsyms: base-relative offsets", test_base_relative },
	{ "kallsyms: absolute-percpu offsets", test_absolute_percpu },
	{ "kallsyms: absolute addresses", test_absolute_addresses },
	{ "kallsyms: PC-relative offsets", test_pc_relative },
	{ "kallsyms: 2-byte lengths, overlong names", test_big_lengths },
	{ "kallsyms: empty and unprintable names skipped", test_bad_names },
	{ "kallsyms: corrupt counts and a stream cut short", test_corrupt_counts },
	{ "kallsyms: corrupt token tables", test_corrupt_tokens },
	{ "kallsyms: batches, and pages missing from the dump", test_batches_and_holes },
	{ "kallsyms: the layout is the one the anchors confirm", test_layout_needs_anchors },
	{ "kallsyms: tables from VMCOREINFO", test_vmcoreinfo },
	{ "kallsyms: tables at the top of the address space", test_top_of_address_space },
	{ NULL, NULL }
};
