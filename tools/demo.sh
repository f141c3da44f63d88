#!/bin/sh
# make demo: start a local zorgd with the demo organisation and open zorgterm against it.
# The database and the client's state live in demo-state/ (ignored by git); zorgd is
# stopped when zorgterm exits, whatever way it exits.
set -eu
port=${ZORGD_PORT:-8443}
# 'demo.sh users' prints who can log in (make demo does that before anything else).
users() {
cat <<MSG

  zorgd will run on https://127.0.0.1:$port (log: demo-state/zorgd.log).
  E-mail (the outbox; no SMTP server configured) goes to the maildir
  demo-state/maildir/ (one file per mail in demo-state/maildir/new/).
  Demo users, all with password 'demo':
    administrator  every task, the whole organisation
    beheerder      staff and settings, no client records
    coordinator    casemanager for Regio Noord
    zorgverlener   care provider in Wijkteam Zwolle Zuid
    support        read-only support (no BSN)
  In zorgterm: ? shows the keys, q goes back or quits.

MSG
}
if [ "${1:-}" = users ]; then
	users
	exit 0
fi
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
state="$top/demo-state"
pki="$top/build/pki"
clients=${DEMO_CLIENTS:-5000}
mkdir -p "$state"
chmod 700 "$state"
# A demo store made before zorgd required private store files (0600) would be refused:
# the demo's own files are made private here.
for f in "$state"/zorgd.db "$state"/zorgd.db-wal "$state"/zorgd.db-shm; do
	[ -f "$f" ] && chmod 600 "$f"
done


if [ ! -f "$state/zorgd.db" ]; then
	echo "demo: creating the demo organisation ($clients clients) in demo-state/zorgd.db"
	build/bin/zorgd --db "$state/zorgd.db" --init-demo --clients "$clients" --seed 1
fi

build/bin/zorgd --db "$state/zorgd.db" --listen "127.0.0.1:$port" --cert "$pki/server.pem" \
	--key "$pki/server.key" --client-ca "$pki/ca.pem" --caren-heartbeat-timeout 0 \
	2>"$state/zorgd.log" &
zpid=$!
trap 'kill "$zpid" 2>/dev/null; wait "$zpid" 2>/dev/null || true' EXIT INT TERM HUP

# Wait until zorgd answers (or has died), with a deadline.
i=0
until curl -fs --cacert "$pki/ca.pem" "https://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1; do
	if ! kill -0 "$zpid" 2>/dev/null; then
		echo "demo: zorgd did not start; its log:" >&2
		cat "$state/zorgd.log" >&2
		exit 1
	fi
	i=$((i + 1))
	if [ "$i" -gt 200 ]; then
		echo "demo: zorgd does not answer on 127.0.0.1:$port" >&2
		exit 1
	fi
	sleep 0.05
done

if [ -t 0 ] && [ -t 1 ]; then
	XDG_STATE_HOME="$state/client-state" XDG_CACHE_HOME="$state/client-cache" \
		build/bin/zorgterm --server "https://127.0.0.1:$port" --ca-file "$pki/ca.pem" || true
else
	users
	echo "demo: no terminal here; zorgd keeps running until you press Ctrl-C."
	wait "$zpid"
fi
