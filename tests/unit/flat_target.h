/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The smallest target: one run of bytes at a fixed kernel address, a
 * "modules" symbol at its start, calloc/free, and the last message kept.
 * For parsers of dump data (module symbols) in unit tests and fuzzing.
 */
#ifndef FLAT_TARGET_H
#define FLAT_TARGET_H

#include "leakext/target.h"

#define FLAT_BASE 0xffffffffc0000000ULL

struct flat_target {
	struct lx_target target;
	const uint8_t *mem;
	size_t size;
	long live_allocs;
	char last_message[256];
};

void flat_init(struct flat_target *f, const uint8_t *mem, size_t size);

#endif
