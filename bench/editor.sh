#!/bin/sh
# bench/editor: the text editor widget at 64,000 characters, per keystroke (typing and
# Backspace in the middle, cursor moves, redraw), beside a flat-buffer peer that memmoves
# and re-wraps the whole text on every key, measured in the same run (bench/editor.c says
# why that peer). Run after 'make build/bin/bench_editor' ('make bench' does it).
# Settings: BENCH_EDITOR (binary), BENCH_EDITOR_ROUNDS [1000].
set -eu
cd "$(dirname "$0")/.."
BIN=${BENCH_EDITOR:-build/bin/bench_editor}
[ -x "$BIN" ] || { echo "bench/editor: $BIN is not built (make $BIN)" >&2; exit 1; }
"$BIN" "${BENCH_EDITOR_ROUNDS:-1000}"
