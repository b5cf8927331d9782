#!/bin/bash
# profile.fcgi run as plain CGI, with the request in environment variables
# only.  This covers bad input that no web server lets through: control
# bytes and newlines in the path, every byte value in a User-Agent,
# a missing REQUEST_METHOD or REMOTE_ADDR, a 100 KB URI.  It also covers a
# process that starts with no usable config.  Each answer is a clear status
# with exactly one escaped log line, and no crash.
. "$(dirname "$0")/lib.sh"

e2e_init
e2e_copy_etc "$E2E_TOP/etc"
etc_snapshot
R_HDRS=$E2E_TMP/cgi.headers R_BODY=$E2E_TMP/cgi.body

ok_run() {	# the process ended normally
	check "$1: exit status 0, no crash ($R_EXIT)" test "$R_EXIT" -eq 0
	check "$1: nothing on stderr but log lines" \
	    test -z "$(grep -av -e ' outcome=' -e ' level=' "$E2E_TMP/cgi.err")"
}

# A normal request, for reference.
cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR=127.0.0.1
expect_status 200 "CGI: /reception.xml"
expect_body_contains '<Station_Name ua="na">Reception</Station_Name>' "CGI: /reception.xml"
expect_length "CGI: /reception.xml"
expect_log served 'client=127\.0\.0\.1 method=GET uri=/reception\.xml ident=reception phone=reception ' "CGI: /reception.xml"
ok_run "CGI: /reception.xml"

# Every byte value but NUL in the User-Agent.
ua=
for i in $(seq 1 255); do
	[ "$i" -eq 10 ] && continue
	printf -v c "\\x$(printf %02x "$i")"
	ua+=$c
done
cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR=127.0.0.1 HTTP_USER_AGENT="$ua"$'\nX'
expect_status 200 "CGI: bytes 1-255 and a newline in the User-Agent"
expect_log served 'ua=\\x01\\x02\\x03' "CGI: bytes 1-255 in the User-Agent, escaped"
ok_run "CGI: hostile User-Agent"
grep -a ' outcome=' "$E2E_TMP/cgi.err" >"$E2E_TMP/hostile.log"
expect_log_clean "$E2E_TMP/hostile.log"
check "CGI: hostile User-Agent: the newline did not start a line of its own" \
    test -z "$(grep -av '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[^ ]* deskprov\[' "$E2E_TMP/cgi.err")"

# Control bytes, a newline and a 100 KB path in REQUEST_URI.
for uri in $'/recep\ntion.xml' $'/reception.xml\r\nX-Injected: 1' \
    $'/\x1b[2J.xml' $'/\x7f\xff.xml' "/$(printf 'b%.0s' $(seq 100000)).xml" \
    /reception.xml/ '' 'reception.xml' '*' '/%' '/%4' '/%%30.xml'; do
	cgi_run REQUEST_URI="$uri" REMOTE_ADDR=127.0.0.1
	what="CGI: REQUEST_URI $(printf '%q' "${uri:0:40}")"
	expect_status '4??' "$what"
	expect_log '(bad_path|bad_identifier|no_route)' "" "$what"
	expect_body_lacks '<flat-profile>' "$what"
	check "$what: no ESC byte in the answer" test "${R_TEXT//$'\x1b'/}" = "$R_TEXT"
	# Checked on this request's own headers (after the loop, R_HEADERS
	# would be those of the last request, which injects nothing).
	check "$what: no X-Injected header in the answer" \
	    test -z "$(header_value X-Injected)"
	ok_run "$what"
done

# Missing or odd request variables.
cgi_run REQUEST_METHOD= REQUEST_URI=/reception.xml REMOTE_ADDR=127.0.0.1
expect_status 405 "CGI: empty REQUEST_METHOD"
expect_log bad_method "" "CGI: empty REQUEST_METHOD"
ok_run "CGI: empty REQUEST_METHOD"
env -i PATH=/usr/bin:/bin DESKPROV_ETC="$E2E_ETC" DESKPROV_DATA="$E2E_TMP/data" \
    "$E2E_TOP/cgi-bin/profile.fcgi" </dev/null >"$E2E_TMP/cgi.out" 2>"$E2E_TMP/cgi.err"
check "CGI: no request variables at all: exit status 0 ($?)" test $? -eq 0
check "CGI: no request variables at all: a 4xx" \
    grep -qa '^Status: 4' "$E2E_TMP/cgi.out"
cgi_run REQUEST_URI=/reception.xml
expect_status 400 "CGI: no REMOTE_ADDR"
expect_log bad_client_address "" "CGI: no REMOTE_ADDR"
for addr in 1.2.3.4.5 '' 'fe80::1%eth0%' 999.1.1.1 '127.0.0.1 ' "$(printf 'a%.0s' $(seq 5000))"; do
	cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR="$addr"
	expect_status 400 "CGI: REMOTE_ADDR $(printf '%q' "${addr:0:20}")"
	expect_log bad_client_address "" "CGI: REMOTE_ADDR ${addr:0:20}"
	ok_run "CGI: REMOTE_ADDR ${addr:0:20}"
done
cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR=::1
expect_status 403 "CGI: IPv6 ::1 is not reception's 127.0.0.1 nor whitelisted"
expect_log not_phone_ip 'client_ip=::1 ' "CGI: IPv6 ::1 refused"
cgi_run REQUEST_URI=/warehouse.xml REMOTE_ADDR=::1
expect_status 200 "CGI: IPv6 ::1 fetches warehouse"
cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR=::ffff:10.1.2.3
expect_status 403 "CGI: an IPv4-mapped outside address"
cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR=127.0.0.1 \
    HTTP_IF_NONE_MATCH="$(printf '"%.0s' $(seq 5000))" \
    HTTP_X_FORWARDED_FOR="$(printf '1.2.3.4, %.0s' $(seq 3000))"
expect_status 200 "CGI: 5 KB of quotes in If-None-Match, 30 KB X-Forwarded-For"
ok_run "CGI: garbage conditional headers"

# A process that starts with no config at all.
E2E_ETC=$E2E_TMP/nonexistent cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR=127.0.0.1
expect_status 503 "CGI: no config directory"
expect_log no_config "" "CGI: no config directory"
ok_run "CGI: no config directory"
E2E_ETC=$E2E_TMP/nonexistent cgi_run REQUEST_URI=/health REMOTE_ADDR=127.0.0.1
expect_status 503 "CGI: /health without config"
expect_json 'j["status"] == "unavailable" and j["config_loaded"] is False and j["last_reload_error"]' "CGI: /health without config"

# ... or with a broken one.  The earlier requests kept the last good
# config in the data directory: a process started now serves exactly that.
cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR=127.0.0.1
cp "$R_BODY" "$E2E_TMP/good-profile.xml"
printf 'common:\n  Proxy_1_: [unclosed\n' | etc_write common.yml
cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR=127.0.0.1
expect_status 200 "CGI: broken common.yml at start, last good kept"
check "CGI: broken common.yml at start: the kept last good profile, byte for byte" \
    cmp -s "$R_BODY" "$E2E_TMP/good-profile.xml"
check "CGI: broken common.yml at start: the log says the last good is served" \
    grep -qa 'serving the last good config' "$E2E_TMP/cgi.err"
cgi_run REQUEST_URI=/health REMOTE_ADDR=127.0.0.1
expect_json 'j["status"] == "degraded" and j["config_loaded"] is True' "CGI: /health degraded on the kept config"
# Without a kept copy (a new data directory): 503, never a blank profile.
E2E_DATA=$E2E_TMP/fresh-data cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR=127.0.0.1
expect_status 503 "CGI: broken common.yml at start, nothing kept"
expect_body_lacks '<flat-profile>' "CGI: broken common.yml at start, nothing kept"
check "CGI: broken common.yml: the log names common.yml:line" \
    grep -qaE 'level=error .*common\.yml:[0-9]+' "$E2E_TMP/cgi.err"
cgi_run REQUEST_URI=/health REMOTE_ADDR=127.0.0.1
expect_json 're.search(r"common\.yml:\d+", j["last_reload_error"] or "")' "CGI: /health names common.yml:line"
etc_restore common.yml

# No password from the config reaches a log line.
cgi_run REQUEST_URI=/reception.xml REMOTE_ADDR=127.0.0.1 \
    HTTP_USER_AGENT='Cisco-CP-6841-3PCC/11.0.0 (001122334455)'
expect_status 200 "CGI: upgrade"
check "CGI: the upgrade log line has no password" \
    test -z "$(grep -a -e change-me- -e change-this-admin "$E2E_TMP/cgi.err")"

e2e_finish
