/* Reading the advisory database: lookups by (ecosystem, package), one
 * vulnerability by id or alias, the list of sources. Every result is copied
 * out of SQLite before the callback runs, so callbacks may call back into
 * the same handle. */
#include "vulndb/vulndb_impl.h"

#include <stdlib.h>
#include <string.h>

/* get_vuln by an id that only exists as an alias: at most this many
 * vulnerabilities are reported for it. */
#define MAX_ALIAS_TARGETS 64

static char *dup_col(struct arena *a, sqlite3_stmt *s, int i)
{
	const char *t = col_text(s, i);
	return t ? arena_strndup(a, t, (size_t)sqlite3_column_bytes(s, i)) : NULL;
}

static size_t count_lines(const char *t)
{
	size_t n = 1;
	for (; *t; t++)
		n += *t == '\n';
	return n;
}

/* Splits "a\tb\tc\td\n..." in place. A field past the fourth is ignored and
 * a missing one is absent, so a damaged row reads as fewer bounds, not as
 * out-of-bounds memory. */
static int decode_ranges(struct arena *a, char *t, struct affect_range **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!t || !*t)
		return BOSUN_OK;
	size_t cap = count_lines(t);
	struct affect_range *r = arena_alloc(a, cap * sizeof *r);
	if (!r)
		return BOSUN_ENOMEM;
	for (char *line = t; line && *n < cap;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		const char *f[4] = { NULL, NULL, NULL, NULL };
		char *p = line;
		for (int k = 0; k < 4 && p; k++) {
			char *tab = strchr(p, '\t');
			if (tab)
				*tab++ = '\0';
			f[k] = *p ? p : NULL;
			p = tab;
		}
		r[(*n)++] = (struct affect_range){ f[0], f[1], f[2], f[3] };
		line = next;
	}
	*out = r;
	return BOSUN_OK;
}

static int decode_versions(struct arena *a, char *t, const char *const **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!t || !*t)
		return BOSUN_OK;
	size_t cap = count_lines(t);
	const char **v = arena_alloc(a, cap * sizeof *v);
	if (!v)
		return BOSUN_ENOMEM;
	for (char *line = t; line && *n < cap;) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		v[(*n)++] = line;
		line = next;
	}
	*out = v;
	return BOSUN_OK;
}

static enum vuln_severity sev_col(sqlite3_stmt *s, int i)
{
	int v = sqlite3_column_int(s, i);
	return v >= 0 && v <= SEV_CRITICAL ? (enum vuln_severity)v : SEV_UNKNOWN;
}

/* One row of ST_LOOKUP copied out of SQLite, so that callbacks may call
 * back into this handle. */
static int read_row(struct arena *a, sqlite3_stmt *s, struct affected_row *r)
{
	r->vuln_id = dup_col(a, s, 0);
	r->ecosystem = dup_col(a, s, 1);
	r->package = dup_col(a, s, 2);
	int st = sqlite3_column_int(s, 3);
	r->status = st >= 0 && st <= AFFECT_UNDETERMINED ? (enum affect_status)st : AFFECT_AFFECTED;
	r->severity = sev_col(s, 4);
	char *ranges = dup_col(a, s, 5), *versions = dup_col(a, s, 6);
	r->note = dup_col(a, s, 7);
	r->source = dup_col(a, s, 8);
	if (!r->vuln_id || !r->ecosystem || !r->package || !r->source)
		return BOSUN_ENOMEM; /* NOT NULL columns: only allocation fails here */
	TRY(decode_ranges(a, ranges, &r->ranges, &r->nranges));
	return decode_versions(a, versions, &r->versions, &r->nversions);
}

int vulndb_lookup(struct vulndb *db, const char *ecosystem, const char *package, vulndb_affected_fn fn, void *ctx,
		  struct berr *e)
{
	sqlite3_stmt *s;
	TRY(vulndb_stmt(db, ST_LOOKUP, &s, e));
	bind_str(s, 1, ecosystem);
	bind_str(s, 2, package);
	struct arena a = { 0 };
	struct affected_row *rows = NULL;
	size_t n = 0, cap = 0;
	int rc = BOSUN_OK, sr;
	while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct affected_row *p = realloc(rows, ncap * sizeof *p);
			if (!p) {
				rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
				break;
			}
			rows = p;
			cap = ncap;
		}
		if ((rc = read_row(&a, s, &rows[n++]))) {
			berr_set(e, rc, "out of memory");
			break;
		}
	}
	sqlite3_reset(s);
	if (!rc && sr != SQLITE_DONE)
		rc = vulndb_sql_fail(db, sr, "lookup", e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = fn(&rows[i], ctx);
	free(rows);
	arena_free(&a);
	return rc;
}

/* Fills a string list from a one-column query on ?1 = id. */
static int read_list(struct vulndb *db, enum stmt_id id, const char *key, struct arena *a, const char *const **out,
		     size_t *n, struct berr *e)
{
	sqlite3_stmt *s;
	TRY(vulndb_stmt(db, id, &s, e));
	bind_str(s, 1, key);
	const char **v = NULL;
	size_t cap = 0;
	*n = 0;
	int sr;
	while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			const char **p = arena_alloc(a, ncap * sizeof *p);
			if (!p) {
				sqlite3_reset(s);
				return berr_set(e, BOSUN_ENOMEM, "out of memory");
			}
			if (*n)
				memcpy(p, v, *n * sizeof *p);
			v = p;
			cap = ncap;
		}
		char *t = dup_col(a, s, 0);
		if (t)
			v[(*n)++] = t;
	}
	sqlite3_reset(s);
	*out = v;
	return sr == SQLITE_DONE ? BOSUN_OK : vulndb_sql_fail(db, sr, "read", e);
}

static double score_col(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? -1 : sqlite3_column_double(s, i);
}

/* Who rated, from the supplying source and an ecosystem it lists the
 * record in: the distro of a "distro:release" key, else the source. */
static const char *rater(struct arena *a, const char *source, const char *eco, bool *distro)
{
	const char *colon = eco ? strchr(eco, ':') : NULL;
	*distro = colon != NULL;
	if (colon)
		return arena_strndup(a, eco, (size_t)(colon - eco));
	return source ? arena_strdup(a, source) : NULL;
}

/* The vulns row of id into *v (copied into a); *found false when absent. */
static int read_vuln(struct vulndb *db, const char *id, struct arena *a, struct vuln_info *v, bool *found,
		     struct berr *e)
{
	sqlite3_stmt *s;
	TRY(vulndb_stmt(db, ST_VULN_GET, &s, e));
	bind_str(s, 1, id);
	int sr = sqlite3_step(s);
	*found = sr == SQLITE_ROW;
	if (*found) {
		*v = (struct vuln_info){
			.id = dup_col(a, s, 0),	      .summary = dup_col(a, s, 1),    .details = dup_col(a, s, 2),
			.published = dup_col(a, s, 3), .modified = dup_col(a, s, 4),   .severity = sev_col(s, 5),
			.cvss3_vector = dup_col(a, s, 6), .cvss3_score = score_col(s, 7),
			.cvss4_vector = dup_col(a, s, 8), .cvss4_score = score_col(s, 9),
			.kev = sqlite3_column_int(s, 10) != 0, .kev_date_added = dup_col(a, s, 11),
			.kev_due_date = dup_col(a, s, 12), .kev_ransomware = sqlite3_column_int(s, 13) != 0,
			.sources = dup_col(a, s, 14),
		};
		bool distro;
		if (v->severity != SEV_UNKNOWN)
			v->severity_by = rater(a, col_text(s, 15), col_text(s, 16), &distro);
		if (!v->id)
			*found = false;
	}
	sqlite3_reset(s);
	if (sr != SQLITE_ROW && sr != SQLITE_DONE)
		return vulndb_sql_fail(db, sr, "read", e);
	return BOSUN_OK;
}

static bool is_cve(const char *id) { return id && !strncmp(id, "CVE-", 4); }

/* An erratum: no CVE of its own, related ids that name what it fixes. */
static bool related_fixed(const struct vuln_info *v)
{
	if (!v->nrelated || is_cve(v->id))
		return false;
	for (size_t i = 0; i < v->naliases; i++)
		if (is_cve(v->aliases[i]))
			return false;
	return true;
}

/* KEV recorded under an alias (the CVE of a GHSA), or under a CVE an
 * erratum fixes (st = ST_KEV_VIA_RELATED), counts for the vulnerability. */
static int kev_via(struct vulndb *db, enum stmt_id st, struct arena *a, struct vuln_info *v, struct berr *e)
{
	sqlite3_stmt *s;
	TRY(vulndb_stmt(db, st, &s, e));
	bind_str(s, 1, v->id);
	int sr = sqlite3_step(s);
	if (sr == SQLITE_ROW) {
		v->kev = true;
		v->kev_date_added = dup_col(a, s, 0);
		v->kev_due_date = dup_col(a, s, 1);
		v->kev_ransomware = sqlite3_column_int(s, 2) != 0;
	}
	sqlite3_reset(s);
	return (sr == SQLITE_ROW || sr == SQLITE_DONE) ? BOSUN_OK : vulndb_sql_fail(db, sr, "read", e);
}

static int get_one(struct vulndb *db, const char *id, vulndb_vuln_fn fn, void *ctx, bool *found, struct berr *e)
{
	struct arena a = { 0 };
	struct vuln_info v;
	int rc = read_vuln(db, id, &a, &v, found, e);
	if (!rc && *found)
		rc = read_list(db, ST_ALIASES_OF, v.id, &a, &v.aliases, &v.naliases, e);
	if (!rc && *found)
		rc = read_list(db, ST_RELATED_OF, v.id, &a, &v.related, &v.nrelated, e);
	if (!rc && *found) {
		v.related_fixed = related_fixed(&v);
		if (!v.kev)
			rc = kev_via(db, ST_KEV_VIA_ALIAS, &a, &v, e);
		if (!rc && !v.kev && v.related_fixed)
			rc = kev_via(db, ST_KEV_VIA_RELATED, &a, &v, e);
	}
	if (!rc && *found)
		rc = read_list(db, ST_REFS_OF, v.id, &a, &v.references, &v.nreferences, e);
	if (!rc && *found)
		rc = fn(&v, ctx);
	arena_free(&a);
	return rc;
}

int vulndb_get_vuln(struct vulndb *db, const char *id, vulndb_vuln_fn fn, void *ctx, struct berr *e)
{
	bool found;
	TRY(get_one(db, id, fn, ctx, &found, e));
	if (found)
		return BOSUN_OK;
	struct arena a = { 0 };
	const char *const *targets;
	size_t n;
	int rc = read_list(db, ST_ALIAS_TARGETS, id, &a, &targets, &n, e);
	for (size_t i = 0; !rc && i < n && i < MAX_ALIAS_TARGETS; i++)
		rc = get_one(db, targets[i], fn, ctx, &found, e);
	arena_free(&a);
	return rc;
}

/* One row of ST_EVIDENCE; strings in a. */
static int read_evidence(struct arena *a, sqlite3_stmt *s, struct vulndb_evidence *ev)
{
	int kind = sqlite3_column_int(s, 0);
	*ev = (struct vulndb_evidence){
		.kind = kind == 1 ? VULNDB_EV_CVSS3 : kind == 2 ? VULNDB_EV_CVSS4 : VULNDB_EV_RATING,
		.source = dup_col(a, s, 2),
		.via = dup_col(a, s, 3),
		.severity = sev_col(s, 4),
		.score = score_col(s, 5),
		.package = dup_col(a, s, 6),
	};
	if (ev->kind == VULNDB_EV_RATING)
		ev->by = rater(a, col_text(s, 2), col_text(s, 1), &ev->distro);
	return ev->source && ev->via && (ev->kind != VULNDB_EV_RATING || ev->by) ? BOSUN_OK : BOSUN_ENOMEM;
}

int vulndb_severity_evidence(struct vulndb *db, const char *id, vulndb_evidence_fn fn, void *ctx, struct berr *e)
{
	sqlite3_stmt *s;
	TRY(vulndb_stmt(db, ST_EVIDENCE, &s, e));
	bind_str(s, 1, id);
	struct arena a = { 0 };
	struct vulndb_evidence *v = NULL;
	size_t n = 0, cap = 0;
	int rc = BOSUN_OK, sr;
	while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct vulndb_evidence *p = realloc(v, ncap * sizeof *p);
			if (!p) {
				rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
				break;
			}
			v = p;
			cap = ncap;
		}
		if ((rc = read_evidence(&a, s, &v[n++]))) {
			berr_set(e, rc, "out of memory");
			break;
		}
	}
	sqlite3_reset(s);
	if (!rc && sr != SQLITE_DONE)
		rc = vulndb_sql_fail(db, sr, "severity evidence", e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = fn(&v[i], ctx);
	free(v);
	arena_free(&a);
	return rc;
}

int vulndb_each_source(struct vulndb *db, vulndb_source_fn fn, void *ctx, struct berr *e)
{
	sqlite3_stmt *s;
	TRY(vulndb_stmt(db, ST_SOURCES_ALL, &s, e));
	struct arena a = { 0 };
	struct vulndb_source_info *v = NULL;
	size_t n = 0, cap = 0;
	int rc = BOSUN_OK, sr;
	while ((sr = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct vulndb_source_info *p = realloc(v, ncap * sizeof *p);
			if (!p) {
				rc = berr_set(e, BOSUN_ENOMEM, "out of memory");
				break;
			}
			v = p;
			cap = ncap;
		}
		v[n++] = (struct vulndb_source_info){
			.name = dup_col(&a, s, 0),	  .origin = dup_col(&a, s, 1), .snapshot = dup_col(&a, s, 2),
			.license = dup_col(&a, s, 3), .imported_at = dup_col(&a, s, 4),
			.vulns = sqlite3_column_int64(s, 5), .affected = sqlite3_column_int64(s, 6),
		};
	}
	sqlite3_reset(s);
	if (!rc && sr != SQLITE_DONE)
		rc = vulndb_sql_fail(db, sr, "sources", e);
	for (size_t i = 0; !rc && i < n; i++)
		rc = fn(&v[i], ctx);
	free(v);
	arena_free(&a);
	return rc;
}
