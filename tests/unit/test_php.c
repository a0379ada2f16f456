/* PHP: the pkgdb composer-lock fixture (Trivy's), installed.json as
 * Composer 1 and 2 write it, composer.lock with its composer.json,
 * malformed input, and the analyzer on trees. */
#include "langtest.h"

#include "analyze/php.h"
#include "util/log.h"

static int parse_lock(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	return php_parse_composer_lock(data, len, found_in, NULL, 0, a);
}

static void test_fixtures(void **state)
{
	(void)state;
	lt_run_fixtures("composer-lock", PKG_COMPOSER, parse_lock, " OR ");
}

/* Composer 1: a bare array; "license" as an array, or a string in old
 * packages. */
static const char installed_v1[] =
	"[\n"
	"  {\"name\": \"monolog/monolog\", \"version\": \"1.25.1\", \"version_normalized\": \"1.25.1.0\",\n"
	"   \"type\": \"library\", \"license\": [\"MIT\"], \"installation-source\": \"dist\"},\n"
	"  {\"name\": \"psr/log\", \"version\": \"1.1.0\", \"license\": \"MIT\"},\n"
	"  {\"name\": \"symfony/polyfill-php72\", \"version\": \"v1.27.0\", \"license\": [\"MIT\", \"BSD-2-Clause\"]},\n"
	"  {\"name\": \"old/dual\", \"version\": \"2.0\", \"license\": \"(LGPL-2.1-only or GPL-3.0-or-later)\"}\n"
	"]\n";

/* Composer 2: an object; dev packages named in dev-package-names. */
static const char installed_v2[] =
	"{\n  \"packages\": [\n"
	"    {\"name\": \"guzzlehttp/guzzle\", \"version\": \"7.4.5\", \"version_normalized\": \"7.4.5.0\",\n"
	"     \"license\": [\"MIT\"], \"install-path\": \"../guzzlehttp/guzzle\"},\n"
	"    {\"name\": \"phpunit/phpunit\", \"version\": \"9.5.20\", \"license\": [\"BSD-3-Clause\"]},\n"
	"    {\"name\": \"no/version\"},\n"
	"    \"not an object\"\n"
	"  ],\n  \"dev\": true,\n  \"dev-package-names\": [\"PHPUnit/PHPUnit\"]\n}\n";

static void test_installed_json(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(php_parse_installed_json(installed_v1, sizeof installed_v1 - 1, "vendor/composer/installed.json", &a),
			 BOSUN_OK);
	assert_int_equal(a.npkgs, 4);
	const struct package *p = lt_must(&a, PKG_COMPOSER, "monolog/monolog", "1.25.1");
	assert_string_equal(p->license, "MIT");
	assert_string_equal(p->found_in, "vendor/composer/installed.json");
	assert_false(p->dev);
	assert_null(p->relationship);
	assert_string_equal(lt_must(&a, PKG_COMPOSER, "psr/log", "1.1.0")->license, "MIT");
	assert_string_equal(lt_must(&a, PKG_COMPOSER, "symfony/polyfill-php72", "v1.27.0")->license, "MIT OR BSD-2-Clause");
	assert_string_equal(lt_must(&a, PKG_COMPOSER, "old/dual", "2.0")->license, "(LGPL-2.1-only OR GPL-3.0-or-later)");
	artifact_free(&a);

	artifact_init(&a);
	a.silent = true;
	assert_int_equal(php_parse_installed_json(installed_v2, sizeof installed_v2 - 1, "vendor/composer/installed.json", &a),
			 BOSUN_OK);
	assert_int_equal(a.npkgs, 2);
	assert_false(lt_must(&a, PKG_COMPOSER, "guzzlehttp/guzzle", "7.4.5")->dev);
	/* Composer compares names without case. */
	assert_true(lt_must(&a, PKG_COMPOSER, "phpunit/phpunit", "9.5.20")->dev);
	assert_true(lt_warned(&a, "not an object"));
	assert_true(lt_warned(&a, "no usable name or version"));
	artifact_free(&a);

	/* Not JSON; JSON of the wrong shape; a nesting bomb. */
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(php_parse_installed_json("{\"packages\": [", strlen("{\"packages\": ["), "i.json", &a), BOSUN_OK);
	assert_true(lt_warned(&a, "invalid JSON"));
	assert_int_equal(php_parse_installed_json("{\"packages\": 3}", strlen("{\"packages\": 3}"), "i.json", &a), BOSUN_OK);
	assert_true(lt_warned(&a, "neither a package list"));
	char bomb[300];
	memset(bomb, '[', sizeof bomb);
	assert_int_equal(php_parse_installed_json(bomb, sizeof bomb, "i.json", &a), BOSUN_OK);
	assert_true(lt_warned(&a, "nested deeper"));
	assert_int_equal(php_parse_installed_json(NULL, 0, "i.json", &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 0);
	artifact_free(&a);
}

static const char lock[] =
	"{\n  \"_readme\": [\"This file locks the dependencies\"],\n  \"content-hash\": \"x\",\n"
	"  \"packages\": [\n"
	"    {\"name\": \"symfony/console\", \"version\": \"v5.4.0\", \"license\": [\"MIT\"]},\n"
	"    {\"name\": \"symfony/string\", \"version\": \"v5.4.0\", \"license\": [\"MIT\"]}\n"
	"  ],\n  \"packages-dev\": [\n"
	"    {\"name\": \"phpunit/phpunit\", \"version\": \"9.5.20\", \"license\": [\"BSD-3-Clause\"]}\n"
	"  ],\n  \"platform\": {\"php\": \">=7.4\"}\n}\n";

static const char composer_json[] = "{\"require\": {\"php\": \">=7.4\", \"Symfony/Console\": \"^5.4\"},\n"
				    " \"require-dev\": {\"phpunit/phpunit\": \"^9.5\"}}\n";

static void test_composer_lock(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(php_parse_composer_lock(lock, sizeof lock - 1, "composer.lock", composer_json,
						 sizeof composer_json - 1, &a),
			 BOSUN_OK);
	assert_int_equal(a.npkgs, 3);
	assert_string_equal(lt_must(&a, PKG_COMPOSER, "symfony/console", "v5.4.0")->relationship, "direct");
	assert_string_equal(lt_must(&a, PKG_COMPOSER, "symfony/string", "v5.4.0")->relationship, "indirect");
	const struct package *p = lt_must(&a, PKG_COMPOSER, "phpunit/phpunit", "9.5.20");
	assert_true(p->dev);
	assert_string_equal(p->relationship, "direct");
	artifact_free(&a);
	/* A broken composer.json only loses the relationships. */
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(php_parse_composer_lock(lock, sizeof lock - 1, "composer.lock", "{", 1, &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 3);
	assert_null(lt_must(&a, PKG_COMPOSER, "symfony/console", "v5.4.0")->relationship);
	assert_true(lt_warned(&a, "direct dependencies unknown"));
	artifact_free(&a);
}

static void test_trees(void **state)
{
	(void)state;
	char dir[256];
	lt_tmpdir(dir, sizeof dir);
	lt_write(dir, "var/www/app/vendor/composer/installed.json", installed_v2);
	/* A package's own composer.json in vendor/ is not the project's. */
	lt_write(dir, "var/www/app/vendor/guzzlehttp/guzzle/composer.json", "{\"require\": {\"psr/log\": \"*\"}}");
	lt_write(dir, "var/www/app/composer.lock", lock);
	lt_write(dir, "var/www/app/composer.json", composer_json);
	/* Not Composer's directory layout. */
	lt_write(dir, "srv/myvendor/composer/installed.json", installed_v1);
	struct artifact a;
	lt_scan("rootfs", dir, &a);
	assert_int_equal(lt_count(&a, PKG_COMPOSER), 2);
	const struct package *p = lt_must(&a, PKG_COMPOSER, "guzzlehttp/guzzle", "7.4.5");
	assert_string_equal(p->purl, "pkg:composer/guzzlehttp/guzzle@7.4.5");
	assert_string_equal(p->found_in, "var/www/app/vendor/composer/installed.json");
	assert_int_equal(p->layer, 0);
	artifact_free(&a);
	lt_scan("fs", dir, &a);
	assert_int_equal(lt_count(&a, PKG_COMPOSER), 2 + 3);
	p = lt_must(&a, PKG_COMPOSER, "symfony/console", "v5.4.0");
	assert_string_equal(p->relationship, "direct");
	assert_string_equal(p->found_in, "var/www/app/composer.lock");
	artifact_free(&a);
	lt_rmrf(dir);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_installed_json),
		cmocka_unit_test(test_composer_lock),
		cmocka_unit_test(test_trees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
