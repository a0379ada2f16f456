/* Go binaries: the build information the Go toolchain embeds (Go 1.13 and
 * later), read while the file streams by; see docs/analyzers-go-rust.md. */
#ifndef BOSUN_ANALYZE_GOBINARY_H
#define BOSUN_ANALYZE_GOBINARY_H

#include <stddef.h>

#include "sbom/artifact.h"

/* Adds the packages of one binary's build information to a: the Go
 * toolchain as "stdlib" (go_version "go1.19.8" -> "v1.19.8"), the main
 * module when it has a version (its own, or one stamped with -ldflags -X),
 * and every dependency, replacements (=>) taking the place of what they
 * replace. modinfo is the text `go version -m` prints, without the framing
 * sentinels. found_in is copied. ENOMEM only: odd lines are skipped. */
int go_buildinfo_packages(const char *go_version, const char *modinfo, size_t modlen, const char *found_in,
			  struct artifact *a);

/* The version -ldflags stamps into the main module with -X (Trivy's
 * rules: keys ending in .version or .ver, semver values; the module's own
 * cmd/ packages first, then main/common/version/cmd, then any; ambiguity
 * gives none). Writes it to out (cap bytes) and returns true if found. */
bool go_ldflags_version(const char *module, const char *ldflags, char *out, size_t cap);

/* golang.org/x/mod/semver's IsValid: "v1", "v1.2", "v1.2.3-pre+build". */
bool go_semver_valid(const char *v, size_t n);

#endif
