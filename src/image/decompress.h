/* Streaming decompression for layer blobs. The format is decided by magic
 * bytes, never by media type alone: registries and tools mislabel layers.
 * gzip goes through ISA-L's igzip (several times faster than zlib),
 * zstd through libzstd; anything else is taken as an uncompressed tar. */
#ifndef BOSUN_IMAGE_DECOMPRESS_H
#define BOSUN_IMAGE_DECOMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

enum compression { COMP_NONE, COMP_GZIP, COMP_ZSTD, COMP_XZ, COMP_BZIP2 };

/* Needs at least 6 bytes to be sure; fewer bytes are taken as uncompressed. */
enum compression compression_detect(const unsigned char *p, size_t n);
const char *compression_name(enum compression c);

struct decoder;

/* Only COMP_GZIP and COMP_ZSTD have decoders; others give BOSUN_EUNSUPPORTED. */
int decoder_new(struct decoder **out, enum compression c, struct berr *e);

/* Consumes input and produces output until either the input is used up or
 * the output is full. *in_used and *out_len report progress. *finished is
 * set once the compressed stream has ended (trailing gzip members are
 * decoded, trailing zero padding ignored, other trailing bytes an error). */
int decoder_run(struct decoder *d, const unsigned char *in, size_t in_len, size_t *in_used, unsigned char *out,
		size_t out_cap, size_t *out_len, bool *finished, struct berr *e);

void decoder_free(struct decoder *d);

#endif
