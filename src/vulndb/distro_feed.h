/* Shared by the distro feed importers (Debian security tracker, Ubuntu CVE
 * tracker, Alpine secdb): the sink their parsers write records to, bounded
 * file reading, and the parse entry points that tests and fuzzers call
 * without a database. Directory listing and file reading: feedfs.h.
 *
 * A parser never touches the database itself: it hands records to a
 * feed_sink. In an import the sink is feed_db (one source transaction,
 * committed only when the whole feed parsed); in tests it records what it
 * is given; in fuzzers it checks invariants. Semantics: docs/feeds-distro.md. */
#ifndef BOSUN_VULNDB_DISTRO_FEED_H
#define BOSUN_VULNDB_DISTRO_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"
#include "vulndb/feedfs.h"
#include "vulndb/importer.h"
#include "vulndb/vulndb.h"

/* Bounds on hostile input. Real files are far below: the tracker's
 * data/CVE/list is ~40 MB with lines under 4 KiB, a UCT file a few KiB. */
#define FEED_MAX_FILE ((size_t)512 << 20)
#define FEED_MAX_LINE ((size_t)64 << 10)

struct feed_sink {
	/* Called once, before the first record, with the date of the data
	 * ("YYYY-MM-DD"). */
	int (*begin)(void *ctx, const char *snapshot, struct berr *e);
	/* Replaces the date when it is only known after reading the feed. */
	int (*set_snapshot)(void *ctx, const char *snapshot, struct berr *e);
	int (*vuln)(void *ctx, const struct vuln_record *v, struct berr *e);
	int (*affected)(void *ctx, const struct affected_record *r, struct berr *e);
	void *ctx;
};

/* The database as a sink: begin opens the source's transaction. */
struct feed_db {
	struct vulndb *db;
	struct vulndb_source src; /* name, origin, license; snapshot is filled at begin */
	bool begun;
	char snapshot[32];
};

struct feed_sink feed_db_sink(struct feed_db *f);
/* Ends an import: commits when rc is BOSUN_OK, else rolls back whatever the
 * source wrote (the previous data stays). Returns rc, or the commit error. */
int feed_db_finish(struct feed_db *f, int rc, struct berr *e);

/* Sets e to "file:line: message" (line 0: "file: message"). Returns code. */
int feed_error(struct berr *e, int code, const char *file, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The 1-based line of data holding byte offset off. */
size_t feed_line_of(const char *data, size_t n, size_t off);
/* Checks one line of a text feed: length within FEED_MAX_LINE and no control
 * characters but TAB (binary garbage is refused, not half-parsed). */
int feed_check_line(struct slice line, const char *file, size_t lineno, struct berr *e);
/* "YYYY-MM-DD" of the file's modification time; false if it cannot be read. */
bool feed_mtime_date(const char *path, char out[11]);
bool feed_is_file(const char *path);
bool feed_is_dir(const char *path);
/* Most entries a feed directory may list (UCT's retired/ has ~26,000). */
#define FEED_MAX_DIR 1000000

/* ---- Debian security tracker (import_debian.c) ---------------------------- */

/* The parsed side tables of a tracker tree (DSA/DLA fixes, the release list,
 * debian-security-support lists) that CVE entries are joined with. The
 * buffers handed to the add functions must outlive the tracker: it keeps
 * slices into them. */
struct debian_tracker;

int debian_tracker_new(struct debian_tracker **out);
void debian_tracker_free(struct debian_tracker *t);
/* data/DSA/list or data/DLA/list; kind is "DSA" or "DLA". */
int debian_tracker_add_advisories(struct debian_tracker *t, const char *file, const char *kind, const char *data,
				  size_t n, struct berr *e);
/* data/config.json: the releases the tracker knows (they follow unstable). */
int debian_tracker_add_config(struct debian_tracker *t, const char *file, const char *data, size_t n,
			      struct berr *e);
/* debian-security-support: security-support-ended.debN (limited = false) or
 * security-support-limited (limited = true), for Debian release `major`. */
int debian_tracker_add_support(struct debian_tracker *t, const char *file, int major, bool limited,
			       const char *data, size_t n, struct berr *e);
/* Newest DSA/DLA date seen, "" if none. */
const char *debian_tracker_snapshot(const struct debian_tracker *t);
/* Parses data/CVE/list and writes its entries, joined with the advisories,
 * to the sink (whose begin the caller has already called). */
int debian_tracker_emit_cve_list(struct debian_tracker *t, const char *file, const char *data, size_t n,
				 const struct feed_sink *s, struct import_stats *st, struct berr *e);
/* The tracker's JSON export (/tracker/data/json). */
int debian_tracker_emit_json(struct debian_tracker *t, const char *file, const char *data, size_t n,
			     const struct feed_sink *s, struct import_stats *st, struct berr *e);
/* CVEs that only the DSA/DLA lists name (no CVE list entry was emitted). */
int debian_tracker_emit_advisory_only(struct debian_tracker *t, const struct feed_sink *s,
				      struct import_stats *st, struct berr *e);
/* Everything under dir (see importer_debian.detect), begin included. */
int debian_import_dir(const char *dir, const struct feed_sink *s, struct import_stats *st, struct berr *e);

/* ---- Ubuntu CVE tracker (import_ubuntu.c) --------------------------------- */

/* One per-CVE file. */
int ubuntu_parse_cve(const char *file, const char *data, size_t n, const struct feed_sink *s,
		     struct import_stats *st, struct berr *e);
/* active/, ignored/, retired/ and retired.tar.zst under dir, begin included. */
int ubuntu_import_dir(const char *dir, const struct feed_sink *s, struct import_stats *st, struct berr *e);

/* ---- Alpine secdb (import_alpine.c) --------------------------------------- */

struct alpine_secdb;
int alpine_secdb_new(struct alpine_secdb **out);
void alpine_secdb_free(struct alpine_secdb *a);
/* One secdb document (YAML, or JSON when it starts with '{'). Records are
 * collected per branch and written by alpine_secdb_flush, so that a CVE fixed
 * in several versions becomes one record. */
int alpine_secdb_add(struct alpine_secdb *a, const char *file, const char *data, size_t n, struct berr *e);
int alpine_secdb_flush(struct alpine_secdb *a, const struct feed_sink *s, struct import_stats *st, struct berr *e);
/* Every v*\/{main,community}.{yaml,json} under dir, begin included. */
int alpine_import_dir(const char *dir, const struct feed_sink *s, struct import_stats *st, struct berr *e);

#endif
