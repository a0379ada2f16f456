/* PHP Composer packages: vendor/composer/installed.json (what `composer
 * install` put in vendor/; Composer 1 wrote a bare array, Composer 2 an
 * object with "packages", "dev" and "dev-package-names") and in project
 * trees composer.lock. Pure parsers for tests and fuzzing; the analyzer
 * (analyzer_php, php.c) feeds them from the view. PKG_COMPOSER packages,
 * named "vendor/package" and versioned as Composer prints them ("v1.27.0");
 * licenses are Composer's array joined with " OR " (Composer documents
 * several licenses as alternatives). BOSUN_OK or BOSUN_ENOMEM; malformed
 * input is a warning and a best-effort result. */
#ifndef BOSUN_ANALYZE_PHP_H
#define BOSUN_ANALYZE_PHP_H

#include <stddef.h>

#include "sbom/artifact.h"

/* dev: listed in Composer 2's "dev-package-names". */
int php_parse_installed_json(const char *data, size_t len, const char *found_in, struct artifact *a);

/* "packages" and "packages-dev" (dev). composer_json (may be NULL) is the
 * composer.json next to the lock: packages its "require" and "require-dev"
 * name are "direct", the rest "indirect"; without it relationship stays
 * NULL. */
int php_parse_composer_lock(const char *data, size_t len, const char *found_in, const char *composer_json,
			    size_t cjlen, struct artifact *a);

#endif
