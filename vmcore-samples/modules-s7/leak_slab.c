// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leak_slab: S7-slab's scenario for a kernel built with the SLAB allocator,
 * in four parts, each with its truth printed on the console (%px), never
 * kept in memory where a walker could find it:
 *
 * 1. S1's leak: nr_leaks kmalloc(4096) buffers holding /proc/schedstat text,
 *    never freed, among nr_decoys zeroed, struct-like and /proc/meminfo-like
 *    decoys, every other one freed.  Each /proc file is opened once and
 *    read from offset 0 each time: the last fput() of a file insmod opened
 *    runs when insmod returns to user space, and with it the kfree() of the
 *    file's 4 KiB seq_file buffer; thousands of those after part 4 would
 *    push its freed kmalloc-4k buffers out of the array cache.
 *      leakext-truth leak <addr>
 * 2. leakext_ctor, a constructor cache (so never merged, and never an
 *    OBJFREELIST_SLAB cache): nr_ctor objects, every third one and a run in
 *    the middle freed; the rest is the live set.
 *      leakext-truth live <addr>
 * 3. leakext_lost, a constructor cache of records all referenced from a
 *    static array; every third slot is then cleared, and those records lose
 *    their only pointer.
 *      leakext-truth obj <addr> lost|held
 * 4. Per-cpu array caches holding free objects: leakext_pcpu, a constructor
 *    cache of 512-byte objects (SLAB keeps its freelists off the slab), and
 *    kmalloc-4k.  The module keeps nr_pcpu objects of the first and
 *    cpus * pcpu_free_4k buffers of the second, then, as its very last act,
 *    each online cpu frees pcpu_free of the former and pcpu_free_4k of the
 *    latter in an on_each_cpu() call: they land in that cpu's array_cache,
 *    where they stay until cache_reap() drains them (a fifth of the array
 *    every two seconds, the oldest first).  The plan is printed before the
 *    frees, so that nothing but one summary line stands between them and the
 *    ready marker.
 *      leakext-truth pcpu <addr>                      (stays allocated)
 *      leakext-truth freed <cache> <addr> cpu <n>     (freed by cpu n)
 *
 * Summary lines:
 *   leakext-truth summary leaked=N decoys=N decoys_freed=N live=N lost_obj=N
 *     held_obj=N pcpu_live=N freed_leakext_pcpu=N freed_kmalloc-4k=N cpus=N
 *   leakext-truth freed-summary cpuN=<leakext_pcpu frees>/<kmalloc-4k frees> ...
 * Before the init path returns, the part of the stack it used is cleared so
 * that no stale copy of a lost pointer outlives it.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/fs.h>
#include <linux/err.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include <linux/sched/task_stack.h>

#define LEAK_BUF_SIZE 4096
#define MAX_LEAKS 16384
#define MAX_DECOYS 4096
#define MAX_CTOR 16384
#define MAX_LOST 8192
#define MAX_PCPU 4096
#define MAX_CPUS 8
#define MAX_FREE_PER_CPU 64

static int nr_leaks = 3000;
module_param(nr_leaks, int, 0444);
static int nr_decoys = 1800;
module_param(nr_decoys, int, 0444);
static int nr_ctor = 4000;
module_param(nr_ctor, int, 0444);
static int nr_lost = 1000;
module_param(nr_lost, int, 0444);
static int nr_pcpu = 600;
module_param(nr_pcpu, int, 0444);
static int pcpu_free = 20;
module_param(pcpu_free, int, 0444);
static int pcpu_free_4k = 12;
module_param(pcpu_free_4k, int, 0444);

/* Part 1: S1's leak and its decoys. */

struct decoy_record {
	unsigned long magic;
	void (*callback)(struct decoy_record *rec);
	unsigned long serial;
	unsigned char payload[64];
};

static void *leaked[MAX_LEAKS];
static void *decoys[MAX_DECOYS];

static noinline void decoy_callback(struct decoy_record *rec)
{
	pr_info("leak_slab: decoy %lu\n", rec->serial);
}

static struct file *schedstat_file, *meminfo_file;

/* A whole procfs file, read again from its start, in a fresh 4 KiB buffer. */
static noinline void *slab_read_proc(struct file *file)
{
	loff_t pos = 0;
	ssize_t len;
	char *buf;

	buf = kmalloc(LEAK_BUF_SIZE, GFP_KERNEL);
	if (!buf)
		return NULL;
	len = kernel_read(file, buf, LEAK_BUF_SIZE - 1, &pos);
	buf[len > 0 ? len : 0] = '\0';
	return buf;
}

static noinline void *slab_leak_schedstat(void)
{
	return slab_read_proc(schedstat_file);
}

static noinline void *slab_make_decoy(int kind, unsigned long serial)
{
	struct decoy_record *rec;

	switch (kind) {
	case 0:
		return kzalloc(LEAK_BUF_SIZE, GFP_KERNEL);
	case 1:
		rec = kzalloc(LEAK_BUF_SIZE, GFP_KERNEL);
		if (rec) {
			rec->magic = 0x5245434f5244ULL;
			rec->callback = decoy_callback;
			rec->serial = serial;
			memset(rec->payload, 0xa5, sizeof(rec->payload));
		}
		return rec;
	default:
		return slab_read_proc(meminfo_file);
	}
}

static noinline int slab_run_schedstat(int *made, int *freed)
{
	int leaks = clamp(nr_leaks, 0, MAX_LEAKS);
	int ndecoys = clamp(nr_decoys, 0, MAX_DECOYS);
	int i, stored = 0;

	*made = 0;
	*freed = 0;
	schedstat_file = filp_open("/proc/schedstat", O_RDONLY, 0);
	if (IS_ERR(schedstat_file))
		return -1;
	meminfo_file = filp_open("/proc/meminfo", O_RDONLY, 0);
	if (IS_ERR(meminfo_file)) {
		filp_close(schedstat_file, NULL);
		return -1;
	}
	for (i = 0; i < leaks || *made < ndecoys; i++) {
		if (i < leaks) {
			leaked[stored] = slab_leak_schedstat();
			if (leaked[stored])
				stored++;
		}
		if (*made < ndecoys && (i % 5) < 3) {
			decoys[*made] = slab_make_decoy(*made % 3, *made);
			(*made)++;
		}
	}
	filp_close(schedstat_file, NULL);
	filp_close(meminfo_file, NULL);
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

/* Part 2: a constructor cache with a known live set. */

#define CTOR_MAGIC 0x4c45414b43544f52ULL	/* "LEAKCTOR" */

struct ctor_object {
	unsigned long magic;
	unsigned long serial;
	struct ctor_object *self;
	char tag[72];
};

static struct kmem_cache *ctor_cache;
static struct ctor_object *ctor_objects[MAX_CTOR];

static void ctor_object_init(void *p)
{
	struct ctor_object *obj = p;

	obj->magic = CTOR_MAGIC;
	obj->serial = 0;
	obj->self = obj;
}

static noinline struct ctor_object *slab_ctor_alloc(unsigned long serial)
{
	struct ctor_object *obj = kmem_cache_alloc(ctor_cache, GFP_KERNEL);

	if (obj) {
		obj->serial = serial;
		snprintf(obj->tag, sizeof(obj->tag), "ctor object %lu", serial);
	}
	return obj;
}

static noinline void slab_ctor_free(struct ctor_object *obj)
{
	kmem_cache_free(ctor_cache, obj);
}

/* Every third object, and a run in the middle long enough to empty slabs. */
static bool ctor_freed_by_design(int i, int n)
{
	return i % 3 == 0 || (i >= n / 2 && i < n / 2 + n / 8);
}

static noinline int slab_run_ctor(void)
{
	int want = clamp(nr_ctor, 0, MAX_CTOR);
	int i, made = 0, live = 0;

	ctor_cache = kmem_cache_create("leakext_ctor", sizeof(struct ctor_object),
				       0, 0, ctor_object_init);
	if (!ctor_cache)
		return -1;
	for (i = 0; i < want; i++) {
		ctor_objects[made] = slab_ctor_alloc(i);
		if (ctor_objects[made])
			made++;
	}
	for (i = 0; i < made; i++) {
		if (!ctor_freed_by_design(i, made))
			continue;
		slab_ctor_free(ctor_objects[i]);
		ctor_objects[i] = NULL;
	}
	for (i = 0; i < made; i++) {
		if (!ctor_objects[i])
			continue;
		pr_info("leakext-truth live %px\n", ctor_objects[i]);
		live++;
	}
	return live;
}

/* Part 3: records that lose their only pointer. */

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

static noinline struct lost_record *slab_lost_alloc(unsigned long serial)
{
	struct lost_record *rec = kmem_cache_alloc(lost_cache, GFP_KERNEL);

	if (rec) {
		rec->serial = serial;
		snprintf(rec->label, sizeof(rec->label), "session %lu", serial % 8);
	}
	return rec;
}

static noinline int slab_run_lost(int *held)
{
	int want = clamp(nr_lost, 0, MAX_LOST);
	int i, made = 0, lost = 0;

	*held = 0;
	lost_cache = kmem_cache_create("leakext_lost", sizeof(struct lost_record),
				       0, 0, lost_record_ctor);
	if (!lost_cache)
		return -1;
	for (i = 0; i < want; i++) {
		records[made] = slab_lost_alloc(i);
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

/* Part 4: free objects in every cpu's array_cache at dump time. */

#define PCPU_MAGIC 0x4c45414b50435055ULL	/* "LEAKPCPU" */

struct pcpu_object {
	unsigned long magic;
	unsigned long serial;
	int alloc_cpu;
	char note[492];
};

static struct kmem_cache *pcpu_cache;
static struct pcpu_object *pcpu_objects[MAX_PCPU];
static void *pcpu_bufs[MAX_CPUS * MAX_FREE_PER_CPU];
static int pcpu_made, pcpu_per_cpu, bufs_per_cpu;
static atomic_t freed_objs[MAX_CPUS], freed_bufs[MAX_CPUS];

static void pcpu_object_init(void *p)
{
	struct pcpu_object *obj = p;

	obj->magic = PCPU_MAGIC;
	obj->serial = 0;
	obj->alloc_cpu = -1;
}

static noinline struct pcpu_object *slab_pcpu_alloc(unsigned long serial)
{
	struct pcpu_object *obj = kmem_cache_alloc(pcpu_cache, GFP_KERNEL);

	if (obj) {
		obj->serial = serial;
		obj->alloc_cpu = raw_smp_processor_id();
		snprintf(obj->note, sizeof(obj->note), "per-cpu object %lu", serial);
	}
	return obj;
}

static noinline void *slab_pcpu_buffer(int cpu, int i)
{
	char *buf = kmalloc(LEAK_BUF_SIZE, GFP_KERNEL);

	if (buf)
		snprintf(buf, LEAK_BUF_SIZE, "leakext per-cpu buffer %d of cpu %d\n", i, cpu);
	return buf;
}

/* Object slot i is freed by cpu i / pcpu_per_cpu (if that cpu is online). */
static int pcpu_slot_cpu(int i)
{
	return i < pcpu_made && pcpu_per_cpu ? i / pcpu_per_cpu : -1;
}

/* Runs on every online cpu with interrupts off: frees into its array_cache. */
static void slab_pcpu_free_here(void *unused)
{
	int cpu = smp_processor_id();
	int i;

	if (cpu >= MAX_CPUS)
		return;
	for (i = cpu * pcpu_per_cpu; i < (cpu + 1) * pcpu_per_cpu && i < pcpu_made; i++) {
		kmem_cache_free(pcpu_cache, pcpu_objects[i]);
		pcpu_objects[i] = NULL;
		atomic_inc(&freed_objs[cpu]);
	}
	for (i = cpu * bufs_per_cpu; i < (cpu + 1) * bufs_per_cpu; i++) {
		kfree(pcpu_bufs[i]);
		pcpu_bufs[i] = NULL;
		atomic_inc(&freed_bufs[cpu]);
	}
}

/* Allocates and prints the plan; the frees come later (slab_pcpu_free). */
static noinline int slab_pcpu_prepare(int *planned_objs, int *planned_bufs)
{
	int cpus = num_online_cpus();
	int want = clamp(nr_pcpu, 0, MAX_PCPU);
	int i, c, live = 0;

	*planned_objs = 0;
	*planned_bufs = 0;
	if (cpus > MAX_CPUS || cpumask_last(cpu_online_mask) >= MAX_CPUS)
		return -1;
	pcpu_per_cpu = clamp(pcpu_free, 0, MAX_FREE_PER_CPU);
	bufs_per_cpu = clamp(pcpu_free_4k, 0, MAX_FREE_PER_CPU);
	if (pcpu_per_cpu * cpus > want)
		return -1;
	pcpu_cache = kmem_cache_create("leakext_pcpu", sizeof(struct pcpu_object),
				       0, 0, pcpu_object_init);
	if (!pcpu_cache)
		return -1;
	for (i = 0; i < want; i++) {
		pcpu_objects[i] = slab_pcpu_alloc(i);
		if (!pcpu_objects[i])
			return -1;
	}
	pcpu_made = want;
	for (c = 0; c < MAX_CPUS; c++)
		for (i = c * bufs_per_cpu; i < (c + 1) * bufs_per_cpu; i++)
			if (cpu_online(c)) {
				pcpu_bufs[i] = slab_pcpu_buffer(c, i);
				if (!pcpu_bufs[i])
					return -1;
			}

	for (i = 0; i < pcpu_made; i++) {
		c = pcpu_slot_cpu(i);
		if (c >= 0 && cpu_online(c)) {
			pr_info("leakext-truth freed leakext_pcpu %px cpu %d\n",
				pcpu_objects[i], c);
			(*planned_objs)++;
		} else {
			pr_info("leakext-truth pcpu %px\n", pcpu_objects[i]);
			live++;
		}
	}
	for (c = 0; c < MAX_CPUS; c++)
		for (i = c * bufs_per_cpu; i < (c + 1) * bufs_per_cpu; i++)
			if (pcpu_bufs[i]) {
				pr_info("leakext-truth freed kmalloc-4k %px cpu %d\n",
					pcpu_bufs[i], c);
				(*planned_bufs)++;
			}
	return live;
}

static noinline void slab_pcpu_free(void)
{
	on_each_cpu(slab_pcpu_free_here, NULL, 1);
}

/*
 * Clear the unused part of this task's stack below the caller's frame: the
 * deep call chains of allocation and printk left stale copies of lost
 * pointers there, and the stack of an exited task may be cached for reuse.
 */
static noinline void slab_scrub_stack(void)
{
	unsigned long base = (unsigned long)task_stack_page(current);
	unsigned long sp = current_stack_pointer;
	unsigned long from = base + 64;	/* past STACK_END_MAGIC */
	unsigned long to = sp - 256;	/* below this frame and memset's */

	if (to > from && to - from < THREAD_SIZE)
		memset((void *)from, 0, to - from);
	barrier();
}

static noinline int slab_run(void)
{
	int leaked_nr, decoys_made, decoys_freed, live, lost, held;
	int pcpu_live, planned_objs, planned_bufs, c;
	char line[160];
	int len = 0;

	leaked_nr = slab_run_schedstat(&decoys_made, &decoys_freed);
	live = slab_run_ctor();
	lost = slab_run_lost(&held);
	pcpu_live = slab_pcpu_prepare(&planned_objs, &planned_bufs);
	if (leaked_nr < 0 || live < 0 || lost < 0 || pcpu_live < 0) {
		pr_err("leak_slab: setup failed (leaked=%d live=%d lost=%d pcpu_live=%d)\n",
		       leaked_nr, live, lost, pcpu_live);
		return -ENOMEM;
	}
	pr_info("leakext-truth summary leaked=%d decoys=%d decoys_freed=%d live=%d lost_obj=%d held_obj=%d pcpu_live=%d freed_leakext_pcpu=%d freed_kmalloc-4k=%d cpus=%d\n",
		leaked_nr, decoys_made, decoys_freed, live, lost, held,
		pcpu_live, planned_objs, planned_bufs, num_online_cpus());

	/* The last act: each cpu frees into its own array_cache. */
	slab_pcpu_free();
	for (c = 0; c < MAX_CPUS; c++)
		if (cpu_online(c))
			len += scnprintf(line + len, sizeof(line) - len, " cpu%d=%d/%d", c,
					 atomic_read(&freed_objs[c]),
					 atomic_read(&freed_bufs[c]));
	pr_info("leakext-truth freed-summary%s\n", line);
	return 0;
}

static int __init leak_slab_init(void)
{
	int err = slab_run();

	slab_scrub_stack();
	return err;
}
module_init(leak_slab_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakext sample: S1's leak, constructor, lost and per-cpu freed objects on SLAB");
