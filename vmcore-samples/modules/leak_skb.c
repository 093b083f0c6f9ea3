// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leak_skb: a true leak of lost pointers, in two kinds.
 *
 * Packets: nr_skbs sk_buffs (heads in skbuff_head_cache) whose data buffers
 * land in kmalloc-8k, each carrying an Ethernet + IPv4 + UDP syslog frame on
 * the loopback device.  The last nr_held of them stay in a static array; for
 * the others no pointer is kept anywhere (the driver "forgot" them).
 *
 * Records: nr_objs identical objects of a dedicated cache, leakext_lost (it
 * has a constructor, so it is never merged), all referenced from a static
 * array; then every third slot is cleared, and those objects lose their only
 * pointer.  Each record's list_head points at itself.
 *
 * Ground truth is printed on the console, never kept in memory:
 *   leakext-truth leak <data> skb <head> lost|held
 *   leakext-truth obj <addr> lost|held
 *   leakext-truth summary leaked=N ...
 * Before the init path returns, the part of the stack it used is cleared so
 * that no stale copy of a lost pointer outlives it.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/in.h>
#include <net/ip.h>
#include <linux/sched/task_stack.h>
#include <net/net_namespace.h>

#define MAX_SKBS 4096
#define MAX_OBJS 8192
/* + skb_shared_info (320) rounds into kmalloc-8k, never kmalloc-4k */
#define SKB_DATA_SIZE 4096
#define PAYLOAD_SIZE 1200

static int nr_skbs = 800;
module_param(nr_skbs, int, 0444);
static int nr_held = 200;
module_param(nr_held, int, 0444);
static int nr_objs = 1000;
module_param(nr_objs, int, 0444);

struct lost_record {
	struct list_head link;
	unsigned long magic;
	unsigned long serial;
	unsigned int state;
	char label[40];
};

static struct sk_buff *held_skbs[MAX_SKBS];
static struct lost_record *records[MAX_OBJS];
static struct kmem_cache *lost_cache;

static void lost_record_ctor(void *p)
{
	struct lost_record *rec = p;

	INIT_LIST_HEAD(&rec->link);
	rec->magic = 0x4c4f535452454331ULL;
	rec->state = 1;
}

/* A syslog datagram from 10.0.2.15:<sport> to 10.0.2.2:514, as a NIC sees it. */
static noinline void leak_skb_fill_frame(struct sk_buff *skb, int seq)
{
	static const u8 src_mac[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	static const u8 dst_mac[ETH_ALEN] = { 0x52, 0x55, 0x0a, 0x00, 0x02, 0x02 };
	struct ethhdr *eth;
	struct iphdr *iph;
	struct udphdr *uh;
	char *payload;
	int len = 0;

	skb_reserve(skb, NET_IP_ALIGN);
	skb_reset_mac_header(skb);
	eth = skb_put(skb, ETH_HLEN);
	memcpy(eth->h_dest, dst_mac, ETH_ALEN);
	memcpy(eth->h_source, src_mac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);

	skb_set_network_header(skb, skb->len);
	iph = skb_put(skb, sizeof(*iph));
	skb_set_transport_header(skb, skb->len);
	uh = skb_put(skb, sizeof(*uh));
	payload = skb_put(skb, PAYLOAD_SIZE);
	while (len < PAYLOAD_SIZE - 1)
		len += scnprintf(payload + len, PAYLOAD_SIZE - len,
				 "<30>Jan 12 03:14:%02d edge-gw%d rxd[%d]: flow %04d queued %d bytes to 10.0.2.2 port 514\n",
				 seq % 60, seq % 4, 400 + seq % 7, seq, PAYLOAD_SIZE);
	payload[PAYLOAD_SIZE - 1] = '\n';

	uh->source = htons(40000 + seq % 20000);
	uh->dest = htons(514);
	uh->len = htons(sizeof(*uh) + PAYLOAD_SIZE);
	uh->check = 0;

	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(sizeof(*iph) + sizeof(*uh) + PAYLOAD_SIZE);
	iph->id = htons(seq);
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = htonl(0x0a00020f);
	iph->daddr = htonl(0x0a000202);
	iph->check = 0;
	iph->check = ip_fast_csum((u8 *)iph, iph->ihl);

	skb->protocol = htons(ETH_P_IP);
	skb->pkt_type = PACKET_HOST;
}

static noinline struct sk_buff *leak_skb_receive(struct net_device *dev, int seq)
{
	struct sk_buff *skb;

	skb = alloc_skb(SKB_DATA_SIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb->dev = dev;
	leak_skb_fill_frame(skb, seq);
	return skb;
}

/* Prints the truth; returns the number of lost or held packets made. */
static noinline int leak_skb_queue(struct net_device *dev, int seq, bool hold, int slot)
{
	struct sk_buff *skb = leak_skb_receive(dev, seq);

	if (!skb)
		return 0;
	pr_info("leakext-truth leak %px skb %px %s\n", skb->head, skb,
		hold ? "held" : "lost");
	/* held_skbs[] is never read: only a volatile store keeps it */
	if (hold)
		WRITE_ONCE(held_skbs[slot], skb);
	return 1;
}

static noinline struct lost_record *leak_record_alloc(unsigned long serial)
{
	struct lost_record *rec = kmem_cache_alloc(lost_cache, GFP_KERNEL);

	if (rec) {
		rec->serial = serial;
		snprintf(rec->label, sizeof(rec->label), "session %lu", serial % 8);
	}
	return rec;
}

static noinline int leak_skb_packets(int *held, size_t *bucket)
{
	int skbs = clamp(nr_skbs, 0, MAX_SKBS);
	int keep = clamp(nr_held, 0, skbs);
	struct net_device *dev;
	struct sk_buff *probe;
	int i, lost = 0;

	/* The reference is never dropped: the frames point at the device. */
	dev = dev_get_by_name(&init_net, "lo");
	probe = alloc_skb(SKB_DATA_SIZE, GFP_KERNEL);
	*bucket = probe ? ksize(probe->head) : 0;
	kfree_skb(probe);

	*held = 0;
	for (i = 0; i < skbs; i++) {
		bool hold = i >= skbs - keep;

		if (!leak_skb_queue(dev, i, hold, *held))
			continue;
		if (hold)
			(*held)++;
		else
			lost++;
	}
	return lost;
}

static noinline int leak_skb_records(int *held)
{
	int objs = clamp(nr_objs, 0, MAX_OBJS);
	int i, made = 0, lost = 0;

	lost_cache = kmem_cache_create("leakext_lost", sizeof(struct lost_record),
				       0, 0, lost_record_ctor);
	if (!lost_cache)
		return -1;
	for (i = 0; i < objs; i++) {
		records[made] = leak_record_alloc(i);
		if (records[made])
			made++;
	}
	*held = 0;
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

static noinline void leak_skb_run(void)
{
	int lost_skbs, held_skbs_nr, lost_objs, held_objs;
	size_t bucket;

	lost_skbs = leak_skb_packets(&held_skbs_nr, &bucket);
	lost_objs = leak_skb_records(&held_objs);
	pr_info("leakext-truth summary leaked=%d lost_skb=%d held_skb=%d lost_obj=%d held_obj=%d data_ksize=%zu\n",
		lost_skbs + held_skbs_nr, lost_skbs, held_skbs_nr, lost_objs,
		held_objs, bucket);
}

/*
 * Clear the unused part of this task's stack below the caller's frame: the
 * deep call chains of allocation and printk left stale copies of lost
 * pointers there, and the stack of an exited task may be cached for reuse.
 */
static noinline void leak_skb_scrub_stack(void)
{
	unsigned long base = (unsigned long)task_stack_page(current);
	unsigned long sp = current_stack_pointer;
	unsigned long from = base + 64;	/* past STACK_END_MAGIC */
	unsigned long to = sp - 256;	/* below this frame and memset's */

	if (to > from && to - from < THREAD_SIZE)
		memset((void *)from, 0, to - from);
	barrier();
}

static int __init leak_skb_init(void)
{
	leak_skb_run();
	leak_skb_scrub_stack();
	return 0;
}
module_init(leak_skb_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakext sample: lost sk_buffs (data in kmalloc-8k) and lost cache objects");
