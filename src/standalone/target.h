/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One vmcore opened by the standalone program. */
#ifndef LEAKEXT_SA_TARGET_H
#define LEAKEXT_SA_TARGET_H

#include <libkdumpfile/kdumpfile.h>

#include "leakext/standalone.h"
#include "leakext/target.h"
#include "standalone/modsyms.h"

struct sa_dump {
	const char *path;
	int fd;
	kdump_ctx_t *ctx;
	struct lx_dwarf *dwarf;		/* shared by every dump of one vmlinux */
	struct lx_symtab symbols;
	bool progress;
	unsigned int errors;
	char last_error[512];		/* the last error message, escaped */
};

extern const struct lx_target_ops sa_ops;

int sa_dump_open(struct sa_dump *d, const char *vmlinux, char *err, size_t errlen);
void sa_dump_close(struct sa_dump *d);
void sa_catch_interrupts(void);
/* One progress line on stderr, fitted to the terminal; total == done clears. */
void sa_progress_show(const char *what, const char *phase, uint64_t done,
		      uint64_t total);

#endif
