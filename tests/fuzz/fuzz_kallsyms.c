// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kallsyms decoder (src/standalone/symbols/kallsyms.c) over a target whose only
 * memory is the fuzz input (tests/unit/flat_target.c).  The input starts
 * with a header saying where the tables are in it and where VMCOREINFO
 * places two anchors:
 *
 *   u8  tables: bits 0-1: 0 offsets + relative_base, 1 offsets only
 *               (PC-relative), 2 addresses, 3 all three
 *   u16 num_syms, names, token_table, token_index, values, relative_base
 *       (offsets into the input, little endian)
 *   u64 address of _stext, u64 address of init_uts_ns
 *
 * Whatever the bytes, the decoder must return, read only inside the
 * tables' bounds, leave the symbol table as it was when it fails (with a
 * terminal-safe message), and add only non-empty printable names of at
 * most 511 characters, no more than kallsyms_num_syms, when it succeeds.
 * tests/fuzz/kallsyms_seeds.py writes the seed corpus.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "flat_target.h"
#include "standalone/symbols/kallsyms.h"

#define HEADER 29
#define KSYM_NAME_LEN 512
/* How far the decoder may read from each table (see kallsyms.c). */
#define MAX_SYMS (4ULL << 20)
#define TOKEN_TABLE_SPAN (65536 + 513)
#define NAMES_SPAN (64ULL << 20)

struct watched {
	struct flat_target flat;
	struct lx_dump_ops ops;
	uint64_t lo[6], hi[6];	/* where reads may go */
	unsigned int nspans;
};

static void allow(struct watched *w, uint64_t addr, uint64_t span)
{
	if (!addr)
		return;
	w->lo[w->nspans] = addr;
	w->hi[w->nspans++] = addr + span < addr ? UINT64_MAX : addr + span;
}

static bool watched_read(void *priv, uint64_t addr, void *buf, size_t len)
{
	struct watched *w = priv;
	unsigned int i;

	for (i = 0; i < w->nspans; i++)
		if (addr >= w->lo[i] && len <= w->hi[i] - addr)
			return w->flat.target.dump->read(&w->flat, addr, buf, len);
	fz_fail("the decoder read outside the tables", NULL, 0);
}

static uint64_t table_at(struct fz_input *in)
{
	return FLAT_BASE + fz_u16(in);
}

static uint64_t u64_at(struct fz_input *in)
{
	uint8_t b[8] = { 0 };
	uint64_t v = 0;
	int i;

	fz_bytes(in, b, 8);
	for (i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* The tables' addresses and the anchors, from the header. */
static void read_header(const uint8_t *data, size_t size, struct sa_kallsyms_addrs *a)
{
	struct fz_input in = { data, size };
	unsigned int tables = fz_u8(&in) & 3;
	uint64_t values, base;

	memset(a, 0, sizeof(*a));
	a->num_syms = table_at(&in);
	a->names = table_at(&in);
	a->token_table = table_at(&in);
	a->token_index = table_at(&in);
	values = table_at(&in);
	base = table_at(&in);
	if (tables != 2)
		a->offsets = values;
	if (tables == 0 || tables == 3)
		a->relative_base = base;
	if (tables >= 2)
		a->addresses = values;
	a->anchors[0] = (struct sa_kallsyms_anchor){ "_stext", u64_at(&in) };
	a->anchors[1] = (struct sa_kallsyms_anchor){ "init_uts_ns", u64_at(&in) };
	a->nanchors = 2;
}

static void watch_tables(struct watched *w, const struct sa_kallsyms_addrs *a)
{
	w->nspans = 0;
	allow(w, a->num_syms, 4);
	allow(w, a->names, NAMES_SPAN);
	allow(w, a->token_table, TOKEN_TABLE_SPAN);
	allow(w, a->token_index, 512);
	allow(w, a->offsets ? a->offsets : a->addresses, MAX_SYMS * (a->offsets ? 4 : 8));
	if (a->offsets)
		allow(w, a->relative_base, 8);
}

static void check_success(const struct lx_symtab *st, const struct sa_kallsyms_stats *stats)
{
	size_t i, len;

	if (st->count != stats->added || stats->added > stats->num_syms ||
	    stats->added + stats->bad_names + stats->long_names != stats->num_syms)
		fz_fail("symbol counts do not add up", NULL, 0);
	if (stats->layout == SA_KALLSYMS_UNKNOWN || !stats->anchors_matched)
		fz_fail("success without a layout the anchors confirm", NULL, 0);
	for (i = 0; i < st->count; i++) {
		const struct lx_symbol *sym = &st->syms[i];

		len = strlen(sym->name);
		if (!len || len >= KSYM_NAME_LEN || sym->module || sym->size)
			fz_fail("symbol empty, too long, or with a module or size", sym->name, len);
		if (!fz_text_is_safe(sym->name, len) || strpbrk(sym->name, " \t\n"))
			fz_fail("symbol name not printable", sym->name, len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sa_kallsyms_stats stats;
	struct sa_kallsyms_addrs a;
	struct lx_symtab st = { 0 };
	struct watched w;
	struct lx_target t;
	char err[512] = "";

	if (size < HEADER)
		return 0;
	read_header(data, size, &a);
	flat_init(&w.flat, data, size);
	w.ops = *w.flat.target.dump;
	w.ops.read = watched_read;
	watch_tables(&w, &a);
	t.dump = &w.ops;
	t.dump_priv = &w;
	if (sa_kallsyms_load_stats(&t, &a, &st, &stats, err, sizeof(err)) == 0) {
		check_success(&st, &stats);
	} else {
		if (st.count)
			fz_fail("a failed load left symbols", NULL, 0);
		if (!err[0] || !fz_text_is_safe(err, strlen(err)))
			fz_fail("failure without a safe message", err, strlen(err));
	}
	lx_symtab_free(&st);
	return 0;
}
