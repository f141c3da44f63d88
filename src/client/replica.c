/* The replica: SQLite cache of locations, teams and client list fields, fed by the change
 * feed. Damaged or too-new files are set aside and rebuilt from the server. */
#include "client/replica.h"
#include "client/visible.h"

#include "client/feed.h"
#include "client/model.h"
#include "common/alloc.h"
#include "common/log.h"
#include "common/text.h"

#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const migrations[] = {
	/* 1 */
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE locations (id INTEGER PRIMARY KEY, parent_id INTEGER, name TEXT NOT NULL,"
	"  kind TEXT NOT NULL);"
	"CREATE TABLE teams (id INTEGER PRIMARY KEY, location_id INTEGER, name TEXT NOT NULL,"
	"  email TEXT, phone TEXT);"
	"CREATE TABLE clients (id INTEGER PRIMARY KEY, client_number TEXT NOT NULL,"
	"  name TEXT NOT NULL, fold TEXT NOT NULL, birth_date TEXT, location_id INTEGER NOT NULL);",
	/* 2: home-care technology; objects kept as the feed's JSON, indexed by client. */
	"CREATE TABLE device_types (id INTEGER PRIMARY KEY, name TEXT NOT NULL, json TEXT NOT NULL);"
	"CREATE TABLE hct_orders (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL,"
	"  status TEXT NOT NULL, json TEXT NOT NULL);"
	"CREATE INDEX hct_orders_client ON hct_orders(client_id);"
	"CREATE TABLE hct_registrations (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL,"
	"  json TEXT NOT NULL);"
	"CREATE INDEX hct_registrations_client ON hct_registrations(client_id);",
	/* 3: Caren facts per client (id = client id) and the portal's; the feed is read again
	 * from the start so that a replica made before them gets them. */
	"CREATE TABLE caren_state (id INTEGER PRIMARY KEY, link_active INTEGER NOT NULL,"
	"  valid_until TEXT);"
	"CREATE TABLE caren_portal (id INTEGER PRIMARY KEY, enabled INTEGER NOT NULL,"
	"  reachable INTEGER NOT NULL);"
	"CREATE INDEX clients_location ON clients(location_id);"
	"UPDATE meta SET value = '0' WHERE key = 'since';",
	/* 4: location messages (issue 10) as the feed's JSON; the feed is read again from the
	 * start so that a replica made before them gets the sent messages. */
	("CREATE TABLE location_messages (id INTEGER PRIMARY KEY, json TEXT NOT NULL);"
	 "UPDATE meta SET value = '0' WHERE key = 'since';"),
	/* 5: the list's order, so that the first screen is read in order without sorting every
	 * client first (issue 11: the index is built after the first frame). */
	"CREATE INDEX clients_fold ON clients(fold, id);",
	/* 6: that order covering every column the index reads, so that loading it reads the
	 * index's pages in order and no table row (the first 500 rows: 6.5 ms to 0.4 ms; all of
	 * 100,000: 390 ms to 117 ms, measured with Python's sqlite3). */
	"DROP INDEX clients_fold;"
	"CREATE INDEX clients_list ON clients(fold, id, client_number, location_id);",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int replica_latest_version(void)
{
	return NMIGRATIONS;
}

/* The schema version stored in the file's header. */
static int user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

int replica_migrate(sqlite3 *db, int target, char **err)
{
	int have = user_version(db);
	if (have < 0) {
		*err = xasprintf("cannot read the replica's version: %s", sqlite3_errmsg(db));
		return -1;
	}
	for (int v = have + 1; v <= target && v <= NMIGRATIONS; v++) {
		char *msg = NULL;
		char *sql = xasprintf("BEGIN; %s PRAGMA user_version = %d; COMMIT;", migrations[v - 1], v);
		int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
		free(sql);
		if (rc != SQLITE_OK) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			*err = xasprintf("replica migration %d failed: %s", v, msg ? msg : "?");
			sqlite3_free(msg);
			return -1;
		}
	}
	return 0;
}

/* Open path as a configured SQLite handle, creating the file 0600 first. */
static sqlite3 *open_handle(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 2000);
	return db;
}

/* True when PRAGMA quick_check finds db sound. It reads every page (24 ms at 100,000
 * clients, about ten times that at 1,000,000), so it runs only after a session that did not
 * close the replica (the "open" mark of replica_open is still there): a crash, a kill, a
 * power cut. A clean close leaves a file SQLite itself finished writing. */
static bool quick_ok(sqlite3 *db)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
		return false;
	bool ok = sqlite3_step(st) == SQLITE_ROW &&
			  strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	return ok;
}

/* True when the last session left the replica without replica_close. */
static bool left_open(sqlite3 *db)
{
	sqlite3_stmt *st;
	bool open = false;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'open'", -1, &st, NULL) == SQLITE_OK) {
		open = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
		sqlite3_finalize(st);
	}
	return open;
}

/* Check that db is a healthy replica of this profile at a version we understand. */
static enum replica_rebuild check(sqlite3 *db, const char *profile)
{
	/* A file that is no database fails here, at its header. */
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK)
		return REPLICA_CORRUPT;
	sqlite3_stmt *st;
	int v = user_version(db);
	if (v < 0)
		return REPLICA_CORRUPT;
	if (v > NMIGRATIONS)
		return REPLICA_TOO_NEW;
	if (v == 0)
		return REPLICA_NEW;
	enum replica_rebuild res = REPLICA_CORRUPT;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'profile'", -1, &st, NULL) ==
		SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *p = (const char *)sqlite3_column_text(st, 0);
			res = p && strcmp(p, profile) == 0 ? REPLICA_KEPT : REPLICA_OTHER_PROFILE;
			if (res == REPLICA_KEPT && left_open(db) && !quick_ok(db))
				res = REPLICA_CORRUPT;
		} else {
			res = REPLICA_NEW; /* created but never synced */
		}
		sqlite3_finalize(st);
	}
	return res;
}

/* Remove the copies set aside for path (path.bad-*): they hold client names too. */
static void unlink_set_aside(const char *path)
{
	char *pattern = xasprintf("%s.bad-*", path);
	glob_t g;
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			unlink(g.gl_pathv[i]);
		globfree(&g);
	}
	free(pattern);
}

/* Remove path and its -wal/-shm companions. */
static void unlink_all(const char *path)
{
	char *w = xasprintf("%s-wal", path), *s = xasprintf("%s-shm", path);
	unlink(path);
	unlink(w);
	unlink(s);
	free(w);
	free(s);
}

struct replica *replica_open(const char *path, const char *profile, enum replica_rebuild *why,
							 char **err)
{
	*why = REPLICA_KEPT;
	bool existed = access(path, F_OK) == 0;
	sqlite3 *db = open_handle(path);
	enum replica_rebuild state = db ? check(db, profile) : REPLICA_CORRUPT;
	if (state == REPLICA_CORRUPT || state == REPLICA_TOO_NEW || state == REPLICA_OTHER_PROFILE) {
		sqlite3_close(db);
		unlink_set_aside(path); /* keep only the newest damaged copy */
		char *aside = xasprintf("%s.bad-%lld", path, (long long)time(NULL));
		if (rename(path, aside) != 0)
			unlink(path);
		free(aside);
		unlink_all(path);
		log_warn("replica %s set aside (%s) and rebuilt", path,
				 state == REPLICA_TOO_NEW ? "too new" : state == REPLICA_CORRUPT ? "damaged" : "other profile");
		*why = state;
		db = open_handle(path);
		if (!db || sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK) {
			*err = xasprintf("cannot create the replica %s", path);
			sqlite3_close(db);
			return NULL;
		}
	} else if (state == REPLICA_NEW) {
		*why = existed ? REPLICA_KEPT : REPLICA_NEW;
	}
	sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	if (replica_migrate(db, NMIGRATIONS, err) != 0) {
		sqlite3_close(db);
		return NULL;
	}
	struct replica *r = xcalloc(1, sizeof *r);
	r->db = db;
	r->path = xstrdup(path);
	if (replica_meta_set(r, "profile", profile) != 0 || replica_meta_set(r, "open", "1") != 0) {
		*err = xasprintf("cannot write the replica %s", path);
		replica_close(&r);
		return NULL;
	}
	if (!existed)
		*why = REPLICA_NEW;
	return r;
}

void replica_close(struct replica **rp)
{
	struct replica *r = *rp;
	if (!r)
		return;
	replica_meta_set(r, "open", "0"); /* closed cleanly: no quick_check at the next open */
	sqlite3_close(r->db);
	free(r->path);
	free(r);
	*rp = NULL;
}

void replica_bulk(struct replica *r, bool on)
{
	if (!r)
		return;
	if (on) {
		sqlite3_exec(r->db, "PRAGMA wal_autocheckpoint = 16000", NULL, NULL, NULL);
		return;
	}
	sqlite3_exec(r->db, "PRAGMA wal_autocheckpoint = 1000", NULL, NULL, NULL);
	sqlite3_exec(r->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

void replica_wipe(struct replica **rp)
{
	struct replica *r = *rp;
	if (!r)
		return;
	char *path = xstrdup(r->path);
	replica_close(rp);
	unlink_all(path);
	unlink_set_aside(path);
	free(path);
}

int replica_meta_set(struct replica *r, const char *key, const char *value)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, "INSERT INTO meta (key, value) VALUES (?, ?)"
								  " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
						   -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

char *replica_meta_get(struct replica *r, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;
	if (sqlite3_prepare_v2(r->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

/* An integer meta value, or 0. */
static int64_t meta_int(struct replica *r, const char *key)
{
	char *v = replica_meta_get(r, key);
	int64_t n = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	return n;
}

/* Store an integer meta value. */
static int meta_set_int(struct replica *r, const char *key, int64_t v)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", (long long)v);
	return replica_meta_set(r, key, num);
}

int64_t replica_since(struct replica *r)
{
	return meta_int(r, "since");
}

int64_t replica_synced_at(struct replica *r)
{
	return meta_int(r, "synced_at");
}

void replica_touch(struct replica *r, int64_t now)
{
	meta_set_int(r, "synced_at", now);
}

/* The statements of a page, in the order apply_one uses them. */
/* Bind the upsert of a change's object; false skips the change (it did not parse). */
typedef bool (*bind_fn)(sqlite3_stmt *s, const struct m_change *c);

/* Bind (id, client_id, [status,] json) of an order or registration, or (id, name, json)
 * of a device type: objects the replica keeps as JSON. */
static bool bind_json(sqlite3_stmt *s, const struct m_change *c)
{
	char *json = cJSON_PrintUnformatted(c->data);
	sqlite3_bind_int64(s, 1, c->id);
	if (c->type == M_DEVICE_TYPE) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(c->data, "name");
		sqlite3_bind_text(s, 2, cJSON_IsString(n) ? n->valuestring : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, json, -1, free);
		return true;
	}
	const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c->data, "client_id");
	sqlite3_bind_int64(s, 2, cJSON_IsNumber(cid) ? (sqlite3_int64)cid->valuedouble : 0);
	if (c->type == M_HCT_ORDER) {
		const cJSON *stt = cJSON_GetObjectItemCaseSensitive(c->data, "status");
		sqlite3_bind_text(s, 3, cJSON_IsString(stt) ? stt->valuestring : "", -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 4, json, -1, free);
	} else {
		sqlite3_bind_text(s, 3, json, -1, free);
	}
	return true;
}

static bool bind_location(sqlite3_stmt *s, const struct m_change *c)
{
	struct m_location l;
	if (!m_location_parse(c->data, &l))
		return false;
	sqlite3_bind_int64(s, 1, l.id);
	if (l.parent_id)
		sqlite3_bind_int64(s, 2, l.parent_id);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_text(s, 3, l.name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, l.kind ? l.kind : "", -1, SQLITE_TRANSIENT);
	m_location_free(&l);
	return true;
}

static bool bind_team(sqlite3_stmt *s, const struct m_change *c)
{
	struct m_team t;
	if (!m_team_parse(c->data, &t))
		return false;
	sqlite3_bind_int64(s, 1, t.id);
	sqlite3_bind_int64(s, 2, t.location_id);
	sqlite3_bind_text(s, 3, t.name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, t.email, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, t.phone, -1, SQLITE_TRANSIENT);
	m_team_free(&t);
	return true;
}

static bool bind_client(sqlite3_stmt *s, const struct m_change *c)
{
	struct m_client cl;
	if (!m_client_parse(c->data, &cl))
		return false;
	sqlite3_bind_int64(s, 1, cl.id);
	sqlite3_bind_text(s, 2, cl.client_number, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, cl.name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, text_fold(cl.name), -1, free);
	sqlite3_bind_text(s, 5, cl.birth_date, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, cl.location_id);
	m_client_free(&cl);
	return true;
}

static bool bind_caren(sqlite3_stmt *s, const struct m_change *c)
{
	bool active;
	char until[16];
	if (!m_caren_fact_parse(c->data, &active, until))
		return false;
	sqlite3_bind_int64(s, 1, c->id);
	sqlite3_bind_int(s, 2, active);
	if (until[0])
		sqlite3_bind_text(s, 3, until, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 3);
	return true;
}

static bool bind_caren_portal(sqlite3_stmt *s, const struct m_change *c)
{
	bool enabled, reachable;
	if (!m_caren_portal_parse(c->data, &enabled, &reachable))
		return false;
	sqlite3_bind_int64(s, 1, c->id);
	sqlite3_bind_int(s, 2, enabled);
	sqlite3_bind_int(s, 3, reachable);
	return true;
}

static bool bind_message(sqlite3_stmt *s, const struct m_change *c)
{
	sqlite3_bind_int64(s, 1, c->id);
	sqlite3_bind_text(s, 2, cJSON_PrintUnformatted(c->data), -1, free);
	return true;
}

/* How the replica stores each feed type (the table's rows are in client/feed.h). */
static const struct {
	enum m_type type;
	const char *upsert;
	bind_fn bind;
} stores[] = {
	{M_LOCATION, "INSERT OR REPLACE INTO locations (id, parent_id, name, kind) VALUES (?, ?, ?, ?)",
	 bind_location},
	{M_TEAM, "INSERT OR REPLACE INTO teams (id, location_id, name, email, phone) VALUES (?, ?, ?, ?, ?)",
	 bind_team},
	{M_CLIENT,
	 "INSERT OR REPLACE INTO clients (id, client_number, name, fold, birth_date, location_id)"
	 " VALUES (?, ?, ?, ?, ?, ?)",
	 bind_client},
	{M_DEVICE_TYPE, "INSERT OR REPLACE INTO device_types (id, name, json) VALUES (?, ?, ?)", bind_json},
	{M_HCT_ORDER, "INSERT OR REPLACE INTO hct_orders (id, client_id, status, json) VALUES (?, ?, ?, ?)",
	 bind_json},
	{M_HCT_REGISTRATION, "INSERT OR REPLACE INTO hct_registrations (id, client_id, json) VALUES (?, ?, ?)",
	 bind_json},
	{M_CAREN, "INSERT OR REPLACE INTO caren_state (id, link_active, valid_until) VALUES (?, ?, ?)",
	 bind_caren},
	{M_CAREN_PORTAL, "INSERT OR REPLACE INTO caren_portal (id, enabled, reachable) VALUES (?, ?, ?)",
	 bind_caren_portal},
	{M_LOCATION_MESSAGE, "INSERT OR REPLACE INTO location_messages (id, json) VALUES (?, ?)",
	 bind_message},
};
#define NSTORES (sizeof stores / sizeof stores[0])

/* The statements of one page: an upsert and a delete per store row. */
struct page_stmts {
	sqlite3_stmt *up[NSTORES], *del[NSTORES];
};

/* Prepare every statement; 0 on success. */
static int page_prepare(sqlite3 *db, struct page_stmts *ps)
{
	for (size_t i = 0; i < NSTORES; i++) {
		const struct feed_type *ft = feed_type_of(stores[i].type);
		char *del = xasprintf("DELETE FROM %s WHERE id = ?", ft ? ft->table : "none");
		int rc = sqlite3_prepare_v2(db, stores[i].upsert, -1, &ps->up[i], NULL) |
				 sqlite3_prepare_v2(db, del, -1, &ps->del[i], NULL);
		free(del);
		if (rc != SQLITE_OK)
			return -1;
	}
	return 0;
}

/* Upsert or delete one change as its feed type says; *events gets its event bit. 0 on
 * success (an unknown or unparsable change is skipped). */
static int apply_one(sqlite3 *db, struct page_stmts *ps, const struct m_change *c, unsigned *events)
{
	size_t i = 0;
	while (i < NSTORES && stores[i].type != c->type)
		i++;
	const struct feed_type *ft = feed_type_of(c->type);
	if (i == NSTORES || !ft)
		return 0; /* a newer server's type: ignored */
	sqlite3_stmt *s = c->deleted ? ps->del[i] : ps->up[i];
	if (c->deleted)
		sqlite3_bind_int64(s, 1, c->id);
	else if (!stores[i].bind(s, c))
		return 0;
	*events |= ft->event;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE) {
		log_error("replica write: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int replica_apply_page(struct replica *r, const cJSON *changes, int64_t next, int64_t now,
					   int *clients, int *hct)
{
	struct page_stmts ps = {{0}, {0}};
	int hct_dummy = 0;
	if (!hct)
		hct = &hct_dummy;
	*clients = 0;
	*hct = 0;
	int rc = -1;
	if (sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (page_prepare(r->db, &ps) != 0)
		goto out;
	const cJSON *it;
	cJSON_ArrayForEach(it, changes)
	{
		struct m_change c;
		unsigned ev = 0;
		if (!m_change_parse(it, &c))
			continue;
		if (apply_one(r->db, &ps, &c, &ev) != 0)
			goto out;
		*clients += (ev & APP_EV_CLIENTS) != 0;
		*hct += (ev & APP_EV_HCT) != 0;
	}
	if (meta_set_int(r, "since", next) != 0 || meta_set_int(r, "synced_at", now) != 0)
		goto out;
	rc = sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
out:
	if (rc != 0)
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	for (size_t i = 0; i < NSTORES; i++) {
		sqlite3_finalize(ps.up[i]);
		sqlite3_finalize(ps.del[i]);
	}
	return rc;
}

int replica_locations(struct replica *r, struct m_location **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, "SELECT id, parent_id, name, kind FROM locations ORDER BY name, id",
						   -1, &st, NULL) != SQLITE_OK)
		return -1;
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct m_location *l = &(*out)[(*n)++];
		l->id = sqlite3_column_int64(st, 0);
		l->parent_id = sqlite3_column_int64(st, 1);
		l->name = xstrdup((const char *)sqlite3_column_text(st, 2));
		l->kind = xstrdup((const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
	return 0;
}

/* Parse every JSON column of rows of sql (bound to id when id > 0) with parse into a
 * growing array of elements of size sz. */
static int json_rows(struct replica *r, const char *sql, int64_t id, void **out, size_t *n, size_t sz,
					 bool (*parse)(const cJSON *, void *))
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (id > 0)
		sqlite3_bind_int64(st, 1, id);
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *j = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
		if (!j)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xrealloc(*out, cap * sz);
		}
		if (parse(j, (char *)*out + *n * sz))
			(*n)++;
		cJSON_Delete(j);
	}
	sqlite3_finalize(st);
	return 0;
}

static bool parse_order(const cJSON *j, void *out)
{
	return m_order_parse(j, out);
}

static bool parse_reg(const cJSON *j, void *out)
{
	return m_registration_parse(j, out);
}

static bool parse_dt(const cJSON *j, void *out)
{
	return m_device_type_parse(j, out);
}

int replica_hct(struct replica *r, int64_t client_id, struct m_order **orders, size_t *norders,
				struct m_registration **regs, size_t *nregs)
{
	int rc = json_rows(r, "SELECT json FROM hct_orders WHERE client_id = ? AND status != 'COMPLETED'"
						  " ORDER BY id DESC",
					   client_id, (void **)orders, norders, sizeof **orders, parse_order);
	if (rc == 0)
		rc = json_rows(r, "SELECT json FROM hct_registrations WHERE client_id = ? ORDER BY"
						  " json_extract(json, '$.start_date') DESC, id DESC",
					   client_id, (void **)regs, nregs, sizeof **regs, parse_reg);
	return rc;
}

bool replica_order(struct replica *r, int64_t id, struct m_order *out)
{
	struct m_order *v;
	size_t n;
	if (json_rows(r, "SELECT json FROM hct_orders WHERE id = ?", id, (void **)&v, &n, sizeof *v,
				  parse_order) != 0 || n == 0) {
		free(v);
		return false;
	}
	*out = v[0];
	free(v);
	return true;
}

bool replica_registration(struct replica *r, int64_t id, struct m_registration *out)
{
	struct m_registration *v;
	size_t n;
	if (json_rows(r, "SELECT json FROM hct_registrations WHERE id = ?", id, (void **)&v, &n,
				  sizeof *v, parse_reg) != 0 || n == 0) {
		free(v);
		return false;
	}
	*out = v[0];
	free(v);
	return true;
}

int replica_device_types(struct replica *r, struct m_device_type **out, size_t *n)
{
	return json_rows(r, "SELECT json FROM device_types ORDER BY name, id", 0, (void **)out, n,
					 sizeof **out, parse_dt);
}

int replica_teams(struct replica *r, struct m_team **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, "SELECT id, location_id, name, email, phone FROM teams ORDER BY name",
						   -1, &st, NULL) != SQLITE_OK)
		return -1;
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct m_team *t = &(*out)[(*n)++];
		t->id = sqlite3_column_int64(st, 0);
		t->location_id = sqlite3_column_int64(st, 1);
		t->name = xstrdup((const char *)sqlite3_column_text(st, 2));
		t->email = xstrdup((const char *)sqlite3_column_text(st, 3));
		t->phone = xstrdup((const char *)sqlite3_column_text(st, 4));
	}
	sqlite3_finalize(st);
	return 0;
}

int replica_put(struct replica *r, const char *type, const cJSON *obj)
{
	cJSON *page = cJSON_CreateArray();
	cJSON *it = cJSON_CreateObject();
	cJSON_AddStringToObject(it, "type", type);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "id");
	cJSON_AddNumberToObject(it, "id", cJSON_IsNumber(id) ? id->valuedouble : 0);
	cJSON_AddNumberToObject(it, "rev", 0);
	cJSON_AddBoolToObject(it, "deleted", false);
	cJSON_AddItemToObject(it, "data", cJSON_Duplicate(obj, true));
	cJSON_AddItemToArray(page, it);
	int clients = 0, hct = 0;
	/* Keep since as it is: this object came from a direct answer, not the feed. */
	int rc = replica_apply_page(r, page, replica_since(r), replica_synced_at(r), &clients, &hct);
	cJSON_Delete(page);
	return rc;
}

int replica_forget(struct replica *r, const char *type, int64_t id)
{
	cJSON *page = cJSON_CreateArray();
	cJSON *it = cJSON_CreateObject();
	cJSON_AddStringToObject(it, "type", type);
	cJSON_AddNumberToObject(it, "id", (double)id);
	cJSON_AddNumberToObject(it, "rev", 0);
	cJSON_AddBoolToObject(it, "deleted", true);
	cJSON_AddItemToArray(page, it);
	int clients = 0, hct = 0;
	int rc = replica_apply_page(r, page, replica_since(r), replica_synced_at(r), &clients, &hct);
	cJSON_Delete(page);
	return rc;
}

/* Fill temporary table name with the ids of array key of visible. */
static int fill_keep(sqlite3 *db, const char *name, const struct visible *visible, const char *key)
{
	char *sql = xasprintf("CREATE TEMP TABLE IF NOT EXISTS %s (id INTEGER PRIMARY KEY);"
						  "DELETE FROM %s;",
						  name, name);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return -1;
	sql = xasprintf("INSERT OR IGNORE INTO %s (id) VALUES (?)", name);
	sqlite3_stmt *st;
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return -1;
	size_t n;
	const int64_t *ids = visible_ids(visible, key, &n);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, (sqlite3_int64)ids[i]);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

/* Delete the rows of feed type ft that GET /visible does not list; the client ids removed
 * are added to *removed (the core's index drops them too). 0 on success. */
static int reconcile_type(sqlite3 *db, const struct feed_type *ft, const struct visible *visible, int64_t **removed,
						  size_t *nremoved, size_t *cap)
{
	char *keep = xasprintf("keep_%s", ft->table);
	char *sql = xasprintf("DELETE FROM %s WHERE id NOT IN (SELECT id FROM %s) RETURNING id", ft->table, keep);
	sqlite3_stmt *st = NULL;
	int rc = fill_keep(db, keep, visible, ft->visible) == 0 &&
					 sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK
				 ? 0
				 : -1;
	while (rc == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = 0;
		if (ft->event != APP_EV_CLIENTS)
			continue;
		if (*nremoved == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*removed = xrealloc(*removed, *cap * sizeof **removed);
		}
		(*removed)[(*nremoved)++] = sqlite3_column_int64(st, 0);
	}
	rc = rc == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	free(sql);
	sql = xasprintf("DELETE FROM %s", keep);
	if (rc == 0 && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	free(sql);
	free(keep);
	return rc;
}

int replica_reconcile(struct replica *r, const struct visible *visible, int64_t **removed,
					  size_t *nremoved)
{
	*removed = NULL;
	*nremoved = 0;
	size_t n;
	if (!visible_ids(visible, "clients", &n))
		return -1;
	/* Rows the feed brought after the list was read are not in it: try another time. */
	if (replica_since(r) > visible->revision)
		return 1;
	if (sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	int rc = 0;
	size_t cap = 0;
	/* Every feed type the table marks as reconciled (clients, orders, registrations). */
	for (size_t i = 0; rc == 0 && i < feed_type_count(); i++) {
		const struct feed_type *ft = feed_type_at(i);
		if (ft->visible)
			rc = reconcile_type(r->db, ft, visible, removed, nremoved, &cap);
	}
	if (rc == 0)
		rc = sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	if (rc != 0) {
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		free(*removed);
		*removed = NULL;
		*nremoved = 0;
	}
	return rc;
}

int replica_caren_portal(struct replica *r, bool *enabled, bool *reachable)
{
	sqlite3_stmt *st;
	*enabled = *reachable = false;
	if (sqlite3_prepare_v2(r->db, "SELECT enabled, reachable FROM caren_portal WHERE id = 1", -1,
						   &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*enabled = sqlite3_column_int(st, 0) != 0;
		*reachable = sqlite3_column_int(st, 1) != 0;
	}
	sqlite3_finalize(st);
	return 0;
}

int replica_caren_facts(struct replica *r, void (*fn)(int64_t client_id, bool link_active,
													   const char *valid_until, void *ctx),
						void *ctx)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, "SELECT id, link_active, valid_until FROM caren_state ORDER BY id",
						   -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1) != 0,
		   (const char *)sqlite3_column_text(st, 2), ctx);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int replica_messages(struct replica *r, void (*fn)(const char *json, void *ctx), void *ctx)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(r->db, "SELECT json FROM location_messages ORDER BY id DESC", -1, &st,
						   NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(st, 0), ctx);
	sqlite3_finalize(st);
	return 0;
}
