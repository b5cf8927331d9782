#!/bin/bash
# Secure links through lighttpd (lighttpd.conf.example, as `make run`):
# personal links /p/<key>/, the fleet token /t/<token>/ and one-time links
# /o/<id>/ made with `deskprov link create`; expiry, exhaustion, another
# phone's file, a wrong address, bad keys and tokens, each with its 4xx
# and log line; links.plain bootstrap and off; MAC enumeration refused with
# 429 and Retry-After, counted in /metrics and matched by the fail2ban
# filter.  No key, token or password may appear in an answer that is not
# the phone's own file, in the log, or in the metrics.
. "$(dirname "$0")/lib.sh"

command -v lighttpd >/dev/null || e2e_skip_all "lighttpd is not installed"
e2e_init

KEY1=E2Elinked-E2Elinked-E2Elinked-E2Elinked-E2E
KEY2=E2Eexpire-E2Eexpire-E2Eexpire-E2Eexpire-E2E
KEY3=E2Efenced-E2Efenced-E2Efenced-E2Efenced-E2E
TOKEN=e2e-fleet-token-$RANDOM$RANDOM
TOKEN_SHA=$(printf '%s' "$TOKEN" | sha256sum | cut -d' ' -f1)
SECRETS=("$KEY1" "$KEY2" "$KEY3" "$TOKEN" pw-e2e-linked pw-e2e-expired
    pw-e2e-fenced)

# Clients are told apart by X-Forwarded-For from the trusted 127.0.0.1, so
# that one test can be many addresses; the abuse allow-list is emptied.
links_prepare_etc() {
	e2e_copy_etc "$E2E_TOP/etc"
	cat >>"$E2E_ETC/phones.yml" <<EOF

  # Added by test_links.sh.
  linked:
    mac: "00:11:22:33:44:a1"
    ip_address: "192.0.2.1"
    link_key: $KEY1
    Password_1_: "pw-e2e-linked"
  expired:
    mac: "00:11:22:33:44:a2"
    link_key: $KEY2
    links: {expires: 2020-01-01T00:00:00Z}
    Password_1_: "pw-e2e-expired"
  fenced:
    mac: "00:11:22:33:44:a3"
    link_key: $KEY3
    links: {allow: ["198.51.100.0/24"], mac_check: true}
    Password_1_: "pw-e2e-fenced"
EOF
	etc_sed serviceconfig.yml 's/^trusted_proxies: \[\]/trusted_proxies: ["127.0.0.1"]/' &&
	    cat >>"$E2E_ETC/serviceconfig.yml" <<EOF
links:
  base_url: "http://prov.example/"
  plain: on
  token_sha256: $TOKEN_SHA
abuse:
  max_unknown: 10
  block_seconds: 300
  allow: []
EOF
	"$E2E_TOP/build/deskprov" check "$E2E_ETC" >"$E2E_TMP/check.out" 2>&1 ||
	    e2e_abort "deskprov check rejects the test config: $(cat "$E2E_TMP/check.out")"
}

# get CLIENT PATH [req options...]: a GET from CLIENT (X-Forwarded-For).
get() {
	local client=$1 path=$2
	shift 2
	req -H "X-Forwarded-For: $client" "$@" "$path"
}

# The answer is a phone's own profile (with its password), or a refusal
# without any secret in it.
expect_profile() {
	expect_status 200
	expect_log served
	expect_body_contains "$1"
}

expect_refusal() {
	local s
	expect_status "$1"
	expect_log "$2"
	for s in "${SECRETS[@]}"; do
		[[ $R_TEXT == *"$s"* ]] && fail "$R_PATH: the refusal holds a secret"
	done
	return 0
}

personal_checks() {
	get 203.0.113.10 "/p/$KEY1/0011223344a1.xml"
	expect_profile pw-e2e-linked
	check "the log line masks the key (uri=/p/-/0011223344a1.xml)" \
	    grep -q ' uri=/p/-/0011223344a1.xml ' <<<"$R_LOG"
	get 203.0.113.10 "/p/$KEY1/linked.xml"
	expect_profile pw-e2e-linked
	get 203.0.113.10 "/p/$KEY1/001122334455.xml"
	expect_refusal 403 mac_mismatch
	get 203.0.113.10 "/p/$KEY1/001122334a1.xml"
	expect_refusal 404 unknown_phone
	get 203.0.113.10 "/p/$KEY1/0011223344a1.xml" -A "Cisco-CP-6841-3PCC/12.0.1 (001122334455)"
	expect_refusal 403 mac_mismatch
	get 203.0.113.10 "/p/$KEY2/0011223344a2.xml"
	expect_refusal 410 link_expired
	get 203.0.113.10 "/p/$KEY3/0011223344a3.xml"
	expect_refusal 403 addr_not_allowed
	get 198.51.100.7 "/p/$KEY3/0011223344a3.xml"
	expect_profile pw-e2e-fenced
	get 203.0.113.10 "/p/${KEY1%?}X/0011223344a1.xml"
	expect_refusal 404 bad_key
	# The plain URL keeps ip_authorization: not from elsewhere.
	get 203.0.113.10 /0011223344a1.xml
	expect_refusal 403 not_phone_ip
}

token_checks() {
	get 203.0.113.11 "/t/$TOKEN/001122334455.xml"
	expect_profile change-me-1001
	get 203.0.113.11 "/t/$TOKEN/reception.xml"
	expect_refusal 400 bad_identifier
	get 203.0.113.11 "/t/$TOKEN_SHA/001122334455.xml"
	expect_refusal 404 bad_token
}

# deskprov link create, as the user the FastCGI processes run as.
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

once_checks() {
	local url id
	url=$(link_create linked --uses 2)
	check "deskprov link create prints the link once ($url)" \
	    grep -qE '^http://prov.example/o/[A-Za-z0-9_-]{22}/$' <<<"$url"
	id=${url%/}
	id=${id##*/}
	check "the data directory does not hold the link's id" \
	    test -z "$(grep -rl -- "$id" "$E2E_TMP/data/links" 2>/dev/null)"
	get 203.0.113.12 "/o/$id/001122334455.xml"
	expect_refusal 403 mac_mismatch
	get 203.0.113.12 "/o/$id/ff1122334a1.xml"
	expect_refusal 404 unknown_phone
	get 203.0.113.12 "/o/$id/0011223344a1.xml"
	expect_profile pw-e2e-linked
	get 203.0.113.12 "/o/$id/linked.xml"
	expect_profile pw-e2e-linked
	get 203.0.113.12 "/o/$id/0011223344a1.xml"
	expect_refusal 410 link_used_up
	get 203.0.113.12 "/o/${id%?}Q/0011223344a1.xml"
	expect_refusal 404 bad_link
	for s in "${SECRETS[@]}" "$id"; do
		grep -qF -- "$s" "$E2E_LOG" && fail "the log holds a secret"
	done
	pass "no key, token, one-time id or password in the log"
}

plain_mode_checks() {
	etc_sed serviceconfig.yml 's/^  plain: on/  plain: bootstrap/'
	config_sync
	get 192.0.2.1 /0011223344a1.xml
	expect_status 200
	expect_log bootstrap
	expect_body_contains "<Profile_Rule ua=\"na\">http://prov.example/p/$KEY1/\$MA.xml</Profile_Rule>"
	expect_body_lacks pw-e2e-linked
	get 192.0.2.1 "/p/$KEY1/0011223344a1.xml"
	expect_profile pw-e2e-linked
	etc_sed serviceconfig.yml 's/^  plain: bootstrap/  plain: off/'
	config_sync
	get 192.0.2.1 /0011223344a1.xml
	expect_refusal 404 plain_off
	get 127.0.0.1 /reception.xml
	expect_refusal 404 plain_off
	get 203.0.113.13 "/t/$TOKEN/001122334455.xml"
	expect_profile change-me-1001
}

# Guessing MACs from one address: 404s, then 429 with Retry-After for
# every request, counted in /metrics and matched by fail2ban.
enumeration_checks() {
	local i first n
	first=$(($(wc -l <"$E2E_LOG") + 1))
	for i in $(seq 10 21); do
		get 192.0.2.66 "/00112233$(printf '%04x' "$i").xml"
	done
	expect_status 429
	expect_log abuse_blocked 'abuse=enumeration'
	expect_header Retry-After '[0-9]+'
	get 192.0.2.66 "/p/$KEY1/0011223344a1.xml"
	expect_refusal 429 abuse_blocked
	get 192.0.2.67 "/p/$KEY1/0011223344a1.xml"
	expect_profile pw-e2e-linked
	htpasswd_write monitor:e2e-monitor-pw
	req -u monitor:e2e-monitor-pw /metrics
	expect_body_contains 'deskprov_rejections_total{reason="abuse_blocked"}'
	for s in "${SECRETS[@]}"; do
		[[ $R_TEXT == *"$s"* ]] && fail "/metrics holds a secret"
	done
	pass "/metrics holds no key, token or password"
	if command -v fail2ban-regex >/dev/null; then
		tail -n "+$first" "$E2E_LOG" | grep ' client=' >"$E2E_TMP/enum.log"
		n=$(fail2ban-regex "$E2E_TMP/enum.log" \
		    "$E2E_TOP/dist/fail2ban/filter.d/deskprov.conf" 2>&1 |
		    sed -n 's/^Lines: [0-9]* lines, [0-9]* ignored, \([0-9]*\) matched.*/\1/p')
		# 12 guesses (11 unknown_phone, the eleventh of which blocks,
		# then abuse_blocked) and the blocked link fetch; the other
		# client's fetch and the scrape are not hostile.
		check "fail2ban-regex matches the 13 hostile lines of the enumeration ($n)" \
		    test "$n" = 13
	else
		skip "fail2ban-regex is not installed (scripts/deps installs fail2ban)"
	fi
}

# The admin pages and the command-line tool show a phone entry with a
# key without its key.
pages_checks() {
	local s out p
	htpasswd_write admin:e2e-admin-pw monitor:e2e-monitor-pw
	for p in / /phone/linked /phone/fenced /phone/0011223344a1; do
		req -u admin:e2e-admin-pw "$p"
		expect_status 200
		for s in "$KEY1" "$KEY2" "$KEY3" "$TOKEN"; do
			[[ $R_TEXT == *"$s"* ]] && fail "$p: the page holds a key"
		done
		pass "$p: no key or token on the page"
	done
	out=$("$E2E_TOP/build/deskprov" explain linked --etc "$E2E_ETC" 2>&1;
	    "$E2E_TOP/build/deskprov" files linked --etc "$E2E_ETC" 2>&1)
	check "deskprov explain and files: no key" \
	    test -z "$(grep -F -e "$KEY1" <<<"$out")"
}

links_prepare_etc
start_lighttpd
pages_checks
personal_checks
token_checks
once_checks
plain_mode_checks
enumeration_checks
e2e_finish
