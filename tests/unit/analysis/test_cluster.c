// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the clustering engine, the signatures and the cluster report. */
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"
#include "analysis/cluster.h"
#include "analysis/owner.h"
#include "report/report.h"
#include "unit.h"

#define OBJ 512
#define HEAP_LO 0xffff888000000000ULL
#define HEAP_HI 0xffff889000000000ULL
#define SYM_A 0xffffffffc0101230ULL
#define SYM_B 0xffffffffc0105550ULL

static const struct lx_ptr_range ranges[] = {
	{ HEAP_LO, HEAP_HI, 0, false },
	{ 0xffffffff80000000ULL, 0xffffffffff000000ULL, 3, true },
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void random_bytes(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = rnd();
}

/* /proc/schedstat text with varying numbers, NUL, then stale garbage. */
static void schedstat(uint8_t *obj)
{
	int n;

	random_bytes(obj, OBJ);
	n = sprintf((char *)obj, "version 15\ntimestamp %llu\ncpu0 0 0 %llu %llu\n"
		    "domain0 3 %llu 0 0\n", (unsigned long long)(rnd() % 100000000000ULL),
		    (unsigned long long)(rnd() % 1000), (unsigned long long)(rnd() % 99999999),
		    (unsigned long long)(rnd() % 7));
	obj[n] = '\0';
}

/* /proc/meminfo-like text: numbers padded to a column. */
static void meminfo(uint8_t *obj)
{
	memset(obj, 0, OBJ);
	sprintf((char *)obj, "MemTotal:     %8llu kB\nMemFree:      %8llu kB\n",
		(unsigned long long)(rnd() % 100000000), (unsigned long long)(rnd() % 1000));
}

/* A struct: list_head, a handler, a counter, a tag, stale tail words. */
static void record(uint8_t *obj, uint64_t handler)
{
	uint64_t w[4] = { HEAP_LO + (rnd() % 0x1000000) * 64, HEAP_LO + 0x40 * (rnd() % 999),
			  handler, rnd() % 60000 };

	memset(obj, 0, OBJ);
	memcpy(obj, w, sizeof(w));
	sprintf((char *)obj + 32, "record %llu", (unsigned long long)(rnd() % 100000));
	random_bytes(obj + OBJ - 40, 40);
}

/* Where a boot's KASLR moved SYM_A and SYM_B (the signature tests). */
static uint64_t kaslr;

/* One of five kinds of content: schedstat, meminfo, zeroes, two records. */
static void make_kind(uint8_t *obj, int kind)
{
	switch (kind) {
	case 0:
		schedstat(obj);
		break;
	case 1:
		meminfo(obj);
		break;
	case 2:
		memset(obj, 0, OBJ);
		break;
	case 3:
		record(obj, SYM_A + kaslr);
		break;
	default:
		record(obj, SYM_B + kaslr);	/* another function: another kind */
		break;
	}
}

struct run {
	struct fake_kernel fk;
	struct lx_clusterer cl;
};

static void start(struct run *r)
{
	memset(r, 0, sizeof(*r));
	fk_init(&r->fk, LX_FP_PLAIN);
	lx_cluster_init(&r->cl, &r->fk.target, ranges, 2);
	rng_state = 0x1234567;
	kaslr = 0;
}

static bool finish(struct run *r)
{
	bool clean;

	lx_cluster_free(&r->cl);
	clean = r->fk.live_allocs == 0;
	fk_fini(&r->fk);
	return clean;
}

static void add(struct run *r, uint64_t addr, const uint8_t *obj)
{
	CHECK(lx_cluster_add(&r->cl, addr, obj, OBJ) == 0);
}

/* Every object in [first, first + n) is in the same cluster, alone with them. */
static bool one_cluster(const struct run *r, size_t first, size_t n)
{
	uint32_t k = r->cl.member_of[first];
	size_t i;

	for (i = first; i < first + n; i++)
		if (r->cl.member_of[i] != k)
			return false;
	return r->cl.clusters[k].count == n;
}

static bool test_numbers_join(void)
{
	uint8_t obj[OBJ];
	struct run r;
	int i;

	start(&r);
	for (i = 0; i < 200; i++) {
		schedstat(obj);
		add(&r, 0x1000 + i, obj);
	}
	for (i = 0; i < 50; i++) {
		meminfo(obj);
		add(&r, 0x9000 + i, obj);
	}
	CHECK(lx_cluster_finish(&r.cl) == 0);
	CHECK(r.cl.nclusters == 2);
	CHECK(one_cluster(&r, 0, 200) && one_cluster(&r, 200, 50));
	CHECK(r.cl.clusters[0].count == 200 && r.cl.clusters[0].samples[0] == 0x1000);
	CHECK(finish(&r));
	return unit_ok();
}

static bool test_kinds_separate(void)
{
	uint8_t obj[OBJ];
	struct run r;
	int i;

	start(&r);
	for (i = 0; i < 300; i++) {
		make_kind(obj, i % 5);
		add(&r, 0x10000 + 0x200 * i, obj);
	}
	CHECK(lx_cluster_finish(&r.cl) == 0);
	CHECK(r.cl.nclusters == 5);
	for (i = 0; i < 5; i++) {
		CHECK(r.cl.clusters[i].count == 60);
		/* ties rank by first member: kinds in add order */
		CHECK(r.cl.clusters[i].samples[0] == 0x10000 + 0x200 * (uint64_t)i);
	}
	for (i = 0; i < 300; i++)
		CHECK(r.cl.member_of[i] == (uint32_t)(i % 5));
	CHECK(finish(&r));
	return unit_ok();
}

static bool test_stale_tail_and_noise(void)
{
	uint8_t obj[OBJ];
	struct run r;
	int i;

	start(&r);
	for (i = 0; i < 100; i++) {
		record(obj, SYM_A);	/* random words in the last 40 bytes */
		add(&r, 0x1000 + i, obj);
	}
	for (i = 0; i < 3; i++) {
		random_bytes(obj, OBJ);	/* unrelated noise stays out */
		add(&r, 0x5000 + i, obj);
	}
	CHECK(lx_cluster_finish(&r.cl) == 0);
	CHECK(one_cluster(&r, 0, 100));
	CHECK(r.cl.clusters[0].count == 100);
	CHECK(finish(&r));
	return unit_ok();
}

static bool same_result(const struct run *a, const struct run *b)
{
	size_t i;

	if (a->cl.nclusters != b->cl.nclusters || a->cl.count != b->cl.count)
		return false;
	for (i = 0; i < a->cl.count; i++)
		if (a->cl.member_of[i] != b->cl.member_of[i])
			return false;
	for (i = 0; i < a->cl.nclusters; i++)
		if (a->cl.clusters[i].count != b->cl.clusters[i].count ||
		    a->cl.clusters[i].key != b->cl.clusters[i].key)
			return false;
	return true;
}

static void mixed_input(struct run *r)
{
	uint8_t obj[OBJ];
	int i;

	for (i = 0; i < 500; i++) {
		if (i % 3 == 0)
			schedstat(obj);
		else if (i % 7 == 0)
			random_bytes(obj, OBJ);
		else
			record(obj, i % 2 ? SYM_A : SYM_B);
		add(r, 0x100000 + 64 * i, obj);
	}
	CHECK(lx_cluster_finish(&r->cl) == 0);
}

static bool test_deterministic(void)
{
	struct run a, b;

	start(&a);
	mixed_input(&a);
	start(&b);
	mixed_input(&b);
	CHECK(a.cl.nclusters > 3);
	CHECK(same_result(&a, &b));
	CHECK(finish(&a));
	CHECK(finish(&b));
	return unit_ok();
}

static bool test_empty(void)
{
	struct run r;

	start(&r);
	CHECK(lx_cluster_finish(&r.cl) == 0);
	CHECK(r.cl.nclusters == 0);
	CHECK(finish(&r));
	return unit_ok();
}

static bool matches(const char *text, const char *what)
{
	const struct lx_signature *sig = lx_signature_match((const uint8_t *)text,
							    strlen(text) + 1);

	return what ? sig && !strcmp(sig->what, what) : !sig;
}

static bool test_signatures(void)
{
	uint8_t frame[128] = { 0 };

	CHECK(matches("version 15\ntimestamp 4294892700\ncpu0 0 0\n", "/proc/schedstat"));
	CHECK(matches("MemTotal:  462620 kB\n", "/proc/meminfo"));
	CHECK(matches("cpu  10 0 5\ncpu0 10 0 5\nintr 123\n", "/proc/stat"));
	CHECK(matches("/usr/lib/modules/6.1.0/kernel.ko", "a file system path"));
	CHECK(matches("/proc/self maps", NULL));
	CHECK(matches("version 15 without timestamp", NULL));
	frame[12] = 0x08;
	frame[14] = 0x45;
	frame[23] = 6;
	CHECK(lx_signature_match(frame, sizeof(frame)) &&
	      !strcmp(lx_signature_match(frame, sizeof(frame))->what,
		      "an Ethernet + IPv4 frame"));
	return unit_ok();
}

static bool test_word_classes(void)
{
	uint8_t w[8];
	uint64_t v;

	v = 0;
	memcpy(w, &v, 8);
	CHECK(lx_word_class(ranges, 2, w) == LX_WC_ZERO);
	v = HEAP_LO + 0x1234;
	memcpy(w, &v, 8);
	CHECK(lx_word_class(ranges, 2, w) == LX_WC_PTR);
	v = SYM_A;
	memcpy(w, &v, 8);
	CHECK(lx_word_class(ranges, 2, w) == LX_WC_SYMBOL);
	v = 42;
	memcpy(w, &v, 8);
	CHECK(lx_word_class(ranges, 2, w) == LX_WC_SMALL);
	memcpy(w, "abcdef\0\0", 8);
	CHECK(lx_word_class(ranges, 2, w) == LX_WC_TEXT);
	v = 0x0123456789abcdefULL;
	memcpy(w, &v, 8);
	CHECK(lx_word_class(ranges, 2, w) == LX_WC_OTHER);
	return unit_ok();
}

/* Live objects of the fake cache pointing at a module function. */
static void fill_fake_objects(struct fake_kernel *fk)
{
	static const unsigned int free_idx[] = { 1, 3, 5 };
	static const unsigned long partial[] = { 10, 0 };
	unsigned int i;

	fk_add_slab(fk, 10, 5, false);
	fk_set_slab_freelist(fk, 10, fk_chain(fk, 10, free_idx, 3));
	fk_node_list(fk, false, partial);
	fk_set_node_nr_slabs(fk, 1);
	for (i = 0; i < FK_OBJS; i++) {
		if (i == 1 || i == 3 || i == 5)
			continue;
		fk_w64(fk, fk_obj(10, i), 0x1b1b1b1b1b1b1b1bULL);
		fk_w64(fk, fk_obj(10, i) + 8, FK_MODULE_FUNC);
		fk_w64(fk, fk_obj(10, i) + 16, i);
		/* a control byte in the content must not reach the output */
		fk_w64(fk, fk_obj(10, i) + 24, 0x1b5b33316d414141ULL);
	}
}

static bool test_cluster_report(void)
{
	struct fake_kernel fk;
	struct lx_options text = { .cache = "kmalloc-512" };
	struct lx_result res;
	struct lx_options json = { .cache = "kmalloc-512", .json = true };
	const char *out;

	fk_init(&fk, LX_FP_XOR_SWAB);
	fill_fake_objects(&fk);
	CHECK(lx_run(&fk.target, &text, &res) == LX_OK);
	CHECK(lx_run(&fk.target, &json, &res) == LX_OK);
	fflush(fk.out);
	out = fk.outbuf ? fk.outbuf : "";
	CHECK(strstr(out, "CLUSTER 1: 5 objects, 100.0% of 5 live"));
	CHECK(strstr(out, "+8    fk_module_handler [fk_mod] (5/5)"));
	CHECK(strstr(out, "OWNER     module fk_mod (its fk_module_handler)"));
	CHECK(strstr(out, "\"schema\":\"leakext/1\""));
	CHECK(strstr(out, "\"kind\":\"symbol\",\"seen\":5,\"symbol\":\"fk_module_handler\",\"module\":\"fk_mod\""));
	CHECK(!strchr(out, 0x1b));
	CHECK(fk.live_allocs == 0);
	fk_fini(&fk);
	return unit_ok();
}

/* The report of fill_fake_objects() with a string in each object. */
static char *report_of(bool redact, bool json)
{
	struct fake_kernel fk;
	struct lx_options opt = { .cache = "kmalloc-512", .json = json,
				  .redact = redact };
	struct lx_result res;
	char *copy;
	unsigned int i;

	fk_init(&fk, LX_FP_XOR_SWAB);
	fill_fake_objects(&fk);
	for (i = 0; i < FK_OBJS; i++)
		if (i != 1 && i != 3 && i != 5)
			fk_write(&fk, fk_obj(10, i) + 64, "customer-secret-0042", 21);
	lx_run(&fk.target, &opt, &res);
	fflush(fk.out);
	copy = strdup(fk.outbuf ? fk.outbuf : "");
	CHECK(fk.live_allocs == 0);
	fk_fini(&fk);
	return copy;
}

static bool test_redacted_report(void)
{
	char *plain = report_of(false, false), *text = report_of(true, false);
	char *json = report_of(true, true);

	CHECK(strstr(plain, "customer-secret-0042") && strstr(plain, "1b 1b 1b"));
	CHECK(!strstr(text, "customer-secret") && !strstr(text, "1b 1b"));
	CHECK(!strstr(json, "customer-secret") && !strstr(json, "1b1b"));
	CHECK(strstr(text, "preview   redacted: binary"));
	CHECK(strstr(text, "redacted, 20 bytes"));
	CHECK(strstr(text, "fk_module_handler [fk_mod]"));	/* symbols stay */
	CHECK(strstr(text, "OWNER     module fk_mod"));		/* and the guess */
	CHECK(strstr(json, "\"redacted\":true") && strstr(json, "\"length\":20"));
	CHECK(strstr(json, "\"preview_hex\":\"\""));
	free(plain);
	free(text);
	free(json);
	return unit_ok();
}

/*
 * Content signatures.  One "boot" adds n objects of each kind at its own
 * heap addresses, its symbols moved by kaslr; the namer knows each
 * function by name whatever its address, as the dump's symbols do.
 */
#define KINDS 5

static uint32_t name_of(void *arg, uint64_t value)
{
	(void)arg;
	if (value == SYM_A + kaslr)
		return 0x1111;	/* "func_a" */
	if (value == SYM_B + kaslr)
		return 0x2222;	/* "func_b" */
	return 0;
}

/* sig[kind]: the signature of the cluster of each kind's first object. */
static void boot(uint64_t shift, uint64_t seed, uint64_t base, int n, uint64_t sig[KINDS])
{
	uint8_t *objs = calloc((size_t)n * KINDS, OBJ);
	uint64_t other;
	struct run r;
	int i, k;

	start(&r);
	kaslr = shift;
	rng_state = seed;
	for (i = 0; i < n * KINDS; i++) {
		make_kind(objs + (size_t)i * OBJ, i % KINDS);
		add(&r, base + (uint64_t)i * OBJ, objs + (size_t)i * OBJ);
	}
	CHECK(lx_cluster_finish(&r.cl) == 0);
	for (k = 0; k < KINDS; k++) {
		sig[k] = 0;
		CHECK(lx_cluster_signature(&r.cl, r.cl.member_of[k], objs + (size_t)k * OBJ, OBJ,
					   name_of, NULL, &sig[k]));
	}
	/* a meminfo object is no member of the schedstat cluster: refused */
	CHECK(!lx_cluster_signature(&r.cl, r.cl.member_of[0], objs + OBJ, OBJ, name_of, NULL,
				    &other));
	CHECK(finish(&r));
	free(objs);
}

static bool test_content_signature(void)
{
	uint64_t a[KINDS], b[KINDS], c[KINDS];
	int i, j;

	boot(0, 0x1234567, 0x10000, 200, a);
	/* another boot: KASLR, other heap addresses and numbers, fewer objects */
	boot(0x2a00000, 0x7654321, 0x900000, 20, b);
	/* the same boot again */
	boot(0, 0x1234567, 0x10000, 200, c);
	/*
	 * Signatures are saved and compared across dumps and versions: the
	 * values this definition gave when it was pinned (2026-12-03).
	 */
	CHECK(a[0] == 0x81acc05199cb07b7ULL);	/* schedstat text */
	CHECK(a[3] == 0xd202860794fb1f9cULL);	/* a record naming SYM_A */
	for (i = 0; i < KINDS; i++) {
		CHECK(a[i] == b[i]);
		CHECK(a[i] == c[i]);
		for (j = 0; j < i; j++)
			CHECK(a[i] != a[j]);
	}
	return unit_ok();
}

/* Without a namer an exact pointer's value is its token: KASLR would show. */
static bool test_signature_needs_names(void)
{
	uint8_t obj[OBJ];
	uint64_t sig[2];
	int boot_no, i;

	for (boot_no = 0; boot_no < 2; boot_no++) {
		struct run r;

		start(&r);
		kaslr = boot_no ? 0x2a00000 : 0;
		for (i = 0; i < 10; i++) {
			record(obj, SYM_A + kaslr);
			add(&r, 0x1000 + i, obj);
		}
		CHECK(lx_cluster_finish(&r.cl) == 0);
		CHECK(lx_cluster_signature(&r.cl, 0, obj, OBJ, NULL, NULL, &sig[boot_no]));
		CHECK(finish(&r));
	}
	CHECK(sig[0] != sig[1]);
	return unit_ok();
}

/*
 * Random text over digits, blanks, letters and newlines, NUL-terminated,
 * zero-padded; canon: the same text with each digit run one "7" and each
 * run of blanks one " " (the tokens the definition makes of them).
 */
static void random_text(char *text, char *canon, size_t len)
{
	static const char alphabet[] = "0123456789 \t\t  abcXYZ:\n\r";
	size_t i, n = 0;

	memset(text, 0, OBJ);
	memset(canon, 0, OBJ);
	for (i = 0; i < len; i++)
		text[i] = alphabet[rnd() % (sizeof(alphabet) - 1)];
	memcpy(text, "text buffer:abcd", 16);	/* a text buffer, canon too */
	for (i = 0; i < len; i++) {
		bool digit = text[i] >= '0' && text[i] <= '9';
		bool blank = text[i] == ' ' || text[i] == '\t';
		bool same_run = i && ((digit && text[i - 1] >= '0' && text[i - 1] <= '9') ||
				      (blank && (text[i - 1] == ' ' || text[i - 1] == '\t')));

		if (!same_run)
			canon[n++] = digit ? '7' : blank ? ' ' : text[i];
	}
}

static bool same_prefixes(const struct lx_clusterer *cl, size_t a, size_t b)
{
	return !memcmp(&cl->prefix[a * LX_CLUSTER_LEVELS], &cl->prefix[b * LX_CLUSTER_LEVELS],
		       LX_CLUSTER_LEVELS * sizeof(*cl->prefix));
}

/* Each digit another digit, each blank another blank: the same tokens. */
static void same_tokens(const char *text, char *out)
{
	size_t i;

	memcpy(out, text, OBJ);
	for (i = 0; i < OBJ && text[i]; i++) {
		if (text[i] >= '0' && text[i] <= '9')
			out[i] = '0' + rnd() % 10;
		else if (text[i] == ' ' || text[i] == '\t')
			out[i] = rnd() % 2 ? ' ' : '\t';
	}
}

/*
 * The word-at-a-time tokenizer: runs that cross 8-byte words and text
 * ending at any offset hash as their canonical form; one changed
 * character changes the hashes; text to the object's end is not text
 * ended by NUL.
 */
static bool test_text_tokens(void)
{
	static char text[OBJ], canon[OBJ], other[OBJ], same[OBJ];
	struct run r;
	size_t len, pos;
	int trial;

	start(&r);
	for (trial = 0; trial < 400; trial++) {
		len = 16 + rnd() % (OBJ - 17);
		random_text(text, canon, len);
		same_tokens(text, same);
		add(&r, 0x1000 + 4 * trial, (uint8_t *)text);
		add(&r, 0x1001 + 4 * trial, (uint8_t *)canon);
		add(&r, 0x1002 + 4 * trial, (uint8_t *)same);
		memcpy(other, canon, OBJ);
		pos = rnd() % strlen(canon);
		other[pos] = other[pos] == 'Q' ? 'R' : 'Q';
		add(&r, 0x1003 + 4 * trial, (uint8_t *)other);
		CHECK(same_prefixes(&r.cl, 4 * trial, 4 * trial + 1));
		CHECK(same_prefixes(&r.cl, 4 * trial, 4 * trial + 2));
		CHECK(!same_prefixes(&r.cl, 4 * trial + 1, 4 * trial + 3));
	}
	memset(text, 'a', OBJ);
	add(&r, 0x9000, (uint8_t *)text);
	text[OBJ - 1] = '\0';
	add(&r, 0x9001, (uint8_t *)text);
	CHECK(!same_prefixes(&r.cl, 4 * trial, 4 * trial + 1));
	CHECK(finish(&r));
	return unit_ok();
}

const struct unit_test cluster_tests[] = {
	{ "clusters: text differing only in numbers joins", test_numbers_join },
	{ "clusters: text, zeroed and structs stay apart", test_kinds_separate },
	{ "clusters: stale tail words join, noise stays out", test_stale_tail_and_noise },
	{ "clusters: identical results across runs", test_deterministic },
	{ "clusters: no objects", test_empty },
	{ "content signature: same across boots, KASLR and counts; kinds differ",
	  test_content_signature },
	{ "content signature: exact pointers are named, not valued",
	  test_signature_needs_names },
	{ "signatures of known producers", test_signatures },
	{ "word classes", test_word_classes },
	{ "text tokens: digit and blank runs across words, canonical form",
	  test_text_tokens },
	{ "cluster report and JSON on a synthetic cache", test_cluster_report },
	{ "redacted report: no object content, symbols and guess stay", test_redacted_report },
	{ NULL, NULL }
};
