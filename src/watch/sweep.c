/* Walks the watched roots once, handing out regular files one by one. */
#include "watch/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "watch/notify_impl.h"

struct pending_dir {
	char *path;
	dev_t dev; /* the filesystem of the root it came from */
};

struct sweep {
	struct sweep_options o;
	struct pending_dir *stack;
	size_t n, cap;
	DIR *d;      /* the directory being listed, NULL between directories */
	char *dir;   /* its path */
	dev_t dev;   /* its root's filesystem */
	char *file;  /* the last path handed out */
	struct sweep_stats st;
};

static int push(struct sweep *s, char *path, dev_t dev)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		struct pending_dir *v = realloc(s->stack, cap * sizeof *v);
		if (!v) {
			free(path);
			return BOSUN_ENOMEM;
		}
		s->stack = v;
		s->cap = cap;
	}
	s->stack[s->n++] = (struct pending_dir){ path, dev };
	return BOSUN_OK;
}

static bool path_within(const char *inner, const char *outer)
{
	size_t l = strlen(outer);
	while (l > 1 && outer[l - 1] == '/')
		l--;
	return strncmp(inner, outer, l) == 0 && (inner[l] == '/' || inner[l] == 0 || l == 1);
}

/* Root i is covered by another root j: j holds it (an equal root counts
 * once, the first), on the same filesystem when the walk stays on one. */
static bool covered(const struct sweep_options *o, size_t i, const dev_t *devs)
{
	for (size_t j = 0; j < o->nroots; j++) {
		if (j == i || !path_within(o->roots[i], o->roots[j]))
			continue;
		bool equal = path_within(o->roots[j], o->roots[i]);
		if (equal && j > i)
			continue;
		if (!o->one_filesystem || devs[i] == devs[j])
			return true;
	}
	return false;
}

int sweep_new(const struct sweep_options *o, struct sweep **out, struct berr *e)
{
	*out = NULL;
	struct sweep *s = calloc(1, sizeof *s);
	dev_t *devs = calloc(o->nroots ? o->nroots : 1, sizeof *devs);
	if (!s || !devs) {
		free(s);
		free(devs);
		return berr_set(e, BOSUN_ENOMEM, "watch: out of memory");
	}
	s->o = *o;
	for (size_t i = 0; i < o->nroots; i++) {
		struct stat st;
		devs[i] = stat(o->roots[i], &st) == 0 ? st.st_dev : 0;
	}
	/* pushed in reverse so that the roots are walked in the order given */
	int rc = BOSUN_OK;
	for (size_t i = o->nroots; rc == BOSUN_OK && i-- > 0;) {
		if (covered(o, i, devs))
			continue;
		char *p = strdup(o->roots[i]);
		rc = p ? push(s, p, devs[i]) : BOSUN_ENOMEM;
	}
	free(devs);
	if (rc != BOSUN_OK) {
		sweep_free(s);
		return berr_set(e, BOSUN_ENOMEM, "watch: out of memory");
	}
	*out = s;
	return BOSUN_OK;
}

static bool excluded(const struct sweep *s, const char *path)
{
	return s->o.excluded && s->o.excluded(s->o.ud, path);
}

/* Opens the next directory from the stack into s->d; false when the stack
 * is empty. A directory that cannot be listed is skipped. */
static bool open_next_dir(struct sweep *s)
{
	while (s->n) {
		struct pending_dir pd = s->stack[--s->n];
		if (excluded(s, pd.path)) {
			free(pd.path);
			continue;
		}
		/* O_NOFOLLOW: a directory swapped for a symlink since it was
		 * listed is not followed out of the tree */
		int fd = open(pd.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) != 0) {
			int err = errno;
			if (err != ENOENT && err != ENOTDIR && err != ELOOP) /* else: gone or replaced meanwhile */
				log_warn("watch: initial scan: %s: %s", pd.path, strerror(err));
			s->st.skipped_dirs++;
			if (fd >= 0)
				close(fd);
			free(pd.path);
			continue;
		}
		if (s->o.one_filesystem && st.st_dev != pd.dev) {
			s->st.skipped_dirs++; /* another filesystem: the fanotify mark does not cover it */
			close(fd);
			free(pd.path);
			continue;
		}
		DIR *d = fdopendir(fd);
		if (!d) {
			close(fd);
			free(pd.path);
			s->st.skipped_dirs++;
			continue;
		}
		s->d = d;
		s->dir = pd.path;
		s->dev = pd.dev;
		s->st.dirs++;
		return true;
	}
	return false;
}

static void close_dir(struct sweep *s)
{
	if (s->d)
		closedir(s->d);
	s->d = NULL;
	free(s->dir);
	s->dir = NULL;
}

int sweep_next(struct sweep *s, const char **path, struct berr *e)
{
	*path = NULL;
	free(s->file);
	s->file = NULL;
	for (;;) {
		if (!s->d && !open_next_dir(s))
			return BOSUN_OK;
		errno = 0;
		struct dirent *de = readdir(s->d);
		if (!de) {
			close_dir(s);
			continue;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		unsigned char t = de->d_type;
		if (t == DT_UNKNOWN) { /* some filesystems do not fill d_type */
			struct stat st;
			if (fstatat(dirfd(s->d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		}
		if (t != DT_DIR && t != DT_REG)
			continue; /* symlinks, fifos, devices, sockets */
		char *child = notify_join(s->dir, de->d_name);
		if (!child)
			return berr_set(e, BOSUN_ENOMEM, "watch: out of memory");
		if (t == DT_DIR) {
			if (strlen(child) >= PATH_MAX) {
				log_warn("watch: initial scan: %.200s...: path too long, not entered", child);
				s->st.skipped_dirs++;
				free(child);
				continue;
			}
			if (push(s, child, s->dev) != BOSUN_OK)
				return berr_set(e, BOSUN_ENOMEM, "watch: out of memory");
			continue;
		}
		if (excluded(s, child)) {
			free(child);
			continue;
		}
		s->file = child;
		s->st.files++;
		*path = child;
		return BOSUN_OK;
	}
}

void sweep_get_stats(const struct sweep *s, struct sweep_stats *st)
{
	*st = s->st;
}

void sweep_free(struct sweep *s)
{
	if (!s)
		return;
	close_dir(s);
	while (s->n)
		free(s->stack[--s->n].path);
	free(s->stack);
	free(s->file);
	free(s);
}
