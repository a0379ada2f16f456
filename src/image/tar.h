/* A hardened streaming tar reader: ustar, GNU (long names 'L'/'K', sparse
 * 'S' skipped safely, base-256 numbers) and pax ('x' per-entry and 'g'
 * global headers: path, linkpath, size, GNU.sparse markers). Every field is
 * bounds-checked, every header checksum verified; extension headers are
 * capped; a stream that ends early is an error naming the entry. */
#ifndef BOSUN_IMAGE_TAR_H
#define BOSUN_IMAGE_TAR_H

#include <stdbool.h>
#include <stdint.h>

#include "image/stream.h"
#include "util/buf.h"

enum tar_type {
	TAR_REG,
	TAR_HARDLINK,
	TAR_SYMLINK,
	TAR_DIR,
	TAR_CHAR,
	TAR_BLOCK,
	TAR_FIFO,
	TAR_OTHER /* unknown types: data is skipped */
};

struct tar_entry {
	const char *name;   /* raw name as stored (NUL-terminated), valid until next tar_next */
	const char *link;   /* raw link target for hard/sym links, else "" */
	enum tar_type type;
	uint32_t mode;      /* permission bits incl. setuid/setgid/sticky */
	uint64_t size;      /* bytes of data that follow in the archive */
	uint64_t uid, gid;
	int64_t mtime;
	bool sparse;        /* GNU or pax sparse file: data is a sparse map, not content */
	uint64_t offset;    /* offset of the data in the stream, when the source can tell */
};

struct tar_reader {
	struct chunk_source src;
	const unsigned char *chunk; /* current chunk and read position in it */
	size_t chunk_len, chunk_pos;
	uint64_t remaining;         /* unread data bytes of the current entry */
	uint64_t padding;           /* padding bytes after the current entry's data */
	uint64_t entries;
	bool eof;
	struct buf name, link;      /* current names */
	struct buf longname, longlink, pax; /* pending extension data */
	struct buf gpax_path;       /* (global pax headers are parsed but only size-limited) */
	unsigned char hdr[512];
};

void tar_init(struct tar_reader *t, struct chunk_source src);
void tar_free(struct tar_reader *t);

/* Advances to the next entry, skipping any unread data of the current one.
 * Sets *end at the end-of-archive marker (or clean EOF between entries). */
int tar_next(struct tar_reader *t, struct tar_entry *ent, bool *end, struct berr *e);

/* Reads the next piece of the current entry's data (zero-copy when it lies
 * in one chunk); *n == 0 when the entry is exhausted. */
int tar_data(struct tar_reader *t, const unsigned char **p, size_t *n, struct berr *e);

/* Reads up to max bytes of the current entry's data into out (appending). */
int tar_read_all(struct tar_reader *t, struct buf *out, uint64_t max, struct berr *e);

#endif
