/* libFuzzer target: the apk installed database. */
#include <stddef.h>
#include <stdint.h>

#include "analyze/apk.h"
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
	apk_parse_installed((const char *)data, size, "lib/apk/db/installed", &a);
	artifact_free(&a);
	return 0;
}
