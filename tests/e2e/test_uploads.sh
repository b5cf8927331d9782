#!/bin/bash
# What phones upload (issue 15), through lighttpd as `make run` starts it,
# over the golden fleet (tests/data/vendors/fleet): a Polycom PUTs its logs
# and override files, a Yealink its local configuration and contacts, each
# with its real User-Agent.  Each upload is kept under
# $DESKPROV_DATA/uploads/<mac>/ byte for byte, old versions pruned, and
# shown on the phone's admin page with its drift.  Refused: another
# vendor's or phone's User-Agent, another address, a file over its cap
# (before the body is read), names that are no upload, path tricks.
. "$(dirname "$0")/lib.sh"

command -v lighttpd >/dev/null || e2e_skip_all "lighttpd is not installed"
e2e_init
e2e_copy_etc "$E2E_TOP/tests/data/vendors/fleet"
cat >"$E2E_ETC/serviceconfig.yml" <<'EOF'
auth:
  enabled: true
  users:
    admin: {username: admin, role: admin}
EOF
htpasswd_write admin:admin-pw
start_lighttpd
# A request of its own takes any late line of the readiness polls, so that
# each upload below is checked against its own log line only.
req /health
expect_status 200 "/health before the uploads"

POLY="FileTransport PolycomVVX-VVX_400-UA/5.9.7.3480 Type/Application"
YEA="Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:01"
UP=$E2E_TMP/data/uploads

# stored MAC SUFFIX BODY WHAT: the newest stored version of that file is
# BODY, byte for byte.
stored() {
	local f
	f=$(find "$UP/$1" -maxdepth 1 -name "${2#-}.*" 2>/dev/null | sort | tail -1)
	if [ -n "$f" ] && [ "$(cat "$f")" = "$3" ]; then
		pass "$4: stored as ${f##*/}"
	else
		fail "$4: not stored (${f:-nothing})"
	fi
}

# Polycom: the logs and both override files (Poly FAQ).
req -X PUT -A "$POLY" --data-binary $'0101 boot: ok\n0102 app: started' /0004f2aabb05-app.log
expect_status 200 "polycom: PUT app.log"
expect_log stored "phone=polycom-desk" "polycom: app.log logged"
stored 0004f2aabb05 -app.log $'0101 boot: ok\n0102 app: started' "polycom: app.log"
req -X PUT -A "$POLY" --data-binary 'boot log' /0004f2aabb05-boot.log
expect_status 200 "polycom: PUT boot.log"
req -X PUT -A "$POLY" --data-binary '<PHONE_CONFIG><OVERRIDES reg.1.displayName="On the phone" up.backlight.idleIntensity="1"/></PHONE_CONFIG>' \
    /0004f2aabb05-phone.cfg
expect_status 200 "polycom: PUT phone.cfg"
req -X PUT -A "$POLY" --data-binary $'\xff\xfe binary \x01' /0004f2aabb05-web.cfg
expect_status 200 "polycom: PUT web.cfg, not even XML"
stored 0004f2aabb05 -web.cfg $'\xff\xfe binary \x01' "polycom: binary web.cfg"

# Yealink: local configuration and contacts (Yealink admin guide).
req -X PUT -A "$YEA" --data-binary $'#!version:1.0.0.1\naccount.1.display_name = Mine\n' \
    /001565aabb01-local.cfg
expect_status 200 "yealink: PUT local.cfg"
stored 001565aabb01 -local.cfg $'#!version:1.0.0.1\naccount.1.display_name = Mine' "yealink: local.cfg"
req -X PUT -A "$YEA" --data-binary '<root_contact/>' /001565aabb01-contact.xml
expect_status 200 "yealink: PUT contact.xml"

# Retention: four more app.logs leave the newest three.
for i in 1 2 3 4; do
	req -X PUT -A "$POLY" --data-binary "log $i" /0004f2aabb05-app.log
done
check "polycom: three app.log versions kept" \
    test "$(find "$UP/0004f2aabb05" -name 'app.log.*' | wc -l)" -eq 3
stored 0004f2aabb05 -app.log "log 4" "polycom: the newest app.log"

# Refusals, each with its outcome word and nothing stored.
# refuse_put STATUS OUTCOME UA PATH BODY WHAT
refuse_put() {
	req -X PUT -A "$3" --data-binary "$5" "$4"
	expect_status "$1" "$6"
	expect_log "$2" "" "$6"
}
refuse_put 403 ua_mismatch "$YEA" /0004f2aabb05-app.log x \
    "a Yealink User-Agent uploading a Polycom's log"
refuse_put 403 ua_mismatch "Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:77" \
    /001565aabb01-local.cfg x "another Yealink's MAC in the User-Agent"
refuse_put 404 not_this_vendor "$YEA" /001565aabb01-app.log x \
    "a Polycom file name for a Yealink"
refuse_put 404 unknown_phone "$POLY" /0004f2000001-app.log x \
    "an unknown phone"
refuse_put 405 bad_method "$YEA" /001565aabb01.cfg x \
    "PUT on a file deskprov serves"
refuse_put 405 bad_method "$POLY" /0004f2aabb05-app.log%2f..%2f..%2fx.cfg x \
    "an encoded path in the name"
big=$(head -c 300000 /dev/zero | tr '\0' 'a')
refuse_put 413 too_large "$POLY" /0004f2aabb05-phone.cfg "$big" \
    "an override file over its cap"
check "nothing stored outside uploads/<mac>/" \
    test "$(find "$UP" -mindepth 1 -maxdepth 1 | wc -l)" -eq 2

# The address rule: the Polycom moves to another address.
awk '/^  polycom-desk:/ {p=1} p && /ip_address:/ {sub(/127\.0\.0\.1/, "192.0.2.5"); p=0} {print}' \
    "$E2E_ETC/phones.yml" >"$E2E_TMP/phones.yml" && mv "$E2E_TMP/phones.yml" "$E2E_ETC/phones.yml"
config_wait
refuse_put 403 not_phone_ip "$POLY" /0004f2aabb05-app.log x \
    "an upload from another address than the phone's"

# The admin page: the uploads, the drift of the override file.
req -u admin:admin-pw /phone/yealink-desk
expect_status 200 "yealink: phone page"
expect_body_contains "<h2>Uploads</h2>" "yealink: phone page"
expect_body_contains "001565aabb01-local.cfg" "yealink: phone page lists local.cfg"
expect_body_contains "differs" "yealink: local.cfg drifts"
expect_body_contains "Desk 2001" "yealink: what deskprov serves"
req -u admin:admin-pw /phone/polycom-desk
expect_body_contains "0004f2aabb05-phone.cfg" "polycom: phone page lists phone.cfg"
expect_body_contains "local only" "polycom: a setting deskprov does not set"
expect_body_contains "Binary content, not shown." "polycom: binary web.cfg"

log_read
expect_log_clean "$E2E_LOG"
e2e_finish
