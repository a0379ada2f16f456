/* Shared by the npm-family parsers (npm_*.c, yarn_lock.c, pnpm_lock.c):
 * name and version checks, license extraction, JSON parsing, and the sink
 * that merges repeated name@version entries of one file. Internal: not part
 * of the analyzer's interface (npm.h). */
#ifndef BOSUN_ANALYZE_NPM_COMMON_H
#define BOSUN_ANALYZE_NPM_COMMON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "sbom/artifact.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/strmap.h"

#define NPM_NAME_MAX 214     /* npm's own limit */
#define NPM_VERSION_MAX 256
#define NPM_LICENSE_MAX 1024
#define NPM_MAX_WARNINGS 10  /* per file; the rest are counted */

/* npm package names: 1..214 printable ASCII bytes without blanks, quotes or
 * backslashes; "@scope/name" has exactly one '/', others none. */
bool npm_name_valid(struct slice s);
/* Any version token: 1..256 printable ASCII bytes without blanks. */
bool npm_version_token(struct slice s);
/* A version from a registry: a token with no ':' or '/', which rules out
 * git, tarball, file:, link: and similar sources. */
bool npm_registry_version(struct slice s);

/* "@scope/name@range" -> name and range (the '@' after the name); false
 * when there is no such '@' or the name is empty. */
bool npm_split_descriptor(struct slice d, struct slice *name, struct slice *range);

/* The license a package.json-like object states: "license" (string, or the
 * legacy {"type": ...}), else legacy "licenses" (array of strings or
 * objects with "type", or one such object), joined with " OR ". Control
 * characters become '?'. NULL when none; *out in ar. BOSUN_OK/ENOMEM. */
int npm_license(struct arena *ar, const json_t *obj, char **out);

/* JSON via json_parse_bounded, tolerating what node's JSON.parse accepts
 * and jansson does not by default: a UTF-8 byte order mark, and repeated
 * keys (the last one wins, as in JavaScript). */
int npm_json_parse(const char *data, size_t len, size_t max_depth, const char *what, json_t **out, struct berr *e);

/* Collects one file's packages into an artifact. */
struct npm_sink {
	struct artifact *a;
	const char *tool;     /* "npm", "yarn", "pnpm": prefix of warnings */
	const char *path;     /* the file, for found_in and warnings */
	char *found_in;       /* arena copy, made on the first package */
	char *rel_direct, *rel_indirect;
	struct strmap seen;   /* "name@version" -> index in a->pkgs + 1 */
	struct arena keys;    /* the map's keys */
	size_t added, warnings;
	bool full;            /* NPM_MAX_PACKAGES reached (warned once) */
};

enum npm_rel { NPM_REL_UNKNOWN, NPM_REL_DIRECT, NPM_REL_INDIRECT };

void npm_sink_init(struct npm_sink *s, struct artifact *a, const char *tool, const char *path);
/* Adds or merges name@version (version may be empty: a workspace without
 * one). Merging keeps the first license, dev only if both are dev, and
 * the closer relationship. Returns BOSUN_OK or BOSUN_ENOMEM; *idx (may be
 * NULL) is the package's index in a->pkgs, or (size_t)-1 when the sink
 * is full. */
int npm_sink_add(struct npm_sink *s, struct slice name, struct slice version, const char *license, bool dev,
		 enum npm_rel rel, size_t *idx);
void npm_sink_warn(struct npm_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports suppressed warnings and frees the sink (not the packages). */
void npm_sink_done(struct npm_sink *s);

/* String value of a JSON member as a slice; empty when absent or not a
 * string. */
struct slice npm_jslice(const json_t *obj, const char *key);

#endif
