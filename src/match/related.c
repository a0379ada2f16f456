/* One finding per problem when an erratum and another feed meet. AlmaLinux
 * names the CVEs an ALSA fixes only in OSV related[], which are not aliases
 * (an erratum fixes several vulnerabilities), so the alias merge in match.c
 * does not join an ALSA with a feed that reports one of its CVEs for the
 * same package. Here the two become one: the one that carries the fixed
 * version is kept (the erratum when both or neither do), and the other's
 * id is listed in its related ids. */
#include "match/match_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool names_id(const struct vuln_match *v, const char *id)
{
	if (strcmp(v->id, id) == 0)
		return true;
	for (size_t i = 0; i < v->naliases; i++)
		if (strcmp(v->aliases[i], id) == 0)
			return true;
	return false;
}

/* keep's related ids plus drop's ids, without keep's own. */
static int merge_ids(struct arena *ar, struct vuln_match *keep, const struct vuln_match *drop)
{
	size_t total = keep->nrelated + 1 + drop->naliases + drop->nrelated, k = 0;
	const char **v = arena_alloc(ar, total * sizeof *v);
	if (!v)
		return BOSUN_ENOMEM;
	const char *const *lists[] = { keep->related, &drop->id, (const char *const *)drop->aliases,
				       drop->related };
	size_t lens[] = { keep->nrelated, 1, drop->naliases, drop->nrelated };
	for (size_t l = 0; l < 4; l++)
		for (size_t i = 0; i < lens[l]; i++)
			if (!names_id(keep, lists[l][i]))
				v[k++] = lists[l][i];
	qsort(v, k, sizeof *v, cmp_str);
	keep->nrelated = 0;
	for (size_t i = 0; i < k; i++)
		if (!keep->nrelated || strcmp(v[keep->nrelated - 1], v[i]) != 0)
			v[keep->nrelated++] = v[i];
	keep->related = v;
	return BOSUN_OK;
}

/* "a,b" and "b,c" -> "a,b,c". */
static const char *merge_sources(struct arena *ar, const char *a, const char *b)
{
	const char *items[64];
	size_t n = 0;
	char *both = arena_printf(ar, "%s,%s", a ? a : "", b ? b : "");
	if (!both)
		return NULL;
	for (char *save = NULL, *t = strtok_r(both, ",", &save); t && n < 64; t = strtok_r(NULL, ",", &save))
		items[n++] = t;
	qsort(items, n, sizeof *items, cmp_str);
	struct buf out = { 0 };
	int rc = BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && i < n; i++)
		if (!i || strcmp(items[i - 1], items[i]) != 0)
			rc = buf_printf(&out, "%s%s", out.len ? "," : "", items[i]);
	const char *s = rc == BOSUN_OK ? arena_strdup(ar, out.data ? out.data : "") : NULL;
	buf_free(&out);
	return s;
}

static const char *higher(const struct version_scheme *s, const char *a, const char *b)
{
	int c;
	if (!a)
		return b;
	if (!b || s->compare(a, b, &c) != BOSUN_OK)
		return a;
	return c >= 0 ? a : b;
}

/* drop's facts into keep, as match.c merges the rows of one group: the
 * highest fix, the first status by rank, and what keep lacks. */
static int absorb(struct arena *ar, const struct version_scheme *s, struct vuln_match *keep,
		  const struct vuln_match *drop)
{
	keep->fixed = higher(s, keep->fixed, drop->fixed);
	if (match_status_rank(drop->status) < match_status_rank(keep->status)) {
		keep->status = drop->status;
		keep->note = drop->note;
	}
	if (keep->fixed && (keep->status == AFFECT_AFFECTED || keep->status == AFFECT_UNFIXED))
		keep->status = AFFECT_FIXED;
	if (keep->severity == SEV_UNKNOWN) {
		keep->severity = drop->severity;
		keep->severity_source = drop->severity_source;
	}
	if (keep->cvss3 < 0) {
		keep->cvss3 = drop->cvss3;
		keep->cvss3_vector = drop->cvss3_vector;
	}
	if (keep->cvss4 < 0) {
		keep->cvss4 = drop->cvss4;
		keep->cvss4_vector = drop->cvss4_vector;
	}
	if (!keep->kev && drop->kev) {
		keep->kev = true;
		keep->kev_date = drop->kev_date;
	}
	if (!keep->title)
		keep->title = drop->title;
	if (!keep->description)
		keep->description = drop->description;
	if (!keep->published)
		keep->published = drop->published;
	if (!keep->nreferences) {
		keep->references = drop->references;
		keep->nreferences = drop->nreferences;
	}
	keep->source = merge_sources(ar, keep->source, drop->source);
	if (!keep->source)
		return BOSUN_ENOMEM;
	return merge_ids(ar, keep, drop);
}

/* Every finding's id and aliases -> its index + 1. */
static int index_ids(struct strmap *m, const struct vuln_match *v, size_t n)
{
	strmap_free(m);
	for (size_t i = 0; i < n; i++) {
		if (!strmap_get(m, v[i].id))
			TRY(strmap_put(m, v[i].id, (void *)(uintptr_t)(i + 1)));
		for (size_t k = 0; k < v[i].naliases; k++)
			if (!strmap_get(m, v[i].aliases[k]))
				TRY(strmap_put(m, v[i].aliases[k], (void *)(uintptr_t)(i + 1)));
	}
	return BOSUN_OK;
}

/* A pair (erratum i, finding j it fixes), or false. */
static bool find_pair(const struct strmap *m, const struct vuln_match *v, size_t n, size_t *pi, size_t *pj)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t r = 0; v[i].related_fixed && r < v[i].nrelated; r++) {
			uintptr_t j = (uintptr_t)strmap_get(m, v[i].related[r]);
			if (j && j - 1 != i) {
				*pi = i;
				*pj = j - 1;
				return true;
			}
		}
	}
	return false;
}

int match_merge_related(struct arena *ar, const struct version_scheme *s, struct vuln_match *v, size_t *n)
{
	struct strmap ids = { 0 };
	size_t i, j;
	int rc = index_ids(&ids, v, *n);
	/* Merges are rare (two feeds for one distro release): rescan after each. */
	while (rc == BOSUN_OK && find_pair(&ids, v, *n, &i, &j)) {
		size_t keep = i, drop = j;
		if (!v[i].fixed && v[j].fixed)
			keep = j, drop = i;
		rc = absorb(ar, s, &v[keep], &v[drop]);
		if (rc == BOSUN_OK) {
			memmove(&v[drop], &v[drop + 1], (*n - drop - 1) * sizeof *v);
			(*n)--;
			rc = index_ids(&ids, v, *n);
		}
	}
	strmap_free(&ids);
	return rc;
}
