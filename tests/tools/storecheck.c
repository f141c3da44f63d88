/* storecheck: drives zorgd's store (any backend) from the command line, for the tests of
 * several instances on one PostgreSQL (tests/cluster/run.py). Each process is one
 * "instance" with its own pool, listener and feed.
 *
 *   storecheck open TARGET                 open (and so migrate) the store, then exit
 *   storecheck write TARGET N TAG          N writes, each one revision and one new row
 *   storecheck follow TARGET N SECONDS     follow the feed until N rows of the writers
 *                                          were seen (or time ran out); print their names
 *   storecheck wait TARGET SECONDS         print "ready", then the milliseconds until a
 *                                          newer revision is announced ("timeout" if none)
 */
#include "common/alloc.h"
#include "common/log.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

struct write_arg {
	const char *name;
	long i;
};

/* One write: a revision, then a row carrying it; every third write lingers a little
 * between taking its revision and committing, so that without serialised revisions a
 * later revision of the other instance would commit first. */
static int op_insert(struct store_write *w, void *p)
{
	static const char sql[] = "INSERT INTO locations (parent_id, name, kind, rev)"
							  " VALUES (NULL, $1, 'region', $2)";
	struct write_arg *a = p;
	int64_t rev = store_write_rev(w);
	if (rev < 0)
		return STORE_ERROR;
	if (a->i % 3 == 0) {
		struct timespec ts = {0, 2000000};
		nanosleep(&ts, NULL);
	}
	struct stmt *st = db_prep(w->db, sql);
	if (!st)
		return STORE_ERROR;
	stmt_text(st, 1, a->name);
	stmt_int(st, 2, rev);
	return stmt_done(st) ? STORE_OK : STORE_ERROR;
}

static int cmd_write(struct store *s, long n, const char *tag)
{
	struct actor who = {.type = "worker", .id = "storecheck"};
	struct db *db = store_acquire(s);
	if (!db)
		return 1;
	long ok = 0;
	for (long i = 0; i < n; i++) {
		char name[96];
		snprintf(name, sizeof name, "%s-%ld", tag, i);
		struct write_arg a = {name, i};
		if (store_write(db, &who, op_insert, &a) == STORE_OK)
			ok++;
		else
			fprintf(stderr, "storecheck: write %s failed\n", name);
	}
	store_release(s, db);
	printf("%ld written\n", ok);
	return ok == n ? 0 : 1;
}

/* One feed page as a reader sees it: rows above since up to the snapshot's revision;
 * returns that revision (the next since) or -1. */
static int64_t follow_page(struct db *db, int64_t since, long *seen)
{
	static const char sql[] = "SELECT name FROM locations WHERE rev > $1 AND rev <= $2"
							  " AND kind = 'region' AND parent_id IS NULL ORDER BY rev";
	if (db_begin(db, false) != 0)
		return -1;
	int64_t cur = db_current_rev(db);
	struct stmt *st = cur >= 0 ? db_prep(db, sql) : NULL;
	if (!st) {
		db_rollback(db);
		return -1;
	}
	stmt_int(st, 1, since);
	stmt_int(st, 2, cur);
	while (stmt_row(st)) {
		const char *name = stmt_col_text(st, 0);
		if (name && strchr(name, '-')) {
			printf("%s\n", name);
			(*seen)++;
		}
	}
	stmt_reset(st);
	db_commit(db);
	return cur;
}

static int cmd_follow(struct store *s, long n, double seconds)
{
	double until = now_ms() + seconds * 1000.0;
	int64_t since = 0;
	long seen = 0;
	while (seen < n && now_ms() < until) {
		struct db *db = store_acquire(s);
		int64_t next = db ? follow_page(db, since, &seen) : -1;
		store_release(s, db);
		if (next < 0)
			return 1;
		if (next == since)
			store_wait(s, since, 200);
		since = next;
	}
	fflush(stdout);
	fprintf(stderr, "storecheck: followed %ld of %ld rows\n", seen, n);
	return 0;
}

static int cmd_wait(struct store *s, double seconds)
{
	struct db *db = store_acquire(s);
	int64_t since = db ? db_current_rev(db) : -1;
	store_release(s, db);
	if (since < 0)
		return 1;
	printf("ready %lld\n", (long long)since);
	fflush(stdout);
	double t0 = now_ms();
	bool woke = store_wait(s, since, (int)(seconds * 1000.0));
	if (woke)
		printf("woken %.0f\n", now_ms() - t0);
	else
		printf("timeout\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: storecheck open|write|follow|wait TARGET ...\n");
		return 2;
	}
	log_setup(stderr, LOG_LVL_WARN);
	char *err = NULL;
	struct store *s = store_open(argv[2], &err);
	if (!s) {
		fprintf(stderr, "storecheck: %s\n", err);
		free(err);
		return 1;
	}
	int rc = 2;
	if (strcmp(argv[1], "open") == 0)
		rc = 0;
	else if (strcmp(argv[1], "write") == 0 && argc == 5)
		rc = cmd_write(s, strtol(argv[3], NULL, 10), argv[4]);
	else if (strcmp(argv[1], "follow") == 0 && argc == 5)
		rc = cmd_follow(s, strtol(argv[3], NULL, 10), strtod(argv[4], NULL));
	else if (strcmp(argv[1], "wait") == 0 && argc == 4)
		rc = cmd_wait(s, strtod(argv[3], NULL));
	store_close(&s);
	return rc;
}
