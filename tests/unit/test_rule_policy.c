/* Rule policy files: strict parsing (errors name file and line), rule
 * switches and severities (exact ids over globs), the registry allow-list,
 * and exceptions with and without expiry applied to a finding list. */
#include "testutil.h"

#include "policy/rule_policy.h"

#define TODAY "2025-06-15"

static struct rule_policy *parse_ok(const char *y)
{
	struct rule_policy *p;
	struct berr e = { 0 };
	if (rule_policy_parse(y, strlen(y), "policy.yaml", TODAY, &p, &e))
		fail_msg("parse: %s", e.msg);
	return p;
}

static void parse_err(const char *y, int code, const char *needle)
{
	struct rule_policy *p = (struct rule_policy *)1;
	struct berr e = { 0 };
	int rc = rule_policy_parse(y, strlen(y), "policy.yaml", TODAY, &p, &e);
	if (rc != code)
		fail_msg("rc %d, want %d (%s) for:\n%s", rc, code, e.msg, y);
	assert_null(p);
	if (!strstr(e.msg, needle))
		fail_msg("message '%s' lacks '%s'", e.msg, needle);
}

static void test_glob(void **state)
{
	(void)state;
	assert_true(rule_policy_glob("K8S-*", "K8S-PSS-PRIVILEGED"));
	assert_true(rule_policy_glob("*", ""));
	assert_true(rule_policy_glob("a?c", "abc"));
	assert_false(rule_policy_glob("a?c", "ac"));
	assert_true(rule_policy_glob("*-exporter*", "node-exporter-7f9"));
	assert_false(rule_policy_glob("kube-*", "kube"));
	assert_true(rule_policy_glob("**a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
	assert_false(rule_policy_glob("*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

static void test_errors(void **state)
{
	(void)state;
	parse_err("rulez: {}\n", BOSUN_EFORMAT, "policy.yaml line 1: unknown key 'rulez'");
	parse_err("rules:\n  K8S-X: {severity: SEVERE}\n", BOSUN_EFORMAT, "line 2: rule K8S-X: severity must be");
	parse_err("rules:\n  K8S-X: maybe\n", BOSUN_EFORMAT, "line 2: rule K8S-X: expected on, off");
	parse_err("rules:\n  K8S-X: {enabeld: false}\n", BOSUN_EFORMAT, "unknown key 'enabeld'");
	parse_err("profile: privileged\n", BOSUN_EFORMAT, "profile must be baseline or restricted");
	parse_err("exceptions:\n- rule: K8S-X\n  reason: r\n  expires: 2025-13-01\n", BOSUN_EFORMAT,
		  "line 4: exception for K8S-X: expires must be a date");
	parse_err("exceptions:\n- rule: K8S-X\n", BOSUN_EFORMAT, "line 2: exception for K8S-X: a reason is required");
	parse_err("exceptions:\n- rule: K8S-X\n  rules: [K8S-Y]\n  reason: r\n", BOSUN_EFORMAT,
		  "exactly one of rule or rules");
	parse_err("exceptions:\n- reason: r\n  namespace: x\n", BOSUN_EFORMAT, "exactly one of rule or rules");
	parse_err("exceptions:\n- rule: K8S-X\n  reason: r\n  namspace: kube-system\n", BOSUN_EFORMAT,
		  "line 4: exception: unknown key 'namspace'");
	parse_err("registries: [1]\n", BOSUN_EFORMAT, "registries must be");
	parse_err("a: 1\n---\nb: 2\n", BOSUN_EFORMAT, "more than one YAML document");
	parse_err("rules: [\n", BOSUN_EFORMAT, "policy.yaml: YAML line");
	parse_err("- just\n- a list\n", BOSUN_EFORMAT, "a policy is a mapping");
	/* empty policies change nothing */
	struct rule_policy *p = parse_ok("");
	assert_true(rule_policy_enabled(p, "K8S-ANY"));
	assert_null(rule_policy_profile(p));
	rule_policy_free(p);
	struct berr e = { 0 };
	assert_int_equal(rule_policy_load("/nonexistent/policy.yaml", TODAY, &p, &e), BOSUN_ENOTFOUND);
	assert_non_null(strstr(e.msg, "/nonexistent/policy.yaml"));
}

static void test_rules(void **state)
{
	(void)state;
	struct rule_policy *p = parse_ok("profile: baseline\n"
					 "rules:\n"
					 "  K8S-RESOURCE-*: off\n"
					 "  K8S-RESOURCE-LIMITS: on\n"
					 "  K8S-IMAGE-DIGEST: {enabled: false}\n"
					 "  K8S-PSS-*: {severity: high}\n"
					 "  K8S-PSS-SYSCTLS: {severity: LOW}\n"
					 "  DF001: false\n");
	assert_string_equal(rule_policy_profile(p), "baseline");
	assert_false(rule_policy_enabled(p, "K8S-RESOURCE-REQUESTS"));
	assert_true(rule_policy_enabled(p, "K8S-RESOURCE-LIMITS")); /* the exact id wins over the glob */
	assert_false(rule_policy_enabled(p, "K8S-IMAGE-DIGEST"));
	assert_false(rule_policy_enabled(p, "DF001"));
	assert_true(rule_policy_enabled(p, "K8S-PSS-PRIVILEGED")); /* a severity entry does not switch */
	assert_int_equal(rule_policy_severity(p, "K8S-PSS-PRIVILEGED", SEV_MEDIUM), SEV_HIGH);
	assert_int_equal(rule_policy_severity(p, "K8S-PSS-SYSCTLS", SEV_MEDIUM), SEV_LOW);
	assert_int_equal(rule_policy_severity(p, "K8S-IMAGE-LATEST", SEV_MEDIUM), SEV_MEDIUM);
	rule_policy_free(p);
	/* no policy: everything on, defaults */
	assert_true(rule_policy_enabled(NULL, "K8S-X"));
	assert_int_equal(rule_policy_severity(NULL, "K8S-X", SEV_LOW), SEV_LOW);
}

static void test_registries(void **state)
{
	(void)state;
	struct rule_policy *p = parse_ok("registries:\n- registry.example.com\n- ghcr.io/acme/\n- '*.corp.internal'\n"
					 "- docker.io/library\n");
	size_t n;
	rule_policy_registries(p, &n);
	assert_int_equal(n, 4);
	assert_true(rule_policy_image_allowed(p, "registry.example.com/team/app:1.0"));
	assert_true(rule_policy_image_allowed(p, "ghcr.io/acme/app@sha256:abc"));
	assert_false(rule_policy_image_allowed(p, "ghcr.io/acme-evil/app:1"));
	assert_false(rule_policy_image_allowed(p, "registry.example.com.evil.io/app:1"));
	assert_true(rule_policy_image_allowed(p, "eu.corp.internal/x/y:2"));
	assert_true(rule_policy_image_allowed(p, "nginx:1.25"));         /* docker.io/library/nginx */
	assert_true(rule_policy_image_allowed(p, "index.docker.io/library/redis"));
	assert_false(rule_policy_image_allowed(p, "bitnami/redis:7"));   /* docker.io/bitnami */
	assert_false(rule_policy_image_allowed(p, "localhost:5000/app")); /* a port is a registry */
	rule_policy_free(p);
	assert_true(rule_policy_image_allowed(NULL, "anything/at:all"));
}

static void add(struct finding_list *l, const char *rule, const char *ns, const char *obj, const char *loc,
		const char *path)
{
	struct finding f = { .kind = FINDING_KIND_MISCONFIG, .rule_id = rule, .severity = SEV_MEDIUM,
			     .message = "m", .path = path, .location = loc, .ns = ns, .object = obj, .layer = -1 };
	assert_int_equal(finding_add(l, &f), 0);
}

static void test_apply(void **state)
{
	(void)state;
	struct rule_policy *p = parse_ok(
		"rules:\n  K8S-READONLY-ROOTFS: off\n  K8S-PSS-HOST-PATH: {severity: CRITICAL}\n"
		"exceptions:\n"
		"- rule: K8S-PSS-HOST-PATH\n  namespace: monitoring\n  name: node-exporter*\n  kind: DaemonSet\n"
		"  reason: reads the node's /proc and /sys\n"              /* no expiry: always */
		"- rules: [K8S-PSS-PRIVILEGED, K8S-PSS-HOST-NAMESPACES]\n  namespace: kube-*\n"
		"  reason: CNI plugin\n  expires: 2030-01-01\n"            /* live */
		"- rule: K8S-IMAGE-*\n  namespace: legacy\n  reason: migrating\n  expires: 2025-06-15\n" /* expired today */
		"- rule: DF002\n  path: 'services/*/Dockerfile'\n  reason: build images run as root\n");
	struct finding_list l;
	finding_list_init(&l);
	add(&l, "K8S-PSS-HOST-PATH", "monitoring", "node-exporter-abc", "DaemonSet/monitoring/node-exporter-abc", "a.yaml");
	add(&l, "K8S-PSS-HOST-PATH", "monitoring", "node-exporter", "Deployment/monitoring/node-exporter", "a.yaml");
	add(&l, "K8S-PSS-HOST-PATH", "apps", "web", "Deployment/apps/web", "a.yaml");
	add(&l, "K8S-PSS-PRIVILEGED", "kube-system", "calico", "DaemonSet/kube-system/calico: container c", "b.yaml");
	add(&l, "K8S-PSS-HOST-NAMESPACES", "kube-flannel", "flannel", "DaemonSet/kube-flannel/flannel", "b.yaml");
	add(&l, "K8S-IMAGE-LATEST", "legacy", "old", "Pod/legacy/old: container c", "c.yaml");
	add(&l, "K8S-IMAGE-DIGEST", "legacy", "old", "Pod/legacy/old: container c", "c.yaml");
	add(&l, "K8S-READONLY-ROOTFS", "apps", "web", "Deployment/apps/web: container c", "a.yaml");
	add(&l, "DF002", NULL, NULL, NULL, "services/api/Dockerfile");
	add(&l, "DF002", NULL, NULL, NULL, "Dockerfile");

	struct rule_policy_outcome out;
	struct berr e = { 0 };
	assert_int_equal(rule_policy_apply(p, &l, &out, &e), 0);
	assert_int_equal(out.disabled, 1);
	assert_int_equal(out.excepted, 4); /* node-exporter DaemonSet, calico, flannel, services/api/Dockerfile */
	assert_int_equal(l.n, 5);
	/* what remains, in order: the Deployment node-exporter (kind does not match), web, both legacy, Dockerfile */
	assert_string_equal(l.v[0].location, "Deployment/monitoring/node-exporter");
	assert_int_equal(l.v[0].severity, SEV_CRITICAL);
	assert_string_equal(l.v[1].object, "web");
	assert_string_equal(l.v[2].rule_id, "K8S-IMAGE-LATEST");
	assert_string_equal(l.v[3].rule_id, "K8S-IMAGE-DIGEST");
	assert_string_equal(l.v[4].path, "Dockerfile");
	assert_int_equal(out.overridden, 2);
	/* the expired exception is reported with the findings it no longer covers */
	assert_int_equal(out.nwarnings, 1);
	if (!strstr(out.warnings[0], "policy.yaml line 14: exception for K8S-IMAGE-* (legacy/*) expired on "
				     "2025-06-15; 2 findings are no longer excepted"))
		fail_msg("warning: %s", out.warnings[0]);
	rule_policy_outcome_free(&out);

	/* idempotent: a second run drops and changes nothing */
	assert_int_equal(rule_policy_apply(p, &l, &out, &e), 0);
	assert_int_equal(out.disabled + out.excepted + out.overridden, 0);
	assert_int_equal(l.n, 5);
	rule_policy_outcome_free(&out);

	/* NULL policy: nothing happens */
	assert_int_equal(rule_policy_apply(NULL, &l, &out, &e), 0);
	assert_int_equal(l.n, 5);
	rule_policy_outcome_free(&out);
	finding_list_free(&l);
	rule_policy_free(p);
}

static void test_load_file(void **state)
{
	(void)state;
	struct rule_policy *p;
	struct berr e = { 0 };
	assert_int_equal(rule_policy_load("tests/data/k8s/policy/policy.yaml", TODAY, &p, &e), 0);
	assert_false(rule_policy_enabled(p, "K8S-RESOURCE-REQUESTS"));
	rule_policy_free(p);
	assert_int_equal(rule_policy_load("tests/data/k8s/policy/bad-key.yaml", TODAY, &p, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "tests/data/k8s/policy/bad-key.yaml line"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_registries),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_load_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
