/* The frame of a rule-checking command (`bosun config`, `bosun k8s`): its
 * options (report, policy, --profile/--policy, -q, -h), one or more PATHs,
 * the artifact that names them, the rule policy applied once to every
 * finding, and the shared report pipeline with gating. A command supplies
 * only its description and its check. */
#ifndef BOSUN_CLI_RULE_COMMAND_H
#define BOSUN_CLI_RULE_COMMAND_H

#include <stdio.h>

#include "cli/rule_options.h"
#include "cli/vuln_pipeline.h"
#include "sbom/artifact.h"
#include "util/err.h"

struct rule_command {
	const char *name;          /* "config": usage section and messages */
	const char *target_kind;   /* the artifact's target_kind: "config", "kubernetes" */
	void (*describe)(FILE *out); /* the usage lines above the options */
	/* Appends the findings of paths to a->findings; the policy is applied
	 * and the findings sorted afterwards. */
	int (*check)(const struct rule_command *c, struct artifact *a, struct berr *e);
	/* filled by rule_command_run() */
	struct vuln_options vuln;
	struct rule_options rules;
	char **paths;
	int npaths;
};

/* Parses argv, runs the check through the report pipeline and returns the
 * process exit code. */
int rule_command_run(struct rule_command *c, int argc, char **argv);

#endif
