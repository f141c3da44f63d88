"""Client for vtdrive: drive a program in a pseudo-terminal read by libvterm.

    from vtdrive import VT
    with VT(['build/bin/zorgterm', '--config', cfg], cols=80, rows=24) as vt:
        vt.wait('Inloggen')
        vt.keys('jan<tab>geheim<enter>')
        vt.wait('Cliënten')
        assert vt.attrs(*vt.find('Cliënten'))['bold'] == 1
        vt.keys('q')
        assert vt.wait_exit(5) == ('exited', 0)

Standard library only. The vtdrive binary is taken from the `vtdrive`
argument, else $VTDRIVE, else <repo>/$BUILD/bin/vtdrive (BUILD defaults to
"build"). See tests/tools/vtdrive.c for the protocol.
"""

import os
import select
import signal as _signal
import subprocess
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
_REPO = os.path.dirname(os.path.dirname(_HERE))


def default_vtdrive():
    """Path of the vtdrive binary to use."""
    if os.environ.get('VTDRIVE'):
        return os.environ['VTDRIVE']
    return os.path.join(_REPO, os.environ.get('BUILD', 'build'), 'bin', 'vtdrive')


def _escape_control(text):
    """Turn raw control characters into keys escapes so a line stays one line."""
    out = []
    for ch in text:
        if ch == '\n':
            out.append('\\n')
        elif ch == '\r':
            out.append('\\r')
        elif ch == '\t':
            out.append('\\t')
        elif ch == '\x1b':
            out.append('\\e')
        elif ord(ch) < 0x20 or ch == '\x7f':
            out.append('\\x%02x' % ord(ch))
        else:
            out.append(ch)
    return ''.join(out)


class VTError(Exception):
    """vtdrive answered ERR, or went away."""


class VT:
    """A program running in a pseudo-terminal under vtdrive.

    cmd: list of arguments, or a string run with /bin/sh -c.
    env: variables to set for the program on top of os.environ; a value of
         None removes that variable. (vtdrive itself sets TERM, unsets
         COLUMNS/LINES, and sets LANG/LC_ALL=C.UTF-8 when neither is set.)
    jobctl: run the program as a job in its own foreground process group
         (like a shell does), so SIGTSTP really stops it.
    """

    def __init__(self, cmd, cols=80, rows=24, term='xterm-256color', env=None,
                 vtdrive=None, jobctl=True, cwd=None):
        if isinstance(cmd, str):
            cmd = ['/bin/sh', '-c', cmd]
        self.cols, self.rows = cols, rows
        full_env = dict(os.environ)
        for k, v in (env or {}).items():
            if v is None:
                full_env.pop(k, None)
            else:
                full_env[k] = str(v)
        binary = vtdrive or default_vtdrive()
        if not os.access(binary, os.X_OK):
            raise FileNotFoundError('vtdrive is not built: %s (make %s)' % (
                binary, os.path.relpath(binary, _REPO)))
        argv = [binary, '--cols', str(cols), '--rows', str(rows),
                '--term', term]
        if not jobctl:
            argv.append('--no-jobctl')
        argv.append('--')
        argv.extend(str(a) for a in cmd)
        self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      env=full_env, cwd=cwd, bufsize=0)
        self._buf = b''
        self._closed = False

    # ---- protocol --------------------------------------------------------------

    def _readline(self, deadline):
        while b'\n' not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise VTError('vtdrive did not answer in time')
            r, _, _ = select.select([self._proc.stdout], [], [], left)
            if not r:
                continue
            chunk = os.read(self._proc.stdout.fileno(), 65536)
            if not chunk:
                raise VTError('vtdrive ended (exit status %s)' % self._proc.poll())
            self._buf += chunk
        line, self._buf = self._buf.split(b'\n', 1)
        return line.decode('utf-8', errors='replace')

    def command(self, line, timeout=30.0):
        """Send one protocol line; return the reply lines (without the final
        '.'). Raises VTError on an ERR reply."""
        if self._closed:
            raise VTError('closed')
        if '\n' in line or '\r' in line:
            raise ValueError('a command must be one line: %r' % line)
        try:
            self._proc.stdin.write(line.encode('utf-8') + b'\n')
        except BrokenPipeError:
            raise VTError('vtdrive ended (exit status %s)' % self._proc.poll()) from None
        deadline = time.monotonic() + timeout
        lines = []
        while True:
            ln = self._readline(deadline)
            if ln == '.':
                break
            if ln.startswith('.'):
                ln = ln[1:]
            lines.append(ln)
        if lines and lines[0].startswith('ERR'):
            raise VTError('%s: %s' % (line.split(' ', 1)[0], lines[0][4:]))
        return lines

    # ---- input -----------------------------------------------------------------

    def keys(self, text):
        """Send keys in vtdrive syntax: plain text, escapes (\\e \\r \\n \\t
        \\xHH \\\\ \\<) and named keys such as <up> <enter> <f2> <c-x> <s-tab>.
        Raw control characters in text are sent as themselves."""
        self.command('keys ' + _escape_control(text))

    def type(self, text):
        """Send text literally (no escapes, no <key> names)."""
        self.keys(text.replace('\\', '\\\\').replace('<', '\\<'))

    # ---- waiting ---------------------------------------------------------------

    def _wait(self, verb, text, timeout):
        if not text or '\n' in text or '\r' in text:
            raise ValueError('wait text must be one non-empty line: %r' % text)
        ms = max(0, int(timeout * 1000))
        lines = self.command('%s %d %s' % (verb, ms, text), timeout=timeout + 30)
        if lines[0] != 'OK':
            what = 'appear' if verb == 'wait' else 'disappear'
            raise AssertionError('%r did not %s within %ss; screen:\n%s' % (
                text, what, timeout, self._dump(lines[1:])))

    def wait(self, text, timeout=10):
        """Wait until text is on a screen row; AssertionError with the screen
        on timeout."""
        self._wait('wait', text, timeout)

    def wait_gone(self, text, timeout=10):
        """Wait until text is on no screen row."""
        self._wait('waitgone', text, timeout)

    def idle(self, quiet=0.2, timeout=10):
        """Wait until the program wrote nothing for `quiet` seconds (for byte
        counts, not for screen contents: use wait for those). True if it did."""
        lines = self.command('idle %d %d' % (int(quiet * 1000), int(timeout * 1000)),
                             timeout=timeout + 30)
        return lines[0] == 'OK'

    # ---- the screen ------------------------------------------------------------

    def screen(self):
        """The rows of the screen, trailing spaces trimmed."""
        return self.command('screen')

    def text(self):
        return '\n'.join(self.screen())

    @staticmethod
    def _dump(rows):
        return '\n'.join('%2d|%s' % (i, r) for i, r in enumerate(rows))

    def dump(self):
        """The screen with row numbers, for assertion messages."""
        return self._dump(self.screen())

    def find(self, text):
        """(row, col) in cells, 0-based, of the first occurrence of text, or None."""
        if not text or '\n' in text:
            raise ValueError('find text must be one non-empty line')
        r = self.command('find ' + text)[0]
        if r == 'NOTFOUND':
            return None
        row, col = r.split()
        return int(row), int(col)

    def attrs(self, row, col):
        """Attributes of one cell: {'fg': 1 | '#rrggbb' | 'default', 'bg': ...,
        'bold': 0/1, 'underline': 0-3, 'italic', 'blink', 'reverse', 'strike',
        'width', 'char': 'U+0041'}."""
        out = {}
        for item in self.command('attrs %d %d' % (row, col))[0].split():
            k, v = item.split('=', 1)
            out[k] = int(v) if v.isdigit() else v
        return out

    def cursor(self):
        row, col = self.command('cursor')[0].split()
        return int(row), int(col)

    def modes(self):
        """{'altscreen': 0/1, 'cursor': 0/1 (visible), 'appcursor', 'keypad',
        'mouse', 'reverse'}."""
        return {k: int(v) for k, v in
                (item.split('=', 1) for item in self.command('modes')[0].split())}

    def raw_bytes(self):
        """Bytes the program wrote since the previous call."""
        return int(self.command('raw')[0].split()[1])

    # ---- the process -----------------------------------------------------------

    def resize(self, cols, rows):
        self.command('resize %d %d' % (cols, rows))
        self.cols, self.rows = cols, rows

    def signal(self, sig):
        """Send a signal (name like 'TSTP'/'SIGTSTP', number, or signal.Signals)."""
        if isinstance(sig, _signal.Signals):
            sig = int(sig)
        self.command('signal %s' % sig)

    def wait_exit(self, timeout=10):
        """('exited', code), ('signaled', signum) or ('timeout', None)."""
        r = self.command('exit %d' % int(timeout * 1000), timeout=timeout + 30)[0].split()
        if r[0] == 'EXITED':
            return ('exited', int(r[1]))
        if r[0] == 'SIGNALED':
            return ('signaled', int(r[1]))
        return ('timeout', None)

    def close(self):
        """Hang up the terminal (the program gets SIGHUP, then SIGKILL after 2 s)
        and end vtdrive."""
        if self._closed:
            return
        try:
            self.command('quit', timeout=10)
        except (VTError, OSError):
            pass
        self._closed = True
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
