/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LEAKEXT_REPORT_H
#define LEAKEXT_REPORT_H

#include "leakext/slub.h"

struct lx_options {
	const char *cache;	/* NULL: rank every cache */
	bool list_live;		/* -l: live object addresses, one per line */
};

/* The leakscan command, shared by the crash extension and the program. */
int lx_leakscan(struct lx_session *s, const struct lx_options *opt);

#endif
