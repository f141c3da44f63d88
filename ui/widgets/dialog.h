/* The dialog of a dangerous action: a box with the question wrapped over as many lines as
 * it needs and, always on its own line, the answer keys. */
#ifndef ZT_UI_WIDGETS_DIALOG_H
#define ZT_UI_WIDGETS_DIALOG_H

struct ui;

/* Draw the dialog titled title asking question in the middle of the screen; places the
 * cursor after the answer keys. */
void dialog_draw(struct ui *u, const char *title, const char *question);
/* The answer-keys line ("j = ja, n = nee") in the interface language. */
const char *dialog_answers(void);

#endif
