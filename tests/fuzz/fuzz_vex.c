/* libFuzzer target: OpenVEX documents, parsed and then queried with every
 * statement's own ids and products, so product matching (purls, image
 * digests, subcomponents) runs on whatever the document holds. */
#include <stddef.h>
#include <stdint.h>

#include "policy/ignore.h"
#include "policy/vex.h"
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
	struct vex_set s = { 0 };
	struct berr e = { 0 };
	if (vex_parse(&s, (const char *)data, size, "fuzz.json", &e) == BOSUN_OK) {
		const char *targets[] = { "sha256:abc", "docker.io/library/debian:12" };
		for (size_t i = 0; i < s.n && i < 64; i++) {
			const struct vex_statement *st = &s.v[i];
			for (size_t k = 0; k < st->nproducts && k < 8; k++) {
				const struct vex_product *p = &st->products[k];
				struct vex_subject subj = { .id = st->ids[0], .aliases = st->ids, .naliases = st->nids,
							    .purl = p->purl ? p->purl : p->id, .target_ids = targets,
							    .ntarget_ids = 2 };
				vex_suppresses(vex_find(&s, &subj));
				for (size_t j = 0; j < p->nsub && j < 8; j++) {
					subj.purl = p->subcomponents[j];
					vex_find(&s, &subj);
				}
			}
		}
	}
	vex_free(&s);
	return 0;
}
