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

CORE_SRCS := src/target.c src/set.c src/layout.c src/memmap.c src/slub.c \
	     src/cachename.c src/report.c src/cluster.c src/tracks.c \
	     src/signatures.c src/describe.c src/clreport.c src/json.c src/dump.c \
	     src/text.c src/heap.c src/roots.c src/refs.c src/refreport.c src/holders.c src/netview.c \
	     src/cachetypes.c src/ptype.c
CORE_OBJS := $(CORE_SRCS:src/%.c=$(B)/%.o)
UNIT_SRCS := $(wildcard tests/unit/*.c)

SA_SRCS := src/standalone/main.c src/standalone/target.c src/standalone/symtab.c \
	   src/standalone/dwarf.c src/standalone/strmap.c \
	   src/standalone/modsyms.c src/standalone/files.c \
	   src/standalone/types.c src/standalone/btf.c src/standalone/kdump.c \
	   src/standalone/kallsyms.c src/standalone/reader.c src/standalone/diskdump.c
SA_OBJS := $(SA_SRCS:src/%.c=$(B)/%.o)
# libkdumpfile, libelf, libbpf and libdeflate ship .pc files; Debian's
# libdwarf-dev does not.
PKG_CONFIG ?= pkg-config
SA_LIBS := $(shell $(PKG_CONFIG) --libs libkdumpfile libaddrxlat libelf libbpf libdeflate \
		   2>/dev/null || echo -lkdumpfile -laddrxlat -lelf -lbpf -ldeflate) -ldwarf -lz

all: $(SO) $(PROG)

$(B)/%.o: src/%.c $(wildcard include/leakext/*.h src/standalone/*.h)
	@mkdir -p $(dir $@)
	$(COMPILE) -c -o $@ $<

# crash's defs.h is not -Wextra clean; it is only seen by the glue.
$(B)/ext-leakext.o: extensions/leakext.c $(wildcard include/leakext/*.h)
	@mkdir -p $(B)
	$(COMPILE) -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers \
		-D$(CRASH_ARCH) -I$(CRASH_INCLUDE) -c -o $@ $<

# crash loads many extensions into one process: the .so exports only its
# constructor, so no core symbol can clash with crash's or another's.
$(SO): $(B)/ext-leakext.o $(CORE_OBJS) extensions/leakext.map
	$(CC) $(SAN_FLAGS) -shared -nostartfiles -Wl,--version-script=extensions/leakext.map \
		-o $@ $(B)/ext-leakext.o $(CORE_OBJS)

# The standalone program: same core, libkdumpfile + libdwarf backend.
$(B)/standalone/%.o: CPPFLAGS += -Isrc
$(PROG): $(SA_OBJS) $(CORE_OBJS)
	$(COMPILE) -o $@ $^ $(SA_LIBS)

# The unit tests also cover the standalone parts that need no libraries.
UNIT_SA_OBJS := $(B)/standalone/modsyms.o $(B)/standalone/symtab.o \
		$(B)/standalone/strmap.o $(B)/standalone/kallsyms.o
$(UNIT): $(UNIT_SRCS) $(CORE_OBJS) $(UNIT_SA_OBJS) $(wildcard tests/unit/*.h)
	$(COMPILE) -Isrc -Itests/unit -o $@ $(UNIT_SRCS) $(CORE_OBJS) $(UNIT_SA_OBJS)

# The corruption sweep: the standalone backend without its main().
SWEEP := $(B)/sweep
SWEEP_SRCS := $(wildcard tests/sweep/*.c)
SWEEP_OBJS := $(filter-out $(B)/standalone/main.o,$(SA_OBJS))
$(SWEEP): $(SWEEP_SRCS) $(wildcard tests/sweep/*.h) $(SWEEP_OBJS) $(CORE_OBJS)
	$(COMPILE) -Isrc -Itests/sweep -o $@ $(SWEEP_SRCS) $(SWEEP_OBJS) \
		$(CORE_OBJS) $(SA_LIBS)

# Every answer of the BTF provider against the DWARF provider's.
TYPES_COMPARE := $(B)/types_compare
TYPES_COMPARE_OBJS := $(B)/standalone/types.o $(B)/standalone/btf.o \
		      $(B)/standalone/dwarf.o $(B)/standalone/strmap.o $(B)/target.o \
		      $(B)/text.o
$(TYPES_COMPARE): tests/types/compare.c $(TYPES_COMPARE_OBJS)
	$(COMPILE) -Isrc -o $@ $^ $(SA_LIBS)

# kallsyms decoded from a real dump against the vmlinux's ELF symbols.
KALLSYMS_CHECK := $(B)/kallsyms_check
KALLSYMS_CHECK_OBJS := $(B)/standalone/kallsyms.o $(B)/standalone/symtab.o \
		       $(B)/standalone/strmap.o $(B)/standalone/kdump.o \
		       $(B)/standalone/files.o $(B)/text.o
$(KALLSYMS_CHECK): tests/kallsyms/check.c $(KALLSYMS_CHECK_OBJS)
	$(COMPILE) -Isrc -o $@ $< $(KALLSYMS_CHECK_OBJS) $(SA_LIBS)

# The own dump reader against libkdumpfile, page by page, on a real dump.
READER_COMPARE := $(B)/reader_compare
READER_COMPARE_OBJS := $(B)/standalone/reader.o $(B)/standalone/diskdump.o \
		       $(B)/standalone/kdump.o $(B)/standalone/files.o $(B)/text.o
$(READER_COMPARE): tests/reader/compare.c $(READER_COMPARE_OBJS)
	$(COMPILE) -Isrc -o $@ $< $(READER_COMPARE_OBJS) $(SA_LIBS)

# make-samples installs the packages the build and the samples need;
# tests/install-deps the rest (libdeflate for the own reader, man, pkg-config).
samples:
	vmcore-samples/make-samples S1 S2 S3 S6 S5

samples-big:
	vmcore-samples/make-samples S4

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
		$(READER_COMPARE)
	LEAKEXT_SO=$(SO) LEAKEXT_LEAKSCAN=./$(PROG) LEAKEXT_UNIT_TESTS=$(UNIT) \
		LEAKEXT_SWEEP_PROGRAM=$(SWEEP) LEAKEXT_TYPES_COMPARE=$(TYPES_COMPARE) \
		LEAKEXT_KALLSYMS_CHECK=$(KALLSYMS_CHECK) LEAKEXT_READER_COMPARE=$(READER_COMPARE) \
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
$(BENCH_FLOOR): tests/benchmark/floor.c build/standalone/kdump.o \
		build/standalone/files.o build/standalone/reader.o \
		build/standalone/diskdump.o build/text.o
	$(CC) $(CPPFLAGS) -Isrc $(LX_CFLAGS) $(CFLAGS) -o $@ $^ $(SA_LIBS)

bench: samples
	tests/install-deps
	$(MAKE) leakext.so leakscan $(BENCH_FLOOR)
	tests/bench

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
	       -Iinclude -Isrc -Itests/unit
FUZZERS := fuzz_walker fuzz_commands fuzz_cluster fuzz_json fuzz_modsyms fuzz_btf \
	   fuzz_kallsyms fuzz_diskdump
FUZZ_BINS := $(FUZZERS:%=build/fuzz/%)
FUZZ_CORE := $(CORE_SRCS:src/%.c=build/fuzz/obj/%.o) build/fuzz/obj/fuzz_util.o
FUZZ_FAKE := build/fuzz/obj/fake_target.o
FUZZ_MODSYMS := build/fuzz/obj/standalone/modsyms.o \
		build/fuzz/obj/standalone/symtab.o build/fuzz/obj/standalone/strmap.o
FUZZ_KALLSYMS := build/fuzz/obj/standalone/kallsyms.o \
		 build/fuzz/obj/standalone/symtab.o build/fuzz/obj/standalone/strmap.o
FUZZ_SECONDS ?= 60
FUZZ_HEADERS := $(wildcard include/leakext/*.h src/standalone/*.h tests/unit/*.h \
		tests/fuzz/*.h)

build/fuzz/obj/%.o: src/%.c $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_COMPILE) -fsanitize=fuzzer-no-link -c -o $@ $<

# The synthetic targets are scaffolding, not code under test: sanitized but
# without coverage, so their name lookups feed libFuzzer nothing.
build/fuzz/obj/%.o: tests/unit/%.c $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_COMPILE) -c -o $@ $<

build/fuzz/obj/%.o: tests/fuzz/%.c $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_COMPILE) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_walker build/fuzz/fuzz_cluster: build/fuzz/%: \
		build/fuzz/obj/%.o $(FUZZ_CORE) $(FUZZ_FAKE)
	$(FUZZ_COMPILE) -fsanitize=fuzzer -o $@ $^

# fuzz_walker's image through every command (see tests/fuzz/fuzz_walker.c).
build/fuzz/obj/fuzz_commands.o: tests/fuzz/fuzz_walker.c $(FUZZ_HEADERS)
	@mkdir -p $(dir $@)
	$(FUZZ_COMPILE) -DFUZZ_COMMANDS -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_commands: build/fuzz/obj/fuzz_commands.o $(FUZZ_CORE) $(FUZZ_FAKE)
	$(FUZZ_COMPILE) -fsanitize=fuzzer -o $@ $^

build/fuzz/fuzz_json: build/fuzz/obj/fuzz_json.o $(FUZZ_CORE)
	$(FUZZ_COMPILE) -fsanitize=fuzzer -o $@ $^

build/fuzz/fuzz_modsyms: build/fuzz/obj/fuzz_modsyms.o build/fuzz/obj/flat_target.o \
		$(FUZZ_CORE) $(FUZZ_MODSYMS)
	$(FUZZ_COMPILE) -fsanitize=fuzzer -o $@ $^

FUZZ_BTF := build/fuzz/obj/standalone/btf.o build/fuzz/obj/standalone/types.o \
	    build/fuzz/obj/standalone/strmap.o
build/fuzz/fuzz_btf: build/fuzz/obj/fuzz_btf.o $(FUZZ_CORE) $(FUZZ_BTF)
	$(FUZZ_COMPILE) -fsanitize=fuzzer -o $@ $^ -lbpf

build/fuzz/fuzz_kallsyms: build/fuzz/obj/fuzz_kallsyms.o build/fuzz/obj/flat_target.o \
		build/fuzz/obj/fuzz_util.o $(FUZZ_KALLSYMS)
	$(FUZZ_COMPILE) -fsanitize=fuzzer -o $@ $^

build/fuzz/fuzz_diskdump: build/fuzz/obj/fuzz_diskdump.o build/fuzz/obj/fuzz_util.o \
		build/fuzz/obj/standalone/diskdump.o
	$(FUZZ_COMPILE) -fsanitize=fuzzer -o $@ $^ -ldeflate -lz

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

.PHONY: all samples samples-big check demo bench install uninstall clean fuzz fuzz-run
