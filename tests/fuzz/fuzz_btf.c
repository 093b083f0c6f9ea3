// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The BTF type provider (src/standalone/types/btf.c) over raw BTF from the
 * input, as it would come from a dump's __start_BTF..__stop_BTF.  libbpf
 * parses and validates it; then every query the walker and the module
 * symbol reader make must return, in bounds, with a plausible answer, and
 * closing must free everything.  The input may also end in a list of
 * names to ask about (after a 0xff byte), so the fuzzer can reach types
 * it invents.  Debian's libbpf is not instrumented, so coverage guides the
 * fuzzer through leakext's code only; the seeds are valid BTF so that most
 * inputs get past libbpf's checks.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "standalone/types/types.h"

static const char *const queries[][2] = {
	{ "kmem_cache", "cpu_slab" }, { "kmem_cache", "offset" },
	{ "kmem_cache", "node" }, { "kmem_cache", "size" },
	{ "slab", "slab_cache" }, { "list_head", "next" }, { "list_head", "prev" },
	{ "page", "flags" }, { "module", "list" }, { "track", "addr" },
};

static const char *const enumerators[] = { "PG_slab", "PGTY_slab", "N_POSSIBLE" };

static void ask(const struct sa_types *ty, const char *type, const char *member)
{
	long size = sa_types_size(ty, type);
	long offset = sa_types_member_offset(ty, type, member);
	long msize = sa_types_member_size(ty, type, member);

	if (size < -1 || offset < -1 || msize < -1)
		fz_fail("a type answer below -1", type, strlen(type));
}

/* Names after a 0xff byte: "type\0member\0type\0member\0..." */
static void ask_input_names(const struct sa_types *ty, const uint8_t *data, size_t size)
{
	const uint8_t *mark = memchr(data, 0xff, size);
	char names[256];
	size_t len, type_len;

	if (!mark)
		return;
	len = size - (mark + 1 - data);
	if (len >= sizeof(names))
		len = sizeof(names) - 1;
	memcpy(names, mark + 1, len);
	names[len] = '\0';
	type_len = strlen(names);
	ask(ty, names, type_len < len ? names + type_len + 1 : "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sa_types ty = { 0 };
	char err[256], line[256];
	long value;
	size_t i;

	if (sa_types_open_btf_raw(&ty, data, size, err, sizeof(err))) {
		if (!fz_text_is_safe(err, strlen(err)))
			fz_fail("unsafe byte in an error", err, strlen(err));
		return 0;
	}
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
		ask(&ty, queries[i][0], queries[i][1]);
	for (i = 0; i < sizeof(enumerators) / sizeof(enumerators[0]); i++)
		sa_types_enum_value(&ty, enumerators[i], &value);
	ask_input_names(&ty, data, size);
	sa_types_describe(&ty, line, sizeof(line));
	sa_types_close(&ty);
	return 0;
}
