"""TUI tests of issue 7, "what a new user met": one test (or more) per point, each failing
without its fix; plus the areas, the ':' command line and copying with `y`. All at 80x24."""

import os
import re
import sqlite3

from zorgd_fixture import wait_until
from tui_hct import client_with_order, open_hct, select_card, supplier, to_alternative_address

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def hints(vt):
    """The key-hint line (the last row)."""
    return vt.screen()[-1]


def bump_order(ctx, order_id, **cols):
    """Change an order's columns in the store with a new revision, as a writer would."""
    db = sqlite3.connect(ctx.zorgd.db_path, timeout=10)
    try:
        with db:
            rev = db.execute("UPDATE revision SET value = value + 1 WHERE id = 1 RETURNING value").fetchone()[0]
            sets = ", ".join(f"{k} = ?" for k in cols)
            db.execute(f"UPDATE hct_orders SET {sets}, rev = ? WHERE id = ?", (*cols.values(), rev, order_id))
    finally:
        db.close()


def login_as(ctx, vt):
    """Log in where the home screen is not the client list (wait for /me only)."""
    vt.wait("Wachtwoord", ctx.t(10))
    vt.type("demo")
    vt.keys("<enter>")
    vt.wait("online", ctx.t(10))
    vt.wait(") | ", ctx.t(10))


def valid_bsn_not_in(ctx):
    """A BSN that passes the 11-check and belongs to no client."""
    db = ctx.db()
    try:
        taken = {r[0] for r in db.execute("SELECT bsn FROM clients WHERE bsn IS NOT NULL")}
    finally:
        db.close()
    for n in range(100000000, 999999999, 7919):
        s = f"{n:09d}"
        total = sum(int(s[i]) * (9 - i) for i in range(8)) - int(s[8])
        if total % 11 == 0 and s not in taken:
            return s
    raise AssertionError("no free BSN")


# ---- 1. nothing a user must read is cut at 80x24 -------------------------------------------

def test_p1_long_reason_email_and_delete_question_are_whole(ctx):
    """A 140-character decline reason wraps over lines and is there in full; the orderer's
    e-mail address is whole; the delete question shows its answer keys."""
    name, oid = client_with_order(ctx, "DECLINED")
    words = ["Levering", "niet", "mogelijk", "omdat", "het", "opgegeven", "adres", "buiten",
             "ons", "bezorggebied", "valt;", "neem", "contact", "op", "met", "de", "klantenservice",
             "voor", "een", "andere", "leverancier", "alstublieft", "dank", "u", "wel", "einde"]
    reason = " ".join(words)[:140].rstrip()
    email = "planning.wijkteam.meppel-noord@zorggroep-delinde.example"
    bump_order(ctx, oid, supplier_note=reason, orderer_email=email)
    vt, _ = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt, query=name, name=name)
    select_card(ctx, vt, "Bestelling")
    vt.keys("<enter>")
    vt.wait("x Geweigerd", ctx.t(5))
    vt.wait(reason.split()[-1], ctx.t(5))  # the reason's last word: it was not cut
    rows = vt.screen()
    start = next(i for i, r in enumerate(rows) if r[2:].startswith("Reden"))
    col = rows[start].index(reason.split()[0])
    shown = [rows[start][col:].strip()]
    for r in rows[start + 1:]:
        if r[:col].strip() or not r[col:].strip():
            break  # the next label, or the end of the value
        shown.append(r[col:].strip())
    assert " ".join(shown) == reason, f"reason not whole:\n{vt.dump()}"
    vt.wait(email, ctx.t(5))
    vt.keys("v")
    vt.wait("niet bij de leverancier verwijderd", ctx.t(5))
    vt.wait("j = ja, n = nee (j/n)", ctx.t(5))
    vt.keys("n")


def test_p1_phone_error_draft_notice_and_ordering_column_are_whole(ctx):
    """The phone field's error, the draft notice after a restart and the 'Bestelfunctionaliteit'
    column are shown whole at 80x24."""
    vt, home = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt)
    vt.keys("b")
    vt.wait("Cliëntgegevens", ctx.t(5))
    for _ in range(4):  # device, address, team, e-mail, phone (the alternative address is hidden)
        vt.keys("<tab>")
    vt.keys("<c-u>")
    vt.type("12ab")
    vt.keys("<tab>")
    # The whole message, wrapped under the field.
    vt.wait("! Vul een geldig telefoonnummer in, zoals 06", ctx.t(5))
    vt.wait(" 12345678.", ctx.t(5))
    vt.keys("q")
    vt.close()
    ctx.vts.remove(vt)
    vt2, _ = ctx.term(home=home)
    vt2.wait(">C", ctx.t(10))
    vt2.wait("concept-bestelling klaar voor C000001", ctx.t(5))
    vt2.wait("h, b).", ctx.t(5))  # the whole notice, over two lines
    vt2.close()
    ctx.vts.remove(vt2)
    vt3, _ = ctx.term(user="administrator")
    login_as(ctx, vt3)
    vt3.keys(":")
    vt3.type("beheer")
    vt3.keys("<enter>")
    vt3.wait("Thuiszorgtechnologie beheren", ctx.t(5))
    vt3.wait("Bestelfunctionaliteit", ctx.t(5))
    header = next(r for r in vt3.screen() if r.lstrip().startswith("Hulpmiddel"))
    assert "Bestelfunctionaliteit" in header, vt3.dump()


# ---- 2. data that failed to load is loaded again when the connection returns ---------------

def test_p2_p7_personalia_reload_and_unreachable_clears(ctx):
    """Personalia opened while zorgd is away load by themselves once it is back; the
    'niet bereikbaar' message goes when 'online' returns; h then works."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys("/")
    vt.type("jose berg")
    vt.wait("José van den Berg", ctx.t(5))
    ctx.zorgd.stop()
    try:
        vt.keys("<enter>")
        vt.wait("Personalia", ctx.t(5))
        vt.wait("niet bereikbaar", ctx.t(15))
        assert "Adressen" not in vt.text(), vt.dump()
    finally:
        ctx.zorgd.restart()
    vt.wait("online", ctx.t(45))
    vt.wait("Adressen", ctx.t(15))  # no key pressed
    vt.wait_gone("niet bereikbaar", ctx.t(5))
    vt.keys("h")
    vt.wait("Thuiszorgtechnologie:", ctx.t(5))
    assert "Open eerst" not in vt.text(), vt.dump()


# ---- 3. hint-bar labels are written for the bar ---------------------------------------------

def test_p3_hint_labels_say_what_happens(ctx):
    """The bar says 'L Uitloggen', 'r BSN tonen', 'h Hulpmiddelen', not first words."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.wait("L Uitloggen", ctx.t(5))
    vt.keys("<enter>")
    vt.wait("Adressen", ctx.t(10))
    vt.wait("r BSN tonen", ctx.t(5))
    vt.wait("q Terug", ctx.t(5))  # the bar is drawn last, left to right: it is all there
    bar = hints(vt)
    assert "h Hulpmiddelen" in bar, vt.dump()
    for bad in ("r Show", "h The", "L Log", "r BSN  "):
        assert bad not in bar, vt.dump()


def test_p3_settings_labels(ctx):
    """The device settings' bar says what a and b switch."""
    vt, _ = ctx.term(user="beheerder")
    login_as(ctx, vt)
    vt.wait("Bestelfunctionaliteit", ctx.t(10))
    vt.wait("a In gebruik aan/uit", ctx.t(10))
    vt.wait("b Bestellen aan/uit", ctx.t(5))
    assert "a Hulpmiddel" not in hints(vt), vt.dump()


# ---- 4. dates are typed as they are shown; impossible dates are named ------------------------

def test_p4_dates_typed_as_shown(ctx):
    """The start date is prefilled as dd-mm-jjjj; 30-02-2026 is called impossible; ISO input
    gets the format message."""
    import time as _time
    vt, _ = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt)
    vt.keys("a")
    vt.wait("Thuiszorgtechnologie toevoegen", ctx.t(5))
    vt.wait(_time.strftime("%d-%m-%Y"), ctx.t(5))  # the start date, as shown everywhere
    vt.keys("<tab>")
    vt.type("CMP-DATE 1")
    vt.keys("<tab>")  # start date
    vt.keys("<tab>")  # end date
    vt.type("30-02-2026")
    vt.keys("<tab>")
    vt.wait("Deze datum bestaat niet: februari 2026 heeft geen", ctx.t(5))
    vt.wait(" dag 30.", ctx.t(5))
    vt.keys("<up>")
    for _ in range(10):
        vt.keys("<bs>")
    vt.type("2026-03-05")
    vt.keys("<tab>")
    vt.wait("Vul een datum in als dd-mm-jjjj", ctx.t(5))


# ---- 5. offered = allowed, from the user's tasks and scope ----------------------------------

def test_p5_coordinator_help_has_no_settings(ctx):
    """The coordinator (no hct.settings.view) is not offered device settings in the help."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys("?")
    vt.wait("Hulp bij de toetsen", ctx.t(5))
    vt.wait("Druk op een toets om de hulp te sluiten", ctx.t(5))  # its last line: all drawn
    assert "[settings]" not in vt.text() and "Thuiszorgtechnologie beheren" not in vt.text(), vt.dump()
    assert "i Beheer" not in vt.text(), vt.dump()


def test_p5_zorgverlener_has_no_bsn_key(ctx):
    """A zorgverlener (no client.bsn.view) is not offered 'r BSN tonen'."""
    vt, _ = ctx.term(user="zorgverlener")
    ctx.login(vt)
    vt.keys("<enter>")
    vt.wait("Personalia", ctx.t(5))
    vt.wait("geen toegang", ctx.t(10))
    vt.wait("h Hulpmiddelen", ctx.t(5))
    vt.wait("q Terug", ctx.t(5))
    assert "BSN tonen" not in hints(vt) and "r " not in hints(vt)[:3], vt.dump()


def test_p5_beheerder_lands_on_device_settings(ctx):
    """A beheerder (no client records) starts on the device settings, not an empty list."""
    vt, _ = ctx.term(user="beheerder")
    login_as(ctx, vt)
    vt.wait("Bestelfunctionaliteit", ctx.t(10))  # no key pressed
    vt.wait("a In gebruik aan/uit", ctx.t(10))  # the key line, drawn last
    vt.wait_gone("Zoeken:", ctx.t(5))
    assert "Cliëntnr" not in vt.text(), vt.dump()


def test_p5_location_tree_is_the_scope(ctx):
    """The coordinator's location tree is Regio Noord's, not the whole organisation's."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys("t")
    vt.wait("Locatiegram", ctx.t(5))
    vt.wait("Regio Noord", ctx.t(5))
    assert "Regio Zuid" not in vt.text() and "Regio Oost" not in vt.text(), vt.dump()


# ---- 6. in search mode, the keys shown are the keys that work --------------------------------

def test_p6_bsn_key_works_while_searching(ctx):
    """After typing nine digits the bar offers 'b BSN opzoeken' and b looks it up (it is not
    typed into the query)."""
    bsn = valid_bsn_not_in(ctx)
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys("/")
    vt.wait_gone("/ Zoeken", ctx.t(5))  # the list's keys are not offered while typing
    vt.type(bsn)
    vt.wait("b BSN opzoeken", ctx.t(5))
    vt.keys("b")
    vt.wait("Geen cliënt met dit BSN", ctx.t(10))
    row = vt.screen()[-3]
    assert bsn in row and bsn + "b" not in row, vt.dump()


# ---- 7. status messages expire ----------------------------------------------------------------

def test_p7_status_messages_expire(ctx):
    """A message ('Geen cliënt met dit BSN ...') does not stay on the status line for good."""
    bsn = valid_bsn_not_in(ctx)
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys("/")
    vt.type(bsn)
    vt.keys("b")
    vt.wait("Geen cliënt met dit BSN", ctx.t(10))
    vt.wait_gone("Geen cliënt met dit BSN", ctx.t(20))  # no key pressed


# ---- 8. getting out, help, bad bindings, bad themes ------------------------------------------

def test_p8_login_esc_leaves_and_question_mark_helps(ctx):
    """On the login screen ? (in the user-name field) opens the help and Esc leaves."""
    vt, _ = ctx.term()
    vt.wait("Wachtwoord", ctx.t(10))
    vt.keys("<up>")  # to the user-name field
    vt.keys("?")
    vt.wait("Hulp bij de toetsen", ctx.t(5))
    vt.keys("x")
    vt.wait_gone("Hulp bij de toetsen", ctx.t(5))
    assert "coordinator?" not in vt.text(), vt.dump()
    vt.keys("<esc>")
    assert vt.wait_exit(ctx.t(5))[0] == "exited", vt.dump()


def test_p8_unknown_binding_names_the_help_names(ctx):
    """An unknown action in keys = {...} is refused with the list of action names, the same
    names the help shows in brackets."""
    import tempfile
    h = tempfile.mkdtemp(prefix="zorgterm-tui-")
    ctx.homes.append(h)
    os.makedirs(os.path.join(h, "config", "zorgterm"))
    with open(os.path.join(h, "config", "zorgterm", "zorgterm.conf"), "w") as f:
        f.write('keys = { zoeken = "s"; };\n')
    vt, _ = ctx.term(home=h)
    vt.wait("unknown action 'zoeken'", ctx.t(5))
    vt.wait("search", ctx.t(5))
    vt.wait_exit(ctx.t(5))
    vt2, _ = ctx.term()
    ctx.login(vt2)
    vt2.keys("?")
    vt2.wait("[search]", ctx.t(5))


def test_p8_unknown_theme_is_named_with_the_choices(ctx):
    """--theme bogus is said on the screen, with the themes that exist."""
    vt, _ = ctx.term("--theme", "bogus")
    vt.wait("Thema niet geladen: 'bogus'", ctx.t(10))
    vt.wait("Beschikbaar:", ctx.t(5))
    assert "default" in vt.text() and "No such file" not in vt.text(), vt.dump()


# ---- 9. a draft can be thrown away -------------------------------------------------------------

def test_p9_discard_draft(ctx):
    """F8 in the order form asks, then throws the draft away: it does not come back."""
    vt, _ = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt)
    vt.keys("b")
    vt.wait("Cliëntgegevens", ctx.t(5))
    to_alternative_address(ctx, vt)
    vt.keys("<tab>")
    vt.type("Weggooistraat")
    vt.keys("<tab>")
    vt.keys("<esc>")
    vt.wait("Thuiszorgtechnologie:", ctx.t(5))
    vt.keys("b")
    vt.wait("Concept hersteld", ctx.t(5))
    vt.wait("Weggooistraat", ctx.t(5))
    vt.wait("F8 Concept weg", ctx.t(5))
    vt.keys("<f8>")
    vt.wait("wordt weggegooid", ctx.t(5))
    vt.wait("(j/n)", ctx.t(5))
    vt.keys("j")
    vt.wait("Concept weggegooid", ctx.t(5))
    vt.wait_gone("Weggooistraat", ctx.t(5))
    vt.keys("<esc>")
    vt.wait("Thuiszorgtechnologie:", ctx.t(5))
    vt.keys("b")
    vt.wait("Cliëntgegevens", ctx.t(5))
    vt.wait("F8 Concept weg", ctx.t(5))  # the key line, drawn after the status line
    assert "Concept hersteld" not in vt.text() and "Weggooistraat" not in vt.text(), vt.dump()


# ---- 10. the README answers a first user's questions ------------------------------------------

def test_p10_readme_and_install_step(ctx):
    """The README names the supplier certificates, shows a supplier's curl call and
    ZORGD_PORT; make demo's install step does not install the npm test tools."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    assert "ZORGD_PORT" in readme
    assert "build/pki/dosell.pem" in readme and "build/pki/dosell.key" in readme
    assert re.search(r"curl .*--cert build/pki/dosell\.pem", readme), "no supplier curl call"
    # make demo's install step ('core') with no node/npm on the PATH and every Debian
    # package present: nothing to do. 'check' asks for nodejs and npm (as a non-root user
    # it prints the apt-get line instead of installing).
    import shutil
    import subprocess
    import tempfile
    shims = tempfile.mkdtemp(prefix="zorgterm-deps-")
    try:
        for tool in ("awk", "dirname", "sed", "grep", "cat", "head", "tr", "rm", "touch", "ls"):
            real = shutil.which(tool)
            if real:
                os.symlink(real, os.path.join(shims, tool))
        for name, body in (("dpkg-query", "echo 'install ok installed'"), ("id", "echo 1000")):
            with open(os.path.join(shims, name), "w") as f:
                f.write("#!/bin/sh\n" + body + "\n")
            os.chmod(os.path.join(shims, name), 0o755)
        env = {"PATH": shims, "HOME": shims}
        sh = shutil.which("sh")
        core = subprocess.run([sh, os.path.join(REPO, "tools", "deps.sh"), "core"], env=env,
                              capture_output=True, text=True, timeout=60)
        assert core.returncode == 0 and "npm" not in core.stdout + core.stderr, core
        check = subprocess.run([sh, os.path.join(REPO, "tools", "deps.sh"), "check"], env=env,
                               capture_output=True, text=True, timeout=60)
        assert "nodejs npm" in check.stdout + check.stderr, check
    finally:
        shutil.rmtree(shims, ignore_errors=True)


# ---- areas, the command line, copying --------------------------------------------------------

def test_areas_by_number_and_command_line(ctx):
    """Digits and ':' with Tab completion reach the areas the tasks allow; others are refused."""
    vt, _ = ctx.term()
    ctx.login(vt)
    vt.keys(":")
    vt.type("ag")
    vt.keys("<tab>")
    vt.wait(":agenda", ctx.t(5))
    vt.keys("<enter>")
    vt.wait("nog niet beschikbaar", ctx.t(5))
    vt.keys("1")
    vt.wait("Cliëntnr", ctx.t(5))
    vt.keys("7")  # Audit: not a casemanager's task
    vt.wait("hoort niet bij uw taken", ctx.t(5))
    assert "Cliëntnr" in vt.text(), vt.dump()


def test_y_copies_the_client_number(ctx):
    """y copies the selected client number (OSC 52) and says so."""
    vt, _ = ctx.term()
    ctx.login(vt)
    row = next(r for r in vt.screen() if r.startswith(">C"))
    number = row[1:8]
    vt.raw_bytes()
    vt.keys("y")
    vt.wait(f"Gekopieerd naar het klembord: cliëntnummer {number}", ctx.t(5))
    assert vt.raw_bytes() > len(number), "no OSC 52 sequence written"
