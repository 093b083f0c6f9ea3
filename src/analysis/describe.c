// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cluster descriptions: what the sampled members hold (preview, strings,
 * byte classes, pointer targets), their owner tracks, and the owner guess
 * that weighs those signals.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/cachetypes.h"
#include "analysis/describe.h"
#include "analysis/largealloc.h"
#include "slab/memmap.h"
#include "analysis/netview.h"

enum { KIND_HEAP, KIND_VMALLOC, KIND_VMEMMAP, KIND_IMAGE };

size_t lx_kernel_ranges(struct lx_session *s, struct lx_ptr_range *r, size_t max)
{
	const struct lx_kernel *K = &s->K;
	const struct lx_arch *a = &s->arch;
	uint64_t direct_end = K->direct_map_end ? K->direct_map_end :
			      a->direct_map_base +
			      ((K->max_pfn ? K->max_pfn : 1ULL << 28) << a->page_shift);
	size_t n = 0;

	if (max < 5)
		return 0;
	/* First match wins: the image and modules may lie inside vmalloc space (arm64). */
	r[n++] = (struct lx_ptr_range){ a->kernel_map_base, a->kernel_map_end, KIND_IMAGE, true };
	if (a->modules_end)
		r[n++] = (struct lx_ptr_range){ a->modules_start, a->modules_end,
						KIND_IMAGE, true };
	r[n++] = (struct lx_ptr_range){ a->direct_map_base, direct_end, KIND_HEAP, false };
	if (a->vmalloc_start)
		r[n++] = (struct lx_ptr_range){ a->vmalloc_start, a->vmalloc_end,
						KIND_VMALLOC, false };
	r[n++] = (struct lx_ptr_range){ a->vmemmap_base, a->vmemmap_base + a->vmemmap_span,
					KIND_VMEMMAP, false };
	return n;
}

const char *lx_confidence_name(enum lx_confidence c)
{
	return c == LX_CONF_HIGH ? "high" : c == LX_CONF_MEDIUM ? "medium" : "low";
}

void lx_place_format(const struct lx_place *p, char *buf, size_t len)
{
	int n = p->offset ? snprintf(buf, len, "%s+%#llx", p->name,
				     (unsigned long long)p->offset) :
			    snprintf(buf, len, "%s", p->name);

	if (p->module[0] && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " [%s]", p->module);
}

static bool resolve_place(struct lx_session *s, uint64_t addr, struct lx_place *p)
{
	memset(p, 0, sizeof(*p));
	p->addr = addr;
	if (!lx_addr_symbol(s->t, addr, p->name, sizeof(p->name), &p->offset,
			    p->module, sizeof(p->module))) {
		snprintf(p->name, sizeof(p->name), "%#llx", (unsigned long long)addr);
		return false;
	}
	lx_sanitize(p->name);
	lx_sanitize(p->module);
	return true;
}

void lx_describe_prepare(const struct lx_clusterer *cl, struct lx_cluster_desc *d,
			 unsigned int n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&d[i], 0, sizeof(d[i]));
		d[i].rank = i + 1;
		d[i].cluster = &cl->clusters[i];
	}
	for (i = 0; i < cl->count; i++) {
		uint32_t k = cl->member_of[i];

		if (k < n && d[k].sampled < LX_DESC_SAMPLES)
			d[k].samples[d[k].sampled++] = cl->addrs[i];
	}
}

/* Per-cluster scratch: sampled contents and tallies. */
struct sample_set {
	uint8_t *mem;		/* LX_DESC_SAMPLES * len */
	size_t len;		/* whole words */
	unsigned int word;	/* the kernel's word size */
	bool ok[LX_DESC_SAMPLES];
	/* per word offset; 4 bytes is the smallest word */
	unsigned int classes[LX_DESC_BYTES / 4][LX_WC_COUNT];
};

static uint8_t *sample(struct sample_set *ss, unsigned int i)
{
	return ss->mem + (size_t)i * ss->len;
}

static void first_member(struct lx_cluster_desc *d, const uint8_t *obj, size_t len)
{
	d->head_len = len < sizeof(d->head) ? len : sizeof(d->head);
	memcpy(d->head, obj, d->head_len);
	d->text_len = lx_text_run(obj, 0, len);
	d->is_text = d->text_len >= LX_MIN_TEXT_BUFFER;
}

static const char class_chars[LX_WC_COUNT] = {
	[LX_WC_ZERO] = '0', [LX_WC_TEXT] = 't', [LX_WC_PTR] = 'p',
	[LX_WC_SYMBOL] = 's', [LX_WC_SMALL] = 'n', [LX_WC_OTHER] = '.',
};

/*
 * The class map: majority class per word, one char per class_unit bytes
 * (a word, or 64 bytes in objects larger than 512).
 */
static void summarize_classes(struct lx_cluster_desc *d, struct sample_set *ss)
{
	size_t words = ss->len / ss->word, per, i, w;

	d->class_unit = ss->len > 512 ? 64 : ss->word;
	per = d->class_unit / ss->word;
	for (i = 0; i * per < words && i < sizeof(d->classes) - 1; i++) {
		unsigned int votes[LX_WC_COUNT] = { 0 }, best = LX_WC_ZERO, k;

		for (w = i * per; w < (i + 1) * per && w < words; w++)
			for (k = 0; k < LX_WC_COUNT; k++)
				votes[k] += ss->classes[w][k];
		/* anything beats zero: a block with one pointer shows it */
		for (k = 1; k < LX_WC_COUNT; k++)
			if (votes[k] && (best == LX_WC_ZERO || votes[k] > votes[best]))
				best = k;
		if (votes[LX_WC_ZERO] > 4 * (votes[best] + 1) && best != LX_WC_ZERO &&
		    best != LX_WC_SYMBOL && best != LX_WC_PTR)
			best = LX_WC_ZERO;
		d->classes[i] = class_chars[best];
	}
	d->classes[i] = '\0';
}

static void normalize_digits(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (; *in && o + 1 < len; in++) {
		if (*in >= '0' && *in <= '9') {
			if (o == 0 || out[o - 1] != '#')
				out[o++] = '#';
			continue;
		}
		out[o++] = *in;
	}
	out[o] = '\0';
}

#define MAX_DISTINCT_STRINGS 256

struct string_tally {
	char key[MAX_DISTINCT_STRINGS][64];
	struct lx_string_stat stat[MAX_DISTINCT_STRINGS];
	unsigned int last_sample[MAX_DISTINCT_STRINGS];
	unsigned int n;
};

static void tally_string(struct string_tally *st, const char *text, unsigned int sample_no)
{
	char key[64];
	unsigned int i;

	normalize_digits(text, key, sizeof(key));
	for (i = 0; i < st->n; i++)
		if (!strcmp(st->key[i], key))
			break;
	if (i == st->n) {
		if (st->n == MAX_DISTINCT_STRINGS)
			return;
		snprintf(st->key[i], sizeof(st->key[i]), "%s", key);
		memset(&st->stat[i], 0, sizeof(st->stat[i]));
		snprintf(st->stat[i].text, sizeof(st->stat[i].text), "%s", text);
		st->n++;
	} else if (st->last_sample[i] == sample_no + 1) {
		return;		/* count each member once */
	}
	st->last_sample[i] = sample_no + 1;
	st->stat[i].members++;
}

/* Strings: runs of >= 4 printable bytes; a text buffer ends at its NUL. */
static void collect_strings(struct string_tally *st, const uint8_t *obj, size_t len,
			    unsigned int sample_no)
{
	char run[LX_TEXT_MAX];
	size_t i = 0, n = 0, end = lx_text_run(obj, 0, len);

	if (end >= 16)
		len = end;
	for (i = 0; i <= len; i++) {
		if (i < len && lx_is_printable(obj[i])) {
			if (n + 1 < sizeof(run))
				run[n++] = obj[i];
			continue;
		}
		if (n >= 4) {
			run[n] = '\0';
			tally_string(st, run, sample_no);
		}
		n = 0;
	}
}

static int string_cmp(const void *a, const void *b)
{
	const struct lx_string_stat *x = a, *y = b;
	size_t lx = strlen(x->text), ly = strlen(y->text);

	if (x->members != y->members)
		return x->members > y->members ? -1 : 1;
	if (lx != ly)
		return lx > ly ? -1 : 1;
	return strcmp(x->text, y->text);
}

static void summarize_strings(struct lx_cluster_desc *d, struct sample_set *ss,
			      struct string_tally *st)
{
	unsigned int i;

	st->n = 0;
	for (i = 0; i < d->sampled; i++)
		if (ss->ok[i])
			collect_strings(st, sample(ss, i), ss->len, i);
	qsort(st->stat, st->n, sizeof(st->stat[0]), string_cmp);
	/* A string only one of several members holds says nothing common. */
	for (i = 0; i < st->n && i < LX_DESC_STRINGS; i++) {
		if (st->stat[i].members < 2 && d->readable > 2)
			break;
		d->strings[i] = st->stat[i];
	}
	d->nstrings = i;
}

#define MAX_TARGETS 8
#define CACHE_NAMES 16

/* Memo of cache names seen as pointer targets. */
struct name_memo {
	uint64_t addr[CACHE_NAMES];
	char name[CACHE_NAMES][LX_NAME_MAX];
	unsigned int n;
};

static void cache_name(struct lx_session *s, struct name_memo *m, uint64_t cache,
		       char *out, size_t len)
{
	struct lx_cache c;
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->addr[i] == cache) {
			snprintf(out, len, "%s", m->name[i]);
			return;
		}
	if (lx_cache_read(s, cache, &c))
		snprintf(c.name, sizeof(c.name), "cache %#llx", (unsigned long long)cache);
	snprintf(out, len, "%s", c.name);
	if (m->n < CACHE_NAMES) {
		m->addr[m->n] = cache;
		snprintf(m->name[m->n++], LX_NAME_MAX, "%s", c.name);
	}
}

/* What a pointer value points at: a symbol, or the cache of a heap object. */
static void pointer_target(struct lx_session *s, struct name_memo *m,
			   const struct lx_ptr_range *range, uint64_t value,
			   struct lx_place *p)
{
	uint64_t cache;

	memset(p, 0, sizeof(*p));
	if (range->exact) {
		resolve_place(s, value, p);
		p->offset = 0;	/* group by symbol, not by exact address */
		p->addr = 0;
		return;
	}
	if (range->kind != KIND_HEAP) {
		snprintf(p->name, sizeof(p->name), "%s",
			 range->kind == KIND_VMALLOC ? "(vmalloc)" : "(struct page)");
		return;
	}
	cache = lx_slab_cache_of(s, value);
	if (cache)
		cache_name(s, m, cache, p->name, sizeof(p->name));
	else
		snprintf(p->name, sizeof(p->name), "(not slab)");
}

static bool same_place(const struct lx_place *a, const struct lx_place *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->module, b->module);
}

static void describe_offset(struct lx_session *s, struct lx_cluster_desc *d,
			    struct sample_set *ss, const struct lx_ptr_range *ranges,
			    size_t nranges, struct name_memo *memo, size_t word)
{
	struct lx_site_stat targets[MAX_TARGETS];
	bool exact[MAX_TARGETS];
	unsigned int ntargets = 0, i, k, best = 0;

	for (i = 0; i < d->sampled; i++) {
		uint64_t value = lx_word_value(sample(ss, i) + word * ss->word, ss->word);
		const struct lx_ptr_range *r = lx_ptr_range_of(ranges, nranges, value);
		struct lx_place p;

		if (!ss->ok[i] || !r)
			continue;
		pointer_target(s, memo, r, value, &p);
		for (k = 0; k < ntargets && !same_place(&targets[k].place, &p); k++)
			;
		if (k == ntargets) {
			if (ntargets == MAX_TARGETS)
				continue;
			exact[ntargets] = r->exact;
			targets[ntargets].place = p;
			targets[ntargets++].count = 0;
		}
		targets[k].count++;
	}
	for (k = 1; k < ntargets; k++)
		if (targets[k].count > targets[best].count)
			best = k;
	if (!ntargets)
		return;
	d->pointers[d->npointers] = (struct lx_pointer_stat){
		.offset = word * ss->word,
		.symbol = exact[best],
		.place = targets[best].place,
		.seen = targets[best].count,
	};
	d->npointers++;
}

/* Word offsets where at least half the members hold a pointer. */
static void summarize_pointers(struct lx_session *s, struct lx_cluster_desc *d,
			       struct sample_set *ss, const struct lx_ptr_range *ranges,
			       size_t nranges, struct name_memo *memo)
{
	size_t word;

	for (word = 0; word < ss->len / ss->word && d->npointers < LX_DESC_POINTERS; word++) {
		unsigned int ptrs = ss->classes[word][LX_WC_PTR] +
				    ss->classes[word][LX_WC_SYMBOL];

		if (ptrs && ptrs * 2 >= d->readable)
			describe_offset(s, d, ss, ranges, nranges, memo, word);
	}
}

/* Typed views: the member each pointer sits in, when the cache's struct is known. */
static void name_pointers(struct lx_session *s, const struct lx_cache *c,
			  struct lx_cluster_desc *d)
{
	char type[LX_NAME_MAX];
	unsigned int i;

	if (!d->npointers || !lx_cache_type(s, c, type, sizeof(type)))
		return;
	for (i = 0; i < d->npointers; i++)
		lx_type_member(s, type, d->pointers[i].offset, d->pointers[i].member,
			       sizeof(d->pointers[i].member));
}

static void tally_site(struct lx_session *s, struct lx_site_stat *sites,
		       unsigned int *n, uint64_t addr)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (sites[i].place.addr == addr) {
			sites[i].count++;
			return;
		}
	if (*n == LX_DESC_SITES)
		return;		/* rarer sites are not shown */
	resolve_place(s, addr, &sites[*n].place);
	sites[(*n)++].count = 1;
}

static int site_cmp(const void *a, const void *b)
{
	const struct lx_site_stat *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->place.addr < y->place.addr ? -1 : x->place.addr > y->place.addr;
}

static void note_age(struct lx_cluster_desc *d, const struct lx_tracks *tr,
		     const struct lx_track *alloc)
{
	uint64_t age = lx_track_age(tr, alloc);

	if (d->with_track == 1) {
		d->pid = alloc->pid;
		d->cpu = alloc->cpu;
		d->age_min = d->age_max = age;
	}
	if (age < d->age_min)
		d->age_min = age;
	if (age > d->age_max)
		d->age_max = age;
}

static void summarize_stack(struct lx_session *s, struct lx_cluster_desc *d,
			    struct lx_tracks *tr, uint32_t handle)
{
	uint64_t frames[LX_STACK_MAX];
	unsigned int i, n = lx_stack_fetch(s, tr, handle, frames, LX_STACK_MAX);

	for (i = 0; i < n; i++)
		resolve_place(s, frames[i], &d->stack[i]);
	d->nstack = n;
}

static void summarize_tracks(struct lx_session *s, const struct lx_cache *c,
			     struct lx_tracks *tr, struct lx_cluster_desc *d)
{
	struct lx_track allocs[LX_DESC_SAMPLES], freed;
	uint32_t top_handle = 0;
	unsigned int i;

	d->tracked = tr->present;
	d->caller_only = tr->caller_only;
	d->no_tracks = s->alloc->no_tracks;
	if (!tr->present)
		return;
	for (i = 0; i < d->sampled; i++) {
		if (!lx_tracks_read(s, c, tr, d->samples[i], &allocs[i], &freed))
			allocs[i].addr = 0;
		if (!allocs[i].addr)
			continue;
		d->with_track++;
		tally_site(s, d->alloc_sites, &d->nalloc_sites, allocs[i].addr);
		if (freed.addr)
			tally_site(s, d->free_sites, &d->nfree_sites, freed.addr);
		if (!tr->caller_only)
			note_age(d, tr, &allocs[i]);
	}
	qsort(d->alloc_sites, d->nalloc_sites, sizeof(d->alloc_sites[0]), site_cmp);
	qsort(d->free_sites, d->nfree_sites, sizeof(d->free_sites[0]), site_cmp);
	/* the stack of the first member allocated at the top site */
	for (i = 0; i < d->sampled && d->nalloc_sites && !top_handle; i++)
		if (allocs[i].addr && allocs[i].addr == d->alloc_sites[0].place.addr)
			top_handle = allocs[i].handle;
	summarize_stack(s, d, tr, top_handle);
}

static void summarize_signature(struct lx_cluster_desc *d, struct sample_set *ss)
{
	const struct lx_signature *first = NULL;
	unsigned int i;

	for (i = 0; i < d->sampled; i++) {
		const struct lx_signature *sig;

		if (!ss->ok[i])
			continue;
		if (!d->frame[0])
			lx_frame_decode(sample(ss, i), ss->len, d->frame, sizeof(d->frame));
		sig = lx_signature_match(sample(ss, i), ss->len);
		if (!first)
			first = sig;
		if (sig && sig == first)
			d->signature_hits++;
	}
	d->signature = first;
}

static struct lx_evidence *add_evidence(struct lx_cluster_desc *d, const char *signal)
{
	struct lx_evidence *e;

	if (d->nevidence == LX_DESC_EVIDENCE)
		return NULL;
	e = &d->evidence[d->nevidence++];
	e->signal = signal;
	return e;
}

static void bare_function(const struct lx_place *p, char *buf, size_t len)
{
	if (p->module[0])
		snprintf(buf, len, "%s() [%s]", p->name, p->module);
	else
		snprintf(buf, len, "%s()", p->name);
}

/* Signal 1: the allocation call site most members share. */
static bool weigh_tracks(struct lx_cluster_desc *d, char *who, size_t len)
{
	const struct lx_site_stat *top = &d->alloc_sites[0];
	struct lx_evidence *e;
	char where[2 * LX_NAME_MAX + 32];

	if (!d->tracked) {
		snprintf(d->no_tracks_why, sizeof(d->no_tracks_why), "alloc tracks (%s)",
			 d->no_tracks ? d->no_tracks : "none");
		d->absent[d->nabsent++] = d->no_tracks_why;
		return false;
	}
	if (!d->nalloc_sites || top->count * 2 < d->with_track) {
		d->absent[d->nabsent++] = "alloc tracks (no call site dominates)";
		return false;
	}
	lx_place_format(&top->place, where, sizeof(where));
	e = add_evidence(d, "alloc-track");
	if (e)
		snprintf(e->text, sizeof(e->text), "%u/%u sampled members allocated at %s%s",
			 top->count, d->with_track, where,
			 d->nfree_sites ? "" : ", none freed before");
	if (!who[0])
		bare_function(&top->place, who, len);
	return true;
}

/*
 * Signal 0: the alloc tag (memory allocation profiling) of every member,
 * not a sample: the call site the kernel itself recorded.  True when one
 * site holds at least four fifths of the members.
 */
static bool weigh_tags(struct lx_cluster_desc *d, char *who, size_t len)
{
	const struct lx_site_table *t = d->tag_sites;
	const struct lx_site_count *top;
	struct lx_evidence *e;
	char mod[LX_SITE_MOD_MAX + 3] = "";

	if (!t || !t->present || !t->objects)
		return false;
	if (!t->count || t->rows[0].objects * 2 < t->objects) {
		d->absent[d->nabsent++] = "alloc tags (no call site dominates)";
		return false;
	}
	top = &t->rows[0];
	if (top->site.module[0])
		snprintf(mod, sizeof(mod), " [%s]", top->site.module);
	e = add_evidence(d, "alloc-tag");
	if (e)
		snprintf(e->text, sizeof(e->text), "%llu/%llu allocated at %s() %s:%u%s",
			 (unsigned long long)top->objects, (unsigned long long)t->objects,
			 top->site.function, top->site.file, top->site.line, mod);
	snprintf(who, len, "%s()%s", top->site.function, mod);
	return top->objects * 5 >= t->objects * 4;
}

/*
 * Signal 1b: kmemleak's record of every member: the allocation stack most
 * share (its first frame outside the allocator) and the allocating task.
 * True when one stack holds at least four fifths of the members.
 */
static bool weigh_kmemleak(struct lx_cluster_desc *d, char *who, size_t len)
{
	const struct lx_kml_set *k = d->kml;
	struct lx_evidence *e;

	if (!k || !k->present || !k->members)
		return false;
	if (!k->site[0] || k->top_count * 2 < k->members) {
		d->absent[d->nabsent++] = "kmemleak stacks (no allocation stack dominates)";
		return false;
	}
	e = add_evidence(d, "kmemleak");
	if (e)
		snprintf(e->text, sizeof(e->text), "%llu/%llu allocated at %s, by pid %d (%s)",
			 (unsigned long long)k->top_count, (unsigned long long)k->members,
			 k->site, k->pid, k->comm);
	if (!who[0])
		snprintf(who, len, "%s", k->site);
	return k->top_count * 5 >= k->members * 4;
}

/* Signal 2: kernel or module symbols the members point at. */
static bool weigh_symbols(struct lx_cluster_desc *d, char *who, size_t len)
{
	bool found = false;
	unsigned int i;

	for (i = 0; i < d->npointers; i++) {
		const struct lx_pointer_stat *p = &d->pointers[i];
		struct lx_evidence *e;
		char where[2 * LX_NAME_MAX + 32];

		if (!p->symbol || p->seen * 2 < d->readable)
			continue;
		lx_place_format(&p->place, where, sizeof(where));
		e = add_evidence(d, "symbol");
		if (e)
			snprintf(e->text, sizeof(e->text), "+%u points to %s in %u/%u sampled",
				 p->offset, where, p->seen, d->readable);
		if (!found && who[0] == '\0') {
			if (p->place.module[0])
				snprintf(who, len, "module %s (its %s)", p->place.module,
					 p->place.name);
			else
				snprintf(who, len, "the user of %s", p->place.name);
		}
		found = true;
	}
	if (!found)
		d->absent[d->nabsent++] = "symbols (no kernel/module pointer shared by most members)";
	return found;
}

/* Signal 3: text of a known producer. */
static bool weigh_text(struct lx_cluster_desc *d, char *who, size_t len)
{
	struct lx_evidence *e;

	if (!d->signature || d->signature_hits * 2 < d->readable) {
		d->absent[d->nabsent++] = "text signature (no known producer matched)";
		return false;
	}
	e = add_evidence(d, "text");
	if (e)
		snprintf(e->text, sizeof(e->text), "%u/%u sampled hold %s, written by %s",
			 d->signature_hits, d->readable, d->signature->what,
			 d->signature->producer);
	if (who[0])
		snprintf(who + strlen(who), len - strlen(who), ", holding %s",
			 d->signature->what);
	else
		snprintf(who, len, "a reader of %s (%s)", d->signature->what,
			 d->signature->producer);
	return true;
}

/* Signal 4: the caches of heap objects the members point at. */
static bool weigh_relations(struct lx_cluster_desc *d, char *who, size_t len)
{
	bool found = false;
	unsigned int i;

	for (i = 0; i < d->npointers; i++) {
		const struct lx_pointer_stat *p = &d->pointers[i];
		struct lx_evidence *e;

		if (p->symbol || p->place.name[0] == '(' || p->seen * 2 < d->readable)
			continue;
		e = add_evidence(d, "relation");
		if (e)
			snprintf(e->text, sizeof(e->text), "+%u points to a %s object in %u/%u sampled",
				 p->offset, p->place.name, p->seen, d->readable);
		if (!who[0])
			snprintf(who, len, "an owner of %s objects", p->place.name);
		found = true;
	}
	return found;
}

/* Signal 5 (leakscan -r): what points at the members, and what nothing does. */
static bool weigh_holders(struct lx_cluster_desc *d, char *who, size_t len)
{
	const struct lx_holder_stat *top = &d->holders[0];
	struct lx_evidence *e;
	bool held;

	if (!d->holders_known)
		return false;
	held = d->nholders && top->held * 2 >= d->members_live;
	if (held && (e = add_evidence(d, "holder")))
		snprintf(e->text, sizeof(e->text), "held by %s (%llu/%llu members)%s",
			 top->label, (unsigned long long)top->held,
			 (unsigned long long)d->members_live,
			 top->lost_holders == top->words ?
			 ", every holding object itself unreferenced" : "");
	if (d->unreferenced && (e = add_evidence(d, "orphans")))
		snprintf(e->text, sizeof(e->text),
			 "%llu/%llu members unreferenced: no root reaches them (lost)",
			 (unsigned long long)d->unreferenced,
			 (unsigned long long)d->members_live);
	if (!held && !d->unreferenced)
		d->absent[d->nabsent++] = "holder (no one place points at most members)";
	if (held && !who[0])
		snprintf(who, len, "whoever fills %s", top->label);
	else if (held)
		snprintf(who + strlen(who), len - strlen(who), ", held by %s", top->label);
	if (d->unreferenced * 2 > d->members_live)
		snprintf(who + strlen(who), len - strlen(who),
			 "%s%llu/%llu unreferenced: lost, a true leak", who[0] ? "; " : "",
			 (unsigned long long)d->unreferenced,
			 (unsigned long long)d->members_live);
	return held || d->unreferenced * 2 > d->members_live;
}

/*
 * page_owner of the members' slabs: who grew the cache, not who holds
 * the object (a slab serves many callers), so it names no owner and
 * raises no confidence; the line is low-confidence evidence.
 */
static void weigh_slab_owner(struct lx_cluster_desc *d)
{
	struct lx_evidence *e;

	if (!d->slab_owner_seen || d->slab_owner_hits * 2 < d->slab_owner_seen)
		return;
	e = add_evidence(d, "page-owner");
	if (e)
		snprintf(e->text, sizeof(e->text),
			 "%u/%u sampled members sit in slabs allocated under %s (page_owner: who grew the cache, low confidence)",
			 d->slab_owner_hits, d->slab_owner_seen, d->slab_owner);
}

static void guess_owner(struct lx_cluster_desc *d)
{
	char who[sizeof(d->owner)] = "";
	bool tag, track, symbol, text, holder;

	tag = weigh_tags(d, who, sizeof(who));
	tag |= weigh_kmemleak(d, who, sizeof(who));
	track = weigh_tracks(d, who, sizeof(who));
	symbol = weigh_symbols(d, who, sizeof(who));
	text = weigh_text(d, who, sizeof(who));
	weigh_relations(d, who, sizeof(who));
	holder = weigh_holders(d, who, sizeof(who));
	weigh_slab_owner(d);
	if (tag || (track && d->alloc_sites[0].count * 5 >= d->with_track * 4))
		d->confidence = LX_CONF_HIGH;
	else if (track || (symbol && text))
		d->confidence = symbol && text ? LX_CONF_HIGH : LX_CONF_MEDIUM;
	else if (symbol || text || holder)
		d->confidence = LX_CONF_MEDIUM;
	else
		d->confidence = LX_CONF_LOW;
	snprintf(d->owner, sizeof(d->owner), "%s", who[0] ? who :
		 "unknown: no owner tracks, symbols or known text");
}

static void read_samples(struct lx_session *s, struct lx_cluster_desc *d,
			 struct lx_ptr_range const *ranges, size_t nranges,
			 struct sample_set *ss)
{
	unsigned int i, w;

	for (i = 0; i < d->sampled; i++) {
		uint8_t *obj = sample(ss, i);

		ss->ok[i] = lx_read(s->t, d->samples[i], obj, ss->len);
		if (!ss->ok[i])
			continue;
		if (!d->readable++)
			first_member(d, obj, ss->len);
		for (w = 0; w < ss->len / ss->word; w++)
			ss->classes[w][lx_word_class_of(ranges, nranges, obj + w * ss->word,
							ss->word)]++;
	}
}

/*
 * What the descriptions of one report work in, kept from one cluster to
 * the next: a ranking of every cluster allocated and cleared some 200 KB
 * per cluster before.  Cache names found stay valid for the whole report.
 */
struct lx_describe_work {
	const struct lx_cache *cache;
	struct sample_set samples;
	struct string_tally strings;
	struct name_memo names;
	struct lx_slab_owners slab_owners;
};

/* The sampled members' slabs' page_owner: the most common owner function. */
static void summarize_slab_owners(struct lx_session *s, const struct lx_slab_owners *so,
				  struct lx_cluster_desc *d)
{
	char owners[LX_DESC_SAMPLES][LX_FRAME_TEXT_MAX];
	unsigned int i, j, n = 0, hits;

	if (!so->on)
		return;
	for (i = 0; i < d->sampled; i++)
		if (lx_slab_owner_of(s, so, d->samples[i], owners[n], sizeof(owners[n])))
			n++;
	d->slab_owner_seen = n;
	for (i = 0; i < n; i++) {
		for (j = hits = 0; j < n; j++)
			hits += !strcmp(owners[i], owners[j]);
		if (hits > d->slab_owner_hits) {
			d->slab_owner_hits = hits;
			memcpy(d->slab_owner, owners[i], sizeof(d->slab_owner));
		}
	}
}

struct lx_describe_work *lx_describe_begin(struct lx_session *s, const struct lx_cache *c)
{
	struct lx_describe_work *w = lx_alloc(s->t, sizeof(*w));
	struct sample_set *ss;

	if (!w)
		return NULL;
	ss = &w->samples;
	ss->word = lx_word_size(s->t);
	ss->len = c->object_size < LX_DESC_BYTES ? c->object_size : LX_DESC_BYTES;
	ss->len &= ~(size_t)(ss->word - 1);
	ss->mem = lx_alloc(s->t, LX_DESC_SAMPLES * ss->len + 8);
	if (!ss->mem) {
		lx_free(s->t, w);
		return NULL;
	}
	w->cache = c;
	lx_slab_owners_init(s, &w->slab_owners);
	return w;
}

void lx_describe_end(struct lx_session *s, struct lx_describe_work *w)
{
	if (!w)
		return;
	lx_free(s->t, w->samples.mem);
	lx_free(s->t, w);
}

enum lx_status lx_describe_cluster(struct lx_session *s, struct lx_describe_work *w,
				   const struct lx_ptr_range *ranges, size_t nranges,
				   struct lx_tracks *tracks, struct lx_cluster_desc *d)
{
	struct sample_set *ss = &w->samples;

	memset(ss->ok, 0, sizeof(ss->ok));
	memset(ss->classes, 0, sizeof(ss->classes));
	read_samples(s, d, ranges, nranges, ss);
	summarize_classes(d, ss);
	summarize_strings(d, ss, &w->strings);
	summarize_pointers(s, d, ss, ranges, nranges, &w->names);
	name_pointers(s, w->cache, d);
	summarize_tracks(s, w->cache, tracks, d);
	summarize_slab_owners(s, &w->slab_owners, d);
	summarize_signature(d, ss);
	guess_owner(d);
	return lx_interrupted(s->t) ? LX_EINTR : LX_OK;
}
