/* The scheme table, built from schemes.def, and lookup by name. */
#include "version/version.h"

#include <stddef.h>
#include <strings.h>

#define SCHEME(n) extern const struct version_scheme version_scheme_##n;
#include "version/schemes.def"
#undef SCHEME

const struct version_scheme *const version_schemes[] = {
#define SCHEME(n) &version_scheme_##n,
#include "version/schemes.def"
#undef SCHEME
	NULL,
};

/* Other names people and tools use for a purl type. */
static const struct {
	const char *alias;
	const char *name;
} aliases[] = {
	{ "dpkg", "deb" },     { "debian", "deb" },  { "alpine", "apk" },   { "python", "pypi" },
	{ "pep440", "pypi" },  { "go", "golang" },   { "rubygems", "gem" }, { "semver", "npm" },
	{ "packagist", "composer" }, { "php", "composer" },
};

static const struct version_scheme *by_name(const char *name)
{
	for (size_t i = 0; version_schemes[i]; i++)
		if (!strcasecmp(version_schemes[i]->name, name))
			return version_schemes[i];
	return NULL;
}

const struct version_scheme *version_scheme_find(const char *name)
{
	if (!name)
		return NULL;
	/* A scheme of that name wins over an alias (a "semver" scheme would
	 * take "semver" from npm). */
	const struct version_scheme *s = by_name(name);
	for (size_t i = 0; !s && i < sizeof aliases / sizeof aliases[0]; i++)
		if (!strcasecmp(aliases[i].alias, name))
			s = by_name(aliases[i].name);
	return s;
}
