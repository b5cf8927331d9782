#!/bin/bash
# The compiled snapshot every process maps (docs/snapshot.md), behind
# lighttpd as `make run` starts it: four profile.fcgi and the report.fcgi
# processes serve a generated fleet of 20,000 phones while reports arrive
# and the config changes.
#
#  1. One compile at start-up: the image is data/snapshot/current and every
#     process maps it (their private memory is not the fleet's).
#  2. Chaos, six rounds: phones.yml changes, `deskprov compile` starts and
#     is killed with SIGKILL after a random delay, and so is any compiling
#     child of a server.  A client asks for profiles all the while: every
#     answer is a 200 with a whole document of one of the versions written,
#     and no process ever logs a refused image.
#  3. The next change compiles cleanly: one compile, no temporary file
#     left, every process serves it.
#  4. An image compiled by `deskprov` (another executable, other
#     addresses) served by profile.fcgi gives what `deskprov render` gives.
. "$(dirname "$0")/lib.sh"

E2E_PROCS+='|report.fcgi'
command -v lighttpd >/dev/null || e2e_skip_all "lighttpd is not installed"
e2e_init
e2e_copy_etc "$E2E_TOP/etc"

FLEET=20000
"$E2E_PY" "$E2E_TOP/bench/gen-fleet" -n "$FLEET" "$E2E_ETC" \
    "$E2E_TMP/gen" >/dev/null || e2e_abort "bench/gen-fleet"
mv "$E2E_TMP/gen/phones.yml" "$E2E_ETC/phones.yml"
FIRST=020000000001
UA="Cisco-CP-6841-3PCC/12.0.1 ($FIRST)"
SNAP=$E2E_TMP/data/snapshot

compiles() { grep -c 'msg="config compiled' "$E2E_LOG" || true; }
refusals() { grep -c 'snapshot .* refused' "$E2E_LOG" || true; }

start_lighttpd
check "lighttpd spawned 4 profile.fcgi processes" \
    test "$(fcgi_pids | wc -w)" -eq 4
check "the image is data/snapshot/current" test -s "$SNAP/current"
check "one compile at start-up ($(compiles))" test "$(compiles)" -eq 1
req -A "$UA" "/$FIRST.xml"
check "fleet phone 0 is served from the image" \
    grep -q '<Station_Name ua="na">fleet-000000</Station_Name>' "$R_BODY"

# The client: profiles of phone 0 and reports of phone 1, until told to
# stop; one line per answer that is not what it must be.
client() {
	local n=0 bad=$E2E_TMP/bad body=$E2E_TMP/client.body code
	: >"$bad"
	while [ ! -e "$E2E_TMP/stop" ]; do
		code=$(curl -s -o "$body" -w '%{http_code}' --max-time 20 \
		    -A "$UA" "$E2E_BASE/$FIRST.xml")
		if [ "$code" != 200 ] ||
		    ! tail -c 40 "$body" | grep -q '</flat-profile>' ||
		    ! grep -Eq '<Station_Name ua="na">(fleet-000000|v[0-9a-z]+)</Station_Name>' \
		    "$body"; then
			echo "profile answer $code: $(head -c 200 "$body")" >>"$bad"
		fi
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 \
		    -X PUT -A 'Cisco-CP-6841-3PCC/12.0.1 (020000000002)' \
		    --data-binary '<flat-profile><Station_Name>x</Station_Name></flat-profile>' \
		    "$E2E_BASE/report/020000000002")
		[ "$code" = 200 ] || echo "report answer $code" >>"$bad"
		n=$((n + 1))
	done
	echo "$n" >"$E2E_TMP/answers"
}
client &
CLIENT=$!

# set_version V: phone 0's Station_Name becomes V (a new phones.yml).
set_version() {
	sed "0,/Station_Name: \"[^\"]*\"/s//Station_Name: \"$1\"/" \
	    "$E2E_ETC/phones.yml" >"$E2E_ETC/.phones.new" &&
	    mv -f "$E2E_ETC/.phones.new" "$E2E_ETC/phones.yml"
}

# kill_compilers: SIGKILL to every compiling child of our profile.fcgi.
kill_compilers() {
	local p c
	for p in $(fcgi_pids); do
		for c in $(cat "/proc/$p/task/$p/children" 2>/dev/null); do
			kill -9 "$c" 2>/dev/null && echo "$c"
		done
	done
}

killed=0
for round in 1 2 3 4 5 6; do
	set_version "v$round"
	"$E2E_TOP/build/deskprov" compile --etc "$E2E_ETC" \
	    --data "$E2E_TMP/data" >/dev/null 2>&1 &
	cli=$!
	sleep "0.$((RANDOM % 40))"
	kill -9 "$cli" 2>/dev/null && killed=$((killed + 1))
	wait "$cli" 2>/dev/null
	# Requests make the servers notice the change and compile it in a
	# child: kill that one too, at another random point.
	sleep "1.$((RANDOM % 30))"
	sleep "0.$((RANDOM % 30))"
	killed=$((killed + $(kill_compilers | wc -l)))
done
note "SIGKILL reached $killed compilers in 6 rounds"

# The next change compiles cleanly: wait until every process serves it.
before=$(compiles)
set_version vfinal
config_wait
ok=0
for _ in $(seq 300); do
	seen=0
	for _ in 1 2 3 4 5 6 7 8; do
		curl -s --max-time 20 -A "$UA" "$E2E_BASE/$FIRST.xml" |
		    grep -q '>vfinal<' && seen=$((seen + 1))
	done
	[ "$seen" -eq 8 ] && ok=$((ok + 1)) || ok=0
	[ "$ok" -ge 3 ] && break
	sleep 0.1
done
touch "$E2E_TMP/stop"
wait "$CLIENT"
check "every process serves the change made after the kills" test "$ok" -ge 3
check "that change took one compile ($(( $(compiles) - before )))" \
    test "$(( $(compiles) - before ))" -eq 1
check "no temporary image is left" \
    test -z "$(find "$SNAP" -name 'current.tmp.*')"
check "no process refused an image ($(refusals))" test "$(refusals)" -eq 0
check "the client got $(cat "$E2E_TMP/answers") answers, none wrong" \
    test ! -s "$E2E_TMP/bad" -a "$(cat "$E2E_TMP/answers")" -gt 0
[ -s "$E2E_TMP/bad" ] && head -5 "$E2E_TMP/bad"

# The kills left no process behind and none crashed.
check "still 4 profile.fcgi processes" test "$(fcgi_pids | wc -w)" -eq 4

# Another executable's image, served: the same document as `render`.  A
# phone the API wrote to devices.d, with a personal link, comes along:
# its key is found in the image's link index by profile.fcgi.
KEY=abcdefghijklmnopqrstuvwxyz-_0123456789ABCDE
mkdir -p "$E2E_ETC/devices.d"
printf 'api-1:\n  mac: "029900000001"\n  link_key: %s\n  Station_Name: "from-the-api"\n' \
    "$KEY" >"$E2E_ETC/devices.d/api-1.yml"
"$E2E_TOP/build/deskprov" compile --etc "$E2E_ETC" --data "$E2E_TMP/data" \
    >/dev/null 2>&1
check "deskprov compile wrote the image" test -s "$SNAP/current"
config_wait
for i in 0 7777 19999; do
	mac=$(printf '02%010x' $((i + 1)))
	req -A "Cisco-CP-6841-3PCC/12.0.1 ($mac)" "/$mac.xml"
	"$E2E_TOP/build/deskprov" render "$mac" --etc "$E2E_ETC" \
	    --ua "Cisco-CP-6841-3PCC/12.0.1 ($mac)" --ip 127.0.0.1 2>/dev/null |
	    sed '1,/^\r\{0,1\}$/d' >"$E2E_TMP/render.body"
	check "phone $i: profile.fcgi's answer is deskprov render's" \
	    cmp -s "$R_BODY" "$E2E_TMP/render.body"
done
req -A "Cisco-CP-6841-3PCC/12.0.1 (029900000001)" "/p/$KEY/029900000001.xml"
check "the devices.d phone is served by its personal link from the image" \
    grep -q '<Station_Name ua="na">from-the-api</Station_Name>' "$R_BODY"
req -A "Cisco-CP-6841-3PCC/12.0.1 (029900000001)" \
    "/p/${KEY%E}F/029900000001.xml"
check "another key is not found ($R_STATUS)" test "$R_STATUS" = 404
e2e_finish
