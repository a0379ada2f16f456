/* libFuzzer target: pnpm-lock.yaml (v5, v6, v9). */
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
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	pnpm_parse_lock((const char *)data, size, "pnpm-lock.yaml", &a);
	npm_check(&a, "pnpm-lock.yaml");
	artifact_free(&a);
	return 0;
}
