// SPDX-License-Identifier: GPL-2.0-or-later
/* A libkdumpfile context set up the way every leakext reader needs it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leakext/arch.h"
#include "leakext/text.h"
#include "standalone/files.h"

/*
 * read(2), never mmap(2): with a mapping, libkdumpfile 0.5.1 faults
 * (SIGBUS) reading a page of a truncated file past its end; with reads it
 * reports an error for that page.
 */
static void read_without_mmap(kdump_ctx_t *ctx)
{
	kdump_attr_t policy = {
		.type = KDUMP_NUMBER,
		.val.number = KDUMP_MMAP_NEVER,
	};

	kdump_set_attr(ctx, KDUMP_ATTR_FILE_MMAP_POLICY, &policy);
}

static bool vmcoreinfo_address(kdump_ctx_t *ctx, const char *key, uint64_t *addr)
{
	char attr[128];
	const char *text = NULL;
	char *end;

	snprintf(attr, sizeof(attr), "linux.vmcoreinfo.lines.%s", key);
	if (kdump_get_string_attr(ctx, attr, &text) != KDUMP_OK || !text || !*text)
		return false;
	*addr = strtoull(text, &end, 16);
	return !*end;
}

static bool kernel_readable(kdump_ctx_t *ctx, uint64_t addr)
{
	uint8_t byte;

	return sa_kdump_read(ctx, KDUMP_KVADDR, addr, &byte, 1);
}

/*
 * libkdumpfile 0.5.1 cannot find the page tables of an ia32 kdump file:
 * it reads swapper_pg_dir through the very tables it looks for ("Infinite
 * recursion loop"; S9's vmcore.kdump).  The kernel's lowmem is mapped
 * linearly from PAGE_OFFSET, so the root is at swapper_pg_dir minus the
 * i386 row's PAGE_OFFSET: given as libaddrxlat's rootpgt before any read
 * (a failed translation is not retried), and kept only if the kernel's
 * init_uts_ns can then be read.
 */
static void find_ia32_page_tables(kdump_ctx_t *ctx)
{
	const struct lx_arch *row = lx_arch_find("ia32");
	kdump_attr_t as = { .type = KDUMP_NUMBER, .val.number = ADDRXLAT_MACHPHYSADDR };
	kdump_attr_t root = { .type = KDUMP_ADDRESS };
	const char *arch = NULL;
	uint64_t pgd, uts;

	if (kdump_get_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, &arch) != KDUMP_OK ||
	    !arch || strcmp(arch, "ia32") || !row ||
	    !vmcoreinfo_address(ctx, "SYMBOL(swapper_pg_dir)", &pgd) ||
	    !vmcoreinfo_address(ctx, "SYMBOL(init_uts_ns)", &uts) ||
	    pgd < row->direct_map_base)
		return;
	root.val.address = pgd - row->direct_map_base;
	if (kdump_set_attr(ctx, "addrxlat.force.rootpgt.as", &as) != KDUMP_OK ||
	    kdump_set_attr(ctx, "addrxlat.force.rootpgt.addr", &root) != KDUMP_OK ||
	    !kernel_readable(ctx, uts))
		kdump_clear_attr(ctx, "addrxlat.force.rootpgt");
}

kdump_ctx_t *sa_kdump_open(int fd, char *err, size_t errlen)
{
	kdump_ctx_t *ctx = kdump_new();
	const char *arch = NULL;
	char why[256];

	if (!ctx) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	read_without_mmap(ctx);
	if (kdump_open_fd(ctx, fd) != KDUMP_OK) {
		lx_escape(why, sizeof(why), kdump_get_err(ctx), sizeof(why));
		snprintf(err, errlen, "not a dump libkdumpfile reads (%s)", why);
		/*
		 * Leak the context: libkdumpfile 0.5.1 frees part of it when
		 * the open fails and kdump_free() then uses the freed memory
		 * (a kdump file cut to 8-433 bytes crashes the program there).
		 * sa_check_dump() refuses the files known to do this; this is
		 * for the ones it does not know.
		 */
		return NULL;
	}
	/* A kdump header without utsname (libkdumpfile finds no arch): x86_64. */
	if (kdump_get_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, &arch) != KDUMP_OK || !arch)
		kdump_set_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, "x86_64");
	kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux");
	find_ia32_page_tables(ctx);
	return ctx;
}

kdump_ctx_t *sa_kdump_open_path(const char *path, int *fd, char *err, size_t errlen)
{
	kdump_ctx_t *ctx;

	*fd = open(path, O_RDONLY);
	if (*fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	ctx = sa_check_dump(*fd, path, err, errlen) ? NULL : sa_kdump_open(*fd, err, errlen);
	if (!ctx) {
		close(*fd);
		*fd = -1;
	}
	return ctx;
}

/*
 * libkdumpfile 0.5.1's page cache can give a reused "ghost" entry another
 * entry's buffer, or none; reads then return wrong bytes, fail, or fault
 * in kdump_read() (fixed upstream in e63dab40c8ce, "cache: Get data buffer
 * before adjusting ghost partition size", 2024).  Ghost entries exist only
 * after an eviction, and evictions only once the cache is full; the bug
 * then needs a failed read (any excluded page of a -d 31 dump).  So reads
 * go to a context replaced before its cache can fill: every page it
 * caches was a miss ("cache.misses"), and one read caches at most five
 * pages for each page it spans (four page-table levels and the data).
 */
#define READS_CACHE_PAGES 1024		/* DEFAULT_CACHE_SIZE in libkdumpfile 0.5.1 */
#define READS_PAGES_PER_PAGE 5

static bool cache_could_fill(kdump_ctx_t *ctx, size_t len)
{
	uint64_t pages = (len + 4095) / 4096 + 1;
	kdump_num_t misses;

	if (kdump_get_number_attr(ctx, "cache.misses", &misses) != KDUMP_OK)
		return true;
	return misses + pages * READS_PAGES_PER_PAGE > READS_CACHE_PAGES;
}

static kdump_ctx_t *reopen(struct sa_kdump_reads *r)
{
	char err[512];

	sa_kdump_reads_close(r);
	r->ctx = sa_kdump_open_path(r->path, &r->fd, err, sizeof(err));
	if (!r->ctx)
		return NULL;
	r->contexts++;
	return r->ctx;
}

kdump_ctx_t *sa_kdump_reads_ctx(struct sa_kdump_reads *r, size_t len)
{
	if (r->ctx && !cache_could_fill(r->ctx, len))
		return r->ctx;
	return reopen(r);
}

static bool read_exactly(kdump_ctx_t *ctx, kdump_addrspace_t as, uint64_t addr,
			 void *buf, size_t len)
{
	size_t got = len;

	return kdump_read(ctx, as, addr, buf, &got) == KDUMP_OK && got == len;
}

/*
 * libkdumpfile reads a kernel virtual address of an ELF dump from the
 * LOAD segment whose virtual range holds it, found in a list that 0.5.1
 * (and upstream as of 2026-12) sorts by physical address: seg_virt_cmp()
 * in elfdump.c compares la->phys.  Where the dump's virtual order is not
 * its physical order (QEMU's dump-guest-memory writes module pages at
 * descending frames) the search stops at a neighbour and the page reads
 * as zeros (S4's vmcore.elf: 0xffffffffc04d5000, physical 0x2692000).
 * Its translation is right, so a kernel virtual read goes page by page
 * through libaddrxlat to a machine physical read, as libkdumpfile does
 * for every other format; a page that does not translate is read by
 * virtual address.
 */
static bool read_translated_page(kdump_ctx_t *ctx, addrxlat_ctx_t *axctx,
				 addrxlat_sys_t *axsys, uint64_t addr, void *buf,
				 size_t len)
{
	addrxlat_fulladdr_t where = { .addr = addr, .as = ADDRXLAT_KVADDR };

	if (addrxlat_fulladdr_conv(&where, ADDRXLAT_MACHPHYSADDR, axctx, axsys) != ADDRXLAT_OK)
		return read_exactly(ctx, KDUMP_KVADDR, addr, buf, len);
	return read_exactly(ctx, KDUMP_MACHPHYSADDR, where.addr, buf, len);
}

static bool read_kernel_virtual(kdump_ctx_t *ctx, uint64_t addr, void *buf, size_t len)
{
	addrxlat_ctx_t *axctx = NULL;
	addrxlat_sys_t *axsys = NULL;
	bool ok;
	size_t part;

	if (len && addr + (len - 1) < addr)	/* past the top of the address space */
		return false;
	if (kdump_get_addrxlat(ctx, &axctx, &axsys) != KDUMP_OK || !axctx || !axsys) {
		ok = read_exactly(ctx, KDUMP_KVADDR, addr, buf, len);
		goto out;
	}
	for (ok = true; ok && len; addr += part, buf = (char *)buf + part, len -= part) {
		part = 4096 - (addr & 4095);	/* no page is smaller */
		if (part > len)
			part = len;
		ok = read_translated_page(ctx, axctx, axsys, addr, buf, part);
	}
out:
	if (axctx)
		addrxlat_ctx_decref(axctx);
	if (axsys)
		addrxlat_sys_decref(axsys);
	return ok;
}

bool sa_kdump_read(kdump_ctx_t *ctx, kdump_addrspace_t as, uint64_t addr, void *buf,
		   size_t len)
{
	if (as == KDUMP_KVADDR)
		return read_kernel_virtual(ctx, addr, buf, len);
	return read_exactly(ctx, as, addr, buf, len);
}

bool sa_kdump_reads_read(struct sa_kdump_reads *r, kdump_addrspace_t as, uint64_t addr,
			 void *buf, size_t len)
{
	kdump_ctx_t *ctx = sa_kdump_reads_ctx(r, len);

	return ctx && sa_kdump_read(ctx, as, addr, buf, len);
}

kdump_ctx_t *sa_kdump_reads_abandon(struct sa_kdump_reads *r)
{
	kdump_ctx_t *ctx = r->ctx;

	r->ctx = NULL;
	r->fd = -1;
	return ctx;
}

void sa_kdump_reads_close(struct sa_kdump_reads *r)
{
	if (r->ctx)
		kdump_free(r->ctx);
	if (r->ctx && r->fd >= 0)
		close(r->fd);
	r->ctx = NULL;
	r->fd = -1;
}
