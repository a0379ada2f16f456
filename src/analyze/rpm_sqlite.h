/* rpm's SQLite database (rpmdb.sqlite; Fedora 33+, RHEL 9, CBL-Mariner,
 * Amazon Linux 2023), opened from memory, read-only. */
#ifndef BOSUN_ANALYZE_RPM_SQLITE_H
#define BOSUN_ANALYZE_RPM_SQLITE_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/rpm_header.h"
#include "util/err.h"

/* True when data starts with "SQLite format 3\0". */
bool rpm_sqlite_detect(const unsigned char *data, size_t len);

/* Hands the blob of every row of the Packages table to s. BOSUN_EFORMAT when
 * SQLite cannot open the file or it has no such table; BOSUN_ENOMEM. */
int rpm_sqlite_read(const unsigned char *data, size_t len, struct rpmdb_sink *s, struct berr *e);

#endif
