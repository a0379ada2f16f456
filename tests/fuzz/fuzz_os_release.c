/* libFuzzer target: os-release and the legacy release files. The same
 * bytes go through every parser and through os_detect() in each role. */
#include <stddef.h>
#include <stdint.h>

#include "analyze/os_release.h"
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
	os_release_parse(text, size, &a.arena, &a.os);
	for (const char *const *p = os_candidate_paths; *p; p++) {
		os_legacy_parse(*p, text, size, &a.arena, &a.os);
		/* The file in this role, next to an os-release made of the same bytes. */
		struct os_file files[] = { { *p, text, size }, { "etc/os-release", text, size } };
		os_detect(files, 1, false, &a.arena, &a.os);
		os_detect(files, 2, true, &a.arena, &a.os);
	}
	struct os_file bf = { OS_STATUS_D_BASE_FILES, text, size };
	os_detect(&bf, 1, true, &a.arena, &a.os);
	artifact_free(&a);
	return 0;
}
