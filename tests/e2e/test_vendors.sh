#!/bin/bash
# Every vendor's boot sequence through lighttpd, started as `make run`
# starts it: the golden fleet (tests/data/vendors/fleet, one device per
# pack), each phone asking for its files in its firmware's order with its
# real User-Agent.  Each answer must be byte for byte the golden file the
# Check suite compares against, with the vendor's Content-Type, a
# Content-Length and an ETag.  Then what must be refused (another
# vendor's User-Agent, another phone's MAC, unknown phones), a 304, a
# local template picked up without a restart, and a broken template that
# never reaches a phone.
. "$(dirname "$0")/lib.sh"

command -v lighttpd >/dev/null || e2e_skip_all "lighttpd is not installed"
e2e_init
e2e_copy_etc "$E2E_TOP/tests/data/vendors/fleet"
etc_snapshot
GOLDEN=$E2E_TOP/tests/data/vendors/golden
start_lighttpd

# boot PACK UA FILE...: the files in order, each the golden one.  FILE
# may be NAME=GOLDEN when the phone spells a model differently from the
# catalogue (spa508G.cfg for SPA508G).
boot() {
	local pack=$1 ua=$2 f golden
	shift 2
	for f in "$@"; do
		golden=${f#*=}
		f=${f%%=*}
		req -A "$ua" "/$f"
		expect_status 200 "$pack: /$f"
		expect_body_same "$GOLDEN/$pack/$golden" "$pack: /$f"
		expect_length "$pack: /$f"
		expect_header ETag '^"[0-9a-f]{16}"$' "$pack: /$f"
		expect_log served "pack=$pack file=${f//./\\.} " "$pack: /$f"
	done
}

# refuse STATUS OUTCOME UA PATH WHAT
refuse() {
	req -A "$3" "$4"
	expect_status "$1" "$5"
	expect_log "$2" "" "$5"
	expect_body_lacks "pw-" "$5"
}

# Yealink: <mac>.boot, the model's common file, then <mac>.cfg (Yealink
# admin guide; sources in docs/sources.md).
boot yealink "Yealink SIP-T46S 66.80.0.1 00:15:65:aa:bb:01" \
    001565aabb01.boot y000000000066.cfg 001565aabb01.cfg
expect_header Content-Type '^text/plain' "yealink: .cfg is text"
# A phone deskprov does not know falls back to the common boot file.
refuse 404 unknown_phone "Yealink SIP-T46S 66.80.0.1 00:15:65:aa:bb:99" \
    /001565aabb99.boot "yealink: unknown phone's .boot"
boot yealink "Yealink SIP-T46S 66.80.0.1 00:15:65:aa:bb:99" \
    y000000000000.boot

# Snom: the model index, the phone's index, its settings (Snom wiki).
boot snom "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413AABB02 SXM:0 UXM:0)" \
    snomD785.htm snomD785-000413AABB02.htm snomD785.xml 000413AABB02.xml \
    snomD785-firmware.xml snomD785-000413AABB02-firmware.xml

# Grandstream: cfg<mac>.xml, then the model file and cfg.xml (Grandstream
# SIP Device Provisioning Guide).
boot grandstream "Grandstream Model HW GXP2170 V1.3A SW 1.0.9.1 DevId 000b82aabb03" \
    cfg000b82aabb03.xml cfggxp2170.xml cfg.xml
# The legacy binary cfg<mac> is not something deskprov makes.
req -A "Grandstream Model HW GXP2170 V1.3A SW 1.0.9.1 DevId 000b82aabb03" /cfg000b82aabb03
expect_status 404 "grandstream: no legacy binary cfg<mac>"

# Fanvil: the phone's <mac>.cfg.
boot fanvil "Fanvil X6U 2.10.0 0c383eaabb04" 0c383eaabb04.cfg fanvil_x6u_hwv2_0.txt

# Cisco SPA (Cisco SPA provisioning guide): the factory /spa$PSN.cfg, the
# common file, the phone.
boot cisco-spa "Cisco/SPA508G-7.5.5 (0002FDAABB07)(CBT141400UK)" \
    spa508G.cfg=SPA508G.cfg spa-phone.xml 0002fdaabb07.xml

# Cisco MPP through the device model: $PSN.xml, cp-phone.xml, $MA.xml.
boot cisco-mpp "Cisco-CP-8841-3PCC/11.3.1 (00562baabb08)" \
    8841-3PCC.xml cp-phone.xml 00562baabb08.xml

# Polycom: master file, then the files it names (Poly FAQ).  No MAC in the
# UA.
if [ -d "$GOLDEN/polycom" ]; then
	boot polycom "FileTransport PolycomVVX-VVX_400-UA/5.8.0.1000 Type/Application" \
	    0004f2aabb05.cfg 000000000000.cfg 0004f2aabb05-user.cfg common.cfg
fi

# Gigaset N870: <mac>.xml, lowercase (wazo-provd-plugins, wazo_gigaset
# Nx70).
if [ -d "$GOLDEN/gigaset" ]; then
	boot gigaset "Gigaset N870 IP PRO/83.V2.10.0+build.a546b91;7C2F80AABB06" \
	    7c2f80aabb06.xml
fi

# Grandstream GRP2614: the same order; its own file is <config version="2">
# (wazo-provd-plugins, wazo_grandstream GRP261x templates).
boot grandstream "Grandstream Model HW GRP2614 SW 1.0.5.15 DevId c074adaabb09" \
    cfgc074adaabb09.xml cfggrp2614.xml cfg.xml

# Gigaset N510 IP PRO: <MAC>.xml, uppercase (wazo-provd-plugins,
# wazo_gigaset common.py; the User-Agent form of its comments).
boot gigaset "N510 IP PRO/42.245.00.000.000;7C2F80AABB0A" 7C2F80AABB0A.xml

# Aastra/Mitel: aastra.cfg, then <model>.cfg, then <MAC>.cfg (Aastra
# 6700i/6800i/9000i Administrator Guide, "Configuration Files"; the
# User-Agent form of wazo-provd-plugins' wazo_aastra common.py).
boot aastra "Aastra6867i MAC:00-08-5D-AA-BB-0B V:4.2.0.2023-SIP" \
    aastra.cfg 6867i.cfg 00085DAABB0B.cfg
expect_header Content-Type '^text/plain' "aastra: .cfg is text"
refuse 403 ua_mismatch "Mitel6940 MAC:14-00-E9-AA-BB-77 V:6.4.0.140-SIP" \
    /00085DAABB0B.cfg "a Mitel asking for another phone's file"
# Phonebooks (issue 15): each pack's directory file, at the URL the
# phone's own configuration names, fetched with its User-Agent.
boot yealink "Yealink SIP-T46S 66.80.0.1 00:15:65:aa:bb:01" 001565aabb01-phonebook.xml
boot snom "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5 000413AABB02 SXM:0 UXM:0)" \
    000413AABB02-tbook.xml
boot grandstream "Grandstream Model HW GXP2170 V1.3A SW 1.0.9.1 DevId 000b82aabb03" phonebook.xml
boot fanvil "Fanvil X6U 2.10.0 0c383eaabb04" 0c383eaabb04-phonebook.xml
boot cisco-spa "Cisco/SPA508G-7.5.5 (0002FDAABB07)(CBT141400UK)" 0002fdaabb07-directory.xml
boot cisco-mpp "Cisco-CP-8841-3PCC/11.3.1 (00562baabb08)" 00562baabb08-directory.xml
boot polycom "FileTransport PolycomVVX-VVX_400-UA/5.8.0.1000 Type/Application" \
    0004f2aabb05-directory.xml 000000000000-directory.xml
boot gigaset "Gigaset N870 IP PRO/83.V2.10.0+build.a546b91;7C2F80AABB06" \
    7c2f80aabb06-directory.xml
refuse 403 ua_mismatch "Yealink SIP-T46S 66.80.0.1 00:15:65:aa:bb:77" \
    /001565aabb01-phonebook.xml "a Yealink asking for another Yealink's phonebook"

# What must be refused.
refuse 403 ua_mismatch "Yealink SIP-T46S 66.80.0.1 00:15:65:aa:bb:01" \
    /000413AABB02.xml "a Yealink User-Agent asking for a Snom file"
refuse 403 ua_mismatch "Yealink SIP-T46S 66.80.0.1 00:15:65:aa:bb:77" \
    /001565aabb01.cfg "a Yealink asking for another Yealink's file"
refuse 403 ua_mismatch "Cisco-CP-8841-3PCC/11.3.1 (00562baabb08)" \
    /y000000000066.cfg "a Cisco asking for a Yealink common file"
refuse 404 unknown_phone "" /001565aabb42.cfg "an unknown Yealink"
refuse 404 not_this_vendor "" /yealink-desk.xml \
    "a device asked for by name on the Cisco route"
refuse 404 not_this_vendor "" /001565aabb01.xml \
    "a Yealink's MAC on the Cisco route"

# 304 when the phone has the file already.
req /001565aabb01.cfg
etag=$(header_value ETag)
req -H "If-None-Match: $etag" /001565aabb01.cfg
expect_status 304 "yealink: If-None-Match"
expect_body_empty "yealink: 304"

# HEAD: the headers of the GET, no body.
req -I /snomD785.htm
expect_status 200 "snom: HEAD"
expect_body_empty "snom: HEAD"

# tpl_write NAME < content: a local template, replaced atomically.
tpl_write() {
	mkdir -p "$E2E_ETC/templates"
	cat >"$E2E_ETC/templates/.tmp" && mv -f "$E2E_ETC/templates/.tmp" \
	    "$E2E_ETC/templates/$1"
}

# A local template, picked up by every process without a restart.
printf '#!version:1.0.0.1\n{{>pack/base}}\n# local: %s\n' '{{phone.id}}' |
    tpl_write 001565aabb01.cfg.tpl
config_wait
req /001565aabb01.cfg
expect_status 200 "yealink: local template for one file"
expect_body_contains "# local: yealink-desk" "yealink: local template for one file"
expect_log served "template=templates/001565aabb01\\.cfg\\.tpl" "yealink: local template"

# A broken edit: the template no longer parses.  The config stays the
# last good one (/health says why) and the phone still gets its file.
printf '#!version:1.0.0.1\n{{#open}}\n' | tpl_write 001565aabb01.cfg.tpl
config_wait
req /health
expect_json 'j["status"] == "degraded" and "001565aabb01.cfg.tpl" in j["last_reload_error"]' \
    "/health names the broken template"
req /001565aabb01.cfg
expect_status 200 "yealink: still served after a broken template"
expect_body_contains "# local: yealink-desk" "yealink: the last good template"

# A template that parses but renders a broken file: 500, a log line
# naming the template, nothing of the file on the wire.
printf '#!version:1.0.0.1\nthis is not a setting\n' |
    tpl_write 001565aabb01.cfg.tpl
config_wait
req /001565aabb01.cfg
expect_status 500 "yealink: a template rendering an invalid file"
expect_log render_error 'error=template\\x20templates/001565aabb01\.cfg\.tpl' \
    "yealink: the 500 names the template"
expect_body_lacks "this is not a setting" "yealink: no part of the broken file"
# deskprov check renders every device file: it finds the same error
# before deployment.
out=$(DESKPROV_SCHEMA_DIR="$E2E_TOP/schema" "$E2E_TOP/build/deskprov" check \
    "$E2E_ETC" 2>&1)
check "deskprov check fails on a template that renders an invalid file" \
    test $? -eq 1
check "deskprov check names the phone and the template" \
    grep -q '^deskprov: phone yealink-desk: template templates/001565aabb01.cfg.tpl' <<<"$out"
rm -f "$E2E_ETC/templates/001565aabb01.cfg.tpl"
config_wait
req /001565aabb01.cfg
expect_body_same "$GOLDEN/yealink/001565aabb01.cfg" "yealink: shipped template back"
out=$(DESKPROV_SCHEMA_DIR="$E2E_TOP/schema" "$E2E_TOP/build/deskprov" check \
    "$E2E_ETC" 2>/dev/null)
check "deskprov check: every file of the 11 devices renders" \
    grep -q '11 devices, 49 files rendered' <<<"$out"

log_read
expect_log_clean "$E2E_LOG"
check "no password in the log" test "$(grep -ac 'pw-' "$E2E_LOG")" -eq 0
e2e_finish
