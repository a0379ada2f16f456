#include "analyze/langpkg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyzer.h"
#include "util/err.h"
#include "util/strmap.h"

void langpkg_begin(struct langpkg_file *f, struct artifact *a, const char *what, const char *path)
{
	*f = (struct langpkg_file){ .a = a, .what = what, .path = path };
}

void langpkg_end(struct langpkg_file *f)
{
	if (f->warnings > LANGPKG_MAX_WARNINGS)
		artifact_warn(f->a, "%s: %s: %zu more warnings not shown", f->what, f->path,
			      f->warnings - LANGPKG_MAX_WARNINGS);
}

void langpkg_warn(struct langpkg_file *f, const char *fmt, ...)
{
	if (f->warnings++ >= LANGPKG_MAX_WARNINGS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	artifact_warn(f->a, "%s: %s: %s", f->what, f->path, msg);
}

bool langpkg_token_ok(struct slice s, size_t max)
{
	if (s.n == 0 || s.n > max)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] <= 0x20 || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

/* At most 64 bytes of a hostile value in a message, without control bytes. */
static void excerpt(struct slice s, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < s.n && n + 1 < cap && n < 64; i++)
		out[n++] = (unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f ? '?' : s.p[i];
	out[n] = '\0';
}

int langpkg_add(struct langpkg_file *f, enum pkg_type t, struct slice name, struct slice version,
		struct package **out)
{
	*out = NULL;
	if (f->full)
		return BOSUN_OK;
	if (f->added >= LANGPKG_MAX_PACKAGES) {
		f->full = true;
		langpkg_warn(f, "more than %d packages, the rest is ignored", LANGPKG_MAX_PACKAGES);
		return BOSUN_OK;
	}
	char a[80], b[80];
	if (!langpkg_token_ok(name, LANGPKG_NAME_MAX) || !langpkg_token_ok(version, LANGPKG_VERSION_MAX)) {
		excerpt(name, a, sizeof a);
		excerpt(version, b, sizeof b);
		langpkg_warn(f, "entry \"%s\" \"%s\" has no usable name or version, skipped", a, b);
		return BOSUN_OK;
	}
	struct arena *ar = &f->a->arena;
	if (!f->found_in && !(f->found_in = arena_strdup(ar, f->path)))
		return BOSUN_ENOMEM;
	struct package *p = artifact_add_package(f->a);
	if (!p)
		return BOSUN_ENOMEM;
	p->type = t;
	p->found_in = f->found_in;
	p->name = arena_slice(ar, name);
	p->version = arena_slice(ar, version);
	if (!p->name || !p->version)
		return BOSUN_ENOMEM;
	f->added++;
	*out = p;
	return BOSUN_OK;
}

static char *clean_copy(struct arena *ar, struct slice s)
{
	char *c = arena_slice(ar, s);
	for (char *q = c; q && *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = ' ';
	return c;
}

int langpkg_set_license(struct langpkg_file *f, struct package *p, struct slice s)
{
	s = slice_trim(s);
	if (s.n == 0 || s.n > LANGPKG_LICENSE_MAX)
		return BOSUN_OK;
	p->license = clean_copy(&f->a->arena, s);
	return p->license ? BOSUN_OK : BOSUN_ENOMEM;
}

int langpkg_join_licenses(struct langpkg_file *f, struct package *p, const struct slice *items, size_t n,
			  const char *sep)
{
	struct buf b = { 0 };
	int rc = BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && i < n; i++) {
		struct slice s = slice_trim(items[i]);
		if (s.n == 0 || s.n > LANGPKG_LICENSE_MAX || b.len + s.n > LANGPKG_LICENSE_MAX)
			continue;
		if (b.len)
			rc = buf_append_str(&b, sep);
		if (rc == BOSUN_OK)
			rc = buf_append(&b, s.p, s.n);
	}
	if (rc == BOSUN_OK && b.len)
		rc = langpkg_set_license(f, p, slice_make(b.data, b.len));
	buf_free(&b);
	return rc;
}

void langpkg_warn_unread(struct artifact *a, const char *what, const struct scan_file *f)
{
	artifact_warn(a, "%s: %s %s, not read", what, f->path,
		      f->too_large ? "is above the capture limit" : "is a link target that was not captured");
}

const char *langpkg_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

bool langpkg_has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

bool langpkg_has_dir(const char *path, size_t len, const char *dir)
{
	size_t n = strlen(dir);
	for (size_t i = 0; i + n < len; i++) {
		if ((i == 0 || path[i - 1] == '/') && path[i + n] == '/' && memcmp(path + i, dir, n) == 0)
			return true;
		/* jump to the next component */
		const char *slash = memchr(path + i, '/', len - i);
		if (!slash)
			break;
		i = (size_t)(slash - path);
	}
	return false;
}

/* ---- layers ---- */

static char *pkg_key(struct arena *ar, const struct package *p)
{
	return arena_printf(ar, "%d\x1f%s\x1f%s", (int)p->type, p->name, p->version);
}

/* The keys of every package one older version of the file holds; false
 * when it is deleted or does not parse (then nothing stayed). */
static int version_keys(const struct scan_file *f, langpkg_parse_fn parse, struct arena *ar, struct strmap *set,
			bool *parsed)
{
	*parsed = false;
	if (f->deleted || !f->data)
		return BOSUN_OK;
	struct artifact tmp;
	artifact_init(&tmp);
	tmp.silent = true; /* older versions' problems were not in the final image */
	struct berr ignore = { 0 };
	int rc = parse(f, &tmp, &ignore);
	*parsed = rc == BOSUN_OK;
	if (rc == BOSUN_ENOMEM) {
		artifact_free(&tmp);
		return rc;
	}
	rc = BOSUN_OK;
	for (size_t i = 0; rc == BOSUN_OK && *parsed && i < tmp.npkgs; i++) {
		char *k = pkg_key(ar, &tmp.pkgs[i]);
		rc = k ? strmap_put(set, k, k) : BOSUN_ENOMEM;
	}
	artifact_free(&tmp);
	return rc;
}

/* Walks from just below the final version down while each package stays. */
static int walk_history(const struct scan_file *const *hist, size_t top, langpkg_parse_fn parse, struct artifact *a,
			size_t first, char **keys, struct arena *ar)
{
	size_t nnew = a->npkgs - first, open = nnew;
	int rc = BOSUN_OK;
	for (size_t h = top; rc == BOSUN_OK && open && h-- > 0;) {
		struct strmap set = { 0 };
		bool parsed;
		rc = version_keys(hist[h], parse, ar, &set, &parsed);
		for (size_t k = 0; rc == BOSUN_OK && k < nnew; k++) {
			if (!keys[k])
				continue;
			if (parsed && strmap_get(&set, keys[k])) {
				a->pkgs[first + k].layer = hist[h]->layer;
			} else {
				keys[k] = NULL; /* absent here: introduced above */
				open--;
			}
		}
		strmap_free(&set);
	}
	return rc;
}

int langpkg_parse_with_history(const struct scan_view *v, const struct scan_file *final, langpkg_parse_fn parse,
			       struct artifact *a, struct berr *e)
{
	size_t first = a->npkgs;
	TRY(parse(final, a, e));
	for (size_t i = first; i < a->npkgs; i++)
		a->pkgs[i].layer = final->layer;
	const struct scan_file *const *hist = NULL;
	size_t nh = view_history(v, final->path, &hist);
	/* Versions above the final one's layer are not in this image's past;
	 * the final version itself is the entry at its layer. */
	size_t top = nh;
	while (top > 0 && hist[top - 1]->layer > final->layer)
		top--;
	if (top > 0 && hist[top - 1]->layer == final->layer && !hist[top - 1]->deleted)
		top--;
	size_t nnew = a->npkgs - first;
	if (nnew == 0 || top == 0)
		return BOSUN_OK;
	struct arena ar = { 0 };
	char **keys = calloc(nnew, sizeof *keys);
	int rc = keys ? BOSUN_OK : BOSUN_ENOMEM;
	for (size_t k = 0; rc == BOSUN_OK && k < nnew; k++)
		if (!(keys[k] = pkg_key(&ar, &a->pkgs[first + k])))
			rc = BOSUN_ENOMEM;
	if (rc == BOSUN_OK)
		rc = walk_history(hist, top, parse, a, first, keys, &ar);
	free(keys);
	arena_free(&ar);
	if (rc == BOSUN_ENOMEM)
		berr_set(e, rc, "%s: out of memory", final->path);
	return rc;
}
