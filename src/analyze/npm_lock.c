/* package-lock.json and npm-shrinkwrap.json (same format).
 *
 * v2 and v3 list every installed folder under "packages", keyed by its path
 * ("node_modules/a/node_modules/b"); "" is the project itself, and a link
 * ({"link": true, "resolved": "packages/x"}) stands for a folder elsewhere
 * in the project (a workspace or a file: dependency) whose own entry sits
 * under its real path. Links are resolved first, so that a linked folder
 * and everything below it count as installed at the link's place, the way
 * node will load them. v1 (npm 5 and 6) nests "dependencies" instead. */
#include "analyze/npm.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/npm_common.h"
#include "util/err.h"
#include "util/json.h"

/* JSON nesting: v1 nests two levels per node_modules level, and real trees
 * stay far below 60 levels of node_modules. */
#define LOCK_MAX_DEPTH 128
/* Workspace globs: npm matches them with minimatch; fnmatch is bounded
 * here in count, length and stars so that hostile patterns stay cheap. */
#define LOCK_MAX_WORKSPACES 64
#define LOCK_MAX_GLOB 256
#define LOCK_MAX_GLOB_STARS 8
#define NM "node_modules/"

struct entry {
	const char *path;     /* after link resolution */
	const json_t *obj;
	bool link_target;     /* the folder a link points at: may lack a version */
	bool direct;
};

struct lock {
	struct npm_sink sink;
	struct arena ar;        /* resolved paths */
	struct strmap targets;  /* link target -> link path */
	struct strmap paths;    /* resolved path -> struct entry * */
	struct entry *ents;
	size_t n;
	const json_t *workspaces;
};

/* ---- v1 ---- */

/* "npm:real@1.2.3" (an alias installed under another name). */
static void unalias(struct slice *name, struct slice *version)
{
	struct slice real, range;
	if (slice_starts_with(*version, "npm:") &&
	    npm_split_descriptor(slice_make(version->p + 4, version->n - 4), &real, &range)) {
		*name = real;
		*version = range;
	}
}

static int v1_add(struct lock *l, const char *key, const json_t *obj)
{
	struct slice name = slice_cstr(key), version = npm_jslice(obj, "version");
	unalias(&name, &version);
	if (!npm_name_valid(name)) {
		npm_sink_warn(&l->sink, "dependency with an unusable name skipped");
		return BOSUN_OK;
	}
	if (!npm_registry_version(version))
		return BOSUN_OK; /* git, tarball and file: sources have no registry version */
	return npm_sink_add(&l->sink, name, version, NULL, json_is_true(json_object_get(obj, "dev")),
			    NPM_REL_UNKNOWN, NULL);
}

static int v1_deps(struct lock *l, const json_t *deps, int depth)
{
	const char *key;
	const json_t *obj;
	json_object_foreach((json_t *)deps, key, obj) {
		if (!json_is_object(obj)) {
			npm_sink_warn(&l->sink, "dependency \"%.64s\" is not an object, skipped", key);
			continue;
		}
		TRY(v1_add(l, key, obj));
		const json_t *sub = json_object_get(obj, "dependencies");
		if (json_is_object(sub) && depth < LOCK_MAX_DEPTH)
			TRY(v1_deps(l, sub, depth + 1));
	}
	return BOSUN_OK;
}

/* ---- v2 / v3: links ---- */

static bool is_link(const json_t *obj) { return json_is_true(json_object_get(obj, "link")); }

static int collect_links(struct lock *l, const json_t *packages)
{
	const char *key;
	const json_t *obj;
	json_object_foreach((json_t *)packages, key, obj) {
		if (!json_is_object(obj) || !is_link(obj))
			continue;
		const char *target = json_str(obj, "resolved");
		if (!target || !*target) {
			npm_sink_warn(&l->sink, "link %.128s has no \"resolved\" target, skipped", key);
			continue;
		}
		if (!strmap_get(&l->targets, target)) /* the first link to a folder names it */
			TRY(strmap_put(&l->targets, target, (void *)key));
	}
	return BOSUN_OK;
}

/* The link whose target is path or its closest ancestor folder; *cut is
 * the length of that target. */
static const char *link_for(const struct lock *l, const char *path, size_t *cut)
{
	for (size_t n = strlen(path); n > 0; n--) {
		if (path[n] != '\0' && path[n] != '/')
			continue;
		const char *link = strmap_getn(&l->targets, path, n);
		if (link) {
			*cut = n;
			return link;
		}
	}
	return NULL;
}

static bool glob_usable(const json_t *g)
{
	if (!json_is_string(g) || json_string_length(g) > LOCK_MAX_GLOB)
		return false;
	size_t stars = 0;
	for (const char *c = json_string_value(g); *c; c++)
		stars += *c == '*';
	return stars <= LOCK_MAX_GLOB_STARS;
}

/* The root's "workspaces": a list of folder globs or, as yarn writes it,
 * {"packages": [globs]}. */
static bool is_workspace(const struct lock *l, const char *path)
{
	const json_t *ws = l->workspaces;
	if (json_is_object(ws))
		ws = json_object_get(ws, "packages");
	size_t i;
	const json_t *g;
	json_array_foreach((json_t *)ws, i, g) {
		if (i >= LOCK_MAX_WORKSPACES)
			break;
		if (glob_usable(g) && fnmatch(json_string_value(g), path, FNM_PATHNAME) == 0)
			return true;
	}
	return false;
}

/* Places one non-link entry at its resolved path. */
static int place(struct lock *l, const char *key, const json_t *obj)
{
	struct entry *en = &l->ents[l->n];
	*en = (struct entry){ .path = key, .obj = obj };
	size_t cut = 0;
	const char *link = link_for(l, key, &cut);
	if (link) {
		en->path = arena_printf(&l->ar, "%s%s", link, key + cut);
		if (!en->path)
			return BOSUN_ENOMEM;
		en->link_target = key[cut] == '\0';
		en->direct = en->link_target && is_workspace(l, key);
	}
	if (strmap_get(&l->paths, en->path))
		return BOSUN_OK; /* two folders resolve to one place: the first wins */
	TRY(strmap_put(&l->paths, en->path, en));
	l->n++;
	return BOSUN_OK;
}

static int place_all(struct lock *l, const json_t *packages)
{
	l->ents = calloc(json_object_size(packages) + 1, sizeof *l->ents);
	if (!l->ents)
		return BOSUN_ENOMEM;
	const char *key;
	const json_t *obj;
	json_object_foreach((json_t *)packages, key, obj) {
		if (!*key || !json_is_object(obj) || is_link(obj))
			continue;
		TRY(place(l, key, obj));
	}
	return BOSUN_OK;
}

/* The root's dependency lists name the direct dependencies, installed at
 * node_modules/NAME. */
static void mark_direct(struct lock *l, const json_t *root)
{
	static const char *const lists[] = { "dependencies", "optionalDependencies", "devDependencies",
					     "peerDependencies" };
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		const char *name;
		const json_t *range;
		json_object_foreach(json_object_get(root, lists[i]), name, range) {
			char path[sizeof NM + NPM_NAME_MAX + 1];
			int n = snprintf(path, sizeof path, NM "%s", name);
			struct entry *en = n > 0 && (size_t)n < sizeof path ? strmap_get(&l->paths, path) : NULL;
			if (en)
				en->direct = true;
		}
	}
}

/* ---- v2 / v3: packages ---- */

static struct slice name_from_path(const char *path)
{
	const char *last = path, *p = path;
	while ((p = strstr(p, NM))) {
		p += sizeof NM - 1;
		last = p;
	}
	return slice_cstr(last);
}

static int v2_add(struct lock *l, const struct entry *en)
{
	if (strncmp(en->path, NM, sizeof NM - 1) != 0)
		return BOSUN_OK; /* a workspace folder nobody links to, or the like */
	struct slice name = npm_jslice(en->obj, "name"), version = npm_jslice(en->obj, "version");
	if (name.n == 0)
		name = name_from_path(en->path);
	if (!npm_name_valid(name)) {
		npm_sink_warn(&l->sink, "%.128s: unusable package name, skipped", en->path);
		return BOSUN_OK;
	}
	if (version.n == 0 && !en->link_target) {
		npm_sink_warn(&l->sink, "%.128s: no version, skipped", en->path);
		return BOSUN_OK;
	}
	if (version.n && !npm_registry_version(version))
		return BOSUN_OK;
	char *license;
	TRY(npm_license(&l->sink.a->arena, en->obj, &license));
	return npm_sink_add(&l->sink, name, version, license, json_is_true(json_object_get(en->obj, "dev")),
			    en->direct ? NPM_REL_DIRECT : NPM_REL_INDIRECT, NULL);
}

static int v2_packages(struct lock *l, const json_t *packages)
{
	const json_t *root = json_object_get(packages, "");
	l->workspaces = json_object_get(root, "workspaces");
	TRY(collect_links(l, packages));
	TRY(place_all(l, packages));
	mark_direct(l, root);
	for (size_t i = 0; i < l->n; i++)
		TRY(v2_add(l, &l->ents[i]));
	return BOSUN_OK;
}

/* ---- entry point ---- */

static int parse_doc(struct lock *l, const json_t *doc)
{
	if (!json_is_object(doc)) {
		npm_sink_warn(&l->sink, "not a JSON object");
		return BOSUN_OK;
	}
	const json_t *ver = json_object_get(doc, "lockfileVersion");
	json_int_t v = json_is_integer(ver) ? json_integer_value(ver) : 0;
	if (v > 3)
		npm_sink_warn(&l->sink, "lockfileVersion %lld is newer than 3, read as 3", (long long)v);
	const json_t *packages = json_object_get(doc, "packages"), *deps = json_object_get(doc, "dependencies");
	/* v2 carries both; "packages" is the complete one. */
	if (v != 1 && json_is_object(packages))
		return v2_packages(l, packages);
	if (json_is_object(deps))
		return v1_deps(l, deps, 0);
	if (!json_is_object(packages))
		npm_sink_warn(&l->sink, "neither \"packages\" nor \"dependencies\"");
	return BOSUN_OK;
}

int npm_parse_lockfile(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	struct lock l = { 0 };
	npm_sink_init(&l.sink, a, "npm", found_in);
	json_t *doc = NULL;
	struct berr e = { 0 };
	int rc = BOSUN_OK;
	if (len > NPM_MAX_LOCKFILE_BYTES)
		npm_sink_warn(&l.sink, "%zu bytes is above the %u-byte limit, skipped", len, NPM_MAX_LOCKFILE_BYTES);
	else if (npm_json_parse(data ? data : "", data ? len : 0, LOCK_MAX_DEPTH, "content", &doc, &e) != BOSUN_OK)
		npm_sink_warn(&l.sink, "%s", e.msg);
	else
		rc = parse_doc(&l, doc);
	json_decref(doc);
	free(l.ents);
	strmap_free(&l.targets);
	strmap_free(&l.paths);
	arena_free(&l.ar);
	npm_sink_done(&l.sink);
	return rc;
}
