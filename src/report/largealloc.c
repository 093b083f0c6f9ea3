// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Large kmalloc allocations (analysis/largealloc.h), for people and for
 * JSON: groups by owner and alloc tag site, largest first; each group's
 * first allocation in full (page_owner record, stack, preview), the
 * others by address.  The ranking's line for them.
 */
#include <string.h>

#include "report/report.h"

#define OTHERS_SHOWN 8		/* a group's other allocations, without -a */

static const char *basis_text(enum lx_large_basis b)
{
	return b == LX_LARGE_PAGE_TYPE ? "the page type PGTY_large_kmalloc" :
	       b == LX_LARGE_OWNER_STACK ? "a kmalloc-large function in the page_owner stack" :
	       "nothing";
}

static const char *basis_key(enum lx_large_basis b)
{
	return b == LX_LARGE_PAGE_TYPE ? "page_type" :
	       b == LX_LARGE_OWNER_STACK ? "page_owner_stack" : "none";
}

static size_t groups_shown(const struct lx_options *opt, const struct lx_large_result *r)
{
	unsigned int top = opt->top ? opt->top : LX_DEFAULT_TOP;

	return opt->all || top >= r->ngroups ? r->ngroups : top;
}

/* "file:line [module] func:function", as /proc/allocinfo writes a tag. */
static void site_line(FILE *out, const struct lx_alloc_site *site)
{
	fprintf(out, "  alloc tag: %s:%u", site->file, site->line);
	if (site->module[0])
		fprintf(out, " [%s]", site->module);
	fprintf(out, " func:%s\n", site->function);
}

static void owner_line(FILE *out, const struct lx_large_alloc *a)
{
	const struct lx_page_owner *o = &a->owner;

	if (!a->has_owner) {
		fputs("no page_owner record", out);
		return;
	}
	fprintf(out, "pid %d tgid %d (%s)  ts %llu ns  gfp %#x", o->pid, o->tgid, o->comm,
		(unsigned long long)o->ts_nsec, o->gfp);
}

static void alloc_line(FILE *out, const struct lx_large_alloc *a)
{
	fprintf(out, "  %#llx  order %u  %llu bytes  ", (unsigned long long)a->addr,
		a->order, (unsigned long long)a->bytes);
	owner_line(out, a);
	fputc('\n', out);
}

static void alloc_full(struct lx_session *s, FILE *out, const struct lx_options *opt,
		       const struct lx_large_alloc *a)
{
	char frame[LX_FRAME_TEXT_MAX];
	unsigned int i;

	alloc_line(out, a);
	if (a->npreview && !opt->redact) {
		fputs("    preview: ", out);
		lx_print_escaped(out, a->preview, a->npreview, a->npreview, LX_REPORT_WIDTH - 14);
		fputc('\n', out);
	}
	if (a->nframes)
		fputs("    allocation stack (page_owner):\n", out);
	for (i = 0; i < a->nframes; i++) {
		lx_large_frame(s, a, i, frame, sizeof(frame));
		fprintf(out, "      %s%s\n", frame, i == a->owner_frame ? "   <- owner" : "");
	}
}

static void group_text(struct lx_session *s, FILE *out, const struct lx_options *opt,
		       const struct lx_large_result *r, size_t g)
{
	const struct lx_large_group *grp = &r->groups[g];
	const struct lx_large_alloc *first = &r->allocs[grp->first];
	size_t i, others = 0;

	fprintf(out, "\nGROUP %zu: %s: %llu allocations, %llu bytes\n", g + 1,
		grp->owner[0] ? grp->owner : "(owner unknown: no page_owner stack)",
		(unsigned long long)grp->count, (unsigned long long)grp->bytes);
	if (first->has_site)
		site_line(out, &first->site);
	alloc_full(s, out, opt, first);
	for (i = grp->first + 1; i < r->count && others + 1 < grp->count; i++) {
		const struct lx_large_alloc *a = &r->allocs[i];

		if (a->group != g)
			continue;
		if (opt->all || others < OTHERS_SHOWN)
			alloc_line(out, a);
		others++;
	}
	if (others > OTHERS_SHOWN && !opt->all)
		fprintf(out, "  ... and %zu more (-a lists all)\n", others - OTHERS_SHOWN);
}

void lx_large_text(struct lx_session *s, FILE *out, const struct lx_options *opt,
		   const struct lx_large_result *r)
{
	size_t g, n = groups_shown(opt, r);

	fprintf(out, "LARGE KMALLOC ALLOCATIONS (no cache: from the page allocator, above the largest kmalloc cache): %zu, %llu bytes (%.2f MiB)\n",
		r->count, (unsigned long long)r->bytes, (double)r->bytes / (1 << 20));
	fprintf(out, "told by %s, among %llu compound pages that are not slabs; %zu groups by owner and alloc tag",
		basis_text(r->basis), (unsigned long long)r->compound_heads, r->ngroups);
	if (n < r->ngroups)
		fprintf(out, ", %zu shown (-a shows all)", n);
	fputc('\n', out);
	if (!r->page_owner)
		fputs("no page_owner records (page_owner=on was not given at boot): no pid, comm or stack\n",
		      out);
	if (r->unreadable_bytes)
		fprintf(out, "WARNING: %llu bytes of the memory map could not be read; allocations there are missing\n",
			(unsigned long long)r->unreadable_bytes);
	for (g = 0; g < n; g++)
		group_text(s, out, opt, r, g);
}

static void json_alloc(struct lx_session *s, FILE *out, const struct lx_options *opt,
		       const struct lx_large_alloc *a)
{
	char frame[LX_FRAME_TEXT_MAX];
	unsigned int i;

	fprintf(out, "{\"address\":\"0x%llx\",\"pfn\":%llu,\"order\":%u,\"bytes\":%llu",
		(unsigned long long)a->addr, (unsigned long long)a->pfn, a->order,
		(unsigned long long)a->bytes);
	fprintf(out, ",\"page_owner\":%s", a->has_owner ? "true" : "false");
	if (a->has_owner) {
		fprintf(out, ",\"pid\":%d,\"tgid\":%d,\"ts_nsec\":%llu,\"gfp\":\"0x%x\",\"comm\":",
			a->owner.pid, a->owner.tgid, (unsigned long long)a->owner.ts_nsec,
			a->owner.gfp);
		lx_json_string(out, a->owner.comm, sizeof(a->owner.comm));
	}
	fputs(",\"stack\":[", out);
	for (i = 0; i < a->nframes; i++) {
		lx_large_frame(s, a, i, frame, sizeof(frame));
		if (i)
			fputc(',', out);
		lx_json_string(out, frame, sizeof(frame));
	}
	fputc(']', out);
	if (a->npreview && !opt->redact) {
		fputs(",\"preview_hex\":\"", out);
		for (i = 0; i < a->npreview; i++)
			fprintf(out, "%02x", a->preview[i]);
		fputc('"', out);
	}
	fputc('}', out);
}

static void json_group(struct lx_session *s, FILE *out, const struct lx_options *opt,
		       const struct lx_large_result *r, size_t g)
{
	const struct lx_large_group *grp = &r->groups[g];
	const struct lx_large_alloc *first = &r->allocs[grp->first];
	struct lx_site_count row = { .objects = grp->count, .bytes = grp->bytes };
	size_t i, n = 0;

	fputs("{\"owner\":", out);
	lx_json_string(out, grp->owner, sizeof(grp->owner));
	fprintf(out, ",\"count\":%llu,\"bytes\":%llu,\"alloc_site\":",
		(unsigned long long)grp->count, (unsigned long long)grp->bytes);
	if (first->has_site) {
		row.site = first->site;
		lx_json_site(out, &row, "allocations");
	} else {
		fputs("null", out);
	}
	fputs(",\"allocations\":[", out);
	for (i = grp->first; i < r->count; i++) {
		if (r->allocs[i].group != g)
			continue;
		if (n++)
			fputc(',', out);
		json_alloc(s, out, opt, &r->allocs[i]);
	}
	fputs("]}", out);
}

void lx_large_json(struct lx_session *s, FILE *out, const struct lx_options *opt,
		   const struct lx_large_result *r)
{
	size_t g, n = groups_shown(opt, r);

	lx_json_header(out, opt);
	fprintf(out, "\"large_allocs\":{\"basis\":\"%s\",\"page_owner\":%s,\"alloc_tags\":%s,",
		basis_key(r->basis), r->page_owner ? "true" : "false",
		r->alloc_tags ? "true" : "false");
	fprintf(out, "\"count\":%zu,\"bytes\":%llu,\"compound_heads\":%llu,\"unreadable_bytes\":%llu,\"groups_total\":%zu,\"groups\":[",
		r->count, (unsigned long long)r->bytes, (unsigned long long)r->compound_heads,
		(unsigned long long)r->unreadable_bytes, r->ngroups);
	for (g = 0; g < n; g++) {
		if (g)
			fputc(',', out);
		json_group(s, out, opt, r, g);
	}
	fputs("]}}\n", out);
}

void lx_large_ranking_line(FILE *out, int addr_digits, uint64_t count, uint64_t bytes)
{
	fprintf(out, "%-*s  %7s  %9llu  %9s  %6s  %8.2f  %6s  %s\n", addr_digits, "-", "-",
		(unsigned long long)count, "-", "-", (double)bytes / (1 << 20), "-",
		"large kmalloc (no cache; leakscan --large lists them)");
}
