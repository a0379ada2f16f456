/* SemVer 2.0 (semver.org) core, shared by the npm and cargo schemes.
 *
 * A parsed version holds numbers and slices into the caller's string, so
 * parsing and comparing never allocate: these run once per package and
 * advisory range during matching. The dialect flags select the small
 * differences between node-semver (strict and loose) and the Rust `semver`
 * crate that cargo uses. */
#ifndef BOSUN_VERSION_SEMVER_H
#define BOSUN_VERSION_SEMVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* node-semver's MAX_LENGTH; bosun uses it for cargo too (no real version is
 * longer, and it bounds the work an advisory string can cause). */
#define SEMVER_MAX_LEN 256
/* node-semver's MAX_SAFE_INTEGER (2^53 - 1): larger components are invalid. */
#define SEMVER_NPM_MAX_NUM 9007199254740991ULL

enum {
	/* node-semver loose: leading zeros in numbers, "1.2.3beta" (no hyphen). */
	SEMVER_LOOSE = 1u << 0,
	/* Cap major/minor/patch at 2^53 - 1 (npm) instead of 2^64 - 1 (cargo). */
	SEMVER_NPM_CAP = 1u << 1,
};

struct semver {
	uint64_t major, minor, patch;
	struct slice pre;   /* dot-separated identifiers, without the '-' */
	struct slice build; /* without the '+' */
};

/* Parses exactly p[0..n) as MAJOR.MINOR.PATCH[-PRE][+BUILD]. No prefix, no
 * whitespace: callers strip what their dialect allows. BOSUN_EFORMAT if the
 * text is not a version in that dialect. */
int semver_parse(const char *p, size_t n, unsigned flags, struct semver *out);

/* Precedence per SemVer 2.0 section 11: major, minor, patch, then prerelease
 * (a version without one is greater; identifiers left to right, numeric ones
 * by value and below alphanumeric ones, alphanumeric ones in ASCII order,
 * a longer list greater when all else is equal). Build metadata is ignored. */
int semver_cmp(const struct semver *a, const struct semver *b);
int semver_cmp_main(const struct semver *a, const struct semver *b);
int semver_cmp_pre(struct slice a, struct slice b);

/* The Rust semver crate's order on build metadata, which it uses to break
 * ties so that Ord agrees with Eq: identifiers left to right, numeric ones
 * by value then by length (0 < 00 < 1 < 01), numeric below alphanumeric. */
int semver_cmp_build(struct slice a, struct slice b);

/* Number from decimal digits p[0..n), leading zeros allowed; false on
 * overflow past max. */
bool semver_parse_num(const char *p, size_t n, uint64_t max, uint64_t *out);

#endif
