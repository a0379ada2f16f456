/* The four SBOM writers on hand-built artifacts. CycloneDX and SPDX output
 * is validated against the official schemas (and bosun JSON against
 * docs/bosun-sbom.schema.json) by tests/tools/validate-schema.py, which
 * needs $BOSUN_SHARED; the tests then check the content that matters. */
#include "testutil.h"

#include <ctype.h>
#include <regex.h>
#include <unistd.h>

#include "sbom/purl.h"
#include "sbom/writer.h"

/* ---- building artifacts ----------------------------------------------------- */

static char *S(struct artifact *a, const char *s) { return arena_strdup(&a->arena, s); }

static struct package *add(struct artifact *a, enum pkg_type t, const char *name, const char *version,
			   int epoch, const char *arch, int layer)
{
	struct package *p = artifact_add_package(a);
	assert_non_null(p);
	p->type = t;
	p->name = S(a, name);
	p->version = S(a, version);
	p->epoch = epoch;
	p->arch = arch ? S(a, arch) : NULL;
	p->layer = layer;
	p->found_in = S(a, t == PKG_DEB ? "var/lib/dpkg/status" : t == PKG_APK ? "lib/apk/db/installed"
									     : "var/lib/rpm/rpmdb.sqlite");
	return p;
}

static void set_os(struct artifact *a, const char *id, const char *version_id, const char *pretty)
{
	a->os.found = true;
	a->os.id = S(a, id);
	a->os.version_id = S(a, version_id);
	a->os.version = S(a, version_id);
	a->os.pretty_name = S(a, pretty);
	a->os.family = S(a, id);
	a->os.source = S(a, "etc/os-release");
}

static void set_image(struct artifact *a, const char *name, size_t nlayers)
{
	a->target = S(a, "/tmp/image.tar");
	a->target_kind = S(a, "docker-archive");
	a->name = S(a, name);
	a->image_id = S(a, "sha256:1111111111111111111111111111111111111111111111111111111111111111");
	a->manifest_digest = S(a, "sha256:2222222222222222222222222222222222222222222222222222222222222222");
	a->architecture = S(a, "amd64");
	a->os_name = S(a, "linux");
	a->created = S(a, "2024-05-01T10:00:00.123456789Z");
	a->repo_tags = arena_alloc(&a->arena, sizeof *a->repo_tags);
	a->repo_tags[0] = S(a, name);
	a->nrepo_tags = 1;
	a->layers = arena_alloc(&a->arena, nlayers * sizeof *a->layers);
	memset(a->layers, 0, nlayers * sizeof *a->layers);
	for (size_t i = 0; i < nlayers; i++) {
		struct layer_info *l = &a->layers[i];
		l->digest = arena_printf(&a->arena, "sha256:%064zx", 0xa0 + i);
		l->diff_id = arena_printf(&a->arena, "sha256:%064zx", 0xd0 + i);
		l->media_type = S(a, "application/vnd.docker.image.rootfs.diff.tar.gzip");
		l->size = 1000 + i;
		l->created_by = i ? S(a, "/bin/sh -c apt-get install -y curl") : NULL;
	}
	a->nlayers = nlayers;
}

/* Debian 12 image with the awkward cases: epochs, '+' and '~', licenses
 * that are ids, expressions and prose, a unicode and an invalid-UTF-8
 * maintainer, a package without layer, a stray apk database, the same
 * package in two databases, a very long name, control characters. */
static void debian_image(struct artifact *a)
{
	artifact_init(a);
	set_image(a, "example/app:1.0", 3);
	set_os(a, "debian", "12", "Debian GNU/Linux 12 (bookworm)");
	a->os.codename = S(a, "bookworm");
	a->os.version = S(a, "12.5");

	struct package *p = add(a, PKG_DEB, "libc6", "2.36-9+deb12u4", 0, "amd64", 0);
	p->source_name = S(a, "glibc");
	p->source_version = S(a, "2.36-9+deb12u4");
	p->license = S(a, "LGPL-2.1-or-later");
	p->maintainer = S(a, "GNU Libc Maintainers <debian-glibc@lists.debian.org>");
	p->files = arena_alloc(&a->arena, 2 * sizeof *p->files);
	p->files[0] = S(a, "/lib/x86_64-linux-gnu/libc.so.6");
	p->files[1] = S(a, "/usr/share/doc/libc6/copyright");
	p->nfiles = 2;

	p = add(a, PKG_DEB, "login", "1:4.13+dfsg1-1+b1", 1, "amd64", 0);
	p->source_name = S(a, "shadow");
	p->source_version = S(a, "1:4.13+dfsg1-1");
	p->license = S(a, "GPL-2.0-or-later OR BSD-3-Clause");
	p->maintainer = S(a, "Shadow package maintainers <pkg-shadow-devel@lists.alioth.debian.org>");

	p = add(a, PKG_DEB, "tzdata", "2024a-0+deb12u1", 0, "all", 1);
	p->license = S(a, "public domain, see /usr/share/doc/tzdata/copyright");
	p->maintainer = S(a, "Jos\xc3\xa9 N\xc3\xba\xc3\xb1" "ez <jose@example.org>");

	p = add(a, PKG_DEB, "weird", "1.0~rc1-1~bpo12+1", 0, "amd64", 2);
	p->license = S(a, "GPLv2+ and BSD-like (with odd text) \xe2\x80\x94 see COPYING");
	p->maintainer = S(a, "Bad \xff\xfe Bytes <bad@example.org>");

	p = add(a, PKG_DEB, "libreally-quite-long-package-name-for-the-table-test0", "2.0-1", 0, "amd64", 2);
	p->license = S(a, "mit"); /* listed id in the wrong case */

	p = add(a, PKG_DEB, "nolayer", "1.0-1", 0, "amd64", -1);
	p->license = S(a, "GPL-2.0-only WITH Classpath-exception-2.0");

	/* Same package, second database: same purl, other found_in. */
	p = add(a, PKG_DEB, "libc6", "2.36-9+deb12u4", 0, "amd64", 2);
	p->found_in = S(a, "var/lib/dpkg/status.d/libc6");
	p->license = S(a, "LicenseRef-custom");

	p = add(a, PKG_DEB, "evil\x1b[31mred", "1", 0, "amd64", 1);

	p = add(a, PKG_APK, "musl", "1.2.4-r2", -1, "x86_64", 2);
	p->license = S(a, "MIT");

	artifact_warn(a, "test warning: %s", "something odd");
	assert_int_equal(artifact_finish(a), BOSUN_OK);
}

static void rhel_image(struct artifact *a)
{
	artifact_init(a);
	set_image(a, "registry.example/ubi9:9.3", 1);
	set_os(a, "rhel", "9.3", "Red Hat Enterprise Linux 9.3 (Plow)");
	a->os.id_like = S(a, "fedora");
	struct package *p = add(a, PKG_RPM, "openssl-libs", "1:3.0.7-24.el9", 1, "x86_64", 0);
	p->source_name = S(a, "openssl");
	p->source_version = S(a, "3.0.7-24.el9");
	p->license = S(a, "Apache-2.0 AND (MIT OR GPL-2.0-only)");
	p->vendor = S(a, "Red Hat, Inc.");
	p->maintainer = S(a, "Red Hat, Inc. <http://bugzilla.redhat.com/bugzilla>");
	p = add(a, PKG_RPM, "nodejs", "1:18.19.0-1.module+el9.3.0+21000+deadbeef", 1, "x86_64", 0);
	p->modularity = S(a, "nodejs:18:9030020231121115410:rhel9");
	p->license = S(a, "MIT and ASL 2.0 and ISC and BSD");
	p->vendor = S(a, "Red Hat, Inc.");
	p = add(a, PKG_RPM, "gpg-pubkey", "fd431d51-4ae0493b", -1, NULL, 0);
	p->license = S(a, "pubkey");
	assert_int_equal(artifact_finish(a), BOSUN_OK);
}

static void alpine_image(struct artifact *a)
{
	artifact_init(a);
	set_image(a, "alpine:3.19", 1);
	set_os(a, "alpine", "3.19.1", "Alpine Linux v3.19");
	struct package *p = add(a, PKG_APK, "busybox", "1.36.1-r15", -1, "x86_64", 0);
	p->license = S(a, "GPL-2.0-only");
	p->commit = S(a, "43ba7f1b9b3c3b7d8d3e1c8b2a6c8d1e0f1a2b3c");
	p->maintainer = S(a, "S\xc3\xb6ren Tempel <soeren+alpine@soeren-tempel.net>");
	p = add(a, PKG_APK, "linux-headers", "6.5-r0", -1, "x86_64", 0);
	p->license = S(a, "GPL-2.0-only WITH Linux-syscall-note");
	p = add(a, PKG_APK, "ssl_client", "1.36.1-r15", -1, "x86_64", 0);
	p->source_name = S(a, "busybox");
	p->license = S(a, "MIT BSD GPL2+");
	assert_int_equal(artifact_finish(a), BOSUN_OK);
}

/* A directory whose OS could not be identified: packages still listed,
 * purls without distro=, a warning. */
static void unknown_os_dir(struct artifact *a)
{
	artifact_init(a);
	a->target = S(a, "./rootfs");
	a->target_kind = S(a, "rootfs");
	a->name = S(a, "rootfs");
	a->layers = arena_alloc(&a->arena, sizeof *a->layers);
	memset(a->layers, 0, sizeof *a->layers);
	a->nlayers = 1;
	add(a, PKG_DEB, "bash", "5.2.15-2+b2", 0, "amd64", 0)->license = S(a, "GPL-3.0-or-later");
	add(a, PKG_RPM, "zlib", "1.2.13-150500.4.3.1", -1, "x86_64", 0)->vendor = S(a, "SUSE LLC <https://www.suse.com/>");
	artifact_warn(a, "OS not identified; purls carry no distro");
	assert_int_equal(artifact_finish(a), BOSUN_OK);
}

static void empty_dir(struct artifact *a)
{
	artifact_init(a);
	a->target = S(a, "/srv/empty");
	a->target_kind = S(a, "fs");
	assert_int_equal(artifact_finish(a), BOSUN_OK);
}

/* ---- running the writers ---------------------------------------------------- */

static const struct sbom_options fixed = { 1714557600, "0f8fad5b-d9cb-469f-a165-70867728950e" };

/* Writes a in format f to a new temp file; returns its path (static). */
static const char *write_tmp(const struct artifact *a, enum sbom_format f, const struct sbom_options *o)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/bosun-test-writers-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *out = fdopen(fd, "w");
	assert_non_null(out);
	struct berr e = { 0 };
	int rc = o ? sbom_write_opts(a, f, o, out, &e) : sbom_write(a, f, out, &e);
	if (rc != BOSUN_OK)
		fail_msg("sbom_write %s: %s", sbom_format_name(f), e.msg);
	assert_int_equal(fclose(out), 0);
	return path;
}

static void validate(const char *kind, const char *path)
{
	const char *src = getenv("BOSUN_SRC");
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "BOSUN_SHARED='%s' /usr/bin/python3 '%s/tests/tools/validate-schema.py' %s '%s'",
		 test_shared_dir(), src && *src ? src : ".", kind, path);
	int st = system(cmd);
	if (st != 0)
		fail_msg("%s does not validate as %s (%d); kept for inspection", path, kind, st);
}

static json_t *write_json(const struct artifact *a, enum sbom_format f, const char *kind)
{
	const char *path = write_tmp(a, f, NULL);
	validate(kind, path);
	json_t *doc = test_load_json(path);
	unlink(path);
	return doc;
}

static char *write_text(const struct artifact *a, enum sbom_format f)
{
	const char *path = write_tmp(a, f, NULL);
	size_t n;
	char *text = (char *)test_read_file(path, &n);
	unlink(path);
	return text;
}

static const char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- CycloneDX ---------------------------------------------------------------- */

static const json_t *cdx_component(const json_t *doc, const char *name)
{
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(doc, "components"), i, c)
		if (jstr(c, "name") && strcmp(jstr(c, "name"), name) == 0)
			return c;
	fail_msg("no component %s", name);
	return NULL;
}

static const char *cdx_prop(const json_t *comp, const char *name)
{
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(comp, "properties"), i, p)
		if (strcmp(jstr(p, "name"), name) == 0)
			return jstr(p, "value");
	return NULL;
}

static const json_t *cdx_license(const json_t *comp)
{
	const json_t *l = json_array_get(json_object_get(comp, "licenses"), 0);
	assert_non_null(l);
	return l;
}

static const json_t *cdx_depends_on(const json_t *doc, const char *ref)
{
	size_t i;
	const json_t *d;
	json_array_foreach(json_object_get(doc, "dependencies"), i, d)
		if (strcmp(jstr(d, "ref"), ref) == 0)
			return json_object_get(d, "dependsOn");
	return NULL;
}

static bool array_has(const json_t *arr, const char *s)
{
	size_t i;
	const json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

static void check_cdx_refs_unique(const json_t *doc)
{
	const json_t *comps = json_object_get(doc, "components");
	size_t n = json_array_size(comps);
	for (size_t i = 0; i < n; i++) {
		const char *r = jstr(json_array_get(comps, i), "bom-ref");
		assert_non_null(r);
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(r, jstr(json_array_get(comps, j), "bom-ref"));
	}
}

static void test_cyclonedx_debian(void **state)
{
	(void)state;
	struct artifact a;
	debian_image(&a);
	json_t *doc = write_json(&a, SBOM_CYCLONEDX, "cyclonedx");
	assert_string_equal(jstr(doc, "specVersion"), "1.6");
	assert_int_equal(strncmp(jstr(doc, "serialNumber"), "urn:uuid:", 9), 0);

	const json_t *md = json_object_get(doc, "metadata");
	const json_t *root = json_object_get(md, "component");
	assert_string_equal(jstr(root, "type"), "container");
	assert_string_equal(jstr(root, "name"), "example/app:1.0");
	assert_string_equal(cdx_prop(root, "bosun:image:id"), a.image_id);
	assert_string_equal(cdx_prop(root, "bosun:image:repo_tag"), "example/app:1.0");
	const json_t *tool = json_array_get(json_object_get(json_object_get(md, "tools"), "components"), 0);
	assert_string_equal(jstr(tool, "name"), "bosun");

	/* The OS, as Trivy writes it. */
	const json_t *os = json_array_get(json_object_get(doc, "components"), 0);
	assert_string_equal(jstr(os, "type"), "operating-system");
	assert_string_equal(jstr(os, "name"), "debian");
	assert_string_equal(jstr(os, "version"), "12");

	/* Packages: purl and bom-ref, properties. */
	const json_t *libc = cdx_component(doc, "libc6");
	assert_string_equal(jstr(libc, "type"), "library");
	assert_string_equal(jstr(libc, "purl"), "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
	assert_string_equal(jstr(libc, "bom-ref"), jstr(libc, "purl"));
	assert_string_equal(cdx_prop(libc, "bosun:source_name"), "glibc");
	assert_string_equal(cdx_prop(libc, "bosun:layer:index"), "0");
	assert_string_equal(cdx_prop(libc, "bosun:layer:diffID"), a.layers[0].diff_id);
	assert_string_equal(cdx_prop(libc, "bosun:found_in"), "var/lib/dpkg/status");
	assert_string_equal(jstr(json_object_get(libc, "supplier"), "name"),
			    "GNU Libc Maintainers <debian-glibc@lists.debian.org>");
	assert_string_equal(jstr(json_object_get(cdx_license(libc), "license"), "id"), "LGPL-2.1-or-later");
	check_cdx_refs_unique(doc);

	/* Licenses: expression, listed id in canonical case, prose as name. */
	assert_string_equal(jstr(cdx_license(cdx_component(doc, "login")), "expression"),
			    "GPL-2.0-or-later OR BSD-3-Clause");
	assert_string_equal(jstr(cdx_license(cdx_component(doc, "nolayer")), "expression"),
			    "GPL-2.0-only WITH Classpath-exception-2.0");
	assert_string_equal(jstr(json_object_get(cdx_license(cdx_component(doc,
				"libreally-quite-long-package-name-for-the-table-test0")), "license"), "id"), "MIT");
	assert_string_equal(jstr(json_object_get(cdx_license(cdx_component(doc, "tzdata")), "license"), "name"),
			    "public domain, see /usr/share/doc/tzdata/copyright");
	/* Unicode survives; invalid UTF-8 is repaired, not dropped. */
	assert_string_equal(jstr(json_object_get(cdx_component(doc, "tzdata"), "supplier"), "name"),
			    "Jos\xc3\xa9 N\xc3\xba\xc3\xb1" "ez <jose@example.org>");
	assert_string_equal(jstr(json_object_get(cdx_component(doc, "weird"), "supplier"), "name"),
			    "Bad \xef\xbf\xbd\xef\xbf\xbd Bytes <bad@example.org>");
	/* No layer, no layer properties. */
	assert_null(cdx_prop(cdx_component(doc, "nolayer"), "bosun:layer:index"));

	/* Dependencies: root -> OS -> its packages; the stray apk hangs off
	 * the root. */
	const char *root_ref = jstr(root, "bom-ref");
	const json_t *root_deps = cdx_depends_on(doc, root_ref);
	assert_true(array_has(root_deps, jstr(os, "bom-ref")));
	assert_true(array_has(root_deps, jstr(cdx_component(doc, "musl"), "bom-ref")));
	const json_t *os_deps = cdx_depends_on(doc, jstr(os, "bom-ref"));
	assert_true(array_has(os_deps, jstr(libc, "bom-ref")));
	assert_int_equal(json_array_size(os_deps) + json_array_size(root_deps), a.npkgs + 1);
	assert_null(cdx_depends_on(doc, jstr(libc, "bom-ref")));
	json_decref(doc);
	artifact_free(&a);
}

/* The same purl from two databases: both listed, bom-refs told apart. */
static void test_cyclonedx_duplicate_purl(void **state)
{
	(void)state;
	struct artifact a;
	debian_image(&a);
	json_t *doc = write_json(&a, SBOM_CYCLONEDX, "cyclonedx");
	size_t i, n = 0;
	const json_t *c;
	const char *refs[2] = { 0 };
	json_array_foreach(json_object_get(doc, "components"), i, c) {
		if (strcmp(jstr(c, "name"), "libc6") == 0) {
			assert_true(n < 2);
			refs[n++] = jstr(c, "bom-ref");
		}
	}
	assert_int_equal(n, 2);
	assert_string_equal(refs[0], "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
	assert_string_equal(refs[1], "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"
				     "&file_path=var%2Flib%2Fdpkg%2Fstatus.d%2Flibc6");
	json_decref(doc);
	artifact_free(&a);
}

static void test_cyclonedx_rpm_apk(void **state)
{
	(void)state;
	struct artifact a;
	rhel_image(&a);
	json_t *doc = write_json(&a, SBOM_CYCLONEDX, "cyclonedx");
	const json_t *ssl = cdx_component(doc, "openssl-libs");
	assert_string_equal(jstr(ssl, "version"), "1:3.0.7-24.el9");
	assert_string_equal(jstr(ssl, "purl"), "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rhel-9.3&epoch=1");
	assert_string_equal(jstr(json_object_get(ssl, "supplier"), "name"), "Red Hat, Inc.");
	assert_string_equal(jstr(cdx_license(ssl), "expression"), "Apache-2.0 AND (MIT OR GPL-2.0-only)");
	const json_t *node = cdx_component(doc, "nodejs");
	assert_string_equal(cdx_prop(node, "bosun:modularity_label"), "nodejs:18:9030020231121115410:rhel9");
	assert_string_equal(jstr(json_object_get(cdx_license(node), "license"), "name"), "MIT and ASL 2.0 and ISC and BSD");
	json_decref(doc);
	artifact_free(&a);

	alpine_image(&a);
	doc = write_json(&a, SBOM_CYCLONEDX, "cyclonedx");
	const json_t *bb = cdx_component(doc, "busybox");
	assert_string_equal(jstr(bb, "purl"), "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19.1");
	assert_string_equal(cdx_prop(bb, "bosun:commit"), "43ba7f1b9b3c3b7d8d3e1c8b2a6c8d1e0f1a2b3c");
	assert_string_equal(jstr(cdx_license(cdx_component(doc, "linux-headers")), "expression"),
			    "GPL-2.0-only WITH Linux-syscall-note");
	assert_string_equal(jstr(json_object_get(cdx_license(cdx_component(doc, "ssl_client")), "license"), "name"),
			    "MIT BSD GPL2+");
	json_decref(doc);
	artifact_free(&a);
}

static void test_cyclonedx_no_os(void **state)
{
	(void)state;
	struct artifact a;
	unknown_os_dir(&a);
	json_t *doc = write_json(&a, SBOM_CYCLONEDX, "cyclonedx");
	const json_t *root = json_object_get(json_object_get(doc, "metadata"), "component");
	assert_string_equal(jstr(root, "type"), "file");
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(doc, "components"), i, c) {
		assert_string_equal(jstr(c, "type"), "library");
		assert_null(strstr(jstr(c, "purl"), "distro="));
		assert_null(cdx_prop(c, "bosun:layer:index")); /* not an image */
	}
	assert_string_equal(jstr(cdx_component(doc, "bash"), "purl"), "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64");
	assert_string_equal(jstr(cdx_component(doc, "zlib"), "purl"), "pkg:rpm/sles/zlib@1.2.13-150500.4.3.1?arch=x86_64");
	/* Packages hang off the root directly. */
	assert_int_equal(json_array_size(cdx_depends_on(doc, jstr(root, "bom-ref"))), 2);
	json_decref(doc);
	artifact_free(&a);

	empty_dir(&a);
	doc = write_json(&a, SBOM_CYCLONEDX, "cyclonedx");
	assert_int_equal(json_array_size(json_object_get(doc, "components")), 0);
	json_decref(doc);
	artifact_free(&a);
}

/* ---- SPDX --------------------------------------------------------------------- */

static const json_t *spdx_package(const json_t *doc, const char *name)
{
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(doc, "packages"), i, p)
		if (strcmp(jstr(p, "name"), name) == 0)
			return p;
	fail_msg("no SPDX package %s", name);
	return NULL;
}

static bool spdx_related(const json_t *doc, const char *from, const char *type, const char *to)
{
	size_t i;
	const json_t *r;
	json_array_foreach(json_object_get(doc, "relationships"), i, r)
		if (!strcmp(jstr(r, "spdxElementId"), from) && !strcmp(jstr(r, "relationshipType"), type) &&
		    !strcmp(jstr(r, "relatedSpdxElement"), to))
			return true;
	return false;
}

static void check_spdx_ids(const json_t *doc)
{
	regex_t re;
	assert_int_equal(regcomp(&re, "^SPDXRef-[A-Za-z0-9.-]+$", REG_EXTENDED | REG_NOSUB), 0);
	const json_t *pkgs = json_object_get(doc, "packages");
	size_t n = json_array_size(pkgs);
	for (size_t i = 0; i < n; i++) {
		const char *id = jstr(json_array_get(pkgs, i), "SPDXID");
		if (regexec(&re, id, 0, NULL, 0) != 0)
			fail_msg("invalid SPDXID %s", id);
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(id, jstr(json_array_get(pkgs, j), "SPDXID"));
	}
	regfree(&re);
}

static const char *spdx_purl(const json_t *pkg)
{
	const json_t *ref = json_array_get(json_object_get(pkg, "externalRefs"), 0);
	assert_string_equal(jstr(ref, "referenceCategory"), "PACKAGE-MANAGER");
	assert_string_equal(jstr(ref, "referenceType"), "purl");
	return jstr(ref, "referenceLocator");
}

static const char *extracted_text(const json_t *doc, const char *id)
{
	size_t i;
	const json_t *x;
	json_array_foreach(json_object_get(doc, "hasExtractedLicensingInfos"), i, x)
		if (strcmp(jstr(x, "licenseId"), id) == 0)
			return jstr(x, "extractedText");
	return NULL;
}

static void test_spdx_debian(void **state)
{
	(void)state;
	struct artifact a;
	debian_image(&a);
	json_t *doc = write_json(&a, SBOM_SPDX_JSON, "spdx");
	assert_string_equal(jstr(doc, "spdxVersion"), "SPDX-2.3");
	assert_string_equal(jstr(doc, "dataLicense"), "CC0-1.0");
	assert_string_equal(jstr(doc, "SPDXID"), "SPDXRef-DOCUMENT");
	assert_int_equal(strncmp(jstr(doc, "documentNamespace"), "urn:uuid:", 9), 0);
	const json_t *ci = json_object_get(doc, "creationInfo");
	assert_string_equal(json_string_value(json_array_get(json_object_get(ci, "creators"), 0)), "Tool: bosun-0.1.0");
	check_spdx_ids(doc);

	const json_t *root = spdx_package(doc, "example/app:1.0");
	assert_string_equal(jstr(root, "primaryPackagePurpose"), "CONTAINER");
	assert_true(spdx_related(doc, "SPDXRef-DOCUMENT", "DESCRIBES", jstr(root, "SPDXID")));
	const json_t *os = spdx_package(doc, "debian");
	assert_string_equal(jstr(os, "primaryPackagePurpose"), "OPERATING_SYSTEM");
	assert_string_equal(jstr(os, "versionInfo"), "12");
	assert_true(spdx_related(doc, jstr(root, "SPDXID"), "CONTAINS", jstr(os, "SPDXID")));

	const json_t *login = spdx_package(doc, "login");
	assert_string_equal(jstr(login, "versionInfo"), "1:4.13+dfsg1-1+b1");
	assert_string_equal(spdx_purl(login), "pkg:deb/debian/login@1:4.13%2Bdfsg1-1%2Bb1?arch=amd64&distro=debian-12");
	assert_string_equal(jstr(login, "downloadLocation"), "NOASSERTION");
	assert_false(json_is_true(json_object_get(login, "filesAnalyzed")));
	assert_string_equal(jstr(login, "licenseConcluded"), "NOASSERTION");
	assert_string_equal(jstr(login, "licenseDeclared"), "GPL-2.0-or-later OR BSD-3-Clause");
	assert_string_equal(jstr(login, "sourceInfo"), "built package from: shadow 1:4.13+dfsg1-1");
	assert_string_equal(jstr(login, "supplier"),
			    "Organization: Shadow package maintainers (pkg-shadow-devel@lists.alioth.debian.org)");
	assert_true(spdx_related(doc, jstr(os, "SPDXID"), "CONTAINS", jstr(login, "SPDXID")));

	/* Prose licenses become LicenseRefs with their text; the same text
	 * twice would share one. */
	const char *ref = jstr(spdx_package(doc, "weird"), "licenseDeclared");
	assert_int_equal(strncmp(ref, "LicenseRef-GPLv2-and-BSD-like-with-odd-text", 43), 0);
	assert_string_equal(extracted_text(doc, ref), "GPLv2+ and BSD-like (with odd text) \xe2\x80\x94 see COPYING");
	/* A LicenseRef in package metadata comes without text: free text too. */
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(doc, "packages"), i, p) {
		const char *lic = jstr(p, "licenseDeclared");
		assert_non_null(lic);
		if (strncmp(lic, "LicenseRef-", 11) == 0)
			assert_non_null(extracted_text(doc, lic));
	}
	/* No license stated: NOASSERTION. */
	assert_string_equal(jstr(spdx_package(doc, "evil\x1b[31mred"), "licenseDeclared"), "NOASSERTION");
	/* The apk package is not Debian's: contained by the root. */
	assert_true(spdx_related(doc, jstr(root, "SPDXID"), "CONTAINS", jstr(spdx_package(doc, "musl"), "SPDXID")));
	json_decref(doc);
	artifact_free(&a);
}

static void test_spdx_others(void **state)
{
	(void)state;
	void (*build[])(struct artifact *) = { rhel_image, alpine_image, unknown_os_dir, empty_dir };
	for (size_t k = 0; k < sizeof build / sizeof *build; k++) {
		struct artifact a;
		build[k](&a);
		json_t *doc = write_json(&a, SBOM_SPDX_JSON, "spdx");
		check_spdx_ids(doc);
		/* root + OS (when known) + every package */
		assert_int_equal(json_array_size(json_object_get(doc, "packages")), 1 + a.os.found + a.npkgs);
		if (k == 0) {
			const json_t *ssl = spdx_package(doc, "openssl-libs");
			assert_string_equal(jstr(ssl, "supplier"), "Organization: Red Hat, Inc.");
			assert_string_equal(jstr(ssl, "licenseDeclared"), "Apache-2.0 AND (MIT OR GPL-2.0-only)");
		}
		if (k == 2) {
			const json_t *root = spdx_package(doc, "rootfs");
			assert_null(json_object_get(root, "primaryPackagePurpose"));
			assert_true(spdx_related(doc, jstr(root, "SPDXID"), "CONTAINS",
						 jstr(spdx_package(doc, "bash"), "SPDXID")));
		}
		json_decref(doc);
		artifact_free(&a);
	}
}

/* ---- bosun JSON ------------------------------------------------------------------- */

static const json_t *json_pkg(const json_t *doc, const char *name, const char *found_in)
{
	size_t i;
	const json_t *p;
	json_array_foreach(json_object_get(doc, "packages"), i, p)
		if (!strcmp(jstr(p, "name"), name) && (!found_in || !strcmp(jstr(p, "foundIn"), found_in)))
			return p;
	fail_msg("no package %s", name);
	return NULL;
}

static void test_json(void **state)
{
	(void)state;
	struct artifact a;
	debian_image(&a);
	json_t *doc = write_json(&a, SBOM_JSON, "bosun");
	assert_int_equal(json_integer_value(json_object_get(doc, "schemaVersion")), 1);
	const json_t *img = json_object_get(doc, "image");
	assert_string_equal(jstr(img, "id"), a.image_id);
	assert_int_equal(json_array_size(json_object_get(img, "layers")), 3);
	assert_null(jstr(json_array_get(json_object_get(img, "layers"), 0), "createdBy"));
	assert_true(json_is_null(json_object_get(json_array_get(json_object_get(img, "layers"), 0), "createdBy")));
	const json_t *os = json_object_get(doc, "os");
	assert_string_equal(jstr(os, "versionID"), "12");
	assert_string_equal(jstr(os, "version"), "12.5");
	assert_true(json_is_null(json_object_get(os, "idLike")));

	const json_t *login = json_pkg(doc, "login", NULL);
	assert_int_equal(json_integer_value(json_object_get(login, "epoch")), 1);
	assert_string_equal(jstr(login, "sourceVersion"), "1:4.13+dfsg1-1");
	const json_t *layer = json_object_get(login, "layer");
	assert_int_equal(json_integer_value(json_object_get(layer, "index")), 0);
	assert_string_equal(jstr(layer, "diffID"), a.layers[0].diff_id);
	assert_true(json_is_null(json_object_get(login, "files")));
	assert_true(json_is_null(json_object_get(json_pkg(doc, "nolayer", NULL), "layer")));
	assert_true(json_is_null(json_object_get(json_pkg(doc, "musl", NULL), "epoch")));
	const json_t *libc = json_pkg(doc, "libc6", "var/lib/dpkg/status");
	assert_int_equal(json_array_size(json_object_get(libc, "files")), 2);
	assert_string_equal(jstr(libc, "license"), "LGPL-2.1-or-later");
	assert_string_equal(jstr(libc, "licenseExpression"), "LGPL-2.1-or-later");
	assert_string_equal(jstr(json_pkg(doc, "libreally-quite-long-package-name-for-the-table-test0", NULL),
				 "licenseExpression"), "MIT");
	assert_true(json_is_null(json_object_get(json_pkg(doc, "tzdata", NULL), "licenseExpression")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "warnings"), 0)),
			    "test warning: something odd");
	json_decref(doc);
	artifact_free(&a);

	rhel_image(&a);
	doc = write_json(&a, SBOM_JSON, "bosun");
	os = json_object_get(doc, "os");
	assert_string_equal(json_string_value(json_array_get(json_object_get(os, "idLike"), 0)), "fedora");
	assert_true(json_is_null(json_object_get(json_pkg(doc, "gpg-pubkey", NULL), "arch")));
	json_decref(doc);
	artifact_free(&a);

	unknown_os_dir(&a);
	doc = write_json(&a, SBOM_JSON, "bosun");
	assert_true(json_is_null(json_object_get(doc, "os")));
	assert_true(json_is_null(json_object_get(doc, "image")));
	assert_true(json_is_null(json_object_get(json_pkg(doc, "bash", NULL), "layer")));
	json_decref(doc);
	artifact_free(&a);

	empty_dir(&a);
	doc = write_json(&a, SBOM_JSON, "bosun");
	assert_int_equal(json_array_size(json_object_get(doc, "packages")), 0);
	assert_string_equal(jstr(json_object_get(doc, "target"), "name"), "/srv/empty");
	json_decref(doc);
	artifact_free(&a);
}

/* ---- table -------------------------------------------------------------------------- */

/* Byte offset of the column that starts with header word w on line l. */
static size_t column_of(const char *line, size_t linelen, const char *w)
{
	for (size_t i = 0; i + strlen(w) <= linelen; i++)
		if (memcmp(line + i, w, strlen(w)) == 0)
			return i;
	fail_msg("no %s in header", w);
	return 0;
}

static void test_table(void **state)
{
	(void)state;
	struct artifact a;
	debian_image(&a);
	char *t = write_text(&a, SBOM_TABLE);
	assert_non_null(strstr(t, "Target:    example/app:1.0 (docker-archive)\n"));
	assert_non_null(strstr(t, "OS:        debian 12 (Debian GNU/Linux 12 (bookworm))\n"));
	assert_non_null(strstr(t, "Packages:  9\n"));
	assert_non_null(strstr(t, "Warnings:  1"));
	assert_null(strchr(t, '\x1b')); /* escapes from the image never reach the terminal */
	assert_non_null(strstr(t, "evil?[31mred"));

	/* Every row puts VERSION where the header does, even past the
	 * longest name. */
	const char *hdr = strstr(t, "NAME");
	assert_non_null(hdr);
	size_t hlen = strcspn(hdr, "\n");
	size_t vcol = column_of(hdr, hlen, "VERSION"), lcol = column_of(hdr, hlen, "LAYER");
	assert_true(vcol > strlen("libreally-quite-long-package-name-for-the-table-test0"));
	int rows = 0;
	for (const char *l = hdr + hlen + 1; *l; l += strcspn(l, "\n") + 1, rows++) {
		assert_true(strcspn(l, "\n") > lcol);
		assert_true(isspace((unsigned char)l[vcol - 1]) && !isspace((unsigned char)l[vcol]));
		assert_true(l[lcol] == '-' || isdigit((unsigned char)l[lcol]));
	}
	assert_int_equal(rows, 9);
	assert_non_null(strstr(t, "nolayer"));
	free(t);
	artifact_free(&a);

	unknown_os_dir(&a);
	t = write_text(&a, SBOM_TABLE);
	assert_non_null(strstr(t, "OS:        unknown\n"));
	assert_null(strstr(t, "Image ID"));
	free(t);
	artifact_free(&a);

	empty_dir(&a);
	t = write_text(&a, SBOM_TABLE);
	assert_non_null(strstr(t, "No packages found.\n"));
	free(t);
	artifact_free(&a);
}

/* ---- API, determinism, errors --------------------------------------------------------- */

static void test_format_parse(void **state)
{
	(void)state;
	enum sbom_format f;
	const char *names[] = { "table", "json", "cyclonedx", "spdx-json" };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(sbom_format_parse(names[i], &f), BOSUN_OK);
		assert_int_equal((int)f, i);
		assert_string_equal(sbom_format_name(f), names[i]);
	}
	assert_int_equal(sbom_format_parse("spdx", &f), BOSUN_EUSAGE);
	assert_int_equal(sbom_format_parse("JSON", &f), BOSUN_EUSAGE);
	assert_int_equal(sbom_format_parse(NULL, &f), BOSUN_EUSAGE);
}

static char *slurp_write(const struct artifact *a, enum sbom_format f, const struct sbom_options *o)
{
	const char *path = write_tmp(a, f, o);
	size_t n;
	char *text = (char *)test_read_file(path, &n);
	unlink(path);
	return text;
}

/* Same artifact, same options: same bytes. Different runs differ only in
 * the timestamp and the UUID. */
static void test_deterministic(void **state)
{
	(void)state;
	struct artifact a;
	debian_image(&a);
	for (int f = 0; f < SBOM_FORMAT_COUNT; f++) {
		char *x = slurp_write(&a, (enum sbom_format)f, &fixed);
		char *y = slurp_write(&a, (enum sbom_format)f, &fixed);
		assert_string_equal(x, y);
		if (f == SBOM_CYCLONEDX) {
			assert_non_null(strstr(x, "\"serialNumber\": \"urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e\""));
			assert_non_null(strstr(x, "\"timestamp\": \"2024-05-01T10:00:00Z\""));
		}
		free(x);
		free(y);
	}
	/* Random UUIDs are v4 and differ between documents. */
	json_t *d1 = write_json(&a, SBOM_CYCLONEDX, "cyclonedx"), *d2 = write_json(&a, SBOM_CYCLONEDX, "cyclonedx");
	const char *s1 = jstr(d1, "serialNumber"), *s2 = jstr(d2, "serialNumber");
	assert_string_not_equal(s1, s2);
	assert_int_equal(s1[9 + 14], '4');
	assert_non_null(strchr("89ab", s1[9 + 19]));
	json_decref(d1);
	json_decref(d2);
	artifact_free(&a);
}

static void test_write_error(void **state)
{
	(void)state;
	struct artifact a;
	alpine_image(&a);
	FILE *full = fopen("/dev/full", "w");
	if (!full)
		skip();
	struct berr e = { 0 };
	assert_int_equal(sbom_write(&a, SBOM_JSON, full, &e), BOSUN_EIO);
	assert_non_null(strstr(e.msg, "writing output"));
	fclose(full);
	artifact_free(&a);
}

/* ---- SPDX license expressions ---------------------------------------------------------- */

static void expect_license(const char *raw, enum spdx_license_kind kind, const char *value)
{
	struct arena ar = { 0 };
	struct spdx_license l;
	assert_int_equal(spdx_license_classify(&ar, raw, &l), BOSUN_OK);
	if (l.kind != kind)
		fail_msg("%s: kind %d, want %d", raw ? raw : "(null)", l.kind, kind);
	if (value)
		assert_string_equal(l.value, value);
	else
		assert_null(l.value);
	arena_free(&ar);
}

static void test_license_classify(void **state)
{
	(void)state;
	expect_license(NULL, SPDX_LICENSE_NONE, NULL);
	expect_license("  \t", SPDX_LICENSE_NONE, NULL);
	expect_license("MIT", SPDX_LICENSE_ID, "MIT");
	expect_license(" gpl-2.0-only ", SPDX_LICENSE_ID, "GPL-2.0-only");
	expect_license("GPL-2.0+", SPDX_LICENSE_ID, "GPL-2.0+"); /* deprecated but listed */
	expect_license("Apache-2.0+", SPDX_LICENSE_EXPRESSION, "Apache-2.0+");
	expect_license("MIT OR Apache-2.0", SPDX_LICENSE_EXPRESSION, "MIT OR Apache-2.0");
	expect_license("(mit  OR\tapache-2.0) AND bsd-3-clause", SPDX_LICENSE_EXPRESSION,
		       "(MIT OR Apache-2.0) AND BSD-3-Clause");
	expect_license("GPL-3.0-only WITH classpath-exception-2.0", SPDX_LICENSE_EXPRESSION,
		       "GPL-3.0-only WITH Classpath-exception-2.0");
	expect_license("(MIT)", SPDX_LICENSE_EXPRESSION, "(MIT)");
	/* Not expressions: lower-case operators, unknown ids, exceptions as
	 * licenses, licenses as exceptions, bad nesting, LicenseRefs. */
	expect_license("MIT and BSD-3-Clause", SPDX_LICENSE_TEXT, "MIT and BSD-3-Clause");
	expect_license("GPLv2+", SPDX_LICENSE_TEXT, "GPLv2+");
	expect_license("MIT BSD GPL2+", SPDX_LICENSE_TEXT, "MIT BSD GPL2+");
	expect_license("Classpath-exception-2.0", SPDX_LICENSE_TEXT, "Classpath-exception-2.0");
	expect_license("MIT WITH Apache-2.0", SPDX_LICENSE_TEXT, "MIT WITH Apache-2.0");
	expect_license("(MIT", SPDX_LICENSE_TEXT, "(MIT");
	expect_license("MIT)", SPDX_LICENSE_TEXT, "MIT)");
	expect_license("MIT OR", SPDX_LICENSE_TEXT, "MIT OR");
	expect_license("()", SPDX_LICENSE_TEXT, "()");
	expect_license("LicenseRef-foo", SPDX_LICENSE_TEXT, "LicenseRef-foo");
	expect_license("MIT WITH", SPDX_LICENSE_TEXT, "MIT WITH");
	expect_license("public domain", SPDX_LICENSE_TEXT, "public domain");
	/* Deep nesting is refused, not a stack overflow. */
	char deep[600];
	memset(deep, '(', 200);
	strcpy(deep + 200, "MIT");
	memset(deep + 203, ')', 200);
	deep[403] = '\0';
	expect_license(deep, SPDX_LICENSE_TEXT, deep);
}

/* The built-in list is exactly the one CycloneDX 1.6's schema enumerates. */
static void test_license_list_matches_schema(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s/schemas/spdx.SNAPSHOT.schema.json", test_shared_dir());
	json_t *schema = test_load_json(path);
	const json_t *ids = json_object_get(schema, "enum");
	size_t i;
	const json_t *v;
	json_array_foreach(ids, i, v) {
		const char *id = json_string_value(v);
		const char *lic = spdx_license_id(id, strlen(id)), *exc = spdx_exception_id(id, strlen(id));
		if (!lic && !exc)
			fail_msg("%s missing from the built-in list", id);
		assert_string_equal(lic ? lic : exc, id);
	}
	assert_int_equal(json_array_size(ids), spdx_list_size());
	json_decref(schema);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_license_classify),
		cmocka_unit_test(test_license_list_matches_schema),
		cmocka_unit_test(test_cyclonedx_debian),
		cmocka_unit_test(test_cyclonedx_duplicate_purl),
		cmocka_unit_test(test_cyclonedx_rpm_apk),
		cmocka_unit_test(test_cyclonedx_no_os),
		cmocka_unit_test(test_spdx_debian),
		cmocka_unit_test(test_spdx_others),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_write_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
