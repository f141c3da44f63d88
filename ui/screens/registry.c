/* The registry: the descriptor of each screen id, found by id or by name. */
#include "screen.h"

#include <stddef.h>
#include <string.h>

#define UI_SCREEN_EXTERN(id, desc) extern const struct screen desc;
UI_SCREENS(UI_SCREEN_EXTERN)
#undef UI_SCREEN_EXTERN

static const struct screen *const registry[SID__COUNT] = {
#define UI_SCREEN_ROW(id, desc) [id] = &desc,
	UI_SCREENS(UI_SCREEN_ROW)
#undef UI_SCREEN_ROW
};

const struct screen *screen_get(enum screen_id sid)
{
	return (int)sid >= 0 && sid < SID__COUNT ? registry[sid] : NULL;
}

const struct screen *screen_find(const char *name)
{
	for (int i = 0; i < SID__COUNT; i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}
