// SPDX-License-Identifier: GPL-2.0-or-later
/* A string-keyed open-addressing table for the standalone backend. */
#include <stdlib.h>
#include <string.h>

#include "standalone/symbols/symtab.h"

static uint64_t hash_string(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static size_t find_slot(char **keys, size_t cap, const char *key)
{
	size_t i = hash_string(key) & (cap - 1);

	while (keys[i] && strcmp(keys[i], key))
		i = (i + 1) & (cap - 1);
	return i;
}

static bool grow(struct lx_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024, i, slot;
	char **keys = calloc(cap, sizeof(*keys));
	uint64_t *values = calloc(cap, sizeof(*values));

	if (!keys || !values) {
		free(keys);
		free(values);
		return false;
	}
	for (i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		slot = find_slot(keys, cap, m->keys[i]);
		keys[slot] = m->keys[i];
		values[slot] = m->values[i];
	}
	free(m->keys);
	free(m->values);
	m->keys = keys;
	m->values = values;
	m->cap = cap;
	return true;
}

/* Keeps the first value put for a key. */
bool lx_strmap_put(struct lx_strmap *m, const char *key, uint64_t value)
{
	size_t slot;

	if ((m->count + 1) * 2 > m->cap && !grow(m))
		return false;
	slot = find_slot(m->keys, m->cap, key);
	if (m->keys[slot])
		return true;
	m->keys[slot] = m->borrowed ? (char *)key : strdup(key);
	if (!m->keys[slot])
		return false;
	m->values[slot] = value;
	m->count++;
	return true;
}

bool lx_strmap_get(const struct lx_strmap *m, const char *key, uint64_t *value)
{
	size_t slot;

	if (!m->cap)
		return false;
	slot = find_slot(m->keys, m->cap, key);
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
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
	m->borrowed = borrowed;
}
