#!/bin/bash
# Report ingest under load while report.fcgi processes are killed (issue
# 14): lighttpd started as `make run` starts it, four client threads POST
# reports (each with its own Station_Name) as fast as they are answered,
# and meanwhile a report.fcgi process is killed with SIGKILL at random
# moments, lighttpd starting a new one each time.  Then:
#   - every report answered 200 is on disk under the id the answer named,
#     parses, and holds the Station_Name its request carried: nothing is
#     acknowledged before it is durable (docs/ingest.md), and a kill
#     between the write and the fsyncs loses only unacknowledged reports;
#   - no stored file is torn: every <id>.json in the data directory parses
#     as a whole report (a killed writer leaves at most a .tmp- file);
#   - the processes that were not killed answered on;
#   - a report answered from the spool (docs/ingest.md) is stored exactly
#     once by the drainer, also when drainers are killed too.
# Two rounds: the default (the spool takes what the busy lanes cannot), and
# reports.spool_always, where every report goes through the spool.
# Counts only: nothing here depends on how fast the machine is.
. "$(dirname "$0")/lib.sh"

E2E_PROCS+='|report.fcgi'
RECEPTION=001122334455
CLIENTS=4 PER_CLIENT=${INGEST_PER_CLIENT:-60} KILLS=${INGEST_KILLS:-6}

command -v lighttpd >/dev/null || e2e_skip_all "lighttpd is not installed"

e2e_init
e2e_copy_etc "$E2E_TOP/etc"
# Every report must stay for the count: retention well above them.
etc_sed serviceconfig.yml 's/^  retention: .*/  retention: 1000/'
start_lighttpd
for _ in $(seq 50); do
	[ "$(fcgi_pids report.fcgi | wc -w)" -eq 8 ] && break
	sleep 0.1
done
check "lighttpd spawned the example's 8 report.fcgi processes (min-procs and max-procs)" \
    test "$(fcgi_pids report.fcgi | wc -w)" -eq 8

# The clients: CLIENTS threads, PER_CLIENT reports each, one connection a
# report as phones send them; a 1,100-parameter body (about the size of a
# Cisco MPP report) with the thread and sequence in Station_Name.  Prints
# "<status> <station> <id>" per request.
cat >"$E2E_TMP/clients.py" <<'PY'
import http.client, json, sys, threading
port, mac, clients, per, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
filler = "".join("<Ingest_Filler_%d_ ua=\"na\">value %d of the filler</Ingest_Filler_%d_>\n" % (i, i, i) for i in range(1100))
out, lock = [], threading.Lock()
def run(t):
    for n in range(per):
        station = "ingest-%s-%d-%d" % (tag, t, n)
        body = ("<flat-profile>\n<Station_Name ua=\"na\">%s</Station_Name>\n%s</flat-profile>\n" % (station, filler)).encode()
        status, rid = "000", "-"
        try:
            c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
            c.request("POST", "/report/" + mac, body, {"Content-Type": "application/xml"})
            r = c.getresponse()
            data = r.read()
            status = str(r.status)
            if r.status == 200:
                j = json.loads(data)
                rid = "queued" if j.get("queued") is True else j["report"]
            c.close()
        except Exception:
            pass
        with lock:
            out.append("%s %s %s" % (status, station, rid))
threads = [threading.Thread(target=run, args=(t,)) for t in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
print("\n".join(out))
PY

# The killer: while the clients run, KILLS times at a random moment, one
# random report.fcgi or spool drainer with SIGKILL.
killer() {
	local pids victim n=0
	while [ "$n" -lt "$KILLS" ] && [ ! -e "$E2E_TMP/clients.done" ]; do
		sleep "0.$((RANDOM % 5 + 1))"
		pids=($(fcgi_pids report.fcgi) $(fcgi_pids report-drain))
		[ "${#pids[@]}" -gt 0 ] || continue
		victim=${pids[$((RANDOM % ${#pids[@]}))]}
		kill -KILL "$victim" 2>/dev/null && n=$((n + 1))
	done
	echo "$n" >"$E2E_TMP/kills"
}

# Every acknowledged report, and every file there is, read back whole.
cat >"$E2E_TMP/verify.py" <<'PY'
import glob, json, os, sys
data, mac, answers = sys.argv[1], sys.argv[2], sys.argv[3]
acked = [l.split() for l in open(answers) if l.startswith("200 ")]
torn = 0
files = glob.glob(os.path.join(data, "*", "*.json"))
stations = {}
for f in files:
    try:
        doc = json.load(open(f))
        if not isinstance(doc.get("data"), dict) or "timestamp" not in doc:
            torn += 1
        else:
            st = doc["data"].get("Station_Name")
            stations[st] = stations.get(st, 0) + 1
    except ValueError:
        torn += 1
missing = wrong = 0
for _, station, rid in acked:
    if rid == "queued":
        # answered from the spool: stored by the drainer, once
        if stations.get(station, 0) != 1:
            missing += 1
        continue
    try:
        doc = json.load(open(os.path.join(data, mac, rid + ".json")))
        if doc["data"].get("Station_Name") != station or doc["mac_address"] != mac:
            wrong += 1
    except (OSError, ValueError, KeyError):
        missing += 1
twice = sum(1 for n in stations.values() if n > 1)
tmp = len(glob.glob(os.path.join(data, "*", ".tmp-*")))
print(len(acked), missing, wrong, len(files), torn, tmp, twice)
PY
# round NAME: the clients against the killer, then every acknowledged
# report read back (stations carry the round's name).
round() {
	rm -f "$E2E_TMP/clients.done"
	killer &
	killer_pid=$!
	"$E2E_PY" "$E2E_TMP/clients.py" "$E2E_PORT" "$RECEPTION" "$CLIENTS" \
	    "$PER_CLIENT" "$1" >"$E2E_TMP/answers" 2>"$E2E_TMP/clients.err"
	touch "$E2E_TMP/clients.done"
	wait "$killer_pid"
	kills=$(cat "$E2E_TMP/kills" 2>/dev/null || echo 0)
	total=$(wc -l <"$E2E_TMP/answers")
	acked=$(grep -c '^200 ' "$E2E_TMP/answers")
	check "$1: the clients sent $((CLIENTS * PER_CLIENT)) reports and saw every answer ($total)" \
	    test "$total" -eq $((CLIENTS * PER_CLIENT))
	check "$1: report.fcgi processes were killed under load ($kills times)" \
	    test "$kills" -ge 1
	check "$1: most reports were acknowledged ($acked of $total)" \
	    test "$acked" -ge $((total / 2))
	queued=$(grep -c ' queued$' "$E2E_TMP/answers")
	note "$1: answered from the spool: $queued of $acked"

	# A drainer killed as the clients ended leaves its records for the next
	# report to start another: this one.
	req -X POST -H 'Content-Type: application/xml' --data-binary \
	    "<flat-profile><Station_Name>after-$1</Station_Name></flat-profile>" \
	    "/report/$RECEPTION"
	expect_status 200 "$1: a report after the kills"
	check "$1: the spool's drainer has stored what was left" spool_drained 300

	read -r n missing wrong files torn tmp twice < <("$E2E_PY" "$E2E_TMP/verify.py" \
	    "$E2E_TMP/data" "$RECEPTION" "$E2E_TMP/answers")
	check "$1: every acknowledged report is on disk, under its id or once from the spool ($n, $missing missing)" \
	    test "$missing" -eq 0 -a "$n" -eq "$acked"
	check "$1: every acknowledged report holds its own request's Station_Name ($wrong wrong)" \
	    test "$wrong" -eq 0
	check "$1: no stored report is torn: all $files files parse whole ($torn do not)" \
	    test "$torn" -eq 0
	check "$1: at least every acknowledged report was stored ($files files, $acked acknowledged)" \
	    test "$files" -ge "$acked"
	check "$1: no report was stored twice ($twice were): a drainer killed between storing and marking done does not store again" \
	    test "$twice" -eq 0
	note "$1: temporary files left by killed writers: $tmp (swept after an hour)"
}

round auto
# Every report through the spool: the drainers are what gets killed now.
etc_sed serviceconfig.yml 's/^  retention: 1000$/  retention: 1000\n  spool_always: true/'
sleep 1.2
round spooled
check "spooled: every report was answered from the spool" \
    test "$(grep -c ' queued$' "$E2E_TMP/answers")" -eq "$(grep -c '^200 ' "$E2E_TMP/answers")"
e2e_finish
