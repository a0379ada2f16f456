/* Ignore files (--ignorefile): which findings a team has decided to accept.
 *
 * Two forms, told apart by the file's extension (.yaml/.yml) or, failing
 * that, by its first line:
 *  - plain, as Trivy's .trivyignore: one vulnerability id per line, `#`
 *    comments, an optional `exp:YYYY-MM-DD` after the id;
 *  - YAML, as Trivy's .trivyignore.yaml: a `vulnerabilities:` list of
 *    entries with `id` and/or `purls` (or `purl`), `reason` (or
 *    `statement`), `expires` (or `expired_at`) and `paths`; and lists
 *    `secrets:`, `misconfigurations:` and `malware:` (a bosun extension)
 *    for the other findings, whose entries have `id` (the rule id), `paths`
 *    (globs on the finding's file), `namespaces` and `objects` (globs on a
 *    Kubernetes finding's object), `reason` and `expires`.
 * A plain entry is about any kind of finding: its id is a vulnerability id
 * or a rule id. A YAML entry is about its section's kind only.
 * An entry stops suppressing on its expiry date (Trivy's rule: exp:DATE
 * ignores until DATE); expired entries are listed so users see them.
 * Format details: docs/matching.md#ignore-files. */
#ifndef BOSUN_POLICY_IGNORE_H
#define BOSUN_POLICY_IGNORE_H

#include <stdbool.h>
#include <stddef.h>

#include "finding/finding.h"
#include "util/buf.h"
#include "util/err.h"

#define IGNORE_MAX_BYTES ((size_t)4 << 20)
#define IGNORE_MAX_ENTRIES 100000
#define IGNORE_MAX_ID 256

/* Which findings an entry is about: the YAML section it came from. */
enum ignore_scope {
	IGNORE_SCOPE_ANY,               /* the plain form: any finding with this id */
	IGNORE_SCOPE_VULNERABILITIES,   /* `vulnerabilities:` (or a bare top-level list) */
	IGNORE_SCOPE_SECRETS,           /* `secrets:` */
	IGNORE_SCOPE_MISCONFIGURATIONS, /* `misconfigurations:` */
	IGNORE_SCOPE_MALWARE,           /* `malware:` (bosun extension) */
	IGNORE_SCOPE_COUNT
};

struct ignore_entry {
	enum ignore_scope scope;
	const char *id;        /* NULL: every vulnerability of the purls/paths (every finding of the paths/objects) */
	const char **purls;    /* package URL patterns (see policy_purl_matches); vulnerabilities only */
	size_t npurls;
	/* vulnerabilities: package database paths ("var/lib/dpkg/status"),
	 * compared exactly; other findings: globs on the finding's path
	 * (see ignore_glob_match). */
	const char **paths;
	size_t npaths;
	const char **namespaces; /* globs on a Kubernetes finding's namespace; not for vulnerabilities */
	size_t nnamespaces;
	const char **objects;    /* globs on a Kubernetes finding's object name */
	size_t nobjects;
	const char *reason;    /* may be NULL */
	char expires[11];      /* "YYYY-MM-DD", "" when it never expires */
	bool expired;          /* expires <= today at load time */
	size_t line;           /* 1-based line in the file (YAML: the entry's first key, when known) */
};

struct ignore_list {
	struct arena arena;
	const char *path;      /* as given, for messages */
	bool yaml;
	struct ignore_entry *v;
	size_t n, cap;
};

/* today is "YYYY-MM-DD" (UTC); NULL = now. */
int ignore_load(const char *path, const char *today, struct ignore_list *out, struct berr *e);
/* The same on a buffer; `what` names it in messages and its extension picks
 * the form as in ignore_load. */
int ignore_parse(const char *data, size_t n, const char *what, const char *today, struct ignore_list *out,
		 struct berr *e);
void ignore_free(struct ignore_list *l);

/* The live entry that suppresses a finding, or NULL: its id is the
 * finding's id or one of its aliases (case-insensitive), and its purls and
 * paths, when it has any, match the package. Expired entries never match. */
const struct ignore_entry *ignore_match(const struct ignore_list *l, const char *id, const char *const *aliases,
					size_t naliases, const char *purl, const char *path);

/* As ignore_match, for a finding that also stands for related ids (an
 * erratum and the CVEs it fixes, match.h vuln_match.related_fixed): when
 * no entry names its id or an alias, it is suppressed only if every
 * related id is, by some live entry for this package; the first of those
 * entries is returned. Accepting one of an erratum's CVEs says nothing
 * about the others it fixes. */
const struct ignore_entry *ignore_match_related(const struct ignore_list *l, const char *id,
						const char *const *aliases, size_t naliases,
						const char *const *related, size_t nrelated, const char *purl,
						const char *path);

/* The live entry that suppresses a secret, malware or misconfiguration
 * finding, or NULL: a plain entry or one of the finding's kind's section,
 * whose id (when it has one) is the finding's rule id (case-insensitive),
 * and whose paths, namespaces and objects, for each of those it has, have a
 * glob matching the finding's (a finding without a path matches no
 * `paths`). Expired entries never match. */
const struct ignore_entry *ignore_match_finding(const struct ignore_list *l, const struct finding *f);

/* The YAML section name of a scope ("secrets"); "" for IGNORE_SCOPE_ANY. */
const char *ignore_scope_name(enum ignore_scope s);

/* Glob over a '/'-separated path: '*' is any run of characters but '/',
 * '?' one character but '/', '**' any run including '/', and "**" + "/" also
 * nothing ("a/" "**" "/b" matches "a/b"); '\\' quotes the next character.
 * Leading '/' of both sides are ignored. Linear memory, time
 * O(len(pattern) * len(s)) whatever the pattern. */
bool ignore_glob_match(const char *pattern, const char *s);

/* Today's date in UTC, "YYYY-MM-DD". */
void policy_today(char out[11]);

/* Whether the package URL purl matches pattern: same type, namespace and
 * name (percent-decoded; type case-insensitive), the same version when the
 * pattern has one, and every qualifier of the pattern present in purl with
 * the same value. "pkg:deb/debian/openssl" matches every openssl deb. */
bool policy_purl_matches(const char *pattern, const char *purl);

#endif
