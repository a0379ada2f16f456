/* Version schemes, one per ecosystem, behind one interface and registered by
 * purl type in schemes.def (deb, rpm, apk, npm, pypi, maven, golang, gem,
 * cargo, nuget, ...). Every function takes untrusted strings from images or
 * advisories: invalid input is BOSUN_EFORMAT, never a crash. */
#ifndef BOSUN_VERSION_VERSION_H
#define BOSUN_VERSION_VERSION_H

#include <stdbool.h>

#include "util/err.h"

/* Flags for satisfies(), as the ecosystems' own tools define them. */
enum {
	VERSION_LOOSE = 1u << 0,              /* node-semver `loose` */
	VERSION_INCLUDE_PRERELEASE = 1u << 1, /* node-semver `includePrerelease`; PEP 440 prereleases=True */
};

struct version_scheme {
	const char *name; /* purl type */
	/* *cmp < 0, 0, > 0 as a < b, a == b, a > b; BOSUN_EFORMAT if either is invalid. */
	int (*compare)(const char *a, const char *b, int *cmp);
	bool (*valid)(const char *v);
	/* v against a constraint in the ecosystem's own syntax (npm ranges, PEP 440
	 * specifiers, gem requirements, Maven ranges, ...). NULL when the
	 * ecosystem has none; BOSUN_EFORMAT when either cannot be parsed. */
	int (*satisfies)(const char *v, const char *constraint, unsigned flags, bool *out);
};

/* Longest version string a scheme accepts (also each version inside a
 * constraint): anything longer is BOSUN_EFORMAT. Real versions are tens of
 * bytes; the bound keeps a hostile package database or advisory from making
 * each of millions of comparisons walk megabytes, and lets constraint
 * evaluators copy an operand to the stack instead of the heap. */
#define VERSION_MAX_LEN 1024

/* By purl type ("deb", "pypi", ...); also accepts common aliases
 * ("dpkg"/"debian", "python"/"pep440", "go"/"golang", "rubygems", "semver"). */
const struct version_scheme *version_scheme_find(const char *name);

/* NULL-terminated table of all schemes, from schemes.def. */
extern const struct version_scheme *const version_schemes[];

#endif
