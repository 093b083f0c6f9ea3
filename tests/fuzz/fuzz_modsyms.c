// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The module symbol parser (src/standalone/modsyms.c) over a target whose
 * only memory is the fuzz input, mapped at MODULES_BASE.  The "modules"
 * list head sits at the start of the input; struct module and struct
 * mod_kallsyms use the offsets below.  Whatever the bytes, the parser must
 * stay inside its reads, keep names printable and bounded, and leave a
 * symbol table that answers lookups.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "leakext/core.h"
#include "standalone/modsyms.h"

#define MODULES_BASE 0xffffffffc0000000ULL

struct flat {
	const uint8_t *mem;
	size_t size;
};

static bool flat_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	const struct flat *f = priv;

	if (addr < MODULES_BASE || addr - MODULES_BASE > f->size ||
	    f->size - (addr - MODULES_BASE) < len)
		return false;
	memcpy(buf, f->mem + (addr - MODULES_BASE), len);
	return true;
}

static bool flat_symbol(void *priv, const char *name, uint64_t *addr)
{
	(void)priv;
	if (strcmp(name, "modules"))
		return false;
	*addr = MODULES_BASE;
	return true;
}

static const struct lx_target_ops flat_ops = {
	.read = flat_read,
	.symbol = flat_symbol,
};

/* 6.1-like: module.list 8, name 24; kallsyms pointer; mod_kallsyms fields. */
static const struct sa_module_layout layout = {
	.list = 8, .name = 24, .kallsyms = 96,
	.symtab = 0, .num_symtab = 8, .strtab = 16,
};

static void check_symbols(const struct lx_symtab *st)
{
	const struct lx_symbol *sym;
	uint64_t addr;
	size_t i;

	for (i = 0; i < st->count; i++) {
		sym = &st->syms[i];
		if (!sym->name || !sym->module || !*sym->name)
			fz_fail("module symbol without a name or module", NULL, 0);
		if (strlen(sym->module) > 56 || !fz_text_is_safe(sym->module, strlen(sym->module)))
			fz_fail("module name unsafe or too long", sym->module, strlen(sym->module));
		if (strlen(sym->name) >= 128)
			fz_fail("symbol name too long", sym->name, strlen(sym->name));
		if (i && st->syms[i - 1].addr > sym->addr)
			fz_fail("symbol table not sorted", NULL, 0);
		if (!lx_symtab_lookup(st, sym->name, &addr))
			fz_fail("symbol not found by name", sym->name, strlen(sym->name));
		if (!lx_symtab_containing(st, sym->addr) ||
		    lx_symtab_containing(st, sym->addr)->addr != sym->addr)
			fz_fail("symbol not found by address", sym->name, strlen(sym->name));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct flat f = { data, size };
	struct lx_target t = { .ops = &flat_ops, .priv = &f };
	struct lx_symtab st;

	memset(&st, 0, sizeof(st));
	sa_module_symbols_load(&t, &layout, &st);
	lx_symtab_finish(&st);
	check_symbols(&st);
	lx_symtab_free(&st);
	return 0;
}
