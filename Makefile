# SPDX-License-Identifier: GPL-2.0-or-later
SHELL := /bin/bash
CC ?= gcc
CFLAGS ?= -O2 -g
# Always on, whatever CFLAGS says (make CFLAGS='-O1 -g' keeps them).
LX_CFLAGS := -Wall -Wextra -Werror -std=gnu11 -fPIC
CPPFLAGS += -Iinclude
CRASH_INCLUDE ?= /usr/include/crash
CRASH_ARCH ?= X86_64
PREFIX ?= /usr
CRASH_EXTDIR ?= $(PREFIX)/lib/crash/extensions

# make SANITIZE=1 ...: ASan + UBSan build in build/san/, never mixed with
# the normal objects.
ifeq ($(SANITIZE),1)
B := build/san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	     -fno-omit-frame-pointer
# gcc's sanitizer instrumentation gives false -Wrestrict and similar
# warnings; the normal build keeps -Werror.
SAN_WARN := -Wno-error
SO := $(B)/leakext.so
PROG := $(B)/leakscan
else
B := build
SAN_FLAGS :=
SAN_WARN :=
SO := leakext.so
PROG := leakscan
endif
UNIT := $(B)/unit_tests
COMPILE = $(CC) $(CPPFLAGS) $(LX_CFLAGS) $(CFLAGS) $(SAN_FLAGS) $(SAN_WARN)

# Every list below is derived from the tree: a new .c file in a layer's
# folder joins its build.  The layers (doc/design.md), lowest first.
CORE_DIRS := src/base src/kernel src/slab src/analysis src/report src/command
CORE_SRCS := $(wildcard $(CORE_DIRS:%=%/*.c))
CORE_OBJS := $(CORE_SRCS:%.c=$(B)/%.o)
CORE_LIB := $(B)/libleakext-core.a
# The program's backend: dump readers, type providers, symbol sources.
SA_MAIN := src/standalone/main.c
SA_SRCS := $(filter-out $(SA_MAIN),$(wildcard src/standalone/*.c src/standalone/*/*.c))
SA_OBJS := $(SA_SRCS:%.c=$(B)/%.o)
SA_LIB := $(B)/libleakscan.a
# The crash glue; ptype.c (gdb's ptype /o read back) needs no crash header.
# The extension reads kdump-compressed dumps with the program's page reader.
# Types come from the kernel's BTF in the dump where it has one (btf.c).
EXT_OBJS := $(B)/extensions/leakext.o $(B)/extensions/ptype.o \
	    $(B)/src/standalone/readers/diskdump.o $(B)/src/standalone/readers/ahead.o \
	    $(B)/src/standalone/readers/pagecodec.o \
	    $(B)/src/standalone/types/btf.o $(B)/src/standalone/types/types.o \
	    $(B)/src/standalone/symbols/strmap.o $(B)/src/standalone/bigalloc.o
UNIT_SRCS := $(shell find tests/unit -name "*.c")
# libkdumpfile, libelf, libbpf and libdeflate ship .pc files; Debian's
# libdwarf-dev does not.
PKG_CONFIG ?= pkg-config
# The own reader's page decoders (pagecodec.c): the libraries libkdumpfile uses.
CODEC_LIBS := $(shell $(PKG_CONFIG) --libs libdeflate lzo2 snappy libzstd \
		      2>/dev/null || echo -ldeflate -llzo2 -lsnappy -lzstd)
SA_LIBS := $(shell $(PKG_CONFIG) --libs libkdumpfile libaddrxlat libelf libbpf \
		   2>/dev/null || echo -lkdumpfile -laddrxlat -lelf -lbpf) $(CODEC_LIBS) -ldwarf -lz
# Dependencies on headers come from the compiler (-MMD), per object.
DEPFLAGS = -MMD -MP

all: $(SO) $(PROG)

$(B)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(COMPILE) -Isrc $(DEPFLAGS) -c -o $@ $<

# crash's defs.h is not -Wextra clean; it is only seen by the glue.
$(B)/extensions/leakext.o: extensions/leakext.c
	@mkdir -p $(dir $@)
	$(COMPILE) -Isrc $(DEPFLAGS) -Wno-unused-parameter -Wno-sign-compare \
		-Wno-missing-field-initializers -D$(CRASH_ARCH) -I$(CRASH_INCLUDE) -c -o $@ $<

$(B)/extensions/ptype.o: extensions/ptype.c
	@mkdir -p $(dir $@)
	$(COMPILE) $(DEPFLAGS) -c -o $@ $<

$(CORE_LIB): $(CORE_OBJS)
	rm -f $@
	ar rcsT $@ $^

$(SA_LIB): $(SA_OBJS)
	rm -f $@
	ar rcsT $@ $^

# crash loads many extensions into one process: the .so exports only its
# constructor, so no core symbol can clash with crash's or another's.
$(SO): $(EXT_OBJS) $(CORE_OBJS) extensions/leakext.map
	$(CC) $(SAN_FLAGS) -shared -nostartfiles -Wl,--version-script=extensions/leakext.map \
		-o $@ $(EXT_OBJS) $(CORE_OBJS) $(CODEC_LIBS) -lbpf

# The standalone program: same core, libkdumpfile + libdwarf backend.
$(PROG): $(B)/$(SA_MAIN:.c=.o) $(SA_LIB) $(CORE_LIB)
	$(COMPILE) -o $@ $^ $(SA_LIBS)

# Test programs link the two archives: each takes the objects it uses.
TEST_LINK = $(SA_LIB) $(CORE_LIB) $(SA_LIBS)

$(UNIT): $(UNIT_SRCS) $(B)/extensions/ptype.o $(SA_LIB) $(CORE_LIB) $(wildcard tests/unit/*.h)
	$(COMPILE) -Isrc -Iextensions -Itests/unit -o $@ $(UNIT_SRCS) \
		$(B)/extensions/ptype.o $(TEST_LINK)

# The corruption sweep: the standalone backend without its main().
SWEEP := $(B)/sweep
SWEEP_SRCS := $(wildcard tests/sweep/*.c)
$(SWEEP): $(SWEEP_SRCS) $(wildcard tests/sweep/*.h) $(SA_LIB) $(CORE_LIB)
	$(COMPILE) -Isrc -Itests/sweep -o $@ $(SWEEP_SRCS) $(TEST_LINK)

# Every answer of the BTF provider against the DWARF provider's.
TYPES_COMPARE := $(B)/types_compare
# kallsyms decoded from a real dump against the vmlinux's ELF symbols.
KALLSYMS_CHECK := $(B)/kallsyms_check
# The own dump reader against libkdumpfile, page by page, on a real dump.
READER_COMPARE := $(B)/reader_compare
$(TYPES_COMPARE): tests/types/compare.c $(SA_LIB) $(CORE_LIB)
	$(COMPILE) -Isrc -o $@ $< $(TEST_LINK)
$(KALLSYMS_CHECK): tests/kallsyms/check.c $(SA_LIB) $(CORE_LIB)
	$(COMPILE) -Isrc -o $@ $< $(TEST_LINK)
$(READER_COMPARE): tests/reader/compare.c $(SA_LIB) $(CORE_LIB)
	$(COMPILE) -Isrc -o $@ $< $(TEST_LINK)
# A dump's pages stored again in another encoding (the page decoders' test).
READER_RECODE := $(B)/reader_recode
$(READER_RECODE): tests/reader/recode.c $(SA_LIB) $(CORE_LIB)
	$(COMPILE) -Isrc -o $@ $< $(TEST_LINK)
# A dump's memory as a /proc/kcore file, for the live target's test.
KCORE_FROM_DUMP := $(B)/kcore_from_dump
$(KCORE_FROM_DUMP): tests/live/kcore_from_dump.c $(SA_LIB) $(CORE_LIB)
	$(COMPILE) -Isrc -o $@ $< $(TEST_LINK)

# make-samples installs the packages the build and the samples need;
# tests/install-deps the rest (libdeflate for the own reader, man, pkg-config).
# The samples are cached outside the tree, keyed by release and recipe hash
# (make-samples), so a clean clone on the same machine (CI) reuses them;
# vmcore-samples/cache is a link to that cache.
SAMPLES_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/leakext/samples

vmcore-samples/cache:
	mkdir -p "$(SAMPLES_CACHE)"
	ln -sfn "$(SAMPLES_CACHE)" $@

samples: vmcore-samples/cache
	vmcore-samples/make-samples S1 S2 S3 S6 S5 S8 S9

samples-big: vmcore-samples/cache
	vmcore-samples/make-samples S4

# The 16 GiB scale sample (issue #26): a ~17 GB ELF dump and a 16 GiB TCG
# guest, so never part of samples, check or CI; make bench uses it when it
# was built.
samples-scale: vmcore-samples/cache
	vmcore-samples/make-samples S11

# The crash integration tests load the ASan extension into a crash built
# without it: the ASan runtime is preloaded, and for crash leak checking is
# off (crash does not free what it keeps) as are two interceptor checks that
# trip on crash itself (strstr over its unterminated vmcoreinfo buffer, and
# gdb's malloc/operator delete mix).  The extension's own code stays fully
# checked; the standalone program and the unit tests keep LeakSanitizer on.
CRASH_ASAN_OPTIONS := detect_leaks=0:intercept_strstr=0:alloc_dealloc_mismatch=0
ifeq ($(SANITIZE),1)
CHECK_ENV = LEAKEXT_CRASH_PRELOAD=$$($(CC) -print-file-name=libasan.so) \
	    LEAKEXT_CRASH_ASAN_OPTIONS=$(CRASH_ASAN_OPTIONS) \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
endif

check: samples
	tests/install-deps
	$(MAKE) $(SO) $(PROG) $(UNIT) $(SWEEP) $(TYPES_COMPARE) $(KALLSYMS_CHECK) \
		$(READER_COMPARE) $(READER_RECODE) $(KCORE_FROM_DUMP)
	LEAKEXT_SO=$(SO) LEAKEXT_LEAKSCAN=./$(PROG) LEAKEXT_UNIT_TESTS=$(UNIT) \
		LEAKEXT_SWEEP_PROGRAM=$(SWEEP) LEAKEXT_TYPES_COMPARE=$(TYPES_COMPARE) \
		LEAKEXT_KALLSYMS_CHECK=$(KALLSYMS_CHECK) LEAKEXT_READER_COMPARE=$(READER_COMPARE) \
		LEAKEXT_KCORE_FROM_DUMP=$(KCORE_FROM_DUMP) LEAKEXT_READER_RECODE=$(READER_RECODE) \
		$(CHECK_ENV) tests/run-tests

# Set up everything and run leakscan on the S1 sample.
S1 := vmcore-samples/cache/latest/S1-schedstat-4k

demo: samples
	tests/install-deps
	$(MAKE) leakext.so leakscan
	vmcore-samples/crash-run $(S1) "leakscan" "leakscan kmalloc-4096" \
		"leakdump -k 1 -c 1 -b 128 kmalloc-4096" "help leakscan"
	@echo "== the standalone program on the makedumpfile -c -d 31 dump, no debuginfo"
	@echo "== (types from the dump's BTF, symbols from its kallsyms)"
	./leakscan -n 2 --stats $(S1)/vmcore.mkd kmalloc-4096

# leakscan's main job beside drgn and crash, and the floor (tests/bench).
BENCH_FLOOR := build/bench_floor
$(BENCH_FLOOR): tests/benchmark/floor.c build/libleakscan.a build/libleakext-core.a
	$(CC) $(CPPFLAGS) -Isrc $(LX_CFLAGS) $(CFLAGS) -o $@ $^ $(SA_LIBS)

# S1 and S8-arm64 always; S4 (make samples-big) and S11 (make
# samples-scale), the benchmark-only samples, when they were built:
# S1, S4 and S11 show how the cost grows with live objects and with RAM.
S4 := vmcore-samples/cache/latest/S4-bigleak
S11 := vmcore-samples/cache/latest-scale/S11-scale

bench: samples
	tests/install-deps
	$(MAKE) leakext.so leakscan $(BENCH_FLOOR)
	tests/bench
	tests/bench vmcore-samples/cache/latest-arm64/S8-arm64
	if [ -f $(S4)/manifest ]; then tests/bench -r 5 $(S4); fi
	if [ -f $(S11)/manifest ]; then tests/bench -r 3 $(S11); fi

MANDIR ?= $(PREFIX)/share/man

install: leakext.so leakscan
	install -D -m 0644 leakext.so $(DESTDIR)$(CRASH_EXTDIR)/leakext.so
	install -D -m 0755 leakscan $(DESTDIR)$(PREFIX)/bin/leakscan
	install -D -m 0644 doc/leakscan.1 $(DESTDIR)$(MANDIR)/man1/leakscan.1
	install -D -m 0644 doc/leakext.8 $(DESTDIR)$(MANDIR)/man8/leakext.8

uninstall:
	rm -f $(DESTDIR)$(CRASH_EXTDIR)/leakext.so $(DESTDIR)$(PREFIX)/bin/leakscan \
		$(DESTDIR)$(MANDIR)/man1/leakscan.1 $(DESTDIR)$(MANDIR)/man8/leakext.8

# libFuzzer harnesses (tests/fuzz/), clang with ASan + UBSan.
FUZZ_CC ?= clang
FUZZ_CFLAGS ?= -O1 -g
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	    -fno-omit-frame-pointer
FUZZ_COMPILE = $(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -std=gnu11 -Wall \
	       -Iinclude -Isrc -Itests/unit -Itests/fuzz
FUZZERS := fuzz_walker fuzz_commands fuzz_cluster fuzz_json fuzz_modsyms fuzz_btf \
	   fuzz_kallsyms fuzz_diskdump fuzz_sysmap fuzz_report_reader fuzz_kcore fuzz_elfdump \
	   fuzz_alloctag fuzz_pageowner fuzz_kmemleak
FUZZ_BINS := $(FUZZERS:%=build/fuzz/%)
FO := build/fuzz/obj
FUZZ_CORE_LIB := build/fuzz/libleakext-core.a
FUZZ_SA_LIB := build/fuzz/libleakscan.a
# fuzz_util.o and the synthetic targets, for every harness that wants them.
FUZZ_UTIL := $(FO)/tests/fuzz/fuzz_util.o
FUZZ_FAKE := $(FO)/tests/unit/fake_target.o $(FO)/tests/unit/fake_slab.o
FUZZ_FLAT := $(FO)/tests/unit/flat_target.o
FUZZ_LINK = $(FUZZ_SA_LIB) $(FUZZ_CORE_LIB) $(SA_LIBS)
FUZZ_SECONDS ?= 60

$(FO)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_COMPILE) $(DEPFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# The synthetic targets are scaffolding, not code under test: sanitized but
# without coverage, so their name lookups feed libFuzzer nothing.
$(FO)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_COMPILE) $(DEPFLAGS) -c -o $@ $<

$(FO)/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_COMPILE) $(DEPFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# fuzz_walker's image through every command (see tests/fuzz/fuzz_walker.c).
$(FO)/tests/fuzz/fuzz_commands.o: tests/fuzz/fuzz_walker.c
	@mkdir -p $(dir $@)
	$(FUZZ_COMPILE) $(DEPFLAGS) -DFUZZ_COMMANDS -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_CORE_LIB): $(CORE_SRCS:%.c=$(FO)/%.o)
	rm -f $@
	ar rcsT $@ $^

$(FUZZ_SA_LIB): $(SA_SRCS:%.c=$(FO)/%.o)
	rm -f $@
	ar rcsT $@ $^

# Each harness: its own object, the scaffolding it names, then the archives.
build/fuzz/fuzz_walker build/fuzz/fuzz_cluster build/fuzz/fuzz_commands: $(FUZZ_FAKE)
build/fuzz/fuzz_modsyms build/fuzz/fuzz_kallsyms: $(FUZZ_FLAT)
build/fuzz/fuzz_alloctag: $(FUZZ_FAKE) $(FO)/tests/unit/fake_alloctag.o \
	$(FO)/tests/unit/fixture.o $(FO)/tests/fuzz/fuzz_fake.o
build/fuzz/fuzz_pageowner: $(FUZZ_FAKE) $(FO)/tests/unit/fake_alloctag.o \
	$(FO)/tests/unit/fixture.o $(FO)/tests/unit/fake_depot.o \
	$(FO)/tests/unit/fake_pageowner.o $(FO)/tests/fuzz/fuzz_fake.o
build/fuzz/fuzz_kmemleak: $(FUZZ_FAKE) $(FO)/tests/unit/fake_kmemleak.o \
	$(FO)/tests/unit/fake_depot.o $(FO)/tests/unit/fixture.o $(FO)/tests/fuzz/fuzz_fake.o
build/fuzz/%: $(FO)/tests/fuzz/%.o $(FUZZ_UTIL) $(FUZZ_SA_LIB) $(FUZZ_CORE_LIB)
	$(FUZZ_COMPILE) -fsanitize=fuzzer -o $@ $(filter %.o,$^) $(FUZZ_LINK)

fuzz: $(FUZZ_BINS)

# Each harness for FUZZ_SECONDS on a copy of its corpus (the committed corpus
# is never written); any crash, leak or time-out fails.  Reproducers go to
# build/fuzz/artifacts/.
fuzz-run: fuzz
	@mkdir -p build/fuzz/artifacts
	@set -e; for f in $(FUZZERS); do \
		rm -rf build/fuzz/run/$$f; mkdir -p build/fuzz/run/$$f; \
		cp tests/fuzz/corpus/$$f/* build/fuzz/run/$$f/; \
		dict=; [ -f tests/fuzz/$$f.dict ] && dict=-dict=tests/fuzz/$$f.dict; \
		echo "== $$f, $(FUZZ_SECONDS) s"; \
		build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -timeout=30 \
			-print_final_stats=1 $$dict \
			-artifact_prefix=build/fuzz/artifacts/$$f- \
			build/fuzz/run/$$f 2>&1 | grep -E '^(#|==|INFO: A corpus|stat::number_of_executed_units|SUMMARY|ERROR|fuzz oracle)' | tail -n 8; \
		[ $${PIPESTATUS[0]} -eq 0 ] || { echo "FAIL: $$f found a crash (build/fuzz/artifacts/)"; exit 1; }; \
	done

clean:
	rm -rf build leakext.so leakscan

# Header dependencies the compiler wrote (-MMD).
-include $(shell find build -name '*.d' 2>/dev/null)

.PHONY: all samples samples-big samples-scale check demo bench install uninstall clean fuzz fuzz-run

# Objects that pattern rules make stay: a second make rebuilds nothing.
.SECONDARY:
