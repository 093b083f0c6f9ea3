// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Signatures of known producers of slab content.  To add one: a row with
 * what the content is, which kernel code writes it, and either a text
 * prefix (plus an optional substring that must follow) or a matcher
 * function for binary content.  The first matching row wins, so put the
 * specific rows before the generic ones.
 */
#include <string.h>

#include "analysis/cluster.h"
#include "analysis/owner.h"

static bool contains(const uint8_t *obj, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(obj + i, needle, n))
			return true;
	return false;
}

static bool match_text(const struct lx_signature *sig, const uint8_t *obj,
		       size_t len)
{
	size_t text = lx_text_run(obj, 0, len), n = strlen(sig->prefix);

	if (text < n || memcmp(obj, sig->prefix, n))
		return false;
	return !sig->contains || contains(obj, text, sig->contains);
}

/* A single absolute path, as getname() or d_path() leave it. */
static bool match_path(const struct lx_signature *sig, const uint8_t *obj,
		       size_t len)
{
	size_t text = lx_text_run(obj, 0, len), i;

	(void)sig;
	if (text < 2 || obj[0] != '/' || text >= len || obj[text] != 0)
		return false;
	for (i = 0; i < text; i++)
		if (obj[i] == ' ' || obj[i] == '\n' || obj[i] == '\t')
			return false;
	return true;
}

/* IPv4 header (version 4, IHL >= 5, a common protocol) at offset off. */
static bool ipv4_at(const uint8_t *obj, size_t len, size_t off)
{
	uint8_t proto;

	if (off + 20 > len || (obj[off] >> 4) != 4 || (obj[off] & 15) < 5)
		return false;
	proto = obj[off + 9];
	return proto == 1 || proto == 6 || proto == 17 || proto == 58;
}

/* An Ethernet frame carrying IPv4 or IPv6, at the start or after headroom. */
static bool match_ethernet(const struct lx_signature *sig, const uint8_t *obj,
			   size_t len)
{
	static const size_t starts[] = { 0, 2, 16, 32, 64, 128, 192, 256, 320 };
	size_t i, off;

	(void)sig;
	for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		off = starts[i];
		if (off + 34 > len || obj[off + 12] != 0x08 || obj[off + 13] != 0x00)
			continue;
		if (ipv4_at(obj, len, off + 14))
			return true;
	}
	return false;
}

static const struct lx_signature signatures[] = {
	{ "/proc/schedstat", "show_schedstat() in kernel/sched/stats.c",
	  match_text, "version ", "\ntimestamp " },
	{ "/proc/meminfo", "meminfo_proc_show() in fs/proc/meminfo.c",
	  match_text, "MemTotal:", NULL },
	{ "/proc/stat", "show_stat() in fs/proc/stat.c",
	  match_text, "cpu  ", "\nintr " },
	{ "/proc/vmstat", "vmstat_show() in mm/vmstat.c",
	  match_text, "nr_free_pages ", NULL },
	{ "/proc/slabinfo", "slab_show() in mm/slab_common.c",
	  match_text, "slabinfo - version:", NULL },
	{ "/proc/zoneinfo", "zoneinfo_show() in mm/vmstat.c",
	  match_text, "Node ", "pages free" },
	{ "/proc/buddyinfo", "frag_show() in mm/vmstat.c",
	  match_text, "Node ", ", zone " },
	{ "/proc/cpuinfo", "show_cpuinfo() in arch/x86/kernel/cpu/proc.c",
	  match_text, "processor\t:", NULL },
	{ "/proc/net/dev", "dev_seq_show() in net/core/net-procfs.c",
	  match_text, "Inter-|", NULL },
	{ "/proc/cmdline", "cmdline_proc_show() in fs/proc/cmdline.c",
	  match_text, "BOOT_IMAGE=", NULL },
	{ "a file system path", "getname() / d_path() callers",
	  match_path, NULL, NULL },
	{ "an Ethernet + IPv4 frame", "skb data (net/core/skbuff.c)",
	  match_ethernet, NULL, NULL },
};

const struct lx_signature *lx_signature_match(const uint8_t *obj, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++)
		if (signatures[i].match(&signatures[i], obj, len))
			return &signatures[i];
	return NULL;
}
