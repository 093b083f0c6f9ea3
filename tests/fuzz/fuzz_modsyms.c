// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The module symbol parser (src/standalone/symbols/modsyms.c) over a target whose
 * only memory is the fuzz input (tests/unit/flat_target.c).  The "modules"
 * list head sits at the start of the input; struct module and struct
 * mod_kallsyms use the offsets below.  Whatever the bytes, the parser must
 * stay inside its reads, keep names printable and bounded, and leave a
 * symbol table that answers lookups.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "flat_target.h"
#include "leakext/core.h"
#include "standalone/symbols/modsyms.h"


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
	struct flat_target f;
	struct lx_symtab st;

	memset(&st, 0, sizeof(st));
	flat_init(&f, data, size);
	sa_module_symbols_load(&f.target, &layout, &st);
	lx_symtab_finish(&st);
	check_symbols(&st);
	lx_symtab_free(&st);
	if (f.live_allocs)
		fz_fail("the parser leaked target allocations", NULL, 0);
	if (!fz_text_is_safe(f.last_message, strlen(f.last_message)))
		fz_fail("unsafe byte in a message", f.last_message, strlen(f.last_message));
	return 0;
}
