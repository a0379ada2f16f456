/* Node.js security working group, vuln/ (its own JSON, not OSV):
 *
 *   npm/<id>.json   legacy npm advisories, NSWG-ECO-<id>: module_name,
 *                   vulnerable_versions and patched_versions as npm ranges.
 *   core/<n>.json   Node.js itself, NSWG-COR-<n>: vulnerable/patched ranges
 *                   over Node.js release lines, ecosystem "nodejs-runtime",
 *                   package "node".
 *
 * index.json in each folder repeats the files and is skipped; deps/ states
 * that Node.js is *not* affected by CVEs of its bundled libraries, which
 * bosun has no package to attach to, so it is skipped too.
 *
 * Affected = vulnerable and not patched: the feed's vulnerable lists are
 * coarse ("8.x", or overlapping "<2.0.18 || <3.0.16") and its patched lists
 * say which releases of each line carry the fix. Details: docs/feeds-lang.md. */
#include <stdio.h>
#include <string.h>

#include "util/json.h"
#include "version/version.h"
#include "vulndb/feedfs.h"
#include "vulndb/lang_feed.h"

#define JSON_MAX_DEPTH 16

/* Environments a Linux container can be (core's affectedEnvironments). */
static bool env_applies(const char *env) { return strcmp(env, "all") == 0 || strcmp(env, "linux") == 0; }

/* The file name without directory and ".json": the advisory number. */
static int file_number(struct lang_doc *d, const char **out)
{
	const char *base = strrchr(d->file, '/');
	base = base ? base + 1 : d->file;
	size_t n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".json") == 0)
		n -= 5;
	for (size_t i = 0; i < n; i++)
		if (base[i] < '0' || base[i] > '9')
			n = 0;
	if (n == 0 || n > 12)
		return lang_error(d, BOSUN_EFORMAT, NULL, "expected a numbered file (N.json)");
	*out = arena_strndup(&d->arena, base, n);
	return *out ? BOSUN_OK : lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
}

/* vulnerable minus patched, each an npm range (patched may be absent). */
static int affected_set(struct lang_doc *d, const struct cr_ctx *c, const char *vkey, const char *vuln,
			const char *pkey, const char *patched, struct cr_set *out)
{
	struct cr_set v, p, notp;
	int rc = cr_parse(c, vuln, &v, d->e);
	if (rc != BOSUN_OK)
		return lang_error(d, rc, vkey, "%s", d->e->msg);
	if (!patched) {
		*out = v;
		return BOSUN_OK;
	}
	rc = cr_parse(c, patched, &p, d->e);
	if (rc == BOSUN_OK)
		rc = cr_complement(c, &p, &notp, d->e);
	if (rc == BOSUN_OK)
		rc = cr_intersect(c, &v, &notp, out, d->e);
	if (rc != BOSUN_OK)
		return lang_error(d, rc, pkey, "%s", d->e->msg);
	return BOSUN_OK;
}

static int npm_ctx(struct lang_doc *d, struct cr_ctx *c)
{
	const struct version_scheme *vs = version_scheme_find("npm");
	if (!vs)
		return lang_error(d, BOSUN_EUNSUPPORTED, NULL, "no npm version scheme");
	*c = (struct cr_ctx){ CR_NPM, vs->compare, &d->arena };
	return BOSUN_OK;
}

/* npm package names: at most 214 characters of the URL-safe set, with an
 * optional @scope/ (legacy names may have capitals). */
static bool npm_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 214)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      strchr("-._~@/!*'()", ch)))
			return false;
	}
	return true;
}

static const char *vuln_text(struct lang_doc *d, const char *overview, const char *recommendation)
{
	if (!recommendation || !*recommendation)
		return overview;
	return arena_printf(&d->arena, "%s\n\nRecommendation: %s", overview ? overview : "", recommendation);
}

/* ---- npm ---------------------------------------------------------------- */

static int npm_advisory(struct lang_doc *d, const json_t *root)
{
	TRY(lang_need_object(d, root));
	const json_t *idv = json_object_get(root, "id");
	if (!json_is_integer(idv) || json_integer_value(idv) < 0)
		return lang_error(d, BOSUN_EFORMAT, "id", "expected a number");
	const char *module, *title, *overview, *rec, *vuln, *patched, *published, *updated, *vector;
	TRY(lang_str(d, root, "module_name", true, &module));
	if (!npm_name(module))
		return lang_error(d, BOSUN_EFORMAT, "module_name", "not an npm package name");
	TRY(lang_str(d, root, "title", true, &title));
	TRY(lang_str(d, root, "overview", false, &overview));
	TRY(lang_str(d, root, "recommendation", false, &rec));
	TRY(lang_str(d, root, "vulnerable_versions", true, &vuln));
	TRY(lang_str(d, root, "patched_versions", false, &patched));
	TRY(lang_str(d, root, "publish_date", false, &published));
	TRY(lang_str(d, root, "updated_at", false, &updated));
	TRY(lang_str(d, root, "cvss_vector", false, &vector));
	const char **cves, **refs;
	size_t ncves, nrefs;
	TRY(lang_str_list(d, root, "cves", false, &cves, &ncves));
	TRY(lang_str_list(d, root, "references", false, &refs, &nrefs));
	double score;
	bool has_score;
	TRY(lang_number(d, root, "cvss_score", &score, &has_score));
	lang_note_date(d->run, published);
	lang_note_date(d->run, updated);
	const char *id = arena_printf(&d->arena, "NSWG-ECO-%lld", (long long)json_integer_value(idv));
	if (!id)
		return lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
	struct vuln_record v = {
		.id = id,
		.summary = title,
		.details = vuln_text(d, overview, rec),
		.published = published,
		.modified = updated,
		.severity = has_score ? lang_severity_of_score(score, false) : SEV_UNKNOWN,
		.aliases = cves,
		.naliases = ncves,
		.references = refs,
		.nreferences = nrefs,
	};
	lang_cvss_vectors(vector, &v.cvss3_vector, &v.cvss4_vector);
	TRY(lang_put_vuln(d, &v));
	struct cr_ctx c;
	struct cr_set set;
	TRY(npm_ctx(d, &c));
	TRY(affected_set(d, &c, "vulnerable_versions", vuln, "patched_versions", patched, &set));
	struct lang_affected a = {
		.vuln_id = id, .ecosystem = "npm", .package = module, .cr = &c, .set = &set, .constraint = vuln,
	};
	return lang_put_affected(d, &a);
}

/* ---- core --------------------------------------------------------------- */

static enum vuln_severity core_severity(const char *s)
{
	enum vuln_severity sev = SEV_UNKNOWN;
	if (s && vuln_severity_parse(s, &sev) != BOSUN_OK)
		sev = SEV_UNKNOWN; /* "unknown" and anything new */
	return sev;
}

/* The first line of s, in the arena. */
static const char *first_line(struct lang_doc *d, const char *s)
{
	if (!s)
		return NULL;
	struct slice rest = slice_cstr(s), line = { NULL, 0 };
	while (slice_next_line(&rest, &line) && slice_trim(line).n == 0)
		;
	line = slice_trim(line);
	return line.n ? arena_slice(&d->arena, line) : NULL;
}

static int core_advisory(struct lang_doc *d, const json_t *root)
{
	TRY(lang_need_object(d, root));
	const char *num, *vuln, *patched, *desc, *overview, *ref, *sev, *published, *vector;
	TRY(file_number(d, &num));
	TRY(lang_str(d, root, "vulnerable", true, &vuln));
	TRY(lang_str(d, root, "patched", false, &patched));
	TRY(lang_str(d, root, "description", false, &desc));
	TRY(lang_str(d, root, "overview", false, &overview));
	TRY(lang_str(d, root, "ref", false, &ref));
	TRY(lang_str(d, root, "severity", false, &sev));
	TRY(lang_str(d, root, "publish_date", false, &published));
	TRY(lang_str(d, root, "cvss", false, &vector));
	const char **cves, **envs;
	size_t ncves, nenvs;
	TRY(lang_str_list(d, root, "cve", false, &cves, &ncves));
	TRY(lang_str_list(d, root, "affectedEnvironments", false, &envs, &nenvs));
	lang_note_date(d->run, published);
	const char *id = arena_printf(&d->arena, "NSWG-COR-%s", num);
	if (!id)
		return lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
	const char *refs[1] = { ref };
	struct vuln_record v = {
		.id = id,
		.summary = desc ? first_line(d, desc) : first_line(d, overview),
		.details = overview,
		.published = published,
		.severity = core_severity(sev),
		.aliases = cves,
		.naliases = ncves,
		.references = refs,
		.nreferences = ref ? 1 : 0,
	};
	lang_cvss_vectors(vector, &v.cvss3_vector, &v.cvss4_vector);
	TRY(lang_put_vuln(d, &v));
	bool applies = nenvs == 0;
	for (size_t i = 0; i < nenvs; i++)
		applies = applies || env_applies(envs[i]);
	if (!applies) {
		d->run->st->skipped++; /* win32 only, say: not in a Linux image */
		return BOSUN_OK;
	}
	struct cr_ctx c;
	struct cr_set set;
	TRY(npm_ctx(d, &c));
	TRY(affected_set(d, &c, "vulnerable", vuln, "patched", patched, &set));
	struct lang_affected a = {
		.vuln_id = id,
		.ecosystem = "nodejs-runtime",
		.package = "node",
		.cr = &c,
		.set = &set,
		.constraint = vuln,
		.note = nenvs == 1 && strcmp(envs[0], "linux") == 0 ? "affected environments: linux" : NULL,
	};
	return lang_put_affected(d, &a);
}

typedef int (*advisory_fn)(struct lang_doc *d, const json_t *root);

static int parse_json(struct lang_run *run, const char *file, const char *data, size_t n, advisory_fn fn,
		      struct berr *e)
{
	struct berr local;
	if (!e)
		e = &local;
	struct lang_doc d = { run, file, data, n, { 0 }, e };
	json_t *root = NULL;
	int rc = json_parse_bounded(data, n, JSON_MAX_DEPTH, file, &root, e);
	if (rc == BOSUN_OK)
		rc = fn(&d, root);
	json_decref(root);
	arena_free(&d.arena);
	return rc;
}

int nodejs_parse_npm(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e)
{
	return parse_json(run, file, data, n, npm_advisory, e);
}

int nodejs_parse_core(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e)
{
	return parse_json(run, file, data, n, core_advisory, e);
}

static bool nodejs_detect(const char *dir)
{
	char p[4096];
	return feed_join(p, sizeof p, dir, "npm/index.json", NULL) == BOSUN_OK && feed_is_file(p) &&
	       feed_join(p, sizeof p, dir, "core/index.json", NULL) == BOSUN_OK && feed_is_file(p);
}

static int nodejs_import(struct vulndb *db, const char *dir, struct import_stats *st, struct berr *e)
{
	static const char *const json[] = { ".json", NULL };
	static const struct lang_part parts[] = {
		{ "npm", json, nodejs_parse_npm, "index.json" },
		{ "core", json, nodejs_parse_core, "index.json" },
	};
	return lang_import(db, dir, "nodejs-security-wg", "MIT", parts, 2, st, e);
}

const struct importer importer_nodejs = { "nodejs", nodejs_detect, nodejs_import };
