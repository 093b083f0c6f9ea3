// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of saved reports as --diff sources (src/standalone/saved_summary.c). */
#include <stdio.h>
#include <string.h>

#include "standalone/saved_summary.h"
#include "unit.h"

#define DOC_HEAD								\
	"{\"schema\":\"leakext/1\",\"source\":\"a/vmcore\",\"redacted\":false,"		\
	"\"cache\":{\"name\":\"kmalloc-4k\",\"address\":\"0x1\",\"object_size\":4096,"	\
	"\"slot_size\":8192,\"objects_per_slab\":4,\"order\":3},"			\
	"\"counts\":{\"slabs\":9,\"objects\":36,\"live\":31,\"free\":5,\"by_source\":{}},"	\
	"\"integrity\":{\"ok\":true,\"problems\":[]},\"clusters_total\":4,\"clusters\":["

#define CLUSTER(count, sig, kind, preview)					\
	"{\"rank\":1,\"count\":" #count ",\"bytes\":" #count "0,\"members\":[],"	\
	"\"kind\":\"" kind "\",\"preview\":\"" preview "\",\"strings\":[],"		\
	"\"owner\":{\"guess\":\"who\",\"confidence\":\"low\"}" sig "}"

static bool test_saved_clusters(void)
{
	static const char text[] = DOC_HEAD
		CLUSTER(20, ",\"signature\":\"00000000000000ff\"", "text", "version 15\\n")
		"," CLUSTER(6, ",\"signature\":\"0000000000000010\"", "binary", "")
		"," CLUSTER(4, ",\"signature\":\"00000000000000ff\"", "text", "version 16\\n")
		"," CLUSTER(1, ",\"signature\":null", "binary", "") "]}\n";
	struct lx_summary sum;
	struct sa_report r;
	char err[400] = "";

	CHECK(sa_report_parse(text, strlen(text), "saved.jsonl", &r, err, sizeof(err)) == 0);
	CHECK(r.ndocs == 1 && sa_summary_from_doc(&r.docs[0], "a/vmcore (saved)", &sum, err,
						  sizeof(err)));
	CHECK(!strcmp(sum.cache, "kmalloc-4k") && !strcmp(sum.source, "a/vmcore (saved)"));
	CHECK(sum.live == 31 && sum.bytes == 31 * 8192);
	/* sorted by signature; the two 0xff clusters summed; the unsigned one apart */
	CHECK(sum.nclusters == 2 && sum.unsigned_count == 1);
	CHECK(sum.clusters[0].signature == 0x10 && sum.clusters[0].count == 6 &&
	      sum.clusters[0].head_len == 0);
	CHECK(sum.clusters[1].signature == 0xff && sum.clusters[1].count == 24 &&
	      sum.clusters[1].bytes == 240);
	CHECK(sum.clusters[1].head_len == 11 && !memcmp(sum.clusters[1].head, "version 15\n", 11));
	lx_summary_free(&sum);
	sa_report_free(&r);
	return unit_ok();
}

static bool test_saved_ranking(void)
{
	static const char text[] =
		"{\"schema\":\"leakext/1\",\"source\":\"b\",\"slab_bytes\":1,\"caches\":["
		"{\"name\":\"kmalloc-64\",\"address\":\"0x1\",\"object_size\":64,\"slot_size\":64,"
		"\"live\":10,\"objects\":64,\"slabs\":1,\"slab_bytes\":4096,"
		"\"integrity\":{\"ok\":true,\"problems\":[]}},"
		"{\"name\":\"dentry\",\"address\":\"0x2\",\"object_size\":192,\"slot_size\":192,"
		"\"error\":true,\"reason\":\"unreadable\"},"
		"{\"name\":\"filp\",\"address\":\"0x3\",\"object_size\":256,\"slot_size\":256,"
		"\"live\":3,\"objects\":16,\"slabs\":1,\"slab_bytes\":4096,"
		"\"integrity\":{\"ok\":true,\"problems\":[]}}],\"complete\":true}\n";
	struct lx_summary sum;
	struct sa_report r;
	char err[400] = "";

	CHECK(sa_report_parse(text, strlen(text), "rank.jsonl", &r, err, sizeof(err)) == 0);
	CHECK(r.ndocs == 1 && sa_summary_from_doc(&r.docs[0], "b", &sum, err, sizeof(err)));
	CHECK(!sum.cache[0] && sum.ncaches == 2);	/* the unread cache is left out */
	CHECK(!strcmp(sum.caches[0].name, "filp") && sum.caches[0].bytes == 3 * 256);
	CHECK(!strcmp(sum.caches[1].name, "kmalloc-64") && sum.caches[1].live == 10);
	CHECK(sum.live == 13 && sum.bytes == 10 * 64 + 3 * 256);
	lx_summary_free(&sum);
	sa_report_free(&r);
	return unit_ok();
}

static bool test_saved_error_document(void)
{
	static const char text[] =
		"{\"schema\":\"leakext/1\",\"source\":\"c\",\"error\":\"no such file\"}\n";
	struct lx_summary sum;
	struct sa_report r;
	char err[400] = "";

	CHECK(sa_report_parse(text, strlen(text), "err.jsonl", &r, err, sizeof(err)) == 0);
	CHECK(r.ndocs == 1 && !sa_summary_from_doc(&r.docs[0], "c", &sum, err, sizeof(err)));
	CHECK(strstr(err, "could not be read") != NULL);
	sa_report_free(&r);
	return unit_ok();
}

const struct unit_test saved_summary_tests[] = {
	{ "saved summary: clusters by signature from a -j report", test_saved_clusters },
	{ "saved summary: a ranking's caches, unread ones left out", test_saved_ranking },
	{ "saved summary: an error document gives none", test_saved_error_document },
	{ NULL, NULL }
};
