// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_floor VMCORE SIZE [own] < ADDRESSES: the floor for tests/bench.
 * Opens the dump with libkdumpfile as leakscan does and reads SIZE bytes at
 * each kernel address on stdin (the cache's live objects, from leakscan
 * -l), and nothing else: no types, no symbols, no slab walk.  With "own",
 * through the program's own reader first (src/standalone/readers/reader.c), as
 * leakscan reads.  Prints how many objects and bytes it read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "standalone/files.h"
#include "standalone/readers/reader.h"


static bool read_object(kdump_ctx_t *ctx, struct sa_reader *own, uint64_t addr,
			void *buf, size_t size)
{
	if (own->ops && sa_reader_read(own, addr, buf, size))
		return true;
	return sa_kdump_read(ctx, KDUMP_KVADDR, addr, buf, size);
}

int main(int argc, char **argv)
{
	bool args = argc == 3 || (argc == 4 && !strcmp(argv[3], "own"));
	unsigned long long addr, objects = 0, failed = 0;
	size_t size = args ? strtoul(argv[2], NULL, 0) : 0;
	char err[512] = "";
	int fd = -1;
	kdump_ctx_t *ctx = args ? sa_kdump_open_path(argv[1], &fd, err, sizeof(err)) : NULL;
	unsigned char *buf = size ? malloc(size) : NULL;
	struct sa_reader own = { 0 };

	if (!ctx || !buf) {
		fprintf(stderr, "usage: bench_floor VMCORE SIZE [own] < ADDRESSES %s\n", err);
		return 2;
	}
	if (argc == 4)
		sa_reader_open(&own, fd, ctx);
	while (scanf("%llx", &addr) == 1) {
		if (!read_object(ctx, &own, addr, buf, size))
			failed++;
		objects++;
	}
	printf("read %llu objects of %zu bytes (%llu failed)\n", objects, size, failed);
	sa_reader_close(&own);
	kdump_free(ctx);
	close(fd);
	free(buf);
	return 0;
}
