#!/bin/bash
# The shared metrics store, end to end, through lighttpd exactly as `make
# run` starts it (lighttpd.conf.example through scripts/lighttpd-conf):
# four profile.fcgi and two metrics.fcgi processes spawned by lighttpd,
# /metrics and /status behind lighttpd's basic auth.
#
#  1. A known number of requests of every kind (served per phone, unknown
#     MACs, refusals by reason, firmware upgrades, 304s, thousands of
#     distinct random MACs and firmware versions), sent in parallel so that
#     all four profile.fcgi processes count; then /metrics, scraped as the
#     monitor user, must show exactly those counts (differences between a
#     scrape before and one after), with a label set that stays bounded.
#  2. Authentication: none or a wrong password is refused by lighttpd
#     (401, deskprov never sees the request), a user lighttpd accepts but
#     serviceconfig.yml does not name gets 403 from deskprov, monitor and
#     admin get 200.  /status's JSON agrees with the scrape.
#  3. promtool check metrics on the scraped text (and promtool rejects a
#     broken copy, so the check checks something).
#  4. A real Prometheus on a random loopback port scrapes deskprov through
#     lighttpd with basic auth every second; its HTTP API must answer a
#     query with the exact count.
. "$(dirname "$0")/lib.sh"

command -v lighttpd >/dev/null || e2e_skip_all "lighttpd is not installed"
command -v htpasswd >/dev/null ||
    e2e_skip_all "htpasswd is not installed (apache2-utils, scripts/deps)"

UA_OK='Cisco-CP-6841-3PCC/12.0.1 (001122334455)'
UA_OLD='Cisco-CP-6841-3PCC/11.3.7 (001122334455)'
RECEPTION=001122334455 CONFERENCE=001122334466 WAREHOUSE=001122334477
MONITOR=monitor:e2e-monitor-pw
VERSION=$(awk '$1 == "VERSION" && $2 == "=" { print $3 }' "$E2E_TOP/Makefile")

# ---------------------------------------------------------------- helpers

# The load generator: N requests, THREADS at a time, each on its own
# connection (as phones fetch), through the web server.  In the path and
# the header values, {mac} becomes a random unicast MAC, distinct for every
# request, {ver} a random firmware version older than 12.0.1 and {model} a
# random phone model that no config names (CP-7nnn-3PCC).  Prints the statuses as "STATUS=COUNT ..." (000 for a
# request that got no answer).
write_burst() {
	cat >"$E2E_TMP/burst.py" <<'EOF'
import collections, http.client, random, sys, threading

port, n, threads = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
method, path, headers = sys.argv[4], sys.argv[5], sys.argv[6:]
rnd = random.Random()
known = {"001122334455", "001122334466", "001122334477"}
macs = set()
while len(macs) < n:
    m = "%012x" % (rnd.getrandbits(48) & ~(1 << 40))   # unicast
    if m not in known and m != "000000000000":
        macs.add(m)
macs = sorted(macs)
rnd.shuffle(macs)
jobs = []
for i in range(n):
    subst = {"{mac}": macs[i],
             "{ver}": "11.%d.%d" % (rnd.randrange(1000), rnd.randrange(1000)),
             "{model}": "CP-7%03d-3PCC" % rnd.randrange(1000)}
    def fill(s):
        for k, v in subst.items():
            s = s.replace(k, v)
        return s
    hdrs = {"User-Agent": "deskprov-e2e-burst", "Connection": "close"}
    for h in headers:
        name, _, value = h.partition(":")
        hdrs[name.strip()] = fill(value.strip())
    body = b"x=1" if method == "POST" else None
    jobs.append((fill(path), hdrs, body))
counts = collections.Counter()
lock = threading.Lock()

def work():
    while True:
        with lock:
            if not jobs:
                return
            p, h, b = jobs.pop()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            c.request(method, p, body=b, headers=h)
            r = c.getresponse()
            r.read()
            status = "%03d" % r.status
            c.close()
        except Exception:
            status = "000"
        with lock:
            counts[status] += 1

ts = [threading.Thread(target=work) for _ in range(threads)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(" ".join("%s=%d" % kv for kv in sorted(counts.items())))
EOF
}

# burst WHAT N STATUS METHOD PATH [HEADER...]: N requests, 16 at a time;
# all of them must be answered with STATUS.
burst() {
	local what=$1 n=$2 want=$3 got
	shift 3
	got=$("$E2E_PY" "$E2E_TMP/burst.py" "$E2E_PORT" "$n" 16 "$@")
	if [ "$got" = "$want=$n" ]; then
		pass "$what: $n x $1 ${2:0:40}: all $want"
	else
		fail "$what: $n x $1 ${2:0:40}: $got, expected $want=$n"
	fi
}

# scrape FILE: /metrics as the monitor user, the body kept in FILE.
scrape() {
	req -u "$MONITOR" /metrics
	if [ "$R_STATUS" = 200 ]; then
		cp "$R_BODY" "$1"
	else
		fail "scrape for ${1##*/}: status $R_STATUS"
		r_show
		: >"$1"
	fi
}

# mval FILE SERIES: the value of SERIES, written as in the exposition
# (name{label="value",...}, labels in the metric table's order), or 0
# when the series is not there.
mval() {
	awk -v k="$2" '$1 == k { v = $2; found = 1 }
	    END { if (found) print v; else print 0 }' "$1"
}

# fails COMMAND...: true when the command fails (check's negation).
fails() {
	! "$@"
}

has_series() {
	awk -v k="$2" '$1 == k { found = 1 } END { exit !found }' "$1"
}

# expect_count SERIES N: the series grew by exactly N from $M0 to $M1.
expect_count() {
	local a b d
	b=$(mval "$M0" "$1") a=$(mval "$M1" "$1")
	d=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.17g\n", a - b }')
	if [ "$d" = "$2" ]; then
		pass "$1: +$d"
	else
		fail "$1: +$d ($b -> $a), expected +$2"
	fi
}

# expect_value FILE SERIES N: the series is exactly N in FILE.
expect_value() {
	local v
	v=$(mval "$1" "$2")
	if [ "$v" = "$3" ]; then
		pass "${1##*/}: $2 = $v"
	else
		fail "${1##*/}: $2 = $v, expected $3"
	fi
}

# label_values FILE METRIC: the distinct label sets of a metric's samples.
label_values() {
	awk -v m="$2" 'index($1, m "{") == 1 { print substr($1, length(m) + 1) }' \
	    "$1" | sort -u | tr '\n' ' '
}

# sum_metric FILE METRIC: the sum of a metric's samples.
sum_metric() {
	awk -v m="$2" '$1 == m || index($1, m "{") == 1 { s += $2 }
	    END { printf "%.17g\n", s }' "$1"
}

# The voluntary context switches of each profile.fcgi process, as
# "pid:count ...": a process that answered requests has many more.
ctxt_switches() {
	local pid n
	for pid in $(fcgi_pids); do
		n=$(awk '$1 == "voluntary_ctxt_switches:" { print $2 }' \
		    "/proc/$pid/status" 2>/dev/null)
		printf '%s:%s ' "$pid" "${n:-0}"
	done
}

# busy_processes BEFORE AFTER: how many processes switched 20 times more.
busy_processes() {
	local b a n=0 pid
	for a in $2; do
		pid=${a%%:*}
		for b in $1; do
			[ "${b%%:*}" = "$pid" ] || continue
			[ $((${a#*:} - ${b#*:})) -ge 20 ] && n=$((n + 1))
		done
	done
	echo "$n"
}

# ---------------------------------------------------------------- setup

e2e_init
e2e_copy_etc "$E2E_TOP/etc"
# Loopback is a trusted proxy here, so that an X-Forwarded-For from outside
# the phones' addresses gives a not_phone_ip refusal without a reload.
etc_sed serviceconfig.yml 's/^trusted_proxies: \[\]/trusted_proxies: ["127.0.0.1"]/'
# A phone known by name only: its fetches count under "unknown" (it has no
# MAC to be a label value), not nowhere.
cat >>"$E2E_ETC/phones.yml" <<'EOF'

  # Added by tests/e2e/test_metrics.sh: a phone without a MAC.
  lobby:
    ip_address: "127.0.0.1"
    Station_Name: "Lobby"
EOF
"$E2E_TOP/build/deskprov" check "$E2E_ETC" >"$E2E_TMP/check.out" 2>&1 ||
    e2e_abort "deskprov check rejects the test config: $(cat "$E2E_TMP/check.out")"
htpasswd_write "$MONITOR" admin:e2e-admin-pw stranger:e2e-stranger-pw
write_burst
start_lighttpd
LIGHTTPD_PID=${E2E_PIDS[-1]}
# Every deskprov process lighttpd started (profile, metrics, and whatever
# else the example routes) loaded the config once and counted it.
N_FCGI=$(ps -o comm= --ppid "$LIGHTTPD_PID" | grep -c '\.fcgi$')
check "lighttpd spawned 4 profile.fcgi processes" \
    test "$(fcgi_pids | wc -w)" -eq 4
check "lighttpd spawned 2 metrics.fcgi processes" \
    test "$(fcgi_pids metrics.fcgi | wc -w)" -eq 2
check "lighttpd started $N_FCGI deskprov FastCGI processes in all (at least 6)" \
    test "$N_FCGI" -ge 6
check "one metrics store in the data directory" \
    test -s "$E2E_TMP/data/metrics.state"
PIDS_START="$(fcgi_pids) / $(fcgi_pids metrics.fcgi)"

# The two ETags the 304 requests need (both fetches are counted in M0).
req -A "$UA_OK" /reception.xml
expect_status 200 "reception's profile"
ETAG=$(header_value ETag)
req -A "$UA_OLD" /reception.xml
expect_status 200 "reception's upgrade document"
expect_log upgrade
UP_ETAG=$(header_value ETag)

# ---------------------------------------------------------------- baseline

M0=$E2E_TMP/metrics.0 M1=$E2E_TMP/metrics.1 M2=$E2E_TMP/metrics.2
scrape "$M0"
expect_header Content-Type '^text/plain; version=0\.0\.4(;|$)' "/metrics"
expect_header Cache-Control '^no-store$' "/metrics"
expect_log metrics 'uri=/metrics user=monitor ' "/metrics as monitor"
expect_value "$M0" "deskprov_build_info{version=\"$VERSION\"}" 1
expect_value "$M0" 'deskprov_config_reloads_total{result="ok"}' "$N_FCGI"
expect_value "$M0" 'deskprov_config_reloads_total{result="error"}' 0
expect_value "$M0" "phone_config_requests_total{phone_mac=\"$RECEPTION\"}" 2
expect_value "$M0" 'phone_firmware_updates_total{current_version="unknown",expected_version="12.0.1",phone_model="unknown"}' 1
expect_value "$M0" 'phone_activity_recent' 1
now=$(date +%s)
last=$(mval "$M0" deskprov_config_last_reload_timestamp_seconds)
check "last reload timestamp within the last 5 minutes ($last, now $now)" \
    test "$last" -le "$now" -a "$last" -gt $((now - 300))

# ---------------------------------------------------------------- traffic

long=$(printf 'a%.0s' $(seq 1100))
t_start=$(date +%s)
before=$(ctxt_switches)
# Served, per phone.
burst served 40 200 GET /reception.xml "User-Agent: $UA_OK"
burst served 25 200 GET /001122334466.xml 'User-Agent: Cisco-CP-8841-3PCC/12.0.2 (001122334466)'
burst served 15 200 GET /warehouse.xml
burst 'served (no MAC configured)' 8 200 GET /lobby.xml
# 304: the profile, and the upgrade document.
burst not_modified 12 304 GET /reception.xml "User-Agent: $UA_OK" "If-None-Match: $ETAG"
burst 'not_modified (upgrade)' 2 304 GET /reception.xml "User-Agent: $UA_OLD" "If-None-Match: $UP_ETAG"
# Unknown phone.
burst unknown_phone 9 404 GET /001122334499.xml
# Refusals, by reason.
burst ua_mismatch 6 403 GET /reception.xml 'User-Agent: Cisco-CP-6841-3PCC/12.0.1 (001122334466)'
burst not_phone_ip 4 403 GET /reception.xml "User-Agent: $UA_OK" 'X-Forwarded-For: 10.9.9.9'
burst bad_identifier 5 400 GET /ff:ff:ff:ff:ff:ff.xml
burst bad_method 3 405 POST /reception.xml
burst 'bad_path (URI too long)' 2 414 GET "/$long.xml"
# Firmware upgrades: the global version (no configured current version or
# model: "unknown"), and the 8841's own version from 12.0.1.
burst upgrade 7 200 GET /reception.xml "User-Agent: $UA_OLD"
burst upgrade 5 200 GET /conference-room.xml 'User-Agent: Cisco-CP-8841-3PCC/12.0.1 (001122334466)'
burst upgrade 3 200 GET /warehouse.xml 'User-Agent: Cisco-CP-6841-3PCC/12.0.0 (001122334477)'
# Hostile variety: random old versions and unknown models for a known
# phone, thousands of distinct random MACs for unknown ones.
burst 'upgrade (random versions, models)' 300 200 GET /reception.xml 'User-Agent: Cisco-{model}/{ver} (001122334455)'
burst 'unknown_phone (random MACs)' 3000 404 GET '/{mac}.xml' 'User-Agent: Cisco-CP-6841-3PCC/12.0.1 ({mac})'
after=$(ctxt_switches)
busy=$(busy_processes "$before" "$after")
check "the bursts were answered by several profile.fcgi processes ($busy of 4 busy: $after)" \
    test "$busy" -ge 2
t_end=$(date +%s)

# ---------------------------------------------------------------- exact counts

scrape "$M1"
expect_count "phone_config_requests_total{phone_mac=\"$RECEPTION\"}" 371
expect_count "phone_config_requests_total{phone_mac=\"$CONFERENCE\"}" 30
expect_count "phone_config_requests_total{phone_mac=\"$WAREHOUSE\"}" 18
expect_count 'phone_config_requests_total{phone_mac="unknown"}' 3017
expect_count 'phone_firmware_updates_total{current_version="unknown",expected_version="12.0.1",phone_model="unknown"}' 310
expect_count 'phone_firmware_updates_total{current_version="12.0.1",expected_version="12.0.2",phone_model="CP-8841-3PCC"}' 5
expect_count 'deskprov_requests_total{executable="profile",status="200"}' 403
expect_count 'deskprov_requests_total{executable="profile",status="304"}' 14
expect_count 'deskprov_requests_total{executable="profile",status="400"}' 5
expect_count 'deskprov_requests_total{executable="profile",status="403"}' 10
expect_count 'deskprov_requests_total{executable="profile",status="404"}' 3009
expect_count 'deskprov_requests_total{executable="profile",status="405"}' 3
expect_count 'deskprov_requests_total{executable="profile",status="414"}' 2
expect_count 'deskprov_requests_total{executable="metrics",status="200"}' 1
expect_count 'deskprov_rejections_total{reason="unknown_phone"}' 3009
expect_count 'deskprov_rejections_total{reason="ua_mismatch"}' 6
expect_count 'deskprov_rejections_total{reason="not_phone_ip"}' 4
expect_count 'deskprov_rejections_total{reason="bad_identifier"}' 5
expect_count 'deskprov_rejections_total{reason="bad_method"}' 3
expect_count 'deskprov_rejections_total{reason="bad_path"}' 2
expect_count phone_config_request_duration_seconds_count 3446
expect_count 'phone_config_request_duration_seconds_bucket{le="+Inf"}' 3446
expect_count 'deskprov_config_reloads_total{result="ok"}' 0
expect_value "$M1" phone_activity_recent 3
expect_value "$M1" reports_recent 0
expect_value "$M1" phone_config_differences 0
expect_value "$M1" phone_unexpected_params 0
check "histogram sum grew" awk -v a="$(mval "$M1" phone_config_request_duration_seconds_sum)" \
    -v b="$(mval "$M0" phone_config_request_duration_seconds_sum)" 'BEGIN { exit !(a > b) }'
for mac in $RECEPTION $CONFERENCE $WAREHOUSE; do
	v=$(mval "$M1" "deskprov_phone_last_profile_fetch_timestamp_seconds{phone_mac=\"$mac\"}")
	check "last profile fetch of $mac during the traffic ($v)" \
	    test "$v" -ge "$t_start" -a "$v" -le "$t_end"
done

# Bounded labels: the random MACs, versions and models all went to
# "unknown"; only configured values appear.
check "phone_config_requests_total: the 3 phones with a MAC and unknown, nothing else" \
    test "$(label_values "$M1" phone_config_requests_total)" = \
    "{phone_mac=\"$RECEPTION\"} {phone_mac=\"$CONFERENCE\"} {phone_mac=\"$WAREHOUSE\"} {phone_mac=\"unknown\"} "
check "last profile fetch: the 3 phones only" \
    test "$(label_values "$M1" deskprov_phone_last_profile_fetch_timestamp_seconds)" = \
    "{phone_mac=\"$RECEPTION\"} {phone_mac=\"$CONFERENCE\"} {phone_mac=\"$WAREHOUSE\"} "
check "phone_firmware_updates_total: 2 series, configured values or unknown" \
    test "$(label_values "$M1" phone_firmware_updates_total)" = \
    '{current_version="12.0.1",expected_version="12.0.2",phone_model="CP-8841-3PCC"} {current_version="unknown",expected_version="12.0.1",phone_model="unknown"} '
samples=$(grep -vc '^#' "$M1")
check "the whole scrape has $samples samples after 3,000 random MACs (< 100)" \
    test "$samples" -lt 100
check "no random MAC or version in the scrape" \
    test -z "$(grep -v '^#' "$M1" | grep -e '"11\.' -e '"CP-[0-9]\{4\}-' |
    grep -v -e '"CP-8841-3PCC"')"

# /status, straight after the scrape: its totals are the scrape's, plus
# the scrape itself (counted once it was answered).
req -u "$MONITOR" /status
expect_status 200 "/status as monitor"
expect_header Content-Type '^application/json' "/status"
expect_log status 'uri=/status user=monitor ' "/status as monitor"
expect_json 'j["status"] == "active" and j["phones_configured"] == 4' "/status"
expect_json 'j["discovery_mode"]["enabled"] is False and j["discovery_mode"]["exclude_macs"] == []' "/status"
expect_json 'j["config"]["firmware_expected_version"] == "12.0.1" and j["config"]["last_reload_error"] is None' "/status"
expect_json 're.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", j["config"]["last_reload"]) and re.match(r"\d{4}-", j["timestamp"])' "/status"
expect_json "j[\"metrics\"][\"requests_total\"] == $(sum_metric "$M1" deskprov_requests_total) + 1" "/status"
expect_json "j[\"metrics\"][\"rejections_total\"] == $(sum_metric "$M1" deskprov_rejections_total)" "/status"
expect_json "j[\"metrics\"][\"firmware_updates_total\"] == $(sum_metric "$M1" phone_firmware_updates_total)" "/status"
expect_json 'j["metrics"]["phone_activity_recent"] == 3 and j["metrics"]["reports_recent"] == 0' "/status"
expect_json 'j["metrics"]["phone_config_differences"] == 0 and j["metrics"]["phone_unexpected_params"] == 0' "/status"

# ---------------------------------------------------------------- authentication

req /metrics
expect_status 401 "/metrics without credentials"
expect_header WWW-Authenticate '^Basic realm="deskprov"' "/metrics without credentials"
check "/metrics without credentials: refused by lighttpd, not deskprov" test -z "$R_LOG"
req /status
expect_status 401 "/status without credentials"
req -u monitor:wrong-password /metrics
expect_status 401 "/metrics with a wrong password"
check "wrong password: refused by lighttpd, not deskprov" test -z "$R_LOG"
req -u nobody:e2e-monitor-pw /metrics
expect_status 401 "/metrics as a user not in the htpasswd file"
req -u stranger:e2e-stranger-pw /metrics
expect_status 403 "/metrics as a user lighttpd knows but serviceconfig.yml does not"
expect_log forbidden_role 'user=stranger ' "/metrics as stranger"
expect_body_lacks 'phone_config_requests_total' "/metrics as stranger"
req -u stranger:e2e-stranger-pw /status
expect_status 403 "/status as stranger"
req -u admin:e2e-admin-pw /metrics
expect_status 200 "/metrics as admin"
expect_body_contains 'phone_config_requests_total{phone_mac="001122334455"}' "/metrics as admin"
req -u admin:e2e-admin-pw /status
expect_status 200 "/status as admin"
req -u "$MONITOR" /metrics?x=1
expect_status 404 "/metrics with a query string"
req -u "$MONITOR" /metrics/
check "/metrics/ is not metrics.fcgi's ($R_STATUS)" test "$R_STATUS" = 404
req -u "$MONITOR" -X POST --data-binary 'x' /metrics
expect_status 405 "POST /metrics"
# Phones need no password, also for a phone named like a page.
req -A "$UA_OK" /reception.xml
expect_status 200 "a phone's profile without credentials"
req /status.xml
expect_status 404 "/status.xml goes to profile.fcgi, not to basic auth"
expect_log unknown_phone "" "/status.xml"
check "no basic-auth password in the log" \
    test -z "$(grep -a -e e2e-monitor-pw -e e2e-admin-pw -e e2e-stranger-pw "$E2E_LOG")"

# Only requests that passed lighttpd's check reached metrics.fcgi and
# were counted: M1, /status as monitor and as admin, /metrics as admin
# (200), the query string (404), the POST (405), stranger's two 403s;
# never a 401.
scrape "$M2"
M0=$M1 M1=$M2
expect_count 'deskprov_requests_total{executable="metrics",status="200"}' 4
expect_count 'deskprov_requests_total{executable="metrics",status="403"}' 2
expect_count 'deskprov_requests_total{executable="metrics",status="404"}' 1
expect_count 'deskprov_requests_total{executable="metrics",status="405"}' 1
expect_count 'deskprov_rejections_total{reason="forbidden_role"}' 2
check "no 401 counted: lighttpd answered those" \
    fails has_series "$M2" 'deskprov_requests_total{executable="metrics",status="401"}'

# ---------------------------------------------------------------- promtool

# promtool_ok FILE: promtool finds nothing wrong (its words in promtool.out).
promtool_ok() {
	promtool check metrics <"$1" >"$E2E_TMP/promtool.out" 2>&1 &&
	    [ ! -s "$E2E_TMP/promtool.out" ]
}

if command -v promtool >/dev/null; then
	if promtool_ok "$M2"; then
		pass "promtool check metrics: no problem in the scrape"
	else
		fail "promtool check metrics: $(head -5 "$E2E_TMP/promtool.out")"
	fi
	# The same text with one broken sample must be refused.
	sed 's/^\(phone_activity_recent\) .*/\1 three/' "$M2" >"$E2E_TMP/broken.prom"
	check "promtool refuses a broken copy of the scrape" \
	    fails promtool_ok "$E2E_TMP/broken.prom"
else
	skip "promtool is not installed (package prometheus, scripts/deps)"
fi

# ---------------------------------------------------------------- Prometheus

# prom_query EXPR: the value of the first result of an instant query ("" when
# there is none yet).
prom_query() {
	curl -s --max-time 5 "http://127.0.0.1:$PROM_PORT/api/v1/query" \
	    --data-urlencode "query=$1" 2>/dev/null | "$E2E_PY" -c '
import json, sys
try:
    j = json.load(sys.stdin)
    r = j["data"]["result"] if j.get("status") == "success" else []
    print(r[0]["value"][1] if r else "")
except Exception:
    print("")'
}

# prom_expect EXPR VALUE: waits (at most 20 s) until the query answers VALUE.
prom_expect() {
	local got
	for _ in $(seq 40); do
		got=$(prom_query "$1")
		[ "$got" = "$2" ] && break
		sleep 0.5
	done
	if [ "$got" = "$2" ]; then
		pass "Prometheus: $1 = $got"
	else
		fail "Prometheus: $1 = ${got:-(no result)}, expected $2"
	fi
}

# prom_ok EXPR: Prometheus accepts the query (valid PromQL).
prom_ok() {
	curl -s --max-time 5 "http://127.0.0.1:$PROM_PORT/api/v1/query" \
	    --data-urlencode "query=$1" 2>/dev/null |
	    grep -q '^{"status":"success"'
}

# Every query of etc/grafana-dashboard.json must be valid PromQL that names
# only metrics deskprov exports (a histogram through _bucket, _sum, _count)
# and label names they carry.
dashboard_checks() {
	local expr name bad n=0
	"$E2E_PY" -c 'import json, sys
for p in json.load(open(sys.argv[1]))["panels"]:
    for t in p.get("targets", []):
        print(t["expr"])' "$E2E_TOP/etc/grafana-dashboard.json" \
	    >"$E2E_TMP/dashboard.exprs" ||
	    { fail "etc/grafana-dashboard.json does not parse"; return; }
	while IFS= read -r expr; do
		n=$((n + 1))
		bad=
		for name in $(grep -oE '\b(phone|deskprov|reports)_[a-z_]+' <<<"$expr"); do
			grep -q "[{,]$name=\"" "$M2" && continue	# a label name
			grep -qE "^# TYPE (${name}|${name%_bucket}|${name%_sum}|${name%_count}) " "$M2" ||
			    bad="$bad $name"
		done
		check "dashboard query names exported metrics${bad:+ (not:$bad)}: $expr" \
		    test -z "$bad"
		check "Prometheus accepts the dashboard query: $expr" prom_ok "$expr"
	done <"$E2E_TMP/dashboard.exprs"
	check "the dashboard has queries ($n)" test "$n" -ge 10
}

run_prometheus() {
	local pid ready=
	PROM_PORT=$(free_port)
	mkdir -p "$E2E_TMP/prometheus-data"
	printf '%s' "${MONITOR#*:}" >"$E2E_TMP/prometheus.password"
	printf 'not-the-password' >"$E2E_TMP/prometheus.wrong"
	cat >"$E2E_TMP/prometheus.yml" <<EOF
# Written by tests/e2e/test_metrics.sh
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: deskprov
    metrics_path: /metrics
    basic_auth:
      username: monitor
      password_file: $E2E_TMP/prometheus.password
    static_configs:
      - targets: ["127.0.0.1:$E2E_PORT"]
  - job_name: deskprov-wrong-password
    metrics_path: /metrics
    basic_auth:
      username: monitor
      password_file: $E2E_TMP/prometheus.wrong
    static_configs:
      - targets: ["127.0.0.1:$E2E_PORT"]
EOF
	promtool check config "$E2E_TMP/prometheus.yml" >"$E2E_TMP/promtool-config.out" 2>&1 ||
	    fail "promtool check config: $(cat "$E2E_TMP/promtool-config.out")"
	(cd "$E2E_TMP" && exec prometheus \
	    --config.file="$E2E_TMP/prometheus.yml" \
	    --storage.tsdb.path="$E2E_TMP/prometheus-data" \
	    --web.listen-address="127.0.0.1:$PROM_PORT" \
	    --log.level=warn) >>"$E2E_TMP/prometheus.log" 2>&1 </dev/null &
	pid=$!
	e2e_spawned "$pid"
	for _ in $(seq 60); do
		if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
		    "http://127.0.0.1:$PROM_PORT/-/ready" 2>/dev/null)" = 200 ]; then
			ready=1
			break
		fi
		e2e_alive "$pid" || break
		sleep 0.5
	done
	if [ -z "$ready" ]; then
		fail "prometheus did not start: $(tail -3 "$E2E_TMP/prometheus.log")"
		return
	fi
	pass "prometheus ready on 127.0.0.1:$PROM_PORT"
	log_read
	prom_expect 'up{job="deskprov"}' 1
	prom_expect 'up{job="deskprov-wrong-password"}' 0
	prom_expect "phone_config_requests_total{phone_mac=\"$RECEPTION\"}" \
	    "$(mval "$M2" "phone_config_requests_total{phone_mac=\"$RECEPTION\"}")"
	prom_expect 'phone_config_requests_total{phone_mac="unknown"}' \
	    "$(mval "$M2" 'phone_config_requests_total{phone_mac="unknown"}')"
	prom_expect 'count(phone_config_requests_total)' 4
	prom_expect 'sum(phone_firmware_updates_total)' \
	    "$(sum_metric "$M2" phone_firmware_updates_total)"
	prom_expect 'phone_config_request_duration_seconds_count' \
	    "$(mval "$M2" phone_config_request_duration_seconds_count)"
	dashboard_checks
	log_read
	check "Prometheus scraped through lighttpd as monitor (deskprov's log)" \
	    grep -qa 'deskprov\[metrics\] .*uri=/metrics user=monitor outcome=metrics status=200 .*ua=Prometheus/' "$E2E_LOG"
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 100); do
		e2e_alive "$pid" || break
		sleep 0.1
	done
	if e2e_alive "$pid"; then
		fail "prometheus still running 10 s after SIGTERM"
	else
		pass "prometheus stopped"
	fi
}

if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
	run_prometheus
else
	skip "prometheus is not installed (package prometheus, scripts/deps)"
fi

check "no FastCGI process died or was replaced ($PIDS_START)" \
    test "$(fcgi_pids) / $(fcgi_pids metrics.fcgi)" = "$PIDS_START"
expect_log_clean "$E2E_LOG"
e2e_finish
