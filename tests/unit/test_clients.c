/* Unit tests for src/client/clients.c: the in-memory client index, sorting by folded name,
 * incremental search views (diacritics, case, word order, client numbers, locations) and
 * loading from a replica. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "client/clients.h"
#include "client/replica.h"
#include "common/text.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A small index of Dutch names used by most tests. */
static void fill_small(struct client_index *x)
{
	clients_init(x);
	clients_upsert(x, 1, "C000001", "Jos\xc3\xa9 van den Berg", "1981-05-19", 5);
	clients_upsert(x, 2, "C000002", "Joost Smit", "1950-01-02", 6);
	clients_upsert(x, 3, "C000003", "Zo\xc3\xab de Vries", "1944-12-31", 6);
	clients_upsert(x, 4, "C000004", "\xc4\xb2sbrand Mulder", "1962-02-02", 7);
	clients_upsert(x, 5, "C000005", "Ida Bakker", "1933-03-03", 5);
	clients_upsert(x, 6, "C000006", "JOS\xc3\x89 BERGMAN", "1977-07-07", 7);
	clients_upsert(x, 7, "C000010", "Jan Smit", "1990-10-10", 5);
}

/* Ids of a view, in order, as "1,2,3" for readable comparisons. */
static void view_ids(const struct client_view *v, const struct client_index *x, char *out, size_t len)
{
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < v->n && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%lld", i ? "," : "",
								 (long long)x->rows[v->pos[i]].id);
}

/* Assert that a fresh view for query and locations shows exactly the ids want. */
static void expect_view(struct client_index *x, const char *query, const int64_t *locs, size_t nlocs,
						const char *want)
{
	struct client_view v;
	view_init(&v);
	view_update(&v, x, query, locs, nlocs);
	char got[512];
	view_ids(&v, x, got, sizeof got);
	view_free(&v);
	if (strcmp(got, want) != 0)
		fail_msg("query \"%s\": got [%s], want [%s]", query, got, want);
}

/* Upsert, get, count and remove keep the index consistent. */
static void test_upsert_get_remove(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	assert_int_equal(clients_count(&x), 7);
	const struct client_row *r = clients_get(&x, 1);
	assert_non_null(r);
	assert_string_equal(clients_number(&x, r), "C000001");
	assert_int_equal(r->location_id, 5);
	assert_string_equal(clients_fold(&x, r), "jose van den berg");
	assert_null(clients_get(&x, 999));

	/* An upsert of a known id updates in place. */
	clients_upsert(&x, 1, "C000001", "Jos\xc3\xa9 van den Berg-Smit", "1981-05-19", 6);
	assert_int_equal(clients_count(&x), 7);
	r = clients_get(&x, 1);
	assert_string_equal(clients_fold(&x, r), "jose van den berg smit");
	assert_int_equal(r->location_id, 6);

	clients_remove(&x, 2);
	clients_remove(&x, 2);
	clients_remove(&x, 12345);
	assert_int_equal(clients_count(&x), 6);
	assert_null(clients_get(&x, 2));
	clients_sort(&x);
	assert_int_equal(clients_count(&x), 6);

	/* A removed client that comes back is live again. */
	clients_upsert(&x, 2, "C000002", "Joost Smit", "1950-01-02", 6);
	assert_non_null(clients_get(&x, 2));
	assert_int_equal(clients_count(&x), 7);
	clients_free(&x);
}

/* Many clients: the hash table grows and every id stays reachable. */
static void test_many_ids(void **state)
{
	(void)state;
	struct client_index x;
	clients_init(&x);
	for (int64_t id = 1; id <= 5000; id++) {
		char num[32], name[48];
		snprintf(num, sizeof num, "C%06lld", (long long)id);
		snprintf(name, sizeof name, "Client %lld", (long long)id);
		clients_upsert(&x, id * 7919, num, name, "2000-01-01", id % 13);
	}
	assert_int_equal(clients_count(&x), 5000);
	for (int64_t id = 1; id <= 5000; id++) {
		const struct client_row *r = clients_get(&x, id * 7919);
		assert_non_null(r);
		assert_int_equal(r->location_id, id % 13);
	}
	assert_null(clients_get(&x, 7918));
	clients_free(&x);
}

/* The order is by folded name: Ĳsbrand sorts as "ijsbrand", accents do not count. */
static void test_sort_by_fold(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	clients_sort(&x);
	assert_int_equal(x.norder, 7);
	char got[256] = "";
	size_t used = 0;
	for (size_t i = 0; i < x.norder; i++)
		used += (size_t)snprintf(got + used, sizeof got - used, "%s%s", i ? "|" : "",
								 clients_fold(&x, &x.rows[x.order[i]]));
	/* "joost" < "jose" (o < s) whatever the accents; "ida" < "ijsbrand" < "jan". */
	assert_string_equal(got, "ida bakker|ijsbrand mulder|jan smit|joost smit|jose bergman|"
							 "jose van den berg|zoe de vries");
	/* Equal folded names are ordered by id. */
	clients_upsert(&x, 100, "C000100", "Jose Bergman", "1977-07-07", 7);
	clients_sort(&x);
	size_t a = (size_t)-1, b = (size_t)-1;
	for (size_t i = 0; i < x.norder; i++) {
		if (x.rows[x.order[i]].id == 6)
			a = i;
		if (x.rows[x.order[i]].id == 100)
			b = i;
	}
	assert_true(a + 1 == b);
	clients_free(&x);
}

/* Search ignores case and diacritics: "jose" finds José and JOSÉ, "zoe" finds Zoë. */
static void test_search_diacritics_case(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	expect_view(&x, "jose", NULL, 0, "6,1");
	expect_view(&x, "JOS\xc3\x89", NULL, 0, "6,1");
	expect_view(&x, "Jos\xc3\xa9", NULL, 0, "6,1");
	expect_view(&x, "zoe", NULL, 0, "3");
	expect_view(&x, "ZO\xc3\x8b", NULL, 0, "3");
	expect_view(&x, "ijsbrand", NULL, 0, "4");
	expect_view(&x, "\xc4\xb2sbrand", NULL, 0, "4");
	expect_view(&x, "IJS", NULL, 0, "4");
	clients_free(&x);
}

/* Every word must match, in any order, anywhere in the name. */
static void test_search_words(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	expect_view(&x, "berg jose", NULL, 0, "6,1");
	expect_view(&x, "van jose", NULL, 0, "1");
	expect_view(&x, "  jose   van  ", NULL, 0, "1");
	expect_view(&x, "jose smit", NULL, 0, "");
	expect_view(&x, "smit", NULL, 0, "7,2");
	expect_view(&x, "smit jan", NULL, 0, "7");
	expect_view(&x, "nobody", NULL, 0, "");
	clients_free(&x);
}

/* Direct matches against folded queries. */
static void test_match_direct(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	const struct client_row *r = clients_get(&x, 1);
	assert_true(clients_match(&x, r, ""));
	assert_true(clients_match(&x, r, "jose"));
	assert_true(clients_match(&x, r, "berg jose"));
	assert_true(clients_match(&x, r, "c000001"));
	assert_true(clients_match(&x, r, "000001"));
	assert_false(clients_match(&x, r, "jose smit"));
	assert_false(clients_match(&x, r, "c000002"));
	/* A client number is one word: with another word, the number does not count. */
	assert_false(clients_match(&x, r, "c000001 jose"));
	clients_free(&x);
}

/* Client numbers are found with and without the letter, in any case. */
static void test_search_number(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	expect_view(&x, "c000001", NULL, 0, "1");
	expect_view(&x, "C000001", NULL, 0, "1");
	expect_view(&x, "000001", NULL, 0, "1");
	expect_view(&x, "00001", NULL, 0, "7,1");
	expect_view(&x, "c0000", NULL, 0, "5,4,7,2,6,1,3");
	clients_free(&x);
}

/* An empty or blank query shows every live client in order. */
static void test_empty_query(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	expect_view(&x, "", NULL, 0, "5,4,7,2,6,1,3");
	expect_view(&x, "   ", NULL, 0, "5,4,7,2,6,1,3");
	expect_view(&x, NULL, NULL, 0, "5,4,7,2,6,1,3");
	clients_remove(&x, 4);
	expect_view(&x, "", NULL, 0, "5,7,2,6,1,3");
	clients_free(&x);
}

/* A location filter keeps only clients of the listed locations. */
static void test_location_filter(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	const int64_t five[] = {5};
	const int64_t six_seven[] = {7, 6};
	expect_view(&x, "", five, 1, "5,7,1");
	expect_view(&x, "", six_seven, 2, "4,2,6,3");
	expect_view(&x, "jose", six_seven, 2, "6");
	expect_view(&x, "", six_seven, 0, "");

	/* Changing the filter on an existing view rebuilds it. */
	struct client_view v;
	view_init(&v);
	char got[256];
	view_update(&v, &x, "", five, 1);
	view_update(&v, &x, "", six_seven, 2);
	view_ids(&v, &x, got, sizeof got);
	assert_string_equal(got, "4,2,6,3");
	view_update(&v, &x, "", NULL, 0);
	view_ids(&v, &x, got, sizeof got);
	assert_string_equal(got, "5,4,7,2,6,1,3");
	view_free(&v);
	clients_free(&x);
}

/* A new filter with as many entries as the old one, but different, is not taken as the same. */
static void test_location_filter_same_size(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	const int64_t five_six[] = {5, 6};
	const int64_t five_five[] = {5, 5};
	struct client_view v;
	view_init(&v);
	char got[256];
	view_update(&v, &x, "", five_six, 2);
	view_ids(&v, &x, got, sizeof got);
	assert_string_equal(got, "5,7,2,1,3");
	view_update(&v, &x, "", five_five, 2);
	view_ids(&v, &x, got, sizeof got);
	assert_string_equal(got, "5,7,1");
	view_free(&v);
	clients_free(&x);
}

/* A deterministic PRNG (xorshift64*), so failures reproduce. */
static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 33) % n;
}

static const char *const first_names[] = {
	"Jos\xc3\xa9", "Joost", "Zo\xc3\xab", "\xc4\xb2sbrand", "Ida", "Fatima", "Mehmet", "Chlo\xc3\xa9",
	"Ren\xc3\xa9", "Ana\xc3\xafs", "Bj\xc3\xb6rn", "Jan", "Kees", "Sanne", "Noor", "\xc3\x96zlem",
	"Fran\xc3\xa7ois", "Ren\xc3\xa9\x65", "Lotte", "Sem", "A\xc3\xafsha", "Mila", "Daan", "Bram"};
static const char *const last_names[] = {
	"van den Berg", "de Vries", "Smit", "Bakker", "Jansen", "el Amrani", "Y\xc4\xb1lmaz",
	"M\xc3\xbcller", "van Dijk", "\xc3\x87\x65lik", "Visser", "de Jong", "Mulder", "'t Hart",
	"d'Ancona", "Ko\xc3\xa7", "B\xc3\xa9k\xc3\xa9s", "van der Meer", "Boer", "Dekker"};
#define NFIRST (sizeof first_names / sizeof first_names[0])
#define NLAST (sizeof last_names / sizeof last_names[0])

/* The names fill_generated gave, by id (the index keeps only folded names). */
static char gen_names[2001][96];

/* Fill x with n (at most 2000) generated clients over 8 locations. */
static void fill_generated(struct client_index *x, size_t n)
{
	clients_init(x);
	for (size_t i = 1; i <= n; i++) {
		char *name = gen_names[i], num[32];
		snprintf(name, sizeof gen_names[i], "%s %s", first_names[rnd(NFIRST)], last_names[rnd(NLAST)]);
		snprintf(num, sizeof num, "C%06zu", i * 37 % 1000000);
		clients_upsert(x, (int64_t)i, num, name, "1950-01-01", (int64_t)rnd(8) + 1);
	}
}

/* A random query: a piece of a random name (maybe with words swapped and case changed), a
 * client number piece, or a random mix. */
static void random_query(const struct client_index *x, char *out, size_t len)
{
	const struct client_row *r = &x->rows[rnd((uint32_t)x->n)];
	const char *name = gen_names[r->id];
	switch (rnd(4)) {
	case 0: { /* leading part of the name */
		size_t l = strlen(name);
		snprintf(out, len, "%.*s", (int)(1 + rnd((uint32_t)l)), name);
		break;
	}
	case 1: { /* last word first */
		const char *sp = strrchr(name, ' ');
		snprintf(out, len, "%s %.*s", sp ? sp + 1 : name, (int)(sp ? sp - name : 0), name);
		break;
	}
	case 2: /* client number, maybe without its letter */
		snprintf(out, len, "%s", clients_number(x, r) + rnd(3));
		break;
	default: /* upper-cased fold */
		snprintf(out, len, "%s", clients_fold(x, r));
		for (char *p = out; *p; p++)
			if (*p >= 'a' && *p <= 'z' && rnd(2))
				*p = (char)(*p - 32);
		break;
	}
}

/* Length of the UTF-8 sequence starting with byte c. */
static size_t cp_len(unsigned char c)
{
	return c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
}

/* Compare v with a fresh view for the same query and filter; fail with details. */
static void check_same_as_fresh(struct client_view *v, struct client_index *x, const char *query,
								const int64_t *locs, size_t nlocs)
{
	struct client_view fresh;
	view_init(&fresh);
	view_update(&fresh, x, query, locs, nlocs);
	bool same = fresh.n == v->n && memcmp(fresh.pos, v->pos, v->n * sizeof *v->pos) == 0;
	size_t fn = fresh.n, vn = v->n;
	view_free(&fresh);
	if (!same)
		fail_msg("query \"%s\": incremental view has %zu rows, fresh view %zu", query, vn, fn);
}

/* Typing a query character by character, then deleting it again, always gives the same rows
 * as building the view from scratch; also with a location filter. */
static void test_incremental_equals_fresh(void **state)
{
	(void)state;
	struct client_index x;
	fill_generated(&x, 2000);
	const int64_t locs[] = {2, 3, 5};
	for (int round = 0; round < 300; round++) {
		char q[128];
		random_query(&x, q, sizeof q);
		const int64_t *l = round % 3 == 0 ? locs : NULL;
		size_t nl = l ? 3 : 0;
		struct client_view v;
		view_init(&v);
		size_t len = strlen(q);
		char typed[128];
		/* Narrowing: one code point more each time. */
		for (size_t i = 0; i <= len; i += i < len ? cp_len((unsigned char)q[i]) : 1) {
			memcpy(typed, q, i);
			typed[i] = '\0';
			view_update(&v, &x, typed, l, nl);
			check_same_as_fresh(&v, &x, typed, l, nl);
		}
		/* Widening: one byte-complete code point less each time. */
		while (len > 0) {
			do
				len--;
			while (len > 0 && ((unsigned char)q[len] & 0xc0) == 0x80);
			memcpy(typed, q, len);
			typed[len] = '\0';
			view_update(&v, &x, typed, l, nl);
			check_same_as_fresh(&v, &x, typed, l, nl);
		}
		view_free(&v);
	}
	clients_free(&x);
}

/* Every row of a view matches its query and every matching row is in it, in sorted order. */
static void test_view_is_exact(void **state)
{
	(void)state;
	struct client_index x;
	fill_generated(&x, 2000);
	for (int round = 0; round < 50; round++) {
		char q[128];
		random_query(&x, q, sizeof q);
		char *f = text_fold(q);
		size_t want = 0;
		for (size_t i = 0; i < x.n; i++)
			want += !client_gone(&x.rows[i]) && clients_match(&x, &x.rows[i], f);
		struct client_view v;
		view_init(&v);
		view_update(&v, &x, q, NULL, 0);
		assert_int_equal(v.n, want);
		for (size_t i = 0; i < v.n; i++) {
			assert_true(clients_match(&x, &x.rows[v.pos[i]], f));
			if (i > 0)
				assert_true(strcmp(clients_fold(&x, &x.rows[v.pos[i - 1]]),
								   clients_fold(&x, &x.rows[v.pos[i]])) <= 0);
		}
		view_free(&v);
		free(f);
	}
	clients_free(&x);
}

/* A change to the index between two updates of the same query is picked up. */
static void test_index_change_picked_up(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	struct client_view v;
	view_init(&v);
	char got[256];
	view_update(&v, &x, "jos", NULL, 0);
	view_ids(&v, &x, got, sizeof got);
	assert_string_equal(got, "6,1");
	/* A new José and a renamed one, then narrowing by one letter. */
	clients_upsert(&x, 8, "C000008", "Jos\xc3\xa9 Aalders", "1999-09-09", 5);
	clients_upsert(&x, 6, "C000006", "Piet Bergman", "1977-07-07", 7);
	view_update(&v, &x, "jose", NULL, 0);
	view_ids(&v, &x, got, sizeof got);
	assert_string_equal(got, "8,1");
	clients_remove(&x, 1);
	view_update(&v, &x, "jose", NULL, 0);
	view_ids(&v, &x, got, sizeof got);
	assert_string_equal(got, "8");
	view_free(&v);
	clients_free(&x);
}

/* view_find gives a client's index in the view, or (size_t)-1. */
static void test_view_find(void **state)
{
	(void)state;
	struct client_index x;
	fill_small(&x);
	struct client_view v;
	view_init(&v);
	view_update(&v, &x, "", NULL, 0);
	assert_int_equal(view_find(&v, &x, 5), 0);
	assert_int_equal(view_find(&v, &x, 3), 6);
	assert_int_equal(view_find(&v, &x, 1), 5);
	view_update(&v, &x, "smit", NULL, 0);
	assert_int_equal(view_find(&v, &x, 7), 0);
	assert_int_equal(view_find(&v, &x, 2), 1);
	assert_true(view_find(&v, &x, 1) == (size_t)-1);
	assert_true(view_find(&v, &x, 4242) == (size_t)-1);
	view_free(&v);
	clients_free(&x);
}

/* A temporary directory for replica files. */
static char tmpdir[64];

/* Make the temporary directory. */
static int setup_tmp(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/test_clients.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* Remove the temporary directory and its files. */
static int teardown_tmp(void **state)
{
	(void)state;
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[512];
		snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	return rmdir(tmpdir) == 0 ? 0 : -1;
}

/* Open a new replica in the temporary directory and apply one page of text to it. */
static struct replica *replica_with(const char *page)
{
	char path[128];
	snprintf(path, sizeof path, "%s/r.db", tmpdir);
	enum replica_rebuild why;
	char *err = NULL;
	struct replica *r = replica_open(path, "u@h", &why, &err);
	assert_non_null(r);
	cJSON *j = cJSON_Parse(page);
	assert_non_null(j);
	int n = 0;
	assert_int_equal(replica_apply_page(r, cJSON_GetObjectItemCaseSensitive(j, "changes"), 10, 1, &n, NULL), 0);
	cJSON_Delete(j);
	return r;
}

/* Client changes of a feed page, for the replica tests below. */
#define CLIENT_ITEM(id, num, name, loc)                                                        \
	"{\"type\":\"client\",\"id\":" #id ",\"rev\":" #id ",\"deleted\":false,\"data\":{\"id\":" #id \
	",\"client_number\":\"" num "\",\"name\":\"" name "\",\"birth_date\":\"1980-01-01\","         \
	"\"location_id\":" #loc "}}"

/* clients_load reads every client of the replica, sorted, searchable. */
static void test_load_from_replica(void **state)
{
	(void)state;
	struct replica *r = replica_with(
		"{\"changes\":[" CLIENT_ITEM(1, "C000001", "Jos\xc3\xa9 van den Berg", 5) ","
		CLIENT_ITEM(2, "C000002", "Zo\xc3\xab de Vries", 6) ","
		CLIENT_ITEM(3, "C000003", "Ida Bakker", 5) ","
		"{\"type\":\"client\",\"id\":3,\"rev\":4,\"deleted\":true},"
		CLIENT_ITEM(4, "C000004", "Joost Smit", 6) "],\"next\":4}");
	struct client_index x;
	clients_init(&x);
	clients_upsert(&x, 99, "C000099", "Stale Entry", "", 1);
	assert_int_equal(clients_load(&x, r), 0);
	assert_int_equal(clients_count(&x), 3);
	assert_null(clients_get(&x, 99));
	assert_null(clients_get(&x, 3));
	const struct client_row *c = clients_get(&x, 1);
	assert_non_null(c);
	assert_string_equal(clients_number(&x, c), "C000001");
	assert_string_equal(clients_fold(&x, c), "jose van den berg");
	assert_int_equal(c->location_id, 5);
	/* The shown fields come from the replica. */
	struct client_names nm;
	assert_true(clients_names(&x, 1, &nm));
	assert_string_equal(nm.number, "C000001");
	assert_string_equal(nm.name, "Jos\xc3\xa9 van den Berg");
	assert_string_equal(nm.birth, "1980-01-01");
	assert_false(clients_names(&x, 3, &nm)); /* deleted */
	assert_string_equal(nm.name, "");
	expect_view(&x, "", NULL, 0, "4,1,2");
	expect_view(&x, "jose", NULL, 0, "1");
	expect_view(&x, "berg jose", NULL, 0, "1");
	/* After loading, upserts still keep the order right. */
	clients_upsert(&x, 5, "C000005", "Anna Aalders", "", 5);
	expect_view(&x, "", NULL, 0, "5,4,1,2");
	clients_free(&x);
	replica_close(&r);
}

/* A view kept across a reload of the index from the replica shows the reloaded clients. */
static void test_view_after_reload(void **state)
{
	(void)state;
	struct client_index x;
	clients_init(&x);
	clients_upsert(&x, 1, "C000001", "Anna", "", 1);
	clients_upsert(&x, 2, "C000002", "Bob", "", 1);
	clients_upsert(&x, 3, "C000003", "Carla", "", 1);
	struct client_view v;
	view_init(&v);
	view_update(&v, &x, "a", NULL, 0);
	char got[128];
	view_ids(&v, &x, got, sizeof got);
	assert_string_equal(got, "1,3");

	struct replica *r = replica_with(
		"{\"changes\":[" CLIENT_ITEM(10, "C000010", "Daan", 1) ","
		CLIENT_ITEM(11, "C000011", "Eva", 1) "," CLIENT_ITEM(12, "C000012", "Frits", 1)
		"],\"next\":12}");
	assert_int_equal(clients_load(&x, r), 0);
	view_update(&v, &x, "a", NULL, 0);
	view_ids(&v, &x, got, sizeof got);
	assert_string_equal(got, "10,11");
	view_free(&v);
	clients_free(&x);
	replica_close(&r);
}

/* A load in slices: the first rows are a sorted prefix the list can show; a search, an
 * upsert or a remove finishes the load first, so no row is lost or doubled. */
static void test_load_in_slices(void **state)
{
	(void)state;
	struct replica *r = replica_with(
		"{\"changes\":[" CLIENT_ITEM(1, "C000001", "Daan", 1) ","
		CLIENT_ITEM(2, "C000002", "Anna", 1) "," CLIENT_ITEM(3, "C000003", "Carla", 2) ","
		CLIENT_ITEM(4, "C000004", "Bob", 2) "," CLIENT_ITEM(5, "C000005", "Eva", 1)
		"],\"next\":5}");
	struct client_index x;
	clients_init(&x);
	assert_int_equal(clients_load_begin(&x, r, 2), 0);
	assert_true(clients_loading(&x));
	expect_view(&x, "", NULL, 0, "2,4");
	int64_t one = 1;
	expect_view(&x, "", &one, 1, "2");
	assert_true(clients_load_step(&x, 2));
	expect_view(&x, "", NULL, 0, "2,4,3,1");
	/* A search waits for the whole index. */
	expect_view(&x, "a", NULL, 0, "2,3,1,5");
	assert_false(clients_loading(&x));
	assert_false(clients_load_step(&x, 2));
	assert_int_equal(clients_count(&x), 5);

	/* An upsert of a row not read yet finishes the load and keeps one row per id. */
	assert_int_equal(clients_load_begin(&x, r, 1), 0);
	clients_upsert(&x, 5, "C000005", "Aart", "", 1);
	assert_false(clients_loading(&x));
	assert_int_equal(clients_count(&x), 5);
	expect_view(&x, "", NULL, 0, "5,2,4,3,1");
	/* A remove of a row not read yet removes it. */
	assert_int_equal(clients_load_begin(&x, r, 1), 0);
	clients_remove(&x, 1);
	assert_int_equal(clients_count(&x), 4);
	assert_null(clients_get(&x, 1));
	/* Freeing during a load ends it (the replica can then be closed). */
	assert_int_equal(clients_load_begin(&x, r, 1), 0);
	clients_free(&x);
	assert_false(clients_loading(&x));
	replica_close(&r);
}

/* The index is compact: a row is 24 bytes, its strings sit in one arena, an upsert that
 * changes nothing shown in the index adds no bytes, and renames do not grow the arena
 * without bound (replaced strings are compacted away). */
static void test_compact_arena(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct client_row), 24);
	struct client_index x;
	fill_small(&x);
	size_t used = x.tlen;
	/* "C000001\0jose van den berg\0" */
	assert_int_equal(clients_number(&x, clients_get(&x, 1)) - x.text, clients_get(&x, 1)->text);
	clients_upsert(&x, 1, "C000001", "JOS\xc3\x89 van den Berg", "2001-01-01", 9);
	assert_int_equal(x.tlen, used); /* same folded name and number: strings kept */
	assert_int_equal(clients_get(&x, 1)->location_id, 9);
	/* Many renames: the arena is compacted and every row keeps its own strings. */
	for (int i = 0; i < 20000; i++) {
		char name[64];
		snprintf(name, sizeof name, "Rename %d of Jos\xc3\xa9", i);
		clients_upsert(&x, 1 + i % 7, "C00000X", name, "", 5);
	}
	assert_true(x.tlen < 256 * 1024);
	for (int64_t id = 1; id <= 7; id++) {
		char want[64];
		long long last = 19999 - (19999 - (id - 1)) % 7; /* the last i with 1 + i % 7 == id */
		snprintf(want, sizeof want, "rename %lld of jose", last);
		const struct client_row *r = clients_get(&x, id);
		assert_non_null(r);
		assert_string_equal(clients_fold(&x, r), want);
		assert_string_equal(clients_number(&x, r), "C00000X");
	}
	expect_view(&x, "rename 19999", NULL, 0, "1");
	struct client_view v;
	view_init(&v);
	view_update(&v, &x, "c00000x", NULL, 0);
	assert_int_equal(v.n, 7);
	view_free(&v);
	/* Removing and adding back keeps the counts right, and removes free their bytes too. */
	for (int64_t id = 1; id <= 7; id++)
		clients_remove(&x, id);
	assert_int_equal(clients_count(&x), 0);
	assert_null(clients_get(&x, 3));
	clients_upsert(&x, 3, "C000003", "Zo\xc3\xab", "", 1);
	expect_view(&x, "zoe", NULL, 0, "3");
	clients_free(&x);
}

/* The shown fields of a client come from the replica: a rename written there shows, a
 * long name is cut at a character boundary, an index without a replica gives the number. */
static void test_names_from_replica(void **state)
{
	(void)state;
	struct replica *r = replica_with("{\"changes\":[" CLIENT_ITEM(1, "C000001", "Anna Aalders", 5) ","
									 CLIENT_ITEM(2, "C000002", "Bob Berg", 6) "],\"next\":2}");
	struct client_index x;
	clients_init(&x);
	assert_int_equal(clients_load(&x, r), 0);
	assert_true(x.cap >= 3 && x.hcap >= 6);
	struct client_names nm;
	assert_true(clients_names(&x, 2, &nm));
	assert_string_equal(nm.name, "Bob Berg");
	/* A rename reaches the replica first, then the index (as the app does). */
	cJSON *j = cJSON_Parse("{\"id\":2,\"client_number\":\"C000002\",\"name\":\"Bob de Bouwer\","
						   "\"birth_date\":\"1970-02-03\",\"location_id\":6}");
	assert_int_equal(replica_put(r, "client", j), 0);
	clients_upsert(&x, 2, "C000002", "Bob de Bouwer", "1970-02-03", 6);
	cJSON_Delete(j);
	assert_true(clients_names(&x, 2, &nm));
	assert_string_equal(nm.name, "Bob de Bouwer");
	assert_string_equal(nm.birth, "1970-02-03");
	expect_view(&x, "bouwer", NULL, 0, "2");
	/* A name longer than the buffer: cut before a two-byte character, never inside it. */
	char longname[400];
	memset(longname, 'a', sizeof nm.name - 2);
	strcpy(longname + sizeof nm.name - 2, "\xc3\xa9 and more");
	char *obj = NULL;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", 1);
	cJSON_AddStringToObject(o, "client_number", "C000001");
	cJSON_AddStringToObject(o, "name", longname);
	cJSON_AddNumberToObject(o, "location_id", 5);
	assert_int_equal(replica_put(r, "client", o), 0);
	cJSON_Delete(o);
	free(obj);
	assert_true(clients_names(&x, 1, &nm));
	assert_int_equal(strlen(nm.name), sizeof nm.name - 2);
	assert_int_equal(nm.birth[0], '\0');
	assert_false(clients_names(&x, 77, &nm));
	assert_string_equal(nm.number, "");
	clients_free(&x);
	replica_close(&r);
	/* Without a replica: the number from the index, no name. */
	fill_small(&x);
	assert_false(clients_names(&x, 2, &nm));
	assert_string_equal(nm.number, "C000002");
	assert_string_equal(nm.name, "");
	clients_free(&x);
}

/* Sorting after each batch of appended rows (a sync page) merges them into the order; the
 * result is the order a whole sort gives, also with renames and removes in between. */
static void test_sort_merges_appended_rows(void **state)
{
	(void)state;
	struct client_index x, all;
	clients_init(&x);
	clients_init(&all);
	for (size_t i = 1; i <= 3000; i++) {
		char name[96], num[32];
		snprintf(name, sizeof name, "%s %s", first_names[rnd(NFIRST)], last_names[rnd(NLAST)]);
		snprintf(num, sizeof num, "C%06zu", i);
		int64_t id = (int64_t)rnd(100000) + 1; /* ids out of order, some twice */
		clients_upsert(&x, id, num, name, "", 1);
		clients_upsert(&all, id, num, name, "", 1);
		if (i % 500 == 0) { /* a rename and a remove: the next sort is a whole one */
			clients_upsert(&x, id, num, "Aaron Anders", "", 1);
			clients_upsert(&all, id, num, "Aaron Anders", "", 1);
			clients_remove(&x, (int64_t)i);
			clients_remove(&all, (int64_t)i);
		}
		if (i % (1 + rnd(300)) == 0)
			clients_sort(&x);
	}
	clients_sort(&x);
	clients_sort(&all);
	assert_int_equal(x.norder, all.norder);
	assert_int_equal(x.norder, clients_count(&all));
	for (size_t i = 0; i < x.norder; i++)
		assert_int_equal(x.rows[x.order[i]].id, all.rows[all.order[i]].id);
	for (size_t i = 1; i < x.norder; i++)
		assert_true(strcmp(clients_fold(&x, &x.rows[x.order[i - 1]]), clients_fold(&x, &x.rows[x.order[i]])) <= 0);
	clients_free(&x);
	clients_free(&all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upsert_get_remove),
		cmocka_unit_test(test_many_ids),
		cmocka_unit_test(test_sort_by_fold),
		cmocka_unit_test(test_search_diacritics_case),
		cmocka_unit_test(test_search_words),
		cmocka_unit_test(test_match_direct),
		cmocka_unit_test(test_search_number),
		cmocka_unit_test(test_empty_query),
		cmocka_unit_test(test_location_filter),
		cmocka_unit_test(test_location_filter_same_size),
		cmocka_unit_test(test_incremental_equals_fresh),
		cmocka_unit_test(test_view_is_exact),
		cmocka_unit_test(test_index_change_picked_up),
		cmocka_unit_test(test_view_find),
		cmocka_unit_test_setup_teardown(test_load_from_replica, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_view_after_reload, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_load_in_slices, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_compact_arena),
		cmocka_unit_test(test_sort_merges_appended_rows),
		cmocka_unit_test_setup_teardown(test_names_from_replica, setup_tmp, teardown_tmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
