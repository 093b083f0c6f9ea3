// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The synthetic SLAB kernel (fake_slab.h).  Its types are Linux 6.1's
 * SLAB structs (include/linux/slab_def.h, mm/slab.h, mm/slab.c) at this
 * fake's offsets; every other type, the symbols, the globals and the
 * memory are the fake kernel's (fake_target.c), whose dump ops this
 * wraps.
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

/* The types this fake answers alone; every other goes to the base fake. */
static const char *const own_types[] = {
	"kmem_cache", "array_cache", "alien_cache", "kmem_cache_node", "slab",
	"page", "kmem_cache_cpu",
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

static const struct fk_member *find_member(const struct fake_slab *fs,
					   const char *type, const char *member)
{
	const struct fk_member *m;

	if (hidden(fs, type, member) || hidden(fs, type, ""))
		return NULL;
	if (added(fs, type, member))
		return added(fs, type, member);
	if (!strcmp(type, "kmem_cache") && !strcmp(member, "obj_offset") &&
	    !fs->cfg.obj_offset)
		return NULL;
	if (fs->cfg.page_fields && !strcmp(type, "slab"))
		return NULL;
	m = lookup(slab_members, N(slab_members), type, member);
	if (!m && fs->cfg.page_fields)
		m = lookup(page_members, N(page_members), type, member);
	return m;
}

static long fs_type_size(void *priv, const char *type)
{
	const struct fake_slab *fs = priv;
	size_t i;

	if (!owned(type))
		return base_ops->type_size(priv, type);
	if (hidden(fs, type, "") || (fs->cfg.page_fields && !strcmp(type, "slab")))
		return -1;
	for (i = 0; i < N(slab_types); i++)
		if (!strcmp(slab_types[i].type, type))
			return slab_types[i].size;
	return -1;
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

static bool fs_symbol(void *priv, const char *name, uint64_t *addr)
{
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

static uint64_t member(const struct fake_slab *fs, const char *type, const char *name)
{
	const struct fk_member *m = find_member(fs, type, name);

	if (!m)
		abort();	/* a test wrote a member its kernel lacks */
	return m->offset;
}

static const char *slab_type(const struct fake_slab *fs)
{
	return fs->cfg.page_fields ? "page" : "slab";
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

/* mm/slab.c cache_estimate(): an on-slab freelist shares the page. */
static uint32_t objects_per_slab(const struct fake_slab *fs)
{
	if (fs->cfg.where == FS_ON_SLAB)
		return FK_PAGE_SIZE / (FS_OBJ_SIZE + fs->cfg.width);
	return FK_PAGE_SIZE / FS_OBJ_SIZE;
}

static void init_cache(struct fake_slab *fs)
{
	uint64_t head, name = FS_CACHE + 0x200;
	struct fake_kernel *fk = &fs->fk;

	fk_region(fk, FS_CACHE, 0x300);
	fk_w64(fk, FS_CACHE + 0, FS_CPU_CACHE);
	fk_w32(fk, FS_CACHE + 8, FS_BATCH);
	fk_w32(fk, FS_CACHE + 12, FS_LIMIT);
	fk_w32(fk, FS_CACHE + 16, FS_SHARED);
	fk_w32(fk, FS_CACHE + 20, FS_OBJ_SIZE);
	fk_w32(fk, FS_CACHE + 104, FS_ALIGN);
	fk_w32(fk, FS_CACHE + 32, cache_flags(fs) | fs->cfg.flags);
	fk_w32(fk, FS_CACHE + 36, fs->num);
	fk_w32(fk, FS_CACHE + 40, 0);			/* gfporder */
	fk_w32(fk, FS_CACHE + 56, FS_COLOUR);
	fk_w32(fk, FS_CACHE + 60, fs->num * fs->cfg.width);	/* freelist_size */
	fk_w64(fk, FS_CACHE + 72, name);
	fk_write(fk, name, FS_NAME, sizeof(FS_NAME));
	fk_w32(fk, FS_CACHE + 100, FS_OBJ_SIZE - 2 * fs->cfg.obj_offset);
	fk_w32(fk, FS_CACHE + 108, fs->cfg.obj_offset);
	if (!base_ops->symbol(fk, "slab_caches", &head))
		abort();
	fk_w64(fk, head, FS_CACHE + 80);		/* the only cache */
	fk_w64(fk, head + 8, FS_CACHE + 80);
	fk_w64(fk, FS_CACHE + 80, head);
	fk_w64(fk, FS_CACHE + 88, head);
}

static void init_nodes(struct fake_slab *fs)
{
	struct fake_kernel *fk = &fs->fk;
	unsigned int node;
	uint64_t kcn;
	long list;

	fk_region(fk, FS_NODE, 0x100 * FK_MAX_NODES);
	for (node = 0; node < FK_MAX_NODES; node++) {
		kcn = FS_NODE + 0x100 * node;
		fk_w64(fk, FS_CACHE + 120 + 8 * node, kcn);
		for (list = 8; list <= 40; list += 16) {	/* empty lists */
			fk_w64(fk, kcn + list, kcn + list);
			fk_w64(fk, kcn + list + 8, kcn + list);
		}
	}
}

void fs_init(struct fake_slab *fs, const struct fs_config *cfg)
{
	memset(fs, 0, sizeof(*fs));
	fk_init(&fs->fk, LX_FP_PLAIN);
	base_ops = fs->fk.target.dump;
	fs->fk.target.dump = &fs_dump_ops;
	fs->cfg = *cfg;
	if (fs->cfg.width != 2)
		fs->cfg.width = 1;
	fs->num = objects_per_slab(fs);
	init_cache(fs);
	init_nodes(fs);
	fk_region(&fs->fk, FS_ARRAYS, FS_ARRAY_STRIDE * FS_NR_ARRAYS);
	fs_shared(fs, 0, fs_array(fs, NULL, 0, FS_SHARED_LIMIT));
	fs_shared(fs, 1, fs_array(fs, NULL, 0, FS_SHARED_LIMIT));
	fs_cpu_cache(fs, 0, NULL, 0, FS_LIMIT);
	fs_cpu_cache(fs, 1, NULL, 0, FS_LIMIT);
	fk_region(&fs->fk, FS_ALIEN_PTRS, 0x40 * FK_MAX_NODES);
	fk_region(&fs->fk, FS_OFFSLAB, 0x20 * FK_MAX_PFN);
}

void fs_fini(struct fake_slab *fs)
{
	fk_fini(&fs->fk);
}

static uint64_t s_mem(const struct fake_slab *fs, unsigned long pfn)
{
	uint64_t s_mem;

	if (!base_ops->read((void *)&fs->fk, fk_page(pfn) + member(fs, slab_type(fs), "s_mem"),
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
	uint64_t addr = fk_page(pfn) + member(fs, slab_type(fs), name);

	if (!strcmp(name, "active"))
		fk_w32(&fs->fk, addr, value);
	else
		fk_w64(&fs->fk, addr, value);
}

void fs_set_index(struct fake_slab *fs, unsigned long pfn, unsigned int i,
		  unsigned int value)
{
	uint64_t at = fs->freelist[pfn] + (uint64_t)i * fs->cfg.width;
	uint16_t v = value;

	fk_write(&fs->fk, at, &v, fs->cfg.width);
}

uint64_t fs_freelist(const struct fake_slab *fs, unsigned long pfn)
{
	return fs->freelist[pfn];
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
	default:		/* at the end of the slab's page */
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

void fs_add_slab(struct fake_slab *fs, unsigned long pfn, unsigned int colour,
		 unsigned int active, const unsigned int *free)
{
	struct fake_kernel *fk = &fs->fk;
	uint64_t page = fk_page(pfn);

	fk_region(fk, fk_slab_mem(pfn), FK_PAGE_SIZE);
	fk_w64(fk, page, 1ULL << FK_PG_SLAB);
	fs_set_slab_field(fs, pfn, "slab_cache", FS_CACHE);
	fs_set_slab_field(fs, pfn, "s_mem", fk_slab_mem(pfn) + colour * FS_COLOUR);
	fs_set_slab_field(fs, pfn, "active", active);
	fs->active[pfn] = active;
	fs->freelist[pfn] = freelist_addr(fs, pfn, active, free);
	fs_set_slab_field(fs, pfn, "freelist", fs->freelist[pfn]);
	if (fs->freelist[pfn])
		write_freelist(fs, pfn, active, free);
}

static long list_offset(enum lx_slab_source which)
{
	switch (which) {
	case LX_SRC_SLABS_FULL:
		return 24;
	case LX_SRC_SLABS_FREE:
		return 40;
	default:
		return 8;
	}
}

void fs_list(struct fake_slab *fs, unsigned int node, enum lx_slab_source which,
	     const unsigned long *pfns)
{
	long link = member(fs, slab_type(fs), fs->cfg.page_fields ? "lru" : "slab_list");
	uint64_t head = FS_NODE + 0x100 * node + list_offset(which), prev = head;

	for (; *pfns; pfns++) {
		uint64_t entry = fk_page(*pfns) + link;

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
	fk_w64(&fs->fk, FS_NODE + 0x100 * node + member(fs, "kmem_cache_node", name),
	       value);
}

/* A counter the kernel keeps (a test may hide one). */
static void set_kept_counter(struct fake_slab *fs, unsigned int node, const char *name,
			     uint64_t value)
{
	if (find_member(fs, "kmem_cache_node", name))
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
	uint32_t i;

	fk_w32(&fs->fk, ac, n);			/* avail */
	fk_w32(&fs->fk, ac + 4, limit);
	fk_w32(&fs->fk, ac + 8, batch);
	for (i = 0; i < n; i++)
		fk_w64(&fs->fk, ac + 16 + 8 * i, objs[i]);
}

void fs_cpu_cache(struct fake_slab *fs, int cpu, const uint64_t *objs, uint32_t n,
		  uint32_t limit)
{
	write_array(fs, FK_PERCPU_BASE + cpu * 0x1000 + FS_CPU_CACHE, objs, n, limit,
		    FS_BATCH);
}

uint64_t fs_array(struct fake_slab *fs, const uint64_t *objs, uint32_t n,
		  uint32_t limit)
{
	uint64_t ac = FS_ARRAYS + (uint64_t)FS_ARRAY_STRIDE * fs->next_array++;

	if (fs->next_array > FS_NR_ARRAYS)
		abort();
	write_array(fs, ac, objs, n, limit, FS_SHARED_BATCH);
	return ac;
}

void fs_shared(struct fake_slab *fs, unsigned int node, uint64_t ac)
{
	fk_w64(&fs->fk, FS_NODE + 0x100 * node + 88, ac);
}

void fs_alien(struct fake_slab *fs, unsigned int node, unsigned int from_node,
	      const uint64_t *objs, uint32_t n)
{
	uint64_t alien = fs_array(fs, NULL, 0, 0);	/* struct alien_cache */
	uint64_t ptrs = FS_ALIEN_PTRS + 0x40 * node;

	write_array(fs, alien + 8, objs, n, 12, FS_SHARED_BATCH);
	fk_w64(&fs->fk, ptrs + 8 * from_node, alien);
	fk_w64(&fs->fk, FS_NODE + 0x100 * node + 96, ptrs);
}
