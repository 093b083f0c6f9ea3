/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LEAKEXT_SET_H
#define LEAKEXT_SET_H

#include "leakext/core.h"

/* An open-addressing set of non-zero 64-bit addresses. */
struct lx_set {
	struct lx_target *t;
	uint64_t *slots;
	size_t cap, count;
};

void lx_set_init(struct lx_set *set, struct lx_target *t);
/* 1 if added, 0 if already present, -1 on allocation failure. */
int lx_set_add(struct lx_set *set, uint64_t key);
bool lx_set_has(const struct lx_set *set, uint64_t key);
void lx_set_free(struct lx_set *set);

#endif
