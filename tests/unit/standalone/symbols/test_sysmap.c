// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the System.map reader (src/standalone/symbols/sysmap.c). */
#include <stdio.h>
#include <string.h>

#include "standalone/symbols/sysmap.h"
#include "unit.h"

#define OFFSET 0x4a24dba00000ULL

static int read_text(struct lx_symtab *st, const char *text, struct sa_sysmap_stats *stats,
		     char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret = sa_sysmap_read(st, f, "map", OFFSET, stats, err, errlen);

	fclose(f);
	lx_symtab_finish(st);
	return ret;
}

static bool test_symbols_shifted(void)
{
	static const char text[] =
		"0000000000000000 A _kernel_flags_le_lo32\n"
		"000000000001ff00 d cached_stacks\n"
		"ffff800008000000 T _text\n"
		"ffff800008010000 t $x\n"
		"ffff800008010000 T _stext\n"
		"ffff800009a2c340 D slab_caches\n"
		"ffff800009a2c350 d __func__.1\n"
		"                 U undefined_here\n"
		"ffff800009ab0000 B _end\r\n";
	struct lx_symtab st = { 0 };
	struct sa_sysmap_stats stats;
	char err[200] = "";
	uint64_t addr;

	CHECK(read_text(&st, text, &stats, err, sizeof(err)) == 0);
	CHECK(stats.lines == 9 && stats.added == 6 && stats.malformed == 1);
	/* a zero-based per-cpu offset: KASLR does not move it */
	CHECK(lx_symtab_lookup(&st, "cached_stacks", &addr) && addr == 0x1ff00);
	CHECK(lx_symtab_lookup(&st, "_stext", &addr) && addr == 0xffff800008010000ULL + OFFSET);
	CHECK(lx_symtab_lookup(&st, "slab_caches", &addr) &&
	      addr == 0xffff800009a2c340ULL + OFFSET);
	CHECK(lx_symtab_lookup(&st, "__func__.1", &addr));
	CHECK(lx_symtab_lookup(&st, "_end", &addr) && addr == 0xffff800009ab0000ULL + OFFSET);
	/* absolute symbols and arm64's mapping symbols are not addresses */
	CHECK(!lx_symtab_lookup(&st, "_kernel_flags_le_lo32", &addr));
	CHECK(!lx_symtab_lookup(&st, "$x", &addr));
	lx_symtab_free(&st);
	return unit_ok();
}

/* Debian's image package: one line that says where the real one is. */
static bool test_placeholder_quoted(void)
{
	static const char text[] =
		"ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n";
	struct lx_symtab st = { 0 };
	struct sa_sysmap_stats stats;
	char err[300] = "";

	CHECK(sa_sysmap_looks_like(text, strlen(text)));
	CHECK(read_text(&st, text, &stats, err, sizeof(err)) == -1);
	CHECK(strstr(err, "no kernel symbol in its 1 line(s)") &&
	      strstr(err, "The real System.map is in the linux-image-<version>-dbg package"));
	lx_symtab_free(&st);
	return unit_ok();
}

/* Control bytes never reach a name, nor a message unescaped; long lines are skipped. */
static bool test_hostile_lines(void)
{
	char text[4096];
	struct lx_symtab st = { 0 };
	struct sa_sysmap_stats stats;
	char err[300] = "";
	uint64_t addr;
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), "ffff800008000000 T bad\033[2Jname\n");
	memset(text + n, 'a', 2000);
	n += 2000;
	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "\nffff800008000000 T after_long\n12345 T short_address\n");
	CHECK(read_text(&st, text, &stats, err, sizeof(err)) == 0);
	CHECK(stats.added == 1 && stats.malformed == 3);
	CHECK(lx_symtab_lookup(&st, "after_long", &addr));
	lx_symtab_free(&st);
	memset(&st, 0, sizeof(st));
	CHECK(read_text(&st, "ffffffffffffffff B \033[2J x\n", &stats, err, sizeof(err)) == -1);
	CHECK(!strchr(err, '\033'));
	lx_symtab_free(&st);
	CHECK(!sa_sysmap_looks_like("ELF\n", 4));
	CHECK(!sa_sysmap_looks_like("ffff800008000000 T no_newline", 29));
	return unit_ok();
}

/* /proc/kallsyms: module symbols with their module; kptr_restrict's zeros counted. */
static bool test_proc_kallsyms(void)
{
	static const char text[] =
		"ffffffff81000000 T _text\n"
		"ffffffff82a0c340 D slab_caches\n"
		"ffffffffc0101230 t fk_handler\t[fk_mod]\n"
		"ffffffffc0102000 d leaked\t[leak_schedstat]\n"
		"ffffffffc0103000 t bad\t[mod\033]\n"
		"ffffffffc0104000 t bad2\t(mod)\n";
	static const char hidden[] =
		"0000000000000000 T _text\n"
		"0000000000000000 D slab_caches\n";
	struct lx_symtab st = { 0 };
	struct sa_sysmap_stats stats;
	const struct lx_symbol *sym;
	char err[300] = "";
	uint64_t addr;

	CHECK(read_text(&st, text, &stats, err, sizeof(err)) == 0);
	CHECK(stats.added == 4 && stats.modules == 2 && stats.malformed == 2);
	CHECK(lx_symtab_lookup(&st, "slab_caches", &addr) && addr == 0xffffffff82a0c340ULL + OFFSET);
	sym = lx_symtab_containing(&st, 0xffffffffc0102000ULL + OFFSET);
	CHECK(sym && !strcmp(sym->name, "leaked") && sym->module &&
	      !strcmp(sym->module, "leak_schedstat"));
	sym = lx_symtab_containing(&st, 0xffffffff81000010ULL + OFFSET);
	CHECK(sym && !strcmp(sym->name, "_text") && !sym->module);
	lx_symtab_free(&st);
	memset(&st, 0, sizeof(st));
	CHECK(read_text(&st, hidden, &stats, err, sizeof(err)) == -1);
	CHECK(stats.added == 0 && stats.hidden == 2);
	lx_symtab_free(&st);
	return unit_ok();
}

const struct unit_test sysmap_tests[] = {
	{ "sysmap: /proc/kallsyms's module symbols; hidden addresses counted",
	  test_proc_kallsyms },
	{ "sysmap: symbols shifted by KERNELOFFSET; absolute and $x left out",
	  test_symbols_shifted },
	{ "sysmap: Debian's placeholder System.map is quoted", test_placeholder_quoted },
	{ "sysmap: control bytes, long lines and short addresses are skipped",
	  test_hostile_lines },
	{ NULL, NULL },
};
