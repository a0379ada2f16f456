/* libFuzzer target: manifests -> network-policy model -> analysis ->
 * every output (table, DOT, JSON, findings). */
#include <stdint.h>
#include <stdio.h>
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
	struct netpol_model m;
	struct berr e = { 0 };
	netpol_model_init(&m);
	if (netpol_model_add_yaml(&m, "fuzz", (const char *)data, size, &e) == BOSUN_OK &&
	    netpol_analyze(&m, &e) == BOSUN_OK) {
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			netpol_write_table(&m, null, &e);
			netpol_write_dot(&m, null, &e);
			fclose(null);
		}
		json_t *j = NULL;
		if (netpol_to_json(&m, &j, &e) == BOSUN_OK)
			json_decref(j);
		struct finding_list fl;
		finding_list_init(&fl);
		netpol_findings(&m, &fl, &e);
		finding_list_free(&fl);
		struct buf b = { 0 };
		netpol_write_expected(&m, &b);
		buf_free(&b);
	}
	netpol_model_free(&m);
	return 0;
}
