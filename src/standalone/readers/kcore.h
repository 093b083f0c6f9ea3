/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/kcore: the running kernel as an ELF core (fs/proc/kcore.c).  Its
 * PT_LOAD segments map kernel VIRTUAL addresses (p_vaddr) to file offsets:
 * the direct map (KCORE_RAM, p_paddr its physical address), the kernel
 * image (KCORE_TEXT), vmalloc and modules (KCORE_VMALLOC), the memory map
 * (KCORE_VMEMMAP), the last two with p_paddr -1.  Its notes are
 * NT_PRSTATUS, NT_PRPSINFO and NT_TASKSTRUCT ("CORE"), and VMCOREINFO
 * since Linux 4.19 (23c85094fe18).  A kdump /proc/vmcore has no
 * NT_TASKSTRUCT: that note tells the two apart.
 *
 * Everything read from the file is checked: at most SA_KCORE_MAX_SEGMENTS
 * segments and SA_KCORE_MAX_NOTES bytes of notes, every read inside one
 * segment at a time, a short read an error.
 */
#ifndef LEAKEXT_SA_KCORE_H
#define LEAKEXT_SA_KCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SA_KCORE_MAX_SEGMENTS 4096
#define SA_KCORE_MAX_NOTES (1U << 20)
#define SA_KCORE_NO_PADDR UINT64_MAX

struct sa_kcore_segment {
	uint64_t vaddr;		/* kernel virtual address of its first byte */
	uint64_t paddr;		/* physical address, or SA_KCORE_NO_PADDR */
	uint64_t size;		/* bytes in the file (p_filesz) */
	uint64_t offset;	/* where they are in the file */
	/*
	 * p_memsz, at least size: the bytes past size are zeros (ELF's
	 * rule; makedumpfile -E puts the pages it leaves out there).
	 */
	uint64_t memsize;
};

struct sa_kcore {
	int fd;			/* not owned */
	unsigned int machine;	/* e_machine */
	struct sa_kcore_segment *segs;
	unsigned int nsegs;
	/* VMCOREINFO's lines, each NUL-terminated; NULL if the note is absent. */
	char *vmcoreinfo;
	size_t vmcoreinfo_len;
	bool taskstruct;	/* an NT_TASKSTRUCT note: kcore, not vmcore */
	uint64_t phys_end;	/* one past the highest p_paddr + size */
	uint64_t mem_end;	/* one past the highest p_paddr + p_memsz */
};

/* Is the file on fd kcore-shaped (an ELF64 core with NT_TASKSTRUCT)? */
bool sa_kcore_probe(int fd);
/*
 * Parse the ELF core on fd into k; 0, or -1 with why in err (terminal
 * safe).  fd stays the caller's.  Free with sa_kcore_close().
 */
int sa_kcore_open(struct sa_kcore *k, int fd, char *err, size_t errlen);
/* len bytes at kernel virtual vaddr, segment by segment; false if any is not there. */
bool sa_kcore_read(const struct sa_kcore *k, uint64_t vaddr, void *buf, size_t len);
/* len bytes at physical paddr, through the segments that give p_paddr. */
bool sa_kcore_read_phys(const struct sa_kcore *k, uint64_t paddr, void *buf, size_t len);
/* Exactly len bytes of the file at offset off; false on a short read. */
bool sa_kcore_read_file(const struct sa_kcore *k, void *buf, size_t len, uint64_t off);
/* VMCOREINFO's value of key ("OSRELEASE"), or NULL; valid until close. */
const char *sa_kcore_vmcoreinfo(const struct sa_kcore *k, const char *key);
void sa_kcore_close(struct sa_kcore *k);

#endif
