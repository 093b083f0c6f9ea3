// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64.  The kernel's virtual memory map (Documentation/arch/arm64/
 * memory.rst) depends on VA_BITS, the page size and where the boot put
 * physical memory and the image (memstart_addr may be negative when the
 * linear map is randomised).  VMCOREINFO carries each of these
 * (arch/arm64/kernel/crash_core.c); where a line is missing the kernel's
 * own variables stand in, and only then the row's 6.x defaults.
 */
#include "leakext/core.h"
#include "kernel/arch_rows.h"

#define ARM64_DEFAULT_VA_BITS 48
#define ARM64_MAX_PHYSMEM_BITS 52	/* with 52-bit physical addresses */
#define ARM64_STRUCT_PAGE_MAX_SHIFT 6	/* vmemmap reserves 64 bytes a page */

/* The page size the kernel was built with: 4K, 16K or 64K (PAGESIZE). */
static unsigned int arm64_page_shift(struct lx_target *t)
{
	uint64_t size;
	unsigned int shift;

	if (lx_vmcoreinfo_number(t, "PAGESIZE", false, &size))
		for (shift = 12; shift <= 16; shift += 2)
			if (size == 1ULL << shift)
				return shift;
	return 12;
}

static unsigned int arm64_va_bits(struct lx_target *t)
{
	uint64_t bits;

	if ((lx_vmcoreinfo_number(t, "NUMBER(VA_BITS)", false, &bits) ||
	     (bits = lx_symbol_u64_or(t, "vabits_actual", 0))) &&
	    bits >= 36 && bits <= 52)
		return bits;
	return ARM64_DEFAULT_VA_BITS;
}

static uint64_t vmcoreinfo_or(struct lx_target *t, const char *key, uint64_t fallback)
{
	uint64_t value;

	return lx_vmcoreinfo_number(t, key, false, &value) ? value : fallback;
}

/*
 * Since 5.4 (14c127c957c1 "arm64: mm: Flip kernel VA space") the linear
 * map fills the lower half of the kernel's space, from
 * PAGE_OFFSET = -(1 << VA_BITS), and the image the upper half; before, the
 * linear map was the upper half, PAGE_OFFSET = -(1 << (VA_BITS - 1)).  The
 * image's own address tells which.
 */
static uint64_t arm64_page_offset(struct lx_target *t, unsigned int va_bits)
{
	uint64_t upper_half = -(1ULL << (va_bits - 1)), stext;

	if (!lx_symbol(t, "_stext", &stext) &&
	    !lx_vmcoreinfo_number(t, "SYMBOL(_stext)", true, &stext))
		return -(1ULL << va_bits);
	return stext >= upper_half ? -(1ULL << va_bits) : upper_half;
}

/*
 * The struct page of pfn 0: vmemmap is
 * (struct page *)VMEMMAP_START - (memstart_addr >> PAGE_SHIFT), an
 * arithmetic shift of a signed memstart_addr (arch/arm64/include/asm/
 * memory.h).  Kernels before 5.11 aligned the pfn down to a memory
 * section, the same value while memstart_addr is 1 GiB aligned
 * (ARM64_MEMSTART_ALIGN with 4K pages).
 */
static void arm64_vmemmap(struct lx_arch *a, struct lx_target *t, unsigned int va_bits,
			  uint64_t phys_offset)
{
	unsigned int vmemmap_shift = a->page_shift - ARM64_STRUCT_PAGE_MAX_SHIFT;
	uint64_t start = -(1ULL << (va_bits - vmemmap_shift));
	uint64_t end = start + (1ULL << (va_bits - vmemmap_shift));
	long page_size = lx_type_size(t, "page");
	int64_t first_pfn = (int64_t)phys_offset >> a->page_shift;

	start = vmcoreinfo_or(t, "NUMBER(VMEMMAP_START)", start);
	end = vmcoreinfo_or(t, "NUMBER(VMEMMAP_END)", end);
	if (page_size <= 0)
		page_size = 64;
	a->vmemmap_base = start - (uint64_t)first_pfn * (uint64_t)page_size;
	a->vmemmap_span = end > start ? end - start : 0;
	/* vmemmap_base may lie below VMEMMAP_START: the span counts from it. */
	a->vmemmap_span += start - a->vmemmap_base;
}

/*
 * The image is [_text, _end), somewhere in vmalloc space under KASLR;
 * modules in MODULES_VADDR..MODULES_END (or within 2 GiB of the image
 * with module PLTs, where they are vmalloc space to us).
 */
static void arm64_image(struct lx_arch *a, struct lx_target *t)
{
	uint64_t text, end;

	if (lx_symbol(t, "_text", &text) && lx_symbol(t, "_end", &end) && end > text) {
		a->kernel_map_base = text;
		a->kernel_map_end = end;
	}
	a->modules_start = vmcoreinfo_or(t, "NUMBER(MODULES_VADDR)", 0);
	a->modules_end = vmcoreinfo_or(t, "NUMBER(MODULES_END)", 0);
	if (a->modules_end <= a->modules_start)
		a->modules_start = a->modules_end = 0;
}

static void arm64_fill(struct lx_arch *a, struct lx_target *t)
{
	unsigned int va_bits = arm64_va_bits(t);
	uint64_t page_offset = arm64_page_offset(t, va_bits);
	uint64_t phys_offset = lx_symbol_u64_or(t, "memstart_addr", 0);

	phys_offset = vmcoreinfo_or(t, "NUMBER(PHYS_OFFSET)", phys_offset);
	a->page_shift = arm64_page_shift(t);
	a->page_size = 1ULL << a->page_shift;
	a->max_pfn_limit = 1ULL << (ARM64_MAX_PHYSMEM_BITS - a->page_shift);
	/* __phys_to_virt(p) is (p - PHYS_OFFSET) | PAGE_OFFSET */
	a->direct_map_base = page_offset - phys_offset;
	a->kernel_space_base = -(1ULL << va_bits);
	arm64_vmemmap(a, t, va_bits, phys_offset);
	a->vmalloc_start = vmcoreinfo_or(t, "NUMBER(VMALLOC_START)", 0);
	a->vmalloc_end = vmcoreinfo_or(t, "NUMBER(VMALLOC_END)", 0);
	if (a->vmalloc_end <= a->vmalloc_start)
		a->vmalloc_start = a->vmalloc_end = 0;
	arm64_image(a, t);
	/* top byte ignore (TBI) for tags; KERNELPACMASK, 0 without PAC */
	a->tag_bits = 0xff00000000000000ULL | vmcoreinfo_or(t, "NUMBER(KERNELPACMASK)", 0);
}

/*
 * kimage_voffset, the image's virtual-to-physical offset, is arm64's
 * alone since the image could be loaded anywhere (a7f8de168ace "arm64:
 * allow kernel Image to be loaded anywhere in physical memory", 4.6).
 */
static bool arm64_detect(struct lx_target *t)
{
	uint64_t addr;

	return lx_symbol(t, "kimage_voffset", &addr) ||
	       lx_vmcoreinfo_number(t, "NUMBER(kimage_voffset)", false, &addr);
}

const struct lx_arch lx_arch_arm64 = {
	.name = "arm64",
	.machine = "aarch64",
	.elf_machine = 183,	/* EM_AARCH64 */
	.word_size = 8,
	.big_endian = false,
	.page_shift = 12,
	.page_size = 1ULL << 12,
	/*
	 * KASLR moves the image in 2 MiB steps (MIN_KIMG_ALIGN) within the
	 * upper half of a 48-bit space (arch/arm64/kernel/kaslr.c).
	 */
	.kaslr_align = 2ULL << 20,
	.kaslr_max = 1ULL << 47,
	/* THREAD_SIZE without KASAN: 1 << MIN_THREAD_SHIFT (asm/memory.h) */
	.thread_size = 16u << 10,
	.detect = arm64_detect,
	.fill = arm64_fill,
};
