/* Lays the downloaded feeds out as the tree the importers read: a file
 * feed at its path, a zip feed unpacked below its directory. */
#include "vulndb/safedir.h"
#include "vulndb/update_impl.h"
#include "vulndb/zip.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory part of path into out ("a/b/c" -> "a/b"). */
static void parent_of(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');
	snprintf(out, cap, "%.*s", slash ? (int)(slash - path) : 0, path);
}

static int place_file(int treefd, const struct feed *f, const char *src, int64_t mtime, struct berr *e)
{
	char dir[PATH_MAX];
	parent_of(f->path, dir, sizeof dir);
	if (dir[0])
		TRY(safedir_mkdirs(treefd, dir, e));
	/* A hard link costs nothing and the importers only read; a copy when
	 * the cache sits on another file system or links are refused. */
	if (linkat(AT_FDCWD, src, treefd, f->path, 0) != 0) {
		int out;
		TRY(safedir_create(treefd, f->path, &out, e));
		int rc = safedir_copy_into(src, out, f->path, e);
		if (close(out) != 0 && !rc)
			rc = berr_set(e, BOSUN_EIO, "cannot write %s: %s", f->path, strerror(errno));
		TRY(rc);
	}
	safedir_set_mtime(treefd, f->path, mtime);
	return BOSUN_OK;
}

/* ---- zip feeds --------------------------------------------------------------- */

struct unzip {
	int fd;
	const char *name;
};

static int write_out(void *ctx, const unsigned char *p, size_t n, struct berr *e)
{
	struct unzip *u = ctx;
	return safedir_write_all(u->fd, p, n, u->name, e);
}

static int unpack_entry(struct zip *z, int treefd, const struct feed *f, const struct zip_entry *ent, struct berr *e)
{
	char rel[PATH_MAX];
	if ((size_t)snprintf(rel, sizeof rel, "%s/%s", f->path, ent->name) >= sizeof rel)
		return berr_set(e, BOSUN_ELIMIT, "zip: %s: name too long", ent->name);
	if (ent->is_dir)
		return safedir_mkdirs(treefd, rel, e);
	struct unzip u = { .name = ent->name };
	TRY(safedir_create(treefd, rel, &u.fd, e));
	int rc = zip_read(z, ent, write_out, &u, e);
	if (close(u.fd) != 0 && !rc)
		rc = berr_set(e, BOSUN_EIO, "cannot write %s: %s", rel, strerror(errno));
	if (!rc)
		safedir_set_mtime(treefd, rel, ent->mtime);
	return rc;
}

static int unpack_all(struct zip *z, int treefd, const struct feed *f, struct berr *e)
{
	TRY(safedir_mkdirs(treefd, f->path, e));
	long files = 0;
	for (;;) {
		struct zip_entry ent;
		bool end;
		TRY(zip_next(z, &ent, &end, e));
		if (end)
			break;
		TRY(unpack_entry(z, treefd, f, &ent, e));
		files += !ent.is_dir;
	}
	if (!files)
		return berr_set(e, BOSUN_EFORMAT, "zip: the archive holds no files");
	return BOSUN_OK;
}

static int place_zip(int treefd, const struct feed *f, const char *src, struct berr *e)
{
	int fd = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return berr_set(e, BOSUN_EIO, "cannot open %s: %s", src, strerror(err));
	}
	if (st.st_size == 0) {
		close(fd);
		return berr_set(e, BOSUN_EFORMAT, "zip: empty download");
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return berr_set(e, BOSUN_EIO, "cannot map %s: %s", src, strerror(errno));
	struct zip z;
	int rc = zip_open(&z, p, (size_t)st.st_size, NULL, e);
	if (!rc)
		rc = unpack_all(&z, treefd, f, e);
	zip_close(&z);
	munmap(p, (size_t)st.st_size);
	return rc;
}

int update_tree_place(int treefd, const struct feed *f, const char *src, int64_t mtime, struct berr *e)
{
	return f->format == FEED_ZIP ? place_zip(treefd, f, src, e) : place_file(treefd, f, src, mtime, e);
}
