// SPDX-License-Identifier: GPL-2.0-or-later
/* leakdump: show the live objects of a cache or of one of its clusters. */
#include <string.h>

#include "leakext/report.h"

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

static void hex_ascii(FILE *out, uint64_t addr, const uint8_t *p, size_t len)
{
	size_t i, j;

	for (i = 0; i < len; i += 16) {
		fprintf(out, "%llx:  ", (unsigned long long)(addr + i));
		for (j = i; j < i + 16; j++) {
			if (j < len)
				fprintf(out, "%02x ", p[j]);
			else
				fputs("   ", out);
			if (j == i + 7)
				fputc(' ', out);
		}
		fputc(' ', out);
		for (j = i; j < i + 16 && j < len; j++)
			fputc(p[j] >= 0x20 && p[j] < 0x7f ? p[j] : '.', out);
		fputc('\n', out);
	}
}

/* false stops the dump. */
static bool dump_one(struct dump_state *st, uint64_t addr)
{
	struct lx_target *t = st->s->t;

	if (st->limit && st->shown >= st->limit)
		return false;
	if (lx_interrupted(t))
		return false;
	st->shown++;
	fprintf(t->out, "%s%llx  (live object %llu of %llu)\n", st->shown > 1 ? "\n" : "",
		(unsigned long long)addr, (unsigned long long)st->shown,
		(unsigned long long)st->total);
	if (st->opt->type) {
		if (!t->ops->print_type ||
		    !t->ops->print_type(t->priv, st->opt->type, addr)) {
			lx_msg(t, LX_MSG_ERROR,
			       "cannot print struct %s here: the type is unknown (a module's type needs its debuginfo, in crash: mod -s MODULE)",
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
	hex_ascii(t->out, addr, st->buf, st->bytes);
	return true;
}

static void dump_cache(struct dump_state *st, const struct lx_scan *scan)
{
	size_t i;
	uint32_t j;

	st->total = scan->live;
	for (i = 0; i < scan->nslabs; i++)
		for (j = 0; j < scan->slabs[i].objects; j++)
			if (!lx_object_is_free(scan, &scan->slabs[i], j) &&
			    !dump_one(st, lx_object_addr(scan, &scan->slabs[i], j)))
				return;
}

static int dump_cluster(struct dump_state *st, const struct lx_cluster_job *job)
{
	unsigned int k = st->opt->cluster;
	size_t i;

	if (k > job->cl.nclusters) {
		lx_msg(st->s->t, LX_MSG_ERROR, "%s has %zu clusters, not %u",
		       job->cache.name, job->cl.nclusters, k);
		return -1;
	}
	st->total = job->cl.clusters[k - 1].count;
	for (i = 0; i < job->cl.count; i++)
		if (job->cl.member_of[i] == k - 1 && !dump_one(st, job->cl.addrs[i]))
			break;
	return 0;
}

static int dump_selected(struct dump_state *st)
{
	struct lx_session *s = st->s;
	struct lx_cluster_job job;
	struct lx_cache cache;
	struct lx_scan scan;
	int ret;

	if (st->opt->cluster) {
		if (lx_cluster_job_run(s, st->opt->cache, &job))
			return -1;
		ret = dump_cluster(st, &job);
		lx_cluster_job_free(s, &job);
		return ret;
	}
	if (lx_report_find_cache(s, st->opt->cache, &cache) ||
	    lx_scan_cache(s, &cache, &scan))
		return -1;
	dump_cache(st, &scan);
	lx_scan_free(s, &scan);
	return 0;
}

int lx_leakdump(struct lx_session *s, const struct lx_options *opt)
{
	struct dump_state st = { .s = s, .opt = opt };
	struct lx_cache cache;
	int ret = -1;

	if (lx_layout_init(s))
		return -1;
	if (lx_report_find_cache(s, opt->cache, &cache))
		goto out;
	st.limit = opt->count == LX_DUMP_ALL ? 0 :
		   opt->count ? opt->count : DEFAULT_DUMP_COUNT;
	st.bytes = opt->bytes ? opt->bytes : DEFAULT_DUMP_BYTES;
	if (st.bytes > cache.object_size)
		st.bytes = cache.object_size;
	if (st.bytes > MAX_DUMP_BYTES)
		st.bytes = MAX_DUMP_BYTES;
	st.buf = lx_alloc(s->t, st.bytes);
	if (!st.buf)
		goto out;
	ret = dump_selected(&st);
	if (st.failed)
		ret = -1;
	if (!ret && st.total > st.shown)
		fprintf(s->t->out, "\n%llu of %llu shown; -c N shows more, -c 0 all\n",
			(unsigned long long)st.shown, (unsigned long long)st.total);
	lx_free(s->t, st.buf);
out:
	lx_session_fini(s);
	return ret;
}
