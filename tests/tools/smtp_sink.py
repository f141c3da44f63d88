"""A real SMTP server for tests (aiosmtpd from Debian's python3-aiosmtpd) that keeps every
message it accepts, with the connection it came over, so tests can check headers, count
copies per recipient and see whether connections were reused."""

import email
import email.policy
import socket
import ssl
import sys
import threading
import time
import warnings

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
except ImportError:  # a Python other than Debian's (e.g. pyenv): use Debian's packages
    sys.path.append("/usr/lib/python3/dist-packages")
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

warnings.filterwarnings("ignore", message="Session.login_data")


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Mail:
    """One accepted message: envelope, raw bytes and the parsed message."""

    def __init__(self, peer, mail_from, rcpts, data, tls=False, login=None):
        self.peer = peer
        self.tls = tls        # the session had switched to TLS (STARTTLS)
        self.login = login    # the user name it authenticated as, or None
        self.mail_from = mail_from
        self.rcpts = rcpts
        self.data = data
        self.msg = email.message_from_bytes(data, policy=email.policy.default)

    def header(self, name):
        v = self.msg[name]
        return str(v) if v is not None else None


class SmtpSink:
    """Start with start(); url is smtp://127.0.0.1:PORT. Thread-safe reads."""

    def __init__(self, reject=None, tls=None, users=None, implicit=False):
        """tls: (certificate, key) PEM paths to offer and require STARTTLS (implicit: TLS
        from the first byte, as smtps:// expects); users: a dict of user name -> password
        to require AUTH (over TLS)."""
        self.tls = tls
        self.implicit = implicit
        self.users = users
        self.port = _free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.mails = []
        self.reject = reject or set()  # recipient addresses answered with 550
        self._lock = threading.Lock()
        self._ctl = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = getattr(session, "auth_data", None)
        m = Mail(session.peer, envelope.mail_from, list(envelope.rcpt_tos), envelope.content,
                 tls=session.ssl is not None or self.implicit,
                 login=login.decode() if isinstance(login, bytes) else login)
        with self._lock:
            self.mails.append(m)
        return "250 OK"

    def _auth(self, server, session, envelope, mechanism, data):
        user = getattr(data, "login", b"").decode()
        ok = self.users is not None and self.users.get(user) == getattr(data, "password", b"").decode()
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)

    def start(self):
        kw = {}
        if self.tls:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(*self.tls)
            if self.implicit:
                kw.update(ssl_context=ctx)
            else:
                kw.update(tls_context=ctx, require_starttls=True)
        if self.users is not None:
            # With TLS from the first byte aiosmtpd does not know the session is secure:
            # it would never offer AUTH if AUTH needed (its own) STARTTLS.
            kw.update(authenticator=self._auth, auth_required=True,
                      auth_require_tls=not self.implicit)
        self._ctl = Controller(self, hostname="127.0.0.1", port=self.port, **kw)
        self._ctl.start()
        return self

    def stop(self):
        if self._ctl:
            self._ctl.stop()
            self._ctl = None

    def count(self):
        with self._lock:
            return len(self.mails)

    def snapshot(self):
        with self._lock:
            return list(self.mails)

    def to(self, address):
        return [m for m in self.snapshot() if address in m.rcpts]

    def wait_count(self, n, timeout):
        """Wait until at least n messages arrived; returns the count."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            c = self.count()
            if c >= n:
                return c
            time.sleep(0.02)
        return self.count()

    def connections(self):
        """The distinct client connections (peer address and port) mail came over."""
        return {m.peer for m in self.snapshot()}
