/* Matching accuracy: an erratum's related CVEs (AlmaLinux's ALSA: KEV,
 * ignore files, VEX, one finding with another feed's CVE), severity from
 * other sources' evidence, Composer's order for Packagist, and one finding
 * per RustSec id when two feeds carry it. Databases are built here through
 * vulndb.h (the RustSec case also from the real feeds); each expectation is
 * worked out in the comment above it. */
#include "matchtest.h"

#include <sqlite3.h>
#include <unistd.h>

#include "policy/ignore.h"
#include "policy/vex.h"
#include "report/report.h"
#include "util/log.h"
#include "vulndb/importer.h"
#include "vulndb/osv.h"

/* ---- errata: related CVEs ---- */

/* foo: ALSA-2024:0001 fixes CVE-2024-1111 and CVE-2024-2222 (related only,
 * like every ALSA), rated "Important"; CVE-2024-1111 is in KEV.
 * bar: ALSA-2024:0002 has a CVE of its own (CVE-2024-4444) and names
 * CVE-2024-1111 as similar: related ids are information only. */
static void build_errata(struct vulndb *db)
{
	begin(db, "osv:almalinux");
	const char *fixes[] = { "CVE-2024-1111", "CVE-2024-2222" };
	put_vuln(db, &(struct vuln_record){ .id = "ALSA-2024:0001", .summary = "Important: foo security update",
					    .severity = SEV_HIGH, .related = fixes, .nrelated = 2 });
	put_aff(db, "ALSA-2024:0001", "almalinux:9", "foo", AFFECT_FIXED, SEV_UNKNOWN, "1.0-2.el9");
	const char *own[] = { "CVE-2024-4444" }, *similar[] = { "CVE-2024-1111" };
	put_vuln(db, &(struct vuln_record){ .id = "ALSA-2024:0002", .aliases = own, .naliases = 1,
					    .related = similar, .nrelated = 1 });
	put_aff(db, "ALSA-2024:0002", "almalinux:9", "bar", AFFECT_FIXED, SEV_UNKNOWN, "2.0-1.el9");
	commit(db);
	begin(db, "kev");
	put_kev(db, "CVE-2024-1111", "2024-05-01");
	commit(db);
}

static struct artifact alma_artifact(void)
{
	struct artifact a;
	artifact_init(&a);
	set_os(&a, "almalinux", "alma", "9.3");
	const char *names[] = { "foo", "bar" };
	for (int i = 0; i < 2; i++) {
		struct package *p = add_pkg(&a, PKG_RPM, names[i], "1.0-1.el9", NULL, NULL, NULL);
		p->purl = arena_printf(&a.arena, "pkg:rpm/almalinux/%s@1.0-1.el9?distro=almalinux-9.3", names[i]);
	}
	return a;
}

struct got_vuln {
	bool found, related_fixed, kev;
	size_t nrelated;
	char kev_date[16];
};

static int on_vuln(const struct vuln_info *v, void *arg)
{
	struct got_vuln *g = arg;
	g->found = true;
	g->related_fixed = v->related_fixed;
	g->nrelated = v->nrelated;
	g->kev = v->kev;
	snprintf(g->kev_date, sizeof g->kev_date, "%s", v->kev_date_added ? v->kev_date_added : "");
	return BOSUN_OK;
}

static struct got_vuln get_vuln(struct vulndb *db, const char *id)
{
	struct got_vuln g = { 0 };
	struct berr e = { 0 };
	if (vulndb_get_vuln(db, id, on_vuln, &g, &e) != BOSUN_OK)
		fail_msg("get_vuln %s: %s", id, e.msg);
	return g;
}

static void test_erratum_findings(void **state)
{
	(void)state;
	struct vulndb *db = db_open();
	build_errata(db);
	/* the store: related ids kept, an erratum known exploited through one */
	struct got_vuln g = get_vuln(db, "ALSA-2024:0001");
	assert_true(g.found && g.related_fixed && g.kev);
	assert_int_equal(g.nrelated, 2);
	assert_string_equal(g.kev_date, "2024-05-01");
	g = get_vuln(db, "ALSA-2024:0002");
	assert_true(g.found);
	assert_false(g.related_fixed);
	assert_false(g.kev); /* its similar CVE's KEV entry is not its own */

	struct artifact a = alma_artifact();
	struct match_result r;
	run_match(db, &a, &r);
	assert_int_equal(r.n, 2);
	const struct vuln_match *m = find(&r, &a, "foo", "ALSA-2024:0001");
	assert_non_null(m);
	assert_int_equal(m->naliases, 0);
	assert_int_equal(m->nrelated, 2);
	assert_string_equal(m->related[0], "CVE-2024-1111");
	assert_string_equal(m->related[1], "CVE-2024-2222");
	assert_true(m->related_fixed);
	assert_true(m->kev);
	assert_string_equal(m->kev_date, "2024-05-01");
	assert_int_equal(m->severity, SEV_HIGH);
	assert_string_equal(m->severity_source, "almalinux"); /* the rater is the distro, not "osv:almalinux" */
	/* reported under its own CVE, the ALSA an alias, the similar CVE only listed */
	m = find(&r, &a, "bar", "CVE-2024-4444");
	assert_non_null(m);
	assert_int_equal(m->naliases, 1);
	assert_string_equal(m->aliases[0], "ALSA-2024:0002");
	assert_int_equal(m->nrelated, 1);
	assert_string_equal(m->related[0], "CVE-2024-1111");
	assert_false(m->related_fixed);
	assert_false(m->kev);
	match_result_free(&r);
	artifact_free(&a);
	vulndb_close(db);
}

static enum finding_state state_of(const struct vuln_report *rep, const char *id)
{
	for (size_t i = 0; i < rep->n; i++)
		if (strcmp(rep->f[i].m->id, id) == 0)
			return rep->f[i].state;
	fail_msg("%s not in the report", id);
	return FINDING_REPORTED;
}

/* The report's policy with one ignore file, or one VEX document. */
static void policy_run(struct artifact *a, const struct match_result *r, const char *ignore, const char *vex,
		       struct vuln_report *rep, struct ignore_list *ig, struct vex_set *vx)
{
	struct berr e = { 0 };
	struct report_policy p = { 0 };
	if (ignore) {
		assert_int_equal(ignore_parse(ignore, strlen(ignore), "ign", "2024-06-01", ig, &e), BOSUN_OK);
		p.ignores = ig;
	}
	if (vex) {
		assert_int_equal(vex_parse(vx, vex, strlen(vex), "v.json", &e), BOSUN_OK);
		p.vex = vx;
	}
	assert_int_equal(report_build(a, r, NULL, &p, rep, &e), BOSUN_OK);
}

#define VEX_HEAD                                                                                               \
	"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"timestamp\": \"2024-06-01T00:00:00Z\", "          \
	"\"statements\": ["
#define VEX_FOO(cve, status)                                                                                   \
	"{\"vulnerability\": {\"name\": \"" cve "\"}, \"products\": [{\"@id\": \"pkg:rpm/almalinux/foo\"}], " \
	"\"status\": \"" status "\", \"justification\": \"component_not_present\"}"

static void test_erratum_policy(void **state)
{
	(void)state;
	struct vulndb *db = db_open();
	build_errata(db);
	struct artifact a = alma_artifact();
	struct match_result r;
	run_match(db, &a, &r);
	struct vuln_report rep;
	struct ignore_list ig;
	struct vex_set vx = { 0 };

	/* Accepting one of the two CVEs foo's erratum fixes says nothing about
	 * the other; bar's similar CVE is not bar's. */
	policy_run(&a, &r, "CVE-2024-1111\n", NULL, &rep, &ig, NULL);
	assert_int_equal(state_of(&rep, "ALSA-2024:0001"), FINDING_REPORTED);
	assert_int_equal(state_of(&rep, "CVE-2024-4444"), FINDING_REPORTED);
	report_free(&rep);
	ignore_free(&ig);
	/* Both: the erratum is accepted, by the first entry. */
	policy_run(&a, &r, "CVE-2024-1111\ncve-2024-2222 # case does not matter\n", NULL, &rep, &ig, NULL);
	assert_int_equal(state_of(&rep, "ALSA-2024:0001"), FINDING_IGNORED);
	assert_string_equal(rep.f[0].m->id, "ALSA-2024:0001");
	assert_string_equal(rep.f[0].ignore->id, "CVE-2024-1111");
	assert_int_equal(state_of(&rep, "CVE-2024-4444"), FINDING_REPORTED);
	report_free(&rep);
	ignore_free(&ig);
	/* An alias still works as before. */
	policy_run(&a, &r, "ALSA-2024:0002\n", NULL, &rep, &ig, NULL);
	assert_int_equal(state_of(&rep, "CVE-2024-4444"), FINDING_IGNORED);
	report_free(&rep);
	ignore_free(&ig);

	/* VEX: not_affected for one CVE only: not suppressed, nothing attached. */
	policy_run(&a, &r, NULL, VEX_HEAD VEX_FOO("CVE-2024-1111", "not_affected") "]}", &rep, NULL, &vx);
	assert_int_equal(state_of(&rep, "ALSA-2024:0001"), FINDING_REPORTED);
	assert_null(rep.f[0].vex);
	report_free(&rep);
	vex_free(&vx);
	/* ... for both: suppressed. */
	policy_run(&a, &r, NULL,
		   VEX_HEAD VEX_FOO("CVE-2024-1111", "not_affected") "," VEX_FOO("CVE-2024-2222", "fixed") "]}", &rep,
		   NULL, &vx);
	assert_int_equal(state_of(&rep, "ALSA-2024:0001"), FINDING_VEX);
	report_free(&rep);
	vex_free(&vx);
	/* ... one not_affected, one affected: reported, the affected one attached. */
	policy_run(&a, &r, NULL,
		   VEX_HEAD VEX_FOO("CVE-2024-1111", "not_affected") "," VEX_FOO("CVE-2024-2222", "affected") "]}",
		   &rep, NULL, &vx);
	assert_int_equal(state_of(&rep, "ALSA-2024:0001"), FINDING_REPORTED);
	assert_non_null(rep.f[0].vex);
	assert_int_equal(rep.f[0].vex->status, VEX_AFFECTED);
	report_free(&rep);
	vex_free(&vx);
	match_result_free(&r);
	artifact_free(&a);
	vulndb_close(db);
}

/* Another feed on the same release reports the erratum's CVEs by id. */
static void test_erratum_merge(void **state)
{
	(void)state;
	struct vulndb *db = db_open();
	build_errata(db);
	begin(db, "osv:almalinux-extra");
	/* baz: an erratum without a fix, CVE-2024-5555 fixed elsewhere */
	const char *baz_fixes[] = { "CVE-2024-5555" };
	put_vuln(db, &(struct vuln_record){ .id = "ALSA-2024:0003", .related = baz_fixes, .nrelated = 1 });
	put_aff(db, "ALSA-2024:0003", "almalinux:9", "baz", AFFECT_UNFIXED, SEV_UNKNOWN, NULL);
	commit(db);
	begin(db, "cve-feed");
	/* foo: both CVEs ALSA-2024:0001 fixes, one unfixed here, one fixed lower */
	put_aff(db, "CVE-2024-1111", "almalinux:9", "foo", AFFECT_UNFIXED, SEV_UNKNOWN, NULL);
	put_aff(db, "CVE-2024-2222", "almalinux:9", "foo", AFFECT_FIXED, SEV_MEDIUM, "1.0-1.5.el9");
	put_aff(db, "CVE-2024-5555", "almalinux:9", "baz", AFFECT_FIXED, SEV_LOW, "3.0-1.el9");
	commit(db);

	struct artifact a = alma_artifact();
	add_pkg(&a, PKG_RPM, "baz", "2.0-1.el9", NULL, NULL, NULL);
	struct match_result r;
	run_match(db, &a, &r);
	/* foo: one finding. The erratum carries the highest fix and is kept;
	 * its CVEs stay in related; the sources are both feeds; the fix is the
	 * highest (1.0-2.el9 above 1.0-1.5.el9), so the status is fixed. */
	assert_int_equal(count_for(&r, &a, "foo"), 1);
	const struct vuln_match *m = find(&r, &a, "foo", "ALSA-2024:0001");
	assert_non_null(m);
	assert_string_equal(m->fixed, "1.0-2.el9");
	assert_int_equal(m->status, AFFECT_FIXED);
	assert_int_equal(m->nrelated, 2);
	assert_string_equal(m->related[0], "CVE-2024-1111");
	assert_string_equal(m->related[1], "CVE-2024-2222");
	assert_string_equal(m->source, "cve-feed,osv:almalinux");
	assert_true(m->kev);
	assert_int_equal(m->severity, SEV_HIGH);
	/* baz: only the other feed's CVE carries a fix: it is kept, the erratum
	 * listed as related (and, being no erratum itself, related_fixed false). */
	assert_int_equal(count_for(&r, &a, "baz"), 1);
	m = find(&r, &a, "baz", "CVE-2024-5555");
	assert_non_null(m);
	assert_string_equal(m->fixed, "3.0-1.el9");
	assert_int_equal(m->status, AFFECT_FIXED);
	assert_int_equal(m->nrelated, 1);
	assert_string_equal(m->related[0], "ALSA-2024:0003");
	assert_false(m->related_fixed);
	assert_int_equal(m->severity, SEV_LOW);
	/* bar is untouched: its similar CVE is no reason to merge */
	assert_int_equal(count_for(&r, &a, "bar"), 1);
	match_result_free(&r);
	artifact_free(&a);
	vulndb_close(db);
}

/* The OSV importer keeps related[] apart from aliases. */
static void test_osv_related(void **state)
{
	(void)state;
	struct vulndb *db = db_open();
	begin(db, "osv:almalinux");
	const char *doc = "{\"id\": \"ALSA-2023:0340\", \"modified\": \"2023-01-24T10:46:39Z\","
			  " \"summary\": \"Moderate: bash security update\", \"related\": [\"CVE-2022-3715\"],"
			  " \"affected\": [{\"package\": {\"ecosystem\": \"AlmaLinux:9\", \"name\": \"bash\"},"
			  " \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"},"
			  " {\"fixed\": \"5.1.8-6.el9_1\"}]}]}]}";
	struct import_stats st = { 0 };
	char newest[64] = "";
	struct berr e = { 0 };
	assert_int_equal(osv_import_document(db, doc, strlen(doc), false, "ALSA-2023:0340.json", &st, newest, &e),
			 BOSUN_OK);
	const char *bad = "{\"id\": \"X-1\", \"modified\": \"2023-01-01\", \"related\": \"CVE-1\"}";
	assert_int_equal(osv_import_document(db, bad, strlen(bad), false, "x.json", &st, newest, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "related: expected an array"));
	commit(db);
	struct got_vuln g = get_vuln(db, "ALSA-2023:0340");
	assert_true(g.related_fixed);
	assert_int_equal(g.nrelated, 1);
	/* not an alias: the CVE does not name the erratum */
	assert_false(get_vuln(db, "CVE-2022-3715").found);
	vulndb_close(db);
}

/* A database of schema 1 (no related table) is refused with the fix. */
static void test_schema_1_refused(void **state)
{
	(void)state;
	char path[] = "/tmp/bosun-test-schema-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct vulndb *db = NULL;
	struct berr e = { 0 };
	assert_int_equal(vulndb_open(path, true, &db, &e), BOSUN_OK);
	vulndb_close(db);
	sqlite3 *h;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(vulndb_open(path, false, &db, &e), BOSUN_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "schema version 1, this bosun uses version 2"));
	assert_non_null(strstr(e.msg, "rebuild it with 'bosun db build'"));
	unlink(path);
}

/* ---- severity from other evidence ---- */

#define VEC_98 "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  /* 9.8 */
#define VEC4_LOW "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"

/* Debian 12's foo has eight CVEs the tracker does not rate (DSA-only).
 * What else the database says about each: */
static void build_evidence(struct vulndb *db)
{
	static const char *const cves[] = { "CVE-2000-0001", "CVE-2000-0002", "CVE-2000-0003", "CVE-2000-0004",
					    "CVE-2000-0005", "CVE-2000-0006", "CVE-2000-0007", "CVE-2000-0008",
					    "CVE-2000-0009" };
	begin(db, "debian-tracker");
	for (size_t i = 0; i < sizeof cves / sizeof cves[0]; i++) {
		put_vuln(db, &(struct vuln_record){ .id = cves[i], .summary = "(from the CVE list)" });
		put_aff(db, cves[i], "debian:12", "foo", AFFECT_FIXED, SEV_UNKNOWN, "1.0-2");
	}
	/* 0001: Debian itself rates it LOW for foo in bullseye (same package) */
	put_aff(db, "CVE-2000-0001", "debian:11", "foo", AFFECT_FIXED, SEV_LOW, "0.9-2");
	/* 0002: "unimportant" for chromium only: another package's rating */
	put_aff(db, "CVE-2000-0002", "debian:12", "chromium", AFFECT_FIXED, SEV_NEGLIGIBLE, "120.0-1");
	commit(db);
	begin(db, "ubuntu-cve-tracker");
	/* 0001: Ubuntu says HIGH for foo, but Debian's own rating comes first */
	put_aff(db, "CVE-2000-0001", "ubuntu:22.04", "foo", AFFECT_FIXED, SEV_HIGH, "1.0-1ubuntu1");
	/* 0002: Ubuntu rates foo MEDIUM (same package, another distro) */
	put_aff(db, "CVE-2000-0002", "ubuntu:22.04", "foo", AFFECT_FIXED, SEV_MEDIUM, "1.0-1ubuntu1");
	/* 0003: Ubuntu's CVE-level priority (a record rating): HIGH */
	put_vuln(db, &(struct vuln_record){ .id = "CVE-2000-0003", .severity = SEV_HIGH });
	put_aff(db, "CVE-2000-0003", "ubuntu:22.04", "other", AFFECT_FIXED, SEV_HIGH, "2.0-1");
	/* 0004: Ubuntu rates another package CRITICAL: not evidence for foo */
	put_aff(db, "CVE-2000-0004", "ubuntu:22.04", "other", AFFECT_FIXED, SEV_CRITICAL, "2.0-1");
	commit(db);
	begin(db, "osv:almalinux");
	/* 0004: an AlmaLinux erratum fixes it, "Important" */
	const char *fixes4[] = { "CVE-2000-0004" };
	put_vuln(db, &(struct vuln_record){ .id = "ALSA-2000:0004", .severity = SEV_HIGH, .related = fixes4,
					    .nrelated = 1 });
	put_aff(db, "ALSA-2000:0004", "almalinux:9", "foo-libs", AFFECT_FIXED, SEV_UNKNOWN, "1.0-2.el9");
	/* 0009: an advisory with a CVE of its own names 0009 as similar: no evidence */
	const char *own[] = { "CVE-2000-0099" }, *similar[] = { "CVE-2000-0009" };
	put_vuln(db, &(struct vuln_record){ .id = "ALSA-2000:0099", .severity = SEV_CRITICAL, .aliases = own,
					    .naliases = 1, .related = similar, .nrelated = 1 });
	put_aff(db, "ALSA-2000:0099", "almalinux:9", "zzz", AFFECT_FIXED, SEV_UNKNOWN, "1.0-2.el9");
	commit(db);
	begin(db, "osv:go-vulndb");
	/* 0005: a Go advisory aliases it with a CVSS 3.1 vector of 9.8 */
	const char *a5[] = { "CVE-2000-0005" };
	put_vuln(db, &(struct vuln_record){ .id = "GO-2000-0005", .aliases = a5, .naliases = 1, .cvss3_vector = VEC_98 });
	commit(db);
	begin(db, "osv:ghsa");
	/* 0005: a GHSA also rates it LOW: a feed's rating comes after CVSS */
	const char *g5[] = { "CVE-2000-0005" }, *g6[] = { "CVE-2000-0006" };
	put_vuln(db, &(struct vuln_record){ .id = "GHSA-0000-0000-0005", .aliases = g5, .naliases = 1,
					    .severity = SEV_LOW });
	/* 0006: only a GHSA rating, MODERATE */
	put_vuln(db, &(struct vuln_record){ .id = "GHSA-0000-0000-0006", .aliases = g6, .naliases = 1,
					    .severity = SEV_MEDIUM });
	commit(db);
	begin(db, "osv:pypa");
	/* 0007: only a CVSS 4.0 vector (LOW) */
	const char *p7[] = { "CVE-2000-0007" };
	put_vuln(db, &(struct vuln_record){ .id = "PYSEC-2000-7", .aliases = p7, .naliases = 1,
					    .cvss4_vector = VEC4_LOW });
	commit(db);
	/* 0008: nothing anywhere */
}

static void expect_sev(const struct match_result *r, const struct artifact *a, const char *id,
		       enum vuln_severity sev, const char *source)
{
	const struct vuln_match *m = find(r, a, "libfoo1", id);
	if (!m)
		fail_msg("%s not found", id);
	if (m->severity != sev || (source ? !m->severity_source || strcmp(m->severity_source, source)
					  : m->severity_source != NULL))
		fail_msg("%s: %s/%s, want %s/%s", id, vuln_severity_name(m->severity),
			 m->severity_source ? m->severity_source : "-", vuln_severity_name(sev), source ? source : "-");
}

static void test_severity_evidence(void **state)
{
	(void)state;
	struct vulndb *db = db_open();
	build_evidence(db);
	struct artifact a;
	artifact_init(&a);
	set_os(&a, "debian", "debian", "12");
	add_pkg(&a, PKG_DEB, "libfoo1", "1.0-1", "foo", NULL, NULL);
	add_pkg(&a, PKG_DEB, "foo-bin", "1.0-1", "foo", NULL, NULL); /* same lookup, same answers */
	struct match_result r;
	run_match(db, &a, &r);
	assert_int_equal(count_for(&r, &a, "libfoo1"), 9);
	expect_sev(&r, &a, "CVE-2000-0001", SEV_LOW, "debian");         /* own distro, same package */
	expect_sev(&r, &a, "CVE-2000-0002", SEV_MEDIUM, "ubuntu");      /* not chromium's NEGLIGIBLE */
	expect_sev(&r, &a, "CVE-2000-0003", SEV_HIGH, "ubuntu");        /* Ubuntu's CVE priority */
	expect_sev(&r, &a, "CVE-2000-0004", SEV_HIGH, "almalinux");     /* the erratum, not "other"'s */
	expect_sev(&r, &a, "CVE-2000-0005", SEV_CRITICAL, "cvss3:osv:go-vulndb");
	expect_sev(&r, &a, "CVE-2000-0006", SEV_MEDIUM, "osv:ghsa");
	expect_sev(&r, &a, "CVE-2000-0007", SEV_LOW, "cvss4:osv:pypa");
	expect_sev(&r, &a, "CVE-2000-0008", SEV_UNKNOWN, NULL);
	expect_sev(&r, &a, "CVE-2000-0009", SEV_UNKNOWN, NULL);
	/* the finding's own CVSS fields stay the matched records' (none) */
	assert_true(find(&r, &a, "libfoo1", "CVE-2000-0005")->cvss3 < 0);
	match_result_free(&r);
	artifact_free(&a);

	/* An unrated erratum is rated by the evidence for the CVEs it fixes:
	 * ALSA-2000:0100 fixes 0005 (CVSS 9.8 from Go) and 0007 (CVSS 4.0 LOW). */
	begin(db, "osv:almalinux-2");
	const char *fixes[] = { "CVE-2000-0005", "CVE-2000-0007" };
	put_vuln(db, &(struct vuln_record){ .id = "ALSA-2000:0100", .related = fixes, .nrelated = 2 });
	put_aff(db, "ALSA-2000:0100", "almalinux:9", "qux", AFFECT_FIXED, SEV_UNKNOWN, "1.0-2.el9");
	commit(db);
	artifact_init(&a);
	set_os(&a, "almalinux", "alma", "9.3");
	add_pkg(&a, PKG_RPM, "qux", "1.0-1.el9", NULL, NULL, NULL);
	run_match(db, &a, &r);
	const struct vuln_match *m = find(&r, &a, "qux", "ALSA-2000:0100");
	assert_non_null(m);
	assert_int_equal(m->severity, SEV_CRITICAL);
	assert_string_equal(m->severity_source, "cvss3:osv:go-vulndb");
	match_result_free(&r);
	artifact_free(&a);
	vulndb_close(db);
}

/* ---- Packagist: Composer's order ---- */

static void put_range(struct vulndb *db, const char *id, const char *eco, const char *pkg, const char *intro,
		      const char *fixed)
{
	struct berr e = { 0 };
	struct affect_range r = { .introduced = intro, .fixed = fixed };
	struct affected_record a = { .vuln_id = id, .ecosystem = eco, .package = pkg, .status = AFFECT_FIXED,
				     .ranges = &r, .nranges = 1 };
	if (vulndb_put_affected(db, &a, &e) != BOSUN_OK)
		fail_msg("put_affected %s: %s", id, e.msg);
}

static void test_packagist(void **state)
{
	(void)state;
	struct vulndb *db = db_open();
	begin(db, "friendsofphp");
	/* fixed in a four-part version, and in a patch release "-p2" */
	put_range(db, "CVE-2001-0001", "packagist", "vendor/pkg", "1.0.0", "1.2.3.4");
	put_range(db, "CVE-2001-0002", "packagist", "vendor/pkg", "2.0.0", "2.0.0-p2");
	commit(db);
	struct artifact a;
	artifact_init(&a);
	/* Composer names are case-insensitive; tags keep their "v" */
	add_pkg(&a, PKG_COMPOSER, "Vendor/Pkg", "v1.2.3.3", NULL, NULL, NULL);  /* below 1.2.3.4 */
	add_pkg(&a, PKG_COMPOSER, "vendor/pkg", "1.2.3.4", NULL, NULL, NULL);   /* at the fix */
	add_pkg(&a, PKG_COMPOSER, "vendor/pkg", "2.0.0", NULL, NULL, NULL);     /* the patch release is above */
	add_pkg(&a, PKG_COMPOSER, "vendor/pkg", "2.0.0-p2", NULL, NULL, NULL);  /* at it */
	add_pkg(&a, PKG_COMPOSER, "vendor/pkg", "1.2.3.4-RC1", NULL, NULL, NULL); /* the fix's RC is below it */
	add_pkg(&a, PKG_COMPOSER, "vendor/pkg", "dev-master", NULL, NULL, NULL); /* no order */
	struct match_result r;
	run_match(db, &a, &r);
	size_t per_pkg[6] = { 0 };
	for (size_t i = 0; i < r.n; i++)
		per_pkg[r.v[i].pkg]++;
	assert_int_equal(per_pkg[0], 1);
	assert_int_equal(per_pkg[1], 0);
	assert_int_equal(per_pkg[2], 1);
	assert_int_equal(per_pkg[3], 0);
	assert_int_equal(per_pkg[4], 1);
	assert_int_equal(per_pkg[5], 0);
	for (size_t i = 0; i < r.n; i++) {
		/* 1.2.3.3 and 1.2.3.4-RC1 in [1.0.0, 1.2.3.4); 2.0.0 in [2.0.0, 2.0.0-p2) */
		assert_string_equal(r.v[i].id, r.v[i].pkg == 2 ? "CVE-2001-0002" : "CVE-2001-0001");
		assert_string_equal(r.v[i].fixed, r.v[i].pkg == 2 ? "2.0.0-p2" : "1.2.3.4");
	}
	bool warned = false;
	for (size_t i = 0; i < r.nwarnings; i++)
		warned = warned || strstr(r.warnings[i], "\"dev-master\" is not a valid composer version");
	assert_true(warned);
	match_result_free(&r);
	artifact_free(&a);
	vulndb_close(db);
}

/* ---- RustSec: one finding per id from two feeds ---- */

static void test_rustsec_two_feeds(void **state)
{
	(void)state;
	struct vulndb *db = db_open();
	const char *al[] = { "CVE-2021-25900", "GHSA-43w2-9j62-hq99" };
	const char *two[] = { "CVE-2020-0001", "CVE-2020-0002" };
	const char *feeds[] = { "osv:rustsec", "rustsec" };
	for (int f = 0; f < 2; f++) {
		begin(db, feeds[f]);
		put_vuln(db, &(struct vuln_record){ .id = "RUSTSEC-2021-0003", .aliases = al, .naliases = 2 });
		put_range(db, "RUSTSEC-2021-0003", "crates.io", "smallvec", "1.0.0", "1.6.1");
		/* an advisory with two CVEs is reported under its own id, still once */
		put_vuln(db, &(struct vuln_record){ .id = "RUSTSEC-2020-0001", .aliases = two, .naliases = 2 });
		put_range(db, "RUSTSEC-2020-0001", "crates.io", "smallvec", "0", "1.6.2");
		commit(db);
	}
	struct artifact a;
	artifact_init(&a);
	add_pkg(&a, PKG_CARGO, "smallvec", "1.6.0", NULL, NULL, NULL);
	struct match_result r;
	run_match(db, &a, &r);
	assert_int_equal(r.n, 2);
	const struct vuln_match *m = find(&r, &a, "smallvec", "CVE-2021-25900");
	assert_non_null(m);
	assert_string_equal(m->source, "osv:rustsec,rustsec");
	assert_int_equal(m->naliases, 2); /* GHSA-43w2-9j62-hq99, RUSTSEC-2021-0003 */
	m = find(&r, &a, "smallvec", "RUSTSEC-2020-0001");
	assert_non_null(m);
	assert_string_equal(m->source, "osv:rustsec,rustsec");
	match_result_free(&r);
	artifact_free(&a);
	vulndb_close(db);
}

/* The real feeds: every crate both carry, at version 0.0.0, never gets one
 * id (or alias) twice. */
static void test_rustsec_real_feeds(void **state)
{
	(void)state;
	char dir[4096], path[] = "/tmp/bosun-test-rustsec-XXXXXX";
	snprintf(dir, sizeof dir, "%s/vulndata/rustsec", test_shared_dir());
	if (access(dir, R_OK) != 0)
		skip();
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct vulndb *db = NULL;
	struct berr e = { 0 };
	assert_int_equal(vulndb_open(path, true, &db, &e), BOSUN_OK);
	const char *dirs[] = { dir };
	log_set_quiet(true);
	if (vulndb_build(db, dirs, 1, false, &e) != BOSUN_OK)
		fail_msg("build: %s", e.msg);
	vulndb_close(db);
	sqlite3 *h;
	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(h,
					    "SELECT package FROM affected a JOIN sources s ON s.id = a.src"
					    " WHERE ecosystem = 'crates.io' GROUP BY package HAVING count(DISTINCT s.name) = 2",
					    -1, &s, NULL),
			 SQLITE_OK);
	struct artifact a;
	artifact_init(&a);
	while (sqlite3_step(s) == SQLITE_ROW)
		add_pkg(&a, PKG_CARGO, (const char *)sqlite3_column_text(s, 0), "0.0.0", NULL, NULL, NULL);
	sqlite3_finalize(s);
	sqlite3_close(h);
	assert_true(a.npkgs > 100);
	assert_int_equal(vulndb_open(path, false, &db, &e), BOSUN_OK);
	struct match_result r;
	run_match(db, &a, &r);
	size_t both = 0;
	for (size_t i = 0; i < r.n; i++) {
		both += strcmp(r.v[i].source, "osv:rustsec,rustsec") == 0;
		for (size_t j = i + 1; j < r.n && r.v[j].pkg == r.v[i].pkg; j++) {
			if (strcmp(r.v[i].id, r.v[j].id) == 0)
				fail_msg("%s twice for %s", r.v[i].id, a.pkgs[r.v[i].pkg].name);
			for (size_t k = 0; k < r.v[j].naliases; k++)
				if (strcmp(r.v[i].id, r.v[j].aliases[k]) == 0)
					fail_msg("%s and %s both for %s", r.v[i].id, r.v[j].id, a.pkgs[r.v[i].pkg].name);
		}
	}
	assert_true(both > 100);
	match_result_free(&r);
	artifact_free(&a);
	vulndb_close(db);
	unlink(path);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_erratum_findings),   cmocka_unit_test(test_erratum_policy),
		cmocka_unit_test(test_erratum_merge),      cmocka_unit_test(test_osv_related),
		cmocka_unit_test(test_schema_1_refused),   cmocka_unit_test(test_severity_evidence),
		cmocka_unit_test(test_packagist),          cmocka_unit_test(test_rustsec_two_feeds),
		cmocka_unit_test(test_rustsec_real_feeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
