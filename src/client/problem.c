/* Problem slugs and transport failures as one enum with the user's texts. */
#include "client/problem.h"

#include <stddef.h>
#include <string.h>

static const struct {
	const char *slug, *nl, *en;
} problems[PROB__COUNT] = {
#define ZT_PROBLEM_ROW(id, slug, nl, en) [id] = {slug, nl, en},
	ZT_PROBLEMS(ZT_PROBLEM_ROW)
#undef ZT_PROBLEM_ROW
};

enum problem problem_from_slug(const char *slug)
{
	if (!slug)
		return PROB_NONE;
	for (int i = 0; i < PROB__COUNT; i++)
		if (problems[i].slug && strcmp(problems[i].slug, slug) == 0)
			return (enum problem)i;
	return PROB_OTHER;
}

enum problem problem_from_status(long status)
{
	if (status == 401)
		return PROB_UNAUTHORIZED;
	if (status == 403)
		return PROB_FORBIDDEN;
	if (status == 404)
		return PROB_NOT_FOUND;
	if (status == 400 || status == 422)
		return PROB_INVALID;
	if (status == 429)
		return PROB_THROTTLED;
	if (status >= 500)
		return PROB_SERVER;
	return PROB_OTHER;
}

const char *problem_text(enum problem p, bool english)
{
	if ((int)p < 0 || p >= PROB__COUNT)
		p = PROB_OTHER;
	return english ? problems[p].en : problems[p].nl;
}

const char *problem_slug(enum problem p)
{
	return (int)p >= 0 && p < PROB__COUNT ? problems[p].slug : NULL;
}
