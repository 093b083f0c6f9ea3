/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dump formats the program reads itself, for speed: one file per format
 * (diskdump.c), each behind struct sa_format_ops.  A format answers only
 * the physical pages it finds stored in a form it decodes, at addresses
 * translated the way libkdumpfile translates them; everything else
 * (translations it does not follow, excluded or damaged pages, other
 * compressions, other formats) is read through libkdumpfile.
 */
#ifndef LEAKEXT_SA_READER_H
#define LEAKEXT_SA_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libkdumpfile/kdumpfile.h>

#include "standalone/readers/ahead.h"

/* The page sizes a format may have: libkdumpfile's bounds. */
#define SA_MIN_PAGE (1U << 12)
#define SA_MAX_PAGE (1U << 18)

struct sa_format_ops {
	const char *name;
	/* The format's state for the file on fd; NULL and why in err if not. */
	void *(*open)(int fd, char *err, size_t errlen);
	/* Its page size and the page frames it describes (max_pfn). */
	void (*geometry)(const void *priv, uint64_t *page_size, uint64_t *max_pfn);
	/* len bytes at physical address paddr; false if any is not answered. */
	bool (*read)(void *priv, uint64_t paddr, void *buf, size_t len);
	void (*close)(void *priv);
	/*
	 * Optional.  Advice that [paddr, paddr + len) is read next (see
	 * lx_dump_ops.prefetch); reads return the same bytes with or without.
	 */
	void (*prefetch)(void *priv, uint64_t paddr, size_t len);
	/* Optional.  Decode advised pages on up to workers threads of its own. */
	void (*start_workers)(void *priv, unsigned int workers);
	/* Optional.  What the workers did; false if there are none. */
	bool (*ahead_stats)(const void *priv, struct sa_ahead_stats *stats);
	/*
	 * Optional.  Whether every page of [paddr, paddr + len) is one read
	 * would answer, told from the format's index alone (lx_dump_ops.present).
	 */
	bool (*present)(void *priv, uint64_t paddr, size_t len);
	/*
	 * Optional.  Whether some page of [paddr, paddr + len) is one the
	 * file does not hold, told from the format's index alone: libkdumpfile
	 * reads the same index and refuses such a read too.
	 */
	bool (*absent)(void *priv, uint64_t paddr, size_t len);
};

extern const struct sa_format_ops sa_diskdump_ops;
extern const struct sa_format_ops sa_elfdump_ops;

/* How libkdumpfile translates a range of kernel virtual addresses. */
enum sa_range_kind {
	SA_RANGE_LINEAR,	/* physical = virtual + to_phys, mod 2^64 */
	SA_RANGE_PAGE_TABLES,	/* through the kernel's page tables */
};

struct sa_kv_range {
	uint64_t start, end;		/* [start, end); end 0: to the top */
	enum sa_range_kind kind;
	uint64_t to_phys;
};

#define SA_READER_RANGES 16

/* The kernel's page tables (x86_64, 4 or 5 levels), and the last page walked. */
struct sa_page_walk {
	uint64_t root;			/* the top table's physical address */
	unsigned int levels;		/* 0: not walked here */
	uint64_t va, va_end, pa;	/* [va, va_end) maps to pa */
	/*
	 * The last lowest-level table, read whole: its 512 entries map the
	 * 2 MiB from leaf_va (vmalloc'd and per-cpu roots are read a page
	 * at a time, each page a walk of four reads otherwise).
	 */
	bool leaf_valid;
	uint64_t leaf_va;
	uint64_t leaf[512];
	/*
	 * The last walk that failed met an entry that is not present, or a
	 * table the format says the dump does not hold: no reader translates
	 * that address.
	 */
	bool untranslatable;
};

struct sa_reader {
	const struct sa_format_ops *ops;	/* NULL: libkdumpfile reads it all */
	void *priv;
	struct sa_kv_range ranges[SA_READER_RANGES];
	unsigned int nranges;
	struct sa_page_walk walk;
	uint64_t reads, passed;		/* reads it answered; libkdumpfile did */
	uint64_t absent;		/* reads of pages the dump does not hold */
	char why[160];			/* why ops is NULL */
};

/*
 * Set r up for the dump that ctx reads through fd: an own reader when one
 * knows the file and agrees with libkdumpfile on its geometry, and
 * libkdumpfile's translation is one it can follow; else none (r->why).
 */
void sa_reader_open(struct sa_reader *r, int fd, kdump_ctx_t *ctx);
/* Kernel virtual [kvaddr, kvaddr + len); false: read it through libkdumpfile. */
bool sa_reader_read(struct sa_reader *r, uint64_t kvaddr, void *buf, size_t len);
/* Workers threads decode ahead where the format can (0: none). */
void sa_reader_start_workers(struct sa_reader *r, unsigned int workers);
/* Advice: kernel virtual [kvaddr, kvaddr + len) is read next. */
void sa_reader_prefetch(struct sa_reader *r, uint64_t kvaddr, size_t len);
/* Every page of [kvaddr, kvaddr + len) is stored where a read would answer it. */
bool sa_reader_present(struct sa_reader *r, uint64_t kvaddr, size_t len);
/*
 * Some page of [kvaddr, kvaddr + len) is mapped nowhere by the kernel's
 * page tables (an entry not present, or a table the dump does not hold),
 * or translates, as libkdumpfile translates it, to a page the dump does
 * not hold: libkdumpfile cannot read the range either.  False where that
 * is not known (a translation the own reader does not follow, a format
 * without the absent op).
 */
bool sa_reader_absent(struct sa_reader *r, uint64_t kvaddr, size_t len);
/* What the decoding workers did; false if there are none. */
bool sa_reader_ahead_stats(const struct sa_reader *r, struct sa_ahead_stats *stats);
void sa_reader_close(struct sa_reader *r);

#endif
