// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The program's own readers (reader.h) in front of libkdumpfile.  One is
 * used only where it cannot read differently from libkdumpfile: the file
 * is one it knows, it agrees with libkdumpfile on the page size and the
 * page frames, and the address is in the direct map, which libkdumpfile's
 * own translation (libaddrxlat's kernel-virtual-to-physical map) maps
 * linearly onto physical memory.  The direct map holds the slab pages, so
 * nearly every byte the program reads goes this way; kernel text and
 * data, vmalloc and the memory map stay with libkdumpfile.
 */
#include <stdio.h>
#include <string.h>

#include <libkdumpfile/addrxlat.h>

#include "standalone/reader.h"

static const struct sa_format_ops *const formats[] = {
	&sa_diskdump_ops,
};

/* The method the map gives the range holding addr, if one range does. */
static const addrxlat_meth_t *range_method(const addrxlat_sys_t *sys,
					   addrxlat_sys_map_t which,
					   addrxlat_sys_meth_t want, uint64_t *start,
					   uint64_t *end)
{
	const addrxlat_map_t *map = addrxlat_sys_get_map(sys, which);
	const addrxlat_range_t *r;
	uint64_t at = 0;
	size_t i, n;

	if (!map)
		return NULL;
	r = addrxlat_map_ranges(map);
	n = addrxlat_map_len(map);
	for (i = 0; i < n; at += r[i].endoff + 1, i++) {
		if (r[i].meth != want)
			continue;
		*start = at;
		*end = at + r[i].endoff + 1;	/* 0 if it runs to the top */
		return addrxlat_sys_get_meth(sys, want);
	}
	return NULL;
}

static bool linear(const addrxlat_meth_t *m, addrxlat_addrspace_t to)
{
	return m && m->kind == ADDRXLAT_LINEAR && m->target_as == to;
}

/*
 * Kernel physical addresses are the file's (machine physical) ones over
 * [0, phys_end): libaddrxlat maps them 1:1 (not so under Xen).
 */
static bool kphys_is_machphys(const addrxlat_sys_t *sys, uint64_t phys_end)
{
	uint64_t start, end;
	const addrxlat_meth_t *m = range_method(sys, ADDRXLAT_SYS_MAP_KPHYS_MACHPHYS,
						ADDRXLAT_SYS_METH_KPHYS_MACHPHYS,
						&start, &end);

	return linear(m, ADDRXLAT_MACHPHYSADDR) && !m->param.linear.off && !start &&
	       (!end || end >= phys_end);
}

/* libkdumpfile's direct map: one linear range onto kernel physical memory. */
static bool find_direct_map(struct sa_reader *r, kdump_ctx_t *ctx, uint64_t phys_end)
{
	addrxlat_sys_t *sys = NULL;
	const addrxlat_meth_t *m;
	bool ok;

	if (kdump_get_addrxlat(ctx, NULL, &sys) != KDUMP_OK || !sys)
		return false;
	m = range_method(sys, ADDRXLAT_SYS_MAP_KV_PHYS, ADDRXLAT_SYS_METH_DIRECT,
			 &r->dm_start, &r->dm_end);
	ok = linear(m, ADDRXLAT_KPHYSADDR) && kphys_is_machphys(sys, phys_end);
	if (ok)
		r->dm_to_phys = m->param.linear.off;
	addrxlat_sys_decref(sys);
	return ok;
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
	else if (!find_direct_map(r, ctx, phys_end))
		why = "no linear direct map in libkdumpfile's translation";
	if (!why)
		return;
	snprintf(r->why, sizeof(r->why), "%s: %s", r->ops->name, why);
	sa_reader_close(r);
}

bool sa_reader_read(struct sa_reader *r, uint64_t kvaddr, void *buf, size_t len)
{
	bool ok = r->ops && kvaddr >= r->dm_start && len &&
		  kvaddr - r->dm_start < r->dm_end - r->dm_start &&
		  len <= r->dm_end - kvaddr &&
		  r->ops->read(r->priv, kvaddr + r->dm_to_phys, buf, len);

	if (ok)
		r->reads++;
	return ok;
}

void sa_reader_close(struct sa_reader *r)
{
	if (r->ops)
		r->ops->close(r->priv);
	r->ops = NULL;
	r->priv = NULL;
}
