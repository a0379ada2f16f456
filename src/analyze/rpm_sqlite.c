/* SQLite package database reader.
 *
 * The file is opened from memory with sqlite3_deserialize(), never through a
 * temporary file, and read-only. The database comes from an untrusted image,
 * so the connection is locked down before SQLite looks at the schema:
 * defensive mode, no triggers, no views, an untrusted schema, no ATTACH, a
 * length limit matching the largest header we accept, and a progress
 * handler that stops any statement that runs too long. "Packages" must be an
 * ordinary table (rootpage > 0), not a virtual one backed by a module.
 *
 * rpm leaves its databases in WAL mode (header bytes 18/19 = 2), which an
 * in-memory database cannot open; such files are copied and the two bytes
 * set back to rollback-journal mode, which changes nothing else. Anything
 * only in rpmdb.sqlite-wal is not seen (a clean rpm exit checkpoints it). */
#include "analyze/rpm_sqlite.h"

#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

static const char sqlite_magic[16] = "SQLite format 3";

/* VM instructions between progress callbacks, and callbacks allowed. A full
 * table scan costs tens of instructions per row; this allows ~10^8, about a second. */
#define PROGRESS_STEP 1000
#define PROGRESS_MAX 100000

bool rpm_sqlite_detect(const unsigned char *data, size_t len)
{
	return len >= 100 && memcmp(data, sqlite_magic, sizeof sqlite_magic) == 0;
}

struct progress {
	unsigned long calls;
};

static int on_progress(void *arg)
{
	struct progress *p = arg;
	return ++p->calls > PROGRESS_MAX;
}

static void harden(sqlite3 *db, struct progress *prog)
{
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
#ifdef SQLITE_DBCONFIG_ENABLE_VIEW
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
#endif
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
#endif
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)RPM_HEADER_MAX_BLOB);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_progress_handler(db, PROGRESS_STEP, on_progress, prog);
}

/* Opens data as the main database of a fresh in-memory connection. */
static int open_memory(const unsigned char *data, size_t len, sqlite3 **out, struct progress *prog,
		       struct berr *e)
{
	*out = NULL;
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return berr_set(e, rc == SQLITE_NOMEM ? BOSUN_ENOMEM : BOSUN_EIO, "sqlite open: %s",
				sqlite3_errstr(rc));
	}
	harden(db, prog);
	unsigned char *copy = NULL;
	unsigned flags = SQLITE_DESERIALIZE_READONLY;
	if (data[18] != 1 || data[19] != 1) {
		copy = sqlite3_malloc64(len);
		if (!copy) {
			sqlite3_close(db);
			return berr_set(e, BOSUN_ENOMEM, "sqlite: copying %zu bytes", len);
		}
		memcpy(copy, data, len);
		copy[18] = copy[19] = 1;
		flags |= SQLITE_DESERIALIZE_FREEONCLOSE;
	}
	/* READONLY: SQLite never writes to the buffer, so casting away const
	 * for the API is safe. With FREEONCLOSE SQLite owns the copy even when
	 * the call fails. */
	rc = sqlite3_deserialize(db, "main", copy ? copy : (unsigned char *)data, (sqlite3_int64)len,
				 (sqlite3_int64)len, flags);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return berr_set(e, rc == SQLITE_NOMEM ? BOSUN_ENOMEM : BOSUN_EFORMAT,
				"sqlite deserialize: %s", sqlite3_errstr(rc));
	}
	*out = db;
	return BOSUN_OK;
}

static int sqlite_error(sqlite3 *db, int rc, const char *what, struct berr *e)
{
	return berr_set(e, rc == SQLITE_NOMEM ? BOSUN_ENOMEM : BOSUN_EFORMAT, "sqlite %s: %s", what,
			sqlite3_errmsg(db));
}

/* "Packages" must be an ordinary table: a virtual table has rootpage 0. */
static int check_table(sqlite3 *db, struct berr *e)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = 'Packages'",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sqlite_error(db, rc, "schema", e);
	rc = sqlite3_step(st);
	bool ok = rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sqlite_error(db, rc, "schema", e);
	if (!ok)
		return berr_set(e, BOSUN_EFORMAT, "no Packages table");
	return BOSUN_OK;
}

static int read_rows(sqlite3 *db, size_t len, struct rpmdb_sink *s, struct berr *e)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, "SELECT blob FROM Packages", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sqlite_error(db, rc, "query", e);
	/* Rows of a sound database do not share storage; a corrupt one could
	 * make many cells point at one overflow chain. */
	size_t budget = len;
	int ret = BOSUN_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && ret == BOSUN_OK) {
		const unsigned char *blob = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0);
		if (!blob || n <= 0) {
			rpmdb_sink_warn(s, "empty package blob");
			continue;
		}
		if ((size_t)n > budget) {
			rpmdb_sink_warn(s, "package blobs exceed the database size");
			break;
		}
		budget -= (size_t)n;
		ret = rpmdb_sink_blob(s, blob, (size_t)n);
	}
	if (ret == BOSUN_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		/* A corrupt page part-way through: keep what was read. */
		if (rc == SQLITE_NOMEM)
			ret = berr_set(e, BOSUN_ENOMEM, "sqlite: out of memory");
		else
			rpmdb_sink_warn(s, "sqlite: %s; package list may be incomplete", sqlite3_errmsg(db));
	}
	sqlite3_finalize(st);
	return ret;
}

int rpm_sqlite_read(const unsigned char *data, size_t len, struct rpmdb_sink *s, struct berr *e)
{
	if (!rpm_sqlite_detect(data, len))
		return berr_set(e, BOSUN_EFORMAT, "not an SQLite database");
	if (len > INT64_MAX)
		return berr_set(e, BOSUN_ELIMIT, "database too large");
	struct progress prog = { 0 };
	sqlite3 *db;
	TRY(open_memory(data, len, &db, &prog, e));
	int rc = check_table(db, e);
	if (rc == BOSUN_OK)
		rc = read_rows(db, len, s, e);
	sqlite3_close(db);
	return rc;
}
