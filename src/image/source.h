/* Internal to src/image: the per-format openers behind image_open(). */
#ifndef BOSUN_IMAGE_SOURCE_H
#define BOSUN_IMAGE_SOURCE_H

#include "image/archive.h"
#include "image/image.h"

#define IMAGE_JSON_MAX_DEPTH 64

int docker_archive_open(struct image *img, const struct archive_index *ix, const struct image_options *opt,
			struct berr *e);
int oci_layout_open(struct image *img, const struct archive_index *ix, const struct image_options *opt,
		    struct berr *e);

/* Reads the config blob, records its digest as image id, and fills
 * architecture/os/created, diff_ids and history into the layers (whose
 * count must match). */
int image_apply_config(struct image *img, const struct blob_ref *config, const char *digest,
		       const struct image_options *opt, struct berr *e);

/* Reads a named member of the layout/archive (bounded, JSON-checked by caller). */
int image_member(struct image *img, const struct archive_index *ix, const char *name, struct blob_ref *out,
		 struct berr *e);

/* Reads a whole member (bounded by max, digest-checked when digest != NULL). */
int image_read_member(struct image *img, const struct archive_index *ix, const char *name, const char *digest,
		      uint64_t max, struct buf *out, struct berr *e);

#endif
