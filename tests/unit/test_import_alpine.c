/* Alpine secdb importer, on the real YAML in $BOSUN_SHARED/vulndata/alpine-secdb
 * (v3.3..v3.11, main and community) and on the JSON form secdb.alpinelinux.org
 * serves (same schema; a small document written here). Expectations are
 * derived by hand from the files; the derivation is in the comments. */
#include "testutil.h"

#include "recsink.h"
#include "vulndb/distro_feed.h"
#include "vulndb/importer.h"
#include "vulndb/vulndb.h"

extern const struct importer importer_alpine;

static const char *secdb_dir(void)
{
	static char p[4096];
	PATHF(p, "%s/vulndata/alpine-secdb", test_shared_dir());
	return p;
}

static struct recsink real;
static struct import_stats real_st;

static int setup_real(void **state)
{
	(void)state;
	struct feed_sink s = recsink_sink(&real);
	struct berr e = { 0 };
	if (alpine_import_dir(secdb_dir(), &s, &real_st, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	return 0;
}

static int teardown_real(void **state)
{
	(void)state;
	recsink_free(&real);
	return 0;
}

static bool has_fixed(const struct rec_affected *a, const char *v)
{
	for (size_t i = 0; i < a->nfixed; i++)
		if (!strcmp(a->fixed[i], v))
			return true;
	return false;
}

static void test_shape(void **state)
{
	(void)state;
	/* 9 branches x {main, community}.yaml */
	assert_int_equal(real_st.files, 18);
	assert_int_equal(real.begun, 1);
	assert_int_equal(real_st.affected, (long)real.na);
	assert_int_equal(real_st.vulns, (long)real.nv);
	/* one vulnerability record per id over all branches */
	assert_non_null(rec_vuln(&real, "CVE-2019-5747"));
	size_t n = 0;
	for (size_t i = 0; i < real.nv; i++)
		n += !strcmp(real.v[i].id, "CVE-2019-5747");
	assert_int_equal(n, 1);
	/* "distroversion: v3.3" .. "v3.11" are the keys "alpine:3.3" .. */
	for (size_t i = 0; i < real.na; i++)
		assert_true(!strncmp(real.a[i].eco, "alpine:3.", 9));
}

static void test_v3_11_main(void **state)
{
	(void)state;
	/* v3.11/main.yaml, the first package:
	 *   name: ansible
	 *   secfixes: 2.9.3-r0: [CVE-2019-14904, CVE-2019-14905]
	 *             2.8.6-r0: [CVE-2019-14846, CVE-2019-14856, CVE-2019-14858]
	 *             ... 2.6.3-r0: [CVE-2018-10875] */
	rec_check(&real, "CVE-2019-14904", "alpine:3.11", "ansible", AFFECT_FIXED, "2.9.3-r0", NULL);
	rec_check(&real, "CVE-2019-14905", "alpine:3.11", "ansible", AFFECT_FIXED, "2.9.3-r0", NULL);
	rec_check(&real, "CVE-2019-14858", "alpine:3.11", "ansible", AFFECT_FIXED, "2.8.6-r0", NULL);
	rec_check(&real, "CVE-2018-10875", "alpine:3.11", "ansible", AFFECT_FIXED, "2.6.3-r0", NULL);
	/* busybox: 1.30.1-r2: [CVE-2019-5747]; 1.29.3-r10: [CVE-2018-20679,
	 * CVE-2019-5747]: one record, a range per fixed version */
	const struct rec_affected *b = rec_find(&real, "CVE-2019-5747", "alpine:3.11", "busybox");
	assert_non_null(b);
	assert_int_equal(b->status, AFFECT_FIXED);
	assert_int_equal(b->nfixed, 2);
	assert_true(has_fixed(b, "1.30.1-r2") && has_fixed(b, "1.29.3-r10"));
	assert_int_equal(rec_count(&real, "CVE-2019-5747", "alpine:3.11", "busybox"), 1);
	rec_check(&real, "CVE-2018-20679", "alpine:3.11", "busybox", AFFECT_FIXED, "1.29.3-r10", NULL);
	/* xen: "- CVE-2017-8904 XSA-214" keeps the CVE only; "- XSA-207" alone
	 * is its own id */
	assert_non_null(rec_find(&real, "CVE-2017-8904", "alpine:3.11", "xen"));
	assert_null(rec_find(&real, "XSA-214", "alpine:3.11", "xen"));
	assert_non_null(rec_find(&real, "XSA-207", "alpine:3.11", "xen"));
}

static void test_zero_and_typos(void **state)
{
	(void)state;
	/* v3.8/main.yaml: db, secfixes: "0": [CVE-2016-0682, ...]: never affected */
	rec_check(&real, "CVE-2016-0682", "alpine:3.8", "db", AFFECT_NOT_AFFECTED, NULL, NULL);
	rec_check(&real, "CVE-2016-3418", "alpine:3.8", "db", AFFECT_NOT_AFFECTED, NULL, NULL);
	/* v3.11/community.yaml openjdk7 7.211.2.6.17-r0: "- CVE_2019-2426" */
	rec_check(&real, "CVE-2019-2426", "alpine:3.11", "openjdk7", AFFECT_FIXED, "7.211.2.6.17-r0", NULL);
	/* placeholders are no ids */
	for (size_t i = 0; i < real.na; i++)
		assert_null(strchr(real.a[i].id, '?'));
}

/* ---- the JSON form ------------------------------------------------------ */

static const char secdb_json[] = "{\n"
				 "  \"apkurl\": \"{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk\",\n"
				 "  \"archs\": [\"x86_64\"],\n"
				 "  \"reponame\": \"main\",\n"
				 "  \"urlprefix\": \"https://dl-cdn.alpinelinux.org/alpine\",\n"
				 "  \"distroversion\": \"v3.19\",\n"
				 "  \"packages\": [\n"
				 "    {\"pkg\": {\"name\": \"openssl\", \"secfixes\": {\n"
				 "      \"3.1.4-r1\": [\"CVE-2023-5363\"],\n"
				 "      \"3.1.4-r3\": [\"CVE-2023-5678\"],\n"
				 "      \"0\": [\"CVE-2022-1343\"]}}},\n"
				 "    {\"pkg\": {\"name\": \"musl\"}}\n"
				 "  ]\n"
				 "}\n";

static void test_json_form(void **state)
{
	(void)state;
	char dir[4096];
	rec_tmpdir(dir, sizeof dir);
	rec_write(dir, "v3.19/main.json", secdb_json, strlen(secdb_json));
	struct recsink r = { 0 };
	struct feed_sink s = recsink_sink(&r);
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	assert_true(importer_alpine.detect(dir));
	if (alpine_import_dir(dir, &s, &st, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	rec_check(&r, "CVE-2023-5363", "alpine:3.19", "openssl", AFFECT_FIXED, "3.1.4-r1", NULL);
	rec_check(&r, "CVE-2023-5678", "alpine:3.19", "openssl", AFFECT_FIXED, "3.1.4-r3", NULL);
	rec_check(&r, "CVE-2022-1343", "alpine:3.19", "openssl", AFFECT_NOT_AFFECTED, NULL, NULL);
	assert_int_equal(r.na, 3);
	recsink_free(&r);
	rec_rmdir(dir);
}

/* ---- malformed copies -------------------------------------------------- */

static char *real_prefix(const char *rel, const char *until)
{
	char p[4096];
	PATHF(p, "%s/%s", secdb_dir(), rel);
	size_t n;
	char *d = (char *)test_read_file(p, &n);
	char *at = strstr(d, until);
	assert_non_null(at);
	at[strlen(until)] = '\0';
	return d;
}

static int count_row(const struct affected_row *row, void *ctx)
{
	(void)row;
	(*(size_t *)ctx)++;
	return 0;
}

static size_t count_rows(struct vulndb *db, const char *eco, const char *pkg)
{
	size_t n = 0;
	struct berr e = { 0 };
	if (vulndb_lookup(db, eco, pkg, count_row, &n, &e) != BOSUN_OK)
		fail_msg("lookup: %s", e.msg);
	return n;
}

#define HEAD "distroversion: v3.11\nreponame: main\npackages:\n"

static void test_malformed(void **state)
{
	(void)state;
	char longver[400];
	memset(longver, '1', 300);
	longver[300] = '\0';
	char huge[700];
	snprintf(huge, sizeof huge, HEAD "  - pkg:\n      name: foo\n      secfixes:\n        %s-r0:\n          - CVE-2020-1\n",
		 longver);
	char *garbage = malloc(3001);
	for (int i = 0; i < 3000; i++)
		garbage[i] = (char)(i * 13 + 1);
	garbage[3000] = '\0';
	struct {
		const char *name, *rel;
		char *data;
		const char *expect;
	} cases[] = {
		/* cut inside line 13's double-quoted apkurl */
		{ "truncated", "v3.11/main.yaml", real_prefix("v3.11/main.yaml", "apkurl: \"{{url"), "main.yaml: YAML line" },
		{ "binary garbage", "v3.11/main.yaml", garbage, "main.yaml: YAML" },
		{ "syntax error", "v3.11/main.yaml", strdup(HEAD "  - pkg:\n      name: [foo\n"), "main.yaml: YAML line" },
		{ "secfixes is a list", "v3.11/main.yaml",
		  strdup(HEAD "  - pkg:\n      name: foo\n      secfixes:\n        - CVE-2020-1\n"),
		  "main.yaml:5: foo: secfixes is not a mapping" },
		{ "ids are a mapping", "v3.11/main.yaml",
		  strdup(HEAD "  - pkg:\n      name: foo\n      secfixes:\n        1.0-r0:\n          CVE-2020-1: x\n"),
		  "main.yaml:7: 1.0-r0: expected a list of ids" },
		{ "id is a number", "v3.11/main.yaml",
		  strdup(HEAD "  - pkg:\n      name: foo\n      secfixes:\n        1.0-r0:\n          - 2020\n"),
		  "main.yaml:7: 1.0-r0: expected id strings" },
		{ "no name", "v3.11/main.yaml", strdup(HEAD "  - pkg:\n      secfixes: {}\n"),
		  "main.yaml:3: packages[0]: expected pkg.name" },
		{ "packages is a string", "v3.11/main.yaml", strdup(HEAD "  none\n"), "main.yaml:3: packages is not a list" },
		{ "no distroversion", "v3.11/main.yaml", strdup("reponame: main\npackages: []\n"),
		  "main.yaml: missing or non-string distroversion" },
		{ "bad distroversion", "v3.11/main.yaml", strdup("reponame: main\ndistroversion: v3.11;x\npackages: []\n"),
		  "main.yaml:2: v3.11;x: bad distroversion" },
		{ "huge version", "v3.11/main.yaml", strdup(huge), "main.yaml:7: foo: version longer than" },
		/* found by fuzz_alpine_secdb: a TAB inside a version key */
		{ "version with a tab", "v3.11/main.yaml",
		  strdup(HEAD "  - pkg:\n      name: foo\n      secfixes:\n        9.1\t.2_p1-r0:\n          - CVE-2020-1\n"),
		  "main.yaml:7: foo: bad version (not one word)" },
		{ "JSON wrong type", "v3.19/main.json",
		  strdup("{\"distroversion\": \"v3.19\",\n \"packages\": {\"pkg\": 1}}\n"),
		  "main.json:2: packages is not a list" },
		{ "truncated JSON", "v3.19/main.json", strdup("{\"distroversion\": \"v3.19\",\n \"packages\": [\n"),
		  "main.json: invalid JSON at line" },
	};
	/* The database holds the real tree; each bad tree fails under the same
	 * source and leaves it as it was. */
	struct vulndb *db;
	struct berr e = { 0 };
	struct import_stats st = { 0 };
	if (vulndb_open(":memory:", true, &db, &e) || importer_alpine.import(db, secdb_dir(), &st, &e))
		fail_msg("%s", e.msg);
	size_t before = count_rows(db, "alpine:3.11", "busybox");
	assert_true(before > 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char dir[4096];
		rec_tmpdir(dir, sizeof dir);
		rec_write(dir, cases[i].rel, cases[i].data, strlen(cases[i].data));
		struct recsink r = { 0 };
		struct feed_sink s = recsink_sink(&r);
		struct import_stats st2 = { 0 };
		berr_clear(&e);
		int rc = alpine_import_dir(dir, &s, &st2, &e);
		if (rc == BOSUN_OK || !strstr(e.msg, cases[i].expect) || !strstr(e.msg, dir))
			fail_msg("%s: rc %d, '%s', expected '%s'", cases[i].name, rc, e.msg, cases[i].expect);
		print_message("%s: %s\n", cases[i].name, e.msg + strlen(dir) + 1);
		berr_clear(&e);
		assert_int_not_equal(importer_alpine.import(db, dir, &st2, &e), BOSUN_OK);
		assert_int_equal(count_rows(db, "alpine:3.11", "busybox"), before);
		recsink_free(&r);
		rec_rmdir(dir);
		free(cases[i].data);
	}
	vulndb_close(db);
}

/* A document without fixes flushes nothing (UBSan once caught qsort being
 * handed the NULL array of an empty collection). */
static void test_empty(void **state)
{
	(void)state;
	static const char doc[] = "distroversion: v3.11\nreponame: main\npackages:\n  - pkg:\n      name: musl\n";
	struct alpine_secdb *a;
	struct recsink r = { 0 };
	struct feed_sink s = recsink_sink(&r);
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	assert_int_equal(alpine_secdb_new(&a), BOSUN_OK);
	if (alpine_secdb_add(a, "main.yaml", doc, strlen(doc), &e) || alpine_secdb_flush(a, &s, &st, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(r.na + r.nv, 0);
	alpine_secdb_free(a);
	recsink_free(&r);
}

static void test_detect(void **state)
{
	(void)state;
	char p[4096];
	assert_true(importer_alpine.detect(secdb_dir()));
	PATHF(p, "%s/v3.11", secdb_dir());
	assert_true(importer_alpine.detect(p));
	PATHF(p, "%s/vulndata", test_shared_dir());
	assert_false(importer_alpine.detect(p));
	PATHF(p, "%s/vulndata/debian", test_shared_dir());
	assert_false(importer_alpine.detect(p));
}

int main(void)
{
	const struct CMUnitTest real_tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_v3_11_main),
		cmocka_unit_test(test_zero_and_typos),
	};
	const struct CMUnitTest other_tests[] = {
		cmocka_unit_test(test_json_form),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_detect),
	};
	int fails = cmocka_run_group_tests_name("alpine secdb", real_tests, setup_real, teardown_real);
	return fails + cmocka_run_group_tests_name("alpine forms", other_tests, NULL, NULL);
}
