// SPDX-License-Identifier: GPL-2.0-or-later
/* A small bounded JSON parser for saved reports (see json_reader.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakext/text.h"
#include "standalone/json_reader.h"

struct parser {
	struct sa_json *j;
	char *buf;
	size_t len, pos;
	unsigned int depth;
	char *err;
	size_t errlen;
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	int n = snprintf(p->err, p->errlen, "at column %zu: ", p->pos + 1);
	va_list ap;

	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void skip_space(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->buf[p->pos]) && p->buf[p->pos])
		p->pos++;
}

/* A new node in *index; -1 when the limit is reached. */
static int new_node(struct parser *p, enum sa_json_type type, uint32_t *index)
{
	struct sa_json *j = p->j;
	struct sa_json_node *grown;
	uint32_t cap;

	if (j->n == j->cap) {
		if (j->cap >= SA_JSON_MAX_NODES)
			return fail(p, "more than %u values", SA_JSON_MAX_NODES);
		cap = j->cap ? j->cap * 2 : 64;
		grown = realloc(j->nodes, cap * sizeof(*grown));
		if (!grown)
			return fail(p, "out of memory");
		j->nodes = grown;
		j->cap = cap;
	}
	memset(&j->nodes[j->n], 0, sizeof(j->nodes[0]));
	j->nodes[j->n].type = type;
	*index = j->n++;
	return 0;
}

static int hex4(struct parser *p, size_t at, uint32_t *value)
{
	size_t i;
	int digit;

	*value = 0;
	if (p->len - at < 4)
		return fail(p, "a \\u escape cut short");
	for (i = 0; i < 4; i++) {
		digit = lx_hex_digit(p->buf[at + i]);
		if (digit < 0)
			return fail(p, "a \\u escape with a non-hex digit");
		*value = *value << 4 | digit;
	}
	return 0;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* \uXXXX at p->pos (after the 'u'), a surrogate pair taken whole. */
static int unicode_escape(struct parser *p, uint32_t *cp)
{
	uint32_t low;

	if (hex4(p, p->pos, cp))
		return -1;
	p->pos += 4;
	if (*cp >= 0xdc00 && *cp <= 0xdfff)
		return fail(p, "a lone low surrogate");
	if (*cp >= 0xd800 && *cp <= 0xdbff) {
		if (p->len - p->pos < 6 || p->buf[p->pos] != '\\' || p->buf[p->pos + 1] != 'u' ||
		    hex4(p, p->pos + 2, &low) || low < 0xdc00 || low > 0xdfff)
			return fail(p, "a high surrogate without its low half");
		p->pos += 6;
		*cp = 0x10000 + ((*cp - 0xd800) << 10) + (low - 0xdc00);
	}
	if (!*cp)
		return fail(p, "a NUL character in a string");
	return 0;
}

/* The well-formed UTF-8 sequence's length at p->pos (RFC 3629), or 0. */
static size_t utf8_length(const struct parser *p)
{
	const unsigned char *s = (const unsigned char *)p->buf + p->pos;
	size_t avail = p->len - p->pos, len, i;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > avail)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static int simple_escape(char c, char *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *at = c ? strchr(from, c) : NULL;

	if (!at)
		return -1;
	*out = to[at - from];
	return 0;
}

/* One escape after the backslash at p->pos, written at *w. */
static int string_escape(struct parser *p, char **w)
{
	uint32_t cp;

	if (p->pos >= p->len)
		return fail(p, "a string cut short");
	if (p->buf[p->pos] == 'u') {
		p->pos++;
		if (unicode_escape(p, &cp))
			return -1;
		*w += put_utf8(*w, cp);
		return 0;
	}
	if (simple_escape(p->buf[p->pos], *w))
		return fail(p, "an unknown escape");
	(*w)++;
	p->pos++;
	return 0;
}

/* The string at p->pos (its '"'), decoded in place. */
static int parse_string(struct parser *p, const char **text, size_t *len)
{
	char *start = p->buf + ++p->pos, *w = start;
	unsigned char c;
	size_t n;

	for (;;) {
		if (p->pos >= p->len)
			return fail(p, "a string cut short");
		c = p->buf[p->pos];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(p, "a control character in a string");
		if (c == '\\') {
			p->pos++;
			if (string_escape(p, &w))
				return -1;
			continue;
		}
		n = c < 0x80 ? 1 : utf8_length(p);
		if (!n)
			return fail(p, "a string that is not valid UTF-8");
		memmove(w, p->buf + p->pos, n);
		w += n;
		p->pos += n;
	}
	p->pos++;
	*text = start;
	*len = w - start;
	return 0;
}

static size_t digits(const struct parser *p, size_t at)
{
	size_t n = 0;

	while (at + n < p->len && p->buf[at + n] >= '0' && p->buf[at + n] <= '9')
		n++;
	return n;
}

/* A number as RFC 8259 spells it; kept as written. */
static int parse_number(struct parser *p, struct sa_json_node *node)
{
	size_t start = p->pos, n;

	if (p->buf[p->pos] == '-')
		p->pos++;
	n = digits(p, p->pos);
	if (!n || (n > 1 && p->buf[p->pos] == '0'))
		return fail(p, "a malformed number");
	p->pos += n;
	if (p->pos < p->len && p->buf[p->pos] == '.') {
		n = digits(p, ++p->pos);
		if (!n)
			return fail(p, "a malformed number");
		p->pos += n;
	}
	if (p->pos < p->len && (p->buf[p->pos] == 'e' || p->buf[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->buf[p->pos] == '+' || p->buf[p->pos] == '-'))
			p->pos++;
		n = digits(p, p->pos);
		if (!n)
			return fail(p, "a malformed number");
		p->pos += n;
	}
	node->text = p->buf + start;
	node->len = p->pos - start;
	return 0;
}

static int parse_value(struct parser *p, uint32_t *index);

/* The children of an array or object, up to its closing bracket. */
static int parse_children(struct parser *p, uint32_t parent, char close, bool keys)
{
	uint32_t child, last = 0;
	const char *key = NULL;
	size_t keylen = 0;

	p->pos++;
	skip_space(p);
	if (p->pos < p->len && p->buf[p->pos] == close) {
		p->pos++;
		return 0;
	}
	for (;;) {
		skip_space(p);
		if (keys) {
			if (p->pos >= p->len || p->buf[p->pos] != '"')
				return fail(p, "an object member without a name");
			if (parse_string(p, &key, &keylen))
				return -1;
			skip_space(p);
			if (p->pos >= p->len || p->buf[p->pos] != ':')
				return fail(p, "no ':' after a member's name");
			p->pos++;
		}
		if (parse_value(p, &child))
			return -1;
		p->j->nodes[child].key = key;
		p->j->nodes[child].keylen = keylen;
		if (last)
			p->j->nodes[last].next = child;
		else
			p->j->nodes[parent].first = child;
		last = child;
		p->j->nodes[parent].count++;
		skip_space(p);
		if (p->pos >= p->len)
			return fail(p, "the line ends inside %s", keys ? "an object" : "an array");
		if (p->buf[p->pos] == close)
			break;
		if (p->buf[p->pos] != ',')
			return fail(p, "expected ',' or '%c'", close);
		p->pos++;
	}
	p->pos++;
	return 0;
}

static int parse_container(struct parser *p, uint32_t index, bool object)
{
	int ret;

	if (++p->depth > SA_JSON_MAX_DEPTH)
		return fail(p, "nested deeper than %d", SA_JSON_MAX_DEPTH);
	ret = parse_children(p, index, object ? '}' : ']', object);
	p->depth--;
	return ret;
}

static int parse_word(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->buf + p->pos, word, n))
		return fail(p, "not a JSON value");
	p->pos += n;
	return 0;
}

static enum sa_json_type type_at(const struct parser *p)
{
	switch (p->buf[p->pos]) {
	case '{': return SA_JSON_OBJECT;
	case '[': return SA_JSON_ARRAY;
	case '"': return SA_JSON_STRING;
	case 't': return SA_JSON_TRUE;
	case 'f': return SA_JSON_FALSE;
	case 'n': return SA_JSON_NULL;
	default: return SA_JSON_NUMBER;
	}
}

static int parse_value(struct parser *p, uint32_t *index)
{
	static const char *const words[] = { [SA_JSON_NULL] = "null",
		[SA_JSON_FALSE] = "false", [SA_JSON_TRUE] = "true" };
	enum sa_json_type type;
	struct sa_json_node *node;

	skip_space(p);
	if (p->pos >= p->len)
		return fail(p, "the line ends where a value should be");
	type = type_at(p);
	if (new_node(p, type, index))
		return -1;
	if (type == SA_JSON_OBJECT || type == SA_JSON_ARRAY)
		return parse_container(p, *index, type == SA_JSON_OBJECT);
	node = &p->j->nodes[*index];
	if (type == SA_JSON_STRING)
		return parse_string(p, &node->text, &node->len);
	if (type == SA_JSON_NUMBER) {
		if (p->buf[p->pos] != '-' && (p->buf[p->pos] < '0' || p->buf[p->pos] > '9'))
			return fail(p, "not a JSON value");
		return parse_number(p, node);
	}
	return parse_word(p, words[type]);
}

int sa_json_parse(struct sa_json *j, char *buf, size_t len, char *err, size_t errlen)
{
	struct parser p = { .j = j, .buf = buf, .len = len, .err = err, .errlen = errlen };
	uint32_t root;

	j->n = 0;
	if (parse_value(&p, &root))
		return -1;
	skip_space(&p);
	if (p.pos < len)
		return fail(&p, "more after the value");
	return 0;
}

void sa_json_free(struct sa_json *j)
{
	free(j->nodes);
	memset(j, 0, sizeof(*j));
}

const struct sa_json_node *sa_json_next(const struct sa_json *j,
					const struct sa_json_node *parent,
					const struct sa_json_node *child)
{
	uint32_t index;

	if (!parent || (parent->type != SA_JSON_ARRAY && parent->type != SA_JSON_OBJECT))
		return NULL;
	index = child ? child->next : parent->first;
	return index ? &j->nodes[index] : NULL;
}

const struct sa_json_node *sa_json_get(const struct sa_json *j,
				       const struct sa_json_node *node, const char *key)
{
	const struct sa_json_node *child = NULL;
	size_t len = strlen(key);

	if (!node || node->type != SA_JSON_OBJECT)
		return NULL;
	while ((child = sa_json_next(j, node, child)))
		if (child->keylen == len && !memcmp(child->key, key, len))
			return child;
	return NULL;
}

int sa_json_u64(const struct sa_json_node *node, uint64_t *value)
{
	uint64_t v = 0;
	size_t i;

	if (!node || node->type != SA_JSON_NUMBER || !node->len)
		return -1;
	for (i = 0; i < node->len; i++) {
		unsigned int d = node->text[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*value = v;
	return 0;
}

bool sa_json_is(const struct sa_json_node *node, const char *s)
{
	return node && node->type == SA_JSON_STRING && node->len == strlen(s) &&
	       !memcmp(node->text, s, node->len);
}
