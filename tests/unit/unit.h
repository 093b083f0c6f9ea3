/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal test harness: CHECK records failures, unit_ok() reports them. */
#ifndef UNIT_H
#define UNIT_H

#include <stdbool.h>
#include <stdio.h>

extern bool unit_failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "    %s:%d: CHECK(%s) failed\n",	\
				__FILE__, __LINE__, #cond);		\
			unit_failed = true;				\
		}							\
	} while (0)

struct unit_test {
	const char *name;
	bool (*fn)(void);
};

static inline bool unit_ok(void)
{
	return !unit_failed;
}

#endif
