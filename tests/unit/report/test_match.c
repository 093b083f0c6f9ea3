// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of summaries and their matching (src/report/summary.c, match.c). */
#include <stdlib.h>
#include <string.h>

#include "leakext/summary.h"
#include "unit.h"

/* A summary of clusters (signature, count) in the order a reader met them. */
static void clusters_of(struct lx_summary *sum, const uint64_t (*rows)[2], size_t n)
{
	size_t i;

	memset(sum, 0, sizeof(*sum));
	sum->clusters = calloc(n + 1, sizeof(*sum->clusters));
	for (i = 0; i < n; i++) {
		sum->clusters[i].signature = rows[i][0];
		sum->clusters[i].count = rows[i][1];
		sum->clusters[i].bytes = rows[i][1] * 4096;
	}
	sum->nclusters = n;
	CHECK(lx_summary_normalize(sum));
}

static void caches_of(struct lx_summary *sum, const char *const *names, const uint64_t *live,
		      size_t n)
{
	size_t i;

	memset(sum, 0, sizeof(*sum));
	sum->caches = calloc(n + 1, sizeof(*sum->caches));
	for (i = 0; i < n; i++) {
		snprintf(sum->caches[i].name, sizeof(sum->caches[i].name), "%s", names[i]);
		sum->caches[i].live = live[i];
	}
	sum->ncaches = n;
	CHECK(lx_summary_normalize(sum));
}

/* The pair naming old's entry of signature a and new's of b (0: absent). */
static bool has_pair(const struct lx_matching *m, const struct lx_summary *old,
		     const struct lx_summary *new, uint64_t a, uint64_t b)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct lx_match *p = &m->pairs[i];
		uint64_t x = p->old < 0 ? 0 : old->clusters[p->old].signature;
		uint64_t y = p->new < 0 ? 0 : new->clusters[p->new].signature;

		if (x == a && y == b)
			return true;
	}
	return false;
}

static bool test_normalize_merges_signatures(void)
{
	static const uint64_t rows[][2] = { { 30, 5 }, { 10, 1 }, { 30, 7 }, { 20, 2 } };
	struct lx_summary sum;

	clusters_of(&sum, rows, 4);
	CHECK(sum.nclusters == 3);
	CHECK(sum.clusters[0].signature == 10 && sum.clusters[1].signature == 20 &&
	      sum.clusters[2].signature == 30);
	CHECK(sum.clusters[2].count == 12 && sum.clusters[2].bytes == 12 * 4096);
	CHECK(lx_summary_find(&sum, 20) == &sum.clusters[1]);
	CHECK(lx_summary_find(&sum, 25) == NULL);
	CHECK(lx_summary_find(&sum, 31) == NULL);
	lx_summary_free(&sum);
	return unit_ok();
}

static bool test_match_clusters(void)
{
	static const uint64_t before[][2] = { { 7, 100 }, { 3, 4 }, { 9, 1 } };
	static const uint64_t after[][2] = { { 5, 2 }, { 7, 160 }, { 3, 4 }, { 11, 8 } };
	struct lx_summary old, new;
	struct lx_matching m;

	clusters_of(&old, before, 3);
	clusters_of(&new, after, 4);
	CHECK(lx_match_clusters(&old, &new, &m));
	CHECK(m.n == 5 && m.matched == 2 && m.appeared == 2 && m.vanished == 1);
	CHECK(has_pair(&m, &old, &new, 7, 7) && has_pair(&m, &old, &new, 3, 3));
	CHECK(has_pair(&m, &old, &new, 0, 5) && has_pair(&m, &old, &new, 0, 11));
	CHECK(has_pair(&m, &old, &new, 9, 0));
	lx_matching_free(&m);
	/* a summary against itself: everything matched, in place */
	CHECK(lx_match_clusters(&new, &new, &m));
	CHECK(m.n == 4 && m.matched == 4 && !m.appeared && !m.vanished);
	CHECK(m.pairs[2].old == 2 && m.pairs[2].new == 2);
	lx_matching_free(&m);
	lx_summary_free(&old);
	lx_summary_free(&new);
	return unit_ok();
}

static bool test_match_empty(void)
{
	static const uint64_t rows[][2] = { { 1, 1 } };
	struct lx_summary none, one;
	struct lx_matching m;

	clusters_of(&none, rows, 0);
	clusters_of(&one, rows, 1);
	CHECK(lx_match_clusters(&none, &one, &m));
	CHECK(m.n == 1 && m.appeared == 1 && m.pairs[0].old == -1 && m.pairs[0].new == 0);
	lx_matching_free(&m);
	CHECK(lx_match_clusters(&one, &none, &m));
	CHECK(m.n == 1 && m.vanished == 1 && m.pairs[0].new == -1);
	lx_matching_free(&m);
	lx_summary_free(&none);
	lx_summary_free(&one);
	/* a cluster summary has no caches[], a ranking's no clusters[] */
	memset(&none, 0, sizeof(none));
	CHECK(lx_summary_normalize(&none));
	CHECK(!lx_summary_find_cache(&none, "kmalloc-4k") && !lx_summary_find(&none, 1));
	CHECK(lx_match_caches(&none, &none, &m) && m.n == 0);
	lx_matching_free(&m);
	return unit_ok();
}

static bool test_match_caches(void)
{
	static const char *const a[] = { "kmalloc-4k", "dentry", "kmalloc-64" };
	static const char *const b[] = { "kmalloc-64", "filp", "kmalloc-4k", "kmalloc-4k" };
	static const uint64_t la[] = { 10, 20, 30 }, lb[] = { 31, 1, 15, 99 };
	struct lx_summary old, new;
	struct lx_matching m;
	size_t i, seen = 0;

	caches_of(&old, a, la, 3);
	caches_of(&new, b, lb, 4);
	CHECK(new.ncaches == 3);	/* a name twice counts once, the larger */
	CHECK(lx_summary_find_cache(&new, "kmalloc-4k") &&
	      lx_summary_find_cache(&new, "kmalloc-4k")->live == 99);
	CHECK(lx_match_caches(&old, &new, &m));
	CHECK(m.matched == 2 && m.appeared == 1 && m.vanished == 1);
	for (i = 0; i < m.n; i++) {
		const struct lx_match *p = &m.pairs[i];

		if (p->old >= 0 && p->new >= 0) {
			CHECK(!strcmp(old.caches[p->old].name, new.caches[p->new].name));
			seen++;
		} else if (p->old < 0) {
			CHECK(!strcmp(new.caches[p->new].name, "filp"));
		} else {
			CHECK(!strcmp(old.caches[p->old].name, "dentry"));
		}
	}
	CHECK(seen == 2);
	lx_matching_free(&m);
	lx_summary_free(&old);
	lx_summary_free(&new);
	return unit_ok();
}

const struct unit_test match_tests[] = {
	{ "summary: equal signatures merge, sorted, found", test_normalize_merges_signatures },
	{ "match: clusters matched, appeared, vanished", test_match_clusters },
	{ "match: an empty side", test_match_empty },
	{ "match: caches by name", test_match_caches },
	{ NULL, NULL }
};
