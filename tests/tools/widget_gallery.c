/*
 * widget_gallery: shows each shared widget of ui/widgets/ on its own page, for the TUI
 * tests (tests/tui/tui_widgets.py) and for looking at them by hand.
 *
 *   widget_gallery [--page editor|detail|tree|chart] [--limit N] [--fill N]
 *
 * Tab goes to the next page (the editor leaves Tab alone), F10 quits. --limit sets the
 * editor's limit (default 64,000), --fill starts it with N characters of words.
 */
#include "draw.h"
#include "theme.h"
#include "widgets/chart.h"
#include "widgets/detail.h"
#include "widgets/editor.h"
#include "widgets/tree.h"

#include "common/alloc.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum page { PAGE_EDITOR, PAGE_DETAIL, PAGE_TREE, PAGE_CHART, PAGE_COUNT };
static const char *const page_names[] = {"editor", "detail", "tree", "chart"};
static const char *const page_titles[] = {"Editor", "Detailvenster", "Boom", "Grafieken"};

struct gallery {
	enum page page;
	struct editor ed;
	struct detail det;
	struct tree tree;
	bool quit;
};

/* n characters of words, a new paragraph now and then. Caller frees. */
static char *fill_text(size_t n)
{
	static const char *const words[] = {"zorg", "cliënt", "bericht", "locatie", "team",
		"afspraak", "de", "het", "een", "wijk", "vandaag", "morgen", "overdracht"};
	char *s = xmalloc(n * 2 + 16);
	size_t len = 0, count = 0, w = 0;
	while (count < n) {
		const char *word = words[w++ % 13];
		for (const char *p = word; *p && count < n; p++) {
			s[len++] = *p;
			if (((unsigned char)*p & 0xc0) != 0x80)
				count++;
		}
		if (count < n) {
			s[len++] = w % 97 == 0 ? '\n' : ' ';
			count++;
		}
	}
	s[len] = '\0';
	return s;
}

static void fill_detail(struct detail *d)
{
	detail_add(d, "Cliënt", "José van den Berg (C000123)", THEME_NORMAL);
	detail_add(d, "E-mail besteller",
			   "wijkverpleging.assen-oost.planning@zorggroep-noord-drenthe.example.nl", THEME_NORMAL);
	detail_add(d, "Reden afwijzing",
			   "De leverancier kan dit apparaat niet leveren op het alternatieve adres, omdat "
			   "daar geen vaste telefoonlijn of mobiel bereik is; kies een ander type. EINDE",
			   THEME_STATUS_BAD);
	detail_add(d, "Telefoon", "Een telefoonnummer heeft tien cijfers, of +31 en negen cijfers.",
			   THEME_ERROR);
	detail_add(d, "Notitie", "Levering \x1b[31mmorgen\x1b[0m tussen 9 en 12 uur\nBel eerst aan.",
			   THEME_NORMAL);
	for (int i = 1; i <= 24; i++) {
		char label[32], value[64];
		snprintf(label, sizeof label, "Veld %d", i);
		snprintf(value, sizeof value, "waarde %d", i);
		detail_add(d, label, value, THEME_NORMAL);
	}
	detail_add(d, "Laatste", "het einde van het venster", THEME_NORMAL);
}

static void fill_tree(struct tree *t)
{
	tree_add(t, 0, "Zorggroep Noord", 543, 1, false);
	tree_add(t, 1, "Assen", 120, 2, false);
	tree_add(t, 2, "Team Assen-Oost", 70, 3, false);
	tree_add(t, 2, "Team Assen-West", 50, 4, false);
	tree_add(t, 1, "Groningen", 345, 5, false);
	tree_add(t, 2, "Team Vinkhuizen", 345, 6, false);
	tree_add(t, 1, "Emmen", 78, 7, false);
	tree_add(t, 0, "Zorggroep Zuid", 1234, 8, false);
	tree_add(t, 1, "Breda", 1234, 9, false);
	tree_add(t, 1, "Tilburg", 0, 10, false);
	tree_flatten(t);
}

static void draw_charts(void)
{
	static const struct chart_bar bars[] = {{"Assen", 120}, {"Groningen", 345}, {"Emmen", 78},
		{"Breda", 1234}, {"Tilburg", 0}, {"Zwolle", 15}, {"Zwolle-Zuid", 3}};
	double days[60];
	for (int i = 0; i < 60; i++)
		days[i] = (double)((i * 7) % 23) + (i > 50 ? 20 : 0);
	draw_text(2, 1, COLS - 2, THEME_TITLE, "Cliënten per locatie");
	struct wgt_rect r = {3, 1, 6, COLS - 2}; /* seven bars, six rows: "... en nog 2" */
	chart_draw(bars, 7, r, THEME_NORMAL, THEME_STATUS_OK);
	draw_text(11, 1, COLS - 2, THEME_TITLE, "Bestellingen per dag (60 dagen)");
	sparkline_draw(days, 60, 12, 1, 60, THEME_NORMAL);
}

static void gallery_draw(struct gallery *g)
{
	erase();
	char head[128];
	snprintf(head, sizeof head, "Widgetgalerij: %s  (Tab: volgende, F10: stoppen)",
			 page_titles[g->page]);
	draw_cell(0, 0, COLS, THEME_HEADER, head);
	struct wgt_rect body = {1, 0, LINES - 1, COLS};
	curs_set(g->page == PAGE_EDITOR ? 1 : 0);
	switch (g->page) {
	case PAGE_EDITOR:
		editor_draw(&g->ed, body, THEME_NORMAL, true);
		break;
	case PAGE_DETAIL:
		detail_draw(&g->det, body, THEME_NORMAL);
		break;
	case PAGE_TREE:
		tree_widget_draw(&g->tree, body, THEME_NORMAL, true);
		break;
	default:
		draw_charts();
		break;
	}
	refresh();
}

static void gallery_key(struct gallery *g, wint_t c, bool is_keycode)
{
	if (is_keycode && c == KEY_F(10)) {
		g->quit = true;
		return;
	}
	bool used = false;
	if (g->page == PAGE_EDITOR)
		used = editor_key(&g->ed, c, is_keycode) != EDITOR_IGNORED;
	else if (g->page == PAGE_DETAIL)
		used = detail_key(&g->det, c, is_keycode);
	else if (g->page == PAGE_TREE)
		used = tree_widget_key(&g->tree, c, is_keycode);
	if (!used && !is_keycode && c == '\t')
		g->page = (enum page)((g->page + 1) % PAGE_COUNT);
}

/* Options (each takes a value); false on a wrong one. */
static bool parse_args(struct gallery *g, int argc, char **argv, size_t *limit, size_t *fill)
{
	for (int i = 1; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return false;
		if (strcmp(argv[i], "--page") == 0) {
			for (int p = 0; p < PAGE_COUNT; p++)
				if (strcmp(v, page_names[p]) == 0)
					g->page = (enum page)p;
		} else if (strcmp(argv[i], "--limit") == 0) {
			*limit = strtoul(v, NULL, 10);
		} else if (strcmp(argv[i], "--fill") == 0) {
			*fill = strtoul(v, NULL, 10);
		} else {
			return false;
		}
	}
	return true;
}

/* Curses on the terminal, with the built-in theme and bracketed paste. */
static void start_curses(void)
{
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	struct theme th;
	theme_builtin(&th);
	theme_apply(&th, theme_pick_depth(COLORS, has_colors(), getenv("NO_COLOR")));
	editor_paste_mode(true);
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	struct gallery g = {0};
	size_t limit = EDITOR_MESSAGE_LIMIT, fill = 0;
	if (!parse_args(&g, argc, argv, &limit, &fill)) {
		fprintf(stderr, "usage: widget_gallery [--page editor|detail|tree|chart] [--limit N] [--fill N]\n");
		return 2;
	}
	editor_init(&g.ed, limit);
	if (fill) {
		char *text = fill_text(fill);
		editor_set_text(&g.ed, text);
		free(text);
	}
	detail_init(&g.det);
	fill_detail(&g.det);
	tree_init(&g.tree);
	fill_tree(&g.tree);

	start_curses();
	while (!g.quit) {
		gallery_draw(&g);
		wint_t c;
		int rc = get_wch(&c);
		/* Handle every key already waiting before drawing again, as zorgterm does. */
		nodelay(stdscr, TRUE);
		while (rc != ERR && !g.quit) {
			if (!(rc == KEY_CODE_YES && c == KEY_RESIZE))
				gallery_key(&g, c, rc == KEY_CODE_YES);
			rc = get_wch(&c);
		}
		nodelay(stdscr, FALSE);
	}
	editor_paste_mode(false);
	endwin();
	editor_free(&g.ed);
	detail_free(&g.det);
	tree_free(&g.tree);
	return 0;
}
