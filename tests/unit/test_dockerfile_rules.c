/* Dockerfile rules: every .Dockerfile fixture under tests/data/dockerfile names the
 * findings it must produce in a "# expect: RULE@LINE ..." line; the test
 * asserts exactly that set. Then properties no fixture line shows: the
 * finding fields, file name matching, errors. */
#include "testutil.h"

#include <dirent.h>

#include "misconfig/chmod_mode.h"
#include "misconfig/dockerfile.h"
#include "misconfig/rules.h"

#define CASES "tests/data/dockerfile/"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* "DKR-001@2 DKR-004@2" from the fixture, sorted. */
static size_t expected(const char *text, char out[][32], size_t max)
{
	const char *p = strstr(text, "# expect:");
	assert_non_null(p);
	p += 9;
	size_t n = 0;
	while (*p && *p != '\n') {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " \n");
		if (len && strncmp(p, "none", 4) != 0) {
			assert_true(n < max && len < 32);
			memcpy(out[n], p, len);
			out[n++][len] = '\0';
		}
		p += len;
	}
	char *ptrs[64];
	for (size_t i = 0; i < n; i++)
		ptrs[i] = out[i];
	qsort(ptrs, n, sizeof *ptrs, cmp_str);
	char tmp[64][32];
	for (size_t i = 0; i < n; i++)
		strcpy(tmp[i], ptrs[i]);
	memcpy(out, tmp, n * 32);
	return n;
}

static void test_fixtures(void **state)
{
	(void)state;
	DIR *d = opendir(CASES);
	assert_non_null(d);
	struct dirent *de;
	int files = 0, failures = 0, bad = 0, good = 0;
	while ((de = readdir(d))) {
		size_t nl = strlen(de->d_name);
		if (nl < 11 || strcmp(de->d_name + nl - 11, ".Dockerfile") != 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, CASES "%s", de->d_name);
		size_t len;
		unsigned char *data = test_read_file(path, &len);
		char want[64][32];
		size_t nwant = expected((const char *)data, want, 64);
		struct finding_list l;
		finding_list_init(&l);
		struct berr e = { 0 };
		int rc = dockerfile_check(path, (const char *)data, len, &l, &e);
		if (rc) {
			printf("%s: error %s\n", de->d_name, e.msg);
			failures++;
		}
		char got[64][32];
		size_t ngot = 0;
		char *ptrs[64];
		for (size_t i = 0; i < l.n && ngot < 64; i++) {
			snprintf(got[ngot], 32, "%s@%u", l.v[i].rule_id, l.v[i].line);
			ptrs[ngot] = got[ngot];
			ngot++;
		}
		qsort(ptrs, ngot, sizeof *ptrs, cmp_str);
		bool same = ngot == nwant;
		for (size_t i = 0; same && i < ngot; i++)
			same = strcmp(ptrs[i], want[i]) == 0;
		if (!same) {
			failures++;
			printf("%s: want", de->d_name);
			for (size_t i = 0; i < nwant; i++)
				printf(" %s", want[i]);
			printf("; got");
			for (size_t i = 0; i < ngot; i++)
				printf(" %s", ptrs[i]);
			printf("\n");
			for (size_t i = 0; i < l.n; i++)
				printf("    %s line %u: %s\n", l.v[i].rule_id, l.v[i].line, l.v[i].message);
		}
		bad += strncmp(de->d_name, "bad-", 4) == 0;
		good += strncmp(de->d_name, "good-", 5) == 0;
		files++;
		finding_list_free(&l);
		free(data);
	}
	closedir(d);
	printf("%d fixtures (%d bad, %d good), %d failed\n", files, bad, good, failures);
	assert_true(files >= 40);
	assert_int_equal(failures, 0);
}

/* Every rule a Dockerfile can trigger has a violating fixture. */
static void test_every_dockerfile_rule_has_a_fixture(void **state)
{
	(void)state;
	for (int r = 0; r < DKR_RULE_COUNT; r++) {
		char cmd[256];
		snprintf(cmd, sizeof cmd, "grep -l '# expect:.*%s@' " CASES "bad-*.Dockerfile >/dev/null", dkr_rule(r)->id);
		if (system(cmd) != 0)
			fail_msg("no fixture for %s", dkr_rule(r)->id);
	}
}

static void test_finding_fields(void **state)
{
	(void)state;
	const char *df = "FROM debian:12\n"
			 "RUN apt-get update && \\\n"
			 "    apt-get install -y --no-install-recommends curl\n"
			 "ENV API_KEY=abcdef0123456789abcdef\n"
			 "USER app\nHEALTHCHECK CMD [\"true\"]\nCMD [\"x\"]\n";
	struct finding_list l;
	finding_list_init(&l);
	struct berr e = { 0 };
	assert_int_equal(dockerfile_check("sub/Dockerfile", df, strlen(df), &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 2);
	const struct finding *cache = NULL, *secret = NULL;
	for (size_t i = 0; i < l.n; i++) {
		if (strcmp(l.v[i].rule_id, "DKR-010") == 0)
			cache = &l.v[i];
		if (strcmp(l.v[i].rule_id, "DKR-002") == 0)
			secret = &l.v[i];
	}
	assert_non_null(cache);
	assert_non_null(secret);
	assert_int_equal(cache->kind, FINDING_KIND_MISCONFIG);
	assert_string_equal(cache->category, "dockerfile");
	assert_string_equal(cache->path, "sub/Dockerfile");
	assert_int_equal(cache->line, 2);
	assert_int_equal(cache->end_line, 3);
	assert_int_equal(cache->layer, -1);
	assert_non_null(cache->remediation);
	assert_non_null(cache->reference);
	assert_string_equal(secret->control, "CIS Docker 4.10");
	assert_int_equal(secret->severity, SEV_CRITICAL);
	/* the secret itself never appears in the finding */
	assert_null(strstr(secret->message, "abcdef0123456789abcdef"));
	assert_string_equal(secret->match, "abcd******************");
	finding_list_free(&l);
}

/* chmod modes as GNU chmod reads them: what is surely set and cleared. */
static void test_chmod_modes(void **state)
{
	(void)state;
	struct { const char *mode; bool valid; unsigned set, clr; } cases[] = {
		{ "4755", true, 04755, 03022 },
		{ "00755", true, 0755, 07022 },
		{ "1777", true, 01777, 06000 },
		{ "u+s", true, CHMOD_SETUID, 0 },
		{ "g+s", true, CHMOD_SETGID, 0 },
		{ "+s", true, CHMOD_SETUID | CHMOD_SETGID, 0 },
		{ "o+s", true, 0, 0 },                 /* s means nothing for others */
		{ "ug-s", true, 0, CHMOD_SETUID | CHMOD_SETGID },
		{ "u+s-s", true, 0, CHMOD_SETUID },     /* operations apply in order */
		{ "+w", true, 0200, 0 },               /* umask 022 keeps others out */
		{ "o+w", true, 0002, 0 },
		{ "a+rwxt", true, 01777, 0 },
		{ "a=rwx", true, 0777, 07000 },        /* = clears the sticky bit */
		{ "u=rwx,g=rx,o=", true, 0750, 07027 },
		{ "+4000", true, CHMOD_SETUID, 0 },
		{ "g=u", true, 0, 0 },                 /* a copy: unknown */
		{ "-w", true, 0, 0200 },
		{ "u+x,", false, 0, 0 },
		{ "-R", false, 0, 0 },
		{ "--recursive", false, 0, 0 },
		{ "$MODE", false, 0, 0 },
		{ "8755", false, 0, 0 },
		{ "17777", false, 0, 0 },
		{ "u+4000", false, 0, 0 },
		{ "", false, 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		unsigned set = 0xdead, clr = 0xbeef;
		bool ok = chmod_mode_effect(cases[i].mode, &set, &clr);
		if (ok != cases[i].valid || (ok && (set != cases[i].set || clr != cases[i].clr)))
			fail_msg("chmod %s: valid %d set %04o clr %04o, want %d %04o %04o", cases[i].mode, ok, set, clr,
				 cases[i].valid, cases[i].set, cases[i].clr);
	}
	assert_true(chmod_scratch_path("/tmp"));
	assert_true(chmod_scratch_path("/var/tmp/x"));
	assert_false(chmod_scratch_path("/tmpfiles"));
	assert_false(chmod_scratch_path("tmp"));
}

static const struct finding *find_rule(const struct finding_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].rule_id, id) == 0)
			return &l->v[i];
	return NULL;
}

/* The messages name the mode, the bits and the paths, and the ENV and
 * build argument involved. */
static void test_chmod_and_env_messages(void **state)
{
	(void)state;
	const char *df = "FROM debian:12\n"
			 "ARG CI_JOB_TOKEN\n"
			 "ENV TOKEN_COPY=\"x-${CI_JOB_TOKEN}\"\n"
			 "RUN chmod g+s /srv/a /srv/b && chmod 666 /a /b /c /d /e\n"
			 "USER app\nHEALTHCHECK CMD [\"true\"]\nCMD [\"x\"]\n";
	struct finding_list l;
	finding_list_init(&l);
	struct berr e = { 0 };
	assert_int_equal(dockerfile_check("Dockerfile", df, strlen(df), &l, &e), BOSUN_OK);
	const struct finding *f = find_rule(&l, "DKR-011");
	assert_non_null(f);
	assert_int_equal(f->line, 4);
	assert_string_equal(f->message, "RUN chmod g+s sets the setgid bit on /srv/a, /srv/b");
	assert_non_null(f = find_rule(&l, "DKR-012"));
	assert_string_equal(f->message, "RUN chmod 666 makes /a, /b, /c, /d and 1 more writable by everyone");
	assert_non_null(f = find_rule(&l, "DKR-002"));
	assert_int_equal(f->line, 3);
	assert_string_equal(f->message, "ENV TOKEN_COPY takes the value of build argument CI_JOB_TOKEN: whatever is "
					"passed at build time is stored in the image");
	assert_null(f->match);
	finding_list_free(&l);
}

static void test_errors_leave_list_unchanged(void **state)
{
	(void)state;
	struct finding_list l;
	finding_list_init(&l);
	struct berr e = { 0 };
	const char *df = "FROM debian\nUSER root\nFROBNICATE now\n";
	assert_int_equal(dockerfile_check("x/Dockerfile", df, strlen(df), &l, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "x/Dockerfile"));
	assert_non_null(strstr(e.msg, "line 3"));
	assert_non_null(strstr(e.msg, "FROBNICATE"));
	assert_int_equal(l.n, 0);
	finding_list_free(&l);
}

static void test_name_matches(void **state)
{
	(void)state;
	const char *yes[] = { "Dockerfile", "dockerfile", "Containerfile", "Dockerfile.prod", "app.Dockerfile",
			      "api.dockerfile", "dir/Dockerfile.dev", "Containerfile.build" };
	const char *no[] = { "Dockerfile.dockerignore", "app.Dockerfile.dockerignore", "README.md", "Dockerfile.md",
			     "Dockerfiles", "mydockerfile", "docker-compose.yml", ".dockerignore", "Dockerfile." , "" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (!dockerfile_name_matches(yes[i]))
			fail_msg("%s should match", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (dockerfile_name_matches(no[i]))
			fail_msg("%s should not match", no[i]);
}

static void test_secret_names(void **state)
{
	(void)state;
	const char *yes[] = { "DB_PASSWORD", "MYSQL_ROOT_PASSWORD", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "api_key",
			      "dbPassword", "STRIPE_API_KEY", "CLIENT_SECRET", "com.example.deploy-token", "PRIVATE_KEY" };
	const char *no[] = { "PATH", "PWD", "TOKENIZERS_PARALLELISM", "GPG_KEY", "DB_PASSWORD_FILE", "SECRET_KEY_PATH",
			     "AWS_ACCESS_KEY_ID", "PASSWORD_MIN_LENGTH", "TOKEN_URL", "HOME", "KEYBOARD" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (!dkr_secret_name(yes[i], strlen(yes[i])))
			fail_msg("%s should look like a secret", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (dkr_secret_name(no[i], strlen(no[i])))
			fail_msg("%s should not look like a secret", no[i]);
	assert_false(dkr_secret_literal("", 0));
	assert_false(dkr_secret_literal("${X}", 4));
	assert_false(dkr_secret_literal("xxxxxxxx", 8));
	assert_false(dkr_secret_literal("<your token>", 12));
	assert_false(dkr_secret_literal("/run/secrets/x", 14));
	assert_false(dkr_secret_literal("false", 5));
	assert_true(dkr_secret_literal("hunter2", 7));
	assert_true(dkr_secret_literal("changeme", 8));
}

static void test_clean_text(void **state)
{
	(void)state;
	char out[32];
	dkr_clean_text(out, sizeof out, "ok\xff\xfe caf\xc3\xa9 \x01", 12);
	assert_string_equal(out, "ok?? caf\xc3\xa9 ?");
	dkr_clean_text(out, 8, "0123456789", 10);
	assert_string_equal(out, "0123...");
	/* a truncated multibyte sequence at the end */
	dkr_clean_text(out, sizeof out, "a\xe2\x82", 3);
	assert_string_equal(out, "a??");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_every_dockerfile_rule_has_a_fixture),
		cmocka_unit_test(test_finding_fields),
		cmocka_unit_test(test_chmod_modes),
		cmocka_unit_test(test_chmod_and_env_messages),
		cmocka_unit_test(test_errors_leave_list_unchanged),
		cmocka_unit_test(test_name_matches),
		cmocka_unit_test(test_secret_names),
		cmocka_unit_test(test_clean_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
