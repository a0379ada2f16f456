/* Ignore files for secrets, malware and misconfigurations: the YAML
 * sections secrets:, misconfigurations:, malware:, their errors, the path
 * globs, Kubernetes namespaces and objects, and how the plain form and the
 * vulnerabilities: section relate to them. */
#include "testutil.h"

#include "finding/finding.h"
#include "policy/ignore.h"
#include "util/log.h"

#define TODAY "2025-06-15"

static int parse(const char *text, const char *name, struct ignore_list *l, struct berr *e)
{
	*e = (struct berr){ 0 };
	return ignore_parse(text, strlen(text), name, TODAY, l, e);
}

static void test_glob(void **state)
{
	(void)state;
	struct {
		const char *pattern, *path;
		bool want;
	} cases[] = {
		{ "app/.env", "app/.env", true },
		{ "/app/.env", "app/.env", true }, /* leading '/' on either side */
		{ "app/.env", "/app/.env", true },
		{ "app/.env", "app/.env2", false },
		{ "*.pem", "key.pem", true },
		{ "*.pem", "certs/key.pem", false }, /* '*' stays in one segment */
		{ "**/*.pem", "certs/key.pem", true },
		{ "**/*.pem", "key.pem", true }, /* "**" + "/" may be nothing */
		{ "**/*.pem", "a/b/c/key.pem", true },
		{ "app/testdata/**", "app/testdata/x/y/z.txt", true },
		{ "app/testdata/**", "app/testdatax/y", false },
		{ "app/**/fixtures/*", "app/fixtures/a", true },
		{ "app/**/fixtures/*", "app/x/y/fixtures/a", true },
		{ "app/**/fixtures/*", "app/x/y/fixtures/a/b", false },
		{ "app/**", "app", false },
		{ "**", "anything/at/all", true },
		{ "?.txt", "a.txt", true },
		{ "?.txt", "/.txt", false },
		{ "?.txt", "ab.txt", false },
		{ "a\\*b", "a*b", true },
		{ "a\\*b", "axb", false },
		{ "*", "", true },
		{ "", "", true },
		{ "", "a", false },
		{ "dir with space/*", "dir with space/f", true },
		{ "a*b*c*d*e*f*g*h*i*j*k", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (ignore_glob_match(cases[i].pattern, cases[i].path) != cases[i].want)
			fail_msg("glob \"%s\" on \"%s\": want %d", cases[i].pattern, cases[i].path, cases[i].want);
	assert_false(ignore_glob_match(NULL, "a"));
	assert_false(ignore_glob_match("a", NULL));

	/* A long path (heap rows) and a pathological pattern stay linear: */
	size_t n = 100000;
	char *path = malloc(n + 1), *pat = malloc(2001);
	assert_non_null(path);
	assert_non_null(pat);
	memset(path, 'a', n);
	path[n] = '\0';
	for (size_t i = 0; i < 2000; i += 2) {
		pat[i] = '*';
		pat[i + 1] = 'a';
	}
	pat[2000] = '\0';
	assert_true(ignore_glob_match(pat, path));
	path[n - 1] = 'b';
	assert_false(ignore_glob_match(pat, path));
	free(path);
	free(pat);
}

static const char *yaml = "vulnerabilities:\n"
			  "  - id: CVE-2023-4911\n"
			  "  - id: KSV001\n" /* a vulnerability entry: not for misconfigurations */
			  "secrets:\n"
			  "  - id: aws-access-key-id\n"
			  "    paths: [\"app/testdata/**\", \"**/*.example\"]\n"
			  "    reason: test fixtures\n"
			  "  - paths: \"vendor/**\"\n"
			  "    statement: third-party code\n"
			  "    expired_at: 2025-06-15\n" /* expired today */
			  "misconfigurations:\n"
			  "  - id: DF001\n"
			  "  - id: KSV-PSS-PRIVILEGED\n"
			  "    namespaces: [kube-system, \"monitoring-*\"]\n"
			  "  - objects: [\"legacy-*\"]\n"
			  "    expires: 2030-01-01\n"
			  "malware:\n"
			  "  - id: yara:EICAR_Test_File\n"
			  "    paths: [\"opt/av-tests/**\"]\n"
			  "licenses:\n" /* Trivy's, not ours: left alone */
			  "  - id: GPL-3.0\n";

static struct finding F(enum finding_kind k, const char *rule, const char *path)
{
	return (struct finding){ .kind = k, .rule_id = rule, .path = path, .layer = -1 };
}

static void test_sections(void **state)
{
	(void)state;
	struct ignore_list l;
	struct berr e;
	assert_int_equal(parse(yaml, ".trivyignore.yaml", &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 8);
	assert_int_equal(l.v[2].scope, IGNORE_SCOPE_SECRETS);
	assert_int_equal(l.v[2].line, 1); /* entries count per section */
	assert_int_equal(l.v[3].line, 2);
	assert_true(l.v[3].expired);
	assert_string_equal(l.v[3].reason, "third-party code");
	assert_int_equal(l.v[4].scope, IGNORE_SCOPE_MISCONFIGURATIONS);
	assert_int_equal(l.v[7].scope, IGNORE_SCOPE_MALWARE);
	assert_string_equal(ignore_scope_name(l.v[7].scope), "malware");
	assert_string_equal(ignore_scope_name(IGNORE_SCOPE_ANY), "");

	struct finding f = F(FINDING_KIND_SECRET, "AWS-ACCESS-KEY-ID", "app/testdata/keys.txt");
	const struct ignore_entry *en = ignore_match_finding(&l, &f);
	assert_ptr_equal(en, &l.v[2]); /* rule ids case-insensitive */
	f.path = "deploy/prod.example";
	assert_ptr_equal(ignore_match_finding(&l, &f), &l.v[2]);
	f.path = "app/config.env";
	assert_null(ignore_match_finding(&l, &f));
	f.path = NULL; /* not in a file: entries with paths never match */
	assert_null(ignore_match_finding(&l, &f));
	f.path = "vendor/x/key.pem"; /* the paths-only entry expired */
	assert_null(ignore_match_finding(&l, &f));

	/* a misconfiguration's id in another section does not count */
	struct finding ksv = F(FINDING_KIND_MISCONFIG, "KSV001", "deploy/web.yaml");
	assert_null(ignore_match_finding(&l, &ksv));
	struct finding df = F(FINDING_KIND_MISCONFIG, "DF001", "Dockerfile");
	assert_ptr_equal(ignore_match_finding(&l, &df), &l.v[4]);
	df.kind = FINDING_KIND_SECRET; /* the same rule id as a secret: no */
	assert_null(ignore_match_finding(&l, &df));

	/* Kubernetes: namespaces and objects are globs */
	struct finding priv = F(FINDING_KIND_MISCONFIG, "KSV-PSS-PRIVILEGED", "deploy/agent.yaml");
	priv.ns = "monitoring-agents";
	priv.object = "node-exporter";
	assert_ptr_equal(ignore_match_finding(&l, &priv), &l.v[5]);
	priv.ns = "prod";
	assert_null(ignore_match_finding(&l, &priv));
	priv.ns = NULL; /* no namespace: an entry with namespaces does not match */
	assert_null(ignore_match_finding(&l, &priv));
	struct finding legacy = F(FINDING_KIND_MISCONFIG, "KSV-ANY", NULL);
	legacy.object = "legacy-billing";
	assert_ptr_equal(ignore_match_finding(&l, &legacy), &l.v[6]);
	legacy.object = "billing";
	assert_null(ignore_match_finding(&l, &legacy));

	struct finding eicar = F(FINDING_KIND_MALWARE, "yara:EICAR_Test_File", "opt/av-tests/eicar.com");
	assert_ptr_equal(ignore_match_finding(&l, &eicar), &l.v[7]);
	eicar.path = "tmp/eicar.com";
	assert_null(ignore_match_finding(&l, &eicar));

	/* the vulnerability side is unchanged: only vulnerabilities: entries */
	assert_non_null(ignore_match(&l, "CVE-2023-4911", NULL, 0, NULL, NULL));
	assert_null(ignore_match(&l, "DF001", NULL, 0, NULL, NULL));
	assert_null(ignore_match(&l, "aws-access-key-id", NULL, 0, NULL, "app/testdata/keys.txt"));
	ignore_free(&l);

	/* empty sections are no entries */
	assert_int_equal(parse("secrets:\nmalware: []\n", "i.yaml", &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 0);
	ignore_free(&l);
	assert_null(ignore_match_finding(NULL, &eicar));
}

/* The plain form: one id per line, for every kind. */
static void test_plain(void **state)
{
	(void)state;
	struct ignore_list l;
	struct berr e;
	assert_int_equal(parse("CVE-2023-4911\nDF001 # root is fine in this build image\n"
			       "aws-access-key-id exp:2025-01-01\n",
			       ".trivyignore", &l, &e),
			 BOSUN_OK);
	assert_int_equal(l.v[0].scope, IGNORE_SCOPE_ANY);
	struct finding df = F(FINDING_KIND_MISCONFIG, "df001", "Dockerfile");
	assert_ptr_equal(ignore_match_finding(&l, &df), &l.v[1]);
	struct finding aws = F(FINDING_KIND_SECRET, "aws-access-key-id", "app/.env");
	assert_null(ignore_match_finding(&l, &aws)); /* expired */
	struct finding cve = F(FINDING_KIND_MISCONFIG, "CVE-2023-4911", NULL);
	assert_non_null(ignore_match_finding(&l, &cve));
	ignore_free(&l);
}

static void test_errors(void **state)
{
	(void)state;
	struct ignore_list l;
	struct berr e;
	struct {
		const char *text, *msg;
	} bad[] = {
		{ "secrets:\n  - reason: no id\n", "i.yaml: secrets entry 1 has neither id nor paths, namespaces or objects" },
		{ "misconfigurations:\n  - id: DF001\n  - id: X\n    purls: [\"pkg:deb/debian/x\"]\n",
		  "i.yaml: misconfigurations entry 2: purls apply to vulnerabilities only" },
		{ "malware:\n  - id: [a, b]\n", "i.yaml: malware entry 1: id must be one word" },
		{ "secrets:\n  - id: X\n    paths: {a: 1}\n", "secrets entry 1: paths must be a string or a list of strings" },
		{ "secrets:\n  - id: X\n    paths: [\"a\\tb\"]\n", "secrets entry 1: paths[0] is not a pattern" },
		{ "secrets:\n  - id: X\n    paths: [\"\"]\n", "secrets entry 1: paths[0] is not a pattern" },
		{ "secrets:\n  - id: X\n    paths: [1]\n", "paths[0] is not a pattern" },
		{ "secrets:\n  - id: X\n    namespaces: [\"a\\eb\"]\n", "namespaces[0] is not a pattern" },
		{ "secrets:\n  - id: X\n    expires: tomorrow\n", "i.yaml:1: expiry \"tomorrow\" is not a YYYY-MM-DD date" },
		{ "secrets:\n  - id: X\n    reason: [1]\n", "secrets entry 1: reason must be a string" },
		{ "secrets: {id: X}\n", "expected a \"secrets:\" list" },
		{ "misconfigurations:\n  - DF001\n", "misconfigurations entry 1 is not a mapping" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = parse(bad[i].text, "i.yaml", &l, &e);
		if (rc != BOSUN_EFORMAT)
			fail_msg("case %zu: rc %d (%s)", i, rc, e.msg);
		if (!strstr(e.msg, bad[i].msg))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, e.msg, bad[i].msg);
		assert_int_equal(l.n, 0);
	}
	/* a long pattern is refused, a 1024-byte one is fine */
	char text[4096];
	snprintf(text, sizeof text, "secrets:\n  - paths: [\"%01025d\"]\n", 0);
	assert_int_equal(parse(text, "i.yaml", &l, &e), BOSUN_EFORMAT);
	snprintf(text, sizeof text, "secrets:\n  - paths: [\"%01024d\"]\n", 0);
	assert_int_equal(parse(text, "i.yaml", &l, &e), BOSUN_OK);
	ignore_free(&l);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
