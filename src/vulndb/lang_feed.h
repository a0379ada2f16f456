/* Shared by the language-ecosystem feed importers in their native formats:
 * RustSec (import_rustsec.c), RubySec (import_rubysec.c), FriendsOfPHP
 * (import_friendsofphp.c) and the Node.js security-wg (import_nodejs.c).
 *
 * Each parser reads one advisory file and hands records to a feed_sink
 * (distro_feed.h): the database in an import, a recorder in tests, nothing
 * in fuzzers. Versions come from constraint strings, converted by
 * constraint_ranges.h. Mapping and semantics: docs/feeds-lang.md.
 *
 * Every file is untrusted: its size, each string field and each list are
 * bounded, and every error names the file and, where the text allows, the
 * line ("gems/rack/CVE-2024-1.yml:12: patched_versions: expected a list of
 * strings"). */
#ifndef BOSUN_VULNDB_LANG_FEED_H
#define BOSUN_VULNDB_LANG_FEED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"
#include "vulndb/constraint_ranges.h"
#include "vulndb/distro_feed.h"
#include "vulndb/importer.h"

/* Real advisories are under 20 KiB with lists of a few dozen entries. */
#define LANG_MAX_FILE ((size_t)1 << 20)
#define LANG_MAX_FIELD ((size_t)64 << 10)
#define LANG_MAX_LIST 1024
#define LANG_MAX_FILES 200000
#define LANG_MAX_DEPTH 8 /* directory levels below a feed root */

/* One pass over a feed. */
struct lang_run {
	const struct feed_sink *sink;
	struct import_stats *st;
	char newest[11]; /* newest "YYYY-MM-DD" seen in the advisories: the snapshot date */
};

/* One advisory file being read. Everything built from it lives in arena. */
struct lang_doc {
	struct lang_run *run;
	const char *file;
	const char *data;
	size_t n;
	struct arena arena;
	struct berr *e;
};

/* ---- parse entry points (one file each) ---------------------------------- */

/* crates/<crate>/RUSTSEC-*.md and rust/<component>/FILE.md: Markdown with a
 * ```toml front block. */
int rustsec_parse(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e);
/* gems/<gem>/FILE.yml and rubies/<engine>/FILE.yml. */
int rubysec_parse(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e);
/* <vendor>/<package>/FILE.yaml. */
int friendsofphp_parse(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e);
/* vuln/npm/<id>.json and vuln/core/<n>.json. */
int nodejs_parse_npm(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e);
int nodejs_parse_core(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e);

/* ---- helpers for the parsers --------------------------------------------- */

/* "file:LINE: key: message", the line being where key first appears as a
 * key (YAML `key:`, JSON `"key":`, TOML `key =`); without a line when it
 * cannot be found. */
int lang_error(struct lang_doc *d, int code, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* obj[key] as a string; *out NULL when absent or null (an error when
 * required). Strings longer than LANG_MAX_FIELD, or holding NUL bytes, are
 * errors. */
int lang_str(struct lang_doc *d, const json_t *obj, const char *key, bool required, const char **out);
/* obj[key] as a list of strings (absent or null: none). A single string is
 * taken as a one-element list only when single_ok. */
int lang_str_list(struct lang_doc *d, const json_t *obj, const char *key, bool single_ok, const char ***out,
		  size_t *n);
/* obj[key] as a number (integer or real); *found false when absent or null. */
int lang_number(struct lang_doc *d, const json_t *obj, const char *key, double *out, bool *found);
/* Refuses a document that is not a JSON/YAML mapping at the top. */
int lang_need_object(struct lang_doc *d, const json_t *root);

/* Keeps the newest date ("YYYY-MM-DD...", anything else is ignored). */
void lang_note_date(struct lang_run *r, const char *date);
/* A CVSS base score's rating (v3.x and v4.0 scale; v2 has no CRITICAL). */
enum vuln_severity lang_severity_of_score(double score, bool v2);
/* The vector when it is a CVSS v3 ("CVSS:3.") or v4 ("CVSS:4.") one. */
void lang_cvss_vectors(const char *vector, const char **v3, const char **v4);
/* "a; b" of the non-NULL parts, in the arena (NULL when all are NULL). */
const char *lang_join(struct lang_doc *d, const char *a, const char *b);
/* Appends s to a list of strings in the arena (bounded by LANG_MAX_LIST). */
int lang_list_add(struct lang_doc *d, const char ***list, size_t *n, size_t *cap, const char *s);

int lang_put_vuln(struct lang_doc *d, const struct vuln_record *v);

/* The affected versions of one package, as a version set, written as
 * ranges. When the set cannot be written exactly, `constraint` (the feed's
 * own text) goes into the note, the ranges are the nearest superset and the
 * record counts as skipped. An empty set writes nothing. */
struct lang_affected {
	const char *vuln_id, *ecosystem, *package;
	const struct cr_ctx *cr;
	const struct cr_set *set;
	const char *constraint; /* the feed's text, for the note */
	const char *note;       /* anything else worth keeping */
	enum vuln_severity severity;
};
int lang_put_affected(struct lang_doc *d, const struct lang_affected *a);

/* ---- import driver ------------------------------------------------------- */

typedef int (*lang_parse_fn)(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e);

/* One part of a feed tree: files under dir/sub (NULL: dir) ending with one of
 * exts, parsed by fn. */
struct lang_part {
	const char *sub;
	const char *const *exts;
	lang_parse_fn fn;
	const char *skip_name; /* a file name to leave out (an index), or NULL */
};

/* Imports the parts into one source, in one transaction: nothing is
 * written unless every file parses. The snapshot is the newest advisory
 * date seen. */
int lang_import(struct vulndb *db, const char *dir, const char *source, const char *license,
		const struct lang_part *parts, size_t nparts, struct import_stats *st, struct berr *e);
/* Same, into any sink (which gets begin, records, set_snapshot). */
int lang_import_sink(const struct feed_sink *s, const char *dir, const struct lang_part *parts, size_t nparts,
		     struct import_stats *st, struct berr *e);

#endif
