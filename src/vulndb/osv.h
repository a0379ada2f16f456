/* OSV documents (schema 1.x, JSON or YAML) into the advisory database.
 * importer_osv (import_osv.c) walks a feed directory with this; tests and
 * the fuzzer call it on single documents. Mapping rules: docs/vulndb.md. */
#ifndef BOSUN_VULNDB_OSV_H
#define BOSUN_VULNDB_OSV_H

#include <stdbool.h>
#include <stddef.h>

#include "vulndb/importer.h"

#define OSV_MAX_FILE (8u << 20)

/* Parses one OSV document and writes its vulnerability and affected rows
 * into the open source of db. `what` names the document in errors (the
 * file path). The newest `modified` seen is kept in newest (a "" string
 * at first, up to 63 bytes). Withdrawn advisories and affected entries
 * that say nothing we can match (unknown ecosystem, only GIT ranges) are
 * counted in st->skipped. A malformed document is BOSUN_EFORMAT naming the
 * field ("affected[2].ranges[0].events: expected an array"), with the line
 * when the parser reports one; rows already written for it are the caller's
 * to roll back (vulndb_source_abort). */
int osv_import_document(struct vulndb *db, const char *data, size_t n, bool yaml, const char *what,
			struct import_stats *st, char newest[64], struct berr *e);

/* Our ecosystem key for an OSV ecosystem ("PyPI" -> "pypi", "Alpine:v3.19"
 * -> "alpine:3.19"), written to buf; false when unsupported. */
bool osv_ecosystem_key(const char *osv, char *buf, size_t n);

/* The package name as the ecosystem compares names (PEP 503 for PyPI,
 * lower case for Packagist and NuGet, unchanged elsewhere), into buf;
 * false when it does not fit. */
bool osv_package_name(const char *key, const char *name, char *buf, size_t n);

#endif
