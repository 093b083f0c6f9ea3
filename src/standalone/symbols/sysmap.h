/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A kernel's System.map (scripts/mksysmap: "ADDRESS TYPE NAME" lines, nm
 * order): every symbol's link-time address, data included, where a
 * kernel built without CONFIG_KALLSYMS_ALL keeps only its text in
 * kallsyms (Debian's arm64 kernels).  It ships in the kernel's package,
 * not the debug one, so it is the symbol source of triage without
 * debuginfo.
 */
#ifndef LEAKEXT_SA_SYSMAP_H
#define LEAKEXT_SA_SYSMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "standalone/symbols/symtab.h"

/* What a load read. */
struct sa_sysmap_stats {
	uint64_t lines;		/* lines read */
	uint64_t added;		/* symbols added */
	uint64_t malformed;	/* lines that are not "ADDRESS TYPE NAME" */
	uint64_t hidden;	/* symbols at address 0 (kptr_restrict hides them) */
	uint64_t modules;	/* of added, module symbols ("NAME\t[MODULE]") */
};

/*
 * Does the text start like a System.map: its first line "ADDRESS TYPE
 * NAME", the address 8 or 16 hex digits?
 */
bool sa_sysmap_looks_like(const char *text, size_t len);

/*
 * Add the symbols of the System.map at path to st, each shifted by offset
 * (KERNELOFFSET); absolute and undefined symbols, and names that are not
 * printable ASCII, are left out.  /proc/kallsyms reads the same way, its
 * module symbols ("NAME\t[MODULE]") with their module.  Call lx_symtab_finish(st) afterwards.
 * Returns 0, or -1 with err set: unreadable, out of memory, or no line
 * of the file is a symbol.
 */
int sa_sysmap_load(struct lx_symtab *st, const char *path, uint64_t offset,
		   struct sa_sysmap_stats *stats, char *err, size_t errlen);
/* The same from an open stream; name is what messages call it. */
int sa_sysmap_read(struct lx_symtab *st, FILE *f, const char *name, uint64_t offset,
		   struct sa_sysmap_stats *stats, char *err, size_t errlen);

#endif
