/* rpm's own "ndb" package database (Packages.db; SUSE since SLE 15 SP3,
 * rpm >= 4.16 built with ndb), read from memory. */
#ifndef BOSUN_ANALYZE_RPM_NDB_H
#define BOSUN_ANALYZE_RPM_NDB_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/rpm_header.h"
#include "util/err.h"

/* True when data starts with the "RpmP" header magic. */
bool rpm_ndb_detect(const unsigned char *data, size_t len);

/* Hands every stored header blob to s. BOSUN_EFORMAT when the file header is
 * unusable; damaged slots and blobs are skipped with warnings. Non-zero
 * otherwise only for BOSUN_ENOMEM. */
int rpm_ndb_read(const unsigned char *data, size_t len, struct rpmdb_sink *s, struct berr *e);

#endif
