/* The npm analyzer: installed packages in images, lockfiles in projects.
 *
 * In an image (or root filesystem) what node can load is what counts: every
 * node_modules/NAME/package.json and node_modules/@SCOPE/NAME/package.json
 * at any depth (nested copies, pnpm's .pnpm store), plus folders that a
 * node_modules entry links to from elsewhere (npm workspaces, `npm link`,
 * file: dependencies). Lockfiles are ignored there: they say what a build
 * wanted, the tree says what is installed. Files such as Debian's
 * /usr/share/nodejs/NAME/package.json, the project's own package.json and
 * package.json files inside a package (lib/package.json) are not
 * installed packages and are not reported.
 *
 * In a project tree (fs:DIR) the lockfiles are read, as Trivy does; a
 * node_modules tree next to a lockfile only fills in licenses the lockfile
 * lacks. A node_modules tree with no lockfile beside it is read as
 * installed packages (Trivy would report nothing there). */
#include "analyze/npm.h"

#include <string.h>
#include <sys/stat.h>

#include "analyze/analyzer.h"
#include "analyze/npm_common.h"
#include "util/err.h"
#include "util/json.h"

#define MANIFEST_MAX_DEPTH 64
#define PATH_MAX_LEN 4096
#define NM "node_modules"

extern const struct analyzer analyzer_npm;

/* ---- installed package.json ---- */

static int parse_manifest(const char *data, size_t len, json_t **doc, struct berr *e)
{
	if (len > NPM_MAX_MANIFEST_BYTES)
		return berr_set(e, BOSUN_ELIMIT, "%zu bytes is above the %u-byte limit", len, NPM_MAX_MANIFEST_BYTES);
	return npm_json_parse(data ? data : "", data ? len : 0, MANIFEST_MAX_DEPTH, "content", doc, e);
}

static int add_installed(struct npm_sink *s, const json_t *doc)
{
	struct slice name = npm_jslice(doc, "name"), version = npm_jslice(doc, "version");
	if (name.n == 0 || version.n == 0)
		return BOSUN_OK; /* not a package: a stub such as {"type": "module"} */
	if (!npm_name_valid(name) || !npm_version_token(version)) {
		npm_sink_warn(s, "unusable name or version, skipped");
		return BOSUN_OK;
	}
	char *license;
	TRY(npm_license(&s->a->arena, doc, &license));
	return npm_sink_add(s, name, version, license, false, NPM_REL_UNKNOWN, NULL);
}

int npm_parse_package_json(const char *data, size_t len, const char *found_in, struct artifact *a, bool *added)
{
	struct npm_sink s;
	npm_sink_init(&s, a, "npm", found_in);
	json_t *doc = NULL;
	struct berr e = { 0 };
	int rc = BOSUN_OK;
	if (parse_manifest(data, len, &doc, &e) != BOSUN_OK)
		npm_sink_warn(&s, "%s", e.msg);
	else if (json_is_object(doc))
		rc = add_installed(&s, doc);
	if (added)
		*added = s.added > 0;
	json_decref(doc);
	npm_sink_done(&s);
	return rc;
}

/* ---- paths ---- */

enum kind { K_NONE, K_INSTALLED, K_LINK, K_MANIFEST, K_PACKAGE_LOCK, K_SHRINKWRAP, K_YARN, K_PNPM };

/* What follows the last "node_modules/" component of path, or NULL. */
static const char *nm_tail(const char *path, size_t len)
{
	const char *tail = NULL;
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && path[j] != '/')
			j++;
		if (j - i == sizeof NM - 1 && j < len && memcmp(path + i, NM, j - i) == 0)
			tail = path + j + 1;
		i = j + 1;
	}
	return tail;
}

/* tail is "NAME" or "@SCOPE/NAME" (then *rest is what follows, if
 * anything); names never start with '.' (.bin, .pnpm, .package-lock.json). */
static bool package_dir(const char *tail, const char **rest)
{
	const char *end = strchr(tail, '/');
	if (tail[0] == '.' || tail == end)
		return false;
	if (tail[0] == '@') {
		if (!end || end[1] == '\0' || end[1] == '.' || end[1] == '/')
			return false;
		end = strchr(end + 1, '/');
	}
	*rest = end ? end + 1 : NULL;
	return true;
}

static enum kind lockfile_kind(const char *base)
{
	static const struct {
		const char *name;
		enum kind kind;
	} locks[] = { { "package-lock.json", K_PACKAGE_LOCK },
		      { "npm-shrinkwrap.json", K_SHRINKWRAP },
		      { "yarn.lock", K_YARN },
		      { "pnpm-lock.yaml", K_PNPM },
		      { "package.json", K_MANIFEST } };
	for (size_t i = 0; i < sizeof locks / sizeof locks[0]; i++)
		if (strcmp(base, locks[i].name) == 0)
			return locks[i].kind;
	return K_NONE;
}

static enum kind classify(const char *path, size_t len)
{
	const char *tail = nm_tail(path, len), *rest;
	if (!tail) {
		const char *slash = strrchr(path, '/');
		return lockfile_kind(slash ? slash + 1 : path);
	}
	if (!package_dir(tail, &rest))
		return K_NONE;
	if (!rest)
		return K_LINK; /* the package folder itself: a symlink for workspaces */
	return strcmp(rest, "package.json") == 0 ? K_INSTALLED : K_NONE;
}

/* Called for every tar entry: names only. */
static bool wants(const char *path, size_t len)
{
	const char *slash = memrchr(path, '/', len);
	const char *base = slash ? slash + 1 : path;
	/* Cheap exits for the common case: no npm name at the end. */
	if (!memchr(path, 'n', len) || (strcmp(base, "package.json") != 0 && !strstr(path, NM) &&
					lockfile_kind(base) == K_NONE))
		return false;
	return classify(path, len) != K_NONE;
}

/* ---- the analyzer ---- */

struct ctx {
	const struct scan_view *v;
	struct artifact *a;
	bool project;
	struct strmap lockdirs; /* folders holding a lockfile (project mode) */
	struct arena ar;
};

static int join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX_LEN, "%s%s%s", dir, *dir ? "/" : "", name);
	return n > 0 && n < PATH_MAX_LEN ? BOSUN_OK : BOSUN_ELIMIT;
}

static void dir_of(const char *path, char *out)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	memmove(out, path, n); /* out may be path */
	out[n] = '\0';
}

static void set_layer(struct artifact *a, size_t first, int layer)
{
	for (size_t i = first; i < a->npkgs; i++)
		a->pkgs[i].layer = layer;
}

static bool covered(const struct ctx *c, const char *dir, size_t n)
{
	return c->project && strmap_getn(&c->lockdirs, dir, n);
}

/* ---- lockfiles ---- */

static const struct scan_file *sibling(const struct ctx *c, const char *dir, const char *name)
{
	char path[PATH_MAX_LEN];
	if (join(path, dir, name))
		return NULL;
	const struct scan_file *f = view_final(c->v, path);
	return f && f->data ? f : NULL;
}

/* The license of DIR/node_modules/NAME when that installed copy has the
 * version the lockfile names. */
static int installed_license(struct ctx *c, const char *dir, struct package *p)
{
	char rel[PATH_MAX_LEN], path[PATH_MAX_LEN];
	int n = snprintf(rel, sizeof rel, NM "/%s/package.json", p->name);
	if (n < 0 || (size_t)n >= sizeof rel || join(path, dir, rel))
		return BOSUN_OK;
	const struct scan_file *f = view_final(c->v, path);
	json_t *doc = NULL;
	struct berr e = { 0 };
	if (!f || !f->data || parse_manifest((const char *)f->data, f->size, &doc, &e))
		return BOSUN_OK;
	int rc = BOSUN_OK;
	const char *version = json_str(doc, "version");
	if (version && p->version && strcmp(version, p->version) == 0)
		rc = npm_license(&c->a->arena, doc, &p->license);
	json_decref(doc);
	return rc;
}

static int parse_lockfile(struct ctx *c, const struct scan_file *f, enum kind k, const char *dir)
{
	const char *data = (const char *)f->data;
	if (k == K_YARN) {
		const struct scan_file *m = sibling(c, dir, "package.json");
		return yarn_parse_lock(data, f->size, m ? (const char *)m->data : NULL, m ? m->size : 0, f->path, c->a);
	}
	if (k == K_PNPM)
		return pnpm_parse_lock(data, f->size, f->path, c->a);
	return npm_parse_lockfile(data, f->size, f->path, c->a);
}

static int each_lockfile(const struct scan_file *f, void *vctx)
{
	struct ctx *c = vctx;
	enum kind k = classify(f->path, strlen(f->path));
	if (k < K_PACKAGE_LOCK)
		return BOSUN_OK;
	char dir[PATH_MAX_LEN];
	dir_of(f->path, dir);
	if (k == K_PACKAGE_LOCK && sibling(c, dir, "npm-shrinkwrap.json"))
		return BOSUN_OK; /* npm reads the shrinkwrap and ignores package-lock.json */
	if (!f->data) {
		artifact_warn(c->a, "npm: %s is above the capture limit, its packages are not listed", f->path);
		return BOSUN_OK;
	}
	/* The lockfile speaks for this folder's node_modules. */
	char *key = arena_strdup(&c->ar, dir);
	if (!key)
		return BOSUN_ENOMEM;
	TRY(strmap_put(&c->lockdirs, key, key));
	size_t first = c->a->npkgs;
	TRY(parse_lockfile(c, f, k, dir));
	set_layer(c->a, first, f->layer);
	for (size_t i = first; i < c->a->npkgs; i++)
		if (!c->a->pkgs[i].license)
			TRY(installed_license(c, dir, &c->a->pkgs[i]));
	return BOSUN_OK;
}

/* ---- installed packages ---- */

static int add_file(struct ctx *c, const struct scan_file *f)
{
	if (!f->data) {
		artifact_warn(c->a, "npm: %s is above the capture limit, skipped", f->path);
		return BOSUN_OK;
	}
	size_t first = c->a->npkgs;
	TRY(npm_parse_package_json((const char *)f->data, f->size, f->path, c->a, NULL));
	set_layer(c->a, first, f->layer);
	return BOSUN_OK;
}

/* A symlink entry recorded at path whose latest version is still a link. */
static bool is_link_entry(const struct scan_view *v, const char *path)
{
	const struct scan_file *const *h;
	size_t n = view_history(v, path, &h);
	return n && !h[n - 1]->deleted && S_ISLNK(h[n - 1]->mode);
}

/* The "name" of a package.json outside node_modules, quietly: most such
 * files (the project's own, Debian's /usr/share/nodejs) are no concern. */
static bool manifest_name(const struct scan_file *f, char *out)
{
	json_t *doc = NULL;
	struct berr e = { 0 };
	if (!f->data || parse_manifest((const char *)f->data, f->size, &doc, &e))
		return false;
	struct slice name = npm_jslice(doc, "name");
	bool ok = npm_name_valid(name);
	if (ok)
		memcpy(out, name.p, name.n + 1);
	json_decref(doc);
	return ok;
}

/* Is f (DIR/package.json, outside node_modules) the target of a symlink
 * ANCESTOR/node_modules/NAME? The link must be an entry of its own: a
 * node_modules that is itself a symlink to a plain folder (Debian's
 * /usr/share/node_modules -> nodejs) links nothing. */
static int each_linked(struct ctx *c, const struct scan_file *f)
{
	char name[NPM_NAME_MAX + 1], anc[PATH_MAX_LEN], link[PATH_MAX_LEN], target[PATH_MAX_LEN];
	if (!manifest_name(f, name))
		return BOSUN_OK;
	dir_of(f->path, anc);
	while (anc[0]) {
		dir_of(anc, anc);
		if (covered(c, anc, strlen(anc)))
			continue;
		char rel[sizeof NM + NPM_NAME_MAX + 1];
		snprintf(rel, sizeof rel, NM "/%s", name);
		if (join(link, anc, rel) || !is_link_entry(c->v, link) || join(target, link, "package.json"))
			continue;
		const struct scan_file *g = view_final(c->v, target);
		if (g && strcmp(g->path, f->path) == 0)
			return add_file(c, f);
	}
	return BOSUN_OK;
}

static int each_installed(const struct scan_file *f, void *vctx)
{
	struct ctx *c = vctx;
	size_t len = strlen(f->path);
	enum kind k = classify(f->path, len);
	if (k == K_MANIFEST)
		return each_linked(c, f);
	if (k != K_INSTALLED)
		return BOSUN_OK;
	/* The project root is where the outermost node_modules sits. */
	const char *nm = strstr(f->path, NM "/");
	while (nm && nm != f->path && nm[-1] != '/')
		nm = strstr(nm + 1, NM "/");
	size_t root = nm && nm != f->path ? (size_t)(nm - f->path) - 1 : 0;
	if (covered(c, f->path, root))
		return BOSUN_OK;
	return add_file(c, f);
}

static int analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	struct ctx c = { .v = v, .a = a, .project = view_is_project(v) };
	int rc = BOSUN_OK;
	if (c.project)
		rc = view_each_wanted(v, &analyzer_npm, each_lockfile, &c);
	if (!rc)
		rc = view_each_wanted(v, &analyzer_npm, each_installed, &c);
	strmap_free(&c.lockdirs);
	arena_free(&c.ar);
	if (rc)
		return berr_set(e, rc, "npm: %s", bosun_strerror(rc));
	return BOSUN_OK;
}

const struct analyzer analyzer_npm = { "npm", 1, wants, analyze };
