// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SLAB's older layouts on synthetic kernels (fake_slab.c): 2.6.32's and
 * 3.10's struct slab followed by kmem_bufctl_t[], 3.16's slab fields in
 * struct page, each with the per-cpu array caches in kmem_cache.array[].
 * Exact live sets, every witness the data allows, layouts no kernel had
 * refused.
 */
#include <string.h>

#include "fake_slab.h"
#include "slab_fixture.h"
#include "leakext/leakext.h"
#include "unit.h"

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

	sf_setup(&f, cfg);
	three_slabs(&f);
	CHECK(f.fs.num == num);
	CHECK(sf_run_scan(&f) == LX_OK);
	check_three_slabs(&f, mode);
	if (unit_failed)
		fprintf(stderr, "    kernel %d, where %d: %s", cfg->kernel, cfg->where,
			f.fs.fk.messages);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* 2.6.32: every old name, nodelists[] inline, lru links, cache_chain. */
static bool test_2_6_32_layout(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32 };
	const struct lx_layout *L;
	struct sfix f;

	sf_setup(&f, &cfg);
	CHECK(lx_layout_init(&f.s) == LX_OK);
	L = &f.s.L;
	CHECK(L->layout_name && strstr(L->layout_name, "kmem_bufctl_t"));
	CHECK(L->slab_bufctl && !strcmp(L->slab_type, "slab") && L->slab_size_of == 48);
	CHECK(L->kc_size == 44 && L->kc_list == 120 && L->kc_object_size == -1);
	CHECK(L->kc_node == 144 && !L->kc_node_indirect && L->kc_node_slots == FK_MAX_NODES);
	CHECK(L->kc_array == 0 && L->kc_array_slots == 4 && L->kc_cpu_cache == -1);
	CHECK(L->kcn_size_of == 104 && L->kcn_total_slabs == -1 && L->alien_ac == 0);
	CHECK(L->page_cache == 40 && L->page_slab == 48 && L->slab_cache == 40);
	CHECK(L->slab_list == 0 && L->slab_active == 32 && L->slab_free == 36);
	CHECK(L->slab_test_value == 7 && !strcmp(L->caches_symbol, "cache_chain"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* 3.10: node a pointer into array[], page.slab_cache and page.slab_page. */
static bool test_3_10_layout(void)
{
	const struct fs_config cfg = { .kernel = FS_3_10 };
	const struct lx_layout *L;
	struct sfix f;

	sf_setup(&f, &cfg);
	CHECK(lx_layout_init(&f.s) == LX_OK);
	L = &f.s.L;
	CHECK(L->layout_name && strstr(L->layout_name, "before 3.13"));
	CHECK(L->slab_bufctl && L->kc_size == 12 && L->kc_list == 88);
	CHECK(L->kc_node == 120 && L->kc_node_indirect && L->kc_node_slots == 64);
	CHECK(L->kc_array == 128 && L->kc_array_slots == 6);
	CHECK(L->page_cache == 48 && L->page_slab == 32 && L->slab_freelist == 32);
	CHECK(L->kc_slab_size == 64 && L->kc_colour_off == 48);
	CHECK(!strcmp(L->caches_symbol, "slab_caches"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_2_6_32_on_slab(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32 };

	return exact_case(&cfg, 7, LX_FP_BUFCTL);
}

/* Off slab: the struct slab from a kmalloc cache, the slab all objects. */
static bool test_2_6_32_off_slab(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32, .where = FS_OFF_SLAB };
	struct sfix f;

	if (!exact_case(&cfg, 8, LX_FP_BUFCTL))
		return false;
	sf_setup(&f, &cfg);
	three_slabs(&f);
	CHECK(fs_desc(&f.fs, 10) == FS_OFFSLAB_DESC + 0x100 * 10);
	CHECK(fs_slot(&f.fs, 10, 0) == fk_slab_mem(10));
	CHECK(sf_run_scan(&f) == LX_OK && find_slab(&f, 10) && find_slab(&f, 10)->nfree == 5);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_3_10_on_and_off_slab(void)
{
	const struct fs_config on = { .kernel = FS_3_10 };
	const struct fs_config off = { .kernel = FS_3_10, .where = FS_OFF_SLAB };

	return exact_case(&on, 7, LX_FP_BUFCTL) && exact_case(&off, 8, LX_FP_BUFCTL);
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
	sf_setup(&f, &one);
	CHECK(lx_layout_init(&f.s) == LX_OK);
	CHECK(strstr(f.s.L.layout_name, "(3.13 - 3.17)") && !f.s.L.slab_bufctl);
	CHECK(!strcmp(f.s.L.slab_type, "page") && f.s.L.kc_node_indirect);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* 3.13's unsigned int indexes: a repeated one flagged as for freelist_idx_t. */
static bool test_index4_bad(void)
{
	const struct fs_config cfg = { .kernel = FS_3_16, .width = 4 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_index(&f.fs, 10, 5, 6);		/* freelist[3..6] = 6 0 6 2 */
	CHECK(sf_run_scan(&f) == LX_OK && f.scan.fp_mode == LX_FP_INDEX4);
	CHECK(problems(&f, LX_PROB_FREELIST) == 1 && find_slab(&f, 10)->nfree == 2);
	CHECK(f.scan.live == 21 - 2 - 7);
	CHECK(sf_teardown(&f));
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

	sf_setup(&f, cfg);
	three_slabs(&f);
	cpu0[0] = fs_slot(&f.fs, 11, 2);
	cpu0[1] = fs_slot(&f.fs, 11, 5);
	cpu1[0] = fs_slot(&f.fs, 10, 1);
	fs_cpu_cache(&f.fs, 0, cpu0, 2, FS_LIMIT);
	fs_cpu_cache(&f.fs, 1, cpu1, 1, FS_LIMIT);
	CHECK(sf_run_scan(&f) == LX_OK);
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
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_array_caches(void)
{
	const struct fs_config k2632 = { .kernel = FS_2_6_32 };
	const struct fs_config k310 = { .kernel = FS_3_10, .where = FS_OFF_SLAB };
	const struct fs_config k316 = { .kernel = FS_3_16, .width = 1 };

	return array_caches_case(&k2632) && array_caches_case(&k310) &&
	       array_caches_case(&k316);
}

/* An array cache over its limit in kmem_cache.array[]: skipped, flagged. */
static bool test_array_cache_corrupt(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32 };
	uint64_t cpu0[2];
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	cpu0[0] = fs_slot(&f.fs, 11, 2);
	cpu0[1] = fs_slot(&f.fs, 11, 3);
	fs_cpu_cache(&f.fs, 0, cpu0, 2, 1);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_ARRAY) == 1 && f.scan.live == 10);
	CHECK(messages_have(&f, "cpu 0 array cache"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/*
 * A bufctl chain that loops: pfn 12's chain 3 1 0 2 ... with bufctl[0]
 * turned back to 1.  Flagged; the three free objects before the loop stay
 * free, the rest of the slab counts live.
 */
static bool test_bufctl_loop(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_index(&f.fs, 12, 0, 1);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_FREELIST) == 1 && f.scan.bad_slabs == 1);
	CHECK(find_slab(&f, 12) && find_slab(&f, 12)->nfree == 3 && find_slab(&f, 12)->bad);
	CHECK(is_free(&f, 12, 3) && is_free(&f, 12, 1) && is_free(&f, 12, 0));
	CHECK(!is_free(&f, 12, 2) && !is_free(&f, 12, 6));
	CHECK(f.scan.live == 21 - 4 - 3 && f.s.flagged);
	CHECK(messages_have(&f, "chain loops or holds an index past num; 3 free objects found"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/*
 * Indexes past num: pfn 10's chain 6 0 then 9 (of 7), and pfn 12's first
 * free index 200.  Both flagged, what came before kept.
 */
static bool test_bufctl_out_of_range(void)
{
	const struct fs_config cfg = { .kernel = FS_3_10 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_index(&f.fs, 10, 0, 9);
	fs_set_slab_field(&f.fs, 12, "free", 200);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_FREELIST) == 2 && f.scan.bad_slabs == 2);
	CHECK(find_slab(&f, 10)->nfree == 2 && find_slab(&f, 12)->nfree == 0);
	CHECK(is_free(&f, 10, 6) && is_free(&f, 10, 0) && !is_free(&f, 10, 4));
	CHECK(f.scan.live == 21 - 2);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* inuse against the chain's length: the chain decides, the slab is flagged. */
static bool test_inuse_against_chain(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_slab_field(&f.fs, 10, "inuse", 4);	/* its chain holds 4 of 7 */
	fs_set_counter(&f.fs, 0, "free_objects", 3 + 7);	/* as inuse says */
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_INUSE) == 1 && problems(&f, LX_PROB_NODE) == 0);
	CHECK(f.scan.bad_slabs == 1 && f.scan.live == 10 && live_set_exact(&f));
	CHECK(messages_have(&f, "inuse 4, but its bufctl chain holds 4 free of 7 objects"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* kmem_list3.free_objects against the lists' free objects. */
static bool test_free_objects_counter(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_counter(&f.fs, 0, "free_objects", 12);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_NODE) == 1 && f.scan.live == 10);
	CHECK(messages_have(&f, "node 0 free_objects is 12, its lists hold 11"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/*
 * An on-slab struct slab not slab_size before its objects: pfn 12's
 * objects moved one colour on (still a fitting slab).  Its chain is not
 * trusted: flagged, every object counted live.
 */
static bool test_desc_misplaced(void)
{
	const struct fs_config cfg = { .kernel = FS_3_10 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_slab_field(&f.fs, 12, "s_mem", fs_slot(&f.fs, 12, 0) + FS_COLOUR);
	fs_set_slab_field(&f.fs, 12, "colouroff", 2 * FS_COLOUR + f.fs.slab_size + FS_COLOUR);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_FREELIST) == 1 && f.scan.nslabs == 3);
	CHECK(f.scan.live == 10 + 7);
	CHECK(messages_have(&f, "is in a struct slab not where the cache keeps it"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/*
 * The slab's first page: pfn 11's lost PG_slab, pfn 12's names another
 * struct slab.  Flagged; the lists still hold them, the counts stand.
 */
static bool test_page_witness(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fk_w64(&f.fs.fk, fk_page(11), 0);
	fs_set_page_slab(&f.fs, 12, fs_desc(&f.fs, 10));
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_MEMMAP) == 2 && f.scan.live == 10 && live_set_exact(&f));
	CHECK(messages_have(&f, "is not a slab page"));
	CHECK(messages_have(&f, "names struct slab"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* A slab whose page belongs to another cache, on this cache's list. */
static bool test_foreign_slab(void)
{
	const struct fs_config cfg = { .kernel = FS_3_10 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fk_w64(&f.fs.fk, fk_page(11) + 48, 0xffff888009990000ULL);	/* slab_cache */
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_FOREIGN) == 1 && f.scan.nslabs == 2);
	CHECK(f.scan.live == 3);
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* No page behind s_mem - colouroff: skipped, flagged once, no memmap echo. */
static bool test_no_slab_memory(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	fs_set_slab_field(&f.fs, 11, "colouroff", 8);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_OBJECTS) == 1 && problems(&f, LX_PROB_MEMMAP) == 0);
	CHECK(f.scan.nslabs == 2 && f.scan.live == 3);
	CHECK(messages_have(&f, "is no slab's memory; skipped"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* A slab on no list, found through its page's link to its struct slab. */
static bool unlisted_case(const struct fs_config *cfg)
{
	static const unsigned int free40[] = { 2, 4 };
	struct sfix f;

	sf_setup(&f, cfg);
	three_slabs(&f);
	fs_add_slab(&f.fs, 40, 0, f.fs.num - 2, free40);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(problems(&f, LX_PROB_MEMMAP) == 1 && f.scan.by_source[LX_SRC_UNLISTED] == 1);
	CHECK(f.scan.live == 3 + 2 * f.fs.num - 2);
	CHECK(is_free(&f, 40, 4) && !is_free(&f, 40, 3));
	CHECK(messages_have(&f, "of this cache is on no list"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_unlisted_slab(void)
{
	const struct fs_config k2632 = { .kernel = FS_2_6_32 };
	const struct fs_config k310 = { .kernel = FS_3_10, .where = FS_OFF_SLAB };

	return unlisted_case(&k2632) && unlisted_case(&k310);
}

/*
 * 3.10, two nodes through the node pointer: node 0 a full slab (pfn 20)
 * and a partial one (pfn 21, 5 of 7), its shared array cache two objects
 * of pfn 20; node 1 a full slab (pfn 30).  The alien pointers are array
 * caches themselves: node 1's for node 0 holds one object of pfn 21,
 * node 0's for node 1 two of pfn 30.
 */
static bool test_shared_and_alien_3_10(void)
{
	static const unsigned int free21[] = { 3, 6 };
	static const unsigned long full0[] = { 20, 0 }, partial0[] = { 21, 0 };
	static const unsigned long full1[] = { 30, 0 };
	const struct fs_config cfg = { .kernel = FS_3_10 };
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

/* CONFIG_DEBUG_SLAB in 2.6.32: obj_offset and obj_size. */
static bool test_2_6_32_debug(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32, .obj_offset = 8 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	CHECK(sf_run_scan(&f) == LX_OK);
	CHECK(f.scan.cache.red_left_pad == 8 && f.scan.cache.object_size == FS_OBJ_SIZE - 16);
	CHECK(find_slab(&f, 10) &&
	      lx_object_addr(&f.scan, find_slab(&f, 10), 1) == fs_obj(&f.fs, 10, 1));
	CHECK(f.scan.live == 10 && live_set_exact(&f));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* -l and JSON through lx_run(): the live objects, the freelist's name. */
static bool test_list_live_and_json(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32 };
	struct lx_options opt = { .cache = "size-512", .list_live = true };
	struct lx_options json = { .cache = "size-512", .json = true };
	char expect[1024] = "";
	struct sfix f;
	unsigned int i;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	CHECK(lx_run(&f.fs.fk.target, &opt, &f.res) == LX_OK && !f.res.flagged);
	fflush(f.fs.fk.out);
	for (i = 1; i < 7; i += 2)	/* pfn 10's allocated ones */
		sprintf(expect + strlen(expect), "%llx\n",
			(unsigned long long)fs_obj(&f.fs, 10, i));
	for (i = 0; i < 7; i++)
		sprintf(expect + strlen(expect), "%llx\n",
			(unsigned long long)fs_obj(&f.fs, 11, i));
	CHECK(f.fs.fk.outbuf && !strcmp(f.fs.fk.outbuf, expect));
	CHECK(lx_run(&f.fs.fk.target, &json, &f.res) == LX_OK);
	fflush(f.fs.fk.out);
	CHECK(strstr(f.fs.fk.outbuf, "\"slabs partial\":{\"slabs\":1,\"objects\":7,\"live\":3}"));
	CHECK(strstr(f.fs.fk.outbuf, "chained through kmem_bufctl_t[]"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool count_cache(struct lx_session *s, const struct lx_cache *c, void *arg)
{
	(void)s;
	*(unsigned int *)arg += !strcmp(c->name, FS_NAME);
	return true;
}

/* 2.6.32's cache_chain through kmem_cache.next, with its witnesses. */
static bool test_cache_chain(void)
{
	const struct fs_config cfg = { .kernel = FS_2_6_32 };
	unsigned int found = 0;
	uint64_t head = 0;
	struct sfix f;

	sf_setup(&f, &cfg);
	CHECK(lx_layout_init(&f.s) == LX_OK);
	CHECK(lx_for_each_cache(&f.s, count_cache, &found) == LX_OK && found == 1);
	CHECK(lx_symbol(&f.fs.fk.target, "cache_chain", &head));
	CHECK(!lx_symbol(&f.fs.fk.target, "slab_caches", &head));
	fk_w64(&f.fs.fk, fs_cache_member(&f.fs, "list") + 8, 0);	/* next.prev */
	CHECK(lx_for_each_cache(&f.s, count_cache, &found) == LX_ECORRUPT);
	CHECK(messages_have(&f, "cache_chain list is inconsistent"));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

/* The kernel with members added or hidden is none leakext knows. */
static bool refused(enum fs_kernel kernel, const char *add, const char *hide,
		    const char *expect)
{
	const struct fs_config cfg = { .kernel = kernel, .width = 1 };
	struct sfix f;

	sf_setup(&f, &cfg);
	three_slabs(&f);
	if (add)
		fk_add_member(&f.fs.fk, add);
	if (hide)
		fk_hide_member(&f.fs.fk, hide);
	CHECK(sf_run_scan(&f) == LX_EABSENT && f.scan.nslabs == 0 && f.scan.live == 0);
	CHECK(messages_have(&f, expect));
	CHECK(sf_teardown(&f));
	return unit_ok();
}

static bool test_mixed_layouts_refused(void)
{
	const char *unknown = "a SLAB layout leakext does not know";

	/* struct slab with kmem_bufctl_t and 3.18's per-cpu array caches */
	return refused(FS_3_10, "kmem_cache.cpu_cache", NULL,
		       "has kmem_cache.cpu_cache, kmem_cache.array, kmem_cache.node (a pointer), slab.free, page.slab_page;") &&
	       /* slab fields in struct page, array[], but node[] inline */
	       refused(FS_3_16, NULL, "kmem_cache.node", unknown) &&
	       /* no kmem_bufctl_t to follow */
	       refused(FS_2_6_32, NULL, "slab.free",
		       "has kmem_cache.array, kmem_cache.buffer_size; lacks") &&
	       /* page.slab_cache without page.slab_page */
	       refused(FS_3_10, NULL, "page.slab_page",
		       "struct page has slab_cache but no slab_page") &&
	       /* no cache list */
	       refused(FS_2_6_32, NULL, "kmem_cache.next",
		       "the dump's types lack kmem_cache.list; cannot walk SLAB");
}

const struct unit_test slab_old_tests[] = {
	{ "SLAB 2.6.32: old names, nodelists[], lru links, cache_chain resolved",
	  test_2_6_32_layout },
	{ "SLAB 3.10: node pointer into array[], page.slab_cache/slab_page resolved",
	  test_3_10_layout },
	{ "SLAB 2.6.32: on-slab struct slab, bufctl chains, exact live set",
	  test_2_6_32_on_slab },
	{ "SLAB 2.6.32: off-slab struct slab, exact live set", test_2_6_32_off_slab },
	{ "SLAB 3.10: on- and off-slab struct slab, exact live sets",
	  test_3_10_on_and_off_slab },
	{ "SLAB 3.16: slab fields in struct page with kmem_cache.array[], exact",
	  test_3_16_page_fields },
	{ "SLAB 3.16: 4-byte indexes of a bad freelist flagged", test_index4_bad },
	{ "SLAB: per-cpu array caches from kmem_cache.array[] (2.6.32, 3.10, 3.16)",
	  test_array_caches },
	{ "SLAB 2.6.32: array cache over its limit flagged", test_array_cache_corrupt },
	{ "SLAB 2.6.32: bufctl chain loop flagged", test_bufctl_loop },
	{ "SLAB 3.10: bufctl index past num flagged", test_bufctl_out_of_range },
	{ "SLAB 2.6.32: inuse against the bufctl chain", test_inuse_against_chain },
	{ "SLAB 2.6.32: kmem_list3.free_objects against the lists",
	  test_free_objects_counter },
	{ "SLAB 3.10: struct slab not where the cache keeps it flagged",
	  test_desc_misplaced },
	{ "SLAB 2.6.32: the slab's page: PG_slab and its struct slab link",
	  test_page_witness },
	{ "SLAB 3.10: slab of another cache's page flagged", test_foreign_slab },
	{ "SLAB 2.6.32: no slab memory behind s_mem - colouroff", test_no_slab_memory },
	{ "SLAB 2.6.32, 3.10: slab on no list found by its page", test_unlisted_slab },
	{ "SLAB 3.10: shared and alien array caches, two nodes",
	  test_shared_and_alien_3_10 },
	{ "SLAB 2.6.32: DEBUG_SLAB obj_offset and obj_size", test_2_6_32_debug },
	{ "SLAB 2.6.32: -l lists exactly the live objects; JSON", test_list_live_and_json },
	{ "SLAB 2.6.32: cache_chain through kmem_cache.next", test_cache_chain },
	{ "SLAB: old layouts no kernel had refused, nothing counted",
	  test_mixed_layouts_refused },
	{ NULL, NULL }
};
