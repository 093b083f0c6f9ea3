/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dump formats the program reads itself, for speed: one file per format
 * (diskdump.c), each behind struct sa_format_ops.  A format answers only
 * the physical pages it finds stored in a form it decodes; everything else
 * (addresses outside the direct map, excluded or damaged pages, other
 * compressions, other formats) is read through libkdumpfile, so that the
 * program sees the same bytes and the same failures either way.
 */
#ifndef LEAKEXT_SA_READER_H
#define LEAKEXT_SA_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libkdumpfile/kdumpfile.h>

struct sa_format_ops {
	const char *name;
	/* The format's state for the file on fd; NULL and why in err if not. */
	void *(*open)(int fd, char *err, size_t errlen);
	/* Its page size and the page frames it describes (max_pfn). */
	void (*geometry)(const void *priv, uint64_t *page_size, uint64_t *max_pfn);
	/* len bytes at physical address paddr; false if any is not answered. */
	bool (*read)(void *priv, uint64_t paddr, void *buf, size_t len);
	void (*close)(void *priv);
};

extern const struct sa_format_ops sa_diskdump_ops;

struct sa_reader {
	const struct sa_format_ops *ops;	/* NULL: libkdumpfile reads it all */
	void *priv;
	uint64_t dm_start, dm_end;	/* the direct map, [start, end) virtual */
	uint64_t dm_to_phys;		/* physical = virtual + this, mod 2^64 */
	uint64_t reads, passed;		/* reads it answered; libkdumpfile did */
	char why[160];			/* why ops is NULL */
};

/*
 * Set r up for the dump that ctx reads through fd: an own reader when one
 * knows the file and agrees with libkdumpfile on its geometry and direct
 * map, else none (r->why says why).
 */
void sa_reader_open(struct sa_reader *r, int fd, kdump_ctx_t *ctx);
/* Kernel virtual [kvaddr, kvaddr + len); false: read it through libkdumpfile. */
bool sa_reader_read(struct sa_reader *r, uint64_t kvaddr, void *buf, size_t len);
void sa_reader_close(struct sa_reader *r);

#endif
