/* Composer (Packagist) versions: src/version/composer.c against composer/semver's
 * own test vectors (VersionParserTest's normalize, constraint and failing cases,
 * SemverTest's satisfies/satisfiedBy, ComparatorTest's compare), transcribed,
 * plus the orders the matcher depends on (patch releases above the release,
 * four-part versions, stabilities). Expectations are Composer's. */
#include "testutil.h"

#include "version/lang.h"

static const struct version_scheme *S = &version_scheme_composer;

/* VersionParserTest::successfulNormalizedVersions (composer/semver 3.x). */
static const char *const NORMALIZED[][2] = {
	{ "1.0.0", "1.0.0.0" }, { "1.2.3.4", "1.2.3.4" },
	{ "1.0.0RC1dev", "1.0.0.0-RC1-dev" }, { "1.0.0-rC15-dev", "1.0.0.0-RC15-dev" },
	{ "1.0.0.RC.15-dev", "1.0.0.0-RC15-dev" }, { "1.0.0-rc1", "1.0.0.0-RC1" },
	{ "1.0.0.pl3-dev", "1.0.0.0-patch3-dev" }, { "1.0-dev", "1.0.0.0-dev" },
	{ "0", "0.0.0.0" }, { "10.4.13-beta", "10.4.13.0-beta" },
	{ "10.4.13beta2", "10.4.13.0-beta2" }, { "10.4.13beta.2", "10.4.13.0-beta2" },
	{ "v1.13.11-beta.0", "1.13.11.0-beta0" }, { "1.13.11.0-beta0", "1.13.11.0-beta0" },
	{ "10.4.13-b", "10.4.13.0-beta" }, { "10.4.13-b5", "10.4.13.0-beta5" },
	{ "v1.0.0", "1.0.0.0" }, { "2010.01", "2010.01.0.0" },
	{ "2010.01.02", "2010.01.02.0" }, { "2010.1.555", "2010.1.555.0" },
	{ "2010.10.200", "2010.10.200.0" }, { "20230131.0.0", "20230131.0.0" },
	{ "202301310000.0.0", "202301310000.0.0" }, { "v20100102", "20100102" },
	{ "20100102", "20100102" }, { "20100102.0", "20100102.0" },
	{ "20100102.1.0", "20100102.1.0" }, { "20100102.0.3", "20100102.0.3" },
	{ "2010-01-02-10-20-30.0.3", "2010.01.02.10.20.30.0.3" }, { "2010-01-02-10-20-30.5", "2010.01.02.10.20.30.5" },
	{ "2010-01-02", "2010.01.02" }, { "2012.06.07", "2012.06.07.0" },
	{ "2010-01-02.5", "2010.01.02.5" }, { "20100102-203040", "20100102.203040" },
	{ "20100102.x-dev", "20100102.9999999.9999999.9999999-dev" },
	{ "20100102.203040.x-dev", "20100102.203040.9999999.9999999-dev" },
	{ "20100102203040-10", "20100102203040.10" }, { "20100102-203040-p1", "20100102.203040-patch1" },
	{ "201903.0", "201903.0" }, { "201903.x-dev", "201903.9999999.9999999.9999999-dev" },
	{ "201903.0-p2", "201903.0-patch2" }, { "dev-master", "dev-master" },
	{ "master", "dev-master" }, { "dev-trunk", "dev-trunk" },
	{ "1.x-dev", "1.9999999.9999999.9999999-dev" }, { "dev-feature-foo", "dev-feature-foo" },
	{ "DEV-FOOBAR", "dev-FOOBAR" }, { "dev-feature/foo", "dev-feature/foo" },
	{ "dev-feature+issue-1", "dev-feature+issue-1" }, { "dev-master as 1.0.0", "dev-master" },
	{ "dev-load-varnish-only-when-used as ^2.0", "dev-load-varnish-only-when-used" },
	{ "dev-load-varnish-only-when-used@dev as ^2.0@dev", "dev-load-varnish-only-when-used" },
	{ "1.0.0+foo@dev", "1.0.0.0" }, { "dev-load-varnish-only-when-used@stable", "dev-load-varnish-only-when-used" },
	{ "1.0.0-beta.5+foo", "1.0.0.0-beta5" }, { "1.0.0+foo", "1.0.0.0" },
	{ "1.0.0-alpha.3.1+foo", "1.0.0.0-alpha3.1" }, { "1.0.0-alpha2.1+foo", "1.0.0.0-alpha2.1" },
	{ "1.0.0-alpha-2.1-3+foo", "1.0.0.0-alpha2.1-3" }, { "1.0.0+foo as 2.0", "1.0.0.0" },
	{ "00.01.03.04", "00.01.03.04" }, { "000.001.003.004", "000.001.003.004" },
	{ "0.000.103.204", "0.000.103.204" }, { "0700", "0700.0.0.0" },
	{ "041.x-dev", "041.9999999.9999999.9999999-dev" }, { "dev-041.003", "dev-041.003" },
	{ "dev-1.0.0-dev<1.0.5-dev", "dev-1.0.0-dev<1.0.5-dev" }, { "dev-foo bar", "dev-foo bar" },
	{ " 1.0.0", "1.0.0.0" }, { "1.0.0 ", "1.0.0.0" },
};

/* VersionParserTest::failingNormalizedVersions. */
static const char *const NOT_VERSIONS[] = {
	"", "a", "1.0.0-meh", "1.0.0.0.0", "feature-foo", "1.0.0+foo bar",
	"1.0.1-SNAPSHOT", "1.0.0<1.0.5-dev", "1.0.0-dev<1.0.5-dev", "foo bar-dev", "1.0 .2", " as ",
	" as 1.2", "^", "^8 || ^", "~", "~1 ~", "~1",
	"^1", "1.*", "20100102.0.3.4",
};

static void test_normalize(void **state)
{
	(void)state;
	char out[2048];
	for (size_t i = 0; i < sizeof NORMALIZED / sizeof NORMALIZED[0]; i++) {
		int rc = composer_normalize(NORMALIZED[i][0], out, sizeof out);
		if (rc != BOSUN_OK || strcmp(out, NORMALIZED[i][1]) != 0)
			fail_msg("normalize(\"%s\"): rc %d \"%s\", want \"%s\"", NORMALIZED[i][0], rc, rc ? "" : out,
				 NORMALIZED[i][1]);
	}
	for (size_t i = 0; i < sizeof NOT_VERSIONS / sizeof NOT_VERSIONS[0]; i++)
		if (composer_normalize(NOT_VERSIONS[i], out, sizeof out) == BOSUN_OK)
			fail_msg("normalize(\"%s\") accepted as \"%s\"", NOT_VERSIONS[i], out);
	assert_int_equal(composer_normalize("1.2.3", out, 4), BOSUN_ELIMIT);
	/* valid(): branches have no order */
	assert_true(S->valid("v1.2.3.4"));
	assert_true(S->valid("1.x-dev"));
	assert_false(S->valid("dev-master"));
	assert_false(S->valid("master"));
	assert_false(S->valid("1.0.0-meh"));
	char big[VERSION_MAX_LEN + 2];
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_false(S->valid(big));
}

static int cmp(const char *a, const char *b)
{
	int c = 0, r = 0;
	if (S->compare(a, b, &c) != BOSUN_OK || S->compare(b, a, &r) != BOSUN_OK)
		fail_msg("compare(%s, %s) refused", a, b);
	if ((c > 0) - (c < 0) != -((r > 0) - (r < 0)))
		fail_msg("compare(%s, %s) not antisymmetric", a, b);
	return (c > 0) - (c < 0);
}

/* Ascending, as Composer sorts (Semver::sort is normalize + version_compare). */
static const char *const ASCENDING[] = {
	"1.0.0-dev", "1.0.0-alpha", "1.0.0-alpha2", "1.0.0-beta", "1.0.0-beta2", "1.0.0-beta2.1", "1.0.0-beta3",
	"1.0.0-RC1", "1.0.0-rc2", "1.0.0", "1.0.0-p1", "1.0.0-patch2", "1.0.0-pl3", "1.0.0.1", "1.0.1",
	"1.0.2-beta", "1.1", "1.10", "2.0.0.0", "20230131.0.0",
};

static void test_compare(void **state)
{
	(void)state;
	size_t n = sizeof ASCENDING / sizeof ASCENDING[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int want = (i > j) - (i < j), got = cmp(ASCENDING[i], ASCENDING[j]);
			if (got != want)
				fail_msg("%s vs %s: %d, want %d", ASCENDING[i], ASCENDING[j], got, want);
		}
	/* equal after normalization: padding, "v", shorthand stabilities, build metadata */
	assert_int_equal(cmp("1.0", "1.0.0.0"), 0);
	assert_int_equal(cmp("v1.2.3", "1.2.3"), 0);
	assert_int_equal(cmp("V1.2.3", "1.2.3"), 0);
	assert_int_equal(cmp("1.0.0-b2", "1.0.0-beta2"), 0);
	assert_int_equal(cmp("1.0.0-pl1", "1.0.0-p1"), 0);
	assert_int_equal(cmp("1.0.0+build.5", "1.0.0"), 0);
	assert_int_equal(cmp("01.2", "1.2"), 0);
	/* ComparatorTest::compareProvider */
	assert_int_equal(cmp("1.25.0-beta2.1", "1.25.0-b.3"), -1);
	assert_int_equal(cmp("1.25.0-b2.1", "1.25.0beta.3"), -1);
	assert_int_equal(cmp("1.25.0-b-2.1", "1.25.0-rc"), -1);
	assert_int_equal(cmp("1.25.0-beta2.1", "1.25.0-b.2.1"), 0);
	assert_int_equal(cmp("1.25.0beta2.1", "1.25.0-b2.1"), 0);
	assert_int_equal(cmp("1.25.0", "1.24.0"), 1);
	assert_int_equal(cmp("1.0.0", "1.2-dev"), -1);
	/* digits compare exactly, past what PHP's strtol() holds */
	assert_int_equal(cmp("1.99999999999999999999", "1.99999999999999999998"), 1);
	/* the 1-5 digit major is classical, longer ones a date; both order by number */
	assert_int_equal(cmp("99999", "100000"), -1);
	int c;
	assert_int_equal(S->compare("dev-master", "1.0", &c), BOSUN_EFORMAT);
	assert_int_equal(S->compare("1.0", "not a version", &c), BOSUN_EFORMAT);
}

struct sat {
	const char *version, *constraint;
};

/* SemverTest::satisfiesProviderPositive and satisfiedByProvider's matches. */
static const struct sat SATISFIES[] = {
	{ "1.2.3", "1.0.0 - 2.0.0" }, { "1.2.3", "^1.2.3+build" }, { "1.3.0", "^1.2.3+build" },
	{ "2.4.3-alpha", "1.2.3+asdf - 2.4.3+asdf" }, { "1.3.0-beta", ">1.2" }, { "1.2.3-beta", "<=1.2.3" },
	{ "1.2.3-beta", "^1.2.3" }, { "1.2.3", "1.2.3+asdf - 2.4.3+asdf" }, { "1.0.0", "1.0.0" },
	{ "1.2.3", "*" }, { "v1.2.3", "*" }, { "1.0.0", ">=1.0.0" },
	{ "1.0.1", ">=1.0.0" }, { "1.1.0", ">=1.0.0" }, { "1.0.1", ">1.0.0" },
	{ "1.1.0", ">1.0.0" }, { "2.0.0", "<=2.0.0" }, { "1.9999.9999", "<=2.0.0" },
	{ "0.2.9", "<=2.0.0" }, { "1.9999.9999", "<2.0.0" }, { "0.2.9", "<2.0.0" },
	{ "1.0.0", ">= 1.0.0" }, { "1.0.1", ">=  1.0.0" }, { "1.1.0", ">=   1.0.0" },
	{ "1.0.1", "> 1.0.0" }, { "1.1.0", ">  1.0.0" }, { "2.0.0", "<=   2.0.0" },
	{ "1.9999.9999", "<= 2.0.0" }, { "0.2.9", "<=  2.0.0" }, { "1.9999.9999", "<    2.0.0" },
	{ "0.2.9", "<\t2.0.0" }, { "v0.1.97", ">=0.1.97" }, { "0.1.97", ">=0.1.97" },
	{ "1.2.4", "0.1.20 || 1.2.4" }, { "0.0.0", ">=0.2.3 || <0.0.1" }, { "0.2.3", ">=0.2.3 || <0.0.1" },
	{ "0.2.4", ">=0.2.3 || <0.0.1" }, { "2.1.3", "2.x.x" }, { "1.2.3", "1.2.x" },
	{ "2.1.3", "1.2.x || 2.x" }, { "1.2.3", "1.2.x || 2.x" }, { "1.2.3", "x" },
	{ "2.1.3", "2.*.*" }, { "1.2.3", "1.2.*" }, { "2.1.3", "1.2.* || 2.*" },
	{ "1.2.3", "1.2.* || 2.*" }, { "1.2.3", "*" }, { "2.9.0", "~2.4" },
	{ "2.4.5", "~2.4" }, { "1.2.3", "~1" }, { "1.4.7", "~1.0" },
	{ "1.0.0", ">=1" }, { "1.0.0", ">= 1" }, { "1.2.8", ">1.2" },
	{ "1.1.1", "<1.2" }, { "1.1.1", "< 1.2" }, { "1.2.3", "~1.2.1 >=1.2.3" },
	{ "1.2.3", "~1.2.1 =1.2.3" }, { "1.2.3", "~1.2.1 1.2.3" }, { "1.2.3", "~1.2.1 >=1.2.3 1.2.3" },
	{ "1.2.3", "~1.2.1 1.2.3 >=1.2.3" }, { "1.2.3", ">=1.2.1 1.2.3" }, { "1.2.3", "1.2.3 >=1.2.1" },
	{ "1.2.3", ">=1.2.3 >=1.2.1" }, { "1.2.3", ">=1.2.1 >=1.2.3" }, { "1.2.8", ">=1.2" },
	{ "1.8.1", "^1.2.3" }, { "0.1.2", "^0.1.2" }, { "0.1.2", "^0.1" },
	{ "1.4.2", "^1.2" }, { "1.4.2", "^1.2 ^1" }, { "0.0.1-beta", "^0.0.1-alpha" },
	{ "1.0", "~1.0" }, { "1.2", "~1.0" }, { "1.9999.9999", "~1.0" },
	{ "1.1", ">1.0 <3.0 || >=4.0" }, { "2.9999.9999", ">1.0 <3.0 || >=4.0" }, { "4.0", ">1.0 <3.0 || >=4.0" },
	{ "4.1", ">1.0 <3.0 || >=4.0" }, { "0.2.0", "^0.2.0" }, { "0.2.1", "^0.2.0" },
};

/* SemverTest::satisfiesProviderNegative and satisfiedByProvider's misses. */
static const struct sat NOT_SATISFIES[] = {
	{ "2.2.3", "1.0.0 - 2.0.0" }, { "2.0.0", "^1.2.3+build" }, { "1.2.0", "^1.2.3+build" },
	{ "1.0.0beta", "1" }, { "1.0.0beta", "<1" }, { "1.0.0beta", "< 1" },
	{ "1.0.1", "1.0.0" }, { "0.0.0", ">=1.0.0" }, { "0.0.1", ">=1.0.0" },
	{ "0.1.0", ">=1.0.0" }, { "0.0.1", ">1.0.0" }, { "0.1.0", ">1.0.0" },
	{ "3.0.0", "<=2.0.0" }, { "2.9999.9999", "<=2.0.0" }, { "2.2.9", "<=2.0.0" },
	{ "2.9999.9999", "<2.0.0" }, { "2.2.9", "<2.0.0" }, { "v0.1.93", ">=0.1.97" },
	{ "0.1.93", ">=0.1.97" }, { "1.2.3", "0.1.20 || 1.2.4" }, { "0.0.3", ">=0.2.3 || <0.0.1" },
	{ "0.2.2", ">=0.2.3 || <0.0.1" }, { "1.1.3", "2.x.x" }, { "3.1.3", "2.x.x" },
	{ "1.3.3", "1.2.x" }, { "3.1.3", "1.2.x || 2.x" }, { "1.1.3", "1.2.x || 2.x" },
	{ "1.1.3", "2.*.*" }, { "3.1.3", "2.*.*" }, { "1.3.3", "1.2.*" },
	{ "3.1.3", "1.2.* || 2.*" }, { "1.1.3", "1.2.* || 2.*" }, { "1.1.2", "2" },
	{ "2.4.1", "2.3" }, { "3.0.0", "~2.4" }, { "2.3.9", "~2.4" },
	{ "0.2.3", "~1" }, { "1.0.0", "<1" }, { "1.1.1", ">=1.2" },
	{ "2.0.0beta", "1" }, { "0.5.4-alpha", "~v0.5.4-beta" }, { "1.2.3-beta", "<1.2.3" },
	{ "2.0.0-alpha", "^1.2.3" }, { "1.2.2", "^1.2.3" }, { "1.1.9", "^1.2" },
	{ "2.0", "~1.0" }, { "2.1", "~1.0" }, { "0.9999.9999", "~1.0" },
	{ "1.0", ">1.0 <3.0 || >=4.0" }, { "3.0", ">1.0 <3.0 || >=4.0" }, { "3.1", ">1.0 <3.0 || >=4.0" },
	{ "3.9999.9999", ">1.0 <3.0 || >=4.0" }, { "0.1.1", "^0.2.0" }, { "0.1.9999", "^0.2.0" },
	{ "0.3.0", "^0.2.0" },
};

static bool satisfies(const char *v, const char *c)
{
	bool out = false;
	int rc = S->satisfies(v, c, 0, &out);
	if (rc != BOSUN_OK)
		fail_msg("satisfies(%s, %s): error %d", v, c, rc);
	return out;
}

static void test_semver_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof SATISFIES / sizeof SATISFIES[0]; i++)
		if (!satisfies(SATISFIES[i].version, SATISFIES[i].constraint))
			fail_msg("%s should satisfy %s", SATISFIES[i].version, SATISFIES[i].constraint);
	for (size_t i = 0; i < sizeof NOT_SATISFIES / sizeof NOT_SATISFIES[0]; i++)
		if (satisfies(NOT_SATISFIES[i].version, NOT_SATISFIES[i].constraint))
			fail_msg("%s should not satisfy %s", NOT_SATISFIES[i].version, NOT_SATISFIES[i].constraint);
}

/* VersionParserTest::failingConstraints, and the Ruby operator. */
static const char *const BAD_CONSTRAINTS[] = {
	"", "1.0.0-meh", ">2.0,,<=3.0", ">2.0 ,, <=3.0", ">2.0 ||| <=3.0",
	",^1@dev || ^4@dev", ",^1@dev", "|| ^1@dev", "^1@dev ||", "^1@dev ,",
	"^2.0.*", "^2.0.x", "^2.0.x-beta", "^2.*", "^2.x",
	"^2.x-beta", "^2.1.2.*", "^2.1.2.x", "^2.1.2.x-beta", "~2.0.*",
	"~2.0.x", "~2.0.x-beta", "~2.*", "~2.x", "~2.x-beta",
	"~2.1.2.*", "~2.1.2.x", "~2.1.2.x-beta", "1.x - 2.*", "2.x.x.x-dev - 3.x.x.x-dev",
	"^1.*-beta-dev", "^1. *-dev", "~1.*-beta-dev", "1.0.0-dev<1.0.5-dev", "*-dev",
	"^", "^8 || ^", "~", "~1 ~", "~>1.2",
	"1.0#abcd123",
};

static void test_bad_constraints(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof BAD_CONSTRAINTS / sizeof BAD_CONSTRAINTS[0]; i++) {
		bool out;
		if (S->satisfies("1.0.0", BAD_CONSTRAINTS[i], 0, &out) == BOSUN_OK)
			fail_msg("constraint \"%s\" accepted", BAD_CONSTRAINTS[i]);
	}
	bool out;
	assert_int_equal(S->satisfies("not a version", "*", 0, &out), BOSUN_EFORMAT);
	/* every term is parsed, even after the answer is known */
	assert_int_equal(S->satisfies("1.0.0", "1.0.0 || 1.0.0-meh", 0, &out), BOSUN_EFORMAT);
}

/* The parsed forms of VersionParserTest (simple, wildcard, tilde, caret, hyphen
 * and complex constraints), checked at their bounds: each row is the
 * constraint, a version just inside and one just outside. */
static const struct {
	const char *constraint, *in, *out;
} BOUNDS[] = {
	/* "<1.2.3" is "< 1.2.3.0-dev": 1.2.3's own pre-releases are out; ">=1.2.3" takes them */
	{ "<1.2.3", "1.2.2", "1.2.3-RC1" },
	{ ">=1.2.3", "1.2.3-dev", "1.2.2" },
	{ "<=1.2.3", "1.2.3", "1.2.3-p1" },
	{ ">1.0.0", "1.0.0-p1", "1.0.0" },
	{ "!=1.0.0", "1.0.0.1", "1.0" },
	{ "<>1.0.0", "1.0.1", "1.0.0.0" },
	{ "<1.2.3.4-stable", "1.2.3.4-RC1", "1.2.3.4" },
	{ ">=1.2.3.4-stable", "1.2.3.4", "1.2.3.4-RC1" },
	{ "2.0.*", "2.0.99", "2.1.0-dev" },
	{ "2.1.3.*", "2.1.3.9", "2.1.4-dev" },
	{ "0.x", "0.99", "1.0.0-dev" },
	{ "~1.2", "1.99.99", "2.0.0-dev" },
	{ "~1.2.3", "1.2.99", "1.3.0-dev" },
	{ "~1.2.3.4", "1.2.3.99", "1.2.4-dev" },
	{ "~1.2-beta", "1.2.0-beta", "1.2.0-alpha" },
	{ "~1.2.2-stable", "1.2.2", "1.2.2-RC1" },
	{ "~2.x-dev", "2.9999999.9999999.9999999-dev", "3.0.0-dev" },
	{ "~201903.0", "201903.99", "201904.0.0.0-dev" },
	{ "^0", "0.99.99", "1.0.0-dev" },
	{ "^0.0", "0.0.99", "0.1.0-dev" },
	{ "^0.2.3", "0.2.99", "0.3.0-dev" },
	{ "^0.0.3", "0.0.3.9", "0.0.4-dev" },
	{ "^1.2.3-beta.2", "1.2.3-beta2", "1.2.3-beta1" },
	{ "^2.0.x-dev", "2.99", "3.0.0-dev" },
	{ "^1.", "1.99", "2.0.0-dev" },
	{ "v1 - v2", "2.99.99", "3.0.0-dev" },
	{ "1.2.3 - 2.3.4.5", "2.3.4.5", "2.3.4.6" },
	{ "1.2-beta - 2.3", "1.2.0-beta", "2.4.0-dev" },
	{ "1 - 2.0", "2.0.99", "2.1.0-dev" },
	{ "1.2 - 2.1.0", "1.2.0-dev", "2.1.0-p1" },
	{ "2.1.0 - 2.3-dev", "2.3.0-dev", "2.3.0-alpha" },
	{ "1.2.", "1.2.0.0", "1.2.0.1" },
	{ "1.2..dev", "1.2.0-dev", "1.2.0" },
	{ "3.x-dev", "3.9999999.9999999.9999999-dev", "3.9999999" },
	{ "~2.5.9|~2.6,>=2.6.2", "2.6.2", "2.6.1" },
	{ "~0.1 || ~1.0 !=1.0.1", "1.0.2", "1.0.1" },
	{ ">2.0,<2.0.5 | >2.0.6", "2.0.7", "2.0.6" },
	{ "  > 2.0  ,  <=  3.0 ", "3.0.0", "2.0.0" },
	{ ">2.0@stable,<=3.0@dev", "3.0.0-dev", "3.0.0-p1" },
	{ "1.0@dev", "1.0.0", "1.0.0-dev" },
	{ ">=1.0@beta", "1.0.0-beta", "1.0.0-alpha" },
	{ "1.0.0 as 2.0.0", "1.0.0", "2.0.0" },
	{ "1.0.x-dev#abcd123", "1.0.9999999.9999999-dev", "1.0.0" },
	/* branches: only "==" and "!=" of themselves, and "*" */
	{ "dev-master", "dev-master", "dev-main" },
	{ "foobar-dev", "dev-foobar", "1.0" },
	{ "!=dev-master", "dev-main", "dev-master" },
	{ "*", "dev-anything", NULL },
	{ "v*", "0.0.0", "dev-master" },
	{ ">=1.0", "1.0", "dev-master" },
};

static void test_constraint_bounds(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof BOUNDS / sizeof BOUNDS[0]; i++) {
		if (!satisfies(BOUNDS[i].in, BOUNDS[i].constraint))
			fail_msg("%s should satisfy %s", BOUNDS[i].in, BOUNDS[i].constraint);
		if (BOUNDS[i].out && satisfies(BOUNDS[i].out, BOUNDS[i].constraint))
			fail_msg("%s should not satisfy %s", BOUNDS[i].out, BOUNDS[i].constraint);
	}
	/* The scheme is found by its purl type and by the ecosystem's names. */
	assert_ptr_equal(version_scheme_find("composer"), S);
	assert_ptr_equal(version_scheme_find("packagist"), S);
	assert_ptr_equal(version_scheme_find("php"), S);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),	cmocka_unit_test(test_compare),
		cmocka_unit_test(test_semver_vectors),	cmocka_unit_test(test_bad_constraints),
		cmocka_unit_test(test_constraint_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
