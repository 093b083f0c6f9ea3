// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the SLAB walker on synthetic SLAB kernels (fake_slab.c). */
#include <string.h>

#include "fake_slab.h"
#include "slab_fixture.h"
#include "leakext/leakext.h"
#include "unit.h"

static const struct lx_slab *find_slab(const struct lx_scan *scan, unsigned long pfn)
{
	size_t i;

	for (i = 0; i < scan->nslabs; i++)
		if (scan->slabs[i].addr == fk_page(pfn))
			return &scan->slabs[i];
	return NULL;
}

/* Is the object at index of slab pfn free in the scan? */
static bool is_free(const struct sfix *f, unsigned long pfn, unsigned int index)
{
	const struct lx_slab *slab = find_slab(&f->scan, pfn);

	return slab && lx_object_is_free(&f->scan, slab, index);
}

static unsigned int problems(const struct sfix *f, enum lx_problem kind)
{
	return f->scan.integrity.count[kind];
}

/*
 * Three slabs on node 0: pfn 10 partial (objects 1, 3 and 5 allocated,
 * colour 1 when the freelist is on the slab), pfn 11 full, pfn 12 free
 * (colour 2).  Free indexes in freelist order.
 */
static const unsigned int partial_free[] = { 6, 0, 4, 2, 7 };
static const unsigned int all_free[] = { 3, 1, 0, 2, 4, 5, 6, 7 };

static void three_slabs(struct sfix *f)
{
	static const unsigned long partial[] = { 10, 0 }, full[] = { 11, 0 };
	static const unsigned long free_list[] = { 12, 0 };
	struct fake_slab *fs = &f->fs;
	bool on_slab = fs->cfg.where == FS_ON_SLAB;

	fs_add_slab(fs, 10, on_slab, 3, partial_free);
	fs_add_slab(fs, 11, 0, fs->num, NULL);
	fs_add_slab(fs, 12, on_slab ? 2 : 0, 0, all_free);
	fs_list(fs, 0, LX_SRC_SLABS_PARTIAL, partial);
	fs_list(fs, 0, LX_SRC_SLABS_FULL, full);
	fs_list(fs, 0, LX_SRC_SLABS_FREE, free_list);
	fs_counters(fs);
}

/* pfn 10's allocated objects are exactly 1, 3 and 5. */
static bool partial_objects_right(const struct sfix *f)
{
	unsigned int i;

	for (i = 0; i < f->fs.num; i++)
		if (is_free(f, 10, i) == (i == 1 || i == 3 || i == 5))
			return false;
	return true;
}

static bool lists_case(const struct fs_config *cfg, enum lx_freeptr_mode mode,
		       uint32_t num)
{
	struct sfix f;

	sf_setup(&f, cfg);
	three_slabs(&f);
	CHECK(f.fs.num == num);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(f.scan.nslabs == 3 && f.scan.total == 3 * num);
	CHECK(f.scan.live == 3 + num && f.scan.free == 2 * num - 3);
	CHECK(f.scan.by_source[LX_SRC_SLABS_PARTIAL] == 1);
	CHECK(f.scan.by_source[LX_SRC_SLABS_FULL] == 1);
	CHECK(f.scan.by_source[LX_SRC_SLABS_FREE] == 1);
	CHECK(f.scan.used_memmap && !f.scan.by_source[LX_SRC_UNLISTED]);
	CHECK(f.scan.fp_mode == mode);
	CHECK(partial_objects_right(&f));
	CHECK(!is_free(&f, 11, 0) && is_free(&f, 12, num - 1));
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_lists_one_byte(void)
{
	const struct fs_config cfg = { .width = 1 };

	return lists_case(&cfg, LX_FP_INDEX1, 7);
}

static bool test_lists_two_bytes(void)
{
	const struct fs_config cfg = { .width = 2 };

	return lists_case(&cfg, LX_FP_INDEX2, 7);
}

static bool test_objfreelist(void)
{
	const struct fs_config cfg = { .width = 1, .where = FS_OBJFREELIST };
	struct sfix f;

	if (!lists_case(&cfg, LX_FP_INDEX1, 8))
		return false;
	sf_setup(&f, &cfg);
	three_slabs(&f);
	CHECK(fs_freelist(&f.fs, 11) == 0);	/* full: the freelist is gone */
	/* the object holding pfn 10's freelist is its last free index's */
	CHECK(fs_freelist(&f.fs, 10) == fs_obj(&f.fs, 10, 7));
	CHECK(sf_run_scan(&f) == LX_OK && is_free(&f, 10, 7));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_objfreelist_two_bytes(void)
{
	const struct fs_config cfg = { .width = 2, .where = FS_OBJFREELIST };

	return lists_case(&cfg, LX_FP_INDEX2, 8);
}

static bool test_off_slab(void)
{
	const struct fs_config cfg = { .width = 2, .where = FS_OFF_SLAB };

	return lists_case(&cfg, LX_FP_INDEX2, 8);
}

static bool test_page_fields(void)
{
	const struct fs_config cfg = { .width = 1, .page_fields = true };
	struct sfix f;

	if (!lists_case(&cfg, LX_FP_INDEX1, 7))
		return false;
	sf_setup(&f, &cfg);
	CHECK(lx_layout_init(&f.s) == LX_OK);
	CHECK(!strcmp(f.s.L.slab_type, "page"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* Per-cpu array caches hold objects their slabs count active: free. */
static bool test_cpu_array_caches(void)
{
	const struct fs_config cfg = { .width = 1 };
	struct sfix f;
	uint64_t cpu0[2], cpu1[1];

	sf_setup(&f, &cfg);
	three_slabs(&f);
	cpu0[0] = fs_slot(&f.fs, 11, 2);
	cpu0[1] = fs_slot(&f.fs, 11, 5) | 1;	/* a PFMEMALLOC tag (3.6+) */
	cpu1[0] = fs_slot(&f.fs, 10, 1);	/* allocated on pfn 10 */
	fs_cpu_cache(&f.fs, 0, cpu0, 2, 120);
	fs_cpu_cache(&f.fs, 1, cpu1, 1, 120);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(f.scan.total == 21 && f.scan.live == 10 - 3 && f.scan.free == 11 + 3);
	CHECK(f.scan.array_free == 3);
	CHECK(is_free(&f, 11, 2) && is_free(&f, 11, 5) && !is_free(&f, 11, 3));
	CHECK(is_free(&f, 10, 1));
	CHECK(lx_integrity_ok(&f.scan.integrity));
	/* each entry[] array, to its limit, is bookkeeping: never a holder */
	CHECK(f.scan.nbookkeeping == 3);	/* both cpus' and node 0's shared */
	CHECK(f.scan.bookkeeping[0].end - f.scan.bookkeeping[0].start == 120 * 8 &&
	      f.scan.bookkeeping[1].end - f.scan.bookkeeping[1].start == 120 * 8 &&
	      f.scan.bookkeeping[2].end - f.scan.bookkeeping[2].start == FS_SHARED_LIMIT * 8);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/*
 * Two nodes.  Node 0: a full slab (pfn 20) and a partial one (pfn 21,
 * 5 of 7 active); its shared array cache holds two objects of pfn 20.
 * Node 1: a full slab (pfn 30); node 1's alien cache for node 0 holds one
 * object of pfn 21, node 0's alien cache for node 1 two of pfn 30.
 */
static bool test_shared_and_alien(void)
{
	static const unsigned int free21[] = { 3, 6 };
	static const unsigned long full0[] = { 20, 0 }, partial0[] = { 21, 0 };
	static const unsigned long full1[] = { 30, 0 };
	const struct fs_config cfg = { .width = 1 };
	uint64_t shared[2], alien1[1], alien0[2];
	struct sfix f;

	sf_setup(&f, &cfg);
	fk_set_nodes(&f.fs.fk, 2);
	fs_add_slab(&f.fs, 20, 0, 7, NULL);
	fs_add_slab(&f.fs, 21, 3, 5, free21);
	fs_add_slab(&f.fs, 30, 1, 7, NULL);
	fs_list(&f.fs, 0, LX_SRC_SLABS_FULL, full0);
	fs_list(&f.fs, 0, LX_SRC_SLABS_PARTIAL, partial0);
	fs_list(&f.fs, 1, LX_SRC_SLABS_FULL, full1);
	fs_counters(&f.fs);
	shared[0] = fs_slot(&f.fs, 20, 0);
	shared[1] = fs_slot(&f.fs, 20, 6);
	fs_shared(&f.fs, 0, fs_array(&f.fs, shared, 2, FS_SHARED_LIMIT));
	alien1[0] = fs_slot(&f.fs, 21, 0);
	fs_alien(&f.fs, 1, 0, alien1, 1);
	alien0[0] = fs_slot(&f.fs, 30, 1);
	alien0[1] = fs_slot(&f.fs, 30, 4);
	fs_alien(&f.fs, 0, 1, alien0, 2);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(f.scan.nslabs == 3 && f.scan.total == 21);
	CHECK(f.scan.live == 7 + 5 + 7 - 5 && f.scan.array_free == 5);
	CHECK(is_free(&f, 20, 6) && is_free(&f, 21, 0) && is_free(&f, 21, 6));
	CHECK(is_free(&f, 30, 4) && !is_free(&f, 30, 0));
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* CONFIG_DEBUG_SLAB: objects obj_offset into their slots; caches hold slots. */
static bool test_debug_obj_offset(void)
{
	const struct fs_config cfg = { .width = 1, .obj_offset = 8 };
	const struct lx_slab *slab;
	struct sfix f;
	uint64_t cpu0[1];

	sf_setup(&f, &cfg);
	three_slabs(&f);
	cpu0[0] = fs_slot(&f.fs, 11, 4);
	fs_cpu_cache(&f.fs, 0, cpu0, 1, 120);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(f.scan.cache.red_left_pad == 8);
	CHECK(f.scan.live == 10 - 1 && is_free(&f, 11, 4));
	slab = find_slab(&f.scan, 10);
	CHECK(slab && lx_object_addr(&f.scan, slab, 2) == fs_obj(&f.fs, 10, 2));
	CHECK(fs_obj(&f.fs, 10, 2) == fk_slab_mem(10) + FS_COLOUR + 2 * FS_OBJ_SIZE + 8);
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/*
 * CONFIG_DEBUG_SLAB with SLAB_STORE_USER: the last word of each slot is
 * the caller of the object's last allocation, an owner track of its own.
 */
static bool test_store_user_caller(void)
{
	const struct fs_config cfg = { .width = 1, .obj_offset = 8, .flags = 0x10000 };
	struct lx_options json = { .cache = "size-512", .json = true };
	struct sfix f;
	unsigned int i;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	for (i = 0; i < 7; i++) {
		fk_w64(&f.fs.fk, fs_slot(&f.fs, 10, i) + FS_OBJ_SIZE - 8, FK_MODULE_FUNC);
		fk_w64(&f.fs.fk, fs_slot(&f.fs, 11, i) + FS_OBJ_SIZE - 8, FK_MODULE_FUNC);
	}
	CHECK(lx_run(&f.fs.fk.target, &json, &f.res) == LX_OK);
	fflush(f.fs.fk.out);
	CHECK(strstr(f.fs.fk.outbuf, "\"symbol\":\"fk_module_handler\""));
	CHECK(strstr(f.fs.fk.outbuf, "\"pid\":null,\"cpu\":null,\"age_jiffies\":null"));
	CHECK(!strstr(f.fs.fk.outbuf, "only in a CONFIG_DEBUG_SLAB kernel"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* -l through lx_run(): exactly the live objects, and JSON's sources. */
static bool test_list_live_and_json(void)
{
	const struct fs_config cfg = { .width = 1 };
	struct lx_options opt = { .cache = "size-512", .list_live = true };
	struct lx_options json = { .cache = "size-512", .json = true };
	char expect[1024] = "";
	struct sfix f;
	unsigned int i;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	CHECK(lx_run(&f.fs.fk.target, &opt, &f.res) == LX_OK && !f.res.flagged);
	fflush(f.fs.fk.out);
	for (i = 0; i < 7; i++)
		if (i == 5 || i == 1 || i == 3)	/* pfn 10's allocated ones */
			sprintf(expect + strlen(expect), "%llx\n",
				(unsigned long long)fs_obj(&f.fs, 10, i));
	for (i = 0; i < 7; i++)
		sprintf(expect + strlen(expect), "%llx\n",
			(unsigned long long)fs_obj(&f.fs, 11, i));
	CHECK(f.fs.fk.outbuf && !strcmp(f.fs.fk.outbuf, expect));
	CHECK(lx_run(&f.fs.fk.target, &json, &f.res) == LX_OK);
	fflush(f.fs.fk.out);
	CHECK(strstr(f.fs.fk.outbuf, "\"slabs partial\":{\"slabs\":1,\"objects\":7,\"live\":3}"));
	CHECK(strstr(f.fs.fk.outbuf, "object indexes, 1 byte"));
	CHECK(!strstr(f.fs.fk.outbuf, "\"cpu\""));
	/* SLAB's owner-track hint is SLAB's, not slub_debug's */
	CHECK(strstr(f.fs.fk.outbuf, "only in a CONFIG_DEBUG_SLAB kernel"));
	CHECK(!strstr(f.fs.fk.outbuf, "slub_debug"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* A hostile dump: flagged, never hung on, the rest still exact. */
static bool test_list_loop(void)
{
	const struct fs_config cfg = { .width = 1 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	/* pfn 11 (full) links back to itself */
	fk_w64(&f.fs.fk, fk_page(11) + 8, fk_page(11) + 8);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_LIST) == 1 && f.scan.bad_lists == 1);
	CHECK(f.scan.nslabs == 3 && f.scan.live == 10);
	CHECK(strstr(f.fs.fk.messages, "loops") != NULL);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_foreign_slab(void)
{
	const struct fs_config cfg = { .width = 1 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_slab_field(&f.fs, 11, "slab_cache", 0xffff888009990000ULL);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_FOREIGN) == 1);
	CHECK(problems(&f, LX_PROB_NODE) == 1);	/* total_slabs: one slab off */
	CHECK(f.scan.nslabs == 2 && f.scan.live == 3);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* A repeated index and one past num: the slab is flagged, counted as found. */
static bool test_bad_indexes(void)
{
	const struct fs_config cfg = { .width = 1 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_index(&f.fs, 10, 5, 6);		/* freelist[3..6] = 6 0 6 2 */
	fs_set_index(&f.fs, 12, 6, 200);	/* past num */
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_FREELIST) == 2 && f.scan.bad_slabs == 2);
	CHECK(find_slab(&f.scan, 10)->nfree == 2 && find_slab(&f.scan, 12)->nfree == 6);
	CHECK(f.scan.live == 21 - 2 - 6);
	CHECK(strstr(f.fs.fk.messages, "invalid or repeated index") != NULL);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_misplaced_freelist(void)
{
	const struct fs_config cfg = { .width = 1 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	/* pfn 12's freelist pointer into its own object slots */
	fs_set_slab_field(&f.fs, 12, "freelist", fs_obj(&f.fs, 12, 1));
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_FREELIST) == 1);
	CHECK(f.scan.live == 10 + 7 && f.scan.fp_mode == LX_FP_INDEX1);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_counter_mismatch(void)
{
	const struct fs_config cfg = { .width = 1 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_counter(&f.fs, 0, "free_objects", 4 + 7 + 1);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_NODE) == 1);
	CHECK(strstr(f.fs.fk.messages, "free_objects is 12, its lists hold 11") != NULL);
	CHECK(f.scan.live == 10);	/* counted, not miscounted */
	fs_counters(&f.fs);
	fs_set_counter(&f.fs, 0, "total_slabs", 4);
	fs_set_counter(&f.fs, 0, "free_slabs", 0);
	lx_scan_free(&f.s, &f.scan);
	CHECK(lx_scan_cache(&f.s, &f.cache, &f.scan) == LX_OK);
	CHECK(problems(&f, LX_PROB_NODE) == 2 && f.scan.live == 10);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_wrong_list(void)
{
	static const unsigned long partial[] = { 10, 11, 0 }, free_list[] = { 12, 0 };
	const struct fs_config cfg = { .width = 1 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	/* the full slab on the partial list, none on the full list */
	fk_w64(&f.fs.fk, FS_NODE + 24, FS_NODE + 24);
	f.fs.slabs[0] = f.fs.free_slabs[0] = f.fs.free_objects[0] = 0;
	fs_list(&f.fs, 0, LX_SRC_SLABS_PARTIAL, partial);
	fs_list(&f.fs, 0, LX_SRC_SLABS_FREE, free_list);
	fs_counters(&f.fs);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_WRONG_LIST) == 1);
	CHECK(f.scan.by_source[LX_SRC_SLABS_PARTIAL] == 2 && f.scan.live == 10);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* Array cache entries that are no allocated object of the cache. */
static bool test_bad_array_entries(void)
{
	const struct fs_config cfg = { .width = 1 };
	uint64_t cpu0[4], cpu1[2];
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	cpu0[0] = fs_slot(&f.fs, 11, 1);
	cpu0[1] = fs_slot(&f.fs, 11, 1);	/* twice */
	cpu0[2] = fs_slot(&f.fs, 11, 2) + 8;	/* not an object's start */
	cpu0[3] = 0;				/* NULL */
	cpu1[0] = fs_slot(&f.fs, 12, 3);	/* on pfn 12's freelist too */
	cpu1[1] = 0xffff888009990000ULL;	/* no slab of this cache */
	fs_cpu_cache(&f.fs, 0, cpu0, 4, 120);
	fs_cpu_cache(&f.fs, 1, cpu1, 2, 120);
	CHECK(sf_run_scan(&f) == LX_OK);
	/* twice, NULL, both cached and free, two found in no slab */
	CHECK(problems(&f, LX_PROB_ARRAY) == 4);
	CHECK(f.scan.live == 10 - 1 && f.scan.array_free == 1);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_array_cache_over_limit(void)
{
	const struct fs_config cfg = { .width = 1 };
	uint64_t cpu0[2];
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	cpu0[0] = fs_slot(&f.fs, 11, 1);
	cpu0[1] = fs_slot(&f.fs, 11, 2);
	fs_cpu_cache(&f.fs, 0, cpu0, 2, 1);		/* avail 2 > limit 1 */
	fs_shared(&f.fs, 0, 0xffff88800aaa0000ULL);	/* unreadable */
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_ARRAY) == 2 && f.scan.live == 10);
	CHECK(strstr(f.fs.fk.messages, "claims 2 objects, limit 1") != NULL);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/*
 * Array cache headers against the cache's tunables: a cpu cache of
 * another limit, a node without its shared cache, a shared cache without
 * the shared batch mark.  What they hold is not taken.
 */
static bool test_array_headers(void)
{
	const struct fs_config cfg = { .width = 1 };
	uint64_t cpu0[1], shared[1];
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	cpu0[0] = fs_slot(&f.fs, 11, 1);
	fs_cpu_cache(&f.fs, 0, cpu0, 1, FS_LIMIT - 1);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_ARRAY) == 1 && f.scan.live == 10);
	CHECK(strstr(f.fs.fk.messages, "has limit 119, batch 0x3c, not 120, 0x3c") != NULL);
	lx_scan_free(&f.s, &f.scan);
	fs_cpu_cache(&f.fs, 0, cpu0, 1, FS_LIMIT);
	fs_shared(&f.fs, 0, 0);
	CHECK(lx_scan_cache(&f.s, &f.cache, &f.scan) == LX_OK);
	CHECK(problems(&f, LX_PROB_ARRAY) == 1 && f.scan.live == 9);
	lx_scan_free(&f.s, &f.scan);
	shared[0] = fs_slot(&f.fs, 11, 2);
	fs_shared(&f.fs, 0, fs_array(&f.fs, shared, 1, FS_SHARED_LIMIT));
	fk_w32(&f.fs.fk, FS_ARRAYS + 2 * FS_ARRAY_STRIDE + 8, FS_BATCH);
	CHECK(lx_scan_cache(&f.s, &f.cache, &f.scan) == LX_OK);
	CHECK(problems(&f, LX_PROB_ARRAY) == 1 && f.scan.live == 9);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* s_mem off the cache's alignment; a possible mask without nr_cpu_ids - 1. */
static bool test_misaligned_and_cpu_mask(void)
{
	const struct fs_config cfg = { .width = 1 };
	uint64_t mask = 0;
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_slab_field(&f.fs, 12, "s_mem", fk_slab_mem(12) + 2 * FS_COLOUR + 8);
	lx_symbol(&f.fs.fk.target, "__cpu_possible_mask", &mask);
	fk_w64(&f.fs.fk, mask, 1);	/* cpu 0 only, nr_cpu_ids 2 */
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_OBJECTS) == 1 && f.scan.nslabs == 2);
	CHECK(problems(&f, LX_PROB_CPU) == 1);
	CHECK(strstr(f.fs.fk.messages, "the possible cpu mask lacks cpu 1 (nr_cpu_ids 2)"));
	lx_scan_free(&f.s, &f.scan);
	lx_session_fini(&f.s);
	fk_w64(&f.fs.fk, mask, 4);	/* cpu 2 only: nr_cpu_ids stays 2 */
	CHECK(sf_run_scan(&f) == LX_OK && problems(&f, LX_PROB_CPU) == 1);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* SLAB keeps every slab on a list: one only the memory map has is flagged. */
static bool test_unlisted_slab(void)
{
	const struct fs_config cfg = { .width = 1 };
	static const unsigned int free40[] = { 2, 4 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_add_slab(&f.fs, 40, 0, 5, free40);	/* on no list */
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_MEMMAP) == 1);
	CHECK(f.scan.by_source[LX_SRC_UNLISTED] == 1 && f.scan.live == 10 + 5);
	CHECK(is_free(&f, 40, 4) && !is_free(&f, 40, 3));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_slab_memory_missing(void)
{
	const struct fs_config cfg = { .width = 1, .where = FS_OFF_SLAB };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fk_drop_region(&f.fs.fk, fk_slab_mem(10));
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_UNREADABLE) == 1);
	/* the freelist is elsewhere: liveness still exact */
	CHECK(f.scan.live == 3 + 8 && find_slab(&f.scan, 10)->bad);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_impossible_active(void)
{
	const struct fs_config cfg = { .width = 1 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_slab_field(&f.fs, 10, "active", 9);	/* of 7 */
	fs_set_slab_field(&f.fs, 12, "s_mem", fk_slab_mem(12) + 3000);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_OBJECTS) == 2 && f.scan.nslabs == 1);
	CHECK(f.scan.live == 7);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* Kernels whose kmem_cache_node has no total_slabs or free_slabs. */
static bool test_node_without_slab_counts(void)
{
	const struct fs_config cfg = { .width = 2 };
	struct sfix f;

	sf_setup(&f, &cfg);
	fk_hide_member(&f.fs.fk, "kmem_cache_node.total_slabs");
	fk_hide_member(&f.fs.fk, "kmem_cache_node.free_slabs");
	three_slabs(&f);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(f.scan.live == 10 && !f.scan.nr_slabs_known);
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* No memory map: the node counters alone say whether the lists were whole. */
static bool test_no_memmap(void)
{
	const struct fs_config cfg = { .width = 1 };
	uint64_t max_pfn = 0;
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	lx_symbol(&f.fs.fk.target, "max_pfn", &max_pfn);
	fk_w64(&f.fs.fk, max_pfn, 0);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(!f.scan.used_memmap && f.scan.live == 10);
	CHECK(lx_integrity_ok(&f.scan.integrity));
	lx_scan_free(&f.s, &f.scan);
	fs_set_counter(&f.fs, 0, "total_slabs", 4);	/* a slab no list holds */
	CHECK(lx_scan_cache(&f.s, &f.cache, &f.scan) == LX_OK);
	CHECK(problems(&f, LX_PROB_MEMMAP) == 1 && problems(&f, LX_PROB_NODE) == 1);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* struct slab (5.17+) with the array caches of kernels before 3.18. */
static bool test_kmem_cache_array_refused(void)
{
	const struct fs_config cfg = { .width = 1 };
	struct sfix f;

	sf_setup(&f, &cfg);
	fk_hide_member(&f.fs.fk, "kmem_cache.cpu_cache");
	fk_add_member(&f.fs.fk, "kmem_cache.array");
	CHECK(lx_layout_init(&f.s) == LX_EABSENT);
	CHECK(strstr(f.fs.fk.messages,
		     "a SLAB layout leakext does not know (the dump's types: has kmem_cache.array, slab.slab_cache; lacks kmem_cache.cpu_cache,") != NULL);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* Slab fields in struct page but no slab_cache: the row's member is missing. */
static bool test_page_without_slab_cache_refused(void)
{
	const struct fs_config cfg = { .width = 1, .page_fields = true };
	struct sfix f;

	sf_setup(&f, &cfg);
	fk_hide_member(&f.fs.fk, "page.slab_cache");
	CHECK(lx_layout_init(&f.s) == LX_EABSENT);
	CHECK(strstr(f.fs.fk.messages, "the dump's types lack page.slab_cache; cannot walk SLAB") != NULL);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

const struct unit_test slab_walk_tests[] = {
	{ "SLAB: partial, full, free lists, 1-byte indexes", test_lists_one_byte },
	{ "SLAB: 2-byte indexes", test_lists_two_bytes },
	{ "SLAB: OBJFREELIST, NULL freelist on a full slab", test_objfreelist },
	{ "SLAB: OBJFREELIST, 2-byte indexes", test_objfreelist_two_bytes },
	{ "SLAB: OFF_SLAB freelists", test_off_slab },
	{ "SLAB: slab fields in struct page (before 5.17)", test_page_fields },
	{ "SLAB: per-cpu array caches hold free objects", test_cpu_array_caches },
	{ "SLAB: shared and alien array caches (two nodes)", test_shared_and_alien },
	{ "SLAB: DEBUG_SLAB obj_offset", test_debug_obj_offset },
	{ "SLAB: -l lists exactly the live objects; JSON sources", test_list_live_and_json },
	{ "SLAB: list loop flagged", test_list_loop },
	{ "SLAB: slab of another cache on a list flagged", test_foreign_slab },
	{ "SLAB: repeated and out-of-range indexes flagged", test_bad_indexes },
	{ "SLAB: freelist not where the cache keeps it flagged", test_misplaced_freelist },
	{ "SLAB: node counters against the lists", test_counter_mismatch },
	{ "SLAB: full slab on the partial list flagged", test_wrong_list },
	{ "SLAB: array cache entries that are no allocated object", test_bad_array_entries },
	{ "SLAB: array cache over its limit, unreadable shared cache", test_array_cache_over_limit },
	{ "SLAB: array cache headers against the cache's tunables", test_array_headers },
	{ "SLAB: misaligned s_mem, possible cpu mask without the last cpu",
	  test_misaligned_and_cpu_mask },
	{ "SLAB: slab on no list found by the memory map, flagged", test_unlisted_slab },
	{ "SLAB: slab memory missing from the dump", test_slab_memory_missing },
	{ "SLAB: impossible active count or first object", test_impossible_active },
	{ "SLAB: node without total_slabs and free_slabs", test_node_without_slab_counts },
	{ "SLAB: no memory map, counters witness the lists", test_no_memmap },
	{ "SLAB: kmem_cache.array with struct slab (5.17+) refused",
	  test_kmem_cache_array_refused },
	{ "SLAB: slab fields in struct page without slab_cache refused",
	  test_page_without_slab_cache_refused },
	{ "SLAB: SLAB_STORE_USER's caller word is an owner track", test_store_user_caller },
	{ NULL, NULL }
};
