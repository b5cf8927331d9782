#!/bin/bash
# The gateway to the vendors' redirect services (issue 13), end to end:
# rps.fcgi (as CGI) and `deskprov rps` against tests/e2e/rps_fake.py, an
# XML-RPC server over TLS playing Snom, Yealink, Fanvil and Gigaset with a
# test CA this test makes with the openssl CLI.
#  1. Falconieri's API: each vendor's exact method sequence, argument
#     types and MAC spelling, Basic auth (Fanvil's double MD5), register,
#     override, check, deregister; every refusal with Falconieri's word and
#     the vendor's message: owned by another user, bad URL, bad MAC, HTTP
#     500, malformed XML-RPC, no answer (504), a certificate the CA did not
#     sign, a 10 MB answer (capped); roles rps/admin, 401/403; Falconieri's
#     environment variables override rps.yml; no credential in any log,
#     state file or metric.
#  2. The fleet: `deskprov rps register|check all` with --dry-run, state,
#     a re-run that sends nothing; 1,000 devices against a fake that fails
#     5 % of them: the summary is exact and a re-run retries only those.
. "$(dirname "$0")/lib.sh"

e2e_init
command -v openssl >/dev/null || e2e_skip_all "openssl is not installed (scripts/deps)"
CLI=$E2E_TOP/build/deskprov
[ -x "$CLI" ] && [ -x "$E2E_TOP/cgi-bin/rps.fcgi" ] ||
    e2e_abort "build/deskprov or cgi-bin/rps.fcgi is not built (make)"
T=$E2E_TMP
PW='fake-secret-Pw1'

# ---------------------------------------------------------------- the CA
mkcert() {	# mkcert NAME CA-NAME: a key and a certificate for 127.0.0.1
	openssl req -newkey rsa:2048 -nodes -keyout "$T/$1.key" -out "$T/$1.csr" \
	    -subj "/CN=127.0.0.1" 2>/dev/null &&
	printf 'subjectAltName=IP:127.0.0.1\n' >"$T/$1.ext" &&
	openssl x509 -req -in "$T/$1.csr" -CA "$T/$2.crt" -CAkey "$T/$2.key" \
	    -CAcreateserial -out "$T/$1.crt" -days 2 -extfile "$T/$1.ext" 2>/dev/null
}
for ca in ca rogue; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/$ca.key" \
	    -out "$T/$ca.crt" -days 2 -subj "/CN=deskprov test $ca" 2>/dev/null ||
	    e2e_abort "openssl: cannot make the test CA"
done
mkcert srv ca || e2e_abort "openssl: cannot sign the server certificate"

# start_fake NAME [ARGS...]: the fake on a free port; PORT_<NAME> is set.
start_fake() {
	local name=$1 i
	shift
	"$E2E_PY" "$E2E_DIR/rps_fake.py" --cert "$T/srv.crt" --key "$T/srv.key" \
	    --user rpsuser --password "$PW" --log "$T/$name.calls" \
	    --port-file "$T/$name.port" "$@" 2>"$T/$name.err" &
	e2e_spawned $!
	for i in $(seq 100); do [ -s "$T/$name.port" ] && break; sleep 0.1; done
	[ -s "$T/$name.port" ] || e2e_abort "rps_fake.py did not start: $(cat "$T/$name.err")"
	printf -v "PORT_$name" '%s' "$(cat "$T/$name.port")"
}
start_fake main

# ---------------------------------------------------------------- config
e2e_copy_etc "$E2E_TOP/tests/data/vendors/fleet"
cat >"$E2E_ETC/serviceconfig.yml" <<'YML'
ip_authorization: off
auth:
  enabled: true
  users:
    admin: {username: admin, role: admin}
    mon: {username: mon, role: monitor}
    gw: {username: gw, role: rps}
YML
# Timeouts far above what the fake needs, even on a loaded machine: only
# the case of an answer that never comes uses a short one (ETC3).
write_rps() {	# write_rps DIR PORT CA [TIMEOUT]
	local dir=$1 port=$2 ca=$3 timeout=${4:-120} v
	{
		printf 'timeout: %s\nconnect_timeout: 60\n' "$timeout"
		printf 'base_url: https://prov.example.com/dp/\n'
		printf 'providers:\n'
		for v in snom yealink fanvil gigaset; do
			printf '  %s:\n    enabled: true\n    user: rpsuser\n' "$v"
			printf '    password: "%s"\n    endpoint: https://127.0.0.1:%s/%s\n' \
			    "$PW" "$port" "$v"
			printf '    ca_file: %s\n' "$ca"
		done
	} >"$dir/rps.yml"
}
write_rps "$E2E_ETC" "$PORT_main" "$T/ca.crt"


# rps ETC METHOD URI [BODY] [USER] [VAR=VALUE...]: rps.fcgi as CGI.
rps() {
	local etc=$1 method=$2 uri=$3 body=${4:-} user=${5-gw} out=$T/cgi.out all=''
	shift 5 2>/dev/null || shift $#
	printf '%s' "$body" | env -i PATH=/usr/bin:/bin GATEWAY_INTERFACE=CGI/1.1 \
	    REQUEST_METHOD="$method" REQUEST_URI="$uri" REMOTE_ADDR=127.0.0.1 \
	    REMOTE_USER="$user" CONTENT_LENGTH="${#body}" CONTENT_TYPE=application/json \
	    DESKPROV_ETC="$etc" DESKPROV_SCHEMA_DIR="$E2E_TOP/schema" \
	    DESKPROV_DATA="$T/data" DESKPROV_E2E_MARK="$T" "$@" \
	    "$E2E_TOP/cgi-bin/rps.fcgi" >"$out" 2>>"$T/rps.log"
	IFS= read -r -d '' all <"$out"
	printf '%s\r\n' "${all%%$'\r\n\r\n'*}" >"$R_HDRS"
	printf '%s' "${all#*$'\r\n\r\n'}" >"$R_BODY"
	r_load
	R_STATUS=$(header_value Status)
	R_STATUS=${R_STATUS%% *}
	R_STATUS=${R_STATUS:-000}
	R_PATH="$method $uri"
}
calls() { [ -f "$T/$1.calls" ] && wc -l <"$T/$1.calls" | tr -d ' ' || echo 0; }
# last_calls N: the last N calls the fake saw, as "method(args)" lines.
last_calls() {
	tail -n "$1" "$T/main.calls" | "$E2E_PY" -c 'import json, sys
def f(a):
    return "[" + ",".join(f(x) for x in a[1]) + "]" if a[0] == "a" else a[0] + ":" + str(a[1])
for l in sys.stdin:
    c = json.loads(l)
    print(c["vendor"] + " " + c["method"] + "(" + ",".join(f(a) for a in c["args"]) + ")")'
}
expect_calls() {	# expect_calls WHAT EXPECTED-LINES
	local n got
	n=$(printf '%s\n' "$2" | wc -l)
	got=$(last_calls "$n")
	if [ "$got" = "$2" ]; then pass "$1: calls as the vendor wants"; else
		fail "$1: calls were:"$'\n'"$got"$'\n'"wanted:"$'\n'"$2"; fi
}
URL='{"url": "https://prov.example.com/dp/{mac}.xml"}'

# ---------------------------------------------------------------- 1. API
rps "$E2E_ETC" PUT /providers/snom/00-04-13-AA-BB-02 "$URL"
expect_status 200
expect_json 'j["outcome"] == "ok" and j["provider"] == "snom" and j["mac"] == "000413aabb02"'
expect_calls "snom register" "snom redirect.registerPhone(s:000413AABB02,s:https://prov.example.com/dp/{mac}.xml)"

rps "$E2E_ETC" PUT /providers/yealink/00-15-65-AA-BB-01 "$URL"
expect_status 200
expect_calls "yealink register" "yealink redirect.registerDeviceWithUniqueUrl(s:00-15-65-AA-BB-01,s:deskprov,s:https://prov.example.com/dp/{mac}.xml,s:1)"

rps "$E2E_ETC" PUT /providers/fanvil/0C-38-3E-AA-BB-04 '{"url": "https://prov.example.com:8443/dp/$mac.cfg?x=1"}'
expect_status 200
expect_calls "fanvil register (double-MD5 auth, no query string)" "fanvil redirect.deleteServer(s:0C383EAABB04)
fanvil redirect.addMaterialServer([s:cfgName=0C383EAABB04,s:cfgPfMode=1,s:cfgDhcpOpt=false,s:cfgPnpEnable=false,s:cfgPfSrv=prov.example.com:8443,s:cfgPfName=dp/\$mac.cfg,s:cfgPfProt=5])
fanvil redirect.deRegisterDevice(s:0C383EAABB04)
fanvil redirect.registerDevice(s:0C383EAABB04,s:0C383EAABB04)"
# The second time the old server group exists and is deleted for real.
rps "$E2E_ETC" PUT /providers/fanvil/0C-38-3E-AA-BB-04 '{"url": "https://prov.example.com/dp/$mac.cfg"}'
expect_status 200

rps "$E2E_ETC" PUT '/providers/gigaset/7C-2F-80-AA-BB-06?crc=AB12' "$URL"
expect_status 200
expect_calls "gigaset register (deregister first, MAC-ID)" "gigaset autoprov.deregisterDevice(s:7C2F80AABB06-AB12)
gigaset autoprov.registerDevice(s:7C2F80AABB06-AB12,s:https://prov.example.com/dp/{mac}.xml,s:deskprov)"
rps "$E2E_ETC" PUT /providers/gigaset/7C-2F-80-AA-BB-06 "$URL"
expect_status 400
expect_json 'j["error"] == "missing_mac-id_crc"'
rps "$E2E_ETC" PUT '/providers/gigaset/7C-2F-80-AA-BB-06?crc=ab12' "$URL"
expect_status 400
expect_json 'j["error"] == "invalid_mac-id_crc_format"'

# Override, check, deregister.
rps "$E2E_ETC" PUT /providers/snom/00-04-13-AA-BB-02 '{"url": "https://other.example.com/{mac}.xml"}'
expect_status 200
expect_calls "snom override" "snom redirect.registerPhone(s:000413AABB02,s:https://other.example.com/{mac}.xml)"
rps "$E2E_ETC" GET /providers/snom/00-04-13-AA-BB-02
expect_status 200
expect_calls "snom check" "snom redirect.checkPhone(s:000413AABB02)"
rps "$E2E_ETC" GET /providers/yealink/00-15-65-AA-BB-01
expect_status 200
expect_json 'j["message"] == "registered"'
rps "$E2E_ETC" DELETE /providers/snom/00-04-13-AA-BB-02
expect_status 200
expect_calls "snom deregister" "snom redirect.deregisterPhone(s:000413AABB02)"
rps "$E2E_ETC" GET /providers/snom/00-04-13-AA-BB-02
expect_status 404
expect_json 'j["error"] == "not_registered" and j["message"] == "Error:no_such_mac"'
n=$(calls main)
rps "$E2E_ETC" GET /providers/fanvil/0C-38-3E-AA-BB-04
expect_status 501
check "fanvil check: nothing sent (its API has no check)" test "$(calls main)" -eq "$n"

# Refusals, per vendor where the vendor has its own words.
for v in snom:000413 yealink:001565 fanvil:0C383E 'gigaset:7C2F80?crc=AB12'; do
	p=${v%%:*}
	q=; [[ $v == *'?'* ]] && q="?${v#*\?}"
	rps "$E2E_ETC" PUT "/providers/$p/02-EE-EE-00-00-01$q" "$URL"
	expect_status 502 "$p: owned by another user"
	expect_json 'j["error"] == "device_owned_by_other_user" and len(j["message"]) > 3' "$p: owned"
	rps "$E2E_ETC" PUT "/providers/$p/02-BA-D0-00-00-01$q" "$URL"
	expect_status 502 "$p: MAC refused"
	expect_json 'j["error"] == "not_valid_mac_address"' "$p: bad MAC"
	rps "$E2E_ETC" PUT "/providers/$p/00-04-13-00-00-09$q" '{"url": "https://bad-url.example/x"}'
	expect_status 502 "$p: URL refused"
	expect_json 'j["error"] == "malformed_url"' "$p: bad URL"
done
rps "$E2E_ETC" PUT /providers/snom/ZZ-04-13-AA-BB-02 "$URL"
expect_status 400
expect_json 'j["error"] == "missing_mac_address"'
rps "$E2E_ETC" PUT /providers/snom/00-04-13-AA-BB-02 '{"url": "gopher://h/x"}'
expect_status 400
expect_json 'j["error"] == "unsupported_url_scheme"'
rps "$E2E_ETC" PUT /providers/snom/00-04-13-AA-BB-02 'not json'
expect_status 400
expect_json 'j["error"] == "missing_url"'
rps "$E2E_ETC" PUT /providers/acme/00-04-13-AA-BB-02 "$URL"
expect_status 404
expect_json 'j["error"] == "provider_not_supported"'
rps "$E2E_ETC" POST /providers/snom/00-04-13-AA-BB-02 "$URL"
expect_status 405

rps "$E2E_ETC" PUT /providers/snom/02-50-00-00-00-01 "$URL"
expect_status 502 "HTTP 500"
expect_json 'j["error"] == "provider_remote_call_failed"'
rps "$E2E_ETC" PUT /providers/snom/02-BE-EF-00-00-01 "$URL"
expect_status 502 "malformed XML-RPC"
expect_json 'j["error"] == "unknown_response_from_provider"'
ETC3=$T/etc3
cp -R "$E2E_ETC" "$ETC3"
write_rps "$ETC3" "$PORT_main" "$T/ca.crt" 2
rps "$ETC3" PUT /providers/snom/02-DE-AD-00-00-01 "$URL"
expect_status 504 "no answer within rps.yml timeout"
expect_json 'j["error"] == "remote_provider_timeout"'
rps "$E2E_ETC" PUT /providers/snom/02-B1-66-00-00-01 "$URL"
expect_status 502 "10 MB answer"
expect_json 'j["error"] == "read_remote_response_failed" and "cap" in j["message"]'

# A certificate our CA did not sign: the verification stays on.
ETC2=$T/etc2
cp -R "$E2E_ETC" "$ETC2"
write_rps "$ETC2" "$PORT_main" "$T/rogue.crt"
n=$(calls main)
rps "$ETC2" PUT /providers/snom/00-04-13-AA-BB-02 "$URL"
expect_status 502 "certificate of another CA"
expect_json 'j["error"] == "connection_to_remote_provider_failed"'
check "certificate of another CA: no call reached the fake" test "$(calls main)" -eq "$n"

# Falconieri's variables win over rps.yml: a wrong password is refused.
rps "$E2E_ETC" PUT /providers/snom/00-04-13-AA-BB-02 "$URL" gw SNOM_PASSWORD=wrong-pw
expect_status 502 "SNOM_PASSWORD overrides rps.yml"
expect_json 'j["error"] == "provider_remote_call_failed" and "401" in j["message"]'
rps "$E2E_ETC" PUT /providers/snom/00-04-13-AA-BB-02 "$URL" gw SNOM_DISABLE=true
expect_status 404 "SNOM_DISABLE=true"

# Roles.
rps "$E2E_ETC" GET /providers/yealink/00-15-65-AA-BB-01 '' ''
expect_status 401 "no user"
rps "$E2E_ETC" GET /providers/yealink/00-15-65-AA-BB-01 '' mon
expect_status 403 "monitor role"
rps "$E2E_ETC" GET /providers/yealink/00-15-65-AA-BB-01 '' admin
expect_status 200 "admin role"

# State and secrets.
check "state: snom-000413aabb02.json in DATA/rps" test -f "$T/data/rps/snom-000413aabb02.json"
check "state: the registered URL and outcome" "$E2E_PY" -c 'import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(not (j["url"] == "https://prov.example.com/dp/$mac.cfg" and j["outcome"] == "ok" and j["op"] == "register"))' "$T/data/rps/fanvil-0c383eaabb04.json"
check "no password in logs, state files or metrics" eval \
    '! grep -rqa -e "$PW" -e wrong-pw -e 7022cd "$T/rps.log" "$T/data"'

# Metrics: counted per provider and outcome, with a latency histogram.
scrape() {
	env -i PATH=/usr/bin:/bin GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET \
	    REQUEST_URI=/metrics REMOTE_ADDR=127.0.0.1 REMOTE_USER=admin \
	    DESKPROV_ETC="$E2E_ETC" DESKPROV_SCHEMA_DIR="$E2E_TOP/schema" \
	    DESKPROV_DATA="$T/data" "$E2E_TOP/cgi-bin/metrics.fcgi" >"$T/metrics.out" 2>/dev/null
}
yealink_ok() {
	scrape
	sed -n 's/^deskprov_rps_requests_total{provider="yealink",outcome="ok"} //p' "$T/metrics.out"
}
scrape
check "metrics: snom register ok counted" grep -q '^deskprov_rps_requests_total{provider="snom",outcome="ok"} [1-9]' "$T/metrics.out"
check "metrics: timeout counted" grep -q '^deskprov_rps_requests_total{provider="snom",outcome="remote_provider_timeout"} 1$' "$T/metrics.out"
check "metrics: latency histogram per provider" grep -q '^deskprov_rps_request_duration_seconds_count{provider="fanvil"} [1-9]' "$T/metrics.out"

# ---------------------------------------------------------------- 2. the fleet
export DESKPROV_SCHEMA_DIR=$E2E_TOP/schema DESKPROV_DATA=$T/cli-data
cli() { "$CLI" "$@" >"$T/cli.out" 2>"$T/cli.err"; RC=$?; }
n=$(calls main)
cli rps register all --dry-run --etc "$E2E_ETC"
check "dry run: exit 0" test "$RC" -eq 0
check "dry run: snom, yealink, fanvil planned" eval \
    '[ "$(grep -c "^would" "$T/cli.out")" -eq 3 ] && grep -q "^would .*snom-desk .*https://prov.example.com/dp/{mac}.xml" "$T/cli.out"'
check "dry run: gigaset skipped (no MAC-ID CRC)" grep -q '^skipped .*gigaset-desk' "$T/cli.out"
check "dry run: nothing sent" test "$(calls main)" -eq "$n"
cli rps register all --etc "$E2E_ETC"
check "register all: exit 0" test "$RC" -eq 0
check "register all: summary" grep -qx 'register: 11 selected, 3 ok, 0 failed, 0 unchanged, 8 skipped' "$T/cli.out"
check "register all: no progress bar off a terminal" test ! -s "$T/cli.err"
n=$(calls main)
cli rps register vendor:snom --etc "$E2E_ETC"
check "re-run: unchanged, nothing sent" eval \
    'grep -qx "register: 1 selected, 0 ok, 0 failed, 1 unchanged, 0 skipped" "$T/cli.out" && [ "$(calls main)" -eq "$n" ]'
cli rps check yealink-desk --etc "$E2E_ETC"
check "check one phone: registered" eval '[ "$RC" -eq 0 ] && grep -q "^ok .*yealink-desk.*registered" "$T/cli.out"'
before=$(yealink_ok)
DESKPROV_DATA=$T/data cli rps check yealink-desk --etc "$E2E_ETC"
check "the tool counts in the servers' metrics store" test "$(yealink_ok)" -eq $((before + 1))
cli rps register nosuchphone --etc "$E2E_ETC"
check "unknown phone: exit 2" test "$RC" -eq 2

# The admin pages (compare.fcgi) show the state.
page() {
	env -i PATH=/usr/bin:/bin GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET \
	    REQUEST_URI="$1" REMOTE_ADDR=127.0.0.1 REMOTE_USER="${2:-admin}" \
	    DESKPROV_ETC="$E2E_ETC" DESKPROV_SCHEMA_DIR="$E2E_TOP/schema" \
	    DESKPROV_DATA="$T/cli-data" "$E2E_TOP/cgi-bin/compare.fcgi" >"$T/page.out" 2>/dev/null
}
page /phone/snom-desk
check "phone page: the registration, its URL" eval \
    'grep -q "Redirect service" "$T/page.out" && grep -q "snom register: ok" "$T/page.out" && grep -q "https://prov.example.com/dp/{mac}.xml" "$T/page.out"'
page / gw
check "the rps role opens no admin page (403)" grep -q '^Status: 403' "$T/page.out"
page /phone/gigaset-desk
check "phone page: never registered" grep -q "never registered" "$T/page.out"
page /
check "fleet table: a Redirect service column with the state" eval \
    'grep -q "<th scope=\"col\">Redirect service</th>" "$T/page.out" && [ "$(grep -o "yealink register: ok" "$T/page.out" | wc -l)" -eq 1 ]'

# 1,000 devices, a fake that fails 5 % of them once.
start_fake bulk --fail-every 20
BULK=$T/etc-bulk
mkdir -p "$BULK"
cp "$E2E_ETC/serviceconfig.yml" "$E2E_ETC/common.yml" "$E2E_ETC/devices.yml" "$BULK/"
"$E2E_PY" - "$BULK/phones.yml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("phones:\n")
    base = 0x020000000000 + 8          # a multiple of 20
    for i in range(1000):
        m = "%012x" % (base + i)
        f.write('  d%04d: {mac: "%s", vendor: snom, model: D785}\n' % (i, m))
PY
write_rps "$BULK" "$PORT_bulk" "$T/ca.crt"
DESKPROV_DATA=$T/bulk-data cli rps register all --etc "$BULK"
check "bulk: exit 1 when any failed" test "$RC" -eq 1
check "bulk: summary exact (950 ok, 50 failed)" grep -qx 'register: 1000 selected, 950 ok, 50 failed, 0 unchanged, 0 skipped' "$T/cli.out"
check "bulk: 50 failure lines" test "$(grep -c '^failed .*provider_remote_call_failed' "$T/cli.out")" -eq 50
n=$(calls bulk)
DESKPROV_DATA=$T/bulk-data cli rps register all --etc "$BULK"
check "bulk re-run: exit 0" test "$RC" -eq 0
check "bulk re-run: only the failures retried" grep -qx 'register: 1000 selected, 50 ok, 0 failed, 950 unchanged, 0 skipped' "$T/cli.out"
check "bulk re-run: exactly 50 calls" test "$(( $(calls bulk) - n ))" -eq 50

# The shipped sync units verify.
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$T/stage/bin" "$T/units"
	cp "$CLI" "$T/stage/bin/deskprov"
	for f in "$E2E_TOP"/dist/systemd/deskprov-rps-sync.*; do
		sed "s|/usr/local|$T/stage|g" "$f" >"$T/units/${f##*/}"
	done
	out=$(cd "$T/units" && systemd-analyze verify --man=no ./deskprov-rps-sync.service \
	    ./deskprov-rps-sync.timer 2>&1)
	check "systemd-analyze verify deskprov-rps-sync.{service,timer}${out:+: $out}" test -z "$out"
else
	skip "systemd-analyze is not installed: the sync units are not verified"
fi
cli rps sync --etc "$E2E_ETC"
check "sync with auto off: does nothing, exit 0" eval \
    '[ "$RC" -eq 0 ] && grep -q "automatic registration is off" "$T/cli.out"'

# Behind lighttpd as lighttpd.conf.example routes it: basic auth first.
if command -v lighttpd >/dev/null && command -v htpasswd >/dev/null; then
	htpasswd_write gw:e2e-gw-pw mon:e2e-mon-pw
	start_lighttpd
	req -X PUT --data-binary "$URL" /providers/snom/00-04-13-AA-BB-02
	expect_status 401 "lighttpd: no password"
	req -u gw:e2e-gw-pw -X PUT --data-binary "$URL" /providers/snom/00-04-13-AA-BB-02
	expect_status 200 "lighttpd: rps user"
	expect_json 'j["outcome"] == "ok"' "lighttpd: rps user"
	req -u mon:e2e-mon-pw -X DELETE /providers/snom/00-04-13-AA-BB-02
	expect_status 403 "lighttpd: monitor user"
else
	skip "lighttpd or htpasswd is not installed: no route check"
fi

e2e_finish
