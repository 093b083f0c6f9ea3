// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leak_rate: a leak that grows at a known rate, for the live test (L1).
 * A delayed work copies /proc/schedstat into kmalloc(4096) buffers that are
 * never freed, "rate" buffers a second of the kernel's clock (the number due
 * is computed from the time since the last resume, so late work catches up),
 * and churns kmalloc-256: each tick frees the oldest CHURN_BATCH objects of a
 * ring and allocates as many.
 *
 * Ground truth goes to the kernel log, not to the console (the test boots
 * with a quiet console loglevel and reads it with dmesg): one
 * "leakext-live leak <seq> <addr>" line per buffer.  The parameter "count"
 * (read-only) is the number leaked so far; writing 1 to "paused" stops the
 * leak and the churn, and when the write returns no tick is running, so
 * "count" is exact for a dump taken while paused.  Writing 0 resumes.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/fs.h>
#include <linux/err.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#define LEAK_BUF_SIZE 4096
#define MAX_LEAKS 65536		/* 20/s for 54 minutes */
#define CHURN_SIZE 200		/* kmalloc-256 */
#define CHURN_RING 512
#define CHURN_BATCH 64
#define TICK_MS 100

static int rate = 20;
module_param(rate, int, 0444);
MODULE_PARM_DESC(rate, "buffers leaked per second");

static int count;
module_param(count, int, 0444);
MODULE_PARM_DESC(count, "buffers leaked so far");

static DEFINE_MUTEX(tick_lock);
static bool paused;
static ktime_t resumed_at;
static int count_at_resume;
static void *leaked[MAX_LEAKS];
static void *churn[CHURN_RING];
static unsigned int churn_next;

static void leak_rate_tick(struct work_struct *work);
static DECLARE_DELAYED_WORK(tick_work, leak_rate_tick);

/* Read a whole procfs file into a fresh 4 KiB buffer (not zeroed). */
static noinline void *leak_rate_read_proc(const char *path)
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

static noinline void *leak_rate_snapshot(void)
{
	return leak_rate_read_proc("/proc/schedstat");
}

static noinline void leak_rate_churn(void)
{
	unsigned int i, slot;

	for (i = 0; i < CHURN_BATCH; i++) {
		slot = churn_next++ % CHURN_RING;
		kfree(churn[slot]);
		churn[slot] = kmalloc(CHURN_SIZE, GFP_KERNEL);
		if (churn[slot])
			memset(churn[slot], 0x5c, CHURN_SIZE);
	}
}

/* Buffers due now: rate per second since the last resume. */
static int leak_rate_due(void)
{
	s64 ms = ktime_ms_delta(ktime_get(), resumed_at);

	return min_t(s64, MAX_LEAKS, count_at_resume + ms * rate / 1000);
}

static noinline void leak_rate_catch_up(void)
{
	int due = leak_rate_due();
	void *buf;

	while (count < due) {
		buf = leak_rate_snapshot();
		if (!buf)
			break;
		/*
		 * A volatile store: nothing reads leaked[], so the compiler
		 * would drop a plain store and the buffers would be lost
		 * rather than held by the module.
		 */
		WRITE_ONCE(leaked[count], buf);
		pr_info("leakext-live leak %d %px\n", count, buf);
		count++;
	}
}

static void leak_rate_tick(struct work_struct *work)
{
	mutex_lock(&tick_lock);
	if (!paused) {
		leak_rate_catch_up();
		leak_rate_churn();
	}
	mutex_unlock(&tick_lock);
	schedule_delayed_work(&tick_work, msecs_to_jiffies(TICK_MS));
}

static int paused_set(const char *val, const struct kernel_param *kp)
{
	bool pause;
	int err = kstrtobool(val, &pause);

	if (err)
		return err;
	mutex_lock(&tick_lock);
	if (paused && !pause) {
		resumed_at = ktime_get();
		count_at_resume = count;
	}
	paused = pause;
	pr_info("leakext-live %s count=%d\n", pause ? "paused" : "resumed",
		count);
	mutex_unlock(&tick_lock);
	return 0;
}

static const struct kernel_param_ops paused_ops = {
	.set = paused_set,
	.get = param_get_bool,
};
module_param_cb(paused, &paused_ops, &paused, 0644);
MODULE_PARM_DESC(paused, "1: no leak and no churn until 0 is written");

static int __init leak_rate_init(void)
{
	if (rate <= 0 || rate > 1000)
		return -EINVAL;
	resumed_at = ktime_get();
	schedule_delayed_work(&tick_work, msecs_to_jiffies(TICK_MS));
	pr_info("leakext-live started rate=%d\n", rate);
	return 0;
}
module_init(leak_rate_init);

static void __exit leak_rate_exit(void)
{
	unsigned int i;

	cancel_delayed_work_sync(&tick_work);
	for (i = 0; i < CHURN_RING; i++)
		kfree(churn[i]);
	/* the leaked buffers stay leaked: that is the point */
}
module_exit(leak_rate_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakext live sample: leaks schedstat text at a known rate");
