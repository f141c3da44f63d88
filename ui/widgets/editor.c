/* The text editor's model: a gap buffer, a cache of visual line starts updated around
 * each edit, and cursor moves. No curses here (see editor_view.c). */
#include "editor.h"

#include "wrap.h"

#include "common/alloc.h"
#include "common/dutch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EDITOR_DEFAULT_WIDTH 80

static struct wrap_src editor_src(const struct editor *ed)
{
	struct wrap_src src = {ed->buf, ed->gap, ed->buf + ed->gap_end, ed->cap - ed->gap_end};
	return src;
}

size_t editor_len(const struct editor *ed)
{
	return ed->cap - (ed->gap_end - ed->gap);
}

void editor_copy(const struct editor *ed, size_t from, size_t to, char *out)
{
	struct wrap_src src = editor_src(ed);
	wrap_copy(&src, from, to, out);
}

/* ---- the line cache ---- */

static void lines_reserve(struct editor *ed, size_t n)
{
	if (n <= ed->line_cap)
		return;
	size_t cap = ed->line_cap ? ed->line_cap : 64;
	while (cap < n)
		cap *= 2;
	ed->line = xrealloc(ed->line, cap * sizeof *ed->line);
	ed->line_cap = cap;
}

/* Wrap the whole text again (a new width, or a new text). */
static void lines_rebuild(struct editor *ed)
{
	struct wrap_src src = editor_src(ed);
	size_t s = 0;
	ed->nline = 0;
	for (;;) {
		lines_reserve(ed, ed->nline + 1);
		ed->line[ed->nline++] = s;
		s = wrap_next_line(&src, s, ed->width);
		if (s == WRAP_END)
			break;
	}
}

size_t editor_line_of(const struct editor *ed, size_t pos)
{
	size_t lo = 0, hi = ed->nline; /* the last line with start <= pos */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (ed->line[mid] <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the line starting exactly at pos after index after, or 0 when none. */
static size_t line_find(const struct editor *ed, size_t pos, size_t after)
{
	size_t i = editor_line_of(ed, pos);
	return i > after && ed->line[i] == pos ? i : 0;
}

/* Splice the cache after bytes [p, p + rem) became ins bytes: lines before the edit
 * keep their starts; wrapping starts again one line above the edit (a shorter word may
 * now fit there) and stops as soon as a new line start meets an old one past the edit,
 * from where every old start only shifts by the size change. */
static void lines_update(struct editor *ed, size_t p, size_t rem, size_t ins)
{
	struct wrap_src src = editor_src(ed);
	size_t k = editor_line_of(ed, p);
	size_t first = k > 0 ? k - 1 : 0, match = 0, ntmp = 0, cap = 16;
	size_t *tmp = xmalloc(cap * sizeof *tmp);
	for (size_t s = ed->line[first];;) {
		size_t n = wrap_next_line(&src, s, ed->width);
		if (n == WRAP_END)
			break;
		if (n >= p + ins && (match = line_find(ed, n - ins + rem, first)) != 0)
			break;
		if (ntmp == cap) {
			cap *= 2;
			tmp = xrealloc(tmp, cap * sizeof *tmp);
		}
		tmp[ntmp++] = n;
		s = n;
	}
	size_t tail = match ? ed->nline - match : 0;
	lines_reserve(ed, first + 1 + ntmp + tail);
	size_t *dst = ed->line + first + 1 + ntmp;
	memmove(dst, ed->line + match, tail * sizeof *dst);
	for (size_t i = 0; i < tail; i++)
		dst[i] = dst[i] - rem + ins;
	memcpy(ed->line + first + 1, tmp, ntmp * sizeof *tmp);
	ed->nline = first + 1 + ntmp + tail;
	free(tmp);
}

/* ---- the gap buffer ---- */

static void gap_move(struct editor *ed, size_t pos)
{
	if (pos < ed->gap) {
		size_t n = ed->gap - pos;
		memmove(ed->buf + ed->gap_end - n, ed->buf + pos, n);
		ed->gap = pos;
		ed->gap_end -= n;
	} else if (pos > ed->gap) {
		size_t n = pos - ed->gap;
		memmove(ed->buf + ed->gap, ed->buf + ed->gap_end, n);
		ed->gap += n;
		ed->gap_end += n;
	}
}

static void gap_reserve(struct editor *ed, size_t n)
{
	if (ed->gap_end - ed->gap >= n)
		return;
	size_t tail = ed->cap - ed->gap_end;
	size_t cap = ed->cap * 2 > ed->cap + n + 4096 ? ed->cap * 2 : ed->cap + n + 4096;
	ed->buf = xrealloc(ed->buf, cap);
	memmove(ed->buf + cap - tail, ed->buf + ed->gap_end, tail);
	ed->gap_end = cap - tail;
	ed->cap = cap;
}

/* Replace rem bytes at pos with n bytes of clean text s; counts and lines follow. */
static void editor_replace(struct editor *ed, size_t pos, size_t rem, const char *s, size_t n)
{
	gap_move(ed, pos);
	ed->ncp -= wrap_count_cp(ed->buf + ed->gap_end, rem);
	ed->gap_end += rem;
	gap_reserve(ed, n);
	memcpy(ed->buf + ed->gap, s, n);
	ed->gap += n;
	ed->ncp += wrap_count_cp(s, n);
	lines_update(ed, pos, rem, n);
	ed->goal_col = -1;
	ed->eol = false;
}

/* True when visual line i was cut inside a word (no '\n' or space before the next). */
static bool line_is_cut(const struct editor *ed, size_t i)
{
	if (i + 1 >= ed->nline)
		return false;
	struct wrap_src src = editor_src(ed);
	char c = wrap_byte(&src, ed->line[i + 1] - 1);
	return c != '\n' && c != ' ';
}

/* The visual line the cursor shows on (see eol). */
static size_t cursor_line(const struct editor *ed)
{
	size_t l = editor_line_of(ed, ed->cur);
	if (ed->eol && l > 0 && ed->line[l] == ed->cur && line_is_cut(ed, l - 1))
		return l - 1;
	return l;
}

/* Keep the cursor's line on screen. */
static void editor_follow(struct editor *ed)
{
	size_t l = cursor_line(ed);
	size_t h = ed->height > 0 ? (size_t)ed->height : 1;
	if (ed->top + h > ed->nline) /* no empty rows below the text while it could fill them */
		ed->top = ed->nline > h ? ed->nline - h : 0;
	if (l < ed->top)
		ed->top = l;
	else if (l >= ed->top + h)
		ed->top = l - h + 1;
}

/* ---- life cycle ---- */

void editor_init(struct editor *ed, size_t limit)
{
	memset(ed, 0, sizeof *ed);
	ed->cap = 4096;
	ed->buf = xmalloc(ed->cap);
	ed->gap_end = ed->cap;
	ed->limit = limit;
	ed->goal_col = -1;
	ed->width = EDITOR_DEFAULT_WIDTH;
	ed->height = 1;
	lines_rebuild(ed);
}

void editor_free(struct editor *ed)
{
	free(ed->buf);
	free(ed->line);
	free(ed->paste);
	free(ed->scratch);
	memset(ed, 0, sizeof *ed);
}

size_t editor_set_text(struct editor *ed, const char *s)
{
	ed->gap = 0;
	ed->gap_end = ed->cap;
	ed->ncp = 0;
	ed->cur = 0;
	ed->top = 0;
	ed->eol = false;
	lines_rebuild(ed);
	return editor_insert(ed, s, strlen(s));
}

char *editor_text(const struct editor *ed)
{
	size_t n = editor_len(ed);
	char *out = xmalloc(n + 1);
	editor_copy(ed, 0, n, out);
	out[n] = '\0';
	return out;
}

void editor_layout(struct editor *ed, int width, int height)
{
	if (width < 1)
		width = 1;
	if (width != ed->width) {
		ed->width = width;
		lines_rebuild(ed);
	}
	ed->height = height > 0 ? height : 1;
	editor_follow(ed);
}

/* ---- editing ---- */

size_t editor_insert(struct editor *ed, const char *s, size_t n)
{
	size_t ncp;
	char *clean = wrap_clean(s, n, &ncp);
	size_t len = strlen(clean), room = ed->limit > ed->ncp ? ed->limit - ed->ncp : 0;
	ed->refused = 0;
	if (ncp > room) {
		ed->refused = ncp - room;
		len = wrap_prefix_cp(clean, len, room);
	}
	if (len > 0) {
		editor_replace(ed, ed->cur, 0, clean, len);
		ed->cur += len;
	}
	free(clean);
	editor_follow(ed);
	return ed->refused;
}

bool editor_backspace(struct editor *ed)
{
	ed->refused = 0;
	if (ed->cur == 0)
		return false;
	struct wrap_src src = editor_src(ed);
	size_t p = wrap_char_prev(&src, ed->cur);
	editor_replace(ed, p, ed->cur - p, "", 0);
	ed->cur = p;
	editor_follow(ed);
	return true;
}

bool editor_delete(struct editor *ed)
{
	ed->refused = 0;
	if (ed->cur >= editor_len(ed))
		return false;
	struct wrap_src src = editor_src(ed);
	int w;
	size_t e = wrap_char_next(&src, ed->cur, &w);
	editor_replace(ed, ed->cur, e - ed->cur, "", 0);
	editor_follow(ed);
	return true;
}

/* ---- moving ---- */

void editor_line_span(const struct editor *ed, size_t i, size_t *start, size_t *end)
{
	*start = ed->line[i];
	if (i + 1 >= ed->nline) {
		*end = editor_len(ed);
		return;
	}
	size_t next = ed->line[i + 1];
	struct wrap_src src = editor_src(ed);
	*end = wrap_byte(&src, next - 1) == '\n' ? next - 1 : next;
}

/* The last cursor position on visual line i: before its '\n', before the space it
 * broke after, the end of the text, or after a cut word (*eol set: that position is the
 * next line's start, shown at this line's end). */
static size_t line_last(const struct editor *ed, size_t i, bool *eol)
{
	size_t start, end;
	editor_line_span(ed, i, &start, &end);
	*eol = false;
	if (i + 1 >= ed->nline || end < ed->line[i + 1])
		return end;
	if (line_is_cut(ed, i)) {
		*eol = true;
		return end;
	}
	struct wrap_src src = editor_src(ed);
	return wrap_char_prev(&src, end);
}

void editor_cursor(const struct editor *ed, size_t *line, int *col)
{
	struct wrap_src src = editor_src(ed);
	*line = cursor_line(ed);
	*col = wrap_cols(&src, ed->line[*line], ed->cur);
}

/* The position on line i nearest to column goal from the left (*eol: see line_last). */
static size_t line_pos_at(const struct editor *ed, size_t i, int goal, bool *eol)
{
	struct wrap_src src = editor_src(ed);
	bool cut;
	size_t pos = ed->line[i], last = line_last(ed, i, &cut);
	int col = 0;
	while (pos < last) {
		int w;
		size_t next = wrap_char_next(&src, pos, &w);
		if (col + w > goal)
			break;
		col += w;
		pos = next;
	}
	*eol = cut && pos == last;
	return pos;
}

static bool is_space_at(const struct wrap_src *src, size_t pos)
{
	char c = wrap_byte(src, pos);
	return c == ' ' || c == '\n';
}

/* Next word start (forward) or the start of the word before (backward). */
static size_t word_step(const struct editor *ed, bool forward)
{
	struct wrap_src src = editor_src(ed);
	size_t pos = ed->cur, len = editor_len(ed);
	int w;
	if (forward) {
		while (pos < len && !is_space_at(&src, pos))
			pos = wrap_char_next(&src, pos, &w);
		while (pos < len && is_space_at(&src, pos))
			pos = wrap_char_next(&src, pos, &w);
		return pos;
	}
	while (pos > 0 && is_space_at(&src, wrap_char_prev(&src, pos)))
		pos = wrap_char_prev(&src, pos);
	while (pos > 0 && !is_space_at(&src, wrap_char_prev(&src, pos)))
		pos = wrap_char_prev(&src, pos);
	return pos;
}

/* Move up (negative) or down by n visual lines, keeping the goal column. */
static size_t line_step(struct editor *ed, long n, bool *eol)
{
	size_t line;
	int col;
	editor_cursor(ed, &line, &col);
	if (ed->goal_col < 0)
		ed->goal_col = col;
	long target = (long)line + n;
	if (target < 0)
		return 0;
	if (target >= (long)ed->nline)
		return editor_len(ed);
	return line_pos_at(ed, (size_t)target, ed->goal_col, eol);
}

/* Where move m takes the cursor; *eol as in struct editor. */
static size_t move_target(struct editor *ed, enum editor_move m, bool *eol)
{
	struct wrap_src src = editor_src(ed);
	size_t len = editor_len(ed), line = cursor_line(ed);
	long page = ed->height > 1 ? ed->height - 1 : 1;
	int w;
	switch (m) {
	case EDITOR_LEFT:
		return ed->cur > 0 ? wrap_char_prev(&src, ed->cur) : 0;
	case EDITOR_RIGHT:
		return ed->cur < len ? wrap_char_next(&src, ed->cur, &w) : len;
	case EDITOR_WORD_LEFT:
		return word_step(ed, false);
	case EDITOR_WORD_RIGHT:
		return word_step(ed, true);
	case EDITOR_UP:
		return line_step(ed, -1, eol);
	case EDITOR_DOWN:
		return line_step(ed, 1, eol);
	case EDITOR_HOME:
		return ed->line[line];
	case EDITOR_END:
		return line_last(ed, line, eol);
	case EDITOR_PAGE_UP:
		ed->top = ed->top > (size_t)page ? ed->top - (size_t)page : 0;
		return line_step(ed, -page, eol);
	case EDITOR_PAGE_DOWN:
		ed->top += (size_t)page;
		return line_step(ed, page, eol);
	case EDITOR_TOP:
		return 0;
	case EDITOR_BOTTOM:
		return len;
	}
	return ed->cur;
}

bool editor_move(struct editor *ed, enum editor_move m)
{
	int goal = ed->goal_col;
	bool eol = false;
	size_t to = move_target(ed, m, &eol);
	bool vertical = m == EDITOR_UP || m == EDITOR_DOWN || m == EDITOR_PAGE_UP ||
					m == EDITOR_PAGE_DOWN;
	ed->goal_col = vertical ? (ed->goal_col >= 0 ? ed->goal_col : goal) : -1;
	bool moved = to != ed->cur || eol != ed->eol;
	ed->cur = to;
	ed->eol = eol;
	ed->refused = 0;
	editor_follow(ed);
	return moved;
}

/* ---- bracketed paste ---- */

void editor_paste_begin(struct editor *ed)
{
	ed->pasting = true;
	ed->paste_len = 0;
}

/* A paste longer than this is cut (the limit refuses most of it anyway). */
#define EDITOR_PASTE_MAX (4u << 20)

void editor_paste_add(struct editor *ed, const char *s, size_t n)
{
	if (ed->paste_len + n > EDITOR_PASTE_MAX)
		return;
	if (ed->paste_len + n > ed->paste_cap) {
		ed->paste_cap = (ed->paste_len + n) * 2 + 256;
		ed->paste = xrealloc(ed->paste, ed->paste_cap);
	}
	memcpy(ed->paste + ed->paste_len, s, n);
	ed->paste_len += n;
}

size_t editor_paste_end(struct editor *ed)
{
	ed->pasting = false;
	size_t refused = editor_insert(ed, ed->paste ? ed->paste : "", ed->paste_len);
	ed->paste_len = 0;
	return refused;
}

const char *editor_counter(size_t n, size_t limit, char out[64])
{
	char a[32], b[32];
	snprintf(out, 64, "%s / %s", nl_number((long long)n, a), nl_number((long long)limit, b));
	return out;
}
