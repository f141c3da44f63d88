/* The server's feed types in one table: for every object type of GET /api/v1/changes (and
 * of GET /api/v1/visible), its wire name, the task that shows it, its page and visible
 * queries in the store, its encoder and how reading it is audited. Adding a type to the
 * feed is one row here (and its queries in store/q_changes.c). */
#ifndef ZT_SERVER_FEED_TYPES_H
#define ZT_SERVER_FEED_TYPES_H

#include "common/tasks.h"
#include "store/q_changes.h"

#include <cjson/cJSON.h>
#include <stddef.h>

struct feed_type {
	const char *wire;               /* "type" of a change item */
	enum task_id task;              /* needed to see this type (AUTHZ_ANY_STAFF: none) */
	q_feed_page_fn page;            /* changes after a revision */
	cJSON *(*encode)(const void *row); /* the row struct of page -> "data" (caller owns) */
	const char *audit_action;       /* reading the type's objects is audited; NULL: not */
	const char *audit_type;         /* object type of that audit row */
	const char *audit_label;        /* how its detail counts them ("N clients: ...") */
	q_feed_visible_fn visible;      /* ids the caller may see; NULL: not in /visible */
	const char *visible_member;     /* member of /visible ("clients") */
	const char *visible_word;       /* in /visible's audit detail ("clients") */
	bool encode_once; /* encode reads only the type's own row: its text is cached by
					   * (type, id, rev) (feed_cache.h); false when it joins other rows */
};

extern const struct feed_type feed_types[];
extern const size_t feed_type_count;

#endif
