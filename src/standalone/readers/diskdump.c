// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kdump-compressed format (diskdump.h) read without libkdumpfile, for
 * physical pages.  Answered here: pages the file stores raw or in one of
 * the encodings of pagecodec.h, decoded as libkdumpfile 0.5.1 decodes
 * them (the output exactly one page).  Left to libkdumpfile, which
 * reports them its own way: page frames past max_pfn or not in the file,
 * descriptors or data outside the file, and split dumps.
 *
 * Pages are decoded by pagecodec.c: zlib, LZO, snappy and zstd.
 *
 * Every header field is checked against the file's size before it is
 * used.  The allocations the file sizes are the bitmap (at most
 * DD_MAX_BITMAP bytes, all read from the file), its rank index (an
 * eighth of it) and the caches, which a small file only makes smaller
 * than their fixed sizes; every file read is at most DD_WINDOW bytes.
 */
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "standalone/readers/ahead.h"
#include "standalone/readers/diskdump.h"
#include "standalone/readers/pagecodec.h"
#include "standalone/readers/reader.h"

#define DD_MAX_BITMAP (64ULL << 20)	/* 2 TiB of 4 KiB pages */
#define DD_RANK_WORDS 8			/* bitmap words per rank entry */
#define DD_DESC_BLOCK 128		/* descriptors read at once */
#define DD_DESC_SLOTS 256		/* blocks of them kept */
#define DD_PAGE_CACHE (256U << 10)	/* bytes of decoded pages kept */
#define DD_WINDOW (512U << 10)		/* the largest file read */
#define DD_READAHEAD (16U << 10)	/* the first read ahead in sequence */

struct dd_desc_slot {
	uint64_t block;		/* first descriptor / DD_DESC_BLOCK, + 1; 0: empty */
	struct kdump_page_desc desc[DD_DESC_BLOCK];
};

/* The last bytes read from the file, and the next read's size. */
struct dd_window {
	uint8_t *buf;
	size_t size;			/* of buf: DD_WINDOW, or the whole file */
	uint64_t off;
	size_t len, ahead;
};

struct diskdump {
	int fd;
	uint64_t file_size;
	uint32_t page_size;
	unsigned int page_shift;
	uint64_t max_pfn;		/* page frames the file describes */
	uint64_t *bitmap;		/* the 2nd bitmap's first max_pfn bits */
	uint64_t *rank;			/* its set bits before each DD_RANK_WORDS words */
	uint64_t desc_off;		/* descriptor 0's file offset */
	uint64_t ndesc;			/* descriptors wholly inside the file */
	struct dd_desc_slot *descs;
	unsigned int ndesc_slots;
	struct dd_window win;
	uint64_t *page_tag;		/* per cached page: its pfn + 1; 0: empty */
	uint8_t *pages;
	unsigned int npages;
	struct sa_page_decoder *decoder;
	struct sa_ahead *ahead;		/* workers decoding ahead; NULL: none */
};

static bool read_at(int fd, void *buf, size_t len, uint64_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len;
}

/* [off, off + len) lies inside a file of size bytes (no wrap). */
static bool inside(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static int fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -1;
}

static bool power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int parse_header(struct diskdump *dd, const struct kdump_header *h,
			char *err, size_t errlen)
{
	uint64_t block = (uint32_t)h->block_size;

	if (memcmp(h->signature, KDUMP_SIGNATURE, 8))
		return fail(err, errlen, "not kdump-compressed");
	if (h->block_size < (int32_t)SA_MIN_PAGE || block > SA_MAX_PAGE ||
	    !power_of_two(block))
		return fail(err, errlen, "page size out of bounds");
	if (h->header_version < 1 || h->sub_hdr_size < 1)
		return fail(err, errlen, "header version or sub-header size out of bounds");
	/* libkdumpfile's check: the bitmap blocks cover max_mapnr bits. */
	if (8 * (uint64_t)h->bitmap_blocks * block < h->max_mapnr)
		return fail(err, errlen, "bitmap smaller than max_mapnr");
	dd->page_size = block;
	dd->page_shift = __builtin_ctzll(block);
	dd->max_pfn = h->max_mapnr;
	return 0;
}

static int parse_sub_header(struct diskdump *dd, const struct kdump_header *h,
			    char *err, size_t errlen)
{
	struct kdump_sub_header sub;

	if (!read_at(dd->fd, &sub, sizeof(sub), dd->page_size))
		return fail(err, errlen, "sub-header not inside the file");
	if (h->header_version >= 2 && sub.split)
		return fail(err, errlen, "a split dump");
	if (h->header_version >= 6)
		dd->max_pfn = le64toh(sub.max_mapnr_64);
	return 0;
}

/* Set bits in n words. */
static uint64_t popcount_words(const uint64_t *w, uint64_t n)
{
	uint64_t i, count = 0;

	for (i = 0; i < n; i++)
		count += __builtin_popcountll(w[i]);
	return count;
}

static int build_rank(struct diskdump *dd, uint64_t nwords, char *err, size_t errlen)
{
	uint64_t nrank = nwords / DD_RANK_WORDS + 1, i, count = 0;

	dd->rank = malloc(nrank * sizeof(*dd->rank));
	if (!dd->rank)
		return fail(err, errlen, "out of memory for the bitmap index");
	for (i = 0; i < nrank; i++) {
		dd->rank[i] = count;
		if (i * DD_RANK_WORDS < nwords)
			count += popcount_words(dd->bitmap + i * DD_RANK_WORDS,
						nwords - i * DD_RANK_WORDS < DD_RANK_WORDS ?
						nwords - i * DD_RANK_WORDS : DD_RANK_WORDS);
	}
	dd->ndesc = dd->desc_off <= dd->file_size ?
		    (dd->file_size - dd->desc_off) / sizeof(struct kdump_page_desc) : 0;
	return 0;
}

/*
 * The bitmap blocks follow the sub-header; the descriptors follow them.
 * When max_pfn fits in half of them there are two bitmaps and the 2nd
 * (the pages in the file) is used, as libkdumpfile does.
 */
static int read_bitmap(struct diskdump *dd, const struct kdump_header *h,
		       char *err, size_t errlen)
{
	uint64_t off = (1 + (uint64_t)h->sub_hdr_size) * dd->page_size;
	uint64_t size = (uint64_t)h->bitmap_blocks * dd->page_size, nwords, i;

	dd->desc_off = off + size;
	if (dd->max_pfn <= size * 8 / 2) {
		size = (uint64_t)(h->bitmap_blocks / 2) * dd->page_size;
		off += size;
	}
	if (dd->max_pfn > size * 8)
		dd->max_pfn = size * 8;
	if (!dd->max_pfn || size > DD_MAX_BITMAP || !inside(off, size, dd->file_size))
		return fail(err, errlen, "bitmap empty, too large or not inside the file");
	nwords = (dd->max_pfn + 63) / 64;
	dd->bitmap = calloc(nwords, sizeof(*dd->bitmap));
	if (!dd->bitmap)
		return fail(err, errlen, "out of memory for the bitmap");
	if (!read_at(dd->fd, dd->bitmap, (dd->max_pfn + 7) / 8, off))
		return fail(err, errlen, "cannot read the bitmap");
	for (i = 0; i < nwords; i++)
		dd->bitmap[i] = le64toh(dd->bitmap[i]);
	return build_rank(dd, nwords, err, errlen);
}

static int parse(struct diskdump *dd, char *err, size_t errlen)
{
	struct kdump_header h;
	struct stat sb;

	if (fstat(dd->fd, &sb) || !S_ISREG(sb.st_mode))
		return fail(err, errlen, "not a regular file");
	dd->file_size = sb.st_size;
	if (!read_at(dd->fd, &h, sizeof(h), 0))
		return fail(err, errlen, "shorter than a kdump header");
	if (parse_header(dd, &h, err, errlen) || parse_sub_header(dd, &h, err, errlen))
		return -1;
	return read_bitmap(dd, &h, err, errlen);
}

static unsigned int at_most(uint64_t want, unsigned int limit)
{
	return want < 1 ? 1 : want < limit ? want : limit;
}

/*
 * The caches, no larger than the file can fill: a small file (a fuzz
 * input, a cut dump) costs kilobytes, not the 1.5 MiB a large one uses.
 */
static int allocate(struct diskdump *dd, char *err, size_t errlen)
{
	dd->npages = at_most(dd->ndesc, DD_PAGE_CACHE / dd->page_size ?
					DD_PAGE_CACHE / dd->page_size : 1);
	dd->ndesc_slots = at_most((dd->ndesc + DD_DESC_BLOCK - 1) / DD_DESC_BLOCK,
				  DD_DESC_SLOTS);
	dd->win.size = at_most(dd->file_size, DD_WINDOW);
	dd->descs = calloc(dd->ndesc_slots, sizeof(*dd->descs));
	dd->win.buf = malloc(dd->win.size);
	dd->page_tag = calloc(dd->npages, sizeof(*dd->page_tag));
	dd->pages = malloc((size_t)dd->npages * dd->page_size);
	dd->decoder = sa_page_decoder_new();
	if (!dd->descs || !dd->win.buf || !dd->page_tag || !dd->pages || !dd->decoder)
		return fail(err, errlen, "out of memory");
	return 0;
}

static void dd_close(void *priv)
{
	struct diskdump *dd = priv;

	if (!dd)
		return;
	sa_ahead_free(dd->ahead);
	free(dd->bitmap);
	free(dd->rank);
	free(dd->descs);
	free(dd->win.buf);
	free(dd->page_tag);
	free(dd->pages);
	sa_page_decoder_free(dd->decoder);
	free(dd);
}

static void *dd_open(int fd, char *err, size_t errlen)
{
	struct diskdump *dd = calloc(1, sizeof(*dd));

	if (!dd) {
		fail(err, errlen, "out of memory");
		return NULL;
	}
	dd->fd = fd;
	if (parse(dd, err, errlen) || allocate(dd, err, errlen)) {
		dd_close(dd);
		return NULL;
	}
	return dd;
}

static void dd_geometry(const void *priv, uint64_t *page_size, uint64_t *max_pfn)
{
	const struct diskdump *dd = priv;

	*page_size = dd->page_size;
	*max_pfn = dd->max_pfn;
}

/* pfn is one the file holds: below max_pfn, set in the 2nd bitmap. */
static bool in_file(const struct diskdump *dd, uint64_t pfn)
{
	return pfn < dd->max_pfn && (dd->bitmap[pfn / 64] & (1ULL << (pfn % 64)));
}

/* The index of pfn's descriptor: the pages in the file before it. */
static bool desc_index(const struct diskdump *dd, uint64_t pfn, uint64_t *index)
{
	uint64_t word = pfn / 64, first = word - word % DD_RANK_WORDS;
	uint64_t bit = 1ULL << (pfn % 64);

	if (!in_file(dd, pfn))
		return false;
	*index = dd->rank[word / DD_RANK_WORDS] +
		 popcount_words(dd->bitmap + first, word - first) +
		 __builtin_popcountll(dd->bitmap[word] & (bit - 1));
	return *index < dd->ndesc;
}

static bool load_descs(struct diskdump *dd, struct dd_desc_slot *slot, uint64_t block)
{
	uint64_t first = block * DD_DESC_BLOCK, n = dd->ndesc - first, i;
	struct kdump_page_desc *d = slot->desc;

	if (n > DD_DESC_BLOCK)
		n = DD_DESC_BLOCK;
	slot->block = 0;
	if (!read_at(dd->fd, d, n * sizeof(*d), dd->desc_off + first * sizeof(*d)))
		return false;
	for (i = 0; i < n; i++) {
		d[i].offset = le64toh(d[i].offset);
		d[i].size = le32toh(d[i].size);
		d[i].flags = le32toh(d[i].flags);
	}
	slot->block = block + 1;
	return true;
}

static bool get_desc(struct diskdump *dd, uint64_t pfn, struct kdump_page_desc *desc)
{
	uint64_t index, block;
	struct dd_desc_slot *slot;

	if (!desc_index(dd, pfn, &index))
		return false;
	block = index / DD_DESC_BLOCK;
	slot = &dd->descs[block % dd->ndesc_slots];
	if (slot->block != block + 1 && !load_descs(dd, slot, block))
		return false;
	*desc = slot->desc[index % DD_DESC_BLOCK];
	return true;
}

/*
 * len bytes of the file at off, through the window.  A read out of
 * sequence reads just len bytes; each read in sequence (at or shortly
 * after the window's end) reads twice as far ahead as the last, from
 * DD_READAHEAD up to DD_WINDOW.
 */
static const uint8_t *file_bytes(struct diskdump *dd, uint64_t off, size_t len)
{
	struct dd_window *w = &dd->win;
	uint64_t end = w->off + w->len;
	size_t want;
	ssize_t got;

	if (off >= w->off && inside(off - w->off, len, w->len))
		return w->buf + (off - w->off);
	if (len > w->size || !inside(off, len, dd->file_size))
		return NULL;
	if (off >= end && off - end < DD_WINDOW)
		w->ahead = w->ahead < DD_READAHEAD ? DD_READAHEAD :
			   w->ahead * 2 > DD_WINDOW ? DD_WINDOW : w->ahead * 2;
	else
		w->ahead = 0;
	want = len > w->ahead ? len : w->ahead;
	if (want > dd->file_size - off)
		want = dd->file_size - off;
	if (want > w->size)
		want = w->size;
	got = pread(dd->fd, w->buf, want, off);
	w->off = off;
	w->len = got > 0 ? got : 0;
	return got >= (ssize_t)len ? w->buf : NULL;
}

/* Whether d's stored bytes are some sa_page_decode() may take. */
static bool decodable(const struct diskdump *dd, const struct kdump_page_desc *d)
{
	return d->size && d->size <= SA_MAX_PAGE &&
	       (sa_page_encoding(d->flags) || d->size == dd->page_size);
}

/* Page frame pfn into out (page_size bytes); false: not answered here. */
static bool decode_page(struct diskdump *dd, uint64_t pfn, void *out)
{
	struct kdump_page_desc d;
	const uint8_t *src;

	if (!get_desc(dd, pfn, &d) || !decodable(dd, &d))
		return false;
	src = file_bytes(dd, d.offset, d.size);
	return src && sa_page_decode(dd->decoder, d.flags, src, d.size, out, dd->page_size);
}

/* Page frame pfn decoded, kept among the last few read in part. */
static const uint8_t *cached_page(struct diskdump *dd, uint64_t pfn)
{
	unsigned int slot = pfn % dd->npages;
	uint8_t *page = dd->pages + (size_t)slot * dd->page_size;

	if (dd->page_tag[slot] == pfn + 1)
		return page;
	dd->page_tag[slot] = 0;
	if (!decode_page(dd, pfn, page))
		return NULL;
	dd->page_tag[slot] = pfn + 1;
	return page;
}

/* len bytes at offset off of page frame pfn; len fits in the page. */
static bool read_in_page(struct diskdump *dd, uint64_t pfn, size_t off, uint8_t *buf,
			 size_t len)
{
	const uint8_t *page = dd->ahead ? sa_ahead_page(dd->ahead, pfn) : NULL;

	if (page) {
		memcpy(buf, page + off, len);
		return true;
	}
	if (len == dd->page_size && dd->page_tag[pfn % dd->npages] != pfn + 1)
		return decode_page(dd, pfn, buf);
	page = cached_page(dd, pfn);
	if (page)
		memcpy(buf, page + off, len);
	return page;
}

static bool dd_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	struct diskdump *dd = priv;
	uint8_t *out = buf;
	size_t off, n;

	while (len) {
		off = paddr & (dd->page_size - 1);
		n = dd->page_size - off < len ? dd->page_size - off : len;
		if (!read_in_page(dd, paddr >> dd->page_shift, off, out, n))
			return false;
		paddr += n;
		out += n;
		len -= n;
	}
	return true;
}

/*
 * Queue [paddr, paddr + len)'s pages for the workers, in order, until
 * the ring is full; pages already decoded here or that no worker may
 * decode are left to the reads.
 */
static void dd_prefetch(void *priv, uint64_t paddr, size_t len)
{
	struct diskdump *dd = priv;
	uint64_t pfn = paddr >> dd->page_shift, last;
	struct kdump_page_desc d;

	if (!dd->ahead || !len || paddr + len - 1 < paddr)
		return;
	for (last = (paddr + len - 1) >> dd->page_shift; pfn <= last; pfn++) {
		if (dd->page_tag[pfn % dd->npages] == pfn + 1 ||
		    sa_ahead_holds(dd->ahead, pfn) || !get_desc(dd, pfn, &d) ||
		    !decodable(dd, &d))
			continue;
		if (!sa_ahead_queue(dd->ahead, pfn, d.offset, d.size, d.flags))
			break;
	}
	sa_ahead_flush(dd->ahead);
}

/* Every frame of [paddr, paddr + len) decoded here, or stored where a read decodes it. */
static bool dd_present(void *priv, uint64_t paddr, size_t len)
{
	struct diskdump *dd = priv;
	uint64_t pfn = paddr >> dd->page_shift, last;
	struct kdump_page_desc d;

	if (!len || paddr + len - 1 < paddr)
		return false;
	for (last = (paddr + len - 1) >> dd->page_shift; pfn <= last; pfn++) {
		if (dd->page_tag[pfn % dd->npages] == pfn + 1)
			continue;
		if (!get_desc(dd, pfn, &d) || !decodable(dd, &d) ||
		    !inside(d.offset, d.size, dd->file_size))
			return false;
	}
	return true;
}

/*
 * Some frame of [paddr, paddr + len) past max_pfn or not in the 2nd
 * bitmap: libkdumpfile 0.5.1 refuses it ("Out-of-bounds PFN", "Excluded
 * page"; its zero_excluded attribute, which would read zeros, is off).
 */
static bool dd_absent(void *priv, uint64_t paddr, size_t len)
{
	const struct diskdump *dd = priv;
	uint64_t pfn = paddr >> dd->page_shift, last;

	if (!len || paddr + len - 1 < paddr)
		return false;
	for (last = (paddr + len - 1) >> dd->page_shift; pfn <= last; pfn++)
		if (!in_file(dd, pfn))
			return true;
	return false;
}

static void *new_decoder(void)
{
	return sa_page_decoder_new();
}

static void free_decoder(void *state)
{
	sa_page_decoder_free(state);
}

static bool worker_decode(void *state, uint32_t flags, const uint8_t *src, size_t size,
			  uint8_t *out, size_t page_size)
{
	return sa_page_decode(state, flags, src, size, out, page_size);
}

static const struct sa_ahead_codec dd_codec = {
	.new_state = new_decoder,
	.free_state = free_decoder,
	.decode = worker_decode,
};

static void dd_start_workers(void *priv, unsigned int workers)
{
	struct diskdump *dd = priv;

	if (!dd->ahead)
		dd->ahead = sa_ahead_new(dd->fd, dd->file_size, dd->page_size, workers,
					 &dd_codec);
}

static bool dd_ahead_stats(const void *priv, struct sa_ahead_stats *stats)
{
	const struct diskdump *dd = priv;

	if (!dd->ahead)
		return false;
	sa_ahead_get_stats(dd->ahead, stats);
	return true;
}

const struct sa_format_ops sa_diskdump_ops = {
	.name = "diskdump",
	.open = dd_open,
	.geometry = dd_geometry,
	.read = dd_read,
	.close = dd_close,
	.prefetch = dd_prefetch,
	.present = dd_present,
	.absent = dd_absent,
	.start_workers = dd_start_workers,
	.ahead_stats = dd_ahead_stats,
};
