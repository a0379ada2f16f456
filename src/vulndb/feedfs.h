/* File-system helpers for feed importers: feeds are directory trees of
 * files we did not write, so listings skip symlinks and dotfiles, every
 * walk is bounded in depth and count, and files are read with a size cap. */
#ifndef BOSUN_VULNDB_FEEDFS_H
#define BOSUN_VULNDB_FEEDFS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

struct feed_dirent {
	char *name;
	bool is_dir; /* else a regular file; nothing else is listed */
};

struct feed_dir {
	struct feed_dirent *ents; /* sorted by name (strcmp) */
	size_t n;
};

/* Lists path: regular files and directories, no dotfiles, no symlinks.
 * BOSUN_ELIMIT beyond max_entries. */
int feed_dir_list(const char *path, size_t max_entries, struct feed_dir *out, struct berr *e);
void feed_dir_free(struct feed_dir *d);

/* Reads a regular file (not through a symlink) into b, NUL-terminated.
 * BOSUN_ELIMIT when larger than max bytes. */
int feed_read_file(const char *path, size_t max, struct buf *b, struct berr *e);

/* Calls fn for every regular file under root, at most max_depth
 * directories down, in sorted path order, whose name ends with one of the
 * NULL-terminated exts (".json"); at most max_files files (BOSUN_ELIMIT). */
typedef int (*feed_file_fn)(const char *path, void *ctx, struct berr *e);
int feed_walk(const char *root, int max_depth, const char *const *exts, size_t max_files, feed_file_fn fn, void *ctx,
	      struct berr *e);

/* Whether name ends with one of exts. */
bool feed_has_ext(const char *name, const char *const *exts);

/* "a/b" joined into buf; BOSUN_ELIMIT when it does not fit. */
int feed_join(char *buf, size_t n, const char *dir, const char *name, struct berr *e);

#endif
