"""Location messages (issue 10, SPEC 3.4): sending to all clients and to a location, the
refusals (404 out of scope, 403 without the task, 409 with Caren's communication off, 400
over 64,000 characters), characters counted as Unicode characters, idempotency, the
recipients resolved from the location's subtree, the staff feed, and the e-mail notice at a
real SMTP server (aiosmtpd): headers, a decodable Dutch subject, one connection reused."""

import email.utils
import time

from harness import assert_problem, assert_status, new_key

PATH = "/api/v1/location-messages"
SUBJECT = "Nieuw bericht in Caren — Zorggroep De Linde"


class caren_settings:
    """Switch Caren (and its communication option) on or off for a block, then restore."""

    def __init__(self, ctx, enabled=1, communication=1):
        self.ctx, self.want = ctx, (enabled, communication)

    def __enter__(self):
        row = self.ctx.rows("SELECT caren_enabled, caren_communication FROM settings WHERE id = 1")
        self.old = row[0]
        self.ctx.db.execute("UPDATE settings SET caren_enabled = ?, caren_communication = ?"
                            " WHERE id = 1", self.want)
        return self

    def __exit__(self, *exc):
        self.ctx.db.execute("UPDATE settings SET caren_enabled = ?, caren_communication = ?"
                            " WHERE id = 1", self.old)


def send(ctx, user, location_id, text, key=None):
    return ctx.staff_request(user, "POST", PATH, {"location_id": location_id, "text": text},
                             key=key or new_key())


def subtree_clients(ctx, location_id):
    return {r[0] for r in ctx.rows(
        "SELECT c.id FROM clients c JOIN location_closure lc ON lc.descendant = c.location_id"
        " WHERE lc.ancestor = ? AND c.deleted = 0", location_id)}


def small_location(ctx):
    """The team-level location with the fewest clients (at least two with e-mail)."""
    return ctx.one(
        "SELECT l.id FROM locations l JOIN clients c ON c.location_id = l.id"
        " JOIN client_contacts cc ON cc.client_id = c.id AND cc.kind = 'email'"
        " WHERE l.kind = 'team' GROUP BY l.id HAVING count(DISTINCT c.id) >= 2"
        " ORDER BY count(DISTINCT c.id), l.id LIMIT 1")


def recipients(ctx, mid):
    return {r[0] for r in ctx.rows("SELECT client_id FROM message_recipients"
                                   " WHERE message_id = ? AND kind = 'client'", mid)}


def linked(ctx, clients):
    """How many of clients have an active Caren link (each adds a portal user)."""
    return sum(1 for (c,) in ctx.rows("SELECT client_id FROM caren_links WHERE ended_at IS NULL"
                                      " AND deleted = 0") if c in clients)


def test_messages_send_all_and_location(ctx):
    """To all clients and to one location: 201 at once, recipients = the (sub)tree's clients."""
    loc = ctx.one("SELECT id FROM locations WHERE kind = 'region' ORDER BY id LIMIT 1")
    with caren_settings(ctx):
        r = send(ctx, "administrator", None, "Beste cliënten,\n\nDe zomer komt eraan.")
        assert_status(r, 201)
        m = r.json
        every = {row[0] for row in ctx.rows("SELECT id FROM clients WHERE deleted = 0")}
        assert m["location_id"] is None and m["clients"] == len(every)
        assert m["portal_users"] == linked(ctx, every)
        assert m["recipients"] == m["clients"] + m["portal_users"]
        assert recipients(ctx, m["id"]) == every
        assert r.header("Location") == f"{PATH}/{m['id']}"
        assert r.elapsed < 2.0, f"sending took {r.elapsed:.2f} s"
        r = send(ctx, "administrator", loc, "Bericht voor de regio")
        assert_status(r, 201)
        m = r.json
        want = subtree_clients(ctx, loc)
        assert want and m["location_id"] == loc and m["clients"] == len(want)
        assert m["recipients"] == len(want) + linked(ctx, want)
        assert recipients(ctx, m["id"]) == want, "recipients are not the location's subtree"
        assert m["location_name"] == ctx.one("SELECT name FROM locations WHERE id = ?", loc)
        got = ctx.get_ok("administrator", f"{PATH}/{m['id']}")
        assert got["text"] == "Bericht voor de regio"
        listed = ctx.get_ok("administrator", PATH)["messages"]
        assert listed[0]["id"] == m["id"] and "text" not in listed[0]
        assert ctx.audit_count(action="location_message.send", object_id=str(m["id"])) == 1


def test_messages_refusals(ctx):
    """404 outside scope, 403 without the task, 409 with communication off, 400 too long."""
    with caren_settings(ctx):
        scope = ctx.scope_locations("coordinator")
        outside = ctx.one("SELECT id FROM locations WHERE id NOT IN (%s) ORDER BY id LIMIT 1"
                          % ",".join(str(x) for x in scope))
        inside = min(x for x in scope if ctx.one(
            "SELECT kind FROM locations WHERE id = ?", x) != "organisation")
        assert outside is not None
        assert_problem(send(ctx, "coordinator", outside, "Hallo"), 404)
        assert_problem(send(ctx, "coordinator", 999999, "Hallo"), 404)
        for user in ("zorgverlener", "support", "beheerder"):
            assert_problem(send(ctx, user, inside, "Hallo"), 403)
        p = assert_problem(send(ctx, "administrator", None, "x" * 64001), 400, field="text")
        if p:
            reason = [f["reason"] for f in p["invalid_params"] if f["name"] == "text"][0]
            assert "64000" in reason, reason
        r = send(ctx, "coordinator", inside, "Hallo")
        assert_status(r, 201)
    with caren_settings(ctx, 1, 0):
        p = assert_problem(send(ctx, "coordinator", inside, "Hallo"), 409,
                           type_suffix="caren-communication-off")
        assert p is None or "communication" in p["detail"]
    with caren_settings(ctx, 0, 1):
        assert_problem(send(ctx, "administrator", None, "Hallo"), 409)


def test_messages_text_rules(ctx):
    """64,000 Unicode characters pass and 64,001 do not, with é and emoji counted as one;
    trimmed; control characters other than newline and tab refused; empty refused."""
    loc = small_location(ctx)
    unit = "é😀a\n\t"  # five characters, nine bytes in UTF-8
    text = "Z" + unit * 12799 + "Zorg"   # 1 + 63,995 + 4 = 64,000
    assert len(text) == 64000
    with caren_settings(ctx):
        r = send(ctx, "administrator", loc, text)
        assert_status(r, 201)
        got = ctx.get_ok("administrator", f"{PATH}/{r.json['id']}")
        assert got["text"] == text
        assert_problem(send(ctx, "administrator", loc, text + "é"), 400, field="text")
        assert_problem(send(ctx, "administrator", loc, text + "😀"), 400, field="text")
        r = send(ctx, "administrator", loc, "  \n Hallo\tdaar \n\n ")
        assert_status(r, 201)
        assert ctx.get_ok("administrator", f"{PATH}/{r.json['id']}")["text"] == "Hallo\tdaar"
        for bad in ("a\x1b[31mb", "a\rb", "a\x07b", "a\u0085b", "a\u202eb"):
            assert_problem(send(ctx, "administrator", loc, bad), 400, field="text")
        for empty in ("", "   ", "\n\t\n"):
            assert_problem(send(ctx, "administrator", loc, empty), 400, field="text")
        assert_problem(ctx.staff_request("administrator", "POST", PATH,
                                         {"location_id": loc, "text": "Hallo"},
                                         invalid=True), 400)
        assert_problem(ctx.staff_request("administrator", "POST", PATH, {"text": "Hallo"},
                                         key=new_key(), invalid=True), 400, field="location_id")


def test_messages_idempotency(ctx):
    """The same key twice gives one message (the first answer again); the key with another
    body is refused with 422."""
    loc = small_location(ctx)
    key = new_key()
    with caren_settings(ctx):
        before = ctx.one("SELECT count(*) FROM location_messages")
        a = send(ctx, "administrator", loc, "Eén keer", key=key)
        b = send(ctx, "administrator", loc, "Eén keer", key=key)
        assert_status(a, 201)
        assert_status(b, 201)
        assert a.body == b.body
        assert ctx.one("SELECT count(*) FROM location_messages") == before + 1
        assert ctx.one("SELECT count(*) FROM outbox WHERE kind = 'message.fanout'"
                       " AND ref_id = ?", a.json["id"]) == 1
        assert_problem(send(ctx, "administrator", loc, "Iets anders", key=key), 422)


def test_messages_scope_of_reading(ctx):
    """A message to all clients is seen only by staff whose scope is the whole organisation;
    a message to a location only by staff with it in scope; others get 404 for it."""
    with caren_settings(ctx):
        all_id = send(ctx, "administrator", None, "Voor iedereen").json["id"]
        scope = ctx.scope_locations("coordinator")
        root = ctx.one("SELECT id FROM locations WHERE parent_id IS NULL")
        outside = ctx.one("SELECT id FROM locations WHERE id NOT IN (%s) AND kind = 'team'"
                          " ORDER BY id LIMIT 1" % ",".join(str(x) for x in scope))
        out_id = send(ctx, "administrator", outside, "Elders").json["id"]
    ids = {m["id"] for m in ctx.get_ok("coordinator", PATH)["messages"]}
    if root not in scope:
        assert all_id not in ids
        assert_problem(ctx.get("coordinator", f"{PATH}/{all_id}"), 404)
        assert_problem(send(ctx, "coordinator", None, "Voor iedereen"), 403)
    assert out_id not in ids
    assert_problem(ctx.get("coordinator", f"{PATH}/{out_id}"), 404)
    assert_problem(ctx.get("zorgverlener", PATH), 403)
    aud = ctx.get_ok("administrator", "/api/v1/location-message-audience?location_id=%d" % outside)
    assert aud["clients"] == len(subtree_clients(ctx, outside))
    assert isinstance(aud["caren_communication"], bool)


def test_messages_feed(ctx):
    """The staff feed carries location_message items (without the text) for those who see them."""
    since = ctx.revision()
    loc = small_location(ctx)
    with caren_settings(ctx):
        mid = send(ctx, "administrator", loc, "Geheim van de feed").json["id"]
    items = [c for c in ctx.changes("administrator", since) if c["type"] == "location_message"]
    assert mid in {c["id"] for c in items}
    assert all("text" not in (c.get("data") or {}) for c in items)


def test_messages_mail_at_smtp_sink(ctx):
    """Every recipient with an e-mail address gets one notice at the SMTP server: Date,
    Message-ID, From, To, an RFC 2047 subject that decodes to Dutch, UTF-8 text without the
    message itself; delivery counts reach the number of mails; connections reused."""
    sink = ctx.smtp
    loc = small_location(ctx)
    emails = {r[0] for r in ctx.rows(
        "SELECT cc.value FROM client_contacts cc JOIN clients c ON c.id = cc.client_id"
        " JOIN location_closure lc ON lc.descendant = c.location_id"
        " WHERE lc.ancestor = ? AND c.deleted = 0 AND cc.kind = 'email'", loc)}
    start = sink.count()
    with caren_settings(ctx):
        r = send(ctx, "administrator", loc, "Het geheime bericht: vergadering om 10 uur")
        assert_status(r, 201)
    mid = r.json["id"]
    assert r.json["mails"] == len(emails) >= 2
    deadline = time.monotonic() + 20 * ctx.scale
    m = None
    while time.monotonic() < deadline:
        m = ctx.get_ok("administrator", f"{PATH}/{mid}")
        if m["delivered"] >= len(emails):
            break
        time.sleep(0.05)
    assert m["delivered"] == len(emails) and m["failed"] == 0, m
    rows = ctx.rows("SELECT id, created_at FROM outbox WHERE kind = 'message.notice'"
                    " AND ref_id = ?", mid)
    want_ids = {f"<zorgd.{i}.{t}@zorg.example>" for i, t in rows}
    assert len(want_ids) == len(emails)
    got = [x for x in sink.snapshot()[start:] if x.header("Message-ID") in want_ids]
    assert sorted(x.rcpts[0] for x in got) == sorted(emails), "one notice per address"
    ids = set()
    for x in got:
        raw = x.data.decode("ascii")  # headers and base64 body: 7-bit on the wire
        assert "\r\nSubject: =?UTF-8?" in raw, raw[:400]
        assert x.header("Subject") == SUBJECT
        assert x.header("To") == f"<{x.rcpts[0]}>" or x.rcpts[0] in x.header("To")
        assert x.mail_from == "noreply@zorg.example"
        assert "noreply@zorg.example" in x.header("From")
        assert email.utils.parsedate_to_datetime(x.header("Date")) is not None
        mid_hdr = x.header("Message-ID")
        assert mid_hdr.startswith("<zorgd.") and mid_hdr.endswith("@zorg.example>"), mid_hdr
        ids.add(mid_hdr)
        body = x.msg.get_body(("plain",))
        assert body.get_content_charset() == "utf-8"
        text = body.get_content()
        assert "Caren" in text and "geheime" not in text, "the notice must not carry the text"
    assert len(ids) == len(got), "a Message-ID per outbox row"
    conns = {x.peer for x in got}
    assert len(conns) <= 2 < len(got), \
        f"two senders (outbox-senders 2), each reusing its connection: {len(conns)} connections"


def portal_ok(ctx, method, path, body=None, status=200):
    """A portal-API call with Caren's certificate that must answer status."""
    r = ctx.supplier(method, path, body, cert="caren", audited=False)
    assert_status(r, status)
    return r.json if status == 200 else None


def test_messages_portal_feed(ctx):
    """The portal's feed (GET /v0/portal/messages?since=REV) carries new messages with their
    text and recipients (clients, and the portal user of a linked client with its
    clientObjectId); the portal confirms delivery per recipient; only Caren's certificate."""
    loc = small_location(ctx)
    client = min(subtree_clients(ctx, loc))
    rev = ctx.revision()
    ctx.db.execute("INSERT INTO caren_links (client_id, object_id, portal_account, started_at,"
                   " rev) VALUES (?, 'obj-msg-test', 'acct-msg-test', 1, ?)", (client, rev + 1))
    ctx.db.execute("INSERT INTO caren_state (client_id, link_active, rev) VALUES (?, 1, ?)"
                   " ON CONFLICT (client_id) DO NOTHING", (client, rev + 1))
    try:
        since = ctx.revision()
        with caren_settings(ctx):
            m = send(ctx, "administrator", loc, "Voor het portaal").json
            assert m["portal_users"] == 1
            page = portal_ok(ctx, "GET", f"/v0/portal/messages?since={since}")
            got = [x for x in page["messages"] if x["messageId"] == m["id"]]
            assert got and got[0]["text"] == "Voor het portaal" and not got[0]["allClients"]
            rec = got[0]["recipients"]
            assert len(rec) == m["recipients"]
            users = [x for x in rec if x["type"] == "PORTAL_USER"]
            assert [u["portalAccount"] for u in users] == ["acct-msg-test"]
            assert users[0]["clientObjectId"] == "obj-msg-test"
            assert page["next"] >= since
            later = portal_ok(ctx, "GET", f"/v0/portal/messages?since={page['next']}")
            assert m["id"] not in {x["messageId"] for x in later["messages"]}
            ids = [x["recipientId"] for x in rec]
            portal_ok(ctx, "POST", f"/v0/portal/messages/{m['id']}/delivered",
                      {"recipientIds": ids}, status=204)
            portal_ok(ctx, "POST", f"/v0/portal/messages/{m['id']}/delivered",
                      {"recipientIds": ids[:1]}, status=204)
            after = ctx.get_ok("administrator", f"{PATH}/{m['id']}")
            assert after["delivered"] == m["recipients"] and after["pending"] == 0
            audited = ctx.one("SELECT count(*) FROM audit WHERE action ="
                              " 'location_message.portal_read' AND actor_id LIKE 'caren-%'")
            assert audited >= 2
            r = ctx.supplier("POST", f"/v0/portal/messages/{m['id']}/delivered",
                             {"recipientIds": [999999999]}, cert="caren", audited=False)
            assert_problem(r, 400, field="recipientIds")
            r = ctx.supplier("POST", "/v0/portal/messages/999999/delivered",
                             {"recipientIds": [1]}, cert="caren", audited=False)
            assert_problem(r, 404)
            r = ctx.supplier("GET", "/v0/portal/messages", cert="dosell", audited=False)
            assert_problem(r, 403)
    finally:
        ctx.db.execute("UPDATE caren_links SET ended_at = 2 WHERE object_id = 'obj-msg-test'")


def test_messages_smtp_starttls_and_auth(ctx):
    """A second zorgd sends through an SMTP server that demands STARTTLS and AUTH
    (smtp_tls require, smtp_user/smtp_password, smtp_ca): every notice arrives over TLS as
    the configured user; a wrong password delivers nothing and every notice fails after
    outbox_max_tries; and through smtps:// (TLS from the first byte)."""
    import harness
    from smtp_sink import SmtpSink
    from zorgd_fixture import Zorgd, wait_until
    z0 = ctx.zorgd
    pem = (z0.pem("server.pem"), z0.pem("server.key"))
    for password, want, implicit in (("geheim", True, False), ("fout", False, False),
                                     ("geheim", True, True)):
        sink = SmtpSink(tls=pem, users={"zorgd": "geheim"}, implicit=implicit).start()
        z = Zorgd(z0.repo, z0.build)
        try:
            z.create_demo(clients=12, seed=3)
            con = z.db()
            con.execute("UPDATE settings SET caren_enabled = 1, caren_communication = 1")
            con.commit()
            mails = con.execute("SELECT count(DISTINCT client_id) FROM client_contacts"
                                " WHERE kind = 'email'").fetchone()[0]
            con.close()
            url = sink.url.replace("smtp://", "smtps://") if implicit else sink.url
            z.start(["--smtp-url", url, "--smtp-tls", "require", "--smtp-ca",
                     z0.pem("ca.pem"), "--smtp-user", "zorgd", "--smtp-password", password,
                     "--smtp-from", "noreply@zorg.example", "--outbox-retry", "1",
                     "--outbox-max-tries", "2"])
            c = harness.Client("127.0.0.1", z.port, z.ssl_context())
            tok = c.request("POST", "/api/v1/session",
                            json_body={"username": "administrator", "password": "demo"}).json["token"]
            r = c.request("POST", PATH, token=tok, json_body={"location_id": None, "text": "Hoi"},
                          headers={"Idempotency-Key": new_key()})
            assert_status(r, 201)
            if want:
                assert sink.wait_count(mails, 20 * ctx.scale) == mails, sink.count()
                got = {(m.tls, m.login) for m in sink.snapshot()}
                assert got == {(True, "zorgd")}, got
            else:
                # Refused logins are retried (1 s, then given up after 2 tries): every
                # recipient's notice ends FAILED with its tries and the reason.
                mid = r.json["id"]

                def failed():
                    m = c.request("GET", f"{PATH}/{mid}", token=tok).json
                    return m["failed"] == mails
                wait_until(failed, 30 * ctx.scale, what="every notice failed for good")
                rec = c.request("GET", f"{PATH}/{mid}/recipients", token=tok).json["recipients"]
                mailed = [x for x in rec if x["mail"] != "NONE"]
                assert len(mailed) == mails
                assert all(x["mail"] == "FAILED" and x["mail_tries"] == 2 and x["mail_error"]
                           for x in mailed), mailed[:2]
                assert sink.count() == 0
        finally:
            z.cleanup()
            sink.stop()


def test_messages_refused_address_fails_for_good(ctx):
    """An address the SMTP server refuses (550) fails at once, for that recipient only:
    visible in the message's counts and in its recipient list with the reason."""
    loc = small_location(ctx)
    emails = sorted(r[0] for r in ctx.rows(
        "SELECT MIN(cc.value) FROM client_contacts cc JOIN clients c ON c.id = cc.client_id"
        " JOIN location_closure lc ON lc.descendant = c.location_id"
        " WHERE lc.ancestor = ? AND c.deleted = 0 AND cc.kind = 'email' GROUP BY c.id", loc))
    bad = emails[0]
    ctx.smtp.reject.add(bad)
    try:
        with caren_settings(ctx):
            m = send(ctx, "administrator", loc, "Een bericht met een onbestelbaar adres").json
        deadline = time.monotonic() + 20 * ctx.scale
        got = m
        while time.monotonic() < deadline and got["delivered"] + got["failed"] < len(emails):
            time.sleep(0.05)
            got = ctx.get_ok("administrator", f"{PATH}/{m['id']}")
        assert got["failed"] == 1 and got["delivered"] == len(emails) - 1, got
        rec = ctx.get_ok("administrator", f"{PATH}/{m['id']}/recipients")["recipients"]
        failed = [x for x in rec if x["mail"] == "FAILED"]
        assert len(failed) == 1 and "550" in failed[0]["mail_error"], failed
        assert failed[0]["mail_tries"] == 1
        assert_problem(ctx.get("zorgverlener", f"{PATH}/{m['id']}/recipients"), 403)
    finally:
        ctx.smtp.reject.discard(bad)
