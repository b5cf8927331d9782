#!/bin/bash
# profile.fcgi behind nginx and a spawn-fcgi pool of four processes,
# metrics.fcgi in a second pool of two, report.fcgi (three) and compare.fcgi
# (two) in their own pools: nginx.conf.example is included in a minimal main
# configuration written here.  Only its thirteen lines marked "deskprov:" are
# changed (port, sockets, document root, htpasswd).  The whole request
# matrix of matrix.sh runs against it, then the basic-auth checks of
# /metrics and /status, then a report upload and the admin pages
# (report_pages_checks).  As root, nginx's workers and the pools
# run as www-data.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/matrix.sh"

command -v nginx >/dev/null || e2e_skip_all "nginx is not installed (scripts/deps)"
command -v spawn-fcgi >/dev/null || e2e_skip_all "spawn-fcgi is not installed"
[ -r /etc/nginx/fastcgi_params ] || e2e_skip_all "no /etc/nginx/fastcgi_params"

# The example with the marked lines set for this run; aborts when a marked
# line is missing, so the test cannot drift away from the example.
write_server_block() {
	local out=$E2E_TMP/deskprov-nginx.conf n
	sed -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: socket\)|\1server unix:$E2E_SOCK;\2|" \
	    -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: metrics socket\)|\1server unix:$E2E_METRICS_SOCK;\2|" \
	    -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: report socket\)|\1server unix:$E2E_REPORT_SOCK;\2|" \
	    -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: compare socket\)|\1server unix:$E2E_COMPARE_SOCK;\2|" \
	    -e "s|^\( *\)server unix:[^;]*;\( *# deskprov: api socket\)|\1server unix:$E2E_TMP/run/api.sock;\2|" \
	    -e "s|^\( *\)listen [^;]*;\( *# deskprov: listen\)|\1listen 127.0.0.1:$E2E_PORT;\2|" \
	    -e "s|^\( *\)root [^;]*;\( *# deskprov: www\)|\1root $E2E_WWW;\2|" \
	    -e "s|^\( *\)auth_basic_user_file [^;]*;\( *# deskprov: htpasswd\)|\1auth_basic_user_file $E2E_HTPASSWD;\2|" \
	    "$E2E_TOP/nginx.conf.example" >"$out"
	n=$(grep -c -e "unix:$E2E_SOCK;" -e "unix:$E2E_METRICS_SOCK;" \
	    -e "unix:$E2E_REPORT_SOCK;" -e "unix:$E2E_COMPARE_SOCK;" \
	    -e "unix:$E2E_TMP/run/api.sock;" \
	    -e "listen 127.0.0.1:$E2E_PORT;" -e "root $E2E_WWW;" \
	    -e "auth_basic_user_file $E2E_HTPASSWD;" "$out")
	[ "$n" -eq 13 ] ||
	    e2e_abort "nginx.conf.example: expected 13 lines marked deskprov:, set $n"
}

write_nginx_conf() {
	local user=
	[ "$(id -u)" -eq 0 ] && user="user www-data www-data;"
	mkdir -p "$E2E_TMP/nginx-tmp"
	[ -n "$user" ] && chown www-data "$E2E_TMP/nginx-tmp"
	# `include fastcgi_params` is relative to this configuration's directory.
	ln -sf /etc/nginx/fastcgi_params "$E2E_TMP/fastcgi_params"
	write_server_block
	cat >"$E2E_TMP/nginx.conf" <<EOF
# Written by tests/e2e/test_nginx.sh
daemon off;
master_process on;
worker_processes 2;
$user
pid $E2E_TMP/nginx.pid;
error_log $E2E_TMP/nginx-error.log warn;
events { worker_connections 128; }
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
}

start_nginx() {
	local conf=$E2E_TMP/nginx.conf pid
	for _ in 1 2 3; do
		E2E_PORT=$(free_port)
		E2E_BASE=http://127.0.0.1:$E2E_PORT
		write_nginx_conf
		nginx -t -p "$E2E_TMP" -e "$E2E_TMP/nginx-error.log" -c "$conf" \
		    >"$E2E_TMP/nginx.check" 2>&1 ||
		    e2e_abort "nginx -t: $(cat "$E2E_TMP/nginx.check")"
		(cd "$E2E_TMP" && exec nginx -p "$E2E_TMP" \
		    -e "$E2E_TMP/nginx-error.log" -c "$conf") \
		    >>"$E2E_TMP/nginx.out" 2>&1 </dev/null &
		pid=$!
		e2e_spawned "$pid"
		if wait_ready "$pid"; then
			pass "nginx answers on $E2E_BASE"
			log_read
			return 0
		fi
		e2e_alive "$pid" && break
	done
	e2e_abort "nginx did not start: $(tail -5 "$E2E_TMP/nginx.out" "$E2E_TMP/nginx-error.log" 2>/dev/null)"
}

e2e_init
matrix_prepare_etc
start_pool www-data
start_metrics_pool www-data
start_admin_pools www-data
start_nginx
if [ "$(id -u)" -eq 0 ]; then
	check "nginx's master runs as root, its workers as www-data" \
	    test "$(own_users nginx)" = "root www-data "
	check "the FastCGI pool runs as www-data" \
	    test "$(own_users profile.fcgi)" = "www-data "
fi
req /reception.xml
expect_status 200 "through nginx"
expect_length "profile through nginx"
req /nosuchphone.xml
expect_length "404 through nginx"

run_matrix
metrics_auth_checks nginx
report_pages_checks nginx
vendor_routing_checks nginx
e2e_finish
