// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Module symbols from the dump.  kernel/module/kallsyms.c keeps each
 * module's symbol table with final addresses in struct mod_kallsyms; every
 * value read here comes from the dump and is bounded before use.
 */
#include <elf.h>

#include "leakext/core.h"
#include "standalone/modsyms.h"

#define MAX_MODULES 4096
#define MAX_MODULE_SYMBOLS 200000
#define MODULE_NAME_LEN 56
#define SYMBOL_NAME_MAX 128

/* One module's kallsyms. */
static void add_module_symbols(struct lx_target *t, uint64_t mod,
			       const struct sa_module_layout *ml,
			       struct lx_symtab *st)
{
	char name[MODULE_NAME_LEN + 1] = "", sym_name[SYMBOL_NAME_MAX];
	uint64_t kallsyms, symtab, strtab, i;
	uint32_t count;
	Elf64_Sym sym;

	if (!lx_read(t, mod + ml->name, name, MODULE_NAME_LEN) ||
	    !lx_read_u64(t, mod + ml->kallsyms, &kallsyms) ||
	    !lx_read_u64(t, kallsyms + ml->symtab, &symtab) ||
	    !lx_read_u32(t, kallsyms + ml->num_symtab, &count) ||
	    !lx_read_u64(t, kallsyms + ml->strtab, &strtab))
		return;
	lx_sanitize(name);
	for (i = 0; i < count && i < MAX_MODULE_SYMBOLS; i++) {
		if (!lx_read(t, symtab + i * sizeof(sym), &sym, sizeof(sym)))
			break;
		if (!sym.st_value || !sym.st_name ||
		    !lx_read_string(t, strtab + sym.st_name, sym_name, sizeof(sym_name)) ||
		    !sym_name[0])	/* a name that is empty names nothing */
			continue;
		lx_symtab_add(st, sym.st_value, sym.st_size, sym_name, name);
	}
}

static bool layout_complete(const struct sa_module_layout *ml)
{
	return ml->list >= 0 && ml->name >= 0 && ml->kallsyms >= 0 &&
	       ml->symtab >= 0 && ml->num_symtab >= 0 && ml->strtab >= 0;
}

void sa_module_symbols_load(struct lx_target *t, const struct sa_module_layout *ml,
			    struct lx_symtab *st)
{
	uint64_t head, next;
	unsigned int n = 0;

	if (!layout_complete(ml) || !t->ops->symbol(t->priv, "modules", &head))
		return;
	for (next = head; lx_read_u64(t, next, &next) && next != head &&
	     n < MAX_MODULES; n++)
		add_module_symbols(t, next - ml->list, ml, st);
}
