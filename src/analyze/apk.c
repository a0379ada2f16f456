/* apk: lib/apk/db/installed. One pass over the lines finds each entry and
 * its fields as slices; a second pass over the entry's own lines builds
 * its file list once the number of files is known. */
#include "analyze/apk.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analyze/analyzer.h"
#include "analyze/attrib.h"
#include "util/err.h"

/* Bounds on what one hostile file can make us store; real values are a
 * few dozen bytes. */
#define APK_NAME_MAX 256
#define APK_VERSION_MAX 256
#define APK_ARCH_MAX 64
#define APK_TEXT_MAX 1024
#define APK_PATH_MAX 4096
#define APK_MAX_PACKAGES 100000
#define APK_MAX_FILES (1u << 20)
#define APK_MAX_WARNINGS 10

/* One entry's fields, as slices of the input. */
struct entry {
	struct slice name, version, arch, license, origin, maintainer, commit;
	struct slice body; /* from its first line to the end of its last */
	size_t nfiles;     /* R: lines */
	size_t line;       /* first line, for warnings */
	bool any;
};

struct parser {
	struct artifact *a;
	const char *found_in_src;
	char *found_in; /* arena copy, made on first package */
	size_t added;
	size_t warnings;
};

static void pwarn(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pwarn(struct parser *p, const char *fmt, ...)
{
	if (p->warnings++ >= APK_MAX_WARNINGS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	artifact_warn(p->a, "apk: %s: %s", p->found_in_src, msg);
}

static bool is_blank_line(struct slice line)
{
	return slice_trim(line).n == 0;
}

/* Names, versions, architectures and commits are single printable tokens. */
static bool is_token(struct slice s, size_t max)
{
	if (s.n == 0 || s.n > max)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] <= 0x20 || (unsigned char)s.p[i] >= 0x7f)
			return false;
	return true;
}

/* Free text (license, maintainer): control characters become '?'; an
 * over-long value is dropped. */
static int store_text(struct arena *ar, struct slice s, char **dst)
{
	s = slice_trim(s);
	if (s.n == 0 || s.n > APK_TEXT_MAX)
		return BOSUN_OK;
	char *out = arena_alloc(ar, s.n + 1);
	if (!out)
		return BOSUN_ENOMEM;
	for (size_t i = 0; i < s.n; i++)
		out[i] = (unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f ? '?' : s.p[i];
	out[s.n] = '\0';
	*dst = out;
	return BOSUN_OK;
}

static int store_token(struct arena *ar, struct slice s, size_t max, char **dst)
{
	s = slice_trim(s);
	if (!is_token(s, max))
		return BOSUN_OK;
	*dst = arena_slice(ar, s);
	return *dst ? BOSUN_OK : BOSUN_ENOMEM;
}

/* "F:usr/lib" then "R:libz.so.1" -> "usr/lib/libz.so.1"; an R: before any
 * F: is at the root. */
static int build_files(struct arena *ar, const struct entry *e, struct package *pkg)
{
	size_t cap = e->nfiles < APK_MAX_FILES ? e->nfiles : APK_MAX_FILES;
	if (cap == 0)
		return BOSUN_OK;
	char **files = arena_alloc(ar, cap * sizeof *files);
	if (!files)
		return BOSUN_ENOMEM;
	size_t n = 0;
	struct slice rest = e->body, line, dir = { "", 0 };
	while (n < cap && slice_next_line(&rest, &line)) {
		if (line.n < 2 || line.p[1] != ':')
			continue;
		struct slice val = slice_trim(slice_make(line.p + 2, line.n - 2));
		while (val.n && val.p[0] == '/') {
			val.p++;
			val.n--;
		}
		if (line.p[0] == 'F') {
			dir = val.n <= APK_PATH_MAX ? val : slice_make("", 0);
		} else if (line.p[0] == 'R' && val.n && val.n <= APK_PATH_MAX) {
			files[n] = dir.n ? arena_printf(ar, "%.*s/%.*s", (int)dir.n, dir.p, (int)val.n, val.p)
					 : arena_slice(ar, val);
			if (!files[n++])
				return BOSUN_ENOMEM;
		}
	}
	pkg->files = n ? files : NULL;
	pkg->nfiles = n;
	return BOSUN_OK;
}

static bool entry_usable(struct parser *p, const struct entry *e)
{
	struct slice name = slice_trim(e->name), version = slice_trim(e->version);
	if (!is_token(name, APK_NAME_MAX)) {
		pwarn(p, "entry at line %zu has %s package name, skipped", e->line, name.n ? "an unusable" : "no");
		return false;
	}
	if (!is_token(version, APK_VERSION_MAX)) {
		pwarn(p, "package %.*s (line %zu) has %s version, skipped", (int)name.n, name.p, e->line,
		      version.n ? "an unusable" : "no");
		return false;
	}
	return true;
}

static int finish_entry(struct parser *p, const struct entry *e)
{
	if (!e->any || !entry_usable(p, e))
		return BOSUN_OK;
	struct arena *ar = &p->a->arena;
	if (!p->found_in && !(p->found_in = arena_strdup(ar, p->found_in_src)))
		return BOSUN_ENOMEM;
	struct package *pkg = artifact_add_package(p->a);
	if (!pkg)
		return BOSUN_ENOMEM;
	pkg->type = PKG_APK;
	pkg->found_in = p->found_in;
	TRY(store_token(ar, e->name, APK_NAME_MAX, &pkg->name));
	TRY(store_token(ar, e->version, APK_VERSION_MAX, &pkg->version));
	pkg->source_version = pkg->version;
	TRY(store_token(ar, e->arch, APK_ARCH_MAX, &pkg->arch));
	if (!slice_eq(slice_trim(e->origin), slice_trim(e->name)))
		TRY(store_token(ar, e->origin, APK_NAME_MAX, &pkg->source_name));
	TRY(store_text(ar, e->license, &pkg->license));
	TRY(store_text(ar, e->maintainer, &pkg->maintainer));
	TRY(store_token(ar, e->commit, APK_NAME_MAX, &pkg->commit));
	TRY(build_files(ar, e, pkg));
	p->added++;
	return BOSUN_OK;
}

static void take_field(struct entry *e, struct slice line)
{
	struct slice val = slice_make(line.p + 2, line.n - 2);
	switch (line.p[0]) {
	case 'P': e->name = val; break;
	case 'V': e->version = val; break;
	case 'A': e->arch = val; break;
	case 'L': e->license = val; break;
	case 'o': e->origin = val; break;
	case 'm': e->maintainer = val; break;
	case 'c': e->commit = val; break;
	case 'R': e->nfiles++; break;
	default: break; /* checksums, sizes, dependencies, t: build time, ... */
	}
}

static void start_entry(struct entry *e, struct slice line, size_t lineno)
{
	*e = (struct entry){ 0 };
	e->any = true;
	e->line = lineno;
	e->body = slice_make(line.p, 0);
}

int apk_parse_installed(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	struct parser p = { .a = a, .found_in_src = found_in };
	struct entry e = { 0 };
	struct slice rest = slice_make(data ? data : "", data ? len : 0), line;
	size_t lineno = 0;
	while (p.added < APK_MAX_PACKAGES && slice_next_line(&rest, &line)) {
		lineno++;
		if (is_blank_line(line)) {
			TRY(finish_entry(&p, &e));
			e = (struct entry){ 0 };
			continue;
		}
		if (line.n < 2 || line.p[1] != ':') {
			pwarn(&p, "line %zu is not a field, ignored", lineno);
			continue;
		}
		/* A second P: means a blank line went missing. */
		if (line.p[0] == 'P' && e.name.p) {
			TRY(finish_entry(&p, &e));
			e = (struct entry){ 0 };
		}
		if (!e.any)
			start_entry(&e, line, lineno);
		e.body.n = (size_t)(line.p + line.n - e.body.p);
		take_field(&e, line);
	}
	if (p.added >= APK_MAX_PACKAGES)
		pwarn(&p, "more than %d packages, the rest is ignored", APK_MAX_PACKAGES);
	else
		TRY(finish_entry(&p, &e));
	if (p.warnings > APK_MAX_WARNINGS)
		artifact_warn(a, "apk: %s: %zu more warnings not shown", found_in, p.warnings - APK_MAX_WARNINGS);
	return BOSUN_OK;
}

/* ---- the analyzer ---- */

/* apk-tools 3 on a merged /usr keeps the database under usr/. */
static const char *const db_paths[] = { "lib/apk/db/installed", "usr/lib/apk/db/installed" };

/* Called for every tar entry: compare names only. */
static bool wants(const char *path, size_t len)
{
	return (len == 20 && memcmp(path, db_paths[0], 20) == 0) ||
	       (len == 24 && memcmp(path, db_paths[1], 24) == 0);
}

static int parse_version(const struct scan_file *f, struct artifact *out, struct berr *e)
{
	if (apk_parse_installed((const char *)f->data, f->size, f->path, out) != BOSUN_OK)
		return berr_set(e, BOSUN_ENOMEM, "apk: %s: out of memory", f->path);
	return BOSUN_OK;
}

static int analyze(const struct scan_view *v, struct artifact *a, struct berr *e)
{
	const struct scan_file *seen = NULL;
	for (size_t i = 0; i < sizeof db_paths / sizeof db_paths[0]; i++) {
		const struct scan_file *f = view_final(v, db_paths[i]);
		if (!f || f == seen || (seen && strcmp(f->path, seen->path) == 0)) /* lib -> usr/lib: one database */
			continue;
		seen = f;
		if (!f->data) {
			if (f->too_large)
				artifact_warn(a, "apk: %s is above the capture limit, its packages are not listed", f->path);
			continue;
		}
		TRY(attrib_parse_with_history(v, f, parse_version, a, e));
	}
	return BOSUN_OK;
}

const struct analyzer analyzer_apk = { "apk", 1, wants, analyze };
