/* Checked allocation: every wrapper aborts on out-of-memory, so callers never test for NULL. */
#ifndef ZT_COMMON_ALLOC_H
#define ZT_COMMON_ALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Allocate n bytes; never returns NULL. Caller frees. */
void *xmalloc(size_t n);
/* Allocate a zeroed array of n elements of size sz; never returns NULL. Caller frees. */
void *xcalloc(size_t n, size_t sz);
/* Resize p to n bytes; never returns NULL. Caller frees the result. */
void *xrealloc(void *p, size_t n);
/* Duplicate a string (NULL stays NULL). Caller frees. */
char *xstrdup(const char *s);
/* Duplicate at most n bytes of s and terminate. Caller frees. */
char *xstrndup(const char *s, size_t n);
/* printf into a new string. Caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* vprintf into a new string. Caller frees. */
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Free *pp and set it to NULL. */
#define XFREE(pp)             \
	do {                      \
		free(*(pp));          \
		*(pp) = NULL;         \
	} while (0)

/* A growable byte buffer, always NUL-terminated. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Append n bytes to b. */
void buf_append(struct buf *b, const void *p, size_t n);
/* Make room for n more bytes in b at once (no copies while they are appended); grows by
 * at least double, like buf_append. */
void buf_reserve(struct buf *b, size_t n);
/* Append a C string to b. */
void buf_puts(struct buf *b, const char *s);
/* Append formatted text to b. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Give up ownership of the buffer's data (caller frees) and reset b. */
char *buf_steal(struct buf *b);
/* Free the buffer's data and reset b. */
void buf_free(struct buf *b);

#endif
