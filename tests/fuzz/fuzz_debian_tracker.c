/* libFuzzer target: the Debian security tracker's text lists and JSON
 * export. An input is split at the first "\n==\n" into an advisory list
 * (data/DSA/list form) and a CVE list (data/CVE/list form), so that the
 * join of the two is explored; without the marker the same bytes serve as
 * both. They are also read as a support list, config.json and the JSON
 * export. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
	const char *text = (const char *)data;
	const char *mark = memmem(text, size, "\n==\n", 4);
	size_t adv_n = mark ? (size_t)(mark - text) + 1 : size;
	const char *cve = mark ? mark + 4 : text;
	size_t cve_n = mark ? size - (size_t)(cve - text) : size;
	struct feed_sink s = fc_sink("debian:");
	struct import_stats st = { 0 };
	struct berr e = { 0 };
	struct debian_tracker *t;
	if (debian_tracker_new(&t) != BOSUN_OK)
		return 0;
	debian_tracker_add_advisories(t, "DSA/list", "DSA", text, adv_n, &e);
	debian_tracker_add_support(t, "ended.deb12", 12, false, text, adv_n, &e);
	debian_tracker_add_support(t, "limited", 12, true, text, adv_n, &e);
	debian_tracker_emit_cve_list(t, "CVE/list", cve, cve_n, &s, &st, &e);
	debian_tracker_emit_advisory_only(t, &s, &st, &e);
	debian_tracker_free(t);
	/* the JSON forms, on a fresh tracker */
	if (debian_tracker_new(&t) != BOSUN_OK)
		return 0;
	debian_tracker_add_config(t, "config.json", text, size, &e);
	debian_tracker_emit_json(t, "json", text, size, &s, &st, &e);
	debian_tracker_free(t);
	return 0;
}
