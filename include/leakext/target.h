/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The target interface: everything the core needs from a dump (struct
 * lx_dump_ops) and from the host running the command (struct lx_host_ops).
 * The crash extension and the standalone libkdumpfile backend each
 * implement both; the core never sees crash's defs.h, and only
 * src/base/core.c calls the ops (through the wrappers in core.h).
 */
#ifndef LEAKEXT_TARGET_H
#define LEAKEXT_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum lx_msg_level { LX_MSG_INFO, LX_MSG_WARN, LX_MSG_ERROR };

struct lx_target;

/*
 * The dump's side: its memory, symbols and types.  Every op gets the
 * dump's priv (lx_target.dump_priv).  read, symbol, type_size,
 * member_offset and member_size are required; for the others the
 * wrappers in core.h take a NULL op as "absent".
 */
struct lx_dump_ops {
	/* Read kernel virtual memory; false if any byte is unreadable. */
	bool (*read)(void *priv, uint64_t kvaddr, void *buf, size_t len);
	/* Address of a kernel symbol; false if absent. */
	bool (*symbol)(void *priv, const char *name, uint64_t *addr);
	/*
	 * Name of the symbol containing addr, the offset into it and, for a
	 * module symbol, the module's name (else ""); false if none.  May be
	 * NULL: no symbol names.
	 */
	bool (*addr_symbol)(void *priv, uint64_t addr, char *name, size_t len,
			    uint64_t *offset, char *module, size_t modlen);
	/* Size of a struct/union by bare name ("kmem_cache"); -1 if absent. */
	long (*type_size)(void *priv, const char *type);
	/* Offset of a (possibly nested anonymous) member; -1 if absent. */
	long (*member_offset)(void *priv, const char *type, const char *member);
	/* Size of a member; -1 if absent. */
	long (*member_size)(void *priv, const char *type, const char *member);
	/*
	 * The member of struct/union type that covers byte offset, as a name
	 * path written the way C reaches it: named members joined by "."
	 * (anonymous structs and unions add no name), an array element by its
	 * index and no further ("cb[8]", "frags[2]+8"), and "+N" when offset
	 * lies N bytes into a member that has no smaller one covering it (a
	 * scalar, an array element, a bitfield's storage or a hole in a nested
	 * struct).  The first declared member covering offset wins (a union's
	 * members, bitfields sharing a byte).  False if the
	 * type is unknown, offset is past it or in a hole at its top level,
	 * or the path does not fit in len.  May be NULL: no member names.
	 */
	bool (*member_at)(void *priv, const char *type, uint64_t offset,
			  char *path, size_t len);
	/*
	 * Where a member's bits lie: *bit_offset from the start of type,
	 * and *bits, its bitfield width (a plain member: its size * 8).
	 * False if absent.  May be NULL: no bit layout known (readers of
	 * bitfields then derive the widths as the kernel does).
	 */
	bool (*member_bits)(void *priv, const char *type, const char *member,
			    uint64_t *bit_offset, unsigned int *bits);
	/* Value of an enumerator; false if absent.  May be NULL: none known. */
	bool (*enum_value)(void *priv, const char *name, long *value);
	/*
	 * One past the highest physical address the dump describes (from the
	 * dump file, not from kernel variables), to bound work that kernel
	 * variables would size; 0 if unknown.  May be NULL.
	 */
	uint64_t (*phys_end)(void *priv);
	/*
	 * The value of the dump's VMCOREINFO line key ("NUMBER(VA_BITS)",
	 * "PAGESIZE"), as written there, in buf; false if the dump has no
	 * such line or the value does not fit in len.  May be NULL: no
	 * VMCOREINFO.
	 */
	bool (*vmcoreinfo)(void *priv, const char *key, char *buf, size_t len);
	/*
	 * True when the dump is the running kernel (the program's
	 * /proc/kcore): its memory may change while it is read, so a cache
	 * whose walk finds it inconsistent is walked again, and what stays
	 * inconsistent is reported as moving, not as corruption.  May be
	 * NULL: a dump, which never changes.
	 */
	bool (*live)(void *priv);
	/*
	 * Advice: [kvaddr, kvaddr + len) will be read soon, in the order of
	 * the calls.  The dump may start decoding it on other threads; every
	 * read still returns exactly what it would without the advice.  May
	 * be NULL, and may ignore any call (say, when its read-ahead is full).
	 */
	void (*prefetch)(void *priv, uint64_t kvaddr, size_t len);
	/*
	 * True when every page of [kvaddr, kvaddr + len) is stored in the dump
	 * in a form the dump reads, found without decoding any of it (the
	 * dump's page index); false when a page is not or the dump cannot
	 * tell without reading.  A page whose stored bytes are damaged may
	 * still be present: only a read finds that.  For walkers that need a
	 * range's presence, not its bytes.  May be NULL: lx_readable() reads.
	 */
	bool (*present)(void *priv, uint64_t kvaddr, size_t len);
};

/*
 * The host's side: what crash or the program gives one command.  Every op
 * gets the context, so that it can read host state from it (host_priv,
 * document, out).  alloc, release and message are required; the others
 * may be NULL.
 */
struct lx_host_ops {
	/*
	 * Memory for one command.  The crash glue hands out buffers that crash
	 * reclaims if the command is interrupted.  alloc returns zeroed memory.
	 */
	void *(*alloc)(struct lx_target *t, size_t size);
	void (*release)(struct lx_target *t, void *ptr);
	/*
	 * ptr's memory (from alloc or grow, old_size bytes asked of it) made
	 * new_size bytes, the first old_size (at most new_size) kept and the
	 * rest zero; NULL when out of memory, ptr then still valid.  May be
	 * NULL: lx_grow() allocates, copies and releases.  The program grows a
	 * huge-page buffer in place or moves its pages (bigalloc.c).
	 */
	void *(*grow)(struct lx_target *t, void *ptr, size_t old_size, size_t new_size);
	/* True once the user asked to stop (^C). */
	bool (*interrupted)(struct lx_target *t);
	/* Diagnostics, escaped by lx_msg(); the host decides where they go. */
	void (*message)(struct lx_target *t, enum lx_msg_level level,
			const char *text);
	/* Progress of long work: done of total units, label. */
	void (*progress)(struct lx_target *t, const char *label, uint64_t done,
			 uint64_t total);
	/* Print the object at addr as a struct type; false if not possible. */
	bool (*print_type)(struct lx_target *t, const char *type, uint64_t addr);
	/*
	 * Run fn(arg) on a thread of its own and return a handle that
	 * thread_join() takes, which returns once fn has returned.  NULL: no
	 * thread was started (the host runs one thread, or none is free),
	 * and the caller does the work itself.  fn may call alloc, grow and
	 * release (thread-safe wherever this op starts threads) and nothing
	 * else of the target.  May be NULL, with thread_join: never a thread (crash,
	 * which is not thread-safe).
	 */
	void *(*thread_start)(struct lx_target *t, void (*fn)(void *arg), void *arg);
	void (*thread_join)(struct lx_target *t, void *thread);
};

/* How often one kind of message was given in this command (lx_msg()). */
struct lx_msg_tally {
	const char *fmt;	/* the format string is the kind */
	unsigned int count;
	char first[120];	/* the first such message, escaped */
};

#define LX_MSG_KINDS 32
#define LX_MSG_REPEATS 3	/* shown per kind; the rest are counted */

/* lx_target.error's size: what the program's own last error always kept. */
#define LX_ERROR_MAX 512

/* One command's context: the dump, the host around it, and the output. */
struct lx_target {
	const struct lx_dump_ops *dump;
	void *dump_priv;
	const struct lx_host_ops *host;
	void *host_priv;
	FILE *out;		/* report output (crash's fp, or stdout) */
	/* out carries one JSON document: messages must never go into it. */
	bool document;
	/*
	 * Bytes in the dumped kernel's pointers and unsigned longs, 4 or 8:
	 * what lx_read_word() reads.  A session sets it from the dump's arch
	 * row (kernel/session.c); 0, a front end's zeroed target, reads as 8.
	 */
	unsigned int word_size;
	/* These two: zero-initialised by the front end; owned by lx_msg(). */
	struct lx_msg_tally tally[LX_MSG_KINDS];
	/*
	 * The last LX_MSG_ERROR message as given to the host (escaped), ""
	 * if none: the command's reason for failing, for front ends to read
	 * rather than scrape from their output.
	 */
	char error[LX_ERROR_MAX];
};

#endif
