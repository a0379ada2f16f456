/* PHP: Composer's installed.json and composer.lock, and the analyzer. */
#include "analyze/php.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "analyze/analyzer.h"
#include "analyze/langpkg.h"
#include "util/err.h"
#include "util/json.h"
#include "util/strmap.h"

#define JSON_MAX_DEPTH 64
#define MAX_LICENSES 16

/* Composer names are case-insensitive; sets hold them lower-cased. */
struct names {
	struct strmap map;
	struct arena ar;
	bool known;
};

static void names_free(struct names *s)
{
	strmap_free(&s->map);
	arena_free(&s->ar);
}

static char *lower_copy(struct arena *ar, const char *s)
{
	char *c = arena_strdup(ar, s);
	for (char *q = c; q && *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return c;
}

static int names_put(struct names *s, const char *name)
{
	char *key = lower_copy(&s->ar, name);
	if (!key)
		return BOSUN_ENOMEM;
	return strmap_get(&s->map, key) ? BOSUN_OK : strmap_put(&s->map, key, key);
}

static bool names_has(struct names *s, const char *name)
{
	char buf[LANGPKG_NAME_MAX + 1];
	size_t n = strlen(name);
	if (n >= sizeof buf)
		return false;
	for (size_t i = 0; i <= n; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	return strmap_get(&s->map, buf) != NULL;
}

static int parse_json(struct langpkg_file *lf, const char *data, size_t len, json_t **doc)
{
	struct berr e = { 0 };
	*doc = NULL;
	if (json_parse_bounded(data ? data : "", data ? len : 0, JSON_MAX_DEPTH, lf->path, doc, &e) != BOSUN_OK)
		langpkg_warn(lf, "%s", e.msg);
	return BOSUN_OK;
}

static struct slice jslice(const json_t *o, const char *key)
{
	const char *s = json_str(o, key);
	return slice_make(s ? s : "", s ? strlen(s) : 0);
}

/* Composer documents a single string as "(LGPL-2.1-only or
 * GPL-3.0-or-later)": its operators in SPDX's spelling make it an
 * expression. */
static int string_license(struct langpkg_file *lf, struct package *p, const char *s)
{
	struct buf b = { 0 };
	int rc = BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && s[i]; i++) {
		if (strncasecmp(s + i, " or ", 4) == 0 || strncasecmp(s + i, " and ", 5) == 0) {
			bool is_or = s[i + 1] == 'o' || s[i + 1] == 'O';
			rc = buf_append_str(&b, is_or ? " OR " : " AND ");
			i += is_or ? 3 : 4;
		} else {
			rc = buf_append(&b, s + i, 1);
		}
	}
	if (rc == BOSUN_OK && b.len)
		rc = langpkg_set_license(lf, p, slice_make(b.data, b.len));
	buf_free(&b);
	return rc;
}

/* "license": ["MIT", "BSD-2-Clause"] or a string ("MIT", "MIT or
 * BSD-2-Clause"). */
static int set_license(struct langpkg_file *lf, struct package *p, const json_t *lic)
{
	if (json_is_string(lic))
		return string_license(lf, p, json_string_value(lic));
	struct slice items[MAX_LICENSES];
	size_t n = 0, i;
	json_t *v;
	json_array_foreach((json_t *)lic, i, v)
		if (json_is_string(v) && n < MAX_LICENSES)
			items[n++] = slice_cstr(json_string_value(v));
	return langpkg_join_licenses(lf, p, items, n, " OR ");
}

/* One entry of a package list; *out NULL when unusable. */
static int add_entry(struct langpkg_file *lf, const json_t *entry, bool dev, struct package **out)
{
	*out = NULL;
	if (!json_is_object(entry)) {
		langpkg_warn(lf, "a package entry is not an object, skipped");
		return BOSUN_OK;
	}
	TRY(langpkg_add(lf, PKG_COMPOSER, jslice(entry, "name"), jslice(entry, "version"), out));
	if (!*out)
		return BOSUN_OK;
	(*out)->dev = dev;
	return set_license(lf, *out, json_object_get(entry, "license"));
}

/* ---- installed.json ---- */

int php_parse_installed_json(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "composer", found_in);
	json_t *doc;
	TRY(parse_json(&lf, data, len, &doc));
	/* Composer 1: [ {package}, ... ]; Composer 2: { "packages": [...] }. */
	json_t *list = json_is_array(doc) ? doc : json_object_get(doc, "packages");
	json_t *devnames = json_object_get(doc, "dev-package-names");
	if (doc && !json_is_array(list))
		langpkg_warn(&lf, "neither a package list nor an object with \"packages\"");
	struct names dev = { 0 };
	int rc = BOSUN_OK;
	size_t i;
	json_t *v;
	json_array_foreach(devnames, i, v)
		if (rc == BOSUN_OK && json_is_string(v))
			rc = names_put(&dev, json_string_value(v));
	json_array_foreach(list, i, v) {
		struct package *p;
		if (rc == BOSUN_OK)
			rc = add_entry(&lf, v, false, &p);
		if (rc == BOSUN_OK && p)
			p->dev = names_has(&dev, p->name);
	}
	names_free(&dev);
	json_decref(doc);
	langpkg_end(&lf);
	return rc;
}

/* ---- composer.lock ---- */

static int put_require_keys(struct names *s, const json_t *obj)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v)
		TRY(names_put(s, k));
	return BOSUN_OK;
}

static int composer_json_direct(struct langpkg_file *lf, const char *data, size_t len, struct names *s)
{
	json_t *doc = NULL;
	struct berr e = { 0 };
	if (json_parse_bounded(data, len, JSON_MAX_DEPTH, "composer.json", &doc, &e) != BOSUN_OK) {
		langpkg_warn(lf, "%s; direct dependencies unknown", e.msg);
		return BOSUN_OK;
	}
	s->known = true;
	int rc = put_require_keys(s, json_object_get(doc, "require"));
	if (rc == BOSUN_OK)
		rc = put_require_keys(s, json_object_get(doc, "require-dev"));
	json_decref(doc);
	return rc;
}

static int lock_list(struct langpkg_file *lf, const json_t *list, bool dev, struct names *direct)
{
	size_t i;
	json_t *v;
	json_array_foreach((json_t *)list, i, v) {
		struct package *p;
		TRY(add_entry(lf, v, dev, &p));
		if (p && direct->known)
			p->relationship = names_has(direct, p->name) ? "direct" : "indirect";
	}
	return BOSUN_OK;
}

int php_parse_composer_lock(const char *data, size_t len, const char *found_in, const char *composer_json,
			    size_t cjlen, struct artifact *a)
{
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "composer.lock", found_in);
	struct names direct = { 0 };
	json_t *doc = NULL;
	int rc = composer_json ? composer_json_direct(&lf, composer_json, cjlen, &direct) : BOSUN_OK;
	if (rc == BOSUN_OK)
		rc = parse_json(&lf, data, len, &doc);
	if (rc == BOSUN_OK)
		rc = lock_list(&lf, json_object_get(doc, "packages"), false, &direct);
	if (rc == BOSUN_OK)
		rc = lock_list(&lf, json_object_get(doc, "packages-dev"), true, &direct);
	json_decref(doc);
	names_free(&direct);
	langpkg_end(&lf);
	return rc;
}

/* ---- the analyzer ---- */

extern const struct analyzer analyzer_php;

static bool is_installed_json(const char *path, size_t len)
{
	return langpkg_has_suffix(path, len, "vendor/composer/installed.json") &&
	       (len == 30 || path[len - 31] == '/');
}

/* composer.json inside vendor/ belongs to an installed package, not to
 * the project; only the project's own is read (next to composer.lock). */
static bool is_project_file(const char *path, size_t len, const char *name)
{
	return strcmp(langpkg_basename(path), name) == 0 && !langpkg_has_dir(path, len, "vendor");
}

static bool wants(const char *path, size_t len)
{
	return is_installed_json(path, len) || is_project_file(path, len, "composer.lock") ||
	       is_project_file(path, len, "composer.json");
}

static int parse_installed(const struct scan_file *f, struct artifact *out, struct berr *e)
{
	(void)e;
	return php_parse_installed_json((const char *)f->data, f->size, f->path, out);
}

struct phpctx {
	const struct scan_view *v;
	struct artifact *a;
	struct berr *e;
};

static const struct scan_file *composer_json_of(const struct scan_view *v, const char *lock)
{
	char p[4096];
	int n = snprintf(p, sizeof p, "%.*scomposer.json", (int)(langpkg_basename(lock) - lock), lock);
	if (n < 0 || (size_t)n >= sizeof p)
		return NULL;
	const struct scan_file *f = view_final(v, p);
	return f && f->data ? f : NULL;
}

static int each_file(const struct scan_file *f, void *vctx)
{
	struct phpctx *c = vctx;
	size_t len = strlen(f->path);
	bool installed = is_installed_json(f->path, len);
	/* composer.lock only in project trees (docs/analyzers-lang.md). */
	if (!installed && (!view_is_project(c->v) || strcmp(langpkg_basename(f->path), "composer.lock") != 0))
		return BOSUN_OK;
	if (!f->data) {
		langpkg_warn_unread(c->a, "php", f);
		return BOSUN_OK;
	}
	/* installed.json is rewritten by every `composer install`: a package
	 * belongs to the lowest layer from which it stayed. */
	if (installed)
		return langpkg_parse_with_history(c->v, f, parse_installed, c->a, c->e);
	size_t first = c->a->npkgs;
	const struct scan_file *cj = composer_json_of(c->v, f->path);
	TRY(php_parse_composer_lock((const char *)f->data, f->size, f->path, cj ? (const char *)cj->data : NULL,
				    cj ? cj->size : 0, c->a));
	for (size_t i = first; i < c->a->npkgs; i++)
		c->a->pkgs[i].layer = f->layer;
	return BOSUN_OK;
}

static int analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	struct phpctx c = { v, a, e };
	int rc = view_each_wanted(v, &analyzer_php, each_file, &c);
	if (rc != BOSUN_OK)
		return berr_set(e, rc, "php: %s", bosun_strerror(rc));
	return BOSUN_OK;
}

const struct analyzer analyzer_php = { "php", 1, wants, analyze };
