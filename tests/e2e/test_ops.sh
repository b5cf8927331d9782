#!/bin/bash
# What a production install ships besides the programs, checked with the
# real tools: the man pages under `mandoc -Tlint`, the systemd units under
# `systemd-analyze verify`, deskprov@.service's pool started the way systemd
# starts it (its socket as standard input, under systemd-socket-activate)
# and answering over FastCGI, and the fail2ban filter under `fail2ban-regex`
# against the log lines that lighttpd (lighttpd.conf.example) and that pool
# wrote for a known set of good and probing requests.
. "$(dirname "$0")/lib.sh"

e2e_init
OPS_LOGS=()	# request logs for the fail2ban checks

# ---------------------------------------------------------------- man pages

man_checks() {
	local page out n=0 cmd
	if ! command -v mandoc >/dev/null; then
		skip "man pages: mandoc is not installed (scripts/deps installs it)"
		return
	fi
	for page in "$E2E_TOP"/man/*.[158]; do
		[ -e "$page" ] || continue
		n=$((n + 1))
		# -Wwarning: warnings and errors; style notes such as a page
		# not installed on this machine (Xr deskprov 1) do not count.
		out=$(mandoc -Tlint -Wwarning "$page" 2>&1)
		check "mandoc -Tlint -Wwarning ${page#"$E2E_TOP"/}: clean${out:+: $out}" \
		    test -z "$out"
	done
	check "man pages: deskprov(1), deskprov-fcgi(8), deskprov.yml(5) ($n pages)" \
	    test -f "$E2E_TOP/man/deskprov.1" -a -f "$E2E_TOP/man/deskprov-fcgi.8" \
	    -a -f "$E2E_TOP/man/deskprov.yml.5"
	# Every command of the CLI's command table is documented.
	for cmd in $(sed -n 's/^\t{ "\([a-z]*\)", .*/\1/p' "$E2E_TOP/src/deskprov.c" | sort -u); do
		check "deskprov(1) documents the command '$cmd'" \
		    grep -q "^\.Cm $cmd\( \|$\)" "$E2E_TOP/man/deskprov.1"
	done
}

# ---------------------------------------------------------------- systemd

# The units as shipped, with /usr/local (the default PREFIX) pointing at a
# scratch prefix that holds the programs they name, one copy per program
# (systemd-analyze verifies instances, not templates).
stage_units() {
	local stage=$E2E_TMP/stage p f b
	mkdir -p "$stage/lib/deskprov/cgi-bin" "$E2E_TMP/units"
	for p in profile report compare metrics; do
		cp "$E2E_TOP/cgi-bin/$p.fcgi" "$stage/lib/deskprov/cgi-bin/" ||
		    e2e_abort "cgi-bin/$p.fcgi is not built"
		for f in "$E2E_TOP"/dist/systemd/deskprov@.*; do
			b=${f##*/}
			sed "s|/usr/local|$stage|g" "$f" >"$E2E_TMP/units/${b/@./@$p.}"
		done
	done
	mkdir -p "$stage/sbin"
	cp "$E2E_TOP/build/deskprov-pnpd" "$stage/sbin/" ||
	    e2e_abort "build/deskprov-pnpd is not built"
	sed "s|/usr/local|$stage|g" "$E2E_TOP/dist/systemd/deskprov-pnpd.service" \
	    >"$E2E_TMP/units/deskprov-pnpd.service"
}

systemd_checks() {
	local out rc u
	for u in deskprov@.socket deskprov@.service; do
		check "dist/systemd/$u exists" test -f "$E2E_TOP/dist/systemd/$u"
	done
	for u in NoNewPrivileges=yes ProtectSystem=strict \
	    ReadWritePaths=/var/lib/deskprov ProtectHome=yes PrivateTmp=yes \
	    PrivateDevices=yes RestrictAddressFamilies=AF_UNIX \
	    CapabilityBoundingSet= SystemCallFilter=@system-service \
	    User=deskprov StandardInput=socket; do
		check "deskprov@.service: $u" \
		    grep -qx "$u" "$E2E_TOP/dist/systemd/deskprov@.service"
	done
	for u in SocketGroup=www-data SocketMode=0660 \
	    'ListenStream=/run/deskprov/%i.sock'; do
		check "deskprov@.socket: $u" \
		    grep -qx "$u" "$E2E_TOP/dist/systemd/deskprov@.socket"
	done
	check "tmpfiles.d: /var/lib/deskprov and /run/deskprov" \
	    grep -q '^d /var/lib/deskprov 0750 deskprov deskprov' \
	    "$E2E_TOP/dist/tmpfiles.d/deskprov.conf"
	check "sysusers.d: the deskprov user" \
	    grep -q '^u deskprov ' "$E2E_TOP/dist/sysusers.d/deskprov.conf"
	if ! command -v systemd-analyze >/dev/null; then
		skip "systemd units: systemd-analyze is not installed (scripts/deps installs systemd)"
		return
	fi
	stage_units
	out=$(cd "$E2E_TMP/units" && systemd-analyze verify --man=no ./*.socket \
	    ./*.service 2>&1)
	rc=$?
	check "systemd-analyze verify: 4 sockets and 5 services (deskprov-pnpd), exit status $rc${out:+: $out}" \
	    test "$rc" -eq 0 -a -z "$out"
	if [ "$(id -u)" -ne 0 ]; then
		skip "systemd-sysusers and systemd-tmpfiles in a scratch root: not root"
	elif command -v systemd-tmpfiles >/dev/null; then
		# The user from the shipped sysusers.d entry, in a scratch root
		# that has Debian's adm group.
		mkdir -p "$E2E_TMP/root/etc"
		echo 'adm:x:4:' >"$E2E_TMP/root/etc/group"
		: >"$E2E_TMP/root/etc/passwd"
		out=$(SYSTEMD_LOG_LEVEL=warning systemd-sysusers --root="$E2E_TMP/root" \
		    "$E2E_TOP/dist/sysusers.d/deskprov.conf" 2>&1)
		check "systemd-sysusers --root: the deskprov user${out:+: $out}" \
		    grep -q '^deskprov:' "$E2E_TMP/root/etc/passwd"
		out=$(systemd-tmpfiles --root="$E2E_TMP/root" --create \
		    "$E2E_TOP/dist/tmpfiles.d/deskprov.conf" 2>&1)
		check "systemd-tmpfiles --root --create: /var/lib/deskprov, /run/deskprov${out:+: $out}" \
		    test -d "$E2E_TMP/root/var/lib/deskprov" -a -d "$E2E_TMP/root/run/deskprov"
	fi
}

# deskprov@profile.service's ExecStart, as systemd would run it, on a socket
# held by systemd-socket-activate (which passes it as fd 3, LISTEN_FDS; the
# unit's StandardInput=socket makes it fd 0, as done here), its stderr
# appended to a log file as StandardError=append: does.
socket_activation_checks() {
	local cmd sock=$E2E_TMP/run/sa-profile.sock log=$E2E_TMP/sa-profile.log
	local out pid n i rc
	if ! command -v systemd-socket-activate >/dev/null ||
	    ! command -v cgi-fcgi >/dev/null; then
		skip "socket activation: systemd-socket-activate or cgi-fcgi (libfcgi-bin) is missing"
		return
	fi
	cmd=$(sed -n 's/^ExecStart=//p' "$E2E_TOP/dist/systemd/deskprov@.service")
	cmd=${cmd//%i/profile}
	cmd=${cmd//\/usr\/local\/lib\/deskprov\/cgi-bin/$E2E_TOP/cgi-bin}
	check "deskprov@.service: ExecStart has no \$ for systemd to expand" \
	    test "${cmd//\$/}" = "$cmd"
	eval "set -- $cmd"
	: >"$log"
	(cd "$E2E_TMP" && exec systemd-socket-activate -l "$sock" \
	    -E DESKPROV_ETC="$E2E_ETC" -E DESKPROV_SCHEMA_DIR="$E2E_TOP/schema" \
	    -E DESKPROV_DATA="$E2E_TMP/data" -E DESKPROV_E2E_MARK="$E2E_TMP" \
	    -E PROCS=2 -- /bin/sh -c 'exec 0<&3 3<&- "$@"' sh "$@") \
	    >"$E2E_TMP/sa.out" 2>>"$log" </dev/null &
	pid=$!
	e2e_spawned "$pid"
	for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	out=$(cd "$E2E_TMP" && env -i PATH=/usr/bin:/bin REQUEST_METHOD=GET \
	    REQUEST_URI=/reception.xml REMOTE_ADDR=127.0.0.1 \
	    HTTP_USER_AGENT='Cisco-CP-6841-3PCC/12.0.1 (001122334455)' \
	    timeout 10 cgi-fcgi -bind -connect "$sock" 2>&1)
	check "socket-activated pool: /reception.xml is 200 with the profile" \
	    test "${out%%$'\r'*}" = "Status: 200 OK" -a -z "${out##*<Station_Name ua=\"na\">Reception</Station_Name>*}"
	out=$(cd "$E2E_TMP" && env -i REQUEST_METHOD=GET REQUEST_URI=/aabbccddee01.xml \
	    REMOTE_ADDR=127.0.0.1 timeout 10 cgi-fcgi -bind -connect "$sock" 2>&1)
	check "socket-activated pool: an unknown phone is 404" \
	    test "${out%%$'\r'*}" = "Status: 404 Not Found"
	n=$(fcgi_pids | wc -w)
	check "socket-activated pool: PROCS=2 profile.fcgi processes ($n)" test "$n" -eq 2
	check "socket-activated pool: its log file has both requests" \
	    test "$(grep -c ' outcome=\(served\|unknown_phone\) ' "$log")" -eq 2
	# One process dies: the pool exits with status 1, so that systemd
	# (Restart=always) starts it again while the socket stays open.
	kill -TERM "$(fcgi_pids | cut -d' ' -f1)"
	for i in $(seq 50); do e2e_alive "$pid" || break; sleep 0.1; done
	wait "$pid"
	rc=$?
	check "socket-activated pool: exits with status 1 when a process dies ($rc)" \
	    test "$rc" -eq 1
	for i in $(fcgi_pids); do kill -TERM "$i"; done
	OPS_LOGS+=("$log")
}

# ---------------------------------------------------------------- lighttpd, fail2ban

# lighttpd.conf.example names its error log, where the FastCGI processes it
# starts write their request lines; scripts/lighttpd-conf sets it.
lighttpd_errorlog_checks() {
	local conf=$E2E_TMP/named-errorlog.conf
	check "lighttpd.conf.example: server.errorlog = deskprov_errorlog" \
	    grep -qx 'server.errorlog *= deskprov_errorlog' "$E2E_TOP/lighttpd.conf.example"
	command -v lighttpd >/dev/null || { skip "lighttpd is not installed"; return; }
	DESKPROV_RUN="$E2E_TMP/run" DESKPROV_ERRORLOG="$E2E_TMP/deskprov-error.log" \
	    "$E2E_TOP/scripts/lighttpd-conf" >"$conf"
	check "scripts/lighttpd-conf DESKPROV_ERRORLOG=...: the log is named" \
	    grep -qx "var.deskprov_errorlog = \"$E2E_TMP/deskprov-error.log\"" "$conf"
	check "lighttpd -tt accepts the example with its error log" \
	    lighttpd -tt -f "$conf"
}

# A phone far away, and no address whitelist, so that an address refusal
# can be provoked from 127.0.0.1.
ops_prepare_etc() {
	e2e_copy_etc "$E2E_TOP/etc"
	cat >>"$E2E_ETC/phones.yml" <<'YAML'

  # Added by test_ops.sh: a phone that is never at 127.0.0.1, with a
  # personal link that may be used only from its own network.
  faraway:
    mac: "00:11:22:33:44:99"
    ip_address: "192.0.2.99"
    link_key: OPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSO
    links: {allow: ["192.0.2.0/24"]}
  retired:
    mac: "00:11:22:33:44:98"
    enabled: false
YAML
	etc_sed serviceconfig.yml '/^ip_whitelist:/{s/.*/ip_whitelist: []/;n;d;}'
}

# Requests through lighttpd, each with the outcome it must log; those
# marked 1 are probing and must be matched by the fail2ban filter.
OPS_REQUESTS=(
	"0 health /health"
	"0 served -A Cisco-CP-6841-3PCC/12.0.1\x20(001122334455) /reception.xml"
	"0 served /warehouse.xml"
	"1 unknown_phone /aabbccddeeff.xml"
	"1 unknown_phone /nosuchphone.xml"
	"1 not_phone_ip /faraway.xml"
	"1 bad_identifier /ff1122334455.xml"
	"1 ua_mismatch -A Cisco-CP-6841-3PCC/12.0.1\x20(001122334466) /reception.xml"
	"1 unknown_phone /001565aabb99.cfg"
	"0 bad_method -X DELETE /reception.xml"
	"1 bad_key /p/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/001122334455.xml"
	"1 bad_token /t/not-the-token/001122334455.xml"
	"1 bad_link /o/AAAAAAAAAAAAAAAAAAAAAA/001122334455.xml"
	"1 mac_mismatch /p/OPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSO/001122334455.xml"
	"1 addr_not_allowed /p/OPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSOPSO/001122334499.xml"
	"0 disabled /retired.xml"
	"1 unknown_phone -X POST --data-binary <x/> /report/aabbccddeeff"
)

fail2ban_requests() {
	local r want outcome probing=0 args a first
	start_lighttpd
	first=$(($(wc -l <"$E2E_LOG") + 1))	# after start_lighttpd's /health
	for r in "${OPS_REQUESTS[@]}"; do
		read -r want outcome a <<<"$r"
		read -r -a args <<<"$a"
		for a in "${!args[@]}"; do args[$a]=${args[$a]//\\x20/ }; done
		req "${args[@]}"
		expect_log "$outcome"
		probing=$((probing + want))
	done
	OPS_PROBING=$probing
	tail -n "+$first" "$E2E_LOG" >"$E2E_TMP/requests.log"
	OPS_LOGS+=("$E2E_TMP/requests.log")
}

# fail2ban_count LOG: the number of lines fail2ban-regex matches with the
# shipped filter, and the addresses it found.
fail2ban_count() {
	local out
	out=$(fail2ban-regex --print-all-matched "$1" \
	    "$E2E_TOP/dist/fail2ban/filter.d/deskprov.conf" 2>&1)
	[[ $out =~ Lines:\ [0-9]+\ lines,\ [0-9]+\ ignored,\ ([0-9]+)\ matched ]] ||
	    { echo "?"; return; }
	echo "${BASH_REMATCH[1]}"
}

fail2ban_checks() {
	local n log want
	if ! command -v fail2ban-regex >/dev/null; then
		skip "fail2ban: fail2ban-regex is not installed (scripts/deps installs fail2ban)"
		return
	fi
	[ -n "${OPS_PROBING:-}" ] || { skip "fail2ban: no lighttpd log"; return; }
	log=${OPS_LOGS[-1]}
	n=$(fail2ban_count "$log")
	check "fail2ban-regex, lighttpd's error log: $n matches, the $OPS_PROBING probing requests" \
	    test "$n" = "$OPS_PROBING"
	want=$(grep -c ' outcome=' "$log")
	check "fail2ban: the lighttpd log has the $((${#OPS_REQUESTS[@]})) request lines ($want)" \
	    test "$want" -eq "${#OPS_REQUESTS[@]}"
	check "fail2ban: the address found is 127.0.0.1" test -z "$(fail2ban-regex \
	    --print-all-matched "$log" "$E2E_TOP/dist/fail2ban/filter.d/deskprov.conf" |
	    sed -n 's/^|  .* deskprov\[[a-z]*\] client=\([^ ]*\) .*/\1/p' |
	    grep -vx 127.0.0.1)"
	if [ "${#OPS_LOGS[@]}" -gt 1 ]; then
		n=$(fail2ban_count "${OPS_LOGS[0]}")
		check "fail2ban-regex, the socket-activated pool's log: $n match (its one unknown phone)" \
		    test "$n" = 1
	fi
	# A forged field cannot make a served request's line match: request
	# bytes are escaped (no space, no "=").
	req -A 'x outcome=unknown_phone status=404 y' '/warehouse.xml?outcome=unknown_phone%20status=404'
	expect_log served
	printf '%s' "$R_LOG" >"$E2E_TMP/forged.log"
	n=$(fail2ban_count "$E2E_TMP/forged.log")
	check "fail2ban: a User-Agent and query that spell outcome=unknown_phone do not match ($n)" \
	    test "$n" = 0
}

# fail2ban reads the jail with the shipped filter, pointed at the test's log.
fail2ban_jail_checks() {
	local conf=$E2E_TMP/fail2ban out
	command -v fail2ban-client >/dev/null && [ -d /etc/fail2ban ] ||
	    { skip "fail2ban: fail2ban-client or /etc/fail2ban is missing"; return; }
	mkdir -p "$conf"
	cp -R /etc/fail2ban/. "$conf/"
	rm -f "$conf"/jail.d/* "$conf/jail.local"
	cp "$E2E_TOP/dist/fail2ban/filter.d/deskprov.conf" "$conf/filter.d/"
	sed "s|^logpath .*|logpath  = ${OPS_LOGS[-1]}|" \
	    "$E2E_TOP/dist/fail2ban/jail.d/deskprov.conf" >"$conf/jail.d/deskprov.conf"
	out=$(fail2ban-client -c "$conf" --test 2>&1)
	check "fail2ban-client --test: the configuration with the jail is valid ($(tail -1 <<<"$out"))" \
	    grep -q 'configuration test is successful' <<<"$out"
	check "fail2ban-client -d: the deskprov jail is defined" \
	    grep -q "\['add', 'deskprov'" <<<"$(fail2ban-client -c "$conf" -d 2>&1)"
}

man_checks
systemd_checks
ops_prepare_etc
socket_activation_checks
lighttpd_errorlog_checks
fail2ban_requests
fail2ban_checks
fail2ban_jail_checks
e2e_finish
