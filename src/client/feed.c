/* The feed-type table. */
#include "client/feed.h"

#include <string.h>

static const struct feed_type types[] = {
#define ZT_FEED_ROW(t, wire, table, visible, ev) {t, wire, table, visible, ev},
	ZT_FEED_TYPES(ZT_FEED_ROW)
#undef ZT_FEED_ROW
};
#define NTYPES (sizeof types / sizeof types[0])

const struct feed_type *feed_type_of(enum m_type t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].type == t)
			return &types[i];
	return NULL;
}

const struct feed_type *feed_type_by_wire(const char *wire)
{
	for (size_t i = 0; wire && i < NTYPES; i++)
		if (strcmp(types[i].wire, wire) == 0)
			return &types[i];
	return NULL;
}

const struct feed_type *feed_type_at(size_t i)
{
	return i < NTYPES ? &types[i] : NULL;
}

size_t feed_type_count(void)
{
	return NTYPES;
}
