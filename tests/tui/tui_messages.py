"""TUI tests of location messages (issue 10): a coordinator writes a 10,000-character
message with line breaks to a location from its page in Ons Cliënt, confirms after seeing
how many will receive it, and finds it in Berichten with its delivered count rising by
itself (the outbox delivers to the demo maildir); a draft survives kill -9 of zorgterm with
its idempotency key; a user without the task sees no "Verstuur bericht"."""

import glob
import json
import os
import re

from zorgd_fixture import wait_until


class caren_on:
    """Caren and its communication option on for the block (sending needs them)."""

    def __init__(self, ctx):
        self.ctx = ctx

    def __enter__(self):
        self._set(1)
        return self

    def __exit__(self, *exc):
        self._set(0)

    def _set(self, v):
        db = self.ctx.db()
        try:
            db.execute("UPDATE settings SET caren_enabled = ?, caren_communication = ?"
                       " WHERE id = 1", (v, v))
            db.commit()
        finally:
            db.close()


def the_text():
    """10,000 characters: 100 lines of 99 characters (with é) and their line breaks."""
    lines = []
    for i in range(100):
        head = f"Regel {i + 1:03d} van het bericht: café "
        lines.append((head + "x" * 99)[:99])
    return "\n".join(lines) + "\n"  # 100 * 99 + 100 = 10,000


def type_text(vt, text, chunk=800):
    """Type text (line breaks as Enter) in pieces the pty takes at once."""
    for i in range(0, len(text), chunk):
        vt.type(text[i:i + chunk].replace("\n", "\r"))


def test_message_to_location_with_live_counts(ctx):
    """Location page -> Verstuur bericht -> 10,000 characters -> confirmation with the
    numbers -> sent; in Berichten the row shows it and delivered reaches the mail count."""
    text = the_text()
    assert len(text) == 10000
    with caren_on(ctx):
        vt, _ = ctx.term()
        ctx.login(vt)
        ctx.open_location_page(vt)
        m = re.search(r"Locatie: (.+?)(\s{2,}|$)", vt.text(), re.M)
        assert m, vt.dump()
        vt.wait("Verstuur bericht", ctx.t(5))  # in the hints of a location's page
        vt.keys("v")
        vt.wait("Dit bericht gaat naar de cliënten van", ctx.t(5))
        type_text(vt, text)
        vt.wait("10.000 / 64.000", ctx.t(30))
        vt.keys("<f2>")
        vt.wait("Versturen aan", ctx.t(10))
        assert re.search(r"Versturen aan [\d.]+ cliënten en [\d.]+ Caren-gebruikers", vt.text()), \
            vt.dump()
        vt.keys("j")
        vt.wait("Bericht verstuurd", ctx.t(10))
        db = ctx.db()
        try:
            mid, loc, mails = db.execute("SELECT id, COALESCE(location_id, 0), mails FROM"
                                         " location_messages ORDER BY id DESC LIMIT 1").fetchone()
            stored = db.execute("SELECT text FROM location_messages WHERE id = ?",
                                (mid,)).fetchone()[0]
        finally:
            db.close()
        assert loc > 0 and stored == text.strip(), "the message went out trimmed, to the location"
        vt.keys("3")
        vt.wait("Locatieberichten", ctx.t(10))
        vt.wait("Regel 001 van het bericht", ctx.t(10))  # the text in the details pane
        # No key is pressed from here: the feed brings the delivered count by itself.
        want = re.compile(r"Afgeleverd\s+%s\b" % re.escape(f"{mails:,}".replace(",", ".")))
        wait_until(lambda: want.search(vt.text()), ctx.t(30),
                   what=f"'Afgeleverd {mails}' on the open screen")
        vt.keys("<pgdn>")
        vt.wait("Regel 0", ctx.t(5))


def draft_file(home):
    found = glob.glob(os.path.join(home, "state", "zorgterm", "*.message-0.draft"))
    return found[0] if found else None


def test_message_draft_survives_kill(ctx):
    """kill -9 of zorgterm while writing: started again, the form has the text back, with
    the same idempotency key as before."""
    vt, home = ctx.term()
    ctx.login(vt)
    vt.keys("3")
    vt.wait("Locatieberichten", ctx.t(10))
    vt.keys("v")
    vt.wait("Dit bericht gaat naar alle cliënten", ctx.t(5))
    vt.type("Concept voor iedereen\rtweede regel")
    vt.wait("tweede regel", ctx.t(5))
    wait_until(lambda: draft_file(home), ctx.t(5), what="the draft file")
    with open(draft_file(home), encoding="utf-8") as f:
        key = json.load(f)["key"]
    vt.signal("KILL")
    assert vt.wait_exit(ctx.t(5))[0] == "signaled"
    vt2, _ = ctx.term(home=home)
    vt2.wait(">C", ctx.t(10))
    vt2.keys("3")
    vt2.wait("Locatieberichten", ctx.t(10))
    vt2.keys("v")
    vt2.wait("Concept hersteld", ctx.t(5))
    vt2.wait("Concept voor iedereen", ctx.t(5))
    vt2.wait("tweede regel", ctx.t(5))
    with open(draft_file(home), encoding="utf-8") as f:
        assert json.load(f)["key"] == key, "the draft keeps its idempotency key"
    vt2.keys("<esc>")
    vt2.wait("Locatieberichten", ctx.t(5))
    assert draft_file(home), "Esc keeps the draft"


def test_message_no_send_without_task(ctx):
    """support (message.view, not the sending task) sees Berichten without 'Verstuur
    bericht', and v does nothing but say so."""
    vt, _ = ctx.term(user="support")
    ctx.login(vt)
    vt.keys("3")
    vt.wait("Locatieberichten", ctx.t(10))
    assert "Verstuur bericht" not in vt.text(), vt.dump()
    vt.keys("v")
    vt.wait("geen toegang", ctx.t(5))
    assert "Verstuur bericht" not in vt.text(), vt.dump()


def test_message_communication_off_said_before_confirming(ctx):
    """With Caren's communication option off, F2 says so at once instead of asking to
    confirm; the draft stays."""
    vt, _ = ctx.term(user="administrator")
    ctx.login(vt)
    vt.keys("3")
    vt.wait("Locatieberichten", ctx.t(10))
    vt.keys("v")
    vt.wait("Dit bericht gaat naar alle cliënten", ctx.t(5))
    vt.type("Komt niet aan")
    vt.keys("<f2>")
    vt.wait("communicatie-optie van Caren staat uit", ctx.t(10))
    assert "Versturen aan" not in vt.text(), vt.dump()


def test_message_to_all_needs_whole_organisation(ctx):
    """The coordinator (Regio Noord) may not write to all clients: F2 says why in Dutch."""
    with caren_on(ctx):
        vt, _ = ctx.term()
        ctx.login(vt)
        vt.keys("3")
        vt.wait("Locatieberichten", ctx.t(10))
        vt.keys("v")
        vt.type("Voor iedereen")
        vt.keys("<f2>")
        vt.wait("hele organisatie", ctx.t(10))


def test_message_form_wraps_explanation_and_ctrl_s_sends(ctx):
    """At 80x24 the explanation naming the location wraps instead of being cut, and Ctrl-S
    (the send key besides F2) reaches zorgterm instead of freezing the terminal (XOFF)."""
    with caren_on(ctx):
        vt, _ = ctx.term()
        ctx.login(vt)
        ctx.open_location_page(vt)
        vt.wait("Verstuur bericht", ctx.t(5))
        vt.keys("v")
        vt.wait("Dit bericht gaat naar de cliënten van", ctx.t(5))
        # The sentence ends on screen: nothing of it is cut off with an ellipsis.
        vt.wait("Caren-gebruikers.", ctx.t(5))
        assert "…" not in vt.text(), vt.dump()
        vt.type("Korte mededeling")
        vt.wait("16 / 64.000", ctx.t(5))
        vt.keys("<c-s>")
        vt.wait("Versturen aan", ctx.t(5))
        vt.keys("n")  # back to writing: the typed text is still there and drawn
        vt.type("!")
        vt.wait("Korte mededeling!", ctx.t(5))


def test_message_bracketed_paste_is_one_insert(ctx):
    """A paste arrives bracketed (ESC [200~ ... ESC [201~): the editor takes it as text, line
    breaks included, instead of reading the ESC as "back"."""
    with caren_on(ctx):
        vt, _ = ctx.term()
        ctx.login(vt)
        vt.keys("3")
        vt.wait("Locatieberichten", ctx.t(10))
        vt.keys("v")
        vt.wait("Dit bericht gaat naar alle cliënten", ctx.t(5))
        vt.keys("\\e[200~Eerste regel geplakt\\rTweede regel geplakt\\r\\e[201~")
        vt.wait("42 / 64.000", ctx.t(5))
        vt.wait("Tweede regel geplakt", ctx.t(5))
        assert "Dit bericht gaat naar alle cliënten" in vt.text(), vt.dump()
