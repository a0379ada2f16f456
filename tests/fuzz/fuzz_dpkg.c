/* libFuzzer target: dpkg status / status.d paragraphs, info file lists and
 * version syntax, all fed the same bytes. */
#include <stddef.h>
#include <stdint.h>

#include "analyze/dpkg.h"
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
	dpkg_parse_status(text, size, "var/lib/dpkg/status", false, &a);
	dpkg_parse_status(text, size, "var/lib/dpkg/status.d/x", true, &a);
	for (size_t i = 0; i < a.npkgs && i < 2; i++) {
		dpkg_parse_file_list(text, size, false, &a.arena, &a.pkgs[i].files, &a.pkgs[i].nfiles);
		dpkg_parse_file_list(text, size, true, &a.arena, &a.pkgs[i].files, &a.pkgs[i].nfiles);
	}
	char **files;
	size_t n;
	dpkg_parse_file_list(text, size, false, &a.arena, &files, &n);
	dpkg_parse_file_list(text, size, true, &a.arena, &files, &n);
	dpkg_version_valid(slice_make(text, size));
	artifact_free(&a);
	return 0;
}
