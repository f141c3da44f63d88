/* zorgd --backup and --restore for the SQLite store: SQLite's online backup API copies one
 * consistent snapshot while zorgd keeps writing (WAL: readers and the writer do not block
 * each other); a restore is checked first and refused while a zorgd holds the run lock. */
#include "sqlite_backup.h"

#include "sqlite.h"
#include "common/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* True when target names PostgreSQL rather than an SQLite file. */
static bool is_postgres(const char *target)
{
	return strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0;
}

/* The owner of the directory holding path, for files root creates on zorgd's behalf. */
static bool dir_owner(const char *path, uid_t *uid, gid_t *gid)
{
	char *copy = xstrdup(path);
	struct stat st;
	bool ok = stat(dirname(copy), &st) == 0;
	free(copy);
	if (ok) {
		*uid = st.st_uid;
		*gid = st.st_gid;
	}
	return ok;
}

/* Give a file root just created to the owner of its directory (the zorgd user). */
static void own_like_dir(int fd, const char *path)
{
	uid_t uid;
	gid_t gid;
	if (geteuid() == 0 && dir_owner(path, &uid, &gid)) {
		/* On failure the file stays root's; zorgd then reports what it cannot open. */
		int rc = fchown(fd, uid, gid);
		(void)rc;
	}
}

/* Lock the whole file fd for reading (shared) or writing (exclusive) without waiting;
 * 0 on success, else the pid holding it (or -1 when unknown). */
static int lock_file(int fd, bool exclusive)
{
	struct flock fl = {.l_type = exclusive ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET};
	if (fcntl(fd, F_SETLK, &fl) == 0)
		return 0;
	struct flock q = {.l_type = exclusive ? F_WRLCK : F_RDLCK, .l_whence = SEEK_SET};
	if (fcntl(fd, F_GETLK, &q) == 0 && q.l_type != F_UNLCK && q.l_pid > 0)
		return q.l_pid;
	return -1;
}

/* Open db's lock file and lock it; fd >= 0, or -1 with *err. */
static int run_lock(const char *db, bool exclusive, char **err)
{
	char *path = xasprintf("%s.lock", db);
	bool existed = access(path, F_OK) == 0;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 && errno == EACCES && !exclusive)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		*err = xasprintf("cannot open the lock file %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (!existed)
		own_like_dir(fd, path);
	int holder = lock_file(fd, exclusive);
	if (holder != 0) {
		char pid[32] = "";
		if (holder > 0)
			snprintf(pid, sizeof pid, " (pid %d)", holder);
		*err = exclusive ? xasprintf("the store %s is in use by a running zorgd%s; stop it "
									 "first (systemctl stop zorgd)",
									 db, pid)
						 : xasprintf("a restore%s is writing the store %s; wait until it ends",
									 pid, db);
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

int store_run_lock(const char *db, int *fd, char **err)
{
	*fd = -1;
	if (is_postgres(db))
		return 0;
	*fd = run_lock(db, false, err);
	return *fd >= 0 ? 0 : -1;
}

void store_run_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the process's locks on the file */
}

/* Open path with flags and a busy timeout; NULL with *err. */
static sqlite3 *open_handle(const char *path, int flags, char **err)
{
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(path, &h, flags, NULL) != SQLITE_OK) {
		*err = xasprintf("cannot open %s: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 10000);
	return h;
}

/* The first column of sql's first row as a new string (NULL when there is none). */
static char *query_text(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	char *out = NULL;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		out = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

/* PRAGMA integrity_check on h; 0 when "ok", else -1 with the first problem in *err. */
static int check_integrity(sqlite3 *h, const char *path, char **err)
{
	char *r = query_text(h, "PRAGMA integrity_check");
	if (r && strcmp(r, "ok") == 0) {
		free(r);
		return 0;
	}
	*err = xasprintf("%s fails PRAGMA integrity_check: %s", path,
					 r ? r : sqlite3_errmsg(h));
	free(r);
	return -1;
}

/* The schema version (-1 when there is no schema_version table) and current revision. */
static void store_facts(sqlite3 *h, int *version, long long *rev)
{
	char *v = query_text(h, "SELECT max(version) FROM schema_version");
	char *r = query_text(h, "SELECT value FROM revision WHERE id = 1");
	*version = v ? atoi(v) : -1;
	*rev = r ? atoll(r) : -1;
	free(v);
	free(r);
}

/* Copy every page of src's main database into dst in one step (one read transaction on
 * src: a consistent snapshot); retries while the source is briefly locked. 0 or -1. */
static int copy_pages(sqlite3 *dst, sqlite3 *src, const char *what, char **err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		*err = xasprintf("cannot start the %s: %s", what, sqlite3_errmsg(dst));
		return -1;
	}
	int rc;
	for (int tries = 0;; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries >= 1000)
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	int fin = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || fin != SQLITE_OK) {
		*err = xasprintf("the %s failed: %s", what,
						 sqlite3_errstr(rc != SQLITE_DONE ? rc : fin));
		return -1;
	}
	return 0;
}

/* fsync the file or directory at path; 0 or -1. */
static int sync_path(const char *path, bool dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Create path empty with mode 0600 (replacing a leftover); 0 or -1 with *err. */
static int create_private(const char *path, char **err)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		*err = xasprintf("cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	own_like_dir(fd, path);
	close(fd);
	return 0;
}

/* Snapshot src into the new file tmp, self-contained (rollback journal mode) and checked.
 * 0 with the copy's schema version and revision, or -1 with *err. */
static int write_copy(sqlite3 *src, const char *tmp, int *version, long long *rev, char **err)
{
	if (create_private(tmp, err) != 0)
		return -1;
	sqlite3 *dst = open_handle(tmp, SQLITE_OPEN_READWRITE, err);
	if (!dst)
		return -1;
	int rc = copy_pages(dst, src, "backup", err);
	if (rc == 0 && sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		*err = xasprintf("cannot finish %s: %s", tmp, sqlite3_errmsg(dst));
		rc = -1;
	}
	if (rc == 0)
		rc = check_integrity(dst, tmp, err);
	if (rc == 0)
		store_facts(dst, version, rev);
	sqlite3_close(dst);
	if (rc == 0 && sync_path(tmp, false) != 0) {
		*err = xasprintf("cannot write %s to disk: %s", tmp, strerror(errno));
		rc = -1;
	}
	return rc;
}

int store_sqlite_backup(const char *db, const char *dest, char **info, char **err)
{
	if (access(db, F_OK) != 0) {
		*err = xasprintf("there is no store at %s", db);
		return -1;
	}
	sqlite3 *src = open_handle(db, SQLITE_OPEN_READWRITE, err);
	if (!src)
		return -1;
	char *tmp = xasprintf("%s.partial", dest);
	int version = 0;
	long long rev = 0;
	int rc = write_copy(src, tmp, &version, &rev, err);
	sqlite3_close(src);
	if (rc == 0 && rename(tmp, dest) != 0) {
		*err = xasprintf("cannot rename %s to %s: %s", tmp, dest, strerror(errno));
		rc = -1;
	}
	if (rc == 0) {
		char *d = xstrdup(dest);
		sync_path(dirname(d), true);
		free(d);
		*info = xasprintf("backup of %s written to %s (schema version %d, revision %lld)", db,
						  dest, version, rev);
	} else {
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* Check that the backup at src is whole and of a schema this zorgd knows; the open
 * read-only handle, or NULL with *err. */
static sqlite3 *open_checked_backup(const char *src, int *version, long long *rev, char **err)
{
	if (access(src, R_OK) != 0) {
		*err = xasprintf("cannot read the backup %s: %s", src, strerror(errno));
		return NULL;
	}
	sqlite3 *h = open_handle(src, SQLITE_OPEN_READONLY, err);
	if (!h)
		return NULL;
	if (check_integrity(h, src, err) != 0) {
		sqlite3_close(h);
		return NULL;
	}
	store_facts(h, version, rev);
	if (*version < 1)
		*err = xasprintf("%s is not a zorgd store (no schema version in it)", src);
	else if (*version > store_sqlite_schema_latest())
		*err = xasprintf("%s has schema version %d, newer than this zorgd knows (%d); "
						 "restore it with the zorgd that made it",
						 src, *version, store_sqlite_schema_latest());
	else
		return h;
	sqlite3_close(h);
	return NULL;
}

/* Copy the checked backup handle src over the store file db (run lock held). */
static int overwrite_store(sqlite3 *src, const char *db, char **err)
{
	if (access(db, F_OK) != 0 && create_private(db, err) != 0)
		return -1;
	sqlite3 *dst = open_handle(db, SQLITE_OPEN_READWRITE, err);
	if (!dst)
		return -1;
	/* Nobody else has it open (the run lock): leave WAL so the copy is one plain file;
	 * zorgd turns WAL on again when it opens the store. */
	int rc = 0;
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		*err = xasprintf("cannot prepare %s: %s", db, sqlite3_errmsg(dst));
		rc = -1;
	}
	if (rc == 0)
		rc = copy_pages(dst, src, "restore", err);
	if (rc == 0)
		rc = check_integrity(dst, db, err);
	sqlite3_close(dst);
	return rc;
}

int store_sqlite_restore(const char *src, const char *db, char **info, char **err)
{
	int version = 0;
	long long rev = 0;
	sqlite3 *h = open_checked_backup(src, &version, &rev, err);
	if (!h)
		return -1;
	int fd = run_lock(db, true, err);
	int rc = fd >= 0 ? overwrite_store(h, db, err) : -1;
	store_run_unlock(fd);
	sqlite3_close(h);
	if (rc == 0)
		*info = xasprintf("restored %s from %s (schema version %d, revision %lld)", db, src,
						  version, rev);
	return rc;
}

int store_backup_command(const char *db, const char *backup, const char *restore)
{
	if (backup && restore) {
		fprintf(stderr, "zorgd: give --backup or --restore, not both\n");
		return 2;
	}
	if (is_postgres(db)) {
		fprintf(stderr, "zorgd: --backup and --restore copy the SQLite store only; for "
						"PostgreSQL use pg_dump and pg_restore (see zorgd(8), BACKUP)\n");
		return 2;
	}
	char *info = NULL, *err = NULL;
	int rc = backup ? store_sqlite_backup(db, backup, &info, &err)
					: store_sqlite_restore(restore, db, &info, &err);
	if (rc == 0)
		printf("zorgd: %s\n", info);
	else
		fprintf(stderr, "zorgd: %s\n", err ? err : "failed");
	free(info);
	free(err);
	return rc == 0 ? 0 : 1;
}
