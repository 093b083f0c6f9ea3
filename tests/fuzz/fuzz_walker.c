// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SLUB and SLAB walkers and the command entry points over synthetic
 * 6.1-shaped kernels (tests/unit/fake_target.c, fake_slab.c) whose memory
 * the input overwrites.
 *
 * The SLUB image: cpu 0 and cpu 1 each have a cpu slab with a lockless
 * freelist (cpu 1's also has a remote free and a cpu partial chain of two
 * slabs), node 0 has two partial slabs and one slab on its full list, and
 * one full slab is on no list (found by the memory map scan).
 *
 * The SLAB images (three freelist layouts): node 0 has two partial slabs,
 * a full and a free one, node 1 a full one; both cpus' array caches,
 * node 0's shared cache and an alien cache on each node hold objects.
 *
 * Built twice: fuzz_walker runs the walk and the ranking (text or JSON, by
 * bit 0 of byte 1), the hot path every command shares, fast enough for
 * tens of millions of inputs; fuzz_commands (-DFUZZ_COMMANDS) runs every
 * leakscan and leakdump form on the same hostile image.
 *
 * Input:
 *     byte 0   bits 0-1 free pointer encoding (plain, xor, xor+swab),
 *              bit 2 PGTY_slab page type instead of the PG_slab flag,
 *              bit 3 (fuzz_commands) also the reachability commands:
 *              leakscan -u, leakscan -r (text and JSON), leakrefs,
 *              bits 4-5 the image: 0 SLUB; SLAB with 1-byte indexes on
 *              the slab, 2-byte in a free object (OBJFREELIST), 1-byte
 *              off the slab with the slab fields in struct page
 *              (bits 0-2 then do not matter),
 *              bit 6 (SLUB image) the same memory as an arm64 kernel's:
 *              the arm64 row from VMCOREINFO lines (fk_arm64())
 *     byte 1   which commands run (bit per command, see run_commands())
 *     patches  until the input ends, each starting with an op byte:
 *       op & 3 == 0, 3  raw: [window][u16 offset][(op >> 2) + 1 bytes]
 *       op & 3 == 1     pointer: [window][u16 offset][anchor][s16 delta]
 *       op & 3 == 2     the same pointer, stored as an encoded free pointer
 * A window is one structure the walker reads (kmem_cache, kmem_cache_node,
 * each cpu's kmem_cache_cpu, each slab's struct slab and memory, the name,
 * each global, and a .data section of roots pointing at objects); the offset is taken modulo its size, writes are cut at
 * its end.  Anchors are addresses of the image, so mutations can rewire
 * lists and freelists to real structures.
 *
 * Speed: the image is built once per encoding mode and each input's patches
 * are undone after the run (the core never writes to the target); buffers
 * of POOL_MIN bytes or more (the memory map scan's 2 MiB chunk) come from a
 * small pool instead of a fresh mmap each time, zeroed on reuse.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_slab.h"
#include "fuzz_util.h"
#include "leakext/leakext.h"

#define MAX_PATCHES 256
#define PATCH_MAX 64
#define POOL_MIN (256u << 10)
#define POOL_BLOCKS 4
#define MEMMAP_PFN_LIMIT (1u << 14)	/* see clamp_max_pfn() */
#define PGTY_SLAB 0xf5

enum { CPU0_SLAB = 25, CPU1_SLAB = 20, CPU_PARTIAL1 = 21, CPU_PARTIAL2 = 22,
       NODE_PARTIAL1 = 10, NODE_PARTIAL2 = 11, NODE_FULL = 12, UNTRACKED = 31 };

static const unsigned long slab_pfns[] = {
	CPU0_SLAB, CPU1_SLAB, CPU_PARTIAL1, CPU_PARTIAL2,
	NODE_PARTIAL1, NODE_PARTIAL2, NODE_FULL, UNTRACKED,
};
#define NSLABS (sizeof(slab_pfns) / sizeof(slab_pfns[0]))

static const char *const globals[] = {
	"slab_caches", "nr_cpu_ids", "__per_cpu_offset", "nr_node_ids",
	"vmemmap_base", "page_offset_base", "max_pfn",
};
#define NGLOBALS (sizeof(globals) / sizeof(globals[0]))

struct window {
	uint64_t addr;
	size_t len;
};

/* What a patch overwrote, to undo it. */
struct undo {
	uint64_t addr;
	size_t len;
	uint8_t bytes[PATCH_MAX];
};

struct pool_block {
	void *ptr;
	size_t size;
	bool used;
};

/* SLAB images: slabs by pfn, node 0 unless said. */
enum { S_PARTIAL1 = 10, S_PARTIAL2 = 11, S_FULL = 12, S_FREE = 13, S_NODE1 = 14 };

static const unsigned long slab_image_pfns[] = {
	S_PARTIAL1, S_PARTIAL2, S_FULL, S_FREE, S_NODE1,
};
#define NSLAB_SLABS (sizeof(slab_image_pfns) / sizeof(slab_image_pfns[0]))

struct image {
	union {		/* the fake kernel first: the ops' priv for both */
		struct fake_kernel fk;
		struct fake_slab fs;
	};
	bool slab;		/* a SLAB image */
	uint64_t cache;		/* the kmem_cache walked */
	struct lx_host_ops ops;
	const struct lx_host_ops *fk_ops;
	struct pool_block pool[POOL_BLOCKS];
	struct undo undo[MAX_PATCHES + 1];
	size_t nundo;
	struct window windows[16 + 2 * NSLABS + NGLOBALS];
	size_t nwindows;
	uint64_t anchors[64];
	size_t nanchors;
};

static uint64_t symbol(struct image *im, const char *name)
{
	uint64_t addr = 0;

	lx_symbol(&im->fk.target, name, &addr);
	return addr;
}

static uint64_t kcc(int cpu)
{
	return FK_PERCPU_BASE + FK_CPU_SLAB + cpu * 0x1000;
}

static void add_window(struct image *im, uint64_t addr, size_t len)
{
	im->windows[im->nwindows++] = (struct window){ addr, len };
}

static void add_anchor(struct image *im, uint64_t addr)
{
	im->anchors[im->nanchors++] = addr;
}

static void fill_live_objects(struct image *im, unsigned long pfn)
{
	static const char text[] = "version 15\ntimestamp 4294892700\ncpu0 0 0 1 2\n";
	unsigned int i;

	for (i = 0; i < FK_OBJS; i++) {
		if (i % 2)
			fk_write(&im->fk, fk_obj(pfn, i), text, sizeof(text));
		else
			fk_w64(&im->fk, fk_obj(pfn, i) + 8, FK_MODULE_FUNC);
	}
}

static void build_slabs(struct image *im)
{
	static const unsigned int cpu0_free[] = { 4, 5 }, cpu1_free[] = { 0, 2 };
	static const unsigned int remote[] = { 7 }, p1_free[] = { 4 }, p2_free[] = { 1, 2 };
	static const unsigned int n1_free[] = { 1, 3, 5 }, n2_free[] = { 6 };
	static const unsigned long partial[] = { NODE_PARTIAL1, NODE_PARTIAL2, 0 };
	static const unsigned long full[] = { NODE_FULL, 0 };
	struct fake_kernel *fk = &im->fk;
	size_t i;

	fk_add_slab(fk, CPU0_SLAB, FK_OBJS, true);
	fk_add_slab(fk, CPU1_SLAB, FK_OBJS, true);
	fk_add_slab(fk, CPU_PARTIAL1, 7, false);
	fk_add_slab(fk, CPU_PARTIAL2, 6, false);
	fk_add_slab(fk, NODE_PARTIAL1, 5, false);
	fk_add_slab(fk, NODE_PARTIAL2, 7, false);
	fk_add_slab(fk, NODE_FULL, FK_OBJS, false);
	fk_add_slab(fk, UNTRACKED, FK_OBJS, false);
	for (i = 0; i < NSLABS; i++)
		fill_live_objects(im, slab_pfns[i]);
	fk_set_cpu(fk, 0, CPU0_SLAB, fk_chain(fk, CPU0_SLAB, cpu0_free, 2), 0);
	fk_set_cpu(fk, 1, CPU1_SLAB, fk_chain(fk, CPU1_SLAB, cpu1_free, 2), CPU_PARTIAL1);
	fk_set_slab_freelist(fk, CPU1_SLAB, fk_chain(fk, CPU1_SLAB, remote, 1));
	fk_set_slab_freelist(fk, CPU_PARTIAL1, fk_chain(fk, CPU_PARTIAL1, p1_free, 1));
	fk_set_partial_next(fk, CPU_PARTIAL1, CPU_PARTIAL2);
	fk_set_slab_freelist(fk, CPU_PARTIAL2, fk_chain(fk, CPU_PARTIAL2, p2_free, 2));
	fk_set_slab_freelist(fk, NODE_PARTIAL1, fk_chain(fk, NODE_PARTIAL1, n1_free, 3));
	fk_set_slab_freelist(fk, NODE_PARTIAL2, fk_chain(fk, NODE_PARTIAL2, n2_free, 1));
	fk_node_list(fk, false, partial);
	fk_node_list(fk, true, full);
	fk_set_node_nr_slabs(fk, NSLABS);
}

/* 6.12+: no PG_slab; the page type's top byte says "slab". */
static void use_page_type(struct image *im)
{
	size_t i;

	im->fk.pg_slab_value = -1;
	im->fk.extra_enum = "PGTY_slab";
	im->fk.extra_enum_value = PGTY_SLAB;
	for (i = 0; i < NSLABS; i++)
		fk_w32(&im->fk, fk_page(slab_pfns[i]) + 48, (uint32_t)PGTY_SLAB << 24);
}

/*
 * vmlinux .data (_sdata.._edata): roots for the reachability pass, apart
 * from the fake kernel's globals (at 0xffffffff82000000: writing the roots
 * there cut its slab_caches list, so no command found a cache).
 */
#define DATA_ADDR 0xffffffff82100000ULL
#define DATA_LEN 128

static void add_roots(struct image *im)
{
	unsigned int i;

	fk_region(&im->fk, DATA_ADDR, DATA_LEN);
	fk_add_symbol(&im->fk, "_sdata", DATA_ADDR);
	fk_add_symbol(&im->fk, "_edata", DATA_ADDR + DATA_LEN);
	for (i = 0; i < NSLABS && i < DATA_LEN / 8; i++)
		fk_w64(&im->fk, DATA_ADDR + 8 * i, fk_obj(slab_pfns[i], 1) + 16 * (i % 2));
}

static void map_windows(struct image *im)
{
	uint64_t name = 0;
	size_t i;

	add_window(im, FK_CACHE, 248);
	add_window(im, FK_NODE, 64);
	add_window(im, kcc(0), 32);
	add_window(im, kcc(1), 32);
	lx_read(&im->fk.target, FK_CACHE + 96, &name, 8);
	add_window(im, name, 64);
	for (i = 0; i < NSLABS; i++) {
		add_window(im, fk_page(slab_pfns[i]), 64);
		add_window(im, fk_slab_mem(slab_pfns[i]), FK_PAGE_SIZE);
	}
	add_window(im, symbol(im, "slab_caches"), 16);
	add_window(im, symbol(im, "__per_cpu_offset"), 16);
	for (i = 0; i < NGLOBALS; i++)
		add_window(im, symbol(im, globals[i]), 8);
	add_window(im, DATA_ADDR, DATA_LEN);
}

static void map_anchors(struct image *im)
{
	size_t i;

	add_anchor(im, 0);
	add_anchor(im, FK_CACHE);
	add_anchor(im, FK_CACHE + 104);
	add_anchor(im, FK_NODE + 16);
	add_anchor(im, FK_NODE + 48);
	add_anchor(im, FK_CPU_SLAB);
	add_anchor(im, FK_PERCPU_BASE);
	add_anchor(im, FK_VMEMMAP);
	add_anchor(im, FK_PAGE_OFFSET);
	add_anchor(im, FK_MODULE_FUNC);
	add_anchor(im, symbol(im, "slab_caches"));
	for (i = 0; i < NSLABS; i++) {
		add_anchor(im, fk_page(slab_pfns[i]));
		add_anchor(im, fk_page(slab_pfns[i]) + 8);
		add_anchor(im, fk_slab_mem(slab_pfns[i]));
	}
}

static void *pool_alloc(struct lx_target *t, size_t size)
{
	struct image *im = t->host_priv;
	struct pool_block *b;
	int i;

	if (size < POOL_MIN)
		return im->fk_ops->alloc(t, size);
	for (i = 0; i < POOL_BLOCKS; i++) {
		b = &im->pool[i];
		if (!b->used && (!b->ptr || b->size == size)) {
			if (!b->ptr)
				b->ptr = malloc(size);
			if (!b->ptr)
				return NULL;
			b->size = size;
			b->used = true;
			memset(b->ptr, 0, size);
			im->fk.live_allocs++;
			return b->ptr;
		}
	}
	return im->fk_ops->alloc(t, size);
}

static void pool_release(struct lx_target *t, void *ptr)
{
	struct image *im = t->host_priv;
	int i;

	for (i = 0; i < POOL_BLOCKS; i++)
		if (im->pool[i].used && im->pool[i].ptr == ptr) {
			im->pool[i].used = false;
			im->fk.live_allocs--;
			return;
		}
	im->fk_ops->release(t, ptr);
}

/*
 * The fake kernel's host ops, with the pool allocator.  host_priv is the
 * fake kernel, the image's first member, so the pool ops can take it as
 * the image.
 */
static void hook_ops(struct image *im)
{
	im->fk_ops = im->fk.target.host;
	im->ops = *im->fk_ops;
	im->ops.alloc = pool_alloc;
	im->ops.release = pool_release;
	im->fk.target.host = &im->ops;
}

/*
 * A SLAB slab at pfn whose objects in live (a bit each) are allocated:
 * the free ones on its freelist in descending order.  Live objects hold
 * schedstat text or a module pointer, as the SLUB image's.
 */
static void add_slab_slab(struct image *im, unsigned long pfn, unsigned int colour,
			  uint32_t live)
{
	static const char text[] = "version 15\ntimestamp 4294892700\ncpu0 0 0 1 2\n";
	struct fake_slab *fs = &im->fs;
	unsigned int free[16], nfree = 0, i;

	for (i = fs->num; i-- > 0;)
		if (!(live & (1u << i)))
			free[nfree++] = i;
	fs_add_slab(fs, pfn, fs->cfg.where == FS_ON_SLAB ? colour : 0,
		    fs->num - nfree, free);
	for (i = 0; i < fs->num; i++) {
		if (!(live & (1u << i)))
			continue;
		if (i % 2)
			fk_write(&fs->fk, fs_obj(fs, pfn, i), text, sizeof(text));
		else
			fk_w64(&fs->fk, fs_obj(fs, pfn, i) + 8, FK_MODULE_FUNC);
	}
}

static void build_slab_caches(struct image *im)
{
	struct fake_slab *fs = &im->fs;
	uint64_t cpu0[2], cpu1[1], shared[2], alien0[1], alien1[1];

	cpu0[0] = fs_slot(fs, S_FULL, 1);
	cpu0[1] = fs_slot(fs, S_PARTIAL1, 0);
	cpu1[0] = fs_slot(fs, S_FULL, 4);
	fs_cpu_cache(fs, 0, cpu0, 2, 120);
	fs_cpu_cache(fs, 1, cpu1, 1, 120);
	shared[0] = fs_slot(fs, S_PARTIAL2, 2);
	shared[1] = fs_slot(fs, S_FULL, 6);
	fs_shared(fs, 0, fs_array(fs, shared, 2, FS_SHARED_LIMIT));
	alien0[0] = fs_slot(fs, S_NODE1, 3);	/* node 1's object, freed on 0 */
	fs_alien(fs, 0, 1, alien0, 1);
	alien1[0] = fs_slot(fs, S_PARTIAL2, 5);
	fs_alien(fs, 1, 0, alien1, 1);
}

static void build_slab_image(struct image *im, unsigned int kind)
{
	static const struct fs_config configs[] = {
		{ .width = 1 },
		{ .width = 2, .where = FS_OBJFREELIST },
		{ .width = 1, .where = FS_OFF_SLAB, .page_fields = true },
	};
	static const unsigned long partial[] = { S_PARTIAL1, S_PARTIAL2, 0 };
	static const unsigned long full[] = { S_FULL, 0 }, free_list[] = { S_FREE, 0 };
	static const unsigned long node1[] = { S_NODE1, 0 };
	struct fake_slab *fs = &im->fs;

	fs_init(fs, &configs[kind - 1]);
	fk_set_nodes(&fs->fk, 2);
	add_slab_slab(im, S_PARTIAL1, 1, 0x2d);
	add_slab_slab(im, S_PARTIAL2, 2, 0x65);
	add_slab_slab(im, S_FULL, 0, 0xff);
	add_slab_slab(im, S_FREE, 3, 0);
	add_slab_slab(im, S_NODE1, 0, 0xff);
	fs_list(fs, 0, LX_SRC_SLABS_PARTIAL, partial);
	fs_list(fs, 0, LX_SRC_SLABS_FULL, full);
	fs_list(fs, 0, LX_SRC_SLABS_FREE, free_list);
	fs_list(fs, 1, LX_SRC_SLABS_FULL, node1);
	fs_counters(fs);
	build_slab_caches(im);
}

static void add_slab_roots(struct image *im)
{
	unsigned int i;

	fk_region(&im->fk, DATA_ADDR, DATA_LEN);
	fk_add_symbol(&im->fk, "_sdata", DATA_ADDR);
	fk_add_symbol(&im->fk, "_edata", DATA_ADDR + DATA_LEN);
	for (i = 0; i < NSLAB_SLABS; i++)
		fk_w64(&im->fk, DATA_ADDR + 8 * i,
		       fs_obj(&im->fs, slab_image_pfns[i], 1) + 16 * (i % 2));
}

static void map_slab_windows(struct image *im)
{
	unsigned int node, cpu;
	size_t i;

	add_window(im, FS_CACHE, 136);
	add_window(im, FS_CACHE + 0x200, 16);	/* the name */
	for (node = 0; node < 2; node++) {
		add_window(im, FS_NODE + 0x100 * node, 120);
		add_window(im, FS_ALIEN_PTRS + 0x40 * node, 16);
	}
	for (cpu = 0; cpu < FK_NR_CPUS; cpu++)
		add_window(im, kcc(cpu), 40);	/* the cpu's array cache */
	add_window(im, FS_ARRAYS, 5 * FS_ARRAY_STRIDE);
	add_window(im, FS_OFFSLAB + 0x20 * S_PARTIAL1, 0x20 * (S_NODE1 - S_PARTIAL1 + 1));
	for (i = 0; i < NSLAB_SLABS; i++) {
		add_window(im, fk_page(slab_image_pfns[i]), 64);
		add_window(im, fk_slab_mem(slab_image_pfns[i]), FK_PAGE_SIZE);
	}
	add_window(im, symbol(im, "slab_caches"), 16);
	add_window(im, symbol(im, "__per_cpu_offset"), 16);
	for (i = 0; i < NGLOBALS; i++)
		add_window(im, symbol(im, globals[i]), 8);
	add_window(im, DATA_ADDR, DATA_LEN);
}

static void map_slab_anchors(struct image *im)
{
	size_t i;

	add_anchor(im, 0);
	add_anchor(im, FS_CACHE);
	add_anchor(im, FS_CACHE + 80);
	add_anchor(im, FS_NODE + 8);
	add_anchor(im, FS_NODE + 24);
	add_anchor(im, FS_NODE + 40);
	add_anchor(im, FS_ARRAYS);
	add_anchor(im, FS_CPU_CACHE);
	add_anchor(im, FS_OFFSLAB);
	add_anchor(im, FK_PERCPU_BASE);
	add_anchor(im, FK_VMEMMAP);
	add_anchor(im, FK_PAGE_OFFSET);
	add_anchor(im, FK_MODULE_FUNC);
	add_anchor(im, symbol(im, "slab_caches"));
	for (i = 0; i < NSLAB_SLABS; i++) {
		add_anchor(im, fk_page(slab_image_pfns[i]));
		add_anchor(im, fk_page(slab_image_pfns[i]) + 8);
		add_anchor(im, fs_slot(&im->fs, slab_image_pfns[i], 0));
	}
}

/* kind 0: the SLUB image (mode: encoding, page type); 1-3: SLAB's. */
static void build_image(struct image *im, uint8_t mode, unsigned int kind)
{
	static const enum lx_freeptr_mode encodings[] = {
		LX_FP_PLAIN, LX_FP_XOR, LX_FP_XOR_SWAB, LX_FP_XOR_SWAB,
	};

	im->nwindows = 0;
	im->nanchors = 0;
	im->slab = kind;
	if (kind) {
		build_slab_image(im, kind);
		add_slab_roots(im);
		map_slab_windows(im);
		map_slab_anchors(im);
		im->cache = FS_CACHE;
	} else {
		fk_init(&im->fk, encodings[mode & 3]);
		build_slabs(im);
		add_roots(im);
		if (mode & 4)
			use_page_type(im);
		if (mode & 0x40) {
			fk_arm64(&im->fk);
			fk_add_symbol(&im->fk, "kimage_voffset", FK_CACHE);
		}
		map_windows(im);
		map_anchors(im);
		im->cache = FK_CACHE;
	}
	hook_ops(im);
}


static bool image_read(struct image *im, uint64_t addr, void *buf, size_t len)
{
	return lx_read(&im->fk.target, addr, buf, len);
}

static void patch(struct image *im, uint64_t addr, const void *bytes, size_t len)
{
	struct undo *u = &im->undo[im->nundo++];

	u->addr = addr;
	u->len = len;
	image_read(im, addr, u->bytes, len);
	fk_write(&im->fk, addr, bytes, len);
}

static void undo_patches(struct image *im)
{
	while (im->nundo) {
		const struct undo *u = &im->undo[--im->nundo];

		fk_write(&im->fk, u->addr, u->bytes, u->len);
	}
}

static uint64_t encode_free_pointer(struct image *im, uint64_t value, uint64_t slot)
{
	switch (im->fk.encoding) {
	case LX_FP_XOR:
		return value ^ FK_RANDOM ^ slot;
	case LX_FP_XOR_SWAB:
		return value ^ FK_RANDOM ^ __builtin_bswap64(slot);
	default:
		return value;
	}
}

static void apply_patch(struct image *im, struct fz_input *in)
{
	uint8_t op = fz_u8(in), bytes[PATCH_MAX];
	const struct window *w = &im->windows[fz_u8(in) % im->nwindows];
	size_t off = fz_u16(in) % w->len, len;
	uint64_t value;

	if ((op & 3) == 1 || (op & 3) == 2) {
		value = im->anchors[fz_u8(in) % im->nanchors] + (int16_t)fz_u16(in);
		if ((op & 3) == 2)
			value = encode_free_pointer(im, value, w->addr + off);
		memcpy(bytes, &value, 8);
		len = 8;
	} else {
		len = fz_bytes(in, bytes, (op >> 2) + 1);
	}
	if (len > w->len - off)
		len = w->len - off;
	patch(im, w->addr + off, bytes, len);
}

/*
 * A max_pfn between 2^14 and 2^40 passes the walker's plausibility check
 * and makes the memory map scan read up to 2^46 bytes of struct pages, one
 * failing read at a time: minutes per input, which would only teach the
 * fuzzer about time-outs.  Fold it into range (the real fix is bounding
 * the scan by the dump's size, lx_dump_ops.phys_end).
 */
static void clamp_max_pfn(struct image *im)
{
	uint64_t addr = symbol(im, "max_pfn"), pfn;

	image_read(im, addr, &pfn, 8);
	if (pfn > MEMMAP_PFN_LIMIT && pfn <= (1ULL << 40)) {
		pfn %= MEMMAP_PFN_LIMIT;
		patch(im, addr, &pfn, 8);
	}
}

static void check_output(struct fake_kernel *fk, bool json)
{
	fflush(fk->out);
	fz_check_report(fk->outbuf, fk->outlen, fk->messages, json);
	rewind(fk->out);
	fk->messages[0] = '\0';
}

/* The walker's own entry points, as the unit tests call them. */
static void run_scan(struct fake_kernel *fk, uint64_t cache_addr)
{
	struct lx_session s = { .t = &fk->target };
	struct lx_cache cache;
	struct lx_scan scan;

	memset(&scan, 0, sizeof(scan));
	if (!lx_layout_init(&s) && !lx_cache_read(&s, cache_addr, &cache) &&
	    !lx_scan_cache(&s, &cache, &scan)) {
		if (scan.free > scan.total || scan.live != scan.total - scan.free)
			fz_fail("free objects exceed the total", NULL, 0);
	}
	lx_scan_free(&s, &scan);
	lx_session_fini(&s);
	lx_msg_flush(&fk->target);
	check_output(fk, false);
}

static void run_command(struct fake_kernel *fk, const struct lx_options *opt)
{
	struct lx_result res;

	lx_run(&fk->target, opt, &res);
	check_output(fk, opt->json);
}

static void run_commands(struct fake_kernel *fk, uint8_t which)
{
	static const struct lx_options cmds[] = {
		{ .cache = NULL },
		{ .cache = NULL, .json = true },
		{ .cache = "kmalloc-512" },
		{ .cache = "kmalloc-512", .json = true, .all = true },
		{ .cache = "kmalloc-512", .list_live = true },
		{ .cache = "kmalloc-512", .list_live = true, .cluster = 1 },
	};
	static const struct lx_options dump = { .cache = "512", .cluster = 1, .count = 2,
						.bytes = 64, .dump = true };
	static const struct lx_options dump_all = { .cache = "kmalloc-512",
						    .count = LX_DUMP_ALL, .dump = true };
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (which & (1u << i))
			run_command(fk, &cmds[i]);
	if (which & 0x40)
		run_command(fk, &dump);
	if (which & 0x80)
		run_command(fk, &dump_all);
}

#ifdef FUZZ_COMMANDS
/* leakscan -u, -r (text, JSON) and leakrefs: the heap index and the pass. */
static void run_reach_commands(struct image *im)
{
	struct fake_kernel *fk = &im->fk;
	static const struct lx_options unref = { .cache = "kmalloc-512",
						 .unreferenced = true };
	static const struct lx_options held = { .cache = "kmalloc-512", .referrers = true };
	static const struct lx_options held_json = { .cache = "kmalloc-512", .json = true,
						     .referrers = true, .all = true };
	struct lx_options refs = { .refs = true, .address = fk_obj(slab_pfns[0], 1) + 8 };

	if (im->slab)
		refs.address = fs_obj(&im->fs, slab_image_pfns[0], 1) + 8;

	run_command(fk, &unref);
	run_command(fk, &held);
	run_command(fk, &held_json);
	run_command(fk, &refs);
}
#endif

/*
 * A dump index that calls every range present, whatever its reads then
 * do: the walkers skip full slabs and read chained ones by page, and a
 * page that fails after all must leave the slab unreadable, not half-marked.
 */
static bool always_present(void *priv, uint64_t addr, size_t len)
{
	(void)priv;
	(void)addr;
	(void)len;
	return true;
}

static void choose_dump_ops(struct fake_kernel *fk, bool present)
{
	static const struct lx_dump_ops *plain;
	static struct lx_dump_ops with_present;

	if (!plain || (fk->target.dump != plain && fk->target.dump != &with_present)) {
		plain = fk->target.dump;
		with_present = *plain;
		with_present.present = always_present;
	}
	fk->target.dump = present ? &with_present : plain;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct image im;
	static int built = -1;
	struct fz_input in = { data, size };
	uint8_t first = fz_u8(&in), which = fz_u8(&in);
	unsigned int kind = (first >> 4) % 4;
	int n, key = kind ? 8 * (int)kind : first & 0x47;

	if (built != key) {
		if (built >= 0)
			fk_fini(&im.fk);
		build_image(&im, first & 0x47, kind);
		built = key;
	}
	choose_dump_ops(&im.fk, first & 0x80);
	for (n = 0; in.left && n < MAX_PATCHES; n++)
		apply_patch(&im, &in);
	clamp_max_pfn(&im);
	run_scan(&im.fk, im.cache);
#ifdef FUZZ_COMMANDS
	run_commands(&im.fk, which);
	if (first & 8)
		run_reach_commands(&im);
#else
	run_commands(&im.fk, which & 3);	/* the ranking, text and JSON */
#endif
	if (im.fk.live_allocs)
		fz_fail("the core leaked target allocations", NULL, 0);
	undo_patches(&im);
	return 0;
}
