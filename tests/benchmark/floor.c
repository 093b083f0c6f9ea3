// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_floor VMCORE SIZE < ADDRESSES: the floor for tests/bench.  Opens
 * the dump with libkdumpfile as leakscan does and reads SIZE bytes at each
 * kernel address on stdin (the cache's live objects, from leakscan -l),
 * and nothing else: no types, no symbols, no slab walk.  Prints how many
 * objects and bytes it read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "standalone/files.h"


int main(int argc, char **argv)
{
	unsigned long long addr, objects = 0, failed = 0;
	size_t size = argc == 3 ? strtoul(argv[2], NULL, 0) : 0, got;
	char err[512] = "";
	int fd = -1;
	kdump_ctx_t *ctx = argc == 3 ? sa_kdump_open_path(argv[1], &fd, err, sizeof(err)) : NULL;
	unsigned char *buf = size ? malloc(size) : NULL;

	if (!ctx || !buf) {
		fprintf(stderr, "usage: bench_floor VMCORE SIZE < ADDRESSES %s\n", err);
		return 2;
	}
	while (scanf("%llx", &addr) == 1) {
		got = size;
		if (kdump_read(ctx, KDUMP_KVADDR, addr, buf, &got) != KDUMP_OK || got != size)
			failed++;
		objects++;
	}
	printf("read %llu objects of %zu bytes (%llu failed)\n", objects, size, failed);
	kdump_free(ctx);
	close(fd);
	free(buf);
	return 0;
}
