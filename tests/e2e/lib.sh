# shellcheck shell=bash
# The end-to-end harness, sourced by every tests/e2e/test_*.sh.
#
# It gives each test a private temporary directory, starts real servers on
# a random loopback port, sends requests through one long-running client
# (httpc.py) and counts the checks.  Every process a test starts is
# stopped on exit -- by the EXIT trap if the test dies half way -- and the
# test fails when one of them had to be killed or is still running.
#
# Processes are ours when their command line, environment or working
# directory names the test's temporary directory (every server is started
# with DESKPROV_E2E_MARK set to it and from inside it), or when their parent
# is ours (nginx workers overwrite their command line and environment).
#
# After `req`, these describe the answer:
#   R_STATUS  HTTP status ("000" when nothing came back)
#   R_HDRS    file with the response's header block, as received
#   R_HEADERS the same, CRs removed
#   R_BODY    file with the response body (R_TEXT: the same in a variable)
#   R_LOG     the deskprov log lines written while the request ran

set -u
umask 022
export LC_ALL=C	# byte semantics: ${#var}, grep -P '\xff'

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_TOP=$(cd "$E2E_DIR/../.." && pwd)
# What the servers' own user (www-data, when we are root) reads: the tree
# itself, or a copy when that user cannot enter it (e2e_stage_for).
E2E_BIN=$E2E_TOP/cgi-bin
E2E_SCHEMA=$E2E_TOP/schema
E2E_WWW=$E2E_TOP/www
E2E_STAGED=
E2E_NAME=$(basename "$0" .sh)
E2E_PASS=0
E2E_FAIL=0
E2E_SKIP=0
E2E_PIDS=()
E2E_STOPPED=
E2E_TMP=
E2E_LOG=/dev/null
E2E_PROCS='lighttpd|apache2|nginx|spawn-fcgi|profile.fcgi|metrics.fcgi|report.fcgi|report-drain|compare.fcgi|rps.fcgi|prometheus'
# The system's python3 (scripts/deps installs it): a version-manager shim
# earlier in PATH can take a second to start.
if [ -x /usr/bin/python3 ]; then E2E_PY=/usr/bin/python3; else E2E_PY=python3; fi

# ---------------------------------------------------------------- counting

pass() {
	E2E_PASS=$((E2E_PASS + 1))
	[ -n "${E2E_VERBOSE:-}" ] && printf '  ok    %s\n' "$*"
	return 0
}

fail() {
	E2E_FAIL=$((E2E_FAIL + 1))
	printf '  FAIL  %s\n' "$*"
	return 0
}

skip() {
	E2E_SKIP=$((E2E_SKIP + 1))
	printf '  skip  %s\n' "$*"
	return 0
}

note() {
	printf '  note  %s\n' "$*"
}

# check DESCRIPTION COMMAND...: one check that passes when COMMAND does.
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# What the last answer looked like, for failure messages.
r_show() {
	local b=${R_TEXT:0:200}
	printf '        status %s; body: %s\n' "$R_STATUS" "${b//[^[:print:]]/.}"
}

# ---------------------------------------------------------------- setup

# A free TCP port on 127.0.0.1 (the kernel's choice of an ephemeral port).
# The LoadModule lines of the modules apache.conf.example needs, for the
# scripts that start Apache with a configuration of their own: one list,
# so that a module the example starts to use is loaded by every one.
apache_load_modules() {
	local m dir=${APACHE_MODULES:-/usr/lib/apache2/modules}
	for m in mpm_event authz_core proxy proxy_fcgi env auth_basic \
	    authn_core authn_file authz_user alias mime rewrite setenvif; do
		echo "LoadModule ${m}_module $dir/mod_$m.so"
	done
}

# Apache and nginx serving their example configurations, as test_api and
# test_links_servers run them: profile.fcgi at $E2E_SOCK, api.fcgi at
# $E2E_API_SOCK, and the metrics, report and compare sockets when the
# script sets them (else a socket nobody listens on).  Each sets E2E_PORT,
# E2E_BASE and APACHE_PID or NGINX_PID.
apache_example_conf() {
	local conf=$E2E_TMP/apache.conf m user=
	[ "$(id -u)" -eq 0 ] && user=$'User www-data\nGroup www-data'
	mkdir -p "$E2E_TMP/apache-run"
	[ -n "$user" ] && chown www-data "$E2E_TMP/apache-run"
	{
		cat <<EOF
ServerRoot "$E2E_TMP"
ServerName 127.0.0.1
Listen 127.0.0.1:$E2E_PORT
PidFile "$E2E_TMP/apache-run/apache2.pid"
DefaultRuntimeDir "$E2E_TMP/apache-run"
ErrorLog "$E2E_TMP/apache-error.log"
LogLevel warn
$user
EOF
		apache_load_modules
		cat <<EOF
# Debian's other-vhosts-access-log.conf: the whole request line.
CustomLog "$E2E_TMP/apache-other-vhosts.log" "%v %h \"%r\" %>s"
StartServers 1
ServerLimit 2
ThreadsPerChild 8
MaxRequestWorkers 16
TypesConfig /etc/mime.types
<Directory />
    AllowOverride None
    Require all denied
</Directory>
Define DESKPROV_PORT $E2E_PORT
Define DESKPROV_SOCKET $E2E_SOCK
Define DESKPROV_WWW $E2E_WWW
Define DESKPROV_METRICS_SOCKET ${E2E_METRICS_SOCK:-$E2E_TMP/run/none.sock}
Define DESKPROV_REPORT_SOCKET ${E2E_REPORT_SOCK:-$E2E_TMP/run/none.sock}
Define DESKPROV_COMPARE_SOCKET ${E2E_COMPARE_SOCK:-$E2E_TMP/run/none.sock}
Define DESKPROV_API_SOCKET $E2E_API_SOCK
Define DESKPROV_RPS_SOCKET $E2E_TMP/run/none.sock
Define DESKPROV_HTPASSWD $E2E_HTPASSWD
Include "$E2E_TOP/apache.conf.example"
EOF
	} >"$conf"
}

apache_example_start() {
	local pid
	E2E_PORT=$(free_port)
	E2E_BASE=http://127.0.0.1:$E2E_PORT
	apache_example_conf
	# As Debian's envvars: the virtual host's own access log goes there.
	export APACHE_LOG_DIR=$E2E_TMP
	apache2 -t -f "$E2E_TMP/apache.conf" >"$E2E_TMP/apache.check" 2>&1 ||
	    e2e_abort "apache2 -t: $(cat "$E2E_TMP/apache.check")"
	(cd "$E2E_TMP" && exec apache2 -f "$E2E_TMP/apache.conf" -DFOREGROUND) \
	    >>"$E2E_TMP/apache.out" 2>&1 </dev/null &
	pid=$!
	e2e_spawned "$pid"
	wait_ready "$pid" || e2e_abort "apache2 did not start: $(tail -3 "$E2E_TMP/apache-error.log")"
	pass "apache2 answers on $E2E_BASE"
	APACHE_PID=$pid
}

# nginx.conf.example with every line marked "deskprov:" set for this run,
# and an access log at the http level, as Debian's nginx.conf has one.
nginx_example_start() {
	local user= pid s
	E2E_PORT=$(free_port)
	E2E_BASE=http://127.0.0.1:$E2E_PORT
	[ "$(id -u)" -eq 0 ] && user="user www-data www-data;"
	mkdir -p "$E2E_TMP/nginx-tmp"
	[ -n "$user" ] && chown www-data "$E2E_TMP/nginx-tmp"
	ln -sf /etc/nginx/fastcgi_params "$E2E_TMP/fastcgi_params"
	sed -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: socket\)|\1server unix:$E2E_SOCK;\2|" \
	    -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: api socket\)|\1server unix:$E2E_API_SOCK;\2|" \
	    -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: metrics socket\)|\1server unix:${E2E_METRICS_SOCK:-$E2E_TMP/run/none.sock};\2|" \
	    -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: report socket\)|\1server unix:${E2E_REPORT_SOCK:-$E2E_TMP/run/none.sock};\2|" \
	    -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: compare socket\)|\1server unix:${E2E_COMPARE_SOCK:-$E2E_TMP/run/none.sock};\2|" \
	    -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: rps socket\)|\1server unix:$E2E_TMP/run/none.sock;\2|" \
	    -e "s|^\( *\)listen [^;]*;\( *# deskprov: listen\)|\1listen 127.0.0.1:$E2E_PORT;\2|" \
	    -e "s|^\( *\)root [^;]*;\( *# deskprov: www\)|\1root $E2E_WWW;\2|" \
	    -e "s|^\( *\)auth_basic_user_file [^;]*;\( *# deskprov: htpasswd\)|\1auth_basic_user_file $E2E_HTPASSWD;\2|" \
	    "$E2E_TOP/nginx.conf.example" >"$E2E_TMP/deskprov-nginx.conf"
	for s in "$E2E_SOCK" "$E2E_API_SOCK" ${E2E_COMPARE_SOCK:+"$E2E_COMPARE_SOCK"} \
	    ${E2E_METRICS_SOCK:+"$E2E_METRICS_SOCK"}; do
		grep -q "server unix:$s;" "$E2E_TMP/deskprov-nginx.conf" ||
		    e2e_abort "nginx.conf.example: no marked line took $s"
	done
	cat >"$E2E_TMP/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
$user
pid $E2E_TMP/nginx.pid;
error_log $E2E_TMP/nginx-error.log warn;
events { worker_connections 64; }
http {
    access_log $E2E_TMP/nginx-access.log;
    client_body_temp_path $E2E_TMP/nginx-tmp/body;
    fastcgi_temp_path $E2E_TMP/nginx-tmp/fastcgi;
    proxy_temp_path $E2E_TMP/nginx-tmp/proxy;
    uwsgi_temp_path $E2E_TMP/nginx-tmp/uwsgi;
    scgi_temp_path $E2E_TMP/nginx-tmp/scgi;
    include $E2E_TMP/deskprov-nginx.conf;
}
EOF
	nginx -t -p "$E2E_TMP" -e "$E2E_TMP/nginx-error.log" -c "$E2E_TMP/nginx.conf" \
	    >"$E2E_TMP/nginx.check" 2>&1 || e2e_abort "nginx -t: $(cat "$E2E_TMP/nginx.check")"
	(cd "$E2E_TMP" && exec nginx -p "$E2E_TMP" -e "$E2E_TMP/nginx-error.log" \
	    -c "$E2E_TMP/nginx.conf") >>"$E2E_TMP/nginx.out" 2>&1 </dev/null &
	pid=$!
	e2e_spawned "$pid"
	wait_ready "$pid" || e2e_abort "nginx did not start: $(tail -3 "$E2E_TMP/nginx-error.log")"
	pass "nginx answers on $E2E_BASE"
	NGINX_PID=$pid
}

free_port() {
	"$E2E_PY" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Creates the test's temporary directory and the traps.  The directory is
# world-readable: servers running as www-data must reach their sockets,
# the configuration and the binaries' logs inside it.
e2e_init() {
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/deskprov-e2e.$E2E_NAME.XXXXXX") ||
	    { echo "$E2E_NAME: cannot create a temporary directory" >&2; exit 1; }
	chmod 755 "$E2E_TMP"
	mkdir -p "$E2E_TMP/run" "$E2E_TMP/data"
	chmod 777 "$E2E_TMP/data"
	# The web servers' basic-auth users (htpasswd_write), for /metrics.
	E2E_HTPASSWD=$E2E_TMP/htpasswd
	export DESKPROV_E2E_MARK="$E2E_TMP"
	trap 'e2e_stop_all quiet; e2e_cleanup_dir' EXIT
	trap 'exit 130' INT TERM HUP
	R_STATUS=000 R_HDRS=$E2E_TMP/r.headers R_BODY=$E2E_TMP/r.body R_LOG=
	R_TEXT='' R_HEADERS='' R_PATH=''
	: >"$R_HDRS"
	: >"$R_BODY"
}

e2e_cleanup_dir() {
	if [ -n "${E2E_KEEP:-}" ] || [ "$E2E_FAIL" -gt 0 ]; then
		[ -n "$E2E_TMP" ] && echo "  (kept $E2E_TMP)"
	elif [ -n "$E2E_TMP" ]; then
		rm -rf "$E2E_TMP"
	fi
}

# Stops the test for a reason that makes the rest meaningless.
e2e_abort() {
	fail "$*"
	e2e_finish
}

# Ends the test: stops everything, prints the counts and the line
# run-all reads, exits 1 on any failure.
e2e_finish() {
	e2e_stop_all
	printf '%s: %d passed, %d failed, %d skipped\n' "$E2E_NAME" \
	    "$E2E_PASS" "$E2E_FAIL" "$E2E_SKIP"
	printf 'E2E-RESULT pass=%d fail=%d skip=%d\n' "$E2E_PASS" "$E2E_FAIL" \
	    "$E2E_SKIP"
	[ "$E2E_FAIL" -eq 0 ]
	exit $?
}

# Skips the whole test (a missing prerequisite, not a failure).
e2e_skip_all() {
	skip "$*"
	e2e_finish
}

# e2e_copy_etc SRC: a private copy of a config directory, as $E2E_ETC.
e2e_copy_etc() {
	E2E_ETC=$E2E_TMP/etc
	E2E_ETC_ORIG=$E2E_TMP/etc.orig
	rm -rf "$E2E_ETC" "$E2E_ETC_ORIG"
	cp -R "$1" "$E2E_ETC" && chmod -R a+rX "$E2E_ETC" ||
	    e2e_abort "copy $1"
}

# Remembers the config as it is now, for etc_restore.
etc_snapshot() {
	rm -rf "$E2E_ETC_ORIG"
	cp -R "$E2E_ETC" "$E2E_ETC_ORIG"
}

# etc_write FILE < content: replaces a config file atomically (a server
# process must never read it half written).
etc_write() {
	cat >"$E2E_ETC/.$1.tmp" && mv -f "$E2E_ETC/.$1.tmp" "$E2E_ETC/$1"
}

# etc_sed FILE SED-SCRIPT: edits a config file atomically; fails the test
# when the edit changed nothing (the sample config moved on).
etc_sed() {
	sed -e "$2" "$E2E_ETC/$1" >"$E2E_ETC/.$1.tmp" || return 1
	if cmp -s "$E2E_ETC/.$1.tmp" "$E2E_ETC/$1"; then
		rm -f "$E2E_ETC/.$1.tmp"
		fail "config edit of $1 changed nothing: $2"
		return 1
	fi
	mv -f "$E2E_ETC/.$1.tmp" "$E2E_ETC/$1"
}

# etc_restore FILE...: puts files back as etc_snapshot saw them.
etc_restore() {
	local f
	for f in "$@"; do
		cp "$E2E_ETC_ORIG/$f" "$E2E_ETC/.$f.tmp" &&
		    mv -f "$E2E_ETC/.$f.tmp" "$E2E_ETC/$f"
	done
}

# Each FastCGI process looks at the config files' mtimes at most once a
# second, so an edit is certainly seen by every process after this.
config_wait() {
	sleep 1.2
}

# Makes every FastCGI process hold the configuration now on disk.  An
# edit reaches a process only when it next answers a request, and a
# process that was idle while a good config was on disk keeps an older
# one as its "last good" when the next edit is broken.  So every file is
# replaced (a new inode: every process reloads on its next request), and
# bursts of parallel requests go out until each process has logged its
# reload.
config_sync() {
	local f want got=0 i urls=()
	want=$(fcgi_pids | wc -w)
	for f in "$E2E_ETC"/*.yml; do
		cp "$f" "$f.sync" && mv -f "$f.sync" "$f"
	done
	config_wait
	log_read
	for i in $(seq 32); do urls+=(-o /dev/null "$E2E_BASE/health"); done
	for i in $(seq 15); do
		curl -s -Z --parallel-max 32 --max-time 10 "${urls[@]}" 2>/dev/null
		log_read
		got=$((got + R_RELOADS))
		[ "$got" -ge "$want" ] && break
	done
	check "all $want FastCGI processes reloaded the config ($got)" \
	    test "$got" -eq "$want"
}

# ---------------------------------------------------------------- processes
# Written with shell builtins where it matters: forking is slow on a busy
# machine, and these run often.

# Is process $1 one of ours?
e2e_is_ours() {
	local -a words
	local w
	[ -n "$E2E_TMP" ] || return 1
	local f
	for f in cmdline environ; do
		mapfile -d '' words 2>/dev/null <"/proc/$1/$f" || continue
		for w in "${words[@]}"; do
			[[ $w == *"$E2E_TMP"* ]] && return 0
		done
	done
	[[ /proc/$1/cwd -ef $E2E_TMP ]]
}

# The parent of process $1.
e2e_ppid() {
	local stat
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	stat=${stat##*) }		# after "pid (comm) "
	stat=${stat#* }			# after the state
	echo "${stat%% *}"
}

# The pids of our server and FastCGI processes still running.
e2e_own_pids() {
	local pid ppid ours=" " all
	all=$(pgrep -x "$E2E_PROCS" 2>/dev/null)
	for pid in $all; do
		e2e_is_ours "$pid" && ours="$ours$pid "
	done
	for pid in $all; do
		case $ours in *" $pid "*) continue ;; esac
		ppid=$(e2e_ppid "$pid")
		case $ours in *" $ppid "*) ours="$ours$pid " ;; esac
	done
	for pid in $ours; do
		e2e_alive "$pid" && echo "$pid"
	done
}

# Running (a zombie waiting for us to reap it is not).
e2e_alive() {
	local stat
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# e2e_spawned PID: remember a process to stop at the end.
e2e_spawned() {
	E2E_PIDS+=("$1")
}

# Stops every process this test started: SIGTERM to the servers and pools,
# up to 5 s for them and their children to go, then SIGKILL for whatever
# is left -- which fails the test, as does anything still running after.
# With "quiet" (the EXIT trap) nothing is counted.
e2e_stop_all() {
	local mode=${1:-} pid left i
	[ -n "$E2E_STOPPED" ] && return 0
	E2E_STOPPED=1
	httpc_stop
	[ -n "$E2E_TMP" ] || return 0
	for pid in "${E2E_PIDS[@]}" $(e2e_own_pids); do
		kill -TERM "$pid" 2>/dev/null
	done
	for i in $(seq 50); do
		left=$(e2e_own_pids)
		for pid in "${E2E_PIDS[@]}"; do
			e2e_alive "$pid" && left="$left $pid"
		done
		[ -z "${left//[$' \n']/}" ] && break
		sleep 0.1
	done
	left=$(printf '%s ' $left)
	left=${left% }
	if [ -n "$left" ]; then
		[ "$mode" = quiet ] ||
		    fail "processes still running 5 s after SIGTERM:" \
		    "$(ps -o pid=,user=,args= -p "${left// /,}" 2>/dev/null | tr '\n' ';')"
		for pid in $left; do kill -KILL "$pid" 2>/dev/null; done
		sleep 0.2
	fi
	for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
	left=$(e2e_own_pids)
	[ "$mode" = quiet ] && return 0
	if [ -z "$left" ]; then
		pass "no lighttpd/apache2/nginx/spawn-fcgi/profile.fcgi/metrics.fcgi/prometheus process of this test left (pgrep)"
	else
		fail "processes left: $left"
	fi
}

# The pids of our FastCGI processes, sorted, on one line (a process that
# crashed and was replaced changes it): profile.fcgi, or the executable
# named as the argument (metrics.fcgi).
fcgi_pids() {
	local pid comm want=${1:-profile.fcgi}
	for pid in $(e2e_own_pids); do
		read -r comm 2>/dev/null <"/proc/$pid/comm"
		[ "$comm" = "$want" ] && echo "$pid"
	done | sort -n | tr '\n' ' '
}

# spool_drained [SECONDS]: waits (60 s at most) until no report spool
# drainer of ours runs: one ends when the spool is empty, and one is
# started before a spooled report is answered, so once every answer is in,
# none running means every acknowledged report is stored.
spool_drained() {
	local i
	for i in $(seq $(( ${1:-60} * 10 ))); do
		[ -z "$(fcgi_pids report-drain)" ] && return 0
		sleep 0.1
	done
	return 1
}

# own_users COMM: the users our processes named COMM run as, sorted.
own_users() {
	local pid comm
	for pid in $(e2e_own_pids); do
		read -r comm 2>/dev/null <"/proc/$pid/comm"
		[ "$comm" = "$1" ] && ps -o user= -p "$pid"
	done | sort -u | tr '\n' ' '
}

# wait_ready PID: waits until the server answers /health (at most 100
# polls), giving up early when the process PID has died.  A poll waits up
# to 20 s for its answer: one abandoned sooner is still answered and
# logged later, inside the next request's log lines (seen on a machine
# with a load average of 20, while the processes mapped their snapshot).
wait_ready() {
	local code i
	for i in $(seq 100); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 \
		    "$E2E_BASE/health" 2>/dev/null)
		[ "$code" = 200 ] && return 0
		e2e_alive "$1" || return 1
		sleep 0.1
	done
	return 1
}

# The environment of every deskprov process a test starts.
deskprov_env() {
	export DESKPROV_ETC="$E2E_ETC"
	export DESKPROV_SCHEMA_DIR="$E2E_SCHEMA"
	export DESKPROV_DATA="$E2E_TMP/data"
}

# Starts lighttpd with the configuration `make run` uses (lighttpd.conf.example
# through scripts/lighttpd-conf).  Its error log and its stderr -- where the
# FastCGI processes it spawns write their log lines when it runs in the
# foreground -- both go to one file in the temporary directory.
start_lighttpd() {
	local conf=$E2E_TMP/lighttpd.conf pid
	log_follow "$E2E_TMP/error.log"
	for _ in 1 2 3; do
		E2E_PORT=$(free_port)
		E2E_BASE=http://127.0.0.1:$E2E_PORT
		PORT=$E2E_PORT BIND=127.0.0.1 DESKPROV_ETC="$E2E_ETC" \
		    DESKPROV_DATA="$E2E_TMP/data" DESKPROV_RUN="$E2E_TMP/run" \
		    DESKPROV_HTPASSWD="$E2E_HTPASSWD" \
		    "$E2E_TOP/scripts/lighttpd-conf" >"$conf" ||
		    e2e_abort "scripts/lighttpd-conf"
		printf 'server.errorlog = "%s"\n' "$E2E_LOG" >>"$conf"
		lighttpd -tt -f "$conf" >"$E2E_TMP/lighttpd.check" 2>&1 ||
		    e2e_abort "lighttpd -tt: $(cat "$E2E_TMP/lighttpd.check")"
		(cd "$E2E_TMP" && deskprov_env && exec lighttpd -D -f "$conf") \
		    >>"$E2E_LOG" 2>&1 </dev/null &
		pid=$!
		e2e_spawned "$pid"
		if wait_ready "$pid"; then
			pass "lighttpd answers on $E2E_BASE"
			log_read
			return 0
		fi
		e2e_alive "$pid" && break	# running but not answering
	done
	e2e_abort "lighttpd did not start: $(tail -5 "$E2E_LOG")"
}

# as_user USER COMMAND...: runs COMMAND as USER (no login, no groups).
as_user() {
	local user=$1
	shift
	setpriv --reuid="$user" --regid="$user" --clear-groups -- "$@"
}

# e2e_stage_for USER: when we are root and the servers run as USER, makes
# sure USER can reach what they read.  A checkout in a directory only we
# may enter (a 0700 temporary directory, anything under /root) made every
# FastCGI child fail with "spawn-fcgi: child exited with: 126": then the
# programs, schema/ and www/ are copied into the test's temporary directory
# and used from there, with a note saying why.  A temporary directory USER
# cannot enter (TMPDIR) stops the test, saying so.
e2e_stage_for() {
	local user=$1 top=$E2E_TMP/top
	[ "$(id -u)" -eq 0 ] && [ -z "$E2E_STAGED" ] || return 0
	E2E_STAGED=1
	command -v setpriv >/dev/null ||
	    e2e_abort "setpriv (util-linux) is needed to test what $user can read"
	as_user "$user" test -x "$E2E_TMP/run" ||
	    e2e_abort "$user cannot enter $E2E_TMP, where the servers' sockets" \
	    "and logs are (TMPDIR=${TMPDIR:-/tmp}); set TMPDIR to a directory" \
	    "$user can enter"
	as_user "$user" test -x "$E2E_BIN/profile.fcgi" -a \
	    -r "$E2E_SCHEMA/schema.yml" -a -x "$E2E_WWW" && return 0
	note "$user cannot read $E2E_TOP (a directory only $(id -un) may" \
	    "enter): cgi-bin/*.fcgi, schema/ and www/ are copied to $top for" \
	    "the servers and FastCGI processes running as $user"
	mkdir -p "$top/cgi-bin" &&
	    cp "$E2E_TOP"/cgi-bin/*.fcgi "$top/cgi-bin/" &&
	    cp -R "$E2E_TOP/schema" "$E2E_TOP/www" "$top/" &&
	    chmod -R a+rX "$top" || e2e_abort "cannot copy the tree to $top"
	E2E_BIN=$top/cgi-bin E2E_SCHEMA=$top/schema E2E_WWW=$top/www
	as_user "$user" test -x "$E2E_BIN/profile.fcgi" ||
	    e2e_abort "$user cannot run $E2E_BIN/profile.fcgi even when copied"
}

# start_pool USER: a spawn-fcgi pool of 4 profile.fcgi processes on the unix
# socket $E2E_SOCK, running as USER (when we are root).  The socket belongs
# to USER, mode 0660, so only the web server's children (the same user)
# can connect.  spawn-fcgi points its children's stderr at /dev/null, so
# each is started through sh to append its log lines to $E2E_LOG -- as
# apache.conf.example and nginx.conf.example tell admins to do.
start_pool() {
	local user=$1 opts=() pid
	E2E_SOCK=$E2E_TMP/run/profile.sock
	log_follow "$E2E_TMP/fcgi.log"
	if [ "$(id -u)" -eq 0 ]; then
		chown "$user" "$E2E_TMP/run" "$E2E_LOG"
		opts=(-u "$user" -g "$user" -U "$user" -G "$user")
	fi
	e2e_stage_for "$user"
	(cd "$E2E_TMP" && deskprov_env &&
	    exec spawn-fcgi -s "$E2E_SOCK" -M 0660 -F 4 "${opts[@]}" \
	    -P "$E2E_TMP/run/pool.pids" -- /bin/sh -c \
	    "exec '$E2E_BIN/profile.fcgi' 2>>'$E2E_LOG'") \
	    >"$E2E_TMP/spawn-fcgi.out" 2>&1 </dev/null
	[ $? -eq 0 ] || e2e_abort "spawn-fcgi failed: $(cat "$E2E_TMP/spawn-fcgi.out")"
	for pid in $(cat "$E2E_TMP/run/pool.pids" 2>/dev/null); do
		e2e_spawned "$pid"
	done
	[ -S "$E2E_SOCK" ] || e2e_abort "spawn-fcgi made no socket"
	for pid in $(seq 50); do	# until each sh has exec'd profile.fcgi
		[ "$(fcgi_pids | wc -w)" -eq 4 ] && break
		sleep 0.1
	done
	check "spawn-fcgi pool: 4 profile.fcgi processes" \
	    test "$(fcgi_pids | wc -w)" -eq 4
}

# start_fcgi_pool NAME COUNT USER: after start_pool, another spawn-fcgi pool
# of COUNT NAME.fcgi processes (metrics, report, compare) on the unix socket
# $E2E_TMP/run/NAME.sock, started the same way (same user, same data
# directory: the counters are shared through $E2E_TMP/data/metrics.state),
# its log lines appended to the same file.  Sets E2E_FCGI_SOCK.
start_fcgi_pool() {
	local name=$1 count=$2 user=$3 opts=() pid
	E2E_FCGI_SOCK=$E2E_TMP/run/$name.sock
	[ "$(id -u)" -eq 0 ] &&
	    opts=(-u "$user" -g "$user" -U "$user" -G "$user")
	[ -x "$E2E_TOP/cgi-bin/$name.fcgi" ] ||
	    e2e_abort "cgi-bin/$name.fcgi is not built"
	e2e_stage_for "$user"
	if ! (cd "$E2E_TMP" && deskprov_env &&
	    exec spawn-fcgi -s "$E2E_FCGI_SOCK" -M 0660 -F "$count" "${opts[@]}" \
	    -P "$E2E_TMP/run/$name-pool.pids" -- /bin/sh -c \
	    "exec '$E2E_BIN/$name.fcgi' 2>>'$E2E_LOG'") \
	    >"$E2E_TMP/spawn-fcgi-$name.out" 2>&1 </dev/null; then
		e2e_abort "spawn-fcgi ($name) failed: $(cat "$E2E_TMP/spawn-fcgi-$name.out")"
	fi
	while read -r pid; do
		e2e_spawned "$pid"
	done <"$E2E_TMP/run/$name-pool.pids"
	[ -S "$E2E_FCGI_SOCK" ] || e2e_abort "spawn-fcgi made no $name socket"
	for pid in $(seq 50); do	# until each sh has exec'd NAME.fcgi
		[ "$(fcgi_pids "$name.fcgi" | wc -w)" -eq "$count" ] && break
		sleep 0.1
	done
	check "spawn-fcgi pool: $count $name.fcgi processes" \
	    test "$(fcgi_pids "$name.fcgi" | wc -w)" -eq "$count"
}

# start_metrics_pool USER: 2 metrics.fcgi processes on $E2E_METRICS_SOCK.
start_metrics_pool() {
	start_fcgi_pool metrics 2 "$1"
	E2E_METRICS_SOCK=$E2E_FCGI_SOCK
}

# start_admin_pools USER: 3 report.fcgi processes on $E2E_REPORT_SOCK and
# 2 compare.fcgi processes on $E2E_COMPARE_SOCK, as lighttpd.conf.example
# starts them.
start_admin_pools() {
	start_fcgi_pool report 3 "$1"
	E2E_REPORT_SOCK=$E2E_FCGI_SOCK
	start_fcgi_pool compare 2 "$1"
	E2E_COMPARE_SOCK=$E2E_FCGI_SOCK
}

# htpasswd_write USER:PASSWORD...: the web server's basic-auth users in
# $E2E_HTPASSWD (bcrypt, as the examples tell admins), readable by the
# servers' children.
htpasswd_write() {
	local u flag=-c
	for u in "$@"; do
		htpasswd -b -B $flag "$E2E_HTPASSWD" "${u%%:*}" "${u#*:}" \
		    >/dev/null 2>&1 || e2e_abort "htpasswd failed for ${u%%:*}"
		flag=
	done
	chmod 644 "$E2E_HTPASSWD"
}

# metrics_auth_checks: /metrics and /status through the web server under
# test, which must check the password itself (deskprov never sees a
# request without a valid one), while phones still need none.  Uses the
# users of the sample serviceconfig.yml (monitor, admin) and one user the
# web server knows but deskprov does not (stranger).
metrics_auth_checks() {
	local what=${1:-web server}
	htpasswd_write monitor:e2e-monitor-pw admin:e2e-admin-pw \
	    stranger:e2e-stranger-pw
	req /metrics
	expect_status 401 "$what: /metrics without credentials"
	expect_header WWW-Authenticate '^Basic ' "$what: /metrics without credentials"
	check "$what: /metrics without credentials refused before deskprov" \
	    test -z "$R_LOG"
	req -u monitor:wrong-password /metrics
	expect_status 401 "$what: /metrics with a wrong password"
	check "$what: wrong password refused before deskprov" test -z "$R_LOG"
	req -u monitor:e2e-monitor-pw /metrics
	expect_status 200 "$what: /metrics as monitor"
	expect_header Content-Type '^text/plain; version=0\.0\.4(;|$)' "$what: /metrics"
	expect_log metrics 'user=monitor ' "$what: /metrics as monitor"
	# The profile pool's counts, read by the metrics pool: one store.
	if [[ $R_TEXT =~ phone_config_requests_total\{phone_mac=\"001122334455\"\}\ ([0-9]+) ]] &&
	    [ "${BASH_REMATCH[1]}" -gt 0 ]; then
		pass "$what: /metrics counts reception's fetches (${BASH_REMATCH[1]})"
	else
		fail "$what: /metrics has no count of reception's fetches"
	fi
	req -u stranger:e2e-stranger-pw /metrics
	expect_status 403 "$what: /metrics as a user without a deskprov role"
	expect_log forbidden_role 'user=stranger ' "$what: /metrics as stranger"
	req -u admin:e2e-admin-pw /status
	expect_status 200 "$what: /status as admin"
	expect_json 'j["phones_configured"] >= 3 and j["status"] == "active"' \
	    "$what: /status as admin"
	req /status
	expect_status 401 "$what: /status without credentials"
	req /reception.xml
	expect_status 200 "$what: phones still fetch without credentials"
	check "$what: no basic-auth password in the log" \
	    test -z "$(grep -a -e e2e-monitor-pw -e e2e-admin-pw "$E2E_LOG")"
}

# vendor_routing_checks SERVER: the web server's example routes vendor
# file names (.boot .cfg .htm .xml) to profile.fcgi: two devices are added
# to the config, and their boot files come back through SERVER with a
# Content-Length.  tests/e2e/test_vendors.sh covers every vendor behind
# lighttpd; this covers the routing of the other two fronts.
vendor_routing_checks() {
	local f
	{ cat "$E2E_ETC/phones.yml"; cat <<'EOF'

  # Added by vendor_routing_checks: devices of two vendor packs.
  yealink-desk:
    mac: "00:15:65:aa:bb:01"
    ip_address: "127.0.0.1"
    vendor: yealink
    model: T46S
    accounts: [{line: 1, user: "2001", password: "pw-yealink"}]
  snom-desk:
    mac: "00:04:13:aa:bb:02"
    ip_address: "127.0.0.1"
    vendor: snom
    model: D785
    accounts: [{line: 1, user: "2011", password: "pw-snom"}]
EOF
	} | etc_write phones.yml
	config_sync
	for f in 001565aabb01.boot y000000000066.cfg 001565aabb01.cfg; do
		req -A "Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:01" "/$f"
		expect_status 200 "$1: Yealink /$f"
		expect_length "$1: Yealink /$f"
	done
	expect_body_contains "account.1.password = pw-yealink" "$1: Yealink /001565aabb01.cfg"
	for f in snomD785.htm snomD785-000413AABB02.htm 000413AABB02.xml; do
		req -A "Mozilla/4.0 (compatible; snomD785-SIP 10.1.54.13 2010.12-00004-g9ba52f5 000413AABB02 SXM:0 UXM:0)" "/$f"
		expect_status 200 "$1: Snom /$f"
		expect_length "$1: Snom /$f"
	done
	expect_body_contains '<user_pass idx="1" perm="R">pw-snom</user_pass>' "$1: Snom /000413AABB02.xml"
	req /001565aabb99.cfg
	expect_status 404 "$1: an unknown Yealink"
	expect_log unknown_phone "pack=yealink" "$1: an unknown Yealink, answered by profile.fcgi"
	pnp_query_checks "$1" 000413aabb02 '<user_pass idx="1" perm="R">pw-snom</user_pass>'
	etc_restore phones.yml
}

# report_pages_checks [WHAT]: after start_admin_pools, through the web
# server under test: reception (127.0.0.1, whitelisted) uploads a known
# report -- its own profile with Time_Zone changed, Host_Name removed and
# New_Param_X added -- to /report/<MAC> without a password; a 3 MiB body is
# refused with 413 (the web server's 2 MiB limit) and stores nothing; the
# compare page needs a password and, as admin, shows exactly those three
# differences; the overview works for monitor; /deskprov.css is static.
report_pages_checks() {
	local what=${1:-web server} mac=001122334455 body id n0
	local ua='Cisco-CP-6841-3PCC/12.0.1 (001122334455)'
	local admin=admin:e2e-admin-pw monitor=monitor:e2e-monitor-pw
	local c="$what: /compare/$mac"
	htpasswd_write "$monitor" "$admin" stranger:e2e-stranger-pw
	req /reception.xml
	expect_status 200 "$what: reception's profile for the report"
	"$E2E_PY" - "$R_BODY" "$E2E_TMP/known-report.xml" <<'PYEOF' ||
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
fp = root if root.tag == "flat-profile" else root.find("flat-profile")
def el(name):
    e = fp.find(name)
    assert e is not None, name
    return e
el("Time_Zone").text = "GMT+05:00"
fp.remove(el("Host_Name"))
ET.SubElement(fp, "New_Param_X").text = 'val & <x> "q"'
open(sys.argv[2], "w").write('<?xml version="1.0" encoding="UTF-8"?>\n' +
    ET.tostring(fp, encoding="unicode") + "\n")
PYEOF
	    e2e_abort "$what: cannot build the known report"
	IFS= read -r -d '' body <"$E2E_TMP/known-report.xml"
	req -A "$ua" --data-binary "$body" "/report/$mac"
	expect_status 200 "$what: POST /report/$mac, no password"
	expect_header Content-Type '^application/json' "$what: POST /report/$mac"
	expect_json "j['status'] == 'success' and j['mac'] == '$mac'" \
	    "$what: POST /report/$mac"
	expect_log stored " mac=$mac " "$what: POST /report/$mac"
	id=$("$E2E_PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["report"])' \
	    "$R_BODY" 2>/dev/null)
	check "$what: report stored as $id" \
	    test -n "$id" -a -f "$E2E_TMP/data/$mac/$id.json"
	n0=$(find "$E2E_TMP/data/$mac" -maxdepth 1 -name '*.json' ! -name '.*' | wc -l)
	body=$("$E2E_PY" -c 'import sys
sys.stdout.write("<flat-profile><A>" + "x" * (3 * 1024 * 1024) + "</A></flat-profile>")')
	req -A "$ua" -X PUT --data-binary "$body" "/report/$mac"
	body=
	expect_status 413 "$what: 3 MiB report (over the web server's 2 MiB)"
	check "$what: 3 MiB report: nothing stored" test "$(find "$E2E_TMP/data/$mac" \
	    -maxdepth 1 -name '*.json' ! -name '.*' | wc -l)" -eq "$n0"
	req "/compare/$mac"
	expect_status 401 "$c without credentials"
	expect_header WWW-Authenticate '^Basic ' "$c without credentials"
	check "$c without credentials refused before deskprov" test -z "$R_LOG"
	req -u admin:wrong "/compare/$mac"
	expect_status 401 "$c with a wrong password"
	req -u "$monitor" "/compare/$mac"
	expect_status 403 "$c as monitor"
	req -u "$admin" "/compare/$mac"
	expect_status 200 "$c as admin"
	expect_header Content-Type '^text/html; charset=utf-8$' "$c"
	expect_log compare 'user=admin ' "$c"
	expect_body_contains '<span class="n">1</span> mismatches' "$c: 1 mismatch"
	expect_body_contains '<span class="n">1</span> missing' "$c: 1 missing"
	expect_body_contains '<span class="n">1</span> unexpected' "$c: 1 unexpected"
	expect_body_contains '<tr><th>Time_Zone</th><td><code class="value">GMT+01:00</code></td><td><span class="layer layer-common">common</span></td><td><code class="value">GMT+05:00</code></td></tr>' \
	    "$c: Time_Zone expected GMT+01:00 (from common.yml), reported GMT+05:00"
	expect_body_contains '<tr><th>Host_Name</th>' "$c: Host_Name missing"
	expect_body_contains '<tr><th>New_Param_X</th><td><code class="value">val &amp; &lt;x&gt; &quot;q&quot;</code></td></tr>' \
	    "$c: New_Param_X unexpected, escaped"
	expect_body_lacks 'Station_Name' "$c: Station_Name equal"
	expect_length "$c"
	req -u "$admin" "/report-detail/$id"
	expect_status 200 "$what: /report-detail/<id> as admin"
	req -u "$admin" /reports
	expect_status 200 "$what: /reports as admin"
	expect_body_contains "/report-detail/$id" "$what: /reports"
	req -u "$admin" "/export-unexpected/$mac"
	expect_status 200 "$what: /export-unexpected/$mac"
	expect_header Content-Type '^text/yaml; charset=utf-8$' "$what: /export-unexpected"
	req -u "$admin" '/export-unexpected/?scope=fleet'
	expect_status 404 "$what: /export-unexpected/?scope=fleet (one reporting phone)"
	req -u "$admin" "/phone/$mac"
	expect_status 200 "$what: /phone/$mac as admin"
	expect_body_contains "<code>$mac.xml</code>" "$what: /phone/$mac: the file it fetches"
	req -u "$monitor" "/phone/$mac"
	expect_status 403 "$what: /phone/$mac as monitor"
	req /
	expect_status 401 "$what: / without credentials"
	req -u stranger:e2e-stranger-pw /
	expect_status 403 "$what: / as a user without a deskprov role"
	req -u "$monitor" /
	expect_status 200 "$what: / as monitor"
	expect_header Content-Type '^text/html; charset=utf-8$' "$what: / as monitor"
	expect_log fleet 'user=monitor ' "$what: / as monitor"
	expect_length "$what: / as monitor"
	req -u "$admin" /
	expect_body_contains "<a href=\"/compare/$mac\">3</a>" "$what: / as admin: 3 differences"
	req /deskprov.css
	expect_status 200 "$what: /deskprov.css, static, no password"
	expect_header Content-Type '^text/css' "$what: /deskprov.css"
	req -u "$admin" /reports.xml
	expect_status 4?? "$what: /reports.xml is a phone profile path, not a page"
	expect_body_lacks '<!DOCTYPE html>' "$what: /reports.xml"
	req /reception.xml
	expect_status 200 "$what: phones still fetch without a password"
	check "$what: no password in the log" \
	    test -z "$(grep -a -e e2e-admin-pw -e e2e-monitor-pw "$E2E_LOG")"
}

# pnp_query_checks WHAT MAC TEXT: Snom's and Panasonic's PnP URL, / with
# ?mac=<mac>, reaches profile.fcgi through the web server under test with
# no password and answers the phone's file (holding TEXT); an unknown MAC
# is profile.fcgi's 404; / alone, or with another query, is still the
# fleet overview behind basic auth.
pnp_query_checks() {
	local what=$1 mac=$2 text=$3
	req "/?mac=$mac"
	expect_status 200 "$what: /?mac=$mac (the PnP URL), no password"
	expect_body_contains "$text" "$what: /?mac=$mac is the phone's file"
	expect_log served " pnp_file=" "$what: /?mac=$mac, served by profile.fcgi"
	req "/?mac=0004f2ffff99"
	expect_status 404 "$what: /?mac= of an unknown phone"
	expect_log unknown_phone '' "$what: /?mac= of an unknown phone, answered by profile.fcgi"
	req /
	expect_status 401 "$what: / alone still needs a password"
	req "/?mac=$mac&x=1"
	expect_status 401 "$what: / with another query still needs a password"
	req -u admin:e2e-admin-pw "/?mac=$mac&x=1"
	expect_status 400 "$what: ... and is the overview's (unknown query key)"
}

# phone_form_checks WHAT PHONE: the phone page's Resync and Reboot form
# through the web server under test: the token scraped from the page
# works once posted (303 back to the page, which shows the outcome); no
# token, a changed one, another site's Origin, a monitor and no password
# are refused.  Needs admin:e2e-admin-pw and monitor:e2e-monitor-pw.
phone_form_checks() {
	local what="$1: /phone/$2" p="/phone/$2" tok loc
	local admin=admin:e2e-admin-pw form='Content-Type: application/x-www-form-urlencoded'
	req -u "$admin" "$p"
	expect_status 200 "$what as admin"
	tok=$(grep -o 'name="csrf" value="[0-9]*\.[0-9a-f]*"' <<<"$R_TEXT" |
	    sed 's/.*value="//; s/"$//')
	check "$what: the form carries a token" test -n "$tok"
	expect_body_contains 'name="action" value="reboot">Reboot</button>' "$what: the Reboot button"
	req -u "$admin" -H "$form" -H "Origin: $E2E_BASE" -H "Referer: $E2E_BASE$p" \
	    --data-binary "csrf=$tok&action=resync" "$p"
	expect_status 303 "$what: POST Resync with the page's token"
	expect_header Location "^$p\?done=resync-" "$what: POST Resync: back to the page"
	expect_log notify " action=resync notify=" "$what: POST Resync"
	loc=$(header_value Location)
	req -u "$admin" "$loc"
	expect_status 200 "$what: the page after the POST"
	expect_body_contains '<p class="notice">Resync: ' "$what: the outcome shown"
	req -u "$admin" -H "$form" --data-binary "action=resync" "$p"
	expect_status 403 "$what: POST without a token"
	expect_log csrf ' csrf=token ' "$what: POST without a token"
	req -u "$admin" -H "$form" --data-binary "csrf=1$tok&action=reboot" "$p"
	expect_status 403 "$what: POST with a changed token"
	expect_log csrf ' csrf=token ' "$what: POST with a changed token"
	req -u "$admin" -H "$form" -H "Origin: http://evil.example" \
	    --data-binary "csrf=$tok&action=reboot" "$p"
	expect_status 403 "$what: POST from another site's page"
	expect_log csrf ' csrf=origin ' "$what: POST from another site's page"
	req -u monitor:e2e-monitor-pw -H "$form" --data-binary "csrf=$tok&action=reboot" "$p"
	expect_status 403 "$what: POST as monitor"
	req -H "$form" --data-binary "csrf=$tok&action=reboot" "$p"
	expect_status 401 "$what: POST without a password"
}

# ---------------------------------------------------------------- requests

# Opens the deskprov log for reading from its current end: every request
# then reads the lines written since (the FastCGI processes write their
# line before they answer, so when the answer is here the line is too).
log_follow() {
	E2E_LOG=$1
	[ -e "$E2E_LOG" ] || : >"$E2E_LOG"
	exec {E2E_LOGFD}<"$E2E_LOG"
	log_read
}

# Reads what was appended to the log since the last call into R_LOG (the
# request lines only, those with outcome=).
log_read() {
	local line
	R_LOG=
	R_RELOADS=0
	[ -n "${E2E_LOGFD:-}" ] || return 0
	while IFS= read -r -u "$E2E_LOGFD" line; do
		if [[ $line == *" outcome="* ]]; then
			R_LOG+="$line"$'\n'
		elif [[ $line == *' msg="config loaded'* ]]; then
			R_RELOADS=$((R_RELOADS + 1))
		fi
	done
}

# Loads the answer's files into R_TEXT and R_HEADERS.
r_load() {
	local line
	R_TEXT=
	IFS= read -r -d '' R_TEXT <"$R_BODY"
	R_HEADERS=
	while IFS= read -r line; do
		R_HEADERS+="${line%$'\r'}"$'\n'
	done <"$R_HDRS"
}

# The client process (httpc.py), started on first use.
httpc_start() {
	[ -n "${E2E_HTTPC_PID:-}" ] && return 0
	coproc E2E_HTTPC { exec "$E2E_PY" "$E2E_DIR/httpc.py" "$R_HDRS" "$R_BODY"; }
	E2E_HTTPC_IN=${E2E_HTTPC[1]} E2E_HTTPC_OUT=${E2E_HTTPC[0]}
}

httpc_stop() {
	[ -n "${E2E_HTTPC_PID:-}" ] || return 0
	exec {E2E_HTTPC_IN}>&- {E2E_HTTPC_OUT}<&-
	wait "$E2E_HTTPC_PID" 2>/dev/null
	E2E_HTTPC_PID=
}

# httpc_send FIELD...: one record to the client, then its answer.
httpc_send() {
	httpc_start
	printf '%s\0' "$@" >&"$E2E_HTTPC_IN"
	R_STATUS=
	read -r -t 30 R_STATUS <&"$E2E_HTTPC_OUT"
	R_STATUS=${R_STATUS:-000}
}

# req [options...] PATH: one request to the server under test, the path sent
# as written (no ../ folding, no escaping).  The options are curl's
# spelling of what the tests need: -A UA, -H 'Name: value', -X METHOD,
# --data-binary BODY, -I (HEAD), -u USER:PASSWORD (basic auth).
req() {
	local path=${*: -1} method=GET has_body=0 body= headers=()
	local opts=("${@:1:$#-1}")
	set -- "${opts[@]}"
	while [ $# -gt 0 ]; do
		case $1 in
		-A) headers+=("User-Agent: $2"); shift ;;
		-H) headers+=("$2"); shift ;;
		-X) method=$2; shift ;;
		--data-binary) has_body=1 body=$2; [ "$method" = GET ] && method=POST; shift ;;
		-I) method=HEAD ;;
		-u) headers+=("Authorization: Basic $(printf '%s' "$2" | base64 -w0)"); shift ;;
		*) e2e_abort "req: unknown option $1" ;;
		esac
		shift
	done
	log_read
	httpc_send REQ "$E2E_PORT" "$method" "$path" "$has_body" "$body" \
	    "${headers[@]}" ''
	R_PATH=$path
	[ "${#path}" -gt 72 ] && R_PATH="${path:0:60}...(${#path} bytes)"
	r_load
	log_read
}

# raw_req BYTES: sends printf-format bytes as they are, to see what a
# client library would hide or refuse to send.
raw_req() {
	log_read
	# shellcheck disable=SC2059
	printf "$1" >"$E2E_TMP/raw.req"
	httpc_send RAW "$E2E_PORT" "$E2E_TMP/raw.req" ''
	R_PATH="(raw)"
	r_load
	log_read
}

# cgi_run [VAR=VALUE...]: profile.fcgi as plain CGI -- the request in the
# environment, nothing else inherited.  DESKPROV_ETC defaults to $E2E_ETC
# and REQUEST_METHOD to GET.  Sets R_STATUS (from the Status: header),
# R_BODY/R_TEXT, R_HEADERS, R_LOG (its log lines, from stderr) and R_EXIT.
cgi_run() {
	local out=$E2E_TMP/cgi.out err=$E2E_TMP/cgi.err line
	env -i PATH=/usr/bin:/bin GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET \
	    DESKPROV_ETC="${E2E_ETC:-$E2E_TOP/etc}" \
	    DESKPROV_SCHEMA_DIR="$E2E_TOP/schema" DESKPROV_DATA="${E2E_DATA:-$E2E_TMP/data}" \
	    DESKPROV_E2E_MARK="$E2E_TMP" "$@" \
	    "$E2E_TOP/cgi-bin/profile.fcgi" </dev/null >"$out" 2>"$err"
	R_EXIT=$?
	local all=''
	IFS= read -r -d '' all <"$out"
	if [[ $all == *$'\r\n\r\n'* ]]; then
		printf '%s\r\n' "${all%%$'\r\n\r\n'*}" >"$R_HDRS"
		printf '%s' "${all#*$'\r\n\r\n'}" >"$R_BODY"
	else
		printf '%s' "$all" >"$R_HDRS"
		: >"$R_BODY"
	fi
	r_load
	R_STATUS=$(header_value Status)
	R_STATUS=${R_STATUS%% *}
	R_STATUS=${R_STATUS:-000}
	R_LOG=
	while IFS= read -r line; do
		[[ $line == *" outcome="* ]] && R_LOG+="$line"$'\n'
	done <"$err"
	R_PATH="CGI"
}

# ---------------------------------------------------------------- expectations

# expect_status PATTERN [WHAT]: PATTERN is a status or a glob like 4??.
expect_status() {
	local what="${2:-$R_PATH}"
	# shellcheck disable=SC2254
	case $R_STATUS in
	$1) pass "$what: status $R_STATUS" ;;
	*) fail "$what: status $R_STATUS, expected $1"; r_show ;;
	esac
}

# The value of a header of the last answer ("" when absent).
header_value() {
	local line name
	while IFS= read -r line; do
		name=${line%%:*}
		if [ "${name,,}" = "${1,,}" ] && [ "$name" != "$line" ]; then
			line=${line#*:}
			echo "${line# }"
			return 0
		fi
	done <<<"$R_HEADERS"
	return 1
}

# expect_header NAME [ERE] [WHAT]: the header is present (and matches).
expect_header() {
	local v
	if ! v=$(header_value "$1"); then
		fail "${3:-$R_PATH}: no $1 header"
	elif [ -n "${2:-}" ] && ! [[ $v =~ $2 ]]; then
		fail "${3:-$R_PATH}: $1: $v does not match $2"
	else
		pass "${3:-$R_PATH}: $1: $v"
	fi
}

expect_no_header() {
	local v
	if v=$(header_value "$1"); then
		fail "${2:-$R_PATH}: unexpected header $1: $v"
	else
		pass "${2:-$R_PATH}: no $1 header"
	fi
}

expect_body_contains() {
	if [[ $R_TEXT == *"$1"* ]]; then
		pass "${2:-$R_PATH}: body has $1"
	else
		fail "${2:-$R_PATH}: body lacks $1"
		r_show
	fi
}

expect_body_lacks() {
	if [[ $R_TEXT == *"$1"* ]]; then
		fail "${2:-$R_PATH}: body has $1"
		r_show
	else
		pass "${2:-$R_PATH}: body lacks $1"
	fi
}

expect_body_empty() {
	if [ -s "$R_BODY" ]; then
		fail "${1:-$R_PATH}: body of ${#R_TEXT} bytes, expected none"
	else
		pass "${1:-$R_PATH}: empty body"
	fi
}

# expect_body_same FILE: byte for byte the body in FILE.
expect_body_same() {
	local want=
	IFS= read -r -d '' want <"$1"
	if [ "$want" = "$R_TEXT" ]; then
		pass "${2:-$R_PATH}: body identical to ${1##*/}"
	else
		fail "${2:-$R_PATH}: body differs from ${1##*/}"
		diff "$1" "$R_BODY" | head -6 | sed 's/^/        /'
	fi
}

# Content-Length present, equal to the body, and no chunking.
expect_length() {
	local cl te
	cl=$(header_value Content-Length)
	te=$(header_value Transfer-Encoding)
	if [ -z "$cl" ]; then
		fail "${1:-$R_PATH}: no Content-Length (Transfer-Encoding: $te)"
	elif [ "$cl" != "${#R_TEXT}" ]; then
		fail "${1:-$R_PATH}: Content-Length $cl but ${#R_TEXT} bytes"
	elif [ -n "$te" ]; then
		fail "${1:-$R_PATH}: Transfer-Encoding: $te and Content-Length"
	else
		pass "${1:-$R_PATH}: Content-Length $cl, not chunked"
	fi
}

# expect_log OUTCOME [ERE] [WHAT]: the request left exactly one deskprov
# line, with this outcome (an ERE too), the answer's status, and matching
# ERE.
expect_log() {
	local n=0 line
	while IFS= read -r line; do
		[ -n "$line" ] && n=$((n + 1))
	done <<<"$R_LOG"
	if [ "$n" -ne 1 ]; then
		fail "${3:-$R_PATH}: $n log lines, expected 1 with outcome=$1"
		[ -n "$R_LOG" ] && printf '        %s' "$R_LOG"
	elif ! [[ $R_LOG =~ \ outcome=$1\ status=$R_STATUS\  ]]; then
		fail "${3:-$R_PATH}: log line is not outcome=$1 status=$R_STATUS: $R_LOG"
	elif [ -n "${2:-}" ] && ! [[ $R_LOG =~ $2 ]]; then
		fail "${3:-$R_PATH}: log line does not match $2: $R_LOG"
	else
		pass "${3:-$R_PATH}: logged outcome=$1"
	fi
}

# A refusal of a hostile path.  It may come from the web server (which then
# logs it itself) or from deskprov; deskprov's must be logged with one of
# the outcomes listed in ERE.  Never a profile.
expect_refused() {
	local outcomes=$1 what="$R_PATH"
	case $R_STATUS in
	4??) pass "$what: refused with $R_STATUS" ;;
	*) fail "$what: status $R_STATUS, expected a 4xx refusal"; r_show ;;
	esac
	if [[ $R_TEXT == *"<flat-profile>"* ]]; then
		fail "$what: a profile came back"
	else
		pass "$what: no profile in the answer"
	fi
	if [ -n "$R_LOG" ]; then
		expect_log "($outcomes)" "" "$what"
	elif [[ $R_TEXT =~ ^[0-9]{3}\ [A-Za-z\ ]+:\  ]]; then
		fail "$what: deskprov answered but logged nothing"
	else
		pass "$what: refused by the web server before deskprov"
	fi
}

# expect_json PYTHON-EXPR [WHAT]: the body is JSON and the expression
# (over `j`) is true.
expect_json() {
	if "$E2E_PY" -c 'import json, re, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$R_BODY" "$1" 2>/dev/null; then
		pass "${2:-$R_PATH}: JSON $1"
	else
		fail "${2:-$R_PATH}: JSON not $1: ${R_TEXT:0:300}"
	fi
}

# No raw control or non-ASCII bytes in a log file (tab and newline aside).
expect_log_clean() {
	local bad
	bad=$(grep -acP '[\x00-\x08\x0b-\x1f\x7f-\xff]' "$1")
	if [ "$bad" -eq 0 ]; then
		pass "no raw control bytes in ${1##*/}"
	else
		fail "$bad lines of ${1##*/} have raw control bytes:"
		grep -naP '[\x00-\x08\x0b-\x1f\x7f-\xff]' "$1" |
		    head -3 | cat -v | sed 's/^/        /'
	fi
}
