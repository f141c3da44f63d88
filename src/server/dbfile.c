/* The store's files are created 0600 and zorgd refuses a store others may read. */
#include "dbfile.h"

#include "common/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Check one file; false with *err set when it exists with group or other permissions. */
static bool file_private(const char *file, char **err)
{
	struct stat st;
	if (stat(file, &st) != 0)
		return errno == ENOENT;
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) == 0)
		return true;
	*err = xasprintf("refusing to use %s: its permissions (%04o) let other users read it, and "
					 "it holds BSNs, password hashes and session hashes; make it private with "
					 "'chmod 600 %s' (and its -wal and -shm files) and start again",
					 file, (unsigned)(st.st_mode & 07777), file);
	return false;
}

bool dbfile_private(const char *path, char **err)
{
	umask(077);
	static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		char *file = xasprintf("%s%s", path, sides[i]);
		bool ok = file_private(file, err);
		free(file);
		if (!ok)
			return false;
	}
	return true;
}
