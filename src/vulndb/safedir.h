/* Files that come out of archives and downloads, written into a private
 * scratch directory, and files moved into place atomically. Used by
 * `bosun db update` (zip feeds) and the embedded default database (tar). */
#ifndef BOSUN_VULNDB_SAFEDIR_H
#define BOSUN_VULNDB_SAFEDIR_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Whether an archive member name may be created below a directory:
 * relative, no empty, "." or ".." components, no backslash, no control
 * characters. One trailing '/' is allowed (a directory). */
int safedir_check_name(const char *name, struct berr *e);

/* mkdir -p of rel below the directory rootfd (mode 0700), refusing to pass
 * through anything that is not a directory (a symlink included). */
int safedir_mkdirs(int rootfd, const char *rel, struct berr *e);

/* Creates rel below rootfd (its parents as needed) for writing: a new
 * regular file, mode 0644, never through a symlink and never over an
 * existing name. */
int safedir_create(int rootfd, const char *rel, int *fd, struct berr *e);

/* Writes all of p, naming `what` on failure. */
int safedir_write_all(int fd, const void *p, size_t n, const char *what, struct berr *e);

/* Sets the modification time of rel below rootfd (0 = leave it). */
void safedir_set_mtime(int rootfd, const char *rel, int64_t mtime);

/* rm -rf of a directory we created, never following symlinks. */
void safedir_remove_tree(const char *path);

/* Makes the file tmp durable and renames it over path, then syncs the
 * directory: a crash leaves either the old file or the complete new one. */
int safedir_commit(const char *tmp, const char *path, struct berr *e);

/* A private scratch directory next to `near` (a file path):
 * "DIR/.BASE.TAG.XXXXXX", mode 0700. out must hold PATH_MAX bytes. */
int safedir_make_temp(const char *near, const char *tag, char *out, size_t cap, struct berr *e);

/* Appends the content of the file src to the descriptor out (`what`
 * names out in messages). */
int safedir_copy_into(const char *src, int out, const char *what, struct berr *e);

#endif
