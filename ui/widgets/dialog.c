/* Confirmation dialog. */
#include "widgets/dialog.h"

#include "draw.h"
#include "ui.h"

const char *dialog_answers(void)
{
	return tr(T_DIALOG_ANSWERS);
}

void dialog_draw(struct ui *u, const char *title, const char *question)
{
	int w = u->cols - 10 < 70 ? u->cols - 10 : 70;
	int inner = w - 4;
	int qrows = draw_wrap_rows(inner, question);
	if (qrows > u->rows - 8)
		qrows = u->rows - 8;
	int h = qrows + 5, y = (u->rows - h) / 2, x = (u->cols - w) / 2;
	draw_box(y, x, h, w, THEME_BORDER, title);
	draw_wrap(y + 1, x + 2, inner, qrows, 0, THEME_ERROR, question);
	const char *keys = dialog_answers();
	int kw = draw_text(y + h - 2, x + 2, inner, THEME_KEY, keys);
	u->cur_y = y + h - 2;
	u->cur_x = x + 2 + kw;
}
