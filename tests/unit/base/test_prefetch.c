// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Advice to the dump (src/base/core.c): lx_prefetch() and the run helper
 * lx_prefetch_run(), on the flat target with a prefetch op that records
 * each advised range.
 */
#include <string.h>

#include "flat_target.h"
#include "leakext/core.h"
#include "unit.h"

#define MAX_ADVICE 1024

static struct { uint64_t addr, len; } advice[MAX_ADVICE];
static unsigned int nadvice;

static void record(void *priv, uint64_t addr, size_t len)
{
	(void)priv;
	if (nadvice < MAX_ADVICE)
		advice[nadvice] = (typeof(advice[0])){ addr, len };
	nadvice++;
}

/* The flat target, advised through record(). */
static void advised_target(struct flat_target *f, struct lx_dump_ops *ops)
{
	static const uint8_t mem[64];

	flat_init(f, mem, sizeof(mem));
	*ops = *f->target.dump;
	ops->prefetch = record;
	f->target.dump = ops;
	nadvice = 0;
}

/* Every byte of [from, to) advised exactly once, in order. */
static bool advised_exactly(uint64_t from, uint64_t to)
{
	uint64_t at = from;
	unsigned int i;

	for (i = 0; i < nadvice && i < MAX_ADVICE; i++) {
		if (advice[i].addr != at || !advice[i].len || advice[i].len > LX_READ_AHEAD)
			return false;
		at += advice[i].len;
	}
	return nadvice <= MAX_ADVICE && at == to;
}

static bool test_prefetch_op_optional(void)
{
	struct flat_target f;
	struct lx_dump_ops ops;
	uint64_t advised = 0;

	flat_init(&f, (const uint8_t *)"", 0);
	lx_prefetch(&f.target, FLAT_BASE, 4096);	/* no op: nothing happens */
	lx_prefetch_run(&f.target, &advised, FLAT_BASE, 4096, FLAT_BASE + 8192);
	CHECK(advised == 0);
	advised_target(&f, &ops);
	lx_prefetch(&f.target, FLAT_BASE, 0);		/* empty: not passed on */
	CHECK(nadvice == 0);
	lx_prefetch(&f.target, FLAT_BASE, 100);
	CHECK(nadvice == 1 && advice[0].addr == FLAT_BASE && advice[0].len == 100);
	return unit_ok();
}

static bool test_run_advice_covers_once(void)
{
	uint64_t chunk = 64 << 10, end = FLAT_BASE + 20 * LX_READ_AHEAD + 123, addr, advised = 0;
	struct flat_target f;
	struct lx_dump_ops ops;

	advised_target(&f, &ops);
	/* a sequential reader: each read is advised before it, and beyond */
	for (addr = FLAT_BASE; addr < end; addr += chunk) {
		uint64_t len = end - addr < chunk ? end - addr : chunk;

		lx_prefetch_run(&f.target, &advised, addr, len, end);
		CHECK(advised >= addr + len && advised <= end);
		CHECK(advised == end || advised - (addr + len) >= LX_READ_AHEAD * 3 / 4);
	}
	CHECK(advised == end && advised_exactly(FLAT_BASE, end));
	/* in steps of at least a quarter of the distance: few calls */
	CHECK(nadvice <= 4 * (end - FLAT_BASE) / LX_READ_AHEAD + 2);
	return unit_ok();
}

static bool test_run_bounds(void)
{
	struct flat_target f;
	struct lx_dump_ops ops;
	uint64_t advised = 0;

	advised_target(&f, &ops);
	/* a run that wraps, or is empty: no advice */
	lx_prefetch_run(&f.target, &advised, UINT64_MAX - 10, 4, 5);
	lx_prefetch_run(&f.target, &advised, FLAT_BASE, 0, FLAT_BASE);
	CHECK(nadvice == 0 && advised == 0);
	/* a read larger than the distance: advised whole, in pieces */
	lx_prefetch_run(&f.target, &advised, FLAT_BASE, 3 * LX_READ_AHEAD, UINT64_MAX);
	CHECK(advised == FLAT_BASE + 4 * LX_READ_AHEAD &&
	      advised_exactly(FLAT_BASE, FLAT_BASE + 4 * LX_READ_AHEAD));
	/* a reader that jumps back is advised again from where it reads */
	nadvice = 0;
	advised = FLAT_BASE + 4 * LX_READ_AHEAD;
	lx_prefetch_run(&f.target, &advised, FLAT_BASE + 100 * LX_READ_AHEAD, 4096,
			FLAT_BASE + 200 * LX_READ_AHEAD);
	CHECK(nadvice >= 1 && advice[0].addr == FLAT_BASE + 100 * LX_READ_AHEAD);
	return unit_ok();
}

const struct unit_test prefetch_tests[] = {
	{ "prefetch: the op is optional, empty advice is not passed on", test_prefetch_op_optional },
	{ "prefetch: a sequential run is advised ahead, each byte once", test_run_advice_covers_once },
	{ "prefetch: wrapped and empty runs, large reads, jumps", test_run_bounds },
	{ NULL, NULL },
};
