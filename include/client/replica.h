/* zorgterm's local replica: a SQLite cache of the list fields the change feed delivers
 * (never the BSN), one file per server and user, rebuilt when damaged or too new. */
#ifndef ZT_CLIENT_REPLICA_H
#define ZT_CLIENT_REPLICA_H

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why an existing replica file was set aside and rebuilt. */
enum replica_rebuild { REPLICA_KEPT, REPLICA_NEW, REPLICA_CORRUPT, REPLICA_TOO_NEW, REPLICA_OTHER_PROFILE };

struct replica {
	sqlite3 *db;
	char *path;
};

/* Open or create the replica at path (file mode 0600) for profile (server and user); a damaged,
 * too-new or foreign file is renamed aside (path.bad-TIME) and a fresh one created. *why says
 * what happened. NULL with *err (caller frees) when even a fresh file cannot be made. */
struct replica *replica_open(const char *path, const char *profile, enum replica_rebuild *why,
							 char **err);
/* Close; sets *rp to NULL. */
void replica_close(struct replica **rp);
/* A bulk load (a first sync, a long catch-up) begins (on) or ends. While on, SQLite moves
 * the WAL into the file every 16,000 pages (64 MiB) instead of every 1,000: each page of
 * 1,000 changes dirties pages all over the list's index of a large replica, so the WAL
 * reached its checkpoint size after nearly every page (a 1,000,000-client first sync:
 * 2,627 fdatasync calls, now 203). Off: back to 1,000, and the WAL is checkpointed and
 * truncated now. */
void replica_bulk(struct replica *r, bool on);
/* Close and delete the replica's files (logout). */
void replica_wipe(struct replica **rp);
/* Apply the migrations up to target on an open handle (for tests); 0 on success. */
int replica_migrate(sqlite3 *db, int target, char **err);
/* The schema version this build writes. */
int replica_latest_version(void);
/* The revision to ask the change feed from next (0 before the first sync). */
int64_t replica_since(struct replica *r);
/* Unix time of the last successful contact with the change feed (0: never). */
int64_t replica_synced_at(struct replica *r);
/* Record a successful contact without changes. */
void replica_touch(struct replica *r, int64_t now);
/* Apply one change-feed page (its "changes" array) and advance since to next, in one
 * transaction. *clients counts the client changes applied, *hct (may be NULL) the device
 * type, order and registration changes. 0 on success. */
int replica_apply_page(struct replica *r, const cJSON *changes, int64_t next, int64_t now,
					   int *clients, int *hct);
/* Store / read a small text value (e.g. the /me document) in the replica's meta table.
 * replica_meta_get returns a copy (caller frees) or NULL. */
int replica_meta_set(struct replica *r, const char *key, const char *value);
char *replica_meta_get(struct replica *r, const char *key);

struct m_location;
struct visible;
struct m_order;
struct m_registration;
struct m_device_type;
struct m_team;
/* A client's open orders (not COMPLETED) and registrations, newest first (caller frees
 * each element with its _free, then the array). 0 on success. */
int replica_hct(struct replica *r, int64_t client_id, struct m_order **orders, size_t *norders,
				struct m_registration **regs, size_t *nregs);
/* One order / registration by id; false when the replica does not hold it. */
bool replica_order(struct replica *r, int64_t id, struct m_order *out);
bool replica_registration(struct replica *r, int64_t id, struct m_registration *out);
/* The device-type catalogue, by name. */
int replica_device_types(struct replica *r, struct m_device_type **out, size_t *n);
/* Every team, by name. */
int replica_teams(struct replica *r, struct m_team **out, size_t *n);
/* Store one object the server just answered with (type as in the feed) at once, without
 * moving the feed position; the feed later brings the same. 0 on success. */
int replica_put(struct replica *r, const char *type, const cJSON *obj);
/* Reconcile with the server's lists of visible ids (GET /api/v1/visible, read by
 * visible_parse): delete every client, order and registration the lists do not name, in
 * one transaction. Skipped
 * (returns 1) when the replica is already past the list's revision. The removed client
 * ids go to *removed (caller frees). 0 on success, -1 on error. */
int replica_reconcile(struct replica *r, const struct visible *visible, int64_t **removed,
					  size_t *nremoved);
/* Drop one object (e.g. an order the user deleted). 0 on success. */
int replica_forget(struct replica *r, const char *type, int64_t id);
/* Every location of the replica, ordered by name (caller frees with m_location_free each
 * and free). 0 on success. */
int replica_locations(struct replica *r, struct m_location **out, size_t *n);

/* The portal's facts (false, false when the feed has not brought them). 0 on success. */
int replica_caren_portal(struct replica *r, bool *enabled, bool *reachable);
/* Every location message's JSON, newest first, to fn. 0, or -1 on an error. */
int replica_messages(struct replica *r, void (*fn)(const char *json, void *ctx), void *ctx);
/* Every client's Caren facts by client id (valid_until NULL: no open invitation). */
int replica_caren_facts(struct replica *r, void (*fn)(int64_t client_id, bool link_active,
													   const char *valid_until, void *ctx),
						void *ctx);

#endif
