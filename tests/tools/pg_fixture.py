"""A private PostgreSQL and an HAProxy for the test levels, each in a directory of its own.

Standard library only; every wait is a deadline loop on a condition.

    pg = Postgres()                 # initdb in a fresh temporary directory (as 'postgres')
    pg.start()                      # 127.0.0.1 on a free port, socket in that directory
    url = pg.create_database()      # a new database; 'postgresql://...' for zorgd --db
    rows = pg.query(url, "SELECT 1")
    pg.stop()                       # SIGINT (fast shutdown) to the postmaster's PID

    hp = HAProxy([port_a, port_b])  # TCP mode, health checks, 127.0.0.1
    hp.start(); ...; hp.stop()

PostgreSQL refuses to run as root: when we are root the server runs as the system user
'postgres' (created by Debian's package; created here with useradd if missing) and owns the
data directory; otherwise it runs as whoever we are.
"""

import itertools
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading

from zorgd_fixture import free_port, tail, wait_until

PG_BIN = os.environ.get("ZT_PG_BIN", "/usr/lib/postgresql/15/bin")
PG_USER = "postgres"  # the database superuser initdb creates (not the OS user)


def _os_user():
    """(name, uid, gid) the server runs as: ourselves, or 'postgres' when we are root."""
    if os.geteuid() != 0:
        pw = pwd.getpwuid(os.geteuid())
        return pw.pw_name, pw.pw_uid, pw.pw_gid
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        "postgres"], check=True, capture_output=True)
        pw = pwd.getpwnam("postgres")
    return pw.pw_name, pw.pw_uid, pw.pw_gid


def _literal(v):
    """A PostgreSQL literal for a Python value (test data only; the server binds)."""
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, bytes):
        return "'\\x" + v.hex() + "'::bytea"
    return "'" + str(v).replace("'", "''") + "'"


def _translate(sql, args):
    """SQLite-flavoured test SQL ('?' parameters, 'IS ?') as PostgreSQL with literals."""
    sql = re.sub(r"\bBEGIN IMMEDIATE\b", "BEGIN", sql)
    sql = re.sub(r"\bIS \?", "IS NOT DISTINCT FROM ?", sql)
    sql = re.sub(r"\bhex\((\w+)\)", r"upper(encode(convert_to(\1, 'UTF8'), 'hex'))", sql)
    it = iter(args)
    out, quote = [], False
    for ch in sql:
        if ch == "'":
            quote = not quote
        if ch == "?" and not quote:
            out.append(_literal(next(it)))
        else:
            out.append(ch)
    return "".join(out)


class Postgres:
    """One private PostgreSQL 15 server: initdb'd data directory, loopback TCP, own socket."""

    _names = itertools.count(1)

    def __init__(self, bin_dir=PG_BIN):
        self.bin = bin_dir
        self.tmp = tempfile.mkdtemp(prefix="zorgd-pg-")
        os.chmod(self.tmp, 0o755)
        self.data = os.path.join(self.tmp, "data")
        self.sock = os.path.join(self.tmp, "sock")
        self.log_path = os.path.join(self.tmp, "postgres.log")
        self.user, self.uid, self.gid = _os_user()
        self.port = None
        self.proc = None
        self._log = None

    def available(self):
        """A reason PostgreSQL cannot run here, or None."""
        for b in ("initdb", "postgres", "psql"):
            if not os.access(os.path.join(self.bin, b), os.X_OK):
                return f"{self.bin}/{b} missing (install Debian's postgresql)"
        return None

    def _demote(self):
        if os.geteuid() == 0:
            os.setgroups([])  # none of root's groups either
            os.setgid(self.gid)
            os.setuid(self.uid)

    def _run(self, argv, **kw):
        return subprocess.run(argv, capture_output=True, text=True, preexec_fn=self._demote,
                              cwd=self.tmp, **kw)

    def start(self, timeout=60, port=None):
        """initdb (first time), start the postmaster (on port, or a free one), wait until it
        accepts connections."""
        for d in (self.sock,):
            os.makedirs(d, exist_ok=True)
        for d in (self.tmp, self.sock):
            os.chown(d, self.uid, self.gid)
        if not os.path.exists(os.path.join(self.data, "PG_VERSION")):
            r = self._run([os.path.join(self.bin, "initdb"), "-D", self.data, "-U", PG_USER,
                           "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
                          timeout=120)
            if r.returncode != 0:
                raise RuntimeError(f"initdb failed:\n{r.stdout}{r.stderr}")
        self.port = port or free_port()
        self._log = open(self.log_path, "ab")
        os.chown(self.log_path, self.uid, self.gid)
        # fsync off: a test cluster is thrown away; max_connections for two zorgd pools.
        self.proc = subprocess.Popen(
            [os.path.join(self.bin, "postgres"), "-D", self.data, "-h", "127.0.0.1",
             "-p", str(self.port), "-k", self.sock, "-c", "fsync=off",
             "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
             "-c", "max_connections=300", "-c", "shared_buffers=64MB"],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=self._demote, cwd=self.tmp)

        def ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited {self.proc.returncode} during start-up")
            r = self._run([os.path.join(self.bin, "pg_isready"), "-q", "-h", "127.0.0.1",
                           "-p", str(self.port), "-U", PG_USER, "-d", "postgres"], timeout=10)
            return r.returncode == 0

        try:
            wait_until(ready, timeout, what="PostgreSQL to accept connections")
        except Exception as e:
            raise RuntimeError(f"PostgreSQL did not come up: {e}\n--- log ---\n"
                               f"{self.log_tail()}") from None
        return self

    def url(self, db="postgres"):
        return f"postgresql://{PG_USER}@127.0.0.1:{self.port}/{db}"

    def create_database(self, name=None):
        """CREATE DATABASE with a fresh name; returns its postgresql:// URL."""
        name = name or f"zt_{os.getpid()}_{next(self._names)}"
        self.psql(self.url(), f'CREATE DATABASE "{name}"')
        return self.url(name)

    def psql(self, url, sql):
        """Run sql with psql; returns stdout (raises with the error on failure)."""
        r = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-q", "-At", "-v",
                            "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"psql: {r.stderr.strip()} (in: {sql[:200]})")
        return r.stdout

    def query(self, url, sql, *args):
        """Rows of a SELECT as tuples with JSON types (ints stay ints), like sqlite3's."""
        body = _translate(sql, args).rstrip().rstrip(";")
        if not re.match(r"\s*(SELECT|WITH|VALUES)\b", body, re.I):
            self.psql(url, body)
            return []
        out = self.psql(url, f"SELECT coalesce(json_agg(row_to_json(q)), '[]') FROM ({body}) q")
        rows = json.loads(out, object_pairs_hook=lambda pairs: tuple(v for _, v in pairs))
        return [tuple(r) for r in rows]

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=30):
        """Fast shutdown by the postmaster's PID; returns its exit status."""
        if self.proc is None:
            return None
        rc = self.proc.poll()
        if rc is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                rc = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None
        self.proc = None
        return rc

    def log_tail(self, lines=40):
        return tail(self.log_path, lines)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


class PgCursor:
    """The part of a sqlite3 cursor the api tests use, over Postgres.query."""

    def __init__(self, rows):
        self._rows = rows
        self.rowcount = len(rows)

    def fetchall(self):
        return list(self._rows)

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def __iter__(self):
        return iter(self._rows)


class PgConnection:
    """A sqlite3-like connection (execute with '?' parameters) for the api tests on
    PostgreSQL: one psql session kept open, so BEGIN ... COMMIT is a real transaction."""

    MARK = "__zt_done__"

    def __init__(self, pg, url):
        self.pg = pg
        self.url = url
        self.isolation_level = None
        self.lock = threading.RLock()  # one psql session: one statement at a time
        self.proc = None
        self._spawn()

    def _spawn(self):
        self.proc = subprocess.Popen(
            [os.path.join(self.pg.bin, "psql"), "-X", "-q", "-At", "-d", self.url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            bufsize=1)

    def _run(self, sql):
        """Run one statement in the session; its output text (raises on an SQL error)."""
        with self.lock:
            try:
                return self._run_locked(sql)
            except (BrokenPipeError, EOFError):
                # The server restarted under the session (a test did that): a new one.
                self.proc.wait(10)
                self._spawn()
                return self._run_locked(sql)

    def _run_locked(self, sql):
        self.proc.stdin.write(sql.rstrip().rstrip(";") + ";\n"
                              f"\\echo {self.MARK} :ERROR :LAST_ERROR_MESSAGE\n")
        self.proc.stdin.flush()
        out = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("psql session ended")
            if line.startswith(self.MARK):
                break
            out.append(line)
        status = line[len(self.MARK):].strip()
        if status.startswith("true"):
            raise RuntimeError(f"psql: {status[4:].strip()} (in: {sql[:200]})")
        return "".join(out)

    def execute(self, sql, args=()):
        sql = re.sub(r"\bBEGIN IMMEDIATE\b", "BEGIN", sql)
        # SQLite's catalogue, as the tests ask for it, from information_schema.
        if re.match(r"\s*SELECT name FROM sqlite_master WHERE type = 'table'\s*$", sql):
            sql = ("SELECT table_name FROM information_schema.tables"
                   " WHERE table_schema = current_schema()")
        m = re.match(r'\s*PRAGMA table_info\("?(\w+)"?\)\s*$', sql)
        if m:
            sql = ("SELECT ordinal_position - 1, column_name FROM information_schema.columns"
                   " WHERE table_schema = current_schema() AND table_name = ?"
                   " ORDER BY ordinal_position")
            args = (m.group(1),)
        body = _translate(sql, args).rstrip().rstrip(";")
        if not re.match(r"\s*(SELECT|WITH|VALUES)\b", body, re.I):
            self._run(body)
            return PgCursor([])
        out = self._run(f"SELECT coalesce(json_agg(row_to_json(q)), '[]') FROM ({body}) q")
        rows = json.loads(out, object_pairs_hook=lambda pairs: tuple(v for _, v in pairs))
        return PgCursor([tuple(r) for r in rows])

    def executescript(self, sql):
        self.pg.psql(self.url, sql)

    def commit(self):
        pass

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(10)


class HAProxy:
    """HAProxy in TCP mode on 127.0.0.1 in front of zorgd backends (TLS passes through, so
    client certificates reach zorgd), with health checks; send_proxy adds PROXY v2."""

    def __init__(self, backends, send_proxy=False, source=None, binary="/usr/sbin/haproxy"):
        self.binary = binary
        self.source = source  # the address HAProxy connects to the backends from
        self.backends = list(backends)
        self.send_proxy = send_proxy
        self.tmp = tempfile.mkdtemp(prefix="zorgd-haproxy-")
        self.cfg = os.path.join(self.tmp, "haproxy.cfg")
        self.log_path = os.path.join(self.tmp, "haproxy.log")
        self.port = None
        self.proc = None
        self._log = None

    def available(self):
        if not os.access(self.binary, os.X_OK):
            return f"{self.binary} missing (install Debian's haproxy)"
        return None

    def config_text(self):
        proxy = " send-proxy-v2" if self.send_proxy else ""
        proxy += f" source {self.source}" if self.source else ""
        servers = "".join(
            f"    server z{i} 127.0.0.1:{p} check inter 200ms fall 2 rise 1{proxy}\n"
            for i, p in enumerate(self.backends))
        return ("global\n    maxconn 2000\n\n"
                "defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 120s\n"
                "    timeout server 120s\n    retries 2\n    option redispatch\n\n"
                f"frontend zorg\n    bind 127.0.0.1:{self.port}\n    default_backend zorgd\n\n"
                "backend zorgd\n    balance roundrobin\n" + servers)

    def start(self, timeout=20):
        self.port = free_port()
        with open(self.cfg, "w") as f:
            f.write(self.config_text())
        self._log = open(self.log_path, "ab")
        # -db: stay in the foreground, so the PID we hold is the one to stop.
        self.proc = subprocess.Popen([self.binary, "-db", "-f", self.cfg], stdout=self._log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=self.tmp)

        def listening():
            if self.proc.poll() is not None:
                raise RuntimeError(f"haproxy exited {self.proc.returncode}")
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True

        try:
            wait_until(listening, timeout, what="HAProxy to listen")
        except Exception as e:
            raise RuntimeError(f"HAProxy did not come up: {e}\n{self.log_tail()}") from None
        return self

    def stop(self, timeout=10):
        if self.proc is None:
            return None
        rc = self.proc.poll()
        if rc is None:
            self.proc.send_signal(signal.SIGUSR1)  # soft stop: finish, then exit
            try:
                rc = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None
        self.proc = None
        return rc

    def log_tail(self, lines=40):
        return tail(self.log_path, lines)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


if __name__ == "__main__":  # a quick self-check: start, create a database, query, stop
    pg = Postgres()
    try:
        pg.start()
        url = pg.create_database()
        print(pg.query(url, "SELECT ? AS a, ? AS b, NULL AS c", 1, "it's"))
        print("stopped", pg.stop())
    finally:
        pg.cleanup()
