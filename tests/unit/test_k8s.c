/* Kubernetes manifests: the loader (multi-document YAML, JSON, List kinds,
 * directories, helm/kustomize output, lines), the rules beyond the Pod
 * Security Standards, the cluster view across files, and hostile input.
 * The PSS controls themselves: test_k8s_pss.c. */
#include "testutil.h"

#include "k8s/k8s.h"
#include "policy/rule_policy.h"
#include "util/yaml_json.h"

#define REAL "tests/data/k8s/real/"
#define HOSTILE "tests/data/k8s/hostile/"

static struct k8s_set *load(const char *path)
{
	struct k8s_set *s = k8s_set_new();
	struct berr e = { 0 };
	if (k8s_set_load_path(s, path, &e))
		fail_msg("%s: %s", path, e.msg);
	return s;
}

static struct k8s_set *load_str(const char *yaml)
{
	struct k8s_set *s = k8s_set_new();
	struct berr e = { 0 };
	if (k8s_set_load_buffer(s, "mem.yaml", yaml, strlen(yaml), &e))
		fail_msg("%s", e.msg);
	return s;
}

static void check(const struct k8s_set *s, const struct rule_policy *p, struct finding_list *l)
{
	finding_list_init(l);
	struct k8s_check_options o = { .profile = K8S_PROFILE_RESTRICTED, .policy = p };
	struct berr e = { 0 };
	if (k8s_check(s, &o, l, &e))
		fail_msg("%s", e.msg);
}

/* The finding of rule `id` about an object whose location starts with `where`. */
static const struct finding *find(const struct finding_list *l, const char *id, const char *where)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].rule_id, id) && (!where || !strncmp(l->v[i].location, where, strlen(where))))
			return &l->v[i];
	return NULL;
}

static size_t count(const struct finding_list *l, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += !strcmp(l->v[i].rule_id, id);
	return n;
}

/* ---- loader --------------------------------------------------------------------- */

static int collect_doc(void *ctx, json_t *doc, unsigned line, struct berr *e)
{
	(void)e;
	return json_array_append_new(ctx, json_pack("{s:o,s:i}", "doc", doc, "line", (json_int_t)line));
}

static void test_yaml_stream_lines(void **state)
{
	(void)state;
	const char *y = "---\n# c\na: 1\nb:\n  c: true\n  d: [x, y]\n---\n---\n- k: v\n";
	struct yaml_json_lines *lines = yaml_json_lines_new();
	json_t *docs = json_array();
	struct berr e = { 0 };
	int rc = yaml_json_parse_stream(y, strlen(y), NULL, "s.yaml", lines, collect_doc, docs, &e);
	assert_int_equal(rc, BOSUN_OK);
	assert_int_equal(json_array_size(docs), 3); /* the empty middle document is null */
	json_t *d0 = json_object_get(json_array_get(docs, 0), "doc");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(docs, 0), "line")), 3);
	assert_true(json_is_null(json_object_get(json_array_get(docs, 1), "doc")));
	json_t *b = json_object_get(d0, "b");
	assert_int_equal(yaml_json_line(lines, b), 5);
	assert_int_equal(yaml_json_member_line(lines, d0, "b"), 4);
	assert_int_equal(yaml_json_member_line(lines, b, "c"), 5); /* a boolean: by its key */
	assert_int_equal(yaml_json_line(lines, json_array_get(json_object_get(b, "d"), 1)), 6);
	assert_int_equal(yaml_json_member_line(lines, b, "nope"), 0);
	json_decref(docs);
	yaml_json_lines_free(lines);
}

static void test_multi_document_helm(void **state)
{
	(void)state;
	struct k8s_set *s = load(REAL "helm-template.yaml");
	/* ServiceAccount, Service, Deployment, Pod; the empty document is skipped silently */
	assert_int_equal(k8s_set_count(s), 4);
	assert_int_equal(k8s_set_warning_count(s), 0);
	const struct k8s_object *d = k8s_set_get(s, 2);
	assert_string_equal(d->kind, "Deployment");
	assert_string_equal(d->name, "shop");
	assert_string_equal(d->ns, "default");
	assert_string_equal(d->api_version, "apps/v1");
	assert_int_equal(d->line, 28); /* its apiVersion line, after the # Source comment */
	assert_true(k8s_is_workload(d));
	assert_false(k8s_is_workload(k8s_set_get(s, 1)));
	struct finding_list l;
	check(s, NULL, &l);
	/* the chart's Deployment is hardened and its ServiceAccount turns the token off */
	assert_null(find(&l, "K8S-SA-TOKEN-AUTOMOUNT", "Deployment/"));
	assert_null(find(&l, "K8S-PSS-RUN-AS-NON-ROOT", "Deployment/"));
	assert_non_null(find(&l, "K8S-IMAGE-DIGEST", "Deployment/default/shop: container shop"));
	/* the test hook pod is not */
	assert_non_null(find(&l, "K8S-IMAGE-LATEST", "Pod/default/shop-test-connection: container wget"));
	finding_list_free(&l);
	k8s_set_free(s);
}

static void test_list_kind(void **state)
{
	(void)state;
	struct k8s_set *s = load(REAL "list.yaml");
	assert_int_equal(k8s_set_count(s), 2);
	assert_int_equal(k8s_set_warning_count(s), 1); /* the string item */
	assert_non_null(strstr(k8s_set_warning(s, 0), "list.yaml line 19"));
	assert_string_equal(k8s_set_get(s, 0)->name, "listed");
	assert_int_equal(k8s_set_get(s, 0)->line, 4);
	struct finding_list l;
	check(s, NULL, &l);
	const struct finding *f = find(&l, "K8S-PSS-HOST-NAMESPACES", "Pod/tools/listed");
	assert_non_null(f);
	assert_int_equal(f->line, 10);
	finding_list_free(&l);
	k8s_set_free(s);
}

static void test_json_manifest(void **state)
{
	(void)state;
	struct k8s_set *s = load(REAL "manifest.json");
	assert_int_equal(k8s_set_count(s), 1);
	struct finding_list l;
	check(s, NULL, &l);
	const struct finding *f = find(&l, "K8S-PSS-PRIVILEGED", "DaemonSet/monitoring/node-agent: container agent");
	assert_non_null(f);
	assert_int_equal(f->line, 13);
	f = find(&l, "K8S-RUNTIME-SOCKET", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_non_null(find(&l, "K8S-PSS-HOST-PATH", NULL));
	finding_list_free(&l);
	k8s_set_free(s);
}

static void test_directory(void **state)
{
	(void)state;
	struct k8s_set *s = load(REAL "dir");
	/* a.yaml, sub/b.yml, sub/c.json in name order; .hidden and notes.txt skipped */
	assert_int_equal(k8s_set_count(s), 3);
	assert_string_equal(k8s_set_get(s, 0)->name, "a");
	assert_string_equal(k8s_set_get(s, 1)->name, "b");
	assert_string_equal(k8s_set_get(s, 2)->name, "c");
	assert_string_equal(k8s_set_get(s, 1)->file, REAL "dir/sub/b.yml");
	k8s_set_free(s);
}

static void test_pod_template(void **state)
{
	(void)state;
	struct k8s_set *s = load_str("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\n"
				     "spec:\n  template:\n    metadata: {labels: {app: r}}\n"
				     "    spec:\n      containers: [{name: c, image: 'x:1', securityContext: {privileged: true}}]\n"
				     "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n");
	const json_t *meta, *spec;
	assert_true(k8s_is_workload(k8s_set_get(s, 0)));
	assert_true(k8s_pod_template(k8s_set_get(s, 0), &meta, &spec));
	assert_non_null(json_object_get(meta, "labels"));
	assert_false(k8s_pod_template(k8s_set_get(s, 1), &meta, &spec));
	assert_string_equal(k8s_set_get(s, 1)->ns, "default");
	k8s_set_free(s);
	s = load_str("apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n");
	assert_string_equal(k8s_set_get(s, 0)->ns, "");
	k8s_set_free(s);
}

static void test_skip_non_objects(void **state)
{
	(void)state;
	struct k8s_set *s = load(REAL "not-k8s.yaml");
	assert_int_equal(k8s_set_count(s), 0);
	assert_int_equal(k8s_set_warning_count(s), 1);
	k8s_set_free(s);
	assert_true(k8s_looks_like_manifest("x: 1\n---\napiVersion: v1\nkind: Pod\n", 34));
	assert_false(k8s_looks_like_manifest("apiVersion: 1\n", 14)); /* no kind */
	assert_false(k8s_looks_like_manifest("kind: x\napiVersion: [\n", 22)); /* broken */
}

/* ---- rules beyond PSS ---------------------------------------------------------------- */

static void test_cluster_admin_across_files(void **state)
{
	(void)state;
	struct k8s_set *s = load(REAL "kustomize-build.yaml");
	struct finding_list l;
	check(s, NULL, &l);
	const struct finding *f = find(&l, "K8S-CLUSTER-ADMIN-BINDING", "ClusterRoleBinding/api-admin");
	assert_non_null(f);
	assert_string_equal(f->ns, "");
	assert_int_equal(f->line, 21);
	f = find(&l, "K8S-CLUSTER-ADMIN-WORKLOAD", "StatefulSet/payments/api");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "ClusterRoleBinding/api-admin"));
	/* a literal password is reported (masked), a *_FILE path and a secretKeyRef are not */
	f = find(&l, "K8S-SECRET-ENV", NULL);
	assert_non_null(f);
	assert_int_equal(count(&l, "K8S-SECRET-ENV"), 1);
	assert_null(strstr(f->message, "s3cr3t-Passw0rd"));
	assert_string_equal(f->match, "s3c********");
	assert_int_equal(f->line, 53);
	/* pinned by digest */
	assert_null(find(&l, "K8S-IMAGE-DIGEST", NULL));
	assert_null(find(&l, "K8S-IMAGE-LATEST", NULL));
	finding_list_free(&l);
	k8s_set_free(s);

	/* the binding in another "file" of the same set still counts; a Group binding too */
	s = k8s_set_new();
	struct berr e = { 0 };
	const char *a = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ci}\n"
			"spec: {serviceAccountName: builder, containers: [{name: c, image: 'x:1'}]}\n";
	const char *b = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
			"metadata: {name: rb, namespace: ci}\nroleRef: {kind: ClusterRole, name: cluster-admin}\n"
			"subjects: [{kind: ServiceAccount, name: builder}]\n";
	assert_int_equal(k8s_set_load_buffer(s, "a.yaml", a, strlen(a), &e), 0);
	assert_int_equal(k8s_set_load_buffer(s, "b.yaml", b, strlen(b), &e), 0);
	check(s, NULL, &l);
	assert_non_null(find(&l, "K8S-CLUSTER-ADMIN-WORKLOAD", "Pod/ci/p"));
	assert_non_null(find(&l, "K8S-CLUSTER-ADMIN-BINDING", "RoleBinding/ci/rb"));
	finding_list_free(&l);
	k8s_set_free(s);
}

static void test_sa_token(void **state)
{
	(void)state;
	struct k8s_set *s = load_str(
		"apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: quiet, namespace: a}\nautomountServiceAccountToken: false\n"
		"---\napiVersion: v1\nkind: Pod\nmetadata: {name: uses-quiet, namespace: a}\n"
		"spec: {serviceAccountName: quiet, containers: [{name: c, image: 'x:1'}]}\n"
		"---\napiVersion: v1\nkind: Pod\nmetadata: {name: turns-on, namespace: a}\n"
		"spec: {serviceAccountName: quiet, automountServiceAccountToken: true, containers: [{name: c, image: 'x:1'}]}\n"
		"---\napiVersion: v1\nkind: Pod\nmetadata: {name: other-ns, namespace: b}\n"
		"spec: {serviceAccountName: quiet, containers: [{name: c, image: 'x:1'}]}\n"
		"---\napiVersion: v1\nkind: Pod\nmetadata: {name: pod-off, namespace: b}\n"
		"spec: {automountServiceAccountToken: false, containers: [{name: c, image: 'x:1'}]}\n");
	struct finding_list l;
	check(s, NULL, &l);
	assert_null(find(&l, "K8S-SA-TOKEN-AUTOMOUNT", "Pod/a/uses-quiet"));
	assert_non_null(find(&l, "K8S-SA-TOKEN-AUTOMOUNT", "Pod/a/turns-on"));
	assert_non_null(find(&l, "K8S-SA-TOKEN-AUTOMOUNT", "Pod/b/other-ns"));
	assert_null(find(&l, "K8S-SA-TOKEN-AUTOMOUNT", "Pod/b/pod-off"));
	finding_list_free(&l);
	k8s_set_free(s);
}

static void test_images_and_resources(void **state)
{
	(void)state;
	struct k8s_set *s = load_str(
		"apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\nspec:\n  containers:\n"
		"  - {name: a, image: nginx}\n"
		"  - {name: b, image: 'nginx:latest'}\n"
		"  - {name: c, image: 'localhost:5000/team/app:1.2'}\n"
		"  - {name: d, image: 'ghcr.io/acme/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'}\n"
		"  - name: e\n    image: 'registry.example.com/app:2'\n"
		"    resources: {limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 1}}\n");
	struct rule_policy *p;
	struct berr e = { 0 };
	const char *pol = "registries: [registry.example.com, 'ghcr.io/acme']\n";
	assert_int_equal(rule_policy_parse(pol, strlen(pol), "p.yaml", "2025-01-01", &p, &e), 0);
	struct finding_list l;
	check(s, p, &l);
	assert_non_null(find(&l, "K8S-IMAGE-LATEST", "Pod/n/p: container a"));
	assert_non_null(find(&l, "K8S-IMAGE-LATEST", "Pod/n/p: container b"));
	assert_null(find(&l, "K8S-IMAGE-LATEST", "Pod/n/p: container c")); /* the port is no tag */
	assert_null(find(&l, "K8S-IMAGE-DIGEST", "Pod/n/p: container d"));
	assert_non_null(find(&l, "K8S-IMAGE-DIGEST", "Pod/n/p: container c"));
	/* registries: docker.io and localhost:5000 are outside the list */
	assert_non_null(find(&l, "K8S-IMAGE-REGISTRY", "Pod/n/p: container a"));
	assert_non_null(find(&l, "K8S-IMAGE-REGISTRY", "Pod/n/p: container c"));
	assert_null(find(&l, "K8S-IMAGE-REGISTRY", "Pod/n/p: container d"));
	assert_null(find(&l, "K8S-IMAGE-REGISTRY", "Pod/n/p: container e"));
	assert_null(find(&l, "K8S-RESOURCE-LIMITS", "Pod/n/p: container e"));
	const struct finding *f = find(&l, "K8S-RESOURCE-REQUESTS", "Pod/n/p: container e");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "no memory request"));
	finding_list_free(&l);
	/* without a policy, no registry finding */
	check(s, NULL, &l);
	assert_int_equal(count(&l, "K8S-IMAGE-REGISTRY"), 0);
	finding_list_free(&l);
	rule_policy_free(p);
	k8s_set_free(s);
}

static void test_runtime_socket_and_default_ns(void **state)
{
	(void)state;
	struct k8s_set *s = load_str(
		"apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: c, image: 'x:1'}]\n"
		"  volumes:\n  - {name: a, hostPath: {path: /run/containerd/containerd.sock}}\n"
		"  - {name: b, hostPath: {path: /var/run/}}\n  - {name: c, hostPath: {path: /var/log}}\n"
		"  - {name: d, hostPath: {path: /var/run/crio/crio.sock, type: Socket}}\n");
	struct finding_list l;
	check(s, NULL, &l);
	assert_int_equal(count(&l, "K8S-RUNTIME-SOCKET"), 3);
	assert_int_equal(count(&l, "K8S-PSS-HOST-PATH"), 4);
	assert_non_null(find(&l, "K8S-DEFAULT-NAMESPACE", "Pod/default/p"));
	finding_list_free(&l);
	k8s_set_free(s);
	/* no namespace at all is not "the default namespace": manifests applied with -n */
	s = load_str("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: 'x:1'}]}\n");
	check(s, NULL, &l);
	assert_int_equal(count(&l, "K8S-DEFAULT-NAMESPACE"), 0);
	finding_list_free(&l);
	k8s_set_free(s);
}

static void test_policy_in_check(void **state)
{
	(void)state;
	struct k8s_set *s = load(REAL "cronjob.yaml");
	struct rule_policy *p;
	struct berr e = { 0 };
	const char *pol = "rules:\n  K8S-RESOURCE-*: off\n  K8S-PSS-HOST-PATH: {severity: critical}\n";
	assert_int_equal(rule_policy_parse(pol, strlen(pol), "p.yaml", "2025-01-01", &p, &e), 0);
	struct finding_list l;
	check(s, p, &l);
	assert_int_equal(count(&l, "K8S-RESOURCE-LIMITS") + count(&l, "K8S-RESOURCE-REQUESTS"), 0);
	const struct finding *f = find(&l, "K8S-PSS-HOST-PATH", "CronJob/ops/backup");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_int_equal(f->line, 24);
	finding_list_free(&l);
	rule_policy_free(p);
	/* baseline profile: no restricted findings */
	finding_list_init(&l);
	struct k8s_check_options o = { .profile = K8S_PROFILE_BASELINE };
	assert_int_equal(k8s_check(s, &o, &l, &e), 0);
	assert_int_equal(count(&l, "K8S-PSS-RUN-AS-NON-ROOT"), 0);
	assert_int_equal(count(&l, "K8S-PSS-HOST-PATH"), 1);
	assert_int_equal(count(&l, "K8S-SECRET-ENV"), 1);
	finding_list_free(&l);
	k8s_set_free(s);
}

static void test_rule_table(void **state)
{
	(void)state;
	size_t n;
	const struct k8s_rule *r = k8s_rules(&n);
	assert_true(n >= 30);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(k8s_rule_find(r[i].id), &r[i]);
		assert_true(!strncmp(r[i].id, "K8S-", 4));
		assert_true(*r[i].title && *r[i].remediation && *r[i].control && *r[i].reference);
		if (r[i].level != K8S_RULE_EXTRA)
			assert_non_null(strstr(r[i].control, r[i].level == K8S_RULE_BASELINE ? "PSS Baseline: "
											  : "PSS Restricted: "));
	}
	enum k8s_profile p;
	assert_int_equal(k8s_profile_parse("baseline", &p), 0);
	assert_int_equal(p, K8S_PROFILE_BASELINE);
	assert_int_equal(k8s_profile_parse("privileged", &p), -1);
}

/* ---- hostile input ----------------------------------------------------------------------- */

static void expect_error(const char *path, int code, const char *needle)
{
	struct k8s_set *s = k8s_set_new();
	struct berr e = { 0 };
	int rc = k8s_set_load_path(s, path, &e);
	if (rc != code)
		fail_msg("%s: rc %d (%s), want %d", path, rc, e.msg, code);
	if (!strstr(e.msg, needle))
		fail_msg("%s: message '%s' lacks '%s'", path, e.msg, needle);
	if (!strstr(e.msg, path))
		fail_msg("%s: message '%s' does not name the file", path, e.msg);
	k8s_set_free(s);
}

static void test_hostile(void **state)
{
	(void)state;
	expect_error(HOSTILE "billion-laughs.yaml", BOSUN_ELIMIT, "aliases expand");
	expect_error(HOSTILE "deep-nesting.yaml", BOSUN_ELIMIT, "line 4: nested deeper");
	expect_error(HOSTILE "tabs.yaml", BOSUN_EFORMAT, "line 4 column 1");
	expect_error(HOSTILE "duplicate-keys.yaml", BOSUN_EFORMAT, "line 5: duplicate mapping key 'name'");
	expect_error(HOSTILE "invalid-utf8.yaml", BOSUN_EFORMAT, "line 4");
	expect_error(HOSTILE "truncated.yaml", BOSUN_EFORMAT, "YAML line");
	expect_error(HOSTILE "second-doc-broken.yaml", BOSUN_EFORMAT, "line 7");
	expect_error(HOSTILE "does-not-exist.yaml", BOSUN_ENOTFOUND, "No such file");

	/* a huge scalar within the file limit is fine; a file over it is refused */
	size_t big = (16u << 20) + 10;
	char *y = malloc(big + 1);
	assert_non_null(y);
	memcpy(y, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {x: \"", 64);
	memset(y + 64, 'a', big - 64);
	struct k8s_set *s = k8s_set_new();
	struct berr e = { 0 };
	assert_int_equal(k8s_set_load_buffer(s, "big.yaml", y, big, &e), BOSUN_ELIMIT);
	memcpy(y + (8u << 20), "\"}\n", 4);
	assert_int_equal(k8s_set_load_buffer(s, "half.yaml", y, strlen(y), &e), BOSUN_OK);
	assert_int_equal(k8s_set_count(s), 1);
	k8s_set_free(s);
	free(y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_stream_lines),
		cmocka_unit_test(test_multi_document_helm),
		cmocka_unit_test(test_list_kind),
		cmocka_unit_test(test_json_manifest),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_pod_template),
		cmocka_unit_test(test_skip_non_objects),
		cmocka_unit_test(test_cluster_admin_across_files),
		cmocka_unit_test(test_sa_token),
		cmocka_unit_test(test_images_and_resources),
		cmocka_unit_test(test_runtime_socket_and_default_ns),
		cmocka_unit_test(test_policy_in_check),
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
