/* Online backup and checked restore of zorgd's SQLite store, and the run lock that keeps a
 * restore from overwriting a store a zorgd is using. */
#ifndef ZT_SERVER_STORE_SQLITE_BACKUP_H
#define ZT_SERVER_STORE_SQLITE_BACKUP_H

/* Take the shared run lock of the store at db (the file "DB.lock" beside it), which every
 * zorgd using the store holds while it runs; a restore takes it exclusively. Sets *fd (-1
 * for a PostgreSQL URL, which has no lock file); 0 on success, -1 with *err (caller frees)
 * when a restore holds it or the file cannot be made. Release with store_run_unlock. */
int store_run_lock(const char *db, int *fd, char **err);
/* Release a lock from store_run_lock (fd -1 is fine). */
void store_run_unlock(int fd);

/* Copy the SQLite store at db to dest with SQLite's online backup (one consistent snapshot,
 * also while zorgd writes), checked with integrity_check, mode 0600, replacing dest
 * atomically. 0 on success with a summary in *info; -1 with *err. Caller frees both. */
int store_sqlite_backup(const char *db, const char *dest, char **info, char **err);
/* Check the backup src (integrity_check, a zorgd schema no newer than this binary's), then
 * copy it over the store at db while holding the run lock exclusively; refused while a
 * zorgd holds it. 0 on success with a summary in *info; -1 with *err. Caller frees both. */
int store_sqlite_restore(const char *src, const char *db, char **info, char **err);

/* zorgd --backup / --restore: run the one that is set for the store db, print the outcome
 * and return the exit status (0 done, 1 failed, 2 not applicable, e.g. PostgreSQL). */
int store_backup_command(const char *db, const char *backup, const char *restore);

#endif
