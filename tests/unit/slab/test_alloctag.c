// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the alloc tag reader (slab/alloctag.c) and the site
 * tables built on it (analysis/allocsites.c), on a synthetic kernel with
 * 6.12's alloc tag types (the fake's "alloctag" profiles).
 */
#include <string.h>

#include "analysis/allocsites.h"
#include "fixture.h"
#include "leakext/leakext.h"
#include "unit.h"

#define TAGS 0xffffffff82100000ULL	/* __start_alloc_tags: 4 tags */
#define NTAGS 4
#define TAG_SIZE 40
#define STRINGS 0xffffffff82101000ULL
#define COUNTERS 0x800ULL		/* __percpu: tag i's at + i * 16 */
#define VEC_PFN 200			/* a direct-mapped page, no slab */
#define VEC (FK_PAGE_OFFSET + VEC_PFN * FK_PAGE_SIZE)

static uint64_t tag(unsigned int i)
{
	return TAGS + i * TAG_SIZE;
}

static uint64_t put_string(struct fake_kernel *fk, unsigned int slot, const char *text)
{
	uint64_t addr = STRINGS + slot * 64;

	fk_write(fk, addr, text, strlen(text) + 1);
	return addr;
}

/* Tag i: function, file, line, module ("" for the kernel's own). */
static void put_tag(struct fake_kernel *fk, unsigned int i, const char *func,
		    const char *file, uint32_t line, const char *mod)
{
	fk_w32(fk, tag(i) + 4, line);
	fk_w64(fk, tag(i) + 8, mod[0] ? put_string(fk, 3 * i + 2, mod) : 0);
	fk_w64(fk, tag(i) + 16, put_string(fk, 3 * i, func));
	fk_w64(fk, tag(i) + 24, put_string(fk, 3 * i + 1, file));
	fk_w64(fk, tag(i) + 32, COUNTERS + i * 16);
}

/* cpu's counters of tag i. */
static void put_counters(struct fake_kernel *fk, unsigned int i, int cpu,
			 uint64_t bytes, uint64_t calls)
{
	uint64_t pcpu = FK_PERCPU_BASE + cpu * 0x1000 + COUNTERS + i * 16;

	fk_w64(fk, pcpu, bytes);
	fk_w64(fk, pcpu + 8, calls);
}

/*
 * pfn 10's slab (objects 1, 3, 5 free) with its vector at VEC of stride
 * bytes, ref.ct at ct_off: objects 0, 2, 4 at tag 0, 6 at tag 1 (a
 * module's), 7 none.  flags: obj_exts' low bits.
 */
static void setup(struct fixture *f, const char *profile, unsigned int stride,
		  unsigned int ct_off, uint64_t flags)
{
	static const unsigned int tagged0[] = { 0, 2, 4 };
	unsigned int i;

	fx_setup(f, LX_FP_PLAIN);
	CHECK(fk_profile(&f->fk, profile));
	f->fk.extra_enum = "__NR_OBJEXTS_FLAGS";
	f->fk.extra_enum_value = 2;
	fk_add_symbol(&f->fk, "__start_alloc_tags", TAGS);
	fk_add_symbol(&f->fk, "__stop_alloc_tags", TAGS + NTAGS * TAG_SIZE);
	fk_region(&f->fk, TAGS, NTAGS * TAG_SIZE);
	fk_region(&f->fk, STRINGS, 0x1000);
	fk_region(&f->fk, VEC, FK_PAGE_SIZE);
	fx_one_partial_slab(f);
	put_tag(&f->fk, 0, "fk_alloc", "fk/fk.c", 42, "");
	put_tag(&f->fk, 1, "fk_mod_alloc", "/build/fk_mod.c", 7, "fk_mod");
	put_tag(&f->fk, 2, "fk_idle", "fk/idle.c", 1, "");
	put_tag(&f->fk, 3, "bad\x1b[31m", "fk/esc.c", 3, "");
	for (i = 0; i < 3; i++)
		fk_w64(&f->fk, VEC + tagged0[i] * stride + ct_off, tag(0));
	fk_w64(&f->fk, VEC + 6 * stride + ct_off, tag(1));
	fk_w64(&f->fk, fk_page(10) + 56, VEC | flags);
}

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
	CHECK(lx_tag_map_find(&map, fk_obj(10, 6)) == tag(1));
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

	setup(&f, profile, stride, ct_off, flags);
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
	struct lx_alloc_site site;
	uint64_t t;

	setup(&f, "alloctag", 8, 0, 0);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_alloctag_init(&f.s, &A) == LX_OK && A.present && A.nranges == 1);
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)) == VEC);
	/* a tag pointer between two tags, and one past the section */
	fk_w64(&f.fk, VEC + 0 * 8, tag(0) + 8);
	fk_w64(&f.fk, VEC + 2 * 8, tag(NTAGS));
	CHECK(!lx_alloctag_object(&f.s, &A, VEC, 0, &t));
	CHECK(!lx_alloctag_object(&f.s, &A, VEC, 2, &t));
	CHECK(lx_alloctag_object(&f.s, &A, VEC, 4, &t) && t == tag(0));
	/* an index past the readable vector */
	CHECK(!lx_alloctag_object(&f.s, &A, VEC, FK_PAGE_SIZE / 8, &t));
	/* obj_exts with the alloc-failed bit alone, or outside the direct map */
	fk_w64(&f.fk, fk_page(10) + 56, 1);
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)) == 0);
	fk_w64(&f.fk, fk_page(10) + 56, TAGS);
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)) == 0);
	/* a vector inside a slab of a cache that is not kmalloc's */
	fk_w64(&f.fk, fk_page(10) + 56, fk_obj(10, 0));
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)) == fk_obj(10, 0));
	fk_set_cache_name(&f.fk, "dentry");
	CHECK(lx_alloctag_vector(&f.s, &A, fk_page(10)) == 0);
	/* a function name with an escape sequence reaches no terminal raw */
	CHECK(lx_alloctag_site(&f.s, &A, tag(3), &site) &&
	      !strcmp(site.function, "bad.[31m"));
	CHECK(!lx_alloctag_site(&f.s, &A, tag(0) + 4, &site));
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

	setup(&f, "alloctag", 8, 0, 0);
	put_counters(&f.fk, 0, 0, 100, 2);
	put_counters(&f.fk, 0, 1, 28, 1);
	put_counters(&f.fk, 1, 1, 4096, 1);
	put_counters(&f.fk, 3, 0, 7, 7);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_alloctag_init(&f.s, &A) == LX_OK);
	CHECK(lx_allocinfo_build(&f.s, &A, &t) == LX_OK);
	CHECK(t.count == NTAGS && !t.unreadable && t.objects == 11);
	if (t.count == NTAGS) {
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

	setup(&f, "alloctag", 8, 0, 0);
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

	setup(&f, "alloctag", 8, 0, 0);
	CHECK(fx_command(&f, &opt) == LX_OK);
	fflush(f.fk.out);
	CHECK(f.fk.outbuf && strstr(f.fk.outbuf,
		"\"alloc_sites\":[{\"function\":\"fk_alloc\",\"file\":\"fk/fk.c\",\"line\":42,\"module\":\"\",\"objects\":3,\"bytes\":1536}"));
	CHECK(f.fk.outbuf && strstr(f.fk.outbuf, "\"alloc_tags\":true,\"untagged\":1,"));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

const struct unit_test alloctag_tests[] = {
	{ "alloc tag sites (6.12, no MEMCG)", test_sites_no_memcg },
	{ "alloc tag sites (MEMCG stride, flag bit)", test_sites_memcg_flagged },
	{ "alloc tags: hostile vectors, tags and names", test_hostile_tags },
	{ "alloc tags: allocinfo sums the cpus' counters", test_allocinfo_counters },
	{ "alloc tags: absent without the types or the flag enum", test_absent },
	{ "alloc tags: the cluster report's JSON sites", test_cluster_report_sites },
	{ NULL, NULL },
};
