"""Start and stop a real zorgd (and optionally Prism in front of it) for the test levels.

Standard library only. Every wait is a deadline loop that polls a condition; nothing
sleeps to synchronise.

    z = Zorgd(repo, build)          # paths; nothing runs yet
    z.create_demo(clients=300, seed=7)
    z.start()                       # free loopback port, waits for /api/v1/health
    ...
    rc = z.stop()                   # SIGTERM, wait, exit status
"""

import http.client
import os
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import tempfile
import time


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def wait_until(cond, timeout, interval=0.05, what="condition"):
    """Poll cond() until it returns a true value or timeout seconds pass; return the value.

    Raises TimeoutError naming `what` (and the last exception cond raised, if any)."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            v = cond()
            if v:
                return v
        except Exception as e:  # the condition may fail until the service is up
            last_exc = e
        if time.monotonic() >= deadline:
            extra = f" (last error: {last_exc!r})" if last_exc else ""
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}{extra}")
        time.sleep(interval)  # poll interval of a deadline loop, not a synchronisation


def tail(path, lines=40):
    """The last lines of a text file, or a note that it is missing."""
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as e:
        return f"(cannot read {path}: {e})\n"


class Zorgd:
    """One zorgd process with its own temporary directory and SQLite database."""

    def __init__(self, repo, build, pki=None, slow=False):
        self.repo = os.path.abspath(repo)
        build = build if os.path.isabs(build) else os.path.join(self.repo, build)
        self.build = build
        self.binary = os.path.join(build, "bin", "zorgd")
        self.pki = pki or os.path.join(self.repo, "build", "pki")
        self.tmp = tempfile.mkdtemp(prefix="zorgd-api-")
        self.db_path = os.path.join(self.tmp, "z.db")
        # PostgreSQL: the postgresql:// URL zorgd serves from, and a function returning a
        # sqlite3-like connection to it (tests/tools/pg_fixture.py); None for SQLite.
        self.db_target = None
        self.db_factory = None
        self.caren_key = None  # PostgreSQL: the Caren key file (default: beside z.db)
        self.log_path = os.path.join(self.tmp, "zorgd.log")
        self.port = None
        self.proc = None
        self._log = None
        # Sanitizer builds are several times slower: stretch every deadline.
        self.slow = slow or "san" in os.path.basename(os.path.normpath(build))
        self.timeout_scale = 4.0 if self.slow else 1.0

    def pem(self, name):
        return os.path.join(self.pki, name)

    def check_files(self):
        """A list of missing prerequisites (binary, certificates)."""
        missing = []
        if not os.access(self.binary, os.X_OK):
            missing.append(f"{self.binary} (run 'make all')")
        for n in ("ca.pem", "server.pem", "server.key", "dosell.pem", "dosell.key",
                  "rogue.pem", "rogue.key"):
            if not os.path.exists(self.pem(n)):
                missing.append(f"{self.pem(n)} (run 'make certs')")
        return missing

    def create_demo(self, clients=300, seed=7):
        """zorgd --db TMP/z.db --init-demo --clients N --seed S; raises on failure."""
        r = subprocess.run([self.binary, "--db", self.db_path, "--init-demo", "--clients",
                            str(clients), "--seed", str(seed)], capture_output=True, text=True,
                           timeout=120 * self.timeout_scale)
        if r.returncode != 0:
            raise RuntimeError(f"zorgd --init-demo exited {r.returncode}:\n{r.stdout}{r.stderr}")

    def import_into(self, url):
        """Copy the SQLite database into the empty PostgreSQL database at url (zorgd
        --import) and serve from url from now on; raises on failure."""
        r = subprocess.run([self.binary, "--db", url, "--import", "sqlite:" + self.db_path],
                           capture_output=True, text=True, timeout=120 * self.timeout_scale)
        if r.returncode != 0:
            raise RuntimeError(f"zorgd --import exited {r.returncode}:\n{r.stderr[-2000:]}")
        self.db_target = url

    def ssl_context(self):
        """A client context that trusts the development CA (TLS 1.2+)."""
        ctx = ssl.create_default_context(cafile=self.pem("ca.pem"))
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return ctx

    def start(self, extra_args=()):
        """Start zorgd on a free loopback port and wait until /api/v1/health answers."""
        self.port = free_port()
        self._log = open(self.log_path, "ab")
        cmd = [self.binary, "--db", self.db_target or self.db_path, "--listen", f"127.0.0.1:{self.port}",
               "--cert", self.pem("server.pem"), "--key", self.pem("server.key"),
               "--client-ca", self.pem("ca.pem"), *extra_args]
        if self.db_target and "--caren-key-file" not in extra_args:
            # With PostgreSQL the key file is not derived from --db; every instance of one
            # organisation shares the one the demo database was made with.
            cmd += ["--caren-key-file", self.caren_key or self.db_path + ".caren-key"]
            if "--smtp-url" not in extra_args and "--maildir" not in extra_args:
                cmd += ["--maildir", os.path.join(self.tmp, "maildir")]
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, cwd=self.tmp)
        ctx = self.ssl_context()

        def healthy():
            if self.proc.poll() is not None:
                raise RuntimeError(f"zorgd exited {self.proc.returncode} during start-up")
            c = http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=2)
            try:
                c.request("GET", "/api/v1/health")
                return c.getresponse().status == 200
            finally:
                c.close()

        try:
            wait_until(healthy, 20 * self.timeout_scale, what="zorgd /api/v1/health")
        except Exception as e:
            raise RuntimeError(f"zorgd did not come up: {e}\n--- zorgd log ---\n"
                               f"{self.log_tail()}") from None

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=None):
        """SIGTERM, wait; returns the exit status (None if it had to be killed)."""
        if self.proc is None:
            return None
        timeout = timeout or 20 * self.timeout_scale
        rc = self.proc.poll()
        if rc is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                rc = None
        if self._log:
            self._log.close()
            self._log = None
        self.proc_rc = rc
        self.proc = None
        return rc

    def log_tail(self, lines=40):
        return tail(self.log_path, lines)

    def db(self):
        """A new connection to the server's database (WAL mode: reads and small writes
        alongside the running server are fine)."""
        if self.db_factory:
            return self.db_factory()
        con = sqlite3.connect(self.db_path, timeout=15)
        con.execute("PRAGMA busy_timeout = 15000")
        return con

    def cleanup(self):
        if self.proc is not None:
            self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Prism:
    """Prism 5 as a validating proxy: plain HTTP in front, HTTPS to zorgd behind."""

    def __init__(self, repo, upstream_port, ca_pem, workdir, spec="etc/openapi.yaml",
                 timeout_scale=1.0):
        self.repo = os.path.abspath(repo)
        self.binary = os.path.join(self.repo, "tools", "npm", "node_modules", ".bin", "prism")
        self.spec = os.path.join(self.repo, spec)
        self.upstream = f"https://127.0.0.1:{upstream_port}"
        self.ca_pem = ca_pem
        self.log_path = os.path.join(workdir, "prism.log")
        self.port = None
        self.proc = None
        self._log = None
        self.timeout_scale = timeout_scale

    def check_files(self):
        missing = []
        if not os.access(self.binary, os.X_OK):
            missing.append(f"{self.binary} (npm install @stoplight/prism-cli in tools/npm)")
        if not os.path.exists(self.spec):
            missing.append(self.spec)
        return missing

    def start(self):
        self.port = free_port()
        env = dict(os.environ, NODE_EXTRA_CA_CERTS=self.ca_pem, NO_COLOR="1", FORCE_COLOR="0")
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [self.binary, "proxy", self.spec, self.upstream, "--errors", "--port",
             str(self.port), "--host", "127.0.0.1"],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            cwd=self.repo, start_new_session=True)

        def answers():
            if self.proc.poll() is not None:
                raise RuntimeError(f"prism exited {self.proc.returncode} during start-up")
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                c.request("GET", "/api/v1/health")
                return c.getresponse().status == 200
            finally:
                c.close()

        try:
            wait_until(answers, 90 * self.timeout_scale, interval=0.1,
                       what="Prism to answer /api/v1/health")
        except Exception as e:
            raise RuntimeError(f"Prism did not come up: {e}\n--- prism log ---\n"
                               f"{self.log_tail()}") from None

    def log_tail(self, lines=40):
        return tail(self.log_path, lines)

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            # Prism runs under node from an npm shim: signal its own process group, which
            # start_new_session gave it, so node goes too.
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None
        self.proc = None
