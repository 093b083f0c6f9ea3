// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one command entry both front ends call (leakext.h): it opens a
 * session on the target, runs the analysis a command needs, has the report
 * layer render the finished model, and says how it ended.  Nothing below
 * this layer knows which command runs.
 */
#include <string.h>

#include "report/report.h"
#include "slab/cachename.h"

/*
 * The ranking's line for large kmalloc allocations: counted where the
 * kernel can tell them (a page type, or page_owner), quietly skipped
 * where it cannot.
 */
static enum lx_status count_large(struct lx_session *s, struct lx_ranking *r)
{
	struct lx_large_result large;
	struct lx_page_ext E;
	enum lx_status ret;

	if (lx_large_basis(s, &E) == LX_LARGE_NONE)
		return LX_OK;
	ret = lx_large_find(s, &large);
	if (ret == LX_ENOMEM || ret == LX_EINTR)
		return ret;
	if (!ret) {
		r->large_count = large.count;
		r->large_bytes = large.bytes;
		lx_large_free(s, &large);
	}
	return LX_OK;
}

/* leakscan with no cache: every cache's counts. */
static enum lx_status run_ranking(struct lx_session *s, const struct lx_options *opt)
{
	struct lx_ranking r;
	enum lx_status ret = lx_ranking_build(s, opt, &r);

	if (!ret)
		ret = count_large(s, &r);
	if (ret == LX_ENOMEM || ret == LX_EINTR)
		lx_ranking_free(s, &r);
	if (ret)
		return ret;
	if (opt->json)
		lx_ranking_json(s->t->out, opt, &r);
	else if (r.count)
		lx_ranking_text(s->t->out, opt, &r);
	lx_ranking_free(s, &r);
	return LX_OK;
}

/* leakscan CACHE: the walk's summary and the clusters' descriptions. */
static enum lx_status run_cluster_report(struct lx_session *s, const struct lx_options *opt,
					 const struct lx_cache *cache)
{
	struct lx_cluster_report rep;
	struct lx_cluster_job job;
	enum lx_status ret;

	ret = lx_cluster_job_run(s, cache, &job, lx_options_holders(opt));
	if (ret)
		return ret;
	ret = lx_cluster_report_build(s, opt, &job, &rep);
	if (!ret && opt->json) {
		lx_cluster_report_json(s->t->out, opt, &rep);
	} else if (!ret) {
		lx_print_cache_summary(s->t->out, &job.scan, lx_addr_digits(s->t));
		lx_cluster_report_text(s->t->out, &rep);
	}
	lx_cluster_report_free(s, &rep);
	lx_cluster_job_free(s, &job);
	return ret;
}

/* The objects a command works on: the cache's live ones, or (-k) one cluster's. */
struct selection {
	uint32_t cluster;		/* 0: every live object */
	struct lx_scan scan;
	struct lx_cluster_job job;
};

static enum lx_status select_objects(struct lx_session *s, const struct lx_options *opt,
				     const struct lx_cache *cache, struct selection *sel)
{
	enum lx_status ret;

	sel->cluster = opt->cluster;
	if (!sel->cluster)
		return lx_scan_cache(s, cache, &sel->scan);
	ret = lx_cluster_job_run(s, cache, &sel->job, false);
	if (ret)
		return ret;
	ret = lx_cluster_job_check(s, &sel->job, sel->cluster);
	if (ret)
		lx_cluster_job_free(s, &sel->job);
	return ret;
}

static uint64_t selection_count(const struct selection *sel)
{
	return sel->cluster ? sel->job.cl.clusters[sel->cluster - 1].count : sel->scan.live;
}

static void selection_for_each(const struct selection *sel,
			       bool (*fn)(void *arg, uint64_t addr), void *arg)
{
	if (sel->cluster)
		lx_cluster_for_each_member(&sel->job.cl, sel->cluster - 1, fn, arg);
	else
		lx_for_each_live_object(&sel->scan, fn, arg);
}

static void selection_free(struct lx_session *s, struct selection *sel)
{
	if (sel->cluster)
		lx_cluster_job_free(s, &sel->job);
	else
		lx_scan_free(s, &sel->scan);
}

/* leakscan -l CACHE: every live object; with -k, one cluster's members. */
static enum lx_status run_list(struct lx_session *s, const struct lx_options *opt,
			       const struct lx_cache *cache)
{
	struct selection sel;
	enum lx_status ret = select_objects(s, opt, cache, &sel);

	if (ret)
		return ret;
	selection_for_each(&sel, lx_print_address, s->t->out);
	selection_free(s, &sel);
	return LX_OK;
}

/*
 * The reachability pass, whose warnings are said before any output; with
 * notes, the heap takes their cache's walk and skips what they noted.
 */
static enum lx_status reach_prepare(struct lx_session *s, struct lx_reach *r,
				    const uint64_t *target, const struct lx_word_notes *notes)
{
	enum lx_status ret = lx_reach_init_with(s, r, notes ? &notes->scan : NULL);

	if (ret)
		return ret;
	if (target && !lx_reach_target(s, r, *target)) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "%#llx is not inside a slab object (outside every slab, or in a red zone or padding)",
		       (unsigned long long)*target);
		lx_reach_free(s, r);
		return LX_EABSENT;
	}
	if (notes)
		lx_reach_apply_notes(r, notes);
	ret = lx_reach_run(s, r);
	if (ret)
		lx_reach_free(s, r);
	else
		lx_reach_warn_limits(s, r);
	return ret;
}

/* leakrefs ADDR: the object containing addr and every word pointing into it. */
static enum lx_status run_refs(struct lx_session *s, const struct lx_options *opt)
{
	struct lx_reach r;
	enum lx_status ret = reach_prepare(s, &r, &opt->address, NULL);

	if (ret)
		return ret;
	lx_print_refs(s, &r, opt->address);
	lx_reach_free(s, &r);
	return LX_OK;
}

/* leakscan -u CACHE: live objects (-k: of one cluster) no root reaches. */
static enum lx_status run_unreferenced(struct lx_session *s, const struct lx_options *opt,
				       const struct lx_cache *cache)
{
	struct lx_unreferenced u = { 0 };
	struct lx_word_notes notes = { 0 };
	struct lx_cluster_job job;
	struct lx_kmemleak kml = { 0 };
	struct lx_depot depot;
	struct lx_reach r;
	enum lx_status ret = LX_OK;

	if (opt->cluster) {
		ret = lx_cluster_job_run(s, cache, &job, false);
		if (ret)
			return ret;
		ret = lx_cluster_job_check(s, &job, opt->cluster);
	} else {
		ret = lx_word_notes_walk(s, cache, &notes);
	}
	if (!ret)
		ret = lx_kmemleak_read(s, &kml);
	if (!ret && kml.present) {
		lx_depot_init(s, &depot);
		u.depot = &depot;
		u.s = s;
	}
	u.kml = &kml;
	if (!ret)
		ret = reach_prepare(s, &r, NULL, opt->cluster ? NULL : &notes);
	if (!ret && opt->cluster)
		lx_print_unreferenced_cluster(s->t->out, &r, &job.cl, opt->cluster - 1, &u);
	else if (!ret)
		lx_print_unreferenced_cache(s->t->out, &r, cache->addr, &u);
	if (!ret) {
		lx_note_unreferenced(s, &r, &u);
		lx_reach_free(s, &r);
	}
	lx_kmemleak_free(s, &kml);
	if (opt->cluster)
		lx_cluster_job_free(s, &job);
	else
		lx_word_notes_free(s, &notes);
	return ret;
}

/* leakdump CACHE: live objects (-k: of one cluster) as hex or as a type. */
static enum lx_status run_dump(struct lx_session *s, const struct lx_options *opt,
			       const struct lx_cache *cache)
{
	struct selection sel;
	struct lx_dump *dump;
	enum lx_status ret = select_objects(s, opt, cache, &sel);

	if (ret)
		return ret;
	dump = lx_dump_begin(s, opt, cache, selection_count(&sel));
	ret = LX_ENOMEM;
	if (dump) {
		selection_for_each(&sel, lx_dump_object, dump);
		ret = lx_dump_end(dump);
	}
	selection_free(s, &sel);
	return ret;
}

/* --allocinfo: /proc/allocinfo from the dump, largest first. */
static enum lx_status run_allocinfo(struct lx_session *s, const struct lx_options *opt)
{
	struct lx_alloctag A;
	struct lx_site_table t;
	enum lx_status ret = lx_alloctag_init(s, &A);

	if (!ret && !A.present) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "this kernel records no alloc tags (no CONFIG_MEM_ALLOC_PROFILING: struct slab has no obj_exts, or no struct alloc_tag)");
		ret = LX_EABSENT;
	}
	if (!ret)
		ret = lx_allocinfo_build(s, &A, &t);
	lx_alloctag_fini(s, &A);
	if (ret)
		return ret;
	if (opt->json)
		lx_allocinfo_json(s->t->out, opt, &t);
	else
		lx_allocinfo_text(s->t->out, opt, &t);
	lx_site_table_free(s, &t);
	return LX_OK;
}

/* --large: large kmalloc allocations, by owner and site. */
static enum lx_status run_large(struct lx_session *s, const struct lx_options *opt)
{
	struct lx_large_result r;
	enum lx_status ret = lx_large_find(s, &r);

	if (ret)
		return ret;
	if (opt->json)
		lx_large_json(s, s->t->out, opt, &r);
	else
		lx_large_text(s, s->t->out, opt, &r);
	lx_large_free(s, &r);
	return LX_OK;
}

static enum lx_status run_command(struct lx_session *s, const struct lx_options *opt)
{
	struct lx_cache cache;
	enum lx_status ret;

	if (opt->allocinfo)
		return run_allocinfo(s, opt);
	if (opt->large)
		return run_large(s, opt);
	if (opt->refs)
		return run_refs(s, opt);
	if (!opt->cache)
		return run_ranking(s, opt);
	ret = lx_cache_lookup(s, opt->cache, &cache);
	if (ret)
		return ret;
	if (opt->dump)
		return run_dump(s, opt, &cache);
	if (opt->unreferenced)
		return run_unreferenced(s, opt, &cache);
	if (opt->list_live)
		return run_list(s, opt, &cache);
	return run_cluster_report(s, opt, &cache);
}

/* What a session runs once the layout is known. */
typedef enum lx_status (*session_fn)(struct lx_session *s, const struct lx_options *opt,
				     void *arg);

/* Check the options, open a session on t, run fn, and say how it ended. */
static enum lx_status run_session(struct lx_target *t, const struct lx_options *opt,
				  struct lx_result *res, session_fn fn, void *arg)
{
	struct lx_session s = { .t = t, .hints = opt->hints, .nhints = opt->nhints };
	char why[256];
	enum lx_status ret;

	memset(res, 0, sizeof(*res));
	ret = lx_options_check(opt, why, sizeof(why));
	if (ret)
		lx_msg(t, LX_MSG_ERROR, "%s", why);
	else
		ret = lx_layout_init(&s);
	if (!ret)
		ret = fn(&s, opt, arg);
	if (ret == LX_EINTR)
		lx_msg(t, LX_MSG_ERROR, "interrupted");
	lx_session_fini(&s);
	lx_msg_flush(t);
	res->status = ret;
	res->flagged = s.flagged;
	if (ret)
		snprintf(res->message, sizeof(res->message), "%s",
			 t->error[0] ? t->error : lx_status_text(ret));
	return ret;
}

static enum lx_status command_fn(struct lx_session *s, const struct lx_options *opt,
				 void *arg)
{
	(void)arg;
	return run_command(s, opt);
}

enum lx_status lx_run(struct lx_target *t, const struct lx_options *opt,
		      struct lx_result *res)
{
	return run_session(t, opt, res, command_fn, NULL);
}

/* The cache's clusters by signature, or (no cache) every cache's counts. */
static enum lx_status summary_fn(struct lx_session *s, const struct lx_options *opt,
				 void *arg)
{
	struct lx_summary *sum = arg;
	struct lx_cluster_job job;
	struct lx_ranking r;
	struct lx_cache cache;
	enum lx_status ret;
	bool ok;

	if (!opt->cache) {
		ret = lx_ranking_build(s, opt, &r);
		if (ret)
			return ret;
		ok = lx_summary_from_ranking(sum, opt, &r);
		lx_ranking_free(s, &r);
		return ok ? LX_OK : LX_ENOMEM;
	}
	ret = lx_cache_lookup(s, opt->cache, &cache);
	if (!ret)
		ret = lx_cluster_job_run(s, &cache, &job, false);
	if (ret)
		return ret;
	ok = lx_summary_from_job(sum, opt, &job);
	lx_cluster_job_free(s, &job);
	return ok ? LX_OK : LX_ENOMEM;
}

enum lx_status lx_summarize(struct lx_target *t, const struct lx_options *opt,
			    struct lx_summary *sum, struct lx_result *res)
{
	enum lx_status ret;

	memset(sum, 0, sizeof(*sum));
	ret = run_session(t, opt, res, summary_fn, sum);
	if (ret)
		lx_summary_free(sum);
	return ret;
}
