/* libFuzzer target: Kubernetes manifests -> k8s_set -> every rule, under
 * both profiles and with a policy that has a registry allow-list (so the
 * image parsing runs too). Also k8s_looks_like_manifest on the same bytes.
 * An error must leave nothing half-built; a success must give findings
 * that all carry a rule id, a location and the input's name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "k8s/k8s.h"
#include "policy/rule_policy.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rule_policy *policy;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_quiet(true);
	const char *p = "registries: [registry.example.com, 'ghcr.io/acme', '*.corp']\n"
			"rules: {K8S-RESOURCE-*: {severity: HIGH}}\n";
	struct berr e = { 0 };
	if (rule_policy_parse(p, strlen(p), "fuzz-policy", "2025-01-01", &policy, &e))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)k8s_looks_like_manifest((const char *)data, size);
	struct k8s_set *s = k8s_set_new();
	if (!s)
		return 0;
	struct berr e = { 0 };
	if (k8s_set_load_buffer(s, "fuzz.yaml", (const char *)data, size, &e) == BOSUN_OK) {
		for (int prof = 0; prof < 2; prof++) {
			struct finding_list l;
			finding_list_init(&l);
			struct k8s_check_options o = { .profile = prof ? K8S_PROFILE_RESTRICTED : K8S_PROFILE_BASELINE,
						       .policy = prof ? policy : NULL };
			if (k8s_check(s, &o, &l, &e) == BOSUN_OK) {
				for (size_t i = 0; i < l.n; i++)
					if (!l.v[i].rule_id || !l.v[i].location || !l.v[i].path ||
					    strcmp(l.v[i].path, "fuzz.yaml"))
						abort();
			}
			finding_list_free(&l);
		}
	} else if (!e.msg[0]) {
		abort(); /* every error says what went wrong */
	}
	k8s_set_free(s);
	return 0;
}
