// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The /proc/kcore reader (src/standalone/readers/kcore.c) on a file whose
 * bytes are the fuzz input (a memfd).  Whatever the bytes, open must
 * return with a terminal-safe message or a bounded set of segments, and
 * reads, physical reads and VMCOREINFO lookups must return, reading only
 * inside their buffers.  A read the reader answers must be the file's
 * bytes where a naive parse of the program headers puts that address (the
 * first PT_LOAD holding it); the answers of VMCOREINFO lookups lie inside
 * the note.  tests/fuzz/kcore_seeds.py writes the seed corpus.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "standalone/readers/kcore.h"

#define READ_LEN 24

static const char *const keys[] = { "OSRELEASE", "PAGESIZE", "KERNELOFFSET",
				    "SYMBOL(swapper_pg_dir)", "" };

/*
 * Where the naive parse finds vaddr in the file, and how many bytes its
 * segment has from there; false if in no segment.
 */
static bool naive_offset(const uint8_t *data, size_t size, uint64_t vaddr, uint64_t *off,
			 uint64_t *left)
{
	Elf64_Ehdr eh;
	unsigned int i;

	memcpy(&eh, data, sizeof(eh));
	for (i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		uint64_t at = eh.e_phoff + (uint64_t)i * sizeof(ph);

		if (at > size || size - at < sizeof(ph))
			return false;
		memcpy(&ph, data + at, sizeof(ph));
		if (ph.p_type != PT_LOAD || !ph.p_filesz ||
		    ph.p_vaddr + ph.p_filesz < ph.p_vaddr ||
		    ph.p_offset + ph.p_filesz < ph.p_offset)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_filesz) {
			*off = ph.p_offset + (vaddr - ph.p_vaddr);
			*left = ph.p_filesz - (vaddr - ph.p_vaddr);
			return true;
		}
	}
	return false;
}

/* A read inside one segment: answered only with the file's own bytes. */
static void check_read(const struct sa_kcore *k, const uint8_t *data, size_t size,
		       uint64_t vaddr)
{
	uint8_t buf[READ_LEN];
	uint64_t off, left, n;

	if (!sa_kcore_read(k, vaddr, buf, sizeof(buf)))
		return;
	if (!naive_offset(data, size, vaddr, &off, &left))
		fz_fail("a read answered an address no segment holds", NULL, 0);
	n = left < sizeof(buf) ? left : sizeof(buf);	/* the rest is the next segment's */
	if (off < size && size - off >= n && memcmp(buf, data + off, n))
		fz_fail("a read differs from the file's bytes", NULL, 0);
}

static void check_vmcoreinfo(const struct sa_kcore *k)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *value = sa_kcore_vmcoreinfo(k, keys[i]);

		if (value && (value < k->vmcoreinfo ||
			      value + strlen(value) >= k->vmcoreinfo + k->vmcoreinfo_len))
			fz_fail("a VMCOREINFO value outside the note", NULL, 0);
	}
}

static void check_segments(const struct sa_kcore *k, const uint8_t *data, size_t size)
{
	uint8_t buf[READ_LEN];
	unsigned int i;

	if (k->nsegs > SA_KCORE_MAX_SEGMENTS)
		fz_fail("more segments than the bound", NULL, 0);
	for (i = 0; i < k->nsegs && i < 64; i++) {
		const struct sa_kcore_segment *seg = &k->segs[i];

		check_read(k, data, size, seg->vaddr);
		check_read(k, data, size, seg->vaddr + seg->size - 1);
		sa_kcore_read(k, seg->vaddr + seg->size - 8, buf, sizeof(buf));
		if (seg->paddr != SA_KCORE_NO_PADDR)
			sa_kcore_read_phys(k, seg->paddr, buf, sizeof(buf));
	}
	sa_kcore_read(k, UINT64_MAX - 3, buf, sizeof(buf));
	sa_kcore_read_phys(k, UINT64_MAX - 3, buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = fz_memfd("fuzz_kcore", data, size);
	struct sa_kcore k;
	char err[128];

	if (fd < 0)
		return 0;
	if (!sa_kcore_open(&k, fd, err, sizeof(err))) {
		check_segments(&k, data, size);
		check_vmcoreinfo(&k);
		sa_kcore_close(&k);
	} else {
		fz_check_open_message(err, sizeof(err));
	}
	sa_kcore_probe(fd);
	close(fd);
	return 0;
}
