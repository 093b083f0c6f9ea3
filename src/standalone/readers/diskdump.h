/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kdump-compressed (diskdump) format makedumpfile writes, x86_64
 * (makedumpfile's diskdump_mod.h):
 *
 *   block 0                    struct kdump_header
 *   block 1..sub_hdr_size      struct kdump_sub_header, notes, VMCOREINFO
 *   next bitmap_blocks         two bitmaps, one bit per page frame each:
 *                              the 1st says which frames exist, the 2nd
 *                              which are in the file
 *   then                       a struct kdump_page_desc per page in the
 *                              file, in page frame order
 *   then                       the pages, each raw or compressed
 */
#ifndef LEAKEXT_SA_DISKDUMP_H
#define LEAKEXT_SA_DISKDUMP_H

#include <stddef.h>
#include <stdint.h>

#define KDUMP_SIGNATURE "KDUMP   "

struct kdump_header {
	char signature[8];
	int32_t header_version;
	char utsname[6][65];
	int64_t timestamp[2];
	uint32_t status;
	int32_t block_size;
	int32_t sub_hdr_size;		/* in blocks */
	uint32_t bitmap_blocks;
	uint32_t max_mapnr;
	uint32_t total_ram_blocks, device_blocks, written_blocks, current_cpu;
	int32_t nr_cpus;
};

_Static_assert(offsetof(struct kdump_header, block_size) == 428, "kdump header");
_Static_assert(sizeof(struct kdump_header) == 464, "kdump header");

/* At block 1; fields after split exist from the header version noted. */
struct kdump_sub_header {
	uint64_t phys_base;
	int32_t dump_level, split;
	uint64_t start_pfn, end_pfn;				/* 2 */
	int64_t offset_vmcoreinfo;				/* 3 */
	uint64_t size_vmcoreinfo;
	int64_t offset_note;					/* 4 */
	uint64_t size_note;
	int64_t offset_eraseinfo;				/* 5 */
	uint64_t size_eraseinfo;
	uint64_t start_pfn_64, end_pfn_64, max_mapnr_64;	/* 6 */
};

_Static_assert(sizeof(struct kdump_sub_header) == 104, "kdump sub-header");

/* Where one page is in the file and how it is stored. */
struct kdump_page_desc {
	uint64_t offset;	/* of the page's bytes */
	uint32_t size;		/* stored bytes */
	uint32_t flags;		/* KDUMP_PAGE_* */
	uint64_t page_flags;	/* unused */
};

_Static_assert(sizeof(struct kdump_page_desc) == 24, "kdump page descriptor");

#define KDUMP_PAGE_ZLIB		0x01
#define KDUMP_PAGE_LZO		0x02
#define KDUMP_PAGE_SNAPPY	0x04
#define KDUMP_PAGE_ZSTD		0x20

#endif
