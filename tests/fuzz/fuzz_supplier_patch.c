/* libFuzzer target for the supplier's PATCH .../orders/{id}/status body: http_parse_object
 * with the endpoint's members, then the decoders h_supplier.c applies to each member. */
#include "fields.h"
#include "fuzz_rule.h"
#include "http.h"

static const char *const patch_allowed[] = {"accepted", "deviceIdentificationNumber",
											"orderNumber", "supplierNote", "trackingUrl",
											NULL};

/* The string member key of j, or NULL (absent, null or not a string). */
static const char *member(const cJSON *j, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, key));
}

/* Decode the members as the handler does; what is accepted passes the rule. */
static void decode_patch(const cJSON *j)
{
	bool accepted = false;
	if (jx_bool(j, "accepted", &accepted))
		CHECK(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(j, "accepted")));
	const char *dev = member(j, "deviceIdentificationNumber");
	const char *num = member(j, "orderNumber");
	const char *note = member(j, "supplierNote");
	const char *url = member(j, "trackingUrl");
	check_accepted(dev, valid_serial(dev, 50), false);
	check_accepted(num, valid_text(num, 50, true), false);
	check_accepted(note, valid_note(note, 140), true);
	check_accepted(url, valid_http_url(url, 255), false);
	if (note && valid_note(note, 140))
		CHECK(utf8_chars(note) <= 140);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *body = malloc(size ? size : 1);
	if (size)
		memcpy(body, data, size);
	struct req r = {.method = "PATCH", .url = "/fuzz", .body = body, .body_len = size};
	if (http_parse_object(&r, patch_allowed)) {
		CHECK(cJSON_IsObject(r.json) && r.status == 0);
		CHECK(!ref_has_nul_escape(body, size));
		check_tree_text(r.json);
		decode_patch(r.json);
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
