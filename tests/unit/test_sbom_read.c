/* Reading SBOMs back (src/sbom/read.h): purl parsing at its edges, the
 * language purls and match keys, bosun's own CycloneDX and SPDX of the real
 * debian-layers image read back into the artifact that wrote them, what is
 * taken from Trivy's and Syft's conventions, and malformed documents. */
#include "testutil.h"

#include <unistd.h>

#include "match/match.h"
#include "sbom/purl.h"
#include "sbom/read.h"
#include "sbom/writer.h"
#include "scan/scan.h"

/* ---- purl parsing ---------------------------------------------------------------- */

static void expect_purl(const char *s, const char *type, const char *ns, const char *name, const char *version)
{
	struct arena ar = { 0 };
	struct purl p;
	struct berr e = { 0 };
	if (purl_parse(&ar, s, &p, &e) != BOSUN_OK)
		fail_msg("%s: %s", s, e.msg);
	assert_string_equal(p.type, type);
	if (ns)
		assert_string_equal(p.ns, ns);
	else
		assert_null(p.ns);
	assert_string_equal(p.name, name);
	if (version)
		assert_string_equal(p.version, version);
	else
		assert_null(p.version);
	arena_free(&ar);
}

static void expect_bad(const char *s, int code, const char *why)
{
	struct arena ar = { 0 };
	struct purl p;
	struct berr e = { 0 };
	int rc = purl_parse(&ar, s, &p, &e);
	if (rc != code)
		fail_msg("%s: got %d (%s), want %d", s, rc, e.msg, code);
	if (why && !strstr(e.msg, why))
		fail_msg("%s: message \"%s\" lacks \"%s\"", s, e.msg, why);
	arena_free(&ar);
}

static void test_purl_parse(void **state)
{
	(void)state;
	expect_purl("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12", "deb", "debian", "libc6",
		    "2.36-9+deb12u4");
	/* Syft leaves '+' literal; '+' is never a space in purls. */
	expect_purl("pkg:deb/debian/tzdata@2021a-0+deb10u1?arch=all", "deb", "debian", "tzdata", "2021a-0+deb10u1");
	/* Scheme and type are case-insensitive; "pkg://" and empty segments are tolerated. */
	expect_purl("PKG://RPM//redhat//bash@5.1.8-6.el9", "rpm", "redhat", "bash", "5.1.8-6.el9");
	/* npm scope encoded (spec) and literal (Trivy), with and without a version. */
	expect_purl("pkg:npm/%40babel/core@7.23.0", "npm", "@babel", "core", "7.23.0");
	expect_purl("pkg:npm/@example/bootstrap@5.0.2", "npm", "@example", "bootstrap", "5.0.2");
	expect_purl("pkg:npm/@example/bootstrap", "npm", "@example", "bootstrap", NULL);
	expect_purl("pkg:golang/github.com/package-url/packageurl-go@v0.1.1-0.20220203205134-d70459300c8a", "golang",
		    "github.com/package-url", "packageurl-go", "v0.1.1-0.20220203205134-d70459300c8a");
	expect_purl("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar#sub/./x/../y/", "maven",
		    "org.apache.logging.log4j", "log4j-core", "2.14.1");
	expect_purl("pkg:pypi/Django_Rest@3.0", "pypi", NULL, "Django_Rest", "3.0");
	expect_purl("pkg:deb/debian/login@1:4.13%2Bdfsg1-1%2Bb1", "deb", "debian", "login", "1:4.13+dfsg1-1+b1");
	/* Trailing slashes go before the name is split off (the spec's rule). */
	expect_purl("pkg:deb/debian/", "deb", NULL, "debian", NULL);
	/* An empty version is no version. */
	expect_purl("pkg:generic/openssl@/", "generic", NULL, "openssl", NULL);

	struct arena ar = { 0 };
	struct purl p;
	struct berr e = { 0 };
	assert_int_equal(purl_parse(&ar, "pkg:rpm/fedora/curl@7.50.3?Arch=i386&EPOCH=1&empty=&upstream=curl%40x#a/../b",
				    &p, &e), BOSUN_OK);
	assert_int_equal(p.nq, 3); /* empty values are dropped */
	assert_string_equal(purl_qualifier(&p, "arch"), "i386");
	assert_string_equal(purl_qualifier(&p, "epoch"), "1");
	assert_string_equal(purl_qualifier(&p, "upstream"), "curl@x");
	assert_null(purl_qualifier(&p, "empty"));
	assert_string_equal(p.subpath, "a/b");
	arena_free(&ar);

	expect_bad("", BOSUN_EFORMAT, "scheme");
	expect_bad("pkg:", BOSUN_EFORMAT, NULL);
	expect_bad("pkg:deb", BOSUN_EFORMAT, "no name");
	expect_bad("http://example.com/x", BOSUN_EFORMAT, "scheme");
	expect_bad("pkg:1deb/x@1", BOSUN_EFORMAT, "type");
	expect_bad("pkg:de%62/x@1", BOSUN_EFORMAT, "type");
	expect_bad("pkg:deb/", BOSUN_EFORMAT, "empty name");
	expect_bad("pkg:deb//", BOSUN_EFORMAT, "empty name");
	expect_bad("pkg:deb/debian/@1.0", BOSUN_EFORMAT, "empty name");
	expect_bad("pkg:deb/debian/x%G1@1", BOSUN_EFORMAT, "percent");
	expect_bad("pkg:deb/debian/x%2", BOSUN_EFORMAT, "percent");
	expect_bad("pkg:deb/debian/x%", BOSUN_EFORMAT, "percent");
	expect_bad("pkg:deb/debian/x%00y@1", BOSUN_EFORMAT, "NUL");
	expect_bad("pkg:deb/de%2Fbian/x@1", BOSUN_EFORMAT, "'/'");
	expect_bad("pkg:deb/debian/x@1?arch=a&arch=b", BOSUN_EFORMAT, "twice");
	expect_bad("pkg:deb/debian/x@1?ar ch=a", BOSUN_EFORMAT, "key");
	expect_bad("pkg:deb/debian/x@1?=a", BOSUN_EFORMAT, "key=value");
	expect_bad("pkg:deb/debian/x@1?novalue", BOSUN_EFORMAT, "key=value");

	/* Bounds: length and qualifier count. */
	char long_purl[PURL_MAX_LEN + 64];
	memset(long_purl, 'a', sizeof long_purl - 1);
	long_purl[sizeof long_purl - 1] = '\0';
	memcpy(long_purl, "pkg:deb/x/", 10);
	expect_bad(long_purl, BOSUN_ELIMIT, "longer");
	char many[2048] = "pkg:deb/x/y@1?";
	for (int i = 0; i <= PURL_MAX_QUALIFIERS; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), "%sk%d=v", i ? "&" : "", i);
	expect_bad(many, BOSUN_ELIMIT, "qualifiers");
}

/* purl_for_package output parses back into what it was built from. */
static void test_purl_round_trip(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	struct os_info os = { .found = true, .id = "rhel", .version_id = "9.3" };
	struct package p = { .type = PKG_RPM, .name = "openssl-libs", .version = "1:3.0.7-24.el9", .epoch = 1,
			     .arch = "x86_64", .layer = -1 };
	const char *s = purl_for_package(&ar, &p, &os);
	struct purl pu;
	struct berr e = { 0 };
	assert_int_equal(purl_parse(&ar, s, &pu, &e), BOSUN_OK);
	assert_string_equal(pu.ns, "redhat");
	assert_string_equal(pu.version, "3.0.7-24.el9");
	assert_string_equal(purl_qualifier(&pu, "epoch"), "1");
	assert_string_equal(purl_qualifier(&pu, "distro"), "rhel-9.3");
	arena_free(&ar);
}

/* ---- language packages: purls and match keys ----------------------------------------- */

static const char *lang_purl(struct arena *ar, enum pkg_type t, const char *name, const char *version)
{
	struct package p = { .type = t, .name = (char *)name, .version = (char *)version, .epoch = -1, .layer = -1 };
	struct os_info os = { .found = true, .id = "debian", .version_id = "12", .family = "debian" };
	const char *s = purl_for_package(ar, &p, &os);
	assert_non_null(s);
	assert_false(purl_os_applies(&p, &os));
	return s;
}

static void test_lang_purls(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	assert_string_equal(lang_purl(&ar, PKG_NPM, "@babel/core", "7.23.0"), "pkg:npm/%40babel/core@7.23.0");
	assert_string_equal(lang_purl(&ar, PKG_NPM, "lodash", "4.17.20"), "pkg:npm/lodash@4.17.20");
	assert_string_equal(lang_purl(&ar, PKG_PYPI, "Django_Rest", "3.0"), "pkg:pypi/django-rest@3.0");
	assert_string_equal(lang_purl(&ar, PKG_MAVEN, "org.apache.logging.log4j:log4j-core", "2.14.1"),
			    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
	assert_string_equal(lang_purl(&ar, PKG_GOLANG, "github.com/gin-gonic/gin", "v1.9.0"),
			    "pkg:golang/github.com/gin-gonic/gin@v1.9.0");
	assert_string_equal(lang_purl(&ar, PKG_GOLANG, "stdlib", "go1.21.3"), "pkg:golang/stdlib@go1.21.3");
	assert_string_equal(lang_purl(&ar, PKG_CARGO, "serde", "1.0.0"), "pkg:cargo/serde@1.0.0");
	assert_string_equal(lang_purl(&ar, PKG_GEM, "rails", "7.0.0"), "pkg:gem/rails@7.0.0");
	assert_string_equal(lang_purl(&ar, PKG_COMPOSER, "laravel/framework", "v9.0.0"),
			    "pkg:composer/laravel/framework@v9.0.0");
	assert_string_equal(lang_purl(&ar, PKG_NUGET, "Newtonsoft.Json", "13.0.1"),
			    "pkg:nuget/Newtonsoft.Json@13.0.1");
	for (int t = 0; t < PKG_TYPE_COUNT; t++) {
		enum pkg_type back;
		assert_true(pkg_type_from_purl(pkg_type_name((enum pkg_type)t), &back));
		assert_int_equal(back, t);
	}
	enum pkg_type x;
	assert_false(pkg_type_from_purl("oci", &x));
	arena_free(&ar);
}

static void expect_key(enum pkg_type t, const char *name, const char *eco, const char *scheme, const char *key_name)
{
	struct package p = { .type = t, .name = (char *)name, .version = "1.0.0", .epoch = -1, .layer = -1 };
	struct os_info os = { .found = true, .id = "alpine", .version_id = "3.19.1", .family = "alpine" };
	struct match_key k;
	if (!match_key(&p, &os, &k))
		fail_msg("%s: no key: %s", name, k.why);
	assert_string_equal(k.ecosystem, eco);
	assert_string_equal(k.scheme, scheme);
	assert_string_equal(k.name, key_name);
	assert_string_equal(k.version, "1.0.0");
}

/* Language packages are looked up in their feed's ecosystem whatever the
 * OS, by the name the feeds use (docs/matching.md). */
static void test_lang_match_keys(void **state)
{
	(void)state;
	expect_key(PKG_NPM, "@babel/core", "npm", "npm", "@babel/core");
	expect_key(PKG_PYPI, "Django_REST..framework", "pypi", "pypi", "django-rest-framework");
	expect_key(PKG_MAVEN, "org.apache.logging.log4j:log4j-core", "maven", "maven", "org.apache.logging.log4j:log4j-core");
	expect_key(PKG_GOLANG, "github.com/BurntSushi/toml", "go", "golang", "github.com/BurntSushi/toml");
	expect_key(PKG_CARGO, "serde", "crates.io", "cargo", "serde");
	expect_key(PKG_GEM, "rails", "rubygems", "gem", "rails");
	expect_key(PKG_COMPOSER, "Symfony/Http-Kernel", "packagist", match_scheme_for("packagist"), "symfony/http-kernel");
	expect_key(PKG_NUGET, "Newtonsoft.Json", "nuget", "nuget", "newtonsoft.json");
	char big[400];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	struct package p = { .type = PKG_NPM, .name = big, .version = "1.0.0", .epoch = -1, .layer = -1 };
	struct os_info os = { 0 };
	struct match_key k;
	assert_false(match_key(&p, &os, &k));
	assert_non_null(strstr(k.why, "too long"));
}

/* ---- round trip on the real image ------------------------------------------------------ */

static const char *images_dir(void)
{
	const char *s = getenv("BOSUN_IMAGES");
	return s && *s ? s : "/var/tmp/bosun-images";
}

static char *write_mem(const struct artifact *a, enum sbom_format f, size_t *n)
{
	char *data = NULL;
	FILE *m = open_memstream(&data, n);
	assert_non_null(m);
	struct berr e = { 0 };
	if (sbom_write(a, f, m, &e) != BOSUN_OK)
		fail_msg("write: %s", e.msg);
	fclose(m);
	return data;
}

static void same_str(const char *what, const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		fail_msg("%s: \"%s\" != \"%s\"", what, a ? a : "(null)", b ? b : "(null)");
}

static void same_artifact(const struct artifact *want, const struct artifact *got)
{
	assert_int_equal(got->npkgs, want->npkgs);
	for (size_t i = 0; i < want->npkgs; i++) {
		const struct package *w = &want->pkgs[i], *g = &got->pkgs[i];
		assert_int_equal(g->type, w->type);
		same_str("name", w->name, g->name);
		same_str(w->name, w->version, g->version);
		assert_int_equal(g->epoch, w->epoch);
		same_str("arch", w->arch, g->arch);
		same_str("source_name", w->source_name, g->source_name);
		same_str("source_version", w->source_version, g->source_version);
		same_str("maintainer", w->maintainer, g->maintainer);
		same_str("found_in", w->found_in, g->found_in);
		same_str("purl", w->purl, g->purl);
		assert_int_equal(g->layer, w->layer);
	}
	assert_int_equal(got->nlayers, want->nlayers);
	for (size_t i = 0; i < want->nlayers; i++)
		same_str("diff_id", want->layers[i].diff_id, got->layers[i].diff_id);
	const struct os_info *wo = &want->os, *go = &got->os;
	assert_int_equal(go->found, wo->found);
	same_str("os id", wo->id, go->id);
	same_str("os version_id", wo->version_id, go->version_id);
	same_str("os version", wo->version, go->version);
	same_str("os codename", wo->codename, go->codename);
	same_str("os family", wo->family, go->family);
	same_str("os pretty", wo->pretty_name, go->pretty_name);
	same_str("name", want->name, got->name);
	same_str("image id", want->image_id, got->image_id);
}

static void test_round_trip_image(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s/oci/debian-layers", images_dir());
	if (access(path, R_OK) != 0) {
		printf("skipped: %s missing (run ../shared/images/build.sh)\n", path);
		return;
	}
	struct scan_options opt;
	scan_options_default(&opt);
	struct artifact want;
	artifact_init(&want);
	want.silent = true;
	struct berr e = { 0 };
	if (scan_target(path, &opt, &want, &e) != BOSUN_OK)
		fail_msg("scan: %s", e.msg);
	assert_true(want.npkgs > 50 && want.nlayers > 1);
	const enum sbom_format formats[] = { SBOM_CYCLONEDX, SBOM_SPDX_JSON };
	for (size_t f = 0; f < 2; f++) {
		size_t n;
		char *doc = write_mem(&want, formats[f], &n);
		struct artifact got;
		artifact_init(&got);
		got.silent = true;
		if (sbom_read_mem(doc, n, SBOM_INPUT_AUTO, "bom", &got, &e) != BOSUN_OK)
			fail_msg("read %s: %s", sbom_format_name(formats[f]), e.msg);
		assert_string_equal(got.target_kind, f == 0 ? "cyclonedx" : "spdx");
		same_artifact(&want, &got);
		assert_int_equal(got.nwarnings, 0);
		artifact_free(&got);
		free(doc);
	}
	artifact_free(&want);
}

/* A directory's SBOM reads back as a directory: no layers, no image. */
static void test_round_trip_directory(void **state)
{
	(void)state;
	struct artifact want;
	artifact_init(&want);
	want.target = arena_strdup(&want.arena, "/srv/root");
	want.target_kind = arena_strdup(&want.arena, "rootfs");
	want.name = arena_strdup(&want.arena, "root");
	want.os = (struct os_info){ .found = true, .id = "alpine", .version_id = "3.19.1", .family = "alpine" };
	struct package *p = artifact_add_package(&want);
	*p = (struct package){ .type = PKG_APK, .name = "musl", .version = "1.2.4-r2", .epoch = -1, .arch = "x86_64",
			       .source_name = "musl", .found_in = "lib/apk/db/installed", .layer = -1 };
	p = artifact_add_package(&want);
	*p = (struct package){ .type = PKG_NPM, .name = "@babel/core", .version = "7.23.0", .epoch = -1, .layer = -1 };
	assert_int_equal(artifact_finish(&want), BOSUN_OK);
	for (int f = 0; f < 2; f++) {
		size_t n;
		char *doc = write_mem(&want, f ? SBOM_SPDX_JSON : SBOM_CYCLONEDX, &n);
		struct artifact got;
		artifact_init(&got);
		struct berr e = { 0 };
		if (sbom_read_mem(doc, n, SBOM_INPUT_AUTO, "bom", &got, &e) != BOSUN_OK)
			fail_msg("%s", e.msg);
		same_artifact(&want, &got);
		assert_null(got.image_id);
		artifact_free(&got);
		free(doc);
	}
	artifact_free(&want);
}

/* A package's layer means nothing when the document describes a directory
 * (found by the fuzzer: a layer index past the empty layer list). */
static void test_directory_has_no_layers(void **state)
{
	(void)state;
	const char *doc = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"metadata\":{\"component\":"
			  "{\"type\":\"file\",\"name\":\"src\"}},\"components\":[{\"type\":\"library\","
			  "\"purl\":\"pkg:npm/x@1\",\"properties\":[{\"name\":\"aquasecurity:trivy:LayerDiffID\","
			  "\"value\":\"sha256:d0\"}]}]}";
	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	assert_int_equal(sbom_read_mem(doc, strlen(doc), SBOM_INPUT_AUTO, "t.json", &a, &e), BOSUN_OK);
	assert_int_equal(a.npkgs, 1);
	assert_int_equal(a.nlayers, 0);
	assert_int_equal(a.pkgs[0].layer, -1);
	artifact_free(&a);
}

/* ---- other producers ------------------------------------------------------------------------- */

static int read_str(const char *json, struct artifact *a, struct berr *e)
{
	artifact_init(a);
	a->silent = true;
	memset(e, 0, sizeof *e);
	return sbom_read_mem(json, strlen(json), SBOM_INPUT_AUTO, "t.json", a, e);
}

static const struct package *find(const struct artifact *a, const char *name)
{
	for (size_t i = 0; i < a->npkgs; i++)
		if (strcmp(a->pkgs[i].name, name) == 0)
			return &a->pkgs[i];
	fail_msg("package %s not read", name);
	return NULL;
}

/* As Trivy writes an image: DiffIDs on the target, the OS component named
 * by family and point release, source packages split in SrcName,
 * SrcVersion, SrcRelease and SrcEpoch, deb epochs in the version and in
 * epoch=, layers by diff ID. */
static const char trivy_doc[] =
	"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"metadata\":{\"component\":{\"type\":\"container\","
	"\"name\":\"app:1\",\"properties\":[{\"name\":\"aquasecurity:trivy:ImageID\",\"value\":\"sha256:aa\"},"
	"{\"name\":\"aquasecurity:trivy:DiffID\",\"value\":\"sha256:d0\"},"
	"{\"name\":\"aquasecurity:trivy:DiffID\",\"value\":\"sha256:d1\"},"
	"{\"name\":\"aquasecurity:trivy:RepoTag\",\"value\":\"app:1\"}]}},"
	"\"components\":["
	"{\"bom-ref\":\"u1\",\"type\":\"operating-system\",\"name\":\"debian\",\"version\":\"12.4\"},"
	"{\"type\":\"library\",\"name\":\"bash\",\"version\":\"1:5.2.15-2+b2\","
	"\"purl\":\"pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12.4&epoch=1\","
	"\"properties\":[{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"bash\"},"
	"{\"name\":\"aquasecurity:trivy:SrcVersion\",\"value\":\"5.2.15\"},"
	"{\"name\":\"aquasecurity:trivy:SrcRelease\",\"value\":\"2\"},"
	"{\"name\":\"aquasecurity:trivy:SrcEpoch\",\"value\":\"1\"},"
	"{\"name\":\"aquasecurity:trivy:LayerDiffID\",\"value\":\"sha256:d1\"}]},"
	"{\"type\":\"library\",\"name\":\"libc6\",\"version\":\"2.36-9+deb12u3\","
	"\"purl\":\"pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64&distro=debian-12.4\","
	"\"properties\":[{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"glibc\"},"
	"{\"name\":\"aquasecurity:trivy:SrcVersion\",\"value\":\"2.36\"},"
	"{\"name\":\"aquasecurity:trivy:SrcRelease\",\"value\":\"9+deb12u3\"},"
	"{\"name\":\"aquasecurity:trivy:LayerDiffID\",\"value\":\"sha256:d0\"}]},"
	"{\"type\":\"application\",\"name\":\"app/package-lock.json\",\"components\":["
	"{\"type\":\"library\",\"group\":\"@babel\",\"name\":\"core\",\"version\":\"7.0.0\","
	"\"purl\":\"pkg:npm/@babel/core@7.0.0\",\"properties\":[{\"name\":\"aquasecurity:trivy:FilePath\","
	"\"value\":\"app/package-lock.json\"}]}]},"
	"{\"type\":\"library\",\"name\":\"libc6\",\"version\":\"2.36-9+deb12u3\","
	"\"purl\":\"pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64&distro=debian-12.4\"},"
	"{\"type\":\"library\",\"name\":\"alpine-tool\",\"purl\":\"pkg:oci/tool@sha256%3Aab\"}]}";

static void test_trivy_cyclonedx(void **state)
{
	(void)state;
	struct artifact a;
	struct berr e;
	if (read_str(trivy_doc, &a, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(a.npkgs, 3); /* the duplicate libc6 dropped, the oci purl skipped */
	const struct package *bash = find(&a, "bash");
	assert_string_equal(bash->version, "1:5.2.15-2+b2");
	assert_int_equal(bash->epoch, 1);
	assert_string_equal(bash->source_name, "bash");
	assert_string_equal(bash->source_version, "1:5.2.15-2");
	assert_int_equal(bash->layer, 1);
	const struct package *libc = find(&a, "libc6");
	assert_string_equal(libc->source_name, "glibc");
	assert_string_equal(libc->source_version, "2.36-9+deb12u3");
	assert_int_equal(libc->epoch, -1);
	assert_int_equal(libc->layer, 0);
	const struct package *babel = find(&a, "@babel/core");
	assert_int_equal(babel->type, PKG_NPM);
	assert_string_equal(babel->found_in, "app/package-lock.json");
	assert_string_equal(babel->purl, "pkg:npm/%40babel/core@7.0.0");
	assert_true(a.os.found);
	assert_string_equal(a.os.id, "debian");
	assert_string_equal(a.os.version_id, "12.4");
	assert_string_equal(a.os.family, "debian");
	assert_int_equal(a.nlayers, 2);
	assert_string_equal(a.image_id, "sha256:aa");
	assert_int_equal(a.nrepo_tags, 1);
	assert_int_equal(a.nwarnings, 1);
	assert_non_null(strstr(a.warnings[0], "(oci)"));
	struct match_key k;
	assert_true(match_key(libc, &a.os, &k));
	assert_string_equal(k.ecosystem, "debian:12");
	assert_string_equal(k.name, "glibc");
	artifact_free(&a);
}

/* As Syft writes it: no epoch= (the epoch stays in the version), source
 * packages in upstream=, layers by ID without a list, the OS component
 * after the packages and named by os-release ID. */
static const char syft_doc[] =
	"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"metadata\":{\"component\":{\"type\":\"container\","
	"\"name\":\"app\",\"version\":\"sha256:bb\"}},\"components\":["
	"{\"type\":\"library\",\"publisher\":\"GNU Libc Maintainers <debian-glibc@lists.debian.org>\","
	"\"name\":\"libc6\",\"version\":\"2.36-9+deb12u3\","
	"\"purl\":\"pkg:deb/debian/libc6@2.36-9+deb12u3?arch=amd64&upstream=glibc&distro=debian-12\","
	"\"properties\":[{\"name\":\"syft:location:0:layerID\",\"value\":\"sha256:l0\"},"
	"{\"name\":\"syft:location:0:path\",\"value\":\"/var/lib/dpkg/status\"}]},"
	"{\"type\":\"library\",\"name\":\"libwebp7\",\"version\":\"1.2.4-0.2+b1\","
	"\"purl\":\"pkg:deb/debian/libwebp7@1.2.4-0.2%2Bb1?arch=amd64&upstream=libwebp%401.2.4-0.2&distro=debian-12\"},"
	"{\"type\":\"library\",\"name\":\"login\",\"version\":\"1:4.13+dfsg1-1+b1\","
	"\"purl\":\"pkg:deb/debian/login@1:4.13%2Bdfsg1-1%2Bb1?arch=amd64&upstream=shadow&distro=debian-12\","
	"\"properties\":[{\"name\":\"syft:location:0:layerID\",\"value\":\"sha256:l1\"}]},"
	"{\"type\":\"library\",\"name\":\"bash\",\"version\":\"5.1.8-6.el9\","
	"\"purl\":\"pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&epoch=1&upstream=bash-5.1.8-6.el9.src.rpm\"},"
	"{\"type\":\"file\",\"name\":\"/var/lib/dpkg/status\"},"
	"{\"bom-ref\":\"os:debian@12\",\"type\":\"operating-system\",\"name\":\"debian\",\"version\":\"12\","
	"\"description\":\"Debian GNU/Linux 12 (bookworm)\",\"properties\":["
	"{\"name\":\"syft:distro:id\",\"value\":\"debian\"},{\"name\":\"syft:distro:versionID\",\"value\":\"12\"},"
	"{\"name\":\"syft:distro:versionCodename\",\"value\":\"bookworm\"}]}]}";

static void test_syft_cyclonedx(void **state)
{
	(void)state;
	struct artifact a;
	struct berr e;
	if (read_str(syft_doc, &a, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(a.npkgs, 4);
	const struct package *libc = find(&a, "libc6");
	assert_string_equal(libc->source_name, "glibc");
	assert_null(libc->source_version);
	assert_string_equal(libc->maintainer, "GNU Libc Maintainers <debian-glibc@lists.debian.org>");
	assert_string_equal(libc->found_in, "var/lib/dpkg/status");
	assert_int_equal(libc->layer, 0);
	const struct package *webp = find(&a, "libwebp7");
	assert_string_equal(webp->source_name, "libwebp");
	assert_string_equal(webp->source_version, "1.2.4-0.2");
	const struct package *login = find(&a, "login");
	assert_string_equal(login->version, "1:4.13+dfsg1-1+b1");
	assert_int_equal(login->epoch, 1);
	assert_int_equal(login->layer, 1);
	const struct package *bash = find(&a, "bash");
	assert_string_equal(bash->version, "1:5.1.8-6.el9");
	assert_int_equal(bash->epoch, 1);
	assert_string_equal(bash->source_name, "bash");
	assert_string_equal(bash->source_version, "5.1.8-6.el9");
	assert_string_equal(a.os.id, "debian");
	assert_string_equal(a.os.codename, "bookworm");
	assert_string_equal(a.os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	assert_string_equal(a.image_id, "sha256:bb");
	assert_int_equal(a.nlayers, 2);
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
}

static void expect_os(const char *purl, const char *id, const char *version_id, const char *codename)
{
	char doc[1024];
	snprintf(doc, sizeof doc,
		 "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\",\"components\":[{\"type\":\"library\","
		 "\"name\":\"x\",\"version\":\"1\",\"purl\":\"%s\"}]}",
		 purl);
	struct artifact a;
	struct berr e;
	if (read_str(doc, &a, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	if (!id) {
		assert_false(a.os.found);
		artifact_free(&a);
		return;
	}
	assert_true(a.os.found);
	same_str(purl, id, a.os.id);
	same_str(purl, version_id, a.os.version_id);
	same_str(purl, codename, a.os.codename);
	artifact_free(&a);
}

/* Without an OS component, the OS comes from the purls' distro=. */
static void test_os_from_purls(void **state)
{
	(void)state;
	expect_os("pkg:deb/debian/x@1?distro=debian-12", "debian", "12", NULL);
	expect_os("pkg:deb/debian/x@1?distro=debian-12.5", "debian", "12.5", NULL);
	expect_os("pkg:deb/debian/x@1?distro=bookworm", "debian", NULL, "bookworm");
	expect_os("pkg:deb/debian/x@1?distro=debian-trixie", "debian", NULL, "trixie");
	expect_os("pkg:deb/ubuntu/x@1?distro=jammy", "ubuntu", "22.04", "jammy");
	expect_os("pkg:deb/ubuntu/x@1?distro=ubuntu-22.04", "ubuntu", "22.04", NULL);
	expect_os("pkg:apk/alpine/x@1?distro=3.16.0", "alpine", "3.16.0", NULL);
	expect_os("pkg:rpm/redhat/x@1?distro=rhel-9.3", "rhel", "9.3", NULL);
	expect_os("pkg:rpm/opensuse/x@1?distro=opensuse-leap-15.5", "opensuse-leap", "15.5", NULL);
	expect_os("pkg:rpm/redhat/x@1", NULL, NULL, NULL);
	expect_os("pkg:npm/x@1?distro=debian-12", NULL, NULL, NULL); /* not an OS package */

	/* The OS of most packages wins, with a warning. */
	struct artifact a;
	struct berr e;
	const char *doc = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":["
			  "{\"type\":\"library\",\"purl\":\"pkg:deb/debian/a@1?distro=debian-11\"},"
			  "{\"type\":\"library\",\"purl\":\"pkg:deb/debian/b@1?distro=debian-12\"},"
			  "{\"type\":\"library\",\"purl\":\"pkg:deb/debian/c@1?distro=debian-12\"}]}";
	assert_int_equal(read_str(doc, &a, &e), BOSUN_OK);
	assert_string_equal(a.os.version_id, "12");
	assert_int_equal(a.nwarnings, 1);
	artifact_free(&a);
}

/* Trivy's SPDX: the OS by purpose, attributionTexts and annotations
 * "Key: value", sourceInfo for the source package. */
static void test_trivy_spdx(void **state)
{
	(void)state;
	const char *doc =
		"{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"packages\":["
		"{\"SPDXID\":\"SPDXRef-Package-1\",\"name\":\"libc6\",\"versionInfo\":\"2.36-9+deb12u3\","
		"\"sourceInfo\":\"built package from: glibc 2.36-9+deb12u3\",\"supplier\":\"Organization: GNU Libc\","
		"\"licenseDeclared\":\"NOASSERTION\",\"externalRefs\":[{\"referenceCategory\":\"PACKAGE-MANAGER\","
		"\"referenceType\":\"purl\",\"referenceLocator\":\"pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?arch=amd64\"}],"
		"\"annotations\":[{\"annotator\":\"Tool: trivy\",\"comment\":\"LayerDiffID: sha256:d1\"}]},"
		"{\"SPDXID\":\"SPDXRef-ContainerImage-1\",\"name\":\"app:1\",\"primaryPackagePurpose\":\"CONTAINER\","
		"\"attributionTexts\":[\"ImageID: sha256:aa\",\"DiffID: sha256:d0\",\"DiffID: sha256:d1\"]},"
		"{\"SPDXID\":\"SPDXRef-OperatingSystem-1\",\"name\":\"debian\",\"versionInfo\":\"12.4\","
		"\"primaryPackagePurpose\":\"OPERATING-SYSTEM\"},"
		"{\"SPDXID\":\"SPDXRef-Application-1\",\"name\":\"Node.js\",\"versionInfo\":\"node-pkg\"},"
		"{\"SPDXID\":\"SPDXRef-Package-2\",\"name\":\"lodash\",\"versionInfo\":\"4.17.20\","
		"\"externalRefs\":[{\"referenceCategory\":\"PACKAGE_MANAGER\",\"referenceType\":\"purl\","
		"\"referenceLocator\":\"pkg:npm/lodash@4.17.20\"}]}],"
		"\"relationships\":[{\"spdxElementId\":\"SPDXRef-DOCUMENT\",\"relationshipType\":\"DESCRIBES\","
		"\"relatedSpdxElement\":\"SPDXRef-ContainerImage-1\"}]}";
	struct artifact a;
	struct berr e;
	if (read_str(doc, &a, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(a.npkgs, 2);
	const struct package *libc = find(&a, "libc6");
	assert_string_equal(libc->source_name, "glibc");
	assert_string_equal(libc->source_version, "2.36-9+deb12u3");
	assert_string_equal(libc->maintainer, "GNU Libc");
	assert_null(libc->license);
	assert_int_equal(libc->layer, 1);
	assert_string_equal(a.name, "app:1");
	assert_string_equal(a.image_id, "sha256:aa");
	assert_int_equal(a.nlayers, 2);
	assert_string_equal(a.os.id, "debian");
	assert_string_equal(a.os.version_id, "12.4");
	assert_int_equal(find(&a, "lodash")->type, PKG_NPM);
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
}

/* ---- malformed documents ------------------------------------------------------------------------- */

static void expect_error(const char *doc, int code, const char *why)
{
	struct artifact a;
	struct berr e;
	int rc = read_str(doc, &a, &e);
	if (rc != code)
		fail_msg("got %d (%s), want %d for %.80s", rc, e.msg, code, doc);
	if (why && !strstr(e.msg, why))
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, why);
	assert_non_null(strstr(e.msg, "t.json"));
	artifact_free(&a);
}

#define CDX "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","

static void test_malformed(void **state)
{
	(void)state;
	expect_error("{\"bomFormat\":", BOSUN_EFORMAT, "invalid JSON");
	expect_error("[]", BOSUN_EFORMAT, "not a JSON object");
	expect_error("{\"components\":[]}", BOSUN_EFORMAT, "bomFormat");
	expect_error("{\"bomFormat\":\"SWID\"}", BOSUN_EFORMAT, "not an SBOM");
	expect_error("{\"bomFormat\":\"CycloneDX\"}", BOSUN_EFORMAT, "specVersion");
	expect_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"2.0\"}", BOSUN_EUNSUPPORTED, "2.0");
	expect_error("{\"bomFormat\":\"CycloneDX\",\"specVersion\":1.5}", BOSUN_EFORMAT, "specVersion");
	expect_error(CDX "\"components\":{}}", BOSUN_EFORMAT, "components: expected an array");
	expect_error(CDX "\"components\":[1]}", BOSUN_EFORMAT, "components[0]: expected an object");
	expect_error(CDX "\"components\":[{\"type\":\"library\",\"purl\":7}]}", BOSUN_EFORMAT,
		     "components[0].purl: expected a string");
	expect_error(CDX "\"components\":[{\"components\":[{\"name\":[]}]}]}", BOSUN_EFORMAT,
		     "components[0].components[0].name");
	expect_error(CDX "\"components\":[{\"purl\":\"pkg:deb/debian/x%ZZ@1\"}]}", BOSUN_EFORMAT,
		     "components[0]: invalid purl");
	expect_error(CDX "\"components\":[{\"purl\":\"debian/x@1\"}]}", BOSUN_EFORMAT, "scheme");
	expect_error(CDX "\"components\":[{\"purl\":\"pkg:deb/x@1\\u0000\"}]}", BOSUN_EFORMAT, NULL);
	expect_error(CDX "\"metadata\":[]}", BOSUN_EFORMAT, "metadata");
	expect_error(CDX "\"components\":[{\"properties\":[{\"name\":\"bosun:arch\",\"value\":\"x\"},3]}]}",
		     BOSUN_EFORMAT, "properties[1]");
	expect_error("{\"spdxVersion\":\"SPDX-3.0\"}", BOSUN_EUNSUPPORTED, "SPDX-3.0");
	expect_error("{\"spdxVersion\":\"SPDX-2.3\",\"packages\":{}}", BOSUN_EFORMAT, "packages");
	expect_error("{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[\"x\"]}", BOSUN_EFORMAT, "packages[0]");
	expect_error("{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[{\"externalRefs\":[{\"referenceType\":\"purl\","
		     "\"referenceLocator\":\"pkg:\"}]}]}",
		     BOSUN_EFORMAT, "packages[0]: invalid purl");

	/* Nesting bomb: refused before jansson's recursive parser sees it. */
	size_t depth = 100000;
	char *bomb = malloc(depth * 2 + 64);
	strcpy(bomb, CDX "\"components\":");
	size_t n = strlen(bomb);
	for (size_t i = 0; i < depth; i++)
		bomb[n++] = '[';
	for (size_t i = 0; i < depth; i++)
		bomb[n++] = ']';
	strcpy(bomb + n, "}");
	expect_error(bomb, BOSUN_ELIMIT, "nested deeper");
	free(bomb);

	/* Huge strings in the fields used. */
	size_t big = SBOM_READ_MAX_FIELD + 10;
	char *doc = malloc(big + 256);
	snprintf(doc, big + 256, CDX "\"components\":[{\"type\":\"library\",\"name\":\"%0*d\"}]}", (int)big, 0);
	expect_error(doc, BOSUN_ELIMIT, "components[0].name: longer than");
	snprintf(doc, big + 256, CDX "\"components\":[{\"purl\":\"pkg:deb/debian/x@1\",\"properties\":"
		 "[{\"name\":\"bosun:source_name\",\"value\":\"%0*d\"}]}]}", (int)big, 0);
	expect_error(doc, BOSUN_ELIMIT, "longer than");
	/* ... but a long value of a property bosun does not read is nobody's business. */
	snprintf(doc, big + 256, CDX "\"components\":[{\"purl\":\"pkg:deb/debian/x@1\",\"properties\":"
		 "[{\"name\":\"syft:image:labels:x\",\"value\":\"%0*d\"}]}]}", (int)big, 0);
	struct artifact a;
	struct berr e;
	assert_int_equal(read_str(doc, &a, &e), BOSUN_OK);
	assert_int_equal(a.npkgs, 1);
	artifact_free(&a);
	free(doc);

	/* The forced kind must agree with the document. */
	artifact_init(&a);
	const char *spdx = "{\"spdxVersion\":\"SPDX-2.3\"}";
	assert_int_equal(sbom_read_mem(spdx, strlen(spdx), SBOM_INPUT_CYCLONEDX, "t.json", &a, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "not a CycloneDX document"));
	artifact_free(&a);
	/* A UTF-8 byte order mark is fine. */
	const char *bom = "\xef\xbb\xbf" CDX "\"components\":[]}";
	assert_int_equal(read_str(bom, &a, &e), BOSUN_OK);
	artifact_free(&a);
}

static void test_detect(void **state)
{
	(void)state;
	char dir[] = "/tmp/bosun-sbom-read-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char json[4200], tar[4200];
	snprintf(json, sizeof json, "%s/bom.json", dir);
	snprintf(tar, sizeof tar, "%s/image.tar", dir);
	FILE *f = fopen(json, "w");
	fputs("\xef\xbb\xbf \n\t{\"bomFormat\":\"CycloneDX\"}", f);
	fclose(f);
	f = fopen(tar, "w");
	fputs("manifest.json\0\0\0", f);
	fclose(f);
	enum sbom_input kind;
	const char *path;
	assert_true(sbom_read_detect(json, &kind, &path));
	assert_int_equal(kind, SBOM_INPUT_AUTO);
	assert_string_equal(path, json);
	assert_false(sbom_read_detect(tar, &kind, &path));
	assert_false(sbom_read_detect(dir, &kind, &path));
	assert_false(sbom_read_detect("/nonexistent/x.json", &kind, &path));
	assert_true(sbom_read_detect("spdx:/x/y.json", &kind, &path));
	assert_int_equal(kind, SBOM_INPUT_SPDX);
	assert_string_equal(path, "/x/y.json");
	assert_true(sbom_read_detect("cyclonedx:bom.json", &kind, &path));
	assert_int_equal(kind, SBOM_INPUT_CYCLONEDX);
	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	assert_int_equal(sbom_read(json, &a, &e), BOSUN_EFORMAT); /* no specVersion */
	artifact_free(&a);
	artifact_init(&a);
	assert_int_equal(sbom_read("/nonexistent/x.json", &a, &e), BOSUN_ENOTFOUND);
	artifact_free(&a);
	unlink(json);
	unlink(tar);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_purl_parse),
		cmocka_unit_test(test_purl_round_trip),
		cmocka_unit_test(test_lang_purls),
		cmocka_unit_test(test_lang_match_keys),
		cmocka_unit_test(test_round_trip_image),
		cmocka_unit_test(test_round_trip_directory),
		cmocka_unit_test(test_directory_has_no_layers),
		cmocka_unit_test(test_trivy_cyclonedx),
		cmocka_unit_test(test_syft_cyclonedx),
		cmocka_unit_test(test_os_from_purls),
		cmocka_unit_test(test_trivy_spdx),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_detect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
