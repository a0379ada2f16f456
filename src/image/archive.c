#include "image/archive.h"
#include "image/path.h"
#include "image/tar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int frs_next(void *ctx, const unsigned char **p, size_t *len, struct berr *e)
{
	struct file_range_source *s = ctx;
	*len = 0;
	if (s->pos >= s->end)
		return BOSUN_OK;
	size_t want = s->end - s->pos < s->cap ? (size_t)(s->end - s->pos) : s->cap;
	ssize_t n;
	do
		n = pread(s->fd, s->buf, want, (off_t)s->pos);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return berr_set(e, BOSUN_EIO, "read failed: %s", strerror(errno));
	if (n == 0)
		return berr_set(e, BOSUN_EFORMAT, "file is shorter than expected (truncated?)");
	s->pos += (uint64_t)n;
	*p = s->buf;
	*len = (size_t)n;
	return BOSUN_OK;
}

static int frs_skip(void *ctx, uint64_t n, struct berr *e)
{
	struct file_range_source *s = ctx;
	if (n > s->end - s->pos)
		return berr_set(e, BOSUN_EFORMAT, "archive is truncated");
	s->pos += n;
	return BOSUN_OK;
}

static uint64_t frs_tell(void *ctx)
{
	struct file_range_source *s = ctx;
	return s->pos - s->off;
}

int file_range_source_init(struct file_range_source *s, const struct blob_ref *b, size_t bufsize)
{
	s->fd = b->fd;
	s->off = s->pos = b->off;
	s->end = b->off + b->len;
	s->cap = bufsize;
	s->buf = malloc(bufsize);
	return s->buf ? BOSUN_OK : BOSUN_ENOMEM;
}

void file_range_source_free(struct file_range_source *s)
{
	free(s->buf);
	s->buf = NULL;
}

struct chunk_source file_range_source_chunks(struct file_range_source *s, bool seekable)
{
	return (struct chunk_source){ frs_next, seekable ? frs_skip : NULL, frs_tell, s };
}

int archive_index_build(int fd, struct archive_index *ix, uint64_t max_entries, struct berr *e)
{
	memset(ix, 0, sizeof *ix);
	off_t size = lseek(fd, 0, SEEK_END);
	if (size < 0)
		return berr_set(e, BOSUN_EIO, "cannot size archive: %s", strerror(errno));
	struct blob_ref whole = { fd, 0, (uint64_t)size };
	struct file_range_source frs;
	TRY(file_range_source_init(&frs, &whole, 64 * 1024));
	struct tar_reader t;
	tar_init(&t, file_range_source_chunks(&frs, true));
	int rc = BOSUN_OK;
	char norm[4096];
	for (;;) {
		struct tar_entry ent;
		bool end;
		rc = tar_next(&t, &ent, &end, e);
		if (rc || end)
			break;
		if (ix->count >= max_entries) {
			rc = berr_set(e, BOSUN_ELIMIT, "archive has more than %llu members",
				      (unsigned long long)max_entries);
			break;
		}
		enum path_result pr = path_normalize(ent.name, strlen(ent.name), norm, sizeof norm);
		if (pr != PATH_OK)
			continue; /* "..", root or overlong names are never looked up */
		if (ent.offset + ent.size > (uint64_t)size) {
			rc = berr_set(e, BOSUN_EFORMAT, "archive member %s extends past the end of the file (truncated?)", norm);
			break;
		}
		struct archive_member *m = arena_alloc(&ix->arena, sizeof *m);
		if (!m || !(m->name = arena_strdup(&ix->arena, norm))) {
			rc = BOSUN_ENOMEM;
			break;
		}
		m->symlink = ent.type == TAR_SYMLINK;
		m->hardlink = ent.type == TAR_HARDLINK;
		m->regular = ent.type == TAR_REG && !ent.sparse;
		m->link = NULL;
		if (m->symlink || m->hardlink)
			m->link = arena_strdup(&ix->arena, ent.link);
		m->off = ent.offset;
		m->len = m->regular ? ent.size : 0;
		if ((rc = strmap_put(&ix->by_name, m->name, m)))
			break;
		ix->count++;
	}
	tar_free(&t);
	file_range_source_free(&frs);
	if (rc)
		archive_index_free(ix);
	return rc;
}

bool archive_has(const struct archive_index *ix, const char *name)
{
	char norm[4096];
	if (path_normalize(name, strlen(name), norm, sizeof norm) != PATH_OK)
		return false;
	return strmap_get(&ix->by_name, norm) != NULL;
}

int archive_lookup(const struct archive_index *ix, const char *name, struct blob_ref *out, int fd, struct berr *e)
{
	if (name[0] == '/')
		return berr_set(e, BOSUN_EFORMAT, "archive reference %s is absolute", name);
	char cur[4096], next[4096];
	enum path_result pr = path_normalize(name, strlen(name), cur, sizeof cur);
	if (pr == PATH_DOTDOT)
		return berr_set(e, BOSUN_EFORMAT, "archive reference %s escapes the archive", name);
	if (pr != PATH_OK)
		return berr_set(e, BOSUN_EFORMAT, "bad archive reference '%s'", name);
	for (int hops = 0; hops < 16; hops++) {
		const struct archive_member *m = strmap_get(&ix->by_name, cur);
		if (!m)
			return berr_set(e, BOSUN_ENOTFOUND, "%s is not in the archive", name);
		if (m->regular) {
			*out = (struct blob_ref){ fd, m->off, m->len };
			return BOSUN_OK;
		}
		if (!m->link)
			return berr_set(e, BOSUN_EFORMAT, "%s is not a regular file in the archive", name);
		if (m->hardlink) {
			pr = path_normalize(m->link, strlen(m->link), next, sizeof next);
		} else {
			if (m->link[0] == '/')
				return berr_set(e, BOSUN_EFORMAT, "%s is a symlink out of the archive (%s)", name, m->link);
			char dir[4096];
			snprintf(dir, sizeof dir, "%s", cur);
			char *slash = strrchr(dir, '/');
			if (slash)
				*slash = '\0';
			else
				dir[0] = '\0';
			pr = path_resolve_link(dir, m->link, false, next, sizeof next);
			if (pr == PATH_DOTDOT)
				return berr_set(e, BOSUN_EFORMAT, "%s is a symlink out of the archive (%s)", name, m->link);
		}
		if (pr != PATH_OK)
			return berr_set(e, BOSUN_EFORMAT, "%s links to an invalid name", name);
		memcpy(cur, next, sizeof cur);
	}
	return berr_set(e, BOSUN_EFORMAT, "%s: too many levels of links in the archive (loop?)", name);
}

void archive_index_free(struct archive_index *ix)
{
	strmap_free(&ix->by_name);
	arena_free(&ix->arena);
}
