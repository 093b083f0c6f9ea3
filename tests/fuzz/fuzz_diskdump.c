// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The own kdump-compressed reader (src/standalone/readers/diskdump.c) on a file
 * whose bytes are the fuzz input (a memfd).  Whatever the bytes, open()
 * must return, and so must reads of the first 512 page frames, whole and
 * across frame boundaries, reading only inside the file and their buffers.
 * A page the reader answers must be what a naive decoder says the file
 * holds there: the pfn's descriptor found by counting the 2nd bitmap's
 * bits one by one, and the page its bytes, raw or through the decoder
 * libkdumpfile calls for the first encoding flag set (zlib's inflate(),
 * lzo1x_decompress_safe(), snappy_uncompress(), ZSTD_decompress()), which
 * must then accept them too.
 * The one exception is libdeflate's documented leniency (see diskdump.c):
 * a page zlib rejects only as "invalid bit length repeat" may be answered.
 * Then a second reader, with a worker decoding ahead, is advised of the
 * frames in runs and must answer every frame exactly as the first did.
 * tests/fuzz/diskdump_seeds.py writes the seed corpus.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "fuzz_util.h"
#include "standalone/readers/diskdump.h"
#include "standalone/readers/reader.h"

#define MAX_FRAMES 512

struct oracle {
	const uint8_t *file;
	size_t size;
	uint64_t page_size, bitmap_off, desc_off;
};

static bool inside(const struct oracle *o, uint64_t off, uint64_t len)
{
	return off <= o->size && len <= o->size - off;
}

/* Where the naive decoder finds the 2nd bitmap and the descriptors. */
static void locate(struct oracle *o, uint64_t max_pfn)
{
	struct kdump_header h;
	uint64_t bitmap;

	memcpy(&h, o->file, sizeof(h));
	bitmap = (uint64_t)h.bitmap_blocks * o->page_size;
	o->bitmap_off = (1 + (uint64_t)h.sub_hdr_size) * o->page_size;
	o->desc_off = o->bitmap_off + bitmap;
	if (max_pfn <= bitmap * 8 / 2)
		o->bitmap_off += (uint64_t)(h.bitmap_blocks / 2) * o->page_size;
}

static bool bit(const struct oracle *o, uint64_t pfn)
{
	return o->file[o->bitmap_off + pfn / 8] & (1 << (pfn % 8));
}

enum naive { NOT_HELD, HELD, REPEAT_OVERRUN };

/*
 * uncompress() of one page, which also tells zlib's "invalid bit length
 * repeat" apart: a code-length repeat past the lengths a dynamic block
 * declares, which libdeflate accepts and zlib does not.
 */
static enum naive inflate_page(const uint8_t *src, uint32_t len, uint8_t *out,
			       uint64_t page_size)
{
	z_stream z = { .next_in = (Bytef *)src, .avail_in = len, .next_out = out,
		       .avail_out = page_size };
	enum naive ret = NOT_HELD;
	int err;

	if (inflateInit(&z) != Z_OK)
		return NOT_HELD;
	err = inflate(&z, Z_FINISH);
	if (err == Z_STREAM_END && z.total_out == page_size)
		ret = HELD;
	else if (err == Z_DATA_ERROR && z.msg && !strcmp(z.msg, "invalid bit length repeat"))
		ret = REPEAT_OVERRUN;
	inflateEnd(&z);
	return ret;
}

/* LZO, snappy or zstd as libkdumpfile 0.5.1 calls them: one page exactly. */
static enum naive other_page(uint32_t flags, const uint8_t *src, uint32_t len,
			     uint8_t *out, uint64_t page_size)
{
	lzo_uint lzo_got = page_size;
	size_t got = page_size;

	if (flags & KDUMP_PAGE_LZO)
		return lzo1x_decompress_safe(src, len, out, &lzo_got, NULL) == LZO_E_OK &&
		       lzo_got == page_size ? HELD : NOT_HELD;
	if (flags & KDUMP_PAGE_SNAPPY)
		return snappy_uncompress((const char *)src, len, (char *)out, &got) ==
		       SNAPPY_OK && got == page_size ? HELD : NOT_HELD;
	got = ZSTD_decompress(out, page_size, src, len);
	return !ZSTD_isError(got) && got == page_size ? HELD : NOT_HELD;
}

/* pfn's page as the file holds it, into out. */
static enum naive naive_page(const struct oracle *o, uint64_t pfn, uint8_t *out)
{
	const uint32_t others = KDUMP_PAGE_LZO | KDUMP_PAGE_SNAPPY | KDUMP_PAGE_ZSTD;
	struct kdump_page_desc d;
	uint64_t i, index = 0;

	if (!bit(o, pfn))
		return NOT_HELD;
	for (i = 0; i < pfn; i++)
		index += bit(o, i);
	if (!inside(o, o->desc_off + index * sizeof(d), sizeof(d)))
		return NOT_HELD;
	memcpy(&d, o->file + o->desc_off + index * sizeof(d), sizeof(d));
	if (!inside(o, d.offset, d.size))
		return NOT_HELD;
	if (d.flags & KDUMP_PAGE_ZLIB)
		return inflate_page(o->file + d.offset, d.size, out, o->page_size);
	if (d.flags & others)
		return other_page(d.flags, o->file + d.offset, d.size, out, o->page_size);
	if (d.size != o->page_size)
		return NOT_HELD;
	memcpy(out, o->file + d.offset, d.size);
	return HELD;
}

static void check_page(const struct oracle *o, void *dd, uint64_t pfn, uint8_t *own,
		       uint8_t *theirs)
{
	uint64_t at = pfn * o->page_size;
	bool present = sa_diskdump_ops.present(dd, at, o->page_size);
	enum naive held;

	if (!sa_diskdump_ops.read(dd, at, own, o->page_size))
		return;
	if (!present)	/* told from the index alone, never wrong this way */
		fz_fail("the reader read a page its index called absent", NULL, 0);
	held = naive_page(o, pfn, theirs);
	if (held == REPEAT_OVERRUN)
		return;
	if (held == NOT_HELD)
		fz_fail("the reader answered a page the file does not hold", NULL, 0);
	if (memcmp(own, theirs, o->page_size))
		fz_fail("the reader's page differs from the file's", NULL, 0);
	/* the same bytes again, in part, through the decoded-page cache */
	if (sa_diskdump_ops.read(dd, at + 3, own, 100) && memcmp(own, theirs + 3, 100))
		fz_fail("a partial read differs from the page", NULL, 0);
}

static void read_frames(const struct oracle *o, void *dd, uint64_t max_pfn)
{
	uint8_t *own = malloc(o->page_size), *theirs = malloc(o->page_size);
	uint64_t pfn, n = max_pfn < MAX_FRAMES ? max_pfn : MAX_FRAMES;

	for (pfn = 0; own && theirs && pfn < n; pfn++) {
		check_page(o, dd, pfn, own, theirs);
		sa_diskdump_ops.read(dd, (pfn + 1) * o->page_size - 10, own, 20);
	}
	/* past the end, and a span that wraps */
	sa_diskdump_ops.read(dd, max_pfn * o->page_size, own, 8);
	sa_diskdump_ops.read(dd, UINT64_MAX - 3, own, 8);
	if (sa_diskdump_ops.present(dd, max_pfn * o->page_size, 8) ||
	    sa_diskdump_ops.present(dd, UINT64_MAX - 3, 8))
		fz_fail("a page past the end, or a wrapping span, called present", NULL, 0);
	free(own);
	free(theirs);
}

/*
 * The frames through a reader whose worker decodes ahead, advised in runs
 * of 1 to 64 frames (chosen by the frame number) some frames ahead.
 */
static void read_ahead(const struct oracle *o, void *dd, int fd, uint64_t max_pfn)
{
	uint8_t *own = malloc(o->page_size), *ahead = malloc(o->page_size);
	uint64_t pfn, n = max_pfn < MAX_FRAMES ? max_pfn : MAX_FRAMES, advised = 0;
	char err[128];
	void *dd2 = sa_diskdump_ops.open(fd, err, sizeof(err));
	bool a, b;

	if (!dd2)
		fz_fail("a second open of the same file failed", err, sizeof(err));
	sa_diskdump_ops.start_workers(dd2, 1);
	for (pfn = 0; own && ahead && pfn < n; pfn++) {
		if (advised <= pfn + 8) {
			uint64_t run = 1 + (pfn * 7 + o->size) % 64;

			sa_diskdump_ops.prefetch(dd2, advised * o->page_size, run * o->page_size);
			advised += run;
		}
		a = sa_diskdump_ops.read(dd, pfn * o->page_size, own, o->page_size);
		b = sa_diskdump_ops.read(dd2, pfn * o->page_size, ahead, o->page_size);
		if (a != b || (a && memcmp(own, ahead, o->page_size)))
			fz_fail("a frame read ahead differs from the same frame read", NULL, 0);
	}
	sa_diskdump_ops.prefetch(dd2, UINT64_MAX - 3, 8);
	sa_diskdump_ops.close(dd2);
	free(own);
	free(ahead);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oracle o = { .file = data, .size = size };
	int fd = fz_memfd("fuzz_diskdump", data, size);
	uint64_t max_pfn;
	char err[128];
	void *dd;

	if (fd < 0)
		return 0;
	dd = sa_diskdump_ops.open(fd, err, sizeof(err));
	if (dd) {
		sa_diskdump_ops.geometry(dd, &o.page_size, &max_pfn);
		locate(&o, max_pfn);
		read_frames(&o, dd, max_pfn);
		read_ahead(&o, dd, fd, max_pfn);
		sa_diskdump_ops.close(dd);
	} else {
		fz_check_open_message(err, sizeof(err));
	}
	close(fd);
	return 0;
}
