// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The own reader's page walk (src/standalone/readers/reader.c) over
 * x86_64 page tables built in a fake physical memory: the bytes at every
 * address of a vmalloc-like range, read in an order that goes back and
 * forth between the lowest-level tables it keeps, are those the tables
 * map; an entry that is not present, and a table whose page is not in
 * the dump, make the read fail as a walk of single entries would, and
 * are said absent where libkdumpfile could not read them either.
 */
#include <string.h>

#include "standalone/readers/reader.h"
#include "unit.h"

#define PHYS_PAGES 64
#define PAGE 4096ULL
#define VA 0xffffc90000000000ULL	/* 4 MiB mapped: two lowest-level tables */
#define VA_PAGES 1024

/* Table pages: PML4 0, PDPT 1, PD 2, PT 3 and 4; data from 8 on. */
static uint8_t phys[PHYS_PAGES * PAGE];
static bool phys_missing[PHYS_PAGES];
static bool phys_damaged[PHYS_PAGES];	/* in the dump, but reads fail */
static unsigned int phys_reads;

static bool fake_read(void *priv, uint64_t paddr, void *buf, size_t len)
{
	(void)priv;
	phys_reads++;
	if (paddr + len > sizeof(phys) || phys_missing[paddr / PAGE] ||
	    phys_missing[(paddr + len - 1) / PAGE] || phys_damaged[paddr / PAGE] ||
	    phys_damaged[(paddr + len - 1) / PAGE])
		return false;
	memcpy(buf, phys + paddr, len);
	return true;
}

/* The fake dump's index: a page it does not hold is missing. */
static bool fake_absent(void *priv, uint64_t paddr, size_t len)
{
	uint64_t page;

	(void)priv;
	for (page = paddr / PAGE; page <= (paddr + len - 1) / PAGE; page++)
		if (page >= PHYS_PAGES || phys_missing[page])
			return true;
	return false;
}

static const struct sa_format_ops fake_ops = { .name = "fake", .read = fake_read };
static const struct sa_format_ops fake_indexed_ops = {
	.name = "fake indexed", .read = fake_read, .absent = fake_absent,
};

static void set_entry(unsigned int table, unsigned int index, uint64_t value)
{
	memcpy(phys + table * PAGE + index * 8, &value, 8);
}

/* Virtual page i is data page 8 + (i * 7) % 56, except every 100th, not present. */
static uint64_t page_of(unsigned int i)
{
	return 8 + (uint64_t)(i * 7) % (PHYS_PAGES - 8);
}

static void build_tables(struct sa_reader *r)
{
	unsigned int i;

	memset(phys, 0, sizeof(phys));
	memset(phys_missing, 0, sizeof(phys_missing));
	memset(phys_damaged, 0, sizeof(phys_damaged));
	for (i = 8; i < PHYS_PAGES; i++)
		memset(phys + i * PAGE, i, PAGE);
	set_entry(0, (VA >> 39) & 511, 1 * PAGE | 1);
	set_entry(1, (VA >> 30) & 511, 2 * PAGE | 1);
	set_entry(2, (VA >> 21) & 511, 3 * PAGE | 1);
	set_entry(2, ((VA >> 21) & 511) + 1, 4 * PAGE | 1);
	for (i = 0; i < VA_PAGES; i++)
		if (i % 100 != 99)
			set_entry(3 + i / 512, i % 512, page_of(i) * PAGE | 1);
	memset(r, 0, sizeof(*r));
	r->ops = &fake_ops;
	r->ranges[0] = (struct sa_kv_range){ VA, VA + VA_PAGES * PAGE, SA_RANGE_PAGE_TABLES, 0 };
	r->nranges = 1;
	r->walk.root = 0;
	r->walk.levels = 4;
}

/* Page i read in two pieces across its end where it can: the bytes mapped. */
static bool page_reads_right(struct sa_reader *r, unsigned int i)
{
	uint8_t buf[16];
	bool want = i % 100 != 99 && (i + 1 == VA_PAGES || (i + 1) % 100 != 99);
	bool got;

	if (i + 1 == VA_PAGES)
		return sa_reader_read(r, VA + i * PAGE + 8, buf, 8) == (i % 100 != 99) &&
		       (i % 100 == 99 || buf[0] == page_of(i));
	got = sa_reader_read(r, VA + (i + 1) * PAGE - 8, buf, 16);
	if (got != want)
		return false;
	return !got || (buf[0] == page_of(i) && buf[15] == page_of(i + 1));
}

static bool test_walk_back_and_forth(void)
{
	struct sa_reader r;
	unsigned int i, k, reads_before;

	build_tables(&r);
	for (k = 0; k < VA_PAGES; k++) {
		i = k % 2 ? VA_PAGES - 1 - k / 2 : k / 2;	/* both tables in turn */
		CHECK(page_reads_right(&r, i));
	}
	/* within one table's 2 MiB, a page costs no page-table read */
	reads_before = phys_reads;
	for (i = 0; i < 8; i++)
		CHECK(page_reads_right(&r, 600 + i));
	CHECK(phys_reads - reads_before <= 8 * 2 + 4 + 1);
	return unit_ok();
}

/* A lowest-level table not in the dump: its pages fail, the other table's read. */
static bool test_missing_table(void)
{
	struct sa_reader r;
	uint8_t buf[8];
	unsigned int i;

	build_tables(&r);
	phys_missing[4] = true;
	for (i = 0; i < VA_PAGES; i += 37) {
		bool mapped = i < 512 && i % 100 != 99;

		CHECK(sa_reader_read(&r, VA + i * PAGE, buf, 8) == mapped);
		CHECK(!mapped || buf[0] == page_of(i));
	}
	return unit_ok();
}

/*
 * sa_reader_absent(): an entry not present, a table or a data page the
 * index says is missing; never a mapped page the dump holds, and never
 * where the format keeps no index.
 */
static bool test_absent(void)
{
	struct sa_reader r;
	unsigned int i;

	build_tables(&r);
	r.ops = &fake_indexed_ops;
	phys_missing[4] = true;			/* the second lowest-level table */
	phys_missing[page_of(10)] = true;	/* page 10's data */
	for (i = 0; i < VA_PAGES; i++) {
		bool gone = i % 100 == 99 || i >= 512 || page_of(i) == page_of(10);

		CHECK(sa_reader_absent(&r, VA + i * PAGE, 8) == gone);
	}
	CHECK(sa_reader_absent(&r, VA + 97 * PAGE, 3 * PAGE));	/* 99 within */
	CHECK(!sa_reader_absent(&r, VA + 100 * PAGE, 3 * PAGE));
	CHECK(!sa_reader_absent(&r, VA + VA_PAGES * PAGE, 8));	/* no range: unknown */
	phys_missing[4] = false;
	phys_damaged[4] = true;			/* in the dump, unreadable: unknown */
	CHECK(!sa_reader_absent(&r, VA + 600 * PAGE, 8));
	CHECK(!sa_reader_absent(&r, VA + 699 * PAGE, 8));
	CHECK(sa_reader_absent(&r, VA + 99 * PAGE, 8));	/* the other table's */
	phys_damaged[4] = false;
	r.ops = &fake_ops;			/* no index (ELF): never */
	CHECK(!sa_reader_absent(&r, VA + 99 * PAGE, 8));
	CHECK(!sa_reader_absent(&r, VA + 10 * PAGE, 8));
	CHECK(!sa_reader_absent(&r, VA + 600 * PAGE, 8));
	return unit_ok();
}

const struct unit_test reader_tests[] = {
	{ "reader: page walk back and forth between tables, the mapped bytes",
	  test_walk_back_and_forth },
	{ "reader: a page table not in the dump fails its pages only", test_missing_table },
	{ "reader: unmapped pages and pages the index lacks said absent, no others",
	  test_absent },
	{ NULL, NULL },
};
