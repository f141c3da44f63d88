/* GET /api/v1/visible's answer read as id lists, without a JSON tree: a tree costs a
 * 64-byte node an id (6.4 MB at 100,000 clients, the largest block zorgterm held), a list
 * 8 bytes. */
#ifndef ZT_CLIENT_VISIBLE_H
#define ZT_CLIENT_VISIBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VISIBLE_MAX_LISTS 8

/* The ids listed under one key (e.g. "clients"), in the answer's order. */
struct visible_list {
	char key[32];
	int64_t *ids;
	size_t n, cap;
};

struct visible {
	int64_t revision; /* the revision the lists were read at */
	struct visible_list lists[VISIBLE_MAX_LISTS];
	size_t nlists;
};

/* Read body (len bytes, JSON) into out: an object with an integer "revision", a "clients"
 * array and other arrays of ids (other members are skipped, as are array members that are
 * not integers). 0 on success; -1 for anything else (out is then empty). Free with
 * visible_free either way. */
int visible_parse(const char *body, size_t len, struct visible *out);
/* The ids listed under key, or NULL when the answer has no such list (*n = 0). */
const int64_t *visible_ids(const struct visible *v, const char *key, size_t *n);
/* Free the lists of v. */
void visible_free(struct visible *v);

#endif
