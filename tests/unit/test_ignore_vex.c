/* Ignore files (plain and YAML), OpenVEX documents, purl patterns, and the
 * report policy that applies them in order. */
#include "testutil.h"

#include "policy/ignore.h"
#include "policy/vex.h"
#include "report/report.h"
#include "util/log.h"

#define TODAY "2025-06-15"

static int parse_ignore(const char *text, const char *name, struct ignore_list *l, struct berr *e)
{
	return ignore_parse(text, strlen(text), name, TODAY, l, e);
}

static void test_purl_patterns(void **state)
{
	(void)state;
	const char *p = "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12";
	assert_true(policy_purl_matches("pkg:deb/debian/libssl3", p));
	assert_true(policy_purl_matches("pkg:deb/debian/libssl3@3.0.11-1~deb12u2", p));
	assert_true(policy_purl_matches("pkg:deb/debian/libssl3?distro=debian-12", p));
	assert_true(policy_purl_matches("PKG:DEB/debian/libssl3", p));
	assert_false(policy_purl_matches("pkg:deb/debian/libssl3@3.0.11-1", p));
	assert_false(policy_purl_matches("pkg:deb/debian/libssl3?distro=debian-11", p));
	assert_false(policy_purl_matches("pkg:deb/ubuntu/libssl3", p));
	assert_false(policy_purl_matches("pkg:rpm/debian/libssl3", p));
	/* percent-encoding on either side: "+" and "%2B", ":" and "%3A" */
	assert_true(policy_purl_matches("pkg:deb/debian/login@1:4.13+dfsg1-1+b1",
					"pkg:deb/debian/login@1:4.13%2Bdfsg1-1%2Bb1?arch=amd64"));
	assert_true(policy_purl_matches("pkg:npm/@babel/core@7.0.0", "pkg:npm/%40babel/core@7.0.0"));
	assert_false(policy_purl_matches("not a purl", p));
	assert_false(policy_purl_matches("pkg:", p));
	assert_false(policy_purl_matches("pkg:deb", p));
}

static void test_ignore_plain(void **state)
{
	(void)state;
	struct ignore_list l;
	struct berr e = { 0 };
	const char *text = "# accepted risks\n"
			   "CVE-2023-4911\n"
			   "\n"
			   "  GHSA-jfh8-c2jp-5v3q   # log4j, not reachable\n"
			   "CVE-2022-0001 exp:2025-06-15\n" /* expires today: no longer suppresses */
			   "CVE-2022-0002 exp:2025-06-16\r\n"
			   "ALSA-2023:0050\n";
	assert_int_equal(parse_ignore(text, ".trivyignore", &l, &e), BOSUN_OK);
	assert_false(l.yaml);
	assert_int_equal(l.n, 5);
	assert_string_equal(l.v[1].id, "GHSA-jfh8-c2jp-5v3q");
	assert_string_equal(l.v[1].reason, "log4j, not reachable");
	assert_int_equal(l.v[1].line, 4);
	assert_true(l.v[2].expired);
	assert_false(l.v[3].expired);
	assert_non_null(ignore_match(&l, "CVE-2023-4911", NULL, 0, "pkg:deb/debian/libc6@2.36", NULL));
	assert_non_null(ignore_match(&l, "cve-2023-4911", NULL, 0, NULL, NULL)); /* ids are case-insensitive */
	/* by alias: the finding is CVE-2021-44228, the file names its GHSA */
	const char *al[] = { "GHSA-jfh8-c2jp-5v3q" };
	assert_non_null(ignore_match(&l, "CVE-2021-44228", al, 1, NULL, NULL));
	assert_null(ignore_match(&l, "CVE-2022-0001", NULL, 0, NULL, NULL));
	assert_non_null(ignore_match(&l, "CVE-2022-0002", NULL, 0, NULL, NULL));
	assert_non_null(ignore_match(&l, "ALSA-2023:0050", NULL, 0, NULL, NULL));
	assert_null(ignore_match(&l, "CVE-1999-0001", NULL, 0, NULL, NULL));
	ignore_free(&l);

	assert_int_equal(parse_ignore("CVE-1 exp:2025-13-01\n", "x", &l, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "x:1"));
	e = (struct berr){ 0 };
	assert_int_equal(parse_ignore("CVE-1\nCVE-2 something\n", "x", &l, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "x:2"));
	e = (struct berr){ 0 };
	assert_int_equal(ignore_parse("CVE-1\0x\n", 8, "x", TODAY, &l, &e), BOSUN_EFORMAT);
	/* An empty file is an empty list. */
	assert_int_equal(parse_ignore("", "x", &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 0);
	ignore_free(&l);
}

static void test_ignore_yaml(void **state)
{
	(void)state;
	struct ignore_list l;
	struct berr e = { 0 };
	const char *text = "vulnerabilities:\n"
			   "  - id: CVE-2023-4911\n"
			   "    reason: not exploitable without setuid binaries\n"
			   "    expires: 2026-01-01\n"
			   "  - id: CVE-2023-5678\n"
			   "    purls:\n"
			   "      - pkg:deb/debian/libssl3\n"
			   "    statement: Trivy's spelling of reason\n"
			   "    expired_at: 2024-01-01\n"
			   "  - purls: [\"pkg:deb/debian/libexpat1\"]\n"
			   "  - id: CVE-2024-0001\n"
			   "    paths: [\"var/lib/dpkg/status\"]\n"
			   "secrets:\n"
			   "  - id: aws-access-key-id\n";
	assert_int_equal(parse_ignore(text, "bosun-ignore.txt", &l, &e), BOSUN_OK); /* sniffed */
	assert_true(l.yaml);
	assert_int_equal(l.n, 5); /* the secrets: entry too (test_ignore_findings.c) */
	assert_int_equal(l.v[0].scope, IGNORE_SCOPE_VULNERABILITIES);
	assert_int_equal(l.v[4].scope, IGNORE_SCOPE_SECRETS);
	/* a secrets entry does not suppress a vulnerability with its id */
	assert_null(ignore_match(&l, "aws-access-key-id", NULL, 0, NULL, NULL));
	assert_string_equal(l.v[0].reason, "not exploitable without setuid binaries");
	assert_false(l.v[0].expired);
	assert_true(l.v[1].expired);
	assert_string_equal(l.v[1].reason, "Trivy's spelling of reason");
	const char *ssl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12";
	assert_non_null(ignore_match(&l, "CVE-2023-4911", NULL, 0, ssl, NULL));
	assert_null(ignore_match(&l, "CVE-2023-5678", NULL, 0, ssl, NULL)); /* expired */
	/* an entry with purls and no id: every vulnerability of that package */
	assert_non_null(ignore_match(&l, "CVE-2099-1", NULL, 0, "pkg:deb/debian/libexpat1@2.5.0-1", NULL));
	assert_null(ignore_match(&l, "CVE-2099-1", NULL, 0, ssl, NULL));
	assert_non_null(ignore_match(&l, "CVE-2024-0001", NULL, 0, ssl, "/var/lib/dpkg/status"));
	assert_null(ignore_match(&l, "CVE-2024-0001", NULL, 0, ssl, "lib/apk/db/installed"));
	ignore_free(&l);

	assert_int_equal(parse_ignore("vulnerabilities:\n  - reason: no id\n", "i.yaml", &l, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "neither id nor purls"));
	e = (struct berr){ 0 };
	assert_int_equal(parse_ignore("vulnerabilities:\n  - id: X\n    expires: soon\n", "i.yaml", &l, &e),
			 BOSUN_EFORMAT);
	e = (struct berr){ 0 };
	assert_int_equal(parse_ignore("vulnerabilities:\n  - id: [1, 2]\n", "i.yaml", &l, &e), BOSUN_EFORMAT);
	e = (struct berr){ 0 };
	assert_int_equal(parse_ignore("vulnerabilities: {a: 1}\n", "i.yaml", &l, &e), BOSUN_EFORMAT);
	e = (struct berr){ 0 };
	assert_int_equal(parse_ignore("vulnerabilities:\n  - id: X\n    purls: [\"libssl3\"]\n", "i.yaml", &l, &e),
			 BOSUN_EFORMAT);
	e = (struct berr){ 0 };
	assert_int_equal(parse_ignore("vulnerabilities:\n  - id: X\n bad: [\n", "i.yaml", &l, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "i.yaml"));
}

static const char *vex_doc =
	"{\n"
	"  \"@context\": \"https://openvex.dev/ns/v0.2.0\",\n"
	"  \"@id\": \"https://example.com/vex/1\",\n"
	"  \"author\": \"team\",\n"
	"  \"timestamp\": \"2024-01-01T00:00:00Z\",\n"
	"  \"version\": 1,\n"
	"  \"statements\": [\n"
	"    {\"vulnerability\": {\"name\": \"CVE-2023-4911\"},\n"
	"     \"products\": [{\"@id\": \"pkg:deb/debian/libc6\"}],\n"
	"     \"status\": \"not_affected\", \"justification\": \"vulnerable_code_not_in_execute_path\"},\n"
	"    {\"vulnerability\": {\"name\": \"CVE-2023-4911\"},\n"
	"     \"products\": [{\"@id\": \"pkg:deb/debian/libc6\"}],\n"
	"     \"status\": \"affected\", \"timestamp\": \"2023-06-01T00:00:00Z\"},\n"
	"    {\"vulnerability\": {\"name\": \"GHSA-aaaa-bbbb-cccc\", \"aliases\": [\"CVE-2023-0002\"]},\n"
	"     \"products\": [{\"@id\": \"pkg:oci/app@sha256%3Aabc\",\n"
	"                     \"subcomponents\": [{\"@id\": \"pkg:deb/debian/zlib1g\"}]}],\n"
	"     \"status\": \"fixed\"},\n"
	"    {\"vulnerability\": {\"name\": \"CVE-2023-0003\"},\n"
	"     \"products\": [{\"@id\": \"sha256:abc\"}],\n"
	"     \"status\": \"under_investigation\"},\n"
	"    {\"vulnerability\": {\"name\": \"CVE-2023-0004\"},\n"
	"     \"products\": [{\"@id\": \"sha256:abc\"}],\n"
	"     \"status\": \"not_affected\", \"impact_statement\": \"whole image\"}\n"
	"  ]\n"
	"}\n";

static void test_vex(void **state)
{
	(void)state;
	struct vex_set s = { 0 };
	struct berr e = { 0 };
	assert_int_equal(vex_parse(&s, vex_doc, strlen(vex_doc), "a.vex.json", &e), BOSUN_OK);
	assert_int_equal(s.n, 5);
	const char *target_ids[] = { "sha256:abc", "docker.io/example/app:1" };
	struct vex_subject subj = { .id = "CVE-2023-4911",
				    .purl = "pkg:deb/debian/libc6@2.36-9+deb12u1?arch=amd64&distro=debian-12",
				    .target_ids = target_ids, .ntarget_ids = 2 };
	/* Two statements: the later timestamp (document's 2024 over 2023) wins: not_affected. */
	const struct vex_statement *st = vex_find(&s, &subj);
	assert_non_null(st);
	assert_int_equal(st->status, VEX_NOT_AFFECTED);
	assert_true(vex_suppresses(st));
	assert_string_equal(st->justification, "vulnerable_code_not_in_execute_path");
	/* through the image product's subcomponents: the statement's alias is
	 * the finding's id, or the statement's name one of the finding's aliases */
	struct vex_subject z = { .id = "CVE-2023-0002", .purl = "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1",
				 .target_ids = target_ids, .ntarget_ids = 2 };
	st = vex_find(&s, &z);
	assert_non_null(st);
	assert_int_equal(st->status, VEX_FIXED);
	const char *al[] = { "GHSA-aaaa-bbbb-cccc" };
	z.id = "CVE-2099-0002";
	assert_null(vex_find(&s, &z));
	z.aliases = al;
	z.naliases = 1;
	assert_non_null(vex_find(&s, &z));
	/* a subcomponent that is another package: no */
	struct vex_subject other = z;
	other.id = "GHSA-aaaa-bbbb-cccc";
	other.purl = "pkg:deb/debian/libc6@2.36";
	assert_null(vex_find(&s, &other));
	/* under_investigation does not suppress */
	struct vex_subject u = { .id = "CVE-2023-0003", .purl = "pkg:deb/debian/x@1", .target_ids = target_ids,
				 .ntarget_ids = 2 };
	st = vex_find(&s, &u);
	assert_non_null(st);
	assert_false(vex_suppresses(st));
	/* the image itself, no subcomponents: every package */
	u.id = "CVE-2023-0004";
	assert_true(vex_suppresses(vex_find(&s, &u)));
	u.ntarget_ids = 0; /* another image */
	assert_null(vex_find(&s, &u));
	vex_free(&s);

	/* v0.0.1: vulnerability and products as strings */
	const char *old = "{\"@context\": \"https://openvex.dev/ns\", \"statements\": [{\"vulnerability\": "
			  "\"CVE-2023-9\", \"products\": [\"pkg:apk/alpine/busybox\"], \"status\": \"fixed\"}]}";
	assert_int_equal(vex_parse(&s, old, strlen(old), "old.json", &e), BOSUN_OK);
	struct vex_subject b = { .id = "CVE-2023-9", .purl = "pkg:apk/alpine/busybox@1.31.1-r9?arch=x86_64" };
	assert_true(vex_suppresses(vex_find(&s, &b)));
	vex_free(&s);

	const char *bad[] = {
		"[]",
		"{\"statements\": []}",
		"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": {}}",
		"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": {\"name\": \"X\"}, "
		"\"products\": [{\"@id\": \"pkg:a/b\"}], \"status\": \"maybe\"}]}",
		"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": {}, "
		"\"products\": [{\"@id\": \"pkg:a/b\"}], \"status\": \"fixed\"}]}",
		"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": {\"name\": \"X\"}, "
		"\"products\": [], \"status\": \"fixed\"}]}",
		"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": {\"name\": \"X\"}, "
		"\"products\": [{\"@id\": \"pkg:a/b\"}], \"status\": \"fixed\", \"timestamp\": \"yesterday\"}]}",
		"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		e = (struct berr){ 0 };
		int rc = vex_parse(&s, bad[i], strlen(bad[i]), "bad.json", &e);
		if (rc != BOSUN_EFORMAT)
			fail_msg("bad VEX %zu: rc %d (%s)", i, rc, e.msg);
		assert_int_equal(s.n, 0); /* nothing half-added */
	}
	vex_free(&s);
}

/* The policy in report_build: filters, then ignores, then VEX. */
static void test_report_policy(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.os.found = true;
	a.os.id = "debian";
	a.os.family = "debian";
	a.os.version_id = "12";
	const char *names[] = { "libc6", "libssl3" };
	for (int i = 0; i < 2; i++) {
		struct package *p = artifact_add_package(&a);
		p->type = PKG_DEB;
		p->name = (char *)names[i];
		p->version = "1.0-1";
		p->purl = arena_printf(&a.arena, "pkg:deb/debian/%s@1.0-1?distro=debian-12", names[i]);
	}
	struct vuln_match v[] = {
		{ .pkg = 0, .id = "CVE-1", .status = AFFECT_FIXED, .fixed = "1.0-2", .severity = SEV_CRITICAL },
		{ .pkg = 0, .id = "CVE-2", .status = AFFECT_UNFIXED, .severity = SEV_HIGH },
		{ .pkg = 0, .id = "CVE-3", .status = AFFECT_NO_DSA, .severity = SEV_LOW },
		{ .pkg = 1, .id = "CVE-4", .status = AFFECT_FIXED, .fixed = "1.0-3", .severity = SEV_MEDIUM },
		{ .pkg = 1, .id = "CVE-5", .status = AFFECT_FIXED, .fixed = "1.0-3", .severity = SEV_HIGH },
	};
	struct match_result mr = { .v = v, .n = 5 };
	struct berr e = { 0 };
	struct ignore_list ig;
	assert_int_equal(parse_ignore("CVE-4\nCVE-5 exp:2020-01-01\n", "ign", &ig, &e), BOSUN_OK);
	struct vex_set vx = { 0 };
	const char *doc = "{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [{\"vulnerability\": "
			  "{\"name\": \"CVE-1\"}, \"products\": [{\"@id\": \"pkg:deb/debian/libc6\"}], \"status\": "
			  "\"not_affected\", \"justification\": \"component_not_present\"}]}";
	assert_int_equal(vex_parse(&vx, doc, strlen(doc), "v.json", &e), BOSUN_OK);

	struct report_policy p = { 0 };
	assert_int_equal(report_parse_severities("high,CRITICAL, medium", &p.severities, &e), BOSUN_OK);
	assert_int_equal(report_parse_severities("HIGH,SEVERE", &p.severities, &e), BOSUN_EUSAGE);
	p.severities = 0;
	struct vuln_report r;
	assert_int_equal(report_build(&a, &mr, NULL, &p, &r, &e), BOSUN_OK);
	assert_int_equal(r.reported, 5);
	assert_int_equal(r.by_severity[SEV_HIGH], 2);
	assert_int_equal(r.vulnerable_pkgs, 2);
	report_free(&r);

	assert_int_equal(report_parse_severities("MEDIUM,HIGH,CRITICAL", &p.severities, &e), BOSUN_OK);
	p.ignore_unfixed = true;
	assert_int_equal(report_parse_statuses("no-dsa", &p.statuses, &e), BOSUN_OK);
	p.ignores = &ig;
	p.vex = &vx;
	assert_int_equal(report_build(&a, &mr, NULL, &p, &r, &e), BOSUN_OK);
	/* CVE-1 VEX not_affected; CVE-2 unfixed; CVE-3 LOW; CVE-4 ignored; CVE-5 entry expired: reported */
	assert_int_equal(r.f[0].state, FINDING_VEX);
	assert_int_equal(r.f[1].state, FINDING_FILTERED);
	assert_int_equal(r.f[2].state, FINDING_FILTERED);
	assert_int_equal(r.f[3].state, FINDING_IGNORED);
	assert_int_equal(r.f[4].state, FINDING_REPORTED);
	assert_int_equal(r.reported, 1);
	assert_int_equal(r.ignored, 1);
	assert_int_equal(r.vexed, 1);
	assert_int_equal(r.filtered, 2);
	assert_int_equal(r.nwarnings, 1);
	assert_non_null(strstr(r.warnings[0], "ign:2: CVE-5 expired on 2020-01-01"));
	report_free(&r);
	assert_int_equal(report_parse_statuses("will-not-fix,End_Of_Life,wont_fix", &p.statuses, &e), BOSUN_OK);
	assert_int_equal(p.statuses, (1u << AFFECT_WONT_FIX) | (1u << AFFECT_END_OF_LIFE));
	assert_int_equal(report_parse_statuses("maybe", &p.statuses, &e), BOSUN_EUSAGE);
	ignore_free(&ig);
	vex_free(&vx);
	artifact_free(&a);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_purl_patterns), cmocka_unit_test(test_ignore_plain),
		cmocka_unit_test(test_ignore_yaml),   cmocka_unit_test(test_vex),
		cmocka_unit_test(test_report_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
