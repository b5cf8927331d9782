#!/bin/bash
# The command-line tool as a user meets it (issue 10, C and A6): help on
# stdout with exit 0, usage errors on stderr with exit 2, --version, log
# lines only with -v, every error once on one line prefixed "deskprov:",
# `files` listing what a phone fetches, friendlier config errors, and the
# warnings about misspelled keys of a Cisco phone, which --strict refuses.
# No server: the tool alone, over copies of the shipped configurations.
. "$(dirname "$0")/lib.sh"

e2e_init
CLI=$E2E_TOP/build/deskprov
[ -x "$CLI" ] || e2e_abort "build/deskprov is not built (make)"
export DESKPROV_SCHEMA_DIR=$E2E_TOP/schema DESKPROV_DATA=$E2E_TMP/data
unset DESKPROV_ETC
OUT=$E2E_TMP/cli.out ERR=$E2E_TMP/cli.err

# cli ARGS...: runs the tool; RC, OUT and ERR describe what it did.
cli() {
	"$CLI" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}
lines() { wc -l <"$1" | tr -d ' '; }
# One error line, "deskprov: " first, and nothing else on stderr.
one_error() {
	[ "$(lines "$ERR")" -eq 1 ] && grep -q '^deskprov: ' "$ERR"
}

# ------------------------------------------------------------ help, version
cli --help
check "--help: exit 0" test "$RC" -eq 0
check "--help: on stdout, every command" grep -q '^  deskprov files PHONE' "$OUT"
check "--help: nothing on stderr" test ! -s "$ERR"
for c in check files render explain compare version; do
	cli "$c" --help
	check "$c --help: exit 0, its usage on stdout" eval \
	    '[ "$RC" -eq 0 ] && grep -q "^usage: deskprov $c" "$OUT" && [ ! -s "$ERR" ]'
done
cli schema verify -h
check "schema verify -h: exit 0, its usage" eval \
    '[ "$RC" -eq 0 ] && grep -q "^usage: deskprov schema verify" "$OUT"'
cli --version
check "--version: exit 0, deskprov X.Y.Z" eval \
    '[ "$RC" -eq 0 ] && grep -Eq "^deskprov [0-9]+\.[0-9]+" "$OUT"'
cli
check "no command: exit 2" test "$RC" -eq 2
check "no command: error and usage on stderr, nothing on stdout" eval \
    'grep -q "^deskprov: which command" "$ERR" && [ ! -s "$OUT" ]'
cli frobnicate
check "unknown command: exit 2" test "$RC" -eq 2
check "unknown command: named" grep -q "^deskprov: unknown command 'frobnicate'" "$ERR"
cli check a b
check "check with two directories: exit 2, the check usage" eval \
    '[ "$RC" -eq 2 ] && grep -q "^usage: deskprov check" "$ERR"'

# ------------------------------------------------------------ check and -v
e2e_copy_etc "$E2E_TOP/etc"
cli check "$E2E_ETC"
check "check: exit 0" test "$RC" -eq 0
check "check: one result line on stdout" eval \
    '[ "$(lines "$OUT")" -eq 1 ] && grep -q "^ok: " "$OUT"'
check "check: no log line without -v" test ! -s "$ERR"
cli -v check "$E2E_ETC"
check "check -v: the config-loaded log line" grep -q 'level=info msg="config loaded' "$ERR"
cli check "$E2E_ETC" --verbose
check "check --verbose after the command: the same" grep -q 'level=info' "$ERR"

# ------------------------------------------------------------ errors, once
cli check "$E2E_TMP/nowhere"
check "check of a missing directory: exit 1" test "$RC" -eq 1
check "check of a missing directory: one error line $(head -c 200 "$ERR")" one_error
cp "$E2E_ETC/phones.yml" "$E2E_TMP/phones.good"
printf 'phones:\n  desk:\n\tmac: "00:11:22:33:44:55"\n' >"$E2E_ETC/phones.yml"
cli check "$E2E_ETC"
check "a tab: exit 1" test "$RC" -eq 1
check "a tab: one error line" one_error
check "a tab: file:line and a plain hint" grep -q \
    '^deskprov: .*/etc: phones.yml:3:1: .*YAML indents with spaces only' "$ERR"
printf 'phones:\n  desk:\n    mac: "00:11:22:33:44:55"\n    model: a: b\n' \
    >"$E2E_ETC/phones.yml"
cli check "$E2E_ETC"
check "a value holding ': ': the hint" grep -q \
    "phones.yml:4:.*mapping values are not allowed.*must be put in quotes" "$ERR"
printf 'phones:\n  desk:\n    mac: "00:11:22:33:44:55"\n      model: x\n' \
    >"$E2E_ETC/phones.yml"
cli check "$E2E_ETC"
check "a key indented deeper: the hint" grep -q \
    "phones.yml:4:.*the keys of one mapping must start in the same column" "$ERR"
printf 'phones:\n  desk:\n    mac: "00:15:65:aa:bb:01"\n    vendor: yelink\n    model: T46S\n' \
    >"$E2E_ETC/phones.yml"
cli check "$E2E_ETC"
check "a misspelled vendor: one error line" one_error
check "a misspelled vendor: did you mean, and the packs" grep -q \
    "^deskprov: .*/etc: phones.yml:4: phone 'desk': no vendor pack 'yelink' (did you mean 'yealink'?); the packs: .*snom" "$ERR"
printf 'phones:\n  desk:\n    mac: "00:15:65:aa:bb:01"\n    vendor: yealink\n    model: T64S\n' \
    >"$E2E_ETC/phones.yml"
cli check "$E2E_ETC"
check "a misspelled model: did you mean, and the models" grep -q \
    "^deskprov: .*/etc: phones.yml:5: phone 'desk': no model 'T64S' in the yealink catalogue (did you mean 'T46S'?); its models: " "$ERR"
(cd "$E2E_TMP" && cli check ./etc/../etc)
check "the directory as the user wrote it" grep -q '^deskprov: \./etc/\.\./etc: phones.yml:' "$ERR"
cp "$E2E_TMP/phones.good" "$E2E_ETC/phones.yml"
cli files nosuch --etc "$E2E_ETC"
check "files of an unknown phone: exit 1, one error line" eval \
    '[ "$RC" -eq 1 ] && one_error && grep -q "no phone .nosuch." "$ERR"'

# ------------------------------------------------------------ A6: typos
{ cat "$E2E_TMP/phones.good"; printf '  typo-desk:\n    mac: "00:11:22:33:44:99"\n    ip_adress: 192.0.2.99\n    Staton_Name: Typo\n'; } \
    >"$E2E_ETC/phones.yml"
line_ip=$(grep -n 'ip_adress' "$E2E_ETC/phones.yml" | cut -d: -f1)
cli check "$E2E_ETC"
check "misspelled keys: still exit 0" test "$RC" -eq 0
check "misspelled keys: ok, with warnings" grep -q '^ok: .*with warnings' "$OUT"
check "ip_adress: file:line and did you mean ip_address" grep -q \
    "^deskprov: warning: phones.yml:$line_ip: phone 'typo-desk': unknown key 'ip_adress', sent to the phone as a parameter (did you mean 'ip_address'?)$" "$ERR"
check "Staton_Name: did you mean Station_Name" grep -q \
    "^deskprov: warning: phones.yml:$((line_ip + 1)): .*'Staton_Name'.*(did you mean 'Station_Name'?)$" "$ERR"
cli check "$E2E_ETC" --strict
check "check --strict: exit 1 on warnings" test "$RC" -eq 1
check "check --strict: says why" grep -q '^deskprov: 2 warnings, refused by --strict$' "$ERR"
check "check --strict: no ok line" test ! -s "$OUT"
cp "$E2E_TMP/phones.good" "$E2E_ETC/phones.yml"
cli check --strict "$E2E_ETC"
check "check --strict without warnings: exit 0" test "$RC" -eq 0

# ------------------------------------------------------------ files
FLEET=$E2E_TOP/tests/data/vendors/fleet
cli files yealink-desk --etc "$FLEET"
check "files (yealink): exit 0" test "$RC" -eq 0
check "files (yealink): boot order, each rendered" eval '[ "$(grep -o "^  rendered  *[^ ]*" "$OUT" | awk "{print \$2}" | paste -sd" ")" = \
    "/001565aabb01.boot /y000000000000.boot /y000000000066.cfg /y00000000066.cfg /001565aabb01.cfg /001565aabb01-phonebook.xml" ]'
check "files (yealink): the firmware" grep -q \
    '^  firmware  *http://prov.example.net/fw/T46S-66.86.0.15.rom  (version 66.86.0.15)$' "$OUT"
# The names are the ones the server answers: each renders the same bytes.
"$CLI" render yealink-desk y000000000066.cfg --etc "$FLEET" --ip 127.0.0.1 \
    >"$E2E_TMP/render.out" 2>&1
check "files (yealink): the server answers the model file" \
    grep -q '^Status: 200' "$E2E_TMP/render.out"
cli files 00:15:65:AA:BB:01 --etc "$FLEET"
check "files by MAC: the same phone" grep -q '^phone yealink-desk ' "$OUT"
cli files reception --etc "$E2E_ETC"
check "files (Cisco): its profile by MAC and by name" eval \
    'grep -q "^  rendered  */001122334455.xml" "$OUT" && grep -q "^  rendered  */reception.xml" "$OUT"'
check "files (Cisco): a firmware line" grep -Eq '^  (firmware|not configured|depends) ' "$OUT"
cli files
check "files without a phone: exit 2" test "$RC" -eq 2

# ------------------------------------------------------------ explain: zones
# A Gigaset N670/N870 takes only its own zone names: explain says which
# one the device's zone became and why (issue 15).
e2e_copy_etc "$FLEET"
sed -i 's|timezone: Europe/Rome|timezone: Africa/Ceuta|' "$E2E_ETC/devices.yml"
cli explain gigaset-desk --etc "$E2E_ETC"
check "explain (Gigaset N870): the zone chosen from its list, and why" grep -Eq \
    '^  vendor_zone +pack +Europe/Amsterdam \(same rules, from Europe/Amsterdam in maps.zones\)$' "$OUT"
cli explain snom-desk --etc "$FLEET"
check "explain (Snom): a listed zone's own code" grep -Eq \
    '^  vendor_zone +pack +ITA\+1 \(listed, from Europe/Rome in maps.zones\)$' "$OUT"

# ------------------------------------------------------------ render errors
e2e_copy_etc "$FLEET"
mkdir -p "$E2E_ETC/templates"
printf '#!version:1.0.0.1\nthis is not a setting\n' >"$E2E_ETC/templates/001565aabb01.cfg.tpl"
cli check "$E2E_ETC"
check "a broken template: check exits 1" test "$RC" -eq 1
check "a broken template: the phone and template, prefixed" grep -q \
    '^deskprov: phone yealink-desk: template templates/001565aabb01.cfg.tpl' "$ERR"
cli files yealink-desk --etc "$E2E_ETC"
check "files with a broken template: exit 1, render error" eval \
    '[ "$RC" -eq 1 ] && grep -q "^  render error  */001565aabb01.cfg" "$OUT"'
cli render yealink-desk 001565aabb01.cfg --etc "$E2E_ETC" --ip 127.0.0.1
check "render of a broken file: one error line $(head -c 300 "$ERR")" eval \
    '[ "$RC" -eq 1 ] && one_error && grep -q "template" "$ERR"'
cli -v render yealink-desk 001565aabb01.cfg --etc "$E2E_ETC" --ip 127.0.0.1
check "render -v: the server's log line instead" grep -q 'deskprov\[render\] .*status\|deskprov\[render\] .*error=' "$ERR"

e2e_finish
