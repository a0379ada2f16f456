/* TEMPORARY stub; the writers helper replaces this file. */
#include "sbom/purl.h"
char *purl_for_package(struct arena *ar, const struct package *p, const struct os_info *os) { (void)os; return arena_printf(ar, "pkg:%s/%s@%s", pkg_type_name(p->type), p->name, p->version); }
char *purl_encode(struct arena *ar, const char *s) { return arena_strdup(ar, s); }
