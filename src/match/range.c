/* OSV's event model evaluated with an ecosystem's version scheme: a version
 * is affected when it is in some range [introduced, fixed) or
 * [introduced, last_affected], or listed among the advisory's versions.
 * Bounds come from feeds and versions from images: neither is trusted, and
 * anything the scheme cannot parse is reported, never guessed at. */
#include "match/match.h"

#include <stdio.h>
#include <string.h>

/* Versions are compared in the form the scheme parses. Go module versions
 * carry a "v" ("v1.2.3") but OSV's Go ranges do not ("1.2.3"), and the Go
 * toolchain's own versions are "go1.21.3": one spelling for both sides,
 * whichever the scheme wants. (Composer's "v1.2.3" tags need nothing: the
 * composer scheme normalizes them as Composer does.) */
static const char *prepare(const struct version_scheme *s, const char *ecosystem, const char *v, char *buf,
			   size_t cap)
{
	(void)ecosystem;
	if (!v)
		return NULL;
	const char *scheme = s->name;
	if (strcmp(scheme, "golang") == 0) {
		const char *bare = v;
		if (strncmp(bare, "go", 2) == 0 && bare[2] >= '0' && bare[2] <= '9')
			bare += 2;
		else if (bare[0] == 'v')
			bare++;
		/* The scheme decides: with a "v" when it parses "v1.0.0". */
		bool wants_v = s->valid && s->valid("v1.0.0");
		snprintf(buf, cap, "%s%s", wants_v ? "v" : "", bare);
		return buf;
	}
	return v;
}

/* *cmp = compare(a, b); false when either does not parse. */
static bool cmp_ok(const struct version_scheme *s, const char *a, const char *b, int *cmp)
{
	return s->compare(a, b, cmp) == BOSUN_OK;
}

static bool is_zero(const char *v)
{
	return !v || !v[0] || strcmp(v, "0") == 0;
}

/* Whether v is in r; *bad names a bound that did not parse. */
static bool in_range(const struct version_scheme *s, const char *eco, const struct affect_range *r, const char *v,
		     const char **bad)
{
	char b1[256], b2[256];
	int c;
	if (!is_zero(r->introduced)) {
		const char *lo = prepare(s, eco, r->introduced, b1, sizeof b1);
		if (!cmp_ok(s, v, lo, &c)) {
			*bad = r->introduced;
			return false;
		}
		if (c < 0)
			return false;
	}
	if (r->fixed && r->fixed[0]) {
		const char *hi = prepare(s, eco, r->fixed, b2, sizeof b2);
		if (!cmp_ok(s, v, hi, &c)) {
			*bad = r->fixed;
			return false;
		}
		if (c >= 0)
			return false;
	}
	/* limit: versions at or above it are outside the range, but it is no fix. */
	if (r->limit && r->limit[0] && strcmp(r->limit, "*") != 0) {
		const char *lim = prepare(s, eco, r->limit, b2, sizeof b2);
		if (!cmp_ok(s, v, lim, &c)) {
			*bad = r->limit;
			return false;
		}
		if (c >= 0)
			return false;
	}
	if (r->last_affected && r->last_affected[0]) {
		const char *hi = prepare(s, eco, r->last_affected, b2, sizeof b2);
		if (!cmp_ok(s, v, hi, &c)) {
			*bad = r->last_affected;
			return false;
		}
		if (c > 0)
			return false;
	}
	return true;
}

/* Exact listed versions: equal by the scheme (so "1.0" and "1.0.0" agree
 * where the ecosystem says they do), or byte-equal when a listed version
 * does not parse. */
static bool listed(const struct version_scheme *s, const char *eco, const struct affected_row *row, const char *v)
{
	char buf[256];
	for (size_t i = 0; i < row->nversions; i++) {
		const char *w = prepare(s, eco, row->versions[i], buf, sizeof buf);
		int c;
		if (!w)
			continue;
		if (cmp_ok(s, v, w, &c) ? c == 0 : strcmp(v, w) == 0)
			return true;
	}
	return false;
}

/* The higher of two fixed versions. */
static const char *higher_fix(const struct version_scheme *s, const char *eco, const char *a, const char *b)
{
	char b1[256], b2[256];
	int c;
	if (!cmp_ok(s, prepare(s, eco, a, b1, sizeof b1), prepare(s, eco, b, b2, sizeof b2), &c))
		return a;
	return c >= 0 ? a : b;
}

int match_row_affects(const struct version_scheme *s, const char *ecosystem, const struct affected_row *row,
		      const char *version, bool *affected, const char **fixed, const char **bad_bound)
{
	*affected = false;
	*fixed = NULL;
	*bad_bound = NULL;
	char vbuf[256];
	const char *v = prepare(s, ecosystem, version, vbuf, sizeof vbuf);
	int self;
	if (!v || !cmp_ok(s, v, v, &self))
		return BOSUN_EFORMAT;
	/* No ranges and no versions: the statement covers every version (a
	 * distro's <unfixed>/<no-dsa>, OSV's "all versions affected"). */
	if (row->nranges == 0 && row->nversions == 0) {
		*affected = true;
		return BOSUN_OK;
	}
	for (size_t i = 0; i < row->nranges; i++) {
		const struct affect_range *r = &row->ranges[i];
		if (!in_range(s, ecosystem, r, v, bad_bound))
			continue;
		bool first = !*affected;
		*affected = true;
		const char *f = r->fixed && r->fixed[0] ? r->fixed : NULL;
		/* Overlapping ranges (rare): the fix must leave all of them, so the
		 * highest; one of them without a fix means no fix. */
		if (first)
			*fixed = f;
		else if (*fixed)
			*fixed = f ? higher_fix(s, ecosystem, *fixed, f) : NULL;
	}
	if (!*affected && listed(s, ecosystem, row, v))
		*affected = true;
	return BOSUN_OK;
}

enum vuln_severity match_severity_from_score(double score)
{
	if (score < 0 || score > 10)
		return SEV_UNKNOWN;
	if (score >= 9.0)
		return SEV_CRITICAL;
	if (score >= 7.0)
		return SEV_HIGH;
	if (score >= 4.0)
		return SEV_MEDIUM;
	if (score > 0.0)
		return SEV_LOW;
	return SEV_NEGLIGIBLE; /* 0.0: "None" in CVSS' own words */
}
