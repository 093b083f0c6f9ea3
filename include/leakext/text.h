/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text that leaves leakext for a terminal: which bytes are printable, how
 * the others are escaped, hex lines and wrapped lines.  Every printer of
 * dump bytes goes through here (JSON strings: json.c).
 */
#ifndef LEAKEXT_TEXT_H
#define LEAKEXT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LX_REPORT_WIDTH 100	/* report lines stay within this */

/* Printable ASCII: what may reach a terminal as it is. */
/* The value of one hex digit (either case), or -1. */
static inline int lx_hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static inline bool lx_is_printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

/* A byte of text: printable, or the white space text buffers hold. */
static inline bool lx_is_text_char(uint8_t c)
{
	return lx_is_printable(c) || c == '\n' || c == '\t' || c == '\r';
}

/* End of the run of text bytes that starts at pos. */
static inline size_t lx_text_run(const uint8_t *obj, size_t pos, size_t len)
{
	while (pos < len && lx_is_text_char(obj[pos]))
		pos++;
	return pos;
}

/*
 * Escape into dst (always terminated): printable ASCII stays, \n \t and
 * \xNN for the rest, '\\' doubled; an escape never cut.  Returns dst.
 */
char *lx_escape(char *dst, size_t dstlen, const char *src, size_t srclen);
/* Make dump bytes safe for a terminal in place: others become '.'. */
void lx_sanitize(char *s);
/* Only a C identifier can name a struct ("kmalloc-64" cannot). */
bool lx_is_identifier(const char *name);
/*
 * "..." with C escapes for at most max bytes of p[0..len), and at most
 * cols output columns; "..." after the quote when cut.
 */
void lx_print_escaped(FILE *out, const uint8_t *p, size_t len, size_t max,
		      size_t cols);
/* One hex + ASCII line of up to 16 bytes, labelled prefix + label. */
void lx_print_hex_line(FILE *out, const char *prefix, uint64_t label, int width,
		       const uint8_t *p, size_t len);
/*
 * text after first, wrapped at spaces to LX_REPORT_WIDTH columns, each
 * further line after next (the indent).
 */
void lx_print_wrapped(FILE *out, const char *first, const char *next,
		      const char *text);

/*
 * A progress line for a terminal of cols columns, without the newline:
 * "leakscan: WHAT: PHASE 42%" (a count when total is 0, the phase alone
 * when done is 0 too), WHAT cut from
 * the left so that the line always fits.  All parts are escaped.
 */
void lx_progress_line(char *buf, size_t len, unsigned int cols, const char *what,
		      const char *phase, uint64_t done, uint64_t total);

#endif
