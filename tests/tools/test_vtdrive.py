#!/usr/bin/env python3
"""Self-test of vtdrive against standard programs (sh, tput, stty, python3).

Usage: python3 tests/tools/test_vtdrive.py [-v] [NAME...]
Uses $VTDRIVE or <repo>/$BUILD/bin/vtdrive. Last line: 'vtdrive: N passed, N failed'.
"""

import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vtdrive import VT, VTError  # noqa: E402

PY = sys.executable

# A child that puts the terminal in raw mode and echoes the bytes it gets
# (up to a '.') as hex: shows exactly what a key sends.
KEYDUMP = r'''
import os, sys, tty
tty.setraw(0)
os.write(1, b"READY\r\n")
while True:
    buf = b""
    while not buf.endswith(b"."):
        buf += os.read(0, 100)
    os.write(1, ("\x1b[H\x1b[2JHEX:" + buf[:-1].hex() + "|\r\n").encode())
    if buf == b"q.":
        break
'''


def test_text_colours_wide_chars():
    with VT(['sh', '-c', r'printf "\033[1;31mRood\033[0m héé 漢字\n"; read x; echo got:$x'],
            cols=40, rows=6) as vt:
        vt.wait('Rood')
        assert vt.screen()[0] == 'Rood héé 漢字', vt.screen()
        assert len(vt.screen()) == 6
        a = vt.attrs(0, 0)
        assert a['fg'] == 1 and a['bold'] == 1 and a['bg'] == 'default', a
        assert a['char'] == 'U+0052', a
        a = vt.attrs(0, 5)
        assert a['fg'] == 'default' and a['bold'] == 0, a
        assert vt.find('漢字') == (0, 9)
        assert vt.find('字') == (0, 11)
        assert vt.attrs(0, 9)['width'] == 2
        assert vt.find('niet daar') is None
        assert vt.cursor() == (1, 0), vt.cursor()
        vt.keys('hallo<enter>')
        vt.wait('got:hallo')
        assert vt.wait_exit(5) == ('exited', 0)
        # the final screen is still served after the child is gone
        assert vt.screen()[1:3] == ['hallo', 'got:hallo'], vt.screen()
        vt.wait('got:hallo', timeout=1)


def test_rgb_and_reverse():
    with VT(['sh', '-c', r'printf "\033[38;2;10;20;30;48;5;200;7;4mX\033[0m\n"; read x']) as vt:
        vt.wait('X')
        a = vt.attrs(0, 0)
        assert a['fg'] == '#0a141e' and a['bg'] == 200, a
        assert a['reverse'] == 1 and a['underline'] == 1, a


def test_wait_timeout_and_gone():
    with VT(['sh', '-c', 'echo een; read x; clear; echo twee; read y']) as vt:
        vt.wait('een')
        t0 = time.monotonic()
        try:
            vt.wait('drie', timeout=0.3)
        except AssertionError as e:
            assert ' 0|een' in str(e), str(e)
        else:
            raise AssertionError('wait did not time out')
        assert time.monotonic() - t0 < 5
        vt.keys('\r')
        vt.wait_gone('een')
        vt.wait('twee')


def test_exit_status_and_signals():
    with VT(['sh', '-c', 'exit 3']) as vt:
        assert vt.wait_exit(5) == ('exited', 3)
    with VT(['sh', '-c', 'kill -TERM $$']) as vt:
        assert vt.wait_exit(5) == ('signaled', 15)
    with VT(['sh', '-c', 'echo klaar; read x']) as vt:
        vt.wait('klaar')
        assert vt.wait_exit(0.2) == ('timeout', None)
        vt.signal('TERM')
        assert vt.wait_exit(5) == ('signaled', 15)
    with VT(['sh', '-c', 'echo klaar; read x'], jobctl=False) as vt:
        vt.wait('klaar')
        vt.signal('SIGKILL')
        assert vt.wait_exit(5) == ('signaled', 9)
    with VT(['/nonexistent/program']) as vt:
        assert vt.wait_exit(5) == ('exited', 127)
        vt.wait('cannot run')


def test_resize():
    # os.write in the handler: no buffered-I/O reentrancy if it interrupts print
    prog = r'''
import os, signal, sys
n = 0
def show(*_):
    global n
    c, r = os.get_terminal_size(0)
    os.write(1, b"WINCH %d: %dx%d\r\n" % (n, c, r))
    n += 1
signal.signal(signal.SIGWINCH, show)
show()
sys.stdin.readline()
'''
    with VT([PY, '-c', prog], cols=80, rows=24) as vt:
        vt.wait('WINCH 0: 80x24')
        vt.resize(100, 30)
        vt.wait('WINCH 1: 100x30')
        vt.resize(60, 20)
        vt.wait('WINCH 2: 60x20')
        assert len(vt.screen()) == 20
        vt.resize(60, 20)  # same size: the kernel sends nothing, vtdrive does
        vt.wait('WINCH 3: 60x20')
    with VT(['sh', '-c', 'stty size; read x; stty size; read y']) as vt:
        vt.wait('24 80')
        vt.resize(132, 40)
        vt.keys('<enter>')
        vt.wait('40 132')


def test_altscreen_and_modes():
    script = 'tput smcup; tput civis; tput smkx; echo ALT; read x; tput rmkx; tput cnorm; tput rmcup; echo terug; read y'
    with VT(['sh', '-c', 'echo hoofd; ' + script]) as vt:
        vt.wait('ALT')
        assert vt.find('hoofd') is None
        m = vt.modes()
        assert m['altscreen'] == 1 and m['cursor'] == 0, m
        assert m['appcursor'] == 1 and m['keypad'] == 1, m
        vt.keys('<enter>')
        vt.wait('terug')
        vt.wait('hoofd')  # the main screen is back
        m = vt.modes()
        assert m == {'altscreen': 0, 'cursor': 1, 'appcursor': 0, 'keypad': 0,
                     'mouse': 0, 'reverse': 0}, m


def test_key_encoding():
    with VT([PY, '-c', KEYDUMP]) as vt:
        vt.wait('READY')
        cases = [
            ('<up>', '1b5b41'), ('<down>', '1b5b42'), ('<home>', '1b5b48'),
            ('<c-a>', '01'), ('<C-Z>', '1a'), ('\\x41\\e\\t\\\\', '411b095c'),
            ('<f1>', '1b4f50'), ('<f5>', '1b5b31357e'), ('<pgdn>', '1b5b367e'),
            ('<del>', '1b5b337e'), ('<bs>', '7f'), ('<enter>', '0d'), ('<esc>', '1b'),
            ('<tab><s-tab>', '091b5b5a'), ('<space>', '20'), ('<a-x>', '1b78'),
            ('é', 'c3a9'), ('a\\<b', '613c62'), ('<', '3c'), ('1 < 2 <>', '31203c2032203c3e'),
        ]
        for keys, want in cases:
            vt.keys(keys + '.')
            vt.wait('HEX:%s|' % want)
        vt.keys('\x1b\x01.')  # raw control characters are escaped by the client
        vt.wait('HEX:1b01|')
        try:
            vt.keys('<bogus>')
        except VTError as e:
            assert 'unknown key' in str(e), e
        else:
            raise AssertionError('unknown key accepted')
        vt.keys('q.')
        assert vt.wait_exit(5) == ('exited', 0)


def test_app_cursor_keys():
    prog = KEYDUMP.replace('tty.setraw(0)', 'tty.setraw(0); os.write(1, b"\\x1b[?1h\\x1b=")')
    with VT([PY, '-c', prog]) as vt:
        vt.wait('READY')
        assert vt.modes()['appcursor'] == 1
        vt.keys('<up><home>.')
        vt.wait('HEX:1b4f411b4f48|')


def test_terminal_queries_answered():
    prog = r'''
import os, tty
tty.setraw(0)
def ask(q, end):
    os.write(1, q)
    buf = b""
    while not buf.endswith(end):
        buf += os.read(0, 100)
    return buf
a = ask(b"\x1b[5;7H\x1b[6n", b"R")
b = ask(b"\x1b[c", b"c")
os.write(1, b"\x1b[H\x1b[2J" + ("DSR:" + a[1:].decode() + " DA:" + b[1:].decode()).encode() + b"\r\n")
os.read(0, 1)
'''
    with VT([PY, '-c', prog]) as vt:
        vt.wait('DSR:[5;7R')
        assert 'DA:[?' in vt.screen()[0], vt.screen()


def test_term_and_locale():
    with VT(['sh', '-c', 'echo "T=$TERM L=$LC_ALL C=${COLUMNS-unset}"; read x'],
            term='vt100', env={'LC_ALL': None, 'LANG': None, 'COLUMNS': '99'}) as vt:
        vt.wait('T=vt100 L=C.UTF-8 C=unset')


def test_dot_lines_and_raw_bytes():
    with VT(['sh', '-c', 'echo .; echo ..punt; read x; printf "%01000d\\n" 0; echo einde; read y']) as vt:
        vt.wait('..punt')
        assert vt.screen()[:2] == ['.', '..punt'], vt.screen()
        vt.raw_bytes()
        vt.keys('<enter>')
        vt.wait('einde')
        assert vt.idle(0.05, 5)
        n = vt.raw_bytes()
        # echoed CR LF + 1000 digits + CR LF + "einde" CR LF
        assert n == 2 + 1002 + 7, n
        assert vt.raw_bytes() == 0


def test_stop_and_continue():
    prog = r'''
import os, signal, sys
def tstp(*_):
    sys.stdout.write("SUSPENDING\n"); sys.stdout.flush()
    signal.signal(signal.SIGTSTP, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTSTP)
    signal.signal(signal.SIGTSTP, tstp)
    sys.stdout.write("RESUMED\n"); sys.stdout.flush()
signal.signal(signal.SIGTSTP, tstp)
sys.stdout.write("PID %d\n" % os.getpid()); sys.stdout.flush()
sys.stdin.readline()
'''
    with VT([PY, '-c', prog]) as vt:
        vt.wait('PID ')
        pid = int(vt.screen()[0].split()[1])
        vt.signal('TSTP')
        vt.wait('SUSPENDING')
        deadline = time.monotonic() + 5
        while True:  # the kernel shows the job stopped
            with open('/proc/%d/stat' % pid) as f:
                state = f.read().rsplit(')', 1)[1].split()[0]
            if state == 'T':
                break
            assert time.monotonic() < deadline, 'not stopped: ' + state
            time.sleep(0.01)
        assert vt.find('RESUMED') is None
        vt.signal('CONT')
        vt.wait('RESUMED')
        vt.keys('<enter>')
        assert vt.wait_exit(5) == ('exited', 0)


def test_real_pager():
    import shutil
    import tempfile
    less = shutil.which('less')
    if not less:
        print('skip test_real_pager: no less')
        return
    with tempfile.NamedTemporaryFile('w', suffix='.txt') as f:
        f.write(''.join('regel %d\n' % i for i in range(1, 101)))
        f.flush()
        # vt100 has no PageDown key in terminfo: less then only knows space
        for term, alt, page in (('xterm-256color', 1, '<pgdn>'), ('vt100', 0, '<space>')):
            with VT([less, f.name], term=term, env={'LESS': None, 'LESSOPEN': None}) as vt:
                vt.wait('regel 23')
                assert vt.screen()[0] == 'regel 1', vt.dump()
                assert vt.modes()['altscreen'] == alt, (term, vt.modes())
                vt.keys(page)
                vt.wait('regel 46')
                vt.keys('<down><down>')  # arrows in application cursor mode
                vt.wait('regel 48')
                vt.wait_gone('regel 24')
                vt.keys('q')
                assert vt.wait_exit(5) == ('exited', 0)
                assert vt.modes()['altscreen'] == 0


def test_close_hangs_up_the_job():
    # closing hangs up the terminal; the job gets SIGHUP as under a shell
    with VT(['sh', '-c', 'echo wacht; read x']) as vt:
        vt.wait('wacht')
        t0 = time.monotonic()
    assert time.monotonic() - t0 < 1.5, 'the job did not get SIGHUP'


def test_close_kills_stubborn_child():
    with VT(['sh', '-c', 'trap "" HUP; echo stug; while :; do read x; done']) as vt:
        vt.wait('stug')
    assert vt._proc.returncode == 0


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('-')]
    verbose = '-v' in sys.argv
    tests = [(n, f) for n, f in sorted(globals().items())
             if n.startswith('test_') and callable(f) and (not args or n in args)]
    passed = failed = 0
    for name, fn in tests:
        t0 = time.monotonic()
        try:
            fn()
        except Exception:
            failed += 1
            print('FAIL %s' % name)
            traceback.print_exc(file=sys.stdout)
        else:
            passed += 1
            if verbose:
                print('ok   %s (%.2fs)' % (name, time.monotonic() - t0))
    print('vtdrive: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
