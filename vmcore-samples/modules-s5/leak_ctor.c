// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leak_ctor: a dedicated cache whose live set is known by construction.
 * The cache has a constructor, so SLUB never merges it with another cache
 * (mm/slab_common.c slab_unmergeable()), and only this module allocates
 * from it.  It allocates nr_objects, frees every third one and one
 * contiguous run (whole slabs become free), and prints each object that
 * stays allocated.
 *
 * Ground truth is printed as "leakext-truth live <addr>" lines and a
 * "leakext-truth ctor-summary" line.
 */
#include <linux/module.h>
#include <linux/slab.h>

#define MAX_OBJECTS 16384
#define CTOR_MAGIC 0x4c45414b43544f52ULL	/* "LEAKCTOR" */

static int nr_objects = 4000;
module_param(nr_objects, int, 0444);

struct ctor_object {
	unsigned long magic;
	unsigned long serial;
	struct ctor_object *self;
	char tag[72];
};

static struct kmem_cache *ctor_cache;
static struct ctor_object *objects[MAX_OBJECTS];

static void ctor_object_init(void *p)
{
	struct ctor_object *obj = p;

	obj->magic = CTOR_MAGIC;
	obj->serial = 0;
	obj->self = obj;
}

static noinline struct kmem_cache *leak_ctor_create_cache(void)
{
	return kmem_cache_create("leakext_ctor", sizeof(struct ctor_object), 0,
				 0, ctor_object_init);
}

static noinline struct ctor_object *leak_ctor_alloc(unsigned long serial)
{
	struct ctor_object *obj = kmem_cache_alloc(ctor_cache, GFP_KERNEL);

	if (obj) {
		obj->serial = serial;
		snprintf(obj->tag, sizeof(obj->tag), "ctor object %lu", serial);
	}
	return obj;
}

static noinline void leak_ctor_free(struct ctor_object *obj)
{
	kmem_cache_free(ctor_cache, obj);
}

/* Every third object, and a run in the middle long enough to empty slabs. */
static bool freed_by_design(int i, int n)
{
	return i % 3 == 0 || (i >= n / 2 && i < n / 2 + n / 8);
}

static noinline void run_scenario(void)
{
	int want = min(nr_objects, MAX_OBJECTS);
	int i, made = 0, freed = 0, live = 0;

	for (i = 0; i < want; i++) {
		objects[made] = leak_ctor_alloc(i);
		if (objects[made])
			made++;
	}
	for (i = 0; i < made; i++) {
		if (!freed_by_design(i, made))
			continue;
		leak_ctor_free(objects[i]);
		objects[i] = NULL;
		freed++;
	}
	for (i = 0; i < made; i++) {
		if (!objects[i])
			continue;
		pr_info("leakext-truth live %px\n", objects[i]);
		live++;
	}
	pr_info("leakext-truth ctor-summary cache=leakext_ctor allocated=%d freed=%d live=%d object_size=%zu\n",
		made, freed, live, sizeof(struct ctor_object));
}

static int __init leak_ctor_init(void)
{
	ctor_cache = leak_ctor_create_cache();
	if (!ctor_cache)
		return -ENOMEM;
	run_scenario();
	return 0;
}
module_init(leak_ctor_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("leakext sample: a constructor cache with a known live set");
