/* .NET: *.deps.json and NuGet's packages.lock.json, and the analyzer. */
#include "analyze/dotnet.h"

#include <stdint.h>
#include <string.h>

#include "analyze/analyzer.h"
#include "analyze/langpkg.h"
#include "util/err.h"
#include "util/json.h"
#include "util/strmap.h"

#define JSON_MAX_DEPTH 64

static int parse_json(struct langpkg_file *lf, const char *data, size_t len, json_t **doc)
{
	struct berr e = { 0 };
	*doc = NULL;
	if (json_parse_bounded(data ? data : "", data ? len : 0, JSON_MAX_DEPTH, lf->path, doc, &e) != BOSUN_OK)
		langpkg_warn(lf, "%s", e.msg);
	return BOSUN_OK;
}

/* ---- deps.json ---- */

static bool has_entries(const json_t *o) { return json_is_object(o) && json_object_size(o) > 0; }

/* The libraries of the runtime target, or NULL when the file does not
 * describe it (then every package counts). */
static const json_t *runtime_target(const json_t *doc)
{
	const char *name = json_str(json_object_get(doc, "runtimeTarget"), "name");
	const json_t *t = name ? json_object_get(json_object_get(doc, "targets"), name) : NULL;
	return json_is_object(t) ? t : NULL;
}

/* Whether the running application loads anything of library key. */
static bool at_runtime(const json_t *target, const char *key)
{
	if (!target)
		return true;
	const json_t *lib = json_object_get(target, key);
	return has_entries(json_object_get(lib, "runtime")) || has_entries(json_object_get(lib, "runtimeTargets")) ||
	       has_entries(json_object_get(lib, "native")) || has_entries(json_object_get(lib, "resources"));
}

int dotnet_parse_deps_json(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "deps.json", found_in);
	json_t *doc;
	TRY(parse_json(&lf, data, len, &doc));
	const json_t *target = runtime_target(doc);
	const char *key;
	json_t *lib;
	int rc = BOSUN_OK;
	json_object_foreach(json_object_get(doc, "libraries"), key, lib) {
		const char *type = json_str(lib, "type");
		/* "project" is the application itself, "reference" a plain
		 * assembly: neither comes from NuGet. */
		if (rc != BOSUN_OK || !type || strcmp(type, "package") != 0 || !at_runtime(target, key))
			continue;
		struct slice name, version;
		if (!slice_split(slice_cstr(key), '/', &name, &version)) {
			langpkg_warn(&lf, "library \"%.64s\" is not \"Id/Version\", skipped", key);
			continue;
		}
		struct package *p;
		rc = langpkg_add(&lf, PKG_NUGET, name, version, &p);
	}
	json_decref(doc);
	langpkg_end(&lf);
	return rc;
}

/* ---- packages.lock.json ---- */

struct lock {
	struct langpkg_file lf;
	struct strmap seen; /* "Id Version" -> 1 + index in a->pkgs */
	struct arena ar;
};

static int lock_entry(struct lock *l, const char *id, const json_t *dep)
{
	const char *type = json_str(dep, "type");
	const char *resolved = json_str(dep, "resolved");
	if (!type || strcmp(type, "Project") == 0 || !resolved)
		return BOSUN_OK; /* the solution's own projects */
	bool direct = strcmp(type, "Direct") == 0;
	char *key = arena_printf(&l->ar, "%s %s", id, resolved);
	if (!key)
		return BOSUN_ENOMEM;
	struct artifact *a = l->lf.a;
	void *seen = strmap_get(&l->seen, key);
	if (seen) {
		if (direct)
			a->pkgs[(size_t)(uintptr_t)seen - 1].relationship = "direct";
		return BOSUN_OK;
	}
	struct package *p;
	TRY(langpkg_add(&l->lf, PKG_NUGET, slice_cstr(id), slice_cstr(resolved), &p));
	if (!p)
		return BOSUN_OK;
	p->relationship = direct ? "direct" : "indirect";
	return strmap_put(&l->seen, key, (void *)(uintptr_t)a->npkgs);
}

int dotnet_parse_packages_lock(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	struct lock l = { 0 };
	langpkg_begin(&l.lf, a, "packages.lock.json", found_in);
	json_t *doc;
	TRY(parse_json(&l.lf, data, len, &doc));
	int rc = BOSUN_OK;
	const char *fw, *id;
	json_t *deps, *dep;
	json_object_foreach(json_object_get(doc, "dependencies"), fw, deps) {
		json_object_foreach(deps, id, dep) {
			if (rc == BOSUN_OK)
				rc = lock_entry(&l, id, dep);
		}
	}
	strmap_free(&l.seen);
	arena_free(&l.ar);
	json_decref(doc);
	langpkg_end(&l.lf);
	return rc;
}

/* ---- the analyzer ---- */

extern const struct analyzer analyzer_dotnet;

static bool is_deps_json(const char *path, size_t len)
{
	return langpkg_has_suffix(path, len, ".deps.json") && strcmp(langpkg_basename(path), ".deps.json") != 0;
}

static bool is_lock(const char *path) { return strcmp(langpkg_basename(path), "packages.lock.json") == 0; }

static bool wants(const char *path, size_t len) { return is_deps_json(path, len) || is_lock(path); }

static int parse_deps(const struct scan_file *f, struct artifact *out, struct berr *e)
{
	(void)e;
	return dotnet_parse_deps_json((const char *)f->data, f->size, f->path, out);
}

struct netctx {
	const struct scan_view *v;
	struct artifact *a;
	struct berr *e;
};

static int each_file(const struct scan_file *f, void *vctx)
{
	struct netctx *c = vctx;
	/* packages.lock.json counts in images too, as in Trivy: with a
	 * locked-mode restore it is what the image's NuGet cache holds
	 * (docs/analyzers-lang.md). */
	bool lock = is_lock(f->path);
	if (!f->data) {
		langpkg_warn_unread(c->a, "dotnet", f);
		return BOSUN_OK;
	}
	if (!lock) /* rewritten by each publish: layers as for package databases */
		return langpkg_parse_with_history(c->v, f, parse_deps, c->a, c->e);
	size_t first = c->a->npkgs;
	TRY(dotnet_parse_packages_lock((const char *)f->data, f->size, f->path, c->a));
	for (size_t i = first; i < c->a->npkgs; i++)
		c->a->pkgs[i].layer = f->layer;
	return BOSUN_OK;
}

static int analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	struct netctx c = { v, a, e };
	int rc = view_each_wanted(v, &analyzer_dotnet, each_file, &c);
	if (rc != BOSUN_OK)
		return berr_set(e, rc, "dotnet: %s", bosun_strerror(rc));
	return BOSUN_OK;
}

const struct analyzer analyzer_dotnet = { "dotnet", 1, wants, analyze };
