/* In-memory client index (hash by id, order by folded name) and filtered views. */
#include "client/clients.h"

#include "client/replica.h"
#include "common/alloc.h"
#include "common/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Hash an id into a table of hcap slots. */
static size_t hslot(int64_t id, size_t hcap)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 17) & (hcap - 1);
}

/* Insert id -> pos into the hash table (which has room). The table holds positions only
 * (the id is read from the row): 4 bytes a slot instead of 12. */
static void hput(struct client_index *x, int64_t id, uint32_t pos)
{
	size_t i = hslot(id, x->hcap);
	while (x->hslots[i] && x->rows[x->hslots[i] - 1].id != id)
		i = (i + 1) & (x->hcap - 1);
	x->hslots[i] = pos + 1;
}

/* Position of id, or -1. */
static long hget(const struct client_index *x, int64_t id)
{
	if (!x->hcap)
		return -1;
	size_t i = hslot(id, x->hcap);
	while (x->hslots[i]) {
		uint32_t pos = x->hslots[i] - 1;
		if (x->rows[pos].id == id)
			return pos;
		i = (i + 1) & (x->hcap - 1);
	}
	return -1;
}

/* Keep the hash table under half full. */
static void hgrow(struct client_index *x)
{
	if ((x->n + 1) * 2 < x->hcap)
		return;
	size_t cap = x->hcap ? x->hcap * 2 : 1024;
	while ((x->n + 1) * 2 >= cap)
		cap *= 2;
	free(x->hslots);
	x->hslots = xcalloc(cap, sizeof *x->hslots);
	x->hcap = cap;
	for (size_t i = 0; i < x->n; i++)
		hput(x, x->rows[i].id, (uint32_t)i);
}

void clients_init(struct client_index *x)
{
	memset(x, 0, sizeof *x);
}

/* Free the strings of one row (one block, starting at number). */
static void row_clear(struct client_row *r)
{
	free(r->number);
	r->number = r->name = r->birth = r->fold = r->number_fold = NULL;
}

void clients_free(struct client_index *x)
{
	if (x->loading)
		sqlite3_finalize(x->loading);
	for (size_t i = 0; i < x->n; i++)
		row_clear(&x->rows[i]);
	free(x->rows);
	free(x->order);
	free(x->hslots);
	memset(x, 0, sizeof *x);
}

/* The bit of one folded character in a row's mask: a-z, and the digits on six bits (two
 * digits share a bit); other bytes have none. A word whose bits are not all in a row's mask
 * cannot occur in it, so a search skips that row without reading its strings. */
static uint32_t char_bit(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return 1u << (c - 'a');
	if (c >= '0' && c <= '9')
		return 1u << (26 + (c - '0') % 6);
	return 0;
}

/* The mask of every character of s up to len bytes (or the end). */
static uint32_t text_mask(const char *s, size_t len)
{
	uint32_t m = 0;
	for (size_t i = 0; i < len && s[i]; i++)
		m |= char_bit((unsigned char)s[i]);
	return m;
}

/* Copy src (may be NULL) to *at and move *at past its terminator; returns the copy. */
static char *put(char **at, const char *src, size_t len)
{
	char *d = *at;
	if (len)
		memcpy(d, src, len);
	d[len] = '\0';
	*at += len + 1;
	return d;
}

/* Fill row with copies of the given fields, all five strings in one block (one malloc a
 * client instead of five: about half the index's memory at 100,000 clients). */
static void row_set(struct client_row *r, int64_t id, const char *number, const char *name,
					const char *birth, int64_t location_id, const char *fold)
{
	char *own_fold = fold ? NULL : text_fold(name ? name : "");
	const char *f = fold ? fold : own_fold;
	size_t ln = number ? strlen(number) : 0, lm = name ? strlen(name) : 0;
	size_t lb = birth ? strlen(birth) : 0, lf = strlen(f);
	char *at = xmalloc(2 * ln + lm + lb + lf + 5);
	r->id = id;
	r->location_id = location_id;
	r->number = put(&at, number, ln);
	r->number_fold = put(&at, number, ln);
	for (char *p = r->number_fold; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	r->name = put(&at, name, lm);
	r->birth = put(&at, birth, lb);
	r->fold = put(&at, f, lf);
	r->mask = text_mask(r->fold, lf) | text_mask(r->number_fold, ln);
	r->gone = false;
	free(own_fold);
}

/* Append a row (hash updated). */
static void append(struct client_index *x, int64_t id, const char *number, const char *name,
				   const char *birth, int64_t location_id, const char *fold)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 1024;
		x->rows = xrealloc(x->rows, x->cap * sizeof *x->rows);
	}
	hgrow(x);
	row_set(&x->rows[x->n], id, number, name, birth, location_id, fold);
	hput(x, id, (uint32_t)x->n);
	x->n++;
	x->order_dirty = true;
	x->generation++;
}

void clients_upsert(struct client_index *x, int64_t id, const char *number, const char *name,
					const char *birth, int64_t location_id)
{
	clients_load_finish(x);
	long pos = hget(x, id);
	if (pos < 0) {
		append(x, id, number, name, birth, location_id, NULL);
		return;
	}
	struct client_row *r = &x->rows[pos];
	row_clear(r);
	row_set(r, id, number, name, birth, location_id, NULL);
	x->order_dirty = true;
	x->generation++;
}

void clients_remove(struct client_index *x, int64_t id)
{
	clients_load_finish(x);
	long pos = hget(x, id);
	if (pos < 0 || x->rows[pos].gone)
		return;
	x->rows[pos].gone = true;
	x->order_dirty = true;
	x->generation++;
}

const struct client_row *clients_get(const struct client_index *x, int64_t id)
{
	long pos = hget(x, id);
	return pos < 0 || x->rows[pos].gone ? NULL : &x->rows[pos];
}

/* Extend the order (the identity: rows arrive sorted) over every row read so far. */
static void order_extend(struct client_index *x)
{
	x->order = xrealloc(x->order, (x->n ? x->n : 1) * sizeof *x->order);
	for (size_t i = x->norder; i < x->n; i++)
		x->order[i] = (uint32_t)i;
	x->norder = x->n;
	x->order_dirty = false;
}

bool clients_load_step(struct client_index *x, size_t rows)
{
	sqlite3_stmt *st = x->loading;
	if (!st)
		return false;
	size_t got = 0;
	int rc = SQLITE_ROW;
	while (got < rows && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		append(x, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
			   (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
			   sqlite3_column_int64(st, 4), (const char *)sqlite3_column_text(st, 5));
		got++;
	}
	order_extend(x);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		x->loading = NULL;
		return false;
	}
	return true;
}

void clients_load_finish(struct client_index *x)
{
	while (clients_load_step(x, (size_t)-1))
		;
}

bool clients_loading(const struct client_index *x)
{
	return x->loading != NULL;
}

int clients_load_begin(struct client_index *x, struct replica *r, size_t first)
{
	clients_load_finish(x);
	/* The generation only ever grows, so no view mistakes new rows for old ones. */
	uint64_t gen = x->generation;
	clients_free(x);
	x->generation = gen + 1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db,
						   "SELECT id, client_number, name, birth_date, location_id, fold FROM clients"
						   " ORDER BY fold, id",
						   -1, &st, NULL) != SQLITE_OK)
		return -1;
	x->loading = st;
	clients_load_step(x, first);
	return 0;
}

int clients_load(struct client_index *x, struct replica *r)
{
	if (clients_load_begin(x, r, 0) != 0)
		return -1;
	clients_load_finish(x);
	return 0;
}

static const struct client_row *sort_rows;

/* Order by folded name, then id. */
static int by_fold(const void *a, const void *b)
{
	const struct client_row *x = &sort_rows[*(const uint32_t *)a];
	const struct client_row *y = &sort_rows[*(const uint32_t *)b];
	int c = strcmp(x->fold, y->fold);
	if (c)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

void clients_sort(struct client_index *x)
{
	if (!x->order_dirty)
		return;
	x->order = xrealloc(x->order, (x->n ? x->n : 1) * sizeof *x->order);
	x->norder = 0;
	for (size_t i = 0; i < x->n; i++)
		if (!x->rows[i].gone)
			x->order[x->norder++] = (uint32_t)i;
	sort_rows = x->rows;
	qsort(x->order, x->norder, sizeof *x->order, by_fold);
	x->order_dirty = false;
}

size_t clients_count(const struct client_index *x)
{
	if (!x->order_dirty)
		return x->norder;
	size_t n = 0;
	for (size_t i = 0; i < x->n; i++)
		n += !x->rows[i].gone;
	return n;
}

bool clients_match(const struct client_row *row, const char *q)
{
	if (!*q)
		return true;
	/* A single word may also match the client number. */
	if (!strchr(q, ' ') && strstr(row->number_fold, q))
		return true;
	const char *w = q;
	char word[128];
	while (*w) {
		const char *e = strchr(w, ' ');
		size_t len = e ? (size_t)(e - w) : strlen(w);
		if (len >= sizeof word)
			len = sizeof word - 1;
		memcpy(word, w, len);
		word[len] = '\0';
		if (!strstr(row->fold, word))
			return false;
		w += len;
		while (*w == ' ')
			w++;
	}
	return true;
}

/* clients_match, after a check of the row's mask against qmask (the query's characters):
 * most rows fail that check without their strings being read. */
static bool match_masked(const struct client_row *row, const char *q, uint32_t qmask)
{
	return (row->mask & qmask) == qmask && clients_match(row, q);
}

void view_init(struct client_view *v)
{
	memset(v, 0, sizeof *v);
}

void view_free(struct client_view *v)
{
	free(v->pos);
	free(v->query);
	free(v->locs);
	memset(v, 0, sizeof *v);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* True when loc is allowed by the view's location filter. */
static bool loc_ok(const struct client_view *v, int64_t loc)
{
	return !v->locs || bsearch(&loc, v->locs, v->nlocs, sizeof loc, cmp_i64) != NULL;
}

/* True when the two location filters are the same set (v->locs is sorted). */
static bool same_locs(const struct client_view *v, const int64_t *locs, size_t nlocs)
{
	if (!v->locs || !locs)
		return !v->locs && !locs;
	if (v->nlocs != nlocs)
		return false;
	int64_t *sorted = xmalloc((nlocs ? nlocs : 1) * sizeof *sorted);
	memcpy(sorted, locs, nlocs * sizeof *locs);
	qsort(sorted, nlocs, sizeof *sorted, cmp_i64);
	bool same = memcmp(sorted, v->locs, nlocs * sizeof *locs) == 0;
	free(sorted);
	return same;
}

void view_update(struct client_view *v, struct client_index *x, const char *query,
				 const int64_t *locs, size_t nlocs)
{
	char *q = text_fold(query ? query : "");
	if (*q)
		clients_load_finish(x); /* search waits for the whole index */
	clients_sort(x);
	bool narrowing = v->pos && v->query && v->generation == x->generation &&
					 same_locs(v, locs, nlocs) && strncmp(q, v->query, strlen(v->query)) == 0 &&
					 /* a new word can widen a single-word client-number match */
					 (strchr(v->query, ' ') || !strchr(q, ' '));
	if (!same_locs(v, locs, nlocs)) {
		free(v->locs);
		v->locs = NULL;
		v->nlocs = 0;
		if (locs) {
			v->locs = xmalloc((nlocs ? nlocs : 1) * sizeof *locs);
			memcpy(v->locs, locs, nlocs * sizeof *locs);
			v->nlocs = nlocs;
			qsort(v->locs, nlocs, sizeof *locs, cmp_i64);
		}
	}
	uint32_t qmask = text_mask(q, (size_t)-1);
	if (narrowing) {
		size_t k = 0;
		for (size_t i = 0; i < v->n; i++)
			if (match_masked(&x->rows[v->pos[i]], q, qmask))
				v->pos[k++] = v->pos[i];
		v->n = k;
	} else {
		if (v->cap < x->norder + 1) {
			v->cap = x->norder + 1;
			v->pos = xrealloc(v->pos, v->cap * sizeof *v->pos);
		}
		v->n = 0;
		for (size_t i = 0; i < x->norder; i++) {
			const struct client_row *r = &x->rows[x->order[i]];
			if (loc_ok(v, r->location_id) && match_masked(r, q, qmask))
				v->pos[v->n++] = x->order[i];
		}
	}
	free(v->query);
	v->query = q;
	v->generation = x->generation;
}

size_t view_find(const struct client_view *v, const struct client_index *x, int64_t id)
{
	for (size_t i = 0; i < v->n; i++)
		if (x->rows[v->pos[i]].id == id)
			return i;
	return (size_t)-1;
}
