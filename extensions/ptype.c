// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gdb's "ptype /o struct TYPE" read back into a member table (ptype.h), for
 * front ends whose type source has no reverse lookup (crash).  gdb prints
 * every member with its absolute offset and size, members of a union with
 * their size only (they sit at the union's offset), bitfields as
 * "OFF: BIT", and expands every struct or union member in place; arrays
 * are leaves.  Lines the parser does not know are skipped; the table is
 * bounded in entries, depth and line length, and text that does not nest
 * properly gives no table.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ptype.h"

#define MAX_ENTRIES 16384
#define MAX_DEPTH 32
#define MAX_DIMS 4
#define LINE_MAX_BYTES 1024

struct ptype_entry {
	uint64_t off, size;
	uint8_t bit, width;	/* a bitfield's first bit in byte off, its width */
	int parent;		/* index, -1 for the root */
	uint8_t depth, ndims;
	bool aggregate;
	uint32_t dims[MAX_DIMS];
	char name[LX_NAME_MAX];	/* "" for an anonymous struct or union */
};

struct lx_ptype {
	struct ptype_entry *e;
	int n, cap;
	int stack[MAX_DEPTH + 1];	/* open aggregates */
	int depth;
	bool bad;
};

static char *skip_space(char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

static void trim_end(char *p)
{
	size_t n = strlen(p);

	while (n && (isspace((unsigned char)p[n - 1]) || p[n - 1] == ';'))
		p[--n] = '\0';
}

static struct ptype_entry *add_entry(struct lx_ptype *t)
{
	struct ptype_entry *e;

	if (t->n >= MAX_ENTRIES || t->depth > MAX_DEPTH) {
		t->bad = true;
		return NULL;
	}
	if (t->n == t->cap) {
		int cap = t->cap ? t->cap * 2 : 256;
		void *p = realloc(t->e, cap * sizeof(*t->e));

		if (!p) {
			t->bad = true;
			return NULL;
		}
		t->e = p;
		t->cap = cap;
	}
	e = &t->e[t->n++];
	memset(e, 0, sizeof(*e));
	e->parent = t->depth ? t->stack[t->depth - 1] : -1;
	e->depth = t->depth;
	return e;
}

/* "name[2][3]" at p into e; false if p does not start with an identifier. */
static bool parse_name(char *p, struct ptype_entry *e)
{
	size_t n = 0;
	char *end;

	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	if (!n || n >= sizeof(e->name) || isdigit((unsigned char)*p))
		return false;
	memcpy(e->name, p, n);
	e->name[n] = '\0';
	for (p += n; *p == '[' && e->ndims < MAX_DIMS; p = end + 1) {
		unsigned long d = strtoul(p + 1, &end, 10);

		if (*end != ']' || d > UINT32_MAX)
			return false;
		e->dims[e->ndims++] = (uint32_t)d;
	}
	return true;
}

/* The declarator's name: "(*name)(...)", else the last "name[..]" before ':'. */
static bool leaf_name(char *decl, struct ptype_entry *e, unsigned long *width)
{
	char *p = strstr(decl, "(*"), *colon;

	*width = 0;
	if (p) {
		for (p += 2; *p == '*'; p++)
			;
		return parse_name(p, e);
	}
	colon = strstr(decl, " : ");
	if (colon) {
		*width = strtoul(colon + 3, NULL, 10);
		*colon = '\0';
	}
	trim_end(decl);
	p = decl + strlen(decl);
	while (p > decl && p[-1] == ']') {
		while (p > decl && p[-1] != '[')
			p--;
		if (p > decl)
			p--;
	}
	while (p > decl && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		p--;
	return parse_name(p, e);
}

/* "126: 4   | 1" in the comment: offset, bit and size; no "|": size only. */
static bool parse_position(const char *c, struct ptype_entry *e, unsigned long *bit,
			   const struct lx_ptype *t)
{
	const char *bar = strchr(c, '|');
	char *end;

	*bit = 0;
	if (!bar) {
		e->size = strtoull(c, &end, 10);
		e->off = e->parent >= 0 ? t->e[e->parent].off : 0;
		return end != c;
	}
	e->off = strtoull(c, &end, 10);
	if (end == c)
		return false;
	end = (char *)skip_space(end);
	if (*end == ':')
		*bit = strtoul(end + 1, NULL, 10);
	e->size = strtoull(bar + 1, &end, 10);
	return end != bar + 1;
}

static void open_member(struct lx_ptype *t, char *comment, char *decl)
{
	struct ptype_entry *e = add_entry(t);
	unsigned long bit, width;

	if (!e)
		return;
	if (!parse_position(comment, e, &bit, t)) {
		t->bad = true;
		return;
	}
	trim_end(decl);
	if (decl[0] && decl[strlen(decl) - 1] == '{') {
		e->aggregate = true;
		t->stack[t->depth++] = t->n - 1;
		return;
	}
	if (!leaf_name(decl, e, &width)) {
		t->n--;		/* a declarator we cannot name: no entry */
		return;
	}
	if (width && bit < 8 && width <= 64) {
		e->size = (bit + width + 7) / 8;
		e->bit = bit;
		e->width = width;
	}
}

/* "} name;" or "};": the innermost open aggregate gets its name. */
static void close_aggregate(struct lx_ptype *t, char *rest)
{
	struct ptype_entry *e;

	if (!t->depth) {
		t->bad = true;
		return;
	}
	e = &t->e[t->stack[--t->depth]];
	rest = skip_space(rest);
	trim_end(rest);
	if (*rest && !parse_name(rest, e))
		t->bad = true;
}

static void parse_line(struct lx_ptype *t, char *line)
{
	char *p = skip_space(line), *end;

	if (*p == '}') {
		close_aggregate(t, p + 1);
		return;
	}
	if (strncmp(p, "/*", 2))
		return;
	end = strstr(p, "*/");
	if (!end)
		return;
	*end = '\0';
	if (strstr(p, "XXX") || strstr(p, "total size"))
		return;		/* a hole, padding or a struct's size */
	open_member(t, p + 2, end + 2);
}

/* The root: "type = struct NAME {" opens it; its size is the caller's. */
static bool open_root(struct lx_ptype *t, const char *line, uint64_t size)
{
	struct ptype_entry *e;
	const char *p = strstr(line, "type = ");

	if (!p || !strchr(p, '{'))
		return false;
	e = add_entry(t);
	if (!e)
		return false;
	e->aggregate = true;
	e->size = size;
	t->stack[t->depth++] = 0;
	return true;
}

struct lx_ptype *lx_ptype_parse(FILE *in, uint64_t size)
{
	struct lx_ptype *t = calloc(1, sizeof(*t));
	char line[LINE_MAX_BYTES];
	bool rooted = false;

	if (!t)
		return NULL;
	while (!t->bad && fgets(line, sizeof(line), in)) {
		if (!strchr(line, '\n') && !feof(in))
			t->bad = true;		/* no line is this long */
		else if (!rooted)
			rooted = open_root(t, line, size);
		else if (t->depth)
			parse_line(t, line);
	}
	if (t->bad || !rooted || t->depth) {
		lx_ptype_free(t);
		return NULL;
	}
	return t;
}

/* Entry i hangs off the root through anonymous aggregates only. */
static bool reached_directly(const struct lx_ptype *t, int i)
{
	int p, level = 0;

	for (p = t->e[i].parent; p > 0 && level <= MAX_DEPTH; p = t->e[p].parent, level++)
		if (t->e[p].name[0])
			return false;
	return p == 0;
}

bool lx_ptype_member_bits(const struct lx_ptype *t, const char *name, uint64_t *bit_offset,
			  unsigned int *bits)
{
	int i;

	for (i = 1; t && i < t->n; i++) {
		const struct ptype_entry *e = &t->e[i];

		if (strcmp(e->name, name) || !reached_directly(t, i))
			continue;
		if (!e->width && (!e->size || e->size > 64))
			return false;
		*bit_offset = e->off * 8 + e->bit;
		*bits = e->width ? e->width : (unsigned int)e->size * 8;
		return true;
	}
	return false;
}

void lx_ptype_free(struct lx_ptype *t)
{
	if (!t)
		return;
	free(t->e);
	free(t);
}

static bool covers(const struct ptype_entry *e, uint64_t off)
{
	return off >= e->off && off - e->off < e->size;
}

/* The first child of entry i covering off; an anonymous one only if it names it. */
static int child_at(const struct lx_ptype *t, int i, uint64_t off, int level)
{
	int j;

	if (level > MAX_DEPTH)
		return -1;
	for (j = i + 1; j < t->n && t->e[j].depth > t->e[i].depth; j++) {
		const struct ptype_entry *e = &t->e[j];

		if (e->parent != i || !covers(e, off))
			continue;
		if (e->name[0] || !e->aggregate || child_at(t, j, off, level + 1) >= 0)
			return j;
	}
	return -1;
}

/* "[i][j]" of an array leaf; off becomes the offset in the element. */
static size_t array_index(const struct ptype_entry *e, uint64_t *rel, char *out,
			  size_t len)
{
	uint64_t stride = e->size;
	size_t used = 0;
	int k;

	for (k = 0; k < e->ndims; k++) {
		int n;

		if (!e->dims[k] || stride % e->dims[k])
			break;
		stride /= e->dims[k];
		n = snprintf(out + used, len - used, "[%llu]",
			     (unsigned long long)(*rel / stride));
		if (n < 0 || (size_t)n >= len - used)
			return len;
		used += n;
		*rel %= stride;
	}
	return used;
}

bool lx_ptype_member_at(const struct lx_ptype *t, uint64_t off, char *path, size_t len)
{
	int i = 0, named = -1;
	size_t used = 0;
	uint64_t rel = 0;
	int n;

	if (!t || !t->n || !len || !covers(&t->e[0], off))
		return false;
	path[0] = '\0';
	while ((i = child_at(t, i, off, 0)) >= 0) {
		const struct ptype_entry *e = &t->e[i];

		if (!e->name[0])
			continue;
		n = snprintf(path + used, len - used, "%s%s", used ? "." : "", e->name);
		if (n < 0 || (size_t)n >= len - used)
			return false;
		used += n;
		named = i;
		rel = off - e->off;
		if (e->ndims)
			used += array_index(e, &rel, path + used, len - used);
		if (used >= len)
			return false;
	}
	if (named < 0)
		return false;
	/* the walk ended in named: off is rel bytes into it, and nothing smaller */
	n = rel ? snprintf(path + used, len - used, "+%llu", (unsigned long long)rel) : 0;
	return n >= 0 && (size_t)n < len - used;
}
