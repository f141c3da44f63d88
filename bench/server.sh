#!/bin/sh
# bench/server: zorgd against nginx serving the same bytes, both over HTTPS with keep-alive.
#
#   1. creates a 100,000-client demo database (timed) in a temporary directory;
#   2. starts zorgd on a free loopback port, logs in as administrator;
#   3. saves the exact bodies of GET /api/v1/clients/ID and of one /api/v1/changes page and
#      serves them as static files with nginx (own config, own port, all paths in the
#      temporary directory), checking with cmp that nginx sends the same bytes;
#   4. measures requests/s and p99 latency of both URLs on both servers with wrk;
#   5. times a full since=0 sync with curl (limit=5000 pages) and reads zorgd's peak RSS;
#   5b. holds BENCH_POLLS long-polls (GET /changes?wait=60) for BENCH_POLL_SECONDS on a zorgd
#      restarted with room for them (--max-connections; the per-address limit is unchanged: the
#      polls come from 200 loopback source addresses) while a device type changes every 5 s,
#      and reports errors, GET /api/v1/me's p99, zorgd's threads and RSS (bench/longpoll.py);
#   6. (BENCH_PG=1, the default when PostgreSQL 15 and HAProxy are installed) imports the
#      same database into a private PostgreSQL (initdb in the temporary directory, loopback)
#      and measures the same two URLs on one zorgd on PostgreSQL and on two zorgd behind
#      HAProxy (TCP mode, PROXY v2), checking with cmp that they send the same bytes.
#
# Run from anywhere as 'sh bench/server.sh' after 'make all certs' ('make bench' does all).
# Needs the Debian packages wrk, nginx-light (or any nginx), curl and python3.
# Settings (environment): ZORGD (binary), PKI (directory with server.pem, server.key, ca.pem),
# BENCH_CLIENTS [100000], BENCH_CLIENT_ID [4242], BENCH_DURATION [10s], BENCH_WARMUP [2s],
# BENCH_THREADS [2], BENCH_CONNECTIONS [32], BENCH_PG [1 when postgresql and haproxy exist],
# BENCH_POLLS [5000; 0 skips the long-polls], BENCH_POLL_SECONDS [60].
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PATH=$PATH:/usr/sbin:/sbin
ZORGD=${ZORGD:-$ROOT/build/bin/zorgd}
PKI=${PKI:-$ROOT/build/pki}
CLIENTS=${BENCH_CLIENTS:-100000}
SEED=1
CLIENT_ID=${BENCH_CLIENT_ID:-4242}
# A mid-stream page of the feed: 1,000 client changes, as a client catching up sees them.
CHANGES_SINCE=$((CLIENTS / 2))
CHANGES_LIMIT=1000
SYNC_LIMIT=5000
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
READY_SECONDS=20

T=$(mktemp -d "${TMPDIR:-/tmp}/zorgd-bench.XXXXXX")
BENCH_NAME=server
. "$ROOT/bench/lib.sh"
need wrk wrk
need nginx nginx-light
need curl curl
need python3 python3
[ -x "$ZORGD" ] || die "no zorgd binary at $ZORGD: run 'make all' first"
check_pki
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ---- demo database ---------------------------------------------------------------------------
say "creating the demo database ($CLIENTS clients, seed $SEED) in $T"
t0=$(now)
"$ZORGD" --db "$T/bench.db" --init-demo --clients "$CLIENTS" --seed "$SEED" >"$T/init.log" 2>&1 ||
	{ cat "$T/init.log" >&2; die "zorgd --init-demo failed"; }
t1=$(now)
INIT_SECONDS=$(elapsed "$t0" "$t1")

# ---- zorgd -----------------------------------------------------------------------------------
start_zorgd "$T/bench.db"

login=$(curl -sS --cacert "$CACERT" -H 'Content-Type: application/json' \
	--data-binary '{"username":"administrator","password":"demo"}' "$Z/api/v1/session") ||
	die "POST /api/v1/session failed"
TOKEN=$(printf '%s' "$login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])' 2>/dev/null) ||
	die "login as administrator/demo failed: $login"
printf 'Authorization: Bearer %s\n' "$TOKEN" >"$T/auth.header"
BENCH_TOKEN=$TOKEN
export BENCH_TOKEN

CLIENT_PATH=/api/v1/clients/$CLIENT_ID
CHANGES_PATH=/api/v1/changes
CHANGES_QUERY="since=$CHANGES_SINCE&limit=$CHANGES_LIMIT"
fetch() { # fetch URL FILE: GET with the session token; fail on any error status
	curl -sS --fail-with-body --cacert "$CACERT" -H "@$T/auth.header" -o "$2" "$1" ||
		{ head -c 500 "$2" >&2 2>/dev/null; echo >&2; die "GET $1 failed"; }
}
mkdir -p "$T/www/api/v1/clients" "$T/nginx-tmp"
fetch "$Z$CLIENT_PATH" "$T/www$CLIENT_PATH"
fetch "$Z$CHANGES_PATH?$CHANGES_QUERY" "$T/www$CHANGES_PATH"
python3 - "$T/www$CLIENT_PATH" "$T/www$CHANGES_PATH" "$CLIENT_ID" "$CHANGES_LIMIT" <<'EOF' ||
import json, sys
client = json.load(open(sys.argv[1], encoding="utf-8"))
assert client.get("id") == int(sys.argv[3]), f"client body has id {client.get('id')!r}"
page = json.load(open(sys.argv[2], encoding="utf-8"))
n = len(page["changes"])
assert n == int(sys.argv[4]), f"changes page has {n} changes, not {sys.argv[4]}"
assert all(c["type"] == "client" for c in page["changes"]), "changes page is not all clients"
EOF
	die "the saved response bodies are not what the benchmark expects"
CLIENT_BYTES=$(wc -c <"$T/www$CLIENT_PATH")
CHANGES_BYTES=$(wc -c <"$T/www$CHANGES_PATH")

# ---- nginx -------------------------------------------------------------------------------------
NGINX_USER=
[ "$(id -u)" != 0 ] || NGINX_USER="user root;" # workers must read the files in the 0700 $T
tries=0
while :; do
	tries=$((tries + 1))
	NPORT=$(free_port)
	sed -e "s|@T@|$T|g" -e "s|@NPORT@|$NPORT|g" -e "s|@USER@|$NGINX_USER|g" \
		-e "s|@CERT@|$PKI/server.pem|g" -e "s|@KEY@|$PKI/server.key|g" \
		"$ROOT/bench/nginx.conf.in" >"$T/nginx.conf"
	: >"$T/nginx-error.log"
	nginx -e "$T/nginx-error.log" -p "$T/" -c "$T/nginx.conf" >"$T/nginx.out" 2>&1 &
	NPID=$!
	PIDS="$PIDS $NPID"
	N=https://127.0.0.1:$NPORT
	if poll "$NPID" "$READY_SECONDS" "nginx on $N" reachable "$N$CLIENT_PATH"; then
		break
	fi
	wait "$NPID" 2>/dev/null || true
	NPID=
	# Another process took the port between free_port and nginx's bind: try another one.
	if grep -q 'Address already in use' "$T/nginx-error.log" "$T/nginx.out" && [ $tries -lt 5 ]; then
		continue
	fi
	cat "$T/nginx.out" "$T/nginx-error.log" >&2
	die "nginx did not start"
done
say "nginx (pid $NPID) listens on $N"

# The same bytes from both servers, fetched again now.
same_bytes() { # same_bytes PATH[?QUERY] FILE
	curl -sS --fail --cacert "$CACERT" -H "@$T/auth.header" -o "$T/cmp.z" "$Z$1" || die "GET $Z$1 failed"
	curl -sS --fail --cacert "$CACERT" -o "$T/cmp.n" "$N${1%%\?*}" || die "GET $N${1%%\?*} failed"
	cmp "$T/cmp.z" "$2" || die "zorgd's body for $1 changed between two requests"
	cmp "$T/cmp.n" "$2" || die "nginx does not serve the same bytes for $1"
}
same_bytes "$CLIENT_PATH" "$T/www$CLIENT_PATH"
same_bytes "$CHANGES_PATH?$CHANGES_QUERY" "$T/www$CHANGES_PATH"
ctype=$(curl -sS -o /dev/null -w '%{content_type}' --cacert "$CACERT" "$N$CLIENT_PATH")
case $ctype in application/json*) ;; *) die "nginx sends Content-Type '$ctype'" ;; esac
say "cmp: zorgd and nginx send identical bodies ($CLIENT_BYTES and $CHANGES_BYTES bytes)"

# ---- wrk -----------------------------------------------------------------------------------------
# wrk_run NAME URL: a short warm-up, then the measurement; sets RPS, P99 (ms), REQS.
wrk_run() {
	say "wrk: $1: warm-up $WARMUP, then $DURATION, $THREADS threads, $CONNECTIONS connections"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$ROOT/bench/wrk-auth.lua" "$2" \
		>"$T/wrk-$1-warmup.txt" 2>&1 || { cat "$T/wrk-$1-warmup.txt" >&2; die "wrk warm-up $1 failed"; }
	# The server may still hold the warm-up's connections (a worker busy with a request
	# closes its others late); measuring at once would meet max_connections_per_address
	# (32) and count failed connects. Wait (bounded) until it has closed them.
	_port=${2#https://*:}
	_port=${_port%%/*}
	_until=$(($(date +%s) + 10))
	while [ "$(ss -Htn state established "( sport = :$_port )" 2>/dev/null | wc -l)" -gt 0 ] &&
		[ "$(date +%s)" -lt "$_until" ]; do
		sleep 0.05
	done
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/bench/wrk-auth.lua" "$2" \
		>"$T/wrk-$1.txt" 2>&1 || { cat "$T/wrk-$1.txt" >&2; die "wrk $1 failed"; }
	_out=$T/wrk-$1.txt
	RPS=$(awk '$1 == "Requests/sec:" && $2 ~ /^[0-9.]+$/ { print $2 }' "$_out")
	# The 99% line of --latency, in wrk's units (us, ms, s, m), converted to milliseconds.
	P99=$(awk '$1 == "99%" && match($2, /^[0-9.]+/) {
		v = substr($2, 1, RLENGTH); u = substr($2, RLENGTH + 1)
		f = u == "us" ? 0.001 : u == "ms" ? 1 : u == "s" ? 1000 : u == "m" ? 60000 : -1
		if (f > 0) printf "%.3f", v * f }' "$_out")
	REQS=$(awk '$2 == "requests" && $3 == "in" { print $1 }' "$_out")
	_bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$_out")
	_sock=$(grep 'Socket errors:' "$_out" || true)
	if [ -z "$RPS" ] || [ -z "$P99" ] || [ -z "$REQS" ]; then
		cat "$_out" >&2
		die "cannot parse Requests/sec, the 99% latency or the request count of wrk $1"
	fi
	[ "$REQS" -gt 0 ] || { cat "$_out" >&2; die "wrk $1 completed no requests"; }
	if [ -n "$_bad" ] && [ "$_bad" != 0 ]; then
		cat "$_out" >&2
		die "wrk $1: $_bad responses were not 2xx: the numbers would measure errors"
	fi
	[ -z "$_sock" ] || say "wrk $1: $_sock"
}
wrk_run zorgd-client "$Z$CLIENT_PATH"
Z_CLIENT_RPS=$RPS Z_CLIENT_P99=$P99 Z_CLIENT_REQS=$REQS
wrk_run nginx-client "$N$CLIENT_PATH"
N_CLIENT_RPS=$RPS N_CLIENT_P99=$P99
wrk_run zorgd-changes "$Z$CHANGES_PATH?$CHANGES_QUERY"
Z_CHANGES_RPS=$RPS Z_CHANGES_P99=$P99
wrk_run nginx-changes "$N$CHANGES_PATH?$CHANGES_QUERY"
N_CHANGES_RPS=$RPS N_CHANGES_P99=$P99

# ---- full since=0 sync ---------------------------------------------------------------------------
say "full since=0 sync with curl, limit=$SYNC_LIMIT"
SYNC=$(python3 "$ROOT/bench/full-sync.py" --base "$Z" --cacert "$CACERT" \
	--header-file "$T/auth.header" --limit "$SYNC_LIMIT") || die "the full sync failed"
# shellcheck disable=SC2086 # five numbers, split on purpose
set -- $SYNC
[ $# -eq 5 ] || die "cannot parse the full sync's result: $SYNC"
SYNC_SECONDS=$1 SYNC_REQUESTS=$2 SYNC_CHANGES=$3 SYNC_CLIENTS=$4 SYNC_BYTES=$5
[ "$SYNC_CLIENTS" -eq "$CLIENTS" ] ||
	die "the full sync saw $SYNC_CLIENTS clients, not $CLIENTS"

# ---- peak RSS, after everything ----------------------------------------------------------------
kill -0 "$ZPID" 2>/dev/null || { cat "$T/zorgd.log" >&2; die "zorgd died during the benchmark"; }
HWM_KB=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$ZPID/status")
[ -n "$HWM_KB" ] || die "cannot read VmHWM from /proc/$ZPID/status"

# ---- PostgreSQL: one zorgd, then two behind HAProxy ----------------------------------------------
PG_BIN=${ZT_PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_PG=${BENCH_PG:-auto}
if [ "$BENCH_PG" = auto ]; then
	BENCH_PG=0
	[ -x "$PG_BIN/postgres" ] && command -v haproxy >/dev/null 2>&1 && BENCH_PG=1
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# start_pg_zorgd NAME PORT [ARGS]: a zorgd on the PostgreSQL database, on PORT.
start_pg_zorgd() {
	_n=$1 _p=$2
	shift 2
	"$ZORGD" --db "$PGURL" --listen "127.0.0.1:$_p" --cert "$PKI/server.pem" \
		--key "$PKI/server.key" --caren-key-file "$T/bench.db.caren-key" --maildir "$T/maildir" "$@" \
		>"$T/zorgd-$_n.log" 2>&1 &
	_pid=$!
	PIDS="$PIDS $_pid"
	poll "$_pid" "$READY_SECONDS" "zorgd $_n" reachable "https://127.0.0.1:$_p/api/v1/me" ||
		{ cat "$T/zorgd-$_n.log" >&2; die "zorgd $_n (PostgreSQL) did not start"; }
	say "zorgd $_n (pid $_pid, PostgreSQL) listens on 127.0.0.1:$_p"
}
if [ "$BENCH_PG" = 1 ]; then
	mkdir -p "$T/pg" "$T/pgsock"
	if [ "$(id -u)" = 0 ]; then
		chmod 755 "$T"
		chown postgres "$T/pg" "$T/pgsock"
	fi
	as_pg "$PG_BIN/initdb" -D "$T/pg" -U postgres --auth=trust --no-sync >"$T/initdb.log" 2>&1 ||
		{ cat "$T/initdb.log" >&2; die "initdb failed"; }
	PGPORT=$(free_port)
	as_pg "$PG_BIN/postgres" -D "$T/pg" -h 127.0.0.1 -p "$PGPORT" -k "$T/pgsock" \
		-c max_connections=200 >"$T/postgres.log" 2>&1 &
	PGPID=$!
	PIDS="$PIDS $PGPID"
	pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -U postgres; }
	poll "$PGPID" "$READY_SECONDS" "PostgreSQL" pg_ready || { cat "$T/postgres.log" >&2; die "PostgreSQL did not start"; }
	"$PG_BIN/psql" -X -q -d "postgresql://postgres@127.0.0.1:$PGPORT/postgres" -c "CREATE DATABASE bench"
	PGURL="postgresql://postgres@127.0.0.1:$PGPORT/bench"
	say "importing the demo database into PostgreSQL (timed)"
	t0=$(now)
	"$ZORGD" --db "$PGURL" --import "sqlite:$T/bench.db" >"$T/import.log" 2>&1 ||
		{ tail -n 20 "$T/import.log" >&2; die "zorgd --import failed"; }
	IMPORT_SECONDS=$(elapsed "$t0" "$(now)")
	PA=$(free_port)
	start_pg_zorgd pg-a "$PA"
	Z=https://127.0.0.1:$PA
	same_bytes "$CLIENT_PATH" "$T/www$CLIENT_PATH"
	same_bytes "$CHANGES_PATH?$CHANGES_QUERY" "$T/www$CHANGES_PATH"
	say "cmp: zorgd on PostgreSQL sends the same bytes as on SQLite and nginx"
	wrk_run pg-client "$Z$CLIENT_PATH"
	PG_CLIENT_RPS=$RPS PG_CLIENT_P99=$P99
	wrk_run pg-changes "$Z$CHANGES_PATH?$CHANGES_QUERY"
	PG_CHANGES_RPS=$RPS PG_CHANGES_P99=$P99
	PB=$(free_port)
	start_pg_zorgd pg-b "$PB" --proxy-from 127.0.0.9
	# Instance a was started without --proxy-from: restart it behind the balancer too.
	HPORT=$(free_port)
	PA2=$(free_port)
	start_pg_zorgd pg-a2 "$PA2" --proxy-from 127.0.0.9
	cat >"$T/haproxy.cfg" <<CFG
global
    maxconn 4000
defaults
    mode tcp
    timeout connect 2s
    timeout client 60s
    timeout server 60s
frontend zorg
    bind 127.0.0.1:$HPORT
    default_backend zorgd
backend zorgd
    balance roundrobin
    server a 127.0.0.1:$PA2 check send-proxy-v2 source 127.0.0.9
    server b 127.0.0.1:$PB check send-proxy-v2 source 127.0.0.9
CFG
	haproxy -db -f "$T/haproxy.cfg" >"$T/haproxy.log" 2>&1 &
	HPID=$!
	PIDS="$PIDS $HPID"
	Z=https://127.0.0.1:$HPORT
	poll "$HPID" "$READY_SECONDS" "HAProxy" reachable "$Z/api/v1/me" ||
		{ cat "$T/haproxy.log" >&2; die "HAProxy did not start"; }
	same_bytes "$CLIENT_PATH" "$T/www$CLIENT_PATH"
	same_bytes "$CHANGES_PATH?$CHANGES_QUERY" "$T/www$CHANGES_PATH"
	wrk_run lb-client "$Z$CLIENT_PATH"
	LB_CLIENT_RPS=$RPS LB_CLIENT_P99=$P99
	wrk_run lb-changes "$Z$CHANGES_PATH?$CHANGES_QUERY"
	LB_CHANGES_RPS=$RPS LB_CHANGES_P99=$P99
fi

# ---- many long-polls held at once (last: its writes move the revision the pages above show) ------
POLLS=${BENCH_POLLS:-5000}
POLL_SECONDS=${BENCH_POLL_SECONDS:-60}
if [ "$POLLS" -gt 0 ]; then
	# One socket per poll on each side, plus files: raise the soft limit as far as allowed.
	ulimit -n "$(ulimit -H -n)" 2>/dev/null || true
	[ "$(ulimit -n)" -gt $((POLLS * 2 + 200)) ] ||
		die "ulimit -n is $(ulimit -n): too low for $POLLS long-polls (set BENCH_POLLS lower)"
	stop_pid "$ZPID"
	# The bench's own limits: room for every poll. The per-address limit stays as it is:
	# the polls come from 200 loopback source addresses (127.0.0.2 ...).
	# zorgd admits long-polls up to three quarters of --max-connections (the rest stays for
	# other requests): room for all of them.
	start_zorgd "$T/bench.db" --max-connections $((POLLS * 4 / 3 + 200))
	say "long-polls: $POLLS held for $POLL_SECONDS s on $Z while a device type changes every 5 s"
	LP=$(python3 "$ROOT/bench/longpoll.py" --port "$ZPORT" --cacert "$CACERT" --token "$TOKEN" \
		--pid "$ZPID" --polls "$POLLS" --seconds "$POLL_SECONDS" --write-every 5) ||
		die "the long-poll benchmark failed"
	# shellcheck disable=SC2086 # ten numbers, split on purpose
	set -- $LP
	[ $# -eq 10 ] || die "cannot parse longpoll.py's result: $LP"
	LP_OPEN=$1 LP_ERRORS=$2 LP_P99=$3 LP_MED=$4 LP_ME=$5 LP_THREADS=$6 LP_RSS=$7 LP_HWM=$8
	LP_ANSWERS=$9 LP_WRITES=${10}
	kill -0 "$ZPID" 2>/dev/null || { cat "$T/zorgd.log" >&2; die "zorgd died during the long-polls"; }
	LP_IDLE_RSS=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$ZPID/status")
	LP_IDLE_FDS=$(find "/proc/$ZPID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
fi

# ---- report ------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { # row LABEL ZRPS ZP99 NRPS NP99
	awk -v l="$1" -v zr="$2" -v zp="$3" -v nr="$4" -v np="$5" \
		'BEGIN { printf "%-30s %11.0f %8.2f %12.0f %8.2f %10.2f\n", l, zr, zp, nr, np, zr / nr }'
}
cat <<EOF

zorgd server benchmark: $(nproc) CPUs, wrk -t$THREADS -c$CONNECTIONS -d$DURATION over HTTPS keep-alive (warm-up $WARMUP)
zorgd $("$ZORGD" --version 2>/dev/null | head -n 1), $(nginx -v 2>&1 | sed 's/^nginx version: //'), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)
changes page: GET $CHANGES_PATH?$CHANGES_QUERY ($CHANGES_LIMIT client changes, $CHANGES_BYTES bytes); client: $CLIENT_BYTES bytes
every GET /clients/{id} on zorgd writes an audit row (NEN 7513): $Z_CLIENT_REQS in the measured run

endpoint                       zorgd req/s   p99 ms  nginx req/s   p99 ms  req/s ratio (zorgd/nginx)
EOF
row "GET $CLIENT_PATH" "$Z_CLIENT_RPS" "$Z_CLIENT_P99" "$N_CLIENT_RPS" "$N_CLIENT_P99"
row "GET /api/v1/changes page" "$Z_CHANGES_RPS" "$Z_CHANGES_P99" "$N_CHANGES_RPS" "$N_CHANGES_P99"
if [ "$BENCH_PG" = 1 ]; then
	row "PostgreSQL: GET client" "$PG_CLIENT_RPS" "$PG_CLIENT_P99" "$N_CLIENT_RPS" "$N_CLIENT_P99"
	row "PostgreSQL: changes page" "$PG_CHANGES_RPS" "$PG_CHANGES_P99" "$N_CHANGES_RPS" "$N_CHANGES_P99"
	row "2 zorgd+HAProxy: GET client" "$LB_CLIENT_RPS" "$LB_CLIENT_P99" "$N_CLIENT_RPS" "$N_CLIENT_P99"
	row "2 zorgd+HAProxy: changes" "$LB_CHANGES_RPS" "$LB_CHANGES_P99" "$N_CHANGES_RPS" "$N_CHANGES_P99"
	echo "(nginx columns: the same nginx run as above, same bytes; PostgreSQL import: $IMPORT_SECONDS s)"
fi
if [ "$POLLS" -gt 0 ]; then
	awk -v n="$POLLS" -v o="$LP_OPEN" -v e="$LP_ERRORS" -v p="$LP_P99" -v m="$LP_MED" -v c="$LP_ME" \
		-v t="$LP_THREADS" -v r="$LP_RSS" -v h="$LP_HWM" -v a="$LP_ANSWERS" -v w="$LP_WRITES" \
		-v s="$POLL_SECONDS" -v ir="$LP_IDLE_RSS" -v fd="$LP_IDLE_FDS" 'BEGIN {
		printf "\nlong-polls: %d of %d held for %d s, %d writes (each wakes every poll), %d answers\n",
			o, n, s, w, a
		printf "  errors %d (target 0); GET /api/v1/me p99 %.1f ms, median %.1f ms over %d (target p99 < 100 ms)\n",
			e, p, m, c
		printf "  zorgd: at most %d threads, RSS at most %.0f MiB (target < 200 MiB); peak %.0f MiB;\n",
			t, r / 1024, h / 1024
		printf "         after the polls ended: RSS %.0f MiB, %d open fds\n", ir / 1024, fd
	}'
fi
echo
awk -v s="$SYNC_SECONDS" -v r="$SYNC_REQUESTS" -v c="$SYNC_CLIENTS" -v n="$SYNC_CHANGES" \
	-v b="$SYNC_BYTES" -v l="$SYNC_LIMIT" -v k="$CLIENTS" \
	'BEGIN { printf "full since=0 sync (%d clients, limit=%d pages): %.2f s, %d requests, %d clients (%d changes, %.1f MiB)\n", k, l, s, r, c, n, b / 1048576 }'
awk -v k="$HWM_KB" 'BEGIN { printf "zorgd peak RSS: %.0f MiB   (VmHWM from /proc/PID/status after the whole run)\n", k / 1024 }'
awk -v k="$CLIENTS" -v s="$INIT_SECONDS" 'BEGIN { printf "demo database creation (%d clients): %.1f s\n", k, s }'
