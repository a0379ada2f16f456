/* The advisory database's private parts, shared by vulndb.c (opening,
 * writing) and vulndb_read.c (lookups). Not an interface: include
 * vulndb/vulndb.h instead. */
#ifndef BOSUN_VULNDB_VULNDB_IMPL_H
#define BOSUN_VULNDB_VULNDB_IMPL_H

#include <sqlite3.h>
#include <string.h>

#include "util/buf.h"
#include "vulndb/vulndb.h"

#define MAX_SOURCE_NAME 128

/* Every statement a handle uses, prepared on first use and cached. */
enum stmt_id {
	ST_VULN_PRESENT,
	ST_VULN_INSERT,
	ST_VULN_FILL,
	ST_OWNER_GET,
	ST_OWNER_INSERT,
	ST_OWNER_OR,
	ST_SOURCES_APPEND,
	ST_ALIAS_INSERT,
	ST_RELATED_INSERT,
	ST_REF_INSERT,
	ST_AFFECTED_INSERT,
	ST_KEV_STUB,
	ST_KEV_SET,
	ST_LOOKUP,
	ST_VULN_GET,
	ST_ALIASES_OF,
	ST_RELATED_OF,
	ST_KEV_VIA_RELATED,
	ST_EVIDENCE,
	ST_REFS_OF,
	ST_KEV_VIA_ALIAS,
	ST_ALIAS_TARGETS,
	ST_SOURCES_ALL,
	ST_COUNT
};

struct vulndb {
	sqlite3 *db;
	bool writable;
	sqlite3_stmt *st[ST_COUNT];
	/* the source being replaced, between begin and commit/abort */
	bool in_source;
	int64_t src_id;
	char src_name[MAX_SOURCE_NAME + 1];
	int64_t n_vulns, n_affected;
	struct buf enc_ranges, enc_versions; /* encoding scratch */
};

/* The cached statement, reset and unbound. */
int vulndb_stmt(struct vulndb *db, enum stmt_id id, sqlite3_stmt **out, struct berr *e);
/* Sets e from SQLite's error ("vulnerability database: WHAT: message"). */
int vulndb_sql_fail(struct vulndb *db, int rc, const char *what, struct berr *e);

static inline void bind_text(sqlite3_stmt *s, int i, const char *v, size_t n)
{
	if (v)
		sqlite3_bind_text(s, i, v, (int)n, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static inline void bind_str(sqlite3_stmt *s, int i, const char *v) { bind_text(s, i, v, v ? strlen(v) : 0); }

static inline const char *col_text(sqlite3_stmt *s, int i) { return (const char *)sqlite3_column_text(s, i); }

#endif
