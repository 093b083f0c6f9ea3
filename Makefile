# SPDX-License-Identifier: GPL-2.0-or-later
CC ?= gcc
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror -std=gnu11 -fPIC -Iinclude
CRASH_INCLUDE ?= /usr/include/crash
CRASH_ARCH ?= X86_64
PREFIX ?= /usr
CRASH_EXTDIR ?= $(PREFIX)/lib/crash/extensions

CORE_SRCS := src/target.c src/set.c src/layout.c src/memmap.c src/slub.c \
	     src/cachename.c src/report.c src/cluster.c src/tracks.c \
	     src/signatures.c src/describe.c src/clreport.c src/json.c src/dump.c
CORE_OBJS := $(CORE_SRCS:src/%.c=build/%.o)
UNIT_SRCS := $(wildcard tests/unit/*.c)

SA_SRCS := src/standalone/main.c src/standalone/target.c src/standalone/symtab.c \
	   src/standalone/dwarf.c src/standalone/strmap.c
SA_OBJS := $(SA_SRCS:src/%.c=build/%.o)
SA_LIBS := -lkdumpfile -ldwarf -lelf -lz

all: leakext.so leakscan

build/%.o: src/%.c $(wildcard include/leakext/*.h src/standalone/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# crash's defs.h is not -Wextra clean; it is only seen by the glue.
build/ext-leakext.o: extensions/leakext.c $(wildcard include/leakext/*.h)
	@mkdir -p build
	$(CC) $(CFLAGS) -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers \
		-D$(CRASH_ARCH) -I$(CRASH_INCLUDE) -c -o $@ $<

leakext.so: build/ext-leakext.o $(CORE_OBJS)
	$(CC) -shared -nostartfiles -o $@ $^

# The standalone program: same core, libkdumpfile + libdwarf backend.
build/standalone/%.o: CFLAGS += -Isrc
leakscan: $(SA_OBJS) $(CORE_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(SA_LIBS)

build/unit_tests: $(UNIT_SRCS) $(CORE_OBJS) $(wildcard tests/unit/*.h)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $(UNIT_SRCS) $(CORE_OBJS)

# The corruption sweep: the standalone backend without its main().
SWEEP_SRCS := $(wildcard tests/sweep/*.c)
SWEEP_OBJS := $(filter-out build/standalone/main.o,$(SA_OBJS))
build/sweep: $(SWEEP_SRCS) $(wildcard tests/sweep/*.h) $(SWEEP_OBJS) $(CORE_OBJS)
	$(CC) $(CFLAGS) -Isrc -Itests/sweep -o $@ $(SWEEP_SRCS) $(SWEEP_OBJS) \
		$(CORE_OBJS) $(SA_LIBS)

# make-samples installs every package the build and the tests need.
samples:
	vmcore-samples/make-samples

samples-big:
	vmcore-samples/make-samples S4

check: samples
	$(MAKE) leakext.so leakscan build/unit_tests build/sweep
	tests/run-tests

# Set up everything and run leakscan on the S1 sample.
S1 := vmcore-samples/cache/latest/S1-schedstat-4k

demo: samples
	$(MAKE) leakext.so leakscan
	vmcore-samples/crash-run $(S1) "leakscan" "leakscan kmalloc-4096" \
		"leakdump -k 1 -c 1 -b 128 kmalloc-4096" "help leakscan"
	@echo "== the standalone program on the makedumpfile -c -d 31 dump"
	./leakscan -n 2 $$(awk '$$1 == "vmlinux" { print $$2 }' $(S1)/manifest) \
		$(S1)/vmcore.mkd kmalloc-4096

bench: samples
	$(MAKE) leakext.so leakscan
	tests/bench

install: leakext.so leakscan
	install -D -m 0644 leakext.so $(DESTDIR)$(CRASH_EXTDIR)/leakext.so
	install -D -m 0755 leakscan $(DESTDIR)$(PREFIX)/bin/leakscan

uninstall:
	rm -f $(DESTDIR)$(CRASH_EXTDIR)/leakext.so $(DESTDIR)$(PREFIX)/bin/leakscan

clean:
	rm -rf build leakext.so leakscan

.PHONY: all samples samples-big check demo bench install uninstall clean
