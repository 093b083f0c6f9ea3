// SPDX-License-Identifier: GPL-2.0-or-later
/* Terminal-safe text: escapes, hex lines, wrapped lines (text.h). */
#include <ctype.h>
#include <string.h>

#include "leakext/text.h"

/* The escape of one byte into esc[5]; quote also escapes '"'. */
static const char *escape_byte(uint8_t c, bool quote, char esc[5])
{
	if (c == '\\' || (quote && c == '"'))
		snprintf(esc, 5, "\\%c", c);
	else if (c == '\n')
		snprintf(esc, 5, "\\n");
	else if (c == '\t')
		snprintf(esc, 5, "\\t");
	else if (!lx_is_printable(c))
		snprintf(esc, 5, "\\x%02x", c);
	else
		snprintf(esc, 5, "%c", c);
	return esc;
}

char *lx_escape(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t i, n = 0, k;
	char esc[5];

	if (!dstlen)
		return dst;
	for (i = 0; i < srclen && src[i]; i++) {
		k = strlen(escape_byte(src[i], false, esc));
		if (n + k >= dstlen)
			break;
		memcpy(dst + n, esc, k);
		n += k;
	}
	dst[n] = '\0';
	return dst;
}

void lx_sanitize(char *s)
{
	for (; *s; s++)
		if (!lx_is_printable(*s))
			*s = '.';
}

void lx_print_escaped(FILE *out, const uint8_t *p, size_t len, size_t max,
		      size_t cols)
{
	size_t i, used = 2;	/* the quotes */
	char esc[5];

	fputc('"', out);
	for (i = 0; i < len && i < max; i++) {
		escape_byte(p[i], true, esc);
		if (used + strlen(esc) > cols)
			break;
		used += strlen(esc);
		fputs(esc, out);
	}
	fputs(i < len ? "\"..." : "\"", out);
}

void lx_print_hex_line(FILE *out, const char *prefix, uint64_t label, int width,
		       const uint8_t *p, size_t len)
{
	size_t i;

	fprintf(out, "%s%0*llx:  ", prefix, width, (unsigned long long)label);
	for (i = 0; i < 16; i++) {
		if (i < len)
			fprintf(out, "%02x ", p[i]);
		else
			fputs("   ", out);
		if (i == 7)
			fputc(' ', out);
	}
	fputs(" ", out);
	for (i = 0; i < len && i < 16; i++)
		fputc(lx_is_printable(p[i]) ? p[i] : '.', out);
	fputc('\n', out);
}

void lx_print_wrapped(FILE *out, const char *first, const char *next,
		      const char *text)
{
	const char *prefix = first;
	size_t room, n;

	do {
		room = LX_REPORT_WIDTH > strlen(prefix) + 20 ?
		       LX_REPORT_WIDTH - strlen(prefix) : 20;
		n = strlen(text);
		if (n > room) {	/* break at the last space that fits */
			for (n = room; n > 0 && text[n] != ' '; n--)
				;
			if (!n)
				n = room;
		}
		fprintf(out, "%s%.*s\n", prefix, (int)n, text);
		text += n;
		while (*text == ' ')
			text++;
		prefix = next;
	} while (*text);
}

void lx_progress_line(char *buf, size_t len, unsigned int cols, const char *what,
		      const char *phase, uint64_t done, uint64_t total)
{
	char safe_what[256], safe_phase[64], tail[96];
	size_t room, n;

	lx_escape(safe_phase, sizeof(safe_phase), phase, strlen(phase));
	if (total)
		snprintf(tail, sizeof(tail), "%s %llu%%", safe_phase,
			 (unsigned long long)(done * 100 / total));
	else if (done)
		snprintf(tail, sizeof(tail), "%s %llu", safe_phase, (unsigned long long)done);
	else	/* a phase with nothing to count */
		snprintf(tail, sizeof(tail), "%s", safe_phase);
	lx_escape(safe_what, sizeof(safe_what), what, strlen(what));
	cols = cols < 40 ? 40 : cols;
	/* "leakscan: " + what + ": " + tail, in cols - 1 columns */
	room = cols - 1 > 12 + strlen(tail) ? cols - 1 - 12 - strlen(tail) : 0;
	n = strlen(safe_what);
	if (n > room)
		snprintf(buf, len, "leakscan: ...%s: %s",
			 safe_what + n - (room > 3 ? room - 3 : 0), tail);
	else
		snprintf(buf, len, "leakscan: %s: %s", safe_what, tail);
	if (strlen(buf) > cols - 1)
		buf[cols - 1] = '\0';
}

bool lx_is_identifier(const char *name)
{
	if (!isalpha((unsigned char)*name) && *name != '_')
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '_')
			return false;
	return true;
}
