/* E-mail for the outbox: proper messages (Date, Message-ID, From, To, an RFC 2047 encoded
 * Subject, UTF-8 MIME text) and the two transports: SMTP through libcurl (smtp:// and
 * smtps://, STARTTLS, authentication, one connection reused) and a maildir. */
#ifndef ZT_SERVER_MAIL_H
#define ZT_SERVER_MAIL_H

#include <stddef.h>
#include <stdint.h>

/* One e-mail to render. */
struct mail {
	const char *from;       /* address only */
	const char *from_name;  /* display name (UTF-8) or NULL */
	const char *to;
	const char *subject;    /* UTF-8 */
	const char *text;       /* UTF-8 body, '\n' line ends */
	const char *message_id; /* "<...@...>" */
	int64_t date;           /* Unix seconds */
};

/* The message as sent on the wire (CRLF line ends, base64 body); caller frees. */
char *mail_render(const struct mail *m, size_t *len);
/* Encode UTF-8 text as RFC 2047 encoded words ("=?UTF-8?B?...?=", folded, never splitting
 * a character); plain ASCII without specials comes back as it is. Caller frees. */
char *mail_header_encode(const char *text);
/* The stable Message-ID of outbox row id created at created_at: "<zorgd.ID.CREATED@DOMAIN>"
 * with the domain of the sender address from. Caller frees. */
char *mail_message_id(int64_t id, int64_t created_at, const char *from);

/* Where mail goes. */
struct mail_settings {
	const char *smtp_url;  /* smtp://host:port or smtps://...; NULL: maildir */
	const char *user, *password;
	const char *tls;       /* "auto" (STARTTLS when offered), "require", "off" */
	const char *ca_file;   /* CA bundle for the server's certificate, or NULL */
	const char *maildir;   /* used without smtp_url */
	const char *from;
};

/* What a send came to. */
enum mail_result { MAIL_SENT = 0, MAIL_RETRY = 1, MAIL_REJECTED = 2 };

struct mail_transport;
/* A transport for s (strings are copied); NULL with a logged reason when the maildir
 * cannot be made or libcurl fails. */
struct mail_transport *mail_transport_new(const struct mail_settings *s);
/* Send data[0..len) from the sender to rcpt; err (size 256) says why when not sent.
 * MAIL_REJECTED is a permanent refusal (5xx); MAIL_RETRY anything that may pass later. */
enum mail_result mail_transport_send(struct mail_transport *t, const char *rcpt,
									 const char *data, size_t len, char err[256]);
/* Close the connection and free t. */
void mail_transport_free(struct mail_transport *t);
/* "smtp" or "maildir DIR", for the log; static or owned by t. */
const char *mail_transport_name(const struct mail_transport *t);

#endif
