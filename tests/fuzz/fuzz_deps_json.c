/* libFuzzer target: .NET *.deps.json and NuGet packages.lock.json, fed the
 * same bytes. */
#include <stddef.h>
#include <stdint.h>

#include "analyze/dotnet.h"
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
	dotnet_parse_deps_json(text, size, "app.deps.json", &a);
	dotnet_parse_packages_lock(text, size, "packages.lock.json", &a);
	artifact_free(&a);
	return 0;
}
