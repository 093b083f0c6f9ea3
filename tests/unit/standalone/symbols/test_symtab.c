// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the symbol table's growth (src/standalone/symbols/symtab.c). */
#include <stdio.h>
#include <string.h>

#include "standalone/symbols/symtab.h"
#include "unit.h"

#define MANY_SYMBOLS 70000	/* past one 2 MiB block of names */

static bool add_numbered(struct lx_symtab *st, unsigned int i)
{
	char name[64];

	snprintf(name, sizeof(name), "symbol_with_a_longish_name_%u", i);
	return lx_symtab_add(st, 0x1000 + 16 * (uint64_t)i, 16, name, NULL);
}

/* Symbols added before a reserve keep their addresses and names after it. */
static bool test_symtab_reserve_keeps(void)
{
	struct lx_symtab st = { 0 };
	uint64_t addr = 0;

	CHECK(lx_symtab_add(&st, 0x2000, 8, "before", "mod"));
	CHECK(lx_symtab_reserve(&st, 100000));
	CHECK(st.cap >= 100000);
	CHECK(lx_symtab_reserve(&st, 10));	/* smaller: nothing to do */
	CHECK(st.count == 1 && !strcmp(st.syms[0].name, "before") &&
	      !strcmp(st.syms[0].module, "mod") && st.syms[0].addr == 0x2000);
	CHECK(lx_symtab_add(&st, 0x1000, 8, "after", NULL));
	lx_symtab_finish(&st);
	CHECK(lx_symtab_lookup(&st, "before", &addr) && addr == 0x2000);
	CHECK(lx_symtab_lookup(&st, "after", &addr) && addr == 0x1000);
	lx_symtab_free(&st);
	return unit_ok();
}

/* Names spread over several blocks, with and without a reserve, all found. */
static bool test_symtab_many_names(void)
{
	unsigned int i, pass;
	uint64_t addr;
	char name[64];

	for (pass = 0; pass < 2; pass++) {
		struct lx_symtab st = { 0 };

		if (pass)
			CHECK(lx_symtab_reserve(&st, MANY_SYMBOLS));
		for (i = 0; i < MANY_SYMBOLS; i++)
			CHECK(add_numbered(&st, i));
		lx_symtab_finish(&st);
		CHECK(st.count == MANY_SYMBOLS);
		for (i = 0; i < MANY_SYMBOLS; i += 997) {
			snprintf(name, sizeof(name), "symbol_with_a_longish_name_%u", i);
			addr = 0;
			CHECK(lx_symtab_lookup(&st, name, &addr) &&
			      addr == 0x1000 + 16 * (uint64_t)i);
		}
		CHECK(!strcmp(lx_symtab_containing(&st, 0x1000 + 16 * 69999 + 3)->name,
			      "symbol_with_a_longish_name_69999"));
		lx_symtab_free(&st);
	}
	return unit_ok();
}

const struct unit_test symtab_tests[] = {
	{ "symtab: a reserve keeps the symbols added before it", test_symtab_reserve_keeps },
	{ "symtab: names over several blocks, reserved or grown, all found",
	  test_symtab_many_names },
	{ NULL, NULL },
};
