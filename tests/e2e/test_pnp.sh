#!/bin/bash
# SIP Plug-and-Play, remote resync and DHCP learning with real components:
#   - sipp plays a phone of each vendor's dialect against deskprov-pnpd on
#     loopback (SUBSCRIBE -> 200 OK + NOTIFY with the URL that vendor
#     fetches), then the phone's fetch of that URL from profile.fcgi;
#   - malformed datagrams are ignored with a log line, the daemon lives on;
#   - multicast to 224.0.1.75 inside two network namespaces joined by a
#     veth pair (made here and removed on exit); where namespaces are not
#     permitted the test says so and counts a skip (the unicast path above
#     still ran);
#   - a sipp UAS receives the check-sync NOTIFYs `deskprov notify` sends to
#     the contacts the PnP runs left, in phone order, at the configured
#     rate (the rate is printed, not asserted: no timed assertion);
#   - dnsmasq in one namespace hands a lease to dhclient in another and
#     `deskprov dhcp-event`, its --dhcp-script, records it.
. "$(dirname "$0")/lib.sh"

e2e_init
PNPD=$E2E_TOP/build/deskprov-pnpd
CLI=$E2E_TOP/build/deskprov
SIPP_DIR=$E2E_DIR/sipp
[ -x "$PNPD" ] && [ -x "$CLI" ] || e2e_abort "build/deskprov-pnpd and build/deskprov are not built"
command -v sipp >/dev/null ||
    e2e_skip_all "sipp is not installed (scripts/deps installs sip-tester)"

NS_MADE=()
netns_cleanup() {
	local n
	for n in "${NS_MADE[@]}"; do ip netns del "$n" 2>/dev/null; done
}
trap 'e2e_stop_all quiet; netns_cleanup; e2e_cleanup_dir' EXIT

# ---------------------------------------------------------------- setup

e2e_copy_etc "$E2E_TOP/tests/data/vendors/fleet"
PORT=$(free_port)
UA_PORT=$(free_port)		# the phones' own SIP port (sipp)
RUN_AS=
[ "$(id -u)" -eq 0 ] && RUN_AS="  user: nobody"
cat >"$E2E_TMP/mac_white.conf" <<'EOF'
# MikoServerPnP's format: one MAC a line.
0c:38:3e:aa:bb:04
0c383e000001
EOF
cp "$E2E_TMP/mac_white.conf" "$E2E_TMP/mac_white.orig"
# Every configured phone plus one unknown Fanvil: an allow list that names
# the fleet's MACs and the stranger.
for m in 001565aabb01 000413aabb02 000b82aabb03 0004f2aabb05 7c2f80aabb06 \
    0002fdaabb07 00562baabb08; do echo "$m"; done >>"$E2E_TMP/mac_white.conf"
echo "000413aabb99" >"$E2E_TMP/mac_black.conf"
chmod 644 "$E2E_TMP"/mac_*.conf
etc_write serviceconfig.yml <<EOF
ip_whitelist: ["127.0.0.1"]
pnp:
  enabled: true
  port: $PORT
  interfaces: [lo]
  allow_file: $E2E_TMP/mac_white.conf
  deny_file: $E2E_TMP/mac_black.conf
  rate_per_source: 600
  notify_rate: 20
$RUN_AS
EOF
deskprov_env
DAEMON_LOG=$E2E_TMP/pnpd.log
"$PNPD" 2>"$DAEMON_LOG" &
PNPD_PID=$!
e2e_spawned "$PNPD_PID"
for _ in $(seq 50); do
	grep -q 'listening on UDP port' "$DAEMON_LOG" && break
	sleep 0.1
done
check "deskprov-pnpd started on UDP port $PORT" grep -q "listening on UDP port $PORT" "$DAEMON_LOG"
if [ -n "$RUN_AS" ]; then
	check "deskprov-pnpd dropped root for nobody" \
	    test "$(ps -o user= -p "$PNPD_PID" | tr -d ' ')" = nobody
fi

# sipp_phone DEST MAC-AS-SENT VENDOR MODEL [sipp args...]: one PnP phone;
# prints the URL its NOTIFY carried ("" when none came) and leaves sipp's
# exit status in $E2E_TMP/sipp.rc.
sipp_phone() {
	local dest=$1 mac=$2 vendor=$3 model=$4 log=$E2E_TMP/sipp-phone.log
	shift 4
	rm -f "$log"
	timeout 20 sipp "$dest" -sf "$SIPP_DIR/pnp_phone.xml" -m 1 -nostdin \
	    -set mac "$mac" -set vendor "$vendor" -set model "$model" \
	    -trace_logs -log_file "$log" -timeout 5s -timeout_error \
	    -recv_timeout 3000 "$@" >"$E2E_TMP/sipp-phone.out" 2>&1
	echo $? >"$E2E_TMP/sipp.rc"
	sed -n 's/^url=\([^ ]*\) .*/\1/p' "$log" 2>/dev/null | head -1
}

# ---------------------------------------------------------------- dialects

# MAC as the phone spells it, vendor, model, URL it must be told, file it
# then fetches (the URL's path and query), outcome logged.
BASE=http://127.0.0.1/
DIALECTS=(
	"MAC001565aabb01 Yealink T46S $BASE y000000000000.boot served"
	"MAC%3a000413AABB02 snom snomD785 ${BASE}?mac=000413aabb02 ?mac=000413aabb02 served"
	"MAC%3A000B82AABB03 Grandstream GXP2170 ${BASE}cfg000b82aabb03.xml cfg000b82aabb03.xml served"
	"MAC:0c383eaabb04 Fanvil X4U ${BASE}0c383eaabb04.cfg 0c383eaabb04.cfg served"
	"MAC%3a0004F2AABB05 Polycom VVX400 ${BASE}0004f2aabb05-user.cfg - served"
	"MAC%3a7C2F80AABB06 Gigaset N510 ${BASE}7C2F80AABB06.xml 7C2F80AABB06.xml served"
	"MAC0002fdaabb07 Cisco SPA504G ${BASE}0002fdaabb07.xml - served"
	"MAC00562baabb08 Cisco CP-8841 ${BASE}00562baabb08.xml - served"
	"MAC%3a0c383e000001 Fanvil X3S ${BASE}0c383e000001.cfg - discovery"
)
for d in "${DIALECTS[@]}"; do
	read -r mac vendor model want file outcome <<<"$d"
	: >"$DAEMON_LOG.mark"
	before=$(wc -l <"$DAEMON_LOG")
	got=$(sipp_phone "127.0.0.1:$PORT" "$mac" "$vendor" "$model" \
	    -i 127.0.0.1 -p "$UA_PORT")
	SIPP_RC=$(cat "$E2E_TMP/sipp.rc")
	check "$vendor $mac: sipp scenario completed (200 OK, NOTIFY, 200 OK; exit $SIPP_RC)" \
	    test "$SIPP_RC" -eq 0
	check "$vendor $mac: NOTIFY carries $want (got ${got:-nothing})" \
	    test "$got" = "$want"
	line=$(tail -n +"$((before + 1))" "$DAEMON_LOG" | grep ' method=SUBSCRIBE ' | head -1)
	check "$vendor $mac: logged outcome=$outcome ($line)" \
	    grep -q " outcome=$outcome status=200 " <<<"$line"
	[ "$file" = - ] && continue
	# The phone then fetches what it was told.
	cgi_run REQUEST_URI="/$file" REMOTE_ADDR=127.0.0.1
	check "$vendor: GET /$file after PnP answers 200 (got $R_STATUS)" \
	    test "$R_STATUS" = 200
done

# Denied and unlisted MACs, a wrong Event, malformed datagrams: no answer,
# a log line each, and the daemon still serving afterwards.
got=$(sipp_phone "127.0.0.1:$PORT" MAC%3a000413AABB99 snom D785 -i 127.0.0.1 -p "$UA_PORT")
SIPP_RC=$(cat "$E2E_TMP/sipp.rc")
check "a denied MAC gets no NOTIFY (sipp times out: exit $SIPP_RC)" test -z "$got" -a "$SIPP_RC" -ne 0
check "the denied MAC is logged as such" grep -q ' ident=000413aabb99 .* outcome=denied status=403 ' "$DAEMON_LOG"
got=$(sipp_phone "127.0.0.1:$PORT" MAC%3a0c383e000002 Fanvil X3S -i 127.0.0.1 -p "$UA_PORT")
check "an unlisted MAC gets no NOTIFY" test -z "$got"
check "the unlisted MAC is logged as not_allowed" grep -q ' ident=0c383e000002 .* outcome=not_allowed ' "$DAEMON_LOG"
"$E2E_PY" - "$PORT" <<'EOF'
import socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
head = ("SUBSCRIBE sip:MAC001565aabb01@224.0.1.75 SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK1\r\n"
        "From: <sip:MAC001565aabb01@224.0.1.75>;tag=1\r\n"
        "To: <sip:MAC001565aabb01@224.0.1.75>\r\nCall-ID: 1\r\n"
        "CSeq: 1 SUBSCRIBE\r\n")
for d in [head + "Event: ua-profile;\r\n vendor=Yealink\r\n\r\n",   # folded
          head + "Event: presence\r\n\r\n",                         # wrong event
          head,                                                     # truncated
          head.replace("Call-ID: 1\r\n", "") + "Event: ua-profile\r\n\r\n",
          bytes(range(256)).decode("latin-1"),                      # binary
          "A" * 5000]:                                              # oversized
    s.sendto(d.encode("latin-1"), ("127.0.0.1", port))
EOF
sleep 0.5
for r in folded wrong_event truncated missing_header binary size; do
	check "malformed datagram ($r) ignored with a log line" \
	    grep -q " outcome=malformed status=400 reason=$r bytes=0" "$DAEMON_LOG"
done
got=$(sipp_phone "127.0.0.1:$PORT" MAC001565aabb01 Yealink T46S -i 127.0.0.1 -p "$UA_PORT")
check "deskprov-pnpd still answers after the malformed datagrams" test "$got" = "$BASE"
check "deskprov-pnpd is still running" e2e_alive "$PNPD_PID"

# The counters in the shared metrics store, as metrics.fcgi serves them.
out=$(env -i PATH=/usr/bin:/bin GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET \
    REQUEST_URI=/metrics REMOTE_ADDR=127.0.0.1 DESKPROV_ETC="$E2E_ETC" \
    DESKPROV_SCHEMA_DIR="$E2E_SCHEMA" DESKPROV_DATA="$E2E_TMP/data" \
    "$E2E_TOP/cgi-bin/metrics.fcgi" </dev/null 2>/dev/null)
check "metrics: pnp_subscribes_total{vendor=\"snom\",outcome=\"served\"} 1" \
    grep -q '^pnp_subscribes_total{vendor="snom",outcome="served"} 1$' <<<"$out"
check "metrics: pnp_subscribes_total{vendor=\"snom\",outcome=\"denied\"} 1" \
    grep -q '^pnp_subscribes_total{vendor="snom",outcome="denied"} 1$' <<<"$out"
check "metrics: the malformed datagrams counted" \
    grep -q '^pnp_subscribes_total{vendor="unknown",outcome="malformed"} 6$' <<<"$out"

# ---------------------------------------------------------------- notify

# Every configured phone told its URL above from 127.0.0.1:$UA_PORT: that
# is its learned contact.  A sipp UAS there plays the whole fleet.
check "deskprov-pnpd learned the Snom phone's contact" \
    grep -qx "port=$UA_PORT" "$E2E_TMP/data/pnp/000413aabb02"
UAS_LOG=$E2E_TMP/uas.log
run_uas() {
	rm -f "$UAS_LOG"
	timeout 60 sipp -sf "$SIPP_DIR/notify_uas.xml" -m "$1" -nostdin \
	    -i 127.0.0.1 -p "$UA_PORT" -trace_logs -log_file "$UAS_LOG" \
	    >"$E2E_TMP/uas.out" 2>&1 &
	UAS_PID=$!
	e2e_spawned "$UAS_PID"
	sleep 0.5
}
run_uas 8
out=$("$CLI" notify all --rate 10/s --etc "$E2E_ETC" 2>&1)
rc=$?
wait "$UAS_PID"
uas_rc=$?
# The three phones no SUBSCRIBE above came from (Grandstream GRP, Gigaset
# N510, Aastra) have no contact: they count as failed, and the exit says so.
check "deskprov notify all: exit 1, three phones without a contact ($out)" \
    test "$rc" -eq 1
check "deskprov notify all: sent 8, answered 8, failed 3 (no contact 3)" \
    grep -q '^sent 8, answered 8, failed 3 (no contact 3, no answer 0, refused 0)' <<<"$out"
check "sipp UAS: 8 NOTIFYs answered (exit $uas_rc)" test "$uas_rc" -eq 0
order=$(awk '$1 == "notify" { printf "%s ", $3 }' "$UAS_LOG")
check "NOTIFYs arrived in phone order ($order)" test "$order" = \
    "001565aabb01 000413aabb02 000b82aabb03 0c383eaabb04 0004f2aabb05 7c2f80aabb06 0002fdaabb07 00562baabb08 "
check "Snom got check-sync;reboot=false, Cisco resync" \
    grep -q '000413aabb02 *check-sync;reboot=false' "$UAS_LOG"
check "Cisco got resync" grep -q '00562baabb08 *resync' "$UAS_LOG"
rate=$(awk '$1 == "notify" { t[n++] = $2 } END { if (n > 1) printf "%.1f", (n - 1) * 1000 / (t[n-1] - t[0]) }' "$UAS_LOG")
note "measured stagger: $rate NOTIFYs/s at --rate 10/s (8 phones; not asserted)"
run_uas 1
out=$("$CLI" notify vendor:snom --reboot --etc "$E2E_ETC" 2>&1)
rc=$?
wait "$UAS_PID"
check "deskprov notify vendor:snom --reboot: exit 0 ($out)" test "$rc" -eq 0
check "Snom got check-sync;reboot=true" grep -q '000413aabb02 *check-sync;reboot=true' "$UAS_LOG"
# Nobody listening: no answer is a failure, exit 1.
out=$("$CLI" notify 00:04:13:aa:bb:02 --wait 0.5 --etc "$E2E_ETC" 2>&1)
rc=$?
check "deskprov notify to a phone that does not answer: exit 1 ($out)" test "$rc" -eq 1
check "... counted as no answer" grep -q 'no answer 1' <<<"$out"
# The Snom's next fetch confirms the resync.
cgi_run REQUEST_URI=/000413AABB02.xml REMOTE_ADDR=127.0.0.1
check "the Snom's fetch after the NOTIFY is logged notify=confirmed" \
    grep -q ' notify=confirmed ' <<<"$R_LOG"

# ---------------------------------------------------------------- namespaces

NS_OK=
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
	note "network namespaces need root and iproute2"
else
	NSP=dp$$
	if ip netns add "${NSP}s" 2>/dev/null; then
		NS_MADE+=("${NSP}s")
		ip netns add "${NSP}p" && NS_MADE+=("${NSP}p") && NS_OK=1
	fi
fi
if [ -z "$NS_OK" ]; then
	skip "multicast PnP in network namespaces: namespaces are not permitted here (the unicast path above ran)"
	skip "dnsmasq -> dhclient lease in network namespaces: namespaces are not permitted here"
	e2e_finish
fi

# Two namespaces, a veth pair: s (server) 10.231.N.1, p (phone) .2.
NET=10.231.$(( $$ % 250 ))
ip link add "${NSP}vs" type veth peer name "${NSP}vp" &&
    ip link set "${NSP}vs" netns "${NSP}s" && ip link set "${NSP}vp" netns "${NSP}p" ||
    e2e_abort "veth pair"
ip -n "${NSP}s" addr add "$NET.1/24" dev "${NSP}vs"
ip -n "${NSP}p" addr add "$NET.2/24" dev "${NSP}vp"
ip -n "${NSP}p" link set "${NSP}vp" address 00:15:65:aa:bb:01
for ns in s p; do
	ip -n "$NSP$ns" link set lo up
	ip -n "$NSP$ns" link set "${NSP}v$ns" up
done
ip -n "${NSP}p" route add 224.0.0.0/4 dev "${NSP}vp"

# The daemon of the server namespace, on the standard port, joined on
# the veth only.
MC_ETC=$E2E_TMP/etc-mc
cp -R "$E2E_ETC" "$MC_ETC"
cat >"$MC_ETC/serviceconfig.yml" <<EOF
ip_whitelist: ["127.0.0.1"]
pnp:
  enabled: true
  interfaces: [${NSP}vs]
$RUN_AS
EOF
chmod -R a+rX "$MC_ETC"
ip netns exec "${NSP}s" env DESKPROV_ETC="$MC_ETC" "$PNPD" 2>"$E2E_TMP/pnpd-mc.log" &
MC_PID=$!
e2e_spawned "$MC_PID"
for _ in $(seq 50); do
	grep -q 'listening on UDP port' "$E2E_TMP/pnpd-mc.log" && break
	sleep 0.1
done
check "deskprov-pnpd joined 224.0.1.75 on ${NSP}vs" \
    grep -q 'listening on UDP port 5060' "$E2E_TMP/pnpd-mc.log"
got=$(ip netns exec "${NSP}p" bash -c "$(declare -f sipp_phone); E2E_TMP=$E2E_TMP SIPP_DIR=$SIPP_DIR sipp_phone 224.0.1.75:5060 MAC%3a000413AABB02 snom snomD785 -i $NET.2 -p 5060")
check "multicast: a Snom phone's SUBSCRIBE to 224.0.1.75 is answered with http://$NET.1/?mac=000413aabb02 (got ${got:-nothing})" \
    test "$got" = "http://$NET.1/?mac=000413aabb02"
check "multicast: answered from the veth address, logged served" \
    grep -q "client=$NET.2 port=5060 method=SUBSCRIBE ident=000413aabb02 .* outcome=served " "$E2E_TMP/pnpd-mc.log"
kill -TERM "$MC_PID"
wait "$MC_PID"
check "deskprov-pnpd exits 0 on SIGTERM" test $? -eq 0

# ---------------------------------------------------------------- DHCP

if ! command -v dnsmasq >/dev/null || ! command -v dhclient >/dev/null; then
	skip "DHCP learning: dnsmasq or dhclient is not installed (scripts/deps installs them)"
	e2e_finish
fi
HOOK=$E2E_TMP/dhcp-hook
cat >"$HOOK" <<EOF
#!/bin/sh
# dnsmasq --dhcp-script: add|old|del MAC IP [HOSTNAME]
exec env DESKPROV_DATA="$E2E_TMP/data" DESKPROV_ETC="$E2E_ETC" \
    DESKPROV_SCHEMA_DIR="$E2E_SCHEMA" "$CLI" dhcp-event "\$@" >>"$E2E_TMP/hook.out" 2>&1
EOF
chmod 755 "$HOOK"
ip netns exec "${NSP}s" dnsmasq --keep-in-foreground --no-resolv --no-hosts \
    --conf-file=/dev/null --port=0 --interface="${NSP}vs" --bind-interfaces \
    --dhcp-range="$NET.50,$NET.60,255.255.255.0,1h" \
    --dhcp-leasefile="$E2E_TMP/dnsmasq.leases" --dhcp-script="$HOOK" \
    --pid-file="$E2E_TMP/dnsmasq.pid" --user=root \
    --log-facility="$E2E_TMP/dnsmasq.log" &
DNSMASQ_PID=$!
e2e_spawned "$DNSMASQ_PID"
cat >"$E2E_TMP/dhclient.conf" <<'EOF'
send vendor-class-identifier "Yealink SIP-T46S";
send host-name "t46s-front";
EOF
sleep 0.5
ip netns exec "${NSP}p" dhclient -d -1 -v -cf "$E2E_TMP/dhclient.conf" \
    -sf /bin/true -pf "$E2E_TMP/dhclient.pid" -lf "$E2E_TMP/dhclient.leases" \
    "${NSP}vp" >"$E2E_TMP/dhclient.log" 2>&1 &
DHCLIENT_PID=$!
e2e_spawned "$DHCLIENT_PID"
for _ in $(seq 100); do
	[ -f "$E2E_TMP/data/dhcp/001565aabb01" ] && break
	sleep 0.1
done
check "dnsmasq's hook recorded the lease of 00:15:65:aa:bb:01" \
    test -f "$E2E_TMP/data/dhcp/001565aabb01"
lease=$(cat "$E2E_TMP/data/dhcp/001565aabb01" 2>/dev/null)
check "the learned address is in the dnsmasq range ($lease)" \
    grep -Eq "^addr=$NET\.(5[0-9]|60)$" <<<"$lease"
check "the vendor class (option 60) is kept" grep -qx 'vendor_class=Yealink SIP-T46S' <<<"$lease"
check "the host name is kept" grep -qx 'hostname=t46s-front' <<<"$lease"
check "the hook guessed the pack and model" \
    grep -q 'learned 001565aabb01 .* vendor=yealink model=T46S' "$E2E_TMP/hook.out"
kill -TERM "$DHCLIENT_PID" "$DNSMASQ_PID" 2>/dev/null
wait "$DHCLIENT_PID" "$DNSMASQ_PID" 2>/dev/null
e2e_finish
