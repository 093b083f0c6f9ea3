// SPDX-License-Identifier: GPL-2.0-or-later
/* JSON output of the cluster report (schema "leakext/1", see README). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report/model.h"
#include "report/report.h"

/*
 * Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t utf8_sequence(const unsigned char *p, size_t avail)
{
	size_t len, i;
	uint32_t cp;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > avail)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * A JSON string, always valid UTF-8: printable ASCII and well-formed
 * UTF-8 stay as they are, control characters become \u00XX (or \n, \t),
 * and a byte that is not part of valid UTF-8 becomes the four characters
 * \xNN (README: JSON schema).  Stops at len bytes or a NUL.
 */
void lx_json_string(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n;

	fputc('"', out);
	for (i = 0; i < len && p[i]; i += n) {
		n = p[i] < 0x80 ? 1 : utf8_sequence(p + i, strnlen(s + i, len - i));
		if (!n) {
			fprintf(out, "\\\\x%02x", p[i]);
			n = 1;
		} else if (n > 1) {
			fwrite(p + i, 1, n, out);
		} else if (p[i] == '"' || p[i] == '\\') {
			fprintf(out, "\\%c", p[i]);
		} else if (p[i] == '\n') {
			fputs("\\n", out);
		} else if (p[i] == '\t') {
			fputs("\\t", out);
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(out, "\\u%04x", p[i]);
		} else {
			fputc(p[i], out);
		}
	}
	fputc('"', out);
}

static void json_key_string(FILE *out, const char *key, const char *value)
{
	fprintf(out, "\"%s\":", key);
	lx_json_string(out, value, strlen(value));
}

static void json_hex(FILE *out, const char *key, uint64_t value)
{
	fprintf(out, "\"%s\":\"0x%llx\"", key, (unsigned long long)value);
}

void lx_json_integrity(FILE *out, const struct lx_integrity *in)
{
	const char *sep = "";
	int k;

	fprintf(out, "\"integrity\":{\"ok\":%s,", lx_integrity_ok(in) ? "true" : "false");
	if (in->moving)
		fprintf(out, "\"moving\":true,\"walks\":%u,", in->walks);
	fputs("\"problems\":[", out);
	for (k = 0; k < LX_PROB_COUNT; k++) {
		if (!in->count[k])
			continue;
		fprintf(out, "%s{", sep);
		json_key_string(out, "kind", lx_problem_names[k]);
		fprintf(out, ",\"count\":%u,", in->count[k]);
		json_key_string(out, "first", in->first[k]);
		fputc('}', out);
		sep = ",";
	}
	fputs("]}", out);
}

static void json_place(FILE *out, const struct lx_place *p)
{
	fputc('{', out);
	json_key_string(out, "symbol", p->name);
	fprintf(out, ",\"offset\":%llu,", (unsigned long long)p->offset);
	json_key_string(out, "module", p->module);
	fputc('}', out);
}

static void json_cache(FILE *out, const struct lx_cluster_job *job)
{
	const struct lx_cache *c = &job->cache;
	const struct lx_scan *scan = &job->scan;
	uint64_t objs[LX_SRC_COUNT], live[LX_SRC_COUNT];
	const char *sep = "";
	int i, src;

	fputs("\"cache\":{", out);
	json_key_string(out, "name", c->name);
	fputc(',', out);
	json_hex(out, "address", c->addr);
	fprintf(out, ",\"object_size\":%u,\"slot_size\":%u,\"objects_per_slab\":%u,\"order\":%u},",
		c->object_size, c->size, c->oo_objects, c->oo_order);
	lx_count_by_source(scan, objs, live);
	fprintf(out, "\"counts\":{\"slabs\":%zu,\"objects\":%llu,\"live\":%llu,\"free\":%llu,\"by_source\":{",
		scan->nslabs, (unsigned long long)scan->total,
		(unsigned long long)scan->live, (unsigned long long)scan->free);
	for (i = 0; i < LX_SRC_COUNT; i++) {
		src = lx_source_order[i];
		if (!(scan->sources & LX_SRC_BIT(src)))
			continue;
		fprintf(out, "%s\"%s\":{\"slabs\":%llu,\"objects\":%llu,\"live\":%llu}",
			sep, lx_source_names[src],
			(unsigned long long)scan->by_source[src],
			(unsigned long long)objs[src], (unsigned long long)live[src]);
		sep = ",";
	}
	fprintf(out, "},\"memmap_scanned\":%s,", scan->used_memmap ? "true" : "false");
	json_key_string(out, "free_pointers", lx_freeptr_mode_name(scan->fp_mode));
	fprintf(out, ",\"bad_slabs\":%u,\"broken_lists\":%u,\"unread_live\":%llu},",
		scan->bad_slabs, scan->bad_lists, (unsigned long long)job->unread);
	lx_json_integrity(out, &scan->integrity);
	fputc(',', out);
}

static void json_content(FILE *out, const struct lx_cluster_report *rep,
			 const struct lx_cluster_desc *d)
{
	unsigned int i;

	fprintf(out, "\"kind\":\"%s\",\"text_bytes\":%zu,\"preview\":",
		d->is_text ? "text" : "binary", d->is_text ? d->text_len : 0);
	lx_json_string(out, (const char *)d->head,
		       d->is_text && !rep->redact ? d->head_len : 0);
	fputs(",\"preview_hex\":\"", out);
	for (i = 0; i < d->head_len && !rep->redact; i++)
		fprintf(out, "%02x", d->head[i]);
	fputc('"', out);
	if (d->frame[0] && !rep->redact) {
		fputc(',', out);
		json_key_string(out, "frame", d->frame);
	}
	fprintf(out, ",\"sampled\":%u,\"strings\":[", d->readable);
	for (i = 0; i < d->nstrings; i++) {
		fprintf(out, "%s{", i ? "," : "");
		json_key_string(out, "text", rep->redact ? "" : d->strings[i].text);
		fprintf(out, ",\"length\":%zu,\"members\":%u}", strlen(d->strings[i].text),
			d->strings[i].members);
	}
	fprintf(out, "],\"classes\":\"%s\",\"class_unit\":%u,\"pointers\":[", d->classes,
		d->class_unit);
	for (i = 0; i < d->npointers; i++) {
		const struct lx_pointer_stat *p = &d->pointers[i];

		fprintf(out, "%s{\"offset\":%u,\"kind\":\"%s\",\"seen\":%u,", i ? "," : "",
			p->offset, p->symbol ? "symbol" : "object", p->seen);
		json_key_string(out, p->symbol ? "symbol" : "cache", p->place.name);
		fputc(',', out);
		json_key_string(out, "module", p->place.module);
		fputc('}', out);
	}
	fputs("],", out);
}

static void json_sites(FILE *out, const char *key, const struct lx_site_stat *sites,
		       unsigned int n)
{
	unsigned int i;

	fprintf(out, "\"%s\":[", key);
	for (i = 0; i < n; i++) {
		fprintf(out, "%s{\"count\":%u,\"site\":", i ? "," : "", sites[i].count);
		json_place(out, &sites[i].place);
		fputc('}', out);
	}
	fputs("]", out);
}

static void json_tracks(FILE *out, const struct lx_cluster_desc *d)
{
	unsigned int i;

	if (!d->tracked) {
		fputs("\"tracks\":null,", out);
		return;
	}
	fprintf(out, "\"tracks\":{\"with_track\":%u,", d->with_track);
	json_sites(out, "alloc", d->alloc_sites, d->nalloc_sites);
	fputc(',', out);
	json_sites(out, "free", d->free_sites, d->nfree_sites);
	if (d->caller_only)	/* SLAB's caller word: no task, time or stack */
		fputs(",\"pid\":null,\"cpu\":null,\"age_jiffies\":null,\"stack\":[", out);
	else
		fprintf(out, ",\"pid\":%d,\"cpu\":%d,\"age_jiffies\":[%llu,%llu],\"stack\":[",
			d->pid, d->cpu, (unsigned long long)d->age_min,
			(unsigned long long)d->age_max);
	for (i = 0; i < d->nstack; i++) {
		if (i)
			fputc(',', out);
		json_place(out, &d->stack[i]);
	}
	fputs("]},", out);
}

static void json_owner(FILE *out, const struct lx_cluster_desc *d)
{
	unsigned int i;

	fputs("\"owner\":{", out);
	json_key_string(out, "guess", d->owner);
	fprintf(out, ",\"confidence\":\"%s\",\"evidence\":[", lx_confidence_name(d->confidence));
	for (i = 0; i < d->nevidence; i++) {
		fprintf(out, "%s{\"signal\":\"%s\",", i ? "," : "", d->evidence[i].signal);
		json_key_string(out, "text", d->evidence[i].text);
		fputc('}', out);
	}
	fputs("],\"absent\":[", out);
	for (i = 0; i < d->nabsent; i++) {
		if (i)
			fputc(',', out);
		lx_json_string(out, d->absent[i], strlen(d->absent[i]));
	}
	fputs("]}", out);
}

/*
 * "referrers" (places holding members) and the counts; null when the
 * report was made without holders (-H), so every document has the keys.
 */
static void json_holders(FILE *out, const struct lx_cluster_desc *d)
{
	unsigned int i;

	if (!d->holders_known) {
		fputs("\"referrers\":null,\"members_scanned\":null,\"referenced\":null,\"unreferenced\":null,",
		      out);
		return;
	}
	fputs("\"referrers\":[", out);
	for (i = 0; i < d->nholders; i++) {
		const struct lx_holder_stat *h = &d->holders[i];

		fprintf(out, "%s{", i ? "," : "");
		json_key_string(out, "where", h->label);
		fputc(',', out);
		json_key_string(out, "kind", h->kind);
		fprintf(out, ",\"held\":%llu,\"words\":%llu,\"lost_holders\":%llu}",
			(unsigned long long)h->held, (unsigned long long)h->words,
			(unsigned long long)h->lost_holders);
	}
	fprintf(out, "],\"members_scanned\":%llu,\"referenced\":%llu,\"unreferenced\":%llu,",
		(unsigned long long)d->members_live, (unsigned long long)d->referenced,
		(unsigned long long)d->unreferenced);
	if (d->holder_note[0]) {
		json_key_string(out, "holder_note", d->holder_note);
		fputc(',', out);
	}
}

/* An alloc tag's site and its count (count_key: "objects" or "calls"). */
void lx_json_site(FILE *out, const struct lx_site_count *row, const char *count_key)
{
	const struct lx_alloc_site *site = &row->site;

	fputs("{\"function\":", out);
	lx_json_string(out, site->function, sizeof(site->function));
	fputs(",\"file\":", out);
	lx_json_string(out, site->file, sizeof(site->file));
	fprintf(out, ",\"line\":%u,\"module\":", site->line);
	lx_json_string(out, site->module, sizeof(site->module));
	fprintf(out, ",\"%s\":%llu,\"bytes\":%llu}", count_key,
		(unsigned long long)row->objects, (unsigned long long)row->bytes);
}

void lx_json_alloc_sites(FILE *out, const struct lx_site_table *t)
{
	size_t i;

	fprintf(out, "\"alloc_tags\":%s,\"untagged\":%llu,\"alloc_sites\":[",
		t->present ? "true" : "false", (unsigned long long)t->untagged);
	for (i = 0; i < t->count; i++) {
		if (i)
			fputc(',', out);
		lx_json_site(out, &t->rows[i], "objects");
	}
	fputc(']', out);
}

/* "signature":"<16 hex>", or null for a cluster no sample could sign. */
static void json_signature(FILE *out, const struct lx_cluster *c)
{
	char sig[LX_SIGNATURE_TEXT];

	if (c->has_signature)
		fprintf(out, "\"signature\":\"%s\",", lx_signature_text(c, sig));
	else
		fputs("\"signature\":null,", out);
}

/*
 * "kmemleak": its verdict counts on every member, the commonest stack
 * (code: kept by -R) and its task (content: -R drops the comm).
 */
static void json_kmemleak(FILE *out, const struct lx_cluster_report *rep,
			  const struct lx_kml_set *k)
{
	unsigned int v;

	fprintf(out, "\"kmemleak\":{\"members\":%llu,\"verdicts\":{",
		(unsigned long long)k->members);
	for (v = 0; v < LX_KML_VERDICTS; v++)
		fprintf(out, "%s\"%s\":%llu", v ? "," : "", lx_kml_verdict_names[v],
			(unsigned long long)k->verdicts[v]);
	fprintf(out, "},\"with_stack\":%llu,\"top_stack_members\":%llu,",
		(unsigned long long)k->with_stack, (unsigned long long)k->top_count);
	json_key_string(out, "site", k->site);
	fputs(",\"stack\":[", out);
	for (v = 0; v < k->nstack; v++) {
		if (v)
			fputc(',', out);
		lx_json_string(out, k->stack[v], strlen(k->stack[v]));
	}
	fprintf(out, "],\"pid\":%d,", k->pid);
	json_key_string(out, "comm", rep->redact ? "" : k->comm);
	fputc('}', out);
}

static void json_cluster(FILE *out, const struct lx_cluster_report *rep,
			 const struct lx_cluster_desc *d)
{
	const struct lx_cluster_job *job = rep->job;
	const struct lx_cluster *c = d->cluster;
	unsigned int i;

	fprintf(out, "{\"rank\":%u,\"count\":%llu,\"bytes\":%llu,\"share_of_live\":%.4f,\"members\":[",
		d->rank, (unsigned long long)c->count,
		(unsigned long long)c->count * job->cache.size,
		job->scan.live ? (double)c->count / job->scan.live : 0.0);
	for (i = 0; i < d->sampled && i < LX_MEMBERS_SHOWN; i++)
		fprintf(out, "%s\"0x%llx\"", i ? "," : "", (unsigned long long)d->samples[i]);
	fprintf(out, "],\"members_shown\":%u,\"members_total\":%llu,", i,
		(unsigned long long)c->count);
	json_signature(out, c);
	json_content(out, rep, d);
	json_tracks(out, d);
	json_holders(out, d);
	json_owner(out, d);
	if (d->tag_sites) {
		fputc(',', out);
		lx_json_alloc_sites(out, d->tag_sites);
	}
	if (d->kml && d->kml->present) {
		fputc(',', out);
		json_kmemleak(out, rep, d->kml);
	}
	fputc('}', out);
}

/*
 * Every document opens with the schema, the dump's label and, when the
 * front end says, where its types and symbols came from; ends after a ','.
 */
void lx_json_header(FILE *out, const struct lx_options *opt)
{
	fprintf(out, "{\"schema\":\"%s\",", LX_JSON_SCHEMA);
	json_key_string(out, "source", opt->source ? opt->source : "");
	if (opt->types) {
		fputc(',', out);
		json_key_string(out, "types", opt->types);
	}
	if (opt->symbols) {
		fputc(',', out);
		json_key_string(out, "symbols", opt->symbols);
	}
	fputc(',', out);
}

void lx_cluster_report_json(FILE *out, const struct lx_options *opt,
			    const struct lx_cluster_report *rep)
{
	unsigned int i;

	lx_json_header(out, opt);
	fprintf(out, "\"redacted\":%s,", rep->redact ? "true" : "false");
	json_cache(out, rep->job);
	fprintf(out, "\"clusters_total\":%zu,\"clusters\":[", rep->job->cl.nclusters);
	for (i = rep->first; i < rep->first + rep->n; i++) {
		if (i > rep->first)
			fputc(',', out);
		json_cluster(out, rep, &rep->descs[i]);
	}
	fputc(']', out);
	if (rep->cache_sites.present) {
		fputc(',', out);
		lx_json_alloc_sites(out, &rep->cache_sites);
	}
	fputs("}\n", out);
}

char *lx_signature_text(const struct lx_cluster *c, char buf[LX_SIGNATURE_TEXT])
{
	if (c->has_signature)
		snprintf(buf, LX_SIGNATURE_TEXT, "%016llx", (unsigned long long)c->signature);
	else
		snprintf(buf, LX_SIGNATURE_TEXT, "unknown");
	return buf;
}

void lx_json_error_document(FILE *out, const char *source, const char *error)
{
	fprintf(out, "{\"schema\":\"%s\",", LX_JSON_SCHEMA);
	json_key_string(out, "source", source);
	fputc(',', out);
	json_key_string(out, "error", error);
	fputs("}\n", out);
}
