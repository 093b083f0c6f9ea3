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

static void *flat_alloc(struct lx_target *t, size_t size)
{
	struct flat_target *f = t->host_priv;
	void *p = calloc(1, size);

	f->live_allocs += p != NULL;
	return p;
}

static void flat_release(struct lx_target *t, void *ptr)
{
	struct flat_target *f = t->host_priv;

	f->live_allocs--;
	free(ptr);
}

static void flat_message(struct lx_target *t, enum lx_msg_level level,
			 const char *text)
{
	struct flat_target *f = t->host_priv;

	(void)level;
	snprintf(f->last_message, sizeof(f->last_message), "%s", text);
}

static const struct lx_dump_ops flat_dump_ops = {
	.read = flat_read, .symbol = flat_symbol,
};

static const struct lx_host_ops flat_host_ops = {
	.alloc = flat_alloc, .release = flat_release, .message = flat_message,
};

void flat_init(struct flat_target *f, const uint8_t *mem, size_t size)
{
	memset(f, 0, sizeof(*f));
	f->target.dump = &flat_dump_ops;
	f->target.dump_priv = f;
	f->target.host = &flat_host_ops;
	f->target.host_priv = f;
	f->mem = mem;
	f->size = size;
}
