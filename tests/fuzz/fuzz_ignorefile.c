/* libFuzzer target: ignore files. The same bytes are read as the plain
 * form and as YAML (the name picks the form), and every entry is matched
 * once, so the matcher's purl parser sees whatever the file holds; a
 * finding of each kind is matched too, and every path, namespace and
 * object glob is run on itself and on a fixed path (the glob matcher). */
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
		for (size_t k = 0; k < en->npaths; k++) {
			ignore_glob_match(en->paths[k], en->paths[k]);
			ignore_glob_match(en->paths[k], "app/testdata/fixtures/key.pem");
		}
		for (size_t k = 0; k < en->nnamespaces; k++)
			ignore_glob_match(en->namespaces[k], "kube-system");
		for (size_t k = 0; k < en->nobjects; k++)
			ignore_glob_match(en->objects[k], en->objects[k]);
	}
	for (int k = 0; k < FINDING_KIND_COUNT; k++) {
		struct finding f = { .kind = (enum finding_kind)k,
				     .rule_id = l.n && l.v[0].id ? l.v[0].id : "aws-access-key-id",
				     .path = "app/testdata/fixtures/key.pem", .ns = "prod", .object = "web", .layer = -1 };
		ignore_match_finding(&l, &f);
	}
	ignore_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one((const char *)data, size, ".trivyignore");
	one((const char *)data, size, ".trivyignore.yaml");
	return 0;
}
