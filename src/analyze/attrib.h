/* Layer attribution for package databases. A package was introduced by the
 * lowest layer from which the same package (type, name, version, arch) is
 * present in every later version of the database file up to the final one;
 * a reinstall or upgrade in a later layer moves it up. */
#ifndef BOSUN_ANALYZE_ATTRIB_H
#define BOSUN_ANALYZE_ATTRIB_H

#include "analyze/analyzer.h"

/* Parses one version of a package database file, appending to out. */
typedef int (*pkgdb_parse_fn)(const struct scan_file *f, struct artifact *out, struct berr *e);

/* Parses the final version `final` of a database (whose history is looked up
 * in v by final->path) into a, then sets the layer of every package it added.
 * Older versions that fail to parse are treated as not containing the package. */
int attrib_parse_with_history(const struct scan_view *v, const struct scan_file *final,
			      pkgdb_parse_fn parse, struct artifact *a, struct berr *e);

#endif
