// SPDX-License-Identifier: GPL-2.0-or-later
/* leakdump: show the live objects of a cache or of one of its clusters. */
#include <string.h>

#include "report/report.h"

#define DEFAULT_DUMP_COUNT 8
#define DEFAULT_DUMP_BYTES 256
#define MAX_DUMP_BYTES (64u << 10)

struct dump_state {
	struct lx_session *s;
	const struct lx_options *opt;
	uint8_t *buf;
	size_t bytes;
	uint64_t shown, limit, total;
	bool failed;
};

/* false stops the dump. */
static bool dump_one(void *arg, uint64_t addr)
{
	struct dump_state *st = arg;
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
	if (st->opt->type) {
		if (!lx_print_type(t, st->opt->type, addr)) {
			lx_msg(t, LX_MSG_ERROR,
			       "cannot print struct %s here: the type is unknown (a module's type needs that module's BTF in the dump, or in crash its debuginfo: mod -s MODULE)",
			       st->opt->type);
			st->failed = true;
			return false;
		}
		return true;
	}
	if (!lx_read(t, addr, st->buf, st->bytes)) {
		fprintf(t->out, "  (unreadable)\n");
		return true;
	}
	for (i = 0; i < st->bytes; i += 16)
		lx_print_hex_line(t->out, "", addr + i, 0, st->buf + i,
				  st->bytes - i < 16 ? st->bytes - i : 16);
	return true;
}

static enum lx_status dump_selected(struct dump_state *st, const struct lx_cache *cache)
{
	struct lx_session *s = st->s;
	unsigned int k = st->opt->cluster;
	struct lx_cluster_job job;
	struct lx_scan scan;
	enum lx_status ret;

	if (k) {
		ret = lx_cluster_job_run(s, cache, &job);
		if (ret)
			return ret;
		ret = lx_cluster_job_check(s, &job, k);
		if (!ret) {
			st->total = job.cl.clusters[k - 1].count;
			lx_cluster_for_each_member(&job.cl, k - 1, dump_one, st);
		}
		lx_cluster_job_free(s, &job);
		return ret;
	}
	ret = lx_scan_cache(s, cache, &scan);
	if (ret)
		return ret;
	st->total = scan.live;
	lx_for_each_live_object(&scan, dump_one, st);
	lx_scan_free(s, &scan);
	return LX_OK;
}

enum lx_status lx_leakdump(struct lx_session *s, const struct lx_options *opt)
{
	struct dump_state st = { .s = s, .opt = opt };
	struct lx_cache cache;
	enum lx_status ret;

	if (opt->redact) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "a dump shows object content, which a redacted report leaves out");
		return LX_EABSENT;
	}
	ret = lx_layout_init(s);
	if (!ret)
		ret = lx_report_find_cache(s, opt->cache, &cache);
	if (ret)
		goto out;
	st.limit = opt->count == LX_DUMP_ALL ? 0 :
		   opt->count ? opt->count : DEFAULT_DUMP_COUNT;
	st.bytes = opt->bytes ? opt->bytes : DEFAULT_DUMP_BYTES;
	if (st.bytes > cache.object_size)
		st.bytes = cache.object_size;
	if (st.bytes > MAX_DUMP_BYTES)
		st.bytes = MAX_DUMP_BYTES;
	st.buf = lx_alloc(s->t, st.bytes);
	ret = LX_ENOMEM;
	if (!st.buf)
		goto out;
	ret = dump_selected(&st, &cache);
	if (!ret && st.failed)
		ret = LX_EABSENT;	/* the -s type is unknown */
	if (!ret && st.total > st.shown)
		fprintf(s->t->out, "\n%llu of %llu shown; -c N shows more, -c 0 all\n",
			(unsigned long long)st.shown, (unsigned long long)st.total);
	lx_free(s->t, st.buf);
out:
	lx_session_fini(s);
	lx_msg_flush(s->t);
	return ret;
}
