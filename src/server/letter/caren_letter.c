/* The Caren activation letter: A4, rendered with pango (text, fonts from fontconfig:
 * DejaVu from fonts-dejavu-core) on a cairo PDF surface that writes into memory. */
#include "caren_letter.h"

#include "../caren_code.h"
#include "common/alloc.h"
#include "common/dutch.h"
#include "common/valid.h"

#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define PT_PER_MM (72.0 / 25.4)
#define PAGE_W (210.0 * PT_PER_MM)
#define PAGE_H (297.0 * PT_PER_MM)
#define MARGIN (25.0 * PT_PER_MM)
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define SANS "DejaVu Sans"
#define MONO "DejaVu Sans Mono"

/* One font map for every render, made on first use; pango objects are not shared between
 * threads, so renders take turns (letters are rare; a render takes milliseconds). */
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;
static PangoFontMap *font_map;

/* The PDF as it is written. */
struct sink {
	unsigned char *buf;
	size_t len, cap;
};

/* cairo's write callback: append to the sink. */
static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int n)
{
	struct sink *s = closure;
	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 64 * 1024;
		while (cap < s->len + n)
			cap *= 2;
		unsigned char *grown = xmalloc(cap);
		if (s->len)
			memcpy(grown, s->buf, s->len);
		if (s->buf)
			sodium_memzero(s->buf, s->cap);
		free(s->buf);
		s->buf = grown;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	return CAIRO_STATUS_SUCCESS;
}

/* The larger of a and b (a y further down the page). */
static double higher(double a, double b)
{
	return a > b ? a : b;
}

/* The letter's texts, checked and written out. */
struct texts {
	char code[CAREN_CODE_TEXT];
	char postcode[8];
	char valid_until[40];
	char letter_date[40];
	char *house;   /* "12 A" */
	char *city;    /* "DORPSTAD" */
};

/* True when s is present (or not required), valid UTF-8 without control characters, of at
 * most max characters. The limits follow the BAG (street and place names up to 80
 * characters); with every field at its limit, even in wide letters, the letter fits. */
static bool text_ok(const char *s, size_t max, bool required)
{
	if (!s)
		return !required;
	return valid_text(s, max, required);
}

/* True for a house number: 1 to 5 digits, not starting with 0. */
static bool house_number_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 5 || s[0] == '0')
		return false;
	return strspn(s, "0123456789") == n;
}

/* Check the letter's fields and prepare its texts; false if any is unusable. */
static bool texts_make(const struct caren_letter *l, struct texts *t)
{
	memset(t, 0, sizeof *t);
	if (!text_ok(l->org_name, 100, true) || !text_ok(l->client_name, 100, true) ||
		!text_ok(l->street, 80, true) || !house_number_ok(l->house_number) ||
		!text_ok(l->house_number_ext, 6, false) || !text_ok(l->city, 80, true) ||
		!valid_postcode(l->postcode ? l->postcode : "", t->postcode) ||
		!caren_code_format(l->code, t->code) || !valid_date(l->valid_until) ||
		(l->letter_date && !valid_date(l->letter_date)))
		return false;
	nl_date_long(l->valid_until, t->valid_until);
	if (l->letter_date)
		nl_date_long(l->letter_date, t->letter_date);
	bool ext = l->house_number_ext && l->house_number_ext[0];
	t->house = xasprintf("%s%s%s", l->house_number, ext ? " " : "", ext ? l->house_number_ext : "");
	t->city = g_utf8_strup(l->city, -1);
	return true;
}

static void texts_free(struct texts *t)
{
	free(t->house);
	g_free(t->city);
	sodium_memzero(t->code, sizeof t->code);
}

/* Draw markup at (x, y) in a box width wide; returns the height used. */
static double draw_markup(cairo_t *cr, PangoContext *pc, double x, double y, double width,
						  const char *font, const char *markup)
{
	PangoLayout *layout = pango_layout_new(pc);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(layout, fd);
	pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_markup(layout, markup, -1);
	int w, h;
	pango_layout_get_size(layout, &w, &h);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, layout);
	pango_font_description_free(fd);
	g_object_unref(layout);
	return (double)h / PANGO_SCALE;
}

/* printf into a markup string, escaping every %s argument; caller g_free()s. */
static char *markup(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *markup(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = g_markup_vprintf_escaped(fmt, ap);
	va_end(ap);
	return s;
}

/* Draw markup made by markup() and free it; returns the height used. */
static double draw_owned(cairo_t *cr, PangoContext *pc, double y, const char *font, char *m)
{
	double h = draw_markup(cr, pc, MARGIN, y, TEXT_W, font, m);
	g_free(m);
	return h;
}

/* The organisation at the top and the address where a window envelope shows it (50 mm
 * from the top, 25 mm from the left: EA5/6), lower when the name above needs the room;
 * returns the bottom of the address. */
static double draw_head(cairo_t *cr, PangoContext *pc, const struct caren_letter *l,
						const struct texts *t)
{
	double y = 15.0 * PT_PER_MM;
	y += draw_owned(cr, pc, y, SANS " Bold 16", markup("%s", l->org_name)) + 2;
	y += draw_owned(cr, pc, y, SANS " 9", markup("Uitnodiging voor Caren, het cli\u00ebntportaal"));
	y = higher(y + 8, 50.0 * PT_PER_MM);
	y += draw_owned(cr, pc, y, SANS " 11",
					markup("%s\n%s %s\n%s  %s", l->client_name, l->street, t->house, t->postcode,
						   t->city));
	return y;
}

/* Date, subject and the opening paragraphs; returns where the next part starts. */
static double draw_opening(cairo_t *cr, PangoContext *pc, const struct caren_letter *l,
						   const struct texts *t, double y)
{
	if (l->letter_date)
		y += draw_owned(cr, pc, y, SANS " 10", markup("Datum: %s", t->letter_date)) + 10;
	y += draw_owned(cr, pc, y, SANS " Bold 13", markup("Uw activeringscode voor Caren")) + 12;
	y += draw_owned(cr, pc, y, SANS " 10.5", markup("Beste %s,", l->client_name)) + 8;
	y += draw_owned(cr, pc, y, SANS " 10.5",
					markup("%s nodigt u uit om uw gegevens te bekijken in Caren, het "
						   "cli\u00ebntportaal. In Caren ziet u bijvoorbeeld uw afspraken en "
						   "berichten, en u kunt er naasten toegang geven. Met de persoonlijke "
						   "code hieronder koppelt u uw Caren-account aan uw gegevens bij ons.",
						   l->org_name));
	return y + 16;
}

/* The code, large and in monospace, in a box, with its last valid day below it. */
static double draw_code(cairo_t *cr, PangoContext *pc, const struct texts *t, double y)
{
	double top = y, pad = 12;
	y += pad;
	char *m = markup("<span font=\"" SANS " 16\">Activeringscode: </span>"
					 "<span font=\"" MONO " Bold 24\">%s</span>",
					 t->code);
	y += draw_markup(cr, pc, MARGIN + pad, y, TEXT_W - 2 * pad, SANS " 12", m) + 6;
	g_free(m);
	m = markup("Deze code is geldig tot en met %s.", t->valid_until);
	y += draw_markup(cr, pc, MARGIN + pad, y, TEXT_W - 2 * pad, SANS " Bold 11", m) + pad;
	g_free(m);
	cairo_set_line_width(cr, 1.5);
	cairo_rectangle(cr, MARGIN, top, TEXT_W, y - top);
	cairo_stroke(cr);
	return y + 18;
}

/* One numbered step: the number in the margin of a hanging indent. */
static double draw_step(cairo_t *cr, PangoContext *pc, double y, int n, char *m)
{
	const double indent = 18;
	char num[8];
	snprintf(num, sizeof num, "%d.", n);
	draw_markup(cr, pc, MARGIN, y, indent, SANS " 10.5", num);
	double h = draw_markup(cr, pc, MARGIN + indent, y, TEXT_W - indent, SANS " 10.5", m);
	g_free(m);
	return h + 3;
}

/* How to activate the code, what to do when it fails, and a warning to keep it safe. */
static double draw_steps(cairo_t *cr, PangoContext *pc, const struct caren_letter *l, double y)
{
	y += draw_owned(cr, pc, y, SANS " Bold 11", markup("Zo activeert u de code")) + 6;
	y += draw_step(cr, pc, y, 1, markup("Ga naar www.carenzorgt.nl of open de app Caren Zorgt."));
	y += draw_step(cr, pc, y, 2,
				   markup("Log in met uw Caren-account. Hebt u nog geen account? Maak er dan "
						  "eerst gratis een aan."));
	y += draw_step(cr, pc, y, 3,
				   markup("Kies \u2018Activeringscode invoeren\u2019 en typ de code over. "
						  "Hoofdletters, spaties en streepjes maken niet uit."));
	y += draw_step(cr, pc, y, 4, markup("Daarna ziet u uw gegevens van ons in Caren."));
	y += 10;
	y += draw_owned(cr, pc, y, SANS " 10.5",
					markup("Lukt het niet, of is de code verlopen? Neem dan contact met ons op. "
						   "Wij maken graag een nieuwe uitnodiging voor u.")) + 12;
	y += draw_owned(cr, pc, y, SANS " 10.5",
					markup("Bewaar deze brief goed en geef de code aan niemand anders: met deze "
						   "code kan iemand uw gegevens inzien. De code werkt maar \u00e9\u00e9n "
						   "keer.")) + 16;
	y += draw_owned(cr, pc, y, SANS " 10.5", markup("Met vriendelijke groet,\n%s", l->org_name));
	return y; /* the bottom of the last line */
}

/* Everything on the one page; returns the bottom of the last line. */
static double draw_page(cairo_t *cr, const struct caren_letter *l, const struct texts *t)
{
	PangoContext *pc = pango_font_map_create_context(font_map);
	pango_cairo_update_context(cr, pc);
	pango_cairo_context_set_resolution(pc, 72); /* font sizes in points on a page in points */
	cairo_set_source_rgb(cr, 0, 0, 0);
	double y = draw_head(cr, pc, l, t);
	y = draw_opening(cr, pc, l, t, higher(y + 14, 95.0 * PT_PER_MM));
	y = draw_code(cr, pc, t, y);
	y = draw_steps(cr, pc, l, y);
	g_object_unref(pc);
	return y;
}

/* Render onto a PDF surface writing into sink; false on a cairo error or when the text
 * does not fit on the page (it is never cut off silently). */
static bool render(const struct caren_letter *l, const struct texts *t, struct sink *sink)
{
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(sink_write, sink, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Uitnodiging voor Caren");
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, l->org_name);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "zorgd");
	cairo_t *cr = cairo_create(surface);
	bool ok = draw_page(cr, l, t) <= PAGE_H - 10.0 * PT_PER_MM;
	cairo_show_page(cr);
	ok = ok && cairo_status(cr) == CAIRO_STATUS_SUCCESS;
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	ok = ok && cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surface);
	return ok;
}

unsigned char *caren_letter_pdf(const struct caren_letter *letter, size_t *len)
{
	struct texts t;
	if (!texts_make(letter, &t)) {
		texts_free(&t);
		return NULL;
	}
	struct sink sink = {0};
	pthread_mutex_lock(&render_lock);
	if (!font_map)
		font_map = pango_cairo_font_map_new();
	bool ok = render(letter, &t, &sink);
	pthread_mutex_unlock(&render_lock);
	texts_free(&t);
	if (!ok) {
		caren_letter_free(sink.buf, sink.cap);
		return NULL;
	}
	*len = sink.len;
	return sink.buf;
}

void caren_letter_free(unsigned char *pdf, size_t len)
{
	if (pdf)
		sodium_memzero(pdf, len);
	free(pdf);
}

void caren_letter_shutdown(void)
{
	pthread_mutex_lock(&render_lock);
	if (font_map) {
		g_object_unref(font_map);
		font_map = NULL;
		cairo_debug_reset_static_data();
		FcFini();
	}
	pthread_mutex_unlock(&render_lock);
}
