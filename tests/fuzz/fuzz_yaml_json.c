/* libFuzzer target: YAML -> JSON with the default limits; the result is
 * walked in full (dumped), so a limit that does not bound the expanded tree
 * shows up as a timeout or out-of-memory. */
#include <stdint.h>
#include <stdlib.h>

#include "util/log.h"
#include "util/yaml_json.h"

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
	json_t *j = NULL;
	struct berr e = { 0 };
	if (yaml_json_parse((const char *)data, size, NULL, "fuzz", &j, &e) != BOSUN_OK) {
		if (j)
			abort(); /* an error never returns a document */
		return 0;
	}
	free(json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT));
	json_decref(j);
	return 0;
}
