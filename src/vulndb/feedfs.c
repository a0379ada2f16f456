#include "vulndb/feedfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int feed_join(char *buf, size_t n, const char *dir, const char *name, struct berr *e)
{
	int len = snprintf(buf, n, "%s/%s", dir, name);
	if (len < 0 || (size_t)len >= n)
		return berr_set(e, BOSUN_ELIMIT, "%s/%s: path too long", dir, name);
	return BOSUN_OK;
}

bool feed_has_ext(const char *name, const char *const *exts)
{
	size_t n = strlen(name);
	for (; *exts; exts++) {
		size_t k = strlen(*exts);
		if (n > k && !strcmp(name + n - k, *exts))
			return true;
	}
	return false;
}

static int cmp_ent(const void *a, const void *b)
{
	return strcmp(((const struct feed_dirent *)a)->name, ((const struct feed_dirent *)b)->name);
}

void feed_dir_free(struct feed_dir *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->ents[i].name);
	free(d->ents);
	d->ents = NULL;
	d->n = 0;
}

static int add_ent(struct feed_dir *d, size_t *cap, const char *name, bool is_dir)
{
	if (d->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		struct feed_dirent *p = realloc(d->ents, ncap * sizeof *p);
		if (!p)
			return BOSUN_ENOMEM;
		d->ents = p;
		*cap = ncap;
	}
	char *nm = strdup(name);
	if (!nm)
		return BOSUN_ENOMEM;
	d->ents[d->n++] = (struct feed_dirent){ nm, is_dir };
	return BOSUN_OK;
}

int feed_dir_list(const char *path, size_t max_entries, struct feed_dir *out, struct berr *e)
{
	*out = (struct feed_dir){ 0 };
	DIR *dir = opendir(path);
	if (!dir)
		return berr_set(e, errno == ENOENT || errno == ENOTDIR ? BOSUN_ENOTFOUND : BOSUN_EIO, "%s: %s", path,
				strerror(errno));
	size_t cap = 0;
	int rc = BOSUN_OK;
	struct dirent *de;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		struct stat st;
		if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue; /* vanished meanwhile */
		if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
			continue;
		if (out->n >= max_entries) {
			rc = berr_set(e, BOSUN_ELIMIT, "%s: more than %zu entries", path, max_entries);
			break;
		}
		if (add_ent(out, &cap, de->d_name, S_ISDIR(st.st_mode))) {
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
			break;
		}
	}
	closedir(dir);
	if (rc) {
		feed_dir_free(out);
		return rc;
	}
	if (out->n)
		qsort(out->ents, out->n, sizeof *out->ents, cmp_ent);
	return BOSUN_OK;
}

int feed_read_file(const char *path, size_t max, struct buf *b, struct berr *e)
{
	buf_reset(b);
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return berr_set(e, errno == ENOENT ? BOSUN_ENOTFOUND : BOSUN_EIO, "%s: %s", path, strerror(errno));
	struct stat st;
	int rc = BOSUN_OK;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		rc = berr_set(e, BOSUN_EIO, "%s: not a regular file", path);
	else if ((uint64_t)st.st_size > max)
		rc = berr_set(e, BOSUN_ELIMIT, "%s: %lld bytes, larger than the limit of %zu", path,
			      (long long)st.st_size, max);
	else if (buf_reserve(b, (size_t)st.st_size + 1))
		rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
	while (!rc) {
		/* read to EOF rather than trusting st_size: the file may grow */
		if (b->len >= max + 1) {
			rc = berr_set(e, BOSUN_ELIMIT, "%s: larger than the limit of %zu bytes", path, max);
			break;
		}
		if (buf_reserve(b, 65536)) {
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
			break;
		}
		ssize_t r = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = berr_set(e, BOSUN_EIO, "%s: %s", path, strerror(errno));
			break;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	close(fd);
	if (!rc && b->len > max)
		rc = berr_set(e, BOSUN_ELIMIT, "%s: larger than the limit of %zu bytes", path, max);
	if (b->data)
		b->data[b->len] = '\0';
	return rc;
}

struct walk {
	const char *const *exts;
	size_t max_files, nfiles;
	char **paths;
	size_t cap;
};

static int walk_dir(struct walk *w, const char *dir, int depth, struct berr *e)
{
	struct feed_dir d;
	TRY(feed_dir_list(dir, 1000000, &d, e));
	int rc = BOSUN_OK;
	char path[PATH_MAX];
	for (size_t i = 0; !rc && i < d.n; i++) {
		if ((rc = feed_join(path, sizeof path, dir, d.ents[i].name, e)))
			break;
		if (d.ents[i].is_dir) {
			if (depth > 0)
				rc = walk_dir(w, path, depth - 1, e);
			continue;
		}
		if (!feed_has_ext(d.ents[i].name, w->exts))
			continue;
		if (w->nfiles >= w->max_files) {
			rc = berr_set(e, BOSUN_ELIMIT, "%s: more than %zu files", dir, w->max_files);
			break;
		}
		if (w->nfiles == w->cap) {
			size_t ncap = w->cap ? w->cap * 2 : 256;
			char **p = realloc(w->paths, ncap * sizeof *p);
			if (!p) {
				rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
				break;
			}
			w->paths = p;
			w->cap = ncap;
		}
		if (!(w->paths[w->nfiles] = strdup(path)))
			rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
		else
			w->nfiles++;
	}
	feed_dir_free(&d);
	return rc;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int feed_walk(const char *root, int max_depth, const char *const *exts, size_t max_files, feed_file_fn fn, void *ctx,
	      struct berr *e)
{
	struct walk w = { .exts = exts, .max_files = max_files };
	int rc = walk_dir(&w, root, max_depth, e);
	if (!rc && w.nfiles)
		qsort(w.paths, w.nfiles, sizeof *w.paths, cmp_str);
	for (size_t i = 0; !rc && i < w.nfiles; i++)
		rc = fn(w.paths[i], ctx, e);
	for (size_t i = 0; i < w.nfiles; i++)
		free(w.paths[i]);
	free(w.paths);
	return rc;
}
