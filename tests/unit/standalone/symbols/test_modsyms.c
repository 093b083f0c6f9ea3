// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the module symbol parser (src/standalone/symbols/modsyms.c). */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "leakext/core.h"
#include "flat_target.h"
#include "standalone/symbols/modsyms.h"
#include "unit.h"

#define BASE FLAT_BASE
#define MOD 0x100		/* struct module */
#define KALLSYMS 0x180		/* struct mod_kallsyms */
#define SYMTAB 0x200
#define STRTAB 0x300
#define MEM_SIZE 0x400

static uint8_t mem[MEM_SIZE];

static const struct sa_module_layout layout = {
	.list = 8, .name = 24, .kallsyms = 96, .symtab = 0, .num_symtab = 8, .strtab = 16,
};

static void put64(size_t off, uint64_t v)
{
	memcpy(mem + off, &v, 8);
}

/* One module "fk_mod" with symbols fk_a and fk_b; its list entry's next is next. */
static void one_module(uint64_t next)
{
	static const char strs[] = "\0fk_a\0fk_b";
	Elf64_Sym sym = { .st_info = 0x12, .st_size = 0x20 };
	int i;

	memset(mem, 0, sizeof(mem));
	put64(0, BASE + MOD + 8);
	put64(MOD + 8, next);
	memcpy(mem + MOD + 24, "fk_mod", 7);
	put64(MOD + 96, BASE + KALLSYMS);
	put64(KALLSYMS, BASE + SYMTAB);
	put64(KALLSYMS + 8, 2);
	put64(KALLSYMS + 16, BASE + STRTAB);
	memcpy(mem + STRTAB, strs, sizeof(strs));
	for (i = 0; i < 2; i++) {
		sym.st_name = 1 + 5 * i;
		sym.st_value = 0xffffffffc0101000ULL + 0x100 * i;
		memcpy(mem + SYMTAB + i * sizeof(sym), &sym, sizeof(sym));
	}
}

static bool test_module_symbols(void)
{
	struct flat_target f;
	struct lx_symtab st;
	const struct lx_symbol *sym;
	uint64_t addr;

	memset(&st, 0, sizeof(st));
	flat_init(&f, mem, sizeof(mem));
	one_module(BASE);
	sa_module_symbols_load(&f.target, &layout, &st);
	lx_symtab_finish(&st);
	CHECK(st.count == 2);
	CHECK(lx_symtab_lookup(&st, "fk_b", &addr) && addr == 0xffffffffc0101100ULL);
	sym = lx_symtab_containing(&st, 0xffffffffc0101010ULL);
	CHECK(sym && !strcmp(sym->name, "fk_a") && !strcmp(sym->module, "fk_mod"));
	lx_symtab_free(&st);
	CHECK(f.live_allocs == 0);
	return unit_ok();
}

/* A symbol whose name offset points at a NUL byte is skipped. */
static bool test_empty_symbol_name(void)
{
	struct flat_target f;
	struct lx_symtab st;
	uint32_t to_nul = 5;	/* "\0fk_a\0": the NUL after fk_a */

	memset(&st, 0, sizeof(st));
	flat_init(&f, mem, sizeof(mem));
	one_module(BASE);
	memcpy(mem + SYMTAB, &to_nul, sizeof(to_nul));
	sa_module_symbols_load(&f.target, &layout, &st);
	lx_symtab_finish(&st);
	CHECK(st.count == 1 && !strcmp(st.syms[0].name, "fk_b"));
	lx_symtab_free(&st);
	CHECK(f.live_allocs == 0);
	return unit_ok();
}

/* A dump without module symbols: finishing an empty table is fine. */
static bool test_no_modules(void)
{
	struct flat_target f;
	struct lx_symtab st;

	memset(&st, 0, sizeof(st));
	flat_init(&f, mem, sizeof(mem));
	memset(mem, 0, sizeof(mem));
	put64(0, BASE);			/* empty list */
	sa_module_symbols_load(&f.target, &layout, &st);
	lx_symtab_finish(&st);
	CHECK(st.count == 0 && !lx_symtab_containing(&st, BASE));
	lx_symtab_free(&st);
	CHECK(f.live_allocs == 0);
	return unit_ok();
}

/* A module whose next link points back at itself is read once. */
static bool test_module_list_loop(void)
{
	struct flat_target f;
	struct lx_symtab st;

	memset(&st, 0, sizeof(st));
	flat_init(&f, mem, sizeof(mem));
	one_module(BASE + MOD + 8);
	sa_module_symbols_load(&f.target, &layout, &st);
	lx_symtab_finish(&st);
	CHECK(st.count == 2);
	CHECK(strstr(f.last_message, "modules list loops") != NULL);
	lx_symtab_free(&st);
	CHECK(f.live_allocs == 0);
	return unit_ok();
}

const struct unit_test modsyms_tests[] = {
	{ "module symbols from the modules list", test_module_symbols },
	{ "no module symbols: an empty table", test_no_modules },
	{ "module symbol with an empty name skipped", test_empty_symbol_name },
	{ "a module list that loops is read once", test_module_list_loop },
	{ NULL, NULL }
};
