#!/bin/bash
# Compatibility with the peer project (open-cisco-mpp-provisioning): its
# sample config directory, ../shared/peer-data/cisco-mpp/upstream-config/,
# is served UNCHANGED, and our answers are compared, parameter by parameter
# (name, value, ua attribute), with what the peer itself sent for the same
# requests (golden/profile_001122334455.xml, golden/firmware_upgrade.xml).
#
# Every difference must be one of the KNOWN differences listed below. Each
# comes from a defect of the peer that deskprov fixes on purpose (see the
# "Known defects" in the peer README).  Any other difference fails.
#
# 1. profile.fcgi as plain CGI, DESKPROV_ETC pointing at upstream-config
#    itself.  The peer's serviceconfig whitelists only 172.23.0.1, and the
#    golden profile was fetched by phone-01 from its own address, so the CGI
#    request carries REMOTE_ADDR=192.168.1.10 -- an address a loopback
#    test cannot connect from.
# 2. The same requests through lighttpd.  Over loopback the client is
#    127.0.0.1, which the upstream config does not allow.  So the config
#    directory here is copies of the upstream files (deskprov does not
#    follow symlinks), except serviceconfig.yml.  That file gets
#    "127.0.0.1" added to ip_whitelist.
#    The answers must be byte for byte the CGI ones.
. "$(dirname "$0")/lib.sh"

PEER=${DESKPROV_PEER_DATA:-$E2E_TOP/../shared/peer-data/cisco-mpp}
UPSTREAM=$PEER/upstream-config
GOLDEN=$PEER/golden
UA_CURRENT='Cisco-CP-6841-3PCC/12.0.1 (001122334455)'
UA_OLD='Cisco-CP-6841-3PCC/11.3.7 (001122334455)'

[ -d "$UPSTREAM" ] && [ -r "$GOLDEN/profile_001122334455.xml" ] ||
    e2e_skip_all "peer data not found at $PEER (the ../shared checkout); nothing compared"

# The comparison, with the list of known differences.  Prints one line per
# finding: "ok ...", "known <id> ..." (an explained difference), "FAIL ...".
compare() {	# compare GOLDEN OURS profile|firmware
	"$E2E_PY" - "$1" "$2" "$3" "$UPSTREAM" <<'EOF'
import re
import sys
import xml.etree.ElementTree as ET

golden_path, ours_path, kind, upstream = sys.argv[1:5]

# Differences deskprov makes on purpose, each from a defect of the peer
# (peer README, "Known defects").  Each is a rule checked against the
# upstream config files, not a list of names to ignore.
KNOWN = {
    "schema_default":
        "the peer ignores schema defaults: a schema parameter that neither "
        "common.yml nor phones.yml sets is sent empty; deskprov sends the "
        "schema default",
    "phone_param_order":
        "the peer puts the parameters set in phones.yml in phones.yml "
        "order; deskprov keeps a schema parameter in its schema position. "
        "Same names and values, and every other element in the same order",
    "blank_user_password":
        "the peer's upgrade reply carries an empty <User_Password/>, which "
        "would blank the phone's user password; deskprov leaves it out",
}


def load_yaml(path):
    """The file as Python data: PyYAML when installed, else a reader for
    the plain nested "key: value" mappings these files use (enough for the
    sections read here)."""
    try:
        import yaml
        with open(path) as f:
            return yaml.safe_load(f)
    except ImportError:
        pass
    root, stack = {}, [(-1, None)]
    stack[0] = (-1, root)
    for line in open(path):
        m = re.match(r"^( *)([A-Za-z0-9_.:-]+):(?: +(.*?))?\s*$", line.split(" #")[0])
        if not m or line.lstrip().startswith("#"):
            continue
        ind, key, val = len(m.group(1)), m.group(2), m.group(3)
        while stack[-1][0] >= ind:
            stack.pop()
        parent = stack[-1][1]
        if val is None or val == "":
            parent[key] = {}
            stack.append((ind, parent[key]))
        else:
            parent[key] = val.strip("'\"")
    return root


def section(path, *keys):
    d = load_yaml(path)
    for k in keys:
        d = d[k]
    return {k: ("" if v is None else str(v)) for k, v in d.items()}


def params(path):
    root = ET.parse(path).getroot()
    fp = root.find("flat-profile")
    return root.tag, [(e.tag, (e.text or ""), dict(e.attrib)) for e in fp]


groot, g = params(golden_path)
oroot, o = params(ours_path)
out = []
out.append(("ok" if groot == oroot else "FAIL",
            "document element <%s> (peer <%s>)" % (oroot, groot)))
gd = {n: (v, a) for n, v, a in g}
od = {n: (v, a) for n, v, a in o}
out.append(("ok" if len(gd) == len(g) and len(od) == len(o) else "FAIL",
            "no parameter twice (peer %d, deskprov %d)" % (len(g), len(o))))

schema = section(upstream + "/schema.yml", "schema", "flat_profile_params")
common = section(upstream + "/common.yml", "common")
phone_set = set(section(upstream + "/phones.yml", "phones", "phone-01")) - {
    "mac", "ip_address", "serial_number"}

seen = {k: 0 for k in KNOWN}
unexplained = 0
for name in sorted(set(gd) | set(od)):
    if name in gd and name in od:
        (gv, ga), (ov, oa) = gd[name], od[name]
        if (gv, ga) == (ov, oa):
            continue
        if (kind == "profile" and gv == ""
                and ga == oa and name in schema and ov == schema[name]
                and name not in common and name not in phone_set):
            seen["schema_default"] += 1
            continue
        out.append(("FAIL", "%s: peer %r %r, deskprov %r %r"
                    % (name, gv, ga, ov, oa)))
        unexplained += 1
    elif name in gd:
        if kind == "firmware" and name == "User_Password" and gd[name][0] == "":
            seen["blank_user_password"] += 1
            continue
        out.append(("FAIL", "%s=%r only in the peer's answer" % (name, gd[name][0])))
        unexplained += 1
    else:
        out.append(("FAIL", "%s=%r only in deskprov's answer" % (name, od[name][0])))
        unexplained += 1

# Order: identical once the parameters set in phones.yml are left out.
gn = [n for n, _, _ in g if n in od]
on = [n for n, _, _ in o if n in gd]
if gn != on:
    if ([n for n in gn if n not in phone_set] == [n for n in on if n not in phone_set]
            and kind == "profile"):
        seen["phone_param_order"] += 1
    else:
        out.append(("FAIL", "element order differs beyond the phone's own parameters"))
        unexplained += 1

common_names = len(set(gd) & set(od))
out.append(("ok", "%d parameters compared (%d in the peer's answer, %d in ours)"
            % (common_names, len(g), len(o))))
for k, n in seen.items():
    if n:
        out.append(("known", "%s (%d): %s" % (k, n, KNOWN[k])))
out.append(("ok" if unexplained == 0 else "FAIL",
            "%d unexplained differences" % unexplained))
for status, msg in out:
    print("%s %s" % (status, msg))
EOF
}

# run_compare WHAT GOLDEN OURS KIND: feeds compare's findings to the counts.
run_compare() {
	local what=$1 status msg
	while IFS= read -r line; do
		status=${line%% *} msg=${line#* }
		case $status in
		ok) pass "$what: $msg" ;;
		known) note "$what: known difference $msg"; pass "$what: explained: ${msg%%:*}" ;;
		note) note "$what: $msg" ;;
		*) fail "$what: $msg" ;;
		esac
	done < <(compare "$2" "$3" "$4" 2>&1 || echo "FAIL compare crashed")
}

# cgi NAME REMOTE_ADDR UA URI: profile.fcgi as plain CGI on the unchanged
# upstream config; the document is kept as NAME.body, the whole answer as
# NAME.out.
cgi() {
	E2E_ETC=$UPSTREAM cgi_run REQUEST_URI="$4" REMOTE_ADDR="$2" \
	    HTTP_USER_AGENT="$3"
	cp "$R_BODY" "$E2E_TMP/$1.body"
	cp "$E2E_TMP/cgi.out" "$E2E_TMP/$1.out"
	R_PATH="CGI $4 from $2"
	check "$R_PATH: exit status 0" test "$R_EXIT" -eq 0
}

e2e_init

# ---- 1. plain CGI on the unchanged upstream config
cgi profile 192.168.1.10 "$UA_CURRENT" /001122334455.xml
expect_status 200 "CGI: phone-01 from its own address"
expect_log served 'client=192\.168\.1\.10 .*phone=phone-01 '
expect_length "CGI: phone-01"
run_compare "CGI profile vs golden" "$GOLDEN/profile_001122334455.xml" \
    "$E2E_TMP/profile.body" profile

cgi firmware 192.168.1.10 "$UA_OLD" /001122334455.xml
expect_status 200 "CGI: phone-01 on 11.3.7"
expect_log upgrade 'firmware=11\.3\.7 expected=12\.0\.1 '
run_compare "CGI upgrade vs golden" "$GOLDEN/firmware_upgrade.xml" \
    "$E2E_TMP/firmware.body" firmware

# Where the peer's defects would show, with this config.
cgi newer 192.168.1.10 'Cisco-CP-6841-3PCC/12.0.10 (001122334455)' /001122334455.xml
expect_status 200 "CGI: 12.0.10 is newer than 12.0.1"
expect_log served "" "CGI: 12.0.10 gets its profile, not a downgrade"
cgi byname 192.168.1.10 "$UA_CURRENT" /phone-01.xml
expect_status 200 "CGI: /phone-01.xml (a name with a dash)"
expect_body_same "$E2E_TMP/profile.body" "CGI: /phone-01.xml"
cgi other 192.168.1.11 '' /001122334455.xml
expect_status 403 "CGI: phone-02's address asks for phone-01"
expect_log not_phone_ip 'client_ip=192\.168\.1\.11 '
cgi whitelisted 172.23.0.1 '' /001122334455.xml
expect_status 200 "CGI: the whitelisted 172.23.0.1"
expect_body_same "$E2E_TMP/profile.body" "CGI: the whitelisted 172.23.0.1"
cgi spoof 192.168.1.10 'Cisco-CP-6841-3PCC/12.0.1 (001122334466)' /001122334455.xml
expect_status 403 "CGI: phone-02's User-Agent asks for phone-01"
expect_log ua_mismatch
cgi unknown 192.168.1.10 "$UA_OLD" /00aabbccddee.xml
expect_status 404 "CGI: an unknown MAC on old firmware is not steered"
expect_log unknown_phone
check "the upstream config directory was not written to" \
    test -z "$(find "$UPSTREAM" -newer "$E2E_TMP/profile.out" 2>/dev/null)"

# ---- 2. through lighttpd, 127.0.0.1 whitelisted
E2E_ETC=$E2E_TMP/etc
mkdir -p "$E2E_ETC"
# Copies, not symlinks: deskprov opens config files with O_NOFOLLOW.
for f in "$UPSTREAM"/*; do
	[ "${f##*/}" = serviceconfig.yml ] || cp "$f" "$E2E_ETC/"
done
sed '/^ip_whitelist:/a\  - "127.0.0.1"     # added by tests/e2e/test_compat_peer.sh' \
    "$UPSTREAM/serviceconfig.yml" >"$E2E_ETC/serviceconfig.yml"
check "serviceconfig.yml copy differs only by the added whitelist entry" \
    test "$(diff "$UPSTREAM/serviceconfig.yml" "$E2E_ETC/serviceconfig.yml" | grep -c '^[<>]')" -eq 1
start_lighttpd

req -A "$UA_CURRENT" /001122334455.xml
expect_status 200 "lighttpd: phone-01"
expect_log served 'client=127\.0\.0\.1 .*phone=phone-01 '
expect_length "lighttpd: phone-01"
expect_body_same "$E2E_TMP/profile.body" "lighttpd: phone-01, same bytes as CGI"
run_compare "lighttpd profile vs golden" "$GOLDEN/profile_001122334455.xml" \
    "$R_BODY" profile
req -A "$UA_OLD" /001122334455.xml
expect_status 200 "lighttpd: phone-01 on 11.3.7"
expect_body_same "$E2E_TMP/firmware.body" "lighttpd: upgrade, same bytes as CGI"
req -A "$UA_CURRENT" /001122334455.xml
etag=$(header_value ETag)
req -A "$UA_CURRENT" -H "If-None-Match: $etag" /001122334455.xml
expect_status 304 "lighttpd: If-None-Match on the 73 KB profile"
expect_body_empty
req /health
expect_json 'j["status"] == "ok" and j["phones"] == 2' "lighttpd: /health on the upstream config"

e2e_finish
