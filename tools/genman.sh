#!/bin/sh
# Writes a man page from its template: @VERSION@ and @DATE@ filled in, and the line
# '.\" @OPTIONS@' replaced by the OPTIONS section the program prints from its option
# table (PROGRAM --man-options), so --help, the example config and the man page agree.
# Usage: tools/genman.sh TEMPLATE PROGRAM VERSION DATE OUT
set -eu
tmpl=$1 prog=$2 version=$3 date=$4 out=$5
mkdir -p "$(dirname "$out")"
# No user configuration may change what the table prints.
XDG_CONFIG_HOME=/nonexistent HOME=/nonexistent "$prog" --man-options >"$out.options"
awk -v opts="$out.options" -v version="$version" -v date="$date" '
	$0 == ".\\\" @OPTIONS@" { while ((getline line < opts) > 0) print line; next }
	{ gsub(/@VERSION@/, version); gsub(/@DATE@/, date); print }
' "$tmpl" >"$out.tmp"
grep -q '^\.SH OPTIONS' "$out.tmp" || { echo "genman: no OPTIONS section in $out" >&2; exit 1; }
rm -f "$out.options"
mv "$out.tmp" "$out"
