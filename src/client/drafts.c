/* Order drafts as small JSON files next to the session token. */
#include "client/drafts.h"

#include "common/alloc.h"
#include "common/log.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* The file of client_id's order draft. Caller frees. */
static char *draft_path(const char *dir, const char *profile, int64_t client_id)
{
	return xasprintf("%s/%s.order-%lld.draft", dir, profile, (long long)client_id);
}

int draft_save(const char *dir, const char *profile, const struct m_order_draft *d)
{
	char *path = draft_path(dir, profile, d->client_id);
	char *tmp = xasprintf("%s.tmp", path);
	char *json = m_draft_to_json(d);
	int rc = -1;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		size_t len = strlen(json);
		/* No fsync per keystroke: a crash of zorgterm keeps what the kernel has. */
		if (write(fd, json, len) == (ssize_t)len)
			rc = 0;
		close(fd);
		if (rc == 0 && rename(tmp, path) != 0)
			rc = -1;
	}
	if (rc != 0) {
		log_warn("cannot save the order draft");
		unlink(tmp);
	}
	free(json);
	free(tmp);
	free(path);
	return rc;
}

bool draft_load(const char *dir, const char *profile, int64_t client_id, struct m_order_draft *d)
{
	char *path = draft_path(dir, profile, client_id);
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return false;
	struct buf b = {0};
	char chunk[1024];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 65536)
		buf_append(&b, chunk, n);
	fclose(f);
	bool ok = b.data && m_draft_from_json(b.data, d) && d->client_id == client_id;
	buf_free(&b);
	return ok;
}

void draft_delete(const char *dir, const char *profile, int64_t client_id)
{
	char *path = draft_path(dir, profile, client_id);
	unlink(path);
	free(path);
}

size_t draft_list(const char *dir, const char *profile, int64_t **ids)
{
	*ids = NULL;
	size_t n = 0;
	DIR *dp = opendir(dir);
	if (!dp)
		return 0;
	char *prefix = xasprintf("%s.order-", profile);
	size_t plen = strlen(prefix);
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (strncmp(e->d_name, prefix, plen) != 0)
			continue;
		char *end = NULL;
		long long id = strtoll(e->d_name + plen, &end, 10);
		if (id <= 0 || !end || strcmp(end, ".draft") != 0)
			continue;
		*ids = xrealloc(*ids, (n + 1) * sizeof **ids);
		(*ids)[n++] = id;
	}
	closedir(dp);
	free(prefix);
	return n;
}

void draft_new_key(char key[48])
{
	unsigned char raw[16];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
		/* Never expected; still unique enough per user: time and address. */
		uint64_t t = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)key;
		memcpy(raw, &t, sizeof t);
		memcpy(raw + 8, &t, sizeof t);
	}
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(key + 2 * i, 3, "%02x", raw[i]);
}
