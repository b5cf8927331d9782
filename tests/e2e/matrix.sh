# shellcheck shell=bash
# The request matrix every web-server front must pass: sourced by
# test_lighttpd.sh, test_apache.sh and test_nginx.sh after lib.sh.
#
#   matrix_prepare_etc    before the server starts: copy etc/ and add a
#                         phone whose MAC has letters (the sample's MACs
#                         are all digits, so no spelling could show case)
#   run_matrix            after it started: every phase below, in order
#
# The phases edit the private config copy and wait for the reload; each
# ends by putting the config back the way matrix_prepare_etc left it.

UA_OK='Cisco-CP-6841-3PCC/12.0.1 (001122334455)'
PROFILE_MARK='<Station_Name ua="na">Reception</Station_Name>'
LAB_MARK='<Station_Name ua="na">Lab</Station_Name>'

matrix_prepare_etc() {
	e2e_copy_etc "$E2E_TOP/etc"
	cat >>"$E2E_ETC/phones.yml" <<'EOF'

  # Added by tests/e2e: a MAC with letters, to test their case.
  lab:
    mac: "0A:1B:2C:3D:4E:5F"
    ip_address: "127.0.0.1"
    serial_number: "FCH2299Z9ZZ"
    Station_Name: "Lab"
    # Markup characters and UTF-8 in values: escaped, never breaking the XML.
    Display_Name_1_: "Lab <&> \"quoted\" 'single' ]]> Café ☎"
    Station_Display_Name: "</Station_Display_Name><Admin_Password>x"
EOF
	"$E2E_TOP/build/deskprov" check "$E2E_ETC" >"$E2E_TMP/check.out" 2>&1 ||
	    e2e_abort "deskprov check rejects the test config: $(cat "$E2E_TMP/check.out")"
	etc_snapshot
}

run_matrix() {
	local pids_before phase t0
	pids_before=$(fcgi_pids)
	for phase in identifiers refusals firmware ua_mac conditional head \
	    methods health hostile firmware_numeric discovery ip broken_config; do
		t0=$EPOCHREALTIME
		"m_$phase"
		t0=$(( ${EPOCHREALTIME/./} - ${t0/./} ))
		[ -n "${E2E_VERBOSE:-}" ] &&
		    printf '  time  %s: %d ms\n' "$phase" $((t0 / 1000))
	done
	check "the FastCGI processes never crashed (same pids: $pids_before)" \
	    test "$(fcgi_pids)" = "$pids_before"
	expect_log_clean "$E2E_LOG"
	check "no password from the config in the log (Password_1_, Admin_Password)" \
	    test -z "$(grep -a -e change-me- -e change-this-admin-password "$E2E_LOG")"
}

# --------------------------------------------------------------- identifiers

# get_profile PATH MARK PHONE: a profile is served, whole and logged.
get_profile() {
	req "${@:4}" "$1"
	expect_status 200
	expect_body_contains "$2"
	expect_log served "phone=$3 "
}

m_identifiers() {
	local p
	get_profile /reception.xml "$PROFILE_MARK" reception
	cp "$R_BODY" "$E2E_TMP/reception.base"
	BASE_ETAG=$(header_value ETag)
	expect_header Content-Type '^application/xml'
	expect_header ETag '^"[^"]+"$'
	expect_length
	check "profile is well-formed XML" \
	    xmllint --noout --nonet "$E2E_TMP/reception.base"
	expect_body_lacks '<mac'
	expect_body_lacks '<ip_address'
	expect_body_lacks 'FCH2201A0AA'	# serial_number is a meta key

	for p in 001122334455 00:11:22:33:44:55 00-11-22-33-44-55 \
	    0011.2233.4455 reception RECEPTION Reception FCH2201A0AA \
	    fch2201a0aa; do
		req "/$p.xml"
		expect_status 200
		expect_body_same "$E2E_TMP/reception.base"
		expect_log served 'ident=(001122334455|reception|fch2201a0aa) phone=reception '
	done
	for p in 0a1b2c3d4e5f 0A1B2C3D4E5F 0A:1B:2C:3D:4E:5F 0a:1b:2c:3d:4e:5f \
	    0A-1B-2C-3D-4E-5F 0A1B.2C3D.4E5F 0a1b.2c3d.4e5f LAB FCH2299Z9ZZ; do
		get_profile "/$p.xml" "$LAB_MARK" lab
	done
	req /lab.xml
	expect_body_contains '<Display_Name_1_ ua="na">Lab &lt;&amp;&gt; '
	expect_body_contains ' ]]&gt; Café ☎</Display_Name_1_>'
	expect_body_contains '<Station_Display_Name ua="na">&lt;/Station_Display_Name&gt;&lt;Admin_Password&gt;x</Station_Display_Name>'
	check "lab's profile (markup in values) is well-formed XML" \
	    xmllint --noout --nonet "$R_BODY"
	check "lab's profile has one Admin_Password, the common one" \
	    test "$(grep -c '<Admin_Password' "$R_BODY")" -eq 1
	get_profile /conference-room.xml '<Station_Name ua="na">Conference</Station_Name>' conference-room
	expect_body_contains '<Short_Name_2_ ua="rw">Lobby</Short_Name_2_>'
	get_profile /Conference-Room.xml 'Conference Room' conference-room
	get_profile /00:11:22:33:44:66.xml 'Conference Room' conference-room
	get_profile /warehouse.xml '<Ringer_Volume ua="na">05</Ringer_Volume>' warehouse
	get_profile /001122334477.xml '<Station_Name ua="na">Warehouse</Station_Name>' warehouse

	for p in 001122334499 00:11:22:33:44:99 nosuchphone FCH0000X0XX; do
		req "/$p.xml"
		expect_status 404
		expect_body_lacks '<flat-profile>'
		expect_log unknown_phone
	done
	expect_length "unknown phone 404"
	# Multicast, broadcast and all-zero addresses are no phone's.
	for p in 01:00:5e:00:00:01 ff:ff:ff:ff:ff:ff 000000000000; do
		req "/$p.xml"
		expect_status 400
		expect_log bad_identifier
	done
}

# --------------------------------------------------------------- bad paths

m_refusals() {
	local long p
	long=$(printf 'a%.0s' $(seq 300))
	for p in /../reception.xml /%2e%2e/reception.xml \
	    /%2e%2e%2freception.xml /..%2freception.xml /%2E%2E/reception.xml \
	    /../../../../etc/passwd /..%2f..%2f..%2fetc%2fpasswd.xml \
	    /sub/reception.xml //reception.xml /reception/.xml \
	    /reception%2f.xml /%2freception.xml /reception%5c.xml \
	    /reception%00.xml /%00.xml /reception.xml%00 /reception%00 \
	    "/$long.xml" "/$long$long$long$long.xml" /.xml /.reception.xml \
	    /reception%20.xml '/reception;.xml' /reception%0a.xml \
	    /reception%ZZ.xml /%e2%80%ae.xml /etc/passwd.xml; do
		req "$p"
		expect_refused 'bad_path|bad_identifier|no_route|unknown_phone'
		expect_body_lacks 'root:' "$p"
	done
	# A file that is not a profile.
	req /reception.yml
	expect_refused 'no_route'
	req /phones.yml
	expect_refused 'no_route'
}

# --------------------------------------------------------------- firmware

# fw GETPATH UA: the upgrade document or the profile, by outcome.
m_firmware() {
	req -A 'Cisco-CP-6841-3PCC/11.3.7 (001122334455)' /reception.xml
	expect_status 200
	expect_body_contains '<Upgrade_Enable ua="na">Yes</Upgrade_Enable>'
	expect_body_contains '<Upgrade_Rule ua="na">http://prov.example.net:8080/firmware/sip68xx.12-0-1MPP0001-245.loads</Upgrade_Rule>'
	expect_body_contains '<Log_Upgrade_Request_Msg ua="na">$PN $MAC -- Requesting upgrade $SCHEME://$SERVIP:$PORT$PATH</Log_Upgrade_Request_Msg>'
	expect_body_contains '<Upgrade_Error_Retry_Delay ua="na">3600</Upgrade_Error_Retry_Delay>'
	expect_body_lacks 'Station_Name'
	expect_body_lacks 'User_Password'
	expect_log upgrade 'firmware=11.3.7 expected=12.0.1 '
	expect_length "upgrade document"
	check "upgrade document is well-formed XML" xmllint --noout --nonet "$R_BODY"

	req -A "$UA_OK" /reception.xml
	expect_status 200 "same version"
	expect_body_same "$E2E_TMP/reception.base" "same version"
	expect_log served

	req -A 'Cisco-CP-6841-3PCC/12.0.2 (001122334455)' /reception.xml
	expect_status 200 "newer version"
	expect_body_same "$E2E_TMP/reception.base" "newer version, no downgrade"
	expect_log served

	# The model-specific version and URL.
	req -A 'Cisco-CP-8841-3PCC/12.0.1 (001122334466)' /conference-room.xml
	expect_status 200
	expect_body_contains 'sip88xx.12-0-2MPP0001-250.loads</Upgrade_Rule>'
	expect_log upgrade 'expected=12.0.2 '
	req -A 'Cisco-CP-8841-3PCC/12.0.2 (001122334466)' /conference-room.xml
	expect_status 200
	expect_body_contains 'Conference Room'
	expect_log served
	# A 6841 on the same old version goes to the global version.
	req -A 'Cisco-CP-6841-3PCC/12.0.0 (001122334477)' /warehouse.xml
	expect_status 200
	expect_body_contains 'sip68xx.12-0-1MPP0001-245.loads</Upgrade_Rule>'
	expect_log upgrade 'expected=12.0.1 '
	# Only known phones are steered.
	req -A 'Cisco-CP-6841-3PCC/11.3.7 (001122334499)' /001122334499.xml
	expect_status 404 "unknown phone with old firmware"
	expect_body_lacks '.loads</Upgrade_Rule>'
	expect_log unknown_phone
}

# 12.0.10 is newer than 12.0.9: versions compare numerically.
m_firmware_numeric() {
	etc_write firmware.yml <<'EOF'
firmware:
  update_enabled: true
  expected_version: "12.0.10"
  allow_downgrade: false
  upgrade_url: "http://prov.example.net/fw/sip68xx.12-0-10.loads"
  retry_delay: 600
  model_specific:
    enabled: true
    versions:
      "CP-8841-3PCC": "12.0.9"
    urls:
      "CP-8841-3PCC": "http://prov.example.net/fw/sip88xx.12-0-9.loads"
EOF
	config_wait
	req -A 'Cisco-CP-6841-3PCC/12.0.9 (001122334455)' /reception.xml
	expect_status 200 "12.0.9 < 12.0.10"
	expect_body_contains 'sip68xx.12-0-10.loads</Upgrade_Rule>'
	expect_body_contains '<Upgrade_Error_Retry_Delay ua="na">600</Upgrade_Error_Retry_Delay>'
	expect_log upgrade 'firmware=12.0.9 expected=12.0.10 '
	req -A 'Cisco-CP-6841-3PCC/12.0.10 (001122334455)' /reception.xml
	expect_status 200 "12.0.10 = 12.0.10"
	expect_body_same "$E2E_TMP/reception.base" "12.0.10 = 12.0.10"
	expect_log served
	req -A 'Cisco-CP-6841-3PCC/12.0.11 (001122334455)' /reception.xml
	expect_body_same "$E2E_TMP/reception.base" "12.0.11 > 12.0.10"
	expect_log served
	req -A 'Cisco-CP-8841-3PCC/12.0.10 (001122334466)' /conference-room.xml
	expect_status 200 "8841 12.0.10 > model 12.0.9"
	expect_body_contains 'Conference Room' "8841 12.0.10 > model 12.0.9: no downgrade"
	expect_log served
	req -A 'Cisco-CP-8841-3PCC/12.0.8 (001122334466)' /conference-room.xml
	expect_body_contains 'sip88xx.12-0-9.loads</Upgrade_Rule>' "8841 12.0.8 < 12.0.9"
	expect_log upgrade 'expected=12.0.9 '
	etc_restore firmware.yml
}

# --------------------------------------------------------------- User-Agent MAC

m_ua_mac() {
	req -A 'Cisco-CP-6841-3PCC/12.0.1 (001122334466)' /reception.xml
	expect_status 403 "UA of conference-room asks for reception"
	expect_body_lacks '<flat-profile>'
	expect_log ua_mismatch 'ua_mac=001122334466 '
	req -A 'Cisco-CP-6841-3PCC/12.0.1 (0a0b0c0d0e0f)' /00:11:22:33:44:55.xml
	expect_status 403 "UA of an unknown phone asks for reception"
	expect_log ua_mismatch
	req -A 'Cisco-CP-6841-3PCC/12.0.1 (001122334455)' /conference-room.xml
	expect_status 403 "UA of reception asks for conference-room by name"
	expect_log ua_mismatch
	req -A 'Cisco-CP-6841-3PCC/12.0.1 (0A1B2C3D4E5F)' /lab.xml
	expect_status 200 "UA MAC in capitals matches"
	expect_log served
}

# --------------------------------------------------------------- 304

m_conditional() {
	local etag=$BASE_ETAG
	req -H "If-None-Match: $etag" /reception.xml
	expect_status 304 "If-None-Match with the ETag"
	expect_body_empty
	expect_header ETag "^$etag\$"
	expect_no_header Content-Length "304"
	expect_log not_modified 'bytes=0 '
	req -H "If-None-Match: \"0000000000000000\", W/$etag" /001122334455.xml
	expect_status 304 "If-None-Match: a list with the weak tag"
	expect_log not_modified
	req -H "If-None-Match: *" /reception.xml
	expect_status 304 "If-None-Match: *"
	req -H 'If-None-Match: "0000000000000000"' /reception.xml
	expect_status 200 "If-None-Match with another tag"
	expect_body_same "$E2E_TMP/reception.base"
	req -H "If-None-Match: $etag" /lab.xml
	expect_status 200 "reception's tag on lab's profile"
	expect_body_contains "$LAB_MARK"
	# The firmware document has its own tag.
	req -H "If-None-Match: $etag" -A 'Cisco-CP-6841-3PCC/11.3.7 (001122334455)' /reception.xml
	expect_status 200 "reception's profile tag on the upgrade document"
	expect_body_contains '12-0-1MPP0001-245.loads</Upgrade_Rule>'
}

# --------------------------------------------------------------- HEAD

m_head() {
	local len etag=$BASE_ETAG
	len=$(stat -c %s "$E2E_TMP/reception.base")
	req -I /reception.xml
	expect_status 200 "HEAD"
	expect_header Content-Length "^$len\$" "HEAD"
	expect_header ETag "^$etag\$" "HEAD"
	expect_header Content-Type '^application/xml' "HEAD"
	expect_log served 'method=HEAD .*bytes=0 ' "HEAD"
	# curl never reads a body after HEAD: look at the wire.
	raw_req 'HEAD /reception.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
	expect_status 200 "HEAD on the wire"
	expect_body_empty "HEAD on the wire"
	raw_req 'HEAD /nosuchphone.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
	expect_status 404 "HEAD of an unknown phone"
	raw_req 'HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
	expect_status 200 "HEAD /health"
	expect_body_empty "HEAD /health on the wire"
}

# --------------------------------------------------------------- methods

m_methods() {
	local m
	for m in POST PUT DELETE PATCH; do
		req -X "$m" -H 'Content-Type: text/plain' --data-binary 'x=1' /reception.xml
		expect_status 405 "$m with a body"
		expect_header Allow '^GET, HEAD$' "$m"
		expect_body_lacks '<flat-profile>' "$m"
		expect_log bad_method "method=$m " "$m"
		req -X "$m" -H 'Content-Length: 0' /reception.xml
		expect_status 405 "$m with Content-Length: 0"
		expect_log bad_method "method=$m " "$m"
	done
	req -X POST --data-binary '' /health
	expect_status 405 "POST /health"
	expect_header Allow '^GET, HEAD$' "POST /health"
}

# --------------------------------------------------------------- health

m_health() {
	req /health
	expect_status 200
	expect_header Content-Type '^application/json'
	expect_length "/health"
	expect_json 'j["status"] == "ok" and j["config_loaded"] is True'
	expect_json 'j["phones"] == 4'
	expect_json 'j["last_reload_error"] is None and j["last_reload"]'
	expect_json 'j["discovery_mode"] is False'
	expect_log health
}

# --------------------------------------------------------------- hostile input

m_hostile() {
	local big i hdrs pids pad
	pids=$(fcgi_pids)
	# Bytes the web servers let through, which must not reach the log raw.
	raw_req 'GET /reception.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Evil "q" \\\\ k=v \xc3\xa9\xff\xfe\tT\r\nConnection: close\r\n\r\n'
	case $R_STATUS in
	200) pass "hostile User-Agent (quotes, backslash, =, UTF-8, 0xff, tab): 200"
	     expect_body_same "$E2E_TMP/reception.base" "hostile User-Agent"
	     expect_log served 'ua=Evil\\x20\\x22q\\x22\\x20' "hostile User-Agent" ;;
	4??) pass "hostile User-Agent refused by the web server: $R_STATUS" ;;
	*) fail "hostile User-Agent: status $R_STATUS" ;;
	esac
	# Control bytes: web servers usually refuse them themselves.
	raw_req 'GET /reception.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: a\x01b\x7fc\x08d\x1b[31m\r\nConnection: close\r\n\r\n'
	case $R_STATUS in
	200) expect_log served 'ua=a\\x01b\\x7fc\\x08d' "control bytes in User-Agent" ;;
	4??) pass "control bytes in User-Agent refused with $R_STATUS" ;;
	*) fail "control bytes in User-Agent: status $R_STATUS" ;;
	esac
	# A long User-Agent that fits the server's limits is cut in the log.
	printf -v big '%3000s' ''
	big=${big// /U}
	req -A "$big" /reception.xml
	expect_status 200 "3 KB User-Agent"
	check "3 KB User-Agent: log line under 1 KB" \
	    test "${#R_LOG}" -gt 0 -a "${#R_LOG}" -lt 1024
	# 10 KB: over every server's header limit.
	printf -v big '%10240s' ''
	big=${big// /V}
	req -A "$big" /reception.xml
	case $R_STATUS in
	4??|200) pass "10 KB User-Agent: $R_STATUS" ;;
	*) fail "10 KB User-Agent: status $R_STATUS" ;;
	esac
	expect_body_lacks '<flat-profile>' "10 KB User-Agent" 
	# 60 KB of headers.
	hdrs=()
	printf -v pad '%180s' ''
	for i in $(seq 300); do hdrs+=(-H "X-Pad-$i: ${pad// /p}"); done
	req "${hdrs[@]}" /reception.xml
	case $R_STATUS in
	4??|200) pass "300 headers, 60 KB: $R_STATUS" ;;
	*) fail "300 headers, 60 KB: status $R_STATUS" ;;
	esac
	# Garbage instead of HTTP, and a NUL in the request line.
	raw_req '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n'
	case $R_STATUS in
	4??|000) pass "garbage request: ${R_STATUS/000/connection closed}" ;;
	*) fail "garbage request: status $R_STATUS" ;;
	esac
	raw_req 'GET /recep\x00tion.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
	case $R_STATUS in
	4??|000) pass "NUL in the request line: ${R_STATUS/000/connection closed}" ;;
	*) fail "NUL in the request line: status $R_STATUS" ;;
	esac
	expect_body_lacks '<flat-profile>' "NUL in the request line"
	raw_req 'GET /reception.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: \xff\xfe, 1.2.3.4\r\nIf-None-Match: "\xff\r\nConnection: close\r\n\r\n'
	case $R_STATUS in
	200|4??) pass "garbage X-Forwarded-For / If-None-Match: $R_STATUS" ;;
	*) fail "garbage X-Forwarded-For / If-None-Match: status $R_STATUS" ;;
	esac
	req /reception.xml
	expect_status 200 "still serving after hostile input"
	expect_body_same "$E2E_TMP/reception.base" "still serving after hostile input"
	check "no FastCGI process died on hostile input" test "$(fcgi_pids)" = "$pids"
}

# --------------------------------------------------------------- discovery

m_discovery() {
	etc_write serviceconfig.yml <<'EOF'
discovery:
  enabled: true
  exclude_macs:
    - "00-11-22-33-44-55"
ip_whitelist: ["127.0.0.1"]
EOF
	etc_sed firmware.yml 's/allow_downgrade: false/allow_downgrade: true/'
	config_wait
	req /health
	expect_json 'j["discovery_mode"] is True' "/health in discovery mode"
	req /reception.xml
	expect_status 200 "discovery: excluded phone"
	expect_body_same "$E2E_TMP/reception.base" "discovery: excluded phone"
	req /FCH2201A0AA.xml
	expect_status 200 "discovery: excluded phone by serial"
	local p
	for p in /conference-room.xml /warehouse.xml /0011.2233.4477.xml /lab.xml /0A1B2C3D4E5F.xml; do
		req "$p"
		expect_status 404 "discovery: $p"
		expect_body_lacks '<flat-profile>' "discovery: $p"
		expect_log discovery "" "discovery: $p"
	done
	req -A 'Cisco-CP-8841-3PCC/11.0.0 (001122334466)' /conference-room.xml
	expect_status 404 "discovery: no firmware steering either"
	expect_log discovery
	req /nosuchphone.xml
	expect_status 404 "discovery: unknown phone"
	expect_log unknown_phone
	# allow_downgrade: true takes the excluded phone back to 12.0.1.
	req -A 'Cisco-CP-6841-3PCC/12.0.5 (001122334455)' /reception.xml
	expect_status 200 "allow_downgrade"
	expect_body_contains 'sip68xx.12-0-1MPP0001-245.loads</Upgrade_Rule>' "allow_downgrade"
	expect_log downgrade 'firmware=12.0.5 expected=12.0.1 '
	etc_restore serviceconfig.yml firmware.yml
}

# --------------------------------------------------------------- IP rules

# ip_case STATUS OUTCOME PATH [X-Forwarded-For]
ip_case() {
	local what="$3${4:+ via X-Forwarded-For: $4}"
	if [ -n "${4:-}" ]; then
		req -H "X-Forwarded-For: $4" "$3"
	else
		req "$3"
	fi
	expect_status "$1" "$what"
	if [ "$1" = 200 ]; then
		expect_body_contains '<flat-profile>' "$what"
	else
		expect_body_lacks '<flat-profile>' "$what"
	fi
	expect_log "$2" "" "$what"
}

m_ip() {
	# reception moves to 10.0.0.5; the others stay on loopback addresses.
	etc_sed phones.yml '0,/ip_address: "127.0.0.1"/s//ip_address: "10.0.0.5"/'
	# 1. The phone's own address only; no proxies.
	etc_write serviceconfig.yml <<'EOF'
ip_whitelist: []
ip_authorization: phone
trusted_proxies: []
EOF
	config_wait
	ip_case 403 not_phone_ip /reception.xml
	expect_log not_phone_ip 'client_ip=127\.0\.0\.1 ' "refusal names the address"
	ip_case 403 not_phone_ip /reception.xml 10.0.0.5	# untrusted: ignored
	ip_case 200 served /conference-room.xml		# 127.0.0.0/8
	ip_case 200 served /warehouse.xml			# ["127.0.0.1", "::1"]
	ip_case 200 served /lab.xml

	# 2. The whitelist, and 127.0.0.1 as a trusted proxy.
	etc_write serviceconfig.yml <<'EOF'
ip_whitelist: ["127.0.0.1/32"]
ip_authorization: phone
trusted_proxies: ["127.0.0.1"]
EOF
	config_wait
	ip_case 200 served /reception.xml			# whitelisted
	ip_case 200 served /reception.xml 10.0.0.5		# its own address
	ip_case 403 not_phone_ip /reception.xml 10.9.9.9
	ip_case 403 not_phone_ip /reception.xml "10.9.9.9, 127.0.0.1"
	ip_case 403 not_phone_ip /reception.xml "10.0.0.5, 10.9.9.9"	# spoofed first hop
	ip_case 403 not_phone_ip /conference-room.xml 10.9.9.9
	ip_case 400 bad_client_address /reception.xml "not-an-address"

	# 3. Fleet-wide: any configured phone's address.
	etc_write serviceconfig.yml <<'EOF'
ip_whitelist: []
ip_authorization: fleet
trusted_proxies: ["127.0.0.0/8"]
EOF
	config_wait
	ip_case 200 served /reception.xml 10.0.0.5
	ip_case 200 served /conference-room.xml 10.0.0.5	# another phone's address
	ip_case 200 served /reception.xml			# 127.0.0.1 is lab's
	ip_case 403 not_fleet_ip /reception.xml 10.9.9.9
	ip_case 403 not_fleet_ip /warehouse.xml 192.0.2.1

	# 4. off (phones behind NAT), and the User-Agent check switched off.
	etc_write serviceconfig.yml <<'EOF'
ip_authorization: off
ua_mac_must_match: false
EOF
	config_wait
	ip_case 200 served /reception.xml 10.9.9.9
	req -A 'Cisco-CP-6841-3PCC/12.0.1 (001122334466)' /reception.xml
	expect_status 200 "ua_mac_must_match: false"
	expect_log served

	etc_restore phones.yml serviceconfig.yml
	config_wait
	req /reception.xml
	expect_status 200 "config restored"
	expect_body_same "$E2E_TMP/reception.base" "config restored"
}

# --------------------------------------------------------------- broken config

m_broken_config() {
	local etag=$BASE_ETAG i same=0
	config_sync
	# Line 5 opens a flow sequence that never closes.
	awk 'NR == 5 { print "  Time_Zone: [GMT+01:00, \"unclosed" } NR != 5' \
	    "$E2E_ETC_ORIG/common.yml" | etc_write common.yml
	config_wait
	for i in 1 2 3 4 5 6 7 8; do	# every FastCGI process keeps its last good config
		req /reception.xml
		[ "$R_STATUS" = 200 ] && cmp -s "$R_BODY" "$E2E_TMP/reception.base" &&
		    same=$((same + 1))
	done
	check "broken common.yml: 8 of 8 answers are the last good profile ($same)" \
	    test "$same" -eq 8
	expect_header ETag "^$etag\$" "broken common.yml"
	expect_body_contains '<Proxy_1_ ua="na">pbx.example.net</Proxy_1_>' "broken common.yml: not blanked"
	req /health
	expect_status 200 "/health with a broken common.yml"
	expect_json 'j["status"] == "degraded" and j["config_loaded"] is True and j["phones"] == 4' "/health with a broken common.yml"
	expect_json 're.search(r"common\.yml:\d+", j["last_reload_error"] or "")' "/health names common.yml:line"
	check "the error log has the reload error with file:line" \
	    grep -qaE 'level=error .*common\.yml:[0-9]+' "$E2E_LOG"

	# Valid YAML, invalid config: a second phone with reception's MAC
	# (and common.yml good again).
	etc_restore common.yml
	{ cat "$E2E_ETC_ORIG/phones.yml"; printf '  copycat:\n    mac: "001122334455"\n'; } |
	    etc_write phones.yml
	config_wait
	req /copycat.xml
	expect_status 404 "duplicate MAC: the new phone is not loaded"
	req /reception.xml
	expect_status 200 "duplicate MAC: last good config"
	expect_body_same "$E2E_TMP/reception.base" "duplicate MAC: last good config"
	req /health
	expect_json 'j["status"] == "degraded"' "/health with a duplicate MAC"
	expect_json 're.search(r"phones\.yml:\d+", j["last_reload_error"] or "")' "/health names phones.yml:line"

	# Fixed, with a change: the new config is served by every process.
	etc_restore phones.yml
	sed 's/^  Time_Zone: .*/  Time_Zone: '"'GMT+05:00'"'/' "$E2E_ETC_ORIG/common.yml" |
	    etc_write common.yml
	config_wait
	same=0
	for i in 1 2 3 4 5 6 7 8; do
		req /reception.xml
		[[ $R_STATUS = 200 && $R_TEXT == *'<Time_Zone ua="na">GMT+05:00</Time_Zone>'* ]] &&
		    same=$((same + 1))
	done
	check "config fixed: 8 of 8 answers have the new Time_Zone ($same)" \
	    test "$same" -eq 8
	check "config fixed: new ETag" test "$(header_value ETag)" != "$etag"
	req /health
	expect_json 'j["status"] == "ok" and j["last_reload_error"] is None' "/health after the fix"
	etc_restore common.yml
}
