/* The matcher's private parts, shared by match.c, severity.c and
 * related.c. Not an interface: include match/match.h instead. */
#ifndef BOSUN_MATCH_MATCH_INTERNAL_H
#define BOSUN_MATCH_MATCH_INTERNAL_H

#include "match/match.h"
#include "util/strmap.h"

/* Statuses in the order one is reported when feeds disagree (match.c):
 * lower ranks win; a fix from any feed comes first. */
int match_status_rank(enum affect_status s);

/* ---- severity.c: a rating from other sources' evidence ---- */

/* Evidence fetched once per vulnerability id per run. */
struct sev_cache {
	struct vulndb *db;
	struct arena *ar;      /* the result's arena: severity_source strings live there */
	struct strmap by_id;   /* id -> struct sev_evidence */
};

/* For a finding nothing of its own rates (v->severity is SEV_UNKNOWN):
 * the best evidence the database holds about its CVEs (its id, aliases,
 * and related ids when related_fixed), in docs/matching.md's order:
 * own_distro's rating elsewhere ("debian" for a debian:12 finding; NULL
 * for language ecosystems), another distro's, a CVSS v3 then v4 score,
 * another feed's rating. Sets severity and severity_source, or leaves
 * both as they are when there is none. */
int match_severity_fallback(struct sev_cache *c, const char *own_distro, struct vuln_match *v, struct berr *e);
void match_sev_cache_free(struct sev_cache *c);

/* ---- related.c: one finding per erratum and the CVEs it fixes ---- */

/* Merges the findings of one lookup (one package) that an erratum joins:
 * a finding with related_fixed absorbs another whose id or alias is one of
 * its related ids, unless only the other carries a fixed version (then
 * that one is kept). The absorbed id goes to the kept finding's related.
 * s orders fixed versions; *n shrinks. Allocations from ar. */
int match_merge_related(struct arena *ar, const struct version_scheme *s, struct vuln_match *v, size_t *n);

#endif
