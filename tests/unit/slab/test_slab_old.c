// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SLAB's older layouts on synthetic kernels (fake_slab.c): 3.16's slab
 * fields in struct page with the per-cpu array caches in
 * kmem_cache.array[].  Exact live sets, every witness the data allows,
 * layouts no kernel had refused.
 */
#include <string.h>

#include "fake_slab.h"
#include "leakext/leakext.h"
#include "unit.h"

struct sfix {
	struct fake_slab fs;
	struct lx_session s;
	struct lx_cache cache;
	struct lx_scan scan;
	struct lx_result res;
};

static void setup(struct sfix *f, const struct fs_config *cfg)
{
	memset(f, 0, sizeof(*f));
	fs_init(&f->fs, cfg);
	f->s.t = &f->fs.fk.target;
}

static enum lx_status run_scan(struct sfix *f)
{
	enum lx_status ret = lx_layout_init(&f->s);

	if (!ret)
		ret = lx_cache_read(&f->s, FS_CACHE, &f->cache);
	if (!ret)
		ret = lx_scan_cache(&f->s, &f->cache, &f->scan);
	return ret;
}

static bool teardown(struct sfix *f)
{
	bool clean;

	lx_scan_free(&f->s, &f->scan);
	lx_session_fini(&f->s);
	clean = f->fs.fk.live_allocs == 0;
	fs_fini(&f->fs);
	return clean;
}

/* The walk's slab of pfn: its struct slab before 3.13, else its page. */
static const struct lx_slab *find_slab(const struct sfix *f, unsigned long pfn)
{
	uint64_t addr = fs_desc(&f->fs, pfn) ? fs_desc(&f->fs, pfn) : fk_page(pfn);
	size_t i;

	for (i = 0; i < f->scan.nslabs; i++)
		if (f->scan.slabs[i].addr == addr)
			return &f->scan.slabs[i];
	return NULL;
}

static bool is_free(const struct sfix *f, unsigned long pfn, unsigned int index)
{
	const struct lx_slab *slab = find_slab(f, pfn);

	return slab && lx_object_is_free(&f->scan, slab, index);
}

static unsigned int problems(const struct sfix *f, enum lx_problem kind)
{
	return f->scan.integrity.count[kind];
}

static bool messages_have(const struct sfix *f, const char *text)
{
	if (strstr(f->fs.fk.messages, text))
		return true;
	fprintf(stderr, "    no \"%s\" in: %s", text, f->fs.fk.messages);
	return false;
}

/*
 * Three slabs on node 0: pfn 10 partial (objects 1, 3 and 5 allocated),
 * pfn 11 full, pfn 12 free; on-slab, pfn 10's struct slab is one colour
 * in, pfn 12's two.  Free indexes in chain order.
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

/* Every object's liveness: pfn 10's 1, 3, 5 and all of pfn 11 live. */
static bool live_set_exact(const struct sfix *f)
{
	unsigned int i;

	for (i = 0; i < f->fs.num; i++)
		if (is_free(f, 10, i) == (i == 1 || i == 3 || i == 5) ||
		    is_free(f, 11, i) || !is_free(f, 12, i))
			return false;
	return true;
}

static void check_three_slabs(const struct sfix *f, enum lx_freeptr_mode mode)
{
	uint32_t num = f->fs.num;

	CHECK(f->scan.nslabs == 3 && f->scan.total == 3 * num);
	CHECK(f->scan.live == 3 + num && f->scan.free == 2 * num - 3);
	CHECK(f->scan.by_source[LX_SRC_SLABS_PARTIAL] == 1);
	CHECK(f->scan.by_source[LX_SRC_SLABS_FULL] == 1);
	CHECK(f->scan.by_source[LX_SRC_SLABS_FREE] == 1);
	CHECK(f->scan.used_memmap && !f->scan.by_source[LX_SRC_UNLISTED]);
	CHECK(f->scan.fp_mode == mode);
	CHECK(live_set_exact(f));
	CHECK(lx_integrity_ok(&f->scan.integrity) && !f->s.flagged);
	CHECK(f->fs.fk.messages[0] == '\0');
}

static bool exact_case(const struct fs_config *cfg, uint32_t num, enum lx_freeptr_mode mode)
{
	struct sfix f;

	setup(&f, cfg);
	three_slabs(&f);
	CHECK(f.fs.num == num);
	CHECK(run_scan(&f) == LX_OK);
	check_three_slabs(&f, mode);
	if (unit_failed)
		fprintf(stderr, "    kernel %d, where %d: %s", cfg->kernel, cfg->where,
			f.fs.fk.messages);
	CHECK(teardown(&f));
	return unit_ok();
}

/*
 * 3.13 - 3.17: slab fields in struct page with kmem_cache.array[];
 * unsigned int indexes in 3.13, freelist_idx_t of one or two bytes later.
 */
static bool test_3_16_page_fields(void)
{
	const struct fs_config one = { .kernel = FS_3_16, .width = 1 };
	const struct fs_config two = { .kernel = FS_3_16, .width = 2, .where = FS_OFF_SLAB };
	const struct fs_config four = { .kernel = FS_3_16, .width = 4 };
	const struct fs_config four_off = { .kernel = FS_3_16, .width = 4, .where = FS_OFF_SLAB };
	struct sfix f;

	if (!exact_case(&one, 7, LX_FP_INDEX1) || !exact_case(&two, 8, LX_FP_INDEX2) ||
	    !exact_case(&four, 7, LX_FP_INDEX4) || !exact_case(&four_off, 8, LX_FP_INDEX4))
		return false;
	setup(&f, &one);
	CHECK(lx_layout_init(&f.s) == LX_OK);
	CHECK(strstr(f.s.L.layout_name, "(3.13 - 3.17)"));
	CHECK(!strcmp(f.s.L.slab_type, "page") && f.s.L.kc_node_indirect);
	CHECK(teardown(&f));
	return unit_ok();
}

/* 3.13's unsigned int indexes: a repeated one flagged as for freelist_idx_t. */
static bool test_index4_bad(void)
{
	const struct fs_config cfg = { .kernel = FS_3_16, .width = 4 };
	struct sfix f;

	setup(&f, &cfg);
	three_slabs(&f);
	fs_set_index(&f.fs, 10, 5, 6);		/* freelist[3..6] = 6 0 6 2 */
	CHECK(run_scan(&f) == LX_OK && f.scan.fp_mode == LX_FP_INDEX4);
	CHECK(problems(&f, LX_PROB_FREELIST) == 1 && find_slab(&f, 10)->nfree == 2);
	CHECK(f.scan.live == 21 - 2 - 7);
	CHECK(teardown(&f));
	return unit_ok();
}

/*
 * kmem_cache.array[cpu]: cpu 0 holds objects 2 and 5 of the full slab,
 * cpu 1 object 1 of the partial one, all free.  A cpu that is not up has
 * no array cache (NULL): nothing to read, nothing wrong.
 */
static bool array_caches_case(const struct fs_config *cfg)
{
	uint64_t cpu0[2], cpu1[1];
	struct sfix f;

	setup(&f, cfg);
	three_slabs(&f);
	cpu0[0] = fs_slot(&f.fs, 11, 2);
	cpu0[1] = fs_slot(&f.fs, 11, 5);
	cpu1[0] = fs_slot(&f.fs, 10, 1);
	fs_cpu_cache(&f.fs, 0, cpu0, 2, FS_LIMIT);
	fs_cpu_cache(&f.fs, 1, cpu1, 1, FS_LIMIT);
	CHECK(run_scan(&f) == LX_OK);
	CHECK(f.scan.total == 3 * f.fs.num && f.scan.array_free == 3);
	CHECK(f.scan.live == 3 + f.fs.num - 3);
	CHECK(is_free(&f, 11, 2) && is_free(&f, 11, 5) && !is_free(&f, 11, 3));
	CHECK(is_free(&f, 10, 1) && !is_free(&f, 10, 3));
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(f.scan.nbookkeeping == 3);	/* both cpus' entry[], node 0's shared */
	lx_scan_free(&f.s, &f.scan);
	fk_w64(&f.fs.fk, fs_cache_member(&f.fs, "array") + 8, 0);	/* cpu 1 down */
	CHECK(lx_scan_cache(&f.s, &f.cache, &f.scan) == LX_OK);
	CHECK(f.scan.live == 3 + f.fs.num - 2 && !is_free(&f, 10, 1) && f.scan.array_free == 2);
	CHECK(lx_integrity_ok(&f.scan.integrity));
	CHECK(teardown(&f));
	return unit_ok();
}

static bool test_array_caches(void)
{
	const struct fs_config k316 = { .kernel = FS_3_16, .width = 1 };
	const struct fs_config k316_off = { .kernel = FS_3_16, .width = 2, .where = FS_OFF_SLAB };

	return array_caches_case(&k316) && array_caches_case(&k316_off);
}

/* The kernel with members added or hidden is none leakext knows. */
static bool refused(enum fs_kernel kernel, const char *add, const char *hide,
		    const char *expect)
{
	const struct fs_config cfg = { .kernel = kernel, .width = 1 };
	struct sfix f;

	setup(&f, &cfg);
	three_slabs(&f);
	if (add)
		fk_add_member(&f.fs.fk, add);
	if (hide)
		fk_hide_member(&f.fs.fk, hide);
	CHECK(run_scan(&f) == LX_EABSENT && f.scan.nslabs == 0 && f.scan.live == 0);
	CHECK(messages_have(&f, expect));
	CHECK(teardown(&f));
	return unit_ok();
}

static bool test_mixed_layouts_refused(void)
{
	const char *unknown = "a SLAB layout leakext does not know";

	/* both kmem_cache.cpu_cache and kmem_cache.array[] */
	return refused(FS_3_16, "kmem_cache.cpu_cache", NULL,
		       "has kmem_cache.cpu_cache, kmem_cache.array, kmem_cache.node (a pointer), page.s_mem;") &&
	       /* slab fields in struct page, array[], but node[] inline */
	       refused(FS_3_16, NULL, "kmem_cache.node", unknown) &&
	       /* before 3.13: the struct slab with kmem_bufctl_t[] */
	       refused(FS_3_10, NULL, NULL, "has kmem_cache.array, kmem_cache.node (a pointer); lacks");
}

const struct unit_test slab_old_tests[] = {
	{ "SLAB 3.16: slab fields in struct page with kmem_cache.array[], exact",
	  test_3_16_page_fields },
	{ "SLAB 3.16: 4-byte indexes of a bad freelist flagged", test_index4_bad },
	{ "SLAB 3.16: per-cpu array caches from kmem_cache.array[]", test_array_caches },
	{ "SLAB: old layouts no kernel had refused, nothing counted",
	  test_mixed_layouts_refused },
	{ NULL, NULL }
};
