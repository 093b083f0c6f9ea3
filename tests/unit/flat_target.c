// SPDX-License-Identifier: GPL-2.0-or-later
/* A target over one run of bytes (flat_target.h). */
#include <stdlib.h>
#include <string.h>

#include "flat_target.h"

static bool flat_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	const struct flat_target *f = priv;

	if (addr < FLAT_BASE || addr - FLAT_BASE > f->size ||
	    f->size - (addr - FLAT_BASE) < len)
		return false;
	memcpy(buf, f->mem + (addr - FLAT_BASE), len);
	return true;
}

static bool flat_symbol(void *priv, const char *name, uint64_t *addr)
{
	(void)priv;
	*addr = FLAT_BASE;
	return !strcmp(name, "modules");
}

static void *flat_alloc(void *priv, size_t size)
{
	struct flat_target *f = priv;
	void *p = calloc(1, size);

	f->live_allocs += p != NULL;
	return p;
}

static void flat_release(void *priv, void *ptr)
{
	struct flat_target *f = priv;

	f->live_allocs--;
	free(ptr);
}

static void flat_message(void *priv, enum lx_msg_level level, const char *text)
{
	struct flat_target *f = priv;

	(void)level;
	snprintf(f->last_message, sizeof(f->last_message), "%s", text);
}

static const struct lx_target_ops flat_ops = {
	.read = flat_read, .symbol = flat_symbol, .alloc = flat_alloc,
	.release = flat_release, .message = flat_message,
};

void flat_init(struct flat_target *f, const uint8_t *mem, size_t size)
{
	memset(f, 0, sizeof(*f));
	f->target.ops = &flat_ops;
	f->target.priv = f;
	f->mem = mem;
	f->size = size;
}
