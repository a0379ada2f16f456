/* libFuzzer target: ignore files. The same bytes are read as the plain
 * form and as YAML (the name picks the form), and every entry is matched
 * once, so the matcher's purl parser sees whatever the file holds. */
#include <stddef.h>
#include <stdint.h>

#include "policy/ignore.h"
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

static void one(const char *text, size_t size, const char *name)
{
	struct ignore_list l;
	struct berr e = { 0 };
	if (ignore_parse(text, size, name, "2025-06-15", &l, &e) != BOSUN_OK)
		return;
	const char *aliases[] = { "GHSA-xxxx-yyyy-zzzz" };
	for (size_t i = 0; i < l.n; i++) {
		const struct ignore_entry *en = &l.v[i];
		ignore_match(&l, en->id ? en->id : "CVE-0000-0000", aliases, 1,
			     "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "var/lib/dpkg/status");
		for (size_t k = 0; k < en->npurls; k++)
			policy_purl_matches(en->purls[k], en->purls[k]);
	}
	ignore_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one((const char *)data, size, ".trivyignore");
	one((const char *)data, size, ".trivyignore.yaml");
	return 0;
}
