/* Matching: the packages of an artifact against the advisory database.
 * Exact per-ecosystem version semantics (src/version/), distro rules
 * (Debian/Ubuntu by source package and release, Alpine by origin and
 * branch, RPM by name with epoch and module stream), no CPE guessing. */
#ifndef BOSUN_MATCH_MATCH_H
#define BOSUN_MATCH_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "sbom/artifact.h"
#include "vulndb/vulndb.h"

struct vuln_match {
	size_t pkg;                    /* index into artifact.pkgs */
	const char *id;                /* reported id: the CVE when the advisory has one, else its own id */
	const char **aliases;          /* the other ids of the same vulnerability */
	size_t naliases;
	enum affect_status status;     /* fixed (a fix exists), unfixed, will_not_fix, ... */
	const char *installed;         /* version compared (the source version for Debian/Ubuntu) */
	const char *fixed;             /* lowest fixed version above installed, NULL if none */
	enum vuln_severity severity;   /* distro rating, else the feed's, else from CVSS */
	const char *severity_source;   /* "debian", "nvd-cvss3", "ghsa", ... */
	double cvss3, cvss4;           /* base scores, -1 if unknown */
	const char *cvss3_vector, *cvss4_vector;
	bool kev;
	const char *kev_date;
	const char *title;
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

/* The database ecosystem key and package name to look up for p on os, or
 * false when no feed covers it (documented in docs/matching.md). */
bool match_key(const struct package *p, const struct os_info *os, char *eco, size_t ecocap, const char **name,
	       const char **version);

#endif
