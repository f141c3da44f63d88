/* A reader of GET /api/v1/visible's answer that keeps only the ids (see visible.h). */
#include "client/visible.h"

#include "common/alloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A position in the JSON text. */
struct scan {
	const char *p, *end;
};

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Consume c (after white space); false when it is not next. */
static bool take(struct scan *s, char c)
{
	skip_ws(s);
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return true;
	}
	return false;
}

/* Read a string into out (cap bytes, cut when longer; out may be NULL to skip it). An
 * escaped character is kept as the character after the backslash: keys are plain ASCII. */
static bool read_string(struct scan *s, char *out, size_t cap)
{
	if (!take(s, '"'))
		return false;
	size_t n = 0;
	while (s->p < s->end && *s->p != '"') {
		if (*s->p == '\\' && ++s->p == s->end)
			return false;
		if (out && n + 1 < cap)
			out[n++] = *s->p;
		s->p++;
	}
	if (out && cap)
		out[n] = '\0';
	if (s->p == s->end)
		return false;
	s->p++;
	return true;
}

/* Read an integer (an optional minus and digits, no fraction or exponent). */
static bool read_int(struct scan *s, int64_t *v)
{
	skip_ws(s);
	const char *b = s->p;
	bool neg = s->p < s->end && *s->p == '-';
	s->p += neg;
	uint64_t x = 0;
	while (s->p < s->end && isdigit((unsigned char)*s->p) && x < UINT64_MAX / 20)
		x = x * 10 + (uint64_t)(*s->p++ - '0');
	if (s->p == b + neg || x > (uint64_t)INT64_MAX ||
		(s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E' || isdigit((unsigned char)*s->p)))) {
		s->p = b;
		return false;
	}
	*v = neg ? -(int64_t)x : (int64_t)x;
	return true;
}

/* Skip one value of any kind (depth limits nesting). */
static bool skip_value(struct scan *s, int depth)
{
	skip_ws(s);
	if (s->p >= s->end || depth > 64)
		return false;
	char c = *s->p;
	if (c == '"')
		return read_string(s, NULL, 0);
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';
		s->p++;
		if (take(s, close))
			return true;
		do {
			if (c == '{' && (!read_string(s, NULL, 0) || !take(s, ':')))
				return false;
			if (!skip_value(s, depth + 1))
				return false;
		} while (take(s, ','));
		return take(s, close);
	}
	const char *b = s->p; /* number, true, false, null */
	while (s->p < s->end && (isalnum((unsigned char)*s->p) || strchr("+-.", *s->p)))
		s->p++;
	return s->p > b;
}

/* Read an array of ids into l (members that are not integers are skipped). */
static bool read_ids(struct scan *s, struct visible_list *l)
{
	if (!take(s, '['))
		return false;
	if (take(s, ']'))
		return true;
	do {
		int64_t id;
		if (!read_int(s, &id)) {
			if (!skip_value(s, 1))
				return false;
			continue;
		}
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 1024;
			l->ids = xrealloc(l->ids, l->cap * sizeof *l->ids);
		}
		l->ids[l->n++] = id;
	} while (take(s, ','));
	return take(s, ']');
}

/* Read one member of the top-level object; *rev is set when it is "revision". */
static bool read_member(struct scan *s, struct visible *out, bool *rev)
{
	char key[32];
	if (!read_string(s, key, sizeof key) || !take(s, ':'))
		return false;
	skip_ws(s);
	if (strcmp(key, "revision") == 0)
		return (*rev = read_int(s, &out->revision));
	if (s->p >= s->end || *s->p != '[' || out->nlists == VISIBLE_MAX_LISTS)
		return skip_value(s, 1);
	struct visible_list *l = &out->lists[out->nlists++];
	memcpy(l->key, key, sizeof key);
	return read_ids(s, l);
}

int visible_parse(const char *body, size_t len, struct visible *out)
{
	memset(out, 0, sizeof *out);
	struct scan s = {body, body + len};
	bool rev = false, ok = take(&s, '{');
	if (ok && !take(&s, '}')) {
		do
			ok = read_member(&s, out, &rev);
		while (ok && take(&s, ','));
		ok = ok && take(&s, '}');
	}
	size_t n;
	skip_ws(&s);
	if (!ok || !rev || s.p != s.end || !visible_ids(out, "clients", &n)) {
		visible_free(out);
		return -1;
	}
	return 0;
}

const int64_t *visible_ids(const struct visible *v, const char *key, size_t *n)
{
	for (size_t i = 0; i < v->nlists; i++)
		if (strcmp(v->lists[i].key, key) == 0) {
			*n = v->lists[i].n;
			static const int64_t none[1];
			return v->lists[i].ids ? v->lists[i].ids : none;
		}
	*n = 0;
	return NULL;
}

void visible_free(struct visible *v)
{
	for (size_t i = 0; i < v->nlists; i++)
		free(v->lists[i].ids);
	memset(v, 0, sizeof *v);
}
