// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Module symbols from the dump.  kernel/module/kallsyms.c keeps each
 * module's symbol table with final addresses in struct mod_kallsyms; every
 * value read here comes from the dump and is bounded before use.
 */
#include <elf.h>

#include "leakext/core.h"
#include "base/set.h"
#include "standalone/symbols/modsyms.h"

#define MAX_MODULES 4096
#define MAX_MODULE_SYMBOLS 200000
/* All modules together: far above any real kernel, far below 4096 x 200000. */
#define MAX_ALL_MODULE_SYMBOLS 2000000
#define MODULE_NAME_LEN 56
#define SYMBOL_NAME_MAX 128

/* A module's ElfW(Sym): Elf32_Sym on a 32-bit kernel, else Elf64_Sym. */
struct module_symbol {
	uint32_t st_name;
	uint64_t st_value, st_size;
};

static bool read_module_symbol(struct lx_target *t, uint64_t symtab, uint64_t i,
			       struct module_symbol *sym)
{
	Elf64_Sym s64;
	Elf32_Sym s32;

	if (lx_word_size(t) == 4) {
		if (!lx_read(t, symtab + i * sizeof(s32), &s32, sizeof(s32)))
			return false;
		*sym = (struct module_symbol){ s32.st_name, s32.st_value, s32.st_size };
		return true;
	}
	if (!lx_read(t, symtab + i * sizeof(s64), &s64, sizeof(s64)))
		return false;
	*sym = (struct module_symbol){ s64.st_name, s64.st_value, s64.st_size };
	return true;
}

/* One module's kallsyms; *budget is what all modules may still add. */
static void add_module_symbols(struct lx_target *t, uint64_t mod,
			       const struct sa_module_layout *ml,
			       struct lx_symtab *st, uint32_t *budget)
{
	char name[MODULE_NAME_LEN + 1] = "", sym_name[SYMBOL_NAME_MAX];
	uint64_t kallsyms, symtab, strtab, i;
	uint32_t count;
	struct module_symbol sym;

	if (!lx_read(t, mod + ml->name, name, MODULE_NAME_LEN) ||
	    !lx_read_word(t, mod + ml->kallsyms, &kallsyms) ||
	    !lx_read_word(t, kallsyms + ml->symtab, &symtab) ||
	    !lx_read_u32(t, kallsyms + ml->num_symtab, &count) ||
	    !lx_read_word(t, kallsyms + ml->strtab, &strtab))
		return;
	lx_sanitize(name);
	for (i = 0; i < count && i < MAX_MODULE_SYMBOLS && *budget; i++, (*budget)--) {
		if (!read_module_symbol(t, symtab, i, &sym))
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

/*
 * Every module on the modules list, each once: a list bent back into
 * itself, or longer than any kernel loads, stops with a warning.
 */
void sa_module_symbols_load(struct lx_target *t, const struct sa_module_layout *ml,
			    struct lx_symtab *st)
{
	uint32_t budget = MAX_ALL_MODULE_SYMBOLS;
	struct lx_set seen;
	uint64_t head, next;
	unsigned int n = 0;

	if (!layout_complete(ml) || !lx_symbol(t, "modules", &head))
		return;
	lx_set_init(&seen, t);
	for (next = head; lx_read_word(t, next, &next) && next != head; n++) {
		if (n >= MAX_MODULES || lx_set_add(&seen, next) != 1 || !budget) {
			lx_msg(t, LX_MSG_WARN,
			       "the modules list loops or is too long; module symbols read from %u modules only",
			       n);
			break;
		}
		add_module_symbols(t, next - ml->list, ml, st, &budget);
	}
	lx_set_free(&seen);
}
