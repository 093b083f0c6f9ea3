/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What front ends call: options, their rules, and one entry that runs a
 * command against a target (target.h).  The crash extension
 * (extensions/leakext.c) and the standalone program (src/standalone/) use
 * this header and target.h; everything else is private to src/.
 */
#ifndef LEAKEXT_LEAKEXT_H
#define LEAKEXT_LEAKEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "leakext/status.h"
#include "leakext/target.h"
#include "leakext/version.h"

#define LX_JSON_SCHEMA "leakext/1"
#define LX_DEFAULT_TOP 5
#define LX_DUMP_ALL 0xffffffffu	/* -c 0 */

/* How the ranking is ordered (-s), as slabtop's sort keys. */
enum lx_sort {
	LX_SORT_BYTES,		/* live bytes, largest first (default) */
	LX_SORT_LIVE,		/* live objects */
	LX_SORT_TOTAL,		/* all objects */
	LX_SORT_SLABS,		/* slabs */
	LX_SORT_SIZE,		/* object size */
	LX_SORT_NAME,		/* name, A to Z */
};
#define LX_SORT_FIELDS "bytes, live, total, slabs, size, name"

/* The user's word on what a cache holds (--cache-type CACHE=TYPE). */
#define LX_TYPE_HINTS 4
struct lx_type_hint {
	char cache[64];
	char type[64];
};

struct lx_options {
	const char *cache;	/* NULL: rank every cache */
	bool list_live;		/* -l: live object addresses, one per line */
	bool unreferenced;	/* -u: live objects no root reaches, one per line */
	bool referrers;		/* -r: holders per cluster (the default; kept for scripts) */
	bool no_holders;	/* -H: cluster reports without holders (faster) */
	bool json;		/* -j: one JSON document */
	bool all;		/* -a: every cluster (ranking: every cache) */
	unsigned int top;	/* -n: clusters (ranking: caches) shown, 0 = default */
	enum lx_sort sort;	/* -s: ranking order */
	bool redact;		/* --redact / -R: no object content in the report */
	unsigned int cluster;	/* -k: only this cluster (1-based, 0 = all) */
	struct lx_type_hint hints[LX_TYPE_HINTS];	/* --cache-type */
	unsigned int nhints;
	/* leakdump */
	bool dump;		/* -d: hex (or -t: typed) dump of live objects */
	unsigned int count;	/* -c: objects dumped (0 = default) */
	unsigned int bytes;	/* -b: bytes per object (0 = object size) */
	const char *type;	/* -t: print as this struct type */
	/* leakrefs */
	bool refs;		/* --refs ADDR: who points into the object at address */
	uint64_t address;
	/* --allocinfo (crash: -A): every alloc tag's totals, no cache */
	bool allocinfo;
	/* --large (crash: -L): large kmalloc allocations (page allocator), no cache */
	bool large;
	const char *source;	/* dump label: "crash" or the vmcore path */
	/* Where types and symbols came from (JSON "types", "symbols"); may be NULL. */
	const char *types;	/* "btf-dump", "btf-vmlinux", "dwarf", "crash" */
	const char *symbols;	/* "kallsyms", "vmlinux", "crash" */
};

/* The options both front ends share, whatever letter each gives them. */
enum lx_option {
	LX_OPT_TOP,		/* N > 0 */
	LX_OPT_ALL,
	LX_OPT_SORT,		/* FIELD */
	LX_OPT_REDACT,
	LX_OPT_CLUSTER,		/* N > 0 */
	LX_OPT_LIST,
	LX_OPT_UNREFERENCED,
	LX_OPT_REFERRERS,
	LX_OPT_NO_HOLDERS,
	LX_OPT_CACHE_TYPE,	/* CACHE=TYPE */
	LX_OPT_JSON,
	LX_OPT_DUMP,
	LX_OPT_COUNT,		/* N >= 0; 0: all */
	LX_OPT_BYTES,		/* N > 0 */
	LX_OPT_TYPE,		/* TYPE */
	LX_OPT_REFS,		/* hexadecimal address */
	LX_OPT_ALLOCINFO,
	LX_OPT_LARGE,
};

/*
 * Set one option from its argument (NULL for a flag).  name is the option
 * as the user wrote it ("-n", "--cache-type"), for the message.  LX_OK, or
 * LX_EUSAGE with why filled and opt unchanged.
 */
enum lx_status lx_option_set(struct lx_options *opt, enum lx_option which,
			     const char *name, const char *arg, char *why, size_t len);
/* The rules between options, once all are set: LX_OK or LX_EUSAGE and why. */
enum lx_status lx_options_check(const struct lx_options *opt, char *why, size_t len);
/*
 * Does a cluster report find its clusters' holders?  Yes unless -H: who
 * holds the objects, and whether anything does, is the report's point.
 */
static inline bool lx_options_holders(const struct lx_options *opt)
{
	return !opt->no_holders;
}

/* How a command ended, for the front end. */
#define LX_MESSAGE_MAX LX_ERROR_MAX
struct lx_result {
	enum lx_status status;
	/* some answer failed its integrity checks, or a list was cut short */
	bool flagged;
	/* why status is not LX_OK: the last error the command gave, escaped */
	char message[LX_MESSAGE_MAX];
};

/*
 * Run the command opt describes against t: leakscan (a ranking, a cluster
 * report, -l or -u), leakdump (opt->dump) or leakrefs (opt->refs).  Output
 * goes to t->out, messages to the host; a JSON report is written whole or
 * not at all.  Returns res->status.
 */
enum lx_status lx_run(struct lx_target *t, const struct lx_options *opt,
		      struct lx_result *res);

/* The document for a dump that could not be analysed: source, error. */
void lx_json_error_document(FILE *out, const char *source, const char *error);

#endif
