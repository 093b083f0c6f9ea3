// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ELF dump format (src/standalone/readers/elfdump.c) on a file whose
 * bytes are the fuzz input (a memfd).  Whatever the bytes, open must
 * return with a terminal-safe message or a reader whose geometry is in
 * bounds, and reads and presence checks must return, reading only inside
 * their buffers.  A read the reader answers must be the file's bytes
 * where a naive parse of the program headers puts that physical address
 * (some PT_LOAD holding all of it: overlapping ones may disagree), or
 * zeros where it lies in some PT_LOAD's tail past p_filesz, and a
 * range read is one the reader calls present.  tests/fuzz/elfdump_seeds.py
 * writes the seed corpus.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "standalone/readers/reader.h"

#define READ_LEN 24
#define MAX_CHECKED 64

/* The i-th program header of the naive parse; false if outside the data. */
static bool naive_phdr(const uint8_t *data, size_t size, unsigned int i, Elf64_Phdr *ph)
{
	Elf64_Ehdr eh;
	uint64_t at;

	memcpy(&eh, data, sizeof(eh));
	at = eh.e_phoff + (uint64_t)i * sizeof(*ph);
	if (i >= eh.e_phnum || at < eh.e_phoff || at > size || size - at < sizeof(*ph))
		return false;
	memcpy(ph, data + at, sizeof(*ph));
	return ph->p_type == PT_LOAD;
}

static bool zeros(const uint8_t *buf, size_t len)
{
	while (len--)
		if (buf[len])
			return false;
	return true;
}

/*
 * Some PT_LOAD holds [paddr, paddr + len) with exactly buf: in the file,
 * or in its tail past p_filesz up to p_memsz, where ELF puts zeros.
 */
static bool naive_holds(const uint8_t *data, size_t size, uint64_t paddr, const uint8_t *buf,
			size_t len)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned int i;

	memcpy(&eh, data, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		uint64_t into, off;

		if (!naive_phdr(data, size, i, &ph) || paddr < ph.p_paddr)
			continue;
		into = paddr - ph.p_paddr;
		off = ph.p_offset + into;
		if (into < ph.p_filesz && len <= ph.p_filesz - into && off >= ph.p_offset &&
		    off <= size && len <= size - off && !memcmp(buf, data + off, len))
			return true;
		if (into >= ph.p_filesz && into < ph.p_memsz && len <= ph.p_memsz - into &&
		    zeros(buf, len))
			return true;
	}
	return false;
}

/* A read at paddr within one segment, and one that may run past it. */
static void check_at(void *e, const uint8_t *data, size_t size, uint64_t paddr)
{
	uint8_t buf[READ_LEN];
	size_t len;

	for (len = 1; len <= READ_LEN; len += READ_LEN - 1) {
		if (!sa_elfdump_ops.read(e, paddr, buf, len))
			continue;
		if (!sa_elfdump_ops.present(e, paddr, len))
			fz_fail("a read answered a range called absent", NULL, 0);
		if (len == 1 && !naive_holds(data, size, paddr, buf, 1))
			fz_fail("a read differs from every segment's bytes", NULL, 0);
	}
}

static void check_reader(void *e, const uint8_t *data, size_t size)
{
	uint64_t page_size, max_pfn;
	uint8_t buf[READ_LEN];
	Elf64_Phdr ph;
	unsigned int i;

	sa_elfdump_ops.geometry(e, &page_size, &max_pfn);
	if (page_size < SA_MIN_PAGE || page_size > SA_MAX_PAGE || (page_size & (page_size - 1)))
		fz_fail("a page size out of bounds", NULL, 0);
	for (i = 0; i < MAX_CHECKED; i++) {
		if (!naive_phdr(data, size, i, &ph))
			continue;
		check_at(e, data, size, ph.p_paddr);
		check_at(e, data, size, ph.p_paddr + ph.p_filesz - 1);
		check_at(e, data, size, ph.p_paddr + ph.p_memsz - 1);
	}
	sa_elfdump_ops.read(e, UINT64_MAX - 3, buf, sizeof(buf));
	sa_elfdump_ops.present(e, UINT64_MAX - 3, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = fz_memfd("fuzz_elfdump", data, size);
	char err[128];
	void *e;

	if (fd < 0)
		return 0;
	e = sa_elfdump_ops.open(fd, err, sizeof(err));
	if (e) {
		if (size >= sizeof(Elf64_Ehdr))
			check_reader(e, data, size);
		sa_elfdump_ops.close(e);
	} else {
		fz_check_open_message(err, sizeof(err));
	}
	close(fd);
	return 0;
}
