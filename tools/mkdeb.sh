#!/bin/sh
# make deb: builds the Debian packages zorgd and zorgterm with debhelper from a copy of
# this source tree (so the build never touches the tree or its parent directory).
# Usage: tools/mkdeb.sh OUTDIR     -> OUTDIR/zorgd_*.deb, OUTDIR/zorgterm_*.deb
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
case $out in /*) ;; *) out=$top/$out ;; esac
for t in dpkg-buildpackage dh; do
	command -v $t >/dev/null 2>&1 || {
		echo "mkdeb: $t is missing: apt-get install debhelper dpkg-dev fakeroot" >&2
		exit 1
	}
done
version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$top/debian/changelog")
src=$out/src/zorgterm-$version
rm -rf "$out"
mkdir -p "$src"
# The tree without build output, local state and the npm tools.
(cd "$top" && tar -cf - --exclude=./build --exclude=./build-san --exclude=./build-deb \
	--exclude=./.git --exclude=./demo-state --exclude=./tools/npm/node_modules .) |
	(cd "$src" && tar -xf -)
root=
[ "$(id -u)" = 0 ] || root=-rfakeroot
(cd "$src" && dpkg-buildpackage -b -us -uc $root -j2) >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	echo "mkdeb: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
}
mv "$out"/src/*.deb "$out"/src/*.changes "$out"/src/*.buildinfo "$out"/ 2>/dev/null || true
rm -rf "$out/src"
ls "$out"/*.deb
