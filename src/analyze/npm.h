/* npm packages: the installed tree (node_modules/ ** /package.json) in images
 * and root filesystems, and the lockfiles of the npm family in project
 * trees (fs:DIR): package-lock.json / npm-shrinkwrap.json (v1, v2, v3),
 * yarn.lock (v1 and berry) and pnpm-lock.yaml (v5, v6, v9).
 *
 * The parsers are pure (bytes in, PKG_NPM packages appended to an artifact)
 * for tests and fuzzing; the analyzer (analyzer_npm, npm.c) feeds them from
 * the image. Every parser treats its input as hostile: sizes, nesting and
 * counts are bounded, and a malformed file is a warning (artifact_warn)
 * naming it, never an error. They return BOSUN_OK, or BOSUN_ENOMEM.
 *
 * Packages carry name (scoped as "@scope/name"), version, found_in (the
 * file), license where stated, and from lockfiles dev (needed only for
 * development) and relationship ("direct"/"indirect", NULL when the file
 * does not tell). Within one file a name@version is reported once: dev only
 * if every occurrence is dev, direct if any occurrence is. See
 * docs/analyzers-npm.md for what each format contributes. */
#ifndef BOSUN_ANALYZE_NPM_H
#define BOSUN_ANALYZE_NPM_H

#include <stdbool.h>
#include <stddef.h>

#include "sbom/artifact.h"

/* Files above these sizes are skipped with a warning. An installed
 * package.json is a few KB (npm < 5 embedded the README: some 100 KB);
 * the largest monorepo lockfiles are tens of MB. */
#define NPM_MAX_MANIFEST_BYTES (8u << 20)
#define NPM_MAX_LOCKFILE_BYTES (128u << 20)
/* Packages taken from one file; the rest is dropped with a warning. */
#define NPM_MAX_PACKAGES 500000

/* An installed package's package.json. Adds one package when the file has
 * a valid "name" and "version" (sets *added); a file without them is not a
 * package (no warning: npm writes such stubs, e.g. {"type":"module"}).
 * License: "license" as a string or legacy {"type": ...}, else the legacy
 * "licenses" array, joined with " OR ". added may be NULL. */
int npm_parse_package_json(const char *data, size_t len, const char *found_in, struct artifact *a, bool *added);

/* package-lock.json or npm-shrinkwrap.json. v2/v3 read "packages" (links
 * and workspaces resolved, relationship from the root entry's dependency
 * lists), v1 reads the nested "dependencies" (relationship unknown). */
int npm_parse_lockfile(const char *data, size_t len, const char *found_in, struct artifact *a);

/* yarn.lock, v1 (yarn's own format) or berry (YAML with __metadata).
 * manifest is the package.json next to it (NULL if none): its dependency
 * lists tell direct from indirect and, through the lockfile's dependency
 * graph, dev-only packages. Without it relationship is unknown and nothing
 * is marked dev. Only registry packages are reported (no workspace:, file:,
 * link:, portal:, patch:, git or tarball entries). */
int yarn_parse_lock(const char *data, size_t len, const char *manifest, size_t manifest_len, const char *found_in,
		    struct artifact *a);

/* pnpm-lock.yaml, lockfileVersion 5.x, 6.x and 9.x. dev from the packages'
 * "dev" flags (v5/v6) or from the importers' devDependencies through the
 * snapshots graph (v9); direct = named by an importer. */
int pnpm_parse_lock(const char *data, size_t len, const char *found_in, struct artifact *a);

#endif
