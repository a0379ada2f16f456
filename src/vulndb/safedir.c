/* Scratch directories and atomic replacement. Everything below a scratch
 * root is created by us, with O_EXCL and O_NOFOLLOW and relative to the
 * root's descriptor, so a hostile archive name can neither escape the root
 * nor overwrite what an earlier member created. */
#include "vulndb/safedir.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 64

int safedir_check_name(const char *name, struct berr *e)
{
	size_t n = strlen(name);
	if (n == 0 || name[0] == '/')
		return berr_set(e, BOSUN_EFORMAT, "unsafe name '%.200s': %s", name, n ? "absolute" : "empty");
	size_t start = 0;
	int depth = 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (i < n && (c < 0x20 || c == 0x7f || c == '\\' || (c == ':' && i == 1)))
			return berr_set(e, BOSUN_EFORMAT, "unsafe name '%.200s': control character, backslash or drive",
					name);
		if (i < n && c != '/')
			continue;
		size_t len = i - start;
		if (i == n && len == 0)
			break; /* one trailing slash: a directory */
		if (len == 0 || (len == 1 && name[start] == '.') || (len == 2 && !strncmp(name + start, "..", 2)))
			return berr_set(e, BOSUN_EFORMAT, "unsafe name '%.200s': empty, '.' or '..' component", name);
		if (++depth > MAX_DEPTH)
			return berr_set(e, BOSUN_ELIMIT, "name '%.200s' more than %d levels deep", name, MAX_DEPTH);
		start = i + 1;
	}
	return BOSUN_OK;
}

/* One component below dirfd: made if missing, opened if a directory. */
static int enter(int dirfd, const char *comp, const char *rel, int *out, struct berr *e)
{
	*out = openat(dirfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*out >= 0)
		return BOSUN_OK;
	if (errno == ENOENT && mkdirat(dirfd, comp, 0700) != 0 && errno != EEXIST)
		return berr_set(e, BOSUN_EIO, "cannot create directory %s: %s", rel, strerror(errno));
	*out = openat(dirfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*out < 0)
		return berr_set(e, BOSUN_EFORMAT, "%s: a file stands where a directory goes", rel);
	return BOSUN_OK;
}

/* Opens (*dirfd) the directory holding the last component of rel,
 * creating the ones before it; *last points at that component in copy. */
static int open_parent(int rootfd, const char *rel, char *copy, size_t cap, const char **last, int *dirfd,
		       struct berr *e)
{
	TRY(safedir_check_name(rel, e));
	if (snprintf(copy, cap, "%s", rel) >= (int)cap)
		return berr_set(e, BOSUN_ELIMIT, "name too long: %.200s", rel);
	size_t n = strlen(copy);
	if (n > 1 && copy[n - 1] == '/')
		copy[n - 1] = '\0';
	int fd = dup(rootfd);
	if (fd < 0)
		return berr_set(e, BOSUN_EIO, "dup: %s", strerror(errno));
	char *comp = copy, *slash;
	while ((slash = strchr(comp, '/'))) {
		*slash = '\0';
		int sub;
		int rc = enter(fd, comp, rel, &sub, e);
		close(fd);
		if (rc)
			return rc;
		fd = sub;
		comp = slash + 1;
	}
	*last = comp;
	*dirfd = fd;
	return BOSUN_OK;
}

int safedir_mkdirs(int rootfd, const char *rel, struct berr *e)
{
	char copy[PATH_MAX];
	const char *last;
	int fd, sub;
	TRY(open_parent(rootfd, rel, copy, sizeof copy, &last, &fd, e));
	int rc = enter(fd, last, rel, &sub, e);
	close(fd);
	if (!rc)
		close(sub);
	return rc;
}

int safedir_create(int rootfd, const char *rel, int *out, struct berr *e)
{
	char copy[PATH_MAX];
	const char *last;
	int fd;
	TRY(open_parent(rootfd, rel, copy, sizeof copy, &last, &fd, e));
	*out = openat(fd, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	int err = errno;
	close(fd);
	if (*out < 0)
		return berr_set(e, err == EEXIST ? BOSUN_EFORMAT : BOSUN_EIO, "cannot create %s: %s", rel,
				err == EEXIST ? "the archive holds it twice" : strerror(err));
	return BOSUN_OK;
}

int safedir_write_all(int fd, const void *p, size_t n, const char *what, struct berr *e)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return berr_set(e, BOSUN_EIO, "cannot write %s: %s", what, w < 0 ? strerror(errno) : "no space");
		c += w;
		n -= (size_t)w;
	}
	return BOSUN_OK;
}

void safedir_set_mtime(int rootfd, const char *rel, int64_t mtime)
{
	if (mtime <= 0)
		return;
	struct timespec ts[2] = { { .tv_nsec = UTIME_OMIT }, { .tv_sec = (time_t)mtime } };
	utimensat(rootfd, rel, ts, AT_SYMLINK_NOFOLLOW);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void safedir_remove_tree(const char *path)
{
	if (path && *path)
		nftw(path, remove_one, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static void sync_parent(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	const char *d = !slash ? "." : slash == dir ? "/" : dir;
	if (slash && slash != dir)
		*slash = '\0';
	int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int safedir_commit(const char *tmp, const char *path, struct berr *e)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return berr_set(e, BOSUN_EIO, "%s: %s", tmp, strerror(err));
	}
	close(fd);
	if (rename(tmp, path) != 0)
		return berr_set(e, BOSUN_EIO, "cannot move %s to %s: %s", tmp, path, strerror(errno));
	sync_parent(path);
	return BOSUN_OK;
}

int safedir_make_temp(const char *near, const char *tag, char *out, size_t cap, struct berr *e)
{
	const char *slash = strrchr(near, '/');
	int dirlen = slash ? (int)(slash - near) : 0;
	const char *base = slash ? slash + 1 : near;
	int n = slash ? snprintf(out, cap, "%.*s/.%s.%s.XXXXXX", dirlen ? dirlen : 1, dirlen ? near : "/", base, tag)
		      : snprintf(out, cap, ".%s.%s.XXXXXX", base, tag);
	if (n < 0 || (size_t)n >= cap)
		return berr_set(e, BOSUN_ELIMIT, "path too long: %.200s", near);
	if (!mkdtemp(out))
		return berr_set(e, BOSUN_EIO, "cannot create a scratch directory next to %s: %s", near, strerror(errno));
	return BOSUN_OK;
}

int safedir_copy_into(const char *src, int out, const char *what, struct berr *e)
{
	int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return berr_set(e, BOSUN_EIO, "cannot open %s: %s", src, strerror(errno));
	char buf[64 << 10];
	int rc = BOSUN_OK;
	for (;;) {
		ssize_t r = read(in, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			rc = berr_set(e, BOSUN_EIO, "cannot read %s: %s", src, strerror(errno));
		if (r <= 0 || rc)
			break;
		rc = safedir_write_all(out, buf, (size_t)r, what, e);
	}
	close(in);
	return rc;
}
