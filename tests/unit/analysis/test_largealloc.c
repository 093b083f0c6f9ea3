// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the large kmalloc finder (analysis/largealloc.c) and its
 * reports on the fake kernel with page_owner: which compound pages count
 * (the kmalloc-large function in the stack, or the page type), owners,
 * sites, groups, the commands' text and JSON, and hostile pages.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/largealloc.h"
#include "fake_pageowner.h"
#include "leakext/leakext.h"
#include "unit.h"

/*
 * pfn 64: a large kmalloc of order 2 (tag 0); pfn 96: another of order 1
 * (tag 1); pfn 80: a compound page of order 3 whose stack has no
 * kmalloc-large function; pfn 120: one with no page_owner record.
 */
static void four_pages(struct fake_kernel *fk)
{
	const uint64_t other[] = { FP_POST_ALLOC, FD_FUNC + 0x100, FD_FUNC + 0x200 };

	fp_large(fk, 64, 2, 0, 0);
	fp_large(fk, 96, 1, 0, 1);
	fp_compound(fk, 80, 3);
	fp_owner(fk, 80, 3, fd_record(fk, false, 0, 40, other, 3, 3), 1, "swapper/0", false);
	fp_compound(fk, 120, 2);
}

static bool test_large_by_stack(void)
{
	struct fixture f;
	struct lx_large_result r;
	const struct lx_large_alloc *a;
	char frame[LX_FRAME_TEXT_MAX];

	fp_setup(&f, false);
	four_pages(&f.fk);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_large_find(&f.s, &r) == LX_OK);
	CHECK(r.basis == LX_LARGE_OWNER_STACK && r.page_owner && r.alloc_tags);
	CHECK(r.compound_heads == 4 && r.count == 2 && r.bytes == 6 * FK_PAGE_SIZE);
	a = &r.allocs[0];
	CHECK(a->pfn == 64 && a->order == 2 && a->bytes == 4 * FK_PAGE_SIZE &&
	      a->addr == FK_PAGE_OFFSET + 64 * FK_PAGE_SIZE);
	CHECK(a->has_owner && a->owner.pid == 39 && !strcmp(a->owner.comm, "insmod"));
	CHECK(a->nframes == 4 && a->owner_frame == 2);
	lx_large_frame(&f.s, a, a->owner_frame, frame, sizeof(frame));
	CHECK(!strcmp(frame, "fp_big_alloc+0x29"));
	CHECK(a->has_site && !strcmp(a->site.function, "fk_alloc") && a->site.line == 42);
	CHECK(a->npreview == LX_LARGE_PREVIEW && !memcmp(a->preview, "big buffer\n", 11));
	/* two groups: same owner, two sites; the larger first */
	CHECK(r.ngroups == 2 && r.groups[0].bytes == 4 * FK_PAGE_SIZE &&
	      r.groups[1].bytes == 2 * FK_PAGE_SIZE);
	CHECK(!strcmp(r.groups[0].owner, "fp_big_alloc") && r.allocs[0].group == 0 &&
	      r.allocs[1].group == 1);
	CHECK(!strcmp(r.allocs[r.groups[1].first].site.function, "fk_mod_alloc"));
	lx_large_free(&f.s, &r);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* The page type row: PGTY_large_kmalloc decides; no page_owner needed. */
static bool test_large_by_page_type(void)
{
	static const struct fk_enum enums[] = {
		{ "PG_head", FP_PG_HEAD }, { "PGTY_large_kmalloc", 0xf8 },
	};
	struct fixture f;
	struct lx_large_result r;

	fp_setup(&f, false);
	four_pages(&f.fk);
	f.fk.enums = enums;
	f.fk.nenums = 2;
	fk_w32(&f.fk, fk_page(80) + 48, 0xf8000000u);
	fk_w32(&f.fk, fk_page(120) + 48, 0xf8000000u);
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_large_find(&f.s, &r) == LX_OK);
	/* no PAGE_EXT_OWNER enumerators: no page_owner; the typed pages count */
	CHECK(r.basis == LX_LARGE_PAGE_TYPE && !r.page_owner && r.count == 2);
	CHECK(r.count == 2 && r.allocs[0].pfn == 80 && r.allocs[1].pfn == 120 &&
	      r.bytes == 12 * FK_PAGE_SIZE && !r.allocs[0].has_owner);
	CHECK(r.ngroups == 1 && r.groups[0].owner[0] == '\0' && r.groups[0].count == 2);
	lx_large_free(&f.s, &r);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

static char *command_output(struct fixture *f, struct lx_options *opt, enum lx_status *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	f->fk.target.out = out;
	*ret = fx_command(f, opt);
	fclose(out);
	return buf;
}

static bool test_large_commands(void)
{
	struct lx_options opt = { .large = true };
	struct fixture f;
	enum lx_status ret;
	char *text;

	fp_setup(&f, false);
	four_pages(&f.fk);
	text = command_output(&f, &opt, &ret);
	CHECK(ret == LX_OK && strstr(text, "GROUP 1: fp_big_alloc: 1 allocations, 16384 bytes\n"));
	CHECK(strstr(text, "  alloc tag: fk/fk.c:42 func:fk_alloc\n"));
	CHECK(strstr(text, "      fp_big_alloc+0x29   <- owner\n"));
	CHECK(strstr(text, "    preview: \"big buffer\\n"));
	CHECK(strstr(text, "pid 39 tgid 39 (insmod)  ts 3080108761 ns  gfp 0x40cc0"));
	free(text);
	opt.json = true;
	text = command_output(&f, &opt, &ret);
	CHECK(ret == LX_OK && strstr(text, "\"large_allocs\":{\"basis\":\"page_owner_stack\","));
	CHECK(strstr(text, "\"count\":2,\"bytes\":24576,\"compound_heads\":4,"));
	CHECK(strstr(text, "\"stack\":[\"post_alloc_hook+0x23\",\"___kmalloc_large_node+0xb1\",\"fp_big_alloc+0x29\",\"fd_func0\"]"));
	free(text);
	opt.redact = true;
	text = command_output(&f, &opt, &ret);
	CHECK(ret == LX_OK && !strstr(text, "preview_hex") && strstr(text, "\"stack\":["));
	free(text);
	/* the ranking counts them */
	memset(&opt, 0, sizeof(opt));
	text = command_output(&f, &opt, &ret);
	CHECK(ret == LX_OK && strstr(text, "          2  ") &&
	      strstr(text, "large kmalloc (no cache; leakscan --large lists them)\n"));
	free(text);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Without page_owner or a page type: the clear refusal, no output. */
static bool test_large_cannot_tell(void)
{
	struct lx_options opt = { .large = true };
	struct fixture f;
	enum lx_status ret;
	char *text;

	fp_setup(&f, false);
	four_pages(&f.fk);
	fk_w32(&f.fk, FP_VARS + 0x400, 0);	/* page_owner_inited off */
	text = command_output(&f, &opt, &ret);
	CHECK(ret == LX_EABSENT && !text[0] && strstr(f.res.message, "cannot be told") &&
	      strstr(f.res.message, "page_owner=on"));
	free(text);
	memset(&opt, 0, sizeof(opt));
	text = command_output(&f, &opt, &ret);
	CHECK(ret == LX_OK && !strstr(text, "large kmalloc"));
	free(text);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/* Orders no zone hands out, a bogus handle, a freed record: not counted. */
static bool test_large_hostile(void)
{
	struct fixture f;
	struct lx_large_result r;

	fp_setup(&f, false);
	four_pages(&f.fk);
	fk_w64(&f.fk, fk_page(64) + 64, 0);		/* order 0 */
	fk_w64(&f.fk, fk_page(96) + 64, 40);		/* order 40 */
	fp_large(&f.fk, 140, 2, 60, 0);
	fk_w32(&f.fk, fp_entry(140) + FP_OWNER + 8, 0xdeadbeef);	/* handle */
	fp_large(&f.fk, 160, 2, 70, 0);
	fk_w64(&f.fk, fp_entry(160), 1);		/* freed since */
	fp_large(&f.fk, 180, 3, 80, 0);
	fk_w64(&f.fk, fp_entry(180) + FP_TAG, 0x1234);	/* not a tag */
	CHECK(fx_run_scan(&f) == LX_OK);
	CHECK(lx_large_find(&f.s, &r) == LX_OK);
	CHECK(r.compound_heads == 7 && r.count == 1 && r.allocs[0].pfn == 180 &&
	      !r.allocs[0].has_site && r.allocs[0].order == 3);
	lx_large_free(&f.s, &r);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

/*
 * A slab cluster's page_owner line: the fixture's slab (pfn 10) was
 * allocated under fp_big_alloc through allocate_slab; low-confidence
 * evidence that names no owner.
 */
static bool test_slab_owner_evidence(void)
{
	const uint64_t stack[] = { FP_POST_ALLOC + 0x10, FP_ALLOCATE_SLAB + 0x20,
				   FP_BIG_FUNC + 0x30, FD_FUNC };
	struct lx_options opt = { .cache = "kmalloc-512", .no_holders = true };
	struct fixture f;
	enum lx_status ret;
	char *text;

	fp_setup(&f, false);
	fp_owner(&f.fk, 10, 0, fd_record(&f.fk, false, 0, 100, stack, 4, 4), 7, "kworker",
		 false);
	text = command_output(&f, &opt, &ret);
	CHECK(ret == LX_OK && strstr(text, "            + page-owner: 5/5 sampled members sit in slabs allocated under fp_big_alloc"));
	CHECK(!strstr(text, "OWNER     fp_big_alloc"));
	free(text);
	/* freed since: no record counts, no line */
	fk_w64(&f.fk, fp_entry(10), 1);
	text = command_output(&f, &opt, &ret);
	CHECK(ret == LX_OK && strstr(text, "OWNER") && !strstr(text, "page-owner"));
	free(text);
	CHECK(fx_teardown(&f));
	return unit_ok();
}

const struct unit_test largealloc_tests[] = {
	{ "largealloc: a slab cluster's page_owner evidence", test_slab_owner_evidence },
	{ "largealloc: by the page_owner stack, owners, sites, groups", test_large_by_stack },
	{ "largealloc: by the page type PGTY_large_kmalloc", test_large_by_page_type },
	{ "largealloc: --large text and JSON, -R, the ranking's line", test_large_commands },
	{ "largealloc: no page_owner, no page type: refused", test_large_cannot_tell },
	{ "largealloc: hostile orders, handles, records and tags", test_large_hostile },
	{ NULL, NULL },
};
