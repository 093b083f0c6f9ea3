// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leakscan: the leakext report without a crash session, for batch triage.
 * Same core, same output and JSON schema as the crash extension.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leakext/report.h"
#include "standalone/target.h"

#define LEAKEXT_VERSION "0.2"

enum exit_code {
	EXIT_OK = 0,		/* every vmcore analysed */
	EXIT_DUMP_FAILED = 1,	/* at least one vmcore could not be analysed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_VMLINUX = 3,	/* vmlinux unusable (no DWARF / symbols) */
};

struct program {
	struct lx_options opt;
	bool dump, stats, quiet;
	const char *vmlinux;
	char **vmcores;
	int nvmcores;
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
"  -n, --top=N         show N clusters (default %d)\n"
"  -a, --all           show every cluster\n"
"  -k, --cluster=N     only cluster N\n"
"  -l, --list          print live object addresses (with -k: of cluster N)\n"
"  -j, --json          JSON, one document per vmcore per line (JSON Lines),\n"
"                      schema leakext/1 (see README)\n"
"  -d, --dump          hex/ASCII dump of live objects (of cluster N with -k)\n"
"  -c, --count=N       objects to dump (default 8, 0 = all)\n"
"  -b, --bytes=N       bytes of each dumped object (default 256)\n"
"  -q, --quiet         no progress on stderr\n"
"      --stats         time and type-loading statistics on stderr\n"
"  -h, --help          this help\n"
"  -V, --version       version\n"
"\n"
"Exit status: 0 all vmcores analysed, 1 some vmcore failed (see stderr),\n"
"2 bad usage, 3 VMLINUX unusable.\n", LX_DEFAULT_TOP);
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

static bool is_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
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

	while ((c = getopt_long(argc, argv, "C:n:ak:ljdc:b:qhV", longs, NULL)) != -1)
		if (parse_option(p, c))
			return -1;
	n = argc - optind;
	if (n >= 3 && !p->opt.cache && !is_file(argv[argc - 1])) {
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
	p->vmlinux = argv[optind];
	p->vmcores = argv + optind + 1;
	p->nvmcores = n - 1;
	return 0;
}

static void json_error(const char *path, const char *err)
{
	printf("{\"schema\":\"%s\",\"source\":", LX_JSON_SCHEMA);
	lx_json_string(stdout, path, 4096);
	printf(",\"error\":");
	lx_json_string(stdout, err, 4096);
	printf("}\n");
}

static int run_one(struct program *p, struct lx_dwarf *dw, const char *path)
{
	struct sa_dump d = { .path = path, .fd = -1, .dwarf = dw,
			     .progress = !p->quiet && isatty(fileno(stderr)) };
	struct lx_target t = { .ops = &sa_ops, .priv = &d, .out = stdout };
	struct lx_session s = { .t = &t };
	struct lx_options opt = p->opt;
	char err[512] = "";
	double start = lx_now();
	int ret;

	opt.source = path;
	if (sa_dump_open(&d, p->vmlinux, err, sizeof(err))) {
		fprintf(stderr, "leakscan: %s: %s\n", path, err);
		if (p->opt.json)
			json_error(path, err);
		sa_dump_close(&d);
		return -1;
	}
	if (p->nvmcores > 1 && !opt.json)
		printf("%s==> %s <==\n", path == p->vmcores[0] ? "" : "\n", path);
	ret = p->dump ? lx_leakdump(&s, &opt) : lx_leakscan(&s, &opt);
	fflush(stdout);
	if (p->stats)
		fprintf(stderr, "leakscan: %s: analysed in %.2f s (%zu symbols)\n", path,
			lx_now() - start, d.symbols.count);
	if (ret && p->opt.json && d.errors)
		json_error(path, "analysis failed; see stderr");
	sa_dump_close(&d);
	return ret;
}

int main(int argc, char **argv)
{
	struct program p = { .opt = { 0 } };
	struct lx_dwarf *dw;
	size_t units, types, enums;
	double seconds;
	char err[512];
	int i, failed = 0;

	if (parse_args(&p, argc, argv))
		return EXIT_USAGE;
	dw = lx_dwarf_open(p.vmlinux, err, sizeof(err));
	if (!dw) {
		fprintf(stderr, "leakscan: %s\n", err);
		return EXIT_VMLINUX;
	}
	if (p.stats) {
		lx_dwarf_stats(dw, &units, &types, &enums, &seconds);
		fprintf(stderr, "leakscan: types: %zu units, %zu structs/unions, %zu enumerators indexed in %.2f s\n",
			units, types, enums, seconds);
	}
	sa_catch_interrupts();
	for (i = 0; i < p.nvmcores; i++)
		if (run_one(&p, dw, p.vmcores[i]))
			failed++;
	lx_dwarf_close(dw);
	return failed ? EXIT_DUMP_FAILED : EXIT_OK;
}
