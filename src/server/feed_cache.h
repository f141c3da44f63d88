/* The text of feed objects, encoded once: a bounded process cache of the JSON of a
 * change item ({"type", "id", "rev", "deleted": false, "data"}) keyed by (type, id, rev). A revision names one version of one object, so
 * the text for a key never changes; only types whose encoding reads nothing but their own
 * row use it (feed_type.encode_once). */
#ifndef ZT_SERVER_FEED_CACHE_H
#define ZT_SERVER_FEED_CACHE_H

#include "common/alloc.h"

#include <stdbool.h>
#include <stdint.h>

/* Append the cached text of (type, id, rev) to out and return true; false when absent. */
bool feed_cache_get(int type, int64_t id, int64_t rev, struct buf *out);
/* Remember text (len bytes, copied) for (type, id, rev), replacing what shared its slot. */
void feed_cache_put(int type, int64_t id, int64_t rev, const char *text, size_t len);
/* Forget everything (tests; and at exit, so that leak checkers stay quiet). */
void feed_cache_clear(void);

#endif
