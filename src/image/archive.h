/* An index of the members of an outer tar archive (docker save output, OCI
 * layouts packed as tar), built by reading headers only and seeking over
 * data. Members are then read as byte ranges of the archive file. */
#ifndef BOSUN_IMAGE_ARCHIVE_H
#define BOSUN_IMAGE_ARCHIVE_H

#include "image/image.h"
#include "util/strmap.h"

struct archive_member {
	const char *name;  /* normalized */
	const char *link;  /* symlink target (raw) or hard link target (normalized), else NULL */
	bool symlink, hardlink, regular;
	uint64_t off, len;
};

struct archive_index {
	struct arena arena;
	struct strmap by_name;
	size_t count;
};

int archive_index_build(int fd, struct archive_index *ix, uint64_t max_entries, struct berr *e);

/* Finds a member by name, following symlinks and hard links inside the
 * archive. A name that is absolute, has "..", or resolves outside the
 * archive or into a loop is an error. */
int archive_lookup(const struct archive_index *ix, const char *name, struct blob_ref *out, int fd, struct berr *e);
bool archive_has(const struct archive_index *ix, const char *name);
void archive_index_free(struct archive_index *ix);

/* A chunk_source over a byte range of a file, read with pread in 1 MiB chunks. */
struct file_range_source {
	int fd;
	uint64_t off, end, pos;
	unsigned char *buf;
	size_t cap;
};
int file_range_source_init(struct file_range_source *s, const struct blob_ref *b, size_t bufsize);
void file_range_source_free(struct file_range_source *s);
struct chunk_source file_range_source_chunks(struct file_range_source *s, bool seekable);

#endif
