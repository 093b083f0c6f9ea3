/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The standalone backend: types from BTF or DWARF (src/standalone/types/types.h),
 * symbols from the vmlinux's ELF symbol table or the dump's kallsyms and
 * from the modules in the dump, memory from libkdumpfile.
 * Only src/standalone/ and the leakscan program see it.
 */
#ifndef LEAKEXT_STANDALONE_H
#define LEAKEXT_STANDALONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A string-keyed table of 64-bit values (type indexes, symbol names).
 * Keys are copied, unless borrowed is set before the first put: then the
 * caller keeps them alive for the table's life.
 */
struct lx_strmap {
	char **keys;
	uint64_t *values;
	uint64_t *hashes;	/* each key's hash: probes compare it first */
	size_t cap, count;
	bool borrowed;
};

bool lx_strmap_put(struct lx_strmap *m, const char *key, uint64_t value);
/* Room for count keys in all, so that putting them never rehashes. */
bool lx_strmap_reserve(struct lx_strmap *m, size_t count);
bool lx_strmap_get(const struct lx_strmap *m, const char *key, uint64_t *value);
void lx_strmap_free(struct lx_strmap *m);

/* ELF symbols of vmlinux (file addresses, before KASLR). */
struct lx_symbol {
	uint64_t addr, size;
	const char *name;
	const char *module;	/* NULL for vmlinux */
};

/* Symbol names and module names, packed in large blocks. */
struct lx_string_pool {
	char *block;		/* the block being filled; a link to the previous first */
	size_t used, size;
};

struct lx_symtab {
	struct lx_symbol *syms;	/* sorted by address */
	size_t count, cap;
	size_t sorted;		/* syms[0..sorted) are sorted and in by_name */
	struct lx_strmap by_name;	/* name -> address; names borrowed from pool */
	struct lx_string_pool pool;
	char *banner;		/* linux_banner as in the file, if found */
};

/* vmlinux's ELF symbols, each shifted by offset (KERNELOFFSET). */
int lx_symtab_load_elf(struct lx_symtab *st, const char *vmlinux, uint64_t offset,
		       char *err, size_t errlen);
/* vmlinux's GNU build-id as hex ("" if it has none); -1 if not an ELF vmlinux. */
int lx_elf_build_id(const char *vmlinux, char *hex, size_t len, char *err,
		    size_t errlen);
/* Room for count symbols in all, so that adding them never moves the table. */
bool lx_symtab_reserve(struct lx_symtab *st, size_t count);
/* Add a symbol (copies the strings). */
bool lx_symtab_add(struct lx_symtab *st, uint64_t addr, uint64_t size,
		   const char *name, const char *module);
/* Drop the symbols added after the first count, before lx_symtab_finish(). */
void lx_symtab_truncate(struct lx_symtab *st, size_t count);
/* Move the symbols added from index first on (not yet indexed) by delta. */
void lx_symtab_shift(struct lx_symtab *st, size_t first, uint64_t delta);
/* The address of name among the symbols added from index first on (not yet indexed). */
bool lx_symtab_find_unindexed(const struct lx_symtab *st, size_t first, const char *name,
			      uint64_t *addr);
/* Sort and index what was added since the last call; call before lookups. */
void lx_symtab_finish(struct lx_symtab *st);
bool lx_symtab_lookup(const struct lx_symtab *st, const char *name, uint64_t *addr);
const struct lx_symbol *lx_symtab_containing(const struct lx_symtab *st, uint64_t addr);
void lx_symtab_free(struct lx_symtab *st);

#endif
