/* libFuzzer target: the --generate intent parser, then generation and
 * verification of whatever parses. Generated YAML must always load back
 * (verification may say "mismatch" for overlapping selectors, never
 * "malformed"). */
#include <stdint.h>
#include <stdlib.h>

#include "k8s/netpol.h"
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
	struct netpol_intent *in = NULL;
	struct berr e = { 0 };
	if (netpol_intent_parse((const char *)data, size, "fuzz", &in, &e) != BOSUN_OK) {
		if (in || !e.msg[0])
			abort(); /* an error returns no intent and always says why */
		return 0;
	}
	struct buf all = { 0 }, report = { 0 };
	int rc = BOSUN_OK;
	for (size_t i = 0; i < netpol_intent_namespace_count(in) && rc == BOSUN_OK; i++)
		rc = netpol_intent_generate(in, i, &all, &e);
	bool ok;
	if (rc == BOSUN_OK)
		rc = netpol_intent_verify(in, all.data ? all.data : "", all.len, &ok, &report, &e);
	if (rc == BOSUN_EFORMAT)
		abort(); /* we wrote YAML we cannot read back */
	buf_free(&all);
	buf_free(&report);
	netpol_intent_free(in);
	return 0;
}
