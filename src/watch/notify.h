/* File-change notification for `bosun watch`: which files were written
 * (closed after writing) or moved into the watched trees.
 *
 * Two backends behind one interface (curl's vtable idea):
 *  - fanotify (FAN_CLASS_NOTIF, a filesystem or mount mark, FAN_CLOSE_WRITE):
 *    one mark covers a whole filesystem, new directories included, and the
 *    kernel hands us an open descriptor; needs CAP_SYS_ADMIN. Events
 *    outside the roots are dropped.
 *  - inotify: one watch per directory, added recursively at start and for
 *    every directory created or moved in later. A new directory may have
 *    files (and subdirectories) before its watch exists — `mkdir -p a/b/c &&
 *    cp x a/b/c/` races with us — so a new directory is listed right after
 *    its watch is added and what is already in it is reported too.
 * The caller is told about paths only; it debounces and scans them. */
#ifndef BOSUN_WATCH_NOTIFY_H
#define BOSUN_WATCH_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

enum watch_backend { WATCH_BACKEND_AUTO, WATCH_BACKEND_FANOTIFY, WATCH_BACKEND_INOTIFY };

struct notify_hooks {
	/* a regular file (absolute path) that was written or moved in */
	void (*file)(void *ud, const char *path);
	/* true: ignore this path (and, for a directory, all below it) */
	bool (*excluded)(void *ud, const char *path);
	void *ud;
};

struct notifier;

/* roots: absolute, canonical directory paths. auto tries fanotify, then
 * inotify. BOSUN_ELIMIT when the inotify watch (or instance) limit is hit
 * while setting up: the message names the /proc/sys/fs/inotify knob.
 * BOSUN_EUNSUPPORTED when fanotify was asked for and is not permitted. */
int notifier_open(enum watch_backend want, const char *const *roots, size_t nroots, const struct notify_hooks *h,
		  struct notifier **out, struct berr *e);
void notifier_close(struct notifier *n);
int notifier_fd(const struct notifier *n);
/* Reads and handles what is pending on notifier_fd(). Problems after start
 * (watch limit for a new directory, queue overflow) are warnings. */
int notifier_handle(struct notifier *n, struct berr *e);
const char *notifier_backend_name(const struct notifier *n); /* "fanotify", "inotify" */
size_t notifier_watch_count(const struct notifier *n);       /* inotify watches; fanotify marks */
/* Events the kernel dropped (queue overflow) and directories left
 * unwatched (limit), since start. */
size_t notifier_lost(const struct notifier *n);

/* Backends (notify_inotify.c, notify_fanotify.c). */
int notify_inotify_open(const char *const *roots, size_t nroots, const struct notify_hooks *h,
			struct notifier **out, struct berr *e);
int notify_fanotify_open(const char *const *roots, size_t nroots, const struct notify_hooks *h,
			 struct notifier **out, struct berr *e);

#endif
