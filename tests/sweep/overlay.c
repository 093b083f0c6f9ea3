// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The overlay target: the standalone ops, except that every read goes
 * through libkdumpfile first and then gets the patches that overlap it,
 * and messages are counted rather than printed.  Both sides take the
 * struct overlay as their priv.
 */
#include <stdio.h>
#include <string.h>

#include "sweep.h"

struct lx_dump_ops overlay_dump_ops;
struct lx_host_ops overlay_host_ops;

/* Copy the part of one patch that falls in [addr, addr + len). */
static bool apply_patch(const struct patch *p, uint64_t addr, uint8_t *buf,
			size_t len)
{
	uint64_t off, skip, n;

	/* Offsets only: addr + len may wrap for hostile addresses. */
	if (p->addr >= addr) {
		off = p->addr - addr;
		if (off >= len)
			return false;
		n = len - off < p->len ? len - off : p->len;
		memcpy(buf + off, p->bytes, n);
	} else {
		skip = addr - p->addr;
		if (skip >= p->len)
			return false;
		n = p->len - skip < len ? p->len - skip : len;
		memcpy(buf, p->bytes + skip, n);
	}
	return true;
}

static bool overlay_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	struct overlay *ov = priv;
	unsigned int i;

	if (!sa_dump_ops.read(priv, addr, buf, len))
		return false;
	for (i = 0; i < ov->npatches; i++)
		if (apply_patch(&ov->patches[i], addr, buf, len))
			ov->hits++;
	return true;
}

static void overlay_message(struct lx_target *t, enum lx_msg_level level,
			    const char *text)
{
	struct overlay *ov = t->host_priv;

	if (ov->lines < SWEEP_MSG_KEEP)
		snprintf(ov->first[ov->lines], SWEEP_MSG_TEXT, "%s", text);
	ov->lines++;
	ov->bytes += strlen(text) + 1;
	if (level == LX_MSG_ERROR)
		ov->errors++;
	if (ov->echo)
		fprintf(stderr, "sweep: %s%s\n",
			level == LX_MSG_ERROR ? "error: " :
			level == LX_MSG_WARN ? "warning: " : "", text);
}

void overlay_init_ops(void)
{
	overlay_dump_ops = sa_dump_ops;
	overlay_dump_ops.read = overlay_read;
	overlay_host_ops = sa_host_ops;
	overlay_host_ops.message = overlay_message;
	overlay_host_ops.progress = NULL;
}

void overlay_reset_messages(struct overlay *ov)
{
	ov->hits = 0;
	ov->lines = 0;
	ov->errors = 0;
	ov->bytes = 0;
	memset(ov->first, 0, sizeof(ov->first));
}

int overlay_add(struct overlay *ov, uint64_t addr, const void *bytes,
		unsigned int len)
{
	struct patch *p;

	if (ov->npatches >= SWEEP_MAX_PATCHES || len > sizeof(p->bytes))
		return -1;
	p = &ov->patches[ov->npatches++];
	p->addr = addr;
	p->len = len;
	memcpy(p->bytes, bytes, len);
	return 0;
}

/*
 * Check the overlay by hand on a readable word at addr: a patch shows in
 * an exact read, in a read that starts inside it and in one that covers
 * it, and leaves the bytes around it alone.  0 when all hold.
 */
int overlay_self_test(struct overlay *ov, uint64_t addr)
{
	static const uint8_t hostile[8] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4 };
	uint8_t before[24], after[24];
	unsigned int saved = ov->npatches;
	int bad = 0;

	if (!overlay_dump_ops.read(ov, addr - 8, before, sizeof(before)) ||
	    overlay_add(ov, addr, hostile, sizeof(hostile)))
		return -1;
	if (!overlay_dump_ops.read(ov, addr - 8, after, sizeof(after)) ||
	    memcmp(after + 8, hostile, 8) || memcmp(after, before, 8) ||
	    memcmp(after + 16, before + 16, 8))
		bad++;
	if (!overlay_dump_ops.read(ov, addr, after, 8) || memcmp(after, hostile, 8))
		bad++;
	if (!overlay_dump_ops.read(ov, addr + 3, after, 10) ||
	    memcmp(after, hostile + 3, 5) || memcmp(after + 5, before + 16, 5))
		bad++;
	ov->npatches = saved;
	if (!overlay_dump_ops.read(ov, addr - 8, after, sizeof(after)) ||
	    memcmp(after, before, sizeof(before)))
		bad++;
	return bad ? -1 : 0;
}
