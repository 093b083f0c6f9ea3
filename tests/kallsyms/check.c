// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms_check: decode kallsyms from a real dump (src/standalone/
 * kallsyms.c over libkdumpfile), time the decode, and compare every symbol
 * with the debug vmlinux's ELF symbol table shifted by KERNELOFFSET.
 *
 * usage: kallsyms_check [-l LABEL] [-r RUNS] [-t MS] VMCORE [VMLINUX]
 *   -t  bound of the fastest decode in ms of CPU (default 50; 0: only
 *       report the time, for sanitizer builds)
 *
 * Prints "PASS: kallsyms LABEL: ..." / "FAIL: ..." lines (tests/run-tests
 * counts them) and exits non-zero if any failed.  Compared: each ELF
 * function or object symbol whose name kallsyms holds must be there at the
 * ELF address (+ KERNELOFFSET, except per-cpu symbols under the
 * absolute-percpu layout, which kallsyms keeps unrelocated); each kallsyms
 * symbol must be an ELF symbol of that name at that address.
 */
#include <fcntl.h>
#include <gelf.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "leakext/arch.h"
#include "standalone/files.h"

#include "standalone/symbols/kallsyms.h"

#define SHOW 10		/* examples of each kind of difference */

struct named {
	const char *name;
	uint64_t addr;
};

struct elf_symbols {
	struct named *all;	/* every named, defined symbol */
	size_t nall;
	struct named *wanted;	/* functions and objects */
	size_t nwanted;
};

static int failures;
static double read_ms;		/* CPU time spent in libkdumpfile reads */
static unsigned long reads;

static void result(bool ok, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void result(bool ok, const char *label, const char *fmt, ...)
{
	va_list ap;

	printf("%s: kallsyms %s: ", ok ? "PASS" : "FAIL", label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	failures += !ok;
}

static double clock_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Wall time; on a shared machine the CPU time says more. */
static double now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

static double cpu_ms(void)
{
	return clock_ms(CLOCK_PROCESS_CPUTIME_ID);
}

static bool dump_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	double start = cpu_ms();
	size_t got = len;
	bool ok = kdump_read(priv, KDUMP_KVADDR, addr, buf, &got) == KDUMP_OK && got == len;

	read_ms += cpu_ms() - start;
	reads++;
	return ok;
}

static const char *vmcoreinfo(void *priv, const char *key)
{
	char attr[128];
	const char *value = NULL;

	snprintf(attr, sizeof(attr), "linux.vmcoreinfo.lines.%s", key);
	if (kdump_get_string_attr(priv, attr, &value) != KDUMP_OK)
		return NULL;
	return value;
}

static kdump_ctx_t *open_dump(const char *path)
{
	char err[512];
	int fd;	/* the context reads through it until the process exits */
	kdump_ctx_t *ctx = sa_kdump_open_path(path, &fd, err, sizeof(err));

	if (!ctx)
		fprintf(stderr, "%s: %s\n", path, err);
	return ctx;
}

static int named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static bool holds(const struct named *v, size_t n, const char *name, uint64_t addr)
{
	struct named key = { name, addr };

	return bsearch(&key, v, n, sizeof(*v), named_cmp) != NULL;
}

/* Whether any entry has the name (v sorted by name, then address). */
static bool holds_name(const struct named *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(v[lo].name, name);
}

/*
 * The ELF address kallsyms should give.  Under the absolute-percpu layout
 * a per-cpu symbol (inside the zero-based .data..percpu, as scripts/kallsyms
 * decides by __per_cpu_start..__per_cpu_end) keeps its link value; the
 * section also holds kernel addresses (__per_cpu_load), which move.
 */
static uint64_t expected_address(const GElf_Sym *sym, const char *section,
				 const GElf_Shdr *sh, uint64_t offset,
				 enum sa_kallsyms_layout layout)
{
	if (layout == SA_KALLSYMS_ABSOLUTE_PERCPU && sh->sh_addr == 0 &&
	    sym->st_value <= sh->sh_size && !strcmp(section, ".data..percpu"))
		return sym->st_value;
	return sym->st_value + offset;
}

static int add_named(struct named **v, size_t *n, size_t *cap, const char *name,
		     uint64_t addr)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 65536;
		*v = realloc(*v, *cap * sizeof(**v));
		if (!*v)
			return -1;
	}
	(*v)[*n].name = name;
	(*v)[(*n)++].addr = addr;
	return 0;
}

static int read_elf(Elf *elf, uint64_t offset, enum sa_kallsyms_layout layout,
		    bool code_only, struct elf_symbols *es)
{
	size_t shstrndx, i, n, cap_all = 0, cap_wanted = 0;
	Elf_Scn *scn = NULL, *sec;
	GElf_Shdr sh, ssh;
	Elf_Data *data;
	GElf_Sym sym;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return -1;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		data = elf_getdata(scn, NULL);
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; data && i < n; i++) {
			const char *name, *secname;
			unsigned int type;
			uint64_t addr;

			if (!gelf_getsym(data, i, &sym) || !sym.st_name ||
			    sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			sec = elf_getscn(elf, sym.st_shndx);
			if (!name || !*name || !sec || !gelf_getshdr(sec, &ssh))
				continue;
			secname = elf_strptr(elf, shstrndx, ssh.sh_name);
			addr = expected_address(&sym, secname ? secname : "", &ssh,
						offset, layout);
			type = GELF_ST_TYPE(sym.st_info);
			if (add_named(&es->all, &es->nall, &cap_all, name, addr) ||
			    ((type == STT_FUNC || (type == STT_OBJECT && !code_only)) &&
			     add_named(&es->wanted, &es->nwanted, &cap_wanted, name, addr)))
				return -1;
		}
	}
	qsort(es->all, es->nall, sizeof(*es->all), named_cmp);
	return 0;
}

/* kallsyms against the ELF table, both ways. */
static void compare(const char *label, const struct lx_symtab *st,
		    const struct elf_symbols *es)
{
	size_t i, matched = 0, absent = 0, mismatched = 0, extra = 0, shown = 0;
	struct named *ks = malloc(st->count * sizeof(*ks));

	for (i = 0; i < st->count; i++) {
		ks[i].name = st->syms[i].name;
		ks[i].addr = st->syms[i].addr;
	}
	qsort(ks, st->count, sizeof(*ks), named_cmp);
	for (i = 0; i < es->nwanted; i++) {
		const struct named *w = &es->wanted[i];

		if (holds(ks, st->count, w->name, w->addr)) {
			matched++;
		} else if (!holds_name(ks, st->count, w->name)) {
			absent++;
		} else {
			mismatched++;
			if (shown++ < SHOW)
				fprintf(stderr, "  mismatch: %s: ELF %#llx, not in kallsyms\n",
					w->name, (unsigned long long)w->addr);
		}
	}
	for (i = 0, shown = 0; i < st->count; i++) {
		if (holds(es->all, es->nall, ks[i].name, ks[i].addr))
			continue;
		extra++;
		if (shown++ < SHOW)
			fprintf(stderr, "  kallsyms only: %s at %#llx\n", ks[i].name,
				(unsigned long long)ks[i].addr);
	}
	result(mismatched == 0, label,
	       "%zu ELF functions/objects: %zu matched, %zu mismatched, %zu names not in kallsyms",
	       es->nwanted, matched, mismatched, absent);
	result(extra == 0, label, "%zu kallsyms symbols: %zu at an ELF symbol of that name, %zu not",
	       st->count, st->count - extra, extra);
	free(ks);
}

/* The value of symbol name in the ELF symbol table; 0 if none. */
static uint64_t elf_symbol(Elf *elf, const char *name)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Data *data;
	size_t i, n;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; data && i < n; i++) {
			const char *s;

			if (gelf_getsym(data, i, &sym) && sym.st_name &&
			    (s = elf_strptr(elf, sh.sh_link, sym.st_name)) && !strcmp(s, name))
				return sym.st_value;
		}
	}
	return 0;
}

/*
 * KERNELOFFSET, or where VMCOREINFO puts _stext against the ELF's when
 * the line is missing (i386 kernels write none).
 */
static uint64_t kernel_offset(kdump_ctx_t *ctx, Elf *elf)
{
	const char *text = vmcoreinfo(ctx, "KERNELOFFSET");
	const char *stext = vmcoreinfo(ctx, "SYMBOL(_stext)");
	uint64_t linked;

	if (text)
		return strtoull(text, NULL, 16);
	linked = stext ? elf_symbol(elf, "_stext") : 0;
	return linked ? strtoull(stext, NULL, 16) - linked : 0;
}

/* Without CONFIG_KALLSYMS_ALL kallsyms keeps code only: no init_task. */
static bool kallsyms_code_only(const struct lx_symtab *st)
{
	size_t i;

	for (i = 0; i < st->count; i++)
		if (!strcmp(st->syms[i].name, "init_task"))
			return false;
	return true;
}

static int compare_with_vmlinux(const char *label, const char *vmlinux,
				kdump_ctx_t *ctx, const struct lx_symtab *st,
				enum sa_kallsyms_layout layout)
{
	struct elf_symbols es = { 0 };
	int fd = open(vmlinux, O_RDONLY);
	Elf *elf;

	bool code_only = kallsyms_code_only(st);

	elf_version(EV_CURRENT);
	elf = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	if (!elf || read_elf(elf, kernel_offset(ctx, elf), layout, code_only, &es)) {
		result(false, label, "%s: cannot read its symbols", vmlinux);
		return -1;
	}
	if (code_only)
		printf("INFO: kallsyms %s: kallsyms names code only (no CONFIG_KALLSYMS_ALL): functions compared\n",
		       label);
	compare(label, st, &es);
	free(es.all);
	free(es.wanted);
	elf_end(elf);
	close(fd);
	return 0;
}

struct timing {
	double wall, cpu, read_cpu;	/* ms */
	unsigned long reads;
};

/* runs decodes; the last table stays in st.  The first and the fastest. */
static int timed_decodes(const char *label, const struct lx_target *t,
			 const struct sa_kallsyms_addrs *a, struct lx_symtab *st,
			 struct sa_kallsyms_stats *stats, unsigned int runs,
			 struct timing *first, struct timing *best)
{
	struct timing now;
	char err[512];
	unsigned int i;

	for (i = 0; i < runs; i++) {
		lx_symtab_free(st);
		read_ms = 0;
		reads = 0;
		now.wall = now_ms();
		now.cpu = cpu_ms();
		if (sa_kallsyms_load_stats(t, a, st, stats, err, sizeof(err))) {
			result(false, label, "decode failed: %s", err);
			return -1;
		}
		now.wall = now_ms() - now.wall;
		now.cpu = cpu_ms() - now.cpu;
		now.read_cpu = read_ms;
		now.reads = reads;
		if (!i)
			*first = now;
		if (!i || now.cpu < best->cpu)
			*best = now;
	}
	return 0;
}

/* The dump's word: its architecture's, by libkdumpfile's name for it. */
static unsigned int dump_word_size(kdump_ctx_t *ctx)
{
	const char *name = NULL;
	const struct lx_arch *row;

	if (kdump_get_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, &name) != KDUMP_OK || !name)
		return 8;
	row = lx_arch_find(name);
	return row ? row->word_size : 8;
}

static int run(const char *label, const char *vmcore, const char *vmlinux,
	       unsigned int runs, unsigned int bound)
{
	static const struct lx_dump_ops ops = { .read = dump_read };
	struct sa_kallsyms_stats stats;
	struct sa_kallsyms_addrs a;
	struct lx_symtab st = { 0 };
	struct lx_target t = { .dump = &ops };
	struct timing first = { 0 }, best = { 0 };
	char err[512];

	t.dump_priv = open_dump(vmcore);
	if (!t.dump_priv) {
		result(false, label, "%s: cannot open", vmcore);
		return -1;
	}
	t.word_size = dump_word_size(t.dump_priv);
	if (sa_kallsyms_addrs_from_vmcoreinfo(&a, vmcoreinfo, t.dump_priv, err, sizeof(err))) {
		result(false, label, "%s", err);
		return -1;
	}
	if (timed_decodes(label, &t, &a, &st, &stats, runs, &first, &best))
		return -1;
	result(stats.added > 10000 && !stats.bad_names && !stats.long_names, label,
	       "%u of %u symbols decoded (%s layout, %u of %u VMCOREINFO anchors at their address; %u bad and %u overlong names skipped; names stream %llu bytes)",
	       stats.added, stats.num_syms, sa_kallsyms_layout_name(stats.layout),
	       stats.anchors_matched, stats.anchors_found, stats.bad_names,
	       stats.long_names, (unsigned long long)stats.names_bytes);
	if (bound)
		result(best.cpu < bound, label,
		       "decode took %.1f ms CPU (%.1f ms wall), the fastest of %u runs (bound %u ms CPU)",
		       best.cpu, best.wall, runs, bound);
	else
		printf("INFO: kallsyms %s: decode took %.1f ms CPU (%.1f ms wall), the fastest of %u runs (not bounded)\n",
		       label, best.cpu, best.wall, runs);
	printf("INFO: kallsyms %s: the first decode, on a cold dump cache: %.1f ms CPU (%.1f ms wall), %.1f ms CPU of them in %lu reads of the dump\n",
	       label, first.cpu, first.wall, first.read_cpu, first.reads);
	if (vmlinux)
		compare_with_vmlinux(label, vmlinux, t.dump_priv, &st, stats.layout);
	lx_symtab_free(&st);
	kdump_free(t.dump_priv);
	return 0;
}

int main(int argc, char **argv)
{
	const char *label = "dump";
	unsigned int runs = 5, bound = 50;
	int c;

	while ((c = getopt(argc, argv, "l:r:t:")) != -1) {
		if (c == 'l')
			label = optarg;
		else if (c == 'r' && atoi(optarg) > 0)
			runs = atoi(optarg);
		else if (c == 't' && atoi(optarg) >= 0)
			bound = atoi(optarg);
		else
			goto usage;
	}
	if (argc - optind < 1 || argc - optind > 2)
		goto usage;
	run(label, argv[optind], argc - optind > 1 ? argv[optind + 1] : NULL, runs, bound);
	return failures ? 1 : 0;
usage:
	fprintf(stderr, "usage: kallsyms_check [-l LABEL] [-r RUNS] [-t MS] VMCORE [VMLINUX]\n");
	return 2;
}
