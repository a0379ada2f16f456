#include "analyze/npm_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analyze/npm.h"
#include "util/err.h"
#include "util/json.h"

/* ---- names and versions ---- */

static bool printable(unsigned char c) { return c > 0x20 && c < 0x7f; }

bool npm_name_valid(struct slice s)
{
	if (s.n == 0 || s.n > NPM_NAME_MAX)
		return false;
	size_t slashes = 0, slash_at = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (!printable(c) || c == '"' || c == '\\')
			return false;
		if (c == '/') {
			slashes++;
			slash_at = i;
		}
	}
	if (s.p[0] != '@')
		return slashes == 0 && !slice_eq_cstr(s, ".") && !slice_eq_cstr(s, "..");
	/* "@scope/name": both parts non-empty and not path tricks. */
	if (slashes != 1 || slash_at < 2 || slash_at + 1 == s.n)
		return false;
	struct slice base = slice_make(s.p + slash_at + 1, s.n - slash_at - 1);
	return !slice_eq_cstr(base, ".") && !slice_eq_cstr(base, "..");
}

bool npm_version_token(struct slice s)
{
	if (s.n == 0 || s.n > NPM_VERSION_MAX)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!printable((unsigned char)s.p[i]))
			return false;
	return true;
}

bool npm_registry_version(struct slice s)
{
	return npm_version_token(s) && !memchr(s.p, ':', s.n) && !memchr(s.p, '/', s.n);
}

bool npm_split_descriptor(struct slice d, struct slice *name, struct slice *range)
{
	size_t start = 0;
	if (d.n && d.p[0] == '@') {
		const char *slash = memchr(d.p, '/', d.n);
		if (!slash)
			return false;
		start = (size_t)(slash - d.p);
	}
	const char *at = memchr(d.p + start, '@', d.n - start);
	if (!at || at == d.p)
		return false;
	*name = slice_make(d.p, (size_t)(at - d.p));
	*range = slice_make(at + 1, d.n - name->n - 1);
	return true;
}

/* ---- licenses ---- */

/* The type of one legacy license entry: "MIT" or {"type": "MIT", ...}. */
static const char *license_entry(const json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	return json_is_object(v) ? json_str(v, "type") : NULL;
}

static int append_license(struct buf *b, const char *text)
{
	if (!text || !*text)
		return BOSUN_OK;
	if (b->len)
		TRY(buf_append_str(b, " OR "));
	return buf_append_str(b, text);
}

/* Copies text, bounded, with control characters made harmless. */
static int store_license(struct arena *ar, const struct buf *b, char **out)
{
	struct slice t = slice_trim(slice_make(b->data ? b->data : "", b->len));
	if (t.n == 0 || t.n > NPM_LICENSE_MAX)
		return BOSUN_OK;
	char *s = arena_slice(ar, t);
	if (!s)
		return BOSUN_ENOMEM;
	for (char *c = s; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	*out = s;
	return BOSUN_OK;
}

int npm_license(struct arena *ar, const json_t *obj, char **out)
{
	*out = NULL;
	struct buf b = { 0 };
	int rc = append_license(&b, license_entry(json_object_get(obj, "license")));
	const json_t *list = json_object_get(obj, "licenses");
	if (!rc && b.len == 0 && json_is_array(list)) {
		size_t i;
		const json_t *v;
		json_array_foreach(list, i, v) {
			if (i >= 16 || (rc = append_license(&b, license_entry(v))))
				break;
		}
	} else if (!rc && b.len == 0) {
		rc = append_license(&b, license_entry(list));
	}
	if (!rc)
		rc = store_license(ar, &b, out);
	buf_free(&b);
	return rc;
}

/* ---- JSON ---- */

int npm_json_parse(const char *data, size_t len, size_t max_depth, const char *what, json_t **out, struct berr *e)
{
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	struct berr first = { 0 };
	int rc = json_parse_bounded(data, len, max_depth, what, out, &first);
	if (rc != BOSUN_EFORMAT || !strstr(first.msg, "duplicate object key")) {
		if (rc)
			berr_set(e, rc, "%s", first.msg);
		return rc;
	}
	/* The depth was checked before jansson refused the duplicate. */
	json_error_t jerr;
	*out = json_loadb(data, len, 0, &jerr);
	if (*out)
		return BOSUN_OK;
	return berr_set(e, BOSUN_EFORMAT, "%s: invalid JSON at line %d: %s", what, jerr.line, jerr.text);
}

struct slice npm_jslice(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	if (!json_is_string(v))
		return slice_make("", 0);
	return slice_make(json_string_value(v), json_string_length(v));
}

/* ---- the sink ---- */

void npm_sink_init(struct npm_sink *s, struct artifact *a, const char *tool, const char *path)
{
	memset(s, 0, sizeof *s);
	s->a = a;
	s->tool = tool;
	s->path = path;
}

void npm_sink_warn(struct npm_sink *s, const char *fmt, ...)
{
	if (s->warnings++ >= NPM_MAX_WARNINGS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	artifact_warn(s->a, "%s: %s: %s", s->tool, s->path, msg);
}

void npm_sink_done(struct npm_sink *s)
{
	if (s->warnings > NPM_MAX_WARNINGS)
		artifact_warn(s->a, "%s: %s: %zu more warnings not shown", s->tool, s->path,
			      s->warnings - NPM_MAX_WARNINGS);
	strmap_free(&s->seen);
	arena_free(&s->keys);
}

static void merge(struct npm_sink *s, struct package *p, const char *license, bool dev, enum npm_rel rel)
{
	p->dev = p->dev && dev;
	if (rel == NPM_REL_DIRECT)
		p->relationship = s->rel_direct;
	else if (rel == NPM_REL_INDIRECT && !p->relationship)
		p->relationship = s->rel_indirect;
	if (!p->license && license)
		p->license = arena_strdup(&s->a->arena, license);
}

static int fill(struct npm_sink *s, struct package *p, struct slice name, struct slice version,
		const char *license, bool dev, enum npm_rel rel)
{
	struct arena *ar = &s->a->arena;
	p->type = PKG_NPM;
	p->found_in = s->found_in;
	p->name = arena_slice(ar, name);
	p->version = version.n ? arena_slice(ar, version) : NULL;
	p->license = license ? arena_strdup(ar, license) : NULL;
	p->dev = dev;
	p->relationship = rel == NPM_REL_DIRECT ? s->rel_direct : rel == NPM_REL_INDIRECT ? s->rel_indirect : NULL;
	if (!p->name || (version.n && !p->version) || (license && !p->license))
		return BOSUN_ENOMEM;
	return BOSUN_OK;
}

static int first_use(struct npm_sink *s)
{
	struct arena *ar = &s->a->arena;
	if (!s->found_in && !(s->found_in = arena_strdup(ar, s->path)))
		return BOSUN_ENOMEM;
	if (!s->rel_direct && !(s->rel_direct = arena_strdup(ar, "direct")))
		return BOSUN_ENOMEM;
	if (!s->rel_indirect && !(s->rel_indirect = arena_strdup(ar, "indirect")))
		return BOSUN_ENOMEM;
	return BOSUN_OK;
}

int npm_sink_add(struct npm_sink *s, struct slice name, struct slice version, const char *license, bool dev,
		 enum npm_rel rel, size_t *idx)
{
	if (idx)
		*idx = (size_t)-1;
	char *key = arena_printf(&s->keys, "%.*s\t%.*s", (int)name.n, name.p, (int)version.n, version.p);
	if (!key)
		return BOSUN_ENOMEM;
	uintptr_t at = (uintptr_t)strmap_get(&s->seen, key);
	if (at) {
		struct package *p = &s->a->pkgs[at - 1];
		merge(s, p, license, dev, rel);
		if (license && !p->license)
			return BOSUN_ENOMEM;
		if (idx)
			*idx = at - 1;
		return BOSUN_OK;
	}
	if (s->added >= NPM_MAX_PACKAGES) {
		if (!s->full)
			npm_sink_warn(s, "more than %d packages, the rest is ignored", NPM_MAX_PACKAGES);
		s->full = true;
		return BOSUN_OK;
	}
	TRY(first_use(s));
	struct package *p = artifact_add_package(s->a);
	if (!p)
		return BOSUN_ENOMEM;
	TRY(fill(s, p, name, version, license, dev, rel));
	TRY(strmap_put(&s->seen, key, (void *)(uintptr_t)s->a->npkgs));
	s->added++;
	if (idx)
		*idx = s->a->npkgs - 1;
	return BOSUN_OK;
}
