/* Image checks: a hand-made config + history + packages + a small root
 * filesystem (every rule and every exclusion), then the real test images
 * (../shared/images/README.md): debian-layers runs as root and exposes 22,
 * java-go has the setuid files of truth/java-go/setuid.txt, node-app does
 * not run as root. */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image.h"
#include "image/layer.h"
#include "image/view.h"
#include "misconfig/image_check.h"
#include "scan/scan.h"
#include "util/log.h"

static const char *images_dir(void)
{
	const char *s = getenv("BOSUN_IMAGES");
	return s && *s ? s : "/var/tmp/bosun-images";
}

/* Findings of rule id, and the one at path (or location) when given. */
static size_t count_rule(const struct finding_list *l, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += strcmp(l->v[i].rule_id, id) == 0;
	return n;
}

static const struct finding *find(const struct finding_list *l, const char *id, const char *path, const char *location)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		if (strcmp(f->rule_id, id) != 0)
			continue;
		if (path && (!f->path || strcmp(f->path, path) != 0))
			continue;
		if (location && (!f->location || strcmp(f->location, location) != 0))
			continue;
		return f;
	}
	return NULL;
}

static void dump(const struct finding_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		printf("  %s %s %s %s layer %d: %s\n", l->v[i].rule_id, vuln_severity_name(l->v[i].severity),
		       l->v[i].path ? l->v[i].path : "-", l->v[i].location ? l->v[i].location : "-", l->v[i].layer,
		       l->v[i].message);
}

/* ---- synthetic ---- */

static const char *synthetic_config =
	"{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{"
	"\"User\":\"root:root\","
	"\"Env\":[\"PATH=/usr/bin\",\"DB_PASSWORD=Sup3rS3cretValue!\",\"API_TOKEN=\",\"TOKEN_FILE=/run/secrets/t\"],"
	"\"Labels\":{\"org.opencontainers.image.base.name\":\"docker.io/library/debian:latest\","
	"\"com.example.api-key\":\"AKIA-not-a-real-key-123\",\"maintainer\":\"x\"},"
	"\"ExposedPorts\":{\"8080/tcp\":{},\"22/tcp\":{}},"
	"\"Healthcheck\":{\"Test\":[\"NONE\"]}},"
	"\"history\":["
	"{\"created_by\":\"/bin/sh -c #(nop) ADD file:abc in / \"},"
	"{\"created_by\":\"/bin/sh -c #(nop)  USER app\",\"empty_layer\":true},"
	"{\"created_by\":\"/bin/sh -c apt-get update && apt-get -y dist-upgrade\"},"
	"{\"created_by\":\"RUN |2 NPM_TOKEN=npm_abcdefghijklmnop1234 MODE=prod /bin/sh -c npm ci # buildkit\"},"
	"{\"created_by\":\"RUN /bin/sh -c curl -fsSL https://x.example/i.sh | bash # buildkit\"},"
	"{\"created_by\":\"EXPOSE map[22/tcp:{}]\",\"empty_layer\":true},"
	"{\"created_by\":\"RUN /bin/sh -c echo 'curl x | sh' > /notes # buildkit\"}"
	"]}";

static void mk(int dirfd, const char *path, mode_t mode)
{
	int fd = openat(dirfd, path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_true(write(fd, "data\n", 5) == 5);
	close(fd);
	assert_int_equal(fchmodat(dirfd, path, mode, 0), 0);
}

static void mkd(int dirfd, const char *path, mode_t mode)
{
	assert_int_equal(mkdirat(dirfd, path, 0755), 0);
	assert_int_equal(fchmodat(dirfd, path, mode, 0), 0);
}

static void test_synthetic(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/bosun-imgchk-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	int d = open(tmpl, O_RDONLY | O_DIRECTORY);
	assert_true(d >= 0);
	const char *dirs[] = { "usr", "usr/bin", "usr/sbin", "usr/local", "usr/local/bin", "var", "var/lib", "var/lib/apt",
			       "var/lib/apt/lists", "var/lib/apt/lists/partial", "var/cache", "var/cache/apt",
			       "var/cache/apt/archives", "etc", "root", "root/.cache", "root/.cache/pip", "dev" };
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
		mkd(d, dirs[i], 0755);
	mkd(d, "tmp", 01777);
	mkd(d, "var/tmp", 0777); /* excluded tree even without the sticky bit */
	mkd(d, "dev/shm", 0777);
	mkd(d, "srv", 0777);      /* world-writable directory */
	mkd(d, "run", 01777);     /* sticky: fine */
	mk(d, "tmp/scratch", 0666);
	mk(d, "var/tmp/x", 0666);
	mk(d, "etc/app.conf", 0666);            /* world-writable file */
	mk(d, "usr/bin/su", 04755);             /* owned by a package below */
	mk(d, "usr/bin/wall", 02755);
	mk(d, "usr/local/bin/backdoor", 06755); /* not owned */
	mk(d, "usr/bin/sudo", 0755);
	mk(d, "usr/sbin/sshd", 0755);
	assert_int_equal(symlinkat("/etc/app.conf", d, "etc/link"), 0);
	mk(d, "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", 0644);
	mk(d, "var/lib/apt/lists/lock", 0640);
	mk(d, "var/lib/apt/lists/partial/x", 0644);
	mk(d, "var/cache/apt/archives/curl_7.88_amd64.deb", 0644);
	mk(d, "var/cache/apt/archives/lock", 0644);
	mk(d, "root/.cache/pip/selfcheck.json", 0644);

	struct scan_limits lim = scan_limits_default();
	struct walk_shared sh = { .limits = &lim, .analyzers = analyzers };
	struct layer_result r;
	struct berr e = { 0 };
	assert_int_equal(rootfs_walk(d, &sh, &r, &e), BOSUN_OK);
	struct scan_view *v = view_new(analyzers);
	assert_int_equal(view_apply_layer(v, 0, &r), BOSUN_OK);
	layer_result_free(&r);

	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	a.config_json = arena_strdup(&a.arena, synthetic_config);
	struct package *p = artifact_add_package(&a);
	p->type = PKG_DEB;
	p->name = arena_strdup(&a.arena, "login");
	p->version = arena_strdup(&a.arena, "1:4.13");
	p->layer = 0;
	static char *login_files[] = { "bin/su", "usr/bin/newgrp" };
	p->files = login_files;
	p->nfiles = 2;
	p = artifact_add_package(&a);
	p->type = PKG_DEB;
	p->name = arena_strdup(&a.arena, "openssh-server");
	p->version = arena_strdup(&a.arena, "1:9.2p1-2");
	p->found_in = arena_strdup(&a.arena, "var/lib/dpkg/status");
	p->layer = 2;

	struct finding_list l;
	finding_list_init(&l);
	assert_int_equal(image_config_check(v, &a, &l, &e), BOSUN_OK);
	dump(&l);

	const struct finding *f;
	/* config */
	assert_non_null(f = find(&l, "DKR-001", NULL, "config.User"));
	assert_string_equal(f->category, "image");
	assert_int_equal(f->kind, FINDING_KIND_MISCONFIG);
	assert_non_null(f = find(&l, "DKR-002", NULL, "config.Env[1]"));
	assert_null(strstr(f->message, "Sup3rS3cretValue"));
	assert_string_equal(f->match, "Sup3*************");
	assert_non_null(find(&l, "DKR-002", NULL, "config.Labels[com.example.api-key]"));
	assert_int_equal(count_rule(&l, "DKR-002"), 2); /* not the empty API_TOKEN, not TOKEN_FILE */
	assert_non_null(find(&l, "DKR-003", NULL, "config.Labels[org.opencontainers.image.base.name]"));
	assert_non_null(find(&l, "DKR-004", NULL, "config.Healthcheck"));
	assert_non_null(find(&l, "DKR-007", NULL, "config.ExposedPorts"));
	/* history: layers count only non-empty entries */
	assert_non_null(f = find(&l, "DKR-008", NULL, "history[2].created_by"));
	assert_int_equal(f->layer, 1);
	assert_non_null(f = find(&l, "DKR-021", NULL, "history[3].created_by"));
	assert_int_equal(f->layer, 2);
	assert_null(strstr(f->message, "abcdefghijklmnop"));
	assert_non_null(f = find(&l, "DKR-009", NULL, "history[4].created_by"));
	assert_int_equal(f->layer, 3);
	assert_int_equal(count_rule(&l, "DKR-009"), 1); /* not the echo of history[6] */
	/* packages and files */
	assert_non_null(f = find(&l, "DKR-006", "var/lib/dpkg/status", "package openssh-server"));
	assert_int_equal(f->layer, 2);
	assert_int_equal(count_rule(&l, "DKR-006"), 1); /* the package, not also usr/sbin/sshd */
	assert_non_null(find(&l, "DKR-005", "usr/bin/sudo", NULL)); /* a file, no package */
	assert_non_null(f = find(&l, "DKR-011", "usr/bin/su", NULL));
	assert_int_equal(f->severity, SEV_LOW);
	assert_non_null(strstr(f->message, "from package login"));
	assert_non_null(f = find(&l, "DKR-011", "usr/local/bin/backdoor", NULL));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_non_null(strstr(f->message, "setuid+setgid"));
	assert_non_null(find(&l, "DKR-011", "usr/bin/wall", NULL));
	assert_int_equal(count_rule(&l, "DKR-011"), 3);
	assert_non_null(find(&l, "DKR-012", "srv", NULL));
	assert_non_null(find(&l, "DKR-012", "etc/app.conf", NULL));
	assert_int_equal(count_rule(&l, "DKR-012"), 2); /* not tmp, var/tmp, dev/shm, run, the symlink */
	assert_non_null(f = find(&l, "DKR-010", "var/lib/apt/lists", NULL));
	assert_non_null(strstr(f->message, "1 files")); /* not lock, not partial/ */
	assert_non_null(find(&l, "DKR-010", "var/cache/apt/archives", NULL));
	assert_non_null(find(&l, "DKR-010", "root/.cache/pip", NULL));
	assert_int_equal(count_rule(&l, "DKR-010"), 3);
	for (size_t i = 1; i < l.n; i++) /* sorted */
		assert_true(l.v[i - 1].path == NULL || l.v[i].path == NULL || strcmp(l.v[i - 1].path, l.v[i].path) <= 0);

	/* without a view the file rules are skipped; a broken config is an error */
	struct finding_list l2;
	finding_list_init(&l2);
	assert_int_equal(image_config_check(NULL, &a, &l2, &e), BOSUN_OK);
	assert_int_equal(count_rule(&l2, "DKR-011"), 0);
	assert_int_equal(count_rule(&l2, "DKR-001"), 1);
	size_t before = l2.n;
	a.config_json = arena_strdup(&a.arena, "{\"config\": [[[[");
	assert_int_equal(image_config_check(NULL, &a, &l2, &e), BOSUN_EFORMAT);
	assert_int_equal(l2.n, before);

	finding_list_free(&l2);
	finding_list_free(&l);
	artifact_free(&a);
	view_free(v);
	close(d);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpl);
	assert_int_equal(system(cmd), 0);
}

/* What a history chmod finding says: the step, its layer, the mode and
 * the paths (the first few, then a count). */
static void test_history_chmod(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.config_json = arena_strdup(&a.arena,
				     "{\"config\":{\"User\":\"app\"},\"history\":["
				     "{\"created_by\":\"/bin/sh -c #(nop) ADD file:abc in / \"},"
				     "{\"created_by\":\"/bin/sh -c #(nop)  USER app\",\"empty_layer\":true},"
				     "{\"created_by\":\"RUN /bin/sh -c chmod u+s /usr/local/bin/helper # buildkit\"},"
				     "{\"created_by\":\"/bin/sh -c chmod -R 0777 /a /b /c /d /e /f\"}]}");
	struct finding_list l;
	finding_list_init(&l);
	struct berr e = { 0 };
	assert_int_equal(image_config_check(NULL, &a, &l, &e), BOSUN_OK);
	const struct finding *f = find(&l, "DKR-011", NULL, "history[2].created_by");
	assert_non_null(f);
	assert_int_equal(f->layer, 1);
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_non_null(strstr(f->message, "chmod u+s"));
	assert_non_null(strstr(f->message, "the setuid bit on /usr/local/bin/helper"));
	assert_non_null(f = find(&l, "DKR-012", NULL, "history[3].created_by"));
	assert_int_equal(f->layer, 2);
	assert_non_null(strstr(f->message, "chmod 0777"));
	assert_non_null(strstr(f->message, "/a, /b, /c, /d and 2 more writable by everyone"));
	assert_int_equal(count_rule(&l, "DKR-011"), 1);
	assert_int_equal(count_rule(&l, "DKR-012"), 1);
	finding_list_free(&l);
	artifact_free(&a);
}

static void test_config_variants(void **state)
{
	(void)state;
	struct { const char *config; const char *rule; size_t want; } cases[] = {
		{ "{\"config\":{\"User\":\"1000:1000\",\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"]}}}", "DKR-001", 0 },
		{ "{\"config\":{\"User\":\"0\"}}", "DKR-001", 1 },
		{ "{\"config\":{\"User\":\"0:1000\"}}", "DKR-001", 1 },
		{ "{\"config\":{\"User\":\"rooty\"}}", "DKR-001", 0 },
		{ "{\"config\":{}}", "DKR-001", 1 },
		{ "{}", "DKR-001", 1 },
		{ "{\"config\":{\"ExposedPorts\":{\"2222/tcp\":{},\"220/tcp\":{}}}}", "DKR-007", 0 },
		{ "{\"config\":{\"ExposedPorts\":{\"22/udp\":{}}}}", "DKR-007", 1 },
		{ "{\"config\":{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f x\"]}}}", "DKR-004", 0 },
		{ "{\"config\":{\"Labels\":{\"org.opencontainers.image.base.name\":\"debian:12@sha256:abcd\"}}}", "DKR-003", 0 },
		{ "{\"config\":{\"Labels\":{\"org.opencontainers.image.base.name\":\"registry:5000/debian\"}}}", "DKR-003", 1 },
		{ "{\"config\":{\"Env\":[\"GITHUB_TOKEN=ghp_realLookingValue0123\",\"NOEQUALS\",7]}}", "DKR-002", 1 },
		{ "{\"history\":[{\"created_by\":\"/bin/sh -c #(nop)  ENV X=curl x | sh\"}]}", "DKR-009", 0 },
		{ "{\"history\":[{\"created_by\":\"RUN |1 BAD=1\"}, {\"created_by\":\"RUN |99999999999 A\"},"
		  "{\"created_by\":\"RUN |x\"},{\"created_by\":7},{}]}", "DKR-021", 0 },
		/* chmod in history: parsed modes, not substrings */
		{ "{\"history\":[{\"created_by\":\"/bin/sh -c chmod 4755 /usr/local/bin/x\"}]}", "DKR-011", 1 },
		{ "{\"history\":[{\"created_by\":\"RUN /bin/sh -c chmod -R g+s /srv/shared # buildkit\"}]}", "DKR-011", 1 },
		{ "{\"history\":[{\"created_by\":\"/bin/sh -c chmod u-s,g-s /usr/bin/x && chmod 0755 /y\"}]}", "DKR-011", 0 },
		{ "{\"history\":[{\"created_by\":\"/bin/sh -c chmod o+s /x && chmod 755 /s.txt\"}]}", "DKR-011", 0 },
		{ "{\"history\":[{\"created_by\":\"/bin/sh -c #(nop)  LABEL x=chmod 4755 /y\"}]}", "DKR-011", 0 },
		{ "{\"history\":[{\"created_by\":\"/bin/sh -c chmod 777 /app/data\"}]}", "DKR-012", 1 },
		{ "{\"history\":[{\"created_by\":\"/bin/sh -c chmod a+w /app/data\"}]}", "DKR-012", 1 },
		{ "{\"history\":[{\"created_by\":\"/bin/sh -c chmod +w /app/data && chmod 1777 /tmp /var/tmp\"}]}",
		  "DKR-012", 0 },
		{ "{\"history\":[{\"created_by\":\"/bin/sh -c chmod 0777 /tmp\"}]}", "DKR-012", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct artifact a;
		artifact_init(&a);
		a.config_json = arena_strdup(&a.arena, cases[i].config);
		struct finding_list l;
		finding_list_init(&l);
		struct berr e = { 0 };
		assert_int_equal(image_config_check(NULL, &a, &l, &e), BOSUN_OK);
		if (count_rule(&l, cases[i].rule) != cases[i].want) {
			dump(&l);
			fail_msg("case %zu (%s): %zu x %s, want %zu", i, cases[i].config, count_rule(&l, cases[i].rule),
				 cases[i].rule, cases[i].want);
		}
		finding_list_free(&l);
		artifact_free(&a);
	}
}

/* ---- real images ---- */

/* scan_target without freeing the view: open, walk each layer, merge, run
 * the analyzers (the minimum of src/scan/scan.c the checks need). */
static struct scan_view *open_image(const char *name, struct artifact *a)
{
	char target[512];
	snprintf(target, sizeof target, "%s/oci/%s", images_dir(), name);
	if (access(target, F_OK) != 0)
		return NULL;
	struct scan_options o;
	scan_options_default(&o);
	o.progress = false;
	struct image img;
	struct berr e = { 0 };
	if (image_open(target, &o.image, &img, &e) != BOSUN_OK)
		fail_msg("%s: %s", target, e.msg);
	a->silent = true;
	a->config_json = arena_strdup(&a->arena, img.config_json);
	struct walk_shared sh = { .limits = &o.image.limits, .analyzers = analyzers };
	struct scan_view *v = view_new(analyzers);
	assert_non_null(v);
	for (size_t i = 0; i < img.nlayers; i++) {
		struct layer_result r;
		if (layer_walk(&img.layers[i], (int)i, &sh, &r, &e) != BOSUN_OK)
			fail_msg("layer %zu: %s", i, e.msg);
		assert_int_equal(view_apply_layer(v, (int)i, &r), BOSUN_OK);
		layer_result_free(&r);
	}
	for (int i = 0; analyzers[i]; i++)
		assert_int_equal(analyzers[i]->analyze(v, a, &e), BOSUN_OK);
	image_close(&img);
	return v;
}

static bool check_image(const char *name, struct finding_list *l)
{
	struct artifact a;
	artifact_init(&a);
	struct scan_view *v = open_image(name, &a);
	if (!v) {
		printf("skipped: test image %s not built (../shared/images/build.sh)\n", name);
		artifact_free(&a);
		return false;
	}
	struct berr e = { 0 };
	assert_int_equal(image_config_check(v, &a, l, &e), BOSUN_OK);
	printf("%s:\n", name);
	dump(l);
	view_free(v);
	artifact_free(&a);
	return true;
}

/* truth/NAME/setuid.txt: "mode uid:gid /path" */
static void assert_setuid_truth(const char *name, const struct finding_list *l)
{
	char path[512];
	snprintf(path, sizeof path, "%s/truth/%s/setuid.txt", images_dir(), name);
	size_t len;
	char *text = (char *)test_read_file(path, &len);
	size_t want = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char *p = strrchr(line, '\t');
		assert_non_null(p);
		const char *file = p + 2; /* skip "\t/" */
		if (!find(l, "DKR-011", file, NULL))
			fail_msg("%s: no DKR-011 for /%s", name, file);
		want++;
	}
	assert_int_equal(count_rule(l, "DKR-011"), want);
	free(text);
}

static void test_debian_layers(void **state)
{
	(void)state;
	struct finding_list l;
	finding_list_init(&l);
	if (check_image("debian-layers", &l)) {
		assert_non_null(find(&l, "DKR-001", NULL, "config.User"));
		assert_non_null(find(&l, "DKR-007", NULL, "config.ExposedPorts"));
		const struct finding *f = find(&l, "DKR-002", NULL, "config.Env[2]");
		assert_non_null(f); /* AWS_SECRET_ACCESS_KEY */
		assert_int_equal(count_rule(&l, "DKR-002"), 1); /* the key id is not a secret by name */
		assert_non_null(find(&l, "DKR-004", NULL, NULL));
		assert_setuid_truth("debian-layers", &l);
		for (size_t i = 0; i < l.n; i++)
			if (strcmp(l.v[i].rule_id, "DKR-011") == 0)
				assert_int_equal(l.v[i].severity, SEV_LOW); /* all from Debian packages */
		assert_int_equal(count_rule(&l, "DKR-012"), 0);
		assert_int_equal(count_rule(&l, "DKR-010"), 0); /* apt lists were cleaned */
		assert_int_equal(count_rule(&l, "DKR-006"), 0);
		assert_int_equal(count_rule(&l, "DKR-005"), 0);
	}
	finding_list_free(&l);
}

static void test_java_go(void **state)
{
	(void)state;
	struct finding_list l;
	finding_list_init(&l);
	if (check_image("java-go", &l)) {
		assert_non_null(find(&l, "DKR-001", NULL, "config.User"));
		assert_setuid_truth("java-go", &l);
		const struct finding *f = find(&l, "DKR-011", "usr/local/bin/bosun-suid-id", NULL);
		assert_int_equal(f->severity, SEV_MEDIUM);
		assert_int_equal(f->layer, 2);
		assert_non_null(strstr(f->message, "4755"));
		assert_non_null(strstr(f->message, "not installed by any package"));
		size_t low = 0;
		for (size_t i = 0; i < l.n; i++)
			low += strcmp(l.v[i].rule_id, "DKR-011") == 0 && l.v[i].severity == SEV_LOW;
		assert_int_equal(low, 11);
		assert_int_equal(count_rule(&l, "DKR-007"), 0);
	}
	finding_list_free(&l);
}

static void test_node_app(void **state)
{
	(void)state;
	struct finding_list l;
	finding_list_init(&l);
	if (check_image("node-app", &l)) {
		assert_int_equal(count_rule(&l, "DKR-001"), 0); /* User 1000:1000 */
		assert_int_equal(count_rule(&l, "DKR-002"), 0);
		assert_int_equal(count_rule(&l, "DKR-007"), 0); /* 3000/tcp */
		assert_non_null(find(&l, "DKR-004", NULL, "config.Healthcheck"));
	}
	finding_list_free(&l);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_config_variants),
		cmocka_unit_test(test_history_chmod),
		cmocka_unit_test(test_debian_layers),
		cmocka_unit_test(test_java_go),
		cmocka_unit_test(test_node_app),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
