/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Saved leakscan -j reports (JSON Lines, schema leakext/1, README) read
 * back into a model: per document its source, and the cluster report's
 * cache, counts and clusters, or the ranking's per-cache rows, or the
 * error document's reason.  A line that cannot be used (not JSON, cut
 * short, another schema, a number out of range, nested too deep, a
 * missing field) is named by file and line and left out; the others are
 * read.  Text from the report is kept as its bytes: escape it for a
 * terminal (lx_escape(), lx_print_escaped()).
 */
#ifndef LEAKEXT_SA_REPORT_READER_H
#define LEAKEXT_SA_REPORT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SA_REPORT_MAX_LINE (64u << 20)	/* bytes in one document */
#define SA_REPORT_MAX_DOCS 100000	/* documents kept per file */
#define SA_REPORT_MAX_CLUSTERS 65536	/* clusters kept per document */
#define SA_REPORT_TEXT_MAX 256		/* bytes kept of a preview or string */
#define SA_REPORT_STRINGS 4		/* strings kept per cluster */
#define SA_REPORT_PROBLEMS 16		/* messages kept per file */
#define SA_REPORT_SIGNATURE_LEN 16	/* hex digits */

/* Bytes from the report: JSON escapes decoded, \xNN back to its byte. */
struct sa_report_text {
	uint8_t *bytes;		/* NULL when absent */
	size_t len;
};

struct sa_report_cluster {
	unsigned int rank;
	uint64_t count, bytes;
	bool has_signature;
	char signature[SA_REPORT_SIGNATURE_LEN + 1];	/* lowercase hex */
	bool is_text;		/* "kind":"text" */
	struct sa_report_text preview;
	struct sa_report_text strings[SA_REPORT_STRINGS];
	unsigned int nstrings;
	char *owner;		/* the owner guess, or NULL */
};

/* A ranking's row: a cache's counts, or why it was not read. */
struct sa_report_cache_row {
	char *name;
	unsigned int object_size, slot_size;
	bool error;
	uint64_t live, objects, slabs, slab_bytes;
};

enum sa_report_doc_kind { SA_DOC_CLUSTERS, SA_DOC_RANKING, SA_DOC_ERROR };

struct sa_report_doc {
	enum sa_report_doc_kind kind;
	unsigned int line;		/* in its file, from 1 */
	char *source;
	char *error;			/* SA_DOC_ERROR: the reason */
	/* SA_DOC_CLUSTERS */
	char *cache;
	unsigned int object_size, slot_size;
	uint64_t slabs, objects, live, free;
	bool integrity_ok;
	uint64_t clusters_total;
	struct sa_report_cluster *clusters;
	size_t nclusters;
	/* SA_DOC_RANKING */
	struct sa_report_cache_row *rows;
	size_t nrows;
	bool complete;
};

struct sa_report {
	const char *path;		/* as given, not copied */
	struct sa_report_doc *docs;
	size_t ndocs;
	unsigned int lines;		/* non-empty lines seen */
	unsigned int unusable;		/* lines left out */
	char problems[SA_REPORT_PROBLEMS][400];	/* "PATH:LINE: why", escaped */
	unsigned int nproblems;
};

/*
 * Read the report at path into out (zeroed here; free with
 * sa_report_free() whatever the answer).  0: every line was used; 1: some
 * were left out (out->problems says which, err the first); -1: the file
 * could not be read, or no line of it could be used (err says why).  err
 * is "" when every line was used.
 */
int sa_report_read(const char *path, struct sa_report *out, char *err, size_t errlen);
/* The same for text already in memory, named path in messages. */
int sa_report_parse(const char *text, size_t len, const char *path, struct sa_report *out,
		    char *err, size_t errlen);
void sa_report_free(struct sa_report *r);
/*
 * The first cluster report of cache (its exact name, as the report gives
 * it) in r, and of source unless that is NULL; NULL if there is none.
 */
const struct sa_report_doc *sa_report_find(const struct sa_report *r, const char *source,
					   const char *cache);

#endif
