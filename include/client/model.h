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

/* A device type of the home-care technology catalogue. */
struct m_device_type {
	int64_t id, supplier_id; /* supplier_id 0: supplier unknown */
	char *name, *product_code, *supplier_name;
	bool in_use, ordering;
};

/* Order statuses as the wire names them. */
enum m_order_status { ORDER_UNKNOWN, ORDER_OPEN, ORDER_DECLINED, ORDER_ACCEPTED, ORDER_COMPLETED };

/* A home-care technology order (staff view). Times are RFC 3339 strings or NULL. */
struct m_order {
	int64_t id, client_id, device_type_id, registration_id;
	enum m_order_status status;
	char *uuid, *device_type_name, *supplier_name;
	char *created_at, *updated_at, *fetched_at, *accepted_at, *declined_at, *completed_at;
	char *delivery_type; /* CLIENT_HOME or MANUAL */
	int64_t delivery_address_id, house_number;
	char *street, *house_number_ext, *postcode, *city;
	int64_t orderer_staff_id, orderer_team_id;
	char *orderer_name, *orderer_team_name, *orderer_email, *orderer_phone;
	char *order_number, *supplier_note, *tracking_url, *device_identification_number;
};

/* A registered device of a client. */
struct m_registration {
	int64_t id, client_id, device_type_id, order_id;
	char *device_type_name, *serial, *start_date, *end_date;
};

/* What the order form holds, as typed (also the local draft). */
struct m_order_draft {
	int64_t client_id, device_type_id;
	int64_t address_id; /* 0: the alternative address below */
	char street[101], house_number[8], house_number_ext[11], postcode[16], city[81];
	int64_t team_id;
	char email[255], phone[32];
	char idem_key[48]; /* chosen when the form first opened; kept until the server accepted */
};

/* Kinds of object in the change feed. */
enum m_type {
	M_UNKNOWN,
	M_LOCATION,
	M_TEAM,
	M_CLIENT,
	M_DEVICE_TYPE,
	M_HCT_ORDER,
	M_HCT_REGISTRATION,
	M_CAREN,        /* a client's Caren facts (link active, open invitation's last day) */
	M_CAREN_PORTAL, /* the portal's facts (Caren enabled, portal reachable) */
	M_LOCATION_MESSAGE, /* a location message without its text (client/messages.h) */
};

/* A Caren invitation on a client's Caren page (never its code). */
struct m_caren_invitation {
	int64_t id;
	char created_at[32], valid_until[16], state[12];
	char *created_by, *closed_by; /* closed_by may be NULL */
};

/* A Caren link with who ended it and why. */
struct m_caren_link {
	int64_t id;
	char started_at[32], ended_at[32]; /* ended_at "" while active */
	char *ended_by, *end_reason;       /* NULL while active */
};

/* GET /clients/{id}/caren. */
struct m_caren_page {
	int64_t client_id;
	char status[16]; /* ACTIVE, NOT_LINKED, INVITED, UNKNOWN */
	int days_left;   /* -1: none */
	struct m_caren_invitation *inv;
	size_t ninv;
	struct m_caren_link *links;
	size_t nlinks;
};

/* One change-feed entry; data points into the parsed page (borrowed). */
struct m_change {
	enum m_type type;
	int64_t id, rev;
	bool deleted;
	const cJSON *data;
};

/* Parse a client's Caren page; false when malformed. Free with m_caren_page_free. */
bool m_caren_page_parse(const cJSON *j, int64_t client_id, struct m_caren_page *out);
void m_caren_page_free(struct m_caren_page *p);
/* The body of an unlink (caller frees). */
char *m_caren_unlink_body(const char *reason);
/* A Caren fact of the feed: link_active and the open invitation's last valid day
 * (valid_until[0] == 0: none); false when malformed. */
bool m_caren_fact_parse(const cJSON *j, bool *link_active, char valid_until[16]);
/* The portal's facts of the feed; false when malformed. */
bool m_caren_portal_parse(const cJSON *j, bool *enabled, bool *reachable);
/* messages_sent of GET /caren/summary, or -1. */
int64_t m_caren_messages_sent(const cJSON *j);

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
/* Parse a device type / order / registration. Free with the matching _free. */
bool m_device_type_parse(const cJSON *j, struct m_device_type *out);
void m_device_type_free(struct m_device_type *d);
bool m_order_parse(const cJSON *j, struct m_order *out);
void m_order_free(struct m_order *o);
bool m_registration_parse(const cJSON *j, struct m_registration *out);
void m_registration_free(struct m_registration *r);
/* The request body of POST /clients/{id}/hct-orders for d (caller frees); NULL when the
 * house number is not a number. */
char *m_order_body(const struct m_order_draft *d);
/* A draft as JSON for the local draft file, and back. */
char *m_draft_to_json(const struct m_order_draft *d);
bool m_draft_from_json(const char *text, struct m_order_draft *d);
/* Request bodies of the other HCT writes (caller frees). */
char *m_start_use_body(const char *serial, const char *start_date);
char *m_registration_body(int64_t device_type_id, const char *serial, const char *start_date,
						  const char *end_date);
char *m_end_body(const char *end_date);
char *m_device_type_patch(bool in_use, bool ordering);

/* Problem details: title/detail (borrowed) and the first invalid field (borrowed). */
void m_problem_parse(const cJSON *j, const char **slug, const char **detail, const char **field,
					 const char **reason);

#endif
