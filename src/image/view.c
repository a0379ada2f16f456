/* TEMPORARY stub, being replaced by the real merged view. */
#include "analyze/analyzer.h"
const struct scan_file *view_final(const struct scan_view *v, const char *path) { (void)v; (void)path; return NULL; }
size_t view_history(const struct scan_view *v, const char *path, const struct scan_file *const **out) { (void)v; (void)path; *out = NULL; return 0; }
int view_each_wanted(const struct scan_view *v, const struct analyzer *an, view_each_fn fn, void *ctx) { (void)v; (void)an; (void)fn; (void)ctx; return 0; }
int view_layer_count(const struct scan_view *v) { (void)v; return 1; }
