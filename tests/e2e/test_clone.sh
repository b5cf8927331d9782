#!/bin/bash
# `make check` where a newcomer runs it: a clone in a directory only its
# owner may enter (mode 0700, like a private temporary directory or /root),
# with no ../shared beside it.  Two things broke there:
#  - the unit stage failed on a test that needs ../shared/peer-data, and
#    nothing after it ran; such tests must skip, saying so, and be counted;
#  - the Apache and nginx tests failed with "spawn-fcgi: child exited with:
#    126": their FastCGI processes run as www-data, who cannot enter the
#    clone.
# The clone is the working tree's tracked and new files (what a commit of
# it would hold) in $E2E_TMP/priv/deskprov, with this tree's build products
# copied in so that nothing is rebuilt.  In it run the unit suites that read
# ../shared, the Mustache spec stage, and the Apache, nginx and peer-data
# e2e tests.  The full nested `make check` would double its time.
. "$(dirname "$0")/lib.sh"

command -v git >/dev/null || e2e_skip_all "git is not installed"
git -C "$E2E_TOP" rev-parse --git-dir >/dev/null 2>&1 ||
    e2e_skip_all "$E2E_TOP is not a git checkout: nothing to clone"
[ -x "$E2E_TOP/build/check_all" ] && [ -x "$E2E_TOP/cgi-bin/profile.fcgi" ] ||
    e2e_abort "build first: make all build/check_all"

e2e_init
PRIV=$E2E_TMP/priv
CLONE=$PRIV/deskprov
mkdir -m 700 "$PRIV" || e2e_abort "mkdir $PRIV"
chmod 755 "$E2E_TMP"

# The clone, then the working tree's files over it (mtimes kept, so that
# the copied build products stay newer than their sources).
git clone -q "$E2E_TOP" "$CLONE" >"$E2E_TMP/clone.out" 2>&1 ||
    e2e_abort "git clone: $(cat "$E2E_TMP/clone.out")"
(cd "$E2E_TOP" && git ls-files -z -c -o --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null) |
    tar -xf - -C "$CLONE" || e2e_abort "copy of the working tree"
(cd "$E2E_TOP" && tar -cf - build/libdeskprov.a build/obj build/suites.h \
    build/check_all build/deskprov build/deskprov-*d build/mustache_spec \
    cgi-bin/*.fcgi \
    2>/dev/null) | tar -xf - -C "$CLONE"
check "the clone is in a 0700 directory" \
    test "$(stat -c %a "$PRIV")" = 700
check "no ../shared beside the clone" test ! -e "$PRIV/shared"

# in_clone LOG COMMAND...: runs COMMAND in the clone, its output in LOG.
in_clone() {
	local log=$E2E_TMP/$1
	shift
	(cd "$CLONE" && env -u DESKPROV_PEER_DATA -u MUSTACHE_SPEC \
	    -u DESKPROV_SHARED -u CK_RUN_SUITE "$@") >"$log" 2>&1
}

# Shows the end of a log, indented (never a bare "N passed" line, which
# run-all and `make check` would read as a count).
show_tail() {
	tail -n "${2:-15}" "$E2E_TMP/$1" | sed 's/^/        /'
}

# The closing line of a log: "N passed, N failed[, N skipped]".
closing() {
	grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' \
	    "$E2E_TMP/$1" | tail -1
}

in_clone make.out make --no-print-directory -q all build/check_all
check "the copied build is up to date in the clone (nothing to rebuild)" \
    test $? -eq 0

# ---------------------------------------------------------------- 1. unit
# Every suite that reads ../shared, found by its helper.
suites=$(cd "$E2E_TOP/tests" && grep -l 'tu_shared_dir(' check_*.c |
    sed 's/^check_\(.*\)\.c$/\1/')
check "unit suites that read ../shared found ($(echo $suites))" \
    test -n "$suites"
check "no unit test names ../shared itself (tu_shared_dir does)" \
    test -z "$(grep -l '\.\./shared' "$E2E_TOP"/tests/check_*.c)"
for s in $suites; do
	in_clone "unit-$s.out" env CK_RUN_SUITE="$s" make --no-print-directory unit
	rc=$?
	last=$(closing "unit-$s.out")
	skipped=none
	if [ "$rc" -eq 0 ] && [[ $last =~ ^[0-9]+\ passed,\ 0\ failed,\ ([1-9][0-9]*)\ skipped$ ]]; then
		skipped=${BASH_REMATCH[1]}
		pass "make unit ($s) without ../shared: $last"
	else
		fail "make unit ($s) without ../shared: exit $rc, '$last'"
		show_tail "unit-$s.out"
	fi
	n=$(grep -c "^  skip  tests/check_$s\.c: .*shared/peer-data/.* is not there$" \
	    "$E2E_TMP/unit-$s.out")
	check "make unit ($s): a line per skip, saying what is missing ($n of $skipped)" \
	    test "$n" = "$skipped"
done

# A mistyped suite name ran nothing: that fails, it does not pass.
in_clone unit-typo.out env CK_RUN_SUITE=no_such_suite build/check_all
rc=$?
check "check_all with CK_RUN_SUITE naming no suite fails ($rc)" test "$rc" -ne 0
check "check_all with CK_RUN_SUITE naming no suite: says so" \
    grep -q '^FAIL  no test ran' "$E2E_TMP/unit-typo.out"
check "check_all with CK_RUN_SUITE naming no suite: 1 failed" \
    test "$(closing unit-typo.out)" = "0 passed, 1 failed, 0 skipped"

# ---------------------------------------------------------------- 2. spec
in_clone spec.out make --no-print-directory -o build/mustache_spec \
    -o build/asan/mustache_spec mustache-spec
rc=$?
check "make mustache-spec without ../shared: exit 0 ($rc)" test "$rc" -eq 0
check "make mustache-spec without ../shared: a counted skip" \
    test "$(closing spec.out)" = "0 passed, 0 failed, 1 skipped"
check "make mustache-spec without ../shared: says why" \
    grep -q '^  skip  Mustache spec: no .*shared beside the checkout' \
    "$E2E_TMP/spec.out"
mkdir -p "$E2E_TMP/empty-spec"
in_clone spec-empty.out build/mustache_spec "$E2E_TMP/empty-spec"
rc=$?
check "mustache_spec on an empty directory fails ($rc)" test "$rc" -eq 1
check "mustache_spec on an empty directory: 1 failed" \
    test "$(closing spec-empty.out)" = "0 passed, 1 failed, 0 skipped"

# ---------------------------------------------------------------- 3. e2e
# The web-server tests from the private clone, in a scratch TMPDIR of
# their own (world-enterable, as /tmp is).
mkdir -m 1777 "$E2E_TMP/e2e-tmp"
in_clone e2e.out env TMPDIR="$E2E_TMP/e2e-tmp" E2E_JOBS=2 \
    tests/e2e/run-all tests/e2e/test_apache.sh tests/e2e/test_nginx.sh \
    tests/e2e/test_compat_peer.sh
rc=$?
last=$(closing e2e.out)
if [ "$rc" -eq 0 ] && [[ $last =~ ^[1-9][0-9]*\ passed,\ 0\ failed, ]]; then
	pass "Apache, nginx, peer tests from a 0700 clone: $last"
else
	fail "Apache, nginx, peer tests from a 0700 clone: exit $rc, '$last'"
	grep -E '^(==|PASS|FAIL|SKIP|  FAIL|  note)' "$E2E_TMP/e2e.out" |
	    head -30 | sed 's/^/        /'
fi
check "no 'exited with: 126' from spawn-fcgi" \
    test -z "$(grep -a 'exited with: 126' "$E2E_TMP/e2e.out")"
for t in test_apache test_nginx; do
	check "$t from the clone: PASS" grep -q "^PASS  $t " "$E2E_TMP/e2e.out"
done
if [ "$(id -u)" -eq 0 ] && ! as_user www-data test -x "$CLONE"; then
	n=$(grep -c '^  note  www-data cannot read .* copied to ' "$E2E_TMP/e2e.out")
	check "as root: each web-server test said why it copies the tree ($n)" \
	    test "$n" -eq 2
fi
check "test_compat_peer without ../shared: SKIP, not PASS" \
    grep -q '^SKIP  test_compat_peer (0 passed, 0 failed, 1 skipped' \
    "$E2E_TMP/e2e.out"

e2e_finish
