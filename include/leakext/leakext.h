/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The commands, as the front ends call them: the crash extension
 * (extensions/leakext.c) and the standalone program (src/standalone/).
 * Everything else about reports is private to src/ (report_internal.h).
 */
#ifndef LEAKEXT_LEAKEXT_H
#define LEAKEXT_LEAKEXT_H

#include "slub/slub.h"
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

struct lx_options {
	const char *cache;	/* NULL: rank every cache */
	bool list_live;		/* -l: live object addresses, one per line */
	bool unreferenced;	/* -u: live objects no root reaches, one per line */
	bool referrers;		/* -r: holders and unreferenced counts per cluster */
	bool json;		/* -j: one JSON document */
	bool all;		/* -a: every cluster (ranking: every cache) */
	unsigned int top;	/* -n: clusters (ranking: caches) shown, 0 = default */
	enum lx_sort sort;	/* -s: ranking order */
	bool redact;		/* --redact / -R: no object content in the report */
	unsigned int cluster;	/* -k: only this cluster (1-based, 0 = all) */
	/* leakdump */
	unsigned int count;	/* -c: objects dumped (0 = default) */
	unsigned int bytes;	/* -b: bytes per object (0 = object size) */
	const char *type;	/* -s: print as this struct type */
	const char *source;	/* dump label: "crash" or the vmcore path */
	/* Where types and symbols came from (JSON "types", "symbols"); may be NULL. */
	const char *types;	/* "btf-dump", "btf-vmlinux", "dwarf", "crash" */
	const char *symbols;	/* "kallsyms", "vmlinux", "crash" */
};

/*
 * The leakscan command, shared by the crash extension and the program.
 * LX_OK also for a flagged result (s->flagged says so).
 */
enum lx_status lx_leakscan(struct lx_session *s, const struct lx_options *opt);
/* -s FIELD: bytes, live, total, slabs, size or name; false if unknown. */
bool lx_parse_sort(const char *text, enum lx_sort *sort);
#define LX_SORT_FIELDS "bytes, live, total, slabs, size, name"
/* The document for a dump that could not be analysed: source, error. */
void lx_json_error_document(FILE *out, const char *source, const char *error);
/* leakscan -u: live objects of opt->cache (-k: of one cluster) no root reaches. */
enum lx_status lx_leakscan_unreferenced(struct lx_session *s,
					const struct lx_options *opt);
/* leakrefs ADDR: the object containing addr and every word pointing into it. */
enum lx_status lx_leakrefs(struct lx_session *s, uint64_t addr);
/* The leakdump command. */
enum lx_status lx_leakdump(struct lx_session *s, const struct lx_options *opt);

#endif
