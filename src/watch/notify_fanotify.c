/* fanotify backend: one filesystem mark (or a mount mark where the
 * filesystem cannot be marked) per root, FAN_CLOSE_WRITE; events outside
 * the roots are dropped. New directories need nothing: the mark covers
 * them from the moment they exist, so there is no race to lose. */
#include "watch/notify_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

#include "util/log.h"

struct fanotify_priv {
	char **roots;
	size_t nroots;
};

static bool under_root(const struct fanotify_priv *p, const char *path)
{
	for (size_t i = 0; i < p->nroots; i++) {
		size_t l = strlen(p->roots[i]);
		if (l == 1 && p->roots[i][0] == '/')
			return true;
		if (strncmp(path, p->roots[i], l) == 0 && (path[l] == '/' || path[l] == 0))
			return true;
	}
	return false;
}

static void handle_one(struct notifier *n, const struct fanotify_event_metadata *m)
{
	struct fanotify_priv *p = n->priv;
	if (m->mask & FAN_Q_OVERFLOW) {
		n->lost++;
		log_warn("watch: fanotify queue overflowed, some changes were missed");
		return;
	}
	if (m->fd < 0)
		return;
	char link[64], path[PATH_MAX];
	snprintf(link, sizeof link, "/proc/self/fd/%d", m->fd);
	ssize_t l = readlink(link, path, sizeof path - 1);
	close(m->fd);
	if (l <= 0 || (size_t)l >= sizeof path - 1)
		return;
	path[l] = 0;
	/* a file deleted since: the kernel says "/x/y (deleted)"; nothing to scan */
	if (path[0] != '/' || (l > 10 && strcmp(path + l - 10, " (deleted)") == 0))
		return;
	if (!(m->mask & FAN_CLOSE_WRITE) || !under_root(p, path))
		return;
	if (n->h.excluded && n->h.excluded(n->h.ud, path))
		return;
	n->h.file(n->h.ud, path);
}

static int fanotify_handle(struct notifier *n, struct berr *e)
{
	char buf[16 * 1024] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
	for (;;) {
		ssize_t len = read(n->fd, buf, sizeof buf);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return BOSUN_OK;
			/* EMFILE: the event's file could not be opened for us; it is lost */
			if (errno == EMFILE || errno == ENFILE) {
				n->lost++;
				continue;
			}
			return berr_set(e, BOSUN_EIO, "fanotify: read: %s", strerror(errno));
		}
		if (len == 0)
			return BOSUN_OK;
		const struct fanotify_event_metadata *m = (const void *)buf;
		while (FAN_EVENT_OK(m, len)) {
			if (m->vers != FANOTIFY_METADATA_VERSION) {
				if (m->fd >= 0)
					close(m->fd);
				return berr_set(e, BOSUN_EUNSUPPORTED, "fanotify: event format version %u, want %u",
						m->vers, FANOTIFY_METADATA_VERSION);
			}
			handle_one(n, m);
			m = FAN_EVENT_NEXT(m, len);
		}
	}
}

static void fanotify_close(struct notifier *n)
{
	struct fanotify_priv *p = n->priv;
	if (p) {
		for (size_t i = 0; i < p->nroots; i++)
			free(p->roots[i]);
		free(p->roots);
		free(p);
	}
	if (n->fd >= 0)
		close(n->fd);
	free(n);
}

static const struct notifier_ops fanotify_ops = { "fanotify", fanotify_handle, fanotify_close };

int notify_fanotify_open(const char *const *roots, size_t nroots, const struct notify_hooks *h,
			 struct notifier **out, struct berr *e)
{
	*out = NULL;
	struct notifier *n = calloc(1, sizeof *n);
	struct fanotify_priv *p = calloc(1, sizeof *p);
	char **copies = calloc(nroots ? nroots : 1, sizeof *copies);
	if (!n || !p || !copies) {
		free(n);
		free(p);
		free(copies);
		return berr_set(e, BOSUN_ENOMEM, "fanotify: out of memory");
	}
	n->ops = &fanotify_ops;
	n->h = *h;
	n->priv = p;
	p->roots = copies;
	n->fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_LARGEFILE | O_CLOEXEC);
	if (n->fd < 0) {
		int err = errno;
		fanotify_close(n);
		return berr_set(e, BOSUN_EUNSUPPORTED, "fanotify_init: %s%s", strerror(err),
				err == EPERM ? " (needs CAP_SYS_ADMIN)" : "");
	}
	for (size_t i = 0; i < nroots; i++) {
		if (!(p->roots[i] = strdup(roots[i]))) {
			fanotify_close(n);
			return berr_set(e, BOSUN_ENOMEM, "fanotify: out of memory");
		}
		p->nroots++;
		/* A filesystem mark sees writes through every mount of it; a
		 * mount mark (older kernels, some filesystems) only this one. */
		if (fanotify_mark(n->fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CLOSE_WRITE, AT_FDCWD, roots[i]) != 0 &&
		    fanotify_mark(n->fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_CLOSE_WRITE, AT_FDCWD, roots[i]) != 0) {
			int err = errno;
			fanotify_close(n);
			return berr_set(e, BOSUN_EUNSUPPORTED, "fanotify_mark %s: %s", roots[i], strerror(err));
		}
		n->watches++;
	}
	*out = n;
	return BOSUN_OK;
}
