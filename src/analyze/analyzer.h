/* The analyzer interface. An analyzer declares which paths it wants (a cheap
 * test run on every tar entry of every layer), the walker captures those
 * files (size-bounded) per layer, merges the layers bottom-up with whiteouts,
 * and then calls analyze() once with a view of the result.
 *
 * Adding an analyzer: one .c file exporting `const struct analyzer
 * analyzer_NAME` and one line in analyzers.def. */
#ifndef BOSUN_ANALYZE_ANALYZER_H
#define BOSUN_ANALYZE_ANALYZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbom/artifact.h"
#include "util/err.h"

/* One version of one path as a layer left it. Paths are normalized: relative
 * to the image root, no leading "/", no "." or ".." components. */
struct scan_file {
	const char *path;
	int layer;                 /* layer index, 0 = bottom; 0 for a rootfs */
	const unsigned char *data; /* content; NULL when deleted, not regular or too large */
	size_t size;
	uint32_t mode;             /* st_mode bits, S_IFREG etc. */
	const char *link;          /* symlink target (as stored), NULL otherwise */
	bool deleted;              /* a whiteout removed the path at this layer */
	bool too_large;            /* regular file above the capture limit; data is NULL */
};

struct scan_view; /* the merged image, owned by the walker */
struct analyzer;

/* The file visible at path in the final image, following symlinks inside the
 * image (never on the host; at most 40 hops). NULL if absent. */
const struct scan_file *view_final(const struct scan_view *v, const char *path);

/* Every version of path bottom-up, including deletion markers; only wanted
 * paths are recorded. Returns the count, *out points at an array owned by v. */
size_t view_history(const struct scan_view *v, const char *path, const struct scan_file *const **out);

/* Calls fn for every final visible regular file the given analyzer wanted,
 * in path order. Stops and returns the first non-zero result of fn. */
typedef int (*view_each_fn)(const struct scan_file *f, void *ctx);
int view_each_wanted(const struct scan_view *v, const struct analyzer *an, view_each_fn fn, void *ctx);

/* Number of layers in the view (1 for a rootfs). */
int view_layer_count(const struct scan_view *v);

/* True for a project tree (fs:DIR): lockfiles and manifests describe what
 * the project will install, so lockfile analyzers read them; in images and
 * root filesystems what is installed counts, and lockfiles are ignored. */
bool view_is_project(const struct scan_view *v);

/* A file offered to a streaming analyzer during the layer walk. */
struct stream_file {
	const char *path;   /* normalized */
	uint64_t size;
	uint32_t mode;
	int layer;          /* 0 for a rootfs */
};

/* How much of a file's start stream_begin() sees (less for smaller files). */
#define STREAM_HEAD_BYTES 4096

struct analyzer {
	const char *name;
	int version; /* bump when output changes, for per-layer caches */
	/* path is normalized (see above), len == strlen(path). Called for every
	 * entry, so it must be cheap: compare names, no allocation. */
	bool (*wants)(const char *path, size_t len);
	/* Reads from the view, appends to the artifact. A malformed file is a
	 * warning (artifact_warn) and a best-effort result, not an error;
	 * return non-zero only for ENOMEM and similar. */
	int (*analyze)(const struct scan_view *v, struct artifact *a, struct berr *e);

	/* Optional streaming hooks, for files that must not be captured whole
	 * (archives, binaries): they see a file's bytes once, in order, as the
	 * layer walk reads them, and keep only what they need (bounded).
	 * stream_begin() decides from the path, size, mode and the first bytes
	 * (e.g. magic) and returns a state, or NULL to pass. It must be cheap:
	 * it is asked about every regular file no other analyzer captured.
	 * stream_data() then gets the whole file from offset 0 in pieces; a
	 * non-zero return other than STREAM_DONE is an error for the layer.
	 * stream_end() (called exactly once per state, complete == false when
	 * the file was cut short or streaming stopped early) appends what it
	 * found to `out` with found_in = the file's path, and frees the state.
	 * Packages found this way are kept only if the file is visible in the
	 * final image, and get the layer of that file. */
	/* Cheap prefilter on name, mode and size (no content), so that files no
	 * streaming analyzer could want are not read or opened; NULL = any. */
	bool (*stream_wants)(const struct stream_file *f);
	void *(*stream_begin)(const struct stream_file *f, const unsigned char *head, size_t headlen);
	int (*stream_data)(void *state, const unsigned char *p, size_t n);
	int (*stream_end)(void *state, bool complete, struct artifact *out, struct berr *e);
};

/* stream_data() may return this to say it needs no more of the file. */
#define STREAM_DONE (-1)

/* The table of analyzers, from analyzers.def, NULL-terminated. */
extern const struct analyzer *const analyzers[];

#endif
