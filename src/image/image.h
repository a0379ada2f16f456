/* An opened container image (or root filesystem): where its layers are and
 * what its manifest and config say. Sources (docker-archive, OCI layout
 * directory or tar, rootfs directory) all produce this one shape; the layer
 * walker only sees byte ranges of open files. */
#ifndef BOSUN_IMAGE_IMAGE_H
#define BOSUN_IMAGE_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "image/limits.h"
#include "util/buf.h"
#include "util/err.h"

/* A byte range of an open file; read with pread so threads can share fd. */
struct blob_ref {
	int fd;
	uint64_t off, len;
};

struct image_layer {
	struct blob_ref blob;
	char *path;        /* name inside the archive or layout, for messages */
	char *digest;      /* descriptor digest to verify, NULL when none (docker-archive) */
	uint64_t size;     /* descriptor size, 0 when unknown */
	char *media_type;
	char *diff_id;     /* expected sha256 of the uncompressed tar, from the config */
	char *created_by;  /* matching history entry */
};

enum target_kind { TARGET_AUTO, TARGET_DOCKER_ARCHIVE, TARGET_OCI_DIR, TARGET_OCI_ARCHIVE, TARGET_ROOTFS, TARGET_FS };

const char *target_kind_name(enum target_kind k);

struct image_options {
	const char *image_ref;    /* --image REPO:TAG (docker-archive) or ref name (OCI) */
	const char *platform;     /* --platform os/arch[/variant]; NULL = host */
	struct scan_limits limits;
};

struct image {
	struct arena arena;
	enum target_kind kind;
	char *target;             /* the path given */
	int fd;                   /* archive file, or -1 */
	int dirfd;                /* OCI layout dir or rootfs dir, or -1 */
	char *name;               /* chosen repo:tag / ref name, may be NULL */
	char **repo_tags;
	size_t nrepo_tags;
	char *config_digest;      /* image id */
	char *manifest_digest;
	char *config_json;        /* raw config document, NUL-terminated */
	char *architecture, *os, *variant, *created;
	struct image_layer *layers;
	size_t nlayers;
};

/* Opens target ("PATH" or "KIND:PATH"), reads manifest and config, verifies
 * config and manifest digests, and lists the layers. */
int image_open(const char *target, const struct image_options *opt, struct image *img, struct berr *e);
void image_close(struct image *img);

/* Reads a whole blob (bounded by max) into out; verifies digest/size when given. */
int blob_read_all(const struct blob_ref *b, uint64_t max, const char *digest, struct buf *out, struct berr *e);

#endif
