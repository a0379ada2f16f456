/* The OSV importer on real advisories from ../shared/vulndata (values read
 * off the files by hand), on feed directories, and on malformed copies made
 * here: each malformed file is an error naming it (and its line where the
 * parser knows one), and the database keeps what it had. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "vulndb/osv.h"

extern const struct importer importer_osv;

/* ---- helpers ------------------------------------------------------------ */

static const char *vd(const char *rel)
{
	static char buf[4][4096];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/vulndata/%s", test_shared_dir(), rel);
	return buf[k];
}

static struct vulndb *mem_db(void)
{
	struct vulndb *db;
	struct berr e = { 0 };
	if (vulndb_open(":memory:", true, &db, &e))
		fail_msg("open: %s", e.msg);
	return db;
}

/* Imports one real file as a one-document source. */
static struct vulndb *import_one(const char *rel, struct import_stats *st)
{
	struct vulndb *db = mem_db();
	size_t n;
	char *data = (char *)test_read_file(vd(rel), &n);
	struct berr e = { 0 };
	struct vulndb_source src = { .name = "t" };
	char newest[64] = "";
	assert_int_equal(vulndb_source_begin(db, &src, &e), BOSUN_OK);
	bool yaml = strstr(rel, ".yaml") != NULL;
	if (osv_import_document(db, data, n, yaml, rel, st, newest, &e))
		fail_msg("%s: %s", rel, e.msg);
	assert_int_equal(vulndb_source_commit(db, &e), BOSUN_OK);
	free(data);
	return db;
}

struct rows {
	int n;
	char text[8][1024];
};

static int collect_row(const struct affected_row *r, void *ctx)
{
	struct rows *rs = ctx;
	if (rs->n >= 8)
		return BOSUN_OK;
	char *t = rs->text[rs->n++];
	size_t o = (size_t)snprintf(t, 1024, "%s %s %s", r->vuln_id, affect_status_name(r->status),
				    vuln_severity_name(r->severity));
	for (size_t i = 0; i < r->nranges && o < 1024; i++)
		o += (size_t)snprintf(t + o, 1024 - o, " [%s,%s%s%s%s]", r->ranges[i].introduced ? r->ranges[i].introduced : "",
				      r->ranges[i].fixed ? r->ranges[i].fixed : "",
				      r->ranges[i].last_affected ? "<=" : "",
				      r->ranges[i].last_affected ? r->ranges[i].last_affected : "",
				      r->ranges[i].limit ? " limit" : "");
	if (r->nversions && o < 1024)
		snprintf(t + o, 1024 - o, " versions=%zu:%s..%s", r->nversions, r->versions[0],
			 r->versions[r->nversions - 1]);
	return BOSUN_OK;
}

static struct rows lookup(struct vulndb *db, const char *eco, const char *pkg)
{
	struct rows rs = { 0 };
	struct berr e = { 0 };
	if (vulndb_lookup(db, eco, pkg, collect_row, &rs, &e))
		fail_msg("lookup: %s", e.msg);
	return rs;
}

struct info {
	int calls;
	char id[64], aliases[256], summary[256];
	enum vuln_severity severity;
	double cvss3, cvss4;
};

static int collect_vuln(const struct vuln_info *v, void *ctx)
{
	struct info *in = ctx;
	in->calls++;
	snprintf(in->id, sizeof in->id, "%s", v->id);
	snprintf(in->summary, sizeof in->summary, "%s", v->summary ? v->summary : "-");
	size_t o = 0;
	in->aliases[0] = '\0';
	for (size_t i = 0; i < v->naliases && o < sizeof in->aliases; i++)
		o += (size_t)snprintf(in->aliases + o, sizeof in->aliases - o, "%s%s", i ? "," : "", v->aliases[i]);
	in->severity = v->severity;
	in->cvss3 = v->cvss3_score;
	in->cvss4 = v->cvss4_score;
	return BOSUN_OK;
}

static struct info get(struct vulndb *db, const char *id)
{
	struct info in = { 0 };
	struct berr e = { 0 };
	if (vulndb_get_vuln(db, id, collect_vuln, &in, &e))
		fail_msg("get %s: %s", id, e.msg);
	return in;
}

static void write_file(const char *dir, const char *name, const char *text, size_t n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	fclose(f);
}

static void copy_file(const char *from, const char *dir, const char *name)
{
	size_t n;
	unsigned char *d = test_read_file(from, &n);
	write_file(dir, name, (const char *)d, n);
	free(d);
}

static void rm_rf(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---- real advisories ------------------------------------------------------ */

static void test_go(void **state)
{
	(void)state;
	struct import_stats st = { 0 };
	struct vulndb *db = import_one("go-vulndb/data/osv/GO-2023-1840.json", &st);
	assert_int_equal(st.vulns, 1);
	assert_int_equal(st.affected, 1);
	struct rows rs = lookup(db, "go", "stdlib");
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.text[0], "GO-2023-1840 fixed UNKNOWN [0,1.19.10] [1.20.0-0,1.20.5]");
	struct info in = get(db, "GO-2023-1840");
	assert_string_equal(in.aliases, "CVE-2023-29403");
	assert_string_equal(in.summary, "Unsafe behavior in setuid/setgid binaries in runtime");
	assert_true(in.cvss3 < 0);
	assert_int_equal(get(db, "CVE-2023-29403").calls, 1); /* found through its alias */
	vulndb_close(db);

	/* withdrawn advisories never match */
	st = (struct import_stats){ 0 };
	db = import_one("go-vulndb/data/osv/GO-2022-0617.json", &st);
	assert_int_equal(st.vulns, 0);
	assert_int_equal(st.skipped, 1);
	assert_int_equal(get(db, "GO-2022-0617").calls, 0);
	vulndb_close(db);
}

static void test_pypi_yaml(void **state)
{
	(void)state;
	struct import_stats st = { 0 };
	struct vulndb *db = import_one("pypa-advisory-db/vulns/apache-skywalking/PYSEC-2020-342.yaml", &st);
	struct rows rs = lookup(db, "pypi", "apache-skywalking");
	assert_int_equal(rs.n, 1);
	/* an open range from 0 and the ten listed versions; no fix known */
	assert_string_equal(rs.text[0], "PYSEC-2020-342 affected UNKNOWN [0,] versions=10:0.1.0..1.0.1");
	struct info in = get(db, "PYSEC-2020-342");
	assert_string_equal(in.aliases, "CVE-2020-13921");
	assert_true(in.cvss3 == 9.8);
	vulndb_close(db);

	/* PEP 503 name; quoted versions stay text ("1.4", "2") */
	st = (struct import_stats){ 0 };
	db = import_one("pypa-advisory-db/vulns/jw.util/PYSEC-2020-341.yaml", &st);
	assert_int_equal(lookup(db, "pypi", "jw.util").n, 0);
	rs = lookup(db, "pypi", "jw-util");
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.text[0],
			    "PYSEC-2020-341 fixed UNKNOWN [0,2.3] versions=37:-class.-jw.util.version.Version-..2.2");
	assert_string_equal(get(db, "PYSEC-2020-341").aliases, "CVE-2020-13388,GHSA-h72c-w3q3-55qq");
	vulndb_close(db);
}

static void test_almalinux(void **state)
{
	(void)state;
	struct import_stats st = { 0 };
	struct vulndb *db = import_one("almalinux-osv/advisories/almalinux8/ALSA-2019:0975.json", &st);
	/* one row per module stream build, as the advisory lists them */
	struct rows rs = lookup(db, "almalinux:8", "oci-systemd-hook");
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.text[0],
			    "ALSA-2019:0975 fixed UNKNOWN [0,1:0.1.15-2.git2d0b8a3.module_el8.5.0+119+9a9ec082]");
	assert_string_equal(rs.text[2],
			    "ALSA-2019:0975 fixed UNKNOWN [0,1:0.1.15-2.git2d0b8a3.module_el8.3.0+2044+12421f43]");
	rs = lookup(db, "almalinux:8", "oci-umount");
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.text[0], "ALSA-2019:0975 fixed UNKNOWN [0,2:2.3.4-2.git87f9237.module_el8.5.0+119+9a9ec082]");
	/* "Important: container-tools:rhel8 security and bug fix update" */
	struct info in = get(db, "ALSA-2019:0975");
	assert_int_equal(in.severity, SEV_HIGH);
	/* related CVEs are other vulnerabilities, not aliases */
	assert_string_equal(in.aliases, "");
	assert_int_equal(get(db, "CVE-2019-5736").calls, 0);
	vulndb_close(db);
}

static void test_ghsa(void **state)
{
	(void)state;
	struct import_stats st = { 0 };
	struct vulndb *db = import_one(
		"ghsa-sample/advisories/github-reviewed/2021/12/GHSA-jfh8-c2jp-5v3q/GHSA-jfh8-c2jp-5v3q.json", &st);
	struct rows rs = lookup(db, "maven", "org.apache.logging.log4j:log4j-core");
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.text[0], "GHSA-jfh8-c2jp-5v3q fixed UNKNOWN [2.13.0,2.15.0]");
	assert_string_equal(rs.text[1], "GHSA-jfh8-c2jp-5v3q fixed UNKNOWN [0,2.3.1]");
	assert_string_equal(rs.text[2], "GHSA-jfh8-c2jp-5v3q fixed UNKNOWN [2.4,2.12.2]");
	struct info in = get(db, "GHSA-jfh8-c2jp-5v3q");
	assert_int_equal(in.severity, SEV_CRITICAL);
	assert_true(in.cvss3 == 10.0);
	assert_string_equal(in.aliases, "CVE-2021-44228");
	vulndb_close(db);

	db = import_one("ghsa-sample/advisories/github-reviewed/2023/06/GHSA-c2qf-rxjj-qqgw/GHSA-c2qf-rxjj-qqgw.json",
			&st);
	rs = lookup(db, "npm", "semver");
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.text[0], "GHSA-c2qf-rxjj-qqgw fixed UNKNOWN [7.0.0,7.5.2]");
	assert_string_equal(rs.text[1], "GHSA-c2qf-rxjj-qqgw fixed UNKNOWN [6.0.0,6.3.1]");
	assert_string_equal(rs.text[2], "GHSA-c2qf-rxjj-qqgw fixed UNKNOWN [0,5.7.2]");
	in = get(db, "GHSA-c2qf-rxjj-qqgw");
	assert_int_equal(in.severity, SEV_MEDIUM); /* "MODERATE" */
	assert_true(in.cvss3 == 5.3);
	vulndb_close(db);
}

static void test_rustsec_cvss4(void **state)
{
	(void)state;
	struct import_stats st = { 0 };
	struct vulndb *db = import_one("rustsec/osv/crates/RUSTSEC-2024-0445.json", &st);
	struct rows rs = lookup(db, "crates.io", "cap-primitives");
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.text[0], "RUSTSEC-2024-0445 fixed UNKNOWN [0.0.0-0,3.4.1]");
	struct info in = get(db, "RUSTSEC-2024-0445");
	assert_true(in.cvss4 == 2.3); /* CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N */
	assert_string_equal(in.aliases, "CVE-2024-51756,GHSA-hxf5-99xg-86hw");
	vulndb_close(db);
}

/* Events as feeds may write them, beyond the usual pairs. */
static void test_events(void **state)
{
	(void)state;
	static const char doc[] =
		"{\"id\":\"T-1\",\"modified\":\"2024-05-01T00:00:00Z\",\"severity\":[{\"type\":\"CVSS_V2\",\"score\":\"AV:N\"},"
		"{\"type\":\"Ubuntu\",\"score\":\"medium\"}],"
		"\"affected\":[{\"package\":{\"ecosystem\":\"Ubuntu:22.04:LTS\",\"name\":\"openssl\"},"
		"\"ecosystem_specific\":{\"severity\":\"low\"},"
		"\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"fixed\":\"1.0\"},{\"introduced\":\"2.0\"},"
		"{\"introduced\":\"2.1\"},{\"last_affected\":\"2.5\"},{\"introduced\":\"3.0\"},{\"limit\":\"3.9\"}]},"
		"{\"type\":\"GIT\",\"repo\":\"x\",\"events\":[{\"introduced\":\"abc\"}]}]},"
		"{\"package\":{\"ecosystem\":\"Alpine:v3.19\",\"name\":\"openssl\"},"
		"\"ranges\":[{\"type\":\"GIT\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"abc\"}]}]},"
		"{\"package\":{\"ecosystem\":\"Hex\",\"name\":\"plug\"},\"versions\":[\"1.0\"]},"
		"{\"package\":{\"ecosystem\":\"NuGet\",\"name\":\"Newtonsoft.Json\"},\"versions\":[\"12.0.1\"]}]}";
	struct vulndb *db = mem_db();
	struct berr e = { 0 };
	struct import_stats st = { 0 };
	char newest[64] = "";
	struct vulndb_source src = { .name = "t" };
	assert_int_equal(vulndb_source_begin(db, &src, &e), BOSUN_OK);
	if (osv_import_document(db, doc, sizeof doc - 1, false, "t.json", &st, newest, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(vulndb_source_commit(db, &e), BOSUN_OK);
	assert_string_equal(newest, "2024-05-01T00:00:00Z");
	/* a close without an open starts at 0; a second introduced inside an open
	 * range is ignored; limit bounds every range of the list */
	struct rows rs = lookup(db, "ubuntu:22.04", "openssl");
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.text[0], "T-1 fixed LOW [0,1.0 limit] [2.0,<=2.5 limit] [3.0, limit]");
	/* only GIT ranges: nothing to match; unknown ecosystem: skipped */
	assert_int_equal(lookup(db, "alpine:3.19", "openssl").n, 0);
	assert_int_equal(st.skipped, 2);
	assert_int_equal(lookup(db, "nuget", "newtonsoft.json").n, 1);
	assert_int_equal(get(db, "T-1").severity, SEV_MEDIUM); /* the Ubuntu-type rating */
	vulndb_close(db);
}

static void test_ecosystem_keys(void **state)
{
	(void)state;
	static const char *const map[][2] = {
		{ "Go", "go" },
		{ "PyPI", "pypi" },
		{ "crates.io", "crates.io" },
		{ "npm", "npm" },
		{ "Maven", "maven" },
		{ "RubyGems", "rubygems" },
		{ "Packagist", "packagist" },
		{ "NuGet", "nuget" },
		{ "AlmaLinux:8", "almalinux:8" },
		{ "AlmaLinux:10", "almalinux:10" },
		{ "Rocky Linux:9", "rocky:9" },
		{ "Debian:12", "debian:12" },
		{ "Alpine:v3.19", "alpine:3.19" },
		{ "Ubuntu:22.04:LTS", "ubuntu:22.04" },
		{ "Ubuntu:24.10", "ubuntu:24.10" },
		{ "Ubuntu:Pro:18.04:LTS", NULL },
		{ "Debian", NULL },
		{ "Debian:", NULL },
		{ "Hex", NULL },
		{ "go", NULL },
		{ "Alpine:v3.19:x", NULL },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		bool ok = osv_ecosystem_key(map[i][0], buf, sizeof buf);
		if (ok != (map[i][1] != NULL) || (ok && strcmp(buf, map[i][1])))
			fail_msg("%s -> %s", map[i][0], ok ? buf : "(unsupported)");
	}
	assert_true(osv_package_name("pypi", "Foo_Bar..baz-", buf, sizeof buf));
	assert_string_equal(buf, "foo-bar-baz-");
	assert_true(osv_package_name("packagist", "Symfony/HTTP-Kernel", buf, sizeof buf));
	assert_string_equal(buf, "symfony/http-kernel");
	assert_true(osv_package_name("npm", "JSONStream", buf, sizeof buf));
	assert_string_equal(buf, "JSONStream");
	assert_false(osv_package_name("go", "a-very-long-module-path-indeed", buf, 8));
}

/* ---- feed directories ----------------------------------------------------- */

static void test_detect(void **state)
{
	(void)state;
	assert_true(importer_osv.detect(vd("go-vulndb")));
	assert_true(importer_osv.detect(vd("go-vulndb/data/osv")));
	assert_true(importer_osv.detect(vd("pypa-advisory-db")));
	assert_true(importer_osv.detect(vd("almalinux-osv")));
	assert_true(importer_osv.detect(vd("ghsa-sample")));
	assert_true(importer_osv.detect(vd("rustsec/osv")));
	/* rustsec/ also holds the native format: not one OSV feed */
	assert_false(importer_osv.detect(vd("rustsec")));
	assert_false(importer_osv.detect(vd("")));
	assert_false(importer_osv.detect(vd("cisa-kev")));
	assert_false(importer_osv.detect(vd("rubysec")));
	assert_false(importer_osv.detect(vd("friendsofphp")));
	assert_false(importer_osv.detect(vd("alpine-secdb")));
	assert_false(importer_osv.detect(vd("nodejs-security-wg")));
	assert_false(importer_osv.detect(vd("debian")));
	assert_false(importer_osv.detect("/nonexistent"));
}

struct srcs {
	int n;
	char text[8][512];
};

static int collect_source(const struct vulndb_source_info *s, void *ctx)
{
	struct srcs *ss = ctx;
	if (ss->n < 8)
		snprintf(ss->text[ss->n++], 512, "%s %s %s %lld %lld", s->name, s->snapshot ? s->snapshot : "-",
			 s->license ? s->license : "-", (long long)s->vulns, (long long)s->affected);
	return BOSUN_OK;
}

static struct srcs sources(struct vulndb *db)
{
	struct srcs ss = { 0 };
	struct berr e = { 0 };
	assert_int_equal(vulndb_each_source(db, collect_source, &ss, &e), BOSUN_OK);
	return ss;
}

static void test_feed_dirs(void **state)
{
	(void)state;
	struct vulndb *db = mem_db();
	struct berr e = { 0 };
	struct import_stats st = { 0 };
	if (importer_osv.import(db, vd("ghsa-sample"), &st, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(st.files, 2);
	st = (struct import_stats){ 0 };
	if (importer_osv.import(db, vd("rustsec/osv"), &st, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(st.files, 1206);
	assert_int_equal(st.skipped, 13); /* withdrawn */
	struct srcs ss = sources(db);
	assert_int_equal(ss.n, 2);
	/* newest `modified`; the license by id prefix (no LICENSE file in these copies) */
	assert_string_equal(ss.text[0], "osv:ghsa-sample 2023-07-10T22:57:56Z CC-BY-4.0 2 6");
	assert_string_equal(ss.text[1], "osv:rustsec 2026-08-21T06:28:40Z CC0-1.0 1193 1193");
	vulndb_close(db);
}

/* ---- malformed copies ------------------------------------------------------ */

struct bad_case {
	const char *name;   /* file name in the feed */
	const char *text;   /* its content */
	int code;
	const char *expect; /* part of the message after the file name */
};

static const char good_tail[] = "\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"example.com/m\"},"
				"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.0.0\"}]}]}]}";

static void test_malformed(void **state)
{
	(void)state;
	char dir[] = "/tmp/bosun-osv-XXXXXX";
	assert_non_null(mkdtemp(dir));
	copy_file(vd("go-vulndb/data/osv/GO-2023-1840.json"), dir, "GO-2023-1840.json");
	copy_file(vd("pypa-advisory-db/vulns/apache-skywalking/PYSEC-2020-342.yaml"), dir, "PYSEC-2020-342.yaml");

	struct vulndb *db = mem_db();
	struct berr e = { 0 };
	struct import_stats st = { 0 };
	assert_true(importer_osv.detect(dir));
	if (importer_osv.import(db, dir, &st, &e))
		fail_msg("good feed: %s", e.msg);
	struct srcs before = sources(db);
	assert_int_equal(before.n, 1);

	/* a version longer than the store takes */
	char *longv = malloc(3000);
	int o = snprintf(longv, 3000, "{\"id\":\"X-4\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":"
				      "{\"ecosystem\":\"Go\",\"name\":\"m\"},\"versions\":[\"");
	memset(longv + o, '1', 2000);
	snprintf(longv + o + 2000, 3000 - (size_t)o - 2000, "\"]}]}");
	/* YAML alias bomb */
	char bomb[2048];
	size_t bo = (size_t)snprintf(bomb, sizeof bomb, "id: X-5\nmodified: '2024'\na0: &a0 [lol]\n");
	for (int i = 1; i <= 9; i++) {
		bo += (size_t)snprintf(bomb + bo, sizeof bomb - bo, "a%d: &a%d [", i, i);
		for (int k = 0; k < 9; k++)
			bo += (size_t)snprintf(bomb + bo, sizeof bomb - bo, "%s*a%d", k ? "," : "", i - 1);
		bo += (size_t)snprintf(bomb + bo, sizeof bomb - bo, "]\n");
	}
	char deep[300] = "{\"id\":\"X-6\",\"x\":";
	for (int i = 0; i < 100; i++)
		strcat(deep, "[");
	const struct bad_case cases[] = {
		{ "X-1.json", "{\"id\":\"X-1\",\n\"modified\":\"2024-01-01T00:00:00Z\",\n\"affected\":[\n", BOSUN_EFORMAT,
		  "invalid JSON at line 4" },
		{ "X-2.yaml", "id: X-2\nmodified: 2024-01-01\naffected:\n- package: {name: x\n  ranges: []\n",
		  BOSUN_EFORMAT, "YAML line " },
		{ "X-3.json", "{\"id\":\"X-3\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":\"CVE-1\"}", BOSUN_EFORMAT,
		  "aliases: expected an array" },
		{ "X-3b.json",
		  "{\"id\":\"X-3b\",\"modified\":\"2024\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"m\"},"
		  "\"ranges\":[{\"type\":\"SEMVER\",\"events\":\"oops\"}]}]}",
		  BOSUN_EFORMAT, "affected[0].ranges[0].events: expected an array" },
		{ "X-3c.json",
		  "{\"id\":\"X-3c\",\"modified\":\"2024\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"m\"},"
		  "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":0}]}]}]}",
		  BOSUN_EFORMAT, "affected[0].ranges[0].events[0]: expected a string" },
		{ "X-3d.json", "{\"id\":7,\"modified\":\"2024\"}", BOSUN_EFORMAT, "id: expected a string" },
		{ "X-3e.json", "[1,2,3]", BOSUN_EFORMAT, "not an OSV document" },
		{ "X-3f.yaml", "id: X-3f\nmodified: x\nsummary: [a, b]\n", BOSUN_EFORMAT, "summary: expected a string" },
		{ "X-4.json", longv, BOSUN_ELIMIT, "longer than 1024 bytes" },
		{ "X-5.yaml", bomb, BOSUN_ELIMIT, "aliases expand" },
		{ "X-6.json", deep, BOSUN_ELIMIT, "nested deeper" },
		{ "X-7.json", "{\"id\":\"X-7\",\"modified\":\"2024\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\","
			      "\"name\":\"m\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":\"\"}]}]}]}",
		  BOSUN_EFORMAT, "empty version" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_file(dir, cases[i].name, cases[i].text, strlen(cases[i].text));
		st = (struct import_stats){ 0 };
		berr_clear(&e);
		int rc = importer_osv.import(db, dir, &st, &e);
		char want[4200];
		snprintf(want, sizeof want, "%s/%s: ", dir, cases[i].name);
		if (rc != cases[i].code || !strstr(e.msg, want) || !strstr(e.msg, cases[i].expect))
			fail_msg("%s: rc %d, message '%s'", cases[i].name, rc, e.msg);
		/* nothing of the failed import is left: same sources, same rows */
		struct srcs after = sources(db);
		assert_string_equal(after.text[0], before.text[0]);
		assert_int_equal(lookup(db, "go", "stdlib").n, 1);
		assert_int_equal(lookup(db, "go", "example.com/m").n, 0);
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", dir, cases[i].name);
		unlink(path);
	}
	free(longv);

	/* a file over the size limit */
	char *huge = malloc(OSV_MAX_FILE + 2);
	memset(huge, ' ', OSV_MAX_FILE + 1);
	huge[0] = '{';
	write_file(dir, "X-8.json", huge, OSV_MAX_FILE + 1);
	free(huge);
	berr_clear(&e);
	assert_int_equal(importer_osv.import(db, dir, &st, &e), BOSUN_ELIMIT);
	assert_non_null(strstr(e.msg, "X-8.json"));
	assert_string_equal(sources(db).text[0], before.text[0]);

	/* and the feed imports again once it is repaired */
	char path[4200];
	snprintf(path, sizeof path, "%s/X-8.json", dir);
	unlink(path);
	char fixed[1024];
	snprintf(fixed, sizeof fixed, "{\"id\":\"X-9\",\"modified\":\"2025-01-01T00:00:00Z\",%s", good_tail);
	write_file(dir, "X-9.json", fixed, strlen(fixed));
	if (importer_osv.import(db, dir, &st, &e))
		fail_msg("repaired: %s", e.msg);
	assert_int_equal(lookup(db, "go", "example.com/m").n, 1);
	vulndb_close(db);
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_go),	    cmocka_unit_test(test_pypi_yaml),   cmocka_unit_test(test_almalinux),
		cmocka_unit_test(test_ghsa),	    cmocka_unit_test(test_rustsec_cvss4), cmocka_unit_test(test_events),
		cmocka_unit_test(test_ecosystem_keys), cmocka_unit_test(test_detect),	  cmocka_unit_test(test_feed_dirs),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
