/* Python: the pkgdb python-metadata fixtures (Trivy's), then cases written
 * from the formats' documentation: core metadata (PEP 241/314/345/566/639
 * headers), pip requirements files, poetry.lock, Pipfile.lock, uv.lock and
 * the TOML reader under them; the analyzer on trees (images vs projects,
 * -r includes, dpkg owners); the matcher's rule for PyPI packages the
 * distro installed; and the `big` test image when it is there. */
#include "langtest.h"

#include "analyze/python.h"
#include "analyze/toml_lock.h"
#include "match/match.h"
#include "util/log.h"
#include "vulndb/vulndb.h"

/* ---- fixtures ---- */

static int parse_metadata(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	return python_parse_metadata(data, len, found_in, a);
}

static void test_fixtures(void **state)
{
	(void)state;
	lt_run_fixtures("python-metadata", PKG_PYPI, parse_metadata, ", ");
}

/* ---- names ---- */

static void test_normalize(void **state)
{
	(void)state;
	char out[64];
	assert_true(python_normalize_name(SLICE_LIT("Django_REST..framework"), out, sizeof out));
	assert_string_equal(out, "django-rest-framework");
	assert_true(python_normalize_name(SLICE_LIT("PyYAML"), out, sizeof out));
	assert_string_equal(out, "pyyaml");
	assert_true(python_normalize_name(SLICE_LIT("charset_normalizer"), out, sizeof out));
	assert_string_equal(out, "charset-normalizer");
	assert_false(python_normalize_name(SLICE_LIT("abcdef"), out, 4));
}

/* ---- core metadata ---- */

static const struct package *meta1(struct artifact *a, const char *text)
{
	artifact_init(a);
	a->silent = true;
	assert_int_equal(python_parse_metadata(text, strlen(text), "x/METADATA", a), BOSUN_OK);
	return a->npkgs == 1 ? &a->pkgs[0] : NULL;
}

static void test_metadata_licenses(void **state)
{
	(void)state;
	struct artifact a;
	/* PEP 639: License-Expression wins over everything. */
	const struct package *p = meta1(&a, "Metadata-Version: 2.4\nName: foo\nVersion: 1.0\nLicense: BSD\n"
					 "License-Expression: MIT OR Apache-2.0\n"
					 "Classifier: License :: OSI Approved :: MIT License\n\nbody\n");
	assert_non_null(p);
	assert_string_equal(p->license, "MIT OR Apache-2.0");
	assert_string_equal(p->found_in, "x/METADATA");
	assert_int_equal(p->type, PKG_PYPI);
	artifact_free(&a);
	/* Classifiers, several, joined; the bare "OSI Approved" names none. */
	p = meta1(&a, "Name: foo\nVersion: 1.0\nLicense: see classifiers\nClassifier: License :: OSI Approved\n"
		      "Classifier: License :: OSI Approved :: MIT License\n"
		      "Classifier: License :: OSI Approved :: Apache Software License\n");
	assert_string_equal(p->license, "MIT License, Apache Software License");
	artifact_free(&a);
	/* A folded License value is one line. */
	p = meta1(&a, "Name: foo\nVersion: 1.0\nLicense: BSD\n        3-clause\n");
	assert_string_equal(p->license, "BSD 3-clause");
	artifact_free(&a);
	/* A license text in License is not a license name. */
	char big[2048] = "Name: foo\nVersion: 1.0\nLicense: Copyright (c) someone\n";
	for (int i = 0; i < 20; i++)
		strcat(big, "        Permission is hereby granted, free of charge, to any\n");
	p = meta1(&a, big);
	assert_null(p->license);
	artifact_free(&a);
	/* Nothing but a license file. */
	p = meta1(&a, "Name: foo\nVersion: 1.0\nLicense-File: LICENSE\nLicense-File: NOTICE\n");
	assert_string_equal(p->license, "file://LICENSE");
	artifact_free(&a);
}

static void test_metadata_header(void **state)
{
	(void)state;
	struct artifact a;
	/* Field names ignore case; CRLF; the first value counts; the body
	 * (after the empty line) is not header. */
	const struct package *p = meta1(&a, "name: Foo_Bar\r\nVERSION: 2.0.post1\r\nName: other\r\n\r\n"
					 "Version: 9\r\nLicense: MIT\r\n");
	assert_non_null(p);
	assert_string_equal(p->name, "Foo_Bar");
	assert_string_equal(p->version, "2.0.post1");
	assert_null(p->license);
	artifact_free(&a);
	/* A line that is not a field ends the header. */
	p = meta1(&a, "Name: foo\nthis is not a field\nVersion: 1.0\n");
	assert_null(p);
	assert_true(lt_warned(&a, "no Name or Version"));
	artifact_free(&a);
	/* Missing version, empty input, binary garbage, a name with spaces. */
	assert_null(meta1(&a, "Name: foo\n"));
	artifact_free(&a);
	assert_null(meta1(&a, ""));
	artifact_free(&a);
	artifact_init(&a);
	a.silent = true;
	static const char junk[] = "\x00\x01\xff: \xfe\n\n\x00";
	assert_int_equal(python_parse_metadata(junk, sizeof junk, "j", &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 0);
	assert_int_equal(python_parse_metadata(NULL, 0, "j", &a), BOSUN_OK);
	artifact_free(&a);
	assert_null(meta1(&a, "Name: two words\nVersion: 1.0\n"));
	assert_true(lt_warned(&a, "no usable name"));
	artifact_free(&a);
}

/* ---- requirements ---- */

struct includes {
	char refs[8][64];
	size_t n;
};

static int record_include(void *ctx, struct slice ref)
{
	struct includes *in = ctx;
	if (in->n < 8)
		snprintf(in->refs[in->n++], sizeof in->refs[0], "%.*s", (int)ref.n, ref.p);
	return BOSUN_OK;
}

static void test_requirements(void **state)
{
	(void)state;
	static const char req[] =
		"\xef\xbb\xbf# a comment line\n"
		"requests==2.25.1  # pinned, with a comment\n"
		"Django[argon2,bcrypt] == 3.2.4 ; python_version >= \"3.6\"\n"
		"flask>=1.0\n"
		"numpy==1.21.*\n"
		"six===1.16.0\n"
		"pyyaml==5.3.1 \\\n"
		"    --hash=sha256:aaaa \\\n"
		"    --hash=sha256:bbbb\n"
		"-r base.txt\n"
		"--requirement=other.txt\n"
		"--requirement third.txt\n"
		"-rfourth.txt\n"
		"-c constraints.txt\n"
		"-e git+https://github.com/x/y.git#egg=y\n"
		"./local/pkg\n"
		"https://example.com/pkg.tar.gz\n"
		"name @ https://example.com/x.whl\n"
		"cryptography==3.3.2 --global-option=\"--x\"\n"
		"attrs==21.2.0,<22\n"
		"-i https://pypi.org/simple\n"
		"--index-url https://x\n"
		"Jinja2==2.11.3;python_version<\"3.8\"\r\n"
		"url#frag==1.0\n"
		"ver==${VERSION}\n"
		"last==0.1";
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	struct includes in = { 0 };
	assert_int_equal(python_parse_requirements(req, sizeof req - 1, "requirements.txt", record_include, &in, &a),
			 BOSUN_OK);
	static const char *const want[][2] = { { "requests", "2.25.1" }, { "Django", "3.2.4" },
					       { "six", "1.16.0" },      { "pyyaml", "5.3.1" },
					       { "cryptography", "3.3.2" }, { "Jinja2", "2.11.3" },
					       { "last", "0.1" } };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct package *p = lt_must(&a, PKG_PYPI, want[i][0], want[i][1]);
		assert_string_equal(p->found_in, "requirements.txt");
		assert_null(p->relationship);
	}
	assert_int_equal(a.npkgs, sizeof want / sizeof want[0]);
	/* Every -r form, in order; -c is not an include. */
	assert_int_equal(in.n, 4);
	assert_string_equal(in.refs[0], "base.txt");
	assert_string_equal(in.refs[1], "other.txt");
	assert_string_equal(in.refs[2], "third.txt");
	assert_string_equal(in.refs[3], "fourth.txt");
	artifact_free(&a);
	/* A runaway continuation is bounded and reported. */
	artifact_init(&a);
	a.silent = true;
	char *longreq = malloc(2000 * 10 + 64);
	size_t n = 0;
	for (int i = 0; i < 2000; i++)
		n += (size_t)sprintf(longreq + n, "aaaaaaa \\\n");
	/* The tail of the long line is not a requirement of its own. */
	n += (size_t)sprintf(longreq + n, "tail==1.0\nok==1.0\n");
	assert_int_equal(python_parse_requirements(longreq, n, "r.txt", NULL, NULL, &a), BOSUN_OK);
	lt_must(&a, PKG_PYPI, "ok", "1.0");
	assert_null(lt_find(&a, PKG_PYPI, "tail", NULL));
	assert_int_equal(a.npkgs, 1);
	assert_true(lt_warned(&a, "longer than"));
	free(longreq);
	artifact_free(&a);
}

/* ---- TOML ---- */

static json_t *toml_ok(const char *text)
{
	json_t *j = NULL;
	struct berr e = { 0 };
	if (toml_lock_parse(text, strlen(text), "t", &j, &e) != BOSUN_OK)
		fail_msg("toml: %s", e.msg);
	return j;
}

static int toml_err(const char *text, char *msg, size_t cap)
{
	json_t *j = NULL;
	struct berr e = { 0 };
	int rc = toml_lock_parse(text, strlen(text), "t", &j, &e);
	assert_null(j);
	snprintf(msg, cap, "%s", e.msg);
	return rc;
}

static void test_toml(void **state)
{
	(void)state;
	json_t *j = toml_ok("# c\n"
			    "a = \"x\\u00e9\\ty\" # c\n"
			    "b = 'C:\\path'\n"
			    "c = \"\"\"\nline1\n  line2 \\\n   joined\"\"\"\n"
			    "d = '''\nraw \\n'''\n"
			    "e = [1, 2,\n  # comment\n  3,]\n"
			    "f = { x = 1, y.z = \"w\" }\n"
			    "g = 1979-05-27 07:32:00Z\n"
			    "h = true\n"
			    "i = 3.14\n"
			    "\"quoted key\" = 1\n"
			    "dotted.key = 2\n"
			    "q = \"\"\"two \"\"quotes\"\"\"\"\n"
			    "[[package]]\nname = \"p1\"\n[package.deps]\nk = 1\n"
			    "[[package]]\nname = \"p2\"\n[[package.wheels]]\nu = 1\n[[package.wheels]]\nu = 2\n"
			    "[x.y]\nz = 1\n[x]\nw = 2\n");
	assert_string_equal(json_string_value(json_object_get(j, "a")), "x\xc3\xa9\ty");
	assert_string_equal(json_string_value(json_object_get(j, "b")), "C:\\path");
	assert_string_equal(json_string_value(json_object_get(j, "c")), "line1\n  line2 joined");
	assert_string_equal(json_string_value(json_object_get(j, "d")), "raw \\n");
	assert_int_equal(json_array_size(json_object_get(j, "e")), 3);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j, "f"), "y"), "z")), "w");
	assert_string_equal(json_string_value(json_object_get(j, "g")), "1979-05-27 07:32:00Z");
	assert_true(json_is_true(json_object_get(j, "h")));
	assert_string_equal(json_string_value(json_object_get(j, "i")), "3.14");
	assert_int_equal(json_integer_value(json_object_get(j, "quoted key")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "dotted"), "key")), 2);
	assert_string_equal(json_string_value(json_object_get(j, "q")), "two \"\"quotes\"");
	json_t *pk = json_object_get(j, "package");
	assert_int_equal(json_array_size(pk), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(pk, 0), "deps"), "k")), 1);
	assert_int_equal(json_array_size(json_object_get(json_array_get(pk, 1), "wheels")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "x"), "w")), 2);
	json_decref(j);

	char msg[1024];
	assert_int_equal(toml_err("a = 1\na = 2\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_non_null(strstr(msg, "t: TOML line 2: key \"a\" defined twice"));
	assert_int_equal(toml_err("a = \"unterminated\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("a = \"\"\"never closed\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("a = 1 2\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("[a\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("a = 1\n[a]\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("a = 1\n[[a]]\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("a = \"\\q\"\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("a = \"\\ud800\"\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("a = \"\xff\"\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("a = \"ctl\x01\"\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("a =\n", msg, sizeof msg), BOSUN_EFORMAT);
	assert_int_equal(toml_err("= 1\n", msg, sizeof msg), BOSUN_EFORMAT);
	/* Nesting is bounded before the stack is. */
	char deep[200] = "a = ";
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	assert_int_equal(toml_err(deep, msg, sizeof msg), BOSUN_ELIMIT);
	assert_non_null(strstr(msg, "nested deeper"));
}

/* ---- poetry.lock ---- */

static const char poetry_v1[] =
	"# This file is automatically @generated by Poetry 1.4.2 and should not be changed by hand.\n\n"
	"[[package]]\nname = \"certifi\"\nversion = \"2023.7.22\"\n"
	"description = \"Python package for providing Mozilla's CA Bundle.\"\ncategory = \"main\"\n"
	"optional = false\npython-versions = \">=3.6\"\nfiles = [\n"
	"    {file = \"certifi-2023.7.22-py3-none-any.whl\", hash = \"sha256:92d6\"},\n"
	"    {file = \"certifi-2023.7.22.tar.gz\", hash = \"sha256:539c\"},\n]\n\n"
	"[[package]]\nname = \"pytest\"\nversion = \"7.4.0\"\ndescription = \"\"\"pytest: simple\n"
	"powerful testing\"\"\"\ncategory = \"dev\"\noptional = false\npython-versions = \">=3.7\"\n\n"
	"[package.dependencies]\ncolorama = {version = \"*\", markers = \"sys_platform == \\\"win32\\\"\"}\n"
	"iniconfig = \"*\"\n\n[package.extras]\ntesting = [\"argcomplete\", \"attrs (>=19.2.0)\"]\n\n"
	"[[package]]\nname = \"requests\"\nversion = \"2.25.1\"\ndescription = \"HTTP\"\ncategory = \"main\"\n"
	"optional = false\npython-versions = \"*\"\n\n[package.dependencies]\ncertifi = \">=2017.4.17\"\n\n"
	"[[package]]\nname = \"Sphinx_RTD.theme\"\nversion = \"1.2.0\"\ncategory = \"main\"\n\n"
	"[package.source]\ntype = \"legacy\"\nurl = \"https://example.org/simple\"\nreference = \"x\"\n\n"
	"[metadata]\nlock-version = \"2.0\"\npython-versions = \"^3.8\"\ncontent-hash = \"abc\"\n";

static const char pyproject[] = "[tool.poetry]\nname = \"demo\"\nversion = \"0.1.0\"\n\n"
				"[tool.poetry.dependencies]\npython = \"^3.8\"\nrequests = \"^2.25\"\n"
				"sphinx-rtd-theme = { version = \"^1.2\", optional = true }\n\n"
				"[tool.poetry.group.dev.dependencies]\npytest = \"^7.4\"\n";

static void test_poetry(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(python_parse_poetry_lock(poetry_v1, sizeof poetry_v1 - 1, "poetry.lock", pyproject,
						  sizeof pyproject - 1, &a),
			 BOSUN_OK);
	assert_int_equal(a.npkgs, 4);
	const struct package *p = lt_must(&a, PKG_PYPI, "certifi", "2023.7.22");
	assert_false(p->dev);
	assert_string_equal(p->relationship, "indirect");
	p = lt_must(&a, PKG_PYPI, "pytest", "7.4.0");
	assert_true(p->dev);
	assert_string_equal(p->relationship, "direct");
	p = lt_must(&a, PKG_PYPI, "requests", "2.25.1");
	assert_false(p->dev);
	assert_string_equal(p->relationship, "direct");
	/* pyproject says sphinx-rtd-theme: the same name under PEP 503. */
	assert_string_equal(lt_must(&a, PKG_PYPI, "Sphinx_RTD.theme", "1.2.0")->relationship, "direct");
	artifact_free(&a);

	/* Poetry 2: groups instead of category; no pyproject: unknown. A
	 * PEP 621 pyproject names direct dependencies as requirement strings. */
	static const char v2[] = "[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = [\"main\", \"dev\"]\n"
				 "markers = {main = \"python_version < '3.9'\"}\n\n"
				 "[[package]]\nname = \"b\"\nversion = \"2\"\ngroups = [\"dev\", \"test\"]\n\n"
				 "[[package]]\nname = \"c\"\nversion = \"3\"\n";
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(python_parse_poetry_lock(v2, sizeof v2 - 1, "poetry.lock", NULL, 0, &a), BOSUN_OK);
	assert_false(lt_must(&a, PKG_PYPI, "a", "1")->dev);
	assert_true(lt_must(&a, PKG_PYPI, "b", "2")->dev);
	assert_false(lt_must(&a, PKG_PYPI, "c", "3")->dev);
	assert_null(lt_must(&a, PKG_PYPI, "a", "1")->relationship);
	artifact_free(&a);
	static const char pep621[] = "[project]\nname = \"demo\"\ndependencies = [\"b[x] >= 1 ; python_version > '3'\"]\n"
				     "[project.optional-dependencies]\nextra = [\"c\"]\n"
				     "[dependency-groups]\ndev = [\"zz\"]\n";
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(python_parse_poetry_lock(v2, sizeof v2 - 1, "poetry.lock", pep621, sizeof pep621 - 1, &a),
			 BOSUN_OK);
	assert_string_equal(lt_must(&a, PKG_PYPI, "a", "1")->relationship, "indirect");
	assert_string_equal(lt_must(&a, PKG_PYPI, "b", "2")->relationship, "direct");
	assert_string_equal(lt_must(&a, PKG_PYPI, "c", "3")->relationship, "direct");
	artifact_free(&a);

	/* Broken TOML: a warning naming the line, nothing invented. A broken
	 * pyproject only loses the relationships. */
	static const char bad[] = "[[package]]\nname = \"a\"\nversion = = \"1\"\n";
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(python_parse_poetry_lock(bad, sizeof bad - 1, "poetry.lock", "[x\n", 3, &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 0);
	assert_true(lt_warned(&a, "poetry.lock: TOML line 3"));
	assert_true(lt_warned(&a, "direct dependencies unknown"));
	artifact_free(&a);
}

/* ---- Pipfile.lock ---- */

static void test_pipfile(void **state)
{
	(void)state;
	static const char lock[] =
		"{\"_meta\": {\"hash\": {\"sha256\": \"x\"}, \"pipfile-spec\": 6, \"requires\": {\"python_version\": \"3.11\"},"
		" \"sources\": [{\"name\": \"pypi\", \"url\": \"https://pypi.org/simple\", \"verify_ssl\": true}]},"
		" \"default\": {\"requests\": {\"hashes\": [\"sha256:aa\"], \"index\": \"pypi\", \"version\": \"==2.25.1\"},"
		"  \"certifi\": {\"version\": \"==2020.12.5\"},"
		"  \"mylib\": {\"git\": \"https://github.com/x/mylib.git\", \"ref\": \"abc\"},"
		"  \"urllib3\": {\"version\": \"==1.26.4\", \"markers\": \"python_version >= '2.7'\"},"
		"  \"odd\": {\"version\": \">=1.0\"}, \"bad\": 3},"
		" \"develop\": {\"pytest\": {\"version\": \"==6.2.4\"}, \"urllib3\": {\"version\": \"==1.26.4\"}}}";
	static const char pipfile[] = "[[source]]\nurl = \"https://pypi.org/simple\"\nverify_ssl = true\nname = \"pypi\"\n\n"
				      "[packages]\nrequests = \"*\"\nmylib = {git = \"https://github.com/x/mylib.git\"}\n\n"
				      "[dev-packages]\npytest = \"*\"\n\n[requires]\npython_version = \"3.11\"\n";
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(python_parse_pipfile_lock(lock, sizeof lock - 1, "Pipfile.lock", pipfile, sizeof pipfile - 1, &a),
			 BOSUN_OK);
	assert_int_equal(a.npkgs, 4);
	const struct package *p = lt_must(&a, PKG_PYPI, "requests", "2.25.1");
	assert_false(p->dev);
	assert_string_equal(p->relationship, "direct");
	assert_string_equal(lt_must(&a, PKG_PYPI, "certifi", "2020.12.5")->relationship, "indirect");
	/* In both sections: production. */
	assert_false(lt_must(&a, PKG_PYPI, "urllib3", "1.26.4")->dev);
	p = lt_must(&a, PKG_PYPI, "pytest", "6.2.4");
	assert_true(p->dev);
	assert_string_equal(p->relationship, "direct");
	artifact_free(&a);

	artifact_init(&a);
	a.silent = true;
	assert_int_equal(python_parse_pipfile_lock("{\"default\": [", strlen("{\"default\": ["), "Pipfile.lock", NULL, 0, &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 0);
	assert_true(lt_warned(&a, "invalid JSON"));
	assert_int_equal(python_parse_pipfile_lock("[1]", strlen("[1]"), "Pipfile.lock", NULL, 0, &a), BOSUN_OK);
	assert_true(lt_warned(&a, "not a JSON object"));
	artifact_free(&a);
}

/* ---- uv.lock ---- */

static const char uv_lock[] =
	"version = 1\nrequires-python = \">=3.9\"\nresolution-markers = [\n"
	"    \"python_full_version >= '3.10'\",\n    \"python_full_version < '3.10'\",\n]\n\n"
	"[[package]]\nname = \"certifi\"\nversion = \"2024.8.30\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
	"sdist = { url = \"https://files.pythonhosted.org/c/certifi-2024.8.30.tar.gz\", hash = \"sha256:bec9\", size = 168507 }\n"
	"wheels = [\n    { url = \"https://files.pythonhosted.org/c/certifi-2024.8.30-py3-none-any.whl\", hash = "
	"\"sha256:922\", size = 167321 },\n]\n\n"
	"[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\ndependencies = [\n"
	"    { name = \"numpy\", version = \"1.26.4\", source = { registry = \"https://pypi.org/simple\" }, marker = "
	"\"python_full_version < '3.10'\" },\n"
	"    { name = \"numpy\", version = \"2.1.0\", source = { registry = \"https://pypi.org/simple\" }, marker = "
	"\"python_full_version >= '3.10'\" },\n"
	"    { name = \"requests\" },\n]\n\n"
	"[package.optional-dependencies]\nsocks = [\n    { name = \"pysocks\" },\n]\n\n"
	"[package.dev-dependencies]\ndev = [\n    { name = \"pytest\" },\n]\n\n"
	"[package.metadata]\nrequires-dist = [\n    { name = \"requests\", specifier = \">=2.31\" },\n"
	"    { name = \"pysocks\", marker = \"extra == 'socks'\" },\n]\n\n"
	"[package.metadata.requires-dev]\ndev = [{ name = \"pytest\", specifier = \">=8\" }]\n\n"
	"[[package]]\nname = \"iniconfig\"\nversion = \"2.0.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n"
	"[[package]]\nname = \"numpy\"\nversion = \"1.26.4\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
	"resolution-markers = [\n    \"python_full_version < '3.10'\",\n]\n\n"
	"[[package]]\nname = \"numpy\"\nversion = \"2.1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n"
	"[[package]]\nname = \"PySocks\"\nversion = \"1.7.1\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n"
	"[[package]]\nname = \"pytest\"\nversion = \"8.3.3\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
	"dependencies = [\n    { name = \"iniconfig\" },\n    { name = \"certifi\" },\n]\n\n"
	"[[package]]\nname = \"requests\"\nversion = \"2.32.3\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
	"dependencies = [\n    { name = \"certifi\" },\n    { name = \"urllib3\" },\n]\n\n"
	"[[package]]\nname = \"urllib3\"\nversion = \"2.2.3\"\nsource = { git = \"https://github.com/urllib3/urllib3?rev=x#x\" }\n";

static void test_uv(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(python_parse_uv_lock(uv_lock, sizeof uv_lock - 1, "uv.lock", &a), BOSUN_OK);
	/* demo is the project itself. */
	assert_int_equal(a.npkgs, 8);
	assert_null(lt_find(&a, PKG_PYPI, "demo", NULL));
	static const struct {
		const char *name, *version, *rel;
		bool dev;
	} want[] = {
		{ "requests", "2.32.3", "direct", false },   { "numpy", "1.26.4", "direct", false },
		{ "numpy", "2.1.0", "direct", false },       { "PySocks", "1.7.1", "direct", false }, /* an extra */
		{ "pytest", "8.3.3", "direct", true },       { "iniconfig", "2.0.0", "indirect", true },
		/* certifi: through requests (production) and pytest (dev). */
		{ "certifi", "2024.8.30", "indirect", false }, { "urllib3", "2.2.3", "indirect", false },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct package *p = lt_must(&a, PKG_PYPI, want[i].name, want[i].version);
		lt_str_eq(p->relationship, want[i].rel, want[i].name);
		if (p->dev != want[i].dev)
			fail_msg("%s dev %d", want[i].name, p->dev);
	}
	artifact_free(&a);

	/* Without a member nothing is known about relationships. */
	static const char bare[] = "version = 1\n[[package]]\nname = \"x\"\nversion = \"1.0\"\n"
				   "source = { registry = \"https://pypi.org/simple\" }\n";
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(python_parse_uv_lock(bare, sizeof bare - 1, "uv.lock", &a), BOSUN_OK);
	assert_null(lt_must(&a, PKG_PYPI, "x", "1.0")->relationship);
	/* Dependency cycles end. */
	static const char cyc[] = "[[package]]\nname = \"r\"\nversion = \"0\"\nsource = { virtual = \".\" }\n"
				  "dependencies = [{ name = \"a\" }]\n"
				  "[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [{ name = \"b\" }]\n"
				  "[[package]]\nname = \"b\"\nversion = \"1\"\ndependencies = [{ name = \"a\" }, { name = \"r\" }]\n";
	assert_int_equal(python_parse_uv_lock(cyc, sizeof cyc - 1, "uv2.lock", &a), BOSUN_OK);
	assert_string_equal(lt_must(&a, PKG_PYPI, "b", "1")->relationship, "indirect");
	assert_int_equal(python_parse_uv_lock("[[package]]\nname = 1\n", strlen("[[package]]\nname = 1\n"), "uv3.lock", &a), BOSUN_OK);
	assert_true(lt_warned(&a, "no usable name"));
	artifact_free(&a);
}

/* ---- the analyzer on trees ---- */

static const char status_yaml[] =
	"Package: python3-yaml\nStatus: install ok installed\nArchitecture: amd64\nSource: pyyaml\n"
	"Version: 6.0-3+b2\n\n"
	"Package: python3-six\nStatus: install ok installed\nArchitecture: all\nSource: six\nVersion: 1.16.0-4\n\n";

static void write_site(const char *root)
{
	lt_write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
	lt_write(root, "var/lib/dpkg/status", status_yaml);
	lt_write(root, "var/lib/dpkg/info/python3-yaml.list",
		 "/.\n/usr\n/usr/lib/python3/dist-packages\n/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info\n"
		 "/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA\n");
	lt_write(root, "var/lib/dpkg/info/python3-six.list",
		 "/usr/lib/python3/dist-packages/six-1.16.0.egg-info\n");
	lt_write(root, "usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA",
		 "Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0\nLicense: MIT\n");
	/* An egg-info file, and an egg-info directory. */
	lt_write(root, "usr/lib/python3/dist-packages/six-1.16.0.egg-info", "Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\n");
	lt_write(root, "usr/local/lib/python3.11/site-packages/idna-3.4.egg-info/PKG-INFO",
		 "Metadata-Version: 2.1\nName: idna\nVersion: 3.4\n");
	lt_write(root, "usr/local/lib/python3.11/site-packages/attrs-21.2.0.dist-info/METADATA",
		 "Metadata-Version: 2.1\nName: attrs\nVersion: 21.2.0\n");
	lt_write(root, "usr/local/lib/python3.11/site-packages/old-1.0-py3.8.egg/EGG-INFO/PKG-INFO",
		 "Metadata-Version: 1.0\nName: old\nVersion: 1.0\n");
	/* Not in site-packages: not an installed package. */
	lt_write(root, "opt/src/stray.dist-info/METADATA", "Name: stray\nVersion: 1\n");
	/* A package's own requirements file inside site-packages. */
	lt_write(root, "usr/local/lib/python3.11/site-packages/attrs/requirements.txt", "inside==1.0\n");
	/* An application's lockfiles: read in a project, not in an image. */
	lt_write(root, "app/requirements.txt", "flask==2.0.1\n");
	lt_write(root, "app/poetry.lock", poetry_v1);
}

static void test_rootfs_installed(void **state)
{
	(void)state;
	char dir[256];
	lt_tmpdir(dir, sizeof dir);
	write_site(dir);
	struct artifact a;
	lt_scan("rootfs", dir, &a);
	assert_int_equal(lt_count(&a, PKG_PYPI), 5);
	const struct package *p = lt_must(&a, PKG_PYPI, "PyYAML", "6.0");
	assert_string_equal(p->owner, "python3-yaml");
	assert_string_equal(p->found_in, "usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA");
	assert_string_equal(p->purl, "pkg:pypi/pyyaml@6.0");
	assert_string_equal(p->license, "MIT");
	assert_int_equal(p->layer, 0);
	p = lt_must(&a, PKG_PYPI, "six", "1.16.0");
	assert_string_equal(p->owner, "python3-six");
	assert_string_equal(p->found_in, "usr/lib/python3/dist-packages/six-1.16.0.egg-info");
	assert_null(lt_must(&a, PKG_PYPI, "idna", "3.4")->owner);
	assert_null(lt_must(&a, PKG_PYPI, "attrs", "21.2.0")->owner);
	lt_must(&a, PKG_PYPI, "old", "1.0");
	artifact_free(&a);

	/* The same tree as a project: lockfiles count too. */
	lt_scan("fs", dir, &a);
	lt_must(&a, PKG_PYPI, "flask", "2.0.1");
	lt_must(&a, PKG_PYPI, "requests", "2.25.1");
	assert_null(lt_find(&a, PKG_PYPI, "inside", NULL));
	assert_null(lt_find(&a, PKG_PYPI, "stray", NULL));
	assert_int_equal(lt_count(&a, PKG_PYPI), 5 + 1 + 4);
	artifact_free(&a);
	lt_rmrf(dir);
}

static void test_project_includes(void **state)
{
	(void)state;
	char dir[256];
	lt_tmpdir(dir, sizeof dir);
	lt_write(dir, "requirements.txt",
		 "-r requirements/base.txt\nflask==2.0.1\n-r ../outside.txt\n-r /etc/passwd\n"
		 "-r https://example.com/r.txt\n-r missing.txt\n-r notes.txt\n");
	/* Includes back: each file is read once. */
	lt_write(dir, "requirements/base.txt", "requests==2.25.1\n-r ../requirements.txt\n-r ./dev.txt\n");
	lt_write(dir, "requirements/dev.txt", "pytest==6.2.4\n");
	lt_write(dir, "notes.txt", "notread==1.0\n");
	lt_write(dir, "sub/dev-requirements.txt", "black==22.3.0\n");
	struct artifact a;
	lt_scan("fs", dir, &a);
	assert_string_equal(lt_must(&a, PKG_PYPI, "flask", "2.0.1")->found_in, "requirements.txt");
	assert_string_equal(lt_must(&a, PKG_PYPI, "requests", "2.25.1")->found_in, "requirements/base.txt");
	assert_string_equal(lt_must(&a, PKG_PYPI, "pytest", "6.2.4")->found_in, "requirements/dev.txt");
	assert_string_equal(lt_must(&a, PKG_PYPI, "black", "22.3.0")->found_in, "sub/dev-requirements.txt");
	assert_null(lt_find(&a, PKG_PYPI, "notread", NULL));
	assert_int_equal(lt_count(&a, PKG_PYPI), 4);
	assert_true(lt_warned(&a, "include \"../outside.txt\" leaves the project"));
	assert_true(lt_warned(&a, "include \"/etc/passwd\" is not a file of the project"));
	assert_true(lt_warned(&a, "include \"https://example.com/r.txt\" is not a file of the project"));
	assert_true(lt_warned(&a, "included missing.txt does not exist"));
	assert_true(lt_warned(&a, "included notes.txt was not read"));
	artifact_free(&a);
	/* Any number of bad includes: ten warnings and a count. */
	char many[4096] = "";
	for (int i = 0; i < 100; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), "-r gone%d.txt\n", i);
	lt_write(dir, "requirements.txt", many);
	lt_scan("fs", dir, &a);
	size_t n = 0;
	for (size_t i = 0; i < a.nwarnings; i++)
		n += strstr(a.warnings[i], "does not exist") != NULL;
	assert_int_equal(n, 10);
	assert_true(lt_warned(&a, "90 more warnings about includes not shown"));
	artifact_free(&a);
	lt_rmrf(dir);
}

/* The lockfiles of a project next to their manifests, in subdirectories. */
static void test_project_locks(void **state)
{
	(void)state;
	char dir[256];
	lt_tmpdir(dir, sizeof dir);
	lt_write(dir, "svc/poetry.lock", poetry_v1);
	lt_write(dir, "svc/pyproject.toml", pyproject);
	lt_write(dir, "uvproj/uv.lock", uv_lock);
	lt_write(dir, "pipenv/Pipfile.lock", "{\"default\": {\"six\": {\"version\": \"==1.15.0\"}}, \"develop\": {}}");
	lt_write(dir, "pipenv/Pipfile", "[packages]\nsix = \"*\"\n");
	/* A wanted name linking to a file nobody wanted: the walker captured
	 * no content under either name, so there is nothing to read. */
	lt_write(dir, "data/prod.txt", "linked==1.0\n");
	char link[512];
	snprintf(link, sizeof link, "%s/requirements.txt", dir);
	assert_int_equal(symlink("data/prod.txt", link), 0);
	struct artifact a;
	lt_scan("fs", dir, &a);
	assert_null(lt_find(&a, PKG_PYPI, "linked", NULL));
	assert_string_equal(lt_must(&a, PKG_PYPI, "certifi", "2023.7.22")->relationship, "indirect");
	assert_string_equal(lt_must(&a, PKG_PYPI, "pytest", "7.4.0")->found_in, "svc/poetry.lock");
	assert_string_equal(lt_must(&a, PKG_PYPI, "pytest", "8.3.3")->found_in, "uvproj/uv.lock");
	const struct package *p = lt_must(&a, PKG_PYPI, "six", "1.15.0");
	assert_string_equal(p->relationship, "direct");
	assert_string_equal(p->found_in, "pipenv/Pipfile.lock");
	assert_int_equal(lt_count(&a, PKG_PYPI), 4 + 8 + 1);
	artifact_free(&a);
	lt_rmrf(dir);
}

/* ---- matching: PyPI packages the distro installed ---- */

static void db_put(struct vulndb *db, const char *src, const char *id, const char *eco, const char *pkg,
		   const char *fixed)
{
	struct berr e = { 0 };
	struct vulndb_source s = { .name = src, .origin = "test", .snapshot = "2024-01-01" };
	struct vuln_record v = { .id = id, .summary = id };
	struct affect_range r = { .introduced = "0", .fixed = fixed };
	struct affected_record ar = { .vuln_id = id, .ecosystem = eco, .package = pkg, .ranges = &r, .nranges = 1 };
	if (vulndb_source_begin(db, &s, &e) || vulndb_put_vuln(db, &v, &e) || vulndb_put_affected(db, &ar, &e) ||
	    vulndb_source_commit(db, &e))
		fail_msg("db: %s", e.msg);
}

static void add(struct artifact *a, enum pkg_type t, const char *name, const char *version, const char *src,
		const char *owner)
{
	struct package *p = artifact_add_package(a);
	p->type = t;
	p->name = arena_strdup(&a->arena, name);
	p->version = arena_strdup(&a->arena, version);
	p->source_name = arena_strdup(&a->arena, src);
	p->source_version = p->version;
	p->owner = arena_strdup(&a->arena, owner);
}

static size_t findings_for(struct vulndb *db, const struct artifact *a, const char *name, const char *id)
{
	struct match_result r;
	struct berr e = { 0 };
	if (match_artifact(db, a, &r, &e) != BOSUN_OK)
		fail_msg("match: %s", e.msg);
	size_t n = 0;
	for (size_t i = 0; i < r.n; i++)
		n += strcmp(a->pkgs[r.v[i].pkg].name, name) == 0 && strcmp(r.v[i].id, id) == 0;
	match_result_free(&r);
	return n;
}

static void build_artifact(struct artifact *a, const char *owner, bool os_known)
{
	artifact_init(a);
	a->silent = true;
	if (os_known) {
		a->os.found = true;
		a->os.id = a->os.family = "debian";
		a->os.version_id = "12";
		a->os.codename = "bookworm";
	}
	/* Debian's binary python3-yaml from source pyyaml; PyYAML's
	 * dist-info is in its file list. */
	add(a, PKG_DEB, "python3-yaml", "5.4.1-1", "pyyaml", NULL);
	add(a, PKG_PYPI, "PyYAML", "5.4.1", NULL, owner);
}

static void test_match_owned(void **state)
{
	(void)state;
	struct vulndb *db = NULL;
	struct berr e = { 0 };
	assert_int_equal(vulndb_open(":memory:", true, &db, &e), BOSUN_OK);
	/* PyPI: every pyyaml before 6.0 (looked up by PEP 503 name). */
	db_put(db, "osv-pypi", "PYSEC-TEST-1", "pypi", "pyyaml", "6.0");
	struct artifact a;
	/* Debian has no entry for pyyaml: it does not track it, so the PyPI
	 * advisory is all there is and stays. */
	build_artifact(&a, "python3-yaml", true);
	assert_int_equal(findings_for(db, &a, "PyYAML", "PYSEC-TEST-1"), 1);
	artifact_free(&a);
	/* Debian 12 tracks pyyaml (fixed in 5.4.1-2): the OS package carries
	 * the finding, the PyPI view of the same files is not matched. */
	db_put(db, "debian", "CVE-TEST-1", "debian:12", "pyyaml", "5.4.1-2");
	build_artifact(&a, "python3-yaml", true);
	assert_int_equal(findings_for(db, &a, "python3-yaml", "CVE-TEST-1"), 1);
	assert_int_equal(findings_for(db, &a, "PyYAML", "PYSEC-TEST-1"), 0);
	struct match_result r;
	assert_int_equal(match_artifact(db, &a, &r, &e), BOSUN_OK);
	bool said = false;
	for (size_t i = 0; i < r.nwarnings; i++)
		said |= strstr(r.warnings[i], "installed by an OS package") != NULL;
	assert_true(said);
	match_result_free(&r);
	artifact_free(&a);
	/* Not installed by an OS package (pip install): matched. */
	build_artifact(&a, NULL, true);
	assert_int_equal(findings_for(db, &a, "PyYAML", "PYSEC-TEST-1"), 1);
	artifact_free(&a);
	/* Unknown OS: no distro feed to defer to. */
	build_artifact(&a, "python3-yaml", false);
	assert_int_equal(findings_for(db, &a, "PyYAML", "PYSEC-TEST-1"), 1);
	artifact_free(&a);
	/* An owner that is not among the packages. */
	build_artifact(&a, "python3-other", true);
	assert_int_equal(findings_for(db, &a, "PyYAML", "PYSEC-TEST-1"), 1);
	artifact_free(&a);
	vulndb_close(db);
}

/* ---- the big image: 12 Python packages, every one dpkg's ---- */

static void test_big_image(void **state)
{
	(void)state;
	const char *images = getenv("BOSUN_IMAGES") ? getenv("BOSUN_IMAGES") : "/var/tmp/bosun-images";
	char tar[1024], tsv[1024];
	snprintf(tar, sizeof tar, "%s/docker/big.tar", images);
	snprintf(tsv, sizeof tsv, "%s/truth/big/python-pkgs.tsv", images);
	if (access(tar, R_OK) != 0 || access(tsv, R_OK) != 0) {
		print_message("big image not built (%s): skipped\n", tar);
		skip();
	}
	struct scan_options opt;
	scan_options_default(&opt);
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	struct berr e = { 0 };
	if (scan_target(tar, &opt, &a, &e) != BOSUN_OK)
		fail_msg("scan big: %s", e.msg);
	size_t len, rows = 0;
	char *truth = (char *)test_read_file(tsv, &len);
	for (char *line = strtok(truth, "\n"); line; line = strtok(NULL, "\n")) {
		char path[512], name[128], version[128], owner[128];
		if (sscanf(line, "%511[^\t]\t%127[^\t]\t%127[^\t]\t%127s", path, name, version, owner) != 4)
			fail_msg("bad truth line %s", line);
		const struct package *p = lt_must(&a, PKG_PYPI, name, version);
		lt_str_eq(p->found_in, path + 1, name);
		lt_str_eq(p->owner, owner, name);
		rows++;
	}
	assert_int_equal(rows, 12);
	assert_int_equal(lt_count(&a, PKG_PYPI), rows);
	print_message("big: %zu Python packages with their dpkg owners\n", rows);
	free(truth);
	artifact_free(&a);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),	  cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_metadata_licenses), cmocka_unit_test(test_metadata_header),
		cmocka_unit_test(test_requirements),	  cmocka_unit_test(test_toml),
		cmocka_unit_test(test_poetry),		  cmocka_unit_test(test_pipfile),
		cmocka_unit_test(test_uv),		  cmocka_unit_test(test_rootfs_installed),
		cmocka_unit_test(test_project_includes),  cmocka_unit_test(test_project_locks),
		cmocka_unit_test(test_match_owned),	  cmocka_unit_test(test_big_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
