#!/bin/bash
# Issue 11's acceptance for links, through lighttpd, Apache and nginx, each
# configured from its example: a device created by the API (with link
# rules) is fetched by every link kind -- the plain URL as links.plain
# says (bootstrap: a password-free file naming the personal link), the
# personal link the API gave, the fleet token and a one-time link from
# `deskprov link create`; the delay from the API's answer to the first
# served fetch is measured and printed (never asserted).  Then every
# refusal, each with its exact status and exactly one log line with its
# outcome word: an expired device, a used-up one-time link, another
# phone's MAC in the file name and in the User-Agent, an address outside
# the device's allow list (127.0.0.2 is allowed, 127.0.0.1 is not), a bad
# key, token and one-time id, and MAC enumeration from an address of its
# own (429 with Retry-After).  No SIP password, link key, fleet token or
# one-time id may appear in any answer that is not the phone's own file,
# on the admin pages (compare.fcgi: the fleet and the phone pages), in
# /metrics, or in any log -- the web servers' access logs included.
#
# Apache and nginx share spawn-fcgi pools running as www-data (which owns
# devices.d and the data directory); lighttpd runs last, as we do, on the
# same config and data directories.
. "$(dirname "$0")/lib.sh"

E2E_PROCS+='|api.fcgi'
API_AUTH=(-u api:e2e-api-pw)
JSON=(-H 'Content-Type: application/json')
TOKEN=e2e-fleet-token-$RANDOM$RANDOM$RANDOM
TOKEN_SHA=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
# Every secret the test makes: the passwords, the fleet token, then each
# server's link keys and one-time ids as they are made.
SECRETS=("$TOKEN")
DELAYS=()

command -v curl >/dev/null || e2e_skip_all "curl is not installed"
HAVE_JSONSCHEMA=
"$E2E_PY" -c 'import jsonschema' 2>/dev/null && HAVE_JSONSCHEMA=1
[ -x "$E2E_TOP/cgi-bin/api.fcgi" ] || e2e_abort "cgi-bin/api.fcgi is not built"

# ---------------------------------------------------------------- helpers

# The config: the sample etc, links on (bootstrap plain URLs, the fleet
# token), the abuse defence counting every address but 127.0.0.1 (the
# sample allows all of 127.0.0.0/8) so that 127.0.1.N can be caught
# enumerating, and devices.d writable by the pools' user.
links_etc() {
	e2e_copy_etc "$E2E_TOP/etc"
	cat >>"$E2E_ETC/serviceconfig.yml" <<EOF
links:
  base_url: "http://prov.example/"
  plain: bootstrap
  token_sha256: $TOKEN_SHA
abuse:
  max_unknown: 10
  block_seconds: 300
  allow: ["127.0.0.1/32"]
EOF
	mkdir -p "$E2E_ETC/devices.d"
	[ "$(id -u)" -eq 0 ] && chown www-data "$E2E_ETC/devices.d" "$E2E_TMP/data"
	"$E2E_TOP/build/deskprov" check "$E2E_ETC" >"$E2E_TMP/check.out" 2>&1 ||
	    e2e_abort "deskprov check rejects the test config: $(cat "$E2E_TMP/check.out")"
}

# Can we send from 127.0.0.2 (a second loopback address)?
SRC_OK=
curl -s -o /dev/null --max-time 2 --interface 127.0.0.2 http://127.0.0.1:1/ 2>/dev/null
[ $? -ne 45 ] && SRC_OK=1	# 45: could not bind the source address

# req_from ADDR [-A UA] PATH: a GET from the source address ADDR (curl
# --interface), with R_STATUS, R_BODY/R_TEXT, R_HEADERS and R_LOG set as
# req sets them.
req_from() {
	local addr=$1 ua=() path
	shift
	[ "$1" = -A ] && { ua=(-A "$2"); shift 2; }
	path=$1
	log_read
	R_STATUS=$(curl -s --interface "$addr" --max-time 10 "${ua[@]}" \
	    -D "$R_HDRS" -o "$R_BODY" -w '%{http_code}' "$E2E_BASE$path")
	R_PATH="$path (from $addr)"
	r_load
	log_read
}

# A refusal: the status, one log line with the outcome, no secret.
expect_refusal() {
	local s
	expect_status "$2" "$1"
	expect_log "$3" "" "$1"
	for s in "${SECRETS[@]}"; do
		[[ $R_TEXT == *"$s"* ]] && fail "$1: the refusal holds a secret"
	done
	return 0
}

# The phone's own file, whole.
expect_file() {
	expect_status 200 "$1"
	expect_log served "" "$1"
	expect_body_contains "$2" "$1"
}

# No secret in the last answer.
expect_no_secret() {
	local s
	for s in "${SECRETS[@]}"; do
		[[ $R_TEXT == *"$s"* ]] && { fail "$1: holds a secret"; return; }
	done
	pass "$1: no password, key, token or one-time id"
}

json_get() {
	"$E2E_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
	    "$R_BODY" "$1" 2>/dev/null
}

# deskprov link create as the user the FastCGI processes run as.
link_create() {
	local user
	user=$(own_users profile.fcgi)
	user=${user%% *}
	if [ -z "$user" ] || [ "$user" = root ] || [ "$(id -u)" -ne 0 ]; then
		"$E2E_TOP/build/deskprov" link create "$@" --etc "$E2E_ETC" \
		    --data "$E2E_TMP/data"
	else
		as_user "$user" "$E2E_TOP/build/deskprov" link create "$@" \
		    --etc "$E2E_ETC" --data "$E2E_TMP/data"
	fi
}

# api_valid WHAT METHOD PATH: the last answer is one the OpenAPI document
# describes (python3-jsonschema, as test_api.sh checks).
api_valid() {
	local why
	if [ -z "$HAVE_JSONSCHEMA" ]; then
		return 0
	elif why=$("$E2E_PY" "$E2E_DIR/api_check.py" response \
	    "$E2E_TOP/schema/openapi.json" "$2" "$3" "$R_STATUS" "$R_HDRS" \
	    "$R_BODY"); then
		pass "$1: $2 $3 $R_STATUS as the OpenAPI document says"
	else
		fail "$1: $2 $3 $R_STATUS: $why"
	fi
}

# put_device SERVER ID MAC PASSWORD LINKS-JSON: creates a Yealink T46S by
# the API; sets KEY to the personal link key the answer shows once.
put_device() {
	local s=$1 id=$2 mac=$3 pw=$4 links=$5
	req -X PUT "${API_AUTH[@]}" "${JSON[@]}" --data-binary \
	    "{\"vendor\":\"yealink\",\"model\":\"T46S\",\"mac\":\"$mac\",\"links\":$links,\"accounts\":[{\"line\":1,\"user\":\"2${mac: -3}\",\"password\":\"$pw\"}]}" \
	    "/api/v1/devices/$id"
	expect_status 201 "$s: PUT /api/v1/devices/$id creates it"
	api_valid "$s" PUT "/api/v1/devices/$id"
	expect_body_lacks "$pw" "$s: PUT /api/v1/devices/$id"
	KEY=$(json_get link_key)
	check "$s: $id: the answer shows the personal link key once" \
	    test "${#KEY}" = 43
	SECRETS+=("$KEY")
}

ua_of() {
	local m=$1
	echo "Yealink SIP-T46S 66.86.0.15 ${m:0:2}:${m:2:2}:${m:4:2}:${m:6:2}:${m:8:2}:${m:10:2}"
}

# ---------------------------------------------------------------- the checks

# links_checks SERVER N: everything through one server; N makes its ids,
# MACs and addresses its own.
links_checks() {
	local s=$1 n=$2 t0 i url id key xkey fkey c
	local mac=0015650bb${n}01 xmac=0015650bb${n}02 fmac=0015650bb${n}03
	local pw=pw-link-$n-$RANDOM
	SECRETS+=("$pw" "pw-expired-$n" "pw-fenced-$n")

	# Create, then fetch by the personal link until it is served.
	put_device "$s" "ln-$s" "$mac" "$pw" '{"mac_check":true}'
	key=$KEY
	t0=$EPOCHREALTIME
	for i in $(seq 400); do
		req -A "$(ua_of "$mac")" "/p/$key/$mac.cfg"
		[ "$R_STATUS" = 200 ] && break
		sleep 0.025
	done
	DELAYS+=("$s $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')")
	note "$s: reload delay, API answer to the first fetch served by the personal link: ${DELAYS[-1]#* } s"
	expect_file "$s: personal link /p/<key>/$mac.cfg" "account.1.password = $pw"
	check "$s: the log line masks the key (uri=/p/-/$mac.cfg)" \
	    grep -q " uri=/p/-/$mac.cfg " <<<"$R_LOG"
	put_device "$s" "lx-$s" "$xmac" "pw-expired-$n" '{"expires":"2020-01-01T00:00:00Z"}'
	xkey=$KEY
	put_device "$s" "lf-$s" "$fmac" "pw-fenced-$n" '{"allow":["127.0.0.2"]}'
	fkey=$KEY
	# The two later devices are in the processes' config too.
	for i in $(seq 400); do
		req -A "$(ua_of "$xmac")" "/p/$xkey/$xmac.cfg"
		[ "$R_STATUS" = 410 ] && break
		sleep 0.025
	done

	# Plain URL, links.plain: bootstrap.
	req -A "$(ua_of "$mac")" "/$mac.cfg"
	expect_status 200 "$s: plain /$mac.cfg"
	expect_log bootstrap "" "$s: plain /$mac.cfg"
	expect_body_contains "http://prov.example/p/$key/" "$s: plain /$mac.cfg points at the personal link"
	expect_body_lacks "$pw" "$s: plain /$mac.cfg (bootstrap)"

	# Token link.
	req -A "$(ua_of "$mac")" "/t/$TOKEN/$mac.cfg"
	expect_file "$s: token link /t/<token>/$mac.cfg" "account.1.password = $pw"

	# One-time link, two fetches.
	url=$(link_create "ln-$s" --uses 2)
	check "$s: deskprov link create prints the link ($url)" \
	    grep -qE '^http://prov.example/o/[A-Za-z0-9_-]{22}/$' <<<"$url"
	id=${url%/}
	id=${id##*/}
	SECRETS+=("$id")
	req -A "$(ua_of "$mac")" "/o/$id/$mac.cfg"
	expect_file "$s: one-time link, fetch 1 of 2" "account.1.password = $pw"
	req -A "$(ua_of "$mac")" "/o/$id/$mac.cfg"
	expect_file "$s: one-time link, fetch 2 of 2" "account.1.password = $pw"

	# Refusals.
	req -A "$(ua_of "$mac")" "/o/$id/$mac.cfg"
	expect_refusal "$s: one-time link, fetch 3 of 2" 410 link_used_up
	req -A "$(ua_of "$xmac")" "/p/$xkey/$xmac.cfg"
	expect_refusal "$s: expired device, personal link" 410 link_expired
	req -A "$(ua_of "$xmac")" "/t/$TOKEN/$xmac.cfg"
	expect_refusal "$s: expired device, token link" 410 link_expired
	req "/p/$key/001122334455.xml"
	expect_refusal "$s: another phone's MAC in the file name" 403 mac_mismatch
	req -A "$(ua_of 0015650bbf99)" "/p/$key/$mac.cfg"
	expect_refusal "$s: another MAC in the User-Agent" 403 mac_mismatch
	req -A "$(ua_of "$fmac")" "/p/$fkey/$fmac.cfg"
	expect_refusal "$s: 127.0.0.1, outside the device's allow list" 403 addr_not_allowed
	if [ -n "$SRC_OK" ]; then
		req_from 127.0.0.2 -A "$(ua_of "$fmac")" "/p/$fkey/$fmac.cfg"
		expect_file "$s: 127.0.0.2, inside the allow list" "account.1.password = pw-fenced-$n"
	else
		skip "$s: cannot send from 127.0.0.2"
	fi
	c=A
	[ "${key:42:1}" = A ] && c=B
	req -A "$(ua_of "$mac")" "/p/${key:0:42}$c/$mac.cfg"
	expect_refusal "$s: a bad key" 404 bad_key
	req -A "$(ua_of "$mac")" "/t/$TOKEN_SHA/$mac.cfg"
	expect_refusal "$s: a bad token" 404 bad_token
	c=Q
	[ "${id:21:1}" = Q ] && c=R
	req -A "$(ua_of "$mac")" "/o/${id:0:21}$c/$mac.cfg"
	expect_refusal "$s: a bad one-time id" 404 bad_link

	cisco_checks "$s" "$n"
	enumeration_checks "$s" "127.0.1.$n" "$key" "$mac"
	api_get_checks "$s" "$key"
	pages_checks "$s"
}

# A Cisco flat-profile phone created by the API with link rules (the API
# refused its links as an unknown field): only 127.0.0.2 may use its link.
cisco_checks() {
	local s=$1 n=$2 mac=00112233cc0$2 ua key
	ua="Cisco-CP-6841-3PCC/12.0.1 (00112233cc0$2)"
	SECRETS+=("pw-cisco-$n")
	req -X PUT "${API_AUTH[@]}" "${JSON[@]}" --data-binary \
	    "{\"mac\":\"$mac\",\"Station_Name\":\"Cisco $n\",\"Password_1_\":\"pw-cisco-$n\",\"links\":{\"allow\":[\"127.0.0.2\"],\"mac_check\":true}}" \
	    "/api/v1/devices/lc-$s"
	expect_status 201 "$s: PUT a Cisco flat-profile phone with link rules"
	api_valid "$s" PUT "/api/v1/devices/lc-$s"
	key=$(json_get link_key)
	SECRETS+=("$key")
	for i in $(seq 400); do
		req -A "$ua" "/p/$key/$mac.xml"
		[ "$R_STATUS" = 403 ] && break
		sleep 0.025
	done
	expect_refusal "$s: Cisco phone's link from 127.0.0.1" 403 addr_not_allowed
	if [ -n "$SRC_OK" ]; then
		req_from 127.0.0.2 -A "$ua" "/p/$key/$mac.xml"
		expect_file "$s: Cisco phone's link from 127.0.0.2" "pw-cisco-$n"
	else
		skip "$s: cannot send from 127.0.0.2"
	fi
}

# Guessing MACs from one address: 404s, then 429 with Retry-After, also
# for that address's personal-link fetches; counted in /metrics.
enumeration_checks() {
	local s=$1 addr=$2 key=$3 mac=$4 i
	if [ -z "$SRC_OK" ]; then
		skip "$s: enumeration: cannot send from $addr"
		return 0
	fi
	for i in $(seq 11); do
		req_from "$addr" "/0015650c$(printf '%04x' "$i").cfg"
	done
	expect_refusal "$s: the 11th unknown MAC from $addr" 404 unknown_phone
	check "$s: the 11th unknown MAC blocks $addr (abuse=enumeration)" \
	    grep -q ' abuse=enumeration' <<<"$R_LOG"
	req_from "$addr" /0015650cff01.cfg
	expect_refusal "$s: the next request from $addr" 429 abuse_blocked
	expect_header Retry-After '^[0-9]+$' "$s: enumeration"
	req_from "$addr" -A "$(ua_of "$mac")" "/p/$key/$mac.cfg"
	expect_refusal "$s: the blocked address, even with the right link" 429 abuse_blocked
	expect_header Retry-After '^[0-9]+$' "$s: blocked link fetch"
	req -A "$(ua_of "$mac")" "/p/$key/$mac.cfg"
	expect_status 200 "$s: another address still fetches"
	req -u monitor:e2e-monitor-pw /metrics
	expect_status 200 "$s: /metrics"
	expect_body_contains 'deskprov_rejections_total{reason="abuse_blocked"}' "$s: /metrics counts the blocks"
	expect_no_secret "$s: /metrics"
}

# What the API shows after creation: never the key or the password.
api_get_checks() {
	local s=$1 key=$2 id
	for id in "ln-$s" "lx-$s" "lf-$s" "lc-$s"; do
		req "${API_AUTH[@]}" "/api/v1/devices/$id"
		expect_status 200 "$s: GET /api/v1/devices/$id"
		api_valid "$s" GET "/api/v1/devices/$id"
		expect_json 'j["device"]["link_key"] == {"set": True} and "personal" not in j["urls"]' \
		    "$s: GET /api/v1/devices/$id masks the key"
		expect_no_secret "$s: GET /api/v1/devices/$id"
	done
	req "${API_AUTH[@]}" "/api/v1/devices?limit=100"
	expect_status 200 "$s: GET /api/v1/devices"
	expect_no_secret "$s: GET /api/v1/devices"
}

# The admin pages (compare.fcgi): the fleet and each device's page.
pages_checks() {
	local s=$1 p
	for p in / "/phone/ln-$s" "/phone/lx-$s" "/phone/lf-$s" "/phone/lc-$s"; do
		req -u admin:e2e-admin-pw "$p"
		expect_status 200 "$s: page $p"
		expect_no_secret "$s: page $p"
	done
}

# ---------------------------------------------------------------- servers

# stop_server PID: a web server goes before the next one starts.
stop_server() {
	kill -TERM "$1" 2>/dev/null && wait "$1" 2>/dev/null
	return 0
}

# ---------------------------------------------------------------- run

e2e_init
htpasswd_write api:e2e-api-pw admin:e2e-admin-pw monitor:e2e-monitor-pw
links_etc
[ -n "$SRC_OK" ] || skip "cannot send from 127.0.0.2: the allow-list and enumeration checks are skipped"
[ -n "$HAVE_JSONSCHEMA" ] || skip "python3-jsonschema is not installed: API answers not checked against the OpenAPI document"

have_apache= have_nginx=
command -v apache2 >/dev/null && [ -e /usr/lib/apache2/modules/mod_proxy_fcgi.so ] &&
    have_apache=1
command -v nginx >/dev/null && [ -r /etc/nginx/fastcgi_params ] && have_nginx=1
if command -v spawn-fcgi >/dev/null && [ -n "$have_apache$have_nginx" ]; then
	start_pool www-data
	start_metrics_pool www-data
	start_admin_pools www-data
	start_fcgi_pool api 2 www-data
	E2E_API_SOCK=$E2E_FCGI_SOCK
	if [ -n "$have_apache" ]; then
		apache_example_start
		links_checks apache 1
		stop_server "$APACHE_PID"
		check "apache: the virtual host's access log has the link fetches, masked (/p/-/)" \
		    grep -q '"GET /p/-/0015650bb101.cfg HTTP/1.1" 200 ' "$E2E_TMP/deskprov-access.log"
		check "apache: the main server's access log has none of the host's requests" \
		    test ! -s "$E2E_TMP/apache-other-vhosts.log"
	else
		skip "apache2 with mod_proxy_fcgi is not installed: no Apache checks"
	fi
	if [ -n "$have_nginx" ]; then
		nginx_example_start
		links_checks nginx 2
		stop_server "$NGINX_PID"
		check "nginx: the access log has the plain fetches, not the links'" \
		    test "$(grep -c 'GET /0015650bb201.cfg ' "$E2E_TMP/nginx-access.log")-$(grep -c 'GET /[pto]/' "$E2E_TMP/nginx-access.log")" = 1-0
	else
		skip "nginx is not installed: no nginx checks"
	fi
else
	skip "spawn-fcgi, and Apache or nginx, are not installed: no Apache or nginx checks"
fi

if command -v lighttpd >/dev/null; then
	start_lighttpd
	links_checks lighttpd 3
else
	skip "lighttpd is not installed: no lighttpd checks"
fi

note "reload delays (s): ${DELAYS[*]}"
bad=$(grep -rlaF "${SECRETS[@]/#/-e}" "$E2E_TMP"/*.log "$E2E_TMP"/*.out 2>/dev/null)
check "no password, key, token or one-time id in any log (${#SECRETS[@]} secrets; $(ls "$E2E_TMP"/*.log | wc -l) logs)" \
    test -z "$bad"
[ -n "$bad" ] && note "secrets in: $bad"
e2e_finish
