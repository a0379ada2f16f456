/* The advisory database over SQLite. Schema, encodings and merge rules:
 * docs/vulndb.md. Every statement is prepared once per handle and cached. */
#include "vulndb/vulndb_impl.h"
#include "vulndb/cvss.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* Bounds on what one record may hold: feeds are hostile input, and a row
 * that is absurdly large is a broken feed, not an advisory. */
#define MAX_ID 256
#define MAX_DATE 64
#define MAX_VECTOR 256
#define MAX_SUMMARY 1024
#define MAX_DETAILS 8192
#define MAX_NOTE 4096
#define MAX_ALIASES 256
#define MAX_RELATED 1024 /* a kernel erratum names a few hundred CVEs */
#define MAX_REFS 16
#define MAX_ECOSYSTEM 64
#define MAX_PACKAGE 1024
#define MAX_VERSION 1024
#define MAX_RANGES 4096
#define MAX_VERSIONS 100000
#define SQL_MAX_LENGTH (64 << 20)

/* Which merged vulnerability fields a source supplied (vuln_owner.fields):
 * when the source is replaced, exactly these are cleared. */
enum {
	F_SUMMARY = 1 << 0,
	F_DETAILS = 1 << 1,
	F_PUBLISHED = 1 << 2,
	F_MODIFIED = 1 << 3,
	F_SEVERITY = 1 << 4,
	F_CVSS3 = 1 << 5,
	F_CVSS4 = 1 << 6,
	F_KEV = 1 << 7,
};


static const char *const stmt_sql[ST_COUNT] = {
	[ST_VULN_PRESENT] = "SELECT (summary IS NOT NULL) + 2 * (details IS NOT NULL) + 4 * (published IS NOT NULL)"
			    " + 8 * (modified IS NOT NULL) + 16 * (severity != 0) + 32 * (cvss3_vector IS NOT NULL)"
			    " + 64 * (cvss4_vector IS NOT NULL) FROM vulns WHERE id = ?1",
	[ST_VULN_INSERT] = "INSERT INTO vulns(id, summary, details, published, modified, severity, cvss3_vector,"
			   " cvss3_score, cvss4_vector, cvss4_score, sources) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
			   " ?9, ?10, ?11)",
	/* Fills what is missing; SET expressions all see the old row. */
	[ST_VULN_FILL] = "UPDATE vulns SET summary = COALESCE(summary, ?2), details = COALESCE(details, ?3),"
			 " published = COALESCE(published, ?4), modified = COALESCE(modified, ?5),"
			 " severity = CASE WHEN severity = 0 THEN ?6 ELSE severity END,"
			 " cvss3_score = CASE WHEN cvss3_vector IS NULL THEN ?8 ELSE cvss3_score END,"
			 " cvss3_vector = COALESCE(cvss3_vector, ?7),"
			 " cvss4_score = CASE WHEN cvss4_vector IS NULL THEN ?10 ELSE cvss4_score END,"
			 " cvss4_vector = COALESCE(cvss4_vector, ?9) WHERE id = ?1",
	[ST_OWNER_GET] = "SELECT fields FROM vuln_owner WHERE vuln_id = ?1 AND src = ?2",
	[ST_OWNER_INSERT] = "INSERT INTO vuln_owner(vuln_id, src, fields) VALUES(?1, ?2, ?3)",
	[ST_OWNER_OR] = "UPDATE vuln_owner SET fields = fields | ?3 WHERE vuln_id = ?1 AND src = ?2",
	[ST_SOURCES_APPEND] = "UPDATE vulns SET sources = CASE WHEN sources = '' THEN ?2 ELSE sources || ',' || ?2 END"
			      " WHERE id = ?1",
	[ST_ALIAS_INSERT] = "INSERT OR IGNORE INTO aliases(vuln_id, alias, src) VALUES(?1, ?2, ?3)",
	[ST_RELATED_INSERT] = "INSERT OR IGNORE INTO related(vuln_id, related, src) VALUES(?1, ?2, ?3)",
	[ST_REF_INSERT] = "INSERT INTO refs(vuln_id, url, src) VALUES(?1, ?2, ?3)",
	[ST_AFFECTED_INSERT] = "INSERT INTO affected(vuln_id, ecosystem, package, status, severity, ranges, versions,"
			       " note, src) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_KEV_STUB] = "INSERT OR IGNORE INTO vulns(id, sources) VALUES(?1, '')",
	[ST_KEV_SET] = "UPDATE vulns SET kev = 1, kev_date_added = ?2, kev_due_date = ?3, kev_ransomware = ?4"
		       " WHERE id = ?1",
	[ST_LOOKUP] = "SELECT a.vuln_id, a.ecosystem, a.package, a.status, a.severity, a.ranges, a.versions, a.note,"
		      " s.name FROM affected a JOIN sources s ON s.id = a.src WHERE a.ecosystem = ?1 AND"
		      " a.package = ?2 ORDER BY a.rowid",
	/* The last two columns say who supplied the severity: its source, and
	 * an ecosystem that source lists the vulnerability in. */
	[ST_VULN_GET] = "SELECT id, summary, details, published, modified, severity, cvss3_vector, cvss3_score,"
			" cvss4_vector, cvss4_score, kev, kev_date_added, kev_due_date, kev_ransomware, sources,"
			" (SELECT s.name FROM vuln_owner o JOIN sources s ON s.id = o.src WHERE o.vuln_id = vulns.id"
			" AND (o.fields & 16) != 0 LIMIT 1),"
			" (SELECT a.ecosystem FROM vuln_owner o JOIN affected a ON a.vuln_id = vulns.id AND a.src = o.src"
			" WHERE o.vuln_id = vulns.id AND (o.fields & 16) != 0 LIMIT 1)"
			" FROM vulns WHERE id = ?1",
	[ST_ALIASES_OF] = "SELECT alias FROM aliases WHERE vuln_id = ?1 UNION SELECT vuln_id FROM aliases"
			  " WHERE alias = ?1 ORDER BY 1",
	[ST_RELATED_OF] = "SELECT DISTINCT related FROM related WHERE vuln_id = ?1 ORDER BY 1",
	[ST_KEV_VIA_RELATED] = "SELECT kev_date_added, kev_due_date, kev_ransomware FROM vulns WHERE kev = 1 AND id IN"
			       " (SELECT related FROM related WHERE vuln_id = ?1) ORDER BY id LIMIT 1",
	/* Severity evidence for ?1 (docs/matching.md): `same` is ?1 and its
	 * aliases; `errata` the records without a CVE of their own that list
	 * ?1 as related (an ALSA for its CVEs). Ratings come from both, CVSS
	 * scores only from `same`: an erratum's score would be its own. */
	[ST_EVIDENCE] = "WITH same(id) AS (SELECT ?1 UNION SELECT alias FROM aliases WHERE vuln_id = ?1"
			" UNION SELECT vuln_id FROM aliases WHERE alias = ?1),"
			" errata(id) AS (SELECT r.vuln_id FROM related r WHERE r.related = ?1"
			" AND r.vuln_id NOT LIKE 'CVE-%'"
			" AND NOT EXISTS (SELECT 1 FROM aliases x WHERE x.vuln_id = r.vuln_id AND x.alias LIKE 'CVE-%')"
			" AND NOT EXISTS (SELECT 1 FROM aliases x WHERE x.alias = r.vuln_id AND x.vuln_id LIKE 'CVE-%')),"
			" rated(id) AS (SELECT id FROM same UNION SELECT id FROM errata)"
			" SELECT 0, a.ecosystem, s.name, a.vuln_id, a.severity, NULL, a.package FROM affected a"
			" JOIN sources s ON s.id = a.src WHERE a.vuln_id IN (SELECT id FROM rated) AND a.severity > 0"
			" UNION ALL SELECT 0, (SELECT a.ecosystem FROM affected a WHERE a.vuln_id = v.id AND a.src = o.src"
			" LIMIT 1), s.name, v.id, v.severity, NULL, NULL FROM vulns v JOIN vuln_owner o ON o.vuln_id = v.id"
			" AND (o.fields & 16) != 0 JOIN sources s ON s.id = o.src"
			" WHERE v.id IN (SELECT id FROM rated) AND v.severity > 0"
			" UNION ALL SELECT 1, NULL, s.name, v.id, 0, v.cvss3_score, NULL FROM vulns v JOIN vuln_owner o"
			" ON o.vuln_id = v.id AND (o.fields & 32) != 0 JOIN sources s ON s.id = o.src"
			" WHERE v.id IN (SELECT id FROM same) AND v.cvss3_score IS NOT NULL"
			" UNION ALL SELECT 2, NULL, s.name, v.id, 0, v.cvss4_score, NULL FROM vulns v JOIN vuln_owner o"
			" ON o.vuln_id = v.id AND (o.fields & 64) != 0 JOIN sources s ON s.id = o.src"
			" WHERE v.id IN (SELECT id FROM same) AND v.cvss4_score IS NOT NULL",
	[ST_REFS_OF] = "SELECT url FROM refs WHERE vuln_id = ?1 GROUP BY url ORDER BY min(rowid)",
	[ST_KEV_VIA_ALIAS] = "SELECT kev_date_added, kev_due_date, kev_ransomware FROM vulns WHERE kev = 1 AND id IN"
			     " (SELECT alias FROM aliases WHERE vuln_id = ?1 UNION SELECT vuln_id FROM aliases"
			     " WHERE alias = ?1) ORDER BY id LIMIT 1",
	[ST_ALIAS_TARGETS] = "SELECT DISTINCT vuln_id FROM aliases WHERE alias = ?1 ORDER BY vuln_id",
	[ST_SOURCES_ALL] = "SELECT name, origin, snapshot, license, imported_at, vulns, affected FROM sources"
			   " ORDER BY name",
};

static const char schema_sql[] =
	"CREATE TABLE meta(schema_version INTEGER NOT NULL, built_at TEXT);"
	"CREATE TABLE sources(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, origin TEXT, snapshot TEXT,"
	" license TEXT, imported_at TEXT, vulns INTEGER NOT NULL DEFAULT 0, affected INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE vulns(id TEXT PRIMARY KEY, summary TEXT, details TEXT, published TEXT, modified TEXT,"
	" severity INTEGER NOT NULL DEFAULT 0, cvss3_vector TEXT, cvss3_score REAL, cvss4_vector TEXT,"
	" cvss4_score REAL, kev INTEGER NOT NULL DEFAULT 0, kev_date_added TEXT, kev_due_date TEXT,"
	" kev_ransomware INTEGER NOT NULL DEFAULT 0, sources TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE vuln_owner(vuln_id TEXT NOT NULL, src INTEGER NOT NULL, fields INTEGER NOT NULL,"
	" PRIMARY KEY(vuln_id, src)) WITHOUT ROWID;"
	"CREATE INDEX vuln_owner_src ON vuln_owner(src);"
	"CREATE TABLE aliases(vuln_id TEXT NOT NULL, alias TEXT NOT NULL, src INTEGER NOT NULL,"
	" PRIMARY KEY(vuln_id, alias, src)) WITHOUT ROWID;"
	"CREATE INDEX aliases_alias ON aliases(alias);"
	"CREATE TABLE related(vuln_id TEXT NOT NULL, related TEXT NOT NULL, src INTEGER NOT NULL,"
	" PRIMARY KEY(vuln_id, related, src)) WITHOUT ROWID;"
	"CREATE INDEX related_related ON related(related);"
	"CREATE TABLE refs(vuln_id TEXT NOT NULL, url TEXT NOT NULL, src INTEGER NOT NULL);"
	"CREATE INDEX refs_vuln ON refs(vuln_id);"
	"CREATE TABLE affected(vuln_id TEXT NOT NULL, ecosystem TEXT NOT NULL, package TEXT NOT NULL,"
	" status INTEGER NOT NULL, severity INTEGER NOT NULL DEFAULT 0, ranges TEXT, versions TEXT, note TEXT,"
	" src INTEGER NOT NULL);"
	"CREATE INDEX affected_pkg ON affected(ecosystem, package);"
	"CREATE INDEX affected_vuln ON affected(vuln_id);";


/* ---- errors and small helpers ------------------------------------------- */

static int code_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM: return BOSUN_ENOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_SCHEMA:
	case SQLITE_ERROR: return BOSUN_EFORMAT;
	case SQLITE_TOOBIG: return BOSUN_ELIMIT;
	default: return BOSUN_EIO;
	}
}

int vulndb_sql_fail(struct vulndb *db, int rc, const char *what, struct berr *e)
{
	return berr_set(e, code_of(rc), "vulnerability database: %s: %s", what, sqlite3_errmsg(db->db));
}

static int exec(struct vulndb *db, const char *sql, struct berr *e)
{
	int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? BOSUN_OK : vulndb_sql_fail(db, rc, sql, e);
}

int vulndb_stmt(struct vulndb *db, enum stmt_id id, sqlite3_stmt **out, struct berr *e)
{
	if (!db->st[id]) {
		int rc = sqlite3_prepare_v3(db->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &db->st[id], NULL);
		if (rc != SQLITE_OK)
			return vulndb_sql_fail(db, rc, "prepare", e);
	} else {
		sqlite3_reset(db->st[id]);
		sqlite3_clear_bindings(db->st[id]);
	}
	*out = db->st[id];
	return BOSUN_OK;
}

/* Steps a statement that returns no rows. */
static int run(struct vulndb *db, sqlite3_stmt *s, struct berr *e)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? BOSUN_OK : vulndb_sql_fail(db, rc, "write", e);
}



/* ISO 8601 UTC now, or at $SOURCE_DATE_EPOCH so that a database built from
 * the same feeds can be byte-identical. */
static void now_iso(char out[32])
{
	time_t t = time(NULL);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (!*end && v >= 0)
			t = (time_t)v;
	}
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool has_ctl(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

/* A key-like string (id, name, version, date): present, bounded, one line. */
static int check_key(const char *s, size_t max, const char *what, const char *ctx, struct berr *e)
{
	if (!s || !*s)
		return berr_set(e, BOSUN_EFORMAT, "%s%s%s: empty", ctx ? ctx : "", ctx ? ": " : "", what);
	size_t n = strnlen(s, max + 1);
	if (n > max)
		return berr_set(e, BOSUN_ELIMIT, "%s%s%s: longer than %zu bytes", ctx ? ctx : "", ctx ? ": " : "",
				what, max);
	if (has_ctl(s, n))
		return berr_set(e, BOSUN_EFORMAT, "%s%s%s: control character in '%.64s'", ctx ? ctx : "",
				ctx ? ": " : "", what, s);
	return BOSUN_OK;
}

static int check_opt_key(const char *s, size_t max, const char *what, const char *ctx, struct berr *e)
{
	return s ? check_key(s, max, what, ctx, e) : BOSUN_OK;
}

/* Length of s cut to at most max bytes without splitting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

static int check_writing(struct vulndb *db, struct berr *e)
{
	if (!db->in_source)
		return berr_set(e, BOSUN_EIO, "vulnerability database: write outside vulndb_source_begin/commit");
	return BOSUN_OK;
}

/* ---- names -------------------------------------------------------------- */

static const char *const severity_names[] = { "UNKNOWN", "NEGLIGIBLE", "LOW", "MEDIUM", "HIGH", "CRITICAL" };

const char *vuln_severity_name(enum vuln_severity s)
{
	return (unsigned)s <= SEV_CRITICAL ? severity_names[s] : "UNKNOWN";
}

int vuln_severity_parse(const char *s, enum vuln_severity *out)
{
	static const struct {
		const char *name;
		enum vuln_severity sev;
	} names[] = {
		{ "unknown", SEV_UNKNOWN },	  { "negligible", SEV_NEGLIGIBLE }, { "unimportant", SEV_NEGLIGIBLE },
		{ "none", SEV_NEGLIGIBLE },	  { "low", SEV_LOW },		    { "medium", SEV_MEDIUM },
		{ "moderate", SEV_MEDIUM },	  { "high", SEV_HIGH },		    { "important", SEV_HIGH },
		{ "critical", SEV_CRITICAL },
	};
	if (!s)
		return BOSUN_EFORMAT;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(s, names[i].name)) {
			*out = names[i].sev;
			return BOSUN_OK;
		}
	return BOSUN_EFORMAT;
}

static const char *const status_names[] = {
	[AFFECT_AFFECTED] = "affected",	    [AFFECT_FIXED] = "fixed",		[AFFECT_UNFIXED] = "unfixed",
	[AFFECT_WONT_FIX] = "will_not_fix", [AFFECT_NO_DSA] = "no_dsa",		[AFFECT_POSTPONED] = "postponed",
	[AFFECT_NOT_AFFECTED] = "not_affected", [AFFECT_END_OF_LIFE] = "end_of_life",
	[AFFECT_UNDETERMINED] = "undetermined",
};

const char *affect_status_name(enum affect_status s)
{
	return (unsigned)s <= AFFECT_UNDETERMINED ? status_names[s] : "unknown";
}

/* ---- open / close ------------------------------------------------------- */

/* Refuse anything a hostile database file could smuggle in: it may have
 * been downloaded. */
static void harden(sqlite3 *h)
{
	sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
	sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
	sqlite3_limit(h, SQLITE_LIMIT_LENGTH, SQL_MAX_LENGTH);
	sqlite3_limit(h, SQLITE_LIMIT_ATTACHED, 0);
}

static int query_int(struct vulndb *db, const char *sql, int64_t *out, struct berr *e)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return vulndb_sql_fail(db, rc, sql, e);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? BOSUN_OK : vulndb_sql_fail(db, rc, sql, e);
}

static int create_schema(struct vulndb *db, struct berr *e)
{
	char sql[128];
	TRY(exec(db, "BEGIN", e));
	int rc = exec(db, schema_sql, e);
	if (!rc) {
		snprintf(sql, sizeof sql, "INSERT INTO meta VALUES(%d, NULL); PRAGMA user_version = %d",
			 VULNDB_SCHEMA_VERSION, VULNDB_SCHEMA_VERSION);
		rc = exec(db, sql, e);
	}
	if (rc) {
		exec(db, "ROLLBACK", NULL);
		return rc;
	}
	return exec(db, "COMMIT", e);
}

static int check_schema(struct vulndb *db, const char *path, bool create, struct berr *e)
{
	int64_t version, tables;
	int rc = query_int(db, "PRAGMA user_version", &version, e);
	if (rc == BOSUN_EFORMAT)
		return berr_set(e, BOSUN_EFORMAT, "%s: not a bosun vulnerability database (rebuild it with 'bosun db build')",
				path);
	TRY(rc);
	if (version == VULNDB_SCHEMA_VERSION)
		return BOSUN_OK;
	if (version != 0)
		return berr_set(e, BOSUN_EUNSUPPORTED,
				"%s: database schema version %lld, this bosun uses version %d: rebuild it with 'bosun db build'",
				path, (long long)version, VULNDB_SCHEMA_VERSION);
	TRY(query_int(db, "SELECT count(*) FROM sqlite_master", &tables, e));
	if (tables || !create)
		return berr_set(e, BOSUN_EFORMAT, "%s: %s (rebuild it with 'bosun db build')", path,
				tables ? "not a bosun vulnerability database" : "empty vulnerability database");
	return create_schema(db, e);
}

int vulndb_open(const char *path, bool create, struct vulndb **out, struct berr *e)
{
	*out = NULL;
	bool memory = !strcmp(path, ":memory:");
	if (!create && !memory && access(path, F_OK) != 0)
		return berr_set(e, BOSUN_ENOTFOUND,
				"no vulnerability database at %s (build one with 'bosun db build --from DIR')", path);
	struct vulndb *db = calloc(1, sizeof *db);
	if (!db)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	int rc = sqlite3_open_v2(path, &db->db, flags, NULL);
	if (rc != SQLITE_OK) {
		int code = berr_set(e, code_of(rc) == BOSUN_EFORMAT ? BOSUN_EIO : code_of(rc), "%s: cannot open: %s",
				    path, db->db ? sqlite3_errmsg(db->db) : sqlite3_errstr(rc));
		vulndb_close(db);
		return code;
	}
	db->writable = create;
	harden(db->db);
	sqlite3_busy_timeout(db->db, 5000);
	/* A build writes into a file nobody reads until it is renamed into
	 * place, so durability is the rename's job, not every page write's. */
	if (create)
		rc = exec(db, "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536;"
			      "PRAGMA temp_store = MEMORY", e);
	else
		/* Readers keep their shared lock for the connection's life instead
		 * of taking and dropping it per statement (a third of lookup time).
		 * Updates never write this file in place: they rename a new one
		 * over it, so holding the lock blocks nobody. */
		rc = exec(db, "PRAGMA mmap_size = 268435456; PRAGMA locking_mode = EXCLUSIVE", e);
	if (!rc)
		rc = check_schema(db, path, create, e);
	if (rc) {
		vulndb_close(db);
		return rc;
	}
	*out = db;
	return BOSUN_OK;
}

void vulndb_close(struct vulndb *db)
{
	if (!db)
		return;
	if (db->in_source)
		vulndb_source_abort(db);
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close_v2(db->db);
	buf_free(&db->enc_ranges);
	buf_free(&db->enc_versions);
	free(db);
}

int vulndb_get_meta(struct vulndb *db, struct vulndb_meta *m, struct berr *e)
{
	memset(m, 0, sizeof *m);
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db->db, "SELECT schema_version, built_at FROM meta", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return vulndb_sql_fail(db, rc, "meta", e);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		m->schema_version = sqlite3_column_int(s, 0);
		const char *b = col_text(s, 1);
		snprintf(m->built_at, sizeof m->built_at, "%s", b ? b : "");
	}
	sqlite3_finalize(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? BOSUN_OK : vulndb_sql_fail(db, rc, "meta", e);
}

/* ---- sources ------------------------------------------------------------ */

/* Deletes everything the source put, keeping what other sources share:
 * a vulnerability goes only when no other source has it, and otherwise
 * loses just the fields this source supplied (vuln_owner.fields). */
static int clear_source(struct vulndb *db, struct berr *e)
{
	static const char *const sql[] = {
		"DELETE FROM affected WHERE src = ?1",
		"DELETE FROM aliases WHERE src = ?1",
		"DELETE FROM related WHERE src = ?1",
		"DELETE FROM refs WHERE src = ?1",
		"DELETE FROM vulns WHERE id IN (SELECT vuln_id FROM vuln_owner WHERE src = ?1) AND NOT EXISTS"
		" (SELECT 1 FROM vuln_owner o WHERE o.vuln_id = vulns.id AND o.src != ?1)",
		"UPDATE vulns SET"
		" summary = CASE WHEN o.fields & 1 THEN NULL ELSE summary END,"
		" details = CASE WHEN o.fields & 2 THEN NULL ELSE details END,"
		" published = CASE WHEN o.fields & 4 THEN NULL ELSE published END,"
		" modified = CASE WHEN o.fields & 8 THEN NULL ELSE modified END,"
		" severity = CASE WHEN o.fields & 16 THEN 0 ELSE severity END,"
		" cvss3_vector = CASE WHEN o.fields & 32 THEN NULL ELSE cvss3_vector END,"
		" cvss3_score = CASE WHEN o.fields & 32 THEN NULL ELSE cvss3_score END,"
		" cvss4_vector = CASE WHEN o.fields & 64 THEN NULL ELSE cvss4_vector END,"
		" cvss4_score = CASE WHEN o.fields & 64 THEN NULL ELSE cvss4_score END,"
		" kev = CASE WHEN o.fields & 128 THEN 0 ELSE kev END,"
		" kev_date_added = CASE WHEN o.fields & 128 THEN NULL ELSE kev_date_added END,"
		" kev_due_date = CASE WHEN o.fields & 128 THEN NULL ELSE kev_due_date END,"
		" kev_ransomware = CASE WHEN o.fields & 128 THEN 0 ELSE kev_ransomware END,"
		" sources = COALESCE((SELECT group_concat(s.name, ',') FROM vuln_owner o2 JOIN sources s ON s.id = o2.src"
		" WHERE o2.vuln_id = vulns.id AND o2.src != ?1), '')"
		" FROM vuln_owner o WHERE o.src = ?1 AND o.vuln_id = vulns.id",
		"DELETE FROM vuln_owner WHERE src = ?1",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *s;
		int rc = sqlite3_prepare_v2(db->db, sql[i], -1, &s, NULL);
		if (rc != SQLITE_OK)
			return vulndb_sql_fail(db, rc, "replace source", e);
		sqlite3_bind_int64(s, 1, db->src_id);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return vulndb_sql_fail(db, rc, "replace source", e);
	}
	return BOSUN_OK;
}

/* Finds or creates the source row; *existed says whether it has rows to clear. */
static int source_row(struct vulndb *db, const struct vulndb_source *src, bool *existed, struct berr *e)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db->db, "SELECT id FROM sources WHERE name = ?1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return vulndb_sql_fail(db, rc, "sources", e);
	bind_str(s, 1, src->name);
	rc = sqlite3_step(s);
	*existed = rc == SQLITE_ROW;
	if (*existed)
		db->src_id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vulndb_sql_fail(db, rc, "sources", e);
	char now[32];
	now_iso(now);
	const char *sql = *existed ? "UPDATE sources SET origin = ?2, snapshot = ?3, license = ?4, imported_at = ?5,"
				     " vulns = 0, affected = 0 WHERE id = ?6"
				   : "INSERT INTO sources(name, origin, snapshot, license, imported_at) VALUES(?1, ?2, ?3,"
				     " ?4, ?5)";
	rc = sqlite3_prepare_v2(db->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return vulndb_sql_fail(db, rc, "sources", e);
	bind_str(s, 1, src->name);
	bind_str(s, 2, src->origin);
	bind_str(s, 3, src->snapshot);
	bind_str(s, 4, src->license);
	bind_str(s, 5, now);
	sqlite3_bind_int64(s, 6, db->src_id);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return vulndb_sql_fail(db, rc, "sources", e);
	if (!*existed)
		db->src_id = sqlite3_last_insert_rowid(db->db);
	return BOSUN_OK;
}

int vulndb_source_begin(struct vulndb *db, const struct vulndb_source *src, struct berr *e)
{
	if (!db->writable)
		return berr_set(e, BOSUN_EIO, "vulnerability database: opened read-only");
	if (db->in_source)
		return berr_set(e, BOSUN_EIO, "vulnerability database: source %s is still open", db->src_name);
	TRY(check_key(src->name, MAX_SOURCE_NAME, "source name", NULL, e));
	if (strchr(src->name, ','))
		return berr_set(e, BOSUN_EFORMAT, "source name '%s': no commas", src->name);
	TRY(exec(db, "BEGIN IMMEDIATE", e));
	bool existed = false;
	int rc = source_row(db, src, &existed, e);
	if (!rc && existed)
		rc = clear_source(db, e);
	if (rc) {
		exec(db, "ROLLBACK", NULL);
		return rc;
	}
	db->in_source = true;
	snprintf(db->src_name, sizeof db->src_name, "%s", src->name);
	db->n_vulns = db->n_affected = 0;
	return BOSUN_OK;
}

int vulndb_source_set_snapshot(struct vulndb *db, const char *snapshot, struct berr *e)
{
	TRY(check_writing(db, e));
	TRY(check_opt_key(snapshot, MAX_DATE, "snapshot", db->src_name, e));
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db->db, "UPDATE sources SET snapshot = ?1 WHERE id = ?2", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return vulndb_sql_fail(db, rc, "sources", e);
	bind_str(s, 1, snapshot);
	sqlite3_bind_int64(s, 2, db->src_id);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? BOSUN_OK : vulndb_sql_fail(db, rc, "sources", e);
}

int vulndb_source_commit(struct vulndb *db, struct berr *e)
{
	TRY(check_writing(db, e));
	char now[32], sql[256];
	now_iso(now);
	snprintf(sql, sizeof sql, "UPDATE sources SET vulns = %lld, affected = %lld WHERE id = %lld;"
		 "UPDATE meta SET built_at = '%s'", (long long)db->n_vulns, (long long)db->n_affected,
		 (long long)db->src_id, now);
	int rc = exec(db, sql, e);
	if (!rc)
		rc = exec(db, "COMMIT", e);
	if (rc) {
		vulndb_source_abort(db);
		return rc;
	}
	db->in_source = false;
	return BOSUN_OK;
}

void vulndb_source_abort(struct vulndb *db)
{
	if (!db->in_source)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		if (db->st[i])
			sqlite3_reset(db->st[i]);
	exec(db, "ROLLBACK", NULL);
	db->in_source = false;
}

/* ---- vulnerabilities ---------------------------------------------------- */

static int check_vuln(const struct vuln_record *v, struct berr *e)
{
	TRY(check_key(v->id, MAX_ID, "id", NULL, e));
	TRY(check_opt_key(v->published, MAX_DATE, "published", v->id, e));
	TRY(check_opt_key(v->modified, MAX_DATE, "modified", v->id, e));
	TRY(check_opt_key(v->cvss3_vector, MAX_VECTOR, "CVSS v3 vector", v->id, e));
	TRY(check_opt_key(v->cvss4_vector, MAX_VECTOR, "CVSS v4 vector", v->id, e));
	if ((unsigned)v->severity > SEV_CRITICAL)
		return berr_set(e, BOSUN_EFORMAT, "%s: severity %d out of range", v->id, (int)v->severity);
	for (size_t i = 0; i < v->naliases && i < MAX_ALIASES; i++)
		TRY(check_key(v->aliases[i], MAX_ID, "alias", v->id, e));
	for (size_t i = 0; i < v->nrelated && i < MAX_RELATED; i++)
		TRY(check_key(v->related[i], MAX_ID, "related id", v->id, e));
	return BOSUN_OK;
}

static unsigned given_fields(const struct vuln_record *v)
{
	return (v->summary ? F_SUMMARY : 0) | (v->details ? F_DETAILS : 0) | (v->published ? F_PUBLISHED : 0) |
	       (v->modified ? F_MODIFIED : 0) | (v->severity != SEV_UNKNOWN ? F_SEVERITY : 0) |
	       (v->cvss3_vector ? F_CVSS3 : 0) | (v->cvss4_vector ? F_CVSS4 : 0);
}

/* Binds ?2..?10 of ST_VULN_INSERT / ST_VULN_FILL. A vector whose score
 * cannot be computed is kept, with no score. */
static void bind_fields(sqlite3_stmt *s, const struct vuln_record *v)
{
	bind_str(s, 1, v->id);
	bind_text(s, 2, v->summary, v->summary ? utf8_cut(v->summary, MAX_SUMMARY) : 0);
	bind_text(s, 3, v->details, v->details ? utf8_cut(v->details, MAX_DETAILS) : 0);
	bind_str(s, 4, v->published);
	bind_str(s, 5, v->modified);
	sqlite3_bind_int(s, 6, (int)v->severity);
	double score;
	bind_str(s, 7, v->cvss3_vector);
	if (v->cvss3_vector && cvss3_score(v->cvss3_vector, &score) == BOSUN_OK)
		sqlite3_bind_double(s, 8, score);
	bind_str(s, 9, v->cvss4_vector);
	if (v->cvss4_vector && cvss4_score(v->cvss4_vector, &score) == BOSUN_OK)
		sqlite3_bind_double(s, 10, score);
}

/* Inserts the row or fills its missing fields; *filled = the fields this
 * put supplied. */
static int merge_vuln_row(struct vulndb *db, const struct vuln_record *v, unsigned *filled, struct berr *e)
{
	sqlite3_stmt *s;
	TRY(vulndb_stmt(db, ST_VULN_PRESENT, &s, e));
	bind_str(s, 1, v->id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vulndb_sql_fail(db, rc, "read", e);
	bool exists = rc == SQLITE_ROW;
	unsigned present = exists ? (unsigned)sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	*filled = given_fields(v) & ~present;
	if (exists && !*filled)
		return BOSUN_OK;
	TRY(vulndb_stmt(db, exists ? ST_VULN_FILL : ST_VULN_INSERT, &s, e));
	bind_fields(s, v);
	if (!exists)
		sqlite3_bind_text(s, 11, "", 0, SQLITE_STATIC);
	return run(db, s, e);
}

/* Records that the open source has this vulnerability and supplied `fields`. */
static int own(struct vulndb *db, const char *id, unsigned fields, struct berr *e)
{
	sqlite3_stmt *s;
	TRY(vulndb_stmt(db, ST_OWNER_GET, &s, e));
	bind_str(s, 1, id);
	sqlite3_bind_int64(s, 2, db->src_id);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return vulndb_sql_fail(db, rc, "read", e);
	bool owned = rc == SQLITE_ROW;
	if (owned && !fields)
		return BOSUN_OK;
	TRY(vulndb_stmt(db, owned ? ST_OWNER_OR : ST_OWNER_INSERT, &s, e));
	bind_str(s, 1, id);
	sqlite3_bind_int64(s, 2, db->src_id);
	sqlite3_bind_int(s, 3, (int)fields);
	TRY(run(db, s, e));
	if (owned)
		return BOSUN_OK;
	db->n_vulns++;
	TRY(vulndb_stmt(db, ST_SOURCES_APPEND, &s, e));
	bind_str(s, 1, id);
	bind_str(s, 2, db->src_name);
	return run(db, s, e);
}

/* id -> each of ids (aliases or related), skipping id itself. */
static int put_links(struct vulndb *db, enum stmt_id st, const char *id, const char *const *ids, size_t n, size_t max,
		     struct berr *e)
{
	for (size_t i = 0; i < n && i < max; i++) {
		if (!strcmp(ids[i], id))
			continue;
		sqlite3_stmt *s;
		TRY(vulndb_stmt(db, st, &s, e));
		bind_str(s, 1, id);
		bind_str(s, 2, ids[i]);
		sqlite3_bind_int64(s, 3, db->src_id);
		TRY(run(db, s, e));
	}
	return BOSUN_OK;
}

static int put_refs(struct vulndb *db, const struct vuln_record *v, struct berr *e)
{
	size_t kept = 0;
	for (size_t i = 0; i < v->nreferences && kept < MAX_REFS; i++) {
		const char *url = v->references[i];
		if (!url || !*url || strlen(url) > 2048 || has_ctl(url, strlen(url)))
			continue; /* a bad link is not worth failing an advisory for */
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = v->references[j] && !strcmp(v->references[j], url);
		if (dup)
			continue;
		sqlite3_stmt *s;
		TRY(vulndb_stmt(db, ST_REF_INSERT, &s, e));
		bind_str(s, 1, v->id);
		bind_str(s, 2, url);
		sqlite3_bind_int64(s, 3, db->src_id);
		TRY(run(db, s, e));
		kept++;
	}
	return BOSUN_OK;
}

int vulndb_put_vuln(struct vulndb *db, const struct vuln_record *v, struct berr *e)
{
	TRY(check_writing(db, e));
	TRY(check_vuln(v, e));
	unsigned filled = 0;
	TRY(merge_vuln_row(db, v, &filled, e));
	TRY(own(db, v->id, filled, e));
	TRY(put_links(db, ST_ALIAS_INSERT, v->id, v->aliases, v->naliases, MAX_ALIASES, e));
	TRY(put_links(db, ST_RELATED_INSERT, v->id, v->related, v->nrelated, MAX_RELATED, e));
	return put_refs(db, v, e);
}

int vulndb_put_kev(struct vulndb *db, const char *cve, const char *date_added, const char *due_date, bool ransomware,
		   struct berr *e)
{
	TRY(check_writing(db, e));
	TRY(check_key(cve, MAX_ID, "KEV id", NULL, e));
	TRY(check_opt_key(date_added, MAX_DATE, "dateAdded", cve, e));
	TRY(check_opt_key(due_date, MAX_DATE, "dueDate", cve, e));
	sqlite3_stmt *s;
	TRY(vulndb_stmt(db, ST_KEV_STUB, &s, e));
	bind_str(s, 1, cve);
	TRY(run(db, s, e));
	TRY(vulndb_stmt(db, ST_KEV_SET, &s, e));
	bind_str(s, 1, cve);
	bind_str(s, 2, date_added);
	bind_str(s, 3, due_date);
	sqlite3_bind_int(s, 4, ransomware);
	TRY(run(db, s, e));
	return own(db, cve, F_KEV, e);
}

/* ---- affected ----------------------------------------------------------- */

/* Ranges are stored as text, one range per line, four TAB-separated fields
 * (introduced, fixed, last_affected, limit; empty = absent); versions one per
 * line. Both are split in place on read: no parser, no allocation per field. */
static int encode_ranges(struct buf *b, const struct affected_record *r, struct berr *e)
{
	buf_reset(b);
	for (size_t i = 0; i < r->nranges; i++) {
		const struct affect_range *g = &r->ranges[i];
		const char *f[4] = { g->introduced, g->fixed, g->last_affected, g->limit };
		for (int k = 0; k < 4; k++) {
			if (f[k] && *f[k])
				TRY(check_key(f[k], MAX_VERSION, "range bound", r->vuln_id, e));
			if (f[k] && buf_append_str(b, f[k]))
				return berr_set(e, BOSUN_ENOMEM, "out of memory");
			if (k < 3 && buf_append(b, "\t", 1))
				return berr_set(e, BOSUN_ENOMEM, "out of memory");
		}
		if (i + 1 < r->nranges && buf_append(b, "\n", 1))
			return berr_set(e, BOSUN_ENOMEM, "out of memory");
	}
	return BOSUN_OK;
}

static int encode_versions(struct buf *b, const struct affected_record *r, struct berr *e)
{
	buf_reset(b);
	for (size_t i = 0; i < r->nversions; i++) {
		TRY(check_key(r->versions[i], MAX_VERSION, "version", r->vuln_id, e));
		if ((i && buf_append(b, "\n", 1)) || buf_append_str(b, r->versions[i]))
			return berr_set(e, BOSUN_ENOMEM, "out of memory");
	}
	return BOSUN_OK;
}

static int check_affected(const struct affected_record *r, struct berr *e)
{
	TRY(check_key(r->vuln_id, MAX_ID, "id", NULL, e));
	TRY(check_key(r->ecosystem, MAX_ECOSYSTEM, "ecosystem", r->vuln_id, e));
	TRY(check_key(r->package, MAX_PACKAGE, "package", r->vuln_id, e));
	if ((unsigned)r->status > AFFECT_UNDETERMINED || (unsigned)r->severity > SEV_CRITICAL)
		return berr_set(e, BOSUN_EFORMAT, "%s: status or severity out of range", r->vuln_id);
	if (r->nranges > MAX_RANGES || r->nversions > MAX_VERSIONS)
		return berr_set(e, BOSUN_ELIMIT, "%s: %s: more than %d ranges or %d versions", r->vuln_id, r->package,
				MAX_RANGES, MAX_VERSIONS);
	return BOSUN_OK;
}

int vulndb_put_affected(struct vulndb *db, const struct affected_record *r, struct berr *e)
{
	TRY(check_writing(db, e));
	TRY(check_affected(r, e));
	TRY(encode_ranges(&db->enc_ranges, r, e));
	TRY(encode_versions(&db->enc_versions, r, e));
	sqlite3_stmt *s;
	TRY(vulndb_stmt(db, ST_AFFECTED_INSERT, &s, e));
	bind_str(s, 1, r->vuln_id);
	bind_str(s, 2, r->ecosystem);
	bind_str(s, 3, r->package);
	sqlite3_bind_int(s, 4, (int)r->status);
	sqlite3_bind_int(s, 5, (int)r->severity);
	bind_text(s, 6, r->nranges ? db->enc_ranges.data : NULL, db->enc_ranges.len);
	bind_text(s, 7, r->nversions ? db->enc_versions.data : NULL, db->enc_versions.len);
	bind_text(s, 8, r->note, r->note ? utf8_cut(r->note, MAX_NOTE) : 0);
	sqlite3_bind_int64(s, 9, db->src_id);
	TRY(run(db, s, e));
	db->n_affected++;
	return BOSUN_OK;
}
