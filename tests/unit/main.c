// SPDX-License-Identifier: GPL-2.0-or-later
/* Runs every unit test; prints "PASS: name" / "FAIL: name" and a summary. */
#include <string.h>

#include "unit.h"

bool unit_failed;

extern const struct unit_test walker_tests[];
extern const struct unit_test profile_tests[];
extern const struct unit_test slab_walk_tests[];
extern const struct unit_test slab_old_tests[];
extern const struct unit_test cluster_tests[];
extern const struct unit_test integrity_tests[];
extern const struct unit_test slabpipe_tests[];
extern const struct unit_test text_tests[];
extern const struct unit_test modsyms_tests[];
extern const struct unit_test kallsyms_tests[];
extern const struct unit_test sysmap_tests[];
extern const struct unit_test refs_tests[];
extern const struct unit_test ptype_tests[];
extern const struct unit_test command_tests[];
extern const struct unit_test arch_tests[];
extern const struct unit_test cachename_tests[];
extern const struct unit_test word_tests[];
extern const struct unit_test slub32_tests[];
extern const struct unit_test words32_tests[];
extern const struct unit_test json_reader_tests[];
extern const struct unit_test report_reader_tests[];
extern const struct unit_test merge_tests[];
extern const struct unit_test bigalloc_tests[];
extern const struct unit_test match_tests[];
extern const struct unit_test saved_summary_tests[];
extern const struct unit_test kcore_tests[];
extern const struct unit_test elfdump_tests[];
extern const struct unit_test reader_tests[];
extern const struct unit_test alloctag_tests[];
extern const struct unit_test stackdepot_tests[];
extern const struct unit_test pageowner_tests[];
extern const struct unit_test largealloc_tests[];
extern const struct unit_test kmemleak_tests[];
extern const struct unit_test ahead_tests[];
extern const struct unit_test prefetch_tests[];
extern const struct unit_test symtab_tests[];
extern const struct unit_test strmap_tests[];
extern const struct unit_test grow_tests[];

int main(int argc, char **argv)
{
	const struct unit_test *suites[] = { walker_tests, profile_tests, slab_walk_tests,
					     slab_old_tests,
					     integrity_tests, cluster_tests,
					     text_tests, modsyms_tests, kallsyms_tests, sysmap_tests,
					     refs_tests, ptype_tests, arch_tests, cachename_tests,
					     command_tests, word_tests, slub32_tests,
					     words32_tests, json_reader_tests, report_reader_tests,
					     merge_tests, kcore_tests, elfdump_tests, reader_tests, match_tests, saved_summary_tests,
					     alloctag_tests, stackdepot_tests, pageowner_tests,
					     largealloc_tests, kmemleak_tests, ahead_tests,
					     prefetch_tests, slabpipe_tests, bigalloc_tests,
					     symtab_tests, strmap_tests, grow_tests };
	unsigned int passed = 0, failed = 0, i;
	const struct unit_test *t;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		for (t = suites[i]; t->name; t++) {
			if (argc > 1 && !strstr(t->name, argv[1]))
				continue;
			unit_failed = false;
			if (t->fn()) {
				printf("PASS: unit: %s\n", t->name);
				passed++;
			} else {
				printf("FAIL: unit: %s\n", t->name);
				failed++;
			}
		}
	}
	printf("unit: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
