/* docker-compose checks: one behaviour per file under tests/data/compose/cases
 * with the exact rule ids and lines expected; the short/long syntaxes of
 * volumes and ports; merge keys; detection; hostile input. */
#include "testutil.h"

#include "compose/compose.h"
#include "compose/compose_internal.h"

#define CASES "tests/data/compose/cases/"
#define HOSTILE "tests/data/compose/hostile/"

static int check_file(const char *path, struct finding_list *l, struct berr *e)
{
	size_t n;
	unsigned char *data = test_read_file(path, &n);
	int rc = compose_check(path, (const char *)data, n, l, e);
	free(data);
	return rc;
}

/* "CMP-001@11 CMP-020@23": the findings' ids and lines, in list order after sorting. */
static char *summary(struct finding_list *l)
{
	finding_list_sort(l);
	size_t cap = l->n * 16 + 1;
	char *s = calloc(1, cap);
	assert_non_null(s);
	for (size_t i = 0; i < l->n; i++) {
		char one[32];
		snprintf(one, sizeof one, "%s%s@%u", i ? " " : "", l->v[i].rule_id, l->v[i].line);
		strcat(s, one);
	}
	return s;
}

static void expect_case(const char *file, const char *want)
{
	char path[256];
	snprintf(path, sizeof path, CASES "%s", file);
	struct finding_list l;
	finding_list_init(&l);
	struct berr e = { 0 };
	if (check_file(path, &l, &e))
		fail_msg("%s: %s", file, e.msg);
	char *got = summary(&l);
	if (strcmp(got, want))
		fail_msg("%s:\n  got  '%s'\n  want '%s'", file, got, want);
	for (size_t i = 0; i < l.n; i++) { /* every finding is complete */
		const struct finding *f = &l.v[i];
		assert_int_equal(f->kind, FINDING_KIND_MISCONFIG);
		assert_string_equal(f->category, "compose");
		assert_string_equal(f->path, path);
		assert_non_null(f->title);
		assert_non_null(f->remediation);
		assert_non_null(f->reference);
		assert_true(f->severity >= SEV_LOW);
		assert_true(f->line > 0);
		assert_true(!strncmp(f->location, "service ", 8));
		assert_string_equal(f->object, f->location + 8);
		assert_int_equal(f->layer, -1);
	}
	free(got);
	finding_list_free(&l);
}

static void test_clean_files(void **state)
{
	(void)state;
	expect_case("v2-hardened.yml", "");
	expect_case("v3-hardened.yml", "");
	expect_case("spec-hardened.yaml", "");
	expect_case("extends.yml", ""); /* the child inherits its base's hardening */
}

static void test_one_behaviour_per_file(void **state)
{
	(void)state;
	expect_case("privileged.yml", "CMP-001@11");
	expect_case("cap-add.yml", "CMP-002@12 CMP-002@13");
	expect_case("cap-drop-missing.yml", "CMP-003@10");
	expect_case("network-host.yml", "CMP-004@11"); /* and its ports are ignored */
	expect_case("pid-host.yml", "CMP-005@11");
	expect_case("ipc-host.yml", "CMP-006@11");
	expect_case("uts-host.yml", "CMP-007@11");
	expect_case("userns-host.yml", "CMP-008@11");
	expect_case("docker-socket-short.yml", "CMP-009@12");
	expect_case("docker-socket-long.yml", "CMP-009@13");
	expect_case("host-root-short.yml", "CMP-010@12");
	expect_case("host-dirs-long.yml", "CMP-010@13 CMP-010@20");
	expect_case("named-volume-bind.yml", "CMP-010@12");
	expect_case("propagation-shared.yml", "CMP-011@12 CMP-011@14");
	expect_case("devices.yml", "CMP-012@12");
	expect_case("seccomp-unconfined.yml", "CMP-013@9");
	expect_case("apparmor-unconfined.yml", "CMP-014@9");
	expect_case("selinux-disabled.yml", "CMP-015@8");
	expect_case("systempaths.yml", "CMP-016@9");
	expect_case("nnp-missing.yml", "CMP-017@2");
	expect_case("nnp-false.yml", "CMP-017@8");
	expect_case("user-root.yml", "CMP-018@4");
	expect_case("user-missing.yml", "CMP-019@2");
	expect_case("read-only-missing.yml", "CMP-020@2");
	expect_case("ports-short.yml", "CMP-021@12 CMP-021@13 CMP-021@14 CMP-021@19");
	expect_case("ports-long.yml", "CMP-021@12");
	expect_case("privileged-port.yml", "CMP-022@12 CMP-022@13");
	expect_case("image-tags.yml", "CMP-023@12 CMP-023@15 CMP-023@18");
	expect_case("env-secrets-list.yml", "CMP-024@12 CMP-024@13");
	expect_case("env-secrets-map.yml", "CMP-024@12 CMP-024@13 CMP-024@17");
	expect_case("anchors-merge.yml", "CMP-020@23 CMP-001@24");
	expect_case("merge-line.yml", "CMP-001@7");
}

/* Severities that depend on the occurrence, and what a finding says. */
static const struct finding *find(const struct finding_list *l, const char *id, unsigned line)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].rule_id, id) && l->v[i].line == line)
			return &l->v[i];
	fail_msg("no %s at line %u", id, line);
	return NULL;
}

static void test_details(void **state)
{
	(void)state;
	struct finding_list l;
	struct berr e = { 0 };
	finding_list_init(&l);
	assert_int_equal(check_file(CASES "cap-add.yml", &l, &e), BOSUN_OK);
	assert_int_equal(find(&l, "CMP-002", 12)->severity, SEV_CRITICAL); /* SYS_ADMIN */
	assert_int_equal(find(&l, "CMP-002", 13)->severity, SEV_HIGH);     /* cap_net_admin, normalized */
	assert_string_equal(find(&l, "CMP-002", 13)->match, "NET_ADMIN");
	assert_string_equal(find(&l, "CMP-002", 12)->control, "CIS Docker 5.4");
	assert_int_equal(check_file(CASES "host-dirs-long.yml", &l, &e), BOSUN_OK);
	assert_int_equal(find(&l, "CMP-010", 13)->severity, SEV_MEDIUM); /* /proc read-only */
	assert_string_equal(find(&l, "CMP-010", 20)->match, "/root/.ssh"); /* ${HOME:-/root} default applied */
	assert_int_equal(check_file(CASES "host-root-short.yml", &l, &e), BOSUN_OK);
	assert_int_equal(find(&l, "CMP-010", 12)->severity, SEV_CRITICAL); /* / read-write */
	assert_int_equal(check_file(CASES "ports-long.yml", &l, &e), BOSUN_OK);
	assert_int_equal(find(&l, "CMP-021", 12)->severity, SEV_CRITICAL); /* plain Docker API */
	assert_int_equal(check_file(CASES "env-secrets-map.yml", &l, &e), BOSUN_OK);
	const struct finding *tok = find(&l, "CMP-024", 12);
	assert_null(strstr(tok->match, "0123456789")); /* never the secret */
	assert_string_equal(tok->match, "GITHUB_TOKEN=gh****");
	assert_null(strstr(find(&l, "CMP-024", 13)->match, "s3cret"));
	assert_int_equal(check_file(CASES "privileged.yml", &l, &e), BOSUN_OK);
	const struct finding *p = find(&l, "CMP-001", 11);
	assert_string_equal(p->control, "CIS Docker 5.5");
	assert_string_equal(p->location, "service web");
	assert_int_equal(p->end_line, 11);
	finding_list_free(&l);
}

static void test_rule_table(void **state)
{
	(void)state;
	size_t n;
	const struct compose_rule *r = compose_rules(&n);
	assert_int_equal(n, 26);
	for (size_t i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof id, "CMP-%03zu", i + 1);
		assert_string_equal(r[i].id, id); /* stable, dense ids */
		assert_non_null(r[i].title);
		assert_non_null(r[i].remediation);
		assert_true(r[i].severity >= SEV_LOW && r[i].severity <= SEV_CRITICAL);
		assert_true(!r[i].control || !strncmp(r[i].control, "CIS Docker ", 11));
	}
}

/* ---- syntax ------------------------------------------------------------------- */

static void expect_port(const char *spec, const char *ip, unsigned plo, unsigned phi, unsigned tlo, unsigned thi,
			const char *proto)
{
	struct compose_port p;
	if (!compose_parse_port(spec, &p))
		fail_msg("port '%s' rejected", spec);
	assert_string_equal(p.host_ip, ip);
	assert_int_equal(p.published_lo, plo);
	assert_int_equal(p.published_hi, phi);
	assert_int_equal(p.target_lo, tlo);
	assert_int_equal(p.target_hi, thi);
	assert_string_equal(p.protocol, proto);
}

static void test_ports(void **state)
{
	(void)state;
	expect_port("3000", "", 0, 0, 3000, 3000, "tcp");
	expect_port("3000-3005", "", 0, 0, 3000, 3005, "tcp");
	expect_port("8000:8000", "", 8000, 8000, 8000, 8000, "tcp");
	expect_port("9090-9091:8080-8081", "", 9090, 9091, 8080, 8081, "tcp");
	expect_port("49100:22", "", 49100, 49100, 22, 22, "tcp");
	expect_port("127.0.0.1:8001:8001", "127.0.0.1", 8001, 8001, 8001, 8001, "tcp");
	expect_port("127.0.0.1:5000-5010:5000-5010", "127.0.0.1", 5000, 5010, 5000, 5010, "tcp");
	expect_port("127.0.0.1::5000", "127.0.0.1", 0, 0, 5000, 5000, "tcp");
	expect_port("6060:6060/udp", "", 6060, 6060, 6060, 6060, "udp");
	expect_port("[::1]:6001:6001", "::1", 6001, 6001, 6001, 6001, "tcp");
	expect_port("::1:6001:6001", "::1", 6001, 6001, 6001, 6001, "tcp");
	static const char *const bad[] = { "", ":", ":80", "80:", "a:b", "99999", "80-70", "1:2:3:4/", "[::1",
					   "[::1]", "80/verylongproto", "-1" };
	struct compose_port p;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (compose_parse_port(bad[i], &p))
			fail_msg("port '%s' accepted", bad[i]);
	assert_true(compose_ip_is_loopback("127.0.0.1"));
	assert_true(compose_ip_is_loopback("::1"));
	assert_false(compose_ip_is_loopback("0.0.0.0"));
	assert_false(compose_ip_is_loopback("10.0.0.1"));
	assert_false(compose_ip_is_loopback(""));
}

static void test_volumes(void **state)
{
	(void)state;
	struct arena a = { 0 };
	struct compose_mount m;
	assert_true(compose_parse_volume(&a, "/var/run/docker.sock:/var/run/docker.sock:ro", &m));
	assert_string_equal(m.type, "bind");
	assert_string_equal(m.source, "/var/run/docker.sock");
	assert_true(m.read_only);
	assert_true(compose_parse_volume(&a, "./data:/data:rw,rshared", &m));
	assert_string_equal(m.type, "bind");
	assert_false(m.read_only);
	assert_string_equal(m.propagation, "rshared");
	assert_true(compose_parse_volume(&a, "dbdata:/var/lib/postgresql/data", &m));
	assert_string_equal(m.type, "volume");
	assert_string_equal(m.source, "dbdata");
	assert_true(compose_parse_volume(&a, "/tmp", &m));
	assert_string_equal(m.type, "volume");
	assert_null(m.source);
	assert_true(compose_parse_volume(&a, "C:\\data:/data", &m)); /* a Windows drive is not a separator */
	assert_string_equal(m.source, "C:\\data");
	assert_string_equal(m.type, "bind");
	assert_true(compose_parse_volume(&a, "~/.ssh:/root/.ssh:ro,z", &m));
	assert_true(m.read_only);
	assert_false(compose_parse_volume(&a, "", &m));
	assert_false(compose_parse_volume(&a, "a::b", &m));
	assert_false(compose_parse_volume(&a, "/a:/b:ro:extra", &m));

	assert_string_equal(compose_normalize_path(&a, "//var//run/./docker.sock"), "/var/run/docker.sock");
	assert_string_equal(compose_normalize_path(&a, "/srv/app/../../etc/"), "/etc");
	assert_string_equal(compose_normalize_path(&a, "/../../.."), "/");
	assert_string_equal(compose_normalize_path(&a, "/"), "/");
	assert_null(compose_normalize_path(&a, "./etc"));

	assert_string_equal(compose_interpolate(&a, "${SOCK:-/var/run/docker.sock}:/s"), "/var/run/docker.sock:/s");
	assert_string_equal(compose_interpolate(&a, "${TAG-1.2}"), "1.2");
	assert_string_equal(compose_interpolate(&a, "${TAG}"), "${TAG}");
	assert_string_equal(compose_interpolate(&a, "$$HOME ${X:?required}"), "$HOME ${X:?required}");
	assert_string_equal(compose_interpolate(&a, "${unterminated:-x"), "${unterminated:-x");
	arena_free(&a);
}

static void test_merge_keys(void **state)
{
	(void)state;
	json_t *j = json_loads("{\"a\":{\"x\":1,\"y\":1},\"b\":{\"y\":2,\"z\":2},"
			       "\"s\":{\"<<\":[{\"x\":1,\"y\":1},{\"y\":2,\"z\":2}],\"z\":3},"
			       "\"t\":{\"<<\":{\"<<\":{\"deep\":true},\"k\":1}},\"u\":{\"<<\":\"scalar\"}}",
			       0, NULL);
	assert_non_null(j);
	compose_resolve_merges(j);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	/* own keys win, then earlier sources; nested merges resolve; a bad merge value stays */
	assert_string_equal(s, "{\"a\":{\"x\":1,\"y\":1},\"b\":{\"y\":2,\"z\":2},\"s\":{\"x\":1,\"y\":1,\"z\":3},"
			       "\"t\":{\"deep\":true,\"k\":1},\"u\":{\"<<\":\"scalar\"}}");
	free(s);
	json_decref(j);
}

static void test_detection(void **state)
{
	(void)state;
	assert_true(compose_name_matches("docker-compose.yml"));
	assert_true(compose_name_matches("docker-compose.yaml"));
	assert_true(compose_name_matches("docker-compose.prod.yml"));
	assert_true(compose_name_matches("compose.yaml"));
	assert_true(compose_name_matches("compose-dev.yml"));
	assert_false(compose_name_matches("composer.yml"));
	assert_false(compose_name_matches("docker-compose.json"));
	assert_false(compose_name_matches("my-compose.yml"));
	assert_false(compose_name_matches(""));

	static const char compose[] = "services:\n  web:\n    image: nginx\n";
	static const char json[] = "{\"services\": {\"web\": {\"build\": \".\"}}}";
	static const char helm[] = "services:\n  web:\n    port: 80\n    enabled: true\n";
	static const char k8s[] = "apiVersion: v1\nkind: Service\nservices:\n  web:\n    image: x\n";
	static const char other[] = "name: ci\njobs:\n  build:\n    image: x\n";
	assert_true(compose_looks_like(compose, strlen(compose)));
	assert_true(compose_looks_like(json, strlen(json)));
	assert_false(compose_looks_like(helm, strlen(helm)));
	assert_false(compose_looks_like(k8s, strlen(k8s)));
	assert_false(compose_looks_like(other, strlen(other)));
	assert_false(compose_looks_like("", 0));
	assert_false(compose_looks_like("services", 8));
}

/* ---- hostile input ------------------------------------------------------------- */

static void expect_error(const char *file, int code, const char *msg_part)
{
	struct finding_list l;
	finding_list_init(&l);
	struct berr e = { 0 };
	int rc = check_file(file, &l, &e);
	if (rc != code)
		fail_msg("%s: rc %d (%s), want %d", file, rc, e.msg, code);
	if (!strstr(e.msg, msg_part) || !strstr(e.msg, file))
		fail_msg("%s: message '%s' lacks '%s' or the file name", file, e.msg, msg_part);
	assert_int_equal(l.n, 0);
	finding_list_free(&l);
}

static void test_hostile(void **state)
{
	(void)state;
	expect_error(HOSTILE "billion-laughs.yml", BOSUN_ELIMIT, "aliases expand");
	expect_error(HOSTILE "deep-nesting.yml", BOSUN_ELIMIT, "nested deeper");
	expect_error(HOSTILE "invalid-utf8.yml", BOSUN_EFORMAT, "line 3: invalid UTF-8");
	expect_error(HOSTILE "not-a-mapping.yml", BOSUN_EFORMAT, "no top-level services");
	expect_error(HOSTILE "services-list.yml", BOSUN_EFORMAT, "no top-level services");
	expect_error(HOSTILE "two-documents.yml", BOSUN_EFORMAT, "more than one document");
	expect_error(HOSTILE "truncated.yml", BOSUN_EFORMAT, "line 4");

	/* wrong types everywhere: no crash, nothing invented from them */
	struct finding_list l;
	finding_list_init(&l);
	struct berr e = { 0 };
	assert_int_equal(check_file(HOSTILE "wrong-types.yml", &l, &e), BOSUN_OK);
	char *got = summary(&l);
	assert_string_equal(got, "CMP-020@2 CMP-025@2 CMP-026@2 CMP-003@7 CMP-017@10");
	free(got);
	finding_list_free(&l);
	/* extends cycles end */
	finding_list_init(&l);
	assert_int_equal(check_file(HOSTILE "extends-cycle.yml", &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 18);
	finding_list_free(&l);
}

static void test_limits(void **state)
{
	(void)state;
	struct finding_list l;
	finding_list_init(&l);
	struct berr e = { 0 };
	/* over the size limit: refused before parsing */
	size_t n = COMPOSE_MAX_BYTES + 1;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, '#', n);
	assert_int_equal(compose_check("big.yml", big, n, &l, &e), BOSUN_ELIMIT);
	assert_non_null(strstr(e.msg, "exceeds the limit"));
	free(big);
	/* a generated file whose findings would fill memory: refused, nothing kept */
	struct buf b = { 0 };
	assert_int_equal(buf_append_str(&b, "services:\n"), BOSUN_OK);
	for (int i = 0; i < 4000; i++)
		assert_int_equal(buf_printf(&b, "  s%d:\n    image: nginx\n    privileged: true\n", i), BOSUN_OK);
	berr_clear(&e);
	assert_int_equal(compose_check("many.yml", b.data, b.len, &l, &e), BOSUN_ELIMIT);
	assert_non_null(strstr(e.msg, "findings"));
	assert_int_equal(l.n, 0);
	buf_free(&b);
	/* NUL bytes and binary garbage are errors, not crashes */
	static const char nul[] = "services:\n  web:\n    image: \"a\0b\"\n";
	berr_clear(&e);
	assert_int_not_equal(compose_check("nul.yml", nul, sizeof nul - 1, &l, &e), BOSUN_OK);
	finding_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_files),  cmocka_unit_test(test_one_behaviour_per_file),
		cmocka_unit_test(test_details),      cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_ports),        cmocka_unit_test(test_volumes),
		cmocka_unit_test(test_merge_keys),   cmocka_unit_test(test_detection),
		cmocka_unit_test(test_hostile),      cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
