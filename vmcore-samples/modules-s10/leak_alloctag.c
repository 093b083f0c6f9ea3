// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leak_alloctag: S10-alloctag's scenario for a kernel with memory allocation
 * profiling, kmemleak and page_owner.  Every allocation is made in its own
 * noinline function, so that each alloc tag (one per call site) names it.
 * The truth is printed on the console (%px), never kept in memory where a
 * walker could find it:
 *
 * 1. S1's leak: nr_leaks kmalloc(4096) buffers holding /proc/schedstat text
 *    (allocated in alloctag_read_schedstat()), never freed and all held by
 *    the module, among nr_decoys zeroed buffers (alloctag_make_decoy()),
 *    every other one freed.
 *      leakext-truth leak <addr>
 * 2. leakext_lost, a constructor cache (never merged) of records allocated
 *    in alloctag_lost_alloc(), all referenced from a static array; every
 *    third slot is then cleared, and those records lose their only pointer:
 *    kmemleak reports them.
 *      leakext-truth obj <addr> lost|held
 * 3. One kmalloc(big_size) too large for any kmalloc cache (pages straight
 *    from the page allocator, in alloctag_big_alloc()), held by the module.
 *      leakext-truth big <addr> size <bytes> pfn <pfn hex> order <order>
 *
 * Summary line:
 *   leakext-truth summary leaked=N decoys=N decoys_freed=N lost_obj=N
 *     held_obj=N big=1 big_size=N big_ksize=N
 * Before the init path returns, the part of the stack it used is cleared so
 * that no stale copy of a lost pointer outlives it.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/fs.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/sched/task_stack.h>

#define LEAK_BUF_SIZE 4096
#define MAX_LEAKS 16384
#define MAX_DECOYS 4096
#define MAX_LOST 8192
#define MAX_BIG_SIZE (4 << 20)

static int nr_leaks = 3000;
module_param(nr_leaks, int, 0444);
static int nr_decoys = 600;
module_param(nr_decoys, int, 0444);
static int nr_lost = 300;
module_param(nr_lost, int, 0444);
static int big_size = 3 << 20;
module_param(big_size, int, 0444);

/* Part 1: S1's leak and its decoys. */

static void *leaked[MAX_LEAKS];
static void *decoys[MAX_DECOYS];
static struct file *schedstat_file;

/* /proc/schedstat, read again from its start, in a fresh 4 KiB buffer. */
static noinline void *alloctag_read_schedstat(void)
{
	loff_t pos = 0;
	ssize_t len;
	char *buf;

	buf = kmalloc(LEAK_BUF_SIZE, GFP_KERNEL);
	if (!buf)
		return NULL;
	len = kernel_read(schedstat_file, buf, LEAK_BUF_SIZE - 1, &pos);
	buf[len > 0 ? len : 0] = '\0';
	return buf;
}

static noinline void *alloctag_make_decoy(void)
{
	return kzalloc(LEAK_BUF_SIZE, GFP_KERNEL);
}

static noinline int alloctag_run_schedstat(int *made, int *freed)
{
	int leaks = clamp(nr_leaks, 0, MAX_LEAKS);
	int ndecoys = clamp(nr_decoys, 0, MAX_DECOYS);
	int i, stored = 0;

	*made = 0;
	*freed = 0;
	schedstat_file = filp_open("/proc/schedstat", O_RDONLY, 0);
	if (IS_ERR(schedstat_file))
		return -1;
	for (i = 0; i < leaks || *made < ndecoys; i++) {
		if (i < leaks) {
			leaked[stored] = alloctag_read_schedstat();
			if (leaked[stored])
				stored++;
		}
		if (*made < ndecoys && i % 5 == 0) {
			decoys[*made] = alloctag_make_decoy();
			(*made)++;
		}
	}
	filp_close(schedstat_file, NULL);
	/* Every other decoy freed: holes among the leaked buffers. */
	for (i = 0; i < *made; i += 2) {
		kfree(decoys[i]);
		decoys[i] = NULL;
		(*freed)++;
	}
	for (i = 0; i < stored; i++)
		pr_info("leakext-truth leak %px\n", leaked[i]);
	return stored;
}

/* Part 2: records that lose their only pointer. */

struct lost_record {
	struct list_head link;
	unsigned long magic;
	unsigned long serial;
	unsigned int state;
	char label[40];
};

static struct kmem_cache *lost_cache;
static struct lost_record *records[MAX_LOST];

static void lost_record_ctor(void *p)
{
	struct lost_record *rec = p;

	INIT_LIST_HEAD(&rec->link);
	rec->magic = 0x4c4f535452454331ULL;
	rec->state = 1;
}

static noinline struct lost_record *alloctag_lost_alloc(unsigned long serial)
{
	struct lost_record *rec = kmem_cache_alloc(lost_cache, GFP_KERNEL);

	if (rec) {
		rec->serial = serial;
		snprintf(rec->label, sizeof(rec->label), "session %lu", serial % 8);
	}
	return rec;
}

static noinline int alloctag_run_lost(int *held)
{
	int want = clamp(nr_lost, 0, MAX_LOST);
	int i, made = 0, lost = 0;

	*held = 0;
	lost_cache = kmem_cache_create("leakext_lost", sizeof(struct lost_record),
				       0, 0, lost_record_ctor);
	if (!lost_cache)
		return -1;
	for (i = 0; i < want; i++) {
		records[made] = alloctag_lost_alloc(i);
		if (records[made])
			made++;
	}
	for (i = 0; i < made; i++) {
		bool lose = i % 3 == 0;

		pr_info("leakext-truth obj %px %s\n", records[i], lose ? "lost" : "held");
		if (lose) {
			WRITE_ONCE(records[i], NULL);
			lost++;
		} else {
			(*held)++;
		}
	}
	return lost;
}

/* Part 3: one allocation too large for any kmalloc cache. */

static char *big_buffer;
static size_t big_bytes;

static noinline char *alloctag_big_alloc(size_t size)
{
	char *buf = kmalloc(size, GFP_KERNEL);

	if (buf)
		snprintf(buf, size, "leakext big buffer of %zu bytes\n", size);
	return buf;
}

static noinline int alloctag_run_big(void)
{
	size_t size = clamp_t(size_t, big_size, KMALLOC_MAX_CACHE_SIZE + 1, MAX_BIG_SIZE);

	big_buffer = alloctag_big_alloc(size);
	if (!big_buffer)
		return -1;
	big_bytes = size;
	pr_info("leakext-truth big %px size %zu pfn %lx order %d\n", big_buffer, size,
		page_to_pfn(virt_to_page(big_buffer)), get_order(size));
	return 1;
}

/*
 * Clear the unused part of this task's stack below the caller's frame: the
 * deep call chains of allocation and printk left stale copies of lost
 * pointers there (kmemleak scans task stacks too).
 */
static noinline void alloctag_scrub_stack(void)
{
	unsigned long base = (unsigned long)task_stack_page(current);
	unsigned long sp = current_stack_pointer;
	unsigned long from = base + 64;	/* past STACK_END_MAGIC */
	unsigned long to = sp - 256;	/* below this frame and memset's */

	if (to > from && to - from < THREAD_SIZE)
		memset((void *)from, 0, to - from);
	barrier();
}

static noinline int alloctag_run(void)
{
	int leaked_nr, decoys_made, decoys_freed, lost, held, big;

	leaked_nr = alloctag_run_schedstat(&decoys_made, &decoys_freed);
	lost = alloctag_run_lost(&held);
	big = alloctag_run_big();
	if (leaked_nr < 0 || lost < 0 || big < 0) {
		pr_err("leak_alloctag: setup failed (leaked=%d lost=%d big=%d)\n",
		       leaked_nr, lost, big);
		return -ENOMEM;
	}
	pr_info("leakext-truth summary leaked=%d decoys=%d decoys_freed=%d lost_obj=%d held_obj=%d big=%d big_size=%zu big_ksize=%zu\n",
		leaked_nr, decoys_made, decoys_freed, lost, held, big, big_bytes,
		ksize(big_buffer));
	return 0;
}

static int __init leak_alloctag_init(void)
{
	int err = alloctag_run();

	alloctag_scrub_stack();
	return err;
}
module_init(leak_alloctag_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakext sample: S1's leak, lost records and a large kmalloc, with alloc tags");
