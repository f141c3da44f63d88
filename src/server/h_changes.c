/* GET /api/v1/changes: the change feed, in revision order, with long-polling; GET
 * /api/v1/visible: the ids the caller may see now. The object types come from the one
 * table in feed_types.c. */
#include "audit.h"
#include "auth_tasks.h"
#include "authz.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "feed_cache.h"
#include "feed_types.h"
#include "longpoll.h"
#include "problem.h"
#include "routes.h"
#include "server.h"
#include "store/feed.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Read one page after since in one snapshot, sorted; *cur gets the revision it saw. */
static bool read_page(struct req *r, struct page *pg, int64_t since, int64_t limit, int64_t *cur)
{
	struct page_read p = {r, pg, since, limit};
	if (!r->db)
		r->db = store_acquire(r->srv->store);
	if (!r->db || store_read(r->db, cur, collect_types, &p) != STORE_OK)
		return false;
	if (!page_sorted(pg))
		qsort(pg->v, pg->n, sizeof *pg->v, by_rev);
	return true;
}

/* ---- pages shared by woken long-polls ----------------------------------------------------
 * One write wakes every poll that may see it; polls of the same staff member at the same
 * authorisation epoch (so the same tasks and scope: auth_tasks.h) waiting from the same
 * revision would each read the same page. The first to read it
 * keeps it here; the others take it, as long as no newer revision was announced since that
 * read began (so it holds everything a read of their own would). Each request still
 * writes its own audit row before its answer. */

#define SHARE_SLOTS 64

struct shared_page {
	int64_t staff, from, limit;
	int64_t epoch;      /* the authorisation epoch of the caller's tasks and scope */
	int64_t announced;  /* feed_revision() when its read began */
	int64_t cur;        /* the revision the read saw */
	struct page pg;
	int refs;           /* the slot's and each user's */
};

static struct {
	pthread_mutex_t lock;
	struct shared_page *slot[SHARE_SLOTS];
} share = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The authorisation epoch r's tasks were read under: a change of roles, grants, scope or
 * the location tree moves it, so one epoch means one set of visible rows. */
static int64_t share_epoch(const struct req *r)
{
	return r->who.taskset ? r->who.taskset->epoch : -1;
}

static size_t share_index(int64_t staff, int64_t from)
{
	return (size_t)(((uint64_t)staff * 31 + (uint64_t)from) % SHARE_SLOTS);
}

/* Drop one reference (lock held). */
static void share_unref(struct shared_page *sp)
{
	if (sp && --sp->refs == 0) {
		page_free(&sp->pg);
		free(sp);
	}
}

/* The shared page for r's caller from `from`, still current, with a reference; or NULL. */
static struct shared_page *share_get(struct req *r, int64_t from, int64_t limit)
{
	int64_t epoch = share_epoch(r);
	int64_t now = feed_revision();
	pthread_mutex_lock(&share.lock);
	struct shared_page *sp = share.slot[share_index(r->who.staff_id, from)];
	if (sp && sp->staff == r->who.staff_id && sp->from == from && sp->limit == limit &&
		sp->epoch == epoch && epoch >= 0 && sp->announced == now)
		sp->refs++;
	else
		sp = NULL;
	pthread_mutex_unlock(&share.lock);
	return sp;
}

/* Keep pg (moved) as the shared page of r's caller from `from`; returned with a reference. */
static struct shared_page *share_add(struct req *r, int64_t from, int64_t limit,
									 int64_t announced, struct page *pg, int64_t cur)
{
	struct shared_page *sp = xmalloc(sizeof *sp);
	*sp = (struct shared_page){r->who.staff_id, from, limit, share_epoch(r), announced, cur,
							   *pg, 2};
	*pg = (struct page){0};
	size_t i = share_index(r->who.staff_id, from);
	pthread_mutex_lock(&share.lock);
	share_unref(share.slot[i]);
	share.slot[i] = sp;
	pthread_mutex_unlock(&share.lock);
	return sp;
}

static void share_release(struct shared_page *sp)
{
	pthread_mutex_lock(&share.lock);
	share_unref(sp);
	pthread_mutex_unlock(&share.lock);
}

/* A page as a request sees it: its own, or a shared one it holds a reference to. */
struct view {
	struct page own;
	struct shared_page *sp;
	const struct page *pg;
	int64_t cur;
};

/* Read the page after from into v; a long-poll (shared) takes or leaves a shared page. */
static bool view_read(struct req *r, struct view *v, int64_t from, int64_t limit, bool shared)
{
	*v = (struct view){0};
	v->sp = shared ? share_get(r, from, limit) : NULL;
	if (!v->sp) {
		int64_t announced = feed_revision();
		if (!read_page(r, &v->own, from, limit, &v->cur))
			return false;
		if (shared)
			v->sp = share_add(r, from, limit, announced, &v->own, v->cur);
	}
	v->pg = v->sp ? &v->sp->pg : &v->own;
	if (v->sp)
		v->cur = v->sp->cur;
	return true;
}

static void view_free(struct view *v)
{
	if (v->sp)
		share_release(v->sp);
	page_free(&v->own);
	v->sp = NULL;
}

/* Read the caller's page; when it is empty and the request long-polls, suspend the
 * connection (r->suspended: no answer now) until a revision past what was read is
 * announced or the wait ends; the access handler then runs again and comes back here.
 * *next gets where the caller goes on from; false on a store error. */
static bool wait_page(struct req *r, struct view *v, int64_t since, int64_t limit,
					  struct lp_wait *w, int64_t *next)
{
	int64_t from = w ? longpoll_from(w) : since;
	for (int tries = 0;; tries++) {
		if (!view_read(r, v, from, limit, w != NULL))
			return false;
		if (v->pg->n > 0 || !w)
			break;
		/* Nothing visible up to cur: wait from there. */
		if (v->cur > from)
			from = v->cur;
		/* A newer revision announced meanwhile is read at once, a few times; past that
		 * (a stream of writes this caller cannot see) the waker's round spaces the reads. */
		enum lp_outcome o = longpoll_suspend(w, r->conn, from, tries >= 3);
		if (o == LP_SUSPENDED) {
			r->suspended = true;
			return true;
		}
		if (o == LP_DONE)
			break;
		view_free(v);
	}
	*next = v->cur > since ? v->cur : since;
	if (from > *next)
		*next = from;
	return true;
}

/* Audit the first n objects of the page that carry client data: one row per audited type. */
static int audit_page(struct req *r, const struct page *pg, size_t n_items)
{
	int64_t *ids = xmalloc((n_items ? n_items : 1) * sizeof *ids);
	int rc = 0;
	for (size_t t = 0; rc == 0 && t < feed_type_count; t++) {
		const struct feed_type *ft = &feed_types[t];
		if (!ft->audit_action)
			continue;
		size_t n = 0;
		for (size_t i = 0; i < n_items; i++)
			if (pg->v[i].type == ft && !pg->v[i].deleted)
				ids[n++] = pg->v[i].id;
		rc = audit_req_ids(r, ft->audit_action, ft->audit_type, ft->audit_label, ids, n);
	}
	free(ids);
	return rc;
}

void h_changes(struct req *r)
{
	int64_t since, limit, wait, next = 0;
	if (!http_query_int(r, "since", 0, INT64_MAX / 2, 0, &since) ||
		!http_query_int(r, "limit", 1, 5000, 1000, &limit) ||
		!http_query_int(r, "wait", 0, r->srv->cfg.max_wait, 0, &wait))
		return;
	/* Long-polls may not take the connections other requests need: past their share the
	 * answer comes at once (no waiter). The waiter lives with the connection until its
	 * request completes. */
	if (!*r->wait && wait > 0)
		*r->wait = longpoll_admit(r->srv->cfg.max_connections, since,
								  longpoll_now_ms() + wait * 1000);
	struct view v = {0};
	bool read = wait_page(r, &v, since, limit, *r->wait, &next);
	if (!read || r->suspended) {
		view_free(&v);
		if (!read)
			problem_internal(r, "change feed");
		return;
	}
	const struct page *pg = v.pg;
	size_t n = pg->n;
	if ((int64_t)n >= limit) {
		next = pg->v[limit - 1].rev;
		n = (size_t)limit;
	}
	if (audit_page(r, pg, n) != 0) {
		view_free(&v);
		problem_internal(r, "audit");
		return;
	}
	/* The page as text, the items in revision order: {"changes":[...],"next":N,
	 * "revision":M}; "revision" is the newest revision the server had, which lets a client
	 * show progress of a long sync. */
	struct buf out = {0};
	buf_reserve(&out, pg->text.len + n + 64);
	buf_append(&out, "{\"changes\":[", 12);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_append(&out, ",", 1);
		buf_append(&out, pg->text.data + pg->v[i].off, pg->v[i].len);
	}
	buf_printf(&out, "],\"next\":%lld,\"revision\":%lld}", (long long)next,
			   (long long)(v.cur > next ? v.cur : next));
	view_free(&v);
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
