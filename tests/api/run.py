#!/usr/bin/env python3
"""API test level: a real zorgd on a free loopback port, a temporary demo database, real
HTTPS with the development CA.

    python3 tests/api/run.py --build build [--via-prism] [--backend postgresql] [-k SUBSTRING] [-v]

With --backend postgresql the harness starts a private PostgreSQL (tests/tools/pg_fixture.py),
imports the demo database into it (zorgd --import) and runs the same tests against it.

Every function named test_* in the test modules below is one test; it gets the context
(harness.Ctx). The last line printed is exactly 'N passed, N failed'; the exit status is
non-zero when anything failed or nothing ran. With --via-prism every staff-API request goes
through Prism 5 (proxy mode, --errors) so that a response breaking etc/openapi.yaml fails.
"""

import argparse
import importlib
import os
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))

import harness  # noqa: E402
from smtp_sink import SmtpSink  # noqa: E402
from pg_fixture import PgConnection, Postgres  # noqa: E402
from zorgd_fixture import Prism, Zorgd  # noqa: E402

MODULES = ["test_session", "test_org", "test_clients", "test_changes", "test_visible",
           "test_tls", "test_loopback", "test_supplier", "test_hct", "test_access_matrix", "test_supplier_api",
           "test_hardening", "test_problems", "test_caren", "test_messages", "test_longpoll"]


def collect(pattern):
    tests = []
    for name in MODULES:
        mod = importlib.import_module(name)
        for fname, fn in vars(mod).items():
            if fname.startswith("test_") and callable(fn) and getattr(fn, "__module__", "") == name:
                if not pattern or pattern in fname:
                    tests.append((fname, fn))
    return tests


def reason_of(exc):
    if isinstance(exc, AssertionError):
        return str(exc) or "assertion failed: " + traceback.format_exc(limit=-1).strip()
    tb = traceback.extract_tb(exc.__traceback__)
    here = [f for f in tb if f.filename.startswith(HERE)]
    at = f" (at {os.path.basename(here[-1].filename)}:{here[-1].lineno})" if here else ""
    return f"{type(exc).__name__}: {exc}{at}"


def indent(text, prefix="     | "):
    return "".join(prefix + ln + "\n" for ln in text.rstrip("\n").split("\n"))


def reads_until(ctx, token, stop, path, done):
    """GET path again and again until stop is set, appending each answer's status to done
    (errors once zorgd stops are fine)."""
    while not stop.is_set():
        try:
            done.append(ctx.direct.request("GET", path, token=token, timeout=20).status)
        except Exception:
            pass


def clean_shutdown(ctx, zorgd):
    """SIGTERM with a long-poll waiting and reads arriving (some with their connections
    suspended until their audit rows commit): zorgd must exit 0 within seconds and report
    no sanitizer findings. Returns None or the reason it failed."""
    token = reader = None
    was_running = zorgd.running()
    if was_running:
        try:
            token = ctx.token("support")
            reader = ctx.token("administrator")
            client = ctx.visible_clients("administrator")[0]
        except Exception:
            token = reader = None
    stop_reads = threading.Event()
    readers, reads = [], []
    if reader:
        readers = [threading.Thread(target=reads_until, daemon=True,
                                    args=(ctx, reader, stop_reads, f"/api/v1/clients/{client}", reads))
                   for _ in range(16)]
    sent = threading.Event()
    poll = None
    if token:
        rev = ctx.revision()

        def long_poll():
            try:
                ctx.direct.request("GET", f"/api/v1/changes?since={rev}&wait=60",
                                   token=token, on_sent=sent.set, timeout=90)
            except Exception:
                pass  # the connection may be closed by the shutdown: that is fine
            finally:
                sent.set()

        ctx.close()
        poll = threading.Thread(target=long_poll, daemon=True)
        poll.start()
        sent.wait(10 * zorgd.timeout_scale)
    for t in readers:
        t.start()
    until = time.monotonic() + 10 * zorgd.timeout_scale
    while readers and len(reads) < 40 and time.monotonic() < until:
        time.sleep(0.01)  # polling for a condition, with a deadline
    t0 = time.monotonic()
    rc = zorgd.stop(timeout=15 * zorgd.timeout_scale)
    took = time.monotonic() - t0
    stop_reads.set()
    for t in readers:
        t.join(25)
    if poll is not None:
        poll.join(5)
    log = zorgd.log_tail(400)
    bad = [m for m in ("AddressSanitizer", "LeakSanitizer", "runtime error:",
                       "UndefinedBehaviorSanitizer") if m in log]
    if not was_running:
        return f"zorgd had already exited (status {rc}) before SIGTERM"
    if rc is None:
        return "zorgd did not exit after SIGTERM and had to be killed"
    if rc != 0:
        return f"zorgd exited {rc} after SIGTERM"
    if bad:
        return "sanitizer report in the log: " + ", ".join(bad)
    if took > 10 * zorgd.timeout_scale:
        return f"shutdown took {took:.1f} s with a long-poll waiting"
    ctx.shutdown_seconds = took
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build", help="build tree with bin/zorgd")
    ap.add_argument("--via-prism", action="store_true",
                    help="send the staff-API requests through Prism (contract check)")
    ap.add_argument("-k", dest="pattern", default=None, help="run only tests whose name has this")
    ap.add_argument("-v", dest="verbose", action="store_true", help="print each test's time")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                    help="the store zorgd serves from")
    ap.add_argument("--spec", default="etc/openapi.yaml",
                    help="OpenAPI document Prism validates against (with --via-prism)")
    args = ap.parse_args()

    os.chdir(REPO)
    passed = failed = 0
    started = time.monotonic()
    zorgd = Zorgd(REPO, args.build)
    prism = None
    ctx = None
    smtp = None
    pg = Postgres() if args.backend == "postgresql" else None
    try:
        if pg is not None and pg.available():
            print(f"FAIL setup: {pg.available()}")
            failed += 1
            return 1
        problems = zorgd.check_files()
        if args.via_prism:
            prism = Prism(REPO, 0, zorgd.pem("ca.pem"), zorgd.tmp, spec=args.spec,
                          timeout_scale=zorgd.timeout_scale)
            problems += prism.check_files()
        if problems:
            print("FAIL setup: missing " + "; ".join(problems))
            failed += 1
            return 1
        tests = collect(args.pattern)
        try:
            zorgd.create_demo(clients=300, seed=7)
            if pg is not None:
                pg.start()
                url = pg.create_database()
                zorgd.import_into(url)
                zorgd.db_factory = lambda: PgConnection(pg, url)
            smtp = SmtpSink().start()  # the outbox's mail goes to a real SMTP server
            zorgd.start(["--smtp-url", smtp.url, "--smtp-from", "noreply@zorg.example",
                         "--outbox-retry", "1"])
            direct = harness.Client("127.0.0.1", zorgd.port, zorgd.ssl_context(),
                                    timeout=30 * zorgd.timeout_scale)
            api = direct
            if args.via_prism:
                prism.upstream = f"https://127.0.0.1:{zorgd.port}"
                prism.start()
                api = harness.Client("127.0.0.1", prism.port, None, prism=True,
                                     timeout=30 * zorgd.timeout_scale)
        except Exception as e:  # set-up failed: report it as one failure
            print(f"FAIL setup: {e}")
            failed += 1
            return 1
        ctx = harness.Ctx(zorgd, api, direct, args.via_prism)
        ctx.scale = zorgd.timeout_scale
        ctx.smtp = smtp
        dead = False
        for name, fn in tests:
            if dead:
                failed += 1
                print(f"FAIL {name}: not run, zorgd is no longer running")
                continue
            t0 = time.monotonic()
            try:
                fn(ctx)
                passed += 1
                took = f" ({time.monotonic() - t0:.2f} s)" if args.verbose else ""
                print(f"ok   {name}{took}", flush=True)
            except Exception as e:  # AssertionError and everything unexpected
                failed += 1
                print(f"FAIL {name}: {reason_of(e)}", flush=True)
                dead = not zorgd.running()
                if dead:
                    print(f"     zorgd is no longer running (exit status {zorgd.proc.poll()})")
                print("     --- zorgd log (tail) ---")
                print(indent(zorgd.log_tail(40 if dead else 12)), end="")
                if prism is not None and not isinstance(e, AssertionError):
                    print("     --- prism log (tail) ---")
                    print(indent(prism.log_tail(12)), end="")
        if args.via_prism:
            rej = ctx.api.prism_rejections
            print(f"# Prism's request validation answered {len(rej)} deliberately invalid "
                  f"requests itself; every other request reached zorgd")
            if args.verbose:
                for r in rej:
                    print(f"#   {r.method} {r.path[:80]} -> {r.status}")
        # Clean shutdown is a test of its own: SIGTERM must end zorgd with status 0, promptly,
        # even with a long-poll in flight.
        if not args.pattern or args.pattern in "clean_shutdown":
            if prism is not None:
                prism.stop()
            ctx.close()
            reason = clean_shutdown(ctx, zorgd)
            if reason is None:
                passed += 1
                took = f" ({ctx.shutdown_seconds:.2f} s)" if args.verbose else ""
                print(f"ok   clean_shutdown{took}")
            else:
                failed += 1
                print(f"FAIL clean_shutdown: {reason}")
                print(indent(zorgd.log_tail(40)), end="")
        return 0 if failed == 0 and passed > 0 else 1
    finally:
        if prism is not None:
            prism.stop()
        if smtp is not None:
            smtp.stop()
        if ctx is not None:
            ctx.close()
        if args.keep:
            zorgd.stop()
            print(f"(kept {zorgd.tmp})", file=sys.stderr)
        else:
            zorgd.cleanup()
        if pg is not None:
            pg.cleanup()
        print(f"# {len(MODULES)} modules, {time.monotonic() - started:.1f} s"
              f"{' via Prism' if args.via_prism else ''}"
              f"{' on PostgreSQL' if pg is not None else ''}")
        print(f"{passed} passed, {failed} failed", flush=True)


if __name__ == "__main__":
    sys.exit(main())
