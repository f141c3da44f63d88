/* View functions: the screens' read access to the replica. */
#include "client/views.h"
#include <string.h>
#include <stdio.h>
#include "common/civil.h"
#include "common/alloc.h"

#include <stdlib.h>

bool view_hct(struct app *a, int64_t client_id, struct m_order **orders, size_t *norders,
			  struct m_registration **regs, size_t *nregs)
{
	*orders = NULL;
	*regs = NULL;
	*norders = *nregs = 0;
	return a->rep && replica_hct(a->rep, client_id, orders, norders, regs, nregs) == 0;
}

bool view_order(struct app *a, int64_t id, struct m_order *out)
{
	return a->rep && id && replica_order(a->rep, id, out);
}

bool view_registration(struct app *a, int64_t id, struct m_registration *out)
{
	return a->rep && id && replica_registration(a->rep, id, out);
}

bool view_device_types(struct app *a, struct m_device_type **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return a->rep && replica_device_types(a->rep, out, n) == 0;
}

bool view_teams(struct app *a, struct m_team **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return a->rep && replica_teams(a->rep, out, n) == 0;
}

void view_hct_free(struct m_order **orders, size_t *norders, struct m_registration **regs, size_t *nregs)
{
	for (size_t i = 0; i < *norders; i++)
		m_order_free(&(*orders)[i]);
	free(*orders);
	for (size_t i = 0; i < *nregs; i++)
		m_registration_free(&(*regs)[i]);
	free(*regs);
	*orders = NULL;
	*regs = NULL;
	*norders = *nregs = 0;
}

void view_device_types_free(struct m_device_type **d, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		m_device_type_free(&(*d)[i]);
	free(*d);
	*d = NULL;
	*n = 0;
}

void view_teams_free(struct m_team **t, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		m_team_free(&(*t)[i]);
	free(*t);
	*t = NULL;
	*n = 0;
}

/* Append one fact (rows arrive sorted by id). */
static void add_fact(int64_t client_id, bool link_active, const char *valid_until, void *ctx)
{
	struct caren_view *v = ctx;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->f = xrealloc(v->f, v->cap * sizeof *v->f);
	}
	struct caren_fact *f = &v->f[v->n++];
	f->client_id = client_id;
	f->link_active = link_active;
	snprintf(f->valid_until, sizeof f->valid_until, "%s", valid_until ? valid_until : "");
}

bool view_caren(struct app *a, struct caren_view *v)
{
	memset(v, 0, sizeof *v);
	if (!a->rep)
		return false;
	return replica_caren_portal(a->rep, &v->enabled, &v->reachable) == 0 &&
		   replica_caren_facts(a->rep, add_fact, v) == 0;
}

void view_caren_free(struct caren_view *v)
{
	free(v->f);
	memset(v, 0, sizeof *v);
}

/* The portal's half of the facts (no client yet). */
static struct caren_facts portal_facts(bool enabled, bool reachable, int64_t now)
{
	return (struct caren_facts){
		.enabled = enabled,
		.heartbeat_age = reachable ? 0 : CAREN_HEARTBEAT_NEVER,
		.heartbeat_timeout = CAREN_HEARTBEAT_TIMEOUT_DEFAULT,
		.now = now,
	};
}

struct caren_link_status view_caren_status(const struct caren_view *v, int64_t client_id,
										   int64_t now)
{
	struct caren_facts f = portal_facts(v->enabled, v->reachable, now);
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->f[mid].client_id < client_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < v->n && v->f[lo].client_id == client_id) {
		f.link_active = v->f[lo].link_active;
		f.valid_until = v->f[lo].valid_until[0] ? v->f[lo].valid_until : NULL;
	}
	return caren_status_derive(&f);
}

/* Comparison of two location ids for qsort. */
static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

void view_caren_counts(const struct caren_view *v, const struct client_index *x, int64_t now,
					   int64_t out[CAREN_STATUS_COUNT], int64_t *locations)
{
	memset(out, 0, CAREN_STATUS_COUNT * sizeof *out);
	size_t live = 0;
	int64_t *locs = xmalloc((x->n + 1) * sizeof *locs);
	for (size_t i = 0; i < x->n; i++)
		if (!client_gone(&x->rows[i]))
			locs[live++] = x->rows[i].location_id;
	qsort(locs, live, sizeof *locs, cmp_id);
	*locations = 0;
	for (size_t i = 0; i < live; i++)
		*locations += i == 0 || locs[i] != locs[i - 1];
	free(locs);
	struct caren_facts f = portal_facts(v->enabled, v->reachable, now);
	if (caren_status_derive(&f).status == CAREN_UNKNOWN) {
		out[CAREN_UNKNOWN] = (int64_t)live;
		return;
	}
	int64_t with_facts = 0;
	for (size_t i = 0; i < v->n; i++) {
		if (!clients_get(x, v->f[i].client_id))
			continue; /* facts of a client no longer in scope */
		f.link_active = v->f[i].link_active;
		f.valid_until = v->f[i].valid_until[0] ? v->f[i].valid_until : NULL;
		out[caren_status_derive(&f).status]++;
		with_facts++;
	}
	out[CAREN_NOT_LINKED] += (int64_t)live - with_facts;
}
