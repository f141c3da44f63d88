/* zorgterm's view of the staff API objects. The wire field names live only in model.c. */
#ifndef ZT_CLIENT_MODEL_H
#define ZT_CLIENT_MODEL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The logged-in user (GET /api/v1/me). */
struct m_me {
	int64_t id;
	char *username, *name, *registration_number, *organisation;
	int64_t team_id;
	char *team_name;
	char **roles;
	size_t nroles;
	char **tasks;
	size_t ntasks;
	int64_t *scope;
	size_t nscope;
};

struct m_address {
	int64_t id;
	char *street;
	int64_t house_number;
	char *house_number_ext, *postcode, *city;
	bool active;
};

struct m_contact {
	int64_t id;
	char *kind; /* "email" or "mobile" */
	char *value;
	bool confirmed;
};

/* A client: the summary fields always, personalia when read from GET /clients/{id}. */
struct m_client {
	int64_t id, location_id;
	char *client_number, *name, *birth_date;
	char *bsn; /* NULL unless the server sent it (task client.bsn.view) */
	struct m_address *addresses;
	size_t naddresses;
	struct m_contact *contacts;
	size_t ncontacts;
};

struct m_location {
	int64_t id, parent_id; /* parent_id 0 for the root */
	char *name, *kind;
};

struct m_team {
	int64_t id, location_id;
	char *name, *email, *phone;
};

/* Kinds of object in the change feed. */
enum m_type { M_UNKNOWN, M_LOCATION, M_TEAM, M_CLIENT };

/* One change-feed entry; data points into the parsed page (borrowed). */
struct m_change {
	enum m_type type;
	int64_t id, rev;
	bool deleted;
	const cJSON *data;
};

/* Parse /me; false when a required field is missing. Free with m_me_free. */
bool m_me_parse(const cJSON *j, struct m_me *out);
void m_me_free(struct m_me *m);
/* True when the user holds task code. */
bool m_me_has_task(const struct m_me *m, const char *code);
/* Parse a client (summary or full). Free with m_client_free. */
bool m_client_parse(const cJSON *j, struct m_client *out);
void m_client_free(struct m_client *c);
/* Parse a location. Free with m_location_free. */
bool m_location_parse(const cJSON *j, struct m_location *out);
void m_location_free(struct m_location *l);
/* Parse a team. Free with m_team_free. */
bool m_team_parse(const cJSON *j, struct m_team *out);
void m_team_free(struct m_team *t);
/* Parse one feed entry (borrowing from j). */
bool m_change_parse(const cJSON *j, struct m_change *out);
/* The changes array, next and revision of a feed page; false when malformed. */
bool m_page_parse(const cJSON *j, const cJSON **changes, int64_t *next, int64_t *revision);
/* The token and expiry of a login response; strings are borrowed from j. */
bool m_login_parse(const cJSON *j, const char **token, const char **expires_at);
/* The request body of a login (caller frees). */
char *m_login_body(const char *user, const char *password);
/* Problem details: title/detail (borrowed) and the first invalid field (borrowed). */
void m_problem_parse(const cJSON *j, const char **slug, const char **detail, const char **field,
					 const char **reason);

#endif
