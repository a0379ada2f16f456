/* Helpers shared by the distro feed importers: the database sink and
 * bounded reading of text feeds. */
#include "vulndb/distro_feed.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- the database as a sink ---- */

static int db_begin(void *ctx, const char *snapshot, struct berr *e)
{
	struct feed_db *f = ctx;
	if (f->begun)
		return berr_set(e, BOSUN_EUSAGE, "%s: source begun twice", f->src.name);
	snprintf(f->snapshot, sizeof f->snapshot, "%s", snapshot ? snapshot : "");
	f->src.snapshot = f->snapshot[0] ? f->snapshot : NULL;
	TRY(vulndb_source_begin(f->db, &f->src, e));
	f->begun = true;
	return BOSUN_OK;
}

static int db_set_snapshot(void *ctx, const char *snapshot, struct berr *e)
{
	struct feed_db *f = ctx;
	snprintf(f->snapshot, sizeof f->snapshot, "%s", snapshot ? snapshot : "");
	return vulndb_source_set_snapshot(f->db, snapshot, e);
}

static int db_vuln(void *ctx, const struct vuln_record *v, struct berr *e)
{
	struct feed_db *f = ctx;
	return vulndb_put_vuln(f->db, v, e);
}

static int db_affected(void *ctx, const struct affected_record *r, struct berr *e)
{
	struct feed_db *f = ctx;
	return vulndb_put_affected(f->db, r, e);
}

struct feed_sink feed_db_sink(struct feed_db *f)
{
	return (struct feed_sink){ db_begin, db_set_snapshot, db_vuln, db_affected, f };
}

int feed_db_finish(struct feed_db *f, int rc, struct berr *e)
{
	if (!f->begun)
		return rc;
	f->begun = false;
	if (rc != BOSUN_OK) {
		vulndb_source_abort(f->db);
		return rc;
	}
	rc = vulndb_source_commit(f->db, e);
	if (rc != BOSUN_OK)
		vulndb_source_abort(f->db);
	return rc;
}

/* ---- files ---- */

int feed_error(struct berr *e, int code, const char *file, size_t line, const char *fmt, ...)
{
	if (!e)
		return code;
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line)
		return berr_set(e, code, "%s:%zu: %s", file, line, msg);
	return berr_set(e, code, "%s: %s", file, msg);
}

size_t feed_line_of(const char *data, size_t n, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off && i < n; i++)
		line += data[i] == '\n';
	return line;
}

int feed_check_line(struct slice line, const char *file, size_t lineno, struct berr *e)
{
	if (line.n > FEED_MAX_LINE)
		return feed_error(e, BOSUN_ELIMIT, file, lineno, "line longer than %zu bytes", FEED_MAX_LINE);
	for (size_t i = 0; i < line.n; i++) {
		unsigned char c = (unsigned char)line.p[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return feed_error(e, BOSUN_EFORMAT, file, lineno, "control character 0x%02x (binary data?)", c);
	}
	return BOSUN_OK;
}

bool feed_mtime_date(const char *path, char out[11])
{
	struct stat st;
	struct tm tm;
	if (stat(path, &st) != 0 || !gmtime_r(&st.st_mtime, &tm))
		return false;
	return strftime(out, 11, "%Y-%m-%d", &tm) == 10;
}

bool feed_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool feed_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
