#!/bin/bash
# The management API (api.fcgi, /api/v1, docs/api.md) through lighttpd,
# Apache and nginx, each configured from its example (the API's route, its
# basic auth), with the OpenAPI document checked by a real validator
# (python3-jsonschema against the OpenAPI Initiative's 3.0 meta-schema,
# tests/data/openapi/) and every answer the test sees checked against the
# document's own schemas.  A device created by the API is then fetched by
# the phone's plain URL from profile.fcgi; the delay is measured and
# printed.  lighttpd runs as we do and gets a config directory of its own;
# Apache and nginx share spawn-fcgi pools (profile.fcgi, api.fcgi) running
# as www-data, which owns that directory's devices.d.
. "$(dirname "$0")/lib.sh"

E2E_PROCS+='|api.fcgi'
API_DOC=$E2E_TOP/schema/openapi.json
API_META=$E2E_TOP/tests/data/openapi/oas-3.0-schema.json
API_AUTH=(-u api:e2e-api-pw)
JSON=(-H 'Content-Type: application/json')
API_KEYS=()

"$E2E_PY" -c 'import jsonschema' 2>/dev/null ||
    e2e_skip_all "python3-jsonschema is not installed (scripts/deps)"
[ -x "$E2E_TOP/cgi-bin/api.fcgi" ] || e2e_abort "cgi-bin/api.fcgi is not built"

# ---------------------------------------------------------------- helpers

# api_valid WHAT: the last answer is one the OpenAPI document describes.
api_valid() {
	local why
	if why=$("$E2E_PY" "$E2E_DIR/api_check.py" response "$API_DOC" \
	    "$API_METHOD" "$API_PATH" "$R_STATUS" "$R_HDRS" "$R_BODY"); then
		pass "$1: $API_METHOD $API_PATH $R_STATUS as the OpenAPI document says"
	else
		fail "$1: $API_METHOD $API_PATH $R_STATUS: $why"
	fi
}

# api SERVER METHOD PATH [req options...]: one API request as the api
# user, checked against the document.
api() {
	local srv=$1
	API_METHOD=$2 API_PATH=$3
	shift 3
	req -X "$API_METHOD" "${API_AUTH[@]}" "$@" "$API_PATH"
	api_valid "$srv"
}

# The ETag of the last answer.
etag() {
	header_value ETag
}

# A config directory for one server: the sample etc with the api user,
# devices.d writable by OWNER.
api_etc() {
	local dir=$1 owner=$2
	cp -R "$E2E_TOP/etc" "$dir" && chmod -R a+rX "$dir" ||
	    e2e_abort "copy etc"
	mkdir -p "$dir/devices.d"
	[ "$(id -u)" -eq 0 ] && chown "$owner" "$dir/devices.d"
	"$E2E_TOP/build/deskprov" check "$dir" >"$E2E_TMP/check.out" 2>&1 ||
	    e2e_abort "deskprov check: $(cat "$E2E_TMP/check.out")"
}

# wait_served PATH: fetches PATH from profile.fcgi until it is 200 (at
# most 10 s), as a phone would; sets API_DELAY (seconds).
wait_served() {
	local t0=$EPOCHREALTIME i
	for i in $(seq 200); do
		req "$1"
		[ "$R_STATUS" = 200 ] && break
		sleep 0.05
	done
	API_DELAY=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
}

# ---------------------------------------------------------------- the document

document_checks() {
	local broken=$E2E_TMP/openapi-broken.json why
	if why=$("$E2E_PY" "$E2E_DIR/api_check.py" meta "$API_META" "$API_DOC"); then
		pass "schema/openapi.json is a valid OpenAPI 3.0 document (OAI meta-schema)"
	else
		fail "schema/openapi.json: $why"
	fi
	# The validator can fail: a document without paths is refused.
	"$E2E_PY" -c 'import json, sys
d = json.load(open(sys.argv[1])); del d["paths"]
json.dump(d, open(sys.argv[2], "w"))' "$API_DOC" "$broken"
	check "the meta-schema refuses a document without paths" \
	    test "$("$E2E_PY" "$E2E_DIR/api_check.py" meta "$API_META" "$broken" >/dev/null; echo $?)" = 1
}

# ---------------------------------------------------------------- the checks

# api_checks SERVER N: everything through one server; N makes its ids and
# MACs its own.
api_checks() {
	local s=$1 n=$2 id=dev-$1 mac=00156500aa0$2 et et2 key c1 c2
	local body="{\"vendor\":\"yealink\",\"model\":\"T46S\",\"mac\":\"$mac\",\"accounts\":[{\"line\":1,\"user\":\"20$n\",\"password\":\"pw-secret-$n\",\"display_name\":\"Desk $n\"}]}"

	# Who may use the API.
	req "/api/v1/devices"
	check "$s: no user: 401 from the web server" test "$R_STATUS" = 401
	req -u monitor:e2e-monitor-pw "/api/v1/devices"
	check "$s: the monitor role: 403" test "$R_STATUS" = 403
	req -u stranger:e2e-stranger-pw "/api/v1/devices"
	check "$s: a user without a deskprov role: 403" test "$R_STATUS" = 403
	API_AUTH=(-u admin:e2e-admin-pw)
	api "$s" GET /api/v1/vendors
	expect_status 200 "$s: the admin role may use the API"
	API_AUTH=(-u api:e2e-api-pw)

	api "$s" GET /api/v1/openapi.json
	expect_json 'j["openapi"].startswith("3.0")' "$s: /api/v1/openapi.json"
	api "$s" GET /api/v1/vendors
	expect_json '"yealink" in [v["name"] for v in j["items"]]' "$s: vendors"
	api "$s" GET /api/v1/vendors/yealink/models
	expect_json '"T46S" in [m["name"] for m in j["items"]]' "$s: yealink models"
	api "$s" GET /api/v1/vendors/nope/models
	expect_status 404 "$s: unknown vendor"

	# Create: 201, the personal key shown once, the password never.
	api "$s" PUT "/api/v1/devices/$id" "${JSON[@]}" --data-binary "$body"
	expect_status 201 "$s: PUT creates"
	expect_json 'j["device"]["accounts"][0]["password"] == {"set": True}' "$s: password masked"
	expect_json 'len(j["link_key"]) == 43 and j["link_key"] in j["urls"]["personal"][0]' "$s: the personal link shown at creation"
	expect_body_lacks "pw-secret-$n" "$s: PUT answer"
	et=$(etag)
	key=$("$E2E_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["link_key"])' "$R_BODY")
	API_KEYS+=(-e "$key")
	wait_served "/$mac.cfg"
	expect_status 200 "$s: the phone fetches its new file by the plain URL"
	expect_body_contains "pw-secret-$n" "$s: the phone's own file has its password"
	note "$s: reload delay, PUT answered to file served: $API_DELAY s"
	# The link the API gave is the phone's too, through this server.
	req -A "Yealink SIP-T46S 66.86.0.15 ${mac:0:2}:${mac:2:2}:${mac:4:2}:${mac:6:2}:${mac:8:2}:${mac:10:2}" "/p/$key/$mac.cfg"
	expect_status 200 "$s: the phone fetches its file by the personal link the API gave"
	expect_body_contains "pw-secret-$n" "$s: the personal link serves the whole file"
	req "/p/${key:0:42}x/$mac.cfg"
	expect_status 404 "$s: another key: 404"
	req "/p/$key/001565aabb01.cfg"
	check "$s: the personal link serves no other phone's file ($R_STATUS)" \
	    test "$R_STATUS" -ge 400

	api "$s" GET "/api/v1/devices/$id"
	expect_status 200 "$s: GET"
	expect_header ETag '^"[0-9a-f]{32}"$' "$s: GET"
	expect_body_lacks "pw-secret-$n" "$s: GET"
	expect_body_lacks "$key" "$s: GET never shows the link key"
	expect_json 'j["device"]["link_key"] == {"set": True} and "personal" not in j["urls"]' "$s: GET masks the key"

	# Preconditions.
	api "$s" PUT "/api/v1/devices/$id" "${JSON[@]}" --data-binary "$body"
	expect_status 428 "$s: PUT of a stored device without If-Match"
	api "$s" PUT "/api/v1/devices/$id" "${JSON[@]}" -H 'If-Match: "0000"' --data-binary "$body"
	expect_status 412 "$s: PUT with a stale ETag"
	api "$s" PATCH "/api/v1/devices/$id" -H 'Content-Type: application/merge-patch+json' \
	    -H "If-Match: $et" --data-binary '{"accounts":[{"line":1,"user":"30'"$n"'","password":{"set":true}}],"description":"patched"}'
	expect_status 200 "$s: PATCH with the ETag"
	expect_json 'j["device"]["description"] == "patched" and j["device"]["accounts"][0]["password"] == {"set": True}' "$s: merge patch"
	et2=$(etag)
	check "$s: the ETag changed" test "$et" != "$et2"
	wait_served "/$mac.cfg"
	expect_body_contains "pw-secret-$n" "$s: {\"set\": true} kept the stored password"

	# Two writers with the same ETag: one wins, the other gets 412.
	c1=$(curl -s -o /dev/null -w '%{http_code}' -u api:e2e-api-pw -X PATCH \
	    -H 'Content-Type: application/merge-patch+json' -H "If-Match: $et2" \
	    --data-binary '{"notes":"A"}' "http://127.0.0.1:$E2E_PORT/api/v1/devices/$id" &
	    curl -s -o /dev/null -w '%{http_code}' -u api:e2e-api-pw -X PATCH \
	    -H 'Content-Type: application/merge-patch+json' -H "If-Match: $et2" \
	    --data-binary '{"notes":"B"}' "http://127.0.0.1:$E2E_PORT/api/v1/devices/$id"; wait)
	c2=$(printf '%s' "$c1" | fold -w3 | sort | tr '\n' ' ')
	check "$s: concurrent writers with one ETag: 200 and 412, no silent loss ($c2)" \
	    test "$c2" = "200 412 "

	# Sonata's JSON as it is.
	api "$s" PUT "/api/v1/devices/sonata-$s" "${JSON[@]}" --data-binary \
	    '{"key":"sdgjdeu9443908","token":"590sfdsf8u984","model":"gxp1620","vendor":"grandstream","mac":"0015651130'"$n"'f","timezone_offset":"GMT+03","ntp_server":"pool.ntp.org","status":false,"accounts":[{"name":"Mobilon","line":1,"sip_register":"sip.example.net","sip_name":"sip102","sip_user":"sip102","sip_password":"sonata-pw-'"$n"'","sip_auth":"sip102"}]}'
	expect_status 201 "$s: Sonata's JSON"
	expect_json 'j["device"]["enabled"] is False and j["device"]["timezone"] == "Etc/GMT-3" and j["device"]["accounts"][0]["server"]["host"] == "sip.example.net"' "$s: Sonata mapped"
	expect_body_lacks "sonata-pw-$n" "$s: Sonata answer"

	# Hostile and wrong bodies: nothing written.
	api "$s" PUT "/api/v1/devices/bad-$s" "${JSON[@]}" --data-binary '{"vendor":'
	expect_status 400 "$s: malformed JSON"
	api "$s" PUT "/api/v1/devices/bad-$s" "${JSON[@]}" --data-binary '{"a":[[[[[[[[[[[[[[1]]]]]]]]]]]]]}'
	expect_status 400 "$s: deep nesting"
	api "$s" PUT "/api/v1/devices/bad-$s" "${JSON[@]}" --data-binary '[1,2]'
	expect_status 400 "$s: not an object"
	api "$s" PUT "/api/v1/devices/bad-$s" -H 'Content-Type: text/plain' --data-binary '{}'
	expect_status 415 "$s: not JSON"
	req -X PUT "${API_AUTH[@]}" "${JSON[@]}" --data-binary "{\"notes\":\"$(head -c 70000 /dev/zero | tr '\0' x)\"}" "/api/v1/devices/bad-$s"
	check "$s: a 70000-byte body: 413 ($R_STATUS)" test "$R_STATUS" = 413
	api "$s" PUT "/api/v1/devices/bad-$s" "${JSON[@]}" --data-binary '{"vendor":"yealink","model":"T46S","mac":"001565bbbb0'"$n"'","acounts":[],"accounts":[{"line":1,"pasword":"x"}]}'
	expect_status 422 "$s: unknown fields"
	expect_json 'j["fields"] == ["acounts", "accounts[0].pasword"]' "$s: unknown fields listed"
	api "$s" PUT "/api/v1/devices/bad-$s" "${JSON[@]}" --data-binary '{"vendor":"yealink","model":"T46S","mac":12}'
	expect_status 422 "$s: a MAC of the wrong type"
	api "$s" PUT "/api/v1/devices/bad-$s" "${JSON[@]}" --data-binary '{"vendor":"yealink","model":"T99X","mac":"001565bbbb0'"$n"'"}'
	expect_status 422 "$s: a model the catalogue lacks"
	expect_json 'j["detail"].startswith("devices.d/bad-'"$s"'.yml:") and "T99X" in j["detail"]' "$s: deskprov check's message"
	check "$s: nothing written for refused bodies" test ! -e "$API_ETC/devices.d/bad-$s.yml"
	api "$s" PUT "/api/v1/devices/dup-$s" "${JSON[@]}" --data-binary "{\"vendor\":\"yealink\",\"model\":\"T46S\",\"mac\":\"$mac\"}"
	expect_status 409 "$s: a MAC another device has"
	api "$s" PUT "/api/v1/devices/reception" "${JSON[@]}" --data-binary '{"mac":"001122334400"}'
	expect_status 409 "$s: an id of phones.yml"
	api "$s" PUT "/api/v1/devices/.hidden" "${JSON[@]}" --data-binary '{}'
	expect_status 400 "$s: an id starting with a dot"
	req -X PUT "${API_AUTH[@]}" "${JSON[@]}" --data-binary '{}' "/api/v1/devices/..%2f..%2fphones"
	check "$s: a path trick in the id is refused ($R_STATUS)" test "${R_STATUS:0:1}" = 4
	check "$s: phones.yml untouched" cmp -s "$API_ETC/phones.yml" "$E2E_TOP/etc/phones.yml"

	# Listing.
	api "$s" GET "/api/v1/devices?vendor=yealink&limit=1"
	expect_json 'len(j["items"]) == 1 and j["items"][0]["vendor"] == "yealink"' "$s: filter by vendor"
	api "$s" GET "/api/v1/devices?mac=00:15:65:00:aa:0$n"
	expect_json '[i["id"] for i in j["items"]] == ["'"$id"'"]' "$s: filter by MAC in another spelling"
	api "$s" GET "/api/v1/devices?limit=2"
	expect_json 'len(j["items"]) == 2 and j["next_cursor"] == j["items"][1]["id"]' "$s: first page"
	api "$s" GET "/api/v1/devices?limit=2&cursor=$("$E2E_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["next_cursor"])' "$R_BODY")"
	expect_status 200 "$s: next page by cursor"
	api "$s" GET "/api/v1/devices?page=2&limit=2"
	expect_status 200 "$s: a page by number"
	api "$s" GET "/api/v1/devices?colour=red"
	expect_status 400 "$s: an unknown query key"

	# A new personal link key.
	api "$s" POST "/api/v1/devices/$id/key" -H "If-Match: $(req "${API_AUTH[@]}" "/api/v1/devices/$id"; etag)" --data-binary ''
	expect_status 200 "$s: key rotation"
	expect_json 'len(j["link_key"]) == 43 and j["link_key"] != "'"$key"'"' "$s: a new key, shown once"

	# Removal.
	api "$s" DELETE "/api/v1/devices/$id"
	expect_status 428 "$s: DELETE without If-Match"
	api "$s" DELETE "/api/v1/devices/$id" -H 'If-Match: *'
	expect_status 204 "$s: DELETE"
	api "$s" GET "/api/v1/devices/$id"
	expect_status 404 "$s: gone"
	req "${API_AUTH[@]}" "/api/v1/nothing/here"
	expect_status 404 "$s: no such route"
}

# ---------------------------------------------------------------- run

e2e_init
document_checks
htpasswd_write api:e2e-api-pw admin:e2e-admin-pw monitor:e2e-monitor-pw \
    stranger:e2e-stranger-pw

if command -v lighttpd >/dev/null; then
	API_ETC=$E2E_TMP/etc-lighttpd
	api_etc "$API_ETC" "$(id -un)"
	E2E_ETC=$API_ETC
	start_lighttpd
	api_checks lighttpd 1
	# lighttpd and the processes it spawned go before the pools start.
	kill -TERM "${E2E_PIDS[-1]}" && wait "${E2E_PIDS[-1]}" 2>/dev/null
	for _ in $(seq 50); do
		[ -z "$(fcgi_pids)$(fcgi_pids api.fcgi)" ] && break
		sleep 0.1
	done
else
	skip "lighttpd is not installed"
fi

if command -v spawn-fcgi >/dev/null &&
    { command -v apache2 >/dev/null || command -v nginx >/dev/null; }; then
	API_ETC=$E2E_TMP/etc-pools
	api_etc "$API_ETC" www-data
	E2E_ETC=$API_ETC
	start_pool www-data
	start_fcgi_pool api 2 www-data
	E2E_API_SOCK=$E2E_FCGI_SOCK
	if command -v apache2 >/dev/null &&
	    [ -e /usr/lib/apache2/modules/mod_proxy_fcgi.so ]; then
		apache_example_start
		api_checks apache 2
	else
		skip "apache2 with mod_proxy_fcgi is not installed"
	fi
	if command -v nginx >/dev/null && [ -r /etc/nginx/fastcgi_params ]; then
		nginx_example_start
		check "nginx.conf.example routes /api/v1 to the api socket" \
		    grep -q "server unix:$E2E_API_SOCK;" "$E2E_TMP/deskprov-nginx.conf"
		api_checks nginx 3
	else
		skip "nginx is not installed"
	fi
else
	skip "spawn-fcgi, and Apache or nginx, are not installed"
fi

# No secret in any log line.
check "no password or personal link key in any log (${#API_KEYS[@]} keys)" \
    test -z "$(grep -rl -e pw-secret- -e sonata-pw- "${API_KEYS[@]}" "$E2E_TMP"/*.log 2>/dev/null)"
e2e_finish
