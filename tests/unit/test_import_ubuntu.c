/* Ubuntu CVE tracker importer, on the real files in
 * $BOSUN_SHARED/vulndata/ubuntu-cve-tracker-2020 (active/, ignored/ and the
 * retired/ tree packed as retired.tar.zst). Expectations are derived by hand
 * from the files; the derivation is in the comment above each check. */
#include "testutil.h"

#include "recsink.h"
#include "vulndb/distro_feed.h"
#include "vulndb/importer.h"
#include "vulndb/vulndb.h"

extern const struct importer importer_ubuntu;

static const char *uct_dir(void)
{
	static char p[4096];
	PATHF(p, "%s/vulndata/ubuntu-cve-tracker-2020", test_shared_dir());
	return p;
}

static void parse_real(const char *rel, struct recsink *r)
{
	char p[4096];
	PATHF(p, "%s/%s", uct_dir(), rel);
	size_t n;
	char *d = (char *)test_read_file(p, &n);
	struct feed_sink s = recsink_sink(r);
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	if (ubuntu_parse_cve(p, d, n, &s, &st, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	free(d);
}

static void test_cve_2014_9911(void **state)
{
	(void)state;
	struct recsink r = { 0 };
	parse_real("active/CVE-2014-9911", &r);
	/* Records: the lines of real releases (precise, trusty, xenial,
	 * yakkety, zesty, artful, bionic, cosmic, disco, eoan) that are not
	 * DNE; upstream_, devel_ and vivid/... lines name no image's release.
	 * firefox 10, thunderbird 10, chromium-browser 10, oxide-qt 5 (trusty,
	 * xenial..artful), android 4 (trusty..zesty), mozjs24 5 (trusty..artful),
	 * r-cran-stringi 8 (xenial..eoan), icu 10 = 62. */
	assert_int_equal(r.na, 62);
	/* "PublicDate: 2017-01-04 20:59:00 UTC", "Priority: medium", the
	 * Description joined over its lines, 4 References plus the UCT page */
	const struct rec_vuln *v = rec_vuln(&r, "CVE-2014-9911");
	assert_non_null(v);
	assert_string_equal(v->published, "2017-01-04T20:59:00Z");
	assert_int_equal(v->sev, SEV_MEDIUM);
	assert_non_null(strstr(v->details, "ures_getByKeyWithFallback function in common/uresbund.cpp in International"));
	assert_null(v->summary); /* "Ubuntu-Description:" is empty */
	assert_int_equal(v->nrefs, 5);
	assert_string_equal(v->ref0, "https://ubuntu.com/security/CVE-2014-9911");
	/* icu: "precise_icu: released (4.8.1.1-3ubuntu0.7)" (precise/esm says the
	 * same), "trusty_icu: released (52.1-3ubuntu0.5)", "xenial_icu:
	 * not-affected (55.1-7)", "bionic_icu: not-affected" */
	rec_check(&r, "CVE-2014-9911", "ubuntu:12.04", "icu", AFFECT_FIXED, "4.8.1.1-3ubuntu0.7", NULL);
	rec_check(&r, "CVE-2014-9911", "ubuntu:14.04", "icu", AFFECT_FIXED, "52.1-3ubuntu0.5", NULL);
	rec_check(&r, "CVE-2014-9911", "ubuntu:16.04", "icu", AFFECT_NOT_AFFECTED, NULL, "55.1-7");
	rec_check(&r, "CVE-2014-9911", "ubuntu:18.04", "icu", AFFECT_NOT_AFFECTED, NULL, NULL);
	/* "vivid/stable-phone-overlay_icu: ignored (...)" and no plain vivid_ line */
	assert_null(rec_find(&r, "CVE-2014-9911", "ubuntu:15.04", "icu"));
	/* mozjs24: "xenial_mozjs24: needed", "trusty_mozjs24: ignored (reached
	 * end-of-life)" with "trusty/esm_mozjs24: DNE", "bionic_mozjs24: DNE" */
	rec_check(&r, "CVE-2014-9911", "ubuntu:16.04", "mozjs24", AFFECT_UNFIXED, NULL, NULL);
	rec_check(&r, "CVE-2014-9911", "ubuntu:14.04", "mozjs24", AFFECT_END_OF_LIFE, NULL, "reached end-of-life");
	assert_null(rec_find(&r, "CVE-2014-9911", "ubuntu:18.04", "mozjs24"));
	/* android: "trusty_android: ignored (abandoned)"; "yakkety_android:
	 * ignored (reached end-of-life)" */
	rec_check(&r, "CVE-2014-9911", "ubuntu:14.04", "android", AFFECT_WONT_FIX, NULL, "abandoned");
	rec_check(&r, "CVE-2014-9911", "ubuntu:16.10", "android", AFFECT_END_OF_LIFE, NULL, NULL);
	/* "precise_chromium-browser: ignored" with no reason */
	rec_check(&r, "CVE-2014-9911", "ubuntu:12.04", "chromium-browser", AFFECT_WONT_FIX, NULL, NULL);
	assert_null(rec_find(&r, "CVE-2014-9911", "ubuntu:12.04", "chromium-browser")->note);
	/* "Priority_thunderbird: low" overrides "Priority: medium" */
	assert_int_equal(rec_find(&r, "CVE-2014-9911", "ubuntu:18.04", "thunderbird")->sev, SEV_LOW);
	assert_int_equal(rec_find(&r, "CVE-2014-9911", "ubuntu:18.04", "firefox")->sev, SEV_MEDIUM);
	/* oxide-qt: "bionic_oxide-qt: DNE" */
	assert_null(rec_find(&r, "CVE-2014-9911", "ubuntu:18.04", "oxide-qt"));
	for (size_t i = 0; i < r.na; i++)
		assert_null(strstr(r.a[i].eco, "devel"));
	recsink_free(&r);
}

static void test_esm_lines(void **state)
{
	(void)state;
	struct recsink r = { 0 };
	parse_real("active/CVE-2020-7595", &r);
	/* "precise/esm_libxml2: released (2.7.8.dfsg-5.1ubuntu4.22)" (no plain
	 * precise line); "trusty_libxml2: ignored (out of standard support)"
	 * superseded by "trusty/esm_libxml2: released
	 * (2.9.1+dfsg1-3ubuntu4.13+esm1)"; xenial, bionic, eoan released;
	 * "devel_libxml2: needed" has no release key. */
	rec_check(&r, "CVE-2020-7595", "ubuntu:12.04", "libxml2", AFFECT_FIXED, "2.7.8.dfsg-5.1ubuntu4.22",
		  "precise/esm");
	rec_check(&r, "CVE-2020-7595", "ubuntu:14.04", "libxml2", AFFECT_FIXED, "2.9.1+dfsg1-3ubuntu4.13+esm1",
		  "trusty/esm");
	rec_check(&r, "CVE-2020-7595", "ubuntu:16.04", "libxml2", AFFECT_FIXED, "2.9.3+dfsg1-1ubuntu0.7", NULL);
	rec_check(&r, "CVE-2020-7595", "ubuntu:18.04", "libxml2", AFFECT_FIXED, "2.9.4+dfsg1-6.1ubuntu1.3", NULL);
	rec_check(&r, "CVE-2020-7595", "ubuntu:19.10", "libxml2", AFFECT_FIXED, "2.9.4+dfsg1-7ubuntu3.1", NULL);
	assert_int_equal(r.na, 5);
	assert_int_equal(rec_find(&r, "CVE-2020-7595", "ubuntu:16.04", "libxml2")->sev, SEV_LOW);
	recsink_free(&r);
}

/* Forms seen in the real data (and newer UCT) that the two files above do
 * not have. */
static const char inline_cve[] = "Candidate:CVE-2099-0001\n"
				 "PublicDate: unknown\n"
				 "References:\n"
				 " https://example.org/a\tand a remark\n"
				 "Description:\n"
				 " first line\n"
				 "   second  line\n"
				 "Ubuntu-Description:\n"
				 " Short text.\n"
				 "Notes:\n"
				 " someone> a note: with a colon\n"
				 "Priority: untriaged\n"
				 "-- Tags_foo: universe-binary\n"
				 "# a comment\n"
				 "\n"
				 "Patches_foo:\n"
				 " upstream: https://example.org/fix\n"
				 "Priority_foo_xenial: high (reason)\n"
				 "upstream_foo: 2.0.0.8\n"
				 "trusty_foo: released (1.2-3\n"
				 "xenial_foo:  released [1.2-4]\n"
				 "esm-infra/xenial_foo: released (1.2-4+esm1)\n"
				 "bionic_foo: pending (1.5-1)\n"
				 "cosmic_foo: deferred (2020-01-01)\n"
				 "disco_foo: needs-triage\n"
				 "eoan_foo: not-affected\t\n"
				 "focal_foo: released\n"
				 "groovy_foo:\n"
				 "snap_foo: needed\n"
				 "product_foo: ignored (end-of-life)\n";

static void test_inline_forms(void **state)
{
	(void)state;
	struct recsink r = { 0 };
	struct feed_sink s = recsink_sink(&r);
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	if (ubuntu_parse_cve("CVE-2099-0001", inline_cve, strlen(inline_cve), &s, &st, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	const struct rec_vuln *v = rec_vuln(&r, "CVE-2099-0001");
	assert_non_null(v);
	assert_null(v->published);
	assert_string_equal(v->details, "first line second line");
	assert_string_equal(v->summary, "Short text.");
	assert_int_equal(v->sev, SEV_UNKNOWN);
	/* a reference is the line's first word (the fuzzer found a TAB-joined
	 * remark passed on as part of the URL) */
	assert_int_equal(v->nrefs, 2);
	assert_string_equal(v->refs[1], "https://example.org/a");
	/* a missing ')' and "[...]" both give the version */
	rec_check(&r, "CVE-2099-0001", "ubuntu:14.04", "foo", AFFECT_FIXED, "1.2-3", NULL);
	/* the base line says released: it stands over esm-infra */
	rec_check(&r, "CVE-2099-0001", "ubuntu:16.04", "foo", AFFECT_FIXED, "1.2-4", NULL);
	assert_int_equal(rec_find(&r, "CVE-2099-0001", "ubuntu:16.04", "foo")->sev, SEV_HIGH);
	rec_check(&r, "CVE-2099-0001", "ubuntu:18.04", "foo", AFFECT_UNFIXED, NULL, "pending: 1.5-1");
	rec_check(&r, "CVE-2099-0001", "ubuntu:18.10", "foo", AFFECT_POSTPONED, NULL, "2020-01-01");
	rec_check(&r, "CVE-2099-0001", "ubuntu:19.04", "foo", AFFECT_UNDETERMINED, NULL, NULL);
	rec_check(&r, "CVE-2099-0001", "ubuntu:19.10", "foo", AFFECT_NOT_AFFECTED, NULL, NULL);
	/* released without a version, an empty status, snap_ and product_: none */
	assert_int_equal(r.na, 6);
	recsink_free(&r);
}

static void test_full_tree(void **state)
{
	(void)state;
	struct recsink r = { 0 };
	struct feed_sink s = recsink_sink(&r);
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	if (ubuntu_import_dir(uct_dir(), &s, &st, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	/* 6,509 active + 195 CVE files in ignored/ + 26,422 in the tar */
	assert_int_equal(st.files, 6509 + 195 + 26422);
	assert_int_equal(r.begun, 1);
	/* the tar's entries are dated 2020-06-18 13:40, the tracker commit;
	 * the newest PublicDate in active/ is 2020-04-06 */
	assert_string_equal(r.snapshot, "2020-06-18");
	assert_int_equal(st.affected, (long)r.na);
	assert_int_equal(st.vulns, (long)r.nv);
	/* retired/CVE-2000-1254, read from the tar: "trusty_openssl:
	 * not-affected", "precise/esm_openssl: not-affected" (no precise line),
	 * "Priority: low", "PublicDate: 2018-04-11" */
	rec_check(&r, "CVE-2000-1254", "ubuntu:14.04", "openssl", AFFECT_NOT_AFFECTED, NULL, NULL);
	rec_check(&r, "CVE-2000-1254", "ubuntu:12.04", "openssl", AFFECT_NOT_AFFECTED, NULL, "precise/esm");
	assert_string_equal(rec_vuln(&r, "CVE-2000-1254")->published, "2018-04-11");
	/* ignored/CVE-2004-1038: "hardy_linux: ignored", "Priority: high" */
	rec_check(&r, "CVE-2004-1038", "ubuntu:8.04", "linux", AFFECT_WONT_FIX, NULL, NULL);
	assert_int_equal(rec_find(&r, "CVE-2004-1038", "ubuntu:8.04", "linux")->sev, SEV_HIGH);
	/* one vulnerability record per CVE */
	for (size_t i = 1; i < r.nv && i < 2000; i++)
		assert_string_not_equal(r.v[i].id, r.v[i - 1].id);
	recsink_free(&r);
}

/* ---- malformed copies -------------------------------------------------- */

static char *real_file(const char *rel, size_t *n)
{
	char p[4096];
	PATHF(p, "%s/%s", uct_dir(), rel);
	return (char *)test_read_file(p, n);
}

/* The real CVE-2020-7595 with its line `line` (1-based) replaced. */
static char *replace_line(int line, const char *text, size_t *n)
{
	size_t len;
	char *d = real_file("active/CVE-2020-7595", &len);
	char *start = d;
	for (int i = 1; i < line; i++)
		start = strchr(start, '\n') + 1;
	char *end = strchr(start, '\n');
	size_t head = (size_t)(start - d), tl = strlen(text), tail = len - (size_t)(end - d);
	char *out = malloc(head + tl + tail + 1);
	memcpy(out, d, head);
	memcpy(out + head, text, tl);
	memcpy(out + head + tl, end, tail);
	*n = head + tl + tail;
	out[*n] = '\0';
	free(d);
	return out;
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

struct bad_case {
	const char *name, *rel;
	char *data;
	size_t n;
	const char *expect;
};

static void test_malformed(void **state)
{
	(void)state;
	char *big = malloc(70001);
	memset(big, 'y', 70000);
	memcpy(big, "Notes: ", 7);
	big[70000] = '\0';
	char hugepkg[400] = "xenial_";
	memset(hugepkg + 7, 'p', 300);
	strcpy(hugepkg + 307, ": needed");
	char *garbage = malloc(2048);
	for (int i = 0; i < 2048; i++)
		garbage[i] = (char)(i * 7 + 3);
	size_t tarlen, n;
	char *tar = real_file("retired.tar.zst", &tarlen);
	/* Line 28 of CVE-2020-7595 is "xenial_libxml2: released (...)", line 15
	 * "Priority: low". */
	struct bad_case cases[] = {
		{ "truncated status", "active/CVE-2020-7595", replace_line(28, "xenial_libxml2: relea", &n), SIZE_MAX,
		  "active/CVE-2020-7595:28: unknown status 'relea'" },
		{ "binary garbage", "active/CVE-2020-7595", garbage, 2048, "active/CVE-2020-7595:1: control character" },
		{ "overlong line", "active/CVE-2020-7595", replace_line(12, big, &n), SIZE_MAX,
		  "active/CVE-2020-7595:12: line longer than" },
		{ "huge package name", "active/CVE-2020-7595", replace_line(28, hugepkg, &n), SIZE_MAX,
		  "active/CVE-2020-7595:28: package name longer than 256 bytes" },
		{ "no Candidate", "active/CVE-2020-7595", replace_line(2, "Candidat: CVE-2020-7595", &n), SIZE_MAX,
		  "active/CVE-2020-7595: no valid 'Candidate:' field" },
		{ "not a field", "active/CVE-2020-7595", replace_line(15, "Priority low", &n), SIZE_MAX,
		  "active/CVE-2020-7595:15: expected 'Field: value'" },
		{ "truncated tar.zst", "retired.tar.zst", tar, tarlen / 2, "retired.tar.zst" },
		{ "garbage tar.zst", "retired.tar.zst", strdup("(\xb5/\xfd garbage that is not zstd"), SIZE_MAX,
		  "retired.tar.zst" },
	};
	/* The database holds a good tree (the two real files above); each bad
	 * tree fails under the same source and leaves it as it was. */
	char good[4096];
	rec_tmpdir(good, sizeof good);
	const char *keep[] = { "active/CVE-2014-9911", "active/CVE-2020-7595" };
	for (int i = 0; i < 2; i++) {
		size_t k;
		char *d = real_file(keep[i], &k);
		rec_write(good, keep[i], d, k);
		free(d);
	}
	struct vulndb *db;
	struct berr e = { 0 };
	struct import_stats st = { 0 };
	if (vulndb_open(":memory:", true, &db, &e) || importer_ubuntu.import(db, good, &st, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(count_rows(db, "ubuntu:14.04", "libxml2"), 1);
	assert_int_equal(count_rows(db, "ubuntu:14.04", "icu"), 1);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char dir[4096];
		rec_tmpdir(dir, sizeof dir);
		if (cases[i].n == SIZE_MAX)
			cases[i].n = strlen(cases[i].data);
		rec_write(dir, cases[i].rel, cases[i].data, cases[i].n);
		if (strcmp(cases[i].rel, "retired.tar.zst") == 0) { /* plus a good file read before it */
			const char *ok = "Candidate: CVE-2099-0002\nxenial_a: needed\n";
			rec_write(dir, "active/CVE-2099-0002", ok, strlen(ok));
		}
		struct recsink r = { 0 };
		struct feed_sink s = recsink_sink(&r);
		struct import_stats st2 = { 0 };
		berr_clear(&e);
		int rc = ubuntu_import_dir(dir, &s, &st2, &e);
		if (rc == BOSUN_OK || !strstr(e.msg, cases[i].expect) || !strstr(e.msg, dir))
			fail_msg("%s: rc %d, '%s', expected '%s'", cases[i].name, rc, e.msg, cases[i].expect);
		print_message("%s: %s\n", cases[i].name, e.msg + strlen(dir) + 1);
		berr_clear(&e);
		assert_int_not_equal(importer_ubuntu.import(db, dir, &st2, &e), BOSUN_OK);
		assert_int_equal(count_rows(db, "ubuntu:14.04", "libxml2"), 1);
		assert_int_equal(count_rows(db, "ubuntu:14.04", "icu"), 1);
		assert_int_equal(count_rows(db, "ubuntu:16.04", "a"), 0);
		recsink_free(&r);
		rec_rmdir(dir);
		free(cases[i].data);
	}
	vulndb_close(db);
	rec_rmdir(good);
	free(big);
}

static void test_detect(void **state)
{
	(void)state;
	char p[4096];
	assert_true(importer_ubuntu.detect(uct_dir()));
	PATHF(p, "%s/vulndata", test_shared_dir());
	assert_false(importer_ubuntu.detect(p));
	PATHF(p, "%s/vulndata/debian", test_shared_dir());
	assert_false(importer_ubuntu.detect(p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cve_2014_9911), cmocka_unit_test(test_esm_lines), cmocka_unit_test(test_inline_forms),
		cmocka_unit_test(test_full_tree),     cmocka_unit_test(test_malformed), cmocka_unit_test(test_detect),
	};
	return cmocka_run_group_tests_name("ubuntu cve tracker", tests, NULL, NULL);
}
