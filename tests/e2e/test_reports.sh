#!/bin/bash
# report.fcgi behind lighttpd, started exactly as `make run` starts it
# (lighttpd.conf.example through scripts/lighttpd-conf): lighttpd spawns the
# report.fcgi processes itself and routes /report and /report/<MAC> to them.
#
#  1. Uploads: the peer's golden env-wrapped body (when ../shared is there)
#     and bodies built here, with PUT and POST, the MAC in the URL or only
#     in the User-Agent, ?type=delta and ?type=status; each answer is JSON
#     naming a report that is on disk, parses, and holds no password.
#  2. 200 uploads at once from four client processes over three phones:
#     every one stored, every file valid JSON.
#  3. Refusals that store nothing: oversized (413 from deskprov, and from
#     lighttpd beyond its own limit), hostile XML (external entity, billion
#     laughs, deep nesting), an unknown MAC outside discovery mode, an
#     address the IP rules refuse, other methods and paths.
#  4. Discovery mode: an unknown phone's report is accepted.
#  5. The phone's directory unusable: 503 with a log line, the reports
#     already there byte for byte the same.
#  6. /metrics (through metrics.fcgi): the exact phone_reports_received_total
#     of everything above and the drift gauges of phones whose reports
#     differ from their profile in known ways.
. "$(dirname "$0")/lib.sh"

E2E_PROCS+='|report.fcgi'
PEER=${DESKPROV_PEER_DATA:-$E2E_TOP/../shared/peer-data/cisco-mpp}
GOLDEN_BODY=$PEER/golden/report_body_env_wrapped.xml

command -v lighttpd >/dev/null || e2e_skip_all "lighttpd is not installed"

RECEPTION=001122334455 CONFERENCE=001122334466 WAREHOUSE=001122334477
FAR=0a1b2c3d4e5f	# added below, at an address no request comes from
NEW=02aabbccddee	# in no config
UA_RECEPTION='Cisco-CP-6841-3PCC/12.0.1 (001122334455)'
UA_CONFERENCE='Cisco-CP-8841-3PCC/12.0.2 (001122334466)'
MONITOR=monitor:e2e-monitor-pw
declare -A COUNT	# "mac type" -> reports stored, as /metrics must say

# ---------------------------------------------------------------- helpers

# The number of stored reports of a phone.
n_reports() {
	local d=$E2E_TMP/data/$1
	[ -d "$d" ] || { echo 0; return; }
	find "$d" -maxdepth 1 -name '*.json' ! -name '.*' | wc -l
}

# upload [req options...] PATH BODY-FILE: one report with the body from a
# file (read whole, trailing newlines included).
upload() {
	local file=${*: -1} body=
	local args=("${@:1:$#-1}")
	IFS= read -r -d '' body <"$file"
	req "${args[@]:0:${#args[@]}-1}" --data-binary "$body" "${args[-1]}"
}

# stored MAC TYPE WHAT: the last answer is the 200 of a stored report of
# that phone and type; its file is there, parses, and says so.
stored() {
	local mac=$1 type=$2 what=$3 id
	expect_status 200 "$what"
	expect_header Content-Type '^application/json' "$what"
	expect_json "j['status'] == 'success' and j['mac'] == '$mac' and j['report'].startswith('$mac-')" "$what"
	expect_log stored " mac=$mac .* type=$type " "$what"
	id=$("$E2E_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["report"])' "$R_BODY" 2>/dev/null)
	if [ -n "$id" ] && "$E2E_PY" -c 'import json, sys
j = json.load(open(sys.argv[1]))
assert j["mac_address"] == sys.argv[2] and j["report_type"] == sys.argv[3]
assert j["client_ip"] == "127.0.0.1" and isinstance(j["data"], dict)' \
	    "$E2E_TMP/data/$mac/$id.json" "$mac" "$type" 2>/dev/null; then
		pass "$what: $id.json stored with its fields"
		COUNT["$mac $type"]=$(( ${COUNT["$mac $type"]:-0} + 1 ))
	else
		fail "$what: no valid stored file for report '$id'"
	fi
}

# refused STATUS OUTCOME MAC WHAT: refused by deskprov, logged, JSON, and
# no report more for MAC than before ($BEFORE).
refused() {
	local status=$1 outcome=$2 mac=$3 what=$4
	expect_status "$status" "$what"
	expect_json "j['status'] == 'error' and len(j['message']) > 0" "$what"
	expect_log "$outcome" '' "$what"
	check "$what: nothing stored" test "$(n_reports "$mac")" -eq "$BEFORE"
}

# The phone's own profile as lighttpd serves it: a report of exactly what
# it should run.
profile_body() {
	req -A "$2" "/$1.xml"
	if [ "$R_STATUS" != 200 ] || [[ $R_TEXT != *"<Station_Name "* ]]; then
		e2e_abort "cannot fetch the profile /$1.xml: $R_STATUS"
	fi
	cp "$R_BODY" "$3"
}

# /metrics as text into $E2E_TMP/metrics.txt: through lighttpd and
# metrics.fcgi when htpasswd is there to set up its basic auth, else
# metrics.fcgi as plain CGI with the user a web server would pass.
scrape() {
	if [ -n "$HAVE_HTPASSWD" ]; then
		req -u "$MONITOR" /metrics
		expect_status 200 "/metrics as monitor"
		cp "$R_BODY" "$E2E_TMP/metrics.txt"
	else
		env -i PATH=/usr/bin:/bin GATEWAY_INTERFACE=CGI/1.1 \
		    REQUEST_METHOD=GET REQUEST_URI=/metrics REMOTE_USER=monitor \
		    REMOTE_ADDR=127.0.0.1 DESKPROV_ETC="$E2E_ETC" \
		    DESKPROV_SCHEMA_DIR="$E2E_TOP/schema" \
		    DESKPROV_DATA="$E2E_TMP/data" DESKPROV_E2E_MARK="$E2E_TMP" \
		    "$E2E_TOP/cgi-bin/metrics.fcgi" </dev/null 2>/dev/null |
		    sed '1,/^\r$/d' >"$E2E_TMP/metrics.txt"
		check "/metrics from metrics.fcgi as CGI" \
		    grep -q '^# TYPE phone_reports_received_total counter' \
		    "$E2E_TMP/metrics.txt"
	fi
}

# expect_sample NAME{LABELS} VALUE: one exposition line, exactly.
expect_sample() {
	local got
	got=$(awk -v n="$1" '$1 == n { print $2; exit }' "$E2E_TMP/metrics.txt")
	if [ "$got" = "$2" ]; then
		pass "/metrics: $1 $2"
	else
		fail "/metrics: $1 is '${got:-absent}', expected $2"
	fi
}

# ---------------------------------------------------------------- setup

e2e_init
e2e_copy_etc "$E2E_TOP/etc"
cat >>"$E2E_ETC/phones.yml" <<'EOF'

  # Added by tests/e2e: a phone at an address no test request comes from.
  far-away:
    mac: "0a:1b:2c:3d:4e:5f"
    ip_address: "192.0.2.50"
    Station_Name: "Far"
EOF
# 200 concurrent uploads must all stay: retention well above them.
etc_sed serviceconfig.yml 's/^  retention: .*/  retention: 1000/'
"$E2E_TOP/build/deskprov" check "$E2E_ETC" >"$E2E_TMP/check.out" 2>&1 ||
    e2e_abort "deskprov check rejects the test config: $(cat "$E2E_TMP/check.out")"
etc_snapshot
HAVE_HTPASSWD=
if command -v htpasswd >/dev/null; then
	HAVE_HTPASSWD=1
	htpasswd_write "$MONITOR"
else
	note "htpasswd missing: /metrics read through metrics.fcgi as CGI"
fi
start_lighttpd
for _ in $(seq 50); do		# lighttpd spawns them at start-up
	[ "$(fcgi_pids report.fcgi | wc -w)" -eq 8 ] && break
	sleep 0.1
done
check "lighttpd spawned the example's 8 report.fcgi processes (min-procs and max-procs)" \
    test "$(fcgi_pids report.fcgi | wc -w)" -eq 8
REPORT_PIDS=$(fcgi_pids report.fcgi)

# ---------------------------------------------------------------- uploads

B=$E2E_TMP/bodies
mkdir -p "$B"
cat >"$B/small.xml" <<'EOF'
<flat-profile>
  <Station_Name ua="na">Reception</Station_Name>
  <Password_1_ ua="na">e2e-secret-0001</Password_1_>
  <Extra_Report_Only_>value-not-logged</Extra_Report_Only_>
</flat-profile>
EOF
printf '<?xml version="1.0" encoding="UTF-8"?>\n<env><flat-profile>%s</flat-profile></env>\n' \
    '<Station_Name>Reception</Station_Name><Time_Zone>GMT+02:00</Time_Zone>' \
    >"$B/env.xml"
printf '<device><flat-profile><Display_Name_1_>Reception</Display_Name_1_></flat-profile></device>\n' \
    >"$B/device.xml"
printf '<flat-profile><Time_Zone>GMT+03:00</Time_Zone></flat-profile>\n' >"$B/delta.xml"
printf '<status><Current_Time>value-not-logged</Current_Time><Uptime>1234</Uptime></status>\n' \
    >"$B/status.xml"

upload -X PUT /report/$RECEPTION "$B/small.xml"
stored $RECEPTION config "PUT /report/<mac>"
check "the password of the report is not on disk" \
    test -z "$(grep -rl e2e-secret-0001 "$E2E_TMP/data")"
upload -X POST /report/00:11:22:33:44:55 "$B/env.xml"
stored $RECEPTION config "POST /report/<mac with colons>, <env>-wrapped"
upload -X POST -A "$UA_RECEPTION" /report "$B/device.xml"
stored $RECEPTION config "POST /report, MAC from the User-Agent, <device>-wrapped"
upload -X PUT -A "$UA_CONFERENCE" /report "$B/env.xml"
stored $CONFERENCE config "PUT /report, MAC from the User-Agent"
upload -X PUT -A "$UA_RECEPTION" "/report/$RECEPTION?type=delta" "$B/delta.xml"
stored $RECEPTION delta "PUT ?type=delta"
upload -X POST -A "$UA_RECEPTION" "/report?type=status" "$B/status.xml"
stored $RECEPTION status "POST ?type=status, MAC from the User-Agent"
if [ -f "$GOLDEN_BODY" ]; then
	upload -X PUT -A "$UA_RECEPTION" /report/$RECEPTION "$GOLDEN_BODY"
	stored $RECEPTION config "the peer's golden env-wrapped body"
	upload -X POST /report/$WAREHOUSE "$GOLDEN_BODY"
	stored $WAREHOUSE config "the golden body for another phone, POST"
	check "the golden body's Admin_Password is stored hashed" \
	    "$E2E_PY" -c 'import glob, json, sys
for f in glob.glob(sys.argv[1] + "/*.json"):
    d = json.load(open(f))["data"]
    if "Admin_Password" in d and not d["Admin_Password"].startswith("hmac-sha256:"):
        sys.exit(1)' "$E2E_TMP/data/$WAREHOUSE"
else
	skip "peer data not found at $PEER: golden report body not uploaded"
fi

# ---------------------------------------------------------------- concurrency

cat >"$E2E_TMP/burst.py" <<'EOF'
# One client process: N uploads, 8 threads, each on its own connection;
# prints "mac type status" per upload.
import http.client, sys, threading

port, proc, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
macs = ["001122334455", "001122334466", "001122334477"]
jobs, out, lock = list(range(n)), [], threading.Lock()

def one(i):
    k = proc * n + i
    mac = macs[k % 3]
    body = ("<flat-profile><Station_Name>burst %d</Station_Name>"
            "<Burst_Seq_>%d</Burst_Seq_></flat-profile>" % (k, k)).encode()
    hdrs = {"Connection": "close", "Content-Type": "text/xml",
            "User-Agent": "Cisco-CP-6841-3PCC/12.0.1 (%s)" % mac}
    path = "/report/%s" % mac if k % 2 else "/report"
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("PUT" if k % 4 < 2 else "POST", path, body, hdrs)
        status = c.getresponse().status
        c.close()
    except Exception:
        status = 0
    return "%s config %03d" % (mac, status)

def work():
    while True:
        with lock:
            if not jobs:
                return
            i = jobs.pop()
        r = one(i)
        with lock:
            out.append(r)

ts = [threading.Thread(target=work) for _ in range(8)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("\n".join(out))
EOF
declare -A before_burst
for m in $RECEPTION $CONFERENCE $WAREHOUSE; do before_burst[$m]=$(n_reports "$m"); done
log_read
burst_pids=()
for p in 0 1 2 3; do
	timeout 120 "$E2E_PY" "$E2E_TMP/burst.py" "$E2E_PORT" $p 50 \
	    >"$E2E_TMP/burst.$p" 2>&1 &
	burst_pids+=($!)
done
for pid in "${burst_pids[@]}"; do wait "$pid"; done
cat "$E2E_TMP"/burst.? >"$E2E_TMP/burst.all"
# Uploads that found every processing lane busy were answered from the
# spool (docs/ingest.md); its drainer stores them now.
check "the spool's drainer has stored what the burst left it" spool_drained 120
log_read
ok=$(grep -c ' 200$' "$E2E_TMP/burst.all")
check "200 concurrent uploads from 4 processes: all 200 ($ok; $(grep -v ' 200$' "$E2E_TMP/burst.all" | sort | uniq -c | tr '\n' ' '))" \
    test "$ok" -eq 200
for m in $RECEPTION $CONFERENCE $WAREHOUSE; do
	n=$(grep -c "^$m config 200$" "$E2E_TMP/burst.all")
	COUNT["$m config"]=$(( ${COUNT["$m config"]:-0} + n ))
	check "phone $m: all $n of its concurrent uploads stored" \
	    test "$(n_reports "$m")" -eq $(( ${before_burst[$m]} + n ))
done
check "every stored report parses as JSON with its fields" \
    "$E2E_PY" -c 'import glob, json, sys
files = glob.glob(sys.argv[1] + "/*/*.json")
assert len(files) >= 200
for f in files:
    j = json.load(open(f))
    assert set(j) >= {"timestamp", "mac_address", "report_type", "client_ip", "user_agent", "data"}, f
    assert f.endswith("/%s/%s" % (j["mac_address"], f.rsplit("/", 1)[1]))' "$E2E_TMP/data"
check "no temporary file left after the burst" \
    test -z "$(find "$E2E_TMP/data" -name '.tmp-*')"
check "the report.fcgi processes survived the burst" \
    test "$(fcgi_pids report.fcgi)" = "$REPORT_PIDS"

# ---------------------------------------------------------------- refusals

BEFORE=$(n_reports $RECEPTION)
"$E2E_PY" -c 'import sys
sys.stdout.write("<flat-profile><A>" + "x" * (1536 * 1024) + "</A></flat-profile>")' \
    >"$B/big.xml"
upload -X PUT /report/$RECEPTION "$B/big.xml"
refused 413 too_large $RECEPTION "1.5 MiB body (cap 1 MiB)"
"$E2E_PY" -c 'import sys
sys.stdout.write("<flat-profile><A>" + "x" * (3 * 1024 * 1024) + "</A></flat-profile>")' \
    >"$B/huge.xml"
upload -X PUT /report/$RECEPTION "$B/huge.xml"
expect_status 413 "3 MiB body (over lighttpd's server.max-request-size)"
check "3 MiB body: nothing stored" test "$(n_reports $RECEPTION)" -eq "$BEFORE"

cat >"$B/xxe.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE flat-profile [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<flat-profile><Station_Name>&x;</Station_Name></flat-profile>
EOF
cat >"$B/laughs.xml" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<flat-profile><Station_Name>&lol4;</Station_Name></flat-profile>
EOF
"$E2E_PY" -c 'import sys
sys.stdout.write("<flat-profile>" + "<A>" * 10000 + "x" + "</A>" * 10000 + "</flat-profile>")' \
    >"$B/deep.xml"
printf '<flat-profile><Station_Name>cut' >"$B/truncated.xml"
printf 'Station_Name=Reception&Password_1_=x\n' >"$B/form.txt"
for b in xxe laughs deep truncated form; do
	f=$B/$b.xml
	[ -f "$f" ] || f=$B/$b.txt
	upload -X PUT /report/$RECEPTION "$f"
	refused 400 bad_body $RECEPTION "hostile or broken body: $b"
done
check "no /etc/passwd content in any stored report or answer" \
    test -z "$(grep -rl --include="*.json" "root:" "$E2E_TMP/data")"

BEFORE=$(n_reports $NEW)
upload -X PUT /report/$NEW "$B/small.xml"
refused 403 unknown_phone $NEW "unknown MAC outside discovery mode"
expect_log unknown_phone " mac=$NEW " "unknown MAC: logged with its MAC"
BEFORE=$(n_reports $RECEPTION)
req -X PUT --data-binary '' /report/$RECEPTION
refused 400 empty_body $RECEPTION "empty body"
for m in GET DELETE; do
	req -X $m /report/$RECEPTION
	refused 405 bad_method $RECEPTION "$m /report/<mac>"
	expect_header Allow '^POST, PUT$' "$m /report/<mac>"
done
upload -X PUT "/report/$RECEPTION?type=delta&type=config" "$B/small.xml"
refused 400 bad_query $RECEPTION "repeated query key"
upload -X PUT "/report/$RECEPTION?mac=$RECEPTION" "$B/small.xml"
refused 400 bad_query $RECEPTION "unknown query key"
upload -X PUT "/report/..%2f..%2fetc" "$B/small.xml"
expect_refused 'bad_mac|bad_path'
upload -X PUT -A "$UA_CONFERENCE" /report/$RECEPTION "$B/small.xml"
refused 403 ua_mismatch $RECEPTION "User-Agent MAC of another phone"

# The IP rules of profiles: without the whitelist, only the phone's own
# address may report for it.
etc_sed serviceconfig.yml '/^  - "127\.0\.0\.1"$/d; s/^ip_whitelist:$/ip_whitelist: []/'
config_wait
BEFORE=$(n_reports $FAR)
upload -X PUT /report/$FAR "$B/small.xml"
refused 403 not_phone_ip $FAR "a phone reporting from an address not its own"
upload -X PUT /report/$RECEPTION "$B/env.xml"
stored $RECEPTION config "a phone reporting from its own address"

# ---------------------------------------------------------------- discovery

etc_restore serviceconfig.yml
etc_sed serviceconfig.yml '/^discovery:/,/^$/s/^  enabled: false/  enabled: true/'
config_wait
upload -X PUT /report/$NEW "$B/small.xml"
stored $NEW config "discovery mode: an unknown phone reports"
COUNT["$NEW config"]=0	# counted as "unknown"
COUNT["unknown config"]=1
upload -X POST -A 'Cisco-CP-7841-3PCC/12.0.1 (02aabbccdd01)' /report "$B/env.xml"
stored 02aabbccdd01 config "discovery mode: MAC from the User-Agent"
COUNT["02aabbccdd01 config"]=0
COUNT["unknown config"]=2
upload -X PUT /report/$FAR "$B/small.xml"
stored $FAR config "discovery mode: a configured phone from any address"
etc_restore serviceconfig.yml
config_wait
BEFORE=$(n_reports $NEW)
upload -X PUT /report/$NEW "$B/small.xml"
refused 403 unknown_phone $NEW "discovery mode off again: unknown MAC refused"

# ---------------------------------------------------------------- disk trouble

# Root ignores directory modes, so the phone's directory is replaced by a
# file (as tests/check_store.c does): no report can be written there.
sums() { (cd "$E2E_TMP/data/$1" && sha256sum -- *.json); }
before_sums=$(sums $WAREHOUSE)
BEFORE=$(n_reports $WAREHOUSE)
mv "$E2E_TMP/data/$WAREHOUSE" "$E2E_TMP/data/$WAREHOUSE.aside"
echo "not a directory" >"$E2E_TMP/data/$WAREHOUSE"
upload -X PUT /report/$WAREHOUSE "$B/env.xml"
expect_status 503 "phone directory unusable"
expect_json "j['status'] == 'error'" "phone directory unusable"
expect_log store_failed ' error=' "phone directory unusable"
expect_body_lacks "$E2E_TMP" "phone directory unusable: no path in the answer"
rm -f "$E2E_TMP/data/$WAREHOUSE"
mv "$E2E_TMP/data/$WAREHOUSE.aside" "$E2E_TMP/data/$WAREHOUSE"
check "the phone's earlier reports are intact ($BEFORE files, same bytes)" \
    test "$(sums $WAREHOUSE)" = "$before_sums"
check "no temporary file left behind" \
    test -z "$(find "$E2E_TMP/data" -name '.tmp-*')"
upload -X PUT /report/$WAREHOUSE "$B/env.xml"
stored $WAREHOUSE config "the directory back: reports stored again"

# ---------------------------------------------------------------- metrics

# Known drift, last: reception reports exactly its profile (no
# difference), conference its profile with Station_Name changed and one
# parameter added (two differences, one unexpected).
profile_body reception "$UA_RECEPTION" "$B/reception-profile.xml"
upload -X PUT -A "$UA_RECEPTION" /report/$RECEPTION "$B/reception-profile.xml"
stored $RECEPTION config "reception reports exactly its profile"
profile_body conference-room "$UA_CONFERENCE" "$B/conference-profile.xml"
sed -e 's|<Station_Name ua="na">[^<]*</Station_Name>|<Station_Name ua="na">Drifted</Station_Name>|' \
    -e 's|</flat-profile>|<Not_In_Config_>1</Not_In_Config_></flat-profile>|' \
    "$B/conference-profile.xml" >"$B/conference-drift.xml"
check "the conference body really drifted" \
    test "$(grep -c 'Drifted\|Not_In_Config_' "$B/conference-drift.xml")" -ge 1
upload -X POST -A "$UA_CONFERENCE" /report/$CONFERENCE "$B/conference-drift.xml"
stored $CONFERENCE config "conference reports a drifted state"

scrape
for k in "${!COUNT[@]}"; do
	[ "${COUNT[$k]}" -gt 0 ] || continue
	expect_sample "phone_reports_received_total{phone_mac=\"${k% *}\",report_type=\"${k#* }\"}" \
	    "${COUNT[$k]}"
done
check "/metrics: no series for the unconfigured MACs" \
    test -z "$(grep -e $NEW -e 02aabbccdd01 "$E2E_TMP/metrics.txt")"
expect_sample "deskprov_phone_differences{phone_mac=\"$RECEPTION\"}" 0
expect_sample "deskprov_phone_unexpected_params{phone_mac=\"$RECEPTION\"}" 0
expect_sample "deskprov_phone_differences{phone_mac=\"$CONFERENCE\"}" 2
expect_sample "deskprov_phone_unexpected_params{phone_mac=\"$CONFERENCE\"}" 1
# Warehouse's last report (a few parameters) lacks most of its profile;
# far-away reported small.xml, Extra_Report_Only_ unexpected.
wh=$(grep -F "deskprov_phone_differences{phone_mac=\"$WAREHOUSE\"}" "$E2E_TMP/metrics.txt")
check "/metrics: warehouse has differences (${wh##* })" test "${wh##* }" -gt 2
expect_sample "deskprov_phone_unexpected_params{phone_mac=\"$FAR\"}" 1
expect_sample phone_config_differences 3
expect_sample phone_unexpected_params 2
expect_sample reports_recent 4
expect_sample deskprov_report_spool_bytes 0
expect_sample "deskprov_requests_total{executable=\"report\",status=\"413\"}" 1

# ---------------------------------------------------------------- the log

check "the report.fcgi processes never crashed (same pids: $REPORT_PIDS)" \
    test "$(fcgi_pids report.fcgi)" = "$REPORT_PIDS"
expect_log_clean "$E2E_LOG"
check "no parameter value in the log (secrets, values, passwd lines)" \
    test -z "$(grep -a -e e2e-secret-0001 -e value-not-logged -e change-me- \
    -e 'root:x' -e 'burst [0-9]' "$E2E_LOG")"
check "no password from the config on disk" \
    test -z "$(grep -rl --include="*.json" -e change-me- -e e2e-secret-0001 "$E2E_TMP/data")"
e2e_finish
