/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the standalone backend gets kernel types: one interface, several
 * providers (the vmlinux's DWARF, BTF from the vmlinux's .BTF section or
 * from the dump's own memory).  The rest of the backend calls only the
 * sa_types_*() functions below and never sees which provider answers.
 *
 * Every query answers exactly what the DWARF provider answered before the
 * interface existed: bare struct/union names ("kmem_cache"), members found
 * through anonymous structs and unions at any depth, typedefs resolved,
 * sizes in bytes, enumerators of every enum by name.
 */
#ifndef LEAKEXT_STANDALONE_TYPES_H
#define LEAKEXT_STANDALONE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The provider a struct sa_types holds; also what --stats and JSON say. */
enum sa_types_kind {
	SA_TYPES_NONE,
	SA_TYPES_DWARF,		/* "dwarf": libdwarf over the debug vmlinux */
	SA_TYPES_BTF_VMLINUX,	/* "btf-vmlinux": the vmlinux's .BTF section */
	SA_TYPES_BTF_DUMP,	/* "btf-dump": __start_BTF..__stop_BTF in the dump */
	SA_TYPES_BTF_MODULE,	/* "btf-module": a module's split BTF from the dump */
};

/* Far above any kernel's BTF (6.1: 5 MB); bounds what a dump can make us read. */
#define SA_BTF_MAX_SIZE (64U << 20)
/* A module's BTF (the largest 6.1 module's: under 1 MB). */
#define SA_BTF_MODULE_MAX_SIZE (16U << 20)
/* Output of one sa_types_print(); the rest is cut with a note. */
#define SA_PRINT_MAX_OUTPUT (64U << 10)

struct sa_types_ops {
	/* Size of a struct or union by bare name; -1 if absent. */
	long (*type_size)(void *impl, const char *type);
	/* Offset of a member, looked up through anonymous members; -1 if absent. */
	long (*member_offset)(void *impl, const char *type, const char *member);
	/* Size of that member's type; -1 if absent. */
	long (*member_size)(void *impl, const char *type, const char *member);
	/* Value of an enumerator of any enum; false if absent. */
	bool (*enum_value)(void *impl, const char *name, long *value);
	/*
	 * A member's bit offset in type and its width, as
	 * lx_dump_ops.member_bits documents them; false if absent.
	 */
	bool (*member_bits)(void *impl, const char *type, const char *member,
			    uint64_t *bit_offset, unsigned int *bits);
	/*
	 * The name path of the innermost member covering byte offset of a
	 * struct/union, as lx_dump_ops.member_at documents it; false if
	 * none does.  NULL: the provider cannot (DWARF).
	 */
	bool (*member_at)(void *impl, const char *type, uint64_t offset, char *path,
			  size_t len);
	/*
	 * Print len bytes as struct/union type to out, every byte of it
	 * terminal-safe; false if the type is absent or len is not its size.
	 * NULL: the provider cannot print.
	 */
	bool (*print)(void *impl, const char *type, const void *bytes, size_t len,
		      FILE *out);
	/* One line for --stats: what was indexed and how long it took. */
	void (*describe)(void *impl, char *buf, size_t len);
	/* Free everything; impl is not used again. */
	void (*close)(void *impl);
};

struct sa_types {
	const struct sa_types_ops *ops;	/* NULL: no provider open */
	void *impl;
	enum sa_types_kind kind;
};

/* "dwarf", "btf-vmlinux", "btf-dump" or "none". */
const char *sa_types_name(enum sa_types_kind kind);

long sa_types_size(const struct sa_types *ty, const char *type);
long sa_types_member_offset(const struct sa_types *ty, const char *type,
			    const char *member);
long sa_types_member_size(const struct sa_types *ty, const char *type,
			  const char *member);
bool sa_types_enum_value(const struct sa_types *ty, const char *name, long *value);
bool sa_types_member_bits(const struct sa_types *ty, const char *type,
			  const char *member, uint64_t *bit_offset, unsigned int *bits);
/*
 * A member path being built by a provider's member_at, bounded: at most
 * budget members visited, len bytes (with its NUL) written to buf.
 */
struct sa_path {
	char *buf;
	size_t len, used;
	unsigned int budget;
	bool failed;		/* out of budget or of room: no answer */
};

/* Append to the path; out of room, it is failed. */
void sa_path_add(struct sa_path *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A walk over buf's len bytes, visiting at most budget members; buf is "". */
void sa_path_start(struct sa_path *w, char *buf, size_t len, unsigned int budget);
/* The walk's answer: found and not failed, else false and buf "". */
bool sa_path_end(struct sa_path *w, bool found);
/* The member covering offset (lx_dump_ops.member_at); false if unknown. */
bool sa_types_member_at(const struct sa_types *ty, const char *type, uint64_t offset,
			char *path, size_t len);
/*
 * Print bytes (sa_types_size() of them) as "struct type { .member = ... }";
 * false if the provider cannot (DWARF) or does not know the type.
 */
bool sa_types_print(const struct sa_types *ty, const char *type, const void *bytes,
		    size_t len, FILE *out);
void sa_types_describe(const struct sa_types *ty, char *buf, size_t len);
void sa_types_close(struct sa_types *ty);

/*
 * Providers.  Each returns 0 with *ty filled, or -1 with a message in err
 * that names the file or the cause (never a crash on bad input).
 */
/* The vmlinux's DWARF; progress (may be NULL) hears units indexed so far. */
int sa_types_open_dwarf(struct sa_types *ty, const char *vmlinux,
			void (*progress)(uint64_t units), char *err, size_t errlen);
/* The vmlinux's .BTF section. */
int sa_types_open_btf_elf(struct sa_types *ty, const char *vmlinux,
			  char *err, size_t errlen);
/* Raw BTF bytes (the dump's __start_BTF..__stop_BTF); copied, not kept. */
int sa_types_open_btf_raw(struct sa_types *ty, const void *data, size_t size,
			  char *err, size_t errlen);

/*
 * A module's BTF (struct btf's data in the dump), split on top of base,
 * which must be a BTF provider and outlive *ty.  Indexes only the module's
 * own types; copied, not kept.
 */
int sa_types_open_btf_split(struct sa_types *ty, const struct sa_types *base,
			    const void *data, size_t size, char *err, size_t errlen);

#endif
