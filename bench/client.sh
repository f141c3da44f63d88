#!/bin/sh
# bench/client: zorgterm with a 100,000-client replica.
#
#   1. creates a 100,000-client demo database (zorgd --init-demo, seed 1) in a temporary
#      directory and turns it into a replica through the client core's own code path
#      (bench_search --make-replica: change-feed pages of 5,000 applied with replica_apply_page);
#   2. incremental search: types a fixed list of queries one character at a time and times each
#      view_update (median and worst per keystroke), and, for the same prefixes over the same
#      clients, `fzf --filter PREFIX < names.txt > /dev/null` (one process per keystroke, as a
#      user would run it); fzf's peak RSS over the same names is the peer of zorgterm's;
#   2b. the Ons Cliënt dashboard from the replica (issue 9): the counts per status and the
#      first page of clients with their Caren status, cold (replica just opened, index
#      loaded) and warm (20 more times; target under 50 ms), by bench_search --caren on the
#      replica of step 1, which also holds Caren facts for 40% of the clients;
#   3. starts zorgd on a free loopback port and drives the real zorgterm in a pseudo-terminal
#      read by libvterm (tests/tools/vtdrive): logs in as administrator, times the initial full
#      sync, searches, reads zorgterm's peak RSS, quits; then times five starts with the warm
#      replica until the first list row is painted, and counts the bytes zorgterm writes to the
#      terminal when the list scrolls one line and one page (bench/client_tui.py);
#   4. checks that the replica zorgterm wrote while syncing holds the same clients as the one
#      made in step 1.
#
# Run from anywhere as 'sh bench/client.sh' after 'make all certs build/bin/bench_search'
# ('make bench' does all). Needs the Debian packages fzf, curl and python3.
# Settings (environment): ZORGD, ZORGTERM, VTDRIVE, BENCH_SEARCH (binaries), PKI (directory with
# server.pem, server.key, ca.pem), BENCH_CLIENTS [100000], BENCH_SEARCH_ROUNDS [5],
# BENCH_STARTS [5], CLIENT_SIZES (e.g. "10000 100000 1000000": the whole benchmark once per
# size, then a table of how search, warm start, peak RSS and the full sync grow; 'make bench'
# sets it, CLIENT_SIZES=100000 makes it one quick run). The demo database of each size is
# written by zorgd --init-demo straight into SQLite in one transaction (1,000,000 clients in
# about 20 s), not through the API.
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)

# ---- several sizes: run this script once per size, then the growth table ------------------------
if [ -n "${CLIENT_SIZES:-}" ] && [ -z "${BENCH_GROWTH_ROWS:-}" ]; then
	rows=$(mktemp "${TMPDIR:-/tmp}/zorgterm-growth.XXXXXX")
	trap 'rm -f "$rows"' EXIT
	for n in $CLIENT_SIZES; do
		BENCH_CLIENTS=$n BENCH_GROWTH_ROWS=$rows sh "$ROOT/bench/client.sh"
	done
	printf '\nzorgterm: how cost grows with the number of clients (each row beside its peers in the same run)\n'
	awk 'BEGIN {
		printf "%9s %11s %11s %17s %9s %9s %10s %8s %8s %6s\n", "clients", "search med", "search max",
			"warm start", "echo", "htop", "peak RSS", "sync", "curl", "ratio"
	}
	{
		htop = $6 < 0 ? "-" : sprintf("%.0f ms", $6 * 1000) # -1: htop not installed
		printf "%9d %8.2f ms %8.2f ms %8.0f ms (+%3.0f) %6.0f ms %9s %6.1f MiB %6.2f s %6.2f s %6.2f\n",
			$1, $3 / 1000, $2 / 1000, $4 * 1000, ($4 - $5) * 1000, $5 * 1000, htop, $7 / 1024, $8, $9, $8 / $9
	}' "$rows"
	printf '%s\n' "(search: per keystroke in process; warm start: to the first painted list row, (+ms over echo);" \
		"peak RSS: VmHWM after the full sync and searching; sync: full since=0 sync, zorgterm beside curl)"
	exit 0
fi
ZORGD=${ZORGD:-$ROOT/build/bin/zorgd}
ZORGTERM=${ZORGTERM:-$ROOT/build/bin/zorgterm}
VTDRIVE=${VTDRIVE:-$ROOT/build/bin/vtdrive}
BENCH_SEARCH=${BENCH_SEARCH:-$ROOT/build/bin/bench_search}
PKI=${PKI:-$ROOT/build/pki}
CLIENTS=${BENCH_CLIENTS:-100000}
SEED=1
ROUNDS=${BENCH_SEARCH_ROUNDS:-5}
STARTS=${BENCH_STARTS:-5}
READY_SECONDS=20

T=$(mktemp -d "${TMPDIR:-/tmp}/zorgterm-bench.XXXXXX")
BENCH_NAME=client
. "$ROOT/bench/lib.sh"
need fzf fzf
need curl curl
need python3 python3
[ -x "$ZORGD" ] || die "no zorgd binary at $ZORGD: run 'make all' first"
[ -x "$ZORGTERM" ] || die "no zorgterm binary at $ZORGTERM: run 'make all' first"
[ -x "$VTDRIVE" ] || die "no vtdrive binary at $VTDRIVE: run 'make all' first"
[ -x "$BENCH_SEARCH" ] || die "no bench_search binary at $BENCH_SEARCH: run 'make build/bin/bench_search' first"
check_pki

# ---- demo database and replica ---------------------------------------------------------------
say "creating the demo database ($CLIENTS clients, seed $SEED) in $T"
"$ZORGD" --db "$T/zorgd.db" --init-demo --clients "$CLIENTS" --seed "$SEED" >"$T/init.log" 2>&1 ||
	{ cat "$T/init.log" >&2; die "zorgd --init-demo failed"; }
"$BENCH_SEARCH" --make-replica "$T/zorgd.db" "$T/replica.db" || die "bench_search --make-replica failed"

# ---- incremental search: zorgterm's view_update against fzf --filter -------------------------
say "incremental search: $ROUNDS rounds of zorgterm's view_update, one round of fzf --filter"
SEARCH=$("$BENCH_SEARCH" --reps "$ROUNDS" --fzf "$T/names.txt" "$T/replica.db") ||
	die "bench_search failed"
# shellcheck disable=SC2086 # nine numbers, split on purpose
set -- $SEARCH
[ $# -eq 9 ] || die "cannot parse bench_search's result: $SEARCH"
S_CLIENTS=$1 S_QUERIES=$2 S_KEYS=$3 ZT_MED=$4 ZT_WORST=$5 FZF_MED=$6 FZF_WORST=$7 LOAD_MS=$8
FZF_EMPTY=$9
[ "$S_CLIENTS" -eq "$CLIENTS" ] || die "the replica holds $S_CLIENTS clients, not $CLIENTS"
NAMES=$(wc -l <"$T/names.txt")
[ "$NAMES" -eq "$CLIENTS" ] || die "names.txt has $NAMES lines, not $CLIENTS"
# The peer of zorgterm's peak RSS: fzf holding the same names while it filters them (its
# peak RSS in KiB, read by the parent from getrusage).
FZF_HWM_KB=$(python3 -c 'import resource, subprocess, sys
with open(sys.argv[1], "rb") as f:
    subprocess.run(["fzf", "--filter", "c"], stdin=f, stdout=subprocess.DEVNULL, check=False)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$T/names.txt") ||
	die "cannot measure fzf's peak RSS"
[ "$FZF_HWM_KB" -gt 0 ] || die "fzf's peak RSS reads $FZF_HWM_KB KiB"

# ---- Ons Cliënt dashboard from the replica: counts + first page, cold and warm -------------------
say "Ons Cliënt dashboard: counts per status and the first page with statuses, from the replica"
CAREN=$("$BENCH_SEARCH" --caren 20 "$T/replica.db") || die "bench_search --caren failed"
# shellcheck disable=SC2086 # seven numbers, split on purpose
set -- $CAREN
[ $# -eq 7 ] || die "cannot parse bench_search --caren's result: $CAREN"
[ "$1" -eq "$CLIENTS" ] || die "the dashboard counted $1 clients, not $CLIENTS"
CAREN_COLD=$2 CAREN_WARM=$3 CAREN_WORST=$4

# ---- zorgd -------------------------------------------------------------------------------------
start_zorgd "$T/zorgd.db"

# ---- zorgterm in a terminal ----------------------------------------------------------------------
mkdir -p "$T/home"
TUI=$(python3 "$ROOT/bench/client_tui.py" --zorgterm "$ZORGTERM" --vtdrive "$VTDRIVE" \
	--server "$Z" --ca-file "$CACERT" --home "$T/home" --clients "$CLIENTS" --runs "$STARTS") ||
	{ tail -n 20 "$T/home/state/zorgterm/zorgterm.log" >&2 2>/dev/null; die "the terminal part failed"; }
# shellcheck disable=SC2086 # ten numbers, split on purpose
set -- $TUI
[ $# -eq 12 ] || die "cannot parse client_tui.py's result: $TUI"
SYNC_S=$1 WARM_MED=$2 WARM_MIN=$3 WARM_MAX=$4 WARM_RUNS=$5 HWM_KB=$6 WARM_HWM_KB=$7
LINE_BYTES=$8 PAGE_BYTES=$9 VISIBLE=${10} ECHO_S=${11} HTOP_S=${12}
kill -0 "$ZPID" 2>/dev/null || { cat "$T/zorgd.log" >&2; die "zorgd died during the benchmark"; }

# ---- the peer of the full sync: curl fetching the same pages from the same zorgd ------------------
say "full since=0 sync with curl (limit=1000 pages, the pages zorgterm fetches)"
login=$(curl -sS --cacert "$CACERT" -H 'Content-Type: application/json' \
	--data-binary '{"username":"administrator","password":"demo"}' "$Z/api/v1/session") ||
	die "POST /api/v1/session failed"
printf 'Authorization: Bearer %s\n' "$(printf '%s' "$login" |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')" >"$T/auth.header"
CURL_SYNC=$(python3 "$ROOT/bench/full-sync.py" --base "$Z" --cacert "$CACERT" \
	--header-file "$T/auth.header" --limit 1000) || die "the curl full sync failed"
CURL_SYNC_S=${CURL_SYNC%% *}
kill -0 "$ZPID" 2>/dev/null || { cat "$T/zorgd.log" >&2; die "zorgd died during the benchmark"; }

# ---- the replica zorgterm wrote is the one bench_search measured --------------------------------
python3 - "$T/replica.db" "$T/home/cache" <<'EOF' || die "zorgterm's replica differs from the benchmark's"
import glob, os, sqlite3, sys
found = [p for p in glob.glob(os.path.join(sys.argv[2], "**", "*.db"), recursive=True)]
assert len(found) == 1, f"expected one replica under {sys.argv[2]}, found {found}"
db = sqlite3.connect(sys.argv[1])
db.execute("ATTACH DATABASE ? AS zt", (found[0],))
cols = "id, client_number, name, fold, birth_date, location_id"
for a, b in (("main", "zt"), ("zt", "main")):
    n = db.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {a}.clients"
                   f" EXCEPT SELECT {cols} FROM {b}.clients)").fetchone()[0]
    assert n == 0, f"{n} clients of {a} are not in {b}"
EOF
say "zorgterm's own replica holds exactly the clients bench_search measured"

# ---- one row of the growth table (CLIENT_SIZES) ----------------------------------------------------
if [ -n "${BENCH_GROWTH_ROWS:-}" ]; then
	echo "$CLIENTS $ZT_WORST $ZT_MED $WARM_MED $ECHO_S $HTOP_S $HWM_KB $SYNC_S $CURL_SYNC_S" >>"$BENCH_GROWTH_ROWS"
fi

# ---- report --------------------------------------------------------------------------------------
cat <<EOF

zorgterm client benchmark: $(nproc) CPUs, $CLIENTS clients (demo seed $SEED), $(fzf --version | head -n 1 | sed 's/^/fzf /')
search: $S_KEYS keystrokes ($S_QUERIES queries typed one character at a time); zorgterm: $ROUNDS rounds of
view_update in process; fzf: 'fzf --filter PREFIX < names.txt > /dev/null' once per keystroke
(a new process each time, as a user would run it; names.txt: "NUMBER NAME" per client)

measure                                                   value
EOF
awk -v m="$ZT_MED" -v w="$ZT_WORST" -v fm="$FZF_MED" -v fw="$FZF_WORST" -v fe="$FZF_EMPTY" \
	-v l="$LOAD_MS" 'BEGIN {
	printf "%-57s %8.3f ms\n", "search per keystroke, zorgterm, median", m / 1000
	printf "%-57s %8.3f ms\n", "search per keystroke, zorgterm, worst (median of rounds)", w / 1000
	printf "%-57s %8.3f ms\n", "search per keystroke, fzf --filter, median", fm / 1000
	printf "%-57s %8.3f ms\n", "search per keystroke, fzf --filter, worst", fw / 1000
	printf "%-57s %8.3f ms\n", "  (of which fzf process start on empty input, median)", fe / 1000
	printf "%-57s %8.4f    (lower is better for zorgterm; fzf takes %.0fx as long)\n",
		"ratio of medians, zorgterm / fzf", m / fm, fm / m
	printf "%-57s %8.1f ms\n", "clients_load of the replica (part of every start), median", l
}'
awk -v c="$CAREN_COLD" -v w="$CAREN_WARM" -v x="$CAREN_WORST" 'BEGIN {
	printf "%-57s %8.1f ms  (replica opened, index loaded, first dashboard)\n",
		"Ons Cliënt dashboard, counts + first page, cold", c
	printf "%-57s %8.1f ms  (worst %.1f; target under 50 ms)\n",
		"Ons Cliënt dashboard, counts + first page, warm, median", w, x
}'
awk -v m="$WARM_MED" -v a="$WARM_MIN" -v b="$WARM_MAX" -v n="$WARM_RUNS" -v s="$SYNC_S" \
	-v h="$HWM_KB" -v wh="$WARM_HWM_KB" -v lb="$LINE_BYTES" -v pb="$PAGE_BYTES" -v v="$VISIBLE" \
	-v k="$CLIENTS" 'BEGIN {
	printf "%-57s %8.0f ms  (min %.0f, max %.0f, %d starts)\n",
		"start to first painted list row, warm replica, median", m * 1000, a * 1000, b * 1000, n
	printf "%-57s %8.2f s\n", sprintf("initial full sync (Enter at login to \"%d cliënten\")", k), s
	printf "%-57s %8.1f MiB\n", "zorgterm peak RSS (VmHWM), full sync + searching", h / 1024
	printf "%-57s %8.1f MiB\n", "zorgterm peak RSS (VmHWM), warm start + scrolling", wh / 1024
	printf "%-57s %8d bytes\n", "written to the terminal, list scrolls one line (80x24)", lb
	printf "%-57s %8d bytes  (%d list rows visible)\n", "written to the terminal, list scrolls one page", pb, v
}'
# The rows of issue 11's table, each beside its peer measured in this run.
awk -v m="$WARM_MED" -v e="$ECHO_S" -v h="$HTOP_S" -v w="$ZT_WORST" -v hw="$HWM_KB" \
	-v s="$SYNC_S" -v c="$CURL_SYNC_S" -v k="$CLIENTS" -v fw="$FZF_WORST" -v fh="$FZF_HWM_KB" 'BEGIN {
	printf "\n%-44s %12s %22s %9s %s\n", "issue 11 (zorgterm side)", "zorgterm", "peer", "ratio", "target"
	printf "%-44s %9.0f ms %15s %3.0f ms %9s %s\n", "warm start to first painted list row",
		m * 1000, "echo", e * 1000, sprintf("+%.0f ms", (m - e) * 1000), "<= echo + 50 ms"
	if (h >= 0)
		printf "%-44s %12s %15s %3.0f ms %9s\n", "", "", "htop", h * 1000,
			sprintf("+%.0f ms", (h - e) * 1000)
	printf "%-44s %9.1f MiB %11s %6.1f MiB %9.2f %s\n", "peak RSS, full sync and searching", hw / 1024,
		"fzf (names)", fh / 1024, hw / fh, "<= 32 MiB"
	printf "%-44s %9.3f ms %11s %7.3f ms %9.2f %s\n", "search per keystroke, worst (med. of rounds)",
		w / 1000, "fzf --filter", fw / 1000, w / fw, "<= 8 ms"
	printf "%-44s %10.2f s %15s %5.2f s %9.2f %s\n", sprintf("full since=0 sync, %d clients", k), s,
		"curl", c, s / c, "<= 1.2"
}'
