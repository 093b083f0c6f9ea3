// SPDX-License-Identifier: GPL-2.0-or-later
/* A synthetic kernel with alloc tags (fake_alloctag.h). */
#include <string.h>

#include "fake_alloctag.h"

uint64_t fa_tag(unsigned int i)
{
	return FA_TAGS + i * FA_TAG_SIZE;
}

static uint64_t put_string(struct fake_kernel *fk, unsigned int slot, const char *text)
{
	uint64_t addr = FA_STRINGS + slot * 64;

	fk_write(fk, addr, text, strlen(text) + 1);
	return addr;
}

/* Tag at addr: function, file, line, module ("" for the kernel's own). */
static void put_tag(struct fake_kernel *fk, uint64_t tag, unsigned int slot,
		    const char *func, const char *file, uint32_t line, const char *mod)
{
	fk_w32(fk, tag + 4, line);
	fk_w64(fk, tag + 8, mod[0] ? put_string(fk, 3 * slot + 2, mod) : 0);
	fk_w64(fk, tag + 16, put_string(fk, 3 * slot, func));
	fk_w64(fk, tag + 24, put_string(fk, 3 * slot + 1, file));
	fk_w64(fk, tag + 32, FA_COUNTERS + slot * 16);
}

void fa_counters(struct fake_kernel *fk, unsigned int i, int cpu, uint64_t bytes,
		 uint64_t calls)
{
	uint64_t pcpu = FK_PERCPU_BASE + cpu * 0x1000 + FA_COUNTERS + i * 16;

	fk_w64(fk, pcpu, bytes);
	fk_w64(fk, pcpu + 8, calls);
}

void fa_setup(struct fixture *f, const char *profile, unsigned int stride,
	      unsigned int ct_off, uint64_t flags)
{
	static const unsigned int tagged0[] = { 0, 2, 4 };
	unsigned int i;

	fx_setup(f, LX_FP_PLAIN);
	fk_profile(&f->fk, profile);
	f->fk.extra_enum = "__NR_OBJEXTS_FLAGS";
	f->fk.extra_enum_value = 2;
	fk_add_symbol(&f->fk, "__start_alloc_tags", FA_TAGS);
	fk_add_symbol(&f->fk, "__stop_alloc_tags", FA_TAGS + FA_NTAGS * FA_TAG_SIZE);
	fk_region(&f->fk, FA_TAGS, FA_NTAGS * FA_TAG_SIZE);
	fk_region(&f->fk, FA_STRINGS, 0x1000);
	fk_region(&f->fk, FA_VEC, FK_PAGE_SIZE);
	fx_one_partial_slab(f);
	put_tag(&f->fk, fa_tag(0), 0, "fk_alloc", "fk/fk.c", 42, "");
	put_tag(&f->fk, fa_tag(1), 1, "fk_mod_alloc", "/build/fk_mod.c", 7, "fk_mod");
	put_tag(&f->fk, fa_tag(2), 2, "fk_idle", "fk/idle.c", 1, "");
	put_tag(&f->fk, fa_tag(3), 3, "bad\x1b[31m", "fk/esc.c", 3, "");
	for (i = 0; i < 3; i++)
		fk_w64(&f->fk, FA_VEC + tagged0[i] * stride + ct_off, fa_tag(0));
	fk_w64(&f->fk, FA_VEC + 6 * stride + ct_off, fa_tag(1));
	fk_w64(&f->fk, fk_page(10) + 56, FA_VEC | flags);
}

static void put_cmod(struct fake_kernel *fk, unsigned int n, uint64_t start, uint64_t stop)
{
	fk_w64(fk, FA_CMODS + n * 0x40 + 8, start);
	fk_w64(fk, FA_CMODS + n * 0x40 + 16, stop);
}

void fa_modules(struct fake_kernel *fk)
{
	fk_add_symbol(fk, "alloc_tag_cttype", FA_CTTYPE_PTR);
	fk_region(fk, FA_CTTYPE, 0x1000);
	fk_region(fk, FA_XA_NODE, 576);
	fk_region(fk, FA_CMODS, 0x1000);
	fk_region(fk, FA_MOD_TAGS, 2 * FA_TAG_SIZE);
	fk_w64(fk, FA_CTTYPE_PTR, FA_CTTYPE);
	fk_w64(fk, FA_CTTYPE + 24 + 8, FA_XA_NODE | 2);	/* mod_idr.idr_rt.xa_head */
	put_cmod(fk, 0, FA_TAGS, FA_TAGS + FA_NTAGS * FA_TAG_SIZE);
	put_cmod(fk, 1, FA_MOD_TAGS, FA_MOD_TAGS + 2 * FA_TAG_SIZE);
	put_cmod(fk, 4, FA_TAGS + FA_TAG_SIZE, FA_TAGS + 2 * FA_TAG_SIZE);
	fk_w64(fk, FA_XA_NODE + 40, FA_CMODS);
	fk_w64(fk, FA_XA_NODE + 48, FA_CMODS + 0x40);
	fk_w64(fk, FA_XA_NODE + 56, 6);			/* a sibling entry */
	fk_w64(fk, FA_XA_NODE + 64, 5);			/* a value entry */
	fk_w64(fk, FA_XA_NODE + 72, FA_CMODS + 4 * 0x40);
	put_tag(fk, FA_MOD_TAGS, 4, "fm_one", "/build/fm.c", 10, "fm");
	put_tag(fk, FA_MOD_TAGS + FA_TAG_SIZE, 5, "fm_two", "/build/fm.c", 20, "fm");
}
