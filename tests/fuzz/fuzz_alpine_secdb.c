/* libFuzzer target: one Alpine secdb document (YAML, or JSON when it starts
 * with '{'), collected and written as the importer does. */
#include <stddef.h>
#include <stdint.h>

#include "feed_check.h"
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
	struct feed_sink s = fc_sink("alpine:");
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	struct alpine_secdb *a;
	if (alpine_secdb_new(&a) != BOSUN_OK)
		return 0;
	if (alpine_secdb_add(a, "v3.11/main.yaml", (const char *)data, size, &e) == BOSUN_OK)
		alpine_secdb_flush(a, &s, &st, &e);
	alpine_secdb_free(a);
	return 0;
}
