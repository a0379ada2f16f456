/* Severity from the rest of the database, for findings whose own advisory
 * rates nothing. Debian's DSA-only entries carry no urgency and bosun has
 * no NVD feed, so without this most Debian findings are UNKNOWN although
 * Ubuntu, an AlmaLinux erratum or an OSV feed rates the same CVE. The
 * order, and how severity_source names each kind: docs/matching.md. One
 * database query per distinct id per run, cached.
 *
 * A distro's rating of a *row* rates one package: Debian calls
 * CVE-2023-4863 "unimportant" for chromium (it builds against the system
 * libwebp) while libwebp itself is the vulnerable one. So row ratings
 * count only for the finding's own package name; ratings of a whole
 * record (Ubuntu's CVE priority, an erratum's severity) count for all. */
#include "match/match_internal.h"

#include <stdio.h>
#include <string.h>

/* Distinct pieces of evidence kept per id. Rows are folded per (rater,
 * package), so even CVE-2023-44487 (a dozen packages in every release of
 * several distros) needs a few dozen. */
#define MAX_ITEMS 1024
#define MAX_KEYS 64   /* CVE ids looked at for one finding */

struct sev_item {
	enum vulndb_evidence_kind kind;
	const char *by;      /* rater (ratings) or source (scores) */
	const char *package; /* a row rating's package, else NULL */
	bool distro;
	enum vuln_severity sev;
	double score;
};

/* What the database says about one id. */
struct sev_evidence {
	struct sev_item *v;
	size_t n, cap;
};

struct collect {
	struct arena *ar;
	struct sev_evidence *x;
};

static bool same_str(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

/* The item ev would be folded into: one per kind, rater and package. */
static struct sev_item *fold_into(struct sev_evidence *x, const struct vulndb_evidence *ev)
{
	const char *by = ev->kind == VULNDB_EV_RATING ? ev->by : ev->source;
	for (size_t i = 0; i < x->n; i++) {
		struct sev_item *it = &x->v[i];
		if (it->kind == ev->kind && same_str(it->by, by) && same_str(it->package, ev->package))
			return it;
	}
	return NULL;
}

static int on_evidence(const struct vulndb_evidence *ev, void *arg)
{
	struct collect *c = arg;
	struct sev_evidence *x = c->x;
	struct sev_item *old = fold_into(x, ev);
	if (old) {
		if (ev->severity > old->sev)
			old->sev = ev->severity;
		if (ev->score > old->score)
			old->score = ev->score;
		return BOSUN_OK;
	}
	if (x->n == x->cap) {
		if (x->cap == MAX_ITEMS)
			return BOSUN_OK;
		size_t cap = x->cap ? x->cap * 2 : 8;
		struct sev_item *v = arena_alloc(c->ar, cap * sizeof *v);
		if (!v)
			return BOSUN_ENOMEM;
		if (x->n)
			memcpy(v, x->v, x->n * sizeof *v);
		x->v = v;
		x->cap = cap;
	}
	struct sev_item *it = &x->v[x->n];
	*it = (struct sev_item){
		.kind = ev->kind,
		.by = arena_strdup(c->ar, ev->kind == VULNDB_EV_RATING ? ev->by : ev->source),
		.package = arena_strdup(c->ar, ev->package),
		.distro = ev->distro,
		.sev = ev->severity,
		.score = ev->score,
	};
	if (!it->by || (ev->package && !it->package))
		return BOSUN_ENOMEM;
	x->n++;
	return BOSUN_OK;
}

static int evidence_of(struct sev_cache *c, const char *id, const struct sev_evidence **out, struct berr *e)
{
	struct sev_evidence *x = strmap_get(&c->by_id, id);
	if (!x) {
		x = arena_alloc(c->ar, sizeof *x);
		char *key = arena_strdup(c->ar, id);
		if (!x || !key)
			return BOSUN_ENOMEM;
		*x = (struct sev_evidence){ 0 };
		struct collect cc = { c->ar, x };
		TRY(vulndb_severity_evidence(c->db, id, on_evidence, &cc, e));
		TRY(strmap_put(&c->by_id, key, x));
	}
	*out = x;
	return BOSUN_OK;
}

static bool is_cve(const char *id) { return id && strncmp(id, "CVE-", 4) == 0; }

static void add_key(const char **keys, size_t *n, const char *id)
{
	if (!is_cve(id) || *n == MAX_KEYS)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(keys[i], id) == 0)
			return;
	keys[(*n)++] = id;
}

/* The ids whose evidence counts: the finding's CVEs (its id, its aliases,
 * and the CVEs an erratum fixes); the id itself when it has none. */
static size_t evidence_keys(const struct vuln_match *v, const char **keys)
{
	size_t n = 0;
	add_key(keys, &n, v->id);
	for (size_t i = 0; i < v->naliases; i++)
		add_key(keys, &n, v->aliases[i]);
	for (size_t i = 0; v->related_fixed && i < v->nrelated; i++)
		add_key(keys, &n, v->related[i]);
	if (!n)
		keys[n++] = v->id;
	return n;
}

struct rating {
	const char *by;
	enum vuln_severity sev;
};

/* The best of each kind over all keys. */
struct best {
	struct rating own, other, feed, cvss3, cvss4; /* cvss: .by the source */
	double score3, score4;
};

/* A higher rating wins; a tie goes to the rater whose name sorts first, so
 * that the answer does not depend on the store's row order. */
static void keep(struct rating *r, enum vuln_severity sev, const char *by)
{
	if (sev > r->sev || (sev == r->sev && sev != SEV_UNKNOWN && strcmp(by, r->by) < 0))
		*r = (struct rating){ by, sev };
}

static void keep_score(struct rating *r, double *best, double score, const char *by)
{
	if (score > *best || (score == *best && score >= 0 && strcmp(by, r->by) < 0)) {
		*best = score;
		r->by = by;
	}
}

static void fold(struct best *b, const struct sev_evidence *x, const char *own_distro, const char *package)
{
	for (size_t i = 0; i < x->n; i++) {
		const struct sev_item *it = &x->v[i];
		if (it->kind == VULNDB_EV_CVSS3) {
			keep_score(&b->cvss3, &b->score3, it->score, it->by);
		} else if (it->kind == VULNDB_EV_CVSS4) {
			keep_score(&b->cvss4, &b->score4, it->score, it->by);
		} else if (it->package && (!package || strcmp(it->package, package) != 0)) {
			continue; /* another package's rating */
		} else if (!it->distro) {
			keep(&b->feed, it->sev, it->by);
		} else {
			bool own = own_distro && strcmp(it->by, own_distro) == 0;
			keep(own ? &b->own : &b->other, it->sev, it->by);
		}
	}
}

int match_severity_fallback(struct sev_cache *c, const char *own_distro, struct vuln_match *v, struct berr *e)
{
	const char *keys[MAX_KEYS];
	size_t nkeys = evidence_keys(v, keys);
	struct best b = { .score3 = -1, .score4 = -1 };
	for (size_t i = 0; i < nkeys; i++) {
		const struct sev_evidence *x;
		TRY(evidence_of(c, keys[i], &x, e));
		fold(&b, x, own_distro, v->db_package);
	}
	const char *src;
	if (b.own.sev != SEV_UNKNOWN) {
		v->severity = b.own.sev;
		src = b.own.by;
	} else if (b.other.sev != SEV_UNKNOWN) {
		v->severity = b.other.sev;
		src = b.other.by;
	} else if (b.score3 >= 0) {
		v->severity = match_severity_from_score(b.score3);
		src = arena_printf(c->ar, "cvss3:%s", b.cvss3.by);
	} else if (b.score4 >= 0) {
		v->severity = match_severity_from_score(b.score4);
		src = arena_printf(c->ar, "cvss4:%s", b.cvss4.by);
	} else if (b.feed.sev != SEV_UNKNOWN) {
		v->severity = b.feed.sev;
		src = b.feed.by;
	} else {
		return BOSUN_OK;
	}
	if (!src)
		return BOSUN_ENOMEM;
	v->severity_source = src;
	return BOSUN_OK;
}

void match_sev_cache_free(struct sev_cache *c)
{
	strmap_free(&c->by_id);
}
