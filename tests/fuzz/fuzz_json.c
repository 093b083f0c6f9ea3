// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lx_json_string() and lx_escape() on arbitrary bytes.  The JSON string
 * must be one valid JSON string of valid UTF-8 with no raw control byte,
 * and decode to the input with every byte that is not part of well-formed
 * UTF-8 spelled \xNN (README); the escaped text must be printable ASCII
 * and decode back to the input.  Both up to the input's first NUL, and for
 * lx_escape up to where the destination filled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "leakext/core.h"
#include "report/report.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex_byte(const char *p, int digits)
{
	int v = 0, i, d;

	for (i = 0; i < digits; i++) {
		d = hex_value(p[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Decode one escape at p (after the backslash); -1 if malformed. */
static int unescape(const char *p, size_t left, bool json, size_t *used)
{
	switch (left ? *p : 0) {
	case '\\':
	case '"':
		*used = 1;
		return json || *p == '\\' ? *p : -1;
	case 'n':
		*used = 1;
		return '\n';
	case 't':
		*used = 1;
		return '\t';
	case 'u':
		*used = 5;
		return json && left >= 5 && !memcmp(p + 1, "00", 2) ? hex_byte(p + 3, 2) : -1;
	case 'x':
		*used = 3;
		return !json && left >= 3 ? hex_byte(p + 1, 2) : -1;
	}
	return -1;
}

/* Decode text[0..len) into out; false if it holds a raw unsafe byte. */
static bool decode(const char *text, size_t len, bool json, char *out, size_t *outlen)
{
	size_t i = 0, used;
	int c;

	*outlen = 0;
	while (i < len) {
		unsigned char ch = text[i];

		if (json && ch >= 0x80) {	/* raw UTF-8 stays raw */
			used = fz_utf8_len((const uint8_t *)text + i, len - i);
			if (!used)
				return false;
			memcpy(out + *outlen, text + i, used);
			*outlen += used;
			i += used;
			continue;
		}
		i++;
		if (ch < 0x20 || ch > 0x7e || (json && ch == '"'))
			return false;
		if (ch != '\\') {
			out[(*outlen)++] = ch;
			continue;
		}
		c = unescape(text + i, len - i, json, &used);
		if (c < 0)
			return false;
		out[(*outlen)++] = c;
		i += used;
	}
	return true;
}

/* What a JSON string must decode to: bytes outside valid UTF-8 as \xNN. */
static size_t json_expected(const uint8_t *data, size_t want, char *out)
{
	size_t i = 0, n = 0, k;

	while (i < want) {
		k = data[i] < 0x80 ? 1 : fz_utf8_len(data + i, want - i);
		if (!k) {
			n += sprintf(out + n, "\\x%02x", data[i]);
			i++;
			continue;
		}
		memcpy(out + n, data + i, k);
		n += k;
		i += k;
	}
	return n;
}

static size_t until_nul(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);

	return nul ? (size_t)(nul - data) : size;
}

static void check_json_string(const uint8_t *data, size_t size)
{
	char *text = NULL, *back = malloc(4 * size + 1), *expect = malloc(4 * size + 1);
	size_t len = 0, backlen, want = until_nul(data, size), expect_len;
	FILE *out = open_memstream(&text, &len);

	lx_json_string(out, (const char *)data, size);
	fclose(out);
	if (!fz_json_documents_valid(text, len) || len < 2 || text[0] != '"')
		fz_fail("lx_json_string: not one valid JSON string", text, len);
	if (!fz_json_text_is_safe(text, len) || !decode(text + 1, len - 2, true, back, &backlen))
		fz_fail("lx_json_string: raw unsafe byte or invalid UTF-8", text, len);
	expect_len = json_expected(data, want, expect);
	if (backlen != expect_len || memcmp(back, expect, expect_len))
		fz_fail("lx_json_string: does not decode to the input", text, len);
	free(text);
	free(back);
	free(expect);
}

static void check_escape(const uint8_t *data, size_t size, size_t dstlen)
{
	char *dst = malloc(dstlen ? dstlen : 1), *back = malloc(dstlen + 1);
	size_t n, backlen;

	memset(dst, 0x5a, dstlen ? dstlen : 1);
	lx_escape(dst, dstlen, (const char *)data, size);
	if (!dstlen) {
		if (dst[0] != 0x5a)
			fz_fail("lx_escape wrote into a zero-sized buffer", NULL, 0);
		goto out;
	}
	n = strnlen(dst, dstlen);
	if (n == dstlen)
		fz_fail("lx_escape: result not terminated", dst, dstlen);
	if (!decode(dst, n, false, back, &backlen))
		fz_fail("lx_escape: raw unsafe byte or malformed escape", dst, n);
	if (backlen > until_nul(data, size) || memcmp(back, data, backlen))
		fz_fail("lx_escape: not a prefix of the input", dst, n);
	/* It stops only when the next escape would not fit (at most 4 bytes). */
	if (backlen < until_nul(data, size) && n + 5 <= dstlen)
		fz_fail("lx_escape: stopped early", dst, n);
out:
	free(dst);
	free(back);
}

static void check_sanitize(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	lx_sanitize(s);
	if (!fz_text_is_safe(s, strlen(s)) || strchr(s, '\n') || strchr(s, '\t'))
		fz_fail("lx_sanitize: unsafe byte left", s, strlen(s));
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t dstlen = size ? data[0] : 0;

	check_json_string(data, size);
	check_escape(data + !!size, size - !!size, dstlen);
	check_escape(data, size, 4 * size + 1);
	check_sanitize(data, size);
	return 0;
}
