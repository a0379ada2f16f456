/* The options `bosun config`, `bosun k8s` and the config scanner of
 * `bosun image|fs|rootfs` share for rule-based checks: --profile (Pod
 * Security Standards level) and --policy (the rule policy file,
 * src/policy/rule_policy.h), parsed, loaded and applied the same way by
 * all of them. */
#ifndef BOSUN_CLI_RULE_OPTIONS_H
#define BOSUN_CLI_RULE_OPTIONS_H

#include <getopt.h>
#include <stdio.h>

#include "k8s/k8s.h"
#include "policy/rule_policy.h"
#include "sbom/artifact.h"
#include "util/err.h"

struct rule_options {
	const char *profile;       /* --profile; NULL: the policy's, else restricted */
	const char *policy_path;   /* --policy */
	struct rule_policy *policy; /* loaded by rule_options_load; NULL without --policy */
};

enum { RULE_OPT_PROFILE = 700, RULE_OPT_POLICY };

#define RULE_LONGOPTS                                                                          \
	{ "profile", required_argument, NULL, RULE_OPT_PROFILE },                              \
	{ "policy", required_argument, NULL, RULE_OPT_POLICY }

/* 0 when taken, 2 after printing why the value is bad, -1 when c is not ours. */
int rule_option(int c, const char *arg, struct rule_options *o);
void rule_usage(FILE *out);
/* Loads the policy file, if any; on failure prints the error and returns
 * the exit code, else -1. */
int rule_options_load(struct rule_options *o);
/* The Kubernetes check options: --profile, else the policy's, else restricted. */
struct k8s_check_options rule_options_k8s(const struct rule_options *o);
/* Applies the policy (severities, disabled rules, exceptions) to the
 * artifact's findings; its warnings and the excepted count go to a. */
int rule_options_apply(const struct rule_options *o, struct artifact *a, struct berr *e);
/* The same on another list than a's findings (the misconfigurations of a
 * scan, kept apart from its secrets and malware, which no rule policy
 * covers); the warnings still go to a. */
int rule_options_apply_list(const struct rule_options *o, struct finding_list *l, struct artifact *a,
			    struct berr *e);
void rule_options_free(struct rule_options *o);

#endif
