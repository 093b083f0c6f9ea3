// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leak_scale: the benchmark sample's live set, over a million objects in
 * five caches of a 16 GiB guest (issue #26).
 *
 *   kmalloc-4k    /proc/schedstat text (S1's leak), held by a vmalloc'd
 *                 table of pointers
 *   kmalloc-1k,   binary records: a list link, a pointer to their holder,
 *   kmalloc-256,  small counters, a short string; held ones are on their
 *   kmalloc-64    holder's list (a module global)
 *   leakext_scale a cache of its own (a constructor keeps SLUB from
 *                 merging it), held by a second vmalloc'd table
 *
 * Of each cache's allocations every 8th is freed again (holes in full
 * slabs, partial slabs), and of the rest every 16th loses its only pointer
 * (lost).  Each lost object is printed as "leakext-truth lost <cache>
 * <addr>", each cache's count as "leakext-truth scale cache=<name> ..."
 * and the totals as "leakext-truth scale-summary ...".  Only the counts
 * and the lost addresses come from here: a lost object keeps nothing that
 * points at it, a held one is reachable from the module.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/sched.h>

#define TEXT_SIZE 4096
#define MAX_PER_CACHE (4 << 20)
#define FREE_EVERY 8
#define LOSE_EVERY 16
#define SCALE_MAGIC 0x454c4143534b4cULL	/* "LKSCALE" */

static int nr_4k = 250000;
module_param(nr_4k, int, 0444);
static int nr_1k = 350000;
module_param(nr_1k, int, 0444);
static int nr_256 = 400000;
module_param(nr_256, int, 0444);
static int nr_64 = 400000;
module_param(nr_64, int, 0444);
static int nr_own = 250000;
module_param(nr_own, int, 0444);

/* What each binary record points back at; held records are on its list. */
struct scale_holder {
	const char *name;
	struct list_head records;
	unsigned long held;
};

/* The head every binary record starts with. */
struct scale_head {
	struct list_head link;
	struct scale_holder *holder;
	u32 serial;
	u32 flags;
};

struct scale_rec64 {		/* 56 bytes: kmalloc-64 */
	struct scale_head h;
	char tag[24];
};

struct scale_rec256 {		/* 200 bytes: kmalloc-256 */
	struct scale_head h;
	unsigned long counters[8];
	char tag[32];
	u8 payload[104];
};

struct scale_rec1k {		/* 1000 bytes: kmalloc-1k */
	struct scale_head h;
	unsigned long counters[16];
	char tag[48];
	u8 payload[792];
};

struct scale_own {		/* leakext_scale */
	unsigned long magic;
	struct scale_holder *holder;
	unsigned long serial;
	char tag[40];
};

static struct scale_holder holders[] = {
	{ .name = "kmalloc-1k" },
	{ .name = "kmalloc-256" },
	{ .name = "kmalloc-64" },
	{ .name = "leakext_scale" },
};

static struct kmem_cache *own_cache;
static void **text_table;	/* held schedstat buffers */
static void **own_table;	/* held leakext_scale objects */
static char *schedstat_text;	/* one snapshot, copied into each buffer */

/* One cache's tally, printed as its truth line. */
struct scale_tally {
	const char *cache;
	size_t size;
	int allocated, freed, held, lost;
};

static void own_object_init(void *p)
{
	struct scale_own *obj = p;

	obj->magic = SCALE_MAGIC;
	obj->holder = NULL;
	obj->serial = 0;
}

/*
 * /proc/schedstat's text, read once; every 4 KiB buffer starts with it.
 * Freed when the scenario is done: it is no object of the truth.
 */
static noinline char *read_schedstat(void)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t len;
	char *buf = kzalloc(TEXT_SIZE, GFP_KERNEL);

	if (!buf)
		return NULL;
	file = filp_open("/proc/schedstat", O_RDONLY, 0);
	if (IS_ERR(file)) {
		kfree(buf);
		return NULL;
	}
	len = kernel_read(file, buf, TEXT_SIZE - 1, &pos);
	filp_close(file, NULL);
	buf[len > 0 ? len : 0] = '\0';
	return buf;
}

static noinline void *scale_alloc_text(int serial)
{
	char *buf = kmalloc(TEXT_SIZE, GFP_KERNEL);
	size_t len = strlen(schedstat_text);

	if (!buf)
		return NULL;
	memcpy(buf, schedstat_text, len + 1);
	/* the timestamp line's digits differ between snapshots */
	snprintf(buf + len, TEXT_SIZE - len, "snapshot %d\n", serial);
	return buf;
}

static void fill_head(struct scale_head *h, struct scale_holder *holder, int serial)
{
	INIT_LIST_HEAD(&h->link);
	h->holder = holder;
	h->serial = serial;
	h->flags = serial & 0xff;
}

static noinline void *scale_alloc_rec64(int serial)
{
	struct scale_rec64 *r = kmalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	fill_head(&r->h, &holders[2], serial);
	snprintf(r->tag, sizeof(r->tag), "rec64 %d", serial);
	return r;
}

static noinline void *scale_alloc_rec256(int serial)
{
	struct scale_rec256 *r = kmalloc(sizeof(*r), GFP_KERNEL);
	int i;

	if (!r)
		return NULL;
	fill_head(&r->h, &holders[1], serial);
	for (i = 0; i < ARRAY_SIZE(r->counters); i++)
		r->counters[i] = serial % (i + 3);
	snprintf(r->tag, sizeof(r->tag), "rec256 %d", serial);
	memset(r->payload, 0x5a, sizeof(r->payload));
	return r;
}

static noinline void *scale_alloc_rec1k(int serial)
{
	struct scale_rec1k *r = kmalloc(sizeof(*r), GFP_KERNEL);
	int i;

	if (!r)
		return NULL;
	fill_head(&r->h, &holders[0], serial);
	for (i = 0; i < ARRAY_SIZE(r->counters); i++)
		r->counters[i] = serial >> (i % 8);
	snprintf(r->tag, sizeof(r->tag), "rec1k %d", serial);
	memset(r->payload, 0xc3, sizeof(r->payload));
	return r;
}

static noinline void *scale_alloc_own(int serial)
{
	struct scale_own *obj = kmem_cache_alloc(own_cache, GFP_KERNEL);

	if (!obj)
		return NULL;
	obj->holder = &holders[3];
	obj->serial = serial;
	snprintf(obj->tag, sizeof(obj->tag), "leakext_scale %d", serial);
	return obj;
}

/* How one cache's objects are made, freed and kept. */
struct scale_kind {
	const char *cache;
	int *count;
	void *(*alloc)(int serial);
	void (*release)(void *obj);
	void (*hold)(void *obj, int index);
};

static void kfree_object(void *obj)
{
	kfree(obj);
}

static void free_own(void *obj)
{
	kmem_cache_free(own_cache, obj);
}

static void hold_in_text_table(void *obj, int index)
{
	text_table[index] = obj;
}

static void hold_in_own_table(void *obj, int index)
{
	own_table[index] = obj;
}

static void hold_on_list(void *obj, int index)
{
	struct scale_head *h = obj;

	list_add_tail(&h->link, &h->holder->records);
	h->holder->held++;
}

static const struct scale_kind kinds[] = {
	{ "kmalloc-4k", &nr_4k, scale_alloc_text, kfree_object, hold_in_text_table },
	{ "kmalloc-1k", &nr_1k, scale_alloc_rec1k, kfree_object, hold_on_list },
	{ "kmalloc-256", &nr_256, scale_alloc_rec256, kfree_object, hold_on_list },
	{ "kmalloc-64", &nr_64, scale_alloc_rec64, kfree_object, hold_on_list },
	{ "leakext_scale", &nr_own, scale_alloc_own, free_own, hold_in_own_table },
};

/*
 * Every object of one kind: allocated in a batch table, every 8th freed,
 * every 16th of the rest lost (printed), the others held.
 */
static noinline int scale_run_kind(const struct scale_kind *k, void **batch,
				   struct scale_tally *t)
{
	int want = clamp(*k->count, 0, MAX_PER_CACHE);
	int i, kept = 0;

	t->cache = k->cache;
	for (i = 0; i < want; i++) {
		batch[i] = k->alloc(i);
		if (!batch[i])
			break;
		t->allocated++;
		if (i % 1024 == 0)
			cond_resched();
	}
	t->size = t->allocated ? ksize(batch[0]) : 0;
	for (i = 0; i < t->allocated; i++) {
		if (i % FREE_EVERY == FREE_EVERY - 1) {
			k->release(batch[i]);
			t->freed++;
		} else if (kept++ % LOSE_EVERY == LOSE_EVERY - 1) {
			pr_info("leakext-truth lost %s %px\n", k->cache, batch[i]);
			t->lost++;
		} else {
			k->hold(batch[i], i);
			t->held++;
		}
		batch[i] = NULL;
		if (i % 1024 == 0)
			cond_resched();
	}
	return t->allocated == want ? 0 : -ENOMEM;
}

static void print_tally(const struct scale_tally *t)
{
	pr_info("leakext-truth scale cache=%s object_size=%zu allocated=%d freed=%d held=%d lost=%d live=%d\n",
		t->cache, t->size, t->allocated, t->freed, t->held, t->lost,
		t->held + t->lost);
}

static noinline void scale_run(void)
{
	struct scale_tally tally[ARRAY_SIZE(kinds)] = {};
	struct scale_tally sum = { .cache = "all" };
	void **batch = kvcalloc(MAX_PER_CACHE, sizeof(*batch), GFP_KERNEL);
	int i;

	if (!batch) {
		pr_err("leak_scale: no batch table\n");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (scale_run_kind(&kinds[i], batch, &tally[i]))
			pr_err("leak_scale: %s: allocation failed\n", kinds[i].cache);
		print_tally(&tally[i]);
		sum.allocated += tally[i].allocated;
		sum.freed += tally[i].freed;
		sum.held += tally[i].held;
		sum.lost += tally[i].lost;
	}
	kvfree(batch);
	kfree(schedstat_text);
	schedstat_text = NULL;
	pr_info("leakext-truth scale-summary caches=%zu allocated=%d freed=%d held=%d lost=%d live=%d\n",
		ARRAY_SIZE(kinds), sum.allocated, sum.freed, sum.held, sum.lost,
		sum.held + sum.lost);
}

static noinline int scale_setup(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(holders); i++)
		INIT_LIST_HEAD(&holders[i].records);
	own_cache = kmem_cache_create("leakext_scale", sizeof(struct scale_own),
				      0, 0, own_object_init);
	text_table = kvcalloc(MAX_PER_CACHE, sizeof(*text_table), GFP_KERNEL);
	own_table = kvcalloc(MAX_PER_CACHE, sizeof(*own_table), GFP_KERNEL);
	schedstat_text = read_schedstat();
	if (!own_cache || !text_table || !own_table || !schedstat_text)
		return -ENOMEM;
	return 0;
}

static int __init leak_scale_init(void)
{
	int ret = scale_setup();

	if (ret) {
		pr_err("leak_scale: setup failed\n");
		return ret;
	}
	scale_run();
	return 0;
}
module_init(leak_scale_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakext sample: a million live objects over five caches");
