/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A synthetic kernel image for unit tests: sparse memory regions, a symbol
 * table, a type table in the shape of Linux 6.1's SLUB structures, and an
 * allocator that counts what the core forgets to free.
 */
#ifndef FAKE_TARGET_H
#define FAKE_TARGET_H

#include "slab/allocator.h"

#define FK_PAGE_SIZE 4096ULL		/* base pages, as x86_64's */
#define FK_VMEMMAP 0xffffea0000000000ULL
#define FK_PAGE_OFFSET 0xffff888000000000ULL
#define FK_MAX_PFN 256
#define FK_CACHE 0xffff888001000000ULL
#define FK_NODE 0xffff888001100000ULL
#define FK_CPU_SLAB 0x30000ULL		/* __percpu pointer */
#define FK_PERCPU_BASE 0xffff888002000000ULL
#define FK_NR_CPUS 2
#define FK_OBJ_SIZE 512
#define FK_OBJS 8			/* order-0 slab of 512-byte objects */
#define FK_FREEPTR_OFFSET 256
#define FK_RANDOM 0x1badcafe5eed1234ULL
#define FK_PG_SLAB 9
#define FK_N_POSSIBLE 0			/* enum node_states */
#define FK_N_NORMAL_MEMORY 2
#define FK_MODULE_FUNC 0xffffffffc0101230ULL	/* fk_module_handler [fk_mod] */
/* The "6.18" profile: per-cpu sheaves and the node barn. */
#define FK_CPU_SHEAVES 0x30100ULL	/* __percpu pointer, past kmem_cache_cpu */
#define FK_SHEAVES 0xffff888001300000ULL	/* sheaf n at + n * FK_SHEAF_STRIDE */
#define FK_SHEAF_STRIDE 0x200
#define FK_NR_SHEAVES 16
#define FK_BARN 0xffff888001400000ULL	/* node n's barn at + n * FK_BARN_STRIDE */
#define FK_BARN_STRIDE 0x40
#define FK_MAX_NODES 2			/* kmem_cache.node[] / per_node[] slots used */

struct fk_region {
	uint64_t addr;
	size_t size;
	uint8_t *bytes;
};

struct fk_member {
	const char *type, *member;
	long offset, size;
};

struct fk_type {
	const char *type;
	long size;
};

/*
 * The members and types a kernel version adds to the 6.1 tables, and the
 * ones it lacks, on top of the version it follows (base).
 */
struct fk_profile {
	const char *name;
	const struct fk_profile *base;	/* NULL: 6.1 */
	const struct fk_member *members;
	size_t nmembers;
	const struct fk_type *types;	/* these sizes win */
	size_t ntypes;
	const char *const *hidden;	/* "type.member", or "type." for a type */
	size_t nhidden;
	bool per_node;	/* node and barn pointers in kmem_cache.per_node[] */
	int pg_slab;	/* enum pageflags PG_slab; 0: 6.1's (FK_PG_SLAB) */
};

struct fk_sym {
	const char *name;
	uint64_t addr;
};

#define FK_MAX_SYMBOLS 24

/* An enumerator the fake knows besides its fixed ones. */
struct fk_enum {
	const char *name;
	long value;
};

/* A bitfield the fake's member_bits answers (shift, bits from bit 0). */
struct fk_bits {
	const char *type, *member;
	unsigned int shift, bits;
};

struct fake_kernel {
	struct lx_target target;
	const struct fk_profile *profile;	/* NULL: plain 6.1 */
	struct fk_region regions[512];
	int nregions;
	const char *hidden_members[8];	/* members this "kernel" lacks */
	int nhidden;
	const char *added_members[4];	/* members it gained, e.g. sheaves */
	int nadded;
	const struct fk_bits *bits;	/* member_bits' answers; none: no bit layout */
	int nbits;
	const struct fk_enum *enums;	/* more enumerators */
	int nenums;
	const char *extra_enum;		/* e.g. "PGTY_slab" */
	long extra_enum_value;
	long pg_slab_value;
	enum lx_freeptr_mode encoding;
	uint64_t phys_end;		/* what the "dump file" holds; 0 unknown */
	/* VMCOREINFO lines "KEY=VALUE" (fk_arm64()); none when 0 */
	char vmcoreinfo[16][64];
	int nvmcoreinfo;
	struct fk_sym symbols[FK_MAX_SYMBOLS];	/* a test's own, in vmlinux */
	uint64_t symbol_size;		/* the bytes each covers; 0: its address only */
	int nsymbols;
	/* addr_symbol answers the nearest of symbols[] at or below, as a
	 * real symbol table does; false: exact addresses only */
	bool nearest_symbols;
	/* Typed views: one struct type and, if member_names, its member_at. */
	const char *typed;		/* e.g. "sk_buff"; NULL: none */
	long typed_size;
	bool member_names;
	long live_allocs;
	unsigned int threads_started;	/* fk_set_threads(FK_THREADS)' threads */
	unsigned long failed_reads;	/* reads that found no region */
	/* ^C: the interrupted op answers true from its interrupt_at'th call on */
	unsigned long polls, interrupt_at;	/* interrupt_at 0: never */
	char messages[8192];
	FILE *out;
	char *outbuf;
	size_t outlen;
};

void fk_init(struct fake_kernel *fk, enum lx_freeptr_mode encoding);
/* The host's threads: none (as crash's), ops that start none, or pthreads. */
enum fk_threads { FK_NO_THREADS, FK_THREADS_DECLINED, FK_THREADS };
void fk_set_threads(struct fake_kernel *fk, enum fk_threads threads);
void fk_fini(struct fake_kernel *fk);
void fk_hide_member(struct fake_kernel *fk, const char *type_dot_member);
/*
 * Make the kernel an arm64 one with the same memory: kimage_voffset and
 * VMCOREINFO lines (48-bit VA, a randomised linear map: negative
 * PHYS_OFFSET) that put the linear map at FK_PAGE_OFFSET and vmemmap at
 * FK_VMEMMAP through the arm64 row's own arithmetic.
 */
void fk_arm64(struct fake_kernel *fk);
void fk_add_member(struct fake_kernel *fk, const char *type_dot_member);
/*
 * Give the kernel the types and members of a named layout ("6.18": per-cpu
 * sheaves and the node barn; "7.0": no kmem_cache_cpu; "7.1": node and
 * barn pointers in kmem_cache.per_node[]; "alloctag": 6.12's alloc tag
 * types without MEMCG, "alloctag-memcg" with it; "depot": those and 6.12's
 * stack depot types, "depot-6.1": 6.1's stack depot alone; "pageowner":
 * those and 6.12's page_ext, page_owner and folio order, SPARSEMEM,
 * "pageowner-flat" the same with FLATMEM's node_page_ext); false if the
 * name is unknown.
 */
bool fk_profile(struct fake_kernel *fk, const char *name);
/*
 * Profiles of kernels before 5.17, whose slab fields are in struct page at
 * that kernel's offsets: "3.10", "4.18", "5.4", "5.14", "5.15".  The slab
 * writers below (fk_add_slab() and on) follow the profile's offsets; any
 * other field of struct page (or struct slab) is set with this: false if
 * the kernel has no such member.
 */
bool fk_set_page_field(struct fake_kernel *fk, unsigned long pfn,
		       const char *member, uint64_t value);
/* nr_node_ids and the possible nodes (0 .. n-1, n <= FK_MAX_NODES). */
void fk_set_nodes(struct fake_kernel *fk, unsigned int n);
/* 6.18: the cache gets per-cpu sheaves of this capacity. */
void fk_set_sheaves(struct fake_kernel *fk, uint32_t capacity);
/* 6.18: sheaf slot (< FK_NR_SHEAVES) holding n objects; returns its address. */
uint64_t fk_sheaf(struct fake_kernel *fk, int slot, const uint64_t *objs,
		  uint32_t n);
void fk_set_sheaf_size(struct fake_kernel *fk, uint64_t sheaf, uint32_t size);
void fk_set_cpu_sheaves(struct fake_kernel *fk, int cpu, uint64_t main,
			uint64_t spare);
/*
 * 6.18+: node's barn with these n full sheaves (nr_full = n), hung where
 * the profile keeps barn pointers (kmem_cache_node, only node 0 has one
 * here; or kmem_cache.per_node[node]); returns the barn's address.
 */
uint64_t fk_barn_full(struct fake_kernel *fk, unsigned int node,
		      const uint64_t *sheaves, int n);
void fk_region(struct fake_kernel *fk, uint64_t addr, size_t size);
/* Rename the fake cache (at most 63 bytes). */
void fk_set_cache_name(struct fake_kernel *fk, const char *name);
/*
 * The kernel knows struct type of size bytes; with member_names, member_at
 * names "sk_buff" members: next +0, prev +8, dev +16, cb[48] +40, head
 * +200, data +208 (a hole at 24..39).
 */
void fk_typed(struct fake_kernel *fk, const char *type, long size, bool member_names);
/* A vmlinux symbol on top of the fixed table; name must outlive fk. */
void fk_add_symbol(struct fake_kernel *fk, const char *name, uint64_t addr);
void fk_drop_region(struct fake_kernel *fk, uint64_t addr);
void fk_write(struct fake_kernel *fk, uint64_t addr, const void *bytes, size_t len);
void fk_w64(struct fake_kernel *fk, uint64_t addr, uint64_t val);
void fk_w32(struct fake_kernel *fk, uint64_t addr, uint32_t val);
/* Copy len bytes into the image (must lie inside one region). */
uint64_t fk_page(unsigned long pfn);
uint64_t fk_slab_mem(unsigned long pfn);
uint64_t fk_obj(unsigned long pfn, unsigned int index);
/* A slab page of the fake cache; inuse/frozen set in its counters. */
void fk_add_slab(struct fake_kernel *fk, unsigned long pfn, unsigned int inuse,
		 bool frozen);
/* Chain objects of a slab into a freelist; returns the head pointer. */
uint64_t fk_chain(struct fake_kernel *fk, unsigned long pfn,
		  const unsigned int *index, int n);
void fk_set_slab_freelist(struct fake_kernel *fk, unsigned long pfn, uint64_t head);
void fk_set_cpu(struct fake_kernel *fk, int cpu, unsigned long slab_pfn,
		uint64_t freelist, unsigned long partial_pfn);
/* Link slabs (by pfn, 0-terminated) into node 0's partial or full list. */
void fk_node_list(struct fake_kernel *fk, bool full, const unsigned long *pfns);
void fk_set_node_nr_slabs(struct fake_kernel *fk, uint64_t n);
void fk_set_partial_next(struct fake_kernel *fk, unsigned long pfn,
			 unsigned long next_pfn);

#endif
