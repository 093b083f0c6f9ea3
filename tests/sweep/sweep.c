// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sweep: lay one hostile value over one field the walker reads, in a real
 * sample, and check that leakscan then gives the clean answer, flags its
 * answer, or refuses with a message, without faulting, hanging or
 * flooding.  Every field gets every hostile value that fits it.
 *
 * usage: sweep [-v] [-c] [-f FIELD] [-t SECONDS] [-l LABEL] VMLINUX VMCORE CACHE
 *   -v  every field and every variant, not only the violations
 *   -c  only the self-checks
 *   -f  only the fields whose name contains FIELD
 *   -t  time bound of one variant (default 20 s)
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep.h"

#define MAX_HOSTILE 12
#define DEFAULT_SECONDS 20

struct hostile {
	const char *label;
	uint64_t value;
};

struct tally {
	unsigned int count[V_COUNT];
	unsigned int variants, readback_failures;
};

struct sweep {
	struct overlay ov;
	struct clean clean;
	struct field_list fields;
	struct tally tally;
	unsigned int *hits;	/* per field: reads its patches showed in */
	unsigned int seconds;
	const char *only;	/* -f: fields whose name contains this */
	bool verbose, checks_only;
	const char *label;
};

static uint64_t field_mask(const struct field *f)
{
	return f->width >= 64 ? ~0ULL : (1ULL << f->width) - 1;
}

static void add_hostile(struct hostile *h, size_t *n, const struct field *f,
			const char *label, uint64_t value)
{
	size_t i;

	value &= field_mask(f);
	if (value == f->value)
		return;		/* not hostile */
	for (i = 0; i < *n; i++)
		if (h[i].value == value)
			return;
	h[*n].label = label;
	h[*n].value = value;
	(*n)++;
}

/* The hostile values that fit the field. */
static size_t hostile_values(const struct field *f, const struct clean *cl,
			     struct hostile *h)
{
	size_t n = 0;

	add_hostile(h, &n, f, "zero", 0);
	add_hostile(h, &n, f, "all ones", ~0ULL);
	if (f->width >= 32)
		add_hostile(h, &n, f, "1<<31", 1ULL << 31);
	if (f->width == 64) {
		add_hostile(h, &n, f, "self pointer", f->addr);
		add_hostile(h, &n, f, "other kmem_cache", cl->other_cache);
		add_hostile(h, &n, f, "1<<40", 1ULL << 40);
	}
	if (f->width > 1)	/* a huge count: 0x7fffffff, or the most that fits */
		add_hostile(h, &n, f, "huge", f->width >= 32 ? 0x7fffffff : field_mask(f) >> 1);
	add_hostile(h, &n, f, "value+1", f->value + 1);
	add_hostile(h, &n, f, "high bit flipped", f->value ^ (1ULL << (f->width - 1)));
	return n;
}

/* The field's word with its bits replaced by value, as bytes. */
static void patch_bytes(const struct field *f, uint64_t value, uint8_t *bytes)
{
	uint64_t mask = field_mask(f) << f->shift;
	uint64_t word = (f->word & ~mask) | ((value << f->shift) & mask);

	memcpy(bytes, &word, f->size);	/* x86_64: little endian */
}

/* A patched read must return the hostile bytes: check before each run. */
static bool patch_reads_back(struct overlay *ov, const struct field *f,
			     const uint8_t *bytes)
{
	uint8_t got[8];

	return overlay_dump_ops.read(ov, f->addr, got, f->size) &&
	       !memcmp(got, bytes, f->size);
}

static void print_variant(const char *tag, const struct field *f,
			  const struct hostile *h, const struct outcome *out)
{
	printf("%s: %s (%#llx, was %#llx) = %#llx (%s): %s%s%s; %u message lines",
	       tag, f->name, (unsigned long long)f->addr, (unsigned long long)f->value,
	       (unsigned long long)h->value, h->label, verdict_name(out->verdict),
	       out->detail[0] ? ": " : "", out->detail, out->lines);
	if (out->first[0][0])
		printf(", first: %.120s", out->first[0]);
	printf("\n");
}

/*
 * The one corruption no check can see (README, "Hostile dumps"): a cpu's
 * lockless freelist head cleared to NULL looks like a cpu that just
 * handed out its slab's last object.  Its error is bounded: nothing clean
 * goes missing, and at most one slab's objects are counted live that are
 * not.  Anything else about it is still a violation.
 */
static bool slub_no_witness(const struct sweep *sw, const struct field *f,
			    const struct hostile *h, const struct outcome *out)
{
	unsigned int cpu;
	char rest;

	return h->value == 0 &&
	       sscanf(f->name, "cpu%u.freelist%c", &cpu, &rest) == 1 &&
	       out->missing == 0 && out->extra <= sw->clean.objects_per_slab;
}

/*
 * SLAB has two (README, "Hostile dumps"): an array cache's avail lowered
 * leaves the objects above it counted live, and raised (within its limit)
 * takes stale entries, objects handed out since, as free: no more than
 * the change either way.  And a free index turned into an allocated
 * object's index swaps the two, one object each way.
 */
static bool slab_no_witness(const struct field *f, const struct hostile *h,
			    const struct outcome *out)
{
	const char *tail = strstr(f->name, ".freelist[active]");
	uint64_t lower = h->value < f->value ? f->value - h->value : 0;
	uint64_t raise = h->value > f->value ? h->value - f->value : 0;
	unsigned int n;
	char rest;

	if (tail && !tail[strlen(".freelist[active]")])
		return out->missing <= 1 && out->extra <= 1;
	return out->extra <= lower && out->missing <= raise &&
	       (sscanf(f->name, "cpu%u array.avail%c", &n, &rest) == 1 ||
		sscanf(f->name, "node%u shared.avail%c", &n, &rest) == 1);
}

static bool no_witness(const struct sweep *sw, const struct field *f,
		       const struct hostile *h, const struct outcome *out)
{
	return out->verdict == V_WRONG &&
	       (slub_no_witness(sw, f, h, out) || slab_no_witness(f, h, out));
}

static void run_one(struct sweep *sw, size_t index, const struct hostile *h)
{
	const struct field *f = &sw->fields.items[index];
	struct overlay *ov = &sw->ov;
	struct outcome out;
	uint8_t bytes[8];

	patch_bytes(f, h->value, bytes);
	ov->npatches = 0;
	overlay_add(ov, f->addr, bytes, f->size);
	if (!patch_reads_back(ov, f, bytes))
		sw->tally.readback_failures++;
	run_variant(ov, &sw->clean, f->global, sw->seconds, &out);
	if (no_witness(sw, f, h, &out))
		out.verdict = V_NO_WITNESS;
	ov->npatches = 0;
	sw->tally.variants++;
	sw->tally.count[out.verdict]++;
	sw->hits[index] += out.hits;
	if (out.verdict > V_NO_WITNESS)
		print_variant("VIOLATION", f, h, &out);
	else if (out.verdict == V_NO_WITNESS)
		print_variant("NO WITNESS (bounded)", f, h, &out);
	else if (sw->verbose)
		print_variant("variant", f, h, &out);
}

static void sweep_fields(struct sweep *sw)
{
	struct hostile h[MAX_HOSTILE];
	size_t i, j, n;

	for (i = 0; i < sw->fields.count; i++) {
		if (sw->only && !strstr(sw->fields.items[i].name, sw->only))
			continue;
		n = hostile_values(&sw->fields.items[i], &sw->clean, h);
		for (j = 0; j < n; j++)
			run_one(sw, i, &h[j]);
	}
}

static void __attribute__((format(printf, 3, 4)))
check(const struct sweep *sw, bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: sweep %s: ", ok ? "PASS" : "FAIL", sw->label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* A child made to misbehave must get the matching verdict. */
static bool catches(struct sweep *sw, int how, unsigned int seconds,
		    enum verdict expected)
{
	struct outcome out;

	sw->ov.misbehave = how;
	run_variant(&sw->ov, &sw->clean, false, seconds, &out);
	sw->ov.misbehave = MISBEHAVE_NOT;
	check(sw, out.verdict == expected, "a child made to misbehave is caught as: %s (got %s)",
	      verdict_name(expected), verdict_name(out.verdict));
	return out.verdict == expected;
}

/* The sweep's own machinery, before any verdict is believed. */
static bool self_checks(struct sweep *sw)
{
	struct outcome out;
	bool ok;
	size_t i;

	ok = !clean_plain_check(&sw->ov, &sw->clean);
	check(sw, ok, "clean %s through the overlay equals the plain target", sw->clean.cache_name);
	for (i = 0; i < sw->fields.count && i < 8 && ok; i++)
		ok = !overlay_self_test(&sw->ov, sw->fields.items[i].addr);
	check(sw, ok, "patches show in exact, inner and covering reads, and only there");
	run_variant(&sw->ov, &sw->clean, true, sw->seconds, &out);
	check(sw, out.verdict == V_EXACT && !out.lines,
	      "a forked run with no patch is exact and silent");
	ok = ok && out.verdict == V_EXACT;
	/* a fault gets the full time: ASan's report can take a loaded second */
	return catches(sw, MISBEHAVE_FAULT, sw->seconds, V_FAULT) &&
	       catches(sw, MISBEHAVE_HANG, 1, V_TIMEOUT) &&
	       catches(sw, MISBEHAVE_FLOOD, sw->seconds, V_FLOOD) && ok;
}

static void print_clean(const struct sweep *sw)
{
	const struct clean *cl = &sw->clean;
	const struct field *f = sw->fields.items;
	size_t i;

	uint64_t ranked = 0;

	for (i = 0; i < cl->ncaches; i++)
		ranked += cl->ranking[i].live;
	printf("clean: %s at %#llx: %llu live objects\n", cl->cache_name,
	       (unsigned long long)cl->cache_addr, (unsigned long long)cl->live);
	printf("clean ranking: %zu caches, %llu live objects\n", cl->ncaches,
	       (unsigned long long)ranked);
	printf("sweep: %zu fields\n", sw->fields.count);
	if (sw->verbose)
		for (i = 0; i < sw->fields.count; i++)
			printf("field: %s at %#llx, %u bytes, bits %u+%u, value %#llx%s\n",
			       f[i].name, (unsigned long long)f[i].addr, f[i].size,
			       f[i].shift, f[i].width, (unsigned long long)f[i].value,
			       f[i].global ? " (global: ranking too)" : "");
}

/* Fields no variant's reads touched: the sweep says nothing about them. */
static void print_unread(const struct sweep *sw)
{
	size_t i;

	for (i = 0; i < sw->fields.count; i++)
		if (!sw->hits[i] && (!sw->only || strstr(sw->fields.items[i].name, sw->only)))
			printf("sweep: %s is never read by the commands; its variants test nothing\n",
			       sw->fields.items[i].name);
}

static void print_summary(const struct sweep *sw, double seconds)
{
	const struct tally *t = &sw->tally;
	unsigned int bad = t->variants - t->count[V_EXACT] - t->count[V_FLAGGED] -
			   t->count[V_REFUSED] - t->count[V_NO_WITNESS];
	int v;

	printf("sweep: %u variants: %u exact, %u flagged, %u refused, %u without a witness (bounded), %u violations (%.0f s)\n",
	       t->variants, t->count[V_EXACT], t->count[V_FLAGGED],
	       t->count[V_REFUSED], t->count[V_NO_WITNESS], bad, seconds);
	for (v = V_WRONG; v < V_COUNT; v++)
		if (t->count[v])
			printf("sweep:   %u %s\n", t->count[v], verdict_name(v));
	printf("%s: sweep %s: every patch read back as written (%u failed)\n",
	       t->readback_failures ? "FAIL" : "PASS", sw->label, t->readback_failures);
	printf("%s: sweep %s: %u variants exact, flagged, refused or bounded; %u violations\n",
	       bad ? "FAIL" : "PASS", sw->label, t->variants - bad, bad);
}

static double resident_mib(void)
{
	unsigned long long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%llu %llu", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (double)sysconf(_SC_PAGESIZE) / (1 << 20);
}

static int parse_args(struct sweep *sw, int argc, char **argv)
{
	int c;

	sw->seconds = DEFAULT_SECONDS;
	sw->label = "";
	while ((c = getopt(argc, argv, "t:l:f:vc")) != -1) {
		if (c == 'f')
			sw->only = optarg;
		else if (c == 'v')
			sw->verbose = true;
		else if (c == 'c')
			sw->checks_only = true;
		else if (c == 't')
			sw->seconds = strtoul(optarg, NULL, 0);
		else if (c == 'l')
			sw->label = optarg;
		else
			return -1;
	}
	if (argc - optind != 3 || !sw->seconds) {
		fprintf(stderr, "usage: sweep [-v] [-c] [-f FIELD] [-t SECONDS] [-l LABEL] VMLINUX VMCORE CACHE\n");
		return -1;
	}
	return 0;
}

static struct sa_vmlinux sample_vmlinux;

/* The sample with the vmlinux's symbols and its BTF (as leakscan would). */
static int open_sample(struct sweep *sw, const char *vmlinux, const char *vmcore)
{
	char err[512];

	sw->ov.dump.fd = -1;
	sw->ov.dump.path = vmcore;
	sample_vmlinux.path = vmlinux;
	sw->ov.dump.vmlinux = &sample_vmlinux;
	if (lx_elf_build_id(vmlinux, sample_vmlinux.build_id,
			    sizeof(sample_vmlinux.build_id), err, sizeof(err)) ||
	    sa_types_open_btf_elf(&sample_vmlinux.types, vmlinux, err, sizeof(err)) ||
	    sa_dump_open(&sw->ov.dump, err, sizeof(err))) {
		printf("FAIL: sweep %s: cannot open the sample: %s\n", sw->label, err);
		return -1;
	}
	overlay_init_ops();
	return 0;
}

/* Exit status: 0 when every self-check passes and no variant violates. */
static int sweep_sample(struct sweep *sw, const char *cache)
{
	double start = lx_now();
	const struct tally *t = &sw->tally;
	bool ok;

	sw->ov.echo = true;
	ok = !clean_collect(&sw->ov, cache, &sw->clean, &sw->fields) && !sw->ov.lines;
	check(sw, ok, "clean %s is exact, unflagged and silent", cache);
	if (!ok)
		return 1;
	print_clean(sw);
	printf("sweep: fork of this %.0f MiB process: %.1f ms\n", resident_mib(),
	       1000 * fork_cost(20));
	sw->hits = calloc(sw->fields.count, sizeof(*sw->hits));
	if (!sw->hits || !self_checks(sw))
		return 1;
	if (sw->checks_only)
		return 0;
	sweep_fields(sw);
	print_unread(sw);
	print_summary(sw, lx_now() - start);
	return t->variants && !t->readback_failures &&
	       t->count[V_EXACT] + t->count[V_FLAGGED] + t->count[V_REFUSED] ==
	       t->variants ? 0 : 1;
}

int main(int argc, char **argv)
{
	static struct sweep sw;
	int ret;

	if (parse_args(&sw, argc, argv))
		return 2;
	if (!sw.label[0])
		sw.label = argv[optind + 1];
	if (open_sample(&sw, argv[optind], argv[optind + 1]))
		return 1;
	ret = sweep_sample(&sw, argv[optind + 2]);
	free(sw.hits);
	fields_free(&sw.fields);
	clean_free(&sw.clean);
	sa_dump_close(&sw.ov.dump);
	sa_types_close(&sample_vmlinux.types);
	return ret;
}
