/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The program's input files, checked before any work is done on them. */
#ifndef LEAKEXT_SA_FILES_H
#define LEAKEXT_SA_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libkdumpfile/kdumpfile.h>

/*
 * path is a readable regular file; else -1 and why in err ("no such
 * file", "is a directory", "cannot read: ...").
 */
int sa_check_path(const char *path, char *err, size_t errlen);
/* path starts like an x86_64 ELF file; else -1 and why. */
int sa_check_vmlinux(const char *path, char *err, size_t errlen);
/*
 * The open file is a kdump-compressed or ELF dump whose headers, and every
 * region they point at that libkdumpfile reads on open, lie inside the
 * file; else -1 and why.  Nothing else is handed to libkdumpfile.
 */
int sa_check_dump(int fd, const char *path, char *err, size_t errlen);

/*
 * A libkdumpfile context over an open dump that sa_check_dump() accepted:
 * reads with read(2), x86_64 and Linux when the dump does not say.  NULL
 * with err set if libkdumpfile refuses it (the context is then leaked on
 * purpose: see kdump.c).  Free with kdump_free().
 */
kdump_ctx_t *sa_kdump_open(int fd, char *err, size_t errlen);
/*
 * The same for a path, checked with sa_check_dump() first.  *fd is the
 * file the context reads through until kdump_free(), then the caller's to
 * close; -1 when NULL is returned.
 */
kdump_ctx_t *sa_kdump_open_path(const char *path, int *fd, char *err, size_t errlen);

/*
 * Exactly len bytes at addr in address space as, through ctx; a kernel
 * virtual address is translated page by page and read by machine physical
 * address (libkdumpfile's ELF dumps misread some by virtual address:
 * kdump.c).
 */
bool sa_kdump_read(kdump_ctx_t *ctx, kdump_addrspace_t as, uint64_t addr, void *buf,
		   size_t len);

/*
 * libkdumpfile reads that never trip its 0.5.1 page-cache bug (kdump.c):
 * a context of their own over path, replaced before its cache can fill.
 * Zero it, set path, and close with sa_kdump_reads_close().
 */
struct sa_kdump_reads {
	const char *path;
	kdump_ctx_t *ctx;
	int fd;
	unsigned int contexts;	/* opened so far */
};

/*
 * The context to read len bytes through: the current one, or a fresh one
 * when this read could fill the current one's cache.  NULL when none
 * opens.
 */
kdump_ctx_t *sa_kdump_reads_ctx(struct sa_kdump_reads *r, size_t len);
/* sa_kdump_read() of len bytes at addr, through sa_kdump_reads_ctx(). */
bool sa_kdump_reads_read(struct sa_kdump_reads *r, kdump_addrspace_t as, uint64_t addr,
			 void *buf, size_t len);
/*
 * Forget the current context without freeing it or closing its file (its
 * state is unknown after a fault inside libkdumpfile); returns it.
 */
kdump_ctx_t *sa_kdump_reads_abandon(struct sa_kdump_reads *r);
void sa_kdump_reads_close(struct sa_kdump_reads *r);

/* What a file is, by its content (as crash tells them apart). */
enum sa_file_kind {
	SA_FILE_UNKNOWN,	/* missing, unreadable, or neither */
	SA_FILE_VMLINUX,	/* an ELF executable: the kernel image */
	SA_FILE_DUMP,		/* kdump-compressed, flattened, or an ELF core */
	SA_FILE_SYSTEM_MAP,	/* a System.map: "ADDRESS TYPE NAME" lines */
};

enum sa_file_kind sa_file_kind(const char *path);

#endif
