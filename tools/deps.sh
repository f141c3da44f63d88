#!/bin/sh
# The install step of 'make check', 'make demo' and 'make bench': installs the missing Debian
# packages (as root) or prints the exact apt-get line, then the pinned npm test tools.
# Usage: tools/deps.sh [core|check|bench|all]
#   core: what make demo needs; check: core + test tools + the pinned npm contract tools;
#   bench: core + check + the benchmark peers; all: everything.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
want=${1:-core}

pkgs=$(awk -v want="$want" '
	/^# section: bench/ { sec = "bench"; next }
	/^# section: check/ { sec = "check"; next }
	/^# section:/ { sec = "core"; next }
	/^#/ || NF == 0 { next }
	want == "all" || sec == want || sec == "core" || (want == "bench" && sec == "check") { print $1 }
' "$here/debian-packages.txt")

missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
# Node.js and npm run the API-contract tools (make check only); any node/npm will do.
if [ "$want" != core ] && ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "deps: missing Debian packages. Run as root:" >&2
		echo "  apt-get install -y$missing" >&2
		exit 1
	fi
fi

[ "$want" = core ] && exit 0
# The pinned API-contract tools (redocly lint, prism proxy), from package-lock.json.
npmdir="$here/npm"
stamp="$npmdir/node_modules/.zorgterm-stamp"
if [ ! -f "$stamp" ] || [ "$npmdir/package-lock.json" -nt "$stamp" ]; then
	echo "deps: installing the pinned npm test tools"
	(cd "$npmdir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
	touch "$stamp"
fi
