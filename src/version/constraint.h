/* A constraint evaluator that works over any scheme's compare().
 *
 * The syntax is the one grype's *-constraint tables use. OSV range events
 * also reduce to it ("introduced 1.0, fixed 1.4" is ">= 1.0, < 1.4"):
 *
 *   constraint := blank | group ("||" group)*
 *   group      := term ("," term)*
 *   term       := [op] version         blanks allowed around op and version
 *   op         := "<" | "<=" | ">" | ">=" | "=" | "==" | "!="
 *                 "<<" | ">>"          with CONSTRAINT_DEB_OPS (Debian's strict forms)
 *                 "~" | "<~" | ">~"    with a compare_fuzzy (apk's prefix match)
 *
 * "," (AND) binds tighter than "||" (OR). A bare version means "=". A version
 * in a constraint may not contain blanks or any of "<>=!|". A
 * constraint that is entirely blank holds for every valid version, as it does
 * in grype. Every term is compared even when the answer is already known, so
 * an unparsable operand anywhere is BOSUN_EFORMAT whatever the version. */
#ifndef BOSUN_VERSION_CONSTRAINT_H
#define BOSUN_VERSION_CONSTRAINT_H

#include <stdbool.h>

enum constraint_op {
	CONSTRAINT_LT,
	CONSTRAINT_LE,
	CONSTRAINT_GT,
	CONSTRAINT_GE,
	CONSTRAINT_EQ,
	CONSTRAINT_NE,
	CONSTRAINT_FUZZY_EQ, /* apk "~"  */
	CONSTRAINT_FUZZY_LE, /* apk "<~" */
	CONSTRAINT_FUZZY_GE, /* apk ">~" */
};

enum {
	CONSTRAINT_DEB_OPS = 1u << 0, /* accept "<<" and ">>" as "<" and ">" */
};

struct constraint_scheme {
	/* The scheme's compare (as in struct version_scheme). */
	int (*compare)(const char *a, const char *b, int *cmp);
	/* Like compare, but a counts as equal to b when b's components are a
	 * prefix of a's (apk's fuzzy match). NULL: the "~" operators are errors. */
	int (*compare_fuzzy)(const char *a, const char *b, int *cmp);
	unsigned flags; /* CONSTRAINT_* */
};

/* Whether cmp, the sign of compare(version, operand), satisfies op. */
bool constraint_op_holds(enum constraint_op op, int cmp);

/* *out = whether version satisfies constraint. BOSUN_EFORMAT when the
 * constraint's syntax is bad or compare() rejects the version or an operand
 * (the version is checked even when the constraint is blank). */
int constraint_satisfies(const struct constraint_scheme *s, const char *version, const char *constraint,
			 bool *out);

#endif
