/* A direct-mapped cache of encoded feed objects (see feed_cache.h): a fixed array of
 * slots, one lock per stripe of slots; a new entry replaces the one in its slot. The
 * bound is the slot count (65,536 objects, about 14 MiB for client items). */
#include "feed_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 65536u
#define STRIPES 64u

struct slot {
	int64_t id, rev;
	int type;
	char *text; /* owned; NULL: empty */
	size_t len;
};

static struct slot slots[SLOTS];
static pthread_mutex_t stripes[STRIPES] = {
#define L4 PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, \
		   PTHREAD_MUTEX_INITIALIZER
#define L16 L4, L4, L4, L4
	L16, L16, L16, L16
#undef L16
#undef L4
};

/* The slot of (type, id): ids of one type are dense, so they spread by themselves. */
static size_t slot_of(int type, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15u ^ (uint64_t)type * 0xC2B2AE3D27D4EB4Fu;
	return (size_t)(h >> 40) % SLOTS;
}

bool feed_cache_get(int type, int64_t id, int64_t rev, struct buf *out)
{
	size_t i = slot_of(type, id);
	pthread_mutex_t *m = &stripes[i % STRIPES];
	pthread_mutex_lock(m);
	struct slot *s = &slots[i];
	bool hit = s->text && s->id == id && s->rev == rev && s->type == type;
	if (hit)
		buf_append(out, s->text, s->len);
	pthread_mutex_unlock(m);
	return hit;
}

void feed_cache_put(int type, int64_t id, int64_t rev, const char *text, size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return; /* a cache: nothing is lost */
	memcpy(copy, text, len);
	copy[len] = '\0';
	size_t i = slot_of(type, id);
	pthread_mutex_t *m = &stripes[i % STRIPES];
	pthread_mutex_lock(m);
	struct slot *s = &slots[i];
	char *old = s->text;
	*s = (struct slot){id, rev, type, copy, len};
	pthread_mutex_unlock(m);
	free(old);
}

void feed_cache_clear(void)
{
	for (size_t i = 0; i < SLOTS; i++) {
		pthread_mutex_t *m = &stripes[i % STRIPES];
		pthread_mutex_lock(m);
		free(slots[i].text);
		slots[i] = (struct slot){0};
		pthread_mutex_unlock(m);
	}
}
