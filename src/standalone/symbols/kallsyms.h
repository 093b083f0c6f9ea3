/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's own symbol table (kallsyms) decoded from a dump's memory,
 * so that the standalone program can name addresses without a vmlinux.
 * Since Linux 6.0 (commit 5fd8fea935a1 "vmcoreinfo: include kallsyms
 * symbols", and f09bddbd8661 "vmcoreinfo: add kallsyms_num_syms symbol")
 * VMCOREINFO says where the tables are.  Works over any target, so it can
 * be tested and fuzzed without a vmcore.
 */
#ifndef LEAKEXT_SA_KALLSYMS_H
#define LEAKEXT_SA_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

#include "standalone/symbols/symtab.h"
#include "leakext/target.h"

#define SA_KALLSYMS_ANCHORS 12

/*
 * A symbol VMCOREINFO gives the address of (SYMBOL(name)=addr) that
 * kallsyms may name too: how the addresses are stored is told by which
 * reading of the table puts these names where VMCOREINFO says they are.
 */
struct sa_kallsyms_anchor {
	const char *name;	/* not copied: a string that outlives the load */
	uint64_t addr;
};

/* Where the tables are, from VMCOREINFO; 0 = absent. */
struct sa_kallsyms_addrs {
	uint64_t names, num_syms, token_table, token_index;
	uint64_t offsets;		/* 32-bit entries (4.6+ on x86_64) */
	uint64_t relative_base;		/* absent since 2026 (PC-relative offsets) */
	uint64_t addresses;		/* unsigned long entries, before 6.11 */
	struct sa_kallsyms_anchor anchors[SA_KALLSYMS_ANCHORS];
	unsigned int nanchors;
};

/* How the table stored the addresses it was decoded with. */
enum sa_kallsyms_layout {
	SA_KALLSYMS_UNKNOWN,
	SA_KALLSYMS_ABSOLUTE,		/* kallsyms_addresses[i] */
	SA_KALLSYMS_BASE_RELATIVE,	/* relative_base + (u32)offsets[i] */
	SA_KALLSYMS_ABSOLUTE_PERCPU,	/* offsets[i] >= 0 ? offsets[i] :
					   relative_base - 1 - offsets[i] */
	SA_KALLSYMS_PC_RELATIVE,	/* &offsets[i] + offsets[i] */
};

/* What a load found; filled as far as it got, also on failure. */
struct sa_kallsyms_stats {
	enum sa_kallsyms_layout layout;
	uint32_t num_syms;		/* kallsyms_num_syms */
	uint32_t added;			/* symbols added to the table */
	uint32_t bad_names;		/* skipped: empty, or a byte not printable */
	uint32_t long_names;		/* skipped: longer than KSYM_NAME_LEN - 1 */
	uint64_t names_bytes;		/* length of the kallsyms_names stream */
	unsigned int anchors_found;	/* anchors kallsyms names */
	unsigned int anchors_matched;	/* ... at VMCOREINFO's address */
};

/*
 * The anchors VMCOREINFO gives (at most SA_KALLSYMS_ANCHORS) in anchors,
 * their number in *n; lookup as below.  -1 with err set if a value is not
 * a hex address.
 */
int sa_vmcoreinfo_anchors(struct sa_kallsyms_anchor *anchors, unsigned int *n,
			  const char *(*lookup)(void *arg, const char *key), void *arg,
			  char *err, size_t errlen);

/*
 * Fill a from VMCOREINFO.  lookup(arg, key) returns the value of a
 * VMCOREINFO line by its full key, e.g. "SYMBOL(kallsyms_names)" gives the
 * text after "SYMBOL(kallsyms_names)=" (hex, as the kernel prints it), or
 * NULL when the line is absent.  Returns 0, or -1 with err set: the dump
 * has no kallsyms in VMCOREINFO (kernel older than 6.0), or a value is
 * not a hex address.
 */
int sa_kallsyms_addrs_from_vmcoreinfo(struct sa_kallsyms_addrs *a,
				      const char *(*lookup)(void *arg, const char *key),
				      void *arg, char *err, size_t errlen);

/*
 * Decode every kallsyms symbol of the dump and add it to st (size 0,
 * module NULL); call lx_symtab_finish(st) afterwards.  Memory is read only
 * through lx_read(), in large batches.  A name that is empty, holds a
 * byte that is not printable ASCII, or is longer than the kernel allows is
 * skipped and counted.  Returns 0, or -1 with err naming the table and
 * address that is unreadable or corrupt; on failure st is as it was (no
 * partial table).  stats may be NULL.
 */
int sa_kallsyms_load(const struct lx_target *t, const struct sa_kallsyms_addrs *a,
		     struct lx_symtab *st, char *err, size_t errlen);
int sa_kallsyms_load_stats(const struct lx_target *t, const struct sa_kallsyms_addrs *a,
			   struct lx_symtab *st, struct sa_kallsyms_stats *stats,
			   char *err, size_t errlen);

/* "absolute", "base-relative", "absolute-percpu", "pc-relative", "unknown". */
const char *sa_kallsyms_layout_name(enum sa_kallsyms_layout layout);

#endif
