/* Java: Maven coordinates from archives (java.c, streamed during the layer
 * walk) and from project files in fs: mode (java_pom.c: pom.xml,
 * gradle.lockfile). docs/analyzers-java.md has the rules. */
#ifndef BOSUN_ANALYZE_JAVA_H
#define BOSUN_ANALYZE_JAVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/analyzer.h"
#include "analyze/zipstream.h"
#include "sbom/artifact.h"
#include "util/buf.h"

/* Licenses of several kinds are joined with this: license names contain
 * commas ("Apache License, Version 2.0"), so ", " would be ambiguous. */
#define JAVA_LICENSE_SEP "; "

/* ---- archives (java.c) ---- */

/* Whether a file name is a Java archive bosun reads: .jar .war .ear .par
 * and Jenkins plugins .hpi .jpi, any case. */
bool java_archive_name(const char *name, size_t len);

/* Reads one archive held in memory, as the streaming hooks would, and
 * appends its packages to a (found_in = path). lim NULL = defaults. For
 * tests and the fuzzer; warnings go to a. BOSUN_OK or BOSUN_ENOMEM. */
int java_scan_archive(const char *path, const unsigned char *p, size_t n, const struct zs_limits *lim,
		      struct artifact *a);

/* Trivy's file-name rule for a jar without metadata: "name-1.2.3.jar" gives
 * artifactId "name" and version "1.2.3" (the regexp
 * ^([a-zA-Z0-9._-]*[^-*])-(\d\S*).jar$, greedy, so the last "-digit" split
 * wins). False when the name does not fit. */
bool java_name_from_file(const char *base, struct slice *artifact, struct slice *version);

/* ---- licenses ---- */

/* An SPDX id for a license URL or id written in Bundle-License or a POM
 * <url>, for the common licenses only; NULL when unknown. */
const char *java_license_id(struct slice s);

/* ---- pom.xml and gradle.lockfile (java_pom.c) ---- */

/* The <licenses><license><name> values of an embedded pom.xml (a <url>
 * where the name is missing, when java_license_id() knows it), joined with
 * JAVA_LICENSE_SEP into *out (arena), NULL when there are none or the file
 * is not well-formed. BOSUN_OK or BOSUN_ENOMEM. */
int java_pom_licenses(struct arena *ar, const char *xml, size_t n, char **out);

/* One pom.xml of a project tree: its direct dependencies with versions
 * that resolve locally (literal, ${property} from this POM or a parent POM
 * found at <relativePath> in the view). v may be NULL (no parents). Local
 * modules (local is a set of "group:artifact", may be NULL) are not
 * packages. Warnings go to a. BOSUN_OK or BOSUN_ENOMEM. */
struct strmap;
int java_pom_dependencies(const struct scan_view *v, const char *path, const unsigned char *p, size_t n,
			  const struct strmap *local, struct artifact *a);

/* gradle.lockfile: "group:artifact:version=configurations" lines. */
int java_gradle_lockfile(const char *path, const unsigned char *p, size_t n, struct artifact *a);

extern const struct analyzer analyzer_java;

/* The analyze() hook: pom.xml and gradle.lockfile in fs: mode only. */
int java_project_analyze(const struct scan_view *v, struct artifact *a, struct berr *e);

#endif
