/* libFuzzer target: the YAML and JSON language-feed parsers (RubySec,
 * FriendsOfPHP, Node.js npm and core). The first byte picks the parser, the
 * rest is the advisory; records are checked by lang_check.h. */
#include <stddef.h>
#include <stdint.h>

#include "lang_check.h"
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
	static const struct {
		lang_parse_fn fn;
		const char *file;
	} parsers[] = {
		{ rubysec_parse, "gems/fuzz/CVE-0000-0000.yml" },
		{ friendsofphp_parse, "vendor/package/2020-01-01.yaml" },
		{ nodejs_parse_npm, "npm/1.json" },
		{ nodejs_parse_core, "core/1.json" },
	};
	if (size < 1)
		return 0;
	struct feed_sink sink = lc_sink();
	struct import_stats st = { 0 };
	struct lang_run run = { &sink, &st, "" };
	unsigned k = data[0] % 4;
	parsers[k].fn(&run, parsers[k].file, (const char *)data + 1, size - 1, NULL);
	return 0;
}
