/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A struct's members read back from gdb's "ptype /o struct TYPE" text, to
 * answer target.h's member_at where the front end's types have no reverse
 * lookup (crash).  Paths are those member_at documents.  Memory is malloc'd (a front end keeps tables across
 * commands); the text is bounded and checked, never trusted.
 */
#ifndef LEAKEXT_PTYPE_H
#define LEAKEXT_PTYPE_H

#include <stdio.h>

#include "leakext/core.h"

struct lx_ptype;

/* The table of the ptype /o text in (size: the struct's); NULL if unusable. */
struct lx_ptype *lx_ptype_parse(FILE *in, uint64_t size);
/* The member covering off, as member_at; false if none. */
bool lx_ptype_member_at(const struct lx_ptype *t, uint64_t off, char *path, size_t len);
/*
 * A member's bits, as lx_dump_ops.member_bits: the first member named
 * name that the struct reaches directly or through anonymous members,
 * its bit offset from the struct's start and its width (a bitfield's, or
 * its size * 8); false if none.
 */
bool lx_ptype_member_bits(const struct lx_ptype *t, const char *name, uint64_t *bit_offset,
			  unsigned int *bits);
void lx_ptype_free(struct lx_ptype *t);

#endif
