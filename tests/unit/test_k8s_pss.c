/* The Pod Security Standards, control by control: every manifest under
 * tests/data/k8s/pss states in its header the PSS rule ids it must produce
 * under each profile (a multiset: a rule reported twice is listed twice),
 * and optionally the line a finding must point at:
 *
 *   # expect: K8S-PSS-PRIVILEGED                (--profile restricted)
 *   # expect-baseline: K8S-PSS-PRIVILEGED       (--profile baseline)
 *   # line: K8S-PSS-PRIVILEGED 22
 *
 * Exactly those ids, and no other K8S-PSS-* id, must come out. The other
 * rules (images, resources...) are left to test_k8s.c. */
#include "testutil.h"

#include <dirent.h>

#include "k8s/k8s.h"

#define PSS_DIR "tests/data/k8s/pss"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Space-separated ids after "# KEY: " in the header, sorted, joined by ' '. */
static bool header_ids(const char *text, const char *key, char *out, size_t n)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\n# %s: ", key);
	char *buf = malloc(strlen(text) + 2);
	assert_non_null(buf);
	buf[0] = '\n';
	strcpy(buf + 1, text);
	const char *p = strstr(buf, pat);
	if (!p) {
		free(buf);
		return false;
	}
	p += strlen(pat);
	snprintf(out, n, "%.*s", (int)strcspn(p, "\n"), p);
	free(buf);
	if (!strcmp(out, "none"))
		out[0] = '\0';
	return true;
}

static void found_ids(const struct finding_list *l, char *out, size_t n)
{
	const char *ids[256];
	size_t k = 0;
	for (size_t i = 0; i < l->n && k < 256; i++)
		if (!strncmp(l->v[i].rule_id, "K8S-PSS-", 8))
			ids[k++] = l->v[i].rule_id;
	qsort(ids, k, sizeof *ids, cmp_str);
	out[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		strncat(out, i ? " " : "", n - strlen(out) - 1);
		strncat(out, ids[i], n - strlen(out) - 1);
	}
}

static void check_lines(const char *file, const char *text, const struct finding_list *l)
{
	const char *p = text;
	while ((p = strstr(p, "# line: "))) {
		char id[128];
		unsigned line;
		if (sscanf(p, "# line: %127s %u", id, &line) != 2)
			fail_msg("%s: bad line header", file);
		bool ok = false;
		for (size_t i = 0; i < l->n && !ok; i++)
			ok = !strcmp(l->v[i].rule_id, id) && l->v[i].line == line;
		if (!ok)
			fail_msg("%s: no %s finding at line %u", file, id, line);
		p += 8;
	}
}

static void run_case(const char *file, int *cases)
{
	size_t n;
	char *text = (char *)test_read_file(file, &n);
	struct k8s_set *s = k8s_set_new();
	struct berr e = { 0 };
	if (k8s_set_load_buffer(s, file, text, n, &e))
		fail_msg("%s: %s", file, e.msg);
	assert_int_equal(k8s_set_warning_count(s), 0);
	assert_int_equal(k8s_set_count(s), 1);
	static const struct {
		const char *key;
		enum k8s_profile profile;
	} profiles[] = { { "expect", K8S_PROFILE_RESTRICTED }, { "expect-baseline", K8S_PROFILE_BASELINE } };
	for (size_t p = 0; p < 2; p++) {
		char want[2048], got[2048];
		if (!header_ids(text, profiles[p].key, want, sizeof want))
			fail_msg("%s: no '# %s:' header", file, profiles[p].key);
		struct finding_list l;
		finding_list_init(&l);
		struct k8s_check_options o = { .profile = profiles[p].profile };
		if (k8s_check(s, &o, &l, &e))
			fail_msg("%s: %s", file, e.msg);
		found_ids(&l, got, sizeof got);
		if (strcmp(want, got))
			fail_msg("%s (%s):\n  want [%s]\n  got  [%s]", file, profiles[p].key, want, got);
		for (size_t i = 0; i < l.n; i++) {
			/* every finding names its file, object and a line */
			assert_string_equal(l.v[i].path, file);
			assert_string_equal(l.v[i].ns, "pss");
			assert_string_equal(l.v[i].object, "demo");
			assert_true(l.v[i].line > 0);
			assert_int_equal(l.v[i].kind, FINDING_KIND_MISCONFIG);
			assert_string_equal(l.v[i].category, "kubernetes");
			assert_non_null(l.v[i].control);
			assert_non_null(strstr(l.v[i].location, "/pss/demo"));
		}
		if (p == 0)
			check_lines(file, text, &l);
		finding_list_free(&l);
	}
	k8s_set_free(s);
	free(text);
	(*cases)++;
}

static void test_pss_cases(void **state)
{
	(void)state;
	DIR *d = opendir(PSS_DIR);
	assert_non_null(d);
	struct dirent *de;
	int cases = 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l < 6 || strcmp(de->d_name + l - 5, ".yaml"))
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", PSS_DIR, de->d_name);
		run_case(path, &cases);
	}
	closedir(d);
	assert_true(cases >= 60);
}

/* Every PSS control has a violating case in the data, under its rule id. */
static void test_every_control_covered(void **state)
{
	(void)state;
	size_t n;
	const struct k8s_rule *rules = k8s_rules(&n);
	for (size_t i = 0; i < n; i++) {
		if (rules[i].level == K8S_RULE_EXTRA)
			continue;
		char cmd[512];
		snprintf(cmd, sizeof cmd, "grep -lq '^# expect: .*%s' %s/*.yaml", rules[i].id, PSS_DIR);
		if (system(cmd) != 0)
			fail_msg("no violating case for %s", rules[i].id);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pss_cases),
		cmocka_unit_test(test_every_control_covered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
