/* bosun k8s PATH...: checks Kubernetes manifests (files, directories, "-"
 * for stdin; helm template and kustomize build output) against the Pod
 * Security Standards and bosun's other Kubernetes rules. Every path is
 * loaded into one set, seen as one cluster (a ServiceAccount or a binding
 * in one file applies to a workload in another). The report, --severity,
 * --ignorefile and --exit-code are the shared pipeline's (vuln_pipeline.h).
 * `bosun k8s netpol ...` is the network-policy analysis (cmd_k8s_netpol.c). */
#include "cli/cli.h"
#include "cli/rule_options.h"
#include "cli/vuln_pipeline.h"
#include "k8s/k8s.h"
#include "util/log.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct k8s_args {
	struct vuln_options vuln;
	struct rule_options rules;
	char **paths;
	int npaths;
};

static void k8s_usage(FILE *out)
{
	fprintf(out,
		"usage: bosun k8s [OPTIONS] PATH...\n"
		"       bosun k8s netpol [OPTIONS] PATH...   (network policies: see bosun k8s netpol --help)\n"
		"\n"
		"Checks Kubernetes manifests against the Pod Security Standards and bosun's other\n"
		"Kubernetes rules (docs/rules-kubernetes.md). PATH is a YAML or JSON file (multi-document,\n"
		"List kinds, `helm template` / `kustomize build` output), a directory (*.yaml, *.yml,\n"
		"*.json, recursively) or - for stdin. All paths form one cluster.\n"
		"\n"
		"k8s:\n");
	rule_usage(out);
	fprintf(out,
		"  -q, --quiet            no warnings on stderr\n"
		"  -h, --help             this help\n"
		"\n");
	vuln_usage(out);
	fprintf(out, "\nexit codes: 0 ok (or findings without --exit-code), N findings with --exit-code N,\n"
		     "2 usage, 3 unusable input, 4 limit exceeded, 5 I/O or internal error\n");
}

static int parse_args(int argc, char **argv, struct k8s_args *a)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		VULN_LONGOPTS,
		RULE_LONGOPTS,
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:qh", longopts, NULL)) != -1) {
		int rc = vuln_option(c, optarg, &a->vuln);
		if (rc > 0)
			return rc;
		if (rc == 0)
			continue;
		rc = rule_option(c, optarg, &a->rules);
		if (rc > 0)
			return rc;
		if (rc == 0)
			continue;
		switch (c) {
		case 'q': log_set_quiet(true); break;
		case 'h': k8s_usage(stdout); return 0;
		default: k8s_usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "bosun: error: k8s needs at least one PATH (a file, a directory or -)\n");
		k8s_usage(stderr);
		return 2;
	}
	a->paths = argv + optind;
	a->npaths = argc - optind;
	return vuln_options_check(&a->vuln) ? 2 : -1;
}

static int k8s_inventory(void *ctx, struct artifact *a, struct berr *e)
{
	struct k8s_args *args = ctx;
	struct k8s_check_options opts = rule_options_k8s(&args->rules);

	a->target_kind = arena_strdup(&a->arena, "kubernetes");
	a->target = arena_strdup(&a->arena, args->paths[0]);
	a->name = args->npaths == 1 ? arena_strdup(&a->arena, args->paths[0])
				    : arena_printf(&a->arena, "%s and %d more", args->paths[0], args->npaths - 1);
	if (!a->target_kind || !a->target || !a->name)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");

	struct k8s_set *s = k8s_set_new();
	if (!s)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	int rc = BOSUN_OK;
	for (int i = 0; i < args->npaths && rc == BOSUN_OK; i++)
		rc = k8s_set_load_path(s, args->paths[i], e);
	for (size_t i = 0; i < k8s_set_warning_count(s); i++)
		artifact_warn(a, "%s", k8s_set_warning(s, i));
	if (rc == BOSUN_OK)
		rc = k8s_check(s, &opts, &a->findings, e);
	k8s_set_free(s);
	if (rc)
		return rc;

	TRY(rule_options_apply(&args->rules, a, e));
	finding_list_sort(&a->findings);
	return BOSUN_OK;
}

int cmd_k8s(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "netpol"))
		return cmd_k8s_netpol(argc - 1, argv + 1);
	struct k8s_args args;
	memset(&args, 0, sizeof args);
	args.vuln.skip_vulns = true;
	args.vuln.finding_kinds = 1u << FINDING_KIND_MISCONFIG;
	int code = parse_args(argc, argv, &args);
	if (code >= 0)
		return code;
	if ((code = rule_options_load(&args.rules)) >= 0)
		return code;
	code = vuln_pipeline_run(&args.vuln, k8s_inventory, &args);
	rule_options_free(&args.rules);
	return code;
}
