/* Unit tests of order drafts (files, keys) and the HCT wire model of the client. */
#include "client/drafts.h"
#include "client/model.h"
#include "common/alloc.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char dir[64];

/* A fresh temporary state directory per test. */
static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/zt-drafts-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

/* Remove the directory and everything in it. */
static int teardown(void **state)
{
	(void)state;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	return 0;
}

/* A draft with every field set. */
static struct m_order_draft sample(void)
{
	struct m_order_draft d = {0};
	d.client_id = 42;
	d.device_type_id = 1;
	d.address_id = 0;
	snprintf(d.street, sizeof d.street, "Dorpsstraat \"oud\"");
	snprintf(d.house_number, sizeof d.house_number, "12");
	snprintf(d.house_number_ext, sizeof d.house_number_ext, "B");
	snprintf(d.postcode, sizeof d.postcode, "9401 AB");
	snprintf(d.city, sizeof d.city, "Assen");
	d.team_id = 3;
	snprintf(d.email, sizeof d.email, "team@delinde.example");
	snprintf(d.phone, sizeof d.phone, "0612345678");
	draft_new_key(d.idem_key);
	return d;
}

/* A saved draft loads back equal, with its idempotency key, from a 0600 file. */
static void test_round_trip(void **state)
{
	(void)state;
	struct m_order_draft d = sample(), back;
	assert_int_equal(draft_save(dir, "u@h", &d), 0);
	assert_true(draft_load(dir, "u@h", 42, &back));
	assert_memory_equal(&d, &back, sizeof d);
	char *path = xasprintf("%s/u@h.order-42.draft", dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(path);
}

/* Drafts are per client and per profile; delete removes only that one. */
static void test_per_client_and_profile(void **state)
{
	(void)state;
	struct m_order_draft a = sample(), b = sample(), out;
	b.client_id = 7;
	draft_save(dir, "u@h", &a);
	draft_save(dir, "u@h", &b);
	draft_save(dir, "other@h", &a);
	int64_t *ids = NULL;
	size_t n = draft_list(dir, "u@h", &ids);
	assert_int_equal(n, 2);
	assert_true((ids[0] == 42 && ids[1] == 7) || (ids[0] == 7 && ids[1] == 42));
	free(ids);
	draft_delete(dir, "u@h", 42);
	assert_false(draft_load(dir, "u@h", 42, &out));
	assert_true(draft_load(dir, "u@h", 7, &out));
	assert_true(draft_load(dir, "other@h", 42, &out));
}

/* A damaged draft file is not loaded (and does not crash). */
static void test_damaged(void **state)
{
	(void)state;
	char *path = xasprintf("%s/u@h.order-5.draft", dir);
	FILE *f = fopen(path, "w");
	fputs("{\"client_id\": 5, \"street\": ", f);
	fclose(f);
	struct m_order_draft d;
	assert_false(draft_load(dir, "u@h", 5, &d));
	free(path);
}

/* Keys are 32 hex digits and differ each time. */
static void test_keys(void **state)
{
	(void)state;
	char a[48], b[48];
	draft_new_key(a);
	draft_new_key(b);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strspn(a, "0123456789abcdef"), 32);
	assert_string_not_equal(a, b);
}

/* The order body has exactly the contract's fields, typed; an address id replaces the
 * alternative address; a non-numeric house number gives no body. */
static void test_order_body(void **state)
{
	(void)state;
	struct m_order_draft d = sample();
	char *s = m_order_body(&d);
	cJSON *j = cJSON_Parse(s);
	free(s);
	const cJSON *del = cJSON_GetObjectItem(j, "delivery");
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(del, "house_number")), 12);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(del, "street")), "Dorpsstraat \"oud\"");
	assert_null(cJSON_GetObjectItem(del, "address_id"));
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "orderer"), "team_id")), 3);
	cJSON_Delete(j);
	d.address_id = 9;
	s = m_order_body(&d);
	j = cJSON_Parse(s);
	free(s);
	del = cJSON_GetObjectItem(j, "delivery");
	assert_int_equal(cJSON_GetArraySize(del), 1);
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(del, "address_id")), 9);
	cJSON_Delete(j);
	d.address_id = 0;
	snprintf(d.house_number, sizeof d.house_number, "12a");
	assert_null(m_order_body(&d));
}

/* An order from the feed parses with its status, times and nested parts. */
static void test_order_parse(void **state)
{
	(void)state;
	cJSON *j = cJSON_Parse(
		"{\"id\":5,\"uuid\":\"u-5\",\"client_id\":1,\"device_type_id\":1,\"device_type_name\":\"Dosell\","
		"\"supplier_name\":\"Dosell\",\"status\":\"ACCEPTED\",\"created_at\":\"2026-11-21T10:00:00Z\","
		"\"updated_at\":\"2026-11-21T10:05:00Z\",\"fetched_at\":null,\"accepted_at\":\"2026-11-21T10:05:00Z\","
		"\"declined_at\":null,\"completed_at\":null,\"delivery\":{\"type\":\"MANUAL\",\"address_id\":null,"
		"\"street\":\"Dorpsstraat\",\"house_number\":12,\"house_number_ext\":\"\",\"postcode\":\"9401 AB\","
		"\"city\":\"Assen\"},\"orderer\":{\"staff_id\":3,\"name\":\"N\",\"team_id\":1,\"team_name\":\"T\","
		"\"email\":\"e@x.nl\",\"phone\":\"+31612345678\"},\"order_number\":\"B-1\",\"supplier_note\":"
		"\"\\u001b[31m\",\"tracking_url\":null,\"device_identification_number\":\"D-1\","
		"\"registration_id\":null}");
	struct m_order o;
	assert_true(m_order_parse(j, &o));
	assert_int_equal(o.status, ORDER_ACCEPTED);
	assert_string_equal(o.delivery_type, "MANUAL");
	assert_int_equal(o.house_number, 12);
	assert_null(o.fetched_at);
	assert_string_equal(o.supplier_note, "\x1b[31m");
	assert_string_equal(o.device_identification_number, "D-1");
	assert_int_equal(o.orderer_team_id, 1);
	m_order_free(&o);
	cJSON_Delete(j);
}

/* Device types without a supplier have supplier_id 0; registrations parse. */
static void test_device_type_and_registration(void **state)
{
	(void)state;
	cJSON *j = cJSON_Parse("{\"id\":5,\"name\":\"Tessa\",\"product_code\":\"TESSA-01\",\"supplier\":null,"
						   "\"in_use\":true,\"ordering\":false}");
	struct m_device_type d;
	assert_true(m_device_type_parse(j, &d));
	assert_int_equal(d.supplier_id, 0);
	assert_true(d.in_use);
	assert_false(d.ordering);
	m_device_type_free(&d);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"id\":2,\"client_id\":1,\"device_type_id\":3,\"device_type_name\":\"Medido\","
					"\"serial\":\"MD-1\",\"start_date\":\"2025-01-01\",\"end_date\":null,\"order_id\":null}");
	struct m_registration r;
	assert_true(m_registration_parse(j, &r));
	assert_string_equal(r.serial, "MD-1");
	assert_null(r.end_date);
	m_registration_free(&r);
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_client_and_profile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_order_body),
		cmocka_unit_test(test_order_parse),
		cmocka_unit_test(test_device_type_and_registration),
	};
	return cmocka_run_group_tests_name("drafts and HCT model", tests, NULL, NULL);
}
