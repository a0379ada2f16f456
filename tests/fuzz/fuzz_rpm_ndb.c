/* libFuzzer target: an NDB Packages.db file.
 * Seeds: tests/fuzz/corpus/rpm_ndb/. */
#include <stddef.h>
#include <stdint.h>

#include "analyze/rpm_ndb.h"
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
	(void)rpm_ndb_read(data, size, &s, NULL);
	rpmdb_sink_finish(&s);
	artifact_free(&a);
	return 0;
}
