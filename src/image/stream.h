/* A pull-based stream of byte chunks. Producers hand out chunks they own;
 * a chunk stays valid until the next call. This lets the tar reader parse
 * headers in place and skip file data without copying it. */
#ifndef BOSUN_IMAGE_STREAM_H
#define BOSUN_IMAGE_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct chunk_source {
	/* Next chunk; *len == 0 means end of stream. Returns BOSUN_OK or an error. */
	int (*next)(void *ctx, const unsigned char **p, size_t *len, struct berr *e);
	/* Optional: skip n bytes without reading them (seekable inputs); NULL if
	 * the stream must be read (e.g. because it is being hashed). */
	int (*skip)(void *ctx, uint64_t n, struct berr *e);
	/* Optional: offset of the next byte from the start of the stream. */
	uint64_t (*tell)(void *ctx);
	void *ctx;
};

#endif
