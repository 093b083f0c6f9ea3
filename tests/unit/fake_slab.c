// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The synthetic SLAB kernel (fake_slab.h).  Its types are Linux 6.1's
 * SLAB structs (include/linux/slab_def.h, mm/slab.h, mm/slab.c) at this
 * fake's offsets, or an older kernel's (fs_config.kernel); every other
 * type, the symbols, the globals and the memory are the fake kernel's
 * (fake_target.c), whose dump ops this wraps.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_slab.h"

/* x86_64 6.1 offsets; obj_offset only with CONFIG_DEBUG_SLAB. */
static const struct fk_member slab_members[] = {
	{ "kmem_cache", "cpu_cache", 0, 8 }, { "kmem_cache", "batchcount", 8, 4 },
	{ "kmem_cache", "limit", 12, 4 }, { "kmem_cache", "shared", 16, 4 },
	{ "kmem_cache", "size", 20, 4 }, { "kmem_cache", "flags", 32, 4 },
	{ "kmem_cache", "num", 36, 4 }, { "kmem_cache", "gfporder", 40, 4 },
	{ "kmem_cache", "colour", 48, 8 }, { "kmem_cache", "colour_off", 56, 4 },
	{ "kmem_cache", "freelist_size", 60, 4 }, { "kmem_cache", "name", 72, 8 },
	{ "kmem_cache", "list", 80, 16 }, { "kmem_cache", "refcount", 96, 4 },
	{ "kmem_cache", "object_size", 100, 4 }, { "kmem_cache", "align", 104, 4 },
	{ "kmem_cache", "obj_offset", 108, 4 },
	{ "kmem_cache", "node", 120, 8 * FK_MAX_NODES },
	{ "array_cache", "avail", 0, 4 }, { "array_cache", "limit", 4, 4 },
	{ "array_cache", "batchcount", 8, 4 }, { "array_cache", "touched", 12, 4 },
	{ "array_cache", "entry", 16, 0 },	/* flexible array */
	{ "alien_cache", "lock", 0, 4 }, { "alien_cache", "ac", 8, 16 },
	{ "kmem_cache_node", "slabs_partial", 8, 16 },
	{ "kmem_cache_node", "slabs_full", 24, 16 },
	{ "kmem_cache_node", "slabs_free", 40, 16 },
	{ "kmem_cache_node", "total_slabs", 56, 8 },
	{ "kmem_cache_node", "free_slabs", 64, 8 },
	{ "kmem_cache_node", "free_objects", 72, 8 },
	{ "kmem_cache_node", "free_limit", 80, 4 },
	{ "kmem_cache_node", "shared", 88, 8 }, { "kmem_cache_node", "alien", 96, 8 },
	{ "slab", "slab_list", 8, 16 }, { "slab", "slab_cache", 24, 8 },
	{ "slab", "freelist", 32, 8 }, { "slab", "s_mem", 40, 8 },
	{ "slab", "active", 48, 4 },
	{ "page", "flags", 0, 8 }, { "page", "compound_head", 8, 8 },
};

/* Before 5.17: the same fields in struct page, the list through lru. */
static const struct fk_member page_members[] = {
	{ "page", "lru", 8, 16 }, { "page", "slab_cache", 24, 8 },
	{ "page", "freelist", 32, 8 }, { "page", "s_mem", 40, 8 },
	{ "page", "active", 48, 4 },
};

static const struct fk_type slab_types[] = {
	{ "kmem_cache", 136 }, { "array_cache", 16 }, { "alien_cache", 24 },
	{ "kmem_cache_node", 120 }, { "slab", 64 }, { "page", 64 },
};

/*
 * Older kernels, in the shape of x86_64's structs (this fake's offsets;
 * NR_CPUS 4, MAX_NUMNODES FK_MAX_NODES).  Every old kernel's array_cache
 * has the spinlock before entry[] and no alien_cache wraps it; its
 * kmem_cache_node (2.6.32: kmem_list3) lists first, no slab counters.
 */
#define OLD_NR_CPUS 4
static const struct fk_member old_common[] = {
	{ "array_cache", "avail", 0, 4 }, { "array_cache", "limit", 4, 4 },
	{ "array_cache", "batchcount", 8, 4 }, { "array_cache", "touched", 12, 4 },
	{ "array_cache", "lock", 16, 4 }, { "array_cache", "entry", 24, 0 },
	{ "kmem_cache_node", "slabs_partial", 0, 16 },
	{ "kmem_cache_node", "slabs_full", 16, 16 },
	{ "kmem_cache_node", "slabs_free", 32, 16 },
	{ "kmem_cache_node", "free_objects", 48, 8 },
	{ "kmem_cache_node", "free_limit", 56, 4 },
	{ "kmem_cache_node", "colour_next", 60, 4 },
	{ "kmem_cache_node", "list_lock", 64, 4 },
	{ "kmem_cache_node", "shared", 72, 8 }, { "kmem_cache_node", "alien", 80, 8 },
	{ "kmem_cache_node", "next_reap", 88, 8 },
	{ "kmem_cache_node", "free_touched", 96, 4 },
	{ "page", "flags", 0, 8 },
};

/* Before 3.13: struct slab, kmem_bufctl_t bufctl[num] after it (48 bytes on). */
static const struct fk_member old_bufctl_slab[] = {
	{ "slab", "list", 0, 16 }, { "slab", "colouroff", 16, 8 },
	{ "slab", "s_mem", 24, 8 }, { "slab", "inuse", 32, 4 },
	{ "slab", "free", 36, 4 }, { "slab", "nodeid", 40, 2 },
};

#define BUFCTL_SLAB 48			/* sizeof(struct slab) */
#define BUFCTL_END 0xffffffffu

/* 2.6.32: array[NR_CPUS] first, nodelists[MAX_NUMNODES] last. */
static const struct fk_member kernel_2_6_32[] = {
	{ "kmem_cache", "array", 0, 8 * OLD_NR_CPUS },
	{ "kmem_cache", "batchcount", 32, 4 }, { "kmem_cache", "limit", 36, 4 },
	{ "kmem_cache", "shared", 40, 4 }, { "kmem_cache", "buffer_size", 44, 4 },
	{ "kmem_cache", "reciprocal_buffer_size", 48, 4 },
	{ "kmem_cache", "flags", 52, 4 }, { "kmem_cache", "num", 56, 4 },
	{ "kmem_cache", "gfporder", 60, 4 }, { "kmem_cache", "gfpflags", 64, 4 },
	{ "kmem_cache", "colour", 72, 8 }, { "kmem_cache", "colour_off", 80, 4 },
	{ "kmem_cache", "slabp_cache", 88, 8 }, { "kmem_cache", "slab_size", 96, 4 },
	{ "kmem_cache", "dflags", 100, 4 }, { "kmem_cache", "ctor", 104, 8 },
	{ "kmem_cache", "name", 112, 8 }, { "kmem_cache", "next", 120, 16 },
	{ "kmem_cache", "obj_offset", 136, 4 }, { "kmem_cache", "obj_size", 140, 4 },
	{ "kmem_cache", "nodelists", 144, 8 * FK_MAX_NODES },
	/* mm_types.h: the slab's cache and struct slab in lru.next and .prev */
	{ "page", "_count", 8, 4 }, { "page", "_mapcount", 12, 4 },
	{ "page", "private", 16, 8 }, { "page", "mapping", 24, 8 },
	{ "page", "index", 32, 8 }, { "page", "lru", 40, 16 },
};

/* 3.10: node, a pointer to &array[nr_cpu_ids], array[NR_CPUS + MAX_NUMNODES]. */
#define KERNEL_3_X_CACHE \
	{ "kmem_cache", "batchcount", 0, 4 }, { "kmem_cache", "limit", 4, 4 }, \
	{ "kmem_cache", "shared", 8, 4 }, { "kmem_cache", "size", 12, 4 }, \
	{ "kmem_cache", "reciprocal_buffer_size", 16, 4 }, \
	{ "kmem_cache", "flags", 20, 4 }, { "kmem_cache", "num", 24, 4 }, \
	{ "kmem_cache", "gfporder", 28, 4 }, { "kmem_cache", "allocflags", 32, 4 }, \
	{ "kmem_cache", "colour", 40, 8 }, { "kmem_cache", "colour_off", 48, 4 }, \
	{ "kmem_cache", "ctor", 72, 8 }, { "kmem_cache", "name", 80, 8 }, \
	{ "kmem_cache", "list", 88, 16 }, { "kmem_cache", "refcount", 104, 4 }, \
	{ "kmem_cache", "object_size", 108, 4 }, { "kmem_cache", "align", 112, 4 }, \
	{ "kmem_cache", "obj_offset", 116, 4 }, { "kmem_cache", "node", 120, 8 }, \
	{ "kmem_cache", "array", 128, 8 * (OLD_NR_CPUS + FK_MAX_NODES) }, \
	{ "task_struct", "mems_allowed", 0, 8 }

static const struct fk_member kernel_3_10[] = {
	KERNEL_3_X_CACHE,
	{ "kmem_cache", "slabp_cache", 56, 8 }, { "kmem_cache", "slab_size", 64, 4 }, { "kmem_cache", "dflags", 68, 4 },
	/* mm_types.h: slab_page shares lru's first word, slab_cache private */
	{ "page", "mapping", 8, 8 }, { "page", "index", 16, 8 },
	{ "page", "freelist", 16, 8 }, { "page", "counters", 24, 8 },
	{ "page", "lru", 32, 16 }, { "page", "slab_page", 32, 8 },
	{ "page", "private", 48, 8 }, { "page", "slab_cache", 48, 8 },
	{ "page", "first_page", 48, 8 },
};

/* 3.16: 3.10's kmem_cache with freelist_cache and freelist_size. */
static const struct fk_member kernel_3_16[] = {
	KERNEL_3_X_CACHE,
	{ "kmem_cache", "freelist_cache", 56, 8 }, { "kmem_cache", "freelist_size", 64, 4 },
	{ "page", "lru", 8, 16 }, { "page", "slab_cache", 24, 8 },
	{ "page", "freelist", 32, 8 }, { "page", "s_mem", 40, 8 },
	{ "page", "active", 48, 4 },
};

static const struct fk_type old_types[] = {
	{ "array_cache", 24 }, { "kmem_cache_node", 104 }, { "page", 64 },
	{ "slab", BUFCTL_SLAB },
};

/* The types this fake answers alone; every other goes to the base fake. */
static const char *const own_types[] = {
	"kmem_cache", "array_cache", "alien_cache", "kmem_cache_node", "slab",
	"page", "kmem_cache_cpu", "kmem_list3", "task_struct",
};

#define N(array) (sizeof(array) / sizeof((array)[0]))
#define CFLGS_OBJFREELIST_SLAB 0x40000000u
#define CFLGS_OFF_SLAB 0x80000000u

static const struct lx_dump_ops *base_ops;

static bool owned(const char *type)
{
	size_t i;

	for (i = 0; i < N(own_types); i++)
		if (!strcmp(own_types[i], type))
			return true;
	return false;
}

static bool old_kernel(const struct fake_slab *fs)
{
	return fs->cfg.kernel != FS_6_1;
}

/* Before 3.13: struct slab with kmem_bufctl_t[]. */
static bool bufctl(const struct fake_slab *fs)
{
	return fs->cfg.kernel == FS_3_10 || fs->cfg.kernel == FS_2_6_32;
}

static bool hidden(const struct fake_slab *fs, const char *type, const char *member)
{
	size_t tl = strlen(type);
	int i;

	for (i = 0; i < fs->fk.nhidden; i++) {
		const char *h = fs->fk.hidden_members[i];

		if (!strncmp(h, type, tl) && h[tl] == '.' &&
		    (!h[tl + 1] || !strcmp(h + tl + 1, member)))
			return true;
	}
	return false;
}

static const struct fk_member *lookup(const struct fk_member *m, size_t n,
				      const char *type, const char *member)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(m[i].type, type) && !strcmp(m[i].member, member))
			return &m[i];
	return NULL;
}

/* A member the test "kernel" gained (fk_add_member); its offset does not matter. */
static const struct fk_member *added(const struct fake_slab *fs, const char *type,
				     const char *member)
{
	static const struct fk_member any = { "", "", 0, 8 };
	size_t tl = strlen(type);
	int i;

	for (i = 0; i < fs->fk.nadded; i++) {
		const char *a = fs->fk.added_members[i];

		if (!strncmp(a, type, tl) && a[tl] == '.' && !strcmp(a + tl + 1, member))
			return &any;
	}
	return NULL;
}

/* 2.6.32 names the per-node type kmem_list3; the tables say kmem_cache_node. */
static const char *table_type(const struct fake_slab *fs, const char *type)
{
	bool old_name = fs->cfg.kernel == FS_2_6_32;

	if (!strcmp(type, "kmem_list3"))
		return old_name ? "kmem_cache_node" : NULL;
	if (!strcmp(type, "kmem_cache_node") && old_name)
		return NULL;
	return type;
}

static const struct fk_member *old_member(const struct fake_slab *fs,
					  const char *type, const char *member)
{
	const struct fk_member *m = NULL;

	type = table_type(fs, type);
	if (!type)
		return NULL;
	if (fs->cfg.kernel == FS_2_6_32)
		m = lookup(kernel_2_6_32, N(kernel_2_6_32), type, member);
	else if (fs->cfg.kernel == FS_3_10)
		m = lookup(kernel_3_10, N(kernel_3_10), type, member);
	else
		m = lookup(kernel_3_16, N(kernel_3_16), type, member);
	if (!m && bufctl(fs))
		m = lookup(old_bufctl_slab, N(old_bufctl_slab), type, member);
	return m ? m : lookup(old_common, N(old_common), type, member);
}

/* CONFIG_DEBUG_SLAB's members: obj_offset, and 2.6.32's obj_size. */
static bool debug_member(const char *type, const char *member)
{
	return !strcmp(type, "kmem_cache") &&
	       (!strcmp(member, "obj_offset") || !strcmp(member, "obj_size"));
}

static const struct fk_member *find_member(const struct fake_slab *fs,
					   const char *type, const char *member)
{
	const struct fk_member *m;

	if (hidden(fs, type, member) || hidden(fs, type, ""))
		return NULL;
	if (added(fs, type, member))
		return added(fs, type, member);
	if (debug_member(type, member) && !fs->cfg.obj_offset)
		return NULL;
	if (old_kernel(fs))
		return old_member(fs, type, member);
	if (!strcmp(type, "kmem_list3") || !strcmp(type, "task_struct") ||
	    (fs->cfg.page_fields && !strcmp(type, "slab")))
		return NULL;
	m = lookup(slab_members, N(slab_members), type, member);
	if (!m && fs->cfg.page_fields)
		m = lookup(page_members, N(page_members), type, member);
	return m;
}

static long type_size(const struct fake_slab *fs, const char *type)
{
	const struct fk_type *t = slab_types;
	size_t i, n = N(slab_types);
	long kc;

	if (old_kernel(fs)) {
		kc = fs->cfg.kernel == FS_2_6_32 ? 160 : 176;
		if (!strcmp(type, "kmem_cache"))
			return kc;
		type = table_type(fs, type);
		if (!type || (!bufctl(fs) && !strcmp(type, "slab")))
			return -1;
		t = old_types;
		n = N(old_types);
	} else if (!strcmp(type, "kmem_list3") ||
		   (fs->cfg.page_fields && !strcmp(type, "slab"))) {
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(t[i].type, type))
			return t[i].size;
	return -1;
}

static long fs_type_size(void *priv, const char *type)
{
	const struct fake_slab *fs = priv;

	if (!owned(type))
		return base_ops->type_size(priv, type);
	if (hidden(fs, type, ""))
		return -1;
	return type_size(fs, type);
}

static long fs_member_offset(void *priv, const char *type, const char *member)
{
	const struct fk_member *m;

	if (!owned(type))
		return base_ops->member_offset(priv, type, member);
	m = find_member(priv, type, member);
	return m ? m->offset : -1;
}

static long fs_member_size(void *priv, const char *type, const char *member)
{
	const struct fk_member *m;

	if (!owned(type))
		return base_ops->member_size(priv, type, member);
	m = find_member(priv, type, member);
	return m ? m->size : -1;
}

static bool fs_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	return base_ops->read(priv, addr, buf, len);
}

/* 2.6.32's list of caches is cache_chain, where the base fake has slab_caches. */
static bool fs_symbol(void *priv, const char *name, uint64_t *addr)
{
	const struct fake_slab *fs = priv;

	if (fs->cfg.kernel == FS_2_6_32) {
		if (!strcmp(name, "slab_caches"))
			return false;
		if (!strcmp(name, "cache_chain"))
			name = "slab_caches";
	}
	return base_ops->symbol(priv, name, addr);
}

static bool fs_addr_symbol(void *priv, uint64_t addr, char *name, size_t len,
			   uint64_t *offset, char *module, size_t modlen)
{
	return base_ops->addr_symbol(priv, addr, name, len, offset, module, modlen);
}

static bool fs_enum_value(void *priv, const char *name, long *value)
{
	return base_ops->enum_value(priv, name, value);
}

static uint64_t fs_phys_end(void *priv)
{
	return base_ops->phys_end(priv);
}

static bool fs_member_at(void *priv, const char *type, uint64_t offset,
			 char *path, size_t len)
{
	return base_ops->member_at(priv, type, offset, path, len);
}

static const struct lx_dump_ops fs_dump_ops = {
	.read = fs_read, .symbol = fs_symbol, .addr_symbol = fs_addr_symbol,
	.type_size = fs_type_size, .member_offset = fs_member_offset,
	.member_size = fs_member_size, .enum_value = fs_enum_value,
	.phys_end = fs_phys_end, .member_at = fs_member_at,
};

static const struct fk_member *member_of(const struct fake_slab *fs, const char *type,
					 const char *name)
{
	const struct fk_member *m = find_member(fs, type, name);

	if (!m)
		abort();	/* a test wrote a member its kernel lacks */
	return m;
}

static uint64_t member(const struct fake_slab *fs, const char *type, const char *name)
{
	return member_of(fs, type, name)->offset;
}

/* The kernel's name for kmem_cache's member today called name. */
static const char *cache_member(const struct fake_slab *fs, const char *name)
{
	static const char *const renamed[][2] = {
		{ "size", "buffer_size" }, { "object_size", "obj_size" },
		{ "list", "next" }, { "node", "nodelists" },
	};
	size_t i;

	if (fs->cfg.kernel != FS_2_6_32)
		return name;
	for (i = 0; i < N(renamed); i++)
		if (!strcmp(renamed[i][0], name))
			return renamed[i][1];
	return name;
}

uint64_t fs_cache_member(const struct fake_slab *fs, const char *name)
{
	return FS_CACHE + member(fs, "kmem_cache", cache_member(fs, name));
}

static bool cache_has(const struct fake_slab *fs, const char *name)
{
	return find_member(fs, "kmem_cache", cache_member(fs, name)) != NULL;
}

/* Write kmem_cache's member (today's name), if the kernel has it. */
static void cache_set(struct fake_slab *fs, const char *name, uint64_t value)
{
	const struct fk_member *m = find_member(fs, "kmem_cache", cache_member(fs, name));

	if (!m)
		return;
	if (m->size == 4)
		fk_w32(&fs->fk, FS_CACHE + m->offset, value);
	else
		fk_w64(&fs->fk, FS_CACHE + m->offset, value);
}

static const char *node_type(const struct fake_slab *fs)
{
	return fs->cfg.kernel == FS_2_6_32 ? "kmem_list3" : "kmem_cache_node";
}

static uint64_t node_addr(unsigned int node)
{
	return FS_NODE + 0x100 * node;
}

static const char *slab_type(const struct fake_slab *fs)
{
	return fs->cfg.page_fields ? "page" : "slab";
}

/* Where slab pfn's struct slab (or page) is. */
static uint64_t hdr_addr(const struct fake_slab *fs, unsigned long pfn)
{
	return bufctl(fs) ? fs->desc[pfn] : fk_page(pfn);
}

static uint32_t cache_flags(const struct fake_slab *fs)
{
	switch (fs->cfg.where) {
	case FS_OBJFREELIST:
		return CFLGS_OBJFREELIST_SLAB;
	case FS_OFF_SLAB:
		return CFLGS_OFF_SLAB;
	default:
		return 0;
	}
}

#define ALIGN_UP(x, a) (((x) + (a) - 1) / (a) * (a))

/*
 * Before 3.13 (mm/slab.c cache_estimate(), __kmem_cache_create()): an
 * on-slab struct slab and bufctl[] take slab_size, aligned, before the
 * objects; off slab, slab_size is their bytes as allocated.
 */
static uint32_t bufctl_objects(struct fake_slab *fs)
{
	uint32_t num = FK_PAGE_SIZE / FS_OBJ_SIZE;

	if (fs->cfg.where == FS_OFF_SLAB) {
		fs->slab_size = BUFCTL_SLAB + 4 * num;
		return num;
	}
	while (ALIGN_UP(BUFCTL_SLAB + 4 * num, FS_ALIGN) + num * FS_OBJ_SIZE > FK_PAGE_SIZE)
		num--;
	fs->slab_size = ALIGN_UP(BUFCTL_SLAB + 4 * num, FS_ALIGN);
	return num;
}

/* mm/slab.c cache_estimate(): an on-slab freelist shares the page. */
static uint32_t objects_per_slab(struct fake_slab *fs)
{
	if (bufctl(fs))
		return bufctl_objects(fs);
	if (fs->cfg.where == FS_ON_SLAB)
		return FK_PAGE_SIZE / (FS_OBJ_SIZE + fs->cfg.width);
	return FK_PAGE_SIZE / FS_OBJ_SIZE;
}

static void init_cache_list(struct fake_slab *fs)
{
	struct fake_kernel *fk = &fs->fk;
	uint64_t head, list = fs_cache_member(fs, "list");

	if (!base_ops->symbol(fk, "slab_caches", &head))
		abort();
	fk_w64(fk, head, list);		/* the only cache */
	fk_w64(fk, head + 8, list);
	fk_w64(fk, list, head);
	fk_w64(fk, list + 8, head);
}

static void init_cache(struct fake_slab *fs)
{
	uint64_t name = FS_CACHE + 0x200;
	struct fake_kernel *fk = &fs->fk;

	fk_region(fk, FS_CACHE, 0x300);
	cache_set(fs, "cpu_cache", FS_CPU_CACHE);
	cache_set(fs, "batchcount", FS_BATCH);
	cache_set(fs, "limit", FS_LIMIT);
	cache_set(fs, "shared", FS_SHARED);
	cache_set(fs, "size", FS_OBJ_SIZE);
	cache_set(fs, "align", FS_ALIGN);
	cache_set(fs, "flags", cache_flags(fs) | fs->cfg.flags);
	cache_set(fs, "num", fs->num);
	cache_set(fs, "gfporder", 0);
	cache_set(fs, "colour_off", FS_COLOUR);
	cache_set(fs, "freelist_size", fs->num * fs->cfg.width);
	cache_set(fs, "slab_size", fs->slab_size);
	cache_set(fs, "name", name);
	fk_write(fk, name, FS_NAME, sizeof(FS_NAME));
	cache_set(fs, "object_size", FS_OBJ_SIZE - 2 * fs->cfg.obj_offset);
	cache_set(fs, "obj_offset", fs->cfg.obj_offset);
	init_cache_list(fs);
}

/*
 * Where node's kmem_cache_node pointer is: kmem_cache.node[node], or
 * (a pointer before array[]) array[nr_cpu_ids + node], as 3.x set it.
 */
static uint64_t node_slot(const struct fake_slab *fs, unsigned int node)
{
	if (fs->cfg.kernel == FS_3_10 || fs->cfg.kernel == FS_3_16)
		return fs_cache_member(fs, "array") + 8 * (FK_NR_CPUS + node);
	return fs_cache_member(fs, "node") + 8 * node;
}

static void init_nodes(struct fake_slab *fs)
{
	static const char *const lists[] = { "slabs_partial", "slabs_full", "slabs_free" };
	struct fake_kernel *fk = &fs->fk;
	unsigned int node;
	uint64_t head;
	size_t i;

	fk_region(fk, FS_NODE, 0x100 * FK_MAX_NODES);
	if (fs->cfg.kernel == FS_3_10 || fs->cfg.kernel == FS_3_16)
		fk_w64(fk, fs_cache_member(fs, "node"), node_slot(fs, 0));
	for (node = 0; node < FK_MAX_NODES; node++) {
		fk_w64(fk, node_slot(fs, node), node_addr(node));
		for (i = 0; i < N(lists); i++) {	/* empty lists */
			head = node_addr(node) + member(fs, node_type(fs), lists[i]);
			fk_w64(fk, head, head);
			fk_w64(fk, head + 8, head);
		}
	}
}

static uint64_t new_array(struct fake_slab *fs)
{
	uint64_t ac = FS_ARRAYS + (uint64_t)FS_ARRAY_STRIDE * fs->next_array++;

	if (fs->next_array > FS_NR_ARRAYS)
		abort();
	return ac;
}

/* Kernels before 3.18: each cpu's array cache, kmem_cache.array[cpu]. */
static void init_cpu_arrays(struct fake_slab *fs)
{
	int cpu;

	if (!cache_has(fs, "array"))
		return;
	for (cpu = 0; cpu < FK_NR_CPUS; cpu++) {
		fs->cpu_array[cpu] = new_array(fs);
		fk_w64(&fs->fk, fs_cache_member(fs, "array") + 8 * cpu, fs->cpu_array[cpu]);
	}
}

void fs_init(struct fake_slab *fs, const struct fs_config *cfg)
{
	memset(fs, 0, sizeof(*fs));
	fk_init(&fs->fk, LX_FP_PLAIN);
	base_ops = fs->fk.target.dump;
	fs->fk.target.dump = &fs_dump_ops;
	fs->cfg = *cfg;
	if (fs->cfg.kernel == FS_3_16)
		fs->cfg.page_fields = true;
	if (bufctl(fs)) {
		fs->cfg.page_fields = false;
		fs->cfg.width = 4;
		if (fs->cfg.where == FS_OBJFREELIST)
			abort();	/* 4.6+ only */
	} else if (fs->cfg.width != 2 && (fs->cfg.width != 4 || fs->cfg.kernel != FS_3_16)) {
		fs->cfg.width = 1;	/* 4: 3.13's unsigned int indexes */
	}
	if (old_kernel(fs))
		fs->fk.pg_slab_value = 7;	/* PG_slab after PG_active */
	fs->num = objects_per_slab(fs);
	init_cache(fs);
	init_nodes(fs);
	fk_region(&fs->fk, FS_ARRAYS, FS_ARRAY_STRIDE * FS_NR_ARRAYS);
	fs_shared(fs, 0, fs_array(fs, NULL, 0, FS_SHARED_LIMIT));
	fs_shared(fs, 1, fs_array(fs, NULL, 0, FS_SHARED_LIMIT));
	init_cpu_arrays(fs);
	fs_cpu_cache(fs, 0, NULL, 0, FS_LIMIT);
	fs_cpu_cache(fs, 1, NULL, 0, FS_LIMIT);
	fk_region(&fs->fk, FS_ALIEN_PTRS, 0x40 * FK_MAX_NODES);
	fk_region(&fs->fk, FS_OFFSLAB, 0x20 * FK_MAX_PFN);
	if (bufctl(fs))
		fk_region(&fs->fk, FS_OFFSLAB_DESC, 0x100 * FK_MAX_PFN);
}

void fs_fini(struct fake_slab *fs)
{
	fk_fini(&fs->fk);
}

static uint64_t s_mem(const struct fake_slab *fs, unsigned long pfn)
{
	uint64_t s_mem;

	if (!base_ops->read((void *)&fs->fk, hdr_addr(fs, pfn) + member(fs, slab_type(fs), "s_mem"),
			    &s_mem, 8))
		abort();
	return s_mem;
}

uint64_t fs_slot(const struct fake_slab *fs, unsigned long pfn, unsigned int index)
{
	return s_mem(fs, pfn) + (uint64_t)index * FS_OBJ_SIZE;
}

uint64_t fs_obj(const struct fake_slab *fs, unsigned long pfn, unsigned int index)
{
	return fs_slot(fs, pfn, index) + fs->cfg.obj_offset;
}

void fs_set_slab_field(struct fake_slab *fs, unsigned long pfn, const char *name,
		       uint64_t value)
{
	const struct fk_member *m = member_of(fs, slab_type(fs), name);
	uint64_t addr = hdr_addr(fs, pfn) + m->offset;
	uint16_t v16 = value;

	if (m->size == 2)
		fk_write(&fs->fk, addr, &v16, 2);
	else if (m->size == 4)
		fk_w32(&fs->fk, addr, value);
	else
		fk_w64(&fs->fk, addr, value);
}

void fs_set_index(struct fake_slab *fs, unsigned long pfn, unsigned int i,
		  unsigned int value)
{
	uint64_t at = fs->freelist[pfn] + (uint64_t)i * fs->cfg.width;
	uint32_t v = value;

	fk_write(&fs->fk, at, &v, fs->cfg.width);
}

uint64_t fs_freelist(const struct fake_slab *fs, unsigned long pfn)
{
	return fs->freelist[pfn];
}

uint64_t fs_desc(const struct fake_slab *fs, unsigned long pfn)
{
	return fs->desc[pfn];
}

/* Where a page points to its cache and its struct slab (before 3.13). */
static uint64_t page_cache_link(const struct fake_slab *fs)
{
	if (fs->cfg.kernel == FS_2_6_32)
		return member(fs, "page", "lru");	/* lru.next */
	return member(fs, "page", "slab_cache");
}

static uint64_t page_slab_link(const struct fake_slab *fs)
{
	if (fs->cfg.kernel == FS_2_6_32)
		return member(fs, "page", "lru") + 8;	/* lru.prev */
	return member(fs, "page", "slab_page");
}

void fs_set_page_slab(struct fake_slab *fs, unsigned long pfn, uint64_t desc)
{
	fk_w64(&fs->fk, fk_page(pfn) + page_slab_link(fs), desc);
}

/* Where the freelist array of slab pfn lives (mm/slab.c alloc_slabmgmt()). */
static uint64_t freelist_addr(const struct fake_slab *fs, unsigned long pfn,
			      unsigned int active, const unsigned int *free)
{
	switch (fs->cfg.where) {
	case FS_OBJFREELIST:	/* in the free object named last */
		return active < fs->num ? fs_obj(fs, pfn, free[fs->num - active - 1]) : 0;
	case FS_OFF_SLAB:
		return FS_OFFSLAB + 0x20 * pfn;
	default:		/* at the end of the slab's page (4.6+) */
		return fk_slab_mem(pfn) + FK_PAGE_SIZE - fs->num * fs->cfg.width;
	}
}

/* freelist[0 .. active): the allocated indexes, ascending; then free[]. */
static void write_freelist(struct fake_slab *fs, unsigned long pfn,
			   unsigned int active, const unsigned int *free)
{
	bool is_free[FK_PAGE_SIZE] = { false };
	unsigned int i, n = 0;

	for (i = 0; i < fs->num - active; i++)
		is_free[free[i]] = true;
	for (i = 0; i < fs->num && n < active; i++)
		if (!is_free[i])
			fs_set_index(fs, pfn, n++, i);
	for (i = 0; i < fs->num - active; i++)
		fs_set_index(fs, pfn, active + i, free[i]);
}

/*
 * Before 3.13 (mm/slab.c cache_init_objs(), slab_get_obj()): bufctl[i]
 * was i + 1 when the slab grew, stale once i is handed out; the free
 * indexes chain from slab->free.
 */
static void write_bufctl(struct fake_slab *fs, unsigned long pfn,
			 unsigned int active, const unsigned int *free)
{
	unsigned int i, nfree = fs->num - active;

	for (i = 0; i < fs->num; i++)
		fs_set_index(fs, pfn, i, i + 1 < fs->num ? i + 1 : BUFCTL_END);
	for (i = 0; i < nfree; i++)
		fs_set_index(fs, pfn, free[i], i + 1 < nfree ? free[i + 1] : BUFCTL_END);
	fs_set_slab_field(fs, pfn, "free", nfree ? free[0] : BUFCTL_END);
}

/*
 * Before 3.13 (mm/slab.c alloc_slabmgmt(), slab_map_pages()): the struct
 * slab colour bytes into the slab, the objects slab_size after it, or
 * off slab; the page points to the cache and to the struct slab.
 */
static void add_bufctl_slab(struct fake_slab *fs, unsigned long pfn, unsigned int colour,
			    unsigned int active, const unsigned int *free)
{
	uint64_t start = fk_slab_mem(pfn), colouroff = colour * FS_COLOUR;

	if (fs->cfg.where == FS_OFF_SLAB) {
		fs->desc[pfn] = FS_OFFSLAB_DESC + 0x100 * pfn;
	} else {
		fs->desc[pfn] = start + colouroff;
		colouroff += fs->slab_size;
	}
	fs->freelist[pfn] = fs->desc[pfn] + BUFCTL_SLAB;
	fk_w64(&fs->fk, fk_page(pfn) + page_cache_link(fs), FS_CACHE);
	fs_set_page_slab(fs, pfn, fs->desc[pfn]);
	fs_set_slab_field(fs, pfn, "colouroff", colouroff);
	fs_set_slab_field(fs, pfn, "s_mem", start + colouroff);
	fs_set_slab_field(fs, pfn, "inuse", active);
	fs_set_slab_field(fs, pfn, "nodeid", 0);
	write_bufctl(fs, pfn, active, free);
}

void fs_add_slab(struct fake_slab *fs, unsigned long pfn, unsigned int colour,
		 unsigned int active, const unsigned int *free)
{
	struct fake_kernel *fk = &fs->fk;
	uint64_t page = fk_page(pfn);

	fk_region(fk, fk_slab_mem(pfn), FK_PAGE_SIZE);
	fk_w64(fk, page, 1ULL << fk->pg_slab_value);
	fs->active[pfn] = active;
	if (bufctl(fs)) {
		add_bufctl_slab(fs, pfn, colour, active, free);
		return;
	}
	fs_set_slab_field(fs, pfn, "slab_cache", FS_CACHE);
	fs_set_slab_field(fs, pfn, "s_mem", fk_slab_mem(pfn) + colour * FS_COLOUR);
	fs_set_slab_field(fs, pfn, "active", active);
	fs->freelist[pfn] = freelist_addr(fs, pfn, active, free);
	fs_set_slab_field(fs, pfn, "freelist", fs->freelist[pfn]);
	if (fs->freelist[pfn])
		write_freelist(fs, pfn, active, free);
}

static const char *list_name(enum lx_slab_source which)
{
	switch (which) {
	case LX_SRC_SLABS_FULL:
		return "slabs_full";
	case LX_SRC_SLABS_FREE:
		return "slabs_free";
	default:
		return "slabs_partial";
	}
}

/* The member slabs are linked through: struct slab's list (before 3.13). */
static const char *slab_link(const struct fake_slab *fs)
{
	if (bufctl(fs))
		return "list";
	return fs->cfg.page_fields ? "lru" : "slab_list";
}

void fs_list(struct fake_slab *fs, unsigned int node, enum lx_slab_source which,
	     const unsigned long *pfns)
{
	long link = member(fs, slab_type(fs), slab_link(fs));
	uint64_t head = node_addr(node) + member(fs, node_type(fs), list_name(which));
	uint64_t prev = head;

	for (; *pfns; pfns++) {
		uint64_t entry = hdr_addr(fs, *pfns) + link;

		fk_w64(&fs->fk, prev, entry);
		fk_w64(&fs->fk, entry + 8, prev);
		prev = entry;
		fs->slabs[node]++;
		fs->free_slabs[node] += which == LX_SRC_SLABS_FREE;
		fs->free_objects[node] += fs->num - fs->active[*pfns];
	}
	fk_w64(&fs->fk, prev, head);
	fk_w64(&fs->fk, head + 8, prev);
}

void fs_set_counter(struct fake_slab *fs, unsigned int node, const char *name,
		    uint64_t value)
{
	fk_w64(&fs->fk, node_addr(node) + member(fs, node_type(fs), name), value);
}

/* A counter the kernel keeps (a test may hide one). */
static void set_kept_counter(struct fake_slab *fs, unsigned int node, const char *name,
			     uint64_t value)
{
	if (find_member(fs, node_type(fs), name))
		fs_set_counter(fs, node, name, value);
}

void fs_counters(struct fake_slab *fs)
{
	unsigned int node;

	for (node = 0; node < FK_MAX_NODES; node++) {
		set_kept_counter(fs, node, "total_slabs", fs->slabs[node]);
		set_kept_counter(fs, node, "free_slabs", fs->free_slabs[node]);
		set_kept_counter(fs, node, "free_objects", fs->free_objects[node]);
	}
}

static void write_array(struct fake_slab *fs, uint64_t ac, const uint64_t *objs,
			uint32_t n, uint32_t limit, uint32_t batch)
{
	uint64_t entry = ac + member(fs, "array_cache", "entry");
	uint32_t i;

	fk_w32(&fs->fk, ac + member(fs, "array_cache", "avail"), n);
	fk_w32(&fs->fk, ac + member(fs, "array_cache", "limit"), limit);
	fk_w32(&fs->fk, ac + member(fs, "array_cache", "batchcount"), batch);
	for (i = 0; i < n; i++)
		fk_w64(&fs->fk, entry + 8 * i, objs[i]);
}

void fs_cpu_cache(struct fake_slab *fs, int cpu, const uint64_t *objs, uint32_t n,
		  uint32_t limit)
{
	uint64_t ac = fs->cpu_array[cpu];

	if (!ac)	/* 3.18+: the __percpu pointer's */
		ac = FK_PERCPU_BASE + cpu * 0x1000 + FS_CPU_CACHE;
	write_array(fs, ac, objs, n, limit, FS_BATCH);
}

uint64_t fs_array(struct fake_slab *fs, const uint64_t *objs, uint32_t n,
		  uint32_t limit)
{
	uint64_t ac = new_array(fs);

	write_array(fs, ac, objs, n, limit, FS_SHARED_BATCH);
	return ac;
}

void fs_shared(struct fake_slab *fs, unsigned int node, uint64_t ac)
{
	fk_w64(&fs->fk, node_addr(node) + member(fs, node_type(fs), "shared"), ac);
}

/* Before struct alien_cache, the alien pointers are array caches. */
void fs_alien(struct fake_slab *fs, unsigned int node, unsigned int from_node,
	      const uint64_t *objs, uint32_t n)
{
	const struct fk_member *ac = find_member(fs, "alien_cache", "ac");
	uint64_t alien = new_array(fs), ptrs = FS_ALIEN_PTRS + 0x40 * node;

	write_array(fs, alien + (ac ? ac->offset : 0), objs, n, 12, FS_SHARED_BATCH);
	fk_w64(&fs->fk, ptrs + 8 * from_node, alien);
	fk_w64(&fs->fk, node_addr(node) + member(fs, node_type(fs), "alien"), ptrs);
}
