/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef LEAKEXT_CORE_H
#define LEAKEXT_CORE_H

#include <stdarg.h>

#include "leakext/status.h"
#include "leakext/target.h"
#include "leakext/text.h"

#define LX_NAME_MAX 64
/* A referrer's label: "skbuff_head_cache +200 (sk_buff.head)" */
#define LX_LABEL_MAX 128

/* Small helpers over the target, shared by every core file. */
void *lx_alloc(struct lx_target *t, size_t size);
void lx_free(struct lx_target *t, void *ptr);
void *lx_grow(struct lx_target *t, void *ptr, size_t old_size, size_t new_size);
/* Make room for need elements in *array of *cap; doubles.  LX_ENOMEM if not. */
enum lx_status lx_reserve(struct lx_target *t, void *array, size_t *cap, size_t need,
			  size_t elem_size);
/* const: a read leaves the context alone (kallsyms' decoder holds it const). */
bool lx_read(const struct lx_target *t, uint64_t addr, void *buf, size_t len);
bool lx_read_u64(struct lx_target *t, uint64_t addr, uint64_t *val);
bool lx_read_u32(struct lx_target *t, uint64_t addr, uint32_t *val);

/*
 * The dumped kernel's words: what it stores as a pointer or an unsigned
 * long (list_head links, atomic_long_t counters, page flags, per-cpu
 * offsets), 4 or 8 bytes as t->word_size says, in host order and
 * zero-extended to 64 bits.  A field that is a u32 or a u64 on every
 * kernel keeps lx_read_u32() and lx_read_u64().
 */
static inline unsigned int lx_word_size(const struct lx_target *t)
{
	return t->word_size == 4 ? 4 : 8;
}

/*
 * Hex digits of a kernel address in text, as crash prints them: 16 on a
 * 64-bit kernel, 8 on a 32-bit one.
 */
#define lx_addr_digits(t) ((int)lx_word_size(t) * 2)

/* The largest value a word holds (a 32-bit kernel's (unsigned long)-1). */
static inline uint64_t lx_word_max(const struct lx_target *t)
{
	return lx_word_size(t) == 4 ? UINT32_MAX : UINT64_MAX;
}

bool lx_read_word(struct lx_target *t, uint64_t addr, uint64_t *val);
/* n consecutive words (an array of pointers) into vals[0..n). */
bool lx_read_words(struct lx_target *t, uint64_t addr, uint64_t *vals, size_t n);
bool lx_read_string(struct lx_target *t, uint64_t addr, char *buf, size_t len);
/*
 * A diagnostic.  The text is escaped (no byte from the dump reaches a
 * terminal raw) and each kind (format string) is shown LX_MSG_REPEATS
 * times per command; lx_msg_flush() then says how many more there were.
 * An error is also kept in t->error.
 */
void lx_msg(struct lx_target *t, enum lx_msg_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void lx_vmsg(struct lx_target *t, enum lx_msg_level level, const char *fmt,
	     va_list ap);
/* End of a command: "... and N more like this" for every capped kind. */
void lx_msg_flush(struct lx_target *t);
/* One member a module reads: its offset goes to *dest, -1 if absent. */
struct lx_member_req {
	const char *type, *member;
	long *dest;
	bool required;		/* absent: the module cannot work */
};

/*
 * Resolve a module's member table.  A member must lie inside its struct
 * (its size, at most 8 bytes, from its offset: the core reads fields out
 * of struct-sized buffers); false if one does not, or if a required one is
 * absent.  what names the work that needs them ("walk SLUB") for an error
 * message; NULL: the caller copes quietly.
 */
bool lx_resolve_members(struct lx_target *t, const struct lx_member_req *req,
			size_t n, const char *what);
#define LX_MEMBERS(req) (req), sizeof(req) / sizeof((req)[0])
/* Type layout through the target; -1 if absent. */
long lx_type_size(struct lx_target *t, const char *type);
long lx_member_offset(struct lx_target *t, const char *type, const char *member);
long lx_member_size(struct lx_target *t, const char *type, const char *member);
/* The dump's ops (target.h); false, or 0, when the op or answer is absent. */
bool lx_member_at(struct lx_target *t, const char *type, uint64_t offset,
		  char *path, size_t len);
bool lx_enum_value(struct lx_target *t, const char *name, long *value);
/* A member's bit offset in type and its width (lx_dump_ops.member_bits). */
bool lx_member_bits(struct lx_target *t, const char *type, const char *member,
		    uint64_t *bit_offset, unsigned int *bits);
bool lx_symbol(struct lx_target *t, const char *name, uint64_t *addr);
bool lx_addr_symbol(struct lx_target *t, uint64_t addr, char *name, size_t len,
		    uint64_t *offset, char *module, size_t modlen);
uint64_t lx_phys_end(struct lx_target *t);
/* The target is the running kernel (lx_dump_ops.live): its memory moves. */
bool lx_target_live(struct lx_target *t);
/* Advise the dump that [addr, addr + len) is read next (lx_dump_ops.prefetch). */
void lx_prefetch(const struct lx_target *t, uint64_t addr, size_t len);
/* The dump's present op says [addr, addr + len) is there; false if absent. */
bool lx_present(const struct lx_target *t, uint64_t addr, size_t len);
/* The dump has a present op: walkers may skip bytes they do not need. */
bool lx_tells_presence(const struct lx_target *t);
/*
 * Whether [addr, addr + len) is in the dump: the dump's present op when it
 * says so without decoding, else a read into scratch (len bytes).
 */
bool lx_readable(const struct lx_target *t, uint64_t addr, void *scratch, size_t len);
/* How far ahead of its reads a sequential reader advises the dump. */
#define LX_READ_AHEAD (2U << 20)
/*
 * A reader about to read [addr, addr + len) of a run that ends at end:
 * advise the dump of the run up to LX_READ_AHEAD bytes past that read;
 * *advised is where the advice given so far ends (0 before the first).
 */
void lx_prefetch_run(const struct lx_target *t, uint64_t *advised, uint64_t addr,
		     uint64_t len, uint64_t end);
/*
 * A VMCOREINFO number: key's value in *value, read as the kernel prints
 * it (decimal, negative decimal, or hex with 0x; KERNELOFFSET's bare hex
 * when hex is true).  False if absent or not wholly a number.
 */
bool lx_vmcoreinfo_number(struct lx_target *t, const char *key, bool hex,
			  uint64_t *value);
/* The host's struct printer (lx_host_ops.print_type); false if none. */
bool lx_print_type(struct lx_target *t, const char *type, uint64_t addr);
/* Seconds on a monotonic clock, for timings. */
double lx_now(void);
/* A symbol's address, 0 if absent; the value stored there, or fallback. */
uint64_t lx_symbol_addr(struct lx_target *t, const char *name);
uint64_t lx_symbol_u64_or(struct lx_target *t, const char *name,
			  uint64_t fallback);
uint32_t lx_symbol_u32_or(struct lx_target *t, const char *name,
			  uint32_t fallback);
/* The same for a variable that is a pointer or an unsigned long. */
uint64_t lx_symbol_word_or(struct lx_target *t, const char *name,
			   uint64_t fallback);
bool lx_interrupted(struct lx_target *t);
/*
 * In an array of n elements of stride bytes, sorted by the u64 at
 * key_offset, the number of elements whose key is <= key (so the last such
 * element is index - 1, none if 0).
 */
size_t lx_count_keys_le(const void *array, size_t n, size_t stride,
			size_t key_offset, uint64_t key);
void lx_progress(struct lx_target *t, const char *label, uint64_t done,
		 uint64_t total);
/* lx_host_ops.thread_start and thread_join; NULL: no thread started. */
bool lx_has_threads(const struct lx_target *t);
void *lx_thread_start(struct lx_target *t, void (*fn)(void *arg), void *arg);
void lx_thread_join(struct lx_target *t, void *thread);

/*
 * Fields inside a buffer read from the dump: off and the field's size are
 * checked against the buffer's length, so a hostile offset cannot read
 * outside it.  False (and *val = 0) when the field does not fit.
 */
static inline bool lx_field_fits(size_t buflen, long off, size_t size)
{
	return off >= 0 && (uint64_t)off <= buflen && buflen - (uint64_t)off >= size;
}

static inline bool lx_field_u64(const void *buf, size_t buflen, long off,
				uint64_t *val)
{
	*val = 0;
	if (!lx_field_fits(buflen, off, sizeof(*val)))
		return false;
	__builtin_memcpy(val, (const char *)buf + off, sizeof(*val));
	return true;
}

static inline bool lx_field_u32(const void *buf, size_t buflen, long off,
				uint32_t *val)
{
	*val = 0;
	if (!lx_field_fits(buflen, off, sizeof(*val)))
		return false;
	__builtin_memcpy(val, (const char *)buf + off, sizeof(*val));
	return true;
}

/* The word of size bytes (4 or 8) at p, zero-extended. */
static inline uint64_t lx_word_value(const void *p, unsigned int size)
{
	uint64_t v64;
	uint32_t v32;

	if (size == 4) {
		__builtin_memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	__builtin_memcpy(&v64, p, sizeof(v64));
	return v64;
}

/* A kernel word (lx_word_size(t) bytes) inside a buffer, checked. */
static inline bool lx_field_word(const struct lx_target *t, const void *buf,
				 size_t buflen, long off, uint64_t *val)
{
	*val = 0;
	if (!lx_field_fits(buflen, off, lx_word_size(t)))
		return false;
	*val = lx_word_value((const char *)buf + off, lx_word_size(t));
	return true;
}

/* Unchecked: only for offsets the layout validated against the buffer. */
static inline uint64_t lx_get_word(const struct lx_target *t, const void *buf, long off)
{
	return lx_word_value((const char *)buf + off, lx_word_size(t));
}

static inline uint64_t lx_get_u64(const void *buf, long off)
{
	uint64_t v;

	__builtin_memcpy(&v, (const char *)buf + off, sizeof(v));
	return v;
}

static inline uint32_t lx_get_u32(const void *buf, long off)
{
	uint32_t v;

	__builtin_memcpy(&v, (const char *)buf + off, sizeof(v));
	return v;
}


#endif
