#!/bin/bash
# The admin pages (compare.fcgi) behind lighttpd, started exactly as
# `make run` starts it (lighttpd.conf.example through scripts/lighttpd-conf),
# with basic auth from an htpasswd file.
#
#  1. Discovery mode on (reception excluded, so it keeps its profile), and
#     a report from a phone in no config, listed apart on the fleet page.
#     A known report: reception's own profile as lighttpd serves it, with
#     Time_Zone changed, Station_Name padded with spaces (equal once
#     trimmed), Host_Name removed, two parameters added (one holding
#     markup) and Admin_Password changed (blacklisted).  It is uploaded
#     with POST to /report (report.fcgi), or stored by running
#     report.fcgi as plain CGI when the web server has no /report route.
#  2. Every page with each role: lighttpd refuses a missing or wrong
#     password before deskprov, deskprov answers 403 for a user without a
#     role and for a monitor on admin pages; query validation; phones and
#     /health still need no password, /metrics still does.
#  3. /compare/<mac> shows exactly the differences made in 1; the export
#     is a YAML attachment; no password or hash on any page.
#  4. Every page in headless Chromium: rendered without console errors
#     (CSP violations included), a screenshot kept as an artifact (and
#     copied to build/screenshots/), the DOM as the browser saw it; the
#     HTML validated by tidy.
#  5. The command-line tool on the same data: `deskprov compare`,
#     `schema verify`, `schema generate` (backup, no secret).
#  6. The fleet export: refused and not offered with one reporting phone,
#     offered and answered once a second configured phone reports.
#  7. A failed reload: the banner on every page (screenshot), gone once
#     the files are good again.
. "$(dirname "$0")/lib.sh"

E2E_PROCS+='|compare.fcgi|report.fcgi|chromium|chrome_crashpad'
MAC=001122334455
NEW=02aabbccddee	# in no config: a discovery-mode reporter
ADMIN=admin:e2e-admin-pw
MONITOR=monitor:e2e-monitor-pw
STRANGER=stranger:e2e-stranger-pw
UA='Cisco-CP-6841-3PCC/12.0.1 (001122334455)'
# Values that must never reach a page: the configured passwords, the one
# the phone reported, the basic-auth passwords, a stored hash.
SECRETS=(change-this-admin-password change-me-1001 change-me-1002
    reported-admin-pw-42 factory-pw-7 e2e-admin-pw e2e-monitor-pw hmac-sha256)
SHOTS=$E2E_TOP/build/screenshots
PAGES=()	# "name path" of every page checked in the browser

command -v lighttpd >/dev/null || e2e_skip_all "lighttpd is not installed"
command -v htpasswd >/dev/null || e2e_skip_all "htpasswd is not installed"
[ -x "$E2E_TOP/cgi-bin/compare.fcgi" ] || e2e_abort "cgi-bin/compare.fcgi is not built"

# ---------------------------------------------------------------- helpers

# no_secrets WHAT: the last answer holds none of $SECRETS.
no_secrets() {
	local s
	for s in "${SECRETS[@]}"; do
		if [[ $R_TEXT == *"$s"* ]]; then
			fail "$1: '$s' on the page"
			return
		fi
	done
	pass "$1: no password or hash on the page"
}

# page USER PATH STATUS WHAT: one request with basic auth.
page() {
	req -u "$1" "$2"
	expect_status "$3" "$4"
	no_secrets "$4"
	if [ "$3" = 200 ] && [[ $2 != /export-unexpected/* ]]; then
		expect_header Content-Type '^text/html; charset=utf-8$' "$4"
		expect_body_contains '<!DOCTYPE html>' "$4"
		expect_body_lacks '<script' "$4"
	fi
}

# The known report (see the head of this file), built with Python's XML
# library from the profile in $1 into $2.
make_report() {
	"$E2E_PY" - "$1" "$2" <<'EOF'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
fp = root if root.tag == "flat-profile" else root.find("flat-profile")
def el(name):
    e = fp.find(name)
    assert e is not None, name
    return e
el("Time_Zone").text = "GMT+05:00"
el("Station_Name").text = "  " + (el("Station_Name").text or "") + "  "
el("Admin_Password").text = "reported-admin-pw-42"
fp.remove(el("Host_Name"))
ET.SubElement(fp, "New_Param_X").text = 'val & <x> "q"'
ET.SubElement(fp, "Another_Unexpected").text = "<script>alert(1)</script>"
env = ET.Element("env")
env.append(fp)
open(sys.argv[2], "w").write('<?xml version="1.0" encoding="UTF-8"?>\n' +
    ET.tostring(env, encoding="unicode") + "\n")
EOF
}

# Stores the report: POST through lighttpd when it routes /report, else
# report.fcgi as plain CGI (the same code, the same store).  Sets REPORT_ID.
upload_report() {
	local body
	REPORT_ID=
	if grep -q '^var.deskprov_report' "$E2E_TOP/lighttpd.conf.example"; then
		IFS= read -r -d '' body <"$1"
		req -A "$UA" --data-binary "$body" "/report/$MAC"
	elif [ -x "$E2E_TOP/cgi-bin/report.fcgi" ]; then
		env -i PATH=/usr/bin:/bin GATEWAY_INTERFACE=CGI/1.1 \
		    REQUEST_METHOD=POST REQUEST_URI="/report/$MAC" \
		    REMOTE_ADDR=127.0.0.1 HTTP_USER_AGENT="$UA" \
		    CONTENT_TYPE=text/xml CONTENT_LENGTH="$(stat -c %s "$1")" \
		    DESKPROV_ETC="$E2E_ETC" DESKPROV_SCHEMA_DIR="$E2E_TOP/schema" \
		    DESKPROV_DATA="$E2E_TMP/data" DESKPROV_E2E_MARK="$E2E_TMP" \
		    "$E2E_TOP/cgi-bin/report.fcgi" <"$1" 2>/dev/null |
		    sed '1,/^\r$/d' >"$R_BODY"
		R_STATUS=200
		r_load
	else
		e2e_abort "neither a /report route nor cgi-bin/report.fcgi"
	fi
	expect_status 200 "upload of the known report"
	REPORT_ID=$("$E2E_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["report"])' \
	    "$R_BODY" 2>/dev/null)
	check "report stored as $REPORT_ID" test -f "$E2E_TMP/data/$MAC/$REPORT_ID.json"
}

# browse NAME PATH: the page in headless Chromium as admin -- a screenshot,
# the DOM after rendering, no console error -- then tidy on the HTML as
# served.  Bounded: 60 s for the browser, a fresh profile every time.
browse() {
	local name=$1 path=$2 dir=$E2E_TMP/browser/$1 url errs rc
	url="http://${ADMIN}@127.0.0.1:$E2E_PORT$path"
	mkdir -p "$dir"
	timeout -k 5 60 chromium --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --disable-dev-shm-usage \
	    --user-data-dir="$dir/profile" --enable-logging=stderr --v=0 \
	    --log-level=0 \
	    --screenshot="$dir/$name.png" --window-size=1280,900 "$url" \
	    >"$dir/stdout" 2>"$dir/console.log" </dev/null
	check "$name: Chromium rendered $path (exit $?)" test -s "$dir/$name.png"
	errs=$(grep -aE 'CONSOLE|Uncaught|Refused to|Failed to load|ERR_' \
	    "$dir/console.log" | grep -av 'dbus\|Fontconfig' | head -3)
	check "$name: no console error in Chromium${errs:+: $errs}" test -z "$errs"
	timeout -k 5 60 chromium --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync --disable-dev-shm-usage \
	    --user-data-dir="$dir/profile2" --dump-dom "$url" \
	    >"$dir/dom.html" 2>/dev/null </dev/null
	check "$name: the DOM Chromium built has the page's <h1>" \
	    grep -q '<h1>' "$dir/dom.html"
	cp "$dir/$name.png" "$SHOTS/$name.png" 2>/dev/null
	req -u "$ADMIN" "$path"
	cp "$R_BODY" "$dir/served.html"
	tidy -q -e --show-warnings yes "$dir/served.html" >"$dir/tidy.out" 2>&1
	rc=$?
	check "$name: tidy finds no error or warning in the HTML $(
	    head -c 300 "$dir/tidy.out" | tr '\n' ' ')" test "$rc" -eq 0
}

# ---------------------------------------------------------------- setup

e2e_init
e2e_copy_etc "$E2E_TOP/etc"
etc_sed serviceconfig.yml 's/^  enabled: false$/  enabled: true/'
etc_sed serviceconfig.yml 's/^  exclude_macs: \[\]$/  exclude_macs: ["00:11:22:33:44:55"]/'
"$E2E_TOP/build/deskprov" check "$E2E_ETC" >"$E2E_TMP/check.out" 2>&1 ||
    e2e_abort "deskprov check rejects the test config: $(cat "$E2E_TMP/check.out")"
htpasswd_write "$ADMIN" "$MONITOR" "$STRANGER"
start_lighttpd
for _ in $(seq 50); do		# lighttpd spawns them at start-up
	[ "$(fcgi_pids compare.fcgi | wc -w)" -eq 2 ] && break
	sleep 0.1
done
check "lighttpd spawned 2 compare.fcgi processes" \
    test "$(fcgi_pids compare.fcgi | wc -w)" -eq 2

# The empty states, before any report: in the browser like every page.
if command -v chromium >/dev/null && command -v tidy >/dev/null; then
	mkdir -p "$SHOTS"
	browse fleet-empty /
	browse reports-empty /reports
fi

# ---------------------------------------------------------------- 1. report

req /reception.xml
expect_status 200 "reception's profile, no password"
cp "$R_BODY" "$E2E_TMP/profile.xml"
make_report "$E2E_TMP/profile.xml" "$E2E_TMP/report.xml" ||
    e2e_abort "cannot build the known report from the profile"
upload_report "$E2E_TMP/report.xml"
KNOWN_ID=$REPORT_ID
if grep -q '^var.deskprov_report' "$E2E_TOP/lighttpd.conf.example"; then
	printf '<flat-profile><Station_Name>factory &amp; &lt;new&gt;</Station_Name><Admin_Password>factory-pw-7</Admin_Password></flat-profile>\n' \
	    >"$E2E_TMP/new.xml"
	MAC=$NEW UA="Cisco-CP-8851-3PCC/12.0.3 ($NEW)" upload_report "$E2E_TMP/new.xml"
fi
REPORT_ID=$KNOWN_ID

# ---------------------------------------------------------------- 2. auth

req /
expect_status 401 "/ without credentials"
expect_header WWW-Authenticate '^Basic ' "/ without credentials"
check "/ without credentials refused by lighttpd before deskprov" test -z "$R_LOG"
req -u admin:wrong /compare/$MAC
expect_status 401 "/compare with a wrong password"
check "wrong password refused before deskprov" test -z "$R_LOG"
page "$STRANGER" / 403 "/ as a user without a deskprov role"
expect_log forbidden_role 'user=stranger ' "/ as stranger"
page "$MONITOR" / 200 "/ as monitor"
expect_log fleet 'user=monitor ' "/ as monitor"
expect_body_lacks 'href="/compare/' "/ as monitor (no admin links)"
expect_body_lacks 'href="/reports"' "/ as monitor (no Reports entry)"
for p in /reports "/report-detail/$REPORT_ID" /compare/$MAC \
    /export-unexpected/$MAC '/export-unexpected/?scope=fleet'; do
	page "$MONITOR" "$p" 403 "$p as monitor"
done
req /deskprov.css
expect_status 200 "/deskprov.css, static, no password"
expect_header Content-Type '^text/css' "/deskprov.css"
req /health
expect_status 200 "/health still needs no password"
req /reception.xml
expect_status 200 "phones still fetch without a password"
expect_body_contains '<flat-profile>' "/reception.xml"
req /metrics
expect_status 401 "/metrics still needs a password"
req -u "$ADMIN" /reports.xml
expect_status 4?? "/reports.xml is a phone profile path, not the reports page"
expect_body_lacks '<!DOCTYPE html>' "/reports.xml"

# ---------------------------------------------------------------- 3. pages

page "$ADMIN" / 200 "/ as admin"
expect_log fleet 'user=admin ' "/ as admin"
expect_body_contains '<th><a href="/phone/reception">reception</a></th>' "/ as admin: the phone linked to its page"
expect_body_contains '<th scope="col"><a href="/?sort=vendor&amp;order=asc">Vendor</a></th>' "/ as admin: a Vendor column, a link that sorts by it"
expect_body_contains '</code></td><td>cisco (flat)</td>' "/ as admin: reception's vendor"
expect_body_lacks 'scope=fleet' "/ as admin: no fleet export offered for one reporting phone"
expect_body_contains '<span class="badge drift">drift</span>' "/ as admin"
expect_body_contains "<a href=\"/compare/$MAC\">4</a>" "/ as admin: 4 differences"
expect_body_contains '<td>CP-6841-3PCC</td><td>12.0.1</td>' "/ as admin: model, firmware"
expect_body_contains 'Discovery mode is on' "/ as admin"
if [ -d "$E2E_TMP/data/$NEW" ]; then
	expect_body_contains '<code>02:aa:bb:cc:dd:ee</code></td><td>CP-8851-3PCC</td><td>12.0.3</td>' \
	    "/ as admin: the discovered phone listed apart"
	expect_body_contains '<span class="badge new">not configured</span>' "/ as admin"
fi
page "$ADMIN" /reports 200 "/reports"
expect_body_contains "/report-detail/$REPORT_ID" "/reports"
page "$ADMIN" /compare/$NEW 404 "/compare of a discovered phone (not configured)"
page "$ADMIN" '/reports?page=1' 200 "/reports?page=1"
page "$ADMIN" '/reports?page=2' 404 "/reports?page=2 (none)"
page "$ADMIN" '/reports?page=0' 400 "/reports?page=0"
page "$ADMIN" '/reports?page=1&page=1' 400 "/reports, page twice"
page "$ADMIN" '/reports?sort=asc' 400 "/reports, unknown key"
page "$ADMIN" '/?x=1' 400 "/ with a query"
page "$ADMIN" "/report-detail/$REPORT_ID" 200 "/report-detail"
expect_body_contains '<tr><th>Admin_Password</th><td><span class="badge secret">hashed</span>' \
    "/report-detail: the password only as hashed"
page "$ADMIN" '/report-detail/..%2F..%2Fetc%2Fpasswd' '4??' "/report-detail, a path (lighttpd or deskprov refuses)"
page "$ADMIN" /compare/$MAC 200 "/compare/$MAC"
C="/compare/$MAC"
expect_body_contains '<span class="n">1</span> mismatches' "$C: 1 mismatch"
expect_body_contains '<span class="n">1</span> missing' "$C: 1 missing"
expect_body_contains '<span class="n">2</span> unexpected' "$C: 2 unexpected"
expect_body_contains '<tr><th>Time_Zone</th><td><code class="value">GMT+01:00</code></td><td><span class="layer layer-common">common</span></td><td><code class="value">GMT+05:00</code></td></tr>' \
    "$C: Time_Zone expected GMT+01:00 (from common.yml), reported GMT+05:00"
expect_body_contains '<a href="/phone/reception">reception</a>' "$C: the phone linked to its page"
expect_body_contains '<tr><th>Host_Name</th>' "$C: Host_Name missing"
expect_body_contains '<tr><th>New_Param_X</th><td><code class="value">val &amp; &lt;x&gt; &quot;q&quot;</code></td></tr>' \
    "$C: New_Param_X unexpected, escaped"
expect_body_contains '&lt;script&gt;alert(1)&lt;/script&gt;' "$C: markup shown as text"
expect_body_lacks 'Station_Name' "$C: Station_Name equal once trimmed"
expect_body_lacks 'Admin_Password' "$C: blacklisted Admin_Password left out"
page "$ADMIN" /compare/reception 200 "/compare/reception (by name)"
page "$ADMIN" /compare/00:11:22:33:44:66 404 "/compare of a phone that never reported"
page "$ADMIN" /compare/0a0b0c0d0e0f 404 "/compare of an unknown MAC"
page "$ADMIN" '/compare/..%2Fx' '4??' "/compare of a path (lighttpd or deskprov refuses)"
req -u "$ADMIN" /export-unexpected/$MAC
expect_status 200 "/export-unexpected/$MAC"
expect_header Content-Type '^text/yaml; charset=utf-8$' "/export-unexpected"
expect_header Content-Disposition "^attachment; filename=\"unexpected_params_${MAC}_[0-9]{8}_[0-9]{6}\\.yml\"$" \
    "/export-unexpected"
expect_body_contains "New_Param_X: 'val & <x> \"q\"'" "/export-unexpected"
no_secrets "/export-unexpected"
page "$ADMIN" '/export-unexpected/?scope=fleet' 404 \
    "/export-unexpected/?scope=fleet with one reporting phone"
expect_body_contains 'two or more' "/export-unexpected/?scope=fleet with one reporting phone"
page "$ADMIN" /phone/reception 200 "/phone/reception"
P=/phone/reception
expect_body_contains "<code>$MAC.xml</code> <span class=\"badge ok\">rendered</span>" "$P: its profile, rendered"
expect_body_contains '&lt;Time_Zone ua=&quot;na&quot;&gt;GMT+01:00&lt;/Time_Zone&gt;' "$P: the preview"
expect_body_contains '&lt;Password_1_ ua=&quot;na&quot;&gt;********&lt;/Password_1_&gt;' "$P: the line password masked"
expect_body_contains '<tr><th>Station_Name</th><td><span class="layer layer-phone">phone</span></td><td><code class="value">Reception</code></td></tr>' \
    "$P: Station_Name from phones.yml"
expect_body_contains "href=\"/report-detail/$REPORT_ID\"" "$P: its report"
expect_body_contains 'href="/reports?phone=reception"' "$P: its reports, all"
expect_body_contains '<time datetime=' "$P: its last profile fetch"
page "$ADMIN" /phone/00-11-22-33-44-55 200 "/phone/<MAC>"
page "$ADMIN" /phone/warehouse 200 "/phone/warehouse (never reported)"
expect_body_contains 'It has not reported yet.' "/phone/warehouse"
page "$ADMIN" /phone/nobody 404 "/phone/ of an unknown phone"
expect_body_contains '<!DOCTYPE html>' "/phone/ of an unknown phone: the styled error page"
page "$ADMIN" /phone/reception/files 400 "a path below /phone/<phone>"
expect_body_contains '<!DOCTYPE html>' "a path below /phone/<phone>: the styled error page"
page "$MONITOR" /phone/reception 403 "/phone/reception as monitor"
page "$ADMIN" '/reports?phone=reception' 200 "/reports?phone=reception"
expect_body_contains "/report-detail/$REPORT_ID" "/reports?phone=reception"
expect_body_contains 'Page 1 of 1 (1 report)' "/reports?phone=reception: its one report"
page "$ADMIN" '/reports?phone=warehouse' 200 "/reports?phone=warehouse (none)"
expect_body_contains 'This phone has not reported yet.' "/reports?phone=warehouse"
page "$ADMIN" '/reports?phone=nobody' 404 "/reports?phone= an unknown phone"
page "$ADMIN" '/export-unexpected/?scope=everything' 400 "export with a bad scope"
req -u "$ADMIN" -X POST --data-binary 'x' /compare/$MAC
expect_status 405 "POST to /compare"
expect_header Allow '^GET, HEAD$' "POST to /compare"
check "no password in the log" \
    test -z "$(grep -a -e e2e-admin-pw -e reported-admin-pw-42 -e change-me-1001 "$E2E_LOG")"

# ---------------------------------------------------------------- 4. browser

if command -v chromium >/dev/null && command -v tidy >/dev/null; then
	mkdir -p "$SHOTS"
	browse fleet /
	browse reports /reports
	browse report-detail "/report-detail/$REPORT_ID"
	browse compare "/compare/$MAC"
	browse error-404 /compare/0a0b0c0d0e0f
	browse phone /phone/reception
	browse phone-never-reported /phone/warehouse
	browse reports-of-phone '/reports?phone=reception'
	browse reports-of-phone-empty '/reports?phone=warehouse'
	browse phone-unknown /phone/nobody
	note "screenshots in $SHOTS"
else
	skip "chromium or tidy missing (scripts/deps installs them)"
fi

# ---------------------------------------------------------------- 5. the CLI

cli() {
	env DESKPROV_ETC="$E2E_ETC" DESKPROV_SCHEMA_DIR="$E2E_TOP/schema" \
	    DESKPROV_DATA="$E2E_TMP/data" "$E2E_TOP/build/deskprov" "$@" \
	    >"$E2E_TMP/cli.out" 2>"$E2E_TMP/cli.err"
}
cli compare reception
check "deskprov compare: exit 1 (differences)" test $? -eq 1
check "deskprov compare: the counts" grep -q \
    'mismatches 1, missing 1, unexpected 2' "$E2E_TMP/cli.out"
check "deskprov compare: Time_Zone reported" grep -q \
    'reported: "GMT+05:00"' "$E2E_TMP/cli.out"
check "deskprov compare: no password" test -z "$(grep -e reported-admin-pw \
    -e change-this -e hmac-sha256 "$E2E_TMP/cli.out")"
cli schema verify
check "deskprov schema verify: exit 1 (New_Param_X is not in the schema)" test $? -eq 1
check "deskprov schema verify: lists New_Param_X" grep -q \
    '^  New_Param_X  *reported by 1 of 2 phones$' "$E2E_TMP/cli.out"
cp "$E2E_TOP/schema/schema.yml" "$E2E_ETC/schema.yml"
cli schema generate --from-report "$MAC"
rc=$?	# the command's status, before any $(...) of the description
check "deskprov schema generate: exit 0 (got $rc) $(cat "$E2E_TMP/cli.err")" \
    test "$rc" -eq 0
check "deskprov schema generate: old schema kept" \
    cmp -s "$E2E_TOP/schema/schema.yml" "$(ls "$E2E_ETC"/schema.yml.bak-* | head -1)"
check "deskprov schema generate: New_Param_X with its value" \
    grep -q "^    New_Param_X: 'val & <x> \"q\"'$" "$E2E_ETC/schema.yml"
check "deskprov schema generate: the password left empty" \
    grep -q "^    Admin_Password: ''$" "$E2E_ETC/schema.yml"
check "deskprov schema generate: no password" test -z "$(grep -e reported-admin-pw \
    -e hmac-sha256 "$E2E_ETC/schema.yml")"
cli schema verify
check "deskprov schema verify after generate: exit 0" test $? -eq 0
check "deskprov schema verify: counts" grep -q \
    '^0 reported but missing from schema.yml, 0 in schema.yml but not reported$' \
    "$E2E_TMP/cli.out"

# ---------------------------------------------------------------- 6. fleet export

# conference-room reports its profile as served: a second reporting phone.
# phones.yml first gives it reception's Display_Name_1_, so that both
# report one value of a key phones.yml sets per phone: not a common value.
# Discovery mode stays on: conference-room is excluded from it, like reception.
etc_sed phones.yml 's/Display_Name_1_: "Conference Room"/Display_Name_1_: "Reception"/'
etc_sed serviceconfig.yml 's/^  exclude_macs: \["00:11:22:33:44:55"\]$/  exclude_macs: ["00:11:22:33:44:55", "00:11:22:33:44:66"]/'
sleep 1.1	# RELOAD_CHECK_INTERVAL
req /conference-room.xml
expect_status 200 "conference-room's profile"
expect_body_contains '<Display_Name_1_ ua="na">Reception</Display_Name_1_>' \
    "conference-room's profile with reception's display name"
"$E2E_PY" - "$R_BODY" "$E2E_TMP/conference.xml" <<'EOF2'
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
fp = root if root.tag == "flat-profile" else root.find("flat-profile")
env = ET.Element("env")
env.append(fp)
open(sys.argv[2], "w").write('<?xml version="1.0" encoding="UTF-8"?>\n' +
    ET.tostring(env, encoding="unicode") + "\n")
EOF2
MAC=001122334466 UA='Cisco-CP-8841-3PCC/12.0.1 (001122334466)' \
    upload_report "$E2E_TMP/conference.xml"
page "$ADMIN" / 200 "/ with two reporting phones"
expect_body_contains 'href="/export-unexpected/?scope=fleet"' "/ offers the fleet export"
req -u "$ADMIN" '/export-unexpected/?scope=fleet'
expect_status 200 "/export-unexpected/?scope=fleet"
expect_header Content-Disposition '^attachment; filename="common_params_fleet_' \
    "/export-unexpected/?scope=fleet"
no_secrets "/export-unexpected/?scope=fleet"
expect_body_lacks 'Display_Name_1_' "fleet export: no key phones.yml sets per phone, equal or not"
expect_body_lacks 'Time_Zone' "fleet export: nothing common.yml sets"

# ---------------------------------------------------------------- 7. banner

cp "$E2E_ETC/phones.yml" "$E2E_TMP/phones.yml.good"
printf 'phones:\n  reception:\n\tmac: "00:11:22:33:44:55"\n' >>"$E2E_ETC/phones.yml"
sleep 1.1	# RELOAD_CHECK_INTERVAL: the next request looks at the files
page "$ADMIN" / 200 "/ after a failed reload"
expect_body_contains '<div class="banner" role="alert"><strong>The configuration did not reload:</strong> phones.yml:' \
    "/ after a failed reload: the banner with file and line"
expect_body_contains 'still serving the configuration loaded at' "/ after a failed reload"
expect_body_contains '<th><a href="/phone/reception">' "/ after a failed reload: still serving"
req /
expect_status 401 "/ without credentials after a failed reload"
expect_body_lacks 'phones.yml' "401 page: no banner"
if command -v chromium >/dev/null && command -v tidy >/dev/null; then
	browse fleet-reload-failed /
	browse phone-reload-failed /phone/reception
fi
cp "$E2E_TMP/phones.yml.good" "$E2E_ETC/phones.yml"
sleep 1.1
page "$ADMIN" / 200 "/ once phones.yml is good again"
expect_body_lacks 'class="banner"' "/ once phones.yml is good again: no banner"

e2e_finish
