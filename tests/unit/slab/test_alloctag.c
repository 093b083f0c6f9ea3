// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the alloc tag reader (slab/alloctag.c) and the site
 * tables built on it (analysis/allocsites.c), on a synthetic kernel with
 * 6.12's alloc tag types (the fake's "alloctag" profiles).
 */
#include <string.h>

#include "analysis/allocsites.h"
#include "fake_alloctag.h"
#include "leakext/leakext.h"
#include "unit.h"

/* The site table of the fixture's one slab, as the cluster report builds it. */
static enum lx_status cache_sites(struct fixture *f, struct lx_alloctag *A,
				  struct lx_site_table *t)
{
	struct lx_tag_map map;
	uint64_t tags[FK_OBJS];
	enum lx_status ret;
	size_t i;

	CHECK(fx_run_scan(f) == LX_OK);
	CHECK(lx_alloctag_init(&f->s, A) == LX_OK);
	ret = lx_tag_map_build(&f->s, A, &f->scan, &map);
	CHECK(ret == LX_OK && map.count == 5);
	for (i = 0; i < map.count && i < FK_OBJS; i++)
		tags[i] = map.pairs[i].tag;
	CHECK(lx_tag_map_find(&map, fk_obj(10, 6)) == fa_tag(1));
	CHECK(lx_tag_map_find(&map, fk_obj(10, 7)) == 0);
	CHECK(lx_tag_map_find(&map, fk_obj(10, 1)) == 0);	/* free: not in the map */
	if (!ret)
		ret = lx_site_table_from_tags(&f->s, A, tags, map.count, FK_OBJ_SIZE, t);
	lx_tag_map_free(&f->s, &map);
	return ret;
}

static bool sites_case(const char *profile, unsigned int stride, unsigned int ct_off,
		       uint64_t flags)
{
	struct fixture f;
	struct lx_alloctag A;
	struct lx_site_table t;

	fa_setup(&f, profile, stride, ct_off, flags);
	CHECK(cache_sites(&f, &A, &t) == LX_OK);
	CHECK(A.present && A.flags_mask == 1 && A.ext_size == stride && A.ext_ct == ct_off);
	CHECK(t.present && t.objects == 5 && t.untagged == 1 && t.count == 2);
	if (t.count == 2) {
		CHECK(t.rows[0].objects == 3 && t.rows[0].bytes == 3 * FK_OBJ_SIZE);
		CHECK(!strcmp(t.rows[0].site.function, "fk_alloc") &&
		      !strcmp(t.rows[0].site.file, "fk/fk.c") && t.rows[0].site.line == 42 &&
		      !t.rows[0].site.module[0]);
		CHECK(t.rows[1].objects == 1 && !strcmp(t.rows[1].site.module, "fk_mod") &&
		      !strcmp(t.rows[1].site.function, "fk_mod_alloc"));
	}
	lx_site_table_free(&f.s, &t);
	lx_alloctag_fini(&f.s, &A);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_sites_no_memcg(void)
{
	return sites_case("alloctag", 8, 0, 0);
}

/* MEMCG: a 16-byte slabobj_ext, ref after objcg; a flag bit set in obj_exts. */
static bool test_sites_memcg_flagged(void)
{
	return sites_case("alloctag-memcg", 16, 8, 1);
}

/* Hostile vectors and tags: nothing outside the checked places is followed. */
static bool test_hostile_tags(void)
{
	struct fixture f;
	struct lx_alloctag A;
	const struct lx_objext_vec vec8 = { FA_VEC, 8 };
	struct lx_alloc_site site;
	uint64_t t;

	fa_setup(&f, "alloctag", 8, 0, 0);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_alloctag_init(&f.s, &A) == LX_OK && A.present && A.nranges == 1);
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)).base == FA_VEC);
	/* a tag pointer between two tags, and one past the section */
	fk_w64(&f.fk, FA_VEC + 0 * 8, fa_tag(0) + 8);
	fk_w64(&f.fk, FA_VEC + 2 * 8, fa_tag(FA_NTAGS));
	CHECK(!lx_alloctag_object(&f.s, &A, vec8, 0, &t));
	CHECK(!lx_alloctag_object(&f.s, &A, vec8, 2, &t));
	CHECK(lx_alloctag_object(&f.s, &A, vec8, 4, &t) && t == fa_tag(0));
	/* an index past the readable vector */
	CHECK(!lx_alloctag_object(&f.s, &A, vec8, FK_PAGE_SIZE / 8, &t));
	/* obj_exts with the alloc-failed bit alone, or outside the direct map */
	fk_w64(&f.fk, fk_page(10) + 56, 1);
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)).base == 0);
	fk_w64(&f.fk, fk_page(10) + 56, FA_TAGS);
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)).base == 0);
	/* a vector inside a slab of a cache that is not kmalloc's */
	fk_w64(&f.fk, fk_page(10) + 56, fk_obj(10, 0));
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)).base == fk_obj(10, 0));
	fk_set_cache_name(&f.fk, "dentry");
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)).base == 0);
	/* a function name with an escape sequence reaches no terminal raw */
	CHECK(lx_alloctag_site(&f.s, &A, fa_tag(3), &site) &&
	      !strcmp(site.function, "bad.[31m"));
	CHECK(!lx_alloctag_site(&f.s, &A, fa_tag(0) + 4, &site));
	lx_alloctag_fini(&f.s, &A);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * 7.0's slab.stride: a vector inside the slab's own objects (one entry at
 * the end of each 512-byte slot, stride 512) of a cache that is not
 * kmalloc's; tags read at base + index * stride.  A stride of 0, one
 * smaller than struct slabobj_ext or past any object is refused.
 */
static bool test_stride_in_object(void)
{
	const uint64_t base = fk_obj(10, 0) + FK_OBJ_SIZE - 8;
	static const unsigned int tagged0[] = { 0, 2, 4 };
	struct lx_objext_vec v;
	struct lx_alloctag A;
	struct fixture f;
	uint64_t t;
	unsigned int i;

	fa_setup(&f, "alloctag-stride", 8, 0, 0);
	fk_set_cache_name(&f.fk, "dentry");
	for (i = 0; i < 3; i++)
		fk_w64(&f.fk, base + tagged0[i] * FK_OBJ_SIZE, fa_tag(0));
	fk_w64(&f.fk, base + 6 * FK_OBJ_SIZE, fa_tag(1));
	fk_w64(&f.fk, fk_page(10) + 56, base);
	fk_write(&f.fk, fk_page(10) + 44, &(uint16_t){ FK_OBJ_SIZE }, 2);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_alloctag_init(&f.s, &A) == LX_OK && A.present && A.slab_stride == 44);
	v = lx_alloctag_vector(&f.s, &A, fk_page(10));
	CHECK(v.base == base && v.stride == FK_OBJ_SIZE);
	CHECK(lx_alloctag_object(&f.s, &A, v, 4, &t) && t == fa_tag(0));
	CHECK(lx_alloctag_object(&f.s, &A, v, 6, &t) && t == fa_tag(1));
	CHECK(!lx_alloctag_object(&f.s, &A, v, 7, &t));
	fk_write(&f.fk, fk_page(10) + 44, &(uint16_t){ 0 }, 2);
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)).base == 0);
	fk_write(&f.fk, fk_page(10) + 44, &(uint16_t){ 4 }, 2);
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)).base == 0);
	lx_alloctag_fini(&f.s, &A);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Without slab.stride, the same in-object vector is no kmalloc vector: refused. */
static bool test_no_stride_own_slab_refused(void)
{
	struct lx_alloctag A;
	struct fixture f;

	fa_setup(&f, "alloctag", 8, 0, 0);
	fk_set_cache_name(&f.fk, "dentry");
	fk_w64(&f.fk, fk_page(10) + 56, fk_obj(10, 0) + FK_OBJ_SIZE - 8);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_alloctag_init(&f.s, &A) == LX_OK && A.slab_stride == -1);
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)).base == 0);
	lx_alloctag_fini(&f.s, &A);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* --allocinfo's table: counters summed over the cpus, largest first. */
static bool test_allocinfo_counters(void)
{
	struct fixture f;
	struct lx_alloctag A;
	struct lx_site_table t;

	fa_setup(&f, "alloctag", 8, 0, 0);
	fa_counters(&f.fk, 0, 0, 100, 2);
	fa_counters(&f.fk, 0, 1, 28, 1);
	fa_counters(&f.fk, 1, 1, 4096, 1);
	fa_counters(&f.fk, 3, 0, 7, 7);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_alloctag_init(&f.s, &A) == LX_OK);
	CHECK(lx_allocinfo_build(&f.s, &A, &t) == LX_OK);
	CHECK(t.count == FA_NTAGS && !t.unreadable && t.objects == 11);
	if (t.count == FA_NTAGS) {
		CHECK(t.rows[0].bytes == 4096 && t.rows[0].objects == 1 &&
		      !strcmp(t.rows[0].site.function, "fk_mod_alloc"));
		CHECK(t.rows[1].bytes == 128 && t.rows[1].objects == 3);
		CHECK(t.rows[2].bytes == 7 && t.rows[3].bytes == 0);
	}
	lx_site_table_free(&f.s, &t);
	lx_alloctag_fini(&f.s, &A);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * Module tags through the codetag module idr: the kernel's range again is
 * skipped, an overlapping one refused, sibling and value entries passed by.
 */
static bool test_module_ranges(void)
{
	struct fixture f;
	struct lx_alloctag A;
	struct lx_site_table t;

	fa_setup(&f, "alloctag", 8, 0, 0);
	fa_modules(&f.fk);
	fa_counters(&f.fk, 4, 1, 64, 1);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_alloctag_init(&f.s, &A) == LX_OK && A.present && A.modules_read);
	CHECK(A.nranges == 2 && A.ranges[1].start == FA_MOD_TAGS &&
	      A.ranges[1].stop == FA_MOD_TAGS + 2 * FA_TAG_SIZE);
	CHECK(lx_alloctag_valid(&A, FA_MOD_TAGS + FA_TAG_SIZE));
	CHECK(!lx_alloctag_valid(&A, FA_MOD_TAGS + 2 * FA_TAG_SIZE));
	CHECK(strstr(f.fk.messages, "not a run of struct alloc_tag"));
	CHECK(lx_allocinfo_build(&f.s, &A, &t) == LX_OK && t.count == FA_NTAGS + 2);
	if (t.count == FA_NTAGS + 2)
		CHECK(t.rows[0].bytes == 64 && !strcmp(t.rows[0].site.module, "fm") &&
		      !strcmp(t.rows[0].site.function, "fm_one"));
	lx_site_table_free(&f.s, &t);
	lx_alloctag_fini(&f.s, &A);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* A hostile idr: a node whose slots point back at itself ends. */
static bool test_module_idr_loop(void)
{
	struct fixture f;
	struct lx_alloctag A;
	unsigned int i;

	fa_setup(&f, "alloctag", 8, 0, 0);
	fa_modules(&f.fk);
	fk_w64(&f.fk, FA_XA_NODE, 6);	/* shift 6: its slots are nodes */
	for (i = 0; i < 64; i++)
		fk_w64(&f.fk, FA_XA_NODE + 40 + 8 * i, FA_XA_NODE | 2);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_alloctag_init(&f.s, &A) == LX_OK && A.present && A.nranges == 1);
	lx_alloctag_fini(&f.s, &A);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* A kernel without the types, or without the flag enum: nothing to read. */
static bool test_absent(void)
{
	struct lx_options opt = { .allocinfo = true };
	struct fixture f;
	struct lx_alloctag A;

	fx_setup(&f, LX_FP_PLAIN);
	fx_one_partial_slab(&f);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_alloctag_init(&f.s, &A) == LX_OK && !A.present);
	lx_alloctag_fini(&f.s, &A);
	CHECK(fx_command(&f, &opt) == LX_EABSENT &&
	      strstr(f.res.message, "no alloc tags"));
	CHECK(fx_teardown(&f));

	fa_setup(&f, "alloctag", 8, 0, 0);
	f.fk.extra_enum = NULL;
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_alloctag_init(&f.s, &A) == LX_OK && !A.present);
	lx_alloctag_fini(&f.s, &A);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* The whole command: a cluster report names every member's site. */
static bool test_cluster_report_sites(void)
{
	struct lx_options opt = { .cache = "kmalloc-512", .no_holders = true, .json = true };
	struct fixture f;

	fa_setup(&f, "alloctag", 8, 0, 0);
	CHECK(fx_command(&f, &opt) == LX_OK);
	fflush(f.fk.out);
	CHECK(f.fk.outbuf && strstr(f.fk.outbuf,
		"\"alloc_sites\":[{\"function\":\"fk_alloc\",\"file\":\"fk/fk.c\",\"line\":42,\"module\":\"\",\"objects\":3,\"bytes\":1536}"));
	CHECK(f.fk.outbuf && strstr(f.fk.outbuf, "\"alloc_tags\":true,\"untagged\":1,"));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* The text report: the cluster's sites, the evidence, the cache's table. */
static bool test_cluster_report_text(void)
{
	struct lx_options opt = { .cache = "kmalloc-512", .no_holders = true };
	struct fixture f;

	fa_setup(&f, "alloctag", 8, 0, 0);
	CHECK(fx_command(&f, &opt) == LX_OK);
	fflush(f.fk.out);
	CHECK(f.fk.outbuf && strstr(f.fk.outbuf,
		"  alloc tag 3/5 allocated at fk_alloc() fk/fk.c:42\n"
		"            1/5 allocated at fk_mod_alloc() /build/fk_mod.c:7 [fk_mod]\n"
		"            1/5 have no alloc tag\n"));
	CHECK(f.fk.outbuf && strstr(f.fk.outbuf,
		"+ alloc-tag: 3/5 allocated at fk_alloc() fk/fk.c:42\n"));
	CHECK(f.fk.outbuf && strstr(f.fk.outbuf,
		"ALLOCATION SITES of kmalloc-512's 5 live objects (alloc tags, every object):\n"
		" <objects>      <bytes> <tag info>\n"
		"         3         1536 fk/fk.c:42 func:fk_alloc\n"
		"         1          512 /build/fk_mod.c:7 [fk_mod] func:fk_mod_alloc\n"));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

const struct unit_test alloctag_tests[] = {
	{ "alloc tag sites (6.12, no MEMCG)", test_sites_no_memcg },
	{ "alloc tag sites (MEMCG stride, flag bit)", test_sites_memcg_flagged },
	{ "alloc tags: hostile vectors, tags and names", test_hostile_tags },
	{ "alloc tags: 7.0's slab.stride, a vector inside the objects", test_stride_in_object },
	{ "alloc tags: no slab.stride, a vector in its own slab refused",
	  test_no_stride_own_slab_refused },
	{ "alloc tags: allocinfo sums the cpus' counters", test_allocinfo_counters },
	{ "alloc tags: module ranges from the codetag idr", test_module_ranges },
	{ "alloc tags: a looping idr ends", test_module_idr_loop },
	{ "alloc tags: absent without the types or the flag enum", test_absent },
	{ "alloc tags: the cluster report's JSON sites", test_cluster_report_sites },
	{ "alloc tags: the cluster report's text sites", test_cluster_report_text },
	{ NULL, NULL },
};
