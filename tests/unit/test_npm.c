/* npm: trivy's package-lock fixtures against their expected.json, then
 * package.json, package-lock v1/v2/v3, yarn.lock v1 and berry, pnpm-lock
 * v5/v6/v9 written here from the formats' documentation, hostile input,
 * and the analyzer over merged views (an image, a project tree). */
#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>

#include "analyze/analyzer.h"
#include "analyze/npm.h"
#include "image/layer.h"
#include "image/view.h"
#include "util/err.h"
#include "util/log.h"

extern const struct analyzer analyzer_npm;

/* ---- helpers ---- */

static const struct package *find(const struct artifact *a, const char *name, const char *version)
{
	for (size_t i = 0; i < a->npkgs; i++) {
		const struct package *p = &a->pkgs[i];
		bool vmatch = version ? p->version && strcmp(p->version, version) == 0 : p->version == NULL;
		if (p->type == PKG_NPM && strcmp(p->name, name) == 0 && vmatch)
			return p;
	}
	return NULL;
}

static const struct package *get(const struct artifact *a, const char *name, const char *version)
{
	const struct package *p = find(a, name, version);
	if (!p)
		fail_msg("package %s@%s not found", name, version ? version : "(none)");
	return p;
}

static bool has_warning(const struct artifact *a, const char *needle)
{
	for (size_t i = 0; i < a->nwarnings; i++)
		if (strstr(a->warnings[i], needle))
			return true;
	return false;
}

/* rel: "direct", "indirect" or NULL (unknown). */
static void check(const struct artifact *a, const char *name, const char *version, bool dev, const char *rel)
{
	const struct package *p = get(a, name, version);
	if (p->dev != dev)
		fail_msg("%s@%s: dev %d, want %d", name, version, p->dev, dev);
	if (rel && (!p->relationship || strcmp(p->relationship, rel) != 0))
		fail_msg("%s@%s: relationship %s, want %s", name, version, p->relationship ? p->relationship : "(null)",
			 rel);
	if (!rel && p->relationship)
		fail_msg("%s@%s: relationship %s, want none", name, version, p->relationship);
}

#define PARSE_LOCK(a, text) assert_int_equal(npm_parse_lockfile(text, strlen(text), "package-lock.json", a), BOSUN_OK)
#define PARSE_PJ(a, text, added) \
	assert_int_equal(npm_parse_package_json(text, strlen(text), "node_modules/x/package.json", a, added), BOSUN_OK)

/* ---- fixtures ---- */

static int cmp_str(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

static size_t list_cases(char ***out)
{
	DIR *d = opendir(test_pkgdb_path("npm-lock"));
	if (!d)
		fail_msg("cannot open %s", test_pkgdb_path("npm-lock"));
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	*out = names;
	return n;
}

/* trivy's Relationship enum as bosun spells it. */
static const char *want_rel(const json_t *ep)
{
	const char *r = json_string_value(json_object_get(ep, "relationship"));
	if (r && strcmp(r, "RelationshipDirect") == 0)
		return "direct";
	if (r && strcmp(r, "RelationshipIndirect") == 0)
		return "indirect";
	return NULL;
}

/* trivy lists licenses; bosun joins several with " OR ". */
static void want_license(const json_t *ep, char *buf, size_t size)
{
	buf[0] = '\0';
	size_t i;
	const json_t *l;
	json_array_foreach(json_object_get(ep, "licenses"), i, l) {
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s", i ? " OR " : "", json_string_value(l));
	}
}

static bool str_eq_null(const char *x, const char *y) { return (!x && !y) || (x && y && strcmp(x, y) == 0); }

static bool pkg_matches(const json_t *ep, const struct package *p)
{
	char lic[512];
	want_license(ep, lic, sizeof lic);
	bool ok = true;
	if (p->dev != json_is_true(json_object_get(ep, "dev"))) {
		print_message("    %s@%s: dev %d\n", p->name, p->version, p->dev);
		ok = false;
	}
	if (!str_eq_null(want_rel(ep), p->relationship)) {
		print_message("    %s@%s: relationship %s\n", p->name, p->version, p->relationship);
		ok = false;
	}
	if (!str_eq_null(lic[0] ? lic : NULL, p->license)) {
		print_message("    %s@%s: license %s, want %s\n", p->name, p->version, p->license, lic);
		ok = false;
	}
	return ok;
}

static bool run_case(const char *name)
{
	char rel[512];
	snprintf(rel, sizeof rel, "npm-lock/%s/expected.json", name);
	json_t *exp = test_load_json(test_pkgdb_path(rel));
	const char *input = json_string_value(json_array_get(json_object_get(exp, "inputs"), 0));
	snprintf(rel, sizeof rel, "npm-lock/%s/%s", name, input);
	size_t len;
	unsigned char *data = test_read_file(test_pkgdb_path(rel), &len);
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(npm_parse_lockfile((const char *)data, len, input, &a), BOSUN_OK);
	bool ok = a.nwarnings == 0;
	size_t i;
	json_t *ep;
	json_array_foreach(json_object_get(exp, "packages"), i, ep) {
		const char *n = json_string_value(json_object_get(ep, "name"));
		const struct package *p = find(&a, n, json_string_value(json_object_get(ep, "version")));
		if (!p) {
			print_message("    %s: missing %s\n", name, json_string_value(json_object_get(ep, "id")));
			ok = false;
		} else {
			ok &= pkg_matches(ep, p);
			ok &= strcmp(p->found_in, input) == 0;
		}
	}
	if (json_is_true(json_object_get(exp, "complete")) &&
	    a.npkgs != (size_t)json_integer_value(json_object_get(exp, "package_count"))) {
		print_message("    %s: %zu packages, want %lld\n", name, a.npkgs,
			      (long long)json_integer_value(json_object_get(exp, "package_count")));
		ok = false;
	}
	print_message("  %-28s %s (%zu packages)\n", name, ok ? "ok" : "FAILED", a.npkgs);
	artifact_free(&a);
	free(data);
	json_decref(exp);
	return ok;
}

static void test_fixtures(void **state)
{
	(void)state;
	char **names;
	size_t n = list_cases(&names), failed = 0;
	assert_true(n >= 4);
	for (size_t i = 0; i < n; i++) {
		failed += !run_case(names[i]);
		free(names[i]);
	}
	free(names);
	assert_int_equal(failed, 0);
}

/* ---- package.json ---- */

static void test_package_json(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	bool added;
	PARSE_PJ(&a, "{\"name\": \"@babel/core\", \"version\": \"7.1.2\", \"license\": \"MIT\"}", &added);
	assert_true(added);
	const struct package *p = get(&a, "@babel/core", "7.1.2");
	assert_string_equal(p->license, "MIT");
	assert_string_equal(p->found_in, "node_modules/x/package.json");
	assert_null(p->relationship);
	assert_false(p->dev);
	/* Legacy license forms. */
	PARSE_PJ(&a, "{\"name\": \"old\", \"version\": \"0.1.0\", \"license\": {\"type\": \"BSD\", \"url\": \"x\"}}", NULL);
	assert_string_equal(get(&a, "old", "0.1.0")->license, "BSD");
	PARSE_PJ(&a,
		 "{\"name\": \"dual\", \"version\": \"1.0.0\", \"licenses\": [{\"type\": \"MIT\", \"url\": \"u\"}, "
		 "{\"type\": \"Apache-2.0\"}]}",
		 NULL);
	assert_string_equal(get(&a, "dual", "1.0.0")->license, "MIT OR Apache-2.0");
	PARSE_PJ(&a, "{\"name\": \"strs\", \"version\": \"1.0.0\", \"licenses\": [\"ISC\"]}", NULL);
	assert_string_equal(get(&a, "strs", "1.0.0")->license, "ISC");
	PARSE_PJ(&a, "{\"name\": \"one\", \"version\": \"1.0.0\", \"licenses\": {\"type\": \"WTFPL\"}}", NULL);
	assert_string_equal(get(&a, "one", "1.0.0")->license, "WTFPL");
	PARSE_PJ(&a, "{\"name\": \"ctl\", \"version\": \"1.0.0\", \"license\": \"MIT\\u0007x\"}", NULL);
	assert_string_equal(get(&a, "ctl", "1.0.0")->license, "MIT?x");
	PARSE_PJ(&a, "{\"name\": \"nolic\", \"version\": \"1.0.0\", \"license\": null, \"licenses\": []}", NULL);
	assert_null(get(&a, "nolic", "1.0.0")->license);
	/* Not packages, and not worth a warning. */
	PARSE_PJ(&a, "{\"type\": \"module\"}", &added);
	assert_false(added);
	PARSE_PJ(&a, "{\"name\": \"noversion\"}", &added);
	assert_false(added);
	PARSE_PJ(&a, "[1, 2]", &added);
	assert_false(added);
	/* Node tolerates a byte order mark and repeated keys (the last wins). */
	PARSE_PJ(&a, "\xef\xbb\xbf{\"name\": \"bom\", \"version\": \"1.0.0\"}", NULL);
	get(&a, "bom", "1.0.0");
	PARSE_PJ(&a, "{\"name\": \"dup\", \"version\": \"1.0.0\", \"version\": \"2.0.0\"}", NULL);
	get(&a, "dup", "2.0.0");
	assert_null(find(&a, "dup", "1.0.0"));
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
}

static void test_package_json_malformed(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	bool added = true;
	PARSE_PJ(&a, "{\"name\": \"x\", \"version\": ", &added);
	assert_false(added);
	assert_int_equal(a.nwarnings, 1);
	assert_true(has_warning(&a, "npm: node_modules/x/package.json: "));
	/* Path tricks and blanks are not names or versions. */
	PARSE_PJ(&a, "{\"name\": \"../../etc\", \"version\": \"1.0.0\"}", &added);
	PARSE_PJ(&a, "{\"name\": \"@scope/\", \"version\": \"1.0.0\"}", &added);
	PARSE_PJ(&a, "{\"name\": \"@/x\", \"version\": \"1.0.0\"}", &added);
	PARSE_PJ(&a, "{\"name\": \"a b\", \"version\": \"1.0.0\"}", &added);
	PARSE_PJ(&a, "{\"name\": \"ok\", \"version\": \"1.0 .0\"}", &added);
	assert_int_equal(a.npkgs, 0);
	assert_int_equal(a.nwarnings, 6);
	/* A nesting bomb is refused before jansson recurses. */
	char deep[4096];
	size_t n = 0;
	n += (size_t)snprintf(deep, sizeof deep, "{\"name\": \"deep\", \"version\": \"1.0.0\", \"x\": ");
	for (int i = 0; i < 1000; i++)
		deep[n++] = '[';
	deep[n] = '\0';
	PARSE_PJ(&a, deep, &added);
	assert_false(added);
	assert_true(has_warning(&a, "nested deeper"));
	/* Over the size limit: warned, not parsed. */
	char *big = malloc(NPM_MAX_MANIFEST_BYTES + 2);
	memset(big, ' ', NPM_MAX_MANIFEST_BYTES + 1);
	big[NPM_MAX_MANIFEST_BYTES + 1] = '\0';
	PARSE_PJ(&a, big, &added);
	assert_false(added);
	assert_true(has_warning(&a, "limit"));
	free(big);
	artifact_free(&a);
}

/* ---- package-lock.json ---- */

/* v1: nested "dependencies", aliases, git sources, dev flags. */
static void test_lock_v1(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	PARSE_LOCK(&a, "{\"lockfileVersion\": 1, \"dependencies\": {"
		       "  \"a\": {\"version\": \"1.0.0\", \"dependencies\": {"
		       "    \"b\": {\"version\": \"2.0.0\", \"dev\": true}}},"
		       "  \"b\": {\"version\": \"2.0.0\"},"
		       "  \"c\": {\"version\": \"3.0.0\", \"dev\": true, \"optional\": true},"
		       "  \"sw\": {\"version\": \"npm:string-width@4.2.3\"},"
		       "  \"fromgit\": {\"version\": \"github:user/repo#abcdef\"},"
		       "  \"local\": {\"version\": \"file:../local\"}}}");
	assert_int_equal(a.npkgs, 4);
	check(&a, "a", "1.0.0", false, NULL);
	check(&a, "b", "2.0.0", false, NULL); /* dev in one place, prod in another */
	check(&a, "c", "3.0.0", true, NULL);
	check(&a, "string-width", "4.2.3", false, NULL);
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
}

/* v2 carries "packages" and, for old npm, "dependencies": only the first
 * counts. devOptional is needed in production (an optional dependency of
 * a production package), so it is not dev. */
static void test_lock_v2(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	PARSE_LOCK(&a, "{\"lockfileVersion\": 2, \"packages\": {"
		       "  \"\": {\"name\": \"p\", \"dependencies\": {\"a\": \"^1\"}, \"devDependencies\": {\"t\": \"^1\"}},"
		       "  \"node_modules/a\": {\"version\": \"1.0.0\", \"license\": \"ISC\"},"
		       "  \"node_modules/t\": {\"version\": \"5.0.0\", \"dev\": true},"
		       "  \"node_modules/o\": {\"version\": \"6.0.0\", \"devOptional\": true, \"optional\": true},"
		       "  \"node_modules/@s/n\": {\"version\": \"7.0.0\", \"licenses\": [{\"type\": \"MIT\"}, {\"type\": "
		       "\"GPL-2.0\"}]},"
		       "  \"node_modules/alias\": {\"name\": \"real\", \"version\": \"8.0.0\"},"
		       "  \"node_modules/a/node_modules/t\": {\"version\": \"4.0.0\"}"
		       "}, \"dependencies\": {\"only-v1\": {\"version\": \"9.9.9\"}}}");
	assert_int_equal(a.npkgs, 6);
	check(&a, "a", "1.0.0", false, "direct");
	assert_string_equal(get(&a, "a", "1.0.0")->license, "ISC");
	check(&a, "t", "5.0.0", true, "direct");
	check(&a, "t", "4.0.0", false, "indirect");
	check(&a, "o", "6.0.0", false, "indirect");
	check(&a, "@s/n", "7.0.0", false, "indirect");
	assert_string_equal(get(&a, "@s/n", "7.0.0")->license, "MIT OR GPL-2.0");
	check(&a, "real", "8.0.0", false, "indirect");
	assert_null(find(&a, "only-v1", "9.9.9"));
	artifact_free(&a);
}

/* A file: dependency outside any workspace is a link to a folder that may
 * have its own node_modules; a link with no target is reported. The same
 * name@version in several places is one package, direct if any copy is. */
static void test_lock_links(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	PARSE_LOCK(&a, "{\"lockfileVersion\": 3, \"packages\": {"
		       "  \"\": {\"dependencies\": {\"lib\": \"file:../lib\", \"x\": \"^2\"}},"
		       "  \"node_modules/lib\": {\"resolved\": \"../lib\", \"link\": true},"
		       "  \"../lib\": {\"version\": \"1.0.0\", \"license\": \"MIT\"},"
		       "  \"../lib/node_modules/x\": {\"version\": \"2.0.0\", \"dev\": true},"
		       "  \"../library\": {\"version\": \"3.0.0\"},"
		       "  \"node_modules/x\": {\"version\": \"2.0.0\"},"
		       "  \"node_modules/broken\": {\"link\": true},"
		       "  \"node_modules/nover\": {\"resolved\": \"https://x/nover.tgz\"}"
		       "}}");
	assert_int_equal(a.npkgs, 2);
	check(&a, "lib", "1.0.0", false, "direct");
	assert_string_equal(get(&a, "lib", "1.0.0")->license, "MIT");
	check(&a, "x", "2.0.0", false, "direct");
	assert_null(find(&a, "library", "3.0.0")); /* "../lib" is not a prefix of "../library" */
	assert_true(has_warning(&a, "link node_modules/broken has no \"resolved\""));
	assert_true(has_warning(&a, "node_modules/nover: no version"));
	artifact_free(&a);
}

static void test_lock_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"{",
		"[]",
		"{\"lockfileVersion\": 2}",
		"{\"lockfileVersion\": 1, \"dependencies\": {\"a\": 1, \"b\": [], \"\": {\"version\": \"1\"}}}",
		("{\"lockfileVersion\": 3, \"packages\": {\"node_modules/\": {\"version\": \"1.0.0\"}, "
		 "\"node_modules/a\": \"x\", \"node_modules/b\": {\"version\": 5}}}"),
		"\x00\x01\x02 garbage",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct artifact a;
		artifact_init(&a);
		a.silent = true;
		assert_int_equal(npm_parse_lockfile(bad[i], i == 6 ? 11 : strlen(bad[i]), "x/package-lock.json", &a),
				 BOSUN_OK);
		assert_int_equal(a.npkgs, 0);
		if (a.nwarnings == 0 && i != 5)
			fail_msg("case %zu: no warning", i);
		for (size_t w = 0; w < a.nwarnings; w++)
			assert_non_null(strstr(a.warnings[w], "x/package-lock.json"));
		artifact_free(&a);
	}
	/* A newer format is read as v3, with a warning. */
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	PARSE_LOCK(&a, "{\"lockfileVersion\": 4, \"packages\": {\"node_modules/a\": {\"version\": \"1.0.0\"}}}");
	assert_int_equal(a.npkgs, 1);
	assert_true(has_warning(&a, "newer than 3"));
	artifact_free(&a);
}

/* Deep v1 nesting and many warnings stay bounded. */
static void test_lock_hostile(void **state)
{
	(void)state;
	struct buf b = { 0 };
	buf_append_str(&b, "{\"lockfileVersion\": 1, \"dependencies\": ");
	for (int i = 0; i < 60; i++)
		buf_printf(&b, "{\"d%d\": {\"version\": \"1.0.%d\", \"dependencies\": ", i, i);
	buf_append_str(&b, "{}");
	for (int i = 0; i < 60; i++)
		buf_append_str(&b, "}}");
	buf_append_str(&b, "}");
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(npm_parse_lockfile(b.data, b.len, "package-lock.json", &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 60);
	artifact_free(&a);
	buf_reset(&b);
	/* 100 unusable entries: 10 warnings and a count of the rest. */
	buf_append_str(&b, "{\"lockfileVersion\": 1, \"dependencies\": {");
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "%s\"bad name %d\": {\"version\": \"1.0.0\"}", i ? "," : "", i);
	buf_append_str(&b, "}}");
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(npm_parse_lockfile(b.data, b.len, "package-lock.json", &a), BOSUN_OK);
	assert_int_equal(a.nwarnings, 11);
	assert_true(has_warning(&a, "90 more warnings not shown"));
	artifact_free(&a);
	buf_free(&b);
}

/* ---- yarn.lock v1 ---- */

static const char yarn_v1[] =
	"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n"
	"# yarn lockfile v1\n"
	"\n"
	"\n"
	"\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n"
	"  version \"7.12.13\"\n"
	"  resolved \"https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dcfc826b\"\n"
	"  integrity sha512-HV1Cm0Q3ZrpCR93tkWOYiuYIgLxZXZFVG2VgK+MBWjUqZTundupbfx2aXarXuw5Ko5aMcjtJgbSs4vUGBS5v6g==\n"
	"  dependencies:\n"
	"    \"@babel/highlight\" \"^7.10.4\"\n"
	"\n"
	"\"@babel/highlight@^7.10.4\":\n"
	"  version \"7.10.4\"\n"
	"  dependencies:\n"
	"    js-tokens \"^4.0.0\"\n"
	"\n"
	"js-tokens@^4.0.0:\n"
	"  version \"4.0.0\"\n"
	"\n"
	"lodash@4.17.15, lodash@^4.17.15:\n"
	"  version \"4.17.15\"\n"
	"\n"
	"mocha@^10.0.0:\n"
	"  version \"10.0.0\"\n"
	"  dependencies:\n"
	"    js-tokens \"^4.0.0\"\n"
	"    ms \"2.1.3\"\n"
	"  optionalDependencies:\n"
	"    fsevents \"~2.3.2\"\n"
	"\n"
	"fsevents@~2.3.2:\n"
	"  version \"2.3.3\"\n"
	"\n"
	"ms@2.1.3:\n"
	"  version \"2.1.3\"\n"
	"\r\n"
	"\"string-width-cjs@npm:string-width@^4.2.0\":\n"
	"  version \"4.2.3\"\r\n"
	"\n"
	"\"local-lib@file:../local-lib\":\n"
	"  version \"1.0.0\"\n"
	"\n"
	"\"my-fork@https://codeload.github.com/user/my-fork/tar.gz/abc123\":\n"
	"  version \"2.0.0\"\n"
	"\n"
	"optional-thing@^1.0.0:\n"
	"  version \"1.0.1\"\n";

static const char yarn_manifest[] =
	"{\"name\": \"proj\", \"version\": \"1.0.0\","
	" \"dependencies\": {\"@babel/code-frame\": \"^7.10.4\", \"lodash\": \"4.17.15\","
	"   \"string-width-cjs\": \"npm:string-width@^4.2.0\", \"local-lib\": \"file:../local-lib\","
	"   \"my-fork\": \"https://codeload.github.com/user/my-fork/tar.gz/abc123\"},"
	" \"optionalDependencies\": {\"optional-thing\": \"^1.0.0\"},"
	" \"devDependencies\": {\"mocha\": \"^10.0.0\"}}";

static void test_yarn_v1(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(yarn_parse_lock(yarn_v1, strlen(yarn_v1), yarn_manifest, strlen(yarn_manifest), "yarn.lock", &a),
			 BOSUN_OK);
	assert_int_equal(a.nwarnings, 0);
	assert_int_equal(a.npkgs, 10);
	check(&a, "@babel/code-frame", "7.12.13", false, "direct");
	check(&a, "@babel/highlight", "7.10.4", false, "indirect");
	check(&a, "js-tokens", "4.0.0", false, "indirect"); /* reached from prod and dev: prod */
	check(&a, "lodash", "4.17.15", false, "direct");
	check(&a, "mocha", "10.0.0", true, "direct");
	check(&a, "ms", "2.1.3", true, "indirect");
	check(&a, "fsevents", "2.3.3", true, "indirect");
	check(&a, "string-width", "4.2.3", false, "direct");
	check(&a, "my-fork", "2.0.0", false, "direct");
	check(&a, "optional-thing", "1.0.1", false, "direct");
	assert_null(find(&a, "local-lib", "1.0.0"));
	assert_string_equal(get(&a, "lodash", "4.17.15")->found_in, "yarn.lock");
	artifact_free(&a);

	/* Without package.json: the same packages, kinds unknown. */
	artifact_init(&a);
	assert_int_equal(yarn_parse_lock(yarn_v1, strlen(yarn_v1), NULL, 0, "yarn.lock", &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 10);
	check(&a, "mocha", "10.0.0", false, NULL);
	check(&a, "lodash", "4.17.15", false, NULL);
	artifact_free(&a);
}

static void test_yarn_v1_malformed(void **state)
{
	(void)state;
	static const char text[] = "garbage without colon\n"
				   "  version \"9.9.9\"\n"
				   "good@^1.0.0:\n"
				   "  version \"1.0.0\"\n"
				   "      deeply \"indented\"\n"
				   "  dependencies:\n"
				   "    \"unterminated\n"
				   "noversion@^2:\n"
				   "  resolved \"x\"\n"
				   "\"\":\n"
				   "@:\n";
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(yarn_parse_lock(text, strlen(text), "{not json", 9, "sub/yarn.lock", &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 1);
	check(&a, "good", "1.0.0", false, NULL); /* the broken package.json tells nothing */
	assert_true(has_warning(&a, "yarn: sub/yarn.lock: line 1: not an entry header"));
	assert_true(has_warning(&a, "noversion: no version"));
	assert_true(has_warning(&a, "package.json"));
	artifact_free(&a);
}

/* ---- yarn.lock berry ---- */

static const char yarn_berry[] =
	"# This file is generated by running \"yarn install\" inside your project.\n"
	"# Manual changes might be lost - proceed with caution!\n"
	"\n"
	"__metadata:\n"
	"  version: 8\n"
	"  cacheKey: 10c0\n"
	"\n"
	"\"@types/node@npm:^20.0.0\":\n"
	"  version: 20.11.5\n"
	"  resolution: \"@types/node@npm:20.11.5\"\n"
	"  dependencies:\n"
	"    undici-types: \"npm:~5.26.4\"\n"
	"  checksum: 10c0/aaaa\n"
	"  languageName: node\n"
	"  linkType: hard\n"
	"\n"
	"\"berry-app@workspace:.\":\n"
	"  version: 0.0.0-use.local\n"
	"  resolution: \"berry-app@workspace:.\"\n"
	"  dependencies:\n"
	"    \"@types/node\": \"npm:^20.0.0\"\n"
	"    debug: \"npm:^4.3.4\"\n"
	"    resolve: \"patch:resolve@npm%3A^1.22.0#optional!builtin<compat/resolve>\"\n"
	"  languageName: unknown\n"
	"  linkType: soft\n"
	"\n"
	"\"debug@npm:^4.3.4\":\n"
	"  version: 4.3.4\n"
	"  resolution: \"debug@npm:4.3.4\"\n"
	"  dependencies:\n"
	"    ms: \"npm:2.1.2\"\n"
	"  peerDependenciesMeta:\n"
	"    supports-color:\n"
	"      optional: true\n"
	"  languageName: node\n"
	"  linkType: hard\n"
	"\n"
	"\"ms@npm:2.1.2\":\n"
	"  version: 2.1.2\n"
	"  resolution: \"ms@npm:2.1.2\"\n"
	"  languageName: node\n"
	"  linkType: hard\n"
	"\n"
	"\"resolve@npm:^1.22.0\":\n"
	"  version: 1.22.8\n"
	"  resolution: \"resolve@npm:1.22.8\"\n"
	"  languageName: node\n"
	"  linkType: hard\n"
	"\n"
	"\"resolve@patch:resolve@npm%3A^1.22.0#optional!builtin<compat/resolve>\":\n"
	"  version: 1.22.8\n"
	"  resolution: \"resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8\"\n"
	"  languageName: node\n"
	"  linkType: hard\n"
	"\n"
	"\"undici-types@npm:~5.26.4\":\n"
	"  version: 5.26.5\n"
	"  resolution: \"undici-types@npm:5.26.5\"\n"
	"  languageName: node\n"
	"  linkType: hard\n";

static void test_yarn_berry(void **state)
{
	(void)state;
	static const char manifest[] = "{\"name\": \"berry-app\", \"dependencies\": {\"debug\": \"^4.3.4\", "
				       "\"resolve\": \"^1.22.0\"}, \"devDependencies\": {\"@types/node\": \"^20.0.0\"}}";
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(yarn_parse_lock(yarn_berry, strlen(yarn_berry), manifest, strlen(manifest), "yarn.lock", &a),
			 BOSUN_OK);
	assert_int_equal(a.nwarnings, 0);
	assert_int_equal(a.npkgs, 5);
	check(&a, "debug", "4.3.4", false, "direct");
	check(&a, "ms", "2.1.2", false, "indirect");
	check(&a, "resolve", "1.22.8", false, "direct");
	check(&a, "@types/node", "20.11.5", true, "direct");
	check(&a, "undici-types", "5.26.5", true, "indirect");
	assert_null(find(&a, "berry-app", "0.0.0-use.local"));
	artifact_free(&a);

	/* Broken YAML is a warning naming the file. */
	static const char broken[] = "__metadata:\n  version: 8\n\"a@npm:1\": [\n";
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(yarn_parse_lock(broken, strlen(broken), NULL, 0, "w/yarn.lock", &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 0);
	assert_true(has_warning(&a, "yarn: w/yarn.lock: "));
	artifact_free(&a);
}

/* ---- pnpm-lock.yaml ---- */

static void parse_pnpm(struct artifact *a, const char *text)
{
	artifact_init(a);
	assert_int_equal(pnpm_parse_lock(text, strlen(text), "pnpm-lock.yaml", a), BOSUN_OK);
}

/* v5: "/name/version" keys, "_peer" suffixes, dev flags, an alias and a
 * git dependency with its own name and version. */
static void test_pnpm_v5(void **state)
{
	(void)state;
	static const char text[] = "lockfileVersion: 5.4\n"
				   "\n"
				   "specifiers:\n"
				   "  '@types/express': ^4.17.17\n"
				   "  express: ^4.18.2\n"
				   "  left-pad: npm:left-pad-fork@1.3.0\n"
				   "\n"
				   "dependencies:\n"
				   "  express: 4.18.2\n"
				   "  left-pad: /left-pad-fork/1.3.0\n"
				   "\n"
				   "devDependencies:\n"
				   "  '@types/express': 4.17.17\n"
				   "\n"
				   "packages:\n"
				   "\n"
				   "  /express/4.18.2:\n"
				   "    resolution: {integrity: sha512-AAAA}\n"
				   "    engines: {node: '>= 0.10.0'}\n"
				   "    dependencies:\n"
				   "      debug: 2.6.9\n"
				   "    dev: false\n"
				   "\n"
				   "  /debug/2.6.9:\n"
				   "    resolution: {integrity: sha512-BBBB}\n"
				   "    dependencies:\n"
				   "      ms: 2.0.0\n"
				   "    dev: false\n"
				   "\n"
				   "  /ms/2.0.0:\n"
				   "    resolution: {integrity: sha512-CCCC}\n"
				   "\n"
				   "  /@types/express/4.17.17:\n"
				   "    resolution: {integrity: sha512-DDDD}\n"
				   "    dependencies:\n"
				   "      '@types/node': 20.1.0\n"
				   "    dev: true\n"
				   "\n"
				   "  /@types/node/20.1.0:\n"
				   "    resolution: {integrity: sha512-EEEE}\n"
				   "    dev: true\n"
				   "\n"
				   "  /left-pad-fork/1.3.0:\n"
				   "    resolution: {integrity: sha512-FFFF}\n"
				   "    dev: false\n"
				   "\n"
				   "  /react-dom/18.2.0_react@18.2.0:\n"
				   "    resolution: {integrity: sha512-GGGG}\n"
				   "    peerDependencies:\n"
				   "      react: ^18.2.0\n"
				   "    dev: false\n"
				   "\n"
				   "  /react-dom/18.2.0_react@18.3.0:\n"
				   "    resolution: {integrity: sha512-GGGG}\n"
				   "    dev: true\n"
				   "\n"
				   "  github.com/user/tool/abc123:\n"
				   "    resolution: {tarball: https://codeload.github.com/user/tool/tar.gz/abc123}\n"
				   "    name: tool\n"
				   "    version: 0.3.0\n"
				   "    dev: false\n";
	struct artifact a;
	parse_pnpm(&a, text);
	assert_int_equal(a.nwarnings, 0);
	assert_int_equal(a.npkgs, 8);
	check(&a, "express", "4.18.2", false, "direct");
	check(&a, "debug", "2.6.9", false, "indirect");
	check(&a, "ms", "2.0.0", false, "indirect"); /* no flag: dev and prod */
	check(&a, "@types/express", "4.17.17", true, "direct");
	check(&a, "@types/node", "20.1.0", true, "indirect");
	check(&a, "left-pad-fork", "1.3.0", false, "direct");
	check(&a, "react-dom", "18.2.0", false, "indirect"); /* one peer variant is prod */
	check(&a, "tool", "0.3.0", false, "indirect");
	artifact_free(&a);
}

/* v6: "/name@version(peers)" keys, {specifier, version} importers. */
static void test_pnpm_v6(void **state)
{
	(void)state;
	static const char text[] = "lockfileVersion: '6.0'\n"
				   "\n"
				   "settings:\n"
				   "  autoInstallPeers: true\n"
				   "\n"
				   "dependencies:\n"
				   "  '@scope/pkg':\n"
				   "    specifier: ^1.0.0\n"
				   "    version: 1.2.0(react@18.1.0)\n"
				   "  local-pkg:\n"
				   "    specifier: file:local-pkg\n"
				   "    version: file:local-pkg\n"
				   "  react:\n"
				   "    specifier: 18.1.0\n"
				   "    version: 18.1.0\n"
				   "\n"
				   "devDependencies:\n"
				   "  mocha:\n"
				   "    specifier: ^10.0.0\n"
				   "    version: 10.0.0\n"
				   "\n"
				   "packages:\n"
				   "\n"
				   "  /@scope/pkg@1.2.0(react@18.1.0):\n"
				   "    resolution: {integrity: sha512-CCCC}\n"
				   "    peerDependencies:\n"
				   "      react: '*'\n"
				   "    dev: false\n"
				   "\n"
				   "  /loose-envify@1.4.0:\n"
				   "    resolution: {integrity: sha512-BBBB}\n"
				   "    dev: false\n"
				   "\n"
				   "  /mocha@10.0.0:\n"
				   "    resolution: {integrity: sha512-DDDD}\n"
				   "    dependencies:\n"
				   "      ms: 2.1.3\n"
				   "    dev: true\n"
				   "\n"
				   "  /ms@2.1.3:\n"
				   "    resolution: {integrity: sha512-EEEE}\n"
				   "    dev: true\n"
				   "\n"
				   "  /react@18.1.0:\n"
				   "    resolution: {integrity: sha512-AAAA}\n"
				   "    dependencies:\n"
				   "      loose-envify: 1.4.0\n"
				   "    dev: false\n"
				   "\n"
				   "  file:local-pkg:\n"
				   "    resolution: {directory: local-pkg, type: directory}\n"
				   "    name: local-pkg\n"
				   "    version: 0.0.1\n"
				   "    dev: false\n";
	struct artifact a;
	parse_pnpm(&a, text);
	assert_int_equal(a.nwarnings, 0);
	assert_int_equal(a.npkgs, 5);
	check(&a, "@scope/pkg", "1.2.0", false, "direct");
	check(&a, "loose-envify", "1.4.0", false, "indirect");
	check(&a, "mocha", "10.0.0", true, "direct");
	check(&a, "ms", "2.1.3", true, "indirect");
	check(&a, "react", "18.1.0", false, "direct");
	assert_null(find(&a, "local-pkg", "0.0.1"));
	artifact_free(&a);
}

/* v9: no dev flags; dev-only is what devDependencies reach through the
 * snapshots and production lists don't. Workspace projects are importers. */
static void test_pnpm_v9(void **state)
{
	(void)state;
	static const char text[] = "lockfileVersion: '9.0'\n"
				   "\n"
				   "settings:\n"
				   "  autoInstallPeers: true\n"
				   "  excludeLinksFromLockfile: false\n"
				   "\n"
				   "importers:\n"
				   "\n"
				   "  .:\n"
				   "    dependencies:\n"
				   "      express:\n"
				   "        specifier: ^4.18.0\n"
				   "        version: 4.18.2\n"
				   "      shared:\n"
				   "        specifier: workspace:*\n"
				   "        version: link:packages/shared\n"
				   "      string-width-cjs:\n"
				   "        specifier: npm:string-width@^4.2.0\n"
				   "        version: string-width@4.2.3\n"
				   "    devDependencies:\n"
				   "      jest:\n"
				   "        specifier: ^29.0.0\n"
				   "        version: 29.7.0\n"
				   "      react-dom:\n"
				   "        specifier: ^18.2.0\n"
				   "        version: 18.2.0(react@18.2.0)\n"
				   "      typescript:\n"
				   "        specifier: ^5.0.0\n"
				   "        version: 5.3.3\n"
				   "\n"
				   "  packages/shared:\n"
				   "    dependencies:\n"
				   "      ms:\n"
				   "        specifier: ^2.1.0\n"
				   "        version: 2.1.3\n"
				   "\n"
				   "packages:\n"
				   "\n"
				   "  '@jest/core@29.7.0':\n"
				   "    resolution: {integrity: sha512-HHHH}\n"
				   "\n"
				   "  debug@2.6.9:\n"
				   "    resolution: {integrity: sha512-BBBB}\n"
				   "\n"
				   "  express@4.18.2:\n"
				   "    resolution: {integrity: sha512-AAAA}\n"
				   "    engines: {node: '>= 0.10.0'}\n"
				   "\n"
				   "  jest@29.7.0:\n"
				   "    resolution: {integrity: sha512-FFFF}\n"
				   "\n"
				   "  ms@2.0.0:\n"
				   "    resolution: {integrity: sha512-CCCC}\n"
				   "\n"
				   "  ms@2.1.3:\n"
				   "    resolution: {integrity: sha512-DDDD}\n"
				   "\n"
				   "  react-dom@18.2.0:\n"
				   "    resolution: {integrity: sha512-IIII}\n"
				   "    peerDependencies:\n"
				   "      react: ^18.2.0\n"
				   "\n"
				   "  react@18.2.0:\n"
				   "    resolution: {integrity: sha512-JJJJ}\n"
				   "\n"
				   "  string-width@4.2.3:\n"
				   "    resolution: {integrity: sha512-EEEE}\n"
				   "\n"
				   "  tarball-dep@https://example.org/tarball-dep-1.0.0.tgz:\n"
				   "    resolution: {tarball: https://example.org/tarball-dep-1.0.0.tgz}\n"
				   "    version: 1.0.0\n"
				   "\n"
				   "  typescript@5.3.3:\n"
				   "    resolution: {integrity: sha512-GGGG}\n"
				   "    hasBin: true\n"
				   "\n"
				   "  lodash@file:vendor/lodash.tgz:\n"
				   "    resolution: {tarball: file:vendor/lodash.tgz}\n"
				   "    version: 4.17.21\n"
				   "\n"
				   "snapshots:\n"
				   "\n"
				   "  '@jest/core@29.7.0': {}\n"
				   "\n"
				   "  debug@2.6.9:\n"
				   "    dependencies:\n"
				   "      ms: 2.0.0\n"
				   "\n"
				   "  express@4.18.2:\n"
				   "    dependencies:\n"
				   "      debug: 2.6.9\n"
				   "\n"
				   "  jest@29.7.0:\n"
				   "    dependencies:\n"
				   "      '@jest/core': 29.7.0\n"
				   "      ms: 2.1.3\n"
				   "      tarball-dep: https://example.org/tarball-dep-1.0.0.tgz\n"
				   "\n"
				   "  ms@2.0.0: {}\n"
				   "\n"
				   "  ms@2.1.3: {}\n"
				   "\n"
				   "  react-dom@18.2.0(react@18.2.0):\n"
				   "    dependencies:\n"
				   "      react: 18.2.0\n"
				   "\n"
				   "  react@18.2.0: {}\n"
				   "\n"
				   "  string-width@4.2.3: {}\n"
				   "\n"
				   "  tarball-dep@https://example.org/tarball-dep-1.0.0.tgz: {}\n"
				   "\n"
				   "  typescript@5.3.3: {}\n";
	struct artifact a;
	parse_pnpm(&a, text);
	assert_int_equal(a.nwarnings, 0);
	assert_int_equal(a.npkgs, 11);
	check(&a, "express", "4.18.2", false, "direct");
	check(&a, "debug", "2.6.9", false, "indirect");
	check(&a, "ms", "2.0.0", false, "indirect");
	check(&a, "ms", "2.1.3", false, "direct"); /* prod in packages/shared, dev through jest */
	check(&a, "string-width", "4.2.3", false, "direct");
	check(&a, "jest", "29.7.0", true, "direct");
	check(&a, "@jest/core", "29.7.0", true, "indirect");
	check(&a, "tarball-dep", "1.0.0", true, "indirect");
	check(&a, "typescript", "5.3.3", true, "direct");
	check(&a, "react-dom", "18.2.0", true, "direct");
	check(&a, "react", "18.2.0", true, "indirect");
	assert_null(find(&a, "lodash", "4.17.21"));
	artifact_free(&a);
}

static void test_pnpm_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"- a\n- b\n",
		"lockfileVersion: '6.0'\npackages: [\n",
		"lockfileVersion: 1e999\npackages:\n  /a@1.0.0: {}\n",
		"lockfileVersion: '6.0'\npackages:\n  /@scope@1.0.0: {}\n  /x: {}\n  /y@: {}\n  '': {}\n",
		"a: &x [*x]\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct artifact a;
		artifact_init(&a);
		a.silent = true;
		assert_int_equal(pnpm_parse_lock(bad[i], strlen(bad[i]), "p/pnpm-lock.yaml", &a), BOSUN_OK);
		if (i == 3) {
			assert_int_equal(a.npkgs, 1); /* read as the newest format known */
			assert_true(has_warning(&a, "lockfileVersion"));
		} else {
			assert_int_equal(a.npkgs, 0);
		}
		for (size_t w = 0; w < a.nwarnings; w++)
			assert_non_null(strstr(a.warnings[w], "p/pnpm-lock.yaml"));
		artifact_free(&a);
	}
}

/* Every parser on bytes that are not what it expects: no crash, no package. */
static void test_garbage(void **state)
{
	(void)state;
	unsigned char buf[4096];
	uint32_t x = 12345;
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof buf; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (unsigned char)(x >> 16);
		}
		struct artifact a;
		artifact_init(&a);
		a.silent = true;
		const char *t = (const char *)buf;
		assert_int_equal(npm_parse_package_json(t, sizeof buf, "p", &a, NULL), BOSUN_OK);
		assert_int_equal(npm_parse_lockfile(t, sizeof buf, "l", &a), BOSUN_OK);
		assert_int_equal(yarn_parse_lock(t, sizeof buf, t, sizeof buf, "y", &a), BOSUN_OK);
		assert_int_equal(pnpm_parse_lock(t, sizeof buf, "q", &a), BOSUN_OK);
		assert_int_equal(a.npkgs, 0);
		artifact_free(&a);
	}
}

/* ---- the analyzer over a merged view ---- */

struct view_fx {
	struct scan_limits lim;
	struct walk_shared sh;
	struct scan_view *v;
	struct layer_result r;
	int next;
};

static const struct analyzer *const table[] = { &analyzer_npm, NULL };

static void vf_init(struct view_fx *f)
{
	memset(f, 0, sizeof *f);
	f->lim = scan_limits_default();
	f->sh.limits = &f->lim;
	f->sh.analyzers = table;
	f->v = view_new(table);
	assert_non_null(f->v);
}

static void vf_add(struct view_fx *f, const char *path, uint32_t mode, const char *link, const char *content)
{
	struct layer_entry *le;
	struct berr e = { 0 };
	size_t n = content ? strlen(content) : 0;
	assert_int_equal(layer_result_add(&f->r, &f->sh, path, mode, n, link, &le, &e), BOSUN_OK);
	if (le && content) {
		le->data = (const unsigned char *)content;
		le->data_len = n;
	}
}

static void vf_file(struct view_fx *f, const char *path, const char *content) { vf_add(f, path, S_IFREG | 0644, NULL, content); }
static void vf_dir(struct view_fx *f, const char *path) { vf_add(f, path, S_IFDIR | 0755, NULL, NULL); }
static void vf_link(struct view_fx *f, const char *path, const char *target) { vf_add(f, path, S_IFLNK | 0777, target, NULL); }

static void vf_commit(struct view_fx *f)
{
	assert_int_equal(view_apply_layer(f->v, f->next++, &f->r), BOSUN_OK);
	memset(&f->r, 0, sizeof f->r);
}

static void vf_analyze(struct view_fx *f, struct artifact *a)
{
	artifact_init(a);
	a->silent = true;
	struct berr e = { 0 };
	assert_int_equal(analyzer_npm.analyze(f->v, a, &e), BOSUN_OK);
}

#define PJ(name, version) "{\"name\": \"" name "\", \"version\": \"" version "\"}"

/* An image: nested and scoped packages, pnpm's store reached through a
 * symlink, a workspace linked into node_modules, Debian's own nodejs
 * modules, a lockfile (ignored), and a layer that deletes a package. */
static void test_analyzer_image(void **state)
{
	(void)state;
	struct view_fx f;
	vf_init(&f);
	vf_dir(&f, "usr/share/nodejs/acorn");
	vf_file(&f, "usr/share/nodejs/acorn/package.json", PJ("acorn", "8.8.1"));
	vf_link(&f, "usr/share/node_modules", "nodejs");
	vf_commit(&f);

	vf_file(&f, "app/package.json", "{\"name\": \"app\", \"version\": \"1.0.0\", \"workspaces\": [\"packages/x\"]}");
	vf_file(&f, "app/package-lock.json",
		"{\"lockfileVersion\": 3, \"packages\": {\"node_modules/ghost\": {\"version\": \"9.9.9\"}}}");
	vf_file(&f, "app/node_modules/lodash/package.json",
		"{\"name\": \"lodash\", \"version\": \"4.17.15\", \"license\": \"MIT\"}");
	vf_file(&f, "app/node_modules/lodash/fp/package.json", PJ("lodash-fp-stub", "0.0.1"));
	vf_file(&f, "app/node_modules/@scope/pkg/package.json", PJ("@scope/pkg", "1.0.0"));
	vf_file(&f, "app/node_modules/a/package.json", PJ("a", "1.0.0"));
	vf_file(&f, "app/node_modules/a/node_modules/ms/package.json", PJ("ms", "2.0.0"));
	vf_file(&f, "app/node_modules/ms/package.json", PJ("ms", "2.1.3"));
	vf_file(&f, "app/node_modules/.package-lock.json", "{}");
	vf_file(&f, "app/node_modules/broken/package.json", "{\"name\": ");
	vf_dir(&f, "app/node_modules/.pnpm/express@4.16.0/node_modules/express");
	vf_file(&f, "app/node_modules/.pnpm/express@4.16.0/node_modules/express/package.json", PJ("express", "4.16.0"));
	vf_link(&f, "app/node_modules/express", ".pnpm/express@4.16.0/node_modules/express");
	vf_dir(&f, "app/packages/ws");
	vf_file(&f, "app/packages/ws/package.json", PJ("ws", "0.1.0"));
	vf_link(&f, "app/node_modules/ws", "../packages/ws");
	vf_file(&f, "app/packages/unlinked/package.json", PJ("unlinked", "0.2.0"));
	vf_commit(&f);

	vf_file(&f, "app/node_modules/.wh.ms", NULL);
	vf_commit(&f);

	struct artifact a;
	vf_analyze(&f, &a);
	assert_int_equal(a.npkgs, 6);
	const struct package *p = get(&a, "lodash", "4.17.15");
	assert_string_equal(p->license, "MIT");
	assert_string_equal(p->found_in, "app/node_modules/lodash/package.json");
	assert_int_equal(p->layer, 1);
	get(&a, "@scope/pkg", "1.0.0");
	get(&a, "a", "1.0.0");
	get(&a, "ms", "2.0.0");
	assert_null(find(&a, "ms", "2.1.3"));
	assert_string_equal(get(&a, "express", "4.16.0")->found_in,
			    "app/node_modules/.pnpm/express@4.16.0/node_modules/express/package.json");
	assert_string_equal(get(&a, "ws", "0.1.0")->found_in, "app/packages/ws/package.json");
	assert_null(find(&a, "acorn", "8.8.1"));
	assert_null(find(&a, "app", "1.0.0"));
	assert_null(find(&a, "ghost", "9.9.9"));
	assert_null(find(&a, "unlinked", "0.2.0"));
	assert_null(find(&a, "lodash-fp-stub", "0.0.1"));
	assert_int_equal(a.nwarnings, 1);
	assert_true(has_warning(&a, "app/node_modules/broken/package.json"));
	artifact_free(&a);
	view_free(f.v);
}

/* A project tree: lockfiles speak for their folder (installed copies only
 * add licenses), shrinkwrap wins over package-lock, yarn reads the
 * package.json beside it, and node_modules without a lockfile is read. */
static void test_analyzer_project(void **state)
{
	(void)state;
	struct view_fx f;
	vf_init(&f);
	view_set_project(f.v, true);
	vf_file(&f, "package.json", "{\"name\": \"root\", \"version\": \"1.0.0\"}");
	vf_file(&f, "package-lock.json",
		"{\"lockfileVersion\": 3, \"packages\": {\"\": {\"dependencies\": {\"lodash\": \"4.17.15\"}, "
		"\"devDependencies\": {\"jest\": \"^29\"}},"
		"\"node_modules/lodash\": {\"version\": \"4.17.15\"},"
		"\"node_modules/jest\": {\"version\": \"29.7.0\", \"dev\": true}}}");
	vf_file(&f, "node_modules/lodash/package.json", "{\"name\": \"lodash\", \"version\": \"4.17.15\", \"license\": \"MIT\"}");
	vf_file(&f, "node_modules/jest/package.json", "{\"name\": \"jest\", \"version\": \"29.0.0\", \"license\": \"MIT\"}");
	vf_file(&f, "node_modules/extra/package.json", PJ("extra", "1.0.0"));
	vf_file(&f, "sw/package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/fromlock\": {\"version\": \"1.0.0\"}}}");
	vf_file(&f, "sw/npm-shrinkwrap.json", "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/fromsw\": {\"version\": \"1.0.0\"}}}");
	vf_file(&f, "web/yarn.lock", "# yarn lockfile v1\n\nleft-pad@^1.3.0:\n  version \"1.3.0\"\n\nmocha@^10:\n  version \"10.0.0\"\n");
	vf_file(&f, "web/package.json", "{\"dependencies\": {\"left-pad\": \"^1.3.0\"}, \"devDependencies\": {\"mocha\": \"^10\"}}");
	vf_file(&f, "web/pnpm-lock.yaml", "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      x:\n        specifier: ^1\n        version: 1.0.0\npackages:\n  x@1.0.0:\n    resolution: {integrity: sha512-A}\nsnapshots:\n  x@1.0.0: {}\n");
	vf_file(&f, "tool/node_modules/installed/package.json", PJ("installed", "3.0.0"));
	vf_commit(&f);

	struct artifact a;
	vf_analyze(&f, &a);
	assert_int_equal(a.nwarnings, 0);
	assert_int_equal(a.npkgs, 7);
	check(&a, "lodash", "4.17.15", false, "direct");
	assert_string_equal(get(&a, "lodash", "4.17.15")->license, "MIT"); /* from node_modules */
	assert_string_equal(get(&a, "lodash", "4.17.15")->found_in, "package-lock.json");
	check(&a, "jest", "29.7.0", true, "direct");
	assert_null(get(&a, "jest", "29.7.0")->license); /* the installed copy is another version */
	assert_null(find(&a, "extra", "1.0.0"));
	assert_null(find(&a, "root", "1.0.0"));
	get(&a, "fromsw", "1.0.0");
	assert_null(find(&a, "fromlock", "1.0.0"));
	check(&a, "left-pad", "1.3.0", false, "direct");
	check(&a, "mocha", "10.0.0", true, "direct");
	check(&a, "x", "1.0.0", false, "direct");
	assert_string_equal(get(&a, "x", "1.0.0")->found_in, "web/pnpm-lock.yaml");
	assert_string_equal(get(&a, "installed", "3.0.0")->found_in, "tool/node_modules/installed/package.json");
	artifact_free(&a);
	view_free(f.v);
}

/* ---- the name test ---- */

static bool wants(const char *p) { return analyzer_npm.wants(p, strlen(p)); }

static void test_wants(void **state)
{
	(void)state;
	static const char *const yes[] = {
		"app/node_modules/lodash/package.json", "node_modules/@s/n/package.json", "app/package-lock.json",
		"yarn.lock", "a/pnpm-lock.yaml", "npm-shrinkwrap.json", "app/package.json", "package.json",
		"usr/share/nodejs/acorn/package.json", "app/node_modules/ws", "app/node_modules/@s/n",
		"x/node_modules/.pnpm/a@1/node_modules/a/package.json", "n/node_modules/a/node_modules/b/package.json",
	};
	static const char *const no[] = {
		"app/node_modules/lodash/fp/package.json", "app/node_modules/.bin", "app/node_modules/.package-lock.json",
		"app/node_modules/lodash/yarn.lock", "app/node_modules/lodash/package-lock.json", "app/node_modules/@s",
		"app/node_modules/lodash/index.js", "etc/passwd", "app/node_modules/@s/n/lib/package.json",
		"app/node_modules/@s/.x/package.json", "app/node_modules", "app/package.json5", "xpackage.json",
		"app/node_modules/.pnpm/a@1", "node_modules_x/a/package.json/y",
	};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!wants(yes[i]))
			fail_msg("should want %s", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (wants(no[i]))
			fail_msg("should not want %s", no[i]);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_package_json),
		cmocka_unit_test(test_package_json_malformed),
		cmocka_unit_test(test_lock_v1),
		cmocka_unit_test(test_lock_v2),
		cmocka_unit_test(test_lock_links),
		cmocka_unit_test(test_lock_malformed),
		cmocka_unit_test(test_lock_hostile),
		cmocka_unit_test(test_yarn_v1),
		cmocka_unit_test(test_yarn_v1_malformed),
		cmocka_unit_test(test_yarn_berry),
		cmocka_unit_test(test_pnpm_v5),
		cmocka_unit_test(test_pnpm_v6),
		cmocka_unit_test(test_pnpm_v9),
		cmocka_unit_test(test_pnpm_malformed),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_analyzer_image),
		cmocka_unit_test(test_analyzer_project),
		cmocka_unit_test(test_wants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
