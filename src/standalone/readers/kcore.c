// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/kcore's ELF headers, notes and reads by address (kcore.h). */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leakext/text.h"
#include "standalone/readers/kcore.h"

#define VMCOREINFO_NAME "VMCOREINFO"
#define MAX_VMCOREINFO (1U << 16)	/* the kernel's is one page */

/* Exactly len bytes at off; a short read is an error. */
static bool read_exact(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t got = pread(fd, p, len, (off_t)off);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		p += got;
		off += got;
		len -= got;
	}
	return true;
}

static bool read_ehdr(int fd, Elf64_Ehdr *eh)
{
	return read_exact(fd, eh, sizeof(*eh), 0) && !memcmp(eh->e_ident, ELFMAG, SELFMAG) &&
	       eh->e_ident[EI_CLASS] == ELFCLASS64 && eh->e_ident[EI_DATA] == ELFDATA2LSB &&
	       eh->e_type == ET_CORE && eh->e_phentsize == sizeof(Elf64_Phdr);
}

static uint64_t align4(uint64_t n)
{
	return (n + 3) & ~3ULL;
}

/* Keep VMCOREINFO's text, its lines split into NUL-terminated strings. */
static int keep_vmcoreinfo(struct sa_kcore *k, const uint8_t *desc, uint64_t len,
			   char *err, size_t errlen)
{
	uint64_t i;

	if (k->vmcoreinfo)
		return 0;	/* the first one counts */
	if (len > MAX_VMCOREINFO) {
		snprintf(err, errlen, "corrupt kcore: a VMCOREINFO note of %llu bytes",
			 (unsigned long long)len);
		return -1;
	}
	k->vmcoreinfo = malloc(len + 1);
	if (!k->vmcoreinfo) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < len; i++)
		k->vmcoreinfo[i] = desc[i] == '\n' ? '\0' : (char)desc[i];
	k->vmcoreinfo[len] = '\0';
	k->vmcoreinfo_len = len + 1;
	return 0;
}

/* Walk one PT_NOTE's entries (notes[0, len)), bounded by len. */
static int parse_notes(struct sa_kcore *k, const uint8_t *notes, uint64_t len,
		       char *err, size_t errlen)
{
	uint64_t at = 0;

	while (len - at >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		uint64_t name_at, desc_at, next;

		memcpy(&nh, notes + at, sizeof(nh));
		name_at = at + sizeof(nh);
		desc_at = name_at + align4(nh.n_namesz);
		next = desc_at + align4(nh.n_descsz);
		if (desc_at > len || next > len)
			break;	/* a cut note ends the list */
		if (nh.n_namesz == sizeof(VMCOREINFO_NAME) &&
		    !memcmp(notes + name_at, VMCOREINFO_NAME, sizeof(VMCOREINFO_NAME)) &&
		    keep_vmcoreinfo(k, notes + desc_at, nh.n_descsz, err, errlen))
			return -1;
		if (nh.n_type == NT_TASKSTRUCT && nh.n_namesz == 5 &&
		    !memcmp(notes + name_at, "CORE", 5))
			k->taskstruct = true;
		at = next;
	}
	return 0;
}

static int read_notes(struct sa_kcore *k, const Elf64_Phdr *ph, uint64_t *budget,
		      char *err, size_t errlen)
{
	uint8_t *notes;
	int ret;

	if (ph->p_filesz > *budget) {
		snprintf(err, errlen, "corrupt kcore: %llu bytes of notes, more than %u",
			 (unsigned long long)ph->p_filesz, SA_KCORE_MAX_NOTES);
		return -1;
	}
	*budget -= ph->p_filesz;
	notes = malloc(ph->p_filesz ? ph->p_filesz : 1);
	if (!notes) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ret = 0;
	if (!read_exact(k->fd, notes, ph->p_filesz, ph->p_offset)) {
		snprintf(err, errlen, "cannot read kcore's notes (%llu bytes at offset %llu)",
			 (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_offset);
		ret = -1;
	} else {
		ret = parse_notes(k, notes, ph->p_filesz, err, errlen);
	}
	free(notes);
	return ret;
}

/* A memory segment; those whose ends wrap are left out. */
static void add_segment(struct sa_kcore *k, const Elf64_Phdr *ph)
{
	struct sa_kcore_segment *seg;

	if (ph->p_paddr != SA_KCORE_NO_PADDR && ph->p_paddr + ph->p_memsz >= ph->p_paddr &&
	    ph->p_paddr + ph->p_memsz > k->mem_end)
		k->mem_end = ph->p_paddr + ph->p_memsz;
	if (!ph->p_filesz || ph->p_vaddr + ph->p_filesz < ph->p_vaddr ||
	    ph->p_offset + ph->p_filesz < ph->p_offset)
		return;
	seg = &k->segs[k->nsegs++];
	seg->vaddr = ph->p_vaddr;
	seg->size = ph->p_filesz;
	seg->memsize = ph->p_memsz > ph->p_filesz ? ph->p_memsz : ph->p_filesz;
	seg->offset = ph->p_offset;
	seg->paddr = ph->p_paddr;
	if (seg->paddr != SA_KCORE_NO_PADDR && seg->paddr + seg->size < seg->paddr)
		seg->paddr = SA_KCORE_NO_PADDR;
	if (seg->paddr != SA_KCORE_NO_PADDR && seg->paddr + seg->memsize < seg->paddr)
		seg->memsize = seg->size;	/* a tail that wraps: the file's bytes only */
	if (seg->paddr != SA_KCORE_NO_PADDR && seg->paddr + seg->size > k->phys_end)
		k->phys_end = seg->paddr + seg->size;
}

static int read_phdrs(struct sa_kcore *k, const Elf64_Ehdr *eh, char *err, size_t errlen)
{
	uint64_t budget = SA_KCORE_MAX_NOTES;
	unsigned int i;

	if (!eh->e_phnum || eh->e_phnum == PN_XNUM || eh->e_phnum > SA_KCORE_MAX_SEGMENTS) {
		snprintf(err, errlen, "corrupt kcore: %u program headers", eh->e_phnum);
		return -1;
	}
	k->segs = calloc(eh->e_phnum, sizeof(*k->segs));
	if (!k->segs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;

		if (!read_exact(k->fd, &ph, sizeof(ph), eh->e_phoff + (uint64_t)i * sizeof(ph))) {
			snprintf(err, errlen, "cannot read kcore's program header %u", i);
			return -1;
		}
		if (ph.p_type == PT_NOTE && read_notes(k, &ph, &budget, err, errlen))
			return -1;
		if (ph.p_type == PT_LOAD)
			add_segment(k, &ph);
	}
	return 0;
}

bool sa_kcore_probe(int fd)
{
	struct sa_kcore k;
	char err[8];
	bool kcore;

	if (sa_kcore_open(&k, fd, err, sizeof(err)))
		return false;
	kcore = k.taskstruct;
	sa_kcore_close(&k);
	return kcore;
}

int sa_kcore_open(struct sa_kcore *k, int fd, char *err, size_t errlen)
{
	Elf64_Ehdr eh;

	memset(k, 0, sizeof(*k));
	k->fd = fd;
	if (!read_ehdr(fd, &eh)) {
		snprintf(err, errlen, "not a 64-bit little-endian ELF core");
		return -1;
	}
	k->machine = eh.e_machine;
	if (read_phdrs(k, &eh, err, errlen)) {
		sa_kcore_close(k);
		return -1;
	}
	if (!k->nsegs) {
		snprintf(err, errlen, "corrupt kcore: no memory segment");
		sa_kcore_close(k);
		return -1;
	}
	return 0;
}

/* The segment holding addr (virtual, or physical with phys), or NULL. */
static const struct sa_kcore_segment *segment_at(const struct sa_kcore *k, uint64_t addr,
						 bool phys)
{
	unsigned int i;

	for (i = 0; i < k->nsegs; i++) {
		const struct sa_kcore_segment *seg = &k->segs[i];
		uint64_t start = phys ? seg->paddr : seg->vaddr;

		if (phys && start == SA_KCORE_NO_PADDR)
			continue;
		if (addr >= start && addr - start < seg->size)
			return seg;
	}
	return NULL;
}

/* Each piece of [addr, addr + len) from the segment that holds it. */
static bool read_pieces(const struct sa_kcore *k, uint64_t addr, void *buf, size_t len,
			bool phys)
{
	uint8_t *out = buf;

	if (addr + len < addr)
		return false;
	while (len) {
		const struct sa_kcore_segment *seg = segment_at(k, addr, phys);
		uint64_t into, n;

		if (!seg)
			return false;
		into = addr - (phys ? seg->paddr : seg->vaddr);
		n = seg->size - into < len ? seg->size - into : len;
		if (!read_exact(k->fd, out, n, seg->offset + into))
			return false;
		out += n;
		addr += n;
		len -= n;
	}
	return true;
}

bool sa_kcore_read(const struct sa_kcore *k, uint64_t vaddr, void *buf, size_t len)
{
	return read_pieces(k, vaddr, buf, len, false);
}

bool sa_kcore_read_phys(const struct sa_kcore *k, uint64_t paddr, void *buf, size_t len)
{
	return read_pieces(k, paddr, buf, len, true);
}

bool sa_kcore_read_file(const struct sa_kcore *k, void *buf, size_t len, uint64_t off)
{
	return read_exact(k->fd, buf, len, off);
}

const char *sa_kcore_vmcoreinfo(const struct sa_kcore *k, const char *key)
{
	size_t keylen = strlen(key), at = 0;

	while (k->vmcoreinfo && at < k->vmcoreinfo_len) {
		const char *line = k->vmcoreinfo + at;
		size_t n = strlen(line);

		if (n > keylen && !memcmp(line, key, keylen) && line[keylen] == '=')
			return line + keylen + 1;
		at += n + 1;
	}
	return NULL;
}

void sa_kcore_close(struct sa_kcore *k)
{
	free(k->segs);
	free(k->vmcoreinfo);
	k->segs = NULL;
	k->vmcoreinfo = NULL;
	k->nsegs = 0;
}
