// SPDX-License-Identifier: GPL-2.0-or-later
/* The cluster report of one cache: text for people, JSON for pipelines. */
#include <stdlib.h>
#include <string.h>

#include "report/model.h"
#include "report/report.h"

static void print_preview(FILE *out, const struct lx_cluster_report *rep,
			  const struct lx_cluster_desc *d)
{
	size_t i;

	if (rep->redact) {
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

static void print_strings(FILE *out, const struct lx_cluster_report *rep,
			  const struct lx_cluster_desc *d)
{
	unsigned int i;

	for (i = 0; i < d->nstrings; i++) {
		fprintf(out, "  %-9s %2u/%-2u ", i ? "" : "strings", d->strings[i].members,
			d->readable);
		if (rep->redact)
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
	if (d->caller_only) {
		fprintf(out, "            (the caller of each object's last allocation, kept by SLAB_STORE_USER)\n");
		return;
	}
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

/* Every member's site from its alloc tag: the largest few. */
static void print_alloc_tags(FILE *out, const struct lx_cluster_desc *d)
{
	const struct lx_site_table *t = d->tag_sites;
	char line[LX_SITE_FILE_MAX + LX_SITE_FUNC_MAX + LX_SITE_MOD_MAX + 64];
	char mod[LX_SITE_MOD_MAX + 3];
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->count && i < LX_DESC_SITES; i++) {
		const struct lx_site_count *r = &t->rows[i];

		snprintf(mod, sizeof(mod), r->site.module[0] ? " [%s]" : "%s", r->site.module);
		snprintf(line, sizeof(line), "%llu/%llu allocated at %s() %s:%u%s",
			 (unsigned long long)r->objects, (unsigned long long)t->objects,
			 r->site.function, r->site.file, r->site.line, mod);
		lx_print_wrapped(out, i ? "            " : "  alloc tag ", "                ",
				 line);
	}
	if (t->count > LX_DESC_SITES)
		fprintf(out, "            ... %zu more sites\n", t->count - LX_DESC_SITES);
	if (t->untagged)
		fprintf(out, "            %llu/%llu have no alloc tag\n",
			(unsigned long long)t->untagged, (unsigned long long)t->objects);
}

/* kmemleak's verdicts on every member, and the stack most share. */
static void print_kmemleak(FILE *out, const struct lx_cluster_desc *d)
{
	const struct lx_kml_set *k = d->kml;
	char line[LX_KML_STACK_SHOWN * LX_FRAME_TEXT_MAX];
	size_t len;
	unsigned int v;

	if (!k || !k->present)
		return;
	len = snprintf(line, sizeof(line), "%llu/%llu reported unreferenced at its last scan",
		       (unsigned long long)k->verdicts[LX_KML_REPORTED],
		       (unsigned long long)k->members);
	for (v = LX_KML_REPORTED + 1; v < LX_KML_VERDICTS && len < sizeof(line); v++)
		if (k->verdicts[v])
			len += snprintf(line + len, sizeof(line) - len, "; %llu %s",
					(unsigned long long)k->verdicts[v],
					lx_kml_verdict_names[v]);
	lx_print_wrapped(out, "  kmemleak  ", "            ", line);
	if (!k->top_handle)
		return;
	snprintf(line, sizeof(line), "%llu/%llu allocated at %s, by pid %d (%s)",
		 (unsigned long long)k->top_count, (unsigned long long)k->members,
		 k->site[0] ? k->site : "an unreadable stack", k->pid, k->comm);
	lx_print_wrapped(out, "            ", "                ", line);
	for (v = 0; v < k->nstack; v++)
		fprintf(out, "  %-9s %s\n", v ? "" : "stack", k->stack[v]);
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
		lx_print_wrapped(out, i ? "            " : "  held by   ", "                ",
				 name);
	}
	if (!d->nholders)
		fprintf(out, "  held by   nothing scanned points at a member\n");
	if (d->holder_note[0])
		lx_print_wrapped(out, "  holders   ", "            ", d->holder_note);
	fprintf(out, "  referenced %llu of %llu members; %llu unreferenced (no root reaches them)\n",
		(unsigned long long)d->referenced, (unsigned long long)d->members_live,
		(unsigned long long)d->unreferenced);
}

static void print_cluster(FILE *out, const struct lx_cluster_report *rep,
			  const struct lx_cluster_desc *d)
{
	const struct lx_cluster *c = d->cluster;
	char sig[LX_SIGNATURE_TEXT];
	double share = rep->job->scan.live ? 100.0 * c->count / rep->job->scan.live : 0;

	fprintf(out, "\nCLUSTER %u: %llu objects, %.1f%% of %llu live, %.2f MiB, signature %s\n",
		d->rank, (unsigned long long)c->count, share,
		(unsigned long long)rep->job->scan.live,
		(double)c->count * rep->job->cache.size / (1 << 20), lx_signature_text(c, sig));
	print_members(out, d);
	print_preview(out, rep, d);
	if (d->frame[0] && !rep->redact)
		lx_print_wrapped(out, "  frame     ", "            ", d->frame);
	print_strings(out, rep, d);
	fprintf(out, "  classes   %s\n            (%u bytes per char: t text, 0 zero, p pointer, s kernel symbol, n small number, . other)\n",
		d->classes, d->class_unit);
	print_pointers(out, d);
	print_alloc_tags(out, d);
	print_kmemleak(out, d);
	print_tracks(out, d);
	print_holders(out, d);
	print_owner(out, d);
}

static void print_cluster_header(FILE *out, const struct lx_cluster_report *rep,
				 unsigned int shown)
{
	fprintf(out, "\n%zu clusters of %llu live objects (content that differs only in numbers,\n"
		"pointer values or stale bytes is one cluster); %u largest shown",
		rep->job->cl.nclusters, (unsigned long long)rep->job->cl.count, shown);
	if (shown < rep->job->cl.nclusters)
		fputs(", -a shows all", out);
	fputs(".\n", out);
	if (rep->job->unread)
		fprintf(out, "WARNING: %llu live objects sit on unreadable slabs and are not clustered\n",
			(unsigned long long)rep->job->unread);
}

void lx_cluster_report_text(FILE *out, const struct lx_cluster_report *rep)
{
	unsigned int i;

	print_cluster_header(out, rep, rep->n);
	for (i = rep->first; i < rep->first + rep->n; i++)
		print_cluster(out, rep, &rep->descs[i]);
	lx_site_table_text(out, rep->job->cache.name, &rep->cache_sites);
}
