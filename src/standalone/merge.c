// SPDX-License-Identifier: GPL-2.0-or-later
/* leakscan --merge: clusters of many saved reports grouped (see merge.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leakext/text.h"
#include "report/report.h"
#include "standalone/merge.h"

#define FIRST_BUCKETS 64
#define PREVIEW_COLUMNS 72

/* A string-keyed table: the vmcores read, caches covered, groups. */
struct entry {
	char *key;
	size_t keylen;
	size_t count;
	void *value;
	const struct sa_report *owner;	/* seen: the report value came from */
	struct entry *next;
};

struct table {
	struct entry **bucket;
	size_t nbuckets;	/* a power of two, doubled past 2 entries each */
	size_t count;
};

struct group {
	const char *cache;
	const struct sa_report_cluster *first;	/* describes the group */
	const struct sa_report_doc *last_doc;
	const struct sa_report_doc *largest_doc;
	uint64_t objects, bytes, largest_objects, largest_bytes;
	const char **sources;	/* the vmcores it appears in */
	size_t nsources, cap;
};

struct merge {
	struct table vmcores;	/* source -> (nothing) */
	struct table covered;	/* cache -> vmcores whose report covers it */
	struct table seen;	/* source + cache -> the document read first */
	struct table groups;	/* cache + key -> struct group */
	struct group **list;
	size_t ngroups, cap;
	size_t given, reports, documents, errors, unusable;
	bool out_of_memory;
};

static size_t hash(const char *key, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)key[i]) * 0x100000001b3ULL;
	return h;
}

/* Twice the buckets (or the first ones); -1 out of memory. */
static int grow_table(struct table *t)
{
	size_t n = t->nbuckets ? t->nbuckets * 2 : FIRST_BUCKETS, i;
	struct entry **bucket = calloc(n, sizeof(*bucket)), *e, *next;

	if (!bucket)
		return -1;
	for (i = 0; i < t->nbuckets; i++) {
		for (e = t->bucket[i]; e; e = next) {
			next = e->next;
			e->next = bucket[hash(e->key, e->keylen) & (n - 1)];
			bucket[hash(e->key, e->keylen) & (n - 1)] = e;
		}
	}
	free(t->bucket);
	t->bucket = bucket;
	t->nbuckets = n;
	return 0;
}

/* The entry for key, added when missing (*added says); NULL out of memory. */
static struct entry *lookup(struct table *t, const char *key, size_t len, bool *added)
{
	struct entry **slot, *e;

	*added = false;
	if (t->count >= 2 * t->nbuckets && grow_table(t))
		return NULL;
	slot = &t->bucket[hash(key, len) & (t->nbuckets - 1)];
	for (e = *slot; e; e = e->next)
		if (e->keylen == len && !memcmp(e->key, key, len))
			return e;
	e = calloc(1, sizeof(*e));
	if (!e || !(e->key = malloc(len ? len : 1))) {
		free(e);
		return NULL;
	}
	memcpy(e->key, key, len);
	e->keylen = len;
	e->next = *slot;
	*slot = e;
	t->count++;
	*added = true;
	return e;
}

static void table_free(struct table *t, bool free_values)
{
	struct entry *e, *next;
	size_t i;

	for (i = 0; i < t->nbuckets; i++) {
		for (e = t->bucket[i]; e; e = next) {
			next = e->next;
			if (free_values && e->value) {
				free(((struct group *)e->value)->sources);
				free(e->value);
			}
			free(e->key);
			free(e);
		}
	}
	free(t->bucket);
}

/* Length-prefixed parts, so that no two pairs of strings give one key. */
static char *pair_key(const char *a, const char *b, size_t blen, size_t *len)
{
	size_t alen = strlen(a), n = alen + blen + 24;
	char *key = malloc(n);
	int head;

	if (!key)
		return NULL;
	head = snprintf(key, n, "%zu:", alen);
	memcpy(key + head, a, alen);
	memcpy(key + head + alen, b, blen);
	*len = head + alen + blen;
	return key;
}

/* A cluster's key within its cache: its signature, else kind and preview. */
static char *cluster_key(const char *cache, const struct sa_report_cluster *c, size_t *len)
{
	char part[2 + 2 * SA_REPORT_TEXT_MAX + 1];
	size_t i, n;

	if (c->has_signature) {
		n = snprintf(part, sizeof(part), "s%s", c->signature);
	} else {
		n = snprintf(part, sizeof(part), "p%c", c->is_text ? 't' : 'b');
		for (i = 0; i < c->preview.len; i++)
			n += snprintf(part + n, sizeof(part) - n, "%02x", c->preview.bytes[i]);
	}
	return pair_key(cache, part, n, len);
}

static int add_source(struct group *g, const char *source)
{
	const char **grown;

	if (g->nsources == g->cap) {
		grown = realloc(g->sources, (g->cap ? g->cap * 2 : 4) * sizeof(*grown));
		if (!grown)
			return -1;
		g->sources = grown;
		g->cap = g->cap ? g->cap * 2 : 4;
	}
	g->sources[g->nsources++] = source;
	return 0;
}

static struct group *new_group(struct merge *m, struct entry *e, const char *cache,
			       const struct sa_report_cluster *c)
{
	struct group *g = calloc(1, sizeof(*g)), **grown;

	if (!g)
		return NULL;
	if (m->ngroups == m->cap) {
		grown = realloc(m->list, (m->cap ? m->cap * 2 : 64) * sizeof(*grown));
		if (!grown) {
			free(g);
			return NULL;
		}
		m->list = grown;
		m->cap = m->cap ? m->cap * 2 : 64;
	}
	g->cache = cache;
	g->first = c;
	e->value = g;
	m->list[m->ngroups++] = g;
	return g;
}

/* One cluster of doc into its group. */
static int add_cluster(struct merge *m, const struct sa_report_doc *doc,
		       const struct sa_report_cluster *c)
{
	size_t len;
	char *key = cluster_key(doc->cache, c, &len);
	struct entry *e;
	struct group *g;
	bool added;

	e = key ? lookup(&m->groups, key, len, &added) : NULL;
	free(key);
	if (!e)
		return -1;
	g = added ? new_group(m, e, doc->cache, c) : e->value;
	if (!g)
		return -1;
	if (g->last_doc != doc) {	/* a vmcore counted once per group */
		if (add_source(g, doc->source))
			return -1;
		g->last_doc = doc;
	}
	g->objects += c->count;
	g->bytes += c->bytes;
	if (g->largest_doc == doc) {
		g->largest_objects += c->count;
		g->largest_bytes += c->bytes;
	} else if (c->bytes > g->largest_bytes) {
		g->largest_doc = doc;
		g->largest_objects = c->count;
		g->largest_bytes = c->bytes;
	}
	return 0;
}

/* "PATH:LINE: SOURCE's CACHE again (already read from PATH:LINE)". */
static void name_duplicate(FILE *msgs, const struct sa_report *r,
			   const struct sa_report_doc *doc, const struct sa_report *first_r,
			   const struct sa_report_doc *first)
{
	char path[128], source[128], cache[64], first_path[128];

	lx_escape(path, sizeof(path), r->path, strlen(r->path));
	lx_escape(source, sizeof(source), doc->source, strlen(doc->source));
	lx_escape(cache, sizeof(cache), doc->cache, strlen(doc->cache));
	lx_escape(first_path, sizeof(first_path), first_r->path, strlen(first_r->path));
	fprintf(msgs, "leakscan: %s:%u: %s's %s again (already read from %s:%u): left out\n",
		path, doc->line, source, cache, first_path, first->line);
}

/* A cluster report; a second one of the same vmcore and cache is left out. */
static int add_cluster_doc(struct merge *m, const struct sa_report *r,
			   const struct sa_report_doc *doc, FILE *msgs)
{
	size_t len, i;
	char *key = pair_key(doc->source, doc->cache, strlen(doc->cache), &len);
	struct entry *e;
	bool added;

	e = key ? lookup(&m->seen, key, len, &added) : NULL;
	free(key);
	if (!e)
		return -1;
	if (!added) {
		name_duplicate(msgs, r, doc, e->owner, e->value);
		return 0;
	}
	e->value = (void *)doc;
	e->owner = r;
	e = lookup(&m->covered, doc->cache, strlen(doc->cache), &added);
	if (!e)
		return -1;
	e->count++;
	for (i = 0; i < doc->nclusters; i++)
		if (add_cluster(m, doc, &doc->clusters[i]))
			return -1;
	return 0;
}

static int add_report(struct merge *m, const struct sa_report *r, FILE *msgs)
{
	const struct sa_report_doc *doc;
	bool added;
	size_t i;

	m->unusable += r->unusable;
	if (r->ndocs)
		m->reports++;
	for (i = 0; i < r->ndocs; i++) {
		doc = &r->docs[i];
		m->documents++;
		if (doc->kind == SA_DOC_ERROR) {
			m->errors++;
			continue;
		}
		if (!lookup(&m->vmcores, doc->source, strlen(doc->source), &added))
			return -1;
		if (doc->kind == SA_DOC_CLUSTERS && add_cluster_doc(m, r, doc, msgs))
			return -1;
	}
	return 0;
}

static size_t covered(struct merge *m, const char *cache)
{
	bool added;
	struct entry *e = lookup(&m->covered, cache, strlen(cache), &added);

	return e ? e->count : 0;
}

/* Largest first: bytes, then objects, then vmcores; then by cache name. */
static int by_bytes(const void *a, const void *b)
{
	const struct group *x = *(const struct group *const *)a;
	const struct group *y = *(const struct group *const *)b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if (x->objects != y->objects)
		return x->objects > y->objects ? -1 : 1;
	if (x->nsources != y->nsources)
		return x->nsources > y->nsources ? -1 : 1;
	return strcmp(x->cache, y->cache);
}

static void print_description(FILE *out, const struct sa_report_cluster *c)
{
	const struct sa_report_text *t = c->preview.len ? &c->preview :
					 c->nstrings ? &c->strings[0] : NULL;

	fputs(c->is_text ? "text" : "binary", out);
	if (t) {
		fputs(t == &c->preview ? " " : ", string ", out);
		lx_print_escaped(out, t->bytes, t->len, t->len, PREVIEW_COLUMNS);
	}
}

static void print_group(FILE *out, struct merge *m, const struct group *g, size_t rank)
{
	char cache[128], source[256], owner[200];
	const struct sa_report_cluster *c = g->first;

	lx_escape(cache, sizeof(cache), g->cache, strlen(g->cache));
	lx_escape(source, sizeof(source), g->largest_doc->source,
		  strlen(g->largest_doc->source));
	fprintf(out, "\n%zu. %s %s: ", rank, cache,
		c->has_signature ? c->signature : "(no signature: grouped by preview)");
	print_description(out, c);
	fprintf(out, "\n   %zu of %zu vmcores, %llu objects, %.2f MiB in all; largest: %llu objects (%.2f MiB) in %s\n",
		g->nsources, covered(m, g->cache), (unsigned long long)g->objects,
		g->bytes / 1048576.0, (unsigned long long)g->largest_objects,
		g->largest_bytes / 1048576.0, source);
	if (c->owner) {
		lx_escape(owner, sizeof(owner), c->owner, strlen(c->owner));
		fprintf(out, "   owner (first report): %s\n", owner);
	}
}

static void print_text(FILE *out, struct merge *m, const struct sa_merge_options *opt)
{
	size_t i, n = opt->top && opt->top < m->ngroups ? opt->top : m->ngroups;

	fprintf(out, "%zu of %zu reports read: %zu documents, %zu vmcores (%zu error documents), %zu unusable lines; %zu cluster groups",
		m->reports, m->given, m->documents, m->vmcores.count, m->errors, m->unusable,
		m->ngroups);
	if (n < m->ngroups)
		fprintf(out, ", the largest %zu shown", n);
	fputs("\nN of M vmcores: in N of the M vmcores whose reports cover the cache\n", out);
	for (i = 0; i < n; i++)
		print_group(out, m, m->list[i], i + 1);
}

static void json_text(FILE *out, const char *key, const struct sa_report_text *t)
{
	fprintf(out, "\"%s\":", key);
	lx_json_string(out, t->bytes ? (const char *)t->bytes : "", t->len);
}

static void json_description(FILE *out, const struct sa_report_cluster *c)
{
	unsigned int i;

	fprintf(out, "\"description\":{\"kind\":\"%s\",", c->is_text ? "text" : "binary");
	json_text(out, "preview", &c->preview);
	fputs(",\"strings\":[", out);
	for (i = 0; i < c->nstrings; i++) {
		if (i)
			fputc(',', out);
		lx_json_string(out, (const char *)c->strings[i].bytes, c->strings[i].len);
	}
	fputs("],\"owner\":", out);
	if (c->owner)
		lx_json_string(out, c->owner, strlen(c->owner));
	else
		fputs("null", out);
	fputs("},", out);
}

static void json_group(FILE *out, struct merge *m, const struct group *g, size_t rank)
{
	size_t i;

	fprintf(out, "{\"schema\":\"leakext/1\",\"kind\":\"merge\",\"rank\":%zu,\"cache\":", rank);
	lx_json_string(out, g->cache, strlen(g->cache));
	if (g->first->has_signature)
		fprintf(out, ",\"signature\":\"%s\",\"grouped_by\":\"signature\",",
			g->first->signature);
	else
		fputs(",\"signature\":null,\"grouped_by\":\"preview\",", out);
	json_description(out, g->first);
	fprintf(out, "\"vmcores\":%zu,\"vmcores_with_cache\":%zu,\"objects\":%llu,\"bytes\":%llu,\"largest\":{\"source\":",
		g->nsources, covered(m, g->cache), (unsigned long long)g->objects,
		(unsigned long long)g->bytes);
	lx_json_string(out, g->largest_doc->source, strlen(g->largest_doc->source));
	fprintf(out, ",\"objects\":%llu,\"bytes\":%llu},\"sources\":[",
		(unsigned long long)g->largest_objects, (unsigned long long)g->largest_bytes);
	for (i = 0; i < g->nsources; i++) {
		if (i)
			fputc(',', out);
		lx_json_string(out, g->sources[i], strlen(g->sources[i]));
	}
	fputs("]}\n", out);
}

static void print_json(FILE *out, struct merge *m, const struct sa_merge_options *opt)
{
	size_t i, n = opt->top && opt->top < m->ngroups ? opt->top : m->ngroups;

	for (i = 0; i < n; i++)
		json_group(out, m, m->list[i], i + 1);
	fprintf(out, "{\"schema\":\"leakext/1\",\"kind\":\"merge-summary\",\"reports\":%zu,\"reports_read\":%zu,\"documents\":%zu,\"vmcores\":%zu,\"error_documents\":%zu,\"unusable_lines\":%zu,\"groups\":%zu,\"groups_shown\":%zu}\n",
		m->given, m->reports, m->documents, m->vmcores.count, m->errors,
		m->unusable, m->ngroups, n);
}

static void merge_free(struct merge *m)
{
	table_free(&m->vmcores, false);
	table_free(&m->covered, false);
	table_free(&m->seen, false);
	table_free(&m->groups, true);
	free(m->list);
	free(m);
}

enum sa_merge_status sa_merge_reports(const struct sa_report *reports, size_t n,
				      const struct sa_merge_options *opt, FILE *out,
				      FILE *msgs)
{
	struct merge *m = calloc(1, sizeof(*m));
	enum sa_merge_status status;
	size_t i;

	if (!m) {
		fputs("leakscan: out of memory\n", msgs);
		return SA_MERGE_NONE;
	}
	m->given = n;
	for (i = 0; i < n; i++) {
		if (add_report(m, &reports[i], msgs)) {
			fputs("leakscan: out of memory\n", msgs);
			merge_free(m);
			return SA_MERGE_NONE;
		}
	}
	if (!m->reports) {
		merge_free(m);
		return SA_MERGE_NONE;
	}
	if (m->ngroups)
		qsort(m->list, m->ngroups, sizeof(*m->list), by_bytes);
	if (opt->json)
		print_json(out, m, opt);
	else
		print_text(out, m, opt);
	status = m->reports < n || m->unusable ? SA_MERGE_PARTIAL : SA_MERGE_OK;
	merge_free(m);
	return status;
}

enum sa_merge_status sa_merge_files(char *const *paths, size_t n,
				    const struct sa_merge_options *opt, FILE *out, FILE *msgs)
{
	struct sa_report *reports = calloc(n ? n : 1, sizeof(*reports));
	enum sa_merge_status status;
	char err[512];
	unsigned int k;
	size_t i;

	if (!reports) {
		fputs("leakscan: out of memory\n", msgs);
		return SA_MERGE_NONE;
	}
	for (i = 0; i < n; i++) {
		if (sa_report_read(paths[i], &reports[i], err, sizeof(err)) < 0 &&
		    !reports[i].nproblems)
			fprintf(msgs, "leakscan: %s\n", lx_escape((char[512]){ 0 }, 512, err,
								  strlen(err)));
		for (k = 0; k < reports[i].nproblems; k++)
			fprintf(msgs, "leakscan: %s\n", reports[i].problems[k]);
		if (reports[i].unusable > reports[i].nproblems)
			fprintf(msgs, "leakscan: %s: %u more unusable lines\n", paths[i],
				reports[i].unusable - reports[i].nproblems);
	}
	status = sa_merge_reports(reports, n, opt, out, msgs);
	if (status == SA_MERGE_NONE)
		fputs("leakscan: --merge: no report could be read\n", msgs);
	for (i = 0; i < n; i++)
		sa_report_free(&reports[i]);
	free(reports);
	return status;
}
