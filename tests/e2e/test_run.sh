#!/bin/bash
# Two `make run` in one checkout (issue 10, A5): each instance has its own
# run directory and serves its own config directory, the reports of two
# config directories go to two data directories, and a second instance on
# a port this checkout already serves stops with a message instead of
# taking over the first one's sockets.  scripts/run-lighttpd is what
# `make run` runs after building.
. "$(dirname "$0")/lib.sh"

command -v lighttpd >/dev/null || e2e_skip_all "lighttpd is not installed"
command -v flock >/dev/null || e2e_skip_all "flock (util-linux) is not installed"
e2e_init

# Two config directories that differ in one visible value.
cp -R "$E2E_TOP/etc" "$E2E_TMP/etc-a"
cp -R "$E2E_TOP/etc" "$E2E_TMP/etc-b"
sed -i 's/&reception_name "Reception"/\&reception_name "Instance B"/' \
    "$E2E_TMP/etc-b/phones.yml"
grep -q '"Instance B"' "$E2E_TMP/etc-b/phones.yml" ||
    e2e_abort "the sample phones.yml has no Station_Name line to change"
: >"$E2E_HTPASSWD"

RUN_PORTS=()
# run_instance NAME ETC-DIR: scripts/run-lighttpd on a fresh port, as
# `make run PORT=... DESKPROV_ETC=...` starts it (no DESKPROV_DATA).
run_instance() {
	local name=$1 etc=$2 pid
	E2E_PORT=$(free_port)
	E2E_BASE=http://127.0.0.1:$E2E_PORT
	RUN_PORTS+=("$E2E_PORT")
	(cd "$E2E_TOP" && PORT=$E2E_PORT DESKPROV_ETC=$etc DESKPROV_DATA= \
	    DESKPROV_HTPASSWD=$E2E_HTPASSWD exec scripts/run-lighttpd) \
	    >"$E2E_TMP/$name.out" 2>&1 </dev/null &
	pid=$!
	e2e_spawned "$pid"
	wait_ready "$pid" ||
	    e2e_abort "instance $name did not start: $(tail -5 "$E2E_TMP/$name.out")"
	pass "instance $name answers on $E2E_BASE"
	eval "PORT_$name=$E2E_PORT"
}

# The checkout's run/<port>/ and run/data/ directories of this test.
cleanup_run() {
	local p
	for p in "${RUN_PORTS[@]}"; do rm -rf "$E2E_TOP/run/$p"; done
	rm -rf "$E2E_TOP/run/data/etc-a-"* "$E2E_TOP/run/data/etc-b-"*
	rmdir "$E2E_TOP/run/data" "$E2E_TOP/run" 2>/dev/null
	return 0
}
trap 'e2e_stop_all quiet; cleanup_run; e2e_cleanup_dir' EXIT

run_instance A "$E2E_TMP/etc-a"
run_instance B "$E2E_TMP/etc-b"

# station PORT: the reception phone's Station_Name from that instance, in
# $STATION.
station() {
	E2E_PORT=$1
	req /reception.xml
	[ "$R_STATUS" = 200 ] || fail "instance on port $1: /reception.xml: status $R_STATUS"
	STATION=$(sed -n 's:.*<Station_Name[^>]*>\([^<]*\)</Station_Name>.*:\1:p' "$R_BODY")
}
station "$PORT_A"; a=$STATION
station "$PORT_B"; b=$STATION
check "instance A serves its own config (Station_Name $a)" test "$a" = Reception
check "instance B serves its own config (Station_Name $b)" test "$b" = "Instance B"
# Again, after both have spawned all their processes: any of A's
# processes answering for B would show A's value.
for _ in 1 2 3 4 5 6 7 8; do
	station "$PORT_A"; a=$STATION
	station "$PORT_B"; b=$STATION
	[ "$a" = Reception ] && [ "$b" = "Instance B" ] || break
done
check "8 more requests each: every answer from its own config" \
    test "$a/$b" = "Reception/Instance B"

check "instance A's sockets are in run/$PORT_A/" \
    compgen -G "$E2E_TOP/run/$PORT_A/profile.sock*" >/dev/null
check "instance B's sockets are in run/$PORT_B/" \
    compgen -G "$E2E_TOP/run/$PORT_B/profile.sock*" >/dev/null
check "no sockets directly in run/ (the old shared place)" \
    test -z "$(compgen -G "$E2E_TOP/run/*.sock*")"

# The reports: one data directory per config directory.
data_a=$(sed -n 's/.*reports in \(.*\) (Ctrl-C stops)$/\1/p' "$E2E_TMP/A.out")
data_b=$(sed -n 's/.*reports in \(.*\) (Ctrl-C stops)$/\1/p' "$E2E_TMP/B.out")
check "instance A keeps its data in run/data/etc-a-* ($data_a)" \
    test "${data_a#"$E2E_TOP/run/data/etc-a-"}" != "$data_a" -a -d "$data_a"
check "instance B keeps its data in run/data/etc-b-* ($data_b)" \
    test "${data_b#"$E2E_TOP/run/data/etc-b-"}" != "$data_b" -a -d "$data_b"
# The compiled snapshot (docs/snapshot.md) is each instance's last good.
check "the last good config of A is A's" \
    test -s "$data_a/snapshot/current" -a \
    -z "$(grep -al 'Instance B' "$data_a/snapshot/current")"
check "the last good config of B is B's" \
    grep -aqs 'Instance B' "$data_b/snapshot/current"

# A second instance on A's port stops at once, and says why.
(cd "$E2E_TOP" && PORT=$PORT_A DESKPROV_ETC=$E2E_TMP/etc-b \
    DESKPROV_HTPASSWD=$E2E_HTPASSWD timeout 20 scripts/run-lighttpd) \
    >"$E2E_TMP/A2.out" 2>&1 </dev/null
rc=$?
check "a second instance on port $PORT_A exits with status 1 (got $rc)" test "$rc" -eq 1
check "and says the port is already served: $(head -1 "$E2E_TMP/A2.out")" \
    grep -q "port $PORT_A is already served by another make run" "$E2E_TMP/A2.out"
station "$PORT_A"
check "instance A still serves its own config" test "$STATION" = Reception

# A port some other program listens on.
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(30)' >"$E2E_TMP/busy.port" &
busy=$!
e2e_spawned "$busy"
for _ in $(seq 50); do [ -s "$E2E_TMP/busy.port" ] && break; sleep 0.1; done
read -r bport <"$E2E_TMP/busy.port"
RUN_PORTS+=("$bport")
(cd "$E2E_TOP" && PORT=$bport DESKPROV_ETC=$E2E_TMP/etc-b \
    DESKPROV_HTPASSWD=$E2E_HTPASSWD timeout 20 scripts/run-lighttpd) \
    >"$E2E_TMP/busy.out" 2>&1 </dev/null
rc=$?
check "an instance on a port in use by another program exits with status 1 (got $rc)" \
    test "$rc" -eq 1
check "and says the port is in use: $(head -1 "$E2E_TMP/busy.out")" \
    grep -q "port $bport is in use by another program" "$E2E_TMP/busy.out"
kill "$busy" 2>/dev/null

# make run itself leaves DESKPROV_DATA to the script.
check "make run passes no DESKPROV_DATA of its own" \
    grep -q "DESKPROV_DATA='' " <(make -s -n -C "$E2E_TOP" run PORT=1 2>/dev/null)
e2e_finish
