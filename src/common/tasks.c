/* The task table of common/tasks.h. */
#include "common/tasks.h"

#include <string.h>

struct task_row {
	const char *code, *nl, *en;
};

static const struct task_row task_rows[TASK__COUNT] = {
#define ZT_TASK_ROW(id, code, nl, en) [TASK_##id] = {code, nl, en},
	ZT_TASKS(ZT_TASK_ROW)
#undef ZT_TASK_ROW
};

const char *task_code(enum task_id t)
{
	return (unsigned)t < TASK__COUNT ? task_rows[t].code : "";
}

enum task_id task_by_code(const char *code)
{
	for (int i = 0; code && i < TASK__COUNT; i++)
		if (strcmp(task_rows[i].code, code) == 0)
			return (enum task_id)i;
	return TASK__COUNT;
}

const char *task_label(enum task_id t, int nl)
{
	if ((unsigned)t >= TASK__COUNT)
		return "";
	return nl ? task_rows[t].nl : task_rows[t].en;
}
