// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leak_fnptr: ~150-byte records in kmalloc-192, each holding a list_head,
 * a pointer to a named module function, a pointer to another slab object
 * (a kmalloc-64 "peer") and a counter.  They are never freed.
 *
 * Ground truth is printed as "leakext-truth leak <addr>" lines.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/list.h>

#define MAX_RECORDS 8192

static int nr_leaks = 2000;
module_param(nr_leaks, int, 0444);

struct leak_peer {
	unsigned long cookie;
	unsigned long owner_serial;
	char name[24];
};

struct leak_record {
	struct list_head link;
	void (*handler)(struct leak_record *rec);
	struct leak_peer *peer;
	unsigned long counter;
	char tag[112];
};

static LIST_HEAD(records);
static void *leaked[MAX_RECORDS];

static noinline void leak_fnptr_handler(struct leak_record *rec)
{
	rec->counter++;
}

static noinline struct leak_record *leak_fnptr_alloc(unsigned long serial)
{
	struct leak_record *rec;
	struct leak_peer *peer;

	peer = kmalloc(sizeof(*peer), GFP_KERNEL);
	if (!peer)
		return NULL;
	rec = kmalloc(sizeof(*rec), GFP_KERNEL);
	if (!rec) {
		kfree(peer);
		return NULL;
	}
	peer->cookie = 0x50454552;
	peer->owner_serial = serial;
	snprintf(peer->name, sizeof(peer->name), "peer-%lu", serial);
	rec->handler = leak_fnptr_handler;
	rec->peer = peer;
	rec->counter = serial * 3;
	snprintf(rec->tag, sizeof(rec->tag), "record %lu", serial);
	list_add_tail(&rec->link, &records);
	return rec;
}

static noinline void run_scenario(void)
{
	int want = min(nr_leaks, MAX_RECORDS);
	int i, stored = 0;

	for (i = 0; i < want; i++) {
		leaked[stored] = leak_fnptr_alloc(i);
		if (leaked[stored])
			stored++;
	}
	for (i = 0; i < stored; i++)
		pr_info("leakext-truth leak %px\n", leaked[i]);
	pr_info("leakext-truth summary leaked=%d record_size=%zu\n",
		stored, sizeof(struct leak_record));
}

static int __init leak_fnptr_init(void)
{
	BUILD_BUG_ON(sizeof(struct leak_record) <= 128 ||
		     sizeof(struct leak_record) > 192);
	run_scenario();
	return 0;
}
module_init(leak_fnptr_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakext sample: leaks function-pointer records in kmalloc-192");
