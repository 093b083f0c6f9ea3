// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ELF dump format (src/standalone/readers/elfdump.c) on small ELF
 * cores in a memfd, shaped as QEMU's dump-guest-memory and a copy of
 * /proc/vmcore write them: PT_LOADs by physical address, out of order, one
 * overlapping another (the kernel text beside the RAM that holds it), one
 * with a zero-filled tail, and a VMCOREINFO note giving PAGESIZE.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "standalone/readers/reader.h"
#include "unit.h"

#define PG 4096ULL

struct seg {
	uint64_t paddr, filesz, memsz;
	uint8_t fill;		/* every byte of its data */
};

struct core_spec {
	const char *vmcoreinfo;	/* NULL: no note */
	bool taskstruct;	/* a /proc/kcore */
	const struct seg *segs;
	unsigned int nsegs;
};

static size_t note(uint8_t *out, const char *name, uint32_t type, const void *desc,
		   uint32_t len)
{
	Elf64_Nhdr nh = { .n_namesz = strlen(name) + 1, .n_descsz = len, .n_type = type };
	size_t at = sizeof(nh);

	memcpy(out, &nh, sizeof(nh));
	memcpy(out + at, name, nh.n_namesz);
	at += (nh.n_namesz + 3) & ~3U;
	memcpy(out + at, desc, len);
	return at + ((len + 3) & ~3U);
}

static void fill_ehdr(Elf64_Ehdr *eh, unsigned int phnum)
{
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = phnum;
}

static int build_core(const struct core_spec *spec)
{
	uint8_t notes[512], zeros[32] = { 0 }, *data;
	Elf64_Phdr ph = { .p_type = PT_NOTE };
	Elf64_Ehdr eh;
	size_t nlen = 0;
	uint64_t off;
	unsigned int i;
	int fd = memfd_create("elfdump", 0);

	if (spec->vmcoreinfo)
		nlen += note(notes, "VMCOREINFO", 0, spec->vmcoreinfo, strlen(spec->vmcoreinfo));
	if (spec->taskstruct)
		nlen += note(notes + nlen, "CORE", NT_TASKSTRUCT, zeros, sizeof(zeros));
	fill_ehdr(&eh, spec->nsegs + 1);
	ph.p_offset = eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(ph);
	ph.p_filesz = nlen;
	pwrite(fd, &eh, sizeof(eh), 0);
	pwrite(fd, &ph, sizeof(ph), eh.e_phoff);
	pwrite(fd, notes, nlen, ph.p_offset);
	off = 4 * PG;
	for (i = 0; i < spec->nsegs; i++) {
		const struct seg *s = &spec->segs[i];
		Elf64_Phdr load = { .p_type = PT_LOAD, .p_offset = off, .p_paddr = s->paddr,
				    .p_filesz = s->filesz, .p_memsz = s->memsz };

		data = malloc(s->filesz);
		memset(data, s->fill, s->filesz);
		pwrite(fd, &load, sizeof(load), eh.e_phoff + (i + 1) * sizeof(load));
		pwrite(fd, data, s->filesz, off);
		free(data);
		off += s->filesz;
	}
	return fd;
}

static const char vmcoreinfo[] = "OSRELEASE=6.1.0-fake\nPAGESIZE=4096\n";

/* RAM at 1 MiB (4 pages, the last zero-filled), the kernel text inside it,
 * RAM at 0 (one page): written out of physical order. */
static const struct seg qemu_like[] = {
	{ 0x100000, 3 * PG, 4 * PG, 0xaa },
	{ 0x101000, PG, PG, 0xcc },	/* overlaps the first: left out */
	{ 0, PG, PG, 0x11 },
	{ 0x1000, PG, PG, 0x22 },	/* adjacent to the one at 0 */
};

static void *open_spec(const struct core_spec *spec, int *fd, char *err, size_t errlen)
{
	*fd = build_core(spec);
	return sa_elfdump_ops.open(*fd, err, errlen);
}

static bool all_bytes(const uint8_t *buf, size_t len, uint8_t value)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != value)
			return false;
	return true;
}

static bool test_reads_by_physical_address(void)
{
	struct core_spec spec = { vmcoreinfo, false, qemu_like, 4 };
	uint64_t page_size, max_pfn;
	uint8_t buf[2 * PG];
	char err[128] = "";
	void *e;
	int fd;

	e = open_spec(&spec, &fd, err, sizeof(err));
	CHECK(e);
	if (!e)
		return unit_ok();
	sa_elfdump_ops.geometry(e, &page_size, &max_pfn);
	CHECK(page_size == PG && max_pfn == (0x100000 + 4 * PG) / PG);
	CHECK(sa_elfdump_ops.read(e, 0x100000, buf, PG) && all_bytes(buf, PG, 0xaa));
	/* the overlapping segment's bytes are never answered */
	CHECK(sa_elfdump_ops.read(e, 0x101000, buf, PG) && all_bytes(buf, PG, 0xaa));
	/* across two adjacent segments, piece by piece */
	CHECK(sa_elfdump_ops.read(e, PG - 8, buf, 16));
	CHECK(all_bytes(buf, 8, 0x11) && all_bytes(buf + 8, 8, 0x22));
	CHECK(sa_elfdump_ops.present(e, 0, 2 * PG));
	/* the tail past p_filesz is zeros, a read into it the file's bytes then zeros */
	memset(buf, 0xff, sizeof(buf));
	CHECK(sa_elfdump_ops.read(e, 0x100000 + 3 * PG, buf, PG) && all_bytes(buf, PG, 0));
	CHECK(sa_elfdump_ops.read(e, 0x100000 + 3 * PG - 8, buf, 16));
	CHECK(all_bytes(buf, 8, 0xaa) && all_bytes(buf + 8, 8, 0));
	CHECK(sa_elfdump_ops.present(e, 0x100000 + 2 * PG, 2 * PG));
	/* holes, past p_memsz and wraps are left to libkdumpfile */
	CHECK(!sa_elfdump_ops.present(e, 0x100000 + 3 * PG, 2 * PG));
	CHECK(!sa_elfdump_ops.read(e, 2 * PG, buf, 8));
	CHECK(!sa_elfdump_ops.present(e, PG, 2 * PG));
	CHECK(!sa_elfdump_ops.read(e, UINT64_MAX - 3, buf, 8));
	CHECK(!sa_elfdump_ops.present(e, UINT64_MAX - 3, 8));
	/* a file cut inside a segment: the read fails, it returns no zeros */
	CHECK(ftruncate(fd, 4 * PG + PG / 2) == 0);
	CHECK(!sa_elfdump_ops.read(e, 0x100000, buf, PG));
	sa_elfdump_ops.close(e);
	close(fd);
	return unit_ok();
}

/*
 * Sub-page reads answered from the pages cached whole: 130 one-page
 * segments, each its own byte, read in an order where frames sharing a
 * place in the cache (64 apart) follow each other, forward and back; a
 * half-page segment (no whole page to cache) still read piece by piece.
 */
#define MANY_PAGES 130

static bool test_sub_page_reads(void)
{
	static struct seg many[MANY_PAGES + 1];
	struct core_spec spec = { vmcoreinfo, false, many, MANY_PAGES + 1 };
	uint8_t buf[64];
	char err[128] = "";
	unsigned int i, pass;
	uint64_t pfn;
	void *e;
	int fd;

	for (i = 0; i < MANY_PAGES; i++)
		many[i] = (struct seg){ i * PG, PG, PG, (uint8_t)(i + 1) };
	many[MANY_PAGES] = (struct seg){ 0x200000, PG / 2, PG / 2, 0xee };
	e = open_spec(&spec, &fd, err, sizeof(err));
	CHECK(e);
	if (!e)
		return unit_ok();
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < 2 * MANY_PAGES; i++) {
			pfn = i % 2 ? (i / 2 + 64) % MANY_PAGES : i / 2;
			if (pass == 1)
				pfn = MANY_PAGES - 1 - pfn;
			CHECK(sa_elfdump_ops.read(e, pfn * PG + (i * 40) % (PG - 64), buf, 64) &&
			      all_bytes(buf, 64, (uint8_t)(pfn + 1)));
		}
	}
	/* across a page boundary: both pages' bytes */
	CHECK(sa_elfdump_ops.read(e, 5 * PG - 8, buf, 16));
	CHECK(all_bytes(buf, 8, 5) && all_bytes(buf + 8, 8, 6));
	CHECK(sa_elfdump_ops.read(e, 0x200000 + 100, buf, 64) && all_bytes(buf, 64, 0xee));
	CHECK(!sa_elfdump_ops.read(e, 0x200000 + PG / 2 - 8, buf, 16));
	sa_elfdump_ops.close(e);
	close(fd);
	return unit_ok();
}

static bool refused(const struct core_spec *spec, const char *why)
{
	char err[128] = "";
	void *e;
	int fd;

	e = open_spec(spec, &fd, err, sizeof(err));
	close(fd);
	if (e)
		sa_elfdump_ops.close(e);
	return !e && strstr(err, why);
}

static bool test_refusals(void)
{
	struct core_spec no_note = { NULL, false, qemu_like, 4 };
	struct core_spec kcore = { vmcoreinfo, true, qemu_like, 4 };
	struct core_spec odd_page = { "PAGESIZE=4097\n", false, qemu_like, 4 };
	static const struct seg no_phys[] = { { UINT64_MAX, PG, PG, 1 } };
	struct core_spec virtual_only = { vmcoreinfo, false, no_phys, 1 };

	CHECK(refused(&no_note, "no page size"));
	CHECK(refused(&odd_page, "no page size"));
	CHECK(refused(&kcore, "kcore"));
	CHECK(refused(&virtual_only, "no segment with a physical address"));
	return unit_ok();
}

/*
 * makedumpfile -E: a run of left-out pages is a segment's p_memsz past its
 * p_filesz, up to where the next segment begins; a tail that overlaps a
 * later segment ends where that segment's bytes begin.
 */
static const struct seg makedumpfile_like[] = {
	{ 0x200000, PG, 3 * PG, 0x33 },
	{ 0x205000, PG, PG, 0x55 },
	{ 0x202000, PG, 8 * PG, 0x44 },	/* inside the first's tail */
};

static bool test_zero_tails(void)
{
	struct core_spec spec = { vmcoreinfo, false, makedumpfile_like, 3 };
	uint8_t buf[2 * PG];
	char err[128] = "";
	int fd;
	void *e = open_spec(&spec, &fd, err, sizeof(err));

	CHECK(e);
	if (!e) {
		close(fd);
		return unit_ok();
	}
	memset(buf, 0xff, sizeof(buf));
	CHECK(sa_elfdump_ops.read(e, 0x201000, buf, PG) && all_bytes(buf, PG, 0));
	/* the later segment's bytes, not the earlier one's zeros */
	CHECK(sa_elfdump_ops.read(e, 0x202000 - 8, buf, 16));
	CHECK(all_bytes(buf, 8, 0) && all_bytes(buf + 8, 8, 0x44));
	/* its own tail, cut where the segment at 0x205000 begins */
	CHECK(sa_elfdump_ops.read(e, 0x204000, buf, 2 * PG));
	CHECK(all_bytes(buf, PG, 0) && all_bytes(buf + PG, PG, 0x55));
	CHECK(!sa_elfdump_ops.read(e, 0x206000, buf, 8));
	CHECK(sa_elfdump_ops.present(e, 0x200000, 5 * PG + 8));
	sa_elfdump_ops.close(e);
	close(fd);
	return unit_ok();
}

const struct unit_test elfdump_tests[] = {
	{ "elfdump: reads by physical address; overlaps and holes left, tails zeros",
	  test_reads_by_physical_address },
	{ "elfdump: makedumpfile -E's zero tails, cut where a later segment begins",
	  test_zero_tails },
	{ "elfdump: no PAGESIZE, a kcore, no physical segment: refused",
	  test_refusals },
	{ "elfdump: sub-page reads from the cached pages, evicted and refilled",
	  test_sub_page_reads },
	{ NULL, NULL },
};
