#!/bin/sh
# make demo-cluster: a private PostgreSQL, two zorgd sharing it, HAProxy in front (TCP mode,
# PROXY v2 so zorgd sees the real client), and zorgterm through the balancer. Everything
# listens on loopback; state lives in demo-cluster-state/ (ignored by git). Everything is
# stopped, by its PID, when zorgterm exits.
#   balancer  https://127.0.0.1:${ZORGD_PORT:-8443}
#   zorgd     127.0.0.1:8444 and 127.0.0.1:8445 (HAProxy connects from 127.0.0.9)
#   postgres  127.0.0.1:${PG_PORT:-55432}, socket in demo-cluster-state/pgsock
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
port=${ZORGD_PORT:-8443}
pgport=${PG_PORT:-55432}
pgbin=${ZT_PG_BIN:-/usr/lib/postgresql/15/bin}
state="$top/demo-cluster-state"
pki="$top/build/pki"
clients=${DEMO_CLIENTS:-5000}
mkdir -p "$state/pgsock"
chmod 755 "$state"

# PostgreSQL refuses to run as root: run it as the system user 'postgres' then.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
	chown postgres "$state/pgsock"
	[ -d "$state/pg" ] && chown -R postgres "$state/pg"
fi

pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT INT TERM HUP

# wait_for WHAT PID CMD...: run CMD until it succeeds (deadline 20 s) or PID has died.
wait_for() {
	what=$1
	pid=$2
	shift 2
	i=0
	until "$@" >/dev/null 2>&1; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "demo-cluster: $what did not start; see demo-cluster-state/" >&2
			exit 1
		fi
		i=$((i + 1))
		if [ "$i" -gt 400 ]; then
			echo "demo-cluster: $what does not answer" >&2
			exit 1
		fi
		sleep 0.05
	done
}

if [ ! -f "$state/pg/PG_VERSION" ]; then
	echo "demo-cluster: initdb in demo-cluster-state/pg"
	mkdir -p "$state/pg"
	[ "$(id -u)" = 0 ] && chown postgres "$state/pg"
	as_pg "$pgbin/initdb" -D "$state/pg" -U postgres --auth=trust --encoding=UTF8 \
		--locale=C.UTF-8 >"$state/initdb.log"
fi
as_pg "$pgbin/postgres" -D "$state/pg" -h 127.0.0.1 -p "$pgport" -k "$state/pgsock" \
	>"$state/postgres.log" 2>&1 &
pids="$pids $!"
wait_for PostgreSQL "$!" "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pgport" -U postgres
url="postgresql://postgres@127.0.0.1:$pgport/zorg"

if ! "$pgbin/psql" -X -At -d "postgresql://postgres@127.0.0.1:$pgport/postgres" \
	-c "SELECT 1 FROM pg_database WHERE datname = 'zorg'" | grep -q 1; then
	echo "demo-cluster: creating the demo organisation ($clients clients) and importing it"
	"$pgbin/psql" -X -q -d "postgresql://postgres@127.0.0.1:$pgport/postgres" \
		-c "CREATE DATABASE zorg"
	rm -f "$state/seed.db"
	build/bin/zorgd --db "$state/seed.db" --init-demo --clients "$clients" --seed 1
	build/bin/zorgd --db "$url" --import "sqlite:$state/seed.db" 2>"$state/import.log"
fi

for p in 8444 8445; do
	build/bin/zorgd --db "$url" --listen "127.0.0.1:$p" --cert "$pki/server.pem" \
		--key "$pki/server.key" --client-ca "$pki/ca.pem" --proxy-from 127.0.0.9 \
		--caren-key-file "$state/seed.db.caren-key" --maildir "$state/maildir" \
		2>"$state/zorgd-$p.log" &
	pids="$pids $!"
done

cat >"$state/haproxy.cfg" <<CFG
global
    maxconn 2000
defaults
    mode tcp
    timeout connect 2s
    timeout client 120s
    timeout server 120s
    retries 2
    option redispatch
frontend zorg
    bind 127.0.0.1:$port
    default_backend zorgd
backend zorgd
    balance roundrobin
    server a 127.0.0.1:8444 check inter 500ms send-proxy-v2 source 127.0.0.9
    server b 127.0.0.1:8445 check inter 500ms send-proxy-v2 source 127.0.0.9
CFG
haproxy -db -f "$state/haproxy.cfg" >"$state/haproxy.log" 2>&1 &
hpid=$!
pids="$pids $hpid"
wait_for "zorgd behind HAProxy" "$hpid" \
	curl -fs --cacert "$pki/ca.pem" "https://127.0.0.1:$port/api/v1/health"

echo "demo-cluster: zorgterm -> HAProxy 127.0.0.1:$port -> zorgd 8444/8445 -> PostgreSQL $pgport"
sh tools/demo.sh users
if [ -t 0 ] && [ -t 1 ]; then
	XDG_STATE_HOME="$state/client-state" XDG_CACHE_HOME="$state/client-cache" \
		build/bin/zorgterm --server "https://127.0.0.1:$port" --ca-file "$pki/ca.pem" || true
else
	echo "demo-cluster: no terminal here; everything keeps running until you press Ctrl-C."
	wait "$hpid"
fi
