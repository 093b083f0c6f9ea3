/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every architecture's row (src/kernel/arch_<name>.c), for arch.c's table. */
#ifndef LEAKEXT_ARCH_ROWS_H
#define LEAKEXT_ARCH_ROWS_H

#include "leakext/arch.h"

extern const struct lx_arch lx_arch_x86_64;
extern const struct lx_arch lx_arch_arm64;
extern const struct lx_arch lx_arch_i386;

#endif
