/* The feed list. The defaults are the upstream projects' own publication
 * points; docs/vulndb-update.md lists them with what each holds. */
#include "vulndb/feeds.h"
#include "util/yaml_json.h"
#include "vulndb/feedfs.h"
#include "vulndb/safedir.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define URL_MAX 2048
#define FEEDS_FILE_MAX (1u << 20)

#define DEBIAN_DATA "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/"
#define ALPINE_SECDB "https://secdb.alpinelinux.org/"
#define OSV_BUCKET "https://osv-vulnerabilities.storage.googleapis.com/"

static const struct {
	const char *name, *url, *path;
} default_files[] = {
	{ "debian-cve", DEBIAN_DATA "CVE/list", "debian/data/CVE/list" },
	{ "debian-dsa", DEBIAN_DATA "DSA/list", "debian/data/DSA/list" },
	{ "debian-dla", DEBIAN_DATA "DLA/list", "debian/data/DLA/list" },
	{ "debian-config", DEBIAN_DATA "config.json", "debian/data/config.json" },
	{ "kev", "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json",
	  "kev/known_exploited_vulnerabilities.json" },
};

/* Branches still published; the newest ones may not exist yet when this
 * bosun is used, so a 404 there is not an error. */
static const struct {
	const char *branch;
	bool optional;
} alpine_branches[] = {
	{ "v3.19", false }, { "v3.20", false }, { "v3.21", false }, { "v3.22", false },
	{ "v3.23", true },  { "v3.24", true },	{ "edge", false },
};

/* OSV's per-ecosystem exports. Debian and Alpine come from their own
 * trackers above, not from OSV's copies of them. */
static const struct {
	const char *name, *ecosystem;
} osv_ecosystems[] = {
	{ "go", "Go" },
	{ "pypi", "PyPI" },
	{ "npm", "npm" },
	{ "maven", "Maven" },
	{ "crates.io", "crates.io" },
	{ "rubygems", "RubyGems" },
	{ "packagist", "Packagist" },
	{ "nuget", "NuGet" },
	{ "almalinux", "AlmaLinux" },
	{ "rocky", "Rocky%20Linux" },
	{ "ubuntu", "Ubuntu" },
};

const char *feed_format_name(enum feed_format f)
{
	return f == FEED_ZIP ? "zip" : "file";
}

void feed_group(const struct feed *f, char out[FEED_NAME_MAX + 1])
{
	size_t n = strcspn(f->path, "/");
	snprintf(out, FEED_NAME_MAX + 1, "%.*s", (int)(n > FEED_NAME_MAX ? FEED_NAME_MAX : n), f->path);
}

void feeds_free(struct feed_list *l)
{
	free(l->v);
	arena_free(&l->arena);
	*l = (struct feed_list){ 0 };
}

/* ---- building the list ----------------------------------------------------- */

static int add(struct feed_list *l, const struct feed *f, struct berr *e)
{
	if (l->n == FEEDS_MAX)
		return berr_set(e, BOSUN_ELIMIT, "more than %d feeds", FEEDS_MAX);
	struct feed *v = realloc(l->v, (l->n + 1) * sizeof *v);
	if (!v)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	l->v = v;
	struct feed *d = &v[l->n];
	*d = *f;
	d->name = arena_strdup(&l->arena, f->name);
	d->url = arena_strdup(&l->arena, f->url);
	d->path = arena_strdup(&l->arena, f->path);
	d->sha256 = f->sha256 ? arena_strdup(&l->arena, f->sha256) : NULL;
	if (!d->name || !d->url || !d->path || (f->sha256 && !d->sha256))
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	l->n++;
	return BOSUN_OK;
}

static int add_defaults(struct feed_list *l, struct berr *e)
{
	char name[FEED_NAME_MAX + 1], url[256], path[128];
	for (size_t i = 0; i < sizeof default_files / sizeof default_files[0]; i++)
		TRY(add(l, &(struct feed){ default_files[i].name, default_files[i].url, FEED_FILE, default_files[i].path },
			e));
	for (size_t i = 0; i < sizeof alpine_branches / sizeof alpine_branches[0]; i++) {
		for (int repo = 0; repo < 2; repo++) {
			const char *r = repo ? "community" : "main", *b = alpine_branches[i].branch;
			snprintf(name, sizeof name, "alpine-%s-%s", b, r);
			snprintf(url, sizeof url, ALPINE_SECDB "%s/%s.json", b, r);
			snprintf(path, sizeof path, "alpine/%s/%s.json", b, r);
			TRY(add(l, &(struct feed){ name, url, FEED_FILE, path, NULL, alpine_branches[i].optional }, e));
		}
	}
	for (size_t i = 0; i < sizeof osv_ecosystems / sizeof osv_ecosystems[0]; i++) {
		snprintf(name, sizeof name, "osv-%s", osv_ecosystems[i].name);
		snprintf(url, sizeof url, OSV_BUCKET "%s/all.zip", osv_ecosystems[i].ecosystem);
		TRY(add(l, &(struct feed){ name, url, FEED_ZIP, name }, e));
	}
	return BOSUN_OK;
}

/* ---- checking -------------------------------------------------------------- */

static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > FEED_NAME_MAX || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

static bool url_ok(const char *s)
{
	size_t n = strlen(s);
	if (n > URL_MAX || (strncmp(s, "http://", 7) && strncmp(s, "https://", 8)))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* Normalizes an expected digest to 64 lowercase hex digits in place. */
static bool sha256_ok(char *s)
{
	if (!strncmp(s, "sha256:", 7))
		memmove(s, s + 7, strlen(s + 7) + 1);
	if (strlen(s) != 64)
		return false;
	for (char *p = s; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
		if (!isxdigit((unsigned char)*p))
			return false;
	}
	return true;
}

static int check_path(const struct feed *f, struct berr *e)
{
	size_t n = strlen(f->path), group = strcspn(f->path, "/");
	if (safedir_check_name(f->path, e) != BOSUN_OK || f->path[n - 1] == '/')
		return berr_set(e, BOSUN_EFORMAT, "feed %s: path '%s' must be a relative path without '..'", f->name,
				f->path);
	if (group > FEED_NAME_MAX)
		return berr_set(e, BOSUN_EFORMAT, "feed %s: path '%s': first directory longer than %d bytes", f->name,
				f->path, FEED_NAME_MAX);
	if (f->format == FEED_FILE && group == n)
		return berr_set(e, BOSUN_EFORMAT, "feed %s: path '%s' must name a file inside a directory (GROUP/FILE)",
				f->name, f->path);
	return BOSUN_OK;
}

/* Whether path a lies inside (or is) directory b. */
static bool inside(const char *a, const char *b)
{
	size_t nb = strlen(b);
	return !strncmp(a, b, nb) && (a[nb] == '\0' || a[nb] == '/');
}

static int check_one(struct feed *f, struct berr *e)
{
	if (!name_ok(f->name))
		return berr_set(e, BOSUN_EFORMAT, "feed name '%.80s': use 1 to %d letters, digits, '.', '_' or '-'", f->name,
				FEED_NAME_MAX);
	if (!url_ok(f->url))
		return berr_set(e, BOSUN_EFORMAT, "feed %s: url '%.200s' is not an http:// or https:// URL", f->name,
				f->url);
	if (f->sha256 && !sha256_ok((char *)f->sha256))
		return berr_set(e, BOSUN_EFORMAT, "feed %s: sha256 must be 64 hex digits", f->name);
	return check_path(f, e);
}

static int check_all(struct feed_list *l, struct berr *e)
{
	if (!l->n)
		return berr_set(e, BOSUN_EFORMAT, "no feeds to update from");
	for (size_t i = 0; i < l->n; i++) {
		TRY(check_one(&l->v[i], e));
		for (size_t j = 0; j < i; j++) {
			const struct feed *a = &l->v[i], *b = &l->v[j];
			if (!strcmp(a->name, b->name))
				return berr_set(e, BOSUN_EFORMAT, "feed %s is listed twice", a->name);
			bool clash = !strcmp(a->path, b->path) || (a->format == FEED_ZIP && inside(b->path, a->path)) ||
				     (b->format == FEED_ZIP && inside(a->path, b->path));
			if (clash)
				return berr_set(e, BOSUN_EFORMAT, "feeds %s and %s go to the same place (%s, %s)", b->name,
						a->name, b->path, a->path);
		}
	}
	return BOSUN_OK;
}

int feeds_defaults(struct feed_list *out, struct berr *e)
{
	*out = (struct feed_list){ 0 };
	int rc = add_defaults(out, e);
	if (!rc)
		rc = check_all(out, e);
	if (rc)
		feeds_free(out);
	return rc;
}

/* ---- the feeds file -------------------------------------------------------- */

struct entry_ctx {
	const char *file;
	size_t index;
	struct feed_list *l;
};

static int str_field(const struct entry_ctx *c, json_t *ent, const char *key, const char **out, struct berr *e)
{
	json_t *v = json_object_get(ent, key);
	if (!v)
		return BOSUN_OK;
	if (!json_is_string(v))
		return berr_set(e, BOSUN_EFORMAT, "%s: feeds[%zu].%s: expected a string", c->file, c->index, key);
	*out = json_string_value(v);
	return BOSUN_OK;
}

static int bool_field(const struct entry_ctx *c, json_t *ent, const char *key, bool *out, struct berr *e)
{
	json_t *v = json_object_get(ent, key);
	if (!v)
		return BOSUN_OK;
	if (!json_is_boolean(v))
		return berr_set(e, BOSUN_EFORMAT, "%s: feeds[%zu].%s: expected true or false", c->file, c->index, key);
	*out = json_is_true(v);
	return BOSUN_OK;
}

static int check_keys(const struct entry_ctx *c, json_t *ent, struct berr *e)
{
	static const char *const known[] = { "name", "url", "format", "path", "sha256", "optional", "enabled", NULL };
	const char *key;
	json_t *v;
	json_object_foreach(ent, key, v)
	{
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = !strcmp(key, *k);
		if (!ok)
			return berr_set(e, BOSUN_EFORMAT, "%s: feeds[%zu]: unknown key '%.64s'", c->file, c->index, key);
	}
	return BOSUN_OK;
}

static struct feed *find(struct feed_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

/* The defaults a new feed gets: zip when the URL's path ends in .zip; the
 * path NAME/BASENAME for a file, NAME for a zip. */
static int fill_defaults(struct feed_list *l, struct feed *f, const char *format, struct berr *e)
{
	size_t q = strcspn(f->url, "?#");
	bool zip = q >= 4 && !strncmp(f->url + q - 4, ".zip", 4);
	if (format && strcmp(format, "file") && strcmp(format, "zip"))
		return berr_set(e, BOSUN_EFORMAT, "feed %s: format '%.32s' (use file or zip)", f->name, format);
	f->format = format ? (!strcmp(format, "zip") ? FEED_ZIP : FEED_FILE) : zip ? FEED_ZIP : FEED_FILE;
	if (f->path)
		return BOSUN_OK;
	if (f->format == FEED_ZIP) {
		f->path = f->name;
		return BOSUN_OK;
	}
	const char *slash = f->url + q;
	while (slash > f->url && slash[-1] != '/')
		slash--;
	f->path = arena_printf(&l->arena, "%s/%.*s", f->name, (int)(f->url + q - slash), slash);
	if (!f->path)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	if (!f->path[strlen(f->name) + 1])
		return berr_set(e, BOSUN_EFORMAT, "feed %s: cannot name a file after its URL: give a path", f->name);
	return BOSUN_OK;
}

static void drop(struct feed_list *l, struct feed *f)
{
	size_t i = (size_t)(f - l->v);
	memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *f);
	l->n--;
}

static int load_entry(struct entry_ctx *c, json_t *ent, struct berr *e)
{
	if (!json_is_object(ent))
		return berr_set(e, BOSUN_EFORMAT, "%s: feeds[%zu]: expected a mapping", c->file, c->index);
	TRY(check_keys(c, ent, e));
	struct feed f = { 0 };
	const char *format = NULL;
	bool enabled = true;
	TRY(str_field(c, ent, "name", &f.name, e));
	if (!f.name)
		return berr_set(e, BOSUN_EFORMAT, "%s: feeds[%zu]: no name", c->file, c->index);
	struct feed *old = find(c->l, f.name);
	if (old)
		f = *old;
	TRY(str_field(c, ent, "url", &f.url, e));
	TRY(str_field(c, ent, "format", &format, e));
	TRY(str_field(c, ent, "path", &f.path, e));
	TRY(str_field(c, ent, "sha256", &f.sha256, e));
	TRY(bool_field(c, ent, "optional", &f.optional, e));
	TRY(bool_field(c, ent, "enabled", &enabled, e));
	if (old && !enabled) {
		drop(c->l, old);
		return BOSUN_OK;
	}
	if (!enabled)
		return BOSUN_OK;
	if (!f.url)
		return berr_set(e, BOSUN_EFORMAT, "%s: feed %s: no url", c->file, f.name);
	if (format || !old)
		TRY(fill_defaults(c->l, &f, format, e));
	TRY(add(c->l, &f, e));
	if (old) {
		/* the changed copy, appended, takes the built-in's place in the order */
		*find(c->l, f.name) = c->l->v[c->l->n - 1];
		c->l->n--;
	}
	return BOSUN_OK;
}

static int load_doc(const char *file, json_t *doc, struct feed_list *l, struct berr *e)
{
	json_t *list = doc, *defaults = NULL;
	if (json_is_object(doc)) {
		const char *key;
		json_t *v;
		json_object_foreach(doc, key, v)
		{
			if (strcmp(key, "feeds") && strcmp(key, "defaults"))
				return berr_set(e, BOSUN_EFORMAT, "%s: unknown key '%.64s' (feeds, defaults)", file, key);
		}
		list = json_object_get(doc, "feeds");
		defaults = json_object_get(doc, "defaults");
	}
	if (defaults && !json_is_boolean(defaults))
		return berr_set(e, BOSUN_EFORMAT, "%s: defaults: expected true or false", file);
	if (!json_is_array(list) && !(list == NULL && json_is_true(defaults)))
		return berr_set(e, BOSUN_EFORMAT, "%s: expected a list of feeds (or a mapping with feeds:)", file);
	if (json_is_true(defaults))
		TRY(add_defaults(l, e));
	struct entry_ctx c = { .file = file, .l = l };
	for (c.index = 0; list && c.index < json_array_size(list); c.index++)
		TRY(load_entry(&c, json_array_get(list, c.index), e));
	return BOSUN_OK;
}

int feeds_load(const char *path, struct feed_list *out, struct berr *e)
{
	*out = (struct feed_list){ 0 };
	struct buf b = { 0 };
	json_t *doc = NULL;
	int rc = feed_read_file(path, FEEDS_FILE_MAX, &b, e);
	/* JSON is YAML (flow style), so one parser reads both forms. */
	if (!rc)
		rc = yaml_json_parse(b.data, b.len, NULL, path, &doc, e);
	if (!rc)
		rc = load_doc(path, doc, out, e);
	if (!rc && (rc = check_all(out, e)))
		berr_wrap(e, rc, "%s", path);
	json_decref(doc);
	buf_free(&b);
	if (rc)
		feeds_free(out);
	return rc;
}

int feeds_rebase(struct feed_list *l, const char *base, struct berr *e)
{
	size_t nb = strlen(base);
	while (nb && base[nb - 1] == '/')
		nb--;
	if (!url_ok(base))
		return berr_set(e, BOSUN_EFORMAT, "mirror base '%.200s' is not an http:// or https:// URL", base);
	for (size_t i = 0; i < l->n; i++) {
		const char *rest = strstr(l->v[i].url, "://");
		rest = rest ? rest + 3 : l->v[i].url;
		const char *u = arena_printf(&l->arena, "%.*s/%s", (int)nb, base, rest);
		if (!u)
			return berr_set(e, BOSUN_ENOMEM, "out of memory");
		if (!url_ok(u))
			return berr_set(e, BOSUN_EFORMAT, "feed %s: mirrored URL too long", l->v[i].name);
		l->v[i].url = u;
	}
	return BOSUN_OK;
}
