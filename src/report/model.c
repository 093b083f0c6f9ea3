// SPDX-License-Identifier: GPL-2.0-or-later
/* The cluster report's model (model.h): analysis done, nothing rendered. */
#include <string.h>

#include "analysis/refs.h"
#include "report/model.h"

/* Which ranks to describe: [first, first + n). */
static enum lx_status pick_clusters(struct lx_session *s, const struct lx_options *opt,
				    const struct lx_cluster_job *job,
				    struct lx_cluster_report *rep)
{
	size_t total = job->cl.nclusters;
	unsigned int top = opt->top ? opt->top : LX_DEFAULT_TOP;
	enum lx_status ret;

	if (opt->cluster) {
		ret = lx_cluster_job_check(s, job, opt->cluster);
		rep->first = opt->cluster - 1;
		rep->n = 1;
		return ret;
	}
	rep->first = 0;
	rep->n = opt->all || top > total ? total : top;
	return LX_OK;
}

/* -r: one reachability pass for the described clusters' members. */
static enum lx_status find_holders(struct lx_session *s, struct lx_cluster_report *rep)
{
	const struct lx_cluster_job *job = rep->job;
	struct lx_walk_notes notes = {
		.scan = &job->scan, .misses = job->misses,
		.lo = job->words_lo, .hi = job->words_hi,
	};
	struct lx_reach reach;
	enum lx_status ret;

	ret = lx_describe_holders(s, &job->cl, rep->descs, rep->first, rep->n, &notes,
				  &reach);
	if (ret)
		return ret;
	lx_reach_warn_limits(s, &reach);
	lx_reach_free(s, &reach);
	return LX_OK;
}

static enum lx_status describe_all(struct lx_session *s, struct lx_cluster_report *rep)
{
	const struct lx_cluster_job *job = rep->job;
	struct lx_describe_work *work;
	struct lx_tracks tracks;
	enum lx_status ret = LX_OK;
	unsigned int i;

	lx_tracks_init(s, &job->cache, &tracks);
	work = lx_describe_begin(s, &job->cache);
	if (!work)
		return LX_ENOMEM;
	for (i = rep->first; i < rep->first + rep->n && !ret; i++)
		ret = lx_describe_cluster(s, work, job->ranges, job->nranges, &tracks,
					  &rep->descs[i]);
	lx_describe_end(s, work);
	return ret;
}

enum lx_status lx_cluster_report_build(struct lx_session *s, const struct lx_options *opt,
				       const struct lx_cluster_job *job,
				       struct lx_cluster_report *rep)
{
	enum lx_status ret;

	memset(rep, 0, sizeof(*rep));
	rep->job = job;
	rep->redact = opt->redact;
	ret = pick_clusters(s, opt, job, rep);
	if (ret || !(rep->first + rep->n))
		return ret;
	rep->descs = lx_alloc(s->t, (rep->first + rep->n) * sizeof(*rep->descs));
	if (!rep->descs)
		return LX_ENOMEM;
	lx_describe_prepare(&job->cl, rep->descs, rep->first + rep->n);
	rep->holders = lx_options_holders(opt) && rep->n;
	ret = rep->holders ? find_holders(s, rep) : LX_OK;
	if (!ret)
		ret = describe_all(s, rep);
	if (ret)
		lx_cluster_report_free(s, rep);
	return ret;
}

void lx_cluster_report_free(struct lx_session *s, struct lx_cluster_report *rep)
{
	lx_free(s->t, rep->descs);
	rep->descs = NULL;
}
