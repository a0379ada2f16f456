/* apk: the installed database (lib/apk/db/installed), as a pure parser for
 * tests and fuzzing plus the analyzer (analyzer_apk). */
#ifndef BOSUN_ANALYZE_APK_H
#define BOSUN_ANALYZE_APK_H

#include <stddef.h>

#include "sbom/artifact.h"

/* Parses an apk installed database and appends one PKG_APK package per
 * entry to a, with found_in as given. Entries are "X:value" lines separated
 * by blank lines: P name, V version, A arch, L license, o origin
 * (source_name, NULL when equal to the name; source_version is the
 * version), m maintainer, c commit, F directory and R file in it (files,
 * "dir/name"). Entries without P or V are skipped with a warning
 * (artifact_warn). Returns BOSUN_OK or BOSUN_ENOMEM. */
int apk_parse_installed(const char *data, size_t len, const char *found_in, struct artifact *a);

#endif
