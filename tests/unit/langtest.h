/* Helpers for the language-package tests (test_python.c, test_ruby.c,
 * test_php.c, test_dotnet.c): the pkgdb fixture runner, package lookups
 * and project trees written to a temporary directory. */
#ifndef BOSUN_LANGTEST_H
#define BOSUN_LANGTEST_H

#include "testutil.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbom/artifact.h"
#include "scan/scan.h"
#include "util/err.h"

typedef int (*lt_parse_fn)(const char *data, size_t len, const char *found_in, struct artifact *a);

/* The package of that name and version, or NULL; fails on two of them. */
static inline const struct package *lt_find(const struct artifact *a, enum pkg_type t, const char *name,
					    const char *version)
{
	const struct package *hit = NULL;
	for (size_t i = 0; i < a->npkgs; i++) {
		const struct package *p = &a->pkgs[i];
		if (p->type == t && strcmp(p->name, name) == 0 && (!version || strcmp(p->version, version) == 0)) {
			if (hit)
				fail_msg("%s %s found twice", name, version ? version : "");
			hit = p;
		}
	}
	return hit;
}

static inline const struct package *lt_must(const struct artifact *a, enum pkg_type t, const char *name,
					    const char *version)
{
	const struct package *p = lt_find(a, t, name, version);
	if (!p)
		fail_msg("package %s %s not found (%zu packages)", name, version ? version : "", a->npkgs);
	return p;
}

static inline void lt_str_eq(const char *got, const char *want, const char *what)
{
	if (!got != !want || (got && strcmp(got, want) != 0))
		fail_msg("%s: got \"%s\", want \"%s\"", what, got ? got : "(null)", want ? want : "(null)");
}

/* Sorted directory entries of pkgdb/FORMAT. */
static inline size_t lt_cases(const char *format, char ***out)
{
	DIR *d = opendir(test_pkgdb_path(format));
	if (!d)
		fail_msg("cannot open %s", test_pkgdb_path(format));
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
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			char *t = names[k];
			names[k] = names[k - 1];
			names[k - 1] = t;
		}
	*out = names;
	return n;
}

/* Trivy's "RelationshipDirect" -> "direct". */
static inline const char *lt_relationship(const char *trivy)
{
	if (!trivy)
		return NULL;
	if (strcmp(trivy, "RelationshipDirect") == 0)
		return "direct";
	if (strcmp(trivy, "RelationshipIndirect") == 0)
		return "indirect";
	return trivy;
}

/* One expected package against what the parser produced: name, version,
 * licenses (joined with sep), relationship and dev when stated. */
static inline void lt_check_expected(const char *cname, const struct artifact *a, enum pkg_type t, const json_t *want,
				     const char *sep)
{
	const char *name = json_string_value(json_object_get(want, "name"));
	const char *version = json_string_value(json_object_get(want, "version"));
	const struct package *p = lt_find(a, t, name, version);
	if (!p)
		fail_msg("%s: %s %s not found", cname, name, version);
	char lic[1024] = "";
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(want, "licenses"), i, l)
		snprintf(lic + strlen(lic), sizeof lic - strlen(lic), "%s%s", i ? sep : "", json_string_value(l));
	char what[256];
	snprintf(what, sizeof what, "%s: %s license", cname, name);
	lt_str_eq(p->license, lic[0] ? lic : NULL, what);
	if (json_object_get(want, "relationship")) {
		snprintf(what, sizeof what, "%s: %s relationship", cname, name);
		lt_str_eq(p->relationship, lt_relationship(json_string_value(json_object_get(want, "relationship"))), what);
	}
	if (json_is_true(json_object_get(want, "dev")) != p->dev)
		fail_msg("%s: %s dev flag is %d", cname, name, p->dev);
}

/* Every case of pkgdb/FORMAT: the first input parsed, every expected
 * package found as stated; when "complete", nothing else. */
static inline void lt_run_fixtures(const char *format, enum pkg_type t, lt_parse_fn parse, const char *license_sep)
{
	char **names;
	size_t n = lt_cases(format, &names);
	assert_true(n > 0);
	for (size_t c = 0; c < n; c++) {
		char rel[1024];
		snprintf(rel, sizeof rel, "%s/%s/expected.json", format, names[c]);
		json_t *exp = test_load_json(test_pkgdb_path(rel));
		const char *input = json_string_value(json_array_get(json_object_get(exp, "inputs"), 0));
		snprintf(rel, sizeof rel, "%s/%s/%s", format, names[c], input);
		size_t len;
		unsigned char *data = test_read_file(test_pkgdb_path(rel), &len);
		struct artifact a;
		artifact_init(&a);
		a.silent = true;
		assert_int_equal(parse((const char *)data, len, input, &a), BOSUN_OK);
		size_t i;
		json_t *want;
		json_array_foreach(json_object_get(exp, "packages"), i, want)
			lt_check_expected(names[c], &a, t, want, license_sep);
		if (json_is_true(json_object_get(exp, "complete")) &&
		    a.npkgs != (size_t)json_integer_value(json_object_get(exp, "package_count")))
			fail_msg("%s: %zu packages, want %lld", names[c], a.npkgs,
				 (long long)json_integer_value(json_object_get(exp, "package_count")));
		print_message("%s/%s: %zu packages as expected\n", format, names[c], a.npkgs);
		artifact_free(&a);
		free(data);
		json_decref(exp);
		free(names[c]);
	}
	free(names);
}

/* ---- trees on disk ---- */

static inline void lt_mkdirs(const char *path)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *s = tmp + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(tmp, 0755);
			*s = '/';
		}
	mkdir(tmp, 0755);
}

/* Writes root/rel with text, creating directories. */
static inline void lt_write(const char *root, const char *rel, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	lt_mkdirs(path);
	*slash = '/';
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static inline void lt_tmpdir(char *buf, size_t cap)
{
	snprintf(buf, cap, "/tmp/bosun-langtest-XXXXXX");
	assert_non_null(mkdtemp(buf));
}

static inline void lt_rmrf(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fail_msg("cannot remove %s", dir);
}

/* scan_target on "fs:DIR" / "rootfs:DIR" (kind "fs" or "rootfs"). */
static inline void lt_scan(const char *kind, const char *dir, struct artifact *a)
{
	char target[4200];
	snprintf(target, sizeof target, "%s:%s", kind, dir);
	struct scan_options opt;
	scan_options_default(&opt);
	struct berr e = { 0 };
	artifact_init(a);
	a->silent = true;
	if (scan_target(target, &opt, a, &e) != BOSUN_OK)
		fail_msg("scan %s: %s", target, e.msg);
}

static inline size_t lt_count(const struct artifact *a, enum pkg_type t)
{
	size_t n = 0;
	for (size_t i = 0; i < a->npkgs; i++)
		n += a->pkgs[i].type == t;
	return n;
}

/* Whether some warning contains text. */
static inline bool lt_warned(const struct artifact *a, const char *text)
{
	for (size_t i = 0; i < a->nwarnings; i++)
		if (strstr(a->warnings[i], text))
			return true;
	return false;
}

#endif
