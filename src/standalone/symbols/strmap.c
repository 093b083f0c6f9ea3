// SPDX-License-Identifier: GPL-2.0-or-later
/* A string-keyed open-addressing table for the standalone backend. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "standalone/bigalloc.h"
#include "standalone/symbols/symtab.h"

static uint64_t hash_string(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* The slot holding key (hash h), or the empty slot where it goes. */
static size_t find_slot(char *const *keys, const uint64_t *hashes, size_t cap,
			const char *key, uint64_t h)
{
	size_t i = h & (cap - 1);

	while (keys[i] && (hashes[i] != h || strcmp(keys[i], key)))
		i = (i + 1) & (cap - 1);
	return i;
}

/* A table of cap slots (a power of two) holding m's keys. */
static bool rehash(struct lx_strmap *m, size_t cap)
{
	char **keys = sa_big_calloc(cap, sizeof(*keys));
	uint64_t *values = sa_big_calloc(cap, sizeof(*values));
	uint64_t *hashes = sa_big_calloc(cap, sizeof(*hashes));
	size_t i, slot;

	if (!keys || !values || !hashes) {
		sa_big_free(keys);
		sa_big_free(values);
		sa_big_free(hashes);
		return false;
	}
	for (i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		slot = find_slot(keys, hashes, cap, m->keys[i], m->hashes[i]);
		keys[slot] = m->keys[i];
		values[slot] = m->values[i];
		hashes[slot] = m->hashes[i];
	}
	sa_big_free(m->keys);
	sa_big_free(m->values);
	sa_big_free(m->hashes);
	m->keys = keys;
	m->values = values;
	m->hashes = hashes;
	m->cap = cap;
	return true;
}

/* At most three quarters full with count keys. */
bool lx_strmap_reserve(struct lx_strmap *m, size_t count)
{
	size_t cap = m->cap ? m->cap : 1024;

	while (count > cap / 4 * 3) {
		if (cap > SIZE_MAX / 4)
			return false;
		cap *= 2;
	}
	return cap == m->cap || rehash(m, cap);
}

/* Keeps the first value put for a key. */
bool lx_strmap_put(struct lx_strmap *m, const char *key, uint64_t value)
{
	uint64_t h = hash_string(key);
	size_t slot;

	if (!lx_strmap_reserve(m, m->count + 1))
		return false;
	slot = find_slot(m->keys, m->hashes, m->cap, key, h);
	if (m->keys[slot])
		return true;
	m->keys[slot] = m->borrowed ? (char *)key : strdup(key);
	if (!m->keys[slot])
		return false;
	m->values[slot] = value;
	m->hashes[slot] = h;
	m->count++;
	return true;
}

bool lx_strmap_get(const struct lx_strmap *m, const char *key, uint64_t *value)
{
	size_t slot;

	if (!m->cap)
		return false;
	slot = find_slot(m->keys, m->hashes, m->cap, key, hash_string(key));
	if (!m->keys[slot])
		return false;
	*value = m->values[slot];
	return true;
}

void lx_strmap_free(struct lx_strmap *m)
{
	size_t i;

	bool borrowed = m->borrowed;

	for (i = 0; !borrowed && i < m->cap; i++)
		free(m->keys[i]);
	sa_big_free(m->keys);
	sa_big_free(m->values);
	sa_big_free(m->hashes);
	memset(m, 0, sizeof(*m));
	m->borrowed = borrowed;
}
