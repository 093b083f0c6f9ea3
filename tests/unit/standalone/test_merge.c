// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of leakscan --merge (src/standalone/merge.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "standalone/merge.h"
#include "unit.h"

#define DOC(source, cache, clusters)						\
	"{\"schema\":\"leakext/1\",\"source\":\"" source "\",\"cache\":{\"name\":\""	\
	cache "\",\"object_size\":100,\"slot_size\":128},\"counts\":{\"slabs\":1,"	\
	"\"objects\":9,\"live\":9,\"free\":0},\"integrity\":{\"ok\":true},"		\
	"\"clusters_total\":2,\"clusters\":[" clusters "]}\n"
#define CL(count, sig, preview)							\
	"{\"rank\":1,\"count\":" #count ",\"bytes\":" #count "00,\"kind\":\"text\","	\
	"\"preview\":\"" preview "\",\"signature\":\"" sig "\"}"
#define SIG_A "aaaaaaaaaaaaaaaa"
#define SIG_B "bbbbbbbbbbbbbbbb"

struct merged {
	char *out, *msgs;
	size_t outlen, msgslen;
	enum sa_merge_status status;
};

static void merge(const char *const *texts, size_t n, bool json, size_t top, struct merged *m)
{
	struct sa_merge_options opt = { .json = json, .top = top };
	struct sa_report r[8];
	char err[400], name[16];
	FILE *out = open_memstream(&m->out, &m->outlen);
	FILE *msgs = open_memstream(&m->msgs, &m->msgslen);
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "r%zu", i);
		sa_report_parse(texts[i], strlen(texts[i]), strdup(name), &r[i], err, sizeof(err));
	}
	m->status = sa_merge_reports(r, n, &opt, out, msgs);
	fclose(out);
	fclose(msgs);
	for (i = 0; i < n; i++) {
		free((char *)r[i].path);
		sa_report_free(&r[i]);
	}
}

static void merged_free(struct merged *m)
{
	free(m->out);
	free(m->msgs);
}

static bool has(const char *text, const char *part)
{
	if (strstr(text, part))
		return true;
	fprintf(stderr, "    no \"%s\" in:\n%s\n", part, text);
	return false;
}

/* Signature A in two of three vmcores with kmalloc-4k; B in one. */
static const char *const fleet[] = {
	DOC("v1", "kmalloc-4k", CL(30, SIG_A, "x") "," CL(5, SIG_B, "y")),
	DOC("v2", "kmalloc-4k", CL(50, SIG_A, "z"))
	DOC("v2", "kmalloc-64", CL(7, SIG_A, "q")),
	DOC("v3", "kmalloc-4k", "")
	"{\"schema\":\"leakext/1\",\"source\":\"v4\",\"error\":\"unreadable\"}\n",
};

static bool test_merge_groups_json(void)
{
	struct merged m = { 0 };

	merge(fleet, 3, true, 0, &m);
	CHECK(m.status == SA_MERGE_OK);
	CHECK(has(m.out, "{\"schema\":\"leakext/1\",\"kind\":\"merge\",\"rank\":1,"
		  "\"cache\":\"kmalloc-4k\",\"signature\":\"" SIG_A "\",\"grouped_by\":\"signature\","
		  "\"description\":{\"kind\":\"text\",\"preview\":\"x\",\"strings\":[],\"owner\":null},"
		  "\"vmcores\":2,\"vmcores_with_cache\":3,\"objects\":80,\"bytes\":8000,"
		  "\"largest\":{\"source\":\"v2\",\"objects\":50,\"bytes\":5000},"
		  "\"sources\":[\"v1\",\"v2\"]}\n"));
	/* the same signature in another cache is another group */
	CHECK(has(m.out, "\"rank\":2,\"cache\":\"kmalloc-64\",\"signature\":\"" SIG_A "\""));
	CHECK(has(m.out, "\"vmcores\":1,\"vmcores_with_cache\":1,\"objects\":7,\"bytes\":700,"));
	CHECK(has(m.out, "\"rank\":3,\"cache\":\"kmalloc-4k\",\"signature\":\"" SIG_B "\""));
	CHECK(has(m.out, "{\"schema\":\"leakext/1\",\"kind\":\"merge-summary\",\"reports\":3,"
		  "\"reports_read\":3,\"documents\":5,\"vmcores\":3,\"error_documents\":1,"
		  "\"unusable_lines\":0,\"groups\":3,\"groups_shown\":3}\n"));
	CHECK(m.msgslen == 0);
	merged_free(&m);
	return unit_ok();
}

static bool test_merge_text_top(void)
{
	struct merged m = { 0 };

	merge(fleet, 3, false, 1, &m);
	CHECK(m.status == SA_MERGE_OK);
	CHECK(has(m.out, "3 of 3 reports read: 5 documents, 3 vmcores (1 error documents), "
		  "0 unusable lines; 3 cluster groups, the largest 1 shown\n"));
	CHECK(has(m.out, "\n1. kmalloc-4k " SIG_A ": text \"x\"\n"
		  "   2 of 3 vmcores, 80 objects, 0.01 MiB in all; largest: 50 objects (0.00 MiB) in v2\n"));
	CHECK(!strstr(m.out, "\n2. "));
	merged_free(&m);
	return unit_ok();
}

/* The same vmcore and cache twice: the second is named and left out. */
static bool test_merge_duplicate_and_bad(void)
{
	static const char *const twice[] = {
		DOC("v1", "kmalloc-4k", CL(30, SIG_A, "x")),
		DOC("v1", "kmalloc-4k", CL(30, SIG_A, "x")) "{\"schema\":\"leakext/1\",\"sou",
	};
	static const char *const none[] = { "garbage\n", "" };
	struct merged m = { 0 };

	merge(twice, 2, true, 0, &m);
	CHECK(m.status == SA_MERGE_PARTIAL);
	CHECK(has(m.out, "\"vmcores\":1,\"vmcores_with_cache\":1,\"objects\":30,"));
	CHECK(has(m.msgs, "leakscan: r1:1: v1's kmalloc-4k again (already read from r0:1): left out\n"));
	CHECK(has(m.out, "\"unusable_lines\":1,"));
	merged_free(&m);
	merge(none, 2, true, 0, &m);
	CHECK(m.status == SA_MERGE_NONE && m.outlen == 0);
	merged_free(&m);
	return unit_ok();
}

/* Reports without signatures: grouped by kind and preview, and saying so. */
static bool test_merge_without_signatures(void)
{
	static const char *const old[] = {
		DOC("v1", "kmalloc-4k", "{\"rank\":1,\"count\":4,\"bytes\":400,\"kind\":\"text\",\"preview\":\"same\"}"),
		DOC("v2", "kmalloc-4k", "{\"rank\":1,\"count\":6,\"bytes\":600,\"kind\":\"text\",\"preview\":\"same\"},"
		    "{\"rank\":2,\"count\":1,\"bytes\":100,\"kind\":\"text\",\"preview\":\"other\"}"),
	};
	struct merged m = { 0 };

	merge(old, 2, true, 0, &m);
	CHECK(m.status == SA_MERGE_OK);
	CHECK(has(m.out, "\"rank\":1,\"cache\":\"kmalloc-4k\",\"signature\":null,\"grouped_by\":\"preview\","));
	CHECK(has(m.out, "\"vmcores\":2,\"vmcores_with_cache\":2,\"objects\":10,\"bytes\":1000,"));
	CHECK(has(m.out, "\"groups\":2,"));
	merged_free(&m);
	return unit_ok();
}

const struct unit_test merge_tests[] = {
	{ "merge: groups by cache and signature (JSON)", test_merge_groups_json },
	{ "merge: text, largest first, -n", test_merge_text_top },
	{ "merge: a duplicate left out, bad lines, nothing readable", test_merge_duplicate_and_bad },
	{ "merge: reports without signatures", test_merge_without_signatures },
	{ NULL, NULL },
};
