/* Where the vulnerability database lives when --db is not given, shared by
 * every command that reads or writes it. */
#ifndef BOSUN_VULNDB_PATH_H
#define BOSUN_VULNDB_PATH_H

#include <stddef.h>

#include "util/err.h"

/* $BOSUN_DB, else $XDG_CACHE_HOME/bosun/db.sqlite, else
 * $HOME/.cache/bosun/db.sqlite. BOSUN_ENOTFOUND when none of them is set,
 * BOSUN_ELIMIT when the path does not fit in buf. */
int vulndb_default_path(char *buf, size_t n, struct berr *e);

/* Creates the directories leading to path (mkdir -p of its dirname), so a
 * first `bosun db build` can write into a fresh cache directory. */
int vulndb_make_parent_dirs(const char *path, struct berr *e);

#endif
