// SPDX-License-Identifier: GPL-2.0-or-later
/* Saved leakscan -j reports read back (see report_reader.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leakext/text.h"
#include "standalone/files.h"
#include "standalone/json_reader.h"
#include "standalone/report_reader.h"

#define SCHEMA "leakext/1"
#define NAME_MAX_BYTES 4096	/* a source path, a cache name, a reason */

/* Why a document cannot be used, into why; -1 always. */
static int bad(char *why, size_t whylen, const char *what, const char *key)
{
	snprintf(why, whylen, "%s \"%s\"", what, key);
	return -1;
}

static int get_u64(const struct sa_json *j, const struct sa_json_node *obj, const char *key,
		   uint64_t *value, char *why, size_t whylen)
{
	const struct sa_json_node *n = sa_json_get(j, obj, key);

	if (!n)
		return bad(why, whylen, "no", key);
	if (sa_json_u64(n, value))
		return bad(why, whylen, "not an integer in 0..2^64-1:", key);
	return 0;
}

static int get_uint(const struct sa_json *j, const struct sa_json_node *obj, const char *key,
		    unsigned int *value, char *why, size_t whylen)
{
	uint64_t v;

	if (get_u64(j, obj, key, &v, why, whylen))
		return -1;
	if (v > UINT32_MAX)
		return bad(why, whylen, "out of range:", key);
	*value = v;
	return 0;
}

/* A copy of a string member, at most NAME_MAX_BYTES; NULL if absent. */
static int get_name(const struct sa_json *j, const struct sa_json_node *obj, const char *key,
		    bool required, char **out, char *why, size_t whylen)
{
	const struct sa_json_node *n = sa_json_get(j, obj, key);

	*out = NULL;
	if (!n || n->type != SA_JSON_STRING) {
		if (!n && !required)
			return 0;
		return bad(why, whylen, n ? "not a string:" : "no", key);
	}
	if (n->len > NAME_MAX_BYTES)
		return bad(why, whylen, "too long:", key);
	*out = strndup(n->text, n->len);
	if (!*out)
		return bad(why, whylen, "out of memory reading", key);
	return 0;
}

/*
 * A decoded JSON string's bytes, the four characters \xNN (README: a byte
 * that is not valid UTF-8) turned back into the byte; at most
 * SA_REPORT_TEXT_MAX of them.
 */
static int copy_text(const struct sa_json_node *n, struct sa_report_text *out)
{
	size_t i, w = 0, max = n->len < SA_REPORT_TEXT_MAX ? n->len : SA_REPORT_TEXT_MAX;
	const char *s = n->text;

	out->bytes = malloc(max ? max : 1);
	if (!out->bytes)
		return -1;
	for (i = 0; i < n->len && w < max; w++) {
		if (s[i] == '\\' && n->len - i >= 4 && s[i + 1] == 'x' &&
		    lx_hex_digit(s[i + 2]) >= 0 && lx_hex_digit(s[i + 3]) >= 0) {
			out->bytes[w] = lx_hex_digit(s[i + 2]) << 4 | lx_hex_digit(s[i + 3]);
			i += 4;
		} else {
			out->bytes[w] = s[i++];
		}
	}
	out->len = w;
	return 0;
}

static int read_signature(const struct sa_json_node *n, struct sa_report_cluster *c,
			  char *why, size_t whylen)
{
	size_t i;

	if (!n || n->type == SA_JSON_NULL)
		return 0;
	if (n->type != SA_JSON_STRING || n->len != SA_REPORT_SIGNATURE_LEN)
		return bad(why, whylen, "not 16 hex digits:", "signature");
	for (i = 0; i < n->len; i++) {
		if (lx_hex_digit(n->text[i]) < 0)
			return bad(why, whylen, "not 16 hex digits:", "signature");
		c->signature[i] = "0123456789abcdef"[lx_hex_digit(n->text[i])];
	}
	c->signature[i] = '\0';
	c->has_signature = true;
	return 0;
}

static int read_strings(const struct sa_json *j, const struct sa_json_node *list,
			struct sa_report_cluster *c, char *why, size_t whylen)
{
	const struct sa_json_node *item = NULL, *text;

	if (!list || list->type == SA_JSON_NULL)
		return 0;
	if (list->type != SA_JSON_ARRAY)
		return bad(why, whylen, "not an array:", "strings");
	while ((item = sa_json_next(j, list, item)) && c->nstrings < SA_REPORT_STRINGS) {
		text = sa_json_get(j, item, "text");
		if (!text || text->type != SA_JSON_STRING)
			return bad(why, whylen, "a string without its", "text");
		if (copy_text(text, &c->strings[c->nstrings]))
			return bad(why, whylen, "out of memory reading", "strings");
		c->nstrings++;
	}
	return 0;
}

static int read_content(const struct sa_json *j, const struct sa_json_node *obj,
			struct sa_report_cluster *c, char *why, size_t whylen)
{
	const struct sa_json_node *kind = sa_json_get(j, obj, "kind");
	const struct sa_json_node *preview = sa_json_get(j, obj, "preview");
	const struct sa_json_node *owner = sa_json_get(j, obj, "owner");

	if (kind && !sa_json_is(kind, "text") && !sa_json_is(kind, "binary"))
		return bad(why, whylen, "neither text nor binary:", "kind");
	c->is_text = sa_json_is(kind, "text");
	if (preview && preview->type != SA_JSON_STRING)
		return bad(why, whylen, "not a string:", "preview");
	if (preview && copy_text(preview, &c->preview))
		return bad(why, whylen, "out of memory reading", "preview");
	if (read_strings(j, sa_json_get(j, obj, "strings"), c, why, whylen))
		return -1;
	return get_name(j, owner, "guess", false, &c->owner, why, whylen);
}

static int read_cluster(const struct sa_json *j, const struct sa_json_node *obj,
			struct sa_report_cluster *c, char *why, size_t whylen)
{
	if (!obj || obj->type != SA_JSON_OBJECT)
		return bad(why, whylen, "a cluster that is not an object in", "clusters");
	if (get_uint(j, obj, "rank", &c->rank, why, whylen) ||
	    get_u64(j, obj, "count", &c->count, why, whylen) ||
	    get_u64(j, obj, "bytes", &c->bytes, why, whylen) ||
	    read_signature(sa_json_get(j, obj, "signature"), c, why, whylen))
		return -1;
	return read_content(j, obj, c, why, whylen);
}

static int read_clusters(const struct sa_json *j, const struct sa_json_node *list,
			 struct sa_report_doc *doc, char *why, size_t whylen)
{
	const struct sa_json_node *item = NULL;
	size_t n;

	if (!list || list->type != SA_JSON_ARRAY)
		return bad(why, whylen, list ? "not an array:" : "no", "clusters");
	n = list->count < SA_REPORT_MAX_CLUSTERS ? list->count : SA_REPORT_MAX_CLUSTERS;
	doc->clusters = calloc(n ? n : 1, sizeof(*doc->clusters));
	if (!doc->clusters)
		return bad(why, whylen, "out of memory reading", "clusters");
	while ((item = sa_json_next(j, list, item)) && doc->nclusters < n)
		if (read_cluster(j, item, &doc->clusters[doc->nclusters++], why, whylen))
			return -1;
	return 0;
}

static int read_integrity(const struct sa_json *j, const struct sa_json_node *obj,
			  bool *ok, char *why, size_t whylen)
{
	const struct sa_json_node *n = sa_json_get(j, sa_json_get(j, obj, "integrity"), "ok");

	if (!n || (n->type != SA_JSON_TRUE && n->type != SA_JSON_FALSE))
		return bad(why, whylen, "no true or false", "integrity.ok");
	*ok = n->type == SA_JSON_TRUE;
	return 0;
}

static int read_cluster_doc(const struct sa_json *j, const struct sa_json_node *root,
			    struct sa_report_doc *doc, char *why, size_t whylen)
{
	const struct sa_json_node *cache = sa_json_get(j, root, "cache");
	const struct sa_json_node *counts = sa_json_get(j, root, "counts");

	doc->kind = SA_DOC_CLUSTERS;
	if (get_name(j, cache, "name", true, &doc->cache, why, whylen) ||
	    get_uint(j, cache, "object_size", &doc->object_size, why, whylen) ||
	    get_uint(j, cache, "slot_size", &doc->slot_size, why, whylen))
		return -1;
	if (!counts || counts->type != SA_JSON_OBJECT)
		return bad(why, whylen, "no object", "counts");
	if (get_u64(j, counts, "slabs", &doc->slabs, why, whylen) ||
	    get_u64(j, counts, "objects", &doc->objects, why, whylen) ||
	    get_u64(j, counts, "live", &doc->live, why, whylen) ||
	    get_u64(j, counts, "free", &doc->free, why, whylen) ||
	    read_integrity(j, root, &doc->integrity_ok, why, whylen) ||
	    get_u64(j, root, "clusters_total", &doc->clusters_total, why, whylen))
		return -1;
	return read_clusters(j, sa_json_get(j, root, "clusters"), doc, why, whylen);
}

static int read_row(const struct sa_json *j, const struct sa_json_node *obj,
		    struct sa_report_cache_row *row, char *why, size_t whylen)
{
	const struct sa_json_node *error = sa_json_get(j, obj, "error");

	if (get_name(j, obj, "name", true, &row->name, why, whylen) ||
	    get_uint(j, obj, "object_size", &row->object_size, why, whylen) ||
	    get_uint(j, obj, "slot_size", &row->slot_size, why, whylen))
		return -1;
	row->error = error && error->type == SA_JSON_TRUE;
	if (row->error)
		return 0;
	return get_u64(j, obj, "live", &row->live, why, whylen) ||
	       get_u64(j, obj, "objects", &row->objects, why, whylen) ||
	       get_u64(j, obj, "slabs", &row->slabs, why, whylen) ||
	       get_u64(j, obj, "slab_bytes", &row->slab_bytes, why, whylen) ? -1 : 0;
}

static int read_ranking_doc(const struct sa_json *j, const struct sa_json_node *list,
			    const struct sa_json_node *complete, struct sa_report_doc *doc,
			    char *why, size_t whylen)
{
	const struct sa_json_node *item = NULL;

	doc->kind = SA_DOC_RANKING;
	if (list->type != SA_JSON_ARRAY)
		return bad(why, whylen, "not an array:", "caches");
	doc->complete = complete && complete->type == SA_JSON_TRUE;
	doc->rows = calloc(list->count ? list->count : 1, sizeof(*doc->rows));
	if (!doc->rows)
		return bad(why, whylen, "out of memory reading", "caches");
	while ((item = sa_json_next(j, list, item))) {
		if (item->type != SA_JSON_OBJECT)
			return bad(why, whylen, "a row that is not an object in", "caches");
		if (read_row(j, item, &doc->rows[doc->nrows++], why, whylen))
			return -1;
	}
	return 0;
}

static int wrong_schema(const struct sa_json_node *schema, char *why, size_t whylen)
{
	bool named = schema && schema->type == SA_JSON_STRING;
	int len = named ? (schema->len > 40 ? 40 : (int)schema->len) : 7;

	snprintf(why, whylen, "not a %s document (schema %.*s)", SCHEMA, len,
		 named ? schema->text : "missing");
	return -1;
}

/* One parsed line into doc; -1 and why when it is no leakext/1 report. */
static int read_doc(const struct sa_json *j, struct sa_report_doc *doc, char *why,
		    size_t whylen)
{
	const struct sa_json_node *root = &j->nodes[0];
	const struct sa_json_node *schema = sa_json_get(j, root, "schema");
	const struct sa_json_node *caches = sa_json_get(j, root, "caches");

	if (root->type != SA_JSON_OBJECT) {
		snprintf(why, whylen, "a JSON value that is not an object");
		return -1;
	}
	if (!sa_json_is(schema, SCHEMA))
		return wrong_schema(schema, why, whylen);
	if (sa_json_get(j, root, "kind"))
		return bad(why, whylen, "not a vmcore's report: it has a", "kind");
	if (get_name(j, root, "source", true, &doc->source, why, whylen))
		return -1;
	if (sa_json_get(j, root, "error")) {
		doc->kind = SA_DOC_ERROR;
		return get_name(j, root, "error", true, &doc->error, why, whylen);
	}
	if (caches)
		return read_ranking_doc(j, caches, sa_json_get(j, root, "complete"), doc, why,
					whylen);
	if (sa_json_get(j, root, "cache"))
		return read_cluster_doc(j, root, doc, why, whylen);
	snprintf(why, whylen, "neither a cluster report, a ranking nor an error document");
	return -1;
}

static void free_doc(struct sa_report_doc *doc)
{
	size_t i;
	unsigned int k;

	for (i = 0; i < doc->nclusters; i++) {
		free(doc->clusters[i].preview.bytes);
		for (k = 0; k < doc->clusters[i].nstrings; k++)
			free(doc->clusters[i].strings[k].bytes);
		free(doc->clusters[i].owner);
	}
	for (i = 0; i < doc->nrows; i++)
		free(doc->rows[i].name);
	free(doc->clusters);
	free(doc->rows);
	free(doc->source);
	free(doc->error);
	free(doc->cache);
	memset(doc, 0, sizeof(*doc));
}

void sa_report_free(struct sa_report *r)
{
	size_t i;

	for (i = 0; i < r->ndocs; i++)
		free_doc(&r->docs[i]);
	free(r->docs);
	r->docs = NULL;
	r->ndocs = 0;
}

/* A line left out: "PATH:LINE: why", escaped, kept while there is room. */
static void problem(struct sa_report *r, unsigned int line, const char *why)
{
	char path[128], text[256];

	r->unusable++;
	if (r->nproblems >= SA_REPORT_PROBLEMS)
		return;
	lx_escape(path, sizeof(path), r->path, strlen(r->path));
	lx_escape(text, sizeof(text), why, strlen(why));
	snprintf(r->problems[r->nproblems++], sizeof(r->problems[0]), "%s:%u: %s", path, line,
		 text);
}

/* Room for one more document; -1 at the limit or out of memory. */
static int grow_docs(struct sa_report *r, size_t *cap)
{
	struct sa_report_doc *grown;
	size_t n = *cap ? *cap * 2 : 16;

	if (r->ndocs < *cap)
		return 0;
	if (*cap >= SA_REPORT_MAX_DOCS)
		return -1;
	grown = realloc(r->docs, n * sizeof(*grown));
	if (!grown)
		return -1;
	r->docs = grown;
	*cap = n;
	return 0;
}

/* One line of the file (newline taken off): a document, or a problem. */
static void read_line_doc(struct sa_report *r, struct sa_json *j, char *buf, size_t len,
			  bool cut, unsigned int line, size_t *cap)
{
	char why[256], err[160];
	struct sa_report_doc doc = { .line = line };

	if (sa_json_parse(j, buf, len, err, sizeof(err))) {
		snprintf(why, sizeof(why), "%s (%s)", cut ?
			 "a document cut short (the file ends without a newline)" :
			 "not a JSON document", err);
		problem(r, line, why);
		return;
	}
	if (read_doc(j, &doc, why, sizeof(why))) {
		free_doc(&doc);
		problem(r, line, why);
		return;
	}
	if (grow_docs(r, cap)) {
		free_doc(&doc);
		problem(r, line, "one document too many (out of memory or over the limit)");
		return;
	}
	r->docs[r->ndocs++] = doc;
}

struct line_buf {
	char *buf;
	size_t len, cap;
	bool newline;		/* the line ended with one */
	bool too_long;		/* over SA_REPORT_MAX_LINE: the rest skipped */
};

/* The next line of f; false at the end of the file. */
static bool next_line(FILE *f, struct line_buf *lb)
{
	char *grown;
	int c;

	lb->len = 0;
	lb->newline = lb->too_long = false;
	while ((c = getc_unlocked(f)) != EOF) {
		if (c == '\n') {
			lb->newline = true;
			return true;
		}
		if (lb->len >= SA_REPORT_MAX_LINE) {
			lb->too_long = true;
			continue;
		}
		if (lb->len + 1 >= lb->cap) {
			grown = realloc(lb->buf, lb->cap ? lb->cap * 2 : 4096);
			if (!grown) {
				lb->too_long = true;
				continue;
			}
			lb->buf = grown;
			lb->cap = lb->cap ? lb->cap * 2 : 4096;
		}
		lb->buf[lb->len++] = c;
	}
	return lb->len || lb->too_long;
}

static bool blank(const char *s, size_t len)
{
	while (len && strchr(" \t\r", *s) && *s)
		s++, len--;
	return !len;
}

static int read_stream(FILE *f, struct sa_report *r, char *err, size_t errlen)
{
	struct line_buf lb = { 0 };
	struct sa_json j = { 0 };
	unsigned int line = 0;
	size_t cap = 0;

	if (errlen)
		err[0] = '\0';
	while (next_line(f, &lb)) {
		line++;
		if (!lb.too_long && blank(lb.buf, lb.len))
			continue;
		r->lines++;
		if (lb.too_long)
			problem(r, line, "a line longer than 64 MiB");
		else
			read_line_doc(r, &j, lb.buf, lb.len, !lb.newline, line, &cap);
	}
	free(lb.buf);
	sa_json_free(&j);
	if (ferror(f))
		snprintf(err, errlen, "%s: read error", r->path);
	else if (!r->lines)
		snprintf(err, errlen, "%s: no document (an empty file)", r->path);
	else if (!r->ndocs)
		snprintf(err, errlen, "no usable document: %s", r->problems[0]);
	else if (r->unusable)
		snprintf(err, errlen, "%s", r->problems[0]);
	if (ferror(f) || !r->ndocs)
		return -1;
	return r->unusable ? 1 : 0;
}

int sa_report_parse(const char *text, size_t len, const char *path, struct sa_report *out,
		    char *err, size_t errlen)
{
	FILE *f;
	int ret;

	memset(out, 0, sizeof(*out));
	out->path = path;
	if (!len) {
		snprintf(err, errlen, "%s: no document (an empty file)", path);
		return -1;
	}
	f = fmemopen((void *)text, len, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = read_stream(f, out, err, errlen);
	fclose(f);
	return ret;
}

const struct sa_report_doc *sa_report_find(const struct sa_report *r, const char *source,
					   const char *cache)
{
	size_t i;

	for (i = 0; i < r->ndocs; i++) {
		const struct sa_report_doc *d = &r->docs[i];

		if (d->kind == SA_DOC_CLUSTERS && !strcmp(d->cache, cache) &&
		    (!source || !strcmp(d->source, source)))
			return d;
	}
	return NULL;
}

int sa_report_read(const char *path, struct sa_report *out, char *err, size_t errlen)
{
	char why[256];
	FILE *f;
	int ret;

	memset(out, 0, sizeof(*out));
	out->path = path;
	/* a regular file only: a directory, a FIFO or /dev/zero is named */
	if (sa_check_path(path, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	ret = read_stream(f, out, err, errlen);
	fclose(f);
	return ret;
}
