// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cluster engine, the cluster descriptions and the text and JSON
 * cluster reports over objects whose bytes come from the input.
 *
 * Input: one options byte, then templates, each
 *     [u16 length][u8 copies][length bytes]
 * A template fills copies + 1 objects of the fake kmalloc-512 cache (the
 * rest of each object stays zero).  Options bit 0 stamps the object index
 * into bytes 8..15 of each object (numbers that differ).  Objects fill full
 * slabs on the node's full list and one partial slab whose unused objects
 * are free.  The cache is walked and clustered once, then reported as text
 * (options bit 1: -a) or, with bit 3, as JSON (every cluster); bit 2
 * redacts; and cluster 1's members are listed (the command forms, leakdump included,
 * run in fuzz_commands).  Every cluster must be signed (nothing moves in a
 * dump), and the job's summary diffed and watched against itself (text or
 * JSON as above) must show no change.  The JSON must be valid, the text
 * safe for a terminal, and the core must free all it allocated.  With
 * options bit 4 the cache is clustered again on a host that starts
 * threads (slabpipe.c: two threads hash, one appends): the clusters must
 * be the same, member by member.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"
#include "fuzz_util.h"
#include "report/report.h"

#define FIRST_PFN 100
#define MAX_SLABS 24
#define MAX_OBJECTS (MAX_SLABS * FK_OBJS)

static void put_object(struct fake_kernel *fk, unsigned int i, const uint8_t *bytes,
		       size_t len, bool stamp)
{
	uint64_t addr = fk_obj(FIRST_PFN + i / FK_OBJS, i % FK_OBJS);
	uint64_t number = i * 7919u;

	fk_write(fk, addr, bytes, len);
	if (stamp)
		fk_write(fk, addr + 8, &number, sizeof(number));
}

/* Objects from the templates; returns how many. */
static unsigned int fill_objects(struct fake_kernel *fk, struct fz_input *in,
				 bool stamp)
{
	uint8_t bytes[FK_OBJ_SIZE];
	unsigned int n = 0, copies;
	size_t len;

	while (in->left && n < MAX_OBJECTS) {
		len = fz_u16(in) % (FK_OBJ_SIZE + 1);
		copies = fz_u8(in) + 1;
		len = fz_bytes(in, bytes, len);
		for (; copies && n < MAX_OBJECTS; copies--, n++) {
			if (n % FK_OBJS == 0)
				fk_add_slab(fk, FIRST_PFN + n / FK_OBJS, FK_OBJS, false);
			put_object(fk, n, bytes, len, stamp);
		}
	}
	return n;
}

/* Full slabs on the full list; the last one partial, on the partial list. */
static void link_slabs(struct fake_kernel *fk, unsigned int nobjects)
{
	unsigned long full[MAX_SLABS + 1] = { 0 }, partial[2] = { 0 };
	unsigned int nslabs = (nobjects + FK_OBJS - 1) / FK_OBJS, i, used;
	unsigned int free_idx[FK_OBJS];

	for (i = 0; i < nslabs; i++)
		full[i] = FIRST_PFN + i;
	used = nobjects % FK_OBJS;
	if (used) {
		unsigned long pfn = full[--nslabs];

		full[nslabs] = 0;
		partial[0] = pfn;
		for (i = used; i < FK_OBJS; i++)
			free_idx[i - used] = i;
		fk_w64(fk, fk_page(pfn) + 40, used | (FK_OBJS << 16));
		fk_set_slab_freelist(fk, pfn, fk_chain(fk, pfn, free_idx, FK_OBJS - used));
	}
	fk_node_list(fk, true, full);
	fk_node_list(fk, false, partial);
	fk_set_node_nr_slabs(fk, (nobjects + FK_OBJS - 1) / FK_OBJS);
}

static void check_output(struct fake_kernel *fk, bool json)
{
	fflush(fk->out);
	fz_check_report(fk->outbuf, fk->outlen, fk->messages, json);
	rewind(fk->out);
	fk->messages[0] = '\0';
}

static bool count_member(void *arg, uint64_t addr)
{
	(void)addr;
	++*(uint64_t *)arg;
	return true;
}

/* The job's summary against itself: --diff and a two-scan --watch. */
static void run_growth(struct fake_kernel *fk, const struct lx_options *opt,
		       const struct lx_cluster_job *job)
{
	struct lx_summary sum;
	const struct lx_summary *scans[2] = { &sum, &sum };
	size_t i;

	for (i = 0; i < job->cl.nclusters; i++)
		if (!job->cl.clusters[i].has_signature)
			fz_fail("a cluster of a dump is unsigned", NULL, 0);
	if (!lx_summary_from_job(&sum, opt, job))
		return;
	if (opt->json) {
		lx_diff_json(fk->out, opt, &sum, &sum);
		lx_watch_json(fk->out, opt, scans, 2, 2);
	} else {
		lx_diff_text(fk->out, opt, &sum, &sum);
		lx_watch_text(fk->out, opt, scans, 2, 2);
	}
	fflush(fk->out);
	if (opt->json && fk->outlen && (strstr(fk->outbuf, "\"appeared\":1") ||
					strstr(fk->outbuf, "\"status\":\"vanished\"")))
		fz_fail("a summary diffed with itself changed", fk->outbuf, fk->outlen);
	lx_summary_free(&sum);
	check_output(fk, opt->json);
}

static bool same_clusters(const struct lx_clusterer *a, const struct lx_clusterer *b)
{
	size_t i;

	if (a->count != b->count || a->nclusters != b->nclusters)
		return false;
	if (a->count && (memcmp(a->addrs, b->addrs, a->count * sizeof(*a->addrs)) ||
			 memcmp(a->member_of, b->member_of, a->count * sizeof(*a->member_of))))
		return false;
	for (i = 0; i < a->nclusters; i++)
		if (a->clusters[i].count != b->clusters[i].count ||
		    a->clusters[i].signature != b->clusters[i].signature ||
		    memcmp(a->clusters[i].samples, b->clusters[i].samples,
			   sizeof(a->clusters[i].samples)))
			return false;
	return true;
}

/* The cache clustered on a host with threads: the same clusters as job's. */
static void check_threaded(struct fake_kernel *fk, const struct lx_cluster_job *job)
{
	struct lx_session s = { .t = &fk->target };
	struct lx_cluster_job threaded;
	struct lx_cache cache;

	fk_set_threads(fk, FK_THREADS);
	if (!lx_layout_init(&s) && !lx_cache_read(&s, FK_CACHE, &cache) &&
	    !lx_cluster_job_run(&s, &cache, &threaded, false)) {
		if (!same_clusters(&job->cl, &threaded.cl))
			fz_fail("clusters differ when two threads hash", NULL, 0);
		lx_cluster_job_free(&s, &threaded);
	}
	lx_session_fini(&s);
	fk_set_threads(fk, FK_NO_THREADS);
}

static void run_reports(struct fake_kernel *fk, uint8_t options)
{
	struct lx_options text = { .all = options & 2, .redact = options & 4 };
	struct lx_options json = { .json = true, .all = true, .redact = options & 4 };
	struct lx_options *opt = options & 8 ? &json : &text;
	struct lx_session s = { .t = &fk->target };
	struct lx_cluster_report rep;
	struct lx_cluster_job job;
	struct lx_cache cache;
	uint64_t members = 0;

	if (lx_layout_init(&s) || lx_cache_read(&s, FK_CACHE, &cache) ||
	    lx_cluster_job_run(&s, &cache, &job, false)) {
		lx_session_fini(&s);
		return;
	}
	if (!lx_cluster_report_build(&s, opt, &job, &rep)) {
		if (opt->json)
			lx_cluster_report_json(fk->out, opt, &rep);
		else
			lx_cluster_report_text(fk->out, &rep);
		lx_cluster_report_free(&s, &rep);
	}
	check_output(fk, options & 8);
	run_growth(fk, opt, &job);
	if (options & 16)
		check_threaded(fk, &job);
	if (job.cl.nclusters) {
		lx_cluster_for_each_member(&job.cl, 0, count_member, &members);
		if (members != job.cl.clusters[0].count)
			fz_fail("cluster 1 lists a different number of members", NULL, 0);
	}
	lx_cluster_job_free(&s, &job);
	lx_session_fini(&s);
	lx_msg_flush(&fk->target);
	check_output(fk, false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_input in = { data, size };
	struct fake_kernel *fk = malloc(sizeof(*fk));
	uint8_t options = fz_u8(&in);
	unsigned int n;

	fk_init(fk, LX_FP_XOR_SWAB);
	n = fill_objects(fk, &in, options & 1);
	if (n)
		link_slabs(fk, n);
	run_reports(fk, options);
	if (fk->live_allocs)
		fz_fail("the core leaked target allocations", NULL, 0);
	fk_fini(fk);
	free(fk);
	return 0;
}
