// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/set.h"

void lx_set_init(struct lx_set *set, struct lx_target *t)
{
	set->t = t;
	set->slots = NULL;
	set->cap = set->count = 0;
}

static size_t slot_of(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return key & (cap - 1);
}

static void insert_slot(uint64_t *slots, size_t cap, uint64_t key)
{
	size_t i = slot_of(key, cap);

	while (slots[i])
		i = (i + 1) & (cap - 1);
	slots[i] = key;
}

static int rehash(struct lx_set *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64, i;
	uint64_t *slots = lx_alloc(set->t, cap * sizeof(*slots));

	if (!slots)
		return -1;
	for (i = 0; i < set->cap; i++)
		if (set->slots[i])
			insert_slot(slots, cap, set->slots[i]);
	lx_free(set->t, set->slots);
	set->slots = slots;
	set->cap = cap;
	return 0;
}

bool lx_set_has(const struct lx_set *set, uint64_t key)
{
	size_t i;

	if (!set->cap || !key)
		return false;
	for (i = slot_of(key, set->cap); set->slots[i]; i = (i + 1) & (set->cap - 1))
		if (set->slots[i] == key)
			return true;
	return false;
}

int lx_set_add(struct lx_set *set, uint64_t key)
{
	if (!key || lx_set_has(set, key))
		return 0;
	if ((set->count + 1) * 2 > set->cap && rehash(set))
		return -1;
	insert_slot(set->slots, set->cap, key);
	set->count++;
	return 1;
}

void lx_set_free(struct lx_set *set)
{
	lx_free(set->t, set->slots);
	lx_set_init(set, set->t);
}
