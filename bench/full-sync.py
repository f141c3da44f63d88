#!/usr/bin/env python3
"""Full initial sync for bench/server.sh: GET /api/v1/changes?since=0&limit=N with curl, then
follow "next" page by page until a page comes back empty, the way a client's first sync does.

Prints one line: seconds requests changes clients bytes  (the time covers the whole loop: every
curl run, which includes its TLS handshake, and parsing each page). Exits non-zero, with the
reason on stderr, when a page is not a valid feed page or the sync does not end.
"""
import argparse
import json
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="https://127.0.0.1:PORT")
    ap.add_argument("--cacert", required=True)
    ap.add_argument("--header-file", required=True, help="file with the Authorization header")
    ap.add_argument("--limit", type=int, default=5000)
    ap.add_argument("--max-requests", type=int, default=10000)
    a = ap.parse_args()

    since = 0
    requests = changes = clients = nbytes = 0
    client_ids = set()
    start = time.monotonic()
    while True:
        url = f"{a.base}/api/v1/changes?since={since}&limit={a.limit}"
        p = subprocess.run(["curl", "-sS", "--fail-with-body", "--cacert", a.cacert,
                            "-H", "@" + a.header_file, url], capture_output=True)
        requests += 1
        if p.returncode != 0:
            sys.exit(f"full sync: {url}: curl exit {p.returncode}: "
                     f"{p.stderr.decode(errors='replace').strip()} {p.stdout[:300]!r}")
        nbytes += len(p.stdout)
        try:
            page = json.loads(p.stdout)
            batch = page["changes"]
            nxt = page["next"]
        except (ValueError, KeyError, TypeError) as e:
            sys.exit(f"full sync: {url}: not a feed page ({e}): {p.stdout[:300]!r}")
        if not batch:
            break
        if not isinstance(nxt, int) or nxt <= since:
            sys.exit(f"full sync: {url}: next={nxt!r} does not move past since={since}")
        changes += len(batch)
        for c in batch:
            if c.get("type") == "client":
                clients += 1
                client_ids.add(c.get("id"))
        since = nxt
        if requests >= a.max_requests:
            sys.exit(f"full sync: no empty page after {requests} requests")
    seconds = time.monotonic() - start
    if len(client_ids) != clients:
        sys.exit(f"full sync: {clients} client changes but {len(client_ids)} distinct clients")
    print(f"{seconds:.3f} {requests} {changes} {clients} {nbytes}")


if __name__ == "__main__":
    main()
