// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the saved-report reader (src/standalone/report_reader.c). */
#include <stdio.h>
#include <string.h>

#include "standalone/report_reader.h"
#include "unit.h"

/* A cluster report as leakscan -j writes it, cut to what the reader reads. */
#define CLUSTER_DOC(source, cache, clusters)					\
	"{\"schema\":\"leakext/1\",\"source\":\"" source "\",\"types\":\"btf-dump\","	\
	"\"redacted\":false,\"cache\":{\"name\":\"" cache "\",\"address\":\"0xffff1\","	\
	"\"object_size\":4096,\"slot_size\":4096,\"objects_per_slab\":8,\"order\":3},"	\
	"\"counts\":{\"slabs\":3,\"objects\":24,\"live\":20,\"free\":4,\"by_source\":{}},"	\
	"\"integrity\":{\"ok\":false,\"problems\":[]},\"clusters_total\":9,"		\
	"\"clusters\":[" clusters "]}\n"

#define CLUSTER(rank, count, sig, kind, preview)				\
	"{\"rank\":" #rank ",\"count\":" #count ",\"bytes\":" #count "000,"		\
	"\"share_of_live\":0.5,\"members\":[\"0x1\"],\"kind\":\"" kind "\","		\
	"\"preview\":\"" preview "\",\"strings\":[{\"text\":\"cpu0 1\",\"length\":6,"	\
	"\"members\":2},{\"text\":\"b\",\"length\":1,\"members\":1}],"			\
	"\"owner\":{\"guess\":\"who\",\"confidence\":\"low\"}" sig "}"

static int read_text(const char *text, struct sa_report *r, char *err, size_t errlen)
{
	return sa_report_parse(text, strlen(text), "saved.jsonl", r, err, errlen);
}

static bool test_report_cluster_document(void)
{
	static const char text[] = CLUSTER_DOC("a/vmcore", "kmalloc-4k",
		CLUSTER(1, 7, ",\"signature\":\"0123456789ABCDEF\"", "text", "ver\\n\\\\xff\\u00e9")
		"," CLUSTER(2, 3, "", "binary", ""));
	struct sa_report r;
	const struct sa_report_doc *d;
	const struct sa_report_cluster *c;
	char err[400] = "";

	CHECK(read_text(text, &r, err, sizeof(err)) == 0);
	CHECK(r.ndocs == 1 && r.lines == 1 && r.unusable == 0 && err[0] == '\0');
	d = &r.docs[0];
	CHECK(d->kind == SA_DOC_CLUSTERS && d->line == 1);
	CHECK(!strcmp(d->source, "a/vmcore") && !strcmp(d->cache, "kmalloc-4k"));
	CHECK(d->object_size == 4096 && d->slot_size == 4096);
	CHECK(d->slabs == 3 && d->objects == 24 && d->live == 20 && d->free == 4);
	CHECK(!d->integrity_ok && d->clusters_total == 9 && d->nclusters == 2);
	c = &d->clusters[0];
	CHECK(c->rank == 1 && c->count == 7 && c->bytes == 7000 && c->is_text);
	CHECK(c->has_signature && !strcmp(c->signature, "0123456789abcdef"));
	/* "ver\n" then the byte 0xff (\xNN, README), then U+00E9 in UTF-8 */
	CHECK(c->preview.len == 7 && !memcmp(c->preview.bytes, "ver\n\xff\xc3\xa9", 7));
	CHECK(c->nstrings == 2 && c->strings[0].len == 6 &&
	      !memcmp(c->strings[0].bytes, "cpu0 1", 6));
	CHECK(c->owner && !strcmp(c->owner, "who"));
	c = &d->clusters[1];
	CHECK(c->rank == 2 && c->count == 3 && !c->is_text && !c->has_signature);
	CHECK(c->preview.len == 0);
	sa_report_free(&r);
	return unit_ok();
}

static bool test_report_ranking_and_error(void)
{
	static const char text[] =
		"{\"schema\":\"leakext/1\",\"source\":\"b\",\"slab_bytes\":100,\"caches_total\":2,"
		"\"caches\":[{\"name\":\"kmalloc-64\",\"address\":\"0x1\",\"object_size\":64,"
		"\"slot_size\":64,\"live\":5,\"objects\":8,\"slabs\":1,\"slab_bytes\":4096,"
		"\"integrity\":{\"ok\":true,\"problems\":[]}},"
		"{\"name\":\"bad\",\"address\":\"0x2\",\"object_size\":8,\"slot_size\":8,"
		"\"error\":true,\"reason\":\"corrupt\"}],\"complete\":true}\n"
		"\n"
		"{\"schema\":\"leakext/1\",\"source\":\"c\",\"error\":\"not a dump\"}\n";
	struct sa_report r;
	char err[400] = "";

	CHECK(read_text(text, &r, err, sizeof(err)) == 0);
	CHECK(r.ndocs == 2 && r.lines == 2);
	CHECK(r.docs[0].kind == SA_DOC_RANKING && r.docs[0].complete && r.docs[0].nrows == 2);
	CHECK(!strcmp(r.docs[0].rows[0].name, "kmalloc-64") && r.docs[0].rows[0].live == 5 &&
	      r.docs[0].rows[0].objects == 8 && r.docs[0].rows[0].slabs == 1 &&
	      r.docs[0].rows[0].slab_bytes == 4096 && !r.docs[0].rows[0].error);
	CHECK(r.docs[0].rows[1].error && r.docs[0].rows[1].object_size == 8);
	CHECK(r.docs[1].kind == SA_DOC_ERROR && r.docs[1].line == 3 &&
	      !strcmp(r.docs[1].source, "c") && !strcmp(r.docs[1].error, "not a dump"));
	sa_report_free(&r);
	return unit_ok();
}

/* Every bad line named by file and line; the good ones still read. */
static bool test_report_bad_lines(void)
{
	static const char text[] =
		CLUSTER_DOC("one", "kmalloc-4k", CLUSTER(1, 7, "", "text", "a"))
		"not json\n"
		"{\"schema\":\"leakext/2\",\"source\":\"x\"}\n"
		"{\"schema\":\"leakext/1\",\"source\":\"y\",\"cache\":{\"name\":\"c\","
		"\"object_size\":1e3,\"slot_size\":1}}\n"
		CLUSTER_DOC("two", "kmalloc-4k", CLUSTER(1, 99999999999999999999999, "", "text", "a"))
		CLUSTER_DOC("three", "kmalloc-4k", CLUSTER(1, 2, ",\"signature\":\"0123\"", "text", "a"))
		"{\"schema\":\"leakext/1\",\"source\":\"\\u001b[2J\",\"kind\":\"merge\"}\n"
		CLUSTER_DOC("four", "kmalloc-8k", CLUSTER(1, 5, "", "text", "b"))
		"{\"schema\":\"leakext/1\",\"source\":\"cut\",\"cache\":{\"na";
	struct sa_report r;
	char err[400] = "";

	CHECK(read_text(text, &r, err, sizeof(err)) == 1);
	CHECK(r.ndocs == 2 && r.lines == 9 && r.unusable == 7 && r.nproblems == 7);
	CHECK(!strcmp(r.docs[0].source, "one") && !strcmp(r.docs[1].source, "four"));
	CHECK(r.docs[1].line == 8);
	CHECK(sa_report_find(&r, NULL, "kmalloc-8k") == &r.docs[1]);
	CHECK(sa_report_find(&r, "one", "kmalloc-4k") == &r.docs[0]);
	CHECK(sa_report_find(&r, "four", "kmalloc-4k") == NULL);
	CHECK(sa_report_find(&r, NULL, "kmalloc-4096") == NULL);	/* no aliases */
	CHECK(!strcmp(err, "saved.jsonl:2: not a JSON document (at column 1: not a JSON value)"));
	CHECK(!strcmp(r.problems[0], err));
	CHECK(!strcmp(r.problems[1], "saved.jsonl:3: not a leakext/1 document (schema leakext/2)"));
	CHECK(!strcmp(r.problems[2], "saved.jsonl:4: not an integer in 0..2^64-1: \"object_size\""));
	CHECK(!strcmp(r.problems[3], "saved.jsonl:5: not an integer in 0..2^64-1: \"count\""));
	CHECK(!strcmp(r.problems[4], "saved.jsonl:6: not 16 hex digits: \"signature\""));
	CHECK(!strcmp(r.problems[5], "saved.jsonl:7: not a vmcore's report: it has a \"kind\""));
	CHECK(!strncmp(r.problems[6], "saved.jsonl:9: a document cut short (the file ends without a newline)",
		       69));
	sa_report_free(&r);
	return unit_ok();
}

static bool test_report_nothing_usable(void)
{
	struct sa_report r;
	char err[400] = "";

	CHECK(read_text("", &r, err, sizeof(err)) == -1);
	CHECK(!strcmp(err, "saved.jsonl: no document (an empty file)"));
	sa_report_free(&r);
	CHECK(read_text("[1]\n{}\n", &r, err, sizeof(err)) == -1);
	CHECK(r.ndocs == 0 && r.unusable == 2);
	CHECK(!strcmp(err, "no usable document: saved.jsonl:1: a JSON value that is not an object"));
	CHECK(!strcmp(r.problems[1], "saved.jsonl:2: not a leakext/1 document (schema missing)"));
	sa_report_free(&r);
	CHECK(sa_report_read("/nonexistent/saved.jsonl", &r, err, sizeof(err)) == -1);
	CHECK(!strcmp(err, "/nonexistent/saved.jsonl: no such file"));
	sa_report_free(&r);
	CHECK(sa_report_read("/", &r, err, sizeof(err)) == -1);
	CHECK(!strcmp(err, "/: is a directory, not a file"));
	sa_report_free(&r);
	CHECK(sa_report_read("/dev/zero", &r, err, sizeof(err)) == -1 && r.lines == 0);
	CHECK(strstr(err, "/dev/zero: ") == err);
	sa_report_free(&r);
	return unit_ok();
}

const struct unit_test report_reader_tests[] = {
	{ "report reader: a cluster report's model", test_report_cluster_document },
	{ "report reader: a ranking's rows and an error document", test_report_ranking_and_error },
	{ "report reader: bad lines named, good lines read", test_report_bad_lines },
	{ "report reader: nothing usable", test_report_nothing_usable },
	{ NULL, NULL },
};
