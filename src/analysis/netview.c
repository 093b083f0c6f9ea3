// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Typed views of network objects: the frame a packet buffer holds, and the
 * sk_buffs that hold packet buffers (their device and protocol).  Only
 * reads bounded by the buffers given and by checked target reads.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/cachetypes.h"
#include "analysis/netview.h"
#include "leakext/text.h"

#define ETH_HLEN 14
#define SKB_SAMPLES 32

static const size_t frame_starts[] = { 0, 2, 16, 32, 64, 128, 192, 256, 320 };

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void print_mac(char *out, size_t len, const uint8_t *m)
{
	snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		 m[4], m[5]);
}

static const char *l4_name(uint8_t proto)
{
	switch (proto) {
	case 1: return "ICMP";
	case 6: return "TCP";
	case 17: return "UDP";
	case 58: return "ICMPv6";
	default: return NULL;
	}
}

/* " TCP 40000 > 80" for ports at l4, or just the protocol. */
static void print_l4(char *out, size_t len, const uint8_t *obj, size_t objlen,
		     size_t l4, uint8_t proto)
{
	const char *name = l4_name(proto);

	if (!name) {
		snprintf(out, len, ", protocol %u", proto);
		return;
	}
	if ((proto == 6 || proto == 17) && l4 + 4 <= objlen)
		snprintf(out, len, ", %s %u > %u", name, be16(obj + l4), be16(obj + l4 + 2));
	else
		snprintf(out, len, ", %s", name);
}

static bool decode_ipv4(const uint8_t *obj, size_t len, size_t ip, char *out,
			size_t outlen)
{
	const uint8_t *h = obj + ip;
	char l4[32];
	size_t ihl;

	if (ip + 20 > len || (h[0] >> 4) != 4 || (h[0] & 15) < 5)
		return false;
	ihl = (size_t)(h[0] & 15) * 4;
	print_l4(l4, sizeof(l4), obj, len, ip + ihl, h[9]);
	snprintf(out, outlen, "IPv4 %u.%u.%u.%u > %u.%u.%u.%u%s, %u bytes", h[12], h[13],
		 h[14], h[15], h[16], h[17], h[18], h[19], l4, be16(h + 2));
	return true;
}

static void print_ipv6_addr(char *out, size_t len, const uint8_t *a)
{
	snprintf(out, len, "%x:%x:%x:%x:%x:%x:%x:%x", be16(a), be16(a + 2), be16(a + 4),
		 be16(a + 6), be16(a + 8), be16(a + 10), be16(a + 12), be16(a + 14));
}

static bool decode_ipv6(const uint8_t *obj, size_t len, size_t ip, char *out,
			size_t outlen)
{
	const uint8_t *h = obj + ip;
	char src[40], dst[40], l4[32];

	if (ip + 40 > len || (h[0] >> 4) != 6)
		return false;
	print_ipv6_addr(src, sizeof(src), h + 8);
	print_ipv6_addr(dst, sizeof(dst), h + 24);
	print_l4(l4, sizeof(l4), obj, len, ip + 40, h[6]);
	snprintf(out, outlen, "IPv6 %s > %s%s, %u bytes", src, dst, l4, be16(h + 4) + 40);
	return true;
}

bool lx_frame_decode(const uint8_t *obj, size_t len, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; i < sizeof(frame_starts) / sizeof(frame_starts[0]); i++) {
		size_t off = frame_starts[i];
		char src[24], dst[24], l3[160];
		uint16_t type;
		bool ok;

		if (off + ETH_HLEN > len)
			break;
		type = be16(obj + off + 12);
		if (type == 0x0800)
			ok = decode_ipv4(obj, len, off + ETH_HLEN, l3, sizeof(l3));
		else if (type == 0x86dd)
			ok = decode_ipv6(obj, len, off + ETH_HLEN, l3, sizeof(l3));
		else
			continue;
		if (!ok)
			continue;
		print_mac(src, sizeof(src), obj + off + 6);
		print_mac(dst, sizeof(dst), obj + off);
		snprintf(out, outlen, "at +%zu: Ethernet %s > %s, %s", off, src, dst, l3);
		return true;
	}
	return false;
}

/* Where sk_buff keeps what we report, by the dump's own types. */
struct skb_shape {
	long head, dev, protocol, dev_name;
};

static bool skb_shape_init(struct lx_session *s, struct skb_shape *k)
{
	const struct lx_member_req req[] = {
		{ "sk_buff", "head", &k->head, true },
		{ "sk_buff", "dev", &k->dev, true },
		{ "sk_buff", "protocol", &k->protocol, true },
		{ "net_device", "name", &k->dev_name, true },
	};

	return lx_resolve_members(s->t, LX_MEMBERS(req), NULL);
}

static const char *ethertype_name(uint16_t type)
{
	switch (type) {
	case 0x0800: return "IPv4";
	case 0x86dd: return "IPv6";
	case 0x0806: return "ARP";
	default: return "";
	}
}

/* One holding sk_buff's device name and protocol, as "dev X, protocol Y". */
static bool describe_skb(struct lx_session *s, const struct skb_shape *k, uint64_t skb,
			 char *out, size_t len)
{
	char name[17] = "";
	uint64_t dev;
	uint16_t proto;

	if (!lx_read_word(s->t, skb + k->dev, &dev) ||
	    !lx_read(s->t, skb + k->protocol, &proto, sizeof(proto)))
		return false;
	proto = (uint16_t)(proto >> 8 | proto << 8);	/* __be16 */
	if (!dev || !lx_read(s->t, dev + k->dev_name, name, 16))
		snprintf(name, sizeof(name), "%s", dev ? "?" : "none");
	lx_sanitize(name);
	snprintf(out, len, "dev %s, protocol %#06x%s%s%s", name, proto,
		 *ethertype_name(proto) ? " (" : "", ethertype_name(proto),
		 *ethertype_name(proto) ? ")" : "");
	return true;
}

void lx_skb_holders(struct lx_session *s, const struct lx_reach *r,
		    const struct lx_ref *refs, size_t n, char *out, size_t len)
{
	char first[96] = "", cur[96];
	unsigned int sampled = 0, same = 0;
	struct skb_shape k;
	size_t i;

	out[0] = '\0';
	if (!skb_shape_init(s, &k))
		return;
	for (i = 0; i < n && sampled < SKB_SAMPLES; i++) {
		struct lx_heap_hit hit;

		if (refs[i].area != LX_REF_HEAP ||
		    !lx_heap_find(&r->heap, refs[i].where, &hit) ||
		    strcmp(lx_heap_cache_type(s, &r->heap, hit.cache), "sk_buff") || hit.offset != (uint64_t)k.head ||
		    !describe_skb(s, &k, hit.object, cur, sizeof(cur)))
			continue;
		if (!sampled++)
			memcpy(first, cur, sizeof(first));
		same += !strcmp(first, cur);
	}
	if (sampled)
		snprintf(out, len, "the head of sk_buffs: %s (%u/%u sampled)", first, same,
			 sampled);
}
