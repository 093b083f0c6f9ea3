// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kcore_from_dump VMCORE OUT [--no-btf]: the x86_64 dump's memory as /proc/kcore would
 * show it, for the live target's integration test (tests/integration/
 * live_kcore.py) on a machine that has no /proc/kcore of that kernel.
 *
 * OUT is an ELF core like fs/proc/kcore.c's: PT_LOADs at kernel virtual
 * addresses for the direct map (page_offset_base; p_paddr 0), the kernel
 * image (_text to _end), the memory map (vmemmap_base, 64 bytes a page
 * frame) and the span of the module symbols, each read through the
 * program's own dump backend (sa_dump_open: libkdumpfile, the dump's
 * kallsyms); kcore's CORE notes (NT_PRSTATUS, NT_PRPSINFO, NT_TASKSTRUCT)
 * and the dump's VMCOREINFO as a note.  Pages the dump does not hold, and
 * pages of zeros, are left as holes (the file is sparse); no vmalloc area.
 *
 * With --no-btf the kernel's BTF (__start_BTF to __stop_BTF) reads as
 * zeros: a kernel built without CONFIG_DEBUG_INFO_BTF, for the message
 * leakscan gives then.
 *
 * Exit 0 with the file written, 2 on bad usage or a dump it cannot open.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leakext/core.h"
#include "standalone/target.h"

#define PAGE 4096ULL
#define STRUCT_PAGE 64ULL
#define MAX_SEGMENTS 4
#define MODULE_TAIL (1ULL << 20)

struct segment {
	uint64_t vaddr, paddr, size;
};

static uint8_t notes[1 << 16];
static size_t notes_len;
static uint64_t blank_start, blank_end;	/* read as zeros (--no-btf) */

static void add_note(const char *name, uint32_t type, const void *desc, uint32_t len)
{
	Elf64_Nhdr nh = { .n_namesz = strlen(name) + 1, .n_descsz = len, .n_type = type };

	if (notes_len + sizeof(nh) + nh.n_namesz + len + 8 > sizeof(notes))
		return;
	memcpy(notes + notes_len, &nh, sizeof(nh));
	notes_len += sizeof(nh);
	memcpy(notes + notes_len, name, nh.n_namesz);
	notes_len += (nh.n_namesz + 3) & ~3U;
	memcpy(notes + notes_len, desc, len);
	notes_len += (len + 3) & ~3U;
}

static bool symbol(struct sa_dump *d, const char *name, uint64_t *addr)
{
	return sa_dump_ops.symbol(d, name, addr);
}

static bool word_at(struct sa_dump *d, const char *name, uint64_t *value)
{
	uint64_t addr;

	return symbol(d, name, &addr) && sa_dump_ops.read(d, addr, value, sizeof(*value));
}

/*
 * The span of the module symbols and MODULE_TAIL after it (a module's
 * symbol and string tables follow its data), whole pages; false if none.
 */
static bool module_span(const struct sa_dump *d, uint64_t *start, uint64_t *end)
{
	size_t i;

	*start = UINT64_MAX;
	*end = 0;
	for (i = 0; i < d->symbols.count; i++) {
		const struct lx_symbol *sym = &d->symbols.syms[i];

		if (!sym->module)
			continue;
		if (sym->addr < *start)
			*start = sym->addr;
		if (sym->addr + sym->size + MODULE_TAIL > *end)
			*end = sym->addr + sym->size + MODULE_TAIL;
	}
	*start &= ~(PAGE - 1);
	*end = (*end + PAGE - 1) & ~(PAGE - 1);
	return *start < *end;
}

static unsigned int plan(struct sa_dump *d, struct segment *seg)
{
	uint64_t base, vmemmap, text, end, phys = sa_dump_ops.phys_end(d), lo, hi;
	unsigned int n = 0;

	if (word_at(d, "page_offset_base", &base) && phys)
		seg[n++] = (struct segment){ base, 0, phys };
	if (symbol(d, "_text", &text) && symbol(d, "_end", &end) && end > text)
		seg[n++] = (struct segment){ text, UINT64_MAX, (end - text + PAGE - 1) & ~(PAGE - 1) };
	if (word_at(d, "vmemmap_base", &vmemmap) && phys)
		seg[n++] = (struct segment){ vmemmap, UINT64_MAX, phys / PAGE * STRUCT_PAGE };
	if (module_span(d, &lo, &hi))
		seg[n++] = (struct segment){ lo, UINT64_MAX, hi - lo };
	return n;
}

static bool zero_page(const uint8_t *p)
{
	size_t i;

	for (i = 0; i < PAGE; i++)
		if (p[i])
			return false;
	return true;
}

/* The part of the page at va that lies in [blank_start, blank_end), zeroed. */
static void blank_page(uint64_t va, uint8_t *page)
{
	uint64_t from = va > blank_start ? va : blank_start;
	uint64_t to = va + PAGE < blank_end ? va + PAGE : blank_end;

	if (from < to)
		memset(page + (from - va), 0, to - from);
}

/* The segment's pages at offset off; holes where the dump has none. */
static int copy_segment(struct sa_dump *d, int fd, const struct segment *seg, uint64_t off)
{
	static uint8_t page[PAGE];
	uint64_t at;

	for (at = 0; at < seg->size; at += PAGE) {
		if (!sa_dump_ops.read(d, seg->vaddr + at, page, PAGE))
			continue;
		blank_page(seg->vaddr + at, page);
		if (zero_page(page))
			continue;
		if (pwrite(fd, page, PAGE, off + at) != (ssize_t)PAGE)
			return -1;
	}
	return 0;
}

static int write_kcore(struct sa_dump *d, int fd, const struct segment *seg, unsigned int n)
{
	Elf64_Ehdr eh = { .e_type = ET_CORE, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			  .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
			  .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = n + 1 };
	Elf64_Phdr ph = { .p_type = PT_NOTE, .p_offset = sizeof(eh) + (n + 1) * sizeof(ph),
			  .p_filesz = notes_len };
	uint64_t off = (ph.p_offset + notes_len + PAGE - 1) & ~(PAGE - 1);
	unsigned int i;

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	if (pwrite(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    pwrite(fd, &ph, sizeof(ph), eh.e_phoff) != sizeof(ph) ||
	    pwrite(fd, notes, notes_len, ph.p_offset) != (ssize_t)notes_len)
		return -1;
	for (i = 0; i < n; i++) {
		Elf64_Phdr load = { .p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
				    .p_offset = off, .p_vaddr = seg[i].vaddr,
				    .p_paddr = seg[i].paddr, .p_filesz = seg[i].size,
				    .p_memsz = seg[i].size, .p_align = PAGE };

		if (pwrite(fd, &load, sizeof(load), eh.e_phoff + (i + 1) * sizeof(load)) !=
		    sizeof(load) || copy_segment(d, fd, &seg[i], off))
			return -1;
		off += seg[i].size;
	}
	return ftruncate(fd, off);
}

int main(int argc, char **argv)
{
	struct sa_dump d = { .fd = -1, .quiet = true, .live_niceness = -1 };
	static const uint8_t zeros[336];
	struct segment seg[MAX_SEGMENTS];
	char *info = NULL;
	char err[512];
	unsigned int n;
	int fd, ret;

	bool no_btf = argc == 4 && !strcmp(argv[3], "--no-btf");

	if (argc != 3 && !no_btf) {
		fprintf(stderr, "usage: kcore_from_dump VMCORE OUT [--no-btf]\n");
		return 2;
	}
	d.path = argv[1];
	if (sa_dump_open(&d, err, sizeof(err)) ||
	    (snprintf(err, sizeof(err), "no VMCOREINFO") && !d.ctx) ||
	    kdump_vmcoreinfo_raw(d.ctx, &info) != KDUMP_OK || !info) {
		fprintf(stderr, "kcore_from_dump: %s: %s\n", d.path, err);
		sa_dump_close(&d);
		return 2;
	}
	add_note("CORE", NT_PRSTATUS, zeros, sizeof(zeros));
	add_note("CORE", NT_PRPSINFO, zeros, 136);
	add_note("CORE", NT_TASKSTRUCT, zeros, 64);
	add_note("VMCOREINFO", 0, info, strlen(info));
	free(info);
	if (no_btf && !(symbol(&d, "__start_BTF", &blank_start) &&
			symbol(&d, "__stop_BTF", &blank_end))) {
		fprintf(stderr, "kcore_from_dump: %s: no __start_BTF/__stop_BTF\n", d.path);
		sa_dump_close(&d);
		return 2;
	}
	n = plan(&d, seg);
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ret = fd < 0 || n < 3 || write_kcore(&d, fd, seg, n);
	if (fd >= 0)
		close(fd);
	sa_dump_close(&d);
	if (ret)
		fprintf(stderr, "kcore_from_dump: %s: cannot write (%u segments)\n", argv[2], n);
	return ret ? 2 : 0;
}
