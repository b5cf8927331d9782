#!/bin/bash
# profile.fcgi behind Apache 2.4 (event MPM, mod_proxy_fcgi) and a
# spawn-fcgi pool of four processes, metrics.fcgi in a second pool of two,
# report.fcgi (three) and compare.fcgi (two) in their own pools:
# apache.conf.example is included unchanged from a minimal main
# configuration written here, and the whole request matrix of matrix.sh
# runs against it, then the basic-auth checks of /metrics and /status, then
# a report upload and the admin pages (report_pages_checks).  As
# root, Apache's children and the pools run as www-data, as they would on a
# Debian server.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/matrix.sh"

APACHE_MODULES=/usr/lib/apache2/modules

command -v apache2 >/dev/null || e2e_skip_all "apache2 is not installed"
command -v spawn-fcgi >/dev/null || e2e_skip_all "spawn-fcgi is not installed"
[ -e "$APACHE_MODULES/mod_proxy_fcgi.so" ] ||
    e2e_skip_all "no mod_proxy_fcgi in $APACHE_MODULES"

# The main configuration: what Debian's apache2.conf, ports.conf and
# mods-enabled/ would give, reduced to what the virtual host needs.
write_apache_conf() {
	local conf=$E2E_TMP/apache.conf m user=
	if [ "$(id -u)" -eq 0 ]; then
		user=$'User www-data\nGroup www-data'
	fi
	mkdir -p "$E2E_TMP/apache-run"
	[ -n "$user" ] && chown www-data "$E2E_TMP/apache-run"
	{
		cat <<EOF
# Written by tests/e2e/test_apache.sh
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
StartServers 1
ServerLimit 2
ThreadsPerChild 8
MaxRequestWorkers 16
TypesConfig /etc/mime.types
LogFormat "%h \"%r\" %>s %b \"%{User-Agent}i\"" short
CustomLog "$E2E_TMP/apache-access.log" short
<Directory />
    AllowOverride None
    Require all denied
</Directory>

Define DESKPROV_PORT $E2E_PORT
Define DESKPROV_SOCKET $E2E_SOCK
Define DESKPROV_WWW $E2E_WWW
Define DESKPROV_METRICS_SOCKET $E2E_METRICS_SOCK
Define DESKPROV_REPORT_SOCKET $E2E_REPORT_SOCK
Define DESKPROV_COMPARE_SOCKET $E2E_COMPARE_SOCK
Define DESKPROV_HTPASSWD $E2E_HTPASSWD
Include "$E2E_TOP/apache.conf.example"
EOF
	} >"$conf"
}

start_apache() {
	local conf=$E2E_TMP/apache.conf pid
	for _ in 1 2 3; do
		E2E_PORT=$(free_port)
		E2E_BASE=http://127.0.0.1:$E2E_PORT
		write_apache_conf
		apache2 -t -f "$conf" >"$E2E_TMP/apache.check" 2>&1 ||
		    e2e_abort "apache2 -t: $(cat "$E2E_TMP/apache.check")"
		(cd "$E2E_TMP" && exec apache2 -f "$conf" -DFOREGROUND) \
		    >>"$E2E_TMP/apache.out" 2>&1 </dev/null &
		pid=$!
		e2e_spawned "$pid"
		if wait_ready "$pid"; then
			pass "apache2 answers on $E2E_BASE"
			log_read
			return 0
		fi
		e2e_alive "$pid" && break
	done
	e2e_abort "apache2 did not start: $(tail -5 "$E2E_TMP/apache.out" "$E2E_TMP/apache-error.log" 2>/dev/null)"
}

e2e_init
matrix_prepare_etc
start_pool www-data
start_metrics_pool www-data
start_admin_pools www-data
start_apache
if [ "$(id -u)" -eq 0 ]; then
	check "Apache runs as root, its children as www-data" \
	    test "$(own_users apache2)" = "root www-data "
	check "the FastCGI pool runs as www-data" \
	    test "$(own_users profile.fcgi)" = "www-data "
fi

# Apache-specific: the length reaches the phone (ap_trust_cgilike_cl).
req /reception.xml
expect_status 200 "through mod_proxy_fcgi"
expect_length "profile through mod_proxy_fcgi"
req -A 'Cisco-CP-6841-3PCC/11.3.7 (001122334455)' /reception.xml
expect_length "upgrade document through mod_proxy_fcgi"
req /nosuchphone.xml
expect_length "404 through mod_proxy_fcgi"

run_matrix
metrics_auth_checks Apache
report_pages_checks Apache
phone_form_checks Apache reception
vendor_routing_checks Apache
e2e_finish
