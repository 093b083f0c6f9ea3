// SPDX-License-Identifier: GPL-2.0-or-later
/* A synthetic kernel with page_ext and page_owner (fake_pageowner.h). */
#include <string.h>

#include "fake_pageowner.h"

static const struct fk_enum pageowner_enums[] = {
	{ "PG_head", FP_PG_HEAD }, { "PAGE_EXT_OWNER", 0 }, { "PAGE_EXT_OWNER_ALLOCATED", 1 },
};

uint64_t fp_entry(unsigned long pfn)
{
	return FP_EXT + (uint64_t)pfn * FP_ENTRY;
}

static void vmcoreinfo_line(struct fake_kernel *fk, const char *line)
{
	snprintf(fk->vmcoreinfo[fk->nvmcoreinfo++], sizeof(fk->vmcoreinfo[0]), "%s", line);
}

/* mem_section -> roots -> sections; section n's page_ext biased by its first pfn. */
static void sparse(struct fake_kernel *fk)
{
	unsigned int n;

	fk_add_symbol(fk, "mem_section", FP_VARS);
	fk_w64(fk, FP_VARS, FP_ROOTS);
	fk_region(fk, FP_ROOTS, 0x1000);
	fk_region(fk, FP_SECTIONS, 0x1000);
	fk_w64(fk, FP_ROOTS, FP_SECTIONS);
	for (n = 0; n < FK_MAX_PFN / FP_SECTION_PFNS; n++)
		fk_w64(fk, FP_SECTIONS + 32 * n + 16,
		       fp_entry(n * FP_SECTION_PFNS) - (uint64_t)n * FP_SECTION_PFNS * FP_ENTRY);
	vmcoreinfo_line(fk, "NUMBER(SECTION_SIZE_BITS)=19");
}

static void flat(struct fake_kernel *fk)
{
	fk_add_symbol(fk, "contig_page_data", FP_PGDAT);
	fk_region(fk, FP_PGDAT, 0x1000);
	fk_w64(fk, FP_PGDAT, FP_EXT);
	fk_w64(fk, FP_PGDAT + 8, 0);
	fk_w64(fk, FP_PGDAT + 16, FK_MAX_PFN);
}

void fp_setup(struct fixture *f, bool is_flat)
{
	struct fake_kernel *fk = &f->fk;

	fa_setup(f, is_flat ? "pageowner-flat" : "pageowner", 8, 0, 0);
	fd_setup(fk, false, true);
	fd_symbols(fk);
	fk->enums = pageowner_enums;
	fk->nenums = 3;
	fk->symbol_size = 0x100;	/* frames are return addresses inside them */
	fk_region(fk, FP_EXT, FK_MAX_PFN * FP_ENTRY);
	fk_region(fk, FP_VARS, 0x1000);
	fk_add_symbol(fk, "page_ext_size", FP_VARS + 0x100);
	fk_add_symbol(fk, "page_owner_ops", FP_VARS + 0x200);
	fk_add_symbol(fk, "page_alloc_tagging_ops", FP_VARS + 0x300);
	fk_add_symbol(fk, "page_owner_inited", FP_VARS + 0x400);
	fk_w64(fk, FP_VARS + 0x100, FP_ENTRY);
	fk_w64(fk, FP_VARS + 0x200, FP_OWNER);
	fk_w64(fk, FP_VARS + 0x300, FP_TAG);
	fk_w32(fk, FP_VARS + 0x400, 1);
	fk_add_symbol(fk, "fp_big_alloc", FP_BIG_FUNC);
	fk_add_symbol(fk, "___kmalloc_large_node", FP_KMALLOC_LARGE);
	fk_add_symbol(fk, "post_alloc_hook", FP_POST_ALLOC);
	fk_add_symbol(fk, "allocate_slab", FP_ALLOCATE_SLAB);
	if (is_flat)
		flat(fk);
	else
		sparse(fk);
}

void fp_owner(struct fake_kernel *fk, unsigned long pfn, unsigned int order,
	      uint32_t handle, int pid, const char *comm, bool freed)
{
	uint64_t po = fp_entry(pfn) + FP_OWNER;

	fk_w64(fk, fp_entry(pfn), freed ? 1 : 3);
	fk_write(fk, po, &(uint16_t){ order }, 2);
	fk_w32(fk, po + 4, 0x40cc0);
	fk_w32(fk, po + 8, handle);
	fk_w64(fk, po + 16, 3080108761ULL);
	fk_write(fk, po + 32, comm, strlen(comm) < 16 ? strlen(comm) : 16);
	fk_w32(fk, po + 48, pid);
	fk_w32(fk, po + 52, pid);
}

void fp_compound(struct fake_kernel *fk, unsigned long pfn, unsigned int order)
{
	fk_w64(fk, fk_page(pfn), 1ULL << FP_PG_HEAD);
	fk_w64(fk, fk_page(pfn) + 64, order);
}

void fp_large(struct fake_kernel *fk, unsigned long pfn, unsigned int order,
	      unsigned int offset, unsigned int tag)
{
	const uint64_t stack[] = { FP_POST_ALLOC + 0x23, FP_KMALLOC_LARGE + 0xb1,
				   FP_BIG_FUNC + 0x29, FD_FUNC };
	uint64_t mem = FK_PAGE_OFFSET + (uint64_t)pfn * FK_PAGE_SIZE;

	fp_compound(fk, pfn, order);
	fp_owner(fk, pfn, order, fd_record(fk, false, 0, offset, stack, 4, 4), 39, "insmod",
		 false);
	fk_w64(fk, fp_entry(pfn) + FP_TAG, fa_tag(tag));
	fk_region(fk, mem, FK_PAGE_SIZE);
	fk_write(fk, mem, "big buffer\n", 11);
}
