/* Debian security tracker importer, on the real files in
 * $BOSUN_SHARED/vulndata/debian: the 20 data/CVE/list sample entries and 5
 * bookworm DSAs (tracker-entries-sample), the 2023-04 DSA/DLA lists and
 * config.json (security-tracker-2023-04) and debian-security-support.
 * Every expectation below is derived by hand from those files; the
 * derivation is in the comment above each check. */
#include "testutil.h"

#include "recsink.h"
#include "vulndb/distro_feed.h"
#include "vulndb/importer.h"
#include "vulndb/vulndb.h"

extern const struct importer importer_debian;

static const char *debian_dir(void)
{
	static char p[4096];
	PATHF(p, "%s/vulndata/debian", test_shared_dir());
	return p;
}

/* The whole debian/ tree is one source: every piece joined. */
static struct recsink sample;
static struct import_stats sample_st;

static int setup_sample(void **state)
{
	(void)state;
	struct feed_sink s = recsink_sink(&sample);
	struct berr e = { 0 };
	if (debian_import_dir(debian_dir(), &s, &sample_st, &e) != BOSUN_OK)
		fail_msg("import: %s", e.msg);
	return 0;
}

static int teardown_sample(void **state)
{
	(void)state;
	recsink_free(&sample);
	return 0;
}

static void test_shape(void **state)
{
	(void)state;
	/* begin once, dated by the newest advisory: DSA-list.sample's first
	 * entry "[01 Jul 2024] DSA-5724-1 openssh". */
	assert_int_equal(sample.begun, 1);
	assert_string_equal(sample.snapshot, "2024-07-01");
	/* files: CVE-list.sample, DSA-list.sample, DSA/list, DLA/list,
	 * config.json, security-support-ended.deb9..deb12, -limited = 10 */
	assert_int_equal(sample_st.files, 10);
	/* CVE-2023-20198 is only "RESERVED": skipped, no vulnerability */
	assert_null(rec_vuln(&sample, "CVE-2023-20198"));
	assert_true(sample_st.skipped >= 1);
	/* the summary is the header's text without its parentheses */
	const struct rec_vuln *v = rec_vuln(&sample, "CVE-2024-2961");
	assert_non_null(v);
	assert_string_equal(v->summary, "The iconv() function in the GNU C Library versions 2.39 and older may  ...");
	assert_string_equal(v->ref0, "https://security-tracker.debian.org/tracker/CVE-2024-2961");
}

static void test_glibc_dsa_join(void **state)
{
	(void)state;
	/* CVE-2024-2961: {DSA-5673-1 DLA-3807-1}, "- glibc 2.37-18 (bug
	 * #1069191)", no release lines. DSA-list.sample: DSA-5673-1 glibc
	 * {CVE-2024-2961} [bullseye] 2.31-13+deb11u9, [bookworm] 2.36-9+deb12u6.
	 * So bookworm and bullseye are fixed by the DSA, sid by the unstable
	 * line, and trixie (in config.json, no own line, no DSA) follows
	 * unstable. DLA-3807-1 is not in the 2023 DLA list: buster follows
	 * unstable too. */
	rec_check(&sample, "CVE-2024-2961", "debian:12", "glibc", AFFECT_FIXED, "2.36-9+deb12u6", "DSA-5673-1");
	rec_check(&sample, "CVE-2024-2961", "debian:11", "glibc", AFFECT_FIXED, "2.31-13+deb11u9", "DSA-5673-1");
	rec_check(&sample, "CVE-2024-2961", "debian:sid", "glibc", AFFECT_FIXED, "2.37-18", NULL);
	rec_check(&sample, "CVE-2024-2961", "debian:13", "glibc", AFFECT_FIXED, "2.37-18", "as in unstable");
	rec_check(&sample, "CVE-2024-2961", "debian:10", "glibc", AFFECT_FIXED, "2.37-18", "as in unstable");
	/* config.json lists potato..etch without suite members: no rows */
	assert_null(rec_find(&sample, "CVE-2024-2961", "debian:3.0", "glibc"));
	/* CVE-2023-4911: "- glibc <unfixed>", [buster] <not-affected>; DSA-5514-1
	 * fixes bullseye 2.31-13+deb11u7 and bookworm 2.36-9+deb12u3. */
	rec_check(&sample, "CVE-2023-4911", "debian:12", "glibc", AFFECT_FIXED, "2.36-9+deb12u3", "DSA-5514-1");
	rec_check(&sample, "CVE-2023-4911", "debian:11", "glibc", AFFECT_FIXED, "2.31-13+deb11u7", NULL);
	rec_check(&sample, "CVE-2023-4911", "debian:10", "glibc", AFFECT_NOT_AFFECTED, NULL,
		  "Vulnerable code introduced later");
	rec_check(&sample, "CVE-2023-4911", "debian:sid", "glibc", AFFECT_UNFIXED, NULL, NULL);
	rec_check(&sample, "CVE-2023-4911", "debian:13", "glibc", AFFECT_UNFIXED, NULL, "as in unstable");
}

static void test_expat_and_libxmltok(void **state)
{
	(void)state;
	/* CVE-2023-52425: "- expat 2.6.0-1 (bug #1063238)", "[bookworm] - expat
	 * 2.5.0-1+deb12u2"; "- libxmltok <removed>", "[bookworm] - libxmltok
	 * <ignored> (Minor issue, no runtime dependencies left)". */
	rec_check(&sample, "CVE-2023-52425", "debian:12", "expat", AFFECT_FIXED, "2.5.0-1+deb12u2", NULL);
	rec_check(&sample, "CVE-2023-52425", "debian:sid", "expat", AFFECT_FIXED, "2.6.0-1", NULL);
	rec_check(&sample, "CVE-2023-52425", "debian:11", "expat", AFFECT_FIXED, "2.6.0-1", "as in unstable");
	rec_check(&sample, "CVE-2023-52425", "debian:12", "libxmltok", AFFECT_WONT_FIX, NULL,
		  "Minor issue, no runtime dependencies left");
	/* <removed> in unstable leaves the releases that still have it open */
	rec_check(&sample, "CVE-2023-52425", "debian:sid", "libxmltok", AFFECT_UNFIXED, NULL, "removed from unstable");
	rec_check(&sample, "CVE-2023-52425", "debian:11", "libxmltok", AFFECT_UNFIXED, NULL, "as in unstable");
}

static void test_xz_and_openssh(void **state)
{
	(void)state;
	/* CVE-2024-3094: "- xz-utils 5.6.1+really5.4.5-1", bookworm, bullseye,
	 * buster <not-affected> (Vulnerable code not present). */
	const char *rels[] = { "debian:12", "debian:11", "debian:10" };
	for (int i = 0; i < 3; i++)
		rec_check(&sample, "CVE-2024-3094", rels[i], "xz-utils", AFFECT_NOT_AFFECTED, NULL,
			  "Vulnerable code not present");
	rec_check(&sample, "CVE-2024-3094", "debian:sid", "xz-utils", AFFECT_FIXED, "5.6.1+really5.4.5-1", NULL);
	rec_check(&sample, "CVE-2024-3094", "debian:13", "xz-utils", AFFECT_FIXED, "5.6.1+really5.4.5-1", NULL);
	/* CVE-2024-6387: "- openssh 1:9.7p1-7", "[bullseye] - openssh
	 * <not-affected> (Vulnerable code introduced later)"; bookworm has no
	 * line of its own, but DSA-5724-1 {CVE-2024-6387} fixes it at
	 * 1:9.2p1-2+deb12u3, which beats following unstable. */
	rec_check(&sample, "CVE-2024-6387", "debian:11", "openssh", AFFECT_NOT_AFFECTED, NULL,
		  "Vulnerable code introduced later");
	rec_check(&sample, "CVE-2024-6387", "debian:12", "openssh", AFFECT_FIXED, "1:9.2p1-2+deb12u3", "DSA-5724-1");
	rec_check(&sample, "CVE-2024-6387", "debian:13", "openssh", AFFECT_FIXED, "1:9.7p1-7", "as in unstable");
}

static void test_statuses_and_urgency(void **state)
{
	(void)state;
	/* CVE-2023-50495: [bookworm] - ncurses <no-dsa> (Minor issue) */
	rec_check(&sample, "CVE-2023-50495", "debian:12", "ncurses", AFFECT_NO_DSA, NULL, "Minor issue");
	/* CVE-2023-7008: [buster] - systemd <postponed> (Minor issue, ...) */
	rec_check(&sample, "CVE-2023-7008", "debian:10", "systemd", AFFECT_POSTPONED, NULL, "should be fixed after");
	/* CVE-2023-4863: [buster] - chromium <end-of-life> (see DSA 5046) */
	rec_check(&sample, "CVE-2023-4863", "debian:10", "chromium", AFFECT_END_OF_LIFE, NULL, "see DSA 5046");
	/* "- chromium 117.0.5938.62-1 (unimportant)": NEGLIGIBLE, and the
	 * releases that follow unstable take that urgency */
	assert_int_equal(rec_find(&sample, "CVE-2023-4863", "debian:sid", "chromium")->sev, SEV_NEGLIGIBLE);
	assert_int_equal(rec_find(&sample, "CVE-2023-4863", "debian:12", "chromium")->sev, SEV_NEGLIGIBLE);
	/* CVE-2016-2781: "- coreutils 9.4-1 (low; bug #816320)", bookworm
	 * <ignored> (Minor issue): WONT_FIX, urgency from the unstable line */
	const struct rec_affected *c = rec_find(&sample, "CVE-2016-2781", "debian:12", "coreutils");
	assert_non_null(c);
	assert_int_equal(c->status, AFFECT_WONT_FIX);
	assert_int_equal(c->sev, SEV_LOW);
	/* wheezy has its own <ignored> line too */
	rec_check(&sample, "CVE-2016-2781", "debian:7", "coreutils", AFFECT_WONT_FIX, NULL, "Minor issue");
	/* CVE-2011-3374: "- apt <unfixed> (unimportant; bug #642480)" */
	c = rec_find(&sample, "CVE-2011-3374", "debian:12", "apt");
	assert_non_null(c);
	assert_int_equal(c->status, AFFECT_UNFIXED);
	assert_int_equal(c->sev, SEV_NEGLIGIBLE);
	/* "not yet assigned" (no urgency at all) is UNKNOWN */
	assert_int_equal(rec_find(&sample, "CVE-2024-3094", "debian:sid", "xz-utils")->sev, SEV_UNKNOWN);
}

static void test_multi_package_and_support(void **state)
{
	(void)state;
	/* CVE-2023-44487 spans 13 source packages; a few of them: */
	rec_check(&sample, "CVE-2023-44487", "debian:12", "grpc", AFFECT_NO_DSA, NULL, "Minor issue");
	rec_check(&sample, "CVE-2023-44487", "debian:sid", "grpc", AFFECT_UNFIXED, NULL, NULL);
	rec_check(&sample, "CVE-2023-44487", "debian:11", "varnish", AFFECT_WONT_FIX, NULL, "too intrusive");
	rec_check(&sample, "CVE-2023-44487", "debian:10", "dnsdist", AFFECT_NOT_AFFECTED, NULL, "HTTP/2 support");
	rec_check(&sample, "CVE-2023-44487", "debian:11", "dnsdist", AFFECT_NO_DSA, NULL, "Minor issue");
	/* security-support-ended.deb12: "dnsdist 1.7.3-2 2025-10-01 No security
	 * support upstream ...": bookworm's open <no-dsa> becomes end-of-life */
	rec_check(&sample, "CVE-2023-44487", "debian:12", "dnsdist", AFFECT_END_OF_LIFE, NULL,
		  "security support ended 2025-10-01 (last supported version 1.7.3-2)");
	rec_check(&sample, "CVE-2023-44487", "debian:sid", "nghttp2", AFFECT_FIXED, "1.57.0-1", NULL);
	/* "- tomcat9 9.0.70-2", no release line, no DSA in our lists for it */
	rec_check(&sample, "CVE-2023-44487", "debian:12", "tomcat9", AFFECT_FIXED, "9.0.70-2", "as in unstable");
	/* CVE-2021-44228 {DSA-5020-1 DLA-2842-1}, "- apache-log4j2 2.15.0-1":
	 * the 2023 DSA list has DSA-5020-1 [buster] 2.15.0-1~deb10u1 and
	 * [bullseye] 2.15.0-1~deb11u1, the DLA list DLA-2842-1 [stretch]
	 * 2.7-2+deb9u1 */
	rec_check(&sample, "CVE-2021-44228", "debian:11", "apache-log4j2", AFFECT_FIXED, "2.15.0-1~deb11u1",
		  "DSA-5020-1");
	rec_check(&sample, "CVE-2021-44228", "debian:10", "apache-log4j2", AFFECT_FIXED, "2.15.0-1~deb10u1", NULL);
	rec_check(&sample, "CVE-2021-44228", "debian:9", "apache-log4j2", AFFECT_FIXED, "2.7-2+deb9u1", "DLA-2842-1");
	rec_check(&sample, "CVE-2021-44228", "debian:12", "apache-log4j1.2", AFFECT_NOT_AFFECTED, NULL,
		  "Vulnerable code not present");
}

static void test_advisory_only(void **state)
{
	(void)state;
	/* The 2023 lists alone (no CVE list entry): "[29 Mar 2023] DSA-5380-1
	 * xorg-server {CVE-2023-1393} [bullseye] - xorg-server
	 * 2:1.20.11-1+deb11u6" and "[29 Mar 2023] DLA-3372-1 xorg-server
	 * {CVE-2023-1393} [buster] - xorg-server 2:1.20.4-1+deb10u9". Without
	 * an unstable line nothing else is known: no bookworm row. */
	rec_check(&sample, "CVE-2023-1393", "debian:11", "xorg-server", AFFECT_FIXED, "2:1.20.11-1+deb11u6",
		  "DSA-5380-1");
	rec_check(&sample, "CVE-2023-1393", "debian:10", "xorg-server", AFFECT_FIXED, "2:1.20.4-1+deb10u9",
		  "DLA-3372-1");
	assert_null(rec_find(&sample, "CVE-2023-1393", "debian:12", "xorg-server"));
	assert_non_null(rec_vuln(&sample, "CVE-2023-1393"));
	/* CVE-2022-3201 is listed by DSA-5230-1 (15 Sep 2022, chromium
	 * 105.0.5195.125-1~deb11u1) and again by DSA-5244-1 (28 Sep 2022,
	 * 106.0.5249.61-1~deb11u1): the first fix counts. */
	rec_check(&sample, "CVE-2022-3201", "debian:11", "chromium", AFFECT_FIXED, "105.0.5195.125-1~deb11u1",
		  "DSA-5230-1");
	/* woody: "[woody] - sudo 1.6.6-1.3woody1 (medium)" in DSA-735-1/-2 for
	 * CVE-2005-1993: the advisory line's urgency is the severity */
	const struct rec_affected *s = rec_find(&sample, "CVE-2005-1993", "debian:3.0", "sudo");
	assert_non_null(s);
	assert_int_equal(s->sev, SEV_MEDIUM);
	assert_string_equal(s->fixed[0], "1.6.6-1.3woody1");
	/* "[woody] - mozilla <unfixed>" in DSA-866-1 for CVE-2005-2871 */
	rec_check(&sample, "CVE-2005-2871", "debian:3.0", "mozilla", AFFECT_UNFIXED, NULL, "DSA-866-1");
}

/* ---- inline lists: forms the samples do not have ------------------------- */

static const char inline_dsa[] = "[10 Jan 2024] DSA-9999-1 foo - security update\n"
				 "\t{CVE-2024-0001 CVE-2024-0002}\n"
				 "\t[bookworm] - foo 1.0-1+deb12u1\n"
				 "\t[bullseye] - foo 0.9-1+deb11u1\n";

static const char inline_cves[] = "begin claimed by someone\n"
				  "CVE-2024-0001 (Foo overflow)\n"
				  "\t- foo 1.1-1\n"
				  "\t[bookworm] - foo <not-affected> (Vulnerable code not present)\n"
				  "\t[experimental] - foo 1.2-1\n"
				  "end claimed by someone\n"
				  "CVE-2023-XXXX [heap overflow in foo]\n"
				  "\t- foo <unfixed> (bug #1234567)\n"
				  "CVE-2024-0003\n"
				  "\tNOT-FOR-US: Some proprietary thing\n"
				  "CVE-2024-0004\n"
				  "\tREJECTED\n"
				  "CVE-2024-0005 (Bar)\n"
				  "\t- newpkg <itp> (bug #1000000)\n"
				  "\t- bar <undetermined>\n"
				  "\t- baz (bug #42)\n"
				  "\tTODO: check\n"
				  "--\n"
				  "CVE-2024-0006 (Qux)\n"
				  "\t- foo 1.2-1\n"
				  "\t- qux 3.0-1\n";

/* security-support-ended.deb12 and -limited lines for the entries above */
static const char inline_ended[] = "# comment\n"
				   "foo        1.5-1   2024-01-01  https://example.org/foo\n"
				   "qux\t2.0-1\t\t2023-05-01\tunmaintained upstream\n"
				   "baz.*      0       2020-01-01\n";
static const char inline_limited[] = "bar             Only for trusted content\n";

static void test_inline_forms(void **state)
{
	(void)state;
	struct debian_tracker *t;
	struct recsink r = { 0 };
	struct feed_sink s = recsink_sink(&r);
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	assert_int_equal(debian_tracker_new(&t), BOSUN_OK);
	if (debian_tracker_add_advisories(t, "DSA/list", "DSA", inline_dsa, strlen(inline_dsa), &e) ||
	    debian_tracker_add_support(t, "ended.deb12", 12, false, inline_ended, strlen(inline_ended), &e) ||
	    debian_tracker_add_support(t, "limited", 12, true, inline_limited, strlen(inline_limited), &e) ||
	    debian_tracker_emit_cve_list(t, "CVE/list", inline_cves, strlen(inline_cves), &s, &st, &e) ||
	    debian_tracker_emit_advisory_only(t, &s, &st, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(debian_tracker_snapshot(t), "2024-01-10");
	/* own [bookworm] line beats the DSA; bullseye has none: the DSA fixes it */
	rec_check(&r, "CVE-2024-0001", "debian:12", "foo", AFFECT_NOT_AFFECTED, NULL, "Vulnerable code not present");
	rec_check(&r, "CVE-2024-0001", "debian:11", "foo", AFFECT_FIXED, "0.9-1+deb11u1", "DSA-9999-1");
	rec_check(&r, "CVE-2024-0001", "debian:sid", "foo", AFFECT_FIXED, "1.1-1", NULL);
	/* [experimental] has no database key */
	for (size_t i = 0; i < r.na; i++)
		assert_null(strstr(r.a[i].eco, "experimental"));
	/* CVE-2024-0002 is only in the DSA */
	rec_check(&r, "CVE-2024-0002", "debian:12", "foo", AFFECT_FIXED, "1.0-1+deb12u1", "DSA-9999-1");
	/* CVE-YYYY-XXXX takes the tracker's TEMP name: first bug number, md5 of
	 * the description: md5("heap overflow in foo") = 43ac26... */
	rec_check(&r, "TEMP-1234567-43AC26", "debian:sid", "foo", AFFECT_UNFIXED, NULL, NULL);
	/* NOT-FOR-US and REJECTED: nothing */
	assert_null(rec_vuln(&r, "CVE-2024-0003"));
	assert_null(rec_vuln(&r, "CVE-2024-0004"));
	/* <itp>: not in the archive, no rows; <undetermined>; "- baz (bug #42)"
	 * without a version is unfixed */
	for (size_t i = 0; i < r.na; i++)
		assert_string_not_equal(r.a[i].pkg, "newpkg");
	rec_check(&r, "CVE-2024-0005", "debian:sid", "bar", AFFECT_UNDETERMINED, NULL, NULL);
	rec_check(&r, "CVE-2024-0005", "debian:12", "bar", AFFECT_UNDETERMINED, NULL, "as in unstable");
	rec_check(&r, "CVE-2024-0005", "debian:sid", "baz", AFFECT_UNFIXED, NULL, NULL);
	assert_int_equal(st.skipped, 2);
	/* support lists: "baz.* 0 2020-01-01" ended baz in bookworm: its open
	 * row is end-of-life; "bar ... Only for trusted content" is limited */
	rec_check(&r, "CVE-2024-0005", "debian:12", "baz", AFFECT_END_OF_LIFE, NULL,
		  "security support ended 2020-01-01 (last supported version 0)");
	rec_check(&r, "CVE-2024-0005", "debian:11", "baz", AFFECT_UNFIXED, NULL, "as in unstable");
	rec_check(&r, "CVE-2024-0005", "debian:12", "bar", AFFECT_UNDETERMINED, NULL,
		  "limited security support: Only for trusted content");
	/* "foo 1.5-1": bookworm's foo was supported up to 1.5-1, so unstable's
	 * fix 1.2-1 reached it; "qux 2.0-1": the fix 3.0-1 came after support
	 * ended */
	rec_check(&r, "CVE-2024-0006", "debian:12", "foo", AFFECT_FIXED, "1.2-1", "as in unstable");
	rec_check(&r, "CVE-2024-0006", "debian:12", "qux", AFFECT_END_OF_LIFE, NULL,
		  "security support ended 2023-05-01 (last supported version 2.0-1): unmaintained upstream");
	rec_check(&r, "CVE-2024-0006", "debian:11", "qux", AFFECT_FIXED, "3.0-1", "as in unstable");
	debian_tracker_free(t);
	recsink_free(&r);
}

/* ---- the JSON export --------------------------------------------------- */

static const char tracker_json[] =
	"{\n"
	"  \"openssl\": {\n"
	"    \"CVE-2023-5363\": {\n"
	"      \"description\": \"Incorrect cipher key & IV length processing\",\n"
	"      \"scope\": \"local\",\n"
	"      \"releases\": {\n"
	"        \"bookworm\": {\"status\": \"resolved\", \"fixed_version\": \"3.0.11-1~deb12u2\",\n"
	"                      \"urgency\": \"not yet assigned\", \"repositories\": {\"bookworm\": \"3.0.11-1~deb12u2\"}},\n"
	"        \"bullseye\": {\"status\": \"resolved\", \"fixed_version\": \"0\", \"urgency\": \"not yet assigned\"},\n"
	"        \"sid\": {\"status\": \"open\", \"urgency\": \"high**\"}\n"
	"      }\n"
	"    }\n"
	"  },\n"
	"  \"ncurses\": {\n"
	"    \"CVE-2023-50495\": {\n"
	"      \"releases\": {\n"
	"        \"bookworm\": {\"status\": \"open\", \"urgency\": \"low\", \"nodsa\": \"Minor issue\",\n"
	"                      \"nodsa_reason\": \"\"},\n"
	"        \"bullseye\": {\"status\": \"open\", \"urgency\": \"low\", \"nodsa\": \"Minor issue\",\n"
	"                      \"nodsa_reason\": \"ignored\"},\n"
	"        \"buster\": {\"status\": \"open\", \"urgency\": \"end-of-life\"},\n"
	"        \"trixie\": {\"status\": \"undetermined\"},\n"
	"        \"experimental\": {\"status\": \"open\"}\n"
	"      }\n"
	"    }\n"
	"  }\n"
	"}\n";

static void test_json_export(void **state)
{
	(void)state;
	char dir[4096];
	rec_tmpdir(dir, sizeof dir);
	rec_write(dir, "json", tracker_json, strlen(tracker_json));
	struct recsink r = { 0 };
	struct feed_sink s = recsink_sink(&r);
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	if (debian_import_dir(dir, &s, &st, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	/* resolved with a version: fixed; with "0": not affected */
	rec_check(&r, "CVE-2023-5363", "debian:12", "openssl", AFFECT_FIXED, "3.0.11-1~deb12u2", NULL);
	rec_check(&r, "CVE-2023-5363", "debian:11", "openssl", AFFECT_NOT_AFFECTED, NULL, NULL);
	rec_check(&r, "CVE-2023-5363", "debian:sid", "openssl", AFFECT_UNFIXED, NULL, NULL);
	assert_int_equal(rec_find(&r, "CVE-2023-5363", "debian:sid", "openssl")->sev, SEV_HIGH);
	assert_string_equal(rec_vuln(&r, "CVE-2023-5363")->summary, "Incorrect cipher key & IV length processing");
	/* open + nodsa: no-dsa; nodsa_reason ignored: will not fix; urgency
	 * end-of-life: end of life; undetermined */
	rec_check(&r, "CVE-2023-50495", "debian:12", "ncurses", AFFECT_NO_DSA, NULL, "Minor issue");
	rec_check(&r, "CVE-2023-50495", "debian:11", "ncurses", AFFECT_WONT_FIX, NULL, "Minor issue");
	rec_check(&r, "CVE-2023-50495", "debian:10", "ncurses", AFFECT_END_OF_LIFE, NULL, NULL);
	rec_check(&r, "CVE-2023-50495", "debian:13", "ncurses", AFFECT_UNDETERMINED, NULL, NULL);
	assert_int_equal(r.na, 7);
	recsink_free(&r);
	rec_rmdir(dir);
}

/* ---- malformed copies -------------------------------------------------- */

static size_t count_rows(struct vulndb *db, const char *eco, const char *pkg);

struct bad_case {
	const char *name;
	const char *rel;    /* where the bad file goes in the tree */
	char *data;
	size_t n;
	const char *expect; /* in the message: file and line */
};

static char *sample_prefix(const char *name, size_t cut, size_t *n)
{
	char p[4096];
	PATHF(p, "%s/tracker-entries-sample/%s", debian_dir(), name);
	size_t len;
	char *d = (char *)test_read_file(p, &len);
	*n = cut < len ? cut : len;
	d[*n] = '\0'; /* the cases take their length with strlen */
	return d;
}

/* Offset just after the first occurrence of needle in the sample. */
static size_t offset_after(const char *name, const char *needle)
{
	size_t n;
	char *d = sample_prefix(name, SIZE_MAX, &n);
	char *hit = strstr(d, needle);
	assert_non_null(hit);
	size_t off = (size_t)(hit - d) + strlen(needle);
	free(d);
	return off;
}

static char *with_line(const char *line, size_t *n)
{
	size_t len;
	char *d = sample_prefix("CVE-list.sample", SIZE_MAX, &len);
	/* the bad line goes after CVE-2024-6387's first annotation (line 2) */
	char *nl = strchr(d, '\n');
	nl = strchr(nl + 1, '\n') + 1;
	size_t head = (size_t)(nl - d), ln = strlen(line);
	char *out = malloc(len + ln + 2);
	memcpy(out, d, head);
	memcpy(out + head, line, ln);
	out[head + ln] = '\n';
	memcpy(out + head + ln + 1, nl, len - head);
	*n = len + ln + 1;
	out[*n] = '\0';
	free(d);
	return out;
}

static char *garbage(size_t n)
{
	char *g = malloc(n);
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		g[i] = (char)x;
	}
	return g;
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

static void test_malformed(void **state)
{
	(void)state;
	char *overlong = malloc(100001);
	memset(overlong, 'x', 100000);
	overlong[100000] = '\0';
	memcpy(overlong, "\tNOTE: ", 7);
	char hugepkg[400] = "\t- ";
	memset(hugepkg + 3, 'p', 300);
	strcpy(hugepkg + 303, " 1.0-1");
	size_t n;
	struct bad_case cases[] = {
		/* cut inside "CVE-2024-2961 (The iconv() fun": line 15, no ')' */
		{ "truncated header", "data/CVE/list",
		  sample_prefix("CVE-list.sample", offset_after("CVE-list.sample", "(The iconv() fun"), &n), SIZE_MAX,
		  "data/CVE/list:15: missing closing ')'" },
		{ "binary garbage", "data/CVE/list", garbage(4096), 4096, "data/CVE/list:1: " },
		{ "overlong line", "data/CVE/list", with_line(overlong, &n), SIZE_MAX, "data/CVE/list:3: line longer than" },
		{ "huge package name", "data/CVE/list", with_line(hugepkg, &n), SIZE_MAX, "data/CVE/list:3: package name longer than 256 bytes" },
		{ "unknown special version", "data/CVE/list", with_line("\t- openssh <fixed-later>", &n), SIZE_MAX,
		  "data/CVE/list:3: invalid special version <fixed-later>" },
		{ "no-dsa without release", "data/CVE/list", with_line("\t- openssh <no-dsa> (Minor issue)", &n), SIZE_MAX,
		  "data/CVE/list:3: <no-dsa>" },
		{ "stray text", "data/CVE/list", with_line("\tWHATEVER this is", &n), SIZE_MAX,
		  "data/CVE/list:3: expected CVE annotation" },
		{ "bad cross reference", "data/CVE/list", with_line("\t{DSA-5673-1 GHSA-xxxx}", &n), SIZE_MAX,
		  "data/CVE/list:3: invalid cross reference 'GHSA-xxxx'" },
		/* "[23 Apr 20": the DSA header cut short, line 4 */
		{ "truncated DSA list", "data/DSA/list",
		  sample_prefix("DSA-list.sample", offset_after("DSA-list.sample", "[23 Apr 20"), &n), SIZE_MAX,
		  "data/DSA/list:4: expected '[DD Mon YYYY] DSA-N' header" },
		{ "bad month", "data/DSA/list", strdup("[01 Foo 2024] DSA-1-1 x - y\n"), SIZE_MAX,
		  "data/DSA/list:1: invalid month name 'Foo'" },
		{ "truncated JSON", "json", strdup("{\"openssl\": {\"CVE-1\": {\"releases\": {\n"), SIZE_MAX,
		  "json: invalid JSON at line" },
		{ "JSON wrong type", "json", strdup("{\"releases\": 1,\n \"openssl\": [\"CVE-2023-5363\"]}\n"), SIZE_MAX,
		  "json:1: releases: package is not an object" },
		{ "JSON unknown status", "json",
		  strdup("{\"a\": {\"CVE-1\": {\n\"releases\": {\"bookworm\": {\"status\": \"gone\"}}}}}"), SIZE_MAX,
		  "json:1: CVE-1: unknown release status" },
	};
	/* The database: the sample tree imported, then each bad tree must fail
	 * under the same source name and leave those rows in place. */
	struct vulndb *db;
	struct berr e = { 0 };
	struct import_stats st = { 0 };
	if (vulndb_open(":memory:", true, &db, &e) || importer_debian.import(db, debian_dir(), &st, &e))
		fail_msg("%s", e.msg);
	size_t before = count_rows(db, "debian:12", "glibc");
	assert_int_equal(before, 2); /* CVE-2024-2961 and CVE-2023-4911 */
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char dir[4096];
		rec_tmpdir(dir, sizeof dir);
		if (cases[i].n == SIZE_MAX)
			cases[i].n = strlen(cases[i].data);
		rec_write(dir, cases[i].rel, cases[i].data, cases[i].n);
		struct recsink r = { 0 };
		struct feed_sink s = recsink_sink(&r);
		struct import_stats st2 = { 0 };
		berr_clear(&e);
		int rc = debian_import_dir(dir, &s, &st2, &e);
		if (rc == BOSUN_OK || !strstr(e.msg, cases[i].expect) || !strstr(e.msg, dir))
			fail_msg("%s: rc %d, '%s', expected '%s'", cases[i].name, rc, e.msg, cases[i].expect);
		print_message("%s: %s\n", cases[i].name, e.msg + strlen(dir) + 1);
		berr_clear(&e);
		assert_int_not_equal(importer_debian.import(db, dir, &st2, &e), BOSUN_OK);
		assert_int_equal(count_rows(db, "debian:12", "glibc"), before);
		recsink_free(&r);
		rec_rmdir(dir);
		free(cases[i].data);
	}
	vulndb_close(db);
	free(overlong);
}

static void test_detect(void **state)
{
	(void)state;
	char p[4096];
	assert_true(importer_debian.detect(debian_dir()));
	PATHF(p, "%s/security-tracker-2023-04", debian_dir());
	assert_true(importer_debian.detect(p));
	PATHF(p, "%s/vulndata", test_shared_dir());
	assert_false(importer_debian.detect(p)); /* a directory of feeds, two levels up */
	PATHF(p, "%s/vulndata/alpine-secdb", test_shared_dir());
	assert_false(importer_debian.detect(p));
}

int main(void)
{
	const struct CMUnitTest sample_tests[] = {
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_glibc_dsa_join),
		cmocka_unit_test(test_expat_and_libxmltok),
		cmocka_unit_test(test_xz_and_openssh),
		cmocka_unit_test(test_statuses_and_urgency),
		cmocka_unit_test(test_multi_package_and_support),
		cmocka_unit_test(test_advisory_only),
	};
	const struct CMUnitTest other_tests[] = {
		cmocka_unit_test(test_inline_forms),
		cmocka_unit_test(test_json_export),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_detect),
	};
	int fails = cmocka_run_group_tests_name("debian sample tree", sample_tests, setup_sample, teardown_sample);
	return fails + cmocka_run_group_tests_name("debian forms", other_tests, NULL, NULL);
}
