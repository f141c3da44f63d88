#!/bin/sh
# The install step of 'make check', 'make demo' and 'make bench': installs the missing Debian
# packages (as root) or prints the exact apt-get line, then the pinned npm test tools.
# Usage: tools/deps.sh [core|cluster|check|bench|all]
#   core: what make demo needs; check: core + test tools + the pinned npm contract tools;
#   bench: core + check + the benchmark peers; all: everything.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
want=${1:-core}

pkgs=$(awk -v want="$want" '
	/^# section: bench/ { sec = "bench"; next }
	/^# section: check/ { sec = "check"; next }
	/^# section: cluster/ { sec = "cluster"; next }
	/^# section:/ { sec = "core"; next }
	/^#/ || NF == 0 { next }
	want == "all" || sec == want || sec == "core" || (want == "bench" && sec == "check") ||
	(sec == "cluster" && (want == "check" || want == "bench")) { print $1 }
' "$here/debian-packages.txt")

# The fuzz targets build cJSON from Debian's own source package (apt-get source), which
# needs deb-src entries for the same archives the machine installs from (the security
# archive too: the installed libcjson-dev may be a security update). Add them (check only).
add_deb_src() {
	list=/etc/apt/sources.list.d/zorgterm-deb-src
	[ -f "$list.sources" ] || [ -f "$list.list" ] && return 0
	grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/ && return 0
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed 's/^Types: *deb *$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$list.sources"
	elif grep -qs '^deb ' /etc/apt/sources.list; then
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$list.list"
	else
		echo "deps: no Debian archive found to add deb-src entries for" >&2
		return 1
	fi
	echo "deps: added deb-src entries for the Debian archives in use"
	need_update=1
}
need_update=0
# 'cluster' (make demo-cluster) is core plus PostgreSQL and HAProxy: no test tools.
light=no
case $want in core | cluster) light=yes ;; esac
if [ "$light" = no ] && [ "$(id -u)" = 0 ]; then
	add_deb_src
fi

missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
# Node.js and npm run the API-contract tools (make check only); any node/npm will do.
if [ "$light" = no ] && { ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; }; then
	missing="$missing nodejs npm"
fi

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		need_update=0
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "deps: missing Debian packages. Run as root:" >&2
		echo "  apt-get install -y$missing" >&2
		exit 1
	fi
fi

[ "$need_update" = 1 ] && apt-get update -qq
[ "$light" = yes ] && exit 0
# The pinned API-contract tools (redocly lint, prism proxy), from package-lock.json.
npmdir="$here/npm"
stamp="$npmdir/node_modules/.zorgterm-stamp"
if [ ! -f "$stamp" ] || [ "$npmdir/package-lock.json" -nt "$stamp" ]; then
	echo "deps: installing the pinned npm test tools"
	(cd "$npmdir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
	touch "$stamp"
fi
