/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One vmcore opened by the standalone program. */
#ifndef LEAKEXT_SA_TARGET_H
#define LEAKEXT_SA_TARGET_H

#include <libkdumpfile/kdumpfile.h>

#include "standalone/symbols/symtab.h"
#include "leakext/target.h"
#include "standalone/files.h"
#include "standalone/symbols/kallsyms.h"
#include "standalone/symbols/modsyms.h"
#include "standalone/readers/kcore.h"
#include "standalone/readers/reader.h"
#include "standalone/types/types.h"

struct lx_arch;
struct sa_dump;

/*
 * Where a dump's memory, VMCOREINFO and extent come from: a row per kind
 * of file, the first whose probe accepts the open file (target.c's
 * sources[]).  symbols and btf may be NULL: the kernel's kallsyms and BTF
 * are then read from its memory (or a vmlinux / System.map given).
 */
struct sa_source {
	const char *name;		/* "kcore", "libkdumpfile" */
	/* The running kernel: memory may change while it is read. */
	bool live;
	bool (*probe)(int fd);
	/* Fill d's state for d->path (d->fd open); set d->arch. */
	int (*open)(struct sa_dump *d, char *err, size_t errlen);
	bool (*read)(struct sa_dump *d, uint64_t kvaddr, void *buf, size_t len);
	const char *(*vmcoreinfo)(struct sa_dump *d, const char *key);
	uint64_t (*phys_end)(struct sa_dump *d);
	/*
	 * The kernel's symbols and BTF from outside its memory; -1 and err:
	 * not there (symbols then come from the kallsyms tables in memory).
	 */
	int (*symbols)(struct sa_dump *d, char *err, size_t errlen);
	int (*btf)(struct sa_dump *d, char *err, size_t errlen);
	/*
	 * Loaded modules' BTF into d->module_btf (room for max), split on
	 * d->types; -1 if the source has none (then: the btf_modules list).
	 */
	int (*module_btf)(struct sa_dump *d, unsigned int max);
	void (*close)(struct sa_dump *d);
	/* Optional: lx_dump_ops.prefetch. */
	void (*prefetch)(struct sa_dump *d, uint64_t kvaddr, size_t len);
	/* Optional: lx_dump_ops.present. */
	bool (*present)(struct sa_dump *d, uint64_t kvaddr, size_t len);
};

/* /proc/kcore's row (live.c). */
extern const struct sa_source sa_kcore_source;


/* The vmlinux named on the command line, shared by every dump. */
struct sa_vmlinux {
	const char *path;
	struct sa_types types;		/* its .BTF, or its DWARF */
	char build_id[2 * 64 + 1];	/* hex, from .note.gnu.build-id; "" if none */
};

/* Where a dump's symbols came from; also what --stats and JSON say. */
enum sa_symbols_kind {
	SA_SYMBOLS_VMLINUX,	/* "vmlinux": its ELF symbol table, KASLR-shifted */
	SA_SYMBOLS_KALLSYMS,	/* "kallsyms": decoded from the dump's memory */
	SA_SYMBOLS_SYSTEM_MAP,	/* "system-map": a System.map, KASLR-shifted */
	SA_SYMBOLS_PROC,	/* "proc-kallsyms": the running kernel's /proc/kallsyms */
};

/* One loaded module's BTF, split on the kernel's (leakdump -d -t). */
struct sa_module_btf {
	char name[64];			/* the module's, escaped */
	struct sa_types types;
};

struct sa_dump {
	const char *path;
	int fd;
	const struct sa_source *source;	/* chosen by probing the file */
	struct sa_kcore kcore;		/* the kcore source's state */
	/* A live source's CPU priority (at least this nice); -1: keep it. */
	int live_niceness;
	kdump_ctx_t *ctx;		/* attributes, translation */
	const struct lx_arch *arch;	/* the dump's row, by its file */
	struct sa_kdump_reads reads;	/* every libkdumpfile read */
	/* Direct-map reads, through libkdumpfile only if no own reader fits. */
	struct sa_reader reader;
	/*
	 * With --reader=libkdumpfile: the own reader's index, asked only which
	 * pages the file holds (lx_dump_ops.present), never read through, so
	 * that the walks skip what they skip with the own reader and no
	 * output depends on the reader.
	 */
	struct sa_reader index;
	bool libkdumpfile_only;		/* --reader=libkdumpfile */
	/* Threads besides the main one that decode pages ahead (-J N - 1). */
	unsigned int workers;
	/*
	 * LEAKEXT_PAGE_TRACE=FILE (tests/bench's floor): the kernel virtual
	 * page of every byte read is written to FILE, a line each, in hex.
	 */
	FILE *page_trace;
	const struct sa_vmlinux *vmlinux;	/* NULL: types and symbols from the dump */
	const char *system_map;		/* with no vmlinux: symbols from it */
	const struct sa_types *types;	/* the vmlinux's, or own_types */
	struct sa_types own_types;	/* the dump's own BTF */
	enum sa_symbols_kind symbols_kind;
	struct lx_symtab symbols;
	struct sa_kallsyms_stats kallsyms;	/* when symbols_kind is kallsyms */
	/* The btf_modules list's BTF, parsed on the first unknown -t type. */
	struct sa_module_btf *module_btf;
	unsigned int nmodule_btf;
	bool module_btf_tried;
	bool symbols_have_modules;	/* the symbol source named module symbols */
	bool progress;
	bool quiet;			/* -q: no warnings of the sources either */
};

/* Both take the struct sa_dump as their priv (dump_priv, host_priv). */
extern const struct lx_dump_ops sa_dump_ops;
extern const struct lx_host_ops sa_host_ops;

/*
 * Open d->path; with vmlinux (may be NULL) its types and symbols, else the
 * dump's own BTF and kallsyms.  Set d->vmlinux before calling.
 */
int sa_dump_open(struct sa_dump *d, char *err, size_t errlen);
const char *sa_symbols_name(enum sa_symbols_kind kind);

void sa_dump_close(struct sa_dump *d);
void sa_catch_interrupts(void);
/* One progress line on stderr, fitted to the terminal; total == done clears. */
void sa_progress_show(const char *what, const char *phase, uint64_t done,
		      uint64_t total);

#endif
