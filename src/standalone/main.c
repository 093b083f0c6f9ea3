// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leakscan: the leakext report without a crash session, for batch triage.
 * Same core, same output and JSON schema as the crash extension.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leakext/leakext.h"
#include "standalone/files.h"
#include "standalone/target.h"


enum exit_code {
	EXIT_OK = 0,		/* every vmcore analysed */
	EXIT_DUMP_FAILED = 1,	/* at least one vmcore could not be analysed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_VMLINUX = 3,	/* vmlinux unusable (no DWARF / symbols) */
	EXIT_FLAGGED = 4,	/* all analysed, but some result is flagged */
};

struct program {
	struct lx_options opt;
	bool dump, stats, quiet;
	const char *vmlinux;
	char **vmcores;
	int nvmcores;
	char (*unusable)[512];	/* per vmcore: why it cannot be read, or "" */
	int nunusable;
	bool flagged;		/* some analysed result failed its checks */
};

static void usage(FILE *out)
{
	fprintf(out,
"usage: leakscan [options] VMLINUX VMCORE... [CACHE]\n"
"\n"
"Finds leaked slab objects in kernel crash dumps without a crash session.\n"
"With no CACHE, ranks every slab cache by live bytes; with CACHE, clusters the\n"
"cache's live objects by content and guesses their owners.  VMLINUX is the\n"
"debug vmlinux (e.g. /usr/lib/debug/boot/vmlinux-RELEASE); each VMCORE is a\n"
"kdump-compressed (makedumpfile) or ELF dump.  A last argument that is not a\n"
"file is the cache name (kmalloc-4096, kmalloc-4k and size-4096 are aliases).\n"
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
"  -j, --json          JSON, one document per vmcore per line (JSON Lines),\n"
"                      schema leakext/1 (see README); not with -l or -d\n"
"  -d, --dump          hex/ASCII dump of live objects (of cluster N with -k)\n"
"  -c, --count=N       objects to dump (default 8, 0 = all)\n"
"  -b, --bytes=N       bytes of each dumped object (default 256)\n"
"  -q, --quiet         no progress on stderr\n"
"      --stats         time and type-loading statistics on stderr\n"
"  -h, --help          this help\n"
"  -V, --version       version\n"
"\n"
"Exit status: 0 all vmcores analysed, 1 some vmcore failed (see stderr),\n"
"2 bad usage, 3 VMLINUX unusable, 4 all analysed but some result is flagged\n"
"(a cache failed its integrity checks or the cache list was cut short).\n"
"1 takes precedence over 4.\n", LX_DEFAULT_TOP);
}

static bool number(const char *text, unsigned int *out, bool zero_ok)
{
	char *end;
	unsigned long v = strtoul(text, &end, 0);

	if (!*text || *end || v > 100000000UL || (!v && !zero_ok))
		return false;
	*out = v;
	return true;
}

/* Paths name files; cache names have no '/'. */
static bool is_path(const char *arg)
{
	struct stat sb;

	return strchr(arg, '/') || stat(arg, &sb) == 0;
}

static int parse_number_option(int c, unsigned int *out, bool zero_ok)
{
	if (number(optarg, out, zero_ok))
		return 0;
	fprintf(stderr, "leakscan: -%c needs a %snumber, not \"%s\"\n", c,
		zero_ok ? "" : "positive ", optarg);
	return -1;
}

static int parse_option(struct program *p, int c)
{
	switch (c) {
	case 'C': p->opt.cache = optarg; return 0;
	case 'n': return parse_number_option(c, &p->opt.top, false);
	case 'a': p->opt.all = true; return 0;
	case 's':
		if (lx_parse_sort(optarg, &p->opt.sort))
			return 0;
		fprintf(stderr, "leakscan: -s takes one of %s, not \"%s\"\n",
			LX_SORT_FIELDS, optarg);
		return -1;
	case 'R': p->opt.redact = true; return 0;
	case 'k': return parse_number_option(c, &p->opt.cluster, false);
	case 'l': p->opt.list_live = true; return 0;
	case 'j': p->opt.json = true; return 0;
	case 'd': p->dump = true; return 0;
	case 'c':
		if (parse_number_option(c, &p->opt.count, true))
			return -1;
		if (!p->opt.count)
			p->opt.count = LX_DUMP_ALL;
		return 0;
	case 'b': return parse_number_option(c, &p->opt.bytes, false);
	case 'q': p->quiet = true; return 0;
	case 'S': p->stats = true; return 0;
	case 'h': usage(stdout); exit(EXIT_OK);
	case 'V': printf("leakscan (leakext) %s\n", LEAKEXT_VERSION); exit(EXIT_OK);
	default: return -1;
	}
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
		{ "json", no_argument, NULL, 'j' },
		{ "dump", no_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'c' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "stats", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, n;

	while ((c = getopt_long(argc, argv, "C:n:as:Rk:ljdc:b:qhV", longs, NULL)) != -1) {
		if (parse_option(p, c)) {
			fprintf(stderr, "Try 'leakscan --help' for more information.\n");
			return -1;
		}
	}
	n = argc - optind;
	if (n >= 3 && !p->opt.cache && !is_path(argv[argc - 1])) {
		p->opt.cache = argv[argc - 1];
		n--;
	}
	if (n < 2) {
		fprintf(stderr, "leakscan: need VMLINUX and at least one VMCORE (--help)\n");
		return -1;
	}
	if ((p->opt.list_live || p->opt.cluster || p->dump) && !p->opt.cache) {
		fprintf(stderr, "leakscan: -l, -k and -d need a cache\n");
		return -1;
	}
	if (p->opt.json && (p->opt.list_live || p->dump)) {
		fprintf(stderr, "leakscan: -j cannot go with -l or -d: they print addresses and hex, not JSON\n");
		return -1;
	}
	p->vmlinux = argv[optind];
	p->vmcores = argv + optind + 1;
	p->nvmcores = n - 1;
	return 0;
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
	if (!sa_check_path(p->vmlinux, err, errlen) &&
	    !sa_check_vmlinux(p->vmlinux, err, errlen))
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

static int analyse(struct program *p, struct sa_dump *d, const char *path)
{
	struct lx_target t = { .ops = &sa_ops, .priv = d, .out = stdout };
	struct lx_session s = { .t = &t };
	struct lx_options opt = p->opt;
	int ret;

	opt.source = path;
	if (p->nvmcores > 1 && !opt.json)
		printf("%s==> %s <==\n", path == p->vmcores[0] ? "" : "\n", path);
	ret = p->dump ? lx_leakdump(&s, &opt) : lx_leakscan(&s, &opt);
	fflush(stdout);
	if (s.flagged)
		p->flagged = true;
	/* One document per vmcore: the core's, or one that says why not. */
	if (ret && opt.json && !s.json_written)
		json_error(path, d->last_error[0] ? d->last_error :
			   "analysis stopped without a reason");
	return ret;
}

static int run_one(struct program *p, struct lx_dwarf *dw, const char *path)
{
	struct sa_dump d = { .path = path, .fd = -1, .dwarf = dw,
			     .progress = !p->quiet && isatty(fileno(stderr)) };
	char err[512] = "";
	double start = lx_now();
	int ret = -1;

	if (sa_dump_open(&d, p->vmlinux, err, sizeof(err))) {
		fprintf(stderr, "leakscan: %s: %s\n", path, err);
		if (p->opt.json)
			json_error(path, err);
	} else {
		ret = analyse(p, &d, path);
		if (p->stats)
			fprintf(stderr, "leakscan: %s: analysed in %.2f s (%zu symbols)\n",
				path, lx_now() - start, d.symbols.count);
	}
	sa_dump_close(&d);
	return ret;
}

static const char *types_source;	/* for show_type_progress() */

static void show_type_progress(uint64_t units)
{
	sa_progress_show(types_source, "loading types, units", units, 0);
}

static struct lx_dwarf *open_types(const struct program *p)
{
	size_t units, types, enums;
	struct lx_dwarf *dw;
	double seconds;
	char err[512];

	types_source = p->vmlinux;
	dw = lx_dwarf_open(p->vmlinux, p->quiet || !isatty(fileno(stderr)) ? NULL :
			   show_type_progress, err, sizeof(err));
	if (!p->quiet && isatty(fileno(stderr)))
		sa_progress_show(p->vmlinux, "", 1, 1);	/* clear the line */
	if (!dw) {
		fprintf(stderr, "leakscan: %s\n", err);
		json_errors(p, err);
		return NULL;
	}
	if (p->stats) {
		lx_dwarf_stats(dw, &units, &types, &enums, &seconds);
		fprintf(stderr, "leakscan: types: %zu units, %zu structs/unions, %zu enumerators indexed in %.2f s\n",
			units, types, enums, seconds);
	}
	return dw;
}

static int run_all(struct program *p, struct lx_dwarf *dw)
{
	int i, failed = 0;

	sa_catch_interrupts();
	for (i = 0; i < p->nvmcores; i++) {
		if (p->unusable[i][0]) {
			if (p->opt.json)
				json_error(p->vmcores[i], p->unusable[i]);
			failed++;
		} else if (run_one(p, dw, p->vmcores[i])) {
			failed++;
		}
	}
	if (failed)
		return EXIT_DUMP_FAILED;
	return p->flagged ? EXIT_FLAGGED : EXIT_OK;
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
	struct lx_dwarf *dw;
	int ret = check_inputs(p);

	if (ret != EXIT_OK)
		return ret;
	dw = open_types(p);
	if (!dw)
		return EXIT_VMLINUX;
	ret = run_all(p, dw);
	lx_dwarf_close(dw);
	return ret;
}

int main(int argc, char **argv)
{
	struct program p = { .opt = { 0 } };
	int ret;

	if (parse_args(&p, argc, argv))
		return EXIT_USAGE;
	p.unusable = calloc(p.nvmcores, sizeof(*p.unusable));
	if (!p.unusable) {
		fprintf(stderr, "leakscan: out of memory\n");
		return EXIT_DUMP_FAILED;
	}
	ret = run(&p);
	free(p.unusable);
	return ret;
}
