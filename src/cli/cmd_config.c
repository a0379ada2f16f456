/* bosun config PATH...: checks the configuration files of a project for
 * misconfigurations: Dockerfiles, Kubernetes manifests and docker-compose
 * files, found and checked by src/misconfig/config_files.h (PATH is a
 * file, a directory or "-" for stdin). The rule policy (--policy) is
 * applied once to every finding; the report, --severity, --ignorefile and
 * --exit-code are the shared pipeline's (vuln_pipeline.h). */
#include "cli/cli.h"
#include "cli/rule_options.h"
#include "cli/vuln_pipeline.h"
#include "misconfig/config_files.h"
#include "util/log.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

struct config_args {
	struct vuln_options vuln;
	struct rule_options rules;
	char **paths;
	int npaths;
};

static void config_usage(FILE *out)
{
	fprintf(out,
		"usage: bosun config [OPTIONS] PATH...\n"
		"\n"
		"Checks Dockerfiles, Kubernetes manifests and docker-compose files for\n"
		"misconfigurations (docs/config.md). PATH is a file, a directory (walked recursively;\n"
		".git, node_modules and vendor are skipped, symbolic links not followed) or - for\n"
		"stdin. Dockerfiles are known by name (Dockerfile, *.Dockerfile, Containerfile...),\n"
		"compose files by name (docker-compose*.yml, compose*.yaml) or content, Kubernetes\n"
		"manifests by content; other files are ignored. All manifests form one cluster.\n"
		"\n"
		"config:\n");
	rule_usage(out);
	fprintf(out,
		"  -q, --quiet            no warnings on stderr\n"
		"  -h, --help             this help\n"
		"\n");
	vuln_usage(out);
	fprintf(out, "\nexit codes: 0 ok (or findings without --exit-code), N findings with --exit-code N,\n"
		     "2 usage, 3 unusable input, 4 limit exceeded, 5 I/O or internal error\n");
}

static int parse_args(int argc, char **argv, struct config_args *a)
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
		case 'h': config_usage(stdout); return 0;
		default: config_usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "bosun: error: config needs at least one PATH (a file, a directory or -)\n");
		config_usage(stderr);
		return 2;
	}
	a->paths = argv + optind;
	a->npaths = argc - optind;
	return vuln_options_check(&a->vuln) ? 2 : -1;
}

/* ---- the run ----------------------------------------------------------------------- */

static void warn_artifact(void *ctx, const char *msg) { artifact_warn(ctx, "%s", msg); }

static int config_inventory(void *ctx, struct artifact *a, struct berr *e)
{
	const struct config_args *args = ctx;
	a->target_kind = arena_strdup(&a->arena, "config");
	a->target = arena_strdup(&a->arena, args->paths[0]);
	a->name = args->npaths == 1 ? arena_strdup(&a->arena, args->paths[0])
				    : arena_printf(&a->arena, "%s and %d more", args->paths[0], args->npaths - 1);
	if (!a->target_kind || !a->target || !a->name)
		return berr_set(e, BOSUN_ENOMEM, "out of memory");
	struct config_check_options opts = {
		.k8s = rule_options_k8s(&args->rules), .warn = warn_artifact, .warn_ctx = a
	};
	struct config_check_stats stats;
	TRY(config_check_paths((const char *const *)args->paths, (size_t)args->npaths, &opts, &a->findings, &stats,
			       e));
	if (!stats.dockerfiles && !stats.manifests && !stats.compose_files)
		artifact_warn(a, "no Dockerfile, Kubernetes manifest or compose file found in %s%s", args->paths[0],
			      args->npaths > 1 ? " and the other paths" : "");
	TRY(rule_options_apply(&args->rules, a, e));
	finding_list_sort(&a->findings);
	return BOSUN_OK;
}

int cmd_config(int argc, char **argv)
{
	struct config_args args;
	memset(&args, 0, sizeof args);
	args.vuln.skip_vulns = true;
	args.vuln.finding_kinds = 1u << FINDING_KIND_MISCONFIG;
	int code = parse_args(argc, argv, &args);
	if (code >= 0)
		return code;
	if ((code = rule_options_load(&args.rules)) >= 0)
		return code;
	code = vuln_pipeline_run(&args.vuln, config_inventory, &args);
	rule_options_free(&args.rules);
	return code;
}
