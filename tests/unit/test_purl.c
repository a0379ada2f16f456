/* Package URLs: the builder against the purl-spec test suite's "build"
 * cases, and purl_for_package against the spec's type examples and what
 * Trivy and Syft write (differences are bosun's documented choices, see
 * docs/formats.md). */
#include "testutil.h"

#include "sbom/purl.h"

struct pkg_spec {
	enum pkg_type type;
	const char *name, *version;
	int epoch;
	const char *arch, *maintainer, *vendor;
};

struct os_spec {
	const char *id, *version_id, *codename, *id_like;
};

static char *purl_of(struct arena *ar, struct pkg_spec ps, const struct os_spec *oss)
{
	struct package p = {
		.type = ps.type, .name = (char *)ps.name, .version = (char *)ps.version, .epoch = ps.epoch,
		.arch = (char *)ps.arch, .maintainer = (char *)ps.maintainer, .vendor = (char *)ps.vendor,
		.layer = -1,
	};
	struct os_info os = { 0 };
	if (oss) {
		os.found = true;
		os.id = (char *)oss->id;
		os.version_id = (char *)oss->version_id;
		os.codename = (char *)oss->codename;
		os.id_like = (char *)oss->id_like;
	}
	char *s = purl_for_package(ar, &p, oss ? &os : NULL);
	assert_non_null(s);
	return s;
}

#define EXPECT_PURL(ar, pkg, os, want) assert_string_equal(purl_of(ar, pkg, os), want)

static const struct os_spec debian12 = { "debian", "12", "bookworm", NULL };
static const struct os_spec ubuntu2204 = { "ubuntu", "22.04", "jammy", "debian" };
static const struct os_spec alpine319 = { "alpine", "3.19.1", NULL, NULL };
static const struct os_spec rhel84 = { "rhel", "8.4", NULL, "fedora" };

/* purl-spec tests/types/<type>-test.json and tests/spec/specification-test.json,
 * test_type "build". */
static void test_build_spec_suite(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	const struct purl_qualifier rpm_q[] = { { "arch", "i386" }, { "distro", "fedora-25" } };
	assert_string_equal(purl_build(&ar, "rpm", "fedora", "curl", "7.50.3-1.fc25", rpm_q, 2),
			    "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25");
	/* Qualifiers are sorted by key whatever order they come in. */
	const struct purl_qualifier epoch_q[] = { { "epoch", "1" }, { "distro", "fedora-25" }, { "arch", "i686" } };
	assert_string_equal(purl_build(&ar, "rpm", "fedora", "centerim", "4.22.10-1.el6", epoch_q, 3),
			    "pkg:rpm/fedora/centerim@4.22.10-1.el6?arch=i686&distro=fedora-25&epoch=1");
	const struct purl_qualifier deb_q[] = { { "arch", "i386" }, { "distro", "jessie" } };
	assert_string_equal(purl_build(&ar, "deb", "debian", "curl", "7.50.3-1", deb_q, 2),
			    "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie");
	const struct purl_qualifier amd64[] = { { "arch", "amd64" } };
	assert_string_equal(purl_build(&ar, "deb", "debian", "attr", "1:2.4.47-2+b1", amd64, 1),
			    "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64");
	const struct purl_qualifier source[] = { { "arch", "source" } };
	assert_string_equal(purl_build(&ar, "deb", "debian", "attr", "1:2.4.47-2", source, 1),
			    "pkg:deb/debian/attr@1:2.4.47-2?arch=source");
	/* ':' stays literal, ',' is encoded, even inside a qualifier value. */
	const struct purl_qualifier sum[] = { { "checksum", "sha1:ad9503c3e994a4f,sha256:41bf9088b3a1e6c1ef1d" } };
	assert_string_equal(purl_build(&ar, "generic", NULL, "openssl", "1.1.10g", sum, 1),
			    "pkg:generic/openssl@1.1.10g?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d");
	/* Type is lower-cased; no version, no '@'. */
	assert_string_equal(purl_build(&ar, "Rpm", "fedora", "curl", NULL, NULL, 0), "pkg:rpm/fedora/curl");
	arena_free(&ar);
}

static void test_build_edges(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	/* npm scope: '@' in a namespace segment is data. */
	assert_string_equal(purl_build(&ar, "npm", "@angular", "animation", "12.3.1", NULL, 0),
			    "pkg:npm/%40angular/animation@12.3.1");
	/* Multi-segment namespaces keep their slashes; empty segments vanish. */
	assert_string_equal(purl_build(&ar, "golang", "github.com//gorilla/", "mux", "v1.8.0", NULL, 0),
			    "pkg:golang/github.com/gorilla/mux@v1.8.0");
	/* Empty and NULL qualifier values are dropped, '?' only when needed. */
	const struct purl_qualifier empty[] = { { "arch", "" }, { "distro", NULL } };
	assert_string_equal(purl_build(&ar, "apk", "alpine", "musl", "1.2.4-r2", empty, 2),
			    "pkg:apk/alpine/musl@1.2.4-r2");
	/* '/' in a value and a space are data. */
	const struct purl_qualifier url[] = { { "repository_url", "https://x.org/a b" } };
	assert_string_equal(purl_build(&ar, "deb", "debian", "x", "1", url, 1),
			    "pkg:deb/debian/x@1?repository_url=https:%2F%2Fx.org%2Fa%20b");
	arena_free(&ar);
}

static void test_encode(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	assert_string_equal(purl_encode(&ar, "AZaz09.-_~:"), "AZaz09.-_~:");
	assert_string_equal(purl_encode(&ar, "a+b c/d?e#f@g%h&i=j"), "a%2Bb%20c%2Fd%3Fe%23f%40g%25h%26i%3Dj");
	/* UTF-8 octet by octet, upper-case hex. */
	assert_string_equal(purl_encode(&ar, "\xc3\x9cnicode \xe2\x82\xac"), "%C3%9Cnicode%20%E2%82%AC");
	assert_string_equal(purl_encode(&ar, "\x01\x7f\xff"), "%01%7F%FF");
	assert_string_equal(purl_encode(&ar, ""), "");
	arena_free(&ar);
}

static void test_deb(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	/* Syft: pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&upstream=glibc&distro=debian-12
	 * Trivy: pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.5
	 * bosun encodes '+' (spec), writes no upstream= (not a deb qualifier)
	 * and takes VERSION_ID for distro= (as Syft). */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "libc6", "2.36-9+deb12u4", 0, "amd64" }), &debian12,
		    "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
	/* The epoch stays in the version, as in the spec's deb examples and
	 * Syft (Trivy writes epoch= instead). */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "login", "1:4.13+dfsg1-1+b1", 1, "amd64" }), &debian12,
		    "pkg:deb/debian/login@1:4.13%2Bdfsg1-1%2Bb1?arch=amd64&distro=debian-12");
	/* An epoch known only from the field is put back in front. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "login", "4.13+dfsg1-1", 2, "amd64" }), &debian12,
		    "pkg:deb/debian/login@2:4.13%2Bdfsg1-1?arch=amd64&distro=debian-12");
	/* '~' is literal. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "foo", "1.0~rc1-1~bpo12+1", -1, "all" }), &debian12,
		    "pkg:deb/debian/foo@1.0~rc1-1~bpo12%2B1?arch=all&distro=debian-12");
	/* '+' in names ("libstdc++6"). */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "libstdc++6", "12.2.0-14", 0, "amd64" }), &debian12,
		    "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12");
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "libc6", "2.35-0ubuntu3.6", 0, "amd64" }), &ubuntu2204,
		    "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.6?arch=amd64&distro=ubuntu-22.04");
	/* Rolling release without VERSION_ID: the codename. */
	static const struct os_spec sid = { "debian", NULL, "trixie", NULL };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "bash", "5.2.21-2", 0, "arm64" }), &sid,
		    "pkg:deb/debian/bash@5.2.21-2?arch=arm64&distro=debian-trixie");
	/* Names are lower-cased for deb; so is the namespace. */
	static const struct os_spec upper = { "Debian", "12", NULL, NULL };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "Foo", "1", -1, NULL }), &upper,
		    "pkg:deb/debian/foo@1?distro=debian-12");
	/* A derivative we do not list: its own ID is the vendor. */
	static const struct os_spec acme = { "acme", "1", NULL, NULL };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "x", "1", -1, "amd64" }), &acme,
		    "pkg:deb/acme/x@1?arch=amd64&distro=acme-1");
	arena_free(&ar);
}

static void test_deb_without_os(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	/* The spec's own example, exactly. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "attr", "1:2.4.47-2+b1", 1, "amd64" }), NULL,
		    "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64");
	/* Ubuntu is recognised from its versions or its maintainers. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "libc6", "2.35-0ubuntu3.6", 0, "amd64" }), NULL,
		    "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.6?arch=amd64");
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "base-files", "12ubuntu4", 0, "amd64",
					     "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>" }),
		    NULL, "pkg:deb/ubuntu/base-files@12ubuntu4?arch=amd64");
	/* An OS that is not a dpkg one (Alpine with a stray dpkg database):
	 * not its packages, so no alpine namespace and no distro=. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_DEB, "curl", "7.88.1-10", 0, "amd64" }), &alpine319,
		    "pkg:deb/debian/curl@7.88.1-10?arch=amd64");
	arena_free(&ar);
}

static void test_apk(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	/* Syft: pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&upstream=musl&distro=alpine-3.19.1
	 * Trivy: pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.19.1 */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_APK, "musl", "1.2.4_git20230717-r4", -1, "x86_64" }), &alpine319,
		    "pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1");
	static const struct os_spec wolfi = { "wolfi", "20230201", NULL, NULL };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_APK, "glibc", "2.38-r1", -1, "aarch64" }), &wolfi,
		    "pkg:apk/wolfi/glibc@2.38-r1?arch=aarch64&distro=wolfi-20230201");
	static const struct os_spec cg = { "chainguard", "20230214", NULL, NULL };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_APK, "ca-certificates-bundle", "20230506-r0", -1, "x86_64" }),
		    &cg, "pkg:apk/chainguard/ca-certificates-bundle@20230506-r0?arch=x86_64&distro=chainguard-20230214");
	/* The spec's example: no OS known, the format's home vendor. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_APK, "curl", "7.83.0-r0", -1, "x86" }), NULL,
		    "pkg:apk/alpine/curl@7.83.0-r0?arch=x86");
	/* apk names are lower-cased. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_APK, "Py3-Foo", "1-r0", -1, NULL }), &alpine319,
		    "pkg:apk/alpine/py3-foo@1-r0?distro=alpine-3.19.1");
	arena_free(&ar);
}

static void test_rpm(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	/* Syft's Test_packageURL cases ("go case", "with arch and epoch"). */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "p", "v-r", -1 }), &rhel84, "pkg:rpm/redhat/p@v-r?distro=rhel-8.4");
	static const struct os_spec centos7 = { "centos", "7", NULL, "rhel fedora" };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "p", "1:v-r", 1, "a" }), &centos7,
		    "pkg:rpm/centos/p@v-r?arch=a&distro=centos-7&epoch=1");
	/* Epoch only in the version string. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "openssl-libs", "1:3.0.7-24.el9", -1, "x86_64" }), &rhel84,
		    "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rhel-8.4&epoch=1");
	/* Epoch 0 is the same as none for rpm: left out. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "bash", "0:5.1.8-6.el9", 0, "x86_64" }), &rhel84,
		    "pkg:rpm/redhat/bash@5.1.8-6.el9?arch=x86_64&distro=rhel-8.4");
	/* rpm names are case-sensitive. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "NetworkManager", "1.42.2-1.el9", 1, "x86_64" }), &rhel84,
		    "pkg:rpm/redhat/NetworkManager@1.42.2-1.el9?arch=x86_64&distro=rhel-8.4&epoch=1");
	static const struct os_spec amzn = { "amzn", "2023", NULL, "fedora" };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "glibc", "2.34-52.amzn2023.0.3", -1, "aarch64" }), &amzn,
		    "pkg:rpm/amazon/glibc@2.34-52.amzn2023.0.3?arch=aarch64&distro=amzn-2023");
	static const struct os_spec ol = { "ol", "9.2", NULL, "fedora" };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "bash", "5.1.8-6.el9_1", -1, "x86_64" }), &ol,
		    "pkg:rpm/oracle/bash@5.1.8-6.el9_1?arch=x86_64&distro=ol-9.2");
	static const struct os_spec leap = { "opensuse-leap", "15.5", NULL, "suse opensuse" };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "libzypp", "17.31.15-150400.3.40.1", -1, "x86_64" }), &leap,
		    "pkg:rpm/opensuse/libzypp@17.31.15-150400.3.40.1?arch=x86_64&distro=opensuse-leap-15.5");
	static const struct os_spec sles = { "sles", "15.5", NULL, "suse" };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "zlib", "1.2.13-150500.4.3.1", -1, "x86_64" }), &sles,
		    "pkg:rpm/sles/zlib@1.2.13-150500.4.3.1?arch=x86_64&distro=sles-15.5");
	static const struct os_spec mariner = { "mariner", "2.0", NULL, NULL };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "curl", "8.8.0-2.cm2", -1, "x86_64" }), &mariner,
		    "pkg:rpm/mariner/curl@8.8.0-2.cm2?arch=x86_64&distro=mariner-2.0");
	static const struct os_spec alma = { "almalinux", "9.3", NULL, "rhel centos fedora" };
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "bash", "5.1.8-6.el9", -1, "x86_64" }), &alma,
		    "pkg:rpm/almalinux/bash@5.1.8-6.el9?arch=x86_64&distro=almalinux-9.3");
	arena_free(&ar);
}

static void test_rpm_without_os(void **state)
{
	(void)state;
	struct arena ar = { 0 };
	/* Syft writes pkg:rpm/p@v-r here; the spec requires a namespace, so
	 * the vendor comes from the package or is the format's home. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "p", "v-r", -1 }), NULL, "pkg:rpm/redhat/p@v-r");
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "zlib", "1.2.13-150500.4.3.1", -1, "x86_64", NULL,
					     "SUSE LLC <https://www.suse.com/>" }),
		    NULL, "pkg:rpm/sles/zlib@1.2.13-150500.4.3.1?arch=x86_64");
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "zypper", "1.14-1.1", -1, "x86_64", NULL, "openSUSE" }),
		    NULL, "pkg:rpm/opensuse/zypper@1.14-1.1?arch=x86_64");
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "curl", "8.8.0-2.cm2", -1, "x86_64", NULL,
					     "Microsoft Corporation" }),
		    NULL, "pkg:rpm/mariner/curl@8.8.0-2.cm2?arch=x86_64");
	/* Epoch is kept even without an OS (Trivy drops arch and epoch then). */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "openssl", "1:3.0.7-24.el9", 1, "x86_64", NULL,
					     "Red Hat, Inc." }),
		    NULL, "pkg:rpm/redhat/openssl@3.0.7-24.el9?arch=x86_64&epoch=1");
	/* A dpkg distribution's OS does not apply to rpm packages. */
	EXPECT_PURL(&ar, ((struct pkg_spec){ PKG_RPM, "x", "1-1", -1, "noarch", NULL, "Fedora Project" }), &debian12,
		    "pkg:rpm/fedora/x@1-1?arch=noarch");
	arena_free(&ar);
}

static void test_os_applies(void **state)
{
	(void)state;
	struct package deb = { .type = PKG_DEB }, rpm = { .type = PKG_RPM }, apk = { .type = PKG_APK };
	struct os_info os = { .found = true, .id = "linuxmint", .id_like = "ubuntu debian" };
	assert_true(purl_os_applies(&deb, &os));
	assert_false(purl_os_applies(&rpm, &os));
	/* Unknown ID, known lineage via ID_LIKE. */
	os.id = "myrhel";
	os.id_like = "rhel centos fedora";
	assert_true(purl_os_applies(&rpm, &os));
	assert_false(purl_os_applies(&apk, &os));
	/* Completely unknown: trusted for every format. */
	os.id = "acme";
	os.id_like = NULL;
	assert_true(purl_os_applies(&apk, &os));
	os.found = false;
	assert_false(purl_os_applies(&deb, &os));
	assert_false(purl_os_applies(&deb, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_spec_suite),
		cmocka_unit_test(test_build_edges),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_deb),
		cmocka_unit_test(test_deb_without_os),
		cmocka_unit_test(test_apk),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_rpm_without_os),
		cmocka_unit_test(test_os_applies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
