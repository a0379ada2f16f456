/* What one layer (or one root filesystem) contributes: every entry with its
 * metadata, the content of the files analyzers asked for, and the whiteouts.
 * Produced by layer_walk() / rootfs_walk(), consumed by the view's merge. */
#ifndef BOSUN_IMAGE_LAYER_H
#define BOSUN_IMAGE_LAYER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "analyze/analyzer.h"
#include "image/content_scan.h"
#include "image/image.h"
#include "util/buf.h"
#include "util/strmap.h"

struct layer_entry {
	const char *path;           /* normalized */
	const char *link;           /* symlink target as stored, NULL otherwise */
	uint32_t mode;              /* S_IFMT type bits | permission bits */
	uint64_t size;
	const unsigned char *data;  /* captured content for wanted files */
	size_t data_len;
	uint32_t wanted;            /* bit i set: analyzers[i] wants this path */
	bool too_large;
};

struct layer_result {
	struct arena arena;
	struct layer_entry *entries;
	size_t nentries, cap_entries;
	const char **whiteouts;     /* paths deleted from lower layers */
	size_t nwhiteouts, cap_whiteouts;
	const char **opaques;       /* directories whose lower contents are hidden */
	size_t nopaques, cap_opaques;
	char **warnings;
	size_t nwarnings, cap_warnings, dropped_warnings;
	struct strmap index;        /* path -> entry index + 1, for hard links */
	struct artifact streamed;   /* packages found by streaming analyzers, found_in = file path */
	struct finding_list findings; /* what the content scanners found in this layer's files */
	char diff_id[72];
	int layer_index;            /* layer index (0 for a rootfs) */
	uint64_t bytes;             /* uncompressed bytes */
	uint64_t tar_entries;
};

/* Shared between the concurrent walks of one image. */
struct walk_shared {
	const struct scan_limits *limits;
	const struct analyzer *const *analyzers;
	const struct content_scanner *scanners; /* see content_scan.h; may be NULL */
	size_t nscanners;
	_Atomic uint64_t image_bytes;
	_Atomic uint64_t entries;
	_Atomic uint64_t captured;  /* bytes of file content held for analyzers */
	_Atomic int abort;          /* set when any layer failed: others stop early */
};

void layer_result_free(struct layer_result *r);

/* Pulls pieces of one file's content; *n == 0 at its end. */
typedef int (*file_reader_fn)(void *ctx, const unsigned char **p, size_t *n, struct berr *e);

/* Offers a regular file to the streaming analyzers and the content
 * scanners and feeds it to those that take it, reading it once through
 * `read`. Packages go into r->streamed, findings into r->findings. Reads
 * nothing when nobody wants the file. */
int layer_stream_file(struct layer_result *r, struct walk_shared *sh, const struct stream_file *f,
		      file_reader_fn read, void *ctx, struct berr *e);
bool layer_any_streaming(const struct walk_shared *sh);
/* Would any streaming analyzer or content scanner look at f (by name,
 * mode and size)? */
bool layer_stream_wanted(const struct walk_shared *sh, const struct stream_file *f);
/* Gives a file captured for the analyzers (already in memory) to the
 * content scanners, so that it is not read twice. */
int layer_scan_captured(struct layer_result *r, struct walk_shared *sh, const struct stream_file *f,
			const unsigned char *data, size_t n, struct berr *e);

/* Records one entry (already normalized); handles whiteout names and
 * asks analyzers whether they want the path. Returns its wanted mask via
 * *wanted so the caller can capture the content. Used by both walkers. */
int layer_result_add(struct layer_result *r, struct walk_shared *sh, const char *path, uint32_t mode,
		     uint64_t size, const char *link, struct layer_entry **out, struct berr *e);
/* Reserves size bytes of the capture budget; BOSUN_ELIMIT when spent. */
int layer_capture_reserve(struct walk_shared *sh, const char *path, uint64_t size, struct berr *e);
void layer_result_warn(struct layer_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Streams one image layer: decompress (by magic), hash compressed and
 * uncompressed bytes, parse tar, record entries, capture wanted files,
 * verify the blob digest/size and the diff_id. */
int layer_walk(const struct image_layer *layer, int index, struct walk_shared *sh, struct layer_result *out,
	       struct berr *e);

/* Walks a directory as a root filesystem (never following symlinks, not
 * crossing into /proc, /sys and other pseudo filesystems). */
int rootfs_walk(int dirfd, struct walk_shared *sh, struct layer_result *out, struct berr *e);

#endif
