/* pnpm-lock.yaml (read through yaml_json).
 *
 * "packages" lists every resolved package under a dependency path whose
 * spelling changed between lockfile versions:
 *     v5   /name/1.2.3   /@scope/name/1.2.3_peer@2.0.0
 *     v6   /name@1.2.3   /@scope/name@1.2.3(peer@2.0.0)
 *     v9   name@1.2.3    @scope/name@1.2.3        (peers only in "snapshots")
 * Tarball, git and local entries carry "name" and "version" fields and a
 * URL or file: in the key.
 * The project's own dependencies sit in "importers" (one per workspace
 * project; v5/v6 single projects put the lists at the top level): v5 maps
 * name -> version, v6+ name -> {specifier, version}.
 * v5/v6 mark packages "dev: true" (dev only) or "dev: false" (prod only);
 * no flag means both. v9 has no flags: dev-only is what the importers'
 * devDependencies reach through "snapshots" and their dependencies don't. */
#include "analyze/npm.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/npm_common.h"
#include "util/err.h"
#include "util/json.h"
#include "util/yaml_json.h"

enum { REACH_PROD = 1, REACH_DEV = 2 };

struct pnpm {
	struct npm_sink sink;
	int major;              /* lockfile format: 5, 6 or 9 */
	const json_t *snapshots;
	struct strmap direct;   /* "name@version" an importer names -> 1 */
	struct strmap visited;  /* v9 snapshot key -> reach bits */
	struct strmap reached;  /* v9 "name@version" -> reach bits */
	struct arena ar;
	bool any_importer;
};

/* ---- dependency paths ---- */

/* Cuts the peer suffix off a version: "_" (v5) or "(" (v6+). */
static struct slice strip_peers(const struct pnpm *p, struct slice v)
{
	for (size_t i = 0; i < v.n; i++)
		if (v.p[i] == '(' || (p->major < 6 && v.p[i] == '_'))
			return slice_make(v.p, i);
	return v;
}

/* Splits a dependency path (a "packages" or "snapshots" key, or an alias
 * value) into name and version, peers stripped. */
static bool dep_path(const struct pnpm *p, struct slice k, struct slice *name, struct slice *version)
{
	if (k.n && k.p[0] == '/') {
		k = slice_make(k.p + 1, k.n - 1);
	} else if (p->major < 9) {
		const char *slash = memchr(k.p, '/', k.n); /* "registry.example.org/name/1.0.0" */
		if (!slash)
			return false;
		k = slice_make(slash + 1, k.n - (size_t)(slash + 1 - k.p));
	}
	size_t start = 0;
	if (k.n && k.p[0] == '@') {
		const char *slash = memchr(k.p, '/', k.n);
		if (!slash)
			return false;
		start = (size_t)(slash - k.p) + 1;
	}
	const char *sep = memchr(k.p + start, p->major < 6 ? '/' : '@', k.n - start);
	if (!sep || sep == k.p)
		return false;
	*name = slice_make(k.p, (size_t)(sep - k.p));
	*version = strip_peers(p, slice_make(sep + 1, k.n - name->n - 1));
	return true;
}

/* ---- importers ---- */

/* An importer's entry: v5 "1.2.3_peer", v6+ {version: "1.2.3(peer)"};
 * "link:..." is a workspace folder. Aliases and non-registry sources are
 * dependency paths ("/real/1.0.0" in v5, "real@1.0.0" in v9). */
static bool importer_ref(const json_t *v, struct slice *ref)
{
	if (json_is_object(v))
		v = json_object_get(v, "version");
	if (!json_is_string(v))
		return false;
	*ref = slice_make(json_string_value(v), json_string_length(v));
	return ref->n && !slice_starts_with(*ref, "link:");
}

/* The package an importer or snapshot dependency (name: ref) refers to. */
static bool ref_package(const struct pnpm *p, struct slice name, struct slice ref, struct slice *pname,
			struct slice *version)
{
	if (ref.n && ref.p[0] >= '0' && ref.p[0] <= '9') {
		*pname = name;
		*version = strip_peers(p, ref);
		return true;
	}
	return dep_path(p, ref, pname, version);
}

/* The snapshot key (v9) of a dependency: "name@ref" for a version, the ref
 * itself for an alias ("real@1.0.0(peer@1)"). */
static char *snapshot_key(struct pnpm *p, struct slice name, struct slice ref)
{
	if (ref.n && ref.p[0] >= '0' && ref.p[0] <= '9')
		return arena_printf(&p->ar, "%.*s@%.*s", (int)name.n, name.p, (int)ref.n, ref.p);
	struct slice real, version;
	if (npm_split_descriptor(ref, &real, &version) && npm_name_valid(real) && version.n && version.p[0] >= '0' &&
	    version.p[0] <= '9')
		return arena_printf(&p->ar, "%.*s", (int)ref.n, ref.p);
	return arena_printf(&p->ar, "%.*s@%.*s", (int)name.n, name.p, (int)ref.n, ref.p);
}

/* ---- v9 reachability ---- */

struct queue {
	const char **keys;
	size_t n, cap;
};

static int push(struct pnpm *p, struct queue *q, const char *key, unsigned bit)
{
	void *iter = json_object_iter_at((json_t *)p->snapshots, key);
	if (!iter)
		return BOSUN_OK;
	const char *stored = json_object_iter_key(iter); /* lives as long as the document */
	uintptr_t bits = (uintptr_t)strmap_get(&p->visited, stored);
	if (bits & bit)
		return BOSUN_OK;
	TRY(strmap_put(&p->visited, stored, (void *)(bits | bit)));
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 256;
		const char **k = realloc(q->keys, cap * sizeof *k);
		if (!k)
			return BOSUN_ENOMEM;
		q->keys = k;
		q->cap = cap;
	}
	q->keys[q->n++] = stored;
	return BOSUN_OK;
}

/* Marks the package of one snapshot key ("name@1.0.0(peer)"). */
static int mark_package(struct pnpm *p, const char *key, unsigned bit)
{
	struct slice name, version;
	if (!npm_split_descriptor(slice_cstr(key), &name, &version))
		return BOSUN_OK;
	version = strip_peers(p, version);
	char *pkg = arena_printf(&p->ar, "%.*s@%.*s", (int)name.n, name.p, (int)version.n, version.p);
	if (!pkg)
		return BOSUN_ENOMEM;
	uintptr_t bits = (uintptr_t)strmap_get(&p->reached, pkg);
	return strmap_put(&p->reached, pkg, (void *)(bits | bit));
}

static int walk_deps(struct pnpm *p, struct queue *q, const json_t *snap, unsigned bit)
{
	static const char *const lists[] = { "dependencies", "optionalDependencies" };
	for (size_t i = 0; i < 2; i++) {
		const char *name;
		const json_t *v;
		json_object_foreach(json_object_get(snap, lists[i]), name, v) {
			if (!json_is_string(v))
				continue;
			char *key = snapshot_key(p, slice_cstr(name), slice_make(json_string_value(v), json_string_length(v)));
			if (!key)
				return BOSUN_ENOMEM;
			TRY(push(p, q, key, bit));
		}
	}
	return BOSUN_OK;
}

/* Everything reachable from the queued snapshots (breadth first). */
static int spread(struct pnpm *p, struct queue *q, unsigned bit)
{
	for (size_t head = 0; head < q->n; head++) {
		const char *key = q->keys[head];
		TRY(mark_package(p, key, bit));
		TRY(walk_deps(p, q, json_object_get(p->snapshots, key), bit));
	}
	q->n = 0;
	return BOSUN_OK;
}

/* ---- importers ---- */

/* Direct dependencies are recorded both as name@version and, for
 * sources without a version (tarballs, git), as name@ref, the way a v9
 * "packages" key spells them. */
static int add_direct(struct pnpm *p, struct slice name, struct slice version)
{
	char *key = arena_printf(&p->ar, "%.*s@%.*s", (int)name.n, name.p, (int)version.n, version.p);
	if (!key)
		return BOSUN_ENOMEM;
	return strmap_put(&p->direct, key, (void *)1);
}

static bool is_direct(const struct pnpm *p, struct buf *b, struct slice name, struct slice version)
{
	buf_reset(b);
	return buf_printf(b, "%.*s@%.*s", (int)name.n, name.p, (int)version.n, version.p) == BOSUN_OK &&
	       strmap_getn(&p->direct, b->data, b->len);
}

static int importer_list(struct pnpm *p, const json_t *list, struct queue *q, unsigned bit)
{
	const char *name;
	const json_t *v;
	json_object_foreach((json_t *)list, name, v) {
		struct slice ref, pname, version;
		if (!importer_ref(v, &ref))
			continue;
		TRY(add_direct(p, slice_cstr(name), strip_peers(p, ref)));
		if (ref_package(p, slice_cstr(name), ref, &pname, &version))
			TRY(add_direct(p, pname, version));
		if (p->snapshots) {
			char *snap = snapshot_key(p, slice_cstr(name), ref);
			if (!snap)
				return BOSUN_ENOMEM;
			TRY(push(p, q, snap, bit));
		}
	}
	return BOSUN_OK;
}

/* Production lists first, so that "dev" means reached only through
 * devDependencies. */
static int importer(struct pnpm *p, const json_t *imp)
{
	struct queue q = { 0 };
	int rc = importer_list(p, json_object_get(imp, "dependencies"), &q, REACH_PROD);
	if (!rc)
		rc = importer_list(p, json_object_get(imp, "optionalDependencies"), &q, REACH_PROD);
	if (!rc)
		rc = spread(p, &q, REACH_PROD);
	if (!rc)
		rc = importer_list(p, json_object_get(imp, "devDependencies"), &q, REACH_DEV);
	if (!rc)
		rc = spread(p, &q, REACH_DEV);
	free(q.keys);
	p->any_importer = true;
	return rc;
}

static int importers(struct pnpm *p, const json_t *doc)
{
	const json_t *all = json_object_get(doc, "importers");
	if (!json_is_object(all))
		return importer(p, doc);
	const char *path;
	const json_t *imp;
	json_object_foreach((json_t *)all, path, imp)
		if (json_is_object(imp))
			TRY(importer(p, imp));
	return BOSUN_OK;
}

/* ---- packages ---- */

static bool local_key(struct slice key)
{
	return memmem(key.p, key.n, "@file:", 6) || memmem(key.p, key.n, "/file:", 6) ||
	       memmem(key.p, key.n, "@link:", 6) || slice_starts_with(key, "file:") || slice_starts_with(key, "link:");
}

static bool package_dev(struct pnpm *p, struct slice name, struct slice version, const json_t *obj, int *rc)
{
	*rc = BOSUN_OK;
	if (p->major < 9)
		return json_is_true(json_object_get(obj, "dev"));
	char *key = arena_printf(&p->ar, "%.*s@%.*s", (int)name.n, name.p, (int)version.n, version.p);
	if (!key) {
		*rc = BOSUN_ENOMEM;
		return false;
	}
	uintptr_t bits = (uintptr_t)strmap_get(&p->reached, key);
	return (bits & REACH_DEV) && !(bits & REACH_PROD);
}

static int package(struct pnpm *p, const char *key, const json_t *obj)
{
	struct slice k = slice_cstr(key), name = npm_jslice(obj, "name"), version = npm_jslice(obj, "version");
	struct slice kname = { 0 }, kversion = { 0 };
	if (local_key(k))
		return BOSUN_OK; /* a folder or tarball of the project itself */
	bool parsed = dep_path(p, k, &kname, &kversion);
	if (name.n == 0)
		name = kname;
	if (version.n == 0)
		version = kversion;
	if (!parsed && name.n == 0) {
		npm_sink_warn(&p->sink, "package \"%.128s\": no name, skipped", key);
		return BOSUN_OK;
	}
	if (!npm_name_valid(name) || !npm_registry_version(version)) {
		npm_sink_warn(&p->sink, "package \"%.128s\": unusable name or version, skipped", key);
		return BOSUN_OK;
	}
	int rc;
	bool dev = package_dev(p, parsed ? kname : name, parsed ? kversion : version, obj, &rc);
	TRY(rc);
	enum npm_rel rel = NPM_REL_UNKNOWN;
	if (p->any_importer) {
		struct buf b = { 0 };
		bool direct = is_direct(p, &b, name, version) || (parsed && is_direct(p, &b, kname, kversion));
		buf_free(&b);
		rel = direct ? NPM_REL_DIRECT : NPM_REL_INDIRECT;
	}
	return npm_sink_add(&p->sink, name, version, NULL, dev, rel, NULL);
}

/* ---- entry point ---- */

/* 5.4 (a YAML number), '6.0', '9.0'; clamped to 0..1000. */
static int lockfile_major(const json_t *v)
{
	double d = 0;
	if (json_is_string(v))
		d = strtod(json_string_value(v), NULL);
	else if (json_is_number(v))
		d = json_number_value(v);
	return d > 1000 ? 1000 : d > 0 ? (int)d : 0;
}

static int parse_doc(struct pnpm *p, const json_t *doc)
{
	if (!json_is_object(doc)) {
		npm_sink_warn(&p->sink, "not a YAML mapping");
		return BOSUN_OK;
	}
	int major = lockfile_major(json_object_get(doc, "lockfileVersion"));
	if (major < 5 || major > 9)
		npm_sink_warn(&p->sink, "lockfileVersion %d is not one of 5, 6, 9; read as %d", major, major < 5 ? 5 : 9);
	p->major = major < 5 ? 5 : major > 9 ? 9 : major;
	p->snapshots = p->major >= 9 && json_is_object(json_object_get(doc, "snapshots"))
			       ? json_object_get(doc, "snapshots")
			       : NULL;
	TRY(importers(p, doc));
	const char *key;
	const json_t *obj;
	json_object_foreach(json_object_get(doc, "packages"), key, obj) {
		if (json_is_object(obj))
			TRY(package(p, key, obj));
		if (p->sink.full)
			break;
	}
	return BOSUN_OK;
}

int pnpm_parse_lock(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	struct pnpm p = { 0 };
	npm_sink_init(&p.sink, a, "pnpm", found_in);
	struct yaml_json_limits lim = { .max_bytes = NPM_MAX_LOCKFILE_BYTES,
					.max_depth = 32,
					.max_nodes = 16u << 20,
					.max_alias_nodes = 1000 };
	json_t *doc = NULL;
	struct berr e = { 0 };
	int rc = BOSUN_OK;
	if (yaml_json_parse(data ? data : "", data ? len : 0, &lim, "content", &doc, &e) != BOSUN_OK) {
		if (e.code == BOSUN_ENOMEM)
			rc = BOSUN_ENOMEM;
		else
			npm_sink_warn(&p.sink, "%s", e.msg);
	} else {
		rc = parse_doc(&p, doc);
	}
	json_decref(doc);
	strmap_free(&p.direct);
	strmap_free(&p.visited);
	strmap_free(&p.reached);
	arena_free(&p.ar);
	npm_sink_done(&p.sink);
	return rc;
}
