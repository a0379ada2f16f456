/* dpkg: the trivy and syft fixtures, then targeted cases for the status
 * parser and the file lists. */
#include "testutil.h"

#include <dirent.h>

#include "analyze/dpkg.h"
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

struct fixture {
	const char *name;
	json_t *exp;
	size_t ninputs;
	const char *paths[32];
	unsigned char *data[32];
	size_t len[32];
};

static void fixture_load(struct fixture *f, const char *name)
{
	char rel[512];
	memset(f, 0, sizeof *f);
	f->name = name;
	snprintf(rel, sizeof rel, "dpkg/%s/expected.json", name);
	f->exp = test_load_json(test_pkgdb_path(rel));
	size_t i;
	json_t *in;
	json_array_foreach(json_object_get(f->exp, "inputs"), i, in) {
		if (f->ninputs == 32)
			break;
		f->paths[f->ninputs] = json_string_value(in);
		snprintf(rel, sizeof rel, "dpkg/%s/%s", name, f->paths[f->ninputs]);
		f->data[f->ninputs] = test_read_file(test_pkgdb_path(rel), &f->len[f->ninputs]);
		f->ninputs++;
	}
}

static void fixture_free(struct fixture *f)
{
	for (size_t i = 0; i < f->ninputs; i++)
		free(f->data[i]);
	json_decref(f->exp);
}

static int fixture_find(const struct fixture *f, const char *path)
{
	for (size_t i = 0; i < f->ninputs; i++)
		if (strcmp(f->paths[i], path) == 0)
			return (int)i;
	return -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* What the analyzer does with a view, done over the fixture's files: parse
 * the status file or each status.d file, then attach the file lists. */
static void fixture_parse(struct fixture *f, struct artifact *a)
{
	for (size_t i = 0; i < f->ninputs; i++) {
		const char *p = f->paths[i];
		bool status = strcmp(p, "var/lib/dpkg/status") == 0;
		bool status_d = strncmp(p, "var/lib/dpkg/status.d/", 22) == 0 && !ends_with(p, ".md5sums");
		if (!status && !status_d)
			continue;
		size_t first = a->npkgs;
		assert_int_equal(dpkg_parse_status((const char *)f->data[i], f->len[i], p, status_d, a), BOSUN_OK);
		for (size_t k = first; k < a->npkgs; k++) {
			char path[1024];
			int src = -1;
			bool md5 = true;
			if (status_d) {
				snprintf(path, sizeof path, "%s.md5sums", p);
				src = fixture_find(f, path);
			} else {
				static const char *const fmts[] = { "var/lib/dpkg/info/%s:%s.list", "var/lib/dpkg/info/%s.list",
								    "var/lib/dpkg/info/%s:%s.md5sums",
								    "var/lib/dpkg/info/%s.md5sums" };
				for (int j = 0; j < 4 && src < 0; j++) {
					if (j % 2 == 0)
						snprintf(path, sizeof path, fmts[j], a->pkgs[k].name, a->pkgs[k].arch);
					else
						snprintf(path, sizeof path, fmts[j], a->pkgs[k].name);
					src = fixture_find(f, path);
					md5 = j >= 2;
				}
			}
			if (src >= 0)
				assert_int_equal(dpkg_parse_file_list((const char *)f->data[src], f->len[src], md5, &a->arena,
								      &a->pkgs[k].files, &a->pkgs[k].nfiles),
						 BOSUN_OK);
		}
	}
}

/* A string field from the package or, for syft, its metadata. */
static const char *jstr(json_t *p, const char *key)
{
	const char *s = json_string_value(json_object_get(p, key));
	if (!s)
		s = json_string_value(json_object_get(json_object_get(p, "metadata"), key));
	return s;
}

/* trivy splits a Debian version into epoch / version / release; syft keeps
 * the whole string. Rebuild the whole string either way. */
static void full_version(json_t *p, const char *prefix, char *buf, size_t size)
{
	char k_epoch[32], k_version[32], k_release[32];
	snprintf(k_epoch, sizeof k_epoch, "%sepoch", prefix);
	snprintf(k_version, sizeof k_version, "%sversion", prefix);
	snprintf(k_release, sizeof k_release, "%srelease", prefix);
	const char *v = jstr(p, k_version), *r = jstr(p, k_release);
	json_int_t epoch = json_integer_value(json_object_get(p, k_epoch));
	buf[0] = '\0';
	if (!v)
		return;
	int n = 0;
	if (epoch > 0)
		n = snprintf(buf, size, "%lld:", (long long)epoch);
	n += snprintf(buf + n, size - (size_t)n, "%s", v);
	if (r)
		snprintf(buf + n, size - (size_t)n, "-%s", r);
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

/* Compares every field the expectation states. */
static bool pkg_match(json_t *ep, const struct package *p)
{
	char want[512];
	bool ok = true;
	full_version(ep, "", want, sizeof want);
	ok &= str_match("version", p->name, want, p->version);
	ok &= str_match("arch", p->name, jstr(ep, "arch"), p->arch);
	ok &= str_match("maintainer", p->name, jstr(ep, "maintainer"), p->maintainer);
	/* trivy states the source even when it is the package itself. */
	ok &= str_match("source_name", p->name, jstr(ep, "source_name"), p->source_name ? p->source_name : p->name);
	full_version(ep, "source_", want, sizeof want);
	ok &= str_match("source_version", p->name, want[0] ? want : NULL, p->source_version);
	json_t *epoch = json_object_get(ep, "epoch");
	if (epoch && json_integer_value(epoch) != p->epoch) {
		print_message("    %s epoch: want %lld, got %d\n", p->name, (long long)json_integer_value(epoch), p->epoch);
		ok = false;
	}
	if (!epoch && p->epoch > 0) {
		print_message("    %s epoch: want none, got %d\n", p->name, p->epoch);
		ok = false;
	}
	return ok && files_match(ep, p);
}

static bool run_case(const char *name)
{
	struct fixture f;
	fixture_load(&f, name);
	struct artifact a;
	artifact_init(&a);
	fixture_parse(&f, &a);
	json_t *pkgs = json_object_get(f.exp, "packages");
	bool complete = json_is_true(json_object_get(f.exp, "complete"));
	bool ok = true;
	bool *used = calloc(a.npkgs + 1, 1);
	size_t i;
	json_t *ep;
	json_array_foreach(pkgs, i, ep) {
		char want[512];
		full_version(ep, "", want, sizeof want);
		const char *ename = jstr(ep, "name");
		size_t k = 0;
		while (k < a.npkgs && (used[k] || strcmp(a.pkgs[k].name, ename) || strcmp(a.pkgs[k].version, want)))
			k++;
		if (k == a.npkgs) {
			print_message("    %s %s: not found\n", ename, want);
			ok = false;
			continue;
		}
		used[k] = true;
		ok &= pkg_match(ep, &a.pkgs[k]);
	}
	if (complete && a.npkgs != json_array_size(pkgs)) {
		print_message("    want %zu packages, got %zu\n", json_array_size(pkgs), a.npkgs);
		ok = false;
	}
	if (!ok)
		print_message("  case %s FAILED\n", name);
	free(used);
	artifact_free(&a);
	fixture_free(&f);
	return ok;
}

static void test_fixtures(void **state)
{
	(void)state;
	char **cases;
	size_t n = list_cases("dpkg", &cases), pass = 0;
	for (size_t i = 0; i < n; i++) {
		pass += run_case(cases[i]);
		free(cases[i]);
	}
	free(cases);
	print_message("dpkg fixtures: %zu/%zu passed\n", pass, n);
	assert_true(n > 0);
	assert_int_equal(pass, n);
}

/* ---- targeted cases ---- */

static const struct package *parse(struct artifact *a, const char *text, bool status_d)
{
	artifact_init(a);
	assert_int_equal(dpkg_parse_status(text, strlen(text), "var/lib/dpkg/status", status_d, a), BOSUN_OK);
	return a->npkgs ? &a->pkgs[0] : NULL;
}

static const struct package *find(const struct artifact *a, const char *name)
{
	for (size_t i = 0; i < a->npkgs; i++)
		if (strcmp(a->pkgs[i].name, name) == 0)
			return &a->pkgs[i];
	return NULL;
}

static void test_status_states(void **state)
{
	(void)state;
	struct artifact a;
	parse(&a,
	      "Package: ii\nStatus: install ok installed\nVersion: 1\n\n"
	      "Package: hi\nStatus: hold ok installed\nVersion: 1\n\n"
	      "Package: rc\nStatus: deinstall ok config-files\nVersion: 2:4.0.2-3\n\n"
	      "Package: half\nStatus: install reinstreq half-installed\nVersion: 1\n\n"
	      "Package: unpacked\nStatus: install ok unpacked\nVersion: 1\n\n"
	      "Package: notinst\nStatus: purge ok not-installed\n\n"
	      "Package: short\nStatus: install ok\nVersion: 1\n",
	      false);
	assert_int_equal(a.npkgs, 2);
	assert_non_null(find(&a, "ii"));
	assert_non_null(find(&a, "hi"));
	assert_null(find(&a, "rc"));
	assert_int_equal(a.nwarnings, 1); /* the short Status */
	artifact_free(&a);
}

static void test_source_and_epoch(void **state)
{
	(void)state;
	struct artifact a;
	parse(&a,
	      "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n"
	      "Source: glibc (2.36-9)\nVersion: 2.36-9+b1\n\n"
	      "Package: bsdutils\nStatus: install ok installed\nSource: util-linux (2.38.1-5+deb12u3)\n"
	      "Version: 1:2.38.1-5+deb12u3\n\n"
	      "Package: fdisk\nStatus: install ok installed\nSource: util-linux\nVersion: 2.38.1-5+deb12u3\n\n"
	      "Package: apt\nStatus: install ok installed\nSource: apt\nVersion: 2.6.1\n\n"
	      "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b13\n\n"
	      "Package: bad\nStatus: install ok installed\nSource: a b c\nVersion: 1\n",
	      false);
	const struct package *p = find(&a, "libc6");
	assert_string_equal(p->source_name, "glibc");
	assert_string_equal(p->source_version, "2.36-9"); /* binNMU */
	assert_string_equal(p->version, "2.36-9+b1");
	assert_string_equal(p->arch, "amd64");
	assert_int_equal(p->epoch, -1);
	assert_int_equal(p->type, PKG_DEB);
	assert_string_equal(p->found_in, "var/lib/dpkg/status");
	p = find(&a, "bsdutils");
	assert_string_equal(p->version, "1:2.38.1-5+deb12u3");
	assert_int_equal(p->epoch, 1);
	assert_string_equal(p->source_version, "2.38.1-5+deb12u3");
	p = find(&a, "fdisk");
	assert_string_equal(p->source_name, "util-linux");
	assert_string_equal(p->source_version, "2.38.1-5+deb12u3");
	p = find(&a, "apt");
	assert_null(p->source_name); /* same as the package */
	assert_string_equal(p->source_version, "2.6.1");
	p = find(&a, "bash");
	assert_null(p->source_name);
	assert_string_equal(p->source_version, "5.2.15-2+b13");
	p = find(&a, "bad");
	assert_null(p->source_name);
	assert_int_equal(a.nwarnings, 1);
	artifact_free(&a);

	assert_int_equal(dpkg_version_epoch("5:20.10.7~3-0~debian-buster"), 5);
	assert_int_equal(dpkg_version_epoch("0:1"), 0);
	assert_int_equal(dpkg_version_epoch("1.0"), -1);
	assert_int_equal(dpkg_version_epoch(":1"), -1);
	assert_int_equal(dpkg_version_epoch("a:1"), -1);
	assert_int_equal(dpkg_version_epoch("99999999999:1"), -1);
	assert_int_equal(dpkg_version_epoch(NULL), -1);
}

static void test_continuation_lines(void **state)
{
	(void)state;
	struct artifact a;
	const struct package *p = parse(&a,
					"Package: foo\nStatus: install ok installed\n"
					"Conffiles:\n /etc/foo abc\n /etc/Version: 9\n"
					"Maintainer: A\n B <b@example.org>\n"
					"Description: x\n Version: 7\n .\n more\n"
					"Version: 1.0-1\nArchitecture: all\n",
					false);
	assert_int_equal(a.npkgs, 1);
	assert_string_equal(p->version, "1.0-1"); /* not the " Version:" continuation */
	assert_string_equal(p->maintainer, "A B <b@example.org>");
	assert_string_equal(p->arch, "all");
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
}

static void test_crlf_and_trailing(void **state)
{
	(void)state;
	struct artifact a;
	const struct package *p = parse(&a,
					"Package: foo\r\nStatus: install ok installed\r\nVersion: 1.0\r\n"
					"Architecture: amd64\r\n\r\nPackage: bar\r\nStatus: install ok installed\r\n"
					"Version: 2.0",
					false);
	assert_int_equal(a.npkgs, 2);
	assert_string_equal(p->version, "1.0");
	assert_string_equal(p->arch, "amd64");
	assert_string_equal(a.pkgs[1].name, "bar");
	assert_string_equal(a.pkgs[1].version, "2.0"); /* no trailing newline */
	artifact_free(&a);

	/* Blank lines made of spaces separate paragraphs too; field names
	 * ignore case. */
	parse(&a, "package: a\nversion: 1\n \t \nPACKAGE: b\nVERSION: 2\n\n\n", true);
	assert_int_equal(a.npkgs, 2);
	artifact_free(&a);
}

static void test_malformed(void **state)
{
	(void)state;
	struct artifact a;
	/* A missing blank line: the second Package starts a new entry. */
	parse(&a,
	      "Package: a\nStatus: install ok installed\nVersion: 1\n"
	      "Package: b\nStatus: install ok installed\nVersion: 2\n\n"
	      "Package:\n\nPackage: no-version\nStatus: install ok installed\n\n"
	      "garbage line\nPackage: c\nStatus: install ok installed\nVersion: 3\n\n"
	      "Package: bad name\nVersion: 1\n\n"
	      "Package: x\nVersion: has space\n",
	      false);
	assert_int_equal(a.npkgs, 3);
	assert_string_equal(a.pkgs[0].name, "a");
	assert_string_equal(a.pkgs[1].name, "b");
	assert_string_equal(a.pkgs[2].name, "c");
	assert_true(a.nwarnings >= 4);
	artifact_free(&a);

	/* status.d entries carry no Status and count; in status it warns. */
	parse(&a, "Package: d\nVersion: 1\n", true);
	assert_int_equal(a.npkgs, 1);
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
	parse(&a, "Package: d\nVersion: 1\n", false);
	assert_int_equal(a.npkgs, 1);
	assert_int_equal(a.nwarnings, 1);
	artifact_free(&a);

	/* Over-long values are refused, not truncated. */
	char big[4096];
	snprintf(big, sizeof big, "Package: %0300d\nVersion: 1\n\nPackage: ok\nVersion: 1\nMaintainer: %02000d\n", 0, 0);
	parse(&a, big, true);
	assert_int_equal(a.npkgs, 1);
	assert_null(a.pkgs[0].maintainer);
	artifact_free(&a);

	/* Warnings are bounded per file. */
	struct buf b = { 0 };
	for (int i = 0; i < 100; i++)
		assert_int_equal(buf_printf(&b, "Package: p%d\n\n", i), BOSUN_OK);
	parse(&a, b.data, false);
	assert_int_equal(a.npkgs, 0);
	assert_true(a.nwarnings <= 11);
	artifact_free(&a);
	buf_free(&b);
}

static void test_garbage(void **state)
{
	(void)state;
	static const char *const inputs[] = {
		"", "\n", ":", "::\n:\n", " continuation first\n", "Package", "Package: a\nVersion",
		"Package: a\nVersion:", "Package: a\nSource: (1)\nVersion: 1", "Package: a\nSource: x (\nVersion: 1",
		"Package: a\nStatus:\nVersion: 1", "\r\n\r\n\r", "Package: a\0b\nVersion: 1\n",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		struct artifact a;
		artifact_init(&a);
		assert_int_equal(dpkg_parse_status(inputs[i], strlen(inputs[i]), "s", false, &a), BOSUN_OK);
		for (size_t k = 0; k < a.npkgs; k++) {
			assert_non_null(a.pkgs[k].name);
			assert_non_null(a.pkgs[k].version);
		}
		artifact_free(&a);
	}
	/* Embedded NUL bytes: the name check refuses them. */
	static const char nul[] = "Package: a\0b\nVersion: 1\n";
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(dpkg_parse_status(nul, sizeof nul - 1, "s", true, &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 0);
	artifact_free(&a);
	artifact_init(&a);
	assert_int_equal(dpkg_parse_status(NULL, 0, "s", true, &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 0);
	artifact_free(&a);
}

static void test_file_lists(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	char **files;
	size_t n;
	static const char list[] = "/.\n/usr\n/usr/bin\n/usr/bin/tar\n/usr/sbin\n/usr/sbin/rmt-tar\n"
				   "/usr/share/doc/tar\n/etc/empty-dir-or-file\n/usr/lib/x";
	assert_int_equal(dpkg_parse_file_list(list, sizeof list - 1, false, &ar, &files, &n), BOSUN_OK);
	assert_int_equal(n, 5);
	assert_string_equal(files[0], "usr/bin/tar");
	assert_string_equal(files[1], "usr/sbin/rmt-tar");
	assert_string_equal(files[2], "usr/share/doc/tar");
	assert_string_equal(files[3], "etc/empty-dir-or-file");
	assert_string_equal(files[4], "usr/lib/x");

	static const char sums[] = "25de5fcdc3c8ebd9c9f599fb7a899b40  usr/bin/tar\r\n"
				   "5bf0e62990e0b668830ceb2c8615b497  usr/lib/with space\n\n"
				   "nohash\n";
	assert_int_equal(dpkg_parse_file_list(sums, sizeof sums - 1, true, &ar, &files, &n), BOSUN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(files[0], "usr/bin/tar");
	assert_string_equal(files[1], "usr/lib/with space");

	assert_int_equal(dpkg_parse_file_list("", 0, false, &ar, &files, &n), BOSUN_OK);
	assert_int_equal(n, 0);
	assert_null(files);
	assert_int_equal(dpkg_parse_file_list("/.\n", 3, false, &ar, &files, &n), BOSUN_OK);
	assert_int_equal(n, 0);
	arena_free(&ar);
}

/* Undoes the TSV escapes of the shared vectors (\t \n \r \\). */
static size_t tsv_unescape(const char *in, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '\\' && i + 1 < n) {
			char c = in[++i];
			out[o++] = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
	return o;
}

static void check_valid_tsv(const char *file, size_t *rows)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/testdata/versions/%s", test_shared_dir(), file);
	size_t len;
	char *text = (char *)test_read_file(path, &len);
	struct slice rest = slice_make(text, len), line;
	while (slice_next_line(&rest, &line)) {
		if (line.n == 0 || line.p[0] == '#')
			continue;
		struct slice version, tail, valid, sev;
		slice_split(line, '\t', &version, &tail);
		slice_split(tail, '\t', &valid, &sev);
		char v[512];
		size_t vn = tsv_unescape(version.p, version.n, v);
		bool want = slice_eq_cstr(valid, "true");
		if (dpkg_version_valid(slice_make(v, vn)) != want)
			fail_msg("%s: \"%s\" should be %s", file, v, want ? "valid" : "invalid");
		(*rows)++;
	}
	free(text);
}

static void test_version_validity(void **state)
{
	(void)state;
	size_t rows = 0;
	check_valid_tsv("dpkg-valid.tsv", &rows);
	check_valid_tsv("knqyf263-deb-valid.tsv", &rows);
	print_message("dpkg version validity: %zu rows agree\n", rows);
	assert_true(dpkg_version_valid(SLICE_LIT("1:5.1.1-12ubuntu1")));
	assert_false(dpkg_version_valid(SLICE_LIT("1:5.#")));
	assert_false(dpkg_version_valid(SLICE_LIT("1.0-")));
	assert_false(dpkg_version_valid(slice_make("1\0", 2)));
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_status_states),
		cmocka_unit_test(test_source_and_epoch),
		cmocka_unit_test(test_continuation_lines),
		cmocka_unit_test(test_crlf_and_trailing),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_file_lists),
		cmocka_unit_test(test_version_validity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
