/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Module symbols read from a dump: the "modules" list and each module's
 * kallsyms.  Works over any target, so it can be tested and fuzzed without
 * a vmcore.
 */
#ifndef LEAKEXT_SA_MODSYMS_H
#define LEAKEXT_SA_MODSYMS_H

#include "standalone/symbols/symtab.h"
#include "leakext/target.h"

/* Offsets into struct module and struct mod_kallsyms. */
struct sa_module_layout {
	long list, name, kallsyms, symtab, num_symtab, strtab;
};

/*
 * Add the kallsyms of every module on the dump's "modules" list (found
 * through t's symbol lookup) to st.  Does nothing if an offset in ml is
 * absent (negative).  Call lx_symtab_finish(st) afterwards.
 */
void sa_module_symbols_load(struct lx_target *t, const struct sa_module_layout *ml,
			    struct lx_symtab *st);

#endif
