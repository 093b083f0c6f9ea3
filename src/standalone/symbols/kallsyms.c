// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms from the dump (kernel/kallsyms.c, scripts/kallsyms.c).
 *
 * kallsyms_names is a stream of [len][len token indexes] records, one per
 * symbol, in address order.  len is one byte, or two when the first has
 * bit 7 set: (b0 & 0x7f) | b1 << 7 (commit 73bbb94466fd "kallsyms: support
 * \"big\" kernel symbols", 6.1; before it no name needed 128 tokens, since
 * names were shorter than KSYM_NAME_LEN = 128).  Token i is the NUL-ended
 * string at kallsyms_token_table + kallsyms_token_index[i]; the first
 * character of the expanded record is the symbol's type letter.
 *
 * Addresses come in one of four layouts, told apart by which reading puts
 * the VMCOREINFO anchors (_stext, init_uts_ns, ...) where VMCOREINFO says,
 * never by kernel version (distributions backport):
 *  - kallsyms_addresses[]: absolute unsigned longs, without
 *    CONFIG_KALLSYMS_BASE_RELATIVE; removed in 6.11 by 64e166099b69
 *    ("kallsyms: get rid of code for absolute kallsyms");
 *  - base-relative: kallsyms_relative_base + (u32)kallsyms_offsets[i];
 *  - absolute percpu (CONFIG_KALLSYMS_ABSOLUTE_PERCPU, x86_64 SMP): an
 *    offset >= 0 is the value itself (a per-cpu offset), a negative one
 *    means relative_base - 1 - offset; removed in 6.15 by 01157ddc58dc
 *    ("kallsyms: Remove KALLSYMS_ABSOLUTE_PERCPU");
 *  - PC-relative: &kallsyms_offsets[i] + (s32)kallsyms_offsets[i], with no
 *    kallsyms_relative_base in VMCOREINFO (a081b5789255 "kallsyms: Get rid
 *    of kallsyms relative base", 2026).
 *
 * Every count and length comes from the dump and is bounded before use;
 * the tables are read in large batches, and nothing is added to the
 * symbol table unless the whole decode succeeds.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakext/core.h"
#include "leakext/text.h"
#include "standalone/symbols/kallsyms.h"

/* 512 since b8a94bfb3395 ("kallsyms: increase maximum kernel symbol length to 512"), 6.1 */
#define KSYM_NAME_LEN 512
#define SMALLEST_PAGE 4096
#define MAX_SYMS (4U << 20)		/* a kernel has ~150 000; 4M is far beyond */
#define MAX_NAMES_BYTES (64U << 20)	/* the stream: ~10 bytes a symbol */
#define RESERVE_SYMS (256U << 10)	/* symbols room is made for before decoding */
#define MAX_NAME_BYTES (256U << 20)	/* all decoded names together */
#define TOKENS 256
#define MAX_TOKEN_LEN KSYM_NAME_LEN
#define TOKEN_TABLE_MAX (65536 + MAX_TOKEN_LEN)	/* u16 index + the last token */
#define MAX_RECORD (2 + 0x7fff)		/* 2-byte len + its tokens */
#define BATCH (64U << 10)		/* bytes per read; >= MAX_RECORD */
#define MAX_ANCHOR_HITS 64		/* (anchor, symbol) pairs kept */
#define SHORT_TOKEN 16			/* tokens shorter are copied as one move */

struct tokens {
	char *table;		/* kallsyms_token_table as read */
	uint32_t off[TOKENS];
	uint16_t len[TOKENS];
	char short_copy[TOKENS][SHORT_TOKEN];	/* those shorter, zero-padded */
};

/* kallsyms_names, read through a sliding window. */
struct names_stream {
	const struct lx_target *t;
	uint64_t addr;		/* kallsyms_names */
	uint64_t start;		/* stream offset of buf[0] */
	uint8_t *buf;
	size_t len, cur;	/* bytes in buf; next unread one */
};

struct anchor_hit {
	unsigned int anchor;
	uint32_t sym;
};

/* Everything one load holds; freed by decode_free(). */
struct decode {
	const struct lx_target *t;
	const struct sa_kallsyms_addrs *a;
	struct sa_kallsyms_stats *stats;
	char *err;
	size_t errlen;
	struct tokens tok;
	uint8_t *values;	/* kallsyms_offsets or kallsyms_addresses, raw */
	unsigned int value_size;	/* 4 or 8 */
	uint64_t relative_base;
	struct lx_symtab *st;
	size_t first;		/* st->count before this load */
	uint8_t *skipped;	/* bit per symbol: its name was not added */
	uint64_t name_bytes;	/* decoded so far */
	unsigned int nanchors;	/* a->nanchors, bounded */
	size_t anchor_len[SA_KALLSYMS_ANCHORS];
	struct anchor_hit hits[MAX_ANCHOR_HITS];
	unsigned int nhits;
};

static uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static int fail(struct decode *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct decode *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, d->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The readable start of [addr, addr + len), for a target that is not page-granular. */
static size_t readable_prefix(const struct lx_target *t, uint64_t addr, uint8_t *buf,
			      size_t len)
{
	size_t lo = 0, hi = len, mid;

	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (lx_read(t, addr, buf, mid))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * Read up to want bytes at addr: in one read, or when that fails page by
 * page up to the first byte that cannot be read.  Returns the bytes read.
 */
static size_t read_some(const struct lx_target *t, uint64_t addr, uint8_t *buf,
			size_t want)
{
	/* The smallest page of any architecture: a read never crosses one. */
	uint64_t page = SMALLEST_PAGE;
	size_t got = 0, n;

	if (want > UINT64_MAX - addr)	/* never up to or past the top of the address space */
		want = UINT64_MAX - addr;
	if (!want || lx_read(t, addr, buf, want))
		return want;
	while (got < want) {
		n = page - ((addr + got) & (page - 1));
		if (n > want - got)
			n = want - got;
		if (!lx_read(t, addr + got, buf + got, n))
			return got + readable_prefix(t, addr + got, buf + got, n - 1);
		got += n;
	}
	return got;
}

/* Exactly len bytes of one table, or an error naming it and where. */
static int read_table(struct decode *d, const char *table, uint64_t addr,
		      void *buf, size_t len)
{
	size_t done = 0, got, n;

	while (done < len) {
		n = len - done < BATCH ? len - done : BATCH;
		got = read_some(d->t, addr + done, (uint8_t *)buf + done, n);
		done += got;
		if (got < n)
			return fail(d, "%s (%zu bytes at %#llx) is not in the dump from %#llx on",
				    table, len, (unsigned long long)addr,
				    (unsigned long long)(addr + done));
	}
	return 0;
}

static int read_num_syms(struct decode *d)
{
	uint8_t raw[4];
	uint32_t n;

	if (read_table(d, "kallsyms_num_syms", d->a->num_syms, raw, sizeof(raw)))
		return -1;
	n = lx_get_u32(raw, 0);
	d->stats->num_syms = n;
	if (!n || n > MAX_SYMS)
		return fail(d, "kallsyms_num_syms at %#llx is %u (corrupt: a kernel has 1 to %u)",
			    (unsigned long long)d->a->num_syms, n, MAX_SYMS);
	return 0;
}

/* The 256 tokens, each NUL-terminated inside the table and not too long. */
static int check_tokens(struct decode *d, size_t table_len)
{
	unsigned int i;

	for (i = 0; i < TOKENS; i++) {
		size_t off = d->tok.off[i], room = table_len - off;
		const char *end;

		if (room > MAX_TOKEN_LEN + 1)
			room = MAX_TOKEN_LEN + 1;
		end = memchr(d->tok.table + off, '\0', room);
		if (!end)
			return fail(d, "kallsyms_token_table at %#llx: token %u (at offset %zu) has no end within %u bytes (corrupt)",
				    (unsigned long long)d->a->token_table, i, off,
				    MAX_TOKEN_LEN);
		d->tok.len[i] = end - (d->tok.table + off);
		if (d->tok.len[i] < SHORT_TOKEN)
			memcpy(d->tok.short_copy[i], d->tok.table + off, d->tok.len[i]);
	}
	return 0;
}

static int read_tokens(struct decode *d)
{
	uint8_t index[TOKENS * 2];
	uint32_t max_off = 0;
	size_t want, got;
	unsigned int i;

	if (read_table(d, "kallsyms_token_index", d->a->token_index, index, sizeof(index)))
		return -1;
	for (i = 0; i < TOKENS; i++) {
		d->tok.off[i] = get_le16(index + 2 * i);
		if (d->tok.off[i] > max_off)
			max_off = d->tok.off[i];
	}
	/* The last token's end is found in what follows it, if readable. */
	want = max_off + MAX_TOKEN_LEN + 1;
	d->tok.table = malloc(want);
	if (!d->tok.table)
		return fail(d, "out of memory");
	got = read_some(d->t, d->a->token_table, (uint8_t *)d->tok.table, want);
	if (got <= max_off)
		return fail(d, "kallsyms_token_table (%u bytes at %#llx) is not in the dump from %#llx on",
			    max_off + 1, (unsigned long long)d->a->token_table,
			    (unsigned long long)(d->a->token_table + got));
	return check_tokens(d, got);
}

/*
 * The dump is advised of the names stream (as long as NAME_RECORD_GUESS
 * bytes a symbol make it: 13 on a 6.1 kernel) before the values are read,
 * so that its decoding threads inflate the stream while the values are
 * read and the names decoded.
 */
#define NAME_RECORD_GUESS 16

static void advise_names(const struct decode *d)
{
	uint64_t len = (uint64_t)d->stats->num_syms * NAME_RECORD_GUESS;

	lx_prefetch(d->t, d->a->names, len < MAX_NAMES_BYTES ? len : MAX_NAMES_BYTES);
}

/* kallsyms_offsets or kallsyms_addresses, whole. */
static int read_values(struct decode *d)
{
	uint64_t addr = d->a->offsets ? d->a->offsets : d->a->addresses;
	const char *table = d->a->offsets ? "kallsyms_offsets" : "kallsyms_addresses";
	size_t len;
	uint8_t probe[8];

	/* offsets are s32s; absolute addresses unsigned longs */
	d->value_size = d->a->offsets ? 4 : lx_word_size(d->t);
	len = (size_t)d->stats->num_syms * d->value_size;
	if (addr > UINT64_MAX - len)
		return fail(d, "%s at %#llx: %u entries run past the end of the address space (corrupt)",
			    table, (unsigned long long)addr, d->stats->num_syms);
	/* The last entry first: a count far too big fails before any allocation. */
	if (read_some(d->t, addr + len - d->value_size, probe, d->value_size) < d->value_size)
		return fail(d, "%s (%zu bytes at %#llx): its last entry, at %#llx, is not in the dump",
			    table, len, (unsigned long long)addr,
			    (unsigned long long)(addr + len - d->value_size));
	d->values = malloc(len);
	if (!d->values)
		return fail(d, "out of memory");
	advise_names(d);
	lx_prefetch(d->t, addr, len);
	return read_table(d, table, addr, d->values, len);
}

static int read_relative_base(struct decode *d)
{
	uint8_t raw[8];

	if (!d->a->offsets || !d->a->relative_base)
		return 0;
	/* an unsigned long */
	if (read_table(d, "kallsyms_relative_base", d->a->relative_base, raw,
		       lx_word_size(d->t)))
		return -1;
	d->relative_base = lx_word_value(raw, lx_word_size(d->t));
	return 0;
}

/* At least n bytes at the cursor; refills the window from the dump. */
static int stream_need(struct decode *d, struct names_stream *s, size_t n)
{
	size_t keep = s->len - s->cur, want, got;
	uint64_t end = s->start + s->len;

	if (keep >= n)
		return 0;
	memmove(s->buf, s->buf + s->cur, keep);
	s->start += s->cur;
	s->cur = 0;
	s->len = keep;
	want = BATCH - keep;
	if (want > MAX_NAMES_BYTES - end)
		want = MAX_NAMES_BYTES - end;
	got = read_some(s->t, s->addr + end, s->buf + keep, want);
	s->len += got;
	if (s->len >= n)
		return 0;
	if (end + got >= MAX_NAMES_BYTES)
		return fail(d, "kallsyms_names at %#llx runs past %u MiB (corrupt)",
			    (unsigned long long)s->addr, MAX_NAMES_BYTES >> 20);
	return fail(d, "kallsyms_names (at %#llx) is not in the dump from %#llx on",
		    (unsigned long long)s->addr, (unsigned long long)(s->addr + end + got));
}

/* The record's token count; the cursor moves to its first token. */
static int record_length(struct decode *d, struct names_stream *s, size_t *len)
{
	uint8_t b0;

	if (stream_need(d, s, 1))
		return -1;
	b0 = s->buf[s->cur];
	if (!(b0 & 0x80)) {
		*len = b0;
		s->cur++;
		return 0;
	}
	if (stream_need(d, s, 2))
		return -1;
	*len = (b0 & 0x7f) | (size_t)s->buf[s->cur + 1] << 7;
	s->cur += 2;
	return 0;
}

static bool printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == ' ' || !lx_is_printable(s[i]))
			return false;
	return true;
}

/*
 * Expand len tokens at the cursor into out (type letter first), which has
 * SHORT_TOKEN - 1 bytes of room past KSYM_NAME_LEN + 1; returns the
 * expanded length, or KSYM_NAME_LEN + 1 when longer than the kernel allows
 * a type letter and a name.  A short token is copied as SHORT_TOKEN bytes
 * (one move, not a call: a name is about ten tokens), its padding
 * overwritten by the next token or ignored.
 */
static size_t expand(const struct tokens *tok, const uint8_t *codes, size_t len,
		     char *out)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++) {
		unsigned int c = codes[i];

		if (n + tok->len[c] > KSYM_NAME_LEN)
			return KSYM_NAME_LEN + 1;
		if (tok->len[c] < SHORT_TOKEN)
			memcpy(out + n, tok->short_copy[c], SHORT_TOKEN);
		else
			memcpy(out + n, tok->table + tok->off[c], tok->len[c]);
		n += tok->len[c];
	}
	return n;
}

static void note_anchor(struct decode *d, const char *name, size_t len, uint32_t sym)
{
	unsigned int i;

	for (i = 0; i < d->nanchors && d->nhits < MAX_ANCHOR_HITS; i++) {
		if (len == d->anchor_len[i] && !memcmp(name, d->a->anchors[i].name, len)) {
			d->hits[d->nhits].anchor = i;
			d->hits[d->nhits].sym = sym;
			d->nhits++;
		}
	}
}

static void skip(struct decode *d, uint32_t sym)
{
	d->skipped[sym / 8] |= 1 << (sym % 8);
}

static bool was_skipped(const struct decode *d, uint32_t sym)
{
	return d->skipped[sym / 8] & (1 << (sym % 8));
}

/* Added now, at address 0: the layout is chosen once every name is read. */
static int add_name(struct decode *d, const char *name, size_t len)
{
	d->name_bytes += len + 1;
	if (d->name_bytes > MAX_NAME_BYTES)
		return fail(d, "kallsyms_names at %#llx decodes to more than %u MiB of names (corrupt)",
			    (unsigned long long)d->a->names, MAX_NAME_BYTES >> 20);
	if (!lx_symtab_add(d->st, 0, 0, name, NULL))
		return fail(d, "out of memory adding kallsyms symbols");
	return 0;
}

/* One record: its name added, or counted and skipped. */
static int decode_one(struct decode *d, struct names_stream *s, uint32_t sym)
{
	char text[KSYM_NAME_LEN + SHORT_TOKEN];
	size_t len, n;

	if (record_length(d, s, &len) || stream_need(d, s, len))
		return -1;
	n = expand(&d->tok, s->buf + s->cur, len, text);
	s->cur += len;
	if (n > KSYM_NAME_LEN) {
		d->stats->long_names++;
		skip(d, sym);
		return 0;
	}
	/* text[0] is the type letter; the name follows it. */
	if (n < 2 || !printable(text, n)) {
		d->stats->bad_names++;
		skip(d, sym);
		return 0;
	}
	text[n] = '\0';
	note_anchor(d, text + 1, n - 1, sym);
	return add_name(d, text + 1, n - 1);
}

/*
 * Room for the table at once, on huge pages (symtab.c), up to what a big
 * kernel has: a corrupt count beyond that grows the table name by name.
 */
static uint32_t symbols_to_reserve(const struct decode *d)
{
	return d->stats->num_syms < RESERVE_SYMS ? d->stats->num_syms : RESERVE_SYMS;
}

static int decode_names(struct decode *d)
{
	struct names_stream s = { .t = d->t, .addr = d->a->names };
	uint32_t i;
	int ret = 0;

	d->skipped = calloc(d->stats->num_syms / 8 + 1, 1);
	s.buf = malloc(BATCH);
	if (!d->skipped || !s.buf ||
	    !lx_symtab_reserve(d->st, d->st->count + symbols_to_reserve(d))) {
		free(s.buf);
		return fail(d, "out of memory");
	}
	d->nanchors = d->a->nanchors < SA_KALLSYMS_ANCHORS ? d->a->nanchors :
		      SA_KALLSYMS_ANCHORS;
	for (i = 0; i < d->nanchors; i++)
		d->anchor_len[i] = d->a->anchors[i].name ? strlen(d->a->anchors[i].name) : 0;
	for (i = 0; i < d->stats->num_syms && !ret; i++)
		ret = decode_one(d, &s, i);
	d->stats->names_bytes = s.start + s.cur;
	free(s.buf);
	return ret;
}

static uint64_t symbol_address(const struct decode *d, enum sa_kallsyms_layout layout,
			       uint32_t i)
{
	const uint8_t *v = d->values + (size_t)i * d->value_size;
	int32_t off;

	if (layout == SA_KALLSYMS_ABSOLUTE)
		return lx_word_value(v, d->value_size);
	off = (int32_t)lx_get_u32(v, 0);
	switch (layout) {
	case SA_KALLSYMS_BASE_RELATIVE:
		return d->relative_base + (uint32_t)off;
	case SA_KALLSYMS_ABSOLUTE_PERCPU:
		if (off >= 0)
			return (uint64_t)off;
		return d->relative_base - 1 - (int64_t)off;
	case SA_KALLSYMS_PC_RELATIVE:
		return d->a->offsets + 4ULL * i + (int64_t)off;
	default:
		return 0;
	}
}

/* How many anchors the layout puts at VMCOREINFO's address. */
static unsigned int anchors_matched(const struct decode *d, enum sa_kallsyms_layout layout)
{
	bool matched[SA_KALLSYMS_ANCHORS] = { false };
	unsigned int i, count = 0;

	for (i = 0; i < d->nhits; i++) {
		const struct anchor_hit *h = &d->hits[i];

		if (!matched[h->anchor] &&
		    symbol_address(d, layout, h->sym) == d->a->anchors[h->anchor].addr) {
			matched[h->anchor] = true;
			count++;
		}
	}
	return count;
}

static unsigned int anchors_found(const struct decode *d)
{
	bool found[SA_KALLSYMS_ANCHORS] = { false };
	unsigned int i, count = 0;

	for (i = 0; i < d->nhits; i++) {
		if (!found[d->hits[i].anchor]) {
			found[d->hits[i].anchor] = true;
			count++;
		}
	}
	return count;
}

/* The layouts the tables VMCOREINFO names can hold. */
static unsigned int candidate_layouts(const struct decode *d, enum sa_kallsyms_layout *out)
{
	unsigned int n = 0;

	if (!d->a->offsets) {
		out[n++] = SA_KALLSYMS_ABSOLUTE;
	} else if (d->a->relative_base) {
		out[n++] = SA_KALLSYMS_BASE_RELATIVE;
		out[n++] = SA_KALLSYMS_ABSOLUTE_PERCPU;
	} else {
		out[n++] = SA_KALLSYMS_PC_RELATIVE;
	}
	return n;
}

static int choose_layout(struct decode *d)
{
	enum sa_kallsyms_layout layouts[3];
	unsigned int n = candidate_layouts(d, layouts), i, best = 0, score;
	bool tie = false;

	d->stats->anchors_found = anchors_found(d);
	if (!d->stats->anchors_found)
		return fail(d, "kallsyms names none of the symbols VMCOREINFO places (_stext, init_uts_ns, ...): cannot check how its addresses are stored");
	for (i = 0; i < n; i++) {
		score = anchors_matched(d, layouts[i]);
		if (score > best) {
			best = score;
			tie = false;
			d->stats->layout = layouts[i];
		} else if (score && score == best) {
			tie = true;
		}
	}
	d->stats->anchors_matched = best;
	if (!best || tie) {
		d->stats->layout = SA_KALLSYMS_UNKNOWN;
		return fail(d, "kallsyms_%s at %#llx: %s reading puts the %u symbols VMCOREINFO also places where it says (corrupt, or a layout leakext does not know)",
			    d->a->offsets ? "offsets" : "addresses",
			    (unsigned long long)(d->a->offsets ? d->a->offsets : d->a->addresses),
			    tie ? "more than one" : "no", d->stats->anchors_found);
	}
	return 0;
}

/* The names added by decode_names() get their addresses. */
static void set_addresses(struct decode *d)
{
	struct lx_symbol *sym = d->st->syms + d->first;
	uint32_t i;

	for (i = 0; i < d->stats->num_syms; i++)
		if (!was_skipped(d, i))
			(sym++)->addr = symbol_address(d, d->stats->layout, i);
	d->stats->added = d->st->count - d->first;
}

static void decode_free(struct decode *d)
{
	free(d->tok.table);
	free(d->values);
	free(d->skipped);
}

static bool addrs_complete(const struct sa_kallsyms_addrs *a)
{
	return a->names && a->num_syms && a->token_table && a->token_index &&
	       (a->offsets || a->addresses);
}

int sa_kallsyms_load_stats(const struct lx_target *t, const struct sa_kallsyms_addrs *a,
			   struct lx_symtab *st, struct sa_kallsyms_stats *stats,
			   char *err, size_t errlen)
{
	struct sa_kallsyms_stats local;
	struct decode d = { .t = t, .a = a, .st = st, .first = st->count,
			    .err = err, .errlen = errlen };
	int ret;

	d.stats = stats ? stats : &local;
	memset(d.stats, 0, sizeof(*d.stats));
	if (!addrs_complete(a))
		return fail(&d, "the dump's VMCOREINFO has no kallsyms (kernel older than 6.0?): pass the debug vmlinux");
	ret = read_num_syms(&d) || read_tokens(&d) || read_values(&d) ||
	      read_relative_base(&d) || decode_names(&d) || choose_layout(&d) ? -1 : 0;
	if (ret)
		lx_symtab_truncate(st, d.first);
	else
		set_addresses(&d);
	decode_free(&d);
	return ret;
}

int sa_kallsyms_load(const struct lx_target *t, const struct sa_kallsyms_addrs *a,
		     struct lx_symtab *st, char *err, size_t errlen)
{
	return sa_kallsyms_load_stats(t, a, st, NULL, err, errlen);
}

const char *sa_kallsyms_layout_name(enum sa_kallsyms_layout layout)
{
	switch (layout) {
	case SA_KALLSYMS_ABSOLUTE: return "absolute";
	case SA_KALLSYMS_BASE_RELATIVE: return "base-relative";
	case SA_KALLSYMS_ABSOLUTE_PERCPU: return "absolute-percpu";
	case SA_KALLSYMS_PC_RELATIVE: return "pc-relative";
	default: return "unknown";
	}
}

/*
 * VMCOREINFO SYMBOL()s that are the address of a kernel symbol of that
 * name, on some architecture.  Not mem_section or vmemmap: their SYMBOL()
 * is the array's value (VMCOREINFO_SYMBOL_ARRAY), not its address.
 */
static const char *const anchor_names[SA_KALLSYMS_ANCHORS] = {
	"_stext", "init_uts_ns", "swapper_pg_dir", "init_top_pgt", "node_data",
	"prb", "printk_rb_static", "clear_seq", "vmap_area_list", "mem_map",
	"contig_page_data", "high_memory",
};

/* A VMCOREINFO address: 1 to 16 hex digits (the kernel prints %lx). */
static int parse_address(const char *key, const char *text, uint64_t *out,
			 char *err, size_t errlen)
{
	size_t len, i;
	uint64_t v = 0;

	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	len = strlen(text);
	for (i = 0; i < len && len <= 16; i++) {
		char c = text[i];
		unsigned int digit = c >= '0' && c <= '9' ? c - '0' :
				     c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				     c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;

		if (digit > 15)
			break;
		v = v << 4 | digit;
	}
	if (!len || len > 16 || i != len || !v) {
		snprintf(err, errlen, "corrupt VMCOREINFO: %s is not a kernel address", key);
		return -1;
	}
	*out = v;
	return 0;
}

static int lookup_symbol(const char *name, uint64_t *out,
			 const char *(*lookup)(void *arg, const char *key), void *arg,
			 char *err, size_t errlen)
{
	char key[64];
	const char *text;

	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	*out = 0;
	text = lookup(arg, key);
	return text ? parse_address(key, text, out, err, errlen) : 0;
}

int sa_vmcoreinfo_anchors(struct sa_kallsyms_anchor *anchors, unsigned int *n,
			  const char *(*lookup)(void *arg, const char *key), void *arg,
			  char *err, size_t errlen)
{
	unsigned int i;
	uint64_t addr;

	*n = 0;
	for (i = 0; i < SA_KALLSYMS_ANCHORS; i++) {
		if (lookup_symbol(anchor_names[i], &addr, lookup, arg, err, errlen))
			return -1;
		if (addr) {
			anchors[*n].name = anchor_names[i];
			anchors[(*n)++].addr = addr;
		}
	}
	return 0;
}

int sa_kallsyms_addrs_from_vmcoreinfo(struct sa_kallsyms_addrs *a,
				      const char *(*lookup)(void *arg, const char *key),
				      void *arg, char *err, size_t errlen)
{
	struct { const char *name; uint64_t *field; } tables[] = {
		{ "kallsyms_names", &a->names },
		{ "kallsyms_num_syms", &a->num_syms },
		{ "kallsyms_token_table", &a->token_table },
		{ "kallsyms_token_index", &a->token_index },
		{ "kallsyms_offsets", &a->offsets },
		{ "kallsyms_relative_base", &a->relative_base },
		{ "kallsyms_addresses", &a->addresses },
	};
	unsigned int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (lookup_symbol(tables[i].name, tables[i].field, lookup, arg, err, errlen))
			return -1;
	if (sa_vmcoreinfo_anchors(a->anchors, &a->nanchors, lookup, arg, err, errlen))
		return -1;
	if (!addrs_complete(a)) {
		snprintf(err, errlen, "the dump's VMCOREINFO has no kallsyms (kernel older than 6.0?): pass the debug vmlinux");
		return -1;
	}
	return 0;
}
