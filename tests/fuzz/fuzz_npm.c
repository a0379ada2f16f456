/* libFuzzer target: an installed package.json and a package-lock.json
 * (v1/v2/v3 and npm-shrinkwrap.json share the parser), fed the same bytes. */
#include <stddef.h>
#include <stdint.h>

#include "analyze/npm.h"
#include "npm_check.h"
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
	bool added;
	npm_parse_package_json(text, size, "node_modules/x/package.json", &a, &added);
	if (added != (a.npkgs == 1) || a.npkgs > 1)
		__builtin_trap();
	npm_check(&a, "node_modules/x/package.json");
	artifact_free(&a);
	artifact_init(&a);
	a.silent = true;
	npm_parse_lockfile(text, size, "package-lock.json", &a);
	npm_check(&a, "package-lock.json");
	artifact_free(&a);
	return 0;
}
