/* apk: the trivy and syft fixtures, then targeted cases. */
#include "testutil.h"

#include <dirent.h>

#include "analyze/apk.h"
#include "util/err.h"
#include "util/log.h"

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static size_t list_cases(const char *format, char ***out)
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
	qsort(names, n, sizeof *names, cmp_str);
	*out = names;
	return n;
}

/* ---- fixture runner ---- */

/* A field from the package or, for syft, its metadata (under its own name). */
static const char *jstr(json_t *p, const char *key, const char *syft_key)
{
	const char *s = json_string_value(json_object_get(p, key));
	if (!s)
		s = json_string_value(json_object_get(json_object_get(p, "metadata"), syft_key ? syft_key : key));
	return s;
}

static bool str_match(const char *what, const char *pkg, const char *want, const char *got)
{
	if (!want || (got && strcmp(want, got) == 0))
		return true;
	print_message("    %s %s: want \"%s\", got \"%s\"\n", pkg, what, want, got ? got : "(null)");
	return false;
}

static bool files_match(json_t *ep, const struct package *p)
{
	json_t *want = json_object_get(ep, "installed_files");
	if (!want)
		return true;
	if (json_array_size(want) != p->nfiles) {
		print_message("    %s files: want %zu, got %zu\n", p->name, json_array_size(want), p->nfiles);
		return false;
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		const char *w = json_string_value(json_array_get(want, i));
		while (*w == '/')
			w++;
		if (strcmp(w, p->files[i]) != 0) {
			print_message("    %s file %zu: want %s, got %s\n", p->name, i, w, p->files[i]);
			return false;
		}
	}
	return true;
}

/* Every field the expectation states. trivy's licenses are normalized to
 * SPDX ("GPL2" -> "GPL-2.0-only") while we keep the database's text, so
 * they are not compared. */
static bool pkg_match(json_t *ep, const struct package *p)
{
	bool ok = true;
	ok &= str_match("arch", p->name, jstr(ep, "arch", NULL), p->arch);
	ok &= str_match("maintainer", p->name, jstr(ep, "maintainer", NULL), p->maintainer);
	ok &= str_match("origin", p->name, jstr(ep, "source_name", "origin_package"),
			p->source_name ? p->source_name : p->name);
	ok &= str_match("source_version", p->name, jstr(ep, "source_version", "no such key"), p->source_version);
	ok &= str_match("commit", p->name, jstr(ep, "git_commit", NULL), p->commit);
	return ok && files_match(ep, p);
}

static bool run_case(const char *name)
{
	char rel[512];
	snprintf(rel, sizeof rel, "apk/%s/expected.json", name);
	json_t *exp = test_load_json(test_pkgdb_path(rel));
	struct artifact a;
	artifact_init(&a);
	size_t i;
	json_t *in;
	json_array_foreach(json_object_get(exp, "inputs"), i, in) {
		snprintf(rel, sizeof rel, "apk/%s/%s", name, json_string_value(in));
		size_t len;
		unsigned char *data = test_read_file(test_pkgdb_path(rel), &len);
		assert_int_equal(apk_parse_installed((const char *)data, len, json_string_value(in), &a), BOSUN_OK);
		free(data);
	}
	json_t *pkgs = json_object_get(exp, "packages");
	bool ok = true;
	bool *used = calloc(a.npkgs + 1, 1);
	json_t *ep;
	json_array_foreach(pkgs, i, ep) {
		const char *ename = jstr(ep, "name", NULL), *ever = jstr(ep, "version", NULL);
		size_t k = 0;
		while (k < a.npkgs && (used[k] || strcmp(a.pkgs[k].name, ename) || strcmp(a.pkgs[k].version, ever)))
			k++;
		if (k == a.npkgs) {
			print_message("    %s %s: not found\n", ename, ever);
			ok = false;
			continue;
		}
		used[k] = true;
		ok &= pkg_match(ep, &a.pkgs[k]);
	}
	if (json_is_true(json_object_get(exp, "complete")) && a.npkgs != json_array_size(pkgs)) {
		print_message("    want %zu packages, got %zu\n", json_array_size(pkgs), a.npkgs);
		ok = false;
	}
	if (!ok)
		print_message("  case %s FAILED\n", name);
	free(used);
	artifact_free(&a);
	json_decref(exp);
	return ok;
}

static void test_fixtures(void **state)
{
	(void)state;
	char **cases;
	size_t n = list_cases("apk", &cases), pass = 0;
	for (size_t i = 0; i < n; i++) {
		pass += run_case(cases[i]);
		free(cases[i]);
	}
	free(cases);
	print_message("apk fixtures: %zu/%zu passed\n", pass, n);
	assert_true(n > 0);
	assert_int_equal(pass, n);
}

/* ---- targeted cases ---- */

static void parse(struct artifact *a, const char *text, size_t len)
{
	artifact_init(a);
	assert_int_equal(apk_parse_installed(text, len, "lib/apk/db/installed", a), BOSUN_OK);
}

static void test_fields(void **state)
{
	(void)state;
	static const char db[] = "C:Q1abc=\nP:busybox-binsh\nV:1.36.1-r15\nA:x86_64\nL:GPL-2.0-only\no:busybox\n"
				 "m:Sören Tempel <soeren@example.org>\nt:1699383189\nc:d1b6f274f29076967826e0ecf6ebcaa5d360272f\n"
				 "R:toplevel\nF:bin\nR:sh\na:0:0:777\nZ:Q1pcf=\nF:/usr/lib\nR:libx.so\nF:empty\n\n"
				 "P:musl\nV:1.2.4-r2\nL:( Apache-2.0 OR MIT ) AND MPL-2.0\no:musl\n";
	struct artifact a;
	parse(&a, db, sizeof db - 1);
	assert_int_equal(a.npkgs, 2);
	const struct package *p = &a.pkgs[0];
	assert_int_equal(p->type, PKG_APK);
	assert_string_equal(p->name, "busybox-binsh");
	assert_string_equal(p->version, "1.36.1-r15");
	assert_int_equal(p->epoch, -1);
	assert_string_equal(p->arch, "x86_64");
	assert_string_equal(p->license, "GPL-2.0-only");
	assert_string_equal(p->source_name, "busybox");
	assert_string_equal(p->source_version, "1.36.1-r15");
	assert_string_equal(p->maintainer, "Sören Tempel <soeren@example.org>");
	assert_string_equal(p->commit, "d1b6f274f29076967826e0ecf6ebcaa5d360272f");
	assert_string_equal(p->found_in, "lib/apk/db/installed");
	assert_int_equal(p->nfiles, 3);
	assert_string_equal(p->files[0], "toplevel");
	assert_string_equal(p->files[1], "bin/sh");
	assert_string_equal(p->files[2], "usr/lib/libx.so");
	p = &a.pkgs[1];
	assert_null(p->source_name); /* origin is the package itself */
	assert_string_equal(p->license, "( Apache-2.0 OR MIT ) AND MPL-2.0");
	assert_null(p->files);
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
}

static void test_crlf_and_trailing(void **state)
{
	(void)state;
	static const char db[] = "P:a\r\nV:1.0-r0\r\nF:usr\r\nR:x\r\n\r\nP:b\r\nV:2.0-r1";
	struct artifact a;
	parse(&a, db, sizeof db - 1);
	assert_int_equal(a.npkgs, 2);
	assert_string_equal(a.pkgs[0].version, "1.0-r0");
	assert_string_equal(a.pkgs[0].files[0], "usr/x");
	assert_string_equal(a.pkgs[1].version, "2.0-r1");
	artifact_free(&a);
}

static void test_malformed(void **state)
{
	(void)state;
	/* Missing blank line between entries; entries without P or V; lines
	 * that are not fields. */
	static const char db[] = "P:a\nV:1\nP:b\nV:2\n\nP:noversion\n\nV:1\n\nnot a field\nP:c\nV:3\nR:f\n\n"
				 "P:bad name\nV:1\n";
	struct artifact a;
	parse(&a, db, sizeof db - 1);
	assert_int_equal(a.npkgs, 3);
	assert_string_equal(a.pkgs[0].name, "a");
	assert_string_equal(a.pkgs[1].name, "b");
	assert_string_equal(a.pkgs[2].name, "c");
	assert_int_equal(a.pkgs[2].nfiles, 1);
	assert_int_equal(a.nwarnings, 4);
	artifact_free(&a);

	/* Warnings are bounded per file. */
	struct buf b = { 0 };
	for (int i = 0; i < 100; i++)
		assert_int_equal(buf_printf(&b, "P:p%d\n\n", i), BOSUN_OK);
	parse(&a, b.data, b.len);
	assert_int_equal(a.npkgs, 0);
	assert_true(a.nwarnings <= 11);
	artifact_free(&a);
	buf_free(&b);
}

static void test_garbage(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"", "\n", ":", "P", "P:", "P:\nV:", "R:x\nF:y\nR:", "P:a\nV:1\nF:\nR:\nR:z", "\r\n\r",
		"P:a\nV:1\nR:/abs\n",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		struct artifact a;
		parse(&a, inputs[i], strlen(inputs[i]));
		for (size_t k = 0; k < a.npkgs; k++)
			for (size_t f = 0; f < a.pkgs[k].nfiles; f++)
				assert_true(a.pkgs[k].files[f][0] != '/' && a.pkgs[k].files[f][0] != '\0');
		artifact_free(&a);
	}
	static const char nul[] = "P:a\0b\nV:1\n";
	struct artifact a;
	parse(&a, nul, sizeof nul - 1);
	assert_int_equal(a.npkgs, 0);
	artifact_free(&a);
	parse(&a, NULL, 0);
	assert_int_equal(a.npkgs, 0);
	artifact_free(&a);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_crlf_and_trailing),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
