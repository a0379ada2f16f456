/* bosun k8s PATH...: checks Kubernetes manifests (files, directories, "-"
 * for stdin; helm template and kustomize build output) against the Pod
 * Security Standards and bosun's other Kubernetes rules. Every path is
 * loaded into one set, seen as one cluster (a ServiceAccount or a binding
 * in one file applies to a workload in another). The report, --severity,
 * --ignorefile and --exit-code are the shared pipeline's (vuln_pipeline.h).
 * `bosun k8s netpol ...` is the network-policy analysis (cmd_k8s_netpol.c). */
#include "cli/cli.h"
#include "cli/rule_command.h"
#include "k8s/k8s.h"

#include <stdio.h>
#include <string.h>

static void k8s_describe(FILE *out)
{
	fprintf(out,
		"usage: bosun k8s [OPTIONS] PATH...\n"
		"       bosun k8s netpol [OPTIONS] PATH...   (network policies: see bosun k8s netpol --help)\n"
		"\n"
		"Checks Kubernetes manifests against the Pod Security Standards and bosun's other\n"
		"Kubernetes rules (docs/rules-kubernetes.md). PATH is a YAML or JSON file (multi-document,\n"
		"List kinds, `helm template` / `kustomize build` output), a directory (*.yaml, *.yml,\n"
		"*.json, recursively) or - for stdin. All paths form one cluster.\n");
}

static int k8s_check_paths(const struct rule_command *c, struct artifact *a, struct berr *e)
{
	struct k8s_check_options opts = rule_options_k8s(&c->rules);
	struct k8s_set *s = k8s_set_new();
	if (!s)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	int rc = BOSUN_OK;
	for (int i = 0; i < c->npaths && rc == BOSUN_OK; i++)
		rc = k8s_set_load_path(s, c->paths[i], e);
	for (size_t i = 0; i < k8s_set_warning_count(s); i++)
		artifact_warn(a, "%s", k8s_set_warning(s, i));
	if (rc == BOSUN_OK)
		rc = k8s_check(s, &opts, &a->findings, e);
	k8s_set_free(s);
	return rc;
}

int cmd_k8s(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "netpol"))
		return cmd_k8s_netpol(argc - 1, argv + 1);
	struct rule_command c = {
		.name = "k8s", .target_kind = "kubernetes", .describe = k8s_describe, .check = k8s_check_paths
	};
	return rule_command_run(&c, argc, argv);
}
