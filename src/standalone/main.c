// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leakscan: the leakext report without a crash session, for batch triage.
 * Same core, same output and JSON schema as the crash extension.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "leakext/core.h"
#include "leakext/leakext.h"
#include "leakext/summary.h"
#include "standalone/bigalloc.h"
#include "standalone/files.h"
#include "standalone/merge.h"
#include "standalone/readers/ahead.h"
#include "standalone/saved_summary.h"
#include "standalone/target.h"


enum exit_code {
	EXIT_OK = 0,		/* every vmcore analysed */
	EXIT_DUMP_FAILED = 1,	/* at least one vmcore could not be analysed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_VMLINUX = 3,	/* vmlinux unusable (no types / symbols) */
	EXIT_FLAGGED = 4,	/* all analysed, but some result is flagged */
};

/* Where types come from (--types); AUTO: the vmlinux's BTF, else its DWARF, else the dump's BTF. */
enum types_choice { TYPES_AUTO, TYPES_BTF_DUMP, TYPES_BTF_VMLINUX, TYPES_DWARF };

struct program {
	struct lx_options opt;
	bool stats, quiet;
	bool libkdumpfile_only;		/* --reader=libkdumpfile */
	bool keep_priority;		/* --keep-priority: no nice for /proc/kcore */
	unsigned int threads;		/* -J N; 0: one per online CPU */
	enum types_choice types;
	const char *vmlinux;		/* NULL: types and symbols from each dump */
	const char *system_map;		/* without vmlinux: the symbols */
	struct sa_vmlinux vm;
	char **vmcores;
	int nvmcores;
	char (*unusable)[512];	/* per vmcore: why it cannot be read, or "" */
	int nunusable;
	bool flagged;		/* some analysed result failed its checks */
	bool diff;		/* --diff OLD NEW */
	double watch;		/* --watch SECONDS; 0: not watching */
	const char *count_arg;	/* -c/--count: objects to dump, or scans to watch */
	unsigned int scans;	/* --watch's --count; 0: until ^C */
	bool merge;		/* --merge: the arguments are saved reports */
	int not_for_merge;	/* an option --merge does not take, or 0 */
};

/* long options without a letter */
enum { OPT_REFS = 0x100, OPT_READER, OPT_CACHE_TYPE, OPT_DIFF, OPT_WATCH, OPT_MERGE,
       OPT_KEEP_PRIORITY, OPT_ALLOCINFO, OPT_LARGE };

/* --watch keeps this many scans: growth per minute and the trend are over them. */
#define WATCH_KEEP 16
#define WATCH_MAX_SECONDS 86400.0
#define LIVE_NICENESS 10	/* a live scan's CPU priority, unless --keep-priority */
#define HEAP_RESERVE (64UL << 20)	/* malloc heap on huge pages (bigalloc.h) */

static void usage(FILE *out)
{
	fprintf(out,
"usage: leakscan [options] [VMLINUX | System.map] VMCORE... [CACHE]\n"
"       leakscan [options] /proc/kcore [CACHE]\n"
"       leakscan --diff [options] [VMLINUX] OLD NEW [CACHE]\n"
"       leakscan --watch=SECONDS [--count=N] [options] [VMLINUX] VMCORE [CACHE]\n"
"       leakscan --merge [-j] [-n N] REPORT.jsonl...\n"
"\n"
"Finds leaked slab objects in kernel crash dumps without a crash session.\n"
"With no CACHE, ranks every slab cache by live bytes; with CACHE, clusters the\n"
"cache's live objects by content and guesses their owners.  Each VMCORE is a\n"
"kdump-compressed (makedumpfile) or ELF dump.  Without VMLINUX, types come\n"
"from the kernel's own BTF and symbols from its kallsyms, both read from the\n"
"dump (Linux 6.0 or later with CONFIG_DEBUG_INFO_BTF); with VMLINUX (the\n"
"kernel image, e.g. /usr/lib/debug/boot/vmlinux-RELEASE, told apart from\n"
"dumps by its content) from its .BTF section, or its DWARF if it has none,\n"
"and its symbol table.  A kernel built without CONFIG_KALLSYMS_ALL (Debian's\n"
"arm64 kernels) keeps no data symbols in kallsyms: give its System.map (from\n"
"the kernel's package; no debuginfo needed) and types still come from the\n"
"dump's BTF.  A last argument that is not a file is the cache name\n"
"(kmalloc-4096, kmalloc-4k and size-4096 are aliases).\n"
"\n"
"/proc/kcore reads the running kernel (root, read-only, no module loaded):\n"
"types from /sys/kernel/btf, symbols from /proc/kallsyms (else from memory),\n"
"at nice %d.  A cache that changes under the walker is walked again, up to\n"
"three times; what stays inconsistent is reported as MOVING, not flagged.\n"
"\n"
"  -C, --cache=NAME    the cache (instead of the last argument)\n"
"  -n, --top=N         show N clusters (default %d); without CACHE, N caches\n"
"  -a, --all           show every cluster; without CACHE, every cache (by\n"
"                      default caches with no live object are left out)\n"
"  -s, --sort=FIELD    order the ranking by bytes (live bytes, the default),\n"
"                      live, total, slabs, size or name\n"
"  -R, --redact        no object content: previews, strings and hex become\n"
"                      lengths and byte classes (symbols and guesses stay)\n"
"  -k, --cluster=N     only cluster N\n"
"  -l, --list          print live object addresses (with -k: of cluster N)\n"
"  -u, --unreferenced  print the live objects (with -k: of cluster N) that no\n"
"                      root reaches: kernel and module data, per-cpu areas,\n"
"                      task stacks, vmalloc'd memory, and the objects they\n"
"                      reach (kmemleak's rule, on the dump).  On a kernel\n"
"                      with kmemleak, each line adds kmemleak's verdict at\n"
"                      its last scan (reported, young, new, white,\n"
"                      referenced, grey, black, untracked) and where its\n"
"                      record says the object was allocated; kmemleak's own\n"
"                      records are neither roots nor holders\n"
"  -H, --no-holders    leave holders out of the cluster report (faster).  By\n"
"                      default each cluster says which places (globals,\n"
"                      stacks, other objects) point at its members and how\n"
"                      many members no root reaches (all memory is scanned\n"
"                      as for -u); -r (--referrers) is still accepted\n"
"      --cache-type=CACHE=TYPE\n"
"                      the objects of CACHE are struct TYPE: referrers and\n"
"                      pointers inside them are named by member (as for\n"
"                      skbuff_head_cache, filp, ... built in)\n"
"      --refs=ADDR     the slab object containing ADDR and every word in\n"
"                      scanned memory that points into it\n"
"      --allocinfo     no CACHE: /proc/allocinfo from the dump, every\n"
"                      allocation site's bytes and calls from its alloc tag's\n"
"                      per-cpu counters, largest first (kernels with\n"
"                      CONFIG_MEM_ALLOC_PROFILING; -n N: the N largest).  With\n"
"                      such a kernel a cluster report also names the site of\n"
"                      every member, and lists the cache's sites\n"
"      --large         no CACHE: large kmalloc allocations (above the largest\n"
"                      kmalloc cache, straight from the page allocator), by\n"
"                      owner and alloc tag site, largest first: address,\n"
"                      order, bytes, page_owner's pid, comm, time and\n"
"                      allocation stack, a preview.  Needs page_owner\n"
"                      (page_owner=on) or a kernel with PGTY_large_kmalloc\n"
"  -j, --json          JSON, one document per vmcore per line (JSON Lines),\n"
"                      schema leakext/1 (see README); not with -l or -d\n"
"  -d, --dump          hex/ASCII dump of live objects (of cluster N with -k)\n"
"  -c, --count=N       objects to dump (default 8, 0 = all); with --watch,\n"
"                      scans (default and 0: until ^C)\n"
"  -b, --bytes=N       bytes of each dumped object (default 256)\n"
"  -t, --type=TYPE     with -d: print each object as struct TYPE (BTF types\n"
"                      only; found in the kernel's or a loaded module's BTF)\n"
"      --diff          compare two dumps of one machine, OLD and NEW (either\n"
"                      may be a saved -j report; of CACHE, saved with -a): with\n"
"                      CACHE its clusters matched by content signature\n"
"                      (count and bytes before, after, the change; what\n"
"                      appeared, what vanished), largest growth first;\n"
"                      without CACHE every cache's live objects and bytes\n"
"      --watch=SECONDS scan the same source again every SECONDS (opened\n"
"                      afresh each time): per cluster (without CACHE, per\n"
"                      cache) live objects now, growth per minute over the\n"
"                      last %d scans and an ASCII trend, matched by content\n"
"                      signature, fastest-growing first; -j: one JSON\n"
"                      document per scan (JSON Lines)\n"
"  -q, --quiet         no progress on stderr\n"
"      --types=SOURCE  where types come from: btf-dump (the dump's BTF),\n"
"                      btf-vmlinux (VMLINUX's .BTF) or dwarf (VMLINUX's DWARF)\n"
"      --dwarf         the same as --types=dwarf\n"
"      --reader=READER how memory is read: auto (the default: the program's\n"
"                      own reader for kdump-compressed pages it can decode,\n"
"                      libkdumpfile for the rest) or libkdumpfile (all of it)\n"
"  -J, --threads=N     N threads in all (default: one per online CPU): the\n"
"                      others decode the dump's compressed pages ahead of\n"
"                      the main one's reads, or (no decoding left to do)\n"
"                      hash the cluster report's objects beside it.  The\n"
"                      output is the same for every N; 1: no other thread\n"
"      --stats         time, type and symbol sources on stderr\n"
"      --keep-priority with /proc/kcore: keep the CPU priority (no nice)\n"
"      --merge         the arguments are saved -j reports (of many vmcores):\n"
"                      group their clusters by cache and signature, with in\n"
"                      how many vmcores each appears, objects and bytes in\n"
"                      all and the largest dump, largest first; -j: JSON\n"
"                      Lines, kind \"merge\"; -n N: the largest N groups\n"
"  -h, --help          this help\n"
"  -V, --version       version\n"
"\n"
"Exit status: 0 all vmcores analysed, 1 some vmcore failed (see stderr),\n"
"2 bad usage, 3 VMLINUX unusable (or does not match), 4 all analysed but some result is flagged\n"
"(a cache failed its integrity checks or the cache list was cut short).\n"
"1 takes precedence over 4.  --merge: 0 every line merged, 1 no report could\n"
"be read, 2 bad usage, 4 some file or line unusable (named on stderr).\n",
		LIVE_NICENESS, LX_DEFAULT_TOP, WATCH_KEEP);
}

/* Paths name files; cache names have no '/'. */
static bool is_path(const char *arg)
{
	struct stat sb;

	return strchr(arg, '/') || stat(arg, &sb) == 0;
}

static int parse_types(struct program *p, const char *text)
{
	if (!strcmp(text, "btf-dump"))
		p->types = TYPES_BTF_DUMP;
	else if (!strcmp(text, "btf-vmlinux"))
		p->types = TYPES_BTF_VMLINUX;
	else if (!strcmp(text, "dwarf"))
		p->types = TYPES_DWARF;
	else {
		fprintf(stderr, "leakscan: --types takes btf-dump, btf-vmlinux or dwarf, not \"%s\"\n",
			text);
		return -1;
	}
	return 0;
}

/* A plain decimal number of at most max in *v; false for anything else. */
static bool parse_decimal(const char *text, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(text, &end, 10);
	return *text && !*end && !errno && *v <= max && text[0] != '-';
}

/* -J N: threads in all, the main one included. */
static int parse_threads(struct program *p, const char *text)
{
	unsigned long v;

	if (!parse_decimal(text, SA_AHEAD_MAX_WORKERS + 1, &v) || !v) {
		fprintf(stderr, "leakscan: -J takes a number of threads from 1 to %u, not \"%s\"\n",
			SA_AHEAD_MAX_WORKERS + 1, text);
		return -1;
	}
	p->threads = v;
	return 0;
}

/* Without -J: a thread per online CPU, as many as decoding can use. */
static unsigned int worker_threads(const struct program *p)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int threads = p->threads;

	if (!threads)
		threads = cpus < 1 ? 1 : cpus > SA_AHEAD_MAX_WORKERS + 1 ?
					 SA_AHEAD_MAX_WORKERS + 1 : cpus;
	return threads - 1;
}

static int parse_reader(struct program *p, const char *text)
{
	if (!strcmp(text, "auto") || !strcmp(text, "libkdumpfile")) {
		p->libkdumpfile_only = !strcmp(text, "libkdumpfile");
		return 0;
	}
	fprintf(stderr, "leakscan: --reader takes auto or libkdumpfile, not \"%s\"\n", text);
	return -1;
}

/* The shared options: each letter's meaning, parsed by the core. */
static int shared_option(struct program *p, int c)
{
	static const struct { int c; enum lx_option which; const char *name; } table[] = {
		{ 'n', LX_OPT_TOP, "-n" }, { 'a', LX_OPT_ALL, "-a" },
		{ 's', LX_OPT_SORT, "-s" }, { 'R', LX_OPT_REDACT, "-R" },
		{ 'k', LX_OPT_CLUSTER, "-k" }, { 'l', LX_OPT_LIST, "-l" },
		{ 'u', LX_OPT_UNREFERENCED, "-u" }, { 'r', LX_OPT_REFERRERS, "-r" },
		{ 'H', LX_OPT_NO_HOLDERS, "-H" },
		{ OPT_REFS, LX_OPT_REFS, "--refs" },
		{ OPT_ALLOCINFO, LX_OPT_ALLOCINFO, "--allocinfo" },
		{ OPT_LARGE, LX_OPT_LARGE, "--large" },
		{ OPT_CACHE_TYPE, LX_OPT_CACHE_TYPE, "--cache-type" },
		{ 'j', LX_OPT_JSON, "-j" }, { 'd', LX_OPT_DUMP, "-d" },
		{ 'b', LX_OPT_BYTES, "-b" },
		{ 't', LX_OPT_TYPE, "-t" },
	};
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].c != c)
			continue;
		if (!lx_option_set(&p->opt, table[i].which, table[i].name, optarg, why,
				   sizeof(why)))
			return 0;
		fprintf(stderr, "leakscan: %s\n", why);
		return -1;
	}
	return -1;
}

/* --watch SECONDS: a positive number of seconds, at most a day. */
static int parse_watch(struct program *p, const char *text)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (!*text || *end || errno || !isfinite(v) || v <= 0 || v > WATCH_MAX_SECONDS) {
		fprintf(stderr, "leakscan: --watch needs a positive number of seconds (at most %.0f), not \"%s\"\n",
			WATCH_MAX_SECONDS, text);
		return -1;
	}
	p->watch = v;
	return 0;
}

static int parse_option(struct program *p, int c)
{
	switch (c) {
	case 'C': p->opt.cache = optarg; return 0;
	case 'c': p->count_arg = optarg; return 0;	/* its meaning waits for --watch */
	case OPT_DIFF: p->diff = true; return 0;
	case OPT_WATCH: return parse_watch(p, optarg);
	case 'q': p->quiet = true; return 0;
	case 'S': p->stats = true; return 0;
	case 'T': return parse_types(p, optarg);
	case 'D': p->types = TYPES_DWARF; return 0;
	case OPT_READER: return parse_reader(p, optarg);
	case 'J': return parse_threads(p, optarg);
	case OPT_KEEP_PRIORITY: p->keep_priority = true; return 0;
	case 'h': usage(stdout); exit(EXIT_OK);
	case 'V': printf("leakscan (leakext) %s\n", LEAKEXT_VERSION); exit(EXIT_OK);
	default: return shared_option(p, c);
	}
}

/* Which option combinations make sense; -1 after saying why not. */
/* -c/--count: scans with --watch (0: until ^C), else objects to dump. */
static int resolve_count(struct program *p)
{
	char why[256];
	unsigned long v;

	if (!p->count_arg)
		return 0;
	if (!p->watch) {
		if (!lx_option_set(&p->opt, LX_OPT_COUNT, "-c", p->count_arg, why, sizeof(why)))
			return 0;
		fprintf(stderr, "leakscan: %s\n", why);
		return -1;
	}
	if (!parse_decimal(p->count_arg, 100000000UL, &v)) {
		fprintf(stderr, "leakscan: --count needs a number of scans (0: until ^C), not \"%s\"\n",
			p->count_arg);
		return -1;
	}
	p->scans = v;
	return 0;
}

/* --diff and --watch: reports of whole caches or clusters, from their sources. */
static int check_growth(const struct program *p)
{
	const char *mode = p->diff ? "--diff" : "--watch";

	if (p->diff && p->watch) {
		fprintf(stderr, "leakscan: choose one of --diff and --watch\n");
		return -1;
	}
	if (p->opt.list_live || p->opt.unreferenced || p->opt.dump || p->opt.refs ||
	    p->opt.cluster) {
		fprintf(stderr, "leakscan: %s compares reports: not with -l, -u, -d, -k or --refs\n",
			mode);
		return -1;
	}
	if (p->diff && p->nvmcores != 2) {
		fprintf(stderr, "leakscan: --diff needs two dumps, OLD and NEW, not %d\n",
			p->nvmcores);
		return -1;
	}
	if (p->watch && p->nvmcores != 1) {
		fprintf(stderr, "leakscan: --watch scans one source, not %d\n", p->nvmcores);
		return -1;
	}
	return 0;
}

static int check_combination(struct program *p)
{
	char why[256];

	if (resolve_count(p))
		return -1;
	if ((p->diff || p->watch) && check_growth(p))
		return -1;
	if (lx_options_check(&p->opt, why, sizeof(why))) {
		fprintf(stderr, "leakscan: %s\n", why);
		return -1;
	}
	if (!p->vmlinux && (p->types == TYPES_DWARF || p->types == TYPES_BTF_VMLINUX)) {
		fprintf(stderr, "leakscan: --types=%s needs a VMLINUX\n",
			p->types == TYPES_DWARF ? "dwarf" : "btf-vmlinux");
		return -1;
	}
	return 0;
}

/*
 * The arguments by content: at most one vmlinux, dumps, and a last
 * argument that names no file is the cache.  A path that cannot be read
 * counts as a dump, and is reported with the others.
 */
static int sort_arguments(struct program *p, char **args, int n)
{
	int i;

	if (n >= 1 && !p->opt.cache && !is_path(args[n - 1]))
		p->opt.cache = args[--n];
	p->vmcores = calloc(n ? n : 1, sizeof(*p->vmcores));
	if (!p->vmcores) {
		fprintf(stderr, "leakscan: out of memory\n");
		return -1;
	}
	for (i = 0; i < n; i++) {
		enum sa_file_kind kind = sa_file_kind(args[i]);
		const char **slot = kind == SA_FILE_VMLINUX ? &p->vmlinux :
				    kind == SA_FILE_SYSTEM_MAP ? &p->system_map : NULL;

		if (!slot) {
			p->vmcores[p->nvmcores++] = args[i];
			continue;
		}
		if (*slot) {
			fprintf(stderr, "leakscan: two %s (%s and %s): give at most one %s\n",
				kind == SA_FILE_VMLINUX ? "kernel images" : "System.map files",
				*slot, args[i], kind == SA_FILE_VMLINUX ? "VMLINUX" : "System.map");
			return -1;
		}
		*slot = args[i];
	}
	if (p->vmlinux && p->system_map) {
		fprintf(stderr, "leakscan: a VMLINUX has its own symbols: give %s or %s, not both\n",
			p->vmlinux, p->system_map);
		return -1;
	}
	if (!p->nvmcores) {
		fprintf(stderr, "leakscan: need at least one VMCORE (--help)\n");
		return -1;
	}
	return check_combination(p);
}

/* --merge takes reports, and of the options only -j, -n, -a and -q. */
static int check_merge(const struct program *p, int nreports)
{
	if (p->not_for_merge) {
		fprintf(stderr, "leakscan: --merge takes only -j, -n, -a and -q\n");
		return -1;
	}
	if (!nreports) {
		fprintf(stderr, "leakscan: --merge needs at least one REPORT (--help)\n");
		return -1;
	}
	return 0;
}

static int run_merge(const struct program *p, char **reports, int n)
{
	struct sa_merge_options opt = { .json = p->opt.json,
					.top = p->opt.all ? 0 : p->opt.top };

	return sa_merge_files(reports, n, &opt, stdout, stderr);
}

static int parse_args(struct program *p, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "cache", required_argument, NULL, 'C' },
		{ "top", required_argument, NULL, 'n' },
		{ "all", no_argument, NULL, 'a' },
		{ "sort", required_argument, NULL, 's' },
		{ "redact", no_argument, NULL, 'R' },
		{ "cluster", required_argument, NULL, 'k' },
		{ "list", no_argument, NULL, 'l' },
		{ "unreferenced", no_argument, NULL, 'u' },
		{ "refs", required_argument, NULL, OPT_REFS },
		{ "allocinfo", no_argument, NULL, OPT_ALLOCINFO },
		{ "large", no_argument, NULL, OPT_LARGE },
		{ "referrers", no_argument, NULL, 'r' },
		{ "no-holders", no_argument, NULL, 'H' },
		{ "cache-type", required_argument, NULL, OPT_CACHE_TYPE },
		{ "json", no_argument, NULL, 'j' },
		{ "dump", no_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'c' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "type", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "stats", no_argument, NULL, 'S' },
		{ "types", required_argument, NULL, 'T' },
		{ "dwarf", no_argument, NULL, 'D' },
		{ "reader", required_argument, NULL, OPT_READER },
		{ "threads", required_argument, NULL, 'J' },
		{ "diff", no_argument, NULL, OPT_DIFF },
		{ "watch", required_argument, NULL, OPT_WATCH },
		{ "keep-priority", no_argument, NULL, OPT_KEEP_PRIORITY },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "C:n:as:RrHk:lujdc:b:t:qJ:hV", longs, NULL)) != -1) {
		if (c == OPT_MERGE) {
			p->merge = true;
			continue;
		}
		if (!strchr("jnaq", c) && !p->not_for_merge)
			p->not_for_merge = c;
		if (parse_option(p, c)) {
			fprintf(stderr, "Try 'leakscan --help' for more information.\n");
			return -1;
		}
	}
	if (p->merge)
		return check_merge(p, argc - optind);
	return sort_arguments(p, argv + optind, argc - optind);
}

/* A vmcore's path and headers; "" in err if it can be opened. */
static void check_vmcore(const char *path, char *err, size_t errlen)
{
	int fd;

	if (sa_check_path(path, err, errlen))
		return;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		return;
	}
	sa_check_dump(fd, path, err, errlen);
	close(fd);
}

/* Every vmcore, before any work: how many can be analysed. */
static int check_vmcores(struct program *p)
{
	int i, usable = 0;

	for (i = 0; i < p->nvmcores; i++) {
		if (p->diff && sa_is_saved_report(p->vmcores[i])) {
			usable++;	/* read by obtain_summary() */
			continue;
		}
		check_vmcore(p->vmcores[i], p->unusable[i], sizeof(p->unusable[i]));
		if (p->unusable[i][0])
			fprintf(stderr, "leakscan: %s: %s\n", p->vmcores[i], p->unusable[i]);
		else
			usable++;
	}
	return usable;
}

static int check_vmlinux(const struct program *p, char *err, size_t errlen)
{
	if (!p->vmlinux || (!sa_check_path(p->vmlinux, err, errlen) &&
			    !sa_check_vmlinux(p->vmlinux, err, errlen)))
		return 0;
	fprintf(stderr, "leakscan: %s: %s\n", p->vmlinux, err);
	return -1;
}

static void json_error(const char *path, const char *err)
{
	lx_json_error_document(stdout, path, err);
	fflush(stdout);
}

/* The error document of each vmcore, when none will be analysed. */
static void json_errors(const struct program *p, const char *vmlinux_err)
{
	char why[600];
	int i;

	snprintf(why, sizeof(why), "vmlinux unusable: %s", vmlinux_err);
	for (i = 0; p->opt.json && i < p->nvmcores; i++)
		json_error(p->vmcores[i], p->unusable[i][0] ? p->unusable[i] : why);
}

/* The target over an open dump, and the options that name it. */
static void dump_target(const struct program *p, struct sa_dump *d, const char *path,
			struct lx_target *t, struct lx_options *opt)
{
	*t = (struct lx_target){ .dump = &sa_dump_ops, .dump_priv = d, .host = &sa_host_ops,
				 .host_priv = d, .out = stdout, .document = p->opt.json };
	*opt = p->opt;
	opt->source = path;
	opt->types = sa_types_name(d->types->kind);
	opt->symbols = sa_symbols_name(d->symbols_kind);
}

/* What is done with an open dump: -1 if it could not be. */
typedef int (*dump_work)(struct program *p, struct sa_dump *d, const char *path,
			 void *arg);

static int analyse(struct program *p, struct sa_dump *d, const char *path, void *arg)
{
	struct lx_target t;
	struct lx_options opt;
	struct lx_result res;

	(void)arg;
	dump_target(p, d, path, &t, &opt);
	if (p->nvmcores > 1 && !opt.json)
		printf("%s==> %s <==\n", path == p->vmcores[0] ? "" : "\n", path);
	lx_run(&t, &opt, &res);
	fflush(stdout);
	if (res.flagged)
		p->flagged = true;
	/* One document per vmcore: the report, or one that says why not. */
	if (res.status && opt.json)
		json_error(path, res.message);
	return res.status ? -1 : 0;
}

/* --stats: where this dump's types and symbols came from, and how long. */
static void show_sources(const struct sa_dump *d, double opened)
{
	char types[256];

	sa_types_describe(d->types, types, sizeof(types));
	fprintf(stderr, "leakscan: %s: types %s: %s\n", d->path,
		sa_types_name(d->types->kind), types);
	fprintf(stderr, "leakscan: %s: symbols %s: %zu; opened in %.3f s\n", d->path,
		sa_symbols_name(d->symbols_kind), d->symbols.count, opened);
	if (d->source->live)
		fprintf(stderr, "leakscan: %s: memory: the running kernel, %u kcore segments read by virtual address\n",
			d->path, d->kcore.nsegs);
	else if (d->reader.ops)
		fprintf(stderr, "leakscan: %s: memory: own %s reader, libkdumpfile where it does not answer\n",
			d->path, d->reader.ops->name);
	else
		fprintf(stderr, "leakscan: %s: memory: libkdumpfile (%s)\n", d->path,
			d->reader.why);
}

static void show_reads(const struct sa_dump *d, double start)
{
	struct sa_ahead_stats ahead;

	fprintf(stderr, "leakscan: %s: analysed in %.2f s; %llu reads by the own reader, %llu by libkdumpfile, %llu of pages the dump does not hold\n",
		d->path, lx_now() - start, (unsigned long long)d->reader.reads,
		(unsigned long long)d->reader.passed, (unsigned long long)d->reader.absent);
	if (!sa_reader_ahead_stats(&d->reader, &ahead))
		return;
	fprintf(stderr, "leakscan: %s: %u decoding threads: %llu pages queued, %llu read as they decoded them (%llu waited for), %llu decoded by the main thread first\n",
		d->path, ahead.workers, (unsigned long long)ahead.queued,
		(unsigned long long)ahead.ready, (unsigned long long)ahead.waited,
		(unsigned long long)ahead.taken_back);
}

static int run_one(struct program *p, const char *path, dump_work work, void *arg)
{
	struct sa_dump d = { .path = path, .fd = -1, .vmlinux = p->vmlinux ? &p->vm : NULL,
			     .system_map = p->system_map,
			     .progress = !p->quiet && isatty(fileno(stderr)),
			     .quiet = p->quiet,
			     .live_niceness = p->keep_priority ? -1 : LIVE_NICENESS,
			     .libkdumpfile_only = p->libkdumpfile_only,
			     .workers = worker_threads(p) };
	char err[512] = "";
	double start = lx_now();
	int ret = -1;

	if (sa_dump_open(&d, err, sizeof(err))) {
		fprintf(stderr, "leakscan: %s: %s\n", path, err);
		if (p->opt.json)
			json_error(path, err);
	} else {
		if (p->stats)
			show_sources(&d, lx_now() - start);
		ret = work(p, &d, path, arg);
		if (p->stats)
			show_reads(&d, start);
	}
	sa_dump_close(&d);
	return ret;
}

static const char *types_source;	/* for show_type_progress() */

static void show_type_progress(uint64_t units)
{
	sa_progress_show(types_source, "loading types, units", units, 0);
}

static int open_dwarf(struct program *p, char *err, size_t errlen)
{
	bool progress = !p->quiet && isatty(fileno(stderr));
	int ret;

	types_source = p->vmlinux;
	ret = sa_types_open_dwarf(&p->vm.types, p->vmlinux,
				  progress ? show_type_progress : NULL, err, errlen);
	if (progress)
		sa_progress_show(p->vmlinux, "", 1, 1);	/* clear the line */
	return ret;
}

/*
 * The vmlinux's types: its .BTF (a fraction of a second), else its DWARF
 * (seconds and hundreds of MB), as --types says.  TYPES_BTF_DUMP leaves
 * p->vm.types closed: each dump's own BTF is used.
 */
static int open_vmlinux_types(struct program *p, char *err, size_t errlen)
{
	char btf_err[128], dwarf_err[160];

	switch (p->types) {
	case TYPES_BTF_DUMP:
		return 0;
	case TYPES_DWARF:
		return open_dwarf(p, err, errlen);
	case TYPES_BTF_VMLINUX:
		return sa_types_open_btf_elf(&p->vm.types, p->vmlinux, err, errlen);
	default:
		if (!sa_types_open_btf_elf(&p->vm.types, p->vmlinux, btf_err, sizeof(btf_err)))
			return 0;
		if (!open_dwarf(p, dwarf_err, sizeof(dwarf_err)))
			return 0;
		snprintf(err, errlen, "no kernel types: %s, and %s; give the kernel's debug vmlinux (e.g. /usr/lib/debug/boot/vmlinux-RELEASE), or none to use the dump's own BTF",
			 btf_err, dwarf_err);
		return -1;
	}
}

static int open_vmlinux(struct program *p)
{
	char err[512];

	if (!p->vmlinux)
		return 0;
	p->vm.path = p->vmlinux;
	if (lx_elf_build_id(p->vmlinux, p->vm.build_id, sizeof(p->vm.build_id),
			    err, sizeof(err)) ||
	    open_vmlinux_types(p, err, sizeof(err))) {
		fprintf(stderr, "leakscan: %s: %s\n", p->vmlinux, err);
		json_errors(p, err);
		return -1;
	}
	return 0;
}

static int run_all(struct program *p)
{
	int i, failed = 0;

	sa_catch_interrupts();
	for (i = 0; i < p->nvmcores; i++) {
		if (p->unusable[i][0]) {
			if (p->opt.json)
				json_error(p->vmcores[i], p->unusable[i]);
			failed++;
		} else if (run_one(p, p->vmcores[i], analyse, NULL)) {
			failed++;
		}
	}
	if (failed)
		return EXIT_DUMP_FAILED;
	return p->flagged ? EXIT_FLAGGED : EXIT_OK;
}

/* A source's summary, from its dump: a report model for --diff and --watch. */
static int summarize(struct program *p, struct sa_dump *d, const char *path, void *arg)
{
	struct lx_summary *sum = arg;
	struct lx_target t;
	struct lx_options opt;
	struct lx_result res;

	dump_target(p, d, path, &t, &opt);
	lx_summarize(&t, &opt, sum, &res);
	if (res.flagged)
		p->flagged = true;
	if (res.status && opt.json)
		json_error(path, res.message);
	return res.status ? -1 : 0;
}

/* --diff's source i as a saved -j report: its document of cache (NULL: the ranking). */
static int saved_summary(struct program *p, int i, const char *cache, struct lx_summary *sum)
{
	char err[512];

	if (!sa_summary_from_file(p->vmcores[i], cache, sum, err, sizeof(err)))
		return 0;
	fprintf(stderr, "leakscan: %s: %s\n", p->vmcores[i], err);
	if (p->opt.json)
		json_error(p->vmcores[i], err);
	return -1;
}

/*
 * The summary of source i, opened afresh: a dump's analysis, or (--diff)
 * a saved -j report's document of cache, the name the other side's dump
 * gave the cache when it was a dump (the report names it so).
 */
static int obtain_summary(struct program *p, int i, const char *cache, struct lx_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	if (p->diff && sa_is_saved_report(p->vmcores[i]))
		return saved_summary(p, i, cache, sum);
	if (p->unusable[i][0]) {
		if (p->opt.json)
			json_error(p->vmcores[i], p->unusable[i]);
		return -1;
	}
	return run_one(p, p->vmcores[i], summarize, sum);
}

static int growth_status(const struct program *p, bool rendered)
{
	if (!rendered) {
		fprintf(stderr, "leakscan: out of memory\n");
		return EXIT_DUMP_FAILED;
	}
	fflush(stdout);
	return p->flagged ? EXIT_FLAGGED : EXIT_OK;
}

/*
 * --diff OLD NEW: both summaries, a dump's first (its cache's name, alias
 * resolved, is what a saved report's document is found by), then their
 * growth.
 */
static int run_diff(struct program *p)
{
	struct lx_summary sums[2];
	int first = sa_is_saved_report(p->vmcores[0]) ? 1 : 0, ret = EXIT_DUMP_FAILED;
	const char *cache;

	sa_catch_interrupts();
	if (obtain_summary(p, first, p->opt.cache, &sums[first]))
		return ret;
	cache = !p->opt.cache ? NULL : sums[first].cache[0] ? sums[first].cache : p->opt.cache;
	if (!obtain_summary(p, !first, cache, &sums[!first])) {
		ret = growth_status(p, p->opt.json ?
				    lx_diff_json(stdout, &p->opt, &sums[0], &sums[1]) :
				    lx_diff_text(stdout, &p->opt, &sums[0], &sums[1]));
		lx_summary_free(&sums[!first]);
	}
	lx_summary_free(&sums[first]);
	return ret;
}

/* Sleep seconds, waking for ^C: false if interrupted. */
static bool watch_pause(double seconds)
{
	struct lx_target t = { .host = &sa_host_ops };
	double end = lx_now() + seconds, left;
	struct timespec ts;

	while (!lx_interrupted(&t)) {
		left = end - lx_now();
		if (left <= 0)
			return true;
		left = left < 0.25 ? left : 0.25;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
	return false;
}

/* The scans kept, oldest first, for growth and the trend. */
struct watch_history {
	struct lx_summary scans[WATCH_KEEP];
	const struct lx_summary *order[WATCH_KEEP];
	size_t n;
};

static void history_drop_oldest(struct watch_history *h)
{
	lx_summary_free(&h->scans[0]);
	memmove(&h->scans[0], &h->scans[1], (h->n - 1) * sizeof(h->scans[0]));
	h->n--;
}

static int watch_scan(struct program *p, struct watch_history *h, unsigned int number)
{
	struct lx_target t = { .host = &sa_host_ops };
	size_t i;

	if (h->n == WATCH_KEEP)
		history_drop_oldest(h);
	if (obtain_summary(p, 0, NULL, &h->scans[h->n]))
		return lx_interrupted(&t) ? growth_status(p, true) : EXIT_DUMP_FAILED;
	h->n++;
	for (i = 0; i < h->n; i++)
		h->order[i] = &h->scans[i];
	if (p->opt.json ? !lx_watch_json(stdout, &p->opt, h->order, h->n, number) :
			  !lx_watch_text(stdout, &p->opt, h->order, h->n, number))
		return growth_status(p, false);
	fflush(stdout);
	return -1;	/* go on */
}

/* --watch SECONDS: scan, render, pause, until --count scans or ^C. */
static int run_watch(struct program *p)
{
	struct watch_history *h = calloc(1, sizeof(*h));
	unsigned int number;
	int ret = -1;

	if (!h) {
		fprintf(stderr, "leakscan: out of memory\n");
		return EXIT_DUMP_FAILED;
	}
	sa_catch_interrupts();
	for (number = 1; ret < 0; number++) {
		ret = watch_scan(p, h, number);
		if (ret < 0 && ((p->scans && number >= p->scans) || !watch_pause(p->watch)))
			ret = growth_status(p, true);
	}
	while (h->n)
		history_drop_oldest(h);
	free(h);
	return ret;
}

/* Every path before any work: EXIT_OK to go on, else the exit status. */
static int check_inputs(struct program *p)
{
	char err[512] = "";
	bool vmlinux_ok = !check_vmlinux(p, err, sizeof(err));
	int usable = check_vmcores(p);

	if (!vmlinux_ok) {
		json_errors(p, err);
		return EXIT_VMLINUX;
	}
	if (!usable) {
		json_errors(p, "");
		return EXIT_DUMP_FAILED;
	}
	return EXIT_OK;
}

static int run(struct program *p)
{
	int ret = check_inputs(p);

	if (ret != EXIT_OK)
		return ret;
	if (open_vmlinux(p))
		return EXIT_VMLINUX;
	ret = p->diff ? run_diff(p) : p->watch ? run_watch(p) : run_all(p);
	sa_types_close(&p->vm.types);
	return ret;
}

int main(int argc, char **argv)
{
	struct program p = { .opt = { 0 } };
	int ret;

	sa_big_heap(HEAP_RESERVE);
	if (parse_args(&p, argc, argv)) {
		free(p.vmcores);
		return EXIT_USAGE;
	}
	if (p.merge)
		return run_merge(&p, argv + optind, argc - optind);
	p.unusable = calloc(p.nvmcores, sizeof(*p.unusable));
	if (!p.unusable) {
		fprintf(stderr, "leakscan: out of memory\n");
		return EXIT_DUMP_FAILED;
	}
	ret = run(&p);
	free(p.unusable);
	free(p.vmcores);
	return ret;
}
