"""A real SMTP server for tests (aiosmtpd from Debian's python3-aiosmtpd) that keeps every
message it accepts, with the connection it came over, so tests can check headers, count
copies per recipient and see whether connections were reused."""

import email
import email.policy
import socket
import sys
import threading
import time

try:
    from aiosmtpd.controller import Controller
except ImportError:  # a Python other than Debian's (e.g. pyenv): use Debian's packages
    sys.path.append("/usr/lib/python3/dist-packages")
    from aiosmtpd.controller import Controller


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Mail:
    """One accepted message: envelope, raw bytes and the parsed message."""

    def __init__(self, peer, mail_from, rcpts, data):
        self.peer = peer
        self.mail_from = mail_from
        self.rcpts = rcpts
        self.data = data
        self.msg = email.message_from_bytes(data, policy=email.policy.default)

    def header(self, name):
        v = self.msg[name]
        return str(v) if v is not None else None


class SmtpSink:
    """Start with start(); url is smtp://127.0.0.1:PORT. Thread-safe reads."""

    def __init__(self, reject=None):
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
        m = Mail(session.peer, envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        with self._lock:
            self.mails.append(m)
        return "250 OK"

    def start(self):
        self._ctl = Controller(self, hostname="127.0.0.1", port=self.port)
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
