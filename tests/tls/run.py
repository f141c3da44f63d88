#!/usr/bin/env python3
"""TLS level: testssl.sh (Debian package testssl.sh) against a real zorgd on loopback.

    python3 tests/tls/run.py --build build [--keep]

Fails on any finding of severity MEDIUM, HIGH or CRITICAL (and on a scan problem), except the
development certificates' missing revocation information (no CRL or OCSP URI: the demo CA
runs no such service). The checks run, about a minute on loopback:
  -p protocols (SSLv2..TLS 1.3), -s cipher categories (NULL, export, RC4, 3DES, ...),
  -f forward secrecy, -P the server's cipher order, -S server defaults (certificate,
  chain against the development CA, key size, signature, lifetime), -h HTTP security
  headers, and the known vulnerabilities one by one (what -U runs): -H Heartbleed, -I CCS,
  -T Ticketbleed, -BB ROBOT, -C CRIME, -B BREACH, -O POODLE, -Z TLS_FALLBACK_SCSV,
  -W SWEET32, -A BEAST, -L LUCKY13, -F FREAK, -J LOGJAM, -D DROWN, -4 RC4, and -R
  renegotiation on its own. Client simulation (-c) and the full cipher list (-E) are left
  out: they take minutes and add nothing a finding above would not show.
testssl's client-initiated renegotiation check races its own `echo R | openssl s_client`:
when s_client reads the end of its input before zorgd's close arrives (zorgd, through
libmicrohttpd, closes the connection on a renegotiation attempt), it reports "VULNERABLE,
DoS threat". A server that really renegotiates is reported so on every run; so -R runs up to
three times and its client-renegotiation finding fails only when every run reports it.
Each testssl finding evaluated is one test; the last line is 'N passed, N failed'.
"""

import argparse
import json
import time
import select
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))

from zorgd_fixture import Zorgd  # noqa: E402

CHECKS = ["-p", "-s", "-f", "-P", "-S", "-h", "-H", "-I", "-T", "-BB", "-C", "-B", "-O", "-Z",
          "-W", "-A", "-L", "-F", "-J", "-D", "-4"]
RENEGO = ["-R"]
RENEGO_RUNS = 3
RACY_IDS = {"secure_client_renego"}
FAILING = {"MEDIUM", "HIGH", "CRITICAL", "FATAL"}
# Revocation information the development certificates do not carry (no CRL or OCSP service
# for the demo CA). Only these ids are excused, and only for severity MEDIUM..HIGH.
REVOCATION_IDS = {"cert_revocation", "cert_crlDistributionPoints", "cert_ocspURL",
                  "OCSP_stapling", "cert_mustStapleExtension"}
MIN_FINDINGS = 40  # fewer means testssl did not really scan


def testssl_binary():
    for name in ("testssl", "testssl.sh"):
        path = shutil.which(name)
        if path:
            return path
    return None


def evaluate(findings):
    """(passed, failures): every finding is one check; failures are (id, severity, text)."""
    passed = 0
    failures = []
    for f in findings:
        sev = str(f.get("severity", "")).upper()
        fid = str(f.get("id", ""))
        if sev in FAILING and not (fid in REVOCATION_IDS and sev != "FATAL"):
            failures.append((fid, sev, str(f.get("finding", ""))))
        else:
            passed += 1
    return passed, failures


def self_test():
    """The evaluation itself can fail: a synthetic MEDIUM finding must be reported."""
    passed, failures = evaluate([{"id": "cert_revocation", "severity": "HIGH"},
                                 {"id": "SWEET32", "severity": "LOW"},
                                 {"id": "BREACH", "severity": "MEDIUM"}])
    return passed == 2 and [f[0] for f in failures] == ["BREACH"]


def scan(binary, zorgd, checks, name):
    """Run testssl with checks against zorgd: (findings, None) or ([], what went wrong)."""
    out = os.path.join(zorgd.tmp, f"testssl-{name}.json")
    if os.path.exists(out):
        os.unlink(out)
    cmd = [binary, "--quiet", "--color", "0", "--warnings", "off", "--ip", "one",
           "--connect-timeout", "10", "--openssl-timeout", "10",
           "--add-ca", zorgd.pem("ca.pem"), "--jsonfile", out, *checks,
           f"https://127.0.0.1:{zorgd.port}"]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=400 * zorgd.timeout_scale)
    except subprocess.TimeoutExpired:
        return [], f"FAIL testssl {name}: did not finish within its time bound"
    try:
        with open(out, encoding="utf-8") as fh:
            return json.load(fh), None
    except (OSError, ValueError) as e:
        return [], (f"FAIL testssl {name}: no JSON result ({e}); exit {r.returncode}\n"
                    + (r.stdout + r.stderr)[-2000:])


def renegotiation(binary, zorgd):
    """-R up to RENEGO_RUNS times: its racy finding counts only when every run has it."""
    first = None
    for i in range(RENEGO_RUNS):
        found, problem = scan(binary, zorgd, RENEGO, f"renego{i}")
        if problem:
            return [{"id": "renegotiation", "severity": "FATAL", "finding": problem}]
        if first is None:
            first = found
        racy = [f for f in found if f.get("id") in RACY_IDS
                and str(f.get("severity", "")).upper() in FAILING]
        if not racy:
            print(f"# renegotiation: run {i + 1} of at most {RENEGO_RUNS} found zorgd not "
                  "renegotiating")
            return [f for f in first if f.get("id") not in RACY_IDS] + \
                [f for f in found if f.get("id") in RACY_IDS]
    # Every run said so (a loaded machine loses testssl's race every time): decide by a
    # probe that does not race. It asks for a renegotiation on a TLS 1.2 connection and then
    # sends a request on the same connection: a server that renegotiated answers it; one
    # that refuses closes the connection instead.
    answered = renegotiation_answered(zorgd)
    print(f"# renegotiation: testssl reported it {RENEGO_RUNS} times; the direct probe found "
          f"zorgd {'RENEGOTIATING' if answered else 'closing the connection'}")
    if answered:
        return first
    return [f for f in first if f.get("id") not in RACY_IDS] + \
        [{"id": "secure_client_renego", "severity": "OK",
          "finding": "not vulnerable (direct probe: connection closed on renegotiation)"}]


def _read_until(p, out, deadline, marker=None):
    """Append what process p prints to out until marker appears (None: until it ends), it
    exits or the deadline passes; returns out."""
    while (marker is None or marker not in out) and p.poll() is None and time.monotonic() < deadline:
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        if r:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
    return out


def renegotiation_answered(zorgd):
    """True when zorgd answers a request sent after a client-initiated renegotiation."""
    cmd = ["openssl", "s_client", "-connect", f"127.0.0.1:{zorgd.port}", "-tls1_2",
           "-CAfile", zorgd.pem("ca.pem"), "-servername", "localhost"]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = b""
    try:
        p.stdin.write(b"R\n")
        p.stdin.flush()
        # The request follows once s_client has acted on "R" (it says RENEGOTIATING) or
        # the connection is gone; bounded either way.
        deadline = time.monotonic() + 10 * zorgd.timeout_scale
        out = _read_until(p, out, deadline, b"RENEGOTIATING")
        try:
            p.stdin.write(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n"
                          b"Connection: close\r\n\r\n")
            p.stdin.flush()
        except BrokenPipeError:
            pass
        out = _read_until(p, out, deadline)
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()
    return b"HTTP/1.1 200" in out or b"HTTP/1.0 200" in out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    os.chdir(REPO)
    if not self_test():
        print("FAIL evaluation self-test: a MEDIUM finding was not reported")
        print("0 passed, 1 failed")
        return 1
    binary = testssl_binary()
    if not binary:
        print("FAIL setup: testssl.sh is not installed (Debian package testssl.sh; "
              "run 'sh tools/deps.sh check')")
        print("0 passed, 1 failed")
        return 1
    zorgd = Zorgd(REPO, args.build)
    try:
        missing = zorgd.check_files()
        if missing:
            print("FAIL setup: missing " + "; ".join(missing))
            print("0 passed, 1 failed")
            return 1
        zorgd.create_demo(clients=5, seed=3)
        zorgd.start()
        findings, problem = scan(binary, zorgd, CHECKS, "main")
        if problem:
            print(problem)
            print("0 passed, 1 failed")
            return 1
        findings += renegotiation(binary, zorgd)
        passed, failures = evaluate(findings)
        if len(findings) < MIN_FINDINGS:
            failures.append(("scan", "FATAL", f"only {len(findings)} findings"))
        excused = [f["id"] for f in findings if f.get("id") in REVOCATION_IDS
                   and str(f.get("severity", "")).upper() in FAILING - {"FATAL"}]
        for fid, sev, text in failures:
            print(f"FAIL {fid} ({sev}): {text}")
        print(f"# {len(findings)} findings from testssl {' '.join(CHECKS + RENEGO)}; "
              f"excused (development CA, no revocation service): {', '.join(excused) or 'none'}")
        if not zorgd.running():
            failures.append(("zorgd", "FATAL", "zorgd exited during the scan"))
            print("FAIL zorgd exited during the scan")
        print(f"{passed} passed, {len(failures)} failed")
        return 0 if not failures else 1
    finally:
        if args.keep:
            print(f"# kept {zorgd.tmp}")
            zorgd.stop()
        else:
            zorgd.cleanup()


if __name__ == "__main__":
    sys.exit(main())
