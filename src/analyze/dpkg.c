/* dpkg: the status database, distroless status.d, and info/ file lists.
 * Parsing walks slices of the captured file; only the fields a package
 * keeps are copied, into the artifact arena. */
#include "analyze/dpkg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "analyze/analyzer.h"
#include "analyze/attrib.h"
#include "util/err.h"

/* Bounds on what one hostile file can make us store. Real values are far
 * below: Debian names and versions are a few dozen bytes. */
#define DPKG_NAME_MAX 256
#define DPKG_VERSION_MAX 256
#define DPKG_ARCH_MAX 64
#define DPKG_TEXT_MAX 1024
#define DPKG_MAX_PACKAGES 100000
#define DPKG_MAX_FILES (1u << 20)
/* Warnings per file; past this they are counted, not printed. */
#define DPKG_MAX_WARNINGS 10

#define STATUS_PATH "var/lib/dpkg/status"
#define STATUS_D_PREFIX "var/lib/dpkg/status.d/"
#define INFO_PREFIX "var/lib/dpkg/info/"

/* The fields of one paragraph we use, as slices of the input. A value
 * continued on following lines extends its slice over them. */
struct para {
	struct slice package, status, version, arch, source, maintainer;
	bool any;           /* saw at least one field */
	size_t line;        /* line of the first field, for warnings */
	struct slice *last; /* field that continuation lines extend; NULL if ignored */
};

struct parser {
	struct artifact *a;
	const char *found_in_src;
	char *found_in; /* arena copy, made on first package */
	bool status_d;
	size_t added;
	size_t warnings;
};

/* ---- helpers ---- */

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_space(char c) { return is_blank(c) || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

static void pwarn(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pwarn(struct parser *p, const char *fmt, ...)
{
	if (p->warnings++ >= DPKG_MAX_WARNINGS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	artifact_warn(p->a, "dpkg: %s: %s", p->found_in_src, msg);
}

static bool key_is(struct slice key, const char *name)
{
	size_t n = strlen(name);
	return key.n == n && strncasecmp(key.p, name, n) == 0; /* deb822 field names ignore case */
}

/* Names, versions and architectures are single tokens of printable ASCII. */
static bool is_token(struct slice s, size_t max)
{
	if (s.n == 0 || s.n > max)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] <= 0x20 || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

/* Copies a possibly folded value: every run of whitespace that spans a
 * line break becomes one space, control characters become '?'. Values
 * longer than max are dropped (*dst stays NULL). */
static int store_text(struct arena *ar, struct slice s, size_t max, char **dst)
{
	s = slice_trim(s);
	if (s.n == 0 || s.n > max)
		return BOSUN_OK;
	char *out = arena_alloc(ar, s.n + 1);
	if (!out)
		return BOSUN_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '\r' || s.p[i] == '\n') {
			while (n && is_blank(out[n - 1]))
				n--;
			while (i + 1 < s.n && is_space(s.p[i + 1]))
				i++;
			out[n++] = ' ';
			continue;
		}
		out[n++] = (unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f ? '?' : s.p[i];
	}
	out[n] = '\0';
	*dst = out;
	return BOSUN_OK;
}

static bool line_is_blank(struct slice line)
{
	for (size_t i = 0; i < line.n; i++)
		if (!is_space(line.p[i]))
			return false;
	return true;
}

int dpkg_version_epoch(const char *version)
{
	const char *colon = version ? strchr(version, ':') : NULL;
	if (!colon || colon == version || colon - version > 9)
		return -1;
	int epoch = 0;
	for (const char *c = version; c < colon; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		epoch = epoch * 10 + (*c - '0');
	}
	return epoch;
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool in_set(char c, const char *set) { return c != '\0' && strchr(set, c); }

/* deb-version(7): [epoch:]upstream[-revision]. Everything dpkg refuses or
 * warns about is refused here, and so is an upstream part that does not
 * start with a digit (policy; dpkg only warns, trivy refuses). */
bool dpkg_version_valid(struct slice v)
{
	v = slice_trim(v);
	if (v.n == 0 || v.n > DPKG_VERSION_MAX)
		return false;
	struct slice epoch, rest;
	if (slice_split(v, ':', &epoch, &rest)) {
		if (epoch.n == 0 || epoch.n > 9)
			return false;
		for (size_t i = 0; i < epoch.n; i++)
			if (epoch.p[i] < '0' || epoch.p[i] > '9')
				return false;
	} else {
		rest = v;
	}
	size_t dash = rest.n;
	while (dash > 0 && rest.p[dash - 1] != '-')
		dash--;
	struct slice upstream = dash ? slice_make(rest.p, dash - 1) : rest;
	struct slice revision = dash ? slice_make(rest.p + dash, rest.n - dash) : slice_make(rest.p, 0);
	if (upstream.n == 0 || upstream.p[0] < '0' || upstream.p[0] > '9' || (dash && revision.n == 0))
		return false;
	for (size_t i = 0; i < upstream.n; i++)
		if (!is_alnum(upstream.p[i]) && !in_set(upstream.p[i], ".+~-:"))
			return false;
	for (size_t i = 0; i < revision.n; i++)
		if (!is_alnum(revision.p[i]) && !in_set(revision.p[i], ".+~"))
			return false;
	return true;
}

/* ---- status paragraphs ---- */

/* "want flag state": only the state "installed" means the files are there
 * and configured. */
static bool status_installed(struct parser *p, const struct para *para, struct slice pkg)
{
	struct slice rest = slice_trim(para->status), word[3];
	for (int i = 0; i < 3; i++) {
		rest = slice_trim(rest);
		size_t n = 0;
		while (n < rest.n && !is_space(rest.p[n]))
			n++;
		word[i] = slice_make(rest.p, n);
		rest = slice_make(rest.p + n, rest.n - n);
	}
	if (word[2].n == 0) {
		pwarn(p, "package %.*s: unrecognised Status \"%.*s\"", (int)pkg.n, pkg.p,
		      (int)(para->status.n > 64 ? 64 : para->status.n), para->status.p);
		return false;
	}
	return slice_eq_cstr(word[2], "installed");
}

/* "glibc (2.36-9)" -> name glibc, version 2.36-9; "glibc" -> version empty. */
static bool split_source(struct slice src, struct slice *name, struct slice *version)
{
	src = slice_trim(src);
	size_t n = 0;
	while (n < src.n && !is_space(src.p[n]) && src.p[n] != '(')
		n++;
	*name = slice_make(src.p, n);
	struct slice rest = slice_trim(slice_make(src.p + n, src.n - n));
	*version = slice_make(rest.p, 0);
	if (rest.n >= 2 && rest.p[0] == '(' && rest.p[rest.n - 1] == ')')
		*version = slice_trim(slice_make(rest.p + 1, rest.n - 2));
	else if (rest.n)
		return false;
	return is_token(*name, DPKG_NAME_MAX) && (version->n == 0 || dpkg_version_valid(*version));
}

static int add_source(struct parser *p, struct package *pkg, struct slice src)
{
	struct slice name, version;
	if (src.n && !split_source(src, &name, &version)) {
		pwarn(p, "package %s: malformed Source, ignored", pkg->name);
		src.n = 0;
	}
	pkg->source_version = pkg->version;
	if (src.n == 0)
		return BOSUN_OK;
	if (!slice_eq_cstr(name, pkg->name)) {
		pkg->source_name = arena_slice(&p->a->arena, name);
		if (!pkg->source_name)
			return BOSUN_ENOMEM;
	}
	if (version.n) {
		pkg->source_version = arena_slice(&p->a->arena, version);
		if (!pkg->source_version)
			return BOSUN_ENOMEM;
	}
	return BOSUN_OK;
}

/* Whether a paragraph is an installed package we can record; warns about
 * the damaged ones. */
static bool para_usable(struct parser *p, const struct para *para, struct slice name, struct slice version)
{
	if (name.n == 0) {
		pwarn(p, "entry at line %zu has no Package, skipped", para->line);
		return false;
	}
	if (!is_token(name, DPKG_NAME_MAX)) {
		pwarn(p, "entry at line %zu has an unusable Package name, skipped", para->line);
		return false;
	}
	if (para->status.p && !status_installed(p, para, name))
		return false;
	if (!dpkg_version_valid(version)) {
		pwarn(p, "package %.*s (line %zu) has %s Version, skipped", (int)name.n, name.p, para->line,
		      version.n ? "an unusable" : "no");
		return false;
	}
	/* status.d files carry no Status; in the status file its absence is
	 * damage, and listing the package errs on the side of reporting. */
	if (!para->status.p && !p->status_d)
		pwarn(p, "package %.*s (line %zu) has no Status, taken as installed", (int)name.n, name.p,
		      para->line);
	return true;
}

static int add_package(struct parser *p, const struct para *para, struct slice name, struct slice version)
{
	struct arena *ar = &p->a->arena;
	if (!p->found_in && !(p->found_in = arena_strdup(ar, p->found_in_src)))
		return BOSUN_ENOMEM;
	struct package *pkg = artifact_add_package(p->a);
	if (!pkg)
		return BOSUN_ENOMEM;
	pkg->type = PKG_DEB;
	pkg->found_in = p->found_in;
	pkg->name = arena_slice(ar, name);
	pkg->version = arena_slice(ar, version);
	if (!pkg->name || !pkg->version)
		return BOSUN_ENOMEM;
	pkg->epoch = dpkg_version_epoch(pkg->version);
	struct slice arch = slice_trim(para->arch);
	if (is_token(arch, DPKG_ARCH_MAX) && !(pkg->arch = arena_slice(ar, arch)))
		return BOSUN_ENOMEM;
	TRY(store_text(ar, para->maintainer, DPKG_TEXT_MAX, &pkg->maintainer));
	TRY(add_source(p, pkg, para->source));
	p->added++;
	return BOSUN_OK;
}

static int finish_para(struct parser *p, const struct para *para)
{
	struct slice name = slice_trim(para->package), version = slice_trim(para->version);
	if (!para->any || !para_usable(p, para, name, version))
		return BOSUN_OK;
	return add_package(p, para, name, version);
}

static struct slice *para_field(struct para *para, struct slice key)
{
	if (key_is(key, "Package"))
		return &para->package;
	if (key_is(key, "Status"))
		return &para->status;
	if (key_is(key, "Version"))
		return &para->version;
	if (key_is(key, "Architecture"))
		return &para->arch;
	if (key_is(key, "Source"))
		return &para->source;
	if (key_is(key, "Maintainer"))
		return &para->maintainer;
	return NULL;
}

/* One "Name: value" line. A second Package in the same paragraph means a
 * blank line went missing: the previous entry ends there. */
static int field_line(struct parser *p, struct para *para, struct slice line, size_t lineno)
{
	struct slice key, val;
	if (!slice_split(line, ':', &key, &val) || key.n == 0) {
		pwarn(p, "line %zu is not a field, ignored", lineno);
		para->last = NULL;
		return BOSUN_OK;
	}
	struct slice *dst = para_field(para, key);
	if (dst == &para->package && para->package.p) {
		TRY(finish_para(p, para));
		*para = (struct para){ 0 };
	}
	if (!para->any) {
		para->any = true;
		para->line = lineno;
	}
	while (val.n && is_blank(val.p[0])) {
		val.p++;
		val.n--;
	}
	if (dst)
		*dst = val;
	para->last = dst;
	return BOSUN_OK;
}

int dpkg_parse_status(const char *data, size_t len, const char *found_in, bool status_d,
		      struct artifact *a)
{
	struct parser p = { .a = a, .found_in_src = found_in, .status_d = status_d };
	struct para para = { 0 };
	struct slice rest = slice_make(data ? data : "", data ? len : 0), line;
	size_t lineno = 0;
	while (slice_next_line(&rest, &line)) {
		lineno++;
		if (line_is_blank(line)) {
			TRY(finish_para(&p, &para));
			para = (struct para){ 0 };
		} else if (is_blank(line.p[0])) {
			/* Continuation: the slice grows to the end of this line. */
			if (para.last)
				para.last->n = (size_t)(line.p + line.n - para.last->p);
		} else {
			TRY(field_line(&p, &para, line, lineno));
		}
		if (p.added >= DPKG_MAX_PACKAGES) {
			pwarn(&p, "more than %d packages, the rest is ignored", DPKG_MAX_PACKAGES);
			para = (struct para){ 0 };
			break;
		}
	}
	TRY(finish_para(&p, &para));
	if (p.warnings > DPKG_MAX_WARNINGS)
		artifact_warn(a, "dpkg: %s: %zu more warnings not shown", found_in,
			      p.warnings - DPKG_MAX_WARNINGS);
	return BOSUN_OK;
}

/* ---- file lists ---- */

/* The path of one list line, normalized like scan_file paths; empty for
 * lines that name no file ("/." is the package root). */
static struct slice list_path(struct slice line, bool md5sums)
{
	if (md5sums) {
		size_t i = 0;
		while (i < line.n && !is_blank(line.p[i]))
			i++;
		while (i < line.n && is_blank(line.p[i]))
			i++;
		line = slice_make(line.p + i, line.n - i);
	}
	for (;;) {
		if (line.n && line.p[0] == '/') {
			line.p++;
			line.n--;
		} else if (line.n >= 2 && line.p[0] == '.' && line.p[1] == '/') {
			line.p += 2;
			line.n -= 2;
		} else {
			break;
		}
	}
	if (slice_eq_cstr(line, "."))
		line.n = 0;
	return line;
}

/* In a .list, dir precedes its contents: dir is a directory if next
 * starts with "dir/". */
static bool is_parent(struct slice dir, struct slice next)
{
	return next.n > dir.n && next.p[dir.n] == '/' && memcmp(next.p, dir.p, dir.n) == 0;
}

int dpkg_parse_file_list(const char *data, size_t len, bool md5sums, struct arena *ar,
			 char ***files, size_t *n)
{
	*files = NULL;
	*n = 0;
	struct slice rest = slice_make(data ? data : "", data ? len : 0), line;
	size_t lines = 0;
	while (lines < DPKG_MAX_FILES && slice_next_line(&rest, &line))
		lines++;
	if (lines == 0)
		return BOSUN_OK;
	char **out = arena_alloc(ar, lines * sizeof *out);
	if (!out)
		return BOSUN_ENOMEM;
	size_t count = 0, seen = 0;
	struct slice prev = { NULL, 0 };
	rest = slice_make(data, len);
	while (seen < lines && slice_next_line(&rest, &line)) {
		seen++;
		struct slice path = list_path(line, md5sums);
		if (path.n == 0)
			continue;
		if (prev.n && !(!md5sums && is_parent(prev, path)) && !(out[count++] = arena_slice(ar, prev)))
			return BOSUN_ENOMEM;
		prev = path;
	}
	if (prev.n && !(out[count++] = arena_slice(ar, prev)))
		return BOSUN_ENOMEM;
	*files = count ? out : NULL;
	*n = count;
	return BOSUN_OK;
}

/* ---- the analyzer ---- */

extern const struct analyzer analyzer_dpkg;

static bool has_prefix(const char *s, size_t len, const char *prefix, size_t plen)
{
	return len > plen && memcmp(s, prefix, plen) == 0;
}

static bool has_suffix(const char *s, size_t len, const char *suffix, size_t slen)
{
	return len >= slen && memcmp(s + len - slen, suffix, slen) == 0;
}

#define PREFIX(s, len, lit) has_prefix(s, len, lit, sizeof lit - 1)
#define SUFFIX(s, len, lit) has_suffix(s, len, lit, sizeof lit - 1)

/* Called for every tar entry: compare names only. */
static bool wants(const char *path, size_t len)
{
	if (len < sizeof STATUS_PATH - 1 || memcmp(path, "var/lib/dpkg/", 13) != 0)
		return false;
	if (strcmp(path, STATUS_PATH) == 0 || PREFIX(path, len, STATUS_D_PREFIX))
		return true;
	return PREFIX(path, len, INFO_PREFIX) && (SUFFIX(path, len, ".list") || SUFFIX(path, len, ".md5sums"));
}

static int attach_list(struct artifact *a, size_t i, const struct scan_file *f, bool md5sums)
{
	char **files;
	size_t n;
	TRY(dpkg_parse_file_list((const char *)f->data, f->size, md5sums, &a->arena, &files, &n));
	a->pkgs[i].files = files;
	a->pkgs[i].nfiles = n;
	return BOSUN_OK;
}

/* info/NAME:ARCH.list (Multi-Arch: same), info/NAME.list, then the
 * .md5sums equivalents, which lack directories but exist for
 * packages whose .list was removed. */
static int attach_info_files(const struct scan_view *v, struct artifact *a, size_t i)
{
	static const char *const exts[] = { ".list", ".md5sums" };
	const struct package *p = &a->pkgs[i];
	for (size_t e = 0; e < 2; e++) {
		for (int with_arch = p->arch ? 1 : 0; with_arch >= 0; with_arch--) {
			char path[sizeof INFO_PREFIX + DPKG_NAME_MAX + DPKG_ARCH_MAX + 16];
			int n = with_arch ? snprintf(path, sizeof path, INFO_PREFIX "%s:%s%s", p->name, p->arch, exts[e])
					  : snprintf(path, sizeof path, INFO_PREFIX "%s%s", p->name, exts[e]);
			if (n < 0 || (size_t)n >= sizeof path)
				continue;
			const struct scan_file *f = view_final(v, path);
			if (f && f->data)
				return attach_list(a, i, f, e == 1);
		}
	}
	return BOSUN_OK;
}

static int parse_status_version(const struct scan_file *f, struct artifact *out, struct berr *e)
{
	if (dpkg_parse_status((const char *)f->data, f->size, f->path, false, out) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "dpkg: %s: out of memory", f->path);
	return BOSUN_OK;
}

static int analyze_status(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	const struct scan_file *f = view_final(v, STATUS_PATH);
	if (!f)
		return BOSUN_OK;
	if (!f->data) {
		if (f->too_large)
			artifact_warn(a, "dpkg: %s is above the capture limit, its packages are not listed", f->path);
		return BOSUN_OK;
	}
	size_t first = a->npkgs;
	TRY(attrib_parse_with_history(v, f, parse_status_version, a, e));
	for (size_t i = first; i < a->npkgs; i++)
		if (attach_info_files(v, a, i) != BOSUN_OK)
			return berr_set(e, BOSUN_ENOMEM, "dpkg: file lists: out of memory");
	return BOSUN_OK;
}

struct status_d_ctx {
	const struct scan_view *v;
	struct artifact *a;
};

/* A status.d file holds the package it is named after; its md5sums sit
 * next to it. The file's own layer introduced the package: distroless
 * images write one file per package instead of rewriting a shared one. */
static int each_status_d(const struct scan_file *f, void *vctx)
{
	struct status_d_ctx *ctx = vctx;
	size_t len = strlen(f->path);
	if (!PREFIX(f->path, len, STATUS_D_PREFIX) || SUFFIX(f->path, len, ".md5sums") ||
	    strchr(f->path + sizeof STATUS_D_PREFIX - 1, '/') || !f->data)
		return BOSUN_OK;
	struct artifact *a = ctx->a;
	size_t first = a->npkgs;
	TRY(dpkg_parse_status((const char *)f->data, f->size, f->path, true, a));
	const char *base = f->path + sizeof STATUS_D_PREFIX - 1;
	char md5[4096];
	int n = snprintf(md5, sizeof md5, "%s.md5sums", f->path);
	const struct scan_file *sums = n > 0 && (size_t)n < sizeof md5 ? view_final(ctx->v, md5) : NULL;
	for (size_t i = first; i < a->npkgs; i++) {
		a->pkgs[i].layer = f->layer;
		bool own = strcmp(a->pkgs[i].name, base) == 0 || a->npkgs - first == 1;
		if (own && sums && sums->data)
			TRY(attach_list(a, i, sums, true));
	}
	return BOSUN_OK;
}

static int analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	TRY(analyze_status(v, a, e));
	struct status_d_ctx ctx = { v, a };
	int rc = view_each_wanted(v, &analyzer_dpkg, each_status_d, &ctx);
	if (rc != BOSUN_OK)
		return berr_wrap(e, rc, "dpkg: status.d");
	return BOSUN_OK;
}

const struct analyzer analyzer_dpkg = { "dpkg", 1, wants, analyze };
