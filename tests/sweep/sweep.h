/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The corruption sweep: a real sample's memory with patches laid over it,
 * one hostile value in one field the walker reads per variant.
 */
#ifndef LEAKEXT_SWEEP_H
#define LEAKEXT_SWEEP_H

#include <stdbool.h>
#include <stdint.h>

#include "slab/allocator.h"
#include "standalone/target.h"

#define SWEEP_MAX_PATCHES 4
#define SWEEP_MSG_KEEP 2	/* messages kept for the violation lines */
#define SWEEP_MSG_TEXT 160

struct patch {
	uint64_t addr;
	uint8_t bytes[8];
	unsigned int len;
};

/*
 * The overlay target.  The standalone ops cast priv to struct sa_dump, so
 * the dump comes first and the same priv serves both.
 */
struct overlay {
	struct sa_dump dump;
	struct patch patches[SWEEP_MAX_PATCHES];
	unsigned int npatches;
	unsigned int hits;	/* reads a patch showed in */
	/* What the message op saw. */
	unsigned int lines, errors;
	uint64_t bytes;
	char first[SWEEP_MSG_KEEP][SWEEP_MSG_TEXT];
	bool echo;		/* also print messages to stderr */
	enum { MISBEHAVE_NOT, MISBEHAVE_FAULT, MISBEHAVE_HANG, MISBEHAVE_FLOOD }
		misbehave;	/* the child's, to test the sweep itself */
};

/* overlay.c */
extern struct lx_dump_ops overlay_dump_ops;
extern struct lx_host_ops overlay_host_ops;
void overlay_init_ops(void);
void overlay_reset_messages(struct overlay *ov);
int overlay_add(struct overlay *ov, uint64_t addr, const void *bytes,
		unsigned int len);
int overlay_self_test(struct overlay *ov, uint64_t addr);

/* One field the walker reads: bits [shift, shift + width) of a word. */
struct field {
	char name[80];
	uint64_t addr;
	unsigned int size;	/* bytes of the word, 1..8 */
	unsigned int shift, width;
	uint64_t word;		/* the clean word */
	uint64_t value;		/* the clean value of the bits */
	bool global;		/* also run the ranking */
};

struct field_list {
	struct field *items;
	size_t count, cap;
};

/* One cache of a ranking. */
struct rank_row {
	uint64_t addr, live;
	char name[LX_NAME_MAX];
	bool failed, flagged;
};

/* The clean answers every variant is compared with. */

struct clean {
	const char *cache_name;
	uint64_t cache_addr, live;
	uint32_t objects_per_slab;
	uint64_t *live_addrs;	/* sorted */
	size_t nlive;
	struct rank_row *ranking;	/* sorted by addr */
	size_t ncaches;
	uint64_t other_cache;	/* another cache's kmem_cache */
};

/* fields.c */
int fields_collect(struct lx_session *s, const struct lx_cache *c,
		   const struct lx_scan *scan, struct field_list *out);
void fields_free(struct field_list *fl);

/* run.c */
enum verdict {
	V_EXACT,
	V_FLAGGED,
	V_REFUSED,
	V_NO_WITNESS,	/* a documented blind spot, within its bound */
	V_WRONG,	/* silent wrong answer */
	V_SILENT_REFUSAL,	/* failed without a message */
	V_FAULT,
	V_TIMEOUT,
	V_FLOOD,
	V_NO_RESULT,
	V_COUNT
};

struct outcome {
	enum verdict verdict;
	uint64_t live;		/* target cache, when scanned */
	uint64_t missing, extra;	/* live addresses against the clean set */
	unsigned int lines, errors, hits;
	uint64_t bytes;
	int signal;
	char detail[200];
	char first[SWEEP_MSG_KEEP][SWEEP_MSG_TEXT];
};

int clean_collect(struct overlay *ov, const char *cache, struct clean *cl,
		  struct field_list *fields);
int clean_plain_check(struct overlay *ov, const struct clean *cl);
void clean_free(struct clean *cl);
void run_commands(struct overlay *ov, const struct clean *cl, bool ranking,
		  struct outcome *out);
void run_variant(struct overlay *ov, const struct clean *cl, bool ranking,
		 unsigned int seconds, struct outcome *out);
const char *verdict_name(enum verdict v);
double fork_cost(unsigned int rounds);

#endif
