/* Packages -> advisories. For each installed package: its lookup key
 * (distro.c), every advisory row for (ecosystem, name) from the database,
 * each row evaluated against the version (range.c), then the rows that
 * name one vulnerability under several ids merged into one finding.
 *
 * Images hold many binaries of one source (glibc gives libc6, libc-bin,
 * locales, ...), so a lookup's findings are cached by key and reused, and
 * vulnerability records are fetched once per id. Everything a finding
 * points to lives in the result's arena. */
#include "match/match_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WARNINGS 64 /* distinct warnings kept; the rest are counted */
#define MAX_ECOS 16

/* A vulnerability record, copied out of the database callback. */
struct vinfo {
	const char *id, *summary, *details, *published, *sources;
	enum vuln_severity severity;
	const char *severity_by; /* who gave it (vuln_info.severity_by) */
	const char *cvss3_vector, *cvss4_vector;
	double cvss3, cvss4;
	bool kev;
	const char *kev_date;
	const char **aliases, **refs, **related;
	size_t naliases, nrefs, nrelated;
	bool related_fixed; /* an erratum: its related ids are what it fixes */
	bool multi_cve; /* an advisory fixing several CVEs: its aliases are not one vulnerability */
};

/* One advisory row that affects the looked-up version. */
struct cand {
	const char *id, *fixed, *source, *note;
	enum affect_status status;
	enum vuln_severity row_sev;
	const struct vinfo *info; /* NULL when the database has no record */
	size_t parent;            /* union-find over the candidates of one lookup */
};

struct lookup {
	struct vuln_match *v; /* templates; .pkg is set per package */
	size_t n;
};

struct eco_stat {
	char eco[64];
	size_t lookups, with_rows;
};

struct counter {
	size_t n;
};

struct mctx {
	struct vulndb *db;
	struct match_result *out;
	struct arena *ar;
	struct berr *e;
	struct strmap lookups; /* key -> struct lookup */
	struct strmap vinfos;  /* id -> struct vinfo, or &no_vinfo */
	struct strmap warned;  /* warning text -> non-NULL */
	struct strmap nofeed;  /* reason -> struct counter */
	struct sev_cache sev;  /* severity evidence by id */
	size_t dropped_warnings;
	struct eco_stat ecos[MAX_ECOS];
	size_t necos;
	/* the lookup in progress */
	const struct match_key *k;
	const struct version_scheme *scheme;
	struct cand *cands;
	size_t ncands, capcands;
	struct strmap notaff; /* ids with a not-affected row, for this lookup */
	size_t rows;
};

static const struct vinfo no_vinfo;

/* ---- warnings ------------------------------------------------------------ */

static int add_warning(struct mctx *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_warning(struct mctx *m, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (strmap_get(&m->warned, msg))
		return BOSUN_OK;
	char *s = arena_strdup(m->ar, msg);
	if (!s)
		return BOSUN_ENOMEM;
	TRY(strmap_put(&m->warned, s, s));
	struct match_result *r = m->out;
	if (r->nwarnings >= MAX_WARNINGS) {
		m->dropped_warnings++;
		return BOSUN_OK;
	}
	if (r->nwarnings == r->cap_warnings) {
		size_t cap = r->cap_warnings ? r->cap_warnings * 2 : 8;
		char **w = realloc(r->warnings, cap * sizeof *w);
		if (!w)
			return BOSUN_ENOMEM;
		r->warnings = w;
		r->cap_warnings = cap;
	}
	r->warnings[r->nwarnings++] = s;
	return BOSUN_OK;
}

/* ---- vulnerability records ------------------------------------------------ */

static bool is_cve(const char *id)
{
	return id && strncmp(id, "CVE-", 4) == 0;
}

static const char **copy_strv(struct arena *ar, const char *const *v, size_t n)
{
	const char **out = arena_alloc(ar, (n ? n : 1) * sizeof *out);
	for (size_t i = 0; out && i < n; i++)
		if (!(out[i] = arena_strdup(ar, v[i] ? v[i] : "")))
			return NULL;
	return out;
}

struct vinfo_get {
	struct arena *ar;
	struct vinfo *got;
};

static int on_vuln(const struct vuln_info *v, void *arg)
{
	struct vinfo_get *g = arg;
	struct arena *ar = g->ar;
	/* An id known only as an alias can name several records; the first
	 * (the store's order) stands for it. */
	if (g->got)
		return BOSUN_OK;
	struct vinfo *i = arena_alloc(ar, sizeof *i);
	if (!i)
		return BOSUN_ENOMEM;
	memset(i, 0, sizeof *i);
	i->id = arena_strdup(ar, v->id);
	i->summary = arena_strdup(ar, v->summary);
	i->details = arena_strdup(ar, v->details);
	i->published = arena_strdup(ar, v->published);
	i->sources = arena_strdup(ar, v->sources);
	i->severity = v->severity;
	i->severity_by = arena_strdup(ar, v->severity_by);
	i->cvss3_vector = arena_strdup(ar, v->cvss3_vector);
	i->cvss4_vector = arena_strdup(ar, v->cvss4_vector);
	i->cvss3 = v->cvss3_vector ? v->cvss3_score : -1;
	i->cvss4 = v->cvss4_vector ? v->cvss4_score : -1;
	i->kev = v->kev;
	i->kev_date = arena_strdup(ar, v->kev_date_added);
	i->aliases = copy_strv(ar, v->aliases, v->naliases);
	i->naliases = v->naliases;
	i->refs = copy_strv(ar, v->references, v->nreferences);
	i->nrefs = v->nreferences;
	i->related = copy_strv(ar, v->related, v->nrelated);
	i->nrelated = v->nrelated;
	i->related_fixed = v->related_fixed;
	if (!i->id || !i->aliases || !i->refs || !i->related)
		return BOSUN_ENOMEM;
	size_t cves = is_cve(i->id);
	for (size_t k = 0; k < i->naliases; k++)
		cves += is_cve(i->aliases[k]) && strcmp(i->aliases[k], i->id) != 0;
	i->multi_cve = cves > 1;
	g->got = i;
	return BOSUN_OK;
}

/* The record of id (by id or alias), fetched once per match run. */
static int get_info(struct mctx *m, const char *id, const struct vinfo **out)
{
	const struct vinfo *c = strmap_get(&m->vinfos, id);
	if (!c) {
		struct vinfo_get g = { .ar = m->ar };
		TRY(vulndb_get_vuln(m->db, id, on_vuln, &g, m->e));
		c = g.got ? g.got : &no_vinfo;
		char *key = arena_strdup(m->ar, id);
		if (!key)
			return BOSUN_ENOMEM;
		TRY(strmap_put(&m->vinfos, key, (void *)c));
	}
	*out = c == &no_vinfo ? NULL : c;
	return BOSUN_OK;
}

/* ---- rows of one lookup ----------------------------------------------------- */

/* A modular rpm build: "...module_el8.7.0+3373+..." (AlmaLinux) or
 * "...module+el8.7.0+..." (RHEL). */
static bool is_modular_version(const char *v)
{
	return v && (strstr(v, ".module_") || strstr(v, ".module+"));
}

static bool row_is_modular(const struct affected_row *row)
{
	for (size_t i = 0; i < row->nranges; i++) {
		const struct affect_range *r = &row->ranges[i];
		if (is_modular_version(r->introduced) || is_modular_version(r->fixed) ||
		    is_modular_version(r->last_affected))
			return true;
	}
	for (size_t i = 0; i < row->nversions; i++)
		if (is_modular_version(row->versions[i]))
			return true;
	return false;
}

static int push_notaff(struct mctx *m, const char *id)
{
	if (strmap_get(&m->notaff, id))
		return BOSUN_OK;
	char *key = arena_strdup(m->ar, id);
	return key ? strmap_put(&m->notaff, key, key) : BOSUN_ENOMEM;
}

static struct cand *push_cand(struct mctx *m)
{
	if (m->ncands == m->capcands) {
		size_t cap = m->capcands ? m->capcands * 2 : 32;
		struct cand *v = realloc(m->cands, cap * sizeof *v);
		if (!v)
			return NULL;
		m->cands = v;
		m->capcands = cap;
	}
	struct cand *c = &m->cands[m->ncands++];
	memset(c, 0, sizeof *c);
	c->parent = m->ncands - 1;
	return c;
}

/* The status reported for a row that affects the version: an open
 * "affected" row becomes "fixed" when the range holding the version has a
 * fix; distro statuses (no-dsa, will-not-fix, ...) are kept as they are. */
static enum affect_status derive_status(enum affect_status s, const char *fixed)
{
	if (s == AFFECT_AFFECTED || s == AFFECT_FIXED)
		return fixed ? AFFECT_FIXED : AFFECT_AFFECTED;
	return s;
}

static int on_row(const struct affected_row *row, void *arg)
{
	struct mctx *m = arg;
	const struct match_key *k = m->k;
	m->rows++;
	if (!row->vuln_id)
		return BOSUN_OK;
	if (row->status == AFFECT_NOT_AFFECTED)
		return push_notaff(m, row->vuln_id);
	/* Modular packages only against their stream's advisories (checked
	 * later, with the record's summary); plain packages never against a
	 * module build's. */
	if (strcmp(k->scheme, "rpm") == 0 && row_is_modular(row) != (k->stream != NULL))
		return BOSUN_OK;
	bool affected;
	const char *fixed, *bad;
	int rc = match_row_affects(m->scheme, k->ecosystem, row, k->version, &affected, &fixed, &bad);
	if (rc != BOSUN_OK)
		return BOSUN_OK; /* the installed version was checked before the lookup */
	if (bad)
		TRY(add_warning(m, "%s for %s (%s): advisory version \"%.64s\" is not a valid %s version; range skipped",
				row->vuln_id, k->name, k->ecosystem, bad, k->scheme));
	if (!affected)
		return BOSUN_OK;
	struct cand *c = push_cand(m);
	if (!c)
		return BOSUN_ENOMEM;
	c->id = arena_strdup(m->ar, row->vuln_id);
	c->fixed = arena_strdup(m->ar, fixed);
	c->source = arena_strdup(m->ar, row->source);
	c->note = arena_strdup(m->ar, row->note);
	c->status = derive_status(row->status, fixed);
	c->row_sev = row->severity;
	if (!c->id || (fixed && !c->fixed))
		return BOSUN_ENOMEM;
	return BOSUN_OK;
}

static bool id_not_affected(const struct mctx *m, const char *id)
{
	return strmap_get(&m->notaff, id) != NULL;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '+' || c == '.';
}

/* Whether text names the module stream "name:stream" as a whole word:
 * AlmaLinux module advisories say "nodejs:14 security update" (a sentence's
 * full stop after it still counts). */
static bool names_stream(const char *text, const char *stream)
{
	size_t n = strlen(stream);
	for (const char *p = text ? strstr(text, stream) : NULL; p; p = strstr(p + 1, stream)) {
		bool starts = p == text || !is_name_char(p[-1]);
		bool ends = !is_name_char(p[n]) || (p[n] == '.' && !isalnum((unsigned char)p[n + 1]));
		if (starts && ends)
			return true;
	}
	return false;
}

/* Drops candidates overridden by a not-affected row and, for a modular
 * package, those whose advisory does not name its stream; fetches records. */
static int filter_cands(struct mctx *m)
{
	size_t keep = 0;
	for (size_t i = 0; i < m->ncands; i++) {
		struct cand c = m->cands[i];
		if (id_not_affected(m, c.id))
			continue;
		TRY(get_info(m, c.id, &c.info));
		if (m->k->stream && !(c.info && (names_stream(c.info->summary, m->k->stream))))
			continue;
		c.parent = keep;
		m->cands[keep++] = c;
	}
	m->ncands = keep;
	return BOSUN_OK;
}

/* ---- one vulnerability, several ids ------------------------------------------ */

static size_t uf_find(struct cand *c, size_t i)
{
	while (c[i].parent != i) {
		c[i].parent = c[c[i].parent].parent;
		i = c[i].parent;
	}
	return i;
}

static void uf_union(struct cand *c, size_t a, size_t b)
{
	a = uf_find(c, a);
	b = uf_find(c, b);
	if (a != b)
		c[a > b ? a : b].parent = a < b ? a : b;
}

/* Joins candidate i with every earlier candidate sharing an id with it. */
static int join_ids(struct strmap *seen, struct cand *c, size_t i, const char *id)
{
	void *prev = strmap_get(seen, id);
	if (prev)
		uf_union(c, i, (size_t)(uintptr_t)prev - 1);
	else
		TRY(strmap_put(seen, id, (void *)(uintptr_t)(i + 1)));
	return BOSUN_OK;
}

static int group_cands(struct mctx *m)
{
	struct strmap seen = { 0 };
	int rc = BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && i < m->ncands; i++) {
		const struct cand *c = &m->cands[i];
		rc = join_ids(&seen, m->cands, i, c->id);
		if (rc || !c->info)
			continue;
		rc = join_ids(&seen, m->cands, i, c->info->id);
		/* An advisory fixing several CVEs lists them as aliases, but they
		 * are several vulnerabilities: not a reason to merge. */
		for (size_t k = 0; rc == BOSUN_OK && !c->info->multi_cve && k < c->info->naliases; k++)
			rc = join_ids(&seen, m->cands, i, c->info->aliases[k]);
	}
	strmap_free(&seen);
	return rc;
}

/* ---- building a finding -------------------------------------------------------- */

/* Distinct ids of one group. A real vulnerability has a handful; a group
 * beyond 64 is a feed gone wrong, and the extra ids are left out. */
struct idlist {
	const char *v[64];
	size_t n;
};

static void idlist_add(struct idlist *l, const char *id)
{
	if (!id || !id[0] || l->n == sizeof l->v / sizeof l->v[0])
		return;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], id) == 0)
			return;
	l->v[l->n++] = id;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The id a group is reported under: a CVE when it is one vulnerability
 * with a CVE id, else the lowest advisory id. */
static const char *reported_id(const struct cand *c, const size_t *g, size_t n)
{
	const char *cve = NULL, *own = NULL;
	size_t ncve = 0;
	struct idlist cves = { 0 };
	for (size_t i = 0; i < n; i++) {
		const struct cand *x = &c[g[i]];
		if (!own || strcmp(x->id, own) < 0)
			own = x->id;
		if (is_cve(x->id))
			idlist_add(&cves, x->id);
		if (x->info && !x->info->multi_cve) {
			if (is_cve(x->info->id))
				idlist_add(&cves, x->info->id);
			for (size_t k = 0; k < x->info->naliases; k++)
				if (is_cve(x->info->aliases[k]))
					idlist_add(&cves, x->info->aliases[k]);
		}
	}
	ncve = cves.n;
	for (size_t i = 0; i < cves.n; i++)
		if (!cve || strcmp(cves.v[i], cve) < 0)
			cve = cves.v[i];
	return ncve >= 1 ? cve : own;
}

static int set_aliases(struct mctx *m, struct vuln_match *v, const struct cand *c, const size_t *g, size_t n)
{
	struct idlist l = { 0 };
	for (size_t i = 0; i < n; i++) {
		const struct cand *x = &c[g[i]];
		idlist_add(&l, x->id);
		if (!x->info)
			continue;
		idlist_add(&l, x->info->id);
		for (size_t k = 0; k < x->info->naliases; k++)
			idlist_add(&l, x->info->aliases[k]);
	}
	const char **out = arena_alloc(m->ar, (l.n ? l.n : 1) * sizeof *out);
	if (!out)
		return BOSUN_ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < l.n; i++)
		if (strcmp(l.v[i], v->id) != 0)
			out[k++] = l.v[i];
	qsort(out, k, sizeof *out, cmp_str);
	v->aliases = out;
	v->naliases = k;
	return BOSUN_OK;
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

/* The related ids of the group's records (not the finding's own ids).
 * They stand for the finding only when every record that names any is an
 * erratum (related_fixed); a Go advisory's "similar issues" never do. */
static int set_related(struct mctx *m, struct vuln_match *v, const struct cand *c, const size_t *g, size_t n)
{
	size_t total = 0, k = 0;
	bool fixed = true;
	for (size_t i = 0; i < n; i++)
		total += c[g[i]].info ? c[g[i]].info->nrelated : 0;
	v->related = arena_alloc(m->ar, (total ? total : 1) * sizeof *v->related);
	if (!v->related)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct vinfo *x = c[g[i]].info;
		if (!x || !x->nrelated)
			continue;
		fixed = fixed && x->related_fixed;
		for (size_t r = 0; r < x->nrelated; r++)
			if (!names_id(v, x->related[r]))
				v->related[k++] = x->related[r];
	}
	/* An erratum names a few hundred CVEs at most: sort, then drop repeats. */
	qsort(v->related, k, sizeof *v->related, cmp_str);
	v->nrelated = 0;
	for (size_t i = 0; i < k; i++)
		if (!v->nrelated || strcmp(v->related[v->nrelated - 1], v->related[i]) != 0)
			v->related[v->nrelated++] = v->related[i];
	v->related_fixed = v->nrelated && fixed;
	return BOSUN_OK;
}

static const char *higher(const struct mctx *m, const char *a, const char *b)
{
	int c;
	if (!a)
		return b;
	if (!b || m->scheme->compare(a, b, &c) != BOSUN_OK)
		return a;
	return c >= 0 ? a : b;
}

/* Open statuses in the order one is reported when feeds disagree. */
int match_status_rank(enum affect_status s)
{
	static const enum affect_status order[] = { AFFECT_FIXED,    AFFECT_AFFECTED,    AFFECT_UNFIXED,
						    AFFECT_POSTPONED, AFFECT_NO_DSA,     AFFECT_WONT_FIX,
						    AFFECT_END_OF_LIFE, AFFECT_UNDETERMINED };
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (order[i] == s)
			return (int)i;
	return 99;
}

/* Status, fix and note: a fix from any feed wins (the highest, so that
 * upgrading to it satisfies all of them); else the most open status. */
static void set_status(struct mctx *m, struct vuln_match *v, const struct cand *c, const size_t *g, size_t n)
{
	const struct cand *best = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct cand *x = &c[g[i]];
		if (x->fixed)
			v->fixed = higher(m, v->fixed, x->fixed);
		if (!best || match_status_rank(x->status) < match_status_rank(best->status))
			best = x;
	}
	v->status = best->status;
	v->note = best->note;
	if (v->fixed && v->status != AFFECT_FIXED && (best->status == AFFECT_AFFECTED || best->status == AFFECT_UNFIXED))
		v->status = AFFECT_FIXED;
}

/* The distro name of a key ("debian:12" -> "debian"), NULL for language
 * ecosystems. */
static const char *distro_of(struct arena *ar, const char *eco)
{
	const char *colon = strchr(eco, ':');
	return colon ? arena_strndup(ar, eco, (size_t)(colon - eco)) : NULL;
}

/* The first name of a comma-separated source list. */
static const char *first_source(struct arena *ar, const char *sources)
{
	if (!sources || !sources[0])
		return "feed";
	return arena_strndup(ar, sources, strcspn(sources, ","));
}

/* Severity: the distro's rating for this package, else the feed's own,
 * else the CVSS v3 base score, else v4. */
static int set_severity(struct mctx *m, struct vuln_match *v, const struct vinfo *info, const struct cand *c,
			const size_t *g, size_t n)
{
	enum vuln_severity row = SEV_UNKNOWN, feed = SEV_UNKNOWN;
	const char *row_src = NULL, *feed_src = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct cand *x = &c[g[i]];
		if (x->row_sev > row) {
			row = x->row_sev;
			row_src = x->source;
		}
		if (x->info && x->info->severity > feed) {
			feed = x->info->severity;
			feed_src = x->info->severity_by ? x->info->severity_by : x->info->sources;
		}
	}
	if (info && info->severity != SEV_UNKNOWN) {
		feed = info->severity;
		feed_src = info->severity_by ? info->severity_by : info->sources;
	}
	const char *distro = distro_of(m->ar, m->k->ecosystem);
	if (row != SEV_UNKNOWN) {
		v->severity = row;
		v->severity_source = distro ? distro : first_source(m->ar, row_src);
	} else if (feed != SEV_UNKNOWN) {
		v->severity = feed;
		v->severity_source = first_source(m->ar, feed_src);
	} else if (v->cvss3 >= 0) {
		v->severity = match_severity_from_score(v->cvss3);
		v->severity_source = "cvss3";
	} else if (v->cvss4 >= 0) {
		v->severity = match_severity_from_score(v->cvss4);
		v->severity_source = "cvss4";
	} else {
		v->severity = SEV_UNKNOWN;
		v->severity_source = NULL;
	}
	return v->severity_source || v->severity == SEV_UNKNOWN ? BOSUN_OK : BOSUN_ENOMEM;
}

/* Text fields from the reported record, else from any record of the group. */
static void set_details(struct vuln_match *v, const struct vinfo *info, const struct cand *c, const size_t *g,
			size_t n)
{
	const struct vinfo *src[65];
	size_t ns = 0;
	if (info)
		src[ns++] = info;
	for (size_t i = 0; i < n && ns < 65; i++)
		if (c[g[i]].info)
			src[ns++] = c[g[i]].info;
	v->cvss3 = v->cvss4 = -1;
	for (size_t i = 0; i < ns; i++) {
		const struct vinfo *x = src[i];
		if (!v->title && x->summary && x->summary[0])
			v->title = x->summary;
		if (!v->description && x->details && x->details[0])
			v->description = x->details;
		if (!v->published)
			v->published = x->published;
		if (v->cvss3 < 0 && x->cvss3 >= 0) {
			v->cvss3 = x->cvss3;
			v->cvss3_vector = x->cvss3_vector;
		}
		if (v->cvss4 < 0 && x->cvss4 >= 0) {
			v->cvss4 = x->cvss4;
			v->cvss4_vector = x->cvss4_vector;
		}
		if (!v->kev && x->kev) {
			v->kev = true;
			v->kev_date = x->kev_date;
		}
		if (!v->nreferences && x->nrefs) {
			v->references = x->refs;
			v->nreferences = x->nrefs;
		}
	}
}

/* Comma-joined distinct feed names of the group's rows. */
static const char *join_sources(struct arena *ar, const struct cand *c, const size_t *g, size_t n)
{
	struct idlist l = { 0 };
	for (size_t i = 0; i < n; i++)
		idlist_add(&l, c[g[i]].source);
	qsort(l.v, l.n, sizeof l.v[0], cmp_str);
	struct buf b = { 0 };
	int rc = BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && i < l.n; i++)
		rc = buf_printf(&b, "%s%s", i ? "," : "", l.v[i]);
	const char *s = rc == BOSUN_OK ? arena_strdup(ar, b.data ? b.data : "") : NULL;
	buf_free(&b);
	return s;
}

static int build_finding(struct mctx *m, struct vuln_match *v, const size_t *g, size_t n)
{
	const struct cand *c = m->cands;
	memset(v, 0, sizeof *v);
	v->id = reported_id(c, g, n);
	const struct vinfo *info = NULL;
	TRY(get_info(m, v->id, &info));
	set_details(v, info, c, g, n);
	TRY(set_aliases(m, v, c, g, n));
	TRY(set_related(m, v, c, g, n));
	set_status(m, v, c, g, n);
	v->installed = arena_strdup(m->ar, m->k->version);
	v->ecosystem = arena_strdup(m->ar, m->k->ecosystem);
	v->db_package = arena_strdup(m->ar, m->k->name);
	v->source = join_sources(m->ar, c, g, n);
	if (!v->installed || !v->ecosystem || !v->db_package || !v->source)
		return BOSUN_ENOMEM;
	TRY(set_severity(m, v, info, c, g, n));
	if (v->severity == SEV_UNKNOWN)
		TRY(match_severity_fallback(&m->sev, distro_of(m->ar, m->k->ecosystem), v, m->e));
	return BOSUN_OK;
}

static int cmp_match_id(const void *a, const void *b)
{
	return strcmp(((const struct vuln_match *)a)->id, ((const struct vuln_match *)b)->id);
}

/* Candidates -> findings, one per group. */
static int build_lookup(struct mctx *m, struct lookup *lk)
{
	size_t n = m->ncands;
	lk->v = arena_alloc(m->ar, (n ? n : 1) * sizeof *lk->v);
	size_t *members = malloc((n ? n : 1) * sizeof *members);
	if (!lk->v || !members) {
		free(members);
		return BOSUN_ENOMEM;
	}
	int rc = BOSUN_OK;
	for (size_t root = 0; rc == BOSUN_OK && root < n; root++) {
		if (uf_find(m->cands, root) != root)
			continue;
		size_t k = 0;
		for (size_t i = root; i < n; i++)
			if (uf_find(m->cands, i) == root)
				members[k++] = i;
		rc = build_finding(m, &lk->v[lk->n++], members, k);
	}
	free(members);
	if (rc == BOSUN_OK)
		rc = match_merge_related(m->ar, m->scheme, lk->v, &lk->n);
	qsort(lk->v, lk->n, sizeof *lk->v, cmp_match_id);
	return rc;
}

/* ---- per package -------------------------------------------------------------- */

static struct eco_stat *eco_stat(struct mctx *m, const char *eco)
{
	for (size_t i = 0; i < m->necos; i++)
		if (strcmp(m->ecos[i].eco, eco) == 0)
			return &m->ecos[i];
	if (m->necos == MAX_ECOS)
		return NULL;
	struct eco_stat *s = &m->ecos[m->necos++];
	snprintf(s->eco, sizeof s->eco, "%s", eco);
	s->lookups = s->with_rows = 0;
	return s;
}

/* Whether the scheme parses the installed version at all. */
static bool version_ok(const struct version_scheme *s, const struct match_key *k)
{
	struct affected_row none = { .ecosystem = k->ecosystem };
	bool affected;
	const char *fixed, *bad;
	return match_row_affects(s, k->ecosystem, &none, k->version, &affected, &fixed, &bad) == BOSUN_OK;
}

static int run_lookup(struct mctx *m, const struct match_key *k, struct lookup *lk)
{
	m->k = k;
	m->ncands = m->rows = 0;
	strmap_free(&m->notaff);
	TRY(vulndb_lookup(m->db, k->ecosystem, k->name, on_row, m, m->e));
	struct eco_stat *st = eco_stat(m, k->ecosystem);
	if (st) {
		st->lookups++;
		st->with_rows += m->rows > 0;
	}
	TRY(filter_cands(m));
	TRY(group_cands(m));
	return build_lookup(m, lk);
}

static int count_nofeed(struct mctx *m, const char *why)
{
	struct counter *c = strmap_get(&m->nofeed, why);
	if (!c) {
		char *key = arena_strdup(m->ar, why);
		c = arena_alloc(m->ar, sizeof *c);
		if (!key || !c)
			return BOSUN_ENOMEM;
		c->n = 0;
		TRY(strmap_put(&m->nofeed, key, c));
	}
	c->n++;
	return BOSUN_OK;
}

static int push_match(struct match_result *r, const struct vuln_match *v)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct vuln_match *nv = realloc(r->v, cap * sizeof *nv);
		if (!nv)
			return BOSUN_ENOMEM;
		r->v = nv;
		r->cap = cap;
	}
	r->v[r->n++] = *v;
	return BOSUN_OK;
}

/* The cache key of a lookup: everything its findings depend on. */
static char *lookup_key(struct arena *ar, const struct match_key *k)
{
	return arena_printf(ar, "%s\x1f%s\x1f%s\x1f%s", k->ecosystem, k->name, k->version, k->stream ? k->stream : "");
}

static int match_package(struct mctx *m, const struct os_info *os, const struct package *p, size_t index)
{
	struct match_key k;
	if (!match_key(p, os, &k))
		return count_nofeed(m, k.why ? k.why : "no advisory feed");
	const struct version_scheme *s = version_scheme_find(k.scheme);
	if (!s)
		return add_warning(m, "no version scheme \"%s\": %s packages not matched", k.scheme, k.scheme);
	if (!version_ok(s, &k))
		return add_warning(m, "%s %s: \"%.64s\" is not a valid %s version; not matched", pkg_type_name(p->type),
				   p->name, k.version, k.scheme);
	char *key = lookup_key(m->ar, &k);
	if (!key)
		return BOSUN_ENOMEM;
	struct lookup *lk = strmap_get(&m->lookups, key);
	if (!lk) {
		lk = arena_alloc(m->ar, sizeof *lk);
		if (!lk)
			return BOSUN_ENOMEM;
		memset(lk, 0, sizeof *lk);
		m->scheme = s;
		TRY(run_lookup(m, &k, lk));
		TRY(strmap_put(&m->lookups, key, lk));
	}
	for (size_t i = 0; i < lk->n; i++) {
		struct vuln_match v = lk->v[i];
		v.pkg = index;
		TRY(push_match(m->out, &v));
	}
	return BOSUN_OK;
}

/* Warnings that summarize the run: packages no feed covers, and
 * ecosystems the database has nothing for. */
static int summary_warnings(struct mctx *m)
{
	for (size_t i = 0; i < m->nofeed.cap; i++) {
		const struct strmap_slot *sl = &m->nofeed.slots[i];
		if (sl->key)
			TRY(add_warning(m, "%s (%zu)", sl->key, ((const struct counter *)sl->value)->n));
	}
	for (size_t i = 0; i < m->necos; i++) {
		const struct eco_stat *st = &m->ecos[i];
		/* One package without entries is normal; a whole OS is a release
		 * the database was not built with. */
		if (st->lookups >= 5 && st->with_rows == 0)
			TRY(add_warning(m, "no advisory data for %s in the database (%zu packages looked up, none has an entry)",
					st->eco, st->lookups));
	}
	if (m->dropped_warnings)
		TRY(add_warning(m, "%zu more matching warnings not shown", m->dropped_warnings));
	return BOSUN_OK;
}

static int cmp_final(const void *a, const void *b)
{
	const struct vuln_match *x = a, *y = b;
	if (x->pkg != y->pkg)
		return x->pkg < y->pkg ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* ---- language packages that an OS package installed ------------------------ */

#define DISTRO_TRACKED "language packages installed by an OS package: matched through the distro's advisories"

static int count_row(const struct affected_row *row, void *arg)
{
	(void)row;
	(*(size_t *)arg)++;
	return BOSUN_OK;
}

/* Debian's python3-yaml installs PyYAML's dist-info: the PyPI package found
 * there is the distro's build, patched and tracked by the distro feed under
 * its source package (python-yaml), which the OS package is matched with.
 * Matching it against PyPI advisories too would report each vulnerability
 * twice, once with an upstream fixed version that the distro's backported
 * fix never reaches. So such a package is not matched when its owner is an
 * OS package whose distro feed holds advisory rows for it (the distro
 * tracks it); when the feed has none (or the OS is unknown) the PyPI
 * advisories are the only signal and stay. Only PyPI and gems: there the
 * distro package is the upstream code itself, while binaries and archives
 * can embed code the distro does not track. */
static int tracked_by_distro(struct mctx *m, const struct artifact *a, const struct package *p, bool *tracked)
{
	*tracked = false;
	if ((p->type != PKG_PYPI && p->type != PKG_GEM) || !p->owner)
		return BOSUN_OK;
	const struct package *owner = NULL;
	for (size_t i = 0; i < a->npkgs && !owner; i++)
		if (pkg_type_is_os(a->pkgs[i].type) && strcmp(a->pkgs[i].name, p->owner) == 0)
			owner = &a->pkgs[i];
	struct match_key k;
	if (!owner || !match_key(owner, &a->os, &k))
		return BOSUN_OK;
	size_t rows = 0;
	TRY(vulndb_lookup(m->db, k.ecosystem, k.name, count_row, &rows, m->e));
	*tracked = rows > 0;
	return BOSUN_OK;
}

int match_artifact(struct vulndb *db, const struct artifact *a, struct match_result *out, struct berr *e)
{
	memset(out, 0, sizeof *out);
	struct mctx m = { .db = db, .out = out, .ar = &out->arena, .e = e, .sev = { .db = db, .ar = &out->arena } };
	int rc = BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && i < a->npkgs; i++) {
		bool by_distro = false;
		rc = tracked_by_distro(&m, a, &a->pkgs[i], &by_distro);
		if (rc == BOSUN_OK)
			rc = by_distro ? count_nofeed(&m, DISTRO_TRACKED) : match_package(&m, &a->os, &a->pkgs[i], i);
	}
	if (rc == BOSUN_OK)
		rc = summary_warnings(&m);
	if (rc == BOSUN_OK && out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_final);
	strmap_free(&m.lookups);
	strmap_free(&m.vinfos);
	strmap_free(&m.warned);
	strmap_free(&m.nofeed);
	match_sev_cache_free(&m.sev);
	free(m.cands);
	strmap_free(&m.notaff);
	if (rc != BOSUN_OK) {
		if (rc == BOSUN_ENOMEM)
			berr_set(e, rc, "matching: out of memory");
		match_result_free(out);
	}
	return rc;
}

void match_result_free(struct match_result *r)
{
	free(r->v);
	free(r->warnings);
	arena_free(&r->arena);
	memset(r, 0, sizeof *r);
}
