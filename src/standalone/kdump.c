// SPDX-License-Identifier: GPL-2.0-or-later
/* A libkdumpfile context set up the way every leakext reader needs it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "leakext/text.h"
#include "standalone/files.h"

/*
 * read(2), never mmap(2): with a mapping, libkdumpfile 0.5.1 faults
 * (SIGBUS) reading a page of a truncated file past its end; with reads it
 * reports an error for that page.
 */
static void read_without_mmap(kdump_ctx_t *ctx)
{
	kdump_attr_t policy = {
		.type = KDUMP_NUMBER,
		.val.number = KDUMP_MMAP_NEVER,
	};

	kdump_set_attr(ctx, KDUMP_ATTR_FILE_MMAP_POLICY, &policy);
}

kdump_ctx_t *sa_kdump_open(int fd, char *err, size_t errlen)
{
	kdump_ctx_t *ctx = kdump_new();
	const char *arch = NULL;
	char why[256];

	if (!ctx) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	read_without_mmap(ctx);
	if (kdump_open_fd(ctx, fd) != KDUMP_OK) {
		lx_escape(why, sizeof(why), kdump_get_err(ctx), sizeof(why));
		snprintf(err, errlen, "not a dump libkdumpfile reads (%s)", why);
		/*
		 * Leak the context: libkdumpfile 0.5.1 frees part of it when
		 * the open fails and kdump_free() then uses the freed memory
		 * (a kdump file cut to 8-433 bytes crashes the program there).
		 * sa_check_dump() refuses the files known to do this; this is
		 * for the ones it does not know.
		 */
		return NULL;
	}
	/* QEMU fills only utsname.machine; the arch comes from vmlinux. */
	if (kdump_get_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, &arch) != KDUMP_OK || !arch)
		kdump_set_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, "x86_64");
	kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux");
	return ctx;
}

kdump_ctx_t *sa_kdump_open_path(const char *path, int *fd, char *err, size_t errlen)
{
	kdump_ctx_t *ctx;

	*fd = open(path, O_RDONLY);
	if (*fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	ctx = sa_check_dump(*fd, path, err, errlen) ? NULL : sa_kdump_open(*fd, err, errlen);
	if (!ctx) {
		close(*fd);
		*fd = -1;
	}
	return ctx;
}
