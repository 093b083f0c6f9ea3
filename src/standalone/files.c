// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The program's input files, checked before any work.  A path that is
 * missing, a directory or unreadable is named as such, and a vmcore's
 * headers are checked before libkdumpfile sees the file: libkdumpfile
 * 0.5.1 trusts them.  A kdump file cut inside its header makes it fail the
 * open and then fault in kdump_free(); a header that points past the end
 * of the file makes it copy from a mapping past EOF (SIGBUS).  So every
 * region it reads on open must lie inside the file, and a file that is
 * neither kdump-compressed nor ELF never reaches it.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "standalone/readers/diskdump.h"
#include "standalone/files.h"
#include "leakext/arch.h"
#include "standalone/symbols/sysmap.h"

#define FLAT_SIGNATURE "makedumpfile"
#define MAX_BLOCK_SIZE (1 << 20)
#define MAX_PHDRS (1 << 22)
#define PHDR_BATCH 256

/* A file of procfs: /proc/kcore, the running kernel. */
static bool on_procfs(const char *path)
{
	struct statfs fs;

	return !statfs(path, &fs) && fs.f_type == PROC_SUPER_MAGIC;
}

/* Why open(path) failed with errnum; for /proc/kcore, what it needs. */
static void refused(const char *path, int errnum, char *err, size_t errlen)
{
	if ((errnum == EACCES || errnum == EPERM) && on_procfs(path))
		snprintf(err, errlen, "%s: reading the running kernel needs root (CAP_SYS_RAWIO)",
			 strerror(errnum));
	else
		snprintf(err, errlen, "cannot read: %s", strerror(errnum));
}

int sa_check_path(const char *path, char *err, size_t errlen)
{
	struct stat sb;
	int fd;

	if (stat(path, &sb)) {
		snprintf(err, errlen, "%s", errno == ENOENT ? "no such file" : strerror(errno));
		return -1;
	}
	if (S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "is a directory, not a file");
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		return -1;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		refused(path, errno, err, errlen);
		return -1;
	}
	close(fd);
	return 0;
}

/* Read exactly len bytes at off. */
static bool read_at(int fd, void *buf, size_t len, uint64_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len;
}

/* "starts with 7f 45 4c ..." for a message about a file of unknown kind. */
static void describe_start(const unsigned char *magic, size_t len, char *out,
			   size_t outlen)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < len && n + 4 < outlen; i++)
		n += snprintf(out + n, outlen - n, "%s%02x", i ? " " : "", magic[i]);
}

int sa_check_vmlinux(const char *path, char *err, size_t errlen)
{
	unsigned char ident[EI_NIDENT] = { 0 };
	int fd = open(path, O_RDONLY);
	bool whole;

	if (fd < 0) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		return -1;
	}
	whole = read_at(fd, ident, sizeof(ident), 0);
	close(fd);
	if (!whole || memcmp(ident, ELFMAG, SELFMAG)) {
		snprintf(err, errlen, "not an ELF file, so no DWARF debug info; use the debug vmlinux, e.g. /usr/lib/debug/boot/vmlinux-RELEASE");
		return -1;
	}
	if ((ident[EI_CLASS] != ELFCLASS64 && ident[EI_CLASS] != ELFCLASS32) ||
	    ident[EI_DATA] != ELFDATA2LSB) {
		snprintf(err, errlen, "not a little-endian ELF file (a vmlinux of x86_64, aarch64 or i386 expected)");
		return -1;
	}
	return 0;
}

/* [off, off + len) lies inside a file of size bytes (no wrap). */
static bool inside(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static int check_kdump_region(const char *what, int64_t off, uint64_t len,
			      uint64_t size, char *err, size_t errlen)
{
	if (!len || (off >= 0 && inside(off, len, size)))
		return 0;
	snprintf(err, errlen, "truncated or corrupt kdump file: its %s (%llu bytes at offset %lld) is not inside the file (%llu bytes)",
		 what, (unsigned long long)len, (long long)off, (unsigned long long)size);
	return -1;
}

/* The sub-header's regions libkdumpfile reads on open. */
static int check_kdump_sub(const struct kdump_header *h,
			   const struct kdump_sub_header *sub, uint64_t size,
			   char *err, size_t errlen)
{
	uint64_t max_mapnr = h->max_mapnr, bitmap_bits;

	if (h->header_version >= 3 &&
	    check_kdump_region("VMCOREINFO", sub->offset_vmcoreinfo,
			       sub->size_vmcoreinfo, size, err, errlen))
		return -1;
	if (h->header_version >= 4 &&
	    check_kdump_region("ELF notes", sub->offset_note, sub->size_note,
			       size, err, errlen))
		return -1;
	if (h->header_version >= 5 &&
	    check_kdump_region("erase info", sub->offset_eraseinfo,
			       sub->size_eraseinfo, size, err, errlen))
		return -1;
	if (h->header_version >= 6 && sub->max_mapnr_64)
		max_mapnr = sub->max_mapnr_64;
	/* Two bitmaps, one bit per page frame each. */
	bitmap_bits = (uint64_t)h->bitmap_blocks * h->block_size * 8 / 2;
	if (bitmap_bits < max_mapnr) {
		snprintf(err, errlen, "corrupt kdump header: %u bitmap blocks cannot cover %llu page frames",
			 h->bitmap_blocks, (unsigned long long)max_mapnr);
		return -1;
	}
	return 0;
}

static int check_kdump(int fd, uint64_t size, char *err, size_t errlen)
{
	struct kdump_header h;
	struct kdump_sub_header sub = { 0 };
	uint64_t block, meta;

	if (!read_at(fd, &h, sizeof(h), 0)) {
		snprintf(err, errlen, "truncated kdump file: %llu bytes, its header alone is %zu",
			 (unsigned long long)size, sizeof(h));
		return -1;
	}
	block = h.block_size;
	if (h.header_version < 1 || h.block_size < 512 ||
	    h.block_size > MAX_BLOCK_SIZE || (block & (block - 1)) ||
	    h.sub_hdr_size < 1) {
		snprintf(err, errlen, "corrupt kdump header: version %d, block size %d, sub-header %d blocks",
			 h.header_version, h.block_size, h.sub_hdr_size);
		return -1;
	}
	/* header block, sub-header blocks, bitmap blocks: all in the file */
	meta = (1 + (uint64_t)h.sub_hdr_size + h.bitmap_blocks) * block;
	if (meta > size || !read_at(fd, &sub, sizeof(sub), block)) {
		snprintf(err, errlen, "truncated kdump file: %llu bytes, its headers and bitmaps need %llu",
			 (unsigned long long)size, (unsigned long long)meta);
		return -1;
	}
	return check_kdump_sub(&h, &sub, size, err, errlen);
}

/* The number of program headers, through extended numbering (PN_XNUM). */
static int elf_phnum(int fd, const Elf64_Ehdr *eh, uint64_t size, uint64_t *phnum,
		     char *err, size_t errlen)
{
	Elf64_Shdr sh0;

	*phnum = eh->e_phnum;
	if (eh->e_phnum != PN_XNUM)
		return 0;
	if (eh->e_shentsize != sizeof(sh0) || !inside(eh->e_shoff, sizeof(sh0), size) ||
	    !read_at(fd, &sh0, sizeof(sh0), eh->e_shoff)) {
		snprintf(err, errlen, "truncated or corrupt ELF dump: extended program header count not inside the file");
		return -1;
	}
	*phnum = sh0.sh_info;
	return 0;
}

static int check_phdr(const Elf64_Phdr *ph, uint64_t index, uint64_t size,
		      char *err, size_t errlen)
{
	bool ok = ph->p_type == PT_NOTE ? inside(ph->p_offset, ph->p_filesz, size) :
		  ph->p_offset + ph->p_filesz >= ph->p_offset;

	if (ok)
		return 0;
	snprintf(err, errlen, "truncated or corrupt ELF dump: program header %llu (%s, %llu bytes at offset %llu) is not inside the file (%llu bytes)",
		 (unsigned long long)index, ph->p_type == PT_NOTE ? "notes" : "memory",
		 (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_offset,
		 (unsigned long long)size);
	return -1;
}

static int check_phdrs(int fd, const Elf64_Ehdr *eh, uint64_t phnum, uint64_t size,
		       char *err, size_t errlen)
{
	Elf64_Phdr batch[PHDR_BATCH];
	uint64_t i, k, n;

	for (i = 0; i < phnum; i += n) {
		n = phnum - i < PHDR_BATCH ? phnum - i : PHDR_BATCH;
		if (!read_at(fd, batch, n * sizeof(*batch), eh->e_phoff + i * sizeof(*batch))) {
			snprintf(err, errlen, "cannot read the ELF program headers: %s",
				 strerror(errno));
			return -1;
		}
		for (k = 0; k < n; k++)
			if (check_phdr(&batch[k], i + k, size, err, errlen))
				return -1;
	}
	return 0;
}

static int check_elf(int fd, uint64_t size, char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	uint64_t phnum;

	if (!read_at(fd, &eh, sizeof(eh), 0)) {
		snprintf(err, errlen, "truncated ELF file: %llu bytes, its header alone is %zu",
			 (unsigned long long)size, sizeof(eh));
		return -1;
	}
	if (eh.e_type != ET_CORE) {
		snprintf(err, errlen, "an ELF file, but not a core dump (ELF type %u; a core is %u)",
			 eh.e_type, ET_CORE);
		return -1;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    !lx_arch_find_elf(eh.e_machine)) {
		snprintf(err, errlen, "an ELF core dump leakscan cannot read (class %u, machine %u): it reads 64-bit little-endian ELF cores of x86_64, aarch64 and i386",
			 eh.e_ident[EI_CLASS], eh.e_machine);
		return -1;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr)) {
		snprintf(err, errlen, "corrupt ELF dump: program header size %u", eh.e_phentsize);
		return -1;
	}
	if (elf_phnum(fd, &eh, size, &phnum, err, errlen))
		return -1;
	if (!phnum || phnum > MAX_PHDRS ||
	    !inside(eh.e_phoff, phnum * sizeof(Elf64_Phdr), size)) {
		snprintf(err, errlen, "truncated or corrupt ELF dump: %llu program headers at offset %llu, file %llu bytes",
			 (unsigned long long)phnum, (unsigned long long)eh.e_phoff,
			 (unsigned long long)size);
		return -1;
	}
	return check_phdrs(fd, &eh, phnum, size, err, errlen);
}

int sa_check_dump(int fd, const char *path, char *err, size_t errlen)
{
	unsigned char magic[16] = { 0 };
	char start[64];
	struct stat sb;
	ssize_t got;

	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		return -1;
	}
	got = pread(fd, magic, sizeof(magic), 0);
	if (got >= 8 && !memcmp(magic, KDUMP_SIGNATURE, 8))
		return check_kdump(fd, sb.st_size, err, errlen);
	if (got >= SELFMAG && !memcmp(magic, ELFMAG, SELFMAG))
		return check_elf(fd, sb.st_size, err, errlen);
	if (got >= 12 && !memcmp(magic, FLAT_SIGNATURE, 12)) {
		snprintf(err, errlen, "makedumpfile flattened format; convert it first: makedumpfile -R OUT < %s",
			 path);
		return -1;
	}
	if (got <= 0) {
		snprintf(err, errlen, "empty file, not a dump");
		return -1;
	}
	describe_start(magic, got, start, sizeof(start));
	snprintf(err, errlen, "not a dump: neither kdump-compressed (\"KDUMP   \") nor ELF (it starts with %s)",
		 start);
	return -1;
}

enum sa_file_kind sa_file_kind(const char *path)
{
	char start[256];
	Elf64_Ehdr eh = { 0 };
	int fd = open(path, O_RDONLY);
	ssize_t got, text;

	if (fd < 0)
		return SA_FILE_UNKNOWN;
	got = pread(fd, &eh, sizeof(eh), 0);
	text = pread(fd, start, sizeof(start), 0);
	close(fd);
	if (text > 0 && sa_sysmap_looks_like(start, text))
		return SA_FILE_SYSTEM_MAP;
	if (got >= 8 && !memcmp(&eh, KDUMP_SIGNATURE, 8))
		return SA_FILE_DUMP;
	if (got >= 12 && !memcmp(&eh, FLAT_SIGNATURE, 12))
		return SA_FILE_DUMP;
	if (got < (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return SA_FILE_UNKNOWN;
	if (eh.e_type == ET_CORE)
		return SA_FILE_DUMP;
	/* e_type and e_machine lie where they do in both classes */
	if ((eh.e_ident[EI_CLASS] == ELFCLASS64 || eh.e_ident[EI_CLASS] == ELFCLASS32) &&
	    lx_arch_find_elf(eh.e_machine) &&
	    (eh.e_type == ET_EXEC || eh.e_type == ET_DYN))
		return SA_FILE_VMLINUX;
	return SA_FILE_UNKNOWN;
}
