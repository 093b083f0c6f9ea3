// SPDX-License-Identifier: GPL-2.0-or-later
/* The type-provider interface: dispatch to whichever provider is open. */
#include <stdarg.h>
#include <stdio.h>

#include "standalone/types/types.h"

void sa_path_start(struct sa_path *w, char *buf, size_t len, unsigned int budget)
{
	*w = (struct sa_path){ .buf = buf, .len = len, .budget = budget };
	buf[0] = '\0';
}

bool sa_path_end(struct sa_path *w, bool found)
{
	if (found && !w->failed)
		return true;
	w->buf[0] = '\0';
	return false;
}

void sa_path_add(struct sa_path *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->used, w->len - w->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= w->len - w->used)
		w->failed = true;
	else
		w->used += n;
}

const char *sa_types_name(enum sa_types_kind kind)
{
	switch (kind) {
	case SA_TYPES_DWARF: return "dwarf";
	case SA_TYPES_BTF_VMLINUX: return "btf-vmlinux";
	case SA_TYPES_BTF_DUMP: return "btf-dump";
	case SA_TYPES_BTF_MODULE: return "btf-module";
	default: return "none";
	}
}

long sa_types_size(const struct sa_types *ty, const char *type)
{
	return ty && ty->ops ? ty->ops->type_size(ty->impl, type) : -1;
}

long sa_types_member_offset(const struct sa_types *ty, const char *type,
			    const char *member)
{
	return ty && ty->ops ? ty->ops->member_offset(ty->impl, type, member) : -1;
}

long sa_types_member_size(const struct sa_types *ty, const char *type,
			  const char *member)
{
	return ty && ty->ops ? ty->ops->member_size(ty->impl, type, member) : -1;
}

bool sa_types_enum_value(const struct sa_types *ty, const char *name, long *value)
{
	return ty && ty->ops && ty->ops->enum_value(ty->impl, name, value);
}

bool sa_types_member_bits(const struct sa_types *ty, const char *type,
			  const char *member, uint64_t *bit_offset, unsigned int *bits)
{
	return ty && ty->ops && ty->ops->member_bits &&
	       ty->ops->member_bits(ty->impl, type, member, bit_offset, bits);
}

bool sa_types_member_at(const struct sa_types *ty, const char *type, uint64_t offset,
			char *path, size_t len)
{
	return ty && ty->ops && ty->ops->member_at && len &&
	       ty->ops->member_at(ty->impl, type, offset, path, len);
}

bool sa_types_print(const struct sa_types *ty, const char *type, const void *bytes,
		    size_t len, FILE *out)
{
	return ty && ty->ops && ty->ops->print &&
	       ty->ops->print(ty->impl, type, bytes, len, out);
}

void sa_types_describe(const struct sa_types *ty, char *buf, size_t len)
{
	if (ty && ty->ops)
		ty->ops->describe(ty->impl, buf, len);
	else
		snprintf(buf, len, "no types");
}

void sa_types_close(struct sa_types *ty)
{
	if (ty && ty->ops)
		ty->ops->close(ty->impl);
	if (ty) {
		ty->ops = NULL;
		ty->impl = NULL;
		ty->kind = SA_TYPES_NONE;
	}
}
