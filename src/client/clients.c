/* In-memory client index (hash by id, order by folded name) and filtered views. */
#include "client/clients.h"

#include "client/replica.h"
#include "common/alloc.h"
#include "common/text.h"

#include <ctype.h>
#include <stdio.h>
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

/* Size the hash table for want rows (kept under half full), rehashing the rows stored. */
static void hreserve(struct client_index *x, size_t want)
{
	if (want * 2 < x->hcap)
		return;
	size_t cap = x->hcap ? x->hcap * 2 : 1024;
	while (want * 2 >= cap)
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

void clients_free(struct client_index *x)
{
	if (x->loading)
		sqlite3_finalize(x->loading);
	if (x->names)
		sqlite3_finalize(x->names);
	free(x->rows);
	free(x->text);
	free(x->order);
	free(x->hslots);
	memset(x, 0, sizeof *x);
}

/* The bit of one folded character in a row's mask: a-z, and the digits on six bits (two
 * digits share a bit); other bytes have none. A word whose bits are not all in a row's mask
 * cannot occur in it, so a search skips that row without reading its strings. */
static uint32_t char_bit(unsigned char c)
{
	c = (unsigned char)tolower(c);
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

const char *clients_number(const struct client_index *x, const struct client_row *r)
{
	return client_gone(r) ? "" : x->text + r->text;
}

const char *clients_fold(const struct client_index *x, const struct client_row *r)
{
	const char *number = clients_number(x, r);
	return client_gone(r) ? "" : number + strlen(number) + 1;
}

/* Bytes a row's strings take in the arena. */
static size_t text_size(const struct client_index *x, const struct client_row *r)
{
	const char *number = clients_number(x, r);
	size_t ln = strlen(number);
	return ln + strlen(number + ln + 1) + 2;
}

/* Make room for need more bytes in the arena. Offsets, not pointers, name a row's strings,
 * so the arena may move. */
static void text_reserve(struct client_index *x, size_t need)
{
	if (x->tlen + need <= x->tcap)
		return;
	size_t cap = x->tcap ? x->tcap : 64 * 1024;
	while (cap < x->tlen + need)
		cap *= 2;
	if (cap >= CLIENT_GONE)
		abort(); /* 4 GiB of client numbers and names: far beyond any replica */
	x->text = xrealloc(x->text, cap);
	x->tcap = cap;
}

/* Rewrite the arena with only the live rows' strings, when replaced rows' strings take more
 * than half of it (every rename adds a copy; a full sync over a loaded index renames none). */
static void text_compact(struct client_index *x)
{
	if (x->tdead < 64 * 1024 || x->tdead * 2 < x->tlen)
		return;
	char *old = x->text;
	size_t cap = x->tlen - x->tdead + 64 * 1024;
	x->text = xmalloc(cap);
	x->tcap = cap;
	x->tlen = x->tdead = 0;
	for (size_t i = 0; i < x->n; i++) {
		struct client_row *r = &x->rows[i];
		if (client_gone(r))
			continue;
		size_t len = strlen(old + r->text);
		len += strlen(old + r->text + len + 1) + 2;
		memcpy(x->text + x->tlen, old + r->text, len);
		r->text = (uint32_t)x->tlen;
		x->tlen += len;
	}
	free(old);
}

/* Set row's strings to number (may be NULL) and fold; a row whose strings do not change
 * keeps them (false), others get a new copy at the end of the arena (true). */
static bool row_text(struct client_index *x, struct client_row *r, const char *number,
					 const char *fold)
{
	number = number ? number : "";
	size_t ln = strlen(number), lf = strlen(fold);
	if (!client_gone(r)) {
		if (strcmp(clients_number(x, r), number) == 0 && strcmp(clients_fold(x, r), fold) == 0)
			return false;
		x->tdead += text_size(x, r);
	}
	text_reserve(x, ln + lf + 2);
	char *at = x->text + x->tlen;
	memcpy(at, number, ln + 1);
	memcpy(at + ln + 1, fold, lf + 1);
	r->text = (uint32_t)x->tlen;
	x->tlen += ln + lf + 2;
	r->mask = text_mask(number, ln) | text_mask(fold, lf);
	return true;
}

/* Fill row with the given fields (fold NULL: folded here from name); true when its
 * strings changed. */
static bool row_set(struct client_index *x, struct client_row *r, int64_t id, const char *number,
					const char *name, int64_t location_id, const char *fold)
{
	char *own_fold = fold ? NULL : text_fold(name ? name : "");
	r->id = id;
	r->location_id = location_id;
	bool changed = row_text(x, r, number, fold ? fold : own_fold);
	free(own_fold);
	return changed;
}

/* Make room for at least want rows (and their hash slots and order entries). */
static void rows_reserve(struct client_index *x, size_t want)
{
	if (want <= x->cap)
		return;
	size_t cap = x->cap ? x->cap : 1024;
	while (cap < want)
		cap *= 2;
	x->rows = xrealloc(x->rows, cap * sizeof *x->rows);
	x->cap = cap;
}

/* Append a row (hash updated). */
static void append(struct client_index *x, int64_t id, const char *number, const char *name,
				   int64_t location_id, const char *fold)
{
	rows_reserve(x, x->n + 1);
	hreserve(x, x->n + 1);
	struct client_row *r = &x->rows[x->n];
	r->text = CLIENT_GONE;
	row_set(x, r, id, number, name, location_id, fold);
	hput(x, id, (uint32_t)x->n);
	x->n++;
	x->live++;
	x->order_dirty = true;
	x->generation++;
}

void clients_upsert(struct client_index *x, int64_t id, const char *number, const char *name,
					const char *birth, int64_t location_id)
{
	(void)birth; /* shown from the replica (clients_names), not kept in the index */
	clients_load_finish(x);
	long pos = hget(x, id);
	if (pos < 0) {
		append(x, id, number, name, location_id, NULL);
		return;
	}
	x->live += client_gone(&x->rows[pos]);
	if (row_set(x, &x->rows[pos], id, number, name, location_id, NULL)) {
		/* A row sorted before moves (or comes back): the next sort is a whole one. An
		 * update that keeps the folded name and number (most of the feed) keeps the order. */
		x->order_dirty = x->order_full = true;
		text_compact(x);
	}
	x->generation++;
}

void clients_remove(struct client_index *x, int64_t id)
{
	clients_load_finish(x);
	long pos = hget(x, id);
	if (pos < 0 || client_gone(&x->rows[pos]))
		return;
	x->tdead += text_size(x, &x->rows[pos]);
	x->rows[pos].text = CLIENT_GONE;
	x->live--;
	text_compact(x);
	x->order_dirty = x->order_full = true;
	x->generation++;
}

const struct client_row *clients_get(const struct client_index *x, int64_t id)
{
	long pos = hget(x, id);
	return pos < 0 || client_gone(&x->rows[pos]) ? NULL : &x->rows[pos];
}

/* Copy the text of column col of st into dst (cap bytes), cut at a character boundary. */
static void copy_column(sqlite3_stmt *st, int col, char *dst, size_t cap)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	size_t len = s ? strlen(s) : 0;
	if (len >= cap) {
		len = cap - 1;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--; /* s[len] would be the first byte cut: do not split its character */
	}
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
}

bool clients_names(const struct client_index *x, int64_t id, struct client_names *out)
{
	memset(out, 0, sizeof *out);
	const struct client_row *r = clients_get(x, id);
	if (r)
		snprintf(out->number, sizeof out->number, "%s", clients_number(x, r));
	sqlite3_stmt *st = x->names;
	if (!st)
		return false;
	sqlite3_bind_int64(st, 1, id);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		copy_column(st, 0, out->number, sizeof out->number);
		copy_column(st, 1, out->name, sizeof out->name);
		copy_column(st, 2, out->birth, sizeof out->birth);
	}
	sqlite3_reset(st);
	return found;
}

/* Extend the order (the identity: rows arrive sorted) over every row read so far. */
static void order_extend(struct client_index *x)
{
	x->order = xrealloc(x->order, (x->cap ? x->cap : 1) * sizeof *x->order);
	for (size_t i = x->norder; i < x->n; i++)
		x->order[i] = (uint32_t)i;
	x->norder = x->sorted_n = x->n;
	x->order_dirty = false;
}

static void load_reserve(struct client_index *x);

/* Read up to rows more rows of a running load; true while rows remain. */
static bool load_rows(struct client_index *x, size_t rows)
{
	sqlite3_stmt *st = x->loading;
	if (!st)
		return false;
	size_t got = 0;
	int rc = SQLITE_ROW;
	while (got < rows && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		append(x, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), NULL,
			   sqlite3_column_int64(st, 2), (const char *)sqlite3_column_text(st, 3));
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

bool clients_load_step(struct client_index *x, size_t rows)
{
	if (x->loading && !x->sized)
		load_reserve(x); /* after the first screenful: the count is not part of the start */
	return load_rows(x, rows);
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

/* Size the rows, hash and arena for the replica's clients before reading the rest of them:
 * no array is copied while it grows. The count costs 1 ms at 100,000 clients and 7-20 ms at
 * 1,000,000, so it runs after the first screenful is read (and drawn). */
static void load_reserve(struct client_index *x)
{
	sqlite3_stmt *st;
	x->sized = true;
	if (sqlite3_prepare_v2(sqlite3_db_handle(x->loading), "SELECT count(*) FROM clients", -1, &st,
						   NULL) != SQLITE_OK)
		return;
	size_t n = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	rows_reserve(x, n + 1);
	hreserve(x, n + 1);
	text_reserve(x, n * 24); /* number and folded name: about 23 bytes a client */
}

int clients_load_begin(struct client_index *x, struct replica *r, size_t first)
{
	clients_load_finish(x);
	/* The generation only ever grows, so no view mistakes new rows for old ones. */
	uint64_t gen = x->generation;
	clients_free(x);
	x->generation = gen + 1;
	sqlite3_stmt *st, *names;
	if (sqlite3_prepare_v2(r->db,
						   "SELECT id, client_number, location_id, fold FROM clients ORDER BY fold, id",
						   -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(r->db, "SELECT client_number, name, birth_date FROM clients WHERE id = ?",
						   -1, &names, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return -1;
	}
	x->names = names;
	x->loading = st;
	x->sized = false;
	load_rows(x, first);
	return 0;
}

int clients_load(struct client_index *x, struct replica *r)
{
	if (clients_load_begin(x, r, 0) != 0)
		return -1;
	clients_load_finish(x);
	return 0;
}

static const struct client_index *sort_index;

/* Order by folded name, then id. */
static int by_fold(const void *a, const void *b)
{
	const struct client_row *x = &sort_index->rows[*(const uint32_t *)a];
	const struct client_row *y = &sort_index->rows[*(const uint32_t *)b];
	int c = strcmp(clients_fold(sort_index, x), clients_fold(sort_index, y));
	if (c)
		return c;
	return (x->id > y->id) - (x->id < y->id);
}

/* The first position in order[0..n) whose row sorts after row pos (binary search). */
static size_t order_upper(const struct client_index *x, size_t n, uint32_t pos)
{
	size_t lo = 0, hi = n;
	sort_index = x;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (by_fold(&x->order[mid], &pos) > 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Merge the rows appended since the last sort into the order: sort only them, then place
 * each by binary search, filling from the back (no second array). A sync page of 1,000
 * clients costs 1,000 log n comparisons and one pass of memmove, not a sort of every row
 * (at 1,000,000 clients a whole sort per page made the full sync take minutes). */
static void order_merge_new(struct client_index *x)
{
	size_t old = x->norder, k = 0;
	for (size_t i = x->sorted_n; i < x->n; i++)
		x->order[old + k++] = (uint32_t)i; /* rows appended since are live */
	uint32_t *add = xmalloc((k ? k : 1) * sizeof *add);
	memcpy(add, x->order + old, k * sizeof *add);
	sort_index = x;
	qsort(add, k, sizeof *add, by_fold);
	size_t i = old, w = old + k;
	while (k > 0) {
		size_t p = order_upper(x, i, add[k - 1]);
		memmove(x->order + w - (i - p), x->order + p, (i - p) * sizeof *x->order);
		w -= i - p;
		i = p;
		x->order[--w] = add[--k];
	}
	x->norder = old + (size_t)(x->n - x->sorted_n);
	free(add);
}

void clients_sort(struct client_index *x)
{
	if (!x->order_dirty)
		return;
	x->order = xrealloc(x->order, (x->cap ? x->cap : 1) * sizeof *x->order);
	if (x->order_full) {
		x->norder = 0;
		for (size_t i = 0; i < x->n; i++)
			if (!client_gone(&x->rows[i]))
				x->order[x->norder++] = (uint32_t)i;
		sort_index = x;
		qsort(x->order, x->norder, sizeof *x->order, by_fold);
	} else {
		order_merge_new(x);
	}
	x->sorted_n = x->n;
	x->order_dirty = x->order_full = false;
}

size_t clients_count(const struct client_index *x)
{
	return x->live; /* kept by append, upsert and remove: the list asks on every frame */
}

/* True when the client number s contains the folded word q (ASCII case ignored). */
static bool number_has(const char *s, const char *q)
{
	size_t lq = strlen(q);
	for (; *s; s++) {
		size_t k = 0;
		while (k < lq && s[k] && tolower((unsigned char)s[k]) == (unsigned char)q[k])
			k++;
		if (k == lq)
			return true;
	}
	return false;
}

bool clients_match(const struct client_index *x, const struct client_row *row, const char *q)
{
	if (!*q)
		return true;
	const char *number = clients_number(x, row);
	/* A single word may also match the client number. */
	if (!strchr(q, ' ') && number_has(number, q))
		return true;
	const char *fold = number + strlen(number) + 1, *w = q;
	char word[128];
	while (*w) {
		const char *e = strchr(w, ' ');
		size_t len = e ? (size_t)(e - w) : strlen(w);
		if (len >= sizeof word)
			len = sizeof word - 1;
		memcpy(word, w, len);
		word[len] = '\0';
		if (!strstr(fold, word))
			return false;
		w += len;
		while (*w == ' ')
			w++;
	}
	return true;
}

/* clients_match, after a check of the row's mask against qmask (the query's characters):
 * most rows fail that check without their strings being read. */
static bool match_masked(const struct client_index *x, const struct client_row *row, const char *q,
						 uint32_t qmask)
{
	return (row->mask & qmask) == qmask && clients_match(x, row, q);
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
			if (match_masked(x, &x->rows[v->pos[i]], q, qmask))
				v->pos[k++] = v->pos[i];
		v->n = k;
	} else {
		if (v->cap < x->norder + 1) {
			v->cap = x->norder + 1;
			v->pos = xrealloc(v->pos, v->cap * sizeof *v->pos);
		}
		v->n = 0;
		if (!*q && !v->locs) { /* the whole list (every sync page asks for it again) */
			memcpy(v->pos, x->order, x->norder * sizeof *v->pos);
			v->n = x->norder;
		}
		for (size_t i = v->n; i < x->norder; i++) {
			const struct client_row *r = &x->rows[x->order[i]];
			if (loc_ok(v, r->location_id) && match_masked(x, r, q, qmask))
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
