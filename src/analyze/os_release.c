/* TEMPORARY stub; replaced by the real analyzer. */
#include "analyze/analyzer.h"
static bool wants(const char *path, size_t len) { (void)path; (void)len; return false; }
static int analyze(const struct scan_view *v, struct artifact *a, struct berr *e) { (void)v; (void)a; (void)e; return 0; }
const struct analyzer analyzer_os_release = { "os_release", 1, wants, analyze };
