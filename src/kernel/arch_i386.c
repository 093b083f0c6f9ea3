// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * i386 (x86_32, with PAE or without).  The kernel's virtual memory map
 * (arch/x86/include/asm/page_32_types.h, pgtable_32_areas.h): the direct
 * map of lowmem from PAGE_OFFSET up to high_memory, the kernel image
 * inside it, vmalloc space from high_memory + VMALLOC_OFFSET with the
 * modules in it (MODULES_VADDR is VMALLOC_START).  Highmem pages have no
 * direct-map address.  Without SPARSEMEM_VMEMMAP (which x86_32 never
 * selects) the struct pages are FLATMEM's mem_map array.  The word is 4
 * bytes, so this file reads the kernel's variables as u32s itself: the
 * row is filled before the target knows its word size.
 */
#include "leakext/core.h"
#include "kernel/arch_rows.h"

#define I386_PAGE_SHIFT 12
/* CONFIG_PAGE_OFFSET with the default VMSPLIT_3G */
#define I386_PAGE_OFFSET 0xc0000000ULL
/* lowmem with that split when the kernel does not say (MAXMEM, about 896 MiB) */
#define I386_DEFAULT_LOWMEM (896ULL << 20)
#define I386_VMALLOC_OFFSET (8ULL << 20)	/* VMALLOC_OFFSET */
#define I386_ADDRESS_SPACE (1ULL << 32)
/*
 * The fixmap, cpu entry areas, LDT and pkmap windows take the top of the
 * address space, and VMALLOC_END lies below them (PKMAP_BASE - 2 pages);
 * where exactly depends on NR_CPUS and the fixmap's size.  This bound
 * keeps the top 8 MiB, and with it -1 and the errno values, out of
 * vmalloc space; a pointer between it and VMALLOC_END counts as vmalloc.
 */
#define I386_VMALLOC_END (I386_ADDRESS_SPACE - (8ULL << 20))
#define I386_MAX_PHYSMEM_BITS 36		/* with PAE; 32 without */
#define I386_STRUCT_PAGE 32			/* sizeof(struct page) without memcg */
/* The splits CONFIG_PAGE_OFFSET allows lie in [1 GiB, 3 GiB], PMD aligned. */
#define I386_MIN_PAGE_OFFSET 0x40000000ULL
#define I386_PAGE_OFFSET_ALIGN (4ULL << 20)

/* A u32 variable of the kernel (its unsigned longs and pointers); 0 if absent. */
static uint64_t variable(struct lx_target *t, const char *name)
{
	return lx_symbol_u32_or(t, name, 0);
}

/*
 * PAGE_OFFSET, which the kernel's variables imply: high_memory is
 * __va(max_low_pfn * PAGE_SIZE) (arch/x86/mm/init_32.c initmem_init(),
 * where highstart_pfn is max_low_pfn with HIGHMEM), so their difference
 * is PAGE_OFFSET whatever VMSPLIT the kernel was built with.
 */
static uint64_t i386_page_offset(uint64_t high_memory, uint64_t max_low_pfn)
{
	uint64_t lowmem = max_low_pfn << I386_PAGE_SHIFT, base;

	if (!high_memory || !max_low_pfn || high_memory <= lowmem)
		return I386_PAGE_OFFSET;
	base = high_memory - lowmem;
	if (base < I386_MIN_PAGE_OFFSET || base > I386_PAGE_OFFSET ||
	    base % I386_PAGE_OFFSET_ALIGN)
		return I386_PAGE_OFFSET;
	return base;
}

/* The end of lowmem: high_memory, else from max_low_pfn, else the default split's. */
static uint64_t i386_lowmem_end(uint64_t page_offset, uint64_t high_memory,
				uint64_t max_low_pfn)
{
	uint64_t end = page_offset + (max_low_pfn ? max_low_pfn << I386_PAGE_SHIFT :
						    I386_DEFAULT_LOWMEM);

	if (high_memory > page_offset)
		end = high_memory;
	return end < I386_ADDRESS_SPACE ? end : I386_ADDRESS_SPACE;
}

/*
 * FLATMEM: pfn_to_page(pfn) is mem_map + pfn (ARCH_PFN_OFFSET is 0 on x86,
 * include/asm-generic/memory_model.h), so mem_map is pfn 0's struct page.
 * A SPARSEMEM kernel (i386 with NUMA) has no mem_map and leaves the row
 * without a struct page array, which the session refuses.
 */
static void i386_memmap(struct lx_arch *a, struct lx_target *t)
{
	long page_size = lx_type_size(t, "page");
	uint64_t max_pfn = variable(t, "max_pfn");

	a->vmemmap_base = variable(t, "mem_map");
	if (page_size <= 0)
		page_size = I386_STRUCT_PAGE;
	a->vmemmap_span = a->vmemmap_base ? max_pfn * (uint64_t)page_size : 0;
}

/* The image is [_text, _end), inside lowmem: KASLR moves it there. */
static void i386_image(struct lx_arch *a, struct lx_target *t)
{
	uint64_t text, end;

	if (lx_symbol(t, "_text", &text) && lx_symbol(t, "_end", &end) && end > text) {
		a->kernel_map_base = text;
		a->kernel_map_end = end;
	}
}

static void i386_fill(struct lx_arch *a, struct lx_target *t)
{
	uint64_t high_memory = variable(t, "high_memory");
	uint64_t max_low_pfn = variable(t, "max_low_pfn");

	a->direct_map_base = i386_page_offset(high_memory, max_low_pfn);
	a->direct_map_end = i386_lowmem_end(a->direct_map_base, high_memory, max_low_pfn);
	a->kernel_space_base = a->direct_map_base;
	a->vmalloc_start = a->direct_map_end + I386_VMALLOC_OFFSET;
	a->vmalloc_end = I386_VMALLOC_END;
	i386_memmap(a, t);
	i386_image(a, t);
}

/*
 * initial_page_table, the page directory that boots the other cpus, is
 * x86_32's alone (kernel commit b40827fa7268 "x86-32, mm: Add an initial
 * page table for core bootstrapping", 2.6.38): x86_64 boots from
 * init_top_pgt.  A data symbol: a kernel without CONFIG_KALLSYMS_ALL
 * (Debian's 686-pae) lists it only in its vmlinux and System.map, so the
 * 32-bit C entry point i386_start_kernel (arch/x86/kernel/head32.c;
 * x86_64's is x86_64_start_kernel), which kallsyms always has, answers
 * too.
 */
static bool i386_detect(struct lx_target *t)
{
	uint64_t addr;

	return lx_symbol(t, "initial_page_table", &addr) ||
	       lx_symbol(t, "i386_start_kernel", &addr);
}

/* machine is libkdumpfile's name for it (utsname says i686, i586, ...). */
const struct lx_arch lx_arch_i386 = {
	.name = "i386",
	.machine = "ia32",
	.elf_machine = 3,	/* EM_386 */
	.word_size = 4,
	.big_endian = false,
	.page_shift = I386_PAGE_SHIFT,
	.page_size = 1ULL << I386_PAGE_SHIFT,
	.direct_map_base = I386_PAGE_OFFSET,
	.direct_map_end = I386_PAGE_OFFSET + I386_DEFAULT_LOWMEM,
	.kernel_map_base = I386_PAGE_OFFSET,
	.kernel_map_end = I386_PAGE_OFFSET,
	.kernel_space_base = I386_PAGE_OFFSET,
	/*
	 * KASLR moves the image in steps of CONFIG_PHYSICAL_ALIGN (2 MiB by
	 * default) within KERNEL_IMAGE_SIZE (512 MiB on 32-bit,
	 * asm/page_32_types.h).
	 */
	.kaslr_align = 2ULL << 20,
	.kaslr_max = 512ULL << 20,
	.max_pfn_limit = 1ULL << (I386_MAX_PHYSMEM_BITS - I386_PAGE_SHIFT),
	/* THREAD_SIZE: 2 pages (THREAD_SIZE_ORDER 1, asm/page_32_types.h) */
	.thread_size = 8u << 10,
	.detect = i386_detect,
	.fill = i386_fill,
};
