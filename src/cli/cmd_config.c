/* bosun config PATH...: checks the configuration files of a project for
 * misconfigurations: Dockerfiles, Kubernetes manifests and docker-compose
 * files, found and checked by src/misconfig/config_files.h (PATH is a
 * file, a directory or "-" for stdin). The rule policy (--policy) is
 * applied once to every finding; the report, --severity, --ignorefile and
 * --exit-code are the shared pipeline's (vuln_pipeline.h). */
#include "cli/cli.h"
#include "cli/rule_command.h"
#include "misconfig/config_files.h"

#include <stdio.h>
#include <string.h>

static void config_describe(FILE *out)
{
	fprintf(out,
		"usage: bosun config [OPTIONS] PATH...\n"
		"\n"
		"Checks Dockerfiles, Kubernetes manifests and docker-compose files for\n"
		"misconfigurations (docs/config.md). PATH is a file, a directory (walked recursively;\n"
		".git, node_modules and vendor are skipped, symbolic links not followed) or - for\n"
		"stdin. Dockerfiles are known by name (Dockerfile, *.Dockerfile, Containerfile...),\n"
		"compose files by name (docker-compose*.yml, compose*.yaml) or content, Kubernetes\n"
		"manifests by content; other files are ignored. All manifests form one cluster.\n");
}

/* ---- the run ----------------------------------------------------------------------- */

static void warn_artifact(void *ctx, const char *msg) { artifact_warn(ctx, "%s", msg); }

static int config_check(const struct rule_command *c, struct artifact *a, struct berr *e)
{
	struct config_check_options opts = { .k8s = rule_options_k8s(&c->rules), .warn = warn_artifact, .warn_ctx = a };
	struct config_check_stats stats;
	TRY(config_check_paths((const char *const *)c->paths, (size_t)c->npaths, &opts, &a->findings, &stats, e));
	if (!stats.dockerfiles && !stats.manifests && !stats.compose_files)
		artifact_warn(a, "no Dockerfile, Kubernetes manifest or compose file found in %s%s", c->paths[0],
			      c->npaths > 1 ? " and the other paths" : "");
	return BOSUN_OK;
}

int cmd_config(int argc, char **argv)
{
	struct rule_command c = {
		.name = "config", .target_kind = "config", .describe = config_describe, .check = config_check
	};
	return rule_command_run(&c, argc, argv);
}
