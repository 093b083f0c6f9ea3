// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Cache lookup by name with kmalloc aliases: kmalloc-4096, size-4096 (the
 * SLAB-era name) and kmalloc-4k all name the 4 KiB kmalloc cache.  Variants
 * (kmalloc-cg-, dma-kmalloc-, kmalloc-rcl-, kmalloc-rnd-NN-) are families
 * of their own and are listed when a query could mean several caches.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "leakext/slub.h"

#define MAX_MATCHES 32

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
 * becomes "kmalloc-".  A bare size has the empty family.
 */
static bool split_kmalloc_name(const char *name, char *family, size_t len,
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
	return !flen || strstr(family, "kmalloc-") != NULL;
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
};

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
	if (!lk->by_size || !split_kmalloc_name(c->name, family, sizeof(family), &size) ||
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

enum lx_lookup_result lx_find_cache(struct lx_session *s, const char *query,
				    struct lx_cache *found)
{
	struct lookup *lk = lx_alloc(s->t, sizeof(*lk));
	enum lx_lookup_result ret = LX_LOOKUP_NONE;

	if (!lk)
		return LX_LOOKUP_NONE;
	lk->query = query;
	lk->by_size = split_kmalloc_name(query, lk->family, sizeof(lk->family),
					 &lk->size);
	lx_for_each_cache(s, lookup_one, lk);
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
	lx_free(s->t, lk);
	return ret;
}
