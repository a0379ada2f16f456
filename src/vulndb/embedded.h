/* The advisory snapshot compiled into bosun (data/advisory-snapshot.tar.zst,
 * cut from real feeds by scripts/make-snapshot.sh; provenance and licenses
 * in data/PROVENANCE.md), so that a fresh machine finds real
 * vulnerabilities offline. */
#ifndef BOSUN_VULNDB_EMBEDDED_H
#define BOSUN_VULNDB_EMBEDDED_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* When no file exists at db_path, builds the database there from the
 * embedded snapshot: extracted into a private scratch directory next to it,
 * imported like `bosun db build`, each source labelled with the upstream it
 * was cut from and its date, then renamed into place. An existing file is
 * left alone (even a broken one: that is for the caller to report). Says
 * what it does on stderr unless quiet logging is on; verbose adds the
 * per-feed lines. */
int vulndb_ensure_default(const char *db_path, bool verbose, struct berr *e);

/* Builds the database at db_path from the snapshot, replacing any file. */
int vulndb_build_embedded(const char *db_path, bool verbose, struct berr *e);

/* The embedded archive itself (for tests and `bosun version`-like output). */
const unsigned char *vulndb_embedded_data(size_t *len);

#endif
