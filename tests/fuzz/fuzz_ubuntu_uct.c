/* libFuzzer target: one Ubuntu CVE tracker file. */
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
	struct feed_sink s = fc_sink("ubuntu:");
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	ubuntu_parse_cve("active/CVE-fuzz", (const char *)data, size, &s, &st, &e);
	return 0;
}
