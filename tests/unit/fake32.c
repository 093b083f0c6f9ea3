// SPDX-License-Identifier: GPL-2.0-or-later
/* A synthetic i386 kernel (fake32.h). */
#include <stdlib.h>
#include <string.h>

#include "fake32.h"

#define SYMS 0xc1400000ULL
#define SYM_SLAB_CACHES (SYMS + 0x000)
#define SYM_NR_CPU_IDS (SYMS + 0x100)
#define SYM_PER_CPU_OFFSET (SYMS + 0x200)
#define SYM_NR_NODE_IDS (SYMS + 0x300)
#define SYM_MAX_PFN (SYMS + 0x400)
#define SYM_CPU_POSSIBLE (SYMS + 0x500)
#define SYM_NODE_STATES (SYMS + 0x600)	/* nodemask_t: one 4-byte long each */
#define SYM_HIGH_MEMORY (SYMS + 0x700)
#define SYM_MAX_LOW_PFN (SYMS + 0x800)
#define SYM_MEM_MAP (SYMS + 0x900)
#define SYM_INITIAL_PAGE_TABLE (SYMS + 0xa00)
#define NAME_ADDR 0xc2002000ULL
#define JUNK 0xdeadbeefu		/* the word after a word */
#define PG_SLAB 9
#define N_NORMAL_MEMORY 2

/* Linux 6.1 on i386: 4-byte pointers and unsigned longs (mm/slab.h, mm/slub.c). */
static const struct {
	const char *type, *member;
	long offset, size;
} members[] = {
	{ "slab", "slab_list", 4, 8 }, { "slab", "next", 4, 4 },
	{ "slab", "slab_cache", 12, 4 }, { "slab", "freelist", 16, 4 },
	{ "slab", "counters", 20, 4 },
	{ "page", "flags", 0, 4 }, { "page", "compound_head", 4, 4 },
	{ "page", "page_type", 24, 4 },
	{ "kmem_cache", "cpu_slab", 0, 4 }, { "kmem_cache", "flags", 4, 4 },
	{ "kmem_cache", "size", 12, 4 }, { "kmem_cache", "object_size", 16, 4 },
	{ "kmem_cache", "offset", 28, 4 }, { "kmem_cache", "oo", 40, 4 },
	{ "kmem_cache", "min", 44, 4 }, { "kmem_cache", "inuse", 60, 4 },
	{ "kmem_cache", "red_left_pad", 68, 4 }, { "kmem_cache", "name", 72, 4 },
	{ "kmem_cache", "list", 76, 8 }, { "kmem_cache", "random", 120, 4 },
	{ "kmem_cache", "node", 124, 4 },	/* MAX_NUMNODES 1 */
	{ "kmem_cache_cpu", "freelist", 0, 4 }, { "kmem_cache_cpu", "tid", 4, 4 },
	{ "kmem_cache_cpu", "slab", 8, 4 }, { "kmem_cache_cpu", "partial", 12, 4 },
	{ "kmem_cache_node", "nr_partial", 4, 4 },
	{ "kmem_cache_node", "partial", 8, 8 },
	{ "kmem_cache_node", "nr_slabs", 16, 4 },
	{ "kmem_cache_node", "total_objects", 20, 4 },
	{ "kmem_cache_node", "full", 24, 8 },
};

static const struct {
	const char *type;
	long size;
} types[] = {
	{ "slab", 32 }, { "page", F32_PAGE_STRUCT }, { "kmem_cache", 128 },
	{ "kmem_cache_cpu", 16 }, { "kmem_cache_node", 32 }, { "cpumask", 4 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct f32_region *find_region(struct fake32 *k, uint64_t addr, size_t len)
{
	int i;

	for (i = 0; i < k->nregions; i++) {
		struct f32_region *r = &k->regions[i];

		if (addr >= r->addr && addr - r->addr <= r->size &&
		    r->size - (addr - r->addr) >= len)
			return r;
	}
	return NULL;
}

static bool f32_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	struct f32_region *r = find_region(priv, addr, len);

	if (!r)
		return false;
	memcpy(buf, r->bytes + (addr - r->addr), len);
	return true;
}

static bool f32_lookup(void *priv, const char *name, uint64_t *addr)
{
	struct fake32 *k = priv;
	int i;

	for (i = 0; i < k->nsymbols; i++)
		if (!strcmp(k->symbols[i].name, name)) {
			*addr = k->symbols[i].addr;
			return true;
		}
	return false;
}

static long f32_type_size(void *priv, const char *type)
{
	size_t i;

	(void)priv;
	for (i = 0; i < N(types); i++)
		if (!strcmp(types[i].type, type))
			return types[i].size;
	return -1;
}

static int member_index(const struct fake32 *k, const char *type, const char *member)
{
	size_t i;

	for (i = 0; i < N(members); i++)
		if (!strcmp(members[i].type, type) && !strcmp(members[i].member, member))
			break;
	/* without CONFIG_SLAB_FREELIST_HARDENED there is no kmem_cache.random */
	if (i < N(members) && k->encoding == LX_FP_PLAIN &&
	    !strcmp(type, "kmem_cache") && !strcmp(member, "random"))
		return -1;
	return i < N(members) ? (int)i : -1;
}

static long f32_member_offset(void *priv, const char *type, const char *member)
{
	int i = member_index(priv, type, member);

	return i < 0 ? -1 : members[i].offset;
}

static long f32_member_size(void *priv, const char *type, const char *member)
{
	int i = member_index(priv, type, member);

	return i < 0 ? -1 : members[i].size;
}

static bool f32_enum_value(void *priv, const char *name, long *value)
{
	(void)priv;
	if (!strcmp(name, "PG_slab"))
		*value = PG_SLAB;
	else if (!strcmp(name, "N_POSSIBLE"))
		*value = 0;
	else if (!strcmp(name, "N_NORMAL_MEMORY"))
		*value = N_NORMAL_MEMORY;
	else
		return false;
	return true;
}

static uint64_t f32_phys_end(void *priv)
{
	(void)priv;
	return (uint64_t)F32_MAX_PFN << 12;
}

static const struct lx_dump_ops f32_dump_ops = {
	.read = f32_read, .symbol = f32_lookup, .type_size = f32_type_size,
	.member_offset = f32_member_offset, .member_size = f32_member_size,
	.enum_value = f32_enum_value, .phys_end = f32_phys_end,
};

static void *f32_alloc(struct lx_target *t, size_t size)
{
	struct fake32 *k = t->host_priv;
	void *p = calloc(1, size);

	k->live_allocs += p != NULL;
	return p;
}

static void f32_release(struct lx_target *t, void *ptr)
{
	struct fake32 *k = t->host_priv;

	k->live_allocs--;
	free(ptr);
}

static void f32_message(struct lx_target *t, enum lx_msg_level level, const char *text)
{
	struct fake32 *k = t->host_priv;
	size_t used = strlen(k->messages);

	(void)level;
	snprintf(k->messages + used, sizeof(k->messages) - used, "%s\n", text);
}

static const struct lx_host_ops f32_host_ops = {
	.alloc = f32_alloc, .release = f32_release, .message = f32_message,
};

void f32_region(struct fake32 *k, uint64_t addr, size_t size)
{
	struct f32_region *r;

	if (k->nregions == (int)N(k->regions))
		abort();
	r = &k->regions[k->nregions++];
	r->addr = addr;
	r->size = size;
	r->bytes = calloc(1, size);
}

void f32_symbol(struct fake32 *k, const char *name, uint64_t addr)
{
	if (k->nsymbols == (int)N(k->symbols))
		abort();
	k->symbols[k->nsymbols].name = name;
	k->symbols[k->nsymbols++].addr = addr;
}

void f32_write(struct fake32 *k, uint64_t addr, const void *bytes, size_t len)
{
	struct f32_region *r = find_region(k, addr, len);

	if (!r)
		abort();	/* a test wrote where its kernel has no memory */
	memcpy(r->bytes + (addr - r->addr), bytes, len);
}

void f32_w32(struct fake32 *k, uint64_t addr, uint32_t val)
{
	f32_write(k, addr, &val, sizeof(val));
}

uint64_t f32_page(unsigned long pfn)
{
	return F32_MEM_MAP + (uint64_t)pfn * F32_PAGE_STRUCT;
}

uint64_t f32_slab_mem(unsigned long pfn)
{
	return F32_PAGE_OFFSET + ((uint64_t)pfn << 12);
}

uint64_t f32_obj(unsigned long pfn, unsigned int index)
{
	return f32_slab_mem(pfn) + (uint64_t)index * F32_OBJ_SIZE;
}

/* The kernel's globals; each word is followed by JUNK where nothing else is. */
static void init_globals(struct fake32 *k)
{
	static const struct f32_symbol syms[] = {
		{ "slab_caches", SYM_SLAB_CACHES }, { "nr_cpu_ids", SYM_NR_CPU_IDS },
		{ "__per_cpu_offset", SYM_PER_CPU_OFFSET },
		{ "nr_node_ids", SYM_NR_NODE_IDS }, { "max_pfn", SYM_MAX_PFN },
		{ "__cpu_possible_mask", SYM_CPU_POSSIBLE },
		{ "node_states", SYM_NODE_STATES }, { "high_memory", SYM_HIGH_MEMORY },
		{ "max_low_pfn", SYM_MAX_LOW_PFN }, { "mem_map", SYM_MEM_MAP },
		{ "initial_page_table", SYM_INITIAL_PAGE_TABLE },
		{ "_text", 0xc1000000ULL }, { "_end", 0xc1800000ULL },
	};
	size_t i;
	int cpu;

	for (i = 0; i < N(syms); i++)
		f32_symbol(k, syms[i].name, syms[i].addr);
	f32_region(k, SYMS, 0x1000);
	f32_w32(k, SYM_SLAB_CACHES, F32_CACHE + 76);	/* one cache */
	f32_w32(k, SYM_SLAB_CACHES + 4, F32_CACHE + 76);
	f32_w32(k, SYM_SLAB_CACHES + 8, JUNK);
	f32_w32(k, SYM_NR_CPU_IDS, F32_NR_CPUS);
	for (cpu = 0; cpu < F32_NR_CPUS; cpu++)
		f32_w32(k, SYM_PER_CPU_OFFSET + 4 * cpu, F32_PERCPU_BASE + cpu * 0x1000);
	f32_w32(k, SYM_PER_CPU_OFFSET + 4 * F32_NR_CPUS, JUNK);
	f32_w32(k, SYM_NR_NODE_IDS, 1);
	f32_w32(k, SYM_MAX_PFN, F32_MAX_PFN);
	f32_w32(k, SYM_MAX_PFN + 4, JUNK);
	f32_w32(k, SYM_CPU_POSSIBLE, (1u << F32_NR_CPUS) - 1);
	f32_w32(k, SYM_NODE_STATES + 0, 1);			/* N_POSSIBLE */
	f32_w32(k, SYM_NODE_STATES + 4, 1);			/* N_ONLINE */
	f32_w32(k, SYM_NODE_STATES + 4 * N_NORMAL_MEMORY, 1);
	f32_w32(k, SYM_HIGH_MEMORY, F32_PAGE_OFFSET + ((uint64_t)F32_MAX_LOW_PFN << 12));
	f32_w32(k, SYM_HIGH_MEMORY + 4, JUNK);
	f32_w32(k, SYM_MAX_LOW_PFN, F32_MAX_LOW_PFN);
	f32_w32(k, SYM_MAX_LOW_PFN + 4, JUNK);
	f32_w32(k, SYM_MEM_MAP, F32_MEM_MAP);
	f32_w32(k, SYM_MEM_MAP + 4, JUNK);
	f32_region(k, F32_PERCPU_BASE, 0x1000 * F32_NR_CPUS);
	f32_region(k, F32_MEM_MAP, (size_t)F32_MAX_PFN * F32_PAGE_STRUCT);
	f32_region(k, F32_DATA, 0x1000);
	f32_symbol(k, "_sdata", F32_DATA);
	f32_symbol(k, "_edata", F32_DATA + F32_DATA_LEN);
}

static void init_cache(struct fake32 *k)
{
	f32_region(k, F32_CACHE, 0x1000);
	f32_w32(k, F32_CACHE + 0, F32_CPU_SLAB);
	f32_w32(k, F32_CACHE + 8, 5);			/* min_partial */
	f32_w32(k, F32_CACHE + 12, F32_OBJ_SIZE);
	f32_w32(k, F32_CACHE + 16, F32_OBJ_SIZE);
	f32_w32(k, F32_CACHE + 28, F32_FREEPTR_OFFSET);
	f32_w32(k, F32_CACHE + 32, 13);			/* cpu_partial */
	f32_w32(k, F32_CACHE + 40, (0u << 16) | F32_OBJS);
	f32_w32(k, F32_CACHE + 44, (0u << 16) | F32_OBJS);
	f32_w32(k, F32_CACHE + 60, F32_OBJ_SIZE);
	f32_w32(k, F32_CACHE + 72, NAME_ADDR);
	f32_w32(k, F32_CACHE + 76, SYM_SLAB_CACHES);	/* list.next: back to head */
	f32_w32(k, F32_CACHE + 80, SYM_SLAB_CACHES);	/* list.prev */
	f32_w32(k, F32_CACHE + 120, F32_RANDOM);
	f32_w32(k, F32_CACHE + 124, F32_NODE);
	f32_w32(k, F32_CACHE + 128, JUNK);		/* past node[1] */
	f32_region(k, NAME_ADDR, 64);
	f32_write(k, NAME_ADDR, "kmalloc-256", 12);
	f32_region(k, F32_NODE, 0x100);
	f32_w32(k, F32_NODE + 8, F32_NODE + 8);		/* empty partial */
	f32_w32(k, F32_NODE + 12, F32_NODE + 8);
	f32_w32(k, F32_NODE + 24, F32_NODE + 24);	/* empty full */
	f32_w32(k, F32_NODE + 28, F32_NODE + 24);
}

void f32_init(struct fake32 *k, enum lx_freeptr_mode encoding)
{
	memset(k, 0, sizeof(*k));
	k->target.dump = &f32_dump_ops;
	k->target.dump_priv = k;
	k->target.host = &f32_host_ops;
	k->target.host_priv = k;
	k->out = open_memstream(&k->outbuf, &k->outlen);
	k->target.out = k->out;
	k->encoding = encoding;
	init_globals(k);
	init_cache(k);
}

void f32_fini(struct fake32 *k)
{
	int i;

	for (i = 0; i < k->nregions; i++)
		free(k->regions[i].bytes);
	k->nregions = 0;
	fclose(k->out);
	free(k->outbuf);
}

void f32_add_slab_of(struct fake32 *k, uint64_t cache, unsigned long pfn,
		     unsigned int inuse)
{
	uint64_t page = f32_page(pfn);

	f32_w32(k, page + 0, 1u << PG_SLAB);
	f32_w32(k, page + 12, cache);
	f32_w32(k, page + 20, inuse | (F32_OBJS << 16));
	f32_w32(k, page + 24, JUNK);		/* __unused, after counters */
	f32_w32(k, page + 28, 1);		/* __page_refcount */
	if (pfn < F32_MAX_LOW_PFN)
		f32_region(k, f32_slab_mem(pfn), 4096);
}

void f32_add_slab(struct fake32 *k, unsigned long pfn, unsigned int inuse, bool frozen)
{
	f32_add_slab_of(k, F32_CACHE, pfn, inuse);
	f32_w32(k, f32_page(pfn) + 20, inuse | (F32_OBJS << 16) | (uint32_t)frozen << 31);
}

/* mm/slub.c freelist_ptr() with 4-byte words: swab() is __swab32. */
static uint32_t encode(const struct fake32 *k, uint32_t next, uint32_t slot)
{
	switch (k->encoding) {
	case LX_FP_XOR:
		return next ^ (uint32_t)F32_RANDOM ^ slot;
	case LX_FP_XOR_SWAB:
		return next ^ (uint32_t)F32_RANDOM ^ __builtin_bswap32(slot);
	default:
		return next;
	}
}

uint64_t f32_chain(struct fake32 *k, unsigned long pfn, const unsigned int *index, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		uint64_t slot = f32_obj(pfn, index[i]) + F32_FREEPTR_OFFSET;
		uint64_t next = i + 1 < n ? f32_obj(pfn, index[i + 1]) : 0;

		f32_w32(k, slot, encode(k, next, slot));
		f32_w32(k, slot + 4, JUNK);
	}
	return n ? f32_obj(pfn, index[0]) : 0;
}

void f32_set_slab_freelist(struct fake32 *k, unsigned long pfn, uint64_t head)
{
	f32_w32(k, f32_page(pfn) + 16, head);
}

void f32_set_cpu(struct fake32 *k, int cpu, unsigned long slab_pfn, uint64_t freelist,
		 unsigned long partial_pfn)
{
	uint64_t kcc = F32_PERCPU_BASE + cpu * 0x1000 + F32_CPU_SLAB;

	f32_w32(k, kcc + 0, freelist);
	f32_w32(k, kcc + 4, 0x700 + cpu);	/* tid */
	f32_w32(k, kcc + 8, slab_pfn ? f32_page(slab_pfn) : 0);
	f32_w32(k, kcc + 12, partial_pfn ? f32_page(partial_pfn) : 0);
}

void f32_set_partial_next(struct fake32 *k, unsigned long pfn, unsigned long next_pfn)
{
	f32_w32(k, f32_page(pfn) + 4, next_pfn ? f32_page(next_pfn) : 0);
	f32_w32(k, f32_page(pfn) + 8, 1);	/* slabs */
}

void f32_node_partial(struct fake32 *k, const unsigned long *pfns)
{
	uint64_t head = F32_NODE + 8, prev = head;
	uint32_t n = 0;

	for (; *pfns; pfns++, n++) {
		uint64_t link = f32_page(*pfns) + 4;

		f32_w32(k, prev, link);
		f32_w32(k, link + 4, prev);
		prev = link;
	}
	f32_w32(k, prev, head);
	f32_w32(k, head + 4, prev);
	f32_w32(k, F32_NODE + 4, n);
}

void f32_set_node_nr_slabs(struct fake32 *k, uint32_t n)
{
	f32_w32(k, F32_NODE + 16, n);
	f32_w32(k, F32_NODE + 20, n * F32_OBJS);
}
