/* E-mail rendering and transports for the outbox (see mail.h). */
#include "mail.h"

#include "common/alloc.h"
#include "common/civil.h"
#include "common/log.h"
#include "common/text.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- rendering ------------------------------------------------------------------------ */

/* Append base64 of p[0..n) to b. */
static void b64_append(struct buf *b, const unsigned char *p, size_t n)
{
	size_t cap = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	char *out = xmalloc(cap);
	sodium_bin2base64(out, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
	buf_puts(b, out);
	free(out);
}

/* True when s may stand in a header as it is: printable ASCII only, and for a display
 * name (phrase) none of the characters that would need quoting. */
static bool header_plain(const char *s, bool phrase)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || (s[0] == '=' && s[1] == '?') ||
			(phrase && strchr("\"(),.:;<>@[\\]", *s)))
			return false;
	return true;
}

/* mail_header_encode for a subject (phrase false) or a display name (phrase true). */
static char *header_encode(const char *text, bool phrase)
{
	if (header_plain(text, phrase))
		return xstrdup(text);
	/* Each encoded word holds at most 45 bytes (60 in base64, 72 with its frame), cut only
	 * between characters; words are folded onto continuation lines. */
	struct buf b = {0};
	size_t len = strlen(text), i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len) {
			uint32_t cp;
			size_t n = text_utf8_decode(text + end, len - end, &cp);
			if (end + n - i > 45)
				break;
			end += n;
		}
		if (end == i)
			end = i + 1;
		if (i > 0)
			buf_puts(&b, "\r\n ");
		buf_puts(&b, "=?UTF-8?B?");
		b64_append(&b, (const unsigned char *)text + i, end - i);
		buf_puts(&b, "?=");
		i = end;
	}
	return buf_steal(&b);
}

char *mail_header_encode(const char *text) { return header_encode(text, false); }

char *mail_message_id(int64_t id, int64_t created_at, const char *from)
{
	const char *at = from ? strrchr(from, '@') : NULL;
	const char *domain = at && at[1] ? at + 1 : "zorgd.invalid";
	return xasprintf("<zorgd.%lld.%lld@%s>", (long long)id, (long long)created_at, domain);
}

/* RFC 5322 date of t in Amsterdam time, e.g. "Sun, 29 Nov 2026 17:24:00 +0100". */
static void mail_date(int64_t t, char out[40])
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
										 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int off = civil_ams_offset(t);
	time_t local = (time_t)(t + off);
	struct tm tm;
	gmtime_r(&local, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +%02d%02d", days[tm.tm_wday],
			 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, off / 3600, (off % 3600) / 60);
}

/* Append text with '\n' turned into CRLF, base64 in lines of 76. */
static void body_append(struct buf *b, const char *text)
{
	struct buf crlf = {0};
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			buf_append(&crlf, "\r", 1);
		buf_append(&crlf, p, 1);
	}
	for (size_t i = 0; i < crlf.len; i += 57) {
		size_t n = crlf.len - i < 57 ? crlf.len - i : 57;
		b64_append(b, (const unsigned char *)crlf.data + i, n);
		buf_puts(b, "\r\n");
	}
	buf_free(&crlf);
}

char *mail_render(const struct mail *m, size_t *len)
{
	struct buf b = {0};
	char date[40];
	mail_date(m->date, date);
	char *subject = mail_header_encode(m->subject);
	buf_puts(&b, "Date: ");
	buf_puts(&b, date);
	buf_puts(&b, "\r\nMessage-ID: ");
	buf_puts(&b, m->message_id);
	buf_puts(&b, "\r\nFrom: ");
	if (m->from_name) {
		char *name = header_encode(m->from_name, true);
		buf_puts(&b, name);
		buf_puts(&b, " ");
		free(name);
	}
	buf_puts(&b, "<");
	buf_puts(&b, m->from);
	buf_puts(&b, ">\r\nTo: <");
	buf_puts(&b, m->to);
	buf_puts(&b, ">\r\nSubject: ");
	buf_puts(&b, subject);
	buf_puts(&b, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
				 "Content-Transfer-Encoding: base64\r\nAuto-Submitted: auto-generated\r\n\r\n");
	body_append(&b, m->text);
	free(subject);
	*len = b.len;
	return buf_steal(&b);
}

/* ---- transports ----------------------------------------------------------------------- */

struct mail_transport {
	CURL *curl;    /* SMTP; NULL for the maildir */
	char *url, *user, *password, *tls, *ca_file, *from, *maildir;
	char name[300];
};

/* Make dir (and its parent when missing) with mode 0700; false with a log line. */
static bool make_dir(const char *dir)
{
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return true;
	log_error("outbox: cannot create %s: %s", dir, strerror(errno));
	return false;
}

/* The maildir's tmp, new and cur directories. */
static bool maildir_prepare(const char *dir)
{
	char sub[4096];
	if (!make_dir(dir))
		return false;
	static const char *const parts[] = {"tmp", "new", "cur"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(sub, sizeof sub, "%s/%s", dir, parts[i]);
		if (!make_dir(sub))
			return false;
	}
	return true;
}

static void smtp_setup(struct mail_transport *t);

struct mail_transport *mail_transport_new(const struct mail_settings *s)
{
	struct mail_transport *t = xcalloc(1, sizeof *t);
	t->from = xstrdup(s->from);
	if (s->smtp_url && *s->smtp_url) {
		t->curl = curl_easy_init();
		if (!t->curl) {
			log_error("outbox: libcurl could not start");
			mail_transport_free(t);
			return NULL;
		}
		t->url = xstrdup(s->smtp_url);
		t->user = xstrdup(s->user);
		t->password = xstrdup(s->password);
		t->tls = xstrdup(s->tls ? s->tls : "auto");
		t->ca_file = xstrdup(s->ca_file);
		smtp_setup(t);
		snprintf(t->name, sizeof t->name, "SMTP");
		return t;
	}
	if (!s->maildir || !maildir_prepare(s->maildir)) {
		mail_transport_free(t);
		return NULL;
	}
	t->maildir = xstrdup(s->maildir);
	snprintf(t->name, sizeof t->name, "maildir %.280s", s->maildir);
	return t;
}

const char *mail_transport_name(const struct mail_transport *t) { return t->name; }

void mail_transport_free(struct mail_transport *t)
{
	if (!t)
		return;
	if (t->curl)
		curl_easy_cleanup(t->curl);
	if (t->password)
		sodium_memzero(t->password, strlen(t->password));
	free(t->url);
	free(t->user);
	free(t->password);
	free(t->tls);
	free(t->ca_file);
	free(t->from);
	free(t->maildir);
	free(t);
}

/* Deliver into the maildir: write tmp/NAME, fsync, rename to new/NAME. */
static enum mail_result maildir_send(struct mail_transport *t, const char *data, size_t len,
									 char err[256])
{
	static atomic_uint seq;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char name[128], tmp[4300], dst[4300];
	snprintf(name, sizeof name, "%lld.M%ldP%dQ%u.zorgd", (long long)ts.tv_sec,
			 ts.tv_nsec / 1000, (int)getpid(), atomic_fetch_add(&seq, 1));
	snprintf(tmp, sizeof tmp, "%s/tmp/%s", t->maildir, name);
	snprintf(dst, sizeof dst, "%s/new/%s", t->maildir, name);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	bool ok = fd >= 0 && write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	if (ok && rename(tmp, dst) == 0)
		return MAIL_SENT;
	snprintf(err, 256, "maildir: %s", strerror(errno));
	unlink(tmp);
	return MAIL_RETRY;
}

struct upload {
	const char *data;
	size_t len, pos;
};

static size_t upload_read(char *out, size_t size, size_t n, void *p)
{
	struct upload *u = p;
	size_t room = size * n, left = u->len - u->pos;
	size_t k = left < room ? left : room;
	memcpy(out, u->data + u->pos, k);
	u->pos += k;
	return k;
}

/* The options every SMTP send shares, set once on t's handle (it is kept between sends,
 * so libcurl reuses the connection). */
static void smtp_setup(struct mail_transport *t)
{
	CURL *c = t->curl;
	char from[300];
	snprintf(from, sizeof from, "<%s>", t->from);
	curl_easy_setopt(c, CURLOPT_URL, t->url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from); /* libcurl copies strings it is given */
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (t->user && *t->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, t->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, t->password ? t->password : "");
	}
	long ssl = strcmp(t->tls, "require") == 0 ? (long)CURLUSESSL_ALL
			   : strcmp(t->tls, "off") == 0   ? (long)CURLUSESSL_NONE
											  : (long)CURLUSESSL_TRY;
	curl_easy_setopt(c, CURLOPT_USE_SSL, ssl);
	if (t->ca_file && *t->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, t->ca_file);
}

/* Send over SMTP; a 5xx answer is a permanent refusal. */
static enum mail_result smtp_send(struct mail_transport *t, const char *rcpt, const char *data,
								  size_t len, char err[256])
{
	char to[300], errbuf[CURL_ERROR_SIZE] = "";
	snprintf(to, sizeof to, "<%s>", rcpt);
	struct curl_slist *list = curl_slist_append(NULL, to);
	struct upload u = {data, len, 0};
	curl_easy_setopt(t->curl, CURLOPT_MAIL_RCPT, list);
	curl_easy_setopt(t->curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(t->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u.len);
	curl_easy_setopt(t->curl, CURLOPT_ERRORBUFFER, errbuf);
	CURLcode rc = curl_easy_perform(t->curl);
	curl_easy_setopt(t->curl, CURLOPT_ERRORBUFFER, NULL);
	long code = 0;
	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(list);
	curl_easy_setopt(t->curl, CURLOPT_MAIL_RCPT, NULL);
	if (rc == CURLE_OK)
		return MAIL_SENT;
	snprintf(err, 256, "SMTP %ld: %.200s", code, errbuf[0] ? errbuf : curl_easy_strerror(rc));
	return code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED ? MAIL_REJECTED : MAIL_RETRY;
}

enum mail_result mail_transport_send(struct mail_transport *t, const char *rcpt,
									 const char *data, size_t len, char err[256])
{
	err[0] = '\0';
	return t->curl ? smtp_send(t, rcpt, data, len, err) : maildir_send(t, data, len, err);
}
