// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel model of a session (session.h): the dump's architecture, its
 * cpus and nodes, how much memory it has.  Read by symbol presence, each
 * value checked against an independent witness where the kernel has one.
 */
#include <string.h>

#include "kernel/session.h"

#define MAX_CPUS 65536
#define MAX_NODES 4096

/* Bytes of a kernel bitmap of nbits bits: whole unsigned longs (BITS_TO_LONGS). */
static size_t bitmap_bytes(struct lx_session *s, unsigned int nbits)
{
	size_t word_bits = 8 * lx_word_size(s->t);

	return (nbits + word_bits - 1) / word_bits * lx_word_size(s->t);
}

/*
 * The highest set bit + 1 of a kernel bitmap of nbits bits at addr, and
 * the bitmap itself in *bits (caller frees); 0 and *bits = NULL if it
 * cannot be read or has no bit set.  The kernel's unsigned longs are read
 * as bytes into 64-bit words: on a little-endian host both put bit n in
 * byte n / 8, and the words past a 4-byte bitmap's end stay 0.
 */
static unsigned int read_mask(struct lx_session *s, uint64_t addr,
			      unsigned int nbits, uint64_t **bits)
{
	size_t words = (nbits + 63) / 64, i;
	unsigned int last = 0;
	uint64_t *map;

	*bits = NULL;
	if (!addr || !words)
		return 0;
	map = lx_alloc(s->t, words * sizeof(*map));
	if (!map)
		return 0;
	if (!lx_read(s->t, addr, map, bitmap_bytes(s, nbits))) {
		lx_free(s->t, map);
		return 0;
	}
	for (i = 0; i < words; i++)
		if (map[i])
			last = i * 64 + 64 - __builtin_clzll(map[i]);
	if (!last) {
		lx_free(s->t, map);
		return 0;
	}
	*bits = map;
	return last;
}

bool lx_mask_test(const uint64_t *bits, unsigned int n)
{
	return !bits || (bits[n / 64] >> (n % 64)) & 1;
}

/*
 * nr_cpu_ids is the highest possible cpu + 1 (kernel/smp.c
 * setup_nr_cpu_ids()); __cpu_possible_mask is the independent witness.
 * A stored value the mask does not support is not believed: it would
 * make every cache read thousands of garbage per-cpu structures.
 */
static void resolve_possible_cpus(struct lx_session *s, struct lx_kernel *K)
{
	long mask_size = lx_type_size(s->t, "cpumask");
	unsigned int last;

	if (mask_size <= 0 || mask_size > MAX_CPUS / 8)
		return;
	last = read_mask(s, lx_symbol_addr(s->t, "__cpu_possible_mask"),
			 mask_size * 8, &K->cpu_possible);
	if (last && K->nr_cpus > last) {
		lx_msg(s->t, LX_MSG_WARN,
		       "nr_cpu_ids is %u but __cpu_possible_mask allows %u cpus; reading %u",
		       K->nr_cpus, last, last);
		K->nr_cpus = last;
	}
}

static enum lx_status resolve_cpus(struct lx_session *s, struct lx_kernel *K)
{
	uint64_t addr;

	K->nr_cpus = lx_symbol_u32_or(s->t, "nr_cpu_ids", 1);
	if (K->nr_cpus == 0 || K->nr_cpus > MAX_CPUS) {
		lx_msg(s->t, LX_MSG_ERROR, "implausible nr_cpu_ids %u", K->nr_cpus);
		return LX_ECORRUPT;
	}
	resolve_possible_cpus(s, K);
	K->cpu_offsets = lx_alloc(s->t, K->nr_cpus * sizeof(uint64_t));
	if (!K->cpu_offsets)
		return LX_ENOMEM;
	if (!lx_symbol(s->t, "__per_cpu_offset", &addr))
		return LX_OK;	/* uniprocessor: per-cpu data at offset 0 */
	if (!lx_read_words(s->t, addr, K->cpu_offsets, K->nr_cpus)) {
		lx_msg(s->t, LX_MSG_ERROR, "cannot read __per_cpu_offset");
		return LX_EABSENT;
	}
	return LX_OK;
}

/*
 * node_states[] (mm/page_alloc.c) says which nodes exist (N_POSSIBLE) and
 * which have normal memory (N_NORMAL_MEMORY): SLUB gives exactly those a
 * kmem_cache_node (mm/slub.c slab_nodes).  Each nodemask_t holds
 * MAX_NUMNODES bits, as many as kmem_cache.node has slots.
 */
static void resolve_node_masks(struct lx_session *s, struct lx_kernel *K,
			       unsigned int node_slots)
{
	uint64_t base = lx_symbol_addr(s->t, "node_states");
	uint64_t mask_bytes = bitmap_bytes(s, node_slots);
	long possible, normal;
	unsigned int last;
	uint64_t *unused;

	if (!base || !lx_enum_value(s->t, "N_POSSIBLE", &possible) ||
	    !lx_enum_value(s->t, "N_NORMAL_MEMORY", &normal) ||
	    possible < 0 || possible > 16 || normal < 0 || normal > 16)
		return;
	last = read_mask(s, base + possible * mask_bytes, node_slots, &unused);
	lx_free(s->t, unused);
	if (last && K->nr_nodes > last) {
		lx_msg(s->t, LX_MSG_WARN,
		       "nr_node_ids is %u but node_states[N_POSSIBLE] allows %u nodes; reading %u",
		       K->nr_nodes, last, last);
		K->nr_nodes = last;
	}
	read_mask(s, base + normal * mask_bytes, node_slots, &K->node_normal);
}

/*
 * max_pfn sizes the memory map scan; the dump file says how much physical
 * memory there is at all.  Believe the smaller.
 */
static void resolve_max_pfn(struct lx_session *s, struct lx_kernel *K)
{
	uint64_t end = lx_phys_end(s->t);
	uint64_t dump_pfns = (end + (1ULL << K->page_shift) - 1) >> K->page_shift;

	K->max_pfn = lx_symbol_word_or(s->t, "max_pfn", 0);
	if (dump_pfns && K->max_pfn > dump_pfns) {
		lx_msg(s->t, LX_MSG_WARN,
		       "max_pfn is %#llx but the dump describes memory only up to pfn %#llx; scanning to there",
		       (unsigned long long)K->max_pfn, (unsigned long long)dump_pfns);
		K->max_pfn = dump_pfns;
	}
	/* Every slab takes at least a page: no list can be longer. */
	K->max_slabs = K->max_pfn && K->max_pfn < LX_MAX_LIST_NODES ?
		       K->max_pfn : LX_MAX_LIST_NODES;
}

/*
 * The dump's architecture, filled from its kernel (s->arch), and the
 * width of its words on the target: every read of a pointer or an
 * unsigned long after this one is of the row's word size.  Words are read
 * in host order, so a row of the other byte order is refused, as is a
 * word size the readers do not know.
 */
enum lx_status lx_arch_init(struct lx_session *s)
{
	struct lx_arch *a = &s->arch;

	if (!lx_arch_probe(s->t, a)) {
		lx_msg(s->t, LX_MSG_ERROR, "the dump's architecture is not one leakext knows");
		return LX_EABSENT;
	}
	if ((a->word_size != 4 && a->word_size != 8) ||
	    a->big_endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)) {
		lx_msg(s->t, LX_MSG_ERROR, "leakext cannot read %s kernels on this host",
		       a->name);
		return LX_EABSENT;
	}
	if (!a->vmemmap_base) {
		lx_msg(s->t, LX_MSG_ERROR,
		       "this %s kernel's struct page array is not where leakext looks (no vmemmap and no FLATMEM mem_map); its slabs cannot be found",
		       a->name);
		return LX_EABSENT;
	}
	s->t->word_size = a->word_size;
	return LX_OK;
}

/* K keeps copies of what the helpers that see only the kernel model need. */
static void copy_arch(const struct lx_arch *a, struct lx_kernel *K)
{
	K->page_shift = a->page_shift;
	K->vmemmap_base = a->vmemmap_base;
	K->page_offset_base = a->direct_map_base;
	K->direct_map_end = a->direct_map_end > a->direct_map_base ? a->direct_map_end : 0;
}

enum lx_status lx_kernel_init(struct lx_session *s, unsigned int node_slots)
{
	struct lx_kernel *K = &s->K;

	memset(K, 0, sizeof(*K));
	copy_arch(&s->arch, K);
	resolve_max_pfn(s, K);
	K->nr_nodes = lx_symbol_u32_or(s->t, "nr_node_ids", 1);
	if (K->nr_nodes == 0 || K->nr_nodes > MAX_NODES || K->nr_nodes > node_slots) {
		lx_msg(s->t, LX_MSG_ERROR, "implausible nr_node_ids %u", K->nr_nodes);
		return LX_ECORRUPT;
	}
	resolve_node_masks(s, K, node_slots);
	return resolve_cpus(s, K);
}

void lx_kernel_fini(struct lx_session *s)
{
	lx_free(s->t, s->K.cpu_offsets);
	lx_free(s->t, s->K.cpu_possible);
	lx_free(s->t, s->K.node_normal);
	s->K.cpu_offsets = NULL;
	s->K.cpu_possible = NULL;
	s->K.node_normal = NULL;
}
