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
 * Before 4.20 (kernel commit d52888aa2753 "x86/mm: Move LDT remap out of
 * KASLR region on 5-level paging") the fixed direct map began 512 GiB
 * lower, at 0xffff880000000000, and a kernel without
 * CONFIG_RANDOMIZE_MEMORY has no page_offset_base to say so.  The caches
 * on slab_caches (2.6.32's SLAB: cache_chain) live in the direct map,
 * so where they are tells which
 * base this kernel had: below the 4.20 base (and a machine with less
 * than 512 GiB) is the old one.
 */
#define X86_64_OLD_DIRECT_MAP 0xffff880000000000ULL
#define X86_64_CACHES_LOOKED_AT 4

/* The list of every cache: slab_caches, or 2.6.32 SLAB's cache_chain. */
static bool x86_64_cache_list(struct lx_target *t, uint64_t *head)
{
	return lx_symbol(t, "slab_caches", head) || lx_symbol(t, "cache_chain", head);
}

static uint64_t x86_64_fixed_direct_map(struct lx_target *t, uint64_t base)
{
	uint64_t head, entry;
	unsigned int i;

	if (!x86_64_cache_list(t, &head) || !lx_read_u64(t, head, &entry))
		return base;
	for (i = 0; i < X86_64_CACHES_LOOKED_AT && entry != head; i++) {
		if (entry >= X86_64_OLD_DIRECT_MAP && entry < base)
			return X86_64_OLD_DIRECT_MAP;
		if (entry >= base && entry < base + (64ULL << 40))
			return base;	/* a cache above the 4.20 base */
		if (!lx_read_u64(t, entry, &entry))	/* list_head.next */
			break;
	}
	return base;
}

/*
 * page_offset_base, vmemmap_base and vmalloc_base exist when the kernel
 * can move those regions (CONFIG_RANDOMIZE_MEMORY, 5-level paging).
 * Without vmalloc_base the vmalloc range stays unknown.
 */
static void x86_64_fill(struct lx_arch *a, struct lx_target *t)
{
	uint64_t vmalloc, base;

	a->vmemmap_base = lx_symbol_u64_or(t, "vmemmap_base", a->vmemmap_base);
	if (lx_symbol(t, "page_offset_base", &base))
		a->direct_map_base = lx_symbol_u64_or(t, "page_offset_base",
						      a->direct_map_base);
	else
		a->direct_map_base = x86_64_fixed_direct_map(t, a->direct_map_base);
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
	.machine = "x86_64",
	.elf_machine = 62,	/* EM_X86_64 */
	.word_size = 8,
	.big_endian = false,
	.page_shift = X86_64_PAGE_SHIFT,
	.page_size = 1ULL << X86_64_PAGE_SHIFT,
	/* __PAGE_OFFSET_BASE_L4 */
	.direct_map_base = 0xffff888000000000ULL,
	/* __VMEMMAP_BASE_L4; 1 TiB of struct pages with 4-level paging */
	.vmemmap_base = 0xffffea0000000000ULL,
	.vmemmap_span = 1ULL << 40,
	/* __START_KERNEL_map up to MODULES_END: modules follow the image */
	.kernel_map_base = 0xffffffff80000000ULL,
	.kernel_map_end = 0xffffffffff000000ULL,
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
