"""TUI tests of home-care technology (issue 4): ordering end to end with a supplier played
by curl, live status changes, start of use, drafts that survive a kill, access by task,
device settings, and supplier text that must not reach the terminal raw."""

import json
import os
import subprocess
import sqlite3

from zorgd_fixture import wait_until


def supplier(ctx, method, path, body=None, who="dosell"):
    """Call the supplier API with a supplier's client certificate; returns (status, json)."""
    z = ctx.zorgd
    cmd = ["curl", "-s", "-o", "-", "-w", "\n%{http_code}", "-X", method,
           "--cacert", z.pem("ca.pem"), "--cert", z.pem(f"{who}.pem"), "--key", z.pem(f"{who}.key"),
           f"https://127.0.0.1:{z.port}{path}"]
    if body is not None:
        cmd += ["-H", "Content-Type: application/json", "--data-binary", json.dumps(body)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
    text, _, code = out.rpartition("\n")
    return int(code), (json.loads(text) if text.strip() else None)


def open_hct(ctx, vt, query="jose berg", name="José van den Berg"):
    """From the list: search, open the client, then its home-care technology."""
    vt.keys("/")
    vt.type(query)
    vt.wait(name, ctx.t(5))
    vt.keys("<enter>")
    vt.wait("Adressen", ctx.t(10))
    vt.keys("h")
    vt.wait("Thuiszorgtechnologie:", ctx.t(5))


def to_alternative_address(ctx, vt):
    """In the order form, move to the address choice and pick 'Alternatief adres'."""
    vt.keys("<tab>")  # device -> address
    for _ in range(6):
        if "< Alternatief adres >" in vt.text():
            return
        vt.keys("<right>")
        try:
            vt.wait("< Alternatief adres >", 1)
            return
        except AssertionError:
            pass
    raise AssertionError("no 'Alternatief adres' choice:\n" + vt.dump())


def fill_alternative(vt, street="Teststraat"):
    """Type the alternative address, field by field (Tab moves on)."""
    for value in (street, "12", "B", "9401ab", "Assen"):
        vt.keys("<tab>")
        vt.type(value)


def latest_order(ctx, street):
    db = ctx.db()
    try:
        return db.execute("SELECT id, uuid, status FROM hct_orders WHERE street = ? ORDER BY id DESC",
                          (street,)).fetchone()
    finally:
        db.close()


def test_order_accept_start_use(ctx):
    """Order a Dosell to an alternative address; the supplier accepts by curl; the open
    card turns Geaccepteerd by itself; start use; the order leaves the overview."""
    vt, _ = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt)
    vt.keys("b")
    vt.wait("Cliëntgegevens", ctx.t(5))
    vt.wait("< Dosell >", ctx.t(5))
    to_alternative_address(ctx, vt)
    fill_alternative(vt, "Bestelstraat")
    vt.keys("<tab>")
    vt.wait("9401 AB", ctx.t(5))  # normalised when the field was left
    for _ in range(4):  # city -> team -> e-mail -> phone -> button
        vt.keys("<tab>")
    vt.wait("[ Bestelling plaatsen ]", ctx.t(5))
    vt.keys("<enter>")
    vt.wait("Bestelling geplaatst", ctx.t(10))
    row = latest_order(ctx, "Bestelstraat")
    assert row and row[2] == "OPEN", row
    oid, uuid = row[0], row[1]
    vt.wait("~ Open", ctx.t(5))
    vt.keys("<enter>")  # the newest order is the first card
    vt.wait("Bestelstraat 12 B, 9401 AB Assen", ctx.t(5))
    vt.wait("nog niet opgehaald", ctx.t(5))
    # The supplier fetches (staff see "opgehaald" live) and accepts.
    code, body = supplier(ctx, "GET", "/v0/caretech/server/orders?statuses=OPEN")
    assert code == 200 and any(o["id"] == oid for o in body["orders"]), (code, body)
    vt.wait_gone("nog niet opgehaald", ctx.t(10))
    # Escape sequences in supplier text are refused at the door (one text rule for every
    # input); what reaches the terminal is drawn sanitised all the same (tests/tui/run.py).
    accept = {"accepted": True, "deviceIdentificationNumber": "DOS-4242",
              "orderNumber": "B-77", "trackingUrl": "https://track.example/B-77",
              "supplierNote": "Levering \u001b[31mdinsdag\u001b[0m \u001b]0;x\u0007"}
    code, _ = supplier(ctx, "PATCH", f"/v0/caretech/server/orders/{uuid}/status", accept)
    assert code == 400, code
    accept["supplierNote"] = "Levering dinsdag tussen 9:00 en 12:00"
    code, _ = supplier(ctx, "PATCH", f"/v0/caretech/server/orders/{uuid}/status", accept)
    assert code == 204, code
    vt.wait("+ Geaccepteerd", ctx.t(10))  # no key pressed
    vt.wait("https://track.example/B-77", ctx.t(5))
    vt.wait("Levering dinsdag tussen 9:00 en 12:00", ctx.t(5))
    vt.keys("g")
    vt.wait("Gebruik starten", ctx.t(5))
    vt.wait("DOS-4242", ctx.t(5))  # prefilled with the supplier's serial
    vt.keys("<tab>")
    vt.keys("<tab>")
    vt.keys("<enter>")
    vt.wait("Opgeslagen", ctx.t(10))
    vt.wait("Thuiszorgtechnologie:", ctx.t(5))
    vt.wait("DOS-4242", ctx.t(5))  # the registration card
    db = ctx.db()
    try:
        st = db.execute("SELECT status FROM hct_orders WHERE id = ?", (oid,)).fetchone()[0]
    finally:
        db.close()
    assert st == "COMPLETED", st
    # The completed order is no longer a card: only the registration shows its serial.
    assert "Bestelstraat" not in vt.text()


def test_no_order_task_no_bestellen(ctx):
    """zorgverlener (no order task) sees the cards but no Bestellen."""
    db = ctx.db()
    try:
        name = db.execute(
            "SELECT c.name FROM clients c JOIN locations l ON l.id = c.location_id"
            " WHERE l.name = 'Wijkteam Zwolle Zuid' ORDER BY c.id LIMIT 1").fetchone()[0]
    finally:
        db.close()
    vt, _ = ctx.term(user="zorgverlener")
    ctx.login(vt)
    open_hct(ctx, vt, query=name, name=name)
    vt.wait("Enter Openen", ctx.t(5))  # the key line of the cards is complete
    assert "Bestellen" not in vt.screen()[-1], vt.dump()
    vt.keys("b")
    vt.wait("geen toegang", ctx.t(5))
    assert "Cliëntgegevens" not in vt.text()


def test_coordinator_sees_bestellen(ctx):
    """coordinator (with the order task) is offered Bestellen."""
    vt, _ = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt)
    vt.wait("b Bestellen", ctx.t(5))
    # The hint bar may be caught mid-redraw: wait for the whole bar, not one snapshot.
    wait_until(lambda: "a Toevoegen" in vt.screen()[-1], ctx.t(5), what="Toevoegen in the hints")


def test_draft_survives_kill(ctx):
    """Killing zorgterm mid-form and starting again restores what was typed."""
    vt, home = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt)
    vt.keys("b")
    vt.wait("Cliëntgegevens", ctx.t(5))
    to_alternative_address(ctx, vt)
    vt.keys("<tab>")
    vt.type("Conceptlaan")
    vt.keys("<tab>")
    vt.type("77")
    vt.wait("77", ctx.t(5))
    vt.signal("KILL")
    assert vt.wait_exit(ctx.t(5))[0] == "signaled"
    vt2, _ = ctx.term(home=home)
    vt2.wait(">C", ctx.t(10))
    vt2.wait("concept-bestelling", ctx.t(5))
    open_hct(ctx, vt2)
    vt2.keys("b")
    vt2.wait("Concept hersteld", ctx.t(5))
    vt2.wait("Conceptlaan", ctx.t(5))
    vt2.wait("< Alternatief adres >", ctx.t(5))


def test_settings_refuse_unknown_supplier(ctx):
    """beheerder: ordering cannot be switched on for a type without a known supplier (the
    reason is shown); for one with a supplier it can."""
    vt, _ = ctx.term(user="beheerder")
    vt.wait("Wachtwoord", ctx.t(10))
    vt.type("demo")
    vt.keys("<enter>")
    vt.wait("online", ctx.t(10))
    vt.wait(") | ", ctx.t(10))  # /me has arrived
    vt.keys("i")
    vt.wait("Bestelfunctionaliteit", ctx.t(5))
    vt.wait("Tessa", ctx.t(5))

    def select(name):
        """Move the selection to the row of name and wait until it is there."""
        rows = vt.screen()
        target = next(i for i, r in enumerate(rows) if name in r and r[:1] in " >")
        current = next(i for i, r in enumerate(rows) if r.startswith(">"))
        key = "<down>" if target > current else "<up>"
        for _ in range(abs(target - current)):
            vt.keys(key)
        wait_until(lambda: any(r.startswith(">") and name in r for r in vt.screen()),
                   ctx.t(5), what=f"{name} selected")

    select("Tessa")
    vt.keys("b")
    vt.wait("leverancier bekend", ctx.t(10))
    select("Medido")
    vt.keys("b")
    vt.wait("Opgeslagen", ctx.t(10))
    wait_until(lambda: "+ aan" in [r for r in vt.screen() if r.startswith(">")][0], ctx.t(5),
               what="Medido ordering on")


def client_with_order(ctx, status):
    """(client name, order id) of a Regio Noord client with an order in status."""
    db = ctx.db()
    try:
        return db.execute(
            "SELECT c.name, o.id FROM hct_orders o JOIN clients c ON c.id = o.client_id"
            " JOIN location_closure lc ON lc.descendant = c.location_id"
            " JOIN locations l ON l.id = lc.ancestor"
            " WHERE l.name = 'Regio Noord' AND o.status = ? AND o.deleted = 0 ORDER BY o.id",
            (status,)).fetchone()
    finally:
        db.close()


def select_card(ctx, vt, text):
    """Move the card selection to the card whose first line holds text."""
    for _ in range(10):
        sel = [r for r in vt.screen() if r.startswith(" >")]
        if sel and text in sel[0]:
            return
        vt.keys("<down>")
        try:
            wait_until(lambda: any(r.startswith(" >") and text in r for r in vt.screen()), 1)
            return
        except TimeoutError:
            pass
    raise AssertionError(f"no card with {text!r}:\n" + vt.dump())


def test_delete_declined_order(ctx):
    """A declined order shows its reason; Verwijderen asks first (saying it is not deleted at
    the supplier), then the order is gone here and 'removed' for the supplier."""
    name, oid = client_with_order(ctx, "DECLINED")
    vt, _ = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt, query=name, name=name)
    select_card(ctx, vt, "Bestelling")
    vt.keys("<enter>")
    vt.wait("x Geweigerd", ctx.t(5))
    vt.wait("Niet leverbaar in dit postcodegebied", ctx.t(5))
    vt.wait("v Verwijderen", ctx.t(5))
    vt.keys("v")
    vt.wait("niet bij de leverancier verwijderd", ctx.t(5))
    vt.keys("n")  # no: nothing happens
    vt.wait_gone("niet bij de leverancier verwijderd", ctx.t(5))
    vt.keys("v")
    vt.wait("niet bij de leverancier verwijderd", ctx.t(5))
    vt.keys("j")
    vt.wait("Bestelling verwijderd", ctx.t(10))
    code, body = supplier(ctx, "GET", f"/v0/caretech/server/orders/{oid}")
    assert code == 200 and body["removed"] is True, (code, body)


def test_add_registration(ctx):
    """Toevoegen registers a device without an order."""
    vt, _ = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt)
    vt.keys("a")
    vt.wait("Thuiszorgtechnologie toevoegen", ctx.t(5))
    vt.keys("<tab>")
    vt.type("CMP-REG 1")
    vt.keys("<tab>")  # start date: today, prefilled
    vt.keys("<tab>")  # end date: empty
    vt.keys("<tab>")
    vt.keys("<enter>")
    vt.wait("Opgeslagen", ctx.t(10))
    vt.wait("CMP-REG 1", ctx.t(5))


def test_bad_serial_is_refused_on_leaving_the_field(ctx):
    """Fields are checked as they are left: a serial with forbidden characters is marked."""
    vt, _ = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt)
    vt.keys("a")
    vt.wait("Thuiszorgtechnologie toevoegen", ctx.t(5))
    vt.keys("<tab>")
    vt.type("bad/serial")
    vt.keys("<tab>")
    vt.wait("Alleen letters, cijfers", ctx.t(5))


def test_end_registration(ctx):
    """A registration is ended with an end date (today by default)."""
    import time as _time
    vt, _ = ctx.term()
    ctx.login(vt)
    open_hct(ctx, vt)
    select_card(ctx, vt, "Medido")
    vt.keys("<enter>")
    vt.wait("Registratie: Medido", ctx.t(5))
    vt.wait("(geen)", ctx.t(5))  # no end date yet
    vt.keys("e")
    vt.wait("Registratie beëindigen", ctx.t(5))
    vt.keys("<tab>")
    vt.keys("<enter>")
    vt.wait("Opgeslagen", ctx.t(10))
    vt.wait("Registratie: Medido", ctx.t(5))
    vt.wait(_time.strftime("%d-%m-%Y"), ctx.t(5))
    vt.wait_gone("(geen)", ctx.t(5))
