/* Python: core metadata and requirements files (the lockfiles are in
 * python_lock.c), and the analyzer that picks the files out of the view. */
#include "analyze/python.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyze/analyzer.h"
#include "analyze/langpkg.h"
#include "util/err.h"
#include "util/strmap.h"

#define MAX_LICENSE_CLASSIFIERS 16
#define MAX_INCLUDE_DEPTH 8
#define REQ_LINE_MAX 8192 /* a logical requirements line, continuations joined */

bool python_normalize_name(struct slice name, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < name.n; i++) {
		char c = name.p[i];
		bool sep = c == '-' || c == '_' || c == '.';
		if (sep && n && out[n - 1] == '-')
			continue;
		if (n + 1 >= cap)
			return false;
		out[n++] = sep ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	if (cap == 0)
		return false;
	out[n] = '\0';
	return true;
}

/* ---- core metadata ---- */

struct meta {
	struct slice name, version, license, expr, license_file;
	struct slice classifiers[MAX_LICENSE_CLASSIFIERS];
	size_t nclass;
	struct slice *last; /* the field continuation lines extend, NULL if ignored */
};

static bool key_is(struct slice key, const char *name)
{
	size_t n = strlen(name);
	return key.n == n && strncasecmp(key.p, name, n) == 0; /* header names ignore case */
}

/* The first value of a field counts (as email headers are read). */
static struct slice *meta_field(struct meta *m, struct slice key, struct slice val)
{
	struct slice *dst = NULL;
	if (key_is(key, "Name"))
		dst = &m->name;
	else if (key_is(key, "Version"))
		dst = &m->version;
	else if (key_is(key, "License"))
		dst = &m->license;
	else if (key_is(key, "License-Expression"))
		dst = &m->expr;
	else if (key_is(key, "License-File"))
		dst = &m->license_file;
	else if (key_is(key, "Classifier") && slice_starts_with(slice_trim(val), "License :: ") &&
		 m->nclass < MAX_LICENSE_CLASSIFIERS)
		dst = &m->classifiers[m->nclass++];
	if (!dst || dst->p)
		return NULL;
	*dst = val;
	return dst;
}

/* The header ends at the first empty line (the body, a long description,
 * follows) or at a line that is not a field. */
static void read_header(const char *data, size_t len, struct meta *m)
{
	struct slice rest = slice_make(data, len), line;
	while (slice_next_line(&rest, &line)) {
		if (line.n == 0)
			return;
		if (line.p[0] == ' ' || line.p[0] == '\t') {
			if (m->last) /* continuation: the value grows to the end of this line */
				m->last->n = (size_t)(line.p + line.n - m->last->p);
			continue;
		}
		struct slice key, val;
		if (!slice_split(line, ':', &key, &val) || key.n == 0)
			return;
		m->last = meta_field(m, slice_trim(key), val);
	}
}

/* A folded value as one line: line breaks and the indentation after them
 * become one space. Returns the length written. */
static size_t fold(struct slice s, char *out, size_t cap)
{
	size_t n = 0;
	s = slice_trim(s);
	for (size_t i = 0; i < s.n && n + 1 < cap; i++) {
		if (s.p[i] == '\r' || s.p[i] == '\n') {
			while (i + 1 < s.n && (s.p[i + 1] == '\r' || s.p[i + 1] == '\n' || s.p[i + 1] == ' ' || s.p[i + 1] == '\t'))
				i++;
			out[n++] = ' ';
			continue;
		}
		out[n++] = s.p[i];
	}
	out[n] = '\0';
	return n;
}

/* "License :: OSI Approved :: MIT License" -> "MIT License". */
static struct slice classifier_license(struct slice c)
{
	c = slice_trim(c);
	for (size_t i = c.n; i >= 4; i--)
		if (memcmp(c.p + i - 4, " :: ", 4) == 0)
			return slice_trim(slice_make(c.p + i, c.n - i));
	return c;
}

static int meta_license(struct langpkg_file *lf, struct package *p, const struct meta *m)
{
	char buf[LANGPKG_LICENSE_MAX + 2];
	if (m->expr.n && fold(m->expr, buf, sizeof buf))
		return langpkg_set_license(lf, p, slice_cstr(buf));
	struct slice names[MAX_LICENSE_CLASSIFIERS];
	size_t n = 0;
	for (size_t i = 0; i < m->nclass; i++) {
		struct slice l = classifier_license(m->classifiers[i]);
		/* "License :: OSI Approved" alone groups licenses, it names none. */
		if (l.n && !slice_eq_cstr(l, "OSI Approved"))
			names[n++] = l;
	}
	if (n)
		return langpkg_join_licenses(lf, p, names, n, ", ");
	/* A License longer than the buffer is a license text, not a name. */
	if (m->license.n && m->license.n <= LANGPKG_LICENSE_MAX && fold(m->license, buf, sizeof buf))
		return langpkg_set_license(lf, p, slice_cstr(buf));
	if (m->license_file.n && fold(m->license_file, buf + 7, sizeof buf - 7)) {
		memcpy(buf, "file://", 7);
		return langpkg_set_license(lf, p, slice_cstr(buf));
	}
	return BOSUN_OK;
}

int python_parse_metadata(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	struct meta m = { 0 };
	read_header(data ? data : "", data ? len : 0, &m);
	struct langpkg_file lf;
	langpkg_begin(&lf, a, "python", found_in);
	if (!m.name.n || !m.version.n) {
		langpkg_warn(&lf, "no Name or Version in the metadata header, skipped");
		return BOSUN_OK;
	}
	char name[LANGPKG_NAME_MAX + 2], version[LANGPKG_VERSION_MAX + 2];
	fold(m.name, name, sizeof name);
	fold(m.version, version, sizeof version);
	struct package *p;
	TRY(langpkg_add(&lf, PKG_PYPI, slice_cstr(name), slice_cstr(version), &p));
	if (p)
		TRY(meta_license(&lf, p, &m));
	langpkg_end(&lf);
	return BOSUN_OK;
}

/* ---- requirements files ---- */

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* PEP 440 public and local version characters ("1!2.0.post1+local"). */
static bool version_ok(struct slice v)
{
	if (v.n == 0 || v.n > LANGPKG_VERSION_MAX || !is_alnum(v.p[0]))
		return false;
	for (size_t i = 0; i < v.n; i++)
		if (!is_alnum(v.p[i]) && !strchr(".+!_-", v.p[i]))
			return false;
	return true;
}

static struct slice skip_blanks(struct slice s)
{
	while (s.n && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.n--;
	}
	return s;
}

/* pip splits a line into the requirement and its options at the first
 * word that starts with '-' ("pkg==1 --hash=sha256:..."). */
static struct slice requirement_part(struct slice line)
{
	for (size_t i = 1; i < line.n; i++)
		if ((line.p[i - 1] == ' ' || line.p[i - 1] == '\t') && line.p[i] == '-')
			return slice_trim(slice_make(line.p, i));
	return line;
}

/* "name[extra]==1.0 ; marker": name and version of an exact pin. */
static bool parse_pin(struct slice req, struct slice *name, struct slice *version)
{
	struct slice marker;
	slice_split(req, ';', &req, &marker); /* markers are not evaluated: any platform counts */
	req = slice_trim(req);
	size_t i = 0;
	while (i < req.n && (is_alnum(req.p[i]) || strchr("._-", req.p[i])))
		i++;
	*name = slice_make(req.p, i);
	if (i == 0 || !is_alnum(req.p[0]) || !is_alnum(req.p[i - 1]))
		return false;
	struct slice rest = skip_blanks(slice_make(req.p + i, req.n - i));
	if (rest.n && rest.p[0] == '[') {
		const char *close = memchr(rest.p, ']', rest.n);
		if (!close)
			return false;
		rest = skip_blanks(slice_make(close + 1, rest.n - (size_t)(close + 1 - rest.p)));
	}
	if (!slice_starts_with(rest, "=="))
		return false;
	size_t skip = slice_starts_with(rest, "===") ? 3 : 2;
	*version = slice_trim(slice_make(rest.p + skip, rest.n - skip));
	/* "==1.0,!=1.0.1" or "==1.*" is a range, not a pin. */
	return version_ok(*version);
}

struct req_parser {
	struct langpkg_file lf;
	python_include_fn include;
	void *ctx;
};

/* "-r FILE", "-rFILE", "--requirement FILE", "--requirement=FILE". */
static bool include_ref(struct slice line, struct slice *ref)
{
	struct slice rest;
	if (slice_starts_with(line, "--requirement"))
		rest = slice_make(line.p + 13, line.n - 13);
	else if (slice_starts_with(line, "-r"))
		rest = slice_make(line.p + 2, line.n - 2);
	else
		return false;
	if (rest.n && rest.p[0] == '=')
		rest = slice_make(rest.p + 1, rest.n - 1);
	else if (rest.n && rest.p[0] != ' ' && rest.p[0] != '\t' && line.p[1] == '-')
		return false; /* "--requirementsX" is another option */
	rest = slice_trim(rest);
	size_t n = 0;
	while (n < rest.n && rest.p[n] != ' ' && rest.p[n] != '\t')
		n++;
	*ref = slice_make(rest.p, n);
	return n > 0;
}

static int req_line(struct req_parser *rp, struct slice line)
{
	line = slice_trim(line);
	if (line.n == 0)
		return BOSUN_OK;
	if (line.p[0] == '-') {
		struct slice ref;
		if (include_ref(line, &ref) && rp->include)
			return rp->include(rp->ctx, ref);
		return BOSUN_OK; /* -c, -e, -i, --hash, ...: nothing installed by name */
	}
	struct slice name, version;
	if (!parse_pin(requirement_part(line), &name, &version))
		return BOSUN_OK; /* a range, URL or path: no version to report */
	struct package *p;
	return langpkg_add(&rp->lf, PKG_PYPI, name, version, &p);
}

/* Drops a comment: '#' at the start or after whitespace. */
static struct slice strip_comment(struct slice s)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] == '#' && (i == 0 || s.p[i - 1] == ' ' || s.p[i - 1] == '\t'))
			return slice_make(s.p, i);
	return s;
}

int python_parse_requirements(const char *data, size_t len, const char *found_in, python_include_fn include,
			      void *ctx, struct artifact *a)
{
	struct req_parser rp = { .include = include, .ctx = ctx };
	langpkg_begin(&rp.lf, a, "requirements", found_in);
	struct slice rest = slice_make(data ? data : "", data ? len : 0), line;
	if (rest.n >= 3 && memcmp(rest.p, "\xef\xbb\xbf", 3) == 0)
		rest = slice_make(rest.p + 3, rest.n - 3);
	struct buf logical = { 0 };
	bool skipping = false; /* in an over-long logical line, up to its end */
	int rc = BOSUN_OK;
	while (rc == BOSUN_OK && slice_next_line(&rest, &line)) {
		line = strip_comment(line);
		struct slice t = line;
		while (t.n && (t.p[t.n - 1] == ' ' || t.p[t.n - 1] == '\t'))
			t.n--;
		bool cont = t.n && t.p[t.n - 1] == '\\';
		if (cont)
			t.n--;
		if (skipping || logical.len + t.n + 1 > REQ_LINE_MAX) {
			if (!skipping)
				langpkg_warn(&rp.lf, "a line longer than %d bytes, ignored", REQ_LINE_MAX);
			skipping = cont;
			buf_reset(&logical);
			continue;
		}
		rc = buf_append(&logical, t.p, t.n);
		if (rc == BOSUN_OK && cont)
			rc = buf_append(&logical, " ", 1);
		if (rc == BOSUN_OK && !cont) {
			rc = req_line(&rp, slice_make(logical.data ? logical.data : "", logical.len));
			buf_reset(&logical);
		}
	}
	if (rc == BOSUN_OK && logical.len)
		rc = req_line(&rp, slice_make(logical.data, logical.len));
	buf_free(&logical);
	langpkg_end(&rp.lf);
	return rc;
}

/* ---- the analyzer ---- */

extern const struct analyzer analyzer_python;

enum pyfile {
	PY_NONE,
	PY_METADATA,     /* installed metadata, one package */
	PY_REQUIREMENTS,
	PY_POETRY_LOCK,
	PY_PIPFILE_LOCK,
	PY_UV_LOCK,
	PY_MANIFEST,     /* pyproject.toml, Pipfile: read next to their lock */
};

static bool in_site_packages(const char *path, size_t len)
{
	return langpkg_has_dir(path, len, "site-packages") || langpkg_has_dir(path, len, "dist-packages");
}

/* requirements.txt, requirements-dev.txt, dev-requirements.txt,
 * requirements/base.txt. */
static bool is_requirements(const char *path, size_t len, const char *base)
{
	if (!langpkg_has_suffix(path, len, ".txt"))
		return false;
	if (strstr(base, "requirements"))
		return true;
	size_t dir = (size_t)(base - path);
	return dir >= 13 && memcmp(base - 13, "requirements/", 13) == 0 && (dir == 13 || base[-14] == '/');
}

static enum pyfile classify(const char *path, size_t len)
{
	const char *base = langpkg_basename(path);
	bool site = in_site_packages(path, len);
	if (site && (langpkg_has_suffix(path, len, ".dist-info/METADATA") || langpkg_has_suffix(path, len, ".egg-info/PKG-INFO") ||
		     langpkg_has_suffix(path, len, "/EGG-INFO/PKG-INFO") || langpkg_has_suffix(path, len, ".egg-info")))
		return PY_METADATA;
	/* Packages ship their own test requirements and pyproject files:
	 * inside site-packages those describe nothing installed. */
	if (site)
		return PY_NONE;
	if (strcmp(base, "poetry.lock") == 0)
		return PY_POETRY_LOCK;
	if (strcmp(base, "Pipfile.lock") == 0)
		return PY_PIPFILE_LOCK;
	if (strcmp(base, "uv.lock") == 0)
		return PY_UV_LOCK;
	if (strcmp(base, "pyproject.toml") == 0 || strcmp(base, "Pipfile") == 0)
		return PY_MANIFEST;
	if (is_requirements(path, len, base))
		return PY_REQUIREMENTS;
	return PY_NONE;
}

static bool wants(const char *path, size_t len) { return classify(path, len) != PY_NONE; }

struct pyctx {
	const struct scan_view *v;
	struct artifact *a;
	struct arena scratch;
	struct strmap parsed; /* requirements files read so far (includes, cycles) */
	const struct scan_file *cur;
	int depth;
	size_t warnings;      /* about includes, over all files */
};

/* Include problems, bounded: a hostile file can hold any number of -r. */
static void include_warn(struct pyctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void include_warn(struct pyctx *c, const char *fmt, ...)
{
	if (c->warnings++ >= LANGPKG_MAX_WARNINGS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	artifact_warn(c->a, "requirements: %s: %s", c->cur->path, msg);
}

static void set_layer(struct artifact *a, size_t first, int layer)
{
	for (size_t i = first; i < a->npkgs; i++)
		a->pkgs[i].layer = layer;
}

/* dir/ref with "." and ".." resolved; false when it leaves the tree. */
static bool join_path(const char *from, struct slice ref, char *out, size_t cap)
{
	size_t n = (size_t)(langpkg_basename(from) - from); /* keeps the trailing '/' */
	if (n >= cap)
		return false;
	memcpy(out, from, n);
	struct slice rest = ref, part;
	while (rest.n) {
		if (!slice_split(rest, '/', &part, &rest))
			rest.n = 0;
		if (part.n == 0 || slice_eq_cstr(part, "."))
			continue;
		if (slice_eq_cstr(part, "..")) {
			if (n == 0)
				return false;
			n--; /* the '/' */
			while (n && out[n - 1] != '/')
				n--;
			continue;
		}
		if (n + part.n + 2 > cap)
			return false;
		memcpy(out + n, part.p, part.n);
		n += part.n;
		out[n++] = '/';
	}
	if (n == 0)
		return false;
	out[n - 1] = '\0';
	return true;
}

static int parse_requirements_file(struct pyctx *c, const struct scan_file *f);

static int on_include(void *vctx, struct slice ref)
{
	struct pyctx *c = vctx;
	char path[4096];
	int n = (int)(ref.n > 128 ? 128 : ref.n);
	if (ref.n && (ref.p[0] == '/' || memmem(ref.p, ref.n, "://", 3))) {
		include_warn(c, "include \"%.*s\" is not a file of the project, not read", n, ref.p);
		return BOSUN_OK;
	}
	if (!join_path(c->cur->path, ref, path, sizeof path)) {
		include_warn(c, "include \"%.*s\" leaves the project, not read", n, ref.p);
		return BOSUN_OK;
	}
	const struct scan_file *f = view_final(c->v, path);
	if (!f || !f->data) {
		include_warn(c, "included %s %s", path,
			     !f ? "does not exist" : "was not read (only requirements*.txt and requirements/*.txt are)");
		return BOSUN_OK;
	}
	if (c->depth >= MAX_INCLUDE_DEPTH) {
		include_warn(c, "includes nested deeper than %d, %s not read", MAX_INCLUDE_DEPTH, path);
		return BOSUN_OK;
	}
	const struct scan_file *saved = c->cur;
	c->depth++;
	int rc = parse_requirements_file(c, f);
	c->depth--;
	c->cur = saved;
	return rc;
}

/* Each file once, whether reached on its own or through -r. */
static int parse_requirements_file(struct pyctx *c, const struct scan_file *f)
{
	if (strmap_get(&c->parsed, f->path))
		return BOSUN_OK;
	char *key = arena_strdup(&c->scratch, f->path);
	if (!key)
		return BOSUN_ENOMEM;
	TRY(strmap_put(&c->parsed, key, key));
	c->cur = f;
	size_t first = c->a->npkgs;
	TRY(python_parse_requirements((const char *)f->data, f->size, f->path, on_include, c, c->a));
	/* Packages of included files were added in the nested call with
	 * their own layer; set only those this file added after them. */
	for (size_t i = first; i < c->a->npkgs; i++)
		if (c->a->pkgs[i].layer < 0 && strcmp(c->a->pkgs[i].found_in, f->path) == 0)
			c->a->pkgs[i].layer = f->layer;
	return BOSUN_OK;
}

/* The manifest next to a lockfile (same directory), or NULL. */
static const struct scan_file *sibling(const struct scan_view *v, const char *path, const char *name)
{
	char p[4096];
	int n = snprintf(p, sizeof p, "%.*s%s", (int)(langpkg_basename(path) - path), path, name);
	if (n < 0 || (size_t)n >= sizeof p)
		return NULL;
	const struct scan_file *f = view_final(v, p);
	return f && f->data ? f : NULL;
}

static int parse_lock(struct pyctx *c, const struct scan_file *f, enum pyfile kind)
{
	const char *data = (const char *)f->data;
	const struct scan_file *m;
	switch (kind) {
	case PY_POETRY_LOCK:
		m = sibling(c->v, f->path, "pyproject.toml");
		return python_parse_poetry_lock(data, f->size, f->path, m ? (const char *)m->data : NULL, m ? m->size : 0,
						c->a);
	case PY_PIPFILE_LOCK:
		m = sibling(c->v, f->path, "Pipfile");
		return python_parse_pipfile_lock(data, f->size, f->path, m ? (const char *)m->data : NULL, m ? m->size : 0,
						 c->a);
	case PY_UV_LOCK: return python_parse_uv_lock(data, f->size, f->path, c->a);
	default: return BOSUN_OK;
	}
}

static int each_file(const struct scan_file *f, void *vctx)
{
	struct pyctx *c = vctx;
	enum pyfile kind = classify(f->path, strlen(f->path));
	bool lock = kind != PY_METADATA && kind != PY_NONE;
	/* Lockfiles say what a project will install; in an image what is
	 * installed counts (docs/analyzers-lang.md). */
	if (kind == PY_NONE || kind == PY_MANIFEST || (lock && !view_is_project(c->v)))
		return BOSUN_OK;
	if (!f->data) {
		langpkg_warn_unread(c->a, "python", f);
		return BOSUN_OK;
	}
	size_t first = c->a->npkgs;
	if (kind == PY_REQUIREMENTS)
		return parse_requirements_file(c, f);
	if (kind == PY_METADATA)
		TRY(python_parse_metadata((const char *)f->data, f->size, f->path, c->a));
	else
		TRY(parse_lock(c, f, kind));
	set_layer(c->a, first, f->layer);
	return BOSUN_OK;
}

static int analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	struct pyctx c = { .v = v, .a = a };
	int rc = view_each_wanted(v, &analyzer_python, each_file, &c);
	if (c.warnings > LANGPKG_MAX_WARNINGS)
		artifact_warn(a, "requirements: %zu more warnings about includes not shown", c.warnings - LANGPKG_MAX_WARNINGS);
	strmap_free(&c.parsed);
	arena_free(&c.scratch);
	if (rc != BOSUN_OK)
		return berr_set(e, rc, "python: %s", bosun_strerror(rc));
	return BOSUN_OK;
}

const struct analyzer analyzer_python = { "python", 1, wants, analyze };
