#!/usr/bin/env python3
"""Test level 'pkg': operating zorgd and zorgterm (issue 12).

Man pages lint clean and list every option; the systemd unit verifies; zorgd
--check-config accepts a good configuration and names what is wrong in bad ones; a
backup taken while a client writes over HTTPS restores to a whole database holding every
write acknowledged before the backup began; a restore is refused while zorgd runs and
for damaged or newer backups; the Debian packages build, pass lintian without errors,
install (dpkg -i as root, else unpacked into a throwaway root), run, and purge cleanly.

Standard library only; every wait is a deadline loop. Ends with 'N passed, N failed'.
Usage: tests/pkg/run.py [--build build] [-k NAME] [--no-deb]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))
from zorgd_fixture import Zorgd, wait_until  # noqa: E402

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Ctx:
    def __init__(self, build):
        self.build = build if os.path.isabs(build) else os.path.join(REPO, build)
        self.zorgd = os.path.join(self.build, "bin", "zorgd")
        self.zorgterm = os.path.join(self.build, "bin", "zorgterm")
        self.pki = os.path.join(REPO, "build", "pki")
        self.tmp = tempfile.mkdtemp(prefix="zorgd-pkg-")

    def pem(self, name):
        return os.path.join(self.pki, name)


def run(cmd, timeout=120, **kw):
    """Run cmd, capturing text output; never raises on a non-zero exit."""
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


# ---- man pages ---------------------------------------------------------------------------

MANPAGES = ("zorgd.8", "zorgterm.1")


@test
def man_pages_lint_clean(ctx):
    """groff -ww, mandoc -T lint and man -l render both pages without a word."""
    for page in MANPAGES:
        path = os.path.join(ctx.build, "man", page)
        check(os.path.exists(path), f"{path} missing (make man)")
        g = run(["groff", "-ww", "-man", "-Tutf8", path])
        check(g.returncode == 0 and not g.stderr.strip(), f"groff -ww {page}: {g.stderr}")
        m = run(["mandoc", "-T", "lint", path])
        check(m.returncode == 0 and not (m.stdout + m.stderr).strip(),
              f"mandoc -T lint {page}:\n{m.stdout}{m.stderr}")
        env = dict(os.environ, MANWIDTH="80", MAN_KEEP_STDERR="1", LC_ALL="C.UTF-8")
        r = run(["man", "-l", path], env=env)
        check(r.returncode == 0 and not r.stderr.strip() and "EXIT STATUS" in r.stdout,
              f"man -l {page}: rc {r.returncode}\n{r.stderr}")


@test
def man_pages_list_every_option(ctx):
    """Every option of --help and every setting of --print-config is in the page's
    OPTIONS section (both come from the same table)."""
    env = dict(os.environ, XDG_CONFIG_HOME=ctx.tmp)
    for prog, page in ((ctx.zorgd, "zorgd.8"), (ctx.zorgterm, "zorgterm.1")):
        text = open(os.path.join(ctx.build, "man", page), encoding="utf-8").read()
        opts = text.split(".SH OPTIONS", 1)[1].split("\n.SH ", 1)[0]
        helptext = run([prog, "--help"], env=env).stdout
        names = re.findall(r"^\s+--([a-z][a-z-]*)", helptext, re.M)
        check(len(names) >= 8, f"too few options in {prog} --help: {names}")
        for n in names:
            check("\\-\\-" + n.replace("-", "\\-") in opts, f"{page}: --{n} not in OPTIONS")
        conf = run([prog, "--print-config"], env=env).stdout
        for key in re.findall(r"^(?:# )?([a-z_]+) = [^{]*$", conf, re.M):
            check(f".BR {key} ." in opts, f"{page}: setting {key} not in OPTIONS")
    for sec in ("CONFIGURATION", "FILES", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES"):
        for page in MANPAGES:
            text = open(os.path.join(ctx.build, "man", page), encoding="utf-8").read()
            check(f"\n.SH {sec}" in text, f"{page}: no {sec} section")
    zd = open(os.path.join(ctx.build, "man", "zorgd.8"), encoding="utf-8").read()
    check("pg_dump" in zd and "certificate" in zd, "zorgd.8: no PostgreSQL backup advice")


# ---- systemd unit ------------------------------------------------------------------------

UNIT = os.path.join(REPO, "etc", "systemd", "zorgd.service")


def unit_copy(ctx):
    """The unit with the build's zorgd in place of /usr/bin/zorgd (not installed here)."""
    path = os.path.join(ctx.tmp, "zorgd.service")
    text = open(UNIT, encoding="utf-8").read().replace("/usr/bin/zorgd", ctx.zorgd)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


@test
def systemd_unit_verifies_and_is_hardened(ctx):
    """systemd-analyze verify passes; the unit has its user, state, restart and hardening;
    systemd-analyze security rates it 2.0 or lower."""
    path = unit_copy(ctx)
    r = run(["systemd-analyze", "verify", "--man=no", path])
    check(r.returncode == 0 and "zorgd.service" not in r.stderr,
          f"systemd-analyze verify: rc {r.returncode}\n{r.stdout}{r.stderr}")
    text = open(UNIT, encoding="utf-8").read()
    for line in ("User=zorgd", "StateDirectory=zorgd", "Restart=on-failure",
                 "ProtectSystem=strict", "PrivateTmp=yes", "NoNewPrivileges=yes",
                 "ProtectHome=yes", "SystemCallFilter=@system-service", "CapabilityBoundingSet=\n",
                 "RestrictAddressFamilies=", "--config /etc/zorgd/zorgd.conf"):
        check(line in text, f"zorgd.service lacks {line.strip()}")
    s = run(["systemd-analyze", "security", "--offline=true", path])
    m = re.search(r"Overall exposure level for zorgd.service: ([0-9.]+)", s.stdout)
    check(m, f"systemd-analyze security: no rating\n{s.stdout[-800:]}{s.stderr}")
    check(float(m.group(1)) <= 2.0, f"exposure {m.group(1)} is above 2.0")
    print(f"   systemd-analyze security: exposure {m.group(1)}")


@test
def zorgd_stops_cleanly_on_sigterm(ctx):
    """The unit stops zorgd with SIGTERM: it exits 0 and says it stopped cleanly."""
    z = Zorgd(REPO, ctx.build)
    try:
        z.start()
        rc = z.stop()
        check(rc == 0, f"zorgd exited {rc} on SIGTERM\n{z.log_tail()}")
        check("stopped cleanly" in z.log_tail(), f"no clean-stop line\n{z.log_tail()}")
    finally:
        z.cleanup()


# ---- --check-config ----------------------------------------------------------------------

def write_conf(ctx, name, **settings):
    path = os.path.join(ctx.tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        for k, v in settings.items():
            f.write(f"{k} = {json.dumps(v)};\n" if isinstance(v, str) else f"{k} = {v};\n")
    return path


def good_settings(ctx):
    return {"db": os.path.join(ctx.tmp, "z.db"), "listen": "127.0.0.1:18443",
            "cert": ctx.pem("server.pem"), "key": ctx.pem("server.key"),
            "client_ca": ctx.pem("ca.pem")}


def check_config(ctx, conf):
    return run([ctx.zorgd, "--config", conf, "--check-config"])


@test
def check_config_accepts_a_good_configuration(ctx):
    r = check_config(ctx, write_conf(ctx, "good.conf", **good_settings(ctx)))
    check(r.returncode == 0, f"good config: rc {r.returncode}\n{r.stdout}{r.stderr}")
    check("ERROR" not in r.stdout and "usable" in r.stdout, r.stdout)
    check("belongs to the certificate" in r.stdout, r.stdout)


def expired_cert(ctx):
    path = os.path.join(ctx.tmp, "expired.pem")
    tmpl = os.path.join(ctx.tmp, "expired.tmpl")
    with open(tmpl, "w") as f:
        f.write('cn = "expired.example"\nactivation_date = "2020-01-01 00:00:00"\n'
                'expiration_date = "2021-01-01 00:00:00"\ntls_www_server\n')
    r = run(["certtool", "--generate-self-signed", "--load-privkey", ctx.pem("server.key"),
             "--template", tmpl, "--outfile", path])
    check(r.returncode == 0, f"certtool: {r.stderr}")
    return path


def encrypted_key(ctx):
    path = os.path.join(ctx.tmp, "encrypted.key")
    r = run(["openssl", "pkey", "-in", ctx.pem("server.key"), "-aes256", "-passout", "pass:x",
             "-out", path])
    check(r.returncode == 0, f"openssl: {r.stderr}")
    return path


@test
def check_config_names_what_is_wrong(ctx):
    """Each broken configuration fails (non-zero) with a line naming the problem."""
    garbage = os.path.join(ctx.tmp, "garbage.pem")
    with open(garbage, "w") as f:
        f.write("this is not a certificate\n")
    cases = [
        ("key of another certificate", {"key": ctx.pem("dosell.key")}, 1,
         "does not belong to the certificate"),
        ("expired certificate", {"cert": expired_cert(ctx)}, 1, "expired on 2021-01-01"),
        ("certificate not PEM", {"cert": garbage}, 1, "not a PEM certificate"),
        ("missing key file", {"key": os.path.join(ctx.tmp, "nope.key")}, 1,
         "cannot read: No such file"),
        ("encrypted key", {"key": encrypted_key(ctx)}, 1, "the key is encrypted"),
        ("client CA not a CA", {"client_ca": ctx.pem("server.pem")}, 1,
         "is not a CA certificate"),
        ("client CA unreadable", {"client_ca": os.path.join(ctx.tmp, "none.pem")}, 1,
         "client CA"),
        ("bad listen", {"listen": "everywhere"}, 1, "listen 'everywhere'"),
        ("store directory missing", {"db": "/nonexistent-zorgd/z.db"}, 1,
         "does not exist"),
        ("bad log level", {"log_level": "loud"}, 1, "log_level 'loud'"),
        ("unknown setting", {"colour": "red"}, 2, "unknown setting 'colour'"),
        ("wrong type", {"body_limit": "big"}, 2, "must be a whole number"),
    ]
    for name, change, want_rc, want_text in cases:
        conf = write_conf(ctx, "bad.conf", **{**good_settings(ctx), **change})
        r = check_config(ctx, conf)
        out = r.stdout + r.stderr
        check(r.returncode == want_rc, f"{name}: rc {r.returncode}, want {want_rc}\n{out}")
        check(want_text in out, f"{name}: '{want_text}' not in:\n{out}")
    r = run([ctx.zorgd, "--check-config", "--db", os.path.join(ctx.tmp, "z.db")])
    check(r.returncode == 1 and "cert is not set" in r.stdout, f"no cert: {r.stdout}")


# ---- backup and restore ------------------------------------------------------------------

class Writer(threading.Thread):
    """Creates home-care registrations over HTTPS as fast as zorgd answers; records each
    acknowledged serial with the monotonic time of its acknowledgement."""

    def __init__(self, z, token, client_id, device_type_id):
        super().__init__(daemon=True)
        self.z, self.token = z, token
        self.path = f"/api/v1/clients/{client_id}/hct-registrations"
        self.dt = device_type_id
        self.acked = []  # (monotonic time, serial)
        self.lock = threading.Lock()
        self.stop_flag = threading.Event()
        self.error = None

    def run(self):
        ctx = self.z.ssl_context()
        i = 0
        try:
            while not self.stop_flag.is_set():
                serial = f"BK-{i:06d}"
                body = json.dumps({"device_type_id": self.dt, "serial": serial,
                                   "start_date": "2026-01-15"})
                c = http.client.HTTPSConnection("127.0.0.1", self.z.port, context=ctx,
                                                timeout=20)
                c.request("POST", self.path, body=body,
                          headers={"Authorization": f"Bearer {self.token}",
                                   "Content-Type": "application/json"})
                resp = c.getresponse()
                data = resp.read()
                c.close()
                if resp.status != 201:
                    raise RuntimeError(f"write {serial}: {resp.status} {data[:300]!r}")
                with self.lock:
                    self.acked.append((time.monotonic(), serial))
                i += 1
        except Exception as e:  # reported by the test
            self.error = e

    def count(self):
        with self.lock:
            return len(self.acked)

    def acked_before(self, t):
        with self.lock:
            return [s for (at, s) in self.acked if at < t]


def login(z, user="administrator"):
    c = http.client.HTTPSConnection("127.0.0.1", z.port, context=z.ssl_context(), timeout=20)
    c.request("POST", "/api/v1/session", body=json.dumps({"username": user, "password": "demo"}),
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    data = json.loads(r.read())
    c.close()
    check(r.status == 201, f"login: {r.status} {data}")
    return data["token"]


def db_one(path, sql, *args):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute(sql, args).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def serials(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT serial FROM hct_registrations")}
    finally:
        con.close()


@test
def backup_while_writing_restores_every_acknowledged_write(ctx):
    """zorgd --backup while a client writes over HTTPS: the copy (0600) passes
    integrity_check and holds every write acknowledged before the backup began; --restore
    is refused while zorgd runs, then restores it, and zorgd serves the restored store."""
    z = Zorgd(REPO, ctx.build)
    try:
        z.create_demo(clients=200, seed=3)
        z.start()
        cid = db_one(z.db_path, "SELECT min(id) FROM clients")
        dt = db_one(z.db_path, "SELECT id FROM device_types WHERE product_code = 'TESSA-01'")
        w = Writer(z, login(z), cid, dt)
        w.start()
        wait_until(lambda: w.count() >= 30 or w.error, 30, what="30 acknowledged writes")
        check(w.error is None, f"writer: {w.error}")
        backup = os.path.join(z.tmp, "backup.db")
        began = time.monotonic()
        r = run([ctx.zorgd, "--db", z.db_path, "--backup", backup])
        done = w.count()
        wait_until(lambda: w.count() >= done + 10 or w.error, 30,
                   what="writes after the backup")
        w.stop_flag.set()
        w.join(30)
        check(w.error is None, f"writer: {w.error}")
        check(r.returncode == 0, f"--backup: rc {r.returncode}\n{r.stdout}{r.stderr}")
        mode = stat.S_IMODE(os.stat(backup).st_mode)
        check(mode == 0o600, f"backup mode {mode:o}, want 600")
        check(db_one(backup, "PRAGMA integrity_check") == "ok", "backup fails integrity_check")
        before = w.acked_before(began)
        in_backup = serials(backup)
        missing = [s for s in before if s not in in_backup]
        check(not missing, f"{len(missing)} of {len(before)} acknowledged writes missing "
                           f"from the backup, e.g. {missing[:5]}")
        print(f"   backup: {len(before)} writes acknowledged before it, {len(in_backup)} in it,"
              f" {w.count()} written in all")

        # Refused while zorgd runs; zorgd keeps serving.
        r = run([ctx.zorgd, "--db", z.db_path, "--restore", backup])
        check(r.returncode == 1 and "in use by a running zorgd" in r.stderr,
              f"restore over a running store: rc {r.returncode}\n{r.stdout}{r.stderr}")
        check(z.running(), "zorgd stopped after a refused restore")
        check(z.stop() == 0, f"zorgd did not stop cleanly\n{z.log_tail()}")

        r = run([ctx.zorgd, "--db", z.db_path, "--restore", backup])
        check(r.returncode == 0, f"--restore: rc {r.returncode}\n{r.stdout}{r.stderr}")
        check(db_one(z.db_path, "PRAGMA integrity_check") == "ok", "restored store damaged")
        check(serials(z.db_path) == in_backup, "restored store differs from the backup")
        z.start()
        login(z)
        check(z.stop() == 0, f"zorgd on the restored store did not stop cleanly")
    finally:
        z.cleanup()


@test
def restore_checks_the_backup_first(ctx):
    """A damaged file, a database that is not zorgd's and a backup from a newer zorgd are
    refused, and the store is left as it was."""
    z = Zorgd(REPO, ctx.build)
    try:
        z.create_demo(clients=20, seed=5)
        good = os.path.join(z.tmp, "good.db")
        r = run([ctx.zorgd, "--db", z.db_path, "--backup", good])
        check(r.returncode == 0, f"--backup: {r.stderr}")
        rev = db_one(z.db_path, "SELECT value FROM revision WHERE id = 1")

        damaged = os.path.join(z.tmp, "damaged.db")
        data = bytearray(open(good, "rb").read())
        for off in range(4096 * 3, len(data), 4096):  # scribble over later pages
            data[off + 100:off + 400] = b"\xa5" * 300
        open(damaged, "wb").write(bytes(data))
        foreign = os.path.join(z.tmp, "foreign.db")
        con = sqlite3.connect(foreign)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        newer = os.path.join(z.tmp, "newer.db")
        shutil.copy(good, newer)
        con = sqlite3.connect(newer)
        con.execute("INSERT INTO schema_version (version, applied_at) VALUES (999, 0)")
        con.commit()
        con.close()
        cases = [(damaged, ("integrity_check", "not a database", "malformed")),
                 (foreign, ("not a zorgd store",)),
                 (newer, ("newer than this zorgd",)),
                 (os.path.join(z.tmp, "absent.db"), ("cannot read the backup",))]
        for path, words in cases:
            r = run([ctx.zorgd, "--db", z.db_path, "--restore", path])
            check(r.returncode == 1 and any(w in r.stderr for w in words),
                  f"restore {os.path.basename(path)}: rc {r.returncode}\n{r.stderr}")
        check(db_one(z.db_path, "SELECT value FROM revision WHERE id = 1") == rev,
              "a refused restore changed the store")
        r = run([ctx.zorgd, "--db", "postgresql://localhost/zorgd", "--backup", good])
        check(r.returncode == 2 and "pg_dump" in r.stderr, f"postgres backup: {r.stderr}")
    finally:
        z.cleanup()


@test
def zorgd_waits_for_no_restore(ctx):
    """While a restore holds the store's run lock exclusively, zorgd does not open the
    store; it says why and exits 1."""
    import fcntl
    z = Zorgd(REPO, ctx.build)
    try:
        with open(z.db_path + ".lock", "w") as f:
            fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            r = run([ctx.zorgd, "--db", z.db_path, "--init-demo", "--clients", "5"])
        check(r.returncode == 1 and "a restore" in r.stderr,
              f"zorgd under a restore lock: rc {r.returncode}\n{r.stderr}")
        check(not os.path.exists(z.db_path), "zorgd created the store under a restore lock")
    finally:
        z.cleanup()


# ---- Debian packages ---------------------------------------------------------------------

def dpkg(*args):
    """dpkg with a deadline while another dpkg/apt holds the lock."""
    deadline = time.monotonic() + 120
    while True:
        r = run(["dpkg", *args], timeout=300)
        if r.returncode == 0 or "lock" not in r.stderr or time.monotonic() > deadline:
            return r
        time.sleep(1)  # poll interval of a deadline loop (the dpkg lock)


def installed(pkg):
    r = run(["dpkg-query", "-W", "-f=${Status}", pkg])
    return "install ok installed" in r.stdout


@test
def debian_packages_build_install_and_purge(ctx):
    """make deb builds zorgd and zorgterm; lintian reports no errors; they install, run,
    and purge without leaving files or the zorgd user behind."""
    out = os.path.join(REPO, "build", "deb")
    r = run(["sh", os.path.join(REPO, "tools", "mkdeb.sh"), out], timeout=900)
    check(r.returncode == 0, f"make deb failed:\n{r.stdout}{r.stderr}")
    version = run(["dpkg-parsechangelog", "-l", os.path.join(REPO, "debian", "changelog"),
                   "-S", "Version"]).stdout.strip()
    debs = [os.path.join(out, f"{p}_{version}_amd64.deb") for p in ("zorgd", "zorgterm")]
    for d in debs:
        check(os.path.exists(d), f"{d} not built")
    li = run(["lintian", "--tag-display-limit", "0", *debs], timeout=300)
    errors = [l for l in li.stdout.splitlines() if l.startswith("E:")]
    warnings = [l for l in li.stdout.splitlines() if l.startswith("W:")]
    check(not errors, "lintian errors:\n" + "\n".join(errors))
    print(f"   lintian: 0 errors, {len(warnings)} warnings" +
          "".join(f"\n   {w}" for w in warnings))
    deps = run(["dpkg-deb", "-f", debs[0], "Depends"]).stdout
    check("libsqlite3" in deps and "libgnutls30" in deps, f"zorgd Depends: {deps}")
    if os.geteuid() == 0 and not installed("zorgd") and not installed("zorgterm"):
        install_and_purge(debs, version)
    else:
        unpack_and_run(ctx, debs, version)


def man_excluded():
    """True when dpkg is told not to install man pages (slim container images)."""
    import glob
    for cfg in ["/etc/dpkg/dpkg.cfg", *glob.glob("/etc/dpkg/dpkg.cfg.d/*")]:
        try:
            text = open(cfg, encoding="utf-8", errors="replace").read()
        except OSError:
            continue
        if re.search(r"^path-exclude=?\s*/usr/share/man", text, re.M):
            return True
    return False


def install_and_purge(debs, version):
    r = dpkg("-i", *debs)
    try:
        check(r.returncode == 0, f"dpkg -i: {r.stdout}{r.stderr}")
        for prog in ("zorgd", "zorgterm"):
            v = run([f"/usr/bin/{prog}", "--version"])
            check(v.stdout.strip() == f"{prog} {version}", f"{prog} --version: {v.stdout}")
        check(run(["getent", "passwd", "zorgd"]).returncode == 0, "no zorgd user")
        st = os.stat("/var/lib/zorgd")
        check(st.st_uid == int(run(["id", "-u", "zorgd"]).stdout), "/var/lib/zorgd not zorgd's")
        files = ["/lib/systemd/system/zorgd.service", "/etc/zorgd/zorgd.conf",
                 "/usr/share/zorgterm/themes/default.theme"]
        no_man = man_excluded()
        if not no_man:
            files += ["/usr/share/man/man8/zorgd.8.gz", "/usr/share/man/man1/zorgterm.1.gz"]
        for f in files:
            check(os.path.exists(f), f"{f} not installed")
        v = run(["systemd-analyze", "verify", *(["--man=no"] if no_man else []),
                 "/lib/systemd/system/zorgd.service"])
        check(v.returncode == 0, f"verify installed unit: {v.stderr}")
        c = run(["runuser", "-u", "zorgd", "--", "/usr/bin/zorgd", "--config",
                 "/etc/zorgd/zorgd.conf", "--check-config"])
        check(c.returncode == 1 and "/etc/zorgd/zorgd.pem: cannot read" in c.stdout,
              f"packaged config without certificate: {c.stdout}")
    finally:
        r = dpkg("-r", "zorgd", "zorgterm")
    check(r.returncode == 0, f"dpkg -r: {r.stdout}{r.stderr}")
    check(not os.path.exists("/usr/bin/zorgd") and not os.path.exists("/usr/bin/zorgterm"),
          "binaries left after dpkg -r")
    r = dpkg("--purge", "zorgd", "zorgterm")
    check(r.returncode == 0, f"dpkg --purge: {r.stdout}{r.stderr}")
    check(run(["getent", "passwd", "zorgd"]).returncode != 0, "zorgd user left after purge")
    check(run(["getent", "group", "zorgd"]).returncode != 0, "zorgd group left after purge")
    for f in ("/var/lib/zorgd", "/etc/zorgd", "/lib/systemd/system/zorgd.service",
              "/usr/share/zorgterm", "/usr/share/doc/zorgd"):
        check(not os.path.exists(f), f"{f} left after purge")
    print("   installed with dpkg -i, ran, removed and purged")


def unpack_and_run(ctx, debs, version):
    root = os.path.join(ctx.tmp, "root")
    for d in debs:
        r = run(["dpkg-deb", "-x", d, root])
        check(r.returncode == 0, f"dpkg-deb -x: {r.stderr}")
    for prog in ("zorgd", "zorgterm"):
        v = run([os.path.join(root, "usr", "bin", prog), "--version"])
        check(v.stdout.strip() == f"{prog} {version}", f"{prog} --version: {v.stdout}")
    print("   not root or already installed: unpacked into a throwaway root instead")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.environ.get("BUILD", "build"))
    ap.add_argument("-k", default="")
    ap.add_argument("--no-deb", action="store_true",
                    help="skip the Debian package test (the sanitizer run of this level)")
    args = ap.parse_args()
    ctx = Ctx(args.build)
    passed = failed = 0
    try:
        for t in TESTS:
            if args.k and args.k not in t.__name__:
                continue
            if args.no_deb and t.__name__.startswith("debian_"):
                continue
            t0 = time.monotonic()
            try:
                t(ctx)
                passed += 1
                print(f"ok   {t.__name__} ({time.monotonic() - t0:.1f} s)")
            except Exception as e:
                failed += 1
                print(f"FAIL {t.__name__}: {e}")
                if not isinstance(e, AssertionError):
                    traceback.print_exc(file=sys.stdout)
            sys.stdout.flush()
    finally:
        shutil.rmtree(ctx.tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
