/* The configuration files of a project (src/misconfig/config_files.h):
 * classification by name and content, the walk of tests/data/config/mixed
 * with paths as walked and relative to the root, warnings in order,
 * symbolic links, the entry limit and the errors of named files. */
#include "testutil.h"

#include "misconfig/config_files.h"

#include <sys/stat.h>
#include <unistd.h>

#define MIXED "tests/data/config/mixed"

struct warnings {
	char *v[32];
	size_t n;
};

static void collect(void *ctx, const char *msg)
{
	struct warnings *w = ctx;
	if (w->n < 32)
		w->v[w->n++] = strdup(msg);
}

static void warnings_free(struct warnings *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	w->n = 0;
}

static bool has_finding(const struct finding_list *l, const char *rule, const char *path, unsigned line)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].rule_id, rule) && !strcmp(l->v[i].path, path) && l->v[i].line == line)
			return true;
	return false;
}

static void test_kind(void **state)
{
	(void)state;
	static const char k8s[] = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n";
	static const char compose[] = "services:\n  web:\n    image: nginx:1\n";
	static const char values[] = "services:\n  enabled: true\n";
	static const char df[] = "# syntax=docker/dockerfile:1\nFROM debian:12\n";
	/* by name, whatever the content */
	assert_int_equal(config_file_kind("a/Dockerfile", "", 0, false), CONFIG_KIND_DOCKERFILE);
	assert_int_equal(config_file_kind("a/api.Dockerfile", "", 0, false), CONFIG_KIND_DOCKERFILE);
	assert_int_equal(config_file_kind("docker-compose.prod.yml", "", 0, false), CONFIG_KIND_COMPOSE);
	/* by content, for YAML/JSON names in a walk */
	assert_int_equal(config_file_kind("k/pod.yaml", k8s, sizeof k8s - 1, false), CONFIG_KIND_K8S);
	assert_int_equal(config_file_kind("stack.yml", compose, sizeof compose - 1, false), CONFIG_KIND_COMPOSE);
	assert_int_equal(config_file_kind("values.yaml", values, sizeof values - 1, false), CONFIG_KIND_NONE);
	/* other names only when named by the user; a Dockerfile by its first instruction */
	assert_int_equal(config_file_kind("pod.txt", k8s, sizeof k8s - 1, false), CONFIG_KIND_NONE);
	assert_int_equal(config_file_kind("pod.txt", k8s, sizeof k8s - 1, true), CONFIG_KIND_K8S);
	assert_int_equal(config_file_kind("build.txt", df, sizeof df - 1, false), CONFIG_KIND_NONE);
	assert_int_equal(config_file_kind("build.txt", df, sizeof df - 1, true), CONFIG_KIND_DOCKERFILE);
	assert_int_equal(config_file_kind("-", df, sizeof df - 1, false), CONFIG_KIND_DOCKERFILE);
	assert_int_equal(config_file_kind("-", "RUN x\n", 6, false), CONFIG_KIND_NONE);
	assert_int_equal(config_file_kind("-", compose, sizeof compose - 1, false), CONFIG_KIND_COMPOSE);

	assert_true(config_candidate_name("Containerfile"));
	assert_true(config_candidate_name("compose.yaml"));
	assert_true(config_candidate_name("x.json"));
	assert_false(config_candidate_name("README.md"));
	assert_false(config_candidate_name("yaml"));
}

/* The same findings with paths as walked and relative to the root. */
static void walk_mixed(const char *root, bool relative, const char *prefix)
{
	struct warnings w = { 0 };
	struct config_check_options o = {
		.k8s = { .profile = K8S_PROFILE_RESTRICTED }, .relative = relative, .warn = collect, .warn_ctx = &w
	};
	struct finding_list l;
	finding_list_init(&l);
	struct config_check_stats st;
	struct berr e = { 0 };
	const char *paths[] = { root };
	assert_int_equal(config_check_paths(paths, 1, &o, &l, &st, &e), BOSUN_OK);
	assert_int_equal(st.dockerfiles, 1);
	assert_int_equal(st.manifests, 2);
	assert_int_equal(st.compose_files, 2); /* docker-compose.yml and stack.yml; broken/ is a warning */
	assert_true(st.entries >= 12);
	assert_int_equal(l.n, 30);

	char p[256];
	snprintf(p, sizeof p, "%sdocker-compose.yml", prefix);
	assert_true(has_finding(&l, "CMP-001", p, 4));
	snprintf(p, sizeof p, "%scompose-by-content/stack.yml", prefix);
	assert_true(has_finding(&l, "CMP-009", p, 6));
	snprintf(p, sizeof p, "%sk8s/deployment.yaml", prefix);
	assert_true(has_finding(&l, "K8S-PSS-PRIVILEGED", p, 21));
	snprintf(p, sizeof p, "%sDockerfile", prefix);
	assert_true(has_finding(&l, "DKR-001", p, 3));
	for (size_t i = 0; i < l.n; i++) {
		const char *f = l.v[i].path;
		assert_int_equal(strncmp(f, prefix, strlen(prefix)), 0);
		if (relative)
			assert_true(f[0] != '/' && strncmp(f, "./", 2) != 0);
		assert_null(strstr(f, "node_modules"));
		assert_null(strstr(f, "vendor"));
	}
	assert_int_equal(w.n, 1);
	snprintf(p, sizeof p, "%sbroken/docker-compose.yml: YAML line 5", prefix);
	assert_int_equal(strncmp(w.v[0], p, strlen(p)), 0);
	assert_non_null(strstr(w.v[0], "(compose file skipped)"));
	warnings_free(&w);
	finding_list_free(&l);
}

static void test_walk_paths(void **state)
{
	(void)state;
	walk_mixed(MIXED, false, MIXED "/");
	walk_mixed(MIXED "/", false, MIXED "/");
	walk_mixed(MIXED, true, "");
	walk_mixed(MIXED "//", true, "");
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	char abs[4200];
	snprintf(abs, sizeof abs, "%s/" MIXED, cwd);
	walk_mixed(abs, true, "");
	assert_int_equal(chdir(MIXED), 0);
	walk_mixed(".", false, "");
	walk_mixed(".", true, "");
	assert_int_equal(chdir(cwd), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_links_limits_errors(void **state)
{
	(void)state;
	char root[] = "/tmp/bosun-config-files-XXXXXX";
	assert_non_null(mkdtemp(root));
	char p[512], q[512];
	snprintf(p, sizeof p, "%s/outside", root);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/outside/docker-compose.yml", root);
	write_file(p, "services:\n  out:\n    image: x:1\n    privileged: true\n");
	snprintf(p, sizeof p, "%s/tree", root);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/tree/Dockerfile", root);
	write_file(p, "FROM debian:12\nUSER root\n");
	snprintf(p, sizeof p, "%s/outside", root);
	snprintf(q, sizeof q, "%s/tree/linked", root);
	assert_int_equal(symlink(p, q), 0);
	snprintf(p, sizeof p, "%s/outside/docker-compose.yml", root);
	snprintf(q, sizeof q, "%s/tree/compose.yaml", root);
	assert_int_equal(symlink(p, q), 0);

	struct warnings w = { 0 };
	struct config_check_options o = { .relative = true, .warn = collect, .warn_ctx = &w };
	struct finding_list l;
	finding_list_init(&l);
	struct config_check_stats st;
	struct berr e = { 0 };
	char dir[512];
	snprintf(dir, sizeof dir, "%s/tree", root);
	const char *tree[] = { dir };
	assert_int_equal(config_check_paths(tree, 1, &o, &l, &st, &e), BOSUN_OK);
	assert_int_equal(st.dockerfiles, 1);
	assert_int_equal(st.compose_files, 0); /* the linked compose file is not read */
	assert_int_equal(st.entries, 3);
	assert_true(l.n > 0);
	for (size_t i = 0; i < l.n; i++)
		assert_string_equal(l.v[i].path, "Dockerfile");
	assert_int_equal(w.n, 0);

	/* the entry limit is an error */
	finding_list_free(&l);
	finding_list_init(&l);
	o.max_entries = 2;
	assert_int_equal(config_check_paths(tree, 1, &o, &l, NULL, &e), BOSUN_ELIMIT);
	assert_non_null(strstr(e.msg, "more than 2 directory entries"));
	berr_clear(&e);
	o.max_entries = 0;

	/* a file named directly: errors are errors, its path stays as given */
	snprintf(q, sizeof q, "%s/tree/bad.yml", root);
	write_file(q, "services:\n  web:\n    image: \"x\n");
	snprintf(p, sizeof p, "%s/tree/docker-compose.yml", root);
	assert_int_equal(rename(q, p), 0);
	const char *named[] = { p };
	assert_int_equal(config_check_paths(named, 1, &o, &l, NULL, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, p));
	berr_clear(&e);
	/* ... and a warning in a walk, naming it relative to the root */
	assert_int_equal(config_check_paths(tree, 1, &o, &l, NULL, &e), BOSUN_OK);
	assert_int_equal(w.n, 1);
	assert_int_equal(strncmp(w.v[0], "docker-compose.yml: ", 20), 0);
	warnings_free(&w);

	snprintf(q, sizeof q, "%s/nope", root);
	const char *missing[] = { q };
	assert_int_equal(config_check_paths(missing, 1, &o, &l, NULL, &e), BOSUN_ENOTFOUND);
	berr_clear(&e);
	finding_list_free(&l);

	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind),
		cmocka_unit_test(test_walk_paths),
		cmocka_unit_test(test_links_limits_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
