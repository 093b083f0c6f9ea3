// SPDX-License-Identifier: GPL-2.0-or-later
/* Text that leaves leakext: JSON strings and escaped messages. */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "unit.h"

/* lx_json_string() of len bytes, as a malloc'd C string. */
static char *json_of(const char *bytes, size_t len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	lx_json_string(out, bytes, len);
	fclose(out);
	return buf;
}

static bool json_is(const char *bytes, size_t len, const char *expect)
{
	char *got = json_of(bytes, len);
	bool same = got && !strcmp(got, expect);

	if (!same)
		fprintf(stderr, "    json: got %s, expected %s\n", got, expect);
	free(got);
	return same;
}

static bool test_json_strings_are_utf8(void)
{
	/* valid UTF-8 stays: e-acute, euro sign, an emoji */
	CHECK(json_is("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7", 14,
		      "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7\""));
	/* control characters and quotes are JSON escapes */
	CHECK(json_is("a\"b\\c\n\t\x1b\x7f", 9, "\"a\\\"b\\\\c\\n\\t\\u001b\\u007f\""));
	/* stray, overlong, surrogate and truncated sequences become \xNN */
	CHECK(json_is("\xff", 1, "\"\\\\xff\""));
	CHECK(json_is("\xc0\xaf", 2, "\"\\\\xc0\\\\xaf\""));
	CHECK(json_is("\xed\xa0\x80", 3, "\"\\\\xed\\\\xa0\\\\x80\""));
	CHECK(json_is("\xe2\x82", 2, "\"\\\\xe2\\\\x82\""));
	CHECK(json_is("\xf4\x90\x80\x80", 4, "\"\\\\xf4\\\\x90\\\\x80\\\\x80\""));
	/* len and NUL both end the string */
	CHECK(json_is("abc\0def", 7, "\"abc\""));
	CHECK(json_is("\xc3\xa9", 1, "\"\\\\xc3\""));
	return unit_ok();
}

static bool test_escape_keeps_terminals_safe(void)
{
	char out[64];
	size_t i;

	lx_escape(out, sizeof(out), "ok\x1b]0;title\a\\\xff\n", 15);
	CHECK(!strcmp(out, "ok\\x1b]0;title\\x07\\\\\\xff\\n"));
	for (i = 0; out[i]; i++)
		CHECK(out[i] >= 0x20 && out[i] < 0x7f);
	lx_escape(out, 8, "\x01\x02\x03\x04", 4);	/* never cut an escape short... */
	CHECK(!strcmp(out, "\\x01"));			/* ...nor overflow */
	return unit_ok();
}

static bool test_progress_line_fits(void)
{
	char line[512];

	lx_progress_line(line, sizeof(line), 80, "/var/crash/a.vmcore", "memmap", 42, 100);
	CHECK(!strcmp(line, "leakscan: /var/crash/a.vmcore: memmap 42%"));
	lx_progress_line(line, sizeof(line), 40,
			 "/var/crash/127.0.0.1-2026-11-22-10:00:00/vmcore.flat", "kmalloc-4k",
			 7, 10);
	CHECK(strlen(line) <= 39 && strstr(line, "leakscan: ...") == line);
	CHECK(strstr(line, "kmalloc-4k 70%") != NULL);
	lx_progress_line(line, sizeof(line), 80, "x\x1b", "clustering", 0, 0);
	CHECK(!strcmp(line, "leakscan: x\\x1b: clustering"));
	return unit_ok();
}

const struct unit_test text_tests[] = {
	{ "JSON strings: valid UTF-8 kept, the rest escaped", test_json_strings_are_utf8 },
	{ "messages: escaped for terminals, bounded", test_escape_keeps_terminals_safe },
	{ "progress: one line that fits the terminal", test_progress_line_fits },
	{ NULL, NULL },
};
