/* Sessions, login throttling and callers in the store. Everything here is shared by all
 * zorgd instances through the database (nothing is kept in process memory). Functions
 * return STORE_OK, STORE_NOT_FOUND or STORE_ERROR unless said otherwise. */
#ifndef ZT_SERVER_STORE_Q_SESSION_H
#define ZT_SERVER_STORE_Q_SESSION_H

#include "store.h"

#include <stdbool.h>
#include <stdint.h>

/* The session of a token hash with its staff member (active, not deleted). */
struct session_row {
	int64_t staff_id;
	int64_t expires_at, last_seen_at;
	int64_t auth_epoch; /* moves on with every change of roles, grants or scope */
	const char *username, *name;
};

/* Look up the session of token_hash; fn sees it (borrowed). */
int q_session_get(struct db *db, const char *token_hash,
				  void (*fn)(const struct session_row *s, void *ctx), void *ctx);
/* Forget the session of token_hash. */
int q_session_delete(struct db *db, const char *token_hash);
/* Slide the idle expiry of token_hash to now + idle, never past created_at + max. */
int q_session_touch(struct db *db, const char *token_hash, int64_t now, int64_t idle,
					int64_t max);
/* The task codes of staff member id (through their roles), in no particular order and once
 * per role that grants them (the caller sorts and drops repeats). */
int q_staff_tasks(struct db *db, int64_t id, void (*fn)(const char *code, void *ctx),
				  void *ctx);
/* The id of the supplier with connector that has access granted into *id (0: none). */
int q_supplier_admitted(struct db *db, const char *connector, int64_t *id);

/* A staff member's login record. */
struct login_row {
	int64_t staff_id;
	const char *password_hash;
	bool is_demo;
};
/* The active staff member with username; fn sees it (borrowed). */
int q_login_get(struct db *db, const char *username,
				void (*fn)(const struct login_row *l, void *ctx), void *ctx);
/* Seconds throttle key (e.g. "user:name", "addr:1.2.3.4") is still locked at now; 0 when
 * not (or on an error). */
int64_t q_throttle_locked(struct db *db, const char *key, int64_t now);

/* The outcome of a login to record in one write. */
struct login_result {
	bool ok;                /* password right (and allowed): create the session */
	bool count_failure;     /* not ok because of the password: counts for throttling */
	const char *user_key;   /* throttle keys: failures count on both, success clears user */
	const char *addr_key;
	int64_t user_limit, addr_limit; /* failures before a lock */
	int64_t staff_id;       /* 0: unknown user */
	const char *detail;     /* audit detail, or NULL */
	/* the new session (ok) */
	const char *token_hash;
	int64_t now, expires_at;
	const char *remote;
};
/* Record a login in one write: on failure audit "denied" and (count_failure) count it
 * against both throttle keys, locking them at their limits; on success clear the user key, create the
 * session and audit "ok". STORE_OK or STORE_ERROR. */
int q_login_record(struct db *db, const struct actor *actor, const struct login_result *l);

#endif
