// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of kmemleak's records (slab/kmemleak.c) and their summary
 * over a set of objects (analysis/kmemleak_sets.c) on the fake kernel:
 * 6.12's struct kmemleak_object on object_list, each verdict, records
 * skipped, a looping and a broken list, and the stack most members share.
 *
 * The last scan was at jiffies 1000, jiffies_min_age is 500, the dump at
 * 1200: an object allocated at 600 was too young to report then (600 +
 * 500 > 1000), one at 1100 came after it.
 */
#include <string.h>

#include "analysis/kmemleak_sets.h"
#include "fake_depot.h"
#include "fake_kmemleak.h"
#include "fixture.h"
#include "slab/kmemleak.h"
#include "unit.h"

#define ALLOCATED 0x1u
#define REPORTED 0x2u
#define PHYS 0x10u
#define PERCPU 0x20u
#define OBJ(n) (0xffff888000a00000ULL + (n) * 0x100ULL)

static const struct fkl_rec records[] = {
	/* deliberately not in address order */
	{ OBJ(3), 80, 100, ALLOCATED | REPORTED, 0, 1, 0, 39, "insmod" },
	{ OBJ(1), 80, 100, ALLOCATED, 0, 1, 0, 1, "init" },	/* white, old */
	{ OBJ(2), 80, 600, ALLOCATED, 0, 1, 0, 1, "init" },	/* young */
	{ OBJ(4), 80, 1100, ALLOCATED, 0, 1, 0, 1, "init" },	/* new */
	{ OBJ(5), 80, 100, ALLOCATED, 0, 1, 1, 1, "init" },	/* referenced */
	{ OBJ(6), 80, 100, ALLOCATED, 0, 0, 0, 1, "init" },	/* grey */
	{ OBJ(7), 80, 100, ALLOCATED, 0, -1, 0, 1, "init" },	/* black */
	{ OBJ(8), 80, 100, ALLOCATED | PHYS, 0, 1, 0, 1, "init" },
	{ OBJ(9), 80, 100, ALLOCATED | PERCPU, 0, 1, 0, 1, "init" },
	{ OBJ(10), 80, 100, 0, 0, 1, 0, 1, "init" },		/* being freed */
};

#define NRECORDS (sizeof(records) / sizeof(records[0]))

static bool kml_session(struct fixture *f, const struct fkl_rec *recs, unsigned int n)
{
	fx_setup(f, LX_FP_PLAIN);
	fkl_setup(&f->fk, 1000, 500, 1200);
	fkl_list(&f->fk, recs, n);
	fx_one_partial_slab(f);
	return fx_run_scan(f) == LX_OK;
}

static enum lx_kml_verdict verdict_of(const struct lx_kmemleak *K, uint64_t obj)
{
	return lx_kmemleak_verdict(K, lx_kmemleak_find(K, obj));
}

static bool test_records_and_verdicts(void)
{
	struct lx_kmemleak K;
	struct fixture f;
	size_t i;

	CHECK(kml_session(&f, records, NRECORDS));
	CHECK(lx_kmemleak_read(&f.s, &K) == LX_OK);
	CHECK(K.present && !K.cut && K.walked == NRECORDS);
	CHECK(K.n == 7 && K.skipped == 3);
	for (i = 1; i < K.n; i++)
		CHECK(K.recs[i - 1].pointer < K.recs[i].pointer);
	CHECK(K.last_scan_known && K.last_scan == 1000 && K.min_age == 500 &&
	      K.now == 1200);
	CHECK(verdict_of(&K, OBJ(3)) == LX_KML_REPORTED);
	CHECK(verdict_of(&K, OBJ(1)) == LX_KML_WHITE);
	CHECK(verdict_of(&K, OBJ(2)) == LX_KML_YOUNG);
	CHECK(verdict_of(&K, OBJ(4)) == LX_KML_NEW);
	CHECK(verdict_of(&K, OBJ(5)) == LX_KML_REFERENCED);
	CHECK(verdict_of(&K, OBJ(6)) == LX_KML_GREY);
	CHECK(verdict_of(&K, OBJ(7)) == LX_KML_BLACK);
	CHECK(verdict_of(&K, OBJ(8)) == LX_KML_UNTRACKED);	/* physical */
	CHECK(verdict_of(&K, OBJ(9)) == LX_KML_UNTRACKED);	/* per-cpu */
	CHECK(verdict_of(&K, OBJ(10)) == LX_KML_UNTRACKED);	/* freed */
	CHECK(verdict_of(&K, OBJ(3) + 8) == LX_KML_UNTRACKED);	/* inside */
	CHECK(lx_kmemleak_find(&K, OBJ(3))->pid == 39 &&
	      !strcmp(lx_kmemleak_find(&K, OBJ(3))->comm, "insmod") &&
	      lx_kmemleak_find(&K, OBJ(3))->size == 80);
	lx_kmemleak_free(&f.s, &K);
	CHECK(!K.recs && !K.n);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Jiffies wrap: a scan just after the wrap, an object just before it. */
static bool test_verdict_wraps(void)
{
	struct lx_kmemleak K = { .present = true, .last_scan_known = true,
				 .last_scan = 10, .min_age = 500, .word = 8 };
	struct lx_kml_record r = { .flags = ALLOCATED, .min_count = 1 };

	r.jiffies = UINT64_MAX - 100;	/* 111 jiffies before the scan */
	CHECK(lx_kmemleak_verdict(&K, &r) == LX_KML_YOUNG);
	r.jiffies = UINT64_MAX - 1000;
	CHECK(lx_kmemleak_verdict(&K, &r) == LX_KML_WHITE);
	r.jiffies = 11;
	CHECK(lx_kmemleak_verdict(&K, &r) == LX_KML_NEW);
	K.word = 4;
	K.last_scan = 10;
	r.jiffies = 0xffffff00ULL;	/* a 32-bit kernel's */
	CHECK(lx_kmemleak_verdict(&K, &r) == LX_KML_YOUNG);
	K.last_scan_known = false;
	CHECK(lx_kmemleak_verdict(&K, &r) == LX_KML_WHITE);
	return unit_ok();
}

/* A loop back into the list, a next that leads nowhere: cut, what was read kept. */
static bool test_hostile_lists(void)
{
	struct lx_kmemleak K;
	struct fixture f;

	CHECK(kml_session(&f, records, 4));
	fk_w64(&f.fk, fkl_rec_addr(3) + 8, fkl_rec_addr(1) + 8);	/* 3 -> 1 */
	CHECK(lx_kmemleak_read(&f.s, &K) == LX_OK);
	CHECK(K.present && K.cut && K.walked == 4 && K.n == 4);
	lx_kmemleak_free(&f.s, &K);
	CHECK(fx_teardown(&f));

	CHECK(kml_session(&f, records, 4));
	fk_w64(&f.fk, fkl_rec_addr(1) + 8, fkl_rec_addr(1) + 8);	/* 1 -> itself */
	CHECK(lx_kmemleak_read(&f.s, &K) == LX_OK);
	CHECK(K.cut && K.walked == 2);
	lx_kmemleak_free(&f.s, &K);
	CHECK(fx_teardown(&f));

	CHECK(kml_session(&f, records, 4));
	fk_w64(&f.fk, fkl_rec_addr(2) + 8, 0xffffffff8f000000ULL);	/* unreadable */
	CHECK(lx_kmemleak_read(&f.s, &K) == LX_OK);
	CHECK(K.cut && K.walked == 3 && K.n == 3);
	lx_kmemleak_free(&f.s, &K);
	CHECK(fx_teardown(&f));

	CHECK(kml_session(&f, records, 4));
	fk_w64(&f.fk, FKL_HEAD, 8);	/* next below the member's offset */
	CHECK(lx_kmemleak_read(&f.s, &K) == LX_OK);
	CHECK(K.cut && K.walked == 0 && K.n == 0);
	CHECK(lx_kmemleak_find(&K, OBJ(3)) == NULL);
	lx_kmemleak_free(&f.s, &K);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* No struct kmemleak_object, or no object_list: nothing, quietly. */
static bool test_absent(void)
{
	struct lx_kmemleak K;
	struct fixture f;

	fx_setup(&f, LX_FP_PLAIN);
	fx_one_partial_slab(&f);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_kmemleak_read(&f.s, &K) == LX_OK && !K.present && !K.n);
	CHECK(fx_teardown(&f));

	fx_setup(&f, LX_FP_PLAIN);
	fk_profile(&f.fk, "kmemleak");	/* the type, but no list */
	fx_one_partial_slab(&f);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_kmemleak_read(&f.s, &K) == LX_OK && !K.present);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * Three of four objects allocated at one stack whose first frame is the
 * allocator's: the site is the caller; pid and comm those of the first
 * such member, comm made terminal-safe.
 */
static bool test_set_stack(void)
{
	const uint64_t alloc_fn = FD_FUNC + 0x300;
	const uint64_t frames[] = { alloc_fn + 0x12d, FD_FUNC + 0x100 + 0x30, FD_FUNC + 0x8 };
	const uint64_t other[] = { FD_FUNC + 0x200 };
	const uint64_t objs[] = { OBJ(1), OBJ(2), OBJ(3), OBJ(4), OBJ(20) };
	struct fkl_rec recs[4];
	struct lx_kmemleak K;
	struct lx_kml_set set;
	struct lx_depot D;
	struct fixture f;
	uint32_t h1, h2;
	unsigned int i;

	fx_setup(&f, LX_FP_PLAIN);
	fkl_setup(&f.fk, 1000, 500, 1200);
	fd_setup(&f.fk, false, true);
	fd_symbols(&f.fk);
	fk_add_symbol(&f.fk, "kmem_cache_alloc_noprof", alloc_fn);
	f.fk.nearest_symbols = true;
	h1 = fd_record(&f.fk, false, 0, 2, frames, 3, 3);
	h2 = fd_record(&f.fk, false, 1, 4, other, 1, 1);
	for (i = 0; i < 4; i++)
		recs[i] = (struct fkl_rec){ OBJ(i + 1), 64, 100, ALLOCATED | (i ? 0 : REPORTED),
					    i == 3 ? h2 : h1, 1, 0, 40 + i, "ev\x1b[2Jil" };
	fkl_list(&f.fk, recs, 4);
	fx_one_partial_slab(&f);
	CHECK(fx_run_scan(&f) == LX_OK);
	lx_depot_init(&f.s, &D);
	CHECK(D.present);
	CHECK(lx_kmemleak_read(&f.s, &K) == LX_OK && K.n == 4);
	CHECK(lx_kml_set_build(&f.s, &K, &D, objs, 5, &set) == LX_OK);
	CHECK(set.present && set.members == 5);
	CHECK(set.verdicts[LX_KML_REPORTED] == 1 && set.verdicts[LX_KML_WHITE] == 3 &&
	      set.verdicts[LX_KML_UNTRACKED] == 1);
	CHECK(set.with_stack == 4 && set.top_count == 3 && set.top_handle == h1);
	CHECK(set.nstack == 3);
	CHECK(!strcmp(set.stack[0], "kmem_cache_alloc_noprof+0x12d"));
	CHECK(!strcmp(set.site, "fd_func1+0x30"));
	CHECK(set.pid == 40 && !strcmp(set.comm, "ev.[2Jil"));
	lx_kmemleak_free(&f.s, &K);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * The fake kernel of the commands: kmalloc-512's live objects 0, 2, 4,
 * 6, 7 of pfn 10 and kmemleak's records of four of them (4 untracked),
 * 0 reported and allocated at fd_func1 (through kmem_cache_alloc_noprof).
 * The fake has no root areas: every live object is unreferenced.
 */
static void command_kernel(struct fixture *f)
{
	const uint64_t alloc_fn = FD_FUNC + 0x300;
	const uint64_t frames[] = { alloc_fn + 0x12d, FD_FUNC + 0x100 + 0x30 };
	struct fkl_rec recs[4];
	uint32_t h;

	fx_setup(f, LX_FP_PLAIN);
	fkl_setup(&f->fk, 1000, 500, 1200);
	fd_setup(&f->fk, false, true);
	fd_symbols(&f->fk);
	fk_add_symbol(&f->fk, "kmem_cache_alloc_noprof", alloc_fn);
	f->fk.nearest_symbols = true;
	h = fd_record(&f->fk, false, 0, 2, frames, 2, 2);
	recs[0] = (struct fkl_rec){ fk_obj(10, 0), 512, 100, ALLOCATED | REPORTED, h, 1, 0,
				    39, "insmod" };
	recs[1] = (struct fkl_rec){ fk_obj(10, 2), 512, 100, ALLOCATED, h, 0, 0, 39, "insmod" };
	recs[2] = (struct fkl_rec){ fk_obj(10, 6), 512, 100, ALLOCATED, h, 1, 0, 39, "insmod" };
	recs[3] = (struct fkl_rec){ fk_obj(10, 7), 512, 100, ALLOCATED, 0, 1, 1, 39, "insmod" };
	fkl_list(&f->fk, recs, 4);
	fx_one_partial_slab(f);
}

/* -u: each line with kmemleak's verdict and site; the summary counts them. */
static bool test_unreferenced_command(void)
{
	struct lx_options opt = { .cache = "kmalloc-512", .unreferenced = true };
	struct fixture f;
	char want[512];

	command_kernel(&f);
	CHECK(fx_command(&f, &opt) == LX_OK);
	fflush(f.fk.out);
	snprintf(want, sizeof(want),
		 "%llx  kmemleak: reported  at fd_func1+0x30\n"
		 "%llx  kmemleak: grey  at fd_func1+0x30\n"
		 "%llx  kmemleak: untracked\n"
		 "%llx  kmemleak: white  at fd_func1+0x30\n"
		 "%llx  kmemleak: referenced\n",
		 (unsigned long long)fk_obj(10, 0), (unsigned long long)fk_obj(10, 2),
		 (unsigned long long)fk_obj(10, 4), (unsigned long long)fk_obj(10, 6),
		 (unsigned long long)fk_obj(10, 7));
	CHECK(f.fk.outbuf && !strcmp(f.fk.outbuf, want));
	CHECK(strstr(f.fk.messages, "5 of 5 live objects unreferenced"));
	CHECK(strstr(f.fk.messages,
		     "kmemleak (its last scan, 200 jiffies before the dump) reported 1 of these 5; 1 white; 1 referenced; 1 grey; 1 untracked; it reported 0 more that a root reaches now"));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* The cluster report: the kmemleak lines, the evidence and the JSON object. */
static bool test_cluster_report_kmemleak(void)
{
	struct lx_options opt = { .cache = "kmalloc-512", .no_holders = true };
	struct fixture f;

	command_kernel(&f);
	CHECK(fx_command(&f, &opt) == LX_OK);
	fflush(f.fk.out);
	CHECK(f.fk.outbuf && strstr(f.fk.outbuf,
		"  kmemleak  1/5 reported unreferenced at its last scan; 1 white; 1 referenced; 1 grey; 1 untracked\n"
		"            3/5 allocated at fd_func1+0x30, by pid 39 (insmod)\n"
		"  stack     kmem_cache_alloc_noprof+0x12d\n"
		"            fd_func1+0x30\n"));
	CHECK(strstr(f.fk.outbuf, "+ kmemleak: 3/5 allocated at fd_func1+0x30, by pid 39 (insmod)\n"));
	CHECK(!strstr(f.fk.outbuf, "absent: kmemleak"));
	CHECK(fx_teardown(&f));

	opt.json = true;
	command_kernel(&f);
	CHECK(fx_command(&f, &opt) == LX_OK);
	fflush(f.fk.out);
	CHECK(f.fk.outbuf && strstr(f.fk.outbuf,
		"\"kmemleak\":{\"members\":5,\"verdicts\":{\"reported\":1,\"white\":1,\"young\":0,\"new\":0,\"referenced\":1,\"grey\":1,\"black\":0,\"untracked\":1},"
		"\"with_stack\":3,\"top_stack_members\":3,\"site\":\"fd_func1+0x30\","
		"\"stack\":[\"kmem_cache_alloc_noprof+0x12d\",\"fd_func1+0x30\"],\"pid\":39,\"comm\":\"insmod\"}"));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_allocator_frames(void)
{
	CHECK(lx_kml_allocator_frame("kmem_cache_alloc_noprof"));
	CHECK(lx_kml_allocator_frame("__kmalloc_cache_noprof"));
	CHECK(lx_kml_allocator_frame("kmalloc_trace"));
	CHECK(lx_kml_allocator_frame("kmemleak_alloc"));
	CHECK(!lx_kml_allocator_frame("alloctag_lost_alloc"));
	CHECK(!lx_kml_allocator_frame("do_one_initcall"));
	CHECK(!lx_kml_allocator_frame(""));
	return unit_ok();
}

const struct unit_test kmemleak_tests[] = {
	{ "kmemleak: records by pointer, each verdict, skipped kinds",
	  test_records_and_verdicts },
	{ "kmemleak: verdicts across a jiffies wrap, 64- and 32-bit", test_verdict_wraps },
	{ "kmemleak: a looping, self-linked or broken list is cut, partial",
	  test_hostile_lists },
	{ "kmemleak: absent without the type or object_list", test_absent },
	{ "kmemleak: a set's verdicts and its commonest stack's caller",
	  test_set_stack },
	{ "kmemleak: allocator frames by name", test_allocator_frames },
	{ "kmemleak: -u prints each verdict and site, the summary counts them",
	  test_unreferenced_command },
	{ "kmemleak: the cluster report's lines and JSON", test_cluster_report_kmemleak },
	{ NULL, NULL }
};
