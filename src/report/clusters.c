// SPDX-License-Identifier: GPL-2.0-or-later
/* The cluster report of one cache: text for people, JSON for pipelines. */
#include <stdlib.h>
#include <string.h>

#include "analysis/describe.h"
#include "analysis/refs.h"
#include "report/report.h"

/* Whether the object just added holds a word that may point into the heap. */
static void note_words(struct lx_cluster_job *job, const uint8_t *obj, size_t len)
{
	size_t i = job->cl.count - 1;

	if (lx_reserve(job->cl.t, &job->misses, &job->misses_cap, i / 8 + 1, 1)) {
		job->failed = true;
		return;
	}
	if (lx_words_miss(obj, len, job->words_lo, job->words_hi))
		lx_bit_set(job->misses, i);
}

static void add_live_objects(void *arg, const struct lx_scan *scan,
			     const struct lx_slab *slab, const uint8_t *mem)
{
	struct lx_cluster_job *job = arg;
	const struct lx_cache *c = &scan->cache;
	double start = lx_now();
	uint32_t i;

	for (i = 0; i < slab->objects && !job->failed; i++) {
		size_t off = c->red_left_pad + (size_t)i * c->size;

		if (lx_object_is_free(scan, slab, i))
			continue;
		if (lx_cluster_add(&job->cl, lx_object_addr(scan, slab, i), mem + off,
				   c->object_size))
			job->failed = true;
		else if (job->note_words)
			note_words(job, mem + off, c->object_size);
	}
	job->hash_seconds += lx_now() - start;
}

/* LEAKEXT_TIMING=1: where the time went, for tests/bench. */
static void report_timing(struct lx_session *s, const struct lx_cluster_job *job,
			  double walk, double group)
{
	if (!getenv("LEAKEXT_TIMING"))
		return;
	lx_msg(s->t, LX_MSG_INFO,
	       "timing %s: %zu objects; walk %.3f s (hashing %.3f s of it), grouping %.3f s; clustering = %.1f%% of the walk without it",
	       job->cache.name, job->cl.count, walk, job->hash_seconds, group,
	       walk - job->hash_seconds > 0 ?
	       100 * (job->hash_seconds + group) / (walk - job->hash_seconds) : 0);
}

static enum lx_status run_job(struct lx_session *s, const struct lx_cache *cache,
			      struct lx_cluster_job *job, bool note_words)
{
	enum lx_status ret;
	double start, walked;
	size_t i;

	memset(job, 0, sizeof(*job));
	job->cache = *cache;
	if (note_words && s->L.page_offset_base && s->L.max_pfn) {
		job->note_words = true;
		job->words_lo = s->L.page_offset_base;
		job->words_hi = s->L.page_offset_base + (s->L.max_pfn << s->L.page_shift);
	}
	job->nranges = lx_kernel_ranges(s, job->ranges,
					sizeof(job->ranges) / sizeof(job->ranges[0]));
	lx_cluster_init(&job->cl, s->t, job->ranges, job->nranges);
	start = lx_now();
	ret = lx_scan_cache_visit(s, &job->cache, &job->scan, add_live_objects, job);
	if (ret)
		goto fail;
	walked = lx_now();
	ret = LX_ENOMEM;
	if (job->failed) {
		lx_msg(s->t, LX_MSG_ERROR, "out of memory while clustering %s", job->cache.name);
		goto fail;
	}
	for (i = 0; i < job->scan.nslabs; i++)
		if (job->scan.slabs[i].bad)
			job->unread += job->scan.slabs[i].objects - job->scan.slabs[i].nfree;
	lx_progress(s->t, "clustering", 0, 0);
	if (lx_cluster_finish(&job->cl))
		goto fail;
	lx_progress(s->t, "clustering", 1, 1);
	report_timing(s, job, walked - start, lx_now() - walked);
	return LX_OK;
fail:
	lx_cluster_job_free(s, job);
	return ret;
}

enum lx_status lx_cluster_job_run(struct lx_session *s, const struct lx_cache *cache,
				  struct lx_cluster_job *job)
{
	return run_job(s, cache, job, false);
}

enum lx_status lx_cluster_job_run_noting(struct lx_session *s,
					 const struct lx_cache *cache,
					 struct lx_cluster_job *job)
{
	return run_job(s, cache, job, true);
}

void lx_cluster_job_free(struct lx_session *s, struct lx_cluster_job *job)
{
	lx_free(s->t, job->misses);
	lx_cluster_free(&job->cl);
	lx_scan_free(s, &job->scan);
}

enum lx_status lx_cluster_job_check(struct lx_session *s,
				    const struct lx_cluster_job *job, unsigned int k)
{
	if (k && k <= job->cl.nclusters)
		return LX_OK;
	lx_msg(s->t, LX_MSG_ERROR, "%s has %zu clusters, not %u", job->cache.name,
	       job->cl.nclusters, k);
	return LX_EABSENT;
}

static void print_preview(FILE *out, const struct lx_cluster_job *job,
			  const struct lx_cluster_desc *d)
{
	size_t i;

	if (job->redact) {
		if (d->is_text)
			fprintf(out, "  preview   redacted: text, %zu bytes before the first NUL\n",
				d->text_len);
		else
			fputs("  preview   redacted: binary\n", out);
		return;
	}
	if (d->is_text) {
		fprintf(out, "  preview   text, %zu%s bytes before the first NUL:\n            ",
			d->text_len, d->text_len == d->head_len ? "+" : "");
		lx_print_escaped(out, d->head, d->head_len, d->head_len, LX_REPORT_WIDTH - 12);
		fputc('\n', out);
		return;
	}
	fputs("  preview   binary; first bytes of the first member:\n", out);
	for (i = 0; i < d->head_len; i += 16)
		lx_print_hex_line(out, "            +", i, 4, d->head + i,
				  d->head_len - i < 16 ? d->head_len - i : 16);
}

static void print_members(FILE *out, const struct lx_cluster_desc *d)
{
	unsigned int i;

	fputs("  members  ", out);
	for (i = 0; i < d->sampled && i < LX_MEMBERS_SHOWN; i++)
		fprintf(out, " %llx", (unsigned long long)d->samples[i]);
	fputs(d->cluster->count > i ? " ...\n" : "\n", out);
}

static void print_strings(FILE *out, const struct lx_cluster_job *job,
			  const struct lx_cluster_desc *d)
{
	unsigned int i;

	for (i = 0; i < d->nstrings; i++) {
		fprintf(out, "  %-9s %2u/%-2u ", i ? "" : "strings", d->strings[i].members,
			d->readable);
		if (job->redact)
			fprintf(out, "redacted, %zu bytes", strlen(d->strings[i].text));
		else
			lx_print_escaped(out, (const uint8_t *)d->strings[i].text,
					 strlen(d->strings[i].text), 64, LX_REPORT_WIDTH - 18);
		fputc('\n', out);
	}
}

static void print_pointers(FILE *out, const struct lx_cluster_desc *d)
{
	unsigned int i;
	char where[2 * LX_NAME_MAX + 32];

	for (i = 0; i < d->npointers; i++) {
		const struct lx_pointer_stat *p = &d->pointers[i];

		lx_place_format(&p->place, where, sizeof(where));
		fprintf(out, "  %-9s +%-4u %s%s%s%s%s (%u/%u)\n", i ? "" : "pointers",
			p->offset, p->member[0] ? "(" : "", p->member,
			p->member[0] ? ") " : "", p->symbol ? "" : "-> ", where, p->seen,
			d->readable);
	}
}

static void print_sites(FILE *out, const char *label, const struct lx_site_stat *sites,
			unsigned int n, unsigned int of)
{
	char where[2 * LX_NAME_MAX + 32];
	unsigned int i;

	for (i = 0; i < n; i++) {
		lx_place_format(&sites[i].place, where, sizeof(where));
		fprintf(out, "  %-9s %2u/%-2u %s\n", i ? "" : label, sites[i].count, of, where);
	}
}

static void print_tracks(FILE *out, const struct lx_cluster_desc *d)
{
	char where[2 * LX_NAME_MAX + 32];
	unsigned int i;

	if (!d->tracked || !d->with_track)
		return;
	print_sites(out, "alloc", d->alloc_sites, d->nalloc_sites, d->with_track);
	if (d->nfree_sites)
		print_sites(out, "freed", d->free_sites, d->nfree_sites, d->with_track);
	else
		fprintf(out, "  freed     none of %u sampled had been freed before\n",
			d->with_track);
	fprintf(out, "  task      pid %d cpu %d (first member); allocated %llu..%llu jiffies before the dump\n",
		d->pid, d->cpu, (unsigned long long)d->age_min,
		(unsigned long long)d->age_max);
	for (i = 0; i < d->nstack; i++) {
		lx_place_format(&d->stack[i], where, sizeof(where));
		fprintf(out, "  %-9s %s\n", i ? "" : "stack", where);
	}
}

static void print_owner(FILE *out, const struct lx_cluster_desc *d)
{
	char first[48];
	unsigned int i;

	lx_print_wrapped(out, "  OWNER     ", "            ", d->owner);
	fprintf(out, "            (a guess, confidence %s)\n",
		lx_confidence_name(d->confidence));
	for (i = 0; i < d->nevidence; i++) {
		snprintf(first, sizeof(first), "            + %s: ", d->evidence[i].signal);
		lx_print_wrapped(out, first, "                ", d->evidence[i].text);
	}
	for (i = 0; i < d->nabsent; i++)
		lx_print_wrapped(out, "            - absent: ", "                ",
				 d->absent[i]);
}

static void print_holders(FILE *out, const struct lx_cluster_desc *d)
{
	unsigned int i;

	if (!d->holders_known)
		return;
	for (i = 0; i < d->nholders; i++) {
		char name[200];
		const struct lx_holder_stat *h = &d->holders[i];
		char lost[48] = "";

		if (h->lost_holders)
			snprintf(lost, sizeof(lost), "; %llu in unreferenced objects",
				 (unsigned long long)h->lost_holders);
		snprintf(name, sizeof(name), "%llu/%llu %s (%s, %llu word%s%s)",
			 (unsigned long long)h->held, (unsigned long long)d->members_live,
			 h->label, h->kind, (unsigned long long)h->words,
			 h->words == 1 ? "" : "s", lost);
		fprintf(out, "  %-9s %s\n", i ? "" : "held by", name);
	}
	if (!d->nholders)
		fprintf(out, "  held by   nothing scanned points at a member\n");
	if (d->holder_note[0])
		lx_print_wrapped(out, "  holders   ", "            ", d->holder_note);
	fprintf(out, "  referenced %llu of %llu members; %llu unreferenced (no root reaches them)\n",
		(unsigned long long)d->referenced, (unsigned long long)d->members_live,
		(unsigned long long)d->unreferenced);
}

static void print_cluster(FILE *out, const struct lx_cluster_job *job,
			  const struct lx_cluster_desc *d)
{
	const struct lx_cluster *c = d->cluster;
	double share = job->scan.live ? 100.0 * c->count / job->scan.live : 0;

	fprintf(out, "\nCLUSTER %u: %llu objects, %.1f%% of %llu live, %.2f MiB\n", d->rank,
		(unsigned long long)c->count, share, (unsigned long long)job->scan.live,
		(double)c->count * job->cache.size / (1 << 20));
	print_members(out, d);
	print_preview(out, job, d);
	if (d->frame[0] && !job->redact)
		lx_print_wrapped(out, "  frame     ", "            ", d->frame);
	print_strings(out, job, d);
	fprintf(out, "  classes   %s\n            (%u bytes per char: t text, 0 zero, p pointer, s kernel symbol, n small number, . other)\n",
		d->classes, d->class_unit);
	print_pointers(out, d);
	print_tracks(out, d);
	print_holders(out, d);
	print_owner(out, d);
}

/* Which ranks to describe: [first, first + n). */
static int pick_clusters(struct lx_session *s, const struct lx_options *opt,
			 const struct lx_cluster_job *job, unsigned int *first,
			 unsigned int *n)
{
	size_t total = job->cl.nclusters;
	unsigned int top = opt->top ? opt->top : LX_DEFAULT_TOP;

	if (opt->cluster) {
		if (lx_cluster_job_check(s, job, opt->cluster))
			return -1;
		*first = opt->cluster - 1;
		*n = 1;
		return 0;
	}
	*first = 0;
	*n = opt->all || top > total ? total : top;
	return 0;
}

static void print_cluster_header(FILE *out, const struct lx_cluster_job *job,
				 unsigned int shown)
{
	fprintf(out, "\n%zu clusters of %llu live objects (content that differs only in numbers,\n"
		"pointer values or stale bytes is one cluster); %u largest shown",
		job->cl.nclusters, (unsigned long long)job->cl.count, shown);
	if (shown < job->cl.nclusters)
		fputs(", -a shows all", out);
	fputs(".\n", out);
	if (job->unread)
		fprintf(out, "WARNING: %llu live objects sit on unreadable slabs and are not clustered\n",
			(unsigned long long)job->unread);
}

enum lx_status lx_report_clusters(struct lx_session *s, const struct lx_options *opt,
				  struct lx_cluster_job *job)
{
	struct lx_cluster_desc *descs = NULL;
	struct lx_describe_work *work;
	struct lx_reach reach;
	struct lx_tracks tracks;
	unsigned int first, n, i;
	FILE *out = s->t->out;
	int ret = 0;

	if (pick_clusters(s, opt, job, &first, &n))
		return LX_EABSENT;
	if (first + n) {
		descs = lx_alloc(s->t, (first + n) * sizeof(*descs));
		if (!descs)
			return LX_ENOMEM;
		lx_describe_prepare(&job->cl, descs, first + n);
	}
	lx_tracks_init(s, &job->cache, &tracks);
	if (opt->referrers && n) {
		struct lx_walk_notes notes = {
			.scan = &job->scan, .misses = job->misses,
			.lo = job->words_lo, .hi = job->words_hi,
		};

		ret = lx_describe_holders(s, &job->cl, descs, first, n, &notes, &reach);
		if (ret) {
			lx_free(s->t, descs);
			return ret;
		}
		lx_report_reach_limits(s, &reach);
		lx_reach_free(s, &reach);
	}
	work = lx_describe_begin(s, &job->cache);
	if (!work) {
		lx_free(s->t, descs);
		return LX_ENOMEM;
	}
	if (opt->json) {
		lx_json_begin(out, opt, job);
		s->json_written = true;
	} else
		print_cluster_header(out, job, n);
	for (i = first; i < first + n && !ret; i++) {
		ret = lx_describe_cluster(s, work, job->ranges, job->nranges, &tracks,
					  &descs[i]);
		if (ret)
			break;
		if (opt->json) {
			if (i > first)
				fputc(',', out);
			lx_json_cluster(out, job, &descs[i]);
		} else {
			print_cluster(out, job, &descs[i]);
		}
	}
	if (opt->json)
		fputs("]}\n", out);
	lx_describe_end(s, work);
	lx_free(s->t, descs);
	return ret ? LX_ENOMEM : LX_OK;	/* descriptions fail only to allocate */
}
