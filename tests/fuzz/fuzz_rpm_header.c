/* libFuzzer target: one rpm header blob, through the same path a database entry takes.
 * Seeds: tests/fuzz/corpus/rpm_header/. */
#include <stddef.h>
#include <stdint.h>

#include "analyze/rpm_header.h"
#include "sbom/artifact.h"
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
	struct rpmdb_sink s;
	rpmdb_sink_init(&s, &a, "fuzz");
	(void)rpmdb_sink_blob(&s, data, size);
	rpmdb_sink_finish(&s);
	artifact_free(&a);
	return 0;
}
