/* Building the merged view: layers are applied bottom-up with OCI whiteout
 * semantics. The read side of the view is declared in analyze/analyzer.h. */
#ifndef BOSUN_IMAGE_VIEW_H
#define BOSUN_IMAGE_VIEW_H

#include "analyze/analyzer.h"
#include "image/layer.h"

struct scan_view *view_new(const struct analyzer *const *table);

/* Applies layer `index` (must be the next one, starting at 0) and takes
 * ownership of *r (the view keeps its memory: captured data is shared). */
int view_apply_layer(struct scan_view *v, int index, struct layer_result *r);

/* Visits every visible entry in the final image (unordered). */
typedef int (*view_entry_fn)(const struct scan_file *f, void *ctx);
int view_each_entry(const struct scan_view *v, view_entry_fn fn, void *ctx);

/* Layer of the version of path (exactly; no symlinks followed) visible in
 * the final image, or -1 when the path is absent. */
int view_path_layer(const struct scan_view *v, const char *path);

/* Packages the streaming analyzers found in layer i (see layer_stream.c). */
const struct artifact *view_layer_streamed(const struct scan_view *v, int i);

/* Marks the view as a project tree (see view_is_project). */
void view_set_project(struct scan_view *v, bool project);

void view_free(struct scan_view *v);

#endif
