/* Feed importers. Each reads one upstream format as the upstream publishes
 * it and writes records through vulndb.h inside its own source
 * transaction(s). A malformed file aborts that source with an error naming
 * the file and line: nothing half-written stays in the database.
 *
 * Adding a feed: one .c file exporting `const struct importer importer_NAME`
 * and one line in importers.def. */
#ifndef BOSUN_VULNDB_IMPORTER_H
#define BOSUN_VULNDB_IMPORTER_H

#include <stdbool.h>

#include "vulndb/vulndb.h"

struct import_stats {
	long files, vulns, affected, skipped;
};

struct importer {
	const char *name;
	/* Cheap test: is `dir` the root of a tree in this importer's format?
	 * (e.g. a directory holding data/DSA/list, or OSV *.json files). */
	bool (*detect)(const char *dir);
	int (*import)(struct vulndb *db, const char *dir, struct import_stats *st, struct berr *e);
};

extern const struct importer *const importers[]; /* NULL-terminated, from importers.def */

/* Imports every feed found under each of dirs (a feed root, or a directory
 * of feed roots, searched a few levels deep). */
int vulndb_build(struct vulndb *db, const char *const *dirs, int ndirs, bool verbose, struct berr *e);

#endif
