#!/usr/bin/env python3
"""TUI test level: the real zorgterm in a pseudo-terminal read by libvterm (vtdrive),
against a real zorgd over HTTPS with a temporary demo database.

    python3 tests/tui/run.py --build build [-k SUBSTRING]

Every function named test_* below is one test; each starts its own zorgterm with its own
XDG directories. Waits are for text on the screen with a deadline, never sleeps. The last
line printed is 'N passed, N failed'.
"""

import argparse
import os
import re
import shutil
import socket
import sqlite3
import sys
import tempfile
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "tools"))

from vtdrive import VT  # noqa: E402
from zorgd_fixture import Zorgd, wait_until  # noqa: E402


class Ctx:
    """What every test gets: the server, the build, helpers to start zorgterm."""

    def __init__(self, build, zorgd):
        self.build = build
        self.zorgd = zorgd
        self.scale = zorgd.timeout_scale
        self.vts = []
        self.homes = []

    def t(self, seconds):
        """A deadline stretched for slow (sanitizer) builds."""
        return seconds * self.scale

    def term(self, *args, user="coordinator", cols=80, rows=24, term="xterm-256color", home=None,
             server=None, env=None):
        """Start zorgterm in a fresh pseudo-terminal; returns (vt, home)."""
        if not home:
            home = tempfile.mkdtemp(prefix="zorgterm-tui-")
            self.homes.append(home)
        e = {"XDG_STATE_HOME": os.path.join(home, "state"),
             "XDG_CACHE_HOME": os.path.join(home, "cache"),
             "XDG_CONFIG_HOME": os.path.join(home, "config"),
             "NO_COLOR": None, "ESCDELAY": None}
        # Sanitizer reports (a leak is reported at exit, after curses gave stderr back to
        # the terminal) go to files in the home, checked after the test.
        san = os.path.join(home, "sanitizer")
        e["ASAN_OPTIONS"] = (os.environ.get("ASAN_OPTIONS", "") + f":log_path={san}").lstrip(":")
        e["UBSAN_OPTIONS"] = (os.environ.get("UBSAN_OPTIONS", "") + f":log_path={san}").lstrip(":")
        e.update(env or {})
        cmd = [os.path.join(self.build, "bin", "zorgterm"),
               "--server", server or f"https://127.0.0.1:{self.zorgd.port}",
               "--ca-file", self.zorgd.pem("ca.pem")]
        if user:
            cmd += ["--user", user]
        cmd += list(args) + ["--log-level", "debug"]
        vt = VT(cmd, cols=cols, rows=rows, term=term, env=e,
                vtdrive=os.path.join(self.build, "bin", "vtdrive"))
        self.vts.append(vt)
        return vt, home

    def login(self, vt, password="demo"):
        """Type the password on the login screen and wait for the client list."""
        vt.wait("Wachtwoord", self.t(10))
        vt.type(password)
        vt.keys("<enter>")
        vt.wait("Cliëntnr", self.t(10))
        vt.wait("online", self.t(10))
        vt.wait(">C", self.t(10))  # the list itself, not only the header
        vt.wait("cliënten |", self.t(10))  # drawn after the rows: the whole list is there
        vt.wait(") | ", self.t(10))  # the header names user and role: /me has arrived

    def open_location_page(self, vt):
        """From the client list: the location tree (t), the first location below the root,
        its page in Ons Cliënt (c)."""
        vt.keys("t")
        vt.wait("Locatiegram", self.t(5))
        vt.keys("<down>")
        vt.keys("c")
        vt.wait("Locatie:", self.t(10))

    def db(self):
        return self.zorgd.db()

    def close_all(self):
        """Close every terminal, then look in each zorgterm log for sanitizer reports
        (stderr goes to the log while curses runs); returns them and removes the homes."""
        for vt in self.vts:
            vt.close()
        self.vts = []
        found = []
        for home in self.homes:
            text = ""
            logs = [os.path.join(home, "state", "zorgterm", "zorgterm.log")]
            logs += [os.path.join(home, f) for f in os.listdir(home) if f.startswith("sanitizer")]
            for log in logs:
                try:
                    with open(log, encoding="utf-8", errors="replace") as f:
                        text += f.read()
                except OSError:
                    pass
            for marker in ("Sanitizer", "runtime error:"):
                i = text.find(marker)
                if i >= 0:
                    found.append(text[max(0, i - 200):i + 1500])
                    break
            shutil.rmtree(home, ignore_errors=True)
        self.homes = []
        return found


class SamePortZorgd(Zorgd):
    """A zorgd that comes back on the port it had (for offline/online tests)."""

    def restart(self):
        port = self.port
        import zorgd_fixture
        orig = zorgd_fixture.free_port
        zorgd_fixture.free_port = lambda: port
        try:
            self.start()
        finally:
            zorgd_fixture.free_port = orig


def fold(s):
    """Lower case without diacritics, as zorgterm's search folds."""
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if not unicodedata.combining(c))


def list_rows(vt):
    """The client rows on screen (lines starting with a client number)."""
    return [r for r in vt.screen() if re.match(r"^[> ]C\d{6}\b", r)]


def bump_client(ctx, client_id, name):
    """Change a client's name directly in the store, as another writer would."""
    db = sqlite3.connect(ctx.zorgd.db_path, timeout=10)
    try:
        with db:
            rev = db.execute("UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value").fetchone()[0]
            db.execute("UPDATE clients SET name = ?, search_name = lower(?), rev = ? WHERE id = ?",
                       (name, name, rev, client_id))
    finally:
        db.close()


# ---- tests ------------------------------------------------------------------------------

def test_login_search_open_reveal(ctx):
    """Log in, search 'jose' (finds José), open the client, reveal the BSN, go back."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys("/")
    vt.type("jose")
    vt.wait("José van den Berg", ctx.t(5))
    vt.wait(" van 103 cliënten", ctx.t(5))
    rows = list_rows(vt)
    assert rows, vt.dump()
    for r in rows:
        name = fold(r[11:46])
        assert "jose" in name, "row does not match 'jose':\n" + vt.dump()
    vt.type(" berg")
    vt.wait("José van den Berg", ctx.t(5))
    vt.keys("<enter>")
    vt.wait("Personalia", ctx.t(5))
    vt.wait("Adressen", ctx.t(10))
    vt.wait("(r: tonen)", ctx.t(5))
    assert not re.search(r"BSN\s+\d{9}", vt.text()), "BSN shown before reveal:\n" + vt.dump()
    vt.keys("r")
    wait_until(lambda: re.search(r"BSN\s+\d{9}", vt.text()), ctx.t(5), what="revealed BSN")
    assert "[actief]" in vt.text(), vt.dump()
    vt.keys("q")
    vt.wait("Cliëntnr", ctx.t(5))
    vt.wait_gone("Personalia", ctx.t(5))


def test_wrong_password_message(ctx):
    """A wrong password gets a clear Dutch message and stays on the login screen."""
    vt, _ = ctx.term()
    vt.wait("Wachtwoord", ctx.t(10))
    vt.type("fout")
    vt.keys("<enter>")
    vt.wait("Gebruikersnaam of wachtwoord klopt niet", ctx.t(10))
    assert "Inloggen" in vt.text()


def test_resize_reflows_and_too_small(ctx):
    """Resize to 100x30 shows more rows, below 80x24 a notice, and back again."""
    vt, _ = ctx.term()
    ctx.login(vt)
    before = 24 - 5  # header, column titles, search, status and key lines
    wait_until(lambda: len(list_rows(vt)) == before, ctx.t(5), what="a full list at 80x24")
    vt.resize(100, 30)
    wait_until(lambda: len(list_rows(vt)) > before, ctx.t(5), what="more rows after resize")
    assert max(len(r) for r in vt.screen()) > 80, vt.dump()
    vt.resize(70, 20)
    vt.wait("te klein", ctx.t(5))
    vt.resize(80, 24)
    vt.wait("Cliëntnr", ctx.t(5))
    wait_until(lambda: len(list_rows(vt)) == before, ctx.t(5), what="rows back at 80x24")


def test_offline_and_recovery(ctx):
    """Stopping zorgd shows 'offline' with the data's age; it recovers by itself."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.wait("103 cliënten", ctx.t(5))
    ctx.zorgd.stop()
    try:
        vt.wait("offline", ctx.t(15))
        vt.wait("geleden", ctx.t(5))
        assert "103 cliënten" in vt.text() and list_rows(vt), \
            "the replica must keep serving:\n" + vt.dump()
        vt.keys("/")
        vt.type("jose")
        vt.wait("José", ctx.t(5))
    finally:
        ctx.zorgd.restart()
    vt.wait("online", ctx.t(40))


def test_quit_restores_terminal(ctx):
    """q quits with status 0 and leaves the terminal as it was."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys("q")
    st = vt.wait_exit(ctx.t(10))
    assert st == ("exited", 0), st
    m = vt.modes()
    assert m["altscreen"] == 0 and m["cursor"] == 1, m


def test_sigterm_restores_terminal(ctx):
    """SIGTERM ends zorgterm cleanly with the terminal restored."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.signal("TERM")
    st = vt.wait_exit(ctx.t(10))
    assert st == ("exited", 0), st
    m = vt.modes()
    assert m["altscreen"] == 0 and m["cursor"] == 1, m


def test_vt100_monochrome(ctx):
    """TERM=vt100 at 80x24: everything works, the selection is shown in reverse video."""
    vt, _ = ctx.term(term="vt100")
    ctx.login(vt)
    pos = vt.find(">C")
    assert pos, vt.dump()
    a = vt.attrs(pos[0], 3)
    assert a.get("reverse") == 1, a
    vt.keys("?")
    vt.wait("Hulp bij de toetsen", ctx.t(5))


def test_256_colours_and_status_words(ctx):
    """xterm-256color: the selection has a colour; the state is also a word ('online')."""
    vt, _ = ctx.term()
    ctx.login(vt)
    pos = vt.find(">C")
    a = vt.attrs(pos[0], 3)
    assert a.get("bg") != "default" or a.get("reverse") == 1, a
    assert "online" in vt.screen()[0], vt.dump()


def test_no_color_is_honoured(ctx):
    """NO_COLOR=1: text uses no colour; the selection is shown in reverse video."""
    vt, _ = ctx.term(env={"NO_COLOR": "1"})
    ctx.login(vt)
    pos = vt.find(">C")
    a = vt.attrs(pos[0], 3)
    assert a.get("reverse") == 1, a
    plain = vt.attrs(pos[0] + 1, 3)
    assert plain.get("fg") == "default" and plain.get("bg") == "default", plain
    assert plain.get("reverse") == 0, plain


def test_network_text_is_sanitised(ctx):
    """Escape sequences in a client name from the server are shown harmlessly."""
    vt, _ = ctx.term()
    ctx.login(vt)
    db = ctx.db()
    try:
        cid = db.execute(
            "SELECT c.id FROM clients c JOIN location_closure lc ON lc.descendant = c.location_id"
            " JOIN locations l ON l.id = lc.ancestor WHERE l.name = 'Regio Noord' AND c.id > 1"
            " AND c.id NOT IN (SELECT client_id FROM hct_orders)"
            " AND c.id NOT IN (SELECT client_id FROM hct_registrations)"
            " ORDER BY c.id LIMIT 1").fetchone()[0]
    finally:
        db.close()
    bump_client(ctx, cid, "Evil \x1b[2J\x1b]0;pwned\x07Naam \u202eabc")
    vt.keys("/")
    vt.type("evil")
    vt.wait("Evil ␛[2J␛]0;pwned␇Naam", ctx.t(15))
    assert "Cliëntnr" in vt.text(), "the screen was cleared by the name:\n" + vt.dump()


def test_help_overlay(ctx):
    """? shows help generated from the action registry; any key closes it."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys("?")
    vt.wait("Hulp bij de toetsen", ctx.t(5))
    vt.wait("Locatiegram: filter op locatie", ctx.t(5))
    vt.keys("x")
    vt.wait_gone("Hulp bij de toetsen", ctx.t(5))


def test_location_tree_filter(ctx):
    """The locatiegram filters the list to a location's subtree."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys("t")
    vt.wait("Locatiegram", ctx.t(5))
    vt.wait("Wijkteam Meppel", ctx.t(5))
    for _ in range(3):  # Alle locaties, organisation, Regio Noord, first team
        vt.keys("<down>")
    vt.keys("<enter>")
    vt.wait_gone("Alle locaties", ctx.t(5))
    wait_until(lambda: "van" in vt.screen()[-3], ctx.t(5), what="filtered count")
    rows = list_rows(vt)
    assert rows, vt.dump()
    team = vt.screen()[-3].split("|")[-1].strip()
    assert team.startswith("Wijkteam"), vt.dump()
    for r in rows:
        assert team[:18] in r, f"row outside {team}:\n" + vt.dump()


def test_warm_start_paints_offline(ctx):
    """With a warm replica and no server, zorgterm paints the list at once, offline."""
    vt, home = ctx.term()
    ctx.login(vt)
    vt.keys("q")
    vt.wait_exit(ctx.t(10))
    ctx.zorgd.stop()
    try:
        vt2, _ = ctx.term(home=home)
        vt2.wait("Cliëntnr", ctx.t(5))
        vt2.wait(">C", ctx.t(5))
        vt2.wait("offline", ctx.t(15))
    finally:
        ctx.zorgd.restart()
    vt2.wait("online", ctx.t(40))


def test_esc_cancels_a_hanging_request(ctx):
    """Against a server that never answers, keys stay live and Esc cancels the login."""
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(8)
    port = lsock.getsockname()[1]
    held = []
    stop = threading.Event()

    def hold():
        lsock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(lsock.accept()[0])
            except OSError:
                pass

    th = threading.Thread(target=hold, daemon=True)
    th.start()
    try:
        vt, _ = ctx.term(server=f"https://127.0.0.1:{port}")
        vt.wait("Wachtwoord", ctx.t(10))
        vt.type("demo")
        vt.keys("<enter>")
        vt.wait("Bezig met inloggen", ctx.t(5))
        vt.keys("<f1>")  # still responsive: help opens and closes
        vt.wait("Hulp bij de toetsen", ctx.t(5))
        vt.keys("x")
        vt.keys("<esc>")
        vt.wait("Geannuleerd", ctx.t(5))
    finally:
        stop.set()
        th.join()
        for s in held:
            s.close()
        lsock.close()


def test_suspend_and_resume_redraw(ctx):
    """Ctrl-Z (SIGTSTP) and fg (SIGCONT) give a correctly redrawn screen."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.signal("TSTP")
    # Stopped: curses left the alternate screen before stopping.
    # idle() lets vtdrive read what zorgterm wrote before modes() looks at the state.
    wait_until(lambda: vt.idle(0.05, 1) and vt.modes()["altscreen"] == 0, ctx.t(5), what="suspend")
    # fg: a CONT that lands before the stop completes is repeated, as a user would.
    def resumed():
        vt.signal("CONT")
        try:
            vt.wait("Cliëntnr", 1)
            return True
        except AssertionError:
            return False
    wait_until(resumed, ctx.t(10), what="redraw after SIGCONT")
    vt.keys("/")
    vt.type("jose")
    vt.wait("José", ctx.t(5))


def test_bsn_lookup_opens_client(ctx):
    """A nine-digit query with no local match looks the BSN up on the server."""
    db = ctx.db()
    try:
        bsn, name = db.execute(
            "SELECT c.bsn, c.name FROM clients c JOIN location_closure lc ON lc.descendant ="
            " c.location_id JOIN locations l ON l.id = lc.ancestor WHERE l.name = 'Regio Noord'"
            " ORDER BY c.id DESC LIMIT 1").fetchone()
    finally:
        db.close()
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys("/")
    vt.type(bsn)
    vt.keys("<enter>")
    vt.wait("Personalia", ctx.t(10))
    vt.wait(name[:20], ctx.t(10))


def test_english_interface(ctx):
    """language=en shows the English texts."""
    vt, _ = ctx.term("--language", "en")
    vt.wait("User name", ctx.t(10))
    vt.type("demo")
    vt.keys("<enter>")
    vt.wait("Client no", ctx.t(10))


def test_logout_wipes_replica(ctx):
    """L asks first, then logs out and wipes the replica and the token."""
    vt, home = ctx.term()
    ctx.login(vt)
    cache = os.path.join(home, "cache", "zorgterm")
    assert any(f.endswith(".db") for f in os.listdir(cache)), os.listdir(cache)
    vt.keys("L")
    vt.wait("(j/n)", ctx.t(5))
    vt.keys("j")
    vt.wait("uitgelogd", ctx.t(5))
    vt.wait("Wachtwoord", ctx.t(5))
    assert not any(f.endswith(".db") for f in os.listdir(cache)), os.listdir(cache)
    state = os.path.join(home, "state", "zorgterm")
    assert not any(f.endswith(".token") for f in os.listdir(state)), os.listdir(state)


def test_private_files(ctx):
    """The replica, the token and the log are readable by the user only (0600)."""
    vt, home = ctx.term()
    ctx.login(vt)
    for sub in ("cache", "state"):
        d = os.path.join(home, sub, "zorgterm")
        for f in os.listdir(d):
            mode = os.stat(os.path.join(d, f)).st_mode & 0o777
            assert mode == 0o600, f"{f} has mode {oct(mode)}"


def test_certificate_problem_message(ctx):
    """A server certificate that does not verify gives a clear Dutch message, no login."""
    home = tempfile.mkdtemp(prefix="zorgterm-tui-")
    ctx.homes.append(home)
    vt = VT([os.path.join(ctx.build, "bin", "zorgterm"), "--server", f"https://127.0.0.1:{ctx.zorgd.port}",
             "--ca-file", ctx.zorgd.pem("rogue-ca.pem"), "--user", "coordinator"],
            env={"XDG_STATE_HOME": os.path.join(home, "s"), "XDG_CACHE_HOME": os.path.join(home, "c"),
                 "XDG_CONFIG_HOME": os.path.join(home, "f")},
            vtdrive=os.path.join(ctx.build, "bin", "vtdrive"))
    ctx.vts.append(vt)
    vt.wait("Wachtwoord", ctx.t(10))
    vt.type("demo")
    vt.keys("<enter>")
    vt.wait("certificaat van de server kan niet worden gecontroleerd", ctx.t(10))
    assert "Inloggen" in vt.text()


def test_unreachable_server_message(ctx):
    """No server at the address: 'niet bereikbaar', and the login screen stays usable."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nobody listens here now
    vt, _ = ctx.term(server=f"https://127.0.0.1:{port}")
    vt.wait("Wachtwoord", ctx.t(10))
    vt.type("demo")
    vt.keys("<enter>")
    vt.wait("niet bereikbaar", ctx.t(10))


def test_throttled_login_message(ctx):
    """After too many failed logins the wait is shown in seconds."""
    vt, _ = ctx.term(user="tui-nobody")
    vt.wait("Wachtwoord", ctx.t(10))
    def failures():
        db = ctx.db()
        try:
            row = db.execute("SELECT failures FROM login_failures WHERE key = 'user:tui-nobody'").fetchone()
            return row[0] if row else 0
        finally:
            db.close()

    for i in range(5):
        vt.type("fout")
        vt.keys("<enter>")
        wait_until(lambda: failures() == i + 1, ctx.t(10), what=f"failed login {i + 1}")
        vt.wait("klopt niet", ctx.t(10))
        vt.wait_gone("Bezig met inloggen", ctx.t(10))
    vt.type("fout")
    vt.keys("<enter>")
    vt.wait("Te veel mislukte pogingen", ctx.t(10))
    assert re.search(r"over \d+ seconden", vt.text()), vt.dump()


def test_background_update_keeps_selection(ctx):
    """A change arriving from the server never moves the selection or its screen row."""
    vt, _ = ctx.term()
    ctx.login(vt)
    for _ in range(5):
        vt.keys("<down>")
    wait_until(lambda: (vt.find(">C") or (0,))[0] == 7, ctx.t(5), what="selection on row 7")
    row, _col = vt.find(">C")
    selected = vt.screen()[row][1:8]
    db = ctx.db()
    try:
        ids = [r[0] for r in db.execute(
            "SELECT c.id FROM clients c JOIN location_closure lc ON lc.descendant = c.location_id"
            " JOIN locations l ON l.id = lc.ancestor WHERE l.name = 'Regio Noord'"
            " AND c.client_number != ? AND c.id NOT IN (SELECT client_id FROM hct_orders)"
            " ORDER BY c.id DESC LIMIT 2", (selected,))]
    finally:
        db.close()
    # One name sorts before everything (lands above the selection), one right after it.
    bump_client(ctx, ids[0], "Aaaa Bovenaan")
    after = re.split(r"\s{2,}", vt.screen()[row][11:].strip())[0] + "z Zichtbaar"
    bump_client(ctx, ids[1], after)
    vt.wait("z Zichtbaar", ctx.t(15))
    row2, _ = vt.find(">C")
    assert row2 == row and vt.screen()[row2][1:8] == selected, \
        f"selection moved from row {row} ({selected}):\n" + vt.dump()


def test_renamed_client_shows_new_name(ctx):
    """The list keeps no names in memory but reads them from the replica for the rows on
    screen: a client renamed by another writer shows its new name beside its own number and
    birth date, and still does after a warm start."""
    vt, home = ctx.term()
    ctx.login(vt)
    row, _ = vt.find(">C")
    number = vt.screen()[row][1:8]
    db = ctx.db()
    try:
        cid, name, search_name, birth = db.execute(
            "SELECT id, name, search_name, birth_date FROM clients WHERE client_number = ?",
            (number,)).fetchone()
    finally:
        db.close()
    y, m, d = birth.split("-")
    shown_birth = f"{d}-{m}-{y}"
    try:
        bump_client(ctx, cid, "Aaab Hernoemd")
        vt.wait("Aaab Hernoemd", ctx.t(15))
        line = next((r for r in list_rows(vt) if r[1:8] == number), "")
        assert "Aaab Hernoemd" in line and shown_birth in line, \
            f"{number} does not show its new name and birth date {shown_birth}:\n" + vt.dump()
        assert not any(name in r for r in list_rows(vt)), "the old name is still shown:\n" + vt.dump()
        vt.keys("q")
        vt.wait_exit(ctx.t(10))
        vt2, _ = ctx.term(home=home)
        vt2.wait("Aaab Hernoemd", ctx.t(10))
        line = next((r for r in list_rows(vt2) if r[1:8] == number), "")
        assert "Aaab Hernoemd" in line and shown_birth in line, "after a warm start:\n" + vt2.dump()
    finally:
        bump_client(ctx, cid, name)
        db = ctx.db()  # the exact search name back too, for the tests after this one
        try:
            with db:
                db.execute("UPDATE clients SET search_name = ? WHERE id = ?", (search_name, cid))
        finally:
            db.close()


def test_client_list_locations_whole_at_80_columns(ctx):
    """At 80x24 the client list shows the demo's location names whole (the name column does
    not keep spare width while the location is cut with an ellipsis)."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.wait("Wijkteam Groningen Zuid", ctx.t(10))
    rows = vt.screen()[2:20]
    assert not any("…" in r for r in rows), vt.dump()


def test_corrupt_replica_is_rebuilt(ctx):
    """A damaged replica is set aside with a notice and rebuilt from the server."""
    vt, home = ctx.term()
    ctx.login(vt)
    vt.keys("q")
    vt.wait_exit(ctx.t(10))
    cache = os.path.join(home, "cache", "zorgterm")
    db = next(os.path.join(cache, f) for f in os.listdir(cache) if f.endswith(".db"))
    for extra in ("-wal", "-shm"):
        if os.path.exists(db + extra):
            os.unlink(db + extra)
    with open(db, "r+b") as f:
        f.write(b"this is no SQLite database" * 100)
    vt2, _ = ctx.term(home=home)
    vt2.wait("beschadigd", ctx.t(10))
    vt2.wait(">C", ctx.t(15))  # synced again from the server
    assert any(".bad-" in f for f in os.listdir(cache)), os.listdir(cache)


def test_every_theme_loads(ctx):
    """Each shipped theme loads without a complaint; an unknown one is named clearly and
    the built-in colours are used."""
    for theme in ("default", "light", "dark", "high-contrast", "mono"):
        vt, _ = ctx.term("--theme", theme)
        vt.wait("Wachtwoord", ctx.t(10))
        assert ".theme" not in vt.text(), f"{theme}:\n" + vt.dump()
        vt.close()
        ctx.vts.remove(vt)
    vt, _ = ctx.term("--theme", "paars")
    vt.wait("Thema niet geladen", ctx.t(10))
    vt.wait("paars", ctx.t(5))
    vt.wait("Wachtwoord", ctx.t(5))


def test_cursor_follows_focus(ctx):
    """The hardware cursor sits on the focused field, then on the selected row."""
    vt, _ = ctx.term()
    vt.wait("Wachtwoord", ctx.t(10))
    vt.idle(0.1, 5)
    row, _col = vt.cursor()
    assert "Wachtwoord" in vt.screen()[row], (row, vt.dump())
    ctx.login(vt)
    vt.keys("<down>")
    vt.keys("<down>")
    wait_until(lambda: vt.idle(0.05, 1) and vt.cursor()[0] == vt.find(">C")[0], ctx.t(5),
               what="cursor on the selected row")


def test_client_moved_out_of_scope_disappears(ctx):
    """A client moved out of the user's scope (which the feed cannot report) is dropped
    from the replica when zorgterm reconciles, and with it from the list and the disk."""
    db = ctx.db()
    try:
        cid, number, old = db.execute(
            "SELECT c.id, c.client_number, c.location_id FROM clients c"
            " JOIN location_closure lc ON lc.descendant = c.location_id"
            " JOIN locations l ON l.id = lc.ancestor WHERE l.name = 'Regio Noord'"
            " AND c.id NOT IN (SELECT client_id FROM hct_orders) ORDER BY c.id DESC LIMIT 1").fetchone()
        other = db.execute("SELECT id FROM locations WHERE name = 'Wijkteam Deventer'").fetchone()[0]
    finally:
        db.close()
    vt, home = ctx.term()
    ctx.login(vt)
    vt.wait("103 cliënten", ctx.t(5))
    vt.keys("q")
    vt.wait_exit(ctx.t(10))
    db = ctx.db()
    try:
        with db:
            rev = db.execute("UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value").fetchone()[0]
            db.execute("UPDATE clients SET location_id = ?, rev = ? WHERE id = ?", (other, rev, cid))
        vt2, _ = ctx.term(home=home)
        vt2.wait("102 cliënten", ctx.t(15))
        vt2.keys("/")
        vt2.type(number.lower())
        vt2.wait("0 van 102", ctx.t(5))
        cache = os.path.join(home, "cache", "zorgterm")
        rdb = next(os.path.join(cache, f) for f in os.listdir(cache) if f.endswith(".db"))
        r = sqlite3.connect(rdb)
        try:
            assert r.execute("SELECT count(*) FROM clients WHERE id = ?", (cid,)).fetchone()[0] == 0
        finally:
            r.close()
    finally:
        with db:
            rev = db.execute("UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value").fetchone()[0]
            db.execute("UPDATE clients SET location_id = ?, rev = ? WHERE id = ?", (old, rev, cid))
        db.close()


def test_first_sync_shows_progress(ctx):
    """A first sync of many pages shows a progress bar, then says it is complete."""
    big = SamePortZorgd(REPO, ctx.build)
    try:
        big.create_demo(clients=20000, seed=3)
        big.start()
        vt, _ = ctx.term(user="administrator", server=f"https://127.0.0.1:{big.port}")
        vt.wait("Wachtwoord", ctx.t(10))
        vt.type("demo")
        vt.keys("<enter>")
        vt.wait("Synchroniseren [", ctx.t(20))
        vt.wait("Synchronisatie klaar: 20000", ctx.t(60))
        vt.wait("20000 cliënten", ctx.t(10))
    finally:
        big.cleanup()


def collect():
    """The tests of this file, then of the other tui modules (tui_*.py here)."""
    tests = [(n, f) for n, f in list(globals().items()) if n.startswith("test_") and callable(f)]
    sys.path.insert(0, HERE)
    for name in sorted(os.listdir(HERE)):
        if name.startswith("tui_") and name.endswith(".py"):
            mod = __import__(name[:-3])
            tests += [(n, f) for n, f in vars(mod).items()
                      if n.startswith("test_") and callable(f) and f.__module__ == mod.__name__]
    return tests


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("-k", default="")
    args = ap.parse_args()
    build = args.build if os.path.isabs(args.build) else os.path.join(REPO, args.build)
    z = SamePortZorgd(REPO, build)
    missing = z.check_files()
    if not os.access(os.path.join(build, "bin", "zorgterm"), os.X_OK):
        missing.append("zorgterm")
    if not os.access(os.path.join(build, "bin", "vtdrive"), os.X_OK):
        missing.append("vtdrive")
    if missing:
        print("missing: " + ", ".join(missing))
        print("0 passed, 1 failed")
        return 1
    z.create_demo(clients=300, seed=7)
    z.start()
    ctx = Ctx(build, z)
    passed = failed = 0
    try:
        for name, fn in collect():
            if args.k and args.k not in name:
                continue
            t0 = time.monotonic()
            try:
                if not z.running():
                    z.restart()
                fn(ctx)
                reports = ctx.close_all()
                if reports:
                    raise AssertionError("zorgterm reported a sanitizer finding:\n" + reports[0])
                passed += 1
                print(f"ok   {name} ({time.monotonic() - t0:.1f} s)")
            except Exception as e:  # a failed test, reported with its reason
                failed += 1
                reason = str(e) if isinstance(e, AssertionError) else \
                    f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=4)}"
                print(f"FAIL {name}: {reason}")
                print("     zorgd log tail:\n" + z.log_tail(10))
            finally:
                ctx.close_all()
    finally:
        if z.running():
            z.stop()
        z.cleanup()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
