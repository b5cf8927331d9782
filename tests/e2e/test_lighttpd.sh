#!/bin/bash
# profile.fcgi behind lighttpd, started exactly as `make run` starts it
# (lighttpd.conf.example through scripts/lighttpd-conf), lighttpd spawning
# the four FastCGI processes itself.  The whole request matrix of
# matrix.sh runs against a private copy of etc/.
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/matrix.sh"

command -v lighttpd >/dev/null || e2e_skip_all "lighttpd is not installed"
e2e_init
matrix_prepare_etc
start_lighttpd
check "lighttpd spawned 4 profile.fcgi processes" test "$(fcgi_pids | wc -w)" -eq 4
run_matrix
e2e_finish
