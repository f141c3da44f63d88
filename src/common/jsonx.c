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

void jx_buf_int(struct buf *b, int64_t v)
{
	char tmp[24], *e = tmp + sizeof tmp, *p = e;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	buf_append(b, p, (size_t)(e - p));
}

/* Append number d as cJSON_PrintUnformatted writes it: integers as digits, other values
 * with 15 significant digits unless 17 are needed to read back the same double, and
 * NaN and infinities as null. */
static void print_number(struct buf *b, double d)
{
	if (isnan(d) || isinf(d)) {
		buf_append(b, "null", 4);
		return;
	}
	if (fabs(d) < 1e15 && d == (double)(int64_t)d && !(d == 0 && signbit(d))) {
		/* %1.15g writes these as digits too (and -0 as "-0") */
		jx_buf_int(b, (int64_t)d);
		return;
	}
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%1.15g", d);
	if (strtod(tmp, NULL) != d)
		n = snprintf(tmp, sizeof tmp, "%1.17g", d);
	buf_append(b, tmp, (size_t)n);
}

/* Append s as a JSON string with cJSON's escapes (UTF-8 passes through). */
static void print_string_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	buf_append(b, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, run, (size_t)(s - run));
		run = s + 1;
		char esc[6] = {'\\', 0};
		size_t n = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		buf_append(b, esc, n);
	}
	buf_append(b, run, (size_t)(s - run));
	buf_append(b, "\"", 1);
}

/* Append s as a JSON string: most strings need no escape and are copied at once. */
static void print_string(struct buf *b, const char *s)
{
	const char *p = s;
	while ((unsigned char)*p >= 0x20 && *p != '"' && *p != '\\')
		p++;
	if (*p) {
		print_string_escaped(b, s);
		return;
	}
	size_t n = (size_t)(p - s);
	buf_reserve(b, n + 2);
	char *d = b->data + b->len;
	d[0] = '"';
	memcpy(d + 1, s, n);
	d[n + 1] = '"';
	d[n + 2] = '\0';
	b->len += n + 2;
}

/* Append v without white space (recursion depth is the document's nesting). */
static void print_value(struct buf *b, const cJSON *v)
{
	switch (v->type & 0xff) {
	case cJSON_NULL: buf_append(b, "null", 4); return;
	case cJSON_False: buf_append(b, "false", 5); return;
	case cJSON_True: buf_append(b, "true", 4); return;
	case cJSON_Number: print_number(b, v->valuedouble); return;
	case cJSON_String: print_string(b, v->valuestring ? v->valuestring : ""); return;
	case cJSON_Raw: buf_puts(b, v->valuestring ? v->valuestring : ""); return;
	case cJSON_Array:
	case cJSON_Object: {
		bool obj = (v->type & 0xff) == cJSON_Object;
		buf_append(b, obj ? "{" : "[", 1);
		for (const cJSON *c = v->child; c; c = c->next) {
			if (obj) {
				print_string(b, c->string ? c->string : "");
				buf_append(b, ":", 1);
			}
			print_value(b, c);
			if (c->next)
				buf_append(b, ",", 1);
		}
		buf_append(b, obj ? "}" : "]", 1);
		return;
	}
	default: buf_append(b, "null", 4); return;
	}
}

char *jx_print(const cJSON *o)
{
	/* Our own writer, the same text as cJSON_PrintUnformatted: cJSON formats every number
	 * with sprintf and reads it back with sscanf, which was half the CPU time of a
	 * 1,000-object change page. */
	struct buf b = {0};
	buf_reserve(&b, 1024); /* most documents fit: no copies while they grow */
	print_value(&b, o);
	char *s = buf_steal(&b);
	/* Second line behind the input rule: text stored before it, or by other means, must
	 * not make the whole document unreadable for a strict client. */
	if (!valid_utf8(s, strlen(s))) {
		char *fixed = jx_utf8_repair(s);
		free(s);
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
