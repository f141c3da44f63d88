/* The Caren activation letter: an A4 PDF rendered into memory with cairo and pango. */
#ifndef ZT_SERVER_LETTER_CAREN_LETTER_H
#define ZT_SERVER_LETTER_CAREN_LETTER_H

#include <stddef.h>

/* What the letter says; all text UTF-8. NULL optional fields are left out. */
struct caren_letter {
	const char *org_name;         /* the care organisation, required */
	const char *client_name;      /* the addressee, required */
	const char *street;           /* required */
	const char *house_number;     /* required */
	const char *house_number_ext; /* optional ("A", "bis") */
	const char *postcode;         /* required; written as "1234 AB" */
	const char *city;             /* required; written in capitals (PostNL) */
	const char *code;             /* the activation code (any form normalise accepts) */
	const char *valid_until;      /* the last valid day, "YYYY-MM-DD" */
	const char *letter_date;      /* optional date of the letter, "YYYY-MM-DD" */
};

/* Render the letter as a PDF; returns the bytes (caller frees them with
 * caren_letter_free, which wipes the code) and sets *len, or returns NULL when a required
 * field is missing or invalid (bad UTF-8, not a code, not a date, not a postcode).
 * Thread-safe: renders are serialised. */
unsigned char *caren_letter_pdf(const struct caren_letter *letter, size_t *len);
/* Wipe and free a letter returned by caren_letter_pdf (NULL is fine). */
void caren_letter_free(unsigned char *pdf, size_t len);

/* Free the fonts and caches the letters keep (fontconfig's too), for a clean exit under
 * LeakSanitizer; call once, when no letter is being rendered (zorgd at shutdown). */
void caren_letter_shutdown(void);

#endif
