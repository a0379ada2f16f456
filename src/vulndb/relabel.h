/* Sources imported from a scratch directory (a download, the embedded
 * snapshot) say where their data really came from once the import is done:
 * the scratch path the importer recorded is gone by then. */
#ifndef BOSUN_VULNDB_RELABEL_H
#define BOSUN_VULNDB_RELABEL_H

#include <stddef.h>

#include "util/buf.h"
#include "vulndb/vulndb.h"

/* A copy of the sources table, so it can be updated while walked. */
struct source_copy {
	char *name, *origin, *snapshot, *license; /* NULL when unset */
};

struct source_list {
	struct source_copy *v;
	size_t n;
	struct arena arena;
};

int vulndb_list_sources(struct vulndb *db, struct source_list *out, struct berr *e);
void source_list_free(struct source_list *l);

/* Sets the named source's origin, snapshot and license; NULL leaves a
 * field as it is. */
int vulndb_source_relabel(struct vulndb *db, const char *name, const char *origin, const char *snapshot,
			  const char *license, struct berr *e);

#endif
