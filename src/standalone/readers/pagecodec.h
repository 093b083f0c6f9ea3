/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The page encodings of the kdump-compressed format (makedumpfile -c, -l,
 * -p, -z; QEMU's kdump-zlib, kdump-lzo, kdump-snappy), one table row each
 * (pagecodec.c), decoded as libkdumpfile 0.5.1 decodes them: the first
 * row whose flag the page descriptor carries decides, in the order zlib,
 * LZO, snappy, zstd; its output must be exactly one page.  A descriptor
 * with none of the flags is the page itself, exactly page_size bytes.
 */
#ifndef LEAKEXT_SA_PAGECODEC_H
#define LEAKEXT_SA_PAGECODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One thread's decoding state (libdeflate's and zstd's contexts). */
struct sa_page_decoder;

struct sa_page_decoder *sa_page_decoder_new(void);
void sa_page_decoder_free(struct sa_page_decoder *d);
/* The encoding flags says the page's size stored bytes are in, or NULL (raw). */
const char *sa_page_encoding(uint32_t flags);
/*
 * The page stored as size bytes at src with flags into out (page_size
 * bytes); false for anything libkdumpfile would refuse.
 */
bool sa_page_decode(struct sa_page_decoder *d, uint32_t flags, const uint8_t *src,
		    size_t size, uint8_t *out, size_t page_size);

#endif
