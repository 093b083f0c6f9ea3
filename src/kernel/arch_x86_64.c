// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64.  Addresses follow the kernel's virtual memory map
 * (Documentation/arch/x86/x86_64/mm.rst); the bases that KASLR moves
 * (direct map, vmemmap, vmalloc) are read from the dumped kernel's own
 * variables when it has them, and the row's are only the defaults of a
 * kernel without them (4-level paging).
 */
#include "leakext/core.h"
#include "kernel/arch_rows.h"

#define X86_64_PAGE_SHIFT 12	/* arch/x86/include/asm/page_types.h */
/* How far vmalloc reaches past its base (4-level size). */
#define X86_64_VMALLOC_SPAN (32ULL << 40)
/* MAX_PHYSMEM_BITS with 5-level paging: no pfn reaches 1 << 40. */
#define X86_64_MAX_PHYSMEM_BITS 52

/*
 * page_offset_base, vmemmap_base and vmalloc_base exist when the kernel
 * can move those regions (CONFIG_RANDOMIZE_MEMORY, 5-level paging).
 * Without vmalloc_base the vmalloc range stays unknown.
 */
static void x86_64_fill(struct lx_arch *a, struct lx_target *t)
{
	uint64_t vmalloc;

	a->vmemmap_base = lx_symbol_u64_or(t, "vmemmap_base", a->vmemmap_base);
	a->direct_map_base = lx_symbol_u64_or(t, "page_offset_base",
					      a->direct_map_base);
	vmalloc = lx_symbol_u64_or(t, "vmalloc_base", 0);
	if (vmalloc) {
		a->vmalloc_start = vmalloc;
		a->vmalloc_end = vmalloc + X86_64_VMALLOC_SPAN;
	}
}

/*
 * Every dump no other row claims: x86_64 is all leakext read before
 * there were rows.
 */
const struct lx_arch lx_arch_x86_64 = {
	.name = "x86_64",
	.word_size = 8,
	.big_endian = false,
	.page_shift = X86_64_PAGE_SHIFT,
	.page_size = 1ULL << X86_64_PAGE_SHIFT,
	/* __PAGE_OFFSET_BASE_L4 */
	.direct_map_base = 0xffff888000000000ULL,
	/* __VMEMMAP_BASE_L4; 1 TiB of struct pages with 4-level paging */
	.vmemmap_base = 0xffffea0000000000ULL,
	.vmemmap_span = 1ULL << 40,
	/* __START_KERNEL_map up to MODULES_END */
	.kernel_map_base = 0xffffffff80000000ULL,
	.modules_end = 0xffffffffff000000ULL,
	/* The kernel half past the guard hole: the 4-level direct map's base */
	.kernel_space_base = 0xffff888000000000ULL,
	/*
	 * KASLR moves the kernel image in steps of CONFIG_PHYSICAL_ALIGN
	 * (2 MiB by default) within KERNEL_IMAGE_SIZE (1 GiB with KASLR).
	 */
	.kaslr_align = 2ULL << 20,
	.kaslr_max = 1ULL << 30,
	.max_pfn_limit = 1ULL << (X86_64_MAX_PHYSMEM_BITS - X86_64_PAGE_SHIFT),
	/* THREAD_SIZE without KASAN (arch/x86/include/asm/page_64_types.h) */
	.thread_size = 16u << 10,
	.fill = x86_64_fill,
};
