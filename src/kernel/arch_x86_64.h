/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The x86_64 facts leakext builds on, in one place.  Addresses follow the
 * kernel's virtual memory map (Documentation/arch/x86/x86_64/mm.rst); the
 * bases that KASLR moves (direct map, vmemmap, vmalloc) are read from the
 * dumped kernel's own variables when it has them, and these are only the
 * defaults of a kernel without them (4-level paging).
 */
#ifndef LEAKEXT_ARCH_X86_64_H
#define LEAKEXT_ARCH_X86_64_H

/* Base pages (arch/x86/include/asm/page_types.h). */
#define LX_PAGE_SHIFT 12
#define LX_PAGE_SIZE (1ULL << LX_PAGE_SHIFT)

/* Direct map of all physical memory: page_offset_base, __PAGE_OFFSET_BASE_L4. */
#define LX_DIRECT_MAP_BASE 0xffff888000000000ULL
/* The struct page array (SPARSEMEM_VMEMMAP): vmemmap_base, __VMEMMAP_BASE_L4. */
#define LX_VMEMMAP_BASE 0xffffea0000000000ULL
/* How far vmalloc and vmemmap reach past their bases (4-level sizes). */
#define LX_VMALLOC_SPAN (32ULL << 40)
#define LX_VMEMMAP_SPAN (1ULL << 40)

/* Kernel text mapping and modules: __START_KERNEL_map up to MODULES_END. */
#define LX_KERNEL_MAP_BASE 0xffffffff80000000ULL
#define LX_MODULES_END 0xffffffffff000000ULL

/*
 * KASLR moves the kernel image in steps of CONFIG_PHYSICAL_ALIGN (2 MiB by
 * default) within KERNEL_IMAGE_SIZE (1 GiB with KASLR).
 */
#define LX_KASLR_ALIGN (2ULL << 20)
#define LX_KASLR_MAX (1ULL << 30)

/* MAX_PHYSMEM_BITS with 5-level paging: no pfn reaches 1 << 40. */
#define LX_MAX_PHYSMEM_BITS 52
#define LX_MAX_PFN_LIMIT (1ULL << (LX_MAX_PHYSMEM_BITS - LX_PAGE_SHIFT))

#endif
