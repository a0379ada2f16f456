/* The language-ecosystem version schemes (npm, PyPI, Maven, RubyGems, Cargo,
 * NuGet, Composer, and grype's JVM order), with the few entry points that the generic
 * struct version_scheme cannot express. Each scheme follows its ecosystem's
 * own tool; docs/version-schemes.md lists the rules and where bosun differs
 * from grype. */
#ifndef BOSUN_VERSION_LANG_H
#define BOSUN_VERSION_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "version/version.h"

extern const struct version_scheme version_scheme_npm;
extern const struct version_scheme version_scheme_pypi;
extern const struct version_scheme version_scheme_maven;
extern const struct version_scheme version_scheme_gem;
extern const struct version_scheme version_scheme_cargo;
extern const struct version_scheme version_scheme_nuget;
extern const struct version_scheme version_scheme_composer;
/* grype's JDK/JRE order ("1.8.0_131-b11" = 8.0.131+11); no constraint syntax. */
extern const struct version_scheme version_scheme_jvm;

/* node-semver compare() and valid() with explicit options: flags is 0
 * (strict) or VERSION_LOOSE. The scheme's compare/valid use loose, which
 * accepts everything strict does and orders it the same way. */
int npm_compare(const char *a, const char *b, unsigned flags, int *cmp);
bool npm_valid(const char *v, unsigned flags);

/* Composer's VersionParser::normalize() of version into out: "1.2" ->
 * "1.2.0.0", "v1.0.0-p2" -> "1.0.0.0-patch2", "1.x-dev" ->
 * "1.9999999.9999999.9999999-dev", "dev-master" stays. BOSUN_EFORMAT when
 * Composer would reject it, BOSUN_ELIMIT when out is too small. */
int composer_normalize(const char *version, char *out, size_t cap);

#endif
