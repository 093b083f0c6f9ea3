/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The target interface: everything the core needs from a dump.  The crash
 * extension and the standalone libkdumpfile backend each implement it; the
 * core never sees crash's defs.h.
 */
#ifndef LEAKEXT_TARGET_H
#define LEAKEXT_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum lx_msg_level { LX_MSG_INFO, LX_MSG_WARN, LX_MSG_ERROR };

struct lx_target_ops {
	/* Read kernel virtual memory; false if any byte is unreadable. */
	bool (*read)(void *priv, uint64_t kvaddr, void *buf, size_t len);
	/* Address of a kernel symbol; false if absent. */
	bool (*symbol)(void *priv, const char *name, uint64_t *addr);
	/*
	 * Name of the symbol containing addr, the offset into it and, for a
	 * module symbol, the module's name (else ""); false if none.
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
	/* Value of an enumerator; false if absent. */
	bool (*enum_value)(void *priv, const char *name, long *value);
	/*
	 * Memory for one command.  The crash glue hands out buffers that crash
	 * reclaims if the command is interrupted.  alloc returns zeroed memory.
	 */
	void *(*alloc)(void *priv, size_t size);
	void (*release)(void *priv, void *ptr);
	/* True once the user asked to stop (^C). */
	bool (*interrupted)(void *priv);
	/* Diagnostics; the glue decides where they go. */
	void (*message)(void *priv, enum lx_msg_level level, const char *text);
	/* Print the object at addr as a struct type; NULL if not possible. */
	bool (*print_type)(void *priv, const char *type, uint64_t addr);
	/* Progress of long work: done of total units, label. May be NULL. */
	void (*progress)(void *priv, const char *label, uint64_t done,
			 uint64_t total);
	/*
	 * One past the highest physical address the dump describes (from the
	 * dump file, not from kernel variables), to bound work that kernel
	 * variables would size; 0 if unknown.  May be NULL.
	 */
	uint64_t (*phys_end)(void *priv);
};

/* How often one kind of message was given in this command (lx_msg()). */
struct lx_msg_tally {
	const char *fmt;	/* the format string is the kind */
	unsigned int count;
	char first[120];	/* the first such message, escaped */
};

#define LX_MSG_KINDS 32
#define LX_MSG_REPEATS 3	/* shown per kind; the rest are counted */

struct lx_target {
	const struct lx_target_ops *ops;
	void *priv;
	FILE *out;		/* report output (crash's fp, or stdout) */
	/* Zero-initialised by the front end; owned by lx_msg(). */
	struct lx_msg_tally tally[LX_MSG_KINDS];
	/* The last error given to the host, escaped: the context's message. */
	char error[256];
};

#endif
