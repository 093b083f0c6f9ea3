/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small bounded JSON parser for one line of a saved report: a tree of
 * nodes over the line's own buffer, strings decoded in place (RFC 8259,
 * valid UTF-8 only, no NUL).  Depth, node count and line length are
 * bounded; whatever breaks a rule is an error with the column.
 */
#ifndef LEAKEXT_SA_JSON_READER_H
#define LEAKEXT_SA_JSON_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SA_JSON_MAX_DEPTH 32
#define SA_JSON_MAX_NODES (1u << 20)

enum sa_json_type { SA_JSON_NULL, SA_JSON_FALSE, SA_JSON_TRUE, SA_JSON_NUMBER,
		    SA_JSON_STRING, SA_JSON_ARRAY, SA_JSON_OBJECT };

/* A value; children of an array or object are linked by next (0: none). */
struct sa_json_node {
	enum sa_json_type type;
	uint32_t first;		/* first child, 0 if none */
	uint32_t next;		/* next sibling, 0 if none */
	uint32_t count;		/* children */
	const char *key;	/* in an object: the member's name (decoded) */
	size_t keylen;
	const char *text;	/* string (decoded) or number (as written) */
	size_t len;
};

struct sa_json {
	struct sa_json_node *nodes;	/* nodes[0] is the root */
	uint32_t n, cap;
};

/*
 * Parse buf[0..len) (modified: strings are decoded in place) as one JSON
 * value with nothing but white space after it.  -1 and why in err ("at
 * column N: ...") when it is not.  The tree points into buf.
 */
int sa_json_parse(struct sa_json *j, char *buf, size_t len, char *err, size_t errlen);
void sa_json_free(struct sa_json *j);

/* An object's member by name, or NULL (also when node is no object). */
const struct sa_json_node *sa_json_get(const struct sa_json *j,
				       const struct sa_json_node *node, const char *key);
/* The child after child, or the first with child NULL; NULL at the end. */
const struct sa_json_node *sa_json_next(const struct sa_json *j,
					const struct sa_json_node *parent,
					const struct sa_json_node *child);
/* A non-negative integer that fits in 64 bits; -1 otherwise. */
int sa_json_u64(const struct sa_json_node *node, uint64_t *value);
/* true for a JSON string exactly equal to s. */
bool sa_json_is(const struct sa_json_node *node, const char *s);

#endif
