// SPDX-License-Identifier: GPL-2.0-or-later
/* Text that leaves leakext: JSON strings and escaped messages. */
#include <stdlib.h>
#include <string.h>

#include "analysis/netview.h"
#include "flat_target.h"
#include "report/report.h"
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

static bool test_frames_decode(void)
{
	static const uint8_t v4[] = {
		0x52, 0x55, 0x0a, 0x00, 0x02, 0x02, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
		0x08, 0x00,				/* IPv4 */
		0x45, 0x00, 0x00, 0x30, 0, 1, 0x40, 0, 64, 17, 0, 0,
		10, 0, 2, 15, 10, 0, 2, 2,
		0x9c, 0x40, 0x02, 0x02, 0x00, 0x1c, 0, 0,	/* UDP 40000 > 514 */
	};
	uint8_t v6[2 + 14 + 40 + 4] = { 0 }, buf[sizeof(v4) + 2] = { 0 };
	char out[256];

	CHECK(lx_frame_decode(v4, sizeof(v4), out, sizeof(out)));
	CHECK(!strcmp(out, "at +0: Ethernet 52:54:00:12:34:56 > 52:55:0a:00:02:02, "
			   "IPv4 10.0.2.15 > 10.0.2.2, UDP 40000 > 514, 48 bytes"));
	memcpy(buf + 2, v4, sizeof(v4));		/* NET_IP_ALIGN headroom */
	CHECK(lx_frame_decode(buf, sizeof(buf), out, sizeof(out)) &&
	      !strncmp(out, "at +2: ", 7));
	CHECK(!lx_frame_decode(v4, 30, out, sizeof(out)));	/* header cut */
	v6[2 + 12] = 0x86;
	v6[2 + 13] = 0xdd;
	v6[2 + 14] = 0x60;
	v6[2 + 14 + 5] = 4;				/* payload length */
	v6[2 + 14 + 6] = 6;				/* TCP */
	v6[2 + 14 + 8] = 0xfe;
	v6[2 + 14 + 9] = 0x80;
	v6[2 + 14 + 39] = 1;
	v6[2 + 14 + 40] = 0x00;
	v6[2 + 14 + 41] = 0x50;				/* port 80 */
	CHECK(lx_frame_decode(v6, sizeof(v6), out, sizeof(out)));
	CHECK(!strcmp(out, "at +2: Ethernet 00:00:00:00:00:00 > 00:00:00:00:00:00, "
			   "IPv6 fe80:0:0:0:0:0:0:0 > 0:0:0:0:0:0:0:1, TCP 80 > 0, 44 bytes"));
	v6[2 + 14] = 0x40;				/* version 4 under 0x86dd */
	CHECK(!lx_frame_decode(v6, sizeof(v6), out, sizeof(out)));
	return unit_ok();
}

/* The context keeps the last error as the host got it; nothing else. */
static bool test_context_keeps_last_error(void)
{
	struct flat_target f;

	flat_init(&f, NULL, 0);
	lx_msg(&f.target, LX_MSG_WARN, "only a warning");
	CHECK(f.target.error[0] == '\0');
	lx_msg(&f.target, LX_MSG_ERROR, "cache %s is gone", "a\x1b");
	CHECK(!strcmp(f.target.error, "cache a\\x1b is gone"));
	CHECK(!strcmp(f.target.error, f.last_message));
	lx_msg(&f.target, LX_MSG_INFO, "a note");
	CHECK(!strcmp(f.target.error, "cache a\\x1b is gone"));
	lx_msg(&f.target, LX_MSG_ERROR, "%0600d", 1);	/* bounded, ends in NUL */
	CHECK(strlen(f.target.error) == sizeof(f.target.error) - 1);
	return unit_ok();
}

const struct unit_test text_tests[] = {
	{ "messages: the context keeps the last error", test_context_keeps_last_error },
	{ "frames: Ethernet + IPv4/IPv6 decoded, damaged ones refused", test_frames_decode },
	{ "JSON strings: valid UTF-8 kept, the rest escaped", test_json_strings_are_utf8 },
	{ "messages: escaped for terminals, bounded", test_escape_keeps_terminals_safe },
	{ "progress: one line that fits the terminal", test_progress_line_fits },
	{ NULL, NULL },
};
