// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reader_compare [-J N] [-l LABEL] [-s STEP] VMCORE: the program's own reader
 * (src/standalone/readers/reader.c) against libkdumpfile on one dump.
 *
 * Physical: every STEP-th page frame below max_pfn (default every one),
 * read whole and as a span crossing into the next frame, through the
 * format's read() and through kdump_read(KDUMP_MACHPHYSADDR).  Whatever
 * the own reader answers must be libkdumpfile's bytes; what it leaves
 * alone is counted (pages not in the file, which libkdumpfile refuses
 * too, and pages only libkdumpfile reads).
 *
 * Virtual: in each linearly mapped range, and in the 64 MiB from _stext
 * (the kernel image, linear or through the page tables), every STEP-th
 * page (at most 1 << 20 pages a range) read unaligned across a page
 * boundary through sa_reader_read() and through libkdumpfile (its
 * translation, then a machine physical read: sa_kdump_read()), the same
 * rule.  Where the own reader says a span is not in the dump (the
 * format's absent op, sa_reader_absent()), libkdumpfile must refuse it.  Where the image is mapped by page tables the own reader
 * does not walk (not x86_64's), libkdumpfile reading all of it passes.
 *
 * The oracle reads through sa_kdump_reads (src/standalone/readers/kdump.c), as the
 * program's own libkdumpfile reads do: contexts replaced before their page
 * cache fills, so libkdumpfile 0.5.1's cache bug (a reused ghost entry gets
 * a wrong buffer; on a CI build of S5 it made libkdumpfile refuse 7 pages
 * the own reader read, then fault) cannot happen.  A fault all the same is
 * caught, the context abandoned and the read asked of a fresh one; an
 * address that faults a fresh context too has no oracle and is counted so,
 * and a NOTE line says where.
 *
 * -J N: N - 1 workers decode ahead (ahead.c), each page advised 64 reads
 * before it is read; the same rule holds for what the reader answers.  A
 * format that decodes nothing ahead (ELF) refuses -J.
 *
 * Kernel virtual, an ELF dump's own map: pages of the PT_LOADs that give
 * the virtual address they are mapped at (QEMU with paging: modules and
 * vmalloc too), through both readers, each against the segment's bytes.
 *
 * Prints PASS/FAIL lines; exit 0 when it passed, 1 when it failed, 2 on
 * bad usage or a dump it cannot open.
 */
#include <getopt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "standalone/files.h"
#include "standalone/readers/kcore.h"
#include "standalone/readers/reader.h"

struct tally {
	uint64_t same, excluded, only_libkdumpfile, differ, only_own, no_oracle;
	uint64_t zero_tail;	/* the own reader's zeros of an ELF zero tail */
	/* the own reader said no page is there (sa_reader_absent()); wrongly */
	uint64_t absent, wrongly_absent;
	uint64_t first_bad;	/* address of the first disagreement */
	/* the own reader follows no translation here (not x86_64's tables) */
	bool unfollowed;
	/* who is compared with whom; NULL: the own reader, libkdumpfile */
	const char *reader, *oracle;
};

/* Faults after which the oracle is given up: a bug this test cannot avoid. */
#define ORACLE_MAX_FAULTS 16

struct compare {
	kdump_ctx_t *ctx;	/* opened the own reader; attributes */
	struct sa_kdump_reads oracle;
	unsigned int faults;
	uint64_t first_fault, no_oracle_at;
	struct sa_reader reader;
	uint64_t page_size, max_pfn, step;
	uint8_t *own, *theirs;
	unsigned int workers;	/* -J N: N - 1 */
	struct sa_kcore elf;	/* an ELF dump's segments (nsegs 0: none) */
};

#define ADVISED_READS 64	/* how far ahead a read is advised with -J */

static void judge(struct tally *t, bool lost, bool own_ok, bool their_ok, const void *own,
		  const void *theirs, size_t len, uint64_t addr)
{
	bool bad = false;

	if (lost)
		t->no_oracle++;
	else if (own_ok && their_ok && !memcmp(own, theirs, len))
		t->same++;
	else if (own_ok && their_ok)
		bad = ++t->differ;
	else if (own_ok)
		bad = ++t->only_own;
	else if (their_ok)
		t->only_libkdumpfile++;
	else
		t->excluded++;
	if (bad && !t->first_bad)
		t->first_bad = addr ? addr : 1;
}

static sigjmp_buf fault_jump;
/* Contexts that faulted stay reachable here, unfreed (LSan). */
static kdump_ctx_t *abandoned[ORACLE_MAX_FAULTS];

static void on_fault(int sig)
{
	siglongjmp(fault_jump, sig);
}

/* After a fault libkdumpfile's state is unknown: never touch it again. */
static void abandon_oracle(struct compare *c, uint64_t addr)
{
	if (!c->faults++)
		c->first_fault = addr;
	abandoned[c->faults - 1] = sa_kdump_reads_abandon(&c->oracle);
}

/*
 * kdump_read() with SIGSEGV/SIGBUS caught: 1 read, 0 refused, -1 faulted
 * or no context opens.
 * The handlers stand only around this call, so a fault in the own reader
 * still ends the run (exit by signal: "could not run" in tests/run-tests).
 */
static int guarded_kdump_read(struct compare *c, kdump_addrspace_t as, uint64_t addr,
			      size_t len)
{
	struct sigaction fault = { .sa_handler = on_fault }, old_segv, old_bus;
	kdump_ctx_t *ctx = sa_kdump_reads_ctx(&c->oracle, len);
	volatile int ret = -1;

	if (!ctx)
		return -1;
	sigemptyset(&fault.sa_mask);
	sigaction(SIGSEGV, &fault, &old_segv);
	sigaction(SIGBUS, &fault, &old_bus);
	if (!sigsetjmp(fault_jump, 1))
		ret = sa_kdump_read(ctx, as, addr, c->theirs, len);
	else
		abandon_oracle(c, addr);
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return ret;
}

/*
 * libkdumpfile's answer: 1 read, 0 refused, -1 no oracle (no context
 * opens, or a fresh one faulted here too, or too many faults).
 */
static int their_read(struct compare *c, kdump_addrspace_t as, uint64_t addr, size_t len)
{
	int ret = -1, tries;

	for (tries = 0; ret < 0 && tries < 2 && c->faults < ORACLE_MAX_FAULTS; tries++)
		ret = guarded_kdump_read(c, as, addr, len);
	if (ret < 0 && !c->no_oracle_at)
		c->no_oracle_at = addr ? addr : 1;
	return ret;
}

/*
 * ELF's zero tails: an ELF segment's bytes past p_filesz up to p_memsz are
 * zeros (where makedumpfile -E puts the pages it leaves out).  The own
 * reader answers them so, as crash does; libkdumpfile 0.5.1 refuses whole
 * pages of them.  A read the own reader alone answers passes as such only
 * when every byte is zero and every byte lies in a tail by the file's own
 * program headers, parsed here apart from the reader.
 */
static bool in_zero_tail(const struct compare *c, uint64_t paddr, size_t len)
{
	const struct sa_kcore_segment *seg;
	unsigned int i;

	for (i = 0; i < c->elf.nsegs; i++) {
		seg = &c->elf.segs[i];
		if (seg->paddr != SA_KCORE_NO_PADDR && paddr - seg->paddr >= seg->size &&
		    paddr - seg->paddr < seg->memsize &&
		    seg->memsize - (paddr - seg->paddr) >= len)
			return true;
	}
	return false;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	return !len || (!p[0] && !memcmp(p, p + 1, len - 1));
}

/* kvaddr through libkdumpfile's translation, to a machine physical address. */
static bool kv_to_phys(struct compare *c, uint64_t kvaddr, uint64_t *paddr)
{
	addrxlat_fulladdr_t a = { .addr = kvaddr, .as = ADDRXLAT_KVADDR };
	addrxlat_ctx_t *xctx;
	addrxlat_sys_t *sys;
	bool ok;

	if (kdump_get_addrxlat(c->ctx, &xctx, &sys) != KDUMP_OK)
		return false;
	ok = addrxlat_fulladdr_conv(&a, ADDRXLAT_MACHPHYSADDR, xctx, sys) == ADDRXLAT_OK;
	addrxlat_ctx_decref(xctx);
	addrxlat_sys_decref(sys);
	*paddr = a.addr;
	return ok;
}

/* [addr, addr + len), inside one page, in a zero tail. */
static bool piece_in_zero_tail(struct compare *c, kdump_addrspace_t as, uint64_t addr,
			       size_t len)
{
	uint64_t paddr = addr;

	if (as == KDUMP_KVADDR && !kv_to_phys(c, addr, &paddr))
		return false;
	return in_zero_tail(c, paddr, len);
}

/*
 * A read only the own reader answered that holds a zero tail: page by
 * page, its zeros inside tails, its other pieces libkdumpfile's bytes.
 */
static bool own_zero_tail(struct compare *c, bool own_ok, int theirs, kdump_addrspace_t as,
			  uint64_t addr, size_t len)
{
	size_t at = 0, piece;
	bool tail = false;

	if (!own_ok || theirs || !c->elf.nsegs)
		return false;
	for (; at < len; at += piece) {
		piece = c->page_size - (addr + at) % c->page_size;
		piece = piece < len - at ? piece : len - at;
		if (piece_in_zero_tail(c, as, addr + at, piece)) {
			if (!all_zero(c->own + at, piece))
				return false;
			tail = true;
		} else if (their_read(c, as, addr + at, piece) <= 0 ||
			   memcmp(c->theirs, c->own + at, piece)) {
			return false;
		}
	}
	return tail;
}

/* The own reader's claim that the dump does not hold the span: libkdumpfile must refuse it. */
static void judge_absent(struct tally *t, bool absent, int theirs, uint64_t addr)
{
	if (!absent || theirs < 0)
		return;
	if (!theirs) {
		t->absent++;
		return;
	}
	t->wrongly_absent++;
	if (!t->first_bad)
		t->first_bad = addr ? addr : 1;
}

/* The own reader's answer for [addr, addr + len) against libkdumpfile's. */
static void judge_span(struct compare *c, struct tally *t, kdump_addrspace_t as,
		       uint64_t addr, size_t len, bool own_ok, bool absent)
{
	int theirs = their_read(c, as, addr, len);

	judge_absent(t, absent, theirs, addr);
	if (own_zero_tail(c, own_ok, theirs, as, addr, len))
		t->zero_tail++;
	else
		judge(t, theirs < 0, own_ok, theirs > 0, c->own, c->theirs, len, addr);
}

/* One physical span, through the format itself and through libkdumpfile. */
static void phys_span(struct compare *c, struct tally *t, uint64_t addr, size_t len)
{
	const struct sa_format_ops *ops = c->reader.ops;
	bool own_ok = ops->read(c->reader.priv, addr, c->own, len);

	judge_span(c, t, KDUMP_MACHPHYSADDR, addr, len, own_ok,
		   ops->absent && ops->absent(c->reader.priv, addr, len));
}

static void kv_span(struct compare *c, struct tally *t, uint64_t addr, size_t len)
{
	bool own_ok = sa_reader_read(&c->reader, addr, c->own, len);

	judge_span(c, t, KDUMP_KVADDR, addr, len, own_ok,
		   sa_reader_absent(&c->reader, addr, len));
}

/* With workers: advise the frame ADVISED_READS reads after pfn (all of them at first). */
static void advise_phys(struct compare *c, uint64_t pfn)
{
	uint64_t from = pfn ? pfn + ADVISED_READS * c->step : 0;
	uint64_t to = pfn + (ADVISED_READS + 1) * c->step, at;

	for (at = from; c->workers && at < to && at < c->max_pfn; at += c->step)
		c->reader.ops->prefetch(c->reader.priv, at * c->page_size, c->page_size);
}

static void compare_phys(struct compare *c, struct tally *whole, struct tally *span)
{
	uint64_t pfn;

	for (pfn = 0; pfn < c->max_pfn; pfn += c->step) {
		advise_phys(c, pfn);
		phys_span(c, whole, pfn * c->page_size, c->page_size);
		if (pfn + 1 < c->max_pfn)
			phys_span(c, span, pfn * c->page_size + c->page_size - 100, 200);
	}
}

/* From pages start to end, every step-th, at most 1 << 20 of them. */
static void kv_pages(struct compare *c, struct tally *t, uint64_t start, uint64_t end)
{
	uint64_t addr, n;

	for (addr = start, n = 0; n < (1 << 20) && addr - start < end - start - c->page_size;
	     addr += c->step * c->page_size, n++) {
		if (c->workers && !(n % ADVISED_READS))	/* the next ADVISED_READS reads */
			for (uint64_t k = 0; k < ADVISED_READS; k++)
				sa_reader_prefetch(&c->reader, addr + (ADVISED_READS + k) *
						   c->step * c->page_size, c->page_size + 17);
		kv_span(c, t, addr + 17, c->page_size);
	}
}

/* The kernel image from _stext on, through whichever translation covers it. */
static void kv_kernel_image(struct compare *c, struct tally *t)
{
	const char *text = NULL;
	uint64_t stext;

	if (kdump_get_string_attr(c->ctx, "linux.vmcoreinfo.lines.SYMBOL(_stext)", &text) !=
	    KDUMP_OK || !text)
		return;
	stext = strtoull(text, NULL, 16);
	kv_pages(c, t, stext, stext + (64ULL << 20));
}

static void compare_virtual(struct compare *c, struct tally *linear, struct tally *image)
{
	const struct sa_kv_range *r;
	unsigned int i;

	for (i = 0; i < c->reader.nranges; i++) {
		r = &c->reader.ranges[i];
		if (r->kind == SA_RANGE_LINEAR)
			kv_pages(c, linear, r->start, r->end);
	}
	kv_kernel_image(c, image);
}

/*
 * Kernel virtual, the ELF dump's own map: a dump written by walking the
 * guest's page tables (QEMU's dump-guest-memory with paging) gives each
 * PT_LOAD the virtual address its pages are mapped at, modules and
 * vmalloc included (which no pass above reads).  Every page of a segment,
 * or evenly spread PER_SEGMENT_PAGES of a larger one, read whole through
 * the own reader and through libkdumpfile, each judged against the bytes
 * the segment holds.  A segment whose p_vaddr is its p_paddr states no
 * mapping (QEMU without paging writes the physical address in both).
 */
#define PER_SEGMENT_PAGES (1U << 12)

struct map_tallies {
	struct tally own, libkdumpfile;
	uint8_t *file;
	unsigned int segments;	/* that state a mapping */
};

static void map_page(struct compare *c, struct map_tallies *m, const struct sa_kcore *k,
		     uint64_t addr)
{
	bool file_ok = sa_kcore_read(k, addr, m->file, c->page_size);
	bool own_ok = sa_reader_read(&c->reader, addr, c->own, c->page_size);
	int theirs = their_read(c, KDUMP_KVADDR, addr, c->page_size);

	judge(&m->own, false, own_ok, file_ok, c->own, m->file, c->page_size, addr);
	judge(&m->libkdumpfile, theirs < 0, theirs > 0, file_ok, c->theirs, m->file,
	      c->page_size, addr);
}

static void map_segment(struct compare *c, struct map_tallies *m, const struct sa_kcore *k,
			const struct sa_kcore_segment *seg)
{
	uint64_t first = (seg->vaddr + c->page_size - 1) & ~(c->page_size - 1);
	uint64_t pages, stride, i;

	if (seg->vaddr == seg->paddr || seg->vaddr + seg->size < first + c->page_size)
		return;
	m->segments++;
	pages = (seg->vaddr + seg->size - first) / c->page_size;
	stride = (pages + PER_SEGMENT_PAGES - 1) / PER_SEGMENT_PAGES;
	for (i = 0; i < pages; i += stride)
		map_page(c, m, k, first + i * c->page_size);
}

/* false when the file is no ELF core or its segments state no mapping */
static bool compare_elf_map(struct compare *c, struct map_tallies *m)
{
	unsigned int i;

	m->file = malloc(c->page_size);
	for (i = 0; m->file && i < c->elf.nsegs; i++)
		map_segment(c, m, &c->elf, &c->elf.segs[i]);
	free(m->file);
	return m->segments;
}

/*
 * Whatever both read agrees, and some pages were compared at all (or
 * libkdumpfile read them all where the own reader follows no translation).
 */
static bool report(const char *label, const char *what, const struct tally *t)
{
	bool ok = !t->differ && !t->only_own && !t->wrongly_absent &&
		  (t->same || (t->unfollowed && t->only_libkdumpfile));
	const char *reader = t->reader ? t->reader : "the own reader";
	const char *oracle = t->oracle ? t->oracle : "libkdumpfile";

	printf("%s: reader %s: %s: %llu identical, %llu unreadable to both, %llu only %s read, %llu differ, %llu only %s read",
	       ok ? "PASS" : "FAIL", label, what, (unsigned long long)t->same,
	       (unsigned long long)t->excluded, (unsigned long long)t->only_libkdumpfile, oracle,
	       (unsigned long long)t->differ, (unsigned long long)t->only_own, reader);
	if (t->zero_tail)
		printf(", %llu zeros of ELF segments' tails (past p_filesz) only %s read",
		       (unsigned long long)t->zero_tail, reader);
	if (t->absent || t->wrongly_absent)
		printf(", %llu said not in the dump, %llu of them wrongly (libkdumpfile read it)",
		       (unsigned long long)(t->absent + t->wrongly_absent),
		       (unsigned long long)t->wrongly_absent);
	if (t->no_oracle)
		printf(", %llu with no oracle (libkdumpfile faulted)",
		       (unsigned long long)t->no_oracle);
	if (t->first_bad)
		printf(" (first at %#llx)", (unsigned long long)t->first_bad);
	printf("\n");
	return ok;
}

/* With -J: the workers answered reads (else nothing above tested them). */
static bool report_ahead(const struct compare *c, const char *label)
{
	struct sa_ahead_stats st;
	bool ok;

	if (!c->workers)
		return true;
	ok = sa_reader_ahead_stats(&c->reader, &st) && st.ready;
	printf("%s: reader %s: %u workers decoding ahead answered reads", ok ? "PASS" : "FAIL",
	       label, ok ? st.workers : 0);
	if (ok)
		printf(": %llu pages queued, %llu read as they decoded them, %llu decoded by the reader first",
		       (unsigned long long)st.queued, (unsigned long long)st.ready,
		       (unsigned long long)st.taken_back);
	printf("\n");
	return ok;
}

static int open_compare(struct compare *c, const char *path, int *fd)
{
	char err[512] = "";

	c->ctx = sa_kdump_open_path(path, fd, err, sizeof(err));
	if (!c->ctx) {
		fprintf(stderr, "reader_compare: %s: %s\n", path, err);
		return -1;
	}
	sa_reader_open(&c->reader, *fd, c->ctx);
	if (!c->reader.ops) {
		fprintf(stderr, "reader_compare: %s: no own reader: %s\n", path, c->reader.why);
		return -1;
	}
	if (c->workers && !c->reader.ops->start_workers) {
		fprintf(stderr, "reader_compare: %s: -J: the %s reader decodes nothing ahead\n",
			path, c->reader.ops->name);
		return -1;
	}
	sa_reader_start_workers(&c->reader, c->workers);
	if (sa_kcore_open(&c->elf, *fd, err, sizeof(err)))	/* not ELF */
		memset(&c->elf, 0, sizeof(c->elf));
	c->reader.ops->geometry(c->reader.priv, &c->page_size, &c->max_pfn);
	c->own = malloc(c->page_size);
	c->theirs = malloc(c->page_size);
	return c->own && c->theirs ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct compare c = { .step = 1, .oracle.fd = -1 };
	struct tally whole = { 0 }, span = { 0 }, kv = { 0 }, image = { 0 };
	struct map_tallies map = {
		.own.oracle = "the dump's map",
		.libkdumpfile = { .reader = "libkdumpfile", .oracle = "the dump's map" },
	};
	bool elf;
	const char *label = NULL;
	int opt, fd = -1, ret = 2;
	bool ok;

	while ((opt = getopt(argc, argv, "J:l:s:")) != -1) {
		if (opt == 'l')
			label = optarg;
		else if (opt == 'J' && atoi(optarg) > 0 && atoi(optarg) <= SA_AHEAD_MAX_WORKERS + 1)
			c.workers = atoi(optarg) - 1;
		else if (opt == 's' && atoi(optarg) > 0)
			c.step = atoi(optarg);
		else
			optind = argc + 1;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: reader_compare [-J N] [-l LABEL] [-s STEP] VMCORE\n");
		return 2;
	}
	c.oracle.path = argv[optind];
	if (!open_compare(&c, argv[optind], &fd)) {
		label = label ? label : argv[optind];
		compare_phys(&c, &whole, &span);
		image.unfollowed = map.own.unfollowed = !c.reader.walk.levels;
		compare_virtual(&c, &kv, &image);
		elf = compare_elf_map(&c, &map);
		ok = report(label, "physical pages", &whole);
		ok &= report(label, "physical spans across pages", &span);
		ok &= report(label, "kernel virtual, linear ranges", &kv);
		ok &= report(label, "kernel virtual, 64 MiB from _stext", &image);
		if (elf) {
			ok &= report(label, "the own reader by the ELF dump's virtual map",
				     &map.own);
			ok &= report(label, "libkdumpfile by the ELF dump's virtual map",
				     &map.libkdumpfile);
		}
		ok &= report_ahead(&c, label);
		ret = ok ? 0 : 1;
		if (c.faults)
			printf("NOTE: reader %s: libkdumpfile faulted %u times in kdump_read() (first at %#llx) over %u contexts; the first address no fresh context answered: %#llx\n",
			       label, c.faults, (unsigned long long)c.first_fault,
			       c.oracle.contexts, (unsigned long long)c.no_oracle_at);
	}
	sa_reader_close(&c.reader);
	sa_kcore_close(&c.elf);
	sa_kdump_reads_close(&c.oracle);
	if (c.ctx)
		kdump_free(c.ctx);
	if (fd >= 0)
		close(fd);
	free(c.own);
	free(c.theirs);
	return ret;
}
