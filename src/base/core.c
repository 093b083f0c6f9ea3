// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Thin, checked wrappers over the target interface: the only place that
 * calls the dump's and the host's ops, so each NULL op is answered here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leakext/core.h"
#include "leakext/text.h"

void *lx_alloc(struct lx_target *t, size_t size)
{
	return t->host->alloc(t, size ? size : 1);
}

void lx_free(struct lx_target *t, void *ptr)
{
	if (ptr)
		t->host->release(t, ptr);
}

void *lx_grow(struct lx_target *t, void *ptr, size_t old_size, size_t new_size)
{
	void *p;

	if (t->host->grow)
		return t->host->grow(t, ptr, old_size, new_size ? new_size : 1);
	p = lx_alloc(t, new_size);

	if (!p)
		return NULL;
	if (ptr) {
		memcpy(p, ptr, old_size < new_size ? old_size : new_size);
		lx_free(t, ptr);
	}
	return p;
}

enum lx_status lx_reserve(struct lx_target *t, void *array, size_t *cap, size_t need,
			  size_t elem_size)
{
	size_t new_cap = *cap ? *cap : 64;
	void *old, *p;

	if (need <= *cap)
		return LX_OK;
	while (new_cap < need)
		new_cap *= 2;
	/* array points at a typed pointer: copy it, do not alias it */
	memcpy(&old, array, sizeof(old));
	p = lx_grow(t, old, *cap * elem_size, new_cap * elem_size);
	if (!p)
		return LX_ENOMEM;
	memcpy(array, &p, sizeof(p));
	*cap = new_cap;
	return LX_OK;
}

bool lx_read(const struct lx_target *t, uint64_t addr, void *buf, size_t len)
{
	return t->dump->read(t->dump_priv, addr, buf, len);
}

void lx_prefetch(const struct lx_target *t, uint64_t addr, size_t len)
{
	if (t->dump->prefetch && len)
		t->dump->prefetch(t->dump_priv, addr, len);
}

bool lx_present(const struct lx_target *t, uint64_t addr, size_t len)
{
	return t->dump->present && t->dump->present(t->dump_priv, addr, len);
}

bool lx_tells_presence(const struct lx_target *t)
{
	return t->dump->present;
}

bool lx_readable(const struct lx_target *t, uint64_t addr, void *scratch, size_t len)
{
	return lx_present(t, addr, len) || lx_read(t, addr, scratch, len);
}

void lx_prefetch_run(const struct lx_target *t, uint64_t *advised, uint64_t addr,
		     uint64_t len, uint64_t end)
{
	uint64_t from = *advised > addr ? *advised : addr;
	uint64_t to = end - addr > len + LX_READ_AHEAD ? addr + len + LX_READ_AHEAD : end;

	if (!t->dump->prefetch || end <= addr || to <= from)
		return;
	/* advice in steps of a quarter of the distance, not at every read */
	if (from > addr + len && to - from < LX_READ_AHEAD / 4 && to < end)
		return;
	for (; from < to; from += LX_READ_AHEAD)
		lx_prefetch(t, from, to - from < LX_READ_AHEAD ? to - from : LX_READ_AHEAD);
	*advised = to;
}

bool lx_read_u64(struct lx_target *t, uint64_t addr, uint64_t *val)
{
	return lx_read(t, addr, val, sizeof(*val));
}

bool lx_read_u32(struct lx_target *t, uint64_t addr, uint32_t *val)
{
	return lx_read(t, addr, val, sizeof(*val));
}

bool lx_read_word(struct lx_target *t, uint64_t addr, uint64_t *val)
{
	return lx_read_words(t, addr, val, 1);
}

/*
 * The words land packed at the front of vals; 4-byte ones are then
 * widened in place from the last down, so none is overwritten unread.
 */
bool lx_read_words(struct lx_target *t, uint64_t addr, uint64_t *vals, size_t n)
{
	unsigned int size = lx_word_size(t);
	uint32_t word;
	size_t i;

	if (n > SIZE_MAX / sizeof(*vals) || !lx_read(t, addr, vals, n * size))
		return false;
	for (i = n; size == 4 && i-- > 0;) {
		memcpy(&word, (const char *)vals + i * size, sizeof(word));
		vals[i] = word;
	}
	return true;
}

/*
 * Read a NUL-terminated string of at most len - 1 bytes.  Strings may end
 * near a page boundary, so fall back to byte-sized reads when a bulk read
 * fails.
 */
bool lx_read_string(struct lx_target *t, uint64_t addr, char *buf, size_t len)
{
	size_t i;

	if (!len)
		return false;
	memset(buf, 0, len);
	if (lx_read(t, addr, buf, len - 1)) {
		buf[len - 1] = '\0';
		return true;
	}
	for (i = 0; i + 1 < len; i++) {
		if (!lx_read(t, addr + i, &buf[i], 1))
			break;
		if (!buf[i])
			return true;
	}
	buf[i] = '\0';
	return i > 0;
}

/* The tally slot of this kind, or NULL when every slot is taken. */
static struct lx_msg_tally *tally_of(struct lx_target *t, const char *fmt)
{
	size_t i;

	for (i = 0; i < LX_MSG_KINDS; i++) {
		if (!t->tally[i].fmt)
			t->tally[i].fmt = fmt;
		if (t->tally[i].fmt == fmt)
			return &t->tally[i];
	}
	return NULL;
}

void lx_vmsg(struct lx_target *t, enum lx_msg_level level, const char *fmt,
	     va_list ap)
{
	struct lx_msg_tally *kind = level == LX_MSG_ERROR ? NULL : tally_of(t, fmt);
	char text[512], safe[1024];

	if (kind && ++kind->count > LX_MSG_REPEATS)
		return;
	vsnprintf(text, sizeof(text), fmt, ap);
	lx_escape(safe, sizeof(safe), text, sizeof(text));
	if (kind && kind->count == 1) {
		size_t n = strnlen(safe, sizeof(kind->first) - 1);

		memcpy(kind->first, safe, n);
		kind->first[n] = '\0';
	}
	if (level == LX_MSG_ERROR)	/* before the host, which may read it */
		snprintf(t->error, sizeof(t->error), "%s", safe);
	t->host->message(t, level, safe);
}

void lx_msg(struct lx_target *t, enum lx_msg_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lx_vmsg(t, level, fmt, ap);
	va_end(ap);
}

void lx_msg_flush(struct lx_target *t)
{
	char text[256];
	size_t i;

	for (i = 0; i < LX_MSG_KINDS && t->tally[i].fmt; i++) {
		const struct lx_msg_tally *k = &t->tally[i];

		if (k->count <= LX_MSG_REPEATS)
			continue;
		snprintf(text, sizeof(text), "... and %u more like: %.*s",
			 k->count - LX_MSG_REPEATS, (int)sizeof(k->first), k->first);
		t->host->message(t, LX_MSG_WARN, text);
	}
	memset(t->tally, 0, sizeof(t->tally));
}

const char *lx_status_text(enum lx_status st)
{
	switch (st) {
	case LX_OK:
		return "ok";
	case LX_ENOMEM:
		return "out of memory";
	case LX_EINTR:
		return "interrupted";
	case LX_ECORRUPT:
		return "the dump's data is implausible or inconsistent";
	case LX_EABSENT:
		return "needed data is not in the dump";
	case LX_EUSAGE:
		return "bad usage";
	case LX_EINTERNAL:
		return "internal error (a leakext bug)";
	}
	return "unknown status";
}

bool lx_interrupted(struct lx_target *t)
{
	return t->host->interrupted && t->host->interrupted(t);
}

void lx_progress(struct lx_target *t, const char *label, uint64_t done,
		 uint64_t total)
{
	if (t->host->progress)
		t->host->progress(t, label, done, total);
}

bool lx_has_threads(const struct lx_target *t)
{
	return t->host->thread_start && t->host->thread_join;
}

void *lx_thread_start(struct lx_target *t, void (*fn)(void *arg), void *arg)
{
	if (!lx_has_threads(t))
		return NULL;
	return t->host->thread_start(t, fn, arg);
}

void lx_thread_join(struct lx_target *t, void *thread)
{
	if (thread)
		t->host->thread_join(t, thread);
}

double lx_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

long lx_type_size(struct lx_target *t, const char *type)
{
	return t->dump->type_size(t->dump_priv, type);
}

long lx_member_offset(struct lx_target *t, const char *type, const char *member)
{
	return t->dump->member_offset(t->dump_priv, type, member);
}

long lx_member_size(struct lx_target *t, const char *type, const char *member)
{
	return t->dump->member_size(t->dump_priv, type, member);
}

bool lx_member_at(struct lx_target *t, const char *type, uint64_t offset,
		  char *path, size_t len)
{
	return t->dump->member_at &&
	       t->dump->member_at(t->dump_priv, type, offset, path, len);
}

bool lx_enum_value(struct lx_target *t, const char *name, long *value)
{
	return t->dump->enum_value &&
	       t->dump->enum_value(t->dump_priv, name, value);
}

bool lx_member_bits(struct lx_target *t, const char *type, const char *member,
		    uint64_t *bit_offset, unsigned int *bits)
{
	return t->dump->member_bits &&
	       t->dump->member_bits(t->dump_priv, type, member, bit_offset, bits);
}

bool lx_symbol(struct lx_target *t, const char *name, uint64_t *addr)
{
	return t->dump->symbol(t->dump_priv, name, addr);
}

bool lx_addr_symbol(struct lx_target *t, uint64_t addr, char *name, size_t len,
		    uint64_t *offset, char *module, size_t modlen)
{
	return t->dump->addr_symbol &&
	       t->dump->addr_symbol(t->dump_priv, addr, name, len, offset,
				    module, modlen);
}

uint64_t lx_phys_end(struct lx_target *t)
{
	return t->dump->phys_end ? t->dump->phys_end(t->dump_priv) : 0;
}

bool lx_target_live(struct lx_target *t)
{
	return t->dump->live && t->dump->live(t->dump_priv);
}

bool lx_vmcoreinfo_number(struct lx_target *t, const char *key, bool hex,
			  uint64_t *value)
{
	char text[32], *end;

	if (!t->dump->vmcoreinfo ||
	    !t->dump->vmcoreinfo(t->dump_priv, key, text, sizeof(text)) || !text[0])
		return false;
	errno = 0;
	if (text[0] == '-')
		*value = (uint64_t)strtoll(text, &end, 10);
	else
		*value = strtoull(text, &end, hex ? 16 : 0);
	return !errno && !*end && (hex || text[0] != '0' || text[1] == 'x' || !text[1]);
}

bool lx_print_type(struct lx_target *t, const char *type, uint64_t addr)
{
	return t->host->print_type && t->host->print_type(t, type, addr);
}

uint64_t lx_symbol_addr(struct lx_target *t, const char *name)
{
	uint64_t addr;

	return lx_symbol(t, name, &addr) ? addr : 0;
}

uint64_t lx_symbol_u64_or(struct lx_target *t, const char *name,
			  uint64_t fallback)
{
	uint64_t addr = lx_symbol_addr(t, name), val;

	return addr && lx_read_u64(t, addr, &val) ? val : fallback;
}

uint64_t lx_symbol_word_or(struct lx_target *t, const char *name,
			   uint64_t fallback)
{
	uint64_t addr = lx_symbol_addr(t, name), val;

	return addr && lx_read_word(t, addr, &val) ? val : fallback;
}

uint32_t lx_symbol_u32_or(struct lx_target *t, const char *name,
			  uint32_t fallback)
{
	uint64_t addr = lx_symbol_addr(t, name);
	uint32_t val;

	return addr && lx_read_u32(t, addr, &val) ? val : fallback;
}

size_t lx_count_keys_le(const void *array, size_t n, size_t stride,
			size_t key_offset, uint64_t key)
{
	const char *base = array;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k;

		memcpy(&k, base + mid * stride + key_offset, sizeof(k));
		if (k <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A member the core reads must lie inside its struct. */
static bool member_fits(struct lx_target *t, const struct lx_member_req *req)
{
	long type_size = lx_type_size(t, req->type);
	long size = lx_member_size(t, req->type, req->member);

	if (size <= 0 && type_size > 0 && *req->dest == type_size)
		return true;	/* a flexible array member, read past the struct */
	if (size <= 0 || size > 8)
		size = 8;	/* the widest field read; list heads: .next */
	return type_size > 0 && *req->dest + size <= type_size;
}

bool lx_resolve_members(struct lx_target *t, const struct lx_member_req *req,
			size_t n, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		*req[i].dest = lx_member_offset(t, req[i].type, req[i].member);
		if (*req[i].dest >= 0 && !member_fits(t, &req[i])) {
			if (what)
				lx_msg(t, LX_MSG_ERROR,
				       "the dump's types put %s.%s at %ld, outside the struct",
				       req[i].type, req[i].member, *req[i].dest);
			return false;
		}
		if (*req[i].dest < 0 && req[i].required) {
			if (what)
				lx_msg(t, LX_MSG_ERROR, "the dump's types lack %s.%s; cannot %s",
				       req[i].type, req[i].member, what);
			return false;
		}
	}
	return true;
}
