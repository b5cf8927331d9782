# deskprov — one plain Makefile.  `make run` and `make check` are the two
# commands a newcomer needs; both install missing Debian packages first.

VERSION       = 0.1.0
PREFIX       ?= /usr/local
DESTDIR      ?=
PORT         ?= 8080
DESKPROV_ETC ?= $(CURDIR)/etc
DESKPROV_DATA ?= $(CURDIR)/reports

PKGS        = fcgi yaml-0.1 libxml-2.0 json-c libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

CC       ?= cc
CFLAGS   ?= -O2 -g
WARNINGS  = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith -Wcast-qual
DEFINES   = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DDESKPROV_VERSION='"$(VERSION)"' \
            -DDESKPROV_SCHEMA_DIR='"$(PREFIX)/share/deskprov/schema"'
ALL_CFLAGS = $(WARNINGS) $(DEFINES) -Isrc/lib $(PKG_CFLAGS) $(CFLAGS)
SAN_FLAGS  = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=undefined

LIB_SRC   = $(wildcard src/lib/*.c)
LIB_OBJ   = $(LIB_SRC:src/lib/%.c=build/obj/%.o)
SAN_OBJ   = $(LIB_SRC:src/lib/%.c=build/asan/obj/%.o)
FCGI_SRC  = $(wildcard src/*_fcgi.c)
FCGI_BIN  = $(FCGI_SRC:src/%_fcgi.c=cgi-bin/%.fcgi)
TEST_SRC  = $(filter-out tests/check_main.c,$(wildcard tests/check_*.c))
CLI       = build/deskprov

FUZZ_DRIVERS = $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
# Data beside the checkout, not in it (peer data, the Mustache spec):
# tests that need it skip, visibly and counted, when it is absent.
SHARED       ?= $(CURDIR)/../shared
# The Mustache specification's test files (specs/*.json of
# https://github.com/mustache/spec): skipped when MUSTACHE_SPEC is left at
# its default and $(SHARED) is absent; otherwise it must hold tests.
MUSTACHE_SPEC ?= $(SHARED)/conformance/mustache-spec
FUZZ_SECONDS ?= 60

.PHONY: all deps check unit unit-asan mustache-spec fuzz-replay fuzz e2e run bench \
        bench-vendors bench-inproc install uninstall clean
.SUFFIXES:

all: $(FCGI_BIN) $(CLI)

deps:
	@scripts/deps

build/obj/%.o: src/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

build/asan/obj/%.o: src/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

build/libdeskprov.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/libdeskprov.a: $(SAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

cgi-bin/%.fcgi: src/%_fcgi.c build/libdeskprov.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libdeskprov.a $(PKG_LIBS)

$(CLI): src/deskprov.c build/libdeskprov.a
	$(CC) $(ALL_CFLAGS) -o $@ $< build/libdeskprov.a $(PKG_LIBS)

# Each tests/check_<module>.c defines `Suite *\n<module>_suite(void)` (the
# name at the start of a line); the list of suites is generated so that
# adding a test file is all it takes.
build/suites.h: $(TEST_SRC)
	@mkdir -p $(@D)
	sed -n 's/^\([a-z0-9_]*_suite\)(void)$$/SUITE(\1)/p' $(TEST_SRC) > $@

TEST_HDR  = $(wildcard tests/*.h)

build/check_all: tests/check_main.c $(TEST_SRC) $(TEST_HDR) build/suites.h build/libdeskprov.a
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Ibuild -Itests -o $@ tests/check_main.c \
	    $(TEST_SRC) build/libdeskprov.a $(PKG_LIBS) $(CHECK_LIBS)

build/asan/check_all: tests/check_main.c $(TEST_SRC) $(TEST_HDR) build/suites.h build/asan/libdeskprov.a
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(CHECK_CFLAGS) -Ibuild -Itests -o $@ \
	    tests/check_main.c $(TEST_SRC) build/asan/libdeskprov.a $(PKG_LIBS) $(CHECK_LIBS)

build/mustache_spec: tests/mustache_spec.c build/libdeskprov.a
	$(CC) $(ALL_CFLAGS) -o $@ tests/mustache_spec.c build/libdeskprov.a $(PKG_LIBS)

build/asan/mustache_spec: tests/mustache_spec.c build/asan/libdeskprov.a
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ tests/mustache_spec.c \
	    build/asan/libdeskprov.a $(PKG_LIBS)

mustache-spec: build/mustache_spec build/asan/mustache_spec
	@if [ "$(origin MUSTACHE_SPEC)" = file ] && [ ! -d "$(SHARED)" ]; then \
	    echo "  skip  Mustache spec: no $(SHARED) beside the checkout (or set MUSTACHE_SPEC to the specs/ of https://github.com/mustache/spec)"; \
	    echo "0 passed, 0 failed, 1 skipped"; \
	else \
	    echo "build/mustache_spec $(MUSTACHE_SPEC)"; \
	    build/mustache_spec "$(MUSTACHE_SPEC)" || exit 1; \
	    echo "build/asan/mustache_spec $(MUSTACHE_SPEC)"; \
	    ASAN_OPTIONS=detect_leaks=1 build/asan/mustache_spec "$(MUSTACHE_SPEC)"; \
	fi

unit: build/check_all
	DESKPROV_SHARED=$(SHARED) build/check_all

# One process for the sanitizer run: LeakSanitizer's check at the exit of
# every forked test costs most of a second here; leaks still fail the run.
unit-asan: build/asan/check_all
	CK_FORK=no ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1 \
	    DESKPROV_SHARED=$(SHARED) build/asan/check_all

# Every fuzz driver replays its corpus (seeds and past crashes) under
# ASan+UBSan in `make check`; `make fuzz` fuzzes for real with libFuzzer.
build/asan/replay_%: fuzz/fuzz_%.c fuzz/replay.c build/asan/libdeskprov.a
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $< fuzz/replay.c \
	    build/asan/libdeskprov.a $(PKG_LIBS)

# Each input replayed without a crash counts as a passed test.
fuzz-replay: $(FUZZ_DRIVERS:%=build/asan/replay_%)
	@n=0; for d in $(FUZZ_DRIVERS); do \
	    echo "fuzz corpus $$d:"; \
	    build/asan/replay_$$d fuzz/corpus/$$d/* || \
	        { echo "$$n passed, 1 failed, 0 skipped"; exit 1; }; \
	    n=$$((n + $$(ls fuzz/corpus/$$d | wc -l))); \
	done; echo "$$n passed, 0 failed, 0 skipped"

fuzz:
	@mkdir -p build/fuzz
	@for d in $(FUZZ_DRIVERS); do \
	    clang $(WARNINGS) $(DEFINES) -Isrc/lib $(PKG_CFLAGS) -g -O1 \
	        -fsanitize=fuzzer,address,undefined -o build/fuzz/$$d \
	        fuzz/fuzz_$$d.c $(LIB_SRC) $(PKG_LIBS) || exit 1; \
	    mkdir -p build/fuzz/corpus-$$d; \
	    build/fuzz/$$d -max_total_time=$(FUZZ_SECONDS) \
	        build/fuzz/corpus-$$d fuzz/corpus/$$d || exit 1; \
	done

e2e: all
	tests/e2e/run-all

# Every stage runs, even after one failed, and the last line is one total
# over all of them, "N passed, N failed, N skipped" (tests/total), after
# the list of what was skipped.
CHECK_STAGES = unit unit-asan mustache-spec fuzz-replay e2e

check: deps
	$(MAKE) all build/check_all build/asan/check_all build/mustache_spec \
	    build/asan/mustache_spec $(FUZZ_DRIVERS:%=build/asan/replay_%)
	@rm -rf build/stages
	@for s in $(CHECK_STAGES); do \
	    tests/stage build/stages $$s $(MAKE) --no-print-directory $$s; \
	done; tests/total build/stages $(CHECK_STAGES)

run: deps
	$(MAKE) all
	PORT=$(PORT) DESKPROV_ETC=$(DESKPROV_ETC) DESKPROV_DATA=$(DESKPROV_DATA) scripts/run-lighttpd

bench: deps
	$(MAKE) all
	bench/run

# The same measurement for the Mustache-rendered vendor files (bench/README.md).
bench-vendors: deps
	$(MAKE) all
	bench/vendors

# deskprov's own CPU per request, in one process (bench/inproc.c).
build/bench_inproc: bench/inproc.c build/libdeskprov.a
	$(CC) $(ALL_CFLAGS) -o $@ bench/inproc.c build/libdeskprov.a $(PKG_LIBS)

bench-inproc: build/bench_inproc
	build/bench_inproc etc schema /reception.xml \
	    'Cisco-CP-6841-3PCC/12.0.1 (001122334455)'
	for f in 001565aabb01.cfg:'Yealink SIP-T46S 66.80.0.# 00:15:65:aa:bb:01' \
	    000413AABB02.xml:'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.# 2010.12-00004-g9ba52f5 000413AABB02 SXM:0 UXM:0)' \
	    0004f2aabb05-user.cfg:'FileTransport PolycomVVX-VVX_400-UA/5.8.0.# Type/Application'; do \
	    build/bench_inproc tests/data/vendors/fleet schema "/$${f%%:*}" "$${f#*:}" || exit 1; done

# The schema directory is compiled in: build and install with the same
# PREFIX (`make PREFIX=/usr && make install PREFIX=/usr DESTDIR=...`).
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/deskprov/cgi-bin \
	    $(DESTDIR)$(PREFIX)/share/deskprov/schema $(DESTDIR)$(PREFIX)/share/deskprov/www \
	    $(DESTDIR)$(PREFIX)/share/doc/deskprov/examples
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/deskprov
	install -m 755 $(FCGI_BIN) $(DESTDIR)$(PREFIX)/lib/deskprov/cgi-bin/
	install -m 644 schema/schema.yml $(DESTDIR)$(PREFIX)/share/deskprov/schema/
	for p in schema/*/pack.yml; do d=$$(dirname $$p); \
	    install -d $(DESTDIR)$(PREFIX)/share/deskprov/$$d && \
	    install -m 644 $$d/pack.yml $$d/*.tpl \
	        $(DESTDIR)$(PREFIX)/share/deskprov/$$d/ || exit 1; done
	cp -R www/. $(DESTDIR)$(PREFIX)/share/deskprov/www/
	install -m 644 etc/*.yml etc/grafana-dashboard.json \
	    etc/prometheus.yml.example apache.conf.example \
	    lighttpd.conf.example nginx.conf.example \
	    $(DESTDIR)$(PREFIX)/share/doc/deskprov/examples/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/deskprov
	rm -rf $(DESTDIR)$(PREFIX)/lib/deskprov $(DESTDIR)$(PREFIX)/share/deskprov \
	    $(DESTDIR)$(PREFIX)/share/doc/deskprov

clean:
	rm -rf build run
	find cgi-bin -name '*.fcgi' -delete

-include $(LIB_OBJ:.o=.d) $(SAN_OBJ:.o=.d)
