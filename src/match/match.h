/* Matching: the packages of an artifact against the advisory database.
 * Exact per-ecosystem version semantics (src/version/), distro rules
 * (Debian/Ubuntu by source package and release, Alpine by origin and
 * branch, RPM by name with epoch and module stream), no CPE guessing. */
#ifndef BOSUN_MATCH_MATCH_H
#define BOSUN_MATCH_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "sbom/artifact.h"
#include "version/version.h"
#include "vulndb/vulndb.h"

struct vuln_match {
	size_t pkg;                    /* index into artifact.pkgs */
	const char *id;                /* reported id: the CVE when the advisory has one, else its own id */
	const char **aliases;          /* the other ids of the same vulnerability */
	size_t naliases;
	/* OSV related[] of the finding's advisories (an ALSA's CVEs), sorted;
	 * also the ids of a finding merged into this one through them */
	const char **related;
	size_t nrelated;
	/* The related ids are the vulnerabilities this finding fixes (an
	 * erratum without a CVE of its own: vulndb.h vuln_info.related_fixed),
	 * so ignore files and VEX statements naming them apply to it. */
	bool related_fixed;
	enum affect_status status;     /* fixed (a fix exists), unfixed, will_not_fix, ... */
	const char *installed;         /* version compared (the source version for Debian/Ubuntu) */
	const char *fixed;             /* lowest fixed version above installed, NULL if none */
	enum vuln_severity severity;   /* distro rating, else the feed's, else CVSS, else other feeds' evidence */
	const char *severity_source;   /* "debian", "cvss3", "ubuntu", "cvss3:osv:go-vulndb", ... (docs/matching.md) */
	double cvss3, cvss4;           /* base scores, -1 if unknown */
	const char *cvss3_vector, *cvss4_vector;
	bool kev;
	const char *kev_date;
	const char *title;
	const char *description;       /* the feed's details, NULL if none */
	const char *published;
	const char **references;
	size_t nreferences;
	const char *ecosystem;         /* the database key matched, e.g. "debian:12" */
	const char *db_package;        /* the name looked up (source package, PEP 503 name, ...) */
	const char *source;            /* feed(s) the advisory came from */
	const char *note;              /* the feed's note (no-dsa reason, ...) */
};

struct match_result {
	struct arena arena;
	struct vuln_match *v;
	size_t n, cap;
	char **warnings;               /* e.g. "no advisory data for alpine:3.20" */
	size_t nwarnings, cap_warnings;
};

/* Finds every advisory affecting the artifact's packages. One vulnerability
 * is reported once per package even when several feeds or aliases carry it. */
int match_artifact(struct vulndb *db, const struct artifact *a, struct match_result *out, struct berr *e);
void match_result_free(struct match_result *r);

/* What to look up for one package (distro.c). */
struct match_key {
	char ecosystem[64];   /* database key: "debian:12", "alpine:3.11", "almalinux:8", "pypi" */
	const char *scheme;   /* version scheme (purl type): "deb", "apk", "rpm", "golang", ... */
	const char *name;     /* the name looked up: source package, origin, normalized name */
	const char *version;  /* the version compared; points into p or into vbuf */
	const char *stream;   /* rpm module "name:stream" from MODULARITYLABEL, else NULL; in sbuf */
	const char *why;      /* when match_key() is false: why no feed covers p */
	char vbuf[256], sbuf[128], whybuf[160], nbuf[256];
};

/* The database ecosystem key, package name and version to look up for p on
 * os, or false (with k->why) when no feed covers it. Rules per ecosystem:
 * docs/matching.md. */
bool match_key(const struct package *p, const struct os_info *os, struct match_key *k);

/* ---- building blocks (range.c, distro.c), public for tests and for the
 * language-package matchers ---------------------------------------------- */

/* Version scheme (purl type) of a database ecosystem key: "debian:12" ->
 * "deb", "go" -> "golang", "crates.io" -> "cargo", "packagist" ->
 * "composer". NULL when unknown. */
const char *match_scheme_for(const char *ecosystem);

/* A language package name as its ecosystem's feeds key it: PyPI PEP 503
 * (lower-case, runs of -_. become -), npm as published with its @scope/
 * (purl-escaped "%40scope%2Fname" decoded), Maven "group:artifact" (a '/'
 * between them is accepted), Packagist lower-case "vendor/package", Go
 * module paths, crates, gems and NuGet ids as written. BOSUN_ELIMIT when it
 * does not fit. */
int match_normalize_name(const char *ecosystem, const char *name, char *out, size_t cap);

/* Debian's binNMU suffix: "2.36-9+b1" -> "2.36-9" (the source version the
 * binary-only rebuild came from). Returns v itself when there is none. */
const char *match_strip_binnmu(const char *v, char *buf, size_t cap);

/* Evaluates one advisory row against an installed version with scheme s
 * (after the ecosystem's version preparation, e.g. Go's "v" prefix).
 * *affected: the version is in a range or listed; *fixed: the fixed bound of
 * the range that holds it (the highest when overlapping ranges do, NULL when
 * one of them has none).
 * A bound the scheme cannot parse makes its range count as not matching
 * and sets *bad_bound to it (for a warning). BOSUN_EFORMAT when the
 * installed version itself is invalid. */
int match_row_affects(const struct version_scheme *s, const char *ecosystem, const struct affected_row *row,
		      const char *version, bool *affected, const char **fixed, const char **bad_bound);

/* Severity from a CVSS base score (the v3.x/v4.0 qualitative scale). */
enum vuln_severity match_severity_from_score(double score);

#endif
