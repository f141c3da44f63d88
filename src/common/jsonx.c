/* Typed accessors and helpers on cJSON. */
#include "common/jsonx.h"

#include "common/alloc.h"
#include "common/text.h"
#include "common/valid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *jx_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

bool jx_int(const cJSON *o, const char *key, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsNumber(v))
		return false;
	double d = v->valuedouble;
	if (d != floor(d) || fabs(d) > 9007199254740991.0)
		return false;
	*out = (int64_t)d;
	return true;
}

bool jx_bool(const cJSON *o, const char *key, bool *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!cJSON_IsBool(v))
		return false;
	*out = cJSON_IsTrue(v);
	return true;
}

const char *jx_unknown_member(const cJSON *o, const char *const allowed[])
{
	for (const cJSON *m = o ? o->child : NULL; m; m = m->next) {
		bool known = false;
		for (size_t i = 0; allowed[i]; i++) {
			if (m->string && strcmp(m->string, allowed[i]) == 0) {
				known = true;
				break;
			}
		}
		if (!known)
			return m->string ? m->string : "";
	}
	return NULL;
}

void jx_add_int(cJSON *o, const char *key, int64_t v)
{
	cJSON_AddItemToObject(o, key, cJSON_CreateNumber((double)v));
}

void jx_add_str(cJSON *o, const char *key, const char *s)
{
	if (s)
		cJSON_AddItemToObject(o, key, cJSON_CreateString(s));
	else
		cJSON_AddItemToObject(o, key, cJSON_CreateNull());
}

char *jx_utf8_repair(const char *s)
{
	size_t n = strlen(s);
	if (valid_utf8(s, n))
		return xstrdup(s);
	struct buf b = {0};
	while (n > 0) {
		uint32_t cp;
		size_t len = text_utf8_decode(s, n, &cp);
		char enc[4];
		if (len == 1 && cp == 0xfffd)
			buf_append(&b, enc, text_utf8_encode(0xfffd, enc));
		else
			buf_append(&b, s, len);
		s += len;
		n -= len;
	}
	return buf_steal(&b);
}

char *jx_print(const cJSON *o)
{
	char *s = cJSON_PrintUnformatted(o);
	if (!s) {
		fprintf(stderr, "out of memory printing JSON\n");
		abort();
	}
	/* Second line behind the input rule: text stored before it, or by other means, must
	 * not make the whole document unreadable for a strict client. */
	if (!valid_utf8(s, strlen(s))) {
		char *fixed = jx_utf8_repair(s);
		cJSON_free(s);
		return fixed;
	}
	return s;
}

void jx_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool jx_parse_time(const char *s, int64_t *out)
{
	struct tm tm = {0};
	if (!s || strlen(s) != 20)
		return false;
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return false;
	int64_t t = (int64_t)timegm(&tm);
	/* strptime accepts padding and impossible dates; only the canonical form counts. */
	char back[32];
	jx_time(t, back);
	if (strcmp(back, s) != 0)
		return false;
	*out = t;
	return true;
}
