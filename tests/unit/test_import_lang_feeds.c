/* The language-feed importers (RustSec, RubySec, FriendsOfPHP, Node.js
 * security-wg) on real files from $BOSUN_SHARED/vulndata, with expectations
 * worked out by hand from each file (quoted in the comments), then malformed
 * copies in a temporary directory: each must fail naming the file and line,
 * and leave the database as it was. */
#include "testutil.h"

#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "vulndb/lang_feed.h"
#include "vulndb/toml_subset.h"
#include "vulndb/vulndb.h"

/* ---- a sink that records what it is given, one line per record ---------- */

struct rec {
	char **lines;
	size_t n;
	char snapshot[32];
};

static void rec_add(struct rec *r, const char *s)
{
	r->lines = realloc(r->lines, (r->n + 1) * sizeof *r->lines);
	assert_non_null(r->lines);
	r->lines[r->n++] = strdup(s);
}

static int rec_begin(void *ctx, const char *snapshot, struct berr *e)
{
	(void)e;
	struct rec *r = ctx;
	snprintf(r->snapshot, sizeof r->snapshot, "%s", snapshot ? snapshot : "");
	return BOSUN_OK;
}

static int rec_set_snapshot(void *ctx, const char *snapshot, struct berr *e) { return rec_begin(ctx, snapshot, e); }

/* "V id | summary | published | severity | cvss3 | aliases a,b | refs N" */
static int rec_vuln(void *ctx, const struct vuln_record *v, struct berr *e)
{
	(void)e;
	struct buf b = { 0 };
	buf_printf(&b, "V %s | %s | %s | %s | %s | aliases", v->id, v->summary ? v->summary : "-",
		   v->published ? v->published : "-", vuln_severity_name(v->severity),
		   v->cvss3_vector ? v->cvss3_vector : "-");
	for (size_t i = 0; i < v->naliases; i++)
		buf_printf(&b, "%s%s", i ? "," : " ", v->aliases[i]);
	buf_printf(&b, " | refs %zu", v->nreferences);
	rec_add(ctx, b.data);
	buf_free(&b);
	return BOSUN_OK;
}

/* "A id ecosystem package status [ranges] | note" */
static int rec_affected(void *ctx, const struct affected_record *a, struct berr *e)
{
	(void)e;
	struct buf b = { 0 };
	buf_printf(&b, "A %s %s %s %s ", a->vuln_id, a->ecosystem, a->package, affect_status_name(a->status));
	cr_ranges_format(a->ranges, a->nranges, &b);
	buf_printf(&b, " | %s", a->note ? a->note : "-");
	rec_add(ctx, b.data);
	buf_free(&b);
	return BOSUN_OK;
}

static void rec_free(struct rec *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	memset(r, 0, sizeof *r);
}

/* The recorded line starting with prefix, or a failure listing them all. */
static const char *rec_find(const struct rec *r, const char *prefix)
{
	for (size_t i = 0; i < r->n; i++)
		if (strncmp(r->lines[i], prefix, strlen(prefix)) == 0)
			return r->lines[i];
	for (size_t i = 0; i < r->n; i++)
		print_message("  recorded: %s\n", r->lines[i]);
	fail_msg("no record starting with \"%s\"", prefix);
	return NULL;
}

static void expect(const struct rec *r, const char *line)
{
	const char *got = NULL;
	for (size_t i = 0; i < r->n && !got; i++)
		if (strcmp(r->lines[i], line) == 0)
			got = r->lines[i];
	if (!got) {
		for (size_t i = 0; i < r->n; i++)
			print_message("  recorded: %s\n", r->lines[i]);
		fail_msg("missing record: %s", line);
	}
}

/* ---- running one parser on one file ------------------------------------- */

static const char *vulndata(const char *rel)
{
	static char buf[4][4096];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/vulndata/%s", test_shared_dir(), rel);
	return buf[k];
}

struct run {
	struct rec rec;
	struct feed_sink sink;
	struct import_stats st;
	struct lang_run lr;
	struct berr e;
};

static void run_init(struct run *r)
{
	memset(r, 0, sizeof *r);
	r->sink = (struct feed_sink){ rec_begin, rec_set_snapshot, rec_vuln, rec_affected, &r->rec };
	r->lr = (struct lang_run){ &r->sink, &r->st, "" };
}

static int parse_file(struct run *r, lang_parse_fn fn, const char *path)
{
	size_t n;
	unsigned char *data = test_read_file(path, &n);
	int rc = fn(&r->lr, path, (const char *)data, n, &r->e);
	free(data);
	return rc;
}

static void parse_ok(struct run *r, lang_parse_fn fn, const char *rel)
{
	if (parse_file(r, fn, vulndata(rel)) != BOSUN_OK)
		fail_msg("%s: %s", rel, r->e.msg);
}

/* ---- the TOML subset ----------------------------------------------------- */

static void toml_ok(const char *text, const char *want_json)
{
	json_t *doc;
	struct berr e = { 0 };
	if (toml_subset_parse(text, strlen(text), "t.toml", 0, &doc, &e) != BOSUN_OK)
		fail_msg("%s: %s", text, e.msg);
	char *got = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);
	if (strcmp(got, want_json) != 0)
		fail_msg("%s: want %s, got %s", text, want_json, got);
	free(got);
	json_decref(doc);
}

static void toml_bad(const char *text, int code, const char *part)
{
	json_t *doc = NULL;
	struct berr e = { 0 };
	int rc = toml_subset_parse(text, strlen(text), "t.toml", 0, &doc, &e);
	if (rc != code || !strstr(e.msg, part))
		fail_msg("%s: want %d with \"%s\", got %d: %s", text, code, part, rc, e.msg);
	assert_null(doc);
}

static void test_toml_subset(void **state)
{
	(void)state;
	/* What RustSec front blocks use. */
	toml_ok("[advisory]\nid = \"RUSTSEC-1\" # c\naliases = [\"A\", 'B',]\n\n[versions]\npatched = [\n  \">= 1\", # x\n]\n",
		"{\"advisory\":{\"aliases\":[\"A\",\"B\"],\"id\":\"RUSTSEC-1\"},\"versions\":{\"patched\":[\">= 1\"]}}");
	toml_ok("[affected.functions]\n\"a::b\" = [\"< 1\"]\n[affected]\nos = []\n",
		"{\"affected\":{\"functions\":{\"a::b\":[\"< 1\"]},\"os\":[]}}");
	toml_ok("[affected]\nfunctions = { \"x::y\" = [\"*\"], z = [] }\nexpect-deleted = true\nn = -42\n",
		"{\"affected\":{\"expect-deleted\":true,\"functions\":{\"x::y\":[\"*\"],\"z\":[]},\"n\":-42}}");
	toml_ok("a.b.c = \"\\u00e9\\t\\\"\"\r\n", "{\"a\":{\"b\":{\"c\":\"\xc3\xa9\\t\\\"\"}}}");
	/* Refused: errors name the line. */
	toml_bad("[a]\nx = 1\nx = 2\n", BOSUN_EFORMAT, "line 3: duplicate key \"x\"");
	toml_bad("[a]\n[a]\n", BOSUN_EFORMAT, "line 2: table [a] defined twice");
	toml_bad("a = { b = 1 }\n[a]\n", BOSUN_EFORMAT, "line 2: table \"a\" is an inline table");
	toml_bad("x = \"\"\"multi\"\"\"\n", BOSUN_EUNSUPPORTED, "line 1: multi-line strings");
	toml_bad("\n\nx = 1.5\n", BOSUN_EUNSUPPORTED, "line 3: floats, dates");
	toml_bad("x = 1979-05-27\n", BOSUN_EUNSUPPORTED, "dates");
	toml_bad("[[x]]\n", BOSUN_EUNSUPPORTED, "arrays of tables");
	toml_bad("x = [1, 2\n", BOSUN_EFORMAT, "unterminated array");
	toml_bad("x = { a = 1,\n b = 2 }\n", BOSUN_EFORMAT, "one line");
	toml_bad("x = \"a\\q\"\n", BOSUN_EFORMAT, "unknown escape");
	toml_bad("x = \"\\ud800\"\n", BOSUN_EFORMAT, "Unicode scalar");
	toml_bad("x = 1 y = 2\n", BOSUN_EFORMAT, "end of the line");
	toml_bad("x = 99999999999999999999\n", BOSUN_EFORMAT, "out of range");
	toml_bad("x = \"\x01\"\n", BOSUN_EFORMAT, "control character");
	/* Nesting and size are bounded. */
	char deep[128] = "x = ";
	for (int i = 0; i < TOML_MAX_DEPTH + 2; i++)
		strcat(deep, "[");
	toml_bad(deep, BOSUN_ELIMIT, "nested");
	struct buf b = { 0 };
	buf_append_str(&b, "x = [");
	for (int i = 0; i < TOML_MAX_VALUES + 1; i++)
		buf_append_str(&b, "1,");
	buf_append_str(&b, "]\n");
	toml_bad(b.data, BOSUN_ELIMIT, "values");
	buf_free(&b);
}

/* ---- RustSec ------------------------------------------------------------- */

static void test_rustsec_patched_lists(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	/* crates/cookie/RUSTSEC-2017-0005.md:
	 *   aliases = ["CVE-2017-18589", "GHSA-vjrq-cg9x-rfjp"], cvss = "CVSS:3.0/...A:H", date = "2017-05-06"
	 *   patched = ["< 0.6.0", "^0.6.2", ">= 0.7.6"]
	 * safe: <0.6.0, [0.6.2, 0.7.0-0), >=0.7.6 -> affected [0.6.0, 0.6.2) and
	 * [0.7.0-0, 0.7.6), as rustsec's own OSV export says. */
	parse_ok(&r, rustsec_parse, "rustsec/native/crates/cookie/RUSTSEC-2017-0005.md");
	expect(&r.rec, "V RUSTSEC-2017-0005 | Large cookie Max-Age values can cause a denial of service | 2017-05-06 | "
		       "UNKNOWN | CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H | aliases CVE-2017-18589,GHSA-vjrq-cg9x-rfjp | "
		       "refs 1");
	expect(&r.rec, "A RUSTSEC-2017-0005 crates.io cookie fixed [0.6.0, 0.6.2) [0.7.0-0, 0.7.6) | -");
	/* crates/hyper/RUSTSEC-2021-0020.md: patched [">= 0.14.3", "0.13.10", "0.12.36"],
	 * unaffected ["< 0.12.0"]; bare versions are caret requirements. */
	parse_ok(&r, rustsec_parse, "rustsec/native/crates/hyper/RUSTSEC-2021-0020.md");
	expect(&r.rec, "A RUSTSEC-2021-0020 crates.io hyper fixed [0.12.0, 0.12.36) [0.13.0-0, 0.13.10) "
		       "[0.14.0-0, 0.14.3) | -");
	/* crates/time/RUSTSEC-2020-0071.md: patched [">= 0.2.23"], unaffected
	 * ["=0.2.0", ..., "=0.2.6"]: between two exact versions the range starts
	 * at the successor of the first (0.2.1-0). [affected] lists nine Unix
	 * oses (Linux among them) and nine functions, kept in the note. */
	parse_ok(&r, rustsec_parse, "rustsec/native/crates/time/RUSTSEC-2020-0071.md");
	expect(&r.rec, "A RUSTSEC-2020-0071 crates.io time fixed [0, 0.2.0) [0.2.1-0, 0.2.1) [0.2.2-0, 0.2.2) "
		       "[0.2.3-0, 0.2.3) [0.2.4-0, 0.2.4) [0.2.5-0, 0.2.5) [0.2.6-0, 0.2.6) [0.2.7-0, 0.2.23) | "
		       "os: linux redox solaris android ios macos netbsd openbsd freebsd; functions: time::at, "
		       "time::at_utc, time::now, time::UtcOffset::local_offset_at, time::UtcOffset::try_local_offset_at, "
		       "time::UtcOffset::current_local_offset, time::UtcOffset::try_current_local_offset, "
		       "time::OffsetDateTime::now_local (and 1 more)");
	assert_int_equal(r.st.vulns, 3);
	assert_int_equal(r.st.affected, 3);
	assert_int_equal(r.st.skipped, 0);
	assert_string_equal(r.lr.newest, "2021-02-05");
	rec_free(&r.rec);
}

static void test_rustsec_special(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	/* rust/std/CVE-2021-28876.md: the toolchain, not a crate; patched
	 * [">= 1.52.0"], unaffected ["< 1.14.0"]. */
	parse_ok(&r, rustsec_parse, "rustsec/native/rust/std/CVE-2021-28876.md");
	rec_find(&r.rec, "A CVE-2021-28876 rust-toolchain std fixed [1.14.0, 1.52.0)");
	/* crates/atty/RUSTSEC-2021-0145.md: informational = "unsound", os =
	 * ["windows"], patched = []: kept as a vulnerability, but no affected
	 * row (a Linux image cannot have it). */
	parse_ok(&r, rustsec_parse, "rustsec/native/crates/atty/RUSTSEC-2021-0145.md");
	rec_find(&r.rec, "V RUSTSEC-2021-0145 | Potential unaligned read |");
	assert_int_equal(r.st.skipped, 1);
	/* crates/libpulse-binding/RUSTSEC-2020-0055.md: withdrawn = "2020-10-22": nothing. */
	parse_ok(&r, rustsec_parse, "rustsec/native/crates/libpulse-binding/RUSTSEC-2020-0055.md");
	assert_int_equal(r.st.skipped, 2);
	assert_int_equal(r.st.vulns, 2);
	assert_int_equal(r.st.affected, 1);
	rec_free(&r.rec);
}

/* ---- RubySec ------------------------------------------------------------- */

static void test_rubysec(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	/* gems/activesupport/CVE-2023-22796.yml (rails): ghsa j6gc-792m-qgm2, no cvss,
	 * patched_versions "~> 5.2.8", "~> 6.1.7, >= 6.1.7.1", ">= 7.0.4.1".
	 * safe: [5.2.8, 5.3.A) [6.1.7.1, 6.2.A) [7.0.4.1, *); 5.3.A is the lowest
	 * version whose release is 5.3 (what `~> 5.2.8` stops before). */
	parse_ok(&r, rubysec_parse, "rubysec/gems/activesupport/CVE-2023-22796.yml");
	const char *v = rec_find(&r.rec, "V CVE-2023-22796 | ");
	assert_non_null(strstr(v, "| 2023-01-18 | UNKNOWN | - | aliases GHSA-j6gc-792m-qgm2 |"));
	expect(&r.rec, "A CVE-2023-22796 rubygems activesupport fixed [0, 5.2.8) [5.3.A, 6.1.7.1) [6.2.A, 7.0.4.1) | -");
	/* gems/actionpack/CVE-2008-7248.yml: unaffected "< 2.1.0"; patched "~> 2.1.3", ">= 2.2.2";
	 * cvss_v2 6.8 (MEDIUM), url + 15 related urls. */
	parse_ok(&r, rubysec_parse, "rubysec/gems/actionpack/CVE-2008-7248.yml");
	expect(&r.rec, "V CVE-2008-7248 | Improper Input Validation in rails | 2017-10-24 | MEDIUM | - | aliases "
		       "GHSA-8fqx-7pv4-3jwm | refs 16");
	expect(&r.rec, "A CVE-2008-7248 rubygems actionpack fixed [2.1.0, 2.1.3) [2.2.A, 2.2.2) | -");
	assert_int_equal(r.st.skipped, 0);
	/* gems/activemodel/CVE-2016-0753.yml: unaffected "<= 4.0.13": affected
	 * starts just after 4.0.13, which the RubyGems order cannot name, so
	 * 4.0.13 is included, the feed's text goes to the note, and the row
	 * counts as skipped. */
	parse_ok(&r, rubysec_parse, "rubysec/gems/activemodel/CVE-2016-0753.yml");
	const char *a = rec_find(&r.rec, "A CVE-2016-0753 rubygems activemodel fixed [4.0.13, 4.1.14.1) [4.2.A, 4.2.5.1) "
					 "[4.3.A, 5.0.0.beta1.1) | versions as the feed states them: patched_versions:");
	assert_non_null(strstr(a, "unaffected_versions: \"<= 4.0.13\""));
	assert_int_equal(r.st.skipped, 1);
	/* rubies/ruby/CVE-2005-1992.yml: engine ruby, patched ">= 1.8.2-r2", cvss_v2 7.5 (HIGH). */
	parse_ok(&r, rubysec_parse, "rubysec/rubies/ruby/CVE-2005-1992.yml");
	rec_find(&r.rec, "V CVE-2005-1992 | Ruby XML-RPC Remote Arbitrary Command Execution | 2005-06-20 | HIGH |");
	expect(&r.rec, "A CVE-2005-1992 ruby-runtime ruby fixed [0, 1.8.2-r2) | -");
	assert_string_equal(r.lr.newest, "2023-01-18");
	rec_free(&r.rec);
}

/* ---- FriendsOfPHP -------------------------------------------------------- */

static void test_friendsofphp(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	/* symfony/symfony/CVE-2022-24894.yaml: 25 branches 2.0.x .. 6.2.x, each
	 * ['>=X.Y.0', '<next'] or ending at the fix (4.4.x '<4.4.50', 5.4.x
	 * '<5.4.20', 6.0.x '<6.0.20', 6.1.x '<6.1.12', 6.2.x '<6.2.6'); branches
	 * that end where the next starts are joined. */
	parse_ok(&r, friendsofphp_parse, "friendsofphp/symfony/symfony/CVE-2022-24894.yaml");
	expect(&r.rec, "V CVE-2022-24894 | CVE-2022-24894: Prevent storing cookie headers in HttpCache | 2023-02-01 | "
		       "UNKNOWN | - | aliases | refs 1");
	expect(&r.rec, "A CVE-2022-24894 packagist symfony/symfony fixed [2.0.0, 4.4.50) [5.0.0, 5.4.20) "
		       "[6.0.0, 6.0.20) [6.1.0, 6.1.12) [6.2.0, 6.2.6) | -");
	/* drupal/drupal/CVE-2019-6342.yaml: 8.7.x ['>8.7.3','<8.7.5']: no Composer
	 * successor of 8.7.3, so 8.7.3 is included and the text kept. */
	parse_ok(&r, friendsofphp_parse, "friendsofphp/drupal/drupal/CVE-2019-6342.yaml");
	expect(&r.rec, "A CVE-2019-6342 packagist drupal/drupal fixed [8.7.3, 8.7.5) | versions as the feed states them: "
		       "8.7.x: >8.7.3, <8.7.5 (the ranges also include the lower bounds that the feed excludes)");
	assert_int_equal(r.st.skipped, 1);
	/* drupal/drupal/2021-05-26.yaml: no cve, so the id is made from the path. */
	parse_ok(&r, friendsofphp_parse, "friendsofphp/drupal/drupal/2021-05-26.yaml");
	rec_find(&r.rec, "A FRIENDSOFPHP-drupal/drupal/2021-05-26 packagist drupal/drupal ");
	rec_free(&r.rec);
}

/* ---- Node.js security-wg ------------------------------------------------- */

static void test_nodejs(void **state)
{
	(void)state;
	struct run r;
	run_init(&r);
	/* npm/375.json: is-my-json-valid, vulnerable "<1.4.1 || >=2.0.0 <2.17.2",
	 * patched ">=1.4.1 <2.0.0 || >=2.17.2", cvss_score 3.7 (LOW). */
	parse_ok(&r, nodejs_parse_npm, "nodejs-security-wg/vuln/npm/375.json");
	rec_find(&r.rec, "V NSWG-ECO-375 | ");
	expect(&r.rec, "A NSWG-ECO-375 npm is-my-json-valid fixed [0, 1.4.1) [2.0.0, 2.17.2) | -");
	const char *v = rec_find(&r.rec, "V NSWG-ECO-375 |");
	assert_non_null(strstr(v, "| 2018-02-21 | LOW | CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L | aliases | refs 3"));
	/* npm/1.json: bassmaster, "<=1.5.1": last_affected, not fixed. */
	parse_ok(&r, nodejs_parse_npm, "nodejs-security-wg/vuln/npm/1.json");
	expect(&r.rec, "A NSWG-ECO-1 npm bassmaster affected [0, 1.5.1] | -");
	/* core/1.json: vulnerable "8.x || 7.x || 4.x || 6.x || 5.x", patched
	 * "^8.1.4 || ^7.10.1 || ^4.8.4 || ^6.11.1": 5.x has no fixed release. */
	parse_ok(&r, nodejs_parse_core, "nodejs-security-wg/vuln/core/1.json");
	expect(&r.rec, "A NSWG-COR-1 nodejs-runtime node fixed [4.0.0, 4.8.4) [5.0.0, 6.0.0-0) [6.0.0, 6.11.1) "
		       "[7.0.0, 7.10.1) [8.0.0, 8.1.4) | -");
	rec_find(&r.rec, "V NSWG-COR-1 | memory overread when parsing invalid NAPTR responses | - | HIGH | - | aliases "
			 "CVE-2017-1000381 | refs 1");
	/* core/80.json: affectedEnvironments ["win32"]: no affected row. */
	long before = r.st.affected;
	parse_ok(&r, nodejs_parse_core, "nodejs-security-wg/vuln/core/80.json");
	assert_int_equal(r.st.affected, before);
	assert_int_equal(r.st.skipped, 1);
	rec_free(&r.rec);
}

/* ---- whole feeds into a database ----------------------------------------- */

static const struct importer *importer_named(const char *name)
{
	for (size_t i = 0; importers[i]; i++)
		if (strcmp(importers[i]->name, name) == 0)
			return importers[i];
	fail_msg("no importer %s", name);
	return NULL;
}

struct count {
	long rows;
	const char *want_pkg;
};

static int count_row(const struct affected_row *row, void *ctx)
{
	struct count *c = ctx;
	c->rows++;
	assert_string_equal(row->package, c->want_pkg);
	return 0;
}

static long lookup_rows(struct vulndb *db, const char *eco, const char *pkg)
{
	struct count c = { 0, pkg };
	struct berr e = { 0 };
	if (vulndb_lookup(db, eco, pkg, count_row, &c, &e) != BOSUN_OK)
		fail_msg("lookup %s %s: %s", eco, pkg, e.msg);
	return c.rows;
}

/* The real feeds, whole: counts are those of this snapshot (worked out by
 * counting files: e.g. RustSec has 1225 advisories, of which 267 are
 * unmaintained/notice, 13 withdrawn, and some Windows-only). */
static void test_real_feeds(void **state)
{
	(void)state;
	struct vulndb *db;
	struct berr e = { 0 };
	assert_int_equal(vulndb_open(":memory:", true, &db, &e), BOSUN_OK);
	static const struct {
		const char *importer, *dir;
	} feeds[] = {
		{ "rustsec", "rustsec/native" },
		{ "rubysec", "rubysec" },
		{ "friendsofphp", "friendsofphp" },
		{ "nodejs", "nodejs-security-wg/vuln" },
	};
	for (size_t i = 0; i < sizeof feeds / sizeof feeds[0]; i++) {
		const struct importer *imp = importer_named(feeds[i].importer);
		assert_true(imp->detect(vulndata(feeds[i].dir)));
		struct import_stats st = { 0 };
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (imp->import(db, vulndata(feeds[i].dir), &st, &e) != BOSUN_OK)
			fail_msg("%s: %s", feeds[i].importer, e.msg);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		print_message("  %-13s files %5ld vulns %5ld affected %5ld skipped %4ld  %.2f s\n", feeds[i].importer,
			      st.files, st.vulns, st.affected, st.skipped,
			      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		assert_true(st.vulns > 0 && st.affected > 0);
	}
	/* Other importers must not claim these trees, nor these importers others'. */
	assert_false(importer_named("rustsec")->detect(vulndata("rustsec/osv")));
	assert_false(importer_named("rubysec")->detect(vulndata("friendsofphp")));
	assert_false(importer_named("friendsofphp")->detect(vulndata("rubysec")));
	assert_false(importer_named("nodejs")->detect(vulndata("rubysec")));
	/* Spot checks through the read path. */
	assert_true(lookup_rows(db, "crates.io", "cookie") >= 1);
	assert_true(lookup_rows(db, "rubygems", "activesupport") >= 10);
	assert_true(lookup_rows(db, "packagist", "symfony/symfony") >= 50);
	assert_true(lookup_rows(db, "npm", "is-my-json-valid") >= 1);
	assert_true(lookup_rows(db, "nodejs-runtime", "node") >= 100);
	assert_true(lookup_rows(db, "ruby-runtime", "ruby") >= 50);
	vulndb_close(db);
}

/* ---- malformed copies ---------------------------------------------------- */

static char tmpdir[256];

static void write_file(const char *rel, const char *text)
{
	char path[512], dir[512];
	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	snprintf(dir, sizeof dir, "%s", path);
	for (char *p = dir + strlen(tmpdir) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0755);
			*p = '/';
		}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* The real file with `from` replaced by `to` (first occurrence). */
static char *edited(const char *rel, const char *from, const char *to)
{
	size_t n;
	char *data = (char *)test_read_file(vulndata(rel), &n);
	char *at = strstr(data, from);
	if (!at)
		fail_msg("%s: no \"%s\"", rel, from);
	size_t fl = strlen(from), tl = strlen(to);
	char *out = malloc(n - fl + tl + 1);
	assert_non_null(out);
	memcpy(out, data, (size_t)(at - data));
	memcpy(out + (at - data), to, tl);
	memcpy(out + (at - data) + tl, at + fl, n - (size_t)(at - data) - fl + 1);
	free(data);
	return out;
}

static char *huge(size_t n, char c)
{
	char *s = malloc(n + 1);
	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Parses text as the file rel (written under tmpdir) and expects code with
 * "rel:LINE:" (or "rel: ... line LINE") and `part` in the message; line 0
 * for errors about the whole file. */
static void expect_error(lang_parse_fn fn, const char *rel, const char *text, int code, int line, const char *part)
{
	write_file(rel, text);
	char path[512];
	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	struct run r;
	run_init(&r);
	int rc = parse_file(&r, fn, path);
	if (rc != code)
		fail_msg("%s: want error %d, got %d: %s", rel, code, rc, r.e.msg);
	char want[600];
	snprintf(want, sizeof want, "%s:%d:", path, line);
	char want2[600];
	snprintf(want2, sizeof want2, "line %d", line);
	if (!strstr(r.e.msg, path) || (line && !strstr(r.e.msg, want) && !strstr(r.e.msg, want2)))
		fail_msg("%s: message does not name the file and line %d: %s", rel, line, r.e.msg);
	if (part && !strstr(r.e.msg, part))
		fail_msg("%s: message lacks \"%s\": %s", rel, part, r.e.msg);
	rec_free(&r.rec);
}

static void test_malformed_rustsec(void **state)
{
	(void)state;
	const char *rel = "rustsec/native/crates/cookie/RUSTSEC-2017-0005.md";
	/* Line 3 is `id = "RUSTSEC-2017-0005"`. */
	char *t = edited(rel, "id = \"RUSTSEC-2017-0005\"", "id = \"RUSTSEC-2017-0005");
	expect_error(rustsec_parse, "bad/crates/cookie/R1.md", t, BOSUN_EFORMAT, 3, "unterminated string");
	free(t);
	/* Line 12 is `patched = [...]`: a string is not a list. */
	t = edited(rel, "patched = [\"< 0.6.0\", \"^0.6.2\", \">= 0.7.6\"]", "patched = \">= 0.7.6\"");
	expect_error(rustsec_parse, "bad/crates/cookie/R2.md", t, BOSUN_EFORMAT, 12, "expected a list of strings");
	free(t);
	t = edited(rel, "\">= 0.7.6\"]", "\">= 0.7.6.1\"]");
	expect_error(rustsec_parse, "bad/crates/cookie/R3.md", t, BOSUN_EFORMAT, 12, "0.7.6.1");
	free(t);
	/* A 70,000-byte url on line 9. */
	char *big = huge(70000, 'a');
	char *url = malloc(80000);
	snprintf(url, 80000, "url = \"https://%s\"", big);
	t = edited(rel, "url = \"https://github.com/alexcrichton/cookie-rs/pull/86\"", url);
	expect_error(rustsec_parse, "bad/crates/cookie/R4.md", t, BOSUN_ELIMIT, 9, "longer than");
	free(t);
	free(url);
	free(big);
	/* Front block never closed. */
	expect_error(rustsec_parse, "bad/crates/x/R5.md", "```toml\n[advisory]\nid = \"X\"\n", BOSUN_EFORMAT, 0,
		     "not closed");
	/* TOML that this reader refuses: an unquoted date (line 2). */
	expect_error(rustsec_parse, "bad/crates/x/R6.md", "```toml\n[advisory]\ndate = 2020-01-01\n```\n# T\n",
		     BOSUN_EUNSUPPORTED, 3, "dates");
}

static void test_malformed_rubysec(void **state)
{
	(void)state;
	const char *rel = "rubysec/gems/actionpack/CVE-2008-7248.yml";
	/* Line 17 `  - "< 2.1.0"` loses its closing quote: a double-quoted YAML
	 * scalar may go on over lines, so libyaml notices on line 19. */
	char *t = edited(rel, "- \"< 2.1.0\"", "- \"< 2.1.0");
	expect_error(rubysec_parse, "bad/gems/actionpack/Y1.yml", t, BOSUN_EFORMAT, 19, "YAML");
	free(t);
	/* patched_versions (line 18) as a string. */
	t = edited(rel, "patched_versions:\n  - \"~> 2.1.3\"\n  - \">= 2.2.2\"", "patched_versions: \">= 2.2.2\"");
	expect_error(rubysec_parse, "bad/gems/actionpack/Y2.yml", t, BOSUN_EFORMAT, 18, "expected a list of strings");
	free(t);
	/* A 70,000-byte title (line 7). */
	char *big = huge(70000, 'x');
	char *title = malloc(80000);
	snprintf(title, 80000, "title: %s", big);
	t = edited(rel, "title: Improper Input Validation in rails", title);
	expect_error(rubysec_parse, "bad/gems/actionpack/Y3.yml", t, BOSUN_ELIMIT, 7, "more than");
	free(t);
	free(title);
	free(big);
	/* A requirement RubyGems cannot parse (the list starts on line 18). */
	t = edited(rel, "\"~> 2.1.3\"", "\"~> 2.1.3 beta\"");
	expect_error(rubysec_parse, "bad/gems/actionpack/Y4.yml", t, BOSUN_EFORMAT, 18, "2.1.3 beta");
	free(t);
	/* A list of lists instead of a mapping at the top. */
	expect_error(rubysec_parse, "bad/gems/x/Y5.yml", "- - 1\n", BOSUN_EFORMAT, 0, "mapping");
}

static void test_malformed_friendsofphp(void **state)
{
	(void)state;
	const char *rel = "friendsofphp/drupal/drupal/CVE-2019-6342.yaml";
	/* Line 7 `versions: ['>8.7.3','<8.7.5']` with an unclosed flow sequence. */
	char *t = edited(rel, "'<8.7.5']", "'<8.7.5'");
	expect_error(friendsofphp_parse, "bad/drupal/drupal/F1.yaml", t, BOSUN_EFORMAT, 8, "YAML");
	free(t);
	t = edited(rel, "['>8.7.3','<8.7.5']", "'>8.7.3'");
	expect_error(friendsofphp_parse, "bad/drupal/drupal/F2.yaml", t, BOSUN_EFORMAT, 7, "expected a list of strings");
	free(t);
	t = edited(rel, "reference: composer://drupal/drupal", "reference: https://drupal.org");
	expect_error(friendsofphp_parse, "bad/drupal/drupal/F3.yaml", t, BOSUN_EFORMAT, 8, "composer://");
	free(t);
	char *big = huge(70000, 'y');
	char *link = malloc(80000);
	snprintf(link, 80000, "link: https://%s", big);
	t = edited(rel, "link: https://www.drupal.org/sa-core-2019-008", link);
	expect_error(friendsofphp_parse, "bad/drupal/drupal/F4.yaml", t, BOSUN_ELIMIT, 2, "more than");
	free(t);
	free(link);
	free(big);
}

static void test_malformed_nodejs(void **state)
{
	(void)state;
	const char *rel = "nodejs-security-wg/vuln/npm/375.json";
	/* A trailing comma after the last member (line 25); jansson notices at
	 * the closing brace on line 26. */
	char *t = edited(rel, "\"snyk.io\"", "\"snyk.io\",");
	expect_error(nodejs_parse_npm, "bad/npm/375.json", t, BOSUN_EFORMAT, 26, "invalid JSON");
	free(t);
	/* vulnerable_versions (line 14) as a number. */
	t = edited(rel, "\"<1.4.1 || >=2.0.0 <2.17.2\"", "5");
	expect_error(nodejs_parse_npm, "bad/npm/376.json", t, BOSUN_EFORMAT, 14, "expected a string");
	free(t);
	t = edited(rel, "\"<1.4.1 || >=2.0.0 <2.17.2\"", "\"<1.4.1 ||| 2\"");
	expect_error(nodejs_parse_npm, "bad/npm/377.json", t, BOSUN_EFORMAT, 14, "vulnerable_versions");
	free(t);
	char *big = huge(70000, 'z');
	char *ov = malloc(80000);
	snprintf(ov, 80000, "\"overview\": \"%s\"", big);
	t = edited(rel,
		   "\"overview\": \"is-my-json-valid is vulnerable to Regular Expression Denial of Service (ReDoS) "
		   "attacks via the email validation function\"",
		   ov);
	expect_error(nodejs_parse_npm, "bad/npm/378.json", t, BOSUN_ELIMIT, 16, "more than");
	free(t);
	free(ov);
	free(big);
	/* Nested 100 deep: refused before the parser recurses. */
	char deep[256] = "";
	for (int i = 0; i < 100; i++)
		strcat(deep, "[");
	expect_error(nodejs_parse_core, "bad/core/7.json", deep, BOSUN_ELIMIT, 0, "deeper");
}

/* A bad file in a feed aborts the whole source: the rows imported before
 * stay as they were. */
static void test_db_unchanged(void **state)
{
	(void)state;
	struct vulndb *db;
	struct berr e = { 0 };
	assert_int_equal(vulndb_open(":memory:", true, &db, &e), BOSUN_OK);
	const struct importer *imp = importer_named("nodejs");
	/* A small good tree: npm/375.json and core/1.json. */
	char good[512];
	snprintf(good, sizeof good, "%s/feed-good", tmpdir);
	size_t n;
	char *npm = (char *)test_read_file(vulndata("nodejs-security-wg/vuln/npm/375.json"), &n);
	char *core = (char *)test_read_file(vulndata("nodejs-security-wg/vuln/core/1.json"), &n);
	write_file("feed-good/npm/375.json", npm);
	write_file("feed-good/npm/index.json", "{}");
	write_file("feed-good/core/1.json", core);
	write_file("feed-good/core/index.json", "{}");
	struct import_stats st = { 0 };
	if (imp->import(db, good, &st, &e) != BOSUN_OK)
		fail_msg("%s", e.msg);
	assert_int_equal(lookup_rows(db, "npm", "is-my-json-valid"), 1);
	/* The same source again, with one good and one broken file. */
	write_file("feed-bad/npm/1.json", npm);
	write_file("feed-bad/npm/375.json", "{\"id\": 375, \"module_name\": 7}");
	write_file("feed-bad/core/1.json", core);
	write_file("feed-bad/core/index.json", "{}");
	write_file("feed-bad/npm/index.json", "{}");
	char bad[512];
	snprintf(bad, sizeof bad, "%s/feed-bad", tmpdir);
	memset(&st, 0, sizeof st);
	int rc = imp->import(db, bad, &st, &e);
	assert_int_equal(rc, BOSUN_EFORMAT);
	if (!strstr(e.msg, "feed-bad/npm/375.json:1: module_name"))
		fail_msg("unexpected message: %s", e.msg);
	assert_int_equal(lookup_rows(db, "npm", "is-my-json-valid"), 1);
	assert_int_equal(lookup_rows(db, "nodejs-runtime", "node"), 1);
	free(npm);
	free(core);
	vulndb_close(db);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/bosun-langfeeds-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_toml_subset),
		cmocka_unit_test(test_rustsec_patched_lists),
		cmocka_unit_test(test_rustsec_special),
		cmocka_unit_test(test_rubysec),
		cmocka_unit_test(test_friendsofphp),
		cmocka_unit_test(test_nodejs),
		cmocka_unit_test(test_real_feeds),
		cmocka_unit_test(test_malformed_rustsec),
		cmocka_unit_test(test_malformed_rubysec),
		cmocka_unit_test(test_malformed_friendsofphp),
		cmocka_unit_test(test_malformed_nodejs),
		cmocka_unit_test(test_db_unchanged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
