/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who owns an object: text and packet signatures of known producers. */
#ifndef LEAKEXT_OWNER_H
#define LEAKEXT_OWNER_H

#include "slab/tracks.h"

/* Text and packet signatures of known producers (signatures.c). */
struct lx_signature {
	const char *what;	/* "/proc/schedstat" */
	const char *producer;	/* "show_schedstat() in kernel/sched/stats.c" */
	bool (*match)(const struct lx_signature *sig, const uint8_t *obj,
		      size_t len);
	const char *prefix;	/* for the text matchers */
	const char *contains;
};

const struct lx_signature *lx_signature_match(const uint8_t *obj, size_t len);

#endif
