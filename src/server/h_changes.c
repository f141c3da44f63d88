/* GET /api/v1/changes: the change feed, in revision order, with long-polling; GET
 * /api/v1/visible: the ids the caller may see now. The object types come from the one
 * table in feed_types.c. */
#include "audit.h"
#include "authz.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "feed_cache.h"
#include "feed_types.h"
#include "problem.h"
#include "routes.h"
#include "server.h"
#include "store/feed.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One changed object on its way into a page: its item's text is bytes [off, off+len) of
 * the page's text buffer. */
struct change {
	int64_t rev, id;
	const struct feed_type *type;
	bool deleted;
	size_t off, len;
};

struct page {
	struct change *v;
	size_t n, cap;
	struct buf text;              /* the items' text, one after the other */
	const struct feed_type *type; /* the type being collected */
};

/* Record the item at [off, end of text) of pg as the next change. */
static void page_push(struct page *pg, const struct change_meta *m, size_t off)
{
	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 256;
		pg->v = xrealloc(pg->v, pg->cap * sizeof *pg->v);
	}
	pg->v[pg->n++] = (struct change){m->rev, m->id, pg->type, m->deleted, off,
									 pg->text.len - off};
}

/* feed_range.take_cached: append the whole item of m from the cache of encoded objects
 * when its type allows that and it is there; then the store neither reads nor passes its
 * row. A revision names one version of one object, so the cached text is the item. */
static bool page_take_cached(const struct change_meta *m, void *ctx)
{
	struct page *pg = ctx;
	if (!pg->type->encode_once || m->deleted)
		return false;
	size_t off = pg->text.len;
	if (!feed_cache_get((int)(pg->type - feed_types), m->id, m->rev, &pg->text))
		return false;
	page_push(pg, m, off);
	return true;
}

/* Visitor of a feed page query: append the item {type, id, rev, deleted, data} as text
 * (what jx_print would write for the same object, member for member), and remember the
 * item of an encode_once type in the cache. */
static void page_add(const struct change_meta *m, const void *row, void *ctx)
{
	struct page *pg = ctx;
	if (page_take_cached(m, pg)) /* for page queries that do not ask first */
		return;
	size_t off = pg->text.len;
	buf_append(&pg->text, "{\"type\":\"", 9);
	buf_puts(&pg->text, pg->type->wire);
	buf_append(&pg->text, "\",\"id\":", 7);
	jx_buf_int(&pg->text, m->id);
	buf_append(&pg->text, ",\"rev\":", 7);
	jx_buf_int(&pg->text, m->rev);
	if (m->deleted) {
		buf_append(&pg->text, ",\"deleted\":true}", 16);
	} else {
		buf_append(&pg->text, ",\"deleted\":false,\"data\":", 24);
		cJSON *data = pg->type->encode(row);
		char *text = jx_print(data);
		cJSON_Delete(data);
		buf_puts(&pg->text, text);
		free(text);
		buf_append(&pg->text, "}", 1);
		if (pg->type->encode_once)
			feed_cache_put((int)(pg->type - feed_types), m->id, m->rev, pg->text.data + off,
						   pg->text.len - off);
	}
	page_push(pg, m, off);
}

static int by_rev(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	return (x->rev > y->rev) - (x->rev < y->rev);
}

/* True when the items are in revision order already (one type's rows come sorted). */
static bool page_sorted(const struct page *pg)
{
	for (size_t i = 1; i < pg->n; i++)
		if (pg->v[i].rev < pg->v[i - 1].rev)
			return false;
	return true;
}

static void page_free(struct page *pg)
{
	free(pg->v);
	buf_free(&pg->text);
	*pg = (struct page){0};
}

/* What read_page's store_read works on. */
struct page_read {
	struct req *r;
	struct page *pg;
	int64_t since, limit;
};

/* Merge the items from v[from] on (one type's, in revision order) into the sorted items
 * before it, keeping the first limit: earlier types first among equal revisions. */
static void page_merge(struct page *pg, size_t from, size_t limit)
{
	size_t na = from, nb = pg->n - from, n = na + nb < limit ? na + nb : limit;
	if (na == 0 || nb == 0 || pg->v[from - 1].rev <= pg->v[from].rev) {
		pg->n = n; /* already in order */
		return;
	}
	struct change *out = xmalloc(n * sizeof *out);
	const struct change *a = pg->v, *b = pg->v + from;
	size_t i = 0, j = 0;
	for (size_t k = 0; k < n; k++)
		out[k] = j == nb || (i < na && a[i].rev <= b[j].rev) ? a[i++] : b[j++];
	memcpy(pg->v, out, n * sizeof *out);
	free(out);
	pg->n = n;
}

/* Collect the first limit objects (in revision order) of every type the caller may see
 * (inside store_read). Each type's page is merged into the page so far; once the page is
 * full, the next types are read only up to its last revision, so rows that could not make
 * the page are neither read nor encoded. The page is left sorted and at most limit long. */
static int collect_types(struct db *db, void *arg)
{
	struct page_read *p = arg;
	struct feed_range fr = {p->since, INT64_MAX, p->limit, page_take_cached};
	for (size_t t = 0; t < feed_type_count; t++) {
		p->pg->type = &feed_types[t];
		if (!authz_may(p->r, p->pg->type->task))
			continue;
		size_t from = p->pg->n;
		if (p->pg->type->page(db, p->r->who.staff_id, &fr, page_add, p->pg) != STORE_OK)
			return STORE_ERROR;
		page_merge(p->pg, from, (size_t)p->limit);
		if (p->pg->n == (size_t)p->limit)
			fr.upto = p->pg->v[p->pg->n - 1].rev;
	}
	return STORE_OK;
}

/* Read one page after since in one snapshot; *cur gets the revision it saw. */
static bool read_page(struct req *r, struct page *pg, int64_t since, int64_t limit, int64_t *cur)
{
	struct page_read p = {r, pg, since, limit};
	if (!r->db)
		r->db = store_acquire(r->srv->store);
	return r->db && store_read(r->db, cur, collect_types, &p) == STORE_OK;
}

/* Milliseconds on the monotonic clock. */
static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read pages until one has changes or wait seconds pass. *next gets where the caller goes
 * on from; false on a store error. */
static bool wait_page(struct req *r, struct page *pg, int64_t since, int64_t limit,
					  int64_t wait, int64_t *cur, int64_t *next)
{
	int64_t deadline = now_ms() + wait * 1000;
	int64_t from = since;
	for (;;) {
		if (!read_page(r, pg, from, limit, cur))
			return false;
		int64_t left = deadline - now_ms();
		if (pg->n > 0 || left <= 0 || feed_stopping())
			break;
		/* Nothing visible up to cur: wait from there. Waking once a second re-reads the
		 * store, which also catches changes committed by another process. */
		if (*cur > from)
			from = *cur;
		/* Waiting holds no connection: a PostgreSQL pool is bounded, and a few dozen
		 * terminals long-polling must not starve every other request. */
		store_release(r->srv->store, r->db);
		r->db = NULL;
		store_wait(r->srv->store, from, left < 1000 ? (int)left : 1000);
	}
	*next = *cur > since ? *cur : since;
	if (from > *next)
		*next = from;
	return true;
}

/* Audit the objects of the page that carry client data: one row per audited type. */
static int audit_page(struct req *r, const struct page *pg)
{
	int64_t *ids = xmalloc((pg->n ? pg->n : 1) * sizeof *ids);
	int rc = 0;
	for (size_t t = 0; rc == 0 && t < feed_type_count; t++) {
		const struct feed_type *ft = &feed_types[t];
		if (!ft->audit_action)
			continue;
		size_t n = 0;
		for (size_t i = 0; i < pg->n; i++)
			if (pg->v[i].type == ft && !pg->v[i].deleted)
				ids[n++] = pg->v[i].id;
		rc = audit_req_ids(r, ft->audit_action, ft->audit_type, ft->audit_label, ids, n);
	}
	free(ids);
	return rc;
}

void h_changes(struct req *r)
{
	int64_t since, limit, wait, cur = 0, next = 0;
	if (!http_query_int(r, "since", 0, INT64_MAX / 2, 0, &since) ||
		!http_query_int(r, "limit", 1, 5000, 1000, &limit) ||
		!http_query_int(r, "wait", 0, r->srv->cfg.max_wait, 0, &wait))
		return;
	/* Long-polls may not take the connections other requests need: past their share the
	 * answer comes at once. */
	bool waiting = wait > 0 && http_longpoll_begin(r);
	if (!waiting)
		wait = 0;
	struct page pg = {0};
	bool read = wait_page(r, &pg, since, limit, wait, &cur, &next);
	if (waiting)
		http_longpoll_end(r);
	if (!read) {
		page_free(&pg);
		problem_internal(r, "change feed");
		return;
	}
	if (!page_sorted(&pg))
		qsort(pg.v, pg.n, sizeof *pg.v, by_rev);
	if ((int64_t)pg.n >= limit) {
		next = pg.v[limit - 1].rev;
		pg.n = (size_t)limit;
	}
	if (audit_page(r, &pg) != 0) {
		page_free(&pg);
		problem_internal(r, "audit");
		return;
	}
	/* The page as text, the items in revision order: {"changes":[...],"next":N,
	 * "revision":M}; "revision" is the newest revision the server had, which lets a client
	 * show progress of a long sync. */
	struct buf out = {0};
	buf_reserve(&out, pg.text.len + pg.n + 64);
	buf_append(&out, "{\"changes\":[", 12);
	for (size_t i = 0; i < pg.n; i++) {
		if (i)
			buf_append(&out, ",", 1);
		buf_append(&out, pg.text.data + pg.v[i].off, pg.v[i].len);
	}
	buf_printf(&out, "],\"next\":%lld,\"revision\":%lld}", (long long)next,
			   (long long)(cur > next ? cur : next));
	page_free(&pg);
	http_reply_text(r, 200, buf_steal(&out));
}

/* Visitor: append an id to a JSON array. */
static void add_id(int64_t id, void *array)
{
	cJSON_AddItemToArray(array, cJSON_CreateNumber((double)id));
}

/* What h_visible's store_read works on. */
struct visible_read {
	struct req *r;
	cJSON *o;
	char detail[160];
};

/* Add the visible ids of every type with a visible query (inside store_read). */
static int collect_visible(struct db *db, void *arg)
{
	struct visible_read *v = arg;
	for (size_t t = 0; t < feed_type_count; t++) {
		const struct feed_type *ft = &feed_types[t];
		if (!ft->visible)
			continue;
		cJSON *a = cJSON_AddArrayToObject(v->o, ft->visible_member);
		if (authz_may(v->r, ft->task) &&
			ft->visible(db, v->r->who.staff_id, add_id, a) != STORE_OK)
			return STORE_ERROR;
		size_t len = strlen(v->detail);
		snprintf(v->detail + len, sizeof v->detail - len, "%s%d %s", len ? ", " : "",
				 cJSON_GetArraySize(a), ft->visible_word);
	}
	return STORE_OK;
}

void h_visible(struct req *r)
{
	struct visible_read v = {.r = r, .o = cJSON_CreateObject()};
	cJSON *rev = cJSON_AddNumberToObject(v.o, "revision", 0);
	int64_t cur = 0;
	int rc = store_read(r->db, &cur, collect_visible, &v);
	cJSON_SetNumberValue(rev, (double)cur);
	/* Ids only, no names: one audit row says how many records the caller may see. */
	if (rc != STORE_OK || audit_req(r, "visible.read", NULL, 0, "ok", v.detail) != 0) {
		cJSON_Delete(v.o);
		problem_internal(r, "visible");
		return;
	}
	http_reply(r, 200, v.o);
}
