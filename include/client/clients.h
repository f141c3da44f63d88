/* The in-memory client index the list screen draws from, and filtered views over it
 * (incremental search: case- and diacritics-insensitive, every word must match). */
#ifndef ZT_CLIENT_CLIENTS_H
#define ZT_CLIENT_CLIENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct replica;

/* One client in the index: only what search, sort and the location filter need (24 bytes).
 * Its number and folded name are in the index's text arena ("number\0fold\0" at text:
 * clients_number, clients_fold); the name and birth date the screens show are read from
 * the replica for the rows on screen (clients_names). */
struct client_row {
	int64_t id, location_id;
	uint32_t text; /* offset of the row's strings in the arena; CLIENT_GONE when deleted */
	uint32_t mask; /* characters present in the folded name and the number (see clients.c) */
};
#define CLIENT_GONE UINT32_MAX

/* True when the row was deleted (its slot stays until the id comes back or a reload). */
static inline bool client_gone(const struct client_row *r)
{
	return r->text == CLIENT_GONE;
}

struct client_index {
	struct client_row *rows; /* stable positions, append-only */
	size_t n, cap;
	size_t live;              /* rows not gone */
	char *text;               /* arena of every live row's "number\0fold\0" */
	size_t tlen, tcap, tdead; /* bytes used, allocated, and used by replaced rows */
	uint32_t *order;          /* positions of live rows sorted by (fold, id) */
	size_t norder;
	bool order_dirty;         /* rows were added or changed since the order was made */
	bool order_full;          /* a row sorted before changed or went: sort every row again */
	size_t sorted_n;          /* rows at positions below this are in the order (or gone) */
	uint32_t *hslots; /* id -> position + 1 (open addressing on the id, 0 = empty) */
	size_t hcap;
	uint64_t generation; /* bumped by every change */
	void *loading;       /* the replica's ordered query while the load runs in slices */
	bool sized;          /* the running load has sized the arrays from the replica's count */
	void *names;         /* the replica's query of one client's shown fields, or NULL */
};

/* The fields of one client the screens show, copied out of the replica (clients_names).
 * A name longer than the buffer is cut at a character boundary. */
struct client_names {
	char number[48];
	char name[256];
	char birth[16]; /* YYYY-MM-DD or empty */
};

/* A filtered, ordered list of index positions. */
struct client_view {
	uint32_t *pos;
	size_t n, cap;
	char *query;   /* the folded query this view was built for */
	int64_t *locs; /* sorted allowed location ids, or NULL for every location */
	size_t nlocs;
	uint64_t generation; /* of the index when built */
};

void clients_init(struct client_index *x);
void clients_free(struct client_index *x);
/* Replace the index with every client of the replica; 0 on success. */
int clients_load(struct client_index *x, struct replica *r);
/* Start replacing the index with every client of the replica, read in list order; the
 * rows read so far are a sorted prefix the list can show. Loads up to first rows now.
 * 0 on success. Every change to the index (upsert, remove, load) finishes the load first.
 * The index keeps r for clients_names until clients_free, which must run before r closes.
 * The first clients_load_step sizes the arrays from the replica's count. */
int clients_load_begin(struct client_index *x, struct replica *r, size_t first);
/* Read up to rows more rows of a running load; true while rows remain. */
bool clients_load_step(struct client_index *x, size_t rows);
/* Read every remaining row of a running load (no-op when none runs). */
void clients_load_finish(struct client_index *x);
/* True while a load runs (the index holds only a prefix of the clients). */
bool clients_loading(const struct client_index *x);
/* Insert or update one client. */
void clients_upsert(struct client_index *x, int64_t id, const char *number, const char *name,
					const char *birth, int64_t location_id);
/* Remove one client (unknown ids are ignored). */
void clients_remove(struct client_index *x, int64_t id);
/* Sort the order array if changes made it stale. */
void clients_sort(struct client_index *x);
/* The live row of id, or NULL (points into the index: valid until its next change). */
const struct client_row *clients_get(const struct client_index *x, int64_t id);
/* Number of live clients. */
size_t clients_count(const struct client_index *x);
/* The client number of a live row (points into the index: valid until its next change). */
const char *clients_number(const struct client_index *x, const struct client_row *r);
/* The folded name of a live row (points into the index: valid until its next change). */
const char *clients_fold(const struct client_index *x, const struct client_row *r);
/* Fill out with the number, name and birth date of client id as the replica holds them
 * (the index keeps only what search needs). false, with out empty but for the number when
 * the index has the row, when the index has no replica or the replica lacks the client. */
bool clients_names(const struct client_index *x, int64_t id, struct client_names *out);

void view_init(struct client_view *v);
void view_free(struct client_view *v);
/* (Re)build v for query (raw user text; folded here) and the allowed locations (sorted
 * copy taken; NULL for all). A non-empty query finishes a running load first (search
 * waits for the whole index); an empty one shows the loaded prefix. When only the query grew and nothing else changed, only the
 * previous matches are scanned. Sorts the index first if needed. */
void view_update(struct client_view *v, struct client_index *x, const char *query,
				 const int64_t *locs, size_t nlocs);
/* True when row matches the folded words of query (all must occur in the folded name, or
 * a single word in the client number). Exposed for tests. */
bool clients_match(const struct client_index *x, const struct client_row *row,
				   const char *folded_query);
/* Index in the view of client id, or (size_t)-1. */
size_t view_find(const struct client_view *v, const struct client_index *x, int64_t id);

#endif
