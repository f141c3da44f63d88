"""TUI tests of the shared widgets (ui/widgets/): the widget gallery (tests/tools/widget_gallery.c)
in a pseudo-terminal read by libvterm, at 80x24, with TERM=xterm-256color and TERM=vt100.
Type into the editor and check wrapping, the counter and the limit; scroll the detail pane;
expand the tree; check the ASCII fallback of tree, bars and sparkline."""

import os
import re
import tempfile
import time

from vtdrive import VT
from zorgd_fixture import wait_until

REASON = ("De leverancier kan dit apparaat niet leveren op het alternatieve adres, omdat daar "
          "geen vaste telefoonlijn of mobiel bereik is; kies een ander type. EINDE")
# Box drawing (U+2500..U+257F), block elements (U+2580..U+259F), triangles ▸ ▾.
UNICODE_GLYPHS = re.compile("[\u2500-\u259f\u25b8\u25be]")


def gallery(ctx, *args, term="xterm-256color", env=None):
    """Start the widget gallery in a fresh 80x24 terminal; returns the VT."""
    home = tempfile.mkdtemp(prefix="zorgterm-widgets-")
    ctx.homes.append(home)
    san = os.path.join(home, "sanitizer")
    e = {"NO_COLOR": None, "ESCDELAY": None,
         "ASAN_OPTIONS": (os.environ.get("ASAN_OPTIONS", "") + f":log_path={san}").lstrip(":"),
         "UBSAN_OPTIONS": (os.environ.get("UBSAN_OPTIONS", "") + f":log_path={san}").lstrip(":")}
    e.update(env or {})
    vt = VT([os.path.join(ctx.build, "tests", "widget_gallery")] + list(args), cols=80, rows=24,
            term=term, env=e, vtdrive=os.path.join(ctx.build, "bin", "vtdrive"))
    ctx.vts.append(vt)
    vt.wait("Widgetgalerij", ctx.t(10))
    return vt


def editor_rows(vt):
    """The editor's text rows (1..22), trailing spaces trimmed."""
    return vt.screen()[1:23]


def test_widgets_editor_wraps_and_counts(ctx):
    """Typed text wraps at word boundaries within 80 columns, the counter counts code points
    (é and an emoji one each), word moves and Delete work across multi-byte characters."""
    vt = gallery(ctx)
    vt.wait("0 / 64.000 tekens", ctx.t(5))
    text = ("Dit is een bericht voor het team van locatie Assen met é en 😀 en nog wat woorden "
            "om te laten zien dat het afbreekt op woordgrenzen.")
    vt.type(text)
    vt.wait("131 / 64.000 tekens", ctx.t(5))
    wait_until(lambda: len([r for r in editor_rows(vt) if r]) == 2, ctx.t(5),
               what="the text on two rows")
    rows = [r for r in editor_rows(vt) if r]
    assert len(rows) == 2, vt.dump()
    assert rows[0].endswith("nog wat") and rows[1].startswith("woorden "), vt.dump()
    assert " ".join(rows) == text, "a word was cut or lost:\n" + vt.dump()
    wait_until(lambda: vt.cursor() == (2, 58), ctx.t(5), what="cursor after the text")
    # Word moves from the start of the first row: the 14th word is the emoji.
    vt.keys("<up><home>")
    wait_until(lambda: vt.cursor() == (1, 0), ctx.t(5), what="cursor at the start")
    vt.keys("<c-right>" * 13)
    wait_until(lambda: vt.cursor() == (1, 60), ctx.t(5), what="cursor on the emoji")
    vt.keys("<del>")
    vt.wait("130 / 64.000 tekens", ctx.t(5))
    assert "😀" not in vt.text(), vt.dump()
    # Enter inserts a line break; Backspace takes it away again.
    vt.keys("<enter>")
    vt.wait("131 / 64.000 tekens", ctx.t(5))
    wait_until(lambda: editor_rows(vt)[1].startswith(" en nog wat"), ctx.t(5),
               what="the line break before ' en nog wat'")
    vt.keys("<bs>")
    vt.wait("130 / 64.000 tekens", ctx.t(5))
    # Tab belongs to the screen (next page) and the text survives the round trip.
    vt.keys("<tab>")
    vt.wait("Widgetgalerij: Detailvenster", ctx.t(5))
    vt.keys("<tab><tab><tab>")
    vt.wait("130 / 64.000 tekens", ctx.t(5))
    # The whole frame, not a snapshot taken while the page is being redrawn.
    wait_until(lambda: editor_rows(vt)[0].startswith("Dit is een bericht"), ctx.t(5),
               what="the text back on the editor page")


def test_widgets_editor_limit_and_paste(ctx):
    """A bracketed paste goes in at once with its line breaks; beyond the limit input is
    refused with a message on the counter row, and typing again after a deletion works."""
    vt = gallery(ctx, "--limit", "50")
    vt.wait("0 / 50 tekens", ctx.t(5))
    vt.keys("\\e[200~regel een\\rregel twee\\e[201~")
    vt.wait("20 / 50 tekens", ctx.t(5))  # the line break is a character too
    rows = editor_rows(vt)
    assert rows[0] == "regel een" and rows[1] == "regel twee", vt.dump()
    vt.keys("\\e[200~" + "x" * 40 + "\\e[201~")
    vt.wait("50 / 50 tekens", ctx.t(5))
    vt.wait("Maximum bereikt: 10 tekens niet ingevoegd", ctx.t(5))
    assert editor_rows(vt)[1] == "regel twee" + "x" * 30, vt.dump()
    vt.type("y")
    vt.wait("Maximum bereikt: 1 teken niet ingevoegd", ctx.t(5))
    vt.keys("<bs>")
    vt.wait("49 / 50 tekens", ctx.t(5))
    vt.wait_gone("Maximum bereikt", ctx.t(5))
    vt.type("é")
    vt.wait("50 / 50 tekens", ctx.t(5))
    assert editor_rows(vt)[1].endswith("xé"), vt.dump()


def test_widgets_editor_full_message(ctx):
    """With 63,990 characters held, the editor follows typing without lag, stops at exactly
    64,000 and says so; moving through the text works."""
    vt = gallery(ctx, "--fill", "63990")
    vt.wait("63.990 / 64.000 tekens", ctx.t(10))
    vt.keys("<pgup>" * 5)
    t0 = time.monotonic()
    vt.type("abcde")
    vt.wait("63.995 / 64.000 tekens", ctx.t(5))
    typed = time.monotonic() - t0
    assert typed < ctx.t(2), f"typing five characters took {typed:.2f} s"
    vt.type("ABCDEFGHIJ")
    vt.wait("64.000 / 64.000 tekens", ctx.t(5))
    vt.wait("Maximum bereikt: 1 teken niet ingevoegd", ctx.t(5))
    assert "abcdeABCDE" in vt.text() and "ABCDEF" not in vt.text(), vt.dump()


def test_widgets_detail_pane_scrolls(ctx):
    """At 80x24 long values wrap beside their label, nothing is cut, escapes are shown
    harmless, and the pane scrolls with PgDn/Home and says where the reader is."""
    vt = gallery(ctx, "--page", "detail")
    vt.wait("regel 1-22 van 35  PgDn: meer", ctx.t(5))
    rows = vt.screen()
    values = " ".join(r[18:] for r in rows[1:23] if len(r) > 18)
    assert REASON in values, "the reason is cut:\n" + vt.dump()
    assert "wijkverpleging.assen-oost.planning@zorggroep-noord-drenthe.example.nl" in \
        values.replace("exa mple", "example"), vt.dump()
    assert all(len(r) <= 80 for r in rows), vt.dump()
    assert "\u241b[31mmorgen" in vt.text(), vt.dump()
    vt.keys("<pgdn>")
    vt.wait("regel 14-35 van 35", ctx.t(5))
    vt.wait("Laatste", ctx.t(5))
    assert "PgDn: meer" not in vt.text(), vt.dump()
    vt.keys("<home>")
    vt.wait("regel 1-22 van 35", ctx.t(5))
    vt.keys("<down>")
    vt.wait("regel 2-23 van 35", ctx.t(5))


def test_widgets_tree_expands(ctx):
    """The tree expands and collapses with the arrow keys, draws box-drawing guides and
    Dutch counts, and keeps the selection."""
    vt = gallery(ctx, "--page", "tree")
    vt.wait("▸ Zorggroep Noord", ctx.t(5))
    vt.wait("1.234", ctx.t(5))  # the count column, in Dutch
    vt.keys("<right>")
    vt.wait("├─▸ Assen", ctx.t(5))
    vt.wait("└── Emmen", ctx.t(5))
    vt.keys("<down><down><right>")
    vt.wait("│   └── Team Vinkhuizen", ctx.t(5))
    pos = vt.find("Groningen")
    assert pos and vt.screen()[pos[0]].startswith(">"), vt.dump()
    vt.keys("<left>")  # collapses Groningen
    vt.wait_gone("Vinkhuizen", ctx.t(5))
    vt.keys("<left>")  # to the parent
    wait_until(lambda: vt.screen()[1].startswith(">"), ctx.t(5), what="the parent selected")
    vt.keys("<left>")  # collapses it
    vt.wait_gone("Assen", ctx.t(5))
    vt.wait("▸ Zorggroep Noord", ctx.t(5))


def test_widgets_ascii_fallback_vt100(ctx):
    """TERM=vt100: tree guides, bars and the sparkline in ASCII, nothing else."""
    vt = gallery(ctx, "--page", "tree", term="vt100")
    vt.wait("+ Zorggroep Noord", ctx.t(5))
    vt.keys("<right>")
    vt.wait("|-+ Assen", ctx.t(5))
    vt.wait("`-  Emmen", ctx.t(5))
    assert not UNICODE_GLYPHS.search(vt.text()), vt.dump()
    vt.keys("\t")
    vt.wait("Grafieken", ctx.t(5))
    wait_until(lambda: len(vt.screen()[12].strip()) == 60, ctx.t(5), what="the sparkline")
    assert re.match(r" Breda +#{62} 1\.234$", vt.screen()[6]), vt.dump()
    assert vt.screen()[8] == " ... en nog 2", vt.dump()  # more bars than rows
    assert set(vt.screen()[12].strip()) <= set("_.-~=+*#"), vt.dump()
    assert not UNICODE_GLYPHS.search(vt.text()), vt.dump()


def test_widgets_unicode_charts_and_c_locale(ctx):
    """With xterm and a UTF-8 locale the bars and sparkline use blocks; without a UTF-8
    locale (LANG=C) the same terminal gets ASCII."""
    vt = gallery(ctx, "--page", "chart")
    wait_until(lambda: len(vt.screen()[12].strip()) == 60, ctx.t(5), what="the sparkline")
    assert "█" * 62 in vt.screen()[6], vt.dump()
    assert set(vt.screen()[12].strip()) <= set("▁▂▃▄▅▆▇█"), vt.dump()
    vt2 = gallery(ctx, "--page", "chart", env={"LANG": "C", "LC_ALL": "C"})
    wait_until(lambda: len(vt2.screen()[12].strip()) == 60, ctx.t(5), what="the sparkline")
    assert "#" * 62 in vt2.text() and not UNICODE_GLYPHS.search(vt2.text()), vt2.dump()


def test_widgets_editor_on_vt100(ctx):
    """TERM=vt100 (no Home/End keys): typing with accents wraps, Ctrl-A and Ctrl-E go to
    the start and end of the visual line, and the counter row says which line."""
    vt = gallery(ctx, term="vt100")
    vt.wait("0 / 64.000 tekens", ctx.t(5))
    words = "één twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien"
    vt.type(words + " " + words)
    vt.wait("155 / 64.000 tekens", ctx.t(5))
    vt.wait("regel 2 van 2", ctx.t(5))
    rows = editor_rows(vt)
    assert rows[0].startswith("één twee") and " ".join(r for r in rows if r) == words + " " + words, \
        vt.dump()
    vt.keys("<c-a>")
    wait_until(lambda: vt.cursor() == (2, 0), ctx.t(5), what="cursor at the line start")
    vt.keys("<up><c-e>")
    end = len(rows[0].rstrip())
    wait_until(lambda: vt.cursor() == (1, end), ctx.t(5), what="cursor at the end of line 1")
    vt.wait("regel 1 van 2", ctx.t(5))
    vt.type("!")
    wait_until(lambda: editor_rows(vt)[0].rstrip().endswith("!"), ctx.t(5), what="'!' at the end")
