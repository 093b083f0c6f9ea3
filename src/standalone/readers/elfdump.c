// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF dumps (QEMU's dump-guest-memory, virsh dump, a copy of /proc/vmcore,
 * makedumpfile -E) read without libkdumpfile, for physical pages.  Their
 * PT_LOAD segments give each run of physical memory (p_paddr) its place
 * in the file; nothing is compressed, so a read is one pread per run,
 * or a copy from a page read whole for an earlier read of part of it.
 *
 * Answered here: bytes inside a segment's p_filesz, and zeros for the
 * tail of a segment past p_filesz up to p_memsz.  ELF says those bytes are
 * zero, and it is where makedumpfile -E puts a run of 256 or more pages it
 * left out (zero pages, and with -d 31 free, cache and user pages, none of
 * which the program reads for slabs, their memory map or their roots: a
 * slab page there was a zero page, as the kdump-compressed dump of the same
 * memory says).  crash reads them as zeros too (netdump.c's zero_fill);
 * libkdumpfile 0.5.1 refuses whole pages of them.  Left to libkdumpfile:
 * addresses no segment holds, and every read of a file whose page size the
 * VMCOREINFO note does not give.  Segments that overlap an earlier one in physical
 * memory (/proc/vmcore's kernel text beside the RAM that holds it) are left
 * out: the earlier one answers for the same bytes, and a lookup needs runs
 * that do not overlap.  The headers are parsed by kcore.c (an ELF64 core
 * parser with bounded notes and segments); a /proc/kcore file is the live
 * target's (live.c), never opened here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "standalone/readers/kcore.h"
#include "standalone/readers/reader.h"

/*
 * Physical [paddr, paddr + size) is at offset in the file; [paddr + size,
 * paddr + span) is zeros (p_memsz past p_filesz, up to the next run).
 */
struct elf_run {
	uint64_t paddr, size, offset, span;
};

/*
 * Reads of less than a page inside one page (struct page and struct slab
 * fields, freelist words: holders on S11's ELF dump made 109 000 such
 * preads over 11 000 distinct pages) are answered from the pages last
 * read whole for one, ELF_CACHE_PAGES of them, each frame in one place.
 * One thread reads an ELF dump (no worker decodes ahead for it).
 */
#define ELF_CACHE_PAGES 64

struct elfdump {
	struct sa_kcore core;
	struct elf_run *runs;		/* by paddr, none overlapping */
	unsigned int nruns;
	uint64_t page_size, max_pfn;
	uint8_t *cache;			/* ELF_CACHE_PAGES pages, or NULL */
	uint64_t cached[ELF_CACHE_PAGES];	/* frame number + 1; 0: none */
};

static int by_paddr(const void *a, const void *b)
{
	const struct elf_run *x = a, *y = b;

	if (x->paddr != y->paddr)
		return x->paddr < y->paddr ? -1 : 1;
	return x->size < y->size ? 1 : x->size > y->size ? -1 : 0;
}

/*
 * The segments with a physical address, sorted; overlaps of their file
 * bytes dropped, zero tails cut where the next run's bytes begin.
 */
static bool index_runs(struct elfdump *e)
{
	const struct sa_kcore *k = &e->core;
	unsigned int i, n = 0;
	struct elf_run *last;

	e->runs = calloc(k->nsegs, sizeof(*e->runs));
	if (!e->runs)
		return false;
	for (i = 0; i < k->nsegs; i++)
		if (k->segs[i].paddr != SA_KCORE_NO_PADDR)
			e->runs[n++] = (struct elf_run){ k->segs[i].paddr, k->segs[i].size,
							 k->segs[i].offset, k->segs[i].memsize };
	qsort(e->runs, n, sizeof(*e->runs), by_paddr);
	for (i = 0; i < n; i++) {
		last = e->nruns ? &e->runs[e->nruns - 1] : NULL;
		if (last && e->runs[i].paddr - last->paddr < last->size)
			continue;
		if (last && e->runs[i].paddr - last->paddr < last->span)
			last->span = e->runs[i].paddr - last->paddr;
		e->runs[e->nruns++] = e->runs[i];
	}
	return e->nruns;
}

/* VMCOREINFO's PAGESIZE, a power of two in libkdumpfile's bounds. */
static bool page_size_of(const struct sa_kcore *k, uint64_t *page_size)
{
	const char *text = sa_kcore_vmcoreinfo(k, "PAGESIZE");
	unsigned long long v;
	char *end;

	if (!text)
		return false;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || *end || v < SA_MIN_PAGE || v > SA_MAX_PAGE ||
	    (v & (v - 1)))
		return false;
	*page_size = v;
	return true;
}

static void elf_close(void *priv)
{
	struct elfdump *e = priv;

	if (!e)
		return;
	sa_kcore_close(&e->core);
	free(e->runs);
	free(e->cache);
	free(e);
}

static void *elf_fail(struct elfdump *e, char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	elf_close(e);
	return NULL;
}

static void *elf_open(int fd, char *err, size_t errlen)
{
	struct elfdump *e = calloc(1, sizeof(*e));

	if (!e)
		return elf_fail(e, err, errlen, "out of memory");
	if (sa_kcore_open(&e->core, fd, err, errlen)) {
		free(e);
		return NULL;
	}
	if (e->core.taskstruct)
		return elf_fail(e, err, errlen, "a /proc/kcore file");
	if (!page_size_of(&e->core, &e->page_size))
		return elf_fail(e, err, errlen, "no page size in a VMCOREINFO note");
	if (!index_runs(e))
		return elf_fail(e, err, errlen, "no segment with a physical address");
	e->max_pfn = e->core.mem_end / e->page_size + !!(e->core.mem_end % e->page_size);
	return e;
}

static void elf_geometry(const void *priv, uint64_t *page_size, uint64_t *max_pfn)
{
	const struct elfdump *e = priv;

	*page_size = e->page_size;
	*max_pfn = e->max_pfn;
}

/* The run holding paddr, or NULL. */
static const struct elf_run *run_at(const struct elfdump *e, uint64_t paddr)
{
	unsigned int lo = 0, hi = e->nruns;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (paddr < e->runs[mid].paddr)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (!lo || paddr - e->runs[lo - 1].paddr >= e->runs[lo - 1].span)
		return NULL;
	return &e->runs[lo - 1];
}

/*
 * Each piece of physical [paddr, paddr + len) from the run that holds it,
 * its file bytes or its zero tail (into buf unless buf is NULL); false at
 * the first that none holds.
 */
static bool each_piece(const struct elfdump *e, uint64_t paddr, uint8_t *buf, size_t len)
{
	while (len) {
		const struct elf_run *run = run_at(e, paddr);
		uint64_t into, n;
		bool in_file;

		if (!run)
			return false;
		into = paddr - run->paddr;
		in_file = into < run->size;
		n = (in_file ? run->size : run->span) - into;
		n = n < len ? n : len;
		if (buf && in_file && !sa_kcore_read_file(&e->core, buf, n, run->offset + into))
			return false;
		if (buf && !in_file)
			memset(buf, 0, n);
		buf = buf ? buf + n : NULL;
		paddr += n;
		len -= n;
	}
	return true;
}

/*
 * Page frame pfn, whole, from the cache or read into it; NULL unless one
 * run holds all of it in the file (a zero tail is each_piece()'s).
 */
static const uint8_t *cached_page(struct elfdump *e, uint64_t pfn)
{
	size_t slot = pfn % ELF_CACHE_PAGES;
	uint64_t paddr = pfn * e->page_size;
	const struct elf_run *run;
	uint8_t *mem;

	if (e->cached[slot] == pfn + 1)
		return e->cache + slot * e->page_size;
	if (!e->cache && !(e->cache = malloc(ELF_CACHE_PAGES * e->page_size)))
		return NULL;
	run = run_at(e, paddr);
	if (!run || paddr - run->paddr >= run->size ||
	    run->size - (paddr - run->paddr) < e->page_size)
		return NULL;
	mem = e->cache + slot * e->page_size;
	e->cached[slot] = 0;
	if (!sa_kcore_read_file(&e->core, mem, e->page_size, run->offset + paddr - run->paddr))
		return NULL;
	e->cached[slot] = pfn + 1;
	return mem;
}

static bool elf_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	struct elfdump *e = priv;
	uint64_t in_page = paddr % e->page_size;
	const uint8_t *page;

	if (paddr + len < paddr)
		return false;
	if (len < e->page_size && in_page + len <= e->page_size) {
		page = cached_page(e, paddr / e->page_size);
		if (page) {
			memcpy(buf, page + in_page, len);
			return true;
		}
	}
	return each_piece(e, paddr, buf, len);
}

static bool elf_present(void *priv, uint64_t paddr, size_t len)
{
	return paddr + len >= paddr && each_piece(priv, paddr, NULL, len);
}

const struct sa_format_ops sa_elfdump_ops = {
	.name = "ELF",
	.open = elf_open,
	.geometry = elf_geometry,
	.read = elf_read,
	.close = elf_close,
	.present = elf_present,
};
