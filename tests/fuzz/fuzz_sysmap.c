// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The System.map reader (src/standalone/symbols/sysmap.c) over the fuzz
 * input as the file.  Whatever the bytes, every symbol it keeps must have a
 * printable name without spaces and be found by name and by address, a
 * module name (kallsyms's "\t[MODULE]") only of a module's characters, its
 * counts must add up, and its message must hold no unsafe byte.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz_util.h"
#include "standalone/symbols/sysmap.h"

#define OFFSET 0x200000ULL

/* /proc/kallsyms's "\t[MODULE]" tail: a kernel module's name. */
static bool module_name_ok(const char *module)
{
	size_t n = strlen(module);

	return n && n < 64 && strspn(module, "abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

static void check_symbols(const struct lx_symtab *st, const struct sa_sysmap_stats *stats)
{
	const struct lx_symbol *sym;
	uint64_t addr, modules = 0;
	size_t i, n;

	if (stats->added != st->count || stats->added + stats->malformed > stats->lines)
		fz_fail("System.map counts do not add up", NULL, 0);
	for (i = 0; i < st->count; i++) {
		sym = &st->syms[i];
		n = strlen(sym->name);
		if (!n || n >= 1024 || strchr(sym->name, ' ') || !fz_text_is_safe(sym->name, n))
			fz_fail("System.map symbol name unsafe, empty or too long", sym->name, n);
		if (sym->module && !module_name_ok(sym->module))
			fz_fail("module name empty, too long or not [A-Za-z0-9_-]", sym->name, n);
		modules += sym->module != NULL;
		if (!lx_symtab_lookup(st, sym->name, &addr))
			fz_fail("symbol not found by name", sym->name, n);
		if (!lx_symtab_containing(st, sym->addr) ||
		    lx_symtab_containing(st, sym->addr)->addr != sym->addr)
			fz_fail("symbol not found by address", sym->name, n);
	}
	if (modules != stats->modules)
		fz_fail("System.map module symbol count does not add up", NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sa_sysmap_stats stats;
	struct lx_symtab st;
	char err[256] = "";
	FILE *f;

	if (!size)
		return 0;
	memset(&st, 0, sizeof(st));
	sa_sysmap_looks_like((const char *)data, size);
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	sa_sysmap_read(&st, f, "map", OFFSET, &stats, err, sizeof(err));
	fclose(f);
	lx_symtab_finish(&st);
	check_symbols(&st, &stats);
	if (!fz_text_is_safe(err, strlen(err)))
		fz_fail("unsafe byte in a message", err, strlen(err));
	lx_symtab_free(&st);
	return 0;
}
