#!/bin/sh
# Runs the test levels and prints one closing line 'Total: N passed, N failed'.
# Usage: tests/tools/run-suite.sh [unit] [api] [api-pg] [cluster] [contract] [failure] [tui] [san] [clang] [fuzz] [tls] [pkg]
#   clang: the whole tree built again with clang and -Werror (warnings of either compiler
#   fail), then the unit tests of that build
#   api-pg: the api level again with zorgd on a private PostgreSQL
#   cluster: several instances on a private PostgreSQL the harness starts and stops
#   (no arguments: every level). BUILD selects the build tree (default build).
# A level that runs no test counts as a failure: an empty suite proves nothing.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
export BUILD
levels=${*:-"unit api api-pg cluster contract failure tui san clang fuzz tls pkg"}
logs="$BUILD/test-logs"
mkdir -p "$logs"
total_pass=0
total_fail=0

# count LEVEL LOG: add the counts a level printed to the totals.
count() {
	level=$1
	log=$2
	rc=$3
	p=0
	f=0
	# cmocka summaries
	cp=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\..*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	cf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	# plain summaries of our own harnesses: "[word:] N passed, N failed"
	hp=$(sed -n 's/^\([A-Za-z-]*: \)\{0,1\}\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
	hf=$(sed -n 's/^\([A-Za-z-]*: \)\{0,1\}\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\3/p' "$log" | awk '{s+=$1} END {print s+0}')
	p=$((cp + hp))
	f=$((cf + hf))
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "run-suite: level '$level' ran no test" >&2
		f=1
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "run-suite: level '$level' exited $rc" >&2
		f=1
	fi
	echo "== $level: $p passed, $f failed"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

# run LEVEL CMD...: run a level, showing and keeping its output.
run() {
	level=$1
	shift
	log="$logs/$level.log"
	echo "== $level"
	("$@") >"$log" 2>&1
	rc=$?
	# The harnesses' own lines, without their summary lines (counted below instead).
	grep -v -E '^([A-Za-z-]*: )?[0-9]+ passed, [0-9]+ failed' "$log" | sed 's/^/   /' | tail -n 60
	count "$level" "$log" "$rc"
}

unit_level() {
	rc=0
	found=0
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		found=1
		"$t" || rc=1
	done
	[ "$found" = 1 ] || return 1
	return $rc
}

lint_level() {
	if tools/npm/node_modules/.bin/redocly lint --format=stylish etc/openapi.yaml; then
		echo "1 passed, 0 failed"
	else
		echo "0 passed, 1 failed"
		return 1
	fi
}

fuzz_level() {
	rc=0
	passed=0
	failed=0
	for f in "$BUILD"/fuzz/fuzz_*; do
		[ -x "$f" ] || continue
		n=$(basename "$f")
		corpus="tests/fuzz/corpus/$n"
		work=$(mktemp -d)
		if "$f" -runs=20000 -max_len=4096 "$work" ${corpus:+"$corpus"} >"$work.log" 2>&1; then
			passed=$((passed + 1))
			echo "ok   $n"
		else
			failed=$((failed + 1))
			echo "FAIL $n"
			tail -n 30 "$work.log"
			rc=1
		fi
		rm -rf "$work" "$work.log"
	done
	echo "$passed passed, $failed failed"
	return $rc
}

for level in $levels; do
	case $level in
	unit) run unit unit_level ;;
	api) run api python3 tests/api/run.py --build "$BUILD" ;;
	api-pg) run api-pg python3 tests/api/run.py --build "$BUILD" --backend postgresql ;;
	cluster) run cluster python3 tests/cluster/run.py --build "$BUILD" ;;
	contract)
		run openapi-lint lint_level
		run contract python3 tests/api/run.py --build "$BUILD" --via-prism
		;;
	failure) run failure python3 tests/failure/outbox_kill.py --build "$BUILD" ;;
	tui)
		if [ -f tests/tui/run.py ]; then
			run tui python3 tests/tui/run.py --build "$BUILD"
		fi
		;;
	san)
		echo "== building with ASan+UBSan"
		if make --no-print-directory SAN=1 BUILD=build-san all >"$logs/san-build.log" 2>&1; then
			BUILD=build-san
			export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
			run san-unit unit_level
			run san-api python3 tests/api/run.py --build build-san
			run san-tui python3 tests/tui/run.py --build build-san
			run san-cluster python3 tests/cluster/run.py --build build-san
			run san-pkg python3 tests/pkg/run.py --build build-san --no-deb
		else
			tail -n 40 "$logs/san-build.log"
			count san-build "$logs/san-build.log" 1
		fi
		BUILD=build
		;;
	clang)
		echo "== building with clang (-Werror)"
		if make --no-print-directory CC=clang BUILD=build-clang all >"$logs/clang-build.log" 2>&1; then
			BUILD=build-clang
			run clang-unit unit_level
		else
			grep -E 'error|warning' "$logs/clang-build.log" | tail -n 40
			count clang-build "$logs/clang-build.log" 1
		fi
		BUILD=build
		;;
	fuzz)
		if make --no-print-directory BUILD="$BUILD" check-fuzz-build >"$logs/fuzz-build.log" 2>&1; then
			run fuzz fuzz_level
		else
			tail -n 40 "$logs/fuzz-build.log"
			count fuzz-build "$logs/fuzz-build.log" 1
		fi
		;;
	pkg) run pkg python3 tests/pkg/run.py --build "$BUILD" ;;
	tls) run tls python3 tests/tls/run.py --build "$BUILD" ;;
	*) echo "run-suite: unknown level '$level'" >&2; total_fail=$((total_fail + 1)) ;;
	esac
done

echo "Total: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]
