/* Keeping the store's files private to zorgd's user (they hold BSNs and password hashes). */
#ifndef ZT_SERVER_DBFILE_H
#define ZT_SERVER_DBFILE_H

#include <stdbool.h>

/* Make every file zorgd creates from now on private (umask 077), then check the store at
 * path and its side files (-wal, -shm, -journal): true when none exists with permissions
 * for group or others; otherwise false with a message for the operator in *err (caller
 * frees). */
bool dbfile_private(const char *path, char **err);

#endif
