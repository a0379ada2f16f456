/* Policy over matches and findings, and what the four report writers
 * share. The order of decisions is fixed and documented
 * (docs/matching.md#gating): the severity and status filters first (the
 * user asked not to see those), then the ignore file, then VEX; what is
 * left is reported and gates. Secrets, malware and misconfigurations go
 * through the same steps that apply to them: --severity, then the ignore
 * file (they have no fix and no status, and VEX speaks of vulnerabilities). */
#define SBOM_WRITER_INTERNAL
#define REPORT_WRITER_INTERNAL
#include "report/report.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sbom/purl.h"

/* ---- option lists ----------------------------------------------------------- */

/* Next comma-separated word of *s into w; false at the end. */
static bool next_word(const char **s, char *w, size_t cap)
{
	while (**s == ',' || **s == ' ')
		(*s)++;
	if (!**s)
		return false;
	size_t n = strcspn(*s, ", ");
	snprintf(w, cap, "%.*s", (int)n, *s);
	*s += n;
	return true;
}

int report_parse_severities(const char *list, unsigned *out, struct berr *e)
{
	*out = 0;
	char w[32];
	for (const char *s = list ? list : ""; next_word(&s, w, sizeof w);) {
		enum vuln_severity sev;
		if (strcasecmp(w, "unknown") == 0)
			sev = SEV_UNKNOWN;
		else if (strcasecmp(w, "negligible") == 0)
			sev = SEV_NEGLIGIBLE;
		else if (vuln_severity_parse(w, &sev) != BOSUN_OK)
			return berr_set(e, BOSUN_EUSAGE,
					"unknown severity \"%s\" (one of UNKNOWN, NEGLIGIBLE, LOW, MEDIUM, HIGH, CRITICAL)", w);
		*out |= 1u << sev;
	}
	if (!*out)
		return berr_set(e, BOSUN_EUSAGE, "--severity needs at least one severity");
	return BOSUN_OK;
}

/* Lower-case, '-' as '_': "Will-Not-Fix" -> "will_not_fix". */
static void norm_status(char *w)
{
	for (; *w; w++)
		*w = *w == '-' ? '_' : (char)tolower((unsigned char)*w);
}

static const struct {
	const char *name;
	enum affect_status s;
} status_words[] = {
	{ "fixed", AFFECT_FIXED },          { "affected", AFFECT_AFFECTED },
	{ "unfixed", AFFECT_UNFIXED },      { "will_not_fix", AFFECT_WONT_FIX },
	{ "wont_fix", AFFECT_WONT_FIX },    { "ignored", AFFECT_WONT_FIX },
	{ "no_dsa", AFFECT_NO_DSA },        { "postponed", AFFECT_POSTPONED },
	{ "deferred", AFFECT_POSTPONED },   { "end_of_life", AFFECT_END_OF_LIFE },
	{ "eol", AFFECT_END_OF_LIFE },      { "undetermined", AFFECT_UNDETERMINED },
	{ "needs_triage", AFFECT_UNDETERMINED },
};

int report_parse_statuses(const char *list, unsigned *out, struct berr *e)
{
	*out = 0;
	char w[32];
	for (const char *s = list ? list : ""; next_word(&s, w, sizeof w);) {
		norm_status(w);
		bool found = false;
		for (size_t i = 0; i < sizeof status_words / sizeof status_words[0]; i++)
			if (strcmp(w, status_words[i].name) == 0) {
				*out |= 1u << status_words[i].s;
				found = true;
			}
		/* The database's own names, whatever they are. */
		for (int st = 0; !found && st <= AFFECT_UNDETERMINED; st++) {
			char name[32];
			snprintf(name, sizeof name, "%s", affect_status_name((enum affect_status)st));
			norm_status(name);
			if (strcmp(w, name) == 0) {
				*out |= 1u << st;
				found = true;
			}
		}
		if (!found)
			return berr_set(e, BOSUN_EUSAGE,
					"unknown status \"%s\" (one of fixed, affected, unfixed, will_not_fix, no_dsa, "
					"postponed, end_of_life, undetermined)",
					w);
	}
	return BOSUN_OK;
}

/* ---- shared helpers ------------------------------------------------------------ */

const char *report_severity_lower(enum vuln_severity s)
{
	switch (s) {
	case SEV_CRITICAL: return "critical";
	case SEV_HIGH: return "high";
	case SEV_MEDIUM: return "medium";
	case SEV_LOW: return "low";
	case SEV_NEGLIGIBLE: return "negligible";
	default: return "unknown";
	}
}

const struct layer_info *report_pkg_layer(const struct vuln_report *r, const struct package *p)
{
	if (p->layer < 0 || (size_t)p->layer >= r->a->nlayers)
		return NULL;
	return &r->a->layers[p->layer];
}

const struct layer_info *report_item_layer(const struct vuln_report *r, const struct finding *f)
{
	if (f->layer < 0 || (size_t)f->layer >= r->a->nlayers)
		return NULL;
	return &r->a->layers[f->layer];
}

const char *report_kind_plural(enum finding_kind k)
{
	switch (k) {
	case FINDING_KIND_SECRET: return "secrets";
	case FINDING_KIND_MALWARE: return "malware";
	case FINDING_KIND_MISCONFIG: return "misconfigurations";
	default: return "findings";
	}
}

const char *report_kind_title(enum finding_kind k)
{
	switch (k) {
	case FINDING_KIND_SECRET: return "Secrets";
	case FINDING_KIND_MALWARE: return "Malware";
	case FINDING_KIND_MISCONFIG: return "Misconfigurations";
	default: return "Findings";
	}
}

char *report_clean(struct arena *ar, const char *s, size_t max)
{
	if (!s)
		return NULL;
	struct buf b = { 0 };
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), chars = 0;
	int rc = BOSUN_OK;
	for (size_t i = 0; i < len && rc == BOSUN_OK;) {
		if (max && chars == max) {
			rc = buf_append(&b, "...", 3);
			break;
		}
		size_t n = sbom_utf8_seq(p + i, len - i);
		bool c0 = n == 1 && (p[i] < 0x20 || p[i] == 0x7f);
		bool c1 = n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0;
		if (n == 1 && (p[i] == '\n' || p[i] == '\t'))
			rc = buf_append(&b, " ", 1); /* one-line cells */
		else if (n == 0 || c0 || c1)
			rc = buf_append(&b, "?", 1);
		else
			rc = buf_append(&b, p + i, n);
		i += n ? n : 1;
		chars++;
	}
	char *out = rc == BOSUN_OK ? arena_strndup(ar, b.data ? b.data : "", b.len) : NULL;
	buf_free(&b);
	return out;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

char *report_datetime(struct arena *ar, const char *s)
{
	if (!s || strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return NULL;
	if (s[10] == '\0')
		return arena_printf(ar, "%.10sT00:00:00Z", s);
	if (s[10] != 'T' || strlen(s) < 19 || !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
	    s[16] != ':' || !digits(s + 17, 2))
		return NULL;
	const char *z = s + 19;
	if (*z == '.') {
		z++;
		while (isdigit((unsigned char)*z))
			z++;
	}
	if (*z == '\0')
		return arena_printf(ar, "%.*sZ", (int)(z - s), s);
	if ((z[0] == 'Z' && !z[1]) ||
	    ((z[0] == '+' || z[0] == '-') && strlen(z) == 6 && digits(z + 1, 2) && z[3] == ':' && digits(z + 4, 2)))
		return arena_strdup(ar, s);
	return NULL;
}

/* The page that describes id best for this ecosystem. */
static const char *primary_url(struct arena *ar, const struct vuln_match *m)
{
	const char *id = m->id, *eco = m->ecosystem ? m->ecosystem : "";
	if (strncmp(id, "CVE-", 4) == 0 || strncmp(id, "DSA-", 4) == 0 || strncmp(id, "DLA-", 4) == 0) {
		if (strncmp(eco, "debian:", 7) == 0)
			return arena_printf(ar, "https://security-tracker.debian.org/tracker/%s", id);
		if (strncmp(eco, "ubuntu:", 7) == 0)
			return arena_printf(ar, "https://ubuntu.com/security/%s", id);
		if (strncmp(eco, "alpine:", 7) == 0)
			return arena_printf(ar, "https://security.alpinelinux.org/vuln/%s", id);
		if (strncmp(id, "CVE-", 4) == 0)
			return arena_printf(ar, "https://nvd.nist.gov/vuln/detail/%s", id);
	}
	/* ALSA-2023:0050 -> https://errata.almalinux.org/8/ALSA-2023-0050.html */
	if ((strncmp(id, "ALSA-", 5) == 0 || strncmp(id, "ALBA-", 5) == 0 || strncmp(id, "ALEA-", 5) == 0) &&
	    strncmp(eco, "almalinux:", 10) == 0) {
		char *u = arena_printf(ar, "https://errata.almalinux.org/%s/%s.html", eco + 10, id);
		for (char *c = u ? strrchr(u, '/') : NULL; c && *c; c++)
			if (*c == ':')
				*c = '-';
		return u;
	}
	if (strncmp(id, "GHSA-", 5) == 0)
		return arena_printf(ar, "https://github.com/advisories/%s", id);
	if (strncmp(id, "GO-", 3) == 0)
		return arena_printf(ar, "https://pkg.go.dev/vuln/%s", id);
	if (strncmp(id, "RUSTSEC-", 8) == 0)
		return arena_printf(ar, "https://rustsec.org/advisories/%s.html", id);
	if (m->nreferences && strncmp(m->references[0], "http", 4) == 0)
		return m->references[0];
	return arena_printf(ar, "https://osv.dev/vulnerability/%s", id);
}

/* ---- policy ------------------------------------------------------------------- */

struct subject_ctx {
	const char *target_ids[64];
	size_t n;
};

static void target_ids(const struct artifact *a, struct subject_ctx *t)
{
	const char *cand[] = { a->image_id, a->manifest_digest, a->name, a->target };
	for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
		if (cand[i] && cand[i][0])
			t->target_ids[t->n++] = cand[i];
	for (size_t i = 0; i < a->nrepo_tags && t->n < 64; i++)
		t->target_ids[t->n++] = a->repo_tags[i];
}

static enum finding_state decide(const struct report_policy *p, const struct subject_ctx *t,
				 struct report_finding *f)
{
	const struct vuln_match *m = f->m;
	/* an erratum also stands for the CVEs it fixes (docs/matching.md) */
	const char *const *related = m->related_fixed ? (const char *const *)m->related : NULL;
	size_t nrelated = m->related_fixed ? m->nrelated : 0;
	if (p->vex) {
		struct vex_subject subj = { .id = m->id, .aliases = m->aliases, .naliases = m->naliases,
					    .related = related, .nrelated = nrelated,
					    .purl = f->purl, .target_ids = t->target_ids, .ntarget_ids = t->n };
		f->vex = vex_find(p->vex, &subj);
	}
	if (p->severities && !(p->severities & (1u << m->severity)))
		return FINDING_FILTERED;
	if (p->ignore_unfixed && !m->fixed)
		return FINDING_FILTERED;
	if (p->statuses & (1u << m->status))
		return FINDING_FILTERED;
	f->ignore = ignore_match_related(p->ignores, m->id, m->aliases, m->naliases, related, nrelated, f->purl,
					 f->pkg->found_in);
	if (f->ignore)
		return FINDING_IGNORED;
	if (vex_suppresses(f->vex))
		return FINDING_VEX;
	return FINDING_REPORTED;
}

static int push_warning(struct vuln_report *r, size_t *cap, const char *s)
{
	if (!s)
		return BOSUN_ENOMEM;
	if (r->nwarnings == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		char **w = realloc(r->warnings, nc * sizeof *w);
		if (!w)
			return BOSUN_ENOMEM;
		r->warnings = w;
		*cap = nc;
	}
	r->warnings[r->nwarnings++] = (char *)s;
	return BOSUN_OK;
}

/* What an ignore entry is about, in a few words: its id, else its first
 * purl, path, object or namespace. */
static const char *entry_label(const struct ignore_entry *en)
{
	if (en->id)
		return en->id;
	if (en->npurls)
		return en->purls[0];
	if (en->npaths)
		return en->paths[0];
	if (en->nobjects)
		return en->objects[0];
	return en->nnamespaces ? en->namespaces[0] : "entry";
}

static int collect_warnings(struct vuln_report *r, const struct ignore_list *ig)
{
	size_t cap = 0;
	for (size_t i = 0; i < r->mr->nwarnings; i++)
		TRY(push_warning(r, &cap, r->mr->warnings[i]));
	for (size_t i = 0; ig && i < ig->n; i++) {
		const struct ignore_entry *en = &ig->v[i];
		if (!en->expired)
			continue;
		const char *what = entry_label(en);
		/* "entry 3" in vulnerabilities:, "secrets entry 3" in the other sections */
		bool vulns = en->scope == IGNORE_SCOPE_VULNERABILITIES || en->scope == IGNORE_SCOPE_ANY;
		TRY(push_warning(r, &cap,
				 ig->yaml ? arena_printf(&r->arena,
							 "ignore file %s: %s%sentry %zu (%s) expired on %s and no longer suppresses",
							 ig->path, vulns ? "" : ignore_scope_name(en->scope), vulns ? "" : " ",
							 en->line, what, en->expires)
					  : arena_printf(&r->arena,
							 "ignore file %s:%zu: %s expired on %s and no longer suppresses",
							 ig->path, en->line, what, en->expires)));
	}
	return BOSUN_OK;
}

static enum vuln_severity clamp_severity(enum vuln_severity s)
{
	return (unsigned)s < SEV_COUNT ? s : SEV_UNKNOWN;
}

/* Secrets, malware and misconfigurations: --severity, then the ignore file. */
static int build_items(const struct report_policy *p, struct vuln_report *r)
{
	const struct finding_list *fl = &r->a->findings;
	r->finding_kinds = p->finding_kinds & ((1u << FINDING_KIND_COUNT) - 1);
	if (!fl->n)
		return BOSUN_OK;
	if (!(r->items = calloc(fl->n, sizeof *r->items)))
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < fl->n; i++) {
		const struct finding *f = &fl->v[i];
		struct report_item *it = &r->items[r->nitems++];
		it->f = f;
		enum vuln_severity sev = clamp_severity(f->severity);
		if (p->severities && !(p->severities & (1u << sev)))
			it->state = FINDING_FILTERED;
		else if ((it->ignore = ignore_match_finding(p->ignores, f)))
			it->state = FINDING_IGNORED;
		else
			it->state = FINDING_REPORTED;
		struct report_counts *k = (unsigned)f->kind < FINDING_KIND_COUNT ? &r->kinds[f->kind] : NULL;
		if (k)
			r->finding_kinds |= 1u << f->kind;
		switch (it->state) {
		case FINDING_REPORTED:
			r->reported++;
			r->by_severity[sev]++;
			if (k) {
				k->reported++;
				k->by_severity[sev]++;
			}
			break;
		case FINDING_FILTERED:
			r->filtered++;
			if (k)
				k->filtered++;
			break;
		default:
			r->ignored++;
			if (k)
				k->ignored++;
			break;
		}
	}
	return BOSUN_OK;
}

static int build(const struct report_policy *p, struct vuln_report *r)
{
	const struct artifact *a = r->a;
	struct subject_ctx t = { .n = 0 };
	target_ids(a, &t);
	r->f = calloc(r->mr->n ? r->mr->n : 1, sizeof *r->f);
	bool *vuln_pkg = calloc(a->npkgs ? a->npkgs : 1, sizeof *vuln_pkg);
	if (!r->f || !vuln_pkg) {
		free(vuln_pkg);
		return BOSUN_ENOMEM;
	}
	for (size_t i = 0; i < r->mr->n; i++) {
		const struct vuln_match *m = &r->mr->v[i];
		struct report_finding *f = &r->f[r->n++];
		f->m = m;
		f->pkg = &a->pkgs[m->pkg];
		f->purl = f->pkg->purl ? f->pkg->purl : purl_for_package(&r->arena, f->pkg, &a->os);
		f->url = primary_url(&r->arena, m);
		if (!f->purl || !f->url) {
			free(vuln_pkg);
			return BOSUN_ENOMEM;
		}
		f->state = decide(p, &t, f);
		switch (f->state) {
		case FINDING_REPORTED:
			r->reported++;
			r->by_severity[m->severity < SEV_COUNT ? m->severity : SEV_UNKNOWN]++;
			if (!vuln_pkg[m->pkg]) {
				vuln_pkg[m->pkg] = true;
				r->vulnerable_pkgs++;
			}
			break;
		case FINDING_FILTERED: r->filtered++; break;
		case FINDING_IGNORED: r->ignored++; break;
		case FINDING_VEX: r->vexed++; break;
		}
	}
	free(vuln_pkg);
	r->vulns = (struct report_counts){ .reported = r->reported, .filtered = r->filtered, .ignored = r->ignored };
	memcpy(r->vulns.by_severity, r->by_severity, sizeof r->by_severity);
	TRY(build_items(p, r));
	return collect_warnings(r, p->ignores);
}

int report_build(const struct artifact *a, const struct match_result *mr, const struct report_db *db,
		 const struct report_policy *p, struct vuln_report *out, struct berr *e)
{
	/* No vulnerability scan ran: an empty result (report.h: vulns_scanned). */
	static const struct match_result no_matches;
	memset(out, 0, sizeof *out);
	out->a = a;
	out->vulns_scanned = mr != NULL;
	out->mr = mr ? mr : &no_matches;
	out->db = db;
	out->ignores = p->ignores;
	int rc = build(p, out);
	if (rc != BOSUN_OK) {
		report_free(out);
		return berr_set(e, rc, "building the report: %s", bosun_strerror(rc));
	}
	return BOSUN_OK;
}

void report_free(struct vuln_report *r)
{
	free(r->f);
	free(r->items);
	free(r->warnings);
	arena_free(&r->arena);
	memset(r, 0, sizeof *r);
}

/* ---- formats ------------------------------------------------------------------- */

static const char *const format_names[REPORT_FORMAT_COUNT] = {
	[REPORT_TABLE] = "table",
	[REPORT_JSON] = "json",
	[REPORT_SARIF] = "sarif",
	[REPORT_CYCLONEDX] = "cyclonedx",
};

int report_format_parse(const char *name, enum report_format *out)
{
	for (int f = 0; name && f < REPORT_FORMAT_COUNT; f++)
		if (strcmp(name, format_names[f]) == 0) {
			*out = (enum report_format)f;
			return BOSUN_OK;
		}
	return BOSUN_EUSAGE;
}

const char *report_format_names(void) { return "table, json, sarif, cyclonedx"; }

int report_write(const struct vuln_report *r, enum report_format f, const struct sbom_options *o, FILE *out,
		 struct berr *e)
{
	switch (f) {
	case REPORT_TABLE: return report_write_table(r, out, e);
	case REPORT_JSON: return report_write_json(r, o, out, e);
	case REPORT_SARIF: return report_write_sarif(r, out, e);
	case REPORT_CYCLONEDX: return report_write_cyclonedx(r, o, out, e);
	default: return berr_set(e, BOSUN_EUSAGE, "unknown report format %d", (int)f);
	}
}
