/* Reports with secrets, malware and misconfigurations next to
 * vulnerabilities: report_build's policy over a->findings (severity,
 * ignore files, counts, gating), and the table, JSON, SARIF and CycloneDX
 * writers on a synthetic image. JSON and SARIF are validated against
 * docs/bosun-vulns.schema.json and the official SARIF 2.1.0 schema by
 * tests/tools/validate-schema.py when $BOSUN_SHARED is set. */
#include "testutil.h"

#include <ctype.h>
#include <unistd.h>

#include "finding/finding.h"
#include "policy/ignore.h"
#include "report/report.h"
#include "util/log.h"

#define TODAY "2025-06-15"

/* ---- the synthetic image ------------------------------------------------------ */

static char *S(struct artifact *a, const char *s) { return arena_strdup(&a->arena, s); }

static void add_finding(struct artifact *a, const struct finding *f)
{
	assert_int_equal(finding_add(&a->findings, f), BOSUN_OK);
}

/* Two layers, one deb package; the findings below, in artifact order
 * (kind, path, line, layer) as artifact_finish would leave them. */
static void image(struct artifact *a)
{
	artifact_init(a);
	a->target = S(a, "/tmp/app.tar");
	a->target_kind = S(a, "docker-archive");
	a->name = S(a, "example/app:1.0");
	a->image_id = S(a, "sha256:1111111111111111111111111111111111111111111111111111111111111111");
	a->architecture = S(a, "amd64");
	a->os_name = S(a, "linux");
	a->os.found = true;
	a->os.id = S(a, "debian");
	a->os.version_id = S(a, "12");
	a->os.family = S(a, "debian");
	a->layers = arena_alloc(&a->arena, 2 * sizeof *a->layers);
	memset(a->layers, 0, 2 * sizeof *a->layers);
	for (int i = 0; i < 2; i++) {
		a->layers[i].digest = arena_printf(&a->arena, "sha256:%064x", 0xa0 + i);
		a->layers[i].diff_id = arena_printf(&a->arena, "sha256:%064x", 0xd0 + i);
		a->layers[i].size = 1000;
	}
	a->nlayers = 2;
	struct package *p = artifact_add_package(a);
	p->type = PKG_DEB;
	p->name = S(a, "libc6");
	p->version = S(a, "2.36-9");
	p->epoch = -1;
	p->layer = 0;
	p->found_in = S(a, "var/lib/dpkg/status");
	p->purl = S(a, "pkg:deb/debian/libc6@2.36-9?distro=debian-12");

	/* 0 */ add_finding(a, &(struct finding){ .kind = FINDING_KIND_SECRET, .rule_id = "aws-access-key-id",
						.title = "AWS access key id", .severity = SEV_CRITICAL,
						.message = "AWS access key id AKIA************MPLE", .path = "app/.env",
						.line = 3, .end_line = 3, .layer = 1, .match = "AKIA************MPLE",
						.category = "AWS", .remediation = "Remove the key and rotate it.",
						.reference = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html" });
	/* 1: ignored by a YAML secrets entry's path glob */
	add_finding(a, &(struct finding){ .kind = FINDING_KIND_SECRET, .rule_id = "github-pat", .title = "GitHub token",
					  .severity = SEV_HIGH, .message = "GitHub token ghp_****", .path =
					  "app/testdata/fixtures/token.txt", .line = 1, .layer = 1, .match = "ghp_****",
					  .category = "GitHub" });
	/* 2: a hostile file name, invalid UTF-8 in the match, deleted in a later layer */
	add_finding(a, &(struct finding){ .kind = FINDING_KIND_SECRET, .rule_id = "private-key", .title = "Private key",
					  .severity = SEV_HIGH, .message = "RSA private key",
					  .path = "root/.ssh/id_rsa\x1b[31m", .line = 1, .end_line = 27, .layer = 0,
					  .match = "-----BEGIN RSA PRIVATE KEY-----\xff****", .category = "SSH",
					  .deleted = true });
	/* 3 */ add_finding(a, &(struct finding){ .kind = FINDING_KIND_MALWARE, .rule_id = "yara:EICAR_Test_File",
						.title = "EICAR test file", .severity = SEV_CRITICAL,
						.message = "EICAR test file (yara rule EICAR_Test_File)",
						.path = "tmp/eicar com.txt", .layer = 1, .category = "yara" });
	/* 4: a Dockerfile line range with a control */
	add_finding(a, &(struct finding){ .kind = FINDING_KIND_MISCONFIG, .rule_id = "DF001", .title = "Image runs as root",
					  .severity = SEV_HIGH, .message = "USER is root", .path = "Dockerfile", .line = 4,
					  .end_line = 6, .layer = -1, .category = "dockerfile",
					  .remediation = "Add a USER instruction with a non-root user.",
					  .control = "CIS Docker 4.1", .reference = "https://www.cisecurity.org/benchmark/docker" });
	/* 5: Kubernetes; ignored by namespaces/objects */
	add_finding(a, &(struct finding){ .kind = FINDING_KIND_MISCONFIG, .rule_id = "KSV-PSS-PRIVILEGED",
					  .title = "Privileged container", .severity = SEV_HIGH,
					  .message = "container app is privileged", .path = "deploy/web.yaml", .line = 12,
					  .location = "Deployment/prod/web: container app", .layer = -1,
					  .category = "kubernetes", .ns = "prod", .object = "web",
					  .control = "Pod Security Standards: baseline" });
	/* 6: image config: no file, no line */
	add_finding(a, &(struct finding){ .kind = FINDING_KIND_MISCONFIG, .rule_id = "IMG002", .title = "No HEALTHCHECK",
					  .severity = SEV_LOW, .message = "the image has no HEALTHCHECK",
					  .location = "config.Healthcheck", .layer = -1, .category = "image",
					  .control = "CIS Docker 4.6" });
	/* 7: image config, the same rule id as the vulnerability below */
	add_finding(a, &(struct finding){ .kind = FINDING_KIND_MISCONFIG, .rule_id = "CVE-2023-4911",
					  .title = "Odd rule named like a CVE", .severity = SEV_MEDIUM,
					  .message = "config.Env sets GLIBC_TUNABLES", .location = "config.Env[2]",
					  .layer = -1, .category = "image" });
}

static struct vuln_match vmatch[] = {
	{ .pkg = 0, .id = "CVE-2023-4911", .status = AFFECT_FIXED, .fixed = "2.36-9+deb12u3", .severity = SEV_HIGH,
	  .installed = "2.36-9", .ecosystem = "debian:12", .db_package = "glibc", .source = "debian-tracker",
	  .cvss3 = -1, .cvss4 = -1 },
};
static const struct match_result mr = { .v = vmatch, .n = 1 };

static void load_ignores(const char *text, const char *name, struct ignore_list *l)
{
	struct berr e = { 0 };
	if (ignore_parse(text, strlen(text), name, TODAY, l, &e) != BOSUN_OK)
		fail_msg("ignore file: %s", e.msg);
}

static const char *const yaml_ignores = "secrets:\n"
					"  - paths: [\"app/testdata/**\"]\n"
					"    reason: test fixtures\n"
					"misconfigurations:\n"
					"  - id: KSV-PSS-PRIVILEGED\n"
					"    namespaces: [prod]\n"
					"    objects: [\"w*\"]\n"
					"    expires: 2030-01-01\n"
					"  - id: DF001\n"
					"    expires: 2020-01-01\n"; /* expired: still reported */

/* ---- policy ------------------------------------------------------------------- */

static void test_build_counts(void **state)
{
	(void)state;
	struct artifact a;
	image(&a);
	struct report_policy p = { 0 };
	struct vuln_report r;
	struct berr e = { 0 };
	assert_int_equal(report_build(&a, &mr, NULL, &p, &r, &e), BOSUN_OK);
	assert_true(r.vulns_scanned);
	assert_int_equal(r.nitems, 8);
	assert_int_equal(r.vulns.reported, 1);
	assert_int_equal(r.kinds[FINDING_KIND_SECRET].reported, 3);
	assert_int_equal(r.kinds[FINDING_KIND_MALWARE].reported, 1);
	assert_int_equal(r.kinds[FINDING_KIND_MISCONFIG].reported, 4);
	assert_int_equal(r.reported, 9); /* every kind gates */
	assert_int_equal(r.by_severity[SEV_CRITICAL], 2);
	assert_int_equal(r.by_severity[SEV_HIGH], 5); /* the CVE, 2 secrets, 2 misconfigurations */
	assert_int_equal(r.vulns.by_severity[SEV_HIGH], 1);
	assert_int_equal(r.kinds[FINDING_KIND_MISCONFIG].by_severity[SEV_LOW], 1);
	assert_int_equal(r.finding_kinds, 7u);
	report_free(&r);

	/* --severity HIGH,CRITICAL and the YAML ignore file */
	struct ignore_list ig;
	load_ignores(yaml_ignores, "ign.yaml", &ig);
	assert_int_equal(report_parse_severities("HIGH,CRITICAL", &p.severities, &e), BOSUN_OK);
	p.ignores = &ig;
	assert_int_equal(report_build(&a, &mr, NULL, &p, &r, &e), BOSUN_OK);
	assert_int_equal(r.items[0].state, FINDING_REPORTED);
	assert_int_equal(r.items[1].state, FINDING_IGNORED);
	assert_non_null(r.items[1].ignore);
	assert_string_equal(r.items[1].ignore->reason, "test fixtures");
	assert_int_equal(r.items[2].state, FINDING_REPORTED);
	assert_int_equal(r.items[3].state, FINDING_REPORTED);
	assert_int_equal(r.items[4].state, FINDING_REPORTED); /* its entry expired */
	assert_int_equal(r.items[5].state, FINDING_IGNORED);
	assert_int_equal(r.items[6].state, FINDING_FILTERED); /* LOW */
	assert_int_equal(r.items[7].state, FINDING_FILTERED); /* MEDIUM */
	assert_int_equal(r.f[0].state, FINDING_REPORTED);     /* a misconfig entry does not touch the CVE */
	assert_int_equal(r.kinds[FINDING_KIND_SECRET].ignored, 1);
	assert_int_equal(r.kinds[FINDING_KIND_MISCONFIG].ignored, 1);
	assert_int_equal(r.kinds[FINDING_KIND_MISCONFIG].filtered, 2);
	assert_int_equal(r.ignored, 2);
	assert_int_equal(r.filtered, 2);
	assert_int_equal(r.reported, 5);
	assert_int_equal(r.by_severity[SEV_HIGH] + r.by_severity[SEV_CRITICAL], 5);
	/* the expired entry is named with its section */
	assert_int_equal(r.nwarnings, 1);
	assert_non_null(strstr(r.warnings[0], "misconfigurations entry 2 (DF001) expired on 2020-01-01"));
	report_free(&r);
	ignore_free(&ig);

	/* The plain form: rule ids of every kind, and vulnerability ids. */
	load_ignores("aws-access-key-id\nyara:eicar_test_file  # case-insensitive\nCVE-2023-4911\n", ".trivyignore",
		     &ig);
	p.severities = 0;
	assert_int_equal(report_build(&a, &mr, NULL, &p, &r, &e), BOSUN_OK);
	assert_int_equal(r.items[0].state, FINDING_IGNORED);
	assert_int_equal(r.items[3].state, FINDING_IGNORED);
	assert_int_equal(r.items[7].state, FINDING_IGNORED); /* a plain id is about any kind */
	assert_int_equal(r.f[0].state, FINDING_IGNORED);
	assert_int_equal(r.vulns.ignored, 1);
	assert_int_equal(r.reported, 5);
	report_free(&r);
	ignore_free(&ig);

	/* Only findings that pass nothing: no gate. */
	assert_int_equal(report_parse_severities("NEGLIGIBLE", &p.severities, &e), BOSUN_OK);
	assert_int_equal(report_build(&a, &mr, NULL, &p, &r, &e), BOSUN_OK);
	assert_int_equal(r.reported, 0);
	assert_int_equal(r.filtered, 9);
	report_free(&r);
	artifact_free(&a);
}

/* No vulnerability scan ran (mr == NULL): findings alone decide. */
static void test_build_without_vulns(void **state)
{
	(void)state;
	struct artifact a;
	image(&a);
	struct report_policy p = { .finding_kinds = 1u << FINDING_KIND_SECRET };
	struct vuln_report r;
	struct berr e = { 0 };
	assert_int_equal(report_build(&a, NULL, NULL, &p, &r, &e), BOSUN_OK);
	assert_false(r.vulns_scanned);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.reported, 8);
	assert_int_equal(r.vulns.reported, 0);
	report_free(&r);

	/* an empty artifact, the secret scanner ran: a section that says so */
	struct artifact empty;
	artifact_init(&empty);
	empty.target = S(&empty, "./src");
	empty.target_kind = S(&empty, "fs");
	assert_int_equal(report_build(&empty, NULL, NULL, &p, &r, &e), BOSUN_OK);
	assert_int_equal(r.reported, 0);
	assert_int_equal(r.finding_kinds, 1u << FINDING_KIND_SECRET);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(report_write(&r, REPORT_TABLE, NULL, out, &e), BOSUN_OK);
	fclose(out);
	assert_non_null(strstr(text, "Secrets: 0 (CRITICAL: 0"));
	assert_non_null(strstr(text, "No secrets found."));
	assert_null(strstr(text, "Malware"));
	assert_null(strstr(text, "vulnerabilities"));
	free(text);
	report_free(&r);
	p.finding_kinds = 0; /* unknown: nothing to say but that nothing was found */
	assert_int_equal(report_build(&empty, NULL, NULL, &p, &r, &e), BOSUN_OK);
	out = open_memstream(&text, &len);
	assert_int_equal(report_write(&r, REPORT_TABLE, NULL, out, &e), BOSUN_OK);
	fclose(out);
	assert_non_null(strstr(text, "No secrets, malware or misconfigurations found."));
	free(text);
	report_free(&r);
	artifact_free(&empty);
	artifact_free(&a);
}

/* ---- writers ------------------------------------------------------------------ */

static char *write_to_file(const struct vuln_report *r, enum report_format f)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/bosun-test-report-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *out = fdopen(fd, "w");
	assert_non_null(out);
	struct berr e = { 0 };
	static const struct sbom_options fixed = { 1714557600, "0f8fad5b-d9cb-469f-a165-70867728950e" };
	if (report_write(r, f, &fixed, out, &e) != BOSUN_OK)
		fail_msg("report_write: %s", e.msg);
	assert_int_equal(fclose(out), 0);
	return path;
}

/* tests/tools/validate-schema.py KIND PATH; skipped without $BOSUN_SHARED. */
static void validate(const char *kind, const char *path)
{
	const char *shared = getenv("BOSUN_SHARED");
	if (!shared || !*shared) {
		fprintf(stderr, "# BOSUN_SHARED unset: %s not validated as %s\n", path, kind);
		return;
	}
	const char *src = getenv("BOSUN_SRC");
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "BOSUN_SHARED='%s' /usr/bin/python3 '%s/tests/tools/validate-schema.py' %s '%s'",
		 shared, src && *src ? src : ".", kind, path);
	if (system(cmd) != 0)
		fail_msg("%s does not validate as %s; kept for inspection", path, kind);
}

static void build_policy_report(struct artifact *a, struct ignore_list *ig, struct vuln_report *r)
{
	image(a);
	load_ignores(yaml_ignores, "ign.yaml", ig);
	struct report_policy p = { .ignores = ig };
	struct berr e = { 0 };
	assert_int_equal(report_build(a, &mr, NULL, &p, r, &e), BOSUN_OK);
}

static void test_table(void **state)
{
	(void)state;
	struct artifact a;
	struct ignore_list ig;
	struct vuln_report r;
	build_policy_report(&a, &ig, &r);
	char *path = write_to_file(&r, REPORT_TABLE);
	size_t n;
	char *text = (char *)test_read_file(path, &n);
	unlink(path);
	/* vulnerabilities first, with their own counts */
	assert_non_null(strstr(text, "Total: 1 (CRITICAL: 0, HIGH: 1,"));
	assert_non_null(strstr(text, "CVE-2023-4911"));
	assert_true(strstr(text, "Total: 1") < strstr(text, "Secrets: 2"));
	assert_non_null(strstr(text, "Secrets: 2 (CRITICAL: 1, HIGH: 1, MEDIUM: 0, LOW: 0, NEGLIGIBLE: 0, UNKNOWN: 0)"));
	assert_non_null(strstr(text, "Not shown: 1 ignored by the ignore file, 0 filtered by severity"));
	assert_non_null(strstr(text, "Malware: 1 (CRITICAL: 1,"));
	assert_non_null(strstr(text, "Misconfigurations: 3 (CRITICAL: 0, HIGH: 1, MEDIUM: 1, LOW: 1,"));
	assert_non_null(strstr(text, "SEVERITY  RULE"));
	assert_non_null(strstr(text, "MESSAGE")); /* misconfigurations show what is wrong */
	assert_non_null(strstr(text, "app/.env:3"));
	assert_non_null(strstr(text, "AKIA************MPLE"));
	assert_non_null(strstr(text, "1 00000000000")); /* layer 1, short diff_id */
	assert_non_null(strstr(text, "Dockerfile:4-6"));
	assert_non_null(strstr(text, "config.Healthcheck"));
	assert_non_null(strstr(text, "root/.ssh/id_rsa?[31m:1-27 (deleted in a later layer)"));
	assert_non_null(strstr(text, "-----BEGIN RSA PRIVATE KEY-----?****"));
	assert_null(strstr(text, "github-pat")); /* ignored */
	assert_null(strchr(text, '\x1b'));
	/* every byte printable or UTF-8 */
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 && *p != '\n')
			fail_msg("control byte 0x%02x in the table", *p);
	free(text);
	report_free(&r);

	/* no vulnerability scan: no vulnerability table, no Total line */
	struct report_policy p = { 0 };
	struct berr e = { 0 };
	assert_int_equal(report_build(&a, NULL, NULL, &p, &r, &e), BOSUN_OK);
	path = write_to_file(&r, REPORT_TABLE);
	text = (char *)test_read_file(path, &n);
	unlink(path);
	assert_null(strstr(text, "Total:"));
	assert_null(strstr(text, "No vulnerabilities found"));
	assert_null(strstr(text, "Packages:"));
	assert_non_null(strstr(text, "Secrets: 3"));
	free(text);
	report_free(&r);
	ignore_free(&ig);
	artifact_free(&a);
}

static json_t *item_of(json_t *doc, const char *key, const char *rule)
{
	json_t *arr = json_object_get(doc, key), *v;
	size_t i;
	json_array_foreach(arr, i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "ruleId")), rule) == 0)
			return v;
	}
	fail_msg("no %s with ruleId %s", key, rule);
	return NULL;
}

static json_int_t jint(json_t *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *v = o;
	for (char *save, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
		v = json_object_get(v, k);
	if (!json_is_integer(v))
		fail_msg("%s is no integer", path);
	return json_integer_value(v);
}

static void test_json(void **state)
{
	(void)state;
	struct artifact a;
	struct ignore_list ig;
	struct vuln_report r;
	build_policy_report(&a, &ig, &r);
	char *path = write_to_file(&r, REPORT_JSON);
	validate("vulns", path);
	json_t *doc = test_load_json(path);
	unlink(path);
	assert_true(json_is_true(json_object_get(doc, "vulnerabilityScan")));
	assert_int_equal(json_array_size(json_object_get(doc, "vulnerabilities")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "secrets")), 3); /* the ignored one kept */
	assert_int_equal(json_array_size(json_object_get(doc, "malware")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "misconfigurations")), 4);
	assert_int_equal(jint(doc, "summary.reported"), 7);
	assert_int_equal(jint(doc, "summary.ignored"), 2);
	assert_int_equal(jint(doc, "summary.byKind.secrets.reported"), 2);
	assert_int_equal(jint(doc, "summary.byKind.secrets.ignored"), 1);
	assert_int_equal(jint(doc, "summary.byKind.vulnerabilities.reported"), 1);
	assert_int_equal(jint(doc, "summary.byKind.misconfigurations.bySeverity.LOW"), 1);
	assert_int_equal(jint(doc, "summary.bySeverity.CRITICAL"), 2);

	json_t *aws = item_of(doc, "secrets", "aws-access-key-id");
	assert_string_equal(json_string_value(json_object_get(aws, "state")), "reported");
	assert_true(json_is_null(json_object_get(aws, "suppressedBy")));
	assert_int_equal(jint(aws, "line"), 3);
	assert_int_equal(jint(aws, "layer.index"), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(aws, "layer"), "diffID")),
			    a.layers[1].diff_id);
	assert_string_equal(json_string_value(json_object_get(json_object_get(aws, "layer"), "digest")),
			    a.layers[1].digest);
	assert_string_equal(json_string_value(json_object_get(aws, "match")), "AKIA************MPLE");
	json_t *pat = item_of(doc, "secrets", "github-pat");
	assert_string_equal(json_string_value(json_object_get(pat, "state")), "ignored");
	json_t *sb = json_object_get(pat, "suppressedBy");
	assert_string_equal(json_string_value(json_object_get(sb, "section")), "secrets");
	assert_int_equal(jint(sb, "entry"), 1);
	assert_string_equal(json_string_value(json_object_get(sb, "reason")), "test fixtures");
	json_t *key = item_of(doc, "secrets", "private-key");
	assert_true(json_is_true(json_object_get(key, "deleted")));
	assert_int_equal(jint(key, "endLine"), 27);
	json_t *ksv = item_of(doc, "misconfigurations", "KSV-PSS-PRIVILEGED");
	assert_string_equal(json_string_value(json_object_get(ksv, "namespace")), "prod");
	assert_string_equal(json_string_value(json_object_get(ksv, "object")), "web");
	assert_string_equal(json_string_value(json_object_get(json_object_get(ksv, "suppressedBy"), "expires")),
			    "2030-01-01");
	json_t *hc = item_of(doc, "misconfigurations", "IMG002");
	assert_true(json_is_null(json_object_get(hc, "path")));
	assert_true(json_is_null(json_object_get(hc, "line")));
	assert_true(json_is_null(json_object_get(hc, "layer")));
	assert_string_equal(json_string_value(json_object_get(hc, "control")), "CIS Docker 4.6");
	json_decref(doc);
	report_free(&r);

	/* Without a vulnerability scan: the flag, empty arrays, valid. */
	struct report_policy p = { 0 };
	struct berr e = { 0 };
	assert_int_equal(report_build(&a, NULL, NULL, &p, &r, &e), BOSUN_OK);
	path = write_to_file(&r, REPORT_JSON);
	validate("vulns", path);
	doc = test_load_json(path);
	unlink(path);
	assert_true(json_is_false(json_object_get(doc, "vulnerabilityScan")));
	assert_int_equal(json_array_size(json_object_get(doc, "vulnerabilities")), 0);
	assert_true(json_is_null(json_object_get(doc, "database")));
	assert_int_equal(jint(doc, "summary.reported"), 8);
	json_decref(doc);
	report_free(&r);
	ignore_free(&ig);
	artifact_free(&a);
}

static json_t *result_of(json_t *results, const char *rule)
{
	json_t *v;
	size_t i;
	json_array_foreach(results, i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "ruleId")), rule) == 0)
			return v;
	}
	fail_msg("no result for rule %s", rule);
	return NULL;
}

static const char *jpath_str(json_t *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	json_t *v = o;
	for (char *save, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
		v = isdigit((unsigned char)k[0]) ? json_array_get(v, (size_t)atoi(k)) : json_object_get(v, k);
	if (!json_is_string(v))
		fail_msg("%s is no string", path);
	return json_string_value(v);
}

static void test_sarif(void **state)
{
	(void)state;
	struct artifact a;
	struct ignore_list ig;
	struct vuln_report r;
	build_policy_report(&a, &ig, &r);
	char *path = write_to_file(&r, REPORT_SARIF);
	validate("sarif", path);
	json_t *doc = test_load_json(path);
	unlink(path);
	json_t *run = json_array_get(json_object_get(doc, "runs"), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "runs")), 1);
	json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	json_t *results = json_object_get(run, "results");
	/* 1 vulnerability + 2 secrets + 1 malware + 3 misconfigurations reported */
	assert_int_equal(json_array_size(results), 7);
	assert_int_equal(json_array_size(rules), 7);

	json_t *aws = result_of(results, "aws-access-key-id");
	assert_string_equal(jpath_str(aws, "level"), "error");
	assert_string_equal(jpath_str(aws, "locations.0.physicalLocation.artifactLocation.uri"), "app/.env");
	json_t *reg = json_object_get(json_object_get(json_array_get(json_object_get(aws, "locations"), 0),
						      "physicalLocation"),
				      "region");
	assert_int_equal(jint(reg, "startLine"), 3);
	assert_int_equal(jint(reg, "endLine"), 3);
	assert_string_equal(jpath_str(aws, "properties.layer.diffID"), a.layers[1].diff_id);
	assert_string_equal(jpath_str(aws, "properties.kind"), "secret");
	/* percent-encoded path */
	json_t *eicar = result_of(results, "yara:EICAR_Test_File");
	assert_string_equal(jpath_str(eicar, "locations.0.physicalLocation.artifactLocation.uri"), "tmp/eicar%20com.txt");
	/* image config: the pseudo-file and a logical location */
	json_t *hc = result_of(results, "IMG002");
	assert_string_equal(jpath_str(hc, "level"), "note");
	assert_string_equal(jpath_str(hc, "locations.0.physicalLocation.artifactLocation.uri"), "image-config");
	assert_string_equal(jpath_str(hc, "locations.0.logicalLocations.0.fullyQualifiedName"), "config.Healthcheck");
	/* a rule id that is a vulnerability id too gets the kind in front */
	json_t *odd = result_of(results, "misconfiguration:CVE-2023-4911");
	assert_string_equal(jpath_str(odd, "level"), "warning");
	result_of(results, "CVE-2023-4911");
	/* the rule of a misconfiguration: remediation, control, help URI, GitHub's severity, tags */
	json_t *v;
	size_t i;
	json_t *df = NULL;
	json_array_foreach(rules, i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "id")), "DF001") == 0)
			df = v;
	}
	assert_non_null(df);
	assert_string_equal(jpath_str(df, "shortDescription.text"), "Image runs as root");
	assert_string_equal(jpath_str(df, "fullDescription.text"),
			    "Add a USER instruction with a non-root user. (CIS Docker 4.1)");
	assert_string_equal(jpath_str(df, "helpUri"), "https://www.cisecurity.org/benchmark/docker");
	assert_string_equal(jpath_str(df, "properties.security-severity"), "8.0");
	assert_string_equal(jpath_str(df, "properties.tags.0"), "misconfiguration");
	assert_string_equal(jpath_str(df, "properties.tags.2"), "dockerfile");
	assert_string_equal(jpath_str(df, "properties.tags.3"), "CIS Docker 4.1");
	json_t *dfr = result_of(results, "DF001");
	assert_int_equal(jint(json_object_get(json_array_get(json_object_get(dfr, "locations"), 0), "physicalLocation"),
			      "region.endLine"),
			 6);
	json_decref(doc);
	report_free(&r);
	ignore_free(&ig);
	artifact_free(&a);
}

static void test_cyclonedx(void **state)
{
	(void)state;
	struct artifact a;
	struct ignore_list ig;
	struct vuln_report r;
	build_policy_report(&a, &ig, &r);
	char *path = write_to_file(&r, REPORT_CYCLONEDX);
	validate("cyclonedx", path);
	size_t n;
	char *text = (char *)test_read_file(path, &n);
	unlink(path);
	/* vulnerabilities only: findings of other kinds are left out (with a warning) */
	assert_non_null(strstr(text, "CVE-2023-4911"));
	assert_null(strstr(text, "aws-access-key-id"));
	assert_null(strstr(text, "AKIA"));
	free(text);
	report_free(&r);
	ignore_free(&ig);
	artifact_free(&a);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_counts), cmocka_unit_test(test_build_without_vulns),
		cmocka_unit_test(test_table),	     cmocka_unit_test(test_json),
		cmocka_unit_test(test_sarif),	     cmocka_unit_test(test_cyclonedx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
