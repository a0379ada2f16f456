/* rpm header blobs, and the glue every rpm database reader shares.
 *
 * An installed package lives in the rpm database as one header blob, the
 * same bytes whichever container (BerkeleyDB, NDB, SQLite) holds it:
 *
 *   il (be32)  number of index entries
 *   dl (be32)  size of the data store
 *   il x { tag, type, offset, count } (be32 each)
 *   dl bytes of data; every offset is relative to its start
 *
 * (On-disk .rpm files put an 8-byte magic in front; it is accepted too.)
 * Nothing here trusts a count or an offset: every lookup checks it against
 * the data store before touching memory. */
#ifndef BOSUN_ANALYZE_RPM_HEADER_H
#define BOSUN_ANALYZE_RPM_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sbom/artifact.h"
#include "util/buf.h"
#include "util/err.h"

/* Largest header blob we accept. rpm itself allows 256 MiB of data; the
 * largest real headers (kernel, texlive) are a few MiB. */
#define RPM_HEADER_MAX_BLOB (64u << 20)
/* rpm's own limit on index entries (hdrchkTags). */
#define RPM_HEADER_MAX_TAGS 0xffffu

enum rpm_tag {
	RPMTAG_NAME = 1000,
	RPMTAG_VERSION = 1001,
	RPMTAG_RELEASE = 1002,
	RPMTAG_EPOCH = 1003,
	RPMTAG_SUMMARY = 1004,
	RPMTAG_VENDOR = 1011,
	RPMTAG_LICENSE = 1014,
	RPMTAG_PACKAGER = 1015,
	RPMTAG_ARCH = 1022,
	RPMTAG_OLDFILENAMES = 1027,
	RPMTAG_SOURCERPM = 1044,
	RPMTAG_DIRINDEXES = 1116,
	RPMTAG_BASENAMES = 1117,
	RPMTAG_DIRNAMES = 1118,
	RPMTAG_MODULARITYLABEL = 5096,
};

enum rpm_type {
	RPM_NULL_TYPE = 0,
	RPM_CHAR_TYPE = 1,
	RPM_INT8_TYPE = 2,
	RPM_INT16_TYPE = 3,
	RPM_INT32_TYPE = 4,
	RPM_INT64_TYPE = 5,
	RPM_STRING_TYPE = 6,
	RPM_BIN_TYPE = 7,
	RPM_STRING_ARRAY_TYPE = 8,
	RPM_I18NSTRING_TYPE = 9,
};

/* Where a database reader (rpm_bdb, rpm_ndb, rpm_sqlite) delivers header blobs and reports damage. Warnings
 * go to out, at most RPMDB_MAX_WARNINGS per database; the rest are counted
 * and summarized by rpmdb_sink_finish(), so a corrupt file cannot flood the
 * report. */
#define RPMDB_MAX_WARNINGS 10
struct rpmdb_sink {
	struct artifact *out;
	const char *found_in;
	unsigned long nwarnings;
	unsigned long nblobs;
};

/* A checked view of one blob; points into the caller's memory. */
struct rpm_header {
	const unsigned char *index; /* il entries of 16 bytes */
	uint32_t il;
	const unsigned char *data;  /* the data store */
	uint32_t dl;
};

/* A validated array of NUL-terminated strings inside a header. */
struct rpm_strv {
	const char *p;   /* next string */
	const char *end; /* end of the data store */
	uint32_t count;  /* strings left */
};

/* Checks il/dl against len and the limits; fills h. BOSUN_EFORMAT if the blob
 * cannot be a header. */
int rpm_header_init(struct rpm_header *h, const unsigned char *blob, size_t len, struct berr *e);

/* Tag lookups. Each returns BOSUN_OK, BOSUN_ENOTFOUND when the tag is
 * absent, or BOSUN_EFORMAT when the entry is malformed (wrong type, count
 * or offset outside the data store, string not terminated). When a tag
 * occurs more than once the last entry wins, as in rpm, where entries
 * appended after the signed region replace the ones inside it. */
int rpm_header_string(const struct rpm_header *h, uint32_t tag, struct slice *out);
int rpm_header_u32(const struct rpm_header *h, uint32_t tag, uint32_t *out);
/* *vals points at count big-endian 32-bit values; read them with rpm_be32(). */
int rpm_header_u32_array(const struct rpm_header *h, uint32_t tag, const unsigned char **vals,
			 uint32_t *count);
int rpm_header_strings(const struct rpm_header *h, uint32_t tag, struct rpm_strv *out);
/* Next string of a validated array; false when none are left. */
bool rpm_strv_next(struct rpm_strv *v, struct slice *s);

static inline uint32_t rpm_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Appends the package the header describes to s->out. A gpg-pubkey
 * pseudo-package adds nothing and returns BOSUN_OK. BOSUN_EFORMAT when name,
 * version or release is missing or malformed; BOSUN_ENOMEM. Problems with
 * optional tags or the file list become warnings through s. */
int rpm_header_to_package(const struct rpm_header *h, struct rpmdb_sink *s, struct berr *e);

/* Splits "foo-1.2-3.el8.src.rpm" into name "foo" and "1.2-3.el8". False when
 * the string does not have that shape. */
bool rpm_split_sourcerpm(struct slice srpm, struct slice *name, struct slice *version);

/* ---- shared by the database readers (implemented in rpm.c) ---- */

enum rpmdb_format {
	RPMDB_UNKNOWN,
	RPMDB_BDB,    /* BerkeleyDB hash, var/lib/rpm/Packages */
	RPMDB_NDB,    /* rpm's own format, usr/lib/sysimage/rpm/Packages.db */
	RPMDB_SQLITE, /* rpmdb.sqlite */
};

/* Identifies a database by its magic bytes only, never by its name. */
enum rpmdb_format rpmdb_detect(const unsigned char *data, size_t len);

void rpmdb_sink_init(struct rpmdb_sink *s, struct artifact *out, const char *found_in);
void rpmdb_sink_warn(struct rpmdb_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses one header blob into a package; a malformed blob is a warning.
 * Returns non-zero only for BOSUN_ENOMEM. */
int rpmdb_sink_blob(struct rpmdb_sink *s, const unsigned char *blob, size_t len);
void rpmdb_sink_finish(struct rpmdb_sink *s);

/* Parses a whole database of any of the three formats, chosen by magic.
 * BOSUN_EFORMAT when the file is none of them or its top-level structure is
 * unusable; damaged entries inside a usable file are skipped with warnings. */
int rpmdb_parse(const unsigned char *data, size_t len, const char *found_in, struct artifact *out,
		struct berr *e);

#endif
