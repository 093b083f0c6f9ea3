// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_floor VMCORE SIZE < ADDRESSES: the floor for tests/bench.  Opens
 * the dump with libkdumpfile as leakscan does and reads SIZE bytes at each
 * kernel address on stdin (the cache's live objects, from leakscan -l),
 * and nothing else: no types, no symbols, no slab walk.  Prints how many
 * objects and bytes it read.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <libkdumpfile/kdumpfile.h>

static kdump_ctx_t *open_dump(const char *path)
{
	kdump_attr_t never = { .type = KDUMP_NUMBER, .val.number = KDUMP_MMAP_NEVER };
	const char *arch = NULL;
	kdump_ctx_t *ctx = kdump_new();
	int fd = open(path, O_RDONLY);

	if (!ctx || fd < 0)
		return NULL;
	kdump_set_attr(ctx, KDUMP_ATTR_FILE_MMAP_POLICY, &never);
	if (kdump_open_fd(ctx, fd) != KDUMP_OK)
		return NULL;
	if (kdump_get_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, &arch) != KDUMP_OK || !arch)
		kdump_set_string_attr(ctx, KDUMP_ATTR_ARCH_NAME, "x86_64");
	kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux");
	return ctx;
}

int main(int argc, char **argv)
{
	unsigned long long addr, objects = 0, failed = 0;
	size_t size = argc == 3 ? strtoul(argv[2], NULL, 0) : 0, got;
	kdump_ctx_t *ctx = argc == 3 ? open_dump(argv[1]) : NULL;
	unsigned char *buf = size ? malloc(size) : NULL;

	if (!ctx || !buf) {
		fprintf(stderr, "usage: bench_floor VMCORE SIZE < ADDRESSES\n");
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
	free(buf);
	return 0;
}
