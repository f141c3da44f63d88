/* Deterministic demo organisation: a seeded PRNG drives every choice, and all rows go in
 * through prepared statements inside one transaction, so large demos stay fast. */
#include "demo.h"

#include "../auth.h"
#include "sqlite.h"
#include "common/alloc.h"
#include "common/jsonx.h"
#include "common/text.h"
#include "common/valid.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_MAX_CLIENTS 1000000
/* BSN prefixes are the eight-digit numbers 10000000..99999999; k -> (k * STRIDE + base) mod
 * SPACE is a bijection because STRIDE (about 0.618 * SPACE, so consecutive BSNs look
 * unrelated) shares no factor with SPACE (2^7 3^2 5^7). */
#define BSN_SPACE 90000000u
#define BSN_STRIDE 55623059u

enum { REGION_NOORD, REGION_ZUID, REGION_OOST, REGION_COUNT };

/* Location ids: the organisation root, then the regions, then the team-level locations. */
#define LOC_ROOT 1
#define LOC_REGION(r) (2 + (r))
#define LOC_TEAM(t) (2 + REGION_COUNT + (t))

static const char *const organisation_name = "Zorggroep De Linde";
static const char *const region_names[REGION_COUNT] = {"Regio Noord", "Regio Zuid", "Regio Oost"};

/* A team-level location with its team, and the places its clients live. */
struct team_def {
	const char *name;
	int region;
	const char *phone;
	const char *city;
	int pc_lo, pc_hi;
	const char *village;
	int vpc_lo, vpc_hi;
};

static const struct team_def team_defs[] = {
	{"Wijkteam Assen Centrum", REGION_NOORD, "+31592301100", "Assen", 9401, 9407, "Rolde", 9451,
	 9451},
	{"Wijkteam Assen Noord", REGION_NOORD, "+31592302200", "Assen", 9408, 9411, "Vries", 9481,
	 9481},
	{"Wijkteam Groningen Zuid", REGION_NOORD, "+31503103300", "Groningen", 9722, 9728, "Haren",
	 9751, 9752},
	{"Wijkteam Meppel", REGION_NOORD, "+31522204400", "Meppel", 7941, 7944, "Nijeveen", 7948,
	 7948},
	{"Wijkteam Zwolle Zuid", REGION_ZUID, "+31384205500", "Zwolle", 8011, 8025, "Hattem", 8051,
	 8051},
	{"Wijkteam Zwolle Noord", REGION_ZUID, "+31384206600", "Zwolle", 8031, 8043, "Hasselt", 8061,
	 8061},
	{"Wijkteam Deventer", REGION_ZUID, "+31570607700", "Deventer", 7411, 7425, "Bathmen", 7437,
	 7437},
	{"Wijkteam Emmen Noord", REGION_OOST, "+31591608800", "Emmen", 7812, 7818, "Klazienaveen",
	 7891, 7891},
	{"Wijkteam Emmen Centrum", REGION_OOST, "+31591609900", "Emmen", 7819, 7826,
	 "Nieuw-Amsterdam", 7833, 7833},
	{"Wijkteam Hardenberg", REGION_OOST, "+31523261000", "Hardenberg", 7771, 7773, "Dedemsvaart",
	 7701, 7702},
	{"Wijkteam Coevorden", REGION_OOST, "+31524521100", "Coevorden", 7741, 7742, "Dalen", 7751,
	 7751},
};
#define TEAM_COUNT ((int)(sizeof team_defs / sizeof team_defs[0]))
/* Indexes into team_defs used by the demo staff. */
#define TEAM_ASSEN_CENTRUM 0
#define TEAM_ZWOLLE_ZUID 4

/* One demo account; team is an index into team_defs or -1 for none. */
struct staff_def {
	const char *username;
	const char *name;
	const char *email;
	int role_id;
	int scope_location;
	int team;
};

static const struct staff_def staff_defs[] = {
	{"administrator", "Marieke Hoekstra", "marieke.hoekstra@delinde.example", 1, LOC_ROOT,
	 TEAM_ASSEN_CENTRUM},
	{"beheerder", "Johan van der Meer", "johan.vandermeer@delinde.example", 2, LOC_ROOT, -1},
	{"coordinator", "Noëlle Kuipers", "noelle.kuipers@delinde.example", 3,
	 LOC_REGION(REGION_NOORD), TEAM_ASSEN_CENTRUM},
	{"zorgverlener", "Sjoerd Dijkstra", "sjoerd.dijkstra@delinde.example", 4,
	 LOC_TEAM(TEAM_ZWOLLE_ZUID), TEAM_ZWOLLE_ZUID},
	{"support", "Fatima el Idrissi", "fatima.elidrissi@delinde.example", 5, LOC_ROOT, -1},
};
#define STAFF_COUNT ((int)(sizeof staff_defs / sizeof staff_defs[0]))

/* Index 0 must stay "José": client 1 is always "José van den Berg". */
static const char *const first_names[] = {
	"José",     "Chloë",    "Zoë",       "Loïs",    "Anaïs",     "Noël",    "René",
	"André",    "Daniël",   "Ruben",     "Thijs",   "IJsbrand",  "Fenna",   "Sanne",
	"Gert-Jan", "Joëlle",   "Aäron",     "Jan",     "Piet",      "Kees",    "Henk",
	"Gerrit",   "Willem",   "Johannes",  "Cornelis", "Hendrik",  "Maria",   "Johanna",
	"Anna",     "Wilhelmina", "Geertje", "Aaltje",  "Hennie",    "Truus",   "Riet",
	"Ans",      "Els",      "Marja",     "Ingrid",  "Dirk",      "Klaas",   "Albert",
	"Harm",     "Roelof",   "Egbert",    "Femke",   "Lotte",     "Daan",    "Bram",
	"Wietske",  "Sjoerd",   "Hiltje",    "Reinder", "Grietje",   "Jantje",  "Hélène",
	"Céline",   "Inès",     "Renée",     "Frédérique", "Mohamed", "Fatima", "Ayşe",
	"Mehmet",   "Özlem",    "Jeroen",    "Marloes", "Fleur",     "Gijs",    "Mirjam",
};
#define FIRST_COUNT ((int)(sizeof first_names / sizeof first_names[0]))

/* A family name: tussenvoegsel (may be empty), the name, and an ASCII e-mail form when
 * folding alone would not give one (NULL otherwise). */
struct family_def {
	const char *prefix;
	const char *last;
	const char *ascii;
};

/* Index 0 must stay "van den Berg": client 1 is always "José van den Berg". */
static const struct family_def family_names[] = {
	{"van den", "Berg", NULL}, {"de", "Vries", NULL},     {"van 't", "Hek", NULL},
	{"", "IJzerman", NULL},    {"", "Jansen", NULL},      {"", "Bakker", NULL},
	{"", "Visser", NULL},      {"", "Smit", NULL},        {"", "Meijer", NULL},
	{"de", "Boer", NULL},      {"", "Mulder", NULL},      {"de", "Groot", NULL},
	{"", "Bos", NULL},         {"", "Vos", NULL},         {"", "Peters", NULL},
	{"", "Hendriks", NULL},    {"van", "Dijk", NULL},     {"", "Dekker", NULL},
	{"", "Brouwer", NULL},     {"", "Çelik", NULL},       {"", "El Amrani", NULL},
	{"", "Nguyễn", "nguyen"},  {"de", "Jong", NULL},      {"van der", "Meer", NULL},
	{"", "Janssen", NULL},     {"de", "Wit", NULL},       {"", "Kok", NULL},
	{"van", "Leeuwen", NULL},  {"", "Hoekstra", NULL},    {"", "Dijkstra", NULL},
	{"", "Postma", NULL},      {"", "Kuiper", NULL},      {"", "Veenstra", NULL},
	{"", "Huisman", NULL},     {"", "Boersma", NULL},     {"", "Schouten", NULL},
	{"van der", "Linden", NULL}, {"ter", "Horst", NULL},  {"ten", "Cate", NULL},
	{"", "Brinkman", NULL},    {"", "Kloosterman", NULL}, {"", "Oosting", NULL},
	{"", "Wolters", NULL},     {"", "Nijboer", NULL},     {"", "Scholten", NULL},
	{"", "Hulshof", NULL},     {"ter", "Haar", NULL},     {"", "Yılmaz", NULL},
	{"", "Öztürk", NULL},      {"", "d'Ancona", NULL},    {"", "Lückers", NULL},
	{"", "Bouzid", NULL},      {"", "Ramdin", NULL},      {"", "Zwiers", NULL},
};
#define FAMILY_COUNT ((int)(sizeof family_names / sizeof family_names[0]))

static const char *const streets[] = {
	"Dorpsstraat",   "Kerkstraat",      "Stationsweg",      "Molenweg",       "Schoolstraat",
	"Beukenlaan",    "Julianastraat",   "Wilhelminastraat", "Beatrixlaan",    "Oranjestraat",
	"Nieuwstraat",   "Hoofdstraat",     "Kastanjelaan",     "Eikenlaan",      "Lindelaan",
	"Brink",         "Marktstraat",     "Prinses Irenestraat", "Esweg",       "Oosterstraat",
	"Tulpstraat",    "Wilgenweg",       "Populierenlaan",   "Sportlaan",      "Havenstraat",
	"Parallelweg",   "Koningin Julianalaan", "Burgemeester Legroweg", "Van 't Hoffstraat",
	"Zuiderdiep",    "Vaart NZ",        "Esdoornstraat",    "Berkenweg",      "Kanaalweg",
	"Rozenstraat",   "Meidoornlaan",    "Hazelaarstraat",   "Boerhaavelaan",  "Vondellaan",
};
#define STREET_COUNT ((int)(sizeof streets / sizeof streets[0]))

static const char *const house_exts[] = {"A", "B", "bis", "2", "C", "1"};
#define HOUSE_EXT_COUNT ((int)(sizeof house_exts / sizeof house_exts[0]))

static const char *const mail_domains[] = {"example.nl", "example.com", "example.org",
										   "example.net"};
#define MAIL_DOMAIN_COUNT ((int)(sizeof mail_domains / sizeof mail_domains[0]))

enum gen_stmt {
	ST_ORG,
	ST_LOCATION,
	ST_CLOSURE,
	ST_TEAM,
	ST_STAFF,
	ST_ROLE,
	ST_SCOPE,
	ST_CLIENT,
	ST_ADDRESS,
	ST_CONTACT,
	ST_REVISION,
	ST_SUPPLIER,
	ST_DEVICE_TYPE,
	ST_HOME_ADDRESS,
	ST_ORDER,
	ST_REGISTRATION,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_ORG] = "INSERT INTO organisation (id, name, rev) VALUES (1, ?, ?)",
	[ST_LOCATION] = "INSERT INTO locations (id, parent_id, name, kind, rev) VALUES (?, ?, ?, ?, ?)",
	[ST_CLOSURE] = "INSERT INTO location_closure (ancestor, descendant, depth) VALUES (?, ?, ?)",
	[ST_TEAM] = "INSERT INTO teams (id, location_id, name, email, phone, rev)"
				" VALUES (?, ?, ?, ?, ?, ?)",
	[ST_STAFF] = "INSERT INTO staff (id, username, name, registration_number, email, phone,"
				 " team_id, password_hash, is_demo, active, rev)"
				 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?)",
	[ST_ROLE] = "INSERT INTO staff_roles (staff_id, role_id) VALUES (?, ?)",
	[ST_SCOPE] = "INSERT INTO staff_scope (staff_id, location_id) VALUES (?, ?)",
	[ST_CLIENT] = "INSERT INTO clients (id, client_number, name, search_name, birth_date, bsn,"
				  " location_id, rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_ADDRESS] = "INSERT INTO client_addresses (client_id, street, house_number,"
				   " house_number_ext, postcode, city, active) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[ST_CONTACT] = "INSERT INTO client_contacts (client_id, kind, value, confirmed)"
				   " VALUES (?, ?, ?, ?)",
	[ST_REVISION] = "UPDATE revision SET value = ? WHERE id = 1",
	/* The catalogue is seeded by migration 5; the demo sets the organisation's choices. */
	[ST_SUPPLIER] = "INSERT INTO suppliers (id, connector, name, access_granted) VALUES (?, ?, ?, ?)"
					" ON CONFLICT (id) DO UPDATE SET connector = excluded.connector,"
					" name = excluded.name, access_granted = excluded.access_granted",
	[ST_DEVICE_TYPE] = "INSERT INTO device_types (id, name, product_code, supplier_id, in_use,"
					   " ordering, rev) VALUES (?, ?, ?, ?, ?, ?, ?)"
					   " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
					   " product_code = excluded.product_code, supplier_id = excluded.supplier_id,"
					   " in_use = excluded.in_use, ordering = excluded.ordering, rev = excluded.rev",
	[ST_HOME_ADDRESS] = "SELECT id, street, house_number, house_number_ext, postcode, city"
						" FROM client_addresses WHERE client_id = ? AND active = 1"
						" ORDER BY id LIMIT 1",
	[ST_ORDER] = "INSERT INTO hct_orders (id, uuid, client_id, device_type_id, supplier_id,"
				 " status, created_at, updated_at, fetched_at, accepted_at, declined_at,"
				 " completed_at, delivery_type, address_id, street, house_number,"
				 " house_number_ext, postcode, city, orderer_staff_id, orderer_name, team_id,"
				 " team_name, orderer_email, orderer_phone, order_number, supplier_note,"
				 " tracking_url, device_identification_number, rev)"
				 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
				 " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
	[ST_REGISTRATION] = "INSERT INTO hct_registrations (id, client_id, device_type_id, serial,"
						" start_date, end_date, order_id, rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
};

/* The home-care technology catalogue (docs/hct-api.md): suppliers, whose connector is the
 * CN prefix of their client certificate, and device types with the organisation's settings.
 * Dosell and Nedap Luna have their connection ready (access granted, ordering on). */
struct supplier_def {
	const char *connector;
	const char *name;
	bool access;
};

static const struct supplier_def supplier_defs[] = {
	{"dosell", "Dosell", true},
	{"nedap_luna", "Nedap Luna", true},
	{"medido", "Medido (Innospense)", false},
	{"compaan", "Compaan", false},
};
#define SUPPLIER_COUNT ((int)(sizeof supplier_defs / sizeof supplier_defs[0]))

struct device_type_def {
	const char *name;
	const char *product_code;
	int supplier; /* supplier id (1-based index into supplier_defs), 0 for unknown */
	bool in_use, ordering;
};

enum { DT_DOSELL = 1, DT_LUNA, DT_MEDIDO, DT_COMPAAN, DT_TESSA, DT_SENSARA, DT_SPENCER };
static const struct device_type_def device_type_defs[] = {
	[DT_DOSELL - 1] = {"Dosell", "DOSELL-01", 1, true, true},
	[DT_LUNA - 1] = {"Nedap Luna", "LUNA-01", 2, true, true},
	[DT_MEDIDO - 1] = {"Medido", "MEDIDO-01", 3, true, false},
	[DT_COMPAAN - 1] = {"Compaan", "COMPAAN-01", 4, true, false},
	[DT_TESSA - 1] = {"Tessa", "TESSA-01", 0, true, false},
	[DT_SENSARA - 1] = {"Sensara", "SENSARA-01", 0, true, false},
	[DT_SPENCER - 1] = {"Spencer", "SPENCER-01", 0, false, false},
};
#define DEVICE_TYPE_COUNT ((int)(sizeof device_type_defs / sizeof device_type_defs[0]))

/* The demo orders' orderer: the coordinator (staff 3) for team Wijkteam Assen Centrum. */
#define DEMO_ORDERER 3
#define DEMO_ORDERER_TEAM TEAM_ASSEN_CENTRUM

/* One demo order. client: 0 for client 1 (José), k > 0 for the k-th other Regio Noord
 * client. Times are fixed RFC 3339 strings (NULL: not set) so the demo is the same on
 * every run. manual: delivered to an alternative address instead of the client's home. */
struct order_def {
	int client;
	int device_type;
	const char *status;
	const char *created, *fetched, *accepted, *declined, *completed;
	bool manual;
	const char *order_number, *supplier_note, *tracking_url, *device_id;
	/* For a COMPLETED order: the registration that completed it. */
	const char *reg_start;
};

static const struct order_def order_defs[] = {
	{0, DT_DOSELL, "OPEN", "2026-11-16T09:12:00Z", NULL, NULL, NULL, NULL, false, NULL, NULL,
	 NULL, NULL, NULL},
	{1, DT_DOSELL, "DECLINED", "2026-11-02T10:04:00Z", "2026-11-02T10:30:00Z", NULL,
	 "2026-11-03T08:15:00Z", NULL, false, NULL, "Niet leverbaar in dit postcodegebied", NULL,
	 NULL, NULL},
	{2, DT_LUNA, "ACCEPTED", "2026-11-09T13:40:00Z", "2026-11-09T14:05:00Z",
	 "2026-11-10T09:00:00Z", NULL, NULL, true, "NL-2026-004417",
	 "Levering vrijdag tussen 9 en 13 uur; installatie door onze monteur",
	 "https://track.example.nl/zending/NL-2026-004417", "LUNA-000123", NULL},
	{3, DT_LUNA, "COMPLETED", "2026-10-12T11:20:00Z", "2026-10-12T11:45:00Z",
	 "2026-10-13T08:30:00Z", NULL, "2026-10-20T14:00:00Z", false, "NL-2026-003981", NULL,
	 "https://track.example.nl/zending/NL-2026-003981", "LUNA-000087", "2026-10-20"},
	{4, DT_DOSELL, "DECLINED", "2026-11-12T15:10:00Z", "2026-11-12T15:30:00Z", NULL,
	 "2026-11-13T09:45:00Z", NULL, false, NULL, "Niet leverbaar in dit postcodegebied", NULL,
	 NULL, NULL},
};
#define ORDER_COUNT ((int)(sizeof order_defs / sizeof order_defs[0]))

/* Registrations without an order: client as in order_def. */
struct registration_def {
	int client;
	int device_type;
	const char *serial, *start, *end;
};

static const struct registration_def registration_defs[] = {
	{0, DT_MEDIDO, "MED-2231-0457", "2025-09-01", NULL},
	{5, DT_TESSA, "TS 40-118", "2024-03-01", "2025-06-30"},
	{5, DT_SENSARA, "SNS-88.1027", "2025-07-01", NULL},
};
#define REGISTRATION_COUNT ((int)(sizeof registration_defs / sizeof registration_defs[0]))
/* How many other Regio Noord clients the demo HCT data uses. */
#define DEMO_NOORD 5

/* Tables that must be empty before demo data goes in. */
static const char *const empty_tables[] = {"staff", "clients", "organisation", "locations",
										   "teams", "hct_orders", "hct_registrations"};

/* Generator state: the connection, PRNG, revision counter, statements and first error. */
struct gen {
	sqlite3 *h;
	uint64_t rng;
	int64_t rev;
	uint64_t bsn_k;
	uint64_t bsn_base;
	bool bind_failed;
	char *err;
	sqlite3_stmt *st[ST_COUNT];
	char *first_slug[FIRST_COUNT];
	char *family_slug[FAMILY_COUNT];
	/* The first Regio Noord clients after client 1, for the demo HCT data. */
	int64_t noord[DEMO_NOORD];
	int nnoord;
};

/* Record the first error message on g and return -1. */
__attribute__((format(printf, 2, 3))) static int fail(struct gen *g, const char *fmt, ...)
{
	if (!g->err) {
		va_list ap;
		va_start(ap, fmt);
		g->err = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Next 64 random bits from the splitmix64 generator. */
static uint64_t rng_next(struct gen *g)
{
	uint64_t z = (g->rng += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A random integer in [0, n) for 0 < n < 2^32. */
static int rng_below(struct gen *g, uint32_t n)
{
	return (int)(((rng_next(g) >> 32) * (uint64_t)n) >> 32);
}

/* A random integer in [lo, hi]. */
static int rng_range(struct gen *g, int lo, int hi)
{
	return lo + rng_below(g, (uint32_t)(hi - lo + 1));
}

/* True with the given percentage chance. */
static bool rng_chance(struct gen *g, int percent)
{
	return rng_below(g, 100) < percent;
}

/* Take the next revision number. */
static int64_t next_rev(struct gen *g)
{
	return ++g->rev;
}

/* Bind text (NULL binds SQL NULL) to parameter i, remembering a failure. */
static void bind_text(struct gen *g, sqlite3_stmt *st, int i, const char *s)
{
	int rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
	if (rc != SQLITE_OK)
		g->bind_failed = true;
}

/* Bind an integer to parameter i, remembering a failure. */
static void bind_int(struct gen *g, sqlite3_stmt *st, int i, int64_t v)
{
	if (sqlite3_bind_int64(st, i, (sqlite3_int64)v) != SQLITE_OK)
		g->bind_failed = true;
}

/* Execute a bound statement that returns no rows and reset it; what names it in errors. */
static int run(struct gen *g, enum gen_stmt which, const char *what)
{
	sqlite3_stmt *st = g->st[which];
	if (g->bind_failed) {
		sqlite3_reset(st);
		return fail(g, "cannot bind values for %s: %s", what, sqlite3_errmsg(g->h));
	}
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		fail(g, "cannot write %s: %s", what, sqlite3_errmsg(g->h));
		sqlite3_reset(st);
		return -1;
	}
	if (sqlite3_reset(st) != SQLITE_OK)
		return fail(g, "cannot reset statement for %s: %s", what, sqlite3_errmsg(g->h));
	return 0;
}

/* Run a statement without parameters and results; 0 on success. */
static int exec_sql(struct gen *g, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(g->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail(g, "%s failed: %s", sql, msg ? msg : sqlite3_errmsg(g->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Read a single integer from a query without parameters into *out. */
static int query_int(struct gen *g, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(g->h, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(g, "cannot prepare \"%s\": %s", sql, sqlite3_errmsg(g->h));
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		fail(g, "\"%s\" returned no row: %s", sql, sqlite3_errmsg(g->h));
		sqlite3_finalize(st);
		return -1;
	}
	*out = (int64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Refuse unless every table the demo fills is still empty. */
static int check_empty(struct gen *g)
{
	for (size_t i = 0; i < sizeof empty_tables / sizeof empty_tables[0]; i++) {
		char *sql = xasprintf("SELECT EXISTS (SELECT 1 FROM %s)", empty_tables[i]);
		int64_t has = 0;
		int rc = query_int(g, sql, &has);
		free(sql);
		if (rc != 0)
			return -1;
		if (has)
			return fail(g, "the database is not empty: table %s already has rows; demo data "
						   "can only be created in a new database",
						empty_tables[i]);
	}
	return 0;
}

/* Fold s for searching and keep only ASCII letters and digits, for e-mail local parts.
 * Caller frees. */
static char *ascii_slug(const char *s)
{
	char *f = text_fold(s);
	size_t n = 0;
	for (const char *p = f; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			f[n++] = *p;
	f[n] = '\0';
	return f;
}

/* Fold s for searching and join its words with hyphens, for team e-mail addresses.
 * Caller frees. */
static char *hyphen_slug(const char *s)
{
	char *f = text_fold(s);
	for (char *p = f; *p; p++)
		if (*p == ' ')
			*p = '-';
	return f;
}

/* Precompute the ASCII e-mail forms of every first and family name. */
static void make_slugs(struct gen *g)
{
	for (int i = 0; i < FIRST_COUNT; i++)
		g->first_slug[i] = ascii_slug(first_names[i]);
	for (int i = 0; i < FAMILY_COUNT; i++) {
		const struct family_def *f = &family_names[i];
		if (f->ascii) {
			g->family_slug[i] = xasprintf("%s", f->ascii);
		} else {
			char *full = xasprintf("%s %s", f->prefix, f->last);
			g->family_slug[i] = ascii_slug(full);
			free(full);
		}
	}
}

/* Prepare every statement the generator uses. */
static int prepare_all(struct gen *g)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v2(g->h, stmt_sql[i], -1, &g->st[i], NULL) != SQLITE_OK)
			return fail(g, "cannot prepare \"%s\": %s", stmt_sql[i], sqlite3_errmsg(g->h));
	return 0;
}

/* Finalize the statements and free the name slugs. */
static void gen_free(struct gen *g)
{
	for (int i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(g->st[i]);
		g->st[i] = NULL;
	}
	for (int i = 0; i < FIRST_COUNT; i++)
		XFREE(&g->first_slug[i]);
	for (int i = 0; i < FAMILY_COUNT; i++)
		XFREE(&g->family_slug[i]);
}

/* Insert one location with a fresh revision. */
static int insert_location(struct gen *g, int id, int parent, const char *name, const char *kind)
{
	sqlite3_stmt *st = g->st[ST_LOCATION];
	bind_int(g, st, 1, id);
	if (parent)
		bind_int(g, st, 2, parent);
	else
		bind_text(g, st, 2, NULL);
	bind_text(g, st, 3, name);
	bind_text(g, st, 4, kind);
	bind_int(g, st, 5, next_rev(g));
	return run(g, ST_LOCATION, "a location");
}

/* Insert one row of the location closure table. */
static int insert_closure(struct gen *g, int ancestor, int descendant, int depth)
{
	sqlite3_stmt *st = g->st[ST_CLOSURE];
	bind_int(g, st, 1, ancestor);
	bind_int(g, st, 2, descendant);
	bind_int(g, st, 3, depth);
	return run(g, ST_CLOSURE, "the location closure");
}

/* Insert the organisation, the location tree with its closure, and one team per team-level
 * location. */
static int insert_organisation(struct gen *g)
{
	sqlite3_stmt *st = g->st[ST_ORG];
	bind_text(g, st, 1, organisation_name);
	bind_int(g, st, 2, next_rev(g));
	if (run(g, ST_ORG, "the organisation") != 0)
		return -1;
	if (insert_location(g, LOC_ROOT, 0, organisation_name, "organisation") != 0 ||
		insert_closure(g, LOC_ROOT, LOC_ROOT, 0) != 0)
		return -1;
	for (int r = 0; r < REGION_COUNT; r++)
		if (insert_location(g, LOC_REGION(r), LOC_ROOT, region_names[r], "region") != 0 ||
			insert_closure(g, LOC_REGION(r), LOC_REGION(r), 0) != 0 ||
			insert_closure(g, LOC_ROOT, LOC_REGION(r), 1) != 0)
			return -1;
	for (int t = 0; t < TEAM_COUNT; t++) {
		int loc = LOC_TEAM(t), region = LOC_REGION(team_defs[t].region);
		if (insert_location(g, loc, region, team_defs[t].name, "team") != 0 ||
			insert_closure(g, loc, loc, 0) != 0 || insert_closure(g, region, loc, 1) != 0 ||
			insert_closure(g, LOC_ROOT, loc, 2) != 0)
			return -1;
	}
	st = g->st[ST_TEAM];
	for (int t = 0; t < TEAM_COUNT; t++) {
		char *slug = hyphen_slug(team_defs[t].name);
		char *email = xasprintf("%s@delinde.example", slug);
		free(slug);
		bind_int(g, st, 1, t + 1);
		bind_int(g, st, 2, LOC_TEAM(t));
		bind_text(g, st, 3, team_defs[t].name);
		bind_text(g, st, 4, email);
		bind_text(g, st, 5, team_defs[t].phone);
		bind_int(g, st, 6, next_rev(g));
		free(email);
		if (run(g, ST_TEAM, "a team") != 0)
			return -1;
	}
	return 0;
}

/* Write a random Dutch mobile number "+316" + eight digits into out. */
static void random_mobile(struct gen *g, char out[24])
{
	snprintf(out, 24, "+316%08u", (unsigned)rng_range(g, 10000000, 99999999) % 100000000u);
}

/* Insert the five demo accounts, each with password "demo", one role and one scope. */
static int insert_staff(struct gen *g)
{
	for (int i = 0; i < STAFF_COUNT; i++) {
		const struct staff_def *d = &staff_defs[i];
		char *hash = auth_hash_password("demo");
		if (!hash)
			return fail(g, "cannot hash the password of demo account %s", d->username);
		char reg[24], phone[24];
		snprintf(reg, sizeof reg, "ZRN-%06d", 100001 + i);
		random_mobile(g, phone);
		sqlite3_stmt *st = g->st[ST_STAFF];
		bind_int(g, st, 1, i + 1);
		bind_text(g, st, 2, d->username);
		bind_text(g, st, 3, d->name);
		bind_text(g, st, 4, reg);
		bind_text(g, st, 5, d->email);
		bind_text(g, st, 6, phone);
		if (d->team >= 0)
			bind_int(g, st, 7, d->team + 1);
		else
			bind_text(g, st, 7, NULL);
		bind_text(g, st, 8, hash);
		bind_int(g, st, 9, next_rev(g));
		free(hash);
		if (run(g, ST_STAFF, "a demo account") != 0)
			return -1;
		bind_int(g, g->st[ST_ROLE], 1, i + 1);
		bind_int(g, g->st[ST_ROLE], 2, d->role_id);
		if (run(g, ST_ROLE, "a staff role") != 0)
			return -1;
		bind_int(g, g->st[ST_SCOPE], 1, i + 1);
		bind_int(g, g->st[ST_SCOPE], 2, d->scope_location);
		if (run(g, ST_SCOPE, "a staff scope") != 0)
			return -1;
	}
	return 0;
}

/* Write the next BSN of the injective prefix sequence into out, skipping prefixes for which
 * no check digit satisfies the 11-check. */
static void next_bsn(struct gen *g, char out[24])
{
	for (;;) {
		uint64_t prefix = (g->bsn_k++ * BSN_STRIDE + g->bsn_base) % BSN_SPACE + 10000000u;
		snprintf(out, 24, "%08llu", (unsigned long long)prefix);
		int sum = 0;
		for (int i = 0; i < 8; i++)
			sum += (9 - i) * (out[i] - '0');
		int check = sum % 11;
		if (check < 10) {
			out[8] = (char)('0' + check);
			out[9] = '\0';
			return;
		}
	}
}

/* True when year is a Gregorian leap year. */
static bool leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Write a random birth date between 1925-01-01 and 1995-12-31 into out as YYYY-MM-DD. */
static void random_birth_date(struct gen *g, char out[24])
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int year = rng_range(g, 1925, 1995), month = rng_range(g, 1, 12);
	int last = days[month - 1] + (month == 2 && leap_year(year));
	int day = rng_range(g, 1, last);
	/* The modulos only tell the compiler the widths; the values are already in range. */
	snprintf(out, 24, "%04u-%02u-%02u", (unsigned)year % 10000u, (unsigned)month % 100u,
			 (unsigned)day % 100u);
}

/* Write a random postcode with digits in [lo, hi] and issued letters into out. */
static void random_postcode(struct gen *g, int lo, int hi, char out[24])
{
	static const char letters[] = "ABCDEGHJKLMNPRSTVWXZ";
	int n = (int)sizeof letters - 1;
	char a, b;
	do {
		a = letters[rng_below(g, (uint32_t)n)];
		b = letters[rng_below(g, (uint32_t)n)];
	} while (a == 'S' && (b == 'A' || b == 'D' || b == 'S'));
	snprintf(out, 24, "%04u %c%c", (unsigned)rng_range(g, lo, hi) % 10000u, a, b);
}

/* Insert one address for client id in or near team t's area. */
static int insert_address(struct gen *g, int64_t id, int t, bool active)
{
	const struct team_def *d = &team_defs[t];
	bool village = rng_chance(g, 20);
	char postcode[24];
	const char *ext = "";
	if (rng_chance(g, 12))
		ext = house_exts[rng_below(g, HOUSE_EXT_COUNT)];
	if (village)
		random_postcode(g, d->vpc_lo, d->vpc_hi, postcode);
	else
		random_postcode(g, d->pc_lo, d->pc_hi, postcode);
	sqlite3_stmt *st = g->st[ST_ADDRESS];
	bind_int(g, st, 1, id);
	bind_text(g, st, 2, streets[rng_below(g, STREET_COUNT)]);
	bind_int(g, st, 3, rng_range(g, 1, 250));
	bind_text(g, st, 4, ext);
	bind_text(g, st, 5, postcode);
	bind_text(g, st, 6, village ? d->village : d->city);
	bind_int(g, st, 7, active ? 1 : 0);
	return run(g, ST_ADDRESS, "a client address");
}

/* Insert one contact method for client id. */
static int insert_contact(struct gen *g, int64_t id, const char *kind, const char *value,
						  bool confirmed)
{
	sqlite3_stmt *st = g->st[ST_CONTACT];
	bind_int(g, st, 1, id);
	bind_text(g, st, 2, kind);
	bind_text(g, st, 3, value);
	bind_int(g, st, 4, confirmed ? 1 : 0);
	return run(g, ST_CONTACT, "a client contact method");
}

/* Insert the e-mail address and/or mobile number of client id, with first and family name
 * indexes fi and li and birth year year. */
static int insert_contacts(struct gen *g, int64_t id, int fi, int li, int year)
{
	int kinds = rng_below(g, 100);
	bool email = kinds < 75, mobile = kinds >= 45 && kinds < 95;
	if (email) {
		const char *first = g->first_slug[fi], *family = g->family_slug[li];
		const char *domain = mail_domains[rng_below(g, MAIL_DOMAIN_COUNT)];
		char addr[160];
		int style = rng_below(g, 10);
		if (style < 6)
			snprintf(addr, sizeof addr, "%s.%s@%s", first, family, domain);
		else if (style < 8)
			snprintf(addr, sizeof addr, "%c.%s@%s", first[0], family, domain);
		else
			snprintf(addr, sizeof addr, "%s.%s%02d@%s", first, family, year % 100, domain);
		if (insert_contact(g, id, "email", addr, rng_chance(g, 60)) != 0)
			return -1;
	}
	if (mobile) {
		char phone[24];
		random_mobile(g, phone);
		if (insert_contact(g, id, "mobile", phone, rng_chance(g, 70)) != 0)
			return -1;
	}
	return 0;
}

/* Insert client number i (1-based) with its addresses and contact methods. */
static int insert_client(struct gen *g, int i)
{
	int fi = rng_below(g, FIRST_COUNT), li = rng_below(g, FAMILY_COUNT);
	int t = rng_below(g, TEAM_COUNT);
	if (i == 1) {
		/* A fixed, searchable client in Regio Noord that tests can rely on. */
		fi = 0;
		li = 0;
		t = TEAM_ASSEN_CENTRUM;
	}
	const struct family_def *f = &family_names[li];
	char name[192], number[24], birth[24], bsn[24];
	if (f->prefix[0])
		snprintf(name, sizeof name, "%s %s %s", first_names[fi], f->prefix, f->last);
	else
		snprintf(name, sizeof name, "%s %s", first_names[fi], f->last);
	snprintf(number, sizeof number, "C%06d", i);
	random_birth_date(g, birth);
	next_bsn(g, bsn);
	char *search = text_fold(name);
	sqlite3_stmt *st = g->st[ST_CLIENT];
	bind_int(g, st, 1, i);
	bind_text(g, st, 2, number);
	bind_text(g, st, 3, name);
	bind_text(g, st, 4, search);
	bind_text(g, st, 5, birth);
	bind_text(g, st, 6, bsn);
	bind_int(g, st, 7, LOC_TEAM(t));
	bind_int(g, st, 8, next_rev(g));
	free(search);
	if (run(g, ST_CLIENT, "a client") != 0)
		return -1;
	if (i > 1 && team_defs[t].region == REGION_NOORD && g->nnoord < DEMO_NOORD)
		g->noord[g->nnoord++] = i;
	if (insert_address(g, i, t, true) != 0)
		return -1;
	if (rng_chance(g, 8) && insert_address(g, i, t, true) != 0)
		return -1;
	if (rng_chance(g, 30) && insert_address(g, i, rng_below(g, TEAM_COUNT), false) != 0)
		return -1;
	return insert_contacts(g, i, fi, li, atoi(birth));
}

/* The demo client of a catalogue row: 0 is client 1, k > 0 the k-th other Regio Noord
 * client; 0 when there are not that many clients. */
static int64_t demo_client(const struct gen *g, int k)
{
	if (k == 0)
		return 1;
	return k <= g->nnoord ? g->noord[k - 1] : 0;
}

/* Bind an RFC 3339 time as Unix seconds (NULL binds SQL NULL). */
static void bind_time(struct gen *g, sqlite3_stmt *st, int i, const char *t)
{
	int64_t v;
	if (!t)
		bind_text(g, st, i, NULL);
	else if (jx_parse_time(t, &v))
		bind_int(g, st, i, v);
	else
		g->bind_failed = true;
}

/* Write a version 4 UUID from the generator into out. */
static void demo_uuid(struct gen *g, char out[37])
{
	uint64_t a = rng_next(g), b = rng_next(g);
	a = (a & ~UINT64_C(0xf000)) | UINT64_C(0x4000);
	b = (b & ~(UINT64_C(3) << 62)) | (UINT64_C(2) << 62);
	snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(a >> 32),
			 (unsigned)((a >> 16) & 0xffff), (unsigned)(a & 0xffff), (unsigned)(b >> 48),
			 (unsigned long long)(b & UINT64_C(0xffffffffffff)));
}

/* Bind the delivery address of demo order d (parameters 13-19 of ST_ORDER): the client's
 * active home address, or the alternative one of a manual order. 0, or -1 (failed). */
static int bind_delivery(struct gen *g, sqlite3_stmt *st, const struct order_def *d,
						 int64_t client)
{
	if (d->manual) {
		/* An alternative address: the daughter's, where the device is installed first. */
		bind_text(g, st, 13, "MANUAL");
		bind_text(g, st, 14, NULL);
		bind_text(g, st, 15, "Hooiweg");
		bind_int(g, st, 16, 14);
		bind_text(g, st, 17, "B");
		bind_text(g, st, 18, "9407 KD");
		bind_text(g, st, 19, "Assen");
		return 0;
	}
	sqlite3_stmt *a = g->st[ST_HOME_ADDRESS];
	bind_int(g, a, 1, client);
	if (sqlite3_step(a) != SQLITE_ROW) {
		sqlite3_reset(a);
		return fail(g, "demo client %lld has no active address", (long long)client);
	}
	bind_text(g, st, 13, "CLIENT_HOME");
	bind_int(g, st, 14, sqlite3_column_int64(a, 0));
	bind_text(g, st, 15, (const char *)sqlite3_column_text(a, 1)); /* copied: transient */
	bind_int(g, st, 16, sqlite3_column_int64(a, 2));
	for (int i = 3; i <= 5; i++) /* extension, postcode, city */
		bind_text(g, st, 14 + i, (const char *)sqlite3_column_text(a, i));
	sqlite3_reset(a);
	return 0;
}

/* Insert the registration that completed demo order id (d->reg_start set). */
static int insert_registration(struct gen *g, int id, const struct order_def *d, int64_t client,
							   int *reg_id)
{
	sqlite3_stmt *st = g->st[ST_REGISTRATION];
	bind_int(g, st, 1, ++*reg_id);
	bind_int(g, st, 2, client);
	bind_int(g, st, 3, d->device_type);
	bind_text(g, st, 4, d->device_id);
	bind_text(g, st, 5, d->reg_start);
	bind_text(g, st, 6, NULL);
	bind_int(g, st, 7, id);
	bind_int(g, st, 8, next_rev(g));
	return run(g, ST_REGISTRATION, "a demo registration");
}

/* Insert one demo order (with its registration when it is COMPLETED); id is its id. */
static int insert_order(struct gen *g, int id, const struct order_def *d, int64_t client,
						int *reg_id)
{
	const struct device_type_def *dt = &device_type_defs[d->device_type - 1];
	const struct team_def *team = &team_defs[DEMO_ORDERER_TEAM];
	sqlite3_stmt *st = g->st[ST_ORDER];
	if (bind_delivery(g, st, d, client) != 0)
		return -1;
	char uuid[37];
	demo_uuid(g, uuid);
	char *slug = hyphen_slug(team->name);
	char *email = xasprintf("%s@delinde.example", slug);
	free(slug);
	const char *updated = d->completed ? d->completed
					   : d->accepted  ? d->accepted
					   : d->declined  ? d->declined
									  : d->created;
	bind_int(g, st, 1, id);
	bind_text(g, st, 2, uuid);
	bind_int(g, st, 3, client);
	bind_int(g, st, 4, d->device_type);
	bind_int(g, st, 5, dt->supplier);
	bind_text(g, st, 6, d->status);
	bind_time(g, st, 7, d->created);
	bind_time(g, st, 8, updated);
	bind_time(g, st, 9, d->fetched);
	bind_time(g, st, 10, d->accepted);
	bind_time(g, st, 11, d->declined);
	bind_time(g, st, 12, d->completed);
	bind_int(g, st, 20, DEMO_ORDERER);
	bind_text(g, st, 21, staff_defs[DEMO_ORDERER - 1].name);
	bind_int(g, st, 22, DEMO_ORDERER_TEAM + 1);
	bind_text(g, st, 23, team->name);
	bind_text(g, st, 24, email);
	bind_text(g, st, 25, team->phone);
	bind_text(g, st, 26, d->order_number);
	bind_text(g, st, 27, d->supplier_note);
	bind_text(g, st, 28, d->tracking_url);
	bind_text(g, st, 29, d->device_id);
	bind_int(g, st, 30, next_rev(g));
	free(email);
	if (run(g, ST_ORDER, "a demo order") != 0)
		return -1;
	return d->reg_start ? insert_registration(g, id, d, client, reg_id) : 0;
}

/* Insert the HCT catalogue and the demo cards: registrations and orders in every state. */
static int insert_hct(struct gen *g)
{
	for (int i = 0; i < SUPPLIER_COUNT; i++) {
		sqlite3_stmt *st = g->st[ST_SUPPLIER];
		bind_int(g, st, 1, i + 1);
		bind_text(g, st, 2, supplier_defs[i].connector);
		bind_text(g, st, 3, supplier_defs[i].name);
		bind_int(g, st, 4, supplier_defs[i].access);
		if (run(g, ST_SUPPLIER, "a supplier") != 0)
			return -1;
	}
	for (int i = 0; i < DEVICE_TYPE_COUNT; i++) {
		const struct device_type_def *d = &device_type_defs[i];
		sqlite3_stmt *st = g->st[ST_DEVICE_TYPE];
		bind_int(g, st, 1, i + 1);
		bind_text(g, st, 2, d->name);
		bind_text(g, st, 3, d->product_code);
		if (d->supplier)
			bind_int(g, st, 4, d->supplier);
		else
			bind_text(g, st, 4, NULL);
		bind_int(g, st, 5, d->in_use);
		bind_int(g, st, 6, d->ordering);
		bind_int(g, st, 7, next_rev(g));
		if (run(g, ST_DEVICE_TYPE, "a device type") != 0)
			return -1;
	}
	int order_id = 0, reg_id = 0;
	for (int i = 0; i < ORDER_COUNT; i++) {
		int64_t client = demo_client(g, order_defs[i].client);
		if (client && insert_order(g, ++order_id, &order_defs[i], client, &reg_id) != 0)
			return -1;
	}
	for (int i = 0; i < REGISTRATION_COUNT; i++) {
		const struct registration_def *d = &registration_defs[i];
		int64_t client = demo_client(g, d->client);
		if (!client)
			continue;
		sqlite3_stmt *st = g->st[ST_REGISTRATION];
		bind_int(g, st, 1, ++reg_id);
		bind_int(g, st, 2, client);
		bind_int(g, st, 3, d->device_type);
		bind_text(g, st, 4, d->serial);
		bind_text(g, st, 5, d->start);
		bind_text(g, st, 6, d->end);
		bind_text(g, st, 7, NULL);
		bind_int(g, st, 8, next_rev(g));
		if (run(g, ST_REGISTRATION, "a demo registration") != 0)
			return -1;
	}
	return 0;
}

/* Generate everything inside the already open transaction. */
static int generate(struct gen *g, int clients)
{
	if (check_empty(g) != 0 || query_int(g, "SELECT value FROM revision WHERE id = 1", &g->rev))
		return -1;
	if (prepare_all(g) != 0 || insert_organisation(g) != 0 || insert_staff(g) != 0)
		return -1;
	for (int i = 1; i <= clients; i++)
		if (insert_client(g, i) != 0)
			return -1;
	if (insert_hct(g) != 0)
		return -1;
	bind_int(g, g->st[ST_REVISION], 1, g->rev);
	return run(g, ST_REVISION, "the revision");
}

int demo_create(struct db *db, int clients, uint64_t seed, char **err)
{
	sqlite3 *h = store_sqlite_handle(db);
	if (!h) {
		*err = xasprintf("demo data can be created in an SQLite store only; create it there "
						 "and import it");
		return -1;
	}
	if (clients < 1 || clients > DEMO_MAX_CLIENTS) {
		*err = xasprintf("the number of demo clients must be between 1 and %d, not %d",
						 DEMO_MAX_CLIENTS, clients);
		return -1;
	}
	struct gen g = {.h = h, .rng = seed};
	g.bsn_base = rng_next(&g) % BSN_SPACE;
	make_slugs(&g);
	if (exec_sql(&g, "BEGIN IMMEDIATE") != 0) {
		gen_free(&g);
		*err = g.err;
		return -1;
	}
	int rc = generate(&g, clients);
	gen_free(&g);
	if (rc == 0)
		rc = exec_sql(&g, "COMMIT");
	if (rc != 0) {
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		*err = g.err;
		return -1;
	}
	return 0;
}
