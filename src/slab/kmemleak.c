// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmemleak's records on a dump (kmemleak.h).  Read by type and symbol
 * presence; doc/s10-facts.md has the 6.12 layout.
 */
#include <string.h>

#include "slab/kmemleak.h"

/*
 * SLAB_NOLEAKTRACE: a bit of enum _slab_flag_bits since kernel commit
 * cc61eb851c9a ("mm, slab: use an enum to define SLAB_ cache creation
 * flags", 6.9), where its value depends on the configuration; before, a
 * #define in include/linux/slab.h.  One row per way the kernel spells it.
 */
static const struct {
	const char *enumerator;	/* the bit number's name, or NULL */
	uint64_t value;		/* the flag itself, when enumerator is NULL */
} noleaktrace_rows[] = {
	{ "_SLAB_NOLEAKTRACE", 0 },
	{ NULL, 0x00800000u },	/* include/linux/slab.h before 6.9 */
};

uint64_t lx_noleaktrace_flag(struct lx_session *s)
{
	size_t i;
	long bit;

	for (i = 0; i < sizeof(noleaktrace_rows) / sizeof(noleaktrace_rows[0]); i++) {
		if (!noleaktrace_rows[i].enumerator)
			return noleaktrace_rows[i].value;
		if (lx_enum_value(s->t, noleaktrace_rows[i].enumerator, &bit) &&
		    bit >= 0 && bit < 64)
			return 1ULL << bit;
	}
	return 0;
}

/*
 * mm/kmemleak.c: static struct kmemleak_object
 * mem_pool[CONFIG_DEBUG_KMEMLEAK_MEM_POOL_SIZE], the records made before
 * the kmemleak_object cache exists.
 */
const char *const lx_debug_metadata_symbols[] = { "mem_pool", NULL };
