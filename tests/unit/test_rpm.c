/* rpm database analyzer: the three fixtures against their expected lists,
 * header blobs built by hand (including hostile ones), and damaged
 * databases that must give warnings, never crashes or hangs. */
#include "testutil.h"

#include <sqlite3.h>

#include "analyze/analyzer.h"
#include "analyze/rpm_bdb.h"
#include "analyze/rpm_header.h"
#include "analyze/rpm_ndb.h"
#include "analyze/rpm_sqlite.h"
#include "image/layer.h"
#include "image/limits.h"
#include "image/view.h"
#include "sbom/artifact.h"
#include "util/log.h"
#include <sys/stat.h>

extern const struct analyzer analyzer_rpm;

/* ---- a header blob builder ---- */

struct hb {
	unsigned char idx[256 * 16];
	size_t il;
	unsigned char *data;
	size_t dl, cap;
};

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void hb_init(struct hb *h)
{
	memset(h, 0, sizeof *h);
	h->cap = 1 << 20;
	h->data = calloc(1, h->cap);
	assert_non_null(h->data);
}

static void hb_free(struct hb *h) { free(h->data); }

/* An index entry with arbitrary fields, for hostile cases. */
static void hb_entry(struct hb *h, uint32_t tag, uint32_t type, uint32_t off, uint32_t count)
{
	assert_true(h->il < 256);
	unsigned char *e = h->idx + h->il++ * 16;
	put_be32(e, tag);
	put_be32(e + 4, type);
	put_be32(e + 8, off);
	put_be32(e + 12, count);
}

static void hb_add(struct hb *h, uint32_t tag, uint32_t type, const void *p, size_t n, uint32_t count)
{
	if (type == RPM_INT32_TYPE)
		h->dl = (h->dl + 3) & ~(size_t)3;
	assert_true(h->dl + n <= h->cap);
	hb_entry(h, tag, type, (uint32_t)h->dl, count);
	memcpy(h->data + h->dl, p, n);
	h->dl += n;
}

static void hb_str(struct hb *h, uint32_t tag, const char *s)
{
	hb_add(h, tag, RPM_STRING_TYPE, s, strlen(s) + 1, 1);
}

static void hb_strv(struct hb *h, uint32_t tag, const char *const *v, size_t n)
{
	size_t start = h->dl;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v[i]) + 1;
		assert_true(h->dl + l <= h->cap);
		memcpy(h->data + h->dl, v[i], l);
		h->dl += l;
	}
	hb_entry(h, tag, RPM_STRING_ARRAY_TYPE, (uint32_t)start, (uint32_t)n);
}

static void hb_u32v(struct hb *h, uint32_t tag, const uint32_t *v, size_t n)
{
	h->dl = (h->dl + 3) & ~(size_t)3;
	size_t start = h->dl;
	for (size_t i = 0; i < n; i++) {
		assert_true(h->dl + 4 <= h->cap);
		put_be32(h->data + h->dl, v[i]);
		h->dl += 4;
	}
	hb_entry(h, tag, RPM_INT32_TYPE, (uint32_t)start, (uint32_t)n);
}

static void hb_nvr(struct hb *h, const char *n, const char *v, const char *r)
{
	hb_str(h, RPMTAG_NAME, n);
	hb_str(h, RPMTAG_VERSION, v);
	hb_str(h, RPMTAG_RELEASE, r);
}

/* Serializes; caller frees. */
static unsigned char *hb_blob(const struct hb *h, size_t *len)
{
	*len = 8 + h->il * 16 + h->dl;
	unsigned char *b = malloc(*len);
	assert_non_null(b);
	put_be32(b, (uint32_t)h->il);
	put_be32(b + 4, (uint32_t)h->dl);
	memcpy(b + 8, h->idx, h->il * 16);
	memcpy(b + 8 + h->il * 16, h->data, h->dl);
	return b;
}

/* Runs a built header through the sink into a fresh artifact. */
static void parse_hb(const struct hb *h, struct artifact *a)
{
	size_t len;
	unsigned char *b = hb_blob(h, &len);
	struct rpmdb_sink s;
	artifact_init(a);
	rpmdb_sink_init(&s, a, "var/lib/rpm/Packages");
	assert_int_equal(rpmdb_sink_blob(&s, b, len), BOSUN_OK);
	rpmdb_sink_finish(&s);
	free(b);
}

static bool has_warning(const struct artifact *a, const char *needle)
{
	for (size_t i = 0; i < a->nwarnings; i++)
		if (strstr(a->warnings[i], needle))
			return true;
	return false;
}

/* ---- header tests ---- */

static void test_header_fields(void **state)
{
	(void)state;
	struct hb h;
	hb_init(&h);
	hb_nvr(&h, "bash", "5.1.8", "6.el9");
	hb_str(&h, RPMTAG_ARCH, "x86_64");
	hb_str(&h, RPMTAG_LICENSE, "GPLv3+");
	hb_str(&h, RPMTAG_VENDOR, "Red Hat, Inc.");
	hb_str(&h, RPMTAG_PACKAGER, "Red Hat <bugs@redhat.com>");
	hb_str(&h, RPMTAG_SOURCERPM, "bash-5.1.8-6.el9.src.rpm");
	hb_str(&h, RPMTAG_MODULARITYLABEL, "nodejs:18:9020:rhel9");
	const char *dirs[] = { "/usr/bin/", "/etc/skel/" };
	const char *bases[] = { "bash", ".bashrc", "sh" };
	uint32_t di[] = { 0, 1, 0 };
	hb_strv(&h, RPMTAG_DIRNAMES, dirs, 2);
	hb_strv(&h, RPMTAG_BASENAMES, bases, 3);
	hb_u32v(&h, RPMTAG_DIRINDEXES, di, 3);
	struct artifact a;
	parse_hb(&h, &a);
	assert_int_equal(a.npkgs, 1);
	assert_int_equal(a.nwarnings, 0);
	struct package *p = &a.pkgs[0];
	assert_int_equal(p->type, PKG_RPM);
	assert_string_equal(p->name, "bash");
	assert_string_equal(p->version, "5.1.8-6.el9");
	assert_int_equal(p->epoch, -1);
	assert_string_equal(p->arch, "x86_64");
	assert_string_equal(p->license, "GPLv3+");
	assert_string_equal(p->vendor, "Red Hat, Inc.");
	assert_string_equal(p->maintainer, "Red Hat <bugs@redhat.com>");
	assert_string_equal(p->modularity, "nodejs:18:9020:rhel9");
	assert_null(p->source_name); /* same as the binary name */
	assert_string_equal(p->source_version, "5.1.8-6.el9");
	assert_string_equal(p->found_in, "var/lib/rpm/Packages");
	assert_int_equal(p->nfiles, 3);
	assert_string_equal(p->files[0], "usr/bin/bash");
	assert_string_equal(p->files[1], "etc/skel/.bashrc");
	assert_string_equal(p->files[2], "usr/bin/sh");
	artifact_free(&a);
	hb_free(&h);
}

static void test_header_epoch(void **state)
{
	(void)state;
	uint32_t epochs[] = { 0, 2 };
	const char *want[] = { "0:1.0-1", "2:1.0-1" };
	for (int i = 0; i < 2; i++) {
		struct hb h;
		hb_init(&h);
		hb_nvr(&h, "openssl", "1.0", "1");
		hb_u32v(&h, RPMTAG_EPOCH, &epochs[i], 1);
		hb_str(&h, RPMTAG_SOURCERPM, "openssl3-1.0-1.src.rpm");
		struct artifact a;
		parse_hb(&h, &a);
		assert_int_equal(a.npkgs, 1);
		assert_string_equal(a.pkgs[0].version, want[i]);
		assert_int_equal(a.pkgs[0].epoch, (int)epochs[i]);
		assert_string_equal(a.pkgs[0].source_name, "openssl3");
		assert_null(a.pkgs[0].arch);
		assert_null(a.pkgs[0].files);
		artifact_free(&a);
		hb_free(&h);
	}
}

static void test_header_gpg_pubkey_skipped(void **state)
{
	(void)state;
	struct hb h;
	hb_init(&h);
	hb_nvr(&h, "gpg-pubkey", "fd431d51", "4ae0493b");
	struct artifact a;
	parse_hb(&h, &a);
	assert_int_equal(a.npkgs, 0);
	assert_int_equal(a.nwarnings, 0);
	artifact_free(&a);
	hb_free(&h);
}

static void test_header_required_tags(void **state)
{
	(void)state;
	struct hb h;
	hb_init(&h);
	hb_str(&h, RPMTAG_NAME, "x");
	hb_str(&h, RPMTAG_VERSION, "1");
	struct artifact a;
	parse_hb(&h, &a);
	assert_int_equal(a.npkgs, 0);
	assert_true(has_warning(&a, "without RELEASE"));
	artifact_free(&a);
	hb_free(&h);

	hb_init(&h);
	hb_nvr(&h, "", "1", "1");
	parse_hb(&h, &a);
	assert_int_equal(a.npkgs, 0);
	assert_true(has_warning(&a, "malformed NAME"));
	artifact_free(&a);
	hb_free(&h);
}

static void test_header_last_entry_wins(void **state)
{
	(void)state;
	struct hb h;
	hb_init(&h);
	hb_nvr(&h, "a", "1", "1");
	hb_str(&h, RPMTAG_VERSION, "2");
	struct artifact a;
	parse_hb(&h, &a);
	assert_int_equal(a.npkgs, 1);
	assert_string_equal(a.pkgs[0].version, "2-1");
	artifact_free(&a);
	hb_free(&h);
}

static void test_header_init_bounds(void **state)
{
	(void)state;
	struct rpm_header rh;
	unsigned char b[64] = { 0 };
	assert_int_equal(rpm_header_init(&rh, b, 4, NULL), BOSUN_EFORMAT);
	/* il = 0 */
	assert_int_equal(rpm_header_init(&rh, b, 8, NULL), BOSUN_EFORMAT);
	/* il beyond rpm's limit */
	put_be32(b, 0x10000);
	assert_int_equal(rpm_header_init(&rh, b, sizeof b, NULL), BOSUN_EFORMAT);
	/* il = 1 but no room for the entry */
	put_be32(b, 1);
	put_be32(b + 4, 0);
	assert_int_equal(rpm_header_init(&rh, b, 16, NULL), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_init(&rh, b, 24, NULL), BOSUN_OK);
	/* dl larger than the blob, and huge */
	put_be32(b + 4, 41);
	assert_int_equal(rpm_header_init(&rh, b, 64, NULL), BOSUN_EFORMAT);
	put_be32(b + 4, 0xffffffffu);
	assert_int_equal(rpm_header_init(&rh, b, 64, NULL), BOSUN_EFORMAT);
	/* the .rpm file magic in front is accepted */
	unsigned char m[40] = { 0x8e, 0xad, 0xe8, 0x01 };
	put_be32(m + 8, 1);
	put_be32(m + 12, 4);
	assert_int_equal(rpm_header_init(&rh, m, sizeof m, NULL), BOSUN_OK);
	assert_int_equal(rh.il, 1);
	assert_int_equal(rh.dl, 4);
}

/* Entries whose offsets and counts point outside the data store. */
static void test_header_entry_bounds(void **state)
{
	(void)state;
	struct hb h;
	hb_init(&h);
	hb_str(&h, RPMTAG_NAME, "n");
	size_t dl0 = h.dl;
	hb_entry(&h, RPMTAG_VERSION, RPM_STRING_TYPE, 0xfffffff0u, 1);   /* offset far out */
	hb_entry(&h, RPMTAG_RELEASE, RPM_STRING_TYPE, (uint32_t)dl0, 1); /* offset == dl */
	hb_entry(&h, RPMTAG_EPOCH, RPM_INT32_TYPE, 0, 0x40000000u);      /* count * 4 overflows 32 bits */
	hb_entry(&h, RPMTAG_DIRINDEXES, RPM_INT32_TYPE, 0, 0);           /* count 0 */
	hb_entry(&h, RPMTAG_BASENAMES, RPM_STRING_ARRAY_TYPE, 0, 1000);  /* more strings than bytes */
	hb_entry(&h, RPMTAG_DIRNAMES, RPM_STRING_ARRAY_TYPE, 0, 2);      /* only one string there */
	hb_entry(&h, RPMTAG_ARCH, RPM_INT32_TYPE, 0, 1);                 /* wrong type */
	hb_entry(&h, RPMTAG_LICENSE, RPM_STRING_TYPE, 0, 5);             /* STRING with count 5 */
	hb_entry(&h, RPMTAG_VENDOR, 0xffffffffu, 0, 1);                  /* unknown type */
	/* an unterminated string at the very end of the data store */
	memcpy(h.data + h.dl, "abc", 3);
	hb_entry(&h, RPMTAG_PACKAGER, RPM_STRING_TYPE, (uint32_t)h.dl, 1);
	h.dl += 3;
	size_t len;
	unsigned char *b = hb_blob(&h, &len);
	struct rpm_header rh;
	assert_int_equal(rpm_header_init(&rh, b, len, NULL), BOSUN_OK);
	struct slice s;
	uint32_t u;
	const unsigned char *vals;
	struct rpm_strv v;
	assert_int_equal(rpm_header_string(&rh, RPMTAG_NAME, &s), BOSUN_OK);
	assert_int_equal(rpm_header_string(&rh, RPMTAG_VERSION, &s), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_string(&rh, RPMTAG_RELEASE, &s), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_u32(&rh, RPMTAG_EPOCH, &u), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_u32_array(&rh, RPMTAG_DIRINDEXES, &vals, &u), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_strings(&rh, RPMTAG_BASENAMES, &v), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_strings(&rh, RPMTAG_DIRNAMES, &v), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_string(&rh, RPMTAG_ARCH, &s), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_string(&rh, RPMTAG_LICENSE, &s), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_string(&rh, RPMTAG_VENDOR, &s), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_string(&rh, RPMTAG_PACKAGER, &s), BOSUN_EFORMAT);
	assert_int_equal(rpm_header_string(&rh, RPMTAG_SUMMARY, &s), BOSUN_ENOTFOUND);
	free(b);

	/* The whole header is unusable (VERSION is bad): skipped with a warning. */
	struct artifact a;
	parse_hb(&h, &a);
	assert_int_equal(a.npkgs, 0);
	assert_true(has_warning(&a, "malformed VERSION"));
	artifact_free(&a);
	hb_free(&h);
}

/* Optional tags that are malformed cost a warning, not the package. */
static void test_header_bad_optional(void **state)
{
	(void)state;
	struct hb h;
	hb_init(&h);
	hb_nvr(&h, "p", "1", "1");
	hb_entry(&h, RPMTAG_ARCH, RPM_STRING_TYPE, 0x7fffffff, 1);
	hb_entry(&h, RPMTAG_EPOCH, RPM_INT32_TYPE, 1u << 30, 1);
	hb_str(&h, RPMTAG_SOURCERPM, "garbage");
	const char *bases[] = { "a", "b" };
	const char *dirs[] = { "/x/" };
	uint32_t di[] = { 0, 7 }; /* 7: no such directory */
	hb_strv(&h, RPMTAG_BASENAMES, bases, 2);
	hb_strv(&h, RPMTAG_DIRNAMES, dirs, 1);
	hb_u32v(&h, RPMTAG_DIRINDEXES, di, 2);
	struct artifact a;
	parse_hb(&h, &a);
	assert_int_equal(a.npkgs, 1);
	assert_null(a.pkgs[0].arch);
	assert_int_equal(a.pkgs[0].epoch, -1);
	assert_string_equal(a.pkgs[0].version, "1-1");
	assert_null(a.pkgs[0].source_version);
	assert_int_equal(a.pkgs[0].nfiles, 1);
	assert_string_equal(a.pkgs[0].files[0], "x/a");
	assert_true(has_warning(&a, "malformed ARCH"));
	assert_true(has_warning(&a, "malformed epoch"));
	assert_true(has_warning(&a, "malformed SOURCERPM"));
	assert_true(has_warning(&a, "directory index out of range"));
	artifact_free(&a);
	hb_free(&h);

	/* BASENAMES and DIRINDEXES of different lengths: no files. */
	hb_init(&h);
	hb_nvr(&h, "p", "1", "1");
	hb_strv(&h, RPMTAG_BASENAMES, bases, 2);
	hb_strv(&h, RPMTAG_DIRNAMES, dirs, 1);
	hb_u32v(&h, RPMTAG_DIRINDEXES, di, 1);
	parse_hb(&h, &a);
	assert_int_equal(a.npkgs, 1);
	assert_int_equal(a.pkgs[0].nfiles, 0);
	assert_true(has_warning(&a, "inconsistent"));
	artifact_free(&a);
	hb_free(&h);
}

static void test_header_old_filenames(void **state)
{
	(void)state;
	struct hb h;
	hb_init(&h);
	hb_nvr(&h, "old", "1", "1");
	const char *paths[] = { "/bin/old", "/etc/old.conf" };
	hb_strv(&h, RPMTAG_OLDFILENAMES, paths, 2);
	struct artifact a;
	parse_hb(&h, &a);
	assert_int_equal(a.npkgs, 1);
	assert_int_equal(a.pkgs[0].nfiles, 2);
	assert_string_equal(a.pkgs[0].files[1], "etc/old.conf");
	artifact_free(&a);
	hb_free(&h);
}

/* Thousands of basenames all in one very long directory: the expansion is
 * cut off by the budget instead of taking gigabytes. */
static void test_header_files_budget(void **state)
{
	(void)state;
	struct hb h;
	hb_init(&h);
	hb_nvr(&h, "bomb", "1", "1");
	enum { N = 50000, DIRLEN = 8000 };
	char *dir = malloc(DIRLEN + 1);
	memset(dir, 'd', DIRLEN);
	dir[DIRLEN] = 0;
	const char *dirs[] = { dir };
	hb_strv(&h, RPMTAG_DIRNAMES, dirs, 1);
	size_t start = h.dl;
	for (int i = 0; i < N; i++)
		h.data[h.dl++] = 0; /* empty basenames */
	hb_entry(&h, RPMTAG_BASENAMES, RPM_STRING_ARRAY_TYPE, (uint32_t)start, N);
	h.dl = (h.dl + 3) & ~(size_t)3;
	hb_entry(&h, RPMTAG_DIRINDEXES, RPM_INT32_TYPE, (uint32_t)h.dl, N);
	h.dl += 4 * N; /* all zero: directory 0 */
	struct artifact a;
	parse_hb(&h, &a);
	assert_int_equal(a.npkgs, 1);
	assert_true(a.pkgs[0].nfiles > 0);
	assert_true(a.pkgs[0].nfiles < N);
	assert_true(a.arena.total < (size_t)64 << 20);
	assert_true(has_warning(&a, "truncated"));
	artifact_free(&a);
	hb_free(&h);
	free(dir);
}

static void test_split_sourcerpm(void **state)
{
	(void)state;
	struct {
		const char *in, *name, *version;
	} ok[] = {
		{ "foo-1.2-3.el8.src.rpm", "foo", "1.2-3.el8" },
		{ "util-linux-2.32.1-42.el8_8.src.rpm", "util-linux", "2.32.1-42.el8_8" },
		{ "gcc11-11.2.1+git610-1.3.9.nosrc.rpm", "gcc11", "11.2.1+git610-1.3.9" },
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		struct slice n, v;
		assert_true(rpm_split_sourcerpm(slice_cstr(ok[i].in), &n, &v));
		assert_true(slice_eq_cstr(n, ok[i].name));
		assert_true(slice_eq_cstr(v, ok[i].version));
	}
	const char *bad[] = { "", ".src.rpm", "foo.src.rpm", "foo-1.src.rpm", "-1-2.src.rpm", "foo--2.src.rpm",
			      "foo-1-.src.rpm", "foo-1-2.rpm", "foo-1-2.src.rpmx" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct slice n, v;
		assert_false(rpm_split_sourcerpm(slice_cstr(bad[i]), &n, &v));
	}
}

/* ---- fixtures ---- */

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void assert_str_or_null(const char *got, const char *want, const char *what, const char *pkg)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(want, got) != 0)
		fail_msg("%s: %s is \"%s\", expected \"%s\"", pkg, what, got ? got : "(null)",
			 want ? want : "(null)");
}

/* One expected package against what we found; compares every field the
 * expectation states that struct package carries. */
static void check_package(const struct package *p, json_t *want, const char *found_in)
{
	const char *name = jstr(want, "name");
	char buf[512];
	json_t *ep = json_object_get(want, "epoch");
	int epoch = json_is_integer(ep) ? (int)json_integer_value(ep) : -1;
	if (epoch >= 0)
		snprintf(buf, sizeof buf, "%d:%s-%s", epoch, jstr(want, "version"), jstr(want, "release"));
	else
		snprintf(buf, sizeof buf, "%s-%s", jstr(want, "version"), jstr(want, "release"));
	assert_int_equal(p->type, PKG_RPM);
	assert_str_or_null(p->version, buf, "version", name);
	assert_int_equal(p->epoch, epoch);
	assert_str_or_null(p->arch, jstr(want, "arch"), "arch", name);
	assert_str_or_null(p->license, jstr(want, "license"), "license", name);
	assert_str_or_null(p->vendor, jstr(want, "vendor"), "vendor", name);
	assert_str_or_null(p->found_in, found_in, "found_in", name);
	/* Rebuild the source rpm file name from what we split it into. */
	const char *srpm = jstr(want, "source_rpm");
	if (srpm) {
		assert_non_null(p->source_version);
		snprintf(buf, sizeof buf, "%s-%s.src.rpm", p->source_name ? p->source_name : p->name,
			 p->source_version);
		assert_str_or_null(buf, srpm, "source rpm", name);
	} else {
		assert_null(p->source_version);
	}
}

static const struct package *find_pkg(const struct artifact *a, const char *name, const char *arch)
{
	const struct package *hit = NULL;
	for (size_t i = 0; i < a->npkgs; i++) {
		const struct package *p = &a->pkgs[i];
		if (strcmp(p->name, name) != 0 || (arch && (!p->arch || strcmp(p->arch, arch) != 0)))
			continue;
		if (hit)
			fail_msg("package %s listed twice", name);
		hit = p;
	}
	return hit;
}

static unsigned char *load_fixture(const char *kase, json_t **expected, const char **input, size_t *len)
{
	char rel[512];
	snprintf(rel, sizeof rel, "rpm/%s/expected.json", kase);
	*expected = test_load_json(test_pkgdb_path(rel));
	*input = json_string_value(json_array_get(json_object_get(*expected, "inputs"), 0));
	assert_non_null(*input);
	snprintf(rel, sizeof rel, "rpm/%s/%s", kase, *input);
	return test_read_file(test_pkgdb_path(rel), len);
}

/* Parses one fixture case; total < 0 means "trust expected.json". */
static void check_case(const char *kase, long total, enum rpmdb_format format)
{
	json_t *exp;
	const char *input;
	size_t len;
	unsigned char *data = load_fixture(kase, &exp, &input, &len);
	assert_int_equal(rpmdb_detect(data, len), format);
	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	int rc = rpmdb_parse(data, len, input, &a, &e);
	if (rc != BOSUN_OK)
		fail_msg("%s: %s", kase, e.msg);
	assert_int_equal(a.nwarnings, 0);
	json_t *pkgs = json_object_get(exp, "packages");
	bool complete = json_is_true(json_object_get(exp, "complete"));
	if (total < 0) {
		assert_true(complete);
		total = (long)json_integer_value(json_object_get(exp, "package_count"));
	}
	assert_int_equal(a.npkgs, (size_t)total);
	size_t i;
	json_t *want;
	json_array_foreach(pkgs, i, want) {
		const struct package *p = find_pkg(&a, jstr(want, "name"), jstr(want, "arch"));
		if (!p)
			fail_msg("%s: %s not found", kase, jstr(want, "name"));
		check_package(p, want, input);
	}
	if (complete)
		assert_int_equal(json_array_size(pkgs), a.npkgs);
	artifact_free(&a);
	json_decref(exp);
	free(data);
}

static void test_fixture_ndb(void **state)
{
	(void)state;
	check_case("gorpmdb-sle15-bci-ndb", -1, RPMDB_NDB);
}

static void test_fixture_bdb(void **state)
{
	(void)state;
	check_case("gorpmdb-libuuid-bdb", -1, RPMDB_BDB);
}

static void test_fixture_sqlite(void **state)
{
	(void)state;
	/* Upstream asserts only curl; the database holds 129 packages. */
	check_case("gorpmdb-cbl-mariner-2.0-sqlite", 129, RPMDB_SQLITE);
}

static bool has_file(const struct package *p, const char *path)
{
	for (size_t i = 0; i < p->nfiles; i++)
		if (strcmp(p->files[i], path) == 0)
			return true;
	return false;
}

/* Details beyond expected.json: files, maintainer, epochs, source names. */
static void test_fixture_details(void **state)
{
	(void)state;
	json_t *exp;
	const char *input;
	size_t len;
	unsigned char *data = load_fixture("gorpmdb-cbl-mariner-2.0-sqlite", &exp, &input, &len);
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(rpmdb_parse(data, len, input, &a, NULL), BOSUN_OK);
	const struct package *curl = find_pkg(&a, "curl", "x86_64");
	assert_non_null(curl);
	assert_true(has_file(curl, "usr/bin/curl"));
	assert_null(curl->source_name);
	const struct package *ca = find_pkg(&a, "ca-certificates-base", "noarch");
	assert_non_null(ca);
	assert_int_equal(ca->epoch, 1);
	assert_string_equal(ca->version, "1:2.0.0-1.cm2");
	assert_string_equal(ca->source_name, "ca-certificates");
	artifact_free(&a);
	json_decref(exp);
	free(data);

	data = load_fixture("gorpmdb-libuuid-bdb", &exp, &input, &len);
	artifact_init(&a);
	assert_int_equal(rpmdb_parse(data, len, input, &a, NULL), BOSUN_OK);
	assert_int_equal(a.npkgs, 1);
	assert_string_equal(a.pkgs[0].source_name, "util-linux");
	assert_string_equal(a.pkgs[0].maintainer, "Red Hat, Inc. <http://bugzilla.redhat.com/bugzilla>");
	assert_true(has_file(&a.pkgs[0], "usr/lib64/libuuid.so.1"));
	artifact_free(&a);
	json_decref(exp);
	free(data);
}

/* ---- damaged databases ---- */

/* Parses a mutated database; it may fail or warn but must not crash, hang
 * or produce more than the intact file holds. */
static void parse_damaged(const unsigned char *data, size_t len, size_t max_pkgs)
{
	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	int rc = rpmdb_parse(data, len, "var/lib/rpm/x", &a, &e);
	assert_true(rc == BOSUN_OK || rc == BOSUN_EFORMAT || rc == BOSUN_ELIMIT);
	if (rc != BOSUN_OK)
		assert_int_equal(a.npkgs, 0);
	assert_true(a.npkgs <= max_pkgs);
	assert_true(a.nwarnings <= RPMDB_MAX_WARNINGS + 1);
	artifact_free(&a);
}

static const char *const cases[] = { "gorpmdb-sle15-bci-ndb", "gorpmdb-libuuid-bdb",
				     "gorpmdb-cbl-mariner-2.0-sqlite" };

static void test_truncated(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		json_t *exp;
		const char *input;
		size_t len;
		unsigned char *data = load_fixture(cases[c], &exp, &input, &len);
		size_t cuts[] = { 0, 1, 15, 16, 31, 32, 99, 100, 511, 512, 4095, 4096, 4097, 8192 };
		for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
			unsigned char *copy = malloc(cuts[i] + 1); /* exact size, for ASan */
			memcpy(copy, data, cuts[i]);
			parse_damaged(copy, cuts[i], 129);
			free(copy);
		}
		for (size_t k = 1; k < 24; k++) {
			size_t cut = len / 24 * k + k;
			unsigned char *copy = malloc(cut);
			memcpy(copy, data, cut);
			parse_damaged(copy, cut, 129);
			free(copy);
		}
		json_decref(exp);
		free(data);
	}
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Random bytes after each magic, and random byte flips inside the real files. */
static void test_garbage(void **state)
{
	(void)state;
	uint32_t seed = 42;
	size_t n = 1 << 16;
	unsigned char *g = malloc(n);
	for (int round = 0; round < 40; round++) {
		for (size_t i = 0; i < n; i++)
			g[i] = (unsigned char)lcg(&seed);
		switch (round % 4) {
		case 0: memcpy(g, "SQLite format 3", 16); break;
		case 1: memcpy(g, "RpmP\0\0\0\0\0\0\0\0\x02\0\0\0", 16); break;
		case 2: memcpy(g + 12, "\x61\x15\x06\x00\x09\0\0\0\x00\x10\0\0\0\x08", 14); break;
		default: break;
		}
		parse_damaged(g, n, 1000);
	}
	free(g);
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		json_t *exp;
		const char *input;
		size_t len;
		unsigned char *data = load_fixture(cases[c], &exp, &input, &len);
		unsigned char *copy = malloc(len);
		int rounds = c == 2 ? 6 : 60; /* SQLite copies are large */
		for (int r = 0; r < rounds; r++) {
			memcpy(copy, data, len);
			for (int k = 0; k < 20; k++)
				copy[lcg(&seed) % len] = (unsigned char)lcg(&seed);
			parse_damaged(copy, len, 129);
		}
		free(copy);
		json_decref(exp);
		free(data);
	}
}

/* Rewrites the little-endian BDB fixture in big-endian order, as a database
 * written on s390x or ppc64 would be. */
static void swap32_at(unsigned char *p)
{
	unsigned char t = p[0];
	p[0] = p[3];
	p[3] = t;
	t = p[1];
	p[1] = p[2];
	p[2] = t;
}

static void swap16_at(unsigned char *p)
{
	unsigned char t = p[0];
	p[0] = p[1];
	p[1] = t;
}

static void bdb_to_big_endian(unsigned char *d, size_t len)
{
	for (size_t o = 8; o < 72; o += 4)
		if (o != 24) /* the byte fields at 24..27 */
			swap32_at(d + o);
	for (size_t pg = 1; pg < len / 4096; pg++) {
		unsigned char *p = d + pg * 4096;
		int type = p[25];
		uint16_t n = (uint16_t)(p[20] | p[21] << 8);
		if (type == 2 || type == 13) {
			for (int i = 0; i < n; i++) {
				uint16_t off = (uint16_t)(p[26 + 2 * i] | p[27 + 2 * i] << 8);
				if (p[off] == 3) {
					swap32_at(p + off + 4);
					swap32_at(p + off + 8);
				}
				swap16_at(p + 26 + 2 * i);
			}
		}
		swap32_at(p + 8);
		swap32_at(p + 12);
		swap32_at(p + 16);
		swap16_at(p + 20);
		swap16_at(p + 22);
	}
}

static void test_bdb_big_endian(void **state)
{
	(void)state;
	json_t *exp;
	const char *input;
	size_t len;
	unsigned char *data = load_fixture("gorpmdb-libuuid-bdb", &exp, &input, &len);
	bdb_to_big_endian(data, len);
	assert_true(rpm_bdb_detect(data, len));
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(rpmdb_parse(data, len, input, &a, NULL), BOSUN_OK);
	assert_int_equal(a.npkgs, 1);
	assert_int_equal(a.nwarnings, 0);
	assert_string_equal(a.pkgs[0].version, "2.32.1-42.el8_8");
	artifact_free(&a);
	json_decref(exp);
	free(data);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* A small value stored inline on the hash page (HKEYDATA), which the
 * fixture (one large overflow value) does not exercise, next to rpm's
 * record 0, which is not a package. */
static void test_bdb_inline(void **state)
{
	(void)state;
	struct hb h;
	hb_init(&h);
	hb_nvr(&h, "tiny", "1", "2");
	size_t blen;
	unsigned char *blob = hb_blob(&h, &blen);
	enum { PS = 4096 };
	unsigned char *db = calloc(2, PS);
	put_le32(db + 12, 0x00061561);
	put_le32(db + 16, 9);
	put_le32(db + 20, PS);
	db[25] = 8;
	put_le32(db + 32, 1); /* last page */
	unsigned char *pg = db + PS;
	put_le32(pg + 8, 1);
	pg[20] = 4; /* entries */
	pg[25] = 13;
	/* items from the page end down: key 0, its counter, key 1, the header */
	size_t end = PS, offs[4];
	unsigned char k0[5] = { 1, 0, 0, 0, 0 }, v0[5] = { 1, 2, 0, 0, 0 }, k1[5] = { 1, 1, 0, 0, 0 };
	const unsigned char *items[4] = { k0, v0, k1, NULL };
	size_t lens[4] = { 5, 5, 5, blen + 1 };
	for (int i = 0; i < 4; i++) {
		end -= lens[i];
		offs[i] = end;
		if (items[i]) {
			memcpy(pg + end, items[i], lens[i]);
		} else {
			pg[end] = 1;
			memcpy(pg + end + 1, blob, blen);
		}
		pg[26 + 2 * i] = (unsigned char)offs[i];
		pg[27 + 2 * i] = (unsigned char)(offs[i] >> 8);
	}
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(rpmdb_parse(db, 2 * PS, "var/lib/rpm/Packages", &a, NULL), BOSUN_OK);
	assert_int_equal(a.nwarnings, 0);
	assert_int_equal(a.npkgs, 1);
	assert_string_equal(a.pkgs[0].version, "1-2");
	artifact_free(&a);
	free(db);
	free(blob);
	hb_free(&h);
}

/* Overflow chains that loop, point outside the file or at the wrong page type. */
static void test_bdb_overflow_damage(void **state)
{
	(void)state;
	json_t *exp;
	const char *input;
	size_t len;
	unsigned char *orig = load_fixture("gorpmdb-libuuid-bdb", &exp, &input, &len);
	unsigned char *d = malloc(len);
	struct {
		size_t off;
		uint32_t v;
	} edits[] = {
		{ 4 * 4096 + 16, 3 },        /* page 4 -> page 3: a cycle */
		{ 4 * 4096 + 16, 4 },        /* page 4 -> itself */
		{ 4 * 4096 + 16, 1000000 },  /* past the end */
		{ 4 * 4096 + 16, 1 },        /* to a hash page */
		{ 2 * 4096 + 4079 + 4, 0 },  /* HOFFPAGE to page 0 */
		{ 2 * 4096 + 4079 + 8, 0x7fffffff }, /* huge total length */
		{ 32, 0xffffffffu },         /* last page number */
	};
	for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
		memcpy(d, orig, len);
		put_le32(d + edits[i].off, edits[i].v);
		struct artifact a;
		artifact_init(&a);
		int rc = rpmdb_parse(d, len, input, &a, NULL);
		assert_int_equal(rc, BOSUN_OK);
		if (i < 6) {
			assert_int_equal(a.npkgs, 0);
			assert_true(a.nwarnings > 0);
		}
		artifact_free(&a);
	}
	/* A hash page whose entries point outside the page. */
	memcpy(d, orig, len);
	d[2 * 4096 + 26] = 0xff;
	d[2 * 4096 + 27] = 0xff;
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(rpmdb_parse(d, len, input, &a, NULL), BOSUN_OK);
	assert_int_equal(a.npkgs, 0);
	assert_true(has_warning(&a, "out of bounds"));
	artifact_free(&a);
	free(d);
	json_decref(exp);
	free(orig);
}

static void test_ndb_slot_damage(void **state)
{
	(void)state;
	json_t *exp;
	const char *input;
	size_t len;
	unsigned char *orig = load_fixture("gorpmdb-sle15-bci-ndb", &exp, &input, &len);
	unsigned char *d = malloc(len);
	/* slot 2 (at byte 32) of 35 packages */
	struct {
		size_t off;
		uint32_t v;
	} edits[] = {
		{ 32 + 8, 0xffffffffu },  /* block offset past the end */
		{ 32 + 12, 0xffffffffu }, /* block count past the end */
		{ 32 + 8, 1 },            /* blob inside the slot area */
		{ 32 + 4, 77 },           /* package index differs from the blob's */
		{ 32, 0 },                /* bad slot magic */
		{ 32 + 12, 1 },           /* too few blocks */
	};
	for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
		memcpy(d, orig, len);
		put_le32(d + edits[i].off, edits[i].v);
		struct artifact a;
		artifact_init(&a);
		assert_int_equal(rpmdb_parse(d, len, input, &a, NULL), BOSUN_OK);
		assert_int_equal(a.npkgs, 34);
		assert_int_equal(a.nwarnings, 1);
		artifact_free(&a);
	}
	/* Slot pages beyond the file, and a wrong version. */
	memcpy(d, orig, len);
	put_le32(d + 12, 0x7fffffff);
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(rpmdb_parse(d, len, input, &a, NULL), BOSUN_OK);
	assert_true(a.nwarnings > 0);
	artifact_free(&a);
	memcpy(d, orig, len);
	put_le32(d + 4, 1);
	artifact_init(&a);
	assert_int_equal(rpmdb_parse(d, len, input, &a, NULL), BOSUN_EFORMAT);
	artifact_free(&a);
	free(d);
	json_decref(exp);
	free(orig);
}

/* Builds an SQLite database image from SQL; caller frees with sqlite3_free. */
static unsigned char *make_sqlite(const char *sql, size_t *len)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		sqlite3_free(err);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_int64 n;
	unsigned char *p = sqlite3_serialize(db, "main", &n, 0);
	sqlite3_close(db);
	*len = (size_t)n;
	return p;
}

static void test_sqlite_hostile(void **state)
{
	(void)state;
	const char *efmt[] = {
		"CREATE TABLE Other (blob BLOB);",
		"CREATE TABLE T (blob BLOB); CREATE VIEW Packages AS SELECT blob FROM T;",
		"CREATE VIRTUAL TABLE Packages USING fts5(blob);",
		/* a never-ending query behind a view: views are disabled anyway */
		"CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "
		"SELECT x AS blob FROM c;",
	};
	for (size_t i = 0; i < sizeof efmt / sizeof *efmt; i++) {
		size_t len;
		unsigned char *db = make_sqlite(efmt[i], &len);
		if (!db)
			continue; /* e.g. fts5 not compiled in */
		struct artifact a;
		artifact_init(&a);
		struct berr e = { 0 };
		assert_int_equal(rpmdb_parse(db, len, "rpmdb.sqlite", &a, &e), BOSUN_EFORMAT);
		assert_int_equal(a.npkgs, 0);
		artifact_free(&a);
		sqlite3_free(db);
	}
	/* A generated column that makes every row huge: the first row already
	 * exceeds what the file could hold, so reading stops there. */
	size_t glen;
	unsigned char *gdb = make_sqlite("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, x, "
					 "blob BLOB AS (zeroblob(50000000)));"
					 "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 1000) "
					 "INSERT INTO Packages(x) SELECT i FROM c;",
					 &glen);
	assert_non_null(gdb);
	struct artifact ga;
	artifact_init(&ga);
	assert_int_equal(rpmdb_parse(gdb, glen, "rpmdb.sqlite", &ga, NULL), BOSUN_OK);
	assert_int_equal(ga.npkgs, 0);
	assert_int_equal(ga.nwarnings, 1);
	artifact_free(&ga);
	sqlite3_free(gdb);

	/* Rows that are not headers: warnings, no packages. */
	size_t len;
	unsigned char *db = make_sqlite("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB);"
					"INSERT INTO Packages(blob) VALUES (NULL), (x'00'), ('text'), "
					"(x'0000ffff00000000'), (zeroblob(100000));",
					&len);
	assert_non_null(db);
	struct artifact a;
	artifact_init(&a);
	assert_int_equal(rpmdb_parse(db, len, "rpmdb.sqlite", &a, NULL), BOSUN_OK);
	assert_int_equal(a.npkgs, 0);
	assert_int_equal(a.nwarnings, 5);
	artifact_free(&a);
	sqlite3_free(db);
}

/* ---- the analyzer through a merged two-layer view ---- */

static void add_file(struct layer_result *r, struct walk_shared *sh, const char *path,
		     const unsigned char *data, size_t len)
{
	struct layer_entry *le;
	struct berr e = { 0 };
	assert_int_equal(layer_result_add(r, sh, path, S_IFREG | 0644, len, NULL, &le, &e), BOSUN_OK);
	le->data = data;
	le->data_len = len;
}

/* Layer 0 holds the SLE database without one package, layer 1 the full
 * one: 34 packages come from layer 0, the added one from layer 1. Files that
 * are not rpm databases are ignored, with a warning only in var/lib/rpm. */
static void test_analyzer_layers(void **state)
{
	(void)state;
	json_t *exp;
	const char *input;
	size_t len;
	unsigned char *full = load_fixture("gorpmdb-sle15-bci-ndb", &exp, &input, &len);
	unsigned char *older = malloc(len);
	memcpy(older, full, len);
	put_le32(older + 32 + 8, 0); /* free the first slot */
	static const unsigned char text[] = "Package: apt\nVersion: 2.6\n";

	const struct analyzer *const table[] = { &analyzer_rpm, NULL };
	struct scan_limits lim = scan_limits_default();
	struct walk_shared sh = { .limits = &lim, .analyzers = table };
	struct scan_view *v = view_new(table);
	assert_non_null(v);
	struct layer_result r0 = { 0 }, r1 = { 0 };
	add_file(&r0, &sh, input, older, len);
	add_file(&r0, &sh, "srv/mirror/dists/main/Packages", text, sizeof text - 1);
	add_file(&r0, &sh, "var/lib/rpm/Packages", text, sizeof text - 1);
	add_file(&r1, &sh, input, full, len);
	assert_int_equal(view_apply_layer(v, 0, &r0), BOSUN_OK);
	assert_int_equal(view_apply_layer(v, 1, &r1), BOSUN_OK);

	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	assert_int_equal(analyzer_rpm.analyze(v, &a, &e), BOSUN_OK);
	assert_int_equal(a.npkgs, 35);
	assert_int_equal(a.nwarnings, 1);
	assert_true(has_warning(&a, "var/lib/rpm/Packages: not an rpm database"));
	size_t top = 0;
	for (size_t i = 0; i < a.npkgs; i++) {
		assert_string_equal(a.pkgs[i].found_in, input);
		if (a.pkgs[i].layer == 1)
			top++;
		else
			assert_int_equal(a.pkgs[i].layer, 0);
	}
	assert_int_equal(top, 1);
	artifact_free(&a);
	view_free(v);
	json_decref(exp);
	free(older);
	free(full);
}

/* ---- the analyzer's name test ---- */

static bool wants(const char *p) { return analyzer_rpm.wants(p, strlen(p)); }

static void test_wants(void **state)
{
	(void)state;
	assert_true(wants("var/lib/rpm/Packages"));
	assert_true(wants("usr/lib/sysimage/rpm/Packages.db"));
	assert_true(wants("usr/lib/sysimage/rpm/rpmdb.sqlite"));
	assert_true(wants("var/lib/rpm/rpmdb.sqlite"));
	assert_true(wants("opt/custom/rpmdb/Packages"));
	assert_true(wants("Packages"));
	assert_false(wants("var/lib/rpm/Name"));
	assert_false(wants("var/lib/rpm/rpmdb.sqlite-wal"));
	assert_false(wants("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"));
	assert_false(wants("var/lib/rpm/Packages/x"));
	assert_false(wants("var/lib/rpm/xPackages"));
	assert_false(wants(""));
}

static void test_detect(void **state)
{
	(void)state;
	unsigned char buf[512] = { 0 };
	assert_int_equal(rpmdb_detect(buf, sizeof buf), RPMDB_UNKNOWN);
	assert_int_equal(rpmdb_detect(NULL, 0), RPMDB_UNKNOWN);
	memcpy(buf, "RpmP", 4);
	assert_int_equal(rpmdb_detect(buf, sizeof buf), RPMDB_NDB);
	assert_int_equal(rpmdb_detect(buf, 31), RPMDB_UNKNOWN);
	memset(buf, 0, sizeof buf);
	memcpy(buf + 12, "\x00\x06\x15\x61", 4); /* big-endian */
	assert_int_equal(rpmdb_detect(buf, sizeof buf), RPMDB_BDB);
	struct artifact a;
	artifact_init(&a);
	struct berr e = { 0 };
	assert_int_equal(rpmdb_parse((const unsigned char *)"Types: deb\n", 11, "x", &a, &e), BOSUN_EFORMAT);
	assert_int_equal(a.npkgs, 0);
	artifact_free(&a);
}

int main(void)
{
	log_set_quiet(true); /* damaged inputs warn by design */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_header_epoch),
		cmocka_unit_test(test_header_gpg_pubkey_skipped),
		cmocka_unit_test(test_header_required_tags),
		cmocka_unit_test(test_header_last_entry_wins),
		cmocka_unit_test(test_header_init_bounds),
		cmocka_unit_test(test_header_entry_bounds),
		cmocka_unit_test(test_header_bad_optional),
		cmocka_unit_test(test_header_old_filenames),
		cmocka_unit_test(test_header_files_budget),
		cmocka_unit_test(test_split_sourcerpm),
		cmocka_unit_test(test_fixture_ndb),
		cmocka_unit_test(test_fixture_bdb),
		cmocka_unit_test(test_fixture_sqlite),
		cmocka_unit_test(test_fixture_details),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_bdb_big_endian),
		cmocka_unit_test(test_bdb_inline),
		cmocka_unit_test(test_bdb_overflow_damage),
		cmocka_unit_test(test_ndb_slot_damage),
		cmocka_unit_test(test_sqlite_hostile),
		cmocka_unit_test(test_analyzer_layers),
		cmocka_unit_test(test_wants),
		cmocka_unit_test(test_detect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
