/* Matching: lookup keys per distro, range evaluation per ecosystem, then
 * whole runs against a small database built here through vulndb.h
 * (binNMUs, epochs, not-affected, alias merge, severity precedence,
 * module streams). Every expectation is worked out in the comment above it. */
#include "matchtest.h"

#include "util/log.h"

/* ---- keys ---- */

static struct os_info os_of(const char *id, const char *family, const char *version_id, const char *codename)
{
	struct os_info os = { .found = version_id != NULL, .id = (char *)id, .family = (char *)family,
			      .version_id = (char *)version_id, .codename = (char *)codename };
	return os;
}

static struct package pkg(enum pkg_type t, const char *name, const char *version, const char *src,
			  const char *srcver)
{
	struct package p = { .type = t, .name = (char *)name, .version = (char *)version, .epoch = -1,
			     .source_name = (char *)src, .source_version = (char *)srcver, .layer = -1 };
	return p;
}

static void test_keys_debian(void **state)
{
	(void)state;
	struct match_key k;
	struct os_info deb12 = os_of("debian", "debian", "12", "bookworm");
	/* libc6 from source glibc: looked up as glibc at the source version. */
	struct package p = pkg(PKG_DEB, "libc6", "2.36-9+deb12u3", "glibc", "2.36-9+deb12u3");
	assert_true(match_key(&p, &deb12, &k));
	assert_string_equal(k.ecosystem, "debian:12");
	assert_string_equal(k.name, "glibc");
	assert_string_equal(k.version, "2.36-9+deb12u3");
	assert_string_equal(k.scheme, "deb");
	/* A binNMU without a Source version: "+b1" is a rebuild of source 1.0-1. */
	p = pkg(PKG_DEB, "foo", "1.0-1+b1", NULL, "1.0-1+b1");
	assert_true(match_key(&p, &deb12, &k));
	assert_string_equal(k.name, "foo");
	assert_string_equal(k.version, "1.0-1");
	/* dpkg writes "Source: shadow (1:4.13+dfsg1-1)" for the binNMU login 1:4.13+dfsg1-1+b1. */
	p = pkg(PKG_DEB, "login", "1:4.13+dfsg1-1+b1", "shadow", "1:4.13+dfsg1-1");
	assert_true(match_key(&p, &deb12, &k));
	assert_string_equal(k.name, "shadow");
	assert_string_equal(k.version, "1:4.13+dfsg1-1");
	/* "+b" that is not a binNMU suffix stays. */
	assert_string_equal(match_strip_binnmu("1.0+bx", k.vbuf, sizeof k.vbuf), "1.0+bx");
	assert_string_equal(match_strip_binnmu("1.0-1+b12", k.vbuf, sizeof k.vbuf), "1.0-1");
	/* Testing without VERSION_ID: the codename gives the number. */
	struct os_info trixie = os_of("debian", "debian", NULL, "trixie");
	assert_true(match_key(&p, &trixie, &k));
	assert_string_equal(k.ecosystem, "debian:13");
	struct os_info sid = os_of("debian", "debian", NULL, "sid");
	assert_true(match_key(&p, &sid, &k));
	assert_string_equal(k.ecosystem, "debian:sid");
	struct os_info u = os_of("ubuntu", "ubuntu", "22.04", "jammy");
	assert_true(match_key(&p, &u, &k));
	assert_string_equal(k.ecosystem, "ubuntu:22.04");
}

static void test_keys_other(void **state)
{
	(void)state;
	struct match_key k;
	struct os_info alp = os_of("alpine", "alpine", "3.11.6", NULL);
	/* Alpine: the origin (secdb names aports packages), the branch 3.11. */
	struct package p = pkg(PKG_APK, "libcrypto1.1", "1.1.1g-r0", "openssl", "1.1.1g-r0");
	assert_true(match_key(&p, &alp, &k));
	assert_string_equal(k.ecosystem, "alpine:3.11");
	assert_string_equal(k.name, "openssl");
	assert_string_equal(k.version, "1.1.1g-r0");
	struct os_info edge = os_of("alpine", "alpine", "3.21.0_alpha20240807", NULL);
	assert_true(match_key(&p, &edge, &k));
	assert_string_equal(k.ecosystem, "alpine:edge");
	/* AlmaLinux: binary name, "[E:]V-R", the module stream from MODULARITYLABEL. */
	struct os_info alma = os_of("almalinux", "alma", "8.9", NULL);
	p = pkg(PKG_RPM, "nodejs", "1:14.20.0-2.module_el8.6.0+3169+3d4fe9a2", "nodejs", NULL);
	p.modularity = "nodejs:14:8060020220803094405:ad008a3a";
	assert_true(match_key(&p, &alma, &k));
	assert_string_equal(k.ecosystem, "almalinux:8");
	assert_string_equal(k.name, "nodejs");
	assert_string_equal(k.stream, "nodejs:14");
	assert_string_equal(k.scheme, "rpm");
	p.modularity = NULL;
	assert_true(match_key(&p, &alma, &k));
	assert_null(k.stream);
	/* No feed for Rocky or RHEL in our data: no key, and a reason. */
	struct os_info rocky = os_of("rocky", "rocky", "9.3", NULL);
	assert_false(match_key(&p, &rocky, &k));
	assert_non_null(strstr(k.why, "no advisory feed for rocky 9.3"));
	/* A deb package on Alpine has no feed either. */
	p = pkg(PKG_DEB, "x", "1", NULL, NULL);
	assert_false(match_key(&p, &alp, &k));
}

static void test_names(void **state)
{
	(void)state;
	char out[128];
	assert_int_equal(match_normalize_name("pypi", "Django_REST..framework", out, sizeof out), BOSUN_OK);
	assert_string_equal(out, "django-rest-framework");
	assert_int_equal(match_normalize_name("maven", "org.apache.logging.log4j/log4j-core", out, sizeof out), 0);
	assert_string_equal(out, "org.apache.logging.log4j:log4j-core");
	assert_int_equal(match_normalize_name("maven", "com.fasterxml.jackson.core:jackson-databind", out, sizeof out), 0);
	assert_string_equal(out, "com.fasterxml.jackson.core:jackson-databind");
	assert_int_equal(match_normalize_name("npm", "%40babel%2Fcore", out, sizeof out), 0);
	assert_string_equal(out, "@babel/core");
	assert_int_equal(match_normalize_name("npm", "JSONStream", out, sizeof out), 0);
	assert_string_equal(out, "JSONStream");
	assert_int_equal(match_normalize_name("packagist", "Symfony/Http-Kernel", out, sizeof out), 0);
	assert_string_equal(out, "symfony/http-kernel");
	assert_int_equal(match_normalize_name("go", "github.com/BurntSushi/toml", out, sizeof out), 0);
	assert_string_equal(out, "github.com/BurntSushi/toml");
	assert_int_equal(match_normalize_name("pypi", "abcdef", out, 4), BOSUN_ELIMIT);
	assert_string_equal(match_scheme_for("debian:12"), "deb");
	assert_string_equal(match_scheme_for("ubuntu:20.04"), "deb");
	assert_string_equal(match_scheme_for("alpine:3.11"), "apk");
	assert_string_equal(match_scheme_for("almalinux:9"), "rpm");
	assert_string_equal(match_scheme_for("go"), "golang");
	assert_string_equal(match_scheme_for("crates.io"), "cargo");
	assert_string_equal(match_scheme_for("rubygems"), "gem");
	assert_string_equal(match_scheme_for("packagist"), "composer");
	assert_null(match_scheme_for("hackage"));
}

/* ---- ranges ---- */

struct verdict {
	int rc;
	bool affected;
	const char *fixed, *bad;
};

static struct verdict eval(const char *eco, const struct affect_range *r, size_t nr, const char *const *versions,
			   size_t nv, const char *version)
{
	const struct version_scheme *s = version_scheme_find(match_scheme_for(eco));
	assert_non_null(s);
	struct affected_row row = { .vuln_id = "X", .ecosystem = eco, .package = "p", .ranges = (struct affect_range *)r,
				    .nranges = nr, .versions = versions, .nversions = nv };
	struct verdict v;
	v.rc = match_row_affects(s, eco, &row, version, &v.affected, &v.fixed, &v.bad);
	return v;
}

#define R(intro, fix, last) ((struct affect_range){ intro, fix, last, NULL })

static void expect(const char *eco, struct affect_range r, const char *version, bool affected, const char *fixed)
{
	struct verdict v = eval(eco, &r, 1, NULL, 0, version);
	if (v.rc != BOSUN_OK || v.affected != affected || (fixed ? !v.fixed || strcmp(fixed, v.fixed) : v.fixed != NULL))
		fail_msg("%s %s in [%s, fixed %s, last %s]: got rc %d affected %d fixed %s, want affected %d fixed %s", eco,
			 version, r.introduced ? r.introduced : "-", r.fixed ? r.fixed : "-",
			 r.last_affected ? r.last_affected : "-", v.rc, v.affected, v.fixed ? v.fixed : "-", affected,
			 fixed ? fixed : "-");
}

static void test_ranges_distros(void **state)
{
	(void)state;
	/* Debian: below, at and above the DSA's fixed version. */
	expect("debian:12", R(NULL, "2.36-9+deb12u3", NULL), "2.36-9+deb12u2", true, "2.36-9+deb12u3");
	expect("debian:12", R(NULL, "2.36-9+deb12u3", NULL), "2.36-9+deb12u3", false, NULL);
	expect("debian:12", R(NULL, "2.36-9+deb12u3", NULL), "2.36-9+deb12u10", false, NULL);
	/* "~" sorts before everything: a backport 3.0.11-1~deb12u1 is below 3.0.11-1. */
	expect("debian:12", R("0", "3.0.11-1", NULL), "3.0.11-1~deb12u1", true, "3.0.11-1");
	/* Epochs: 1:1.0 is above any epoch-0 version, 2.0-1 is below 1:1.0-1. */
	expect("debian:12", R(NULL, "9.9-1", NULL), "1:1.0-1", false, NULL);
	expect("debian:12", R(NULL, "1:1.0-1", NULL), "2.0-1", true, "1:1.0-1");
	/* Alpine: -rN revisions. */
	expect("alpine:3.11", R(NULL, "1.1.1g-r0", NULL), "1.1.1d-r3", true, "1.1.1g-r0");
	expect("alpine:3.11", R(NULL, "1.31.1-r10", NULL), "1.31.1-r9", true, "1.31.1-r10");
	expect("alpine:3.11", R(NULL, "1.31.1-r10", NULL), "1.31.1-r10", false, NULL);
	/* RPM: epoch "1:" on both sides, an absent epoch is 0. */
	expect("almalinux:8", R("0", "1:14.21.1-2.module_el8.7.0+3373+a4c18c43", NULL),
	       "1:14.20.0-2.module_el8.6.0+3169+3d4fe9a2", true, "1:14.21.1-2.module_el8.7.0+3373+a4c18c43");
	expect("almalinux:8", R("0", "1:1.0-1.el8", NULL), "2.0-1.el8", true, "1:1.0-1.el8");
	expect("almalinux:8", R("0", "1.1.1k-9.el8_7", NULL), "1:1.1.1k-9.el8_7", false, NULL);
}

static void test_ranges_languages(void **state)
{
	(void)state;
	/* npm: lodash CVE-2021-23337 is fixed in 4.17.21. */
	expect("npm", R("0", "4.17.21", NULL), "4.17.15", true, "4.17.21");
	expect("npm", R("0", "4.17.21", NULL), "4.17.21", false, NULL);
	expect("npm", R("4.0.0", NULL, "4.17.20"), "4.17.20", true, NULL); /* last_affected is inclusive */
	expect("npm", R("4.0.0", NULL, "4.17.20"), "4.17.21", false, NULL);
	expect("npm", R("4.0.0", NULL, "4.17.20"), "3.10.1", false, NULL); /* below introduced */
	/* PyPI: PEP 440 ordering (post-releases above, pre-releases below). */
	expect("pypi", R("0", "2.0", NULL), "1.0.post1", true, "2.0");
	expect("pypi", R("0", "2.0", NULL), "2.0rc1", true, "2.0");
	expect("pypi", R("0", "2.0", NULL), "2.0.post1", false, NULL);
	/* Go: OSV ranges have no "v"; module versions do. x/net v0.7.0 < 0.17.0. */
	expect("go", R("0", "0.17.0", NULL), "v0.7.0", true, "0.17.0");
	expect("go", R("0", "0.17.0", NULL), "v0.17.0", false, NULL);
	expect("go", R("0", NULL, NULL), "v3.2.0+incompatible", true, NULL);
	expect("go", R("1.21.0", "1.21.3", NULL), "go1.21.1", true, "1.21.3");
	/* crates.io, RubyGems, Maven, NuGet, Packagist. */
	expect("crates.io", R("0", "0.10.0", NULL), "0.9.3", true, "0.10.0");
	expect("rubygems", R("0", "1.13.10", NULL), "1.13.9", true, "1.13.10");
	expect("rubygems", R("0", "1.13.10", NULL), "1.13.10", false, NULL);
	expect("maven", R("2.13.0", "2.15.0", NULL), "2.14.0", true, "2.15.0");
	expect("maven", R("2.0-beta9", "2.15.0", NULL), "2.14.1", true, "2.15.0");
	expect("maven", R("2.0-beta9", "2.15.0", NULL), "2.15.0", false, NULL);
	expect("nuget", R("0", "13.0.1", NULL), "12.0.3", true, "13.0.1");
	expect("packagist", R("0", "4.4.13", NULL), "v4.4.12", true, "4.4.13");
	/* Composer's own order: four-part versions, "-p" patch releases above the
	 * release, RCs below it. */
	expect("packagist", R("0", "1.2.3.4", NULL), "1.2.3.3", true, "1.2.3.4");
	expect("packagist", R("0", "1.2.3.4", NULL), "1.2.3.4", false, NULL);
	expect("packagist", R("0", "1.0.0-p2", NULL), "1.0.0", true, "1.0.0-p2");
	expect("packagist", R("0", "1.0.0-p2", NULL), "1.0.0-patch2", false, NULL);
	expect("packagist", R("0", "1.0.0", NULL), "1.0.0-RC1", true, "1.0.0");
}

static void test_ranges_shapes(void **state)
{
	(void)state;
	/* Two branches: 1.5 is in the first only, 2.5 in the second only. */
	struct affect_range two[] = { R("1.0.0", "1.6.0", NULL), R("2.0.0", "2.6.0", NULL) };
	struct verdict v = eval("npm", two, 2, NULL, 0, "1.5.0");
	assert_true(v.affected);
	assert_string_equal(v.fixed, "1.6.0");
	v = eval("npm", two, 2, NULL, 0, "2.5.0");
	assert_string_equal(v.fixed, "2.6.0");
	v = eval("npm", two, 2, NULL, 0, "1.7.0");
	assert_false(v.affected);
	/* Explicit versions (OSV versions[]). */
	const char *vs[] = { "1.2.3", "1.2.5" };
	v = eval("npm", NULL, 0, vs, 2, "1.2.5");
	assert_true(v.affected);
	assert_null(v.fixed);
	v = eval("npm", NULL, 0, vs, 2, "1.2.4");
	assert_false(v.affected);
	/* No ranges, no versions: every version (a distro's <unfixed>). */
	v = eval("debian:12", NULL, 0, NULL, 0, "1.0-1");
	assert_true(v.affected);
	/* limit excludes without being a fix. */
	struct affect_range lim = { "0", NULL, NULL, "2.0.0" };
	v = eval("npm", &lim, 1, NULL, 0, "1.9.0");
	assert_true(v.affected);
	assert_null(v.fixed);
	v = eval("npm", &lim, 1, NULL, 0, "2.0.0");
	assert_false(v.affected);
	/* An installed version the scheme cannot parse: an error, not a match. */
	struct affect_range any = R("0", "2.0.0", NULL);
	v = eval("npm", &any, 1, NULL, 0, "not a version");
	assert_int_equal(v.rc, BOSUN_EFORMAT);
	assert_false(v.affected);
	/* A bound the scheme cannot parse: that range is skipped and named. */
	struct affect_range bad = R("0", "junk!!", NULL);
	v = eval("npm", &bad, 1, NULL, 0, "1.0.0");
	assert_int_equal(v.rc, BOSUN_OK);
	assert_false(v.affected);
	assert_string_equal(v.bad, "junk!!");
	assert_int_equal(match_severity_from_score(9.8), SEV_CRITICAL);
	assert_int_equal(match_severity_from_score(7.0), SEV_HIGH);
	assert_int_equal(match_severity_from_score(6.9), SEV_MEDIUM);
	assert_int_equal(match_severity_from_score(0.1), SEV_LOW);
	assert_int_equal(match_severity_from_score(-1), SEV_UNKNOWN);
}

/* ---- whole runs against a database (helpers: matchtest.h) ---- */

/* Debian 12: glibc/openssl/shadow rows; several binaries of one source. */
static void build_debian(struct vulndb *db)
{
	begin(db, "tracker-a");
	put_vuln(db, &(struct vuln_record){ .id = "CVE-2023-4911", .summary = "Looney Tunables" });
	/* [bookworm] - glibc 2.36-9+deb12u3, urgency high (the distro's rating) */
	put_aff(db, "CVE-2023-4911", "debian:12", "glibc", AFFECT_FIXED, SEV_HIGH, "2.36-9+deb12u3");
	/* A feed rating CRITICAL on the record loses to the distro's LOW on the row. */
	put_vuln(db, &(struct vuln_record){ .id = "CVE-2000-0001", .severity = SEV_CRITICAL });
	put_aff(db, "CVE-2000-0001", "debian:12", "glibc", AFFECT_NO_DSA, SEV_LOW, NULL);
	/* No row rating: the record's own (MEDIUM). */
	put_vuln(db, &(struct vuln_record){ .id = "CVE-2000-0002", .severity = SEV_MEDIUM });
	put_aff(db, "CVE-2000-0002", "debian:12", "glibc", AFFECT_UNFIXED, SEV_UNKNOWN, NULL);
	/* Neither: CVSS 3.1 AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H = 9.8, CRITICAL. */
	put_vuln(db, &(struct vuln_record){ .id = "CVE-2000-0003",
					    .cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" });
	put_aff(db, "CVE-2000-0003", "debian:12", "glibc", AFFECT_WONT_FIX, SEV_UNKNOWN, NULL);
	/* openssl: affected in one source ... */
	put_aff(db, "CVE-2000-0004", "debian:12", "openssl", AFFECT_UNFIXED, SEV_UNKNOWN, NULL);
	/* shadow: fixed at the binNMU's source version, so login 1:4.13+dfsg1-1+b1 is not affected;
	 * a fix one revision later does affect it. */
	put_aff(db, "CVE-2000-0005", "debian:12", "shadow", AFFECT_FIXED, SEV_UNKNOWN, "1:4.13+dfsg1-1");
	put_aff(db, "CVE-2000-0006", "debian:12", "shadow", AFFECT_FIXED, SEV_UNKNOWN, "1:4.13+dfsg1-2");
	/* bullseye rows never match a bookworm image. */
	put_aff(db, "CVE-2000-0007", "debian:11", "glibc", AFFECT_UNFIXED, SEV_UNKNOWN, NULL);
	commit(db);
	/* ... and <not-affected> for bookworm in another: never reported. */
	begin(db, "tracker-b");
	put_aff(db, "CVE-2000-0004", "debian:12", "openssl", AFFECT_NOT_AFFECTED, SEV_UNKNOWN, NULL);
	commit(db);
	begin(db, "kev");
	struct berr e = { 0 };
	assert_int_equal(vulndb_put_kev(db, "CVE-2023-4911", "2023-11-21", "2023-12-12", false, &e), BOSUN_OK);
	commit(db);
}

static void test_match_debian(void **state)
{
	(void)state;
	struct vulndb *db = db_open();
	build_debian(db);
	struct artifact a;
	artifact_init(&a);
	set_os(&a, "debian", "debian", "12");
	add_pkg(&a, PKG_DEB, "libc6", "2.36-9+deb12u1", "glibc", NULL, NULL);
	add_pkg(&a, PKG_DEB, "libc-bin", "2.36-9+deb12u1", "glibc", NULL, NULL);
	add_pkg(&a, PKG_DEB, "libssl3", "3.0.11-1~deb12u2", "openssl", NULL, NULL);
	add_pkg(&a, PKG_DEB, "login", "1:4.13+dfsg1-1+b1", "shadow", "1:4.13+dfsg1-1", NULL);
	struct match_result r;
	run_match(db, &a, &r);

	/* libc6 and libc-bin (one source) get the same five... four glibc findings. */
	assert_int_equal(count_for(&r, &a, "libc6"), 4);
	assert_int_equal(count_for(&r, &a, "libc-bin"), 4);
	const struct vuln_match *m = find(&r, &a, "libc6", "CVE-2023-4911");
	assert_non_null(m);
	assert_int_equal(m->status, AFFECT_FIXED);
	assert_string_equal(m->fixed, "2.36-9+deb12u3");
	assert_string_equal(m->installed, "2.36-9+deb12u1");
	assert_int_equal(m->severity, SEV_HIGH);
	assert_string_equal(m->severity_source, "debian");
	assert_true(m->kev);
	assert_string_equal(m->kev_date, "2023-11-21");
	assert_string_equal(m->title, "Looney Tunables");
	assert_string_equal(m->ecosystem, "debian:12");
	assert_string_equal(m->db_package, "glibc");
	m = find(&r, &a, "libc6", "CVE-2000-0001");
	assert_int_equal(m->status, AFFECT_NO_DSA);
	assert_null(m->fixed);
	assert_int_equal(m->severity, SEV_LOW); /* the distro's LOW over the feed's CRITICAL */
	m = find(&r, &a, "libc6", "CVE-2000-0002");
	assert_int_equal(m->severity, SEV_MEDIUM);
	m = find(&r, &a, "libc6", "CVE-2000-0003");
	assert_int_equal(m->severity, SEV_CRITICAL);
	assert_string_equal(m->severity_source, "cvss3");
	assert_true(m->cvss3 > 9.7 && m->cvss3 < 9.9);
	assert_int_equal(m->status, AFFECT_WONT_FIX);
	assert_null(find(&r, &a, "libc6", "CVE-2000-0007"));
	/* not-affected in one feed wins over unfixed in another */
	assert_int_equal(count_for(&r, &a, "libssl3"), 0);
	/* binNMU: only the fix above the source version applies */
	assert_null(find(&r, &a, "login", "CVE-2000-0005"));
	m = find(&r, &a, "login", "CVE-2000-0006");
	assert_non_null(m);
	assert_string_equal(m->installed, "1:4.13+dfsg1-1");
	assert_string_equal(m->fixed, "1:4.13+dfsg1-2");
	/* findings come sorted by package, then severity */
	for (size_t i = 1; i < r.n; i++)
		assert_true(r.v[i - 1].pkg < r.v[i].pkg ||
			    (r.v[i - 1].pkg == r.v[i].pkg && r.v[i - 1].severity >= r.v[i].severity));
	match_result_free(&r);
	artifact_free(&a);
	vulndb_close(db);
}

/* AlmaLinux: an advisory id with one CVE alias, that CVE again from a
 * second feed: one finding, reported as the CVE. Module streams. */
static void test_match_alma(void **state)
{
	(void)state;
	struct vulndb *db = db_open();
	begin(db, "osv-alma");
	const char *al[] = { "CVE-2023-0286" };
	put_vuln(db, &(struct vuln_record){ .id = "ALSA-2023:0101", .summary = "Important: openssl security update",
					    .aliases = al, .naliases = 1, .severity = SEV_HIGH });
	put_aff(db, "ALSA-2023:0101", "almalinux:8", "openssl-libs", AFFECT_FIXED, SEV_UNKNOWN, "1:1.1.1k-8.el8_7");
	/* One advisory fixing two CVEs is not one vulnerability: reported under its own id. */
	const char *two[] = { "CVE-2023-1111", "CVE-2023-2222" };
	put_vuln(db, &(struct vuln_record){ .id = "ALSA-2023:0202", .aliases = two, .naliases = 2 });
	put_aff(db, "ALSA-2023:0202", "almalinux:8", "openssl-libs", AFFECT_FIXED, SEV_UNKNOWN, "1:1.1.1k-9.el8_7");
	/* Modular: the nodejs:14 advisory applies to the nodejs:14 stream only. */
	put_vuln(db, &(struct vuln_record){ .id = "ALSA-2023:0050", .summary = "Moderate: nodejs:14 security update" });
	put_aff(db, "ALSA-2023:0050", "almalinux:8", "nodejs", AFFECT_FIXED, SEV_UNKNOWN,
		"1:14.21.1-2.module_el8.7.0+3373+a4c18c43");
	put_vuln(db, &(struct vuln_record){ .id = "ALSA-2023:0051", .summary = "Moderate: nodejs:16 security update" });
	put_aff(db, "ALSA-2023:0051", "almalinux:8", "nodejs", AFFECT_FIXED, SEV_UNKNOWN,
		"1:16.19.1-1.module_el8.7.0+3435+d3f08c8e");
	/* A non-modular fix never applies to a modular package, nor the reverse. */
	put_aff(db, "ALSA-2023:0052", "almalinux:8", "nodejs", AFFECT_FIXED, SEV_UNKNOWN, "1:99.0-1.el8");
	commit(db);
	begin(db, "other");
	put_aff(db, "CVE-2023-0286", "almalinux:8", "openssl-libs", AFFECT_FIXED, SEV_UNKNOWN, "1:1.1.1k-8.el8_7");
	commit(db);

	struct artifact a;
	artifact_init(&a);
	set_os(&a, "almalinux", "alma", "8.7");
	add_pkg(&a, PKG_RPM, "openssl-libs", "1:1.1.1k-7.el8_6", "openssl", NULL, NULL);
	add_pkg(&a, PKG_RPM, "nodejs", "1:14.20.0-2.module_el8.6.0+3169+3d4fe9a2", NULL, NULL,
		"nodejs:14:8060020220803094405:ad008a3a");
	struct match_result r;
	run_match(db, &a, &r);
	assert_int_equal(count_for(&r, &a, "openssl-libs"), 2);
	const struct vuln_match *m = find(&r, &a, "openssl-libs", "CVE-2023-0286");
	assert_non_null(m);
	assert_int_equal(m->naliases, 1);
	assert_string_equal(m->aliases[0], "ALSA-2023:0101");
	assert_string_equal(m->fixed, "1:1.1.1k-8.el8_7");
	assert_int_equal(m->severity, SEV_HIGH); /* the ALSA record's rating */
	m = find(&r, &a, "openssl-libs", "ALSA-2023:0202");
	assert_non_null(m);
	assert_int_equal(m->naliases, 2);
	assert_int_equal(count_for(&r, &a, "nodejs"), 1);
	assert_non_null(find(&r, &a, "nodejs", "ALSA-2023:0050"));
	match_result_free(&r);

	/* The same nodejs without a module label: only the plain advisory. */
	a.pkgs[1].modularity = NULL;
	a.pkgs[1].version = "1:14.20.0-2.el8";
	run_match(db, &a, &r);
	assert_int_equal(count_for(&r, &a, "nodejs"), 1);
	assert_non_null(find(&r, &a, "nodejs", "ALSA-2023:0052"));
	match_result_free(&r);
	artifact_free(&a);
	vulndb_close(db);
}

/* Unknown feeds and bad versions are warnings, never matches. */
static void test_match_warnings(void **state)
{
	(void)state;
	struct vulndb *db = db_open();
	build_debian(db);
	struct artifact a;
	artifact_init(&a);
	set_os(&a, "rocky", "rocky", "9.3");
	for (int i = 0; i < 3; i++)
		add_pkg(&a, PKG_RPM, i == 0 ? "bash" : i == 1 ? "glibc" : "zlib", "5.1-1.el9", NULL, NULL, NULL);
	struct match_result r;
	run_match(db, &a, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.nwarnings, 1);
	assert_non_null(strstr(r.warnings[0], "no advisory feed for rocky 9.3"));
	assert_non_null(strstr(r.warnings[0], "(3)"));
	match_result_free(&r);
	artifact_free(&a);

	artifact_init(&a);
	set_os(&a, "debian", "debian", "12");
	add_pkg(&a, PKG_DEB, "libc6", "not a version!", "glibc", "not a version!", NULL);
	run_match(db, &a, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.nwarnings, 1);
	assert_non_null(strstr(r.warnings[0], "not a valid deb version"));
	match_result_free(&r);
	artifact_free(&a);

	/* A release the database has nothing for is said once. */
	artifact_init(&a);
	set_os(&a, "debian", "debian", "13");
	const char *names[] = { "a", "b", "c", "d", "e", "f" };
	for (int i = 0; i < 6; i++)
		add_pkg(&a, PKG_DEB, names[i], "1.0-1", NULL, NULL, NULL);
	run_match(db, &a, &r);
	assert_int_equal(r.nwarnings, 1);
	assert_non_null(strstr(r.warnings[0], "no advisory data for debian:13"));
	match_result_free(&r);
	artifact_free(&a);
	vulndb_close(db);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_debian),    cmocka_unit_test(test_keys_other),
		cmocka_unit_test(test_names),          cmocka_unit_test(test_ranges_distros),
		cmocka_unit_test(test_ranges_languages), cmocka_unit_test(test_ranges_shapes),
		cmocka_unit_test(test_match_debian),   cmocka_unit_test(test_match_alma),
		cmocka_unit_test(test_match_warnings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
