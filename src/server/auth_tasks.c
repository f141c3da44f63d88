/* A small direct-mapped cache of staff task sets (see auth_tasks.h). One slot per staff
 * id modulo SLOTS, one lock; a set lives while the slot or a request holds it. Memory is
 * bounded by the slot count. */
#include "auth_tasks.h"

#include "common/alloc.h"
#include "store/q_session.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 512u

static struct task_set *slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void set_free(struct task_set *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->codes[i]);
	free(t->codes);
	free(t);
}

/* Drop one reference with the lock held; true when the set is to be freed. */
static bool unref_locked(struct task_set *t)
{
	return --t->refs == 0;
}

/* What set_load collects into. */
struct loading {
	struct task_set *t;
	size_t cap;
};

/* Visitor of q_staff_tasks: append a code. */
static void take_code(const char *code, void *ctx)
{
	struct loading *l = ctx;
	if (l->t->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->t->codes = xrealloc(l->t->codes, l->cap * sizeof *l->t->codes);
	}
	l->t->codes[l->t->n++] = xstrdup(code);
}

static int by_code(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read staff_id's tasks from the store: sorted, repeats (a task of two roles) dropped. */
static struct task_set *set_load(struct db *db, int64_t staff_id, int64_t epoch)
{
	struct task_set *t = xcalloc(1, sizeof *t);
	t->staff_id = staff_id;
	t->epoch = epoch; /* what is read below is at least as new as epoch */
	struct loading l = {t, 0};
	if (q_staff_tasks(db, staff_id, take_code, &l) != STORE_OK) {
		set_free(t);
		return NULL;
	}
	if (t->n > 1)
		qsort(t->codes, t->n, sizeof *t->codes, by_code);
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (n && strcmp(t->codes[n - 1], t->codes[i]) == 0)
			free(t->codes[i]);
		else
			t->codes[n++] = t->codes[i];
	}
	t->n = n;
	return t;
}

struct task_set *auth_tasks_get(struct db *db, int64_t staff_id, int64_t epoch)
{
	size_t k = (size_t)((uint64_t)staff_id % SLOTS);
	pthread_mutex_lock(&lock);
	struct task_set *t = slots[k];
	bool fresh = t && t->staff_id == staff_id && t->epoch == epoch;
	if (fresh)
		t->refs++;
	pthread_mutex_unlock(&lock);
	if (fresh)
		return t;
	/* Read outside the lock; two requests may both read, the later one stays. */
	t = set_load(db, staff_id, epoch);
	if (!t)
		return NULL;
	t->refs = 2; /* the caller's and the slot's */
	pthread_mutex_lock(&lock);
	struct task_set *old = slots[k];
	slots[k] = t;
	bool free_old = old && unref_locked(old);
	pthread_mutex_unlock(&lock);
	if (free_old)
		set_free(old);
	return t;
}

void auth_tasks_release(struct task_set *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&lock);
	bool last = unref_locked(t);
	pthread_mutex_unlock(&lock);
	if (last)
		set_free(t);
}
