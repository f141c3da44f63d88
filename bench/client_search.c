/* bench_search: zorgterm's incremental search per keystroke, against fzf --filter.
 *
 *   bench_search --make-replica ZORGD.DB REPLICA.DB
 *       Read the live locations and clients of a zorgd database and write them into a new
 *       replica through the client core's own code path: change-feed pages of 5,000 changes
 *       (the JSON zorgterm gets from GET /api/v1/changes) applied with replica_apply_page.
 *
 *       The replica also gets Caren facts (issue 9) through the same path: the portal
 *       reachable, every fifth client linked and every fifth (another) invited with 1..42
 *       days left, the rest without history.
 *
 *   bench_search --caren N REPLICA.DB
 *       The Ons Cliënt dashboard from the replica: the counts per status
 *       (view_caren_counts) and the first page of clients by name with their status
 *       (clients_load once, view_caren, view_update, view_caren_status per row). Cold: the
 *       first time in this process, replica just opened (clients_load included); warm: N
 *       more times (what a reload on a feed change costs). Prints on stdout:
 *         clients cold_ms warm_median_ms warm_worst_ms active invited not_linked
 *
 *   bench_search [--reps N] [--fzf NAMES.TXT] REPLICA.DB
 *       Load the index with clients_load, write every client as one line "NUMBER NAME" to
 *       NAMES.TXT, then type each query of a fixed list one character at a time and time each
 *       view_update (CLOCK_MONOTONIC), N rounds. With --fzf, run `fzf --filter PREFIX <
 *       NAMES.TXT > /dev/null` for the same prefixes (one round; process start included, as a
 *       user would run it) and time each run the same way.
 *
 * Details go to stderr; stdout gets one line for bench/client.sh:
 *   clients queries keystrokes zt_median_us zt_worst_us fzf_median_us fzf_worst_us load_ms fzf_empty_us
 * (zt_worst_us: the slowest keystroke, each keystroke's time the median of its rounds)
 * (fzf fields are 0 without --fzf; fzf_empty_us: median fzf run on empty input, i.e. its
 * process start).
 */
#include "client/app.h"
#include "client/clients.h"
#include "client/replica.h"
#include "client/views.h"
#include "common/civil.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* What people type in the search line of a care organisation's client list. */
static const char *const queries[] = {
	"jose", "van den berg", "berg jose", "c00123", "de vr", "nguyen",
	"ijs",  "anaïs",        "smit",      "el am",  "zoë",   "kees ten",
};
#define NQUERIES (sizeof queries / sizeof queries[0])
#define PAGE 5000

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "bench_search: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median (sorts s) and maximum of n samples. */
static void stats(double *s, size_t n, double *median, double *worst)
{
	qsort(s, n, sizeof *s, cmp_double);
	*median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	*worst = s[n - 1];
}

/* Byte length of the prefix of q that holds its first k characters (UTF-8). */
static size_t prefix_len(const char *q, size_t k)
{
	size_t i = 0;
	while (q[i] && k) {
		i++;
		while ((q[i] & 0xC0) == 0x80)
			i++;
		k--;
	}
	return i;
}

static size_t char_count(const char *q)
{
	size_t n = 0;
	for (; *q; q++)
		n += (*q & 0xC0) != 0x80;
	return n;
}

/* ---- --make-replica ---------------------------------------------------------------------- */

static void apply(struct replica *r, cJSON **changes, int64_t next, long *pages, long *clients)
{
	int n = 0;
	if (replica_apply_page(r, *changes, next, (int64_t)time(NULL), &n, NULL) != 0)
		die("%s", "replica_apply_page failed");
	*clients += n;
	(*pages)++;
	cJSON_Delete(*changes);
	*changes = cJSON_CreateArray();
}

static cJSON *change(const char *type, sqlite3_int64 id, sqlite3_int64 rev, cJSON *data)
{
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "type", type);
	cJSON_AddNumberToObject(c, "id", (double)id);
	cJSON_AddNumberToObject(c, "rev", (double)rev);
	cJSON_AddItemToObject(c, "data", data);
	return c;
}

static void text_or_null(cJSON *o, const char *key, sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/* Caren facts for the bench replica (see the top of this file), as feed pages. */
static void caren_facts(sqlite3 *db, struct replica *r, cJSON **changes, sqlite3_int64 *rev,
						long *pages, long *clients)
{
	int64_t today = civil_ams_today((int64_t)time(NULL));
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "id", 1);
	cJSON_AddBoolToObject(p, "enabled", 1);
	cJSON_AddBoolToObject(p, "reachable", 1);
	cJSON_AddItemToArray(*changes, change("caren_portal", 1, ++*rev, p));
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT id FROM clients WHERE deleted = 0 ORDER BY id", -1, &st,
						   NULL) != SQLITE_OK)
		die("%s", sqlite3_errmsg(db));
	long n = 0, before = *clients;
	while (sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		if (id % 5 > 1)
			continue;
		char until[16];
		civil_format_date(today + id % 42, until);
		cJSON *d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "id", (double)id);
		cJSON_AddNumberToObject(d, "client_id", (double)id);
		cJSON_AddBoolToObject(d, "link_active", id % 5 == 0);
		if (id % 5 == 1)
			cJSON_AddStringToObject(d, "invitation_valid_until", until);
		else
			cJSON_AddNullToObject(d, "invitation_valid_until");
		cJSON_AddItemToArray(*changes, change("caren", id, ++*rev, d));
		if (++n % PAGE == 0)
			apply(r, changes, *rev, pages, clients);
	}
	sqlite3_finalize(st);
	if (cJSON_GetArraySize(*changes) > 0)
		apply(r, changes, *rev, pages, clients);
	*clients = before;
	fprintf(stderr, "bench_search: %ld Caren facts\n", n);
}

/* The dashboard once: counts and the first page with statuses; its time in ms. */
static double dashboard(struct app *a, struct client_index *idx, int64_t out[4], size_t *shown)
{
	double t0 = now_us();
	int64_t now = (int64_t)time(NULL), locations;
	struct caren_view cv;
	struct client_view view;
	view_init(&view);
	if (!view_caren(a, &cv))
		die("%s", "view_caren failed");
	view_caren_counts(&cv, idx, now, out, &locations);
	view_update(&view, idx, "", NULL, 0);
	char cell[96];
	*shown = 0;
	for (size_t i = 0; i < view.n && i < 20; i++) {
		struct caren_link_status ls = view_caren_status(&cv, idx->rows[view.pos[i]].id, now);
		caren_status_cell(ls.status, ls.days_left, false, cell, sizeof cell);
		*shown += cell[0] != 0;
	}
	view_free(&view);
	view_caren_free(&cv);
	return (now_us() - t0) / 1000;
}

static int bench_caren(const char *path, int reps)
{
	double t0 = now_us();
	enum replica_rebuild why;
	char *err = NULL;
	struct app a = {0};
	a.rep = replica_open(path, "bench", &why, &err);
	if (!a.rep)
		die("%s", err ? err : "replica_open failed");
	struct client_index idx;
	clients_init(&idx);
	if (clients_load(&idx, a.rep) != 0)
		die("%s", "clients_load failed");
	int64_t c[4];
	size_t shown;
	dashboard(&a, &idx, c, &shown);
	double cold = (now_us() - t0) / 1000; /* open, clients_load and the first dashboard */
	double *warm = calloc((size_t)reps, sizeof *warm), med, worst;
	for (int i = 0; i < reps; i++)
		warm[i] = dashboard(&a, &idx, c, &shown);
	stats(warm, (size_t)reps, &med, &worst);
	if (shown != 20)
		die("the first page showed %zu statuses", shown);
	printf("%zu %.1f %.2f %.2f %lld %lld %lld\n", clients_count(&idx), cold, med, worst,
		   (long long)c[CAREN_ACTIVE], (long long)c[CAREN_INVITED], (long long)c[CAREN_NOT_LINKED]);
	free(warm);
	clients_free(&idx);
	replica_close(&a.rep);
	return 0;
}

static int make_replica(const char *src, const char *dst)
{
	sqlite3 *db;
	if (sqlite3_open_v2(src, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("cannot open %s", src);
	unlink(dst);
	enum replica_rebuild why;
	char *err = NULL;
	struct replica *r = replica_open(dst, "bench", &why, &err);
	if (!r)
		die("%s", err ? err : "replica_open failed");
	cJSON *changes = cJSON_CreateArray();
	long pages = 0, clients = 0;
	int n = 0;
	sqlite3_int64 rev = 0;
	sqlite3_stmt *st;
	/* Locations first (a change feed delivers them before the clients that point to them). */
	if (sqlite3_prepare_v2(db, "SELECT id, parent_id, name, kind, rev FROM locations"
							   " WHERE deleted = 0 ORDER BY rev, id", -1, &st, NULL) != SQLITE_OK)
		die("%s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "id", (double)sqlite3_column_int64(st, 0));
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			cJSON_AddNullToObject(d, "parent_id");
		else
			cJSON_AddNumberToObject(d, "parent_id", (double)sqlite3_column_int64(st, 1));
		text_or_null(d, "name", st, 2);
		text_or_null(d, "kind", st, 3);
		rev = sqlite3_column_int64(st, 4);
		cJSON_AddItemToArray(changes, change("location", sqlite3_column_int64(st, 0), rev, d));
		if (++n % PAGE == 0)
			apply(r, &changes, rev, &pages, &clients);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT id, client_number, name, birth_date, location_id, rev"
							   " FROM clients WHERE deleted = 0 ORDER BY rev, id", -1, &st, NULL) !=
		SQLITE_OK)
		die("%s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddNumberToObject(d, "id", (double)sqlite3_column_int64(st, 0));
		text_or_null(d, "client_number", st, 1);
		text_or_null(d, "name", st, 2);
		text_or_null(d, "birth_date", st, 3);
		cJSON_AddNumberToObject(d, "location_id", (double)sqlite3_column_int64(st, 4));
		if (sqlite3_column_int64(st, 5) > rev)
			rev = sqlite3_column_int64(st, 5);
		cJSON_AddItemToArray(changes, change("client", sqlite3_column_int64(st, 0), rev, d));
		if (++n % PAGE == 0)
			apply(r, &changes, rev, &pages, &clients);
	}
	sqlite3_finalize(st);
	if (cJSON_GetArraySize(changes) > 0)
		apply(r, &changes, rev, &pages, &clients);
	caren_facts(db, r, &changes, &rev, &pages, &clients);
	cJSON_Delete(changes);
	sqlite3_close(db);
	replica_close(&r);
	fprintf(stderr, "bench_search: replica %s: %ld clients in %ld pages of up to %d changes\n", dst,
			clients, pages, PAGE);
	return clients > 0 ? 0 : 1;
}

/* ---- fzf ----------------------------------------------------------------------------------- */

/* Run fzf --filter query < names; stdout to /dev/null, or counted when count is not NULL.
 * Returns the wall time in microseconds. */
static double run_fzf(const char *names, const char *query, long *count)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, names, O_RDONLY, 0);
	int pfd[2] = {-1, -1};
	if (count) {
		if (pipe(pfd) != 0)
			die("pipe: %s", strerror(errno));
		posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
		posix_spawn_file_actions_addclose(&fa, pfd[0]);
		posix_spawn_file_actions_addclose(&fa, pfd[1]);
	} else {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	}
	char *argv[] = {"fzf", "--filter", (char *)query, NULL};
	pid_t pid;
	double t0 = now_us();
	int rc = posix_spawnp(&pid, "fzf", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		die("cannot start fzf: %s", strerror(rc));
	if (count) {
		close(pfd[1]);
		*count = 0;
		char buf[65536];
		ssize_t k;
		while ((k = read(pfd[0], buf, sizeof buf)) > 0)
			for (ssize_t i = 0; i < k; i++)
				*count += buf[i] == '\n';
		close(pfd[0]);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	double t = now_us() - t0;
	/* fzf --filter exits 0 with matches, 1 without; anything else is a failure. */
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		die("fzf --filter '%s' failed", query);
	return t;
}

/* ---- the search benchmark ------------------------------------------------------------------ */

/* The slowest keystroke of one query, each keystroke's time the median of its rounds: t
 * holds reps rounds of k keystrokes. One round preempted on a shared machine is not what
 * the search costs; a keystroke slow in most rounds is. */
static double key_worst(const double *t, size_t k, int reps)
{
	double worst = 0, *one = malloc((size_t)reps * sizeof *one), med, max;
	if (!one)
		die("%s", "out of memory");
	for (size_t i = 0; i < k; i++) {
		for (int rep = 0; rep < reps; rep++)
			one[rep] = t[(size_t)rep * k + i];
		stats(one, (size_t)reps, &med, &max);
		if (med > worst)
			worst = med;
	}
	free(one);
	return worst;
}

/* Load the index from r three times (clients_load runs at every start of zorgterm);
 * returns the median in ms. */
static double load_timed(struct client_index *idx, struct replica *r, const char *path)
{
	double loads[3], load_ms, load_worst;
	for (int i = 0; i < 3; i++) {
		double t0 = now_us();
		if (clients_load(idx, r) != 0)
			die("clients_load failed on %s", path);
		loads[i] = (now_us() - t0) / 1000;
	}
	stats(loads, 3, &load_ms, &load_worst);
	return load_ms;
}

/* Write every client of idx as "NUMBER NAME", in list order, to the file names. */
static void write_names(const struct client_index *idx, const char *names)
{
	FILE *f = fopen(names, "w");
	if (!f)
		die("cannot write %s", names);
	for (size_t i = 0; i < idx->norder; i++) {
		struct client_names nm;
		if (clients_names(idx, idx->rows[idx->order[i]].id, &nm))
			fprintf(f, "%s %s\n", nm.number, nm.name);
	}
	if (fclose(f) != 0)
		die("cannot write %s", names);
}

/* Type query one character at a time, reps rounds, each from the whole list; the time of
 * every view_update goes to t (round by round). Returns how many were stored. */
static size_t time_query(struct client_view *view, struct client_index *idx, const char *query,
						 int reps, double *t)
{
	size_t k = char_count(query), n = 0;
	char prefix[128];
	for (int rep = 0; rep < reps; rep++) {
		view_update(view, idx, "", NULL, 0); /* the search line opens on the whole list */
		for (size_t i = 1; i <= k; i++) {
			size_t len = prefix_len(query, i);
			memcpy(prefix, query, len);
			prefix[len] = '\0';
			double a = now_us();
			view_update(view, idx, prefix, NULL, 0);
			t[n++] = now_us() - a;
		}
	}
	return n;
}

/* Run fzf --filter for each prefix of query (times to fz); median and worst of them, and
 * how many lines fzf finds for the whole query. Returns how many times were stored. */
static size_t time_fzf(const char *names, const char *query, double *fz, double *med,
					   double *worst, long *hits)
{
	size_t k = char_count(query);
	char prefix[128];
	double fq[sizeof prefix];
	for (size_t i = 1; i <= k; i++) {
		size_t len = prefix_len(query, i);
		memcpy(prefix, query, len);
		prefix[len] = '\0';
		fq[i - 1] = fz[i - 1] = run_fzf(names, prefix, NULL);
	}
	stats(fq, k, med, worst);
	run_fzf(names, query, hits); /* untimed: how many lines fzf finds */
	return k;
}

static int bench(const char *path, const char *names, int reps)
{
	enum replica_rebuild why;
	char *err = NULL;
	struct replica *r = replica_open(path, "bench", &why, &err);
	if (!r)
		die("%s", err ? err : "replica_open failed");
	if (why != REPLICA_KEPT)
		die("%s is not a replica made by --make-replica", path);
	struct client_index idx;
	clients_init(&idx);
	double load_ms = load_timed(&idx, r, path);
	size_t nclients = clients_count(&idx);
	if (nclients == 0)
		die("%s holds no clients", path);
	if (names)
		write_names(&idx, names);

	size_t nkeys = 0, nzt = 0, nfz = 0;
	for (size_t q = 0; q < NQUERIES; q++)
		nkeys += char_count(queries[q]);
	double *zt = malloc(nkeys * (size_t)reps * sizeof *zt), *fz = malloc(nkeys * sizeof *fz);
	double worst = 0, raw_worst = 0;
	struct client_view view;
	view_init(&view);
	fprintf(stderr, "bench_search: %zu clients, clients_load %.1f ms (median of 3); %zu queries, %zu keystrokes, "
					"%d rounds\n",
			nclients, load_ms, NQUERIES, nkeys, reps);
	fprintf(stderr, "  %-14s %5s %12s %12s %9s %12s %12s %9s\n", "query", "keys", "zt med us",
			"zt worst us", "zt hits", "fzf med us", "fzf worst us", "fzf hits");
	for (size_t q = 0; q < NQUERIES; q++) {
		size_t k = char_count(queries[q]), nq = time_query(&view, &idx, queries[q], reps, zt + nzt);
		double qworst = key_worst(zt + nzt, k, reps), qmed, qmax; /* before stats sorts them */
		stats(zt + nzt, nq, &qmed, &qmax);
		nzt += nq;
		worst = qworst > worst ? qworst : worst;
		raw_worst = qmax > raw_worst ? qmax : raw_worst;
		double fmed = 0, fworst = 0;
		long fhits = 0;
		if (names)
			nfz += time_fzf(names, queries[q], fz + nfz, &fmed, &fworst, &fhits);
		fprintf(stderr, "  %-*s %5zu %12.0f %12.0f %9zu %12.0f %12.0f %9ld\n",
				14 + (int)(strlen(queries[q]) - char_count(queries[q])), queries[q], k, qmed,
				qworst, view.n, fmed, fworst, fhits);
	}
	double med, ignore_max, fmed = 0, fworst = 0;
	stats(zt, nzt, &med, &ignore_max);
	fprintf(stderr, "bench_search: worst keystroke %.0f us (each keystroke the median of its %d rounds); "
					"slowest single round %.0f us\n",
			worst, reps, raw_worst);
	double fempty = 0;
	if (names) {
		stats(fz, nfz, &fmed, &fworst);
		/* How much of an fzf run is starting the process: the same command on empty input. */
		double e[5], ignore;
		for (int i = 0; i < 5; i++)
			e[i] = run_fzf("/dev/null", queries[0], NULL);
		stats(e, 5, &fempty, &ignore);
	}
	printf("%zu %zu %zu %.1f %.1f %.1f %.1f %.1f %.1f\n", nclients, NQUERIES, nkeys, med, worst,
		   fmed, fworst, load_ms, fempty);
	view_free(&view);
	clients_free(&idx);
	replica_close(&r);
	free(zt);
	free(fz);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--make-replica") == 0)
		return make_replica(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "--caren") == 0 && atoi(argv[2]) > 0)
		return bench_caren(argv[3], atoi(argv[2]));
	const char *names = NULL;
	int reps = 5;
	int i = 1;
	for (; i < argc - 1; i++) {
		if (strcmp(argv[i], "--fzf") == 0 && i + 1 < argc - 1)
			names = argv[++i];
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc - 1)
			reps = atoi(argv[++i]);
		else
			break;
	}
	if (i != argc - 1 || reps < 1) {
		fprintf(stderr, "usage: bench_search --make-replica ZORGD.DB REPLICA.DB\n"
						"       bench_search [--reps N] [--fzf NAMES.TXT] REPLICA.DB\n");
		return 2;
	}
	unsetenv("FZF_DEFAULT_OPTS"); /* the user's fzf settings must not change what is measured */
	return bench(argv[argc - 1], names, reps);
}
