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

/* One cluster's members' tags, looked up in the cache's tag map. */
struct member_tags {
	const struct lx_tag_map *map;
	uint64_t *tags;
	size_t n, cap;
};

static bool note_member_tag(void *arg, uint64_t addr)
{
	struct member_tags *m = arg;

	if (m->n < m->cap)
		m->tags[m->n++] = lx_tag_map_find(m->map, addr);
	return true;
}

static enum lx_status cluster_sites(struct lx_session *s, struct lx_cluster_report *rep,
				    const struct lx_alloctag *A, const struct lx_tag_map *map,
				    unsigned int i)
{
	const struct lx_cluster_job *job = rep->job;
	struct member_tags m = { .map = map, .cap = rep->descs[i].cluster->count };
	enum lx_status ret;

	m.tags = lx_alloc(s->t, (m.cap + 1) * sizeof(*m.tags));
	if (!m.tags)
		return LX_ENOMEM;
	lx_cluster_for_each_member(&job->cl, i, note_member_tag, &m);
	ret = lx_site_table_from_tags(s, A, m.tags, m.n, job->cache.size,
				      &rep->cluster_sites[i - rep->first]);
	lx_free(s->t, m.tags);
	if (!ret)
		rep->descs[i].tag_sites = &rep->cluster_sites[i - rep->first];
	return ret;
}

/*
 * Alloc tags, where the kernel records them: every live object's site,
 * per cache and per described cluster.  Nothing when it does not.
 */
static enum lx_status find_tag_sites(struct lx_session *s, struct lx_cluster_report *rep)
{
	struct lx_alloctag A;
	struct lx_tag_map map = { 0 };
	enum lx_status ret = lx_alloctag_init(s, &A);
	uint64_t *tags = NULL;
	unsigned int i;
	size_t k;

	if (ret || !A.present)
		goto out;
	rep->cluster_sites = lx_alloc(s->t, rep->n * sizeof(*rep->cluster_sites) + 1);
	ret = rep->cluster_sites ? lx_tag_map_build(s, &A, &rep->job->scan, &map) : LX_ENOMEM;
	if (!ret) {
		tags = lx_alloc(s->t, (map.count + 1) * sizeof(*tags));
		ret = tags ? LX_OK : LX_ENOMEM;
	}
	if (!ret) {
		for (k = 0; k < map.count; k++)
			tags[k] = map.pairs[k].tag;
		ret = lx_site_table_from_tags(s, &A, tags, map.count, rep->job->cache.size,
					      &rep->cache_sites);
	}
	for (i = rep->first; i < rep->first + rep->n && !ret; i++)
		ret = cluster_sites(s, rep, &A, &map, i);
	lx_free(s->t, tags);
	lx_tag_map_free(s, &map);
out:
	lx_alloctag_fini(s, &A);
	return ret;
}

/* A cluster's member addresses, for lx_kml_set_build(). */
struct member_addrs {
	uint64_t *v;
	size_t n, cap;
};

static bool note_member_addr(void *arg, uint64_t addr)
{
	struct member_addrs *m = arg;

	if (m->n < m->cap)
		m->v[m->n++] = addr;
	return true;
}

static enum lx_status cluster_kmemleak(struct lx_session *s, struct lx_cluster_report *rep,
				       const struct lx_kmemleak *K, const struct lx_depot *D,
				       unsigned int i)
{
	struct member_addrs m = { .cap = rep->descs[i].cluster->count };
	struct lx_kml_set *set = &rep->kml_sets[i - rep->first];
	enum lx_status ret;

	m.v = lx_alloc(s->t, (m.cap + 1) * sizeof(*m.v));
	if (!m.v)
		return LX_ENOMEM;
	lx_cluster_for_each_member(&rep->job->cl, i, note_member_addr, &m);
	ret = lx_kml_set_build(s, K, D, m.v, m.n, set);
	lx_free(s->t, m.v);
	if (!ret)
		rep->descs[i].kml = set;
	return ret;
}

/*
 * kmemleak, where the kernel keeps its records: per described cluster,
 * its verdicts and the commonest allocation stack.  Nothing when not.
 */
static enum lx_status find_kmemleak(struct lx_session *s, struct lx_cluster_report *rep)
{
	struct lx_kmemleak K;
	struct lx_depot D;
	enum lx_status ret = lx_kmemleak_read(s, &K);
	unsigned int i;

	if (ret || !K.present)
		goto out;
	lx_depot_init(s, &D);
	rep->kml_sets = lx_alloc(s->t, rep->n * sizeof(*rep->kml_sets) + 1);
	ret = rep->kml_sets ? LX_OK : LX_ENOMEM;
	for (i = rep->first; i < rep->first + rep->n && !ret; i++)
		ret = cluster_kmemleak(s, rep, &K, &D, i);
out:
	lx_kmemleak_free(s, &K);
	return ret;
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
		ret = find_tag_sites(s, rep);
	if (!ret)
		ret = find_kmemleak(s, rep);
	if (!ret)
		ret = describe_all(s, rep);
	if (ret)
		lx_cluster_report_free(s, rep);
	return ret;
}

void lx_cluster_report_free(struct lx_session *s, struct lx_cluster_report *rep)
{
	unsigned int i;

	if (rep->cluster_sites)
		for (i = 0; i < rep->n; i++)
			lx_site_table_free(s, &rep->cluster_sites[i]);
	lx_free(s->t, rep->cluster_sites);
	lx_free(s->t, rep->kml_sets);
	rep->kml_sets = NULL;
	lx_site_table_free(s, &rep->cache_sites);
	lx_free(s->t, rep->descs);
	rep->descs = NULL;
	rep->cluster_sites = NULL;
}
