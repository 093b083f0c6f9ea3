// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leak_schedstat: the classic 4 KiB leak.  Every "read" of /proc/schedstat
 * copies the text into a kmalloc(4096) buffer that is never freed.  Decoys of
 * three other kinds share the cache; half of them are freed so that live and
 * free objects interleave across cpu, partial and full slabs.
 *
 * Ground truth is printed as "leakext-truth leak <addr>" lines.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/fs.h>
#include <linux/err.h>

#define LEAK_BUF_SIZE 4096
#define MAX_LEAKS 262144	/* S4 leaks 200 000 */
#define MAX_DECOYS 4096

static int nr_leaks = 3000;
module_param(nr_leaks, int, 0444);
static int nr_decoys = 1800;
module_param(nr_decoys, int, 0444);

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
	pr_info("leak_schedstat: decoy %lu\n", rec->serial);
}

/* Read a whole procfs file into a fresh 4 KiB buffer (not zeroed). */
static noinline void *read_proc_into_buffer(const char *path)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t len;
	char *buf;

	buf = kmalloc(LEAK_BUF_SIZE, GFP_KERNEL);
	if (!buf)
		return NULL;
	file = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(file)) {
		kfree(buf);
		return NULL;
	}
	len = kernel_read(file, buf, LEAK_BUF_SIZE - 1, &pos);
	filp_close(file, NULL);
	buf[len > 0 ? len : 0] = '\0';
	return buf;
}

static noinline void *leak_schedstat_snapshot(void)
{
	return read_proc_into_buffer("/proc/schedstat");
}

static noinline void *make_decoy(int kind, unsigned long serial)
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
		return read_proc_into_buffer("/proc/meminfo");
	}
}

static noinline void run_scenario(void)
{
	int leaks = min(nr_leaks, MAX_LEAKS);
	int ndecoys = min(nr_decoys, MAX_DECOYS);
	int i, made = 0, freed = 0, stored = 0;

	for (i = 0; i < leaks || made < ndecoys; i++) {
		if (i < leaks) {
			leaked[stored] = leak_schedstat_snapshot();
			if (leaked[stored])
				stored++;
		}
		if (made < ndecoys && (i % 5) < 3) {
			decoys[made] = make_decoy(made % 3, made);
			made++;
		}
	}
	/* Free every other decoy: holes in full slabs, partial slabs. */
	for (i = 0; i < made; i += 2) {
		kfree(decoys[i]);
		decoys[i] = NULL;
		freed++;
	}
	for (i = 0; i < stored; i++)
		pr_info("leakext-truth leak %px\n", leaked[i]);
	pr_info("leakext-truth summary leaked=%d decoys=%d decoys_freed=%d\n",
		stored, made, freed);
}

static int __init leak_schedstat_init(void)
{
	run_scenario();
	return 0;
}
module_init(leak_schedstat_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakext sample: leaks /proc/schedstat text in kmalloc-4k");
