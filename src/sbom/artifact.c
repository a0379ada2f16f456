#include "sbom/artifact.h"
#include "sbom/purl.h"
#include "util/err.h"
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[PKG_TYPE_COUNT] = {
	[PKG_DEB] = "deb",	   [PKG_APK] = "apk",	  [PKG_RPM] = "rpm",	     [PKG_NPM] = "npm",
	[PKG_PYPI] = "pypi",	   [PKG_MAVEN] = "maven", [PKG_GOLANG] = "golang",   [PKG_CARGO] = "cargo",
	[PKG_GEM] = "gem",	   [PKG_COMPOSER] = "composer", [PKG_NUGET] = "nuget",
};

const char *pkg_type_name(enum pkg_type t)
{
	return (unsigned)t < PKG_TYPE_COUNT ? type_names[t] : "unknown";
}

bool pkg_type_from_purl(const char *name, enum pkg_type *out)
{
	for (int t = 0; name && t < PKG_TYPE_COUNT; t++) {
		if (strcmp(name, type_names[t]) == 0) {
			*out = (enum pkg_type)t;
			return true;
		}
	}
	return false;
}

bool pkg_type_is_os(enum pkg_type t)
{
	return t == PKG_DEB || t == PKG_APK || t == PKG_RPM;
}

void artifact_init(struct artifact *a)
{
	memset(a, 0, sizeof *a);
}

void artifact_free(struct artifact *a)
{
	free(a->pkgs);
	free(a->warnings);
	finding_list_free(&a->findings);
	arena_free(&a->arena);
	memset(a, 0, sizeof *a);
}

struct package *artifact_add_package(struct artifact *a)
{
	if (a->npkgs == a->cap_pkgs) {
		size_t cap = a->cap_pkgs ? a->cap_pkgs * 2 : 64;
		struct package *p = realloc(a->pkgs, cap * sizeof *p);
		if (!p)
			return NULL;
		a->pkgs = p;
		a->cap_pkgs = cap;
	}
	struct package *p = &a->pkgs[a->npkgs++];
	memset(p, 0, sizeof *p);
	p->epoch = -1;
	p->layer = -1;
	return p;
}

struct package *artifact_copy_package(struct artifact *a, const struct package *src)
{
	struct package copy = *src;
	struct arena *ar = &a->arena;
	char **fields[] = { &copy.name, &copy.version, &copy.arch, &copy.source_name, &copy.source_version,
			    &copy.license, &copy.maintainer, &copy.vendor, &copy.modularity, &copy.commit,
			    &copy.found_in, &copy.purl, &copy.owner, &copy.relationship };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (*fields[i] && !(*fields[i] = arena_strdup(ar, *fields[i])))
			return NULL;
	if (src->nfiles) {
		copy.files = arena_alloc(ar, src->nfiles * sizeof *copy.files);
		if (!copy.files)
			return NULL;
		for (size_t i = 0; i < src->nfiles; i++)
			if (!(copy.files[i] = arena_strdup(ar, src->files[i])))
				return NULL;
	}
	struct package *p = artifact_add_package(a);
	if (!p)
		return NULL;
	*p = copy;
	return p;
}

void artifact_warn(struct artifact *a, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!a->silent)
		log_warn("%s", msg);
	if (a->nwarnings == a->cap_warnings) {
		size_t cap = a->cap_warnings ? a->cap_warnings * 2 : 8;
		char **w = realloc(a->warnings, cap * sizeof *w);
		if (!w)
			return;
		a->warnings = w;
		a->cap_warnings = cap;
	}
	char *copy = arena_strdup(&a->arena, msg);
	if (copy)
		a->warnings[a->nwarnings++] = copy;
}

static int strcmp_null(const char *x, const char *y)
{
	if (!x || !y)
		return (x != NULL) - (y != NULL);
	return strcmp(x, y);
}

static int pkg_cmp(const void *pa, const void *pb)
{
	const struct package *x = pa, *y = pb;
	if (x->type != y->type)
		return (int)x->type - (int)y->type;
	int c = strcmp_null(x->name, y->name);
	if (!c)
		c = strcmp_null(x->version, y->version);
	if (!c)
		c = strcmp_null(x->arch, y->arch);
	if (!c)
		c = strcmp_null(x->found_in, y->found_in);
	return c;
}

int artifact_finish(struct artifact *a)
{
	finding_list_sort(&a->findings);
	if (a->npkgs > 1)
		qsort(a->pkgs, a->npkgs, sizeof *a->pkgs, pkg_cmp);
	size_t out = 0;
	for (size_t i = 0; i < a->npkgs; i++) {
		if (out > 0 && pkg_cmp(&a->pkgs[out - 1], &a->pkgs[i]) == 0)
			continue;
		a->pkgs[out++] = a->pkgs[i];
	}
	a->npkgs = out;
	for (size_t i = 0; i < a->npkgs; i++) {
		a->pkgs[i].purl = purl_for_package(&a->arena, &a->pkgs[i], &a->os);
		if (!a->pkgs[i].purl)
			return BOSUN_ENOMEM;
	}
	return BOSUN_OK;
}
