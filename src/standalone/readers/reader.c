// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The program's own readers (reader.h) in front of libkdumpfile.  One is
 * used only where it reads what libkdumpfile would: the file is one it
 * knows, it agrees with libkdumpfile on the page size and the page
 * frames, and libkdumpfile's own translation (libaddrxlat's
 * kernel-virtual-to-physical map, taken once the dump is open) is
 * followed range by range: linear ranges (on x86_64 the direct map, which
 * holds the slab pages, and part of the kernel image) by their offset,
 * page-table ranges (vmalloc, the memory map, the rest of the kernel
 * image) by walking the x86_64 page tables from the same root, with the
 * same rules as libaddrxlat's x86_64 walker.  What it leaves goes to
 * libkdumpfile through sa_kdump_reads (kdump.c), clear of libkdumpfile
 * 0.5.1's cache bug.
 */
#include <stdio.h>
#include <string.h>

#include <libkdumpfile/addrxlat.h>

#include "standalone/readers/reader.h"

#define PTE_PRESENT 0x1ULL
#define PTE_HUGE 0x80ULL		/* _PAGE_PSE */
#define PTE_ADDR ((1ULL << 52) - 1)	/* libaddrxlat's PHYSADDR_MASK */
#define PT_PAGE 4096ULL

static const struct sa_format_ops *const formats[] = {
	&sa_diskdump_ops,
	&sa_elfdump_ops,
};

static bool linear(const addrxlat_meth_t *m, addrxlat_addrspace_t to)
{
	return m && m->kind == ADDRXLAT_LINEAR && m->target_as == to;
}

static const addrxlat_meth_t *method(const addrxlat_sys_t *sys, addrxlat_sys_meth_t i)
{
	return i == ADDRXLAT_SYS_METH_NONE ? NULL : addrxlat_sys_get_meth(sys, i);
}

/*
 * Kernel physical addresses are the file's (machine physical) ones over
 * [0, phys_end): libaddrxlat maps them 1:1 (not so under Xen).
 */
static bool kphys_is_machphys(const addrxlat_sys_t *sys, uint64_t phys_end)
{
	const addrxlat_map_t *map = addrxlat_sys_get_map(sys, ADDRXLAT_SYS_MAP_KPHYS_MACHPHYS);
	const addrxlat_range_t *r = map && addrxlat_map_len(map) ? addrxlat_map_ranges(map) : NULL;
	const addrxlat_meth_t *m = r ? method(sys, r->meth) : NULL;

	return linear(m, ADDRXLAT_MACHPHYSADDR) && !m->param.linear.off &&
	       r->endoff >= phys_end - 1;
}

/* x86_64 page tables of 4 or 5 levels, as libaddrxlat walks them. */
static bool x86_64_tables(const addrxlat_meth_t *m)
{
	const addrxlat_paging_form_t *pf = &m->param.pgt.pf;
	unsigned short i;

	if (m->kind != ADDRXLAT_PGT || m->target_as != ADDRXLAT_MACHPHYSADDR ||
	    pf->pte_format != ADDRXLAT_PTE_X86_64 || pf->nfields < 5 || pf->nfields > 6 ||
	    pf->fieldsz[0] != 12)
		return false;
	for (i = 1; i < pf->nfields; i++)
		if (pf->fieldsz[i] != 9)
			return false;
	return true;
}

static struct sa_kv_range *find_range(struct sa_reader *r, uint64_t kvaddr)
{
	unsigned int i;

	for (i = 0; i < r->nranges; i++)
		if (kvaddr - r->ranges[i].start < r->ranges[i].end - r->ranges[i].start)
			return &r->ranges[i];
	return NULL;
}

/* The page tables' root, given as a kernel virtual address in a linear range. */
static void set_walk(struct sa_reader *r, const addrxlat_meth_t *m)
{
	const addrxlat_fulladdr_t *root = &m->param.pgt.root;
	const struct sa_kv_range *range;

	if (!x86_64_tables(m))
		return;
	if (root->as == ADDRXLAT_MACHPHYSADDR || root->as == ADDRXLAT_KPHYSADDR) {
		r->walk.root = root->addr;
	} else {
		range = root->as == ADDRXLAT_KVADDR ? find_range(r, root->addr) : NULL;
		if (!range || range->kind != SA_RANGE_LINEAR)
			return;
		r->walk.root = root->addr + range->to_phys;
	}
	r->walk.levels = m->param.pgt.pf.nfields - 1;
}

/* Keep [start, start + endoff] if its translation is one followed here. */
static void add_range(struct sa_reader *r, const addrxlat_sys_t *sys,
		      const addrxlat_range_t *range, uint64_t start)
{
	const addrxlat_meth_t *m = method(sys, range->meth);
	struct sa_kv_range *kv = &r->ranges[r->nranges];

	if (r->nranges == SA_READER_RANGES || !m)
		return;
	if (linear(m, ADDRXLAT_KPHYSADDR))
		*kv = (struct sa_kv_range){ .kind = SA_RANGE_LINEAR,
					    .to_phys = m->param.linear.off };
	else if (range->meth == ADDRXLAT_SYS_METH_PGT && x86_64_tables(m))
		*kv = (struct sa_kv_range){ .kind = SA_RANGE_PAGE_TABLES };
	else
		return;
	kv->start = start;
	kv->end = start + range->endoff + 1;
	r->nranges++;
}

/* libkdumpfile's kernel virtual ranges, and its page-table root. */
static bool follow_translation(struct sa_reader *r, kdump_ctx_t *ctx, uint64_t phys_end)
{
	addrxlat_sys_t *sys = NULL;
	const addrxlat_map_t *map;
	const addrxlat_range_t *range;
	uint64_t start = 0;
	size_t i, n;

	if (kdump_get_addrxlat(ctx, NULL, &sys) != KDUMP_OK || !sys)
		return false;
	map = addrxlat_sys_get_map(sys, ADDRXLAT_SYS_MAP_KV_PHYS);
	if (map && kphys_is_machphys(sys, phys_end)) {
		range = addrxlat_map_ranges(map);
		n = addrxlat_map_len(map);
		for (i = 0; i < n; start += range[i].endoff + 1, i++)
			add_range(r, sys, &range[i], start);
		set_walk(r, addrxlat_sys_get_meth(sys, ADDRXLAT_SYS_METH_PGT));
	}
	addrxlat_sys_decref(sys);
	return r->nranges;
}

/* The format and libkdumpfile see the same pages, by the same numbers. */
static bool same_geometry(const struct sa_reader *r, kdump_ctx_t *ctx, uint64_t *phys_end)
{
	kdump_num_t page_size, max_pfn;
	uint64_t own_page_size, own_max_pfn;

	r->ops->geometry(r->priv, &own_page_size, &own_max_pfn);
	if (kdump_get_number_attr(ctx, KDUMP_ATTR_PAGE_SIZE, &page_size) != KDUMP_OK ||
	    kdump_get_number_attr(ctx, "max_pfn", &max_pfn) != KDUMP_OK ||
	    page_size != own_page_size || max_pfn != own_max_pfn)
		return false;
	*phys_end = own_max_pfn * own_page_size;
	return true;
}

/* The first format that opens the file, or none. */
static void open_format(struct sa_reader *r, int fd)
{
	char err[128] = "";
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		r->priv = formats[i]->open(fd, err, sizeof(err));
		if (r->priv) {
			r->ops = formats[i];
			return;
		}
	}
	snprintf(r->why, sizeof(r->why), "no own reader for this file (%s)", err);
}

void sa_reader_open(struct sa_reader *r, int fd, kdump_ctx_t *ctx)
{
	uint64_t phys_end;
	const char *why = NULL;

	memset(r, 0, sizeof(*r));
	open_format(r, fd);
	if (!r->ops)
		return;
	if (!same_geometry(r, ctx, &phys_end))
		why = "page size or page frames differ from libkdumpfile's";
	else if (!follow_translation(r, ctx, phys_end))
		why = "libkdumpfile translates no kernel addresses a way followed here";
	if (!why)
		return;
	snprintf(r->why, sizeof(r->why), "%s: %s", r->ops->name, why);
	sa_reader_close(r);
}

/*
 * A failed step: the entry at paddr the dump does not hold (the format's
 * index says so), or read and not present; either way no reader translates
 * the address (sa_page_walk.untranslatable).  Every failing step comes here.
 */
static bool refused(struct sa_reader *r, uint64_t paddr, bool read, uint64_t pte)
{
	if (read)
		r->walk.untranslatable = !(pte & PTE_PRESENT);
	else
		r->walk.untranslatable = r->ops->absent && r->ops->absent(r->priv, paddr, 8);
	return false;
}

/*
 * One step down the page tables: the entry for va in the table at
 * *table; true and *table the next table, or *size set when the entry
 * maps a 1 GiB or 2 MiB page (at *table).
 */
static bool walk_step(struct sa_reader *r, uint64_t va, unsigned int level,
		      uint64_t *table, uint64_t *size)
{
	unsigned int shift = 12 + 9 * (level - 1);
	uint64_t at = *table + ((va >> shift) & 511) * 8, pte = 0;
	bool read = r->ops->read(r->priv, at, &pte, sizeof(pte));

	if (!read || !(pte & PTE_PRESENT))
		return refused(r, at, read, pte);
	*table = pte & PTE_ADDR;
	if ((level == 3 || level == 2) && (pte & PTE_HUGE)) {
		*size = 1ULL << shift;
		*table &= ~(*size - 1);
	} else {
		*table &= ~(PT_PAGE - 1);
	}
	return true;
}

#define LEAF_SPAN (PT_PAGE * 512)

/*
 * The last step, from the lowest-level table at table: its entry for va
 * from the table read whole (and kept), or read alone where the whole
 * table does not read.
 */
static bool leaf_holds(const struct sa_page_walk *w, uint64_t va)
{
	return w->leaf_valid && (va & ~(LEAF_SPAN - 1)) == w->leaf_va;
}

static bool leaf_step(struct sa_reader *r, uint64_t va, uint64_t *table)
{
	struct sa_page_walk *w = &r->walk;
	uint64_t pte, size = 0;

	if (!leaf_holds(w, va)) {
		w->leaf_valid = r->ops->read(r->priv, *table, w->leaf, sizeof(w->leaf));
		w->leaf_va = va & ~(LEAF_SPAN - 1);
		if (!w->leaf_valid)
			return walk_step(r, va, 1, table, &size);
	}
	pte = w->leaf[(va / PT_PAGE) & 511];
	if (!(pte & PTE_PRESENT))
		return refused(r, *table, true, pte);
	*table = pte & PTE_ADDR & ~(PT_PAGE - 1);
	return true;
}

/* Walk the page tables for va; remember the page it is in. */
static bool walk(struct sa_reader *r, uint64_t va)
{
	struct sa_page_walk *w = &r->walk;
	uint64_t table = w->root, size = 0;
	unsigned int level;

	if (leaf_holds(w, va)) {
		if (!leaf_step(r, va, &table))
			return false;
	} else {
		for (level = w->levels; level && !size; level--)
			if (!(level == 1 ? leaf_step(r, va, &table) :
			      walk_step(r, va, level, &table, &size)))
				return false;
	}
	if (!size)
		size = PT_PAGE;
	w->va = va & ~(size - 1);
	w->va_end = w->va + size;
	w->pa = table;
	return true;
}

/* The physical address of kvaddr, and how many bytes from it are contiguous. */
static bool translate(struct sa_reader *r, uint64_t kvaddr, uint64_t *paddr, uint64_t *avail)
{
	const struct sa_kv_range *range = find_range(r, kvaddr);
	struct sa_page_walk *w = &r->walk;

	if (!range)
		return false;
	if (range->kind == SA_RANGE_LINEAR) {
		*paddr = kvaddr + range->to_phys;
		*avail = range->end - kvaddr ? range->end - kvaddr : UINT64_MAX;
		return true;
	}
	if (!w->levels || (!(kvaddr - w->va < w->va_end - w->va) && !walk(r, kvaddr)))
		return false;
	*paddr = w->pa + (kvaddr - w->va);
	*avail = w->va_end - kvaddr;
	if (range->end - kvaddr < *avail && range->end)
		*avail = range->end - kvaddr;
	return true;
}

/*
 * fn(r, paddr, n, done, arg) for each physically contiguous run of
 * [kvaddr, kvaddr + len), done being the bytes before it; false at the
 * first run that does not translate or that fn refuses, or if the range
 * wraps.
 */
static bool each_run(struct sa_reader *r, uint64_t kvaddr, size_t len,
		     bool (*fn)(struct sa_reader *r, uint64_t paddr, size_t n, size_t done,
				void *arg),
		     void *arg)
{
	uint64_t paddr, avail;
	size_t n, done = 0;

	while (len) {
		if (!translate(r, kvaddr, &paddr, &avail))
			return false;
		n = avail < len ? avail : len;
		if (!fn(r, paddr, n, done, arg) || (kvaddr + n < kvaddr && len > n))
			return false;
		kvaddr += n;
		done += n;
		len -= n;
	}
	return true;
}

static bool read_run(struct sa_reader *r, uint64_t paddr, size_t n, size_t done, void *buf)
{
	return r->ops->read(r->priv, paddr, (uint8_t *)buf + done, n);
}

bool sa_reader_read(struct sa_reader *r, uint64_t kvaddr, void *buf, size_t len)
{
	if (!r->ops || !len || !each_run(r, kvaddr, len, read_run, buf))
		return false;
	r->reads++;
	return true;
}

void sa_reader_start_workers(struct sa_reader *r, unsigned int workers)
{
	if (r->ops && r->ops->start_workers && workers)
		r->ops->start_workers(r->priv, workers);
}

/* Translated a contiguous physical run at a time; untranslated parts are skipped. */
void sa_reader_prefetch(struct sa_reader *r, uint64_t kvaddr, size_t len)
{
	uint64_t paddr, avail;
	size_t n;

	if (!r->ops || !r->ops->prefetch)
		return;
	while (len) {
		if (translate(r, kvaddr, &paddr, &avail)) {
			n = avail < len ? avail : len;
			r->ops->prefetch(r->priv, paddr, n);
		} else {	/* skip to the next page */
			n = PT_PAGE - (kvaddr & (PT_PAGE - 1));
			n = n < len ? n : len;
		}
		if (kvaddr + n < kvaddr)
			return;
		kvaddr += n;
		len -= n;
	}
}

static bool run_present(struct sa_reader *r, uint64_t paddr, size_t n, size_t done,
			void *arg)
{
	(void)done;
	(void)arg;
	return r->ops->present(r->priv, paddr, n);
}

bool sa_reader_present(struct sa_reader *r, uint64_t kvaddr, size_t len)
{
	return r->ops && r->ops->present && len && each_run(r, kvaddr, len, run_present, NULL);
}

/*
 * After translate() failed for kvaddr: its page tables, which the own
 * reader walks, map it nowhere.  translate() fails for such a range only
 * where walk() did, and every failed walk step sets untranslatable.
 */
static bool untranslatable(struct sa_reader *r, uint64_t kvaddr)
{
	const struct sa_kv_range *range = find_range(r, kvaddr);

	return range && range->kind == SA_RANGE_PAGE_TABLES && r->walk.levels &&
	       r->walk.untranslatable;
}

bool sa_reader_absent(struct sa_reader *r, uint64_t kvaddr, size_t len)
{
	uint64_t paddr, avail;
	size_t n;

	/*
	 * Only where the format keeps an index: libkdumpfile reads an address
	 * it cannot translate by its virtual address, which an ELF dump's
	 * segments may state (sa_kdump_read()).
	 */
	if (!r->ops || !r->ops->absent)
		return false;
	for (; len; kvaddr += n, len -= n) {
		if (!translate(r, kvaddr, &paddr, &avail))
			return untranslatable(r, kvaddr);
		n = avail < len ? avail : len;
		if (r->ops->absent(r->priv, paddr, n))
			return true;
		if (kvaddr + n < kvaddr)
			return false;
	}
	return false;
}

bool sa_reader_ahead_stats(const struct sa_reader *r, struct sa_ahead_stats *stats)
{
	return r->ops && r->ops->ahead_stats && r->ops->ahead_stats(r->priv, stats);
}

void sa_reader_close(struct sa_reader *r)
{
	if (r->ops)
		r->ops->close(r->priv);
	r->ops = NULL;
	r->priv = NULL;
}
