// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Matching two summaries (leakext/summary.h): clusters by content
 * signature, caches by name.  Both sides are sorted by their key
 * (lx_summary_normalize()), so one merge walk pairs them.
 */
#include <stdlib.h>
#include <string.h>

#include "leakext/summary.h"

/* Compares entry i of old with entry j of new by the matching's key. */
typedef int (*key_cmp)(const struct lx_summary *old, size_t i,
		       const struct lx_summary *new, size_t j);

static int signature_cmp(const struct lx_summary *old, size_t i,
			 const struct lx_summary *new, size_t j)
{
	uint64_t a = old->clusters[i].signature, b = new->clusters[j].signature;

	return a < b ? -1 : a > b;
}

static int name_cmp(const struct lx_summary *old, size_t i, const struct lx_summary *new,
		    size_t j)
{
	return strcmp(old->caches[i].name, new->caches[j].name);
}

static void add_pair(struct lx_matching *m, long old, long new)
{
	m->pairs[m->n].old = old;
	m->pairs[m->n].new = new;
	m->n++;
	if (old < 0)
		m->appeared++;
	else if (new < 0)
		m->vanished++;
	else
		m->matched++;
}

static bool merge(const struct lx_summary *old, size_t nold, const struct lx_summary *new,
		  size_t nnew, key_cmp cmp, struct lx_matching *m)
{
	size_t i = 0, j = 0;

	memset(m, 0, sizeof(*m));
	m->pairs = calloc(nold + nnew + 1, sizeof(*m->pairs));
	if (!m->pairs)
		return false;
	while (i < nold || j < nnew) {
		int c = i == nold ? 1 : j == nnew ? -1 : cmp(old, i, new, j);

		if (c == 0)
			add_pair(m, i++, j++);
		else if (c < 0)
			add_pair(m, i++, -1);
		else
			add_pair(m, -1, j++);
	}
	return true;
}

bool lx_match_clusters(const struct lx_summary *old, const struct lx_summary *new,
		       struct lx_matching *m)
{
	return merge(old, old->nclusters, new, new->nclusters, signature_cmp, m);
}

bool lx_match_caches(const struct lx_summary *old, const struct lx_summary *new,
		     struct lx_matching *m)
{
	return merge(old, old->ncaches, new, new->ncaches, name_cmp, m);
}

void lx_matching_free(struct lx_matching *m)
{
	free(m->pairs);
	m->pairs = NULL;
	m->n = m->matched = m->appeared = m->vanished = 0;
}
