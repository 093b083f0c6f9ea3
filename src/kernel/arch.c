// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The architecture table: lookup by name for code that runs before a
 * session (the standalone backend's KASLR checks and kallsyms), and the
 * probe that gives a session its dump's architecture.  A new architecture
 * is a row here and its own file; nothing else branches on one.
 */
#include <string.h>

#include "kernel/arch_rows.h"

/* Probed in order: rows that detect first, the fallback row last. */
static const struct lx_arch *const rows[] = {
	&lx_arch_arm64,
	&lx_arch_i386,
	&lx_arch_x86_64,
};

#define NR_ROWS (sizeof(rows) / sizeof(rows[0]))

const struct lx_arch *lx_arch_find(const char *name)
{
	size_t i;

	for (i = 0; i < NR_ROWS; i++)
		if (!strcmp(rows[i]->name, name) || !strcmp(rows[i]->machine, name))
			return rows[i];
	return NULL;
}

const struct lx_arch *lx_arch_find_elf(unsigned int machine)
{
	size_t i;

	for (i = 0; i < NR_ROWS; i++)
		if (rows[i]->elf_machine == machine)
			return rows[i];
	return NULL;
}

bool lx_arch_probe(struct lx_target *t, struct lx_arch *a)
{
	size_t i;

	for (i = 0; i < NR_ROWS; i++) {
		if (rows[i]->detect && !rows[i]->detect(t))
			continue;
		*a = *rows[i];
		if (a->fill)
			a->fill(a, t);
		return true;
	}
	return false;
}
