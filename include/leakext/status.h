/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Why a core operation stopped.  Every core entry point that can fail
 * returns one of these; LX_OK is 0 so "if (ret)" still reads naturally.
 * The message that names the detail has already gone through lx_msg().
 */
#ifndef LEAKEXT_STATUS_H
#define LEAKEXT_STATUS_H

enum lx_status {
	LX_OK = 0,
	LX_ENOMEM,	/* the target's allocator failed */
	LX_EINTR,	/* the user asked to stop (^C) */
	LX_ECORRUPT,	/* dump data is implausible or contradicts itself */
	LX_EABSENT,	/* a needed type, symbol or memory is not in the dump */
	LX_EUSAGE,	/* options that are malformed or do not go together */
	LX_EINTERNAL,	/* leakext broke a rule of its own: a bug */
};

/* "out of memory", "interrupted", ... for messages and JSON. */
const char *lx_status_text(enum lx_status st);

#endif
