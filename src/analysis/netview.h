/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed views of network objects (netview.c): the Ethernet frame in a
 * packet buffer, and the device and protocol of the sk_buffs whose head
 * points at packet buffers.
 */
#ifndef LEAKEXT_NETVIEW_H
#define LEAKEXT_NETVIEW_H

#include "analysis/refs.h"

/*
 * "at +2: Ethernet SRC > DST, IPv4 A > B, UDP P > Q, N bytes" for an
 * Ethernet frame carrying IPv4 or IPv6 at one of the usual headroom
 * offsets of obj; false if there is none.
 */
bool lx_frame_decode(const uint8_t *obj, size_t len, char *out, size_t outlen);

/*
 * For referrers that are sk_buff.head words (cache type sk_buff, from
 * cachetypes.c): the device and protocol most of a sample share, into out
 * ("" when none is an sk_buff head).
 */
void lx_skb_holders(struct lx_session *s, const struct lx_reach *r,
		    const struct lx_ref *refs, size_t n, char *out, size_t len);

#endif
