/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An architecture as leakext sees a kernel built for it: its words, pages
 * and virtual memory map.  Each architecture is one row, in its own file
 * (src/kernel/arch_<name>.c), holding the values its kernel is built with;
 * a session copies the row that fits the dump and lets the row replace
 * what the kernel chose at boot (KASLR) with that kernel's own variables.
 * No other file knows an architecture's numbers.
 */
#ifndef LEAKEXT_ARCH_H
#define LEAKEXT_ARCH_H

#include <stdbool.h>
#include <stdint.h>

struct lx_target;

struct lx_arch {
	const char *name;		/* the kernel's name: "x86_64", "arm64" */
	const char *machine;		/* utsname's and libkdumpfile's: "aarch64" */
	uint16_t elf_machine;		/* e_machine of its ELF files (EM_X86_64) */
	unsigned int word_size;		/* bytes in a pointer */
	bool big_endian;
	unsigned int page_shift;	/* base pages */
	uint64_t page_size;
	/* The direct map of all physical memory: pfn 0's address. */
	uint64_t direct_map_base;
	/*
	 * Where the direct map ends when it maps less than all memory (a
	 * 32-bit kernel's lowmem: the pages above, highmem, have no
	 * direct-map address and hold no slab); 0 when it maps every pfn.
	 */
	uint64_t direct_map_end;
	/* The struct page array (SPARSEMEM_VMEMMAP) and how far it reaches. */
	uint64_t vmemmap_base, vmemmap_span;
	/* vmalloc space, [start, end); both 0 when the dump does not say. */
	uint64_t vmalloc_start, vmalloc_end;
	/* The kernel image's mapping [base, end), with module space in it or not. */
	uint64_t kernel_map_base, kernel_map_end;
	/* Module space when it lies outside the image's mapping; else 0, 0. */
	uint64_t modules_start, modules_end;
	/* No kernel memory area lies below this. */
	uint64_t kernel_space_base;
	/* KASLR moves the image in steps of kaslr_align, less than kaslr_max. */
	uint64_t kaslr_align, kaslr_max;
	/* No pfn reaches this, at the largest physical address space. */
	uint64_t max_pfn_limit;
	/* A task's stack (THREAD_SIZE) when the kernel's types do not say. */
	uint64_t thread_size;
	/*
	 * Bits a kernel pointer may carry that are no part of its address:
	 * arm64's top-byte tags (KASAN software tags, MTE) and pointer
	 * authentication codes (VMCOREINFO's KERNELPACMASK).  A word with
	 * any of them, in the kernel half, is read with them all set; 0: none.
	 */
	uint64_t tag_bits;
	/*
	 * Is the dumped kernel this architecture's?  NULL: the row taken
	 * when no other row claims the dump.
	 */
	bool (*detect)(struct lx_target *t);
	/* Replace the row's defaults with what the dumped kernel chose. */
	void (*fill)(struct lx_arch *a, struct lx_target *t);
};

/* v as an address: with the row's tag bits set when it lies in the kernel half. */
static inline uint64_t lx_arch_untag(const struct lx_arch *a, uint64_t v)
{
	return a->tag_bits && (v & (1ULL << 55)) ? v | a->tag_bits : v;
}

/* The row called name or machine ("arm64", "aarch64"); NULL when none. */
const struct lx_arch *lx_arch_find(const char *name);
/* The row of ELF files for machine (EM_AARCH64); NULL when none. */
const struct lx_arch *lx_arch_find_elf(unsigned int machine);
/*
 * The dump's architecture in *a: its row, filled from the kernel's own
 * variables.  False when no row fits.
 */
bool lx_arch_probe(struct lx_target *t, struct lx_arch *a);

#endif
