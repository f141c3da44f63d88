/* libFuzzer target for zorgd's request-body path: http_parse_object (cJSON, trailing data,
 * object check, the NUL-escape check, the text rule over the whole tree, unknown members)
 * and the field decoders of a new order (fields.c and the validators h_hct.c uses). */
#include "fields.h"
#include "fuzz_rule.h"
#include "http.h"

/* The members of POST /clients/{id}/hct-orders and of its nested objects. */
static const char *const order_allowed[] = {"device_type_id", "delivery", "orderer", NULL};

/* Decode the order's fields the way the handler does; what is accepted passes the rule. */
static void decode_order(const cJSON *j)
{
	struct fields f = {0};
	int64_t id = 0;
	if (fields_int(&f, j, "device_type_id", "device_type_id", 1, INT64_MAX / 2, "id", &id))
		CHECK(id >= 1);
	const cJSON *dv = cJSON_GetObjectItemCaseSensitive(j, "delivery");
	const cJSON *ov = cJSON_GetObjectItemCaseSensitive(j, "orderer");
	const char *street = jx_str(dv, "street");
	const char *ext = jx_str(dv, "house_number_ext");
	const char *city = jx_str(dv, "city");
	check_accepted(street, valid_text(street, 100, true), false);
	check_accepted(ext, valid_text(ext, 10, false), false);
	check_accepted(city, valid_text(city, 80, true), false);
	char pc[8];
	const char *postcode = jx_str(dv, "postcode");
	if (postcode && valid_postcode(postcode, pc))
		CHECK(ref_text_ok(pc, strlen(pc), false));
	const char *email = fields_str(&f, ov, "email", "orderer.email", "required");
	check_accepted(email, valid_email(email), false);
	char phone[16];
	const char *ph = jx_str(ov, "phone");
	if (ph && valid_phone(ph, phone))
		CHECK(strlen(phone) == 12);
	if (f.problem)
		check_printable(f.problem);
	fields_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that reading past the body is caught by ASan. */
	char *body = malloc(size ? size : 1);
	if (size)
		memcpy(body, data, size);
	struct req r = {.method = "POST", .url = "/fuzz", .body = body, .body_len = size};
	if (http_parse_object(&r, order_allowed)) {
		CHECK(cJSON_IsObject(r.json) && r.status == 0);
		CHECK(!ref_has_nul_escape(body, size));
		CHECK(jx_unknown_member(r.json, order_allowed) == NULL);
		check_tree_text(r.json);
		decode_order(r.json);
		check_printable(r.json);
	} else {
		CHECK(r.status == 400 && r.is_problem && r.out);
		check_printable(r.out);
	}
	cJSON_Delete(r.json);
	cJSON_Delete(r.out);
	free(r.out_raw);
	free(body);
	return 0;
}
