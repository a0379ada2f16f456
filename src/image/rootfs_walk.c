/* A directory taken as a root filesystem: one "layer" whose entries come
 * from lstat, never following symlinks, and whose wanted files are read
 * with O_NOFOLLOW relative to their directory fd, so nothing resolves
 * outside the given root. */
#include "image/layer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define ROOTFS_MAX_DEPTH 256

struct rwalk {
	struct walk_shared *sh;
	struct layer_result *r;
	dev_t root_dev;
	bool streaming; /* some analyzer streams files */
};

/* Kernel pseudo filesystems hold no packages and can be endless or hang. */
static bool pseudo_fs(int fd)
{
	struct statfs sf;
	if (fstatfs(fd, &sf) < 0)
		return false;
	switch ((unsigned long)sf.f_type) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case DEVPTS_SUPER_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case BPF_FS_MAGIC:
		return true;
	}
	return false;
}

static int read_capture(struct rwalk *w, int dirfd, const char *name, struct layer_entry *ent, uint64_t size,
			struct berr *e)
{
	if (size > w->sh->limits->max_capture_bytes) {
		layer_result_warn(w->r, "%s: %llu bytes is above the analysis limit, skipped", ent->path,
				  (unsigned long long)size);
		ent->too_large = true;
		return BOSUN_OK;
	}
	TRY(layer_capture_reserve(w->sh, ent->path, size, e));
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		layer_result_warn(w->r, "%s: cannot open: %s", ent->path, strerror(errno));
		return BOSUN_OK;
	}
	unsigned char *data = arena_alloc(&w->r->arena, (size_t)size + 1);
	if (!data) {
		close(fd);
		return BOSUN_ENOMEM;
	}
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, data + got, (size_t)size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	data[got] = '\0';
	ent->data = data;
	ent->data_len = got;
	return BOSUN_OK;
}

struct fd_reader {
	int fd;
	unsigned char buf[64 * 1024];
};

static int fd_read(void *ctx, const unsigned char **p, size_t *n, struct berr *e)
{
	struct fd_reader *fr = ctx;
	ssize_t got;
	do
		got = read(fr->fd, fr->buf, sizeof fr->buf);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return berr_set(e, BOSUN_EIO, "read failed: %s", strerror(errno));
	*p = fr->buf;
	*n = (size_t)got;
	return BOSUN_OK;
}

/* Offers a file to the streaming analyzers, opening it only when one of
 * them wants its name/mode/size. A file that cannot be read is a warning. */
static int stream_from_fd(struct rwalk *w, int dirfd, const char *name, const char *path, const struct stat *st,
			  struct berr *e)
{
	struct stream_file sf = { path, (uint64_t)st->st_size, st->st_mode, 0 };
	if (!layer_stream_wanted(w->sh, &sf) || (uint64_t)st->st_size > w->sh->limits->max_file_bytes)
		return BOSUN_OK;
	struct fd_reader *fr = malloc(sizeof *fr);
	if (!fr)
		return BOSUN_ENOMEM;
	fr->fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	int rc = BOSUN_OK;
	if (fr->fd < 0) {
		layer_result_warn(w->r, "%s: cannot open: %s", path, strerror(errno));
	} else {
		struct berr ie = { 0 };
		rc = layer_stream_file(w->r, w->sh, &sf, fd_read, fr, &ie);
		if (rc == BOSUN_EIO) {
			layer_result_warn(w->r, "%s: %s", path, ie.msg);
			rc = BOSUN_OK;
		} else if (rc) {
			*e = ie;
		}
		close(fr->fd);
	}
	free(fr);
	return rc;
}

static int walk_dir(struct rwalk *w, int dirfd, char *path, size_t plen, int depth, struct berr *e)
{
	if (depth > ROOTFS_MAX_DEPTH) {
		layer_result_warn(w->r, "%s: directories nested deeper than %d levels, not descended", path,
				  ROOTFS_MAX_DEPTH);
		return BOSUN_OK;
	}
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		layer_result_warn(w->r, "%s: cannot read directory: %s", plen ? path : "/", strerror(errno));
		return BOSUN_OK;
	}
	int rc = BOSUN_OK;
	struct dirent *de;
	while (!rc && (errno = 0, de = readdir(d))) {
		const char *name = de->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		size_t nlen = strlen(name);
		if (plen + 1 + nlen + 1 > 4096) {
			layer_result_warn(w->r, "%s/%s: path too long, skipped", path, name);
			continue;
		}
		size_t newlen = plen;
		if (plen)
			path[newlen++] = '/';
		memcpy(path + newlen, name, nlen + 1);
		newlen += nlen;
		struct stat st;
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			path[plen] = '\0';
			continue; /* vanished while we walked */
		}
		char linkbuf[4096];
		const char *link = NULL;
		if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlinkat(dirfd, name, linkbuf, sizeof linkbuf - 1);
			if (n >= 0) {
				linkbuf[n] = '\0';
				link = linkbuf;
			}
		}
		struct layer_entry *ent;
		rc = layer_result_add(w->r, w->sh, path, st.st_mode, (uint64_t)st.st_size, link, &ent, e);
		if (!rc && ent && ent->wanted && S_ISREG(st.st_mode)) {
			rc = read_capture(w, dirfd, name, ent, (uint64_t)st.st_size, e);
			if (!rc && ent->data) {
				struct stream_file sf = { ent->path, (uint64_t)st.st_size, st.st_mode, 0 };
				rc = layer_scan_captured(w->r, w->sh, &sf, ent->data, ent->data_len, e);
			}
		} else if (!rc && ent && S_ISREG(st.st_mode) && w->streaming)
			rc = stream_from_fd(w, dirfd, name, path, &st, e);
		if (!rc && S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				layer_result_warn(w->r, "%s: cannot open directory: %s", path, strerror(errno));
			} else {
				if (st.st_dev != w->root_dev && pseudo_fs(sub))
					; /* /proc, /sys, ...: skip */
				else
					rc = walk_dir(w, sub, path, newlen, depth + 1, e);
				close(sub);
			}
		}
		path[plen] = '\0';
	}
	closedir(d);
	return rc;
}

int rootfs_walk(int dirfd, struct walk_shared *sh, struct layer_result *out, struct berr *e)
{
	memset(out, 0, sizeof *out);
	struct stat st;
	if (fstat(dirfd, &st) < 0)
		return berr_set(e, BOSUN_EIO, "cannot stat root: %s", strerror(errno));
	struct rwalk w = { sh, out, st.st_dev, layer_any_streaming(sh) };
	char path[4096] = "";
	return walk_dir(&w, dirfd, path, 0, 0, e);
}
