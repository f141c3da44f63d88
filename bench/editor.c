/*
 * bench_editor: per-keystroke cost of the text editor widget (ui/widgets/editor.c) holding
 * 64,000 characters, beside a peer measured in the same run.
 *
 * The peer is what a straightforward editor does: the text in one flat buffer, an insert
 * or delete memmove()s the tail, and every keystroke wraps the whole text again
 * (wrap_lines, the same word wrap) to find the lines to draw. Both draw the same 22x80
 * rows through curses into /dev/null (newterm on xterm-256color), so the numbers are
 * "key in, screen out" without the terminal itself.
 *
 * Cases: 64,000 characters as paragraphs of about 700 characters, and as one paragraph
 * without line breaks (the worst case for wrapping); keystrokes: typing in the middle,
 * Backspace in the middle, cursor moves (right/down/word), and a redraw alone. Also the
 * time to take in 64,000 characters by bracketed paste and as a burst of single keys.
 *
 * Times are the thread's CPU time (median and 99th percentile), so other work on the
 * machine does not count.
 *
 *   bench_editor [ROUNDS]     (default 1000 keystrokes per measurement)
 */
#include "draw.h"
#include "theme.h"
#include "widgets/editor.h"
#include "widgets/wrap.h"

#include "common/alloc.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_CHARS 64000
#define ROWS 22
#define COLS_W 80

/* CPU time of this thread: the cost of a key, not the waits of a busy shared machine. */
static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median and 99th percentile of n samples (sorted in place). */
static void stats(double *v, int n, double *median, double *p99)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	*median = v[n / 2];
	*p99 = v[(n * 99) / 100];
}

/* 64,000 characters of Dutch words; with paragraphs, a line break every ~700. */
static char *make_text(bool paragraphs)
{
	static const char *const words[] = {"zorg", "cliënt", "bericht", "locatie", "team",
		"afspraak", "de", "het", "een", "wijk", "vandaag", "morgen", "overdracht"};
	char *s = xmalloc(N_CHARS * 2 + 16);
	size_t len = 0, count = 0, w = 0, since = 0;
	while (count < N_CHARS) {
		const char *word = words[w++ % 13];
		for (const char *p = word; *p && count < N_CHARS; p++) {
			s[len++] = *p;
			if (((unsigned char)*p & 0xc0) != 0x80)
				count++, since++;
		}
		if (count < N_CHARS) {
			bool brk = paragraphs && since > 700;
			s[len++] = brk ? '\n' : ' ';
			since = brk ? 0 : since;
			count++;
		}
	}
	s[len] = '\0';
	return s;
}

/* ---- the peer: a flat buffer, memmove, whole-text wrap per key ---- */

struct flat {
	char *s;
	size_t len, cap, cur;
	struct wrap_line *lines;
	size_t nlines;
};

static void flat_wrap(struct flat *f)
{
	free(f->lines);
	f->lines = wrap_lines(f->s, f->len, COLS_W - 1, &f->nlines);
}

static void flat_insert(struct flat *f, char c)
{
	if (f->len + 2 > f->cap) {
		f->cap = f->cap * 2 + 16;
		f->s = xrealloc(f->s, f->cap);
	}
	memmove(f->s + f->cur + 1, f->s + f->cur, f->len - f->cur);
	f->s[f->cur++] = c;
	f->len++;
	flat_wrap(f);
}

static void flat_backspace(struct flat *f)
{
	if (f->cur == 0)
		return;
	memmove(f->s + f->cur - 1, f->s + f->cur, f->len - f->cur);
	f->cur--;
	f->len--;
	flat_wrap(f);
}

/* Draw the rows around the cursor, as the editor does. */
static void flat_draw(const struct flat *f)
{
	size_t lo = 0, hi = f->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (f->lines[mid].start <= f->cur)
			lo = mid;
		else
			hi = mid;
	}
	size_t top = lo > ROWS / 2 ? lo - ROWS / 2 : 0;
	for (int i = 0; i < ROWS; i++) {
		draw_fill(1 + i, 0, COLS_W, THEME_NORMAL);
		if (top + (size_t)i < f->nlines) {
			const struct wrap_line *l = &f->lines[top + (size_t)i];
			mvaddnstr(1 + i, 0, f->s + l->start, (int)(l->end - l->start));
		}
	}
	move(1 + (int)(lo - top), 0);
	refresh();
}

/* ---- measurements ---- */

enum op { OP_TYPE, OP_BACKSPACE, OP_MOVES, OP_REDRAW };
static const char *const op_names[] = {"type a character in the middle",
	"Backspace in the middle", "cursor move (right, down, word)", "redraw only"};

static void editor_step(struct editor *ed, enum op op, int i)
{
	static const enum editor_move moves[] = {EDITOR_RIGHT, EDITOR_DOWN, EDITOR_WORD_RIGHT,
		EDITOR_LEFT, EDITOR_UP, EDITOR_WORD_LEFT};
	if (op == OP_TYPE)
		editor_insert(ed, "a", 1);
	else if (op == OP_BACKSPACE)
		editor_backspace(ed);
	else if (op == OP_MOVES)
		editor_move(ed, moves[i % 6]);
	struct wgt_rect r = {1, 0, ROWS + 1, COLS_W};
	editor_draw(ed, r, THEME_NORMAL, true);
	refresh();
}

static void flat_step(struct flat *f, enum op op, int i)
{
	if (op == OP_TYPE)
		flat_insert(f, 'a');
	else if (op == OP_BACKSPACE)
		flat_backspace(f);
	else if (op == OP_MOVES) /* a move re-wraps nothing in the peer either */
		f->cur = i % 2 ? f->cur + 1 : f->cur - 1;
	flat_draw(f);
}

/* One row of the table: our editor and the peer for op. */
static void measure(const char *text, enum op op, int rounds, double *samples)
{
	struct editor ed;
	editor_init(&ed, N_CHARS * 2);
	editor_set_text(&ed, text);
	size_t half = editor_len(&ed) / 2;
	while (ed.cur > half)
		editor_move(&ed, EDITOR_LEFT);
	struct flat f = {xstrdup(text), strlen(text), strlen(text) + 1, 0, NULL, 0};
	f.cur = ed.cur;
	flat_wrap(&f);
	double med[2], p99[2];
	for (int who = 0; who < 2; who++) {
		for (int i = 0; i < rounds; i++) {
			double t0 = now_us();
			if (who == 0)
				editor_step(&ed, op, i);
			else
				flat_step(&f, op, i);
			samples[i] = now_us() - t0;
		}
		stats(samples, rounds, &med[who], &p99[who]);
	}
	printf("  %-34s %9.1f %9.1f   %9.1f %9.1f\n", op_names[op], med[0], p99[0], med[1], p99[1]);
	editor_free(&ed);
	free(f.s);
	free(f.lines);
}

/* Taking in the whole text: one bracketed paste, and a burst of single keys. */
static void measure_paste(const char *text)
{
	struct editor ed;
	editor_init(&ed, N_CHARS);
	editor_layout(&ed, COLS_W - 1, ROWS);
	double t0 = now_us();
	editor_paste_begin(&ed);
	editor_paste_add(&ed, text, strlen(text));
	editor_paste_end(&ed);
	double paste = now_us() - t0;
	editor_set_text(&ed, "");
	t0 = now_us();
	for (const char *p = text; *p;) {
		size_t n = 1;
		while (((unsigned char)p[n] & 0xc0) == 0x80)
			n++;
		editor_insert(&ed, p, n);
		p += n;
	}
	double burst = now_us() - t0;
	printf("  paste 64,000 characters at once: %.1f ms; as 64,000 single keys: %.1f ms "
		   "(%.2f us a key)\n", paste / 1e3, burst / 1e3, burst / N_CHARS);
	editor_free(&ed);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 1000;
	if (rounds < 10)
		rounds = 10;
	setlocale(LC_ALL, "C.UTF-8");
	FILE *out = fopen("/dev/null", "w");
	FILE *in = fopen("/dev/null", "r");
	if (!out || !in || !newterm("xterm-256color", out, in)) {
		fprintf(stderr, "bench_editor: cannot start curses on /dev/null\n");
		return 1;
	}
	resizeterm(24, COLS_W);
	struct theme th;
	theme_builtin(&th);
	theme_apply(&th, THEME_MONO);
	double *samples = xmalloc((size_t)rounds * sizeof *samples);
	printf("bench/editor: per keystroke at 64,000 characters, CPU microseconds, %d keys each\n", rounds);
	printf("  peer: flat buffer + memmove + whole-text wrap per key, same drawing\n");
	for (int para = 1; para >= 0; para--) {
		char *text = make_text(para);
		printf("%s\n  %-34s %9s %9s   %9s %9s\n", para ? "text in paragraphs of ~700 characters:"
												   : "text as one paragraph (no line breaks):",
			   "", "editor", "p99", "peer", "p99");
		for (int op = OP_TYPE; op <= OP_REDRAW; op++)
			measure(text, (enum op)op, rounds, samples);
		if (para)
			measure_paste(text);
		free(text);
	}
	endwin();
	free(samples);
	return 0;
}
