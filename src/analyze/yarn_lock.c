/* yarn.lock, v1 and berry (yarn 2+).
 *
 * v1 is yarn's own indentation format:
 *
 *     "@babel/core@^7.0.0", "@babel/core@^7.1.0":
 *       version "7.1.2"
 *       resolved "https://registry.yarnpkg.com/..."
 *       dependencies:
 *         debug "^4.1.0"
 *
 * One entry per resolved package, headed by every descriptor (name@range)
 * that resolved to it; fields indented by two spaces, dependency lists by
 * four. The parser here walks lines as slices of the input and keeps only
 * descriptors, versions and dependency edges; anything else is skipped.
 *
 * Berry writes YAML (the file starts with __metadata) with a "resolution"
 * per entry ("lodash@npm:4.17.21"); it goes through yaml_json.
 *
 * Neither format says which packages are dev-only or direct: that comes
 * from the project's package.json, whose dependency lists are the roots of
 * the lockfile's dependency graph. */
#include "analyze/npm.h"

#include <stdlib.h>
#include <string.h>

#include "analyze/npm_common.h"
#include "util/err.h"
#include "util/json.h"
#include "util/yaml_json.h"

#define YARN_MAX_EDGES (8u << 20)  /* descriptors and dependency edges, each */
#define MANIFEST_MAX_DEPTH 64
#define NONE UINT32_MAX

enum { REACH_PROD = 1, REACH_DEV = 2 };

/* A descriptor: a header pattern (owner = its entry) or a dependency edge
 * (owner = the depending entry, target = the entry it resolves to). */
struct desc {
	struct slice name, range;
	uint32_t owner, target;
};

struct entry {
	struct slice name, version; /* the package (an alias names the real one) */
	size_t line;
	uint32_t dep_start, dep_end;
	bool usable, direct;
	unsigned char reach;
};

struct yarn {
	struct npm_sink sink;
	struct entry *ents;
	size_t n, cap;
	struct desc *pats, *deps;
	size_t npats, cap_pats, ndeps, cap_deps;
	struct strmap by_desc; /* "name@range" -> entry index + 1 */
	struct arena ar;       /* map keys, converted scalars */
	bool limited;
};

/* ---- storage ---- */

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return BOSUN_OK;
	size_t c = *cap ? *cap * 2 : 64;
	void *q = realloc(*p, c * size);
	if (!q)
		return BOSUN_ENOMEM;
	*p = q;
	*cap = c;
	return BOSUN_OK;
}

static bool over_limit(struct yarn *y)
{
	if (y->n < NPM_MAX_PACKAGES && y->npats < YARN_MAX_EDGES && y->ndeps < YARN_MAX_EDGES)
		return false;
	if (!y->limited)
		npm_sink_warn(&y->sink, "too many entries, the rest is ignored");
	y->limited = true;
	return true;
}

static struct entry *new_entry(struct yarn *y, size_t line)
{
	if (over_limit(y) || grow((void **)&y->ents, &y->cap, y->n, sizeof *y->ents))
		return NULL;
	struct entry *e = &y->ents[y->n++];
	*e = (struct entry){ .line = line, .dep_start = (uint32_t)y->ndeps, .dep_end = (uint32_t)y->ndeps };
	return e;
}

static int add_pattern(struct yarn *y, struct slice name, struct slice range)
{
	if (over_limit(y))
		return BOSUN_OK;
	TRY(grow((void **)&y->pats, &y->cap_pats, y->npats, sizeof *y->pats));
	y->pats[y->npats++] = (struct desc){ name, range, (uint32_t)(y->n - 1), NONE };
	return BOSUN_OK;
}

static int add_dep(struct yarn *y, struct slice name, struct slice range)
{
	if (over_limit(y))
		return BOSUN_OK;
	TRY(grow((void **)&y->deps, &y->cap_deps, y->ndeps, sizeof *y->deps));
	y->deps[y->ndeps++] = (struct desc){ name, range, (uint32_t)(y->n - 1), NONE };
	y->ents[y->n - 1].dep_end = (uint32_t)y->ndeps;
	return BOSUN_OK;
}

/* ---- sources ---- */

/* Descriptors pointing at the project's own folders (workspaces, file:,
 * link:, portal:) or at a patched copy of another entry: not packages of
 * their own. Anything else (registry ranges, npm: aliases, git, tarball
 * URLs) is a package at the version the entry records. */
static bool local_source(struct slice range)
{
	static const char *const local[] = { "workspace:", "file:", "link:", "portal:", "exec:", "patch:" };
	for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
		if (slice_starts_with(range, local[i]))
			return true;
	return false;
}

/* Fills e's package name from its first descriptor: "alias@npm:real@1"
 * installs real; berry's "lodash@npm:^4" is lodash. */
static void entry_name(struct entry *e, struct slice name, struct slice range)
{
	struct slice real, real_range;
	e->name = name;
	e->usable = !local_source(range);
	if (slice_starts_with(range, "npm:") &&
	    npm_split_descriptor(slice_make(range.p + 4, range.n - 4), &real, &real_range))
		e->name = real;
}

/* ---- v1 lines ---- */

enum block { BLOCK_NONE, BLOCK_DEPS, BLOCK_OTHER };

/* One token of *s: a "quoted string" (its inside) or a run up to a blank,
 * or up to ',' when stop_comma. False when s holds none. */
static bool token(struct slice *s, bool stop_comma, struct slice *out)
{
	size_t i = 0;
	while (i < s->n && (s->p[i] == ' ' || s->p[i] == '\t'))
		i++;
	if (i == s->n)
		return false;
	size_t start = i;
	if (s->p[i] == '"') {
		start = ++i;
		while (i < s->n && s->p[i] != '"')
			i += s->p[i] == '\\' && i + 1 < s->n ? 2 : 1;
		*out = slice_make(s->p + start, i - start);
		i += i < s->n;
	} else {
		while (i < s->n && s->p[i] != ' ' && s->p[i] != '\t' && !(stop_comma && s->p[i] == ','))
			i++;
		*out = slice_make(s->p + start, i - start);
	}
	*s = slice_make(s->p + i, s->n - i);
	return true;
}

static struct slice strip_colon(struct slice s, struct slice *rest)
{
	if (s.n && s.p[s.n - 1] == ':')
		s.n--;
	else if (rest->n && rest->p[0] == ':') /* "quoted key": */
		*rest = slice_make(rest->p + 1, rest->n - 1);
	return s;
}

/* `pattern, "pattern", ...:` starts an entry. */
static int v1_header(struct yarn *y, struct slice body, size_t line, bool *open)
{
	*open = false;
	if (body.p[body.n - 1] != ':') {
		npm_sink_warn(&y->sink, "line %zu: not an entry header, ignored", line);
		return BOSUN_OK;
	}
	struct slice rest = slice_make(body.p, body.n - 1), pat, name, range;
	struct entry *e = new_entry(y, line);
	if (!e)
		return y->limited ? BOSUN_OK : BOSUN_ENOMEM;
	while (token(&rest, true, &pat)) {
		if (npm_split_descriptor(pat, &name, &range)) {
			if (e->name.n == 0)
				entry_name(e, name, range);
			TRY(add_pattern(y, name, range));
		}
		rest = slice_trim(rest);
		if (rest.n && rest.p[0] == ',')
			rest = slice_make(rest.p + 1, rest.n - 1);
	}
	if (e->name.n == 0)
		npm_sink_warn(&y->sink, "line %zu: entry without a name@range descriptor, ignored", line);
	*open = true;
	return BOSUN_OK;
}

/* `version "1.2.3"`, or `dependencies:` opening a list. */
static enum block v1_field(struct yarn *y, struct slice body)
{
	struct slice key, value;
	if (!token(&body, false, &key))
		return BLOCK_NONE;
	key = strip_colon(key, &body);
	if (!token(&body, false, &value)) {
		bool deps = slice_eq_cstr(key, "dependencies") || slice_eq_cstr(key, "optionalDependencies");
		return deps ? BLOCK_DEPS : BLOCK_OTHER;
	}
	if (slice_eq_cstr(key, "version"))
		y->ents[y->n - 1].version = value;
	return BLOCK_NONE;
}

/* `name "range"` inside a dependency list. */
static int v1_dep(struct yarn *y, struct slice body)
{
	struct slice name, range;
	if (!token(&body, false, &name))
		return BOSUN_OK;
	name = strip_colon(name, &body);
	if (!token(&body, false, &range))
		return BOSUN_OK;
	return add_dep(y, name, range);
}

static bool skip_line(struct slice line)
{
	struct slice t = slice_trim(line);
	return t.n == 0 || t.p[0] == '#';
}

static int v1_parse(struct yarn *y, struct slice text)
{
	struct slice line;
	size_t lineno = 0;
	bool open = false;
	enum block block = BLOCK_NONE;
	while (slice_next_line(&text, &line) && !y->limited) {
		lineno++;
		if (skip_line(line))
			continue;
		size_t indent = 0;
		while (indent < line.n && line.p[indent] == ' ')
			indent++;
		struct slice body = slice_trim(slice_make(line.p + indent, line.n - indent));
		if (indent == 0) {
			TRY(v1_header(y, body, lineno, &open));
			block = BLOCK_NONE;
		} else if (!open) {
			continue; /* the body of an entry already reported */
		} else if (indent < 4) {
			block = v1_field(y, body);
		} else if (block == BLOCK_DEPS) {
			TRY(v1_dep(y, body));
		}
	}
	return BOSUN_OK;
}

/* ---- berry ---- */

/* A YAML scalar as text: strings as they are; integers printed (a range
 * like `foo: 1` comes out of the YAML core schema as a number). */
static bool scalar(struct yarn *y, const json_t *v, struct slice *out)
{
	if (json_is_string(v)) {
		*out = slice_make(json_string_value(v), json_string_length(v));
		return true;
	}
	if (!json_is_integer(v))
		return false;
	char *s = arena_printf(&y->ar, "%lld", (long long)json_integer_value(v));
	*out = slice_cstr(s);
	return s != NULL;
}

static int berry_deps(struct yarn *y, const json_t *list)
{
	const char *name;
	const json_t *v;
	json_object_foreach((json_t *)list, name, v) {
		struct slice range;
		if (scalar(y, v, &range))
			TRY(add_dep(y, slice_cstr(name), range));
	}
	return BOSUN_OK;
}

/* "lodash@npm:^4.17.15, lodash@npm:^4.17.21": { resolution, version, dependencies } */
static int berry_entry(struct yarn *y, const char *key, const json_t *obj)
{
	struct entry *e = new_entry(y, 0);
	if (!e)
		return y->limited ? BOSUN_OK : BOSUN_ENOMEM;
	struct slice rest = slice_cstr(key), pat, name, range;
	while (token(&rest, true, &pat)) {
		if (npm_split_descriptor(pat, &name, &range))
			TRY(add_pattern(y, name, range));
		rest = slice_trim(rest);
		if (rest.n && rest.p[0] == ',')
			rest = slice_make(rest.p + 1, rest.n - 1);
	}
	struct slice res = npm_jslice(obj, "resolution"), version;
	if (npm_split_descriptor(res, &name, &range))
		entry_name(e, name, range);
	else
		npm_sink_warn(&y->sink, "entry \"%.128s\" has no usable resolution, skipped", key);
	if (scalar(y, json_object_get(obj, "version"), &version))
		e->version = version;
	TRY(berry_deps(y, json_object_get(obj, "dependencies")));
	return berry_deps(y, json_object_get(obj, "optionalDependencies"));
}

static int berry_parse(struct yarn *y, const char *data, size_t len, json_t **doc)
{
	struct yaml_json_limits lim = { .max_bytes = NPM_MAX_LOCKFILE_BYTES,
					.max_depth = 32,
					.max_nodes = 16u << 20,
					.max_alias_nodes = 1000 };
	struct berr e = { 0 };
	if (yaml_json_parse(data, len, &lim, "content", doc, &e) != BOSUN_OK) {
		if (e.code == BOSUN_ENOMEM)
			return BOSUN_ENOMEM;
		npm_sink_warn(&y->sink, "%s", e.msg);
		return BOSUN_OK;
	}
	if (!json_is_object(*doc)) {
		npm_sink_warn(&y->sink, "not a YAML mapping");
		return BOSUN_OK;
	}
	const char *key;
	const json_t *obj;
	json_object_foreach(*doc, key, obj) {
		if (strcmp(key, "__metadata") == 0 || !json_is_object(obj))
			continue;
		TRY(berry_entry(y, key, obj));
		if (y->limited)
			break;
	}
	return BOSUN_OK;
}

/* Berry files begin with comments and then __metadata. */
static bool is_berry(struct slice text)
{
	struct slice line;
	while (slice_next_line(&text, &line))
		if (!skip_line(line))
			return slice_starts_with(line, "__metadata:");
	return false;
}

/* ---- the dependency graph ---- */

static int index_patterns(struct yarn *y)
{
	for (size_t i = 0; i < y->npats; i++) {
		const struct desc *d = &y->pats[i];
		char *key = arena_printf(&y->ar, "%.*s@%.*s", (int)d->name.n, d->name.p, (int)d->range.n, d->range.p);
		if (!key)
			return BOSUN_ENOMEM;
		if (!strmap_get(&y->by_desc, key))
			TRY(strmap_put(&y->by_desc, key, (void *)(uintptr_t)(d->owner + 1)));
	}
	return BOSUN_OK;
}

/* The entry a dependency name@range resolved to (NONE if none).
 * package.json ranges appear in berry descriptors with an "npm:" prefix. */
static int resolve(const struct yarn *y, struct buf *b, struct slice name, struct slice range, uint32_t *out)
{
	*out = NONE;
	for (int npm = 0; npm < 2; npm++) {
		buf_reset(b);
		TRY(buf_printf(b, "%.*s@%s%.*s", (int)name.n, name.p, npm ? "npm:" : "", (int)range.n, range.p));
		uintptr_t at = (uintptr_t)strmap_getn(&y->by_desc, b->data, b->len);
		if (at) {
			*out = (uint32_t)(at - 1);
			break;
		}
	}
	return BOSUN_OK;
}

static int link_deps(struct yarn *y)
{
	struct buf b = { 0 };
	int rc = BOSUN_OK;
	for (size_t i = 0; i < y->ndeps && !rc; i++)
		rc = resolve(y, &b, y->deps[i].name, y->deps[i].range, &y->deps[i].target);
	buf_free(&b);
	return rc;
}

/* Marks everything reachable from start with bit (breadth first; each
 * entry enters the queue once per bit). */
static void reach(struct yarn *y, uint32_t start, unsigned char bit, uint32_t *queue)
{
	if (y->ents[start].reach & bit)
		return;
	size_t head = 0, tail = 0;
	y->ents[start].reach |= bit;
	queue[tail++] = start;
	while (head < tail) {
		const struct entry *e = &y->ents[queue[head++]];
		for (uint32_t d = e->dep_start; d < e->dep_end; d++) {
			uint32_t t = y->deps[d].target;
			if (t != NONE && !(y->ents[t].reach & bit)) {
				y->ents[t].reach |= bit;
				queue[tail++] = t;
			}
		}
	}
}

static int manifest_roots(struct yarn *y, const json_t *m)
{
	static const struct {
		const char *list;
		unsigned char bit;
	} roots[] = { { "dependencies", REACH_PROD }, { "optionalDependencies", REACH_PROD },
		      { "devDependencies", REACH_DEV } };
	uint32_t *queue = malloc((y->n + 1) * sizeof *queue);
	struct buf b = { 0 };
	int rc = queue ? BOSUN_OK : BOSUN_ENOMEM;
	for (size_t i = 0; i < sizeof roots / sizeof roots[0] && !rc; i++) {
		const char *name;
		const json_t *range;
		json_object_foreach(json_object_get(m, roots[i].list), name, range) {
			uint32_t t = NONE;
			if (json_is_string(range))
				rc = resolve(y, &b, slice_cstr(name), slice_make(json_string_value(range), json_string_length(range)), &t);
			if (rc)
				break;
			if (t == NONE)
				continue;
			y->ents[t].direct = true;
			reach(y, t, roots[i].bit, queue);
		}
	}
	buf_free(&b);
	free(queue);
	return rc;
}

/* ---- output ---- */

static int emit(struct yarn *y, bool manifest)
{
	for (size_t i = 0; i < y->n; i++) {
		const struct entry *e = &y->ents[i];
		if (!e->usable || e->name.n == 0)
			continue;
		if (!npm_name_valid(e->name)) {
			npm_sink_warn(&y->sink, "entry with an unusable name skipped");
			continue;
		}
		if (!npm_registry_version(e->version)) {
			npm_sink_warn(&y->sink, "%.*s: %s version, skipped", (int)e->name.n, e->name.p,
				      e->version.n ? "unusable" : "no");
			continue;
		}
		bool dev = manifest && (e->reach & REACH_DEV) && !(e->reach & REACH_PROD);
		enum npm_rel rel = !manifest ? NPM_REL_UNKNOWN : e->direct ? NPM_REL_DIRECT : NPM_REL_INDIRECT;
		TRY(npm_sink_add(&y->sink, e->name, e->version, NULL, dev, rel, NULL));
	}
	return BOSUN_OK;
}

static const json_t *load_manifest(struct yarn *y, const char *data, size_t len, json_t **doc)
{
	struct berr e = { 0 };
	if (!data)
		return NULL;
	if (len > NPM_MAX_MANIFEST_BYTES || npm_json_parse(data, len, MANIFEST_MAX_DEPTH, "package.json", doc, &e)) {
		npm_sink_warn(&y->sink, "%s", e.code ? e.msg : "package.json too large, dependency kinds unknown");
		return NULL;
	}
	return json_is_object(*doc) ? *doc : NULL;
}

static int run(struct yarn *y, const char *data, size_t len, const char *manifest, size_t mlen, json_t **docs)
{
	struct slice text = slice_make(data, len);
	if (len > NPM_MAX_LOCKFILE_BYTES) {
		npm_sink_warn(&y->sink, "%zu bytes is above the %u-byte limit, skipped", len, NPM_MAX_LOCKFILE_BYTES);
		return BOSUN_OK;
	}
	TRY(is_berry(text) ? berry_parse(y, data, len, &docs[0]) : v1_parse(y, text));
	TRY(index_patterns(y));
	TRY(link_deps(y));
	const json_t *m = load_manifest(y, manifest, mlen, &docs[1]);
	if (m)
		TRY(manifest_roots(y, m));
	return emit(y, m != NULL);
}

int yarn_parse_lock(const char *data, size_t len, const char *manifest, size_t manifest_len, const char *found_in,
		    struct artifact *a)
{
	struct yarn y = { 0 };
	npm_sink_init(&y.sink, a, "yarn", found_in);
	json_t *docs[2] = { NULL, NULL };
	int rc = run(&y, data ? data : "", data ? len : 0, manifest, manifest_len, docs);
	json_decref(docs[0]);
	json_decref(docs[1]);
	free(y.ents);
	free(y.pats);
	free(y.deps);
	strmap_free(&y.by_desc);
	arena_free(&y.ar);
	npm_sink_done(&y.sink);
	return rc;
}
