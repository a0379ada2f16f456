/* Constraint strings -> OSV-style ranges.
 *
 * Language feeds state affected (or patched) versions as constraints in the
 * ecosystem's own syntax: npm ranges (`>=2.0.0 <2.1.0 || <1.4.1`), Cargo
 * requirements (`^0.9.5`, `>= 1.2, < 2`), RubyGems requirements
 * (`~> 5.2.4, >= 5.2.4.3`), Composer constraints (`>=1.0,<1.2.3`). The
 * database keeps what OSV keeps: introduced / fixed / last_affected events
 * evaluated with the ecosystem's version order (vulndb.h struct affect_range).
 *
 * This module turns a constraint into a set of versions, written as sorted,
 * disjoint intervals, combines sets (union, intersection, complement: RubySec
 * and RustSec list the *safe* versions, so affected = not patched and not
 * unaffected) and writes a set as ranges. Semantics per syntax, and the forms
 * that cannot be written exactly, are in docs/feeds-lang.md. In short:
 *
 * - An interval's lower bound becomes `introduced`, an exclusive upper bound
 *   `fixed`, an inclusive one `last_affected`: exact.
 * - An exclusive lower bound (`>X`, the complement of `<=X` or `=X`) has no
 *   OSV event. SemVer has an exact successor (1.2.3 -> 1.2.4-0, 1.0.0-rc ->
 *   1.0.0-rc.0), so npm and Cargo stay exact; RubyGems and Composer orders
 *   have none, so the range starts at X itself (a superset by one version)
 *   and the result is marked inexact.
 * - Everything is evaluated in the version order alone: the npm/Cargo rule
 *   that `<2.0.0` does not select `1.5.0-beta` is a resolver policy, not a
 *   statement about which versions are vulnerable (OSV, GHSA and RustSec's
 *   own OSV export read it the same way).
 *
 * Every operand is checked with the scheme's compare(), so an invalid version
 * is BOSUN_EFORMAT here rather than a range that never matches. All memory
 * comes from the caller's arena. Hostile input is bounded (CR_MAX_*). */
#ifndef BOSUN_VULNDB_CONSTRAINT_RANGES_H
#define BOSUN_VULNDB_CONSTRAINT_RANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"
#include "vulndb/vulndb.h"

/* Bounds on one constraint string and on any set built from them. Real
 * constraints are under 200 bytes with at most a dozen comparators. */
#define CR_MAX_TEXT 4096
#define CR_MAX_TERMS 128
#define CR_MAX_VERSION 256
#define CR_MAX_INTERVALS 1024

enum cr_syntax {
	CR_NPM,      /* node-semver ranges: `||`, blank = AND, `a - b`, x-ranges, ~, ^ */
	CR_CARGO,    /* Cargo VersionReq: `,` = AND, a bare version is a caret requirement */
	CR_GEM,      /* Gem::Requirement: `,` = AND, = != > < >= <= ~> */
	CR_COMPOSER, /* Composer: `||` = OR, `,` or blank = AND, = == != <> > < >= <= */
};

/* The scheme's compare (struct version_scheme): *cmp < 0, 0, > 0. */
typedef int (*cr_compare_fn)(const char *a, const char *b, int *cmp);

struct cr_ctx {
	enum cr_syntax syntax;
	/* The ecosystem's order. NULL is allowed (Composer, which has no scheme
	 * yet): then only sets that need no comparison of two different versions
	 * can be built, and emptiness is not checked; anything else is
	 * BOSUN_EUNSUPPORTED. */
	cr_compare_fn compare;
	struct arena *arena;
};

struct cr_bound {
	const char *v; /* NULL: unbounded */
	bool incl;
};

struct cr_interval {
	struct cr_bound lo, hi;
};

/* Sorted by lower bound, pairwise disjoint and not adjacent, none empty. */
struct cr_set {
	struct cr_interval *iv;
	size_t n;
};

/* The set of versions that satisfy text. */
int cr_parse(const struct cr_ctx *c, const char *text, struct cr_set *out, struct berr *e);
/* The union of the sets of several constraint strings (a list of alternatives,
 * as RubySec's and RustSec's patched/unaffected lists are). */
int cr_parse_any(const struct cr_ctx *c, const char *const *texts, size_t n, struct cr_set *out, struct berr *e);

int cr_union(const struct cr_ctx *c, const struct cr_set *a, const struct cr_set *b, struct cr_set *out,
	     struct berr *e);
int cr_intersect(const struct cr_ctx *c, const struct cr_set *a, const struct cr_set *b, struct cr_set *out,
		 struct berr *e);
int cr_complement(const struct cr_ctx *c, const struct cr_set *a, struct cr_set *out, struct berr *e);

/* Writes s as ranges (one per interval; `introduced` is "0" when unbounded
 * below). *exact is false when an exclusive lower bound had to be widened to
 * an inclusive one (see above). */
int cr_to_ranges(const struct cr_ctx *c, const struct cr_set *s, struct affect_range **out, size_t *n,
		 bool *exact, struct berr *e);

/* Human-readable ranges for notes, logs and tests:
 * "[0, 1.2.3) [2.0.0, 2.1.0] [3.0.0, *)". */
int cr_ranges_format(const struct affect_range *r, size_t n, struct buf *out);

#endif
