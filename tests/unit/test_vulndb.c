/* The advisory store: round trips, per-source replacement and rollback,
 * aliases both ways, merging one vulnerability from two sources, KEV, the
 * on-disk checks, and lookup speed. */
#include "testutil.h"

#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include "vulndb/importer.h"

/* ---- helpers ------------------------------------------------------------ */

static struct vulndb *mem_db(void)
{
	struct vulndb *db;
	struct berr e = { 0 };
	if (vulndb_open(":memory:", true, &db, &e))
		fail_msg("open: %s", e.msg);
	return db;
}

static void begin(struct vulndb *db, const char *name)
{
	struct berr e = { 0 };
	struct vulndb_source s = { .name = name, .origin = "test", .snapshot = "2024-01-02", .license = "CC0-1.0" };
	if (vulndb_source_begin(db, &s, &e))
		fail_msg("begin %s: %s", name, e.msg);
}

static void commit(struct vulndb *db)
{
	struct berr e = { 0 };
	if (vulndb_source_commit(db, &e))
		fail_msg("commit: %s", e.msg);
}

static void put_vuln(struct vulndb *db, const struct vuln_record *v)
{
	struct berr e = { 0 };
	if (vulndb_put_vuln(db, v, &e))
		fail_msg("put_vuln %s: %s", v->id, e.msg);
}

/* A vulnerability with one affected package and one range. */
static void put_simple(struct vulndb *db, const char *id, const char *pkg, const char *fixed)
{
	struct vuln_record v = { .id = id, .summary = "summary" };
	put_vuln(db, &v);
	struct affect_range r = { .introduced = "0", .fixed = fixed };
	struct affected_record a = { .vuln_id = id, .ecosystem = "npm", .package = pkg, .status = AFFECT_FIXED,
				     .ranges = &r, .nranges = 1 };
	struct berr e = { 0 };
	if (vulndb_put_affected(db, &a, &e))
		fail_msg("put_affected %s: %s", id, e.msg);
}

/* Collected lookup rows, as "vuln_id status intro/fixed/last/limit,...|versions|note|source". */
struct rows {
	int n;
	char text[8][512];
};

static int collect_row(const struct affected_row *r, void *ctx)
{
	struct rows *rs = ctx;
	if (rs->n >= 8)
		return BOSUN_OK;
	char *t = rs->text[rs->n++];
	size_t o = (size_t)snprintf(t, 512, "%s %s %s %s %s ", r->vuln_id, r->ecosystem, r->package,
				    affect_status_name(r->status), vuln_severity_name(r->severity));
	for (size_t i = 0; i < r->nranges && o < 512; i++)
		o += (size_t)snprintf(t + o, 512 - o, "%s%s/%s/%s/%s", i ? "," : "",
				      r->ranges[i].introduced ? r->ranges[i].introduced : "-",
				      r->ranges[i].fixed ? r->ranges[i].fixed : "-",
				      r->ranges[i].last_affected ? r->ranges[i].last_affected : "-",
				      r->ranges[i].limit ? r->ranges[i].limit : "-");
	for (size_t i = 0; i < r->nversions && o < 512; i++)
		o += (size_t)snprintf(t + o, 512 - o, "%s%s", i ? "," : "|", r->versions[i]);
	if (o < 512)
		snprintf(t + o, 512 - o, "|%s|%s", r->note ? r->note : "-", r->source);
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

/* A copy of what vulndb_get_vuln reported. */
struct info {
	int calls;
	char id[64], summary[256], details[9000], sources[128], aliases[512], refs[512];
	char kev_date[32], cvss3[128];
	enum vuln_severity severity;
	double cvss3_score, cvss4_score;
	bool kev, ransomware;
};

static void join(char *out, size_t n, const char *const *v, size_t nv)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < nv && o < n; i++)
		o += (size_t)snprintf(out + o, n - o, "%s%s", i ? "," : "", v[i]);
}

static int collect_vuln(const struct vuln_info *v, void *ctx)
{
	struct info *in = ctx;
	in->calls++;
	snprintf(in->id, sizeof in->id, "%s", v->id);
	snprintf(in->summary, sizeof in->summary, "%s", v->summary ? v->summary : "-");
	snprintf(in->details, sizeof in->details, "%s", v->details ? v->details : "-");
	snprintf(in->sources, sizeof in->sources, "%s", v->sources ? v->sources : "-");
	snprintf(in->kev_date, sizeof in->kev_date, "%s", v->kev_date_added ? v->kev_date_added : "-");
	snprintf(in->cvss3, sizeof in->cvss3, "%s", v->cvss3_vector ? v->cvss3_vector : "-");
	join(in->aliases, sizeof in->aliases, v->aliases, v->naliases);
	join(in->refs, sizeof in->refs, v->references, v->nreferences);
	in->severity = v->severity;
	in->cvss3_score = v->cvss3_score;
	in->cvss4_score = v->cvss4_score;
	in->kev = v->kev;
	in->ransomware = v->kev_ransomware;
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

struct srcs {
	int n;
	char text[16][256];
};

static int collect_source(const struct vulndb_source_info *s, void *ctx)
{
	struct srcs *ss = ctx;
	if (ss->n < 16)
		snprintf(ss->text[ss->n++], 256, "%s %s %s %s %lld %lld", s->name, s->origin ? s->origin : "-",
			 s->snapshot ? s->snapshot : "-", s->license ? s->license : "-", (long long)s->vulns,
			 (long long)s->affected);
	return BOSUN_OK;
}

static struct srcs sources(struct vulndb *db)
{
	struct srcs ss = { 0 };
	struct berr e = { 0 };
	if (vulndb_each_source(db, collect_source, &ss, &e))
		fail_msg("sources: %s", e.msg);
	return ss;
}

/* ---- tests -------------------------------------------------------------- */

static void test_roundtrip(void **state)
{
	(void)state;
	struct vulndb *db = mem_db();
	begin(db, "feed-a");
	const char *aliases[] = { "CVE-2024-0001", "GHSA-aaaa-bbbb-cccc", "CVE-2024-0001", "GHSA-1111-2222-3333" };
	const char *refs[] = { "https://b.example/2", "https://a.example/1", "https://b.example/2", "bad\nurl" };
	struct vuln_record v = {
		.id = "GHSA-1111-2222-3333", .summary = "A summary", .details = "Longer text\nwith lines",
		.published = "2024-01-01T00:00:00Z", .modified = "2024-02-01T00:00:00Z", .severity = SEV_HIGH,
		.cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		.cvss4_vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N",
		.aliases = aliases, .naliases = 4, .references = refs, .nreferences = 4,
	};
	put_vuln(db, &v);
	struct affect_range r[] = {
		{ .introduced = "0", .fixed = "1.2.3" },
		{ .introduced = "2.0.0", .last_affected = "2.4.1" },
		{ .introduced = "3.0.0", .limit = "3.9" },
		{ .fixed = "0.5" },
	};
	const char *versions[] = { "2.0.0", "2.1.0-beta.1" };
	struct affected_record a = { .vuln_id = v.id, .ecosystem = "npm", .package = "@scope/pkg",
				     .status = AFFECT_FIXED, .severity = SEV_MEDIUM, .ranges = r, .nranges = 4,
				     .versions = versions, .nversions = 2, .note = "a note" };
	struct berr e = { 0 };
	assert_int_equal(vulndb_put_affected(db, &a, &e), BOSUN_OK);
	struct affected_record b = { .vuln_id = v.id, .ecosystem = "npm", .package = "@scope/pkg",
				     .status = AFFECT_UNFIXED };
	assert_int_equal(vulndb_put_affected(db, &b, &e), BOSUN_OK);
	commit(db);

	struct rows rs = lookup(db, "npm", "@scope/pkg");
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.text[0], "GHSA-1111-2222-3333 npm @scope/pkg fixed MEDIUM "
					"0/1.2.3/-/-,2.0.0/-/2.4.1/-,3.0.0/-/-/3.9,-/0.5/-/-|2.0.0,2.1.0-beta.1|a note|feed-a");
	assert_string_equal(rs.text[1], "GHSA-1111-2222-3333 npm @scope/pkg unfixed UNKNOWN |-|feed-a");
	assert_int_equal(lookup(db, "npm", "@scope/other").n, 0);
	assert_int_equal(lookup(db, "pypi", "@scope/pkg").n, 0);

	struct info in = get(db, "GHSA-1111-2222-3333");
	assert_int_equal(in.calls, 1);
	assert_string_equal(in.summary, "A summary");
	assert_string_equal(in.details, "Longer text\nwith lines");
	assert_int_equal(in.severity, SEV_HIGH);
	assert_true(in.cvss3_score == 9.8);
	assert_true(in.cvss4_score == 6.9);
	assert_string_equal(in.aliases, "CVE-2024-0001,GHSA-aaaa-bbbb-cccc"); /* own id and duplicates dropped */
	assert_string_equal(in.refs, "https://b.example/2,https://a.example/1"); /* feed order, no duplicates */
	assert_string_equal(in.sources, "feed-a");
	assert_false(in.kev);

	struct srcs ss = sources(db);
	assert_int_equal(ss.n, 1);
	assert_string_equal(ss.text[0], "feed-a test 2024-01-02 CC0-1.0 1 2");
	vulndb_close(db);
}

static void test_no_vector_no_score(void **state)
{
	(void)state;
	struct vulndb *db = mem_db();
	begin(db, "a");
	struct vuln_record v = { .id = "X-1", .cvss3_vector = "CVSS:3.1/AV:Q" }; /* kept, but not scored */
	put_vuln(db, &v);
	struct vuln_record w = { .id = "X-2" };
	put_vuln(db, &w);
	commit(db);
	struct info in = get(db, "X-1");
	assert_string_equal(in.cvss3, "CVSS:3.1/AV:Q");
	assert_true(in.cvss3_score < 0);
	in = get(db, "X-2");
	assert_true(in.cvss3_score < 0 && in.cvss4_score < 0);
	assert_int_equal(get(db, "X-3").calls, 0);
	vulndb_close(db);
}

static void test_source_replace(void **state)
{
	(void)state;
	struct vulndb *db = mem_db();
	begin(db, "a");
	put_simple(db, "V-1", "left-pad", "1.0.0");
	put_simple(db, "V-2", "left-pad", "2.0.0");
	commit(db);
	begin(db, "b");
	put_simple(db, "V-3", "left-pad", "3.0.0");
	commit(db);
	assert_int_equal(lookup(db, "npm", "left-pad").n, 3);

	/* a again, now with V-1 only and a new fix: V-2 disappears, b is untouched */
	begin(db, "a");
	put_simple(db, "V-1", "left-pad", "1.0.1");
	commit(db);
	struct rows rs = lookup(db, "npm", "left-pad");
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.text[0], "V-3 npm left-pad fixed UNKNOWN 0/3.0.0/-/-|-|b");
	assert_string_equal(rs.text[1], "V-1 npm left-pad fixed UNKNOWN 0/1.0.1/-/-|-|a");
	assert_int_equal(get(db, "V-2").calls, 0);
	assert_int_equal(get(db, "V-1").calls, 1);
	struct srcs ss = sources(db);
	assert_int_equal(ss.n, 2);
	assert_string_equal(ss.text[0], "a test 2024-01-02 CC0-1.0 1 1");
	assert_string_equal(ss.text[1], "b test 2024-01-02 CC0-1.0 1 1");
	vulndb_close(db);
}

static void test_abort_keeps_previous(void **state)
{
	(void)state;
	struct vulndb *db = mem_db();
	begin(db, "a");
	put_simple(db, "V-1", "pkg", "1.0.0");
	commit(db);
	begin(db, "a");
	put_simple(db, "V-9", "pkg", "9.0.0");
	/* the importer hits a malformed file: */
	struct berr e = { 0 };
	struct affected_record bad = { .vuln_id = "V-9", .ecosystem = "npm", .package = "pkg",
				       .versions = (const char *[]){ "1.0\n2.0" }, .nversions = 1 };
	assert_int_equal(vulndb_put_affected(db, &bad, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "control character"));
	vulndb_source_abort(db);
	struct rows rs = lookup(db, "npm", "pkg");
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.text[0], "V-1 npm pkg fixed UNKNOWN 0/1.0.0/-/-|-|a");
	assert_int_equal(get(db, "V-9").calls, 0);
	struct srcs ss = sources(db);
	assert_string_equal(ss.text[0], "a test 2024-01-02 CC0-1.0 1 1");
	/* and the handle is usable again */
	begin(db, "a");
	commit(db);
	assert_int_equal(lookup(db, "npm", "pkg").n, 0);
	vulndb_close(db);
}

static void test_aliases_both_ways(void **state)
{
	(void)state;
	struct vulndb *db = mem_db();
	begin(db, "ghsa");
	struct vuln_record g = { .id = "GHSA-xxxx", .summary = "ghsa text", .aliases = (const char *[]){ "CVE-1" },
				 .naliases = 1 };
	put_vuln(db, &g);
	struct vuln_record p = { .id = "PYSEC-1", .aliases = (const char *[]){ "CVE-1", "GHSA-xxxx" }, .naliases = 2 };
	put_vuln(db, &p);
	commit(db);

	/* CVE-1 is only an alias: each vulnerability naming it is reported */
	struct info in = get(db, "CVE-1");
	assert_int_equal(in.calls, 2);
	assert_string_equal(in.id, "PYSEC-1"); /* the last call; ordered by id */
	in = get(db, "GHSA-xxxx");
	assert_int_equal(in.calls, 1);
	assert_string_equal(in.aliases, "CVE-1,PYSEC-1"); /* PYSEC-1 names it: the reverse direction */

	/* once CVE-1 exists itself, it is reported alone, with both GHSA and PYSEC as aliases */
	begin(db, "nvd");
	struct vuln_record c = { .id = "CVE-1", .summary = "cve text" };
	put_vuln(db, &c);
	commit(db);
	in = get(db, "CVE-1");
	assert_int_equal(in.calls, 1);
	assert_string_equal(in.summary, "cve text");
	assert_string_equal(in.aliases, "GHSA-xxxx,PYSEC-1");
	vulndb_close(db);
}

static void test_merge_two_sources(void **state)
{
	(void)state;
	struct vulndb *db = mem_db();
	begin(db, "debian");
	struct vuln_record d = { .id = "CVE-2023-4911", .summary = "glibc: buffer overflow" };
	put_vuln(db, &d);
	commit(db);
	begin(db, "ubuntu");
	struct vuln_record u = { .id = "CVE-2023-4911", .summary = "ubuntu summary", .details = "Ubuntu description",
				 .severity = SEV_HIGH, .cvss3_vector = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
				 .aliases = (const char *[]){ "USN-1" }, .naliases = 1 };
	put_vuln(db, &u);
	commit(db);

	struct info in = get(db, "CVE-2023-4911");
	assert_int_equal(in.calls, 1);
	assert_string_equal(in.summary, "glibc: buffer overflow"); /* the first source's value stays */
	assert_string_equal(in.details, "Ubuntu description");	   /* missing fields are filled */
	assert_int_equal(in.severity, SEV_HIGH);
	assert_true(in.cvss3_score == 7.8);
	assert_string_equal(in.sources, "debian,ubuntu");
	assert_string_equal(in.aliases, "USN-1");

	/* ubuntu replaced by an empty import: its fields and aliases go, debian's stay */
	begin(db, "ubuntu");
	commit(db);
	in = get(db, "CVE-2023-4911");
	assert_int_equal(in.calls, 1);
	assert_string_equal(in.summary, "glibc: buffer overflow");
	assert_string_equal(in.details, "-");
	assert_int_equal(in.severity, SEV_UNKNOWN);
	assert_true(in.cvss3_score < 0);
	assert_string_equal(in.sources, "debian");
	assert_string_equal(in.aliases, "");

	/* and when debian drops it too, the vulnerability is gone */
	begin(db, "debian");
	commit(db);
	assert_int_equal(get(db, "CVE-2023-4911").calls, 0);
	vulndb_close(db);
}

static void test_kev(void **state)
{
	(void)state;
	struct vulndb *db = mem_db();
	struct berr e = { 0 };
	begin(db, "osv:ghsa");
	struct vuln_record g = { .id = "GHSA-jfh8-c2jp-5v3q", .aliases = (const char *[]){ "CVE-2021-44228" },
				 .naliases = 1 };
	put_vuln(db, &g);
	commit(db);
	begin(db, "kev");
	assert_int_equal(vulndb_put_kev(db, "CVE-2021-44228", "2021-12-10", "2021-12-24", true, &e), BOSUN_OK);
	commit(db);

	struct info in = get(db, "CVE-2021-44228"); /* a stub: no feed but KEV has it */
	assert_int_equal(in.calls, 1);
	assert_true(in.kev && in.ransomware);
	assert_string_equal(in.kev_date, "2021-12-10");
	assert_string_equal(in.sources, "kev");
	assert_string_equal(in.aliases, "GHSA-jfh8-c2jp-5v3q");
	in = get(db, "GHSA-jfh8-c2jp-5v3q"); /* exploited through its CVE */
	assert_true(in.kev && in.ransomware);
	assert_string_equal(in.kev_date, "2021-12-10");

	/* a new catalog without it: the stub goes, the GHSA stays and is not flagged */
	begin(db, "kev");
	commit(db);
	assert_int_equal(get(db, "CVE-2021-44228").calls, 1); /* still an alias of the GHSA */
	in = get(db, "GHSA-jfh8-c2jp-5v3q");
	assert_false(in.kev);
	vulndb_close(db);
}

static void test_kev_catalog(void **state)
{
	(void)state;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/vulndata/cisa-kev", test_shared_dir());
	extern const struct importer importer_kev;
	assert_true(importer_kev.detect(dir));
	struct vulndb *db = mem_db();
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	if (importer_kev.import(db, dir, &st, &e))
		fail_msg("kev: %s", e.msg);
	assert_int_equal(st.vulns, 1404);
	struct info in = get(db, "CVE-2025-48384");
	assert_true(in.kev);
	assert_false(in.ransomware); /* "Unknown" */
	assert_string_equal(in.kev_date, "2025-08-25");
	assert_string_equal(in.summary, "Git Link Following Vulnerability");
	struct srcs ss = sources(db);
	assert_int_equal(ss.n, 1);
	assert_non_null(strstr(ss.text[0], "kev "));
	assert_non_null(strstr(ss.text[0], " 2025-08-25T17:04:19.9796Z CC0-1.0 1404 0"));
	vulndb_close(db);
}

static void test_validation(void **state)
{
	(void)state;
	struct vulndb *db = mem_db();
	struct berr e = { 0 };
	struct vuln_record v = { .id = "X-1" };
	assert_int_not_equal(vulndb_put_vuln(db, &v, &e), BOSUN_OK); /* no source open */
	begin(db, "a");
	struct vuln_record bad_id = { .id = "X\t1" };
	assert_int_equal(vulndb_put_vuln(db, &bad_id, &e), BOSUN_EFORMAT);
	struct vuln_record empty = { .id = "" };
	assert_int_equal(vulndb_put_vuln(db, &empty, &e), BOSUN_EFORMAT);
	char longid[300];
	memset(longid, 'A', sizeof longid - 1);
	longid[sizeof longid - 1] = '\0';
	struct vuln_record toolong = { .id = longid };
	assert_int_equal(vulndb_put_vuln(db, &toolong, &e), BOSUN_ELIMIT);
	struct affected_record nopkg = { .vuln_id = "X-1", .ecosystem = "npm", .package = "" };
	assert_int_equal(vulndb_put_affected(db, &nopkg, &e), BOSUN_EFORMAT);
	struct affected_record badstatus = { .vuln_id = "X-1", .ecosystem = "npm", .package = "p", .status = 99 };
	assert_int_equal(vulndb_put_affected(db, &badstatus, &e), BOSUN_EFORMAT);
	struct affect_range r = { .introduced = "1\t2" };
	struct affected_record badrange = { .vuln_id = "X-1", .ecosystem = "npm", .package = "p", .ranges = &r,
					    .nranges = 1 };
	assert_int_equal(vulndb_put_affected(db, &badrange, &e), BOSUN_EFORMAT);

	/* details are cut at 8 KiB without splitting a UTF-8 character */
	char *big = malloc(9000);
	memset(big, 'a', 8191);
	memcpy(big + 8191, "\xc3\xa9", 2); /* é straddles the limit */
	memset(big + 8193, 'b', 9000 - 8194);
	big[8999] = '\0';
	struct vuln_record d = { .id = "X-2", .details = big };
	put_vuln(db, &d);
	commit(db);
	struct info in = get(db, "X-2");
	assert_int_equal(strlen(in.details), 8191);
	free(big);
	vulndb_close(db);
}

static void test_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/bosun-vulndb-XXXXXX", path[256], junk[256];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/db.sqlite", dir);
	struct vulndb *db;
	struct berr e = { 0 };
	assert_int_equal(vulndb_open(path, false, &db, &e), BOSUN_ENOTFOUND);
	assert_non_null(strstr(e.msg, "bosun db build"));
	assert_int_equal(vulndb_open(path, true, &db, &e), BOSUN_OK);
	begin(db, "a");
	put_simple(db, "V-1", "pkg", "1.0.0");
	commit(db);
	vulndb_close(db);

	/* read-only: lookups work, writes do not */
	assert_int_equal(vulndb_open(path, false, &db, &e), BOSUN_OK);
	assert_int_equal(lookup(db, "npm", "pkg").n, 1);
	struct vulndb_meta m;
	assert_int_equal(vulndb_get_meta(db, &m, &e), BOSUN_OK);
	assert_int_equal(m.schema_version, VULNDB_SCHEMA_VERSION);
	assert_int_equal(strlen(m.built_at), 20);
	struct vulndb_source s = { .name = "b" };
	assert_int_not_equal(vulndb_source_begin(db, &s, &e), BOSUN_OK);
	vulndb_close(db);

	/* another schema version is refused with the fix */
	sqlite3 *h;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(vulndb_open(path, false, &db, &e), BOSUN_EUNSUPPORTED);
	assert_non_null(strstr(e.msg, "schema version 99"));
	assert_non_null(strstr(e.msg, "rebuild"));
	assert_int_equal(vulndb_open(path, true, &db, &e), BOSUN_EUNSUPPORTED);

	/* not a database at all */
	snprintf(junk, sizeof junk, "%s/junk", dir);
	FILE *f = fopen(junk, "w");
	fputs("this is not sqlite, just text that is long enough to look like a header......", f);
	fclose(f);
	assert_int_equal(vulndb_open(junk, false, &db, &e), BOSUN_EFORMAT);
	assert_non_null(strstr(e.msg, "not a bosun vulnerability database"));
	/* an empty file */
	f = fopen(junk, "w");
	fclose(f);
	assert_int_equal(vulndb_open(junk, false, &db, &e), BOSUN_EFORMAT);
	unlink(junk);
	unlink(path);
	rmdir(dir);
}

static int count_rows(const struct affected_row *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return BOSUN_OK;
}

/* The target: matching 1,000 packages in under 100 ms. Lookups are
 * the database's share of it. */
static void test_lookup_speed(void **state)
{
	(void)state;
	struct vulndb *db = mem_db();
	begin(db, "a");
	struct berr e = { 0 };
	char id[32], pkg[32];
	struct affect_range r[] = { { .introduced = "0", .fixed = "1.2.3" }, { .introduced = "2.0", .fixed = "2.5" } };
	for (int i = 0; i < 50000; i++) {
		snprintf(id, sizeof id, "V-%d", i);
		snprintf(pkg, sizeof pkg, "pkg-%d", i % 10000);
		struct affected_record a = { .vuln_id = id, .ecosystem = "npm", .package = pkg,
					     .status = AFFECT_FIXED, .ranges = r, .nranges = 2 };
		assert_int_equal(vulndb_put_affected(db, &a, &e), BOSUN_OK);
	}
	commit(db);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int n = 0;
	for (int i = 0; i < 1000; i++) {
		snprintf(pkg, sizeof pkg, "pkg-%d", i * 7);
		assert_int_equal(vulndb_lookup(db, "npm", pkg, count_rows, &n, &e), BOSUN_OK);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("1000 lookups, %d rows: %.1f ms\n", n, ms);
	assert_int_equal(n, 5000);
	assert_true(ms < 1000); /* generous for sanitizer builds; ~10 ms in a release build */
	vulndb_close(db);
}

static void test_names(void **state)
{
	(void)state;
	enum vuln_severity s;
	assert_int_equal(vuln_severity_parse("Important", &s), BOSUN_OK);
	assert_int_equal(s, SEV_HIGH);
	assert_int_equal(vuln_severity_parse("MODERATE", &s), BOSUN_OK);
	assert_int_equal(s, SEV_MEDIUM);
	assert_int_equal(vuln_severity_parse("unimportant", &s), BOSUN_OK);
	assert_int_equal(s, SEV_NEGLIGIBLE);
	assert_int_equal(vuln_severity_parse("bogus", &s), BOSUN_EFORMAT);
	assert_string_equal(vuln_severity_name(SEV_CRITICAL), "CRITICAL");
	assert_string_equal(affect_status_name(AFFECT_WONT_FIX), "will_not_fix");
	assert_string_equal(affect_status_name(AFFECT_NOT_AFFECTED), "not_affected");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),	   cmocka_unit_test(test_no_vector_no_score),
		cmocka_unit_test(test_source_replace),	   cmocka_unit_test(test_abort_keeps_previous),
		cmocka_unit_test(test_aliases_both_ways),  cmocka_unit_test(test_merge_two_sources),
		cmocka_unit_test(test_kev),		   cmocka_unit_test(test_kev_catalog),
		cmocka_unit_test(test_validation),	   cmocka_unit_test(test_files),
		cmocka_unit_test(test_lookup_speed),	   cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
