/* RubySec ruby-advisory-db: gems/<gem>/ADVISORY.yml and
 * rubies/<engine>/ADVISORY.yml, YAML with patched_versions and
 * unaffected_versions as lists of Gem::Requirement strings.
 *
 * Affected = neither patched nor unaffected, as bundler-audit decides.
 * Gems are ecosystem "rubygems"; the interpreters under rubies/ (ruby, jruby,
 * mruby, mrubyc, rbx) are "ruby-runtime", package = the engine name: they
 * are not gems, and a RubyGems package called "ruby" must not match them.
 * Details: docs/feeds-lang.md. */
#include <stdio.h>
#include <string.h>

#include "util/yaml_json.h"
#include "version/version.h"
#include "vulndb/feedfs.h"
#include "vulndb/lang_feed.h"

/* The advisory's identifiers: RubySec names the file after the first of
 * CVE, GHSA, OSVDB; the others become aliases. */
struct ids {
	const char *id;
	const char *aliases[2];
	size_t naliases;
};

/* osvdb is a number in the YAML; cve and ghsa are strings without their
 * prefixes ("2008-7248", "8fqx-7pv4-3jwm"). */
static int scalar_text(struct lang_doc *d, const json_t *root, const char *key, const char **out)
{
	const json_t *v = json_object_get(root, key);
	*out = NULL;
	if (json_is_integer(v)) {
		*out = arena_printf(&d->arena, "%lld", (long long)json_integer_value(v));
		return *out ? BOSUN_OK : lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
	}
	return lang_str(d, root, key, false, out);
}

static bool id_chars(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-'))
			return false;
	return true;
}

static int identifiers(struct lang_doc *d, const json_t *root, struct ids *out)
{
	static const char *const keys[] = { "cve", "ghsa", "osvdb" };
	static const char *const prefix[] = { "CVE-", "GHSA-", "OSVDB-" };
	*out = (struct ids){ 0 };
	for (int i = 0; i < 3; i++) {
		const char *v;
		TRY(scalar_text(d, root, keys[i], &v));
		if (!v)
			continue;
		if (!id_chars(v))
			return lang_error(d, BOSUN_EFORMAT, keys[i], "not an identifier");
		const char *full = arena_printf(&d->arena, "%s%s", prefix[i], v);
		if (!full)
			return lang_error(d, BOSUN_ENOMEM, NULL, "out of memory");
		if (!out->id)
			out->id = full;
		else
			out->aliases[out->naliases++] = full;
	}
	if (!out->id)
		return lang_error(d, BOSUN_EFORMAT, NULL, "no cve, ghsa or osvdb identifier");
	return BOSUN_OK;
}

/* The feed's own scores (no vectors): v3, else v4, else v2. */
static int severity(struct lang_doc *d, const json_t *root, enum vuln_severity *out)
{
	static const char *const keys[] = { "cvss_v3", "cvss_v4", "cvss_v2" };
	*out = SEV_UNKNOWN;
	for (int i = 0; i < 3; i++) {
		double s;
		bool found;
		TRY(lang_number(d, root, keys[i], &s, &found));
		if (found && *out == SEV_UNKNOWN)
			*out = lang_severity_of_score(s, i == 2);
	}
	return BOSUN_OK;
}

static int references(struct lang_doc *d, const json_t *root, const char ***out, size_t *n)
{
	size_t cap = 0;
	const char *url;
	*out = NULL;
	*n = 0;
	TRY(lang_str(d, root, "url", false, &url));
	if (url)
		TRY(lang_list_add(d, out, n, &cap, url));
	const json_t *rel = json_object_get(root, "related");
	if (!rel || json_is_null(rel))
		return BOSUN_OK;
	if (!json_is_object(rel))
		return lang_error(d, BOSUN_EFORMAT, "related", "expected a mapping");
	const char **urls;
	size_t nurls;
	TRY(lang_str_list(d, rel, "url", false, &urls, &nurls));
	for (size_t i = 0; i < nurls; i++)
		TRY(lang_list_add(d, out, n, &cap, urls[i]));
	return BOSUN_OK;
}

/* "patched_versions: a, b; unaffected_versions: c", for notes. */
static const char *constraint_text(struct lang_doc *d, const char **p, size_t np, const char **u, size_t nu)
{
	struct buf b = { 0 };
	int rc = buf_append_str(&b, "patched_versions:");
	for (size_t i = 0; i < np && rc == BOSUN_OK; i++)
		rc = buf_printf(&b, "%s \"%s\"", i ? "," : "", p[i]);
	if (rc == BOSUN_OK && nu)
		rc = buf_append_str(&b, "; unaffected_versions:");
	for (size_t i = 0; i < nu && rc == BOSUN_OK; i++)
		rc = buf_printf(&b, "%s \"%s\"", i ? "," : "", u[i]);
	const char *s = rc == BOSUN_OK ? arena_strdup(&d->arena, b.data) : NULL;
	buf_free(&b);
	return s;
}

/* The union of one list's requirements; the error names the list. */
static int parse_list(struct lang_doc *d, const struct cr_ctx *c, const char *key, const char **texts, size_t n,
		      struct cr_set *acc)
{
	for (size_t i = 0; i < n; i++) {
		struct cr_set one;
		int rc = cr_parse(c, texts[i], &one, d->e);
		if (rc == BOSUN_OK)
			rc = cr_union(c, acc, &one, acc, d->e);
		if (rc != BOSUN_OK)
			return lang_error(d, rc, key, "%s", d->e->msg);
	}
	return BOSUN_OK;
}

static int put_affected(struct lang_doc *d, const json_t *root, const char *id, const char *ecosystem,
			const char *package)
{
	const char **patched, **unaffected, *platform;
	size_t np, nu;
	TRY(lang_str_list(d, root, "patched_versions", false, &patched, &np));
	TRY(lang_str_list(d, root, "unaffected_versions", false, &unaffected, &nu));
	TRY(lang_str(d, root, "platform", false, &platform));
	const struct version_scheme *vs = version_scheme_find("gem");
	if (!vs)
		return lang_error(d, BOSUN_EUNSUPPORTED, NULL, "no gem version scheme");
	struct cr_ctx c = { CR_GEM, vs->compare, &d->arena };
	struct cr_set safe = { NULL, 0 }, affected;
	TRY(parse_list(d, &c, "patched_versions", patched, np, &safe));
	TRY(parse_list(d, &c, "unaffected_versions", unaffected, nu, &safe));
	int rc = cr_complement(&c, &safe, &affected, d->e);
	if (rc != BOSUN_OK)
		return lang_error(d, rc, "patched_versions", "%s", d->e->msg);
	struct lang_affected a = {
		.vuln_id = id,
		.ecosystem = ecosystem,
		.package = package,
		.cr = &c,
		.set = &affected,
		.constraint = constraint_text(d, patched, np, unaffected, nu),
		.note = platform ? arena_printf(&d->arena, "platform: %s", platform) : NULL,
	};
	return lang_put_affected(d, &a);
}

/* Gem and engine names: what RubyGems allows ([A-Za-z0-9._-]). */
static bool gem_name(const char *s)
{
	if (!*s || strlen(s) > 128)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-' ||
		      *s == '_' || *s == '.'))
			return false;
	return true;
}

static int advisory(struct lang_doc *d, const json_t *root)
{
	TRY(lang_need_object(d, root));
	const char *gem, *engine, *title, *date, *description;
	TRY(lang_str(d, root, "gem", false, &gem));
	TRY(lang_str(d, root, "engine", false, &engine));
	if (!gem == !engine)
		return lang_error(d, BOSUN_EFORMAT, NULL, "expected exactly one of gem and engine");
	const char *package = gem ? gem : engine;
	if (!gem_name(package))
		return lang_error(d, BOSUN_EFORMAT, gem ? "gem" : "engine", "not a gem name");
	TRY(lang_str(d, root, "title", true, &title));
	TRY(lang_str(d, root, "date", true, &date));
	TRY(lang_str(d, root, "description", false, &description));
	struct ids ids;
	TRY(identifiers(d, root, &ids));
	enum vuln_severity sev;
	TRY(severity(d, root, &sev));
	const char **refs;
	size_t nrefs;
	TRY(references(d, root, &refs, &nrefs));
	lang_note_date(d->run, date);
	struct vuln_record v = {
		.id = ids.id,
		.summary = title,
		.details = description,
		.published = date,
		.severity = sev,
		.aliases = ids.aliases,
		.naliases = ids.naliases,
		.references = refs,
		.nreferences = nrefs,
	};
	TRY(lang_put_vuln(d, &v));
	return put_affected(d, root, ids.id, gem ? "rubygems" : "ruby-runtime", package);
}

int rubysec_parse(struct lang_run *run, const char *file, const char *data, size_t n, struct berr *e)
{
	struct berr local;
	if (!e)
		e = &local;
	struct lang_doc d = { run, file, data, n, { 0 }, e };
	json_t *root = NULL;
	int rc = yaml_json_parse(data, n, NULL, file, &root, e);
	if (rc == BOSUN_OK)
		rc = advisory(&d, root);
	json_decref(root);
	arena_free(&d.arena);
	return rc;
}

static bool rubysec_detect(const char *dir)
{
	char p[4096];
	return feed_join(p, sizeof p, dir, "gems", NULL) == BOSUN_OK && feed_is_dir(p) &&
	       feed_join(p, sizeof p, dir, "rubies", NULL) == BOSUN_OK && feed_is_dir(p);
}

static int rubysec_import(struct vulndb *db, const char *dir, struct import_stats *st, struct berr *e)
{
	static const char *const yml[] = { ".yml", NULL };
	static const struct lang_part parts[] = {
		{ "gems", yml, rubysec_parse, NULL },
		{ "rubies", yml, rubysec_parse, NULL },
	};
	return lang_import(db, dir, "rubysec", "public domain (with an OSVDB caveat; see LICENSE.txt)", parts, 2, st,
			   e);
}

const struct importer importer_rubysec = { "rubysec", rubysec_detect, rubysec_import };
