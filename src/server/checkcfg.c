/* zorgd --check-config: every setting zorgd needs to start, checked without starting. */
#include "checkcfg.h"

#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A certificate that ends within this many days is reported as a warning. */
#define EXPIRY_WARN_DAYS 30

enum finding { FIND_OK, FIND_WARN, FIND_ERR };

struct chk {
	FILE *out;
	int errors;
	int warnings;
};

/* Report one finding. */
static void __attribute__((format(printf, 3, 4))) say(struct chk *c, enum finding f,
													  const char *fmt, ...)
{
	static const char *const tag[] = {"ok      ", "warning ", "ERROR   "};
	fputs(tag[f], c->out);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
	if (f == FIND_ERR)
		c->errors++;
	else if (f == FIND_WARN)
		c->warnings++;
}

/* "2027-03-01 12:00 UTC" for t into buf. */
static const char *fmt_time(time_t t, char buf[32])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%d %H:%M UTC", &tm);
	return buf;
}

/* Read a whole file into d (free d->data); false with an error reported. */
static bool load(struct chk *c, const char *what, const char *path, gnutls_datum_t *d)
{
	d->data = NULL;
	d->size = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		say(c, FIND_ERR, "%s %s: cannot read: %s", what, path, strerror(errno));
		return false;
	}
	size_t cap = 0, n;
	unsigned char chunk[4096];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (d->size + n + 1 > cap) {
			cap = (d->size + n + 1) * 2;
			unsigned char *p = realloc(d->data, cap);
			if (!p) {
				fclose(f);
				say(c, FIND_ERR, "%s %s: out of memory", what, path);
				return false;
			}
			d->data = p;
		}
		memcpy(d->data + d->size, chunk, n);
		d->size += (unsigned int)n;
	}
	bool err = ferror(f);
	fclose(f);
	if (err || d->size == 0) {
		say(c, FIND_ERR, "%s %s: %s", what, path, err ? "read error" : "the file is empty");
		free(d->data);
		d->data = NULL;
		return false;
	}
	d->data[d->size] = '\0';
	return true;
}

/* The certificate's common name (or "(no CN)") into buf. */
static const char *cert_cn(gnutls_x509_crt_t crt, char buf[256])
{
	size_t len = 256;
	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &len) != 0)
		snprintf(buf, 256, "(no CN)");
	return buf;
}

/* Check a certificate's validity period; false when it is not valid now. */
static bool check_dates(struct chk *c, const char *what, const char *path, gnutls_x509_crt_t crt)
{
	char cn[256], t1[32], t2[32];
	time_t now = time(NULL);
	time_t from = gnutls_x509_crt_get_activation_time(crt);
	time_t until = gnutls_x509_crt_get_expiration_time(crt);
	cert_cn(crt, cn);
	if (until != (time_t)-1 && until < now) {
		say(c, FIND_ERR, "%s %s (CN=%s) expired on %s", what, path, cn, fmt_time(until, t1));
		return false;
	}
	if (from != (time_t)-1 && from > now) {
		say(c, FIND_ERR, "%s %s (CN=%s) is not valid before %s", what, path, cn,
			fmt_time(from, t1));
		return false;
	}
	if (until - now < (time_t)EXPIRY_WARN_DAYS * 86400)
		say(c, FIND_WARN, "%s %s (CN=%s) expires soon: %s; renew it", what, path, cn,
			fmt_time(until, t1));
	else
		say(c, FIND_OK, "%s %s (CN=%s), valid from %s until %s", what, path, cn,
			fmt_time(from, t1), fmt_time(until, t2));
	return true;
}

/* Parse every certificate of a PEM file; *list (gnutls_free it and each) and *n on
 * success, false with an error reported. */
static bool load_certs(struct chk *c, const char *what, const char *path,
					   gnutls_x509_crt_t **list, unsigned int *n)
{
	gnutls_datum_t d;
	if (!load(c, what, path, &d))
		return false;
	int rc = strstr((const char *)d.data, "-----BEGIN CERTIFICATE-----")
				 ? gnutls_x509_crt_list_import2(list, n, &d, GNUTLS_X509_FMT_PEM, 0)
				 : GNUTLS_E_BASE64_DECODING_ERROR;
	free(d.data);
	if (rc < 0 || *n == 0) {
		say(c, FIND_ERR, "%s %s: not a PEM certificate (%s)", what, path,
			rc < 0 ? gnutls_strerror(rc) : "no certificate in it");
		return false;
	}
	return true;
}

/* Free a list from load_certs. */
static void free_certs(gnutls_x509_crt_t *list, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
}

/* Warn when a private key file may be read by other users. */
static void check_key_mode(struct chk *c, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && (st.st_mode & 0004))
		say(c, FIND_WARN, "key %s is readable by every user (mode %04o); use 0640 root:zorgd",
			path, (unsigned)(st.st_mode & 07777));
}

/* Check that the key parses, is not encrypted and belongs to crt (may be NULL). */
static void check_key(struct chk *c, const char *path, gnutls_x509_crt_t crt)
{
	gnutls_datum_t d;
	if (!load(c, "key", path, &d))
		return;
	bool encrypted = strstr((const char *)d.data, "ENCRYPTED") != NULL;
	gnutls_x509_privkey_t key;
	gnutls_x509_privkey_init(&key);
	int rc = encrypted ? GNUTLS_E_DECRYPTION_FAILED
					   : gnutls_x509_privkey_import2(key, &d, GNUTLS_X509_FMT_PEM, NULL, 0);
	free(d.data);
	if (rc < 0) {
		say(c, FIND_ERR, "key %s: %s", path,
			encrypted ? "the key is encrypted; zorgd needs an unencrypted key (protect it "
						"by file permissions instead)"
					  : "not a PEM private key");
		gnutls_x509_privkey_deinit(key);
		return;
	}
	check_key_mode(c, path);
	unsigned char kid[64], cid[64];
	size_t klen = sizeof kid, clen = sizeof cid;
	if (!crt) {
		say(c, FIND_OK, "key %s parses", path);
	} else if (gnutls_x509_privkey_get_key_id(key, 0, kid, &klen) != 0 ||
			   gnutls_x509_crt_get_key_id(crt, 0, cid, &clen) != 0) {
		say(c, FIND_ERR, "key %s: cannot compare it with the certificate", path);
	} else if (klen != clen || memcmp(kid, cid, klen) != 0) {
		say(c, FIND_ERR, "key %s does not belong to the certificate (their public keys differ)",
			path);
	} else {
		say(c, FIND_OK, "key %s belongs to the certificate", path);
	}
	gnutls_x509_privkey_deinit(key);
}

/* Check the server certificate and key. */
static void check_server_pair(struct chk *c, const struct server_config *cfg)
{
	if (!cfg->cert_path || !cfg->key_path) {
		say(c, FIND_ERR, "%s is not set: zorgd needs both cert and key to serve HTTPS",
			!cfg->cert_path ? "cert" : "key");
		if (cfg->key_path)
			check_key(c, cfg->key_path, NULL);
		return;
	}
	gnutls_x509_crt_t *list = NULL;
	unsigned int n = 0;
	if (load_certs(c, "certificate", cfg->cert_path, &list, &n)) {
		check_dates(c, "certificate", cfg->cert_path, list[0]);
		for (unsigned int i = 1; i < n; i++)
			check_dates(c, "chain certificate in", cfg->cert_path, list[i]);
	}
	check_key(c, cfg->key_path, n ? list[0] : NULL);
	if (list)
		free_certs(list, n);
}

/* Check the client CA: parses, holds CA certificates, not expired. */
static void check_client_ca(struct chk *c, const char *path)
{
	if (!path) {
		say(c, FIND_OK, "client_ca is not set: the supplier API is off");
		return;
	}
	gnutls_x509_crt_t *list = NULL;
	unsigned int n = 0;
	if (!load_certs(c, "client CA", path, &list, &n))
		return;
	for (unsigned int i = 0; i < n; i++) {
		char cn[256];
		unsigned int critical = 0;
		if (gnutls_x509_crt_get_ca_status(list[i], &critical) <= 0)
			say(c, FIND_ERR, "client CA %s: certificate %u (CN=%s) is not a CA certificate",
				path, i + 1, cert_cn(list[i], cn));
		else
			check_dates(c, "client CA", path, list[i]);
	}
	gnutls_certificate_credentials_t cred;
	gnutls_certificate_allocate_credentials(&cred);
	int rc = gnutls_certificate_set_x509_trust_file(cred, path, GNUTLS_X509_FMT_PEM);
	if (rc <= 0)
		say(c, FIND_ERR, "client CA %s: GnuTLS cannot load it as a trust list (%s)", path,
			rc < 0 ? gnutls_strerror(rc) : "no certificate");
	gnutls_certificate_free_credentials(cred);
	free_certs(list, n);
}

/* Check "ADDR:PORT" / "[ADDR6]:PORT" the way the server reads it. */
static void check_listen(struct chk *c, const char *s)
{
	char host[64] = "";
	const char *colon = NULL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (close && close[1] == ':' && (size_t)(close - s - 1) < sizeof host) {
			memcpy(host, s + 1, (size_t)(close - s - 1));
			host[close - s - 1] = '\0';
			colon = close + 1;
		}
	} else if ((colon = strrchr(s, ':')) && (size_t)(colon - s) < sizeof host) {
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
	} else {
		colon = NULL;
	}
	char *end = NULL;
	long port = colon ? strtol(colon + 1, &end, 10) : -1;
	unsigned char addr[16];
	bool host_ok = strcmp(host, "localhost") == 0 || inet_pton(AF_INET, host, addr) == 1 ||
				   inet_pton(AF_INET6, host, addr) == 1;
	if (!colon || !end || *end || end == colon + 1 || port < 1 || port > 65535 || !host_ok)
		say(c, FIND_ERR, "listen '%s': write ADDR:PORT with a numeric address, e.g. "
						 "0.0.0.0:8443 or [::]:8443",
			s);
	else if (port < 1024)
		say(c, FIND_WARN, "listen %s: port %ld is below 1024, so zorgd needs "
						  "CAP_NET_BIND_SERVICE (see zorgd(8), SYSTEMD)",
			s, port);
	else
		say(c, FIND_OK, "listen %s", s);
}

/* Check the store setting: a PostgreSQL URL, or a file whose directory is usable. */
static void check_db(struct chk *c, const char *db)
{
	if (!db || !*db) {
		say(c, FIND_ERR, "db is not set: name the SQLite file, e.g. /var/lib/zorgd/zorgd.db");
		return;
	}
	if (strncmp(db, "postgres", 8) == 0) {
		say(c, FIND_OK, "db is a PostgreSQL URL (not contacted by --check-config)");
		return;
	}
	char *dir = strdup(db);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	const char *d = slash ? (slash == dir ? "/" : (*slash = '\0', dir)) : ".";
	struct stat st;
	if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
		say(c, FIND_ERR, "db %s: the directory %s does not exist", db, d);
	else if (access(db, F_OK) == 0 && access(db, R_OK | W_OK) != 0)
		say(c, FIND_ERR, "db %s: the file is not readable and writable by this user", db);
	else if (access(db, F_OK) != 0 && access(d, W_OK | X_OK) != 0)
		say(c, FIND_ERR, "db %s: cannot create it in %s (no write permission)", db, d);
	else
		say(c, FIND_OK, "db %s%s", db, access(db, F_OK) == 0 ? "" : " (created on first start)");
	free(dir);
}

int checkcfg_run(const struct server_config *cfg, FILE *out)
{
	struct chk c = {out, 0, 0};
	if (cfg->config_path)
		say(&c, FIND_OK, "config file %s read", cfg->config_path);
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	bool lvl = false;
	for (size_t i = 0; i < 4; i++)
		lvl = lvl || strcmp(cfg->log_level, levels[i]) == 0;
	if (!lvl)
		say(&c, FIND_ERR, "log_level '%s' is not debug, info, warn or error", cfg->log_level);
	check_listen(&c, cfg->listen);
	check_db(&c, cfg->db_path);
	check_server_pair(&c, cfg);
	check_client_ca(&c, cfg->client_ca_path);
	if (cfg->session_idle > cfg->session_max)
		say(&c, FIND_WARN, "session_idle (%lld s) is longer than session_max (%lld s)",
			(long long)cfg->session_idle, (long long)cfg->session_max);
	if (c.errors)
		fprintf(out, "zorgd: the configuration has %d error%s; zorgd would not start\n",
				c.errors, c.errors == 1 ? "" : "s");
	else
		fprintf(out, "zorgd: the configuration is usable (%d warning%s)\n", c.warnings,
				c.warnings == 1 ? "" : "s");
	return c.errors;
}
