/* Python lockfiles: poetry.lock and uv.lock (TOML), Pipfile.lock (JSON),
 * with the manifests that say which packages are direct dependencies. */
#include "analyze/python.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/langpkg.h"
#include "analyze/toml_lock.h"
#include "util/err.h"
#include "util/json.h"
#include "util/strmap.h"

#define JSON_MAX_DEPTH 64
#define PY_NAME_BUF (LANGPKG_NAME_MAX + 1)

/* A set of PEP 503 names; keys live in the set's arena. */
struct nameset {
	struct strmap map;
	struct arena ar;
	bool known; /* a manifest was read: absence means "indirect" */
};

static void nameset_free(struct nameset *s)
{
	strmap_free(&s->map);
	arena_free(&s->ar);
}

/* Adds name (normalized) with value v (non-NULL); names that cannot be
 * package names are ignored. */
static int nameset_put(struct nameset *s, struct slice name, void *v)
{
	char norm[PY_NAME_BUF];
	if (!langpkg_token_ok(name, LANGPKG_NAME_MAX) || !python_normalize_name(name, norm, sizeof norm))
		return BOSUN_OK;
	if (strmap_get(&s->map, norm))
		return BOSUN_OK;
	char *key = arena_strdup(&s->ar, norm);
	return key ? strmap_put(&s->map, key, v) : BOSUN_ENOMEM;
}

static void *nameset_get(const struct nameset *s, const char *name)
{
	char norm[PY_NAME_BUF];
	if (!python_normalize_name(slice_cstr(name), norm, sizeof norm))
		return NULL;
	return strmap_get(&s->map, norm);
}

static void set_relationship(const struct nameset *direct, struct package *p)
{
	if (direct->known)
		p->relationship = nameset_get(direct, p->name) ? "direct" : "indirect";
}

/* The name at the start of a PEP 508 requirement ("requests[socks]>=2"). */
static struct slice pep508_name(const char *req)
{
	size_t n = 0;
	while (req[n] == ' ' || req[n] == '\t')
		req++;
	while ((req[n] >= 'a' && req[n] <= 'z') || (req[n] >= 'A' && req[n] <= 'Z') || (req[n] >= '0' && req[n] <= '9') ||
	       req[n] == '-' || req[n] == '_' || req[n] == '.')
		n++;
	return slice_make(req, n);
}

static int put_keys(struct nameset *s, const json_t *obj)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v)
		if (strcmp(k, "python") != 0) /* Poetry's interpreter constraint */
			TRY(nameset_put(s, slice_cstr(k), (void *)1));
	return BOSUN_OK;
}

static int put_requirements(struct nameset *s, const json_t *arr)
{
	size_t i;
	json_t *v;
	json_array_foreach((json_t *)arr, i, v)
		if (json_is_string(v))
			TRY(nameset_put(s, pep508_name(json_string_value(v)), (void *)1));
	return BOSUN_OK;
}

/* Every array of PEP 508 strings among the values of obj
 * ([project.optional-dependencies], [dependency-groups]). */
static int put_requirement_groups(struct nameset *s, const json_t *obj)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v)
		TRY(put_requirements(s, v));
	return BOSUN_OK;
}

static json_t *jpath(json_t *j, const char *a, const char *b)
{
	j = json_object_get(j, a);
	return b ? json_object_get(j, b) : j;
}

/* Direct dependencies named by pyproject.toml, Poetry's and PEP 621's. */
static int pyproject_direct(struct langpkg_file *lf, const char *data, size_t len, struct nameset *s)
{
	json_t *doc = NULL;
	struct berr e = { 0 };
	int rc = toml_lock_parse(data, len, "pyproject.toml", &doc, &e);
	if (rc == BOSUN_ENOMEM)
		return rc;
	if (rc != BOSUN_OK) {
		langpkg_warn(lf, "%s; direct dependencies unknown", e.msg);
		return BOSUN_OK;
	}
	s->known = true;
	json_t *poetry = jpath(doc, "tool", "poetry");
	rc = put_keys(s, json_object_get(poetry, "dependencies"));
	if (rc == BOSUN_OK)
		rc = put_keys(s, json_object_get(poetry, "dev-dependencies"));
	const char *g;
	json_t *grp;
	json_object_foreach(json_object_get(poetry, "group"), g, grp)
		if (rc == BOSUN_OK)
			rc = put_keys(s, json_object_get(grp, "dependencies"));
	if (rc == BOSUN_OK)
		rc = put_requirements(s, jpath(doc, "project", "dependencies"));
	if (rc == BOSUN_OK)
		rc = put_requirement_groups(s, jpath(doc, "project", "optional-dependencies"));
	if (rc == BOSUN_OK)
		rc = put_requirement_groups(s, json_object_get(doc, "dependency-groups"));
	json_decref(doc);
	return rc;
}

static int parse_toml(struct langpkg_file *lf, const char *data, size_t len, json_t **doc)
{
	struct berr e = { 0 };
	int rc = toml_lock_parse(data, len, lf->path, doc, &e);
	if (rc == BOSUN_ENOMEM)
		return rc;
	if (rc != BOSUN_OK)
		langpkg_warn(lf, "%s", e.msg);
	return BOSUN_OK;
}

static struct slice jslice(const json_t *o, const char *key)
{
	const char *s = json_str(o, key);
	return slice_make(s ? s : "", s ? strlen(s) : 0);
}

static bool array_has(const json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach((json_t *)arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

/* ---- poetry.lock ---- */

static bool poetry_dev(const json_t *pkg)
{
	const char *cat = json_str(pkg, "category");
	if (cat)
		return strcmp(cat, "dev") == 0;
	const json_t *groups = json_object_get(pkg, "groups");
	return json_array_size(groups) > 0 && !array_has(groups, "main");
}

int python_parse_poetry_lock(const char *data, size_t len, const char *found_in, const char *pyproject,
			     size_t pplen, struct artifact *a)
{
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "poetry.lock", found_in);
	struct nameset direct = { 0 };
	json_t *doc = NULL;
	int rc = pyproject ? pyproject_direct(&lf, pyproject, pplen, &direct) : BOSUN_OK;
	if (rc == BOSUN_OK)
		rc = parse_toml(&lf, data, len, &doc);
	size_t i;
	json_t *pkg;
	json_array_foreach(json_object_get(doc, "package"), i, pkg) {
		struct package *p = NULL;
		if (rc == BOSUN_OK)
			rc = langpkg_add(&lf, PKG_PYPI, jslice(pkg, "name"), jslice(pkg, "version"), &p);
		if (!p)
			continue;
		p->dev = poetry_dev(pkg);
		set_relationship(&direct, p);
	}
	json_decref(doc);
	nameset_free(&direct);
	langpkg_end(&lf);
	return rc;
}

/* ---- Pipfile.lock ---- */

static int pipfile_direct(struct langpkg_file *lf, const char *data, size_t len, struct nameset *s)
{
	json_t *doc = NULL;
	struct berr e = { 0 };
	int rc = toml_lock_parse(data, len, "Pipfile", &doc, &e);
	if (rc == BOSUN_ENOMEM)
		return rc;
	if (rc != BOSUN_OK) {
		langpkg_warn(lf, "%s; direct dependencies unknown", e.msg);
		return BOSUN_OK;
	}
	s->known = true;
	rc = put_keys(s, json_object_get(doc, "packages"));
	if (rc == BOSUN_OK)
		rc = put_keys(s, json_object_get(doc, "dev-packages"));
	json_decref(doc);
	return rc;
}

/* "==2.31.0" -> "2.31.0"; NULL-length for anything but an exact pin. */
static struct slice pipfile_version(const json_t *entry)
{
	struct slice v = jslice(entry, "version");
	if (slice_starts_with(v, "==="))
		return slice_make(v.p + 3, v.n - 3);
	if (slice_starts_with(v, "=="))
		return slice_make(v.p + 2, v.n - 2);
	return slice_make(v.p, 0);
}

static int pipfile_section(struct langpkg_file *lf, const json_t *sect, const json_t *skip, bool dev,
			   const struct nameset *direct)
{
	const char *name;
	json_t *entry;
	json_object_foreach((json_t *)sect, name, entry) {
		if (!json_is_object(entry) || json_object_get(skip, name))
			continue;
		struct slice v = pipfile_version(entry);
		if (v.n == 0)
			continue; /* git, path or editable: no released version */
		struct package *p;
		TRY(langpkg_add(lf, PKG_PYPI, slice_cstr(name), v, &p));
		if (p) {
			p->dev = dev;
			set_relationship(direct, p);
		}
	}
	return BOSUN_OK;
}

int python_parse_pipfile_lock(const char *data, size_t len, const char *found_in, const char *pipfile,
			      size_t pflen, struct artifact *a)
{
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "Pipfile.lock", found_in);
	struct nameset direct = { 0 };
	int rc = pipfile ? pipfile_direct(&lf, pipfile, pflen, &direct) : BOSUN_OK;
	json_t *doc = NULL;
	struct berr e = { 0 };
	if (rc == BOSUN_OK && json_parse_bounded(data ? data : "", data ? len : 0, JSON_MAX_DEPTH, found_in, &doc, &e))
		langpkg_warn(&lf, "%s", e.msg);
	if (rc == BOSUN_OK && doc && !json_is_object(doc))
		langpkg_warn(&lf, "not a JSON object");
	const json_t *def = json_object_get(doc, "default");
	/* A package in both sections is a production dependency. */
	if (rc == BOSUN_OK)
		rc = pipfile_section(&lf, def, NULL, false, &direct);
	if (rc == BOSUN_OK)
		rc = pipfile_section(&lf, json_object_get(doc, "develop"), def, true, &direct);
	json_decref(doc);
	nameset_free(&direct);
	langpkg_end(&lf);
	return rc;
}

/* ---- uv.lock ---- */

/* Marks for the dependency walk. */
enum { UV_PROD = 1, UV_DEV = 2 };

struct uvnode {
	const char *norm; /* PEP 503 name, in the graph's arena; NULL if unusable */
	size_t pkg;       /* index in the [[package]] array */
};

/* The [[package]] array ordered by PEP 503 name, so that every package of
 * one name (forks lock a name at several versions) is found in one step. */
struct uvgraph {
	json_t *pkgs;
	size_t n;
	struct uvnode *nodes;  /* sorted by norm */
	struct nameset first;  /* norm -> 1 + its first position in nodes */
	unsigned char *mark;   /* per position: UV_PROD | UV_DEV */
	size_t *queue;         /* positions; each at most once per mark */
	size_t nqueue;
};

static int cmp_node(const void *x, const void *y)
{
	const struct uvnode *a = x, *b = y;
	if (!a->norm || !b->norm)
		return (a->norm == NULL) - (b->norm == NULL);
	int c = strcmp(a->norm, b->norm);
	return c ? c : (a->pkg > b->pkg) - (a->pkg < b->pkg);
}

static int uv_build(struct uvgraph *g)
{
	g->nodes = calloc(g->n, sizeof *g->nodes);
	g->mark = calloc(g->n, 1);
	g->queue = malloc(g->n * sizeof *g->queue);
	if (!g->nodes || !g->mark || !g->queue)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < g->n; i++) {
		const char *name = json_str(json_array_get(g->pkgs, i), "name");
		char norm[PY_NAME_BUF];
		g->nodes[i].pkg = i;
		if (name && python_normalize_name(slice_cstr(name), norm, sizeof norm) &&
		    !(g->nodes[i].norm = arena_strdup(&g->first.ar, norm)))
			return BOSUN_ENOMEM;
	}
	qsort(g->nodes, g->n, sizeof *g->nodes, cmp_node);
	for (size_t i = 0; i < g->n; i++)
		if (g->nodes[i].norm && !strmap_get(&g->first.map, g->nodes[i].norm))
			TRY(strmap_put(&g->first.map, g->nodes[i].norm, (void *)(uintptr_t)(i + 1)));
	return BOSUN_OK;
}

static void uv_free(struct uvgraph *g)
{
	free(g->nodes);
	free(g->mark);
	free(g->queue);
	nameset_free(&g->first);
}

/* Marks every package named name and queues the newly marked. */
static void uv_mark(struct uvgraph *g, const char *name, unsigned char m)
{
	void *at = name ? nameset_get(&g->first, name) : NULL;
	if (!at)
		return;
	size_t start = (size_t)(uintptr_t)at - 1;
	/* Only this function marks, and it marks a whole name at once: a
	 * marked first node means the name is done (keeps a lock naming one
	 * package many times linear). */
	if (g->mark[start] & m)
		return;
	for (size_t i = start; i < g->n; i++) {
		if (!g->nodes[i].norm || strcmp(g->nodes[i].norm, g->nodes[start].norm) != 0)
			break;
		if (g->mark[i] & m)
			continue;
		g->mark[i] |= m;
		g->queue[g->nqueue++] = i;
	}
}

/* Every { name = ... } of a dependency array. */
static void uv_mark_deps(struct uvgraph *g, const json_t *deps, unsigned char m)
{
	size_t i;
	json_t *d;
	json_array_foreach((json_t *)deps, i, d)
		uv_mark(g, json_str(d, "name"), m);
}

/* Every dependency array among the values of obj (optional-dependencies
 * and dev-dependencies are keyed by extra / group). */
static void uv_mark_groups(struct uvgraph *g, const json_t *obj, unsigned char m)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)obj, k, v)
		uv_mark_deps(g, v, m);
}

static bool uv_member(const json_t *pkg);

/* Breadth-first from what the members depend on, once for production
 * (dependencies and extras) and once for dev groups: a package reachable
 * through production dependencies is production even if a dev group also
 * pulls it in. What the members name themselves is direct. */
static int uv_walk(struct uvgraph *g, struct nameset *direct)
{
	for (unsigned char m = UV_PROD; m <= UV_DEV; m <<= 1) {
		g->nqueue = 0;
		for (size_t i = 0; i < g->n; i++) {
			const json_t *pkg = json_array_get(g->pkgs, i);
			if (!uv_member(pkg))
				continue;
			if (m == UV_PROD) {
				uv_mark_deps(g, json_object_get(pkg, "dependencies"), m);
				uv_mark_groups(g, json_object_get(pkg, "optional-dependencies"), m);
			} else {
				uv_mark_groups(g, json_object_get(pkg, "dev-dependencies"), m);
			}
		}
		for (size_t q = 0; q < g->nqueue; q++)
			TRY(nameset_put(direct, slice_cstr(g->nodes[g->queue[q]].norm), (void *)1));
		for (size_t q = 0; q < g->nqueue; q++) {
			const json_t *pkg = json_array_get(g->pkgs, g->nodes[g->queue[q]].pkg);
			uv_mark_deps(g, json_object_get(pkg, "dependencies"), m);
			uv_mark_groups(g, json_object_get(pkg, "optional-dependencies"), m);
		}
	}
	return BOSUN_OK;
}

/* Workspace members (the project itself): installed from the tree, not
 * from an index, under a version nobody else publishes. */
static bool uv_member(const json_t *pkg)
{
	const json_t *src = json_object_get(pkg, "source");
	return json_object_get(src, "editable") || json_object_get(src, "virtual");
}

/* In array order, so that the output follows the file. */
static int uv_add(struct langpkg_file *lf, const struct uvgraph *g, const struct nameset *direct)
{
	unsigned char *mark_of = calloc(g->n ? g->n : 1, 1);
	if (!mark_of)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < g->n; i++)
		mark_of[g->nodes[i].pkg] = g->mark[i];
	int rc = BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && i < g->n; i++) {
		const json_t *pkg = json_array_get(g->pkgs, i);
		struct package *p;
		if (uv_member(pkg))
			continue;
		rc = langpkg_add(lf, PKG_PYPI, jslice(pkg, "name"), jslice(pkg, "version"), &p);
		if (rc != BOSUN_OK || !p || !direct->known)
			continue;
		p->dev = mark_of[i] == UV_DEV;
		p->relationship = nameset_get(direct, p->name) ? "direct" : "indirect";
	}
	free(mark_of);
	return rc;
}

int python_parse_uv_lock(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "uv.lock", found_in);
	json_t *doc = NULL;
	int rc = parse_toml(&lf, data, len, &doc);
	struct uvgraph g = { .pkgs = json_object_get(doc, "package") };
	g.n = json_array_size(g.pkgs);
	struct nameset direct = { 0 };
	/* Without a member the lock says nothing about who needs what. */
	for (size_t i = 0; i < g.n; i++)
		direct.known |= uv_member(json_array_get(g.pkgs, i));
	if (rc == BOSUN_OK && g.n)
		rc = uv_build(&g);
	if (rc == BOSUN_OK && g.n)
		rc = uv_walk(&g, &direct);
	if (rc == BOSUN_OK && g.n)
		rc = uv_add(&lf, &g, &direct);
	uv_free(&g);
	nameset_free(&direct);
	json_decref(doc);
	langpkg_end(&lf);
	return rc;
}
