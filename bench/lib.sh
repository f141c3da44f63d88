# Shared helpers of the benchmark scripts (sourced, not run). The including script sets
# BENCH_NAME, ROOT, PKI, READY_SECONDS and T (its temporary directory) first; PIDS lists the
# servers to stop on exit.
PIDS=

die() {
	echo "bench/$BENCH_NAME: error: $*" >&2
	exit 1
}
say() {
	echo "bench/$BENCH_NAME: $*" >&2
}
need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found: install the Debian package $2 (as root: apt-get install $2, or sh tools/deps.sh bench)"
}
stop_pid() { # stop_pid PID: SIGTERM, wait up to 10 s, then SIGKILL
	kill -TERM "$1" 2>/dev/null || return 0
	_i=0
	while kill -0 "$1" 2>/dev/null && [ $_i -lt 200 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
cleanup() {
	set +e
	for _p in $PIDS; do
		stop_pid "$_p"
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# poll PID SECONDS WHAT COMMAND...: run COMMAND until it succeeds; fail when PID has exited or
# SECONDS have passed. The short pause between tries is polling, not synchronisation.
poll() {
	_pid=$1 _deadline=$(($(date +%s) + $2)) _what=$3
	shift 3
	while ! "$@" >/dev/null 2>&1; do
		kill -0 "$_pid" 2>/dev/null || return 2
		[ "$(date +%s)" -lt "$_deadline" ] || die "$_what not ready after ${READY_SECONDS}s"
		sleep 0.05
	done
}
reachable() { # reachable URL: TLS handshake with the dev CA and an HTTP answer of any status
	curl -s -o /dev/null --max-time 2 --cacert "$CACERT" "$1"
}
check_pki() {
	for _f in server.pem server.key ca.pem; do
		[ -r "$PKI/$_f" ] || die "no $PKI/$_f: run 'make certs' first"
	done
	CACERT=$PKI/ca.pem
}

# start_zorgd DB [ARGS]: serve DB on a port the kernel picks (zorgd logs it); sets ZPID, ZPORT,
# Z. ARGS go to zorgd as they are.
start_zorgd() {
	_db=$1
	shift
	"$ZORGD" --db "$_db" --listen 127.0.0.1:0 --cert "$PKI/server.pem" --key "$PKI/server.key" \
		"$@" >"$T/zorgd.log" 2>&1 &
	ZPID=$!
	PIDS="$PIDS $ZPID"
	poll "$ZPID" "$READY_SECONDS" "zorgd" zorgd_port ||
		{ cat "$T/zorgd.log" >&2; die "zorgd exited during start-up"; }
	ZPORT=$(zorgd_port)
	Z=https://127.0.0.1:$ZPORT
	poll "$ZPID" "$READY_SECONDS" "zorgd on $Z" reachable "$Z/api/v1/me" ||
		{ cat "$T/zorgd.log" >&2; die "zorgd exited during start-up"; }
	say "zorgd (pid $ZPID) listens on $Z"
}
zorgd_port() {
	sed -n 's/.*listening on .*(port \([0-9][0-9]*\)).*/\1/p' "$T/zorgd.log" | grep -v '^0$' | head -n 1 | grep .
}
