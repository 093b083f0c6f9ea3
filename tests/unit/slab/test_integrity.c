// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Integrity checks and bounds on synthetic kernels: every way issue 11's
 * probe made the walker give a wrong answer in silence must now either
 * give the exact answer or flag the cache, and hostile globals must not
 * make it work or talk without end.
 */
#include <string.h>

#include "fixture.h"
#include "leakext/leakext.h"
#include "unit.h"

/* pfn 10 partial (5 live), pfn 11 a cpu's (7 live), pfn 12 full, untracked. */
static void consistent_kernel(struct fixture *f)
{
	static const unsigned int cpu_free[] = { 3 };

	fx_one_partial_slab(f);
	fk_add_slab(&f->fk, 11, FK_OBJS, true);
	fk_set_cpu(&f->fk, 0, 11, fk_chain(&f->fk, 11, cpu_free, 1), 0);
	fk_add_slab(&f->fk, 12, FK_OBJS, false);
	fk_set_node_nr_slabs(&f->fk, 3);
}

static bool flagged_with(struct fixture *f, enum lx_problem kind)
{
	return !lx_integrity_ok(&f->scan.integrity) &&
	       f->scan.integrity.count[kind] > 0 && f->s.flagged;
}

static bool test_consistent_kernel_is_clean(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	consistent_kernel(&f);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(f.scan.live == 5 + 7 + 8 && f.scan.nslabs == 3);
	CHECK(lx_integrity_ok(&f.scan.integrity) && !f.s.flagged);
	CHECK(f.fk.messages[0] == '\0');
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* kmem_cache.node[0] = NULL: the memory map still finds every slab. */
static bool test_missing_node_flagged(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	consistent_kernel(&f);
	fk_w64(&f.fk, FK_CACHE + 216, 0);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(f.scan.live == 5 + 7 + 8);
	CHECK(flagged_with(&f, LX_PROB_NODE));
	CHECK(flagged_with(&f, LX_PROB_LIST));	/* the partial slab is on no list */
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* nr_slabs = 0 used to skip the memory map: untracked full slabs vanished. */
static bool test_node_counter_zero_flagged(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	consistent_kernel(&f);
	fk_w64(&f.fk, FK_NODE + 32, 0);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(f.scan.live == 5 + 7 + 8);
	CHECK(flagged_with(&f, LX_PROB_NODE));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* kmem_cache_cpu.slab = 0 with a lockless freelist left behind. */
static bool test_cleared_cpu_slab_flagged(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	consistent_kernel(&f);
	fk_w64(&f.fk, FK_CPU_SLAB + FK_PERCPU_BASE + 16, 0);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(flagged_with(&f, LX_PROB_CPU));
	CHECK(strstr(f.fk.messages, "lockless freelist but no slab") != NULL);
	CHECK(strstr(f.fk.messages, "frozen") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* A partial slab's freelist = 0 although inuse says 5 of 8. */
static bool test_cleared_slab_freelist_flagged(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	consistent_kernel(&f);
	fk_set_slab_freelist(&f.fk, 10, 0);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(f.scan.live == 8 + 7 + 8);	/* wrong, and said so: */
	CHECK(flagged_with(&f, LX_PROB_INUSE));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* kmem_cache.random = 0: no free pointer decodes, so nothing is free. */
static bool test_zero_random_flagged(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	consistent_kernel(&f);
	fk_w64(&f.fk, FK_CACHE + 184, 0);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(flagged_with(&f, LX_PROB_FREELIST));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* red_left_pad so large no object fits: every slab is refused, flagged. */
static bool test_huge_red_left_pad_flagged(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	consistent_kernel(&f);
	fk_w32(&f.fk, FK_CACHE + 88, 0x1f8);
	CHECK(fx_run_scan(&f) != LX_OK || flagged_with(&f, LX_PROB_OBJECTS));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* nr_cpu_ids = 65536: only the possible cpus are read; no flood. */
static bool test_impossible_cpus_not_read(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	consistent_kernel(&f);
	fk_w32(&f.fk, 0xffffffff82000100ULL, 65536);	/* nr_cpu_ids */
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(f.s.K.nr_cpus == FK_NR_CPUS);
	CHECK(f.scan.live == 5 + 7 + 8 && lx_integrity_ok(&f.scan.integrity));
	CHECK(strstr(f.fk.messages, "__cpu_possible_mask allows 2 cpus") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* max_pfn = 2^40 - 1: the scan stops where the dump's memory ends. */
static bool test_max_pfn_bounded_by_dump(void)
{
	struct fixture f;
	double start;

	fx_setup(&f, LX_FP_XOR_SWAB);
	consistent_kernel(&f);
	f.fk.phys_end = (uint64_t)FK_MAX_PFN << 12;
	fk_w64(&f.fk, 0xffffffff82000600ULL, (1ULL << 40) - 1);	/* max_pfn */
	start = lx_now();
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_now() - start < 5);
	CHECK(f.s.K.max_pfn == FK_MAX_PFN);
	CHECK(f.scan.live == 5 + 7 + 8 && lx_integrity_ok(&f.scan.integrity));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* A slab_caches link cut to NULL: the ranking says it is incomplete. */
static bool test_cut_cache_list_reported(void)
{
	struct lx_options opt = { .json = true, .source = "test" };
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	consistent_kernel(&f);
	fk_w64(&f.fk, FK_CACHE + 104, 0);	/* list.next */
	CHECK(fx_command(&f, &opt) == LX_OK);
	fflush(f.fk.out);
	CHECK(f.res.flagged);
	CHECK(strstr(f.fk.outbuf, "\"complete\":false") != NULL);
	CHECK(strstr(f.fk.outbuf, "kmalloc-512") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool ranking_json(struct fixture *f, const char *expect)
{
	struct lx_options opt = { .json = true, .source = "test" };

	consistent_kernel(f);
	if (fx_command(f, &opt) != LX_OK)
		return false;
	fflush(f->fk.out);
	return strstr(f->fk.outbuf, expect) != NULL;
}

static bool test_consistent_ranking_complete(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	CHECK(ranking_json(&f, "\"complete\":true"));
	CHECK(!f.res.flagged && strstr(f.fk.outbuf, "\"ok\":true") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* slab_caches pointing at itself: an empty list no kernel can have. */
static bool test_empty_cache_list_flagged(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_w64(&f.fk, 0xffffffff82000000ULL, 0xffffffff82000000ULL);
	CHECK(ranking_json(&f, "\"complete\":false"));
	CHECK(f.res.flagged && strstr(f.fk.messages, "list is empty") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* A prev link that does not point back: the list was bent somewhere. */
static bool test_bent_cache_list_flagged(void)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	fk_w64(&f.fk, FK_CACHE + 112, FK_CACHE + 104);	/* prev: itself */
	CHECK(ranking_json(&f, "\"complete\":false"));
	CHECK(strstr(f.fk.outbuf, "kmalloc-512") != NULL);
	CHECK(f.res.flagged && strstr(f.fk.messages, "inconsistent") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Each kind of warning is shown three times, then counted. */
static bool test_repeated_warnings_counted(void)
{
	struct fixture f;
	const char *p;
	int i, shown = 0;

	fx_setup(&f, LX_FP_XOR_SWAB);
	for (i = 0; i < 1000; i++)
		lx_msg(&f.fk.target, LX_MSG_WARN, "cpu %d: trouble \x1b[31m\a", i);
	lx_msg_flush(&f.fk.target);
	for (p = f.fk.messages; (p = strstr(p, "trouble")); p++)
		shown++;
	CHECK(shown == 3 + 1);	/* three, and the summary quoting the first */
	CHECK(strstr(f.fk.messages, "... and 997 more like: cpu 0: trouble") != NULL);
	CHECK(strchr(f.fk.messages, '\x1b') == NULL && strchr(f.fk.messages, '\a') == NULL);
	CHECK(strstr(f.fk.messages, "\\x1b[31m\\x07") != NULL);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

const struct unit_test integrity_tests[] = {
	{ "integrity: a consistent kernel is clean", test_consistent_kernel_is_clean },
	{ "integrity: node[0] = NULL flagged, count exact", test_missing_node_flagged },
	{ "integrity: nr_slabs = 0 flagged, count exact", test_node_counter_zero_flagged },
	{ "integrity: cleared cpu slab flagged", test_cleared_cpu_slab_flagged },
	{ "integrity: cleared slab freelist flagged (inuse)", test_cleared_slab_freelist_flagged },
	{ "integrity: random = 0 flagged", test_zero_random_flagged },
	{ "integrity: huge red_left_pad flagged", test_huge_red_left_pad_flagged },
	{ "bounds: nr_cpu_ids beyond the possible mask", test_impossible_cpus_not_read },
	{ "bounds: max_pfn beyond the dump's memory", test_max_pfn_bounded_by_dump },
	{ "ranking: a cut slab_caches list is reported", test_cut_cache_list_reported },
	{ "ranking: a consistent kernel is complete and clean", test_consistent_ranking_complete },
	{ "ranking: an empty slab_caches list is flagged", test_empty_cache_list_flagged },
	{ "ranking: a prev link that does not point back is flagged", test_bent_cache_list_flagged },
	{ "messages: repeats counted, bytes escaped", test_repeated_warnings_counted },
	{ NULL, NULL },
};
