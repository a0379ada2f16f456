/* libFuzzer target: the TOML subset reader of RustSec front blocks, alone
 * and inside a whole advisory (front block, title, fields, constraints). */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lang_check.h"
#include "util/log.h"
#include "vulndb/toml_subset.h"

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
	json_t *doc = NULL;
	if (toml_subset_parse((const char *)data, size, "fuzz.toml", 0, &doc, NULL) == BOSUN_OK) {
		if (!json_is_object(doc))
			__builtin_trap();
		char *s = json_dumps(doc, 0);
		free(s);
		json_decref(doc);
	}
	struct feed_sink sink = lc_sink();
	struct import_stats st = { 0 };
	struct lang_run run = { &sink, &st, "" };
	rustsec_parse(&run, "crates/fuzz/RUSTSEC-0000-0000.md", (const char *)data, size, NULL);
	return 0;
}
