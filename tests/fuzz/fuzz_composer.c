/* libFuzzer target: Composer's installed.json (both layouts) and
 * composer.lock with the same bytes as its composer.json. */
#include <stddef.h>
#include <stdint.h>

#include "analyze/php.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	php_parse_installed_json(text, size, "vendor/composer/installed.json", &a);
	php_parse_composer_lock(text, size, "composer.lock", text, size, &a);
	artifact_free(&a);
	return 0;
}
