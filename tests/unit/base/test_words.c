// SPDX-License-Identifier: GPL-2.0-or-later
/* The kernel's words: 4 or 8 bytes as the target says, zero-extended. */
#include <string.h>

#include "flat_target.h"
#include "leakext/core.h"
#include "unit.h"

/* Three 64-bit words, read back as 8-byte and as 4-byte words. */
static const uint8_t words[24] = {
	0x78, 0x56, 0x34, 0x12, 0xf0, 0xde, 0xbc, 0x9a,
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x80,
	0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
};

static bool test_word_size_default(void)
{
	struct flat_target f;
	uint64_t v;

	flat_init(&f, words, sizeof(words));
	CHECK(lx_word_size(&f.target) == 8 && lx_word_max(&f.target) == UINT64_MAX);
	CHECK(lx_read_word(&f.target, FLAT_BASE, &v) && v == 0x9abcdef012345678ULL);
	CHECK(lx_get_word(&f.target, words, 8) == 0x80000000ffffffffULL);
	f.target.word_size = 4;
	CHECK(lx_word_size(&f.target) == 4 && lx_word_max(&f.target) == UINT32_MAX);
	return unit_ok();
}

static bool test_words_of_four_bytes(void)
{
	struct flat_target f;
	uint64_t v[6];

	flat_init(&f, words, sizeof(words));
	f.target.word_size = 4;
	CHECK(lx_read_word(&f.target, FLAT_BASE + 4, &v[0]) && v[0] == 0x9abcdef0);
	CHECK(lx_read_word(&f.target, FLAT_BASE + 8, &v[0]) && v[0] == UINT32_MAX);
	CHECK(lx_get_word(&f.target, words, 12) == 0x80000000);
	memset(v, 0xaa, sizeof(v));
	CHECK(lx_read_words(&f.target, FLAT_BASE, v, 6));
	CHECK(v[0] == 0x12345678 && v[1] == 0x9abcdef0 && v[2] == 0xffffffff &&
	      v[3] == 0x80000000 && v[4] == 1 && v[5] == 2);
	/* the last word would end past the memory: nothing is believed */
	CHECK(!lx_read_words(&f.target, FLAT_BASE + 4, v, 6));
	CHECK(!lx_read_word(&f.target, FLAT_BASE + 22, &v[0]));
	return unit_ok();
}

static bool test_word_fields_checked(void)
{
	struct flat_target f;
	uint64_t v = 1;

	flat_init(&f, words, sizeof(words));
	f.target.word_size = 4;
	CHECK(lx_field_word(&f.target, words, sizeof(words), 20, &v) && v == 2);
	CHECK(!lx_field_word(&f.target, words, sizeof(words), 21, &v) && v == 0);
	CHECK(!lx_field_word(&f.target, words, sizeof(words), -1, &v));
	f.target.word_size = 8;
	CHECK(lx_field_word(&f.target, words, sizeof(words), 16, &v) && v == 0x200000001ULL);
	CHECK(!lx_field_word(&f.target, words, sizeof(words), 20, &v));
	return unit_ok();
}

const struct unit_test word_tests[] = {
	{ "words: 8 bytes unless the target says 4", test_word_size_default },
	{ "words: 4-byte words and arrays zero-extended", test_words_of_four_bytes },
	{ "words: fields inside a buffer checked at the word's size", test_word_fields_checked },
	{ NULL, NULL },
};
