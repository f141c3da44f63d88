/* The client core's Caren requests (issue 9): a client's Caren page and the dashboard's
 * summary (reads), invite, revoke, unlink, and the letter saved as a PDF in the user's
 * download directory, optionally printed. The link statuses of the lists come from the
 * replica (views.c); this file talks to the server. No curses here. */
#include "app_ops.h"
#include "client/drafts.h"
#include "client/views.h"
#include "common/alloc.h"
#include "common/civil.h"
#include "common/jsonx.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

uint64_t app_caren_page(struct app *a, int64_t client_id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/v1/clients/%lld/caren", (long long)client_id);
	struct app_request *q = app_start_op(a, OP_CAREN_PAGE, "GET", path, NULL, NULL);
	q->client_id = client_id;
	return q->id;
}

uint64_t app_caren_summary(struct app *a)
{
	return app_start_op(a, OP_CAREN_SUMMARY, "GET", "/api/v1/caren/summary", NULL, NULL)->id;
}

uint64_t app_caren_invite(struct app *a, int64_t client_id)
{
	char path[80], key[80], hex[48];
	draft_new_key(hex);
	snprintf(path, sizeof path, "/api/v1/clients/%lld/caren-invitations", (long long)client_id);
	snprintf(key, sizeof key, "Idempotency-Key: %s", hex);
	struct app_request *q = app_start_op(a, OP_CAREN_INVITE, "POST", path, xstrdup("{}"), key);
	q->client_id = client_id;
	return q->id;
}

uint64_t app_caren_revoke(struct app *a, int64_t invitation_id)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/caren-invitations/%lld/revoke", (long long)invitation_id);
	struct app_request *q = app_start_op(a, OP_CAREN_REVOKE, "POST", path, NULL, NULL);
	q->result_id = invitation_id;
	return q->id;
}

uint64_t app_caren_unlink(struct app *a, int64_t client_id, const char *reason)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/clients/%lld/caren-unlink", (long long)client_id);
	struct app_request *q =
		app_start_op(a, OP_CAREN_UNLINK, "POST", path, m_caren_unlink_body(reason), NULL);
	q->client_id = client_id;
	return q->id;
}

uint64_t app_caren_letter(struct app *a, int64_t invitation_id, int64_t client_id)
{
	char path[80];
	snprintf(path, sizeof path, "/api/v1/caren-invitations/%lld/letter", (long long)invitation_id);
	struct app_request *q = app_start_op(a, OP_CAREN_LETTER, "GET", path, NULL, NULL);
	q->client_id = client_id;
	q->result_id = invitation_id;
	return q->id;
}

/* The download directory: $XDG_DOWNLOAD_DIR, else $HOME, else ".". */
static const char *download_dir(void)
{
	const char *d = getenv("XDG_DOWNLOAD_DIR");
	if (d && *d)
		return d;
	d = getenv("HOME");
	return d && *d ? d : ".";
}

/* Save the letter's bytes for client_id; the path goes to a->caren_letter. */
static bool letter_save(struct app *a, int64_t client_id, const char *body, size_t len)
{
	const struct client_row *c = clients_get(&a->clients, client_id);
	char today[16], number[40];
	civil_format_date(civil_ams_today((int64_t)time(NULL)), today);
	snprintf(number, sizeof number, "%s", c ? clients_number(&a->clients, c) : "");
	if (!number[0])
		snprintf(number, sizeof number, "%lld", (long long)client_id);
	for (char *p = number; *p; p++)
		if (*p == '/' || *p == '.')
			*p = '-';
	snprintf(a->caren_letter, sizeof a->caren_letter, "%s/caren-uitnodiging-%s-%s.pdf",
			 download_dir(), number, today);
	int fd = open(a->caren_letter, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	bool ok = fd >= 0;
	for (size_t off = 0; ok && off < len;) {
		ssize_t n = write(fd, body + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		off += ok ? (size_t)n : 0;
	}
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (!ok) {
		log_warn("caren letter: cannot write %s: %s", a->caren_letter, strerror(errno));
		a->caren_letter[0] = '\0';
	}
	return ok;
}

void caren_op_ok(struct app *a, struct app_request *op, const cJSON *j, const char *body,
				 size_t len)
{
	if (op->kind == OP_CAREN_PAGE) {
		struct m_caren_page p;
		if (!j || !m_caren_page_parse(j, op->client_id, &p)) {
			op->state = REQ_ERROR;
			op->problem = PROB_PROTOCOL;
			return;
		}
		m_caren_page_free(&a->caren);
		a->caren = p;
	} else if (op->kind == OP_CAREN_SUMMARY) {
		a->caren_messages_sent = m_caren_messages_sent(j);
	} else if (op->kind == OP_CAREN_LETTER) {
		if (len < 5 || memcmp(body, "%PDF-", 5) != 0 || !letter_save(a, op->client_id, body, len)) {
			op->state = REQ_ERROR;
			op->problem = len >= 5 && memcmp(body, "%PDF-", 5) == 0 ? PROB_FILE : PROB_PROTOCOL;
		}
	} else if (op->kind == OP_CAREN_INVITE && j) {
		int64_t id;
		const char *until = jx_str(j, "valid_until");
		if (jx_int(j, "id", &id))
			op->result_id = id;
		snprintf(a->caren_valid_until, sizeof a->caren_valid_until, "%s", until ? until : "");
	}
	a->events |= APP_EV_CAREN;
}

bool app_caren_print(struct app *a, const char *file)
{
	const char *cmd = a->cfg->print_command;
	if (!cmd || !*cmd || !file || !*file || a->print_pid > 0)
		return false;
	char *const argv[] = {(char *)cmd, (char *)file, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	/* Keep the terminal clean: the print command's chatter goes nowhere. */
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int rc = posix_spawnp(&pid, cmd, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		log_warn("print command %s: %s", cmd, strerror(rc));
		return false;
	}
	a->print_pid = pid;
	a->print_state = PRINT_RUNNING;
	return true;
}

void app_print_reap(struct app *a)
{
	int status = 0;
	if (a->print_pid <= 0 || waitpid(a->print_pid, &status, WNOHANG) != a->print_pid)
		return;
	a->print_pid = 0;
	a->print_state = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? PRINT_OK : PRINT_FAILED;
	a->events |= APP_EV_CAREN;
}
