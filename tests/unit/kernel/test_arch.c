// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The architecture table (leakext/arch.h): lookup by name, and the probe
 * that fills a session's row from the kernel's own variables.
 */
#include <stdio.h>
#include <string.h>

#include "fake_target.h"
#include "fixture.h"
#include "leakext/leakext.h"
#include "leakext/arch.h"
#include "leakext/core.h"
#include "unit.h"

#define VMALLOC_SYM 0xffffffff82200000ULL
#define MOVED_DIRECT_MAP 0xffff9a0000000000ULL
#define MOVED_VMALLOC 0xffffb48000000000ULL

static bool test_find_by_name(void)
{
	const struct lx_arch *a = lx_arch_find("x86_64");

	CHECK(a && !strcmp(a->name, "x86_64"));
	CHECK(a && a->page_size == 1ULL << a->page_shift && a->page_size == 4096);
	CHECK(a && a->word_size == 8 && !a->big_endian);
	CHECK(lx_arch_find("vax") == NULL);
	return unit_ok();
}

static bool no_symbol(void *priv, const char *name, uint64_t *addr)
{
	(void)priv;
	(void)name;
	(void)addr;
	return false;
}

/* A kernel without page_offset_base and friends keeps the row's defaults. */
static bool test_probe_without_variables(void)
{
	static const struct lx_dump_ops ops = { .symbol = no_symbol };
	struct lx_target t = { .dump = &ops };
	const struct lx_arch *row = lx_arch_find("x86_64");
	struct lx_arch a;

	CHECK(lx_arch_probe(&t, &a));
	CHECK(row && a.direct_map_base == row->direct_map_base);
	CHECK(row && a.vmemmap_base == row->vmemmap_base);
	CHECK(a.vmalloc_start == 0 && a.vmalloc_end == 0);
	return unit_ok();
}

/* A kernel before 4.20 with no page_offset_base: slab_caches' entries say where. */
#define SLAB_CACHES 0xffffffff82100000ULL

struct old_kernel {
	uint64_t first_entry;	/* slab_caches.next */
	const char *list;	/* its name; NULL: slab_caches */
};

static bool old_symbol(void *priv, const char *name, uint64_t *addr)
{
	const struct old_kernel *k = priv;

	if (strcmp(name, k->list ? k->list : "slab_caches"))
		return false;
	*addr = SLAB_CACHES;
	return true;
}

static bool old_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	const struct old_kernel *k = priv;
	uint64_t next = addr == SLAB_CACHES ? k->first_entry : SLAB_CACHES;

	if (len != sizeof(next))
		return false;
	memcpy(buf, &next, sizeof(next));
	return true;
}

static bool direct_map_with_list(const char *list, uint64_t entry, uint64_t want)
{
	static const struct lx_dump_ops ops = { .symbol = old_symbol, .read = old_read };
	struct old_kernel k = { .first_entry = entry, .list = list };
	struct lx_target t = { .dump = &ops, .dump_priv = &k };
	struct lx_arch a;

	return lx_arch_probe(&t, &a) && a.direct_map_base == want;
}

static bool direct_map_with_first_cache_at(uint64_t entry, uint64_t want)
{
	return direct_map_with_list(NULL, entry, want);
}

static bool test_direct_map_before_4_20(void)
{
	CHECK(direct_map_with_first_cache_at(0xffff88003e843f68ULL, 0xffff880000000000ULL));
	CHECK(direct_map_with_first_cache_at(0xffff88800a843f68ULL, 0xffff888000000000ULL));
	/* a cache in the kernel image (SLAB's kmem_cache_boot) says nothing */
	CHECK(direct_map_with_first_cache_at(0xffffffff82a0b000ULL, 0xffff888000000000ULL));
	/* 2.6.32's SLAB: the list is cache_chain */
	CHECK(direct_map_with_list("cache_chain", 0xffff88003e843f68ULL, 0xffff880000000000ULL));
	return unit_ok();
}

/* KASLR moved the direct map and vmalloc: the kernel's variables win. */
static bool test_probe_reads_kernel_bases(void)
{
	struct fixture f;
	uint64_t pob;

	fx_setup(&f, LX_FP_PLAIN);
	pob = lx_symbol_addr(f.s.t, "page_offset_base");
	fk_w64(&f.fk, pob, MOVED_DIRECT_MAP);
	fk_region(&f.fk, VMALLOC_SYM, 8);
	fk_w64(&f.fk, VMALLOC_SYM, MOVED_VMALLOC);
	fk_add_symbol(&f.fk, "vmalloc_base", VMALLOC_SYM);
	CHECK(lx_layout_init(&f.s) == LX_OK);
	CHECK(!strcmp(f.s.arch.name, "x86_64"));
	CHECK(f.s.arch.direct_map_base == MOVED_DIRECT_MAP);
	CHECK(f.s.arch.vmemmap_base == FK_VMEMMAP);
	CHECK(f.s.arch.vmalloc_start == MOVED_VMALLOC &&
	      f.s.arch.vmalloc_end > MOVED_VMALLOC);
	/* The layout's copies agree with the session's row. */
	CHECK(f.s.K.page_offset_base == MOVED_DIRECT_MAP);
	CHECK(f.s.K.vmemmap_base == FK_VMEMMAP);
	CHECK(f.s.K.page_shift == f.s.arch.page_shift);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * An arm64 kernel seen through VMCOREINFO alone: the lines of the S8
 * sample (Debian 6.1, 48-bit VA, randomised linear map: PHYS_OFFSET is
 * negative) or of a kernel laid out before the 5.4 flip.
 */
struct vmcoreinfo_lines {
	const char *const *lines;	/* "KEY=VALUE", NULL-ended */
};

static const char *const s8_lines[] = {
	"PAGESIZE=4096",
	"SYMBOL(_stext)=ffffca24e3a10000",
	"NUMBER(VA_BITS)=48",
	"NUMBER(MODULES_VADDR)=0xffff800000000000",
	"NUMBER(MODULES_END)=0xffff800008000000",
	"NUMBER(VMALLOC_START)=0xffff800008000000",
	"NUMBER(VMALLOC_END)=0xfffffbfff0000000",
	"NUMBER(VMEMMAP_START)=0xfffffc0000000000",
	"NUMBER(VMEMMAP_END)=0xfffffe0000000000",
	"NUMBER(kimage_voffset)=0xffffca24a3800000",
	"NUMBER(PHYS_OFFSET)=0xffff92e580000000",
	"KERNELOFFSET=4a24dba00000",
	"NUMBER(KERNELPACMASK)=0x0",
	"NUMBER(NEGATIVE)=-129",
	NULL,
};

/* Before the flip: 39-bit VA, image below the linear map, no ranges. */
static const char *const preflip_lines[] = {
	"PAGESIZE=65536",
	"SYMBOL(_stext)=ffffff8008081000",
	"NUMBER(VA_BITS)=39",
	"NUMBER(kimage_voffset)=0xffffff7fc0000000",
	"NUMBER(PHYS_OFFSET)=0x80000000",
	NULL,
};

static bool lines_vmcoreinfo(void *priv, const char *key, char *buf, size_t len)
{
	const struct vmcoreinfo_lines *v = priv;
	size_t n = strlen(key), i;

	for (i = 0; v->lines[i]; i++)
		if (!strncmp(v->lines[i], key, n) && v->lines[i][n] == '=')
			return snprintf(buf, len, "%s", v->lines[i] + n + 1) < (int)len;
	return false;
}

static long no_type(void *priv, const char *type)
{
	(void)priv;
	(void)type;
	return -1;
}

static bool probe_lines(const char *const *lines, struct lx_arch *a)
{
	static const struct lx_dump_ops ops = { .symbol = no_symbol, .type_size = no_type,
						.vmcoreinfo = lines_vmcoreinfo };
	struct vmcoreinfo_lines v = { lines };
	struct lx_target t = { .dump = &ops, .dump_priv = &v };

	return lx_arch_probe(&t, a);
}

static bool test_vmcoreinfo_numbers(void)
{
	static const struct lx_dump_ops ops = { .symbol = no_symbol,
						.vmcoreinfo = lines_vmcoreinfo };
	struct vmcoreinfo_lines v = { s8_lines };
	struct lx_target t = { .dump = &ops, .dump_priv = &v };
	uint64_t n;

	CHECK(lx_vmcoreinfo_number(&t, "PAGESIZE", false, &n) && n == 4096);
	CHECK(lx_vmcoreinfo_number(&t, "NUMBER(PHYS_OFFSET)", false, &n) &&
	      n == 0xffff92e580000000ULL);
	CHECK(lx_vmcoreinfo_number(&t, "NUMBER(NEGATIVE)", false, &n) && n == (uint64_t)-129);
	CHECK(lx_vmcoreinfo_number(&t, "KERNELOFFSET", true, &n) && n == 0x4a24dba00000ULL);
	/* bare hex is not a decimal number */
	CHECK(!lx_vmcoreinfo_number(&t, "KERNELOFFSET", false, &n));
	CHECK(!lx_vmcoreinfo_number(&t, "NUMBER(ABSENT)", false, &n));
	return unit_ok();
}

static bool test_arm64_from_vmcoreinfo(void)
{
	struct lx_arch a;

	CHECK(lx_arch_find("aarch64") == lx_arch_find("arm64"));
	CHECK(lx_arch_find_elf(183) == lx_arch_find("arm64"));
	CHECK(probe_lines(s8_lines, &a) && !strcmp(a.name, "arm64"));
	CHECK(a.page_size == 4096 && a.page_shift == 12);
	/* the dump's memory at 0x40000000 is where /proc/vmcore maps it */
	CHECK(a.direct_map_base + 0x40000000ULL == 0xffff6d1ac0000000ULL);
	/* vmemmap - (memstart_addr >> 12) pages of 64 bytes (no "page" type here) */
	CHECK(a.vmemmap_base == 0xfffffc0000000000ULL + (0x6d1a80000ULL << 6));
	CHECK(a.vmemmap_base + a.vmemmap_span == 0xfffffe0000000000ULL);
	CHECK(a.vmalloc_start == 0xffff800008000000ULL && a.vmalloc_end == 0xfffffbfff0000000ULL);
	CHECK(a.modules_start == 0xffff800000000000ULL && a.modules_end == 0xffff800008000000ULL);
	CHECK(a.kernel_space_base == 0xffff000000000000ULL);
	return unit_ok();
}

static bool test_arm64_before_the_flip(void)
{
	struct lx_arch a;

	CHECK(probe_lines(preflip_lines, &a) && !strcmp(a.name, "arm64"));
	CHECK(a.page_size == 65536 && a.page_shift == 16);
	/* PAGE_OFFSET is the upper half: 0xffffffc000000000 for 39 bits */
	CHECK(a.direct_map_base + 0x80000000ULL == 0xffffffc000000000ULL);
	CHECK(a.vmalloc_start == 0 && a.modules_end == 0);
	return unit_ok();
}

/*
 * The same memory under the arm64 row: the linear map and vmemmap land
 * where the x86_64 fake has them, and the walk (lists, and the memory map
 * scan that turns struct pages into slab addresses) finds the same slabs.
 */
static bool test_arm64_walk(void)
{
	static const unsigned int free_idx[] = { 0 };
	static const unsigned long partial[] = { 30, 0 };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_arm64(&f.fk);
	fk_add_symbol(&f.fk, "kimage_voffset", FK_CACHE);
	fk_add_slab(&f.fk, 30, 7, false);
	fk_set_slab_freelist(&f.fk, 30, fk_chain(&f.fk, 30, free_idx, 1));
	fk_node_list(&f.fk, false, partial);
	fk_add_slab(&f.fk, 31, FK_OBJS, false);	/* full: on no list */
	fk_set_node_nr_slabs(&f.fk, 2);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(!strcmp(f.s.arch.name, "arm64"));
	CHECK(f.s.K.page_offset_base == FK_PAGE_OFFSET && f.s.K.vmemmap_base == FK_VMEMMAP);
	CHECK(f.scan.nslabs == 2 && f.scan.by_source[LX_SRC_MEMMAP] == 1);
	CHECK(f.scan.live == 7 + 8);
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

const struct unit_test arch_tests[] = {
	{ "arch: an arm64 kernel's slabs are found as on x86_64", test_arm64_walk },
	{ "arch: VMCOREINFO numbers read as the kernel prints them",
	  test_vmcoreinfo_numbers },
	{ "arch: arm64's map from VMCOREINFO (randomised linear map)",
	  test_arm64_from_vmcoreinfo },
	{ "arch: arm64 before the 5.4 flip: the linear map is the upper half",
	  test_arm64_before_the_flip },
	{ "arch: rows are found by name", test_find_by_name },
	{ "arch: a kernel without the base variables keeps the defaults",
	  test_probe_without_variables },
	{ "arch: the kernel's page_offset_base and vmalloc_base win",
	  test_probe_reads_kernel_bases },
	{ "arch: before 4.20, slab_caches (or cache_chain) tells the fixed direct map's base",
	  test_direct_map_before_4_20 },
	{ NULL, NULL },
};
