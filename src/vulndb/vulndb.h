/* The advisory database: one SQLite file, built by importers from upstream
 * feeds in their own formats, read by the matcher. Schema and semantics:
 * docs/vulndb.md.
 *
 * Writers (importers) work inside a per-source transaction: a source is
 * replaced as a whole, so a bad feed leaves the previous data in place.
 * Readers look up by (ecosystem, package). */
#ifndef BOSUN_VULNDB_VULNDB_H
#define BOSUN_VULNDB_VULNDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define VULNDB_SCHEMA_VERSION 2

struct vulndb;

/* Opens (and with `create`, creates or upgrades) the database at path.
 * Without `create` the file is opened read-only and must exist
 * (BOSUN_ENOTFOUND otherwise). A file of another schema version is
 * BOSUN_EUNSUPPORTED ("rebuild it"); a file that is not a bosun database is
 * BOSUN_EFORMAT. With `create`, writes are not synced (no fsync, journal in
 * memory): build into a file that is renamed into place when complete, as
 * `bosun db build` does. ":memory:" opens a private in-memory database.
 * A handle is used by one thread at a time; open one per thread. */
int vulndb_open(const char *path, bool create, struct vulndb **out, struct berr *e);
void vulndb_close(struct vulndb *db);

struct vulndb_meta {
	int schema_version;
	char built_at[32]; /* ISO 8601 UTC of the last committed source, "" if none */
};
int vulndb_get_meta(struct vulndb *db, struct vulndb_meta *m, struct berr *e);

/* ---- sources ---------------------------------------------------------- */

struct vulndb_source {
	const char *name;     /* stable key: "osv-go", "debian-tracker", "alpine-secdb", "kev", ... */
	const char *origin;   /* where it came from: URL or local path */
	const char *snapshot; /* date of the data (ISO 8601), as the feed states it or the files' newest date */
	const char *license;  /* SPDX id or short text, NULL if unknown */
};

/* Starts replacing a source: opens a transaction and deletes the source's
 * previous rows. Every put below belongs to the open source. */
int vulndb_source_begin(struct vulndb *db, const struct vulndb_source *src, struct berr *e);
/* Sets the open source's snapshot when it is only known after reading the
 * feed (e.g. the newest `modified` of its advisories). */
int vulndb_source_set_snapshot(struct vulndb *db, const char *snapshot, struct berr *e);
/* Records counts and commits. */
int vulndb_source_commit(struct vulndb *db, struct berr *e);
/* Rolls back everything since begin (a bad feed changes nothing). */
void vulndb_source_abort(struct vulndb *db);

/* ---- records ---------------------------------------------------------- */

/* Severities, normalized from each feed's own scale. */
enum vuln_severity {
	SEV_UNKNOWN = 0,
	SEV_NEGLIGIBLE,  /* Debian "unimportant", Ubuntu "negligible" */
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
};
const char *vuln_severity_name(enum vuln_severity s); /* "UNKNOWN", "LOW", ... */
int vuln_severity_parse(const char *s, enum vuln_severity *out); /* case-insensitive; also "moderate", "important", "unimportant" */

struct vuln_record {
	const char *id;          /* "CVE-2024-3094", "GHSA-...", "GO-2023-1234", "ALSA-2023:1234", "RUSTSEC-..." */
	const char *summary;     /* one line, may be NULL */
	const char *details;     /* longer text, may be NULL (stored truncated to 8 KiB) */
	const char *published;   /* ISO 8601 or NULL */
	const char *modified;
	enum vuln_severity severity; /* the feed's own rating of the vulnerability, SEV_UNKNOWN if none */
	const char *cvss3_vector;    /* "CVSS:3.1/AV:N/...", NULL if none */
	const char *cvss4_vector;    /* "CVSS:4.0/...", NULL if none */
	const char *const *aliases;  /* other ids of the same vulnerability (CVE <-> GHSA <-> PYSEC ...) */
	size_t naliases;
	/* other vulnerabilities the advisory names (OSV related[]): the CVEs an
	 * AlmaLinux erratum fixes; for Go and RustSec, similar issues */
	const char *const *related;
	size_t nrelated;
	const char *const *references; /* URLs, the first few are kept */
	size_t nreferences;
};

/* Inserts or merges a vulnerability (the same id from two sources: fields
 * missing on one side are filled from the other; both source names are kept). */
int vulndb_put_vuln(struct vulndb *db, const struct vuln_record *v, struct berr *e);

/* What an advisory says about one package in one ecosystem/release. */
enum affect_status {
	AFFECT_AFFECTED = 0,   /* vulnerable versions given by ranges/versions; fixed where a range says so */
	AFFECT_FIXED,          /* same as AFFECTED with a fix known; importers may use either */
	AFFECT_UNFIXED,        /* every version affected, no fix yet (Debian <unfixed>, Ubuntu needed) */
	AFFECT_WONT_FIX,       /* Debian <ignored>, Ubuntu ignored, RHEL "will not fix" */
	AFFECT_NO_DSA,         /* Debian <no-dsa>: minor, fix via point release maybe */
	AFFECT_POSTPONED,      /* Debian <postponed>, Ubuntu deferred */
	AFFECT_NOT_AFFECTED,   /* Debian <not-affected>, Ubuntu not-affected, secdb "0" */
	AFFECT_END_OF_LIFE,    /* Debian <end-of-life>: no more support for this package in the release */
	AFFECT_UNDETERMINED,   /* not triaged yet (Ubuntu needs-triage, Debian tracker "undetermined") */
};
const char *affect_status_name(enum affect_status s); /* "fixed", "affected", "will_not_fix", ... */

/* One range of affected versions in OSV's event model, evaluated with the
 * ecosystem's version scheme: affected from `introduced` (NULL or "0" =
 * from the beginning) up to but excluding `fixed`, or up to and including
 * `last_affected`; neither means no upper bound. `limit` (OSV's limit
 * event, rare outside GIT ranges) additionally excludes every version at
 * or above it without saying that a fix exists there. */
struct affect_range {
	const char *introduced;
	const char *fixed;
	const char *last_affected;
	const char *limit;
};

struct affected_record {
	const char *vuln_id;
	/* Ecosystem key (see docs/vulndb.md): "debian:12", "ubuntu:22.04", "alpine:3.19",
	 * "almalinux:8", "npm", "pypi", "go", "crates.io", "maven", "rubygems",
	 * "packagist", "nuget". Distro keys carry the release. */
	const char *ecosystem;
	/* Normalized package name: source package for Debian/Ubuntu, origin for
	 * Alpine, PEP 503 name for PyPI, "group:artifact" for Maven, module path for Go. */
	const char *package;
	enum affect_status status;
	enum vuln_severity severity;  /* the distro's rating for this package/release, SEV_UNKNOWN if none */
	const struct affect_range *ranges;
	size_t nranges;
	const char *const *versions;  /* explicit affected versions (OSV versions[]) */
	size_t nversions;
	const char *note;             /* free text: reason for no-dsa/ignored/not-affected, may be NULL */
};

int vulndb_put_affected(struct vulndb *db, const struct affected_record *r, struct berr *e);

/* KEV: marks a CVE as known exploited (creating a stub vulnerability when
 * no feed has it yet). */
int vulndb_put_kev(struct vulndb *db, const char *cve, const char *date_added, const char *due_date,
		   bool ransomware, struct berr *e);

/* ---- reading ---------------------------------------------------------- */

/* One affected row as read back; strings valid during the callback only. */
struct affected_row {
	const char *vuln_id;
	const char *ecosystem;
	const char *package;
	enum affect_status status;
	enum vuln_severity severity;
	struct affect_range *ranges;
	size_t nranges;
	const char *const *versions;
	size_t nversions;
	const char *note;
	const char *source;
};

typedef int (*vulndb_affected_fn)(const struct affected_row *row, void *ctx);
/* Calls fn for every row of (ecosystem, package). */
int vulndb_lookup(struct vulndb *db, const char *ecosystem, const char *package, vulndb_affected_fn fn, void *ctx,
		  struct berr *e);

struct vuln_info {
	const char *id, *summary, *details, *published, *modified;
	enum vuln_severity severity;
	/* who gave `severity`: the distro ("ubuntu", "almalinux", ...) when the
	 * source rates a distro's packages, else the source's name ("osv:ghsa");
	 * NULL when severity is SEV_UNKNOWN */
	const char *severity_by;
	const char *cvss3_vector, *cvss4_vector;
	double cvss3_score, cvss4_score; /* computed from the vectors at import; -1 if none */
	bool kev;
	const char *kev_date_added, *kev_due_date;
	bool kev_ransomware;
	const char *sources;             /* comma-separated source names */
	const char *const *aliases;
	size_t naliases;
	const char *const *related;      /* OSV related[] as the feeds state them, sorted */
	size_t nrelated;
	/* The record has no CVE of its own (neither its id nor an alias) and
	 * names related ids: an erratum such as an ALSA, whose related CVEs are
	 * the vulnerabilities it fixes. Only then do related ids stand for the
	 * record (KEV, ignore files, VEX, merging); otherwise they are other
	 * vulnerabilities it resembles (Go's and RustSec's use). */
	bool related_fixed;
	const char *const *references;
	size_t nreferences;
};

typedef int (*vulndb_vuln_fn)(const struct vuln_info *v, void *ctx);
/* Looks up one vulnerability by id or alias; fn is not called when unknown.
 * An id that only exists as an alias calls fn once for each vulnerability
 * that names it. kev is also true when an alias of the vulnerability is in
 * KEV (a GHSA whose CVE is known exploited), or, for a record with
 * related_fixed, one of its related CVEs is, with that entry's dates. */
int vulndb_get_vuln(struct vulndb *db, const char *id, vulndb_vuln_fn fn, void *ctx, struct berr *e);

/* Severity evidence about one vulnerability from every source that has it,
 * for a finding whose own advisory rates nothing (docs/matching.md). */
enum vulndb_evidence_kind {
	VULNDB_EV_RATING, /* a rating: of a package (a row) or of a whole advisory */
	VULNDB_EV_CVSS3,  /* a CVSS v3.x base score */
	VULNDB_EV_CVSS4,  /* a CVSS v4.0 base score */
};

struct vulndb_evidence {
	enum vulndb_evidence_kind kind;
	/* a rating's rater: the distro ("ubuntu") when it rates a distro's
	 * packages, else the source's name ("osv:ghsa") */
	const char *by;
	bool distro;                 /* `by` is a distro */
	const char *source;          /* the source that supplied it ("osv:go-vulndb") */
	const char *via;             /* the record it is stated on: the id, an alias, or an erratum naming it as related */
	/* a row's rating: the package it rates (Debian's "unimportant" for
	 * chromium says nothing about libwebp); NULL for a whole record's */
	const char *package;
	enum vuln_severity severity; /* VULNDB_EV_RATING */
	double score;                /* VULNDB_EV_CVSS3/4 */
};

typedef int (*vulndb_evidence_fn)(const struct vulndb_evidence *ev, void *ctx);
/* Calls fn for each piece of evidence about id: ratings of rows and records
 * of id itself, of its aliases, and of errata that list it as related (with
 * related_fixed); CVSS scores of id and its aliases (an erratum's score is
 * its own, not the CVE's). One indexed query. */
int vulndb_severity_evidence(struct vulndb *db, const char *id, vulndb_evidence_fn fn, void *ctx, struct berr *e);

struct vulndb_source_info {
	const char *name, *origin, *snapshot, *license, *imported_at;
	int64_t vulns, affected;
};
typedef int (*vulndb_source_fn)(const struct vulndb_source_info *s, void *ctx);
int vulndb_each_source(struct vulndb *db, vulndb_source_fn fn, void *ctx, struct berr *e);

#endif
