/* Go module versions, as golang.org/x/mod/semver defines them: "v" MAJOR
 * [.MINOR [.PATCH [-PRERELEASE] [+BUILD]]], shorthands v1 and v1.2 meaning
 * v1.0.0 and v1.2.0. "+incompatible" is build metadata and pseudo-versions
 * (v0.0.0-20191109021931-daa7c04131f5) are ordinary prereleases, so both
 * order as x/mod orders them.
 *
 * The scheme (version_scheme_golang) also accepts two spellings x/mod does
 * not, because they reach a scanner: Go toolchain versions ("go1.21.3", "go1.21rc2",
 * how Go binaries and syft name the standard library), versions without the
 * "v" ("1.2.4", as OSV and grype write Go ranges), and build metadata with a
 * second '+' ("v2.0.0+incompatible+dirty", as Go 1.24 stamps a modified
 * main module). Its valid() is still x/mod's IsValid(). */
#ifndef BOSUN_VERSION_GOLANG_H
#define BOSUN_VERSION_GOLANG_H

#include <stdbool.h>
#include <stddef.h>

/* semver.IsValid(). */
bool golang_semver_valid(const char *v);

/* semver.Compare(): -1, 0 or 1. Total: an invalid string sorts before every
 * valid one and equal to every other invalid one, which is right for sorting
 * lists of module versions but not for matching; the scheme's compare()
 * refuses invalid strings instead. */
int golang_semver_compare(const char *v, const char *w);

/* semver.Canonical() into out: "v1.2" -> "v1.2.0", build metadata dropped.
 * Returns the length written, or 0 when v is invalid (out is then "") or the
 * result does not fit in outsz bytes with its NUL. */
size_t golang_semver_canonical(const char *v, char *out, size_t outsz);

#endif
