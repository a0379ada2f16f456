/* rpm's BerkeleyDB "Packages" database (rpm up to 4.15, RHEL/CentOS 7-8,
 * Amazon Linux 2), read without libdb: only the hash access method rpm used,
 * read-only, from memory. */
#ifndef BOSUN_ANALYZE_RPM_BDB_H
#define BOSUN_ANALYZE_RPM_BDB_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/rpm_header.h"
#include "util/err.h"

/* True when data starts with a BerkeleyDB hash metadata page, either byte order. */
bool rpm_bdb_detect(const unsigned char *data, size_t len);

/* Hands every stored header blob to s. BOSUN_EFORMAT when the metadata page is
 * unusable; damaged pages and overflow chains are skipped with warnings.
 * Non-zero otherwise only for BOSUN_ENOMEM. */
int rpm_bdb_read(const unsigned char *data, size_t len, struct rpmdb_sink *s, struct berr *e);

#endif
