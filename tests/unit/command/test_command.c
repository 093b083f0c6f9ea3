// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the command layer (src/command/): the options both front
 * ends share, their rules, and how a command ends (lx_run's result).
 */
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "unit.h"

/* lx_option_set() for --cache-type, as the crash glue spells it. */
static enum lx_status add_type_hint(struct lx_options *opt, const char *text, char *why,
				    size_t len)
{
	return lx_option_set(opt, LX_OPT_CACHE_TYPE, "-T", text, why, len);
}

/* --cache-type / -T: CACHE=TYPE parsed strictly, at most LX_TYPE_HINTS. */
static bool test_type_hints(void)
{
	static const char *const bad[] = {
		"kmalloc-192", "=list_head", "kmalloc-192=", "kmalloc-192=list head",
		"kmalloc-192=9lives",
		"kmalloc-192=a_type_name_that_is_far_too_long_to_fit_in_sixty_four_bytes_of_room",
	};
	struct lx_options s = { 0 };
	char why[256];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(add_type_hint(&s, bad[i], why, sizeof(why)));
	CHECK(s.nhints == 0 && strstr(why, "-T takes CACHE=TYPE"));
	CHECK(!add_type_hint(&s, "kmalloc-192=list_head", why, sizeof(why)));
	CHECK(s.nhints == 1 && !strcmp(s.hints[0].cache, "kmalloc-192") &&
	      !strcmp(s.hints[0].type, "list_head"));
	for (i = 1; i < LX_TYPE_HINTS; i++)
		CHECK(!add_type_hint(&s, "a=b", why, sizeof(why)));
	CHECK(add_type_hint(&s, "c=d", why, sizeof(why)) && s.nhints == LX_TYPE_HINTS);
	return unit_ok();
}

/* Numbers: bounded, positive where zero means nothing; -c 0 means all. */
static bool test_number_options(void)
{
	struct lx_options opt = { 0 };
	char why[256];

	CHECK(lx_option_set(&opt, LX_OPT_TOP, "-n", "0", why, sizeof(why)) == LX_EUSAGE);
	CHECK(!strcmp(why, "-n needs a positive number, not \"0\""));
	CHECK(lx_option_set(&opt, LX_OPT_TOP, "-n", "12x", why, sizeof(why)) == LX_EUSAGE);
	CHECK(lx_option_set(&opt, LX_OPT_TOP, "-n", "100000001", why, sizeof(why)));
	CHECK(lx_option_set(&opt, LX_OPT_CLUSTER, "-k", "", why, sizeof(why)));
	CHECK(opt.top == 0 && opt.cluster == 0);
	CHECK(!lx_option_set(&opt, LX_OPT_TOP, "-n", "0x10", why, sizeof(why)) && opt.top == 16);
	CHECK(!lx_option_set(&opt, LX_OPT_COUNT, "-c", "0", why, sizeof(why)) &&
	      opt.count == LX_DUMP_ALL);
	CHECK(lx_option_set(&opt, LX_OPT_SORT, "-s", "age", why, sizeof(why)) == LX_EUSAGE);
	CHECK(!lx_option_set(&opt, LX_OPT_SORT, "-s", "name", why, sizeof(why)) &&
	      opt.sort == LX_SORT_NAME);
	CHECK(lx_option_set(&opt, LX_OPT_REFS, "--refs", "zz", why, sizeof(why)));
	CHECK(!opt.refs && strstr(why, "--refs takes a hexadecimal address"));
	CHECK(!lx_option_set(&opt, LX_OPT_REFS, "--refs", "ffff8880", why, sizeof(why)) &&
	      opt.refs && opt.address == 0xffff8880);
	return unit_ok();
}

/* Each rule between options, and the combinations that are fine. */
static bool test_option_rules(void)
{
	static const struct {
		struct lx_options opt;
		const char *why;	/* NULL: accepted */
	} cases[] = {
		{ { .list_live = true }, "need a cache" },
		{ { .cluster = 2 }, "need a cache" },
		{ { .cache = "c", .json = true, .unreferenced = true }, "-j cannot go with" },
		{ { .cache = "c", .json = true, .dump = true }, "-j cannot go with" },
		{ { .json = true, .refs = true }, "-j cannot go with" },
		{ { .cache = "c", .list_live = true, .unreferenced = true }, "choose one of" },
		{ { .cache = "c", .type = "list_head" }, "needs -d" },
		{ { .cache = "c", .dump = true, .redact = true }, "redacted" },
		{ { .cache = "c", .json = true, .referrers = true, .all = true }, NULL },
		{ { .cache = "c", .referrers = true, .no_holders = true }, "-r asks for holders" },
		{ { .cache = "c", .json = true, .no_holders = true }, NULL },
		{ { .cache = "c", .dump = true, .type = "list_head", .cluster = 1 }, NULL },
		{ { .refs = true }, NULL },
		{ { 0 }, NULL },
	};
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why[0] = '\0';
		if (cases[i].why)
			CHECK(lx_options_check(&cases[i].opt, why, sizeof(why)) == LX_EUSAGE &&
			      strstr(why, cases[i].why));
		else
			CHECK(lx_options_check(&cases[i].opt, why, sizeof(why)) == LX_OK);
	}
	return unit_ok();
}

/* The fake target's ^C polls one report makes, uninterrupted. */
static unsigned long polls_of(const struct lx_options *opt)
{
	struct fixture f;
	unsigned long polls;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fx_one_partial_slab(&f);
	if (fx_command(&f, opt) != LX_OK)
		polls = 0;
	else
		polls = f.fk.polls;
	fx_teardown(&f);
	return polls;
}

/* One run of opt with ^C at the k'th poll: interrupted, and nothing kept. */
static bool interrupted_at(const struct lx_options *opt, unsigned long k)
{
	struct fixture f;
	bool ok;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fx_one_partial_slab(&f);
	f.fk.interrupt_at = k;
	ok = fx_command(&f, opt) == LX_EINTR && f.res.status == LX_EINTR &&
	     !strcmp(f.res.message, "interrupted") &&
	     !strstr(f.fk.messages, "out of memory");
	fflush(f.fk.out);
	if (!ok)
		printf("%s", f.fk.messages);
	/* a report is written whole or not at all; a dump shows what it reached */
	if (!opt->dump && f.fk.outbuf && f.fk.outbuf[0])
		ok = false;
	if (!fx_teardown(&f))
		ok = false;
	if (!ok)
		printf("    interrupted at poll %lu of %s%s%s: status %d, \"%s\"\n", k,
		       opt->cache ? opt->cache : "the ranking", opt->json ? " -j" : "",
		       opt->dump ? " -d" : "", f.res.status, f.res.message);
	return ok;
}

/*
 * ^C at any of a command's polls (walk, clustering, descriptions, holders,
 * dump) ends it "interrupted", never "out of memory", with no half report
 * written and nothing left allocated.
 */
static bool test_interrupted_report(void)
{
	static const struct lx_options cases[] = {
		{ .cache = NULL },
		{ .cache = "kmalloc-512" },
		{ .cache = "kmalloc-512", .json = true },
		{ .cache = "kmalloc-512", .no_holders = true },
		{ .cache = "kmalloc-512", .unreferenced = true },
		{ .cache = "kmalloc-512", .dump = true },
	};
	unsigned long polls, k;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		polls = polls_of(&cases[i]);
		CHECK(polls > 0);
		for (k = 1; k <= polls; k++)
			CHECK(interrupted_at(&cases[i], k));
	}
	return unit_ok();
}

/* The message of a failed command is the last error it gave, escaped. */
static bool test_result_message(void)
{
	struct lx_options opt = { .cache = "no-such-\x1b[2Jcache" };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fx_one_partial_slab(&f);
	CHECK(fx_command(&f, &opt) == LX_EABSENT);
	CHECK(strstr(f.res.message, "no slab cache named") && !strchr(f.res.message, 0x1b));
	CHECK(!f.res.flagged);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

const struct unit_test command_tests[] = {
	{ "options: CACHE=TYPE, strictly, at most four", test_type_hints },
	{ "options: numbers bounded, sort keys, hexadecimal addresses", test_number_options },
	{ "options: every rule between options, in one place", test_option_rules },
	{ "command: ^C during a report says interrupted, writes no half report",
	  test_interrupted_report },
	{ "command: a failed command's message is its last error, escaped",
	  test_result_message },
	{ NULL, NULL },
};
