/* libFuzzer target: Bundler lockfiles and gemspecs (read as text, with the
 * file-name fallback), fed the same bytes. */
#include <stddef.h>
#include <stdint.h>

#include "analyze/ruby.h"
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
	ruby_parse_gemfile_lock(text, size, "Gemfile.lock", &a);
	ruby_parse_gemspec(text, size, "specifications/fuzz-1.0-x86_64-linux.gemspec", &a);
	ruby_parse_gemspec(text, size, "specifications/none.gemspec", &a);
	artifact_free(&a);
	return 0;
}
