/* libFuzzer target: yarn.lock (v1 and berry). The input is split at the
 * first NUL byte: before it the lockfile, after it the package.json beside
 * it (absent without a NUL), so both and their interplay get explored. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
	const char *nul = memchr(text, '\0', size);
	size_t lock_len = nul ? (size_t)(nul - text) : size;
	const char *manifest = nul ? nul + 1 : NULL;
	size_t mlen = nul ? size - lock_len - 1 : 0;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	yarn_parse_lock(text, lock_len, manifest, mlen, "yarn.lock", &a);
	npm_check(&a, "yarn.lock");
	artifact_free(&a);
	return 0;
}
