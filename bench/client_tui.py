#!/usr/bin/env python3
"""bench/client, the terminal part: the real zorgterm in a pseudo-terminal read by libvterm
(tests/tools/vtdrive), against a running zorgd with a large demo database.

    python3 bench/client_tui.py --zorgterm build/bin/zorgterm --vtdrive build/bin/vtdrive \
        --server https://127.0.0.1:PORT --ca-file build/pki/ca.pem --home DIR --clients 100000

  1. logs in as administrator (password demo) with empty XDG directories under DIR and times
     the initial full sync: from Enter on the login screen until the search line says
     "N cliënten";
  2. searches a little, reads zorgterm's VmHWM (peak RSS) from /proc, quits with q;
  3. starts zorgterm again with the same directories (warm replica, saved session) RUNS times
     and times each start until the first list row (">C") is on the screen;
  4. in the last of those, moves the selection to the bottom row of the list and counts the
     bytes zorgterm writes to the terminal for one <down> (the list scrolls one line) and one
     <pgdn> (one page), each SCROLLS times; then reads VmHWM again;
  5. starts the peers the same way, RUNS times each: `echo` (until its text is on the screen)
     and, when installed, htop (until "Load average" is): the floor a terminal program starts
     from, to set zorgterm's start beside.

Every wait is vtdrive's event-driven wait for text or for output to stop, with a deadline;
nothing sleeps. Progress goes to stderr; stdout gets one line for bench/client.sh:
  sync_s warm_median_s warm_min_s warm_max_s runs hwm_kb warm_hwm_kb line_bytes page_bytes \
  visible_rows echo_median_s htop_median_s (-1: no htop)
"""

import argparse
import os
import re
import statistics
import shutil
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
sys.dont_write_bytecode = True  # no __pycache__ in tests/tools from a benchmark

from vtdrive import VT  # noqa: E402

ROW = re.compile(r"^[> ]C\d{6}\b")


def say(msg):
    print(f"bench/client: {msg}", file=sys.stderr, flush=True)


def list_rows(screen):
    """(screen row, text) of every client row on the screen."""
    return [(i, r) for i, r in enumerate(screen) if ROW.match(r)]


class Bench:
    def __init__(self, args):
        self.a = args
        self.home = os.path.abspath(args.home)
        self.realexe = os.path.realpath(args.zorgterm)

    def start(self):
        """zorgterm in a fresh 80x24 pseudo-terminal with the bench home's XDG directories."""
        env = {"XDG_STATE_HOME": os.path.join(self.home, "state"),
               "XDG_CACHE_HOME": os.path.join(self.home, "cache"),
               "XDG_CONFIG_HOME": os.path.join(self.home, "config"),
               "NO_COLOR": None, "ESCDELAY": None}
        cmd = [self.a.zorgterm, "--server", self.a.server, "--ca-file", self.a.ca_file,
               "--user", "administrator"]
        return VT(cmd, cols=80, rows=24, term="xterm-256color", env=env, vtdrive=self.a.vtdrive)

    def pid(self):
        """The pid of the zorgterm talking to our server (its executable and --server URL)."""
        found = []
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                if os.path.realpath(f"/proc/{d}/exe") != self.realexe:
                    continue
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
            except OSError:
                continue
            if self.a.server.encode() in argv:
                found.append(int(d))
        if len(found) != 1:
            raise RuntimeError(f"expected one zorgterm for {self.a.server}, found {found}")
        return found[0]

    def hwm_kb(self):
        with open(f"/proc/{self.pid()}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmHWM in /proc/PID/status")

    @staticmethod
    def quit(vt):
        try:
            vt.keys("q")
            how = vt.wait_exit(10)
        finally:
            vt.close()
        if how != ("exited", 0):
            raise RuntimeError(f"zorgterm did not quit cleanly: {how}")

    def all_clients(self):
        return f" {self.a.clients} cliënten"

    # ---- 1 and 2: initial sync, search, peak RSS ------------------------------------------
    def first_session(self):
        vt = self.start()
        try:
            vt.wait("Wachtwoord", 15)
            vt.type("demo")
            t0 = time.monotonic()
            vt.keys("<enter>")
            vt.wait(self.all_clients(), self.a.sync_timeout)
            sync_s = time.monotonic() - t0
            vt.wait(">C", 10)
            say(f"initial full sync of {self.a.clients} clients: {sync_s:.2f} s")
            # Some searching, as a user would, before the peak RSS is read.
            vt.keys("/")
            for q in ("jose", "van den berg", "de vr", "c00123"):
                vt.type(q)
                vt.wait(f"van {self.a.clients} cliënten", 10)
                vt.wait(">C", 10)
                vt.keys("<esc>")
                vt.wait_gone(f"van {self.a.clients} cliënten", 10)
                vt.keys("/")
            vt.keys("<esc>")
            vt.wait_gone(f"van {self.a.clients} cliënten", 10)
            top = ">" + list_rows(vt.screen())[0][1][1:].split()[0]
            vt.keys("G")  # to the end of the list and back
            vt.wait_gone(top, 10)
            vt.keys("g")
            vt.wait(top, 10)
            hwm = self.hwm_kb()
            say(f"zorgterm peak RSS after the full sync and searching: {hwm / 1024:.1f} MiB")
            self.quit(vt)
        finally:
            vt.close()
        return sync_s, hwm

    # ---- 3b: peers started the same way: echo, and htop when installed ----------------------
    def peer_start(self, cmd, text):
        """Seconds from starting cmd in the same kind of terminal until text is on it."""
        t0 = time.monotonic()
        vt = VT(cmd, cols=80, rows=24, term="xterm-256color", vtdrive=self.a.vtdrive)
        try:
            vt.wait(text, 15)
            return time.monotonic() - t0
        finally:
            vt.close()

    def peers(self):
        """Median start of echo and of htop (-1 when htop is not installed)."""
        echo = [self.peer_start(["echo", "zorg-echo-peer"], "zorg-echo-peer")
                for _ in range(self.a.runs)]
        htop = shutil.which("htop")
        top = [self.peer_start([htop], "Load average") for _ in range(self.a.runs)] if htop else [-1]
        say(f"peers: echo {statistics.median(echo) * 1000:.0f} ms, "
            f"htop {statistics.median(top) * 1000:.0f} ms (median start to first text)")
        return statistics.median(echo), statistics.median(top)

    # ---- 3: warm starts -------------------------------------------------------------------
    def warm_start(self):
        """Start zorgterm; return (seconds to the first list row, vt)."""
        t0 = time.monotonic()
        vt = self.start()
        try:
            vt.wait(">C", 15)
        except BaseException:
            vt.close()
            raise
        return time.monotonic() - t0, vt

    # ---- 4: bytes per scroll ----------------------------------------------------------------
    def scroll_bytes(self, vt, key, scrolls):
        """Bytes written for key with the selection on the bottom row, scrolls times."""
        out = []
        for _ in range(scrolls):
            vt.idle(0.3, 10)
            before = list_rows(vt.screen())
            sel = before[-1][1].split()[0]  # ">C012345", the selected bottom row
            vt.raw_bytes()  # reset the counter
            vt.keys(key)
            # idle() counts quiet time from the last output, so first see the frame change.
            vt.wait_gone(sel, 10)
            vt.idle(0.3, 10)
            n = vt.raw_bytes()
            after = list_rows(vt.screen())
            if not after or not after[-1][1].startswith(">") or after[0][1] == before[0][1]:
                raise RuntimeError(f"{key} did not scroll the list:\n" + vt.text())
            out.append(n)
        return out

    def run(self):
        sync_s, hwm = self.first_session()
        echo_s, htop_s = self.peers()
        times = []
        vt = None
        for i in range(self.a.runs):
            t, vt = self.warm_start()
            times.append(t)
            say(f"warm start {i + 1}/{self.a.runs}: first list row after {t * 1000:.0f} ms")
            if i + 1 < self.a.runs:
                self.quit(vt)
        try:
            vt.wait(self.all_clients(), 10)
            vt.idle(0.3, 10)
            rows = list_rows(vt.screen())
            if not rows or not rows[0][1].startswith(">"):
                raise RuntimeError("the selection is not on the first row:\n" + vt.text())
            visible = len(rows)
            for _ in range(visible - 1):
                vt.keys("<down>")
            vt.wait(">" + rows[-1][1].split()[0], 10)
            vt.idle(0.3, 10)
            rows = list_rows(vt.screen())
            if len(rows) != visible or not rows[-1][1].startswith(">"):
                raise RuntimeError("the selection is not on the bottom row:\n" + vt.text())
            line = self.scroll_bytes(vt, "<down>", self.a.scrolls)
            page = self.scroll_bytes(vt, "<pgdn>", self.a.scrolls)
            say(f"bytes per one-line scroll: {line}; per one-page scroll: {page} "
                f"({visible} list rows visible)")
            warm_hwm = self.hwm_kb()
            self.quit(vt)
        finally:
            vt.close()
        print(f"{sync_s:.3f} {statistics.median(times):.4f} {min(times):.4f} {max(times):.4f} "
              f"{len(times)} {hwm} {warm_hwm} {statistics.median(line):.0f} "
              f"{statistics.median(page):.0f} {visible} {echo_s:.4f} {htop_s:.4f}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--zorgterm", required=True)
    p.add_argument("--vtdrive", required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--ca-file", required=True)
    p.add_argument("--home", required=True)
    p.add_argument("--clients", type=int, required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--scrolls", type=int, default=3)
    p.add_argument("--sync-timeout", type=float, default=120)
    Bench(p.parse_args()).run()


if __name__ == "__main__":
    main()
