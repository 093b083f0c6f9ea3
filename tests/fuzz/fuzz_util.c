// SPDX-License-Identifier: GPL-2.0-or-later
/* Input reading and output oracles for the harnesses. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_util.h"

uint8_t fz_u8(struct fz_input *in)
{
	uint8_t v = 0;

	fz_bytes(in, &v, 1);
	return v;
}

uint16_t fz_u16(struct fz_input *in)
{
	uint8_t b[2] = { 0, 0 };

	fz_bytes(in, b, 2);
	return b[0] | b[1] << 8;
}

size_t fz_bytes(struct fz_input *in, void *dst, size_t len)
{
	size_t n = len < in->left ? len : in->left;

	memcpy(dst, in->p, n);
	in->p += n;
	in->left -= n;
	return n;
}

void fz_fail(const char *what, const char *detail, size_t len)
{
	fprintf(stderr, "fuzz oracle failed: %s\n", what);
	if (detail)
		fprintf(stderr, "---\n%.*s\n---\n", (int)(len < 4000 ? len : 4000), detail);
	abort();
}

int fz_memfd(const char *name, const uint8_t *data, size_t size)
{
	int fd = memfd_create(name, 0);

	if (fd >= 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void fz_check_open_message(const char *err, size_t errlen)
{
	if (!memchr(err, '\0', errlen) || !fz_text_is_safe(err, strlen(err)))
		fz_fail("open failed without a terminal-safe message", err, errlen);
}

bool fz_text_is_safe(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = text[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f)
			return false;
	}
	return true;
}

/* Written apart from src/report/json.c on purpose: the oracle must not share its bugs. */
size_t fz_utf8_len(const uint8_t *p, size_t avail)
{
	static const struct { uint8_t lo, hi; size_t len; uint32_t min; } lead[] = {
		{ 0xc2, 0xdf, 2, 0x80 }, { 0xe0, 0xef, 3, 0x800 },
		{ 0xf0, 0xf4, 4, 0x10000 },
	};
	uint32_t cp;
	size_t i, k;

	for (k = 0; k < 3; k++)
		if (p[0] >= lead[k].lo && p[0] <= lead[k].hi)
			break;
	if (k == 3 || lead[k].len > avail)
		return 0;
	cp = p[0] & (0x7f >> lead[k].len);
	for (i = 1; i < lead[k].len; i++) {
		if (p[i] >> 6 != 2)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < lead[k].min || cp > 0x10ffff || (cp >> 11) == 0x1b)
		return 0;
	return lead[k].len;
}

bool fz_json_text_is_safe(const char *text, size_t len)
{
	const uint8_t *p = (const uint8_t *)text;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] >= 0x80) {
			n = fz_utf8_len(p + i, len - i);
			if (!n)
				return false;
			i += n;
			continue;
		}
		if ((p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f)
			return false;
		i++;
	}
	return true;
}

void fz_check_report(const char *out, size_t outlen, const char *messages, bool json)
{
	if (json && outlen && !fz_json_documents_valid(out, outlen))
		fz_fail("invalid JSON", out, outlen);
	if (json ? !fz_json_text_is_safe(out, outlen) : !fz_text_is_safe(out, outlen))
		fz_fail("unsafe byte in the report", out, outlen);
	if (!fz_text_is_safe(messages, strlen(messages)))
		fz_fail("unsafe byte in a message", messages, strlen(messages));
}

/* A small recursive-descent JSON checker (RFC 8259 grammar). */
struct json_cursor {
	const char *p, *end;
	int depth;
};

static bool json_value(struct json_cursor *c);

static void json_blank(struct json_cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
}

static bool json_take(struct json_cursor *c, char ch)
{
	json_blank(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
	       (ch >= 'A' && ch <= 'F');
}

static bool json_escape(struct json_cursor *c)
{
	int i;

	if (c->p >= c->end)
		return false;
	if (strchr("\"\\/bfnrt", *c->p)) {
		c->p++;
		return true;
	}
	if (*c->p++ != 'u' || c->end - c->p < 4)
		return false;
	for (i = 0; i < 4; i++)
		if (!is_hex(*c->p++))
			return false;
	return true;
}

static bool json_string(struct json_cursor *c)
{
	if (!json_take(c, '"'))
		return false;
	while (c->p < c->end) {
		unsigned char ch = *c->p++;

		if (ch == '"')
			return true;
		if (ch < 0x20)
			return false;
		if (ch == '\\' && !json_escape(c))
			return false;
	}
	return false;
}

static bool json_digits(struct json_cursor *c)
{
	const char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > start;
}

static bool json_number(struct json_cursor *c)
{
	if (c->p < c->end && *c->p == '-')
		c->p++;
	if (c->p < c->end && *c->p == '0')
		c->p++;
	else if (!json_digits(c))
		return false;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (!json_digits(c))
			return false;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (!json_digits(c))
			return false;
	}
	return true;
}

static bool json_word(struct json_cursor *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n))
		return false;
	c->p += n;
	return true;
}

static bool json_members(struct json_cursor *c, bool object)
{
	char close = object ? '}' : ']';

	if (json_take(c, close))
		return true;
	do {
		if (object && (!json_string(c) || !json_take(c, ':')))
			return false;
		if (!json_value(c))
			return false;
	} while (json_take(c, ','));
	return json_take(c, close);
}

static bool json_value(struct json_cursor *c)
{
	bool ok;

	json_blank(c);
	if (c->p >= c->end || ++c->depth > 64)
		return false;
	switch (*c->p) {
	case '{':
	case '[':
		ok = json_members(c, *c->p++ == '{');
		break;
	case '"':
		ok = json_string(c);
		break;
	case 't':
		ok = json_word(c, "true");
		break;
	case 'f':
		ok = json_word(c, "false");
		break;
	case 'n':
		ok = json_word(c, "null");
		break;
	default:
		ok = json_number(c);
	}
	c->depth--;
	return ok;
}

bool fz_json_documents_valid(const char *text, size_t len)
{
	struct json_cursor c = { text, text + len, 0 };
	int docs = 0;

	for (;;) {
		while (c.p < c.end && (*c.p == '\n' || *c.p == ' '))
			c.p++;
		if (c.p == c.end)
			return docs > 0;
		if (!json_value(&c))
			return false;
		docs++;
		json_blank(&c);
		if (c.p < c.end && *c.p != '\n')
			return false;
	}
}
