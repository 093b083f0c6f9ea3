// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Page encodings of the kdump-compressed format (pagecodec.h).
 *
 * zlib pages are inflated by libdeflate, about twice as fast as zlib.  It
 * is laxer than zlib (and so libkdumpfile) in one documented way: it does
 * not check that a code-length repeat in a dynamic block's header stays
 * inside the lengths the block declares.  zlib rejects such a page as
 * "invalid bit length repeat"; here it is answered when it inflates to
 * exactly one page whose Adler-32 matches.  No zlib writer produces one.
 * LZO, snappy and zstd pages go to the libraries libkdumpfile calls, with
 * its checks: lzo1x_decompress_safe() must return LZO_E_OK (no input left
 * over), snappy_uncompress() SNAPPY_OK, ZSTD_decompress() no error, and
 * each exactly one page.
 */
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zstd.h>

#include "standalone/readers/diskdump.h"
#include "standalone/readers/pagecodec.h"

struct sa_page_decoder {
	struct libdeflate_decompressor *inflater;
	ZSTD_DCtx *zstd;
};

struct page_codec {
	uint32_t flag;		/* KDUMP_PAGE_* in the descriptor */
	const char *name;
	bool (*decode)(struct sa_page_decoder *d, const uint8_t *src, size_t size,
		       uint8_t *out, size_t page_size);
};

static bool decode_zlib(struct sa_page_decoder *d, const uint8_t *src, size_t size,
			uint8_t *out, size_t page_size)
{
	return libdeflate_zlib_decompress(d->inflater, src, size, out, page_size, NULL) ==
	       LIBDEFLATE_SUCCESS;
}

static bool decode_lzo(struct sa_page_decoder *d, const uint8_t *src, size_t size,
		       uint8_t *out, size_t page_size)
{
	lzo_uint got = page_size;

	(void)d;
	return lzo1x_decompress_safe(src, size, out, &got, NULL) == LZO_E_OK &&
	       got == page_size;
}

static bool decode_snappy(struct sa_page_decoder *d, const uint8_t *src, size_t size,
			  uint8_t *out, size_t page_size)
{
	size_t got = page_size;

	(void)d;
	return snappy_uncompress((const char *)src, size, (char *)out, &got) == SNAPPY_OK &&
	       got == page_size;
}

static bool decode_zstd(struct sa_page_decoder *d, const uint8_t *src, size_t size,
			uint8_t *out, size_t page_size)
{
	size_t got = ZSTD_decompressDCtx(d->zstd, out, page_size, src, size);

	return !ZSTD_isError(got) && got == page_size;
}

/* libkdumpfile 0.5.1's order (diskdump_read_page()): the first flag set decides. */
static const struct page_codec codecs[] = {
	{ KDUMP_PAGE_ZLIB, "zlib", decode_zlib },
	{ KDUMP_PAGE_LZO, "lzo", decode_lzo },
	{ KDUMP_PAGE_SNAPPY, "snappy", decode_snappy },
	{ KDUMP_PAGE_ZSTD, "zstd", decode_zstd },
};

static const struct page_codec *codec_of(uint32_t flags)
{
	size_t i;

	for (i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++)
		if (flags & codecs[i].flag)
			return &codecs[i];
	return NULL;
}

struct sa_page_decoder *sa_page_decoder_new(void)
{
	struct sa_page_decoder *d;

	if (lzo_init() != LZO_E_OK)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->inflater = libdeflate_alloc_decompressor();
	d->zstd = ZSTD_createDCtx();
	if (!d->inflater || !d->zstd) {
		sa_page_decoder_free(d);
		return NULL;
	}
	return d;
}

void sa_page_decoder_free(struct sa_page_decoder *d)
{
	if (!d)
		return;
	if (d->inflater)
		libdeflate_free_decompressor(d->inflater);
	ZSTD_freeDCtx(d->zstd);
	free(d);
}

const char *sa_page_encoding(uint32_t flags)
{
	const struct page_codec *c = codec_of(flags);

	return c ? c->name : NULL;
}

bool sa_page_decode(struct sa_page_decoder *d, uint32_t flags, const uint8_t *src,
		    size_t size, uint8_t *out, size_t page_size)
{
	const struct page_codec *c = codec_of(flags);

	if (c)
		return c->decode(d, src, size, out, page_size);
	if (size != page_size)
		return false;
	memcpy(out, src, size);
	return true;
}
