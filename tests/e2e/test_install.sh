#!/bin/bash
# The production install (issue 10, A3, A4 and B), in scratch directories:
#  1. `make install PREFIX=B` after a build for PREFIX=A installs programs
#     that find B's schema and packs; `deskprov check` fails, and says why,
#     when there is no schema or no pack; `make uninstall` removes it all.
#  2. docs/install.md, its blocks marked <!-- e2e: NAME --> run as written
#     in a scratch root (DESTDIR), with stand-ins only for what would change
#     the host (apt-get, adduser, systemctl, an editor) and the paths
#     rewritten into the scratch root: the files land where the page says,
#     the installed `deskprov check` accepts the installed configuration,
#     and the Apache recipe -- run with a copy of this machine's
#     /etc/apache2, Debian's 000-default site enabled -- serves deskprov,
#     over HTTP and then HTTPS.
. "$(dirname "$0")/lib.sh"

e2e_init
T=$E2E_TMP
D=$T/root
N_PACKS=$(find "$E2E_TOP/schema" -mindepth 2 -maxdepth 2 -name pack.yml | wc -l)

# make_top ARGS...: make in the checkout, its output in $T/make.out.
make_top() {
	make -s -C "$E2E_TOP" --no-print-directory "$@" >>"$T/make.out" 2>&1
}

# ---------------------------------------------------------------- 1. PREFIX
a=$T/prefix-a b=$T/prefix-b
make_top installable PREFIX="$a" localstatedir="$a/var" ||
    e2e_abort "make installable PREFIX=$a: $(tail -5 "$T/make.out")"
make_top install PREFIX="$b" localstatedir="$b/var" ||
    e2e_abort "make install PREFIX=$b: $(tail -5 "$T/make.out")"
# From a directory with no ./schema, without any DESKPROV_* variable.
out=$(cd "$T" && env -u DESKPROV_ETC -u DESKPROV_SCHEMA_DIR -u DESKPROV_DATA \
    "$b/bin/deskprov" check 2>&1)
rc=$?
check "installed for $b after a build for $a: deskprov check passes (status $rc)" \
    test "$rc" -eq 0
check "it reads $b/etc/deskprov and $N_PACKS vendor packs: ${out##*$'\n'ok: }" \
    grep -q "^ok: $b/etc/deskprov: .* $N_PACKS vendor packs" <<<"$out"
check "the installed programs name no path of the other build" \
    test -z "$(grep -l -a "$a" "$b/bin/deskprov" "$b"/lib/deskprov/cgi-bin/*.fcgi)"
check "the installed profile.fcgi has $b's schema compiled in" \
    grep -q -a "$b/share/deskprov/schema" "$b/lib/deskprov/cgi-bin/profile.fcgi"

mv "$b/share/deskprov/schema" "$b/schema.moved"
out=$(cd "$T" && "$b/bin/deskprov" check 2>&1)
rc=$?
check "no schema: deskprov check fails (status $rc)" test "$rc" -eq 1
check "and says so: ${out##*$'\n'}" grep -q "^deskprov: check: no schema parameters" <<<"$out"
mkdir "$b/share/deskprov/schema"
cp "$b/schema.moved/schema.yml" "$b/share/deskprov/schema/"
out=$(cd "$T" && "$b/bin/deskprov" check 2>&1)
rc=$?
check "schema.yml but no pack: deskprov check fails (status $rc)" test "$rc" -eq 1
check "and says so: ${out##*$'\n'}" grep -q "^deskprov: check: no vendor packs" <<<"$out"
rm -rf "$b/share/deskprov/schema"
mv "$b/schema.moved" "$b/share/deskprov/schema"

echo "# changed" >>"$b/etc/deskprov/common.yml"
make_top uninstall PREFIX="$b" localstatedir="$b/var" ||
    fail "make uninstall: $(tail -5 "$T/make.out")"
left=$(cd "$b" && find . -type f | sort | tr '\n' ' ')
check "make uninstall leaves only the changed config file (left: $left)" \
    test "$left" = "./etc/deskprov/common.yml "

# ---------------------------------------------------------------- 2. the page
PAGE=$E2E_TOP/docs/install.md
# doc_block NAME: the shell block after <!-- e2e: NAME --> in the page.
doc_block() {
	awk -v want="<!-- e2e: $1 -->" '
	    $0 == want { found = 1; next }
	    found && !inside && /^```sh$/ { inside = 1; next }
	    inside && /^```$/ { exit }
	    inside { print }' "$PAGE"
}

# The stand-ins and the scratch paths.  Everything else runs as written.
cat >"$T/standins.sh" <<'EOF'
set -eu
apt-get() { :; }		# the packages are there (scripts/deps)
git() { :; }			# the clone is this checkout
editor() { :; }
adduser() { echo "adduser $*" >>"$T/actions"; }
make() { command make -s --no-print-directory DESTDIR="$D" "$@"; }
# The user deskprov exists only in the page: as root, www-data stands in
# for it (the servers below run as www-data); otherwise nobody changes.
chown() {
	local a args=()
	[ "$(id -u)" -eq 0 ] || return 0
	for a in "$@"; do
		case $a in
		deskprov:*|*:deskprov) a=${a//deskprov/www-data} ;;
		esac
		args+=("$a")
	done
	command chown "${args[@]}"
}
htpasswd() { command htpasswd -b "$@" "e2e-${*: -1}-pw"; }
deskprov() {
	DESKPROV_ETC=$D/etc/deskprov DESKPROV_SCHEMA_DIR=$D/usr/share/deskprov/schema \
	    DESKPROV_DATA=$D/var/lib/deskprov "$D/usr/bin/deskprov" "$@"
}
systemctl() { echo "systemctl $*" >>"$T/actions"; }
export APACHE_CONFDIR=$T/apache2 APACHE_STATE_DIRECTORY=$T/apache-state
EOF

# run_block NAME: runs the page's block NAME; 0 when every command passed.
run_block() {
	local script=$T/block-$1.sh
	{
		cat "$T/standins.sh"
		doc_block "$1" | sed \
		    -e "s|/usr/local/src/deskprov|$E2E_TOP|g" \
		    -e "s|/etc/apache2|$T/apache2|g" \
		    -e "s|/etc/ssl|$T/ssl|g" \
		    -e "s|/etc/deskprov|$D/etc/deskprov|g" \
		    -e "s|/var/lib/deskprov|$D/var/lib/deskprov|g" \
		    -e "s|/usr/share/doc/deskprov|$D/usr/share/doc/deskprov|g" \
		    -e "s|http://127.0.0.1/|http://127.0.0.1:${HTTP_PORT:-80}/|g" \
		    -e "s|DESKPROV_PORT 443|DESKPROV_PORT ${TLS_PORT:-443}|g"
	} >"$script"
	[ "$(doc_block "$1" | wc -l)" -gt 0 ] || { fail "docs/install.md has no block $1"; return 1; }
	: >"$T/actions"
	if T=$T D=$D bash "$script" >"$T/block-$1.out" 2>&1; then
		pass "docs/install.md, block $1: every command passed"
	else
		fail "docs/install.md, block $1: $(tail -3 "$T/block-$1.out")"
		return 1
	fi
}

run_block build || e2e_finish
for f in usr/bin/deskprov usr/lib/deskprov/cgi-bin/profile.fcgi \
    usr/lib/deskprov/cgi-bin/report.fcgi usr/lib/deskprov/cgi-bin/compare.fcgi \
    usr/lib/deskprov/cgi-bin/metrics.fcgi usr/share/deskprov/schema/schema.yml \
    usr/share/deskprov/www/deskprov.css usr/share/doc/deskprov/README.md \
    usr/share/doc/deskprov/install.md \
    usr/share/doc/deskprov/examples/apache.conf.example etc/deskprov/phones.yml; do
	check "installed where the page says: /$f" test -f "$D/$f"
done
check "installed where the page says: /var/lib/deskprov/" test -d "$D/var/lib/deskprov"
check "the installed programs default to /etc/deskprov" \
    grep -q -a '/etc/deskprov' "$D/usr/lib/deskprov/cgi-bin/profile.fcgi"
check "the installed programs default to /var/lib/deskprov" \
    grep -q -a '/var/lib/deskprov' "$D/usr/bin/deskprov"
check "the installed Apache example names the installed stylesheet directory" \
    grep -q 'Define DESKPROV_WWW /usr/share/deskprov/www' \
    "$D/usr/share/doc/deskprov/examples/apache.conf.example"
if compgen -G "$E2E_TOP/man/*.[158]" >/dev/null; then
	check "the man pages are installed under /usr/share/man" \
	    test -n "$(find "$D/usr/share/man" -name 'deskprov*' 2>/dev/null)"
else
	skip "no man/ in this checkout: man pages not checked"
fi

run_block user
check "the page's chmod: /etc/deskprov/phones.yml is 640" \
    test "$(stat -c %a "$D/etc/deskprov/phones.yml")" = 640
run_block config
check "the installed deskprov check accepted the installed configuration" \
    grep -q "^ok: $D/etc/deskprov: .* $N_PACKS vendor packs" "$T/block-config.out"
check "the page's htpasswd has admin and monitor" \
    test "$(cut -d: -f1 "$D/etc/deskprov/htpasswd" | tr '\n' ' ')" = "admin monitor "

# ------------------------------------------------- the pools and Apache
command -v spawn-fcgi >/dev/null || e2e_skip_all "spawn-fcgi is not installed: the pools and Apache are not tried"
command -v apache2 >/dev/null && command -v a2enmod >/dev/null ||
    e2e_skip_all "apache2 is not installed: the Apache recipe is not tried"
[ -f /etc/apache2/apache2.conf ] && [ -f /etc/apache2/sites-available/000-default.conf ] ||
    e2e_skip_all "no Debian /etc/apache2 with 000-default to copy"

run_block units
if [ -d "$E2E_TOP/dist/systemd" ]; then
	check "the page's units are installed (deskprov@.socket, deskprov@.service)" \
	    test -f "$D/usr/lib/systemd/system/deskprov@.socket" -a \
	    -f "$D/usr/lib/systemd/system/deskprov@.service"
else
	skip "no dist/systemd in this checkout: the units are not checked"
fi
# What `systemctl enable --now deskprov@<program>.socket` starts, started by
# spawn-fcgi instead: the installed program, on /run/deskprov/<program>.sock.
mkdir -p "$T/run"
user=() pool_user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
	pool_user=www-data
	user=(-u www-data -g www-data -U www-data -G www-data)
	chown www-data "$T/run"
fi
log_follow "$T/fcgi.log"
[ "$(id -u)" -eq 0 ] && chown www-data "$T/fcgi.log"
progs=$(grep -o 'deskprov@[a-z]*\.socket' "$T/actions" | sed 's/deskprov@//; s/\.socket//' | sort -u | tr '\n' ' ')
check "the page starts the four programs' sockets ($progs)" \
    test "$progs" = "compare metrics profile report "
for prog in $progs; do
	(cd "$T" && DESKPROV_ETC=$D/etc/deskprov \
	    DESKPROV_SCHEMA_DIR=$D/usr/share/deskprov/schema \
	    DESKPROV_DATA=$D/var/lib/deskprov exec spawn-fcgi -s "$T/run/$prog.sock" \
	    -M 0660 -F 1 "${user[@]}" -P "$T/run/$prog.pid" -- /bin/sh -c \
	    "exec '$D/usr/lib/deskprov/cgi-bin/$prog.fcgi' 2>>'$T/fcgi.log'") \
	    >"$T/spawn-$prog.out" 2>&1 </dev/null ||
	    e2e_abort "spawn-fcgi $prog: $(cat "$T/spawn-$prog.out")"
	e2e_spawned "$(cat "$T/run/$prog.pid")"
done

# This machine's Apache configuration, as Debian ships it: 000-default on.
cp -a /etc/apache2 "$T/apache2"
mkdir -p "$T/apache-state" "$T/apache-run" "$T/apache-log" "$T/ssl/certs" "$T/ssl/private"
[ "$(id -u)" -eq 0 ] && chown www-data "$T/apache-run"
cat >>"$T/apache2/envvars" <<EOF
# tests/e2e/test_install.sh: this scratch copy's own places
export APACHE_PID_FILE=$T/apache-run/apache2.pid APACHE_RUN_DIR=$T/apache-run
export APACHE_LOCK_DIR=$T/apache-run APACHE_LOG_DIR=$T/apache-log
EOF
HTTP_PORT=$(free_port) TLS_PORT=$(free_port)
sed -i -e "s/^Listen 80$/Listen 127.0.0.1:$HTTP_PORT/" \
    -e "s/^\([[:space:]]*\)Listen 443$/\1Listen 127.0.0.1:$TLS_PORT/" "$T/apache2/ports.conf"
sed -i "s/<VirtualHost \*:80>/<VirtualHost *:$HTTP_PORT>/" \
    "$T/apache2/sites-available/000-default.conf"
APACHE_CONFDIR=$T/apache2 APACHE_STATE_DIRECTORY=$T/apache-state \
    a2ensite 000-default >/dev/null
# The paths the page's site file names, in the scratch root (read before
# the sites, as the page's own Defines for HTTPS are).
cat >"$T/apache2/conf-enabled/00-e2e-paths.conf" <<EOF
Define DESKPROV_PORT $HTTP_PORT
Define DESKPROV_SOCKET $T/run/profile.sock
Define DESKPROV_METRICS_SOCKET $T/run/metrics.sock
Define DESKPROV_REPORT_SOCKET $T/run/report.sock
Define DESKPROV_COMPARE_SOCKET $T/run/compare.sock
Define DESKPROV_WWW $D/usr/share/deskprov/www
Define DESKPROV_HTPASSWD $D/etc/deskprov/htpasswd
EOF

APACHE_PID=
# apache_restart: what `systemctl reload apache2` does, for the copy.
apache_restart() {
	if [ -n "$APACHE_PID" ]; then
		kill -TERM "$APACHE_PID" 2>/dev/null
		wait "$APACHE_PID" 2>/dev/null
	fi
	(cd "$T" && set -a && APACHE_CONFDIR=$T/apache2 && . "$T/apache2/envvars" &&
	    exec apache2 -d "$T/apache2" -f "$T/apache2/apache2.conf" -DFOREGROUND) \
	    >>"$T/apache.out" 2>&1 </dev/null &
	APACHE_PID=$!
	e2e_spawned "$APACHE_PID"
}

run_block apache
check "the page reloads Apache after enabling the site" \
    grep -qx 'systemctl reload apache2' "$T/actions"
check "000-default is still enabled" test -e "$T/apache2/sites-enabled/000-default.conf"
apache_restart
E2E_PORT=$HTTP_PORT E2E_BASE=http://127.0.0.1:$HTTP_PORT
wait_ready "$APACHE_PID" ||
    e2e_abort "Apache did not serve /health: $(tail -5 "$T/apache.out" "$T/apache-log/error.log" 2>/dev/null)"
pass "Apache with the page's site and 000-default answers on $E2E_BASE"
check "deskprov is the default server of port $HTTP_PORT (apache2 -S)" \
    grep -q "default server deskprov (.*00-deskprov.conf" \
    <(cd "$T" && set -a && APACHE_CONFDIR=$T/apache2 && . "$T/apache2/envvars" &&
      apache2 -d "$T/apache2" -f "$T/apache2/apache2.conf" -S 2>&1)
req /health
expect_status 200 "/health through the page's Apache site"
expect_json "j['status'] == 'ok' and j['phones'] == 3" "/health through the page's Apache site"
req -H 'Host: 192.0.2.5' /001122334455.xml
expect_status 200 "a phone's profile, asked for by address (Host: 192.0.2.5)"
expect_log served " phone=reception " "the profile request for another Host reached deskprov"
req -u admin:e2e-admin-pw /
expect_status 200 "the admin pages with the page's htpasswd"
run_block verify

# The old recipe's name: 000-default, read first, answers for the machine's
# own name (here 127.0.0.1, the name Apache falls back to) with a 404.
mv "$T/apache2/sites-enabled/00-deskprov.conf" "$T/apache2/sites-enabled/deskprov.conf"
apache_restart
for _ in $(seq 50); do
	req /health
	[ "$R_STATUS" = 000 ] || break
	sleep 0.1
done
check "named deskprov.conf instead, the machine's own name goes to 000-default (status $R_STATUS)" \
    test "$R_STATUS" = 404
mv "$T/apache2/sites-enabled/deskprov.conf" "$T/apache2/sites-enabled/00-deskprov.conf"

# HTTPS, with a certificate made here for the names the page uses.
if ! command -v openssl >/dev/null; then
	skip "openssl is not installed: the HTTPS step is not tried"
elif [ ! -e /usr/lib/apache2/modules/mod_ssl.so ]; then
	skip "no mod_ssl: the HTTPS step is not tried"
else
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=prov.example.net \
	    -keyout "$T/ssl/private/prov.example.net.key" \
	    -out "$T/ssl/certs/prov.example.net.pem" >/dev/null 2>&1
	# The page's Define of the port wins over the test's (read later).
	sed -i '/DESKPROV_PORT/d' "$T/apache2/conf-enabled/00-e2e-paths.conf"
	run_block apache-tls
	apache_restart
	code=000
	for _ in $(seq 50); do
		code=$(curl -sk -o "$T/tls.body" -w '%{http_code}' --max-time 2 \
		    "https://127.0.0.1:$TLS_PORT/health")
		[ "$code" = 200 ] && break
		sleep 0.1
	done
	check "HTTPS, the page's Defines: /health answers 200 over TLS (got $code)" \
	    test "$code" = 200
	check "HTTPS: the answer is deskprov's" grep -q '"status"' "$T/tls.body"
fi
e2e_finish
