/* The language-ecosystem version schemes (npm, PyPI, Maven, RubyGems, Cargo,
 * NuGet, grype's JVM order) against every row of the shared vector tables
 * ($BOSUN_SHARED/testdata/versions), plus the cases those tables miss.
 *
 * Comparison rows are checked both ways round (a op b and b op' a). Range
 * rows expecting false also accept BOSUN_EFORMAT: the upstream tools answer
 * false for input they cannot parse (node-semver's "not a version").
 *
 * grype's *-constraint tables use grype's syntax (',' AND, '||' OR), so they
 * are evaluated with the scheme's compare() through src/version/constraint.h.
 * Where grype's answer differs from the upstream tool's ordering, the row is
 * listed in DEVIATIONS with the upstream answer, which is what is asserted
 * (docs/version-schemes.md has the same list with the reasons). */
#include "testutil.h"
#include "tsv.h"

#include "version/constraint.h"
#include "version/lang.h"

/* ---- deviations from grype ---- */

struct deviation {
	const char *file, *a, *b;
	const char *upstream; /* "true", "false", "error", or "<", "=", ">" */
};

static const struct deviation DEVIATIONS[] = {
	/* semantic: bosun orders these with node-semver (SemVer 2.0). grype's
	 * lenient parser pads partial versions ("2.0" = 2.0.0) and reads
	 * "1.0.0.alpha" and "1.20rc1" as prereleases; node-semver rejects all
	 * of those strings, even in loose mode. */
	{ "grype-semantic-constraint.tsv", "2.3.1", "> 2.0", "error" },
	{ "grype-semantic-constraint.tsv", "2.3.1", "> 2, < 3", "error" },
	{ "grype-semantic-constraint.tsv", "2.3.1", "> 2.3, < 3.1", "error" },
	{ "grype-semantic-constraint.tsv", "2.3.1", "> 2.3.0, < 3.1", "error" },
	{ "grype-semantic-constraint.tsv", "2.3.1", ">= 2.3.1, < 3.1", "error" },
	{ "grype-semantic-constraint.tsv", "2.3.1", "< 2.0", "error" },
	{ "grype-semantic-constraint.tsv", "2.3.1", "< 2, > 3", "error" },
	{ "grype-semantic-constraint.tsv", "2.3.1+meta", "> 2", "error" },
	{ "grype-semantic-constraint.tsv", "2.3.1+meta", "> 2, < 3", "error" },
	{ "grype-semantic-constraint.tsv", "2.3.1+meta", "> 2.3, < 3.1", "error" },
	{ "grype-semantic-constraint.tsv", "2.3.1+meta", "< 2.0", "error" },
	{ "grype-semantic-constraint.tsv", "1.20rc1", " = 1.20.0-rc1", "error" },
	{ "grype-semantic-constraint.tsv", "1.21rc2", " = 1.21", "error" },
	{ "grype-semantic-constraint.tsv", "1.21rc2", " = 1.21.0-rc2", "error" },
	{ "grype-semantic-constraint.tsv", "1.21rc2", " = 1.21.0rc2", "error" },
	{ "grype-semantic-constraint.tsv", "1.2.0-beta", ">1.0, <2.0", "error" },
	{ "grype-semantic-constraint.tsv", "1.2.0-beta", "<2.0", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.alpha", "< 1.0.0", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.alpha", "> 1.0.0-alpha", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.alpha", "= 1.0.0-alpha", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.alpha1", "= 1.0.0-alpha1", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.beta", "< 1.0.0", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.beta", "> 1.0.0-alpha", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.beta", "= 1.0.0-beta", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.beta.2", "= 1.0.0-beta.2", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.beta", "< 1.0.0-rc", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.alpha1", "< 1.0.0-alpha2", "error" },
	{ "grype-semantic-constraint.tsv", "1.0.0.beta", "> 1.0.0-alpha, < 1.0.0", "error" },
	{ "grype-semantic-constraint.tsv", "2.1.0.rc1", "> 2.0.0, < 2.1.0", "error" },
	/* pep440: packaging's Version order puts 6.4+cgr.1 above 6.4.0 (a local
	 * label sorts after none); grype ignores the label here. */
	{ "grype-pep440-constraint.tsv", "6.4+cgr.1", "<=6.4.0", "false" },
	/* maven: ComparableVersion sorts an unknown qualifier after the
	 * release: 12.10.2 < 12.10.2.jre11; grype's port calls them equal. */
	{ "grype-maven.tsv", "12.10.2", "12.10.2.jre11", "<" },
	{ "grype-maven.tsv", "12.10.2.jre11", "12.10.2", ">" },
	/* gem: Gem::Version reads "-x86-linux" as a prerelease tail (".pre.");
	 * a platform is not part of a RubyGems version, and grype strips it.
	 * "x86_64" has an underscore, which no Gem::Version may contain. */
	{ "grype-gem-constraint.tsv", "1.2.0-x86-linux", "= 1.2.0", "false" },
	{ "grype-gem-constraint.tsv", "1.19.3-aarch64-linux-musl", "= 1.19.3", "false" },
	{ "grype-gem-constraint.tsv", "1.19.3-aarch64-linux-musl", "< 1.19.3", "true" },
	{ "grype-gem-constraint.tsv", "0.6.0-x86_64-darwin-10", "> 0.1.0, < 0.5.0 || > 1.0.0, < 2.0.0", "error" },
};

static const struct deviation *find_deviation(const char *file, const char *a, const char *b)
{
	for (size_t i = 0; i < sizeof DEVIATIONS / sizeof DEVIATIONS[0]; i++)
		if (!strcmp(DEVIATIONS[i].file, file) && !strcmp(DEVIATIONS[i].a, a) && !strcmp(DEVIATIONS[i].b, b))
			return &DEVIATIONS[i];
	return NULL;
}

/* ---- table runners ---- */

struct tally {
	unsigned rows, failed;
};

static void report(const char *file, const struct tally *t)
{
	printf("    %-34s %4u/%u\n", file, t->rows - t->failed, t->rows);
}

static int sign(int x) { return (x > 0) - (x < 0); }

/* Does cmp (sign of compare(a, b)) satisfy the table's op? */
static bool op_holds(const char *op, int cmp)
{
	if (!strcmp(op, "<"))
		return cmp < 0;
	if (!strcmp(op, ">"))
		return cmp > 0;
	if (!strcmp(op, "="))
		return cmp == 0;
	if (!strcmp(op, ">="))
		return cmp >= 0;
	if (!strcmp(op, "<="))
		return cmp <= 0;
	if (!strcmp(op, "!="))
		return cmp != 0;
	fail_msg("unknown op %s", op);
	return false;
}

typedef int (*compare_fn)(const char *a, const char *b, int *cmp);

static void run_compare(const char *file, compare_fn cmp_fn)
{
	struct tsv t;
	struct tally tl = { 0 };
	tsv_open(&t, file);
	while (tsv_next(&t)) {
		const char *a = tsv_field(&t, 0), *op = tsv_field(&t, 1), *b = tsv_field(&t, 2);
		const struct deviation *d = find_deviation(file, a, b);
		if (d && !strcmp(d->upstream, op))
			fail_msg("%s:%u: listed as a deviation but grype agrees", file, t.line);
		if (d)
			op = d->upstream;
		int c1 = 0, c2 = 0;
		int r1 = cmp_fn(a, b, &c1), r2 = cmp_fn(b, a, &c2);
		bool ok = r1 == BOSUN_OK && r2 == BOSUN_OK && op_holds(op, sign(c1)) && sign(c2) == -sign(c1);
		tl.rows++;
		if (!ok) {
			tl.failed++;
			print_message("%s:%u: [%s] %s [%s]: got %d/%d (rc %d/%d)\n", file, t.line, a, op, b, c1, c2, r1, r2);
		}
	}
	tsv_close(&t);
	report(file, &tl);
	assert_int_equal(tl.failed, 0);
}

static unsigned flags_of(const char *f)
{
	unsigned fl = 0;
	if (strstr(f, "loose"))
		fl |= VERSION_LOOSE;
	if (strstr(f, "includePrerelease") || strstr(f, "prereleases"))
		fl |= VERSION_INCLUDE_PRERELEASE;
	return fl;
}

static void run_satisfies(const char *file, const struct version_scheme *s)
{
	struct tsv t;
	struct tally tl = { 0 };
	tsv_open(&t, file);
	while (tsv_next(&t)) {
		const char *v = tsv_field(&t, 0), *c = tsv_field(&t, 1), *want = tsv_field(&t, 2);
		bool out = false;
		int rc = s->satisfies(v, c, flags_of(tsv_field(&t, 3)), &out);
		bool ok = !strcmp(want, "true") ? rc == BOSUN_OK && out : rc == BOSUN_EFORMAT || (rc == BOSUN_OK && !out);
		tl.rows++;
		if (!ok) {
			tl.failed++;
			print_message("%s:%u: [%s] in [%s] want %s, got rc %d out %d\n", file, t.line, v, c, want, rc, out);
		}
	}
	tsv_close(&t);
	report(file, &tl);
	assert_int_equal(tl.failed, 0);
}

/* grype wraps some operands in quotes ("'4.5.1' || '4.5.2'") and drops
 * them; they are not part of any version syntax. */
static void drop_quotes(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	for (; *in && n + 1 < cap; in++)
		if (*in != '\'')
			out[n++] = *in;
	out[n] = 0;
}

static void run_grype_constraint(const char *file, compare_fn cmp_fn)
{
	struct constraint_scheme cs = { .compare = cmp_fn };
	struct tsv t;
	struct tally tl = { 0 };
	tsv_open(&t, file);
	while (tsv_next(&t)) {
		const char *v = tsv_field(&t, 0), *c = tsv_field(&t, 1), *want = tsv_field(&t, 2);
		const struct deviation *d = find_deviation(file, v, c);
		if (d && !strcmp(d->upstream, want))
			fail_msg("%s:%u: listed as a deviation but grype agrees", file, t.line);
		if (d)
			want = d->upstream;
		char cbuf[512];
		drop_quotes(c, cbuf, sizeof cbuf);
		bool out = false;
		int rc = constraint_satisfies(&cs, v, cbuf, &out);
		bool ok = !strcmp(want, "error") ? rc == BOSUN_EFORMAT
						  : rc == BOSUN_OK && out == !strcmp(want, "true");
		tl.rows++;
		if (!ok) {
			tl.failed++;
			print_message("%s:%u: [%s] in [%s] want %s, got rc %d out %d\n", file, t.line, v, c, want, rc, out);
		}
	}
	tsv_close(&t);
	report(file, &tl);
	assert_int_equal(tl.failed, 0);
}

static bool pypi_valid(const char *v) { return version_scheme_pypi.valid(v); }

static void run_valid(const char *file, bool (*valid)(const char *))
{
	struct tsv t;
	struct tally tl = { 0 };
	tsv_open(&t, file);
	while (tsv_next(&t)) {
		const char *v = tsv_field(&t, 0);
		bool want = !strcmp(tsv_field(&t, 1), "true");
		tl.rows++;
		if (valid(v) != want) {
			tl.failed++;
			print_message("%s:%u: valid(%s) want %d\n", file, t.line, v, want);
		}
	}
	tsv_close(&t);
	report(file, &tl);
	assert_int_equal(tl.failed, 0);
}

/* ---- npm ---- */

/* semver.tsv: with its flags through npm_compare, and every row through the
 * scheme's compare (loose, a superset of strict with the same order). */
static void test_semver_table(void **state)
{
	(void)state;
	struct tsv t;
	struct tally tl = { 0 };
	tsv_open(&t, "semver.tsv");
	while (tsv_next(&t)) {
		const char *a = tsv_field(&t, 0), *op = tsv_field(&t, 1), *b = tsv_field(&t, 2);
		unsigned fl = flags_of(tsv_field(&t, 3));
		int c1 = 0, c2 = 0, c3 = 0;
		int r1 = npm_compare(a, b, fl, &c1), r2 = npm_compare(b, a, fl, &c2);
		int r3 = version_scheme_npm.compare(a, b, &c3);
		bool ok = !r1 && !r2 && !r3 && op_holds(op, sign(c1)) && sign(c2) == -sign(c1) && sign(c3) == sign(c1);
		tl.rows++;
		if (!ok) {
			tl.failed++;
			print_message("semver.tsv:%u: %s %s %s\n", t.line, a, op, b);
		}
	}
	tsv_close(&t);
	report("semver.tsv", &tl);
	assert_int_equal(tl.failed, 0);
}

static void test_npm_range_table(void **state)
{
	(void)state;
	run_satisfies("npm-range.tsv", &version_scheme_npm);
}

static void test_grype_semantic(void **state)
{
	(void)state;
	run_grype_constraint("grype-semantic-constraint.tsv", version_scheme_npm.compare);
}

struct sat_case {
	const char *v, *range;
	unsigned flags;
	int want; /* 1 true, 0 false, -1 BOSUN_EFORMAT */
};

static void check_cases(const struct version_scheme *s, const struct sat_case *cs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool out = false;
		int rc = s->satisfies(cs[i].v, cs[i].range, cs[i].flags, &out);
		int got = rc == BOSUN_EFORMAT ? -1 : rc == BOSUN_OK ? out : -2;
		if (got != cs[i].want)
			fail_msg("%s: [%s] in [%s] flags %u: want %d got %d", s->name, cs[i].v, cs[i].range, cs[i].flags,
				 cs[i].want, got);
	}
}

#define CHECK(s, cases) check_cases(&(s), cases, sizeof cases / sizeof cases[0])

/* Answers checked against node-semver 7 (satisfies(), with `new Range()`
 * throwing counted as -1): corners of its regex pipeline. */
static void test_npm_ranges(void **state)
{
	(void)state;
	const unsigned L = VERSION_LOOSE, P = VERSION_INCLUDE_PRERELEASE;
	static const struct sat_case cases[] = {
		{ "1.2.3", "||", 0, 1 },
		{ "1.3.4", "  ||  ", 0, 1 },
		{ "1.2.3-beta", "* || 1.2.3-beta", 0, 0 }, /* a lone "*" set swallows the others */
		{ "1.2.3-beta", "1.2.3-beta || >2", 0, 1 },
		{ "1.2.3", "~>1.2.1", 0, 1 },
		{ "1.3.0", "~> 1.2", 0, 0 },
		{ "1.2.3", "~", 0, -1 },
		{ "1.2.3", "foo", 0, -1 },
		{ "1.2.3", "foo", L, -1 },          /* nothing left after the loose filter */
		{ "1.2.3", "foo 1.2.3", L, 1 },
		{ "1.2.3", "x.1", 0, -1 },          /* invalid x-range order */
		{ "1.2.3", "1.x.3", 0, -1 },
		{ "1.2.3", ">1.x", 0, 0 },
		{ "2.0.0", ">1.x", 0, 1 },
		{ "0.0.1", ">x", 0, 0 },            /* ">x" allows nothing */
		{ "0.0.0", "<0.0.0-0", P, 0 },
		{ "1.0.0", ">=0.0.0", 0, 1 },
		{ "1.2.34", "1.2.34.5", L, 0 },     /* 1.2.3 with prerelease "4.5" */
		{ "1.2.3-4.5", "1.2.34.5", L, 1 },
		{ "1.2.3", "1.2.3 - 1.2.4 +build", 0, 1 },
		{ "1.2.3", "=1.2.3", 0, 1 },
		{ "1.2.3", "==1.2.3", 0, -1 },
		{ "1.2.3", "==1.2.3", L, 1 },
		{ "1.2.3", "v1.2.3 - v2", 0, 1 },
		{ "1.2.3", "^01.2.3", 0, -1 },
		{ "1.2.3", "^01.2.3", L, 1 },
		{ "1.2.3", ">= 1.2.3 <\t2", 0, 1 },
		{ "v1.2.3", "1.2.3", 0, 1 },
		{ " 1.2.3 ", "1.2.3", 0, 1 },
		{ "=1.2.3", "1.2.3", 0, -1 },
		{ "=1.2.3", "1.2.3", L, 1 },
		{ "1.2.3", "<1.2.4-0 >1.2.2", P, 1 },
		{ "9007199254740991.0.0", ">=9007199254740991", 0, 1 },
		{ "9007199254740992.0.0", "*", 0, -1 },
		{ "1.2.3", "^9007199254740991", 0, -1 }, /* the bound overflows */
	};
	CHECK(version_scheme_npm, cases);
}

static void test_npm_compare(void **state)
{
	(void)state;
	int c = 0;
	assert_int_equal(npm_compare("1.2.3", "1.2.3+b", 0, &c), BOSUN_OK);
	assert_int_equal(c, 0); /* build metadata does not order */
	assert_int_equal(npm_compare("1.2.3beta", "1.2.3", 0, &c), BOSUN_EFORMAT);
	assert_int_equal(npm_compare("1.2.3beta", "1.2.3", VERSION_LOOSE, &c), BOSUN_OK);
	assert_true(c < 0);
	assert_int_equal(npm_compare("1.2.3-01", "1.2.3-1", VERSION_LOOSE, &c), BOSUN_OK);
	assert_int_equal(c, 0);
	assert_int_equal(npm_compare("1.2.3-a.10", "1.2.3-a.9", 0, &c), BOSUN_OK);
	assert_true(c > 0);
	assert_false(npm_valid("1.2", VERSION_LOOSE));
	assert_true(npm_valid("v1.2.3", 0));
	char longv[300];
	memset(longv, '1', sizeof longv);
	memcpy(longv, "1.2.", 4);
	longv[sizeof longv - 1] = 0;
	assert_false(npm_valid(longv, VERSION_LOOSE));
}

/* ---- PyPI ---- */

static void test_pep440_tables(void **state)
{
	(void)state;
	run_compare("pep440.tsv", version_scheme_pypi.compare);
	run_valid("pep440-valid.tsv", pypi_valid);
	run_satisfies("pep440-specifier.tsv", &version_scheme_pypi);
	run_grype_constraint("grype-pep440-constraint.tsv", version_scheme_pypi.compare);
}

/* Checked against packaging 26's range semantics. */
static void test_pep440_specifiers(void **state)
{
	(void)state;
	static const struct sat_case cases[] = {
		{ "1.4.5", "~=1.4.2", 0, 1 },
		{ "1.5", "~=1.4.2", 0, 0 },
		{ "1.9", "~=1.4", 0, 1 },
		{ "2.0", "~=1.4", 0, 0 },
		{ "1.4", "~=1", 0, -1 },            /* ~= needs two release components */
		{ "1.0", ">=1.0,<2.0", 0, 1 },
		{ "2.0rc1", ">=1.0,<2.0", 0, 0 },   /* <V excludes V's pre-releases */
		{ "1.5", " >= 1.0 , , < 2.0 ", 0, 1 },
		{ "1.0+local", "<=1.0", 0, 1 },
		{ "1.0.post1", ">1.0", 0, 0 },
		{ "1.1", ">1.0", 0, 1 },
		{ "1.0a2", ">1.0a1", 0, 1 },
		{ "1.0", "==1.0.*", 0, 1 },
		{ "1.0.0.0.1", "==1.0.*", 0, 1 },
		{ "1.1", "!=1.0.*", 0, 1 },
		{ "foobar", "===foobar", 0, 1 },
		{ "FooBar", "===foobar", 0, 1 },
		{ "foobar", ">=1", 0, -1 },
		{ "1.0", ">=1.0+local", 0, -1 },    /* no local with ordered ops */
		{ "1.0", "==1.0a1.*", 0, -1 },
		{ "1.0", "", 0, 1 },
		{ "1.0", "1.0", 0, -1 },            /* no operator */
		{ "1.0", ">=1.0;", 0, -1 },
	};
	CHECK(version_scheme_pypi, cases);
}

/* ---- Maven ---- */

static void test_maven_tables(void **state)
{
	(void)state;
	run_compare("maven.tsv", version_scheme_maven.compare);
	run_compare("grype-maven.tsv", version_scheme_maven.compare);
	run_grype_constraint("grype-maven-constraint.tsv", version_scheme_maven.compare);
}

static void test_maven_ranges(void **state)
{
	(void)state;
	static const struct sat_case cases[] = {
		{ "1.5", "[1.0,2.0)", 0, 1 },
		{ "2.0", "[1.0,2.0)", 0, 0 },
		{ "2.0-SNAPSHOT", "[1.0,2.0)", 0, 1 }, /* a qualifier sorts before 2.0 */
		{ "1.0", "(1.0,2.0]", 0, 0 },
		{ "0.1", "(,1.0]", 0, 1 },
		{ "1.0.0", "[1.0]", 0, 1 },
		{ "1.0.1", "[1.0]", 0, 0 },
		{ "3.5", "[1,2),[3,4)", 0, 1 },
		{ "2.5", "[1,2),[3,4)", 0, 0 },
		{ "2.5", "[1,2) , [3,4)", 0, 0 },
		{ "5", "[1,2),[3,)", 0, 1 },
		{ "1.0", "1.0", 0, 1 },               /* bare version: exact, for bosun */
		{ "1.1", "1.0", 0, 0 },
		{ "1.0", "[1.0", 0, -1 },             /* unbounded range */
		{ "1.0", "(1.0)", 0, -1 },            /* single version needs [] */
		{ "1.0", "[2.0,1.0]", 0, -1 },        /* empty interval */
		{ "1.0", "[1,3),[2,4)", 0, -1 },      /* overlap */
		{ "1.0", "[1,2),1.5", 0, -1 },        /* mixed */
		{ "1.0", "", 0, 0 },                  /* no restriction matches nothing */
		{ "1.0", "[ 1.0 , 2.0 ]", 0, 1 },
	};
	CHECK(version_scheme_maven, cases);
	int c = 0;
	char longv[300];
	memset(longv, 'a', sizeof longv);
	longv[sizeof longv - 1] = 0;
	assert_int_equal(version_scheme_maven.compare(longv, "1", &c), BOSUN_EFORMAT);
	/* "a-٨" is "a" + digit 8 to Java (Character.isDigit), so equals "a-8" */
	assert_int_equal(version_scheme_maven.compare("a-\xd9\xa8", "a-8", &c), BOSUN_OK);
	assert_int_equal(c, 0);
	/* ...and Integer.parseInt rejects "٨x1", which ComparableVersion throws on */
	assert_int_equal(version_scheme_maven.compare("1-\xd9\xa8x1", "1", &c), BOSUN_EFORMAT);
}

/* ---- RubyGems ---- */

static void test_gem_tables(void **state)
{
	(void)state;
	run_compare("gem.tsv", version_scheme_gem.compare);
	run_satisfies("gem-requirement.tsv", &version_scheme_gem);
	run_compare("grype-gem.tsv", version_scheme_gem.compare);
	run_grype_constraint("grype-gem-constraint.tsv", version_scheme_gem.compare);
}

/* Checked against RubyGems 3.3 (Gem::Requirement#satisfied_by?). */
static void test_gem_requirements(void **state)
{
	(void)state;
	static const struct sat_case cases[] = {
		{ "1.0-1", "< 1.0", 0, 1 },        /* "-" reads ".pre." */
		{ "2.0.0", "~> 1.9.9.a", 0, 0 },
		{ "1.9.99", "~> 1.9.9.a", 0, 1 },
		{ "1.5", "~>1", 0, 1 },
		{ "2", "~>1", 0, 0 },
		{ "1.0", "", 0, -1 },
		{ "1.0", ">= 1.0,", 0, -1 },
		{ "1.0", "=> 1.0", 0, -1 },
		{ "1.0", ">=1.0a", 0, 1 },
		{ "1.0a", ">=1.0", 0, 0 },
		{ "1.0", ">=1.0-", 0, -1 },
		{ "1..0", ">= 0", 0, -1 },
	};
	CHECK(version_scheme_gem, cases);
}

/* ---- JVM ---- */

static void test_jvm_tables(void **state)
{
	(void)state;
	run_compare("grype-jvm.tsv", version_scheme_jvm.compare);
	run_grype_constraint("grype-jvm-constraint.tsv", version_scheme_jvm.compare);
	assert_null(version_scheme_jvm.satisfies);
}

/* ---- Cargo ---- */

/* Per the semver crate's own tests (tests/test_version_req.rs). */
static void test_cargo(void **state)
{
	(void)state;
	const unsigned P = VERSION_INCLUDE_PRERELEASE;
	static const struct sat_case cases[] = {
		{ "1.0.0", "1.0.0", 0, 1 },        /* caret by default */
		{ "1.0.1", "1.0.0", 0, 1 },
		{ "2.0.0", "1.0.0", 0, 0 },
		{ "0.1.5", "^0.1.2", 0, 1 },
		{ "0.2.0", "^0.1.2", 0, 0 },
		{ "0.0.2", "^0.0.1", 0, 0 },
		{ "0.0.1", "^0.0", 0, 1 },
		{ "0.1.0", "^0.0", 0, 0 },
		{ "1.2.5", "~1.2.3", 0, 1 },
		{ "1.3.0", "~1.2.3", 0, 0 },
		{ "1.9.0", "~1", 0, 1 },
		{ "1.2.3", "=1.2", 0, 1 },
		{ "1.3.0", "=1.2", 0, 0 },
		{ "1.2.0", ">1.1", 0, 1 },
		{ "1.1.9", ">1.1", 0, 0 },
		{ "1.9.9", "<2", 0, 1 },
		{ "2.0.0", "<=2", 0, 1 },
		{ "2.5.0", "<=2", 0, 1 },
		{ "3.0.0", "<=2", 0, 0 },
		{ "1.5.0", ">= 1.2, < 1.8", 0, 1 },
		{ "1.5.0", ">= 1.2 < 1.8", 0, -1 },  /* comparators need commas */
		{ "1.5.0", "1.*", 0, 1 },
		{ "1.5.0", "1.X", 0, 1 },
		{ "1.5.0", "1.2.*", 0, 0 },
		{ "1.2.9", "1.2.x", 0, 1 },
		{ "1.5.0", "*", 0, 1 },
		{ "1.5.0-pre", "*", 0, 0 },
		{ "1.5.0", "*, >1", 0, -1 },
		{ "1.5.0", "1.*.1", 0, -1 },
		{ "1.2.3-alpha.2", ">=1.2.3-alpha.1", 0, 1 },
		{ "1.2.4-alpha", ">=1.2.3-alpha.1", 0, 0 },  /* other tuple's prerelease */
		{ "1.2.4-alpha", ">=1.2.3-alpha.1", P, 1 },
		{ "1.0.0", "01.0.0", 0, -1 },
		{ "1.0.0", "~>1.0", 0, -1 },
		{ "1.0.0", "", 0, -1 },
		{ "1.0.0", "1.0.0+build", 0, 1 },
		{ "v1.0.0", "*", 0, -1 },
	};
	CHECK(version_scheme_cargo, cases);
	int c = 0;
	assert_int_equal(version_scheme_cargo.compare("1.0.0+a", "1.0.0+b", &c), BOSUN_OK);
	assert_true(c < 0); /* the crate's Ord breaks ties on build metadata */
	assert_int_equal(version_scheme_cargo.compare("1.0.0", "1.0.0+0", &c), BOSUN_OK);
	assert_true(c < 0);
	assert_int_equal(version_scheme_cargo.compare("1.0.0+1", "1.0.0+01", &c), BOSUN_OK);
	assert_true(c < 0);
	assert_int_equal(version_scheme_cargo.compare("1.0.0-alpha.1", "1.0.0-alpha.beta", &c), BOSUN_OK);
	assert_true(c < 0);
	assert_int_equal(version_scheme_cargo.compare("1.0.0-01", "1.0.0", &c), BOSUN_EFORMAT);
	assert_false(version_scheme_cargo.valid("1.0"));
}

/* ---- NuGet ---- */

static void test_nuget(void **state)
{
	(void)state;
	static const struct { const char *a, *op, *b; } cmps[] = {
		{ "1.0", "=", "1.0.0.0" },
		{ "1.01", "=", "1.1" },
		{ "1.0.0-ALPHA", "=", "1.0.0-alpha" },
		{ "1.0.0-alpha+b", "=", "1.0.0-alpha+c" },
		{ "1.0.0-2", "<", "1.0.0-10" },
		{ "1.0.0-2", "<", "1.0.0-a" },
		{ "1.0.0-a", "<", "1.0.0-a.1" },
		{ "1.0.0-a", "<", "1.0.0" },
		{ "1.0.0", "<", "1.0.0.1" },
		{ "1.0.0-a-b", ">", "1.0.0-a" },
		{ " 1.0 ", "=", "1.0" },
	};
	for (size_t i = 0; i < sizeof cmps / sizeof cmps[0]; i++) {
		int c = 9;
		assert_int_equal(version_scheme_nuget.compare(cmps[i].a, cmps[i].b, &c), BOSUN_OK);
		if (!op_holds(cmps[i].op, c))
			fail_msg("nuget %s %s %s: got %d", cmps[i].a, cmps[i].op, cmps[i].b, c);
	}
	static const char *const invalid[] = { "1.0.0-01", "1.2.3.4.5", "1.0-", "1.0+", "1.0-a+", "v1.0", "", "1..0",
					       "1.0.0-a_b", "2147483648.0" };
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		if (version_scheme_nuget.valid(invalid[i]))
			fail_msg("nuget valid(%s)", invalid[i]);
	static const struct sat_case cases[] = {
		{ "1.5", "[1.0,2.0)", 0, 1 },
		{ "2.0", "[1.0,2.0)", 0, 0 },
		{ "2.0", "1.0", 0, 1 },             /* a bare version is a minimum */
		{ "0.9", "1.0", 0, 0 },
		{ "1.0", "[1.0]", 0, 1 },
		{ "1.0.1", "[1.0]", 0, 0 },
		{ "0.5", "(,1.0]", 0, 1 },
		{ "1.0", "(,1.0)", 0, 0 },
		{ "3.0", "1.*", 0, 1 },             /* floating: its lower bound */
		{ "0.9", "1.*", 0, 0 },
		{ "1.0.0-beta", "1.0.0-beta*", 0, 1 },
		{ "1.0.0-alpha", "1.0.0-beta*", 0, 0 },
		{ "1.0.0-0", "1.0.0-*", 0, 1 },
		{ "0.0.0-1", "*", 0, 0 },
		{ "0.0.0", "*", 0, 1 },
		{ "1.0", "(1.0)", 0, -1 },
		{ "1.0", "[2.0,1.0]", 0, -1 },
		{ "1.0", "(1.0,1.0]", 0, -1 },
		{ "1.0", "[1.0,1.0]", 0, 1 },
		{ "1.0", "(,)", 0, -1 },
		{ "1.0", "[1,2,3]", 0, -1 },
		{ "1.0", "[ , ]", 0, 1 },
		{ "1.0", "", 0, -1 },
		{ "1.5", "[1.0, 2.0]", 0, 1 },
	};
	CHECK(version_scheme_nuget, cases);
}

/* ---- all schemes: hostile input ---- */

static void test_hostile(void **state)
{
	(void)state;
	const struct version_scheme *all[] = { &version_scheme_npm, &version_scheme_pypi, &version_scheme_maven,
					       &version_scheme_gem, &version_scheme_cargo, &version_scheme_nuget,
					       &version_scheme_jvm };
	static char big[70000];
	memset(big, '1', sizeof big - 1);
	for (size_t i = 1; i + 1 < sizeof big; i += 2)
		big[i] = i % 6 == 1 ? '-' : '.';
	big[sizeof big - 1] = 0;
	const char *inputs[] = { "", " ", "\xff\xfe", "1.2.3", big, "-", ".", "+", "*", "||", "[", "(,", "1.0-\xd9\xa8" };
	for (size_t s = 0; s < sizeof all / sizeof all[0]; s++)
		for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
			for (size_t j = 0; j < sizeof inputs / sizeof inputs[0]; j++) {
				int c;
				bool out;
				all[s]->compare(inputs[i], inputs[j], &c);
				all[s]->valid(inputs[i]);
				if (all[s]->satisfies)
					all[s]->satisfies(inputs[i], inputs[j], VERSION_LOOSE, &out);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semver_table),    cmocka_unit_test(test_npm_range_table),
		cmocka_unit_test(test_grype_semantic),  cmocka_unit_test(test_npm_ranges),
		cmocka_unit_test(test_npm_compare),     cmocka_unit_test(test_pep440_tables),
		cmocka_unit_test(test_pep440_specifiers), cmocka_unit_test(test_maven_tables),
		cmocka_unit_test(test_maven_ranges),    cmocka_unit_test(test_gem_tables),
		cmocka_unit_test(test_gem_requirements), cmocka_unit_test(test_jvm_tables),
		cmocka_unit_test(test_cargo),           cmocka_unit_test(test_nuget),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
