// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Referrers and clusters on a synthetic 32-bit kernel (fake32.h): words
 * of 4 bytes at 4-byte alignment, none of them at an 8-byte one.
 *
 *   .data + 4 -> A (pfn 30, #0);  A + 4 -> B + 40 (#1);  C (#2) + 12 -> C
 *   objects 3-10: a heap pointer at +4, -1 at +8, 7 at +12, a kernel
 *           image address at +20 (one cluster)
 *   objects 11-13: text "connection NN to host" (another)
 *   objects 14, 15 free
 */
#include <string.h>

#include "analysis/refs.h"
#include "fake32.h"
#include "leakext/leakext.h"
#include "unit.h"

#define OBJ(i) f32_obj(30, (i))
#define NUM_A 0
#define NUM_B 1
#define NUM_C 2
#define NLIVE 14
#define IMAGE_WORD 0xc1001230u	/* in [_text, _end) */

static void words32_kernel(struct fake32 *k)
{
	static const unsigned int free_idx[] = { 14, 15 };
	static const unsigned long partial[] = { 30, 0 };
	char text[40];
	unsigned int i;

	f32_init(k, LX_FP_XOR_SWAB);
	f32_add_slab(k, 30, NLIVE, false);
	f32_set_slab_freelist(k, 30, f32_chain(k, 30, free_idx, 2));
	f32_node_partial(k, partial);
	f32_set_node_nr_slabs(k, 1);
	f32_w32(k, F32_DATA + 4, OBJ(0));
	f32_w32(k, OBJ(0) + 4, OBJ(1) + 40);
	f32_w32(k, OBJ(2) + 12, OBJ(2));
	for (i = 3; i <= 10; i++) {
		f32_w32(k, OBJ(i) + 4, OBJ(11 + i % 3));
		f32_w32(k, OBJ(i) + 8, 0xffffffffu);
		f32_w32(k, OBJ(i) + 12, 7);
		f32_w32(k, OBJ(i) + 20, IMAGE_WORD);
	}
	for (i = 11; i <= 13; i++) {
		snprintf(text, sizeof(text), "connection %u to host", i * 7);
		f32_write(k, OBJ(i), text, strlen(text) + 1);
	}
}

static bool test_refs_by_four(void)
{
	struct lx_session s = { 0 };
	struct lx_reach r;
	struct fake32 k;
	uint64_t n;

	memset(&r, 0, sizeof(r));
	words32_kernel(&k);
	s.t = &k.target;
	CHECK(lx_layout_init(&s) == LX_OK);
	CHECK(lx_reach_init(&s, &r) == LX_OK);
	CHECK(r.heap.nobjects == F32_OBJS && r.heap.nlive == NLIVE);
	CHECK(r.roots.n == 1 && r.roots.v[0].start == F32_DATA &&
	      r.roots.v[0].len == F32_DATA_LEN);
	CHECK(lx_reach_target(&s, &r, OBJ(1)));
	CHECK(lx_reach_run(&s, &r) == LX_OK);
	for (n = 0; n < F32_OBJS; n++)
		CHECK(lx_reach_reached(&r, n) == (n == NUM_A || n == NUM_B));
	CHECK(r.nrefs == 1 && r.refs[0].where == OBJ(0) + 4 &&
	      r.refs[0].target == NUM_B && r.refs[0].offset == 40 &&
	      r.refs[0].area == LX_REF_HEAP);
	CHECK(r.scanned_bytes == F32_DATA_LEN + (uint64_t)NLIVE * F32_OBJ_SIZE);
	lx_reach_free(&s, &r);
	lx_session_fini(&s);
	CHECK(k.live_allocs == 0);
	f32_fini(&k);
	return unit_ok();
}

static bool test_words_miss_by_four(void)
{
	uint8_t mem[16] = { 0 };
	uint32_t word = 0xc0001000;

	memcpy(mem + 4, &word, sizeof(word));
	CHECK(!lx_words_miss(mem, sizeof(mem), 4, 0xc0000000ULL, 0xc3000000ULL));
	/* as 8-byte words the same bytes hold no word in the range */
	CHECK(lx_words_miss(mem, sizeof(mem), 8, 0xc0000000ULL, 0xc3000000ULL));
	return unit_ok();
}

/* Clusters, the byte-class map and pointer offsets of 4-byte words. */
static bool test_clusters_by_four(void)
{
	struct lx_options json = { .cache = "kmalloc-256", .json = true, .all = true };
	struct lx_options unref = { .cache = "kmalloc-256", .unreferenced = true };
	struct lx_result res;
	struct fake32 k;
	const char *out;

	words32_kernel(&k);
	CHECK(lx_run(&k.target, &json, &res) == LX_OK);
	CHECK(lx_run(&k.target, &unref, &res) == LX_OK);
	fflush(k.out);
	out = k.outbuf ? k.outbuf : "";
	CHECK(strstr(out, "\"live\":14") != NULL);
	/* cluster 1: the eight records; each char of the map is one word */
	CHECK(strstr(out, "\"rank\":1,\"count\":8,") != NULL);
	CHECK(strstr(out, "\"classes\":\"0pnn0s00") != NULL);
	CHECK(strstr(out, "\"class_unit\":4") != NULL);
	CHECK(strstr(out, "{\"offset\":4,\"kind\":\"object\",\"seen\":8,\"cache\":\"kmalloc-256\"") != NULL);
	CHECK(strstr(out, "{\"offset\":20,\"kind\":\"symbol\",\"seen\":8,") != NULL);
	/* the text buffers join whatever their numbers */
	CHECK(strstr(out, "\"rank\":2,\"count\":3,") != NULL);
	CHECK(strstr(out, "connection") != NULL);
	/* -u: every live object but A and B, which .data reaches */
	CHECK(strstr(out, "\nc001e200\n") && strstr(out, "\nc001ed00\n"));
	CHECK(!strstr(out, "\nc001e000\n") && !strstr(out, "\nc001e100\n"));
	CHECK(!strstr(out, "\nc001ee00\n"));	/* free */
	CHECK(k.live_allocs == 0);
	f32_fini(&k);
	return unit_ok();
}

const struct unit_test words32_tests[] = {
	{ "refs 32-bit: 4-byte words at 4-byte alignment, roots and objects", test_refs_by_four },
	{ "refs 32-bit: lx_words_miss() by the word size", test_words_miss_by_four },
	{ "clusters 32-bit: tokens, class map and pointer offsets by 4", test_clusters_by_four },
	{ NULL, NULL },
};
