#!/bin/sh
# Fetch Debian's own source of cJSON, the exact version the installed libcjson-dev was built
# from, into DIR (once; 'make check' keeps it under build/). The fuzz targets compile it with
# the fuzzer's instrumentation, so that coverage and ASan reach inside the JSON parser.
# Needs the deb-src entries tools/deps.sh check adds, and dpkg-dev to unpack.
# Usage: tools/cjson-src.sh DIR
set -eu
dir=$1
[ -f "$dir/cJSON.c" ] && [ -f "$dir/include/cjson/cJSON.h" ] && exit 0
ver=$(dpkg-query -W -f='${source:Version}' libcjson-dev 2>/dev/null || true)
spec=cjson${ver:+=$ver}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! (cd "$tmp" && apt-get source -qq "$spec" >"$tmp/log" 2>&1); then
	cat "$tmp/log" >&2
	echo "cjson-src: 'apt-get source $spec' failed; 'sh tools/deps.sh check' (as root) adds" \
		"the deb-src entries it needs" >&2
	exit 1
fi
src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'cjson-*' | head -n 1)
[ -n "$src" ] && [ -f "$src/cJSON.c" ] || { echo "cjson-src: no cJSON.c in the source package" >&2; exit 1; }
mkdir -p "$dir/include/cjson"
cp "$src/cJSON.c" "$src/cJSON.h" "$dir/"
cp "$src/cJSON.h" "$dir/include/cjson/"
cp "$tmp"/*.dsc "$dir/" 2>/dev/null || true
echo "cjson-src: Debian source $spec in $dir"
