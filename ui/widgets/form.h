/* A form: labelled text fields, choice fields (Left/Right to change), read-only lines and
 * a submit button; fields are checked as the user leaves them. */
#ifndef ZT_UI_FORM_H
#define ZT_UI_FORM_H

#include "keys.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ui;

/* FK_DATE: typed and shown as dd-mm-jjjj; form_date() gives it as YYYY-MM-DD. */
enum fkind { FK_TEXT, FK_CHOICE, FK_INFO, FK_BUTTON, FK_HEADING, FK_DATE };

#define FORM_MAX_FIELDS 32
#define FORM_MAX_CHOICES 64

struct ffield {
	enum fkind kind;
	int id;            /* the screen's own name for the field */
	const char *label; /* in the interface language */
	char text[256];    /* FK_TEXT: the value; FK_INFO: the text shown */
	size_t maxlen;     /* FK_TEXT: most characters (code points) */
	char *choices[FORM_MAX_CHOICES];
	int64_t choice_ids[FORM_MAX_CHOICES];
	size_t nchoices, choice;
	bool hidden;
	char error[160];
};

struct form {
	struct ffield f[FORM_MAX_FIELDS];
	size_t n, focus;
	int scroll;
};

/* What a key did to the form. */
enum form_event { FE_NONE, FE_CHANGED, FE_LEAVE, FE_SUBMIT, FE_CANCEL };

/* Append a field; returns it for further settings. */
struct ffield *form_add(struct form *fm, enum fkind kind, int id, const char *label);
/* Add a choice (text copied) with its id. */
void form_choice(struct ffield *f, const char *text, int64_t id);
/* The field with id, or NULL. */
struct ffield *form_get(struct form *fm, int id);
/* Free the choices' texts. */
void form_free(struct form *fm);
/* Focus the first focusable field. */
void form_focus_first(struct form *fm);
/* Handle a key. FE_LEAVE reports the field being left in *left (the focus already moved,
 * unless the screen moves it back). */
enum form_event form_key(struct form *fm, struct key k, size_t *left);
/* Draw the form in rows y0..y0+h-1; places the cursor in the focused field. */
void form_draw(struct ui *u, struct form *fm, int y0, int h);
/* Set a date field from "YYYY-MM-DD" (shown as dd-mm-jjjj); "" or NULL empties it. */
void form_set_date(struct ffield *f, const char *iso);
/* Check a date field: true with iso set ("" when empty and !required); false with the
 * field's error set (the format, or which day the month does not have). */
bool form_date(struct ffield *f, bool required, char iso[11]);
/* True when any visible field shows an error. */
bool form_has_errors(const struct form *fm);

#endif
