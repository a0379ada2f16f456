/* constraint_ranges: constraint strings of the four language feeds as OSV
 * ranges. Expectations are worked out by hand from each syntax's rules
 * (node-semver's Range#range desugaring, RustSec's OSV conversion,
 * Gem::Requirement, Composer) and written as "[introduced, fixed)" or
 * "[introduced, last_affected]"; "*" is no upper bound, "0" no lower bound. */
#include "testutil.h"

#include "util/buf.h"
#include "version/version.h"
#include "vulndb/constraint_ranges.h"

static cr_compare_fn scheme(const char *name)
{
	const struct version_scheme *s = version_scheme_find(name);
	if (!s)
		fail_msg("no version scheme %s", name);
	return s->compare;
}

static struct cr_ctx ctx_for(enum cr_syntax syn, struct arena *a)
{
	static const char *const names[] = { [CR_NPM] = "npm", [CR_CARGO] = "cargo", [CR_GEM] = "gem" };
	return (struct cr_ctx){ syn, syn == CR_COMPOSER ? NULL : scheme(names[syn]), a };
}

/* Formats a set as ranges; "" for the empty set. */
static char *fmt_set(const struct cr_ctx *c, const struct cr_set *s, bool *exact)
{
	struct affect_range *r;
	size_t n;
	struct berr e = { 0 };
	bool ex;
	if (cr_to_ranges(c, s, &r, &n, &ex, &e) != BOSUN_OK)
		fail_msg("cr_to_ranges: %s", e.msg);
	if (exact)
		*exact = ex;
	struct buf b = { 0 };
	assert_int_equal(cr_ranges_format(r, n, &b), BOSUN_OK);
	char *out = strdup(b.data ? b.data : "");
	buf_free(&b);
	return out;
}

/* One constraint: its ranges and whether they are exact. */
static void check(enum cr_syntax syn, const char *text, const char *want, bool want_exact)
{
	struct arena a = { 0 };
	struct cr_ctx c = ctx_for(syn, &a);
	struct cr_set s;
	struct berr e = { 0 };
	if (cr_parse(&c, text, &s, &e) != BOSUN_OK)
		fail_msg("\"%s\": %s", text, e.msg);
	bool exact;
	char *got = fmt_set(&c, &s, &exact);
	if (strcmp(got, want) != 0 || exact != want_exact)
		fail_msg("\"%s\": want %s%s, got %s%s", text, want, want_exact ? "" : " (inexact)", got,
			 exact ? "" : " (inexact)");
	free(got);
	arena_free(&a);
}

/* The complement of the union of safe constraints (RubySec, RustSec). */
static void check_outside(enum cr_syntax syn, const char *const *safe, size_t n, const char *want, bool want_exact)
{
	struct arena a = { 0 };
	struct cr_ctx c = ctx_for(syn, &a);
	struct cr_set s, aff;
	struct berr e = { 0 };
	if (cr_parse_any(&c, safe, n, &s, &e) != BOSUN_OK || cr_complement(&c, &s, &aff, &e) != BOSUN_OK)
		fail_msg("%s: %s", safe[0], e.msg);
	bool exact;
	char *got = fmt_set(&c, &aff, &exact);
	if (strcmp(got, want) != 0 || exact != want_exact)
		fail_msg("outside of \"%s\"...: want %s%s, got %s%s", safe[0], want, want_exact ? "" : " (inexact)", got,
			 exact ? "" : " (inexact)");
	free(got);
	arena_free(&a);
}

static void check_error(enum cr_syntax syn, const char *text, int code, const char *msg_part)
{
	struct arena a = { 0 };
	struct cr_ctx c = ctx_for(syn, &a);
	struct cr_set s;
	struct berr e = { 0 };
	int rc = cr_parse(&c, text, &s, &e);
	if (rc != code)
		fail_msg("\"%s\": want error %d, got %d (%s)", text, code, rc, e.msg);
	if (msg_part && !strstr(e.msg, msg_part))
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", text, e.msg, msg_part);
	arena_free(&a);
}

/* ---- npm ---------------------------------------------------------------- */

static void test_npm_simple(void **state)
{
	(void)state;
	/* Shapes from nodejs-security-wg npm/NNN.json vulnerable_versions. */
	check(CR_NPM, "<=1.5.1", "[0, 1.5.1]", true);                 /* npm/1.json */
	check(CR_NPM, "<= 2.4.23", "[0, 2.4.23]", true);
	check(CR_NPM, "<3.23.6", "[0, 3.23.6)", true);
	check(CR_NPM, "<  2.0.5", "[0, 2.0.5)", true);
	check(CR_NPM, ">=1.7.1 <=1.8.3", "[1.7.1, 1.8.3]", true);
	check(CR_NPM, ">= 0.0.10 <= 0.0.14", "[0.0.10, 0.0.14]", true);
	check(CR_NPM, "2.3.21", "[2.3.21, 2.3.21]", true);
	check(CR_NPM, "=3.0.0-rc.1", "[3.0.0-rc.1, 3.0.0-rc.1]", true);
	check(CR_NPM, "<=v2.0.0-alpha7", "[0, 2.0.0-alpha7]", true);
	check(CR_NPM, "*", "[0, *)", true);
	check(CR_NPM, "", "[0, *)", true); /* node-semver: "" is "*" */
	check(CR_NPM, ">=2.0.0", "[2.0.0, *)", true);
}

static void test_npm_unions(void **state)
{
	(void)state;
	check(CR_NPM, "<1.4.1 || >=2.0.0 <2.17.2", "[0, 1.4.1) [2.0.0, 2.17.2)", true);
	check(CR_NPM, ">=3.5.5 <=3.8.38 || >=4.0.0 <=4.3.5", "[3.5.5, 3.8.38] [4.0.0, 4.3.5]", true);
	/* Overlapping alternatives collapse to the widest. */
	check(CR_NPM, "<2.0.18 || <3.0.16 || <3.1.6 || <4.0.8 || <5.0.0-beta.5", "[0, 5.0.0-beta.5)", true);
	check(CR_NPM, "<2.0.1 || <1.1.7", "[0, 2.0.1)", true);
	check(CR_NPM, "2.1.0-M1 || 2.1.0-M2", "[2.1.0-M1, 2.1.0-M1] [2.1.0-M2, 2.1.0-M2]", true);
	check(CR_NPM, ">=3.0.0 <=3.9.1 || =3.10.2", "[3.0.0, 3.9.1] [3.10.2, 3.10.2]", true);
	check(CR_NPM, "<=0.9.4 || 1.0.0", "[0, 0.9.4] [1.0.0, 1.0.0]", true);
	check(CR_NPM, "< 3.1.3  || >= 4.0.0 <4.1.1", "[0, 3.1.3) [4.0.0, 4.1.1)", true);
	/* Adjacent pieces join: [1, 2) and [2, 3] are [1, 3]. */
	check(CR_NPM, ">=1.0.0 <2.0.0 || >=2.0.0 <=3.0.0", "[1.0.0, 3.0.0]", true);
	/* ... but <2.0.0 and >2.0.0 leave 2.0.0 out. */
	check(CR_NPM, "<2.0.0 || >2.0.0", "[0, 2.0.0) [2.0.1-0, *)", true);
	check(CR_NPM, ">= 5.2.1 <= 6.0.0 || >=6.0.0 <= 6.0.2", "[5.2.1, 6.0.2]", true);
}

static void test_npm_exclusive_lower(void **state)
{
	(void)state;
	/* >X starts at X's SemVer successor: exact. */
	check(CR_NPM, ">=2.2.6 <2.47.0 || >2.51.0 <=2.67.0", "[2.2.6, 2.47.0) [2.51.1-0, 2.67.0]", true);
	check(CR_NPM, "<1.6.6 || < 2.2.4 > 2.0.0", "[0, 1.6.6) [2.0.1-0, 2.2.4)", true);
	check(CR_NPM, "<3.4.6 || > 4.0.0 <4.0.5", "[0, 3.4.6) [4.0.1-0, 4.0.5)", true);
	check(CR_NPM, ">1.0.0-rc.1 <1.0.0", "[1.0.0-rc.1.0, 1.0.0)", true);
}

static void test_npm_sugar(void **state)
{
	(void)state;
	/* x-ranges and partial versions as node-semver desugars them. */
	check(CR_NPM, ">= 2.2.x", "[2.2.0, *)", true);
	check(CR_NPM, "2.0.x || 2.1.x", "[2.0.0, 2.1.0-0) [2.1.0, 2.2.0-0)", true);
	check(CR_NPM, "<3.11 || >= 4 <4.5", "[0, 3.11.0-0) [4.0.0, 4.5.0-0)", true);
	check(CR_NPM, ">1.2", "[1.3.0, *)", true);
	check(CR_NPM, ">1", "[2.0.0, *)", true);
	check(CR_NPM, "<=1.2", "[0, 1.3.0-0)", true);
	check(CR_NPM, "<1", "[0, 1.0.0-0)", true);
	check(CR_NPM, "1.2", "[1.2.0, 1.3.0-0)", true);
	check(CR_NPM, "1.x.x", "[1.0.0, 2.0.0-0)", true);
	check(CR_NPM, ">*", "", true);
	check(CR_NPM, "<x", "", true);
	/* Tilde and caret. */
	check(CR_NPM, "~0.8.0-pre", "[0.8.0-pre, 0.9.0-0)", true);
	check(CR_NPM, "~1.2.3", "[1.2.3, 1.3.0-0)", true);
	check(CR_NPM, "~>1.2.3", "[1.2.3, 1.3.0-0)", true);
	check(CR_NPM, "~1", "[1.0.0, 2.0.0-0)", true);
	check(CR_NPM, "^1.2.3", "[1.2.3, 2.0.0-0)", true);
	check(CR_NPM, "^0.2.3", "[0.2.3, 0.3.0-0)", true);
	check(CR_NPM, "^0.0.3", "[0.0.3, 0.0.4-0)", true);
	/* node-semver turns the >=0.0.0 these start with into "any version". */
	check(CR_NPM, "^0.0", "[0, 0.1.0-0)", true);
	check(CR_NPM, "^0", "[0, 1.0.0-0)", true);
	check(CR_NPM, ">=0.0.0 <1.0.0", "[0, 1.0.0)", true);
	check(CR_NPM, "0.0.0", "[0.0.0, 0.0.0]", true);
	check(CR_NPM, "^1.x", "[1.0.0, 2.0.0-0)", true);
	check(CR_NPM, "^1.2.3-beta.2", "[1.2.3-beta.2, 2.0.0-0)", true);
	/* Hyphen ranges. */
	check(CR_NPM, "1.2.3 - 2.3.4", "[1.2.3, 2.3.4]", true);
	check(CR_NPM, "1.2 - 2.3", "[1.2.0, 2.4.0-0)", true);
	check(CR_NPM, "1.2.3 - 2", "[1.2.3, 3.0.0-0)", true);
	/* Core's "8.x || 7.x" with its own patched list (core/1.json). */
	check(CR_NPM, "8.x || 7.x || 4.x || 6.x || 5.x", "[4.0.0, 5.0.0-0) [5.0.0, 6.0.0-0) [6.0.0, 7.0.0-0) "
							 "[7.0.0, 8.0.0-0) [8.0.0, 9.0.0-0)", true);
	/* Empty intersections vanish. */
	check(CR_NPM, ">=2.0.0 <1.0.0", "", true);
	check(CR_NPM, ">=2.0.0 <1.0.0 || 3.0.0", "[3.0.0, 3.0.0]", true);
}

static void test_npm_errors(void **state)
{
	(void)state;
	check_error(CR_NPM, "1.2.3.4", BOSUN_EFORMAT, "too many version parts");
	check_error(CR_NPM, ">=", BOSUN_EFORMAT, "operator without a version");
	check_error(CR_NPM, "a.b.c", BOSUN_EFORMAT, "bad version");
	check_error(CR_NPM, "01.2.3", BOSUN_EFORMAT, "bad version");
	check_error(CR_NPM, "1.2.3 |", BOSUN_EFORMAT, "single");
	check_error(CR_NPM, ">= 1.0.0, < 2.0.0", BOSUN_EFORMAT, ",");
	check_error(CR_NPM, "1.2.3-", BOSUN_EFORMAT, "pre-release");
	check_error(CR_NPM, "1.2-beta", BOSUN_EFORMAT, "partial");
	check_error(CR_NPM, "=> 1.0.0", BOSUN_EFORMAT, "unknown operator");
	check_error(CR_NPM, "!=1.0.0", BOSUN_EFORMAT, "unknown operator");
	check_error(CR_NPM, "1.2.3 ; rm", BOSUN_EFORMAT, "unexpected character");
	check_error(CR_NPM, "1.2.3\n", BOSUN_EFORMAT, "control character");
	check_error(CR_NPM, "99999999999999999.0.0", BOSUN_EFORMAT, "bad version"); /* > 2^53 - 1 */
	check_error(CR_NPM, "1.2.3 - ", BOSUN_EFORMAT, NULL);
}

/* ---- Cargo (RustSec) ------------------------------------------------------ */

static void test_cargo(void **state)
{
	(void)state;
	check(CR_CARGO, ">= 1.2.3", "[1.2.3, *)", true);
	check(CR_CARGO, ">=0.23.0-alpha.3", "[0.23.0-alpha.3, *)", true);
	check(CR_CARGO, "^0.9.5", "[0.9.5, 0.10.0-0)", true);
	check(CR_CARGO, "^ 0.24.3", "[0.24.3, 0.25.0-0)", true);
	check(CR_CARGO, "0.13.10", "[0.13.10, 0.14.0-0)", true); /* bare = caret */
	check(CR_CARGO, "^1.2", "[1.2.0, 2.0.0-0)", true);
	check(CR_CARGO, "^0.0.3", "[0.0.3, 0.0.4-0)", true);
	check(CR_CARGO, "^0", "[0.0.0, 1.0.0-0)", true);
	check(CR_CARGO, "~1.2", "[1.2.0, 1.3.0-0)", true);
	check(CR_CARGO, "~1", "[1.0.0, 2.0.0-0)", true);
	check(CR_CARGO, ">= 0.5.2, < 1.0.0", "[0.5.2, 1.0.0)", true);
	check(CR_CARGO, "< 0.8.0, >= 0.7.1", "[0.7.1, 0.8.0)", true);
	check(CR_CARGO, ">=0.15.0,<0.20.0", "[0.15.0, 0.20.0)", true);
	check(CR_CARGO, "=0.2.6", "[0.2.6, 0.2.6]", true);
	check(CR_CARGO, "= 0.4.10", "[0.4.10, 0.4.10]", true);
	check(CR_CARGO, "<= 0.23.0", "[0, 0.23.0]", true);
	check(CR_CARGO, "> 0.6.1", "[0.6.2-0, *)", true);
	/* Partial versions: missing parts are 0, as RustSec converts them. */
	check(CR_CARGO, ">= 0.23, < 0.23.13", "[0.23.0, 0.23.13)", true);
	check(CR_CARGO, "> 0", "[0.0.1-0, *)", true);
	check(CR_CARGO, "*", "[0, *)", true);
	check(CR_CARGO, ">= 0.0.8 ", "[0.0.8, *)", true);
}

static void test_cargo_errors(void **state)
{
	(void)state;
	check_error(CR_CARGO, "1.*", BOSUN_EFORMAT, "wildcard");
	check_error(CR_CARGO, "1.x", BOSUN_EFORMAT, "wildcard");
	check_error(CR_CARGO, ">=1.0.0 <2.0.0", BOSUN_EFORMAT, "expected \",\"");
	check_error(CR_CARGO, ">=1.0.0,", BOSUN_EFORMAT, "trailing");
	check_error(CR_CARGO, "v1.0.0", BOSUN_EFORMAT, "bad version");
	check_error(CR_CARGO, "1.0.0 || 2.0.0", BOSUN_EFORMAT, "\"|\" not allowed");
	check_error(CR_CARGO, "", BOSUN_EFORMAT, "empty");
	check_error(CR_CARGO, "~>1.0", BOSUN_EFORMAT, "unknown operator");
	check_error(CR_CARGO, ">*", BOSUN_EFORMAT, "operator before *");
}

/* RustSec advisories: affected = neither patched nor unaffected. Each
 * expectation equals rustsec/osv's ranges for the same advisory. */
static void test_cargo_outside(void **state)
{
	(void)state;
	/* crates/cookie/RUSTSEC-2017-0005.md: patched = ["< 0.6.0", "^0.6.2", ">= 0.7.6"];
	 * osv: introduced 0.6.0 fixed 0.6.2, introduced 0.7.0-0 fixed 0.7.6. */
	const char *cookie[] = { "< 0.6.0", "^0.6.2", ">= 0.7.6" };
	check_outside(CR_CARGO, cookie, 3, "[0.6.0, 0.6.2) [0.7.0-0, 0.7.6)", true);
	/* crates/hyper/RUSTSEC-2021-0020.md: patched [">= 0.14.3", "0.13.10", "0.12.36"], unaffected ["< 0.12.0"]. */
	const char *hyper[] = { ">= 0.14.3", "0.13.10", "0.12.36", "< 0.12.0" };
	check_outside(CR_CARGO, hyper, 4, "[0.12.0, 0.12.36) [0.13.0-0, 0.13.10) [0.14.0-0, 0.14.3)", true);
	/* crates/time/RUSTSEC-2020-0071.md: patched [">= 0.2.23"], unaffected "=0.2.0" .. "=0.2.6". */
	const char *time[] = { ">= 0.2.23", "=0.2.0", "=0.2.1", "=0.2.2", "=0.2.3", "=0.2.4", "=0.2.5", "=0.2.6" };
	check_outside(CR_CARGO, time, 8,
		      "[0, 0.2.0) [0.2.1-0, 0.2.1) [0.2.2-0, 0.2.2) [0.2.3-0, 0.2.3) [0.2.4-0, 0.2.4) "
		      "[0.2.5-0, 0.2.5) [0.2.6-0, 0.2.6) [0.2.7-0, 0.2.23)",
		      true);
	/* crates/trust-dns-proto/RUSTSEC-2025-0017.md: patched [], unaffected ["<= 0.23.0"]. */
	const char *tdp[] = { "<= 0.23.0" };
	check_outside(CR_CARGO, tdp, 1, "[0.23.1-0, *)", true);
	/* No patched, no unaffected: every version. */
	check_outside(CR_CARGO, NULL, 0, "[0, *)", true);
	/* crates/rustls/RUSTSEC-2024-0399.md: osv adds an empty [0.23.0, 0.23.0); we drop it. */
	const char *rustls[] = { ">= 0.23.18", ">= 0.23, < 0.23.13", "< 0.23" };
	check_outside(CR_CARGO, rustls, 3, "[0.23.13, 0.23.18)", true);
}

/* ---- RubyGems (RubySec) -------------------------------------------------- */

static void test_gem(void **state)
{
	(void)state;
	check(CR_GEM, ">= 6.0.3.1", "[6.0.3.1, *)", true);
	check(CR_GEM, "= 2.2.10", "[2.2.10, 2.2.10]", true);
	check(CR_GEM, "2.2.10", "[2.2.10, 2.2.10]", true);
	/* ~> X is >= X and release < bump(X); X.A is the lowest version whose
	 * release is bump(X) (5.2.4 -> 5.3 -> 5.3.A). */
	check(CR_GEM, "~> 5.2.4, >= 5.2.4.3", "[5.2.4.3, 5.3.A)", true);
	check(CR_GEM, "~> 1.8.7.371", "[1.8.7.371, 1.8.8.A)", true);
	check(CR_GEM, "~> 2", "[2, 3.A)", true);
	check(CR_GEM, "~> 3.2.0-rc", "[3.2.0-rc, 3.3.A)", true);
	check(CR_GEM, "~> 1.8.5-p2", "[1.8.5-p2, 1.9.A)", true);
	check(CR_GEM, "~> 1.9.9", "[1.9.9, 1.10.A)", true);
	check(CR_GEM, "~> 9.9", "[9.9, 10.A)", true);
	check(CR_GEM, "~> 1.0a", "[1.0a, 2.A)", true);
	check(CR_GEM, ">= 3.25.0, < 4.0.0", "[3.25.0, 4.0.0)", true);
	check(CR_GEM, "<= 4.0.13", "[0, 4.0.13]", true);
	/* No successor in the RubyGems order: > X keeps X (inexact). */
	check(CR_GEM, "> 2.6.0-preview1", "[2.6.0-preview1, *)", false);
	check(CR_GEM, "!= 1.0", "[0, 1.0) [1.0, *)", false);
}

static void test_gem_outside(void **state)
{
	(void)state;
	/* gems/actionpack/CVE-2008-7248.yml: unaffected "< 2.1.0"; patched
	 * "~> 2.1.3", ">= 2.2.2". Safe: <2.1.0, [2.1.3, 2.2.A), >=2.2.2. */
	const char *ap[] = { "< 2.1.0", "~> 2.1.3", ">= 2.2.2" };
	check_outside(CR_GEM, ap, 3, "[2.1.0, 2.1.3) [2.2.A, 2.2.2)", true);
	/* gems/activesupport/CVE-2023-22796.yml: patched "~> 5.2.8, >= 5.2.8.15",
	 * "~> 6.1.7, >= 6.1.7.1", ">= 7.0.4.1". */
	const char *as[] = { "~> 5.2.8, >= 5.2.8.15", "~> 6.1.7, >= 6.1.7.1", ">= 7.0.4.1" };
	check_outside(CR_GEM, as, 3, "[0, 5.2.8.15) [5.3.A, 6.1.7.1) [6.2.A, 7.0.4.1)", true);
	/* unaffected "<= 4.0.13": the complement starts after 4.0.13, which the
	 * RubyGems order cannot name: 4.0.13 itself is included (inexact). */
	const char *le[] = { "<= 4.0.13", ">= 4.2.5.1" };
	check_outside(CR_GEM, le, 2, "[4.0.13, 4.2.5.1)", false);
	/* patched "= 2.2.10" (gems/bundler): everything else. */
	const char *eq[] = { "= 2.2.10", ">= 2.2.16" };
	check_outside(CR_GEM, eq, 2, "[0, 2.2.10) [2.2.10, 2.2.16)", false);
	/* A patched "> X" leaves X itself affected: last_affected, exact. */
	const char *gt[] = { "> 2.6.0-preview1" };
	check_outside(CR_GEM, gt, 1, "[0, 2.6.0-preview1]", true);
}

static void test_gem_errors(void **state)
{
	(void)state;
	check_error(CR_GEM, ">= 1.0 < 2.0", BOSUN_EFORMAT, "expected \",\"");
	check_error(CR_GEM, "^1.0", BOSUN_EFORMAT, "unknown operator");
	check_error(CR_GEM, "~ 1.0", BOSUN_EFORMAT, "unknown operator");
	check_error(CR_GEM, ">= a1.0", BOSUN_EFORMAT, "bad version");
	check_error(CR_GEM, ">= 1..0", BOSUN_EFORMAT, "bad version");
	check_error(CR_GEM, "", BOSUN_EFORMAT, "empty");
}

/* ---- Composer (FriendsOfPHP) --------------------------------------------- */

static void test_composer(void **state)
{
	(void)state;
	check(CR_COMPOSER, ">=2.0.0,<2.0.6", "[2.0.0, 2.0.6)", true);
	check(CR_COMPOSER, ">=2.3, <2.3.2-p2", "[2.3.0, 2.3.2-p2)", true);
	check(CR_COMPOSER, ">=1,<1.0.5", "[1.0.0, 1.0.5)", true);
	check(CR_COMPOSER, ">=v1.2-beta1,<5.3.12.2", "[1.2.0-beta1, 5.3.12.2)", true);
	check(CR_COMPOSER, ">=5.5.0 <=5.5.49", "[5.5.0, 5.5.49]", true);
	check(CR_COMPOSER, "<10.0.4", "[0, 10.0.4)", true);
	check(CR_COMPOSER, ">=3.0.0-beta1,<3.4.4", "[3.0.0-beta1, 3.4.4)", true);
	check(CR_COMPOSER, ">8.7.3,<8.7.5", "[8.7.3, 8.7.5)", false);
	check_error(CR_COMPOSER, "~1.2", BOSUN_EFORMAT, "unknown operator");
	check_error(CR_COMPOSER, "^1.2", BOSUN_EFORMAT, "unknown operator");
	check_error(CR_COMPOSER, "1.0.*", BOSUN_EFORMAT, "Composer version");
	check_error(CR_COMPOSER, "dev-master", BOSUN_EFORMAT, "Composer version");
	/* Two lower bounds need an order that Composer does not have here. */
	check_error(CR_COMPOSER, ">=1.0,>=1.1", BOSUN_EUNSUPPORTED, "no version scheme");
}

/* ---- set algebra and limits ---------------------------------------------- */

static void test_algebra(void **state)
{
	(void)state;
	struct arena a = { 0 };
	struct cr_ctx c = ctx_for(CR_NPM, &a);
	struct berr e = { 0 };
	struct cr_set v, p, np, aff, all, none;
	/* npm advisory: vulnerable minus patched (npm/NNN.json with overlapping "<" lists). */
	assert_int_equal(cr_parse(&c, "<2.0.18 || <3.0.16 || <4.0.8", &v, &e), BOSUN_OK);
	assert_int_equal(cr_parse(&c, "^2.0.18 || ^3.0.16 || ^4.0.8", &p, &e), BOSUN_OK);
	assert_int_equal(cr_complement(&c, &p, &np, &e), BOSUN_OK);
	assert_int_equal(cr_intersect(&c, &v, &np, &aff, &e), BOSUN_OK);
	char *s = fmt_set(&c, &aff, NULL);
	assert_string_equal(s, "[0, 2.0.18) [3.0.0-0, 3.0.16) [4.0.0-0, 4.0.8)");
	free(s);
	/* Complement twice is the identity; complement of everything is nothing. */
	assert_int_equal(cr_complement(&c, &np, &np, &e), BOSUN_OK);
	s = fmt_set(&c, &np, NULL);
	assert_string_equal(s, "[2.0.18, 3.0.0-0) [3.0.16, 4.0.0-0) [4.0.8, 5.0.0-0)");
	free(s);
	assert_int_equal(cr_parse(&c, "*", &all, &e), BOSUN_OK);
	assert_int_equal(cr_complement(&c, &all, &none, &e), BOSUN_OK);
	assert_int_equal(none.n, 0);
	assert_int_equal(cr_complement(&c, &none, &all, &e), BOSUN_OK);
	s = fmt_set(&c, &all, NULL);
	assert_string_equal(s, "[0, *)");
	free(s);
	arena_free(&a);
}

static void test_limits(void **state)
{
	(void)state;
	/* A long list of alternatives: over CR_MAX_TERMS is refused. */
	struct buf b = { 0 };
	for (int i = 0; i < CR_MAX_TERMS + 1; i++)
		assert_int_equal(buf_printf(&b, "%s%d.0.0", i ? " || " : "", i), BOSUN_OK);
	check_error(CR_NPM, b.data, BOSUN_ELIMIT, "comparators");
	buf_reset(&b);
	for (int i = 0; i < CR_MAX_TEXT + 1; i++)
		assert_int_equal(buf_append(&b, "1", 1), BOSUN_OK);
	check_error(CR_NPM, b.data, BOSUN_ELIMIT, "longer");
	buf_reset(&b);
	assert_int_equal(buf_append_str(&b, ">="), BOSUN_OK);
	for (int i = 0; i < CR_MAX_VERSION + 1; i++)
		assert_int_equal(buf_append(&b, i % 2 ? "." : "1", 1), BOSUN_OK);
	check_error(CR_GEM, b.data, BOSUN_ELIMIT, "version longer");
	buf_free(&b);
	/* A gem segment of many nines still bumps exactly (big-number increment). */
	check(CR_GEM, "~> 1.99999999999999999999999.1", "[1.99999999999999999999999.1, 1.100000000000000000000000.A)", true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_npm_simple),     cmocka_unit_test(test_npm_unions),
		cmocka_unit_test(test_npm_exclusive_lower), cmocka_unit_test(test_npm_sugar),
		cmocka_unit_test(test_npm_errors),     cmocka_unit_test(test_cargo),
		cmocka_unit_test(test_cargo_errors),   cmocka_unit_test(test_cargo_outside),
		cmocka_unit_test(test_gem),            cmocka_unit_test(test_gem_outside),
		cmocka_unit_test(test_gem_errors),     cmocka_unit_test(test_composer),
		cmocka_unit_test(test_algebra),        cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
