"""TUI tests of Ons Cliënt, the Caren link (issue 9): a coordinator invites a client from
the personalia, saves the letter (a PDF in XDG_DOWNLOAD_DIR), the portal redeems the code
by curl and the open screen turns to "Actieve koppeling" by itself; unlink with a warning,
a required reason and a confirmation; the history shows it; invite again; revoke. Support
sees no actions. The dashboard and a location page (reached from the location tree) show
statuses from the replica, offline too."""

import json
import os
import re
import subprocess
import tempfile

from zorgd_fixture import wait_until


def portal(ctx, method, path, body=None):
    """A portal-API call with the demo caren certificate; returns (status, json)."""
    z = ctx.zorgd
    cmd = ["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "-X", method,
           "--cacert", z.pem("ca.pem"), "--cert", z.pem("caren.pem"), "--key", z.pem("caren.key"),
           f"https://127.0.0.1:{z.port}{path}"]
    if body is not None:
        cmd += ["-H", "Content-Type: application/json", "--data-binary", json.dumps(body)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
    text, _, code = out.rpartition("\n")
    return int(code), (json.loads(text) if text.strip() else None)


def heartbeat(ctx):
    code, _ = portal(ctx, "POST", "/v0/portal/heartbeat")
    assert code == 204, f"heartbeat: {code}"


def fresh_client(ctx):
    """(id, number, name) of a coordinator client without any Caren history, away from the
    ones other tests use."""
    db = ctx.db()
    try:
        rows = db.execute(
            "SELECT c.id, c.client_number, c.name FROM clients c"
            " JOIN location_closure lc ON lc.descendant = c.location_id"
            " JOIN staff_scope sc ON sc.location_id = lc.ancestor"
            " JOIN staff s ON s.id = sc.staff_id AND s.username = 'coordinator'"
            " WHERE c.deleted = 0 AND NOT EXISTS (SELECT 1 FROM caren_invitations i"
            " WHERE i.client_id = c.id) ORDER BY c.id").fetchall()
    finally:
        db.close()
    return rows[len(rows) // 2]


def open_caren_from_personalia(ctx, vt, number, name):
    vt.keys("/")
    vt.type(number)
    vt.wait(name, ctx.t(5))
    vt.keys("<enter>")
    vt.wait("Adressen", ctx.t(10))
    vt.keys("c")
    vt.wait("Koppelingshistorie", ctx.t(10))


def test_caren_invite_letter_redeem_unlink_revoke(ctx):
    heartbeat(ctx)
    cid, number, name = fresh_client(ctx)
    downloads = tempfile.mkdtemp(prefix="zorgterm-dl-")
    vt, _ = ctx.term(env={"XDG_DOWNLOAD_DIR": downloads})
    ctx.login(vt)
    open_caren_from_personalia(ctx, vt, number, name)
    vt.wait("Niet gekoppeld", ctx.t(5))
    vt.wait("Nog nooit gekoppeld", ctx.t(5))
    # Uitnodigen: the result shows at once.
    vt.keys("u")
    vt.wait("Uitnodiging is nog 42 dagen geldig", ctx.t(10))
    vt.wait("Openstaand", ctx.t(10))
    vt.wait("Uitnodiging aangemaakt, geldig tot en met ", ctx.t(5))
    assert re.search(r"geldig tot en met \w+dag \d+ \w+ \d{4}", vt.text()), vt.dump()
    # Brief opslaan: a PDF in the download directory, its path on the status line.
    vt.keys("b")
    vt.wait("Brief opgeslagen", ctx.t(10))
    pdfs = [f for f in os.listdir(downloads) if f.endswith(".pdf")]
    assert len(pdfs) == 1 and pdfs[0].startswith(f"caren-uitnodiging-{number}-"), pdfs
    path = os.path.join(downloads, pdfs[0])
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-", "the letter is not a PDF"
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True,
                          timeout=30).stdout
    m = re.search(r"Activeringscode: (\S+)", text)
    assert m and name in " ".join(text.split()), text[:500]
    # The portal redeems: the open screen turns by itself, no key pressed.
    code, body = portal(ctx, "POST", "/v0/portal/activations",
                        {"activationCode": m.group(1), "accountId": "tui-account"})
    assert code == 201, (code, body)
    vt.wait("Actieve koppeling", ctx.t(15))
    vt.wait("Gebruikt", ctx.t(10))
    # Ontkoppel account: warning, a required reason, then confirm.
    vt.keys("o")
    vt.wait("Let op", ctx.t(5))
    vt.keys("<enter>")
    vt.wait("Vul een reden in", ctx.t(5))
    vt.type("Verhuisd naar een verpleeghuis")
    vt.keys("<enter>")
    vt.wait("Account nu ontkoppelen?", ctx.t(5))
    vt.keys("j")
    vt.wait("Account ontkoppeld", ctx.t(10))
    vt.wait("Niet gekoppeld", ctx.t(10))
    # The history shows who ended it and why.
    vt.wait("Beëindigd", ctx.t(10))
    vt.wait("Verhuisd naar een verpleeghuis", ctx.t(5))
    vt.wait("Noëlle Kuipers", ctx.t(5))
    # Invite again, then revoke (asks first).
    vt.keys("u")
    vt.wait("Uitnodiging is nog 42 dagen geldig", ctx.t(10))
    vt.wait("Openstaand", ctx.t(10))
    vt.keys("i")
    vt.wait("Uitnodiging intrekken?", ctx.t(5))
    vt.keys("j")
    vt.wait("Uitnodiging ingetrokken", ctx.t(10))
    vt.wait("Ingetrokken", ctx.t(10))
    vt.wait("Niet gekoppeld", ctx.t(10))
    db = ctx.db()
    try:
        states = [r[0] for r in db.execute(
            "SELECT state FROM caren_invitations WHERE client_id = ? ORDER BY id", (cid,))]
        reason = db.execute("SELECT end_reason FROM caren_links WHERE client_id = ?",
                            (cid,)).fetchone()[0]
    finally:
        db.close()
    assert states == ["REDEEMED", "REVOKED"], states
    assert reason == "Verhuisd naar een verpleeghuis", reason


def test_caren_support_sees_no_actions(ctx):
    heartbeat(ctx)
    vt, _ = ctx.term(user="support")
    ctx.login(vt)
    vt.keys("2")
    vt.wait("Gekoppelde cliënten", ctx.t(10))
    vt.wait("Actieve koppeling", ctx.t(10))
    vt.keys("<enter>")
    vt.wait("Koppelingshistorie", ctx.t(10))
    wait_until(lambda: "Terug" in vt.screen()[-1], ctx.t(5), what="the hint bar")
    hints = vt.screen()[-1]
    for word in ("Uitnodigen", "Brief opslaan", "Intrekken", "Ontkoppel"):
        assert word not in hints, f"support is offered {word}: {hints}"
    vt.keys("u")
    vt.wait("geen toegang", ctx.t(5))


def test_caren_dashboard_location_page_and_offline(ctx):
    heartbeat(ctx)
    vt, _ = ctx.term()
    ctx.login(vt)
    # From the client list's location tree: "Naar locatie in Ons Cliënt".
    ctx.open_location_page(vt)
    vt.wait("Caren-status", ctx.t(5))
    vt.keys("q")
    # The dashboard: totals, statuses, the location tree with counts.
    vt.keys("2")
    vt.wait("Gekoppelde cliënten:", ctx.t(10))
    vt.wait("Uitnodiging is nog", ctx.t(10))
    vt.wait("Verstuurde berichten: 0", ctx.t(10))
    vt.wait("? Onbekend 0", ctx.t(5))
    vt.keys("t")
    vt.wait("Locatiegram", ctx.t(5))
    # Per-location counts (right-aligned beside the name), once the box is drawn whole.
    wait_until(lambda: re.search(r"Regio Noord\s+\d+[│|]", vt.text()), ctx.t(5),
               what="per-location counts in the tree")
    vt.keys("<esc>")
    # Offline: the statuses still come from the replica.
    ctx.zorgd.stop()
    try:
        vt.wait("offline", ctx.t(15))
        assert "Actieve koppeling" in vt.text() and "Gekoppelde cliënten:" in vt.text(), vt.dump()
        vt.keys("/")
        vt.type("a")
        vt.wait("Caren-status", ctx.t(5))
        rows = "\n".join(vt.screen()[4:-3])
        assert "Onbekend" not in rows and "gekoppeld" in rows, \
            "offline must not turn statuses unknown:\n" + vt.dump()
    finally:
        ctx.zorgd.restart()
    vt.wait("online", ctx.t(40))



def test_caren_letter_printed_with_print_command(ctx):
    """With print_command set, p saves the letter and runs the command with the file; the
    screen keeps answering keys while the command runs and says when it has ended."""
    heartbeat(ctx)
    home = tempfile.mkdtemp(prefix="zorgterm-print-")
    printed = os.path.join(home, "printed.pdf")
    lp = os.path.join(home, "fake-lp")
    go = os.path.join(home, "go")
    # The printer answers only when the test says so: zorgterm must not wait for it.
    with open(lp, "w", encoding="utf-8") as f:
        f.write(f"#!/bin/sh\nwhile [ ! -e '{go}' ]; do sleep 0.05; done\n"
                f"cp \"$1\" '{printed}'\n")
    os.chmod(lp, 0o755)
    db = ctx.db()
    try:
        number, name = db.execute(
            "SELECT c.client_number, c.name FROM caren_invitations i JOIN clients c"
            " ON c.id = i.client_id WHERE i.state = 'OPEN' AND i.valid_until >= date('now')"
            " AND i.created_by = 3 ORDER BY i.id LIMIT 1").fetchone()
    finally:
        db.close()
    vt, _ = ctx.term("--print-command", lp, env={"XDG_DOWNLOAD_DIR": home})
    ctx.login(vt)
    open_caren_from_personalia(ctx, vt, number, name)
    vt.wait("Openstaand", ctx.t(10))
    vt.wait("p Afdrukken", ctx.t(5))
    vt.keys("p")
    vt.wait("Brief wordt naar de printer gestuurd", ctx.t(10))
    vt.keys("?")  # keys are answered while the print command runs
    vt.wait("om de hulp te sluiten", ctx.t(5))
    vt.keys("<esc>")
    vt.wait_gone("om de hulp te sluiten", ctx.t(5))
    open(go, "w", encoding="utf-8").close()
    vt.wait("Brief naar de printer gestuurd.", ctx.t(10))
    with open(printed, "rb") as f:
        assert f.read(5) == b"%PDF-", "the print command did not get the letter"


def test_caren_status_counts_whole_at_80_columns(ctx):
    """With thousands of clients the dashboard's count per status still fits 80 columns
    whole: the words give way to the short legend words, no count is cut off."""
    import types
    from zorgd_fixture import Zorgd
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    big = Zorgd(repo, ctx.build)
    try:
        big.create_demo(clients=3000, seed=5)
        big.start()
        heartbeat(types.SimpleNamespace(zorgd=big))
        vt, _ = ctx.term(user="administrator", server=f"https://127.0.0.1:{big.port}")
        vt.wait("Wachtwoord", ctx.t(10))
        vt.type("demo")
        vt.keys("<enter>")
        vt.wait("Synchronisatie klaar", ctx.t(60))
        vt.keys("2")
        vt.wait("Gekoppelde cliënten:", ctx.t(10))
        want = re.compile(r"Niet gekoppeld \d{1,3}(\.\d{3})+ .*\? Onbekend \d+\s*$", re.M)
        wait_until(lambda: want.search(vt.text()), ctx.t(10),
                   what="every status count whole on one row")
        assert "…" not in vt.screen()[2], vt.dump()
    finally:
        big.cleanup()
