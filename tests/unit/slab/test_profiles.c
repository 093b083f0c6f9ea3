// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Older SLUB kernels as profiles of the fake kernel (fake_target.c): slab
 * fields in struct page, kmem_cache_cpu.page, cpu partial chains through
 * page.next, node lists through page.lru or page.slab_list, PG_slab and
 * each freelist encoding the kernel had.  One populated cache each,
 * walked with exact counts; layouts no real kernel had are refused.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "leakext/leakext.h"
#include "unit.h"

/* The populated cache: where each slab is and which objects are free. */
static const struct {
	unsigned long pfn;
	unsigned int inuse;	/* counters.inuse */
	bool frozen;
	unsigned int nfree;
	unsigned int free[FK_OBJS];	/* on the slab's own freelist */
} slabs[] = {
	{ 10, 5, false, 3, { 1, 3, 5 } },	/* node 0 partial */
	{ 11, 6, false, 2, { 0, 7 } },		/* node 0 partial */
	{ 20, 7, true, 1, { 7 } },		/* cpu 0's: 7 freed remotely */
	{ 21, 7, true, 1, { 4 } },		/* cpu 0's partial chain, head */
	{ 22, 6, true, 2, { 1, 2 } },		/* cpu 0's partial chain */
	{ 23, FK_OBJS, true, 0, { 0 } },	/* cpu 1's, every object out */
	{ 30, FK_OBJS, false, 0, { 0 } },	/* full, on no list */
};

#define NR_SLABS (sizeof(slabs) / sizeof(slabs[0]))
#define FOREIGN_PFN 31		/* another cache's slab in the memory map */

/* Cpu 0's lockless freelist: objects 0 and 2 of its slab (pfn 20). */
static const unsigned int lockless[] = { 0, 2 };

/* Expected: 7 slabs of 8 objects; 11 free (3 + 2 + 3 + 1 + 2). */
#define TOTAL (NR_SLABS * FK_OBJS)
#define FREE 11u
#define LIVE (TOTAL - FREE)

static void add_slabs(struct fixture *f)
{
	size_t i;

	for (i = 0; i < NR_SLABS; i++) {
		fk_add_slab(&f->fk, slabs[i].pfn, slabs[i].inuse, slabs[i].frozen);
		fk_set_slab_freelist(&f->fk, slabs[i].pfn,
				     fk_chain(&f->fk, slabs[i].pfn, slabs[i].free,
					      slabs[i].nfree));
	}
	fk_add_slab(&f->fk, FOREIGN_PFN, FK_OBJS, false);
	CHECK(fk_set_page_field(&f->fk, FOREIGN_PFN, "slab_cache",
				0xffff888009990000ULL));
}

/*
 * Cpu 0: slab 20 with a lockless freelist, partial chain 21 -> 22 whose
 * slabs carry the chain's pages and approximate free objects from them
 * on, as put_cpu_partial() leaves them.  Cpu 1: slab 23, freelist empty.
 * False if the kernel's struct page has no pages or pobjects.
 */
static bool set_cpus(struct fixture *f)
{
	bool counts;

	fk_set_cpu(&f->fk, 0, 20, fk_chain(&f->fk, 20, lockless, 2), 21);
	fk_set_partial_next(&f->fk, 21, 22);
	fk_set_partial_next(&f->fk, 22, 0);
	counts = fk_set_page_field(&f->fk, 21, "pages", 2) &&
		 fk_set_page_field(&f->fk, 21, "pobjects", 3) &&
		 fk_set_page_field(&f->fk, 22, "pages", 1) &&
		 fk_set_page_field(&f->fk, 22, "pobjects", 2);
	fk_set_cpu(&f->fk, 1, 23, 0, 0);
	return counts;
}

/* The cache above; false if the cpu partial counts have no members. */
static bool populate(struct fixture *f)
{
	static const unsigned long partial[] = { 10, 11, 0 };

	add_slabs(f);
	fk_node_list(&f->fk, false, partial);
	fk_set_node_nr_slabs(&f->fk, NR_SLABS);
	return set_cpus(f);
}

static bool object_free(size_t slab, unsigned int index)
{
	unsigned int i;

	if (slabs[slab].pfn == 20 && (index == lockless[0] || index == lockless[1]))
		return true;
	for (i = 0; i < slabs[slab].nfree; i++)
		if (slabs[slab].free[i] == index)
			return true;
	return false;
}

/* Every object's liveness is the expected one. */
static bool objects_exact(const struct lx_scan *scan)
{
	const struct lx_slab *slab;
	unsigned int index;
	size_t i;

	for (i = 0; i < NR_SLABS; i++) {
		slab = fx_find_slab(scan, slabs[i].pfn);
		if (!slab || slab->objects != FK_OBJS)
			return false;
		for (index = 0; index < FK_OBJS; index++)
			if (lx_object_is_free(scan, slab, index) != object_free(i, index))
				return false;
	}
	return true;
}

/* What a profile's kernel looks like to the layout. */
struct profile {
	const char *name;
	const char *layout;	/* in the known layout's name */
	long list, next, cache;	/* page.lru or slab_list, next, slab_cache */
	long pg_slab;
};

static const struct profile profiles[] = {
	{ "3.10", "before 4.18", 32, 32, 48, 7 },
	{ "4.18", "4.18 - 5.16", 8, 8, 24, 8 },
	{ "5.4", "4.18 - 5.16", 8, 8, 24, 9 },
	{ "5.14", "4.18 - 5.16", 8, 8, 24, 9 },
	{ "5.15", "4.18 - 5.16", 8, 8, 24, 9 },
};

static const struct profile *find_profile(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	abort();
}

static void check_layout(const struct lx_layout *L, const struct profile *p)
{
	CHECK(L->layout_name && strstr(L->layout_name, p->layout));
	CHECK(!strcmp(L->slab_type, "page"));
	CHECK(L->slab_list == p->list && L->slab_next == p->next);
	CHECK(L->slab_cache == p->cache && L->kcc_slab == 16);
	CHECK(L->slab_test == LX_SLAB_PAGE_FLAG &&
	      L->slab_test_value == (uint64_t)p->pg_slab);
}

static void check_scan(const struct fixture *f, enum lx_freeptr_mode encoding)
{
	const struct lx_scan *scan = &f->scan;

	CHECK(scan->nslabs == NR_SLABS);
	CHECK(scan->total == TOTAL && scan->free == FREE && scan->live == LIVE);
	CHECK(scan->by_source[LX_SRC_CPU] == 2);
	CHECK(scan->by_source[LX_SRC_CPU_PARTIAL] == 2);
	CHECK(scan->by_source[LX_SRC_NODE_PARTIAL] == 2);
	CHECK(scan->by_source[LX_SRC_MEMMAP] == 1 && fx_find_slab(scan, 30));
	CHECK(scan->used_memmap && scan->fp_mode == encoding);
	CHECK(objects_exact(scan));
	CHECK(lx_integrity_ok(&scan->integrity) && !f->s.flagged);
	CHECK(f->fk.messages[0] == '\0');
}

/* leakscan -l: exactly the live objects' addresses, one a line. */
static void check_listed(struct fixture *f)
{
	struct lx_options opt = { .cache = "kmalloc-512", .list_live = true };
	char line[32];
	unsigned int index, lines = 0;
	size_t i;
	char *p;

	CHECK(fx_command(f, &opt) == LX_OK && !f->res.flagged);
	fflush(f->fk.out);
	for (p = f->fk.outbuf; p && *p; p = strchr(p, '\n') + 1, lines++)
		if (!strchr(p, '\n'))
			break;
	CHECK(lines == LIVE);
	for (i = 0; i < NR_SLABS; i++)
		for (index = 0; index < FK_OBJS; index++) {
			snprintf(line, sizeof(line), "%llx\n",
				 (unsigned long long)fk_obj(slabs[i].pfn, index));
			CHECK(!object_free(i, index) ==
			      (f->fk.outbuf && strstr(f->fk.outbuf, line) != NULL));
		}
}

static bool profile_exact(const char *name, enum lx_freeptr_mode encoding)
{
	const struct profile *p = find_profile(name);
	struct fixture f;

	fx_setup(&f, encoding);
	CHECK(fk_profile(&f.fk, name));
	CHECK(populate(&f));
	CHECK(fx_run_scan(&f) == LX_OK);
	check_layout(&f.s.L, p);
	check_scan(&f, encoding);
	check_listed(&f);
	if (unit_failed)
		fprintf(stderr, "    profile %s, %s\n", name, lx_freeptr_mode_name(encoding));
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* RHEL 7: no freelist hardening (4.14). */
static bool test_3_10(void)
{
	return profile_exact("3.10", LX_FP_PLAIN);
}

/* RHEL 8: xor (4.14); RHEL 8.6 backports the byte swap (5.7, 1ad53d9fa3f6). */
static bool test_4_18(void)
{
	return profile_exact("4.18", LX_FP_XOR) &&
	       profile_exact("4.18", LX_FP_XOR_SWAB) &&
	       profile_exact("4.18", LX_FP_PLAIN);
}

/* 5.4.0 xors; the 5.4.y stable series took the byte swap. */
static bool test_5_4(void)
{
	return profile_exact("5.4", LX_FP_XOR) &&
	       profile_exact("5.4", LX_FP_XOR_SWAB);
}

/* RHEL 9 */
static bool test_5_14(void)
{
	return profile_exact("5.14", LX_FP_XOR_SWAB) &&
	       profile_exact("5.14", LX_FP_PLAIN);
}

static bool test_5_15(void)
{
	return profile_exact("5.15", LX_FP_XOR_SWAB);
}

/*
 * The profile's kernel (NULL: 6.1) with members added or hidden makes a
 * layout no kernel had: refused with expect in the message, nothing
 * counted.
 */
static bool mixed_refused(const char *profile, const char *const *added,
			  const char *hidden, const char *expect)
{
	struct fixture f;

	fx_setup(&f, LX_FP_XOR_SWAB);
	CHECK(!profile || fk_profile(&f.fk, profile));
	for (; added && *added; added++)
		fk_add_member(&f.fk, *added);
	if (hidden)
		fk_hide_member(&f.fk, hidden);
	populate(&f);	/* 6.1 has no pobjects: ignored */
	CHECK(fx_run_scan(&f) == LX_EABSENT);
	CHECK(f.scan.nslabs == 0 && f.scan.total == 0 && f.scan.live == 0);
	CHECK(strstr(f.fk.messages, expect) != NULL);
	if (unit_failed)
		fprintf(stderr, "    messages: %s", f.fk.messages);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static bool test_mixed_layouts_refused(void)
{
	static const char *const cpu_page[] = { "kmem_cache_cpu.page", NULL };
	static const char *const page_list[] = { "page.slab_list", NULL };
	static const char *const sheaves[] = {
		"kmem_cache.cpu_sheaves", "kmem_cache_node.barn", NULL,
	};
	const char *unknown = "a SLUB layout leakext does not know";

	/* struct slab, but the cpu slab still a page */
	return mixed_refused(NULL, cpu_page, NULL, unknown) &&
	       mixed_refused(NULL, cpu_page, NULL, "has kmem_cache.cpu_slab, kmem_cache.node, slab.slab_cache, kmem_cache_cpu.page;") &&
	       /* struct slab, and struct page still holding slab_list */
	       mixed_refused(NULL, page_list, NULL, "slab.slab_cache, page.slab_list;") &&
	       /* slab fields in struct page, cpu slab neither page nor slab */
	       mixed_refused("5.15", NULL, "kmem_cache_cpu.page",
			     "lacks kmem_cache.cpu_sheaves, kmem_cache_node.barn, kmem_cache.per_node, slab.slab_cache, kmem_cache_cpu.page") &&
	       /* 6.18's sheaves on a kernel of struct page slabs */
	       mixed_refused("3.10", sheaves, NULL, "has kmem_cache.cpu_slab, kmem_cache.cpu_sheaves, kmem_cache.node, kmem_cache_node.barn, kmem_cache_cpu.page;") &&
	       /* a cpu partial chain with no link to follow */
	       mixed_refused("4.18", NULL, "page.next",
			     "kmem_cache_cpu.partial but no page.next");
}

const struct unit_test profile_tests[] = {
	{ "profile 3.10 (RHEL 7): struct page slabs, lru lists, plain freelists",
	  test_3_10 },
	{ "profile 4.18 (RHEL 8): page.slab_list, xor and xor+swab freelists",
	  test_4_18 },
	{ "profile 5.4: xor (5.4.0) and xor+swab (5.4.y) freelists", test_5_4 },
	{ "profile 5.14 (RHEL 9): xor+swab and plain freelists", test_5_14 },
	{ "profile 5.15: kmem_cache_cpu.lock, xor+swab freelists", test_5_15 },
	{ "profiles: layouts no kernel had refused, nothing counted",
	  test_mixed_layouts_refused },
	{ NULL, NULL }
};
