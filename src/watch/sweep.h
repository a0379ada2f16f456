/* The initial sweep of `bosun watch --scan-existing`: every regular file
 * already under the watched roots, one at a time, so the caller can scan
 * them between its other work (events, signals) instead of in one block.
 *
 * Iterative (a heap stack of directories still to list, one directory open
 * at a time), so a deep tree costs memory, not C stack; depth is bounded by
 * PATH_MAX (a directory whose path is too long is skipped with a warning).
 * Symlinks are never followed (directories are opened O_NOFOLLOW); the
 * exclude test is the watcher's (a directory it excludes is not entered).
 * one_filesystem keeps the walk on each root's filesystem (st_dev), which
 * is what a fanotify mark covers; inotify watches cross mounts, and so does
 * the walk without it. A root inside another root (same filesystem when
 * one_filesystem) is walked once. */
#ifndef BOSUN_WATCH_SWEEP_H
#define BOSUN_WATCH_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

struct sweep_options {
	const char *const *roots; size_t nroots; /* absolute, canonical directories */
	bool one_filesystem;
	bool (*excluded)(void *ud, const char *path); /* NULL = nothing excluded */
	void *ud;
};

struct sweep_stats {
	size_t dirs;         /* directories listed */
	size_t skipped_dirs; /* unreadable, path too long, or on another filesystem */
	size_t files;        /* regular files handed out */
};

struct sweep;

/* BOSUN_ENOMEM only; a root that cannot be opened is skipped later (with
 * a warning), like any directory. */
int sweep_new(const struct sweep_options *o, struct sweep **out, struct berr *e);
/* The next regular file (absolute path, valid until the next call or
 * sweep_free) in *path, or NULL when the walk is complete. BOSUN_ENOMEM
 * only. */
int sweep_next(struct sweep *s, const char **path, struct berr *e);
void sweep_get_stats(const struct sweep *s, struct sweep_stats *st);
void sweep_free(struct sweep *s);

#endif
