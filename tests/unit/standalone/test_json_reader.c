// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the bounded JSON parser (src/standalone/json_reader.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "standalone/json_reader.h"
#include "unit.h"

/* Parse a copy of text; its error (or "") into err. */
static int parse(struct sa_json *j, char **copy, const char *text, char *err, size_t errlen)
{
	*copy = strdup(text);
	err[0] = '\0';
	return sa_json_parse(j, *copy, strlen(text), err, errlen);
}

static bool fails_with(const char *text, const char *why)
{
	struct sa_json j = { 0 };
	char err[160], *copy;
	bool ok = parse(&j, &copy, text, err, sizeof(err)) == -1 && strstr(err, why);

	if (!ok)
		fprintf(stderr, "    %s: got \"%s\", wanted \"%s\"\n", text, err, why);
	sa_json_free(&j);
	free(copy);
	return ok;
}

static bool test_json_values(void)
{
	struct sa_json j = { 0 };
	const struct sa_json_node *root, *list, *item;
	char err[160], *copy;
	uint64_t v = 0;

	CHECK(parse(&j, &copy, " {\"a\":[1, 18446744073709551615,-2,1.5e3], \"b\":{\"c\":true},"
		    "\"s\":\"x\\n\\u00e9\\ud83d\\ude00\\\"\\\\\", \"n\":null} ", err, sizeof(err)) == 0);
	root = &j.nodes[0];
	CHECK(root->type == SA_JSON_OBJECT && root->count == 4);
	list = sa_json_get(&j, root, "a");
	CHECK(list && list->type == SA_JSON_ARRAY && list->count == 4);
	item = sa_json_next(&j, list, NULL);
	CHECK(sa_json_u64(item, &v) == 0 && v == 1);
	item = sa_json_next(&j, list, item);
	CHECK(sa_json_u64(item, &v) == 0 && v == UINT64_MAX);
	item = sa_json_next(&j, list, item);
	CHECK(item->type == SA_JSON_NUMBER && sa_json_u64(item, &v) == -1);
	item = sa_json_next(&j, list, item);
	CHECK(item->len == 5 && !memcmp(item->text, "1.5e3", 5) && sa_json_u64(item, &v) == -1);
	CHECK(sa_json_next(&j, list, item) == NULL);
	CHECK(sa_json_get(&j, sa_json_get(&j, root, "b"), "c")->type == SA_JSON_TRUE);
	CHECK(sa_json_is(sa_json_get(&j, root, "s"), "x\n\xc3\xa9\xf0\x9f\x98\x80\"\\"));
	CHECK(sa_json_get(&j, root, "n")->type == SA_JSON_NULL);
	CHECK(sa_json_get(&j, root, "missing") == NULL);
	CHECK(sa_json_get(&j, list, "a") == NULL);	/* an array has no members */
	sa_json_free(&j);
	free(copy);
	CHECK(parse(&j, &copy, "{\"big\":18446744073709551616}", err, sizeof(err)) == 0);
	CHECK(sa_json_u64(sa_json_get(&j, &j.nodes[0], "big"), &v) == -1);
	sa_json_free(&j);
	free(copy);
	return unit_ok();
}

static bool test_json_depth_limit(void)
{
	char deep[2 * SA_JSON_MAX_DEPTH + 3];
	struct sa_json j = { 0 };
	char err[160], *copy;

	memset(deep, '[', SA_JSON_MAX_DEPTH);
	memset(deep + SA_JSON_MAX_DEPTH, ']', SA_JSON_MAX_DEPTH);
	deep[2 * SA_JSON_MAX_DEPTH] = '\0';
	CHECK(parse(&j, &copy, deep, err, sizeof(err)) == 0);
	free(copy);
	memmove(deep + 1, deep, 2 * SA_JSON_MAX_DEPTH + 1);
	deep[0] = '[';
	strcat(deep, "]");
	CHECK(parse(&j, &copy, deep, err, sizeof(err)) == -1);
	CHECK(!strcmp(err, "at column 33: nested deeper than 32"));
	free(copy);
	sa_json_free(&j);
	return unit_ok();
}

static bool test_json_rejects(void)
{
	CHECK(fails_with("{\"a\":1", "the line ends inside an object"));
	CHECK(fails_with("[1,2", "the line ends inside an array"));
	CHECK(fails_with("{\"a\":\"abc", "a string cut short"));
	CHECK(fails_with("{\"a\":1} x", "at column 9: more after the value"));
	CHECK(fails_with("{\"a\":\"\xff\"}", "not valid UTF-8"));
	CHECK(fails_with("{\"a\":\"\xc0\xaf\"}", "not valid UTF-8"));	/* overlong */
	CHECK(fails_with("{\"a\":\"\xed\xa0\x80\"}", "not valid UTF-8"));	/* surrogate */
	CHECK(fails_with("\"\\ud800x\"", "without its low half"));
	CHECK(fails_with("\"\\udc00\"", "a lone low surrogate"));
	CHECK(fails_with("\"\\u0000\"", "a NUL character"));
	CHECK(fails_with("\"\\u12g4\"", "non-hex digit"));
	CHECK(fails_with("\"a\tb\"", "a control character"));
	CHECK(fails_with("\"\\q\"", "an unknown escape"));
	CHECK(fails_with("{1:2}", "without a name"));
	CHECK(fails_with("{\"a\" 2}", "no ':'"));
	CHECK(fails_with("[1 2]", "expected ',' or ']'"));
	CHECK(fails_with("[01]", "a malformed number"));
	CHECK(fails_with("[1.]", "a malformed number"));
	CHECK(fails_with("[-]", "a malformed number"));
	CHECK(fails_with("[tru]", "not a JSON value"));
	CHECK(fails_with("hello", "at column 1: not a JSON value"));
	CHECK(fails_with("", "the line ends where a value should be"));
	return unit_ok();
}

const struct unit_test json_reader_tests[] = {
	{ "json reader: values, escapes, 64-bit numbers", test_json_values },
	{ "json reader: nesting deeper than the limit refused", test_json_depth_limit },
	{ "json reader: malformed and cut-short lines named", test_json_rejects },
	{ NULL, NULL },
};
