// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cache lookup by name with kmalloc aliases: kmalloc-4096, size-4096 (the
 * SLAB-era name) and kmalloc-4k all name the 4 KiB kmalloc cache.  Variants
 * are families of their own and are listed when a query could mean several
 * caches: kmalloc-cg- (5.14, kernel commit 494c1dfe855e "mm: memcg/slab:
 * create a new set of kmalloc-cg-<n> caches"), dma-kmalloc-, kmalloc-rcl-,
 * kmalloc-rnd-NN- (6.6, commit 3c6152940584 "Randomized slab caches for
 * kmalloc()"), kmalloc-no-objext- (memory allocation profiling's
 * slabobj_ext vectors; S10) and the kmalloc buckets (see
 * collect_buckets()).  Any family containing "kmalloc-" is one.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/set.h"
#include "slab/cachename.h"

#define MAX_MATCHES 32
/* A kmem_buckets array has KMALLOC_SHIFT_HIGH + 1 slots (14 on x86_64). */
#define MAX_BUCKET_SLOTS 64

bool lx_parse_size(const char *text, uint64_t *bytes)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*text))
		return false;
	v = strtoull(text, &end, 10);
	if (*end == 'k' || *end == 'K') {
		v <<= 10;
		end++;
	} else if (*end == 'm' || *end == 'M') {
		v <<= 20;
		end++;
	}
	if (*end)
		return false;
	*bytes = v;
	return true;
}

/*
 * Split "kmalloc-cg-4k" into family "kmalloc-cg-" and size 4096.  "size-"
 * becomes "kmalloc-".  A bare size has the empty family.  Any family is
 * accepted here; split_kmalloc_name() keeps the kmalloc ones.
 */
static bool split_size_name(const char *name, char *family, size_t len,
			    uint64_t *size)
{
	const char *p = name + strlen(name);
	size_t flen;

	while (p > name && isalnum((unsigned char)p[-1]) && p[-1] != '-')
		p--;
	if (!lx_parse_size(p, size))
		return false;
	flen = p - name;
	if (flen >= len)
		return false;
	memcpy(family, name, flen);
	family[flen] = '\0';
	if (!strcmp(family, "size-"))
		strcpy(family, "kmalloc-");
	return true;
}

static bool split_kmalloc_name(const char *name, char *family, size_t len,
			       uint64_t *size)
{
	return split_size_name(name, family, len, size) &&
	       (!family[0] || strstr(family, "kmalloc-") != NULL);
}

struct buckets {
	struct lx_session *s;
	struct lx_set *caches;
	uint32_t slots;
};

/* One kmem_buckets array: its non-NULL slots are bucket caches. */
static bool add_bucket_array(void *arg, uint64_t addr)
{
	struct buckets *b = arg;
	uint64_t slot[MAX_BUCKET_SLOTS];
	uint32_t i;

	if (!lx_read_words(b->s->t, addr, slot, b->slots))
		return true;
	for (i = 0; i < b->slots; i++)
		if (slot[i] && lx_set_add(b->caches, slot[i]) < 0)
			return false;
	return true;
}

/*
 * kmalloc buckets (CONFIG_SLAB_BUCKETS, 6.11, kernel commit b32801d1255b
 * "mm/slab: Introduce kmem_buckets_create() and family"): a private copy
 * of the kmalloc caches named "<prefix>-<size>" (memdup_user-4k,
 * msg_msg-4k), made by kmem_buckets_create().  A name alone cannot tell
 * them from other caches ("bio-192"), so the witness is the kernel's own
 * record: every kmem_buckets array is a live object of the cache that
 * kmem_buckets_cache points to, and its slots are the bucket caches.
 * Detected by that symbol; without it there are no buckets.
 */
static void collect_buckets(struct lx_session *s, struct lx_set *caches)
{
	uint64_t addr = lx_symbol_word_or(s->t, "kmem_buckets_cache", 0);
	struct buckets b = { .s = s, .caches = caches };
	bool flagged = s->flagged;
	struct lx_cache c;
	struct lx_scan scan;

	if (!addr || lx_cache_read(s, addr, &c))
		return;
	b.slots = c.object_size / lx_word_size(s->t);	/* kmem_cache pointers */
	if (!b.slots || b.slots > MAX_BUCKET_SLOTS)
		return;
	if (lx_scan_cache(s, &c, &scan) == LX_OK) {
		lx_for_each_live_object(&scan, add_bucket_array, &b);
		lx_scan_free(s, &scan);
	}
	/* Only the list of other names depends on it: the result is not flagged. */
	s->flagged = flagged;
}

struct lookup {
	const char *query;
	char family[LX_NAME_MAX];
	uint64_t size;
	bool by_size;
	struct lx_cache exact, match;
	bool have_exact;
	unsigned int nmatch, nvariant;
	char names[MAX_MATCHES][LX_NAME_MAX];
	struct lx_set buckets;
};

/* A kmalloc cache or a kmalloc bucket: its family and size. */
static bool split_cache_name(const struct lookup *lk, const struct lx_cache *c,
			     char *family, size_t len, uint64_t *size)
{
	if (lx_set_has(&lk->buckets, c->addr))
		return split_size_name(c->name, family, len, size);
	return split_kmalloc_name(c->name, family, len, size);
}

static bool lookup_one(struct lx_session *s, const struct lx_cache *c, void *arg)
{
	struct lookup *lk = arg;
	char family[LX_NAME_MAX];
	uint64_t size;

	(void)s;
	if (!strcmp(c->name, lk->query)) {
		lk->exact = *c;
		lk->have_exact = true;
		return false;
	}
	if (!lk->by_size || !split_cache_name(lk, c, family, sizeof(family), &size) ||
	    size != lk->size)
		return true;
	if (lk->family[0] && !strcmp(family, lk->family)) {
		lk->match = *c;
		lk->nmatch++;
	} else if (lk->nvariant < MAX_MATCHES) {
		if (!lk->family[0])
			lk->match = *c;
		strcpy(lk->names[lk->nvariant++], c->name);
	}
	return true;
}

static void list_candidates(struct lx_session *s, const struct lookup *lk,
			    const char *why)
{
	char line[MAX_MATCHES * (LX_NAME_MAX + 1)] = "";
	unsigned int i;

	for (i = 0; i < lk->nvariant; i++) {
		strcat(line, " ");
		strcat(line, lk->names[i]);
	}
	lx_msg(s->t, LX_MSG_INFO, "%s \"%s\":%s", why, lk->query, line);
}

/* The cache query names, or why not; *status says why a search stopped. */
static enum lx_lookup_result find_cache(struct lx_session *s, struct lookup *lk,
					struct lx_cache *found, enum lx_status *status)
{
	enum lx_lookup_result ret = LX_LOOKUP_NONE;
	enum lx_status st;

	lk->by_size = split_kmalloc_name(lk->query, lk->family, sizeof(lk->family),
					 &lk->size);
	lx_set_init(&lk->buckets, s->t);
	if (lk->by_size)
		collect_buckets(s, &lk->buckets);
	st = lx_for_each_cache(s, lookup_one, lk);
	lx_set_free(&lk->buckets);
	/* a cut list still names the caches before the cut */
	if (st == LX_EINTR || st == LX_ENOMEM || lx_interrupted(s->t)) {
		*status = st == LX_ENOMEM ? st : LX_EINTR;
		return LX_LOOKUP_NONE;
	}
	if (lk->have_exact) {
		*found = lk->exact;
		ret = LX_LOOKUP_FOUND;
	} else if (lk->nmatch == 1 || (!lk->family[0] && lk->nvariant == 1)) {
		*found = lk->match;
		ret = LX_LOOKUP_FOUND;
		if (lk->nvariant && lk->family[0])
			list_candidates(s, lk, "other caches of the size of");
	} else if (lk->nvariant) {
		list_candidates(s, lk, "several caches could be");
		ret = LX_LOOKUP_AMBIGUOUS;
	}
	return ret;
}

enum lx_status lx_cache_lookup(struct lx_session *s, const char *query,
			       struct lx_cache *cache)
{
	struct lookup *lk = lx_alloc(s->t, sizeof(*lk));
	enum lx_status status = LX_OK;
	enum lx_lookup_result found;

	if (!lk)
		return LX_ENOMEM;
	lk->query = query;
	found = find_cache(s, lk, cache, &status);
	lx_free(s->t, lk);
	if (status)
		return status;
	if (found == LX_LOOKUP_NONE)
		lx_msg(s->t, LX_MSG_ERROR, "no slab cache named \"%s\"", query);
	else if (found == LX_LOOKUP_AMBIGUOUS)
		lx_msg(s->t, LX_MSG_ERROR, "\"%s\" is ambiguous; name one of the caches above",
		       query);
	return found == LX_LOOKUP_FOUND ? LX_OK : LX_EABSENT;
}
