/* Collects invalid request fields into one problem; the HCT API's field rules. */
#include "fields.h"

#include "common/jsonx.h"
#include "common/valid.h"
#include "problem.h"

#include <stdio.h>
#include <string.h>

void fields_bad(struct fields *f, const char *name, const char *reason)
{
	if (!f->problem)
		f->problem =
			problem_new(400, "invalid-input", "Invalid input", "Check the marked fields.");
	problem_add_field(f->problem, name, reason);
}

bool fields_reply(struct req *r, struct fields *f)
{
	if (!f->problem)
		return false;
	problem_reply(r, f->problem);
	f->problem = NULL;
	return true;
}

void fields_free(struct fields *f)
{
	cJSON_Delete(f->problem);
	f->problem = NULL;
}

bool fields_int(struct fields *f, const cJSON *obj, const char *key, const char *name,
				int64_t min, int64_t max, const char *reason, int64_t *out)
{
	int64_t v;
	if (!jx_int(obj, key, &v) || v < min || v > max) {
		fields_bad(f, name, reason);
		return false;
	}
	*out = v;
	return true;
}

const char *fields_str(struct fields *f, const cJSON *obj, const char *key, const char *name,
					   const char *reason)
{
	const char *s = jx_str(obj, key);
	if (!s)
		fields_bad(f, name, reason);
	return s;
}

bool fields_known(struct req *r, const cJSON *obj, const char *prefix,
				  const char *const allowed[])
{
	const char *unknown = jx_unknown_member(obj, allowed);
	if (!unknown)
		return true;
	char name[160];
	snprintf(name, sizeof name, "%s.%s", prefix, unknown);
	cJSON *p = problem_new(400, "unknown-field", "Unknown field",
						   "The body contains a field this endpoint does not accept.");
	problem_add_field(p, name, "unknown field");
	problem_reply(r, p);
	return false;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			n++;
	return n;
}

bool valid_serial(const char *s, size_t max)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n == 0 || n > max || strspn(s, " ") == n)
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  c == '_' || c == '.' || c == ',' || c == ' ' || c == '-'))
			return false;
	}
	return true;
}

bool valid_note(const char *s, size_t max)
{
	return s && valid_input_text(s, strlen(s), VALID_MULTILINE) && utf8_chars(s) <= max;
}

bool valid_idempotency_key(const char *s)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n == 0 || n > 100)
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  c == '_' || c == '-'))
			return false;
	}
	return true;
}
