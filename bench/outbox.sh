#!/bin/sh
# bench/outbox: a location message to 10,000 recipients: the API answer time (target under
# 100 ms) and the outbox's mails per second to a local SMTP sink (aiosmtpd) beside a plain
# Python smtplib sender over one connection to the same sink, in the same run (target: at
# least as fast). Needs python3-aiosmtpd (tools/debian-packages.txt, section check).
# Settings: BUILD [build], BENCH_OUTBOX_SENDS [5], BENCH_OUTBOX_CLIENTS [10000].
set -eu
cd "$(dirname "$0")/.."
[ -x "${BUILD:-build}/bin/zorgd" ] || { echo "bench/outbox: ${BUILD:-build}/bin/zorgd is not built" >&2; exit 1; }
exec python3 bench/outbox.py --build "${BUILD:-build}" --sends "${BENCH_OUTBOX_SENDS:-5}" \
	--clients "${BENCH_OUTBOX_CLIENTS:-10000}"
