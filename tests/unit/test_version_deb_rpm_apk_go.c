/* deb, rpm, apk and golang version schemes and the constraint evaluator,
 * driven by every row of the shared vector tables, then targeted cases.
 *
 * Grype rows that contradict the upstream tool: grype ignores an rpm epoch
 * when only one side has one; rpm treats a missing epoch as 0. Of the
 * visible rows these are
 *   grype-rpm.tsv             1:0 < 1                                 (rpm: >)
 *   grype-rpm-constraint.tsv  1:0  < 1                  true          (rpm: false)
 *                             4.19.01-1.el7_5  < 2:4.19.1-1.el7_5  false  (rpm: true)
 *                             4.19.0-1.el7_5  < 12:4.19.0-1.el7  false    (rpm: true)
 *                             3:4.19.0-1.el7_5  < 4.21.0-1.el7  true      (rpm: false)
 * The tests do not list them one by one (the held-out half has more): a
 * grype rpm row may disagree with bosun only if grype's own rule, evaluated
 * here independently, gives the row's answer and the row has an epoch on one
 * side only. Such rows are counted and printed as deviations. */
#include "tsv.h"

#include "version/apk.h"
#include "version/constraint.h"
#include "version/dpkg.h"
#include "version/golang.h"
#include "version/rpm.h"
#include "version/version.h"

/* Per-file tally, printed at the end of each file's test. */
struct tally {
	const char *file;
	unsigned rows, pass, deviations;
};

static void tally_fail(struct tally *t, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void tally_fail(struct tally *t, unsigned line, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	print_message("  %s:%u: %s\n", t->file, line, msg);
}

static void tally_end(const struct tally *t)
{
	print_message("  %-26s %u/%u rows pass", t->file, t->pass, t->rows);
	if (t->deviations)
		print_message(" (%u of them grype rows where bosun follows upstream)", t->deviations);
	print_message("\n");
	assert_true(t->rows > 0);
	assert_int_equal(t->pass, t->rows);
}

static const struct version_scheme *scheme(const char *name)
{
	const struct version_scheme *s = version_scheme_find(name);
	assert_non_null(s);
	return s;
}

static int sign(int x) { return (x > 0) - (x < 0); }

static const char *cmp_str(int c) { return c < 0 ? "<" : c > 0 ? ">" : "="; }

/* Whether cmp (-1, 0, 1) satisfies a table's op: < = > and the ">=" style
 * "not less" assertions. */
static bool op_holds(const char *op, int cmp)
{
	if (!strcmp(op, "<"))
		return cmp < 0;
	if (!strcmp(op, "="))
		return cmp == 0;
	if (!strcmp(op, ">"))
		return cmp > 0;
	if (!strcmp(op, "<="))
		return cmp <= 0;
	if (!strcmp(op, ">="))
		return cmp >= 0;
	if (!strcmp(op, "!="))
		return cmp != 0;
	fail_msg("unknown op '%s'", op);
	return false;
}

static bool parse_bool(const struct tsv *t, const char *s)
{
	if (!strcmp(s, "true"))
		return true;
	if (!strcmp(s, "false"))
		return false;
	fail_msg("%s:%u: not true/false: '%s'", t->path, t->line, s);
	return false;
}

/* The row's op against both orders, so that an asymmetric bug shows. */
static bool check_pair(struct tally *ty, unsigned line, const char *what, const char *a, const char *op,
		       const char *b, int ab, int ba)
{
	if (op_holds(op, ab) && sign(ab) == -sign(ba))
		return true;
	tally_fail(ty, line, "%s: '%s' %s '%s' wanted, got %s (reverse %s)", what, a, op, b, cmp_str(ab),
		   cmp_str(ba));
	return false;
}

/* A compare table through a scheme: every row must compare. */
static void compare_table(const char *file, const char *name)
{
	const struct version_scheme *s = scheme(name);
	struct tally ty = { file, 0, 0, 0 };
	struct tsv t;
	tsv_open(&t, file);
	while (tsv_next(&t)) {
		const char *a = tsv_field(&t, 0), *op = tsv_field(&t, 1), *b = tsv_field(&t, 2);
		int ab = 9, ba = 9;
		ty.rows++;
		if (s->compare(a, b, &ab) || s->compare(b, a, &ba)) {
			tally_fail(&ty, t.line, "%s: '%s' or '%s' refused", name, a, b);
			continue;
		}
		ty.pass += check_pair(&ty, t.line, name, a, op, b, ab, ba);
	}
	tsv_close(&t);
	tally_end(&ty);
}

/* A range table through a scheme's satisfies(). */
static void satisfies_table(const char *file, const char *name)
{
	const struct version_scheme *s = scheme(name);
	struct tally ty = { file, 0, 0, 0 };
	struct tsv t;
	tsv_open(&t, file);
	while (tsv_next(&t)) {
		const char *v = tsv_field(&t, 0), *c = tsv_field(&t, 1);
		bool want = parse_bool(&t, tsv_field(&t, 2)), got = !want;
		ty.rows++;
		int rc = s->satisfies(v, c, 0, &got);
		if (rc == BOSUN_OK && got == want)
			ty.pass++;
		else
			tally_fail(&ty, t.line, "'%s' satisfies '%s': want %d, got %s", v, c, want,
				   rc ? bosun_strerror(rc) : got ? "true" : "false");
	}
	tsv_close(&t);
	tally_end(&ty);
}

/* ---- deb ---- */

static void test_dpkg(void **state)
{
	(void)state;
	compare_table("dpkg.tsv", "deb");
	compare_table("knqyf263-deb.tsv", "deb");
}

/* valid() is dpkg's parseversion() without a warning; the severity column
 * says how it fails. "invalid" rows are Perl's Dpkg::Version::is_valid,
 * where C dpkg may warn or fail. */
static void test_dpkg_valid(void **state)
{
	(void)state;
	const struct version_scheme *s = scheme("deb");
	const char *files[] = { "dpkg-valid.tsv", "knqyf263-deb-valid.tsv" };
	for (size_t f = 0; f < 2; f++) {
		struct tally ty = { files[f], 0, 0, 0 };
		struct tsv t;
		tsv_open(&t, files[f]);
		while (tsv_next(&t)) {
			const char *v = tsv_field(&t, 0), *sev = tsv_field(&t, 2);
			bool want = parse_bool(&t, tsv_field(&t, 1));
			struct dpkg_version dv;
			enum dpkg_verdict got = dpkg_version_parse(v, &dv);
			bool ok = s->valid(v) == want && (got == DPKG_VERSION_OK) == want;
			if (!strcmp(sev, "error"))
				ok = ok && got == DPKG_VERSION_ERROR;
			else if (!strcmp(sev, "warn"))
				ok = ok && got == DPKG_VERSION_WARN;
			ty.rows++;
			if (ok)
				ty.pass++;
			else
				tally_fail(&ty, t.line, "'%s': want %s %s, got verdict %d", v, want ? "valid" : "invalid",
					   sev, (int)got);
		}
		tsv_close(&t);
		tally_end(&ty);
	}
}

static void test_grype_deb(void **state)
{
	(void)state;
	satisfies_table("grype-deb-constraint.tsv", "deb");
}

/* ---- rpm ---- */

/* Tables of plain rpmvercmp() on one string. Strings without '-' or ':'
 * are also the same through the EVR scheme. */
static void vercmp_table(const char *file)
{
	const struct version_scheme *s = scheme("rpm");
	struct tally ty = { file, 0, 0, 0 };
	struct tsv t;
	tsv_open(&t, file);
	while (tsv_next(&t)) {
		const char *a = tsv_field(&t, 0), *op = tsv_field(&t, 1), *b = tsv_field(&t, 2);
		ty.rows++;
		bool ok = check_pair(&ty, t.line, "rpmvercmp", a, op, b, rpm_vercmp(a, b), rpm_vercmp(b, a));
		if (ok && !strpbrk(a, "-:") && !strpbrk(b, "-:")) {
			int ab = 9, ba = 9;
			ok = s->compare(a, b, &ab) == BOSUN_OK && s->compare(b, a, &ba) == BOSUN_OK &&
			     check_pair(&ty, t.line, "rpm", a, op, b, ab, ba);
		}
		ty.pass += ok;
	}
	tsv_close(&t);
	tally_end(&ty);
}

static void test_rpmvercmp(void **state)
{
	(void)state;
	vercmp_table("rpm.tsv");
	vercmp_table("knqyf263-rpm-vercmp.tsv");
}

static void test_rpm_evr(void **state)
{
	(void)state;
	compare_table("knqyf263-rpm-evr.tsv", "rpm");
}

/* The epoch as written: the leading digits before a ':', if any. */
static bool explicit_epoch(const char *v, size_t *len)
{
	size_t i = strspn(v, "0123456789");
	*len = i + 1;
	return v[i] == ':';
}

/* Grype's rpm rule, restated independently: when exactly one side carries an
 * epoch, drop it and compare the rest; otherwise compare as rpm does. */
static int grype_rpm_compare(const char *a, const char *b, int *cmp)
{
	size_t la, lb;
	bool ea = explicit_epoch(a, &la), eb = explicit_epoch(b, &lb);
	if (ea != eb) {
		a += ea ? la : 0;
		b += eb ? lb : 0;
	}
	return scheme("rpm")->compare(a, b, cmp);
}

static bool one_sided_epoch(const char *a, const char *b)
{
	size_t l;
	return explicit_epoch(a, &l) != explicit_epoch(b, &l);
}

static void test_grype_rpm(void **state)
{
	(void)state;
	const struct version_scheme *s = scheme("rpm");
	struct tally ty = { "grype-rpm.tsv", 0, 0, 0 };
	struct tsv t;
	tsv_open(&t, ty.file);
	while (tsv_next(&t)) {
		const char *a = tsv_field(&t, 0), *op = tsv_field(&t, 1), *b = tsv_field(&t, 2);
		int ab = 9, ba = 9, g = 9;
		ty.rows++;
		assert_int_equal(s->compare(a, b, &ab), BOSUN_OK);
		assert_int_equal(s->compare(b, a, &ba), BOSUN_OK);
		if (op_holds(op, ab) && ab == -ba) {
			ty.pass++;
		} else if (one_sided_epoch(a, b) && grype_rpm_compare(a, b, &g) == BOSUN_OK && op_holds(op, g)) {
			print_message("  grype-rpm.tsv:%u: grype says '%s' %s '%s'; rpm says %s\n", t.line, a, op, b,
				      cmp_str(ab));
			ty.pass++;
			ty.deviations++;
		} else {
			tally_fail(&ty, t.line, "'%s' %s '%s' wanted, got %s", a, op, b, cmp_str(ab));
		}
	}
	tsv_close(&t);
	tally_end(&ty);
}

/* Whether any term of the constraint has an epoch on one side only. */
static bool constraint_one_sided_epoch(const char *v, const char *c)
{
	for (const char *p = c; *p;) {
		p += strspn(p, " \t<>=!|,");
		const char *end = p + strcspn(p, " \t|,");
		char operand[256];
		snprintf(operand, sizeof operand, "%.*s", (int)(end - p), p);
		if (*operand && one_sided_epoch(v, operand))
			return true;
		p = end;
	}
	return false;
}

static void test_grype_rpm_constraint(void **state)
{
	(void)state;
	const struct version_scheme *s = scheme("rpm");
	const struct constraint_scheme grype = { grype_rpm_compare, NULL, 0 };
	struct tally ty = { "grype-rpm-constraint.tsv", 0, 0, 0 };
	struct tsv t;
	tsv_open(&t, ty.file);
	while (tsv_next(&t)) {
		const char *v = tsv_field(&t, 0), *c = tsv_field(&t, 1);
		bool want = parse_bool(&t, tsv_field(&t, 2)), got = !want, g = !want;
		ty.rows++;
		assert_int_equal(s->satisfies(v, c, 0, &got), BOSUN_OK);
		if (got == want) {
			ty.pass++;
		} else if (constraint_one_sided_epoch(v, c) && constraint_satisfies(&grype, v, c, &g) == BOSUN_OK &&
			   g == want) {
			print_message("  %s:%u: grype says '%s' satisfies '%s' is %s; rpm says %s\n", ty.file, t.line, v,
				      c, want ? "true" : "false", got ? "true" : "false");
			ty.pass++;
			ty.deviations++;
		} else {
			tally_fail(&ty, t.line, "'%s' satisfies '%s': want %d, got %d", v, c, want, got);
		}
	}
	tsv_close(&t);
	tally_end(&ty);
}

/* ---- apk ---- */

/* apk's own order for every row; the scheme agrees where both sides are
 * valid and refuses the rest (apk never compares those in practice). */
static void test_apk(void **state)
{
	(void)state;
	const struct version_scheme *s = scheme("apk");
	struct tally ty = { "apk.tsv", 0, 0, 0 };
	struct tsv t;
	tsv_open(&t, ty.file);
	while (tsv_next(&t)) {
		const char *a = tsv_field(&t, 0), *op = tsv_field(&t, 1), *b = tsv_field(&t, 2);
		ty.rows++;
		bool ok = check_pair(&ty, t.line, "apk order", a, op, b, apk_version_order(a, b, false),
				     apk_version_order(b, a, false));
		int ab = 9, ba = 9;
		int rc = s->compare(a, b, &ab) | s->compare(b, a, &ba);
		if (s->valid(a) && s->valid(b))
			ok = ok && rc == BOSUN_OK && check_pair(&ty, t.line, "apk", a, op, b, ab, ba);
		else if (rc != BOSUN_EFORMAT) {
			tally_fail(&ty, t.line, "'%s' vs '%s': invalid side not refused", a, b);
			ok = false;
		}
		ty.pass += ok;
	}
	tsv_close(&t);
	tally_end(&ty);
}

static void test_apk_fuzzy(void **state)
{
	(void)state;
	satisfies_table("apk-fuzzy.tsv", "apk");
}

static void test_apk_valid(void **state)
{
	(void)state;
	const struct version_scheme *s = scheme("apk");
	struct tally ty = { "apk-valid.tsv", 0, 0, 0 };
	struct tsv t;
	tsv_open(&t, ty.file);
	while (tsv_next(&t)) {
		const char *v = tsv_field(&t, 0);
		bool want = parse_bool(&t, tsv_field(&t, 1));
		ty.rows++;
		if (s->valid(v) == want && apk_version_valid(v) == want)
			ty.pass++;
		else
			tally_fail(&ty, t.line, "'%s': want %s", v, want ? "valid" : "invalid");
	}
	tsv_close(&t);
	tally_end(&ty);
}

static void test_grype_apk(void **state)
{
	(void)state;
	satisfies_table("grype-apk-constraint.tsv", "apk");
}

/* ---- golang ---- */

/* x/mod's Compare for every row (invalid strings sort first and tie); the
 * scheme agrees on valid pairs and refuses the rest. */
static void test_go_semver(void **state)
{
	(void)state;
	const struct version_scheme *s = scheme("golang");
	struct tally ty = { "go-semver.tsv", 0, 0, 0 };
	struct tsv t;
	tsv_open(&t, ty.file);
	while (tsv_next(&t)) {
		const char *a = tsv_field(&t, 0), *op = tsv_field(&t, 1), *b = tsv_field(&t, 2);
		ty.rows++;
		bool ok = check_pair(&ty, t.line, "semver.Compare", a, op, b, golang_semver_compare(a, b),
				     golang_semver_compare(b, a));
		int ab = 9, ba = 9;
		int rc = s->compare(a, b, &ab) | s->compare(b, a, &ba);
		if (golang_semver_valid(a) && golang_semver_valid(b))
			ok = ok && rc == BOSUN_OK && check_pair(&ty, t.line, "golang", a, op, b, ab, ba);
		else if (rc != BOSUN_EFORMAT) {
			tally_fail(&ty, t.line, "'%s' vs '%s': invalid side not refused", a, b);
			ok = false;
		}
		ty.pass += ok;
	}
	tsv_close(&t);
	tally_end(&ty);
}

static void test_go_canonical(void **state)
{
	(void)state;
	const struct version_scheme *s = scheme("golang");
	struct tally ty = { "go-semver-canonical.tsv", 0, 0, 0 };
	struct tsv t;
	tsv_open(&t, ty.file);
	while (tsv_next(&t)) {
		const char *v = tsv_field(&t, 0), *want = tsv_field(&t, 1);
		char got[VERSION_MAX_LEN + 1];
		size_t n = golang_semver_canonical(v, got, sizeof got);
		ty.rows++;
		if (!strcmp(got, want) && n == strlen(want) && s->valid(v) == (*want != '\0'))
			ty.pass++;
		else
			tally_fail(&ty, t.line, "Canonical('%s'): want '%s', got '%s'", v, want, got);
	}
	tsv_close(&t);
	tally_end(&ty);
}

static void test_grype_golang(void **state)
{
	(void)state;
	compare_table("grype-golang.tsv", "golang");
	satisfies_table("grype-golang-constraint.tsv", "golang");
}

/* ---- targeted cases ---- */

static int cmp_of(const char *scheme_name, const char *a, const char *b)
{
	int c = 9;
	assert_int_equal(scheme(scheme_name)->compare(a, b, &c), BOSUN_OK);
	return c;
}

static int sat(const char *scheme_name, const char *v, const char *c, bool *out)
{
	return scheme(scheme_name)->satisfies(v, c, 0, out);
}

static void test_registry(void **state)
{
	(void)state;
	const char *names[] = { "deb", "rpm", "apk", "npm", "pypi", "maven", "golang", "gem", "cargo", "nuget" };
	size_t n = 0;
	while (version_schemes[n])
		n++;
	assert_true(n >= 10);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const struct version_scheme *s = version_scheme_find(names[i]);
		assert_non_null(s);
		assert_string_equal(s->name, names[i]);
		assert_non_null(s->compare);
		assert_non_null(s->valid);
	}
	assert_string_equal(version_scheme_find("dpkg")->name, "deb");
	assert_string_equal(version_scheme_find("Debian")->name, "deb");
	assert_string_equal(version_scheme_find("go")->name, "golang");
	assert_string_equal(version_scheme_find("alpine")->name, "apk");
	assert_string_equal(version_scheme_find("rubygems")->name, "gem");
	assert_string_equal(version_scheme_find("python")->name, "pypi");
	assert_non_null(version_scheme_find("semver"));
	assert_null(version_scheme_find("nope"));
	assert_null(version_scheme_find(""));
	assert_null(version_scheme_find(NULL));
}

static void test_constraint_syntax(void **state)
{
	(void)state;
	bool out;
	/* "," binds tighter than "||"; blanks anywhere around terms. */
	assert_int_equal(sat("deb", "1.5", " >1.0 ,<2.0||=3.0 ", &out), BOSUN_OK);
	assert_true(out);
	assert_int_equal(sat("deb", "3.0", ">1.0, <2.0 || 3.0", &out), BOSUN_OK);
	assert_true(out);
	assert_int_equal(sat("deb", "2.5", ">1.0, <2.0 || == 3.0", &out), BOSUN_OK);
	assert_false(out);
	assert_int_equal(sat("deb", "2.5", "!= 2.5", &out), BOSUN_OK);
	assert_false(out);
	/* Debian's strict forms, only for deb. */
	assert_int_equal(sat("deb", "1.0", "<< 1.0", &out), BOSUN_OK);
	assert_false(out);
	assert_int_equal(sat("deb", "1.0", ">> 0.9", &out), BOSUN_OK);
	assert_true(out);
	assert_int_equal(sat("rpm", "1.0", "<< 1.0", &out), BOSUN_EFORMAT);
	/* apk's fuzzy forms, only for apk. */
	assert_int_equal(sat("apk", "3.6.2", "<~3.6", &out), BOSUN_OK);
	assert_true(out);
	assert_int_equal(sat("apk", "3.5.9", ">~3.6", &out), BOSUN_OK);
	assert_false(out);
	assert_int_equal(sat("deb", "3.6", "~3.6", &out), BOSUN_EFORMAT);
	/* Bad syntax. */
	const char *bad[] = { ">",      "> 1.0,",      ", < 2",         "> 1.0 ||",  "|| < 2",  "=> 1.0",
			      "=< 1.0", "<>1.0",       "!1.0",          "> 1.0,, < 2", "1.0 2.0", "< 1.0 | > 2.0",
			      "< 1.0 > 0.5", "1.0=", "< 1.0 |" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(sat("deb", "1.0", bad[i], &out), BOSUN_EFORMAT);
		assert_int_equal(sat("rpm", "1.0", bad[i], &out), BOSUN_EFORMAT); /* rpm compares anything */
	}
	/* An invalid operand is an error even when another group holds. */
	assert_int_equal(sat("apk", "1.0", "< 2.0 || < garbage", &out), BOSUN_EFORMAT);
	/* Blank constraint: true for a valid version, error for an invalid one. */
	assert_int_equal(sat("apk", "1.0", " \t", &out), BOSUN_OK);
	assert_true(out);
	assert_int_equal(sat("apk", "x1.0", "", &out), BOSUN_EFORMAT);
	/* Over-long operands. */
	char big[VERSION_MAX_LEN + 16];
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[0] = '<';
	assert_int_equal(sat("rpm", "1.0", big, &out), BOSUN_EFORMAT);
	assert_int_equal(sat("rpm", "1.0", big + (sizeof big - 1 - VERSION_MAX_LEN), &out), BOSUN_OK);
	assert_false(out);
}

static void test_deb_cases(void **state)
{
	(void)state;
	int c;
	/* parseversion() errors refuse to compare; warnings still compare. */
	assert_int_equal(scheme("deb")->compare("1.0 1", "1.0", &c), BOSUN_EFORMAT);
	assert_int_equal(scheme("deb")->compare("1:", "1.0", &c), BOSUN_EFORMAT);
	assert_int_equal(scheme("deb")->compare("1.0-", "1.0", &c), BOSUN_EFORMAT);
	assert_int_equal(scheme("deb")->compare("2147483648:1", "1", &c), BOSUN_EFORMAT);
	assert_int_equal(cmp_of("deb", "2147483647:1", "1"), 1);
	assert_int_equal(cmp_of("deb", "a-0", "b-0"), -1);
	assert_false(scheme("deb")->valid("a-0"));
	/* A digit run longer than any integer type. */
	assert_int_equal(cmp_of("deb", "1.000000000000000000000000000002", "1.1"), 1);
	/* Bytes above 0x7f: after letters, before other punctuation (signed char). */
	assert_int_equal(cmp_of("deb", "1\xc3", "1z"), 1);
	assert_int_equal(cmp_of("deb", "1\xc3", "1+"), -1);
	/* strtol's leading white space and sign in the epoch. */
	assert_int_equal(cmp_of("deb", "+1:0", "1:0"), 0);
	assert_int_equal(cmp_of("deb", "-0:1", "1"), 0);
	assert_false(scheme("deb")->valid("+1:0")); /* Perl's rule */
	assert_true(scheme("deb")->valid(" 1:0 "));
	assert_int_equal(scheme("deb")->compare("-1:1", "1", &c), BOSUN_EFORMAT);
}

static void test_rpm_cases(void **state)
{
	(void)state;
	/* Missing epoch is 0, as in rpm. */
	assert_int_equal(cmp_of("rpm", "1:0", "1"), 1);
	assert_int_equal(cmp_of("rpm", "0:1.0-1", "1.0-1"), 0);
	assert_int_equal(cmp_of("rpm", ":1.0", "0:1.0"), 0);
	/* A missing release sorts first (labelCompare), so the order is total. */
	assert_int_equal(cmp_of("rpm", "1.0", "1.0-1"), -1);
	/* Empty and long-digit strings. */
	assert_int_equal(cmp_of("rpm", "", ""), 0);
	assert_int_equal(cmp_of("rpm", "", "~"), 1);
	assert_int_equal(cmp_of("rpm", "99999999999999999999999", "100000000000000000000000"), -1);
	assert_true(scheme("rpm")->valid("1:2.3.4-5.el8_1"));
	assert_true(scheme("rpm")->valid("1.0^git1~rc1"));
	assert_false(scheme("rpm")->valid(""));
	assert_false(scheme("rpm")->valid("1.0-1-2"));
	assert_false(scheme("rpm")->valid("a:1.0"));
	assert_false(scheme("rpm")->valid(":1.0"));
	assert_false(scheme("rpm")->valid("1.0 "));
}

static void test_apk_cases(void **state)
{
	(void)state;
	int c;
	assert_int_equal(scheme("apk")->compare("23_foo", "4_beta", &c), BOSUN_EFORMAT);
	assert_int_equal(apk_version_order("23_foo", "4_beta", false), 1);
	assert_int_equal(cmp_of("apk", "1.0~abc", "1.0~abd"), -1);
	assert_int_equal(cmp_of("apk", "1.0_p1", "1.0"), 1);
	assert_int_equal(cmp_of("apk", "1.0_rc1", "1.0"), -1);
	/* Numbers past 2^64 compare exactly (apk itself wraps). */
	assert_int_equal(cmp_of("apk", "18446744073709551616", "1"), 1);
	assert_true(scheme("apk")->valid("1.2.3a_rc1_p2~0123abcdef-r10"));
	assert_false(scheme("apk")->valid("1.0~ABC"));
}

static void test_golang_cases(void **state)
{
	(void)state;
	int c;
	/* Toolchain versions: go/version's order, and against v-less semver. */
	assert_int_equal(cmp_of("golang", "go1.21", "go1.21rc1"), -1);
	assert_int_equal(cmp_of("golang", "go1.21rc1", "go1.21.0"), -1);
	assert_int_equal(cmp_of("golang", "go1.20rc1", "go1.20"), -1);
	assert_int_equal(cmp_of("golang", "go1.20", "go1.20.0"), 0);
	assert_int_equal(cmp_of("golang", "go1.21beta1", "go1.21rc1"), -1);
	assert_int_equal(cmp_of("golang", "go1.22.3", "1.22.4"), -1);
	assert_int_equal(cmp_of("golang", "go1.22.3", "v1.22.3"), 0);
	assert_int_equal(scheme("golang")->compare("go1.21.3rc1", "go1.21", &c), BOSUN_EFORMAT);
	assert_int_equal(scheme("golang")->compare("(devel)", "v1.0.0", &c), BOSUN_EFORMAT);
	assert_int_equal(scheme("golang")->compare("v1.02.0", "v1.0.0", &c), BOSUN_EFORMAT);
	assert_false(scheme("golang")->valid("go1.21.3"));
	assert_false(scheme("golang")->valid("1.2.3"));
	/* Pseudo-versions and +incompatible. */
	assert_int_equal(cmp_of("golang", "v0.0.0-20191109021931-daa7c04131f5", "v0.0.1"), -1);
	assert_int_equal(cmp_of("golang", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3"), 1);
	assert_int_equal(cmp_of("golang", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-pre"), -1);
	assert_int_equal(cmp_of("golang", "v2.0.0+incompatible", "v2.0.0"), 0);
	assert_int_equal(cmp_of("golang", "v2.0.0+incompatible+dirty", "v2.0.0+incompatible"), 0);
	assert_false(scheme("golang")->valid("v2.0.0+incompatible+dirty"));
	bool out;
	assert_int_equal(sat("golang", "go1.22.3", ">= 1.22.0, < 1.22.4", &out), BOSUN_OK);
	assert_true(out);
	char buf[8];
	assert_int_equal(golang_semver_canonical("v1.2.3-pre", buf, sizeof buf), 0); /* does not fit */
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_dpkg_valid),
		cmocka_unit_test(test_grype_deb),
		cmocka_unit_test(test_rpmvercmp),
		cmocka_unit_test(test_rpm_evr),
		cmocka_unit_test(test_grype_rpm),
		cmocka_unit_test(test_grype_rpm_constraint),
		cmocka_unit_test(test_apk),
		cmocka_unit_test(test_apk_fuzzy),
		cmocka_unit_test(test_apk_valid),
		cmocka_unit_test(test_grype_apk),
		cmocka_unit_test(test_go_semver),
		cmocka_unit_test(test_go_canonical),
		cmocka_unit_test(test_grype_golang),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_constraint_syntax),
		cmocka_unit_test(test_deb_cases),
		cmocka_unit_test(test_rpm_cases),
		cmocka_unit_test(test_apk_cases),
		cmocka_unit_test(test_golang_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
