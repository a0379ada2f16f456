/* SBOM writers: one artifact in, one document out. Formats and the mapping of
 * artifact fields to each of them are described in docs/formats.md; bosun's
 * own JSON is specified by docs/bosun-sbom.schema.json. */
#ifndef BOSUN_SBOM_WRITER_H
#define BOSUN_SBOM_WRITER_H

#include <stdint.h>
#include <stdio.h>

#include "sbom/artifact.h"
#include "util/err.h"

enum sbom_format {
	SBOM_TABLE,
	SBOM_JSON,
	SBOM_CYCLONEDX,
	SBOM_SPDX_JSON,
	SBOM_FORMAT_COUNT
};

/* "table", "json", "cyclonedx", "spdx-json" -> *out. BOSUN_EUSAGE otherwise. */
int sbom_format_parse(const char *name, enum sbom_format *out);
const char *sbom_format_name(enum sbom_format f);
/* "table, json, cyclonedx, spdx-json", for usage messages. */
const char *sbom_format_names(void);

/* Writes the artifact (after artifact_finish()) to out. Output is a pure
 * function of the artifact except for the document timestamp and, for
 * CycloneDX and SPDX, a random UUID. BOSUN_EIO when out fails. */
int sbom_write(const struct artifact *a, enum sbom_format f, FILE *out, struct berr *e);

struct sbom_options {
	int64_t created;       /* seconds since the epoch; 0 = now */
	const char *uuid;      /* "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" lower-case; NULL = random */
};

/* sbom_write with a fixed timestamp and UUID, for reproducible output. */
int sbom_write_opts(const struct artifact *a, enum sbom_format f, const struct sbom_options *o,
		    FILE *out, struct berr *e);

/* ---- SPDX license expressions (spdx.c), shared by CycloneDX and SPDX ---- */

enum spdx_license_kind {
	SPDX_LICENSE_NONE,       /* no license stated */
	SPDX_LICENSE_ID,         /* one listed SPDX license id, e.g. "MIT" */
	SPDX_LICENSE_EXPRESSION, /* a valid expression: "MIT OR GPL-2.0-or-later" */
	SPDX_LICENSE_TEXT,       /* anything else: free text as the package states it */
};

struct spdx_license {
	enum spdx_license_kind kind;
	const char *value; /* canonical id / expression (list spelling), or the raw text */
};

/* Classifies a license string from package metadata. Ids are matched
 * case-insensitively against the SPDX license list (3.29) and written in
 * their canonical case; operators must be upper-case (SPDX 2.3 annex D).
 * LicenseRef-/DocumentRef- in package metadata count as free text, since no
 * license text comes with them. BOSUN_ENOMEM or BOSUN_OK. */
int spdx_license_classify(struct arena *ar, const char *raw, struct spdx_license *out);

/* Canonical spelling of a listed license or exception id (any case), or NULL. */
const char *spdx_license_id(const char *s, size_t n);
const char *spdx_exception_id(const char *s, size_t n);
/* Number of listed licenses plus exceptions (for tests against the list). */
size_t spdx_list_size(void);
#define SPDX_LICENSE_LIST_VERSION "3.29"

/* ---- for the writer implementations only --------------------------------- */
#ifdef SBOM_WRITER_INTERNAL
#include <jansson.h>

/* What every writer gets: the artifact, a scratch arena freed after the
 * write, and the per-document values fixed once per call. */
struct sbom_ctx {
	const struct artifact *a;
	struct arena *ar;
	char created[32]; /* RFC 3339 UTC, "2024-05-01T12:00:00Z" */
	char uuid[40];    /* lower-case RFC 4122 v4 */
	bool is_image;    /* a container image, not a directory */
};

/* Fills c for one document: timestamp from o->created (0 = now), the UUID
 * from o->uuid or, with need_uuid, a random one. For writers outside
 * src/sbom that extend an SBOM (vulnerability reports). */
int sbom_ctx_init(struct sbom_ctx *c, const struct artifact *a, struct arena *ar, const struct sbom_options *o,
		  bool need_uuid, struct berr *e);
/* The CycloneDX and bosun JSON documents as sbom_write would write them,
 * built into doc (an empty object) for a caller to extend before dumping.
 * pkg_refs: NULL, or one slot per package receiving its bom-ref (in c->ar). */
int sbom_cyclonedx_build(const struct sbom_ctx *c, json_t *doc, const char **pkg_refs, struct berr *e);
int sbom_json_build(const struct sbom_ctx *c, json_t *doc, struct berr *e);

int sbom_write_table(const struct sbom_ctx *c, FILE *out, struct berr *e);
int sbom_write_json(const struct sbom_ctx *c, FILE *out, struct berr *e);
int sbom_write_cyclonedx(const struct sbom_ctx *c, FILE *out, struct berr *e);
int sbom_write_spdx(const struct sbom_ctx *c, FILE *out, struct berr *e);

/* The image layer that introduced p, or NULL when unknown (or not an image). */
const struct layer_info *sbom_pkg_layer(const struct sbom_ctx *c, const struct package *p);
/* Display name of the target: repo:tag, directory name or the input. */
const char *sbom_target_name(const struct sbom_ctx *c);

/* bosun-specific name/value pairs ("bosun:layer:diffID"), the same in
 * CycloneDX properties and SPDX annotations. Values live in c->ar. */
struct sbom_prop {
	const char *name, *value;
};
struct sbom_props {
	struct sbom_prop *v;
	size_t n, cap;
};
int sbom_props_add(struct sbom_props *ps, const char *name, const char *value); /* skips NULL, "" */
int sbom_target_props(const struct sbom_ctx *c, struct sbom_props *ps);
int sbom_os_props(const struct sbom_ctx *c, struct sbom_props *ps);
int sbom_pkg_props(const struct sbom_ctx *c, const struct package *p, struct sbom_props *ps);
void sbom_props_free(struct sbom_props *ps);

/* p->purl, or computed now if the artifact was not finished. */
const char *sbom_pkg_purl(const struct sbom_ctx *c, const struct package *p);

/* Length of the valid UTF-8 sequence at s (at most left bytes), 0 if s
 * does not start one. */
size_t sbom_utf8_seq(const unsigned char *s, size_t left);

/* jansson glue. Strings from package databases need not be UTF-8, which
 * jansson refuses: invalid bytes become U+FFFD. */
json_t *sbom_jstr(const char *s);                          /* NULL -> json null */
int sbom_jset(json_t *obj, const char *key, json_t *v);    /* steals v; v NULL -> ENOMEM */
int sbom_jset_str(json_t *obj, const char *key, const char *s);  /* NULL -> null */
int sbom_jset_opt(json_t *obj, const char *key, const char *s);  /* NULL or "" -> absent */
int sbom_jappend(json_t *arr, json_t *v);                  /* steals v; v NULL -> ENOMEM */
/* Writes doc (indented, UTF-8, trailing newline) and checks the stream. */
int sbom_jdump(const json_t *doc, FILE *out, struct berr *e);

/* Identifiers unique within one document (bom-refs, SPDXIDs). */
struct sbom_idset {
	const char **slot;
	size_t cap, n;
};
/* base if unused, else base + sep + "2", "3", ...; recorded in s and
 * allocated in ar. NULL on ENOMEM. */
const char *sbom_idset_claim(struct sbom_idset *s, struct arena *ar, const char *base, const char *sep);
bool sbom_idset_has(const struct sbom_idset *s, const char *id);
void sbom_idset_free(struct sbom_idset *s);

/* 32-bit FNV-1a, for short stable suffixes. */
uint32_t sbom_hash32(const char *s);
#endif

#endif
