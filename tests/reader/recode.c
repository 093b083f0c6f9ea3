// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * reader_recode CODEC IN OUT: the kdump-compressed dump IN with every page
 * stored again in CODEC (zlib, lzo, snappy, zstd or raw), as makedumpfile
 * -c, -l, -p or -z would have stored it (a page that does not shrink is
 * stored raw), everything else byte for byte.  For tests of the own
 * reader's page decoders (src/standalone/readers/pagecodec.c) on a real
 * kernel's pages in encodings this machine's makedumpfile cannot write.
 *
 * IN must be a single-file dump without erase information (makedumpfile's
 * default); each page is decoded by pagecodec.c and must decode.  Exit 0
 * done, 1 on any failure (with a message), 2 on bad usage.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zstd.h>

#include "standalone/readers/diskdump.h"
#include "standalone/readers/pagecodec.h"
#include "standalone/readers/reader.h"

#define MAX_STORED SA_MAX_PAGE

struct recode {
	FILE *in, *out;
	uint32_t page_size;
	uint64_t desc_off, ndesc, data_off;
	struct sa_page_decoder *decoder;
	struct libdeflate_compressor *deflater;
	uint8_t *page, *stored, *encoded, lzo_work[LZO1X_1_MEM_COMPRESS];
};

static int die(const char *what)
{
	fprintf(stderr, "reader_recode: %s\n", what);
	return 1;
}

static bool read_at(FILE *f, void *buf, size_t len, uint64_t off)
{
	return !fseeko(f, off, SEEK_SET) && fread(buf, 1, len, f) == len;
}

static bool write_at(FILE *f, const void *buf, size_t len, uint64_t off)
{
	return !fseeko(f, off, SEEK_SET) && fwrite(buf, 1, len, f) == len;
}

/* The descriptors follow the bitmaps; one per set bit of the 2nd bitmap. */
static bool count_pages(struct recode *r, const struct kdump_header *h, uint64_t max_pfn)
{
	uint64_t off = (1 + (uint64_t)h->sub_hdr_size) * r->page_size;
	uint64_t size = (uint64_t)h->bitmap_blocks * r->page_size, i;
	uint8_t byte;

	r->desc_off = off + size;
	if (max_pfn <= size * 8 / 2) {
		size /= 2;
		off += size;
	}
	for (i = 0; i < (max_pfn + 7) / 8 && i < size; i++) {
		if (!read_at(r->in, &byte, 1, off + i))
			return false;
		if (i == max_pfn / 8)
			byte &= (1U << (max_pfn % 8)) - 1;
		r->ndesc += __builtin_popcount(byte);
	}
	r->data_off = r->desc_off + r->ndesc * sizeof(struct kdump_page_desc);
	return true;
}

static int open_dump(struct recode *r)
{
	struct kdump_header h;
	struct kdump_sub_header sub;
	uint64_t max_pfn;

	if (!read_at(r->in, &h, sizeof(h), 0) || memcmp(h.signature, KDUMP_SIGNATURE, 8) ||
	    h.block_size < (int32_t)SA_MIN_PAGE || h.block_size > (int32_t)SA_MAX_PAGE)
		return die("not a kdump-compressed dump");
	r->page_size = h.block_size;
	if (!read_at(r->in, &sub, sizeof(sub), r->page_size))
		return die("no sub-header");
	if (h.header_version >= 2 && sub.split)
		return die("a split dump");
	if (h.header_version >= 5 && sub.size_eraseinfo)
		return die("a dump with erase information");
	max_pfn = h.header_version >= 6 ? le64toh(sub.max_mapnr_64) : h.max_mapnr;
	if (!count_pages(r, &h, max_pfn))
		return die("cannot read the bitmap");
	return 0;
}

/* The page in codec, into r->encoded; its size and flags (0: raw). */
static size_t encode(struct recode *r, const char *codec, uint32_t *flags)
{
	size_t n = 0, cap = MAX_STORED;
	lzo_uint lzo_len = cap;

	if (!strcmp(codec, "zlib")) {
		n = libdeflate_zlib_compress(r->deflater, r->page, r->page_size, r->encoded, cap);
		*flags = KDUMP_PAGE_ZLIB;
	} else if (!strcmp(codec, "lzo")) {
		if (lzo1x_1_compress(r->page, r->page_size, r->encoded, &lzo_len,
				     r->lzo_work) == LZO_E_OK)
			n = lzo_len;
		*flags = KDUMP_PAGE_LZO;
	} else if (!strcmp(codec, "snappy")) {
		if (snappy_compress((const char *)r->page, r->page_size, (char *)r->encoded,
				    &cap) == SNAPPY_OK)
			n = cap;
		*flags = KDUMP_PAGE_SNAPPY;
	} else if (!strcmp(codec, "zstd")) {
		n = ZSTD_compress(r->encoded, cap, r->page, r->page_size, 1);
		n = ZSTD_isError(n) ? 0 : n;
		*flags = KDUMP_PAGE_ZSTD;
	}
	if (n && n < r->page_size)
		return n;
	memcpy(r->encoded, r->page, r->page_size);
	*flags = 0;
	return r->page_size;
}

static int recode_pages(struct recode *r, const char *codec)
{
	struct kdump_page_desc d;
	uint64_t i, at = r->data_off;
	uint32_t flags;
	size_t n;

	for (i = 0; i < r->ndesc; i++) {
		uint64_t doff = r->desc_off + i * sizeof(d);

		if (!read_at(r->in, &d, sizeof(d), doff) || d.size > MAX_STORED ||
		    !read_at(r->in, r->stored, d.size, d.offset) ||
		    !sa_page_decode(r->decoder, d.flags, r->stored, d.size, r->page,
				    r->page_size))
			return die("a page that does not decode");
		n = encode(r, codec, &flags);
		d = (struct kdump_page_desc){ .offset = at, .size = n, .flags = flags,
					      .page_flags = d.page_flags };
		if (!write_at(r->out, &d, sizeof(d), doff) ||
		    !write_at(r->out, r->encoded, n, at))
			return die("cannot write");
		at += n;
	}
	return 0;
}

static int copy_head(struct recode *r)
{
	uint8_t buf[65536];
	uint64_t off;
	size_t n;

	for (off = 0; off < r->desc_off; off += n) {
		n = r->desc_off - off < sizeof(buf) ? r->desc_off - off : sizeof(buf);
		if (!read_at(r->in, buf, n, off) || !write_at(r->out, buf, n, off))
			return die("cannot copy the headers and bitmaps");
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const codecs[] = { "zlib", "lzo", "snappy", "zstd", "raw" };
	struct recode r = { 0 };
	size_t i;
	int ret;

	for (i = 0; argc == 4 && i < sizeof(codecs) / sizeof(codecs[0]); i++)
		if (!strcmp(argv[1], codecs[i]))
			break;
	if (argc != 4 || i == sizeof(codecs) / sizeof(codecs[0])) {
		fprintf(stderr, "usage: reader_recode zlib|lzo|snappy|zstd|raw IN OUT\n");
		return 2;
	}
	r.in = fopen(argv[2], "rb");
	r.out = fopen(argv[3], "wb");
	r.decoder = sa_page_decoder_new();
	r.deflater = libdeflate_alloc_compressor(6);
	r.page = malloc(MAX_STORED);
	r.stored = malloc(MAX_STORED);
	r.encoded = malloc(MAX_STORED + MAX_STORED / 2);
	if (!r.in || !r.out || !r.decoder || !r.deflater || !r.page || !r.stored || !r.encoded ||
	    lzo_init() != LZO_E_OK)
		ret = die("cannot open the files or allocate");
	else
		ret = open_dump(&r) || copy_head(&r) || recode_pages(&r, argv[1]);
	if (r.out && fclose(r.out))
		ret = die("cannot write");
	if (r.in)
		fclose(r.in);
	sa_page_decoder_free(r.decoder);
	libdeflate_free_compressor(r.deflater);
	free(r.page);
	free(r.stored);
	free(r.encoded);
	return ret;
}
