/* Location messages in the client core (see client/messages.h). */
#include "client/messages.h"

#include "app_ops.h"
#include "client/drafts.h"
#include "client/feed.h"
#include "client/replica.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/log.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A copy of string member key of j, or NULL. */
static char *dup_member(const cJSON *j, const char *key)
{
	const char *s = jx_str(j, key);
	return s ? xstrdup(s) : NULL;
}

bool m_message_parse(const cJSON *j, struct m_message *out)
{
	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(j) || !jx_int(j, "id", &out->id))
		return false;
	jx_int(j, "location_id", &out->location_id); /* null: stays 0, all clients */
	out->location_name = dup_member(j, "location_name");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(j, "sender");
	out->sender = dup_member(s, "name");
	snprintf(out->sent_at, sizeof out->sent_at, "%s", jx_str(j, "sent_at") ? jx_str(j, "sent_at") : "");
	jx_int(j, "recipients", &out->recipients);
	jx_int(j, "clients", &out->clients);
	jx_int(j, "portal_users", &out->portal_users);
	jx_int(j, "mails", &out->mails);
	jx_int(j, "delivered", &out->delivered);
	jx_int(j, "failed", &out->failed);
	jx_int(j, "pending", &out->pending);
	out->text = dup_member(j, "text");
	return true;
}

void m_message_free(struct m_message *m)
{
	free(m->location_name);
	free(m->sender);
	free(m->text);
	memset(m, 0, sizeof *m);
}

/* ---- the draft -------------------------------------------------------------------------- */

/* The file of the draft for location_id (0: all clients). Caller frees. */
static char *draft_file(const char *dir, const char *profile, int64_t location_id)
{
	return xasprintf("%s/%s.message-%lld.draft", dir, profile, (long long)location_id);
}

int message_draft_save(const char *dir, const char *profile, const struct m_message_draft *d)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "key", d->key);
	cJSON_AddNumberToObject(j, "location_id", (double)d->location_id);
	cJSON_AddStringToObject(j, "text", d->text ? d->text : "");
	char *json = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	char *path = draft_file(dir, profile, d->location_id);
	char *tmp = xasprintf("%s.tmp", path);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		size_t len = strlen(json);
		/* No fsync per keystroke: a crash of zorgterm keeps what the kernel has. */
		rc = write(fd, json, len) == (ssize_t)len ? 0 : -1;
		close(fd);
		if (rc == 0 && rename(tmp, path) != 0)
			rc = -1;
	}
	if (rc != 0) {
		log_warn("cannot save the message draft");
		unlink(tmp);
	}
	free(json);
	free(tmp);
	free(path);
	return rc;
}

bool message_draft_load(const char *dir, const char *profile, int64_t location_id,
						struct m_message_draft *d)
{
	memset(d, 0, sizeof *d);
	char *path = draft_file(dir, profile, location_id);
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return false;
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1024 * 1024)
		buf_append(&b, chunk, n);
	fclose(f);
	cJSON *j = b.data ? cJSON_Parse(b.data) : NULL;
	buf_free(&b);
	const char *key = jx_str(j, "key"), *text = jx_str(j, "text");
	bool ok = key && text && strlen(key) < sizeof d->key;
	if (ok) {
		snprintf(d->key, sizeof d->key, "%s", key);
		d->text = xstrdup(text);
		d->location_id = location_id;
	}
	cJSON_Delete(j);
	return ok;
}

void message_draft_free(struct m_message_draft *d)
{
	free(d->text);
	d->text = NULL;
}

void message_draft_delete(const char *dir, const char *profile, int64_t location_id)
{
	char *path = draft_file(dir, profile, location_id);
	unlink(path);
	free(path);
}

/* ---- requests --------------------------------------------------------------------------- */

uint64_t app_message_get(struct app *a, int64_t id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/location-messages/%lld", (long long)id);
	struct app_request *q = app_start_op(a, OP_MSG_GET, "GET", path, NULL, NULL);
	q->result_id = id;
	return q->id;
}

uint64_t app_message_audience(struct app *a, int64_t location_id)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/location-message-audience?location_id=%lld",
			 (long long)location_id);
	struct app_request *q = app_start_op(a, OP_MSG_AUDIENCE, "GET", path, NULL, NULL);
	q->result_id = location_id;
	return q->id;
}

uint64_t app_message_send(struct app *a, const struct m_message_draft *d)
{
	cJSON *j = cJSON_CreateObject();
	if (d->location_id > 0)
		cJSON_AddNumberToObject(j, "location_id", (double)d->location_id);
	else
		cJSON_AddNullToObject(j, "location_id");
	cJSON_AddStringToObject(j, "text", d->text ? d->text : "");
	char *body = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	char key[80];
	snprintf(key, sizeof key, "Idempotency-Key: %s", d->key);
	struct app_request *q = app_start_op(a, OP_MSG_SEND, "POST", "/api/v1/location-messages",
										 body, key);
	q->client_id = d->location_id; /* whose draft to drop on success */
	return q->id;
}

void message_detail_drop(struct app *a)
{
	if (a->msg_detail) {
		m_message_free(a->msg_detail);
		free(a->msg_detail);
		a->msg_detail = NULL;
	}
}

void message_op_ok(struct app *a, struct app_request *op, const cJSON *j)
{
	if (op->kind == OP_MSG_GET) {
		struct m_message m;
		if (!j || !m_message_parse(j, &m)) {
			op->state = REQ_ERROR;
			op->problem = PROB_PROTOCOL;
			return;
		}
		message_detail_drop(a);
		a->msg_detail = xmalloc(sizeof *a->msg_detail);
		*a->msg_detail = m;
	} else if (op->kind == OP_MSG_AUDIENCE) {
		a->msg_aud_clients = a->msg_aud_users = -1;
		jx_int(j, "clients", &a->msg_aud_clients);
		jx_int(j, "portal_users", &a->msg_aud_users);
		bool on = true;
		jx_bool(j, "caren_communication", &on);
		a->msg_aud_off = !on;
	} else if (op->kind == OP_MSG_SEND) {
		if (j) {
			jx_int(j, "id", &op->result_id);
			replica_put(a->rep, feed_type_of(M_LOCATION_MESSAGE)->wire, j);
		}
		message_draft_delete(a->state_dir, a->profile, op->client_id);
	}
	a->events |= APP_EV_MESSAGES;
}

/* ---- the list --------------------------------------------------------------------------- */

struct msg_list {
	struct m_message *v;
	size_t n, cap;
};

static void add_row(const char *json, void *ctx)
{
	struct msg_list *l = ctx;
	cJSON *j = cJSON_Parse(json);
	if (l->n == l->cap)
		l->v = xrealloc(l->v, (l->cap = l->cap ? l->cap * 2 : 16) * sizeof *l->v);
	if (j && m_message_parse(j, &l->v[l->n]))
		l->n++;
	cJSON_Delete(j);
}

bool view_messages(struct app *a, struct m_message **out, size_t *n)
{
	struct msg_list l = {0};
	bool ok = a->rep && replica_messages(a->rep, add_row, &l) == 0;
	*out = l.v;
	*n = l.n;
	return ok;
}

void view_messages_free(struct m_message **m, size_t *n)
{
	for (size_t i = 0; *m && i < *n; i++)
		m_message_free(&(*m)[i]);
	free(*m);
	*m = NULL;
	*n = 0;
}
