# deskprov — one plain Makefile.  `make run` and `make check` are the two
# commands a newcomer needs; both install missing Debian packages first.

VERSION       = 0.1.0
PORT         ?= 8080
# make run: the config directory to serve, and where its reports go (empty:
# scripts/run-lighttpd picks one per config directory).
DESKPROV_ETC ?= $(CURDIR)/etc
DESKPROV_DATA ?=

# Where `make install` puts things (DESTDIR only stages them).  The
# programs it installs have sysconfdir, datadir and localstatedir compiled
# in as their defaults (see installable below).
PREFIX        ?= /usr/local
DESTDIR       ?=
sysconfdir    ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
localstatedir ?= /var
bindir        ?= $(PREFIX)/bin
sbindir       ?= $(PREFIX)/sbin
libexecdir    ?= $(PREFIX)/lib/deskprov
datadir       ?= $(PREFIX)/share
mandir        ?= $(datadir)/man
docdir        ?= $(datadir)/doc/deskprov
unitdir       ?= $(PREFIX)/lib/systemd/system
tmpfilesdir   ?= $(PREFIX)/lib/tmpfiles.d

PKGS        = fcgi yaml-0.1 libxml-2.0 json-c libcrypto libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) \
              $(shell xmlrpc-c-config --libs 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

CC       ?= cc
CFLAGS   ?= -O2 -g
WARNINGS  = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith -Wcast-qual
DEFINES   = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
            -DDESKPROV_VERSION='"$(VERSION)"'
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
# Daemons: src/<name>d.c -> build/deskprov-<name>d (deskprov-pnpd).
DAEMON_SRC = $(wildcard src/*d.c)
DAEMONS   = $(DAEMON_SRC:src/%.c=build/deskprov-%)

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
        bench-vendors bench-links bench-pnp bench-inproc installable install uninstall clean FORCE
.SUFFIXES:

all: $(FCGI_BIN) $(CLI) $(DAEMONS)

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

build/deskprov-%: src/%.c build/libdeskprov.a
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
	PORT='$(PORT)' DESKPROV_ETC='$(DESKPROV_ETC)' DESKPROV_DATA='$(DESKPROV_DATA)' \
	    scripts/run-lighttpd

bench: deps
	$(MAKE) all
	bench/run

# The same measurement for the Mustache-rendered vendor files (bench/README.md).
bench-vendors: deps
	$(MAKE) all
	bench/vendors

# A personal-link fetch against a plain fetch of the same file (bench/README.md).
bench-links: deps
	$(MAKE) all
	bench/links

# SIP PnP answers per second and the notify rate (bench/README.md).
bench-pnp: deps
	$(MAKE) all
	bench/pnp

# deskprov's own CPU per request, in one process (bench/inproc.c).
build/bench_inproc: bench/inproc.c build/libdeskprov.a
	$(CC) $(ALL_CFLAGS) -o $@ bench/inproc.c build/libdeskprov.a $(PKG_LIBS)

build/bench_ingest: bench/ingest.c build/libdeskprov.a
	$(CC) $(ALL_CFLAGS) -o $@ bench/ingest.c build/libdeskprov.a $(PKG_LIBS)

build/bench_scale: bench/scale.c build/libdeskprov.a
	$(CC) $(ALL_CFLAGS) -o $@ bench/scale.c build/libdeskprov.a $(PKG_LIBS)

bench-inproc: build/bench_inproc
	build/bench_inproc etc schema /reception.xml \
	    'Cisco-CP-6841-3PCC/12.0.1 (001122334455)'
	for f in 001565aabb01.cfg:'Yealink SIP-T46S 66.80.0.# 00:15:65:aa:bb:01' \
	    000413AABB02.xml:'Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.# 2010.12-00004-g9ba52f5 000413AABB02 SXM:0 UXM:0)' \
	    0004f2aabb05-user.cfg:'FileTransport PolycomVVX-VVX_400-UA/5.8.0.# Type/Application' \
	    00085DAABB0B.cfg:'Aastra6867i MAC:00-08-5D-AA-BB-0B V:4.2.0.#-SIP'; do \
	    build/bench_inproc tests/data/vendors/fleet schema "/$${f%%:*}" "$${f#*:}" || exit 1; done

# ---------------------------------------------------------------- install
# The installed programs are a build of their own: build/ serves the
# checkout (./etc, ./schema, ./reports), build/inst/ the directories above.
# Only app.c reads them; build/inst/paths changes when they do, so a
# `make install PREFIX=/usr` after a build for /usr/local recompiles it
# instead of installing programs that look for their schema elsewhere.
INST_DEFINES = -DDESKPROV_ETC_DEFAULT='"$(sysconfdir)/deskprov"' \
               -DDESKPROV_SCHEMA_DEFAULT='"$(datadir)/deskprov/schema"' \
               -DDESKPROV_DATA_DEFAULT='"$(localstatedir)/lib/deskprov"'
INST_FCGI    = $(FCGI_SRC:src/%_fcgi.c=build/inst/cgi-bin/%.fcgi)
INST_PATHS   = $(sysconfdir)/deskprov $(datadir)/deskprov/schema \
               $(localstatedir)/lib/deskprov

FORCE:

build/inst/paths: FORCE
	@mkdir -p $(@D)
	@echo '$(INST_PATHS)' | cmp -s - $@ 2>/dev/null || echo '$(INST_PATHS)' >$@

build/inst/app.o: src/lib/app.c build/inst/paths
	$(CC) $(ALL_CFLAGS) $(INST_DEFINES) -MMD -MP -c -o $@ $<

build/inst/libdeskprov.a: $(filter-out build/obj/app.o,$(LIB_OBJ)) build/inst/app.o
	@rm -f $@
	ar rcs $@ $^

build/inst/cgi-bin/%.fcgi: src/%_fcgi.c build/inst/libdeskprov.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< build/inst/libdeskprov.a $(PKG_LIBS)

build/inst/deskprov: src/deskprov.c build/inst/libdeskprov.a
	$(CC) $(ALL_CFLAGS) -o $@ $< build/inst/libdeskprov.a $(PKG_LIBS)

build/inst/deskprov-%: src/%.c build/inst/libdeskprov.a
	$(CC) $(ALL_CFLAGS) -o $@ $< build/inst/libdeskprov.a $(PKG_LIBS)

# Build as yourself first (make installable PREFIX=...), then `sudo make
# install PREFIX=...` with the same directories only copies.
installable: $(INST_FCGI) build/inst/deskprov $(DAEMONS:build/%=build/inst/%)

# Placeholders the files under dist/ may use for the directories.
SUBST = sed -e 's|@bindir@|$(bindir)|g' -e 's|@sbindir@|$(sbindir)|g' -e 's|@libexecdir@|$(libexecdir)|g' \
            -e 's|@sysconfdir@|$(sysconfdir)|g' -e 's|@localstatedir@|$(localstatedir)|g' \
            -e 's|@datadir@|$(datadir)|g' -e 's|@PREFIX@|$(PREFIX)|g'
D = $(DESTDIR)
# The web servers' examples name the paths of PREFIX=/usr/local and the
# system's /etc and /var: the installed copies name the installed ones.
WEB_EXAMPLES  = apache.conf.example lighttpd.conf.example nginx.conf.example
EXAMPLE_PATHS = sed -e 's|/usr/local/share/deskprov|$(datadir)/deskprov|g' \
                    -e 's|/usr/local/sbin|$(sbindir)|g' \
                    -e 's|/usr/local/lib/deskprov|$(libexecdir)|g' \
                    -e 's|/etc/deskprov|$(sysconfdir)/deskprov|g' \
                    -e 's|/var/lib/deskprov|$(localstatedir)/lib/deskprov|g'

# The sample configuration goes to $(sysconfdir)/deskprov only where there
# is none: an install never overwrites a config file.  Man pages, systemd
# units, tmpfiles.d, sysusers.d, logrotate and fail2ban files are installed
# when the checkout has them (man/, dist/).
install: installable
	install -d $(D)$(bindir) $(D)$(libexecdir)/cgi-bin \
	    $(D)$(datadir)/deskprov/schema $(D)$(datadir)/deskprov/www \
	    $(D)$(docdir)/examples $(D)$(docdir)/vendors $(D)$(sysconfdir)/deskprov
	install -d -m 750 $(D)$(localstatedir)/lib/deskprov
	install -m 755 build/inst/deskprov $(D)$(bindir)/deskprov
	install -d $(D)$(sbindir)
	for f in $(DAEMONS:build/%=build/inst/%); do \
	    install -m 755 $$f $(D)$(sbindir)/ || exit 1; done
	install -m 755 $(INST_FCGI) $(D)$(libexecdir)/cgi-bin/
	install -m 644 schema/schema.yml schema/openapi.json $(D)$(datadir)/deskprov/schema/
	for p in schema/*/pack.yml; do d=$${p%/pack.yml}; \
	    install -d $(D)$(datadir)/deskprov/$$d && \
	    install -m 644 $$d/pack.yml $$d/*.tpl $(D)$(datadir)/deskprov/$$d/ || exit 1; done
	install -m 644 www/* $(D)$(datadir)/deskprov/www/
	install -m 644 README.md docs/*.md $(D)$(docdir)/
	install -m 644 docs/vendors/*.md $(D)$(docdir)/vendors/
	install -m 644 etc/*.yml etc/grafana-dashboard.json etc/prometheus.yml.example \
	    $(D)$(docdir)/examples/
	for f in $(WEB_EXAMPLES); do $(EXAMPLE_PATHS) $$f >$(D)$(docdir)/examples/$$f && \
	    chmod 644 $(D)$(docdir)/examples/$$f || exit 1; done
	for f in etc/*.yml; do t=$(D)$(sysconfdir)/deskprov/$${f#etc/}; \
	    [ -e $$t ] || install -m 640 $$f $$t || exit 1; done
	for f in man/*.[158]; do [ -f "$$f" ] || continue; \
	    install -d $(D)$(mandir)/man$${f##*.} && \
	    install -m 644 $$f $(D)$(mandir)/man$${f##*.}/ || exit 1; done
	$(call install_dist,systemd,$(unitdir))
	$(call install_dist,tmpfiles.d,$(tmpfilesdir))
	$(call install_dist,sysusers.d,$(PREFIX)/lib/sysusers.d)
	$(call install_dist,logrotate.d,$(sysconfdir)/logrotate.d)
	$(call install_dist,fail2ban/filter.d,$(sysconfdir)/fail2ban/filter.d)
	$(call install_dist,fail2ban/jail.d,$(sysconfdir)/fail2ban/jail.d)

# install_dist,SUBDIR,TARGET: dist/SUBDIR/* to TARGET, placeholders filled
# and the default PREFIX's paths (which the units name, so that they verify
# as shipped) replaced by the installed ones.
install_dist = for f in dist/$(1)/*; do [ -f "$$f" ] || continue; \
	    install -d $(D)$(2) && $(SUBST) $$f | $(EXAMPLE_PATHS) \
	        >$(D)$(2)/$${f\#\#*/} && \
	    chmod 644 $(D)$(2)/$${f\#\#*/} || exit 1; done
uninstall_dist = for f in dist/$(1)/*; do [ -f "$$f" ] || continue; \
	    rm -f $(D)$(2)/$${f\#\#*/}; done

# Removes what install put, except configuration an admin changed and the
# data directory when it holds anything (the reports).
uninstall:
	rm -f $(D)$(bindir)/deskprov
	for f in $(DAEMONS:build/%=%); do rm -f $(D)$(sbindir)/$$f; done
	rm -rf $(D)$(libexecdir) $(D)$(datadir)/deskprov $(D)$(docdir)
	for f in etc/*.yml; do t=$(D)$(sysconfdir)/deskprov/$${f#etc/}; \
	    ! cmp -s $$f $$t || rm -f $$t; done
	for f in man/*.[158]; do [ -f "$$f" ] || continue; \
	    rm -f $(D)$(mandir)/man$${f##*.}/$${f#man/}; done
	$(call uninstall_dist,systemd,$(unitdir))
	$(call uninstall_dist,tmpfiles.d,$(tmpfilesdir))
	$(call uninstall_dist,sysusers.d,$(PREFIX)/lib/sysusers.d)
	$(call uninstall_dist,logrotate.d,$(sysconfdir)/logrotate.d)
	$(call uninstall_dist,fail2ban/filter.d,$(sysconfdir)/fail2ban/filter.d)
	$(call uninstall_dist,fail2ban/jail.d,$(sysconfdir)/fail2ban/jail.d)
	rmdir $(D)$(sysconfdir)/deskprov $(D)$(localstatedir)/lib/deskprov 2>/dev/null || true

clean:
	rm -rf build run
	find cgi-bin -name '*.fcgi' -delete

-include $(LIB_OBJ:.o=.d) $(SAN_OBJ:.o=.d) build/inst/app.d
