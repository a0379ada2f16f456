/* `bosun db update`: refreshes the database from the feeds' upstream URLs,
 * or replaces it with a prebuilt file. Either way the live database is
 * only ever replaced by a rename of a complete, checked file: a crash, a
 * dropped connection or a bad feed leaves the previous one intact and
 * usable. Behaviour, layout on disk and the default feeds:
 * docs/vulndb-update.md. */
#ifndef BOSUN_VULNDB_UPDATE_H
#define BOSUN_VULNDB_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"
#include "vulndb/feeds.h"
#include "vulndb/fetch.h"

struct update_options {
	const char *db_path;
	const struct feed_list *feeds;
	struct fetch_opts fetch;
	bool verbose; /* a line per feed and per import on stderr */
	bool force;   /* rebuild even when no feed changed */
};

struct update_report {
	int feeds, downloaded, not_modified, skipped;
	bool rebuilt; /* false: every feed was unchanged, the database was kept */
	int sources;
	int64_t vulns, affected;
};

/* Downloads every feed (conditionally, against the copies cached in
 * DB.feeds/), builds a new database from all of them in a scratch
 * directory next to the database, and renames it over the old one. Any
 * failure names the feed and leaves the database and the cache as they
 * were. */
int vulndb_update(const struct update_options *o, struct update_report *r, struct berr *e);

/* Downloads a prebuilt database (optionally gzip or zstd compressed),
 * checks its sha256 (64 hex digits, required), that SQLite finds it sound,
 * that it has this bosun's schema version and at least one source, and
 * renames it over db_path. */
int vulndb_update_from_url(const char *db_path, const char *url, const char *sha256, const struct fetch_opts *fo,
			   struct berr *e);

#endif
