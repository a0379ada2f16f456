/* libFuzzer target: the --secret-config rule file (YAML -> rules,
 * allow-rules, enable/disable lists) and the compilation of its regexes
 * with PCRE2. Built-in rules are loaded but not compiled (that is the same
 * work for every input); a bad document is an error, never a crash. */
#include <stdint.h>
#include <stdlib.h>

#include "secret/secret_impl.h"
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
	struct secret_engine *eng = NULL;
	struct berr e = { 0 };
	int rc = secret_engine_new_from_text((const char *)data, size, false, &eng, &e);
	if (rc == BOSUN_OK) {
		if (!eng)
			abort();
		/* every rule has an id and a title; the catalogue is readable */
		for (size_t i = 0; i < secret_rule_count(eng); i++) {
			const char *id, *title;
			secret_rule_info(eng, i, &id, NULL, &title, NULL);
			if (!id || !title)
				abort();
		}
		secret_engine_free(eng);
	} else if (eng || !e.msg[0]) {
		abort(); /* an error returns no engine and says why */
	}
	return 0;
}
