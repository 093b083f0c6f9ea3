// SPDX-License-Identifier: GPL-2.0-or-later
/* leakdump: show the live objects of a cache or of one of its clusters. */
#include <string.h>

#include "report/report.h"

#define DEFAULT_DUMP_COUNT 8
#define DEFAULT_DUMP_BYTES 256
#define MAX_DUMP_BYTES (64u << 10)

struct lx_dump {
	struct lx_session *s;
	const struct lx_options *opt;
	uint8_t *buf;
	size_t bytes;
	uint64_t shown, limit, total;
	bool failed;
};

struct lx_dump *lx_dump_begin(struct lx_session *s, const struct lx_options *opt,
			      const struct lx_cache *cache, uint64_t total)
{
	struct lx_dump *st = lx_alloc(s->t, sizeof(*st));

	if (!st)
		return NULL;
	st->s = s;
	st->opt = opt;
	st->total = total;
	st->limit = opt->count == LX_DUMP_ALL ? 0 :
		    opt->count ? opt->count : DEFAULT_DUMP_COUNT;
	st->bytes = opt->bytes ? opt->bytes : DEFAULT_DUMP_BYTES;
	if (st->bytes > cache->object_size)
		st->bytes = cache->object_size;
	if (st->bytes > MAX_DUMP_BYTES)
		st->bytes = MAX_DUMP_BYTES;
	st->buf = lx_alloc(s->t, st->bytes);
	if (!st->buf) {
		lx_free(s->t, st);
		return NULL;
	}
	return st;
}

static bool print_as_type(struct lx_dump *st, uint64_t addr)
{
	struct lx_target *t = st->s->t;

	if (lx_print_type(t, st->opt->type, addr))
		return true;
	lx_msg(t, LX_MSG_ERROR,
	       "cannot print struct %s here: the type is unknown (a module's type needs that module's BTF in the dump, or in crash its debuginfo: mod -s MODULE)",
	       st->opt->type);
	st->failed = true;
	return false;
}

bool lx_dump_object(void *dump, uint64_t addr)
{
	struct lx_dump *st = dump;
	struct lx_target *t = st->s->t;
	size_t i;

	if (st->limit && st->shown >= st->limit)
		return false;
	if (lx_interrupted(t))
		return false;
	st->shown++;
	fprintf(t->out, "%s%llx  (live object %llu of %llu)\n", st->shown > 1 ? "\n" : "",
		(unsigned long long)addr, (unsigned long long)st->shown,
		(unsigned long long)st->total);
	if (st->opt->type)
		return print_as_type(st, addr);
	if (!lx_read(t, addr, st->buf, st->bytes)) {
		fprintf(t->out, "  (unreadable)\n");
		return true;
	}
	for (i = 0; i < st->bytes; i += 16)
		lx_print_hex_line(t->out, "", addr + i, 0, st->buf + i,
				  st->bytes - i < 16 ? st->bytes - i : 16);
	return true;
}

enum lx_status lx_dump_end(struct lx_dump *st)
{
	struct lx_target *t = st->s->t;
	enum lx_status ret = LX_OK;

	if (st->failed)
		ret = LX_EABSENT;	/* the -s type is unknown */
	else if (lx_interrupted(t))
		ret = LX_EINTR;
	else if (st->total > st->shown)
		fprintf(t->out, "\n%llu of %llu shown; -c N shows more, -c 0 all\n",
			(unsigned long long)st->shown, (unsigned long long)st->total);
	lx_free(t, st->buf);
	lx_free(t, st);
	return ret;
}
