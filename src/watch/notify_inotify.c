/* inotify backend: a watch per directory, recursive, with new directories
 * picked up (and listed, see notify.h) as they appear. */
#include "watch/notify_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"

#define WATCHES_KNOB "/proc/sys/fs/inotify/max_user_watches"
#define INSTANCES_KNOB "/proc/sys/fs/inotify/max_user_instances"
#define QUEUE_KNOB "/proc/sys/fs/inotify/max_queued_events"

/* What a directory watch listens for. IN_CREATE is for directories only
 * (a new file is reported when it is closed after writing); IN_MOVED_TO
 * catches files and trees renamed into the watched area; IN_ONLYDIR and
 * IN_DONT_FOLLOW keep a symlink swapped in from redirecting the watch. */
#define DIR_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)

struct inotify_priv {
	char **dirs;     /* by watch descriptor */
	size_t ndirs;
	bool limit_warned;
	bool starting;   /* limit errors are fatal while setting up */
};

static long read_knob(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;
	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int limit_error(struct berr *e, const char *dir)
{
	return berr_set(e, BOSUN_ELIMIT,
			"inotify watch limit reached while watching %s: %s is %ld; raise it (sysctl "
			"fs.inotify.max_user_watches=524288, or write to %s) or watch fewer directories "
			"(--exclude), or use --backend fanotify as root",
			dir, WATCHES_KNOB, read_knob(WATCHES_KNOB), WATCHES_KNOB);
}

static int remember(struct inotify_priv *p, int wd, const char *dir)
{
	if (wd < 0)
		return BOSUN_EIO;
	size_t i = (size_t)wd;
	if (i >= p->ndirs) {
		size_t n = p->ndirs ? p->ndirs : 64;
		while (n <= i)
			n *= 2;
		char **v = realloc(p->dirs, n * sizeof *v);
		if (!v)
			return BOSUN_ENOMEM;
		memset(v + p->ndirs, 0, (n - p->ndirs) * sizeof *v);
		p->dirs = v;
		p->ndirs = n;
	}
	char *copy = strdup(dir);
	if (!copy)
		return BOSUN_ENOMEM;
	/* the same directory again (moved, or seen twice) keeps its wd */
	free(p->dirs[i]);
	p->dirs[i] = copy;
	return BOSUN_OK;
}

/* A stack of directories still to add, so deep trees do not recurse. */
struct dir_stack {
	char **v;
	size_t n, cap;
};

static int push(struct dir_stack *s, char *dir)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		char **v = realloc(s->v, cap * sizeof *v);
		if (!v) {
			free(dir);
			return BOSUN_ENOMEM;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = dir;
	return BOSUN_OK;
}

static bool is_dir_entry(int dfd, const struct dirent *de, bool *is_reg)
{
	unsigned char t = de->d_type;
	if (t == DT_UNKNOWN) {
		struct stat st;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			return *is_reg = false;
		*is_reg = S_ISREG(st.st_mode);
		return S_ISDIR(st.st_mode);
	}
	*is_reg = t == DT_REG;
	return t == DT_DIR;
}

/* Watches dir and every directory below it. report_files: also report the
 * regular files found (a directory that appeared after start). */
static int add_tree(struct notifier *n, const char *top, bool report_files, struct berr *e)
{
	struct inotify_priv *p = n->priv;
	struct dir_stack st = { 0 };
	char *first = strdup(top);
	int rc = first ? push(&st, first) : BOSUN_ENOMEM;
	while (rc == BOSUN_OK && st.n) {
		char *dir = st.v[--st.n];
		if (n->h.excluded && n->h.excluded(n->h.ud, dir)) {
			free(dir);
			continue;
		}
		int wd = inotify_add_watch(n->fd, dir, DIR_MASK);
		if (wd < 0) {
			if (errno == ENOSPC) {
				if (p->starting) {
					rc = limit_error(e, dir);
				} else {
					n->lost++;
					if (!p->limit_warned) {
						struct berr le = { 0 };
						limit_error(&le, dir);
						log_warn("watch: %s (further directories are not watched)", le.msg);
						p->limit_warned = true;
					}
				}
			} else if (errno == ENOMEM) {
				rc = berr_set(e, BOSUN_ENOMEM, "inotify: %s: out of kernel memory", dir);
			} else if (p->starting && strcmp(dir, top) == 0) {
				rc = berr_set(e, BOSUN_EIO, "cannot watch %s: %s", dir, strerror(errno));
			}
			/* else: gone again, or replaced by a non-directory — nothing to watch */
			free(dir);
			continue;
		}
		bool fresh = (size_t)wd >= p->ndirs || !p->dirs[wd];
		if (remember(p, wd, dir) != BOSUN_OK) {
			free(dir);
			rc = berr_set(e, BOSUN_ENOMEM, "inotify: out of memory");
			break;
		}
		if (fresh)
			n->watches++;
		/* List after the watch exists: whatever appears from now on
		 * raises an event, whatever was there already is seen here. */
		DIR *d = opendir(dir);
		if (!d) {
			free(dir);
			continue;
		}
		struct dirent *de;
		while (rc == BOSUN_OK && (de = readdir(d))) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			bool is_reg;
			bool is_dir = is_dir_entry(dirfd(d), de, &is_reg);
			if (!is_dir && !(is_reg && report_files))
				continue;
			char *child = notify_join(dir, de->d_name);
			if (!child) {
				rc = berr_set(e, BOSUN_ENOMEM, "inotify: out of memory");
				break;
			}
			if (is_dir) {
				rc = push(&st, child);
			} else {
				if (!n->h.excluded || !n->h.excluded(n->h.ud, child))
					n->h.file(n->h.ud, child);
				free(child);
			}
		}
		closedir(d);
		free(dir);
	}
	while (st.n)
		free(st.v[--st.n]);
	free(st.v);
	return rc;
}

static int handle_event(struct notifier *n, const struct inotify_event *ev, struct berr *e)
{
	struct inotify_priv *p = n->priv;
	if (ev->mask & IN_Q_OVERFLOW) {
		n->lost++;
		log_warn("watch: inotify queue overflowed, some changes were missed (raise %s)", QUEUE_KNOB);
		return BOSUN_OK;
	}
	if (ev->wd < 0 || (size_t)ev->wd >= p->ndirs || !p->dirs[ev->wd])
		return BOSUN_OK;
	if (ev->mask & IN_IGNORED) { /* directory deleted or unmounted */
		free(p->dirs[ev->wd]);
		p->dirs[ev->wd] = NULL;
		if (n->watches)
			n->watches--;
		return BOSUN_OK;
	}
	if (!ev->len)
		return BOSUN_OK;
	char *path = notify_join(p->dirs[ev->wd], ev->name);
	if (!path)
		return berr_set(e, BOSUN_ENOMEM, "inotify: out of memory");
	int rc = BOSUN_OK;
	if (ev->mask & IN_ISDIR) {
		if (ev->mask & (IN_CREATE | IN_MOVED_TO))
			rc = add_tree(n, path, true, e);
	} else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
		if (!n->h.excluded || !n->h.excluded(n->h.ud, path))
			n->h.file(n->h.ud, path);
	}
	free(path);
	return rc;
}

static int inotify_handle(struct notifier *n, struct berr *e)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t len = read(n->fd, buf, sizeof buf);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return BOSUN_OK;
			return berr_set(e, BOSUN_EIO, "inotify: read: %s", strerror(errno));
		}
		if (len == 0)
			return BOSUN_OK;
		for (char *q = buf; q < buf + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)q;
			TRY(handle_event(n, ev, e));
			q += sizeof *ev + ev->len;
		}
	}
}

static void inotify_close(struct notifier *n)
{
	struct inotify_priv *p = n->priv;
	if (p) {
		for (size_t i = 0; i < p->ndirs; i++)
			free(p->dirs[i]);
		free(p->dirs);
		free(p);
	}
	if (n->fd >= 0)
		close(n->fd);
	free(n);
}

static const struct notifier_ops inotify_ops = { "inotify", inotify_handle, inotify_close };

int notify_inotify_open(const char *const *roots, size_t nroots, const struct notify_hooks *h,
			struct notifier **out, struct berr *e)
{
	*out = NULL;
	struct notifier *n = calloc(1, sizeof *n);
	struct inotify_priv *p = calloc(1, sizeof *p);
	if (!n || !p) {
		free(n);
		free(p);
		return berr_set(e, BOSUN_ENOMEM, "inotify: out of memory");
	}
	n->ops = &inotify_ops;
	n->h = *h;
	n->priv = p;
	n->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (n->fd < 0) {
		int err = errno;
		inotify_close(n);
		if (err == EMFILE)
			return berr_set(e, BOSUN_ELIMIT,
					"inotify instance limit reached: %s is %ld; raise it (sysctl "
					"fs.inotify.max_user_instances=1024) or stop other watchers",
					INSTANCES_KNOB, read_knob(INSTANCES_KNOB));
		return berr_set(e, BOSUN_EIO, "inotify_init: %s", strerror(err));
	}
	p->starting = true;
	for (size_t i = 0; i < nroots; i++) {
		int rc = add_tree(n, roots[i], false, e);
		if (rc != BOSUN_OK) {
			inotify_close(n);
			return rc;
		}
	}
	p->starting = false;
	*out = n;
	return BOSUN_OK;
}
